/*
 * node.c — creating nodes, registering primitives, loading the Scheme
 * prelude, and the embedding API of termite.h.
 */
#include "termite.h"

#include "tm_config.h"

#include "compiler.h"
#include "heap.h"
#include "port.h"
#include "prims.h"
#include "process.h"
#include "printer.h"
#include "reader.h"
#include "vm.h"

extern const char tm_prelude_source[];
extern const size_t tm_prelude_length;
extern const TmPrimDef tm_prims_vm[];

static const TmPrimDef *const prim_tables[] = {
    tm_prims_vm, tm_prims_core, tm_prims_num, tm_prims_list,
    tm_prims_string, tm_prims_io, tm_prims_process, tm_prims_marshal,
};

static void define_global(TmNode *n, const char *name, TmValue v)
{
    tm_write(n, tm_intern(n, name), TM_SYM_VALUE, v);
}

/* Every primitive becomes a heap object bound to its name; the table index
 * is what the object stores, so the object can be marshalled by name. */
static void register_prims(TmNode *n)
{
    for (size_t t = 0; t < G_N_ELEMENTS(prim_tables); t++)
        for (const TmPrimDef *d = prim_tables[t]; d->name; d++) {
            g_ptr_array_add(n->prims, (gpointer)d);
            g_hash_table_insert(n->prim_index, (gpointer)d->name,
                                GINT_TO_POINTER(n->prims->len));
        }
    n->prim_vector = tm_make_vector(n, n->prims->len, TM_FALSE);
    for (guint i = 0; i < n->prims->len; i++) {
        const TmPrimDef *d = n->prims->pdata[i];
        TmValue p = tm_alloc(n, TM_T_PRIMITIVE, 2);
        TM_SLOT(p, 0) = tm_fix((intptr_t)i);
        TM_SLOT(p, 1) = tm_intern(n, d->name);
        TM_SLOT(n->prim_vector, i) = p;
        /* a later table wins: it can refine an earlier definition */
        define_global(n, d->name, p);
    }
}

static void make_console_params(TmNode *n)
{
    n->param_in = tm_make_parameter(n, tm_port_console(n, 0), TM_FALSE);
    n->param_out = tm_make_parameter(n, tm_port_console(n, 1), TM_FALSE);
    n->param_err = tm_make_parameter(n, tm_port_console(n, 2), TM_FALSE);
    define_global(n, "current-input-port", n->param_in);
    define_global(n, "current-output-port", n->param_out);
    define_global(n, "current-error-port", n->param_err);
}

/* Read, compile and run every form of a text; false on the first error
 * (left in vm.pending). */
static bool run_text(TmNode *n, const char *text, size_t len, const char *name,
                     TmValue *last)
{
    TmValue port = tm_port_open_input_utf8(n, text, len, name);
    tm_root_push(n, &port);
    bool ok = true;
    *last = TM_VOID;
    for (;;) {
        TmSourceMap *map = tm_source_map_new(name);
        n->heap.inhibit++;
        TmValue form = tm_read(n, port, map);
        TmValue thunk = form == TM_EXC || form == TM_EOF
                            ? form
                            : tm_compile_toplevel(n, form, map);
        n->heap.inhibit--;
        tm_source_map_free(map);
        if (thunk == TM_EOF)
            break;
        TmValue r = thunk == TM_EXC ? TM_EXC : tm_vm_apply(n, thunk, 0, NULL);
        if (r == TM_EXC) {
            ok = false;
            break;
        }
        *last = r;
    }
    tm_root_pop(n, 1);
    return ok;
}

static void load_prelude(TmNode *n)
{
    TmValue last;
    if (!run_text(n, tm_prelude_source, tm_prelude_length, "prelude", &last)) {
        char *shown = tm_print_short(n, n->vm.pending, 400);
        g_error("the prelude failed to load: %s\n%s", shown, n->vm.backtrace->str);
    }
    n->hooks[TM_H_RAISE] = TM_SLOT(tm_intern(n, "raise"), TM_SYM_VALUE);
}

TmNode *tm_node_new(TmWorld *world)
{
    TmNode *n = g_new0(TmNode, 1);
    n->world = world;
    tm_heap_init(n);
    n->heap.inhibit++;   /* no safe point runs before the node is whole */
    n->symbols = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    n->keywords = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    n->record_types = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    n->prims = g_ptr_array_new();
    n->prim_index = g_hash_table_new(g_str_hash, g_str_equal);
    for (int i = 0; i < 8; i++)
        n->cname_ring[i] = g_string_new(NULL);
    static const char *const names[] = {
#define X(c, s) s,
        TM_WELL_KNOWN_SYMBOLS(X)
#undef X
    };
    for (int i = 0; i < TM_S__COUNT; i++)
        n->sym[i] = tm_intern(n, names[i]);
    for (int i = 0; i < TM_H__COUNT; i++)
        n->hooks[i] = TM_FALSE;
    n->command_line = TM_NIL;
    n->param_in = n->param_out = n->param_err = TM_FALSE;
    n->marshal = TM_FALSE;
    n->prim_vector = TM_FALSE;
    n->lib_dir = TM_LIB_DIR;
    n->born_ns = n->world->ops->monotonic_ns(n->world);
    const char *plain = g_getenv("TERMITE_PLAIN_CODE");
    n->plain_code = plain && *plain && *plain != '0';
    tm_vm_init(n);
    tm_sched_init(n);
    /* the process that runs the program or the REPL */
    TmValue main_proc = tm_process_spawn(n, TM_FALSE, tm_intern(n, "main"));
    tm_write(n, main_proc, TM_PROC_STATE, tm_fix(TM_PS_RUNNING));
    n->sched.current = main_proc;
    n->vm.budget = 2000;
    tm_compiler_init(n);
    register_prims(n);
    tm_compiler_bind_inline_prims(n);
    make_console_params(n);
    n->heap.inhibit--;
    load_prelude(n);
    return n;
}

void tm_node_free(TmNode *n)
{
    if (!n)
        return;
    tm_node_flush(n);
    tm_heap_destroy(n);
    tm_vm_destroy(n);
    tm_sched_destroy(n);
    g_hash_table_destroy(n->symbols);
    g_hash_table_destroy(n->keywords);
    g_hash_table_destroy(n->record_types);
    g_ptr_array_free(n->prims, TRUE);
    g_hash_table_destroy(n->prim_index);
    for (int i = 0; i < 8; i++)
        g_string_free(n->cname_ring[i], TRUE);
    g_free(n);
}

/* ---- the embedding API --------------------------------------------------- */

void tm_node_set_command_line(TmNode *n, int argc, char **argv)
{
    TmValue l = TM_NIL;
    for (int i = argc; i-- > 0;)
        l = tm_cons(n, tm_string_from_utf8(n, argv[i], -1), l);
    n->command_line = l;
}

static TmPort *console(TmNode *n, TmValue param)
{
    TmValue p = param != TM_FALSE ? TM_SLOT(param, 0) : TM_FALSE;
    return tm_is_port(p) ? tm_port(p) : NULL;
}

void tm_node_flush(TmNode *n)
{
    TmPort *p = console(n, n->param_out);
    if (p)
        tm_port_flush(p);
    p = console(n, n->param_err);
    if (p)
        tm_port_flush(p);
}

static void err_write(TmNode *n, const char *s)
{
    n->world->ops->write(n->world, 2, s, strlen(s));
}

void tm_node_report_exception(TmNode *n, TmValue exc)
{
    tm_node_flush(n);
    GString *g = g_string_new("error: ");
    if (tm_is_error(exc)) {
        tm_string_append_utf8(g, TM_SLOT(exc, TM_ERR_MESSAGE));
        for (TmValue l = TM_SLOT(exc, TM_ERR_IRRITANTS); tm_is_pair(l); l = tm_cdr(l)) {
            char *s = tm_print_short(n, tm_car(l), 200);
            g_string_append_printf(g, " %s", s);
            g_free(s);
        }
        TmValue loc = TM_SLOT(exc, TM_ERR_LOCATION);
        if (tm_is_string(loc)) {
            g_string_append(g, "\n  at ");
            tm_string_append_utf8(g, loc);
        }
    } else {
        char *s = tm_print_short(n, exc, 400);
        g_string_append_printf(g, "uncaught exception: %s", s);
        g_free(s);
    }
    g_string_append_c(g, '\n');
    if (n->vm.backtrace->len) {
        g_string_append(g, "backtrace:\n");
        g_string_append(g, n->vm.backtrace->str);
        g_string_truncate(n->vm.backtrace, 0);
    }
    err_write(n, g->str);
    g_string_free(g, TRUE);
}

/* An escape from a run is an exit or an uncaught exception. */
static TmEvalStatus escape_status(TmNode *n)
{
    if (n->vm.exiting)
        return TM_EVAL_EXIT;
    tm_node_report_exception(n, n->vm.pending);
    n->vm.pending = TM_FALSE;
    return TM_EVAL_ERROR;
}

static bool is_incomplete(TmNode *n)
{
    TmValue e = n->vm.pending;
    if (!tm_is_error(e) || TM_SLOT(e, TM_ERR_KIND) != n->sym[TM_S_read_error])
        return false;
    char *msg = tm_string_to_utf8(TM_SLOT(e, TM_ERR_MESSAGE));
    bool inc = strstr(msg, "unterminated") != NULL ||
               strstr(msg, "end of input") != NULL ||
               strstr(msg, "end of file") != NULL;
    g_free(msg);
    return inc;
}

static bool is_incomplete(TmNode *n);

/* Whether text ends inside a datum; reading only, nothing is evaluated. */
static bool text_incomplete(TmNode *n, const char *text)
{
    TmValue port = tm_port_open_input_utf8(n, text, strlen(text), "<input>");
    bool incomplete = false;
    n->heap.inhibit++;
    for (;;) {
        TmValue form = tm_read(n, port, NULL);
        if (form == TM_EOF)
            break;
        if (form == TM_EXC) {
            incomplete = is_incomplete(n);
            n->vm.pending = TM_FALSE;
            break;
        }
    }
    n->heap.inhibit--;
    return incomplete;
}

static TmValue global(TmNode *n, const char *name)
{
    return TM_SLOT(tm_intern(n, name), TM_SYM_VALUE);
}

/* After an uncaught error the dynamic environment is the one of the
 * raise.  Leave the dynamic-wind extents the failed evaluation was in
 * (their after thunks run, as on exit) and go back to `saved`, the
 * environment from before it: the next evaluation must not run with the
 * failed one's handlers and parameter bindings. */
static TmEvalStatus unwind_after_error(TmNode *n, TmValue saved)
{
    TmEvalStatus st = TM_EVAL_ERROR;
    TmValue now = n->vm.dynenv, wind = global(n, "%wind-to");
    if (tm_is_vector(now) && tm_vector_length(now) == TM_DYN_NSLOTS &&
        tm_is_vector(saved) && tm_vector_length(saved) == TM_DYN_NSLOTS &&
        TM_SLOT(now, TM_DYN_WINDERS) != TM_SLOT(saved, TM_DYN_WINDERS) &&
        tm_is_closure(wind)) {
        TmValue target = TM_SLOT(saved, TM_DYN_WINDERS);
        tm_root_push(n, &saved);
        if (tm_vm_apply(n, wind, 1, &target) == TM_EXC)
            st = escape_status(n);
        tm_root_pop(n, 1);
    }
    n->vm.dynenv = saved;
    return st;
}

/* After an entry that ended the main process (terminate! of itself, or of
 * it by another process), the next entry runs in a new main process, as
 * a new shell does. */
static void revive_main(TmNode *n)
{
    TmValue main_proc = n->sched.current;
    if (tm_is_process(main_proc) && tm_process_state(main_proc) != TM_PS_DEAD)
        return;
    main_proc = tm_process_spawn(n, TM_FALSE, tm_intern(n, "main"));
    tm_write(n, main_proc, TM_PROC_STATE, tm_fix(TM_PS_RUNNING));
    n->sched.current = main_proc;
}

TmEvalStatus tm_node_eval_string(TmNode *n, const char *text, const char *name,
                                 TmValue *result)
{
    TmValue last = TM_VOID, dynenv = n->vm.dynenv;
    if (text_incomplete(n, text))
        return TM_EVAL_INCOMPLETE;
    tm_root_push(n, &dynenv);
    bool ok = run_text(n, text, strlen(text), name, &last);
    tm_root_pop(n, 1);
    if (result)
        *result = last;
    tm_node_flush(n);
    if (ok)
        return TM_EVAL_OK;
    if (!n->vm.exiting && is_incomplete(n)) {
        n->vm.pending = TM_FALSE;
        return TM_EVAL_INCOMPLETE;
    }
    TmEvalStatus st = escape_status(n);
    if (st == TM_EVAL_ERROR)
        st = unwind_after_error(n, dynenv);
    revive_main(n);
    return st;
}

/* ---- the main program waiting: background processes and interrupts ----- */

TmEvalStatus tm_node_run_background(TmNode *n, int64_t max_ns, int64_t *wait_ns)
{
    TmValue main_proc = n->sched.current, yield = global(n, "%yield");
    int64_t start = tm_node_now_ns(n);
    *wait_ns = -1;
    if (n->vm.depth != 0 || !tm_is_process(main_proc) ||
        tm_process_state(main_proc) == TM_PS_DEAD || !tm_is_closure(yield))
        return TM_EVAL_OK;
    for (;;) {
        int64_t now = tm_node_now_ns(n);
        tm_sched_fire_timers(n, now);
        if (!tm_sched_has_runnable(n))
            break;
        if (now - start >= max_ns) {
            *wait_ns = 0;
            return TM_EVAL_OK;
        }
        /* the main program calls %yield with its time slice used up: it
         * goes to the back of the run queue, and the call returns once
         * every runnable process has had a slice */
        n->vm.budget = 1;
        if (tm_vm_apply(n, yield, 0, NULL) == TM_EXC) {
            tm_node_flush(n);
            n->vm.pending = TM_FALSE;
            return n->vm.exiting ? TM_EVAL_EXIT : TM_EVAL_ERROR;
        }
    }
    tm_node_flush(n);
    int64_t deadline = tm_sched_next_deadline(n);
    if (deadline >= 0)
        *wait_ns = MAX(deadline - tm_node_now_ns(n), 0);
    return TM_EVAL_OK;
}

/*
 * Interrupts.  A client asks for one from any thread (the REPL does on
 * Ctrl-C): that only sets vm.interrupt.  The node acts on it at a safe
 * point: the VM looks at the flag when a time slice ends, so a running
 * loop is interrupted within one slice, and a world whose idle operation
 * wakes up for the request calls tm_node_take_interrupt, so a node that
 * waits is interrupted at once.  The interrupt is an error raised in the
 * process that started the run (the main program): at once when it runs,
 * when it is next scheduled when it is runnable, by waking it up from its
 * receive when it waits.
 */
void tm_node_request_interrupt(TmNode *n) { g_atomic_int_set(&n->vm.interrupt, 1); }

bool tm_node_clear_interrupt(TmNode *n)
{
    return g_atomic_int_exchange(&n->vm.interrupt, 0) != 0;
}

bool tm_node_take_interrupt(TmNode *n)
{
    TmValue owner = n->vm.owner;
    if (!g_atomic_int_get(&n->vm.interrupt) || n->vm.depth == 0 ||
        !tm_is_process(owner))
        return false;
    TmProcState st = tm_process_state(owner);
    if (st == TM_PS_DEAD) {
        tm_node_clear_interrupt(n);
        return false;
    }
    if (st == TM_PS_RUNNABLE || (st == TM_PS_RUNNING && n->sched.current != owner))
        return false;
    tm_node_clear_interrupt(n);
    tm_error(n, NULL, "interrupted", TM_NIL);
    if (st == TM_PS_RUNNING)
        return true;
    /* waiting in a receive: resume it with a raise, as for a deadlock */
    tm_write(n, owner, TM_PROC_PROC, n->hooks[TM_H_RAISE]);
    tm_write(n, owner, TM_PROC_ARGS, tm_cons(n, n->vm.pending, TM_NIL));
    n->vm.pending = TM_FALSE;
    tm_sched_enqueue(n, owner);
    return false;
}

int tm_node_run_file(TmNode *n, const char *path)
{
    TmValue load = TM_SLOT(tm_intern(n, "load"), TM_SYM_VALUE);
    TmValue arg = tm_string_from_utf8(n, path, -1);
    if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
        char *msg = g_strdup_printf("termite: cannot read file \"%s\": %s\n", path,
                                    g_file_test(path, G_FILE_TEST_EXISTS)
                                        ? "not a regular file"
                                        : "No such file or directory");
        err_write(n, msg);
        g_free(msg);
        return 66;
    }
    TmValue r = tm_vm_apply(n, load, 1, &arg);
    tm_node_flush(n);
    if (r != TM_EXC)
        return 0;
    return escape_status(n) == TM_EVAL_EXIT ? n->vm.exit_code : 70;
}

char *tm_node_write_string(TmNode *n, TmValue v)
{
    GString *g = g_string_new(NULL);
    tm_print(n, v, TM_PRINT_WRITE, g);
    return g_string_free(g, FALSE);
}

static gint compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

GPtrArray *tm_node_global_names(TmNode *n)
{
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    GHashTableIter it;
    gpointer key, val;
    g_hash_table_iter_init(&it, n->symbols);
    while (g_hash_table_iter_next(&it, &key, &val))
        if (TM_SLOT((TmValue)val, TM_SYM_VALUE) != TM_UNBOUND)
            g_ptr_array_add(names, g_strdup(key));
    g_ptr_array_sort(names, compare_names);
    return names;
}

int tm_node_exit_code(TmNode *n) { return n->vm.exit_code; }
