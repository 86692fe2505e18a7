/*
 * test_ports.c — string, file and console ports, UTF-8 decoding, line and
 * column tracking, binary ports, finalization, and the I/O primitives of
 * prim_io.c called directly through their table.
 */
#include <glib.h>
#include <glib/gstdio.h>

#include "heap.h"
#include "port.h"
#include "prims.h"

/* ---- fixtures --------------------------------------------------------- */

/* A world that records console output instead of writing it, and
 * delegates everything else to the real world. */
typedef struct {
    TmWorld base;
    TmWorld *real;
    GString *out[3];
    int writes;
} CaptureWorld;

static int64_t cap_monotonic(TmWorld *w)
{
    TmWorld *r = ((CaptureWorld *)w)->real;
    return r->ops->monotonic_ns(r);
}

static double cap_wall(TmWorld *w)
{
    TmWorld *r = ((CaptureWorld *)w)->real;
    return r->ops->wall_seconds(r);
}

static uint64_t cap_random(TmWorld *w)
{
    TmWorld *r = ((CaptureWorld *)w)->real;
    return r->ops->random_u64(r);
}

static void cap_write(TmWorld *w, int fd, const char *buf, size_t len)
{
    CaptureWorld *cw = (CaptureWorld *)w;
    g_string_append_len(cw->out[fd], buf, (gssize)len);
    cw->writes++;
}

static void cap_destroy(TmWorld *w)
{
    CaptureWorld *cw = (CaptureWorld *)w;
    tm_world_free(cw->real);
    for (int i = 0; i < 3; i++)
        g_string_free(cw->out[i], TRUE);
    g_free(cw);
}

static const TmWorldOps cap_ops = {
    .monotonic_ns = cap_monotonic,
    .wall_seconds = cap_wall,
    .random_u64 = cap_random,
    .write = cap_write,
    .trace = NULL,
    .destroy = cap_destroy,
};

static CaptureWorld *capture_world_new(void)
{
    CaptureWorld *cw = g_new0(CaptureWorld, 1);
    cw->base.ops = &cap_ops;
    cw->real = tm_world_real_new(1);
    for (int i = 0; i < 3; i++)
        cw->out[i] = g_string_new(NULL);
    return cw;
}

typedef struct {
    CaptureWorld *world;
    TmNode *n;
    char *dir;
} Fixture;

static void fixture_setup(Fixture *f, gconstpointer data)
{
    (void)data;
    f->world = capture_world_new();
    f->n = tm_node_new(&f->world->base);
    f->dir = g_dir_make_tmp("termite-ports-XXXXXX", NULL);
    g_assert_nonnull(f->dir);
}

static void rm_tree(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d))) {
        char *path = g_build_filename(dir, name, NULL);
        g_remove(path);
        g_free(path);
    }
    if (d)
        g_dir_close(d);
    g_rmdir(dir);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    (void)data;
    tm_node_free(f->n);
    tm_world_free(&f->world->base);
    rm_tree(f->dir);
    g_free(f->dir);
}

/* ---- helpers ---------------------------------------------------------- */

static const TmPrimDef *prim(const char *name)
{
    for (const TmPrimDef *d = tm_prims_io; d->name; d++)
        if (!strcmp(d->name, name))
            return d;
    g_error("no primitive %s in tm_prims_io", name);
    return NULL;
}

/* Call an I/O primitive with argc arguments, checking its arity first as
 * the VM does. */
static TmValue call(TmNode *n, const char *name, int argc, ...)
{
    const TmPrimDef *d = prim(name);
    g_assert_cmpint(argc, >=, d->min_args);
    g_assert_true(d->max_args < 0 || argc <= d->max_args);
    TmValue argv[8];
    va_list ap;
    va_start(ap, argc);
    for (int i = 0; i < argc; i++)
        argv[i] = va_arg(ap, TmValue);
    va_end(ap);
    return d->fn(n, argc, argv);
}

static TmValue str(TmNode *n, const char *s)
{
    return tm_string_from_utf8(n, s, -1);
}

/* Compare a Scheme string with UTF-8 text. */
static void assert_string(TmValue s, const char *expected)
{
    g_assert_true(tm_is_string(s));
    char *got = tm_string_to_utf8(s);
    g_assert_cmpstr(got, ==, expected);
    g_free(got);
}

static char *path_in(Fixture *f, const char *name)
{
    return g_build_filename(f->dir, name, NULL);
}

static char *file_contents(const char *path)
{
    char *text = NULL;
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    return text;
}

/* The pending exception is an error object of the given kind whose
 * message contains `part`. */
static void assert_pending_error(TmNode *n, int kind_sym, const char *part)
{
    TmValue e = n->vm.pending;
    g_assert_true(tm_is_error(e));
    g_assert_true(TM_SLOT(e, TM_ERR_KIND) == n->sym[kind_sym]);
    char *msg = tm_string_to_utf8(TM_SLOT(e, TM_ERR_MESSAGE));
    g_assert_nonnull(strstr(msg, part));
    g_free(msg);
}

/* ---- string input ------------------------------------------------------ */

static void test_string_read_char(Fixture *f, gconstpointer data)
{
    (void)data;
    TmValue pv = tm_port_open_input_string(f->n, str(f->n, "ab\nc"), NULL);
    TmPort *p = tm_port(pv);
    g_assert_true(tm_is_port(pv));
    g_assert_cmpint(tm_port_peek_char(p), ==, 'a');
    g_assert_cmpint(tm_port_peek_char(p), ==, 'a');
    g_assert_cmpint(tm_port_read_char(p), ==, 'a');
    g_assert_cmpint(tm_port_read_char(p), ==, 'b');
    g_assert_cmpint(p->line, ==, 1);
    g_assert_cmpint(p->col, ==, 3);
    g_assert_cmpint(tm_port_read_char(p), ==, '\n');
    g_assert_cmpint(p->line, ==, 2);
    g_assert_cmpint(p->col, ==, 1);
    g_assert_cmpint(tm_port_read_char(p), ==, 'c');
    g_assert_cmpint(tm_port_read_char(p), ==, -1);
    g_assert_cmpint(tm_port_peek_char(p), ==, -1);
    g_assert_cmpint(tm_port_read_char(p), ==, -1);
    g_assert_cmpint(p->col, ==, 2);
}

/* The port keeps its own copy: the string may die or move. */
static void test_string_copy(Fixture *f, gconstpointer data)
{
    (void)data;
    TmValue pv = tm_port_open_input_string(f->n, str(f->n, "xyz"), "src.scm");
    TmPort *p = tm_port(pv);
    g_assert_cmpstr(p->name, ==, "src.scm");
    g_assert_cmpint(tm_port_read_char(p), ==, 'x');
}

/* ---- UTF-8 ------------------------------------------------------------- */

static void test_utf8_multibyte(Fixture *f, gconstpointer data)
{
    (void)data;
    const char *text = "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z"; /* é € 😀 z */
    TmValue pv = tm_port_open_input_utf8(f->n, text, strlen(text), NULL);
    TmPort *p = tm_port(pv);
    g_assert_cmpint(tm_port_read_char(p), ==, 0xE9);
    g_assert_cmpint(tm_port_read_char(p), ==, 0x20AC);
    g_assert_cmpint(tm_port_read_char(p), ==, 0x1F600);
    g_assert_cmpint(p->col, ==, 4); /* columns count characters, not bytes */
    g_assert_cmpint(tm_port_read_char(p), ==, 'z');
    g_assert_cmpint(tm_port_read_char(p), ==, -1);
}

static void test_utf8_invalid(Fixture *f, gconstpointer data)
{
    (void)data;
    /* stray continuation, bad lead, overlong, surrogate, cut sequence at
     * a boundary followed by ASCII, truncated sequence at the end */
    static const char text[] = "\x80" "a" "\xff" "\xc0\xaf" "\xed\xa0\x80"
                               "\xe2\x82" "b" "\xf0\x9f";
    static const int32_t expect[] = {
        0xFFFD, 'a', 0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD,
        0xFFFD, 0xFFFD, 'b', 0xFFFD, 0xFFFD, -1};
    TmValue pv = tm_port_open_input_utf8(f->n, text, sizeof text - 1, NULL);
    TmPort *p = tm_port(pv);
    for (size_t i = 0; i < G_N_ELEMENTS(expect); i++)
        g_assert_cmpint(tm_port_read_char(p), ==, expect[i]);
}

/* A NUL byte is the character U+0000, not an error. */
static void test_utf8_nul(Fixture *f, gconstpointer data)
{
    (void)data;
    TmPort *p = tm_port(tm_port_open_input_utf8(f->n, "a\0b", 3, NULL));
    g_assert_cmpint(tm_port_read_char(p), ==, 'a');
    g_assert_cmpint(tm_port_read_char(p), ==, 0);
    g_assert_cmpint(tm_port_read_char(p), ==, 'b');
}

/* ---- string output ----------------------------------------------------- */

static void test_string_output(Fixture *f, gconstpointer data)
{
    (void)data;
    TmNode *n = f->n;
    TmValue pv = tm_port_open_output_string(n);
    TmPort *p = tm_port(pv);
    tm_port_write_utf8(p, "h\xc3\xa9", 3);
    tm_port_write_char(p, 0x20AC);
    g_assert_cmpint(p->out_col, ==, 3);
    g_assert_true(call(n, "write", 2, str(n, "q\""), pv) == TM_VOID);
    g_assert_true(call(n, "display", 2, tm_char('!'), pv) == TM_VOID);
    g_assert_true(call(n, "write-char", 2, tm_char(0x3bb), pv) == TM_VOID);
    assert_string(call(n, "get-output-string", 1, pv),
                  "h\xc3\xa9\xe2\x82\xac\"q\\\"\"!\xce\xbb");
    g_assert_true(call(n, "newline", 1, pv) == TM_VOID);
    g_assert_cmpint(p->out_col, ==, 0);
    call(n, "fresh-line", 1, pv);
    call(n, "write-string", 4, str(n, "abcdef"), pv, tm_fix(1), tm_fix(3));
    g_assert_cmpint(p->out_col, ==, 2);
    call(n, "fresh-line", 1, pv);
    assert_string(call(n, "get-output-string", 1, pv),
                  "h\xc3\xa9\xe2\x82\xac\"q\\\"\"!\xce\xbb\nbc\n");
}

static void test_print(Fixture *f, gconstpointer data)
{
    (void)data;
    TmNode *n = f->n;
    TmValue pv = tm_port_open_output_string(n);
    TmValue port_kw = tm_intern_keyword(n, "port");
    const TmPrimDef *d = prim("println");
    TmValue argv[] = {port_kw, pv, str(n, "x="), tm_fix(42), tm_char('c')};
    g_assert_true(d->fn(n, 5, argv) == TM_VOID);
    TmValue one = tm_cons(n, tm_fix(1), TM_NIL);
    g_assert_true(call(n, "pp", 2, one, pv) == TM_VOID);
    assert_string(call(n, "get-output-string", 1, pv), "x=42c\n(1)\n");
}

/* ---- console ----------------------------------------------------------- */

/* stdout is line buffered through the world; stderr is unbuffered. */
static void test_console_buffering(Fixture *f, gconstpointer data)
{
    (void)data;
    TmPort *out = tm_port(tm_port_console(f->n, 1));
    TmPort *err = tm_port(tm_port_console(f->n, 2));
    tm_port_write_utf8(out, "abc", 3);
    g_assert_cmpstr(f->world->out[1]->str, ==, "");
    tm_port_write_utf8(out, "d\ne", 3);
    g_assert_cmpstr(f->world->out[1]->str, ==, "abcd\ne");
    tm_port_write_utf8(out, "f", 1);
    tm_port_flush(out);
    g_assert_cmpstr(f->world->out[1]->str, ==, "abcd\nef");
    tm_port_write_char(err, 'E');
    g_assert_cmpstr(f->world->out[2]->str, ==, "E");
    char big[5000];
    memset(big, 'x', sizeof big);
    tm_port_write_utf8(out, big, sizeof big);
    g_assert_cmpuint(f->world->out[1]->len, ==, 7 + sizeof big);
    g_assert_cmpint(out->out_col, ==, 2 + (int)sizeof big);
}

/* Closing a console port flushes it. */
static void test_console_close(Fixture *f, gconstpointer data)
{
    (void)data;
    TmNode *n = f->n;
    TmValue pv = call(n, "%open-console-port", 1, tm_fix(1));
    g_assert_true(call(n, "output-port?", 1, pv) == TM_TRUE);
    call(n, "display", 2, str(n, "bye"), pv);
    g_assert_cmpstr(f->world->out[1]->str, ==, "");
    call(n, "close-output-port", 1, pv);
    g_assert_cmpstr(f->world->out[1]->str, ==, "bye");
    g_assert_true(call(n, "display", 2, str(n, "more"), pv) == TM_EXC);
    g_assert_true(call(n, "%open-console-port", 1, tm_fix(7)) == TM_EXC);
}

/* ---- files ------------------------------------------------------------- */

static void test_file_roundtrip(Fixture *f, gconstpointer data)
{
    (void)data;
    TmNode *n = f->n;
    char *path = path_in(f, "round.txt");
    TmValue out = call(n, "open-output-file", 1, str(n, path));
    g_assert_true(tm_is_port(out));
    call(n, "display", 2, str(n, "line one \xce\xbb"), out);
    call(n, "newline", 1, out);
    call(n, "write", 2, tm_list2(n, tm_fix(1), str(n, "two")), out);
    call(n, "write-string", 2, str(n, "\r\nlast"), out);
    g_assert_true(call(n, "output-port-open?", 1, out) == TM_TRUE);
    call(n, "close-port", 1, out);
    g_assert_true(call(n, "output-port-open?", 1, out) == TM_FALSE);
    call(n, "close-port", 1, out); /* closing twice is fine */

    TmValue in = call(n, "open-input-file", 1, str(n, path));
    g_assert_true(call(n, "input-port?", 1, in) == TM_TRUE);
    g_assert_true(call(n, "textual-port?", 1, in) == TM_TRUE);
    assert_string(call(n, "read-line", 1, in), "line one \xce\xbb");
    g_assert_true(call(n, "peek-char", 1, in) == tm_char('('));
    assert_string(call(n, "read-string", 2, tm_fix(3), in), "(1 ");
    assert_string(call(n, "read-line", 1, in), "\"two\")");
    g_assert_cmpint(tm_port(in)->line, ==, 3);
    assert_string(call(n, "read-line", 1, in), "last");
    g_assert_true(call(n, "read-line", 1, in) == TM_EOF);
    g_assert_true(call(n, "read-char", 1, in) == TM_EOF);
    g_assert_true(call(n, "read-string", 2, tm_fix(2), in) == TM_EOF);
    TmValue eof = call(n, "eof-object", 0);
    g_assert_true(call(n, "eof-object?", 1, eof) == TM_TRUE);
    call(n, "close-input-port", 1, in);
    g_assert_true(call(n, "read-char", 1, in) == TM_EXC);
    g_assert_true(call(n, "input-port-open?", 1, in) == TM_FALSE);
    g_free(path);
}

/* A file larger than a decoding block, full of 3-byte characters so that
 * block boundaries cut characters, with an invalid byte near the end. */
static void test_file_large(Fixture *f, gconstpointer data)
{
    (void)data;
    const size_t count = 100000;
    char *path = path_in(f, "big.txt");
    GString *text = g_string_new(NULL);
    for (size_t i = 0; i < count; i++)
        g_string_append(text, "\xe2\x82\xac");
    g_string_append(text, "\xff!");
    g_assert_true(g_file_set_contents(path, text->str, (gssize)text->len,
                                      NULL));
    g_string_free(text, TRUE);

    TmPort *p = tm_port(tm_port_open_input_file(f->n, "test", path));
    for (size_t i = 0; i < count; i++)
        if (tm_port_read_char(p) != 0x20AC)
            g_error("character %zu misdecoded", i);
    g_assert_cmpint(p->col, ==, (int)count + 1);
    g_assert_cmpint(tm_port_read_char(p), ==, 0xFFFD);
    g_assert_cmpint(tm_port_read_char(p), ==, '!');
    g_assert_cmpint(tm_port_read_char(p), ==, -1);
    g_free(path);
}

static void test_file_append(Fixture *f, gconstpointer data)
{
    (void)data;
    TmNode *n = f->n;
    char *path = path_in(f, "app.txt");
    TmValue out = call(n, "open-output-file", 1, str(n, path));
    call(n, "display", 2, str(n, "one"), out);
    call(n, "close-port", 1, out);
    out = call(n, "open-output-file", 2, str(n, path), TM_TRUE);
    call(n, "display", 2, str(n, "two"), out);
    call(n, "flush-output-port", 1, out);
    char *text = file_contents(path);
    g_assert_cmpstr(text, ==, "onetwo");
    g_free(text);
    /* Gambit's settings list */
    TmValue settings = tm_list_from_array(n, 4, (TmValue[]){
        tm_intern_keyword(n, "path"), str(n, path),
        tm_intern_keyword(n, "append"), TM_TRUE});
    out = call(n, "open-output-file", 1, settings);
    g_assert_true(tm_is_port(out));
    call(n, "display", 2, str(n, "three"), out);
    call(n, "close-port", 1, out);
    text = file_contents(path);
    g_assert_cmpstr(text, ==, "onetwothree");
    g_free(text);
    g_free(path);
}

static void test_file_missing(Fixture *f, gconstpointer data)
{
    (void)data;
    TmNode *n = f->n;
    char *path = path_in(f, "nope.txt");
    g_assert_true(tm_port_open_input_file(n, "load", path) == TM_EXC);
    assert_pending_error(n, TM_S_file_error, "No such file or directory");
    g_assert_true(call(n, "open-input-file", 1, str(n, path)) == TM_EXC);
    assert_pending_error(n, TM_S_file_error, "cannot open file");
    g_assert_true(call(n, "file-exists?", 1, str(n, path)) == TM_FALSE);
    g_assert_true(call(n, "delete-file", 1, str(n, path)) == TM_EXC);
    assert_pending_error(n, TM_S_file_error, "cannot delete file");
    char *sub = path_in(f, "no-dir/x.txt");
    g_assert_true(tm_port_open_output_file(n, "w", sub, false) == TM_EXC);
    g_assert_true(tm_port_open_input_file(n, "r", f->dir) == TM_EXC);
    assert_pending_error(n, TM_S_file_error, "Is a directory");
    g_free(sub);
    g_free(path);
}

static void test_file_delete(Fixture *f, gconstpointer data)
{
    (void)data;
    TmNode *n = f->n;
    char *path = path_in(f, "del.txt");
    g_assert_true(g_file_set_contents(path, "x", 1, NULL));
    g_assert_true(call(n, "file-exists?", 1, str(n, path)) == TM_TRUE);
    g_assert_true(call(n, "delete-file", 1, str(n, path)) == TM_VOID);
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    g_free(path);
}

/* ---- binary ports ------------------------------------------------------ */

/* A bytevector port gives back its bytes, NUL and 0xFF included, and
 * nothing as characters; text written to a binary port and bytes written
 * to a textual one are dropped (the primitives raise before that). */
static void test_bytes_ports(Fixture *f, gconstpointer data)
{
    (void)data;
    TmNode *n = f->n;
    const uint8_t bytes[] = {0, 'a', 0xFF, 0xC3};
    TmPort *in = tm_port(tm_port_open_input_bytes(n, bytes, sizeof bytes));
    g_assert_true(in->binary);
    g_assert_cmpint(tm_port_read_char(in), ==, -1);
    g_assert_cmpint(tm_port_peek_byte(in), ==, 0);
    for (size_t i = 0; i < sizeof bytes; i++)
        g_assert_cmpint(tm_port_read_byte(in), ==, bytes[i]);
    g_assert_cmpint(tm_port_read_byte(in), ==, -1);
    g_assert_cmpint(tm_port_peek_byte(in), ==, -1);

    TmPort *out = tm_port(tm_port_open_output_bytes(n));
    tm_port_write_bytes(out, bytes, sizeof bytes);
    tm_port_write_utf8(out, "text", 4);
    g_assert_cmpuint(out->out->len, ==, sizeof bytes);
    g_assert_cmpmem(out->out->str, out->out->len, bytes, sizeof bytes);

    TmPort *text = tm_port(tm_port_open_output_string(n));
    tm_port_write_bytes(text, bytes, sizeof bytes);
    g_assert_cmpuint(text->out->len, ==, 0);
    TmPort *tin = tm_port(tm_port_open_input_utf8(n, "x", 1, NULL));
    g_assert_cmpint(tm_port_read_byte(tin), ==, -1);
    g_assert_cmpint(tm_port_read_char(tin), ==, 'x');

    tm_port_close(in);
    g_assert_cmpint(tm_port_read_byte(in), ==, -1);
}

/* A binary file longer than three blocks reads back byte for byte. */
static void test_binary_file_large(Fixture *f, gconstpointer data)
{
    (void)data;
    char *path = path_in(f, "big.bin");
    size_t len = 3 * 65536 + 17;
    uint8_t *buf = g_malloc(len);
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)(i * 7 + (i >> 16));
    TmValue out = tm_port_open_binary_output_file(f->n, "test", path, false);
    tm_port_write_bytes(tm_port(out), buf, len);
    tm_port_close(tm_port(out));

    TmPort *p = tm_port(tm_port_open_binary_input_file(f->n, "test", path));
    g_assert_true(p->binary);
    for (size_t i = 0; i < len; i++)
        if (tm_port_read_byte(p) != buf[i])
            g_error("byte %zu misread", i);
    g_assert_cmpint(tm_port_read_byte(p), ==, -1);
    tm_port_close(p);
    g_free(buf);
    g_free(path);
}

/* The primitives refuse the wrong kind of port with an error, not a
 * crash, and leave the port as it was. */
static void test_prims_binary(Fixture *f, gconstpointer data)
{
    (void)data;
    TmNode *n = f->n;
    TmValue in = call(n, "open-input-bytevector", 1,
                      tm_make_bytevector(n, 2, (const uint8_t *)"\x01\x02"));
    TmValue out = call(n, "open-output-bytevector", 0);
    TmValue text = call(n, "open-input-string", 1, str(n, "a"));
    g_assert_true(call(n, "read-char", 1, in) == TM_EXC);
    assert_pending_error(n, TM_S_error, "textual operation on a binary port");
    g_assert_true(call(n, "display", 2, tm_fix(1), out) == TM_EXC);
    g_assert_true(call(n, "read", 1, in) == TM_EXC);
    g_assert_true(call(n, "read-u8", 1, text) == TM_EXC);
    assert_pending_error(n, TM_S_error, "binary operation on a textual port");
    g_assert_true(call(n, "write-u8", 2, tm_fix(256), out) == TM_EXC);
    g_assert_true(call(n, "read-u8", 1, in) == tm_fix(1));
    g_assert_true(call(n, "write-u8", 2, tm_fix(9), out) == TM_VOID);
    TmValue bv = call(n, "get-output-bytevector", 1, out);
    g_assert_true(tm_is_bytevector(bv) && tm_bytevector_length(bv) == 1);
    g_assert_cmpint(tm_bytevector_data(bv)[0], ==, 9);
    g_assert_true(call(n, "binary-port?", 1, in) == TM_TRUE);
    g_assert_true(call(n, "textual-port?", 1, in) == TM_FALSE);
}

/* ---- finalization ------------------------------------------------------ */

/* An output file port nobody closes is flushed and closed when the
 * collector finds it dead; one closed explicitly is finalized once more
 * without harm. */
static void test_finalize(Fixture *f, gconstpointer data)
{
    (void)data;
    TmNode *n = f->n;
    char *path = path_in(f, "fin.txt"), *path2 = path_in(f, "fin2.txt");
    tm_heap_collect(n, true); /* finalize what node creation left behind */
    TmPort *p = tm_port(tm_port_open_output_file(n, "test", path, false));
    tm_port_write_utf8(p, "hello", 5);
    TmValue closed = tm_port_open_output_file(n, "test", path2, false);
    tm_port_write_utf8(tm_port(closed), "bye", 3);
    tm_port_close(tm_port(closed));
    char *text = file_contents(path);
    g_assert_cmpstr(text, ==, ""); /* still in the FILE buffer */
    g_free(text);
    guint before = n->heap.finalizable->len;
    tm_heap_collect(n, true);
    g_assert_cmpuint(n->heap.finalizable->len, ==, before - 2);
    text = file_contents(path);
    g_assert_cmpstr(text, ==, "hello");
    g_free(text);
    text = file_contents(path2);
    g_assert_cmpstr(text, ==, "bye");
    g_free(text);
    g_free(path);
    g_free(path2);
}

/* A rooted port survives collections (minor then major) and still works. */
static void test_finalize_survivor(Fixture *f, gconstpointer data)
{
    (void)data;
    TmNode *n = f->n;
    TmValue pv = tm_port_open_input_string(n, str(n, "kept"), NULL);
    tm_root_push(n, &pv);
    tm_heap_collect(n, false);
    tm_heap_collect(n, true);
    g_assert_true(tm_is_port(pv));
    g_assert_cmpint(tm_port_read_char(tm_port(pv)), ==, 'k');
    tm_root_pop(n, 1);
}

/* ---- primitives: types and errors -------------------------------------- */

static void test_prims_types(Fixture *f, gconstpointer data)
{
    (void)data;
    TmNode *n = f->n;
    TmValue in = call(n, "open-input-string", 1, str(n, "a"));
    TmValue out = call(n, "open-output-string", 0);
    g_assert_true(call(n, "port?", 1, in) == TM_TRUE);
    g_assert_true(call(n, "port?", 1, tm_fix(3)) == TM_FALSE);
    g_assert_true(call(n, "input-port?", 1, out) == TM_FALSE);
    g_assert_true(call(n, "output-port?", 1, out) == TM_TRUE);
    g_assert_true(call(n, "binary-port?", 1, out) == TM_FALSE);
    g_assert_true(call(n, "input-port-open?", 1, in) == TM_TRUE);
    g_assert_true(call(n, "char-ready?", 1, in) == TM_TRUE);
    g_assert_true(call(n, "display", 2, tm_fix(1), in) == TM_EXC);
    g_assert_true(call(n, "read-char", 1, out) == TM_EXC);
    g_assert_true(call(n, "write-char", 2, tm_fix(1), out) == TM_EXC);
    g_assert_true(call(n, "write-u8", 2, tm_fix(1), out) == TM_EXC);
    g_assert_true(call(n, "get-output-string", 1, in) == TM_EXC);
    g_assert_true(call(n, "open-input-string", 1, tm_fix(1)) == TM_EXC);
    g_assert_true(call(n, "read-string", 2, tm_fix(-1), in) == TM_EXC);
    g_assert_true(call(n, "write-string", 4, str(n, "ab"), out, tm_fix(2),
                       tm_fix(1)) == TM_EXC);
    g_assert_true(call(n, "close-input-port", 1, out) == TM_EXC);
    assert_string(call(n, "read-string", 2, tm_fix(0), in), "");
}

static void test_prims_read(Fixture *f, gconstpointer data)
{
    (void)data;
    TmNode *n = f->n;
    TmValue in = call(n, "open-input-string", 1, str(n, "(a 1) x"));
    TmValue v = call(n, "read", 1, in);
    g_assert_true(tm_is_pair(v));
    g_assert_true(tm_car(v) == tm_intern(n, "a"));
    g_assert_true(call(n, "read", 1, in) == tm_intern(n, "x"));
    g_assert_true(call(n, "read", 1, in) == TM_EOF);
}

static void test_prims_system(Fixture *f, gconstpointer data)
{
    (void)data;
    TmNode *n = f->n;
    g_setenv("TERMITE_PORT_TEST", "v\xc3\xa9", TRUE);
    assert_string(call(n, "get-environment-variable", 1,
                       str(n, "TERMITE_PORT_TEST")), "v\xc3\xa9");
    g_assert_true(call(n, "get-environment-variable", 1,
                       str(n, "TERMITE_NO_SUCH_VAR")) == TM_FALSE);
    TmValue env = call(n, "get-environment-variables", 0);
    bool found = false;
    for (; tm_is_pair(env); env = tm_cdr(env)) {
        char *k = tm_string_to_utf8(tm_car(tm_car(env)));
        found |= !strcmp(k, "TERMITE_PORT_TEST");
        g_free(k);
    }
    g_assert_true(found);
    g_assert_true(call(n, "jiffies-per-second", 0) == tm_fix(1000000));
    TmValue j1 = call(n, "current-jiffy", 0);
    g_usleep(2000);
    TmValue j2 = call(n, "current-jiffy", 0);
    g_assert_cmpint(tm_fixval(j2) - tm_fixval(j1), >=, 1000);
    TmValue s = call(n, "current-second", 0);
    g_assert_true(tm_is_flonum(s));
    g_assert_cmpfloat(tm_flonum_value(s), >, 1.6e9);
}

#define ADD(path, fn)                                                         \
    g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    ADD("/port/string/read-char", test_string_read_char);
    ADD("/port/string/copy", test_string_copy);
    ADD("/port/string/output", test_string_output);
    ADD("/port/utf8/multibyte", test_utf8_multibyte);
    ADD("/port/utf8/invalid", test_utf8_invalid);
    ADD("/port/utf8/nul", test_utf8_nul);
    ADD("/port/console/buffering", test_console_buffering);
    ADD("/port/console/close", test_console_close);
    ADD("/port/file/roundtrip", test_file_roundtrip);
    ADD("/port/file/large", test_file_large);
    ADD("/port/file/append", test_file_append);
    ADD("/port/file/missing", test_file_missing);
    ADD("/port/file/delete", test_file_delete);
    ADD("/port/bytes/ports", test_bytes_ports);
    ADD("/port/bytes/file-large", test_binary_file_large);
    ADD("/port/bytes/prims", test_prims_binary);
    ADD("/port/finalize/dead", test_finalize);
    ADD("/port/finalize/survivor", test_finalize_survivor);
    ADD("/port/prims/print", test_print);
    ADD("/port/prims/types", test_prims_types);
    ADD("/port/prims/read", test_prims_read);
    ADD("/port/prims/system", test_prims_system);
    return g_test_run();
}
