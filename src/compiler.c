/*
 * compiler.c — expands and compiles s-expressions to bytecode.
 *
 * One pass over the source: identifiers are resolved through a chain of
 * scopes, special forms and the built-in derived forms are handled here,
 * macros (syntax-rules via syntax.c, define-macro by running Scheme) are
 * expanded on the way, and instructions are emitted directly.  Closures are
 * flat: a lambda's free variables are copied into the closure when it is
 * created, which is sound because variables are never assigned.  letrec
 * groups of lambdas are tied by patching the fresh closures (PATCH);
 * other letrec groups keep their variables in boxes.
 */
#include "compiler.h"

#include <setjmp.h>

#include "num.h"
#include "prims.h"
#include "printer.h"
#include "syntax.h"
#include "vm.h"

const uint8_t tm_op_size[TM_OP__COUNT] = {
#define OP(name, size, doc) size,
#include "opcodes.def"
#undef OP
};
const char *const tm_op_name[TM_OP__COUNT] = {
#define OP(name, size, doc) #name,
#include "opcodes.def"
#undef OP
};

/* Special forms, stored in the flags of their keyword symbols. */
typedef enum {
    SF_NONE, SF_QUOTE, SF_QUASIQUOTE, SF_LAMBDA, SF_NAMED_LAMBDA, SF_DEFINE,
    SF_IF, SF_BEGIN, SF_LET, SF_LETSTAR, SF_LETREC, SF_LETRECSTAR,
    SF_DEFINE_SYNTAX, SF_LET_SYNTAX, SF_LETREC_SYNTAX, SF_DEFINE_MACRO,
    SF_DEFINE_RECORD_TYPE, SF_SET, SF_AND, SF_OR, SF_WHEN, SF_UNLESS,
    SF_COND, SF_CASE, SF_DO, SF_DELAY, SF_DELAY_FORCE, SF_CONS_STREAM,
    SF_SYNTAX_RULES, SF_UNQUOTE, SF_UNQUOTE_SPLICING, SF_COUNT
} SpecialForm;

static const char *const special_names[SF_COUNT] = {
    [SF_QUOTE] = "quote", [SF_QUASIQUOTE] = "quasiquote",
    [SF_LAMBDA] = "lambda", [SF_NAMED_LAMBDA] = "named-lambda",
    [SF_DEFINE] = "define", [SF_IF] = "if", [SF_BEGIN] = "begin",
    [SF_LET] = "let", [SF_LETSTAR] = "let*", [SF_LETREC] = "letrec",
    [SF_LETRECSTAR] = "letrec*", [SF_DEFINE_SYNTAX] = "define-syntax",
    [SF_LET_SYNTAX] = "let-syntax", [SF_LETREC_SYNTAX] = "letrec-syntax",
    [SF_DEFINE_MACRO] = "define-macro",
    [SF_DEFINE_RECORD_TYPE] = "define-record-type", [SF_SET] = "set!",
    [SF_AND] = "and", [SF_OR] = "or", [SF_WHEN] = "when",
    [SF_UNLESS] = "unless", [SF_COND] = "cond", [SF_CASE] = "case",
    [SF_DO] = "do", [SF_DELAY] = "delay", [SF_DELAY_FORCE] = "delay-force",
    [SF_CONS_STREAM] = "cons-stream", [SF_SYNTAX_RULES] = "syntax-rules",
    [SF_UNQUOTE] = "unquote", [SF_UNQUOTE_SPLICING] = "unquote-splicing",
};
#define SF_SHIFT 8

/* Primitives the compiler open-codes while their global still holds the
 * original primitive. */
static const struct {
    const char *name;
    TmOpcode op;
    int nargs;
} inline_prims[] = {
    {"car", TM_OP_CAR, 1},     {"cdr", TM_OP_CDR, 1},
    {"cons", TM_OP_CONS, 2},   {"+", TM_OP_ADD, 2},
    {"-", TM_OP_SUB, 2},       {"*", TM_OP_MUL, 2},
    {"=", TM_OP_NUMEQ, 2},     {"<", TM_OP_LT, 2},
    {">", TM_OP_GT, 2},        {"<=", TM_OP_LE, 2},
    {">=", TM_OP_GE, 2},       {"eq?", TM_OP_EQ, 2},
    {"null?", TM_OP_NULLP, 1}, {"pair?", TM_OP_PAIRP, 1},
    {"not", TM_OP_NOT, 1},     {"zero?", TM_OP_ZEROP, 1},
    {"vector-ref", TM_OP_VREF, 2},
    {"quotient", TM_OP_QUO, 2}, {"remainder", TM_OP_REM, 2},
    {"modulo", TM_OP_MOD, 2},  {"max", TM_OP_MAX, 2},
    {"min", TM_OP_MIN, 2},     {"char=?", TM_OP_CHAREQ, 2},
    {"eqv?", TM_OP_EQV, 2},    {"cadr", TM_OP_CADR, 1},
    {"cddr", TM_OP_CDDR, 1},
    {"!", TM_OP_SEND, 2},      {"send", TM_OP_SEND, 2},
    {"?", TM_OP_RECV, 0},
};

/* The VM's slow paths of the inline primitives call the primitives
 * themselves: find their definitions once the primitives are registered. */
void tm_compiler_bind_inline_prims(TmNode *n)
{
    for (size_t i = 0; i < G_N_ELEMENTS(inline_prims); i++) {
        gpointer ix = g_hash_table_lookup(n->prim_index, inline_prims[i].name);
        g_assert(ix);
        n->op_prims[inline_prims[i].op] = n->prims->pdata[GPOINTER_TO_INT(ix) - 1];
        n->op_prim_index[inline_prims[i].op] = (uint16_t)(GPOINTER_TO_INT(ix) - 1);
    }
}

/* ---- compile-time structures -------------------------------------------- */

typedef struct Lambda Lambda;

typedef struct Binding {
    TmValue name;      /* symbol or IDENT, compared with eq */
    Lambda *owner;     /* whose frame holds the variable */
    int slot;          /* frame slot; -1 while a body is being scanned */
    bool boxed;        /* the slot holds a box (letrec of non-lambdas) */
    bool ready;        /* letrec: initialized by the code emitted so far */
    TmValue macro;     /* local macro, or 0 for a variable */
} Binding;

typedef struct Scope {
    struct Scope *parent;
    Lambda *lambda;
    GPtrArray *bindings; /* Binding* */
} Scope;

struct Lambda {
    Lambda *parent;
    GArray *code;      /* uint32_t */
    GArray *lines;     /* uint32_t pc, line pairs */
    GArray *consts;    /* TmValue */
    GPtrArray *free;   /* Binding* captured from enclosing lambdas */
    int depth, maxdepth;
    int line, last_line;
    int label;         /* code position that is a jump target */
    int last_insn;     /* position of the last instruction emitted */
    int prev_insn;     /* position of the one before it, or -1 */
    bool plain;        /* emit no fused instructions (node's plain_code) */
    TmValue name;
};

typedef struct Compiler {
    TmNode *n;
    TmSourceMap *map;
    jmp_buf fail;
    GPtrArray *garbage;   /* g_free'd at the end: Scope*, Binding*, strings */
    GPtrArray *arrays;    /* GPtrArray* of scopes' bindings */
    GPtrArray *lambdas;   /* Lambda* */
    int line, col;        /* position of the form being compiled */
} Compiler;

static void compile(Compiler *c, Lambda *L, Scope *s, TmValue x, bool tail);
static void compile_body(Compiler *c, Lambda *L, Scope *s, TmValue body, bool tail);
static Lambda *compile_lambda(Compiler *c, Lambda *P, Scope *s, TmValue params,
                              TmValue body, TmValue name);

/* ---- errors ------------------------------------------------------------- */

static char *show(Compiler *c, TmValue v);

/* Raise a syntax error naming the form and its position; never returns. */
G_GNUC_NORETURN static void syntax_error(Compiler *c, TmValue form,
                                         const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

static void syntax_error(Compiler *c, TmValue form, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    int line = c->line, col = c->col;
    if (c->map && tm_is_pair(form))
        tm_source_map_lookup(c->map, form, &line, &col);
    char *full = (c->map && line > 0)
                     ? g_strdup_printf("%s:%d:%d: %s", c->map->file, line, col, msg)
                     : g_strdup(msg);
    TmNode *n = c->n;
    /* the form is an irritant unless the message already ends with it */
    TmValue irritants = TM_NIL;
    if (form && !g_str_has_suffix(msg, show(c, form)))
        irritants = tm_cons(n, tm_syntax_strip(n, form), TM_NIL);
    tm_error_kind(n, tm_intern(n, "syntax-error"), NULL, full, irritants);
    g_free(msg);
    g_free(full);
    longjmp(c->fail, 1);
}

/* An exception raised by Scheme code run at compile time (define-macro)
 * or by syntax.c: propagate it. */
G_GNUC_NORETURN static void propagate(Compiler *c) { longjmp(c->fail, 1); }

static char *show(Compiler *c, TmValue v)
{
    char *s = tm_print_short(c->n, tm_syntax_strip(c->n, v), 60);
    g_ptr_array_add(c->garbage, s);
    return s;
}

/* ---- allocation of compile-time structures ------------------------------ */

static void free_lambda(Lambda *L)
{
    g_array_free(L->code, TRUE);
    g_array_free(L->lines, TRUE);
    g_array_free(L->consts, TRUE);
    g_ptr_array_free(L->free, TRUE);
    g_free(L);
}

static Lambda *new_lambda(Compiler *c, Lambda *parent, TmValue name)
{
    Lambda *L = g_new0(Lambda, 1);
    L->parent = parent;
    L->last_insn = L->prev_insn = -1;
    L->plain = c->n->plain_code;
    L->code = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    L->lines = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    L->consts = g_array_new(FALSE, FALSE, sizeof(TmValue));
    L->free = g_ptr_array_new();
    L->name = name;
    L->line = c->line;
    L->last_line = -1;
    g_ptr_array_add(c->lambdas, L);
    return L;
}

static Scope *new_scope(Compiler *c, Scope *parent, Lambda *L)
{
    Scope *s = g_new0(Scope, 1);
    s->parent = parent;
    s->lambda = L;
    s->bindings = g_ptr_array_new();
    g_ptr_array_add(c->arrays, s->bindings);
    g_ptr_array_add(c->garbage, s);
    return s;
}

static Binding *bind(Compiler *c, Scope *s, TmValue name, int slot)
{
    Binding *b = g_new0(Binding, 1);
    b->name = name;
    b->owner = s->lambda;
    b->slot = slot;
    g_ptr_array_add(s->bindings, b);
    g_ptr_array_add(c->garbage, b);
    return b;
}

/* ---- emitting code ------------------------------------------------------ */

static void note_line(Lambda *L)
{
    if (L->line > 0 && L->line != L->last_line) {
        uint32_t pair[2] = {L->code->len, (uint32_t)L->line};
        g_array_append_vals(L->lines, pair, 2);
        L->last_line = L->line;
    }
}

static void adjust_depth(Lambda *L, int delta)
{
    L->depth += delta;
    if (L->depth > L->maxdepth)
        L->maxdepth = L->depth;
}

static int emit(Lambda *L, TmOpcode op, int32_t a)
{
    note_line(L);
    uint32_t w = tm_insn(op, a);
    g_array_append_val(L->code, w);
    L->prev_insn = L->last_insn;
    L->last_insn = (int)L->code->len - 1;
    return L->last_insn;
}

static void emit2(Lambda *L, TmOpcode op, int32_t a, int32_t b)
{
    emit(L, op, a);
    uint32_t w = (uint32_t)b;
    g_array_append_val(L->code, w);
}

/* The last instruction, if nothing jumps past it (so that it can be
 * fused with the next one), or -1. */
static int fusable_last(Lambda *L, int size)
{
    int len = (int)L->code->len;
    if (L->plain || L->last_insn != len - size || L->label >= len)
        return -1;
    return tm_insn_op(g_array_index(L->code, uint32_t, len - size));
}

/* LREF n; PUSH becomes PUSHL n, unless a jump lands on the PUSH. */
static void emit_push(Lambda *L)
{
    int op = fusable_last(L, 1), len = (int)L->code->len;
    uint32_t *w = op >= 0 ? &g_array_index(L->code, uint32_t, L->last_insn) : NULL;
    if (op == TM_OP_LREF && L->prev_insn == len - 2 && L->label < len - 1 &&
        tm_insn_op(g_array_index(L->code, uint32_t, len - 2)) == TM_OP_PUSHL) {
        /* PUSHL a; LREF b; PUSH becomes PUSHL2 a b */
        uint32_t *prev = &g_array_index(L->code, uint32_t, len - 2);
        *w = (uint32_t)tm_insn_a(*w);
        *prev = tm_insn(TM_OP_PUSHL2, tm_insn_a(*prev));
        L->last_insn = len - 2;
        L->prev_insn = -1;
    } else if (op == TM_OP_LREF) {
        *w = tm_insn(TM_OP_PUSHL, tm_insn_a(*w));
    } else if (fusable_last(L, 2) == TM_OP_LADDI) {
        /* PUSHLADDI does the PUSH after it too, and skips it; an error
         * resumes at the PUSH, which then pushes the handler's value */
        w = &g_array_index(L->code, uint32_t, L->last_insn);
        *w = tm_insn(TM_OP_PUSHLADDI, tm_insn_a(*w));
        emit(L, TM_OP_PUSH, 0);
    } else {
        emit(L, TM_OP_PUSH, 0);
    }
    adjust_depth(L, 1);
}

static void emit_pop(Lambda *L, int k)
{
    if (k > 0) {
        emit(L, TM_OP_POP, k);
        adjust_depth(L, -k);
    }
}

/* Jump targets: emit with offset 0, patch when the target is known. */
static void patch_jump(Lambda *L, int at)
{
    int32_t off = (int32_t)L->code->len - (at + 1);
    L->label = (int)L->code->len;
    uint32_t *w = &g_array_index(L->code, uint32_t, at);
    *w = tm_insn(tm_insn_op(*w), off);
}

/* (op x y) of two locals, compiled as PUSHL x at p0 and LREF y at p1,
 * becomes one instruction naming both slots. */
static bool fuse_local_compare(Lambda *L, int op, int p0, int p1)
{
    static const struct { TmOpcode op, ll; } ll[] = {
        {TM_OP_NUMEQ, TM_OP_NUMEQLL}, {TM_OP_LT, TM_OP_LTLL}, {TM_OP_GT, TM_OP_GTLL},
        {TM_OP_LE, TM_OP_LELL}, {TM_OP_GE, TM_OP_GELL}, {TM_OP_EQ, TM_OP_EQLL},
    };
    int len = (int)L->code->len;
    if (L->plain || p1 != p0 + 1 || len != p1 + 1 || L->label > p0 || L->last_insn != p1)
        return false;
    uint32_t w0 = g_array_index(L->code, uint32_t, p0);
    uint32_t w1 = g_array_index(L->code, uint32_t, p1);
    if (tm_insn_op(w0) != TM_OP_PUSHL || tm_insn_op(w1) != TM_OP_LREF)
        return false;
    int32_t a = tm_insn_a(w0), b = tm_insn_a(w1);
    if (a < 0 || a >= 4096 || b < 0 || b >= 4096)
        return false;
    for (size_t i = 0; i < G_N_ELEMENTS(ll); i++) {
        if ((int)ll[i].op != op)
            continue;
        g_array_set_size(L->code, (guint)p0);
        L->last_insn = -1;
        emit(L, ll[i].ll, a | b << 12);
        L->prev_insn = -1;
        return true;
    }
    return false;
}

/* "Jump if acc is false", fused with the test that computed acc when it
 * is a comparison or a type test.  Returns the jump to patch. */
static int emit_branch_false(Lambda *L)
{
    static const struct { TmOpcode test, branch; } fused[] = {
        {TM_OP_NUMEQI, TM_OP_JNNUMEQI}, {TM_OP_LTI, TM_OP_JNLTI}, {TM_OP_GTI, TM_OP_JNGTI},
        {TM_OP_LEI, TM_OP_JNLEI}, {TM_OP_GEI, TM_OP_JNGEI},
        {TM_OP_NUMEQ, TM_OP_JNNUMEQ}, {TM_OP_LT, TM_OP_JNLT}, {TM_OP_GT, TM_OP_JNGT},
        {TM_OP_LE, TM_OP_JNLE}, {TM_OP_GE, TM_OP_JNGE}, {TM_OP_EQ, TM_OP_JNEQ},
        {TM_OP_NULLP, TM_OP_JNNULL}, {TM_OP_PAIRP, TM_OP_JNPAIR}, {TM_OP_NOT, TM_OP_JT},
        {TM_OP_NUMEQLL, TM_OP_JNNUMEQLL}, {TM_OP_LTLL, TM_OP_JNLTLL},
        {TM_OP_GTLL, TM_OP_JNGTLL}, {TM_OP_LELL, TM_OP_JNLELL}, {TM_OP_GELL, TM_OP_JNGELL},
        {TM_OP_EQLL, TM_OP_JNEQLL},
    };
    int op = fusable_last(L, 1);
    for (size_t i = 0; op >= 0 && i < G_N_ELEMENTS(fused); i++) {
        if ((int)fused[i].test != op)
            continue;
        uint32_t *w = &g_array_index(L->code, uint32_t, L->last_insn);
        if (fused[i].branch == TM_OP_JNNULL || fused[i].branch == TM_OP_JNPAIR ||
            fused[i].branch == TM_OP_JT || fused[i].branch == TM_OP_JNEQ) {
            /* cannot fail: the jump offset is the operand */
            *w = tm_insn(fused[i].branch, 0);
            return L->last_insn;
        }
        /* may raise: a JMPF follows, which the test jumps by or skips,
         * and where a handler's value resumes */
        *w = tm_insn(fused[i].branch, tm_insn_a(*w));
        break;
    }
    return emit(L, TM_OP_JMPF, 0);
}

static int add_const(Lambda *L, TmValue v)
{
    for (guint i = 0; i < L->consts->len; i++)
        if (g_array_index(L->consts, TmValue, i) == v)
            return (int)i;
    g_array_append_val(L->consts, v);
    return (int)L->consts->len - 1;
}

static const TmValue imm_table[] = TM_IMM_TABLE;

static void emit_const(Compiler *c, Lambda *L, TmValue v)
{
    (void)c;
    if (tm_is_fixnum(v) && tm_fixval(v) >= -(1 << 22) && tm_fixval(v) < (1 << 22)) {
        emit(L, TM_OP_FIX, (int32_t)tm_fixval(v));
        return;
    }
    for (int i = 0; i < (int)G_N_ELEMENTS(imm_table); i++)
        if (imm_table[i] == v) {
            emit(L, TM_OP_IMM, i);
            return;
        }
    emit(L, TM_OP_CONST, add_const(L, v));
}

static void emit_return(Lambda *L, bool tail)
{
    if (!tail)
        return;
    if (fusable_last(L, 1) == TM_OP_LREF) {
        uint32_t *w = &g_array_index(L->code, uint32_t, L->last_insn);
        *w = tm_insn(TM_OP_RETL, tm_insn_a(*w));
        return;
    }
    emit(L, TM_OP_RET, 0);
}

/* ---- identifiers ------------------------------------------------------- */

typedef enum { R_LOCAL, R_GLOBAL, R_MACRO, R_SPECIAL } ResKind;
typedef struct {
    ResKind kind;
    Binding *b;        /* R_LOCAL, or the local macro's binding */
    TmValue sym;       /* R_GLOBAL, R_SPECIAL: the symbol */
    TmValue macro;     /* R_MACRO */
    SpecialForm sf;
} Res;

/* What an identifier means at scope s.  A renamed identifier (IDENT) that
 * no binding of its own names means what its symbol means where the macro
 * was defined (TM_IDENT_ENV), which is the heart of hygiene. */
static Res resolve(Compiler *c, Scope *s, TmValue id)
{
    for (; s; s = s->parent) {
        GPtrArray *bs = s->bindings;
        for (guint i = bs->len; i-- > 0;) {
            Binding *b = bs->pdata[i];
            if (b->name == id) {
                if (b->macro)
                    return (Res){R_MACRO, b, 0, b->macro, SF_NONE};
                return (Res){R_LOCAL, b, 0, 0, SF_NONE};
            }
        }
    }
    if (tm_is_ident(id))
        return resolve(c, (Scope *)TM_SLOT(id, TM_IDENT_ENV),
                       TM_SLOT(id, TM_IDENT_NAME));
    intptr_t flags = tm_fixval(TM_SLOT(id, TM_SYM_FLAGS));
    TmValue val = TM_SLOT(id, TM_SYM_VALUE);
    if (tm_has_type(val, TM_T_MACRO))
        return (Res){R_MACRO, NULL, id, val, SF_NONE};
    if (flags >> SF_SHIFT)
        return (Res){R_SPECIAL, NULL, id, 0, (SpecialForm)(flags >> SF_SHIFT)};
    return (Res){R_GLOBAL, NULL, id, 0, SF_NONE};
}

/* The special form a form's head names, or SF_NONE. */
static SpecialForm head_form(Compiler *c, Scope *s, TmValue x)
{
    if (!tm_is_pair(x) || !tm_is_identifier(tm_car(x)))
        return SF_NONE;
    Res r = resolve(c, s, tm_car(x));
    return r.kind == R_SPECIAL ? r.sf : SF_NONE;
}

/* A fresh identifier that always means the global `name` (a keyword or a
 * primitive), whatever the user has bound locally. */
static TmValue core_id(Compiler *c, const char *name)
{
    TmNode *n = c->n;
    TmValue id = tm_alloc(n, TM_T_IDENT, TM_IDENT_NSLOTS);
    TM_SLOT(id, TM_IDENT_NAME) = tm_intern(n, name);
    TM_SLOT(id, TM_IDENT_ENV) = 0;
    TM_SLOT(id, TM_IDENT_SERIAL) = tm_fix(0);
    return id;
}

/* The primitive object named `name`, used as a constant operator by the
 * derived forms so that user definitions cannot change their meaning. */
static TmValue prim(Compiler *c, const char *name)
{
    TmNode *n = c->n;
    gpointer idx = g_hash_table_lookup(n->prim_index, name);
    if (!idx)
        g_error("compiler: no primitive %s", name);
    return TM_SLOT(n->prim_vector, GPOINTER_TO_INT(idx) - 1);
}

static TmValue fresh_var(Compiler *c, const char *hint)
{
    return tm_gensym(c->n, hint);
}

/* Index of b in L's free variables, adding it if needed. */
static int free_index(Lambda *L, Binding *b)
{
    for (guint i = 0; i < L->free->len; i++)
        if (L->free->pdata[i] == b)
            return (int)i;
    g_ptr_array_add(L->free, b);
    return (int)L->free->len - 1;
}

/* Load the variable's slot content (the box itself for boxed ones). */
static void emit_load_raw(Lambda *L, Binding *b)
{
    if (b->owner == L)
        emit(L, TM_OP_LREF, b->slot);
    else
        emit(L, TM_OP_FREF, free_index(L, b));
}

static void emit_ref(Compiler *c, Lambda *L, Binding *b)
{
    emit_load_raw(L, b);
    if (b->boxed)
        emit(L, TM_OP_UNBOX, add_const(L, tm_syntax_base_symbol(b->name)));
    (void)c;
}

static void compile_ref(Compiler *c, Lambda *L, Scope *s, TmValue id, bool tail)
{
    Res r = resolve(c, s, id);
    switch (r.kind) {
    case R_LOCAL:
        emit_ref(c, L, r.b);
        break;
    case R_GLOBAL:
        emit(L, TM_OP_GREF, add_const(L, r.sym));
        break;
    case R_MACRO:
    case R_SPECIAL:
        syntax_error(c, 0, "syntax keyword %s used as an expression",
                     show(c, id));
    }
    emit_return(L, tail);
}

/* ---- list helpers -------------------------------------------------------- */

static int list_len(TmValue l) { return (int)tm_list_length(l); }

static void check_form(Compiler *c, TmValue x, bool ok, const char *usage)
{
    if (!ok)
        syntax_error(c, x, "bad syntax, expected %s: %s", usage, show(c, x));
}

static TmValue cons(Compiler *c, TmValue a, TmValue d) { return tm_cons(c->n, a, d); }
static TmValue list2(Compiler *c, TmValue a, TmValue b) { return tm_list2(c->n, a, b); }
static TmValue list3(Compiler *c, TmValue a, TmValue b, TmValue d)
{
    return tm_list3(c->n, a, b, d);
}
static TmValue list4(Compiler *c, TmValue a, TmValue b, TmValue d, TmValue e)
{
    return cons(c, a, list3(c, b, d, e));
}

/* (begin . body) with the core begin */
static TmValue make_begin(Compiler *c, TmValue body)
{
    return cons(c, core_id(c, "begin"), body);
}

/* ---- simple forms ------------------------------------------------------- */

static void compile_seq(Compiler *c, Lambda *L, Scope *s, TmValue body, bool tail)
{
    if (body == TM_NIL) {
        emit(L, TM_OP_IMM, TM_IMMI_VOID);
        emit_return(L, tail);
        return;
    }
    for (; tm_is_pair(body); body = tm_cdr(body)) {
        bool last = tm_cdr(body) == TM_NIL;
        compile(c, L, s, tm_car(body), tail && last);
    }
}

static void compile_if(Compiler *c, Lambda *L, Scope *s, TmValue x, bool tail)
{
    int len = list_len(x);
    check_form(c, x, len == 3 || len == 4, "(if test then [else])");
    compile(c, L, s, tm_cadr(x), false);
    int jf = emit_branch_false(L);
    compile(c, L, s, tm_caddr(x), tail);
    int jend = tail ? -1 : emit(L, TM_OP_JMP, 0);
    patch_jump(L, jf);
    if (len == 4)
        compile(c, L, s, tm_car(tm_cdr(tm_cddr(x))), tail);
    else {
        emit(L, TM_OP_IMM, TM_IMMI_VOID);
        emit_return(L, tail);
    }
    if (jend >= 0)
        patch_jump(L, jend);
}

static void compile_quote(Compiler *c, Lambda *L, TmValue x, bool tail)
{
    check_form(c, x, list_len(x) == 2, "(quote datum)");
    emit_const(c, L, tm_syntax_strip(c->n, tm_cadr(x)));
    emit_return(L, tail);
}

/* ---- quasiquote ---------------------------------------------------------- */

static bool is_form(Compiler *c, TmValue x, SpecialForm sf)
{
    (void)c;
    if (!tm_is_pair(x) || !tm_is_identifier(tm_car(x)) || !tm_is_pair(tm_cdr(x)) ||
        tm_cddr(x) != TM_NIL)
        return false;
    TmValue sym = tm_syntax_base_symbol(tm_car(x));
    return (tm_fixval(TM_SLOT(sym, TM_SYM_FLAGS)) >> SF_SHIFT) == sf;
}

static TmValue quoted(Compiler *c, TmValue d)
{
    return list2(c, core_id(c, "quote"), d);
}

/* The expression that builds template x at nesting depth d (R7RS 4.2.8).
 * Operators are primitive objects, immune to user redefinition. */
static TmValue qq(Compiler *c, TmValue x, int d)
{
    if (tm_is_pair(x) && tm_is_identifier(tm_car(x))) {
        TmValue sym = tm_syntax_base_symbol(tm_car(x));
        int sf = (int)(tm_fixval(TM_SLOT(sym, TM_SYM_FLAGS)) >> SF_SHIFT);
        if (sf == SF_UNQUOTE && d == 1) {
            check_form(c, x, list_len(x) == 2, "(unquote expr)");
            return tm_cadr(x);
        }
        if (sf == SF_UNQUOTE || sf == SF_QUASIQUOTE)
            return list3(c, prim(c, "cons"), quoted(c, sym),
                         qq(c, tm_cdr(x), sf == SF_UNQUOTE ? d - 1 : d + 1));
    }
    if (tm_is_pair(x)) {
        TmValue a = tm_car(x);
        if (d == 1 && is_form(c, a, SF_UNQUOTE_SPLICING)) {
            if (tm_cdr(x) == TM_NIL)
                return tm_cadr(a);
            return list3(c, prim(c, "append"), tm_cadr(a), qq(c, tm_cdr(x), d));
        }
        if (tm_is_pair(a) && tm_is_identifier(tm_car(a)) &&
            tm_syntax_base_symbol(tm_car(a)) == c->n->sym[TM_S_unquote_splicing])
            a = list3(c, prim(c, "cons"), quoted(c, c->n->sym[TM_S_unquote_splicing]),
                      qq(c, tm_cdr(a), d - 1));
        else
            a = qq(c, a, d);
        return list3(c, prim(c, "cons"), a, qq(c, tm_cdr(x), d));
    }
    if (tm_is_vector(x))
        return list2(c, prim(c, "list->vector"),
                     qq(c, tm_vector_to_list(c->n, x), d));
    return quoted(c, x);
}

/* ---- let and friends ----------------------------------------------------- */

static void check_bindings(Compiler *c, TmValue x, TmValue bindings)
{
    check_form(c, x, list_len(bindings) >= 0, "a list of bindings");
    for (TmValue l = bindings; l != TM_NIL; l = tm_cdr(l)) {
        TmValue b = tm_car(l);
        check_form(c, x, tm_is_pair(b) && tm_is_identifier(tm_car(b)) &&
                             (tm_cdr(b) == TM_NIL || list_len(b) == 2),
                   "bindings of the form (name value)");
    }
}

static TmValue binding_init(TmValue b)
{
    return tm_cdr(b) == TM_NIL ? TM_UNASSIGNED : tm_cadr(b);
}

static void compile_init(Compiler *c, Lambda *L, Scope *s, TmValue init,
                         TmValue name);

/* (let ((v e) ...) body): push the inits, which become frame slots. */
static void compile_let(Compiler *c, Lambda *L, Scope *s, TmValue x, bool tail)
{
    check_form(c, x, list_len(x) >= 3, "(let bindings body ...)");
    TmValue bindings = tm_cadr(x);
    if (tm_is_identifier(bindings)) {
        /* named let: ((letrec ((name (lambda (v ...) body))) name) e ...) */
        TmValue name = bindings, bs = tm_caddr(x), body = tm_cdr(tm_cddr(x));
        check_bindings(c, x, bs);
        TmValue vars = TM_NIL, inits = TM_NIL;
        for (TmValue l = bs; l != TM_NIL; l = tm_cdr(l)) {
            vars = cons(c, tm_car(tm_car(l)), vars);
            inits = cons(c, binding_init(tm_car(l)), inits);
        }
        vars = tm_list_reverse(c->n, vars);
        inits = tm_list_reverse(c->n, inits);
        TmValue lam = cons(c, core_id(c, "lambda"), cons(c, vars, body));
        TmValue lr = list3(c, core_id(c, "letrec"),
                           cons(c, list2(c, name, lam), TM_NIL), name);
        compile(c, L, s, cons(c, lr, inits), tail);
        return;
    }
    check_bindings(c, x, bindings);
    int base = L->depth, count = 0;
    for (TmValue l = bindings; l != TM_NIL; l = tm_cdr(l), count++) {
        compile_init(c, L, s, binding_init(tm_car(l)), tm_car(tm_car(l)));
        emit_push(L);
    }
    Scope *inner = new_scope(c, s, L);
    int i = 0;
    for (TmValue l = bindings; l != TM_NIL; l = tm_cdr(l), i++)
        bind(c, inner, tm_car(tm_car(l)), base + i);
    compile_body(c, L, inner, tm_cddr(x), tail);
    if (!tail)
        emit_pop(L, count);
    else
        L->depth = base;
}

static void compile_let_star(Compiler *c, Lambda *L, Scope *s, TmValue x, bool tail)
{
    check_form(c, x, list_len(x) >= 3, "(let* bindings body ...)");
    TmValue bindings = tm_cadr(x);
    check_bindings(c, x, bindings);
    if (bindings == TM_NIL || tm_cdr(bindings) == TM_NIL) {
        compile(c, L, s, cons(c, core_id(c, "let"), tm_cdr(x)), tail);
        return;
    }
    TmValue inner = cons(c, core_id(c, "let*"), cons(c, tm_cdr(bindings), tm_cddr(x)));
    TmValue outer = list3(c, core_id(c, "let"), cons(c, tm_car(bindings), TM_NIL), inner);
    compile(c, L, s, outer, tail);
}

/* ---- letrec, internal definitions ---------------------------------------- */

typedef struct {
    Binding *b;        /* NULL for an expression */
    TmValue form;      /* the init or the expression */
} BodyItem;

static bool is_lambda_form(Compiler *c, Scope *s, TmValue x)
{
    SpecialForm sf = head_form(c, s, x);
    return sf == SF_LAMBDA || sf == SF_NAMED_LAMBDA;
}

typedef struct {
    Binding *closure;  /* variable holding the fresh closure */
    Binding *target;   /* group variable it captured */
    int index;         /* free variable index in the closure */
} Patch;

/* Tie the knots whose target closure exists by now. */
static void emit_patches(Lambda *L, GArray *patches)
{
    for (guint i = 0; i < patches->len; i++) {
        Patch *p = &g_array_index(patches, Patch, i);
        if (p->closure && p->target->ready) {
            emit_load_raw(L, p->target);
            emit2(L, TM_OP_PATCH, p->closure->slot, p->index);
            p->closure = NULL;
        }
    }
}

/* Compile the items of a letrec* group whose bindings are in scope s and
 * whose slots are allocated (holding #!unassigned).  Groups whose
 * definitions are all lambdas are tied by patching the fresh closures
 * before any expression can call them; any other group keeps its
 * variables in boxes, so a closure created early sees later values. */
static void compile_letrec_items(Compiler *c, Lambda *L, Scope *s, BodyItem *items,
                                 int count, bool tail)
{
    bool all_lambdas = true, any_lambda = false;
    for (int i = 0; i < count; i++)
        if (items[i].b) {
            bool lam = is_lambda_form(c, s, items[i].form);
            all_lambdas &= lam;
            any_lambda |= lam;
        }
    bool boxed = any_lambda && !all_lambdas;
    if (boxed)
        for (int i = 0; i < count; i++)
            if (items[i].b) {
                items[i].b->boxed = true;
                emit(L, TM_OP_LREF, items[i].b->slot);
                emit(L, TM_OP_MKBOX, 0);
                emit(L, TM_OP_LSET, items[i].b->slot);
            }
    GArray *patches = g_array_new(FALSE, FALSE, sizeof(Patch));
    int last_expr = -1;
    for (int i = 0; i < count; i++)
        if (!items[i].b)
            last_expr = i;
    for (int i = 0; i < count; i++) {
        BodyItem *it = &items[i];
        if (!it->b) {
            emit_patches(L, patches);
            compile(c, L, s, it->form, tail && i == last_expr && i == count - 1);
            continue;
        }
        if (all_lambdas && tm_is_pair(it->form)) {
            TmValue f = it->form;
            TmValue params, body, name = tm_syntax_base_symbol(it->b->name);
            if (head_form(c, s, f) == SF_NAMED_LAMBDA) {
                params = tm_cdr(tm_cadr(f));
                body = tm_cddr(f);
            } else {
                check_form(c, f, list_len(f) >= 3, "(lambda params body ...)");
                params = tm_cadr(f);
                body = tm_cddr(f);
            }
            Lambda *child = compile_lambda(c, L, s, params, body, name);
            emit(L, TM_OP_LSET, it->b->slot);
            it->b->ready = true;
            for (guint j = 0; j < child->free->len; j++)
                for (int k = 0; k < count; k++)
                    if (items[k].b && items[k].b == child->free->pdata[j]) {
                        Patch p = {it->b, items[k].b, (int)j};
                        g_array_append_val(patches, p);
                    }
        } else {
            compile_init(c, L, s, it->form, it->b->name);
            emit(L, boxed ? TM_OP_BOXSET : TM_OP_LSET, it->b->slot);
            it->b->ready = true;
        }
    }
    emit_patches(L, patches);
    g_array_free(patches, TRUE);
    if (last_expr != count - 1 || last_expr < 0) {
        emit(L, TM_OP_IMM, TM_IMMI_VOID);
        emit_return(L, tail);
    }
}

/* Allocate slots for the group's bindings (pushing #!unassigned). */
static void alloc_group(Lambda *L, BodyItem *items, int count)
{
    for (int i = 0; i < count; i++)
        if (items[i].b) {
            items[i].b->slot = L->depth;
            emit(L, TM_OP_IMM, TM_IMMI_UNASSIGNED);
            emit_push(L);
        }
}

static void compile_letrec(Compiler *c, Lambda *L, Scope *s, TmValue x, bool tail)
{
    check_form(c, x, list_len(x) >= 3, "(letrec bindings body ...)");
    TmValue bindings = tm_cadr(x);
    check_bindings(c, x, bindings);
    int count = list_len(bindings), base = L->depth;
    Scope *inner = new_scope(c, s, L);
    BodyItem *items = g_new0(BodyItem, count + 1);
    int i = 0;
    for (TmValue l = bindings; l != TM_NIL; l = tm_cdr(l), i++) {
        items[i].b = bind(c, inner, tm_car(tm_car(l)), -1);
        items[i].form = binding_init(tm_car(l));
    }
    alloc_group(L, items, count);
    compile_letrec_items(c, L, inner, items, count, false);
    g_free(items);
    compile_body(c, L, inner, tm_cddr(x), tail);
    if (!tail)
        emit_pop(L, count);
    else
        L->depth = base;
}

/* ---- lambda -------------------------------------------------------------- */

typedef struct {
    GPtrArray *names;     /* required then optional then rest: slot order */
    GPtrArray *defaults;  /* per optional: default expression or NULL */
    GPtrArray *keys;      /* key names */
    GPtrArray *key_defaults;
    int nreq, nopt;
    bool rest;
} Params;

static void params_free(Params *p)
{
    g_ptr_array_free(p->names, TRUE);
    g_ptr_array_free(p->defaults, TRUE);
    g_ptr_array_free(p->keys, TRUE);
    g_ptr_array_free(p->key_defaults, TRUE);
}

/* Parse (a b #!optional (c 1) d #!rest r #!key (k 2)) and (a b . r). */
static void parse_params(Compiler *c, TmValue form, TmValue params, Params *p)
{
    memset(p, 0, sizeof *p);
    p->names = g_ptr_array_new();
    p->defaults = g_ptr_array_new();
    p->keys = g_ptr_array_new();
    p->key_defaults = g_ptr_array_new();
    enum { REQ, OPT, REST, KEY, DONE } mode = REQ;
    TmValue l = params;
    for (; tm_is_pair(l); l = tm_cdr(l)) {
        TmValue x = tm_car(l);
        if (x == TM_OPTIONAL && mode == REQ) { mode = OPT; continue; }
        if (x == TM_REST && mode < REST) { mode = REST; continue; }
        if (x == TM_KEY && mode < KEY && !p->rest) { mode = KEY; continue; }
        TmValue name = x, def = TM_UNBOUND; /* TM_UNBOUND: no default */
        if ((mode == OPT || mode == KEY) && tm_is_pair(x)) {
            check_form(c, form, list_len(x) == 2 && tm_is_identifier(tm_car(x)),
                       "(name default) in a parameter list");
            name = tm_car(x);
            def = tm_cadr(x);
        }
        check_form(c, form, tm_is_identifier(name), "identifiers in the parameter list");
        switch (mode) {
        case REQ:
            g_ptr_array_add(p->names, (gpointer)name);
            p->nreq++;
            break;
        case OPT:
            g_ptr_array_add(p->names, (gpointer)name);
            g_ptr_array_add(p->defaults, (gpointer)def);
            p->nopt++;
            break;
        case REST:
            g_ptr_array_add(p->names, (gpointer)name);
            p->rest = true;
            mode = DONE;
            break;
        case KEY:
            g_ptr_array_add(p->keys, (gpointer)name);
            g_ptr_array_add(p->key_defaults, (gpointer)def);
            break;
        case DONE:
            syntax_error(c, form, "nothing may follow the #!rest parameter");
        }
    }
    if (l != TM_NIL) {
        check_form(c, form, tm_is_identifier(l) && mode != REST && !p->keys->len,
                   "a parameter list");
        g_ptr_array_add(p->names, (gpointer)l);
        p->rest = true;
    }
    if (p->keys->len && !p->rest) {
        /* keyword arguments arrive in a hidden rest list */
        g_ptr_array_add(p->names, (gpointer)fresh_var(c, "keys"));
        p->rest = true;
    }
    /* duplicate parameters are an error */
    for (guint i = 0; i < p->names->len; i++)
        for (guint j = i + 1; j < p->names->len; j++)
            if (p->names->pdata[i] == p->names->pdata[j])
                syntax_error(c, form, "duplicate parameter %s",
                             show(c, (TmValue)p->names->pdata[i]));
}

/* if (eq? slot #!default) slot = default-expression */
static void emit_default(Compiler *c, Lambda *L, Scope *s, int slot, TmValue def)
{
    emit(L, TM_OP_LREF, slot);
    emit_push(L);
    emit(L, TM_OP_IMM, TM_IMMI_DEFAULT);
    emit(L, TM_OP_EQ, 0);
    adjust_depth(L, -1);
    int j = emit(L, TM_OP_JMPF, 0);
    compile(c, L, s, def, false);
    emit(L, TM_OP_LSET, slot);
    patch_jump(L, j);
}

static void emit_keys(Compiler *c, Lambda *L, Scope *s, Params *p)
{
    int rest_slot = (int)p->names->len - 1;
    for (guint i = 0; i < p->keys->len; i++) {
        TmValue name = (TmValue)p->keys->pdata[i];
        TmValue kw = tm_intern_keyword(c->n, tm_symbol_cname(c->n,
                                       tm_syntax_base_symbol(name)));
        int slot = L->depth;
        int fr = emit(L, TM_OP_FRAME, 0);
        adjust_depth(L, 3);
        emit(L, TM_OP_LREF, rest_slot);
        emit_push(L);
        emit_const(c, L, kw);
        emit_push(L);
        emit_const(c, L, prim(c, "%key-ref"));
        emit(L, TM_OP_CALL, 2);
        adjust_depth(L, -5);
        patch_jump(L, fr);
        emit_push(L);
        bind(c, s, name, slot);
        TmValue def = (TmValue)p->key_defaults->pdata[i];
        emit_default(c, L, s, slot, def != TM_UNBOUND ? def : TM_FALSE);
    }
    /* unknown keywords are an error */
    TmValue allowed = TM_NIL;
    for (guint i = p->keys->len; i-- > 0;)
        allowed = cons(c, tm_intern_keyword(c->n, tm_symbol_cname(c->n,
                       tm_syntax_base_symbol((TmValue)p->keys->pdata[i]))), allowed);
    int fr = emit(L, TM_OP_FRAME, 0);
    adjust_depth(L, 3);
    emit(L, TM_OP_LREF, rest_slot);
    emit_push(L);
    emit_const(c, L, allowed);
    emit_push(L);
    emit_const(c, L, prim(c, "%check-keys"));
    emit(L, TM_OP_CALL, 2);
    adjust_depth(L, -5);
    patch_jump(L, fr);
}

static TmValue finish_code(Compiler *c, Lambda *L, Params *p)
{
    TmNode *n = c->n;
    TmValue code = tm_alloc(n, TM_T_CODE, TM_CODE_NSLOTS);
    TmValue bytes = tm_make_bytevector(n, L->code->len * 4, (uint8_t *)L->code->data);
    TmValue lines = L->lines->len
                        ? tm_make_bytevector(n, L->lines->len * 4, (uint8_t *)L->lines->data)
                        : TM_FALSE;
    TM_SLOT(code, TM_CODE_BYTES) = bytes;
    TM_SLOT(code, TM_CODE_CONSTS) =
        tm_vector_from_array(n, L->consts->len, (TmValue *)L->consts->data);
    TM_SLOT(code, TM_CODE_NAME) = L->name ? L->name : TM_FALSE;
    TM_SLOT(code, TM_CODE_ARITY) = tm_fix(tm_arity(p->nreq, p->nopt, p->rest));
    TM_SLOT(code, TM_CODE_FRAMESIZE) = tm_fix(L->maxdepth + 8);
    TM_SLOT(code, TM_CODE_LINES) = lines;
    TM_SLOT(code, TM_CODE_FILE) =
        c->map && c->map->file ? tm_string_from_utf8(n, c->map->file, -1) : TM_FALSE;
    TM_SLOT(code, TM_CODE_NFREE) = tm_fix((intptr_t)L->free->len);
    TM_SLOT(code, TM_CODE_HASH) = TM_FALSE;
    return code;
}

/* Compile a lambda into P: the child's body first (which completes its
 * free-variable list), then P loads those variables and makes the closure.
 * Returns the child so letrec can patch its free variables. */
static Lambda *compile_lambda(Compiler *c, Lambda *P, Scope *s, TmValue params,
                              TmValue body, TmValue name)
{
    Params p;
    TmValue form = cons(c, params, body);
    parse_params(c, form, params, &p);
    if (body == TM_NIL)
        syntax_error(c, form, "lambda without a body");
    Lambda *L = new_lambda(c, P, name);
    Scope *ls = new_scope(c, s, L);
    for (guint i = 0; i < p.names->len; i++)
        bind(c, ls, (TmValue)p.names->pdata[i], (int)i);
    L->depth = L->maxdepth = (int)p.names->len;
    /* optional parameters see the ones before them */
    Scope *ds = new_scope(c, s, L);
    for (int i = 0; i < p.nreq + p.nopt; i++) {
        bind(c, ds, (TmValue)p.names->pdata[i], i);
        if (i >= p.nreq) {
            TmValue def = (TmValue)p.defaults->pdata[i - p.nreq];
            if (def != TM_UNBOUND)
                emit_default(c, L, ds, i, def);
        }
    }
    if (p.keys->len)
        emit_keys(c, L, ls, &p);
    compile_body(c, L, ls, body, true);
    TmValue code = finish_code(c, L, &p);
    params_free(&p);
    for (guint i = 0; i < L->free->len; i++) {
        emit_load_raw(P, L->free->pdata[i]);
        emit_push(P);
    }
    emit2(P, TM_OP_CLOSURE, (int32_t)L->free->len, add_const(P, code));
    adjust_depth(P, -(int)L->free->len);
    return L;
}

static void compile_lambda_form(Compiler *c, Lambda *L, Scope *s, TmValue x,
                                bool tail, TmValue name)
{
    check_form(c, x, list_len(x) >= 3, "(lambda params body ...)");
    compile_lambda(c, L, s, tm_cadr(x), tm_cddr(x), name);
    emit_return(L, tail);
}

static void compile_named_lambda(Compiler *c, Lambda *L, Scope *s, TmValue x, bool tail)
{
    check_form(c, x, list_len(x) >= 3 && tm_is_pair(tm_cadr(x)),
               "(named-lambda (name . params) body ...)");
    compile_lambda(c, L, s, tm_cdr(tm_cadr(x)), tm_cddr(x),
                   tm_syntax_base_symbol(tm_car(tm_cadr(x))));
    emit_return(L, tail);
}

/* An initializer: lambdas get the variable's name for printing and
 * backtraces. */
static void compile_init(Compiler *c, Lambda *L, Scope *s, TmValue init, TmValue name)
{
    if (init == TM_UNASSIGNED) {
        emit(L, TM_OP_IMM, TM_IMMI_UNASSIGNED);
        return;
    }
    if (head_form(c, s, init) == SF_LAMBDA) {
        compile_lambda_form(c, L, s, init, false, tm_syntax_base_symbol(name));
        return;
    }
    compile(c, L, s, init, false);
}

/* ---- define --------------------------------------------------------------- */

/* Normalize (define (f . params) body ...) and curried forms into a name
 * and an initializer expression. */
static void parse_define(Compiler *c, TmValue x, TmValue *name, TmValue *init)
{
    check_form(c, x, list_len(x) >= 2, "(define name value)");
    TmValue target = tm_cadr(x), rest = tm_cddr(x);
    while (tm_is_pair(target)) {
        check_form(c, x, rest != TM_NIL, "(define (name . params) body ...)");
        TmValue lam = cons(c, core_id(c, "lambda"), cons(c, tm_cdr(target), rest));
        rest = cons(c, lam, TM_NIL);
        target = tm_car(target);
    }
    check_form(c, x, tm_is_identifier(target), "(define name value)");
    check_form(c, x, rest == TM_NIL || tm_cdr(rest) == TM_NIL, "(define name value)");
    *name = target;
    *init = rest == TM_NIL ? TM_VOID : tm_car(rest);
}

static void compile_global_define(Compiler *c, Lambda *L, Scope *s, TmValue x, bool tail)
{
    TmValue name, init;
    parse_define(c, x, &name, &init);
    TmValue sym = tm_syntax_base_symbol(name);
    if (init == TM_VOID)
        emit(L, TM_OP_IMM, TM_IMMI_VOID);
    else
        compile_init(c, L, s, init, sym);
    emit(L, TM_OP_GDEF, add_const(L, sym));
    emit_return(L, tail);
}

/* ---- macros ----------------------------------------------------------------- */

static TmValue make_rules_macro(Compiler *c, Scope *s, TmValue spec)
{
    if (head_form(c, s, spec) != SF_SYNTAX_RULES)
        syntax_error(c, spec, "expected (syntax-rules ...), got %s", show(c, spec));
    TmValue m = tm_syntax_make_rules(c->n, spec, (uintptr_t)s);
    if (m == TM_EXC)
        propagate(c);
    return m;
}

static TmValue run_thunk(Compiler *c, TmValue thunk);
static TmValue compile_to_thunk(Compiler *c, Scope *s, TmValue x);

/* (define-macro (name . params) body ...) or (define-macro name proc):
 * the transformer is compiled and run now, at compile time. */
static TmValue make_proc_macro(Compiler *c, Scope *s, TmValue x, TmValue *name)
{
    check_form(c, x, list_len(x) >= 3, "(define-macro (name . params) body ...)");
    TmValue target = tm_cadr(x), proc_expr;
    if (tm_is_pair(target)) {
        *name = tm_car(target);
        proc_expr = cons(c, core_id(c, "lambda"), cons(c, tm_cdr(target), tm_cddr(x)));
    } else {
        *name = target;
        proc_expr = tm_caddr(x);
    }
    check_form(c, x, tm_is_identifier(*name), "(define-macro (name . params) body ...)");
    (void)s;
    /* transformers see only globals: local variables do not exist yet */
    TmValue proc = run_thunk(c, compile_to_thunk(c, NULL, proc_expr));
    if (!tm_is_procedure(proc))
        syntax_error(c, x, "define-macro: transformer is not a procedure");
    TmValue m = tm_alloc(c->n, TM_T_MACRO, TM_MAC_NSLOTS);
    TM_SLOT(m, TM_MAC_KIND) = tm_fix(TM_MACRO_PROC);
    TM_SLOT(m, TM_MAC_LITERALS) = TM_NIL;
    TM_SLOT(m, TM_MAC_RULES) = TM_NIL;
    TM_SLOT(m, TM_MAC_ELLIPSIS) = TM_FALSE;
    TM_SLOT(m, TM_MAC_ENV) = 0;
    TM_SLOT(m, TM_MAC_PROC) = proc;
    return m;
}

static TmValue expand_macro(Compiler *c, TmValue macro, TmValue x)
{
    TmNode *n = c->n;
    if (tm_fixval(TM_SLOT(macro, TM_MAC_KIND)) == TM_MACRO_RULES) {
        TmValue r = tm_syntax_expand(n, macro, x);
        if (r == TM_EXC)
            propagate(c);
        return r;
    }
    /* define-macro: apply the transformer to the stripped arguments */
    TmValue args = tm_syntax_strip(n, tm_cdr(x));
    ptrdiff_t argc = tm_list_length(args);
    check_form(c, x, argc >= 0, "a proper list of macro arguments");
    TmValue *argv = g_new(TmValue, argc + 1);
    for (ptrdiff_t i = 0; i < argc; i++, args = tm_cdr(args))
        argv[i] = tm_car(args);
    n->heap.inhibit++;
    TmValue r = tm_vm_apply(n, TM_SLOT(macro, TM_MAC_PROC), (int)argc, argv);
    n->heap.inhibit--;
    g_free(argv);
    if (r == TM_EXC)
        propagate(c);
    return r;
}

static void compile_define_syntax_global(Compiler *c, Lambda *L, TmValue x, bool tail)
{
    check_form(c, x, list_len(x) == 3 && tm_is_identifier(tm_cadr(x)),
               "(define-syntax name (syntax-rules ...))");
    TmValue m = make_rules_macro(c, NULL, tm_caddr(x));
    TmValue sym = tm_syntax_base_symbol(tm_cadr(x));
    tm_write(c->n, sym, TM_SYM_VALUE, m);
    emit(L, TM_OP_IMM, TM_IMMI_VOID);
    emit_return(L, tail);
}

static void compile_define_macro_global(Compiler *c, Lambda *L, TmValue x, bool tail)
{
    TmValue name;
    TmValue m = make_proc_macro(c, NULL, x, &name);
    tm_write(c->n, tm_syntax_base_symbol(name), TM_SYM_VALUE, m);
    emit(L, TM_OP_IMM, TM_IMMI_VOID);
    emit_return(L, tail);
}

/* (let-syntax ((name (syntax-rules ...)) ...) body ...) */
static void compile_let_syntax(Compiler *c, Lambda *L, Scope *s, TmValue x,
                               bool tail, bool rec)
{
    check_form(c, x, list_len(x) >= 2, "(let-syntax bindings body ...)");
    TmValue bindings = tm_cadr(x);
    check_bindings(c, x, bindings);
    Scope *inner = new_scope(c, s, L);
    for (TmValue l = bindings; l != TM_NIL; l = tm_cdr(l)) {
        TmValue m = make_rules_macro(c, rec ? inner : s, tm_cadr(tm_car(l)));
        Binding *b = bind(c, inner, tm_car(tm_car(l)), -1);
        b->macro = m;
    }
    compile_body(c, L, inner, tm_cddr(x), tail);
}

/* ---- derived forms -------------------------------------------------------- */

static TmValue make_if(Compiler *c, TmValue a, TmValue b, TmValue e)
{
    return list4(c, core_id(c, "if"), a, b, e);
}

static TmValue expand_and(Compiler *c, TmValue args)
{
    if (args == TM_NIL)
        return TM_TRUE;
    if (tm_cdr(args) == TM_NIL)
        return tm_car(args);
    return make_if(c, tm_car(args), expand_and(c, tm_cdr(args)), TM_FALSE);
}

static TmValue expand_or(Compiler *c, TmValue args)
{
    if (args == TM_NIL)
        return TM_FALSE;
    if (tm_cdr(args) == TM_NIL)
        return tm_car(args);
    TmValue t = fresh_var(c, "or");
    return list3(c, core_id(c, "let"), cons(c, list2(c, t, tm_car(args)), TM_NIL),
                 make_if(c, t, t, expand_or(c, tm_cdr(args))));
}

static bool is_keyword_id(Compiler *c, TmValue x, int sym_index)
{
    return tm_is_identifier(x) && tm_syntax_base_symbol(x) == c->n->sym[sym_index];
}

static TmValue expand_cond(Compiler *c, TmValue form, TmValue clauses)
{
    if (clauses == TM_NIL)
        return TM_VOID;
    TmValue cl = tm_car(clauses), rest = tm_cdr(clauses);
    check_form(c, form, tm_is_pair(cl) && list_len(cl) >= 1, "(cond (test expr ...) ...)");
    TmValue test = tm_car(cl), body = tm_cdr(cl);
    if (is_keyword_id(c, test, TM_S_else_)) {
        check_form(c, form, rest == TM_NIL, "else as the last cond clause");
        return make_begin(c, body);
    }
    TmValue more = expand_cond(c, form, rest);
    if (body == TM_NIL) {
        TmValue t = fresh_var(c, "c");
        return list3(c, core_id(c, "let"), cons(c, list2(c, t, test), TM_NIL),
                     make_if(c, t, t, more));
    }
    if (is_keyword_id(c, tm_car(body), TM_S_arrow)) {
        check_form(c, form, list_len(body) == 2, "(test => receiver)");
        TmValue t = fresh_var(c, "c");
        return list3(c, core_id(c, "let"), cons(c, list2(c, t, test), TM_NIL),
                     make_if(c, t, list2(c, tm_cadr(body), t), more));
    }
    return make_if(c, test, make_begin(c, body), more);
}

static TmValue expand_case_clauses(Compiler *c, TmValue form, TmValue key,
                                   TmValue clauses)
{
    if (clauses == TM_NIL)
        return TM_VOID;
    TmValue cl = tm_car(clauses);
    check_form(c, form, tm_is_pair(cl) && list_len(cl) >= 2,
               "(case key ((datum ...) expr ...) ...)");
    TmValue data = tm_car(cl), body = tm_cdr(cl);
    TmValue action = is_keyword_id(c, tm_car(body), TM_S_arrow)
                         ? list2(c, tm_cadr(body), key)
                         : make_begin(c, body);
    if (is_keyword_id(c, data, TM_S_else_))
        return action;
    check_form(c, form, list_len(data) >= 0, "a list of data in a case clause");
    TmValue test = list3(c, prim(c, "memv"), key,
                         quoted(c, tm_syntax_strip(c->n, data)));
    if (tm_cdr(data) == TM_NIL)
        test = list3(c, prim(c, "eqv?"), key,
                     quoted(c, tm_syntax_strip(c->n, tm_car(data))));
    return make_if(c, test, action, expand_case_clauses(c, form, key, tm_cdr(clauses)));
}

static TmValue expand_case(Compiler *c, TmValue x)
{
    check_form(c, x, list_len(x) >= 2, "(case key clause ...)");
    TmValue k = fresh_var(c, "key");
    return list3(c, core_id(c, "let"), cons(c, list2(c, k, tm_cadr(x)), TM_NIL),
                 expand_case_clauses(c, x, k, tm_cddr(x)));
}

/* (do ((var init step) ...) (test expr ...) command ...) */
static TmValue expand_do(Compiler *c, TmValue x)
{
    check_form(c, x, list_len(x) >= 3 && list_len(tm_cadr(x)) >= 0 &&
                         list_len(tm_caddr(x)) >= 1,
               "(do ((var init step) ...) (test expr ...) command ...)");
    TmValue loop = fresh_var(c, "do-loop");
    TmValue bindings = TM_NIL, steps = TM_NIL;
    for (TmValue l = tm_cadr(x); l != TM_NIL; l = tm_cdr(l)) {
        TmValue b = tm_car(l);
        int len = list_len(b);
        check_form(c, x, (len == 2 || len == 3) && tm_is_identifier(tm_car(b)),
                   "(var init [step]) in do");
        bindings = cons(c, list2(c, tm_car(b), tm_cadr(b)), bindings);
        steps = cons(c, len == 3 ? tm_caddr(b) : tm_car(b), steps);
    }
    bindings = tm_list_reverse(c->n, bindings);
    steps = tm_list_reverse(c->n, steps);
    TmValue test_clause = tm_caddr(x), commands = tm_cdr(tm_cddr(x));
    TmValue result = tm_cdr(test_clause) == TM_NIL ? cons(c, TM_VOID, TM_NIL)
                                                   : tm_cdr(test_clause);
    TmValue again = cons(c, loop, steps);
    TmValue body = make_if(c, tm_car(test_clause), make_begin(c, result),
                           make_begin(c, tm_list_reverse(c->n,
                               cons(c, again, tm_list_reverse(c->n, commands)))));
    return list4(c, core_id(c, "let"), loop, bindings, body);
}

/* R7RS promises: (delay-force e) is a lazy promise whose thunk yields a
 * promise; (delay e) is (delay-force (make-promise e)). */
static TmValue expand_delay(Compiler *c, TmValue x, bool is_delay_force)
{
    check_form(c, x, list_len(x) == 2, "(delay expr)");
    TmValue e = tm_cadr(x);
    if (!is_delay_force)
        e = list2(c, prim(c, "%make-eager-promise"), e);
    TmValue thunk = list3(c, core_id(c, "lambda"), TM_NIL, e);
    return list2(c, prim(c, "%make-lazy-promise"), thunk);
}

static TmValue expand_cons_stream(Compiler *c, TmValue x)
{
    check_form(c, x, list_len(x) == 3, "(cons-stream a b)");
    TmValue d = list2(c, core_id(c, "delay"), tm_caddr(x));
    return list3(c, prim(c, "cons"), tm_cadr(x), d);
}

/* (define-record-type <name> (ctor field ...) pred (field accessor) ...) */
static TmValue expand_record_type(Compiler *c, TmValue x)
{
    check_form(c, x, list_len(x) >= 3,
               "(define-record-type name (constructor field ...) predicate field-spec ...)");
    TmValue tname = tm_cadr(x), ctor = tm_caddr(x);
    TmValue pred = tm_car(tm_cdr(tm_cddr(x))), specs = tm_cdr(tm_cdr(tm_cddr(x)));
    if (tm_is_pair(tname))
        tname = tm_car(tname);
    check_form(c, x, tm_is_identifier(tname), "a record type name");
    /* field names, in order, and accessor definitions */
    TmValue fields = TM_NIL, defs = TM_NIL;
    int nfields = 0;
    for (TmValue l = specs; l != TM_NIL; l = tm_cdr(l), nfields++) {
        TmValue spec = tm_car(l);
        if (tm_is_identifier(spec))
            spec = cons(c, spec, TM_NIL);
        check_form(c, x, list_len(spec) >= 1 && tm_is_identifier(tm_car(spec)),
                   "(field accessor) field specs");
        if (list_len(spec) >= 3)
            syntax_error(c, x,
                         "define-record-type: field %s has a modifier %s, but "
                         "records are immutable in Termite; state lives in "
                         "processes (paper section 4.6)",
                         show(c, tm_car(spec)), show(c, tm_caddr(spec)));
        fields = cons(c, tm_syntax_base_symbol(tm_car(spec)), fields);
        if (list_len(spec) == 2) {
            TmValue obj = fresh_var(c, "obj");
            TmValue body = list4(c, prim(c, "%record-ref"), obj, tname, tm_fix(nfields));
            TmValue lam = list3(c, core_id(c, "lambda"), cons(c, obj, TM_NIL), body);
            defs = cons(c, list3(c, core_id(c, "define"), tm_cadr(spec), lam), defs);
        }
    }
    fields = tm_list_reverse(c->n, fields);
    TmValue name_sym = tm_syntax_base_symbol(tname);
    const char *nm = tm_symbol_cname(c->n, name_sym);
    size_t nl = strlen(nm);
    TmValue pretty = name_sym;
    if (nl > 2 && nm[0] == '<' && nm[nl - 1] == '>') {
        char *stripped = g_strndup(nm + 1, nl - 2);
        pretty = tm_intern(c->n, stripped);
        g_free(stripped);
    }
    TmValue mk = list3(c, prim(c, "%make-record-type"), quoted(c, pretty),
                       quoted(c, tm_list_to_vector(c->n, fields)));
    TmValue out = cons(c, list3(c, core_id(c, "define"), tname, mk), TM_NIL);
    if (tm_is_pair(ctor) || tm_is_identifier(ctor)) {
        TmValue cname = tm_is_pair(ctor) ? tm_car(ctor) : ctor;
        TmValue cfields = tm_is_pair(ctor) ? tm_cdr(ctor) : fields;
        /* arguments in constructor order, values in field order */
        TmValue params = TM_NIL, vals = TM_NIL;
        for (TmValue l = cfields; l != TM_NIL; l = tm_cdr(l))
            params = cons(c, tm_car(l), params);
        params = tm_list_reverse(c->n, params);
        for (TmValue f = fields; f != TM_NIL; f = tm_cdr(f)) {
            TmValue v = TM_FALSE;
            for (TmValue l = cfields; l != TM_NIL; l = tm_cdr(l))
                if (tm_syntax_base_symbol(tm_car(l)) == tm_car(f))
                    v = tm_car(l);
            vals = cons(c, v, vals);
        }
        vals = tm_list_reverse(c->n, vals);
        for (TmValue l = cfields; l != TM_NIL; l = tm_cdr(l)) {
            bool known = false;
            for (TmValue f = fields; f != TM_NIL; f = tm_cdr(f))
                known |= tm_syntax_base_symbol(tm_car(l)) == tm_car(f);
            if (!known)
                syntax_error(c, x, "define-record-type: constructor field %s is not a field",
                             show(c, tm_car(l)));
        }
        TmValue body = cons(c, prim(c, "%record"), cons(c, tname, vals));
        TmValue lam = list3(c, core_id(c, "lambda"), params, body);
        out = cons(c, list3(c, core_id(c, "define"), cname, lam), out);
    }
    if (tm_is_identifier(pred)) {
        TmValue obj = fresh_var(c, "obj");
        TmValue lam = list3(c, core_id(c, "lambda"), cons(c, obj, TM_NIL),
                            list3(c, prim(c, "%record?"), obj, tname));
        out = cons(c, list3(c, core_id(c, "define"), pred, lam), out);
    }
    out = tm_list_reverse(c->n, out);
    while (defs != TM_NIL) {
        out = cons(c, tm_car(defs), out);
        defs = tm_cdr(defs);
    }
    /* the type definition must come first */
    TmValue type_def = TM_NIL, others = TM_NIL;
    for (TmValue l = out; l != TM_NIL; l = tm_cdr(l)) {
        TmValue d = tm_car(l);
        if (tm_cadr(d) == tname && type_def == TM_NIL)
            type_def = d;
        else
            others = cons(c, d, others);
    }
    return make_begin(c, cons(c, type_def, tm_list_reverse(c->n, others)));
}

/* ---- calls ---------------------------------------------------------------- */

static int inline_op(Compiler *c, Scope *s, TmValue head, int nargs)
{
    if (!tm_is_identifier(head) || c->n->plain_code)
        return -1;
    Res r = resolve(c, s, head);
    if (r.kind != R_GLOBAL)
        return -1;
    TmValue val = TM_SLOT(r.sym, TM_SYM_VALUE);
    if (!tm_is_primitive(val) || TM_SLOT(val, 1) != r.sym)
        return -1;
    const char *name = tm_symbol_cname(c->n, r.sym);
    for (size_t i = 0; i < G_N_ELEMENTS(inline_prims); i++)
        if (inline_prims[i].nargs == nargs && strcmp(inline_prims[i].name, name) == 0)
            return (int)inline_prims[i].op;
    return -1;
}

static bool small_fix(TmValue x)
{
    return tm_is_fixnum(x) && tm_fixval(x) > -(1 << 20) && tm_fixval(x) < (1 << 20);
}

static void compile_call(Compiler *c, Lambda *L, Scope *s, TmValue x, bool tail)
{
    TmValue head = tm_car(x), args = tm_cdr(x);
    int nargs = list_len(args);
    if (nargs < 0)
        syntax_error(c, x, "improper argument list in call %s", show(c, x));
    if (nargs > TM_MAX_CALL_ARGS)
        syntax_error(c, x, "too many arguments in a call (%d; at most %d): pass a list "
                     "or a vector instead", nargs, TM_MAX_CALL_ARGS);
    int op = inline_op(c, s, head, nargs);
    if (op >= 0 && nargs == 0) {
        emit(L, (TmOpcode)op, 0);
        emit_return(L, tail);
        return;
    }
    if (op >= 0) {
        static const struct { TmOpcode op, imm; } cmp_imm[] = {
            {TM_OP_NUMEQ, TM_OP_NUMEQI}, {TM_OP_LT, TM_OP_LTI}, {TM_OP_GT, TM_OP_GTI},
            {TM_OP_LE, TM_OP_LEI}, {TM_OP_GE, TM_OP_GEI},
        };
        for (size_t i = 0; nargs == 2 && i < G_N_ELEMENTS(cmp_imm); i++)
            if ((int)cmp_imm[i].op == op && small_fix(tm_cadr(args))) {
                compile(c, L, s, tm_car(args), false);
                emit(L, cmp_imm[i].imm, (int32_t)tm_fixval(tm_cadr(args)));
                emit_return(L, tail);
                return;
            }
        if ((op == TM_OP_ADD || op == TM_OP_SUB) && small_fix(tm_cadr(args))) {
            compile(c, L, s, tm_car(args), false);
            intptr_t k = tm_fixval(tm_cadr(args));
            /* the constant added, doubled, plus 1 when it came from (- x k)
             * so that an error names - (tm_addi_*, compiler.h) */
            int32_t d = tm_addi_encode((int32_t)(op == TM_OP_ADD ? k : -k), op == TM_OP_SUB);
            if (fusable_last(L, 1) == TM_OP_LREF) {
                uint32_t *w = &g_array_index(L->code, uint32_t, L->last_insn);
                int32_t slot = tm_insn_a(*w), prev = L->prev_insn;
                g_array_set_size(L->code, L->code->len - 1);
                L->last_insn = prev;
                emit2(L, TM_OP_LADDI, slot, d);
            } else {
                emit(L, TM_OP_ADDI, d);
            }
        } else {
            int p0 = (int)L->code->len;
            compile(c, L, s, tm_car(args), false);
            if (nargs == 2) {
                emit_push(L);
                int p1 = (int)L->code->len;
                compile(c, L, s, tm_cadr(args), false);
                adjust_depth(L, -1);
                if (fuse_local_compare(L, op, p0, p1))
                    goto done;
            }
            emit(L, (TmOpcode)op, 0);
        }
    done:
        emit_return(L, tail);
        return;
    }
    int fr = -1;
    if (!tail) {
        fr = emit(L, TM_OP_FRAME, 0);
        adjust_depth(L, 3);
    }
    int line = L->line;
    for (TmValue l = args; l != TM_NIL; l = tm_cdr(l)) {
        compile(c, L, s, tm_car(l), false);
        emit_push(L);
    }
    L->line = line;
    Res r = tm_is_identifier(head) ? resolve(c, s, head) : (Res){R_LOCAL, 0, 0, 0, 0};
    if (tm_is_identifier(head) && r.kind == R_GLOBAL && !L->plain) {
        emit2(L, tail ? TM_OP_TCALLG : TM_OP_CALLG, nargs, add_const(L, r.sym));
    } else {
        compile(c, L, s, head, false);
        L->line = line;
        emit(L, tail ? TM_OP_TCALL : TM_OP_CALL, nargs);
    }
    adjust_depth(L, -nargs - (tail ? 0 : 3));
    if (!tail)
        patch_jump(L, fr);
}

/* ---- the dispatcher -------------------------------------------------------- */

static void set_position(Compiler *c, Lambda *L, TmValue x)
{
    int line, col;
    if (c->map && tm_source_map_lookup(c->map, x, &line, &col)) {
        c->line = line;
        c->col = col;
        L->line = line;
    }
}

static void compile_special(Compiler *c, Lambda *L, Scope *s, TmValue x,
                            SpecialForm sf, bool tail)
{
    switch (sf) {
    case SF_QUOTE: compile_quote(c, L, x, tail); return;
    case SF_QUASIQUOTE:
        check_form(c, x, list_len(x) == 2, "(quasiquote template)");
        compile(c, L, s, qq(c, tm_cadr(x), 1), tail);
        return;
    case SF_LAMBDA: compile_lambda_form(c, L, s, x, tail, 0); return;
    case SF_NAMED_LAMBDA: compile_named_lambda(c, L, s, x, tail); return;
    case SF_IF: compile_if(c, L, s, x, tail); return;
    case SF_BEGIN: compile_seq(c, L, s, tm_cdr(x), tail); return;
    case SF_LET: compile_let(c, L, s, x, tail); return;
    case SF_LETSTAR: compile_let_star(c, L, s, x, tail); return;
    case SF_LETREC:
    case SF_LETRECSTAR: compile_letrec(c, L, s, x, tail); return;
    case SF_LET_SYNTAX: compile_let_syntax(c, L, s, x, tail, false); return;
    case SF_LETREC_SYNTAX: compile_let_syntax(c, L, s, x, tail, true); return;
    case SF_AND: compile(c, L, s, expand_and(c, tm_cdr(x)), tail); return;
    case SF_OR: compile(c, L, s, expand_or(c, tm_cdr(x)), tail); return;
    case SF_WHEN:
    case SF_UNLESS: {
        check_form(c, x, list_len(x) >= 2, "(when test expr ...)");
        TmValue body = make_begin(c, tm_cddr(x));
        TmValue e = sf == SF_WHEN ? make_if(c, tm_cadr(x), body, TM_VOID)
                                  : make_if(c, tm_cadr(x), TM_VOID, body);
        compile(c, L, s, e, tail);
        return;
    }
    case SF_COND: compile(c, L, s, expand_cond(c, x, tm_cdr(x)), tail); return;
    case SF_CASE: compile(c, L, s, expand_case(c, x), tail); return;
    case SF_DO: compile(c, L, s, expand_do(c, x), tail); return;
    case SF_DELAY: compile(c, L, s, expand_delay(c, x, false), tail); return;
    case SF_DELAY_FORCE: compile(c, L, s, expand_delay(c, x, true), tail); return;
    case SF_CONS_STREAM: compile(c, L, s, expand_cons_stream(c, x), tail); return;
    case SF_DEFINE_RECORD_TYPE:
        compile(c, L, s, expand_record_type(c, x), tail);
        return;
    case SF_SET:
        syntax_error(c, x,
                     "set!: mutation is not supported in Termite; state lives "
                     "in processes (paper section 4.6): %s", show(c, x));
    case SF_DEFINE:
        if (s == NULL) {
            compile_global_define(c, L, s, x, tail);
            return;
        }
        syntax_error(c, x, "define is only allowed at the top level or at "
                           "the beginning of a body: %s", show(c, x));
    case SF_DEFINE_SYNTAX:
        if (s == NULL) {
            compile_define_syntax_global(c, L, x, tail);
            return;
        }
        syntax_error(c, x, "define-syntax is not allowed here");
    case SF_DEFINE_MACRO:
        if (s == NULL) {
            compile_define_macro_global(c, L, x, tail);
            return;
        }
        syntax_error(c, x, "define-macro is not allowed here");
    case SF_SYNTAX_RULES:
        syntax_error(c, x, "syntax-rules outside of a macro definition");
    case SF_UNQUOTE:
    case SF_UNQUOTE_SPLICING:
        syntax_error(c, x, "%s outside of quasiquote", special_names[sf]);
    case SF_NONE:
    case SF_COUNT:
        break;
    }
    g_assert_not_reached();
}

static void compile(Compiler *c, Lambda *L, Scope *s, TmValue x, bool tail)
{
    if (tm_is_identifier(x)) {
        compile_ref(c, L, s, x, tail);
        return;
    }
    if (!tm_is_pair(x)) {
        emit_const(c, L, x);
        emit_return(L, tail);
        return;
    }
    int saved_line = L->line;
    set_position(c, L, x);
    TmValue head = tm_car(x);
    if (tm_is_identifier(head)) {
        Res r = resolve(c, s, head);
        if (r.kind == R_SPECIAL) {
            compile_special(c, L, s, x, r.sf, tail);
            L->line = saved_line;
            return;
        }
        if (r.kind == R_MACRO) {
            compile(c, L, s, expand_macro(c, r.macro, x), tail);
            L->line = saved_line;
            return;
        }
    }
    compile_call(c, L, s, x, tail);
    L->line = saved_line;
}

/* ---- bodies ----------------------------------------------------------------- */

/* Scan a body: expand macros at the head of each form, splice begins,
 * bind definitions (in s, so later forms see them) and local macros. */
static void scan_body(Compiler *c, Scope *s, TmValue body, GArray *items)
{
    for (; tm_is_pair(body); body = tm_cdr(body)) {
        TmValue x = tm_car(body);
        for (;;) {
            if (!tm_is_pair(x) || !tm_is_identifier(tm_car(x)))
                break;
            Res r = resolve(c, s, tm_car(x));
            if (r.kind == R_MACRO) {
                x = expand_macro(c, r.macro, x);
                continue;
            }
            if (r.kind != R_SPECIAL)
                break;
            if (r.sf == SF_BEGIN) {
                scan_body(c, s, tm_cdr(x), items);
                goto next;
            }
            if (r.sf == SF_DEFINE_RECORD_TYPE) {
                x = expand_record_type(c, x);
                continue;
            }
            if (r.sf == SF_DEFINE) {
                BodyItem it;
                TmValue name;
                parse_define(c, x, &name, &it.form);
                if (it.form == TM_VOID)
                    it.form = TM_UNASSIGNED;
                it.b = bind(c, s, name, -1);
                g_array_append_val(items, it);
                goto next;
            }
            if (r.sf == SF_DEFINE_SYNTAX) {
                check_form(c, x, list_len(x) == 3, "(define-syntax name spec)");
                Binding *b = bind(c, s, tm_cadr(x), -1);
                b->macro = make_rules_macro(c, s, tm_caddr(x));
                goto next;
            }
            if (r.sf == SF_DEFINE_MACRO) {
                TmValue name;
                TmValue m = make_proc_macro(c, s, x, &name);
                bind(c, s, name, -1)->macro = m;
                goto next;
            }
            break;
        }
        {
            BodyItem it = {NULL, x};
            g_array_append_val(items, it);
        }
    next:;
    }
}

static void compile_body(Compiler *c, Lambda *L, Scope *s, TmValue body, bool tail)
{
    if (list_len(body) < 0)
        syntax_error(c, body, "improper body");
    Scope *bs = new_scope(c, s, L);
    GArray *items = g_array_new(FALSE, FALSE, sizeof(BodyItem));
    scan_body(c, bs, body, items);
    int ndefs = 0;
    for (guint i = 0; i < items->len; i++)
        ndefs += g_array_index(items, BodyItem, i).b != NULL;
    BodyItem *it = (BodyItem *)items->data;
    if (ndefs == 0) {
        if (items->len == 0) {
            emit(L, TM_OP_IMM, TM_IMMI_VOID);
            emit_return(L, tail);
        }
        for (guint i = 0; i < items->len; i++)
            compile(c, L, bs, it[i].form, tail && i == items->len - 1);
    } else {
        int base = L->depth;
        alloc_group(L, it, (int)items->len);
        compile_letrec_items(c, L, bs, it, (int)items->len, tail);
        if (!tail)
            emit_pop(L, ndefs);
        else
            L->depth = base;
    }
    g_array_free(items, TRUE);
}

/* ---- top level ----------------------------------------------------------------- */

static TmValue compile_to_thunk(Compiler *c, Scope *s, TmValue x)
{
    Lambda *L = new_lambda(c, NULL, TM_FALSE);
    set_position(c, L, x);
    if (s == NULL && head_form(c, NULL, x) == SF_BEGIN) {
        /* top-level begin: its definitions stay global */
        TmValue body = tm_cdr(x);
        if (body == TM_NIL)
            compile(c, L, NULL, TM_VOID, false);
        for (; tm_is_pair(body); body = tm_cdr(body)) {
            /* expand each form at top level so define-syntax takes effect
             * before the following forms are compiled */
            compile(c, L, NULL, tm_car(body), false);
        }
    } else {
        compile(c, L, s, x, false);
    }
    /* not a tail call: the form's own frame stays in backtraces, which
     * then show where in the program an error in the library began */
    emit(L, TM_OP_RET, 0);
    Params p = {0};
    p.names = g_ptr_array_new();
    p.defaults = g_ptr_array_new();
    p.keys = g_ptr_array_new();
    p.key_defaults = g_ptr_array_new();
    TmValue code = finish_code(c, L, &p);
    params_free(&p);
    TmValue clo = tm_alloc(c->n, TM_T_CLOSURE, 1);
    TM_SLOT(clo, 0) = code;
    return clo;
}

static TmValue run_thunk(Compiler *c, TmValue thunk)
{
    TmNode *n = c->n;
    n->heap.inhibit++;
    TmValue r = tm_vm_apply(n, thunk, 0, NULL);
    n->heap.inhibit--;
    if (r == TM_EXC)
        propagate(c);
    return r;
}

TmValue tm_compile_toplevel(TmNode *n, TmValue form, TmSourceMap *map)
{
    Compiler c = {0};
    c.n = n;
    c.map = map;
    c.garbage = g_ptr_array_new_with_free_func(g_free);
    c.arrays = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    c.lambdas = g_ptr_array_new_with_free_func((GDestroyNotify)free_lambda);
    TmValue result;
    n->heap.inhibit++;
    if (setjmp(c.fail) == 0)
        result = compile_to_thunk(&c, NULL, form);
    else
        result = TM_EXC;
    n->heap.inhibit--;
    g_ptr_array_free(c.garbage, TRUE);
    g_ptr_array_free(c.arrays, TRUE);
    g_ptr_array_free(c.lambdas, TRUE);
    return result;
}

void tm_compiler_init(TmNode *n)
{
    for (int sf = 1; sf < SF_COUNT; sf++) {
        TmValue sym = tm_intern(n, special_names[sf]);
        intptr_t flags = tm_fixval(TM_SLOT(sym, TM_SYM_FLAGS));
        TM_SLOT(sym, TM_SYM_FLAGS) = tm_fix(flags | (intptr_t)sf << SF_SHIFT);
    }
}

/* A listing of a code object and the code objects in its constants. */
void tm_disassemble(TmNode *n, TmValue code, GString *out)
{
    const uint32_t *w = (const uint32_t *)tm_bytevector_data(TM_SLOT(code, TM_CODE_BYTES));
    size_t len = tm_bytevector_length(TM_SLOT(code, TM_CODE_BYTES)) / 4;
    TmValue consts = TM_SLOT(code, TM_CODE_CONSTS);
    char *name = tm_print_short(n, TM_SLOT(code, TM_CODE_NAME), 40);
    g_string_append_printf(out, "code %s arity %#lx frame %ld free %ld\n", name,
                           (long)tm_fixval(TM_SLOT(code, TM_CODE_ARITY)),
                           (long)tm_fixval(TM_SLOT(code, TM_CODE_FRAMESIZE)),
                           (long)tm_fixval(TM_SLOT(code, TM_CODE_NFREE)));
    g_free(name);
    for (size_t pc = 0; pc < len;) {
        TmOpcode op = tm_insn_op(w[pc]);
        g_string_append_printf(out, "  %4zu %-8s %d", pc, tm_op_name[op],
                               op == TM_OP_ADDI ? tm_addi_constant(tm_insn_a(w[pc]))
                                                : tm_insn_a(w[pc]));
        if (op == TM_OP_LADDI || op == TM_OP_PUSHLADDI)
            g_string_append_printf(out, " %d", tm_addi_constant((int32_t)w[pc + 1]));
        else if (tm_op_size[op] == 2)
            g_string_append_printf(out, " %d", (int32_t)w[pc + 1]);
        if (op == TM_OP_CONST || op == TM_OP_GREF || op == TM_OP_GDEF) {
            char *s = tm_print_short(n, TM_SLOT(consts, tm_insn_a(w[pc])), 40);
            g_string_append_printf(out, "  ; %s", s);
            g_free(s);
        }
        g_string_append_c(out, '\n');
        pc += tm_op_size[op];
    }
    for (size_t i = 0; i < tm_vector_length(consts); i++)
        if (tm_is_code(TM_SLOT(consts, i)))
            tm_disassemble(n, TM_SLOT(consts, i), out);
}
