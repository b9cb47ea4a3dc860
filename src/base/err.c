/* SPDX-License-Identifier: MIT
 * err.c - error registry and context; see err.h.
 */
#include "err.h"
#include "buf.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const struct err_info table[] = {
    {ERR_BAD_JSON, "BUR-101", 400, "malformed JSON", "request.bad_json"},
    {ERR_BAD_QUERY, "BUR-102", 400, "invalid query parameter", "request.bad_query"},
    {ERR_TOO_LARGE, "BUR-103", 413, "request body too large", "request.too_large"},
    {ERR_MEDIA_TYPE, "BUR-104", 415, "unsupported media type", "request.media_type"},
    {ERR_METHOD, "BUR-105", 405, "method not allowed", "request.method"},
    {ERR_NO_ROUTE, "BUR-106", 404, "no such resource", "request.no_route"},
    {ERR_NOT_FOUND, "BUR-107", 404, "record not found", "record.not_found"},
    {ERR_BAD_CURSOR, "BUR-108", 400, "invalid cursor", "request.bad_cursor"},
    {ERR_BAD_CSV, "BUR-109", 400, "malformed CSV", "request.bad_csv"},
    {ERR_BAD_REQUEST, "BUR-110", 400, "bad request", "request.bad"},
    {ERR_PRECONDITION, "BUR-111", 428, "precondition required", "request.precondition"},
    {ERR_HEADERS_TOO_LARGE, "BUR-112", 431, "request header fields too large",
     "request.headers_too_large"},
    {ERR_INVALID, "BUR-201", 422, "invalid fields", "invalid"},
    {ERR_IMPORT_REJECTED, "BUR-202", 422, "import rejected", "import.rejected"},
    {ERR_UNAUTHENTICATED, "BUR-301", 401, "authentication required", "auth.required"},
    {ERR_FORBIDDEN, "BUR-302", 403, "forbidden", "auth.forbidden"},
    {ERR_TOO_MANY, "BUR-303", 429, "too many attempts", "auth.too_many"},
    {ERR_CONFLICT_VERSION, "BUR-401", 409, "record changed since it was read", "record.changed"},
    {ERR_REFERENCED, "BUR-402", 409, "record is referenced", "record.referenced"},
    {ERR_UNIQUE, "BUR-403", 409, "value already used", "record.unique"},
    {ERR_DB_UNAVAILABLE, "BUR-404", 503, "database unavailable", "db.unavailable"},
    {ERR_DB, "BUR-405", 500, "database error", "db.error"},
    {ERR_DB_BUSY, "BUR-406", 503, "database busy", "db.busy"},
    {ERR_DB_SCHEMA, "BUR-407", 500, "database schema mismatch", "db.schema"},
    {ERR_CONFLICT, "BUR-408", 409, "conflict", "conflict"},
    {ERR_RULE, "BUR-501", 422, "rule violated", "rule"},
    {ERR_INTERNAL, "BUR-901", 500, "internal error", "internal"},
    {ERR_BUDGET, "BUR-902", 503, "request memory budget exceeded", "request.budget"},
    {ERR_TIMEOUT, "BUR-903", 503, "request timed out", "request.timeout"},
    {ERR_SHUTDOWN, "BUR-904", 503, "server shutting down", "server.shutdown"},
    {0, NULL, 0, NULL, NULL},
};

const struct err_info *err_info(int code)
{
    if (code < 0)
        code = -code;
    for (const struct err_info *i = table; i->id; i++)
        if (i->code == code)
            return i;
    return err_info(ERR_INTERNAL);
}

const struct err_info *err_table(void)
{
    return table;
}

void err_clear(struct err *e)
{
    e->code = 0;
    e->key[0] = 0;
    e->detail[0] = 0;
    e->params[0] = 0;
    e->nitems = 0;
}

const char *err_key(const struct err *e)
{
    return e->key[0] ? e->key : err_info(e->code)->key;
}

static void copy(char *out, size_t n, const char *s)
{
    size_t k = strnlen(s, n - 1);
    memcpy(out, s, k);
    out[k] = 0;
}

/* ---- formatting with named parameters ---- */

struct out {
    char *p;
    size_t n, len; /* len may pass n: what did not fit is cut */
};

static void put(struct out *o, const char *s, size_t k)
{
    if (!o->p || !o->n)
        return;
    if (o->len + 1 < o->n) {
        size_t room = o->n - 1 - o->len, m = k < room ? k : room;
        if (m < k) /* cut: never inside a UTF-8 sequence */
            while (m && ((unsigned char)s[m] & 0xc0) == 0x80)
                m--;
        memcpy(o->p + o->len, s, m);
        o->p[o->len + m] = 0;
        if (m < k) {
            o->len = o->n; /* nothing more fits */
            return;
        }
    }
    o->len += k;
}

/* Appends a JSON member "name":value to the params object, only when all of
 * it fits (the object stays well-formed); text through buf_json_str (escaped,
 * a stray byte as U+FFFD). */
static void param(struct out *pa, const char *name, size_t nlen, const char *val, int quote)
{
    struct buf m;
    buf_init(&m, NULL);
    buf_putc(&m, pa->len > 1 ? ',' : '{');
    buf_json_str(&m, name, nlen);
    buf_putc(&m, ':');
    if (quote)
        buf_json_str(&m, val, strlen(val));
    else
        buf_puts(&m, val);
    size_t t = m.len;
    if (buf_ok(&m) && pa->p && pa->len + t + 2 <= pa->n) { /* room for it and the brace */
        if (pa->len == 0) {
            memcpy(pa->p, m.p, t);
            pa->len = t;
        } else {
            memcpy(pa->p + pa->len - 1, m.p, t); /* over the closing brace */
            pa->len += t - 1;
        }
        pa->p[pa->len++] = '}';
        pa->p[pa->len] = 0;
    }
    buf_release(&m);
}

/* A number as JSON: what printf made of it, when that is a JSON number. */
static int json_number_text(const char *s)
{
    const char *p = s;
    if (*p == '-')
        p++;
    if (*p < '0' || *p > '9')
        return 0;
    if (*p == '0' && p[1] >= '0' && p[1] <= '9')
        return 0;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (*p < '0' || *p > '9')
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == 0;
}

/* One conversion at *pp ("%..."): formats its value (taken from ap) into val
 * with the same flags, width, precision and length as printf; *quote tells
 * whether it is text (1) or a number (0). Returns 0, or -1 for a conversion
 * it does not take (%n, unknown: then spec holds it, printed as is). */
static int one_conversion(const char **pp, va_list *ap, char *spec, size_t specn, char *val,
                          size_t valn, int *quote)
{
    const char *p = *pp;
    size_t k = 0;
    spec[k++] = *p++;
    while (*p && strchr("-+ #0", *p) && k < 8)
        spec[k++] = *p++;
    if (*p == '*') {
        k += (size_t)snprintf(spec + k, specn - k, "%d", va_arg(*ap, int));
        p++;
    } else {
        while (*p >= '0' && *p <= '9' && k < 16)
            spec[k++] = *p++;
    }
    if (*p == '.') {
        spec[k++] = *p++;
        if (*p == '*') {
            k += (size_t)snprintf(spec + k, specn - k, "%d", va_arg(*ap, int));
            p++;
        } else {
            while (*p >= '0' && *p <= '9' && k < 24)
                spec[k++] = *p++;
        }
    }
    char len[3] = "";
    if ((p[0] == 'h' && p[1] == 'h') || (p[0] == 'l' && p[1] == 'l')) {
        len[0] = p[0];
        len[1] = p[1];
        p += 2;
    } else if (*p && strchr("hlzjtL", *p)) {
        len[0] = *p++;
    }
    char conv = *p ? *p++ : 0;
    for (const char *l = len; *l && k < specn - 2; l++)
        spec[k++] = *l;
    spec[k++] = conv;
    spec[k] = 0;
    *pp = p;
    *quote = 0;
    val[0] = 0;
    switch (conv) {
    case 'd':
    case 'i':
        if (!strcmp(len, "ll"))
            snprintf(val, valn, spec, va_arg(*ap, long long));
        else if (!strcmp(len, "l"))
            snprintf(val, valn, spec, va_arg(*ap, long));
        else if (!strcmp(len, "z") || !strcmp(len, "t"))
            snprintf(val, valn, spec, va_arg(*ap, ptrdiff_t));
        else if (!strcmp(len, "j"))
            snprintf(val, valn, spec, va_arg(*ap, intmax_t));
        else
            snprintf(val, valn, spec, va_arg(*ap, int));
        return 0;
    case 'u':
    case 'x':
    case 'X':
    case 'o':
        if (!strcmp(len, "ll"))
            snprintf(val, valn, spec, va_arg(*ap, unsigned long long));
        else if (!strcmp(len, "l"))
            snprintf(val, valn, spec, va_arg(*ap, unsigned long));
        else if (!strcmp(len, "z") || !strcmp(len, "t"))
            snprintf(val, valn, spec, va_arg(*ap, size_t));
        else if (!strcmp(len, "j"))
            snprintf(val, valn, spec, va_arg(*ap, uintmax_t));
        else
            snprintf(val, valn, spec, va_arg(*ap, unsigned));
        *quote = conv != 'u';
        return 0;
    case 'c':
        snprintf(val, valn, spec, va_arg(*ap, int));
        *quote = 1;
        return 0;
    case 's': {
        const char *sv = va_arg(*ap, const char *);
        snprintf(val, valn, spec, sv ? sv : "(null)");
        *quote = 1;
        return 0;
    }
    case 'f':
    case 'F':
    case 'e':
    case 'E':
    case 'g':
    case 'G':
    case 'a':
    case 'A':
        if (!strcmp(len, "L"))
            snprintf(val, valn, spec, va_arg(*ap, long double));
        else
            snprintf(val, valn, spec, va_arg(*ap, double));
        return 0;
    case 'p':
        snprintf(val, valn, spec, va_arg(*ap, void *));
        *quote = 1;
        return 0;
    default:
        return -1;
    }
}

/* The name of "{name}%…" at p: its length, p past the braces; 0 otherwise. */
static size_t param_name(const char **pp)
{
    const char *p = *pp, *q = p + 1;
    while ((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '_')
        q++;
    if (q == p + 1 || *q != '}' || q[1] != '%' || q[2] == '%')
        return 0;
    *pp = q + 1;
    return (size_t)(q - p - 1);
}

void err_vformat(char *outp, size_t outn, char *params, size_t paramsn, const char *fmt, va_list ap)
{
    struct out o = {outp, outn, 0}, pa = {params, paramsn, 0};
    va_list aq;
    va_copy(aq, ap);
    if (outp && outn)
        outp[0] = 0;
    if (params && paramsn)
        params[0] = 0;
    const char *p = fmt, *name = NULL;
    size_t nlen = 0;
    while (*p) {
        if (*p == '{') {
            const char *at = p;
            size_t n = param_name(&p);
            if (n) {
                name = at + 1;
                nlen = n;
                continue;
            }
        }
        if (*p != '%') {
            const char *q = p + 1;
            while (*q && *q != '%' && *q != '{')
                q++;
            put(&o, p, (size_t)(q - p));
            p = q;
            continue;
        }
        if (p[1] == '%') {
            put(&o, "%", 1);
            p += 2;
            continue;
        }
        char spec[32], val[512];
        int quote;
        if (one_conversion(&p, &aq, spec, sizeof(spec), val, sizeof(val), &quote)) {
            put(&o, spec, strlen(spec)); /* %n and unknown conversions: as they are */
            name = NULL;
            continue;
        }
        put(&o, val, strlen(val));
        if (name) {
            const char *v = val;
            if (!quote)
                while (*v == ' ')
                    v++; /* a width's padding */
            param(&pa, name, nlen, v, quote || !json_number_text(v));
        }
        name = NULL;
    }
    va_end(aq);
}

static void add_item(struct err *e, const char *field, const char *key, const char *msg,
                     const char *params)
{
    if (e->nitems >= ERR_MAX_ITEMS)
        return;
    struct err_item *it = &e->items[e->nitems++];
    copy(it->field, sizeof(it->field), field);
    copy(it->key, sizeof(it->key), key ? key : "field.invalid");
    copy(it->msg, sizeof(it->msg), msg);
    copy(it->params, sizeof(it->params), params ? params : "");
}

int err_set(struct err *e, int code, const char *field, const char *key, const char *fmt, ...)
{
    if (!e)
        return -code;
    e->code = code;
    copy(e->key, sizeof(e->key), key ? key : err_info(code)->key);
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        err_vformat(e->detail, sizeof(e->detail), e->params, sizeof(e->params), fmt, ap);
        va_end(ap);
    } else {
        e->detail[0] = 0;
        e->params[0] = 0;
    }
    if (field)
        add_item(e, field, e->key, e->detail, e->params);
    return -code;
}

void err_field(struct err *e, const char *field, const char *key, const char *fmt, ...)
{
    char msg[160], params[ERR_PARAMS_LEN];
    va_list ap;
    if (!e)
        return;
    va_start(ap, fmt);
    err_vformat(msg, sizeof(msg), params, sizeof(params), fmt, ap);
    va_end(ap);
    add_item(e, field, key, msg, params);
}

int err_item_set(struct err_item *it, const char *key, const char *fmt, ...)
{
    va_list ap;
    it->field[0] = 0;
    copy(it->key, sizeof(it->key), key);
    va_start(ap, fmt);
    err_vformat(it->msg, sizeof(it->msg), it->params, sizeof(it->params), fmt, ap);
    va_end(ap);
    return -1;
}

void err_add(struct err *e, const char *field, const struct err_item *it)
{
    if (e)
        add_item(e, field ? field : it->field, it->key, it->msg, it->params);
}

int err_set_item(struct err *e, int code, const char *field, const struct err_item *it)
{
    if (!e)
        return -code;
    e->code = code;
    copy(e->key, sizeof(e->key), it->key);
    copy(e->detail, sizeof(e->detail), it->msg);
    copy(e->params, sizeof(e->params), it->params);
    if (field)
        add_item(e, field, it->key, it->msg, it->params);
    return -code;
}

int err_invalid(struct err *e)
{
    int n = e ? e->nitems : 0;
    return err_set(e, ERR_INVALID, NULL, "invalid", "{n}%d field%s invalid", n,
                   n == 1 ? " is" : "s are");
}

void err_quote(char *out, size_t n, const char *s, size_t len)
{
    size_t j = 0;
    if (n == 0)
        return;
    if (len > 128)
        len = 128;
    for (size_t i = 0; i < len && j + 1 < n; i++) {
        unsigned char c = (unsigned char)s[i];
        out[j++] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
    }
    out[j] = 0;
}
