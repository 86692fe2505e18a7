/*
 * marshal.h — the wire format: any serializable value to bytes and back.
 *
 * One binary, versioned, machine-independent format for every value that
 * can leave a node: data, code, closures, continuations, pids, tags and
 * node identities, with sharing and cycles preserved.  Ports travel as
 * the pid of a proxy process on their home node (paper section 3.1).
 * Decoding never trusts its input: limits bound the work and memory, and
 * bytecode is verified before anything can run it.  The format and the
 * verifier's rules are in docs/internals/wire-format.md.
 */
#ifndef TM_MARSHAL_H
#define TM_MARSHAL_H

#include "object.h"

#define TM_MARSHAL_VERSION 1
#define TM_MARSHAL_HASH_LEN 32 /* SHA-256 of a code object */

#define TM_MARSHAL_ERROR (tm_marshal_error_quark())
GQuark tm_marshal_error_quark(void);

typedef enum {
    TM_MARSHAL_ERROR_UNSERIALIZABLE, /* encode: an object with no encoding */
    TM_MARSHAL_ERROR_FORMAT,         /* decode: malformed or truncated bytes */
    TM_MARSHAL_ERROR_LIMIT,          /* decode: a TmMarshalLimits bound hit */
    TM_MARSHAL_ERROR_VERIFY,         /* decode: bytecode or frames rejected */
    TM_MARSHAL_ERROR_MISSING_CODE,   /* decode: code sent by hash is unknown */
} TmMarshalError;

/* Bounds on what one decode may consume; a zero field takes the default
 * (64 MiB input, 16 Mi objects, nesting 1 Mi). */
typedef struct TmMarshalLimits {
    size_t max_bytes;   /* length of the input */
    size_t max_objects; /* heap objects the message may create */
    size_t max_depth;   /* containers open at once (the decoder's stack) */
} TmMarshalLimits;

/* Encoding.  Values are encoded whole: every code object in full, so the
 * bytes decode on any node.  With code by reference, a code object whose
 * content hash the receiver has (all of them, or those `code_known`
 * accepts) is sent as its hash alone; the receiver resolves it in its code
 * cache (tm_marshal_code_lookup) or fails with MISSING_CODE. */
typedef struct TmMarshalEncodeOptions {
    bool all_code_by_reference;
    bool (*code_known)(const uint8_t *hash, void *data);
    void *code_known_data;
    /* When not NULL, receives a GBytes hash for each code object sent in
     * full that has one (so a transport can remember what it sent). */
    GPtrArray *code_sent;
} TmMarshalEncodeOptions;

/* The encoding of v, or NULL with *error set (UNSERIALIZABLE: the message
 * names the object and the path to it from v).  Encoding a port spawns
 * its proxy process (once per port).  Call it where a primitive could run
 * (no collection happens inside). */
GBytes *tm_marshal_encode(TmNode *n, TmValue v, GError **error);
GBytes *tm_marshal_encode_ex(TmNode *n, TmValue v, const TmMarshalEncodeOptions *opts,
                             GError **error);

typedef struct TmMarshalDecodeOptions {
    const TmMarshalLimits *limits; /* NULL: the defaults */
    /* Offer every code object received in full to the node's code cache,
     * so later messages may refer to it by hash.  Lazy and bounded: the
     * last 1024 are hashed when a lookup misses (a reference that still
     * misses is reported as MISSING_CODE, and the sender resends). */
    bool cache_code;
    /* When not NULL, receives (as GBytes) the hashes of the code objects
     * referenced by hash that this node does not have; the decode then
     * fails with MISSING_CODE and the caller can fetch them and retry. */
    GPtrArray *missing;
} TmMarshalDecodeOptions;

/* The value encoded in data, or TM_EXC with *error set.  Symbols are
 * interned here, record types resolved by their uid, primitives by name,
 * pids of this node mapped to the live process's own pid. */
TmValue tm_marshal_decode(TmNode *n, const uint8_t *data, size_t len,
                          const TmMarshalLimits *limits, GError **error);
TmValue tm_marshal_decode_ex(TmNode *n, const uint8_t *data, size_t len,
                             const TmMarshalDecodeOptions *opts, GError **error);

/* The content hash of a code object (computed once, kept in its
 * TM_CODE_HASH slot) and the entry of the code in the node's cache.
 * false when the code cannot be encoded (a constant is a port...). */
bool tm_marshal_code_hash(TmNode *n, TmValue code, uint8_t out[TM_MARSHAL_HASH_LEN]);
/* A code object of the node's cache by hash, or TM_FALSE. */
TmValue tm_marshal_code_lookup(TmNode *n, const uint8_t *hash);

/* Check a code object's bytecode as the decoder does (for tests and for
 * code built by hand); false with *error set (VERIFY) when rejected. */
bool tm_marshal_verify_code(TmNode *n, TmValue code, GError **error);

#endif
