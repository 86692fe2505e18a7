/*
 * port.h — input and output ports, textual (characters) or binary
 * (bytes).  A port is a C object (TmPort) owned by
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
    TM_PORT_CONSOLE_OUT, /* stdout or stderr through the node's world */
    TM_PORT_BYTES_IN,   /* binary: reads from a private copy of a bytevector */
    TM_PORT_BYTES_OUT   /* binary: accumulates bytes into a GString */
} TmPortKind;

typedef struct TmPort {
    TmPortKind kind;
    bool closed;
    bool binary;         /* bytes, not characters (bytevector, binary file) */
    char *name;          /* file name or "<string>", for locations */
    /* input */
    uint32_t *chars;     /* decoded characters (string and file input) */
    size_t nchars, pos;
    int line, col;       /* 1-based position of the next character */
    FILE *file;          /* lazily decoded file input, or file output */
    bool at_eof;
    uint8_t *bytes;      /* binary input: the bytevector or the file block */
    size_t nbytes, bpos;
    /* output */
    GString *out;        /* pending UTF-8 output, or a bytevector's bytes */
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
TmValue tm_port_open_input_bytes(TmNode *n, const uint8_t *data, size_t len);
TmValue tm_port_open_output_bytes(TmNode *n);
/* On error: returns TM_EXC after raising a file-error naming who. */
TmValue tm_port_open_input_file(TmNode *n, const char *who, const char *path);
TmValue tm_port_open_output_file(TmNode *n, const char *who, const char *path,
                                 bool append);
TmValue tm_port_open_binary_input_file(TmNode *n, const char *who,
                                       const char *path);
TmValue tm_port_open_binary_output_file(TmNode *n, const char *who,
                                        const char *path, bool append);
TmValue tm_port_console(TmNode *n, int fd);

/* Character input: -1 at end of input (always, on a binary port). */
int32_t tm_port_read_char(TmPort *p);
int32_t tm_port_peek_char(TmPort *p);
/* Byte input: -1 at end of input (always, on a textual port). */
int tm_port_read_byte(TmPort *p);
int tm_port_peek_byte(TmPort *p);

/* Output of the wrong kind (text to a binary port, bytes to a textual
 * one) is dropped: the primitives check the kind first and raise. */
void tm_port_write_utf8(TmPort *p, const char *s, size_t len);
void tm_port_write_char(TmPort *p, uint32_t cp);
void tm_port_write_bytes(TmPort *p, const uint8_t *b, size_t len);
void tm_port_flush(TmPort *p);
void tm_port_close(TmPort *p);
/* Called by the collector when the owning heap object dies. */
void tm_port_finalize(TmValue port);

#endif
