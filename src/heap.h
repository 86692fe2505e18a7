/*
 * heap.h — allocation and the generational copying collector.
 *
 * Allocation never collects.  It bumps a pointer in the nursery; when the
 * nursery is full it takes an overflow block and asks for a collection,
 * which happens at the VM's next safe point (a procedure entry), where every
 * live value is in a root the collector knows.  So C code may hold raw
 * TmValues in locals for as long as it does not return to the VM.
 * See docs/internals/gc.md.
 */
#ifndef TM_HEAP_H
#define TM_HEAP_H

#include "node.h"

void tm_heap_init(TmNode *n);
void tm_heap_destroy(TmNode *n);

TmValue tm_heap_alloc_slow(TmNode *n, TmType t, size_t size);

/* A new object of type t with `size` payload words, uninitialized: the
 * caller fills every slot before returning to the VM. */
static inline TmValue tm_alloc(TmNode *n, TmType t, size_t size)
{
    TmHeap *h = &n->heap;
    size_t bytes = (size + 1) * sizeof(TmValue);
    if ((size_t)(h->limit - h->top) >= bytes) {
        TmObj *o = (TmObj *)h->top;
        h->top += bytes;
        o->hdr = tm_make_hdr(t, size);
        return tm_from_obj(o);
    }
    return tm_heap_alloc_slow(n, t, size);
}

static inline bool tm_is_young(TmValue v)
{
    return tm_is_obj(v) && !(tm_obj(v)->hdr & TM_HDR_OLD);
}

void tm_heap_remember(TmNode *n, TmValue obj);

/* Store v into slot i of a runtime-mutated object (symbol value, box,
 * promise, process descriptor).  Old objects that come to point to young
 * ones enter the remembered set, the only old-to-young roots of a minor
 * collection. */
static inline void tm_write(TmNode *n, TmValue obj, size_t i, TmValue v)
{
    TM_SLOT(obj, i) = v;
    if ((tm_obj(obj)->hdr & (TM_HDR_OLD | TM_HDR_REMEMBERED)) == TM_HDR_OLD &&
        tm_is_young(v))
        tm_heap_remember(n, obj);
}

/* Called by the VM at safe points. */
static inline bool tm_heap_wants_gc(TmNode *n)
{
    return n->heap.gc_pending && n->heap.inhibit == 0;
}
void tm_heap_collect(TmNode *n, bool major);
void tm_heap_safepoint(TmNode *n);

/* Objects whose C resources must be released when they die (ports). */
void tm_heap_add_finalizable(TmNode *n, TmValue obj);

/* Walk and check every reachable object; aborts on corruption. */
void tm_heap_verify(TmNode *n);

typedef struct {
    uint64_t minor, major, old_bytes, alloc_bytes;
} TmHeapStats;
TmHeapStats tm_heap_stats(TmNode *n);

#endif
