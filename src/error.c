/*
 * error.c — how primitives raise Scheme exceptions: build the object,
 * leave it in vm.pending and return TM_EXC; the VM raises it at the call
 * site (see vm.c, raise_pending).
 */
#include <stdarg.h>

#include "prims.h"
#include "printer.h"

TmValue tm_raise_obj(TmNode *n, TmValue obj)
{
    n->vm.pending = obj;
    return TM_EXC;
}

TmValue tm_error_kind(TmNode *n, TmValue kind, const char *who,
                      const char *message, TmValue irritants)
{
    TmValue w = who ? tm_intern(n, who) : TM_FALSE;
    char *full = who ? g_strdup_printf("%s: %s", who, message) : g_strdup(message);
    TmValue msg = tm_string_from_utf8(n, full, -1);
    g_free(full);
    return tm_raise_obj(n, tm_make_error(n, kind, msg, irritants, w));
}

TmValue tm_error(TmNode *n, const char *who, const char *message, TmValue irritants)
{
    return tm_error_kind(n, n->sym[TM_S_error], who, message, irritants);
}

TmValue tm_errorf(TmNode *n, const char *who, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    TmValue r = tm_error(n, who, msg, TM_NIL);
    g_free(msg);
    return r;
}

static const char *ordinal_arg(int argno, char *buf, size_t len)
{
    if (argno <= 0)
        return "argument";
    g_snprintf(buf, len, "argument %d", argno);
    return buf;
}

/* Type and range errors show the offending value in the message, cut to
 * a readable length, and so carry no irritants: a report prints the
 * message and then the irritants, and would show the value twice. */
TmValue tm_type_error(TmNode *n, const char *who, int argno,
                      const char *expected, TmValue got)
{
    char buf[32];
    char *shown = tm_print_short(n, got, 60);
    char *msg = g_strdup_printf("%s must be %s %s, got %s",
                                ordinal_arg(argno, buf, sizeof buf),
                                strchr("aeiou", expected[0]) ? "an" : "a",
                                expected, shown);
    TmValue r = tm_error(n, who, msg, TM_NIL);
    g_free(shown);
    g_free(msg);
    return r;
}

TmValue tm_range_error(TmNode *n, const char *who, int argno, TmValue got)
{
    char buf[32];
    char *shown = tm_print_short(n, got, 60);
    char *msg = g_strdup_printf("%s out of range: %s",
                                ordinal_arg(argno, buf, sizeof buf), shown);
    TmValue r = tm_error(n, who, msg, TM_NIL);
    g_free(shown);
    g_free(msg);
    return r;
}

bool tm_get_index(TmNode *n, const char *who, int argno, TmValue v,
                  size_t limit, size_t *out)
{
    if (!tm_is_fixnum(v)) {
        tm_type_error(n, who, argno, "exact integer", v);
        return false;
    }
    intptr_t i = tm_fixval(v);
    if (i < 0 || (size_t)i >= limit) {
        tm_range_error(n, who, argno, v);
        return false;
    }
    *out = (size_t)i;
    return true;
}
