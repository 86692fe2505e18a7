/*
 * trace.c — JSON lines for the trace sink (see trace.h).
 */
#include "trace.h"

#include "printer.h"
#include "process.h"

#define MAX_SHOWN 200

static void append_json_string(GString *out, const char *s, gssize len)
{
    g_string_append_c(out, '"');
    const char *end = len < 0 ? s + strlen(s) : s + len;
    for (const char *p = s; p < end; p++) {
        unsigned char c = (unsigned char)*p;
        switch (c) {
        case '"': g_string_append(out, "\\\""); break;
        case '\\': g_string_append(out, "\\\\"); break;
        case '\n': g_string_append(out, "\\n"); break;
        case '\r': g_string_append(out, "\\r"); break;
        case '\t': g_string_append(out, "\\t"); break;
        default:
            if (c < 0x20)
                g_string_append_printf(out, "\\u%04x", c);
            else
                g_string_append_c(out, (char)c); /* UTF-8 passes through */
        }
    }
    g_string_append_c(out, '"');
}

static void append_node_name(GString *out, TmValue node)
{
    GString *name = g_string_new(NULL);
    tm_node_address(node, name);
    append_json_string(out, name->str, (gssize)name->len);
    g_string_free(name, TRUE);
}

static void key(TmTrace *t, const char *k)
{
    g_string_append_printf(t->line, ",\"%s\":", k);
}

bool tm_trace_begin_slow(TmNode *n, TmTrace *t, const char *ev)
{
    t->n = n;
    t->line = g_string_sized_new(128);
    g_string_append_printf(t->line, "{\"seq\":%" G_GUINT64_FORMAT ",\"t\":%" G_GINT64_FORMAT
                           ",\"node\":", n->trace_seq++, tm_node_now_ns(n) - n->born_ns);
    append_node_name(t->line, n->sched.self_node);
    key(t, "ev");
    append_json_string(t->line, ev, -1);
    return true;
}

void tm_trace_pid(TmTrace *t, const char *k, TmValue pid)
{
    key(t, k);
    if (!tm_is_pid(pid)) {
        g_string_append(t->line, "null");
        return;
    }
    TmValue num = TM_SLOT(pid, TM_PID_NUMBER);
    g_string_append(t->line, "{\"node\":");
    append_node_name(t->line, TM_SLOT(pid, TM_PID_NODE));
    g_string_append_printf(t->line, ",\"n\":%" G_GINTPTR_FORMAT "}",
                           tm_is_fixnum(num) ? tm_fixval(num) : (intptr_t)-1);
}

void tm_trace_int(TmTrace *t, const char *k, int64_t v)
{
    key(t, k);
    g_string_append_printf(t->line, "%" G_GINT64_FORMAT, v);
}

void tm_trace_str(TmTrace *t, const char *k, const char *s)
{
    key(t, k);
    append_json_string(t->line, s, -1);
}

void tm_trace_value(TmTrace *t, const char *k, TmValue v)
{
    char *shown = tm_print_short(t->n, v, MAX_SHOWN);
    key(t, k);
    append_json_string(t->line, shown, -1);
    g_free(shown);
}

void tm_trace_end(TmTrace *t)
{
    g_string_append(t->line, "}\n");
    TmWorld *w = t->n->world;
    if (w->ops->trace)
        w->ops->trace(w, t->line->str, t->line->len);
    g_string_free(t->line, TRUE);
    t->line = NULL;
}
