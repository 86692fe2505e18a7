/*
 * fuzz_reader.c — libFuzzer target for the reader and the printer: read
 * every datum of the input until end or error, print each one (write,
 * display, pretty, write-shared, write-simple) and check that what `write`
 * prints reads back equal? and what `write-shared` prints reads back to
 * the same sharing.
 * A crash, hang, leak or failed check is a bug in reader.c or printer.c.
 *
 * Build with the runtime compiled by clang with the same sanitizers:
 *
 *   CC=clang meson setup build-fuzz -Db_sanitize=address,undefined \
 *       -Db_lundef=false -Dbuildtype=debugoptimized
 *   ninja -C build-fuzz src/libtermite.a
 *   clang -g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined \
 *       -Isrc -Ibuild-fuzz $(pkg-config --cflags glib-2.0) \
 *       tests/fuzz/fuzz_reader.c build-fuzz/src/libtermite.a \
 *       $(pkg-config --libs glib-2.0) -lgmp -lm -o build-fuzz/fuzz_reader
 *   build-fuzz/fuzz_reader -max_len=4096 -timeout=10 CORPUS_DIR
 *
 * One node serves many inputs (a static, acceptable in a test harness
 * only); the collector runs between inputs, when C code holds no value.
 */
#include <stdlib.h>

#include "port.h"
#include "printer.h"
#include "reader.h"

/* Outputs longer than this are only printed in the bounded short form:
 * `write` of a DAG that shares heavily (#0=(x) #1=(#0# #0#) ...) is
 * exponential in the input size, as R7RS requires. */
#define MAX_OUTPUT (1 << 16)

/* Interned symbols live as long as their node, and every input interns
 * new ones, so the node is replaced now and then to keep memory flat. */
static TmNode *fuzz_node(void)
{
    static TmNode *node;
    static unsigned runs;
    if (node && ++runs % 4096 == 0) {
        TmWorld *w = node->world;
        tm_node_free(node);
        tm_world_free(w);
        node = NULL;
    }
    if (!node)
        node = tm_node_new(tm_world_real_new(1));
    return node;
}

/* Does the written text use datum labels (#n= / #n#)?  Cyclic data
 * cannot be compared with equal?, so the round trip is checked only for
 * text without them (a conservative test: "#1" inside a string counts). */
static bool has_labels(const char *s)
{
    for (; *s; s++)
        if (s[0] == '#' && s[1] >= '0' && s[1] <= '9')
            return true;
    return false;
}

/* write -> read gives an equal? datum. */
static void check_roundtrip(TmNode *n, TmValue v, const char *written)
{
    if (has_labels(written))
        return;
    TmValue port = tm_port_open_input_utf8(n, written, strlen(written), "rt");
    TmValue again = tm_read(n, port, NULL);
    if (again == TM_EXC || !tm_equal(v, again)) {
        fprintf(stderr, "write output does not read back: %s\n", written);
        abort();
    }
}

/* write-shared -> read -> write-shared gives the same text: labels are
 * numbered in printing order, so equal text means the same sharing. */
static void check_shared_roundtrip(TmNode *n, const char *written)
{
    TmValue port = tm_port_open_input_utf8(n, written, strlen(written), "rt");
    TmValue again = tm_read(n, port, NULL);
    GString *g = g_string_new(NULL);
    if (again != TM_EXC)
        tm_print(n, again, TM_PRINT_WRITE_SHARED, g);
    if (again == TM_EXC || strcmp(g->str, written) != 0) {
        fprintf(stderr, "write-shared output does not read back: %s\n",
                written);
        abort();
    }
    g_string_free(g, TRUE);
}

static void print_all(TmNode *n, TmValue v)
{
    /* write-shared prints every compound once: linear in the input */
    GString *shared = g_string_new(NULL);
    tm_print(n, v, TM_PRINT_WRITE_SHARED, shared);
    check_shared_roundtrip(n, shared->str);
    g_string_free(shared, TRUE);

    char *s = tm_print_short(n, v, MAX_OUTPUT);
    if (strlen(s) < MAX_OUTPUT) {
        GString *g = g_string_new(NULL);
        tm_print(n, v, TM_PRINT_WRITE, g);
        check_roundtrip(n, v, g->str);
        g_string_truncate(g, 0);
        tm_print(n, v, TM_PRINT_DISPLAY, g);
        g_string_truncate(g, 0);
        tm_print(n, v, TM_PRINT_WRITE_SIMPLE, g); /* false when cyclic */
        g_string_truncate(g, 0);
        tm_print_pretty(n, v, g);
        g_string_free(g, TRUE);
    }
    g_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    TmNode *n = fuzz_node();
    TmSourceMap *map = tm_source_map_new("fuzz");
    TmValue port = tm_port_open_input_utf8(n, (const char *)data, size, "fuzz");
    for (;;) {
        TmValue v = tm_read(n, port, map);
        if (v == TM_EOF || v == TM_EXC)
            break;
        print_all(n, v);
    }
    tm_source_map_free(map);
    n->vm.pending = TM_FALSE;
    tm_heap_safepoint(n);
    return 0;
}
