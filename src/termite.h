/*
 * termite.h — the embedding API: what a client of the runtime (the
 * termite command, the REPL, tests, the simulator) uses to create nodes
 * and run code in them.
 */
#ifndef TERMITE_H
#define TERMITE_H

#include "node.h"

typedef enum {
    TM_EVAL_OK,         /* evaluated; *result holds the last value */
    TM_EVAL_ERROR,      /* an exception escaped; already reported on stderr */
    TM_EVAL_EXIT,       /* (exit) was called; see tm_node_exit_code */
    TM_EVAL_INCOMPLETE  /* the text ends inside a datum: read more input */
} TmEvalStatus;

/* The program's command line, as returned by (command-line). */
void tm_node_set_command_line(TmNode *n, int argc, char **argv);

/* Load and run a file as the main program.  Returns the process exit
 * status: 0 after normal completion, N after (exit N), 70 after an
 * uncaught exception (reported on stderr with a backtrace) and 66 when the
 * file cannot be read. */
int tm_node_run_file(TmNode *n, const char *path);

/* Read every datum of text and evaluate them in order.  `name` is used
 * in source locations.  Errors (read errors included) are reported on
 * stderr with the procedure, the irritants and a backtrace; after an
 * error the dynamic-wind extents the evaluation was in are left (their
 * after thunks run) and the dynamic environment (exception handlers,
 * parameter bindings) is the one from before the evaluation again. */
TmEvalStatus tm_node_eval_string(TmNode *n, const char *text, const char *name,
                                 TmValue *result);

/* Let the node's other processes run while its main program does
 * nothing (a REPL waiting for input), time slice after time slice, until
 * none is runnable or max_ns have passed.  *wait_ns is then 0 when some
 * are still runnable, else the time until the next receive timeout, or
 * -1 when there is none.  TM_EVAL_EXIT: a process called (exit);
 * TM_EVAL_ERROR: an interrupt reached the main program (nothing is
 * reported). */
TmEvalStatus tm_node_run_background(TmNode *n, int64_t max_ns, int64_t *wait_ns);

/* Ask for an interrupt: the running evaluation raises an error
 * "interrupted" in the main program soon (within one time slice, or at
 * once when the node waits, if its world's idle operation wakes up and
 * calls tm_node_take_interrupt).  It only sets a flag atomically, so any
 * thread may call it. */
void tm_node_request_interrupt(TmNode *n);
/* Withdraw a request (a client that handles it itself: the REPL at its
 * prompt); returns whether there was one. */
bool tm_node_clear_interrupt(TmNode *n);

/* The `write` representation of v (g_free it). */
char *tm_node_write_string(TmNode *n, TmValue v);

/* Print an uncaught exception report on stderr. */
void tm_node_report_exception(TmNode *n, TmValue exc);

/* Sorted names of the globals that have a value (for completion). */
GPtrArray *tm_node_global_names(TmNode *n);

int tm_node_exit_code(TmNode *n);
/* Flush the console ports. */
void tm_node_flush(TmNode *n);

#endif
