/*
 * test_reader.c — the reader and the printer: every piece of external
 * syntax read, checked structurally and written back; every read error
 * with its location; cycles through datum labels; the pretty printer.
 */
#include "num.h"
#include "port.h"
#include "printer.h"
#include "reader.h"

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

/* ---- helpers ----------------------------------------------------------- */

static TmValue open_text(TmNode *n, const char *text)
{
    return tm_port_open_input_utf8(n, text, strlen(text), "test");
}

/* The one datum in text (which must hold exactly one). */
static TmValue read1(TmNode *n, const char *text)
{
    TmValue port = open_text(n, text);
    TmValue v = tm_read(n, port, NULL);
    if (v == TM_EXC) {
        char *e = tm_print_short(n, n->vm.pending, 0);
        g_test_message("reading %.60s raised %s", text, e);
        g_free(e);
    }
    g_assert_true(v != TM_EXC);
    g_assert_true(tm_read(n, port, NULL) == TM_EOF);
    return v;
}

static char *print(TmNode *n, TmValue v, TmPrintMode mode)
{
    GString *g = g_string_new(NULL);
    tm_print(n, v, mode, g);
    return g_string_free(g, FALSE);
}

/* Read text, write it, compare with `written`, then read that back and
 * check it is equal? to the first datum. */
static void check_rt(TmNode *n, const char *text, const char *written)
{
    TmValue v = read1(n, text);
    char *s = print(n, v, TM_PRINT_WRITE);
    g_assert_cmpstr(s, ==, written);
    TmValue again = read1(n, s);
    g_assert_true(tm_equal(v, again));
    g_free(s);
}

static void check_display(TmNode *n, TmValue v, const char *expected)
{
    char *s = print(n, v, TM_PRINT_DISPLAY);
    g_assert_cmpstr(s, ==, expected);
    g_free(s);
}

static void check_write(TmNode *n, TmValue v, const char *expected)
{
    char *s = print(n, v, TM_PRINT_WRITE);
    g_assert_cmpstr(s, ==, expected);
    g_free(s);
}

/* Reading text (all of it) raises a read-error whose message contains
 * `loc` ("test:LINE:COL: ") followed by `what`. */
static void check_error(TmNode *n, const char *text, const char *loc,
                        const char *what)
{
    TmValue port = open_text(n, text);
    TmValue v;
    do
        v = tm_read(n, port, NULL);
    while (v != TM_EXC && v != TM_EOF);
    g_assert_true(v == TM_EXC);
    TmValue e = n->vm.pending;
    g_assert_true(tm_is_error(e));
    g_assert_true(TM_SLOT(e, TM_ERR_KIND) == n->sym[TM_S_read_error]);
    char *msg = tm_string_to_utf8(TM_SLOT(e, TM_ERR_MESSAGE));
    const char *at = strstr(msg, loc);
    if (!at || !strstr(at, what))
        g_error("reading %.60s: message \"%s\", expected \"%s...%s\"",
                text, msg, loc, what);
    g_free(msg);
}

static TmValue sym(TmNode *n, const char *name) { return tm_intern(n, name); }

static bool is_sym(TmNode *n, TmValue v, const char *name)
{
    return v == sym(n, name);
}

/* ---- atoms ------------------------------------------------------------- */

static void test_fixnum(Fixture *f, gconstpointer d)
{
    (void)d;
    g_assert_true(read1(f->n, "42") == tm_fix(42));
    g_assert_true(read1(f->n, "  -7 ") == tm_fix(-7));
    g_assert_true(read1(f->n, "+5") == tm_fix(5));
    check_rt(f->n, "#x1F", "31");
    check_rt(f->n, "#b-101", "-5");
    check_rt(f->n, "1/2", "1/2");
    check_rt(f->n, "1.5", "1.5");
    check_rt(f->n, "123456789012345678901234567890",
             "123456789012345678901234567890");
}

static void test_boolean(Fixture *f, gconstpointer d)
{
    (void)d;
    g_assert_true(read1(f->n, "#t") == TM_TRUE);
    g_assert_true(read1(f->n, "#f") == TM_FALSE);
    g_assert_true(read1(f->n, "#true") == TM_TRUE);
    g_assert_true(read1(f->n, "#false") == TM_FALSE);
    check_rt(f->n, "(#t #false)", "(#t #f)");
}

static void test_symbol(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    g_assert_true(is_sym(n, read1(n, "foo"), "foo"));
    g_assert_true(is_sym(n, read1(n, "Foo"), "Foo"));
    g_assert_false(read1(n, "Foo") == read1(n, "foo"));
    const char *plain[] = { "+", "-", "...", "->x", "a.b", "1+", "λ", "a::",
                            ":", "set-car!", "<=?", "a'b", "..", "@x" };
    for (size_t i = 0; i < G_N_ELEMENTS(plain); i++) {
        TmValue v = read1(n, plain[i]);
        g_assert_true(tm_is_symbol(v));
        check_rt(n, plain[i], plain[i]);
    }
}

static void test_bar_symbol(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    g_assert_true(is_sym(n, read1(n, "|a b|"), "a b"));
    g_assert_true(is_sym(n, read1(n, "|a\\|b|"), "a|b"));
    g_assert_true(is_sym(n, read1(n, "|\\x41;\\t|"), "A\t"));
    g_assert_true(is_sym(n, read1(n, "|abc|"), "abc"));
    check_rt(n, "|abc|", "abc");
    check_rt(n, "|a b|", "|a b|");
    check_rt(n, "||", "||");
    check_rt(n, "|1|", "|1|");
    check_rt(n, "|-1.5|", "|-1.5|");
    check_rt(n, "|.|", "|.|");
    check_rt(n, "|#foo|", "|#foo|");
    check_rt(n, "|foo:|", "|foo:|");
    check_rt(n, "|a(b|", "|a(b|");
    check_rt(n, "|'a|", "|'a|");
    check_rt(n, "|a\\|\\\\b|", "|a\\|\\\\b|");
    check_rt(n, "|a\\nb|", "|a\\nb|");
    check_display(n, read1(n, "|a b|"), "a b");
}

static void test_keyword(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue k = read1(n, "name:");
    g_assert_true(tm_is_keyword(k));
    g_assert_true(k == tm_intern_keyword(n, "name"));
    check_rt(n, "name:", "name:");
    check_rt(n, "(f x: 1)", "(f x: 1)");
    g_assert_true(tm_is_symbol(read1(n, ":")));
    g_assert_true(tm_is_symbol(read1(n, "a::")));
    g_assert_true(tm_is_symbol(read1(n, "|a:|")));
}

static void test_string(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue s = read1(n, "\"a\\n\\t\\r\\a\\b\\0\\\\\\\"\\x3bb;z\"");
    const uint32_t want[] = { 'a', 10, 9, 13, 7, 8, 0, '\\', '"', 0x3bb, 'z' };
    g_assert_true(tm_is_string(s));
    g_assert_cmpuint(tm_string_length(s), ==, G_N_ELEMENTS(want));
    g_assert_cmpmem(tm_string_chars(s), sizeof want, want, sizeof want);
    check_rt(n, "\"a\\nb\"", "\"a\\nb\"");
    check_rt(n, "\"\\a\\x1b;\"", "\"\\x7;\\x1B;\"");
    check_rt(n, "\"tab\\there \\\"q\\\" \\\\\"",
             "\"tab\\there \\\"q\\\" \\\\\"");
    check_rt(n, "\"λ→\"", "\"λ→\"");
    check_rt(n, "\"\"", "\"\"");
    check_rt(n, "\"a|b\"", "\"a|b\"");
    check_display(n, read1(n, "\"a\\nb\""), "a\nb");
}

static void test_string_continuation(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    check_rt(n, "\"abc\\\n     def\"", "\"abcdef\"");
    check_rt(n, "\"abc\\   \n\t def\"", "\"abcdef\"");
    check_rt(n, "\"abc\\\r\n  def\"", "\"abcdef\"");
    check_rt(n, "\"line1\nline2\"", "\"line1\\nline2\"");
}

static void test_char(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    static const struct {
        const char *text;
        uint32_t cp;
        const char *written;
    } cases[] = {
        { "#\\a", 'a', "#\\a" },
        { "#\\A", 'A', "#\\A" },
        { "#\\space", ' ', "#\\space" },
        { "#\\newline", '\n', "#\\newline" },
        { "#\\tab", '\t', "#\\tab" },
        { "#\\nul", 0, "#\\null" },
        { "#\\null", 0, "#\\null" },
        { "#\\alarm", 7, "#\\alarm" },
        { "#\\backspace", 8, "#\\backspace" },
        { "#\\delete", 127, "#\\delete" },
        { "#\\escape", 27, "#\\escape" },
        { "#\\return", 13, "#\\return" },
        { "#\\x41", 'A', "#\\A" },
        { "#\\x3bb", 0x3bb, "#\\λ" },
        { "#\\λ", 0x3bb, "#\\λ" },
        { "#\\x", 'x', "#\\x" },
        { "#\\x1", 1, "#\\x1" },
        { "#\\(", '(', "#\\(" },
        { "#\\)", ')', "#\\)" },
        { "#\\;", ';', "#\\;" },
        { "#\\\"", '"', "#\\\"" },
        { "#\\|", '|', "#\\|" },
        { "#\\#", '#', "#\\#" },
        { "#\\ ", ' ', "#\\space" },
        { "#\\xa0", 0xa0, "#\\xa0" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        TmValue c = read1(n, cases[i].text);
        g_assert_true(tm_is_char(c));
        g_assert_cmpuint(tm_charval(c), ==, cases[i].cp);
        check_rt(n, cases[i].text, cases[i].written);
    }
    check_display(n, tm_char(0x3bb), "λ");
    check_rt(n, "(#\\( #\\))", "(#\\( #\\))");
    check_rt(n, "(#\\a)", "(#\\a)");
}

static void test_gambit_objects(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    g_assert_true(read1(n, "#!optional") == TM_OPTIONAL);
    g_assert_true(read1(n, "#!rest") == TM_REST);
    g_assert_true(read1(n, "#!key") == TM_KEY);
    g_assert_true(read1(n, "#!default") == TM_DEFAULT);
    g_assert_true(read1(n, "#!void") == TM_VOID);
    check_rt(n, "(#!optional #!rest #!key #!eof #!default #!void)",
             "(#!optional #!rest #!key #!eof #!default #!void)");
    /* #!eof as a whole datum is indistinguishable from the end */
    g_assert_true(tm_read(n, open_text(n, "#!eof"), NULL) == TM_EOF);
}

/* ---- lists and vectors ------------------------------------------------- */

static void test_list_proper(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue l = read1(n, "(1 2 3)");
    g_assert_cmpint(tm_list_length(l), ==, 3);
    g_assert_true(tm_car(l) == tm_fix(1) && tm_caddr(l) == tm_fix(3));
    g_assert_true(read1(n, "()") == TM_NIL);
    g_assert_true(read1(n, "( \n )") == TM_NIL);
    check_rt(n, "( a  b\n\tc )", "(a b c)");
    check_rt(n, "((1 (2)) () (((3))))", "((1 (2)) () (((3))))");
    check_rt(n, "(a\"s\"b)", "(a \"s\" b)");
}

static void test_list_dotted(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue p = read1(n, "(a . b)");
    g_assert_true(tm_is_pair(p));
    g_assert_true(is_sym(n, tm_car(p), "a") && is_sym(n, tm_cdr(p), "b"));
    check_rt(n, "(a . b)", "(a . b)");
    check_rt(n, "(a b . c)", "(a b . c)");
    check_rt(n, "(a . (b c))", "(a b c)");
    check_rt(n, "(a . ())", "(a)");
    check_rt(n, "(a .b)", "(a .b)");
    check_rt(n, "(1 .5)", "(1 0.5)");
    check_rt(n, "(a . #;x b)", "(a . b)");
}

static void test_list_long(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    GString *g = g_string_new("(");
    for (int i = 0; i < 200000; i++)
        g_string_append_printf(g, "%d ", i);
    g_string_append(g, ")");
    TmValue l = read1(n, g->str);
    g_assert_cmpint(tm_list_length(l), ==, 200000);
    char *s = print(n, l, TM_PRINT_WRITE);
    g_assert_cmpuint(strlen(s), ==, g->len - 1);
    g_free(s);
    g_string_free(g, TRUE);
}

/* Nesting up to the limit reads and prints back; beyond it is an error,
 * never a crash. */
static void test_list_deep(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    int depth = 9000;
    GString *g = g_string_new(NULL);
    for (int i = 0; i < depth; i++)
        g_string_append_c(g, i % 3 == 0 ? '\'' : '(');
    g_string_append_c(g, 'x');
    for (int i = depth - 1; i >= 0; i--)
        if (i % 3)
            g_string_append_c(g, ')');
    TmValue v = read1(n, g->str);
    char *s = print(n, v, TM_PRINT_WRITE);
    g_assert_cmpstr(s, ==, g->str);
    g_free(s);
    GString *pp = g_string_new(NULL);
    tm_print_pretty(n, v, pp);
    g_string_free(pp, TRUE);
    g_string_free(g, TRUE);

    g = g_string_new(NULL);
    for (int i = 0; i < 1000000; i++)
        g_string_append_c(g, '(');
    check_error(n, g->str, "test:1:10001: ", "nesting too deep");
    g_string_free(g, TRUE);
}

static void test_vector(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue v = read1(n, "#(1 a \"s\")");
    g_assert_true(tm_is_vector(v));
    g_assert_cmpuint(tm_vector_length(v), ==, 3);
    g_assert_true(tm_vector_ref(v, 0) == tm_fix(1));
    check_rt(n, "#(1 a \"s\")", "#(1 a \"s\")");
    check_rt(n, "#()", "#()");
    check_rt(n, "#(#(1) (2 . 3) #())", "#(#(1) (2 . 3) #())");
}

static void test_bytevector(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue b = read1(n, "#u8(0 1 255)");
    g_assert_true(tm_is_bytevector(b));
    g_assert_cmpuint(tm_bytevector_length(b), ==, 3);
    g_assert_cmpuint(tm_bytevector_data(b)[2], ==, 255);
    check_rt(n, "#u8(0 1 255)", "#u8(0 1 255)");
    check_rt(n, "#u8()", "#u8()");
    check_rt(n, "#u8(#x10 #;7 3)", "#u8(16 3)");
}

static void test_quote(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue q = read1(n, "'x");
    g_assert_true(tm_car(q) == n->sym[TM_S_quote]);
    g_assert_true(is_sym(n, tm_cadr(q), "x") && tm_cddr(q) == TM_NIL);
    g_assert_true(tm_car(read1(n, "`x")) == n->sym[TM_S_quasiquote]);
    g_assert_true(tm_car(read1(n, ",x")) == n->sym[TM_S_unquote]);
    g_assert_true(tm_car(read1(n, ",@x")) == n->sym[TM_S_unquote_splicing]);
    check_rt(n, "'x", "'x");
    check_rt(n, "(quote x)", "'x");
    check_rt(n, "`(a ,b ,@c)", "`(a ,b ,@c)");
    check_rt(n, "''a", "''a");
    check_rt(n, "' x", "'x");
    check_rt(n, "(quote)", "(quote)");
    check_rt(n, "(quote a b)", "(quote a b)");
    check_rt(n, "(quote . a)", "(quote . a)");
    check_rt(n, "(a quote b)", "(a quote b)");
    check_rt(n, "'#(1)", "'#(1)");
    check_rt(n, ", @x", ", @x");
    check_rt(n, ",@x", ",@x");
    check_display(n, read1(n, "'(\"s\" #\\c)"), "'(s c)");
}

static void test_comments(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    check_rt(n, "; hi\n(a ; in\n b) ; end", "(a b)");
    check_rt(n, "#| block |# x", "x");
    check_rt(n, "#| a #| nested |# b |# (x #| in |# y)", "(x y)");
    check_rt(n, "#;(skip me) kept", "kept");
    check_rt(n, "(a #;b c)", "(a c)");
    check_rt(n, "(a #; #;b c d)", "(a d)");
    check_rt(n, "(a #;b)", "(a)");
    check_rt(n, "#!fold-case x", "x");
    check_rt(n, "#!no-fold-case X", "X");
    check_rt(n, "#!/usr/bin/env termite\n(main)", "(main)");
    g_assert_true(tm_read(n, open_text(n, " ; comment"), NULL) == TM_EOF);
    g_assert_true(tm_read(n, open_text(n, "#| x |#"), NULL) == TM_EOF);
    g_assert_true(tm_read(n, open_text(n, ""), NULL) == TM_EOF);
}

static void test_sequence(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue port = open_text(n, "1 (a) \"s\"x 'y");
    g_assert_true(tm_read(n, port, NULL) == tm_fix(1));
    g_assert_true(tm_is_pair(tm_read(n, port, NULL)));
    g_assert_true(tm_is_string(tm_read(n, port, NULL)));
    g_assert_true(is_sym(n, tm_read(n, port, NULL), "x"));
    g_assert_true(tm_is_pair(tm_read(n, port, NULL)));
    g_assert_true(tm_read(n, port, NULL) == TM_EOF);
    g_assert_true(tm_read(n, port, NULL) == TM_EOF);
}

/* ---- datum labels ------------------------------------------------------ */

static void test_label_shared(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue v = read1(n, "(#0=(a b) #0# #0#)");
    g_assert_true(tm_car(v) == tm_cadr(v) && tm_cadr(v) == tm_caddr(v));
    /* sharing without a cycle gets no label */
    check_write(n, v, "((a b) (a b) (a b))");
    v = read1(n, "(#1=x #1#)");
    g_assert_true(tm_car(v) == tm_cadr(v));
}

static void test_label_cycle(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue v = read1(n, "#0=(1 . #0#)");
    g_assert_true(tm_cdr(v) == v);
    check_write(n, v, "#0=(1 . #0#)");
    check_display(n, v, "#0=(1 . #0#)");

    v = read1(n, "#0=(a b . #0#)");
    g_assert_true(tm_cddr(v) == v);
    check_write(n, v, "#0=(a b . #0#)");

    v = read1(n, "#0=(#0#)");
    g_assert_true(tm_car(v) == v);
    check_write(n, v, "#0=(#0#)");

    v = read1(n, "#5=#(1 #5# 2)");
    g_assert_true(tm_vector_ref(v, 1) == v);
    check_write(n, v, "#0=#(1 #0# 2)");

    v = read1(n, "(x #0=(a #1=(b #0# #1#)))");
    TmValue a = tm_cadr(v), b = tm_cadr(a);
    g_assert_true(tm_cadr(b) == a && tm_caddr(b) == b);
    check_write(n, v, "(x #0=(a #1=(b #0# #1#)))");

    v = read1(n, "#0='#0#");
    g_assert_true(tm_cadr(v) == v);
    check_write(n, v, "#0='#0#");

    v = read1(n, "(#0=(1 . #0#) #0#)");
    g_assert_true(tm_car(v) == tm_cadr(v));
    check_write(n, v, "(#0=(1 . #0#) #0#)");
}

/* Written cycles read back to the same shape. */
static void test_label_roundtrip(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    const char *cases[] = { "#0=(1 2 . #0#)", "#0=#(#0# #0#)",
                            "#0=(a #1=#(b #0# #1#) . #1#)",
                            "(#0=(x . #0#) #1=(y . #1#))" };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *s = print(n, read1(n, cases[i]), TM_PRINT_WRITE);
        char *s2 = print(n, read1(n, s), TM_PRINT_WRITE);
        g_assert_cmpstr(s, ==, s2);
        g_free(s);
        g_free(s2);
    }
}

/* write-shared labels everything met twice, numbering labels in the
 * order they are printed; its output reads back to the same sharing, so
 * writing that again gives the same text.  Strings and bytevectors are
 * not labelled (R7RS asks it for pairs and vectors). */
static void test_label_write_shared(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    const char *cases[][2] = {
        { "(#0=(a b) #0# #0#)", "(#0=(a b) #0# #0#)" },
        { "#5=#(1 #5# 2)", "#0=#(1 #0# 2)" },
        { "(x #0=(a #1=(b #0# #1#)))", "(x #0=(a #1=(b #0# #1#)))" },
        { "(#1=(y) #0=(x) #0# #1#)", "(#0=(y) #1=(x) #1# #0#)" },
        { "((a . #0=(b c)) #0#)", "((a . #0=(b c)) #0#)" },
        { "(#3=(a b) . #3#)", "(#0=(a b) . #0#)" },
        { "#0='#0#", "#0='#0#" },
        { "(#0=#(1) #(#0#))", "(#0=#(1) #(#0#))" },
        { "(#0=#u8(1) #0# #1=\"s\" #1#)", "(#u8(1) #u8(1) \"s\" \"s\")" },
        { "(1 (2) #(3))", "(1 (2) #(3))" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *s = print(n, read1(n, cases[i][0]), TM_PRINT_WRITE_SHARED);
        g_assert_cmpstr(s, ==, cases[i][1]);
        char *s2 = print(n, read1(n, s), TM_PRINT_WRITE_SHARED);
        g_assert_cmpstr(s2, ==, s);
        g_free(s);
        g_free(s2);
    }
}

/* write-simple prints shared structure twice and refuses cycles, which
 * would print forever, leaving the output untouched. */
static void test_label_write_simple(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    char *s = print(n, read1(n, "(#0=(a b) #0#)"), TM_PRINT_WRITE_SIMPLE);
    g_assert_cmpstr(s, ==, "((a b) (a b))");
    g_free(s);
    GString *g = g_string_new("x");
    g_assert_false(tm_print(n, read1(n, "(1 #0=(2 . #0#))"),
                            TM_PRINT_WRITE_SIMPLE, g));
    g_assert_cmpstr(g->str, ==, "x");
    g_assert_true(tm_print(n, read1(n, "(1 #0=(2 . #0#))"), TM_PRINT_WRITE, g));
    g_assert_cmpstr(g->str, ==, "x(1 #0=(2 . #0#))");
    g_string_free(g, TRUE);
}

/* ---- source map -------------------------------------------------------- */

static void test_source_map(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmSourceMap *m = tm_source_map_new("test");
    TmValue port = open_text(n, "x\n(define (f a)\n   '(g a))");
    g_assert_true(tm_read(n, port, m) == sym(n, "x"));
    TmValue v = tm_read(n, port, m);
    int line = 0, col = 0;
    g_assert_true(tm_source_map_lookup(m, v, &line, &col));
    g_assert_cmpint(line, ==, 2);
    g_assert_cmpint(col, ==, 1);
    g_assert_true(tm_source_map_lookup(m, tm_cadr(v), &line, &col));
    g_assert_cmpint(line, ==, 2);
    g_assert_cmpint(col, ==, 9);
    TmValue q = tm_caddr(v);
    g_assert_true(tm_source_map_lookup(m, q, &line, &col));
    g_assert_cmpint(line, ==, 3);
    g_assert_cmpint(col, ==, 4);
    g_assert_true(tm_source_map_lookup(m, tm_cadr(q), &line, &col));
    g_assert_cmpint(line, ==, 3);
    g_assert_cmpint(col, ==, 5);
    g_assert_false(tm_source_map_lookup(m, tm_cdr(v), &line, &col));
    g_assert_false(tm_source_map_lookup(m, tm_fix(1), &line, &col));
    tm_source_map_free(m);
}

/* ---- errors ------------------------------------------------------------ */

static void test_errors(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    static const struct {
        const char *text, *loc, *what;
    } cases[] = {
        { "(1 2", "test:1:5: ", "unterminated list starting at 1:1" },
        { "\n  (a (b)\n", "test:3:1: ", "unterminated list starting at 2:3" },
        { "#(1", "test:1:4: ", "unterminated vector starting at 1:1" },
        { "#u8(1", "test:1:6: ", "unterminated bytevector" },
        { ")", "test:1:1: ", "unexpected ')'" },
        { "(a))", "test:1:4: ", "unexpected ')'" },
        { "#q", "test:1:1: ", "bad # syntax #q" },
        { "#", "test:1:1: ", "bad # syntax" },
        { "#xZZ", "test:1:1: ", "bad # syntax" },
        { "#!foo", "test:1:1: ", "bad # syntax #!foo" },
        { "#1x", "test:1:1: ", "bad # syntax" },
        { "\"abc", "test:1:1: ", "unterminated string" },
        { "x \"a\\qb\"", "test:1:5: ", "bad escape \\q" },
        { "\"\\x110000;\"", "test:1:2: ", "bad escape" },
        { "\"\\xD800;\"", "test:1:2: ", "bad escape" },
        { "\"\\x41\"", "test:1:2: ", "bad escape" },
        { "\"a\\  b\"", "test:1:3: ", "bad escape" },
        { "|abc", "test:1:1: ", "unterminated |symbol|" },
        { "|a\\qb|", "test:1:3: ", "bad escape" },
        { "#\\foo", "test:1:1: ", "bad char name #\\foo" },
        { "#\\xD800", "test:1:1: ", "bad char name" },
        { "#\\x110000", "test:1:1: ", "bad char name" },
        { "#\\", "test:1:1: ", "bad char name" },
        { "(. a)", "test:1:2: ", "dot in wrong place" },
        { ".", "test:1:1: ", "dot in wrong place" },
        { "(a . b c)", "test:1:8: ", "dot in wrong place" },
        { "(a . )", "test:1:6: ", "dot in wrong place" },
        { "(a . b . c)", "test:1:8: ", "dot in wrong place" },
        { "#(1 . 2)", "test:1:5: ", "dot in wrong place" },
        { "'.", "test:1:2: ", "dot in wrong place" },
        { "#0#", "test:1:1: ", "undefined datum label #0#" },
        { "(#0=a #0=b)", "test:1:7: ", "defined twice" },
        { "#0=#0#", "test:1:1: ", "refers to itself" },
        { "#123456789=x", "test:1:1: ", "datum label" },
        { "#u8(1 256)", "test:1:7: ", "bytevector element" },
        { "#u8(a)", "test:1:5: ", "bytevector element" },
        { "#u8((1))", "test:1:7: ", "bytevector element" },
        { "#| abc", "test:1:1: ", "unterminated #| comment" },
        { "#| #| |#", "test:1:1: ", "unterminated #| comment" },
        { "'", "test:1:2: ", "end of input in quotation started at 1:1" },
        { "(a ')", "test:1:5: ", "unexpected ')' in quotation" },
        { "(a #;)", "test:1:6: ", "unexpected ')' in #; datum comment" },
        { "#;", "test:1:3: ", "end of input in #; datum comment" },
        { "#0=", "test:1:4: ", "end of input in labelled datum" },
        { "\n\n   (x\n y \"z", "test:4:4: ", "unterminated string" },
        { "(a |b\\x0;c|)", "test:1:4: ", "U+0000" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++)
        check_error(n, cases[i].text, cases[i].loc, cases[i].what);
}

/* The reader continues after an error with the rest of the input. */
static void test_error_recovery(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue port = open_text(n, ") 5");
    g_assert_true(tm_read(n, port, NULL) == TM_EXC);
    g_assert_true(tm_read(n, port, NULL) == tm_fix(5));
}

/* ---- printer ---------------------------------------------------------- */

static void test_print_immediates(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    check_write(n, TM_TRUE, "#t");
    check_write(n, TM_FALSE, "#f");
    check_write(n, TM_NIL, "()");
    check_write(n, TM_EOF, "#!eof");
    check_write(n, TM_VOID, "#!void");
    check_write(n, TM_DEFAULT, "#!default");
    check_write(n, tm_fix(-12), "-12");
    check_write(n, tm_fix(TM_FIXNUM_MAX), "4611686018427387903");
    check_write(n, tm_make_flonum(n, 0.1), "0.1");
    check_display(n, tm_char('a'), "a");
    check_write(n, tm_char(0x7), "#\\alarm");
    check_write(n, tm_char(0x1f), "#\\x1f");
    check_write(n, tm_char(0x2028), "#\\x2028");
}

static void test_print_objects(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    TmValue items[] = { tm_fix(1), tm_string_from_utf8(n, "s", -1) };
    check_write(n, tm_make_values(n, 2, items), "1 \"s\"");
    check_display(n, tm_make_values(n, 2, items), "1 s");
    check_write(n, tm_make_values(n, 0, NULL), "");
    check_write(n, tm_make_box(n, tm_fix(3)), "#&3");
    check_write(n, tm_intern_keyword(n, "key"), "key:");

    TmValue fields = read1(n, "#(x y)");
    TmValue rt = tm_make_record_type(n, sym(n, "<point>"), fields);
    TmValue rec = tm_alloc(n, TM_T_RECORD, 3);
    TM_SLOT(rec, 0) = rt;
    TM_SLOT(rec, 1) = tm_fix(1);
    TM_SLOT(rec, 2) = items[1];
    check_write(n, rec, "#<point x: 1 y: \"s\">");
    check_display(n, rec, "#<point x: 1 y: s>");

    TmValue e = tm_make_error(n, n->sym[TM_S_error],
                              tm_string_from_utf8(n, "bad thing", -1),
                              read1(n, "(1 \"two\" three)"), TM_FALSE);
    check_write(n, e, "#<error \"bad thing\" 1 \"two\" three>");

    TmValue prim = tm_alloc(n, TM_T_PRIMITIVE, 2);
    TM_SLOT(prim, 0) = tm_fix(0);
    TM_SLOT(prim, 1) = sym(n, "car");
    check_write(n, prim, "#<procedure car>");

    TmValue code = tm_alloc(n, TM_T_CODE, TM_CODE_NSLOTS);
    for (int i = 0; i < TM_CODE_NSLOTS; i++)
        TM_SLOT(code, i) = TM_FALSE;
    TmValue clo = tm_alloc(n, TM_T_CLOSURE, 1);
    TM_SLOT(clo, 0) = code;
    check_write(n, clo, "#<procedure>");
    TM_SLOT(code, TM_CODE_NAME) = sym(n, "fact");
    check_write(n, clo, "#<procedure fact>");

    TmValue ident = tm_alloc(n, TM_T_IDENT, 1);
    TM_SLOT(ident, 0) = sym(n, "tmp");
    check_write(n, ident, "tmp");
    check_write(n, open_text(n, ""), "#<port>");
}

static void test_print_short(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    char *s = tm_print_short(n, read1(n, "(1 2 3 4 5 6 7 8 9 10)"), 10);
    g_assert_cmpstr(s, ==, "(1 2 3 4 5...");
    g_free(s);
    s = tm_print_short(n, read1(n, "(1 2)"), 10);
    g_assert_cmpstr(s, ==, "(1 2)");
    g_free(s);
    s = tm_print_short(n, read1(n, "#0=(1 . #0#)"), 0);
    g_assert_cmpstr(s, ==, "#0=(1 . #0#)");
    g_free(s);
    s = tm_print_short(n, read1(n, "\"λλλλ\""), 4);
    g_assert_cmpstr(s, ==, "\"λ...");
    g_free(s);
}

static void test_print_pretty(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    GString *g = g_string_new(NULL);
    tm_print_pretty(n, read1(n, "(define (f x) (+ x 1))"), g);
    g_assert_cmpstr(g->str, ==, "(define (f x) (+ x 1))");
    g_string_truncate(g, 0);
    tm_print_pretty(n, read1(n,
        "(define (long-function-name argument-one argument-two)"
        " (let ((result (compute-something argument-one argument-two)))"
        " (display result) (newline) result))"), g);
    g_assert_cmpstr(g->str, ==,
        "(define (long-function-name argument-one argument-two)\n"
        "  (let ((result (compute-something argument-one argument-two)))\n"
        "    (display result)\n"
        "    (newline)\n"
        "    result))");
    g_string_truncate(g, 0);
    GString *src = g_string_new("#(");
    for (int i = 0; i < 30; i++)
        g_string_append_printf(src, "%d ", 1000 + i);
    g_string_append(src, ")");
    tm_print_pretty(n, read1(n, src->str), g);
    g_assert_true(g_str_has_prefix(g->str, "#(1000\n  1001\n  1002\n"));
    g_assert_true(tm_equal(read1(n, g->str), read1(n, src->str)));
    g_string_free(src, TRUE);
    g_string_free(g, TRUE);
}

/* read -> write -> read gives an equal datum for a corpus of syntax. */
static void test_roundtrip(Fixture *f, gconstpointer d)
{
    (void)d;
    TmNode *n = f->n;
    const char *corpus[] = {
        "(define (fact n) (if (= n 0) 1 (* n (fact (- n 1)))))",
        "(lambda (a #!optional (b 2) #!rest c) `(,a ,@c))",
        "#(1 #u8(1 2) \"x\\ny\" #\\space |a b| key: (a . b))",
        "(recv ((from tag ('ok x)) x) (after 10 'timeout))",
        "(\"\\x7f;\" #\\delete #\\x0 -0.0 +inf.0 1e100)",
        "((((((((((deep))))))))))",
        "(|| |(| |)| |;| |\"| |\\|| |#t|)",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(corpus); i++) {
        TmValue v = read1(n, corpus[i]);
        for (int mode = 0; mode < 2; mode++) {
            GString *g = g_string_new(NULL);
            if (mode == 0)
                tm_print(n, v, TM_PRINT_WRITE, g);
            else
                tm_print_pretty(n, v, g);
            g_assert_true(tm_equal(v, read1(n, g->str)));
            g_string_free(g, TRUE);
        }
    }
}

#define ADD(path, fn) g_test_add(path, Fixture, NULL, setup, fn, teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    ADD("/reader/atom/number", test_fixnum);
    ADD("/reader/atom/boolean", test_boolean);
    ADD("/reader/atom/symbol", test_symbol);
    ADD("/reader/atom/bar-symbol", test_bar_symbol);
    ADD("/reader/atom/keyword", test_keyword);
    ADD("/reader/atom/string", test_string);
    ADD("/reader/atom/string-continuation", test_string_continuation);
    ADD("/reader/atom/char", test_char);
    ADD("/reader/atom/gambit", test_gambit_objects);
    ADD("/reader/list/proper", test_list_proper);
    ADD("/reader/list/dotted", test_list_dotted);
    ADD("/reader/list/long", test_list_long);
    ADD("/reader/list/deep", test_list_deep);
    ADD("/reader/vector", test_vector);
    ADD("/reader/bytevector", test_bytevector);
    ADD("/reader/quote", test_quote);
    ADD("/reader/comments", test_comments);
    ADD("/reader/sequence", test_sequence);
    ADD("/reader/label/shared", test_label_shared);
    ADD("/reader/label/cycle", test_label_cycle);
    ADD("/reader/label/roundtrip", test_label_roundtrip);
    ADD("/reader/label/write-shared", test_label_write_shared);
    ADD("/reader/label/write-simple", test_label_write_simple);
    ADD("/reader/source-map", test_source_map);
    ADD("/reader/error/messages", test_errors);
    ADD("/reader/error/recovery", test_error_recovery);
    ADD("/printer/immediates", test_print_immediates);
    ADD("/printer/objects", test_print_objects);
    ADD("/printer/short", test_print_short);
    ADD("/printer/pretty", test_print_pretty);
    ADD("/printer/roundtrip", test_roundtrip);
    return g_test_run();
}
