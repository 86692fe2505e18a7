/*
 * process.c — process descriptors, pids and tags, mailboxes, links,
 * monitors, the run queue and receive timers.
 */
#include "process.h"

#include "trace.h"

#include "heap.h"
#include "num.h"
#include "prims.h"
#include "printer.h"
#include "termite.h"
#include "vm.h"

int64_t tm_node_now_ns(TmNode *n) { return n->world->ops->monotonic_ns(n->world); }

void tm_node_address(TmValue node, GString *out)
{
    if (!tm_has_type(node, TM_T_NODEREF)) {
        g_string_append_c(out, '?');
        return;
    }
    TmValue host = TM_SLOT(node, TM_NODE_HOST), port = TM_SLOT(node, TM_NODE_PORT);
    if (tm_is_string(host))
        tm_string_append_utf8(out, host);
    if (tm_is_fixnum(port))
        g_string_append_printf(out, ":%" G_GINTPTR_FORMAT, tm_fixval(port));
}

static TmValue make_node_identity(TmNode *n)
{
    TmValue node = tm_alloc(n, TM_T_NODEREF, TM_NODE_NSLOTS);
    TM_SLOT(node, TM_NODE_HOST) = tm_string_from_utf8(n, "localhost", -1);
    TM_SLOT(node, TM_NODE_PORT) = tm_fix(0);
    uint64_t r = n->world->ops->random_u64(n->world);
    TM_SLOT(node, TM_NODE_INCARNATION) = tm_fix((intptr_t)(r >> 34));
    return node;
}

/* ---- the process table: pid number -> live descriptor ------------------------- */

/* Open addressing with linear probing.  Pid numbers are handed out in
 * sequence, so the number itself is the hash: spawning, looking up and
 * ending processes walk the table in order (a million live processes
 * make a table of 32 MB, where random probes would each miss the cache),
 * and a major collection that forwards the entries in table order lays
 * the descriptors out in spawn order, often the order in which they are
 * visited.  Numbers that collide (every 1024th process living long, say)
 * would pile up into long runs: once an entry lands more than REACH_MAX
 * entries after its home, the table switches to a multiplicative hash
 * for good.  table_reach bounds how far any entry lies from its home,
 * which bounds lookups and the backward-shift deletion (no tombstones,
 * so a million spawns and exits leave the table as fast as it was).  A
 * power-of-two number of entries, at most half full; proc 0 (never a
 * descriptor) marks a free entry. */
typedef struct TmProcEntry {
    int64_t number;
    TmValue proc;
} TmProcEntry;

#define TABLE_MIN 64
#define REACH_MAX 32

static size_t table_home(const TmSched *s, int64_t number)
{
    if (s->table_scrambled)
        return (size_t)(((uint64_t)number * UINT64_C(0x9E3779B97F4A7C15)) >>
                        (64 - __builtin_ctzll(s->table_size)));
    return (size_t)number & (s->table_size - 1);
}

static TmProcEntry *table_find(TmSched *s, int64_t number)
{
    size_t mask = s->table_size - 1, i = table_home(s, number);
    for (size_t d = 0; d <= s->table_reach; d++, i = (i + 1) & mask) {
        TmProcEntry *e = &s->table[i];
        if (e->proc == 0)
            return NULL;
        if (e->number == number)
            return e;
    }
    return NULL;
}

/* Store an entry known to be absent; its distance from its home. */
static size_t table_put(TmSched *s, int64_t number, TmValue proc)
{
    size_t mask = s->table_size - 1, i = table_home(s, number), d = 0;
    for (; s->table[i].proc != 0; i = (i + 1) & mask)
        d++;
    s->table[i].number = number;
    s->table[i].proc = proc;
    if (d > s->table_reach)
        s->table_reach = d;
    return d;
}

static void table_resize(TmSched *s, size_t size)
{
    TmProcEntry *old = s->table;
    size_t old_size = s->table_size;
    s->table = g_new0(TmProcEntry, size);
    s->table_size = size;
    s->table_reach = 0;
    for (size_t i = 0; i < old_size; i++)
        if (old[i].proc != 0)
            table_put(s, old[i].number, old[i].proc);
    g_free(old);
}

static void table_insert(TmSched *s, int64_t number, TmValue proc)
{
    if (2 * (s->table_count + 1) > s->table_size)
        table_resize(s, 2 * s->table_size);
    s->table_count++;
    if (table_put(s, number, proc) > REACH_MAX && !s->table_scrambled) {
        s->table_scrambled = true;
        table_resize(s, s->table_size);
    }
}

static void table_remove(TmSched *s, int64_t number)
{
    TmProcEntry *e = table_find(s, number);
    if (!e)
        return;
    size_t mask = s->table_size - 1, hole = (size_t)(e - s->table);
    /* close the hole: an entry further on moves into it unless its home
     * lies cyclically in (hole, j], where it would no longer be found.
     * No entry more than table_reach after the hole can have its home
     * at or before it. */
    size_t j = (hole + 1) & mask;
    for (size_t d = 1; s->table[j].proc != 0 && d <= s->table_reach; j = (j + 1) & mask, d++) {
        size_t home = table_home(s, s->table[j].number);
        bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
        if (!stays) {
            s->table[hole] = s->table[j];
            hole = j;
            d = 0;
        }
    }
    s->table[hole].proc = 0;
    s->table_count--;
    if (s->table_size > TABLE_MIN && 8 * s->table_count < s->table_size)
        table_resize(s, s->table_size / 2);
}

TmValue tm_process_lookup(TmNode *n, int64_t number)
{
    TmProcEntry *e = table_find(&n->sched, number);
    return e ? e->proc : TM_FALSE;
}

void tm_sched_init(TmNode *n)
{
    TmSched *s = &n->sched;
    s->runq_head = s->runq_tail = TM_FALSE;
    s->current = TM_FALSE;
    s->timers = g_array_new(FALSE, FALSE, sizeof(TmTimer));
    s->table = NULL;
    s->table_size = 0;
    s->table_count = 0;
    s->table_scrambled = false;
    table_resize(s, TABLE_MIN);
    s->next_pid = 0;
    s->young_from = 0;
    s->next_tag = 0;
    s->self_node = make_node_identity(n);
    s->exc_type = TM_FALSE;
    s->timeout_marker = tm_make_uninterned_symbol(n, tm_string_from_utf8(n, "timeout", -1));
}

void tm_sched_destroy(TmNode *n)
{
    g_array_free(n->sched.timers, TRUE);
    g_free(n->sched.table);
}

/* Descriptors are born young, so a process that dies before the next
 * collection costs the collector nothing.  The table holds every live
 * one: a minor collection forwards the entries of the processes spawned
 * since the previous collection, numbered from young_from on (the older
 * ones are old and stay put), a major collection all of them.  Timers
 * name processes by number. */
void tm_sched_forward(TmNode *n, TmValue (*fwd)(void *, TmValue), void *g, bool minor)
{
    TmSched *s = &n->sched;
    s->self_node = fwd(g, s->self_node);
    s->exc_type = fwd(g, s->exc_type);
    s->timeout_marker = fwd(g, s->timeout_marker);
    s->current = fwd(g, s->current);
    s->runq_head = fwd(g, s->runq_head);
    s->runq_tail = fwd(g, s->runq_tail);
    if (minor) {
        for (int64_t k = s->young_from; k < s->next_pid; k++) {
            TmProcEntry *e = table_find(s, k);
            if (e)
                e->proc = fwd(g, e->proc);
        }
    } else {
        for (size_t i = 0; i < s->table_size; i++)
            if (s->table[i].proc != 0)
                s->table[i].proc = fwd(g, s->table[i].proc);
    }
    s->young_from = s->next_pid;
}

/* ---- spawning ------------------------------------------------------------------- */

TmValue tm_process_spawn(TmNode *n, TmValue thunk, TmValue name)
{
    TmSched *s = &n->sched;
    TmValue p = tm_alloc(n, TM_T_PROCESS, TM_PROC_NSLOTS);
    for (int i = 0; i < TM_PROC_NSLOTS; i++)
        TM_SLOT(p, i) = TM_FALSE;
    int64_t number = s->next_pid++;
    TmValue pid = tm_alloc(n, TM_T_PID, TM_PID_NSLOTS);
    TM_SLOT(pid, TM_PID_NODE) = s->self_node;
    TM_SLOT(pid, TM_PID_NUMBER) = tm_fix((intptr_t)number);
    TM_SLOT(pid, TM_PID_PROCESS) = p;
    TM_SLOT(p, TM_PROC_PID) = pid;
    TM_SLOT(p, TM_PROC_STATE) = tm_fix(TM_PS_RUNNABLE);
    TM_SLOT(p, TM_PROC_PROC) = thunk;
    TM_SLOT(p, TM_PROC_ARGS) = TM_NIL;
    TM_SLOT(p, TM_PROC_DYNENV) = n->vm.dynenv;
    TM_SLOT(p, TM_PROC_HEAD) = TM_NIL;
    TM_SLOT(p, TM_PROC_TAIL) = TM_NIL;
    TM_SLOT(p, TM_PROC_LINKS) = TM_NIL;
    TM_SLOT(p, TM_PROC_MONITORS) = TM_NIL;
    TM_SLOT(p, TM_PROC_SIGNALS) = TM_NIL;
    TM_SLOT(p, TM_PROC_NAME) = name;
    TM_SLOT(p, TM_PROC_REDUCTIONS) = tm_fix(0);
    table_insert(s, number, p);
    s->live++;
    TmTrace t;
    if (tm_trace_begin(n, &t, "spawn")) {
        tm_trace_pid(&t, "pid", pid);
        tm_trace_pid(&t, "parent", tm_is_process(s->current) ? TM_SLOT(s->current, TM_PROC_PID)
                                                             : TM_FALSE);
        if (tm_is_symbol(name))
            tm_trace_str(&t, "name", tm_symbol_cname(n, name));
        tm_trace_end(&t);
    }
    return p;
}

/* ---- the run queue ---------------------------------------------------------------- */

void tm_sched_enqueue(TmNode *n, TmValue p)
{
    TmSched *s = &n->sched;
    tm_write(n, p, TM_PROC_STATE, tm_fix(TM_PS_RUNNABLE));
    TM_SLOT(p, TM_PROC_NEXT) = TM_FALSE;
    if (s->runq_tail == TM_FALSE)
        s->runq_head = p;
    else
        tm_write(n, s->runq_tail, TM_PROC_NEXT, p);
    s->runq_tail = p;
}

TmValue tm_sched_dequeue(TmNode *n)
{
    TmSched *s = &n->sched;
    while (s->runq_head != TM_FALSE) {
        TmValue p = s->runq_head;
        s->runq_head = TM_SLOT(p, TM_PROC_NEXT);
        if (s->runq_head == TM_FALSE)
            s->runq_tail = TM_FALSE;
        TM_SLOT(p, TM_PROC_NEXT) = TM_FALSE;
        if (tm_process_state(p) == TM_PS_RUNNABLE)
            return p;
    }
    return TM_FALSE;
}

bool tm_sched_has_runnable(TmNode *n) { return n->sched.runq_head != TM_FALSE; }

/* A waiting process is woken (a message, a signal, its timer): the timer
 * it armed for that wait, if any, is stale from now on. */
static void disarm(TmNode *n, TmValue p)
{
    if (TM_SLOT(p, TM_PROC_TIMER) != TM_FALSE) {
        TM_SLOT(p, TM_PROC_TIMER) = TM_FALSE;
        n->sched.timers_armed--;
    }
}

static void wake(TmNode *n, TmValue p)
{
    if (tm_process_state(p) == TM_PS_WAITING) {
        disarm(n, p);
        tm_sched_enqueue(n, p);
    }
}

/* ---- timers: a binary heap ordered by (deadline, seq) ----------------------------- */

static bool timer_before(const TmTimer *a, const TmTimer *b)
{
    return a->deadline < b->deadline || (a->deadline == b->deadline && a->seq < b->seq);
}

/* The process a timer would wake, or #f when the timer is stale (the
 * process got a message, armed a newer timer, or ended). */
static TmValue timer_process(TmNode *n, const TmTimer *t)
{
    TmValue p = tm_process_lookup(n, t->number);
    if (p == TM_FALSE || TM_SLOT(p, TM_PROC_TIMER) != tm_fix((intptr_t)t->seq))
        return TM_FALSE;
    return p;
}

static void sift_down(GArray *h, guint i)
{
    for (;;) {
        guint l = 2 * i + 1, r = l + 1, m = i;
        if (l < h->len && timer_before(&g_array_index(h, TmTimer, l), &g_array_index(h, TmTimer, m)))
            m = l;
        if (r < h->len && timer_before(&g_array_index(h, TmTimer, r), &g_array_index(h, TmTimer, m)))
            m = r;
        if (m == i)
            return;
        TmTimer tmp = g_array_index(h, TmTimer, i);
        g_array_index(h, TmTimer, i) = g_array_index(h, TmTimer, m);
        g_array_index(h, TmTimer, m) = tmp;
        i = m;
    }
}

/* Drop the stale timers once they are the majority: the heap stays
 * proportional to the processes that wait with a timeout. */
static void compact_timers(TmNode *n)
{
    GArray *h = n->sched.timers;
    if (h->len < 64 || (int64_t)h->len <= 2 * n->sched.timers_armed)
        return;
    guint k = 0;
    for (guint i = 0; i < h->len; i++)
        if (timer_process(n, &g_array_index(h, TmTimer, i)) != TM_FALSE)
            g_array_index(h, TmTimer, k++) = g_array_index(h, TmTimer, i);
    g_array_set_size(h, k);
    for (guint i = k / 2; i-- > 0;)
        sift_down(h, i);
}

void tm_sched_add_timer(TmNode *n, TmValue proc, int64_t deadline)
{
    GArray *h = n->sched.timers;
    TmTimer t = {deadline, n->sched.timer_seq++,
                 tm_fixval(TM_SLOT(TM_SLOT(proc, TM_PROC_PID), TM_PID_NUMBER))};
    if (TM_SLOT(proc, TM_PROC_TIMER) == TM_FALSE)
        n->sched.timers_armed++;
    TM_SLOT(proc, TM_PROC_TIMER) = tm_fix((intptr_t)t.seq);
    compact_timers(n);
    g_array_append_val(h, t);
    for (guint i = h->len - 1; i > 0;) {
        guint parent = (i - 1) / 2;
        TmTimer *a = &g_array_index(h, TmTimer, i), *b = &g_array_index(h, TmTimer, parent);
        if (!timer_before(a, b))
            break;
        TmTimer tmp = *a;
        *a = *b;
        *b = tmp;
        i = parent;
    }
}

static TmTimer pop_timer(GArray *h)
{
    TmTimer top = g_array_index(h, TmTimer, 0);
    g_array_index(h, TmTimer, 0) = g_array_index(h, TmTimer, h->len - 1);
    g_array_set_size(h, h->len - 1);
    sift_down(h, 0);
    return top;
}

int tm_sched_fire_timers(TmNode *n, int64_t now)
{
    GArray *h = n->sched.timers;
    int fired = 0;
    while (h->len > 0 && g_array_index(h, TmTimer, 0).deadline <= now) {
        TmTimer t = pop_timer(h);
        TmValue p = timer_process(n, &t);
        if (p != TM_FALSE) {
            wake(n, p);
            fired++;
        }
    }
    return fired;
}

int64_t tm_sched_next_deadline(TmNode *n)
{
    GArray *h = n->sched.timers;
    while (h->len > 0 && timer_process(n, &g_array_index(h, TmTimer, 0)) == TM_FALSE)
        pop_timer(h);
    return h->len ? g_array_index(h, TmTimer, 0).deadline : -1;
}

/* ---- mailboxes ------------------------------------------------------------------- */

void tm_process_deliver(TmNode *n, TmValue p, TmValue msg)
{
    TmProcState state = tm_process_state(p);
    if (state == TM_PS_DEAD)
        return;
    TmTrace t;
    if (tm_trace_begin(n, &t, "deliver")) {
        tm_trace_pid(&t, "to", TM_SLOT(p, TM_PROC_PID));
        tm_trace_value(&t, "msg", msg);
        tm_trace_end(&t);
    }
    TmValue cell = tm_alloc(n, TM_T_PAIR, 2);
    TM_SLOT(cell, 0) = msg;
    TM_SLOT(cell, 1) = TM_NIL;
    TmValue tail = TM_SLOT(p, TM_PROC_TAIL);
    if (tail == TM_NIL)
        tm_write(n, p, TM_PROC_HEAD, cell);
    else
        tm_write(n, tail, 1, cell);
    tm_write(n, p, TM_PROC_TAIL, cell);
    if (state == TM_PS_WAITING) {
        disarm(n, p);
        tm_sched_enqueue(n, p);
    }
}

bool tm_process_send(TmNode *n, const char *who, TmValue pid, TmValue msg)
{
    if (!tm_is_pid(pid)) {
        tm_type_error(n, who, 1, "pid", pid);
        return false;
    }
    TmTrace t;
    if (tm_trace_begin(n, &t, "send")) {
        TmValue cur = n->sched.current;
        tm_trace_pid(&t, "from", tm_is_process(cur) ? TM_SLOT(cur, TM_PROC_PID) : TM_FALSE);
        tm_trace_pid(&t, "to", pid);
        tm_trace_value(&t, "msg", msg);
        tm_trace_end(&t);
    }
    TmValue p = tm_pid_process(pid);
    if (p != TM_FALSE)
        tm_process_deliver(n, p, msg);
    /* a pid of another node: the transport is not there yet, and sending
     * never fails (paper section 2.3) */
    return true;
}

/* ---- exits, links and monitors ------------------------------------------------------ */

/* (termite-exception origin reason object), a record of the prelude's
 * <termite-exception> type. */
static TmValue make_exit_signal(TmNode *n, TmValue pid, TmValue reason, TmValue obj)
{
    TmValue type = n->sched.exc_type;
    TmValue r = tm_alloc(n, TM_T_RECORD, 4);
    TM_SLOT(r, 0) = type;
    TM_SLOT(r, 1) = pid;
    TM_SLOT(r, 2) = reason;
    TM_SLOT(r, 3) = obj;
    return r;
}

static void signal_process(TmNode *n, TmValue target, TmValue signal)
{
    if (tm_process_state(target) == TM_PS_DEAD)
        return;
    TmTrace t;
    if (tm_trace_begin(n, &t, "signal")) {
        tm_trace_pid(&t, "from", TM_SLOT(signal, 1));
        tm_trace_pid(&t, "to", TM_SLOT(target, TM_PROC_PID));
        tm_trace_value(&t, "reason", TM_SLOT(signal, 2));
        tm_trace_end(&t);
    }
    TmValue l = TM_SLOT(target, TM_PROC_SIGNALS);
    TmValue cell = tm_cons(n, signal, TM_NIL);
    if (l == TM_NIL) {
        tm_write(n, target, TM_PROC_SIGNALS, cell);
    } else {
        while (tm_cdr(l) != TM_NIL)
            l = tm_cdr(l);
        tm_write(n, l, 1, cell);
    }
    wake(n, target);
}

static void report_failure(TmNode *n, TmValue proc, TmValue raised)
{
    char *pid = tm_print_short(n, TM_SLOT(proc, TM_PROC_PID), 80);
    GString *g = g_string_new(NULL);
    if (tm_is_error(raised)) {
        tm_string_append_utf8(g, TM_SLOT(raised, TM_ERR_MESSAGE));
        for (TmValue l = TM_SLOT(raised, TM_ERR_IRRITANTS); tm_is_pair(l); l = tm_cdr(l)) {
            char *s = tm_print_short(n, tm_car(l), 100);
            g_string_append_printf(g, " %s", s);
            g_free(s);
        }
    } else {
        char *s = tm_print_short(n, raised, 200);
        g_string_append(g, s);
        g_free(s);
    }
    TmValue name = TM_SLOT(proc, TM_PROC_NAME);
    char *shown = tm_is_symbol(name)
                      ? g_strdup_printf("%s (%s)", pid, tm_symbol_cname(n, name))
                      : g_strdup(pid);
    char *line = g_strdup_printf("process %s died: %s\n", shown, g->str);
    g_free(shown);
    tm_node_flush(n);
    n->world->ops->write(n->world, 2, line, strlen(line));
    g_free(line);
    g_free(pid);
    g_string_free(g, TRUE);
}

/* The message a monitor receives: (DOWN pid reason). */
static TmValue down_message(TmNode *n, TmValue pid, TmValue reason)
{
    return tm_list3(n, n->sym[TM_S_DOWN], pid, reason);
}

void tm_process_exit(TmNode *n, TmValue proc, TmValue reason, TmValue raised)
{
    if (tm_process_state(proc) == TM_PS_DEAD)
        return;
    TmValue pid = TM_SLOT(proc, TM_PROC_PID);
    bool normal = reason == n->sym[TM_S_normal];
    TmValue signal = normal ? reason : make_exit_signal(n, pid, reason, raised);
    disarm(n, proc);
    tm_write(n, proc, TM_PROC_STATE, tm_fix(TM_PS_DEAD));
    tm_write(n, proc, TM_PROC_K, signal);
    TM_SLOT(proc, TM_PROC_PROC) = TM_FALSE;
    TM_SLOT(proc, TM_PROC_ARGS) = TM_NIL;
    TM_SLOT(proc, TM_PROC_DYNENV) = TM_FALSE;
    TM_SLOT(proc, TM_PROC_HEAD) = TM_NIL;
    TM_SLOT(proc, TM_PROC_TAIL) = TM_NIL;
    TM_SLOT(proc, TM_PROC_SIGNALS) = TM_NIL;
    table_remove(&n->sched, tm_fixval(TM_SLOT(pid, TM_PID_NUMBER)));
    n->sched.live--;
    TmTrace t;
    if (tm_trace_begin(n, &t, "exit")) {
        tm_trace_pid(&t, "pid", pid);
        tm_trace_value(&t, "reason", reason);
        if (!normal && raised != TM_FALSE)
            tm_trace_value(&t, "value", raised);
        tm_trace_end(&t);
    }
    if (reason == n->sym[TM_S_failure])
        report_failure(n, proc, raised);
    if (!normal)
        for (TmValue l = TM_SLOT(proc, TM_PROC_LINKS); tm_is_pair(l); l = tm_cdr(l)) {
            TmValue target = tm_pid_process(tm_car(l));
            if (tm_is_process(target))
                signal_process(n, target, signal);
        }
    for (TmValue l = TM_SLOT(proc, TM_PROC_MONITORS); tm_is_pair(l); l = tm_cdr(l)) {
        TmValue target = tm_pid_process(tm_car(l));
        if (tm_is_process(target))
            tm_process_deliver(n, target, down_message(n, pid, signal));
    }
    TM_SLOT(proc, TM_PROC_LINKS) = TM_NIL;
    TM_SLOT(proc, TM_PROC_MONITORS) = TM_NIL;
}

/* ---- receiving (the blocking parts are in vm.c) ---------------------------------------- */

/* The first pending exit signal, removed, or #f. */
TmValue tm_process_pop_signal(TmNode *n, TmValue p)
{
    TmValue l = TM_SLOT(p, TM_PROC_SIGNALS);
    if (l == TM_NIL)
        return TM_FALSE;
    tm_write(n, p, TM_PROC_SIGNALS, tm_cdr(l));
    return tm_car(l);
}

/* The mailbox cell a selective receive looks at next, or (). */
TmValue tm_process_scan_cell(TmValue p)
{
    TmValue prev = TM_SLOT(p, TM_PROC_SCAN);
    return prev == TM_FALSE ? TM_SLOT(p, TM_PROC_HEAD) : tm_cdr(prev);
}

/* Unlink the cell after prev (#f: the head) and return its message. */
TmValue tm_process_remove(TmNode *n, TmValue p, TmValue prev)
{
    TmValue cell = prev == TM_FALSE ? TM_SLOT(p, TM_PROC_HEAD) : tm_cdr(prev);
    TmValue next = tm_cdr(cell);
    if (prev == TM_FALSE)
        tm_write(n, p, TM_PROC_HEAD, next);
    else
        tm_write(n, prev, 1, next);
    if (next == TM_NIL) /* the cell was the tail */
        tm_write(n, p, TM_PROC_TAIL, prev == TM_FALSE ? TM_NIL : prev);
    if (TM_SLOT(p, TM_PROC_MARK_CELL) == cell)
        tm_write(n, p, TM_PROC_MARK_CELL, prev);
    TM_SLOT(p, TM_PROC_SCAN) = TM_FALSE;
    TmTrace t;
    if (tm_trace_begin(n, &t, "receive")) {
        tm_trace_pid(&t, "pid", TM_SLOT(p, TM_PROC_PID));
        tm_trace_value(&t, "msg", tm_car(cell));
        tm_trace_end(&t);
    }
    return tm_car(cell);
}

/* ---- primitives -------------------------------------------------------------------------- */

#define CURRENT (n->sched.current)

static bool get_pid(TmNode *n, const char *who, int argno, TmValue v)
{
    if (tm_is_pid(v))
        return true;
    tm_type_error(n, who, argno, "pid", v);
    return false;
}

/* A new process from a spawn of the running one: it inherits the
 * parameterizations, not the handlers or winders. */
static TmValue spawn_child(TmNode *n, TmValue thunk, TmValue name)
{
    TmValue p = tm_process_spawn(n, thunk, name);
    TmValue d = n->vm.dynenv;
    if (!tm_is_process(CURRENT) || TM_SLOT(d, TM_DYN_HANDLERS) != TM_NIL ||
        TM_SLOT(d, TM_DYN_WINDERS) != TM_NIL) {
        TmValue params = tm_is_process(CURRENT) ? TM_SLOT(d, TM_DYN_PARAMS) : TM_NIL;
        d = tm_make_vector(n, TM_DYN_NSLOTS, TM_NIL);
        TM_SLOT(d, TM_DYN_PARAMS) = params;
    } /* else the running dynamic environment is the child's: share it */
    tm_write(n, p, TM_PROC_DYNENV, d);
    tm_sched_enqueue(n, p);
    return TM_SLOT(p, TM_PROC_PID);
}

/* (%spawn thunk [name]) */
TM_PRIM(p_spawn)
{
    TM_UNUSED_ARGS;
    TM_CHECK(n, tm_is_procedure(argv[0]), "spawn", 1, "procedure", argv[0]);
    return spawn_child(n, argv[0], argc > 1 ? argv[1] : TM_FALSE);
}

/* (spawn thunk [name: name]): the keyword argument parsed here rather
 * than by a #!key procedure, since spawning is a hot path. */
TM_PRIM(p_spawn_key)
{
    TM_UNUSED_ARGS;
    TM_CHECK(n, tm_is_procedure(argv[0]), "spawn", 1, "procedure", argv[0]);
    TmValue name = TM_DEFAULT;
    for (int i = 1; i < argc; i += 2) {
        if (!tm_is_keyword(argv[i]) || i + 1 >= argc)
            return tm_error(n, "spawn", "bad keyword argument list",
                            tm_cons(n, tm_list_from_array(n, (size_t)argc - 1, argv + 1),
                                    TM_NIL));
        if (argv[i] != tm_intern_keyword(n, "name"))
            return tm_error(n, "spawn", "unknown keyword argument",
                            tm_cons(n, argv[i], TM_NIL));
        if (name == TM_DEFAULT)
            name = argv[i + 1];
    }
    return spawn_child(n, argv[0], name == TM_DEFAULT ? TM_FALSE : name);
}

TM_PRIM(p_self) { TM_UNUSED_ARGS; return TM_SLOT(CURRENT, TM_PROC_PID); }
TM_PRIM(p_pidp) { TM_UNUSED_ARGS; return tm_bool(tm_is_pid(argv[0])); }

TM_PRIM(p_make_tag)
{
    TM_UNUSED_ARGS;
    TmValue tag = tm_alloc(n, TM_T_TAG, TM_TAG_NSLOTS);
    TM_SLOT(tag, TM_TAG_NODE) = n->sched.self_node;
    TM_SLOT(tag, TM_TAG_NUMBER) = tm_fix((intptr_t)n->sched.next_tag++);
    /* messages already in the mailbox cannot carry this tag: a receive
     * for it may start after the current tail (see %recv-reset-from) */
    TmValue p = CURRENT;
    tm_write(n, p, TM_PROC_MARK_TAG, tag);
    TmValue tail = TM_SLOT(p, TM_PROC_TAIL);
    tm_write(n, p, TM_PROC_MARK_CELL, tail == TM_NIL ? TM_FALSE : tail);
    return tag;
}

TM_PRIM(p_tagp) { TM_UNUSED_ARGS; return tm_bool(tm_has_type(argv[0], TM_T_TAG)); }

TM_PRIM(p_recv_reset)
{
    TM_UNUSED_ARGS;
    TM_SLOT(CURRENT, TM_PROC_SCAN) = TM_FALSE;
    return TM_VOID;
}

TM_PRIM(p_recv_reset_from)
{
    TM_UNUSED_ARGS;
    TmValue p = CURRENT;
    if (argv[0] != TM_FALSE && TM_SLOT(p, TM_PROC_MARK_TAG) == argv[0])
        tm_write(n, p, TM_PROC_SCAN, TM_SLOT(p, TM_PROC_MARK_CELL));
    else
        TM_SLOT(p, TM_PROC_SCAN) = TM_FALSE;
    return TM_VOID;
}

TM_PRIM(p_recv_advance)
{
    TM_UNUSED_ARGS;
    TmValue p = CURRENT, cell = tm_process_scan_cell(p);
    if (cell != TM_NIL)
        tm_write(n, p, TM_PROC_SCAN, cell);
    return TM_VOID;
}

/* The scan position, saved around a receive's guard and body, which may
 * run receives of their own. */
TM_PRIM(p_recv_save) { TM_UNUSED_ARGS; return TM_SLOT(CURRENT, TM_PROC_SCAN); }

TM_PRIM(p_recv_restore)
{
    TM_UNUSED_ARGS;
    tm_write(n, CURRENT, TM_PROC_SCAN, argv[0]);
    return TM_VOID;
}

TM_PRIM(p_recv_take)
{
    TM_UNUSED_ARGS;
    TmValue p = CURRENT;
    if (tm_process_scan_cell(p) == TM_NIL)
        return tm_errorf(n, "%recv-take", "no message to take");
    return tm_process_remove(n, p, TM_SLOT(p, TM_PROC_SCAN));
}

/* A receive's timeout t, in seconds: 0 when there is none (#f, absent, or
 * more than 1e9 seconds: effectively forever), 1 with *ns set to it in
 * nanoseconds, or -1 after raising a type error naming who. */
int tm_receive_timeout(TmNode *n, const char *who, TmValue t, int64_t *ns)
{
    if (t == TM_FALSE || t == TM_DEFAULT)
        return 0;
    if (tm_is_fixnum(t) && tm_fixval(t) >= 0 && tm_fixval(t) <= 1000000000) {
        *ns = tm_fixval(t) * (int64_t)1000000000;
        return 1;
    }
    if (!tm_is_number(t)) {
        tm_type_error(n, who, 1, "timeout in seconds", t);
        return -1;
    }
    double secs = tm_num_to_double(t);
    if (secs != secs || secs < 0) {
        tm_type_error(n, who, 1, "non-negative timeout", t);
        return -1;
    }
    if (secs > 1e9)
        return 0;
    *ns = (int64_t)(secs * 1e9);
    return 1;
}

/* (%deadline timeout): #f for none, else monotonic nanoseconds. */
TM_PRIM(p_deadline)
{
    TM_UNUSED_ARGS;
    int64_t ns;
    int r = tm_receive_timeout(n, "receive", argv[0], &ns);
    if (r < 0)
        return TM_EXC;
    return r == 0 ? TM_FALSE : tm_fix(tm_node_now_ns(n) + ns);
}

TM_PRIM(p_timeout_marker) { TM_UNUSED_ARGS; return n->sched.timeout_marker; }

TM_PRIM(p_current_node) { TM_UNUSED_ARGS; return n->sched.self_node; }

TM_PRIM(p_pid_node)
{
    TM_UNUSED_ARGS;
    if (!get_pid(n, "pid-node", 1, argv[0]))
        return TM_EXC;
    return TM_SLOT(argv[0], TM_PID_NODE);
}

static void trace_link(TmNode *n, TmValue from, TmValue to, const char *kind)
{
    TmTrace t;
    if (tm_trace_begin(n, &t, "link")) {
        tm_trace_pid(&t, "from", from);
        tm_trace_pid(&t, "to", to);
        tm_trace_str(&t, "kind", kind);
        tm_trace_end(&t);
    }
}

static TmValue add_link(TmNode *n, TmValue from_proc, TmValue to_pid)
{
    TmValue links = TM_SLOT(from_proc, TM_PROC_LINKS);
    for (TmValue l = links; tm_is_pair(l); l = tm_cdr(l))
        if (tm_car(l) == to_pid)
            return TM_VOID;
    tm_write(n, from_proc, TM_PROC_LINKS, tm_cons(n, to_pid, links));
    trace_link(n, TM_SLOT(from_proc, TM_PROC_PID), to_pid, "link");
    return TM_VOID;
}

/* A link from a process that is already dead reports its death at once. */
static void link_from(TmNode *n, TmValue from_pid, TmValue to_pid)
{
    TmValue from = tm_pid_process(from_pid), to = tm_pid_process(to_pid);
    if (!tm_is_process(from))
        return;
    if (tm_process_state(from) == TM_PS_DEAD) {
        TmValue reason = TM_SLOT(from, TM_PROC_K);
        if (tm_is_record(reason) && tm_is_process(to))
            signal_process(n, to, reason);
        return;
    }
    add_link(n, from, to_pid);
}

TM_PRIM(p_outbound_link)
{
    TM_UNUSED_ARGS;
    if (!get_pid(n, "outbound-link", 1, argv[0]))
        return TM_EXC;
    link_from(n, TM_SLOT(CURRENT, TM_PROC_PID), argv[0]);
    return TM_VOID;
}

TM_PRIM(p_inbound_link)
{
    TM_UNUSED_ARGS;
    if (!get_pid(n, "inbound-link", 1, argv[0]))
        return TM_EXC;
    link_from(n, argv[0], TM_SLOT(CURRENT, TM_PROC_PID));
    return TM_VOID;
}

TM_PRIM(p_full_link)
{
    TM_UNUSED_ARGS;
    if (!get_pid(n, "full-link", 1, argv[0]))
        return TM_EXC;
    TmValue self = TM_SLOT(CURRENT, TM_PROC_PID);
    link_from(n, self, argv[0]);
    link_from(n, argv[0], self);
    return TM_VOID;
}

/* (%link pid-from pid-to): the link in one direction, for spawn-link. */
TM_PRIM(p_link)
{
    TM_UNUSED_ARGS;
    if (!get_pid(n, "link", 1, argv[0]) || !get_pid(n, "link", 2, argv[1]))
        return TM_EXC;
    link_from(n, argv[0], argv[1]);
    return TM_VOID;
}

TM_PRIM(p_monitor)
{
    TM_UNUSED_ARGS;
    if (!get_pid(n, "monitor", 1, argv[0]))
        return TM_EXC;
    TmValue target = tm_pid_process(argv[0]), self = TM_SLOT(CURRENT, TM_PROC_PID);
    if (!tm_is_process(target))
        return TM_VOID;
    if (tm_process_state(target) == TM_PS_DEAD) {
        tm_process_deliver(n, CURRENT, down_message(n, argv[0], TM_SLOT(target, TM_PROC_K)));
        return TM_VOID;
    }
    tm_write(n, target, TM_PROC_MONITORS, tm_cons(n, self, TM_SLOT(target, TM_PROC_MONITORS)));
    trace_link(n, argv[0], self, "monitor");
    return TM_VOID;
}

TM_PRIM(p_set_exception_type)
{
    TM_UNUSED_ARGS;
    n->sched.exc_type = argv[0];
    return TM_VOID;
}

static const char *const state_names[] = {"runnable", "running", "waiting", "dead"};

TM_PRIM(p_process_info)
{
    TM_UNUSED_ARGS;
    if (!get_pid(n, "process-info", 1, argv[0]))
        return TM_EXC;
    TmValue p = tm_pid_process(argv[0]);
    if (!tm_is_process(p))
        return TM_FALSE;
    TmValue k = TM_SLOT(p, TM_PROC_K);
    size_t bytes = (TM_PROC_NSLOTS + 1 + TM_PID_NSLOTS + 1) * sizeof(TmValue);
    for (; tm_has_type(k, TM_T_FRAME); k = TM_SLOT(k, TM_FRAME_PARENT))
        bytes += (tm_obj_size(k) + 1) * sizeof(TmValue);
    for (TmValue c = TM_SLOT(p, TM_PROC_HEAD); tm_is_pair(c); c = tm_cdr(c))
        bytes += 3 * sizeof(TmValue);
    TmValue items[] = {
        tm_cons(n, tm_intern(n, "pid"), argv[0]),
        tm_cons(n, tm_intern(n, "name"), TM_SLOT(p, TM_PROC_NAME)),
        tm_cons(n, tm_intern(n, "status"), tm_intern(n, state_names[tm_process_state(p)])),
        tm_cons(n, tm_intern(n, "mailbox-length"), tm_fix(tm_list_length(TM_SLOT(p, TM_PROC_HEAD)))),
        tm_cons(n, tm_intern(n, "links"), TM_SLOT(p, TM_PROC_LINKS)),
        tm_cons(n, tm_intern(n, "monitors"), TM_SLOT(p, TM_PROC_MONITORS)),
        tm_cons(n, tm_intern(n, "reductions"), TM_SLOT(p, TM_PROC_REDUCTIONS)),
        tm_cons(n, tm_intern(n, "memory"), tm_fix((intptr_t)bytes)),
    };
    return tm_list_from_array(n, G_N_ELEMENTS(items), items);
}

static gint compare_entries(gconstpointer a, gconstpointer b)
{
    int64_t x = ((const TmProcEntry *)a)->number, y = ((const TmProcEntry *)b)->number;
    return x < y ? -1 : x > y;
}

/* Live processes in pid order (the table's order must not leak out). */
TM_PRIM(p_process_list)
{
    TM_UNUSED_ARGS;
    TmSched *s = &n->sched;
    GArray *live = g_array_sized_new(FALSE, FALSE, sizeof(TmProcEntry), (guint)s->table_count);
    for (size_t i = 0; i < s->table_size; i++)
        if (s->table[i].proc != 0)
            g_array_append_val(live, s->table[i]);
    g_array_sort(live, compare_entries);
    TmValue l = TM_NIL;
    for (guint i = live->len; i-- > 0;)
        l = tm_cons(n, TM_SLOT(g_array_index(live, TmProcEntry, i).proc, TM_PROC_PID), l);
    g_array_free(live, TRUE);
    return l;
}

TM_PRIM(p_process_count) { TM_UNUSED_ARGS; return tm_fix(n->sched.live); }

const TmPrimDef tm_prims_process[] = {
    {"%spawn", p_spawn, 1, 2, 0},
    {"spawn", p_spawn_key, 1, -1, 0},
    {"self", p_self, 0, 0, 0},
    {"pid?", p_pidp, 1, 1, 0},
    {"make-tag", p_make_tag, 0, 0, 0},
    {"tag?", p_tagp, 1, 1, 0},
    {"%recv-reset", p_recv_reset, 0, 0, 0},
    {"%recv-reset-from", p_recv_reset_from, 1, 1, 0},
    {"%recv-advance", p_recv_advance, 0, 0, 0},
    {"%recv-take", p_recv_take, 0, 0, 0},
    {"%recv-save", p_recv_save, 0, 0, 0},
    {"%recv-restore", p_recv_restore, 1, 1, 0},
    {"%deadline", p_deadline, 1, 1, 0},
    {"%timeout-marker", p_timeout_marker, 0, 0, 0},
    {"current-node", p_current_node, 0, 0, 0},
    {"pid-node", p_pid_node, 1, 1, 0},
    {"outbound-link", p_outbound_link, 1, 1, 0},
    {"inbound-link", p_inbound_link, 1, 1, 0},
    {"full-link", p_full_link, 1, 1, 0},
    {"%link", p_link, 2, 2, 0},
    {"monitor", p_monitor, 1, 1, 0},
    {"%set-exception-type!", p_set_exception_type, 1, 1, 0},
    {"process-info", p_process_info, 1, 1, 0},
    {"process-list", p_process_list, 0, 0, 0},
    {"process-count", p_process_count, 0, 0, 0},
    {NULL, NULL, 0, 0, 0},
};
