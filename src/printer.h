/*
 * printer.h — external representations: `display` and `write` (with
 * datum labels for cycles), used by every output procedure and by error
 * messages.
 */
#ifndef TM_PRINTER_H
#define TM_PRINTER_H

#include "object.h"

typedef enum { TM_PRINT_DISPLAY, TM_PRINT_WRITE } TmPrintMode;

void tm_print(TmNode *n, TmValue v, TmPrintMode mode, GString *out);
/* A g_malloc'd `write` representation, truncated to about max_len bytes
 * with "..." when longer (max_len 0: no limit).  For error messages. */
char *tm_print_short(TmNode *n, TmValue v, size_t max_len);
/* `write` with line breaks and indentation for lists wider than 79 columns
 * (for pp); appends no final newline. */
void tm_print_pretty(TmNode *n, TmValue v, GString *out);

#endif
