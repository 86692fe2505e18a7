/*
 * vm.c — the bytecode interpreter.
 *
 * The running process keeps its newest activations in a stack cache (an
 * array of words); older ones live in the heap as immutable TM_T_FRAME
 * objects chained through their parent (vm.underflow is the newest).  A
 * call pushes a three-word header [distance down to the caller's fp,
 * return pc, caller closure] below the arguments; the distance is relative
 * so that a frame holding a pending call's header can be copied back to
 * any position of the cache.  call/cc, stack overflow and (later) process
 * switches spill the cache into heap frames; returning past the bottom of
 * the cache copies the next heap frame back ("underflow").  So call/cc is
 * cheap, continuations are plain data, and recursion depth is bounded
 * only by the heap.  See docs/internals/vm.md.
 */
#include "vm.h"

#include "compiler.h"
#include "num.h"
#include "prims.h"
#include "printer.h"
#include "process.h"

#define HDR 3                      /* words in a call header */
#define MARK tm_fix(-1)            /* caller fp of the bottom header */
#define SLICE 2000                 /* reductions per time slice */

enum { SP_NONE, SP_APPLY, SP_CALLCC, SP_APPLY_VALUES, SP_ABORT, SP_EXIT,
       SP_RECV, SP_RECV_UNTIL, SP_RECV_PEEK, SP_HALT, SP_TERMINATE, SP_SEND };

/* The index of %recv-until in tm_prims_vm, which is registered first
 * (node.c), so it is also its index in the node's primitive table. */
enum { PRIM_RECV_UNTIL = 6 };

static TmValue prim_never(TmNode *n, int argc, TmValue *argv)
{
    TM_UNUSED_ARGS;
    g_error("special primitive called directly");
    return TM_VOID;
}

/* Primitives the VM implements itself (they manipulate the stack). */
const TmPrimDef tm_prims_vm[] = {
    {"apply", prim_never, 1, -1, SP_APPLY},
    {"%call/cc", prim_never, 1, 1, SP_CALLCC},
    {"%apply-values", prim_never, 2, 2, SP_APPLY_VALUES},
    {"%abort", prim_never, 1, 1, SP_ABORT},
    {"%exit", prim_never, 0, 1, SP_EXIT},

    {"?", prim_never, 0, 2, SP_RECV},
    {"%recv-until", prim_never, 1, 2, SP_RECV_UNTIL},
    {"%recv-peek", prim_never, 1, 1, SP_RECV_PEEK},
    {"halt!", prim_never, 0, 0, SP_HALT},
    {"terminate!", prim_never, 1, 1, SP_TERMINATE},
    {"!", prim_never, 2, 2, SP_SEND},
    {"send", prim_never, 2, 2, SP_SEND},
    {NULL, NULL, 0, 0, 0},
};

void tm_vm_init(TmNode *n)
{
    TmVM *vm = &n->vm;
    g_assert(tm_prims_vm[PRIM_RECV_UNTIL].special == SP_RECV_UNTIL);
    memset(vm, 0, sizeof *vm);
    vm->stack_size = TM_STACK_WORDS;
    vm->stack = g_new0(TmValue, vm->stack_size);
    vm->clo = TM_FALSE;
    vm->acc = TM_FALSE;
    vm->owner = TM_FALSE;
    vm->underflow = TM_FALSE;
    vm->pending = TM_FALSE;
    vm->backtrace = g_string_new(NULL);
    TmValue d = tm_alloc(n, TM_T_VECTOR, TM_DYN_NSLOTS);
    for (int i = 0; i < TM_DYN_NSLOTS; i++)
        TM_SLOT(d, i) = TM_NIL;
    vm->dynenv = d;
}

void tm_vm_destroy(TmNode *n)
{
    g_free(n->vm.stack);
    g_string_free(n->vm.backtrace, TRUE);
}

/* ---- parameters -------------------------------------------------------- */

TmValue tm_make_parameter(TmNode *n, TmValue value, TmValue converter)
{
    TmValue p = tm_alloc(n, TM_T_PARAMETER, 2);
    TM_SLOT(p, 0) = value;
    TM_SLOT(p, 1) = converter;
    return p;
}

TmValue tm_param_value(TmNode *n, TmValue param)
{
    for (TmValue l = TM_SLOT(n->vm.dynenv, TM_DYN_PARAMS); tm_is_pair(l); l = tm_cdr(l))
        if (tm_car(tm_car(l)) == param)
            return tm_cdr(tm_car(l));
    return TM_SLOT(param, 0);
}

/* ---- source locations and backtraces ------------------------------------ */

static int code_line(TmValue code, size_t pc)
{
    TmValue lines = TM_SLOT(code, TM_CODE_LINES);
    if (!tm_is_bytevector(lines))
        return 0;
    const uint32_t *l = (const uint32_t *)tm_bytevector_data(lines);
    size_t count = tm_bytevector_length(lines) / 8;
    int line = 0;
    for (size_t i = 0; i < count && l[2 * i] <= pc; i++)
        line = (int)l[2 * i + 1];
    return line;
}

static void describe_activation(TmNode *n, TmValue clo, size_t pc, GString *out)
{
    if (!tm_is_closure(clo)) {
        g_string_append(out, "<unknown>");
        return;
    }
    TmValue code = tm_closure_code(clo);
    TmValue name = TM_SLOT(code, TM_CODE_NAME);
    if (tm_is_symbol(name))
        g_string_append(out, tm_symbol_cname(n, name));
    else
        g_string_append(out, "<top level>");
    TmValue file = TM_SLOT(code, TM_CODE_FILE);
    int line = code_line(code, pc);
    if (tm_is_string(file) && line > 0) {
        g_string_append(out, " at ");
        tm_string_append_utf8(out, file);
        g_string_append_printf(out, ":%d", line);
    }
}

static size_t current_pc(TmNode *n) { return n->vm.pc; }

char *tm_vm_location(TmNode *n)
{
    TmVM *vm = &n->vm;
    if (!tm_is_closure(vm->clo))
        return NULL;
    TmValue code = tm_closure_code(vm->clo);
    TmValue file = TM_SLOT(code, TM_CODE_FILE);
    int line = code_line(code, current_pc(n));
    if (!tm_is_string(file) || line <= 0)
        return NULL;
    GString *g = g_string_new(NULL);
    tm_string_append_utf8(g, file);
    g_string_append_printf(g, ":%d", line);
    return g_string_free(g, FALSE);
}

typedef struct {
    TmValue clo;
    size_t pc;
} Activation;

static bool in_prelude(Activation a)
{
    if (!tm_is_closure(a.clo))
        return false;
    TmValue file = TM_SLOT(tm_closure_code(a.clo), TM_CODE_FILE);
    static const char prelude[] = "prelude";
    if (!tm_is_string(file) || tm_string_length(file) != sizeof prelude - 1)
        return false;
    for (size_t i = 0; i < sizeof prelude - 1; i++)
        if (tm_string_chars(file)[i] != (uint32_t)prelude[i])
            return false;
    return true;
}

void tm_vm_backtrace(TmNode *n, GString *out, int max_frames)
{
    TmVM *vm = &n->vm;
    GArray *acts = g_array_new(FALSE, FALSE, sizeof(Activation));
    Activation a = {vm->clo, current_pc(n)};
    g_array_append_val(acts, a);
    size_t fp = vm->fp;
    bool more = false;
    while (fp >= HDR && vm->stack[fp - HDR] != MARK) {
        size_t h = fp - HDR;
        a = (Activation){vm->stack[h + 2], TM_HDR_PC_INSNS(vm->stack[h + 1]) - 1};
        g_array_append_val(acts, a);
        fp = h - TM_HDR_DIST_WORDS(vm->stack[h]);
    }
    for (TmValue f = vm->underflow; tm_has_type(f, TM_T_FRAME); f = TM_SLOT(f, TM_FRAME_PARENT)) {
        if ((int)acts->len >= 4 * max_frames) {
            more = true;
            break;
        }
        a = (Activation){TM_SLOT(f, TM_FRAME_CLOSURE),
                         (size_t)tm_fixval(TM_SLOT(f, TM_FRAME_PC)) - 1};
        g_array_append_val(acts, a);
    }
    /* the library's own frames around the program's (raise, the loader
     * loop) say nothing about the error: leave them out when some
     * frame of the program remains */
    guint first = 0, last = acts->len;
    while (first < last && in_prelude(g_array_index(acts, Activation, first)))
        first++;
    while (last > first && in_prelude(g_array_index(acts, Activation, last - 1)))
        last--;
    if (first == last) /* nothing but the library: nothing to show */
        more = false;
    int count = 0;
    for (guint i = first; i < last; i++, count++) {
        if (count >= max_frames) {
            more = true;
            break;
        }
        Activation *ai = &g_array_index(acts, Activation, i);
        g_string_append_printf(out, "  %d: ", count);
        describe_activation(n, ai->clo, ai->pc, out);
        g_string_append_c(out, '\n');
    }
    if (more)
        g_string_append(out, "  ...\n");
    g_array_free(acts, TRUE);
}

/* ---- stack cache <-> heap frames ------------------------------------------ */

/* Move every activation below the call whose header is at h into heap
 * frames (the newest becomes vm.underflow), then slide the words above
 * the header, [h + HDR, top), down to just above the bottom header.
 * Returns the new top.  The frames are made newest first, each one's
 * parent slot filled when the next older one exists: no scratch memory,
 * and nothing can collect before the chain is complete. */
static size_t spill(TmNode *n, size_t base, size_t h, size_t top)
{
    TmVM *vm = &n->vm;
    TmValue *st = vm->stack;
    TmValue newest = TM_FALSE, prev = TM_FALSE;
    for (size_t k = h; st[k] != MARK; k = k - TM_HDR_DIST_WORDS(st[k]) - HDR) {
        size_t fpi = k - TM_HDR_DIST_WORDS(st[k]);
        size_t nslots = k - fpi;
        TmValue f = tm_alloc(n, TM_T_FRAME, TM_FRAME_SLOTS + nslots);
        TM_SLOT(f, TM_FRAME_CLOSURE) = st[k + 2];
        TM_SLOT(f, TM_FRAME_PC) = tm_fix((intptr_t)TM_HDR_PC_INSNS(st[k + 1]));
        memcpy(&TM_SLOT(f, TM_FRAME_SLOTS), &st[fpi], nslots * sizeof(TmValue));
        if (prev == TM_FALSE)
            newest = f;
        else
            TM_SLOT(prev, TM_FRAME_PARENT) = f;
        prev = f;
    }
    if (prev != TM_FALSE) {
        TM_SLOT(prev, TM_FRAME_PARENT) = vm->underflow;
        vm->underflow = newest;
    }
    size_t above = top - (h + HDR);
    if (above > 0 && h != base) /* often nothing to move: (?) has no arguments */
        memmove(&st[base + HDR], &st[h + HDR], above * sizeof(TmValue));
    return base + HDR + above;
}

/* ---- errors raised by the VM itself --------------------------------------- */

static TmValue arity_error(TmNode *n, TmValue proc, int argc)
{
    char *shown = tm_print_short(n, proc, 60);
    TmValue r = tm_errorf(n, NULL, "%s called with %d argument%s, which is the "
                          "wrong number", shown, argc, argc == 1 ? "" : "s");
    g_free(shown);
    return r;
}

static TmValue closure_arity_error(TmNode *n, TmValue proc, int argc)
{
    TmValue code = tm_closure_code(proc);
    intptr_t ar = tm_fixval(TM_SLOT(code, TM_CODE_ARITY));
    int nreq = (int)(ar & 0xffff), nopt = (int)((ar >> 16) & 0xffff);
    bool rest = (ar >> 32) & 1;
    char *shown = tm_print_short(n, proc, 60);
    char expect[64];
    if (rest)
        g_snprintf(expect, sizeof expect, "at least %d", nreq);
    else if (nopt)
        g_snprintf(expect, sizeof expect, "%d to %d", nreq, nreq + nopt);
    else
        g_snprintf(expect, sizeof expect, "%d", nreq);
    TmValue r = tm_errorf(n, NULL, "%s called with %d argument%s, expected %s",
                          shown, argc, argc == 1 ? "" : "s", expect);
    g_free(shown);
    return r;
}

static TmValue not_procedure_error(TmNode *n, TmValue v)
{
    char *shown = tm_print_short(n, v, 60);
    TmValue r = tm_error(n, NULL, "attempt to call a non-procedure",
                         tm_cons(n, v, TM_NIL));
    (void)shown;
    g_free(shown);
    return r;
}

/* Give the pending error object the source location of the running code. */
static void locate_pending(TmNode *n, TmValue clo, size_t pc)
{
    TmValue e = n->vm.pending;
    if (!tm_is_error(e) || TM_SLOT(e, TM_ERR_LOCATION) != TM_FALSE || !tm_is_closure(clo))
        return;
    if (in_prelude((Activation){clo, pc}))
        return; /* the library's own code: the backtrace shows the caller */
    TmValue code = tm_closure_code(clo);
    TmValue file = TM_SLOT(code, TM_CODE_FILE);
    int line = code_line(code, pc);
    if (!tm_is_string(file) || line <= 0)
        return;
    GString *g = g_string_new(NULL);
    tm_string_append_utf8(g, file);
    g_string_append_printf(g, ":%d", line);
    TM_SLOT(e, TM_ERR_LOCATION) = tm_string_from_utf8(n, g->str, (ptrdiff_t)g->len);
    g_string_free(g, TRUE);
}

/* ---- the interpreter loop -------------------------------------------------- */

static TmValue slow_binop(TmNode *n, TmOpcode op, TmValue a, TmValue b)
{
    bool err = false;
    int c;
    switch (op) {
    case TM_OP_ADD: return tm_num_add(n, a, b);
    case TM_OP_SUB: return tm_num_sub(n, a, b);
    case TM_OP_MUL: return tm_num_mul(n, a, b);
    case TM_OP_NUMEQ: c = tm_num_compare(n, "=", a, b, &err); return err ? TM_EXC : tm_bool(c == 0);
    case TM_OP_LT: c = tm_num_compare(n, "<", a, b, &err); return err ? TM_EXC : tm_bool(c < 0);
    case TM_OP_GT: c = tm_num_compare(n, ">", a, b, &err); return err ? TM_EXC : tm_bool(c == 1);
    case TM_OP_LE: c = tm_num_compare(n, "<=", a, b, &err); return err ? TM_EXC : tm_bool(c <= 0);
    case TM_OP_GE: c = tm_num_compare(n, ">=", a, b, &err); return err ? TM_EXC : tm_bool(c == 0 || c == 1);
    default: g_assert_not_reached();
    }
}

/* ADDI's slow path: (+ x k) or (- x k'), as the program wrote it. */
static TmValue add_constant_slow(TmNode *n, TmValue x, int32_t operand)
{
    int32_t k = tm_addi_constant(operand);
    return tm_addi_is_sub(operand) ? tm_num_sub(n, x, tm_fix(-(intptr_t)k))
                                   : tm_num_add(n, x, tm_fix(k));
}

static TmValue spread_list(TmNode *n, TmValue **sp, TmValue list, const char *who)
{
    ptrdiff_t len = tm_list_length(list);
    if (len < 0)
        return tm_type_error(n, who, 0, "proper list", list);
    if (len > TM_MAX_CALL_ARGS ||
        (size_t)(*sp - n->vm.stack) + (size_t)len + 64 >= n->vm.stack_size)
        return tm_errorf(n, who, "too many arguments (%td; a call takes at most %d)", len,
                         TM_MAX_CALL_ARGS);
    for (; tm_is_pair(list); list = tm_cdr(list))
        *(*sp)++ = tm_car(list);
    return TM_VOID;
}

/* The next process to run.  With none runnable, wait for the earliest
 * receive timeout; with no timeout either, every process waits for a
 * message that cannot come: the owner of the run is resumed with a
 * deadlock error.  #f when the owner is dead. */
static TmValue pick_next(TmNode *n, TmValue owner)
{
    for (;;) {
        if (n->sched.timers->len)
            tm_sched_fire_timers(n, tm_node_now_ns(n));
        TmValue next = tm_sched_dequeue(n);
        if (next != TM_FALSE)
            return next;
        if (tm_process_state(owner) == TM_PS_DEAD)
            return TM_FALSE;
        int64_t deadline = tm_sched_next_deadline(n);
        if (deadline >= 0) {
            n->world->ops->idle(n->world, deadline);
            continue;
        }
        tm_error(n, NULL, "deadlock: every process is waiting for a message",
                 tm_cons(n, TM_SLOT(owner, TM_PROC_PID), TM_NIL));
        tm_write(n, owner, TM_PROC_PROC, n->hooks[TM_H_RAISE]);
        tm_write(n, owner, TM_PROC_ARGS, tm_cons(n, n->vm.pending, TM_NIL));
        return owner;
    }
}

static bool timer_due(TmNode *n)
{
    int64_t d = tm_sched_next_deadline(n);
    return d >= 0 && tm_node_now_ns(n) >= d;
}

#define FETCH() (insn = *pc++)
#define A() tm_insn_a(insn)
#if defined(__GNUC__)
#define DISPATCH() do { FETCH(); goto *labels[tm_insn_op(insn)]; } while (0)
#define CASE(op) L_##op:
#else
#error "the VM needs computed goto (GCC or clang)"
#endif

/* cur_code caches the code whose bytes and constants are loaded: calls
 * and returns within one procedure (recursion) skip the reload.  Anything
 * that may collect resets it, since the code may move. */
#define LOAD_CODE(c)                                                        \
    do {                                                                    \
        TmValue code_ = tm_closure_code(c);                                 \
        if (code_ != cur_code) {                                            \
            cur_code = code_;                                               \
            code_start = (const uint32_t *)tm_bytevector_data(TM_SLOT(code_, TM_CODE_BYTES)); \
            K = tm_slots(TM_SLOT(code_, TM_CODE_CONSTS));                   \
        }                                                                   \
    } while (0)

#define PC_OFFSET() ((size_t)(pc - code_start))
#define IDX(p) ((size_t)((p) - st))

/* Raise vm.pending from inside an instruction: call the raise hook as if
 * the instruction were a call; the hook's value becomes the instruction's
 * value (with-exception-handler semantics). */
#define RAISE_FROM_INSN()                                                   \
    do {                                                                    \
        locate_pending(n, clo, PC_OFFSET() - 1);                           \
        if (n->hooks[TM_H_RAISE] == TM_FALSE) goto escape;                  \
        sp[0] = TM_HDR_DIST(sp - fp); sp++;                                \
        *sp++ = TM_HDR_PC(PC_OFFSET());                                    \
        *sp++ = clo;                                                     \
        *sp++ = vm->pending;                                             \
        fp = sp - 1;                                                        \
        argc = 1;                                                           \
        acc = n->hooks[TM_H_RAISE];                                         \
        goto apply;                                                         \
    } while (0)

/* Run until the bottom header of this run is returned through with no
 * heap frame left.  On entry proc is to be applied to argc arguments at
 * vm.fp, with a header below them. */
static TmValue run(TmNode *n, TmValue proc, int argc, size_t base)
{
    static const void *const labels[] = {
#define OP(name, size, doc) &&L_##name,
#include "opcodes.def"
#undef OP
    };
    TmVM *vm = &n->vm;
    TmValue *st = vm->stack;
    TmValue *sp = st + vm->sp, *fp = st + vm->fp;
    TmValue *const stack_end = st + vm->stack_size;
    TmValue clo = vm->clo, acc = proc;
    const uint32_t *code_start = NULL, *pc = NULL;
    TmValue cur_code = TM_FALSE;
    TmValue *K = NULL;
    uint32_t insn;
    const TmPrimDef *def;
    TmValue sym_error;
    bool may_switch = vm->depth == 1;
#define owner (vm->owner) /* a register the collector updates */

apply:
    /* acc: the procedure; argc arguments at st[fp..]; header below fp */
    if (G_LIKELY(tm_is_closure(acc))) {
    apply_closure:
        if (G_UNLIKELY(--vm->budget <= 0 || n->heap.gc_pending))
            goto safe_point;
    enter: {
        TmValue code = tm_closure_code(acc);
        if (G_UNLIKELY(TM_SLOT(code, TM_CODE_ARITY) != tm_fix(argc))) {
            intptr_t ar = tm_fixval(TM_SLOT(code, TM_CODE_ARITY));
            int nreq = (int)(ar & 0xffff), nopt = (int)((ar >> 16) & 0xffff);
            bool rest = (ar >> 32) & 1;
            if (argc < nreq || (!rest && argc > nreq + nopt)) {
                sp = fp + (size_t)argc;
                closure_arity_error(n, acc, argc);
                goto raise_call;
            }
            if (G_UNLIKELY(fp + nreq + nopt + 1 >= stack_end)) {
                /* room for the defaults first */
                sp = st + spill(n, base, IDX(fp) - HDR, IDX(fp) + (size_t)argc);
                fp = st + base + HDR;
                if (fp + nreq + nopt + 1 >= stack_end) {
                    tm_errorf(n, NULL, "procedure frame too large");
                    goto escape;
                }
            }
            while (argc < nreq + nopt)
                fp[argc++] = TM_DEFAULT;
            if (rest) {
                TmValue l = TM_NIL;
                for (int i = argc; i-- > nreq + nopt;)
                    l = tm_cons(n, fp[i], l);
                fp[nreq + nopt] = l;
                argc = nreq + nopt + 1;
            }
        }
        sp = fp + (size_t)argc;
        size_t need = (size_t)tm_fixval(TM_SLOT(code, TM_CODE_FRAMESIZE));
        if (G_UNLIKELY(sp + need >= stack_end)) {
            sp = st + spill(n, base, IDX(fp) - HDR, IDX(sp));
            fp = st + base + HDR;
            if (sp + need >= stack_end) {
                tm_errorf(n, NULL, "procedure frame too large");
                goto escape;
            }
        }
        clo = acc;
        LOAD_CODE(clo);
        pc = code_start;
        DISPATCH();
    }
    }
    if (tm_is_primitive(acc)) {
        def = n->prims->pdata[tm_fixval(TM_SLOT(acc, 0))];
        if (argc < def->min_args || (def->max_args >= 0 && argc > def->max_args)) {
            sp = fp + (size_t)argc;
            arity_error(n, acc, argc);
            goto raise_call;
        }
        if (def->special)
            goto special;
        vm->sp = IDX(fp) + (size_t)argc;
        vm->fp = IDX(fp);
        vm->clo = clo;
        vm->pc = pc ? PC_OFFSET() - 1 : 0;
        acc = def->fn(n, argc, fp);
        cur_code = TM_FALSE; /* a nested run may have collected */
        if (G_UNLIKELY(acc == TM_EXC)) {
            if (vm->exiting)
                goto escape;
            sp = fp + (size_t)argc;
            goto raise_call;
        }
        goto do_return;
    }
    if (tm_is_continuation(acc)) {
        TmValue k = acc;
        acc = argc == 1 ? fp[0] : tm_make_values(n, (size_t)argc, fp);
        vm->underflow = TM_SLOT(k, 0);
        fp = st + base + HDR;
        sp = fp;
        goto underflow;
    }
    if (tm_has_type(acc, TM_T_PARAMETER) && argc == 0) {
        acc = tm_param_value(n, acc);
        goto do_return;
    }
    sp = fp + (size_t)argc;
    if (tm_has_type(acc, TM_T_PARAMETER))
        arity_error(n, acc, argc);
    else
        not_procedure_error(n, acc);
    goto raise_call;

safe_point:
    /* the slice is used up or a collection is due: the closure in acc is
     * about to be entered with its argc arguments at st[fp..] */
    if (n->heap.gc_pending) {
        vm->sp = IDX(fp) + (size_t)argc;
        vm->fp = IDX(fp);
        vm->clo = clo;
        vm->acc = acc;
        tm_heap_safepoint(n);
        cur_code = TM_FALSE;
        clo = vm->clo;
        acc = vm->acc;
    }
    if (vm->budget <= 0) {
        vm->reductions += SLICE;
        vm->budget = SLICE;
        if (G_UNLIKELY(g_atomic_int_get(&vm->interrupt)) && tm_node_take_interrupt(n)) {
            sp = fp + (size_t)argc;
            goto raise_call;
        }
        if (may_switch && (tm_sched_has_runnable(n) || timer_due(n))) {
            tm_sched_enqueue(n, n->sched.current);
            goto suspend;
        }
    }
    goto enter;

raise_call:
    /* a call failed before running: replace it by a call of the raise
     * hook with the same header, so the hook's value is the call's */
    locate_pending(n, clo, pc ? PC_OFFSET() - 1 : 0);
    if (n->hooks[TM_H_RAISE] == TM_FALSE)
        goto escape;
    fp[0] = vm->pending;
    sp = fp + 1;
    argc = 1;
    acc = n->hooks[TM_H_RAISE];
    goto apply;

special:
    switch (def->special) {
    case SP_APPLY: {
        /* (apply f a ... list): re-apply f in place, a proper tail call */
        TmValue f = fp[0];
        sp = fp + (size_t)argc;
        TmValue list = *--sp;
        memmove(fp, &fp[1], (sp - fp - 1) * sizeof(TmValue));
        sp--;
        if (argc > 1 && spread_list(n, &sp, list, "apply") == TM_EXC)
            goto raise_call;
        argc = (int)(sp - fp);
        acc = f;
        goto apply;
    }
    case SP_APPLY_VALUES: {
        TmValue f = fp[0], v = fp[1];
        sp = fp;
        if (tm_has_type(v, TM_T_VALUES)) {
            for (size_t i = 0; i < tm_obj_size(v); i++)
                *sp++ = TM_SLOT(v, i);
        } else {
            *sp++ = v;
        }
        argc = (int)(sp - fp);
        acc = f;
        goto apply;
    }
    case SP_CALLCC: {
        TmValue f = fp[0];
        sp = st + spill(n, base, IDX(fp) - HDR, IDX(fp) + 1);
        fp = st + base + HDR;
        TmValue k = tm_alloc(n, TM_T_CONTINUATION, 1);
        TM_SLOT(k, 0) = vm->underflow;
        fp[0] = k;
        sp = fp + 1;
        argc = 1;
        acc = f;
        goto apply;
    }
    case SP_RECV:
    case SP_RECV_UNTIL: {
        /* (? [timeout [default]]) takes the first message, after raising
         * a pending exit signal.  With no message it returns the default
         * or raises the symbol timeout once the timeout is over, and
         * blocks otherwise: the process is resumed by applying acc to the
         * arguments again, so a timed wait becomes (%recv-until deadline
         * [default]) and waking up does not restart the timeout. */
        TmValue p = n->sched.current;
        TmValue deadline = TM_FALSE;
        int64_t ns = 0;
        sp = fp + (size_t)argc;
        if (def->special == SP_RECV_UNTIL) {
            deadline = fp[0];
            if (deadline != TM_FALSE && !tm_is_fixnum(deadline)) {
                tm_type_error(n, def->name, 1, "deadline", deadline);
                goto raise_call;
            }
        } else if (argc > 0) {
            int r = tm_receive_timeout(n, def->name, fp[0], &ns);
            if (r < 0)
                goto raise_call;
            if (r > 0)
                deadline = TM_TRUE; /* now + ns, computed if it is needed */
        }
        if (G_UNLIKELY(TM_SLOT(p, TM_PROC_SIGNALS) != TM_NIL)) {
            vm->pending = tm_process_pop_signal(n, p);
            goto raise_call;
        }
        if (G_LIKELY(TM_SLOT(p, TM_PROC_HEAD) != TM_NIL)) {
            acc = tm_process_remove(n, p, TM_FALSE);
            goto do_return;
        }
        if (deadline != TM_FALSE) {
            int64_t now = tm_node_now_ns(n);
            if (deadline == TM_TRUE)
                deadline = tm_fix(now + ns);
            if (now >= tm_fixval(deadline)) {
                acc = argc > 1 ? fp[1] : TM_DEFAULT;
                if (acc != TM_DEFAULT)
                    goto do_return;
                vm->pending = n->sym[TM_S_timeout];
                goto raise_call;
            }
        }
        if (!may_switch) {
            tm_errorf(n, NULL, "cannot wait for a message while expanding a macro");
            goto raise_call;
        }
        if (deadline != TM_FALSE) {
            tm_sched_add_timer(n, p, tm_fixval(deadline));
            fp[0] = deadline;
            acc = TM_SLOT(n->prim_vector, PRIM_RECV_UNTIL);
        }
        tm_write(n, p, TM_PROC_STATE, tm_fix(TM_PS_WAITING));
        goto suspend;
    }
    case SP_RECV_PEEK: {
        /* (%recv-peek deadline) looks at the message the selective scan
         * is at, after raising a pending exit signal; with none it
         * returns the timeout marker once the deadline is past, and
         * blocks otherwise: the call is made again when the process
         * wakes. */
        TmValue p = n->sched.current;
        TmValue sig = tm_process_pop_signal(n, p);
        if (sig != TM_FALSE) {
            vm->pending = sig;
            sp = fp + (size_t)argc;
            goto raise_call;
        }
        TmValue cell = tm_process_scan_cell(p);
        if (cell != TM_NIL) {
            acc = tm_car(cell);
            goto do_return;
        }
        TmValue deadline = fp[0];
        if (deadline != TM_FALSE && tm_node_now_ns(n) >= tm_fixval(deadline)) {
            acc = n->sched.timeout_marker;
            goto do_return;
        }
        if (!may_switch) {
            sp = fp + (size_t)argc;
            tm_errorf(n, NULL, "cannot wait for a message while expanding a macro");
            goto raise_call;
        }
        if (deadline != TM_FALSE)
            tm_sched_add_timer(n, p, tm_fixval(deadline));
        tm_write(n, p, TM_PROC_STATE, tm_fix(TM_PS_WAITING));
        goto suspend;
    }
    case SP_SEND:
        /* (! pid msg): a primitive, but the most common one */
        if (!tm_process_send(n, def->name, fp[0], fp[1])) {
            sp = fp + (size_t)argc;
            goto raise_call;
        }
        acc = TM_VOID;
        goto do_return;
    case SP_HALT:
        if (n->sched.current == owner)
            goto finish;
        tm_process_exit(n, n->sched.current, n->sym[TM_S_normal], TM_FALSE);
        goto schedule;
    case SP_TERMINATE: {
        TmValue target = fp[0];
        if (!tm_is_pid(target)) {
            sp = fp + (size_t)argc;
            tm_type_error(n, "terminate!", 1, "pid", target);
            goto raise_call;
        }
        TmValue p = tm_pid_process(target);
        if (tm_is_process(p))
            tm_process_exit(n, p, n->sym[TM_S_terminated], TM_FALSE);
        if (p == n->sched.current) {
            if (p == owner) {
                tm_error(n, NULL, "the main process was terminated",
                         tm_cons(n, target, TM_NIL));
                goto escape;
            }
            goto schedule;
        }
        acc = TM_VOID;
        goto do_return;
    }
    case SP_ABORT:
        if (n->sched.current != owner) {
            /* an uncaught exception kills a process, not the node */
            TmValue p = n->sched.current;
            tm_process_exit(n, p, n->sym[TM_S_failure], fp[0]);
            goto schedule;
        }
        /* an uncaught exception: record the backtrace while the frames
         * are still here, then abandon this run */
        vm->pending = fp[0];
        vm->sp = IDX(fp) + 1;
        vm->fp = IDX(fp);
        vm->clo = clo;
        vm->pc = pc ? PC_OFFSET() - 1 : 0;
        g_string_truncate(vm->backtrace, 0);
        tm_vm_backtrace(n, vm->backtrace, 30);
        goto escape;
    case SP_EXIT: {
        TmValue code = argc ? fp[0] : TM_TRUE;
        vm->exiting = true;
        vm->exit_code = code == TM_TRUE ? 0 : tm_is_fixnum(code) ? (int)tm_fixval(code) : 1;
        goto escape;
    }
    }
    g_assert_not_reached();

do_return: {
    TmValue *h = fp - HDR;
    if (G_UNLIKELY(h[0] == MARK)) {
        fp = st + base + HDR;
        sp = fp;
        goto underflow;
    }
    sp = h;
    fp = (TmValue *)((char *)h - h[0]);
    clo = h[2];
    LOAD_CODE(clo);
    pc = (const uint32_t *)((const char *)code_start + h[1]);
    DISPATCH();
}

underflow:
    /* the stack cache is empty down to this run's bottom header: resume
     * the newest heap frame, or finish the run */
    if (vm->underflow == TM_FALSE) {
        if (n->sched.current != owner) {
            tm_process_exit(n, n->sched.current, n->sym[TM_S_normal], TM_FALSE);
            goto schedule;
        }
    finish:
        vm->sp = base;
        vm->acc = acc;
        return acc;
    } else {
        TmValue f = vm->underflow;
        size_t nslots = tm_obj_size(f) - TM_FRAME_SLOTS;
        TmValue fcode = tm_closure_code(TM_SLOT(f, TM_FRAME_CLOSURE));
        if (G_UNLIKELY(fp + nslots + (size_t)tm_fixval(TM_SLOT(fcode, TM_CODE_FRAMESIZE)) >=
                       stack_end)) {
            /* only a run nested high in the cache resuming a big frame */
            tm_errorf(n, NULL, "too deeply nested evaluation");
            goto escape;
        }
        memcpy(fp, &TM_SLOT(f, TM_FRAME_SLOTS), nslots * sizeof(TmValue));
        sp = fp + nslots;
        clo = TM_SLOT(f, TM_FRAME_CLOSURE);
        vm->underflow = TM_SLOT(f, TM_FRAME_PARENT);
        LOAD_CODE(clo);
        pc = code_start + tm_fixval(TM_SLOT(f, TM_FRAME_PC));
        DISPATCH();
    }

escape:
    vm->sp = base;
    vm->underflow = TM_FALSE;
    return TM_EXC;

suspend: {
    /* the running process stops before applying acc to the argc
     * arguments at st[fp..]: its frames go to the heap, and applying acc
     * to them again resumes it.  Its state is already set. */
    TmValue p = n->sched.current;
    sp = st + spill(n, base, IDX(fp) - HDR, IDX(fp) + (size_t)argc);
    fp = st + base + HDR;
    TmValue args = tm_list_from_array(n, (size_t)argc, fp);
    tm_write(n, p, TM_PROC_K, vm->underflow);
    tm_write(n, p, TM_PROC_PROC, acc);
    tm_write(n, p, TM_PROC_ARGS, args);
    tm_write(n, p, TM_PROC_DYNENV, vm->dynenv);
    TM_SLOT(p, TM_PROC_REDUCTIONS) =
        tm_fix(tm_fixval(TM_SLOT(p, TM_PROC_REDUCTIONS)) + SLICE - vm->budget);
    vm->underflow = TM_FALSE;
    goto schedule;
}

schedule: {
    TmValue next = pick_next(n, owner);
    if (next == TM_FALSE) {
        vm->pending = TM_SLOT(owner, TM_PROC_K);
        n->sched.current = owner;
        goto escape;
    }
    n->sched.current = next;
    tm_write(n, next, TM_PROC_STATE, tm_fix(TM_PS_RUNNING));
    vm->dynenv = TM_SLOT(next, TM_PROC_DYNENV);
    vm->underflow = TM_SLOT(next, TM_PROC_K);
    acc = TM_SLOT(next, TM_PROC_PROC);
    TmValue args = TM_SLOT(next, TM_PROC_ARGS);
    TM_SLOT(next, TM_PROC_K) = TM_FALSE;
    TM_SLOT(next, TM_PROC_PROC) = TM_FALSE;
    TM_SLOT(next, TM_PROC_ARGS) = TM_NIL;
    fp = st + base + HDR;
    sp = fp;
    for (; tm_is_pair(args); args = tm_cdr(args))
        *sp++ = tm_car(args);
    argc = (int)(sp - fp);
    clo = TM_FALSE;
    pc = NULL;
    vm->budget = SLICE;
    goto apply;
}

    /* ---- instructions ---- */
    CASE(CONST) acc = K[A()]; DISPATCH();
    CASE(FIX) acc = tm_fix(A()); DISPATCH();
    CASE(IMM) {
        static const TmValue imms[] = TM_IMM_TABLE;
        acc = imms[A()];
        DISPATCH();
    }
    CASE(LREF) acc = fp[A()]; DISPATCH();
    CASE(FREF) acc = TM_SLOT(clo, 1 + (size_t)A()); DISPATCH();
    CASE(GREF) {
        TmValue sym = K[A()];
        acc = TM_SLOT(sym, TM_SYM_VALUE);
        if (G_UNLIKELY(acc == TM_UNBOUND || tm_has_type(acc, TM_T_MACRO))) {
            vm->fp = IDX(fp);
            if (acc == TM_UNBOUND)
                tm_error(n, NULL, "unbound variable", tm_cons(n, sym, TM_NIL));
            else
                tm_error(n, NULL, "syntax keyword used as a variable",
                         tm_cons(n, sym, TM_NIL));
            RAISE_FROM_INSN();
        }
        DISPATCH();
    }
    CASE(GDEF) tm_write(n, K[A()], TM_SYM_VALUE, acc); acc = TM_VOID; DISPATCH();
    CASE(PUSH) *sp++ = acc; DISPATCH();
    CASE(POP) sp -= (size_t)A(); DISPATCH();
    CASE(LSET) fp[A()] = acc; DISPATCH();
    CASE(MKBOX) acc = tm_make_box(n, acc); DISPATCH();
    CASE(UNBOX) {
        TmValue v = TM_SLOT(acc, 0);
        if (G_UNLIKELY(v == TM_UNASSIGNED)) {
            tm_error(n, NULL, "variable used before its definition",
                     tm_cons(n, K[A()], TM_NIL));
            RAISE_FROM_INSN();
        }
        acc = v;
        DISPATCH();
    }
    CASE(BOXSET) tm_write(n, fp[A()], 0, acc); DISPATCH();
    CASE(JMP) pc += A(); DISPATCH();
    CASE(JMPF) if (acc == TM_FALSE) pc += A(); DISPATCH();
    CASE(FRAME)
        sp[0] = (TmValue)((char *)sp - (char *)fp);
        sp[1] = (TmValue)((const char *)(pc + A()) - (const char *)code_start);
        sp[2] = clo;
        sp += HDR;
        DISPATCH();
    CASE(CALL)
        argc = A();
        fp = sp - (size_t)argc;
        if (tm_is_primitive(acc))
            goto prim_call;
        goto apply;
    CASE(TCALL) {
        argc = A();
        TmValue *from = sp - argc;
        if (from != fp) /* arguments slide down: from > fp */
            for (int i_ = 0; i_ < argc; i_++)
                fp[i_] = from[i_];
        goto apply;
    }
    CASE(RET) goto do_return;
    CASE(CLOSURE) {
        size_t nfree = (size_t)A();
        TmValue code = K[*pc++];
        TmValue c = tm_alloc(n, TM_T_CLOSURE, 1 + nfree);
        TM_SLOT(c, 0) = code;
        sp -= nfree;
        for (size_t i_ = 0; i_ < nfree; i_++) /* few: no memcpy call */
            TM_SLOT(c, 1 + i_) = sp[i_];
        acc = c;
        DISPATCH();
    }
    CASE(PATCH) {
        TmValue c = fp[A()];
        size_t j = *pc++;
        tm_write(n, c, 1 + j, acc);
        DISPATCH();
    }

    /* open-coded primitives off their fast path: the primitive itself
     * runs (and names itself in errors) */
#define SLOW_PRIM(OPNAME, ARGC, A0, A1)                                       \
    do {                                                                      \
        TmValue args_[2] = {(A0), (A1)};                                      \
        vm->fp = IDX(fp);                                                     \
        vm->sp = IDX(sp);                                                     \
        acc = n->op_prims[TM_OP_##OPNAME]->fn(n, (ARGC), args_);              \
        if (G_UNLIKELY(acc == TM_EXC)) RAISE_FROM_INSN();                     \
        DISPATCH();                                                           \
    } while (0)

#define FIXNUM_BINOP(OPNAME, EXPR_OVF)                                        \
    CASE(OPNAME) {                                                            \
        TmValue a = *--sp;                                                 \
        if (G_LIKELY(tm_is_fixnum(a) && tm_is_fixnum(acc))) {                 \
            intptr_t r;                                                       \
            if (G_LIKELY(!(EXPR_OVF))) { acc = (TmValue)r; DISPATCH(); }      \
        }                                                                     \
        vm->fp = IDX(fp);                                                          \
        acc = slow_binop(n, TM_OP_##OPNAME, a, acc);                          \
        if (G_UNLIKELY(acc == TM_EXC)) RAISE_FROM_INSN();                     \
        DISPATCH();                                                           \
    }
    /* fixnums are n << 1, so tagged addition and subtraction are exact */
    FIXNUM_BINOP(ADD, __builtin_add_overflow((intptr_t)a, (intptr_t)acc, &r))
    FIXNUM_BINOP(SUB, __builtin_sub_overflow((intptr_t)a, (intptr_t)acc, &r))
    FIXNUM_BINOP(MUL, __builtin_mul_overflow((intptr_t)a, tm_fixval(acc), &r))


    /* Comparisons of two numbers, fetched into a and b: fixnums inline,
     * anything else through num.c; then THEN.  The operands: POPPED
     * (pop, acc), WITH_CONST (acc, the literal A), TWO_LOCALS (frame
     * slots A & 0xfff and A >> 12).
     * Compare-and-branch (JN...): the JMPF that follows is taken if acc is
     * #f and skipped otherwise; an error raises with pc at that JMPF, so
     * a handler's value decides the branch. */
#define BRANCH_ON_ACC()                                                       \
    do {                                                                      \
        uint32_t j_ = *pc++;                                                  \
        if (acc == TM_FALSE) pc += tm_insn_a(j_);                             \
        DISPATCH();                                                           \
    } while (0)
#define POPPED (a = *--sp, b = acc)
#define WITH_CONST (a = acc, b = tm_fix(A()))
#define TWO_LOCALS (a = fp[(insn >> 8) & 0xfff], b = fp[insn >> 20])
#define COMPARE(OPNAME, FETCH, CMP, SLOWOP, THEN)                             \
    CASE(OPNAME) {                                                            \
        TmValue a, b;                                                         \
        FETCH;                                                                \
        if (G_LIKELY(tm_is_fixnum(a) && tm_is_fixnum(b))) {                   \
            acc = tm_bool((intptr_t)a CMP (intptr_t)b);                       \
        } else {                                                              \
            vm->fp = IDX(fp);                                                 \
            acc = slow_binop(n, TM_OP_##SLOWOP, a, b);                        \
            if (G_UNLIKELY(acc == TM_EXC)) RAISE_FROM_INSN();                 \
        }                                                                     \
        THEN;                                                                 \
    }
#define COMPARE_ALL(SUFFIX, FETCH, THEN)                                      \
    COMPARE(NUMEQ##SUFFIX, FETCH, ==, NUMEQ, THEN)                            \
    COMPARE(LT##SUFFIX, FETCH, <, LT, THEN)                                   \
    COMPARE(GT##SUFFIX, FETCH, >, GT, THEN)                                   \
    COMPARE(LE##SUFFIX, FETCH, <=, LE, THEN)                                  \
    COMPARE(GE##SUFFIX, FETCH, >=, GE, THEN)
#define JN_COMPARE_ALL(SUFFIX, FETCH)                                         \
    COMPARE(JNNUMEQ##SUFFIX, FETCH, ==, NUMEQ, BRANCH_ON_ACC())               \
    COMPARE(JNLT##SUFFIX, FETCH, <, LT, BRANCH_ON_ACC())                      \
    COMPARE(JNGT##SUFFIX, FETCH, >, GT, BRANCH_ON_ACC())                      \
    COMPARE(JNLE##SUFFIX, FETCH, <=, LE, BRANCH_ON_ACC())                     \
    COMPARE(JNGE##SUFFIX, FETCH, >=, GE, BRANCH_ON_ACC())
    COMPARE_ALL(, POPPED, DISPATCH())
    COMPARE_ALL(I, WITH_CONST, DISPATCH())
    COMPARE_ALL(LL, TWO_LOCALS, DISPATCH())
    JN_COMPARE_ALL(, POPPED)
    JN_COMPARE_ALL(I, WITH_CONST)
    JN_COMPARE_ALL(LL, TWO_LOCALS)

    /* x + k: the operand is 2k (k tagged) plus the "from a subtraction"
     * bit (tm_addi_*) */
#define ADD_CONST(X, OPERAND)                                                 \
    do {                                                                      \
        TmValue x_ = (X);                                                     \
        int32_t k2_ = (OPERAND);                                              \
        intptr_t r_;                                                          \
        if (G_LIKELY(tm_is_fixnum(x_) &&                                      \
                     !__builtin_add_overflow((intptr_t)x_, (intptr_t)(k2_ & ~1), &r_))) { \
            acc = (TmValue)r_;                                                \
        } else {                                                              \
            vm->fp = IDX(fp);                                                 \
            acc = add_constant_slow(n, x_, k2_);                              \
            if (G_UNLIKELY(acc == TM_EXC)) RAISE_FROM_INSN();                 \
        }                                                                     \
    } while (0)
    CASE(ADDI) ADD_CONST(acc, A()); DISPATCH();
    CASE(CAR)
        if (G_UNLIKELY(!tm_is_pair(acc))) {
            tm_type_error(n, "car", 1, "pair", acc);
            RAISE_FROM_INSN();
        }
        acc = tm_car(acc);
        DISPATCH();
    CASE(CDR)
        if (G_UNLIKELY(!tm_is_pair(acc))) {
            tm_type_error(n, "cdr", 1, "pair", acc);
            RAISE_FROM_INSN();
        }
        acc = tm_cdr(acc);
        DISPATCH();
    CASE(CONS) {
        TmValue a = *--sp;
        acc = tm_cons(n, a, acc);
        DISPATCH();
    }
    CASE(EQ) { TmValue a = *--sp; acc = tm_bool(a == acc); DISPATCH(); }
    CASE(NULLP) acc = tm_bool(acc == TM_NIL); DISPATCH();
    CASE(PAIRP) acc = tm_bool(tm_is_pair(acc)); DISPATCH();
    CASE(NOT) acc = tm_bool(acc == TM_FALSE); DISPATCH();
    CASE(ZEROP)
        if (G_LIKELY(tm_is_fixnum(acc))) {
            acc = tm_bool(acc == tm_fix(0));
            DISPATCH();
        } else {
            bool err = false;
            int c = tm_num_compare(n, "zero?", acc, tm_fix(0), &err);
            if (err)
                RAISE_FROM_INSN();
            acc = tm_bool(c == 0);
            DISPATCH();
        }
    CASE(VREF) {
        TmValue v = *--sp;
        if (G_LIKELY(tm_is_vector(v) && tm_is_fixnum(acc) && tm_fixval(acc) >= 0 &&
                     (size_t)tm_fixval(acc) < tm_vector_length(v))) {
            acc = TM_SLOT(v, tm_fixval(acc));
            DISPATCH();
        }
        SLOW_PRIM(VREF, 2, v, acc);
    }
    CASE(RECREF) {
        TmValue type = K[A()];
        size_t i = *pc++;
        if (G_UNLIKELY(!tm_is_record(acc) || TM_SLOT(acc, 0) != type)) {
            tm_type_error(n, "record accessor", 1, "record of the right type", acc);
            RAISE_FROM_INSN();
        }
        acc = TM_SLOT(acc, 1 + i);
        DISPATCH();
    }
    CASE(HALT) goto escape;
#undef owner
    CASE(PUSHL) acc = fp[A()]; *sp++ = acc; DISPATCH();



    CASE(JNEQ) {
        TmValue a = *--sp;
        acc = tm_bool(a == acc);
        if (acc == TM_FALSE) pc += A();
        DISPATCH();
    }
    CASE(JNNULL)
        acc = tm_bool(acc == TM_NIL);
        if (acc == TM_FALSE) pc += A();
        DISPATCH();
    CASE(JNPAIR)
        acc = tm_bool(tm_is_pair(acc));
        if (acc == TM_FALSE) pc += A();
        DISPATCH();
    CASE(JT)
        acc = tm_bool(acc == TM_FALSE);
        if (acc == TM_FALSE) pc += A();
        DISPATCH();
    CASE(RETL)
        acc = fp[A()];
        goto do_return;
    CASE(LADDI) ADD_CONST(fp[A()], (int32_t)*pc++); DISPATCH();
    CASE(PUSHLADDI) /* and the PUSH after it, which it skips */
        ADD_CONST(fp[A()], (int32_t)*pc++);
        *sp++ = acc;
        pc++;
        DISPATCH();

    /* inline primitives with a fixnum/char fast path, SLOW_PRIM otherwise */
    CASE(QUO) {
        TmValue a = *--sp;
        if (G_LIKELY(tm_is_fixnum(a) && tm_is_fixnum(acc) && acc != tm_fix(0) &&
                     acc != tm_fix(-1))) {
            acc = tm_fix(tm_fixval(a) / tm_fixval(acc));
            DISPATCH();
        }
        SLOW_PRIM(QUO, 2, a, acc);
    }
    CASE(REM) {
        TmValue a = *--sp;
        if (G_LIKELY(tm_is_fixnum(a) && tm_is_fixnum(acc) && acc != tm_fix(0) &&
                     acc != tm_fix(-1))) {
            acc = tm_fix(tm_fixval(a) % tm_fixval(acc));
            DISPATCH();
        }
        SLOW_PRIM(REM, 2, a, acc);
    }
    CASE(MOD) {
        TmValue a = *--sp;
        if (G_LIKELY(tm_is_fixnum(a) && tm_is_fixnum(acc) && acc != tm_fix(0) &&
                     acc != tm_fix(-1))) {
            intptr_t x = tm_fixval(a), y = tm_fixval(acc), r = x % y;
            if (r != 0 && (r < 0) != (y < 0))
                r += y;
            acc = tm_fix(r);
            DISPATCH();
        }
        SLOW_PRIM(MOD, 2, a, acc);
    }
    CASE(MAX) {
        TmValue a = *--sp;
        if (G_LIKELY(tm_is_fixnum(a) && tm_is_fixnum(acc))) {
            acc = (intptr_t)a > (intptr_t)acc ? a : acc;
            DISPATCH();
        }
        SLOW_PRIM(MAX, 2, a, acc);
    }
    CASE(MIN) {
        TmValue a = *--sp;
        if (G_LIKELY(tm_is_fixnum(a) && tm_is_fixnum(acc))) {
            acc = (intptr_t)a < (intptr_t)acc ? a : acc;
            DISPATCH();
        }
        SLOW_PRIM(MIN, 2, a, acc);
    }
    CASE(CHAREQ) {
        TmValue a = *--sp;
        if (G_LIKELY(tm_is_char(a) && tm_is_char(acc))) {
            acc = tm_bool(a == acc);
            DISPATCH();
        }
        SLOW_PRIM(CHAREQ, 2, a, acc);
    }
    CASE(EQV) {
        TmValue a = *--sp;
        if (a == acc || !tm_is_obj(a) || !tm_is_obj(acc)) {
            acc = tm_bool(a == acc);
            DISPATCH();
        }
        SLOW_PRIM(EQV, 2, a, acc);
    }
    CASE(CADR)
        if (G_LIKELY(tm_is_pair(acc) && tm_is_pair(tm_cdr(acc)))) {
            acc = tm_car(tm_cdr(acc));
            DISPATCH();
        }
        SLOW_PRIM(CADR, 1, acc, TM_FALSE);
    CASE(CDDR)
        if (G_LIKELY(tm_is_pair(acc) && tm_is_pair(tm_cdr(acc)))) {
            acc = tm_cdr(tm_cdr(acc));
            DISPATCH();
        }
        SLOW_PRIM(CDDR, 1, acc, TM_FALSE);

    CASE(PUSHL2)
        *sp++ = fp[A()];
        acc = fp[*pc++];
        *sp++ = acc;
        DISPATCH();

    /* eq? of two frame slots, a = A & 0xfff, b = A >> 12 */
    CASE(EQLL) {
        uint32_t ab = insn >> 8;
        acc = tm_bool(fp[ab & 0xfff] == fp[ab >> 12]);
        DISPATCH();
    }
    CASE(JNEQLL) {
        uint32_t ab = insn >> 8;
        acc = tm_bool(fp[ab & 0xfff] == fp[ab >> 12]);
        BRANCH_ON_ACC();
    }

    CASE(SEND) {
        TmValue pid = *--sp;
        vm->fp = IDX(fp);
        vm->sp = IDX(sp);
        if (G_UNLIKELY(!tm_process_send(n, "!", pid, acc)))
            RAISE_FROM_INSN();
        acc = TM_VOID;
        DISPATCH();
    }
    CASE(RECV) {
        /* the common case inline; otherwise (no message, an exit signal
         * pending, a nested run) a call of ? itself from here, returning
         * to the next instruction */
        TmValue p = n->sched.current;
        if (G_LIKELY(may_switch && TM_SLOT(p, TM_PROC_SIGNALS) == TM_NIL &&
                     TM_SLOT(p, TM_PROC_HEAD) != TM_NIL)) {
            acc = tm_process_remove(n, p, TM_FALSE);
            DISPATCH();
        }
        sp[0] = TM_HDR_DIST(sp - fp);
        sp[1] = TM_HDR_PC(PC_OFFSET());
        sp[2] = clo;
        sp += HDR;
        fp = sp;
        argc = 0;
        acc = TM_SLOT(n->prim_vector, n->op_prim_index[TM_OP_RECV]);
        goto apply;
    }

    CASE(CALLG) {
        TmValue sym = K[*pc++];
        argc = A();
        fp = sp - (size_t)argc;
        acc = TM_SLOT(sym, TM_SYM_VALUE);
        if (G_LIKELY(tm_is_closure(acc)))
            goto apply_closure;
        if (tm_is_primitive(acc))
            goto prim_call;
        if (G_UNLIKELY(acc == TM_UNBOUND || tm_has_type(acc, TM_T_MACRO))) {
            sym_error = sym;
            goto global_call_error;
        }
        goto apply;
    }
    CASE(TCALLG) {
        TmValue sym = K[*pc++];
        argc = A();
        TmValue *from = sp - argc;
        if (from != fp) /* arguments slide down: from > fp */
            for (int i_ = 0; i_ < argc; i_++)
                fp[i_] = from[i_];
        acc = TM_SLOT(sym, TM_SYM_VALUE);
        if (G_UNLIKELY(acc == TM_UNBOUND || tm_has_type(acc, TM_T_MACRO))) {
            sym_error = sym;
            goto global_call_error;
        }
        goto apply;
    }

global_call_error:
    /* fail like a call: the raise hook takes the call's place */
    sp = fp + (size_t)argc;
    vm->fp = IDX(fp);
    tm_error(n, NULL, acc == TM_UNBOUND ? "unbound variable"
                                        : "syntax keyword used as a variable",
             tm_cons(n, sym_error, TM_NIL));
    goto raise_call;

prim_call: {
    /* A non-tail call of an ordinary primitive: its header was pushed by
     * this activation's FRAME, so the return needs no code reload unless
     * a collection (in a nested run) moved things. */
    def = n->prims->pdata[tm_fixval(TM_SLOT(acc, 0))];
    if (G_UNLIKELY(def->special || argc < def->min_args ||
                   (def->max_args >= 0 && argc > def->max_args)))
        goto apply;
    vm->sp = IDX(fp) + (size_t)argc;
    vm->fp = IDX(fp);
    vm->clo = clo;
    vm->pc = PC_OFFSET() - 1;
    uint64_t epoch = n->heap.epoch;
    acc = def->fn(n, argc, fp);
    if (G_UNLIKELY(acc == TM_EXC)) {
        if (vm->exiting)
            goto escape;
        sp = fp + (size_t)argc;
        goto raise_call;
    }
    TmValue *h = fp - HDR;
    sp = h;
    fp = (TmValue *)((char *)h - h[0]);
    if (G_UNLIKELY(epoch != n->heap.epoch)) {
        clo = h[2];
        cur_code = TM_FALSE;
        LOAD_CODE(clo);
    }
    pc = (const uint32_t *)((const char *)code_start + h[1]);
    DISPATCH();
}
}

/* Apply proc from C: a new bottom header on top of whatever runs now. */
TmValue tm_vm_apply(TmNode *n, TmValue proc, int argc, const TmValue *argv)
{
    TmVM *vm = &n->vm;
    size_t saved_sp = vm->sp, saved_fp = vm->fp;
    TmValue saved_clo = vm->clo, saved_under = vm->underflow, saved_owner = vm->owner;
    size_t base = vm->sp;
    if (base + HDR + (size_t)argc + 64 >= vm->stack_size) {
        tm_errorf(n, NULL, "too deeply nested evaluation");
        return TM_EXC;
    }
    TmValue *st = vm->stack;
    st[base] = MARK;
    st[base + 1] = tm_fix(0);
    st[base + 2] = TM_FALSE;
    for (int i = 0; i < argc; i++)
        st[base + HDR + (size_t)i] = argv[i];
    vm->fp = base + HDR;
    vm->sp = vm->fp + (size_t)argc;
    vm->underflow = TM_FALSE;
    vm->depth++;
    tm_root_push(n, &saved_clo);
    tm_root_push(n, &saved_under);
    tm_root_push(n, &saved_owner);
    tm_root_push(n, &proc);
    vm->owner = n->sched.current;
    TmValue r = run(n, proc, argc, base);
    tm_root_pop(n, 4);
    vm->owner = saved_owner;
    vm->depth--;
    vm->sp = saved_sp;
    vm->fp = saved_fp;
    vm->clo = saved_clo;
    vm->underflow = saved_under;
    return r;
}
