/*
 * reader.h — the datum reader (R7RS external syntax plus Gambit's
 * #!optional/#!rest/#!key/#!eof/#!default, keywords `name:`, and datum
 * labels #n= #n#).
 */
#ifndef TM_READER_H
#define TM_READER_H

#include "port.h"

/* Source positions of the pairs a read produced, for the compiler's error
 * messages and debug info.  Keys are pair addresses, valid until the next
 * collection (the compiler uses them before returning to the VM). */
typedef struct TmSourceMap {
    GHashTable *pos;     /* TmObj* of a pair -> line << 20 | column */
    const char *file;
} TmSourceMap;

TmSourceMap *tm_source_map_new(const char *file);
void tm_source_map_free(TmSourceMap *m);
/* Returns false when the pair has no recorded position. */
bool tm_source_map_lookup(TmSourceMap *m, TmValue pair, int *line, int *col);

/* Read one datum from port.  Returns TM_EOF at end of input, or TM_EXC after
 * raising a read-error whose message includes "file:line:col: ".  map may be
 * NULL. */
TmValue tm_read(TmNode *n, TmValue port, TmSourceMap *map);

#endif
