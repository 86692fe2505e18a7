/*
 * marshal.c — values to the wire format and back, and the bytecode
 * verifier that guards decoded code.
 *
 * The encoder walks a value in preorder with an explicit stack (a long
 * list or a deep tree costs heap, never C stack), numbering each heap
 * object when it first meets it and writing a back-reference when it
 * meets it again, so sharing and cycles survive.  The decoder numbers
 * objects in the same order and allocates every container before its
 * contents, so a back-reference into an unfinished container (a cycle) is
 * simply the container.  Nothing decoded is trusted until the whole
 * message has been read and checked.  See docs/internals/wire-format.md.
 */
#include "marshal.h"

#include "compiler.h"
#include "heap.h"
#include "num.h"
#include "port.h"
#include "prims.h"
#include "printer.h"
#include "process.h"
#include "vm.h"

/* ---- the format --------------------------------------------------------- */

static const uint8_t magic[4] = {'T', 'M', 'T', 'W'};

/* Lead bytes.  0x00-0xBF are the fixnums 0-191 themselves. */
enum {
    W_SMALL_LIMIT = 0xC0,
    W_FIX = 0xC0, W_BIGNUM, W_RATNUM, W_FLONUM, W_CHAR,
    W_FALSE = 0xC5, W_TRUE, W_NIL, W_EOF, W_VOID, W_DEFAULT, W_OPTIONAL,
    W_REST, W_KEY, W_UNASSIGNED,
    W_STRING = 0xD0, W_SYMBOL, W_USYMBOL, W_KEYWORD, W_BYTEVECTOR,
    W_PAIR = 0xD5, W_LIST, W_VECTOR, W_BOX, W_VALUES, W_PROMISE, W_ERROR,
    W_PARAMETER, W_CONSOLE_PARAM, W_ENVIRONMENT,
    W_RECORD_TYPE = 0xE0, W_RECORD, W_PRIMITIVE, W_CODE, W_CODE_REF,
    W_CLOSURE, W_FRAME, W_CONTINUATION,
    W_NODE = 0xE8, W_PID, W_TAG,
    W_REF = 0xEF,
};

/* The special immediates by payload (value.h), and their lead bytes; 0
 * marks the ones that never leave a node (#!unbound, the TM_EXC marker). */
static const uint8_t special_lead[12] = {
    W_FALSE, W_TRUE, W_NIL, W_EOF, W_VOID, W_DEFAULT, 0, 0,
    W_OPTIONAL, W_REST, W_KEY, W_UNASSIGNED,
};

#define DEFAULT_MAX_BYTES ((size_t)64 << 20)
#define DEFAULT_MAX_OBJECTS ((size_t)16 << 20)
#define DEFAULT_MAX_DEPTH ((size_t)1 << 20)

/* Bounds the verifier puts on decoded code.  A heap frame is copied onto
 * the VM's stack cache when resumed, so its size must stay well below the
 * cache (vm.c, 64 Ki words); parameters are filled in before the VM checks
 * the stack, so their number stays small. */
#define MAX_FRAMESIZE 16384
#define MAX_PARAMS 255
#define MAX_NFREE 65535
#define MAX_STATE_WORDS ((size_t)1 << 24)
/* The verifier's work for one message (instructions simulated plus state
 * words merged) is bounded: a fixed amount plus a little per input byte,
 * at most VERIFY_MAX_WORK.  Compiled code needs far less (the 177 code
 * objects of the prelude take 18,467 units in all, 2,078 at most for
 * one), while crafted code with deep stacks and many joins could
 * otherwise keep a node busy for minutes. */
#define VERIFY_BASE_WORK ((int64_t)1 << 20)
#define VERIFY_WORK_PER_BYTE 32
#define VERIFY_MAX_WORK ((int64_t)1 << 26)

G_DEFINE_QUARK(tm-marshal-error-quark, tm_marshal_error)

/* ---- output buffer -------------------------------------------------------- */

/* Starts in its own small buffer: short messages allocate nothing. */
typedef struct {
    uint8_t *data;
    size_t len, cap;
    uint8_t small[256];
} Out;

static void out_init(Out *o)
{
    o->data = o->small;
    o->len = 0;
    o->cap = sizeof o->small;
}

static void out_grow(Out *o, size_t need)
{
    size_t cap = 2 * o->cap;
    while (cap - o->len < need)
        cap *= 2;
    if (o->data == o->small) {
        o->data = g_malloc(cap);
        memcpy(o->data, o->small, o->len);
    } else {
        o->data = g_realloc(o->data, cap);
    }
    o->cap = cap;
}

static void out_free(Out *o)
{
    if (o->data != o->small)
        g_free(o->data);
}

/* The bytes as a GBytes (the buffer is taken when it is on the heap). */
static GBytes *out_take(Out *o)
{
    if (o->data == o->small)
        return g_bytes_new(o->data, o->len);
    GBytes *b = g_bytes_new_take(o->data, o->len);
    out_init(o);
    return b;
}

static inline uint8_t *out_room(Out *o, size_t k)
{
    if (G_UNLIKELY(o->cap - o->len < k))
        out_grow(o, k);
    return o->data + o->len;
}

static inline void put_byte(Out *o, uint8_t b)
{
    *out_room(o, 1) = b;
    o->len++;
}

static inline void put_varint(Out *o, uint64_t v)
{
    uint8_t *p = out_room(o, 10);
    size_t k = 0;
    while (v >= 0x80) {
        p[k++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    p[k++] = (uint8_t)v;
    o->len += k;
}

static void put_bytes(Out *o, const void *b, size_t k)
{
    if (k)
        memcpy(out_room(o, k), b, k);
    o->len += k;
}

static void put_u64le(Out *o, uint64_t v)
{
    v = GUINT64_TO_LE(v);
    put_bytes(o, &v, 8);
}

static inline uint64_t zigzag(int64_t x)
{
    return ((uint64_t)x << 1) ^ (uint64_t)(x >> 63);
}

static inline int64_t unzigzag(uint64_t u)
{
    return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

/* ---- small growable arrays ------------------------------------------------ */

/* Room for a few elements inline, so that most messages need no
 * allocation for the decoder's and the verifier's bookkeeping. */
typedef struct {
    uint32_t *v;
    size_t len, cap;
    uint32_t inl[128];
} U32Vec;

static void u32_init(U32Vec *a)
{
    a->v = a->inl;
    a->len = 0;
    a->cap = G_N_ELEMENTS(a->inl);
}

static void u32_reserve(U32Vec *a, size_t more)
{
    if (a->cap - a->len >= more)
        return;
    size_t cap = 2 * a->cap;
    while (cap - a->len < more)
        cap *= 2;
    if (a->v == a->inl) {
        a->v = g_new(uint32_t, cap);
        memcpy(a->v, a->inl, a->len * sizeof(uint32_t));
    } else {
        a->v = g_renew(uint32_t, a->v, cap);
    }
    a->cap = cap;
}

static void u32_push(U32Vec *a, uint32_t x)
{
    u32_reserve(a, 1);
    a->v[a->len++] = x;
}

static void u32_free(U32Vec *a)
{
    if (a->v != a->inl)
        g_free(a->v);
}

typedef struct {
    TmValue *v;
    size_t len, cap;
    TmValue inl[16];
} ValVec;

static void val_init(ValVec *a)
{
    a->v = a->inl;
    a->len = 0;
    a->cap = G_N_ELEMENTS(a->inl);
}

static void val_push(ValVec *a, TmValue x)
{
    if (a->len == a->cap) {
        a->cap *= 2;
        if (a->v == a->inl) {
            a->v = g_new(TmValue, a->cap);
            memcpy(a->v, a->inl, a->len * sizeof(TmValue));
        } else {
            a->v = g_renew(TmValue, a->v, a->cap);
        }
    }
    a->v[a->len++] = x;
}

static void val_free(ValVec *a)
{
    if (a->v != a->inl)
        g_free(a->v);
}

/* ---- an address -> number map for the encoder ---------------------------- */

/* Open addressing with linear probing on the object's address.  Only
 * lookups depend on addresses; the numbers come from the traversal
 * order, so the output is deterministic.
 *
 * The hash keeps neighbours together: objects allocated one after the
 * other (the pairs of a fresh list) land in nearby slots, so a long list
 * walks the table almost sequentially.  An entry belongs to the current
 * encoding when its generation is the map's: a finished map is kept per
 * thread and reused by the next encoding without being cleared. */
typedef struct {
    uintptr_t key;
    uint32_t val, gen;
} MapEntry;

typedef struct {
    MapEntry *e;
    size_t mask, count;
    uint32_t gen;
} AddrMap;

#define MAP_KEEP_ENTRIES ((size_t)1 << 16) /* larger maps are not kept */

static __thread AddrMap spare_map;

static void map_alloc(AddrMap *m, size_t cap, uint32_t gen)
{
    m->e = g_new0(MapEntry, cap);
    m->mask = cap - 1;
    m->count = 0;
    m->gen = gen;
}

static void map_init(AddrMap *m)
{
    if (spare_map.e && spare_map.gen < UINT32_MAX) {
        *m = spare_map;
        spare_map.e = NULL;
        m->gen++;
        m->count = 0;
    } else {
        g_free(spare_map.e);
        spare_map.e = NULL;
        map_alloc(m, 256, 1);
    }
}

static void map_free(AddrMap *m)
{
    if (m->mask < MAP_KEEP_ENTRIES && !spare_map.e)
        spare_map = *m;
    else
        g_free(m->e);
    m->e = NULL;
}

static inline size_t map_slot(const AddrMap *m, uintptr_t k)
{
    return (size_t)((k >> 3) ^ (k >> 19)) & m->mask;
}

static void map_grow(AddrMap *m)
{
    AddrMap old = *m;
    map_alloc(m, 4 * (old.mask + 1), old.gen);
    for (size_t i = 0; i <= old.mask; i++)
        if (old.e[i].gen == old.gen) {
            size_t j = map_slot(m, old.e[i].key);
            while (m->e[j].gen == m->gen)
                j = (j + 1) & m->mask;
            m->e[j] = old.e[i];
        }
    m->count = old.count;
    g_free(old.e);
}

/* The number of k; when k is new, it gets `fresh` and *found is false. */
static inline uint32_t map_intern(AddrMap *m, uintptr_t k, uint32_t fresh, bool *found)
{
    if (G_UNLIKELY(2 * (m->count + 1) > m->mask))
        map_grow(m);
    size_t j = map_slot(m, k);
    for (;;) {
        MapEntry *x = &m->e[j];
        if (x->gen != m->gen) {
            x->key = k;
            x->val = fresh;
            x->gen = m->gen;
            m->count++;
            *found = false;
            return fresh;
        }
        if (x->key == k) {
            *found = true;
            return x->val;
        }
        j = (j + 1) & m->mask;
    }
}

/* ---- UTF-8 ----------------------------------------------------------------- */

static inline bool is_scalar(uint32_t c)
{
    return c <= 0x10FFFF && !(c >= 0xD800 && c <= 0xDFFF);
}

/* The OR of n code points: below 0x80 means the text is ASCII, by far
 * the common case.  Fixed-size blocks let the compiler vectorize. */
static uint32_t chars_or(const uint32_t *c, size_t n)
{
    uint32_t acc = 0;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        uint32_t a = 0;
        for (int k = 0; k < 16; k++)
            a |= c[i + k];
        acc |= a;
    }
    for (; i < n; i++)
        acc |= c[i];
    return acc;
}

static void narrow_ascii(uint8_t *restrict p, const uint32_t *restrict c, size_t n)
{
    size_t i = 0;
    for (; i + 16 <= n; i += 16)
        for (int k = 0; k < 16; k++)
            p[i + k] = (uint8_t)c[i + k];
    for (; i < n; i++)
        p[i] = (uint8_t)c[i];
}

/* Widen n ASCII bytes; false if one is not ASCII. */
static bool widen_ascii(uint32_t *restrict out, const uint8_t *restrict p, size_t n)
{
    uint8_t any = 0;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        uint8_t a = 0;
        for (int k = 0; k < 16; k++) {
            out[i + k] = p[i + k];
            a |= p[i + k];
        }
        any |= a;
    }
    for (; i < n; i++) {
        out[i] = p[i];
        any |= p[i];
    }
    return any < 0x80;
}

static size_t utf8_length(const uint32_t *c, size_t n)
{
    size_t bytes = n;
    for (size_t i = 0; i < n; i++)
        bytes += (c[i] >= 0x80) + (c[i] >= 0x800) + (c[i] >= 0x10000);
    return bytes;
}

static uint8_t *utf8_put(uint8_t *p, uint32_t c)
{
    if (c < 0x80) {
        *p++ = (uint8_t)c;
    } else if (c < 0x800) {
        *p++ = (uint8_t)(0xC0 | c >> 6);
        *p++ = (uint8_t)(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        *p++ = (uint8_t)(0xE0 | c >> 12);
        *p++ = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
        *p++ = (uint8_t)(0x80 | (c & 0x3F));
    } else {
        *p++ = (uint8_t)(0xF0 | c >> 18);
        *p++ = (uint8_t)(0x80 | ((c >> 12) & 0x3F));
        *p++ = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
        *p++ = (uint8_t)(0x80 | (c & 0x3F));
    }
    return p;
}

/* Decode exactly nchars scalar values from exactly nbytes of strict UTF-8
 * (no overlong forms, no surrogates); false on anything else. */
static bool utf8_decode(const uint8_t *p, size_t nbytes, uint32_t *out, size_t nchars)
{
    if (nchars == nbytes)
        return widen_ascii(out, p, nbytes);
    const uint8_t *end = p + nbytes;
    size_t k = 0;
    while (p < end) {
        if (k == nchars)
            return false;
        uint32_t b = *p++, c;
        int more;
        if (b < 0x80) {
            out[k++] = b;
            continue;
        } else if (b >= 0xC2 && b <= 0xDF) {
            c = b & 0x1F, more = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
            c = b & 0x0F, more = 2;
        } else if (b >= 0xF0 && b <= 0xF4) {
            c = b & 0x07, more = 3;
        } else {
            return false;
        }
        if (end - p < more)
            return false;
        for (int i = 0; i < more; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            c = c << 6 | (p[i] & 0x3F);
        }
        p += more;
        if ((more == 2 && c < 0x800) || (more == 3 && c < 0x10000) || !is_scalar(c))
            return false;
        out[k++] = c;
    }
    return k == nchars;
}

/* Strings hold one uint32 code point each after a length word (value.h);
 * the padding of an odd length is zeroed, as object.c does. */
static TmValue alloc_string(TmNode *n, size_t len)
{
    size_t words = 1 + (len * sizeof(uint32_t) + 7) / 8;
    TmValue s = tm_alloc(n, TM_T_STRING, words);
    TM_SLOT(s, 0) = (TmValue)len;
    if (len & 1)
        tm_string_chars(s)[len] = 0;
    return s;
}

/* ---- the node's marshalling state: code cache and port proxies ------------ */

/* n->marshal is a vector: an open-addressing table of code objects keyed
 * by their content hash (a power-of-two vector, #f for empty), the number
 * of entries, an alist (port . proxy pid), and the code received in full
 * whose hash is not computed yet (a list, and its length).  The collector
 * forwards it as a root, so cached code stays alive.
 *
 * Hashing a code object means encoding it again, so received code is
 * only queued, and hashed into the table when a lookup misses.  The queue
 * keeps the last MAX_PENDING code objects: the cache is a best effort (a
 * sender whose reference misses gets MISSING_CODE and sends the code in
 * full), and memory stays bounded. */
enum { MS_TABLE, MS_COUNT, MS_PROXIES, MS_PENDING, MS_NPENDING, MS_NSLOTS };

#define MAX_PENDING 1024

static TmValue marshal_state(TmNode *n)
{
    if (!tm_is_vector(n->marshal)) {
        TmValue s = tm_make_vector(n, MS_NSLOTS, TM_NIL);
        TM_SLOT(s, MS_TABLE) = tm_make_vector(n, 256, TM_FALSE);
        TM_SLOT(s, MS_COUNT) = tm_fix(0);
        TM_SLOT(s, MS_NPENDING) = tm_fix(0);
        n->marshal = s;
    }
    return n->marshal;
}

static const uint8_t *code_hash_bytes(TmValue code)
{
    TmValue h = TM_SLOT(code, TM_CODE_HASH);
    if (tm_is_bytevector(h) && tm_bytevector_length(h) == TM_MARSHAL_HASH_LEN)
        return tm_bytevector_data(h);
    return NULL;
}

static size_t hash_slot(const uint8_t *hash, size_t mask)
{
    uint64_t h;
    memcpy(&h, hash, sizeof h);
    return (size_t)h & mask;
}

static void table_put(TmNode *n, TmValue table, TmValue code)
{
    size_t mask = tm_vector_length(table) - 1;
    size_t j = hash_slot(code_hash_bytes(code), mask);
    while (TM_SLOT(table, j) != TM_FALSE)
        j = (j + 1) & mask;
    tm_write(n, table, j, code);
}

static TmValue table_lookup(TmNode *n, const uint8_t *hash)
{
    TmValue table = TM_SLOT(marshal_state(n), MS_TABLE);
    size_t mask = tm_vector_length(table) - 1;
    for (size_t j = hash_slot(hash, mask);; j = (j + 1) & mask) {
        TmValue c = TM_SLOT(table, j);
        if (c == TM_FALSE)
            return TM_FALSE;
        if (memcmp(code_hash_bytes(c), hash, TM_MARSHAL_HASH_LEN) == 0)
            return c;
    }
}

/* Hash the queued code into the table. */
static void flush_pending(TmNode *n)
{
    TmValue st = marshal_state(n);
    TmValue l = TM_SLOT(st, MS_PENDING);
    TM_SLOT(st, MS_PENDING) = TM_NIL;
    TM_SLOT(st, MS_NPENDING) = tm_fix(0);
    uint8_t h[TM_MARSHAL_HASH_LEN];
    for (; tm_is_pair(l); l = tm_cdr(l))
        tm_marshal_code_hash(n, tm_car(l), h);
}

static void queue_code(TmNode *n, TmValue code)
{
    TmValue st = marshal_state(n);
    tm_write(n, st, MS_PENDING, tm_cons(n, code, TM_SLOT(st, MS_PENDING)));
    intptr_t k = tm_fixval(TM_SLOT(st, MS_NPENDING)) + 1;
    if (k > MAX_PENDING) {
        /* forget the older half */
        TmValue l = TM_SLOT(st, MS_PENDING);
        for (intptr_t i = 1; i < MAX_PENDING / 2; i++)
            l = tm_cdr(l);
        TM_SLOT(l, 1) = TM_NIL;
        k = MAX_PENDING / 2;
    }
    TM_SLOT(st, MS_NPENDING) = tm_fix(k);
}

TmValue tm_marshal_code_lookup(TmNode *n, const uint8_t *hash)
{
    TmValue c = table_lookup(n, hash);
    if (c == TM_FALSE && TM_SLOT(marshal_state(n), MS_PENDING) != TM_NIL) {
        flush_pending(n);
        c = table_lookup(n, hash);
    }
    return c;
}

/* Enter a code object whose hash is computed; the first one wins. */
static void cache_add(TmNode *n, TmValue code)
{
    if (table_lookup(n, code_hash_bytes(code)) != TM_FALSE)
        return;
    TmValue st = marshal_state(n);
    TmValue table = TM_SLOT(st, MS_TABLE);
    size_t count = (size_t)tm_fixval(TM_SLOT(st, MS_COUNT)) + 1;
    if (2 * count > tm_vector_length(table)) {
        TmValue bigger = tm_make_vector(n, 2 * tm_vector_length(table), TM_FALSE);
        for (size_t i = 0; i < tm_vector_length(table); i++)
            if (TM_SLOT(table, i) != TM_FALSE)
                table_put(n, bigger, TM_SLOT(table, i));
        tm_write(n, st, MS_TABLE, bigger);
        table = bigger;
    }
    table_put(n, table, code);
    TM_SLOT(st, MS_COUNT) = tm_fix((intptr_t)count);
}

/* The pid of the process that serves a port for other nodes (paper
 * section 3.1): one per port, started on first need as
 * (%port-proxy-loop port), a procedure the Scheme library defines.  #f
 * when there is none. */
static TmValue port_proxy(TmNode *n, TmValue port)
{
    TmValue st = marshal_state(n);
    for (TmValue l = TM_SLOT(st, MS_PROXIES); tm_is_pair(l); l = tm_cdr(l)) {
        TmValue pid = tm_cdr(tm_car(l)), p = tm_pid_process(pid);
        if (tm_car(tm_car(l)) == port && tm_is_process(p) &&
            tm_process_state(p) != TM_PS_DEAD)
            return pid;
    }
    TmValue loop = TM_SLOT(tm_intern(n, "%port-proxy-loop"), TM_SYM_VALUE);
    if (!tm_is_procedure(loop))
        return TM_FALSE;
    TmValue p = tm_process_spawn(n, loop, tm_intern(n, "port-proxy"));
    tm_write(n, p, TM_PROC_ARGS, tm_cons(n, port, TM_NIL));
    tm_write(n, p, TM_PROC_DYNENV, tm_make_vector(n, TM_DYN_NSLOTS, TM_NIL));
    tm_sched_enqueue(n, p);
    TmValue pid = TM_SLOT(p, TM_PROC_PID);
    TmValue entry = tm_cons(n, port, pid);
    tm_write(n, st, MS_PROXIES, tm_cons(n, entry, TM_SLOT(st, MS_PROXIES)));
    return pid;
}

/* ---- the encoder ------------------------------------------------------------ */

typedef enum {
    ENC_SEND, /* a message: ports become proxies, code maybe by hash */
    ENC_HASH, /* the canonical form of a code object: everything inline */
} EncMode;

typedef struct Enc {
    TmNode *n;
    EncMode mode;
    const TmMarshalEncodeOptions *opts;
    Out out;
    AddrMap seen;
    uint32_t count;     /* heap objects numbered so far */
    TmValue *stack;     /* values still to encode, the next on top */
    size_t sp, cap;
    TmValue bad;        /* the object that stopped the encoding */
    char *why;          /* and why, or NULL */
    TmValue small_stack[64];
} Enc;

static void enc_init(Enc *e, TmNode *n, EncMode mode, const TmMarshalEncodeOptions *opts)
{
    memset(e, 0, sizeof *e);
    e->n = n;
    e->mode = mode;
    e->opts = opts;
    map_init(&e->seen);
    out_init(&e->out);
    e->stack = e->small_stack;
    e->cap = G_N_ELEMENTS(e->small_stack);
    e->bad = TM_FALSE;
}

static void enc_free(Enc *e)
{
    map_free(&e->seen);
    if (e->stack != e->small_stack)
        g_free(e->stack);
    out_free(&e->out);
    g_free(e->why);
}

/* Room for k more values on the stack; returns where they go. */
static TmValue *enc_reserve(Enc *e, size_t k)
{
    if (e->cap - e->sp < k) {
        while (e->cap - e->sp < k)
            e->cap *= 2;
        if (e->stack == e->small_stack)
            e->stack = g_memdup2(e->small_stack, sizeof e->small_stack);
        e->stack = g_renew(TmValue, e->stack, e->cap);
    }
    TmValue *p = e->stack + e->sp;
    e->sp += k;
    return p;
}

static inline void enc_push(Enc *e, TmValue v) { *enc_reserve(e, 1) = v; }

/* Push the slots [from, to) of v so that slot `from` is encoded first. */
static void enc_push_slots(Enc *e, TmValue v, size_t from, size_t to)
{
    TmValue *p = enc_reserve(e, to - from);
    for (size_t i = to; i-- > from;)
        *p++ = TM_SLOT(v, i);
}

static bool enc_fail(Enc *e, TmValue v, const char *why)
{
    e->bad = v;
    g_free(e->why);
    e->why = why ? g_strdup(why) : NULL;
    return false;
}

/* The UTF-8 of a string, after its length in bytes.  false (nothing
 * written) when a character is not a Unicode scalar value. */
static bool put_utf8(Out *o, TmValue str)
{
    size_t len = tm_string_length(str);
    const uint32_t *c = tm_string_chars(str);
    if (chars_or(c, len) < 0x80) {
        put_varint(o, len);
        narrow_ascii(out_room(o, len), c, len);
        o->len += len;
        return true;
    }
    for (size_t i = 0; i < len; i++)
        if (!is_scalar(c[i]))
            return false;
    size_t bytes = utf8_length(c, len);
    put_varint(o, bytes);
    uint8_t *p = out_room(o, bytes);
    for (size_t i = 0; i < len; i++)
        p = utf8_put(p, c[i]);
    o->len += bytes;
    return true;
}

static bool enc_string(Enc *e, TmValue s)
{
    put_byte(&e->out, W_STRING);
    put_varint(&e->out, tm_string_length(s));
    if (!put_utf8(&e->out, s))
        return enc_fail(e, s, "a character is not a Unicode scalar value");
    return true;
}

/* Symbols, keywords and primitives travel by name. */
static bool enc_name(Enc *e, uint8_t lead, TmValue named, TmValue name)
{
    if (!tm_is_string(name))
        return enc_fail(e, named, "its name is not a string");
    put_byte(&e->out, lead);
    if (!put_utf8(&e->out, name))
        return enc_fail(e, named, "its name is not valid Unicode");
    return true;
}

static void enc_fixnum(Out *o, intptr_t i)
{
    if (i >= 0 && i < W_SMALL_LIMIT) {
        put_byte(o, (uint8_t)i);
    } else {
        put_byte(o, W_FIX);
        put_varint(o, zigzag(i));
    }
}

static bool enc_immediate(Enc *e, TmValue v)
{
    if (tm_is_char(v)) {
        if (!is_scalar(tm_charval(v)))
            return enc_fail(e, v, "not a Unicode scalar value");
        put_byte(&e->out, W_CHAR);
        put_varint(&e->out, tm_charval(v));
        return true;
    }
    uint64_t payload = v >> 8;
    if (((v >> 2) & 0x3F) == TM_IMM_SPECIAL && payload < G_N_ELEMENTS(special_lead) &&
        special_lead[payload]) {
        put_byte(&e->out, special_lead[payload]);
        return true;
    }
    return enc_fail(e, v, "a value private to the runtime");
}

static void enc_bignum(Enc *e, TmValue v)
{
    mpz_t z;
    tm_bignum_view(v, z);
    size_t nbytes = (mpz_sizeinbase(z, 2) + 7) / 8;
    put_byte(&e->out, W_BIGNUM);
    put_byte(&e->out, mpz_sgn(z) < 0);
    put_varint(&e->out, nbytes);
    size_t count = 0;
    mpz_export(out_room(&e->out, nbytes), &count, -1, 1, 0, 0, z);
    e->out.len += nbytes;
}

/* A node identity inside a pid or tag: a back-reference when the
 * message has it already. */
static bool enc_node(Enc *e, TmValue node)
{
    if (!tm_has_type(node, TM_T_NODEREF) || tm_obj_size(node) != TM_NODE_NSLOTS)
        return enc_fail(e, node, "not a node identity");
    bool found;
    uint32_t k = map_intern(&e->seen, node, e->count, &found);
    if (found) {
        put_byte(&e->out, W_REF);
        put_varint(&e->out, k);
        return true;
    }
    e->count++;
    TmValue host = TM_SLOT(node, TM_NODE_HOST), port = TM_SLOT(node, TM_NODE_PORT),
            inc = TM_SLOT(node, TM_NODE_INCARNATION);
    if (!tm_is_string(host) || !tm_is_fixnum(port) || !tm_is_fixnum(inc))
        return enc_fail(e, node, "a malformed node identity");
    put_byte(&e->out, W_NODE);
    if (!put_utf8(&e->out, host))
        return enc_fail(e, node, "a malformed node identity");
    put_varint(&e->out, zigzag(tm_fixval(port)));
    put_varint(&e->out, zigzag(tm_fixval(inc)));
    return true;
}

/* Pids and tags: node, then number. */
static bool enc_ident(Enc *e, uint8_t lead, TmValue v)
{
    TmValue num = TM_SLOT(v, 1);
    if (!tm_is_fixnum(num))
        return enc_fail(e, v, "a malformed identifier");
    put_byte(&e->out, lead);
    if (!enc_node(e, TM_SLOT(v, 0)))
        return false;
    put_varint(&e->out, zigzag(tm_fixval(num)));
    return true;
}

static bool enc_record_type(Enc *e, TmValue t)
{
    TmValue name = TM_SLOT(t, TM_RT_NAME), fields = TM_SLOT(t, TM_RT_FIELDS);
    if (!tm_is_symbol(name) || !tm_is_vector(fields))
        return enc_fail(e, t, "a malformed record type");
    for (size_t i = 0; i < tm_vector_length(fields); i++)
        if (!tm_is_symbol(tm_vector_ref(fields, i)))
            return enc_fail(e, t, "a field name is not a symbol");
    if (!enc_name(e, W_RECORD_TYPE, t, tm_symbol_name(name)))
        return false;
    put_varint(&e->out, tm_vector_length(fields));
    for (size_t i = 0; i < tm_vector_length(fields); i++)
        if (!put_utf8(&e->out, tm_symbol_name(tm_vector_ref(fields, i))))
            return enc_fail(e, t, "a field name is not valid Unicode");
    return true;
}

static bool code_by_reference(Enc *e, TmValue code, uint8_t hash[TM_MARSHAL_HASH_LEN])
{
    const TmMarshalEncodeOptions *o = e->opts;
    if (e->mode != ENC_SEND || !o || (!o->all_code_by_reference && !o->code_known))
        return false;
    if (!tm_marshal_code_hash(e->n, code, hash))
        return false;
    return o->all_code_by_reference || o->code_known(hash, o->code_known_data);
}

/* A code object in full: the scalars and the instructions inline, then
 * name, file and constants as items. */
static bool enc_code(Enc *e, TmValue code)
{
    TmValue ar = TM_SLOT(code, TM_CODE_ARITY), fs = TM_SLOT(code, TM_CODE_FRAMESIZE),
            nf = TM_SLOT(code, TM_CODE_NFREE), bytes = TM_SLOT(code, TM_CODE_BYTES),
            lines = TM_SLOT(code, TM_CODE_LINES), consts = TM_SLOT(code, TM_CODE_CONSTS);
    if (!tm_is_fixnum(ar) || !tm_is_fixnum(fs) || !tm_is_fixnum(nf) || tm_fixval(ar) < 0 ||
        tm_fixval(fs) < 0 || tm_fixval(nf) < 0 || !tm_is_bytevector(bytes) ||
        !tm_is_vector(consts) || (lines != TM_FALSE && !tm_is_bytevector(lines)))
        return enc_fail(e, code, "a malformed code object");
    Out *o = &e->out;
    uint64_t a = (uint64_t)tm_fixval(ar);
    put_byte(o, W_CODE);
    put_varint(o, a & 0xFFFF);
    put_varint(o, (a >> 16) & 0xFFFF);
    put_byte(o, (a >> 32) & 1);
    put_varint(o, (uint64_t)tm_fixval(fs));
    put_varint(o, (uint64_t)tm_fixval(nf));
    size_t nwords = tm_bytevector_length(bytes) / 4;
    const uint8_t *w = tm_bytevector_data(bytes);
    put_varint(o, nwords);
    for (size_t i = 0; i < nwords; i++) {
        uint32_t x;
        memcpy(&x, w + 4 * i, 4);
        x = GUINT32_TO_LE(x);
        put_bytes(o, &x, 4);
    }
    if (lines == TM_FALSE) {
        put_varint(o, 0);
    } else {
        size_t npairs = tm_bytevector_length(lines) / 8;
        const uint8_t *l = tm_bytevector_data(lines);
        put_varint(o, npairs + 1);
        for (size_t i = 0; i < 2 * npairs; i++) {
            uint32_t x;
            memcpy(&x, l + 4 * i, 4);
            put_varint(o, x);
        }
    }
    put_varint(o, tm_vector_length(consts));
    enc_push_slots(e, consts, 0, tm_vector_length(consts));
    enc_push(e, TM_SLOT(code, TM_CODE_FILE));
    enc_push(e, TM_SLOT(code, TM_CODE_NAME));
    return true;
}

static bool enc_code_item(Enc *e, TmValue code)
{
    uint8_t hash[TM_MARSHAL_HASH_LEN];
    if (code_by_reference(e, code, hash)) {
        put_byte(&e->out, W_CODE_REF);
        put_bytes(&e->out, hash, sizeof hash);
        return true;
    }
    if (e->mode == ENC_SEND && e->opts && e->opts->code_sent &&
        tm_marshal_code_hash(e->n, code, hash))
        g_ptr_array_add(e->opts->code_sent, g_bytes_new(hash, sizeof hash));
    return enc_code(e, code);
}

/* A run of pairs along the cdr: every pair not met before is numbered
 * now, before any car, and the run is written as LIST n car... tail (or
 * PAIR car cdr for one pair).  The walk stops at a pair met before, which
 * becomes the tail (a back-reference): a cycle along the cdr ends there. */
static bool enc_imm(Enc *e, TmValue v)
{
    if (tm_is_fixnum(v)) {
        enc_fixnum(&e->out, tm_fixval(v));
        return true;
    }
    return enc_immediate(e, v);
}

static bool enc_list(Enc *e, TmValue first)
{
    size_t len = 1;
    TmValue tail = tm_cdr(first);
    while (tm_is_pair(tail)) {
        bool found;
        map_intern(&e->seen, tail, e->count, &found);
        if (found)
            break;
        e->count++;
        len++;
        tail = tm_cdr(tail);
    }
    if (len == 1) {
        put_byte(&e->out, W_PAIR);
    } else {
        put_byte(&e->out, W_LIST);
        put_varint(&e->out, len);
    }
    /* leading elements that are not heap objects go out at once (a list
     * of numbers never touches the stack) */
    TmValue l = first;
    for (; len > 0 && !tm_is_obj(tm_car(l)); len--, l = tm_cdr(l))
        if (!enc_imm(e, tm_car(l)))
            return false;
    enc_push(e, tail);
    TmValue *p = enc_reserve(e, len);
    for (size_t i = len; i-- > 0; l = tm_cdr(l))
        p[i] = tm_car(l);
    return true;
}

static bool enc_console_param(Enc *e, TmValue v)
{
    TmNode *n = e->n;
    int k = v == n->param_in ? 0 : v == n->param_out ? 1 : v == n->param_err ? 2 : -1;
    if (k < 0)
        return false;
    put_byte(&e->out, W_CONSOLE_PARAM);
    put_byte(&e->out, (uint8_t)k);
    return true;
}

static bool enc_port(Enc *e, TmValue port)
{
    if (e->mode != ENC_SEND)
        return enc_fail(e, port, "ports in code constants have no canonical form");
    TmValue pid = port_proxy(e->n, port);
    if (pid == TM_FALSE)
        return enc_fail(e, port, "no %port-proxy-loop to serve it from its node");
    return enc_ident(e, W_PID, pid);
}

/* Write one heap object met for the first time (already numbered) and
 * push its contents. */
static bool enc_object(Enc *e, TmValue v)
{
    Out *o = &e->out;
    switch (tm_obj_type(v)) {
    case TM_T_FLONUM: {
        uint64_t bits;
        memcpy(&bits, &TM_SLOT(v, 0), 8);
        put_byte(o, W_FLONUM);
        put_u64le(o, bits);
        return true;
    }
    case TM_T_BIGNUM:
        enc_bignum(e, v);
        return true;
    case TM_T_RATNUM:
        put_byte(o, W_RATNUM);
        enc_push_slots(e, v, 0, 2);
        return true;
    case TM_T_STRING:
        return enc_string(e, v);
    case TM_T_SYMBOL: {
        bool interned = tm_fixval(TM_SLOT(v, TM_SYM_FLAGS)) & TM_SYMF_INTERNED;
        return enc_name(e, interned ? W_SYMBOL : W_USYMBOL, v, tm_symbol_name(v));
    }
    case TM_T_KEYWORD:
        return enc_name(e, W_KEYWORD, v, TM_SLOT(v, 0));
    case TM_T_BYTEVECTOR:
        put_byte(o, W_BYTEVECTOR);
        put_varint(o, tm_bytevector_length(v));
        put_bytes(o, tm_bytevector_data(v), tm_bytevector_length(v));
        return true;
    case TM_T_PAIR:
        return enc_list(e, v);
    case TM_T_VECTOR:
    case TM_T_VALUES:
        put_byte(o, tm_obj_type(v) == TM_T_VECTOR ? W_VECTOR : W_VALUES);
        put_varint(o, tm_obj_size(v));
        enc_push_slots(e, v, 0, tm_obj_size(v));
        return true;
    case TM_T_BOX:
        put_byte(o, W_BOX);
        enc_push(e, TM_SLOT(v, 0));
        return true;
    case TM_T_PROMISE:
        put_byte(o, W_PROMISE);
        put_byte(o, TM_SLOT(v, 0) == TM_TRUE);
        enc_push(e, TM_SLOT(v, 1));
        return true;
    case TM_T_ERROR:
        put_byte(o, W_ERROR);
        enc_push_slots(e, v, 0, TM_ERR_NSLOTS);
        return true;
    case TM_T_PARAMETER:
        if (enc_console_param(e, v))
            return true;
        put_byte(o, W_PARAMETER);
        enc_push_slots(e, v, 0, 2);
        return true;
    case TM_T_ENVIRONMENT:
        put_byte(o, W_ENVIRONMENT);
        return true;
    case TM_T_RECORD_TYPE:
        return enc_record_type(e, v);
    case TM_T_RECORD:
        put_byte(o, W_RECORD);
        put_varint(o, tm_obj_size(v) - 1);
        enc_push_slots(e, v, 0, tm_obj_size(v));
        return true;
    case TM_T_PRIMITIVE:
        return enc_name(e, W_PRIMITIVE, v, tm_symbol_name(TM_SLOT(v, 1)));
    case TM_T_CODE:
        return enc_code_item(e, v);
    case TM_T_CLOSURE:
        put_byte(o, W_CLOSURE);
        put_varint(o, tm_obj_size(v) - 1);
        enc_push_slots(e, v, 0, tm_obj_size(v));
        return true;
    case TM_T_FRAME: {
        TmValue pc = TM_SLOT(v, TM_FRAME_PC);
        if (!tm_is_fixnum(pc) || tm_fixval(pc) < 0)
            return enc_fail(e, v, "a malformed frame");
        put_byte(o, W_FRAME);
        put_varint(o, tm_obj_size(v) - TM_FRAME_SLOTS);
        put_varint(o, (uint64_t)tm_fixval(pc));
        enc_push_slots(e, v, TM_FRAME_SLOTS, tm_obj_size(v));
        enc_push(e, TM_SLOT(v, TM_FRAME_CLOSURE));
        enc_push(e, TM_SLOT(v, TM_FRAME_PARENT));
        return true;
    }
    case TM_T_CONTINUATION:
        put_byte(o, W_CONTINUATION);
        enc_push(e, TM_SLOT(v, 0));
        return true;
    case TM_T_PID:
        return enc_ident(e, W_PID, v);
    case TM_T_TAG:
        return enc_ident(e, W_TAG, v);
    case TM_T_PORT:
        return enc_port(e, v);
    default:
        return enc_fail(e, v, NULL);
    }
}

static bool enc_one(Enc *e, TmValue v)
{
    if (tm_is_fixnum(v)) {
        enc_fixnum(&e->out, tm_fixval(v));
        return true;
    }
    if (!tm_is_obj(v))
        return enc_immediate(e, v);
    if (tm_has_type(v, TM_T_NODEREF))
        return enc_node(e, v);
    bool found;
    uint32_t k = map_intern(&e->seen, v, e->count, &found);
    if (found) {
        put_byte(&e->out, W_REF);
        put_varint(&e->out, k);
        return true;
    }
    e->count++;
    return enc_object(e, v);
}

static bool enc_run(Enc *e, TmValue root)
{
    put_bytes(&e->out, magic, sizeof magic);
    put_byte(&e->out, TM_MARSHAL_VERSION);
    enc_push(e, root);
    while (e->sp > 0)
        if (!enc_one(e, e->stack[--e->sp]))
            return false;
    return true;
}

/* ---- where the unserializable object is: the path for the error --------- */

/* The contents of an object as the encoder sees them. */
static size_t kid_count(TmNode *n, TmValue v)
{
    switch (tm_obj_type(v)) {
    case TM_T_PAIR: return 2;
    case TM_T_VECTOR: case TM_T_VALUES: case TM_T_RECORD: case TM_T_CLOSURE:
    case TM_T_FRAME:
        return tm_obj_size(v);
    case TM_T_BOX: case TM_T_PROMISE: case TM_T_CONTINUATION: return 1;
    case TM_T_ERROR: return TM_ERR_NSLOTS;
    case TM_T_PARAMETER:
        return v == n->param_in || v == n->param_out || v == n->param_err ? 0 : 2;
    case TM_T_CODE:
        return tm_is_vector(TM_SLOT(v, TM_CODE_CONSTS))
                   ? 2 + tm_vector_length(TM_SLOT(v, TM_CODE_CONSTS)) : 2;
    default: return 0;
    }
}

static TmValue kid(TmValue v, size_t i)
{
    switch (tm_obj_type(v)) {
    case TM_T_PROMISE: return TM_SLOT(v, 1);
    case TM_T_CODE:
        return i == 0 ? TM_SLOT(v, TM_CODE_NAME) : i == 1 ? TM_SLOT(v, TM_CODE_FILE)
                                               : TM_SLOT(TM_SLOT(v, TM_CODE_CONSTS), i - 2);
    default: return TM_SLOT(v, i);
    }
}

static void describe_kid(TmNode *n, TmValue v, size_t i, GString *g)
{
    static const char *const err_slots[] = {"kind", "message", "irritants", "who", "location"};
    char *shown = tm_print_short(n, v, 50);
    switch (tm_obj_type(v)) {
    case TM_T_VECTOR: g_string_append_printf(g, "element %zu of %s", i, shown); break;
    case TM_T_VALUES: g_string_append_printf(g, "value %zu of %s", i, shown); break;
    case TM_T_PAIR: g_string_append_printf(g, "the tail of %s", shown); break;
    case TM_T_RECORD:
        if (i == 0)
            g_string_append_printf(g, "the type of %s", shown);
        else
            g_string_append_printf(g, "field %zu of %s", i - 1, shown);
        break;
    case TM_T_CLOSURE:
        if (i == 0)
            g_string_append_printf(g, "the code of %s", shown);
        else
            g_string_append_printf(g, "closure free variable %zu of %s", i - 1, shown);
        break;
    case TM_T_FRAME: {
        TmValue clo = TM_SLOT(v, TM_FRAME_CLOSURE);
        char *of = tm_print_short(n, clo, 50);
        if (i == TM_FRAME_PARENT)
            g_string_append_printf(g, "the parent of a frame of %s", of);
        else if (i == TM_FRAME_CLOSURE)
            g_string_append_printf(g, "the procedure of a frame of %s", of);
        else
            g_string_append_printf(g, "stack slot %zu of a frame of %s", i - TM_FRAME_SLOTS, of);
        g_free(of);
        break;
    }
    case TM_T_CODE:
        if (i < 2)
            g_string_append_printf(g, "the %s of %s", i ? "file" : "name", shown);
        else
            g_string_append_printf(g, "constant %zu of %s", i - 2, shown);
        break;
    case TM_T_ERROR: g_string_append_printf(g, "the %s of %s", err_slots[i], shown); break;
    case TM_T_CONTINUATION: g_string_append_printf(g, "the frames of %s", shown); break;
    case TM_T_PARAMETER:
        g_string_append_printf(g, "the %s of %s", i ? "converter" : "value", shown);
        break;
    default: g_string_append_printf(g, "the content of %s", shown); break;
    }
    g_free(shown);
}

typedef struct {
    TmValue obj;
    int64_t parent; /* index in the node array, -1 for the root */
    size_t edge;    /* which kid of the parent */
} PathNode;

/* " at X of Y in Z of W ..." from the root down to target: a depth-first
 * search, only run when an encoding failed. */
static void append_path(TmNode *n, TmValue root, TmValue target, GString *g)
{
    if (root == target)
        return;
    GArray *nodes = g_array_new(FALSE, FALSE, sizeof(PathNode));
    GArray *todo = g_array_new(FALSE, FALSE, sizeof(size_t));
    AddrMap seen;
    map_init(&seen);
    PathNode r = {root, -1, 0};
    g_array_append_val(nodes, r);
    size_t at = 0, found = (size_t)-1;
    g_array_append_val(todo, at);
    while (todo->len && found == (size_t)-1) {
        size_t i = g_array_index(todo, size_t, todo->len - 1);
        g_array_set_size(todo, todo->len - 1);
        TmValue v = g_array_index(nodes, PathNode, i).obj;
        bool dup;
        if (!tm_is_obj(v))
            continue;
        map_intern(&seen, v, 0, &dup);
        if (dup)
            continue;
        for (size_t k = kid_count(n, v); k-- > 0;) {
            TmValue c = kid(v, k);
            if (!tm_is_obj(c) && c != target)
                continue;
            PathNode pn = {c, (int64_t)i, k};
            g_array_append_val(nodes, pn);
            size_t j = nodes->len - 1;
            if (c == target) {
                found = j;
                break;
            }
            g_array_append_val(todo, j);
        }
    }
    int shown = 0;
    for (int64_t j = (int64_t)found; found != (size_t)-1 && j > 0 && shown < 6;) {
        PathNode *p = &g_array_index(nodes, PathNode, j);
        PathNode *par = &g_array_index(nodes, PathNode, p->parent);
        g_string_append(g, shown ? " in " : " at ");
        shown++;
        if (tm_is_pair(par->obj) && p->edge == 0) {
            /* the car of a pair: count the cdr links above it */
            int64_t head = p->parent;
            size_t index = 0;
            while (head > 0) {
                PathNode *h = &g_array_index(nodes, PathNode, head);
                PathNode *hp = &g_array_index(nodes, PathNode, h->parent);
                if (!tm_is_pair(hp->obj) || h->edge != 1)
                    break;
                index++;
                head = h->parent;
            }
            char *list = tm_print_short(n, g_array_index(nodes, PathNode, head).obj, 50);
            g_string_append_printf(g, "element %zu of %s", index, list);
            g_free(list);
            j = head;
        } else {
            describe_kid(n, par->obj, p->edge, g);
            j = p->parent;
        }
        if (shown == 6 && j > 0)
            g_string_append(g, " in ...");
    }
    map_free(&seen);
    g_array_free(todo, TRUE);
    g_array_free(nodes, TRUE);
}

static char *enc_failure_message(Enc *e, TmValue root)
{
    char *shown = tm_print_short(e->n, e->bad, 60);
    GString *g = g_string_new(NULL);
    g_string_append_printf(g, "cannot serialize %s", shown);
    g_free(shown);
    append_path(e->n, root, e->bad, g);
    if (e->why)
        g_string_append_printf(g, " (%s)", e->why);
    return g_string_free(g, FALSE);
}

/* ---- code hashes ------------------------------------------------------------ */

/* The hash of a code object is the SHA-256 of its canonical encoding: the
 * code alone, in full, nested code included, nothing by reference. */
bool tm_marshal_code_hash(TmNode *n, TmValue code, uint8_t out[TM_MARSHAL_HASH_LEN])
{
    g_return_val_if_fail(tm_is_code(code), false);
    const uint8_t *have = code_hash_bytes(code);
    if (have) {
        memcpy(out, have, TM_MARSHAL_HASH_LEN);
        return true;
    }
    Enc e;
    enc_init(&e, n, ENC_HASH, NULL);
    bool ok = enc_run(&e, code);
    if (ok) {
        GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
        g_checksum_update(c, e.out.data, (gssize)e.out.len);
        gsize len = TM_MARSHAL_HASH_LEN;
        g_checksum_get_digest(c, out, &len);
        g_checksum_free(c);
        tm_write(n, code, TM_CODE_HASH, tm_make_bytevector(n, TM_MARSHAL_HASH_LEN, out));
        cache_add(n, code);
    }
    enc_free(&e);
    return ok;
}

/* ---- encoding: the API ---------------------------------------------------------- */

/* Encode into e; on failure *message (g_malloc'd) says what and where. */
static bool encode(Enc *e, TmValue v, char **message)
{
    if (enc_run(e, v))
        return true;
    *message = enc_failure_message(e, v);
    return false;
}

GBytes *tm_marshal_encode_ex(TmNode *n, TmValue v, const TmMarshalEncodeOptions *opts,
                             GError **error)
{
    Enc e;
    enc_init(&e, n, ENC_SEND, opts);
    char *msg = NULL;
    GBytes *b = NULL;
    if (encode(&e, v, &msg)) {
        b = out_take(&e.out);
    } else {
        g_set_error_literal(error, TM_MARSHAL_ERROR, TM_MARSHAL_ERROR_UNSERIALIZABLE, msg);
        g_free(msg);
    }
    enc_free(&e);
    return b;
}

GBytes *tm_marshal_encode(TmNode *n, TmValue v, GError **error)
{
    return tm_marshal_encode_ex(n, v, NULL, error);
}

/* ---- the decoder -------------------------------------------------------------------- */

/* A container whose contents are being read: item `next` of `end` goes
 * where `kind` says. */
typedef enum {
    DF_ROOT,  /* the message's value */
    DF_SLOTS, /* slots base, base+1, ... of obj */
    DF_LIST,  /* cars of the pairs numbered base.., then the last cdr */
    DF_CODE,  /* name, file, then the constants */
    DF_FRAME, /* parent, closure, then the stack slots */
} DFrameKind;

typedef struct {
    TmValue obj;
    size_t base;
    size_t next, end;
    DFrameKind kind;
} DFrame;

typedef struct Dec {
    TmNode *n;
    const uint8_t *start, *p, *end;
    TmMarshalLimits lim;
    TmValue *objs;         /* every heap object by number */
    size_t nobjs, objcap;
    ValVec checks;         /* the objects check_objects must look at */
    DFrame *stack;
    size_t depth, stackcap;
    TmValue root;
    GPtrArray *missing;    /* hashes (GBytes) of unknown code, or NULL */
    TmValue small_objs[32];
    DFrame small_stack[16];
    GError **error;
    bool failed;
} Dec;

#define PENDING TM_UNBOUND /* a number reserved for an object being read */

static bool dec_fail(Dec *d, TmMarshalError code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static bool dec_fail(Dec *d, TmMarshalError code, const char *fmt, ...)
{
    if (d->failed)
        return false;
    d->failed = true;
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(d->error, TM_MARSHAL_ERROR, code, "%s (at byte %zu)", msg,
                (size_t)(d->p - d->start));
    g_free(msg);
    return false;
}

static inline size_t left(const Dec *d) { return (size_t)(d->end - d->p); }

static bool truncated(Dec *d) { return dec_fail(d, TM_MARSHAL_ERROR_FORMAT, "truncated input"); }

static inline bool rd_byte(Dec *d, uint8_t *b)
{
    *b = 0;
    if (G_UNLIKELY(d->p >= d->end))
        return truncated(d);
    *b = *d->p++;
    return true;
}

static bool rd_varint_slow(Dec *d, uint64_t *out)
{
    uint64_t v = 0;
    *out = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (G_UNLIKELY(d->p >= d->end))
            return truncated(d);
        uint8_t b = *d->p++;
        if (shift == 63 && b > 1)
            break;
        v |= (uint64_t)(b & 0x7F) << shift;
        if (!(b & 0x80)) {
            *out = v;
            return true;
        }
    }
    return dec_fail(d, TM_MARSHAL_ERROR_FORMAT, "varint too long");
}

/* Varints of one or two bytes are most of them: read those without a
 * bounds check per byte when the input has room for the longest. */
static inline bool rd_varint(Dec *d, uint64_t *out)
{
    const uint8_t *p = d->p;
    if (G_LIKELY(d->end - p >= 10)) {
        if (!(p[0] & 0x80)) {
            *out = p[0];
            d->p = p + 1;
            return true;
        }
        if (!(p[1] & 0x80)) {
            *out = (uint64_t)(p[0] & 0x7F) | (uint64_t)p[1] << 7;
            d->p = p + 2;
            return true;
        }
    }
    return rd_varint_slow(d, out);
}

/* A count of things that each take at least `unit` bytes of what is left,
 * so what it makes the decoder allocate is bounded by the input. */
static bool rd_count(Dec *d, size_t unit, size_t *out)
{
    uint64_t v;
    *out = 0;
    if (!rd_varint(d, &v))
        return false;
    if (v > left(d) / unit)
        return dec_fail(d, TM_MARSHAL_ERROR_FORMAT, "count %" G_GUINT64_FORMAT
                        " larger than the rest of the input", v);
    *out = (size_t)v;
    return true;
}

static bool rd_bytes(Dec *d, size_t k, const uint8_t **out)
{
    *out = NULL;
    if (left(d) < k)
        return truncated(d);
    *out = d->p;
    d->p += k;
    return true;
}

static inline bool rd_fixnum(Dec *d, intptr_t *out)
{
    uint64_t u;
    *out = 0;
    if (!rd_varint(d, &u))
        return false;
    int64_t x = unzigzag(u);
    if (!tm_fixnum_fits(x))
        return dec_fail(d, TM_MARSHAL_ERROR_FORMAT, "fixnum out of range");
    *out = (intptr_t)x;
    return true;
}

static bool grow_objs(Dec *d)
{
    if (d->nobjs >= d->lim.max_objects)
        return dec_fail(d, TM_MARSHAL_ERROR_LIMIT, "more than %zu objects",
                        d->lim.max_objects);
    d->objcap = MIN(MAX(2 * d->objcap, 64), d->lim.max_objects);
    if (d->objs == d->small_objs)
        d->objs = g_memdup2(d->small_objs, sizeof d->small_objs);
    d->objs = g_renew(TmValue, d->objs, d->objcap);
    return true;
}

static inline bool dec_number(Dec *d, TmValue v)
{
    if (G_UNLIKELY(d->nobjs == d->objcap) && !grow_objs(d))
        return false;
    d->objs[d->nobjs++] = v;
    return true;
}

/* Closures, frames, codes...: what the runtime would trust blindly. */
static void dec_check_later(Dec *d, TmValue v)
{
    val_push(&d->checks, v);
}

/* Read a UTF-8 string of nbytes bytes that must hold nchars characters. */
static bool rd_string_body(Dec *d, size_t nchars, size_t nbytes, TmValue *out)
{
    const uint8_t *b;
    if (nchars > nbytes)
        return dec_fail(d, TM_MARSHAL_ERROR_FORMAT, "string length mismatch");
    if (!rd_bytes(d, nbytes, &b))
        return false;
    TmValue s = alloc_string(d->n, nchars);
    if (!utf8_decode(b, nbytes, tm_string_chars(s), nchars))
        return dec_fail(d, TM_MARSHAL_ERROR_FORMAT, "invalid UTF-8 in a string");
    *out = s;
    return true;
}

/* A name: its bytes, checked, NUL-terminated in a scratch buffer. */
static bool rd_name(Dec *d, GString *buf, bool *has_nul)
{
    size_t nbytes;
    const uint8_t *b;
    if (!rd_count(d, 1, &nbytes) || !rd_bytes(d, nbytes, &b))
        return false;
    const char *end;
    if (!g_utf8_validate_len((const char *)b, nbytes, &end)) {
        *has_nul = memchr(b, 0, nbytes) != NULL;
        if (!*has_nul || !g_utf8_validate((const char *)b, -1, NULL))
            return dec_fail(d, TM_MARSHAL_ERROR_FORMAT, "invalid UTF-8 in a name");
    } else {
        *has_nul = false;
    }
    g_string_truncate(buf, 0);
    g_string_append_len(buf, (const char *)b, (gssize)nbytes);
    return true;
}

/* A symbol or keyword named by a C string of this node; a name holding
 * NUL goes through a Scheme string, as string->symbol does. */
static TmValue intern_name(Dec *d, uint8_t lead, GString *buf, bool has_nul)
{
    TmNode *n = d->n;
    if (lead == W_KEYWORD)
        return tm_intern_keyword(n, buf->str);
    if (lead == W_SYMBOL && !has_nul)
        return tm_intern(n, buf->str);
    TmValue str = tm_string_from_utf8(n, buf->str, (ptrdiff_t)buf->len);
    return lead == W_SYMBOL ? tm_intern_string(n, str) : tm_make_uninterned_symbol(n, str);
}

static bool rd_symbol(Dec *d, uint8_t lead, TmValue *out)
{
    *out = TM_FALSE;
    GString *buf = g_string_new(NULL);
    bool has_nul, ok = rd_name(d, buf, &has_nul);
    if (ok)
        *out = intern_name(d, lead, buf, has_nul);
    g_string_free(buf, TRUE);
    return ok;
}

static bool rd_bignum(Dec *d, TmValue *out)
{
    *out = TM_FALSE;
    uint8_t sign;
    size_t nbytes;
    const uint8_t *b;
    if (!rd_byte(d, &sign) || !rd_count(d, 1, &nbytes) || !rd_bytes(d, nbytes, &b))
        return false;
    if (sign > 1 || nbytes == 0)
        return dec_fail(d, TM_MARSHAL_ERROR_FORMAT, "malformed bignum");
    mpz_t z;
    mpz_init(z);
    mpz_import(z, nbytes, -1, 1, 0, 0, b);
    if (sign)
        mpz_neg(z, z);
    *out = tm_integer_from_mpz(d->n, z);
    mpz_clear(z);
    return true;
}

static bool dec_ref(Dec *d, TmValue *out)
{
    uint64_t k;
    *out = TM_FALSE;
    if (!rd_varint(d, &k))
        return false;
    if (k >= d->nobjs)
        return dec_fail(d, TM_MARSHAL_ERROR_FORMAT, "reference %" G_GUINT64_FORMAT
                        " to an object not yet read", k);
    if (d->objs[k] == PENDING)
        return dec_fail(d, TM_MARSHAL_ERROR_FORMAT, "reference into an unfinished atom");
    *out = d->objs[k];
    return true;
}

/* An exact integer inside a ratnum: small, FIX, BIGNUM or a reference. */
static bool rd_integer(Dec *d, TmValue *out)
{
    uint8_t b;
    intptr_t i;
    *out = TM_FALSE;
    if (!rd_byte(d, &b))
        return false;
    if (b < W_SMALL_LIMIT) {
        *out = tm_fix(b);
        return true;
    }
    switch (b) {
    case W_FIX:
        if (!rd_fixnum(d, &i))
            return false;
        *out = tm_fix(i);
        return true;
    case W_BIGNUM:
        return rd_bignum(d, out) && dec_number(d, *out);
    case W_REF:
        if (!dec_ref(d, out))
            return false;
        if (tm_is_fixnum(*out) || tm_is_bignum(*out))
            return true;
        break;
    }
    return dec_fail(d, TM_MARSHAL_ERROR_FORMAT, "a ratnum part is not an integer");
}

static void integer_to_mpz(mpz_t out, TmValue v)
{
    if (tm_is_fixnum(v)) {
        mpz_set_si(out, tm_fixval(v));
    } else {
        mpz_t view;
        tm_bignum_view(v, view);
        mpz_set(out, view);
    }
}

static bool rd_ratnum(Dec *d, TmValue *out)
{
    size_t k = d->nobjs;
    TmValue num, den;
    if (!dec_number(d, PENDING) || !rd_integer(d, &num) || !rd_integer(d, &den))
        return false;
    /* normalized: denominator > 1, no common factor (num.c's invariant) */
    mpz_t a, b, g;
    mpz_inits(a, b, g, NULL);
    integer_to_mpz(a, num);
    integer_to_mpz(b, den);
    mpz_gcd(g, a, b);
    bool ok = mpz_cmp_si(b, 1) > 0 && mpz_cmp_si(g, 1) == 0;
    mpz_clears(a, b, g, NULL);
    if (!ok)
        return dec_fail(d, TM_MARSHAL_ERROR_FORMAT, "ratnum not in lowest terms");
    TmValue r = tm_alloc(d->n, TM_T_RATNUM, 2);
    TM_SLOT(r, 0) = num;
    TM_SLOT(r, 1) = den;
    d->objs[k] = r;
    *out = r;
    return true;
}

/* NODE host port incarnation.  This node's identity decodes to the node's
 * own object, so eq? holds at home. */
static bool rd_node(Dec *d, TmValue *out)
{
    *out = TM_FALSE;
    TmNode *n = d->n;
    GString *buf = g_string_new(NULL);
    bool has_nul;
    intptr_t port, inc;
    bool ok = rd_name(d, buf, &has_nul) && rd_fixnum(d, &port) && rd_fixnum(d, &inc);
    if (ok) {
        TmValue self = n->sched.self_node;
        TmValue host = tm_string_from_utf8(n, buf->str, (ptrdiff_t)buf->len);
        if (tm_string_equal(host, TM_SLOT(self, TM_NODE_HOST)) &&
            TM_SLOT(self, TM_NODE_PORT) == tm_fix(port) &&
            TM_SLOT(self, TM_NODE_INCARNATION) == tm_fix(inc)) {
            *out = self;
        } else {
            TmValue node = tm_alloc(n, TM_T_NODEREF, TM_NODE_NSLOTS);
            TM_SLOT(node, TM_NODE_HOST) = host;
            TM_SLOT(node, TM_NODE_PORT) = tm_fix(port);
            TM_SLOT(node, TM_NODE_INCARNATION) = tm_fix(inc);
            *out = node;
        }
        ok = dec_number(d, *out);
    }
    g_string_free(buf, TRUE);
    return ok;
}

/* PID/TAG: a node (NODE or a reference to one), then a number.  A pid of
 * a live process of this node is that process's own pid object. */
static bool rd_ident(Dec *d, uint8_t lead, TmValue *out)
{
    TmNode *n = d->n;
    size_t k = d->nobjs;
    uint8_t b;
    TmValue node = TM_FALSE;
    intptr_t num;
    if (!dec_number(d, PENDING) || !rd_byte(d, &b))
        return false;
    bool ok = b == W_NODE ? rd_node(d, &node) : b == W_REF && dec_ref(d, &node);
    if (!ok || !tm_has_type(node, TM_T_NODEREF))
        return dec_fail(d, TM_MARSHAL_ERROR_FORMAT, "a pid or tag without a node");
    if (!rd_fixnum(d, &num))
        return false;
    TmValue v = TM_FALSE;
    if (lead == W_PID && node == n->sched.self_node) {
        TmValue p = tm_process_lookup(n, num);
        if (p != TM_FALSE)
            v = TM_SLOT(p, TM_PROC_PID);
    }
    if (v == TM_FALSE) {
        if (lead == W_PID) {
            v = tm_alloc(n, TM_T_PID, TM_PID_NSLOTS);
            TM_SLOT(v, TM_PID_PROCESS) = TM_FALSE;
        } else {
            v = tm_alloc(n, TM_T_TAG, TM_TAG_NSLOTS);
        }
        TM_SLOT(v, 0) = node;
        TM_SLOT(v, 1) = tm_fix(num);
    }
    d->objs[k] = v;
    *out = v;
    return true;
}

static bool rd_record_type(Dec *d, TmValue *out)
{
    TmNode *n = d->n;
    size_t k = d->nobjs, nfields;
    TmValue name;
    if (!dec_number(d, PENDING) || !rd_symbol(d, W_SYMBOL, &name) ||
        !rd_count(d, 1, &nfields))
        return false;
    TmValue fields = tm_make_vector(n, nfields, TM_FALSE);
    for (size_t i = 0; i < nfields; i++) {
        TmValue f;
        if (!rd_symbol(d, W_SYMBOL, &f))
            return false;
        TM_SLOT(fields, i) = f;
    }
    TmValue t = tm_make_record_type(n, name, fields);
    if (!tm_has_type(t, TM_T_RECORD_TYPE) ||
        tm_vector_length(TM_SLOT(t, TM_RT_FIELDS)) != nfields)
        return dec_fail(d, TM_MARSHAL_ERROR_FORMAT, "record type does not match");
    d->objs[k] = t;
    *out = t;
    return true;
}

static bool rd_primitive(Dec *d, TmValue *out)
{
    *out = TM_FALSE;
    TmNode *n = d->n;
    GString *buf = g_string_new(NULL);
    bool has_nul, ok = rd_name(d, buf, &has_nul);
    if (ok) {
        gpointer i = g_hash_table_lookup(n->prim_index, buf->str);
        if (!i || has_nul)
            ok = dec_fail(d, TM_MARSHAL_ERROR_FORMAT, "unknown primitive %s", buf->str);
        else
            *out = TM_SLOT(n->prim_vector, GPOINTER_TO_INT(i) - 1);
    }
    g_string_free(buf, TRUE);
    return ok && dec_number(d, *out);
}

/* CODE: arity, frame size, nfree, words, lines, then (as items) name,
 * file and constants.  Structure only; the verifier judges it later. */
static bool rd_code(Dec *d, TmValue *out, DFrame *child)
{
    TmNode *n = d->n;
    uint64_t nreq, nopt, fs, nfree, nlines1;
    uint8_t rest;
    size_t nwords, nconsts;
    const uint8_t *w;
    if (!rd_varint(d, &nreq) || !rd_varint(d, &nopt) || !rd_byte(d, &rest) ||
        !rd_varint(d, &fs) || !rd_varint(d, &nfree) || !rd_count(d, 4, &nwords) ||
        !rd_bytes(d, 4 * nwords, &w))
        return false;
    if (nreq > 0xFFFF || nopt > 0xFFFF || rest > 1 || fs > MAX_FRAMESIZE ||
        nfree > MAX_NFREE || nwords == 0)
        return dec_fail(d, TM_MARSHAL_ERROR_FORMAT, "malformed code header");
    TmValue bytes = tm_make_bytevector(n, 4 * nwords, w);
    uint32_t *words = (uint32_t *)tm_bytevector_data(bytes);
    for (size_t i = 0; i < nwords; i++)
        words[i] = GUINT32_FROM_LE(words[i]);
    TmValue lines = TM_FALSE;
    if (!rd_varint(d, &nlines1))
        return false;
    if (nlines1 > 0) {
        size_t npairs = (size_t)nlines1 - 1;
        if (npairs > left(d) / 2)
            return dec_fail(d, TM_MARSHAL_ERROR_FORMAT, "line table larger than the input");
        lines = tm_make_bytevector(n, 8 * npairs, NULL);
        uint32_t *l = (uint32_t *)tm_bytevector_data(lines);
        for (size_t i = 0; i < 2 * npairs; i++) {
            uint64_t x;
            if (!rd_varint(d, &x))
                return false;
            if (x > UINT32_MAX)
                return dec_fail(d, TM_MARSHAL_ERROR_FORMAT, "line table entry too large");
            l[i] = (uint32_t)x;
        }
    }
    if (!rd_count(d, 1, &nconsts))
        return false;
    TmValue code = tm_alloc(n, TM_T_CODE, TM_CODE_NSLOTS);
    TM_SLOT(code, TM_CODE_BYTES) = bytes;
    TM_SLOT(code, TM_CODE_CONSTS) = tm_make_vector(n, nconsts, TM_FALSE);
    TM_SLOT(code, TM_CODE_NAME) = TM_FALSE;
    TM_SLOT(code, TM_CODE_ARITY) = tm_fix(tm_arity((int)nreq, (int)nopt, rest));
    TM_SLOT(code, TM_CODE_FRAMESIZE) = tm_fix((intptr_t)fs);
    TM_SLOT(code, TM_CODE_LINES) = lines;
    TM_SLOT(code, TM_CODE_FILE) = TM_FALSE;
    TM_SLOT(code, TM_CODE_NFREE) = tm_fix((intptr_t)nfree);
    TM_SLOT(code, TM_CODE_HASH) = TM_FALSE;
    *child = (DFrame){code, 0, 0, 2 + nconsts, DF_CODE};
    *out = code;
    dec_check_later(d, code);
    return dec_number(d, code);
}

static bool rd_code_ref(Dec *d, TmValue *out)
{
    const uint8_t *h;
    if (!rd_bytes(d, TM_MARSHAL_HASH_LEN, &h))
        return false;
    TmValue code = tm_marshal_code_lookup(d->n, h);
    if (code == TM_FALSE) {
        if (!d->missing)
            d->missing = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
        bool dup = false;
        for (guint i = 0; i < d->missing->len; i++)
            dup |= memcmp(g_bytes_get_data(d->missing->pdata[i], NULL), h,
                          TM_MARSHAL_HASH_LEN) == 0;
        if (!dup)
            g_ptr_array_add(d->missing, g_bytes_new(h, TM_MARSHAL_HASH_LEN));
    }
    *out = code;
    if (code != TM_FALSE)
        dec_check_later(d, code);
    return dec_number(d, code);
}

/* A new container of `size` slots (all #f) whose `count` items follow. */
static bool rd_container(Dec *d, TmType t, size_t size, size_t base, size_t count,
                         TmValue *out, DFrame *child)
{
    TmValue v = tm_make_vector(d->n, size, TM_FALSE);
    tm_obj(v)->hdr = tm_make_hdr(t, size) | (tm_obj(v)->hdr & TM_HDR_OLD);
    *out = v;
    *child = (DFrame){v, base, 0, count, DF_SLOTS};
    if (t == TM_T_CLOSURE || t == TM_T_RECORD || t == TM_T_ERROR || t == TM_T_CONTINUATION)
        dec_check_later(d, v);
    return dec_number(d, v);
}

/* An immediate item (fixnum, character, special): 1 when read, 0 when
 * the next item is something else (nothing consumed), -1 on error. */
static int rd_immediate(Dec *d, TmValue *out)
{
    if (G_UNLIKELY(d->p >= d->end))
        return truncated(d), -1;
    uint8_t b = *d->p;
    if (G_LIKELY(b < W_SMALL_LIMIT)) {
        d->p++;
        *out = tm_fix(b);
        return 1;
    }
    if (b == W_FIX) {
        intptr_t i;
        d->p++;
        if (!rd_fixnum(d, &i))
            return -1;
        *out = tm_fix(i);
        return 1;
    }
    if (b >= W_FALSE && b <= W_UNASSIGNED) {
        static const TmValue sp[] = {TM_FALSE, TM_TRUE, TM_NIL, TM_EOF, TM_VOID, TM_DEFAULT,
                                     TM_OPTIONAL, TM_REST, TM_KEY, TM_UNASSIGNED};
        d->p++;
        *out = sp[b - W_FALSE];
        return 1;
    }
    return 0;
}

static bool rd_list(Dec *d, TmValue *out, DFrame *child)
{
    size_t len;
    if (!rd_count(d, 1, &len))
        return false;
    if (len < 2)
        return dec_fail(d, TM_MARSHAL_ERROR_FORMAT, "LIST of fewer than two pairs");
    if (len > d->lim.max_objects - MIN(d->nobjs, d->lim.max_objects))
        return dec_fail(d, TM_MARSHAL_ERROR_LIMIT, "more than %zu objects",
                        d->lim.max_objects);
    while (d->objcap - d->nobjs < len)
        if (!grow_objs(d))
            return false;
    /* the pairs, linked; while the cars are immediates (a list of
     * numbers) they are read in the same pass */
    size_t base = d->nobjs, unread = len;
    TmValue prev = TM_FALSE;
    for (size_t i = 0; i < len; i++) {
        TmValue p = tm_alloc(d->n, TM_T_PAIR, 2);
        TM_SLOT(p, 0) = TM_FALSE;
        TM_SLOT(p, 1) = TM_NIL;
        if (i > 0)
            TM_SLOT(prev, 1) = p;
        d->objs[d->nobjs++] = p;
        prev = p;
        if (unread == len) {
            int r = rd_immediate(d, &TM_SLOT(p, 0));
            if (r < 0)
                return false;
            if (r == 0)
                unread = i; /* the first car left to the generic reader */
        }
    }
    *out = d->objs[base];
    *child = (DFrame){TM_FALSE, base, unread == len ? len : unread, len + 1, DF_LIST};
    return true;
}

static bool rd_frame(Dec *d, TmValue *out, DFrame *child)
{
    size_t nslots;
    uint64_t pc;
    if (!rd_count(d, 1, &nslots) || !rd_varint(d, &pc))
        return false;
    if (pc > INT32_MAX)
        return dec_fail(d, TM_MARSHAL_ERROR_FORMAT, "frame pc out of range");
    TmValue f = tm_make_vector(d->n, TM_FRAME_SLOTS + nslots, TM_FALSE);
    tm_obj(f)->hdr = tm_make_hdr(TM_T_FRAME, TM_FRAME_SLOTS + nslots) |
                     (tm_obj(f)->hdr & TM_HDR_OLD);
    TM_SLOT(f, TM_FRAME_PC) = tm_fix((intptr_t)pc);
    *out = f;
    *child = (DFrame){f, 0, 0, 2 + nslots, DF_FRAME};
    dec_check_later(d, f);
    return dec_number(d, f);
}

/* Read one item.  A container comes back allocated (and numbered) with
 * *child describing the items that fill it; child->end is 0 otherwise. */
static bool rd_item(Dec *d, TmValue *out, DFrame *child)
{
    TmNode *n = d->n;
    uint8_t b;
    size_t len;
    intptr_t i;
    child->end = 0;
    *out = TM_FALSE;
    if (!rd_byte(d, &b))
        return false;
    if (b < W_SMALL_LIMIT) {
        *out = tm_fix(b);
        return true;
    }
    switch (b) {
    case W_FIX:
        if (!rd_fixnum(d, &i))
            return false;
        *out = tm_fix(i);
        return true;
    case W_BIGNUM:
        return rd_bignum(d, out) && dec_number(d, *out);
    case W_RATNUM:
        return rd_ratnum(d, out);
    case W_FLONUM: {
        const uint8_t *p;
        uint64_t bits;
        if (!rd_bytes(d, 8, &p))
            return false;
        memcpy(&bits, p, 8);
        bits = GUINT64_FROM_LE(bits);
        double x;
        memcpy(&x, &bits, 8);
        *out = tm_make_flonum(n, x);
        return dec_number(d, *out);
    }
    case W_CHAR: {
        uint64_t c;
        if (!rd_varint(d, &c))
            return false;
        if (c > 0x10FFFF || !is_scalar((uint32_t)c))
            return dec_fail(d, TM_MARSHAL_ERROR_FORMAT, "invalid character");
        *out = tm_char((uint32_t)c);
        return true;
    }
    case W_FALSE: *out = TM_FALSE; return true;
    case W_TRUE: *out = TM_TRUE; return true;
    case W_NIL: *out = TM_NIL; return true;
    case W_EOF: *out = TM_EOF; return true;
    case W_VOID: *out = TM_VOID; return true;
    case W_DEFAULT: *out = TM_DEFAULT; return true;
    case W_OPTIONAL: *out = TM_OPTIONAL; return true;
    case W_REST: *out = TM_REST; return true;
    case W_KEY: *out = TM_KEY; return true;
    case W_UNASSIGNED: *out = TM_UNASSIGNED; return true;
    case W_STRING: {
        size_t nbytes;
        if (!rd_count(d, 1, &len) || !rd_count(d, 1, &nbytes) ||
            !rd_string_body(d, len, nbytes, out))
            return false;
        return dec_number(d, *out);
    }
    case W_SYMBOL:
    case W_USYMBOL:
    case W_KEYWORD:
        return rd_symbol(d, b, out) && dec_number(d, *out);
    case W_BYTEVECTOR: {
        const uint8_t *p;
        if (!rd_count(d, 1, &len) || !rd_bytes(d, len, &p))
            return false;
        *out = tm_make_bytevector(n, len, p);
        return dec_number(d, *out);
    }
    case W_PAIR:
        return rd_container(d, TM_T_PAIR, 2, 0, 2, out, child);
    case W_LIST:
        return rd_list(d, out, child);
    case W_VECTOR:
        return rd_count(d, 1, &len) && rd_container(d, TM_T_VECTOR, len, 0, len, out, child);
    case W_VALUES:
        if (!rd_count(d, 1, &len))
            return false;
        if (len == 1)
            return dec_fail(d, TM_MARSHAL_ERROR_FORMAT, "one value is not multiple values");
        return rd_container(d, TM_T_VALUES, len, 0, len, out, child);
    case W_BOX:
        return rd_container(d, TM_T_BOX, 1, 0, 1, out, child);
    case W_PROMISE: {
        uint8_t done;
        if (!rd_byte(d, &done))
            return false;
        if (done > 1)
            return dec_fail(d, TM_MARSHAL_ERROR_FORMAT, "malformed promise");
        if (!rd_container(d, TM_T_PROMISE, 2, 1, 1, out, child))
            return false;
        TM_SLOT(*out, 0) = tm_bool(done);
        return true;
    }
    case W_ERROR:
        return rd_container(d, TM_T_ERROR, TM_ERR_NSLOTS, 0, TM_ERR_NSLOTS, out, child);
    case W_PARAMETER:
        return rd_container(d, TM_T_PARAMETER, 2, 0, 2, out, child);
    case W_CONSOLE_PARAM: {
        uint8_t k;
        if (!rd_byte(d, &k))
            return false;
        if (k > 2)
            return dec_fail(d, TM_MARSHAL_ERROR_FORMAT, "unknown console parameter");
        *out = k == 0 ? n->param_in : k == 1 ? n->param_out : n->param_err;
        return dec_number(d, *out);
    }
    case W_ENVIRONMENT:
        *out = tm_alloc(n, TM_T_ENVIRONMENT, 0);
        return dec_number(d, *out);
    case W_RECORD_TYPE:
        return rd_record_type(d, out);
    case W_RECORD:
        return rd_count(d, 1, &len) &&
               rd_container(d, TM_T_RECORD, 1 + len, 0, 1 + len, out, child);
    case W_PRIMITIVE:
        return rd_primitive(d, out);
    case W_CODE:
        return rd_code(d, out, child);
    case W_CODE_REF:
        return rd_code_ref(d, out);
    case W_CLOSURE:
        return rd_count(d, 1, &len) &&
               rd_container(d, TM_T_CLOSURE, 1 + len, 0, 1 + len, out, child);
    case W_FRAME:
        return rd_frame(d, out, child);
    case W_CONTINUATION:
        return rd_container(d, TM_T_CONTINUATION, 1, 0, 1, out, child);
    case W_NODE:
        return rd_node(d, out);
    case W_PID:
    case W_TAG:
        return rd_ident(d, b, out);
    case W_REF:
        return dec_ref(d, out);
    default:
        return dec_fail(d, TM_MARSHAL_ERROR_FORMAT, "unknown lead byte 0x%02x", b);
    }
}

static void store(Dec *d, DFrame *f, TmValue v)
{
    size_t i = f->next++;
    switch (f->kind) {
    case DF_ROOT:
        d->root = v;
        break;
    case DF_SLOTS:
        TM_SLOT(f->obj, f->base + i) = v;
        break;
    case DF_LIST:
        if (i + 1 < f->end)
            TM_SLOT(d->objs[f->base + i], 0) = v;
        else
            TM_SLOT(d->objs[f->base + i - 1], 1) = v;
        break;
    case DF_CODE:
        if (i == 0)
            TM_SLOT(f->obj, TM_CODE_NAME) = v;
        else if (i == 1)
            TM_SLOT(f->obj, TM_CODE_FILE) = v;
        else
            TM_SLOT(TM_SLOT(f->obj, TM_CODE_CONSTS), i - 2) = v;
        break;
    case DF_FRAME:
        TM_SLOT(f->obj, i < 2 ? i : i + 1) = v;
        break;
    }
}

/* Read the items of the message, filling containers from an explicit
 * stack: the C stack does not grow with the nesting of the data. */
static bool dec_run(Dec *d)
{
    d->stack[0] = (DFrame){TM_FALSE, 0, 0, 1, DF_ROOT};
    d->depth = 1;
    while (d->depth > 0) {
        DFrame *f = &d->stack[d->depth - 1];
        if (f->next == f->end) {
            d->depth--;
            continue;
        }
        TmValue v;
        DFrame child;
        if (!rd_item(d, &v, &child))
            return false;
        store(d, f, v);
        if (child.end == 0)
            continue;
        if (d->depth >= d->lim.max_depth)
            return dec_fail(d, TM_MARSHAL_ERROR_LIMIT, "nesting deeper than %zu",
                            d->lim.max_depth);
        if (d->depth == d->stackcap) {
            d->stackcap *= 2;
            if (d->stack == d->small_stack)
                d->stack = g_memdup2(d->small_stack, sizeof d->small_stack);
            d->stack = g_renew(DFrame, d->stack, d->stackcap);
        }
        d->stack[d->depth++] = child;
    }
    if (d->p != d->end)
        return dec_fail(d, TM_MARSHAL_ERROR_FORMAT, "%zu bytes after the value", left(d));
    return true;
}

/* ---- the bytecode verifier ----------------------------------------------------------
 *
 * An abstract interpretation of each code object over the stack cache:
 * at every reachable instruction the depth of the frame (relative to fp)
 * and a kind for each slot and for acc are known and the same on every
 * path.  That rules out what could take the VM outside its memory:
 * reading or writing past the frame, popping below it, a CALL whose
 * header is not a FRAME's, unboxing something that is not a box, patching
 * something that is not the closure it claims to be.  Kinds:
 *
 *   V        any value
 *   BOX      a box (made by MKBOX)
 *   FV(i)    free variable i of the running closure (a box if the code
 *            ever uses it as one: then every closure of this code must
 *            hold a box there, which decode checks)
 *   CLO(k)   a closure of the code constants[k] (made by CLOSURE)
 *   H0/H1/H2(t)  the three words of a call header pushed by a FRAME
 *            returning to t
 *
 * A heap frame resumes its code at its pc with its slots as the stack:
 * it is accepted when its slots have the depth and kinds the analysis
 * found there.  See docs/internals/wire-format.md. */

enum { K_V, K_BOX, K_FV, K_CLO, K_H0, K_H1, K_H2 };
#define KIND(c, x) ((uint32_t)(c) | ((uint32_t)(x) << 3))
#define KCLASS(k) ((k) & 7)
#define KARG(k) ((k) >> 3)
#define IS_HDR(k) (KCLASS(k) >= K_H0)

enum { F_START = 1, F_LEADER = 2, F_QUEUED = 4 };
enum { CI_NEW, CI_OPEN, CI_DONE };

typedef struct CodeInfo {
    TmValue code;
    const uint32_t *w;  /* instruction words */
    uint32_t nw;
    const TmValue *K;   /* constants */
    uint32_t nk;
    uint32_t framesize, nfree, nargs;
    int32_t *state_at;  /* per word: offset of its state in the pool, or -1 */
    uint8_t *flags;     /* per word (same block as state_at) */
    uint8_t *req_box;   /* per free variable: closures must hold a box */
    uint32_t scan;      /* where verify() looks for the next CLOSURE */
    int status;
} CodeInfo;

#define FEW_INFOS 8

typedef struct Verifier {
    TmNode *n;
    CodeInfo *few[FEW_INFOS]; /* the infos, while there are few */
    guint nfew;
    GHashTable *many;   /* code -> CodeInfo*, beyond FEW_INFOS */
    U32Vec pool;        /* states: depth, acc, kinds[depth] */
    U32Vec work;        /* pcs of blocks to (re)analyze */
    GPtrArray *stack;   /* verify()'s walk over nested code */
    uint32_t *scratch;  /* a state being simulated */
    size_t scratch_cap;
    int64_t budget;     /* work left, see VERIFY_BASE_WORK */
    GError **error;
    bool failed;
} Verifier;

/* A state being simulated: st[0] depth, st[1] acc, st[2...] slots. */
typedef uint32_t *AState;

static void info_free(gpointer p)
{
    CodeInfo *ci = p;
    g_free(ci->state_at);
    g_free(ci);
}

static void verifier_init(Verifier *V, TmNode *n, size_t input_len, GError **error)
{
    memset(V, 0, sizeof *V);
    V->n = n;
    u32_init(&V->pool);
    u32_init(&V->work);
    V->stack = g_ptr_array_new();
    V->budget = input_len > (size_t)(VERIFY_MAX_WORK / VERIFY_WORK_PER_BYTE)
                    ? VERIFY_MAX_WORK
                    : MIN(VERIFY_MAX_WORK,
                          VERIFY_BASE_WORK + VERIFY_WORK_PER_BYTE * (int64_t)input_len);
    V->error = error;
}

static void verifier_free(Verifier *V)
{
    for (guint i = 0; i < V->nfew; i++)
        info_free(V->few[i]);
    if (V->many)
        g_hash_table_destroy(V->many);
    u32_free(&V->pool);
    u32_free(&V->work);
    g_ptr_array_free(V->stack, TRUE);
    g_free(V->scratch);
}

static CodeInfo *info_find(Verifier *V, TmValue code)
{
    for (guint i = 0; i < V->nfew; i++)
        if (V->few[i]->code == code)
            return V->few[i];
    return V->many ? g_hash_table_lookup(V->many, (gpointer)code) : NULL;
}

/* Room for a state of the given frame size in V->scratch. */
static uint32_t *scratch_state(Verifier *V, uint32_t framesize)
{
    size_t need = 2 + (size_t)framesize + 3;
    if (V->scratch_cap < need) {
        V->scratch = g_renew(uint32_t, V->scratch, need);
        V->scratch_cap = need;
    }
    return V->scratch;
}

static bool vfail(Verifier *V, CodeInfo *ci, int64_t pc, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);

static bool vfail(Verifier *V, CodeInfo *ci, int64_t pc, const char *fmt, ...)
{
    if (V->failed)
        return false;
    V->failed = true;
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    char *shown = tm_print_short(V->n, ci->code, 60);
    GString *g = g_string_new(NULL);
    g_string_append_printf(g, "bytecode of %s rejected", shown);
    if (pc >= 0 && pc < ci->nw) {
        uint32_t insn = ci->w[pc];
        unsigned op = insn & 0xFF;
        g_string_append_printf(g, " at pc %" G_GINT64_FORMAT " (%s %d)", pc,
                               op < TM_OP__COUNT ? tm_op_name[op] : "?", tm_insn_a(insn));
    }
    g_string_append_printf(g, ": %s", msg);
    g_set_error_literal(V->error, TM_MARSHAL_ERROR, TM_MARSHAL_ERROR_VERIFY, g->str);
    g_string_free(g, TRUE);
    g_free(shown);
    g_free(msg);
    return false;
}

static bool verr(Verifier *V, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* A rejected object that is not a code object's fault. */
static bool verr(Verifier *V, const char *fmt, ...)
{
    if (V->failed)
        return false;
    V->failed = true;
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error_literal(V->error, TM_MARSHAL_ERROR, TM_MARSHAL_ERROR_VERIFY, msg);
    g_free(msg);
    return false;
}

/* Structure: the header's numbers, instruction boundaries, operands that
 * do not depend on the stack, jump targets, and the codes CLOSURE makes. */
/* Branches whose offset is operand A; and tests that are followed by a
 * JMPF which they take or skip (the VM reads its offset). */
static bool is_branch1(unsigned op)
{
    return op == TM_OP_JNEQ || op == TM_OP_JNNULL || op == TM_OP_JNPAIR || op == TM_OP_JT;
}

static bool needs_jmpf(unsigned op)
{
    switch (op) {
    case TM_OP_JNNUMEQI: case TM_OP_JNLTI: case TM_OP_JNGTI: case TM_OP_JNLEI:
    case TM_OP_JNGEI: case TM_OP_JNNUMEQ: case TM_OP_JNLT: case TM_OP_JNGT:
    case TM_OP_JNLE: case TM_OP_JNGE: case TM_OP_JNNUMEQLL: case TM_OP_JNLTLL:
    case TM_OP_JNGTLL: case TM_OP_JNLELL: case TM_OP_JNGELL: case TM_OP_JNEQLL:
        return true;
    default:
        return false;
    }
}

static bool prepass(Verifier *V, CodeInfo *ci)
{
    TmValue code = ci->code;
    TmValue bytes = TM_SLOT(code, TM_CODE_BYTES), consts = TM_SLOT(code, TM_CODE_CONSTS);
    TmValue ar = TM_SLOT(code, TM_CODE_ARITY), fs = TM_SLOT(code, TM_CODE_FRAMESIZE),
            nf = TM_SLOT(code, TM_CODE_NFREE), name = TM_SLOT(code, TM_CODE_NAME),
            file = TM_SLOT(code, TM_CODE_FILE), lines = TM_SLOT(code, TM_CODE_LINES);
    if (!tm_is_bytevector(bytes) || !tm_is_vector(consts) || !tm_is_fixnum(ar) ||
        !tm_is_fixnum(fs) || !tm_is_fixnum(nf) ||
        (name != TM_FALSE && !tm_is_symbol(name)) ||
        (file != TM_FALSE && !tm_is_string(file)) ||
        (lines != TM_FALSE && !tm_is_bytevector(lines)))
        return vfail(V, ci, -1, "malformed code object");
    size_t nbytes = tm_bytevector_length(bytes);
    if (nbytes == 0 || nbytes % 4 || nbytes / 4 > INT32_MAX / 8)
        return vfail(V, ci, -1, "code length %zu is not a positive multiple of 4", nbytes);
    intptr_t a = tm_fixval(ar);
    int64_t nreq = a & 0xFFFF, nopt = (a >> 16) & 0xFFFF, rest = (a >> 32) & 1;
    if (a < 0 || (a >> 33) != 0)
        return vfail(V, ci, -1, "malformed arity");
    ci->w = (const uint32_t *)tm_bytevector_data(bytes);
    ci->nw = (uint32_t)(nbytes / 4);
    ci->K = tm_slots(consts);
    ci->nk = (uint32_t)MIN(tm_vector_length(consts), (size_t)UINT32_MAX / 16);
    ci->nargs = (uint32_t)(nreq + nopt + rest);
    if (tm_fixval(fs) < 0 || tm_fixval(fs) > MAX_FRAMESIZE || tm_fixval(nf) < 0 ||
        tm_fixval(nf) > MAX_NFREE || ci->nargs > MAX_PARAMS ||
        ci->nargs > (uint64_t)tm_fixval(fs))
        return vfail(V, ci, -1, "frame size %ld, %u parameters or %ld free variables "
                     "out of range", (long)tm_fixval(fs), ci->nargs, (long)tm_fixval(nf));
    ci->framesize = (uint32_t)tm_fixval(fs);
    ci->nfree = (uint32_t)tm_fixval(nf);
    size_t block = (size_t)ci->nw * (sizeof(int32_t) + 1) + ci->nfree;
    ci->state_at = g_malloc(block);
    memset(ci->state_at, 0xFF, (size_t)ci->nw * sizeof(int32_t)); /* all -1 */
    ci->flags = (uint8_t *)(ci->state_at + ci->nw);
    ci->req_box = ci->flags + ci->nw;
    memset(ci->flags, 0, (size_t)ci->nw + ci->nfree);
    for (uint32_t pc = 0; pc < ci->nw;) {
        unsigned op = ci->w[pc] & 0xFF;
        if (op >= TM_OP__COUNT)
            return vfail(V, ci, pc, "invalid opcode %u", op);
        if (pc + tm_op_size[op] > ci->nw)
            return vfail(V, ci, pc, "instruction truncated by the end of the code");
        ci->flags[pc] |= F_START;
        pc += tm_op_size[op];
    }
    ci->flags[0] |= F_LEADER;
    for (uint32_t pc = 0; pc < ci->nw; pc += tm_op_size[ci->w[pc] & 0xFF]) {
        unsigned op = ci->w[pc] & 0xFF;
        if (needs_jmpf(op) && (pc + 1 >= ci->nw || (ci->w[pc + 1] & 0xFF) != TM_OP_JMPF))
            return vfail(V, ci, pc, "a test that branches without a JMPF after it");
        if (op == TM_OP_PUSHLADDI &&
            (pc + 2 >= ci->nw || (ci->w[pc + 2] & 0xFF) != TM_OP_PUSH))
            return vfail(V, ci, pc, "PUSHLADDI without a PUSH after it");
        if (op == TM_OP_JMP || op == TM_OP_JMPF || op == TM_OP_FRAME || is_branch1(op)) {
            int64_t t = (int64_t)pc + 1 + tm_insn_a(ci->w[pc]);
            if (t < 0 || t >= ci->nw || !(ci->flags[t] & F_START))
                return vfail(V, ci, pc, "jump target %" G_GINT64_FORMAT
                             " outside the code or inside an instruction", t);
            ci->flags[t] |= F_LEADER;
        } else if (op == TM_OP_CLOSURE) {
            uint32_t k = ci->w[pc + 1];
            if (k >= ci->nk || !tm_is_code(ci->K[k]))
                return vfail(V, ci, pc, "constant %u is not a code object", k);
        }
    }
    return true;
}

static CodeInfo *info_new(Verifier *V, TmValue code)
{
    CodeInfo *ci = g_new0(CodeInfo, 1);
    ci->code = code;
    ci->status = CI_NEW;
    if (V->nfew < FEW_INFOS) {
        V->few[V->nfew++] = ci;
    } else {
        if (!V->many)
            V->many = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, info_free);
        g_hash_table_insert(V->many, (gpointer)code, ci);
    }
    return ci;
}

/* The code made by the next CLOSURE instruction not yet looked at, or
 * TM_FALSE. */
static TmValue next_child(CodeInfo *ci)
{
    while (ci->scan < ci->nw) {
        uint32_t pc = ci->scan;
        unsigned op = ci->w[pc] & 0xFF;
        ci->scan += tm_op_size[op];
        if (op == TM_OP_CLOSURE)
            return ci->K[ci->w[pc + 1]];
    }
    return TM_FALSE;
}

/* Merge a state into the one recorded at pc (a block leader). */
static bool merge(Verifier *V, CodeInfo *ci, uint32_t pc, const uint32_t *st)
{
    uint32_t depth = st[0];
    if ((V->budget -= 2 + depth) < 0)
        return vfail(V, ci, pc, "code too complex to verify");
    if (ci->state_at[pc] < 0) {
        if (V->pool.len + 2 + depth > MAX_STATE_WORDS)
            return vfail(V, ci, pc, "code too complex to verify");
        u32_reserve(&V->pool, 2 + depth);
        ci->state_at[pc] = (int32_t)V->pool.len;
        memcpy(V->pool.v + V->pool.len, st, (2 + depth) * sizeof(uint32_t));
        V->pool.len += 2 + depth;
    } else {
        uint32_t *s = V->pool.v + ci->state_at[pc];
        if (s[0] != depth)
            return vfail(V, ci, pc, "stack depth %u here on one path, %u on another",
                         s[0], depth);
        bool changed = false;
        for (uint32_t i = 1; i < 2 + depth; i++) {
            if (s[i] == st[i])
                continue;
            if (IS_HDR(s[i]) || IS_HDR(st[i]))
                return vfail(V, ci, pc, "call headers differ between paths");
            if (s[i] != K_V) {
                s[i] = K_V;
                changed = true;
            }
        }
        if (!changed)
            return true;
    }
    if (!(ci->flags[pc] & F_QUEUED)) {
        ci->flags[pc] |= F_QUEUED;
        u32_push(&V->work, pc);
    }
    return true;
}

/* acc or a slot used as a box: BOX, or a free variable that must then be
 * a box in every closure of this code. */
static bool need_box(Verifier *V, CodeInfo *ci, uint32_t pc, uint32_t k)
{
    if (KCLASS(k) == K_BOX)
        return true;
    if (KCLASS(k) == K_FV) {
        ci->req_box[KARG(k)] = 1;
        return true;
    }
    return vfail(V, ci, pc, "value used as a box is not known to be one");
}

static CodeInfo *done_info(Verifier *V, TmValue code)
{
    CodeInfo *ci = info_find(V, code);
    return ci && ci->status == CI_DONE ? ci : NULL;
}

typedef enum { STEP_FAIL, STEP_FALLS, STEP_STOPS } Step;

/* Pop k values (not header words). */
static bool pop_values(Verifier *V, CodeInfo *ci, uint32_t pc, AState st, int64_t k)
{
    if (k < 0 || k > st[0])
        return vfail(V, ci, pc, "pops %" G_GINT64_FORMAT " of %u stack slots", k, st[0]);
    for (uint32_t i = st[0] - (uint32_t)k; i < st[0]; i++)
        if (IS_HDR(st[2 + i]))
            return vfail(V, ci, pc, "pops a call header");
    st[0] -= (uint32_t)k;
    return true;
}

static bool push_kind(Verifier *V, CodeInfo *ci, uint32_t pc, AState st, uint32_t k)
{
    if (st[0] >= ci->framesize)
        return vfail(V, ci, pc, "stack deeper than the frame size %u", ci->framesize);
    st[2 + st[0]++] = k;
    return true;
}

/* A call with argc arguments above a header pushed by FRAME. */
static bool check_call(Verifier *V, CodeInfo *ci, uint32_t pc, AState st, int32_t argc)
{
    if (argc < 0 || (uint32_t)argc + 3 > st[0])
        return vfail(V, ci, pc, "call of %d arguments without its header", argc);
    uint32_t h = st[0] - (uint32_t)argc - 3;
    uint32_t *s = st + 2;
    if (KCLASS(s[h]) != K_H0 || KCLASS(s[h + 1]) != K_H1 || KCLASS(s[h + 2]) != K_H2 ||
        KARG(s[h]) != KARG(s[h + 1]) || KARG(s[h]) != KARG(s[h + 2]))
        return vfail(V, ci, pc, "call without the header of a FRAME below its arguments");
    for (uint32_t i = h + 3; i < st[0]; i++)
        if (IS_HDR(s[i]))
            return vfail(V, ci, pc, "a call header among the arguments");
    return true;
}

static bool const_is(Verifier *V, CodeInfo *ci, uint32_t pc, int64_t k, TmType t,
                     const char *what)
{
    if (k < 0 || k >= ci->nk)
        return vfail(V, ci, pc, "constant %" G_GINT64_FORMAT " out of range (%u constants)",
                     k, ci->nk);
    if (what && !tm_has_type(ci->K[k], t))
        return vfail(V, ci, pc, "constant %" G_GINT64_FORMAT " is not a %s", k, what);
    return true;
}

static bool slot_ok(Verifier *V, CodeInfo *ci, uint32_t pc, AState st, int32_t a)
{
    if (a < 0 || (uint32_t)a >= st[0])
        return vfail(V, ci, pc, "slot %d out of range for stack depth %u", a, st[0]);
    return true;
}

/* Execute the instruction at pc on the abstract state.  When `analyze`,
 * the states of jump and return targets are merged into theirs. */
static Step step(Verifier *V, CodeInfo *ci, uint32_t pc, AState st, bool analyze)
{
    uint32_t insn = ci->w[pc];
    int32_t a = tm_insn_a(insn);
    uint32_t b = tm_op_size[insn & 0xFF] == 2 ? ci->w[pc + 1] : 0;
    uint32_t *acc = &st[1], *s = st + 2;
#define CHECK(x) do { if (!(x)) return STEP_FAIL; } while (0)
    switch ((TmOpcode)(insn & 0xFF)) {
    case TM_OP_CONST:
        CHECK(const_is(V, ci, pc, a, 0, NULL));
        *acc = K_V;
        break;
    case TM_OP_FIX:
    case TM_OP_ADDI:
    case TM_OP_NUMEQI: case TM_OP_LTI: case TM_OP_GTI: case TM_OP_LEI: case TM_OP_GEI:
    case TM_OP_CAR: case TM_OP_CDR: case TM_OP_NULLP: case TM_OP_PAIRP:
    case TM_OP_NOT: case TM_OP_ZEROP: case TM_OP_CADR: case TM_OP_CDDR: case TM_OP_RECV:
        *acc = K_V;
        break;
    case TM_OP_IMM:
        if (a < 0 || a > TM_IMMI_EOF)
            return vfail(V, ci, pc, "immediate %d out of range", a), STEP_FAIL;
        *acc = K_V;
        break;
    case TM_OP_LREF:
    case TM_OP_PUSHL:
        CHECK(slot_ok(V, ci, pc, st, a));
        *acc = IS_HDR(s[a]) ? K_V : s[a];
        if ((insn & 0xFF) == TM_OP_PUSHL)
            CHECK(push_kind(V, ci, pc, st, *acc));
        break;
    case TM_OP_FREF:
        if (a < 0 || (uint32_t)a >= ci->nfree)
            return vfail(V, ci, pc, "free variable %d of %u", a, ci->nfree), STEP_FAIL;
        *acc = KIND(K_FV, a);
        break;
    case TM_OP_GREF:
    case TM_OP_GDEF:
        CHECK(const_is(V, ci, pc, a, TM_T_SYMBOL, "symbol"));
        *acc = K_V;
        break;
    case TM_OP_PUSH:
        CHECK(push_kind(V, ci, pc, st, *acc));
        break;
    case TM_OP_POP:
        CHECK(pop_values(V, ci, pc, st, a));
        break;
    case TM_OP_LSET:
        CHECK(slot_ok(V, ci, pc, st, a));
        if (IS_HDR(s[a]))
            return vfail(V, ci, pc, "overwrites a call header"), STEP_FAIL;
        s[a] = *acc;
        break;
    case TM_OP_MKBOX:
        *acc = K_BOX;
        break;
    case TM_OP_UNBOX:
        CHECK(const_is(V, ci, pc, a, 0, NULL));
        CHECK(need_box(V, ci, pc, *acc));
        *acc = K_V;
        break;
    case TM_OP_BOXSET:
        CHECK(slot_ok(V, ci, pc, st, a));
        CHECK(need_box(V, ci, pc, s[a]));
        break;
    case TM_OP_JMP:
        if (analyze)
            CHECK(merge(V, ci, (uint32_t)((int64_t)pc + 1 + a), st));
        return STEP_STOPS;
    case TM_OP_JMPF:
        if (analyze)
            CHECK(merge(V, ci, (uint32_t)((int64_t)pc + 1 + a), st));
        break;
    case TM_OP_JNEQ:
        CHECK(pop_values(V, ci, pc, st, 1));
        /* fall through */
    case TM_OP_JNNULL: case TM_OP_JNPAIR: case TM_OP_JT:
        *acc = K_V;
        if (analyze)
            CHECK(merge(V, ci, (uint32_t)((int64_t)pc + 1 + a), st));
        break;
    /* tests followed by the JMPF that does their branching */
    case TM_OP_JNNUMEQ: case TM_OP_JNLT: case TM_OP_JNGT: case TM_OP_JNLE: case TM_OP_JNGE:
        CHECK(pop_values(V, ci, pc, st, 1));
        /* fall through */
    case TM_OP_JNNUMEQI: case TM_OP_JNLTI: case TM_OP_JNGTI: case TM_OP_JNLEI: case TM_OP_JNGEI:
        *acc = K_V;
        break;
    case TM_OP_NUMEQLL: case TM_OP_LTLL: case TM_OP_GTLL: case TM_OP_LELL: case TM_OP_GELL:
    case TM_OP_EQLL: case TM_OP_JNNUMEQLL: case TM_OP_JNLTLL: case TM_OP_JNGTLL:
    case TM_OP_JNLELL: case TM_OP_JNGELL: case TM_OP_JNEQLL: {
        uint32_t ab = insn >> 8;
        CHECK(slot_ok(V, ci, pc, st, (int32_t)(ab & 0xfff)));
        CHECK(slot_ok(V, ci, pc, st, (int32_t)(ab >> 12)));
        *acc = K_V;
        break;
    }
    case TM_OP_PUSHL2:
        CHECK(slot_ok(V, ci, pc, st, a));
        *acc = IS_HDR(s[a]) ? K_V : s[a];
        CHECK(push_kind(V, ci, pc, st, *acc));
        CHECK(slot_ok(V, ci, pc, st, (int32_t)b));
        *acc = IS_HDR(s[b]) ? K_V : s[b];
        CHECK(push_kind(V, ci, pc, st, *acc));
        break;
    case TM_OP_RETL:
        CHECK(slot_ok(V, ci, pc, st, a));
        if (IS_HDR(s[a]))
            return vfail(V, ci, pc, "returns a call header"), STEP_FAIL;
        return STEP_STOPS;
    case TM_OP_LADDI:
    case TM_OP_PUSHLADDI:
        CHECK(slot_ok(V, ci, pc, st, a));
        if (IS_HDR(s[a]))
            return vfail(V, ci, pc, "adds to a call header"), STEP_FAIL;
        *acc = K_V; /* PUSHLADDI: the PUSH after it pushes */
        break;
    case TM_OP_FRAME: {
        uint32_t t = (uint32_t)((int64_t)pc + 1 + a), saved = *acc;
        if (analyze) {
            *acc = K_V; /* the value returned */
            bool ok = merge(V, ci, t, st);
            *acc = saved;
            CHECK(ok);
        }
        if (st[0] + 3 > ci->framesize)
            return vfail(V, ci, pc, "stack deeper than the frame size %u", ci->framesize),
                   STEP_FAIL;
        s[st[0]++] = KIND(K_H0, t);
        s[st[0]++] = KIND(K_H1, t);
        s[st[0]++] = KIND(K_H2, t);
        break;
    }
    case TM_OP_CALLG:
        CHECK(const_is(V, ci, pc, b, TM_T_SYMBOL, "symbol"));
        /* fall through */
    case TM_OP_CALL:
        CHECK(check_call(V, ci, pc, st, a));
        return STEP_STOPS;
    case TM_OP_TCALLG:
        CHECK(const_is(V, ci, pc, b, TM_T_SYMBOL, "symbol"));
        /* fall through */
    case TM_OP_TCALL:
        if (a < 0 || (uint32_t)a > st[0])
            return vfail(V, ci, pc, "tail call of %d arguments", a), STEP_FAIL;
        for (uint32_t i = st[0] - (uint32_t)a; i < st[0]; i++)
            if (IS_HDR(s[i]))
                return vfail(V, ci, pc, "a call header among the arguments"), STEP_FAIL;
        return STEP_STOPS;
    case TM_OP_RET:
        return STEP_STOPS;
    case TM_OP_HALT:
        /* ends a run without a pending exception, whatever process runs
         * it (vm.md, Limits); the compiler never emits it */
        return vfail(V, ci, pc, "HALT is not allowed"), STEP_FAIL;
    case TM_OP_CLOSURE: {
        CodeInfo *child = done_info(V, ci->K[b]);
        g_assert(child);
        if (a < 0 || (uint32_t)a != child->nfree)
            return vfail(V, ci, pc, "closure of %d values for code of %u free variables", a,
                         child->nfree), STEP_FAIL;
        if ((uint32_t)a > st[0])
            return vfail(V, ci, pc, "closure of %d values on %u", a, st[0]), STEP_FAIL;
        uint32_t base = st[0] - (uint32_t)a;
        for (uint32_t j = 0; j < (uint32_t)a; j++)
            if (child->req_box[j])
                CHECK(need_box(V, ci, pc, s[base + j]));
        CHECK(pop_values(V, ci, pc, st, a));
        *acc = KIND(K_CLO, b);
        break;
    }
    case TM_OP_PATCH: {
        CHECK(slot_ok(V, ci, pc, st, a));
        if (KCLASS(s[a]) != K_CLO)
            return vfail(V, ci, pc, "patches a slot not known to hold a fresh closure"),
                   STEP_FAIL;
        CodeInfo *child = done_info(V, ci->K[KARG(s[a])]);
        g_assert(child);
        if (b >= child->nfree)
            return vfail(V, ci, pc, "patches free variable %u of %u", b, child->nfree),
                   STEP_FAIL;
        if (child->req_box[b])
            CHECK(need_box(V, ci, pc, *acc));
        break;
    }
    case TM_OP_ADD: case TM_OP_SUB: case TM_OP_MUL: case TM_OP_NUMEQ: case TM_OP_LT:
    case TM_OP_GT: case TM_OP_LE: case TM_OP_GE: case TM_OP_CONS: case TM_OP_EQ:
    case TM_OP_VREF: case TM_OP_QUO: case TM_OP_REM: case TM_OP_MOD: case TM_OP_MAX:
    case TM_OP_MIN: case TM_OP_CHAREQ: case TM_OP_EQV: case TM_OP_SEND:
        CHECK(pop_values(V, ci, pc, st, 1));
        *acc = K_V;
        break;
    case TM_OP_RECREF: {
        CHECK(const_is(V, ci, pc, a, TM_T_RECORD_TYPE, "record type"));
        TmValue fields = TM_SLOT(ci->K[a], TM_RT_FIELDS);
        if (!tm_is_vector(fields) || b >= tm_vector_length(fields))
            return vfail(V, ci, pc, "field %u out of range", b), STEP_FAIL;
        *acc = K_V;
        break;
    }
    default:
        return vfail(V, ci, pc, "opcode %u is not known to the verifier", insn & 0xFF),
               STEP_FAIL;
    }
#undef CHECK
    return STEP_FALLS;
}

/* The fixpoint over the blocks of one code whose children are done. */
static bool analyze(Verifier *V, CodeInfo *ci)
{
    uint32_t *st = scratch_state(V, ci->framesize);
    st[0] = ci->nargs;
    st[1] = K_V;
    for (uint32_t i = 0; i < ci->nargs; i++)
        st[2 + i] = K_V;
    V->work.len = 0;
    bool ok = merge(V, ci, 0, st);
    while (ok && V->work.len) {
        uint32_t pc = V->work.v[--V->work.len];
        ci->flags[pc] &= ~F_QUEUED;
        const uint32_t *s = V->pool.v + ci->state_at[pc];
        memcpy(st, s, (2 + s[0]) * sizeof(uint32_t));
        for (;;) {
            if (--V->budget < 0) {
                ok = vfail(V, ci, pc, "code too complex to verify");
                break;
            }
            Step r = step(V, ci, pc, st, true);
            if (r == STEP_FAIL) {
                ok = false;
                break;
            }
            if (r == STEP_STOPS)
                break;
            pc += tm_op_size[ci->w[pc] & 0xFF];
            if (pc >= ci->nw) {
                ok = vfail(V, ci, -1, "execution runs off the end of the code");
                break;
            }
            if (ci->flags[pc] & F_LEADER) {
                ok = merge(V, ci, pc, st);
                break;
            }
        }
    }
    return ok;
}

/* Verify a code object and, first, every code its CLOSURE instructions
 * make (an explicit stack: nesting costs no C stack).  A code that makes
 * itself through CLOSURE constants is rejected: compiled code never
 * does. */
static CodeInfo *verify(Verifier *V, TmValue code)
{
    CodeInfo *root = info_find(V, code);
    if (root)
        return root->status == CI_DONE ? root : NULL;
    GPtrArray *stack = V->stack;
    g_ptr_array_set_size(stack, 0);
    root = info_new(V, code);
    g_ptr_array_add(stack, root);
    bool ok = prepass(V, root);
    while (ok && stack->len) {
        CodeInfo *ci = stack->pdata[stack->len - 1];
        ci->status = CI_OPEN;
        TmValue c = next_child(ci);
        if (c != TM_FALSE) {
            CodeInfo *k = info_find(V, c);
            if (!k) {
                k = info_new(V, c);
                g_ptr_array_add(stack, k);
                ok = prepass(V, k);
            } else if (k->status != CI_DONE) {
                ok = vfail(V, ci, -1, "code objects make each other in a cycle");
            }
            continue;
        }
        ok = analyze(V, ci);
        ci->status = CI_DONE;
        g_ptr_array_set_size(stack, stack->len - 1);
    }
    return ok ? root : NULL;
}

/* The abstract state before the instruction at pc: from the block's
 * leader, forward.  NULL (and an error) when pc is not reachable. */
static uint32_t *state_before(Verifier *V, CodeInfo *ci, uint32_t pc)
{
    if (pc >= ci->nw || !(ci->flags[pc] & F_START)) {
        vfail(V, ci, -1, "frame pc %u is not an instruction", pc);
        return NULL;
    }
    uint32_t p = pc;
    while (!(ci->flags[p] & F_LEADER)) {
        do
            p--;
        while (!(ci->flags[p] & F_START));
    }
    if (ci->state_at[p] < 0) {
        vfail(V, ci, pc, "frame resumes unreachable code");
        return NULL;
    }
    uint32_t *st = scratch_state(V, ci->framesize);
    const uint32_t *s = V->pool.v + ci->state_at[p];
    memcpy(st, s, (2 + s[0]) * sizeof(uint32_t));
    while (p < pc) {
        if (--V->budget < 0) {
            vfail(V, ci, pc, "code too complex to verify");
            return NULL;
        }
        if (step(V, ci, p, st, false) != STEP_FALLS) {
            if (!V->failed)
                vfail(V, ci, pc, "frame resumes unreachable code");
            return NULL;
        }
        p += tm_op_size[ci->w[p] & 0xFF];
    }
    return st;
}

/* ---- checking the decoded objects ------------------------------------------------ */

static bool check_closure(Verifier *V, TmValue c)
{
    TmValue code = TM_SLOT(c, 0);
    if (!tm_is_code(code))
        return verr(V, "a closure without a code object");
    CodeInfo *ci = verify(V, code);
    if (!ci)
        return false;
    if (tm_obj_size(c) - 1 != ci->nfree)
        return vfail(V, ci, -1, "closure of %zu free variables for code of %u",
                     tm_obj_size(c) - 1, ci->nfree);
    for (uint32_t i = 0; i < ci->nfree; i++)
        if (ci->req_box[i] && !tm_has_type(TM_SLOT(c, 1 + i), TM_T_BOX))
            return vfail(V, ci, -1, "free variable %u of a closure must be a box", i);
    return true;
}

/* The slots of a heap frame against the state the analysis found at its
 * pc: same depth, boxes where boxes are expected, the header words of a
 * pending call exactly as FRAME wrote them. */
static bool frame_matches(Verifier *V, CodeInfo *ci, TmValue f, uint32_t pc,
                          const uint32_t *st)
{
    TmValue clo = TM_SLOT(f, TM_FRAME_CLOSURE);
    size_t nslots = tm_obj_size(f) - TM_FRAME_SLOTS;
    if (st[0] != nslots)
        return vfail(V, ci, pc, "frame of %zu slots where the stack holds %u", nslots,
                     st[0]);
    uint32_t acc = st[1];
    if (acc != K_V && !(KCLASS(acc) == K_FV && !ci->req_box[KARG(acc)]))
        return vfail(V, ci, pc, "frame resumes where acc must hold a known kind");
    for (size_t j = 0; j < nslots; j++) {
        TmValue x = TM_SLOT(f, TM_FRAME_SLOTS + j);
        uint32_t k = st[2 + j];
        bool good;
        switch (KCLASS(k)) {
        case K_V: good = true; break;
        case K_BOX: good = tm_has_type(x, TM_T_BOX); break;
        case K_FV: good = !ci->req_box[KARG(k)] || tm_has_type(x, TM_T_BOX); break;
        case K_CLO: good = tm_is_closure(x) && TM_SLOT(x, 0) == ci->K[KARG(k)]; break;
        case K_H0: good = x == TM_HDR_DIST(j); break;
        case K_H1: good = x == TM_HDR_PC(KARG(k)); break;
        default: good = x == clo; break;
        }
        if (!good)
            return vfail(V, ci, pc, "frame slot %zu does not hold what the code expects", j);
    }
    return true;
}

static bool check_frame(Verifier *V, TmValue f)
{
    TmValue parent = TM_SLOT(f, TM_FRAME_PARENT), clo = TM_SLOT(f, TM_FRAME_CLOSURE);
    TmValue pc = TM_SLOT(f, TM_FRAME_PC);
    if (parent != TM_FALSE && !tm_has_type(parent, TM_T_FRAME))
        return verr(V, "the parent of a frame is not a frame");
    if (!tm_is_closure(clo) || !tm_is_code(TM_SLOT(clo, 0)))
        return verr(V, "the procedure of a frame is not a closure");
    if (!tm_is_fixnum(pc) || tm_fixval(pc) < 0 || tm_fixval(pc) > INT32_MAX)
        return verr(V, "a frame's pc is not an instruction offset");
    CodeInfo *ci = verify(V, TM_SLOT(clo, 0));
    if (!ci)
        return false;
    uint32_t *st = state_before(V, ci, (uint32_t)tm_fixval(pc));
    if (!st)
        return false;
    return frame_matches(V, ci, f, (uint32_t)tm_fixval(pc), st);
}

static bool check_record(Verifier *V, TmValue r)
{
    TmValue t = TM_SLOT(r, 0);
    if (!tm_has_type(t, TM_T_RECORD_TYPE) || !tm_is_vector(TM_SLOT(t, TM_RT_FIELDS)))
        return verr(V, "the type of a record is not a record type");
    if (tm_obj_size(r) != 1 + tm_vector_length(TM_SLOT(t, TM_RT_FIELDS)))
        return verr(V, "a record has %zu fields where its type has %zu",
                    tm_obj_size(r) - 1, tm_vector_length(TM_SLOT(t, TM_RT_FIELDS)));
    return true;
}

static bool check_error(Verifier *V, TmValue e)
{
    TmValue loc = TM_SLOT(e, TM_ERR_LOCATION);
    if (!tm_is_symbol(TM_SLOT(e, TM_ERR_KIND)) || !tm_is_string(TM_SLOT(e, TM_ERR_MESSAGE)) ||
        (loc != TM_FALSE && !tm_is_string(loc)))
        return verr(V, "a malformed error object");
    return true;
}

/* Every object of the message must satisfy what the runtime assumes of
 * its type before the value is handed out.  Codes first: closures and
 * frames are judged against what the analysis of their code found. */
static bool check_objects(Dec *d, Verifier *V)
{
    TmValue *c = d->checks.v;
    for (size_t i = 0; i < d->checks.len; i++)
        if (tm_is_code(c[i]) && !verify(V, c[i]))
            return false;
    for (size_t i = 0; i < d->checks.len; i++) {
        TmValue v = c[i];
        switch (tm_obj_type(v)) {
        case TM_T_CLOSURE:
            if (!check_closure(V, v))
                return false;
            break;
        case TM_T_FRAME:
            if (!check_frame(V, v))
                return false;
            break;
        case TM_T_CONTINUATION:
            if (TM_SLOT(v, 0) != TM_FALSE && !tm_has_type(TM_SLOT(v, 0), TM_T_FRAME))
                return verr(V, "a continuation without frames");
            break;
        case TM_T_RECORD:
            if (!check_record(V, v))
                return false;
            break;
        case TM_T_ERROR:
            if (!check_error(V, v))
                return false;
            break;
        default:
            break;
        }
    }
    return true;
}

/* ---- decoding: the API --------------------------------------------------------------- */

static bool missing_code(Dec *d, GPtrArray *out)
{
    GString *g = g_string_new(NULL);
    g_string_append_printf(g, "missing code: %u code object%s not known here:",
                           d->missing->len, d->missing->len == 1 ? "" : "s");
    for (guint i = 0; i < d->missing->len; i++) {
        const uint8_t *h = g_bytes_get_data(d->missing->pdata[i], NULL);
        if (i < 4) {
            g_string_append_c(g, ' ');
            for (int j = 0; j < TM_MARSHAL_HASH_LEN; j++)
                g_string_append_printf(g, "%02x", h[j]);
        }
        if (out)
            g_ptr_array_add(out, g_bytes_ref(d->missing->pdata[i]));
    }
    if (d->missing->len > 4)
        g_string_append(g, " ...");
    g_set_error_literal(d->error, TM_MARSHAL_ERROR, TM_MARSHAL_ERROR_MISSING_CODE, g->str);
    g_string_free(g, TRUE);
    return false;
}

static bool check_header(Dec *d)
{
    const uint8_t *h;
    if (left(d) < sizeof magic + 1)
        return dec_fail(d, TM_MARSHAL_ERROR_FORMAT, "not a Termite message: too short");
    rd_bytes(d, sizeof magic + 1, &h);
    if (memcmp(h, magic, sizeof magic) != 0)
        return dec_fail(d, TM_MARSHAL_ERROR_FORMAT, "not a Termite message: bad magic");
    if (h[sizeof magic] != TM_MARSHAL_VERSION)
        return dec_fail(d, TM_MARSHAL_ERROR_FORMAT, "wire format version %u not supported "
                        "(this node reads version %u)", h[sizeof magic], TM_MARSHAL_VERSION);
    return true;
}

static void cache_codes(Dec *d)
{
    TmValue *c = d->checks.v;
    for (size_t i = 0; i < d->checks.len; i++)
        if (tm_is_code(c[i]) && !code_hash_bytes(c[i]))
            queue_code(d->n, c[i]);
}

TmValue tm_marshal_decode_ex(TmNode *n, const uint8_t *data, size_t len,
                             const TmMarshalDecodeOptions *opts, GError **error)
{
    static const TmMarshalDecodeOptions none = {NULL, false, NULL};
    if (!opts)
        opts = &none;
    Dec d;
    memset(&d, 0, sizeof d);
    d.n = n;
    d.start = d.p = data;
    d.end = data + len;
    d.error = error;
    const TmMarshalLimits *l = opts->limits;
    d.lim.max_bytes = l && l->max_bytes ? l->max_bytes : DEFAULT_MAX_BYTES;
    d.lim.max_objects = l && l->max_objects ? l->max_objects : DEFAULT_MAX_OBJECTS;
    d.lim.max_depth = l && l->max_depth ? l->max_depth : DEFAULT_MAX_DEPTH;
    d.stack = d.small_stack;
    d.stackcap = G_N_ELEMENTS(d.small_stack);
    d.objs = d.small_objs;
    d.objcap = G_N_ELEMENTS(d.small_objs);
    if (len / 4 > d.objcap) { /* about one object per 4 bytes, to start */
        d.objcap = MIN(len / 4, 4096);
        d.objs = g_new(TmValue, d.objcap);
    }
    val_init(&d.checks);
    d.root = TM_FALSE;
    bool ok;
    if (len > d.lim.max_bytes)
        ok = dec_fail(&d, TM_MARSHAL_ERROR_LIMIT, "message of %zu bytes, more than %zu",
                      len, d.lim.max_bytes);
    else
        ok = check_header(&d) && dec_run(&d);
    if (ok && d.missing)
        ok = missing_code(&d, opts->missing);
    if (ok && d.checks.len) {
        Verifier V;
        verifier_init(&V, n, len, error);
        ok = check_objects(&d, &V);
        verifier_free(&V);
    }
    if (ok && opts->cache_code)
        cache_codes(&d);
    TmValue r = ok ? d.root : TM_EXC;
    if (d.objs != d.small_objs)
        g_free(d.objs);
    if (d.stack != d.small_stack)
        g_free(d.stack);
    val_free(&d.checks);
    if (d.missing)
        g_ptr_array_free(d.missing, TRUE);
    return r;
}

TmValue tm_marshal_decode(TmNode *n, const uint8_t *data, size_t len,
                          const TmMarshalLimits *limits, GError **error)
{
    TmMarshalDecodeOptions o = {limits, false, NULL};
    return tm_marshal_decode_ex(n, data, len, &o, error);
}

bool tm_marshal_verify_code(TmNode *n, TmValue code, GError **error)
{
    g_return_val_if_fail(tm_is_code(code), false);
    Verifier V;
    verifier_init(&V, n, SIZE_MAX, error);
    bool ok = verify(&V, code) != NULL;
    verifier_free(&V);
    return ok;
}

/* ---- primitives ------------------------------------------------------------------------- */

static bool known_in_list(const uint8_t *hash, void *data)
{
    for (TmValue l = *(TmValue *)data; tm_is_pair(l); l = tm_cdr(l)) {
        TmValue h = tm_car(l);
        if (tm_is_bytevector(h) && tm_bytevector_length(h) == TM_MARSHAL_HASH_LEN &&
            memcmp(tm_bytevector_data(h), hash, TM_MARSHAL_HASH_LEN) == 0)
            return true;
    }
    return false;
}

/* (object->u8vector obj [by-reference]): by-reference #t sends every code
 * object as its hash; a list of hashes (bytevectors) sends those code
 * objects by hash and the others in full. */
TM_PRIM(p_object_to_u8vector)
{
    TmMarshalEncodeOptions o = {0};
    TmValue known = argc > 1 ? argv[1] : TM_FALSE;
    if (known == TM_TRUE) {
        o.all_code_by_reference = true;
    } else if (known != TM_FALSE && known != TM_DEFAULT) {
        TM_CHECK(n, tm_list_length(known) >= 0, "object->u8vector", 2,
                 "list of code hashes", known);
        o.code_known = known_in_list;
        o.code_known_data = &known;
    }
    Enc e;
    enc_init(&e, n, ENC_SEND, &o);
    char *msg = NULL;
    TmValue r;
    if (encode(&e, argv[0], &msg)) {
        r = tm_make_bytevector(n, e.out.len, e.out.data);
    } else {
        r = tm_error(n, "object->u8vector", msg, tm_cons(n, e.bad, TM_NIL));
        g_free(msg);
    }
    enc_free(&e);
    return r;
}

/* (u8vector->object bytes): code received in full enters the node's code
 * cache.  Missing code raises an error whose irritants are the hashes. */
TM_PRIM(p_u8vector_to_object)
{
    TM_UNUSED_ARGS;
    TmValue b = argv[0];
    TM_CHECK(n, tm_is_bytevector(b), "u8vector->object", 1, "bytevector", b);
    GPtrArray *missing = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    TmMarshalDecodeOptions o = {NULL, true, missing};
    GError *err = NULL;
    TmValue v = tm_marshal_decode_ex(n, tm_bytevector_data(b), tm_bytevector_length(b), &o,
                                     &err);
    if (v == TM_EXC) {
        TmValue hashes = TM_NIL;
        for (guint i = missing->len; i-- > 0;) {
            gsize len;
            const uint8_t *h = g_bytes_get_data(missing->pdata[i], &len);
            hashes = tm_cons(n, tm_make_bytevector(n, len, h), hashes);
        }
        if (err->code == TM_MARSHAL_ERROR_MISSING_CODE)
            v = tm_error(n, "u8vector->object", "missing code", hashes);
        else
            v = tm_error(n, "u8vector->object", err->message, TM_NIL);
        g_error_free(err);
    }
    g_ptr_array_free(missing, TRUE);
    return v;
}

/* (%code-hash procedure-or-code): the content hash of the code, which
 * also enters the node's code cache; #f when it has none. */
TM_PRIM(p_code_hash)
{
    TM_UNUSED_ARGS;
    TmValue c = argv[0];
    if (tm_is_closure(c))
        c = tm_closure_code(c);
    TM_CHECK(n, tm_is_code(c), "%code-hash", 1, "closure or code object", argv[0]);
    uint8_t h[TM_MARSHAL_HASH_LEN];
    if (!tm_marshal_code_hash(n, c, h))
        return TM_FALSE;
    return tm_make_bytevector(n, sizeof h, h);
}

/* (%code-by-hash hash): the code object of the node's cache, or #f. */
TM_PRIM(p_code_by_hash)
{
    TM_UNUSED_ARGS;
    TmValue h = argv[0];
    TM_CHECK(n, tm_is_bytevector(h) && tm_bytevector_length(h) == TM_MARSHAL_HASH_LEN,
             "%code-by-hash", 1, "32-byte bytevector", h);
    return tm_marshal_code_lookup(n, tm_bytevector_data(h));
}

const TmPrimDef tm_prims_marshal[] = {
    {"object->u8vector", p_object_to_u8vector, 1, 2, 0},
    {"u8vector->object", p_u8vector_to_object, 1, 1, 0},
    {"%code-hash", p_code_hash, 1, 1, 0},
    {"%code-by-hash", p_code_by_hash, 1, 1, 0},
    {NULL, NULL, 0, 0, 0},
};
