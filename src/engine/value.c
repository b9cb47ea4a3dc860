/* SPDX-License-Identifier: MIT
 * value.c - typed field values; see value.h.
 */
#include "value.h"
#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/base.h"
#include "../base/err.h"
#include "../db/db.h"
#include "idformat.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int res_is_int(const struct res_field *f)
{
    switch (f->type) {
    case RES_INT:
    case RES_DECIMAL:
    case RES_MONEY:
    case RES_BOOL:
    case RES_DATETIME:
    case RES_REF: return 1;
    default: return 0;
    }
}

size_t utf8_count(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xc0) != 0x80)
            c++;
    return c;
}

static int check_bounds(const struct res_field *f, int64_t v, struct err_item *why)
{
    char t[48];
    struct buf b;
    if (f->has_min && v < f->min) {
        buf_init(&b, NULL);
        buf_decimal(&b, f->min, f->type == RES_DECIMAL ? f->scale : 0);
        snprintf(t, sizeof(t), "%s", buf_cstr(&b));
        buf_release(&b);
        return err_item_set(why, "field.min", "must be at least {min}%s", t);
    }
    if (f->has_max && v > f->max) {
        buf_init(&b, NULL);
        buf_decimal(&b, f->max, f->type == RES_DECIMAL ? f->scale : 0);
        snprintf(t, sizeof(t), "%s", buf_cstr(&b));
        buf_release(&b);
        return err_item_set(why, "field.max", "must be at most {max}%s", t);
    }
    return 0;
}

/* "123.45" with scale 2 -> 12345; refuses more digits than the scale */
static int parse_decimal(const char *s, size_t n, int scale, int64_t *out, struct err_item *why)
{
    size_t i = 0;
    int neg = 0, frac_digits = 0, any = 0;
    uint64_t v = 0;
    if (n && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i++;
    }
    /* at most 15 digits before the point: what a JSON number carries exactly */
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
        any = 1;
        v = v * 10 + (uint64_t)(s[i] - '0');
        if (v >= 1000000000000000ull)
            return err_item_set(why, "field.too_large", "is too large");
    }
    if (i < n && s[i] == '.') {
        for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
            any = 1;
            if (frac_digits == scale) {
                if (s[i] != '0')
                    return scale ? err_item_set(why, "field.decimals",
                                                "must have at most {scale}%d decimals", scale)
                                 : err_item_set(why, "field.integer", "must be a whole number");
                continue;
            }
            v = v * 10 + (uint64_t)(s[i] - '0');
            frac_digits++;
        }
    }
    if (!any || i != n)
        return err_item_set(why, "field.number", "must be a number");
    for (; frac_digits < scale; frac_digits++)
        v *= 10;
    if (v > (uint64_t)INT64_MAX)
        return err_item_set(why, "field.too_large", "is too large");
    *out = neg ? -(int64_t)v : (int64_t)v;
    return 0;
}

static int check_text(struct arena *a, const struct res_field *f, const char *s, size_t n,
                      struct res_val *v, struct err_item *why)
{
    char norm[IDF_MAX];
    if (f->type == RES_TEXT && f->format) {
        /* a date of birth may be today wherever the tenant is */
        if (idf_normalise(idf_by_name(f->format), s, n, (clock_now() + 14 * 3600) / 86400, norm,
                          &n, why))
            return -1;
        if (!n) { /* nothing but spaces: no value */
            v->null = 1;
            return 0;
        }
        s = norm;
    }
    size_t chars = utf8_count(s, n);
    size_t max = f->max_len ? (size_t)f->max_len : 200;
    if (f->type == RES_TEXT) {
        if (chars > max) {
            return err_item_set(why, "field.too_long", "must be at most {max}%zu characters", max);
        }
        if (f->min_len && chars < (size_t)f->min_len) {
            return err_item_set(why, "field.too_short", "must be at least {min}%d characters",
                                f->min_len);
        }
        if (f->required && n == 0)
            return err_item_set(why, "field.empty", "must not be empty");
        if (memchr(s, 0, n))
            return err_item_set(why, "field.control", "must not contain NUL");
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)s[i];
            if ((c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7f)
                return err_item_set(why, "field.control", "must not contain control characters");
        }
    }
    v->s = arena_strndup(a, s, n);
    v->n = n;
    if (!v->s)
        return err_item_set(why, "request.budget", "is too large for this request");
    if (f->type == RES_TEXT && f->pattern && !res_pattern_ok(f, v->s))
        return err_item_set(why, "field.format", "has the wrong format");
    return 0;
}

static int from_text_typed(struct arena *a, const struct res_field *f, const char *s, size_t n,
                           struct res_val *v, struct err_item *why)
{
    switch (f->type) {
    case RES_TEXT:
        return check_text(a, f, s, n, v, why);
    case RES_ENUM:
        for (const struct res_enum *e = f->values; e->value; e++)
            if (strlen(e->value) == n && !memcmp(e->value, s, n))
                return check_text(a, f, s, n, v, why);
        return err_item_set(why, "field.enum", "is not one of the allowed values");
    case RES_DATE: {
        int64_t d;
        if (date_parse(s, n, &d))
            return err_item_set(why, "field.date", "must be a date YYYY-MM-DD");
        return check_text(a, f, s, n, v, why);
    }
    case RES_DATETIME:
        if (time_parse_rfc3339(s, n, &v->i))
            return err_item_set(
                why, "field.datetime",
                "must be a date and time with offset, e.g. 2026-01-31T09:30:00+08:00");
        return check_bounds(f, v->i, why);
    case RES_BOOL:
        if ((n == 4 && !memcmp(s, "true", 4)) || (n == 1 && s[0] == '1'))
            v->i = 1;
        else if ((n == 5 && !memcmp(s, "false", 5)) || (n == 1 && s[0] == '0'))
            v->i = 0;
        else
            return err_item_set(why, "field.bool", "must be true or false");
        return 0;
    case RES_INT:
    case RES_MONEY:
    case RES_REF:
        if (parse_i64(s, n, &v->i))
            return f->type == RES_MONEY
                       ? err_item_set(why, "field.fen", "must be a whole number of fen")
                       : err_item_set(why, "field.integer", "must be a whole number");
        if (f->type == RES_REF && v->i <= 0)
            return err_item_set(why, "field.ref", "must be a record id");
        return check_bounds(f, v->i, why);
    case RES_DECIMAL:
        if (parse_decimal(s, n, f->scale, &v->i, why))
            return -1;
        return check_bounds(f, v->i, why);
    case RES_JSON: {
        json_error_t je;
        json_t *j = json_loadb(s, n, JSON_DECODE_ANY, &je);
        if (!j)
            return err_item_set(why, "field.json", "must be JSON");
        json_decref(j);
        return check_text(a, f, s, n, v, why);
    }
    }
    return err_item_set(why, "internal", "has an unknown type");
}

int res_val_from_text(struct arena *a, const struct res_field *f, const char *s, size_t n,
                      struct res_val *v, struct err_item *why)
{
    memset(v, 0, sizeof(*v));
    v->set = 1;
    if (n == 0 && f->type != RES_TEXT) {
        v->null = 1;
        return 0;
    }
    return from_text_typed(a, f, s, n, v, why);
}

int res_val_from_json(struct arena *a, const struct res_field *f, json_t *j, struct res_val *v,
                      struct err_item *why)
{
    memset(v, 0, sizeof(*v));
    v->set = 1;
    if (json_is_null(j)) {
        v->null = 1;
        return 0;
    }
    switch (f->type) {
    case RES_TEXT:
    case RES_ENUM:
    case RES_DATE:
    case RES_DATETIME:
        if (!json_is_string(j))
            return err_item_set(why, "field.string", "must be a string");
        return from_text_typed(a, f, json_string_value(j), json_string_length(j), v, why);
    case RES_BOOL:
        if (!json_is_boolean(j))
            return err_item_set(why, "field.bool", "must be true or false");
        v->i = json_is_true(j);
        return 0;
    case RES_INT:
    case RES_MONEY:
    case RES_REF:
        if (!json_is_integer(j))
            return f->type == RES_MONEY
                       ? err_item_set(why, "field.fen", "must be a whole number of fen")
                       : err_item_set(why, "field.integer", "must be a whole number");
        v->i = json_integer_value(j);
        if (f->type == RES_REF && v->i <= 0)
            return err_item_set(why, "field.ref", "must be a record id");
        return check_bounds(f, v->i, why);
    case RES_DECIMAL: {
        char t[64];
        double x = json_real_value(j);
        if (json_is_integer(j)) {
            snprintf(t, sizeof(t), "%lld", (long long)json_integer_value(j));
        } else if (json_is_real(j) && isfinite(x) && fabs(x) < 1e15) {
            /* a double carries 15 significant digits: the number the client
             * wrote, within them (920368547710.2, 0.3 for 0.1 + 0.2); a tiny
             * one (1e-20) in fixed form */
            snprintf(t, sizeof(t), "%.15g", x);
            if (strchr(t, 'e'))
                snprintf(t, sizeof(t), "%.*f", f->scale + 3, x);
        } else {
            return err_item_set(why, "field.number", "must be a number");
        }
        /* the digits past those come from binary floating point: trim them */
        size_t n = strlen(t);
        if (strchr(t, '.')) {
            while (t[n - 1] == '0')
                n--;
            if (t[n - 1] == '.')
                n--;
        }
        if (parse_decimal(t, n, f->scale, &v->i, why))
            return -1;
        return check_bounds(f, v->i, why);
    }
    case RES_JSON: {
        char *d = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
        if (!d)
            return err_item_set(why, "internal", "cannot be stored");
        v->n = strlen(d);
        v->s = arena_strndup(a, d, v->n);
        core_free(d); /* json_dumps allocates with the default malloc */
        if (!v->s)
            return err_item_set(why, "request.budget", "is too large for this request");
        return 0;
    }
    }
    return err_item_set(why, "internal", "has an unknown type");
}

void res_val_bind(struct db_stmt *st, int idx, const struct res_field *f, const struct res_val *v)
{
    if (v->null)
        db_bind_null(st, idx);
    else if (res_is_int(f))
        db_bind_int(st, idx, v->i);
    else
        db_bind_text(st, idx, v->s ? v->s : "", v->n);
}

/* Column i of st as JSON (json) or as plain text (CSV; NULL appends nothing). */
static void col_out(struct buf *b, const struct res_field *f, struct db_stmt *st, int i,
                    int utc_off, int json)
{
    if (db_col_is_null(st, i)) {
        if (json)
            buf_puts(b, "null");
        return;
    }
    size_t n;
    const char *s;
    switch (f->type) {
    case RES_BOOL: buf_puts(b, db_col_int(st, i) ? "true" : "false"); break;
    case RES_DECIMAL: buf_decimal(b, db_col_int(st, i), f->scale); break;
    case RES_INT:
    case RES_MONEY:
    case RES_REF: buf_i64(b, db_col_int(st, i)); break;
    case RES_DATETIME: {
        char t[40];
        time_format_rfc3339(db_col_int(st, i), utc_off, t, sizeof(t));
        if (json)
            buf_putc(b, '"');
        buf_puts(b, t);
        if (json)
            buf_putc(b, '"');
        break;
    }
    default:
        s = db_col_text(st, i, &n);
        if (json && f->type != RES_JSON)
            buf_json_str(b, s, n);
        else
            buf_append(b, s, n);
    }
}

void res_col_json(struct buf *b, const struct res_field *f, struct db_stmt *st, int i, int utc_off)
{
    col_out(b, f, st, i, utc_off, 1);
}

void res_col_text(struct buf *b, const struct res_field *f, struct db_stmt *st, int i, int utc_off)
{
    col_out(b, f, st, i, utc_off, 0);
}

void res_col_masked(struct buf *b, const struct res_field *f, struct db_stmt *st, int i, int json)
{
    if (db_col_is_null(st, i)) {
        if (json)
            buf_puts(b, "null");
        return;
    }
    size_t n;
    const char *s = db_col_text(st, i, &n);
    char out[1024];
    size_t k = n < sizeof(out) ? idf_mask(idf_by_name(f->format), s, n, out)
                               : (size_t)snprintf(out, sizeof(out), "****"); /* none of it */
    if (json)
        buf_json_str(b, out, k);
    else
        buf_append(b, out, k);
}

json_t *res_col_to_json(const struct res_field *f, struct db_stmt *st, int i, int utc_off)
{
    if (db_col_is_null(st, i))
        return json_null();
    size_t n;
    const char *s;
    switch (f->type) {
    case RES_BOOL: return json_boolean(db_col_int(st, i));
    case RES_DECIMAL: {
        int64_t v = db_col_int(st, i);
        double d = (double)v;
        for (int k = 0; k < f->scale; k++)
            d /= 10;
        return f->scale ? json_real(d) : json_integer(v);
    }
    case RES_INT:
    case RES_MONEY:
    case RES_REF: return json_integer(db_col_int(st, i));
    case RES_DATETIME: {
        char t[40];
        time_format_rfc3339(db_col_int(st, i), utc_off, t, sizeof(t));
        return json_string(t);
    }
    case RES_JSON: {
        json_error_t je;
        s = db_col_text(st, i, &n);
        json_t *j = json_loadb(s, n, JSON_DECODE_ANY, &je);
        return j ? j : json_null();
    }
    default:
        s = db_col_text(st, i, &n);
        return json_stringn_nocheck(s, n);
    }
}

json_t *res_default_json(const struct res_field *f)
{
    if (!f->dflt)
        return NULL;
    switch (f->type) {
    case RES_BOOL: return json_boolean(!strcmp(f->dflt, "true"));
    case RES_INT:
    case RES_MONEY:
    case RES_REF: return json_integer(strtoll(f->dflt, NULL, 10));
    case RES_DECIMAL: return json_real(strtod(f->dflt, NULL));
    case RES_JSON: {
        json_error_t je;
        return json_loads(f->dflt, JSON_DECODE_ANY, &je);
    }
    default: return json_string(f->dflt);
    }
}
