/* SPDX-License-Identifier: MIT
 * err.c - error registry and context; see err.h.
 */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct err_info table[] = {
    {ERR_BAD_JSON, "BUR-101", 400, "malformed JSON"},
    {ERR_BAD_QUERY, "BUR-102", 400, "invalid query parameter"},
    {ERR_TOO_LARGE, "BUR-103", 413, "request body too large"},
    {ERR_MEDIA_TYPE, "BUR-104", 415, "unsupported media type"},
    {ERR_METHOD, "BUR-105", 405, "method not allowed"},
    {ERR_NO_ROUTE, "BUR-106", 404, "no such resource"},
    {ERR_NOT_FOUND, "BUR-107", 404, "record not found"},
    {ERR_BAD_CURSOR, "BUR-108", 400, "invalid cursor"},
    {ERR_BAD_CSV, "BUR-109", 400, "malformed CSV"},
    {ERR_BAD_REQUEST, "BUR-110", 400, "bad request"},
    {ERR_PRECONDITION, "BUR-111", 428, "precondition required"},
    {ERR_HEADERS_TOO_LARGE, "BUR-112", 431, "request header fields too large"},
    {ERR_INVALID, "BUR-201", 422, "invalid fields"},
    {ERR_IMPORT_REJECTED, "BUR-202", 422, "import rejected"},
    {ERR_UNAUTHENTICATED, "BUR-301", 401, "authentication required"},
    {ERR_FORBIDDEN, "BUR-302", 403, "forbidden"},
    {ERR_TOO_MANY, "BUR-303", 429, "too many attempts"},
    {ERR_CONFLICT_VERSION, "BUR-401", 409, "record changed since it was read"},
    {ERR_REFERENCED, "BUR-402", 409, "record is referenced"},
    {ERR_UNIQUE, "BUR-403", 409, "value already used"},
    {ERR_DB_UNAVAILABLE, "BUR-404", 503, "database unavailable"},
    {ERR_DB, "BUR-405", 500, "database error"},
    {ERR_DB_BUSY, "BUR-406", 503, "database busy"},
    {ERR_DB_SCHEMA, "BUR-407", 500, "database schema mismatch"},
    {ERR_CONFLICT, "BUR-408", 409, "conflict"},
    {ERR_RULE, "BUR-501", 422, "rule violated"},
    {ERR_INTERNAL, "BUR-901", 500, "internal error"},
    {ERR_BUDGET, "BUR-902", 503, "request memory budget exceeded"},
    {ERR_TIMEOUT, "BUR-903", 503, "request timed out"},
    {ERR_SHUTDOWN, "BUR-904", 503, "server shutting down"},
    {0, NULL, 0, NULL},
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
    e->detail[0] = 0;
    e->nitems = 0;
}

static void add_item(struct err *e, const char *field, const char *msg)
{
    if (e->nitems >= ERR_MAX_ITEMS)
        return;
    struct err_item *it = &e->items[e->nitems++];
    size_t fn = strnlen(field, sizeof(it->field) - 1), mn = strnlen(msg, sizeof(it->msg) - 1);
    memcpy(it->field, field, fn);
    it->field[fn] = 0;
    memcpy(it->msg, msg, mn);
    it->msg[mn] = 0;
}

int err_set(struct err *e, int code, const char *field, const char *fmt, ...)
{
    if (!e)
        return -code;
    e->code = code;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->detail, sizeof(e->detail), fmt, ap);
        va_end(ap);
    } else {
        e->detail[0] = 0;
    }
    if (field)
        add_item(e, field, e->detail);
    return -code;
}

void err_field(struct err *e, const char *field, const char *fmt, ...)
{
    char msg[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    add_item(e, field, msg);
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
