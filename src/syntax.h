/*
 * syntax.h — syntax-rules: pattern matching and template instantiation
 * with renaming for hygiene.
 *
 * A syntax-rules macro is a TM_T_MACRO object:
 *   slot 0  kind: tm_fix(TM_MACRO_RULES) or tm_fix(TM_MACRO_PROC)
 *   slot 1  literals (list of identifiers)
 *   slot 2  rules (list of (pattern template))
 *   slot 3  ellipsis identifier (normally the symbol ...)
 *   slot 4  definition environment: an opaque compiler scope pointer
 *           stored as a fixnum-looking word (0: the global environment)
 *   slot 5  transformer procedure (TM_MACRO_PROC: define-macro), or #f
 *
 * Hygiene by renaming: each symbol a template inserts (one that is not a
 * pattern variable) is replaced by a TM_T_IDENT object, one per symbol per
 * expansion (so the same symbol inserted twice is the same identifier):
 *   slot 0  the inserted identifier (a symbol, or an IDENT when a macro
 *           expands into a macro definition)
 *   slot 1  the macro's definition environment (copied from the macro's
 *           slot 4)
 *   slot 2  a fixnum expansion serial number (for printing/debugging)
 * The compiler binds identifiers by identity (eq), so a renamed temporary
 * never captures a user variable, and resolves an unbound IDENT in its
 * definition environment, so a user's local `if` cannot change what a
 * macro's `if` means.
 */
#ifndef TM_SYNTAX_H
#define TM_SYNTAX_H

#include "object.h"

enum { TM_MACRO_RULES = 0, TM_MACRO_PROC = 1 };
enum { TM_MAC_KIND, TM_MAC_LITERALS, TM_MAC_RULES, TM_MAC_ELLIPSIS,
       TM_MAC_ENV, TM_MAC_PROC, TM_MAC_NSLOTS };
enum { TM_IDENT_NAME, TM_IDENT_ENV, TM_IDENT_SERIAL, TM_IDENT_NSLOTS };

static inline bool tm_is_ident(TmValue v) { return tm_has_type(v, TM_T_IDENT); }
/* A symbol or a renamed identifier. */
static inline bool tm_is_identifier(TmValue v)
{
    return tm_is_symbol(v) || tm_is_ident(v);
}

/* Build a syntax-rules macro from the form (syntax-rules (lit ...) rule ...)
 * or (syntax-rules ellipsis (lit ...) rule ...).  Returns TM_EXC after
 * raising a syntax error for a malformed spec. */
TmValue tm_syntax_make_rules(TmNode *n, TmValue spec, uintptr_t env);

/* Expand one use of a syntax-rules macro.  Returns the expansion, or
 * TM_EXC after raising an error "no syntax-rules pattern matches: (foo 1)"
 * (naming the macro keyword). */
TmValue tm_syntax_expand(TmNode *n, TmValue macro, TmValue form);

/* The underlying symbol of an identifier (follows IDENT chains). */
TmValue tm_syntax_base_symbol(TmValue id);

/* A copy of datum with every IDENT replaced by its base symbol (used by
 * quote); returns datum itself when it contains none. */
TmValue tm_syntax_strip(TmNode *n, TmValue datum);

#endif
