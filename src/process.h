/*
 * process.h — Termite processes: descriptors, mailboxes, links and the
 * run queue.  The VM (vm.c) does the switching; this module keeps the
 * data and the rules.  See docs/internals/processes.md.
 *
 * A process descriptor is an ordinary heap object, born young: a process
 * that dies before the next collection costs the collector nothing.  The
 * first collection it survives promotes it; after that a minor collection
 * scans it only if it was written since the last one (the remembered
 * set), so idle processes cost nothing per minor collection.
 */
#ifndef TM_PROCESS_H
#define TM_PROCESS_H

#include "object.h"

enum {
    TM_PROC_PID,        /* its pid object */
    TM_PROC_STATE,      /* fixnum TmProcState */
    TM_PROC_K,          /* suspended: heap frame chain; dead: exit reason */
    TM_PROC_PROC,       /* suspended: procedure to apply on resumption */
    TM_PROC_ARGS,       /* ... to these arguments (a list) */
    TM_PROC_DYNENV,     /* suspended: dynamic environment */
    TM_PROC_HEAD,       /* mailbox: first cell (msg . next) or () */
    TM_PROC_TAIL,       /* mailbox: last cell or () */
    TM_PROC_SCAN,       /* selective receive: cell before the one to look at, or #f */
    TM_PROC_MARK_TAG,   /* the newest tag made by this process, or #f */
    TM_PROC_MARK_CELL,  /* the mailbox tail when that tag was made, or #f */
    TM_PROC_NEXT,       /* next process in the run queue, or #f */
    TM_PROC_LINKS,      /* pids this process has outbound links to */
    TM_PROC_MONITORS,   /* pids notified by message of its exit */
    TM_PROC_SIGNALS,    /* exit signals to raise at the next retrieval */
    TM_PROC_NAME,       /* symbol or #f */
    TM_PROC_REDUCTIONS, /* fixnum */
    TM_PROC_TIMER,      /* seq of its armed receive timer (fixnum), or #f */
    TM_PROC_NSLOTS
};

typedef enum {
    TM_PS_RUNNABLE, TM_PS_RUNNING, TM_PS_WAITING, TM_PS_DEAD
} TmProcState;

enum { TM_PID_NODE, TM_PID_NUMBER, TM_PID_PROCESS, TM_PID_NSLOTS };
enum { TM_TAG_NODE, TM_TAG_NUMBER, TM_TAG_NSLOTS };
enum { TM_NODE_HOST, TM_NODE_PORT, TM_NODE_INCARNATION, TM_NODE_NSLOTS };

void tm_sched_init(TmNode *n);
void tm_sched_destroy(TmNode *n);
/* The collector's view: forward the scheduler's references (the process
 * table: in a minor collection only the entries of the processes spawned
 * since the last collection, which are the only young ones). */
void tm_sched_forward(TmNode *n, TmValue (*fwd)(void *, TmValue), void *g, bool minor);

static inline bool tm_is_process(TmValue v) { return tm_has_type(v, TM_T_PROCESS); }
static inline bool tm_is_pid(TmValue v) { return tm_has_type(v, TM_T_PID); }
static inline TmProcState tm_process_state(TmValue p)
{
    return (TmProcState)tm_fixval(TM_SLOT(p, TM_PROC_STATE));
}
/* The local process of a pid, or #f. */
static inline TmValue tm_pid_process(TmValue pid) { return TM_SLOT(pid, TM_PID_PROCESS); }

/* A new process that will apply thunk to no arguments. */
TmValue tm_process_spawn(TmNode *n, TmValue thunk, TmValue name);
/* The live process of this node numbered `number`, or #f. */
TmValue tm_process_lookup(TmNode *n, int64_t number);
void tm_sched_enqueue(TmNode *n, TmValue proc);
/* The next runnable process, removed from the queue, or #f. */
TmValue tm_sched_dequeue(TmNode *n);
bool tm_sched_has_runnable(TmNode *n);

/* Append msg to the mailbox of a local process, waking it if it waits. */
void tm_process_deliver(TmNode *n, TmValue proc, TmValue msg);
/* (! pid msg): false after raising a type error naming who if pid is
 * not a pid. */
bool tm_process_send(TmNode *n, const char *who, TmValue pid, TmValue msg);

/* Mark proc dead with reason (the symbol normal or terminated, or a
 * termite exception), notify its links and monitors, and report a failure
 * on stderr. */
void tm_process_exit(TmNode *n, TmValue proc, TmValue reason, TmValue raised);

/* Timers for receive timeouts. */
void tm_sched_add_timer(TmNode *n, TmValue proc, int64_t deadline);
/* Wake the processes whose deadline is <= now; returns how many. */
int tm_sched_fire_timers(TmNode *n, int64_t now);
/* The earliest pending deadline, or -1. */
int64_t tm_sched_next_deadline(TmNode *n);

int64_t tm_node_now_ns(TmNode *n);
/* Append "host:port" of a node identity to out ("?" for anything else). */
void tm_node_address(TmValue node, GString *out);

/* A receive's timeout t, in seconds: 0 when there is none (#f, absent, or
 * more than 1e9 seconds), 1 with *ns set to it in nanoseconds, or -1
 * after raising a type error naming who. */
int tm_receive_timeout(TmNode *n, const char *who, TmValue t, int64_t *ns);

TmValue tm_process_pop_signal(TmNode *n, TmValue p);
TmValue tm_process_scan_cell(TmValue p);
TmValue tm_process_remove(TmNode *n, TmValue p, TmValue prev);

#endif
