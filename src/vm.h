/*
 * vm.h — the bytecode virtual machine: running code, calling procedures,
 * raising exceptions, the dynamic environment.
 */
#ifndef TM_VM_H
#define TM_VM_H

#include "object.h"

/* The dynamic environment is a vector: handler stack (list), winders
 * (list), parameter bindings (alist of (parameter . value)). */
enum { TM_DYN_HANDLERS, TM_DYN_WINDERS, TM_DYN_PARAMS, TM_DYN_NSLOTS };

/* The current value of a parameter object in the running process. */
TmValue tm_param_value(TmNode *n, TmValue param);
TmValue tm_make_parameter(TmNode *n, TmValue value, TmValue converter);

/* The first two words of a call header, in the stack cache and in the
 * slots of heap frames (pending calls): the distance down to the caller's
 * fp and the return pc, both in bytes so that calls and returns need no
 * shifts.  Both are even, so the collector takes them for fixnums. */
#define TM_HDR_DIST(words) ((TmValue)((size_t)(words) * sizeof(TmValue)))
#define TM_HDR_PC(insns) ((TmValue)((size_t)(insns) * sizeof(uint32_t)))
#define TM_HDR_DIST_WORDS(w) ((size_t)(w) / sizeof(TmValue))
#define TM_HDR_PC_INSNS(w) ((size_t)(w) / sizeof(uint32_t))

/* Words in the stack cache, and the most arguments a call can pass (the
 * rest of the cache holds the caller's frame and the callee's). */
#define TM_STACK_WORDS ((size_t)1 << 16)
#define TM_MAX_CALL_ARGS 50000

void tm_vm_init(TmNode *n);
void tm_vm_destroy(TmNode *n);

/* Call proc with args from C and run to completion (nested execution; used
 * by the compiler for define-macro and by the driver).  Returns the result,
 * or TM_EXC when an exception escaped, with the raised object in
 * n->vm.pending. */
TmValue tm_vm_apply(TmNode *n, TmValue proc, int argc, const TmValue *argv);

/* Source location "file:line" of the call the VM is executing, or NULL. */
char *tm_vm_location(TmNode *n);
/* A backtrace of the Scheme frames, one per line, innermost first. */
void tm_vm_backtrace(TmNode *n, GString *out, int max_frames);

#endif
