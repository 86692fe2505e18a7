/*
 * printer.c — external representations for `display` and `write`, the
 * short form used by error messages, and the pretty printer behind `pp`.
 *
 * The printer never recurses: it runs a stack of small tasks ("print this
 * value", "print the rest of this list"), so neither long nor deep data
 * can overflow the C stack.  A pre-pass finds the compound values (pairs,
 * vectors, boxes, records) that get datum labels #n= / #n#: for `write`
 * and `display` those that lie on a cycle, and only those, as R7RS
 * requires (mere sharing is printed twice); for `write-shared` every one
 * met more than once; for `write-simple` none (it refuses cyclic data).
 */
#include "num.h"
#include "port.h"
#include "printer.h"
#include "process.h"

#define PRETTY_WIDTH 79

typedef enum {
    T_VALUE,     /* print v */
    T_TEXT,      /* append text */
    T_CLOSE,     /* append ")" closing a group */
    T_LIST_TAIL, /* print list tail v: " elt ...)" or " . x)" or ")" */
    T_ELEMS,     /* print slots i.. of vector or values v, then close */
    T_FIELDS,    /* print fields i.. of record v, then ">" */
    T_IRRITANTS  /* print list v as " irritant ...", then ">" */
} TaskKind;

typedef struct {
    TaskKind kind;
    TmValue v;
    size_t i;
    const char *text;
} Task;

/* Marks the pretty printer places in the flat output. */
typedef enum { EV_OPEN, EV_BREAK, EV_CLOSE } EventKind;
typedef struct {
    EventKind kind;
    bool sym_head;  /* EV_OPEN: the list's first element is a symbol */
    uint8_t open_len; /* EV_OPEN: length of "(" or "#(" or "#u8(" */
    size_t pos;     /* byte offset in the flat output */
} Event;

typedef struct {
    TmNode *n;
    GString *out;
    TmPrintMode mode;
    size_t limit;         /* stop once out->len exceeds it; 0: never */
    GHashTable *labels;   /* TmObj* on a cycle -> -1, or its printed label */
    int next_label;
    GArray *todo;         /* Task, the next one last */
    GArray *events;       /* Event, for the pretty printer, or NULL */
} Printer;

/* ---- finding cycles and shared structure ------------------------------- */

/* Objects the printer descends into, and so the ones a cycle can pass and
 * the ones write-shared labels.  Strings and bytevectors are atoms here:
 * R7RS asks labels for pairs and vectors, and the identity of an immutable
 * string is not worth a label. */
static bool is_compound(TmValue v)
{
    if (!tm_is_obj(v))
        return false;
    switch (tm_obj_type(v)) {
    case TM_T_PAIR: case TM_T_VECTOR: case TM_T_BOX: case TM_T_RECORD:
    case TM_T_ERROR: case TM_T_VALUES:
        return true;
    default:
        return false;
    }
}

static size_t child_count(TmValue v)
{
    switch (tm_obj_type(v)) {
    case TM_T_PAIR: return 2;
    case TM_T_BOX: return 1;
    case TM_T_ERROR: return 2;
    case TM_T_RECORD: return tm_obj_size(v) - 1;
    default: return tm_obj_size(v);
    }
}

static TmValue child(TmValue v, size_t i)
{
    switch (tm_obj_type(v)) {
    case TM_T_ERROR: return TM_SLOT(v, i ? TM_ERR_IRRITANTS : TM_ERR_MESSAGE);
    case TM_T_RECORD: return TM_SLOT(v, i + 1);
    default: return TM_SLOT(v, i);
    }
}

typedef struct {
    TmValue obj;
    size_t next;
} Visit;

enum { GRAY = 1, BLACK = 2 };

/* Depth-first search with three colours: an edge to an object still on
 * the path (gray) closes a cycle, and its target gets a label.  Every
 * cycle contains such an edge, so labelled objects cut every cycle, and
 * black objects need no second visit, which keeps this linear.  With
 * `shared`, an edge to a black object (one reached before by another
 * path) labels its target too, so every object met twice gets a label.
 * `budget` bounds the visits when the output is bounded anyway (0: no
 * bound).  Returns true when a label was placed. */
static bool find_labels(Printer *pr, TmValue root, bool shared, size_t budget)
{
    GHashTable *color = g_hash_table_new(g_direct_hash, g_direct_equal);
    GArray *path = g_array_new(FALSE, FALSE, sizeof(Visit));
    Visit first = { root, 0 };
    bool found = false;
    g_array_append_val(path, first);
    g_hash_table_insert(color, tm_obj(root), GINT_TO_POINTER(GRAY));
    for (size_t steps = 0; path->len > 0 && (!budget || steps < budget);
         steps++) {
        Visit *t = &g_array_index(path, Visit, path->len - 1);
        if (t->next == child_count(t->obj)) {
            g_hash_table_insert(color, tm_obj(t->obj), GINT_TO_POINTER(BLACK));
            g_array_set_size(path, path->len - 1);
            continue;
        }
        TmValue c = child(t->obj, t->next++);
        if (!is_compound(c))
            continue;
        int col = GPOINTER_TO_INT(g_hash_table_lookup(color, tm_obj(c)));
        if (col == GRAY || (shared && col == BLACK)) {
            g_hash_table_insert(pr->labels, tm_obj(c), GINT_TO_POINTER(-1));
            found = true;
        } else if (col == 0) {
            Visit v = { c, 0 };
            g_hash_table_insert(color, tm_obj(c), GINT_TO_POINTER(GRAY));
            g_array_append_val(path, v);
        }
    }
    g_array_free(path, TRUE);
    g_hash_table_destroy(color);
    return found;
}

static bool is_labelled(Printer *pr, TmValue v)
{
    return g_hash_table_contains(pr->labels, tm_obj(v));
}

/* Before printing a compound: "#k#" and true when it was printed
 * already; "#k=" when it is on a cycle and printed for the first time. */
static bool emit_label(Printer *pr, TmValue v)
{
    gpointer val;
    if (!g_hash_table_lookup_extended(pr->labels, tm_obj(v), NULL, &val))
        return false;
    int k = GPOINTER_TO_INT(val);
    if (k >= 0) {
        g_string_append_printf(pr->out, "#%d#", k);
        return true;
    }
    k = pr->next_label++;
    g_hash_table_insert(pr->labels, tm_obj(v), GINT_TO_POINTER(k));
    g_string_append_printf(pr->out, "#%d=", k);
    return false;
}

/* ---- tasks and output ------------------------------------------------ */

static void push(Printer *pr, TaskKind kind, TmValue v, size_t i,
                 const char *text)
{
    Task t = { kind, v, i, text };
    g_array_append_val(pr->todo, t);
}

static void event(Printer *pr, EventKind kind, bool sym_head, size_t open_len)
{
    if (!pr->events)
        return;
    Event e = { kind, sym_head, (uint8_t)open_len, pr->out->len };
    g_array_append_val(pr->events, e);
}

static void open_group(Printer *pr, const char *text, bool sym_head)
{
    event(pr, EV_OPEN, sym_head, strlen(text));
    g_string_append(pr->out, text);
}

static void close_group(Printer *pr)
{
    g_string_append_c(pr->out, ')');
    event(pr, EV_CLOSE, false, 0);
}

/* The space between two elements of a group, where pp may break. */
static void space(Printer *pr)
{
    event(pr, EV_BREAK, false, 0);
    g_string_append_c(pr->out, ' ');
}

/* ---- atoms ----------------------------------------------------------- */

/* Must agree with the reader's delimiters (reader.c). */
static bool is_delimiter(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v' || c == '(' || c == ')' || c == '"' || c == ';' ||
           c == '|' || (c >= 0x80 && g_unichar_isspace(c));
}

static bool is_control(uint32_t c)
{
    return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ||
           (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF;
}

static const struct {
    uint32_t cp;
    const char *name;
} char_names[] = {
    { 0, "null" },    { 7, "alarm" },    { 8, "backspace" },
    { 9, "tab" },     { 10, "newline" }, { 13, "return" },
    { 27, "escape" }, { 32, "space" },   { 127, "delete" },
};

static void print_char(Printer *pr, uint32_t c)
{
    if (pr->mode == TM_PRINT_DISPLAY) {
        tm_utf8_append_char(pr->out, c);
        return;
    }
    g_string_append(pr->out, "#\\");
    for (size_t i = 0; i < G_N_ELEMENTS(char_names); i++)
        if (char_names[i].cp == c) {
            g_string_append(pr->out, char_names[i].name);
            return;
        }
    if (is_control(c) || g_unichar_isspace(c) || !g_unichar_isprint(c))
        g_string_append_printf(pr->out, "x%x", c);
    else
        tm_utf8_append_char(pr->out, c);
}

/* One character inside "..." or |...| (write mode), `quote` being the
 * delimiter that needs a backslash. */
static void print_escaped(GString *out, uint32_t c, uint32_t quote)
{
    switch (c) {
    case '\\': g_string_append(out, "\\\\"); return;
    case '\n': g_string_append(out, "\\n"); return;
    case '\t': g_string_append(out, "\\t"); return;
    case '\r': g_string_append(out, "\\r"); return;
    }
    if (c == quote) {
        g_string_append_c(out, '\\');
        g_string_append_c(out, (char)c);
    } else if (is_control(c)) {
        g_string_append_printf(out, "\\x%X;", c);
    } else {
        tm_utf8_append_char(out, c);
    }
}

static void print_string(Printer *pr, TmValue s)
{
    if (pr->mode == TM_PRINT_DISPLAY) {
        tm_string_append_utf8(pr->out, s);
        return;
    }
    const uint32_t *c = tm_string_chars(s);
    size_t len = tm_string_length(s);
    g_string_append_c(pr->out, '"');
    for (size_t i = 0; i < len; i++)
        print_escaped(pr->out, c[i], '"');
    g_string_append_c(pr->out, '"');
}

/* Would the name read back as something other than this symbol?  Then
 * `write` puts it between bars. */
static bool needs_bars(TmNode *n, const uint32_t *c, size_t len)
{
    if (len == 0 || (len == 1 && c[0] == '.'))
        return true;
    for (size_t i = 0; i < len; i++)
        if (is_delimiter(c[i]) || is_control(c[i]))
            return true;
    if (c[0] == '#' || c[0] == '\'' || c[0] == '`' || c[0] == ',')
        return true;
    if (len >= 2 && c[len - 1] == ':' && c[len - 2] != ':')
        return true; /* would read as a keyword */
    bool numeric = (c[0] >= '0' && c[0] <= '9') || c[0] == '+' ||
                   c[0] == '-' || c[0] == '.';
    return numeric && tm_num_parse(n, c, len, 10) != TM_FALSE;
}

static void print_symbol(Printer *pr, TmValue sym)
{
    TmValue name = tm_symbol_name(sym);
    const uint32_t *c = tm_string_chars(name);
    size_t len = tm_string_length(name);
    if (pr->mode == TM_PRINT_DISPLAY || !needs_bars(pr->n, c, len)) {
        tm_string_append_utf8(pr->out, name);
        return;
    }
    g_string_append_c(pr->out, '|');
    for (size_t i = 0; i < len; i++)
        print_escaped(pr->out, c[i], '|');
    g_string_append_c(pr->out, '|');
}

static void print_bytevector(Printer *pr, TmValue b)
{
    const uint8_t *d = tm_bytevector_data(b);
    size_t len = tm_bytevector_length(b);
    open_group(pr, "#u8(", false);
    for (size_t i = 0; i < len; i++) {
        if (i > 0)
            space(pr);
        g_string_append_printf(pr->out, "%u", d[i]);
    }
    close_group(pr);
}

static const char *special_name(TmValue v)
{
    switch (v) {
    case TM_FALSE: return "#f";
    case TM_TRUE: return "#t";
    case TM_NIL: return "()";
    case TM_EOF: return "#!eof";
    case TM_VOID: return "#!void";
    case TM_DEFAULT: return "#!default";
    case TM_UNBOUND: return "#!unbound";
    case TM_EXC: return "#!exception";
    case TM_OPTIONAL: return "#!optional";
    case TM_REST: return "#!rest";
    case TM_KEY: return "#!key";
    case TM_UNASSIGNED: return "#!unassigned";
    }
    return NULL;
}

static void print_immediate(Printer *pr, TmValue v)
{
    const char *s = special_name(v);
    if (tm_is_char(v))
        print_char(pr, tm_charval(v));
    else if (s)
        g_string_append(pr->out, s);
    else
        g_string_append_printf(pr->out, "#<immediate %#" G_GINT64_MODIFIER "x>",
                               (guint64)v);
}

/* A symbol's name for #<...> forms, or nothing when v is no symbol. */
static void append_name(Printer *pr, TmValue v)
{
    if (tm_is_symbol(v)) {
        g_string_append_c(pr->out, ' ');
        tm_string_append_utf8(pr->out, tm_symbol_name(v));
    }
}

static void print_procedure(Printer *pr, TmValue v)
{
    g_string_append(pr->out, "#<procedure");
    if (tm_is_closure(v) && tm_is_code(tm_closure_code(v)))
        append_name(pr, TM_SLOT(tm_closure_code(v), TM_CODE_NAME));
    else if (tm_is_primitive(v))
        append_name(pr, TM_SLOT(v, 1));
    g_string_append_c(pr->out, '>');
}

/* "#<point" for a record type named point or <point>. */
static void print_record_head(Printer *pr, TmValue rec)
{
    TmValue type = TM_SLOT(rec, 0);
    g_string_append(pr->out, "#<");
    if (!tm_has_type(type, TM_T_RECORD_TYPE) ||
        !tm_is_symbol(TM_SLOT(type, TM_RT_NAME))) {
        g_string_append(pr->out, "record");
        return;
    }
    TmValue name = tm_symbol_name(TM_SLOT(type, TM_RT_NAME));
    const uint32_t *c = tm_string_chars(name);
    size_t len = tm_string_length(name);
    bool angled = len > 2 && c[0] == '<' && c[len - 1] == '>';
    for (size_t i = angled; i < len - angled; i++)
        tm_utf8_append_char(pr->out, c[i]);
}

/* The name of field i (1-based slot) of a record, or NULL. */
static TmValue field_name(TmValue rec, size_t i)
{
    TmValue type = TM_SLOT(rec, 0);
    if (!tm_has_type(type, TM_T_RECORD_TYPE))
        return TM_FALSE;
    TmValue fields = TM_SLOT(type, TM_RT_FIELDS);
    if (!tm_is_vector(fields) || i - 1 >= tm_vector_length(fields))
        return TM_FALSE;
    TmValue f = tm_vector_ref(fields, i - 1);
    if (tm_is_pair(f))
        f = tm_car(f);
    return tm_is_symbol(f) ? f : TM_FALSE;
}

/* #<pid 3> for a process of this node, #<pid 3@host:port> for one of
 * another node.  Process numbers count spawns from 0 (the main process),
 * so they are the same from run to run; the node's incarnation is left
 * out since it is drawn at random. */
static void print_pid(Printer *pr, TmValue pid)
{
    TmValue num = TM_SLOT(pid, TM_PID_NUMBER), node = TM_SLOT(pid, TM_PID_NODE);
    g_string_append(pr->out, "#<pid ");
    if (tm_is_fixnum(num))
        g_string_append_printf(pr->out, "%" G_GINTPTR_FORMAT, tm_fixval(num));
    else
        g_string_append_c(pr->out, '?');
    if (node != pr->n->sched.self_node && tm_has_type(node, TM_T_NODEREF)) {
        g_string_append_c(pr->out, '@');
        tm_node_address(node, pr->out);
    }
    g_string_append_c(pr->out, '>');
}

static void print_other(Printer *pr, TmValue v)
{
    switch (tm_obj_type(v)) {
    case TM_T_CONTINUATION: g_string_append(pr->out, "#<continuation>"); break;
    case TM_T_PARAMETER: g_string_append(pr->out, "#<parameter>"); break;
    case TM_T_PROMISE: g_string_append(pr->out, "#<promise>"); break;
    case TM_T_PORT: g_string_append(pr->out, "#<port>"); break;
    case TM_T_ENVIRONMENT: g_string_append(pr->out, "#<environment>"); break;
    case TM_T_PID: print_pid(pr, v); break;
    case TM_T_TAG: g_string_append(pr->out, "#<tag>"); break;
    case TM_T_NODEREF:
        g_string_append(pr->out, "#<node ");
        tm_node_address(v, pr->out);
        g_string_append_c(pr->out, '>');
        break;
    case TM_T_PROCESS: g_string_append(pr->out, "#<process>"); break;
    case TM_T_MACRO: g_string_append(pr->out, "#<macro>"); break;
    case TM_T_FRAME: g_string_append(pr->out, "#<frame>"); break;
    case TM_T_CODE:
        g_string_append(pr->out, "#<code");
        append_name(pr, TM_SLOT(v, TM_CODE_NAME));
        g_string_append_c(pr->out, '>');
        break;
    case TM_T_RECORD_TYPE:
        g_string_append(pr->out, "#<record-type");
        append_name(pr, TM_SLOT(v, TM_RT_NAME));
        g_string_append_c(pr->out, '>');
        break;
    default:
        g_string_append_printf(pr->out, "#<%s>", tm_type_name(v));
        break;
    }
}

/* ---- compound values ------------------------------------------------- */

/* (quote x) and friends print as 'x, unless the abbreviation would hide
 * a label on the second pair. */
static const char *abbreviation(Printer *pr, TmValue p)
{
    TmValue h = tm_car(p), rest = tm_cdr(p);
    if (!tm_is_symbol(h) || !tm_is_pair(rest) || tm_cdr(rest) != TM_NIL ||
        is_labelled(pr, rest))
        return NULL;
    const TmValue *s = pr->n->sym;
    return h == s[TM_S_quote] ? "'"
         : h == s[TM_S_quasiquote] ? "`"
         : h == s[TM_S_unquote] ? ","
         : h == s[TM_S_unquote_splicing] ? ",@" : NULL;
}

/* Does x print starting with '@'?  Then ",x" would read as ",@". */
static bool starts_with_at(TmValue x)
{
    if (tm_has_type(x, TM_T_IDENT))
        x = TM_SLOT(x, 0);
    if (!tm_is_symbol(x) && !tm_is_keyword(x))
        return false;
    TmValue name = TM_SLOT(x, 0);
    return tm_string_length(name) > 0 && tm_string_chars(name)[0] == '@';
}

static void print_pair(Printer *pr, TmValue p)
{
    const char *abbrev = abbreviation(pr, p);
    if (abbrev && abbrev[0] == ',' && !abbrev[1] && starts_with_at(tm_cadr(p)))
        abbrev = ", ";
    if (abbrev) {
        g_string_append(pr->out, abbrev);
        push(pr, T_VALUE, tm_cadr(p), 0, NULL);
        return;
    }
    open_group(pr, "(", tm_is_symbol(tm_car(p)));
    push(pr, T_LIST_TAIL, tm_cdr(p), 0, NULL);
    push(pr, T_VALUE, tm_car(p), 0, NULL);
}

/* The rest of a list after an element.  A labelled pair in the cdr must
 * be printed as a dotted tail so that its label has a place. */
static void print_list_tail(Printer *pr, TmValue x)
{
    if (x == TM_NIL) {
        close_group(pr);
    } else if (tm_is_pair(x) && !is_labelled(pr, x)) {
        space(pr);
        push(pr, T_LIST_TAIL, tm_cdr(x), 0, NULL);
        push(pr, T_VALUE, tm_car(x), 0, NULL);
    } else {
        space(pr);
        g_string_append(pr->out, ". ");
        push(pr, T_CLOSE, TM_NIL, 0, NULL);
        push(pr, T_VALUE, x, 0, NULL);
    }
}

/* Slots i.. of a vector (closed by ")") or of multiple values (by ""). */
static void print_elems(Printer *pr, TmValue v, size_t i, const char *close)
{
    if (i >= tm_obj_size(v)) {
        if (*close)
            close_group(pr);
        return;
    }
    if (i > 0)
        space(pr);
    push(pr, T_ELEMS, v, i + 1, close);
    push(pr, T_VALUE, TM_SLOT(v, i), 0, NULL);
}

static void print_fields(Printer *pr, TmValue rec, size_t i)
{
    if (i >= tm_obj_size(rec)) {
        g_string_append_c(pr->out, '>');
        return;
    }
    TmValue name = field_name(rec, i);
    g_string_append_c(pr->out, ' ');
    if (name != TM_FALSE) {
        tm_string_append_utf8(pr->out, tm_symbol_name(name));
        g_string_append(pr->out, ": ");
    }
    push(pr, T_FIELDS, rec, i + 1, NULL);
    push(pr, T_VALUE, TM_SLOT(rec, i), 0, NULL);
}

static void print_irritants(Printer *pr, TmValue l)
{
    if (!tm_is_pair(l)) {
        g_string_append_c(pr->out, '>');
        return;
    }
    g_string_append_c(pr->out, ' ');
    push(pr, T_IRRITANTS, tm_cdr(l), 0, NULL);
    push(pr, T_VALUE, tm_car(l), 0, NULL);
}

/* #<error "message" irritant ...>: the message is always written. */
static void print_error(Printer *pr, TmValue e)
{
    TmValue msg = TM_SLOT(e, TM_ERR_MESSAGE);
    g_string_append(pr->out, "#<error ");
    if (tm_is_string(msg)) {
        TmPrintMode mode = pr->mode;
        pr->mode = TM_PRINT_WRITE;
        print_string(pr, msg);
        pr->mode = mode;
        push(pr, T_IRRITANTS, TM_SLOT(e, TM_ERR_IRRITANTS), 0, NULL);
    } else {
        push(pr, T_IRRITANTS, TM_SLOT(e, TM_ERR_IRRITANTS), 0, NULL);
        push(pr, T_VALUE, msg, 0, NULL);
    }
}

static void print_object(Printer *pr, TmValue v)
{
    if (is_compound(v) && emit_label(pr, v))
        return;
    switch (tm_obj_type(v)) {
    case TM_T_FLONUM: case TM_T_BIGNUM: case TM_T_RATNUM:
        tm_num_format(pr->n, v, 10, pr->out);
        break;
    case TM_T_STRING: print_string(pr, v); break;
    case TM_T_BYTEVECTOR: print_bytevector(pr, v); break;
    case TM_T_SYMBOL: print_symbol(pr, v); break;
    case TM_T_KEYWORD:
        tm_string_append_utf8(pr->out, TM_SLOT(v, 0));
        g_string_append_c(pr->out, ':');
        break;
    case TM_T_IDENT: push(pr, T_VALUE, TM_SLOT(v, 0), 0, NULL); break;
    case TM_T_PAIR: print_pair(pr, v); break;
    case TM_T_VECTOR:
        open_group(pr, "#(", false);
        print_elems(pr, v, 0, ")");
        break;
    case TM_T_VALUES: print_elems(pr, v, 0, ""); break;
    case TM_T_BOX:
        g_string_append(pr->out, "#&");
        push(pr, T_VALUE, TM_SLOT(v, 0), 0, NULL);
        break;
    case TM_T_RECORD:
        print_record_head(pr, v);
        print_fields(pr, v, 1);
        break;
    case TM_T_ERROR: print_error(pr, v); break;
    case TM_T_CLOSURE: case TM_T_PRIMITIVE: print_procedure(pr, v); break;
    default: print_other(pr, v); break;
    }
}

static void print_value(Printer *pr, TmValue v)
{
    if (tm_is_fixnum(v))
        g_string_append_printf(pr->out, "%" G_GINTPTR_FORMAT, tm_fixval(v));
    else if (tm_is_imm(v))
        print_immediate(pr, v);
    else
        print_object(pr, v);
}

static void run(Printer *pr)
{
    while (pr->todo->len > 0) {
        if (pr->limit && pr->out->len > pr->limit)
            return;
        Task t = g_array_index(pr->todo, Task, pr->todo->len - 1);
        g_array_set_size(pr->todo, pr->todo->len - 1);
        switch (t.kind) {
        case T_VALUE: print_value(pr, t.v); break;
        case T_TEXT: g_string_append(pr->out, t.text); break;
        case T_CLOSE: close_group(pr); break;
        case T_LIST_TAIL: print_list_tail(pr, t.v); break;
        case T_ELEMS: print_elems(pr, t.v, t.i, t.text); break;
        case T_FIELDS: print_fields(pr, t.v, t.i); break;
        case T_IRRITANTS: print_irritants(pr, t.v); break;
        }
    }
}

/* Print v into out.  With a limit the output stops soon after `limit`
 * bytes; every compound prints at least one byte, so a cycle the
 * bounded pre-pass missed still terminates.  In write-simple mode a
 * cyclic v prints nothing and the result is false: without labels its
 * output would never end. */
static bool print_root(TmNode *n, TmValue v, TmPrintMode mode, GString *out,
                       size_t limit, GArray *events)
{
    Printer pr = { .n = n, .out = out, .mode = mode, .limit = limit,
                   .events = events };
    pr.labels = g_hash_table_new(g_direct_hash, g_direct_equal);
    bool labelled = is_compound(v) &&
                    find_labels(&pr, v, mode == TM_PRINT_WRITE_SHARED,
                                limit ? 4 * limit + 1024 : 0);
    bool ok = !(labelled && mode == TM_PRINT_WRITE_SIMPLE);
    if (ok) {
        pr.todo = g_array_new(FALSE, FALSE, sizeof(Task));
        push(&pr, T_VALUE, v, 0, NULL);
        run(&pr);
        g_array_free(pr.todo, TRUE);
    }
    g_hash_table_destroy(pr.labels);
    return ok;
}

bool tm_print(TmNode *n, TmValue v, TmPrintMode mode, GString *out)
{
    return print_root(n, v, mode, out, 0, NULL);
}

char *tm_print_short(TmNode *n, TmValue v, size_t max_len)
{
    GString *out = g_string_new(NULL);
    print_root(n, v, TM_PRINT_WRITE, out, max_len, NULL);
    if (max_len && out->len > max_len) {
        size_t cut = max_len;
        while (cut > 0 && ((guchar)out->str[cut] & 0xC0) == 0x80)
            cut--; /* do not split a UTF-8 sequence */
        g_string_truncate(out, cut);
        g_string_append(out, "...");
    }
    return g_string_free(out, FALSE);
}

/* ---- pretty printing ------------------------------------------------- */

/* A group (list, vector) that did not fit on its line: its elements go
 * one per line at `indent`; a list headed by a symbol keeps its first
 * argument on the head's line (`hang`). */
typedef struct {
    size_t indent;
    bool hang;
} Group;

/* Columns of a byte range of UTF-8 text. */
static size_t columns(const char *s, size_t len)
{
    size_t k = 0;
    for (size_t i = 0; i < len; i++)
        k += ((guchar)s[i] & 0xC0) != 0x80;
    return k;
}

/* For each EV_OPEN, the index of its EV_CLOSE. */
static size_t *match_groups(GArray *ev)
{
    size_t *match = g_new0(size_t, ev->len + 1);
    GArray *open = g_array_new(FALSE, FALSE, sizeof(size_t));
    for (size_t i = 0; i < ev->len; i++) {
        EventKind k = g_array_index(ev, Event, i).kind;
        if (k == EV_OPEN) {
            g_array_append_val(open, i);
        } else if (k == EV_CLOSE && open->len > 0) {
            match[g_array_index(open, size_t, open->len - 1)] = i;
            g_array_set_size(open, open->len - 1);
        }
    }
    g_array_free(open, TRUE);
    return match;
}

typedef struct {
    const GString *flat;
    GArray *ev;
    size_t *match;
    GString *out;
    GArray *groups;  /* Group: the broken groups around the position */
    size_t pos;      /* next byte of flat to copy */
    size_t col;      /* column of the output */
} Layout;

static void copy_to(Layout *l, size_t end)
{
    g_string_append_len(l->out, l->flat->str + l->pos, (gssize)(end - l->pos));
    l->col += columns(l->flat->str + l->pos, end - l->pos);
    l->pos = end;
}

/* At a group's opening: copy it flat when it fits, else break it.  Groups
 * nested so deep that their indentation would leave no room stay flat,
 * so the output stays linear in the flat size.  Returns the index of the
 * last event consumed. */
static size_t layout_open(Layout *l, size_t i)
{
    const Event *e = &g_array_index(l->ev, Event, i);
    size_t close = l->match[i];
    bool closed = close > i;
    size_t end = closed ? g_array_index(l->ev, Event, close).pos : l->flat->len;
    size_t width = columns(l->flat->str + e->pos, end - e->pos);
    if (!closed || l->col + width <= PRETTY_WIDTH ||
        l->col > PRETTY_WIDTH - 20) {
        copy_to(l, end);
        return closed ? close : l->ev->len;
    }
    Group g = { l->col + (e->sym_head ? 2 : e->open_len), e->sym_head };
    g_array_append_val(l->groups, g);
    return i;
}

static void layout_break(Layout *l)
{
    Group *g = l->groups->len
                   ? &g_array_index(l->groups, Group, l->groups->len - 1)
                   : NULL;
    if (!g || g->hang) {
        if (g)
            g->hang = false;
        return; /* the space stays */
    }
    l->pos++; /* skip the space */
    g_string_append_c(l->out, '\n');
    for (size_t k = 0; k < g->indent; k++)
        g_string_append_c(l->out, ' ');
    l->col = g->indent;
}

static void layout(const GString *flat, GArray *ev, GString *out)
{
    const char *nl = strrchr(out->str, '\n');
    const char *line = nl ? nl + 1 : out->str;
    Layout l = { flat, ev, match_groups(ev), out, NULL, 0, 0 };
    l.col = columns(line, out->len - (size_t)(line - out->str));
    l.groups = g_array_new(FALSE, FALSE, sizeof(Group));
    for (size_t i = 0; i < ev->len; i++) {
        const Event *e = &g_array_index(ev, Event, i);
        copy_to(&l, e->pos);
        if (e->kind == EV_OPEN)
            i = layout_open(&l, i);
        else if (e->kind == EV_BREAK)
            layout_break(&l);
        else if (l.groups->len > 0)
            g_array_set_size(l.groups, l.groups->len - 1);
    }
    copy_to(&l, flat->len);
    g_array_free(l.groups, TRUE);
    g_free(l.match);
}

void tm_print_pretty(TmNode *n, TmValue v, GString *out)
{
    GString *flat = g_string_new(NULL);
    GArray *ev = g_array_new(FALSE, FALSE, sizeof(Event));
    print_root(n, v, TM_PRINT_WRITE, flat, 0, ev);
    layout(flat, ev, out);
    g_array_free(ev, TRUE);
    g_string_free(flat, TRUE);
}
