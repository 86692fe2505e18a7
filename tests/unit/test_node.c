/* Several nodes in one OS process must not share anything. */
#include "termite.h"

#include "object.h"
#include "printer.h"
#include "process.h"

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

static char *written(TmNode *n, const char *expr)
{
    TmValue r;
    g_assert_cmpint(tm_node_eval_string(n, expr, "t", &r), ==, TM_EVAL_OK);
    return tm_node_write_string(n, r);
}

/* Pids print with their process number, which counts spawns from 0 (main;
 * the prelude's service registry is 1), and name their node only when it
 * is not this one. */
static void test_pid_printing(void)
{
    TmWorld *w = tm_world_real_new(1);
    TmNode *n = tm_node_new(w);
    char *s = written(n, "(self)");
    g_assert_cmpstr(s, ==, "#<pid 0>");
    g_free(s);
    s = written(n, "(list (spawn (lambda () 1)) (spawn (lambda () 2)))");
    g_assert_cmpstr(s, ==, "(#<pid 2> #<pid 3>)");
    g_free(s);
    s = written(n, "(call-with-output-string (lambda (p) (display (self) p)))");
    g_assert_cmpstr(s, ==, "\"#<pid 0>\"");
    g_free(s);

    TmValue node = tm_alloc(n, TM_T_NODEREF, TM_NODE_NSLOTS);
    TM_SLOT(node, TM_NODE_HOST) = tm_string_from_utf8(n, "alpha.example", -1);
    TM_SLOT(node, TM_NODE_PORT) = tm_fix(4000);
    TM_SLOT(node, TM_NODE_INCARNATION) = tm_fix(9);
    TmValue pid = tm_alloc(n, TM_T_PID, TM_PID_NSLOTS);
    TM_SLOT(pid, TM_PID_NODE) = node;
    TM_SLOT(pid, TM_PID_NUMBER) = tm_fix(7);
    TM_SLOT(pid, TM_PID_PROCESS) = TM_FALSE;
    s = tm_node_write_string(n, pid);
    g_assert_cmpstr(s, ==, "#<pid 7@alpha.example:4000>");
    g_free(s);
    /* another incarnation of this node's address is another node */
    TmValue self = n->sched.self_node;
    TM_SLOT(node, TM_NODE_HOST) = TM_SLOT(self, TM_NODE_HOST);
    TM_SLOT(node, TM_NODE_PORT) = TM_SLOT(self, TM_NODE_PORT);
    s = tm_node_write_string(n, pid);
    g_assert_cmpstr(s, ==, "#<pid 7@localhost:0>");
    g_free(s);
    tm_node_free(n);
    tm_world_free(w);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/node/isolation/globals", test_two_nodes_isolated);
    g_test_add_func("/node/eval/result", test_eval_result);
    g_test_add_func("/node/print/pid", test_pid_printing);
    return g_test_run();
}
