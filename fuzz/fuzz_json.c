/* SPDX-License-Identifier: MIT
 * fuzz_json.c - libFuzzer target for request bodies and typed values. The
 * input is parsed as JSON (duplicates refused); any value is validated
 * against every registered entity in each mode (create, patch, trusted).
 * The same bytes are also converted as CSV/query text for every field.
 * Accepted values must obey their descriptor and survive a round trip
 * through their text form (what export writes and import reads).
 */
#include "fuzz_util.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/base.h"
#include "engine/validate.h"
#include "engine/value.h"

#include <stddef.h>
#include <stdint.h>

#define ARENA_CAP (4u << 20)
#define EXPORT_OFFSET_MIN 480 /* the default tenant offset export writes with */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init_registry();
    return 0;
}

/* value: C0 controls but tab and line breaks refused (DEL is let through
 * by check_text); otherwise (error fields and messages) DEL too. */
static int no_controls(const char *s, size_t n, int value)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (value ? c < 0x20 && c != '\n' && c != '\t' && c != '\r' : c < 0x20 || c == 0x7f)
            return 0;
    }
    return 1;
}

/* A key, and its parameters: "" or one well-formed JSON object. */
static void check_key(const char *key, const char *params, const char *what)
{
    FUZZ_CHECK(key[0], "%s without a key", what);
    if (!params[0])
        return;
    json_error_t je;
    json_t *p = json_loads(params, 0, &je);
    FUZZ_CHECK(json_is_object(p), "%s params are not a JSON object: %s", what, params);
    json_decref(p);
}

static void check_err(const struct err *e)
{
    FUZZ_CHECK(e->nitems >= 0 && e->nitems <= ERR_MAX_ITEMS, "nitems %d", e->nitems);
    FUZZ_CHECK(memchr(e->detail, 0, sizeof(e->detail)), "detail not terminated");
    for (int i = 0; i < e->nitems; i++) {
        const struct err_item *it = &e->items[i];
        FUZZ_CHECK(memchr(it->field, 0, sizeof(it->field)), "item %d field not terminated", i);
        FUZZ_CHECK(memchr(it->msg, 0, sizeof(it->msg)), "item %d msg not terminated", i);
        FUZZ_CHECK(it->msg[0], "item %d (%s) has no message", i, it->field);
        /* field names and messages end up in problem+json and in logs */
        FUZZ_CHECK(no_controls(it->field, strlen(it->field), 0), "control byte in field %d", i);
        FUZZ_CHECK(no_controls(it->msg, strlen(it->msg), 0), "control byte in message %d", i);
        check_key(it->key, it->params, "item");
    }
    if (e->code)
        check_key(e->key[0] ? e->key : "x", e->params, "problem");
}

/* What an accepted, non-NULL value must satisfy according to its field. */
static void check_val(const struct res_field *f, const struct res_val *v, const char *what)
{
    FUZZ_CHECK(v->set && !v->null, "%s %s: not a value", what, f->name);
    if (!res_is_int(f)) {
        FUZZ_CHECK(v->s && v->s[v->n] == 0, "%s %s: text not terminated", what, f->name);
        FUZZ_CHECK(f->type == RES_JSON || !memchr(v->s, 0, v->n), "%s %s: NUL inside", what,
                   f->name);
    }
    if (res_is_int(f) && f->has_min)
        FUZZ_CHECK(v->i >= f->min, "%s %s: %lld below min", what, f->name, (long long)v->i);
    if (res_is_int(f) && f->has_max)
        FUZZ_CHECK(v->i <= f->max, "%s %s: %lld above max", what, f->name, (long long)v->i);
    switch (f->type) {
    case RES_TEXT: {
        size_t chars = utf8_count(v->s, v->n);
        size_t max = f->max_len ? (size_t)f->max_len : 200;
        FUZZ_CHECK(chars <= max, "%s %s: %zu characters", what, f->name, chars);
        FUZZ_CHECK(!f->min_len || chars >= (size_t)f->min_len, "%s %s: too short", what, f->name);
        FUZZ_CHECK(!f->required || v->n > 0, "%s %s: empty but required", what, f->name);
        FUZZ_CHECK(no_controls(v->s, v->n, 1), "%s %s: control character", what, f->name);
        FUZZ_CHECK(res_pattern_ok(f, v->s), "%s %s: pattern", what, f->name);
        break;
    }
    case RES_ENUM: {
        int found = 0;
        for (const struct res_enum *e = f->values; e->value; e++)
            found |= strlen(e->value) == v->n && !memcmp(e->value, v->s, v->n);
        FUZZ_CHECK(found, "%s %s: '%s' is not an enum value", what, f->name, v->s);
        break;
    }
    case RES_DATE: {
        int64_t d;
        FUZZ_CHECK(!date_parse(v->s, v->n, &d), "%s %s: bad date", what, f->name);
        break;
    }
    case RES_BOOL:
        FUZZ_CHECK(v->i == 0 || v->i == 1, "%s %s: bool %lld", what, f->name, (long long)v->i);
        break;
    case RES_REF:
        FUZZ_CHECK(v->i > 0, "%s %s: ref %lld", what, f->name, (long long)v->i);
        break;
    case RES_JSON: {
        json_error_t je;
        json_t *j = json_loadb(v->s, v->n, JSON_DECODE_ANY, &je);
        FUZZ_CHECK(j, "%s %s: stored JSON does not parse", what, f->name);
        json_decref(j);
        break;
    }
    default:
        break;
    }
}

/* The text form export writes for v (arena memory), or NULL. */
static const char *to_text(struct arena *a, const struct res_field *f, const struct res_val *v,
                           size_t *n)
{
    struct buf b;
    char t[64];
    buf_init(&b, a);
    switch (f->type) {
    case RES_INT:
    case RES_MONEY:
    case RES_REF:
        buf_i64(&b, v->i);
        break;
    case RES_DECIMAL:
        buf_decimal(&b, v->i, f->scale);
        break;
    case RES_BOOL:
        buf_puts(&b, v->i ? "true" : "false");
        break;
    case RES_DATETIME:
        time_format_rfc3339(v->i, EXPORT_OFFSET_MIN, t, sizeof(t));
        buf_puts(&b, t);
        break;
    default:
        buf_append(&b, v->s, v->n);
        break;
    }
    FUZZ_CHECK(buf_ok(&b), "arena refused a small buffer");
    *n = b.len;
    return buf_cstr(&b);
}

static void same_val(const struct res_field *f, const struct res_val *x, const struct res_val *y,
                     const char *what)
{
    FUZZ_CHECK(!y->null, "%s %s: became NULL", what, f->name);
    if (res_is_int(f))
        FUZZ_CHECK(x->i == y->i, "%s %s: %lld became %lld", what, f->name, (long long)x->i,
                   (long long)y->i);
    else
        FUZZ_CHECK(x->n == y->n && !memcmp(x->s, y->s, x->n), "%s %s: '%s' became '%s'", what,
                   f->name, x->s, y->s);
}

/* An accepted value reads back the same from its text form. */
static void round_trip(struct arena *a, const struct res_field *f, const struct res_val *v,
                       const char *what)
{
    struct res_val v2;
    struct err_item why;
    size_t n;
    const char *t = to_text(a, f, v, &n);
    if (f->type == RES_DATETIME) {
        /* instants whose local date leaves 1900..2999 have no text form the
         * parser takes back (see README "Known limits") */
        int64_t days;
        if (n < 10 || date_parse(t, 10, &days))
            return;
    }
    int rc = res_val_from_text(a, f, t, n, &v2, &why);
    FUZZ_CHECK(rc == 0, "%s %s: own text form '%s' refused: %s", what, f->name, t, why.msg);
    same_val(f, v, &v2, what);
}

/* Text accepted for a field is accepted as the equivalent JSON value too. */
static void json_agrees(struct arena *a, const struct res_field *f, const struct res_val *v)
{
    json_t *j = NULL;
    struct res_val v2;
    struct err_item why;
    size_t n;
    switch (f->type) {
    case RES_INT:
    case RES_MONEY:
    case RES_REF:
        j = json_integer(v->i);
        break;
    case RES_BOOL:
        j = json_boolean(v->i);
        break;
    case RES_DECIMAL: {
        /* as CSV import sends it: an integer when whole, else a double */
        int64_t p = 1;
        for (int k = 0; k < f->scale; k++)
            p *= 10;
        if (v->i >= 1000000000000000 || v->i <= -1000000000000000)
            return; /* more than the 15 significant digits a double carries */
        j = v->i % p == 0 ? json_integer(v->i / p) : json_real((double)v->i / (double)p);
        break;
    }
    case RES_JSON:
        j = json_loadb(v->s, v->n, JSON_DECODE_ANY, NULL);
        break;
    default: {
        const char *t = to_text(a, f, v, &n);
        j = json_stringn(t, n); /* NULL when not UTF-8: JSON cannot carry it */
        break;
    }
    }
    if (!j)
        return;
    int rc = res_val_from_json(a, f, j, &v2, &why);
    json_decref(j);
    FUZZ_CHECK(rc == 0, "text/json %s: refused as JSON: %s", f->name, why.msg);
    if (f->type == RES_JSON)
        return; /* re-encoded: compact form may differ from the text */
    same_val(f, v, &v2, "text/json");
}

static void validate_all(struct arena *a, json_t *obj)
{
    static const enum res_mode modes[] = {RES_CREATE, RES_PATCH, RES_TRUSTED};
    static const char *const names[] = {"create", "patch", "trusted"};
    const struct res_entity *ent;
    for (size_t k = 0; (ent = res_at(k)) != NULL; k++) {
        int ncols;
        const struct res_field *const *cols = res_cols(ent, &ncols);
        struct res_val *vals = arena_zalloc(a, sizeof(*vals) * (size_t)ncols);
        FUZZ_CHECK(vals, "arena refused %d values", ncols);
        for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
            struct err e;
            memset(&e, 0, sizeof(e));
            int rc = res_validate(a, ent, obj, modes[m], vals, &e);
            check_err(&e);
            FUZZ_CHECK(rc == 0 || rc == -ERR_INVALID, "%s %s: rc %d", ent->name, names[m], rc);
            FUZZ_CHECK(rc || json_is_object(obj), "%s: accepted a non-object", ent->name);
            if (rc) {
                FUZZ_CHECK(e.code == ERR_INVALID, "%s: code %d", ent->name, e.code);
                FUZZ_CHECK(e.nitems >= 1, "%s %s: invalid without a field", ent->name, names[m]);
                continue;
            }
            FUZZ_CHECK(e.nitems == 0 && e.code == 0, "%s: items on success", ent->name);
            for (int i = 0; i < ncols; i++) {
                const struct res_field *f = cols[i];
                const struct res_val *v = &vals[i];
                if (i < RES_NSYS) {
                    FUZZ_CHECK(!v->set, "%s %s: system column %s set", ent->name, names[m],
                               f->name);
                    continue;
                }
                if (modes[m] != RES_TRUSTED)
                    FUZZ_CHECK(!v->set || !(f->readonly || f->hidden), "%s %s: %s is read-only",
                               ent->name, names[m], f->name);
                if (modes[m] == RES_CREATE && f->required && !f->dflt && !f->readonly)
                    FUZZ_CHECK(v->set, "%s create: required %s missing", ent->name, f->name);
                if (!v->set)
                    continue;
                if (v->null) {
                    FUZZ_CHECK(!f->required, "%s %s: required %s is NULL", ent->name, names[m],
                               f->name);
                    continue;
                }
                check_val(f, v, names[m]);
                round_trip(a, f, v, names[m]);
            }
        }
    }
}

static void text_all(struct arena *a, const char *s, size_t n)
{
    const struct res_entity *ent;
    for (size_t k = 0; (ent = res_at(k)) != NULL; k++) {
        int ncols;
        const struct res_field *const *cols = res_cols(ent, &ncols);
        for (int i = 0; i < ncols; i++) {
            const struct res_field *f = cols[i];
            struct res_val v;
            struct err_item why;
            memset(&why, 'x', sizeof(why));
            why.msg[sizeof(why.msg) - 1] = why.key[sizeof(why.key) - 1] = 0;
            why.params[sizeof(why.params) - 1] = 0;
            int rc = res_val_from_text(a, f, s, n, &v, &why);
            FUZZ_CHECK(rc == 0 || rc == -1, "%s.%s: rc %d", ent->name, f->name, rc);
            if (rc) {
                FUZZ_CHECK(strlen(why.msg) > 0 && strlen(why.msg) < sizeof(why.msg) - 1,
                           "%s.%s: no message", ent->name, f->name);
                FUZZ_CHECK(no_controls(why.msg, strlen(why.msg), 0),
                           "%s.%s: control byte in message", ent->name, f->name);
                check_key(why.key, why.params, "value");
                continue;
            }
            FUZZ_CHECK(v.set, "%s.%s: not set", ent->name, f->name);
            if (n == 0 && f->type != RES_TEXT) {
                FUZZ_CHECK(v.null, "%s.%s: empty text is not NULL", ent->name, f->name);
                continue;
            }
            if (v.null && f->format) /* an identifier's blank text is no value */
                continue;
            FUZZ_CHECK(!v.null, "%s.%s: NULL from text", ent->name, f->name);
            check_val(f, &v, "text");
            round_trip(a, f, &v, "text");
            json_agrees(a, f, &v);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new(ARENA_CAP);
    json_error_t je;
    const char *s = size ? (const char *)data : "";
    json_t *j = json_loadb(s, size, JSON_REJECT_DUPLICATES, &je);
    if (j)
        validate_all(a, j);
    json_decref(j);
    text_all(a, s, size);
    arena_free(a);
    return 0;
}
