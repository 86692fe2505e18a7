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

#define STACK_WORDS ((size_t)1 << 16)
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
    vm->stack_size = STACK_WORDS;
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

void tm_vm_backtrace(TmNode *n, GString *out, int max_frames)
{
    TmVM *vm = &n->vm;
    int count = 0;
    g_string_append(out, "  0: ");
    describe_activation(n, vm->clo, current_pc(n), out);
    g_string_append_c(out, '\n');
    size_t fp = vm->fp;
    while (fp >= HDR && vm->stack[fp - HDR] != MARK && ++count < max_frames) {
        size_t h = fp - HDR;
        g_string_append_printf(out, "  %d: ", count);
        describe_activation(n, vm->stack[h + 2],
                            (size_t)tm_fixval(vm->stack[h + 1]) - 1, out);
        g_string_append_c(out, '\n');
        fp = h - (size_t)tm_fixval(vm->stack[h]);
    }
    for (TmValue f = vm->underflow; tm_has_type(f, TM_T_FRAME) && ++count < max_frames;
         f = TM_SLOT(f, TM_FRAME_PARENT)) {
        g_string_append_printf(out, "  %d: ", count);
        describe_activation(n, TM_SLOT(f, TM_FRAME_CLOSURE),
                            (size_t)tm_fixval(TM_SLOT(f, TM_FRAME_PC)) - 1, out);
        g_string_append_c(out, '\n');
    }
    if (count >= max_frames)
        g_string_append(out, "  ...\n");
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
    for (size_t k = h; st[k] != MARK; k = k - (size_t)tm_fixval(st[k]) - HDR) {
        size_t fpi = k - (size_t)tm_fixval(st[k]);
        size_t nslots = k - fpi;
        TmValue f = tm_alloc(n, TM_T_FRAME, TM_FRAME_SLOTS + nslots);
        TM_SLOT(f, TM_FRAME_CLOSURE) = st[k + 2];
        TM_SLOT(f, TM_FRAME_PC) = st[k + 1];
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

static TmValue spread_list(TmNode *n, TmValue *st, size_t *sp, TmValue list,
                           const char *who)
{
    ptrdiff_t len = tm_list_length(list);
    if (len < 0)
        return tm_type_error(n, who, 0, "proper list", list);
    if (*sp + (size_t)len + 64 >= n->vm.stack_size)
        return tm_errorf(n, who, "too many arguments (%td)", len);
    for (; tm_is_pair(list); list = tm_cdr(list))
        st[(*sp)++] = tm_car(list);
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

#define LOAD_CODE(c)                                                        \
    do {                                                                    \
        TmValue code_ = tm_closure_code(c);                                 \
        code_start = (const uint32_t *)tm_bytevector_data(TM_SLOT(code_, TM_CODE_BYTES)); \
        K = tm_slots(TM_SLOT(code_, TM_CODE_CONSTS));                       \
    } while (0)

#define PC_OFFSET() ((size_t)(pc - code_start))

/* Raise vm.pending from inside an instruction: call the raise hook as if
 * the instruction were a call; the hook's value becomes the instruction's
 * value (with-exception-handler semantics). */
#define RAISE_FROM_INSN()                                                   \
    do {                                                                    \
        locate_pending(n, clo, PC_OFFSET() - 1);                           \
        if (n->hooks[TM_H_RAISE] == TM_FALSE) goto escape;                  \
        st[sp] = tm_fix((intptr_t)(sp - fp)); sp++;                        \
        st[sp++] = tm_fix((intptr_t)PC_OFFSET());                           \
        st[sp++] = clo;                                                     \
        st[sp++] = vm->pending;                                             \
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
    size_t sp = vm->sp, fp = vm->fp;
    TmValue clo = vm->clo, acc = proc;
    const uint32_t *code_start = NULL, *pc = NULL;
    TmValue *K = NULL;
    uint32_t insn;
    const TmPrimDef *def;
    bool may_switch = vm->depth == 1;
#define owner (vm->owner) /* a register the collector updates */

apply:
    /* acc: the procedure; argc arguments at st[fp..]; header below fp */
    if (G_LIKELY(tm_is_closure(acc))) {
        if (G_UNLIKELY(--vm->budget <= 0)) {
            vm->budget = SLICE;
            if (may_switch && (tm_sched_has_runnable(n) || timer_due(n))) {
                tm_sched_enqueue(n, n->sched.current);
                goto suspend;
            }
        }
        TmValue code = tm_closure_code(acc);
        intptr_t ar = tm_fixval(TM_SLOT(code, TM_CODE_ARITY));
        if (G_UNLIKELY(ar != argc)) {
            int nreq = (int)(ar & 0xffff), nopt = (int)((ar >> 16) & 0xffff);
            bool rest = (ar >> 32) & 1;
            if (argc < nreq || (!rest && argc > nreq + nopt)) {
                sp = fp + (size_t)argc;
                closure_arity_error(n, acc, argc);
                goto raise_call;
            }
            while (argc < nreq + nopt)
                st[fp + (size_t)argc++] = TM_DEFAULT;
            if (rest) {
                TmValue l = TM_NIL;
                for (int i = argc; i-- > nreq + nopt;)
                    l = tm_cons(n, st[fp + (size_t)i], l);
                st[fp + (size_t)(nreq + nopt)] = l;
                argc = nreq + nopt + 1;
            }
        }
        sp = fp + (size_t)argc;
        size_t need = (size_t)tm_fixval(TM_SLOT(code, TM_CODE_FRAMESIZE));
        if (G_UNLIKELY(sp + need >= vm->stack_size)) {
            sp = spill(n, base, fp - HDR, sp);
            fp = base + HDR;
            if (sp + need >= vm->stack_size) {
                tm_errorf(n, NULL, "procedure frame too large");
                goto escape;
            }
        }
        clo = acc;
        vm->reductions++;
        if (G_UNLIKELY(tm_heap_wants_gc(n))) {
            vm->sp = sp;
            vm->fp = fp;
            vm->clo = clo;
            vm->acc = acc;
            tm_heap_safepoint(n);
            clo = vm->clo;
        }
        LOAD_CODE(clo);
        pc = code_start;
        DISPATCH();
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
        vm->sp = fp + (size_t)argc;
        vm->fp = fp;
        vm->clo = clo;
        vm->pc = pc ? PC_OFFSET() - 1 : 0;
        acc = def->fn(n, argc, &st[fp]);
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
        acc = argc == 1 ? st[fp] : tm_make_values(n, (size_t)argc, &st[fp]);
        vm->underflow = TM_SLOT(k, 0);
        fp = base + HDR;
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

raise_call:
    /* a call failed before running: replace it by a call of the raise
     * hook with the same header, so the hook's value is the call's */
    locate_pending(n, clo, pc ? PC_OFFSET() - 1 : 0);
    if (n->hooks[TM_H_RAISE] == TM_FALSE)
        goto escape;
    st[fp] = vm->pending;
    sp = fp + 1;
    argc = 1;
    acc = n->hooks[TM_H_RAISE];
    goto apply;

special:
    switch (def->special) {
    case SP_APPLY: {
        /* (apply f a ... list): re-apply f in place, a proper tail call */
        TmValue f = st[fp];
        sp = fp + (size_t)argc;
        TmValue list = st[--sp];
        memmove(&st[fp], &st[fp + 1], (sp - fp - 1) * sizeof(TmValue));
        sp--;
        if (argc > 1 && spread_list(n, st, &sp, list, "apply") == TM_EXC)
            goto raise_call;
        argc = (int)(sp - fp);
        acc = f;
        goto apply;
    }
    case SP_APPLY_VALUES: {
        TmValue f = st[fp], v = st[fp + 1];
        sp = fp;
        if (tm_has_type(v, TM_T_VALUES)) {
            for (size_t i = 0; i < tm_obj_size(v); i++)
                st[sp++] = TM_SLOT(v, i);
        } else {
            st[sp++] = v;
        }
        argc = (int)(sp - fp);
        acc = f;
        goto apply;
    }
    case SP_CALLCC: {
        TmValue f = st[fp];
        sp = spill(n, base, fp - HDR, fp + 1);
        fp = base + HDR;
        TmValue k = tm_alloc(n, TM_T_CONTINUATION, 1);
        TM_SLOT(k, 0) = vm->underflow;
        st[fp] = k;
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
            deadline = st[fp];
            if (deadline != TM_FALSE && !tm_is_fixnum(deadline)) {
                tm_type_error(n, def->name, 1, "deadline", deadline);
                goto raise_call;
            }
        } else if (argc > 0) {
            int r = tm_receive_timeout(n, def->name, st[fp], &ns);
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
                acc = argc > 1 ? st[fp + 1] : TM_DEFAULT;
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
            st[fp] = deadline;
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
        TmValue deadline = st[fp];
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
        if (!tm_process_send(n, def->name, st[fp], st[fp + 1])) {
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
        TmValue target = st[fp];
        if (!tm_is_pid(target)) {
            sp = fp + (size_t)argc;
            tm_type_error(n, "terminate!", 1, "pid", target);
            goto raise_call;
        }
        TmValue p = tm_pid_process(target);
        if (tm_is_process(p))
            tm_process_exit(n, p, n->sym[TM_S_terminated], TM_FALSE);
        if (p == n->sched.current) {
            if (p == owner)
                goto escape;
            goto schedule;
        }
        acc = TM_VOID;
        goto do_return;
    }
    case SP_ABORT:
        if (n->sched.current != owner) {
            /* an uncaught exception kills a process, not the node */
            TmValue p = n->sched.current;
            tm_process_exit(n, p, n->sym[TM_S_failure], st[fp]);
            goto schedule;
        }
        /* an uncaught exception: record the backtrace while the frames
         * are still here, then abandon this run */
        vm->pending = st[fp];
        vm->sp = fp + 1;
        vm->fp = fp;
        vm->clo = clo;
        vm->pc = pc ? PC_OFFSET() - 1 : 0;
        g_string_truncate(vm->backtrace, 0);
        tm_vm_backtrace(n, vm->backtrace, 30);
        goto escape;
    case SP_EXIT: {
        TmValue code = argc ? st[fp] : TM_TRUE;
        vm->exiting = true;
        vm->exit_code = code == TM_TRUE ? 0 : tm_is_fixnum(code) ? (int)tm_fixval(code) : 1;
        goto escape;
    }
    }
    g_assert_not_reached();

do_return: {
    size_t h = fp - HDR;
    if (G_UNLIKELY(st[h] == MARK)) {
        fp = base + HDR;
        sp = fp;
        goto underflow;
    }
    sp = h;
    fp = h - (size_t)tm_fixval(st[h]);
    clo = st[h + 2];
    LOAD_CODE(clo);
    pc = code_start + tm_fixval(st[h + 1]);
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
        memcpy(&st[fp], &TM_SLOT(f, TM_FRAME_SLOTS), nslots * sizeof(TmValue));
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
    sp = spill(n, base, fp - HDR, fp + (size_t)argc);
    fp = base + HDR;
    TmValue args = tm_list_from_array(n, (size_t)argc, &st[fp]);
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
    fp = base + HDR;
    sp = fp;
    for (; tm_is_pair(args); args = tm_cdr(args))
        st[sp++] = tm_car(args);
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
    CASE(LREF) acc = st[fp + (size_t)A()]; DISPATCH();
    CASE(FREF) acc = TM_SLOT(clo, 1 + (size_t)A()); DISPATCH();
    CASE(GREF) {
        TmValue sym = K[A()];
        acc = TM_SLOT(sym, TM_SYM_VALUE);
        if (G_UNLIKELY(acc == TM_UNBOUND || tm_has_type(acc, TM_T_MACRO))) {
            vm->fp = fp;
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
    CASE(PUSH) st[sp++] = acc; DISPATCH();
    CASE(POP) sp -= (size_t)A(); DISPATCH();
    CASE(LSET) st[fp + (size_t)A()] = acc; DISPATCH();
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
    CASE(BOXSET) tm_write(n, st[fp + (size_t)A()], 0, acc); DISPATCH();
    CASE(JMP) pc += A(); DISPATCH();
    CASE(JMPF) if (acc == TM_FALSE) pc += A(); DISPATCH();
    CASE(FRAME)
        st[sp] = tm_fix((intptr_t)(sp - fp));
        st[sp + 1] = tm_fix((intptr_t)(PC_OFFSET() + (size_t)A()));
        st[sp + 2] = clo;
        sp += HDR;
        DISPATCH();
    CASE(CALL)
        argc = A();
        fp = sp - (size_t)argc;
        goto apply;
    CASE(TCALL) {
        argc = A();
        size_t from = sp - (size_t)argc;
        if (from != fp)
            memmove(&st[fp], &st[from], (size_t)argc * sizeof(TmValue));
        goto apply;
    }
    CASE(RET) goto do_return;
    CASE(CLOSURE) {
        size_t nfree = (size_t)A();
        TmValue code = K[*pc++];
        TmValue c = tm_alloc(n, TM_T_CLOSURE, 1 + nfree);
        TM_SLOT(c, 0) = code;
        sp -= nfree;
        memcpy(&TM_SLOT(c, 1), &st[sp], nfree * sizeof(TmValue));
        acc = c;
        DISPATCH();
    }
    CASE(PATCH) {
        TmValue c = st[fp + (size_t)A()];
        size_t j = *pc++;
        tm_write(n, c, 1 + j, acc);
        DISPATCH();
    }

#define FIXNUM_BINOP(OPNAME, EXPR_OVF)                                        \
    CASE(OPNAME) {                                                            \
        TmValue a = st[--sp];                                                 \
        if (G_LIKELY(tm_is_fixnum(a) && tm_is_fixnum(acc))) {                 \
            intptr_t r;                                                       \
            if (G_LIKELY(!(EXPR_OVF))) { acc = (TmValue)r; DISPATCH(); }      \
        }                                                                     \
        vm->fp = fp;                                                          \
        acc = slow_binop(n, TM_OP_##OPNAME, a, acc);                          \
        if (G_UNLIKELY(acc == TM_EXC)) RAISE_FROM_INSN();                     \
        DISPATCH();                                                           \
    }
    /* fixnums are n << 1, so tagged addition and subtraction are exact */
    FIXNUM_BINOP(ADD, __builtin_add_overflow((intptr_t)a, (intptr_t)acc, &r))
    FIXNUM_BINOP(SUB, __builtin_sub_overflow((intptr_t)a, (intptr_t)acc, &r))
    FIXNUM_BINOP(MUL, __builtin_mul_overflow((intptr_t)a, tm_fixval(acc), &r))

#define FIXNUM_CMP(OPNAME, CMP)                                               \
    CASE(OPNAME) {                                                            \
        TmValue a = st[--sp];                                                 \
        if (G_LIKELY(tm_is_fixnum(a) && tm_is_fixnum(acc))) {                 \
            acc = tm_bool((intptr_t)a CMP (intptr_t)acc);                     \
            DISPATCH();                                                       \
        }                                                                     \
        vm->fp = fp;                                                          \
        acc = slow_binop(n, TM_OP_##OPNAME, a, acc);                          \
        if (G_UNLIKELY(acc == TM_EXC)) RAISE_FROM_INSN();                     \
        DISPATCH();                                                           \
    }
    FIXNUM_CMP(NUMEQ, ==)
    FIXNUM_CMP(LT, <)
    FIXNUM_CMP(GT, >)
    FIXNUM_CMP(LE, <=)
    FIXNUM_CMP(GE, >=)

    CASE(ADDI) {
        intptr_t r;
        if (G_LIKELY(tm_is_fixnum(acc) &&
                     !__builtin_add_overflow((intptr_t)acc, (intptr_t)tm_fix(A()), &r))) {
            acc = (TmValue)r;
            DISPATCH();
        }
        vm->fp = fp;
        acc = tm_num_add(n, acc, tm_fix(A()));
        if (G_UNLIKELY(acc == TM_EXC)) RAISE_FROM_INSN();
        DISPATCH();
    }
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
        TmValue a = st[--sp];
        acc = tm_cons(n, a, acc);
        DISPATCH();
    }
    CASE(EQ) { TmValue a = st[--sp]; acc = tm_bool(a == acc); DISPATCH(); }
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
        TmValue v = st[--sp];
        if (G_UNLIKELY(!tm_is_vector(v))) {
            tm_type_error(n, "vector-ref", 1, "vector", v);
            RAISE_FROM_INSN();
        }
        size_t i;
        if (G_UNLIKELY(!tm_get_index(n, "vector-ref", 2, acc, tm_vector_length(v), &i)))
            RAISE_FROM_INSN();
        acc = TM_SLOT(v, i);
        DISPATCH();
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
    CASE(PUSHL) acc = st[fp + (size_t)A()]; st[sp++] = acc; DISPATCH();

#define FIXNUM_CMPI(OPNAME, CMP, SLOWOP)                                       \
    CASE(OPNAME) {                                                            \
        TmValue b = tm_fix(A());                                              \
        if (G_LIKELY(tm_is_fixnum(acc))) {                                    \
            acc = tm_bool((intptr_t)acc CMP (intptr_t)b);                     \
            DISPATCH();                                                       \
        }                                                                     \
        vm->fp = fp;                                                          \
        acc = slow_binop(n, TM_OP_##SLOWOP, acc, b);                          \
        if (G_UNLIKELY(acc == TM_EXC)) RAISE_FROM_INSN();                     \
        DISPATCH();                                                           \
    }
    FIXNUM_CMPI(NUMEQI, ==, NUMEQ)
    FIXNUM_CMPI(LTI, <, LT)
    FIXNUM_CMPI(GTI, >, GT)
    FIXNUM_CMPI(LEI, <=, LE)
    FIXNUM_CMPI(GEI, >=, GE)

    CASE(CALLG)
    CASE(TCALLG) {
        TmValue sym = K[*pc++];
        argc = A();
        if (tm_insn_op(insn) == TM_OP_CALLG) {
            fp = sp - (size_t)argc;
        } else {
            size_t from = sp - (size_t)argc;
            if (from != fp)
                memmove(&st[fp], &st[from], (size_t)argc * sizeof(TmValue));
        }
        acc = TM_SLOT(sym, TM_SYM_VALUE);
        if (G_UNLIKELY(acc == TM_UNBOUND || tm_has_type(acc, TM_T_MACRO))) {
            /* fail like a call: the raise hook takes the call's place */
            sp = fp + (size_t)argc;
            vm->fp = fp;
            tm_error(n, NULL, acc == TM_UNBOUND ? "unbound variable"
                                                : "syntax keyword used as a variable",
                     tm_cons(n, sym, TM_NIL));
            goto raise_call;
        }
        goto apply;
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
