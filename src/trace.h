/*
 * trace.h — events of the process model, as JSON lines for the world's
 * trace sink (spawn, send, deliver, receive, link, exit, ...).
 *
 * Tracing is off unless the world has a trace operation, and then every
 * event costs one pointer test:
 *
 *     TmTrace t;
 *     if (tm_trace_begin(n, &t, "send")) {
 *         tm_trace_pid(&t, "from", from);
 *         tm_trace_value(&t, "msg", msg);
 *         tm_trace_end(&t);
 *     }
 *
 * A line is {"seq":K,"t":NS,"node":"NAME","ev":"send",...}: seq counts
 * the node's events from 0, t is the world's monotonic time in ns (virtual
 * time in the simulator), pids are {"node":"NAME","n":N}.  The format is
 * documented in docs/internals/trace.md.
 */
#ifndef TM_TRACE_H
#define TM_TRACE_H

#include "node.h"

typedef struct {
    TmNode *n;
    GString *line;
} TmTrace;

static inline bool tm_tracing(TmNode *n)
{
    return n->world->ops->trace != NULL;
}

/* Start an event of kind ev; false (and nothing to end) when tracing is
 * off. */
static inline bool tm_trace_begin(TmNode *n, TmTrace *t, const char *ev)
{
    bool tm_trace_begin_slow(TmNode *n, TmTrace *t, const char *ev);
    return G_UNLIKELY(tm_tracing(n)) && tm_trace_begin_slow(n, t, ev);
}

void tm_trace_pid(TmTrace *t, const char *key, TmValue pid);
void tm_trace_int(TmTrace *t, const char *key, int64_t v);
void tm_trace_str(TmTrace *t, const char *key, const char *s);
/* The value as `write` shows it, shortened to 200 characters. */
void tm_trace_value(TmTrace *t, const char *key, TmValue v);
void tm_trace_end(TmTrace *t);

#endif
