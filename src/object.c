/*
 * object.c — constructors and basic operations on Termite objects.
 */
#include "object.h"

#include "num.h"

TmValue tm_cons(TmNode *n, TmValue a, TmValue d)
{
    TmValue p = tm_alloc(n, TM_T_PAIR, 2);
    TM_SLOT(p, 0) = a;
    TM_SLOT(p, 1) = d;
    return p;
}

TmValue tm_list_from_array(TmNode *n, size_t count, const TmValue *items)
{
    TmValue l = TM_NIL;
    while (count > 0) {
        count--;
        l = tm_cons(n, items[count], l);
    }
    return l;
}

TmValue tm_list2(TmNode *n, TmValue a, TmValue b)
{
    return tm_cons(n, a, tm_cons(n, b, TM_NIL));
}

TmValue tm_list3(TmNode *n, TmValue a, TmValue b, TmValue c)
{
    return tm_cons(n, a, tm_list2(n, b, c));
}

/* Floyd's cycle detection: the hare moves two pairs per step. */
ptrdiff_t tm_list_length(TmValue l)
{
    ptrdiff_t len = 0;
    TmValue slow = l;
    for (;;) {
        if (l == TM_NIL)
            return len;
        if (!tm_is_pair(l))
            return -1;
        l = tm_cdr(l);
        len++;
        if (l == TM_NIL)
            return len;
        if (!tm_is_pair(l))
            return -1;
        l = tm_cdr(l);
        len++;
        slow = tm_cdr(slow);
        if (l == slow)
            return -1;
    }
}

TmValue tm_list_reverse(TmNode *n, TmValue l)
{
    TmValue r = TM_NIL;
    for (; tm_is_pair(l); l = tm_cdr(l))
        r = tm_cons(n, tm_car(l), r);
    return r;
}

TmValue tm_make_flonum(TmNode *n, double d)
{
    TmValue v = tm_alloc(n, TM_T_FLONUM, 1);
    memcpy(&TM_SLOT(v, 0), &d, sizeof d);
    return v;
}

/* ---- strings ---------------------------------------------------------- */

static TmValue alloc_string(TmNode *n, size_t len)
{
    size_t words = 1 + (len * sizeof(uint32_t) + 7) / 8;
    TmValue s = tm_alloc(n, TM_T_STRING, words);
    TM_SLOT(s, 0) = (TmValue)len;
    if (len & 1) /* keep the padding deterministic for hashing/marshalling */
        tm_string_chars(s)[len] = 0;
    return s;
}

TmValue tm_make_string(TmNode *n, size_t len, uint32_t fill)
{
    TmValue s = alloc_string(n, len);
    uint32_t *c = tm_string_chars(s);
    for (size_t i = 0; i < len; i++)
        c[i] = fill;
    return s;
}

TmValue tm_string_from_chars(TmNode *n, const uint32_t *chars, size_t len)
{
    TmValue s = alloc_string(n, len);
    if (len)
        memcpy(tm_string_chars(s), chars, len * sizeof(uint32_t));
    return s;
}

/* Decodes UTF-8, replacing each invalid byte with U+FFFD. */
TmValue tm_string_from_utf8(TmNode *n, const char *s, ptrdiff_t len)
{
    size_t blen = len < 0 ? strlen(s) : (size_t)len;
    uint32_t *buf = g_new(uint32_t, blen + 1);
    size_t k = 0;
    const char *p = s, *end = s + blen;
    while (p < end) {
        gunichar c = *p == 0 ? 0 : g_utf8_get_char_validated(p, end - p);
        if (*p == 0) {
            buf[k++] = 0;
            p++;
        } else if (c == (gunichar)-1 || c == (gunichar)-2) {
            buf[k++] = 0xFFFD;
            p++;
        } else {
            buf[k++] = c;
            p = g_utf8_next_char(p);
        }
    }
    TmValue str = tm_string_from_chars(n, buf, k);
    g_free(buf);
    return str;
}

void tm_utf8_append_char(GString *out, uint32_t cp)
{
    if (cp < 0x80) {
        g_string_append_c(out, (char)cp);
    } else {
        char b[8];
        int k = g_unichar_to_utf8(cp, b);
        g_string_append_len(out, b, k);
    }
}

void tm_string_append_utf8(GString *out, TmValue s)
{
    const uint32_t *c = tm_string_chars(s);
    size_t len = tm_string_length(s);
    for (size_t i = 0; i < len; i++)
        tm_utf8_append_char(out, c[i]);
}

char *tm_string_to_utf8(TmValue s)
{
    GString *g = g_string_sized_new(tm_string_length(s) + 1);
    tm_string_append_utf8(g, s);
    return g_string_free(g, FALSE);
}

bool tm_string_equal(TmValue a, TmValue b)
{
    size_t la = tm_string_length(a);
    return la == tm_string_length(b) &&
           memcmp(tm_string_chars(a), tm_string_chars(b), la * 4) == 0;
}

int tm_string_compare(TmValue a, TmValue b)
{
    size_t la = tm_string_length(a), lb = tm_string_length(b);
    const uint32_t *ca = tm_string_chars(a), *cb = tm_string_chars(b);
    for (size_t i = 0; i < la && i < lb; i++)
        if (ca[i] != cb[i])
            return ca[i] < cb[i] ? -1 : 1;
    return la < lb ? -1 : la > lb ? 1 : 0;
}

/* ---- symbols and keywords --------------------------------------------- */

/* Interned symbols are roots (the symbol table holds them); their value
 * slot is the global variable of that name on this node. */
static TmValue alloc_symbol(TmNode *n, TmValue name, intptr_t flags)
{
    TmValue s = tm_alloc(n, TM_T_SYMBOL, TM_SYM_NSLOTS);
    TM_SLOT(s, TM_SYM_NAME) = name;
    TM_SLOT(s, TM_SYM_VALUE) = TM_UNBOUND;
    TM_SLOT(s, TM_SYM_FLAGS) = tm_fix(flags);
    return s;
}

static TmValue intern_in(TmNode *n, GHashTable *table, const char *name,
                         TmType type)
{
    gpointer found = g_hash_table_lookup(table, name);
    if (found)
        return (TmValue)found;
    TmValue str = tm_string_from_utf8(n, name, -1);
    TmValue s;
    if (type == TM_T_SYMBOL) {
        s = alloc_symbol(n, str, TM_SYMF_INTERNED);
    } else {
        s = tm_alloc(n, TM_T_KEYWORD, 1);
        TM_SLOT(s, 0) = str;
    }
    g_hash_table_insert(table, g_strdup(name), (gpointer)s);
    return s;
}

TmValue tm_intern(TmNode *n, const char *name)
{
    return intern_in(n, n->symbols, name, TM_T_SYMBOL);
}

TmValue tm_intern_string(TmNode *n, TmValue name)
{
    char *c = tm_string_to_utf8(name);
    TmValue s = tm_intern(n, c);
    g_free(c);
    return s;
}

TmValue tm_intern_keyword(TmNode *n, const char *name)
{
    return intern_in(n, n->keywords, name, TM_T_KEYWORD);
}

TmValue tm_make_uninterned_symbol(TmNode *n, TmValue name)
{
    return alloc_symbol(n, name, 0);
}

TmValue tm_gensym(TmNode *n, const char *prefix)
{
    char buf[96];
    g_snprintf(buf, sizeof buf, "%s%" G_GUINT64_FORMAT, prefix ? prefix : "g",
               ++n->gensym_counter);
    return tm_make_uninterned_symbol(n, tm_string_from_utf8(n, buf, -1));
}

/* The name in a small per-node ring of buffers: valid until eight more
 * calls, enough for an error message or two. */
const char *tm_symbol_cname(TmNode *n, TmValue sym)
{
    GString *g = n->cname_ring[n->cname_next++ & 7];
    g_string_truncate(g, 0);
    tm_string_append_utf8(g, TM_SLOT(sym, 0));
    return g->str;
}

/* ---- vectors, bytevectors, misc --------------------------------------- */

TmValue tm_make_vector(TmNode *n, size_t len, TmValue fill)
{
    TmValue v = tm_alloc(n, TM_T_VECTOR, len);
    for (size_t i = 0; i < len; i++)
        TM_SLOT(v, i) = fill;
    return v;
}

TmValue tm_vector_from_array(TmNode *n, size_t len, const TmValue *items)
{
    TmValue v = tm_alloc(n, TM_T_VECTOR, len);
    if (len)
        memcpy(tm_slots(v), items, len * sizeof(TmValue));
    return v;
}

TmValue tm_list_to_vector(TmNode *n, TmValue list)
{
    ptrdiff_t len = tm_list_length(list);
    if (len < 0)
        return TM_FALSE;
    TmValue v = tm_alloc(n, TM_T_VECTOR, (size_t)len);
    for (ptrdiff_t i = 0; i < len; i++, list = tm_cdr(list))
        TM_SLOT(v, i) = tm_car(list);
    return v;
}

TmValue tm_vector_to_list(TmNode *n, TmValue vec)
{
    return tm_list_from_array(n, tm_vector_length(vec), tm_slots(vec));
}

TmValue tm_make_bytevector(TmNode *n, size_t len, const uint8_t *data)
{
    TmValue b = tm_alloc(n, TM_T_BYTEVECTOR, 1 + (len + 7) / 8);
    TM_SLOT(b, 0) = (TmValue)len;
    TM_SLOT(b, (len + 7) / 8) = 0; /* zero the padding of the last word */
    if (data && len)
        memcpy(tm_bytevector_data(b), data, len);
    else if (len)
        memset(tm_bytevector_data(b), 0, len);
    return b;
}

TmValue tm_make_box(TmNode *n, TmValue v)
{
    TmValue b = tm_alloc(n, TM_T_BOX, 1);
    TM_SLOT(b, 0) = v;
    return b;
}

TmValue tm_make_values(TmNode *n, size_t count, const TmValue *items)
{
    if (count == 1)
        return items[0];
    TmValue v = tm_alloc(n, TM_T_VALUES, count);
    if (count)
        memcpy(tm_slots(v), items, count * sizeof(TmValue));
    return v;
}

/* Record types are identified by their name and field names: the same
 * definition evaluated twice, or on two nodes, is the same type, so a
 * record sent to another node still satisfies its predicate there.  The
 * uid is that identity as a string, "name field1 field2 ...". */
TmValue tm_make_record_type(TmNode *n, TmValue name, TmValue fields)
{
    GString *uid = g_string_new(NULL);
    tm_string_append_utf8(uid, TM_SLOT(name, 0));
    for (size_t i = 0; i < tm_vector_length(fields); i++) {
        TmValue f = tm_vector_ref(fields, i);
        g_string_append_c(uid, ' ');
        if (tm_is_symbol(f))
            tm_string_append_utf8(uid, TM_SLOT(f, 0));
    }
    gpointer found = g_hash_table_lookup(n->record_types, uid->str);
    if (found) {
        g_string_free(uid, TRUE);
        return (TmValue)found;
    }
    TmValue t = tm_alloc(n, TM_T_RECORD_TYPE, TM_RT_NSLOTS);
    TM_SLOT(t, TM_RT_NAME) = name;
    TM_SLOT(t, TM_RT_FIELDS) = fields;
    TM_SLOT(t, TM_RT_UID) = tm_string_from_utf8(n, uid->str, (ptrdiff_t)uid->len);
    g_hash_table_insert(n->record_types, g_string_free(uid, FALSE), (gpointer)t);
    return t;
}

TmValue tm_make_error(TmNode *n, TmValue kind, TmValue message,
                      TmValue irritants, TmValue who)
{
    TmValue e = tm_alloc(n, TM_T_ERROR, TM_ERR_NSLOTS);
    TM_SLOT(e, TM_ERR_KIND) = kind;
    TM_SLOT(e, TM_ERR_MESSAGE) = message;
    TM_SLOT(e, TM_ERR_IRRITANTS) = irritants;
    TM_SLOT(e, TM_ERR_WHO) = who;
    TM_SLOT(e, TM_ERR_LOCATION) = TM_FALSE;
    return e;
}

/* ---- equality --------------------------------------------------------- */

bool tm_eqv(TmValue a, TmValue b)
{
    if (a == b)
        return true;
    if (!tm_is_obj(a) || !tm_is_obj(b))
        return false;
    TmType t = tm_obj_type(a);
    if (t != tm_obj_type(b))
        return false;
    switch (t) {
    case TM_T_FLONUM:
    case TM_T_BIGNUM:
    case TM_T_RATNUM:
        return tm_num_eqv(a, b);
    case TM_T_STRING:
        /* strings are immutable: equal contents are indistinguishable,
         * but eqv? keeps identity semantics like other Schemes */
        return tm_string_length(a) == 0 && tm_string_length(b) == 0;
    default:
        return false;
    }
}

/* Compare two leaves (anything but pairs, vectors, records, values and
 * identifiers); *push is set when the children must be compared. */
static bool equal_shallow(TmValue a, TmValue b, bool *push)
{
    *push = false;
    if (tm_eqv(a, b))
        return true;
    if (!tm_is_obj(a) || !tm_is_obj(b) || tm_obj_type(a) != tm_obj_type(b))
        return false;
    switch (tm_obj_type(a)) {
    case TM_T_STRING:
        return tm_string_equal(a, b);
    case TM_T_BYTEVECTOR:
        return tm_bytevector_length(a) == tm_bytevector_length(b) &&
               memcmp(tm_bytevector_data(a), tm_bytevector_data(b),
                      tm_bytevector_length(a)) == 0;
    case TM_T_PAIR:
    case TM_T_VECTOR:
    case TM_T_RECORD:
    case TM_T_VALUES:
    case TM_T_PID:
    case TM_T_TAG:
    case TM_T_NODEREF:
        *push = true;
        return tm_obj_size(a) == tm_obj_size(b);
    default:
        return false;
    }
}

/* Union-find over the compound objects met so far (by address: equal?
 * allocates nothing on the heap, so nothing moves meanwhile). */
typedef struct {
    GHashTable *ids;   /* object -> index + 1 */
    GArray *parent;    /* guint */
} Classes;

static guint class_of(Classes *c, TmValue v)
{
    guint i = GPOINTER_TO_UINT(g_hash_table_lookup(c->ids, (gpointer)v));
    if (i == 0) {
        i = c->parent->len;
        g_array_append_val(c->parent, i);
        g_hash_table_insert(c->ids, (gpointer)v, GUINT_TO_POINTER(i + 1));
        return i;
    }
    i--;
    guint *p = (guint *)(void *)c->parent->data;
    while (p[i] != i) {
        p[i] = p[p[i]]; /* path halving */
        i = p[i];
    }
    return i;
}

/* One walk of equal?.  With classes, a pair of compound objects already
 * known (or assumed) equal is not compared again: the walk then decides
 * whether the two values unfold to the same (possibly infinite) tree, and
 * terminates on cyclic data.  Without, it gives up (*gave_up) after
 * `budget` steps. */
static bool equal_walk(TmValue a, TmValue b, Classes *classes, uint64_t budget,
                       bool *gave_up)
{
    GArray *todo = g_array_new(FALSE, FALSE, sizeof(TmValue));
    bool result = true;
    *gave_up = false;
    for (uint64_t steps = 0;; steps++) {
        bool push;
        if (!classes && steps > budget) {
            *gave_up = true;
            break;
        }
        if (!equal_shallow(a, b, &push)) {
            result = false;
            break;
        }
        if (push && classes) {
            guint ca = class_of(classes, a), cb = class_of(classes, b);
            if (ca == cb)
                push = false;
            else
                g_array_index(classes->parent, guint, ca) = cb;
        }
        if (push) {
            size_t len = tm_obj_size(a);
            if (tm_obj_type(a) == TM_T_PID)
                len = 2;
            for (size_t i = len; i-- > 0;) {
                g_array_append_val(todo, TM_SLOT(a, i));
                g_array_append_val(todo, TM_SLOT(b, i));
            }
        }
        if (todo->len == 0)
            break;
        b = g_array_index(todo, TmValue, todo->len - 1);
        a = g_array_index(todo, TmValue, todo->len - 2);
        g_array_set_size(todo, todo->len - 2);
    }
    g_array_free(todo, TRUE);
    return result;
}

/* equal? with an explicit stack of pending pairs of values, so deep data
 * cannot overflow the C stack.  Pids compare by node and number only.
 * Ordinary data is walked directly; a walk that runs long (cyclic or
 * heavily shared data) starts again with union-find classes, which makes
 * it terminate on any data (R7RS) in near-linear time. */
bool tm_equal(TmValue a, TmValue b)
{
    bool gave_up;
    bool r = equal_walk(a, b, NULL, 100000, &gave_up);
    if (!gave_up)
        return r;
    Classes c = {g_hash_table_new(g_direct_hash, g_direct_equal),
                 g_array_new(FALSE, FALSE, sizeof(guint))};
    r = equal_walk(a, b, &c, 0, &gave_up);
    g_hash_table_destroy(c.ids);
    g_array_free(c.parent, TRUE);
    return r;
}

const char *tm_type_name(TmValue v)
{
    static const char *const names[TM_T_COUNT] = {
        [TM_T_FLONUM] = "real", [TM_T_BIGNUM] = "integer",
        [TM_T_STRING] = "string", [TM_T_BYTEVECTOR] = "bytevector",
        [TM_T_PAIR] = "pair", [TM_T_RATNUM] = "rational",
        [TM_T_SYMBOL] = "symbol", [TM_T_KEYWORD] = "keyword",
        [TM_T_VECTOR] = "vector", [TM_T_CODE] = "code",
        [TM_T_CLOSURE] = "procedure", [TM_T_PRIMITIVE] = "procedure",
        [TM_T_FRAME] = "frame", [TM_T_CONTINUATION] = "continuation",
        [TM_T_RECORD_TYPE] = "record-type", [TM_T_RECORD] = "record",
        [TM_T_PROMISE] = "promise", [TM_T_VALUES] = "values",
        [TM_T_ERROR] = "error-object", [TM_T_PARAMETER] = "parameter",
        [TM_T_PORT] = "port", [TM_T_BOX] = "box", [TM_T_MACRO] = "macro",
        [TM_T_IDENT] = "identifier", [TM_T_ENVIRONMENT] = "environment",
        [TM_T_PID] = "pid", [TM_T_TAG] = "tag", [TM_T_NODEREF] = "node",
        [TM_T_PROCESS] = "process",
    };
    if (tm_is_fixnum(v))
        return "integer";
    if (tm_is_char(v))
        return "char";
    if (tm_is_obj(v))
        return names[tm_obj_type(v)] ? names[tm_obj_type(v)] : "object";
    if (v == TM_TRUE || v == TM_FALSE)
        return "boolean";
    if (v == TM_NIL)
        return "empty list";
    if (v == TM_EOF)
        return "eof object";
    return "special object";
}
