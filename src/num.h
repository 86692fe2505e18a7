/*
 * num.h — the numeric tower: fixnums, bignums (GMP), exact rationals and
 * flonums.  Fixnum results that overflow become bignums; bignum results
 * that fit become fixnums again (always normalized).
 */
#ifndef TM_NUM_H
#define TM_NUM_H

#include <gmp.h>

#include "object.h"

bool tm_is_number(TmValue v);
bool tm_is_exact_integer(TmValue v);
bool tm_is_exact(TmValue v);    /* v must be a number */
TmValue tm_make_integer(TmNode *n, int64_t i);

/* Generic arithmetic on any two numbers; TM_EXC (error raised, who named)
 * on a non-number or an exact division by zero.  The VM's fast paths call
 * these when an operand is not a fixnum or a fixnum result overflows. */
TmValue tm_num_add(TmNode *n, TmValue a, TmValue b);
TmValue tm_num_sub(TmNode *n, TmValue a, TmValue b);
TmValue tm_num_mul(TmNode *n, TmValue a, TmValue b);
TmValue tm_num_div(TmNode *n, TmValue a, TmValue b);
/* -1, 0, 1, or 2 when either operand is a NaN (unordered); sets *err
 * (and raises, naming who) on non-real operands; callers clear *err. */
int tm_num_compare(TmNode *n, const char *who, TmValue a, TmValue b, bool *err);
bool tm_num_eqv(TmValue a, TmValue b);   /* for eqv? on numbers */
double tm_num_to_double(TmValue v);

/* Parse the external representation of a number (R7RS syntax including
 * #x #b #o #d #e #i prefixes, rationals 1/3, decimals, exponents,
 * +inf.0 -inf.0 +nan.0).  Returns #f when the text is not a number. */
TmValue tm_num_parse(TmNode *n, const uint32_t *chars, size_t len, int radix);
/* Append the external representation; flonums in the shortest form that
 * reads back to the same double ("0.1", "1.0", "1e100", "+inf.0"). */
void tm_num_format(TmNode *n, TmValue num, int radix, GString *out);

/* Bignum helpers: a read-only mpz view of a bignum (no allocation), and
 * normalizing conversion of an mpz into a fixnum or a new bignum. */
void tm_bignum_view(TmValue big, mpz_t out);
TmValue tm_integer_from_mpz(TmNode *n, const mpz_t z);

#endif
