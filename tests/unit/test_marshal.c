/* The wire format: round trips of every kind of value (random, shared,
 * cyclic, deep, long), code travelling between nodes, continuations
 * resumed on another node, and the decoder's defences: truncated and
 * corrupted input, limits, and the bytecode verifier. */
#include <math.h>

#include "termite.h"

#include "compiler.h"
#include "heap.h"
#include "marshal.h"
#include "num.h"
#include "process.h"
#include "vm.h"

/* ---- helpers ------------------------------------------------------------ */

/* Each node its own seed: the seed draws the node's incarnation, and two
 * nodes with the same identity would take each other's pids for their own. */
static TmNode *node_new(void)
{
    static uint64_t seed = 1;
    TmNode *n = tm_node_new(tm_world_real_new(seed++));
    n->heap.verify = true;
    return n;
}

static void node_free(TmNode *n)
{
    TmWorld *w = n->world;
    tm_node_free(n);
    tm_world_free(w);
}

static TmValue eval(TmNode *n, const char *src)
{
    TmValue r = TM_FALSE;
    TmEvalStatus st = tm_node_eval_string(n, src, "test", &r);
    if (st != TM_EVAL_OK)
        g_error("evaluation failed: %s", src);
    return r;
}

static TmValue global(TmNode *n, const char *name)
{
    return TM_SLOT(tm_intern(n, name), TM_SYM_VALUE);
}

static GBytes *encode(TmNode *n, TmValue v)
{
    GError *err = NULL;
    GBytes *b = tm_marshal_encode(n, v, &err);
    g_assert_no_error(err);
    g_assert_nonnull(b);
    return b;
}

static TmValue decode(TmNode *n, GBytes *b)
{
    GError *err = NULL;
    gsize len;
    const uint8_t *p = g_bytes_get_data(b, &len);
    TmValue v = tm_marshal_decode(n, p, len, NULL, &err);
    g_assert_no_error(err);
    g_assert_true(v != TM_EXC);
    return v;
}

/* Decode and expect an error of the given code; returns its message. */
static char *decode_fails(TmNode *n, const uint8_t *p, size_t len, int code)
{
    GError *err = NULL;
    TmValue v = tm_marshal_decode(n, p, len, NULL, &err);
    g_assert_true(v == TM_EXC);
    g_assert_nonnull(err);
    if (code >= 0)
        g_assert_error(err, TM_MARSHAL_ERROR, code);
    char *msg = g_strdup(err->message);
    g_error_free(err);
    return msg;
}

static TmValue roundtrip(TmNode *n, TmValue v)
{
    GBytes *b = encode(n, v);
    TmValue r = decode(n, b);
    g_bytes_unref(b);
    return r;
}

static TmValue call1(TmNode *n, TmValue proc, TmValue arg)
{
    TmValue r = tm_vm_apply(n, proc, 1, &arg);
    g_assert_true(r != TM_EXC);
    return r;
}

/* ---- graph isomorphism: equal shape, equal sharing ------------------------ */

typedef struct {
    GHashTable *ab, *ba;
    GArray *todo; /* pairs of TmValue */
} Iso;

static bool iso_leaf(TmValue a, TmValue b)
{
    size_t sa = tm_obj_size(a);
    switch (tm_obj_type(a)) {
    case TM_T_FLONUM: case TM_T_BIGNUM: case TM_T_STRING: case TM_T_BYTEVECTOR:
        return sa == tm_obj_size(b) && memcmp(tm_slots(a), tm_slots(b), sa * 8) == 0;
    case TM_T_SYMBOL:
        if (tm_fixval(TM_SLOT(a, TM_SYM_FLAGS)) & TM_SYMF_INTERNED)
            return a == b;
        return tm_string_equal(TM_SLOT(a, 0), TM_SLOT(b, 0));
    case TM_T_KEYWORD: case TM_T_RECORD_TYPE: case TM_T_PRIMITIVE:
        return a == b;
    default:
        return true;
    }
}

static bool iso_push(Iso *s, TmValue a, TmValue b)
{
    if (!tm_is_obj(a) || !tm_is_obj(b))
        return a == b;
    if (tm_obj_type(a) != tm_obj_type(b))
        return false;
    gpointer m = g_hash_table_lookup(s->ab, (gpointer)a);
    if (m)
        return (TmValue)m == b;
    if (g_hash_table_lookup(s->ba, (gpointer)b))
        return false;
    g_hash_table_insert(s->ab, (gpointer)a, (gpointer)b);
    g_hash_table_insert(s->ba, (gpointer)b, (gpointer)a);
    if (!iso_leaf(a, b))
        return false;
    if (tm_obj_type(a) <= TM_T_LAST_RAW || tm_is_symbol(a) || tm_is_keyword(a) ||
        tm_has_type(a, TM_T_RECORD_TYPE) || tm_is_primitive(a))
        return true;
    if (tm_obj_size(a) != tm_obj_size(b))
        return false;
    size_t skip = tm_is_code(a) ? TM_CODE_HASH : (size_t)-1;
    for (size_t i = 0; i < tm_obj_size(a); i++) {
        if (i == skip)
            continue;
        TmValue pair[2] = {TM_SLOT(a, i), TM_SLOT(b, i)};
        g_array_append_vals(s->todo, pair, 2);
    }
    return true;
}

static bool isomorphic(TmValue a, TmValue b)
{
    Iso s = {g_hash_table_new(NULL, NULL), g_hash_table_new(NULL, NULL),
             g_array_new(FALSE, FALSE, sizeof(TmValue))};
    bool ok = iso_push(&s, a, b);
    while (ok && s.todo->len) {
        guint k = s.todo->len;
        TmValue x = g_array_index(s.todo, TmValue, k - 2), y = g_array_index(s.todo, TmValue, k - 1);
        g_array_set_size(s.todo, k - 2);
        ok = iso_push(&s, x, y);
    }
    g_hash_table_destroy(s.ab);
    g_hash_table_destroy(s.ba);
    g_array_free(s.todo, TRUE);
    return ok;
}

/* ---- atoms ------------------------------------------------------------------ */

static void check_same(TmNode *n, TmValue v)
{
    TmValue r = roundtrip(n, v);
    if (!isomorphic(v, r)) {
        char *a = tm_node_write_string(n, v), *b = tm_node_write_string(n, r);
        g_error("round trip changed %s into %s", a, b);
    }
}

static TmValue flonum_bits(TmNode *n, uint64_t bits)
{
    double d;
    memcpy(&d, &bits, 8);
    return tm_make_flonum(n, d);
}

static void test_atoms(void)
{
    TmNode *n = node_new();
    intptr_t fixes[] = {0, 1, 191, 192, -1, -192, 1 << 20, TM_FIXNUM_MAX, TM_FIXNUM_MIN};
    for (size_t i = 0; i < G_N_ELEMENTS(fixes); i++)
        g_assert_true(roundtrip(n, tm_fix(fixes[i])) == tm_fix(fixes[i]));
    TmValue specials[] = {TM_FALSE, TM_TRUE, TM_NIL, TM_EOF, TM_VOID, TM_DEFAULT,
                          TM_OPTIONAL, TM_REST, TM_KEY, TM_UNASSIGNED,
                          tm_char(0), tm_char('a'), tm_char(0xE9), tm_char(0x10FFFF)};
    for (size_t i = 0; i < G_N_ELEMENTS(specials); i++)
        g_assert_true(roundtrip(n, specials[i]) == specials[i]);
    const char *texts[] = {
        "123456789012345678901234567890", "-98765432109876543210987654321",
        "4611686018427387904", "-4611686018427387905", "3/4", "-7/123456789012345678901",
        "\"\"", "\"hello\"", "\"h\\xe9;llo \\x1F600; \\x0; end\"", "sym", "|with space|",
        "key:", "#u8(0 1 255)", "#u8()",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(texts); i++) {
        char *src = g_strdup_printf("(quote %s)", texts[i]);
        check_same(n, eval(n, src));
        g_free(src);
    }
    /* symbols re-intern: the same object */
    TmValue s = tm_intern(n, "hello-world");
    g_assert_true(roundtrip(n, s) == s);
    /* flonums are bit-exact: signed zeros, infinities, NaN payloads, subnormals */
    uint64_t bits[] = {0, 0x8000000000000000ull, 0x7FF0000000000000ull, 0xFFF0000000000000ull,
                       0x7FF8000000000000ull, 0x7FF0000000000001ull, 0xFFF8DEADBEEF0001ull,
                       1, 0x3FB999999999999Aull};
    for (size_t i = 0; i < G_N_ELEMENTS(bits); i++) {
        TmValue r = roundtrip(n, flonum_bits(n, bits[i]));
        uint64_t got;
        double d = tm_flonum_value(r);
        memcpy(&got, &d, 8);
        g_assert_cmphex(got, ==, bits[i]);
    }
    node_free(n);
}

/* An uninterned symbol keeps its identity within one message. */
static void test_uninterned(void)
{
    TmNode *n = node_new();
    TmValue g = tm_gensym(n, "g");
    TmValue r = roundtrip(n, tm_list3(n, g, g, tm_intern(n, "g1")));
    g_assert_true(tm_car(r) == tm_cadr(r));
    g_assert_true(tm_car(r) != g);
    g_assert_true(tm_is_symbol(tm_car(r)));
    g_assert_false(tm_fixval(TM_SLOT(tm_car(r), TM_SYM_FLAGS)) & TM_SYMF_INTERNED);
    g_assert_true(tm_caddr(r) == tm_intern(n, "g1"));
    node_free(n);
}

static void test_sharing(void)
{
    TmNode *n = node_new();
    TmValue r = roundtrip(n, eval(n, "(let ((x (list 1))) (list x x))"));
    g_assert_true(tm_car(r) == tm_cadr(r));
    /* a cycle through the cdr, and one through a vector */
    TmValue p = tm_list3(n, tm_fix(1), tm_fix(2), tm_fix(3));
    TM_SLOT(tm_cddr(p), 1) = p;
    r = roundtrip(n, p);
    g_assert_true(tm_cdr(tm_cddr(r)) == r);
    g_assert_cmpint(tm_fixval(tm_caddr(r)), ==, 3);
    TmValue v = tm_make_vector(n, 2, TM_FALSE);
    TM_SLOT(v, 0) = v;
    TM_SLOT(v, 1) = tm_cons(n, v, TM_NIL);
    r = roundtrip(n, v);
    g_assert_true(TM_SLOT(r, 0) == r && tm_car(TM_SLOT(r, 1)) == r);
    /* the middle of a list shared from elsewhere */
    TmValue l = tm_list3(n, tm_fix(1), tm_fix(2), tm_fix(3));
    r = roundtrip(n, tm_list2(n, l, tm_cdr(l)));
    g_assert_true(tm_cdr(tm_car(r)) == tm_cadr(r));
    r = roundtrip(n, tm_list2(n, tm_cdr(l), l));
    g_assert_true(tm_cdr(tm_cadr(r)) == tm_car(r));
    node_free(n);
}

/* A million-element list and a million-deep car chain: no C recursion. */
static void test_long_and_deep(void)
{
    TmNode *n = node_new();
    TmValue l = TM_NIL, deep = TM_NIL;
    for (int i = 0; i < 1000000; i++) {
        l = tm_cons(n, tm_fix(i), l);
        deep = tm_cons(n, deep, TM_NIL);
    }
    TmValue r = roundtrip(n, l);
    g_assert_cmpint(tm_list_length(r), ==, 1000000);
    g_assert_cmpint(tm_fixval(tm_car(r)), ==, 999999);
    r = roundtrip(n, deep);
    size_t depth = 0;
    for (; tm_is_pair(r); r = tm_car(r))
        depth++;
    g_assert_cmpuint(depth, ==, 1000000);
    /* the depth limit is an error, not a crash */
    GBytes *b = encode(n, deep);
    TmMarshalLimits lim = {0, 0, 1000};
    GError *err = NULL;
    gsize len;
    const uint8_t *p = g_bytes_get_data(b, &len);
    g_assert_true(tm_marshal_decode(n, p, len, &lim, &err) == TM_EXC);
    g_assert_error(err, TM_MARSHAL_ERROR, TM_MARSHAL_ERROR_LIMIT);
    g_clear_error(&err);
    lim = (TmMarshalLimits){0, 1000, 0};
    g_assert_true(tm_marshal_decode(n, p, len, &lim, &err) == TM_EXC);
    g_assert_error(err, TM_MARSHAL_ERROR, TM_MARSHAL_ERROR_LIMIT);
    g_clear_error(&err);
    lim = (TmMarshalLimits){len - 1, 0, 0};
    g_assert_true(tm_marshal_decode(n, p, len, &lim, &err) == TM_EXC);
    g_assert_error(err, TM_MARSHAL_ERROR, TM_MARSHAL_ERROR_LIMIT);
    g_clear_error(&err);
    g_bytes_unref(b);
    node_free(n);
}

/* ---- random values ------------------------------------------------------------- */

typedef struct {
    TmNode *n;
    GRand *rand;
    GPtrArray *pool;  /* objects made so far, for sharing and cycles */
    TmValue rtype;    /* a record type of two fields */
    TmValue closure;  /* a procedure with a free variable */
    TmValue remote;   /* another node's identity */
} Gen;

static TmValue gen(Gen *g, int depth);

static TmValue gen_atom(Gen *g)
{
    TmNode *n = g->n;
    GRand *r = g->rand;
    char buf[64];
    switch (g_rand_int_range(r, 0, 17)) {
    case 0: return tm_fix(g_rand_int_range(r, -300, 300));
    case 1: return tm_fix((intptr_t)(((uint64_t)g_rand_int(r) << 32 | g_rand_int(r)) >> 2) *
                          (g_rand_boolean(r) ? 1 : -1));
    case 2: {
        mpz_t z;
        mpz_init_set_ui(z, g_rand_int(r));
        mpz_mul_2exp(z, z, (mp_bitcnt_t)g_rand_int_range(r, 62, 300));
        if (g_rand_boolean(r))
            mpz_neg(z, z);
        TmValue v = tm_integer_from_mpz(n, z);
        mpz_clear(z);
        return v;
    }
    case 3: return tm_num_div(n, tm_fix(g_rand_int_range(r, -1000, 1000)),
                              tm_fix(g_rand_int_range(r, 1, 1000)));
    case 4: return flonum_bits(n, (uint64_t)g_rand_int(r) << 32 | g_rand_int(r));
    case 5: return tm_make_flonum(n, g_rand_double_range(r, -1e6, 1e6));
    case 6: {
        uint32_t c;
        do
            c = (uint32_t)g_rand_int_range(r, 0, 0x110000);
        while (c >= 0xD800 && c <= 0xDFFF);
        return tm_char(c);
    }
    case 7: {
        size_t len = (size_t)g_rand_int_range(r, 0, 12);
        TmValue s = tm_make_string(n, len, 'x');
        for (size_t i = 0; i < len; i++)
            tm_string_chars(s)[i] = g_rand_boolean(r) ? (uint32_t)g_rand_int_range(r, 32, 127)
                                                      : (uint32_t)g_rand_int_range(r, 0xA0, 0xD7FF);
        return s;
    }
    case 8:
        g_snprintf(buf, sizeof buf, "s%d", g_rand_int_range(r, 0, 50));
        return tm_intern(n, buf);
    case 9: return tm_gensym(n, "u");
    case 10:
        g_snprintf(buf, sizeof buf, "k%d", g_rand_int_range(r, 0, 5));
        return tm_intern_keyword(n, buf);
    case 11: {
        uint8_t bytes[16];
        size_t len = (size_t)g_rand_int_range(r, 0, 16);
        for (size_t i = 0; i < len; i++)
            bytes[i] = (uint8_t)g_rand_int(r);
        return tm_make_bytevector(n, len, bytes);
    }
    case 12: {
        static const TmValue sp[] = {TM_FALSE, TM_TRUE, TM_NIL, TM_EOF, TM_VOID, TM_DEFAULT,
                                     TM_UNASSIGNED};
        return sp[g_rand_int_range(r, 0, G_N_ELEMENTS(sp))];
    }
    case 13: return TM_SLOT(n->sched.current, TM_PROC_PID);
    case 14: {
        TmValue pid = tm_alloc(n, TM_T_PID, TM_PID_NSLOTS);
        TM_SLOT(pid, TM_PID_NODE) = g->remote;
        TM_SLOT(pid, TM_PID_NUMBER) = tm_fix(g_rand_int_range(r, 0, 100));
        TM_SLOT(pid, TM_PID_PROCESS) = TM_FALSE;
        return pid;
    }
    case 15: {
        TmValue tag = tm_alloc(n, TM_T_TAG, TM_TAG_NSLOTS);
        TM_SLOT(tag, TM_TAG_NODE) = n->sched.self_node;
        TM_SLOT(tag, TM_TAG_NUMBER) = tm_fix(g_rand_int_range(r, 0, 100));
        return tag;
    }
    default: return g->closure;
    }
}

static TmValue gen_compound(Gen *g, int depth)
{
    TmNode *n = g->n;
    GRand *r = g->rand;
    int kind = g_rand_int_range(r, 0, 8);
    size_t len = (size_t)g_rand_int_range(r, 0, 6);
    TmValue v;
    switch (kind) {
    case 0: case 1: {
        v = TM_NIL;
        for (size_t i = 0; i < len; i++)
            v = tm_cons(n, gen(g, depth - 1), v);
        if (kind == 1)
            v = tm_cons(n, gen(g, depth - 1), gen(g, depth - 1));
        break;
    }
    case 2:
        v = tm_make_vector(n, len, TM_FALSE);
        for (size_t i = 0; i < len; i++)
            TM_SLOT(v, i) = gen(g, depth - 1);
        break;
    case 3:
        v = tm_make_box(n, gen(g, depth - 1));
        break;
    case 4:
        v = tm_alloc(n, TM_T_RECORD, 3);
        TM_SLOT(v, 0) = g->rtype;
        TM_SLOT(v, 1) = gen(g, depth - 1);
        TM_SLOT(v, 2) = gen(g, depth - 1);
        break;
    case 5:
        v = tm_alloc(n, TM_T_PROMISE, 2);
        TM_SLOT(v, 0) = tm_bool(g_rand_boolean(r));
        TM_SLOT(v, 1) = gen(g, depth - 1);
        break;
    case 6:
        v = tm_make_error(n, n->sym[TM_S_error], tm_string_from_utf8(n, "oops", -1),
                          tm_list2(n, gen(g, depth - 1), gen(g, depth - 1)), TM_FALSE);
        break;
    default:
        v = tm_make_vector(n, 2, TM_FALSE);
        tm_obj(v)->hdr = tm_make_hdr(TM_T_VALUES, 2);
        TM_SLOT(v, 0) = gen(g, depth - 1);
        TM_SLOT(v, 1) = gen(g, depth - 1);
        break;
    }
    return v;
}

static TmValue gen(Gen *g, int depth)
{
    GRand *r = g->rand;
    if (g->pool->len && g_rand_int_range(r, 0, 8) == 0)
        return (TmValue)g->pool->pdata[g_rand_int_range(r, 0, (gint32)g->pool->len)];
    TmValue v = depth <= 0 || g_rand_int_range(r, 0, 3) == 0 ? gen_atom(g) : gen_compound(g, depth);
    if (tm_is_obj(v))
        g_ptr_array_add(g->pool, (gpointer)v);
    return v;
}

/* Tie some knots: point slots of pairs and vectors at other objects. */
static void add_cycles(Gen *g)
{
    for (int k = 0; k < 5 && g->pool->len; k++) {
        TmValue a = (TmValue)g->pool->pdata[g_rand_int_range(g->rand, 0, (gint32)g->pool->len)];
        TmValue b = (TmValue)g->pool->pdata[g_rand_int_range(g->rand, 0, (gint32)g->pool->len)];
        if ((tm_is_pair(a) || tm_is_vector(a)) && tm_obj_size(a) > 0)
            TM_SLOT(a, (size_t)g_rand_int_range(g->rand, 0, (gint32)tm_obj_size(a))) = b;
    }
}

static void test_random(void)
{
    TmNode *n = node_new();
    eval(n, "(define (make-adder k) (lambda (x) (+ x k)))");
    Gen g = {n, g_rand_new_with_seed(20240611), g_ptr_array_new(), TM_FALSE, TM_FALSE, TM_FALSE};
    for (int iter = 0; iter < 400; iter++) {
        g_ptr_array_set_size(g.pool, 0);
        /* the call first: it may collect, the rest holds raw values */
        g.closure = call1(n, global(n, "make-adder"), tm_fix(iter));
        g.rtype = tm_make_record_type(n, tm_intern(n, "thing"),
                                      tm_vector_from_array(n, 2, (TmValue[]){tm_intern(n, "a"),
                                                                            tm_intern(n, "b")}));
        g.remote = tm_alloc(n, TM_T_NODEREF, TM_NODE_NSLOTS);
        TM_SLOT(g.remote, TM_NODE_HOST) = tm_string_from_utf8(n, "elsewhere.example", -1);
        TM_SLOT(g.remote, TM_NODE_PORT) = tm_fix(4000);
        TM_SLOT(g.remote, TM_NODE_INCARNATION) = tm_fix(7);
        TmValue v = gen(&g, 2 + iter % 6);
        if (iter % 2)
            add_cycles(&g);
        check_same(n, v);
    }
    g_ptr_array_free(g.pool, TRUE);
    g_rand_free(g.rand);
    node_free(n);
}

/* ---- procedures, code and nodes ------------------------------------------------ */

static void test_closure_recursive(void)
{
    TmNode *n = node_new();
    TmValue f = eval(n, "(letrec ((even? (lambda (k) (if (= k 0) #t (odd? (- k 1)))))"
                        "         (odd? (lambda (k) (if (= k 0) #f (even? (- k 1))))))"
                        "  even?)");
    TmValue r = roundtrip(n, f);
    g_assert_true(r != f);
    tm_root_push(n, &r); /* calls may collect */
    g_assert_true(call1(n, r, tm_fix(100)) == TM_TRUE);
    g_assert_true(call1(n, r, tm_fix(7)) == TM_FALSE);
    tm_root_pop(n, 1);
    /* a named let loop closure refers to itself through a free variable */
    TmValue loop = eval(n, "(let ((base 5)) (letrec ((sum (lambda (k) (if (= k 0) base "
                           "(+ k (sum (- k 1))))))) sum))");
    r = roundtrip(n, loop);
    g_assert_true(TM_SLOT(r, 1) == r || TM_SLOT(r, 2) == r);
    g_assert_cmpint(tm_fixval(call1(n, r, tm_fix(10))), ==, 60);
    /* primitives travel by name */
    g_assert_true(roundtrip(n, global(n, "car")) == global(n, "car"));
    node_free(n);
}

/* Code refers to globals through symbols: on another node they are that
 * node's globals (paper section 3.4). */
static void test_globals_resolve_on_receiver(void)
{
    TmNode *a = node_new(), *b = node_new();
    eval(a, "(define (g x) (* x 10)) (define clo (let ((k 1)) (lambda (y) (+ (g y) k))))");
    eval(b, "(define (g x) (* x 100))");
    GBytes *bytes = encode(a, global(a, "clo"));
    TmValue clo = decode(b, bytes);
    g_assert_cmpint(tm_fixval(call1(b, clo, tm_fix(3))), ==, 301);
    g_assert_cmpint(tm_fixval(call1(a, global(a, "clo"), tm_fix(3))), ==, 31);
    g_bytes_unref(bytes);
    /* a record type is the same type on both nodes when defined alike */
    const char *def = "(define-record-type point (make-point x y) point? (x point-x) (y point-y))";
    eval(a, def);
    eval(b, def);
    bytes = encode(a, eval(a, "(make-point 1 2)"));
    TmValue p = decode(b, bytes);
    tm_root_push(b, &p);
    g_assert_true(call1(b, global(b, "point?"), p) == TM_TRUE);
    g_assert_cmpint(tm_fixval(call1(b, global(b, "point-y"), p)), ==, 2);
    tm_root_pop(b, 1);
    g_bytes_unref(bytes);
    node_free(a);
    node_free(b);
}

/* migrate-task without the network: a continuation captured in a process
 * on node A, resumed on node B, where the rest of the computation uses
 * B's globals. */
static void test_continuation_migrates(void)
{
    TmNode *a = node_new(), *b = node_new();
    eval(a, "(define (scale x) (* 2 x))"
            "(define main-pid (self))"
            "(spawn (lambda ()"
            "  (let ((base 1000))"
            "    (+ base (scale (call/cc (lambda (k) (! main-pid (object->u8vector k)) 0)))))))"
            "(define k-bytes (?))");
    eval(b, "(define (scale x) (* 3 x))");
    TmValue kb = global(a, "k-bytes");
    g_assert_true(tm_is_bytevector(kb));
    GError *err = NULL;
    TmValue k = tm_marshal_decode(b, tm_bytevector_data(kb), tm_bytevector_length(kb), NULL,
                                  &err);
    g_assert_no_error(err);
    g_assert_true(tm_is_procedure(k));
    g_assert_cmpint(tm_fixval(call1(b, k, tm_fix(21))), ==, 1063);
    /* and again: a continuation can be resumed many times */
    k = tm_marshal_decode(b, tm_bytevector_data(kb), tm_bytevector_length(kb), NULL, &err);
    g_assert_cmpint(tm_fixval(call1(b, k, tm_fix(1))), ==, 1003);
    node_free(a);
    node_free(b);
}

static void test_pids(void)
{
    TmNode *a = node_new(), *b = node_new();
    TmValue self = TM_SLOT(a->sched.current, TM_PROC_PID);
    g_assert_true(roundtrip(a, self) == self);
    GBytes *bytes = encode(a, self);
    TmValue remote = decode(b, bytes);
    g_assert_true(tm_is_pid(remote));
    g_assert_true(tm_pid_process(remote) == TM_FALSE);
    g_assert_true(tm_equal(TM_SLOT(remote, TM_PID_NODE), a->sched.self_node));
    g_bytes_unref(bytes);
    /* back home it is the process's own pid again */
    bytes = encode(b, tm_list2(b, remote, remote));
    TmValue home = decode(a, bytes);
    g_assert_true(tm_car(home) == self && tm_cadr(home) == self);
    g_bytes_unref(bytes);
    g_assert_true(roundtrip(a, a->sched.self_node) == a->sched.self_node);
    node_free(a);
    node_free(b);
}

/* Code by reference: a node that has the code resolves the hash; one that
 * does not reports exactly what is missing, fetches it, and retries. */
static void test_code_by_reference(void)
{
    TmNode *a = node_new(), *b = node_new();
    const char *src = "(define (twice f) (lambda (x) (f (f x))))"
                      "(define add3 (twice (lambda (x) (+ x 1))))"
                      "(define big '#(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20))"
                      "(define user (lambda (v) (vector-ref big v)))";
    eval(a, src);
    TmValue add3 = global(a, "add3");
    TmMarshalEncodeOptions by_ref = {.all_code_by_reference = true};
    GError *err = NULL;
    GBytes *ref = tm_marshal_encode_ex(a, add3, &by_ref, &err);
    g_assert_no_error(err);
    GBytes *full = encode(a, add3);
    g_assert_cmpuint(g_bytes_get_size(ref), <, g_bytes_get_size(full));
    /* the sender's own cache has it */
    TmValue r = decode(a, ref);
    g_assert_cmpint(tm_fixval(call1(a, r, tm_fix(1))), ==, 3);
    /* the receiver does not */
    GPtrArray *missing = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    TmMarshalDecodeOptions o = {NULL, true, missing};
    gsize len;
    const uint8_t *p = g_bytes_get_data(ref, &len);
    g_assert_true(tm_marshal_decode_ex(b, p, len, &o, &err) == TM_EXC);
    g_assert_error(err, TM_MARSHAL_ERROR, TM_MARSHAL_ERROR_MISSING_CODE);
    g_clear_error(&err);
    g_assert_cmpuint(missing->len, >=, 2);
    /* fetch each missing code object from a and send it in full */
    for (guint i = 0; i < missing->len; i++) {
        TmValue code = tm_marshal_code_lookup(a, g_bytes_get_data(missing->pdata[i], NULL));
        g_assert_true(tm_is_code(code));
        GBytes *cb = encode(a, code);
        p = g_bytes_get_data(cb, &len);
        TmMarshalDecodeOptions cache = {NULL, true, NULL};
        g_assert_true(tm_is_code(tm_marshal_decode_ex(b, p, len, &cache, &err)));
        g_assert_no_error(err);
        g_bytes_unref(cb);
    }
    p = g_bytes_get_data(ref, &len);
    r = tm_marshal_decode_ex(b, p, len, &o, &err);
    g_assert_no_error(err);
    g_assert_cmpint(tm_fixval(call1(b, r, tm_fix(1))), ==, 3);
    /* the same source compiled on two nodes hashes alike */
    eval(b, src);
    uint8_t ha[TM_MARSHAL_HASH_LEN], hb[TM_MARSHAL_HASH_LEN];
    g_assert_true(tm_marshal_code_hash(a, tm_closure_code(global(a, "user")), ha));
    g_assert_true(tm_marshal_code_hash(b, tm_closure_code(global(b, "user")), hb));
    g_assert_cmpmem(ha, sizeof ha, hb, sizeof hb);
    g_ptr_array_free(missing, TRUE);
    g_bytes_unref(ref);
    g_bytes_unref(full);
    node_free(a);
    node_free(b);
}

static void collect_global_code(TmNode *n, GPtrArray *out)
{
    GPtrArray *names = tm_node_global_names(n);
    for (guint i = 0; i < names->len; i++) {
        TmValue v = global(n, names->pdata[i]);
        if (tm_is_closure(v))
            g_ptr_array_add(out, (gpointer)v);
    }
    g_ptr_array_free(names, TRUE);
}

/* Everything the compiler made for the prelude passes the verifier, and
 * every global procedure survives a round trip. */
static void test_prelude_verifies(void)
{
    TmNode *n = node_new();
    GPtrArray *procs = g_ptr_array_new();
    collect_global_code(n, procs);
    g_assert_cmpuint(procs->len, >, 50);
    for (guint i = 0; i < procs->len; i++) {
        TmValue c = (TmValue)procs->pdata[i];
        GError *err = NULL;
        if (!tm_marshal_verify_code(n, tm_closure_code(c), &err))
            g_error("%s", err->message);
        GBytes *b = tm_marshal_encode(n, c, &err);
        if (!b)
            g_error("%s", err->message);
        gsize len;
        const uint8_t *p = g_bytes_get_data(b, &len);
        TmValue r = tm_marshal_decode(n, p, len, NULL, &err);
        if (r == TM_EXC)
            g_error("%s", err->message);
        g_assert_true(isomorphic(c, r));
        g_bytes_unref(b);
    }
    g_ptr_array_free(procs, TRUE);
    node_free(n);
}

/* ---- encoding errors -------------------------------------------------------------- */

static void test_unserializable_path(void)
{
    TmNode *n = node_new();
    TmValue worker = eval(n, "(let ((p (open-input-string \"x\")) (a 1) (b 2))"
                             "  (lambda () (list a b (read-char p))))");
    TmValue msg = tm_list2(n, tm_fix(1), worker);
    tm_root_push(n, &msg); /* eval below may collect */
    /* without a proxy loop, a port cannot travel at all */
    eval(n, "(define %port-proxy-loop #f)");
    GError *err = NULL;
    g_assert_null(tm_marshal_encode(n, msg, &err));
    g_assert_error(err, TM_MARSHAL_ERROR, TM_MARSHAL_ERROR_UNSERIALIZABLE);
    g_assert_nonnull(strstr(err->message, "cannot serialize #<port>"));
    g_assert_nonnull(strstr(err->message, "closure free variable"));
    g_assert_nonnull(strstr(err->message, "element 1 of"));
    g_clear_error(&err);
    /* with a proxy loop defined, the port becomes a pid */
    eval(n, "(define (%port-proxy-loop port) (let loop () (recv ((from tag (op . args))"
            " (! from (list tag (op port)))))(loop)))");
    TmValue r = roundtrip(n, msg);
    TmValue clo = tm_cadr(r);
    g_assert_true(tm_is_closure(clo));
    bool has_pid = false;
    for (size_t i = 1; i < tm_obj_size(clo); i++)
        has_pid |= tm_is_pid(TM_SLOT(clo, i));
    g_assert_true(has_pid);
    tm_root_pop(n, 1);
    node_free(n);
}

/* ---- hostile input ------------------------------------------------------------------- */

static GPtrArray *sample_messages(TmNode *n)
{
    GPtrArray *m = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    const char *srcs[] = {
        "(list 1 -2 3.5 \"str\" 'sym #\\x (vector 1 2) 123456789012345678901234 2/3)",
        "(let ((x (list 1 2))) (vector x x (box x) (make-parameter 1)))",
        "(lambda (a #!optional (b 2) . r) (if a (list a b r) (error \"no\" r)))",
        "(let loop ((i 0)) (if (< i 3) (loop (+ i 1)) (lambda () loop)))",
        "(list (self) (make-tag) (current-node) car)",
        "(let* ((x 1) (f (lambda (y) (letrec ((a (lambda () b)) (b (+ x y))) (a))))) f)",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(srcs); i++)
        g_ptr_array_add(m, encode(n, eval(n, srcs[i])));
    return m;
}

/* Every strict prefix of a valid message is rejected cleanly. */
static void test_truncated(void)
{
    TmNode *n = node_new();
    GPtrArray *msgs = sample_messages(n);
    for (guint i = 0; i < msgs->len; i++) {
        gsize len;
        const uint8_t *p = g_bytes_get_data(msgs->pdata[i], &len);
        for (gsize k = 0; k < len; k++) {
            uint8_t *copy = g_memdup2(p, k);
            g_free(decode_fails(n, copy ? copy : (const uint8_t *)"", k, -1));
            g_free(copy);
        }
    }
    g_ptr_array_free(msgs, TRUE);
    node_free(n);
}

/* Random corruption never crashes; what decodes is a well-formed heap. */
static void test_corrupted(void)
{
    TmNode *n = node_new();
    GPtrArray *msgs = sample_messages(n);
    GRand *r = g_rand_new_with_seed(77);
    TmValue keep = TM_NIL;
    tm_root_push(n, &keep);
    int decoded = 0;
    for (int iter = 0; iter < 20000; iter++) {
        gsize len;
        const uint8_t *p = g_bytes_get_data(msgs->pdata[iter % msgs->len], &len);
        uint8_t *copy = g_memdup2(p, len);
        int flips = g_rand_int_range(r, 1, 4);
        for (int f = 0; f < flips; f++)
            copy[g_rand_int_range(r, 5, (gint32)len)] = (uint8_t)g_rand_int(r);
        GError *err = NULL;
        TmValue v = tm_marshal_decode(n, copy, len, NULL, &err);
        if (v != TM_EXC) {
            decoded++;
            keep = tm_cons(n, v, keep);
        } else {
            g_assert_nonnull(err);
            g_error_free(err);
        }
        g_free(copy);
        if (iter % 2000 == 1999) {
            tm_heap_collect(n, iter % 4000 == 3999);
            keep = TM_NIL;
        }
    }
    g_test_message("%d of 20000 corrupted messages decoded", decoded);
    tm_root_pop(n, 1);
    g_rand_free(r);
    g_ptr_array_free(msgs, TRUE);
    node_free(n);
}

static void test_bad_header(void)
{
    TmNode *n = node_new();
    g_free(decode_fails(n, (const uint8_t *)"", 0, TM_MARSHAL_ERROR_FORMAT));
    g_free(decode_fails(n, (const uint8_t *)"XXXX\x01\x05", 6, TM_MARSHAL_ERROR_FORMAT));
    char *m = decode_fails(n, (const uint8_t *)"TMTW\x09\x05", 6, TM_MARSHAL_ERROR_FORMAT);
    g_assert_nonnull(strstr(m, "version 9"));
    g_free(m);
    g_free(decode_fails(n, (const uint8_t *)"TMTW\x01\x05\x05", 7, TM_MARSHAL_ERROR_FORMAT));
    /* a huge count with no bytes behind it allocates nothing */
    g_free(decode_fails(n, (const uint8_t *)"TMTW\x01\xd7\xff\xff\xff\xff\x0f", 11,
                        TM_MARSHAL_ERROR_FORMAT));
    /* a reference forward, and one into a ratnum being read */
    g_free(decode_fails(n, (const uint8_t *)"TMTW\x01\xef\x00", 7, TM_MARSHAL_ERROR_FORMAT));
    g_free(decode_fails(n, (const uint8_t *)"TMTW\x01\xc2\xef\x00\x02", 9,
                        TM_MARSHAL_ERROR_FORMAT));
    /* a ratnum not in lowest terms */
    g_free(decode_fails(n, (const uint8_t *)"TMTW\x01\xc2\x02\x04", 8, TM_MARSHAL_ERROR_FORMAT));
    node_free(n);
}

/* ---- the verifier ----------------------------------------------------------------------- */

#define I(op, a) tm_insn(TM_OP_##op, (a))

static TmValue make_code(TmNode *n, const uint32_t *w, size_t nw, TmValue consts, int nreq,
                         int framesize, int nfree)
{
    TmValue code = tm_alloc(n, TM_T_CODE, TM_CODE_NSLOTS);
    TM_SLOT(code, TM_CODE_BYTES) = tm_make_bytevector(n, 4 * nw, (const uint8_t *)w);
    TM_SLOT(code, TM_CODE_CONSTS) = consts;
    TM_SLOT(code, TM_CODE_NAME) = tm_intern(n, "handmade");
    TM_SLOT(code, TM_CODE_ARITY) = tm_fix(tm_arity(nreq, 0, false));
    TM_SLOT(code, TM_CODE_FRAMESIZE) = tm_fix(framesize);
    TM_SLOT(code, TM_CODE_LINES) = TM_FALSE;
    TM_SLOT(code, TM_CODE_FILE) = TM_FALSE;
    TM_SLOT(code, TM_CODE_NFREE) = tm_fix(nfree);
    TM_SLOT(code, TM_CODE_HASH) = TM_FALSE;
    return code;
}

static TmValue make_closure(TmNode *n, TmValue code, int nfree, TmValue fill)
{
    TmValue c = tm_make_vector(n, 1 + (size_t)nfree, fill);
    tm_obj(c)->hdr = tm_make_hdr(TM_T_CLOSURE, 1 + (size_t)nfree);
    TM_SLOT(c, 0) = code;
    return c;
}

typedef struct {
    const char *why;
    uint32_t w[8];
    size_t nw;
    int nreq, framesize, nfree;
    int consts; /* 0: none; 1: (a-symbol); 2: (a-code-of-0-free); 3: (42) */
    const char *expect;
} BadCode;

static void test_verifier_rejects(void)
{
    TmNode *n = node_new();
    const uint32_t ok_words[] = {I(FIX, 1), I(RET, 0)};
    TmValue ok_code = make_code(n, ok_words, 2, tm_make_vector(n, 0, TM_FALSE), 0, 4, 0);
    const BadCode cases[] = {
        {"invalid opcode", {0xFE, I(RET, 0)}, 2, 0, 4, 0, 0, "invalid opcode"},
        {"LREF beyond the stack", {I(LREF, 2), I(RET, 0)}, 2, 1, 4, 0, 0, "slot 2"},
        {"LSET beyond the stack", {I(LSET, 0), I(RET, 0)}, 2, 0, 4, 0, 0, "slot 0"},
        {"BOXSET of a non-box", {I(BOXSET, 0), I(RET, 0)}, 2, 1, 4, 0, 0, "box"},
        {"UNBOX of a non-box", {I(LREF, 0), I(UNBOX, 0), I(RET, 0)}, 3, 1, 4, 0, 1, "box"},
        {"FREF beyond nfree", {I(FREF, 1), I(RET, 0)}, 2, 0, 4, 1, 0, "free variable"},
        {"CONST out of range", {I(CONST, 3), I(RET, 0)}, 2, 0, 4, 0, 1, "constant 3"},
        {"GREF of a non-symbol", {I(GREF, 0), I(RET, 0)}, 2, 0, 4, 0, 3, "not a symbol"},
        {"IMM out of range", {I(IMM, 7), I(RET, 0)}, 2, 0, 4, 0, 0, "immediate"},
        {"jump outside", {I(JMP, 5), I(RET, 0)}, 2, 0, 4, 0, 0, "jump target"},
        {"jump backwards outside", {I(JMP, -3), I(RET, 0)}, 2, 0, 4, 0, 0, "jump target"},
        {"jump into an instruction", {I(JMP, 1), I(CLOSURE, 0), 0, I(RET, 0)}, 4, 0, 4, 0, 2,
         "jump target"},
        {"truncated two-word instruction", {I(FIX, 0), I(CLOSURE, 0)}, 2, 0, 4, 0, 2,
         "truncated"},
        {"CLOSURE of a non-code", {I(CLOSURE, 0), 0, I(RET, 0)}, 3, 0, 4, 0, 1,
         "not a code object"},
        {"CLOSURE with the wrong nfree", {I(FIX, 0), I(PUSH, 0), I(CLOSURE, 1), 0, I(RET, 0)},
         5, 0, 4, 0, 2, "free variables"},
        {"RECREF of a non-record-type", {I(RECREF, 0), 0, I(RET, 0)}, 3, 0, 4, 0, 3,
         "record type"},
        {"CALL without FRAME", {I(FIX, 0), I(PUSH, 0), I(CALL, 1)}, 3, 0, 4, 0, 0, "header"},
        {"POP below the frame", {I(POP, 1), I(RET, 0)}, 2, 0, 4, 0, 0, "pops"},
        {"PUSH beyond the frame size", {I(PUSH, 0), I(PUSH, 0), I(PUSH, 0), I(RET, 0)}, 4, 0,
         2, 0, 0, "frame size"},
        {"a loop that grows the stack", {I(PUSH, 0), I(JMP, -2)}, 2, 0, 4, 0, 0, "depth"},
        {"stack depth differs at a join", {I(JMPF, 1), I(PUSH, 0), I(RET, 0)}, 3, 0, 4, 0, 0,
         "depth"},
        {"falls off the end", {I(FIX, 0)}, 1, 0, 4, 0, 0, "off the end"},
        {"PATCH of a non-closure", {I(PATCH, 0), 0, I(RET, 0)}, 3, 1, 4, 0, 0, "closure"},
        {"more parameters than frame", {I(RET, 0)}, 1, 5, 4, 0, 0, "out of range"},
        {"HALT", {I(HALT, 0)}, 1, 0, 4, 0, 0, "HALT"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        const BadCode *c = &cases[i];
        TmValue consts;
        switch (c->consts) {
        case 1: consts = tm_vector_from_array(n, 1, (TmValue[]){tm_intern(n, "x")}); break;
        case 2: consts = tm_vector_from_array(n, 1, (TmValue[]){ok_code}); break;
        case 3: consts = tm_vector_from_array(n, 1, (TmValue[]){tm_fix(42)}); break;
        default: consts = tm_make_vector(n, 0, TM_FALSE); break;
        }
        TmValue code = make_code(n, c->w, c->nw, consts, c->nreq, c->framesize, c->nfree);
        GError *err = NULL;
        if (tm_marshal_verify_code(n, code, &err))
            g_error("verifier accepted: %s", c->why);
        g_assert_error(err, TM_MARSHAL_ERROR, TM_MARSHAL_ERROR_VERIFY);
        if (!strstr(err->message, c->expect))
            g_error("%s: unexpected message: %s", c->why, err->message);
        g_clear_error(&err);
        /* and the same code inside a message is refused by the decoder */
        GBytes *b = tm_marshal_encode(n, make_closure(n, code, c->nfree, tm_fix(0)), &err);
        g_assert_no_error(err);
        gsize len;
        const uint8_t *p = g_bytes_get_data(b, &len);
        g_free(decode_fails(n, p, len, TM_MARSHAL_ERROR_VERIFY));
        g_bytes_unref(b);
    }
    /* a closure whose free variable must be a box holds something else */
    const uint32_t unbox_words[] = {I(FREF, 0), I(UNBOX, 0), I(RET, 0)};
    TmValue consts = tm_vector_from_array(n, 1, (TmValue[]){tm_intern(n, "v")});
    TmValue code = make_code(n, unbox_words, 3, consts, 1, 4, 1);
    GError *err = NULL;
    g_assert_true(tm_marshal_verify_code(n, code, &err));
    TmValue bad = make_closure(n, code, 1, tm_fix(5));
    TmValue good = make_closure(n, code, 1, tm_make_box(n, tm_fix(5)));
    tm_root_push(n, &bad); /* the call may collect */
    g_assert_cmpint(tm_fixval(call1(n, roundtrip(n, good), TM_FALSE)), ==, 5);
    tm_root_pop(n, 1);
    GBytes *b = tm_marshal_encode(n, bad, &err);
    gsize len;
    const uint8_t *p = g_bytes_get_data(b, &len);
    char *m = decode_fails(n, p, len, TM_MARSHAL_ERROR_VERIFY);
    g_assert_nonnull(strstr(m, "must be a box"));
    g_free(m);
    g_bytes_unref(b);
    node_free(n);
}

/* Heap frames: a pc that is not a resume point, or slots that do not fit
 * the code there, are refused. */
static void test_verifier_frames(void)
{
    TmNode *n = node_new();
    eval(n, "(define main-pid (self))"
            "(define (f x) (+ 1 (call/cc (lambda (k) (! main-pid k) x))))"
            "(spawn (lambda () (list 'done (f 5))))"
            "(define k (?))");
    TmValue k = global(n, "k");
    TmValue raw = TM_FALSE;
    for (size_t i = 1; i < tm_obj_size(k); i++)
        if (tm_is_continuation(TM_SLOT(k, i)))
            raw = TM_SLOT(k, i);
    g_assert_true(tm_is_continuation(raw));
    TmValue frame = TM_SLOT(raw, 0);
    g_assert_true(tm_has_type(frame, TM_T_FRAME));
    /* the genuine one decodes */
    TmValue r = roundtrip(n, raw);
    g_assert_true(tm_is_continuation(r));
    /* a pc moved by one word */
    TmValue pc = TM_SLOT(frame, TM_FRAME_PC);
    TM_SLOT(frame, TM_FRAME_PC) = tm_fix(tm_fixval(pc) + 1);
    GBytes *b = encode(n, raw);
    gsize len;
    const uint8_t *p = g_bytes_get_data(b, &len);
    g_free(decode_fails(n, p, len, TM_MARSHAL_ERROR_VERIFY));
    g_bytes_unref(b);
    TM_SLOT(frame, TM_FRAME_PC) = tm_fix(100000);
    b = encode(n, raw);
    p = g_bytes_get_data(b, &len);
    g_free(decode_fails(n, p, len, TM_MARSHAL_ERROR_VERIFY));
    g_bytes_unref(b);
    TM_SLOT(frame, TM_FRAME_PC) = pc;
    /* one slot too many */
    size_t size = tm_obj_size(frame);
    TmValue big = tm_make_vector(n, size + 1, TM_FALSE);
    memcpy(tm_slots(big), tm_slots(frame), size * sizeof(TmValue));
    tm_obj(big)->hdr = tm_make_hdr(TM_T_FRAME, size + 1);
    TmValue k2 = tm_alloc(n, TM_T_CONTINUATION, 1);
    TM_SLOT(k2, 0) = big;
    b = encode(n, k2);
    p = g_bytes_get_data(b, &len);
    char *m = decode_fails(n, p, len, TM_MARSHAL_ERROR_VERIFY);
    g_assert_nonnull(strstr(m, "slots"));
    g_free(m);
    g_bytes_unref(b);
    node_free(n);
}

/* Deep stacks and many joins: the verifier gives up after a bounded
 * amount of work instead of keeping the node busy. */
static void test_verifier_budget(void)
{
    TmNode *n = node_new();
    GArray *w = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    for (int i = 0; i < 15000; i++) {
        uint32_t x = I(PUSH, 0);
        g_array_append_val(w, x);
    }
    for (int i = 0; i < 5000; i++) {
        uint32_t x = I(JMPF, 0);
        g_array_append_val(w, x);
    }
    uint32_t ret = I(RET, 0);
    g_array_append_val(w, ret);
    TmValue code = make_code(n, (uint32_t *)w->data, w->len, tm_make_vector(n, 0, TM_FALSE), 0,
                             16000, 0);
    gint64 t0 = g_get_monotonic_time();
    GError *err = NULL;
    g_assert_false(tm_marshal_verify_code(n, code, &err));
    g_assert_error(err, TM_MARSHAL_ERROR, TM_MARSHAL_ERROR_VERIFY);
    g_assert_nonnull(strstr(err->message, "too complex"));
    g_clear_error(&err);
    GBytes *b = tm_marshal_encode(n, make_closure(n, code, 0, TM_FALSE), &err);
    gsize len;
    const uint8_t *p = g_bytes_get_data(b, &len);
    char *m = decode_fails(n, p, len, TM_MARSHAL_ERROR_VERIFY);
    g_assert_nonnull(strstr(m, "too complex"));
    g_free(m);
    g_test_message("rejected in %.1f ms", (g_get_monotonic_time() - t0) / 1000.0);
    g_assert_cmpint(g_get_monotonic_time() - t0, <, 5 * G_USEC_PER_SEC);
    g_bytes_unref(b);
    g_array_free(w, TRUE);
    node_free(n);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/marshal/atoms/roundtrip", test_atoms);
    g_test_add_func("/marshal/symbols/uninterned", test_uninterned);
    g_test_add_func("/marshal/sharing/cycles", test_sharing);
    g_test_add_func("/marshal/list/long-and-deep", test_long_and_deep);
    g_test_add_func("/marshal/random/roundtrip", test_random);
    g_test_add_func("/marshal/closure/recursive", test_closure_recursive);
    g_test_add_func("/marshal/closure/globals-on-receiver", test_globals_resolve_on_receiver);
    g_test_add_func("/marshal/continuation/migrate", test_continuation_migrates);
    g_test_add_func("/marshal/pid/identity", test_pids);
    g_test_add_func("/marshal/code/by-reference", test_code_by_reference);
    g_test_add_func("/marshal/code/prelude-verifies", test_prelude_verifies);
    g_test_add_func("/marshal/encode/unserializable-path", test_unserializable_path);
    g_test_add_func("/marshal/decode/truncated", test_truncated);
    g_test_add_func("/marshal/decode/corrupted", test_corrupted);
    g_test_add_func("/marshal/decode/bad-header", test_bad_header);
    g_test_add_func("/marshal/verify/rejects", test_verifier_rejects);
    g_test_add_func("/marshal/verify/frames", test_verifier_frames);
    g_test_add_func("/marshal/verify/budget", test_verifier_budget);
    return g_test_run();
}
