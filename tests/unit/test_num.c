/*
 * test_num.c — unit tests of the numeric tower (src/num.c): number syntax
 * in both directions, fixnum/bignum boundaries, bignum arithmetic checked
 * against GMP itself, correct rounding of exact->inexact, exact rationals,
 * comparisons across exactness, and the numeric primitives.
 */
#include <math.h>

#include "num.h"
#include "prims.h"

static TmNode *node; /* one node for the whole program */

/* ---- helpers ---------------------------------------------------------- */

static TmValue parse_radix(const char *s, int radix)
{
    size_t len = strlen(s);
    uint32_t *chars = g_new(uint32_t, len + 1);
    for (size_t i = 0; i < len; i++)
        chars[i] = (unsigned char)s[i];
    TmValue v = tm_num_parse(node, chars, len, radix);
    g_free(chars);
    return v;
}

static TmValue parse(const char *s) { return parse_radix(s, 10); }

/* A number that must parse. */
static TmValue num(const char *s)
{
    TmValue v = parse(s);
    if (v == TM_FALSE)
        g_error("test number %s does not parse", s);
    return v;
}

static char *format_radix(TmValue v, int radix)
{
    GString *g = g_string_new(NULL);
    tm_num_format(node, v, radix, g);
    return g_string_free(g, FALSE);
}

#define assert_formats(v, expected)                                          \
    do {                                                                      \
        char *got_ = format_radix((v), 10);                                   \
        g_assert_cmpstr(got_, ==, (expected));                                \
        g_free(got_);                                                         \
    } while (0)

static const TmPrimDef *find_prim(const char *name)
{
    for (const TmPrimDef *d = tm_prims_num; d->name; d++)
        if (strcmp(d->name, name) == 0)
            return d;
    g_error("no primitive %s in tm_prims_num", name);
}

static TmValue call(const char *name, TmValue *argv, int argc)
{
    const TmPrimDef *d = find_prim(name);
    g_assert_cmpint(argc, >=, d->min_args);
    g_assert_true(d->max_args < 0 || argc <= d->max_args);
    return d->fn(node, argc, argv);
}

#define CALL(name, ...)                                                       \
    call((name), (TmValue[]){__VA_ARGS__},                                    \
         (int)(sizeof((TmValue[]){__VA_ARGS__}) / sizeof(TmValue)))

/* (name args...) written as a string, e.g. "3/2". */
#define assert_call(expected, name, ...)                                      \
    assert_formats(CALL((name), __VA_ARGS__), (expected))

/* The message of the error a primitive just raised (g_free it). */
static char *raised_message(TmValue result)
{
    g_assert_true(result == TM_EXC);
    TmValue err = node->vm.pending;
    g_assert_true(tm_is_error(err));
    node->vm.pending = TM_FALSE;
    return tm_string_to_utf8(TM_SLOT(err, TM_ERR_MESSAGE));
}

#define assert_raises(result, substring)                                      \
    do {                                                                      \
        char *msg_ = raised_message(result);                                  \
        if (!strstr(msg_, (substring)))                                       \
            g_error("expected an error containing \"%s\", got \"%s\"",        \
                    (substring), msg_);                                       \
        g_free(msg_);                                                         \
    } while (0)

static void to_mpz(mpz_t out, TmValue v)
{
    g_assert_true(tm_is_exact_integer(v));
    if (tm_is_fixnum(v)) {
        mpz_set_si(out, tm_fixval(v));
    } else {
        mpz_t view;
        tm_bignum_view(v, view);
        mpz_set(out, view);
    }
}

/* v is the exact integer z, in normal form: a fixnum exactly when it fits. */
static void assert_integer_is(TmValue v, mpz_srcptr z)
{
    g_assert_true(tm_is_exact_integer(v));
    bool fits = mpz_fits_slong_p(z) && tm_fixnum_fits(mpz_get_si(z));
    g_assert_cmpint(tm_is_fixnum(v), ==, fits);
    mpz_t got;
    mpz_init(got);
    to_mpz(got, v);
    g_assert_true(mpz_cmp(got, z) == 0);
    mpz_clear(got);
}

static uint64_t double_bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

static double bits_double(uint64_t u)
{
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

/* A random integer of up to max_bits bits, either sign, sometimes with
 * long runs of ones or zeros (where carries and borrows go wrong). */
static void random_mpz(mpz_t z, GRand *r, int max_bits)
{
    int bits = g_rand_int_range(r, 1, max_bits + 1);
    mpz_set_ui(z, 0);
    for (int i = 0; i < bits; i += 32) {
        mpz_mul_2exp(z, z, 32);
        guint32 w = g_rand_int(r);
        int style = g_rand_int_range(r, 0, 8);
        mpz_add_ui(z, z, style == 0 ? 0xffffffffu : style == 1 ? 0 : w);
    }
    mpz_tdiv_r_2exp(z, z, (mp_bitcnt_t)bits);
    if (g_rand_boolean(r))
        mpz_neg(z, z);
}

/* ---- fixnum / bignum boundaries --------------------------------------- */

static void test_fixnum_boundaries(void)
{
    TmValue max = tm_fix(TM_FIXNUM_MAX), min = tm_fix(TM_FIXNUM_MIN);
    TmValue over = tm_num_add(node, max, tm_fix(1));
    g_assert_true(tm_is_bignum(over));
    assert_formats(over, "4611686018427387904");
    TmValue back = tm_num_sub(node, over, tm_fix(1));
    g_assert_true(tm_is_fixnum(back) && back == max);

    TmValue under = tm_num_sub(node, min, tm_fix(1));
    g_assert_true(tm_is_bignum(under));
    assert_formats(under, "-4611686018427387905");
    g_assert_true(tm_num_add(node, under, tm_fix(1)) == min);

    TmValue neg = CALL("-", min);
    g_assert_true(tm_is_bignum(neg));
    assert_formats(neg, "4611686018427387904");
    assert_formats(CALL("abs", min), "4611686018427387904");
    assert_formats(CALL("quotient", min, tm_fix(-1)), "4611686018427387904");
    assert_formats(CALL("remainder", min, tm_fix(-1)), "0");
    assert_formats(tm_num_div(node, min, tm_fix(-1)), "4611686018427387904");

    /* products just below and above the limit */
    TmValue two31 = tm_fix((intptr_t)1 << 31);
    g_assert_true(tm_is_fixnum(tm_num_mul(node, two31, tm_fix((intptr_t)1 << 30))));
    TmValue p = tm_num_mul(node, two31, tm_fix((intptr_t)1 << 31));
    g_assert_true(tm_is_bignum(p));
    assert_formats(p, "4611686018427387904");
    assert_formats(tm_num_mul(node, max, max),
                   "21267647932558653957237540927630737409");
    g_assert_true(tm_num_mul(node, tm_fix(-1), over) == min);

    assert_formats(tm_make_integer(node, INT64_MIN), "-9223372036854775808");
    assert_formats(tm_make_integer(node, INT64_MAX), "9223372036854775807");
    g_assert_true(tm_make_integer(node, TM_FIXNUM_MAX) == max);
    g_assert_true(tm_is_bignum(tm_make_integer(node, (int64_t)TM_FIXNUM_MAX + 1)));

    /* parse at the boundary */
    g_assert_true(num("4611686018427387903") == max);
    g_assert_true(num("-4611686018427387904") == min);
    g_assert_true(tm_is_bignum(num("4611686018427387904")));
    g_assert_true(tm_is_bignum(num("-4611686018427387905")));
    g_assert_true(tm_is_bignum(num("18446744073709551616")));
}

/* ---- bignums against GMP ---------------------------------------------- */

static void check_binary(GRand *r, mpz_srcptr a, mpz_srcptr b)
{
    TmValue va = tm_integer_from_mpz(node, a), vb = tm_integer_from_mpz(node, b);
    mpz_t e, e2;
    mpz_inits(e, e2, NULL);
    mpz_add(e, a, b);
    assert_integer_is(tm_num_add(node, va, vb), e);
    mpz_sub(e, a, b);
    assert_integer_is(tm_num_sub(node, va, vb), e);
    mpz_mul(e, a, b);
    assert_integer_is(tm_num_mul(node, va, vb), e);
    mpz_and(e, a, b);
    assert_integer_is(CALL("bitwise-and", va, vb), e);
    mpz_ior(e, a, b);
    assert_integer_is(CALL("bitwise-ior", va, vb), e);
    mpz_xor(e, a, b);
    assert_integer_is(CALL("bitwise-xor", va, vb), e);
    mpz_gcd(e, a, b);
    assert_integer_is(CALL("gcd", va, vb), e);
    mpz_com(e, a);
    assert_integer_is(CALL("bitwise-not", va), e);
    int c = mpz_cmp(a, b);
    bool err = false;
    g_assert_cmpint(tm_num_compare(node, "<", va, vb, &err), ==, (c > 0) - (c < 0));
    g_assert_false(err);
    if (mpz_sgn(b) != 0) {
        mpz_tdiv_qr(e, e2, a, b);
        assert_integer_is(CALL("quotient", va, vb), e);
        assert_integer_is(CALL("remainder", va, vb), e2);
        mpz_fdiv_qr(e, e2, a, b);
        assert_integer_is(CALL("floor-quotient", va, vb), e);
        assert_integer_is(CALL("modulo", va, vb), e2);
    }
    int k = g_rand_int_range(r, -200, 200);
    if (k >= 0)
        mpz_mul_2exp(e, a, (mp_bitcnt_t)k);
    else
        mpz_fdiv_q_2exp(e, a, (mp_bitcnt_t)-k);
    assert_integer_is(CALL("arithmetic-shift", va, tm_fix(k)), e);
    mpz_clears(e, e2, NULL);
}

static void test_bignum_random(void)
{
    GRand *r = g_rand_new_with_seed(42);
    mpz_t a, b;
    mpz_inits(a, b, NULL);
    for (int i = 0; i < 3000; i++) {
        random_mpz(a, r, i % 3 == 0 ? 70 : 300);
        random_mpz(b, r, i % 5 == 0 ? 64 : 300);
        if (i % 7 == 0)
            mpz_set(b, a);
        check_binary(r, a, b);
        /* round trip through text in several radices */
        TmValue v = tm_integer_from_mpz(node, a);
        for (int radix = 2; radix <= 36; radix += 7) {
            char *s = format_radix(v, radix);
            char *expect = mpz_get_str(NULL, radix, a);
            g_assert_cmpstr(s, ==, expect);
            TmValue w = parse_radix(s, radix);
            g_assert_true(tm_num_eqv(v, w));
            void (*freefn)(void *, size_t);
            mp_get_memory_functions(NULL, NULL, &freefn);
            freefn(expect, strlen(expect) + 1);
            g_free(s);
        }
    }
    mpz_clears(a, b, NULL);
    g_rand_free(r);
}

static void test_bignum_normalize(void)
{
    mpz_t z;
    mpz_init_set_ui(z, 1);
    mpz_mul_2exp(z, z, 200);
    TmValue big = tm_integer_from_mpz(node, z);
    g_assert_true(tm_is_bignum(big));
    TmValue zero = tm_num_sub(node, big, big);
    g_assert_true(zero == tm_fix(0));
    g_assert_true(tm_num_div(node, big, big) == tm_fix(1));
    TmValue half = tm_num_div(node, tm_fix(1), big);
    g_assert_true(tm_is_ratnum(half));
    g_assert_true(tm_num_mul(node, half, big) == tm_fix(1));
    mpz_set_si(z, -5);
    g_assert_true(tm_integer_from_mpz(node, z) == tm_fix(-5));
    mpz_clear(z);
}

/* ---- reading ---------------------------------------------------------- */

static void test_parse_integer(void)
{
    g_assert_true(num("0") == tm_fix(0));
    g_assert_true(num("-0") == tm_fix(0));
    g_assert_true(num("+17") == tm_fix(17));
    g_assert_true(num("-17") == tm_fix(-17));
    g_assert_true(num("007") == tm_fix(7));
    assert_formats(num("123456789012345678901234567890"),
                   "123456789012345678901234567890");
    assert_formats(num("-123456789012345678901234567890"),
                   "-123456789012345678901234567890");
    g_assert_true(num("#xff") == tm_fix(255));
    g_assert_true(num("#XFF") == tm_fix(255));
    g_assert_true(num("#x-1a") == tm_fix(-26));
    g_assert_true(num("#b101") == tm_fix(5));
    g_assert_true(num("#o777") == tm_fix(511));
    g_assert_true(num("#d99") == tm_fix(99));
    g_assert_true(parse_radix("ff", 16) == tm_fix(255));
    g_assert_true(parse_radix("#d10", 16) == tm_fix(10));
    assert_formats(num("#xffffffffffffffffffff"), "1208925819614629174706175");
}

static void test_parse_rational(void)
{
    assert_formats(num("1/3"), "1/3");
    assert_formats(num("-2/6"), "-1/3");
    assert_formats(num("+6/4"), "3/2");
    g_assert_true(num("4/2") == tm_fix(2));
    g_assert_true(num("0/5") == tm_fix(0));
    assert_formats(num("#x10/3"), "16/3");
    assert_formats(num("123456789012345678901234567890/10"),
                   "12345678901234567890123456789");
    g_assert_true(parse("1/0") == TM_FALSE);
    g_assert_true(parse("1/-2") == TM_FALSE);
    g_assert_true(parse("1/2/3") == TM_FALSE);
    g_assert_true(parse("/2") == TM_FALSE);
    g_assert_true(parse("1/") == TM_FALSE);
    g_assert_true(parse("1.5/2") == TM_FALSE);
}

static void test_parse_decimal(void)
{
    assert_formats(num(".5"), "0.5");
    assert_formats(num("1."), "1.0");
    assert_formats(num("-1.5"), "-1.5");
    assert_formats(num("1e10"), "10000000000.0");
    assert_formats(num("1E10"), "10000000000.0");
    assert_formats(num("1.5e-3"), "0.0015");
    assert_formats(num("+.5e+2"), "50.0");
    assert_formats(num("-0.0"), "-0.0");
    assert_formats(num("1e400"), "+inf.0");
    assert_formats(num("1e-400"), "0.0");
    assert_formats(num("+inf.0"), "+inf.0");
    assert_formats(num("-inf.0"), "-inf.0");
    assert_formats(num("+nan.0"), "+nan.0");
    assert_formats(num("-nan.0"), "+nan.0");
    /* correct rounding: halfway cases and the smallest subnormal */
    g_assert_cmpfloat(tm_flonum_value(num("9007199254740993.0")), ==, 9007199254740992.0);
    g_assert_cmpfloat(tm_flonum_value(num("4.9406564584124654e-324")), ==, 0x1p-1074);
    g_assert_cmpfloat(tm_flonum_value(num("2.4703282292062328e-324")), ==, 0x1p-1074);
    g_assert_cmpfloat(tm_flonum_value(num("0.1")), ==, 0.1);
    /* decimals only in radix 10 */
    g_assert_true(parse("#x1.5") == TM_FALSE);
    g_assert_true(tm_num_eqv(parse_radix("1e2", 16), tm_fix(0x1e2)));
}

static void test_parse_exactness(void)
{
    assert_formats(num("#e1.5"), "3/2");
    assert_formats(num("#e-1.5"), "-3/2");
    assert_formats(num("#e1e3"), "1000");
    assert_formats(num("#e1.25e-1"), "1/8");
    assert_formats(num("#e.1"), "1/10");
    assert_formats(num("#e1e30"), "1000000000000000000000000000000");
    assert_formats(num("#i1/3"), "0.3333333333333333");
    assert_formats(num("#i-1/3"), "-0.3333333333333333");
    assert_formats(num("#i5"), "5.0");
    assert_formats(num("#i-0"), "-0.0");
    assert_formats(num("#x#e10"), "16");
    assert_formats(num("#e#x10"), "16");
    assert_formats(num("#i#x10"), "16.0");
    assert_formats(num("#x#iff"), "255.0");
    g_assert_true(parse("#e+inf.0") == TM_FALSE);
    g_assert_true(parse("#e#e1") == TM_FALSE);
    g_assert_true(parse("#x#x1") == TM_FALSE);
    g_assert_true(parse("#e#i1") == TM_FALSE);
}

static void test_parse_invalid(void)
{
    static const char *const bad[] = {
        "", "+", "-", ".", "...", "1+", "abc", "+i", "1+2i", "-i", "e1",
        "1e", "1e+", ".e1", "+.", "#", "#x", "#e", "#q1", "1..2", "1.2.3",
        "--1", "+-1", "1 ", " 1", "inf.0", "+inf", "nan.0", "+inf.1",
        "1/2e3", "#b2", "#o8", "0x10", "1_000", "->", "+5a", "1#",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
        if (parse(bad[i]) != TM_FALSE)
            g_error("\"%s\" should not read as a number", bad[i]);
    uint32_t lambda[] = {'1', 0x3bb};
    g_assert_true(tm_num_parse(node, lambda, 2, 10) == TM_FALSE);
    uint32_t nul[] = {'1', 0, '2'};
    g_assert_true(tm_num_parse(node, nul, 3, 10) == TM_FALSE);
}

/* ---- writing ---------------------------------------------------------- */

static void test_format_flonum(void)
{
    static const struct {
        double d;
        const char *s;
    } cases[] = {
        {1.0, "1.0"}, {-1.0, "-1.0"}, {100.0, "100.0"}, {0.1, "0.1"},
        {-0.0, "-0.0"}, {0.0, "0.0"}, {1.5, "1.5"}, {1e21, "1e21"},
        {1e20, "100000000000000000000.0"}, {1.5e-7, "1.5e-7"}, {1e-7, "1e-7"},
        {1e-6, "0.000001"}, {0.001, "0.001"}, {123.456, "123.456"},
        {123456789012345680000.0, "123456789012345680000.0"},
        {1.0 / 3, "0.3333333333333333"}, {2.0 / 3, "0.6666666666666666"},
        {0x1p53, "9007199254740992.0"}, {0x1p-1074, "5e-324"},
        {DBL_MAX, "1.7976931348623157e308"}, {DBL_MIN, "2.2250738585072014e-308"},
        {1e100, "1e100"}, {1.2345e-100, "1.2345e-100"}, {0.1 + 0.2, "0.30000000000000004"},
        {INFINITY, "+inf.0"}, {-INFINITY, "-inf.0"}, {NAN, "+nan.0"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++)
        assert_formats(tm_make_flonum(node, cases[i].d), cases[i].s);
}

/* Random bit patterns cover every exponent; each must come back with the
 * same bits, and no shorter text may exist (checked by dropping a digit). */
static void test_format_roundtrip(void)
{
    GRand *r = g_rand_new_with_seed(7);
    for (int i = 0; i < 100000; i++) {
        uint64_t u = (uint64_t)g_rand_int(r) << 32 | g_rand_int(r);
        if (i % 4 == 0) /* ordinary magnitudes too */
            u = double_bits(g_rand_double_range(r, -1e6, 1e6));
        double d = bits_double(u);
        if (isnan(d))
            continue;
        char *s = format_radix(tm_make_flonum(node, d), 10);
        TmValue back = parse(s);
        g_assert_true(tm_is_flonum(back));
        if (double_bits(tm_flonum_value(back)) != u)
            g_error("%.17g printed as %s reads back as %.17g", d, s,
                    tm_flonum_value(back));
        g_free(s);
    }
    g_rand_free(r);
}

/* ---- exact -> inexact rounding ---------------------------------------- */

/* d is the double nearest to the exact x (ties to even): the exact
 * distance to d is at most the distance to either neighbour. */
static void assert_nearest(TmValue x, double d)
{
    if (isinf(d))
        return;
    mpq_t q, diff, other;
    mpq_inits(q, diff, other, NULL);
    if (tm_is_ratnum(x)) {
        to_mpz(mpq_numref(q), TM_SLOT(x, 0));
        to_mpz(mpq_denref(q), TM_SLOT(x, 1));
    } else {
        to_mpz(mpq_numref(q), x);
    }
    mpq_set_d(diff, d);
    mpq_sub(diff, diff, q);
    mpq_abs(diff, diff);
    double nb[2] = {nextafter(d, -INFINITY), nextafter(d, INFINITY)};
    for (int i = 0; i < 2; i++) {
        if (isinf(nb[i]))
            continue;
        mpq_set_d(other, nb[i]);
        mpq_sub(other, other, q);
        mpq_abs(other, other);
        int c = mpq_cmp(diff, other);
        g_assert_cmpint(c, <=, 0);
        if (c == 0) /* a tie goes to the even mantissa */
            g_assert_true((double_bits(d) & 1) == 0);
    }
    mpq_clears(q, diff, other, NULL);
}

static void test_to_double_rounding(void)
{
    GRand *r = g_rand_new_with_seed(99);
    mpz_t a, b;
    mpz_inits(a, b, NULL);
    for (int i = 0; i < 20000; i++) {
        int abits = i % 3 == 0 ? 60 : i % 3 == 1 ? 200 : 1200;
        random_mpz(a, r, abits);
        random_mpz(b, r, i % 2 ? 64 : 1200);
        if (mpz_sgn(b) == 0)
            mpz_set_ui(b, 3);
        TmValue ia = tm_integer_from_mpz(node, a);
        assert_nearest(ia, tm_num_to_double(ia));
        TmValue q = tm_num_div(node, ia, tm_integer_from_mpz(node, b));
        assert_nearest(q, tm_num_to_double(q));
    }
    /* exact halfway cases */
    assert_formats(CALL("exact->inexact", num("9007199254740993")), "9007199254740992.0");
    assert_formats(CALL("exact->inexact", num("9007199254740995")), "9007199254740996.0");
    assert_formats(CALL("inexact", num("1/3")), "0.3333333333333333");
    /* subnormal and overflowing ratios */
    mpz_set_ui(a, 1);
    mpz_mul_2exp(a, a, 1074);
    TmValue tiny = tm_num_div(node, tm_fix(1), tm_integer_from_mpz(node, a));
    g_assert_cmpfloat(tm_num_to_double(tiny), ==, 0x1p-1074);
    TmValue tinier = tm_num_div(node, tiny, tm_fix(2));
    g_assert_cmpfloat(tm_num_to_double(tinier), ==, 0.0); /* tie to even */
    TmValue tinier3 = tm_num_mul(node, tinier, num("3/2"));
    g_assert_cmpfloat(tm_num_to_double(tinier3), ==, 0x1p-1074);
    mpz_mul_2exp(a, a, 2000);
    g_assert_true(isinf(tm_num_to_double(tm_integer_from_mpz(node, a))));
    mpz_clears(a, b, NULL);
    g_rand_free(r);
}

static void test_exact_of_flonum(void)
{
    assert_call("1/2", "exact", num("0.5"));
    assert_call("-1/2", "inexact->exact", num("-0.5"));
    assert_call("3602879701896397/36028797018963968", "exact", num("0.1"));
    assert_call("9007199254740992", "exact", num("9007199254740992.0"));
    assert_call("1e308", "inexact", CALL("exact", num("1e308")));
    assert_formats(CALL("exact", num("1e30")), "1000000000000000019884624838656");
    assert_call("0", "exact", num("-0.0"));
    assert_raises(CALL("exact", num("+inf.0")), "no exact representation");
    assert_raises(CALL("exact", num("+nan.0")), "no exact representation");
    assert_raises(CALL("exact", TM_TRUE), "must be a number");
}

/* ---- arithmetic ------------------------------------------------------- */

static void test_division(void)
{
    assert_call("3/2", "/", tm_fix(6), tm_fix(4));
    assert_call("-3/2", "/", tm_fix(-6), tm_fix(4));
    assert_call("-3/2", "/", tm_fix(6), tm_fix(-4));
    assert_call("2", "/", tm_fix(4), tm_fix(2));
    assert_call("1/2", "/", tm_fix(2));
    assert_call("-1/2", "/", tm_fix(-2));
    assert_call("1/6", "/", tm_fix(1), tm_fix(2), tm_fix(3));
    assert_call("1", "/", num("1/2"), num("1/2"));
    assert_call("5/6", "+", num("1/2"), num("1/3"));
    assert_call("1", "+", num("1/2"), num("1/2"));
    assert_call("0.5", "/", num("1.0"), tm_fix(2));
    assert_call("+inf.0", "/", num("1.0"), tm_fix(0));
    assert_call("-inf.0", "/", num("-1.0"), num("0.0"));
    assert_call("+inf.0", "/", num("0.0"));
    assert_raises(CALL("/", tm_fix(1), tm_fix(0)), "division by zero");
    assert_raises(CALL("/", tm_fix(0)), "division by zero");
    assert_raises(CALL("/", num("1/2"), tm_fix(0)), "division by zero");
    assert_raises(CALL("/", tm_fix(1), TM_TRUE), "argument 2 must be a number");
    assert_raises(CALL("+", tm_fix(1), tm_fix(2), TM_NIL), "argument 3 must be a number");
}

static void test_integer_division(void)
{
    /* R7RS's table for floor/ and truncate/ */
    static const struct {
        int a, b, fq, fr, tq, tr;
    } t[] = {
        {5, 2, 2, 1, 2, 1}, {-5, 2, -3, 1, -2, -1},
        {5, -2, -3, -1, -2, 1}, {-5, -2, 2, -1, 2, -1},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(t); i++) {
        TmValue a = tm_fix(t[i].a), b = tm_fix(t[i].b);
        TmValue f = CALL("floor/", a, b), tr = CALL("truncate/", a, b);
        g_assert_true(tm_has_type(f, TM_T_VALUES));
        g_assert_true(TM_SLOT(f, 0) == tm_fix(t[i].fq));
        g_assert_true(TM_SLOT(f, 1) == tm_fix(t[i].fr));
        g_assert_true(TM_SLOT(tr, 0) == tm_fix(t[i].tq));
        g_assert_true(TM_SLOT(tr, 1) == tm_fix(t[i].tr));
        g_assert_true(CALL("modulo", a, b) == tm_fix(t[i].fr));
        g_assert_true(CALL("remainder", a, b) == tm_fix(t[i].tr));
        g_assert_true(CALL("floor-quotient", a, b) == tm_fix(t[i].fq));
        g_assert_true(CALL("truncate-quotient", a, b) == tm_fix(t[i].tq));
    }
    assert_call("-1.0", "remainder", num("-7.0"), tm_fix(2));
    assert_call("1.0", "modulo", num("-7.0"), tm_fix(2));
    assert_call("3.0", "quotient", num("7."), tm_fix(2));
    assert_raises(CALL("quotient", tm_fix(1), tm_fix(0)), "division by zero");
    assert_raises(CALL("modulo", num("1.5"), tm_fix(1)), "must be an integer");
    assert_call("4", "gcd", tm_fix(-12), tm_fix(8));
    assert_call("0", "gcd");
    assert_call("1", "lcm");
    assert_call("24", "lcm", tm_fix(-8), tm_fix(12));
    assert_call("4.0", "gcd", num("12."), tm_fix(8));
    assert_call("0", "lcm", tm_fix(0), tm_fix(5));
    TmValue s = CALL("exact-integer-sqrt", tm_fix(17));
    g_assert_true(TM_SLOT(s, 0) == tm_fix(4) && TM_SLOT(s, 1) == tm_fix(1));
    s = CALL("exact-integer-sqrt", num("1000000000000000000000000000002"));
    assert_formats(TM_SLOT(s, 0), "1000000000000000");
    assert_formats(TM_SLOT(s, 1), "2");
    assert_raises(CALL("exact-integer-sqrt", tm_fix(-1)), "nonnegative");
}

static void test_misc_arith(void)
{
    assert_call("0", "+");
    assert_call("1", "*");
    assert_call("-0.0", "+", num("-0.0"));
    assert_call("-0.0", "-", num("0.0"));
    assert_call("-5", "-", tm_fix(5));
    assert_call("0", "-", tm_fix(0));
    assert_call("6", "-", tm_fix(10), tm_fix(3), tm_fix(1));
    assert_call("7.5", "+", tm_fix(7), num("0.5"));
    assert_call("0.5", "+", num("1/4"), num("0.25"));
    assert_call("1/4", "square", num("1/2"));
    assert_call("5/2", "abs", num("-5/2"));
    assert_call("0.0", "abs", num("-0.0"));
    assert_call("4611686018427387904", "abs", num("-4611686018427387904"));
    assert_call("3", "numerator", num("6/4"));
    assert_call("2", "denominator", num("6/4"));
    assert_call("1", "denominator", tm_fix(5));
    assert_call("2.0", "denominator", num("0.5"));
    assert_call("3.0", "numerator", num("0.75"));
    assert_call("1.0", "denominator", num("3.0"));
}

static void test_rounding(void)
{
    assert_call("2.0", "round", num("2.5"));
    assert_call("4.0", "round", num("3.5"));
    assert_call("-2.0", "round", num("-2.5"));
    assert_call("-0.0", "round", num("-0.5"));
    assert_call("4", "round", num("7/2"));
    assert_call("2", "round", num("5/2"));
    assert_call("-4", "round", num("-7/2"));
    assert_call("3", "round", num("8/3"));
    assert_call("-4", "floor", num("-7/2"));
    assert_call("-3", "ceiling", num("-7/2"));
    assert_call("-3", "truncate", num("-7/2"));
    assert_call("3", "floor", num("7/2"));
    assert_call("-5.0", "floor", num("-4.3"));
    assert_call("-4.0", "ceiling", num("-4.3"));
    assert_call("-4.0", "truncate", num("-4.3"));
    assert_call("7", "round", tm_fix(7));
    assert_call("1/3", "rationalize", num("1/3"), num("1/100"));
    assert_call("1/3", "rationalize", num("3/10"), num("1/10"));
    assert_call("0.3333333333333333", "rationalize", num("0.3"), num("1/10"));
    assert_call("-1/3", "rationalize", num("-3/10"), num("1/10"));
    assert_call("0", "rationalize", num("1/10"), num("1/5"));
    assert_call("2", "rationalize", tm_fix(2), tm_fix(0));
    assert_call("+inf.0", "rationalize", num("+inf.0"), tm_fix(3));
    assert_call("0.0", "rationalize", tm_fix(3), num("+inf.0"));
}

static void test_expt(void)
{
    assert_call("1267650600228229401496703205376", "expt", tm_fix(2), tm_fix(100));
    assert_call("1/4", "expt", tm_fix(2), tm_fix(-2));
    assert_call("27/8", "expt", num("2/3"), tm_fix(-3));
    assert_call("-1/8", "expt", num("-1/2"), tm_fix(3));
    assert_call("1", "expt", tm_fix(0), tm_fix(0));
    assert_call("0", "expt", tm_fix(0), tm_fix(5));
    assert_call("1.0", "expt", num("2.5"), tm_fix(0));
    assert_call("-1", "expt", tm_fix(-1), num("100000000000000000000001"));
    assert_call("2", "expt", tm_fix(4), num("1/2"));
    assert_call("4", "expt", tm_fix(8), num("2/3"));
    assert_call("1/2", "expt", num("1/4"), num("1/2"));
    assert_call("1.4142135623730951", "expt", tm_fix(2), num("1/2"));
    assert_call("8.0", "expt", num("2."), tm_fix(3));
    assert_call("0.125", "expt", tm_fix(2), num("-3.0"));
    assert_call("-1.0", "expt", num("-1.0"), num("100000000000000000000001"));
    assert_call("1.0", "expt", num("-1.0"), num("100000000000000000000000"));
    assert_raises(CALL("expt", tm_fix(0), tm_fix(-1)), "division by zero");
    assert_raises(CALL("expt", tm_fix(-8), num("1/3")), "no complex");
    assert_raises(CALL("expt", tm_fix(2), num("100000000000000000000")), "too large");
}

static void test_sqrt(void)
{
    assert_call("4", "sqrt", tm_fix(16));
    assert_call("0", "sqrt", tm_fix(0));
    assert_call("1.4142135623730951", "sqrt", tm_fix(2));
    assert_call("1/2", "sqrt", num("1/4"));
    assert_call("2.0", "sqrt", num("4.0"));
    assert_call("-0.0", "sqrt", num("-0.0"));
    assert_call("+inf.0", "sqrt", num("+inf.0"));
    assert_raises(CALL("sqrt", tm_fix(-4)), "no complex");
    assert_raises(CALL("sqrt", num("-4.0")), "no complex");
    TmValue big = CALL("expt", tm_fix(10), tm_fix(400));
    TmValue root = CALL("sqrt", big);
    g_assert_true(tm_num_eqv(root, CALL("expt", tm_fix(10), tm_fix(200))));
    assert_call("1e200", "sqrt", tm_num_add(node, big, tm_fix(1)));
    TmValue tiny = CALL("sqrt", tm_num_div(node, tm_fix(9), tm_num_add(node, big, tm_fix(1))));
    g_assert_cmpfloat(tm_flonum_value(tiny), ==, 3e-200);
    TmValue huge = CALL("sqrt", tm_num_mul(node, big, num("2/1")));
    g_assert_cmpfloat_with_epsilon(tm_flonum_value(huge), sqrt(2) * 1e200, 1e186);
}

static void test_transcendental(void)
{
    assert_call("1", "exp", tm_fix(0));
    assert_call("2.718281828459045", "exp", tm_fix(1));
    assert_call("0", "log", tm_fix(1));
    assert_call("0.0", "log", num("1.0"));
    assert_call("-inf.0", "log", num("0.0"));
    assert_call("3.0", "log", tm_fix(8), tm_fix(2));
    assert_call("2.0", "log", tm_fix(100), tm_fix(10));
    TmValue big = CALL("expt", tm_fix(10), tm_fix(400));
    double ln10 = log(10.0);
    g_assert_cmpfloat_with_epsilon(tm_flonum_value(CALL("log", big)), 400 * ln10, 1e-12);
    TmValue small = tm_num_div(node, tm_fix(1), big);
    g_assert_cmpfloat_with_epsilon(tm_flonum_value(CALL("log", small)), -400 * ln10, 1e-12);
    assert_raises(CALL("log", tm_fix(-1)), "no complex");
    assert_call("0", "sin", tm_fix(0));
    assert_call("1", "cos", tm_fix(0));
    assert_call("0.7853981633974483", "atan", tm_fix(1), tm_fix(1));
    assert_call("0.7853981633974483", "atan", tm_fix(1));
    assert_call("1.5707963267948966", "asin", tm_fix(1));
    assert_call("0", "acos", tm_fix(1));
    assert_raises(CALL("asin", tm_fix(2)), "no complex");
}

/* ---- comparison ------------------------------------------------------- */

static void test_compare(void)
{
    TmValue p53 = CALL("expt", tm_fix(2), tm_fix(53));
    TmValue f53 = CALL("exact->inexact", p53);
    TmValue p53p1 = tm_num_add(node, p53, tm_fix(1));
    /* (+ 2^53. 1) rounds back to 2^53. */
    g_assert_true(CALL("=", p53, tm_num_add(node, f53, tm_fix(1))) == TM_TRUE);
    g_assert_true(CALL("=", p53p1, f53) == TM_FALSE);
    g_assert_true(CALL("<", f53, p53p1) == TM_TRUE);
    g_assert_true(CALL(">", p53p1, f53) == TM_TRUE);
    TmValue p64 = CALL("expt", tm_fix(2), tm_fix(64));
    g_assert_true(CALL("=", p64, num("18446744073709551616.0")) == TM_TRUE);
    g_assert_true(CALL("<", tm_num_sub(node, p64, tm_fix(1)),
                       num("18446744073709551616.0")) == TM_TRUE);
    g_assert_true(CALL("<", num("1/3"), num("0.3333333333333333")) == TM_FALSE);
    g_assert_true(CALL(">", num("1/3"), num("0.3333333333333333")) == TM_TRUE);
    g_assert_true(CALL("<", p64, num("+inf.0")) == TM_TRUE);
    g_assert_true(CALL(">", p64, num("-inf.0")) == TM_TRUE);
    g_assert_true(CALL("=", tm_fix(1), tm_fix(1), num("1.0")) == TM_TRUE);
    g_assert_true(CALL("<", tm_fix(1), tm_fix(2), tm_fix(2)) == TM_FALSE);
    g_assert_true(CALL("<=", tm_fix(1), tm_fix(2), tm_fix(2)) == TM_TRUE);
    g_assert_true(CALL(">=", tm_fix(3), tm_fix(2), tm_fix(2), num("1.5")) == TM_TRUE);
    g_assert_true(CALL("=", tm_fix(1)) == TM_TRUE);
    TmValue nan = num("+nan.0");
    static const char *const rel[] = {"=", "<", ">", "<=", ">="};
    for (size_t i = 0; i < G_N_ELEMENTS(rel); i++) {
        g_assert_true(CALL(rel[i], nan, tm_fix(1)) == TM_FALSE);
        g_assert_true(CALL(rel[i], tm_fix(1), nan) == TM_FALSE);
        g_assert_true(CALL(rel[i], nan, nan) == TM_FALSE);
    }
    bool err = false;
    g_assert_cmpint(tm_num_compare(node, "<", nan, tm_fix(1), &err), ==, 2);
    g_assert_cmpint(tm_num_compare(node, "<", tm_fix(1), num("1/2"), &err), ==, 1);
    g_assert_false(err);
    tm_num_compare(node, "<", tm_fix(1), TM_NIL, &err);
    g_assert_true(err);
    assert_raises(TM_EXC, "<: argument 2 must be a number");
    assert_raises(CALL("<", tm_fix(1), tm_fix(0), TM_TRUE), "argument 3");

    assert_call("3", "max", tm_fix(1), tm_fix(3), tm_fix(2));
    assert_call("3.0", "max", tm_fix(1), tm_fix(3), num("2.0"));
    assert_call("-1/2", "min", tm_fix(1), num("-1/2"));
    assert_call("+nan.0", "max", tm_fix(1), nan);
}

static void test_eqv(void)
{
    g_assert_true(tm_num_eqv(num("0.0"), num("0.0")));
    g_assert_false(tm_num_eqv(num("0.0"), num("-0.0")));
    g_assert_true(tm_num_eqv(num("+nan.0"), num("+nan.0")));
    g_assert_false(tm_num_eqv(tm_fix(1), num("1.0")));
    g_assert_true(tm_num_eqv(num("100000000000000000000000"),
                             num("100000000000000000000000")));
    g_assert_false(tm_num_eqv(num("100000000000000000000000"),
                              num("-100000000000000000000000")));
    g_assert_false(tm_num_eqv(num("100000000000000000000000"),
                              num("100000000000000000000001")));
    g_assert_true(tm_num_eqv(num("1/3"), num("2/6")));
    g_assert_false(tm_num_eqv(num("1/3"), num("-1/3")));
    g_assert_true(tm_eqv(num("1/3"), num("2/6")));
}

/* ---- predicates ------------------------------------------------------- */

static void test_predicates(void)
{
    TmValue big = num("100000000000000000000000");
    g_assert_true(CALL("integer?", num("2.0")) == TM_TRUE);
    g_assert_true(CALL("integer?", num("2.5")) == TM_FALSE);
    g_assert_true(CALL("integer?", num("+inf.0")) == TM_FALSE);
    g_assert_true(CALL("integer?", big) == TM_TRUE);
    g_assert_true(CALL("integer?", TM_NIL) == TM_FALSE);
    g_assert_true(CALL("rational?", num("1/2")) == TM_TRUE);
    g_assert_true(CALL("rational?", num("+nan.0")) == TM_FALSE);
    g_assert_true(CALL("real?", num("1.5")) == TM_TRUE);
    g_assert_true(CALL("number?", TM_TRUE) == TM_FALSE);
    g_assert_true(CALL("exact?", num("1/2")) == TM_TRUE);
    g_assert_true(CALL("inexact?", num("1.")) == TM_TRUE);
    assert_raises(CALL("exact?", TM_TRUE), "exact?: argument 1 must be a number");
    g_assert_true(CALL("exact-integer?", big) == TM_TRUE);
    g_assert_true(CALL("exact-integer?", num("1.0")) == TM_FALSE);
    g_assert_true(CALL("exact-rational?", num("1/2")) == TM_TRUE);
    g_assert_true(CALL("nan?", num("+nan.0")) == TM_TRUE);
    g_assert_true(CALL("infinite?", num("-inf.0")) == TM_TRUE);
    g_assert_true(CALL("finite?", big) == TM_TRUE);
    g_assert_true(CALL("zero?", num("-0.0")) == TM_TRUE);
    g_assert_true(CALL("zero?", big) == TM_FALSE);
    g_assert_true(CALL("positive?", big) == TM_TRUE);
    g_assert_true(CALL("negative?", num("-1/2")) == TM_TRUE);
    g_assert_true(CALL("positive?", num("+nan.0")) == TM_FALSE);
    g_assert_true(CALL("odd?", num("100000000000000000000001")) == TM_TRUE);
    g_assert_true(CALL("even?", big) == TM_TRUE);
    g_assert_true(CALL("odd?", num("-3.0")) == TM_TRUE);
    g_assert_true(CALL("even?", tm_fix(-4)) == TM_TRUE);
    assert_raises(CALL("odd?", num("1/2")), "must be an integer");
}

/* ---- bitwise ---------------------------------------------------------- */

static void test_bitwise(void)
{
    assert_call("-1", "bitwise-and");
    assert_call("0", "bitwise-ior");
    assert_call("8", "bitwise-and", tm_fix(12), tm_fix(10));
    assert_call("14", "bitwise-ior", tm_fix(12), tm_fix(10));
    assert_call("6", "bitwise-xor", tm_fix(12), tm_fix(10));
    assert_call("-13", "bitwise-not", tm_fix(12));
    assert_call("4", "bitwise-and", tm_fix(-4), tm_fix(7));
    assert_call("1024", "arithmetic-shift", tm_fix(1), tm_fix(10));
    assert_call("-1", "arithmetic-shift", tm_fix(-5), tm_fix(-10));
    assert_call("-3", "arithmetic-shift", tm_fix(-5), tm_fix(-1));
    assert_call("0", "arithmetic-shift", tm_fix(5), tm_fix(-100));
    assert_call("-1", "arithmetic-shift", tm_fix(-5), tm_fix(-100));
    assert_call("1267650600228229401496703205376", "arithmetic-shift", tm_fix(1),
                tm_fix(100));
    assert_call("4611686018427387904", "arithmetic-shift", tm_fix(1), tm_fix(62));
    assert_call("-4611686018427387904", "arithmetic-shift", tm_fix(-1), tm_fix(62));
    assert_call("1", "arithmetic-shift", num("1267650600228229401496703205376"),
                tm_fix(-100));
    assert_raises(CALL("arithmetic-shift", tm_fix(1), tm_fix((intptr_t)1 << 40)),
                  "too large");
    assert_call("0", "arithmetic-shift", tm_fix(0), tm_fix((intptr_t)1 << 40));
    assert_call("3", "bit-count", tm_fix(7));
    assert_call("2", "bit-count", tm_fix(-4)); /* ...11100: two zeros */
    assert_call("101", "bit-count", tm_num_sub(node, CALL("expt", tm_fix(2), tm_fix(101)),
                                               tm_fix(1)));
    assert_call("100", "bit-count", tm_num_sub(node, tm_fix(0),
                                               CALL("expt", tm_fix(2), tm_fix(100))));
    assert_call("0", "integer-length", tm_fix(0));
    assert_call("3", "integer-length", tm_fix(7));
    assert_call("3", "integer-length", tm_fix(-8));
    assert_call("101", "integer-length", CALL("expt", tm_fix(2), tm_fix(100)));
    assert_call("100", "integer-length", tm_num_sub(node, tm_fix(0),
                                                   CALL("expt", tm_fix(2), tm_fix(100))));
    g_assert_true(CALL("bit-set?", tm_fix(2), tm_fix(4)) == TM_TRUE);
    g_assert_true(CALL("bit-set?", tm_fix(100), tm_fix(-1)) == TM_TRUE);
    g_assert_true(CALL("bit-set?", tm_fix(100), CALL("expt", tm_fix(2), tm_fix(100))) == TM_TRUE);
    assert_raises(CALL("bitwise-and", tm_fix(1), num("1.0")), "argument 2 must be an exact integer");
}

/* ---- strings ---------------------------------------------------------- */

static TmValue str(const char *s) { return tm_string_from_utf8(node, s, -1); }

static void assert_string(TmValue s, const char *expected)
{
    g_assert_true(tm_is_string(s));
    char *c = tm_string_to_utf8(s);
    g_assert_cmpstr(c, ==, expected);
    g_free(c);
}

static void test_string_conversion(void)
{
    assert_string(CALL("number->string", tm_fix(255), tm_fix(16)), "ff");
    assert_string(CALL("number->string", tm_fix(-5), tm_fix(2)), "-101");
    assert_string(CALL("number->string", num("-1/3"), tm_fix(3)), "-1/10");
    assert_string(CALL("number->string", num("1.5")), "1.5");
    assert_string(CALL("number->string", TM_SLOT(CALL("floor/", tm_fix(7), tm_fix(2)), 0)), "3");
    assert_raises(CALL("number->string", num("1.5"), tm_fix(2)), "radix 10");
    assert_raises(CALL("number->string", tm_fix(1), tm_fix(1)), "radix");
    assert_formats(CALL("string->number", str("ff"), tm_fix(16)), "255");
    assert_formats(CALL("string->number", str("#e1.5")), "3/2");
    assert_formats(CALL("string->number", str("1e3")), "1000.0");
    g_assert_true(CALL("string->number", str("abc")) == TM_FALSE);
    g_assert_true(CALL("string->number", str("")) == TM_FALSE);
    assert_raises(CALL("string->number", tm_fix(1)), "must be a string");
}

/* ---- random ----------------------------------------------------------- */

static void test_random(void)
{
    int seen[10] = {0};
    for (int i = 0; i < 1000; i++) {
        TmValue v = CALL("random-integer", tm_fix(10));
        g_assert_true(tm_is_fixnum(v));
        g_assert_cmpint(tm_fixval(v), >=, 0);
        g_assert_cmpint(tm_fixval(v), <, 10);
        seen[tm_fixval(v)]++;
    }
    for (int i = 0; i < 10; i++)
        g_assert_cmpint(seen[i], >, 50);
    TmValue bound = tm_num_add(node, CALL("expt", tm_fix(2), tm_fix(100)), tm_fix(1));
    bool high = false;
    for (int i = 0; i < 200; i++) {
        TmValue v = CALL("random-integer", bound);
        g_assert_true(tm_is_exact_integer(v));
        g_assert_true(CALL(">=", v, tm_fix(0)) == TM_TRUE);
        g_assert_true(CALL("<", v, bound) == TM_TRUE);
        high |= CALL(">", v, CALL("expt", tm_fix(2), tm_fix(98))) == TM_TRUE;
    }
    g_assert_true(high);
    g_assert_true(CALL("random-integer", tm_fix(1)) == tm_fix(0));
    assert_raises(CALL("random-integer", tm_fix(0)), "positive exact integer");
    for (int i = 0; i < 1000; i++) {
        double d = tm_flonum_value(call("random-real", NULL, 0));
        g_assert_true(d > 0 && d < 1);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    TmWorld *w = tm_world_real_new(1);
    node = tm_node_new(w);

    g_test_add_func("/num/fixnum/boundaries", test_fixnum_boundaries);
    g_test_add_func("/num/bignum/random-vs-gmp", test_bignum_random);
    g_test_add_func("/num/bignum/normalize", test_bignum_normalize);
    g_test_add_func("/num/parse/integer", test_parse_integer);
    g_test_add_func("/num/parse/rational", test_parse_rational);
    g_test_add_func("/num/parse/decimal", test_parse_decimal);
    g_test_add_func("/num/parse/exactness", test_parse_exactness);
    g_test_add_func("/num/parse/invalid", test_parse_invalid);
    g_test_add_func("/num/format/flonum", test_format_flonum);
    g_test_add_func("/num/format/roundtrip", test_format_roundtrip);
    g_test_add_func("/num/inexact/rounding", test_to_double_rounding);
    g_test_add_func("/num/exact/of-flonum", test_exact_of_flonum);
    g_test_add_func("/num/arith/division", test_division);
    g_test_add_func("/num/arith/integer-division", test_integer_division);
    g_test_add_func("/num/arith/misc", test_misc_arith);
    g_test_add_func("/num/arith/rounding", test_rounding);
    g_test_add_func("/num/arith/expt", test_expt);
    g_test_add_func("/num/arith/sqrt", test_sqrt);
    g_test_add_func("/num/arith/transcendental", test_transcendental);
    g_test_add_func("/num/compare", test_compare);
    g_test_add_func("/num/eqv", test_eqv);
    g_test_add_func("/num/predicates", test_predicates);
    g_test_add_func("/num/bitwise", test_bitwise);
    g_test_add_func("/num/strings", test_string_conversion);
    g_test_add_func("/num/random", test_random);
    int rc = g_test_run();

    tm_node_free(node);
    tm_world_free(w);
    return rc;
}
