/*
 * num.c — the numeric tower: fixnums, bignums (GMP), exact rationals and
 * flonums; the number syntax (tm_num_parse, tm_num_format) and the numeric
 * primitives.
 *
 * Exact results are always normalized: an integer that fits in a fixnum is
 * a fixnum, a ratio with denominator 1 is an integer, and ratnums are in
 * lowest terms with a denominator > 1.  So eqv? never has to compare a
 * fixnum with a bignum.  GMP writes only to temporaries that are cleared
 * in the function that initialized them; heap bignums are read through
 * mpz_roinit_n views, which need neither allocation nor clearing.
 */
#include "num.h"

#include <float.h>
#include <math.h>

#include "prims.h"

_Static_assert(GMP_NUMB_BITS == 64 && sizeof(mp_limb_t) == sizeof(TmValue),
               "a bignum limb must fill exactly one slot");

/* Results larger than this many bits are refused (expt, arithmetic-shift)
 * rather than left to GMP, which aborts the process when out of memory. */
#define MAX_RESULT_BITS ((uint64_t)1 << 32)

/* tm_num_compare's answer when either operand is a NaN. */
#define UNORDERED 2

/* ---- kinds ------------------------------------------------------------ */

/* The four representations, ordered by contagion: a binary operation works
 * in the larger kind of its two operands. */
typedef enum { K_NONE = -1, K_FIX, K_BIG, K_RAT, K_FLO } Kind;

static Kind kind_of(TmValue v)
{
    if (tm_is_fixnum(v))
        return K_FIX;
    if (!tm_is_obj(v))
        return K_NONE;
    switch (tm_obj_type(v)) {
    case TM_T_BIGNUM:
        return K_BIG;
    case TM_T_RATNUM:
        return K_RAT;
    case TM_T_FLONUM:
        return K_FLO;
    default:
        return K_NONE;
    }
}

bool tm_is_number(TmValue v) { return kind_of(v) != K_NONE; }

bool tm_is_exact_integer(TmValue v)
{
    return tm_is_fixnum(v) || tm_is_bignum(v);
}

bool tm_is_exact(TmValue v) { return !tm_is_flonum(v); }

static bool is_exact_rational(TmValue v)
{
    return tm_is_exact_integer(v) || tm_is_ratnum(v);
}

/* Integer-valued: exact integers and finite integral flonums. */
static bool is_integer(TmValue v)
{
    if (!tm_is_flonum(v))
        return tm_is_exact_integer(v);
    double d = tm_flonum_value(v);
    return isfinite(d) && d == trunc(d);
}

/* -1, 0 or 1; 0 for NaN. */
static int num_sign(TmValue v)
{
    switch (kind_of(v)) {
    case K_FIX:
        return (tm_fixval(v) > 0) - (tm_fixval(v) < 0);
    case K_BIG:
        return (int64_t)TM_SLOT(v, 0) < 0 ? -1 : 1;
    case K_RAT:
        return num_sign(TM_SLOT(v, 0));
    case K_FLO:
        return (tm_flonum_value(v) > 0) - (tm_flonum_value(v) < 0);
    default:
        return 0;
    }
}

/* ---- bignums and GMP views -------------------------------------------- */

/* A bignum is slot 0, the signed limb count (GMP's _mp_size), followed by
 * the magnitude's limbs, least significant first, with no high zero limb. */
static mp_limb_t *big_limbs(TmValue b) { return (mp_limb_t *)&TM_SLOT(b, 1); }
static mp_size_t big_size(TmValue b)
{
    return (mp_size_t)(int64_t)TM_SLOT(b, 0);
}

void tm_bignum_view(TmValue big, mpz_t out)
{
    mpz_roinit_n(out, big_limbs(big), big_size(big));
}

static TmValue alloc_bignum(TmNode *n, mp_size_t size, const mp_limb_t *limbs)
{
    size_t nl = (size_t)(size < 0 ? -size : size);
    TmValue b = tm_alloc(n, TM_T_BIGNUM, 1 + nl);
    TM_SLOT(b, 0) = (TmValue)(int64_t)size;
    memcpy(big_limbs(b), limbs, nl * sizeof(mp_limb_t));
    return b;
}

TmValue tm_make_integer(TmNode *n, int64_t i)
{
    if (tm_fixnum_fits(i))
        return tm_fix((intptr_t)i);
    mp_limb_t mag = i < 0 ? -(mp_limb_t)i : (mp_limb_t)i;
    return alloc_bignum(n, i < 0 ? -1 : 1, &mag);
}

TmValue tm_integer_from_mpz(TmNode *n, const mpz_t z)
{
    if (mpz_fits_slong_p(z))
        return tm_make_integer(n, mpz_get_si(z));
    mp_size_t nl = (mp_size_t)mpz_size(z);
    return alloc_bignum(n, mpz_sgn(z) < 0 ? -nl : nl, mpz_limbs_read(z));
}

/* A read-only mpz for any exact integer.  A fixnum borrows the view's own
 * limb, so the view must stay where it is while the mpz is in use. */
typedef struct {
    mpz_t z;
    mp_limb_t limb;
} IntView;

static mpz_srcptr int_view(IntView *iv, TmValue v)
{
    if (!tm_is_fixnum(v)) {
        tm_bignum_view(v, iv->z);
        return iv->z;
    }
    intptr_t x = tm_fixval(v);
    iv->limb = x < 0 ? -(mp_limb_t)x : (mp_limb_t)x;
    return mpz_roinit_n(iv->z, &iv->limb, x < 0 ? -1 : x > 0);
}

/* A read-only mpq for any exact rational (an integer has denominator 1).
 * GMP 6.2 has no mpq_roinit_zz, so the two mpz views are copied in. */
typedef struct {
    IntView num, den;
    mpq_t q;
} RatView;

static mpq_srcptr rat_view(RatView *rv, TmValue v)
{
    TmValue num = v, den = tm_fix(1);
    if (tm_is_ratnum(v)) {
        num = TM_SLOT(v, 0);
        den = TM_SLOT(v, 1);
    }
    *mpq_numref(rv->q) = *int_view(&rv->num, num);
    *mpq_denref(rv->q) = *int_view(&rv->den, den);
    return rv->q;
}

/* num and den must already be normalized (den > 1, coprime). */
static TmValue make_ratnum(TmNode *n, TmValue num, TmValue den)
{
    TmValue r = tm_alloc(n, TM_T_RATNUM, 2);
    TM_SLOT(r, 0) = num;
    TM_SLOT(r, 1) = den;
    return r;
}

/* q must be canonical, as every mpq operation on canonical inputs is. */
static TmValue rational_from_mpq(TmNode *n, mpq_srcptr q)
{
    if (mpz_cmp_ui(mpq_denref(q), 1) == 0)
        return tm_integer_from_mpz(n, mpq_numref(q));
    TmValue num = tm_integer_from_mpz(n, mpq_numref(q));
    TmValue den = tm_integer_from_mpz(n, mpq_denref(q));
    return make_ratnum(n, num, den);
}

static uint64_t magnitude(int64_t x)
{
    return x < 0 ? -(uint64_t)x : (uint64_t)x;
}

static uint64_t gcd_u64(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* x / y for fixnum values, y != 0: no int64 operation here can overflow
 * since fixnums have only 63 bits. */
static TmValue fix_ratio(TmNode *n, int64_t x, int64_t y)
{
    if (x % y == 0)
        return tm_make_integer(n, x / y);
    int64_t g = (int64_t)gcd_u64(magnitude(x), magnitude(y));
    x /= g;
    y /= g;
    if (y < 0) {
        x = -x;
        y = -y;
    }
    return make_ratnum(n, tm_make_integer(n, x), tm_make_integer(n, y));
}

/* ---- exact <-> inexact ------------------------------------------------ */

/* The double nearest to q * 2^shift, where q > 0 has at least 54 bits and
 * `sticky` says the true value is a little above q * 2^shift.  Rounding to
 * nearest-even happens once, on the integer, with the precision the result
 * really has (fewer than 53 bits for subnormals), so there is no double
 * rounding; ldexp of the rounded integer is then exact. */
static double round_scaled(mpz_srcptr q, long shift, bool sticky)
{
    long nb = (long)mpz_sizeinbase(q, 2);
    long e = shift + nb - 1; /* exponent of the leading bit */
    if (e > 1024)
        return HUGE_VAL;
    if (e < -1075)
        return 0.0;
    long p = e < -1022 ? e + 1075 : 53; /* bits the double can hold */
    long drop = nb - p;                  /* >= 1 */
    mpz_t m;
    mpz_init(m);
    mpz_tdiv_q_2exp(m, q, (mp_bitcnt_t)drop);
    bool half = mpz_tstbit(q, (mp_bitcnt_t)drop - 1);
    bool rest = sticky || mpz_scan1(q, 0) < (mp_bitcnt_t)drop - 1;
    if (half && (rest || mpz_odd_p(m)))
        mpz_add_ui(m, m, 1);
    double d = ldexp((double)mpz_get_ui(m), (int)(shift + drop));
    mpz_clear(m);
    return d;
}

static double integer_to_double(mpz_srcptr z)
{
    if (mpz_sizeinbase(z, 2) <= 53)
        return mpz_get_d(z); /* exact */
    mpz_t mag;
    mpz_roinit_n(mag, mpz_limbs_read(z), (mp_size_t)mpz_size(z));
    double d = round_scaled(mag, 0, false);
    return mpz_sgn(z) < 0 ? -d : d;
}

/* Scale num/den so that the integer quotient has 55 or 56 bits, and round
 * that with the remainder as the sticky bit. */
static double rational_to_double(mpq_srcptr q)
{
    mpz_srcptr num = mpq_numref(q), den = mpq_denref(q);
    long nb = (long)mpz_sizeinbase(num, 2), db = (long)mpz_sizeinbase(den, 2);
    if (nb <= 53 && db <= 53) /* both exact: IEEE division rounds once */
        return mpz_get_d(num) / mpz_get_d(den);
    long shift = nb - db - 55;
    mpz_t mag, t, quo, rem;
    mpz_roinit_n(mag, mpz_limbs_read(num), (mp_size_t)mpz_size(num));
    mpz_inits(t, quo, rem, NULL);
    if (shift >= 0) {
        mpz_mul_2exp(t, den, (mp_bitcnt_t)shift);
        mpz_tdiv_qr(quo, rem, mag, t);
    } else {
        mpz_mul_2exp(t, mag, (mp_bitcnt_t)-shift);
        mpz_tdiv_qr(quo, rem, t, den);
    }
    double d = round_scaled(quo, shift, mpz_sgn(rem) != 0);
    mpz_clears(t, quo, rem, NULL);
    return mpz_sgn(num) < 0 ? -d : d;
}

double tm_num_to_double(TmValue v)
{
    IntView iv;
    RatView rv;
    switch (kind_of(v)) {
    case K_FIX:
        return (double)tm_fixval(v); /* the conversion rounds correctly */
    case K_BIG:
        return integer_to_double(int_view(&iv, v));
    case K_RAT:
        return rational_to_double(rat_view(&rv, v));
    case K_FLO:
        return tm_flonum_value(v);
    default:
        return NAN;
    }
}

static TmValue to_inexact(TmNode *n, TmValue v)
{
    return tm_is_flonum(v) ? v : tm_make_flonum(n, tm_num_to_double(v));
}

/* The exact number equal to a finite double: every double is a dyadic
 * rational, and mpq_set_d converts without rounding. */
static TmValue exact_from_double(TmNode *n, double d)
{
    if (d == trunc(d) && fabs(d) < 0x1p62)
        return tm_fix((intptr_t)d);
    mpq_t q;
    mpq_init(q);
    mpq_set_d(q, d);
    mpq_canonicalize(q);
    TmValue v = rational_from_mpq(n, q);
    mpq_clear(q);
    return v;
}

/* ---- errors ----------------------------------------------------------- */

static TmValue no_complex(TmNode *n, const char *who, TmValue v)
{
    return tm_error(n, who, "no complex numbers", tm_cons(n, v, TM_NIL));
}

static TmValue div_by_zero(TmNode *n, const char *who)
{
    return tm_errorf(n, who, "division by zero");
}

/* Every argument must be a number; TM_EXC after raising otherwise. */
static TmValue check_numbers(TmNode *n, const char *who, int argc,
                             TmValue *argv)
{
    for (int i = 0; i < argc; i++)
        if (!tm_is_number(argv[i]))
            return tm_type_error(n, who, i + 1, "number", argv[i]);
    return TM_VOID;
}

/* ---- the four operations ---------------------------------------------- */

typedef enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV } Op;
static const char *const op_name[] = {"+", "-", "*", "/"};

static double flo_op(Op op, double x, double y)
{
    switch (op) {
    case OP_ADD:
        return x + y;
    case OP_SUB:
        return x - y;
    case OP_MUL:
        return x * y;
    default:
        return x / y;
    }
}

static TmValue int_op(TmNode *n, Op op, TmValue a, TmValue b)
{
    IntView va, vb;
    mpz_srcptr x = int_view(&va, a), y = int_view(&vb, b);
    mpz_t r;
    mpz_init(r);
    if (op == OP_ADD)
        mpz_add(r, x, y);
    else if (op == OP_SUB)
        mpz_sub(r, x, y);
    else
        mpz_mul(r, x, y);
    TmValue v = tm_integer_from_mpz(n, r);
    mpz_clear(r);
    return v;
}

/* For OP_DIV the divisor is known not to be zero (mpq_div would trap). */
static TmValue rat_op(TmNode *n, Op op, TmValue a, TmValue b)
{
    RatView va, vb;
    mpq_srcptr x = rat_view(&va, a), y = rat_view(&vb, b);
    mpq_t r;
    mpq_init(r);
    switch (op) {
    case OP_ADD:
        mpq_add(r, x, y);
        break;
    case OP_SUB:
        mpq_sub(r, x, y);
        break;
    case OP_MUL:
        mpq_mul(r, x, y);
        break;
    case OP_DIV:
        mpq_div(r, x, y);
        break;
    }
    TmValue v = rational_from_mpq(n, r);
    mpq_clear(r);
    return v;
}

/* Sums and differences of two 63-bit values fit in 64 bits; only products
 * need an overflow check. */
static TmValue fix_op(TmNode *n, Op op, int64_t x, int64_t y)
{
    int64_t r;
    switch (op) {
    case OP_ADD:
        return tm_make_integer(n, x + y);
    case OP_SUB:
        return tm_make_integer(n, x - y);
    case OP_MUL:
        if (__builtin_mul_overflow(x, y, &r))
            return int_op(n, op, tm_fix(x), tm_fix(y));
        return tm_make_integer(n, r);
    default:
        return fix_ratio(n, x, y);
    }
}

/* Any flonum operand makes the operation inexact (so (/ 1.0 0) is +inf.0);
 * an exact division by exact zero is an error. */
static TmValue arith(TmNode *n, Op op, TmValue a, TmValue b)
{
    Kind ka = kind_of(a), kb = kind_of(b);
    if (ka == K_NONE)
        return tm_type_error(n, op_name[op], 1, "number", a);
    if (kb == K_NONE)
        return tm_type_error(n, op_name[op], 2, "number", b);
    if (ka == K_FLO || kb == K_FLO)
        return tm_make_flonum(n, flo_op(op, tm_num_to_double(a),
                                        tm_num_to_double(b)));
    if (op == OP_DIV && b == tm_fix(0))
        return div_by_zero(n, "/");
    if (ka == K_FIX && kb == K_FIX)
        return fix_op(n, op, tm_fixval(a), tm_fixval(b));
    if (ka == K_RAT || kb == K_RAT || op == OP_DIV)
        return rat_op(n, op, a, b);
    return int_op(n, op, a, b);
}

TmValue tm_num_add(TmNode *n, TmValue a, TmValue b)
{
    return arith(n, OP_ADD, a, b);
}

TmValue tm_num_sub(TmNode *n, TmValue a, TmValue b)
{
    return arith(n, OP_SUB, a, b);
}

TmValue tm_num_mul(TmNode *n, TmValue a, TmValue b)
{
    return arith(n, OP_MUL, a, b);
}

TmValue tm_num_div(TmNode *n, TmValue a, TmValue b)
{
    return arith(n, OP_DIV, a, b);
}


/* 0 - x would turn -0.0 into 0.0. */
static TmValue num_negate(TmNode *n, TmValue v)
{
    if (tm_is_flonum(v))
        return tm_make_flonum(n, -tm_flonum_value(v));
    return arith(n, OP_SUB, tm_fix(0), v);
}

/* ---- comparison ------------------------------------------------------- */

static int cmp_double(double x, double y)
{
    if (isnan(x) || isnan(y))
        return UNORDERED;
    return (x > y) - (x < y);
}

/* Exact against inexact compares exactly: converting the exact number to a
 * double could make 2^53 + 1 equal to 2^53. */
static int cmp_exact_double(TmValue x, double d)
{
    if (isnan(d))
        return UNORDERED;
    if (isinf(d))
        return d > 0 ? -1 : 1;
    if (tm_is_fixnum(x) && llabs(tm_fixval(x)) <= ((int64_t)1 << 53))
        return cmp_double((double)tm_fixval(x), d);
    RatView rv;
    mpq_t q;
    mpq_init(q);
    mpq_set_d(q, d);
    int c = mpq_cmp(rat_view(&rv, x), q);
    mpq_clear(q);
    return (c > 0) - (c < 0);
}

/* a and b must be numbers. */
static int cmp_numbers(TmValue a, TmValue b)
{
    Kind ka = kind_of(a), kb = kind_of(b);
    if (ka == K_FIX && kb == K_FIX)
        return (tm_fixval(a) > tm_fixval(b)) - (tm_fixval(a) < tm_fixval(b));
    if (ka == K_FLO && kb == K_FLO)
        return cmp_double(tm_flonum_value(a), tm_flonum_value(b));
    if (kb == K_FLO)
        return cmp_exact_double(a, tm_flonum_value(b));
    if (ka == K_FLO) {
        int c = cmp_exact_double(b, tm_flonum_value(a));
        return c == UNORDERED ? c : -c;
    }
    int c;
    if (ka == K_RAT || kb == K_RAT) {
        RatView va, vb;
        c = mpq_cmp(rat_view(&va, a), rat_view(&vb, b));
    } else {
        IntView va, vb;
        c = mpz_cmp(int_view(&va, a), int_view(&vb, b));
    }
    return (c > 0) - (c < 0);
}

/* Returns UNORDERED (2) when either operand is a NaN: callers implementing
 * < <= = >= > must then answer #f whatever the relation. */
int tm_num_compare(TmNode *n, const char *who, TmValue a, TmValue b, bool *err)
{
    if (!tm_is_number(a) || !tm_is_number(b)) {
        bool first = !tm_is_number(a);
        tm_type_error(n, who, first ? 1 : 2, "number", first ? a : b);
        *err = true;
        return 0;
    }
    return cmp_numbers(a, b);
}

/* eqv? distinguishes exactness and -0.0 from 0.0, and takes every NaN to
 * be the same NaN. */
bool tm_num_eqv(TmValue a, TmValue b)
{
    if (a == b)
        return true;
    Kind k = kind_of(a);
    if (k != kind_of(b))
        return false;
    switch (k) {
    case K_FLO: {
        double x = tm_flonum_value(a), y = tm_flonum_value(b);
        return (isnan(x) && isnan(y)) || memcmp(&x, &y, sizeof x) == 0;
    }
    case K_BIG:
        return big_size(a) == big_size(b) &&
               mpn_cmp(big_limbs(a), big_limbs(b), llabs(big_size(a))) == 0;
    case K_RAT:
        return tm_num_eqv(TM_SLOT(a, 0), TM_SLOT(b, 0)) &&
               tm_num_eqv(TM_SLOT(a, 1), TM_SLOT(b, 1));
    default:
        return false;
    }
}

/* ---- integer division ------------------------------------------------- */

/* An integer argument: an exact integer, or an integral flonum that is
 * worked on exactly and sets *inexact so the result is made inexact. */
static bool int_arg(TmNode *n, const char *who, int argno, TmValue v,
                    TmValue *out, bool *inexact)
{
    if (tm_is_exact_integer(v)) {
        *out = v;
        return true;
    }
    if (!is_integer(v)) {
        tm_type_error(n, who, argno, "integer", v);
        return false;
    }
    *inexact = true;
    *out = exact_from_double(n, tm_flonum_value(v));
    return true;
}

static void fix_divide(TmNode *n, int64_t x, int64_t y, bool floor_mode,
                       TmValue qr[2])
{
    int64_t q = x / y, r = x % y;
    if (floor_mode && r != 0 && (r < 0) != (y < 0)) {
        q -= 1;
        r += y;
    }
    qr[0] = tm_make_integer(n, q);
    qr[1] = tm_make_integer(n, r);
}

static void big_divide(TmNode *n, TmValue a, TmValue b, bool floor_mode,
                       TmValue qr[2])
{
    IntView va, vb;
    mpz_t q, r;
    mpz_inits(q, r, NULL);
    if (floor_mode)
        mpz_fdiv_qr(q, r, int_view(&va, a), int_view(&vb, b));
    else
        mpz_tdiv_qr(q, r, int_view(&va, a), int_view(&vb, b));
    qr[0] = tm_integer_from_mpz(n, q);
    qr[1] = tm_integer_from_mpz(n, r);
    mpz_clears(q, r, NULL);
}

/* Quotient and remainder of a / b rounded toward zero or, in floor_mode,
 * toward negative infinity.  Returns false after raising. */
static bool int_divide(TmNode *n, const char *who, TmValue a, TmValue b,
                       bool floor_mode, TmValue qr[2])
{
    bool inexact = false;
    if (!int_arg(n, who, 1, a, &a, &inexact) ||
        !int_arg(n, who, 2, b, &b, &inexact))
        return false;
    if (b == tm_fix(0)) {
        div_by_zero(n, who);
        return false;
    }
    if (tm_is_fixnum(a) && tm_is_fixnum(b))
        fix_divide(n, tm_fixval(a), tm_fixval(b), floor_mode, qr);
    else
        big_divide(n, a, b, floor_mode, qr);
    if (inexact) {
        qr[0] = to_inexact(n, qr[0]);
        qr[1] = to_inexact(n, qr[1]);
    }
    return true;
}

/* which: 0 the quotient, 1 the remainder, 2 both as two values. */
static TmValue divide_prim(TmNode *n, const char *who, TmValue *argv,
                           bool floor_mode, int which)
{
    TmValue qr[2];
    if (!int_divide(n, who, argv[0], argv[1], floor_mode, qr))
        return TM_EXC;
    return which == 2 ? tm_make_values(n, 2, qr) : qr[which];
}

/* ---- gcd, lcm --------------------------------------------------------- */

static TmValue gcd2(TmNode *n, TmValue a, TmValue b, bool lcm)
{
    if (!lcm && tm_is_fixnum(a) && tm_is_fixnum(b)) {
        uint64_t g = gcd_u64(magnitude(tm_fixval(a)), magnitude(tm_fixval(b)));
        return tm_make_integer(n, (int64_t)g);
    }
    IntView va, vb;
    mpz_t r;
    mpz_init(r);
    if (lcm)
        mpz_lcm(r, int_view(&va, a), int_view(&vb, b));
    else
        mpz_gcd(r, int_view(&va, a), int_view(&vb, b));
    TmValue v = tm_integer_from_mpz(n, r);
    mpz_clear(r);
    return v;
}

static TmValue gcd_prim(TmNode *n, const char *who, int argc, TmValue *argv,
                        bool lcm)
{
    TmValue acc = tm_fix(lcm ? 1 : 0);
    bool inexact = false;
    for (int i = 0; i < argc; i++) {
        TmValue v;
        if (!int_arg(n, who, i + 1, argv[i], &v, &inexact))
            return TM_EXC;
        acc = gcd2(n, acc, v, lcm);
    }
    return inexact ? to_inexact(n, acc) : acc;
}

/* ---- rounding --------------------------------------------------------- */

typedef enum { R_FLOOR, R_CEILING, R_ROUND, R_TRUNCATE } RoundMode;

/* round() goes away from zero on ties; R7RS wants ties to even. */
static double round_double(double d, RoundMode m)
{
    switch (m) {
    case R_FLOOR:
        return floor(d);
    case R_CEILING:
        return ceil(d);
    case R_TRUNCATE:
        return trunc(d);
    default:
        if (fabs(d - trunc(d)) == 0.5)
            return 2.0 * round(d / 2.0);
        return round(d);
    }
}

static TmValue round_ratnum(TmNode *n, TmValue v, RoundMode m)
{
    RatView rv;
    mpq_srcptr q = rat_view(&rv, v);
    mpz_srcptr num = mpq_numref(q), den = mpq_denref(q);
    mpz_t z, r;
    mpz_inits(z, r, NULL);
    if (m == R_FLOOR) {
        mpz_fdiv_q(z, num, den);
    } else if (m == R_CEILING) {
        mpz_cdiv_q(z, num, den);
    } else if (m == R_TRUNCATE) {
        mpz_tdiv_q(z, num, den);
    } else {
        mpz_fdiv_qr(z, r, num, den);
        mpz_mul_2exp(r, r, 1);
        int c = mpz_cmp(r, den);
        if (c > 0 || (c == 0 && mpz_odd_p(z)))
            mpz_add_ui(z, z, 1);
    }
    TmValue res = tm_integer_from_mpz(n, z);
    mpz_clears(z, r, NULL);
    return res;
}

static TmValue round_prim(TmNode *n, const char *who, TmValue v, RoundMode m)
{
    switch (kind_of(v)) {
    case K_FIX:
    case K_BIG:
        return v;
    case K_RAT:
        return round_ratnum(n, v, m);
    case K_FLO:
        return tm_make_flonum(n, round_double(tm_flonum_value(v), m));
    default:
        return tm_type_error(n, who, 1, "number", v);
    }
}

/* ---- rationalize ------------------------------------------------------ */

/* The simplest rational in [lo, hi], 0 < lo <= hi: its continued fraction
 * is the common prefix of those of lo and hi, closed by the smallest
 * integer that fits.  The convergents h/k are built on the way, so this is
 * a loop rather than the textbook recursion. */
static void simplest_positive(mpq_t out, mpq_srcptr lo0, mpq_srcptr hi0)
{
    mpq_t lo, hi, t;
    mpz_t fl, flh, h0, h1, k0, k1;
    mpq_inits(lo, hi, t, NULL);
    mpz_inits(fl, flh, NULL);
    mpz_init_set_ui(h0, 0);
    mpz_init_set_ui(h1, 1);
    mpz_init_set_ui(k0, 1);
    mpz_init_set_ui(k1, 0);
    mpq_set(lo, lo0);
    mpq_set(hi, hi0);
    for (;;) {
        bool done = mpz_cmp_ui(mpq_denref(lo), 1) == 0;
        mpz_fdiv_q(fl, mpq_numref(lo), mpq_denref(lo));
        if (!done) {
            mpz_fdiv_q(flh, mpq_numref(hi), mpq_denref(hi));
            if (mpz_cmp(fl, flh) < 0) {
                mpz_add_ui(fl, fl, 1);
                done = true;
            }
        }
        mpz_addmul(h0, fl, h1); /* h1, h0 = fl*h1 + h0, h1 */
        mpz_swap(h0, h1);
        mpz_addmul(k0, fl, k1);
        mpz_swap(k0, k1);
        if (done)
            break;
        mpq_set_z(t, fl); /* lo, hi = 1/(hi - fl), 1/(lo - fl) */
        mpq_sub(hi, hi, t);
        mpq_sub(lo, lo, t);
        mpq_swap(lo, hi);
        mpq_inv(lo, lo);
        mpq_inv(hi, hi);
    }
    mpq_set_num(out, h1);
    mpq_set_den(out, k1);
    mpq_canonicalize(out);
    mpq_clears(lo, hi, t, NULL);
    mpz_clears(fl, flh, h0, h1, k0, k1, NULL);
}

static void simplest_between(mpq_t out, mpq_t lo, mpq_t hi)
{
    if (mpq_sgn(lo) > 0) {
        simplest_positive(out, lo, hi);
    } else if (mpq_sgn(hi) < 0) {
        mpq_neg(lo, lo);
        mpq_neg(hi, hi);
        simplest_positive(out, hi, lo);
        mpq_neg(out, out);
    } else {
        mpq_set_ui(out, 0, 1);
    }
}

static TmValue rationalize_exact(TmNode *n, TmValue x, TmValue y)
{
    RatView vx, vy;
    mpq_t lo, hi, r, ay;
    mpq_inits(lo, hi, r, ay, NULL);
    mpq_abs(ay, rat_view(&vy, y));
    mpq_sub(lo, rat_view(&vx, x), ay);
    mpq_add(hi, rat_view(&vx, x), ay);
    simplest_between(r, lo, hi);
    TmValue v = rational_from_mpq(n, r);
    mpq_clears(lo, hi, r, ay, NULL);
    return v;
}

/* Infinities and NaNs follow R7RS: (rationalize +inf.0 3) is +inf.0,
 * (rationalize 3 +inf.0) is 0.0. */
TM_PRIM(p_rationalize)
{
    if (check_numbers(n, "rationalize", argc, argv) == TM_EXC)
        return TM_EXC;
    TmValue x = argv[0], y = argv[1];
    if (tm_is_exact(x) && tm_is_exact(y))
        return rationalize_exact(n, x, y);
    double dx = tm_num_to_double(x), dy = tm_num_to_double(y);
    if (isnan(dx) || isnan(dy) || (isinf(dx) && isinf(dy)))
        return tm_make_flonum(n, NAN);
    if (isinf(dx))
        return tm_make_flonum(n, dx);
    if (isinf(dy))
        return tm_make_flonum(n, 0.0);
    TmValue r = rationalize_exact(n, exact_from_double(n, dx),
                                  exact_from_double(n, dy));
    return to_inexact(n, r);
}

/* ---- exponentials, logarithms, trigonometry --------------------------- */

static const double LN2 = 0.693147180559945309417232121458176568;

/* log of a positive integer of any size: huge ones are scaled down by a
 * power of two first so the double does not overflow. */
static double log_integer(mpz_srcptr z)
{
    size_t nb = mpz_sizeinbase(z, 2);
    if (nb < 1000)
        return log(integer_to_double(z));
    mpz_t t;
    mpz_init(t);
    mpz_tdiv_q_2exp(t, z, nb - 64);
    double d = log(mpz_get_d(t)) + (double)(nb - 64) * LN2;
    mpz_clear(t);
    return d;
}

/* log of a positive exact number whose double may over- or underflow. */
static double log_exact(TmValue v)
{
    double d = tm_num_to_double(v);
    if (isfinite(d) && d >= DBL_MIN)
        return log(d);
    RatView rv;
    mpq_srcptr q = rat_view(&rv, v);
    return log_integer(mpq_numref(q)) - log_integer(mpq_denref(q));
}

/* The natural log of a real in *out; false after raising. */
static bool real_log(TmNode *n, const char *who, int argno, TmValue v,
                     double *out)
{
    if (!tm_is_number(v)) {
        tm_type_error(n, who, argno, "number", v);
        return false;
    }
    if (num_sign(v) < 0) {
        no_complex(n, who, v);
        return false;
    }
    if (tm_is_flonum(v) || v == tm_fix(0))
        *out = log(tm_num_to_double(v));
    else
        *out = log_exact(v);
    return true;
}

/* log2 and log10 are exact on powers of their base, where the quotient
 * of two logarithms can be an ulp off: (log 8 2) must be 3.0. */
static double log_base(TmValue v, double logv, TmValue base, double logb)
{
    double d = tm_num_to_double(v);
    bool plain = isfinite(d) && d > 0;
    if (plain && base == tm_fix(2))
        return log2(d);
    if (plain && base == tm_fix(10))
        return log10(d);
    return logv / logb;
}

TM_PRIM(p_log)
{
    double x, b;
    if (argc == 1 && argv[0] == tm_fix(1))
        return tm_fix(0);
    if (!real_log(n, "log", 1, argv[0], &x))
        return TM_EXC;
    if (argc == 1)
        return tm_make_flonum(n, x);
    if (!real_log(n, "log", 2, argv[1], &b))
        return TM_EXC;
    return tm_make_flonum(n, log_base(argv[0], x, argv[1], b));
}

/* A one-argument flonum function.  The exact argument `ex_in` gives the
 * exact result `ex_out` ((exp 0) is 1, (sin 0) is 0); `unit` functions
 * (asin, acos) have no real value outside [-1, 1]. */
static TmValue math1(TmNode *n, const char *who, TmValue v,
                     double (*fn)(double), intptr_t ex_in, intptr_t ex_out,
                     bool unit)
{
    if (!tm_is_number(v))
        return tm_type_error(n, who, 1, "number", v);
    if (v == tm_fix(ex_in))
        return tm_fix(ex_out);
    double d = tm_num_to_double(v);
    if (unit && fabs(d) > 1.0)
        return no_complex(n, who, v);
    return tm_make_flonum(n, fn(d));
}

TM_PRIM(p_exp) { return math1(n, "exp", argv[0], exp, 0, 1, false); }
TM_PRIM(p_sin) { return math1(n, "sin", argv[0], sin, 0, 0, false); }
TM_PRIM(p_cos) { return math1(n, "cos", argv[0], cos, 0, 1, false); }
TM_PRIM(p_tan) { return math1(n, "tan", argv[0], tan, 0, 0, false); }
TM_PRIM(p_asin) { return math1(n, "asin", argv[0], asin, 0, 0, true); }
TM_PRIM(p_acos) { return math1(n, "acos", argv[0], acos, 1, 0, true); }

TM_PRIM(p_atan)
{
    if (argc == 1)
        return math1(n, "atan", argv[0], atan, 0, 0, false);
    if (check_numbers(n, "atan", argc, argv) == TM_EXC)
        return TM_EXC;
    if (argv[0] == tm_fix(0) && num_sign(argv[1]) > 0 && tm_is_exact(argv[1]))
        return tm_fix(0);
    return tm_make_flonum(n, atan2(tm_num_to_double(argv[0]),
                                   tm_num_to_double(argv[1])));
}

/* ---- square roots ----------------------------------------------------- */

/* The exact root of an exact number >= 0 that is a perfect square (num
 * and den both squares), else #f. */
static TmValue exact_sqrt(TmNode *n, TmValue v)
{
    RatView rv;
    mpq_srcptr q = rat_view(&rv, v);
    if (!mpz_perfect_square_p(mpq_numref(q)) ||
        !mpz_perfect_square_p(mpq_denref(q)))
        return TM_FALSE;
    mpq_t r;
    mpq_init(r);
    mpz_sqrt(mpq_numref(r), mpq_numref(q));
    mpz_sqrt(mpq_denref(r), mpq_denref(q));
    TmValue res = rational_from_mpq(n, r);
    mpq_clear(r);
    return res;
}

/* The root of an exact number > 0 that is no perfect square.  When its
 * double would over- or underflow, the number is first scaled exactly by
 * 4^k into the double range, and the root scaled back by 2^-k. */
static double inexact_sqrt(TmValue v)
{
    double d = tm_num_to_double(v);
    if (isfinite(d) && d >= DBL_MIN)
        return sqrt(d);
    RatView rv;
    mpq_srcptr q = rat_view(&rv, v);
    long k = ((long)mpz_sizeinbase(mpq_denref(q), 2) -
              (long)mpz_sizeinbase(mpq_numref(q), 2)) / 2;
    mpq_t s;
    mpq_init(s);
    if (k >= 0)
        mpq_mul_2exp(s, q, (mp_bitcnt_t)(2 * k));
    else
        mpq_div_2exp(s, q, (mp_bitcnt_t)(-2 * k));
    d = ldexp(sqrt(rational_to_double(s)), (int)-k);
    mpq_clear(s);
    return d;
}

/* Without complex numbers the root of a negative number is an error; -0.0
 * is not negative and its root is -0.0. */
TM_PRIM(p_sqrt)
{
    TmValue v = argv[0];
    if (!tm_is_number(v))
        return tm_type_error(n, "sqrt", 1, "number", v);
    if (num_sign(v) < 0)
        return no_complex(n, "sqrt", v);
    if (tm_is_flonum(v))
        return tm_make_flonum(n, sqrt(tm_flonum_value(v)));
    TmValue r = exact_sqrt(n, v);
    return r != TM_FALSE ? r : tm_make_flonum(n, inexact_sqrt(v));
}

TM_PRIM(p_exact_integer_sqrt)
{
    TmValue v = argv[0];
    if (!tm_is_exact_integer(v) || num_sign(v) < 0)
        return tm_type_error(n, "exact-integer-sqrt", 1,
                             "nonnegative exact integer", v);
    IntView iv;
    mpz_t s, r;
    mpz_inits(s, r, NULL);
    mpz_sqrtrem(s, r, int_view(&iv, v));
    TmValue res[2] = {tm_integer_from_mpz(n, s), tm_integer_from_mpz(n, r)};
    mpz_clears(s, r, NULL);
    return tm_make_values(n, 2, res);
}

/* ---- expt ------------------------------------------------------------- */

static size_t magnitude_bits(TmValue v)
{
    RatView rv;
    mpq_srcptr q = rat_view(&rv, v);
    size_t a = mpz_sizeinbase(mpq_numref(q), 2);
    size_t b = mpz_sizeinbase(mpq_denref(q), 2);
    return a > b ? a : b;
}

static bool is_odd(TmValue v)
{
    if (tm_is_fixnum(v))
        return tm_fixval(v) & 1;
    if (tm_is_bignum(v))
        return big_limbs(v)[0] & 1;
    return fmod(tm_flonum_value(v), 2.0) != 0.0;
}

/* b^e for exact b and exact integer e, computed exactly; 0, 1 and -1 are
 * the only bases that allow a bignum exponent. */
static TmValue exact_expt(TmNode *n, TmValue b, TmValue e)
{
    if (e == tm_fix(0))
        return tm_fix(1);
    if (b == tm_fix(0) && num_sign(e) < 0)
        return div_by_zero(n, "expt");
    if (b == tm_fix(0) || b == tm_fix(1))
        return b;
    if (b == tm_fix(-1))
        return is_odd(e) ? b : tm_fix(1);
    intptr_t k = tm_is_fixnum(e) ? tm_fixval(e) : TM_FIXNUM_MAX;
    uint64_t mag = k < 0 ? -(uint64_t)k : (uint64_t)k;
    if (!tm_is_fixnum(e) ||
        (double)magnitude_bits(b) * (double)mag > (double)MAX_RESULT_BITS)
        return tm_errorf(n, "expt", "result too large");
    RatView rv;
    mpq_srcptr q = rat_view(&rv, b);
    mpq_t r;
    mpq_init(r);
    mpz_pow_ui(mpq_numref(r), mpq_numref(q), mag);
    mpz_pow_ui(mpq_denref(r), mpq_denref(q), mag);
    if (k < 0)
        mpq_inv(r, r);
    TmValue res = rational_from_mpq(n, r);
    mpq_clear(r);
    return res;
}

/* b^(p/q) stays exact when b >= 0 is a perfect q-th power: (expt 4 1/2)
 * is 2.  Returns #f when it is not. */
static TmValue exact_root_expt(TmNode *n, TmValue b, TmValue e)
{
    TmValue p = TM_SLOT(e, 0), q = TM_SLOT(e, 1);
    if (!tm_is_fixnum(q) || num_sign(b) < 0)
        return TM_FALSE;
    RatView rv;
    mpq_srcptr x = rat_view(&rv, b);
    mpq_t r;
    mpq_init(r);
    unsigned long k = (unsigned long)tm_fixval(q);
    bool ok = mpz_root(mpq_numref(r), mpq_numref(x), k) &&
              mpz_root(mpq_denref(r), mpq_denref(x), k);
    TmValue root = ok ? rational_from_mpq(n, r) : TM_FALSE;
    mpq_clear(r);
    return ok ? exact_expt(n, root, p) : TM_FALSE;
}

/* A flonum to an exact integer power.  The exponent's parity decides the
 * sign, which converting a bignum exponent to a double could lose. */
static double pow_int(double b, TmValue e)
{
    double r = pow(fabs(b), tm_num_to_double(e));
    return signbit(b) && is_odd(e) ? -r : r;
}

TM_PRIM(p_expt)
{
    if (check_numbers(n, "expt", argc, argv) == TM_EXC)
        return TM_EXC;
    TmValue b = argv[0], e = argv[1];
    if (tm_is_exact_integer(e) && tm_is_exact(b))
        return exact_expt(n, b, e);
    if (tm_is_exact_integer(e))
        return tm_make_flonum(n, pow_int(tm_flonum_value(b), e));
    if (tm_is_exact(b) && tm_is_ratnum(e)) {
        TmValue r = exact_root_expt(n, b, e);
        if (r != TM_FALSE)
            return r;
    }
    double x = tm_num_to_double(b), y = tm_num_to_double(e);
    if (x < 0 && isfinite(y) && y != trunc(y))
        return no_complex(n, "expt", b);
    return tm_make_flonum(n, pow(x, y));
}

/* ---- exactness -------------------------------------------------------- */

static TmValue num_exact(TmNode *n, const char *who, TmValue v)
{
    if (!tm_is_number(v))
        return tm_type_error(n, who, 1, "number", v);
    if (!tm_is_flonum(v))
        return v;
    if (!isfinite(tm_flonum_value(v)))
        return tm_error(n, who, "no exact representation",
                        tm_cons(n, v, TM_NIL));
    return exact_from_double(n, tm_flonum_value(v));
}

static TmValue num_inexact(TmNode *n, const char *who, TmValue v)
{
    if (!tm_is_number(v))
        return tm_type_error(n, who, 1, "number", v);
    return to_inexact(n, v);
}

/* numerator and denominator of a flonum are those of its exact value,
 * made inexact: (denominator 0.5) is 2.0. */
static TmValue fraction_part(TmNode *n, const char *who, TmValue v, int part)
{
    if (tm_is_flonum(v) && isfinite(tm_flonum_value(v)))
        return to_inexact(n, fraction_part(n, who, num_exact(n, who, v), part));
    if (!is_exact_rational(v))
        return tm_type_error(n, who, 1, "rational", v);
    if (tm_is_ratnum(v))
        return TM_SLOT(v, part);
    return part == 0 ? v : tm_fix(1);
}

/* ---- bitwise operations ----------------------------------------------- */

/* GMP's logical functions use infinite two's complement, as Scheme does. */
typedef enum { BIT_AND, BIT_IOR, BIT_XOR } BitOp;

static TmValue bit_op(TmNode *n, BitOp op, TmValue a, TmValue b)
{
    if (tm_is_fixnum(a) && tm_is_fixnum(b)) {
        intptr_t x = tm_fixval(a), y = tm_fixval(b);
        return tm_fix(op == BIT_AND ? x & y : op == BIT_IOR ? x | y : x ^ y);
    }
    IntView va, vb;
    mpz_srcptr x = int_view(&va, a), y = int_view(&vb, b);
    mpz_t r;
    mpz_init(r);
    if (op == BIT_AND)
        mpz_and(r, x, y);
    else if (op == BIT_IOR)
        mpz_ior(r, x, y);
    else
        mpz_xor(r, x, y);
    TmValue v = tm_integer_from_mpz(n, r);
    mpz_clear(r);
    return v;
}

static TmValue bit_fold(TmNode *n, const char *who, int argc, TmValue *argv,
                        BitOp op, intptr_t identity)
{
    TmValue acc = tm_fix(identity);
    for (int i = 0; i < argc; i++) {
        TM_CHECK(n, tm_is_exact_integer(argv[i]), who, i + 1, "exact integer",
                 argv[i]);
        acc = bit_op(n, op, acc, argv[i]);
    }
    return acc;
}

TM_PRIM(p_bitwise_and)
{
    return bit_fold(n, "bitwise-and", argc, argv, BIT_AND, -1);
}

TM_PRIM(p_bitwise_ior)
{
    return bit_fold(n, "bitwise-ior", argc, argv, BIT_IOR, 0);
}

TM_PRIM(p_bitwise_xor)
{
    return bit_fold(n, "bitwise-xor", argc, argv, BIT_XOR, 0);
}

/* ~x is -x - 1, which never overflows a fixnum. */
TM_PRIM(p_bitwise_not)
{
    TmValue v = argv[0];
    TM_CHECK(n, tm_is_exact_integer(v), "bitwise-not", 1, "exact integer", v);
    if (tm_is_fixnum(v))
        return tm_fix(~tm_fixval(v));
    IntView iv;
    mpz_t r;
    mpz_init(r);
    mpz_com(r, int_view(&iv, v));
    TmValue res = tm_integer_from_mpz(n, r);
    mpz_clear(r);
    return res;
}

/* A right shift rounds toward negative infinity (an arithmetic shift). */
static TmValue shift_int(TmNode *n, TmValue v, intptr_t k)
{
    if (tm_is_fixnum(v)) {
        int64_t x = tm_fixval(v), r;
        if (k <= 0)
            return tm_fix(k <= -63 ? (x < 0 ? -1 : 0) : x >> -k);
        if (k < 63 && !__builtin_mul_overflow(x, (int64_t)1 << k, &r))
            return tm_make_integer(n, r);
    }
    IntView iv;
    mpz_srcptr x = int_view(&iv, v);
    if (k > 0 && mpz_sgn(x) != 0 &&
        mpz_sizeinbase(x, 2) + (uint64_t)k > MAX_RESULT_BITS)
        return tm_errorf(n, "arithmetic-shift", "result too large");
    mpz_t r;
    mpz_init(r);
    if (k > 0)
        mpz_mul_2exp(r, x, (mp_bitcnt_t)k);
    else
        mpz_fdiv_q_2exp(r, x, (mp_bitcnt_t)-k);
    TmValue res = tm_integer_from_mpz(n, r);
    mpz_clear(r);
    return res;
}

TM_PRIM(p_arithmetic_shift)
{
    TM_CHECK(n, tm_is_exact_integer(argv[0]), "arithmetic-shift", 1,
             "exact integer", argv[0]);
    TM_CHECK(n, tm_is_fixnum(argv[1]), "arithmetic-shift", 2, "fixnum",
             argv[1]);
    return shift_int(n, argv[0], tm_fixval(argv[1]));
}

/* Gambit's bit-count counts the 1 bits of a nonnegative integer and the 0
 * bits of a negative one (its complement's 1 bits). */
TM_PRIM(p_bit_count)
{
    TmValue v = argv[0];
    TM_CHECK(n, tm_is_exact_integer(v), "bit-count", 1, "exact integer", v);
    if (tm_is_fixnum(v)) {
        int64_t x = tm_fixval(v);
        return tm_fix(__builtin_popcountll((uint64_t)(x < 0 ? ~x : x)));
    }
    IntView iv;
    mpz_srcptr x = int_view(&iv, v);
    if (mpz_sgn(x) > 0)
        return tm_make_integer(n, (int64_t)mpz_popcount(x));
    mpz_t c;
    mpz_init(c);
    mpz_com(c, x);
    int64_t count = (int64_t)mpz_popcount(c);
    mpz_clear(c);
    return tm_make_integer(n, count);
}

/* The number of bits needed to write v in two's complement, sign apart. */
TM_PRIM(p_integer_length)
{
    TmValue v = argv[0];
    TM_CHECK(n, tm_is_exact_integer(v), "integer-length", 1, "exact integer",
             v);
    if (tm_is_fixnum(v)) {
        int64_t x = tm_fixval(v);
        uint64_t u = (uint64_t)(x < 0 ? ~x : x);
        return tm_fix(u ? 64 - __builtin_clzll(u) : 0);
    }
    IntView iv;
    mpz_srcptr x = int_view(&iv, v);
    if (mpz_sgn(x) > 0)
        return tm_make_integer(n, (int64_t)mpz_sizeinbase(x, 2));
    mpz_t c;
    mpz_init(c);
    mpz_com(c, x);
    int64_t len = mpz_sgn(c) ? (int64_t)mpz_sizeinbase(c, 2) : 0;
    mpz_clear(c);
    return tm_make_integer(n, len);
}

/* (bit-set? index n), Gambit's argument order. */
TM_PRIM(p_bit_set_p)
{
    TmValue k = argv[0], v = argv[1];
    TM_CHECK(n, tm_is_fixnum(k) && tm_fixval(k) >= 0, "bit-set?", 1,
             "nonnegative fixnum", k);
    TM_CHECK(n, tm_is_exact_integer(v), "bit-set?", 2, "exact integer", v);
    intptr_t i = tm_fixval(k);
    if (tm_is_fixnum(v))
        return tm_bool(i >= 63 ? tm_fixval(v) < 0 : (tm_fixval(v) >> i) & 1);
    IntView iv;
    return tm_bool(mpz_tstbit(int_view(&iv, v), (mp_bitcnt_t)i));
}

/* ---- random numbers --------------------------------------------------- */

static uint64_t random_u64(TmNode *n)
{
    return n->world->ops->random_u64(n->world);
}

/* Uniform in [0, bound): draws below 2^64 mod bound are rejected so that
 * every residue is equally likely (Lemire's threshold). */
static uint64_t random_below(TmNode *n, uint64_t bound)
{
    uint64_t threshold = -bound % bound;
    for (;;) {
        uint64_t r = random_u64(n);
        if (r >= threshold)
            return r % bound;
    }
}

/* Uniform in [0, bound) for a bignum bound: draw as many random bits as
 * the bound has and retry when the draw is too large (less than half the
 * time). */
static TmValue random_big(TmNode *n, mpz_srcptr bound)
{
    size_t bits = mpz_sizeinbase(bound, 2), nl = (bits + 63) / 64;
    mpz_t z;
    mpz_init(z);
    do {
        mp_limb_t *limbs = mpz_limbs_write(z, (mp_size_t)nl);
        for (size_t i = 0; i < nl; i++)
            limbs[i] = random_u64(n);
        if (bits % 64)
            limbs[nl - 1] &= ((mp_limb_t)1 << (bits % 64)) - 1;
        mpz_limbs_finish(z, (mp_size_t)nl);
    } while (mpz_cmp(z, bound) >= 0);
    TmValue v = tm_integer_from_mpz(n, z);
    mpz_clear(z);
    return v;
}

TM_PRIM(p_random_integer)
{
    TmValue v = argv[0];
    TM_CHECK(n, tm_is_exact_integer(v) && num_sign(v) > 0, "random-integer",
             1, "positive exact integer", v);
    if (tm_is_fixnum(v))
        return tm_fix((intptr_t)random_below(n, (uint64_t)tm_fixval(v)));
    IntView iv;
    return random_big(n, int_view(&iv, v));
}

/* 53 random bits make a multiple of 2^-53 in [0, 1); zero is redrawn. */
TM_PRIM(p_random_real)
{
    TM_UNUSED_ARGS;
    uint64_t r;
    do
        r = random_u64(n) >> 11;
    while (r == 0);
    return tm_make_flonum(n, ldexp((double)r, -53));
}

/* ---- reading numbers -------------------------------------------------- */

static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

static size_t count_digits(const char *s, size_t len, int radix)
{
    size_t i = 0;
    while (i < len && digit_value(s[i]) < radix)
        i++;
    return i;
}

/* The value of a digit string, all of whose digits are valid.  Short ones
 * are accumulated in a word, the rest go through mpz_set_str. */
static void digits_to_mpz(mpz_t z, const char *s, size_t len, int radix)
{
    uint64_t acc = 0;
    size_t i;
    for (i = 0; i < len; i++)
        if (__builtin_mul_overflow(acc, (uint64_t)radix, &acc) ||
            __builtin_add_overflow(acc, (uint64_t)digit_value(s[i]), &acc))
            break;
    if (i == len) {
        mpz_set_ui(z, acc);
        return;
    }
    char *copy = g_strndup(s, len);
    mpz_set_str(z, copy, radix);
    g_free(copy);
}

/* A parsed exact value, or its inexact counterpart after an #i prefix.
 * The sign is applied here so that #i-0 reads as -0.0. */
static TmValue finish_exact(TmNode *n, mpq_t q, bool neg, char exactness)
{
    if (neg)
        mpq_neg(q, q);
    if (exactness == 'i') {
        double d = rational_to_double(q);
        return tm_make_flonum(n, neg && d == 0 ? -0.0 : d);
    }
    return rational_from_mpq(n, q);
}

/* uinteger or uinteger/uinteger, the text after any sign. */
static TmValue parse_exact(TmNode *n, const char *s, size_t len, size_t d1,
                           int radix, bool neg, char exactness)
{
    mpq_t q;
    mpq_init(q);
    digits_to_mpz(mpq_numref(q), s, d1, radix);
    if (d1 < len) {
        digits_to_mpz(mpq_denref(q), s + d1 + 1, len - d1 - 1, radix);
        if (mpz_sgn(mpq_denref(q)) == 0) {
            mpq_clear(q);
            return TM_FALSE;
        }
        mpq_canonicalize(q);
    }
    TmValue v = finish_exact(n, q, neg, exactness);
    mpq_clear(q);
    return v;
}

/* Exponents beyond this make #e1e999999999 refuse to read instead of
 * exhausting memory. */
#define MAX_EXACT_EXPONENT 100000

/* An exact decimal (#e1.5 is 3/2): the digits as an integer, times ten to
 * the exponent less the number of fraction digits. */
static TmValue parse_exact_decimal(TmNode *n, const char *s, size_t len,
                                   bool neg)
{
    GString *digits = g_string_new(NULL);
    long scale = 0, exp10 = 0;
    size_t i = 0;
    bool frac = false;
    for (; i < len && s[i] != 'e' && s[i] != 'E'; i++) {
        if (s[i] == '.')
            frac = true;
        else {
            g_string_append_c(digits, s[i]);
            scale -= frac;
        }
    }
    if (i < len)
        exp10 = strtol(s + i + 1, NULL, 10); /* saturates at LONG_MAX */
    TmValue v = TM_FALSE;
    if (exp10 >= -MAX_EXACT_EXPONENT && exp10 <= MAX_EXACT_EXPONENT) {
        mpq_t q;
        mpq_init(q);
        digits_to_mpz(mpq_numref(q), digits->str, digits->len, 10);
        mpz_t p;
        mpz_init(p);
        mpz_ui_pow_ui(p, 10, (unsigned long)labs(exp10 + scale));
        if (exp10 + scale >= 0)
            mpz_mul(mpq_numref(q), mpq_numref(q), p);
        else
            mpz_set(mpq_denref(q), p);
        mpq_canonicalize(q);
        v = finish_exact(n, q, neg, 'e');
        mpz_clear(p);
        mpq_clear(q);
    }
    g_string_free(digits, TRUE);
    return v;
}

/* digit* [. digit*] [e [sign] digit+] with at least one mantissa digit. */
static bool is_decimal(const char *s, size_t len)
{
    size_t i = count_digits(s, len, 10), nd = i;
    if (i < len && s[i] == '.') {
        size_t f = count_digits(s + i + 1, len - i - 1, 10);
        nd += f;
        i += 1 + f;
    }
    if (nd == 0)
        return false;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t ed = count_digits(s + i, len - i, 10);
        if (ed == 0)
            return false;
        i += ed;
    }
    return i == len;
}

/* Decimals are read by g_ascii_strtod, which rounds correctly and ignores
 * the locale. */
static TmValue parse_decimal(TmNode *n, const char *text, size_t len,
                             size_t start, char exactness)
{
    const char *s = text + start;
    if (!is_decimal(s, len - start))
        return TM_FALSE;
    if (exactness == 'e')
        return parse_exact_decimal(n, s, len - start, text[0] == '-');
    return tm_make_flonum(n, g_ascii_strtod(text, NULL));
}

/* An ASCII real after the prefixes: [sign] ureal, or ±inf.0 / ±nan.0. */
static TmValue parse_real(TmNode *n, const char *s, size_t len, int radix,
                          char exactness)
{
    bool neg = len > 0 && s[0] == '-';
    size_t start = len > 0 && (s[0] == '+' || s[0] == '-');
    const char *body = s + start;
    size_t blen = len - start;
    if (start && blen == 5 && (g_ascii_strncasecmp(body, "inf.0", 5) == 0 ||
                               g_ascii_strncasecmp(body, "nan.0", 5) == 0)) {
        if (exactness == 'e')
            return TM_FALSE;
        if (g_ascii_tolower(body[0]) == 'n')
            return tm_make_flonum(n, NAN);
        return tm_make_flonum(n, neg ? -INFINITY : INFINITY);
    }
    size_t d1 = count_digits(body, blen, radix);
    if (d1 > 0 && d1 == blen)
        return parse_exact(n, body, blen, d1, radix, neg, exactness);
    if (d1 > 0 && body[d1] == '/') {
        size_t d2 = count_digits(body + d1 + 1, blen - d1 - 1, radix);
        if (d2 == 0 || d1 + 1 + d2 != blen)
            return TM_FALSE;
        return parse_exact(n, body, blen, d1, radix, neg, exactness);
    }
    if (radix != 10)
        return TM_FALSE;
    return parse_decimal(n, s, len, start, exactness);
}

/* Most tokens the reader asks about are symbols: turn them away before
 * copying anything. */
static bool could_start_number(uint32_t c, int radix)
{
    return c < 128 && (c == '+' || c == '-' || c == '.' ||
                       digit_value((char)c) < radix);
}

/* Reads the prefixes (#x #b #o #d and #e #i, each kind at most once, in
 * either order), then the ASCII rest.  Anything that is not a number is #f,
 * never an error: the reader asks this to tell numbers from symbols. */
TmValue tm_num_parse(TmNode *n, const uint32_t *chars, size_t len, int radix)
{
    char exactness = 0;
    bool radix_seen = false;
    size_t i = 0;
    for (; i < len && chars[i] == '#'; i += 2) {
        int c = i + 1 < len && chars[i + 1] < 128 ? chars[i + 1] | 0x20 : 0;
        if ((c == 'e' || c == 'i') && !exactness) {
            exactness = (char)c;
        } else if (c && strchr("xbod", c) && !radix_seen) {
            radix_seen = true;
            radix = c == 'x' ? 16 : c == 'b' ? 2 : c == 'o' ? 8 : 10;
        } else {
            return TM_FALSE;
        }
    }
    if (i < len && !could_start_number(chars[i], radix))
        return TM_FALSE;
    char small[64];
    char *text = len - i < sizeof small ? small : g_malloc(len - i + 1);
    size_t k = 0;
    for (; i < len && chars[i] != 0 && chars[i] < 128; i++)
        text[k++] = (char)chars[i];
    text[k] = 0;
    TmValue v = i < len ? TM_FALSE : parse_real(n, text, k, radix, exactness);
    if (text != small)
        g_free(text);
    return v;
}

/* ---- writing numbers -------------------------------------------------- */

static void format_int64(GString *out, int64_t x, int radix)
{
    if (radix == 10) {
        g_string_append_printf(out, "%" G_GINT64_FORMAT, x);
        return;
    }
    char buf[72];
    size_t i = sizeof buf;
    uint64_t u = x < 0 ? -(uint64_t)x : (uint64_t)x;
    do {
        buf[--i] = "0123456789abcdefghijklmnopqrstuvwxyz"[u % (unsigned)radix];
        u /= (unsigned)radix;
    } while (u);
    if (x < 0)
        buf[--i] = '-';
    g_string_append_len(out, buf + i, (gssize)(sizeof buf - i));
}

static void format_integer(GString *out, TmValue v, int radix)
{
    if (tm_is_fixnum(v)) {
        format_int64(out, tm_fixval(v), radix);
        return;
    }
    IntView iv;
    mpz_srcptr z = int_view(&iv, v);
    char *buf = g_malloc(mpz_sizeinbase(z, radix) + 2);
    mpz_get_str(buf, radix, z);
    g_string_append(out, buf);
    g_free(buf);
}

/* The shortest decimal digits that read back as d (finite, nonzero):
 * d = 0.DIGITS * 10^(*exp10 + 1), i.e. D.IGITS * 10^*exp10. */
static void shortest_digits(double d, char digits[24], int *exp10)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE], fmt[8];
    for (int prec = 1; prec <= 17; prec++) {
        g_snprintf(fmt, sizeof fmt, "%%.%de", prec - 1);
        g_ascii_formatd(buf, sizeof buf, fmt, d);
        if (prec == 17 || g_ascii_strtod(buf, NULL) == d)
            break;
    }
    size_t k = 0;
    const char *p = buf;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            digits[k++] = *p;
    while (k > 1 && digits[k - 1] == '0')
        k--;
    digits[k] = 0;
    *exp10 = atoi(p + 1);
}

static void append_zeros(GString *out, int count)
{
    for (int i = 0; i < count; i++)
        g_string_append_c(out, '0');
}

/* Plain notation between 1e-7 and 1e21, as JavaScript does, with a
 * ".0" on integral values so that the text reads back as inexact;
 * scientific notation without '+' or leading exponent zeros elsewhere:
 * 100.0, 0.001, 1.5e-7, 1e21. */
static void format_double(GString *out, double d)
{
    if (isnan(d) || isinf(d)) {
        g_string_append(out, isnan(d) ? "+nan.0" : d > 0 ? "+inf.0" : "-inf.0");
        return;
    }
    if (signbit(d))
        g_string_append_c(out, '-');
    if (d == 0) {
        g_string_append(out, "0.0");
        return;
    }
    char digits[24];
    int e, nd;
    shortest_digits(fabs(d), digits, &e);
    nd = (int)strlen(digits);
    if (e < -6 || e >= 21) {
        g_string_append_c(out, digits[0]);
        if (nd > 1)
            g_string_append_printf(out, ".%s", digits + 1);
        g_string_append_printf(out, "e%d", e);
    } else if (e < 0) {
        g_string_append(out, "0.");
        append_zeros(out, -e - 1);
        g_string_append(out, digits);
    } else if (nd <= e + 1) {
        g_string_append(out, digits);
        append_zeros(out, e + 1 - nd);
        g_string_append(out, ".0");
    } else {
        g_string_append_len(out, digits, e + 1);
        g_string_append_printf(out, ".%s", digits + e + 1);
    }
}

/* Flonums are always written in radix 10. */
void tm_num_format(TmNode *n, TmValue num, int radix, GString *out)
{
    (void)n;
    switch (kind_of(num)) {
    case K_FIX:
    case K_BIG:
        format_integer(out, num, radix);
        break;
    case K_RAT:
        format_integer(out, TM_SLOT(num, 0), radix);
        g_string_append_c(out, '/');
        format_integer(out, TM_SLOT(num, 1), radix);
        break;
    case K_FLO:
        format_double(out, tm_flonum_value(num));
        break;
    default:
        g_string_append(out, "#<not a number>");
        break;
    }
}

/* ---- primitives: predicates ------------------------------------------- */

/* The argument must be a number for predicates that say something about
 * a number's value. */
#define NUM_ARG(who)                                                         \
    TM_CHECK(n, tm_is_number(argv[0]), who, 1, "number", argv[0])

TM_PRIM(p_number_p) { TM_UNUSED_ARGS; return tm_bool(tm_is_number(argv[0])); }

TM_PRIM(p_rational_p)
{
    TM_UNUSED_ARGS;
    TmValue v = argv[0];
    return tm_bool(is_exact_rational(v) ||
                   (tm_is_flonum(v) && isfinite(tm_flonum_value(v))));
}

TM_PRIM(p_integer_p) { TM_UNUSED_ARGS; return tm_bool(is_integer(argv[0])); }

TM_PRIM(p_exact_p)
{
    NUM_ARG("exact?");
    return tm_bool(tm_is_exact(argv[0]));
}

TM_PRIM(p_inexact_p)
{
    NUM_ARG("inexact?");
    return tm_bool(tm_is_flonum(argv[0]));
}

TM_PRIM(p_exact_integer_p)
{
    TM_UNUSED_ARGS;
    return tm_bool(tm_is_exact_integer(argv[0]));
}

TM_PRIM(p_exact_rational_p)
{
    TM_UNUSED_ARGS;
    return tm_bool(is_exact_rational(argv[0]));
}

TM_PRIM(p_nan_p)
{
    NUM_ARG("nan?");
    return tm_bool(tm_is_flonum(argv[0]) && isnan(tm_flonum_value(argv[0])));
}

TM_PRIM(p_infinite_p)
{
    NUM_ARG("infinite?");
    return tm_bool(tm_is_flonum(argv[0]) && isinf(tm_flonum_value(argv[0])));
}

TM_PRIM(p_finite_p)
{
    NUM_ARG("finite?");
    TmValue v = argv[0];
    return tm_bool(!tm_is_flonum(v) || isfinite(tm_flonum_value(v)));
}

TM_PRIM(p_zero_p)
{
    NUM_ARG("zero?");
    TmValue v = argv[0];
    return tm_bool(v == tm_fix(0) ||
                   (tm_is_flonum(v) && tm_flonum_value(v) == 0));
}

TM_PRIM(p_positive_p)
{
    NUM_ARG("positive?");
    return tm_bool(num_sign(argv[0]) > 0);
}

TM_PRIM(p_negative_p)
{
    NUM_ARG("negative?");
    return tm_bool(num_sign(argv[0]) < 0);
}

TM_PRIM(p_odd_p)
{
    TM_CHECK(n, is_integer(argv[0]), "odd?", 1, "integer", argv[0]);
    return tm_bool(is_odd(argv[0]));
}

TM_PRIM(p_even_p)
{
    TM_CHECK(n, is_integer(argv[0]), "even?", 1, "integer", argv[0]);
    return tm_bool(!is_odd(argv[0]));
}

/* ---- primitives: comparison ------------------------------------------- */

/* A chain a1 R a2 R a3...: `accept` has bit c+1 set for each result c of
 * cmp_numbers that satisfies R.  Every argument is checked even after the
 * answer is known; a NaN makes every relation false. */
static TmValue compare_chain(TmNode *n, const char *who, int argc,
                             TmValue *argv, unsigned accept)
{
    if (check_numbers(n, who, argc, argv) == TM_EXC)
        return TM_EXC;
    for (int i = 0; i + 1 < argc; i++)
        if (!(accept & (1u << (cmp_numbers(argv[i], argv[i + 1]) + 1))))
            return TM_FALSE;
    return TM_TRUE;
}

enum { CMP_LT = 1, CMP_EQ = 2, CMP_GT = 4 };
TM_PRIM(p_num_eq) { return compare_chain(n, "=", argc, argv, CMP_EQ); }
TM_PRIM(p_num_lt) { return compare_chain(n, "<", argc, argv, CMP_LT); }
TM_PRIM(p_num_gt) { return compare_chain(n, ">", argc, argv, CMP_GT); }
TM_PRIM(p_num_le)
{
    return compare_chain(n, "<=", argc, argv, CMP_LT | CMP_EQ);
}

TM_PRIM(p_num_ge)
{
    return compare_chain(n, ">=", argc, argv, CMP_GT | CMP_EQ);
}

/* max and min: the result is inexact if any argument is, and NaN if any
 * argument is NaN. */
static TmValue extremum(TmNode *n, const char *who, int argc, TmValue *argv,
                        int want)
{
    if (check_numbers(n, who, argc, argv) == TM_EXC)
        return TM_EXC;
    TmValue best = argv[0];
    bool inexact = false, nan = false;
    for (int i = 0; i < argc; i++) {
        inexact |= tm_is_flonum(argv[i]);
        int c = cmp_numbers(argv[i], best);
        if (c == UNORDERED)
            nan = true;
        else if (c == want)
            best = argv[i];
    }
    if (nan)
        return tm_make_flonum(n, NAN);
    return inexact ? to_inexact(n, best) : best;
}

TM_PRIM(p_max) { return extremum(n, "max", argc, argv, 1); }
TM_PRIM(p_min) { return extremum(n, "min", argc, argv, -1); }

/* ---- primitives: arithmetic ------------------------------------------- */

/* The fold starts from the first argument, not the identity, so that
 * (+ -0.0) stays -0.0. */
static TmValue arith_fold(TmNode *n, Op op, int argc, TmValue *argv,
                          intptr_t identity)
{
    if (check_numbers(n, op_name[op], argc, argv) == TM_EXC)
        return TM_EXC;
    TmValue acc = argc > 0 ? argv[0] : tm_fix(identity);
    for (int i = 1; i < argc && acc != TM_EXC; i++)
        acc = arith(n, op, acc, argv[i]);
    return acc;
}

TM_PRIM(p_add) { return arith_fold(n, OP_ADD, argc, argv, 0); }
TM_PRIM(p_mul) { return arith_fold(n, OP_MUL, argc, argv, 1); }

TM_PRIM(p_sub)
{
    if (argc == 1) {
        NUM_ARG("-");
        return num_negate(n, argv[0]);
    }
    return arith_fold(n, OP_SUB, argc, argv, 0);
}

TM_PRIM(p_div)
{
    if (argc == 1) {
        NUM_ARG("/");
        return arith(n, OP_DIV, tm_fix(1), argv[0]);
    }
    return arith_fold(n, OP_DIV, argc, argv, 1);
}

TM_PRIM(p_abs)
{
    NUM_ARG("abs");
    TmValue v = argv[0];
    if (tm_is_flonum(v))
        return tm_make_flonum(n, fabs(tm_flonum_value(v)));
    return num_sign(v) < 0 ? num_negate(n, v) : v;
}

TM_PRIM(p_square)
{
    NUM_ARG("square");
    return arith(n, OP_MUL, argv[0], argv[0]);
}

TM_PRIM(p_quotient)
{
    return divide_prim(n, "quotient", argv, false, 0);
}

TM_PRIM(p_remainder)
{
    return divide_prim(n, "remainder", argv, false, 1);
}

TM_PRIM(p_modulo)
{
    return divide_prim(n, "modulo", argv, true, 1);
}

TM_PRIM(p_floor_quotient)
{
    return divide_prim(n, "floor-quotient", argv, true, 0);
}

TM_PRIM(p_floor_remainder)
{
    return divide_prim(n, "floor-remainder", argv, true, 1);
}

TM_PRIM(p_floor_div)
{
    return divide_prim(n, "floor/", argv, true, 2);
}

TM_PRIM(p_truncate_quotient)
{
    return divide_prim(n, "truncate-quotient", argv, false, 0);
}

TM_PRIM(p_truncate_remainder)
{
    return divide_prim(n, "truncate-remainder", argv, false, 1);
}

TM_PRIM(p_truncate_div)
{
    return divide_prim(n, "truncate/", argv, false, 2);
}

TM_PRIM(p_gcd) { return gcd_prim(n, "gcd", argc, argv, false); }
TM_PRIM(p_lcm) { return gcd_prim(n, "lcm", argc, argv, true); }

TM_PRIM(p_numerator) { return fraction_part(n, "numerator", argv[0], 0); }
TM_PRIM(p_denominator) { return fraction_part(n, "denominator", argv[0], 1); }

TM_PRIM(p_floor) { return round_prim(n, "floor", argv[0], R_FLOOR); }
TM_PRIM(p_ceiling) { return round_prim(n, "ceiling", argv[0], R_CEILING); }
TM_PRIM(p_round) { return round_prim(n, "round", argv[0], R_ROUND); }
TM_PRIM(p_truncate) { return round_prim(n, "truncate", argv[0], R_TRUNCATE); }

TM_PRIM(p_exact) { return num_exact(n, "exact", argv[0]); }
TM_PRIM(p_inexact) { return num_inexact(n, "inexact", argv[0]); }
TM_PRIM(p_inexact_to_exact) { return num_exact(n, "inexact->exact", argv[0]); }
TM_PRIM(p_exact_to_inexact)
{
    return num_inexact(n, "exact->inexact", argv[0]);
}

/* ---- primitives: conversion to and from strings ----------------------- */

/* The optional radix argument at argv[i]: 2 to 36 (R7RS only asks for 2,
 * 8, 10 and 16).  Returns 0 after raising. */
static int radix_arg(TmNode *n, const char *who, int argc, TmValue *argv, int i)
{
    if (argc <= i || argv[i] == TM_DEFAULT)
        return 10;
    TmValue r = argv[i];
    if (!tm_is_fixnum(r) || tm_fixval(r) < 2 || tm_fixval(r) > 36) {
        tm_type_error(n, who, i + 1, "radix (2 to 36)", r);
        return 0;
    }
    return (int)tm_fixval(r);
}

TM_PRIM(p_number_to_string)
{
    NUM_ARG("number->string");
    int radix = radix_arg(n, "number->string", argc, argv, 1);
    if (radix == 0)
        return TM_EXC;
    if (radix != 10 && tm_is_flonum(argv[0]))
        return tm_errorf(n, "number->string",
                         "inexact numbers can only be written in radix 10");
    GString *g = g_string_new(NULL);
    tm_num_format(n, argv[0], radix, g);
    TmValue s = tm_string_from_utf8(n, g->str, (ptrdiff_t)g->len);
    g_string_free(g, TRUE);
    return s;
}

TM_PRIM(p_string_to_number)
{
    TM_CHECK(n, tm_is_string(argv[0]), "string->number", 1, "string", argv[0]);
    int radix = radix_arg(n, "string->number", argc, argv, 1);
    if (radix == 0)
        return TM_EXC;
    return tm_num_parse(n, tm_string_chars(argv[0]),
                        tm_string_length(argv[0]), radix);
}

/* ---- the table -------------------------------------------------------- */

const TmPrimDef tm_prims_num[] = {
    {"number?", p_number_p, 1, 1, 0},
    {"complex?", p_number_p, 1, 1, 0},
    {"real?", p_number_p, 1, 1, 0},
    {"rational?", p_rational_p, 1, 1, 0},
    {"integer?", p_integer_p, 1, 1, 0},
    {"exact?", p_exact_p, 1, 1, 0},
    {"inexact?", p_inexact_p, 1, 1, 0},
    {"exact-integer?", p_exact_integer_p, 1, 1, 0},
    {"exact-rational?", p_exact_rational_p, 1, 1, 0},
    {"nan?", p_nan_p, 1, 1, 0},
    {"infinite?", p_infinite_p, 1, 1, 0},
    {"finite?", p_finite_p, 1, 1, 0},
    {"zero?", p_zero_p, 1, 1, 0},
    {"positive?", p_positive_p, 1, 1, 0},
    {"negative?", p_negative_p, 1, 1, 0},
    {"odd?", p_odd_p, 1, 1, 0},
    {"even?", p_even_p, 1, 1, 0},
    {"=", p_num_eq, 1, -1, 0},
    {"<", p_num_lt, 1, -1, 0},
    {">", p_num_gt, 1, -1, 0},
    {"<=", p_num_le, 1, -1, 0},
    {">=", p_num_ge, 1, -1, 0},
    {"max", p_max, 1, -1, 0},
    {"min", p_min, 1, -1, 0},
    {"+", p_add, 0, -1, 0},
    {"*", p_mul, 0, -1, 0},
    {"-", p_sub, 1, -1, 0},
    {"/", p_div, 1, -1, 0},
    {"abs", p_abs, 1, 1, 0},
    {"magnitude", p_abs, 1, 1, 0},
    {"square", p_square, 1, 1, 0},
    {"quotient", p_quotient, 2, 2, 0},
    {"remainder", p_remainder, 2, 2, 0},
    {"modulo", p_modulo, 2, 2, 0},
    {"floor/", p_floor_div, 2, 2, 0},
    {"floor-quotient", p_floor_quotient, 2, 2, 0},
    {"floor-remainder", p_floor_remainder, 2, 2, 0},
    {"truncate/", p_truncate_div, 2, 2, 0},
    {"truncate-quotient", p_truncate_quotient, 2, 2, 0},
    {"truncate-remainder", p_truncate_remainder, 2, 2, 0},
    {"gcd", p_gcd, 0, -1, 0},
    {"lcm", p_lcm, 0, -1, 0},
    {"numerator", p_numerator, 1, 1, 0},
    {"denominator", p_denominator, 1, 1, 0},
    {"floor", p_floor, 1, 1, 0},
    {"ceiling", p_ceiling, 1, 1, 0},
    {"round", p_round, 1, 1, 0},
    {"truncate", p_truncate, 1, 1, 0},
    {"rationalize", p_rationalize, 2, 2, 0},
    {"exp", p_exp, 1, 1, 0},
    {"log", p_log, 1, 2, 0},
    {"sin", p_sin, 1, 1, 0},
    {"cos", p_cos, 1, 1, 0},
    {"tan", p_tan, 1, 1, 0},
    {"asin", p_asin, 1, 1, 0},
    {"acos", p_acos, 1, 1, 0},
    {"atan", p_atan, 1, 2, 0},
    {"sqrt", p_sqrt, 1, 1, 0},
    {"exact-integer-sqrt", p_exact_integer_sqrt, 1, 1, 0},
    {"expt", p_expt, 2, 2, 0},
    {"exact", p_exact, 1, 1, 0},
    {"inexact", p_inexact, 1, 1, 0},
    {"exact->inexact", p_exact_to_inexact, 1, 1, 0},
    {"inexact->exact", p_inexact_to_exact, 1, 1, 0},
    {"number->string", p_number_to_string, 1, 2, 0},
    {"string->number", p_string_to_number, 1, 2, 0},
    {"bitwise-and", p_bitwise_and, 0, -1, 0},
    {"bitwise-ior", p_bitwise_ior, 0, -1, 0},
    {"bitwise-xor", p_bitwise_xor, 0, -1, 0},
    {"bitwise-not", p_bitwise_not, 1, 1, 0},
    {"arithmetic-shift", p_arithmetic_shift, 2, 2, 0},
    {"bit-count", p_bit_count, 1, 1, 0},
    {"integer-length", p_integer_length, 1, 1, 0},
    {"bit-set?", p_bit_set_p, 2, 2, 0},
    {"random-integer", p_random_integer, 1, 1, 0},
    {"random-real", p_random_real, 0, 0, 0},
    {NULL, NULL, 0, 0, 0},
};
