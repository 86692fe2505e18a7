/* The process table (pid number -> live descriptor): lookups after
 * spawns, exits and collections, with dense numbers and with numbers
 * that collide, and the order of process-list; receive timers. */
#include "termite.h"

#include "heap.h"
#include "object.h"
#include "process.h"

static TmNode *node_new(TmWorld **w)
{
    *w = tm_world_real_new(1);
    return tm_node_new(*w);
}

static void node_free(TmNode *n, TmWorld *w)
{
    tm_node_free(n);
    tm_world_free(w);
}

static int64_t spawn_one(TmNode *n)
{
    TmValue p = tm_process_spawn(n, TM_FALSE, TM_FALSE);
    return tm_fixval(TM_SLOT(TM_SLOT(p, TM_PROC_PID), TM_PID_NUMBER));
}

static void end(TmNode *n, int64_t number)
{
    TmValue p = tm_process_lookup(n, number);
    g_assert_true(tm_is_process(p));
    tm_process_exit(n, p, n->sym[TM_S_normal], TM_FALSE);
}

/* live[i] says whether process first + i should be found. */
static void check(TmNode *n, int64_t first, const bool *live, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        TmValue p = tm_process_lookup(n, first + (int64_t)i);
        if (live[i]) {
            g_assert_true(tm_is_process(p));
            g_assert_cmpint(tm_process_state(p), !=, TM_PS_DEAD);
            g_assert_cmpint(tm_fixval(TM_SLOT(TM_SLOT(p, TM_PROC_PID), TM_PID_NUMBER)), ==,
                            first + (int64_t)i);
        } else {
            g_assert_true(p == TM_FALSE);
        }
    }
    g_assert_true(tm_process_lookup(n, first + (int64_t)count) == TM_FALSE);
    g_assert_true(tm_process_lookup(n, -1) == TM_FALSE);
}

/* Dense numbers, processes ending in a scrambled order, collections in
 * between: every live one is found, no dead one is, and the numbers
 * stay the table's index (no fallback to hashing). */
static void test_dense(void)
{
    TmWorld *w;
    TmNode *n = node_new(&w);
    enum { N = 20000 };
    bool *live = g_new0(bool, N);
    int64_t first = spawn_one(n);
    live[0] = true;
    for (size_t i = 1; i < N; i++) {
        g_assert_cmpint(spawn_one(n), ==, first + (int64_t)i);
        live[i] = true;
        if (i == N / 2)
            tm_heap_collect(n, false);
    }
    check(n, first, live, N);
    tm_heap_collect(n, false);
    /* end 7 of every 8, in the order i * 7919 mod N (7919 is prime) */
    for (size_t k = 0; k < N; k++) {
        size_t i = (k * 7919) % N;
        if (i % 8 != 0) {
            end(n, first + (int64_t)i);
            live[i] = false;
        }
        if (k == N / 3)
            tm_heap_collect(n, true);
    }
    check(n, first, live, N);
    tm_heap_collect(n, true);
    check(n, first, live, N);
    g_assert_false(n->sched.table_scrambled);
    g_assert_cmpuint(n->sched.table_reach, <=, 8);
    g_free(live);
    node_free(n, w);
}

/* Processes that outlive their neighbours at a stride of 1024 all have
 * the same home in a table indexed by number: the table must switch to
 * hashing instead of piling them up, and keep finding them. */
static void test_colliding_numbers(void)
{
    TmWorld *w;
    TmNode *n = node_new(&w);
    enum { STRIDE = 1024, KEPT = 300, N = STRIDE * KEPT };
    bool *live = g_new0(bool, N);
    int64_t first = spawn_one(n);
    end(n, first);
    first++;
    for (size_t i = 0; i < N; i++) {
        int64_t k = spawn_one(n);
        g_assert_cmpint(k, ==, first + (int64_t)i);
        if ((k % STRIDE) == 0)
            live[i] = true;
        else
            end(n, k);
    }
    check(n, first, live, N);
    g_assert_true(n->sched.table_scrambled);
    g_assert_cmpuint(n->sched.table_reach, <=, 64);
    tm_heap_collect(n, true);
    check(n, first, live, N);
    /* and they go away again */
    for (size_t i = 0; i < N; i++)
        if (live[i]) {
            end(n, first + (int64_t)i);
            live[i] = false;
        }
    check(n, first, live, N);
    g_free(live);
    node_free(n, w);
}

/* Timed receives that are answered in time leave no timers behind: the
 * heap stays small however many calls were made, and a later deadlock is
 * reported without waiting for their deadlines. */
static void test_stale_timers(void)
{
    TmWorld *w;
    TmNode *n = node_new(&w);
    TmValue r = TM_FALSE;
    const char *calls =
        "(define server (spawn (lambda () (let loop () "
        "  (recv ((from tag x) (! from (list tag x)))) (loop)))))"
        "(let loop ((i 0)) (if (< i 20000) (begin (!? server i 1000) (loop (+ i 1))) 'done))";
    g_assert_cmpint(tm_node_eval_string(n, calls, "test", &r), ==, TM_EVAL_OK);
    g_assert_cmpuint(n->sched.timers->len, <, 200);
    g_assert_cmpint(n->sched.timers_armed, ==, 0);
    gint64 t0 = g_get_monotonic_time();
    const char *deadlock =
        "(with-exception-catcher (lambda (e) 'deadlock) (lambda () (?)))";
    g_assert_cmpint(tm_node_eval_string(n, deadlock, "test", &r), ==, TM_EVAL_OK);
    g_assert_true(r == tm_intern(n, "deadlock"));
    g_assert_cmpint(g_get_monotonic_time() - t0, <, 10 * G_USEC_PER_SEC);
    /* a timer still armed fires: a receive with a short timeout times out */
    const char *timeout = "(? 0.01 'timed-out)";
    g_assert_cmpint(tm_node_eval_string(n, timeout, "test", &r), ==, TM_EVAL_OK);
    g_assert_true(r == tm_intern(n, "timed-out"));
    g_assert_cmpint(n->sched.timers_armed, ==, 0);
    node_free(n, w);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/process/table/dense", test_dense);
    g_test_add_func("/process/table/colliding-numbers", test_colliding_numbers);
    g_test_add_func("/process/timers/stale", test_stale_timers);
    return g_test_run();
}
