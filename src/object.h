/*
 * object.h — constructors and basic operations on Termite objects:
 * pairs, lists, strings, symbols, vectors, bytevectors, records, errors,
 * equality.  Every constructor may be called from any primitive.
 */
#ifndef TM_OBJECT_H
#define TM_OBJECT_H

#include "heap.h"

TmValue tm_cons(TmNode *n, TmValue a, TmValue d);
TmValue tm_list_from_array(TmNode *n, size_t count, const TmValue *items);
TmValue tm_list2(TmNode *n, TmValue a, TmValue b);
TmValue tm_list3(TmNode *n, TmValue a, TmValue b, TmValue c);
/* Length of a proper list, or -1 for an improper or circular one. */
ptrdiff_t tm_list_length(TmValue l);
TmValue tm_list_reverse(TmNode *n, TmValue l);

TmValue tm_make_flonum(TmNode *n, double d);

/* Strings hold code points.  from_utf8 replaces invalid sequences with
 * U+FFFD; len < 0 means NUL-terminated. */
TmValue tm_make_string(TmNode *n, size_t len, uint32_t fill);
TmValue tm_string_from_chars(TmNode *n, const uint32_t *chars, size_t len);
TmValue tm_string_from_utf8(TmNode *n, const char *s, ptrdiff_t len);
/* Append the UTF-8 encoding of s (or of part of it) to out. */
void tm_string_append_utf8(GString *out, TmValue s);
void tm_utf8_append_char(GString *out, uint32_t cp);
/* A newly g_malloc'd UTF-8 copy. */
char *tm_string_to_utf8(TmValue s);
bool tm_string_equal(TmValue a, TmValue b);
int tm_string_compare(TmValue a, TmValue b);

TmValue tm_intern(TmNode *n, const char *name);
TmValue tm_intern_string(TmNode *n, TmValue name);
TmValue tm_make_uninterned_symbol(TmNode *n, TmValue name);
TmValue tm_gensym(TmNode *n, const char *prefix);
TmValue tm_intern_keyword(TmNode *n, const char *name);
/* The UTF-8 name of a symbol or keyword, valid while the symbol lives. */
const char *tm_symbol_cname(TmNode *n, TmValue sym);

TmValue tm_make_vector(TmNode *n, size_t len, TmValue fill);
TmValue tm_vector_from_array(TmNode *n, size_t len, const TmValue *items);
TmValue tm_list_to_vector(TmNode *n, TmValue list);
TmValue tm_vector_to_list(TmNode *n, TmValue vec);

TmValue tm_make_bytevector(TmNode *n, size_t len, const uint8_t *data);

TmValue tm_make_box(TmNode *n, TmValue v);
TmValue tm_make_values(TmNode *n, size_t count, const TmValue *items);

TmValue tm_make_record_type(TmNode *n, TmValue name, TmValue fields);
TmValue tm_make_error(TmNode *n, TmValue kind, TmValue message,
                      TmValue irritants, TmValue who);

bool tm_eqv(TmValue a, TmValue b);
bool tm_equal(TmValue a, TmValue b);

/* A printable name for a type, for error messages ("pair", "string"...). */
const char *tm_type_name(TmValue v);

#endif
