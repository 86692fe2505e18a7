/*
 * value.h — the representation of Termite values.
 *
 * Every Scheme value is one 64-bit word (TmValue).  The low bits say what
 * the rest of the word is:
 *
 *   ........................................................xxx0  fixnum (63 bits, n << 1)
 *   ........................................................x001  heap object (address + 1)
 *   .......................................payload..kkkkkk11      immediate (kind k)
 *
 * Zero is the fixnum 0, so zero-filled memory is always a valid value.
 * Any C pointer aligned to 2 bytes or more also reads as a fixnum, which is
 * how heap objects keep C pointers in ordinary slots: the collector skips
 * fixnums, so such slots need no special layout.
 *
 * A heap object is a header word followed by `size` payload words.  The
 * header holds the type, the generation bit and the size:
 *
 *   63 ............... 16 | 15..13 | 12 | 11 | 10 ..... 3 | 2 1 0
 *          size (words)   | spare  | R  | O  |    type    | 0 0 0
 *
 * O: the object lives in the old generation.  R: it is in the remembered
 * set.  A header whose low bits are 001 is a forwarding pointer left by the
 * copying collector.  See docs/internals/values.md.
 */
#ifndef TM_VALUE_H
#define TM_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uintptr_t TmValue;
_Static_assert(sizeof(TmValue) == 8, "Termite needs 64-bit words");

/* ---- fixnums ---------------------------------------------------------- */
#define TM_FIXNUM_MAX (INTPTR_MAX >> 1)
#define TM_FIXNUM_MIN (INTPTR_MIN >> 1)

static inline bool tm_is_fixnum(TmValue v) { return (v & 1) == 0; }
static inline TmValue tm_fix(intptr_t n) { return (TmValue)((uintptr_t)n << 1); }
static inline intptr_t tm_fixval(TmValue v) { return (intptr_t)v >> 1; }
static inline bool tm_fixnum_fits(int64_t n)
{
    return n >= TM_FIXNUM_MIN && n <= TM_FIXNUM_MAX;
}

/* ---- immediates ------------------------------------------------------- */
#define TM_IMM(kind, payload) \
    ((TmValue)(((uint64_t)(payload) << 8) | ((uint64_t)(kind) << 2) | 3))
enum { TM_IMM_SPECIAL = 0, TM_IMM_CHAR = 1 };

#define TM_FALSE TM_IMM(TM_IMM_SPECIAL, 0)
#define TM_TRUE TM_IMM(TM_IMM_SPECIAL, 1)
#define TM_NIL TM_IMM(TM_IMM_SPECIAL, 2)
#define TM_EOF TM_IMM(TM_IMM_SPECIAL, 3)
#define TM_VOID TM_IMM(TM_IMM_SPECIAL, 4)       /* unspecified value */
#define TM_DEFAULT TM_IMM(TM_IMM_SPECIAL, 5)    /* #!default: missing optional */
#define TM_UNBOUND TM_IMM(TM_IMM_SPECIAL, 6)    /* global without a value */
#define TM_EXC TM_IMM(TM_IMM_SPECIAL, 7)        /* primitive raised; see vm.h */
#define TM_OPTIONAL TM_IMM(TM_IMM_SPECIAL, 8)   /* the #!optional marker */
#define TM_REST TM_IMM(TM_IMM_SPECIAL, 9)       /* the #!rest marker */
#define TM_KEY TM_IMM(TM_IMM_SPECIAL, 10)       /* the #!key marker */
#define TM_UNASSIGNED TM_IMM(TM_IMM_SPECIAL, 11) /* letrec variable before init */

static inline bool tm_is_imm(TmValue v) { return (v & 3) == 3; }
static inline bool tm_is_char(TmValue v)
{
    return (v & 0xff) == ((TM_IMM_CHAR << 2) | 3);
}
static inline TmValue tm_char(uint32_t cp) { return TM_IMM(TM_IMM_CHAR, cp); }
static inline uint32_t tm_charval(TmValue v) { return (uint32_t)(v >> 8); }
static inline TmValue tm_bool(bool b) { return b ? TM_TRUE : TM_FALSE; }
static inline bool tm_truthy(TmValue v) { return v != TM_FALSE; }

/* ---- heap objects ----------------------------------------------------- */
typedef struct TmObj {
    uintptr_t hdr;
    TmValue slot[];
} TmObj;

/* Object types.  Types up to TM_T_LAST_RAW hold raw bytes the collector
 * never looks at; the others hold only TmValues (C pointers kept in them
 * look like fixnums, see above). */
typedef enum {
    TM_T_FLONUM,     /* raw: double */
    TM_T_BIGNUM,     /* raw: slot0 signed limb count, then GMP limbs */
    TM_T_STRING,     /* raw: slot0 char count, then uint32 code points */
    TM_T_BYTEVECTOR, /* raw: slot0 byte count, then bytes */
    TM_T_LAST_RAW = TM_T_BYTEVECTOR,
    TM_T_PAIR,        /* car, cdr */
    TM_T_RATNUM,      /* numerator, denominator (integers, den > 1) */
    TM_T_SYMBOL,      /* name (string), global value, flags (fixnum) */
    TM_T_KEYWORD,     /* name (string without the colon) */
    TM_T_VECTOR,      /* elements */
    TM_T_CODE,        /* see TmCodeSlot */
    TM_T_CLOSURE,     /* code, free variables... */
    TM_T_PRIMITIVE,   /* fixnum index into the primitive table, name */
    TM_T_FRAME,       /* see TmFrameSlot: a suspended activation */
    TM_T_CONTINUATION,/* frame chain (the captured stack) */
    TM_T_RECORD_TYPE, /* name (symbol), field names (vector), uid (string) */
    TM_T_RECORD,      /* record type, fields... */
    TM_T_PROMISE,     /* done? (bool), value or thunk  [runtime-mutated] */
    TM_T_VALUES,      /* multiple values (count != 1) */
    TM_T_ERROR,       /* see TmErrorSlot */
    TM_T_PARAMETER,   /* default value, converter */
    TM_T_PORT,        /* C TmPort* (as a fixnum-looking word) */
    TM_T_BOX,         /* value  [runtime-mutated] */
    TM_T_MACRO,       /* compile-time transformer, see compiler */
    TM_T_IDENT,       /* renamed identifier made by syntax-rules */
    TM_T_ENVIRONMENT, /* a first-class environment for eval */
    TM_T_PID,         /* process identifier */
    TM_T_TAG,         /* universally unique tag */
    TM_T_NODEREF,     /* node identifier */
    TM_T_PROCESS,     /* process descriptor [runtime-mutated] */
    TM_T_COUNT
} TmType;

#define TM_HDR_TYPE_SHIFT 3
#define TM_HDR_OLD ((uintptr_t)1 << 11)
#define TM_HDR_REMEMBERED ((uintptr_t)1 << 12)
#define TM_HDR_SIZE_SHIFT 16

static inline bool tm_is_obj(TmValue v) { return (v & 7) == 1; }
static inline TmObj *tm_obj(TmValue v) { return (TmObj *)(v - 1); }
static inline TmValue tm_from_obj(TmObj *o) { return (TmValue)o + 1; }
static inline uintptr_t tm_make_hdr(TmType t, size_t size)
{
    return ((uintptr_t)size << TM_HDR_SIZE_SHIFT) |
           ((uintptr_t)t << TM_HDR_TYPE_SHIFT);
}
static inline TmType tm_hdr_type(uintptr_t h)
{
    return (TmType)((h >> TM_HDR_TYPE_SHIFT) & 0xff);
}
static inline size_t tm_hdr_size(uintptr_t h) { return h >> TM_HDR_SIZE_SHIFT; }
static inline TmType tm_obj_type(TmValue v) { return tm_hdr_type(tm_obj(v)->hdr); }
static inline size_t tm_obj_size(TmValue v) { return tm_hdr_size(tm_obj(v)->hdr); }
static inline bool tm_has_type(TmValue v, TmType t)
{
    return tm_is_obj(v) && tm_obj_type(v) == t;
}
static inline TmValue *tm_slots(TmValue v) { return tm_obj(v)->slot; }
#define TM_SLOT(v, i) (tm_obj(v)->slot[i])

/* ---- per-type accessors ----------------------------------------------- */
static inline bool tm_is_pair(TmValue v) { return tm_has_type(v, TM_T_PAIR); }
static inline TmValue tm_car(TmValue p) { return TM_SLOT(p, 0); }
static inline TmValue tm_cdr(TmValue p) { return TM_SLOT(p, 1); }
static inline TmValue tm_cadr(TmValue p) { return tm_car(tm_cdr(p)); }
static inline TmValue tm_cddr(TmValue p) { return tm_cdr(tm_cdr(p)); }
static inline TmValue tm_caddr(TmValue p) { return tm_car(tm_cddr(p)); }

static inline bool tm_is_flonum(TmValue v) { return tm_has_type(v, TM_T_FLONUM); }
static inline double tm_flonum_value(TmValue v)
{
    double d;
    memcpy(&d, &TM_SLOT(v, 0), sizeof d);
    return d;
}
static inline bool tm_is_bignum(TmValue v) { return tm_has_type(v, TM_T_BIGNUM); }
static inline bool tm_is_ratnum(TmValue v) { return tm_has_type(v, TM_T_RATNUM); }

static inline bool tm_is_string(TmValue v) { return tm_has_type(v, TM_T_STRING); }
static inline size_t tm_string_length(TmValue s) { return (size_t)TM_SLOT(s, 0); }
static inline uint32_t *tm_string_chars(TmValue s)
{
    return (uint32_t *)&TM_SLOT(s, 1);
}

static inline bool tm_is_bytevector(TmValue v)
{
    return tm_has_type(v, TM_T_BYTEVECTOR);
}
static inline size_t tm_bytevector_length(TmValue b) { return (size_t)TM_SLOT(b, 0); }
static inline uint8_t *tm_bytevector_data(TmValue b) { return (uint8_t *)&TM_SLOT(b, 1); }

enum { TM_SYM_NAME, TM_SYM_VALUE, TM_SYM_FLAGS, TM_SYM_NSLOTS };
enum { TM_SYMF_INTERNED = 1, TM_SYMF_KEYWORD_COLON = 2 };
static inline bool tm_is_symbol(TmValue v) { return tm_has_type(v, TM_T_SYMBOL); }
static inline TmValue tm_symbol_name(TmValue s) { return TM_SLOT(s, TM_SYM_NAME); }
static inline bool tm_is_keyword(TmValue v) { return tm_has_type(v, TM_T_KEYWORD); }

static inline bool tm_is_vector(TmValue v) { return tm_has_type(v, TM_T_VECTOR); }
static inline size_t tm_vector_length(TmValue v) { return tm_obj_size(v); }
static inline TmValue tm_vector_ref(TmValue v, size_t i) { return TM_SLOT(v, i); }

/* Code objects: everything the VM, the debugger and the marshaller need. */
enum {
    TM_CODE_BYTES,    /* bytevector of 32-bit instruction words */
    TM_CODE_CONSTS,   /* vector of constants */
    TM_CODE_NAME,     /* symbol or #f */
    TM_CODE_ARITY,    /* fixnum: nreq | nopt << 16 | rest << 32 */
    TM_CODE_FRAMESIZE,/* fixnum: max stack words the body needs */
    TM_CODE_LINES,    /* bytevector: (pc, line) pairs as uint32, or #f */
    TM_CODE_FILE,     /* string or #f */
    TM_CODE_NFREE,    /* fixnum: number of free variables of closures */
    TM_CODE_HASH,     /* bytevector content hash, or #f until computed */
    TM_CODE_NSLOTS
};
static inline bool tm_is_code(TmValue v) { return tm_has_type(v, TM_T_CODE); }
static inline bool tm_is_closure(TmValue v) { return tm_has_type(v, TM_T_CLOSURE); }
static inline TmValue tm_closure_code(TmValue c) { return TM_SLOT(c, 0); }
static inline bool tm_is_primitive(TmValue v) { return tm_has_type(v, TM_T_PRIMITIVE); }
static inline bool tm_is_continuation(TmValue v)
{
    return tm_has_type(v, TM_T_CONTINUATION);
}
static inline bool tm_is_procedure(TmValue v)
{
    return tm_is_closure(v) || tm_is_primitive(v) || tm_is_continuation(v) ||
           tm_has_type(v, TM_T_PARAMETER);
}

/* A heap frame is an activation waiting for a value: resume `closure`'s
 * code at `pc` with `slots` as its stack, then return to `parent`. */
enum { TM_FRAME_PARENT, TM_FRAME_CLOSURE, TM_FRAME_PC, TM_FRAME_SLOTS };

enum { TM_RT_NAME, TM_RT_FIELDS, TM_RT_UID, TM_RT_NSLOTS };
static inline bool tm_is_record(TmValue v) { return tm_has_type(v, TM_T_RECORD); }

enum {
    TM_ERR_KIND,      /* symbol: error, read-error, file-error, ... */
    TM_ERR_MESSAGE,   /* string */
    TM_ERR_IRRITANTS, /* list */
    TM_ERR_WHO,       /* symbol naming the procedure, or #f */
    TM_ERR_LOCATION,  /* string "file:line", or #f */
    TM_ERR_NSLOTS
};
static inline bool tm_is_error(TmValue v) { return tm_has_type(v, TM_T_ERROR); }

#endif
