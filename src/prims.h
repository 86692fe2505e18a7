/*
 * prims.h — the interface between the VM and primitives written in C.
 *
 * A primitive receives its arguments in argv (on the VM stack; valid until
 * it returns) after the VM has checked min_args <= argc <= max_args
 * (max_args -1: no upper bound).  It returns a value, or TM_EXC after
 * calling one of the error helpers below, which the VM then raises as a
 * Scheme exception at the call site.  Primitives never call back into
 * Scheme; anything that needs to is written in Scheme in lang/.
 */
#ifndef TM_PRIMS_H
#define TM_PRIMS_H

#include "object.h"

typedef TmValue (*TmPrimFn)(TmNode *n, int argc, TmValue *argv);

typedef struct TmPrimDef {
    const char *name;
    TmPrimFn fn;
    int16_t min_args, max_args;
    uint8_t special; /* nonzero: handled inside the VM (vm.c) */
} TmPrimDef;

#define TM_PRIM(cname) static TmValue cname(TmNode *n, int argc, TmValue *argv)
#define TM_UNUSED_ARGS (void)n, (void)argc, (void)argv

/* Tables of primitives, each ending with {NULL}; registered by node.c. */
extern const TmPrimDef tm_prims_core[];    /* prim_core.c: types, eq, control */
extern const TmPrimDef tm_prims_num[];     /* num.c */
extern const TmPrimDef tm_prims_list[];    /* prim_list.c: pairs, lists, vectors */
extern const TmPrimDef tm_prims_string[];  /* prim_string.c: chars, strings, symbols, bytevectors */
extern const TmPrimDef tm_prims_io[];      /* prim_io.c: ports, files, console */
extern const TmPrimDef tm_prims_process[]; /* process.c: spawn, send, links */
extern const TmPrimDef tm_prims_marshal[]; /* marshal.c: object->u8vector, u8vector->object */

/* Raise an error object (kind `error`) made of who, message, irritants.
 * Always returns TM_EXC. */
TmValue tm_error(TmNode *n, const char *who, const char *message, TmValue irritants);
/* printf-style message, no irritants. */
TmValue tm_errorf(TmNode *n, const char *who, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
/* "car: argument 1 must be a pair, got 5"; no irritants (the message
 * shows the value) */
TmValue tm_type_error(TmNode *n, const char *who, int argno,
                      const char *expected, TmValue got);
/* "argument 2 out of range: 5"; no irritants */
TmValue tm_range_error(TmNode *n, const char *who, int argno, TmValue got);
/* Raise any object. */
TmValue tm_raise_obj(TmNode *n, TmValue obj);
/* Raise an error of another kind (read-error, file-error). */
TmValue tm_error_kind(TmNode *n, TmValue kind, const char *who,
                      const char *message, TmValue irritants);

/* Argument checks used everywhere; each returns false after raising. */
#define TM_CHECK(n, cond, who, argno, expected, v)                           \
    do {                                                                      \
        if (!(cond))                                                          \
            return tm_type_error((n), (who), (argno), (expected), (v));       \
    } while (0)

/* Fetch an index argument in [0, limit); raises otherwise. */
bool tm_get_index(TmNode *n, const char *who, int argno, TmValue v,
                  size_t limit, size_t *out);

#endif
