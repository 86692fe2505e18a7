/*
 * port.c — input and output ports: string ports, files (UTF-8 decoded
 * lazily in blocks, so a file of any size needs only one block of memory)
 * and the console (output through the node's world, input from fd 0);
 * binary ports on bytevectors and on files (read in raw blocks).
 */
#include "port.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "heap.h"
#include "prims.h"

#define BLOCK_BYTES 65536        /* raw bytes read from a file at a time */
#define CONSOLE_FLUSH_BYTES 4096 /* pending console bytes forcing a flush */

/* The public TmPort plus what only this file needs.  `pub` comes first so a
 * TmPort* is also a PortImpl*; every port is made by new_port below. */
typedef struct {
    TmPort pub;
    unsigned char pend[4]; /* an incomplete UTF-8 sequence cut by a block end */
    int npend;
    size_t cap;            /* capacity of pub.chars, in characters */
} PortImpl;

bool tm_is_port(TmValue v)
{
    return tm_has_type(v, TM_T_PORT);
}

/* NULL once the collector finalized the port (never seen by live code). */
TmPort *tm_port(TmValue v)
{
    return (TmPort *)TM_SLOT(v, 0);
}

/* ---- UTF-8 decoding --------------------------------------------------- */

/* Number of continuation bytes a lead byte announces, or -1 when the byte
 * cannot start a character (continuation bytes, C0/C1 overlongs, > F4). */
static int utf8_tail_len(unsigned char b)
{
    if (b < 0x80)
        return 0;
    if (b >= 0xC2 && b <= 0xDF)
        return 1;
    if (b >= 0xE0 && b <= 0xEF)
        return 2;
    if (b >= 0xF0 && b <= 0xF4)
        return 3;
    return -1;
}

/* The range allowed for the first continuation byte after lead byte b:
 * narrower after E0/F0 (overlongs), ED (surrogates) and F4 (> U+10FFFF). */
static bool utf8_second_ok(unsigned char b, unsigned char c)
{
    switch (b) {
    case 0xE0: return c >= 0xA0 && c <= 0xBF;
    case 0xED: return c >= 0x80 && c <= 0x9F;
    case 0xF0: return c >= 0x90 && c <= 0xBF;
    case 0xF4: return c >= 0x80 && c <= 0x8F;
    default: return c >= 0x80 && c <= 0xBF;
    }
}

/* Classify the sequence at s[0..avail): its byte length when it is a valid
 * character, 0 when it is a valid prefix cut short by the end of the data,
 * -1 when s[0] must be replaced by U+FFFD. */
static int utf8_seq_len(const unsigned char *s, size_t avail)
{
    int tail = utf8_tail_len(s[0]);
    if (tail <= 0)
        return tail == 0 ? 1 : -1;
    for (int i = 1; i <= tail; i++) {
        if ((size_t)i >= avail)
            return 0;
        bool ok = i == 1 ? utf8_second_ok(s[0], s[1]) : (s[i] & 0xC0) == 0x80;
        if (!ok)
            return -1;
    }
    return tail + 1;
}

static uint32_t utf8_char(const unsigned char *s, int len)
{
    static const unsigned char lead_mask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    uint32_t c = s[0] & lead_mask[len];
    for (int i = 1; i < len; i++)
        c = (c << 6) | (s[i] & 0x3F);
    return c;
}

/* Decode s[0..len) into out (room for len characters), each invalid byte
 * becoming U+FFFD.  When !final, a valid but incomplete sequence at the end
 * is left undecoded; *used tells how many bytes were consumed. */
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *out,
                          bool final, size_t *used)
{
    size_t i = 0, k = 0;
    while (i < len) {
        int sl = utf8_seq_len(s + i, len - i);
        if (sl == 0 && !final)
            break;
        if (sl <= 0) {
            out[k++] = 0xFFFD;
            i++;
        } else {
            out[k++] = utf8_char(s + i, sl);
            i += (size_t)sl;
        }
    }
    *used = i;
    return k;
}

/* ---- making ports ----------------------------------------------------- */

/* A new heap port owning a zeroed C port of the given kind.  The heap
 * object holds the C pointer as a fixnum-looking word and is registered
 * for finalization, so a port nobody closes is closed when it dies. */
static TmValue new_port(TmNode *n, TmPortKind kind, const char *name)
{
    PortImpl *impl = g_new0(PortImpl, 1);
    TmPort *p = &impl->pub;
    p->kind = kind;
    p->name = g_strdup(name ? name : "<string>");
    p->line = 1;
    p->col = 1;
    p->fd = -1;
    p->world = n->world;
    TmValue v = tm_alloc(n, TM_T_PORT, 1);
    TM_SLOT(v, 0) = (TmValue)p;
    tm_heap_add_finalizable(n, v);
    return v;
}

TmValue tm_port_open_input_string(TmNode *n, TmValue str, const char *name)
{
    TmValue v = new_port(n, TM_PORT_STRING_IN, name);
    TmPort *p = tm_port(v);
    p->nchars = tm_string_length(str);
    p->chars = g_new(uint32_t, p->nchars + 1);
    memcpy(p->chars, tm_string_chars(str), p->nchars * sizeof(uint32_t));
    p->at_eof = true; /* nothing beyond the characters already decoded */
    return v;
}

TmValue tm_port_open_input_utf8(TmNode *n, const char *text, size_t len,
                                const char *name)
{
    TmValue v = new_port(n, TM_PORT_STRING_IN, name);
    TmPort *p = tm_port(v);
    size_t used;
    p->chars = g_new(uint32_t, len + 1);
    p->nchars = utf8_decode((const unsigned char *)text, len, p->chars, true,
                            &used);
    p->at_eof = true;
    return v;
}

TmValue tm_port_open_output_string(TmNode *n)
{
    TmValue v = new_port(n, TM_PORT_STRING_OUT, NULL);
    tm_port(v)->out = g_string_new(NULL);
    return v;
}

/* The port reads a copy: the bytevector may move or die meanwhile. */
TmValue tm_port_open_input_bytes(TmNode *n, const uint8_t *data, size_t len)
{
    TmValue v = new_port(n, TM_PORT_BYTES_IN, "<bytevector>");
    TmPort *p = tm_port(v);
    p->binary = true;
    p->bytes = g_malloc(len + 1);
    memcpy(p->bytes, data, len);
    p->nbytes = len;
    p->at_eof = true; /* nothing beyond these bytes */
    return v;
}

TmValue tm_port_open_output_bytes(TmNode *n)
{
    TmValue v = new_port(n, TM_PORT_BYTES_OUT, "<bytevector>");
    tm_port(v)->binary = true;
    tm_port(v)->out = g_string_new(NULL);
    return v;
}

/* Raise "cannot open file "x": reason" as a file-error; returns TM_EXC. */
static TmValue file_error(TmNode *n, const char *who, const char *what,
                          const char *path, int err)
{
    char *msg = g_strdup_printf("cannot %s file \"%s\": %s", what, path,
                                g_strerror(err));
    TmValue r = tm_error_kind(n, n->sym[TM_S_file_error], who, msg, TM_NIL);
    g_free(msg);
    return r;
}

/* fopen that refuses directories, which Linux opens but cannot read;
 * errno tells why on NULL. */
static FILE *open_file(const char *path, const char *mode)
{
    FILE *f = fopen(path, mode);
    struct stat st;
    if (f && fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        errno = EISDIR;
        return NULL;
    }
    return f;
}

static TmValue open_input_file(TmNode *n, const char *who, const char *path,
                               bool binary)
{
    FILE *f = open_file(path, "rb");
    if (!f)
        return file_error(n, who, "open", path, errno);
    TmValue v = new_port(n, TM_PORT_FILE_IN, path);
    tm_port(v)->file = f;
    tm_port(v)->binary = binary;
    return v;
}

static TmValue open_output_file(TmNode *n, const char *who, const char *path,
                                bool append, bool binary)
{
    FILE *f = open_file(path, append ? "ab" : "wb");
    if (!f)
        return file_error(n, who, "open", path, errno);
    TmValue v = new_port(n, TM_PORT_FILE_OUT, path);
    tm_port(v)->file = f;
    tm_port(v)->binary = binary;
    return v;
}

TmValue tm_port_open_input_file(TmNode *n, const char *who, const char *path)
{
    return open_input_file(n, who, path, false);
}

TmValue tm_port_open_output_file(TmNode *n, const char *who, const char *path,
                                 bool append)
{
    return open_output_file(n, who, path, append, false);
}

TmValue tm_port_open_binary_input_file(TmNode *n, const char *who,
                                       const char *path)
{
    return open_input_file(n, who, path, true);
}

TmValue tm_port_open_binary_output_file(TmNode *n, const char *who,
                                        const char *path, bool append)
{
    return open_output_file(n, who, path, append, true);
}

/* A new console port: fd 0 reads the process's standard input, fd 1 and 2
 * write through the world (which the simulator captures). */
TmValue tm_port_console(TmNode *n, int fd)
{
    static const char *const names[] = {"<stdin>", "<stdout>", "<stderr>"};
    g_return_val_if_fail(fd >= 0 && fd <= 2, TM_FALSE);
    TmPortKind kind = fd == 0 ? TM_PORT_CONSOLE_IN : TM_PORT_CONSOLE_OUT;
    TmValue v = new_port(n, kind, names[fd]);
    TmPort *p = tm_port(v);
    p->fd = fd;
    if (fd != 0)
        p->out = g_string_new(NULL);
    return v;
}

/* ---- input ------------------------------------------------------------ */

/* Raw bytes from the port's source into buf: 0 at end of input (errors
 * count as end of input: the reader cannot do better with them). */
static size_t read_raw(TmPort *p, unsigned char *buf, size_t len)
{
    if (p->file)
        return fread(buf, 1, len, p->file);
    if (p->kind != TM_PORT_CONSOLE_IN)
        return 0;
    for (;;) {
        ssize_t k = read(p->fd, buf, len);
        if (k >= 0)
            return (size_t)k;
        if (errno != EINTR)
            return 0;
    }
}

/* Replace the decoded block by the next one.  The bytes of a character cut
 * by the block boundary wait in pend and lead the next block; at end of
 * input they are decoded as U+FFFD each. */
static void fill(PortImpl *impl)
{
    TmPort *p = &impl->pub;
    unsigned char *buf = g_malloc(BLOCK_BYTES + sizeof impl->pend);
    memcpy(buf, impl->pend, (size_t)impl->npend);
    size_t got = read_raw(p, buf + impl->npend, BLOCK_BYTES);
    size_t len = (size_t)impl->npend + got, used;
    if (impl->cap < len) {
        impl->cap = len;
        p->chars = g_renew(uint32_t, p->chars, len);
    }
    p->at_eof = got == 0;
    p->nchars = utf8_decode(buf, len, p->chars, p->at_eof, &used);
    p->pos = 0;
    impl->npend = (int)(len - used);
    memcpy(impl->pend, buf + used, (size_t)impl->npend);
    g_free(buf);
}

/* True when a character is available at p->chars[p->pos], decoding more
 * input as needed. */
static bool input_ready(TmPort *p)
{
    while (p->pos >= p->nchars) {
        if (p->at_eof || p->closed || p->binary)
            return false;
        fill((PortImpl *)p);
    }
    return true;
}

int32_t tm_port_peek_char(TmPort *p)
{
    if (!input_ready(p))
        return -1;
    return (int32_t)p->chars[p->pos];
}

/* Advances line and col past the character: after a newline the next
 * character is at column 1 of the next line. */
int32_t tm_port_read_char(TmPort *p)
{
    if (!input_ready(p))
        return -1;
    uint32_t c = p->chars[p->pos++];
    if (c == '\n') {
        p->line++;
        p->col = 1;
    } else {
        p->col++;
    }
    return (int32_t)c;
}

/* True when a byte is available at p->bytes[p->bpos], reading the next
 * block of a binary file as needed. */
static bool bytes_ready(TmPort *p)
{
    while (p->bpos >= p->nbytes) {
        if (p->at_eof || p->closed || !p->binary)
            return false;
        if (!p->bytes)
            p->bytes = g_malloc(BLOCK_BYTES);
        p->nbytes = read_raw(p, p->bytes, BLOCK_BYTES);
        p->bpos = 0;
        p->at_eof = p->nbytes == 0;
    }
    return true;
}

int tm_port_peek_byte(TmPort *p)
{
    return bytes_ready(p) ? p->bytes[p->bpos] : -1;
}

int tm_port_read_byte(TmPort *p)
{
    return bytes_ready(p) ? p->bytes[p->bpos++] : -1;
}

/* ---- output ----------------------------------------------------------- */

/* out_col is the number of characters after the last newline written. */
static void track_column(TmPort *p, const char *s, size_t len)
{
    size_t start = 0;
    for (size_t i = len; i > 0; i--) {
        if (s[i - 1] == '\n') {
            start = i;
            p->out_col = 0;
            break;
        }
    }
    for (size_t i = start; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            p->out_col++;
}

static void console_flush(TmPort *p)
{
    if (p->out->len > 0)
        p->world->ops->write(p->world, p->fd, p->out->str, p->out->len);
    g_string_truncate(p->out, 0);
}

/* Console output is line buffered (stderr unbuffered): a newline, or more
 * than CONSOLE_FLUSH_BYTES pending, sends the buffer to the world. */
static void console_write(TmPort *p, const char *s, size_t len)
{
    g_string_append_len(p->out, s, (gssize)len);
    if (p->fd == 2 || p->out->len > CONSOLE_FLUSH_BYTES ||
        memchr(s, '\n', len))
        console_flush(p);
}

/* Writing to a closed or input port does nothing: the primitives check
 * first and raise. */
void tm_port_write_utf8(TmPort *p, const char *s, size_t len)
{
    if (p->closed || p->binary || len == 0)
        return;
    switch (p->kind) {
    case TM_PORT_STRING_OUT:
        g_string_append_len(p->out, s, (gssize)len);
        break;
    case TM_PORT_FILE_OUT:
        fwrite(s, 1, len, p->file);
        break;
    case TM_PORT_CONSOLE_OUT:
        console_write(p, s, len);
        break;
    default:
        return;
    }
    track_column(p, s, len);
}

void tm_port_write_char(TmPort *p, uint32_t cp)
{
    char b[8];
    int k = g_unichar_to_utf8(cp, b);
    tm_port_write_utf8(p, b, (size_t)k);
}

void tm_port_write_bytes(TmPort *p, const uint8_t *b, size_t len)
{
    if (p->closed || !p->binary || len == 0)
        return;
    if (p->kind == TM_PORT_BYTES_OUT)
        g_string_append_len(p->out, (const char *)b, (gssize)len);
    else if (p->kind == TM_PORT_FILE_OUT)
        fwrite(b, 1, len, p->file);
}

void tm_port_flush(TmPort *p)
{
    if (p->closed)
        return;
    if (p->kind == TM_PORT_CONSOLE_OUT)
        console_flush(p);
    else if (p->kind == TM_PORT_FILE_OUT)
        fflush(p->file);
}

/* Flushes pending output and releases the file and the input buffers; a
 * string or bytevector output port keeps its contents so that
 * get-output-string and get-output-bytevector still work.  Closing twice,
 * or finalizing a closed port, is harmless. */
void tm_port_close(TmPort *p)
{
    if (p->closed)
        return;
    tm_port_flush(p);
    p->closed = true;
    if (p->file)
        fclose(p->file);
    p->file = NULL;
    if (p->kind == TM_PORT_STRING_IN || p->kind == TM_PORT_FILE_IN ||
        p->kind == TM_PORT_CONSOLE_IN) {
        g_free(p->chars);
        p->chars = NULL;
        p->nchars = p->pos = 0;
        ((PortImpl *)p)->cap = 0;
    }
    g_free(p->bytes);
    p->bytes = NULL;
    p->nbytes = p->bpos = 0;
}

/* The collector calls this once for a dead port.  The slot is cleared so
 * that a second call (node teardown after a collection) finds nothing. */
void tm_port_finalize(TmValue port)
{
    TmPort *p = tm_port(port);
    if (!p)
        return;
    tm_port_close(p);
    if (p->out)
        g_string_free(p->out, TRUE);
    g_free(p->chars);
    g_free(p->bytes);
    g_free(p->name);
    g_free((PortImpl *)p);
    TM_SLOT(port, 0) = 0;
}
