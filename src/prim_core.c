/*
 * prim_core.c — core primitives: type predicates, values, records, error
 * objects, parameters, promises, the dynamic environment, eval support,
 * and the rejection of mutation.
 */
#include "compiler.h"
#include "port.h"
#include "prims.h"
#include "printer.h"
#include "syntax.h"
#include "vm.h"

TM_PRIM(p_not) { TM_UNUSED_ARGS; return tm_bool(argv[0] == TM_FALSE); }

TM_PRIM(p_booleanp) { TM_UNUSED_ARGS; return tm_bool(argv[0] == TM_TRUE || argv[0] == TM_FALSE); }

TM_PRIM(p_boolean_eq)
{
    for (int i = 0; i < argc; i++)
        TM_CHECK(n, argv[i] == TM_TRUE || argv[i] == TM_FALSE, "boolean=?", i + 1,
                 "boolean", argv[i]);
    for (int i = 1; i < argc; i++)
        if (argv[i] != argv[0])
            return TM_FALSE;
    return TM_TRUE;
}

TM_PRIM(p_procedurep) { TM_UNUSED_ARGS; return tm_bool(tm_is_procedure(argv[0])); }
TM_PRIM(p_default_objectp) { TM_UNUSED_ARGS; return tm_bool(argv[0] == TM_DEFAULT); }
TM_PRIM(p_void) { TM_UNUSED_ARGS; return TM_VOID; }

TM_PRIM(p_values) { return tm_make_values(n, (size_t)argc, argv); }

/* ---- the dynamic environment -------------------------------------------- */

TM_PRIM(p_dynenv) { TM_UNUSED_ARGS; return n->vm.dynenv; }

TM_PRIM(p_set_dynenv)
{
    TM_CHECK(n, tm_is_vector(argv[0]) && tm_vector_length(argv[0]) == TM_DYN_NSLOTS,
             "%set-dynenv!", 1, "dynamic environment", argv[0]);
    n->vm.dynenv = argv[0];
    return TM_VOID;
}

/* ---- records -------------------------------------------------------------- */

TM_PRIM(p_make_record_type)
{
    TM_UNUSED_ARGS;
    TM_CHECK(n, tm_is_symbol(argv[0]), "%make-record-type", 1, "symbol", argv[0]);
    TM_CHECK(n, tm_is_vector(argv[1]), "%make-record-type", 2, "vector", argv[1]);
    return tm_make_record_type(n, argv[0], argv[1]);
}

TM_PRIM(p_record)
{
    TmValue type = argv[0];
    TM_CHECK(n, tm_has_type(type, TM_T_RECORD_TYPE), "%record", 1, "record type", type);
    size_t nfields = tm_vector_length(TM_SLOT(type, TM_RT_FIELDS));
    if ((size_t)argc - 1 != nfields)
        return tm_errorf(n, "%record", "wrong number of fields");
    TmValue r = tm_alloc(n, TM_T_RECORD, 1 + nfields);
    TM_SLOT(r, 0) = type;
    for (size_t i = 0; i < nfields; i++)
        TM_SLOT(r, 1 + i) = argv[1 + i];
    return r;
}

TM_PRIM(p_recordp_of)
{
    TM_UNUSED_ARGS;
    return tm_bool(tm_is_record(argv[0]) && TM_SLOT(argv[0], 0) == argv[1]);
}

TM_PRIM(p_recordp) { TM_UNUSED_ARGS; return tm_bool(tm_is_record(argv[0])); }

TM_PRIM(p_record_ref)
{
    TM_UNUSED_ARGS;
    TmValue r = argv[0], type = argv[1];
    size_t i = (size_t)tm_fixval(argv[2]);
    if (!tm_is_record(r) || TM_SLOT(r, 0) != type) {
        const char *tn = tm_has_type(type, TM_T_RECORD_TYPE)
                             ? tm_symbol_cname(n, TM_SLOT(type, TM_RT_NAME))
                             : "record";
        TmValue field = TM_SLOT(TM_SLOT(type, TM_RT_FIELDS), i);
        char *who = g_strdup_printf("%s-%s", tn, tm_symbol_cname(n, field));
        TmValue e = tm_type_error(n, who, 1, tn, r);
        g_free(who);
        return e;
    }
    return TM_SLOT(r, 1 + i);
}

/* ---- error objects ------------------------------------------------------------ */

/* (error message irritant ...): message is usually a string; a symbol
 * first (SRFI 23 style "who") is shown before the message. */
TM_PRIM(p_error)
{
    TmValue msg = argv[0], irritants = tm_list_from_array(n, (size_t)argc - 1, argv + 1);
    TmValue who = TM_FALSE;
    if (!tm_is_string(msg)) {
        GString *g = g_string_new(NULL);
        tm_print(n, msg, TM_PRINT_DISPLAY, g);
        if (tm_is_symbol(msg) && tm_is_pair(irritants) && tm_is_string(tm_car(irritants))) {
            who = msg;
            g_string_append(g, ": ");
            tm_string_append_utf8(g, tm_car(irritants));
            irritants = tm_cdr(irritants);
        }
        msg = tm_string_from_utf8(n, g->str, (ptrdiff_t)g->len);
        g_string_free(g, TRUE);
    }
    return tm_raise_obj(n, tm_make_error(n, n->sym[TM_S_error], msg, irritants, who));
}

TM_PRIM(p_make_error)
{
    TM_UNUSED_ARGS;
    return tm_make_error(n, argv[0], argv[1], argv[2], argc > 3 ? argv[3] : TM_FALSE);
}

TM_PRIM(p_error_objectp) { TM_UNUSED_ARGS; return tm_bool(tm_is_error(argv[0])); }

TM_PRIM(p_error_object_message)
{
    TM_UNUSED_ARGS;
    TM_CHECK(n, tm_is_error(argv[0]), "error-object-message", 1, "error object", argv[0]);
    return TM_SLOT(argv[0], TM_ERR_MESSAGE);
}

TM_PRIM(p_error_object_irritants)
{
    TM_UNUSED_ARGS;
    TM_CHECK(n, tm_is_error(argv[0]), "error-object-irritants", 1, "error object", argv[0]);
    return TM_SLOT(argv[0], TM_ERR_IRRITANTS);
}

TM_PRIM(p_error_object_location)
{
    TM_UNUSED_ARGS;
    TM_CHECK(n, tm_is_error(argv[0]), "error-object-location", 1, "error object", argv[0]);
    return TM_SLOT(argv[0], TM_ERR_LOCATION);
}

TM_PRIM(p_error_object_who)
{
    TM_UNUSED_ARGS;
    TM_CHECK(n, tm_is_error(argv[0]), "error-object-who", 1, "error object", argv[0]);
    return TM_SLOT(argv[0], TM_ERR_WHO);
}

TM_PRIM(p_file_errorp)
{
    TM_UNUSED_ARGS;
    return tm_bool(tm_is_error(argv[0]) &&
                   TM_SLOT(argv[0], TM_ERR_KIND) == n->sym[TM_S_file_error]);
}

TM_PRIM(p_read_errorp)
{
    TM_UNUSED_ARGS;
    return tm_bool(tm_is_error(argv[0]) &&
                   TM_SLOT(argv[0], TM_ERR_KIND) == n->sym[TM_S_read_error]);
}

/* ---- parameters and promises ----------------------------------------------- */

TM_PRIM(p_make_parameter)
{
    TM_UNUSED_ARGS;
    return tm_make_parameter(n, argv[0], argc > 1 ? argv[1] : TM_FALSE);
}

TM_PRIM(p_parameterp) { TM_UNUSED_ARGS; return tm_bool(tm_has_type(argv[0], TM_T_PARAMETER)); }

TM_PRIM(p_parameter_converter)
{
    TM_UNUSED_ARGS;
    TM_CHECK(n, tm_has_type(argv[0], TM_T_PARAMETER), "parameterize", 1, "parameter",
             argv[0]);
    return TM_SLOT(argv[0], 1);
}

static TmValue make_promise(TmNode *n, bool done, TmValue v)
{
    TmValue p = tm_alloc(n, TM_T_PROMISE, 2);
    TM_SLOT(p, 0) = tm_bool(done);
    TM_SLOT(p, 1) = v;
    return p;
}

TM_PRIM(p_make_lazy_promise) { TM_UNUSED_ARGS; return make_promise(n, false, argv[0]); }
TM_PRIM(p_make_eager_promise) { TM_UNUSED_ARGS; return make_promise(n, true, argv[0]); }
TM_PRIM(p_promisep) { TM_UNUSED_ARGS; return tm_bool(tm_has_type(argv[0], TM_T_PROMISE)); }
TM_PRIM(p_promise_donep) { TM_UNUSED_ARGS; return TM_SLOT(argv[0], 0); }
TM_PRIM(p_promise_value) { TM_UNUSED_ARGS; return TM_SLOT(argv[0], 1); }

/* (%promise-update! new old): old takes new's state (R7RS reference
 * implementation of force).  Promises are the runtime's own mutable
 * objects, hence the write barrier. */
TM_PRIM(p_promise_update)
{
    TM_UNUSED_ARGS;
    TmValue from = argv[0], to = argv[1];
    tm_write(n, to, 0, TM_SLOT(from, 0));
    tm_write(n, to, 1, TM_SLOT(from, 1));
    return TM_VOID;
}

/* ---- boxes (immutable: Termite has no set-box!) ------------------------------- */

TM_PRIM(p_box) { TM_UNUSED_ARGS; return tm_make_box(n, argv[0]); }
TM_PRIM(p_boxp) { TM_UNUSED_ARGS; return tm_bool(tm_has_type(argv[0], TM_T_BOX)); }
TM_PRIM(p_unbox)
{
    TM_UNUSED_ARGS;
    TM_CHECK(n, tm_has_type(argv[0], TM_T_BOX), "unbox", 1, "box", argv[0]);
    return TM_SLOT(argv[0], 0);
}

/* ---- eval support ------------------------------------------------------------------ */

TM_PRIM(p_compile)
{
    TM_UNUSED_ARGS;
    return tm_compile_toplevel(n, argv[0], NULL);
}

/* Read one datum from a port and compile it, with source positions, into
 * a thunk; the eof object at the end.  `load` is a loop over this. */
TM_PRIM(p_read_compile)
{
    TM_UNUSED_ARGS;
    TM_CHECK(n, tm_is_port(argv[0]), "load", 1, "input port", argv[0]);
    TmPort *p = tm_port(argv[0]);
    TmSourceMap *map = tm_source_map_new(p->name);
    TmValue form = tm_read(n, argv[0], map);
    TmValue r = form;
    if (form != TM_EXC && form != TM_EOF)
        r = tm_compile_toplevel(n, form, map);
    tm_source_map_free(map);
    return r;
}

TM_PRIM(p_environment)
{
    TM_UNUSED_ARGS;
    return tm_alloc(n, TM_T_ENVIRONMENT, 0);
}

/* (%key-ref rest keyword): the value after keyword in a keyword argument
 * list, or #!default. */
TM_PRIM(p_key_ref)
{
    TM_UNUSED_ARGS;
    TmValue l = argv[0];
    for (; tm_is_pair(l); l = tm_cddr(l)) {
        if (!tm_is_keyword(tm_car(l)) || !tm_is_pair(tm_cdr(l)))
            return tm_error(n, NULL, "bad keyword argument list", tm_cons(n, argv[0], TM_NIL));
        if (tm_car(l) == argv[1])
            return tm_cadr(l);
    }
    return TM_DEFAULT;
}

/* (%check-keys rest allowed): every keyword of a keyword argument list
 * must be one the procedure declares. */
TM_PRIM(p_check_keys)
{
    TM_UNUSED_ARGS;
    for (TmValue l = argv[0]; tm_is_pair(l); l = tm_cddr(l)) {
        bool known = false;
        for (TmValue a = argv[1]; tm_is_pair(a); a = tm_cdr(a))
            known |= tm_car(a) == tm_car(l);
        if (!known)
            return tm_error(n, NULL, "unknown keyword argument", tm_cons(n, tm_car(l), TM_NIL));
        if (!tm_is_pair(tm_cdr(l)))
            return tm_error(n, NULL, "keyword argument without a value",
                            tm_cons(n, tm_car(l), TM_NIL));
    }
    return TM_VOID;
}

/* (%arity-accepts? proc n) for case-lambda */
TM_PRIM(p_arity_accepts)
{
    TM_UNUSED_ARGS;
    TmValue p = argv[0];
    intptr_t k = tm_fixval(argv[1]);
    if (!tm_is_closure(p))
        return TM_TRUE;
    intptr_t ar = tm_fixval(TM_SLOT(tm_closure_code(p), TM_CODE_ARITY));
    intptr_t nreq = ar & 0xffff, nopt = (ar >> 16) & 0xffff;
    bool rest = (ar >> 32) & 1;
    return tm_bool(k >= nreq && (rest || k <= nreq + nopt));
}

TM_PRIM(p_procedure_name)
{
    TM_UNUSED_ARGS;
    if (tm_is_closure(argv[0]))
        return TM_SLOT(tm_closure_code(argv[0]), TM_CODE_NAME);
    if (tm_is_primitive(argv[0]))
        return TM_SLOT(argv[0], 1);
    return TM_FALSE;
}

TM_PRIM(p_backtrace)
{
    TM_UNUSED_ARGS;
    GString *g = g_string_new(NULL);
    tm_vm_backtrace(n, g, 30);
    TmValue s = tm_string_from_utf8(n, g->str, (ptrdiff_t)g->len);
    g_string_free(g, TRUE);
    return s;
}

TM_PRIM(p_disassemble)
{
    TM_UNUSED_ARGS;
    TmValue code = argv[0];
    if (tm_is_closure(code))
        code = tm_closure_code(code);
    TM_CHECK(n, tm_is_code(code), "disassemble", 1, "compiled procedure", argv[0]);
    GString *g = g_string_new(NULL);
    tm_disassemble(n, code, g);
    TmValue s = tm_string_from_utf8(n, g->str, (ptrdiff_t)g->len);
    g_string_free(g, TRUE);
    return s;
}

TM_PRIM(p_gc)
{
    TM_UNUSED_ARGS;
    n->heap.gc_pending = true;
    return TM_VOID;
}

TM_PRIM(p_heap_stats)
{
    TM_UNUSED_ARGS;
    TmHeapStats s = tm_heap_stats(n);
    TmValue items[4] = {tm_fix((intptr_t)s.minor), tm_fix((intptr_t)s.major),
                        tm_fix((intptr_t)s.old_bytes), tm_fix(n->vm.reductions)};
    return tm_list_from_array(n, 4, items);
}

/* ---- mutation is not in the language ---------------------------------------------- */

static TmValue no_mutation(TmNode *n, const char *who)
{
    return tm_errorf(n, who, "mutation is not supported in Termite; state lives "
                             "in processes (paper section 4.6)");
}

#define MUTATOR(cname, sname) \
    TM_PRIM(cname) { TM_UNUSED_ARGS; return no_mutation(n, sname); }
MUTATOR(p_set_car, "set-car!")
MUTATOR(p_set_cdr, "set-cdr!")
MUTATOR(p_vector_set, "vector-set!")
MUTATOR(p_vector_fill, "vector-fill!")
MUTATOR(p_vector_copy_to, "vector-copy!")
MUTATOR(p_string_set, "string-set!")
MUTATOR(p_string_fill, "string-fill!")
MUTATOR(p_string_copy_to, "string-copy!")
MUTATOR(p_bytevector_set, "bytevector-u8-set!")
MUTATOR(p_bytevector_copy_to, "bytevector-copy!")
MUTATOR(p_bytevector_fill, "bytevector-fill!")
MUTATOR(p_u8vector_set, "u8vector-set!")
MUTATOR(p_set_box, "set-box!")
MUTATOR(p_list_set, "list-set!")
MUTATOR(p_read_bytevector_to, "read-bytevector!")

const TmPrimDef tm_prims_core[] = {
    {"not", p_not, 1, 1, 0},
    {"boolean?", p_booleanp, 1, 1, 0},
    {"boolean=?", p_boolean_eq, 2, -1, 0},
    {"procedure?", p_procedurep, 1, 1, 0},
    {"default-object?", p_default_objectp, 1, 1, 0},
    {"void", p_void, 0, -1, 0},
    {"values", p_values, 0, -1, 0},
    {"%dynenv", p_dynenv, 0, 0, 0},
    {"%set-dynenv!", p_set_dynenv, 1, 1, 0},
    {"%make-record-type", p_make_record_type, 2, 2, 0},
    {"%record", p_record, 1, -1, 0},
    {"%record?", p_recordp_of, 2, 2, 0},
    {"%record-ref", p_record_ref, 3, 3, 0},
    {"record?", p_recordp, 1, 1, 0},
    {"error", p_error, 1, -1, 0},
    {"%make-error", p_make_error, 3, 4, 0},
    {"error-object?", p_error_objectp, 1, 1, 0},
    {"error-object-message", p_error_object_message, 1, 1, 0},
    {"error-object-irritants", p_error_object_irritants, 1, 1, 0},
    {"error-object-location", p_error_object_location, 1, 1, 0},
    {"error-object-who", p_error_object_who, 1, 1, 0},
    {"file-error?", p_file_errorp, 1, 1, 0},
    {"read-error?", p_read_errorp, 1, 1, 0},
    {"%make-parameter", p_make_parameter, 1, 2, 0},
    {"parameter?", p_parameterp, 1, 1, 0},
    {"%parameter-converter", p_parameter_converter, 1, 1, 0},
    {"%make-lazy-promise", p_make_lazy_promise, 1, 1, 0},
    {"%make-eager-promise", p_make_eager_promise, 1, 1, 0},
    {"promise?", p_promisep, 1, 1, 0},
    {"%promise-done?", p_promise_donep, 1, 1, 0},
    {"%promise-value", p_promise_value, 1, 1, 0},
    {"%promise-update!", p_promise_update, 2, 2, 0},
    {"box", p_box, 1, 1, 0},
    {"box?", p_boxp, 1, 1, 0},
    {"unbox", p_unbox, 1, 1, 0},
    {"%compile", p_compile, 1, 1, 0},
    {"%read-compile", p_read_compile, 1, 1, 0},
    {"interaction-environment", p_environment, 0, 0, 0},
    {"scheme-report-environment", p_environment, 0, 1, 0},
    {"null-environment", p_environment, 0, 1, 0},
    {"environment", p_environment, 0, -1, 0},
    {"%key-ref", p_key_ref, 2, 2, 0},
    {"%check-keys", p_check_keys, 2, 2, 0},
    {"%arity-accepts?", p_arity_accepts, 2, 2, 0},
    {"%procedure-name", p_procedure_name, 1, 1, 0},
    {"%backtrace", p_backtrace, 0, 0, 0},
    {"gc", p_gc, 0, 0, 0},
    {"disassemble", p_disassemble, 1, 1, 0},
    {"%heap-stats", p_heap_stats, 0, 0, 0},
    {"set-car!", p_set_car, 0, -1, 0},
    {"set-cdr!", p_set_cdr, 0, -1, 0},
    {"vector-set!", p_vector_set, 0, -1, 0},
    {"vector-fill!", p_vector_fill, 0, -1, 0},
    {"vector-copy!", p_vector_copy_to, 0, -1, 0},
    {"string-set!", p_string_set, 0, -1, 0},
    {"string-fill!", p_string_fill, 0, -1, 0},
    {"string-copy!", p_string_copy_to, 0, -1, 0},
    {"bytevector-u8-set!", p_bytevector_set, 0, -1, 0},
    {"bytevector-copy!", p_bytevector_copy_to, 0, -1, 0},
    {"bytevector-fill!", p_bytevector_fill, 0, -1, 0},
    {"u8vector-set!", p_u8vector_set, 0, -1, 0},
    {"set-box!", p_set_box, 0, -1, 0},
    {"list-set!", p_list_set, 0, -1, 0},
    {"read-bytevector!", p_read_bytevector_to, 0, -1, 0},
    {NULL, NULL, 0, 0, 0},
};
