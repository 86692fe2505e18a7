/*
 * heap.c — allocation and the generational copying collector.
 *
 * Young objects are bump-allocated in the nursery (and in overflow blocks
 * when it fills up between two safe points).  A minor collection copies the
 * live young objects into the old generation, Cheney style; its roots are
 * the VM registers and stack, the node's root table and the remembered set.
 * A major collection copies everything live into fresh old blocks.  Both
 * run only at safe points (tm_heap_safepoint), never inside a primitive.
 * See docs/internals/gc.md.
 */
#include "heap.h"

#include "tm_config.h"

#include "port.h"
#include "process.h"

#define NURSERY_BYTES ((size_t)8 << 20)
#define OLD_CHUNK_BYTES ((size_t)1 << 20)
#define LARGE_OBJECT_BYTES ((size_t)256 << 10)
#define MIN_OLD_LIMIT ((size_t)64 << 20)

typedef struct {
    TmNode *n;
    bool minor;
} Gc;

static TmChunk *chunk_new(size_t bytes)
{
    TmChunk *c = g_malloc(sizeof(TmChunk) + bytes);
    c->next = NULL;
    c->top = c->base;
    c->limit = c->base + bytes;
    return c;
}

static void chunks_free(TmChunk *c)
{
    while (c) {
        TmChunk *next = c->next;
        g_free(c);
        c = next;
    }
}

void tm_heap_init(TmNode *n)
{
    TmHeap *h = &n->heap;
    memset(h, 0, sizeof *h);
    h->nursery_bytes = NURSERY_BYTES;
    h->nursery = g_malloc(h->nursery_bytes);
    h->top = h->nursery;
    h->limit = h->nursery + h->nursery_bytes;
    h->old_limit = MIN_OLD_LIMIT;
    h->remembered = g_ptr_array_new();
    h->finalizable = g_array_new(FALSE, FALSE, sizeof(TmValue));
    const char *stress = g_getenv("TERMITE_GC_STRESS");
    h->stress = TM_GC_STRESS_DEFAULT || (stress && *stress && *stress != '0');
    h->gc_pending = h->stress;
    const char *verify = g_getenv("TERMITE_GC_VERIFY");
    h->verify = verify && *verify && *verify != '0';
}

static void finalize_all(TmNode *n)
{
    TmHeap *h = &n->heap;
    for (guint i = 0; i < h->finalizable->len; i++)
        tm_port_finalize(g_array_index(h->finalizable, TmValue, i));
    g_array_set_size(h->finalizable, 0);
}

void tm_heap_destroy(TmNode *n)
{
    TmHeap *h = &n->heap;
    finalize_all(n);
    g_free(h->nursery);
    chunks_free(h->young_chunks);
    chunks_free(h->old_head);
    g_ptr_array_free(h->remembered, TRUE);
    g_array_free(h->finalizable, TRUE);
}

/* Bump-allocate `bytes` in the old generation, appending a block when the
 * tail is full.  Objects are laid out in allocation order across blocks,
 * which is what the Cheney scan in collect() walks. */
static TmObj *old_alloc(TmHeap *h, size_t bytes)
{
    TmChunk *t = h->old_tail;
    if (!t || (size_t)(t->limit - t->top) < bytes) {
        TmChunk *c = chunk_new(bytes > OLD_CHUNK_BYTES ? bytes : OLD_CHUNK_BYTES);
        if (t)
            t->next = c;
        else
            h->old_head = c;
        h->old_tail = t = c;
    }
    TmObj *o = (TmObj *)t->top;
    t->top += bytes;
    h->old_bytes += bytes;
    return o;
}

void tm_heap_remember(TmNode *n, TmValue obj)
{
    tm_obj(obj)->hdr |= TM_HDR_REMEMBERED;
    g_ptr_array_add(n->heap.remembered, tm_obj(obj));
}

/* The nursery is full (or the object is large).  Large objects go straight
 * to the old generation, remembered because the caller will fill them
 * with possibly young values; small ones go to an overflow block.  Either
 * way a collection is requested for the next safe point. */
TmValue tm_heap_alloc_slow(TmNode *n, TmType t, size_t size)
{
    TmHeap *h = &n->heap;
    size_t bytes = (size + 1) * sizeof(TmValue);
    h->gc_pending = true;
    if (bytes >= LARGE_OBJECT_BYTES) {
        TmObj *o = old_alloc(h, bytes);
        o->hdr = tm_make_hdr(t, size) | TM_HDR_OLD;
        TmValue v = tm_from_obj(o);
        if (t > TM_T_LAST_RAW)
            tm_heap_remember(n, v);
        if (h->old_bytes > h->old_limit)
            h->gc_pending = true;
        return v;
    }
    size_t cbytes = h->nursery_bytes / 4;
    TmChunk *c = chunk_new(cbytes > bytes ? cbytes : bytes);
    c->next = h->young_chunks;
    h->young_chunks = c;
    h->top = c->base;
    h->limit = c->limit;
    TmObj *o = (TmObj *)h->top;
    h->top += bytes;
    o->hdr = tm_make_hdr(t, size);
    return tm_from_obj(o);
}

void tm_heap_add_finalizable(TmNode *n, TmValue obj)
{
    g_array_append_val(n->heap.finalizable, obj);
}

/* ---- the collector ----------------------------------------------------- */

/* Copy one object out of the collected space, leaving a forwarding
 * pointer in its header.  Old objects stay put in a minor collection. */
static TmValue forward(Gc *g, TmValue v)
{
    if (!tm_is_obj(v))
        return v;
    TmObj *o = tm_obj(v);
    uintptr_t h = o->hdr;
    if ((h & 7) == 1)
        return (TmValue)h;
    if (g->minor && (h & TM_HDR_OLD))
        return v;
    size_t bytes = (tm_hdr_size(h) + 1) * sizeof(TmValue);
    TmObj *c = old_alloc(&g->n->heap, bytes);
    memcpy(c, o, bytes);
    c->hdr = (h | TM_HDR_OLD) & ~TM_HDR_REMEMBERED;
    o->hdr = tm_from_obj(c);
    return tm_from_obj(c);
}

static TmValue forward_cb(void *g, TmValue v) { return forward((Gc *)g, v); }

static void forward_range(Gc *g, TmValue *p, size_t count)
{
    for (size_t i = 0; i < count; i++)
        p[i] = forward(g, p[i]);
}

static void scan_object(Gc *g, TmObj *o)
{
    if (tm_hdr_type(o->hdr) > TM_T_LAST_RAW)
        forward_range(g, o->slot, tm_hdr_size(o->hdr));
}

static void forward_table(Gc *g, GHashTable *table)
{
    GHashTableIter it;
    gpointer key, val;
    g_hash_table_iter_init(&it, table);
    while (g_hash_table_iter_next(&it, &key, &val))
        g_hash_table_iter_replace(&it, (gpointer)forward(g, (TmValue)val));
}

/* Every root of the collector, in one place. */
static void mark_roots(Gc *g)
{
    TmNode *n = g->n;
    TmVM *vm = &n->vm;
    /* the stack cache of the running process, and the VM registers */
    forward_range(g, vm->stack, vm->sp);
    vm->clo = forward(g, vm->clo);
    vm->acc = forward(g, vm->acc);
    vm->underflow = forward(g, vm->underflow);
    vm->dynenv = forward(g, vm->dynenv);
    vm->owner = forward(g, vm->owner);
    vm->pending = forward(g, vm->pending);
    /* well-known symbols and Scheme procedures the runtime calls */
    forward_range(g, n->sym, TM_S__COUNT);
    forward_range(g, n->hooks, TM_H__COUNT);
    n->command_line = forward(g, n->command_line);
    n->prim_vector = forward(g, n->prim_vector);
    n->param_in = forward(g, n->param_in);
    n->param_out = forward(g, n->param_out);
    n->param_err = forward(g, n->param_err);
    /* the code cache (code by hash) and the port proxies of marshal.c */
    n->marshal = forward(g, n->marshal);
    /* C locals registered while C code runs Scheme code */
    for (int i = 0; i < n->nroots; i++)
        *n->roots[i] = forward(g, *n->roots[i]);
    /* the scheduler: run queue ends, the running process and the table
     * of live processes (in a minor collection only its entries for the
     * processes spawned since the last collection, see process.c) */
    tm_sched_forward(n, forward_cb, g, g->minor);
    /* interned symbols (their value slots are the globals) and keywords */
    forward_table(g, n->symbols);
    forward_table(g, n->keywords);
    forward_table(g, n->record_types);
    /* old objects that may point to young ones */
    if (g->minor) {
        GPtrArray *r = n->heap.remembered;
        for (guint i = 0; i < r->len; i++)
            scan_object(g, r->pdata[i]);
    }
}

/* Cheney scan: copied objects are laid out in order from (chunk, ptr);
 * scanning them may copy more, appended after them. */
static void scan_from(Gc *g, TmChunk *c, char *p)
{
    while (c) {
        while (p < c->top) {
            TmObj *o = (TmObj *)p;
            scan_object(g, o);
            p += (tm_hdr_size(o->hdr) + 1) * sizeof(TmValue);
        }
        c = c->next;
        if (c)
            p = c->base;
    }
}

static bool was_collected(Gc *g, TmObj *o)
{
    return !(g->minor && (o->hdr & TM_HDR_OLD));
}

/* Update weak references to finalizable objects; finalize the dead. */
static void sweep_finalizable(Gc *g)
{
    GArray *f = g->n->heap.finalizable;
    guint k = 0;
    for (guint i = 0; i < f->len; i++) {
        TmValue v = g_array_index(f, TmValue, i);
        TmObj *o = tm_obj(v);
        if ((o->hdr & 7) == 1) {
            g_array_index(f, TmValue, k++) = (TmValue)o->hdr;
        } else if (!was_collected(g, o)) {
            g_array_index(f, TmValue, k++) = v;
        } else {
            tm_port_finalize(v);
        }
    }
    g_array_set_size(f, k);
}

static void reset_nursery(TmHeap *h)
{
    chunks_free(h->young_chunks);
    h->young_chunks = NULL;
    h->top = h->nursery;
    h->limit = h->nursery + h->nursery_bytes;
}

static void clear_remembered(TmHeap *h)
{
    for (guint i = 0; i < h->remembered->len; i++) {
        TmObj *o = h->remembered->pdata[i];
        if ((o->hdr & 7) != 1)
            o->hdr &= ~TM_HDR_REMEMBERED;
    }
    g_ptr_array_set_size(h->remembered, 0);
}

static void collect_minor(TmNode *n)
{
    TmHeap *h = &n->heap;
    Gc g = {n, true};
    if (!h->old_tail)
        h->old_head = h->old_tail = chunk_new(OLD_CHUNK_BYTES);
    TmChunk *start = h->old_tail;
    char *start_p = start->top;
    mark_roots(&g);
    clear_remembered(h);
    scan_from(&g, start, start_p);
    sweep_finalizable(&g);
    reset_nursery(h);
    h->minor_count++;
}

static void collect_major(TmNode *n)
{
    TmHeap *h = &n->heap;
    Gc g = {n, false};
    TmChunk *from = h->old_head;
    h->old_head = h->old_tail = NULL;
    h->old_bytes = 0;
    g_ptr_array_set_size(h->remembered, 0);
    h->old_head = h->old_tail = chunk_new(OLD_CHUNK_BYTES);
    mark_roots(&g);
    scan_from(&g, h->old_head, h->old_head->base);
    sweep_finalizable(&g);
    chunks_free(from);
    reset_nursery(h);
    h->old_limit = MAX(MIN_OLD_LIMIT, h->old_bytes * 2);
    h->major_count++;
}

void tm_heap_collect(TmNode *n, bool major)
{
    TmHeap *h = &n->heap;
    if (major)
        collect_major(n);
    else
        collect_minor(n);
    if (!major && h->old_bytes > h->old_limit)
        collect_major(n);
    h->gc_pending = h->stress; /* stress: collect at every safe point */
    h->epoch++;
    if (h->verify)
        tm_heap_verify(n);
}

void tm_heap_safepoint(TmNode *n)
{
    TmHeap *h = &n->heap;
    if (h->inhibit > 0)
        return;
    if (h->stress) {
        tm_heap_collect(n, (h->epoch & 63) == 63); /* one major in 64 */
        return;
    }
    if (h->gc_pending)
        tm_heap_collect(n, false);
}

/* ---- verification ------------------------------------------------------ */

static void verify_value(TmValue v)
{
    if (!tm_is_obj(v))
        return;
    uintptr_t hdr = tm_obj(v)->hdr;
    if ((hdr & 7) != 0 || tm_hdr_type(hdr) >= TM_T_COUNT)
        g_error("heap verify: bad pointer %p (header %#lx)", (void *)v,
                (unsigned long)hdr);
}

/* After a collection every object is old; check that every field of every
 * object points to a well-formed object. */
void tm_heap_verify(TmNode *n)
{
    for (TmChunk *c = n->heap.old_head; c; c = c->next) {
        char *p = c->base;
        while (p < c->top) {
            TmObj *o = (TmObj *)p;
            if ((o->hdr & 7) != 0 || tm_hdr_type(o->hdr) >= TM_T_COUNT)
                g_error("heap verify: bad header %#lx", (unsigned long)o->hdr);
            if (tm_hdr_type(o->hdr) > TM_T_LAST_RAW)
                for (size_t i = 0; i < tm_hdr_size(o->hdr); i++)
                    verify_value(o->slot[i]);
            p += (tm_hdr_size(o->hdr) + 1) * sizeof(TmValue);
        }
    }
    for (size_t i = 0; i < n->vm.sp; i++)
        verify_value(n->vm.stack[i]);
}

TmHeapStats tm_heap_stats(TmNode *n)
{
    TmHeapStats s = {n->heap.minor_count, n->heap.major_count,
                     n->heap.old_bytes, n->heap.alloc_bytes};
    return s;
}
