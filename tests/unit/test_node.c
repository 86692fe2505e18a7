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

static TmEvalStatus eval(TmNode *n, const char *text, TmValue *r)
{
    return tm_node_eval_string(n, text, "t", r);
}

/* After an uncaught error the next evaluation runs in the dynamic
 * environment from before the failed one; the after thunks of the extents
 * the error left have run, once. */
static void test_dynenv_reset_after_error(void)
{
    TmWorld *w = tm_world_real_new(1);
    TmNode *n = tm_node_new(w);
    TmValue r;
    g_assert_cmpint(eval(n, "(define p (make-parameter 1)) (define me (self))", &r), ==,
                    TM_EVAL_OK);
    g_assert_cmpint(eval(n, "(parameterize ((p 2)) (car 5))", &r), ==, TM_EVAL_ERROR);
    g_assert_cmpint(eval(n, "(p)", &r), ==, TM_EVAL_OK);
    g_assert_true(r == tm_fix(1));
    g_assert_cmpint(eval(n, "(parameterize ((p 3))"
                            "  (dynamic-wind (lambda () #f)"
                            "                (lambda () (car 5))"
                            "                (lambda () (! me (list 'after (p))))))", &r),
                    ==, TM_EVAL_ERROR);
    char *s = written(n, "(list (? 0 'none) (? 0 'none) (p))");
    g_assert_cmpstr(s, ==, "((after 3) none 1)");
    g_free(s);
    /* exit leaves no extent the failed evaluation was in: nothing runs */
    g_assert_cmpint(eval(n, "(exit 5)", &r), ==, TM_EVAL_EXIT);
    g_assert_cmpint(tm_node_exit_code(n), ==, 5);
    tm_node_free(n);
    tm_world_free(w);
}

/* Run the other processes until none is runnable and no timer is left. */
static TmEvalStatus run_background_to_end(TmNode *n)
{
    for (int i = 0; i < 1000; i++) {
        int64_t wait;
        TmEvalStatus st = tm_node_run_background(n, 1000000, &wait);
        if (st != TM_EVAL_OK || wait < 0)
            return st;
        g_usleep((gulong)(wait / 1000));
    }
    g_assert_not_reached();
}

static void test_run_background(void)
{
    TmWorld *w = tm_world_real_new(1);
    TmNode *n = tm_node_new(w);
    TmValue r;
    g_assert_cmpint(eval(n, "(define me (self))"
                            "(spawn (lambda () (! me 'first) (? 0.03 #f) (! me 'second)))"
                            "(spawn (lambda () (let loop ((i 0))"
                            "                    (if (< i 100000) (loop (+ i 1)) (! me i)))))",
                         &r), ==, TM_EVAL_OK);
    /* nothing has run yet: the main program did not wait */
    char *s = written(n, "(? 0 'none)");
    g_assert_cmpstr(s, ==, "none");
    g_free(s);
    g_assert_cmpint(run_background_to_end(n), ==, TM_EVAL_OK);
    /* the long loop had many time slices; the timer fired (which of the
     * two came first depends on the machine's speed) */
    s = written(n, "(let* ((l (list (? 0 'none) (? 0 'none) (? 0 'none)))"
                   "       (more (? 0 'none)))"
                   "  (list (car l) (and (member 100000 l) #t)"
                   "        (and (memq 'second l) #t) more))");
    g_assert_cmpstr(s, ==, "(first #t #t none)");
    g_free(s);
    /* a process that exits ends the program */
    g_assert_cmpint(eval(n, "(spawn (lambda () (exit 4)))", &r), ==, TM_EVAL_OK);
    g_assert_cmpint(run_background_to_end(n), ==, TM_EVAL_EXIT);
    g_assert_cmpint(tm_node_exit_code(n), ==, 4);
    tm_node_free(n);
    tm_world_free(w);
}

static gpointer interrupt_later(gpointer data)
{
    g_usleep(50000);
    tm_node_request_interrupt(data);
    return NULL;
}

/* An interrupt requested from another thread ends a running evaluation
 * with an error, whether the main program itself runs or waits while
 * another process runs. */
static void test_interrupt(void)
{
    TmWorld *w = tm_world_real_new(1);
    TmNode *n = tm_node_new(w);
    TmValue r;
    const char *programs[] = {
        "(let loop () (loop))",
        "(spawn (lambda () (let loop () (loop)))) (? 30 'timeout)",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(programs); i++) {
        GThread *t = g_thread_new("interrupt", interrupt_later, n);
        gint64 t0 = g_get_monotonic_time();
        g_assert_cmpint(eval(n, programs[i], &r), ==, TM_EVAL_ERROR);
        g_assert_cmpint(g_get_monotonic_time() - t0, <, 10 * G_USEC_PER_SEC);
        g_thread_join(t);
        g_assert_false(tm_node_clear_interrupt(n));  /* it was taken */
        g_assert_cmpint(eval(n, "(+ 1 2)", &r), ==, TM_EVAL_OK);
        g_assert_true(r == tm_fix(3));
    }
    /* the error is catchable: it is an error object "interrupted" */
    GThread *t = g_thread_new("interrupt", interrupt_later, n);
    char *s = written(n, "(guard (e (#t (error-object-message e))) (let loop () (loop)))");
    g_thread_join(t);
    g_assert_cmpstr(s, ==, "\"interrupted\"");
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
    g_test_add_func("/node/eval/dynenv-after-error", test_dynenv_reset_after_error);
    g_test_add_func("/node/background/run", test_run_background);
    g_test_add_func("/node/interrupt/evaluation", test_interrupt);
    return g_test_run();
}
