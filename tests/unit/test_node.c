/* Several nodes in one OS process must not share anything. */
#include "termite.h"

#include "object.h"

static intptr_t global_fixnum(TmNode *n, const char *name)
{
    TmValue v = TM_SLOT(tm_intern(n, name), TM_SYM_VALUE);
    g_assert_true(tm_is_fixnum(v));
    return tm_fixval(v);
}

static void test_two_nodes_isolated(void)
{
    TmWorld *w = tm_world_real_new(1);
    TmNode *a = tm_node_new(w), *b = tm_node_new(w);
    TmValue r;
    g_assert_cmpint(tm_node_eval_string(a, "(define x 1) (define (f) (* x 10))", "a", &r),
                    ==, TM_EVAL_OK);
    g_assert_cmpint(tm_node_eval_string(b, "(define x 2) (define (f) (+ x 100))", "b", &r),
                    ==, TM_EVAL_OK);
    g_assert_cmpint(tm_node_eval_string(a, "(define y (f))", "a", &r), ==, TM_EVAL_OK);
    g_assert_cmpint(tm_node_eval_string(b, "(define y (f))", "b", &r), ==, TM_EVAL_OK);
    g_assert_cmpint(global_fixnum(a, "x"), ==, 1);
    g_assert_cmpint(global_fixnum(b, "x"), ==, 2);
    g_assert_cmpint(global_fixnum(a, "y"), ==, 10);
    g_assert_cmpint(global_fixnum(b, "y"), ==, 102);
    /* redefining a primitive in one node leaves the other alone */
    g_assert_cmpint(tm_node_eval_string(a, "(define (car x) 'mine) (define z (car '(1)))",
                                        "a", &r), ==, TM_EVAL_OK);
    g_assert_cmpint(tm_node_eval_string(b, "(define z (car '(7)))", "b", &r), ==, TM_EVAL_OK);
    g_assert_cmpint(global_fixnum(b, "z"), ==, 7);
    g_assert_true(TM_SLOT(tm_intern(a, "z"), TM_SYM_VALUE) == tm_intern(a, "mine"));
    /* symbols are per node */
    g_assert_true(tm_intern(a, "x") != tm_intern(b, "x"));
    tm_node_free(a);
    tm_node_free(b);
    tm_world_free(w);
}

static void test_eval_result(void)
{
    TmWorld *w = tm_world_real_new(1);
    TmNode *n = tm_node_new(w);
    TmValue r;
    g_assert_cmpint(tm_node_eval_string(n, "(let loop ((i 0) (acc 0)) (if (= i 100) acc "
                                           "(loop (+ i 1) (+ acc i))))", "t", &r),
                    ==, TM_EVAL_OK);
    g_assert_cmpint(tm_fixval(r), ==, 4950);
    g_assert_cmpint(tm_node_eval_string(n, "(+ 1", "t", &r), ==, TM_EVAL_INCOMPLETE);
    tm_node_free(n);
    tm_world_free(w);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/node/isolation/globals", test_two_nodes_isolated);
    g_test_add_func("/node/eval/result", test_eval_result);
    return g_test_run();
}
