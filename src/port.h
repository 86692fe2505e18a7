/*
 * port.h — input and output ports.  A port is a C object (TmPort) owned by
 * a TM_T_PORT heap object, closed and freed when the heap object dies.
 * Ports are not serializable: they stay on their node (a process proxies
 * them, paper §3.1).
 */
#ifndef TM_PORT_H
#define TM_PORT_H

#include <stdio.h>

#include "object.h"

typedef enum {
    TM_PORT_STRING_IN,  /* reads from a private copy of a string */
    TM_PORT_STRING_OUT, /* accumulates into a GString */
    TM_PORT_FILE_IN,
    TM_PORT_FILE_OUT,
    TM_PORT_CONSOLE_IN, /* the process's standard input */
    TM_PORT_CONSOLE_OUT /* stdout or stderr through the node's world */
} TmPortKind;

typedef struct TmPort {
    TmPortKind kind;
    bool closed;
    bool binary;
    char *name;          /* file name or "<string>", for locations */
    /* input */
    uint32_t *chars;     /* decoded characters (string and file input) */
    size_t nchars, pos;
    int line, col;       /* 1-based position of the next character */
    FILE *file;          /* lazily decoded file input, or file output */
    bool at_eof;
    /* output */
    GString *out;        /* pending UTF-8 output */
    int fd;              /* console: 1 or 2 */
    TmWorld *world;      /* console output goes through the world */
    int out_col;         /* column of the output, for fresh-line */
} TmPort;

bool tm_is_port(TmValue v);
TmPort *tm_port(TmValue v);

TmValue tm_port_open_input_string(TmNode *n, TmValue str, const char *name);
TmValue tm_port_open_input_utf8(TmNode *n, const char *text, size_t len,
                                const char *name);
TmValue tm_port_open_output_string(TmNode *n);
/* NULL error: returns TM_EXC after raising a file-error naming who. */
TmValue tm_port_open_input_file(TmNode *n, const char *who, const char *path);
TmValue tm_port_open_output_file(TmNode *n, const char *who, const char *path,
                                 bool append);
TmValue tm_port_console(TmNode *n, int fd);

/* Character input: -1 at end of input. */
int32_t tm_port_read_char(TmPort *p);
int32_t tm_port_peek_char(TmPort *p);

void tm_port_write_utf8(TmPort *p, const char *s, size_t len);
void tm_port_write_char(TmPort *p, uint32_t cp);
void tm_port_flush(TmPort *p);
void tm_port_close(TmPort *p);
/* Called by the collector when the owning heap object dies. */
void tm_port_finalize(TmValue port);

#endif
