/*
 * world.h — everything a node knows of the world outside it.
 *
 * A node never reads a clock, draws a random number, opens a socket or
 * writes to a file descriptor by itself: it asks its TmWorld.  The real
 * world (world_real.c) answers with the monotonic clock, OS randomness and
 * the process's stdout/stderr; the simulator (sim/) answers with virtual
 * time, a seeded generator and an in-memory network.
 */
#ifndef TM_WORLD_H
#define TM_WORLD_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct TmWorld TmWorld;

typedef struct TmWorldOps {
    /* Monotonic time in nanoseconds since an arbitrary origin. */
    int64_t (*monotonic_ns)(TmWorld *w);
    /* Seconds since the POSIX epoch (current-second). */
    double (*wall_seconds)(TmWorld *w);
    /* 64 random bits. */
    uint64_t (*random_u64)(TmWorld *w);
    /* Console output: fd is 1 (stdout) or 2 (stderr). */
    void (*write)(TmWorld *w, int fd, const char *buf, size_t len);
    /* Nothing can run before monotonic time `until_ns`: wait for it (or
     * for an outside event, once there are sockets). */
    void (*idle)(TmWorld *w, int64_t until_ns);
    /* One JSON line for the trace sink; NULL when tracing is off. */
    void (*trace)(TmWorld *w, const char *line, size_t len);
    void (*destroy)(TmWorld *w);
} TmWorldOps;

struct TmWorld {
    const TmWorldOps *ops;
};

/* The real world.  seed 0 draws the random seed from the OS. */
TmWorld *tm_world_real_new(uint64_t seed);
/* Write the trace sink's lines to the file at path ("-": stderr). */
bool tm_world_real_trace_to(TmWorld *w, const char *path, GError **error);
void tm_world_free(TmWorld *w);

#endif
