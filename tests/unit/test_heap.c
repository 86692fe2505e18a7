/* The collector: survival of reachable data, promotion, the remembered
 * set, and the heap verifier after every collection. */
#include "termite.h"

#include "heap.h"
#include "object.h"

static TmNode *node_new(TmWorld **w)
{
    *w = tm_world_real_new(1);
    TmNode *n = tm_node_new(*w);
    n->heap.verify = true;
    return n;
}

static void test_rooted_list_survives(void)
{
    TmWorld *w;
    TmNode *n = node_new(&w);
    TmValue l = TM_NIL;
    tm_root_push(n, &l);
    for (int i = 0; i < 100000; i++)
        l = tm_cons(n, tm_fix(i), l);
    tm_heap_collect(n, false);
    tm_heap_collect(n, true);
    intptr_t expect = 99999;
    for (TmValue p = l; p != TM_NIL; p = tm_cdr(p), expect--)
        g_assert_cmpint(tm_fixval(tm_car(p)), ==, expect);
    g_assert_cmpint(expect, ==, -1);
    g_assert_false(tm_is_young(l));
    tm_root_pop(n, 1);
    tm_node_free(n);
    tm_world_free(w);
}

/* An old object written with a young value (a global) keeps it alive
 * through a minor collection. */
static void test_remembered_set(void)
{
    TmWorld *w;
    TmNode *n = node_new(&w);
    TmValue sym = tm_intern(n, "remembered-test");
    tm_heap_collect(n, true);
    sym = tm_intern(n, "remembered-test");
    g_assert_false(tm_is_young(sym));
    TmValue s = tm_string_from_utf8(n, "young string", -1);
    g_assert_true(tm_is_young(s));
    tm_write(n, sym, TM_SYM_VALUE, s);
    tm_heap_collect(n, false);
    TmValue v = TM_SLOT(sym, TM_SYM_VALUE);
    g_assert_false(tm_is_young(v));
    char *c = tm_string_to_utf8(v);
    g_assert_cmpstr(c, ==, "young string");
    g_free(c);
    tm_node_free(n);
    tm_world_free(w);
}

/* Programs allocate far more than the nursery holds. */
static void test_allocation_heavy_program(void)
{
    TmWorld *w;
    TmNode *n = node_new(&w);
    n->heap.verify = false;
    TmValue r;
    const char *prog =
        "(define (build k acc) (if (= k 0) acc (build (- k 1) (cons k acc))))"
        "(define (sum l acc) (if (null? l) acc (sum (cdr l) (+ acc (car l)))))"
        "(let loop ((i 0) (total 0))"
        "  (if (= i 50) total (loop (+ i 1) (+ total (sum (build 20000 '()) 0)))))";
    g_assert_cmpint(tm_node_eval_string(n, prog, "t", &r), ==, TM_EVAL_OK);
    g_assert_cmpint(tm_fixval(r), ==, 50LL * (20000LL * 20001 / 2));
    g_assert_cmpuint(tm_heap_stats(n).minor, >, 0);
    tm_node_free(n);
    tm_world_free(w);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/heap/collect/rooted-list", test_rooted_list_survives);
    g_test_add_func("/heap/collect/remembered-set", test_remembered_set);
    g_test_add_func("/heap/collect/allocation-heavy", test_allocation_heavy_program);
    return g_test_run();
}
