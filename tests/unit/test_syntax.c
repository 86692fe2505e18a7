/*
 * test_syntax.c — syntax-rules: each pattern and template feature of
 * R7RS 4.3.2 expanded and compared (after stripping renamed identifiers)
 * with the expected datum; renaming checked by identity; malformed specs
 * and failed uses checked to raise.
 */
#include "port.h"
#include "printer.h"
#include "reader.h"
#include "syntax.h"

typedef struct {
    TmWorld *w;
    TmNode *n;
} Fixture;

static void setup(Fixture *f, gconstpointer data)
{
    (void)data;
    f->w = tm_world_real_new(1);
    f->n = tm_node_new(f->w);
}

static void teardown(Fixture *f, gconstpointer data)
{
    (void)data;
    tm_node_free(f->n);
    tm_world_free(f->w);
}

/* ---- helpers ------------------------------------------------------------ */

/* The one datum in text. */
static TmValue rd(TmNode *n, const char *text)
{
    TmValue port = tm_port_open_input_utf8(n, text, strlen(text), "test");
    TmValue v = tm_read(n, port, NULL);
    g_assert_true(v != TM_EXC && v != TM_EOF);
    return v;
}

static char *show(TmNode *n, TmValue v)
{
    return tm_print_short(n, v, 0);
}

/* The message of the error the last TM_EXC raised. */
static char *pending_message(TmNode *n)
{
    TmValue e = n->vm.pending;
    g_assert_true(tm_is_error(e));
    return tm_string_to_utf8(TM_SLOT(e, TM_ERR_MESSAGE));
}

static TmValue macro(TmNode *n, const char *spec)
{
    TmValue m = tm_syntax_make_rules(n, rd(n, spec), 0);
    if (m == TM_EXC) {
        char *msg = pending_message(n);
        g_test_message("%s: %s", spec, msg);
        g_free(msg);
    }
    g_assert_true(m != TM_EXC);
    return m;
}

/* Expand `use` with the macro `spec` and compare the stripped expansion
 * with `want`. */
static void check(TmNode *n, const char *spec, const char *use,
                  const char *want)
{
    TmValue r = tm_syntax_expand(n, macro(n, spec), rd(n, use));
    if (r == TM_EXC) {
        char *msg = pending_message(n);
        g_test_message("%s raised: %s", use, msg);
        g_free(msg);
    }
    g_assert_true(r != TM_EXC);
    TmValue got = tm_syntax_strip(n, r);
    if (!tm_equal(got, rd(n, want))) {
        char *g = show(n, got);
        g_test_message("%s => %s, expected %s", use, g, want);
        g_free(g);
        g_test_fail();
    }
}

static void assert_raised(TmNode *n, TmValue r, const char *fragment)
{
    g_assert_true(r == TM_EXC);
    char *msg = pending_message(n);
    g_test_message("raised: %s", msg);
    g_assert_nonnull(strstr(msg, fragment));
    g_free(msg);
}

/* Expanding `use` raises an error whose message contains fragment. */
static void check_error(TmNode *n, const char *spec, const char *use,
                        const char *fragment)
{
    assert_raised(n, tm_syntax_expand(n, macro(n, spec), rd(n, use)),
                  fragment);
}

static void check_bad_spec(TmNode *n, const char *spec, const char *fragment)
{
    assert_raised(n, tm_syntax_make_rules(n, rd(n, spec), 0), fragment);
}

static TmValue make_ident(TmNode *n, TmValue name)
{
    TmValue id = tm_alloc(n, TM_T_IDENT, TM_IDENT_NSLOTS);
    TM_SLOT(id, TM_IDENT_NAME) = name;
    TM_SLOT(id, TM_IDENT_ENV) = 0;
    TM_SLOT(id, TM_IDENT_SERIAL) = tm_fix(0);
    return id;
}

/* (sym 0 1 ... count-1) */
static TmValue iota_form(TmNode *n, TmValue sym, intptr_t count)
{
    TmValue l = TM_NIL;
    for (intptr_t i = count; i > 0; i--)
        l = tm_cons(n, tm_fix(i - 1), l);
    return sym ? tm_cons(n, sym, l) : l;
}

/* ---- rules -------------------------------------------------------------- */

static void test_simple(Fixture *f, gconstpointer d)
{
    (void)d;
    check(f->n, "(syntax-rules () ((_ a b) (list b a)))", "(swap 1 2)",
          "(list 2 1)");
    check(f->n, "(syntax-rules () ((_) 'nothing))", "(m)",
          "(quote nothing)");
    check(f->n, "(syntax-rules () ((k a) (a a)))", "(m (f x))",
          "((f x) (f x))");
}

static void test_macro_object(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    static int scope; /* stands for a compiler scope */
    TmValue spec = rd(n, "(syntax-rules (else) ((_ else) 1))");
    TmValue m = tm_syntax_make_rules(n, spec, (uintptr_t)&scope);
    g_assert_true(tm_has_type(m, TM_T_MACRO));
    g_assert_cmpint(tm_obj_size(m), ==, TM_MAC_NSLOTS);
    g_assert_cmpint(tm_fixval(TM_SLOT(m, TM_MAC_KIND)), ==, TM_MACRO_RULES);
    g_assert_true(tm_equal(TM_SLOT(m, TM_MAC_LITERALS), rd(n, "(else)")));
    g_assert_true(tm_equal(TM_SLOT(m, TM_MAC_RULES), rd(n, "(((_ else) 1))")));
    g_assert_true(TM_SLOT(m, TM_MAC_ELLIPSIS) == n->sym[TM_S_ellipsis]);
    g_assert_true(TM_SLOT(m, TM_MAC_ENV) == (TmValue)&scope);
    g_assert_true(TM_SLOT(m, TM_MAC_PROC) == TM_FALSE);
}

static void test_multiple(Fixture *f, gconstpointer d)
{
    (void)d;
    const char *my_or = "(syntax-rules ()"
                        "  ((_) #f)"
                        "  ((_ e) e)"
                        "  ((_ e r ...) (let ((t e)) (if t t (my-or r ...)))))";
    check(f->n, my_or, "(my-or)", "#f");
    check(f->n, my_or, "(my-or 1)", "1");
    check(f->n, my_or, "(my-or 1 2 3)",
          "(let ((t 1)) (if t t (my-or 2 3)))");
}

static void test_literals(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    const char *spec = "(syntax-rules (else)"
                       "  ((_ (else e)) e)"
                       "  ((_ (c e)) (if c e #f)))";
    check(n, spec, "(m (else 1))", "1");
    check(n, spec, "(m (x 1))", "(if x 1 #f)");
    check(n, spec, "(m (5 1))", "(if 5 1 #f)");
    /* a renamed else (from another expansion) is still else */
    TmValue form = rd(n, "(m (else 7))");
    TmValue renamed_else = make_ident(n, make_ident(n, n->sym[TM_S_else_]));
    TM_SLOT(tm_cadr(form), 0) = renamed_else;
    TmValue r = tm_syntax_expand(n, macro(n, spec), form);
    g_assert_true(r == tm_fix(7));
    /* a literal matches nothing but itself */
    check_error(n, "(syntax-rules (else) ((_ else) 1))", "(m 5)",
                "no syntax-rules pattern matches");
}

static void test_data_patterns(Fixture *f, gconstpointer d)
{
    (void)d;
    const char *spec = "(syntax-rules () ((_ 1 \"s\" #\\c #t () x) 'x))";
    check(f->n, spec, "(m 1 \"s\" #\\c #t () 9)", "(quote 9)");
    check_error(f->n, spec, "(m 2 \"s\" #\\c #t () 9)", "matches");
    check_error(f->n, spec, "(m 1 \"t\" #\\c #t () 9)", "matches");
    check_error(f->n, spec, "(m 1 \"s\" #\\c #t (1) 9)", "matches");
}

static void test_underscore(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    check(n, "(syntax-rules () ((_ _ b _) '(_ b)))", "(m 1 2 3)",
          "(quote (_ 2))");
    const char *lit = "(syntax-rules (_) ((m _ x) 'x))";
    check(n, lit, "(m _ 5)", "(quote 5)");
    check_error(n, lit, "(m 1 5)", "no syntax-rules pattern matches");
}

static void test_improper_input(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    check_error(n, "(syntax-rules () ((_ a b) '(a b)))", "(m 1 . 2)",
                "matches");
    check_error(n, "(syntax-rules () ((_ a b) '(a b)))", "(m 1 2 3)",
                "matches");
    const char *rest = "(syntax-rules () ((_ a . b) 'b))";
    check(n, rest, "(m 1 2 3)", "(quote (2 3))");
    check(n, rest, "(m 1 . 2)", "(quote 2)");
    check(n, "(syntax-rules () ((_ a b) '(a . b)))", "(m 1 (2 3))",
          "(quote (1 2 3))");
    check(n, "(syntax-rules () ((_ . all) 'all))", "(m . 5)", "(quote 5)");
}

/* ---- ellipsis ----------------------------------------------------------- */

static void test_ellipsis_simple(Fixture *f, gconstpointer d)
{
    (void)d;
    const char *spec = "(syntax-rules () ((_ x ...) (list x ...)))";
    check(f->n, spec, "(m)", "(list)");
    check(f->n, spec, "(m 1)", "(list 1)");
    check(f->n, spec, "(m 1 (2) 3)", "(list 1 (2) 3)");
    check(f->n, "(syntax-rules () ((_ (a b) ...) (list (b a) ...)))",
          "(m (1 2) (3 4))", "(list (2 1) (4 3))");
    check_error(f->n, "(syntax-rules () ((_ (a b) ...) 1))", "(m (1 2) (3))",
                "matches");
}

static void test_ellipsis_tail(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    const char *spec = "(syntax-rules () ((_ a ... b c) '((a ...) b c)))";
    check(n, spec, "(m 1 2 3 4)", "(quote ((1 2) 3 4))");
    check(n, spec, "(m 3 4)", "(quote (() 3 4))");
    check_error(n, spec, "(m 4)", "no syntax-rules pattern matches");
    check_error(n, spec, "(m 1 2 . 4)", "no syntax-rules pattern matches");
    check(n, "(syntax-rules () ((_ (a ... z) ...) '((z a ...) ...)))",
          "(m (1 2 3) (4))", "(quote ((3 1 2) (4)))");
}

static void test_ellipsis_dotted(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    const char *spec = "(syntax-rules () ((_ a ... . r) '((a ...) r)))";
    check(n, spec, "(m 1 2 . 3)", "(quote ((1 2) 3))");
    check(n, spec, "(m 1 2)", "(quote ((1 2) ()))");
    check(n, spec, "(m . 3)", "(quote (() 3))");
    const char *tail = "(syntax-rules () ((_ a ... b . r) '((a ...) b r)))";
    check(n, tail, "(m 1 2 . 3)", "(quote ((1) 2 3))");
    check_error(n, tail, "(m . 3)", "no syntax-rules pattern matches");
    check(n, "(syntax-rules () ((_ a ...) '(0 a ... . end)))", "(m 1 2)",
          "(quote (0 1 2 . end))");
}

static void test_ellipsis_nested(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    check(n,
          "(syntax-rules () ((_ ((name val) ...) body1 body2 ...)"
          "  ((lambda (name ...) body1 body2 ...) val ...)))",
          "(my-let ((a 1) (b 2)) (+ a b))",
          "((lambda (a b) (+ a b)) 1 2)");
    const char *two = "(syntax-rules () ((_ (a b ...) ...)"
                      "  '((a ...) (b ... ...) ((a b ...) ...)"
                      "    ((b ...) ...))))";
    check(n, two, "(m (1 2 3) (4) (5 6))",
          "(quote ((1 4 5) (2 3 6) ((1 2 3) (4) (5 6)) ((2 3) () (6))))");
    check(n, two, "(m)", "(quote (() () () ()))");
    check(n, "(syntax-rules () ((_ ((a ...) ...) ...) '(a ... ... ...)))",
          "(m ((1 2) (3)) () ((4)))", "(quote (1 2 3 4))");
    check(n, "(syntax-rules () ((_ ((a ...) ...) ...) '(((a ...) ...) ...)))",
          "(m ((1 2) (3)) () ((4)))", "(quote (((1 2) (3)) () ((4))))");
}

/* A variable of depth 0 inside an ellipsis is repeated; so is one whose
 * ellipses are all inside the repeated subtemplate. */
static void test_ellipsis_replicate(Fixture *f, gconstpointer d)
{
    (void)d;
    check(f->n, "(syntax-rules () ((_ x (y ...)) '((x y) ...)))",
          "(m 0 (1 2))", "(quote ((0 1) (0 2)))");
    check(f->n, "(syntax-rules () ((_ (a ...) (b ...)) '((a b ...) ...)))",
          "(m (1 2) (3 4 5))", "(quote ((1 3 4 5) (2 3 4 5)))");
}

static void test_ellipsis_errors(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    const char *zip = "(syntax-rules () ((_ (a ...) (b ...)) '((a b) ...)))";
    check(n, zip, "(m (1 2) (3 4))", "(quote ((1 3) (2 4)))");
    check_error(n, zip, "(m (1 2) (3))", "different lengths");
    check_error(n, "(syntax-rules () ((_ a ...) (list a)))", "(m 1 2)",
                "too few ellipses");
    check_error(n, "(syntax-rules () ((_ a) (list b ...)))", "(m 1)",
                "no pattern variable");
    check_error(n, "(syntax-rules () ((_ a ...) (list a ... ...)))",
                "(m 1)", "no pattern variable");
    check_error(n, "(syntax-rules () ((_ a) (list a . ...)))", "(m 1)",
                "misplaced ellipsis");
    check_error(n, "(syntax-rules () ((_ a) (... a b)))", "(m 1)",
                "escape");
}

static void test_ellipsis_escape(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    check(n, "(syntax-rules () ((_ x) '(x (... ...))))", "(m 1)",
          "(quote (1 ...))");
    check(n, "(syntax-rules () ((_ x) '(... (x ...))))", "(m 1)",
          "(quote (1 ...))");
    check(n, "(syntax-rules () ((_ x ...) '((x (... ...)) ...)))",
          "(m 1 2)", "(quote ((1 ...) (2 ...)))");
}

static void test_ellipsis_custom(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    const char *spec = "(syntax-rules ::: () ((_ x :::) '((x ...) :::)))";
    check(n, spec, "(m 1 2)", "(quote ((1 ...) (2 ...)))");
    TmValue m = macro(n, spec);
    g_assert_true(TM_SLOT(m, TM_MAC_ELLIPSIS) == tm_intern(n, ":::"));
    /* ... is an ordinary pattern variable under a custom ellipsis */
    check(n, "(syntax-rules ::: () ((_ ... :::) '(... :::)))", "(m 1 2)",
          "(quote (1 2))");
    /* an ellipsis among the literals is a literal */
    const char *lit = "(syntax-rules (...) ((_ a ...) 'a))";
    check(n, lit, "(m 1 ...)", "(quote 1)");
    check_error(n, lit, "(m 1 2)", "no syntax-rules pattern matches");
}

/* ---- vectors ------------------------------------------------------------ */

static void test_vectors(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    const char *spec = "(syntax-rules ()"
                       "  ((_ #(a ...) #(b c ... z)) '#(z c ... a ... b)))";
    check(n, spec, "(m #(1 2) #(3 4 5 6))", "(quote #(6 4 5 1 2 3))");
    check(n, spec, "(m #() #(3 4))", "(quote #(4 3))");
    check_error(n, spec, "(m (1 2) #(3 4))", "matches");
    check_error(n, spec, "(m #(1) #(3))", "matches");
    check(n, "(syntax-rules () ((_ (a b) ...) '(#(a b) ...)))",
          "(m (1 2) (3 4))", "(quote (#(1 2) #(3 4)))");
    check(n, "(syntax-rules () ((_ #((a ...) ...)) '#(a ... ...)))",
          "(m #((1 2) (3)))", "(quote #(1 2 3))");
}

/* ---- renaming ----------------------------------------------------------- */

static void test_rename_same(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    static int scope;
    TmValue m = tm_syntax_make_rules(
        n, rd(n, "(syntax-rules () ((_ x y) (let ((tmp x)) (if tmp tmp y))))"),
        (uintptr_t)&scope);
    TmValue r = tm_syntax_expand(n, m, rd(n, "(my-or a tmp)"));
    /* (let ((tmp a)) (if tmp tmp tmp)) */
    TmValue binding = tm_car(tm_cadr(r)), body = tm_caddr(r);
    TmValue tmp = tm_car(binding);
    g_assert_true(tm_is_ident(tmp));
    g_assert_true(TM_SLOT(tmp, TM_IDENT_NAME) == tm_intern(n, "tmp"));
    g_assert_true(TM_SLOT(tmp, TM_IDENT_ENV) == (TmValue)&scope);
    g_assert_true(tm_is_fixnum(TM_SLOT(tmp, TM_IDENT_SERIAL)));
    g_assert_true(tm_cadr(body) == tmp);
    g_assert_true(tm_caddr(body) == tmp);
    g_assert_true(tm_is_ident(tm_car(r)) && tm_is_ident(tm_car(body)));
    g_assert_true(tm_syntax_base_symbol(tm_car(r)) == n->sym[TM_S_let]);
    /* the user's symbols are inserted as they are */
    g_assert_true(tm_cadr(binding) == tm_intern(n, "a"));
    g_assert_true(tm_car(tm_cdr(tm_cddr(body))) == tm_intern(n, "tmp"));
}

static void test_rename_distinct(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue m = macro(n, "(syntax-rules () ((_ x) (let ((tmp x)) tmp)))");
    TmValue r1 = tm_syntax_expand(n, m, rd(n, "(m 1)"));
    TmValue r2 = tm_syntax_expand(n, m, rd(n, "(m 1)"));
    TmValue t1 = tm_car(tm_car(tm_cadr(r1))), t2 = tm_car(tm_car(tm_cadr(r2)));
    g_assert_true(tm_is_ident(t1) && tm_is_ident(t2));
    g_assert_true(t1 != t2);
    g_assert_true(TM_SLOT(t1, TM_IDENT_SERIAL) != TM_SLOT(t2, TM_IDENT_SERIAL));
    g_assert_true(tm_syntax_base_symbol(t1) == tm_syntax_base_symbol(t2));
    g_assert_true(tm_caddr(r1) == t1);
    g_assert_true(tm_equal(tm_syntax_strip(n, r1), tm_syntax_strip(n, r2)));
}

/* A macro that defines a macro: the inner spec is made of IDENTs (its
 * syntax-rules, _, x, the escaped ellipsis) and must still work. */
static void test_rename_macro_defining(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue outer = macro(n,
        "(syntax-rules () ((_ name) (define-syntax name"
        "   (syntax-rules () ((_ x (... ...)) (list x (... ...)))))))");
    TmValue r = tm_syntax_expand(n, outer, rd(n, "(def-lister my-list)"));
    g_assert_true(r != TM_EXC);
    g_assert_true(tm_equal(tm_syntax_strip(n, r),
        rd(n, "(define-syntax my-list"
              "  (syntax-rules () ((_ x ...) (list x ...))))")));
    TmValue spec = tm_caddr(r);
    g_assert_true(tm_is_ident(tm_car(spec)));
    TmValue inner = tm_syntax_make_rules(n, spec, 0);
    g_assert_true(inner != TM_EXC);
    TmValue e = tm_syntax_expand(n, inner, rd(n, "(my-list 1 2 3)"));
    g_assert_true(e != TM_EXC);
    g_assert_true(tm_equal(tm_syntax_strip(n, e), rd(n, "(list 1 2 3)")));
    /* list was renamed twice: an IDENT of an IDENT of the symbol */
    TmValue list = tm_car(e);
    g_assert_true(tm_is_ident(list));
    g_assert_true(tm_is_ident(TM_SLOT(list, TM_IDENT_NAME)));
    g_assert_true(tm_syntax_base_symbol(list) == tm_intern(n, "list"));
}

/* ---- strip -------------------------------------------------------------- */

static void test_strip(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue plain = rd(n, "(a #(b (c . d)) \"e\" 1.5)");
    g_assert_true(tm_syntax_strip(n, plain) == plain);
    g_assert_true(tm_syntax_strip(n, tm_fix(3)) == tm_fix(3));
    TmValue id = make_ident(n, make_ident(n, tm_intern(n, "x")));
    g_assert_true(tm_syntax_base_symbol(id) == tm_intern(n, "x"));
    g_assert_true(tm_syntax_strip(n, id) == tm_intern(n, "x"));
    TmValue shared = rd(n, "(q r)");
    TmValue items[] = {shared, tm_cons(n, id, id),
                       tm_vector_from_array(n, 1, &id)};
    TmValue l = tm_list_from_array(n, 3, items);
    TmValue s = tm_syntax_strip(n, l);
    g_assert_true(tm_equal(s, rd(n, "((q r) (x . x) #(x))")));
    g_assert_true(tm_car(s) == shared); /* parts without IDENTs are shared */
}

/* Circular and shared data (datum labels) end; they have no IDENTs. */
static void test_strip_cycles(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue ring = tm_cons(n, tm_fix(1), TM_NIL);
    TM_SLOT(ring, 1) = ring;
    g_assert_true(tm_syntax_strip(n, ring) == ring);
    TmValue knot = tm_cons(n, TM_NIL, TM_NIL);
    TM_SLOT(knot, 0) = knot;
    TM_SLOT(knot, 1) = tm_cons(n, knot, TM_NIL);
    g_assert_true(tm_syntax_strip(n, knot) == knot);
}

/* ---- long and deep input ------------------------------------------------ */

static void test_long_lists(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    enum { LEN = 10000 };
    TmValue m = macro(n, "(syntax-rules () ((_ x ... y) '(y x ...)))");
    TmValue r = tm_syntax_expand(n, m, iota_form(n, tm_intern(n, "m"), LEN));
    g_assert_true(r != TM_EXC);
    TmValue q = tm_cadr(tm_syntax_strip(n, r));
    g_assert_true(tm_car(q) == tm_fix(LEN - 1));
    g_assert_true(tm_equal(tm_cdr(q), iota_form(n, 0, LEN - 1)));
    /* a long list with one IDENT at its end */
    TmValue l = iota_form(n, make_ident(n, tm_intern(n, "z")), LEN);
    l = tm_list_reverse(n, l);
    TmValue s = tm_syntax_strip(n, l);
    g_assert_true(s != l);
    g_assert_cmpint(tm_list_length(s), ==, LEN + 1);
    /* long nested sequences */
    TmValue pairs = TM_NIL;
    for (int i = 0; i < LEN; i++)
        pairs = tm_cons(n, tm_list2(n, tm_fix(i), tm_fix(-i)), pairs);
    m = macro(n, "(syntax-rules () ((_ (a b) ...) '(b ... a ...)))");
    r = tm_syntax_expand(n, m, tm_cons(n, tm_intern(n, "m"), pairs));
    g_assert_true(r != TM_EXC);
    g_assert_cmpint(tm_list_length(tm_cadr(r)), ==, 2 * LEN);
}

static void test_deep_nesting(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue deep = make_ident(n, tm_intern(n, "leaf"));
    for (int i = 0; i < 5000; i++)
        deep = tm_cons(n, deep, TM_NIL);
    TmValue m = macro(n, "(syntax-rules () ((_ x) '(x)))");
    TmValue r = tm_syntax_expand(n, m, tm_list2(n, tm_intern(n, "m"), deep));
    g_assert_true(r != TM_EXC);
    TmValue s = tm_car(tm_cadr(tm_syntax_strip(n, r)));
    for (int i = 0; i < 5000; i++)
        s = tm_car(s);
    g_assert_true(s == tm_intern(n, "leaf"));
    /* a pattern nested beyond the limit is refused when the macro is made */
    TmValue p = tm_intern(n, "x");
    for (int i = 0; i < 20000; i++)
        p = tm_cons(n, p, TM_NIL);
    TmValue rule = tm_list2(n, tm_cons(n, tm_intern(n, "_"), p), tm_fix(1));
    TmValue spec = tm_list3(n, n->sym[TM_S_syntax_rules], TM_NIL, rule);
    assert_raised(n, tm_syntax_make_rules(n, spec, 0), "too deeply");
}

/* ---- errors ------------------------------------------------------------- */

static void test_bad_specs(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    check_bad_spec(n, "(syntax-rules)", "expected");
    check_bad_spec(n, "(syntax-rules ::: )", "literals");
    check_bad_spec(n, "(syntax-rules (1) ((_) 1))", "literals");
    check_bad_spec(n, "(syntax-rules (a . b) ((_) 1))", "literals");
    check_bad_spec(n, "(syntax-rules 5 ((_) 1))", "literals");
    check_bad_spec(n, "(syntax-rules () (a b))", "pattern");
    check_bad_spec(n, "(syntax-rules () ((_ a) b c))", "(pattern template)");
    check_bad_spec(n, "(syntax-rules () ((_ a)))", "(pattern template)");
    check_bad_spec(n, "(syntax-rules () ((1 a) 2))", "identifier");
    check_bad_spec(n, "(syntax-rules () ((_ a ... b ...) 1))",
                   "more than one ellipsis");
    check_bad_spec(n, "(syntax-rules () ((_ ... a) 1))", "must follow");
    check_bad_spec(n, "(syntax-rules () ((_ a ... ...) 1))", "must follow");
    check_bad_spec(n, "(syntax-rules () ((_ . ...) 1))", "misplaced");
    check_bad_spec(n, "(syntax-rules () ((_ #(... a)) 1))", "must follow");
    check_bad_spec(n, "(syntax-rules () ((_ a (b a)) 1))", "duplicate");
    check_bad_spec(n, "(syntax-rules () ((_ a ...) 1) . 5)", "expected");
    /* a circular template */
    TmValue t = tm_cons(n, tm_fix(1), TM_NIL);
    TM_SLOT(t, 1) = t;
    TmValue rule = tm_list2(n, rd(n, "(_)"), t);
    TmValue spec = tm_list3(n, n->sym[TM_S_syntax_rules], TM_NIL, rule);
    assert_raised(n, tm_syntax_make_rules(n, spec, 0), "circular");
    /* no rules at all is a macro that matches nothing */
    check_error(n, "(syntax-rules ())", "(m)", "no syntax-rules pattern");
}

static void test_no_match(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue r = tm_syntax_expand(
        n, macro(n, "(syntax-rules () ((_ a) a))"), rd(n, "(foo 1 2)"));
    assert_raised(n, r, "no syntax-rules pattern matches: (foo 1 2)");
    TmValue who = TM_SLOT(n->vm.pending, TM_ERR_WHO);
    g_assert_true(who == tm_intern(n, "foo"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define T(path, fn) g_test_add(path, Fixture, NULL, setup, fn, teardown)
    T("/syntax/rules/simple", test_simple);
    T("/syntax/rules/macro-object", test_macro_object);
    T("/syntax/rules/multiple", test_multiple);
    T("/syntax/rules/literals", test_literals);
    T("/syntax/rules/data", test_data_patterns);
    T("/syntax/rules/underscore", test_underscore);
    T("/syntax/rules/improper-input", test_improper_input);
    T("/syntax/ellipsis/simple", test_ellipsis_simple);
    T("/syntax/ellipsis/tail", test_ellipsis_tail);
    T("/syntax/ellipsis/dotted", test_ellipsis_dotted);
    T("/syntax/ellipsis/nested", test_ellipsis_nested);
    T("/syntax/ellipsis/replicate", test_ellipsis_replicate);
    T("/syntax/ellipsis/errors", test_ellipsis_errors);
    T("/syntax/ellipsis/escape", test_ellipsis_escape);
    T("/syntax/ellipsis/custom", test_ellipsis_custom);
    T("/syntax/vector", test_vectors);
    T("/syntax/rename/same", test_rename_same);
    T("/syntax/rename/distinct", test_rename_distinct);
    T("/syntax/rename/macro-defining", test_rename_macro_defining);
    T("/syntax/strip/basic", test_strip);
    T("/syntax/strip/cycles", test_strip_cycles);
    T("/syntax/long/lists", test_long_lists);
    T("/syntax/long/deep", test_deep_nesting);
    T("/syntax/errors/spec", test_bad_specs);
    T("/syntax/errors/no-match", test_no_match);
#undef T
    return g_test_run();
}
