/*
 * printer.h — external representations: `display` and `write` (with
 * datum labels for cycles), `write-shared` (labels for all shared
 * structure) and `write-simple` (no labels), used by every output
 * procedure and by error messages.
 */
#ifndef TM_PRINTER_H
#define TM_PRINTER_H

#include "object.h"

/* Every mode but DISPLAY writes strings, characters and symbols so that
 * `read` gives them back; the write modes differ in their datum labels. */
typedef enum {
    TM_PRINT_DISPLAY,      /* labels for cycles only */
    TM_PRINT_WRITE,        /* labels for cycles only */
    TM_PRINT_WRITE_SHARED, /* labels for every pair, vector... met twice */
    TM_PRINT_WRITE_SIMPLE  /* no labels */
} TmPrintMode;

/* Appends v's representation to out.  False (and nothing appended) only
 * in WRITE_SIMPLE mode for a cyclic v, which has no finite output. */
bool tm_print(TmNode *n, TmValue v, TmPrintMode mode, GString *out);
/* A g_malloc'd `write` representation, truncated to about max_len bytes
 * with "..." when longer (max_len 0: no limit).  For error messages. */
char *tm_print_short(TmNode *n, TmValue v, size_t max_len);
/* `write` with line breaks and indentation for lists wider than 79 columns
 * (for pp); appends no final newline. */
void tm_print_pretty(TmNode *n, TmValue v, GString *out);

#endif
