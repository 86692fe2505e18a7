/*
 * reader.c — the datum reader: R7RS-small external syntax plus Gambit's
 * #!optional #!rest #!key #!eof #!default #!void, keywords `name:` and
 * datum labels #n= #n#.
 *
 * The reader keeps its own stack of open constructs (lists, vectors,
 * quote abbreviations, labels, datum comments) instead of recursing, so
 * no input can overflow the C stack; MAX_DEPTH only protects the
 * recursive consumers of the data (equal?, the compiler).  Allocation
 * never collects (heap.h), so raw TmValues may sit in the reader's C
 * arrays for the whole read, and the fresh pairs of a list under
 * construction may be completed in place.
 */
#include <stdarg.h>

#include "num.h"
#include "prims.h"
#include "reader.h"

#define MAX_DEPTH 10000
#define MAX_LABEL 99999999 /* #n= labels have at most 8 digits */
#define POS_COL_MASK ((1 << 20) - 1)

typedef enum { F_LIST, F_VECTOR, F_BYTES, F_ABBREV, F_LABEL, F_SKIP } FrameKind;

/* An open construct waiting for data.  Lists, vectors and bytevectors
 * collect their elements in a list head..tail; `dot` is 1 after the
 * '.' of a dotted list and 2 once its tail datum has been read.  An
 * abbreviation keeps its symbol in `head`. */
typedef struct {
    FrameKind kind;
    int line, col;        /* where the construct opened */
    TmValue head, tail;
    int dot;
    long label;           /* F_LABEL: the label number */
} Frame;

/* A datum label.  Until its datum is complete, references to it read as
 * `placeholder` (a fresh box, a type the reader never produces
 * otherwise), which finish_label then replaces everywhere. */
typedef struct {
    TmValue placeholder, value;
    bool done, used;
} Label;

typedef struct {
    TmNode *n;
    TmPort *p;
    TmSourceMap *map;
    GArray *stack;        /* Frame: the open constructs, innermost last */
    GArray *tok;          /* uint32_t: the current token or string */
    GHashTable *labels;   /* label number -> Label*, created on demand */
    int line, col;        /* start of the current lexical item */
} Reader;

/* What one lexical step produced. */
typedef enum {
    K_NONE,   /* a comment or directive: nothing */
    K_VALUE,  /* a complete datum */
    K_OPEN,   /* a frame was pushed */
    K_CLOSE,  /* ')' */
    K_DOT,    /* a lone '.' */
    K_EOF,
    K_ERROR   /* a read-error was raised */
} Kind;

/* ---- errors ------------------------------------------------------------ */

static Kind fail_at(Reader *r, int line, int col, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);

/* Raise a read-error whose message starts with "file:line:col: ". */
static Kind fail_at(Reader *r, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *what = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    char *msg = g_strdup_printf("%s:%d:%d: %s",
                                r->p->name ? r->p->name : "<input>",
                                line, col, what);
    tm_error_kind(r->n, r->n->sym[TM_S_read_error], "read", msg, TM_NIL);
    g_free(msg);
    g_free(what);
    return K_ERROR;
}

#define fail(r, ...) fail_at((r), (r)->line, (r)->col, __VA_ARGS__)

/* The current token as UTF-8 for a message, shortened when long. */
static char *tok_text(Reader *r)
{
    GString *g = g_string_new(NULL);
    const uint32_t *c = (const uint32_t *)r->tok->data;
    for (guint i = 0; i < r->tok->len && i < 40; i++)
        tm_utf8_append_char(g, c[i] ? c[i] : '?');
    if (r->tok->len > 40)
        g_string_append(g, "...");
    return g_string_free(g, FALSE);
}

/* ---- characters -------------------------------------------------------- */

static int32_t next(Reader *r) { return tm_port_read_char(r->p); }
static int32_t peek(Reader *r) { return tm_port_peek_char(r->p); }

static void mark(Reader *r)
{
    r->line = r->p->line;
    r->col = r->p->col;
}

static bool is_space(int32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v' || (c >= 0x80 && g_unichar_isspace((gunichar)c));
}

/* Characters that end a token.  printer.c's needs_bars must agree. */
static bool is_delimiter(int32_t c)
{
    return c < 0 || is_space(c) || c == '(' || c == ')' || c == '"' ||
           c == ';' || c == '|';
}

static bool is_code_point(uint32_t c)
{
    return c <= 0x10FFFF && !(c >= 0xD800 && c <= 0xDFFF);
}

static int hex_digit(uint32_t c)
{
    if (c >= '0' && c <= '9')
        return (int)(c - '0');
    if (c >= 'a' && c <= 'f')
        return (int)(c - 'a' + 10);
    if (c >= 'A' && c <= 'F')
        return (int)(c - 'A' + 10);
    return -1;
}

/* A code point written in hex; false when empty, not hex or too big. */
static bool parse_hex(const uint32_t *s, size_t len, uint32_t *out)
{
    uint32_t v = 0;
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++) {
        int d = hex_digit(s[i]);
        if (d < 0)
            return false;
        v = v * 16 + (uint32_t)d;
        if (v > 0x10FFFF)
            return false;
    }
    *out = v;
    return is_code_point(v);
}

/* ---- tokens ------------------------------------------------------------ */

static void tok_reset(Reader *r) { g_array_set_size(r->tok, 0); }

static void tok_add(Reader *r, uint32_t c) { g_array_append_val(r->tok, c); }

static const uint32_t *tok_chars(Reader *r)
{
    return (const uint32_t *)r->tok->data;
}

/* Append characters up to the next delimiter. */
static void collect(Reader *r)
{
    while (!is_delimiter(peek(r)))
        tok_add(r, (uint32_t)next(r));
}

/* Does the token, from index `from`, spell the ASCII word w (any case)? */
static bool tok_is(Reader *r, size_t from, const char *w)
{
    size_t len = strlen(w);
    if (r->tok->len - from != len)
        return false;
    for (size_t i = 0; i < len; i++)
        if (g_ascii_tolower((gchar)MIN(tok_chars(r)[from + i], 0x7f)) != w[i])
            return false;
    return true;
}

/* Skip whitespace and ; comments. */
static void skip_space(Reader *r)
{
    for (;;) {
        int32_t c = peek(r);
        if (c == ';') {
            while (c >= 0 && c != '\n')
                c = next(r);
        } else if (is_space(c)) {
            next(r);
        } else {
            return;
        }
    }
}

/* ---- frames ------------------------------------------------------------ */

static Frame *top(Reader *r)
{
    return &g_array_index(r->stack, Frame, r->stack->len - 1);
}

static void pop(Reader *r) { g_array_set_size(r->stack, r->stack->len - 1); }

static void record_pos(Reader *r, TmValue pair, int line, int col)
{
    if (r->map)
        g_hash_table_insert(r->map->pos, tm_obj(pair),
                            GSIZE_TO_POINTER((gsize)line << 20 |
                                             (gsize)(col & POS_COL_MASK)));
}

/* Open a construct at the current item's position. */
static Kind push(Reader *r, FrameKind kind, TmValue head, long label)
{
    if (r->stack->len >= MAX_DEPTH)
        return fail(r, "nesting too deep (more than %d levels)", MAX_DEPTH);
    Frame f = { kind, r->line, r->col, head, TM_NIL, 0, label };
    g_array_append_val(r->stack, f);
    return K_OPEN;
}

/* Add v at the end of the frame's element list.  The tail pair may be
 * old when a large allocation went straight to the old generation, so
 * the store goes through the write barrier. */
static void append(Reader *r, Frame *f, TmValue v)
{
    TmValue pair = tm_cons(r->n, v, TM_NIL);
    if (f->head == TM_NIL) {
        f->head = pair;
        if (f->kind == F_LIST)
            record_pos(r, pair, f->line, f->col);
    } else {
        tm_write(r->n, f->tail, 1, pair);
    }
    f->tail = pair;
}

static const char *frame_name(FrameKind k)
{
    switch (k) {
    case F_LIST: return "list";
    case F_VECTOR: return "vector";
    case F_BYTES: return "bytevector";
    case F_ABBREV: return "quotation";
    case F_LABEL: return "labelled datum";
    case F_SKIP: return "#; datum comment";
    }
    return "datum";
}

/* ---- datum labels ------------------------------------------------------ */

static Label *label_find(Reader *r, long k)
{
    if (!r->labels)
        return NULL;
    return g_hash_table_lookup(r->labels, GINT_TO_POINTER(k));
}

/* #k= : define the label and read its datum. */
static Kind label_define(Reader *r, long k)
{
    if (!r->labels)
        r->labels = g_hash_table_new_full(g_direct_hash, g_direct_equal,
                                          NULL, g_free);
    if (label_find(r, k))
        return fail(r, "datum label #%ld= defined twice", k);
    Label *l = g_new0(Label, 1);
    l->placeholder = tm_make_box(r->n, TM_FALSE);
    g_hash_table_insert(r->labels, GINT_TO_POINTER(k), l);
    return push(r, F_LABEL, TM_NIL, k);
}

/* #k# : the datum, or its placeholder while the datum is being read. */
static Kind label_ref(Reader *r, long k, TmValue *out)
{
    Label *l = label_find(r, k);
    if (!l)
        return fail(r, "undefined datum label #%ld#", k);
    if (!l->done)
        l->used = true;
    *out = l->done ? l->value : l->placeholder;
    return K_VALUE;
}

/* Replace every occurrence of ph in the pairs and vectors reachable from
 * root by root itself.  Iterative, and `seen` stops it on the cycles
 * earlier labels made; the table is only looked up, never iterated. */
static void patch(Reader *r, TmValue root, TmValue ph)
{
    GArray *todo = g_array_new(FALSE, FALSE, sizeof(TmValue));
    GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_array_append_val(todo, root);
    while (todo->len > 0) {
        TmValue x = g_array_index(todo, TmValue, todo->len - 1);
        g_array_set_size(todo, todo->len - 1);
        if (!(tm_is_pair(x) || tm_is_vector(x)) ||
            !g_hash_table_add(seen, tm_obj(x)))
            continue;
        size_t len = tm_is_pair(x) ? 2 : tm_vector_length(x);
        for (size_t i = 0; i < len; i++) {
            TmValue s = TM_SLOT(x, i);
            if (s == ph)
                tm_write(r->n, x, i, root);
            else if (tm_is_pair(s) || tm_is_vector(s))
                g_array_append_val(todo, s);
        }
    }
    g_hash_table_destroy(seen);
    g_array_free(todo, TRUE);
}

static Kind finish_label(Reader *r, Frame *f, TmValue v)
{
    Label *l = label_find(r, f->label);
    if (v == l->placeholder)
        return fail_at(r, f->line, f->col, "datum label #%ld= refers to itself",
                       f->label);
    if (l->used)
        patch(r, v, l->placeholder);
    l->value = v;
    l->done = true;
    return K_VALUE;
}

/* After '#' and a digit: #k= or #k#. */
static Kind read_label(Reader *r, TmValue *out)
{
    long k = 0;
    int digits = 0;
    while (peek(r) >= '0' && peek(r) <= '9') {
        k = k * 10 + (next(r) - '0');
        if (++digits > 8)
            return fail(r, "datum label too long");
    }
    int32_t c = next(r);
    if (c == '=')
        return label_define(r, k);
    if (c == '#')
        return label_ref(r, k, out);
    return fail(r, "bad # syntax: expected = or # after #%ld", k);
}

/* ---- strings, characters, symbols -------------------------------------- */

/* After the backslash of a line continuation: \<intraline ws>*<newline>
 * <intraline ws>*.  c is the character after the backslash. */
static bool skip_continuation(Reader *r, int32_t c)
{
    while (c == ' ' || c == '\t')
        c = next(r);
    if (c == '\r' && peek(r) == '\n')
        c = next(r);
    if (c != '\n' && c != '\r')
        return false;
    while (peek(r) == ' ' || peek(r) == '\t')
        next(r);
    return true;
}

/* \xHH; inside a string or |symbol|. */
static bool read_hex_escape(Reader *r, uint32_t *out)
{
    uint32_t digits[9];
    size_t len = 0;
    int32_t c;
    while ((c = next(r)) != ';') {
        if (c < 0 || len == 8)
            return false;
        digits[len++] = (uint32_t)c;
    }
    return parse_hex(digits, len, out);
}

/* The escape after a backslash at line:col.  Returns K_VALUE with *out
 * set, K_NONE for a line continuation, or K_ERROR. */
static Kind read_escape(Reader *r, int line, int col, uint32_t *out)
{
    int32_t c = next(r);
    switch (c) {
    case 'a': *out = 7; return K_VALUE;
    case 'b': *out = 8; return K_VALUE;
    case 't': *out = 9; return K_VALUE;
    case 'n': *out = 10; return K_VALUE;
    case 'r': *out = 13; return K_VALUE;
    case '0': *out = 0; return K_VALUE;
    case '\\': case '"': case '|': *out = (uint32_t)c; return K_VALUE;
    case 'x': case 'X':
        if (read_hex_escape(r, out))
            return K_VALUE;
        return fail_at(r, line, col, "bad escape: \\x must be followed by "
                                     "hex digits of a code point and ';'");
    case ' ': case '\t': case '\n': case '\r':
        if (skip_continuation(r, c))
            return K_NONE;
        return fail_at(r, line, col, "bad escape: \\ followed by spaces "
                                     "but no newline");
    }
    if (c < 0)
        return fail_at(r, line, col, "bad escape: end of input after \\");
    GString *g = g_string_new(NULL);
    tm_utf8_append_char(g, (uint32_t)c);
    fail_at(r, line, col, "bad escape \\%s", g->str);
    g_string_free(g, TRUE);
    return K_ERROR;
}

/* The characters of a string or |symbol| up to the closing `close`,
 * into r->tok. */
static Kind read_delimited(Reader *r, int32_t close, const char *what)
{
    tok_reset(r);
    for (;;) {
        int line = r->p->line, col = r->p->col;
        int32_t c = next(r);
        if (c == close)
            return K_VALUE;
        if (c < 0)
            return fail(r, "unterminated %s", what);
        if (c != '\\') {
            tok_add(r, (uint32_t)c);
            continue;
        }
        uint32_t e;
        Kind k = read_escape(r, line, col, &e);
        if (k == K_ERROR)
            return K_ERROR;
        if (k == K_VALUE)
            tok_add(r, e);
    }
}

static Kind read_string(Reader *r, TmValue *out)
{
    if (read_delimited(r, '"', "string") == K_ERROR)
        return K_ERROR;
    *out = tm_string_from_chars(r->n, tok_chars(r), r->tok->len);
    return K_VALUE;
}

/* Symbols and keywords are interned by their UTF-8 name as a C string
 * (object.c), which cannot hold U+0000. */
static bool tok_has_nul(Reader *r)
{
    for (guint i = 0; i < r->tok->len; i++)
        if (tok_chars(r)[i] == 0)
            return true;
    return false;
}

/* Intern the first len characters of the token as a symbol or keyword. */
static TmValue tok_intern(Reader *r, size_t len, bool keyword)
{
    GString *g = g_string_sized_new(len + 1);
    for (size_t i = 0; i < len; i++)
        tm_utf8_append_char(g, tok_chars(r)[i]);
    TmValue v = keyword ? tm_intern_keyword(r->n, g->str)
                        : tm_intern(r->n, g->str);
    g_string_free(g, TRUE);
    return v;
}

static Kind read_bar_symbol(Reader *r, TmValue *out)
{
    if (read_delimited(r, '|', "|symbol|") == K_ERROR)
        return K_ERROR;
    if (tok_has_nul(r))
        return fail(r, "symbol contains the character U+0000");
    *out = tok_intern(r, r->tok->len, false);
    return K_VALUE;
}

static const struct {
    const char *name;
    uint32_t cp;
} char_names[] = {
    { "alarm", 7 },     { "backspace", 8 }, { "delete", 0x7f },
    { "escape", 0x1b }, { "newline", 10 },  { "linefeed", 10 },
    { "null", 0 },      { "nul", 0 },       { "return", 13 },
    { "space", 32 },    { "tab", 9 },       { "page", 12 },
};

/* The token (without the leading #\) names a character? */
static bool char_by_name(Reader *r, uint32_t *out)
{
    const uint32_t *c = tok_chars(r);
    size_t len = r->tok->len;
    for (size_t i = 0; i < G_N_ELEMENTS(char_names); i++) {
        const char *s = char_names[i].name;
        size_t k = 0;
        while (k < len && s[k] && c[k] == (uint32_t)(unsigned char)s[k])
            k++;
        if (k == len && s[k] == 0) {
            *out = char_names[i].cp;
            return true;
        }
    }
    return (c[0] == 'x' || c[0] == 'X') && parse_hex(c + 1, len - 1, out);
}

/* After #\ : one character, then more only when it was not a delimiter,
 * so #\( and #\space both work. */
static Kind read_char(Reader *r, TmValue *out)
{
    int32_t c = next(r);
    if (c < 0)
        return fail(r, "bad char name: end of input after #\\");
    tok_reset(r);
    tok_add(r, (uint32_t)c);
    if (!is_delimiter(c))
        collect(r);
    uint32_t cp = (uint32_t)c;
    if (r->tok->len > 1 && !char_by_name(r, &cp)) {
        char *t = tok_text(r);
        fail(r, "bad char name #\\%s", t);
        g_free(t);
        return K_ERROR;
    }
    *out = tm_char(cp);
    return K_VALUE;
}

/* ---- # syntax ---------------------------------------------------------- */

/* After #! : Gambit's special objects and the R7RS case directives.
 * "#!/..." is a script's first line and reads as a comment. */
static Kind read_directive(Reader *r, TmValue *out)
{
    static const struct {
        const char *name;
        TmValue value;
    } objs[] = {
        { "optional", TM_OPTIONAL }, { "rest", TM_REST }, { "key", TM_KEY },
        { "eof", TM_EOF }, { "default", TM_DEFAULT }, { "void", TM_VOID },
    };
    if (peek(r) == '/') {
        while (peek(r) >= 0 && peek(r) != '\n')
            next(r);
        return K_NONE;
    }
    tok_reset(r);
    collect(r);
    for (size_t i = 0; i < G_N_ELEMENTS(objs); i++)
        if (tok_is(r, 0, objs[i].name)) {
            *out = objs[i].value;
            return K_VALUE;
        }
    if (tok_is(r, 0, "fold-case") || tok_is(r, 0, "no-fold-case"))
        return K_NONE;
    char *t = tok_text(r);
    fail(r, "bad # syntax #!%s", t);
    g_free(t);
    return K_ERROR;
}

/* #| ... |# comments nest. */
static Kind skip_block_comment(Reader *r)
{
    int depth = 1;
    while (depth > 0) {
        int32_t c = next(r);
        if (c < 0)
            return fail(r, "unterminated #| comment");
        if (c == '|' && peek(r) == '#') {
            next(r);
            depth--;
        } else if (c == '#' && peek(r) == '|') {
            next(r);
            depth++;
        }
    }
    return K_NONE;
}

/* A token that starts with '#' and is not a special form: booleans,
 * #u8( and numbers with a prefix (#x1F, #e1.5). */
static Kind read_hash_token(Reader *r, TmValue *out)
{
    tok_reset(r);
    tok_add(r, '#');
    collect(r);
    if (tok_is(r, 1, "t") || tok_is(r, 1, "true")) {
        *out = TM_TRUE;
        return K_VALUE;
    }
    if (tok_is(r, 1, "f") || tok_is(r, 1, "false")) {
        *out = TM_FALSE;
        return K_VALUE;
    }
    if (tok_is(r, 1, "u8") && peek(r) == '(') {
        next(r);
        return push(r, F_BYTES, TM_NIL, 0);
    }
    TmValue v = tm_num_parse(r->n, tok_chars(r), r->tok->len, 10);
    if (v == TM_EXC)
        return K_ERROR;
    if (v != TM_FALSE) {
        *out = v;
        return K_VALUE;
    }
    char *t = tok_text(r);
    fail(r, "bad # syntax %s", t);
    g_free(t);
    return K_ERROR;
}

static Kind read_hash(Reader *r, TmValue *out)
{
    int32_t c = peek(r);
    if (c >= '0' && c <= '9')
        return read_label(r, out);
    switch (c) {
    case '(': next(r); return push(r, F_VECTOR, TM_NIL, 0);
    case '|': next(r); return skip_block_comment(r);
    case ';': next(r); return push(r, F_SKIP, TM_NIL, 0);
    case '\\': next(r); return read_char(r, out);
    case '!': next(r); return read_directive(r, out);
    }
    return read_hash_token(r, out);
}

/* ---- atoms ------------------------------------------------------------- */

/* Only these can start a number without a # prefix. */
static bool number_start(uint32_t c)
{
    return (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

/* `name:` with a single trailing colon (not `:` alone, not `a::`). */
static bool is_keyword_token(const uint32_t *c, size_t len)
{
    return len >= 2 && c[len - 1] == ':' && c[len - 2] != ':';
}

/* A token starting with c: the dot, a number, a keyword or a symbol. */
static Kind read_atom(Reader *r, int32_t c, TmValue *out)
{
    tok_reset(r);
    tok_add(r, (uint32_t)c);
    collect(r);
    const uint32_t *s = tok_chars(r);
    size_t len = r->tok->len;
    if (len == 1 && c == '.')
        return K_DOT;
    if (number_start(s[0])) {
        TmValue v = tm_num_parse(r->n, s, len, 10);
        if (v == TM_EXC)
            return K_ERROR;
        if (v != TM_FALSE) {
            *out = v;
            return K_VALUE;
        }
    }
    if (tok_has_nul(r))
        return fail(r, "symbol contains the character U+0000");
    if (is_keyword_token(s, len))
        *out = tok_intern(r, len - 1, true);
    else
        *out = tok_intern(r, len, false);
    return K_VALUE;
}

/* One lexical step: skip atmosphere, then read one item. */
static Kind lex(Reader *r, TmValue *out)
{
    skip_space(r);
    mark(r);
    int32_t c = next(r);
    switch (c) {
    case -1: return K_EOF;
    case '(': return push(r, F_LIST, TM_NIL, 0);
    case ')': return K_CLOSE;
    case '\'': return push(r, F_ABBREV, r->n->sym[TM_S_quote], 0);
    case '`': return push(r, F_ABBREV, r->n->sym[TM_S_quasiquote], 0);
    case ',':
        if (peek(r) != '@')
            return push(r, F_ABBREV, r->n->sym[TM_S_unquote], 0);
        next(r);
        return push(r, F_ABBREV, r->n->sym[TM_S_unquote_splicing], 0);
    case '"': return read_string(r, out);
    case '|': return read_bar_symbol(r, out);
    case '#': return read_hash(r, out);
    }
    return read_atom(r, c, out);
}

/* ---- the parser -------------------------------------------------------- */

static Kind add_to_list(Reader *r, Frame *f, TmValue v)
{
    if (f->dot == 2)
        return fail(r, "dot in wrong place: more than one datum after '.'");
    if (f->dot == 1) {
        tm_write(r->n, f->tail, 1, v);
        f->dot = 2;
    } else {
        append(r, f, v);
    }
    return K_NONE;
}

static Kind add_byte(Reader *r, Frame *f, TmValue v)
{
    if (!tm_is_fixnum(v) || tm_fixval(v) < 0 || tm_fixval(v) > 255)
        return fail(r, "bytevector element is not an integer from 0 to 255");
    append(r, f, v);
    return K_NONE;
}

/* Hand a complete datum to the innermost open construct; abbreviations
 * and labels complete with it and pass the result outward.  K_VALUE
 * means the datum is the whole result of the read. */
static Kind deliver(Reader *r, TmValue *v)
{
    while (r->stack->len > 0) {
        Frame *f = top(r);
        switch (f->kind) {
        case F_LIST: return add_to_list(r, f, *v);
        case F_VECTOR: append(r, f, *v); return K_NONE;
        case F_BYTES: return add_byte(r, f, *v);
        case F_SKIP: pop(r); return K_NONE;
        case F_ABBREV:
            *v = tm_list2(r->n, f->head, *v);
            record_pos(r, *v, f->line, f->col);
            break;
        case F_LABEL:
            if (finish_label(r, f, *v) == K_ERROR)
                return K_ERROR;
            break;
        }
        pop(r);
    }
    return K_VALUE;
}

static TmValue bytes_from_list(TmNode *n, TmValue l)
{
    ptrdiff_t len = tm_list_length(l);
    uint8_t *buf = g_malloc(len > 0 ? (size_t)len : 1);
    for (ptrdiff_t i = 0; i < len; i++, l = tm_cdr(l))
        buf[i] = (uint8_t)tm_fixval(tm_car(l));
    TmValue b = tm_make_bytevector(n, (size_t)len, buf);
    g_free(buf);
    return b;
}

/* ')' closes the innermost construct, which must be a list, vector or
 * bytevector. */
static Kind close_frame(Reader *r, TmValue *out)
{
    if (r->stack->len == 0)
        return fail(r, "unexpected ')'");
    Frame *f = top(r);
    switch (f->kind) {
    case F_LIST:
        if (f->dot == 1)
            return fail(r, "dot in wrong place: no datum after '.'");
        *out = f->head;
        break;
    case F_VECTOR: *out = tm_list_to_vector(r->n, f->head); break;
    case F_BYTES: *out = bytes_from_list(r->n, f->head); break;
    default:
        return fail(r, "unexpected ')' in %s started at %d:%d",
                    frame_name(f->kind), f->line, f->col);
    }
    pop(r);
    return K_VALUE;
}

/* A '.' is only allowed after the first element of a list. */
static Kind take_dot(Reader *r)
{
    Frame *f = r->stack->len ? top(r) : NULL;
    if (!f || f->kind != F_LIST || f->head == TM_NIL || f->dot != 0)
        return fail(r, "dot in wrong place");
    f->dot = 1;
    return K_NONE;
}

static TmValue at_eof(Reader *r)
{
    if (r->stack->len == 0)
        return TM_EOF;
    Frame *f = top(r);
    if (f->kind == F_LIST || f->kind == F_VECTOR || f->kind == F_BYTES)
        fail(r, "unterminated %s starting at %d:%d", frame_name(f->kind),
             f->line, f->col);
    else
        fail(r, "end of input in %s started at %d:%d", frame_name(f->kind),
             f->line, f->col);
    return TM_EXC;
}

static TmValue read_datum(Reader *r)
{
    for (;;) {
        TmValue v = TM_VOID;
        Kind k = lex(r, &v);
        if (k == K_EOF)
            return at_eof(r);
        if (k == K_CLOSE)
            k = close_frame(r, &v);
        else if (k == K_DOT)
            k = take_dot(r);
        if (k == K_VALUE)
            k = deliver(r, &v);
        if (k == K_ERROR)
            return TM_EXC;
        if (k == K_VALUE)
            return v;
    }
}

TmValue tm_read(TmNode *n, TmValue port, TmSourceMap *map)
{
    if (!tm_is_port(port) || tm_port(port)->binary)
        return tm_type_error(n, "read", 1, "textual input port", port);
    Reader r = { .n = n, .p = tm_port(port), .map = map };
    r.stack = g_array_new(FALSE, FALSE, sizeof(Frame));
    r.tok = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    TmValue v = read_datum(&r);
    g_array_free(r.stack, TRUE);
    g_array_free(r.tok, TRUE);
    if (r.labels)
        g_hash_table_destroy(r.labels);
    return v;
}

/* ---- source maps ------------------------------------------------------- */

TmSourceMap *tm_source_map_new(const char *file)
{
    TmSourceMap *m = g_new0(TmSourceMap, 1);
    m->pos = g_hash_table_new(g_direct_hash, g_direct_equal);
    m->file = g_strdup(file);
    return m;
}

void tm_source_map_free(TmSourceMap *m)
{
    if (!m)
        return;
    g_hash_table_destroy(m->pos);
    g_free((char *)m->file);
    g_free(m);
}

bool tm_source_map_lookup(TmSourceMap *m, TmValue pair, int *line, int *col)
{
    gpointer v;
    if (!m || !tm_is_obj(pair) ||
        !g_hash_table_lookup_extended(m->pos, tm_obj(pair), NULL, &v))
        return false;
    gsize p = GPOINTER_TO_SIZE(v);
    *line = (int)(p >> 20);
    *col = (int)(p & POS_COL_MASK);
    return true;
}
