/*
 * test_strings.c — the primitives of prim_list.c (pairs, lists, vectors,
 * equivalence) and prim_string.c (characters, strings, symbols, keywords,
 * bytevectors), called directly through their tables: results, the
 * errors raised for wrong types and ranges, and termination on improper
 * and circular lists.
 */
#include <glib.h>

#include "heap.h"
#include "prims.h"

/* ---- fixture and helpers ------------------------------------------------ */

typedef struct {
    TmWorld *w;
    TmNode *n;
} Fixture;

static void setup(Fixture *f, gconstpointer data)
{
    (void)data;
    f->w = tm_world_real_new(1);
    f->n = tm_node_new(f->w);
}

static void teardown(Fixture *f, gconstpointer data)
{
    (void)data;
    tm_node_free(f->n);
    tm_world_free(f->w);
}

static const TmPrimDef *find_prim(const char *name)
{
    const TmPrimDef *tables[] = {tm_prims_list, tm_prims_string};
    for (size_t t = 0; t < G_N_ELEMENTS(tables); t++)
        for (const TmPrimDef *d = tables[t]; d->name; d++)
            if (strcmp(d->name, name) == 0)
                return d;
    g_error("no primitive named %s", name);
    return NULL;
}

/* Calls a primitive as the VM would, after the VM's arity check. */
static TmValue callv(TmNode *n, const char *name, int argc, TmValue *argv)
{
    const TmPrimDef *d = find_prim(name);
    g_assert_cmpint(argc, >=, d->min_args);
    if (d->max_args >= 0)
        g_assert_cmpint(argc, <=, d->max_args);
    n->vm.pending = TM_FALSE;
    return d->fn(n, argc, argv);
}

#define CALL(n, name, ...)                                                    \
    callv((n), (name), (int)(sizeof((TmValue[]){__VA_ARGS__}) / sizeof(TmValue)), \
          (TmValue[]){__VA_ARGS__})
#define CALL0(n, name) callv((n), (name), 0, NULL)

#define FIX(i) tm_fix(i)
#define CH(c) tm_char(c)

static TmValue str(TmNode *n, const char *utf8)
{
    return tm_string_from_utf8(n, utf8, -1);
}

#define LIST(n, ...)                                                          \
    tm_list_from_array((n), sizeof((TmValue[]){__VA_ARGS__}) / sizeof(TmValue), \
                       (TmValue[]){__VA_ARGS__})

/* (1 2 3 1 2 3 ...): three pairs, the last pointing back to the first.
 * Writing into new pairs is what the reader does for datum labels. */
static TmValue circular3(TmNode *n)
{
    TmValue l = LIST(n, FIX(1), FIX(2), FIX(3));
    TM_SLOT(tm_cddr(l), 1) = l;
    return l;
}

/* (0 1 2 3 2 3 ...): a cycle that does not start at the head. */
static TmValue lasso(TmNode *n)
{
    TmValue l = LIST(n, FIX(0), FIX(1), FIX(2), FIX(3));
    TM_SLOT(tm_cdr(tm_cddr(l)), 1) = tm_cddr(l);
    return l;
}

static void assert_equal(TmValue got, TmValue want)
{
    g_assert_true(got != TM_EXC);
    g_assert_true(tm_equal(got, want));
}

static void assert_string(TmValue got, const char *want)
{
    g_assert_true(tm_is_string(got));
    char *s = tm_string_to_utf8(got);
    g_assert_cmpstr(s, ==, want);
    g_free(s);
}

/* r must be TM_EXC with an error object pending whose `who` names the
 * primitive and whose message contains `part`. */
static void assert_error(TmNode *n, TmValue r, const char *who, const char *part)
{
    g_assert_true(r == TM_EXC);
    TmValue e = n->vm.pending;
    g_assert_true(tm_is_error(e));
    TmValue w = TM_SLOT(e, TM_ERR_WHO);
    g_assert_true(tm_is_symbol(w));
    char *wname = tm_string_to_utf8(tm_symbol_name(w));
    char *msg = tm_string_to_utf8(TM_SLOT(e, TM_ERR_MESSAGE));
    g_assert_cmpstr(wname, ==, who);
    if (!strstr(msg, part))
        g_error("message \"%s\" lacks \"%s\"", msg, part);
    g_free(wname);
    g_free(msg);
}

#define TEST(path, fn) g_test_add(path, Fixture, NULL, setup, fn, teardown)

/* ---- pairs and lists ---------------------------------------------------- */

static void test_cxr(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue l = LIST(n, FIX(1), LIST(n, FIX(2), FIX(3)), FIX(4), FIX(5));
    g_assert_true(CALL(n, "car", l) == FIX(1));
    g_assert_true(CALL(n, "cadr", l) == tm_cadr(l));
    g_assert_true(CALL(n, "caadr", l) == FIX(2));
    assert_equal(CALL(n, "cdadr", l), LIST(n, FIX(3)));
    g_assert_true(CALL(n, "cadddr", l) == FIX(5));
    g_assert_true(CALL(n, "cddddr", l) == TM_NIL);
    g_assert_true(CALL(n, "cons", FIX(1), FIX(2)) != TM_EXC);
}

static void test_cxr_errors(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    assert_error(n, CALL(n, "car", FIX(5)), "car",
                 "argument 1 must be a pair, got 5");
    assert_error(n, CALL(n, "cdr", TM_NIL), "cdr", "must be a pair");
    assert_error(n, CALL(n, "caddr", LIST(n, FIX(1), FIX(2))), "caddr",
                 "must be a pair whose cddr is a pair");
    assert_error(n, CALL(n, "caar", LIST(n, FIX(1))), "caar",
                 "must be a pair whose car is a pair");
}

static void test_list_predicates(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    g_assert_true(CALL(n, "list?", TM_NIL) == TM_TRUE);
    g_assert_true(CALL(n, "list?", LIST(n, FIX(1))) == TM_TRUE);
    g_assert_true(CALL(n, "list?", tm_cons(n, FIX(1), FIX(2))) == TM_FALSE);
    g_assert_true(CALL(n, "list?", circular3(n)) == TM_FALSE);
    g_assert_true(CALL(n, "list?", lasso(n)) == TM_FALSE);
    g_assert_true(CALL(n, "pair?", TM_NIL) == TM_FALSE);
    g_assert_true(CALL(n, "null?", TM_NIL) == TM_TRUE);
}

static void test_length(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    g_assert_true(CALL(n, "length", LIST(n, FIX(1), FIX(2))) == FIX(2));
    g_assert_true(CALL(n, "length", TM_NIL) == FIX(0));
    assert_error(n, CALL(n, "length", tm_cons(n, FIX(1), FIX(2))), "length",
                 "must be a proper list");
    assert_error(n, CALL(n, "length", circular3(n)), "length", "proper list");
    assert_error(n, CALL(n, "length", lasso(n)), "length", "proper list");
    g_assert_true(CALL(n, "length+", circular3(n)) == TM_FALSE);
    g_assert_true(CALL(n, "length+", lasso(n)) == TM_FALSE);
    g_assert_true(CALL(n, "length+", LIST(n, FIX(7))) == FIX(1));
    assert_error(n, CALL(n, "length+", tm_cons(n, FIX(1), FIX(2))), "length+",
                 "proper list");
}

static void test_append(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    assert_equal(CALL(n, "append", LIST(n, FIX(1)), LIST(n, FIX(2), FIX(3)), TM_NIL,
                      LIST(n, FIX(4))),
                 LIST(n, FIX(1), FIX(2), FIX(3), FIX(4)));
    g_assert_true(CALL0(n, "append") == TM_NIL);
    g_assert_true(CALL(n, "append", FIX(7)) == FIX(7));
    assert_equal(CALL(n, "append", LIST(n, FIX(1)), FIX(2)), tm_cons(n, FIX(1), FIX(2)));
}

static void test_append_shares_tail(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue first = LIST(n, FIX(1), FIX(2)), last = LIST(n, FIX(3));
    TmValue r = CALL(n, "append", first, last);
    g_assert_true(tm_cddr(r) == last);
    g_assert_true(r != first);  /* the first list is copied */
    g_assert_true(CALL(n, "append", TM_NIL, last) == last);
}

static void test_append_errors(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    assert_error(n, CALL(n, "append", tm_cons(n, FIX(1), FIX(2)), TM_NIL), "append",
                 "argument 1 must be a proper list");
    assert_error(n, CALL(n, "append", TM_NIL, circular3(n), TM_NIL), "append",
                 "argument 2 must be a proper list");
    /* a circular last argument is shared, not walked */
    TmValue c = circular3(n);
    g_assert_true(CALL(n, "append", TM_NIL, c) == c);
}

static void test_reverse(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    assert_equal(CALL(n, "reverse", LIST(n, FIX(1), FIX(2), FIX(3))),
                 LIST(n, FIX(3), FIX(2), FIX(1)));
    assert_error(n, CALL(n, "reverse", circular3(n)), "reverse", "proper list");
    assert_error(n, CALL(n, "reverse", FIX(3)), "reverse", "proper list");
}

static void test_list_tail_ref(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue l = LIST(n, FIX(10), FIX(11), FIX(12));
    g_assert_true(CALL(n, "list-tail", l, FIX(0)) == l);
    g_assert_true(CALL(n, "list-tail", l, FIX(3)) == TM_NIL);
    g_assert_true(CALL(n, "list-ref", l, FIX(2)) == FIX(12));
    assert_error(n, CALL(n, "list-ref", l, FIX(3)), "list-ref",
                 "index 3 out of range for list of length 3");
    assert_error(n, CALL(n, "list-tail", l, FIX(4)), "list-tail",
                 "index 4 out of range for list of length 3");
    assert_error(n, CALL(n, "list-ref", l, FIX(-1)), "list-ref", "out of range");
    assert_error(n, CALL(n, "list-ref", l, str(n, "x")), "list-ref",
                 "exact nonnegative integer");
    /* improper tails */
    TmValue dotted = tm_cons(n, FIX(1), FIX(2));
    g_assert_true(CALL(n, "list-tail", dotted, FIX(1)) == FIX(2));
    assert_error(n, CALL(n, "list-ref", dotted, FIX(1)), "list-ref", "out of range");
}

/* Huge indices into circular lists skip whole turns instead of walking. */
static void test_list_ref_circular(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue c = circular3(n), l = lasso(n);
    g_assert_true(CALL(n, "list-ref", c, FIX(4)) == FIX(2));
    g_assert_true(CALL(n, "list-ref", c, FIX(TM_FIXNUM_MAX)) ==
                  FIX(TM_FIXNUM_MAX % 3 + 1));
    g_assert_true(CALL(n, "list-ref", l, FIX(5)) == FIX(3));
    g_assert_true(CALL(n, "list-ref", l, FIX(1000001)) == FIX(3));
    g_assert_true(CALL(n, "list-tail", c, FIX(3)) == c);
}

static void test_first_to_fifth(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue l = LIST(n, FIX(1), FIX(2), FIX(3), FIX(4), FIX(5));
    g_assert_true(CALL(n, "first", l) == FIX(1));
    g_assert_true(CALL(n, "third", l) == FIX(3));
    g_assert_true(CALL(n, "fifth", l) == FIX(5));
    g_assert_true(CALL(n, "last", l) == FIX(5));
    assert_error(n, CALL(n, "third", LIST(n, FIX(1), FIX(2))), "third",
                 "must be a list of at least 3 elements, got (1 2)");
    assert_error(n, CALL(n, "first", TM_NIL), "first", "must be a pair");
    g_assert_true(CALL(n, "second", circular3(n)) == FIX(2));
}

static void test_last_pair(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue l = LIST(n, FIX(1), FIX(2));
    g_assert_true(CALL(n, "last-pair", l) == tm_cdr(l));
    TmValue dotted = tm_cons(n, FIX(1), FIX(2));
    g_assert_true(CALL(n, "last-pair", dotted) == dotted);
    assert_error(n, CALL(n, "last-pair", circular3(n)), "last-pair", "proper list");
    assert_error(n, CALL(n, "last", lasso(n)), "last", "proper list");
    assert_error(n, CALL(n, "last", TM_NIL), "last", "must be a pair");
}

static void test_list_copy(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue l = LIST(n, FIX(1), FIX(2));
    TmValue r = CALL(n, "list-copy", l);
    assert_equal(r, l);
    g_assert_true(r != l && tm_cdr(r) != tm_cdr(l));
    TmValue dotted = tm_cons(n, FIX(1), FIX(2));
    assert_equal(CALL(n, "list-copy", dotted), dotted);
    g_assert_true(CALL(n, "list-copy", FIX(5)) == FIX(5));
    assert_error(n, CALL(n, "list-copy", circular3(n)), "list-copy", "proper list");
}

static void test_list_head(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue l = LIST(n, FIX(1), FIX(2), FIX(3));
    assert_equal(CALL(n, "list-head", l, FIX(2)), LIST(n, FIX(1), FIX(2)));
    g_assert_true(CALL(n, "list-head", l, FIX(0)) == TM_NIL);
    assert_error(n, CALL(n, "list-head", l, FIX(4)), "list-head",
                 "count 4 out of range for list of length 3");
    assert_equal(CALL(n, "list-head", circular3(n), FIX(4)),
                 LIST(n, FIX(1), FIX(2), FIX(3), FIX(1)));
}

static void test_make_list_iota(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    assert_equal(CALL(n, "make-list", FIX(2), FIX(7)), LIST(n, FIX(7), FIX(7)));
    g_assert_true(CALL(n, "make-list", FIX(0)) == TM_NIL);
    assert_error(n, CALL(n, "make-list", FIX(-1)), "make-list",
                 "exact nonnegative integer");
    assert_error(n, CALL(n, "make-list", FIX(TM_FIXNUM_MAX)), "make-list",
                 "too large");
    assert_equal(CALL(n, "iota", FIX(3)), LIST(n, FIX(0), FIX(1), FIX(2)));
    assert_equal(CALL(n, "iota", FIX(3), FIX(1)), LIST(n, FIX(1), FIX(2), FIX(3)));
    assert_equal(CALL(n, "iota", FIX(3), FIX(0), FIX(-2)),
                 LIST(n, FIX(0), FIX(-2), FIX(-4)));
    TmValue fl = CALL(n, "iota", FIX(2), FIX(0), tm_make_flonum(n, 0.5));
    g_assert_true(tm_is_flonum(tm_cadr(fl)));
    g_assert_cmpfloat(tm_flonum_value(tm_cadr(fl)), ==, 0.5);
    assert_error(n, CALL(n, "iota", FIX(2), str(n, "a")), "iota", "number");
}

static void test_cons_star(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    assert_equal(CALL(n, "cons*", FIX(1), FIX(2), LIST(n, FIX(3))),
                 LIST(n, FIX(1), FIX(2), FIX(3)));
    g_assert_true(CALL(n, "cons*", FIX(1)) == FIX(1));
    assert_equal(CALL(n, "cons*", FIX(1), FIX(2)), tm_cons(n, FIX(1), FIX(2)));
}

static void test_member(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue s = str(n, "b");
    TmValue l = LIST(n, str(n, "a"), str(n, "b"), FIX(3));
    g_assert_true(CALL(n, "member", s, l) == tm_cdr(l));
    g_assert_true(CALL(n, "memq", s, l) == TM_FALSE);
    g_assert_true(CALL(n, "memq", FIX(3), l) == tm_cddr(l));
    g_assert_true(CALL(n, "memv", tm_make_flonum(n, 1.5),
                       LIST(n, tm_make_flonum(n, 1.5))) != TM_FALSE);
    g_assert_true(CALL(n, "memq", FIX(9), TM_NIL) == TM_FALSE);
}

static void test_member_bad_lists(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue dotted = tm_cons(n, FIX(1), FIX(2));
    g_assert_true(CALL(n, "memq", FIX(1), dotted) == dotted);
    assert_error(n, CALL(n, "memq", FIX(5), dotted), "memq",
                 "argument 2 must be a proper list");
    assert_error(n, CALL(n, "member", FIX(5), circular3(n)), "member", "proper list");
    assert_error(n, CALL(n, "memv", FIX(5), lasso(n)), "memv", "proper list");
    TmValue c = circular3(n);
    g_assert_true(CALL(n, "memq", FIX(3), c) == tm_cddr(c));
    assert_error(n, CALL(n, "memq", FIX(1), FIX(7)), "memq", "proper list");
}

static void test_assoc(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue a = tm_cons(n, str(n, "k"), FIX(1)), b = tm_cons(n, FIX(2), FIX(3));
    TmValue al = LIST(n, a, b);
    g_assert_true(CALL(n, "assoc", str(n, "k"), al) == a);
    g_assert_true(CALL(n, "assq", str(n, "k"), al) == TM_FALSE);
    g_assert_true(CALL(n, "assv", FIX(2), al) == b);
    g_assert_true(CALL(n, "assq", FIX(9), al) == TM_FALSE);
    assert_error(n, CALL(n, "assq", FIX(9), LIST(n, a, FIX(4))), "assq",
                 "association list");
    TmValue c = LIST(n, a);
    TM_SLOT(c, 1) = c;
    assert_error(n, CALL(n, "assv", FIX(9), c), "assv", "proper list");
}

static void test_delete(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue tail = LIST(n, FIX(4), FIX(5));
    TmValue l = tm_cons(n, FIX(1), tm_cons(n, str(n, "x"), tm_cons(n, FIX(2),
                        tm_cons(n, str(n, "x"), tail))));
    TmValue r = CALL(n, "delete", str(n, "x"), l);
    assert_equal(r, LIST(n, FIX(1), FIX(2), FIX(4), FIX(5)));
    g_assert_true(tm_cddr(r) == tail);
    g_assert_true(CALL(n, "delete", FIX(9), l) == l);
    assert_error(n, CALL(n, "delete", FIX(9), circular3(n)), "delete", "proper list");
}

static void test_equivalence(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue a = LIST(n, FIX(1), str(n, "s")), b = LIST(n, FIX(1), str(n, "s"));
    g_assert_true(CALL(n, "eq?", a, a) == TM_TRUE);
    g_assert_true(CALL(n, "eq?", a, b) == TM_FALSE);
    g_assert_true(CALL(n, "equal?", a, b) == TM_TRUE);
    g_assert_true(CALL(n, "eqv?", tm_make_flonum(n, 2.0), tm_make_flonum(n, 2.0)) ==
                  TM_TRUE);
    g_assert_true(CALL(n, "eqv?", str(n, "s"), str(n, "s")) == TM_FALSE);
}

/* ---- vectors ------------------------------------------------------------ */

static void test_vector_basics(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue v = CALL(n, "vector", FIX(1), FIX(2), FIX(3));
    g_assert_true(CALL(n, "vector?", v) == TM_TRUE);
    g_assert_true(CALL(n, "vector-length", v) == FIX(3));
    g_assert_true(CALL(n, "vector-ref", v, FIX(2)) == FIX(3));
    assert_error(n, CALL(n, "vector-ref", v, FIX(10)), "vector-ref",
                 "index 10 out of range for vector of length 3");
    assert_error(n, CALL(n, "vector-ref", v, tm_make_flonum(n, 1.0)), "vector-ref",
                 "exact nonnegative integer");
    assert_error(n, CALL(n, "vector-ref", TM_NIL, FIX(0)), "vector-ref",
                 "argument 1 must be a vector");
    TmValue m = CALL(n, "make-vector", FIX(2));
    g_assert_true(tm_vector_length(m) == 2 && tm_vector_ref(m, 1) == FIX(0));
    m = CALL(n, "make-vector", FIX(2), TM_TRUE);
    g_assert_true(tm_vector_ref(m, 0) == TM_TRUE);
    assert_error(n, CALL(n, "make-vector", FIX(-3)), "make-vector", "nonnegative");
}

static void test_vector_ranges(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue v = CALL(n, "vector", FIX(1), FIX(2), FIX(3), FIX(4));
    assert_equal(CALL(n, "vector->list", v), LIST(n, FIX(1), FIX(2), FIX(3), FIX(4)));
    assert_equal(CALL(n, "vector->list", v, FIX(1), FIX(3)), LIST(n, FIX(2), FIX(3)));
    assert_equal(CALL(n, "vector->list", v, FIX(4)), TM_NIL);
    assert_equal(CALL(n, "vector-copy", v, FIX(2)), CALL(n, "vector", FIX(3), FIX(4)));
    assert_equal(CALL(n, "subvector", v, FIX(0), FIX(1)), CALL(n, "vector", FIX(1)));
    g_assert_true(CALL(n, "vector-copy", v) != v);
    assert_error(n, CALL(n, "vector-copy", v, FIX(3), FIX(2)), "vector-copy",
                 "start 3 is greater than end 2");
    assert_error(n, CALL(n, "vector->list", v, FIX(0), FIX(5)), "vector->list",
                 "end 5 out of range for vector of length 4");
    assert_error(n, CALL(n, "subvector", v, FIX(5), FIX(5)), "subvector",
                 "start 5 out of range");
}

static void test_vector_conversions(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    assert_equal(CALL(n, "list->vector", LIST(n, FIX(1), FIX(2))),
                 CALL(n, "vector", FIX(1), FIX(2)));
    assert_error(n, CALL(n, "list->vector", circular3(n)), "list->vector",
                 "proper list");
    assert_equal(CALL(n, "vector-append", CALL(n, "vector", FIX(1)), CALL0(n, "vector"),
                      CALL(n, "vector", FIX(2), FIX(3))),
                 CALL(n, "vector", FIX(1), FIX(2), FIX(3)));
    assert_error(n, CALL(n, "vector-append", CALL0(n, "vector"), TM_NIL),
                 "vector-append", "argument 2 must be a vector");
    TmValue cv = CALL(n, "vector", CH('a'), CH(0x3bb), CH('c'));
    assert_string(CALL(n, "vector->string", cv), "a\xce\xbb" "c");
    assert_string(CALL(n, "vector->string", cv, FIX(1), FIX(2)), "\xce\xbb");
    assert_error(n, CALL(n, "vector->string", CALL(n, "vector", FIX(1))),
                 "vector->string", "vector of characters");
    assert_equal(CALL(n, "string->vector", str(n, "ab"), FIX(1)),
                 CALL(n, "vector", CH('b')));
}

/* ---- characters --------------------------------------------------------- */

static void test_char_integer(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    g_assert_true(CALL(n, "char->integer", CH(0x1F600)) == FIX(0x1F600));
    g_assert_true(CALL(n, "integer->char", FIX(65)) == CH('A'));
    g_assert_true(CALL(n, "integer->char", FIX(0x10FFFF)) == CH(0x10FFFF));
    assert_error(n, CALL(n, "integer->char", FIX(0xD800)), "integer->char",
                 "not a Unicode scalar value");
    assert_error(n, CALL(n, "integer->char", FIX(0x110000)), "integer->char",
                 "Unicode scalar value");
    assert_error(n, CALL(n, "integer->char", FIX(-1)), "integer->char", "scalar");
    assert_error(n, CALL(n, "integer->char", CH('a')), "integer->char",
                 "exact integer");
    assert_error(n, CALL(n, "char->integer", FIX(1)), "char->integer", "char");
}

static void test_char_compare(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    g_assert_true(CALL(n, "char<?", CH('a'), CH('b'), CH('c')) == TM_TRUE);
    g_assert_true(CALL(n, "char<?", CH('a'), CH('c'), CH('b')) == TM_FALSE);
    g_assert_true(CALL(n, "char>=?", CH('c'), CH('c'), CH('a')) == TM_TRUE);
    g_assert_true(CALL(n, "char=?", CH('a'), CH('A')) == TM_FALSE);
    g_assert_true(CALL(n, "char-ci=?", CH('a'), CH('A')) == TM_TRUE);
    g_assert_true(CALL(n, "char-ci=?", CH(0x3A3), CH(0x3C3)) == TM_TRUE);
    g_assert_true(CALL(n, "char-ci<?", CH('a'), CH('B')) == TM_TRUE);
    /* every argument is checked even after the answer is known */
    assert_error(n, CALL(n, "char<?", CH('b'), CH('a'), FIX(1)), "char<?",
                 "argument 3 must be a char");
}

static void test_char_classes(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    g_assert_true(CALL(n, "char-alphabetic?", CH(0x3bb)) == TM_TRUE);
    g_assert_true(CALL(n, "char-alphabetic?", CH('1')) == TM_FALSE);
    g_assert_true(CALL(n, "char-numeric?", CH(0x663)) == TM_TRUE);
    g_assert_true(CALL(n, "char-whitespace?", CH(0xA0)) == TM_TRUE);
    g_assert_true(CALL(n, "char-whitespace?", CH('\t')) == TM_TRUE);
    g_assert_true(CALL(n, "char-upper-case?", CH('A')) == TM_TRUE);
    g_assert_true(CALL(n, "char-lower-case?", CH('A')) == TM_FALSE);
    g_assert_true(CALL(n, "digit-value", CH('7')) == FIX(7));
    g_assert_true(CALL(n, "digit-value", CH(0x663)) == FIX(3));
    g_assert_true(CALL(n, "digit-value", CH('a')) == TM_FALSE);
    g_assert_true(CALL(n, "char-upcase", CH(0xE9)) == CH(0xC9));
    g_assert_true(CALL(n, "char-downcase", CH('Q')) == CH('q'));
    g_assert_true(CALL(n, "char-foldcase", CH(0x3A3)) == CH(0x3C3));
    g_assert_true(CALL(n, "char-foldcase", CH(0xDF)) == CH(0xDF));
    assert_error(n, CALL(n, "char-upcase", str(n, "a")), "char-upcase", "char");
}

/* ---- strings ------------------------------------------------------------ */

static void test_string_basics(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue s = str(n, "h\xc3\xa9llo");
    g_assert_true(CALL(n, "string-length", s) == FIX(5));
    g_assert_true(CALL(n, "string-ref", s, FIX(1)) == CH(0xE9));
    assert_error(n, CALL(n, "string-ref", str(n, "abc"), FIX(10)), "string-ref",
                 "index 10 out of range for string of length 3");
    assert_error(n, CALL(n, "string-ref", FIX(1), FIX(0)), "string-ref",
                 "argument 1 must be a string");
    assert_string(CALL(n, "make-string", FIX(3), CH('z')), "zzz");
    assert_string(CALL(n, "make-string", FIX(2)), "  ");
    assert_error(n, CALL(n, "make-string", FIX(2), FIX(1)), "make-string", "char");
    assert_string(CALL(n, "string", CH('a'), CH(0x263A)), "a\xe2\x98\xba");
    assert_string(CALL0(n, "string"), "");
    assert_error(n, CALL(n, "string", CH('a'), FIX(1)), "string",
                 "argument 2 must be a char");
}

static void test_string_slices(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue s = str(n, "hello");
    assert_string(CALL(n, "substring", s, FIX(1), FIX(3)), "el");
    assert_string(CALL(n, "substring", s, FIX(2)), "llo");
    assert_string(CALL(n, "string-copy", s), "hello");
    assert_string(CALL(n, "string-copy", s, FIX(5)), "");
    assert_error(n, CALL(n, "substring", s, FIX(4), FIX(2)), "substring",
                 "start 4 is greater than end 2");
    assert_error(n, CALL(n, "substring", s, FIX(0), FIX(6)), "substring",
                 "end 6 out of range for string of length 5");
    assert_string(CALL(n, "string-append", s, str(n, ", "), str(n, "w")), "hello, w");
    assert_string(CALL0(n, "string-append"), "");
    assert_error(n, CALL(n, "string-append", s, CH('x')), "string-append",
                 "argument 2 must be a string");
}

static void test_string_lists(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    assert_equal(CALL(n, "string->list", str(n, "abc")), LIST(n, CH('a'), CH('b'), CH('c')));
    assert_equal(CALL(n, "string->list", str(n, "abc"), FIX(1), FIX(2)), LIST(n, CH('b')));
    assert_string(CALL(n, "list->string", LIST(n, CH('o'), CH('k'))), "ok");
    assert_string(CALL(n, "list->string", TM_NIL), "");
    assert_error(n, CALL(n, "list->string", LIST(n, CH('o'), FIX(1))), "list->string",
                 "list of characters");
    TmValue c = LIST(n, CH('a'));
    TM_SLOT(c, 1) = c;
    assert_error(n, CALL(n, "list->string", c), "list->string", "proper list");
    assert_error(n, CALL(n, "list->string", tm_cons(n, CH('a'), CH('b'))),
                 "list->string", "proper list");
}

static void test_string_compare(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue a = str(n, "apple"), b = str(n, "banana"), ap = str(n, "app");
    g_assert_true(CALL(n, "string<?", a, b) == TM_TRUE);
    g_assert_true(CALL(n, "string<?", ap, a, b) == TM_TRUE);
    g_assert_true(CALL(n, "string<?", a, ap) == TM_FALSE);
    g_assert_true(CALL(n, "string=?", a, str(n, "apple"), str(n, "apple")) == TM_TRUE);
    g_assert_true(CALL(n, "string>=?", b, b, a) == TM_TRUE);
    g_assert_true(CALL(n, "string=?", a, str(n, "Apple")) == TM_FALSE);
    g_assert_true(CALL(n, "string-ci=?", a, str(n, "APPLE")) == TM_TRUE);
    g_assert_true(CALL(n, "string-ci=?", str(n, "Stra\xc3\x9f" "e"),
                       str(n, "STRASSE")) == TM_TRUE);
    g_assert_true(CALL(n, "string-ci<?", str(n, "a"), str(n, "B")) == TM_TRUE);
    g_assert_true(CALL(n, "string-ci>?", str(n, "a"), str(n, "B")) == TM_FALSE);
    assert_error(n, CALL(n, "string<?", a, FIX(1)), "string<?",
                 "argument 2 must be a string");
}

/* Strings may hold U+0000; GLib's case functions would stop there. */
static void test_string_case(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    assert_string(CALL(n, "string-upcase", str(n, "stra\xc3\x9f" "e")), "STRASSE");
    assert_string(CALL(n, "string-downcase", str(n, "HeLLo")), "hello");
    assert_string(CALL(n, "string-foldcase", str(n, "ABC")), "abc");
    uint32_t with_nul[] = {'a', 0, 'b'};
    TmValue s = tm_string_from_chars(n, with_nul, 3);
    TmValue up = CALL(n, "string-upcase", s);
    g_assert_cmpuint(tm_string_length(up), ==, 3);
    g_assert_cmpuint(tm_string_chars(up)[1], ==, 0);
    g_assert_cmpuint(tm_string_chars(up)[2], ==, 'B');
    TmValue s2 = tm_string_from_chars(n, (uint32_t[]){'A', 0, 'c'}, 3);
    g_assert_true(CALL(n, "string-ci=?", s, s2) == TM_FALSE);
    g_assert_true(CALL(n, "string-ci<?", s, s2) == TM_TRUE);
}

static void test_string_search(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue s = str(n, "banana");
    g_assert_true(CALL(n, "string-index", s, CH('n')) == FIX(2));
    g_assert_true(CALL(n, "string-index", s, CH('n'), FIX(3)) == FIX(4));
    g_assert_true(CALL(n, "string-index", s, CH('z')) == TM_FALSE);
    g_assert_true(CALL(n, "string-search-forward", str(n, "an"), s, FIX(0)) == FIX(1));
    g_assert_true(CALL(n, "string-search-forward", str(n, "an"), s, FIX(2)) == FIX(3));
    g_assert_true(CALL(n, "string-search-forward", str(n, "an"), s, FIX(4)) == TM_FALSE);
    g_assert_true(CALL(n, "string-search-forward", str(n, ""), s, FIX(6)) == FIX(6));
    assert_error(n, CALL(n, "string-search-forward", str(n, "a"), s, FIX(7)),
                 "string-search-forward", "start 7 out of range");
    g_assert_true(CALL(n, "string-contains", s, str(n, "nan")) == FIX(2));
    g_assert_true(CALL(n, "string-contains", s, str(n, "nab")) == TM_FALSE);
    g_assert_true(CALL(n, "string-contains", str(n, "a"), str(n, "abc")) == TM_FALSE);
    g_assert_true(CALL(n, "string-prefix?", str(n, "ban"), s) == TM_TRUE);
    g_assert_true(CALL(n, "string-prefix?", s, str(n, "ban")) == TM_FALSE);
    g_assert_true(CALL(n, "string-suffix?", str(n, "ana"), s) == TM_TRUE);
    g_assert_true(CALL(n, "string-suffix?", str(n, "bananas"), s) == TM_FALSE);
    g_assert_true(CALL(n, "string-suffix?", str(n, ""), s) == TM_TRUE);
}

static void test_string_join_split(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue parts = LIST(n, str(n, "a"), str(n, "bc"), str(n, ""));
    assert_string(CALL(n, "string-join", parts), "a bc ");
    assert_string(CALL(n, "string-join", parts, str(n, ", ")), "a, bc, ");
    assert_string(CALL(n, "string-join", TM_NIL), "");
    assert_error(n, CALL(n, "string-join", LIST(n, str(n, "a"), FIX(1))), "string-join",
                 "list of strings");
    assert_error(n, CALL(n, "string-join", circular3(n)), "string-join", "proper list");
    assert_equal(CALL(n, "string-split", str(n, "a,,b"), CH(',')),
                 LIST(n, str(n, "a"), str(n, ""), str(n, "b")));
    assert_equal(CALL(n, "string-split", str(n, ""), CH(',')), LIST(n, str(n, "")));
    assert_equal(CALL(n, "string-split", str(n, "x,"), CH(',')),
                 LIST(n, str(n, "x"), str(n, "")));
}

static void test_string_pad(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    assert_string(CALL(n, "string-pad-left", str(n, "42"), FIX(5)), "   42");
    assert_string(CALL(n, "string-pad-left", str(n, "42"), FIX(4), CH('0')), "0042");
    assert_string(CALL(n, "string-pad-left", str(n, "12345"), FIX(3)), "345");
    assert_string(CALL(n, "string-pad-right", str(n, "ab"), FIX(4), CH('.')), "ab..");
    assert_string(CALL(n, "string-pad-right", str(n, "abcdef"), FIX(2)), "ab");
    assert_error(n, CALL(n, "string-pad-left", str(n, "a"), FIX(-1)), "string-pad-left",
                 "nonnegative");
}

/* ---- symbols and keywords ----------------------------------------------- */

static void test_symbols(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue s = CALL(n, "string->symbol", str(n, "hello"));
    g_assert_true(s == tm_intern(n, "hello"));
    g_assert_true(CALL(n, "symbol?", s) == TM_TRUE);
    g_assert_true(CALL(n, "symbol?", str(n, "hello")) == TM_FALSE);
    assert_string(CALL(n, "symbol->string", s), "hello");
    g_assert_true(CALL(n, "symbol=?", s, tm_intern(n, "hello"), s) == TM_TRUE);
    g_assert_true(CALL(n, "symbol=?", s, tm_intern(n, "other")) == TM_FALSE);
    assert_error(n, CALL(n, "symbol=?", s, str(n, "hello")), "symbol=?",
                 "argument 2 must be a symbol");
    TmValue u = CALL(n, "string->uninterned-symbol", str(n, "hello"));
    g_assert_true(tm_is_symbol(u) && u != s);
    TmValue g1 = CALL0(n, "gensym"), g2 = CALL(n, "gensym", tm_intern(n, "tmp"));
    g_assert_true(tm_is_symbol(g1) && g1 != g2);
    char *name = tm_string_to_utf8(tm_symbol_name(g2));
    g_assert_true(g_str_has_prefix(name, "tmp"));
    g_free(name);
    assert_error(n, CALL(n, "gensym", FIX(1)), "gensym", "symbol or string");
    assert_error(n, CALL(n, "symbol->string", str(n, "x")), "symbol->string", "symbol");
}

static void test_keywords(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue k = CALL(n, "string->keyword", str(n, "port"));
    g_assert_true(k == tm_intern_keyword(n, "port"));
    g_assert_true(CALL(n, "keyword?", k) == TM_TRUE);
    g_assert_true(CALL(n, "symbol?", k) == TM_FALSE);
    assert_string(CALL(n, "keyword->string", k), "port");
    assert_error(n, CALL(n, "keyword->string", tm_intern(n, "port")), "keyword->string",
                 "keyword");
}

/* ---- bytevectors -------------------------------------------------------- */

static void test_bytevectors(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue b = CALL(n, "bytevector", FIX(1), FIX(2), FIX(255));
    g_assert_true(CALL(n, "bytevector?", b) == TM_TRUE);
    g_assert_true(CALL(n, "u8vector?", b) == TM_TRUE);
    g_assert_true(CALL(n, "bytevector-length", b) == FIX(3));
    g_assert_true(CALL(n, "bytevector-u8-ref", b, FIX(2)) == FIX(255));
    assert_error(n, CALL(n, "u8vector-ref", b, FIX(3)), "u8vector-ref",
                 "index 3 out of range for bytevector of length 3");
    assert_error(n, CALL(n, "bytevector", FIX(1), FIX(256)), "bytevector",
                 "argument 2 must be a byte");
    assert_error(n, CALL(n, "u8vector", FIX(-1)), "u8vector", "byte");
    TmValue m = CALL(n, "make-bytevector", FIX(3), FIX(7));
    g_assert_true(tm_bytevector_data(m)[2] == 7);
    m = CALL(n, "make-u8vector", FIX(2));
    g_assert_true(tm_bytevector_data(m)[1] == 0);
    assert_error(n, CALL(n, "make-bytevector", FIX(2), FIX(300)), "make-bytevector",
                 "byte");
    assert_equal(CALL(n, "bytevector-copy", b, FIX(1)), CALL(n, "bytevector", FIX(2), FIX(255)));
    assert_equal(CALL(n, "subu8vector", b, FIX(0), FIX(1)), CALL(n, "bytevector", FIX(1)));
    assert_error(n, CALL(n, "bytevector-copy", b, FIX(2), FIX(1)), "bytevector-copy",
                 "start 2 is greater than end 1");
    assert_equal(CALL(n, "bytevector-append", b, CALL0(n, "bytevector"), b),
                 CALL(n, "bytevector", FIX(1), FIX(2), FIX(255), FIX(1), FIX(2), FIX(255)));
    assert_error(n, CALL(n, "u8vector-append", b, str(n, "x")), "u8vector-append",
                 "argument 2 must be a bytevector");
    assert_equal(CALL(n, "u8vector->list", b, FIX(1)), LIST(n, FIX(2), FIX(255)));
    assert_equal(CALL(n, "list->u8vector", LIST(n, FIX(9))), CALL(n, "bytevector", FIX(9)));
    assert_error(n, CALL(n, "list->u8vector", LIST(n, FIX(999))), "list->u8vector",
                 "list of bytes");
    assert_error(n, CALL(n, "list->u8vector", circular3(n)), "list->u8vector",
                 "proper list");
}

static void test_utf8(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue s = str(n, "a\xce\xbb\xf0\x9f\x98\x80");
    TmValue b = CALL(n, "string->utf8", s);
    g_assert_cmpuint(tm_bytevector_length(b), ==, 7);
    assert_equal(CALL(n, "utf8->string", b), s);
    assert_equal(CALL(n, "string->utf8", s, FIX(1), FIX(2)),
                 CALL(n, "bytevector", FIX(0xce), FIX(0xbb)));
    assert_string(CALL(n, "utf8->string", b, FIX(1), FIX(3)), "\xce\xbb");
    /* a cut sequence and a stray byte each read as U+FFFD */
    TmValue bad = CALL(n, "bytevector", FIX(0xce), FIX('x'), FIX(0xff));
    assert_string(CALL(n, "utf8->string", bad), "\xef\xbf\xbdx\xef\xbf\xbd");
    /* U+0000 survives the round trip */
    TmValue z = CALL(n, "utf8->string", CALL(n, "bytevector", FIX(0), FIX('a')));
    g_assert_cmpuint(tm_string_length(z), ==, 2);
    g_assert_cmpuint(tm_string_chars(z)[0], ==, 0);
    assert_error(n, CALL(n, "utf8->string", s), "utf8->string",
                 "argument 1 must be a bytevector");
}

/* Every table entry is well formed and no name appears twice. */
static void test_tables(Fixture *f, gconstpointer d)
{
    (void)f, (void)d;
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
    const TmPrimDef *tables[] = {tm_prims_list, tm_prims_string};
    for (size_t t = 0; t < G_N_ELEMENTS(tables); t++)
        for (const TmPrimDef *p = tables[t]; p->name; p++) {
            g_assert_nonnull(p->fn);
            g_assert_true(p->max_args < 0 || p->max_args >= p->min_args);
            if (!g_hash_table_add(seen, (gpointer)p->name))
                g_error("duplicate primitive %s", p->name);
        }
    g_assert_true(g_hash_table_contains(seen, "cddddr"));
    g_assert_true(g_hash_table_contains(seen, "string-ci>=?"));
    g_hash_table_destroy(seen);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    TEST("/prims/tables", test_tables);
    TEST("/list/cxr/values", test_cxr);
    TEST("/list/cxr/errors", test_cxr_errors);
    TEST("/list/predicates", test_list_predicates);
    TEST("/list/length/improper-and-circular", test_length);
    TEST("/list/append/basic", test_append);
    TEST("/list/append/shares-tail", test_append_shares_tail);
    TEST("/list/append/errors", test_append_errors);
    TEST("/list/reverse", test_reverse);
    TEST("/list/list-tail-ref/range", test_list_tail_ref);
    TEST("/list/list-ref/circular", test_list_ref_circular);
    TEST("/list/first-to-fifth", test_first_to_fifth);
    TEST("/list/last-pair", test_last_pair);
    TEST("/list/list-copy", test_list_copy);
    TEST("/list/list-head", test_list_head);
    TEST("/list/make-list-iota", test_make_list_iota);
    TEST("/list/cons-star", test_cons_star);
    TEST("/list/member/basic", test_member);
    TEST("/list/member/improper-and-circular", test_member_bad_lists);
    TEST("/list/assoc", test_assoc);
    TEST("/list/delete/shares-tail", test_delete);
    TEST("/list/equivalence", test_equivalence);
    TEST("/vector/basics", test_vector_basics);
    TEST("/vector/ranges", test_vector_ranges);
    TEST("/vector/conversions", test_vector_conversions);
    TEST("/char/integer", test_char_integer);
    TEST("/char/compare", test_char_compare);
    TEST("/char/classes-and-case", test_char_classes);
    TEST("/string/basics", test_string_basics);
    TEST("/string/slices", test_string_slices);
    TEST("/string/lists", test_string_lists);
    TEST("/string/compare", test_string_compare);
    TEST("/string/case", test_string_case);
    TEST("/string/search", test_string_search);
    TEST("/string/join-split", test_string_join_split);
    TEST("/string/pad", test_string_pad);
    TEST("/symbol/basics", test_symbols);
    TEST("/keyword/basics", test_keywords);
    TEST("/bytevector/basics", test_bytevectors);
    TEST("/bytevector/utf8", test_utf8);
    return g_test_run();
}
