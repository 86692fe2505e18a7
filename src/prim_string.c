/*
 * prim_string.c — primitives on characters, strings, symbols, keywords
 * and bytevectors (with Gambit's u8vector names as aliases).  Strings are
 * immutable arrays of Unicode code points; case mapping and character
 * classes come from GLib's Unicode tables.  Procedures that take a
 * procedure argument (string-map, string-for-each) are in lang/.
 */
#include "num.h"
#include "prims.h"

/* Longest string or bytevector a primitive makes on request: bigger
 * requests are bugs, and a failed allocation would abort the node. */
#define MAX_LENGTH ((size_t)1 << 28)

/* ---- arguments (the same conventions as prim_list.c) -------------------- */

/* Optional argument i, or dflt when left out (or passed as #!default). */
static TmValue opt(int argc, TmValue *argv, int i, TmValue dflt)
{
    return i < argc && argv[i] != TM_DEFAULT ? argv[i] : dflt;
}

/* "string-ref: index 10 out of range for string of length 3", with the
 * offending value as irritant when the message does not show it. */
static TmValue index_error(TmNode *n, const char *who, const char *role,
                           TmValue v, const char *what, size_t len)
{
    char *msg;
    if (tm_is_fixnum(v))
        msg = g_strdup_printf("%s %" G_GINTPTR_FORMAT
                              " out of range for %s of length %zu",
                              role, (gintptr)tm_fixval(v), what, len);
    else
        msg = g_strdup_printf("%s out of range for %s of length %zu",
                              role, what, len);
    /* an index the message shows is not repeated as an irritant */
    TmValue r = tm_error(n, who, msg, tm_is_fixnum(v) ? TM_NIL : tm_cons(n, v, TM_NIL));
    g_free(msg);
    return r;
}

/* An exact integer in [0, limit] (inclusive, so end positions pass). */
static bool get_bounded(TmNode *n, const char *who, int argno, const char *role,
                        TmValue v, size_t limit, const char *what, size_t *out)
{
    if (tm_is_fixnum(v) && tm_fixval(v) >= 0 && (size_t)tm_fixval(v) <= limit) {
        *out = (size_t)tm_fixval(v);
        return true;
    }
    if (tm_is_fixnum(v) || tm_is_bignum(v))
        index_error(n, who, role, v, what, limit);
    else
        tm_type_error(n, who, argno, "exact nonnegative integer", v);
    return false;
}

/* An index into a sequence of length len: [0, len). */
static bool get_index(TmNode *n, const char *who, int argno, TmValue v,
                      size_t len, const char *what, size_t *out)
{
    if (tm_is_fixnum(v) && tm_fixval(v) >= 0 && (size_t)tm_fixval(v) < len) {
        *out = (size_t)tm_fixval(v);
        return true;
    }
    if (tm_is_fixnum(v) || tm_is_bignum(v))
        index_error(n, who, "index", v, what, len);
    else
        tm_type_error(n, who, argno, "exact nonnegative integer", v);
    return false;
}

static int bignum_sign(TmValue big)
{
    mpz_t z;
    tm_bignum_view(big, z);
    return mpz_sgn(z);
}

/* A length asked of a constructor: [0, MAX_LENGTH]. */
static bool get_count(TmNode *n, const char *who, int argno, TmValue v,
                      size_t *out)
{
    if (tm_is_fixnum(v) && tm_fixval(v) >= 0 && (size_t)tm_fixval(v) <= MAX_LENGTH) {
        *out = (size_t)tm_fixval(v);
        return true;
    }
    if ((tm_is_fixnum(v) && tm_fixval(v) > 0) ||
        (tm_is_bignum(v) && bignum_sign(v) > 0))
        tm_errorf(n, who, "argument %d is too large (the limit is %zu)",
                  argno, MAX_LENGTH);
    else
        tm_type_error(n, who, argno, "exact nonnegative integer", v);
    return false;
}

/* The optional [start [end]] at argv[first], argv[first+1] over a
 * sequence of length len, with 0 <= start <= end <= len. */
static bool get_range(TmNode *n, const char *who, int argc, TmValue *argv,
                      int first, size_t len, const char *what,
                      size_t *start, size_t *end)
{
    TmValue s = opt(argc, argv, first, tm_fix(0));
    TmValue e = opt(argc, argv, first + 1, tm_fix((intptr_t)len));
    if (!get_bounded(n, who, first + 1, "start", s, len, what, start) ||
        !get_bounded(n, who, first + 2, "end", e, len, what, end))
        return false;
    if (*start > *end) {
        tm_errorf(n, who, "start %zu is greater than end %zu", *start, *end);
        return false;
    }
    return true;
}

/* argv[0] must be a string; then its [start, end) from argv[first..]. */
static bool string_range(TmNode *n, const char *who, int argc, TmValue *argv,
                         int first, size_t *start, size_t *end)
{
    if (!tm_is_string(argv[0])) {
        tm_type_error(n, who, 1, "string", argv[0]);
        return false;
    }
    return get_range(n, who, argc, argv, first, tm_string_length(argv[0]),
                     "string", start, end);
}

/* ---- UTF-8 -------------------------------------------------------------- */

/* A new string from UTF-8 bytes; every invalid byte becomes U+FFFD.  A NUL
 * byte is U+0000 (g_utf8_get_char_validated calls it invalid, hence the
 * special case). */
static TmValue decode_utf8(TmNode *n, const char *s, size_t len)
{
    uint32_t *buf = g_new(uint32_t, len + 1);
    size_t k = 0;
    for (const char *p = s, *end = s + len; p < end;) {
        gunichar c = *p ? g_utf8_get_char_validated(p, end - p) : 0;
        if (c == (gunichar)-1 || c == (gunichar)-2) {
            buf[k++] = 0xFFFD;
            p++;
        } else {
            buf[k++] = c;
            p = g_utf8_next_char(p);
        }
    }
    TmValue str = tm_string_from_chars(n, buf, k);
    g_free(buf);
    return str;
}

typedef gchar *(*Utf8Map)(const gchar *str, gssize len);

/* Appends map(s) to out.  GLib's case mappings stop at a NUL byte, so the
 * string goes through them in NUL-free pieces with the NULs copied
 * between.  Whole pieces (not single characters) keep the context that
 * final sigma needs. */
static void map_utf8(GString *out, TmValue s, Utf8Map map)
{
    const uint32_t *c = tm_string_chars(s);
    size_t len = tm_string_length(s);
    GString *piece = g_string_new(NULL);
    for (size_t i = 0; i <= len; i++) {
        if (i < len && c[i] != 0) {
            tm_utf8_append_char(piece, c[i]);
            continue;
        }
        gchar *m = map(piece->str, (gssize)piece->len);
        g_string_append(out, m);
        g_free(m);
        if (i < len)
            g_string_append_c(out, '\0');
        g_string_truncate(piece, 0);
    }
    g_string_free(piece, TRUE);
}

static TmValue map_string(TmNode *n, TmValue s, Utf8Map map)
{
    GString *out = g_string_sized_new(tm_string_length(s) + 8);
    map_utf8(out, s, map);
    TmValue r = decode_utf8(n, out->str, out->len);
    g_string_free(out, TRUE);
    return r;
}

/* ---- characters --------------------------------------------------------- */

TM_PRIM(p_char_p) { TM_UNUSED_ARGS; return tm_bool(tm_is_char(argv[0])); }

TM_PRIM(p_char_to_integer)
{
    (void)argc;
    TM_CHECK(n, tm_is_char(argv[0]), "char->integer", 1, "char", argv[0]);
    return tm_fix(tm_charval(argv[0]));
}

/* Only Unicode scalar values are characters: no surrogates, nothing above
 * U+10FFFF. */
TM_PRIM(p_integer_to_char)
{
    (void)argc;
    TmValue v = argv[0];
    if (!tm_is_fixnum(v) && !tm_is_bignum(v))
        return tm_type_error(n, "integer->char", 1, "exact integer", v);
    intptr_t i = tm_is_fixnum(v) ? tm_fixval(v) : -1;
    if (i < 0 || i > 0x10FFFF || (i >= 0xD800 && i <= 0xDFFF))
        return tm_error(n, "integer->char",
                        "argument 1 is not a Unicode scalar value "
                        "(0 to #xD7FF or #xE000 to #x10FFFF)",
                        tm_cons(n, v, TM_NIL));
    return tm_char((uint32_t)i);
}

/* Simple case folding, as R7RS's char-foldcase asks: GLib's full folding
 * when it yields one character (nearly always), else the lowercase. */
static uint32_t fold_char(uint32_t c)
{
    if (c < 0x80)
        return (uint32_t)g_ascii_tolower((gchar)c);
    char buf[8];
    int len = g_unichar_to_utf8(c, buf);
    gchar *f = g_utf8_casefold(buf, len);
    uint32_t r = g_utf8_strlen(f, -1) == 1 ? g_utf8_get_char(f)
                                           : g_unichar_tolower(c);
    g_free(f);
    return r;
}

enum { CMP_EQ, CMP_LT, CMP_GT, CMP_LE, CMP_GE };

/* Whether a three-way comparison result c satisfies op. */
static bool holds(int op, int c)
{
    switch (op) {
    case CMP_EQ: return c == 0;
    case CMP_LT: return c < 0;
    case CMP_GT: return c > 0;
    case CMP_LE: return c <= 0;
    default: return c >= 0;
    }
}

/* Variadic comparison: every argument is checked before any is compared,
 * so a type error is never masked by an early #f. */
static TmValue char_compare(TmNode *n, const char *who, int argc,
                            TmValue *argv, int op, bool ci)
{
    for (int i = 0; i < argc; i++)
        TM_CHECK(n, tm_is_char(argv[i]), who, i + 1, "char", argv[i]);
    for (int i = 0; i + 1 < argc; i++) {
        uint32_t a = tm_charval(argv[i]), b = tm_charval(argv[i + 1]);
        if (ci)
            a = fold_char(a), b = fold_char(b);
        if (!holds(op, (a > b) - (a < b)))
            return TM_FALSE;
    }
    return TM_TRUE;
}

#define CHAR_CLASSES(X)                                                       \
    X(alphabetic, "char-alphabetic?", g_unichar_isalpha)                      \
    X(numeric, "char-numeric?", g_unichar_isdigit)                            \
    X(whitespace, "char-whitespace?", g_unichar_isspace)                      \
    X(upper_case, "char-upper-case?", g_unichar_isupper)                      \
    X(lower_case, "char-lower-case?", g_unichar_islower)

#define X(id, name, test)                                                     \
    TM_PRIM(p_char_##id)                                                      \
    {                                                                         \
        (void)argc;                                                           \
        TM_CHECK(n, tm_is_char(argv[0]), name, 1, "char", argv[0]);           \
        return tm_bool(test(tm_charval(argv[0])));                            \
    }
CHAR_CLASSES(X)
#undef X

TM_PRIM(p_digit_value)
{
    (void)argc;
    TM_CHECK(n, tm_is_char(argv[0]), "digit-value", 1, "char", argv[0]);
    int d = g_unichar_digit_value(tm_charval(argv[0]));
    return d < 0 ? TM_FALSE : tm_fix(d);
}

TM_PRIM(p_char_upcase)
{
    (void)argc;
    TM_CHECK(n, tm_is_char(argv[0]), "char-upcase", 1, "char", argv[0]);
    return tm_char(g_unichar_toupper(tm_charval(argv[0])));
}

TM_PRIM(p_char_downcase)
{
    (void)argc;
    TM_CHECK(n, tm_is_char(argv[0]), "char-downcase", 1, "char", argv[0]);
    return tm_char(g_unichar_tolower(tm_charval(argv[0])));
}

TM_PRIM(p_char_foldcase)
{
    (void)argc;
    TM_CHECK(n, tm_is_char(argv[0]), "char-foldcase", 1, "char", argv[0]);
    return tm_char(fold_char(tm_charval(argv[0])));
}

/* ---- strings ------------------------------------------------------------ */

TM_PRIM(p_string_p) { TM_UNUSED_ARGS; return tm_bool(tm_is_string(argv[0])); }

/* Without a fill character the string is spaces, as in Gambit. */
TM_PRIM(p_make_string)
{
    size_t len;
    TmValue fill = opt(argc, argv, 1, tm_char(' '));
    if (!get_count(n, "make-string", 1, argv[0], &len))
        return TM_EXC;
    TM_CHECK(n, tm_is_char(fill), "make-string", 2, "char", fill);
    return tm_make_string(n, len, tm_charval(fill));
}

TM_PRIM(p_string)
{
    for (int i = 0; i < argc; i++)
        TM_CHECK(n, tm_is_char(argv[i]), "string", i + 1, "char", argv[i]);
    TmValue s = tm_make_string(n, (size_t)argc, ' ');
    for (int i = 0; i < argc; i++)
        tm_string_chars(s)[i] = tm_charval(argv[i]);
    return s;
}

TM_PRIM(p_string_length)
{
    (void)argc;
    TM_CHECK(n, tm_is_string(argv[0]), "string-length", 1, "string", argv[0]);
    return tm_fix((intptr_t)tm_string_length(argv[0]));
}

TM_PRIM(p_string_ref)
{
    (void)argc;
    size_t i;
    TM_CHECK(n, tm_is_string(argv[0]), "string-ref", 1, "string", argv[0]);
    if (!get_index(n, "string-ref", 2, argv[1], tm_string_length(argv[0]),
                   "string", &i))
        return TM_EXC;
    return tm_char(tm_string_chars(argv[0])[i]);
}

static TmValue slice(TmNode *n, TmValue s, size_t start, size_t end)
{
    return tm_string_from_chars(n, tm_string_chars(s) + start, end - start);
}

TM_PRIM(p_substring)
{
    size_t s, e;
    if (!string_range(n, "substring", argc, argv, 1, &s, &e))
        return TM_EXC;
    return slice(n, argv[0], s, e);
}

TM_PRIM(p_string_copy)
{
    size_t s, e;
    if (!string_range(n, "string-copy", argc, argv, 1, &s, &e))
        return TM_EXC;
    return slice(n, argv[0], s, e);
}

TM_PRIM(p_string_append)
{
    size_t total = 0, at = 0;
    for (int i = 0; i < argc; i++) {
        TM_CHECK(n, tm_is_string(argv[i]), "string-append", i + 1, "string", argv[i]);
        total += tm_string_length(argv[i]);
    }
    if (total > MAX_LENGTH)
        return tm_errorf(n, "string-append", "result would be too long (%zu characters)",
                         total);
    TmValue r = tm_make_string(n, total, ' ');
    for (int i = 0; i < argc; i++) {
        size_t len = tm_string_length(argv[i]);
        memcpy(tm_string_chars(r) + at, tm_string_chars(argv[i]), len * 4);
        at += len;
    }
    return r;
}

TM_PRIM(p_string_to_list)
{
    size_t s, e;
    if (!string_range(n, "string->list", argc, argv, 1, &s, &e))
        return TM_EXC;
    TmValue acc = TM_NIL;
    while (e > s)
        acc = tm_cons(n, tm_char(tm_string_chars(argv[0])[--e]), acc);
    return acc;
}

TM_PRIM(p_list_to_string)
{
    (void)argc;
    ptrdiff_t len = tm_list_length(argv[0]);
    if (len < 0)
        return tm_type_error(n, "list->string", 1, "proper list", argv[0]);
    TmValue s = tm_make_string(n, (size_t)len, ' '), l = argv[0];
    for (ptrdiff_t i = 0; i < len; i++, l = tm_cdr(l)) {
        if (!tm_is_char(tm_car(l)))
            return tm_type_error(n, "list->string", 1, "list of characters",
                                 argv[0]);
        tm_string_chars(s)[i] = tm_charval(tm_car(l));
    }
    return s;
}

/* -ci orderings compare the full case folding in UTF-8, whose byte order
 * is code point order. */
static int compare_ci(TmValue a, TmValue b)
{
    GString *fa = g_string_new(NULL), *fb = g_string_new(NULL);
    map_utf8(fa, a, g_utf8_casefold);
    map_utf8(fb, b, g_utf8_casefold);
    int c = memcmp(fa->str, fb->str, MIN(fa->len, fb->len));
    if (c == 0)
        c = (fa->len > fb->len) - (fa->len < fb->len);
    g_string_free(fa, TRUE);
    g_string_free(fb, TRUE);
    return (c > 0) - (c < 0);
}

static TmValue string_compare(TmNode *n, const char *who, int argc,
                              TmValue *argv, int op, bool ci)
{
    for (int i = 0; i < argc; i++)
        TM_CHECK(n, tm_is_string(argv[i]), who, i + 1, "string", argv[i]);
    for (int i = 0; i + 1 < argc; i++) {
        int c = ci ? compare_ci(argv[i], argv[i + 1])
                   : tm_string_compare(argv[i], argv[i + 1]);
        if (!holds(op, c))
            return TM_FALSE;
    }
    return TM_TRUE;
}

#define ORDERS(X)                                                             \
    X(eq, "=?", CMP_EQ) X(lt, "<?", CMP_LT) X(gt, ">?", CMP_GT)               \
    X(le, "<=?", CMP_LE) X(ge, ">=?", CMP_GE)

#define X(id, suffix, op)                                                     \
    TM_PRIM(p_char_##id)                                                      \
    {                                                                         \
        return char_compare(n, "char" suffix, argc, argv, op, false);         \
    }                                                                         \
    TM_PRIM(p_char_ci_##id)                                                   \
    {                                                                         \
        return char_compare(n, "char-ci" suffix, argc, argv, op, true);       \
    }                                                                         \
    TM_PRIM(p_string_##id)                                                    \
    {                                                                         \
        return string_compare(n, "string" suffix, argc, argv, op, false);     \
    }                                                                         \
    TM_PRIM(p_string_ci_##id)                                                 \
    {                                                                         \
        return string_compare(n, "string-ci" suffix, argc, argv, op, true);   \
    }
ORDERS(X)
#undef X

/* R7RS full case mappings: lengths may change ("straße" upcases to
 * "STRASSE").  Note GLib applies Turkish/Lithuanian special casing in
 * those locales (LC_CTYPE); folding is locale-independent. */
#define CASE_MAPS(X)                                                          \
    X(upcase, "string-upcase", g_utf8_strup)                                  \
    X(downcase, "string-downcase", g_utf8_strdown)                            \
    X(foldcase, "string-foldcase", g_utf8_casefold)

#define X(id, name, map)                                                      \
    TM_PRIM(p_string_##id)                                                    \
    {                                                                         \
        (void)argc;                                                           \
        TM_CHECK(n, tm_is_string(argv[0]), name, 1, "string", argv[0]);       \
        return map_string(n, argv[0], map);                                   \
    }
CASE_MAPS(X)
#undef X

/* ---- searching ---------------------------------------------------------- */

/* The first position >= from where needle occurs in hay, or -1.  Naive:
 * patterns are short in practice. */
static ptrdiff_t search(TmValue hay, size_t from, size_t to, TmValue needle)
{
    const uint32_t *h = tm_string_chars(hay), *nd = tm_string_chars(needle);
    size_t nlen = tm_string_length(needle);
    for (size_t i = from; i + nlen <= to; i++)
        if (memcmp(h + i, nd, nlen * 4) == 0)
            return (ptrdiff_t)i;
    return -1;
}

static TmValue position(ptrdiff_t i)
{
    return i < 0 ? TM_FALSE : tm_fix(i);
}

/* (string-index str char [start [end]]) => index or #f */
TM_PRIM(p_string_index)
{
    size_t s, e;
    if (!string_range(n, "string-index", argc, argv, 2, &s, &e))
        return TM_EXC;
    TM_CHECK(n, tm_is_char(argv[1]), "string-index", 2, "char", argv[1]);
    const uint32_t *c = tm_string_chars(argv[0]);
    for (size_t i = s; i < e; i++)
        if (c[i] == tm_charval(argv[1]))
            return tm_fix((intptr_t)i);
    return TM_FALSE;
}

/* (string-search-forward pattern string [start]) => index or #f */
TM_PRIM(p_string_search_forward)
{
    size_t start;
    const char *who = "string-search-forward";
    TM_CHECK(n, tm_is_string(argv[0]), who, 1, "string", argv[0]);
    TM_CHECK(n, tm_is_string(argv[1]), who, 2, "string", argv[1]);
    size_t len = tm_string_length(argv[1]);
    if (!get_bounded(n, who, 3, "start", opt(argc, argv, 2, tm_fix(0)), len,
                     "string", &start))
        return TM_EXC;
    return position(search(argv[1], start, len, argv[0]));
}

/* SRFI-13 (string-contains s1 s2): where s2 occurs in s1, or #f. */
TM_PRIM(p_string_contains)
{
    (void)argc;
    TM_CHECK(n, tm_is_string(argv[0]), "string-contains", 1, "string", argv[0]);
    TM_CHECK(n, tm_is_string(argv[1]), "string-contains", 2, "string", argv[1]);
    return position(search(argv[0], 0, tm_string_length(argv[0]), argv[1]));
}

/* Whether fix occurs in s at offset at (which may be out of s). */
static bool occurs_at(TmValue s, TmValue fix, ptrdiff_t at)
{
    size_t flen = tm_string_length(fix);
    return at >= 0 && (size_t)at + flen <= tm_string_length(s) &&
           memcmp(tm_string_chars(s) + at, tm_string_chars(fix), flen * 4) == 0;
}

/* (string-prefix? prefix s) and (string-suffix? suffix s), SRFI-13 order. */
TM_PRIM(p_string_prefix_p)
{
    (void)argc;
    TM_CHECK(n, tm_is_string(argv[0]), "string-prefix?", 1, "string", argv[0]);
    TM_CHECK(n, tm_is_string(argv[1]), "string-prefix?", 2, "string", argv[1]);
    return tm_bool(occurs_at(argv[1], argv[0], 0));
}

TM_PRIM(p_string_suffix_p)
{
    (void)argc;
    TM_CHECK(n, tm_is_string(argv[0]), "string-suffix?", 1, "string", argv[0]);
    TM_CHECK(n, tm_is_string(argv[1]), "string-suffix?", 2, "string", argv[1]);
    ptrdiff_t at = (ptrdiff_t)tm_string_length(argv[1]) -
                   (ptrdiff_t)tm_string_length(argv[0]);
    return tm_bool(occurs_at(argv[1], argv[0], at));
}

/* ---- joining, splitting, padding ---------------------------------------- */

/* (string-join strings [delimiter]): the delimiter defaults to " ". */
TM_PRIM(p_string_join)
{
    const char *who = "string-join";
    TmValue delim = opt(argc, argv, 1, TM_FALSE), l = argv[0];
    ptrdiff_t count = tm_list_length(l);
    if (count < 0)
        return tm_type_error(n, who, 1, "proper list", l);
    if (delim != TM_FALSE)
        TM_CHECK(n, tm_is_string(delim), who, 2, "string", delim);
    size_t dlen = delim == TM_FALSE ? 1 : tm_string_length(delim), total = 0;
    for (TmValue p = l; p != TM_NIL; p = tm_cdr(p)) {
        TM_CHECK(n, tm_is_string(tm_car(p)), who, 1, "list of strings", l);
        total += tm_string_length(tm_car(p)) + (p == l ? 0 : dlen);
    }
    if (total > MAX_LENGTH)
        return tm_errorf(n, who, "result would be too long (%zu characters)", total);
    TmValue r = tm_make_string(n, total, ' ');
    uint32_t *out = tm_string_chars(r);
    for (TmValue p = l; p != TM_NIL; p = tm_cdr(p)) {
        if (p != l && delim != TM_FALSE)
            memcpy(out, tm_string_chars(delim), dlen * 4);
        out += p == l ? 0 : dlen;  /* the default " " is already there */
        size_t len = tm_string_length(tm_car(p));
        memcpy(out, tm_string_chars(tm_car(p)), len * 4);
        out += len;
    }
    return r;
}

/* (string-split str char): the fields between separators, empty ones
 * included, so (string-split "a,,b" #\,) => ("a" "" "b") and
 * (string-split "" #\,) => (""). */
TM_PRIM(p_string_split)
{
    (void)argc;
    TM_CHECK(n, tm_is_string(argv[0]), "string-split", 1, "string", argv[0]);
    TM_CHECK(n, tm_is_char(argv[1]), "string-split", 2, "char", argv[1]);
    const uint32_t *c = tm_string_chars(argv[0]);
    uint32_t sep = tm_charval(argv[1]);
    size_t end = tm_string_length(argv[0]);
    TmValue acc = TM_NIL;
    for (size_t i = end; i-- > 0;)
        if (c[i] == sep) {
            acc = tm_cons(n, slice(n, argv[0], i + 1, end), acc);
            end = i;
        }
    return tm_cons(n, slice(n, argv[0], 0, end), acc);
}

/* SRFI-13 padding to exactly len characters: a longer string is cut,
 * keeping its right end (pad-left) or its left end (pad-right). */
static TmValue pad(TmNode *n, const char *who, int argc, TmValue *argv,
                   bool left)
{
    size_t want;
    TmValue fill = opt(argc, argv, 2, tm_char(' '));
    TM_CHECK(n, tm_is_string(argv[0]), who, 1, "string", argv[0]);
    if (!get_count(n, who, 2, argv[1], &want))
        return TM_EXC;
    TM_CHECK(n, tm_is_char(fill), who, 3, "char", fill);
    size_t len = tm_string_length(argv[0]);
    if (want <= len)
        return left ? slice(n, argv[0], len - want, len) : slice(n, argv[0], 0, want);
    TmValue r = tm_make_string(n, want, tm_charval(fill));
    memcpy(tm_string_chars(r) + (left ? want - len : 0), tm_string_chars(argv[0]),
           len * 4);
    return r;
}

TM_PRIM(p_string_pad_left) { return pad(n, "string-pad-left", argc, argv, true); }
TM_PRIM(p_string_pad_right) { return pad(n, "string-pad-right", argc, argv, false); }

/* ---- symbols and keywords ----------------------------------------------- */

TM_PRIM(p_symbol_p) { TM_UNUSED_ARGS; return tm_bool(tm_is_symbol(argv[0])); }
TM_PRIM(p_keyword_p) { TM_UNUSED_ARGS; return tm_bool(tm_is_keyword(argv[0])); }

TM_PRIM(p_string_to_symbol)
{
    (void)argc;
    TM_CHECK(n, tm_is_string(argv[0]), "string->symbol", 1, "string", argv[0]);
    return tm_intern_string(n, argv[0]);
}

/* Strings are immutable, so the name itself can be handed out. */
TM_PRIM(p_symbol_to_string)
{
    (void)argc;
    TM_CHECK(n, tm_is_symbol(argv[0]), "symbol->string", 1, "symbol", argv[0]);
    return tm_symbol_name(argv[0]);
}

TM_PRIM(p_symbol_eq_p)
{
    for (int i = 0; i < argc; i++)
        TM_CHECK(n, tm_is_symbol(argv[i]), "symbol=?", i + 1, "symbol", argv[i]);
    for (int i = 0; i + 1 < argc; i++)
        if (argv[i] != argv[i + 1])
            return TM_FALSE;
    return TM_TRUE;
}

TM_PRIM(p_string_to_uninterned_symbol)
{
    (void)argc;
    TM_CHECK(n, tm_is_string(argv[0]), "string->uninterned-symbol", 1, "string",
             argv[0]);
    return tm_make_uninterned_symbol(n, argv[0]);
}

/* (gensym [prefix]): a fresh uninterned symbol; prefix a symbol or string. */
TM_PRIM(p_gensym)
{
    TmValue p = opt(argc, argv, 0, TM_FALSE);
    if (p == TM_FALSE)
        return tm_gensym(n, NULL);
    if (tm_is_symbol(p))
        p = tm_symbol_name(p);
    TM_CHECK(n, tm_is_string(p), "gensym", 1, "symbol or string", argv[0]);
    char *prefix = tm_string_to_utf8(p);
    TmValue sym = tm_gensym(n, prefix);
    g_free(prefix);
    return sym;
}

TM_PRIM(p_keyword_to_string)
{
    (void)argc;
    TM_CHECK(n, tm_is_keyword(argv[0]), "keyword->string", 1, "keyword", argv[0]);
    return TM_SLOT(argv[0], 0);
}

TM_PRIM(p_string_to_keyword)
{
    (void)argc;
    TM_CHECK(n, tm_is_string(argv[0]), "string->keyword", 1, "string", argv[0]);
    char *name = tm_string_to_utf8(argv[0]);
    TmValue kw = tm_intern_keyword(n, name);
    g_free(name);
    return kw;
}

/* ---- bytevectors -------------------------------------------------------- */
/* Each takes `who` so that the u8vector aliases name themselves in errors. */

static bool get_byte(TmNode *n, const char *who, int argno, TmValue v, uint8_t *out)
{
    if (tm_is_fixnum(v) && tm_fixval(v) >= 0 && tm_fixval(v) <= 255) {
        *out = (uint8_t)tm_fixval(v);
        return true;
    }
    tm_type_error(n, who, argno, "byte (exact integer 0 to 255)", v);
    return false;
}

/* argv[0] must be a bytevector; then its [start, end) from argv[first..]. */
static bool bytes_range(TmNode *n, const char *who, int argc, TmValue *argv,
                        int first, size_t *start, size_t *end)
{
    if (!tm_is_bytevector(argv[0])) {
        tm_type_error(n, who, 1, "bytevector", argv[0]);
        return false;
    }
    return get_range(n, who, argc, argv, first, tm_bytevector_length(argv[0]),
                     "bytevector", start, end);
}

static TmValue make_bytevector(TmNode *n, const char *who, int argc, TmValue *argv)
{
    size_t len;
    uint8_t fill;
    if (!get_count(n, who, 1, argv[0], &len) ||
        !get_byte(n, who, 2, opt(argc, argv, 1, tm_fix(0)), &fill))
        return TM_EXC;
    TmValue b = tm_make_bytevector(n, len, NULL);
    memset(tm_bytevector_data(b), fill, len);
    return b;
}

static TmValue bytevector(TmNode *n, const char *who, int argc, TmValue *argv)
{
    TmValue b = tm_make_bytevector(n, (size_t)argc, NULL);
    for (int i = 0; i < argc; i++)
        if (!get_byte(n, who, i + 1, argv[i], tm_bytevector_data(b) + i))
            return TM_EXC;
    return b;
}

static TmValue bytevector_ref(TmNode *n, const char *who, TmValue *argv)
{
    size_t i;
    TM_CHECK(n, tm_is_bytevector(argv[0]), who, 1, "bytevector", argv[0]);
    if (!get_index(n, who, 2, argv[1], tm_bytevector_length(argv[0]),
                   "bytevector", &i))
        return TM_EXC;
    return tm_fix(tm_bytevector_data(argv[0])[i]);
}

static TmValue bytevector_length(TmNode *n, const char *who, TmValue *argv)
{
    TM_CHECK(n, tm_is_bytevector(argv[0]), who, 1, "bytevector", argv[0]);
    return tm_fix((intptr_t)tm_bytevector_length(argv[0]));
}

static TmValue bytevector_copy(TmNode *n, const char *who, int argc, TmValue *argv)
{
    size_t s, e;
    if (!bytes_range(n, who, argc, argv, 1, &s, &e))
        return TM_EXC;
    return tm_make_bytevector(n, e - s, tm_bytevector_data(argv[0]) + s);
}

static TmValue bytevector_append(TmNode *n, const char *who, int argc, TmValue *argv)
{
    size_t total = 0, at = 0;
    for (int i = 0; i < argc; i++) {
        TM_CHECK(n, tm_is_bytevector(argv[i]), who, i + 1, "bytevector", argv[i]);
        total += tm_bytevector_length(argv[i]);
    }
    if (total > MAX_LENGTH)
        return tm_errorf(n, who, "result would be too long (%zu bytes)", total);
    TmValue b = tm_make_bytevector(n, total, NULL);
    for (int i = 0; i < argc; i++) {
        size_t len = tm_bytevector_length(argv[i]);
        memcpy(tm_bytevector_data(b) + at, tm_bytevector_data(argv[i]), len);
        at += len;
    }
    return b;
}

TM_PRIM(p_bytevector_p) { TM_UNUSED_ARGS; return tm_bool(tm_is_bytevector(argv[0])); }
TM_PRIM(p_make_bytevector) { return make_bytevector(n, "make-bytevector", argc, argv); }
TM_PRIM(p_make_u8vector) { return make_bytevector(n, "make-u8vector", argc, argv); }
TM_PRIM(p_bytevector) { return bytevector(n, "bytevector", argc, argv); }
TM_PRIM(p_u8vector) { return bytevector(n, "u8vector", argc, argv); }
TM_PRIM(p_bytevector_u8_ref) { (void)argc; return bytevector_ref(n, "bytevector-u8-ref", argv); }
TM_PRIM(p_u8vector_ref) { (void)argc; return bytevector_ref(n, "u8vector-ref", argv); }
TM_PRIM(p_bytevector_length) { (void)argc; return bytevector_length(n, "bytevector-length", argv); }
TM_PRIM(p_u8vector_length) { (void)argc; return bytevector_length(n, "u8vector-length", argv); }
TM_PRIM(p_bytevector_copy) { return bytevector_copy(n, "bytevector-copy", argc, argv); }
TM_PRIM(p_subu8vector) { return bytevector_copy(n, "subu8vector", argc, argv); }
TM_PRIM(p_bytevector_append) { return bytevector_append(n, "bytevector-append", argc, argv); }
TM_PRIM(p_u8vector_append) { return bytevector_append(n, "u8vector-append", argc, argv); }

TM_PRIM(p_u8vector_to_list)
{
    size_t s, e;
    if (!bytes_range(n, "u8vector->list", argc, argv, 1, &s, &e))
        return TM_EXC;
    TmValue acc = TM_NIL;
    while (e > s)
        acc = tm_cons(n, tm_fix(tm_bytevector_data(argv[0])[--e]), acc);
    return acc;
}

TM_PRIM(p_list_to_u8vector)
{
    (void)argc;
    ptrdiff_t len = tm_list_length(argv[0]);
    if (len < 0)
        return tm_type_error(n, "list->u8vector", 1, "proper list", argv[0]);
    TmValue b = tm_make_bytevector(n, (size_t)len, NULL), l = argv[0];
    for (ptrdiff_t i = 0; i < len; i++, l = tm_cdr(l)) {
        TmValue x = tm_car(l);
        if (!tm_is_fixnum(x) || tm_fixval(x) < 0 || tm_fixval(x) > 255)
            return tm_type_error(n, "list->u8vector", 1, "list of bytes", argv[0]);
        tm_bytevector_data(b)[i] = (uint8_t)tm_fixval(x);
    }
    return b;
}

/* Invalid UTF-8 does not raise: each bad byte reads as U+FFFD. */
TM_PRIM(p_utf8_to_string)
{
    size_t s, e;
    if (!bytes_range(n, "utf8->string", argc, argv, 1, &s, &e))
        return TM_EXC;
    return decode_utf8(n, (const char *)tm_bytevector_data(argv[0]) + s, e - s);
}

TM_PRIM(p_string_to_utf8)
{
    size_t s, e;
    if (!string_range(n, "string->utf8", argc, argv, 1, &s, &e))
        return TM_EXC;
    GString *out = g_string_sized_new(e - s);
    for (size_t i = s; i < e; i++)
        tm_utf8_append_char(out, tm_string_chars(argv[0])[i]);
    TmValue b = tm_make_bytevector(n, out->len, (const uint8_t *)out->str);
    g_string_free(out, TRUE);
    return b;
}

/* ---- the table ---------------------------------------------------------- */

const TmPrimDef tm_prims_string[] = {
    {"char?", p_char_p, 1, 1, 0},
    {"char->integer", p_char_to_integer, 1, 1, 0},
    {"integer->char", p_integer_to_char, 1, 1, 0},
#define X(id, suffix, op)                                                     \
    {"char" suffix, p_char_##id, 1, -1, 0},                                   \
    {"char-ci" suffix, p_char_ci_##id, 1, -1, 0},                             \
    {"string" suffix, p_string_##id, 1, -1, 0},                               \
    {"string-ci" suffix, p_string_ci_##id, 1, -1, 0},
    ORDERS(X)
#undef X
#define X(id, name, test) {name, p_char_##id, 1, 1, 0},
    CHAR_CLASSES(X)
#undef X
    {"digit-value", p_digit_value, 1, 1, 0},
    {"char-upcase", p_char_upcase, 1, 1, 0},
    {"char-downcase", p_char_downcase, 1, 1, 0},
    {"char-foldcase", p_char_foldcase, 1, 1, 0},
    {"string?", p_string_p, 1, 1, 0},
    {"make-string", p_make_string, 1, 2, 0},
    {"string", p_string, 0, -1, 0},
    {"string-length", p_string_length, 1, 1, 0},
    {"string-ref", p_string_ref, 2, 2, 0},
    {"substring", p_substring, 2, 3, 0},
    {"string-copy", p_string_copy, 1, 3, 0},
    {"string-append", p_string_append, 0, -1, 0},
    {"string->list", p_string_to_list, 1, 3, 0},
    {"list->string", p_list_to_string, 1, 1, 0},
#define X(id, name, map) {name, p_string_##id, 1, 1, 0},
    CASE_MAPS(X)
#undef X
    {"string-index", p_string_index, 2, 4, 0},
    {"string-search-forward", p_string_search_forward, 2, 3, 0},
    {"string-contains", p_string_contains, 2, 2, 0},
    {"string-prefix?", p_string_prefix_p, 2, 2, 0},
    {"string-suffix?", p_string_suffix_p, 2, 2, 0},
    {"string-join", p_string_join, 1, 2, 0},
    {"string-split", p_string_split, 2, 2, 0},
    {"string-pad-left", p_string_pad_left, 2, 3, 0},
    {"string-pad-right", p_string_pad_right, 2, 3, 0},
    {"symbol?", p_symbol_p, 1, 1, 0},
    {"string->symbol", p_string_to_symbol, 1, 1, 0},
    {"symbol->string", p_symbol_to_string, 1, 1, 0},
    {"symbol=?", p_symbol_eq_p, 1, -1, 0},
    {"string->uninterned-symbol", p_string_to_uninterned_symbol, 1, 1, 0},
    {"gensym", p_gensym, 0, 1, 0},
    {"keyword?", p_keyword_p, 1, 1, 0},
    {"keyword->string", p_keyword_to_string, 1, 1, 0},
    {"string->keyword", p_string_to_keyword, 1, 1, 0},
    {"bytevector?", p_bytevector_p, 1, 1, 0},
    {"u8vector?", p_bytevector_p, 1, 1, 0},
    {"make-bytevector", p_make_bytevector, 1, 2, 0},
    {"make-u8vector", p_make_u8vector, 1, 2, 0},
    {"bytevector", p_bytevector, 0, -1, 0},
    {"u8vector", p_u8vector, 0, -1, 0},
    {"bytevector-u8-ref", p_bytevector_u8_ref, 2, 2, 0},
    {"u8vector-ref", p_u8vector_ref, 2, 2, 0},
    {"bytevector-length", p_bytevector_length, 1, 1, 0},
    {"u8vector-length", p_u8vector_length, 1, 1, 0},
    {"bytevector-copy", p_bytevector_copy, 1, 3, 0},
    {"subu8vector", p_subu8vector, 3, 3, 0},
    {"bytevector-append", p_bytevector_append, 0, -1, 0},
    {"u8vector-append", p_u8vector_append, 0, -1, 0},
    {"u8vector->list", p_u8vector_to_list, 1, 3, 0},
    {"list->u8vector", p_list_to_u8vector, 1, 1, 0},
    {"utf8->string", p_utf8_to_string, 1, 3, 0},
    {"string->utf8", p_string_to_utf8, 1, 3, 0},
    {NULL, NULL, 0, 0, 0},
};
