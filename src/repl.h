/*
 * repl.h — the read-eval-print loop of the termite command.  It is a
 * client of the runtime (termite.h), not part of it.
 */
#ifndef TM_REPL_H
#define TM_REPL_H

#include "termite.h"

/* Run the REPL on stdin until ,q, (exit) or end of input; return the exit
 * status (0, or N after (exit N)).  On a terminal it uses GNU readline
 * (prompts, ~/.termite_history, completion of global names); otherwise it
 * reads stdin plainly and prints only the results. */
int tm_repl_run(TmNode *n);

/* Print v with `write` and a newline on stdout, unless v is the
 * unspecified value.  Scheme output still buffered in the node's console
 * ports is flushed first, so the result appears after it. */
void tm_repl_print_value(TmNode *n, TmValue v);

#endif
