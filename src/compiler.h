/*
 * compiler.h — from s-expressions to code objects.
 *
 * The compiler expands macros (syntax-rules, define-macro and the built-in
 * derived forms) and emits bytecode (opcodes.def) for flat closures over
 * a heap-frame / stack-cache VM.  See docs/internals/bytecode.md.
 */
#ifndef TM_COMPILER_H
#define TM_COMPILER_H

#include "reader.h"

/* Mark the special-form keywords in the node's symbol table. */
void tm_compiler_init(TmNode *n);

/* Compile one top-level form into a thunk (a closure of no arguments).
 * map (may be NULL) gives source positions for error messages and debug
 * info.  Returns TM_EXC after raising a syntax error whose message starts
 * with "file:line:col: " when the position is known. */
TmValue tm_compile_toplevel(TmNode *n, TmValue form, TmSourceMap *map);

/* Opcodes. */
typedef enum {
#define OP(name, size, doc) TM_OP_##name,
#include "opcodes.def"
#undef OP
    TM_OP__COUNT
} TmOpcode;

extern const uint8_t tm_op_size[TM_OP__COUNT];
extern const char *const tm_op_name[TM_OP__COUNT];

static inline uint32_t tm_insn(TmOpcode op, int32_t a)
{
    return (uint32_t)op | ((uint32_t)a << 8);
}
static inline TmOpcode tm_insn_op(uint32_t w) { return (TmOpcode)(w & 0xff); }
static inline int32_t tm_insn_a(uint32_t w) { return (int32_t)w >> 8; }

/* The operand of ADDI, LADDI and PUSHLADDI: the constant k added, as 2k,
 * plus 1 when the source was a subtraction (- x k') with k = -k', so that
 * an error names the procedure the program called.  2k is k tagged as a
 * fixnum. */
static inline int32_t tm_addi_encode(int32_t k, bool sub) { return k * 2 + (sub ? 1 : 0); }
static inline int32_t tm_addi_constant(int32_t op) { return op >> 1; }
static inline bool tm_addi_is_sub(int32_t op) { return op & 1; }

/* Immediates for the IMM instruction. */
#define TM_IMM_TABLE { TM_FALSE, TM_TRUE, TM_NIL, TM_VOID, TM_DEFAULT, \
                       TM_UNASSIGNED, TM_EOF }
enum { TM_IMMI_FALSE, TM_IMMI_TRUE, TM_IMMI_NIL, TM_IMMI_VOID,
       TM_IMMI_DEFAULT, TM_IMMI_UNASSIGNED, TM_IMMI_EOF };

/* Arity word of a code object. */
static inline intptr_t tm_arity(int nreq, int nopt, bool rest)
{
    return (intptr_t)nreq | (intptr_t)nopt << 16 | (intptr_t)rest << 32;
}



void tm_compiler_bind_inline_prims(TmNode *n);
void tm_disassemble(TmNode *n, TmValue code, GString *out);
#endif
