/*
 * prim_list.c — primitives on pairs, lists and vectors, and the three
 * equivalence predicates.  Lists may be improper or circular (datum labels
 * make cycles even without mutation): every walk here either stops after a
 * bounded number of steps or notices the cycle, and raises instead of
 * looping.  Higher-order procedures (map, member with a predicate, sort)
 * are written in Scheme in lang/.
 */
#include "num.h"
#include "prims.h"

/* Longest list or vector a primitive makes on request (make-list, iota,
 * vector-append...).  Bigger requests are bugs, and a failed allocation
 * would abort the whole node instead of raising. */
#define MAX_LENGTH ((size_t)1 << 28)

/* ---- arguments ---------------------------------------------------------- */

/* Optional argument i, or dflt when the caller left it out (argc too small
 * or an explicit #!default). */
static TmValue opt(int argc, TmValue *argv, int i, TmValue dflt)
{
    return i < argc && argv[i] != TM_DEFAULT ? argv[i] : dflt;
}

/* "vector-ref: index 10 out of range for vector of length 3", with the
 * offending value as irritant when the message does not show it.  `what`
 * names the sequence; `role` says which bound was wrong ("index",
 * "start", "end", "count"). */
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

/* An exact integer argument in [0, limit]; raises a type error for
 * non-integers and a range error for integers outside.  `limit` is
 * inclusive so that end positions (== length) pass. */
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

/* A length or count asked of a constructor: [0, MAX_LENGTH]. */
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

/* The optional [start [end]] pair at argv[first], argv[first+1] over a
 * sequence of length len, with 0 <= start <= end <= len.  R7RS's
 * convention for vector->list, string-copy, bytevector-copy... */
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

/* ---- walking lists ------------------------------------------------------ */

/* Floyd's cycle finder over the pairs of a list: `slow` moves one pair for
 * every two moves of `pos`, so after the first step it trails `pos` and can
 * only meet it again inside a cycle.  The loop shape is
 *   for (walk_init(&w, l); walk_more(&w); walk_next(&w)) ... w.pos ...
 * and afterwards w.circular or w.pos (the final cdr) says how it ended. */
typedef struct {
    TmValue pos, slow;
    bool odd, circular;
} Walk;

static void walk_init(Walk *w, TmValue l)
{
    w->pos = w->slow = l;
    w->odd = w->circular = false;
}

static bool walk_more(const Walk *w)
{
    return !w->circular && tm_is_pair(w->pos);
}

static void walk_next(Walk *w)
{
    w->pos = tm_cdr(w->pos);
    if (w->odd)
        w->slow = tm_cdr(w->slow);
    w->odd = !w->odd;
    w->circular = w->pos == w->slow && tm_is_pair(w->pos);
}

/* The error for an argument that should have been a proper list. */
static TmValue bad_list(TmNode *n, const char *who, int argno, TmValue l)
{
    return tm_type_error(n, who, argno, "proper list", l);
}

/* After a walk over argument argno: `ok` when it ended with '(). */
static TmValue walk_end(TmNode *n, const char *who, int argno, TmValue l,
                        const Walk *w, TmValue ok)
{
    return w->circular || w->pos != TM_NIL ? bad_list(n, who, argno, l) : ok;
}

/* The length of a proper list argument, or -1 after raising. */
static ptrdiff_t list_length(TmNode *n, const char *who, int argno, TmValue l)
{
    ptrdiff_t len = tm_list_length(l);
    if (len < 0)
        bad_list(n, who, argno, l);
    return len;
}

/* The k-th cdr of l.  *ok is false when the list ended (in a non-pair)
 * before k steps; *len then holds the number of pairs.  On a circular list
 * the walk measures the cycle and skips whole turns of it, so a huge k
 * costs no more than the list's size. */
static TmValue nth_tail(TmValue l, size_t k, bool *ok, size_t *len)
{
    Walk w;
    size_t i = 0;
    for (walk_init(&w, l); i < k && walk_more(&w); walk_next(&w))
        i++;
    if (w.circular) {
        size_t period = 1;
        for (TmValue p = tm_cdr(w.pos); p != w.pos; p = tm_cdr(p))
            period++;
        for (size_t r = (k - i) % period; r > 0; r--)
            w.pos = tm_cdr(w.pos);
        i = k;
    }
    *ok = i == k;
    *len = i;
    return w.pos;
}

/* A list under construction, front to back: `last` is its final pair,
 * whose cdr is filled in as elements arrive.  The pairs are new and the VM
 * has not seen them yet, which is the only time C may write into them. */
typedef struct {
    TmValue head, last;
} ListBuf;

static void lb_init(ListBuf *b)
{
    b->head = b->last = TM_NIL;
}

static void lb_push(TmNode *n, ListBuf *b, TmValue v)
{
    TmValue p = tm_cons(n, v, TM_NIL);
    if (b->last == TM_NIL)
        b->head = p;
    else
        tm_write(n, b->last, 1, p);
    b->last = p;
}

/* The list built so far, ending in tail (shared, not copied). */
static TmValue lb_finish(TmNode *n, ListBuf *b, TmValue tail)
{
    if (b->last == TM_NIL)
        return tail;
    tm_write(n, b->last, 1, tail);
    return b->head;
}

/* ---- pairs -------------------------------------------------------------- */

TM_PRIM(p_pair_p) { TM_UNUSED_ARGS; return tm_bool(tm_is_pair(argv[0])); }
TM_PRIM(p_null_p) { TM_UNUSED_ARGS; return tm_bool(argv[0] == TM_NIL); }

TM_PRIM(p_cons)
{
    TM_UNUSED_ARGS;
    return tm_cons(n, argv[0], argv[1]);
}

/* c[ad]+r where `done` letters were applied before reaching a non-pair:
 * "caddr: argument 1 must be a pair whose cddr is a pair, got (1 2)". */
static TmValue cxr_error(TmNode *n, const char *who, const char *done, TmValue v)
{
    char expected[40];
    if (*done == '\0')
        return tm_type_error(n, who, 1, "pair", v);
    g_snprintf(expected, sizeof expected, "pair whose c%sr is a pair", done);
    return tm_type_error(n, who, 1, expected, v);
}

/* `path` holds the a/d letters of the name; they apply right to left. */
static TmValue cxr(TmNode *n, const char *who, const char *path, TmValue v)
{
    TmValue x = v;
    for (size_t i = strlen(path); i-- > 0;) {
        if (!tm_is_pair(x))
            return cxr_error(n, who, path + i + 1, v);
        x = path[i] == 'a' ? tm_car(x) : tm_cdr(x);
    }
    return x;
}

#define CXRS(X)                                                               \
    X(car, "a") X(cdr, "d")                                                   \
    X(caar, "aa") X(cadr, "ad") X(cdar, "da") X(cddr, "dd")                   \
    X(caaar, "aaa") X(caadr, "aad") X(cadar, "ada") X(caddr, "add")           \
    X(cdaar, "daa") X(cdadr, "dad") X(cddar, "dda") X(cdddr, "ddd")           \
    X(caaaar, "aaaa") X(caaadr, "aaad") X(caadar, "aada") X(caaddr, "aadd")   \
    X(cadaar, "adaa") X(cadadr, "adad") X(caddar, "adda") X(cadddr, "addd")   \
    X(cdaaar, "daaa") X(cdaadr, "daad") X(cdadar, "dada") X(cdaddr, "dadd")   \
    X(cddaar, "ddaa") X(cddadr, "ddad") X(cdddar, "ddda") X(cddddr, "dddd")

#define X(name, path)                                                         \
    TM_PRIM(p_##name)                                                         \
    {                                                                         \
        (void)argc;                                                           \
        return cxr(n, #name, path, argv[0]);                                  \
    }
CXRS(X)
#undef X

/* (cons* 1 2 '(3)) => (1 2 3); (cons* x) => x. */
TM_PRIM(p_cons_star)
{
    TmValue acc = argv[argc - 1];
    for (int i = argc - 2; i >= 0; i--)
        acc = tm_cons(n, argv[i], acc);
    return acc;
}

/* ---- lists -------------------------------------------------------------- */

TM_PRIM(p_list_p)
{
    TM_UNUSED_ARGS;
    return tm_bool(tm_list_length(argv[0]) >= 0);
}

TM_PRIM(p_list)
{
    return tm_list_from_array(n, (size_t)argc, argv);
}

TM_PRIM(p_make_list)
{
    size_t len;
    if (!get_count(n, "make-list", 1, argv[0], &len))
        return TM_EXC;
    TmValue fill = opt(argc, argv, 1, TM_FALSE), acc = TM_NIL;
    while (len-- > 0)
        acc = tm_cons(n, fill, acc);
    return acc;
}

TM_PRIM(p_length)
{
    (void)argc;
    ptrdiff_t len = list_length(n, "length", 1, argv[0]);
    return len < 0 ? TM_EXC : tm_fix(len);
}

/* SRFI-1: like length, but #f for a circular list. */
TM_PRIM(p_length_plus)
{
    (void)argc;
    Walk w;
    size_t len = 0;
    for (walk_init(&w, argv[0]); walk_more(&w); walk_next(&w))
        len++;
    if (w.circular)
        return TM_FALSE;
    return walk_end(n, "length+", 1, argv[0], &w, tm_fix((intptr_t)len));
}

/* Every argument but the last is copied; the last is shared and may be any
 * object, so (append '(1) 2) => (1 . 2).  All lists are checked before
 * anything is built. */
TM_PRIM(p_append)
{
    if (argc == 0)
        return TM_NIL;
    for (int i = 0; i < argc - 1; i++)
        if (list_length(n, "append", i + 1, argv[i]) < 0)
            return TM_EXC;
    ListBuf b;
    lb_init(&b);
    for (int i = 0; i < argc - 1; i++)
        for (TmValue l = argv[i]; tm_is_pair(l); l = tm_cdr(l))
            lb_push(n, &b, tm_car(l));
    return lb_finish(n, &b, argv[argc - 1]);
}

TM_PRIM(p_reverse)
{
    (void)argc;
    if (list_length(n, "reverse", 1, argv[0]) < 0)
        return TM_EXC;
    return tm_list_reverse(n, argv[0]);
}

/* R7RS: copies the pairs of a list, proper or not; any other object is
 * returned as it is.  Only a cycle is an error. */
TM_PRIM(p_list_copy)
{
    (void)argc;
    Walk w;
    ListBuf b;
    lb_init(&b);
    for (walk_init(&w, argv[0]); walk_more(&w); walk_next(&w))
        lb_push(n, &b, tm_car(w.pos));
    if (w.circular)
        return bad_list(n, "list-copy", 1, argv[0]);
    return lb_finish(n, &b, w.pos);
}

/* A position in a list that may be circular: any nonnegative fixnum, since
 * nth_tail never walks more than the list's size. */
static bool get_list_index(TmNode *n, const char *who, TmValue v, size_t *out)
{
    if (tm_is_fixnum(v) && tm_fixval(v) >= 0) {
        *out = (size_t)tm_fixval(v);
        return true;
    }
    if (tm_is_fixnum(v) || tm_is_bignum(v))
        tm_range_error(n, who, 2, v);
    else
        tm_type_error(n, who, 2, "exact nonnegative integer", v);
    return false;
}

TM_PRIM(p_list_tail)
{
    (void)argc;
    size_t k, len;
    bool ok;
    if (!get_list_index(n, "list-tail", argv[1], &k))
        return TM_EXC;
    TmValue tail = nth_tail(argv[0], k, &ok, &len);
    return ok ? tail : index_error(n, "list-tail", "index", argv[1], "list", len);
}

TM_PRIM(p_list_ref)
{
    (void)argc;
    size_t k, len;
    bool ok;
    if (!get_list_index(n, "list-ref", argv[1], &k))
        return TM_EXC;
    TmValue tail = nth_tail(argv[0], k, &ok, &len);
    if (ok && tm_is_pair(tail))
        return tm_car(tail);
    return index_error(n, "list-ref", "index", argv[1], "list", len);
}

/* SRFI-1 first .. fifth: the message names the shape that was expected. */
static TmValue nth_named(TmNode *n, const char *who, TmValue l, size_t k)
{
    size_t len;
    bool ok;
    TmValue tail = nth_tail(l, k, &ok, &len);
    char expected[40];
    if (ok && tm_is_pair(tail))
        return tm_car(tail);
    g_snprintf(expected, sizeof expected, "list of at least %zu elements", k + 1);
    return tm_type_error(n, who, 1, k == 0 ? "pair" : expected, l);
}

TM_PRIM(p_first) { (void)argc; return nth_named(n, "first", argv[0], 0); }
TM_PRIM(p_second) { (void)argc; return nth_named(n, "second", argv[0], 1); }
TM_PRIM(p_third) { (void)argc; return nth_named(n, "third", argv[0], 2); }
TM_PRIM(p_fourth) { (void)argc; return nth_named(n, "fourth", argv[0], 3); }
TM_PRIM(p_fifth) { (void)argc; return nth_named(n, "fifth", argv[0], 4); }

/* The last pair of a non-empty list, which may be improper. */
static TmValue last_pair(TmNode *n, const char *who, TmValue l)
{
    Walk w;
    if (!tm_is_pair(l))
        return tm_type_error(n, who, 1, "pair", l);
    for (walk_init(&w, l); walk_more(&w); walk_next(&w))
        if (!tm_is_pair(tm_cdr(w.pos)))
            return w.pos;
    return bad_list(n, who, 1, l);
}

TM_PRIM(p_last_pair) { (void)argc; return last_pair(n, "last-pair", argv[0]); }

TM_PRIM(p_last)
{
    (void)argc;
    TmValue p = last_pair(n, "last", argv[0]);
    return p == TM_EXC ? p : tm_car(p);
}

/* Gambit: a fresh list of the first k elements. */
TM_PRIM(p_list_head)
{
    (void)argc;
    size_t k;
    if (!get_count(n, "list-head", 2, argv[1], &k))
        return TM_EXC;
    ListBuf b;
    lb_init(&b);
    TmValue l = argv[0];
    for (size_t i = 0; i < k; i++, l = tm_cdr(l)) {
        if (!tm_is_pair(l))
            return index_error(n, "list-head", "count", argv[1], "list", i);
        lb_push(n, &b, tm_car(l));
    }
    return lb_finish(n, &b, TM_NIL);
}

/* (iota count [start [step]]): element i is start + i*step, computed
 * afresh for each i so inexact steps do not accumulate rounding. */
TM_PRIM(p_iota)
{
    size_t count;
    if (!get_count(n, "iota", 1, argv[0], &count))
        return TM_EXC;
    TmValue start = opt(argc, argv, 1, tm_fix(0));
    TmValue step = opt(argc, argv, 2, tm_fix(1));
    TM_CHECK(n, tm_is_number(start), "iota", 2, "number", start);
    TM_CHECK(n, tm_is_number(step), "iota", 3, "number", step);
    TmValue acc = TM_NIL;
    for (size_t i = count; i-- > 0;) {
        TmValue x = tm_num_mul(n, tm_fix((intptr_t)i), step);
        if (x == TM_EXC || (x = tm_num_add(n, start, x)) == TM_EXC)
            return TM_EXC;
        acc = tm_cons(n, x, acc);
    }
    return acc;
}

/* SRFI-1 delete, two-argument form: the result shares the tail after the
 * last element equal? to x. */
TM_PRIM(p_delete)
{
    (void)argc;
    TmValue x = argv[0], keep = argv[1];
    if (list_length(n, "delete", 2, argv[1]) < 0)
        return TM_EXC;
    for (TmValue l = argv[1]; tm_is_pair(l); l = tm_cdr(l))
        if (tm_equal(x, tm_car(l)))
            keep = tm_cdr(l);
    ListBuf b;
    lb_init(&b);
    for (TmValue l = argv[1]; l != keep; l = tm_cdr(l))
        if (!tm_equal(x, tm_car(l)))
            lb_push(n, &b, tm_car(l));
    return lb_finish(n, &b, keep);
}

/* ---- membership and association ----------------------------------------- */

typedef bool (*SameFn)(TmValue a, TmValue b);

static bool same_eq(TmValue a, TmValue b) { return a == b; }

/* The first pair of l whose car is the same as x, or #f.  A match found
 * before an improper end or a cycle is returned; reaching either raises. */
static TmValue mem(TmNode *n, const char *who, SameFn same, TmValue x, TmValue l)
{
    Walk w;
    for (walk_init(&w, l); walk_more(&w); walk_next(&w))
        if (same(x, tm_car(w.pos)))
            return w.pos;
    return walk_end(n, who, 2, l, &w, TM_FALSE);
}

TM_PRIM(p_memq) { (void)argc; return mem(n, "memq", same_eq, argv[0], argv[1]); }
TM_PRIM(p_memv) { (void)argc; return mem(n, "memv", tm_eqv, argv[0], argv[1]); }
TM_PRIM(p_member) { (void)argc; return mem(n, "member", tm_equal, argv[0], argv[1]); }

/* The first element of alist whose car is the same as x, or #f.  Elements
 * that are not pairs raise (R7RS leaves it an error; silence hides bugs). */
static TmValue ass(TmNode *n, const char *who, SameFn same, TmValue x, TmValue l)
{
    Walk w;
    for (walk_init(&w, l); walk_more(&w); walk_next(&w)) {
        TmValue e = tm_car(w.pos);
        if (!tm_is_pair(e))
            return tm_type_error(n, who, 2, "association list (a list of pairs)", l);
        if (same(x, tm_car(e)))
            return e;
    }
    return walk_end(n, who, 2, l, &w, TM_FALSE);
}

TM_PRIM(p_assq) { (void)argc; return ass(n, "assq", same_eq, argv[0], argv[1]); }
TM_PRIM(p_assv) { (void)argc; return ass(n, "assv", tm_eqv, argv[0], argv[1]); }
TM_PRIM(p_assoc) { (void)argc; return ass(n, "assoc", tm_equal, argv[0], argv[1]); }

/* ---- equivalence -------------------------------------------------------- */

TM_PRIM(p_eq_p) { TM_UNUSED_ARGS; return tm_bool(argv[0] == argv[1]); }
TM_PRIM(p_eqv_p) { TM_UNUSED_ARGS; return tm_bool(tm_eqv(argv[0], argv[1])); }
TM_PRIM(p_equal_p) { TM_UNUSED_ARGS; return tm_bool(tm_equal(argv[0], argv[1])); }

/* ---- vectors ------------------------------------------------------------ */

TM_PRIM(p_vector_p) { TM_UNUSED_ARGS; return tm_bool(tm_is_vector(argv[0])); }

TM_PRIM(p_vector)
{
    return tm_vector_from_array(n, (size_t)argc, argv);
}

/* Without a fill the elements are 0, as in Gambit. */
TM_PRIM(p_make_vector)
{
    size_t len;
    if (!get_count(n, "make-vector", 1, argv[0], &len))
        return TM_EXC;
    return tm_make_vector(n, len, opt(argc, argv, 1, tm_fix(0)));
}

TM_PRIM(p_vector_length)
{
    (void)argc;
    TM_CHECK(n, tm_is_vector(argv[0]), "vector-length", 1, "vector", argv[0]);
    return tm_fix((intptr_t)tm_vector_length(argv[0]));
}

TM_PRIM(p_vector_ref)
{
    (void)argc;
    size_t i;
    TM_CHECK(n, tm_is_vector(argv[0]), "vector-ref", 1, "vector", argv[0]);
    if (!get_index(n, "vector-ref", 2, argv[1], tm_vector_length(argv[0]),
                   "vector", &i))
        return TM_EXC;
    return tm_vector_ref(argv[0], i);
}

/* The vector argument argv[0] and its [start, end) from argv[1..2]. */
static bool vector_range(TmNode *n, const char *who, int argc, TmValue *argv,
                         size_t *start, size_t *end)
{
    if (!tm_is_vector(argv[0])) {
        tm_type_error(n, who, 1, "vector", argv[0]);
        return false;
    }
    return get_range(n, who, argc, argv, 1, tm_vector_length(argv[0]),
                     "vector", start, end);
}

static TmValue vector_slice(TmNode *n, TmValue v, size_t start, size_t end)
{
    return tm_vector_from_array(n, end - start, tm_slots(v) + start);
}

TM_PRIM(p_vector_to_list)
{
    size_t s, e;
    if (!vector_range(n, "vector->list", argc, argv, &s, &e))
        return TM_EXC;
    TmValue acc = TM_NIL;
    while (e > s)
        acc = tm_cons(n, tm_vector_ref(argv[0], --e), acc);
    return acc;
}

TM_PRIM(p_list_to_vector)
{
    (void)argc;
    if (list_length(n, "list->vector", 1, argv[0]) < 0)
        return TM_EXC;
    return tm_list_to_vector(n, argv[0]);
}

TM_PRIM(p_vector_copy)
{
    size_t s, e;
    if (!vector_range(n, "vector-copy", argc, argv, &s, &e))
        return TM_EXC;
    return vector_slice(n, argv[0], s, e);
}

/* Gambit: (subvector v start end), both bounds required. */
TM_PRIM(p_subvector)
{
    size_t s, e;
    if (!vector_range(n, "subvector", argc, argv, &s, &e))
        return TM_EXC;
    return vector_slice(n, argv[0], s, e);
}

TM_PRIM(p_vector_append)
{
    size_t total = 0, at = 0;
    for (int i = 0; i < argc; i++) {
        TM_CHECK(n, tm_is_vector(argv[i]), "vector-append", i + 1, "vector", argv[i]);
        total += tm_vector_length(argv[i]);
    }
    if (total > MAX_LENGTH)
        return tm_errorf(n, "vector-append", "result would be too long (%zu elements)",
                         total);
    TmValue v = tm_make_vector(n, total, TM_FALSE);
    for (int i = 0; i < argc; i++)
        for (size_t j = 0; j < tm_vector_length(argv[i]); j++)
            tm_write(n, v, at++, tm_vector_ref(argv[i], j));
    return v;
}

TM_PRIM(p_vector_to_string)
{
    size_t s, e;
    if (!vector_range(n, "vector->string", argc, argv, &s, &e))
        return TM_EXC;
    TmValue str = tm_make_string(n, e - s, ' ');
    uint32_t *chars = tm_string_chars(str);
    for (size_t i = s; i < e; i++) {
        TmValue c = tm_vector_ref(argv[0], i);
        if (!tm_is_char(c))
            return tm_type_error(n, "vector->string", 1, "vector of characters",
                                 argv[0]);
        chars[i - s] = tm_charval(c);
    }
    return str;
}

TM_PRIM(p_string_to_vector)
{
    size_t s, e;
    if (!tm_is_string(argv[0]))
        return tm_type_error(n, "string->vector", 1, "string", argv[0]);
    if (!get_range(n, "string->vector", argc, argv, 1, tm_string_length(argv[0]),
                   "string", &s, &e))
        return TM_EXC;
    TmValue v = tm_make_vector(n, e - s, TM_FALSE);
    const uint32_t *chars = tm_string_chars(argv[0]);
    for (size_t i = s; i < e; i++)
        TM_SLOT(v, i - s) = tm_char(chars[i]);  /* immediates: no barrier */
    return v;
}

/* ---- the table ---------------------------------------------------------- */

const TmPrimDef tm_prims_list[] = {
    {"pair?", p_pair_p, 1, 1, 0},
    {"null?", p_null_p, 1, 1, 0},
    {"cons", p_cons, 2, 2, 0},
#define X(name, path) {#name, p_##name, 1, 1, 0},
    CXRS(X)
#undef X
    {"cons*", p_cons_star, 1, -1, 0},
    {"list?", p_list_p, 1, 1, 0},
    {"list", p_list, 0, -1, 0},
    {"make-list", p_make_list, 1, 2, 0},
    {"length", p_length, 1, 1, 0},
    {"length+", p_length_plus, 1, 1, 0},
    {"append", p_append, 0, -1, 0},
    {"reverse", p_reverse, 1, 1, 0},
    {"list-copy", p_list_copy, 1, 1, 0},
    {"list-tail", p_list_tail, 2, 2, 0},
    {"list-ref", p_list_ref, 2, 2, 0},
    {"list-head", p_list_head, 2, 2, 0},
    {"first", p_first, 1, 1, 0},
    {"second", p_second, 1, 1, 0},
    {"third", p_third, 1, 1, 0},
    {"fourth", p_fourth, 1, 1, 0},
    {"fifth", p_fifth, 1, 1, 0},
    {"last-pair", p_last_pair, 1, 1, 0},
    {"last", p_last, 1, 1, 0},
    {"iota", p_iota, 1, 3, 0},
    {"delete", p_delete, 2, 2, 0},
    {"memq", p_memq, 2, 2, 0},
    {"memv", p_memv, 2, 2, 0},
    {"member", p_member, 2, 2, 0},
    {"assq", p_assq, 2, 2, 0},
    {"assv", p_assv, 2, 2, 0},
    {"assoc", p_assoc, 2, 2, 0},
    {"eq?", p_eq_p, 2, 2, 0},
    {"eqv?", p_eqv_p, 2, 2, 0},
    {"equal?", p_equal_p, 2, 2, 0},
    {"vector?", p_vector_p, 1, 1, 0},
    {"vector", p_vector, 0, -1, 0},
    {"make-vector", p_make_vector, 1, 2, 0},
    {"vector-length", p_vector_length, 1, 1, 0},
    {"vector-ref", p_vector_ref, 2, 2, 0},
    {"vector->list", p_vector_to_list, 1, 3, 0},
    {"list->vector", p_list_to_vector, 1, 1, 0},
    {"vector-copy", p_vector_copy, 1, 3, 0},
    {"subvector", p_subvector, 3, 3, 0},
    {"vector-append", p_vector_append, 0, -1, 0},
    {"vector->string", p_vector_to_string, 1, 3, 0},
    {"string->vector", p_string_to_vector, 1, 3, 0},
    {NULL, NULL, 0, 0, 0},
};
