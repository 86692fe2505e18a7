/*
 * prim_io.c — the I/O primitives: textual ports (string, file, console),
 * binary ports (bytevector, file), display/write/print, the reader entry
 * point, files, the environment and clocks.  A missing port argument
 * means the current port, a parameter object whose value the VM looks up
 * for the running process.
 */
#include <errno.h>

#include "port.h"
#include "prims.h"
#include "printer.h"
#include "reader.h"
#include "vm.h"

/* ---- argument helpers ------------------------------------------------- */

static bool is_input_kind(TmPortKind k)
{
    return k == TM_PORT_STRING_IN || k == TM_PORT_FILE_IN ||
           k == TM_PORT_CONSOLE_IN || k == TM_PORT_BYTES_IN;
}

static bool is_input_port(TmValue v)
{
    return tm_is_port(v) && is_input_kind(tm_port(v)->kind);
}

static bool is_output_port(TmValue v)
{
    return tm_is_port(v) && !is_input_kind(tm_port(v)->kind);
}

/* argv[i] when it was passed, else the value of the parameter `param`. */
static TmValue port_or_current(TmNode *n, int argc, TmValue *argv, int i,
                               TmValue param)
{
    if (i < argc && argv[i] != TM_DEFAULT)
        return argv[i];
    return tm_param_value(n, param);
}

/* What an operation needs of its port argument. */
typedef enum { TEXT_IN, TEXT_OUT, BYTES_IN, BYTES_OUT } Need;

static const char *const need_names[] = {
    "textual input port", "textual output port", "binary input port",
    "binary output port"
};

/* The open port of argument i (the current input or output port when
 * absent) that suits `need`, or NULL after raising.  A port of the right
 * direction but the wrong kind gets its own message, since both print as
 * #<port>.  The port value itself goes to *pv when wanted. */
static TmPort *port_arg(TmNode *n, const char *who, int argc, TmValue *argv,
                        int i, Need need, TmValue *pv)
{
    bool input = need == TEXT_IN || need == BYTES_IN;
    bool binary = need == BYTES_IN || need == BYTES_OUT;
    TmValue v = port_or_current(n, argc, argv, i,
                                input ? n->param_in : n->param_out);
    if (!(input ? is_input_port(v) : is_output_port(v))) {
        tm_type_error(n, who, i + 1, need_names[need], v);
        return NULL;
    }
    TmPort *p = tm_port(v);
    if (p->binary != binary) {
        tm_error(n, who,
                 binary ? "binary operation on a textual port (needs a port "
                          "from open-input-bytevector, open-output-bytevector "
                          "or open-binary-*-file)"
                        : "textual operation on a binary port",
                 tm_cons(n, v, TM_NIL));
        return NULL;
    }
    if (p->closed) {
        tm_error(n, who,
                 input ? "input port is closed" : "output port is closed",
                 tm_cons(n, v, TM_NIL));
        return NULL;
    }
    if (pv)
        *pv = v;
    return p;
}

static TmPort *out_port(TmNode *n, const char *who, int argc, TmValue *argv,
                        int i)
{
    return port_arg(n, who, argc, argv, i, TEXT_OUT, NULL);
}

static TmPort *in_port(TmNode *n, const char *who, int argc, TmValue *argv,
                       int i, TmValue *pv)
{
    return port_arg(n, who, argc, argv, i, TEXT_IN, pv);
}

/* False, having printed nothing, only for write-simple of a cycle. */
static bool print_to(TmNode *n, TmPort *p, TmValue v, TmPrintMode mode)
{
    GString *g = g_string_new(NULL);
    bool ok = tm_print(n, v, mode, g);
    tm_port_write_utf8(p, g->str, g->len);
    g_string_free(g, TRUE);
    return ok;
}

/* ---- output ----------------------------------------------------------- */

static TmValue print_prim(TmNode *n, const char *who, int argc, TmValue *argv,
                          TmPrintMode mode)
{
    TmPort *p = out_port(n, who, argc, argv, 1);
    if (!p)
        return TM_EXC;
    if (!print_to(n, p, argv[0], mode))
        return tm_error(n, who,
                        "circular data has no representation without datum "
                        "labels; use write or write-shared",
                        TM_NIL);
    return TM_VOID;
}

/* write and display label the cycles, write-shared all shared structure,
 * write-simple nothing (R7RS 6.13.3). */
#define PRINT_PRIM(cname, name, mode)                                         \
    TM_PRIM(cname) { return print_prim(n, name, argc, argv, mode); }
PRINT_PRIM(p_display, "display", TM_PRINT_DISPLAY)
PRINT_PRIM(p_write, "write", TM_PRINT_WRITE)
PRINT_PRIM(p_write_shared, "write-shared", TM_PRINT_WRITE_SHARED)
PRINT_PRIM(p_write_simple, "write-simple", TM_PRINT_WRITE_SIMPLE)
#undef PRINT_PRIM

TM_PRIM(p_newline)
{
    TmPort *p = out_port(n, "newline", argc, argv, 0);
    if (!p)
        return TM_EXC;
    tm_port_write_char(p, '\n');
    return TM_VOID;
}

/* Gambit's fresh-line: a newline unless the output is at a line start. */
TM_PRIM(p_fresh_line)
{
    TmPort *p = out_port(n, "fresh-line", argc, argv, 0);
    if (!p)
        return TM_EXC;
    if (p->out_col != 0)
        tm_port_write_char(p, '\n');
    return TM_VOID;
}

TM_PRIM(p_write_char)
{
    TM_CHECK(n, tm_is_char(argv[0]), "write-char", 1, "character", argv[0]);
    TmPort *p = out_port(n, "write-char", argc, argv, 1);
    if (!p)
        return TM_EXC;
    tm_port_write_char(p, tm_charval(argv[0]));
    return TM_VOID;
}

/* (write-string string [port [start [end]]]) */
TM_PRIM(p_write_string)
{
    TmValue s = argv[0];
    TM_CHECK(n, tm_is_string(s), "write-string", 1, "string", s);
    size_t len = tm_string_length(s), start = 0, end = len;
    const char *who = "write-string";
    if (argc > 2 && !tm_get_index(n, who, 3, argv[2], len + 1, &start))
        return TM_EXC;
    if (argc > 3 && !tm_get_index(n, who, 4, argv[3], len + 1, &end))
        return TM_EXC;
    if (end < start)
        return tm_range_error(n, "write-string", 4, argv[3]);
    TmPort *p = out_port(n, "write-string", argc, argv, 1);
    if (!p)
        return TM_EXC;
    GString *g = g_string_sized_new(end - start);
    for (size_t i = start; i < end; i++)
        tm_utf8_append_char(g, tm_string_chars(s)[i]);
    tm_port_write_utf8(p, g->str, g->len);
    g_string_free(g, TRUE);
    return TM_VOID;
}

/* True for the keyword `port:` of Gambit's print. */
static bool is_port_key(TmNode *n, TmValue v)
{
    return tm_is_keyword(v) && !strcmp(tm_symbol_cname(n, v), "port");
}

/* Gambit's print and println: display every argument without separators.
 * A `port: p` pair among the arguments names the port instead of the
 * current output port. */
static TmValue print_all(TmNode *n, const char *who, int argc, TmValue *argv,
                         bool newline)
{
    TmValue pv = TM_DEFAULT;
    for (int i = 0; i + 1 < argc; i++)
        if (is_port_key(n, argv[i]))
            pv = argv[++i];
    TmPort *p = out_port(n, who, 1, &pv, 0);
    if (!p)
        return TM_EXC;
    for (int i = 0; i < argc; i++) {
        if (i + 1 < argc && is_port_key(n, argv[i]))
            i++;
        else
            print_to(n, p, argv[i], TM_PRINT_DISPLAY);
    }
    if (newline)
        tm_port_write_char(p, '\n');
    return TM_VOID;
}

TM_PRIM(p_print) { return print_all(n, "print", argc, argv, false); }
TM_PRIM(p_println) { return print_all(n, "println", argc, argv, true); }

/* (pp obj [port]): `write` laid out over lines, then a newline. */
TM_PRIM(p_pp)
{
    TmPort *p = out_port(n, "pp", argc, argv, 1);
    if (!p)
        return TM_EXC;
    GString *g = g_string_new(NULL);
    tm_print_pretty(n, argv[0], g);
    g_string_append_c(g, '\n');
    tm_port_write_utf8(p, g->str, g->len);
    g_string_free(g, TRUE);
    return TM_VOID;
}

/* Textual or binary. */
TM_PRIM(p_flush_output_port)
{
    TmValue v = port_or_current(n, argc, argv, 0, n->param_out);
    Need need = tm_is_port(v) && tm_port(v)->binary ? BYTES_OUT : TEXT_OUT;
    TmPort *p = port_arg(n, "flush-output-port", argc, argv, 0, need, NULL);
    if (!p)
        return TM_EXC;
    tm_port_flush(p);
    return TM_VOID;
}

/* ---- input ------------------------------------------------------------ */

static TmValue char_or_eof(int32_t c)
{
    return c < 0 ? TM_EOF : tm_char((uint32_t)c);
}

TM_PRIM(p_read_char)
{
    TmPort *p = in_port(n, "read-char", argc, argv, 0, NULL);
    return p ? char_or_eof(tm_port_read_char(p)) : TM_EXC;
}

TM_PRIM(p_peek_char)
{
    TmPort *p = in_port(n, "peek-char", argc, argv, 0, NULL);
    return p ? char_or_eof(tm_port_peek_char(p)) : TM_EXC;
}

/* A line without its terminator ("\n" or "\r\n"); the eof object when the
 * input is exhausted before any character. */
TM_PRIM(p_read_line)
{
    TmPort *p = in_port(n, "read-line", argc, argv, 0, NULL);
    if (!p)
        return TM_EXC;
    if (tm_port_peek_char(p) < 0)
        return TM_EOF;
    GArray *buf = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    int32_t c;
    while ((c = tm_port_read_char(p)) >= 0 && c != '\n') {
        uint32_t u = (uint32_t)c;
        g_array_append_val(buf, u);
    }
    size_t len = buf->len;
    if (c == '\n' && len > 0 && g_array_index(buf, uint32_t, len - 1) == '\r')
        len--;
    TmValue s = tm_string_from_chars(n, (uint32_t *)buf->data, len);
    g_array_free(buf, TRUE);
    return s;
}

/* (read-string k [port]): up to k characters; eof when none is left. */
TM_PRIM(p_read_string)
{
    TmValue k = argv[0];
    TM_CHECK(n, tm_is_fixnum(k) && tm_fixval(k) >= 0, "read-string", 1,
             "non-negative exact integer", k);
    TmPort *p = in_port(n, "read-string", argc, argv, 1, NULL);
    if (!p)
        return TM_EXC;
    size_t want = (size_t)tm_fixval(k);
    if (want > 0 && tm_port_peek_char(p) < 0)
        return TM_EOF;
    GArray *buf = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    int32_t c;
    while (buf->len < want && (c = tm_port_read_char(p)) >= 0) {
        uint32_t u = (uint32_t)c;
        g_array_append_val(buf, u);
    }
    TmValue s = tm_string_from_chars(n, (uint32_t *)buf->data, buf->len);
    g_array_free(buf, TRUE);
    return s;
}

/* String and file ports never block; console input would need a poll with
 * timeout 0, which belongs to the world, so it answers #t too. */
TM_PRIM(p_char_ready)
{
    TmPort *p = in_port(n, "char-ready?", argc, argv, 0, NULL);
    return p ? TM_TRUE : TM_EXC;
}

TM_PRIM(p_read)
{
    TmValue pv;
    if (!in_port(n, "read", argc, argv, 0, &pv))
        return TM_EXC;
    return tm_read(n, pv, NULL);
}

/* ---- binary ports ------------------------------------------------------ */

static TmValue byte_or_eof(int b)
{
    return b < 0 ? TM_EOF : tm_fix(b);
}

TM_PRIM(p_read_u8)
{
    TmPort *p = port_arg(n, "read-u8", argc, argv, 0, BYTES_IN, NULL);
    return p ? byte_or_eof(tm_port_read_byte(p)) : TM_EXC;
}

TM_PRIM(p_peek_u8)
{
    TmPort *p = port_arg(n, "peek-u8", argc, argv, 0, BYTES_IN, NULL);
    return p ? byte_or_eof(tm_port_peek_byte(p)) : TM_EXC;
}

/* Bytevector and file ports never block (as char-ready?). */
TM_PRIM(p_u8_ready)
{
    TmPort *p = port_arg(n, "u8-ready?", argc, argv, 0, BYTES_IN, NULL);
    return p ? TM_TRUE : TM_EXC;
}

/* (read-bytevector k [port]): up to k bytes; eof when none is left. */
TM_PRIM(p_read_bytevector)
{
    TmValue k = argv[0];
    TM_CHECK(n, tm_is_fixnum(k) && tm_fixval(k) >= 0, "read-bytevector", 1,
             "non-negative exact integer", k);
    TmPort *p = port_arg(n, "read-bytevector", argc, argv, 1, BYTES_IN, NULL);
    if (!p)
        return TM_EXC;
    size_t want = (size_t)tm_fixval(k);
    if (want > 0 && tm_port_peek_byte(p) < 0)
        return TM_EOF;
    GByteArray *buf = g_byte_array_new();
    int b;
    while (buf->len < want && (b = tm_port_read_byte(p)) >= 0) {
        uint8_t u = (uint8_t)b;
        g_byte_array_append(buf, &u, 1);
    }
    TmValue r = tm_make_bytevector(n, buf->len, buf->data);
    g_byte_array_free(buf, TRUE);
    return r;
}

TM_PRIM(p_write_u8)
{
    TmValue b = argv[0];
    TM_CHECK(n, tm_is_fixnum(b) && tm_fixval(b) >= 0 && tm_fixval(b) <= 255,
             "write-u8", 1, "byte (exact integer from 0 to 255)", b);
    TmPort *p = port_arg(n, "write-u8", argc, argv, 1, BYTES_OUT, NULL);
    if (!p)
        return TM_EXC;
    uint8_t u = (uint8_t)tm_fixval(b);
    tm_port_write_bytes(p, &u, 1);
    return TM_VOID;
}

/* (write-bytevector bytevector [port [start [end]]]) */
TM_PRIM(p_write_bytevector)
{
    TmValue bv = argv[0];
    const char *who = "write-bytevector";
    TM_CHECK(n, tm_is_bytevector(bv), who, 1, "bytevector", bv);
    size_t len = tm_bytevector_length(bv), start = 0, end = len;
    if (argc > 2 && argv[2] != TM_DEFAULT &&
        !tm_get_index(n, who, 3, argv[2], len + 1, &start))
        return TM_EXC;
    if (argc > 3 && argv[3] != TM_DEFAULT &&
        !tm_get_index(n, who, 4, argv[3], len + 1, &end))
        return TM_EXC;
    if (end < start)
        return tm_range_error(n, who, 4, argv[3]);
    TmPort *p = port_arg(n, who, argc, argv, 1, BYTES_OUT, NULL);
    if (!p)
        return TM_EXC;
    tm_port_write_bytes(p, tm_bytevector_data(bv) + start, end - start);
    return TM_VOID;
}

TM_PRIM(p_open_input_bytevector)
{
    (void)argc;
    TM_CHECK(n, tm_is_bytevector(argv[0]), "open-input-bytevector", 1,
             "bytevector", argv[0]);
    return tm_port_open_input_bytes(n, tm_bytevector_data(argv[0]),
                                    tm_bytevector_length(argv[0]));
}

TM_PRIM(p_open_output_bytevector)
{
    TM_UNUSED_ARGS;
    return tm_port_open_output_bytes(n);
}

TM_PRIM(p_get_output_bytevector)
{
    (void)argc;
    TmValue v = argv[0];
    TM_CHECK(n, tm_is_port(v) && tm_port(v)->kind == TM_PORT_BYTES_OUT,
             "get-output-bytevector", 1, "bytevector output port", v);
    GString *out = tm_port(v)->out;
    return tm_make_bytevector(n, out->len, (const uint8_t *)out->str);
}

/* ---- port objects ----------------------------------------------------- */

TM_PRIM(p_eof_object) { TM_UNUSED_ARGS; return TM_EOF; }
TM_PRIM(p_eof_object_p) { TM_UNUSED_ARGS; return tm_bool(argv[0] == TM_EOF); }
TM_PRIM(p_port_p) { TM_UNUSED_ARGS; return tm_bool(tm_is_port(argv[0])); }
TM_PRIM(p_input_port_p) { (void)argc; return tm_bool(is_input_port(argv[0])); }
TM_PRIM(p_output_port_p)
{
    (void)argc;
    return tm_bool(is_output_port(argv[0]));
}

TM_PRIM(p_textual_port_p)
{
    TM_UNUSED_ARGS;
    return tm_bool(tm_is_port(argv[0]) && !tm_port(argv[0])->binary);
}

TM_PRIM(p_binary_port_p)
{
    TM_UNUSED_ARGS;
    return tm_bool(tm_is_port(argv[0]) && tm_port(argv[0])->binary);
}

TM_PRIM(p_input_port_open_p)
{
    (void)argc;
    TM_CHECK(n, tm_is_port(argv[0]), "input-port-open?", 1, "port", argv[0]);
    return tm_bool(is_input_port(argv[0]) && !tm_port(argv[0])->closed);
}

TM_PRIM(p_output_port_open_p)
{
    (void)argc;
    TM_CHECK(n, tm_is_port(argv[0]), "output-port-open?", 1, "port", argv[0]);
    return tm_bool(is_output_port(argv[0]) && !tm_port(argv[0])->closed);
}

TM_PRIM(p_open_input_string)
{
    (void)argc;
    TM_CHECK(n, tm_is_string(argv[0]), "open-input-string", 1, "string",
             argv[0]);
    return tm_port_open_input_string(n, argv[0], NULL);
}

TM_PRIM(p_open_output_string)
{
    TM_UNUSED_ARGS;
    return tm_port_open_output_string(n);
}

TM_PRIM(p_get_output_string)
{
    (void)argc;
    TmValue v = argv[0];
    TM_CHECK(n, tm_is_port(v) && tm_port(v)->kind == TM_PORT_STRING_OUT,
             "get-output-string", 1, "string output port", v);
    GString *out = tm_port(v)->out;
    return tm_string_from_utf8(n, out->str, (ptrdiff_t)out->len);
}

/* Gambit also accepts a settings list such as (path: "f" append: #t);
 * this finds the path and the append flag in either form.  Returns a
 * g_malloc'd path, or NULL after raising. */
static char *file_settings(TmNode *n, const char *who, TmValue v, bool *append)
{
    if (tm_is_string(v))
        return tm_string_to_utf8(v);
    TmValue path = TM_FALSE;
    for (TmValue l = v; tm_is_pair(l) && tm_is_pair(tm_cdr(l));
         l = tm_cddr(l)) {
        TmValue key = tm_car(l), val = tm_cadr(l);
        const char *k = tm_is_keyword(key) ? tm_symbol_cname(n, key) : "";
        if (!strcmp(k, "path"))
            path = val;
        else if (!strcmp(k, "append"))
            *append = tm_truthy(val);
    }
    if (!tm_is_string(path)) {
        tm_type_error(n, who, 1, "string or settings list", v);
        return NULL;
    }
    return tm_string_to_utf8(path);
}

TM_PRIM(p_open_input_file)
{
    (void)argc;
    bool append = false;
    char *path = file_settings(n, "open-input-file", argv[0], &append);
    if (!path)
        return TM_EXC;
    TmValue r = tm_port_open_input_file(n, "open-input-file", path);
    g_free(path);
    return r;
}

/* (open-output-file path [append?]) or a settings list with append: */
TM_PRIM(p_open_output_file)
{
    bool append = argc > 1 && tm_truthy(argv[1]) && argv[1] != TM_DEFAULT;
    char *path = file_settings(n, "open-output-file", argv[0], &append);
    if (!path)
        return TM_EXC;
    TmValue r = tm_port_open_output_file(n, "open-output-file", path, append);
    g_free(path);
    return r;
}

TM_PRIM(p_open_binary_input_file)
{
    (void)argc;
    const char *who = "open-binary-input-file";
    TM_CHECK(n, tm_is_string(argv[0]), who, 1, "string", argv[0]);
    char *path = tm_string_to_utf8(argv[0]);
    TmValue r = tm_port_open_binary_input_file(n, who, path);
    g_free(path);
    return r;
}

/* (open-binary-output-file path [append?]), like open-output-file. */
TM_PRIM(p_open_binary_output_file)
{
    const char *who = "open-binary-output-file";
    TM_CHECK(n, tm_is_string(argv[0]), who, 1, "string", argv[0]);
    bool append = argc > 1 && tm_truthy(argv[1]) && argv[1] != TM_DEFAULT;
    char *path = tm_string_to_utf8(argv[0]);
    TmValue r = tm_port_open_binary_output_file(n, who, path, append);
    g_free(path);
    return r;
}

TM_PRIM(p_close_port)
{
    (void)argc;
    TM_CHECK(n, tm_is_port(argv[0]), "close-port", 1, "port", argv[0]);
    tm_port_close(tm_port(argv[0]));
    return TM_VOID;
}

TM_PRIM(p_close_input_port)
{
    (void)argc;
    TM_CHECK(n, is_input_port(argv[0]), "close-input-port", 1, "input port",
             argv[0]);
    tm_port_close(tm_port(argv[0]));
    return TM_VOID;
}

TM_PRIM(p_close_output_port)
{
    (void)argc;
    TM_CHECK(n, is_output_port(argv[0]), "close-output-port", 1,
             "output port", argv[0]);
    tm_port_close(tm_port(argv[0]));
    return TM_VOID;
}

/* (%open-console-port fd): a new port on standard input, output or error,
 * for the prelude's current-*-port parameters and for tests. */
TM_PRIM(p_open_console_port)
{
    (void)argc;
    TmValue fd = argv[0];
    TM_CHECK(n, tm_is_fixnum(fd) && tm_fixval(fd) >= 0 && tm_fixval(fd) <= 2,
             "%open-console-port", 1, "0, 1 or 2", fd);
    return tm_port_console(n, (int)tm_fixval(fd));
}

/* ---- files, environment, clocks ---------------------------------------- */

TM_PRIM(p_file_exists_p)
{
    (void)argc;
    TM_CHECK(n, tm_is_string(argv[0]), "file-exists?", 1, "string", argv[0]);
    char *path = tm_string_to_utf8(argv[0]);
    bool ok = g_file_test(path, G_FILE_TEST_EXISTS);
    g_free(path);
    return tm_bool(ok);
}

TM_PRIM(p_delete_file)
{
    (void)argc;
    TM_CHECK(n, tm_is_string(argv[0]), "delete-file", 1, "string", argv[0]);
    char *path = tm_string_to_utf8(argv[0]);
    TmValue r = TM_VOID;
    if (remove(path) != 0) {
        char *msg = g_strdup_printf("cannot delete file \"%s\": %s", path,
                                    g_strerror(errno));
        r = tm_error_kind(n, n->sym[TM_S_file_error], "delete-file", msg,
                          TM_NIL);
        g_free(msg);
    }
    g_free(path);
    return r;
}

TM_PRIM(p_command_line) { TM_UNUSED_ARGS; return n->command_line; }

TM_PRIM(p_get_environment_variable)
{
    (void)argc;
    TM_CHECK(n, tm_is_string(argv[0]), "get-environment-variable", 1,
             "string", argv[0]);
    char *name = tm_string_to_utf8(argv[0]);
    const char *val = g_getenv(name);
    g_free(name);
    return val ? tm_string_from_utf8(n, val, -1) : TM_FALSE;
}

/* An alist of (name . value) strings, in the order of the environment. */
TM_PRIM(p_get_environment_variables)
{
    TM_UNUSED_ARGS;
    char **env = g_get_environ();
    TmValue l = TM_NIL;
    for (size_t i = g_strv_length(env); i > 0; i--) {
        const char *e = env[i - 1], *eq = strchr(e, '=');
        if (!eq)
            continue;
        TmValue name = tm_string_from_utf8(n, e, eq - e);
        TmValue val = tm_string_from_utf8(n, eq + 1, -1);
        l = tm_cons(n, tm_cons(n, name, val), l);
    }
    g_strfreev(env);
    return l;
}

TM_PRIM(p_current_second)
{
    TM_UNUSED_ARGS;
    return tm_make_flonum(n, n->world->ops->wall_seconds(n->world));
}

/* Microseconds of the world's monotonic clock (virtual in the simulator). */
TM_PRIM(p_current_jiffy)
{
    TM_UNUSED_ARGS;
    return tm_fix(n->world->ops->monotonic_ns(n->world) / 1000);
}

TM_PRIM(p_jiffies_per_second) { TM_UNUSED_ARGS; return tm_fix(1000000); }

const TmPrimDef tm_prims_io[] = {
    {"display", p_display, 1, 2, 0},
    {"write", p_write, 1, 2, 0},
    {"write-shared", p_write_shared, 1, 2, 0},
    {"write-simple", p_write_simple, 1, 2, 0},
    {"newline", p_newline, 0, 1, 0},
    {"fresh-line", p_fresh_line, 0, 1, 0},
    {"write-char", p_write_char, 1, 2, 0},
    {"write-string", p_write_string, 1, 4, 0},
    {"print", p_print, 0, -1, 0},
    {"println", p_println, 0, -1, 0},
    {"pp", p_pp, 1, 2, 0},
    {"flush-output-port", p_flush_output_port, 0, 1, 0},
    {"read-char", p_read_char, 0, 1, 0},
    {"peek-char", p_peek_char, 0, 1, 0},
    {"read-line", p_read_line, 0, 1, 0},
    {"read-string", p_read_string, 1, 2, 0},
    {"char-ready?", p_char_ready, 0, 1, 0},
    {"read", p_read, 0, 1, 0},
    {"read-u8", p_read_u8, 0, 1, 0},
    {"peek-u8", p_peek_u8, 0, 1, 0},
    {"u8-ready?", p_u8_ready, 0, 1, 0},
    {"read-bytevector", p_read_bytevector, 1, 2, 0},
    {"write-u8", p_write_u8, 1, 2, 0},
    {"write-bytevector", p_write_bytevector, 1, 4, 0},
    {"open-input-bytevector", p_open_input_bytevector, 1, 1, 0},
    {"open-output-bytevector", p_open_output_bytevector, 0, 0, 0},
    {"get-output-bytevector", p_get_output_bytevector, 1, 1, 0},
    {"eof-object", p_eof_object, 0, 0, 0},
    {"eof-object?", p_eof_object_p, 1, 1, 0},
    {"port?", p_port_p, 1, 1, 0},
    {"input-port?", p_input_port_p, 1, 1, 0},
    {"output-port?", p_output_port_p, 1, 1, 0},
    {"textual-port?", p_textual_port_p, 1, 1, 0},
    {"binary-port?", p_binary_port_p, 1, 1, 0},
    {"input-port-open?", p_input_port_open_p, 1, 1, 0},
    {"output-port-open?", p_output_port_open_p, 1, 1, 0},
    {"open-input-string", p_open_input_string, 1, 1, 0},
    {"open-output-string", p_open_output_string, 0, 0, 0},
    {"get-output-string", p_get_output_string, 1, 1, 0},
    {"open-input-file", p_open_input_file, 1, 1, 0},
    {"open-output-file", p_open_output_file, 1, 2, 0},
    {"open-binary-input-file", p_open_binary_input_file, 1, 1, 0},
    {"open-binary-output-file", p_open_binary_output_file, 1, 2, 0},
    {"close-port", p_close_port, 1, 1, 0},
    {"close-input-port", p_close_input_port, 1, 1, 0},
    {"close-output-port", p_close_output_port, 1, 1, 0},
    {"%open-console-port", p_open_console_port, 1, 1, 0},
    {"file-exists?", p_file_exists_p, 1, 1, 0},
    {"delete-file", p_delete_file, 1, 1, 0},
    {"command-line", p_command_line, 0, 0, 0},
    {"get-environment-variable", p_get_environment_variable, 1, 1, 0},
    {"get-environment-variables", p_get_environment_variables, 0, 0, 0},
    {"current-second", p_current_second, 0, 0, 0},
    {"current-jiffy", p_current_jiffy, 0, 0, 0},
    {"jiffies-per-second", p_jiffies_per_second, 0, 0, 0},
    {NULL, NULL, 0, 0, 0},
};
