/*
 * node.h — a Termite node: one heap, one symbol table (and so one set of
 * globals), one VM and, later, one scheduler.  Everything that changes at
 * run time hangs off a TmNode, so any number of nodes can live in one OS
 * process (the simulator relies on it).
 */
#ifndef TM_NODE_H
#define TM_NODE_H

#include <glib.h>
#include <stdio.h>

#include "value.h"
#include "world.h"

typedef struct TmNode TmNode;

/* ---- heap (heap.c) ---------------------------------------------------- */
typedef struct TmChunk {
    struct TmChunk *next;
    char *top, *limit;
    char base[];
} TmChunk;

typedef struct TmHeap {
    char *top, *limit;         /* bump region for young objects */
    char *nursery;             /* the nursery block */
    size_t nursery_bytes;
    TmChunk *young_chunks;     /* overflow blocks used since the last GC */
    TmChunk *old_head, *old_tail; /* old generation, in allocation order */
    size_t old_bytes;          /* bytes in the old generation */
    size_t old_limit;          /* major collection when exceeded */
    GPtrArray *remembered;     /* old objects that may point to young ones */
    GArray *finalizable;       /* TmValue ports etc. needing a finalizer */
    bool gc_pending;           /* collect at the next safe point */
    int inhibit;               /* >0: no collection (compiler running Scheme) */
    bool stress;               /* collect at every safe point */
    bool verify;               /* check the heap after each collection */
    uint64_t minor_count, major_count;
    uint64_t epoch;            /* collections so far: objects may have moved */
    uint64_t alloc_bytes;      /* since start, for statistics */
} TmHeap;

/* ---- VM registers (vm.c) ---------------------------------------------- */
typedef struct TmVM {
    TmValue *stack;            /* the stack cache, see docs/internals/vm.md */
    size_t stack_size;         /* in words */
    size_t sp;                 /* first free slot */
    size_t fp;                 /* current frame's first argument */
    TmValue clo;               /* the running closure */
    TmValue acc;               /* accumulator */
    TmValue underflow;         /* heap frame to return into at stack bottom */
    TmValue dynenv;            /* handlers, winders, parameters (a vector) */
    TmValue owner;             /* the process whose call started this run */
    TmValue pending;           /* object a primitive raised (TM_EXC) */
    size_t pc;                 /* offset of the instruction being run, synced
                                  before primitive calls */
    GString *backtrace;        /* of the last uncaught exception */
    int64_t reductions;        /* total, for statistics */
    int64_t budget;            /* reductions left in the time slice */
    int depth;                 /* nested tm_vm_apply calls */
    bool exiting;              /* (exit) was called */
    int exit_code;
    gint interrupt;            /* an interrupt is requested (atomic: set by
                                  tm_node_request_interrupt from any thread) */
} TmVM;

/* ---- scheduler (process.c, vm.c) ------------------------------------------ */
/* The scheduler's state, part of TmNode. */
typedef struct TmSched {
    TmValue runq_head, runq_tail;  /* processes linked by TM_PROC_NEXT */
    TmValue current;               /* the running process */
    GArray *timers;                /* TmTimer, a binary heap by deadline */
    uint64_t timer_seq;            /* ties broken by arrival: deterministic */
    int64_t timers_armed;          /* processes whose timer is in the heap;
                                      the other entries are stale */
    struct TmProcEntry *table;     /* pid number -> live process, see process.c */
    size_t table_size, table_count;
    size_t table_reach;            /* no entry lies further from its home */
    bool table_scrambled;          /* hashed, not indexed by number */
    int64_t young_from;            /* the first pid number handed out since
                                      the last collection */
    int64_t next_pid, next_tag;
    TmValue self_node;             /* this node's identity */
    TmValue exc_type;              /* record type of termite exceptions */
    TmValue timeout_marker;        /* returned by receives that time out */
    int64_t live;                  /* processes not dead */
} TmSched;

typedef struct {
    int64_t deadline;
    uint64_t seq;
    int64_t number;                /* of the process to wake, if it lives */
} TmTimer;

/* Well-known symbols, interned at node creation, roots of the collector. */
#define TM_WELL_KNOWN_SYMBOLS(X)                                              \
    X(quote, "quote") X(quasiquote, "quasiquote") X(unquote, "unquote")       \
    X(unquote_splicing, "unquote-splicing") X(lambda, "lambda")               \
    X(define, "define") X(if_, "if") X(begin, "begin") X(let, "let")          \
    X(letrec, "letrec") X(letrec_star, "letrec*") X(let_star, "let*")         \
    X(named_lambda, "named-lambda") X(define_syntax, "define-syntax")         \
    X(let_syntax, "let-syntax") X(letrec_syntax, "letrec-syntax")             \
    X(syntax_rules, "syntax-rules") X(define_macro, "define-macro")           \
    X(define_record_type, "define-record-type") X(ellipsis, "...")            \
    X(underscore, "_") X(else_, "else") X(arrow, "=>") X(set, "set!")         \
    X(error, "error") X(read_error, "read-error") X(file_error, "file-error") \
    X(timeout, "timeout") X(include, "include") X(the_environment, "the-environment") \
    X(cons_stream, "cons-stream") X(define_values, "define-values")           \
    X(case_lambda, "case-lambda") X(assert_, "assert") X(dot, ".")         \
    X(normal, "normal") X(failure, "failure") X(terminated, "terminated")     \
    X(DOWN, "DOWN")

enum {
#define X(c, s) TM_S_##c,
    TM_WELL_KNOWN_SYMBOLS(X)
#undef X
    TM_S__COUNT
};

/* Procedures written in Scheme (lang/) that the VM and C code call. */
enum {
    TM_H_RAISE,         /* (raise obj): used for errors in primitives */
    TM_H_APPLY_HOOK,    /* reserved */
    TM_H__COUNT
};

struct TmNode {
    TmWorld *world;
    TmHeap heap;
    TmVM vm;
    TmSched sched;
    GHashTable *symbols;       /* UTF-8 name -> symbol (TmValue) */
    GHashTable *keywords;      /* UTF-8 name -> keyword (TmValue) */
    GHashTable *record_types;  /* uid string -> record type (TmValue) */
    GPtrArray *prims;          /* index -> const TmPrimDef* */
    GHashTable *prim_index;    /* name -> index+1 */
    TmValue prim_vector;       /* index -> primitive object */
    const struct TmPrimDef *op_prims[256]; /* opcode -> primitive it inlines */
    uint16_t op_prim_index[256];            /* ... and its index in prim_vector */
    TmValue sym[TM_S__COUNT];  /* well-known symbols */
    TmValue hooks[TM_H__COUNT];/* well-known Scheme procedures, or #f */
    TmValue *roots[64];        /* C locals registered with tm_root_push */
    int nroots;
    uint64_t gensym_counter;
    uint64_t uid_counter;      /* record type uids etc. */
    uint64_t trace_seq;        /* events written to the trace sink */
    int64_t born_ns;           /* world time at creation: traces count from it */
    bool plain_code;           /* TERMITE_PLAIN_CODE: no superinstructions or
                                  open-coded primitives (differential tests) */
    TmValue command_line;      /* list of strings */
    TmValue param_in, param_out, param_err; /* current-*-port parameters */
    TmValue marshal;           /* marshal.c: code cache and port proxies, or #f */
    GString *cname_ring[8];    /* scratch for tm_symbol_cname */
    unsigned cname_next;
    void *compiler_state;      /* compiler.c's scratch, NULL when idle */
    const char *lib_dir;       /* where lang/ lives for (load) of libraries */
};

TmNode *tm_node_new(TmWorld *world);
void tm_node_free(TmNode *n);

/* At a safe point, with an interrupt requested: deliver it to the process
 * that started the current run (see node.c).  True when that process is
 * the running one: vm.pending then holds the error to raise at once. */
bool tm_node_take_interrupt(TmNode *n);

/* Register a C local so that a collection during nested Scheme execution
 * updates it.  Pops must match pushes. */
static inline void tm_root_push(TmNode *n, TmValue *p) { n->roots[n->nroots++] = p; }
static inline void tm_root_pop(TmNode *n, int k) { n->nroots -= k; }

#endif
