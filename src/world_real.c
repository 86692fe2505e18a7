/*
 * world_real.c — the world of an ordinary OS process: monotonic clock,
 * OS randomness (or a fixed seed), stdout and stderr.
 */
#include "world.h"

#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    TmWorld base;
    GRand *rand;
    FILE *trace;               /* the trace sink, or NULL */
    TmWorldOps traced_ops;     /* real_ops with the trace sink on */
} RealWorld;

static int64_t real_monotonic_ns(TmWorld *w)
{
    (void)w;
    return g_get_monotonic_time() * 1000;
}

static double real_wall_seconds(TmWorld *w)
{
    (void)w;
    return (double)g_get_real_time() / 1e6;
}

static uint64_t real_random_u64(TmWorld *w)
{
    RealWorld *rw = (RealWorld *)w;
    uint64_t hi = g_rand_int(rw->rand), lo = g_rand_int(rw->rand);
    return hi << 32 | lo;
}

static void real_write(TmWorld *w, int fd, const char *buf, size_t len)
{
    (void)w;
    while (len > 0) {
        ssize_t k = write(fd == 2 ? 2 : 1, buf, len);
        if (k <= 0)
            return;
        buf += k;
        len -= (size_t)k;
    }
}

static void real_idle(TmWorld *w, int64_t until_ns)
{
    int64_t now = real_monotonic_ns(w);
    if (until_ns > now)
        g_usleep((gulong)((until_ns - now + 999) / 1000));
}

static void real_trace(TmWorld *w, const char *line, size_t len)
{
    RealWorld *rw = (RealWorld *)w;
    if (rw->trace)
        fwrite(line, 1, len, rw->trace);
}

static void real_destroy(TmWorld *w)
{
    RealWorld *rw = (RealWorld *)w;
    g_rand_free(rw->rand);
    if (rw->trace)
        fclose(rw->trace);
    g_free(rw);
}

static const TmWorldOps real_ops = {
    .monotonic_ns = real_monotonic_ns,
    .wall_seconds = real_wall_seconds,
    .random_u64 = real_random_u64,
    .write = real_write,
    .idle = real_idle,
    .trace = NULL,
    .destroy = real_destroy,
};

bool tm_world_real_trace_to(TmWorld *w, const char *path, GError **error)
{
    RealWorld *rw = (RealWorld *)w;
    FILE *f = strcmp(path, "-") == 0 ? fdopen(dup(2), "w") : fopen(path, "w");
    if (!f) {
        int e = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e),
                    "cannot write the trace to %s: %s", path, g_strerror(e));
        return false;
    }
    if (rw->trace)
        fclose(rw->trace);
    rw->trace = f;
    rw->traced_ops = *rw->base.ops;
    rw->traced_ops.trace = real_trace;
    rw->base.ops = &rw->traced_ops;
    return true;
}

TmWorld *tm_world_real_new(uint64_t seed)
{
    RealWorld *rw = g_new0(RealWorld, 1);
    rw->base.ops = &real_ops;
    rw->rand = seed ? g_rand_new_with_seed_array((const guint32 *)&seed, 2)
                    : g_rand_new();
    return &rw->base;
}

void tm_world_free(TmWorld *w)
{
    if (w)
        w->ops->destroy(w);
}
