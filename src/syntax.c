/*
 * syntax.c — syntax-rules (R7RS 4.3.2): checking a spec once, then for each
 * use matching the rules' patterns and instantiating the first matching
 * rule's template with renamed identifiers (see syntax.h for hygiene).
 */
#include "syntax.h"

#include <stdarg.h>

#include "prims.h"
#include "printer.h"

/* Patterns and templates nest at most this deep; checked once, when the
 * macro is made, so matching and instantiation recurse at most this deep
 * (input data is only walked where a pattern says so). */
#define MAX_NESTING 10000

/* What a pattern variable matched.  depth 0: `value`; depth d > 0: one
 * match of depth d-1 per repetition of the enclosing ellipsis. */
typedef struct Match {
    int depth;
    TmValue value;
    GPtrArray *items; /* Match*, not owned; NULL at depth 0 */
} Match;

/* The state of one syntax-rules operation.  `vars` maps the base symbol
 * of each pattern variable to its current Match (lookups only: nothing
 * ever iterates it, so hash order cannot reach the output).  Every Match
 * lives in `arena` until the operation ends. */
typedef struct Syn {
    TmNode *n;
    TmValue literals;   /* list of identifiers */
    TmValue ellipsis;   /* base symbol, or #f when the ellipsis is a literal */
    TmValue underscore; /* the symbol _ */
    TmValue env;        /* the macro's definition environment word */
    bool ell_on;        /* template: not inside (... template) */
    intptr_t serial;    /* of this expansion, 0 until the first rename */
    GHashTable *vars;    /* base symbol -> Match* */
    GPtrArray *arena;    /* Match*, owned */
    GHashTable *renames; /* template identifier -> its IDENT */
    char *error;         /* g_malloc'd message of a hard failure */
} Syn;

typedef struct PatVar {
    TmValue sym; /* base symbol */
    int depth;   /* ellipses around it within the walked pattern */
} PatVar;

/* ---- identifiers ---------------------------------------------------- */

TmValue tm_syntax_base_symbol(TmValue id)
{
    while (tm_is_ident(id))
        id = TM_SLOT(id, TM_IDENT_NAME);
    return id;
}

static bool is_literal(Syn *s, TmValue id)
{
    TmValue sym = tm_syntax_base_symbol(id);
    for (TmValue l = s->literals; tm_is_pair(l); l = tm_cdr(l))
        if (tm_syntax_base_symbol(tm_car(l)) == sym)
            return true;
    return false;
}

static bool is_ellipsis(Syn *s, TmValue v)
{
    return s->ellipsis != TM_FALSE && tm_is_identifier(v) &&
           tm_syntax_base_symbol(v) == s->ellipsis;
}

/* In a template, an ellipsis inside (... template) is an identifier. */
static bool is_tmpl_ellipsis(Syn *s, TmValue v)
{
    return s->ell_on && is_ellipsis(s, v);
}

static bool is_pattern_var(Syn *s, TmValue v)
{
    return tm_is_identifier(v) && !is_literal(s, v) && !is_ellipsis(s, v) &&
           tm_syntax_base_symbol(v) != s->underscore;
}

/* ---- the operation's state ------------------------------------------ */

static void match_free(gpointer p)
{
    Match *m = p;
    if (m->items)
        g_ptr_array_unref(m->items);
    g_free(m);
}

static void syn_init(Syn *s, TmNode *n, TmValue literals, TmValue ellipsis,
                     TmValue env)
{
    memset(s, 0, sizeof *s);
    s->n = n;
    s->literals = literals;
    s->ellipsis = is_literal(s, ellipsis) ? TM_FALSE
                                          : tm_syntax_base_symbol(ellipsis);
    s->underscore = n->sym[TM_S_underscore];
    s->env = env;
    s->ell_on = true;
    s->vars = g_hash_table_new(g_direct_hash, g_direct_equal);
    s->arena = g_ptr_array_new_with_free_func(match_free);
    s->renames = g_hash_table_new(g_direct_hash, g_direct_equal);
}

static void syn_destroy(Syn *s)
{
    g_hash_table_destroy(s->vars);
    g_ptr_array_unref(s->arena);
    g_hash_table_destroy(s->renames);
    g_free(s->error);
}

/* Record a hard failure (the first one wins); returns false. */
G_GNUC_PRINTF(2, 3)
static bool fail(Syn *s, const char *fmt, ...)
{
    if (!s->error) {
        va_list ap;
        va_start(ap, fmt);
        s->error = g_strdup_vprintf(fmt, ap);
        va_end(ap);
    }
    return false;
}

static const char *id_name(Syn *s, TmValue id)
{
    return tm_symbol_cname(s->n, tm_syntax_base_symbol(id));
}

static Match *match_new(Syn *s, int depth, TmValue value)
{
    Match *m = g_new0(Match, 1);
    m->depth = depth;
    m->value = value;
    if (depth > 0)
        m->items = g_ptr_array_new();
    g_ptr_array_add(s->arena, m);
    return m;
}

static Match *lookup(Syn *s, TmValue sym)
{
    return g_hash_table_lookup(s->vars, (gpointer)sym);
}

static void bind_var(Syn *s, TmValue sym, Match *m)
{
    g_hash_table_insert(s->vars, (gpointer)sym, m);
}

/* ---- list helpers --------------------------------------------------- */

/* Pairs before the first non-pair cdr, or -1 for a circular list (Floyd:
 * the hare moves two pairs per step). */
static ptrdiff_t count_pairs(TmValue l)
{
    ptrdiff_t len = 0;
    TmValue slow = l;
    while (tm_is_pair(l)) {
        l = tm_cdr(l);
        len++;
        if (!tm_is_pair(l))
            break;
        l = tm_cdr(l);
        len++;
        slow = tm_cdr(slow);
        if (l == slow)
            return -1;
    }
    return len;
}

/* The element after the head of list l is an ellipsis. */
static bool ellipsis_follows(Syn *s, TmValue l)
{
    return tm_is_pair(tm_cdr(l)) && is_ellipsis(s, tm_cadr(l));
}

/* ---- checking a spec ------------------------------------------------ */

static bool check_pattern(Syn *s, TmValue p, int depth);

/* A list pattern: each ellipsis follows a subpattern, at most one per
 * list, never in the dotted tail. */
static bool check_pattern_list(Syn *s, TmValue l, int depth)
{
    if (count_pairs(l) < 0)
        return fail(s, "circular pattern");
    bool seen = false;
    for (; tm_is_pair(l); l = tm_cdr(l)) {
        if (is_ellipsis(s, tm_car(l)))
            return fail(s, "ellipsis must follow a subpattern");
        if (!check_pattern(s, tm_car(l), depth + 1))
            return false;
        if (ellipsis_follows(s, l)) {
            if (seen)
                return fail(s, "more than one ellipsis in one list pattern");
            seen = true;
            l = tm_cdr(l);
        }
    }
    return check_pattern(s, l, depth + 1);
}

static bool check_pattern(Syn *s, TmValue p, int depth)
{
    if (depth > MAX_NESTING)
        return fail(s, "pattern nested too deeply");
    if (is_ellipsis(s, p))
        return fail(s, "misplaced ellipsis in pattern");
    if (tm_is_pair(p))
        return check_pattern_list(s, p, depth);
    if (tm_is_vector(p))
        return check_pattern_list(s, tm_vector_to_list(s->n, p), depth);
    return true;
}

/* Append the pattern variables of p, with their ellipsis depth, to out in
 * the order they appear. */
static void collect_vars(Syn *s, TmValue p, int depth, GArray *out)
{
    if (tm_is_vector(p))
        p = tm_vector_to_list(s->n, p);
    if (is_pattern_var(s, p)) {
        PatVar v = {tm_syntax_base_symbol(p), depth};
        g_array_append_val(out, v);
    }
    if (!tm_is_pair(p))
        return;
    for (; tm_is_pair(p); p = tm_cdr(p)) {
        bool ell = ellipsis_follows(s, p);
        collect_vars(s, tm_car(p), depth + ell, out);
        if (ell)
            p = tm_cdr(p);
    }
    collect_vars(s, p, depth, out);
}

static bool check_unique_vars(Syn *s, TmValue pattern_args)
{
    GArray *vars = g_array_new(false, false, sizeof(PatVar));
    GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
    collect_vars(s, pattern_args, 0, vars);
    bool ok = true;
    for (guint i = 0; ok && i < vars->len; i++) {
        TmValue sym = g_array_index(vars, PatVar, i).sym;
        if (!g_hash_table_add(seen, (gpointer)sym))
            ok = fail(s, "duplicate pattern variable %s", id_name(s, sym));
    }
    g_hash_table_destroy(seen);
    g_array_unref(vars);
    return ok;
}

/* Templates are only checked for shape here (cycles, depth), so that
 * instantiation may walk them freely; ellipsis depths are checked when
 * they are instantiated. */
static bool check_template(Syn *s, TmValue t, int depth)
{
    if (depth > MAX_NESTING)
        return fail(s, "template nested too deeply");
    if (tm_is_vector(t)) {
        for (size_t i = 0; i < tm_vector_length(t); i++)
            if (!check_template(s, tm_vector_ref(t, i), depth + 1))
                return false;
        return true;
    }
    if (!tm_is_pair(t))
        return true;
    if (count_pairs(t) < 0)
        return fail(s, "circular template");
    for (; tm_is_pair(t); t = tm_cdr(t))
        if (!check_template(s, tm_car(t), depth + 1))
            return false;
    return check_template(s, t, depth + 1);
}

/* A rule is (pattern template) where pattern is (keyword . args). */
static bool check_rule(Syn *s, TmValue rule)
{
    if (tm_list_length(rule) != 2)
        return fail(s, "a rule must be (pattern template)");
    TmValue pat = tm_car(rule);
    if (!tm_is_pair(pat) || !tm_is_identifier(tm_car(pat)))
        return fail(s, "a pattern must be a list starting with an identifier");
    return check_pattern(s, tm_cdr(pat), 1) &&
           check_unique_vars(s, tm_cdr(pat)) &&
           check_template(s, tm_cadr(rule), 1);
}

static bool check_literals(TmValue lits)
{
    if (tm_list_length(lits) < 0)
        return false;
    for (; tm_is_pair(lits); lits = tm_cdr(lits))
        if (!tm_is_identifier(tm_car(lits)))
            return false;
    return true;
}

static TmValue alloc_macro(TmNode *n, TmValue lits, TmValue rules,
                           TmValue ellipsis, uintptr_t env)
{
    TmValue m = tm_alloc(n, TM_T_MACRO, TM_MAC_NSLOTS);
    TM_SLOT(m, TM_MAC_KIND) = tm_fix(TM_MACRO_RULES);
    TM_SLOT(m, TM_MAC_LITERALS) = lits;
    TM_SLOT(m, TM_MAC_RULES) = rules;
    TM_SLOT(m, TM_MAC_ELLIPSIS) = ellipsis;
    TM_SLOT(m, TM_MAC_ENV) = (TmValue)env;
    TM_SLOT(m, TM_MAC_PROC) = TM_FALSE;
    return m;
}

/* Everything that can be checked without a use is checked here, once:
 * afterwards expansion may assume well-formed, acyclic, bounded rules. */
TmValue tm_syntax_make_rules(TmNode *n, TmValue spec, uintptr_t env)
{
    g_assert((env & 1) == 0); /* must look like a fixnum to the collector */
    const char *who = "syntax-rules";
    if (tm_list_length(spec) < 2)
        return tm_errorf(n, who, "expected (syntax-rules (literal ...) "
                                 "(pattern template) ...)");
    TmValue rest = tm_cdr(spec), ellipsis = n->sym[TM_S_ellipsis];
    if (tm_is_identifier(tm_car(rest))) {
        ellipsis = tm_car(rest);
        rest = tm_cdr(rest);
        if (rest == TM_NIL)
            return tm_errorf(n, who, "missing literals after the ellipsis");
    }
    TmValue lits = tm_car(rest), rules = tm_cdr(rest);
    if (!check_literals(lits))
        return tm_errorf(n, who, "literals must be a list of identifiers");
    Syn s;
    syn_init(&s, n, lits, ellipsis, (TmValue)env);
    for (TmValue r = rules; tm_is_pair(r) && !s.error; r = tm_cdr(r))
        check_rule(&s, tm_car(r));
    TmValue result = s.error ? tm_errorf(n, who, "%s", s.error)
                             : alloc_macro(n, lits, rules, ellipsis, env);
    syn_destroy(&s);
    return result;
}

/* ---- matching ------------------------------------------------------- */

static bool match(Syn *s, TmValue pat, TmValue in);
static bool match_list(Syn *s, TmValue pat, TmValue in);

static bool match_ident(Syn *s, TmValue pat, TmValue in)
{
    if (is_literal(s, pat))
        return tm_is_identifier(in) &&
               tm_syntax_base_symbol(in) == tm_syntax_base_symbol(pat);
    TmValue sym = tm_syntax_base_symbol(pat);
    if (sym != s->underscore)
        bind_var(s, sym, match_new(s, 0, in));
    return true;
}

/* Match `p <ellipsis> . after` against the list in: p takes as many
 * elements as leave exactly one for each element pattern of `after` (whose
 * tail then meets in's tail).  Each variable of p gets a sequence with one
 * match per repetition, collected after each repetition rebound it. */
static bool match_ellipsis(Syn *s, TmValue p, TmValue after, TmValue in)
{
    ptrdiff_t avail = count_pairs(in), need = count_pairs(after);
    if (avail < need)
        return false; /* too short, or circular (-1) */
    GArray *vars = g_array_new(false, false, sizeof(PatVar));
    collect_vars(s, p, 0, vars);
    Match **seqs = g_new(Match *, vars->len + 1);
    for (guint j = 0; j < vars->len; j++)
        seqs[j] = match_new(s, g_array_index(vars, PatVar, j).depth + 1, 0);
    bool ok = true;
    for (ptrdiff_t i = 0; ok && i < avail - need; i++, in = tm_cdr(in)) {
        ok = match(s, p, tm_car(in));
        for (guint j = 0; ok && j < vars->len; j++)
            g_ptr_array_add(seqs[j]->items,
                            lookup(s, g_array_index(vars, PatVar, j).sym));
    }
    for (guint j = 0; ok && j < vars->len; j++)
        bind_var(s, g_array_index(vars, PatVar, j).sym, seqs[j]);
    g_free(seqs);
    g_array_unref(vars);
    return ok && match_list(s, after, in);
}

/* Iterates along both cdr chains; the pattern's length bounds the walk. */
static bool match_list(Syn *s, TmValue pat, TmValue in)
{
    for (; tm_is_pair(pat); pat = tm_cdr(pat), in = tm_cdr(in)) {
        if (ellipsis_follows(s, pat))
            return match_ellipsis(s, tm_car(pat), tm_cddr(pat), in);
        if (!tm_is_pair(in) || !match(s, tm_car(pat), tm_car(in)))
            return false;
    }
    return match(s, pat, in);
}

static bool match(Syn *s, TmValue pat, TmValue in)
{
    if (tm_is_identifier(pat))
        return match_ident(s, pat, in);
    if (tm_is_pair(pat))
        return match_list(s, pat, in);
    if (tm_is_vector(pat))
        return tm_is_vector(in) &&
               match_list(s, tm_vector_to_list(s->n, pat),
                          tm_vector_to_list(s->n, in));
    return tm_equal(pat, in);
}

/* ---- instantiating templates ---------------------------------------- */

static TmValue instantiate(Syn *s, TmValue t);

/* One IDENT per distinct template identifier per expansion, so that all
 * occurrences of a symbol the template inserts stay one variable. */
static TmValue rename_id(Syn *s, TmValue id)
{
    TmValue r = (TmValue)g_hash_table_lookup(s->renames, (gpointer)id);
    if (r)
        return r;
    if (s->serial == 0)
        s->serial = (intptr_t)++s->n->gensym_counter;
    r = tm_alloc(s->n, TM_T_IDENT, TM_IDENT_NSLOTS);
    TM_SLOT(r, TM_IDENT_NAME) = id;
    TM_SLOT(r, TM_IDENT_ENV) = s->env;
    TM_SLOT(r, TM_IDENT_SERIAL) = tm_fix(s->serial);
    g_hash_table_insert(s->renames, (gpointer)id, (gpointer)r);
    return r;
}

static TmValue instantiate_ident(Syn *s, TmValue id)
{
    if (is_tmpl_ellipsis(s, id)) {
        fail(s, "misplaced ellipsis in template");
        return TM_EXC;
    }
    Match *m = lookup(s, tm_syntax_base_symbol(id));
    if (!m)
        return rename_id(s, id);
    if (m->depth > 0) {
        fail(s, "pattern variable %s is used with too few ellipses "
                "in the template", id_name(s, id));
        return TM_EXC;
    }
    return m->value;
}

typedef struct IterVar {
    TmValue sym;
    Match *saved; /* its binding outside the ellipsis */
} IterVar;

static void add_iter_var(GArray *iter, TmValue sym, Match *m)
{
    for (guint i = 0; i < iter->len; i++)
        if (g_array_index(iter, IterVar, i).sym == sym)
            return;
    IterVar v = {sym, m};
    g_array_append_val(iter, v);
}

/* The variables an ellipsis after t iterates: those bound to sequences
 * deeper than the ellipses around them inside t (nest), so that in
 * ((a b ...) ...) with a of depth 1 and b of depth 1, the outer ellipsis
 * iterates a and leaves b to the inner one. */
static void collect_iter(Syn *s, TmValue t, int nest, GArray *iter)
{
    if (tm_is_vector(t))
        t = tm_vector_to_list(s->n, t);
    if (tm_is_identifier(t)) {
        TmValue sym = tm_syntax_base_symbol(t);
        Match *m = lookup(s, sym);
        if (m && m->depth > nest)
            add_iter_var(iter, sym, m);
        return;
    }
    if (!tm_is_pair(t))
        return;
    if (is_tmpl_ellipsis(s, tm_car(t)) && tm_is_pair(tm_cdr(t))) {
        s->ell_on = false; /* (... template) */
        collect_iter(s, tm_cadr(t), nest, iter);
        s->ell_on = true;
        return;
    }
    for (; tm_is_pair(t); t = tm_cdr(t)) {
        TmValue sub = tm_car(t);
        int k = 0;
        while (tm_is_pair(tm_cdr(t)) && is_tmpl_ellipsis(s, tm_cadr(t))) {
            t = tm_cdr(t);
            k++;
        }
        collect_iter(s, sub, nest + k, iter);
    }
    collect_iter(s, t, nest, iter);
}

static bool instantiate_repeat(Syn *s, TmValue sub, int k, GArray *out);

/* Run sub's remaining k ellipses once per element of the iterated
 * variables' sequences, which must all have the same length. */
static bool repeat_over(Syn *s, TmValue sub, int k, GArray *iter,
                        GArray *out)
{
    IterVar *v = (IterVar *)iter->data;
    guint len = v[0].saved->items->len;
    for (guint j = 1; j < iter->len; j++)
        if (v[j].saved->items->len != len)
            return fail(s, "pattern variables %s and %s matched sequences "
                           "of different lengths (%u and %u)",
                        id_name(s, v[0].sym), id_name(s, v[j].sym), len,
                        v[j].saved->items->len);
    bool ok = true;
    for (guint i = 0; ok && i < len; i++) {
        for (guint j = 0; j < iter->len; j++)
            bind_var(s, v[j].sym, g_ptr_array_index(v[j].saved->items, i));
        ok = instantiate_repeat(s, sub, k - 1, out);
    }
    for (guint j = 0; j < iter->len; j++)
        bind_var(s, v[j].sym, v[j].saved);
    return ok;
}

/* Append the instances of `sub` followed by k ellipses to out; with
 * k > 1 the repetitions are flattened: (x ... ...). */
static bool instantiate_repeat(Syn *s, TmValue sub, int k, GArray *out)
{
    if (k == 0) {
        TmValue v = instantiate(s, sub);
        if (v == TM_EXC)
            return false;
        g_array_append_val(out, v);
        return true;
    }
    GArray *iter = g_array_new(false, false, sizeof(IterVar));
    collect_iter(s, sub, k - 1, iter);
    bool ok = iter->len > 0
                  ? repeat_over(s, sub, k, iter, out)
                  : fail(s, "no pattern variable of enough depth before "
                            "an ellipsis in the template");
    g_array_unref(iter);
    return ok;
}

/* Iterates along the cdr chain, so long templates and long matched
 * sequences cost no C stack. */
static TmValue instantiate_list(Syn *s, TmValue t)
{
    GArray *out = g_array_new(false, false, sizeof(TmValue));
    bool ok = true;
    for (; ok && tm_is_pair(t); t = tm_cdr(t)) {
        TmValue sub = tm_car(t);
        int k = 0;
        while (tm_is_pair(tm_cdr(t)) && is_tmpl_ellipsis(s, tm_cadr(t))) {
            t = tm_cdr(t);
            k++;
        }
        ok = instantiate_repeat(s, sub, k, out);
    }
    TmValue tail = !ok ? TM_EXC : t == TM_NIL ? TM_NIL : instantiate(s, t);
    TmValue r = tail;
    if (tail != TM_EXC)
        for (guint i = out->len; i > 0; i--)
            r = tm_cons(s->n, g_array_index(out, TmValue, i - 1), r);
    g_array_unref(out);
    return r;
}

/* (... template): template with the ellipsis as a plain identifier. */
static TmValue instantiate_escape(Syn *s, TmValue t)
{
    if (!tm_is_pair(tm_cdr(t)) || tm_cddr(t) != TM_NIL) {
        fail(s, "an ellipsis escape must be (%s template)",
             id_name(s, tm_car(t)));
        return TM_EXC;
    }
    s->ell_on = false;
    TmValue r = instantiate(s, tm_cadr(t));
    s->ell_on = true;
    return r;
}

static TmValue instantiate(Syn *s, TmValue t)
{
    if (tm_is_identifier(t))
        return instantiate_ident(s, t);
    if (tm_is_pair(t))
        return is_tmpl_ellipsis(s, tm_car(t)) ? instantiate_escape(s, t)
                                              : instantiate_list(s, t);
    if (tm_is_vector(t)) {
        TmValue l = instantiate_list(s, tm_vector_to_list(s->n, t));
        return l == TM_EXC ? l : tm_list_to_vector(s->n, l);
    }
    return t;
}

/* ---- expansion ------------------------------------------------------ */

/* The macro keyword of a use, to name in errors. */
static const char *keyword_name(TmNode *n, TmValue form)
{
    TmValue key = tm_syntax_base_symbol(tm_car(form));
    return tm_is_symbol(key) ? tm_symbol_cname(n, key) : "syntax-rules";
}

static TmValue no_match(TmNode *n, TmValue form)
{
    char *shown = tm_print_short(n, tm_syntax_strip(n, form), 200);
    TmValue r = tm_errorf(n, keyword_name(n, form),
                          "no syntax-rules pattern matches: %s", shown);
    g_free(shown);
    return r;
}

/* Rules are tried in order; a failed attempt's bindings are dropped.  A
 * hard failure (s.error) stops the search: it is an error in the rule. */
TmValue tm_syntax_expand(TmNode *n, TmValue macro, TmValue form)
{
    g_return_val_if_fail(tm_has_type(macro, TM_T_MACRO), TM_EXC);
    if (tm_fixval(TM_SLOT(macro, TM_MAC_KIND)) != TM_MACRO_RULES ||
        !tm_is_pair(form))
        return tm_errorf(n, "syntax-rules", "bad macro use");
    Syn s;
    syn_init(&s, n, TM_SLOT(macro, TM_MAC_LITERALS),
             TM_SLOT(macro, TM_MAC_ELLIPSIS), TM_SLOT(macro, TM_MAC_ENV));
    TmValue result = TM_EXC, rules = TM_SLOT(macro, TM_MAC_RULES);
    bool matched = false;
    for (; tm_is_pair(rules) && !matched; rules = tm_cdr(rules)) {
        TmValue pat = tm_car(tm_car(rules)), tmpl = tm_cadr(tm_car(rules));
        g_hash_table_remove_all(s.vars);
        g_ptr_array_set_size(s.arena, 0);
        matched = match_list(&s, tm_cdr(pat), tm_cdr(form));
        if (matched)
            result = instantiate(&s, tmpl);
    }
    if (!matched)
        result = no_match(n, form);
    else if (result == TM_EXC)
        result = tm_errorf(n, keyword_name(n, form), "%s",
                           s.error ? s.error : "expansion failed");
    syn_destroy(&s);
    return result;
}

/* ---- strip ---------------------------------------------------------- */

/* Whether v reaches an IDENT.  A plain walk (car recursion, cdr
 * iteration) within a budget of steps answers for ordinary data; shared
 * or circular data (datum labels) that exhausts the budget is walked again
 * with a visited set. */
typedef enum { FOUND_NO, FOUND_YES, FOUND_UNSURE } Found;

static Found has_ident_fast(TmValue v, int depth, size_t *budget)
{
    for (;;) {
        if (*budget == 0 || depth > MAX_NESTING)
            return FOUND_UNSURE;
        --*budget;
        if (tm_is_ident(v))
            return FOUND_YES;
        if (tm_is_vector(v)) {
            for (size_t i = 0; i < tm_vector_length(v); i++) {
                TmValue x = tm_vector_ref(v, i);
                Found f = has_ident_fast(x, depth + 1, budget);
                if (f != FOUND_NO)
                    return f;
            }
            return FOUND_NO;
        }
        if (!tm_is_pair(v))
            return FOUND_NO;
        Found f = has_ident_fast(tm_car(v), depth + 1, budget);
        if (f != FOUND_NO)
            return f;
        v = tm_cdr(v);
    }
}

static void push_unseen(GArray *stack, GHashTable *seen, TmValue v)
{
    if ((tm_is_pair(v) || tm_is_vector(v) || tm_is_ident(v)) &&
        g_hash_table_add(seen, (gpointer)v))
        g_array_append_val(stack, v);
}

static bool has_ident_exact(TmValue v)
{
    GArray *stack = g_array_new(false, false, sizeof(TmValue));
    GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
    bool found = false;
    push_unseen(stack, seen, v);
    while (!found && stack->len > 0) {
        v = g_array_index(stack, TmValue, stack->len - 1);
        g_array_set_size(stack, stack->len - 1);
        found = tm_is_ident(v);
        for (size_t i = 0; !found && i < tm_obj_size(v); i++)
            push_unseen(stack, seen, TM_SLOT(v, i));
    }
    g_hash_table_destroy(seen);
    g_array_unref(stack);
    return found;
}

static bool has_ident(TmValue v)
{
    size_t budget = 1u << 20;
    Found f = has_ident_fast(v, 0, &budget);
    return f == FOUND_UNSURE ? has_ident_exact(v) : f == FOUND_YES;
}

static TmValue strip_rec(TmNode *n, TmValue v, int depth);

/* Shares every part that has no IDENT.  A circular list is left as it is
 * (only a procedural macro could put an IDENT in one). */
static TmValue strip_list(TmNode *n, TmValue l, int depth)
{
    if (count_pairs(l) < 0)
        return l;
    GArray *items = g_array_new(false, false, sizeof(TmValue));
    bool changed = false;
    TmValue p = l;
    for (; tm_is_pair(p); p = tm_cdr(p)) {
        TmValue x = strip_rec(n, tm_car(p), depth + 1);
        changed |= x != tm_car(p);
        g_array_append_val(items, x);
    }
    TmValue r = strip_rec(n, p, depth + 1);
    if (changed || r != p)
        for (guint i = items->len; i > 0; i--)
            r = tm_cons(n, g_array_index(items, TmValue, i - 1), r);
    else
        r = l;
    g_array_unref(items);
    return r;
}

static TmValue strip_vector(TmNode *n, TmValue v, int depth)
{
    size_t len = tm_vector_length(v);
    TmValue *items = g_new(TmValue, len + 1);
    bool changed = false;
    for (size_t i = 0; i < len; i++) {
        items[i] = strip_rec(n, tm_vector_ref(v, i), depth + 1);
        changed |= items[i] != tm_vector_ref(v, i);
    }
    TmValue r = changed ? tm_vector_from_array(n, len, items) : v;
    g_free(items);
    return r;
}

/* Data nested deeper than MAX_NESTING is left as it is. */
static TmValue strip_rec(TmNode *n, TmValue v, int depth)
{
    if (tm_is_ident(v))
        return tm_syntax_base_symbol(v);
    if (depth > MAX_NESTING)
        return v;
    if (tm_is_pair(v))
        return strip_list(n, v, depth);
    if (tm_is_vector(v))
        return strip_vector(n, v, depth);
    return v;
}

TmValue tm_syntax_strip(TmNode *n, TmValue datum)
{
    return has_ident(datum) ? strip_rec(n, datum, 0) : datum;
}
