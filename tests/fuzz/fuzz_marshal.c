/*
 * fuzz_marshal.c — libFuzzer target for the wire-format decoder
 * (src/marshal.c): any bytes must decode to a value or fail with an
 * error, never crash, hang, leak or break the heap; a value that decodes
 * must encode again, and that encoding must decode.  A failure is a bug
 * in the decoder or the bytecode verifier.
 *
 * Most inputs get the message header ("TMTW" and the version) put in
 * front of them, so the fuzzer spends its time on items; an input that
 * starts with 'T' is taken whole, so the header checks are fuzzed too.
 *
 * With the fuzz build of tests/fuzz/meson.build ('marshal' in its list):
 *
 *   CC=clang meson setup build-fuzz -Dfuzz=true \
 *       -Db_sanitize=address,undefined -Db_lundef=false
 *   ninja -C build-fuzz tests/fuzz/fuzz_marshal
 *   build-fuzz/tests/fuzz/fuzz_marshal -max_len=4096 -timeout=10 \
 *       -max_total_time=60 CORPUS_DIR
 *
 * One node serves many inputs (a static, acceptable in a test harness
 * only); the collector runs between inputs, when C code holds no value.
 */
#include <stdio.h>
#include <stdlib.h>

#include "heap.h"
#include "marshal.h"

/* Interned symbols and cached code live as long as their node, and
 * inputs make new ones, so the node is replaced now and then. */
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

/* Encode what decoded, and decode that again. */
static void check_reencodes(TmNode *n, TmValue v)
{
    GError *err = NULL;
    GBytes *b = tm_marshal_encode(n, v, &err);
    if (!b) {
        fprintf(stderr, "a decoded value does not encode: %s\n", err->message);
        abort();
    }
    gsize len;
    const uint8_t *p = g_bytes_get_data(b, &len);
    if (tm_marshal_decode(n, p, len, NULL, &err) == TM_EXC) {
        fprintf(stderr, "the encoding of a decoded value does not decode: %s\n",
                err->message);
        abort();
    }
    g_bytes_unref(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    TmNode *n = fuzz_node();
    uint8_t *buf = NULL;
    const uint8_t *p = data;
    size_t len = size;
    if (size == 0 || data[0] != 'T') {
        buf = malloc(size + 5);
        memcpy(buf, "TMTW\x01", 5);
        if (size)
            memcpy(buf + 5, data, size);
        p = buf;
        len = size + 5;
    }
    /* small limits: the fuzzer's inputs are small, and the limits are
     * part of what is tested */
    TmMarshalLimits lim = {1 << 20, 1 << 16, 1 << 10};
    GError *err = NULL;
    TmValue v = tm_marshal_decode(n, p, len, &lim, &err);
    if (v == TM_EXC) {
        if (!err)
            abort();
        g_error_free(err);
    } else {
        if (err)
            abort();
        check_reencodes(n, v);
    }
    free(buf);
    n->vm.pending = TM_FALSE;
    tm_heap_safepoint(n);
    return 0;
}
