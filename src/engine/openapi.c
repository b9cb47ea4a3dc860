/* SPDX-License-Identifier: MIT
 * openapi.c - the OpenAPI 3.1 document, derived from the entity registry:
 * per collection a record schema, an input schema, a patch schema and a page
 * wrapper, the generic collection routes and declared actions, module routes
 * and the core routes, with who may call them (securitySchemes: the session
 * cookie with its CSRF header, API tokens) and the errors they answer. It
 * describes the API; it validates nothing (that is validate.c). Built once,
 * as it is the same for every caller.
 *
 * A record schema holds for every role: the system fields are always sent
 * (created_by is null for rows the server made), a declared field only when
 * the caller's role does not hide it, so declared fields are never required
 * in answers (any role, built-in or custom, may hide any of them).
 */
#include "idformat.h"
#include "query.h"
#include "openapi.h"
#include "report.h"
#include "rest.h"
#include "value.h"
#include "../base/buf.h"
#include "../base/base.h"
#include "../base/err.h"
#include "../core/auth.h"
#include "../core/http.h"
#include "../core/router.h"
#include "module.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define DOC_MAX (16u << 20) /* the serialised document may not grow past this */
#define NAME_MAX_LEN 96

/* ---- small builders ---- */

static void set(json_t *o, const char *k, json_t *v)
{
    json_object_set_new(o, k, v);
}

static void set_str(json_t *o, const char *k, const char *s)
{
    if (s)
        json_object_set_new(o, k, json_string(s));
}

static json_t *labels(const char *zh, const char *en)
{
    json_t *o = json_object();
    set_str(o, "zh", zh ? zh : "");
    set_str(o, "en", en ? en : "");
    return o;
}

static json_t *ref(const char *kind, const char *name)
{
    char p[160];
    snprintf(p, sizeof(p), "#/components/%s/%s", kind, name);
    json_t *o = json_object();
    set_str(o, "$ref", p);
    return o;
}

/* "trip_requests" + "Input" -> "TripRequestsInput" */
static void schema_name(char *out, size_t n, const char *coll, const char *suffix)
{
    size_t j = 0;
    int up = 1;
    for (const char *s = coll; *s && j + 1 < n; s++) {
        if (*s == '_') {
            up = 1;
            continue;
        }
        out[j++] = up && *s >= 'a' && *s <= 'z' ? (char)(*s - 'a' + 'A') : *s;
        up = 0;
    }
    snprintf(out + j, n - j, "%s", suffix);
}

static double pow10i(int scale)
{
    double p = 1;
    for (int k = 0; k < scale; k++)
        p *= 10;
    return p;
}

static const char *const reserved_params[] = {"limit", "after", "sort", "q", "header", "count",
                                              NULL};

static int reserved(const char *name)
{
    for (const char *const *p = reserved_params; *p; p++)
        if (!strcmp(*p, name))
            return 1;
    return 0;
}

/* ---- schemas ---- */

static void set_bounds(json_t *s, const struct res_field *f)
{
    if (f->type == RES_DECIMAL) {
        /* the scale is x-scale and the description, not multipleOf: a binary
         * float check of multipleOf 0.01 refuses values such as 2.34 */
        double p = pow10i(f->scale);
        if (f->has_min)
            set(s, "minimum", f->scale ? json_real((double)f->min / p) : json_integer(f->min));
        if (f->has_max)
            set(s, "maximum", f->scale ? json_real((double)f->max / p) : json_integer(f->max));
        return;
    }
    if (f->has_min)
        set(s, "minimum", json_integer(f->min));
    else if (f->type == RES_REF)
        set(s, "minimum", json_integer(1));
    if (f->has_max)
        set(s, "maximum", json_integer(f->max));
}

/* The JSON Schema of one value of f; nullable admits null as well. */
static json_t *value_schema(const struct res_field *f, int nullable)
{
    json_t *s = json_object();
    const char *t = NULL;
    char d[512];
    switch (f->type) {
    case RES_TEXT:
        t = "string";
        set(s, "maxLength", json_integer(f->max_len ? f->max_len : 200));
        if (f->min_len)
            set(s, "minLength", json_integer(f->min_len));
        else if (f->required)
            set(s, "minLength", json_integer(1));
        set_str(s, "pattern", f->pattern);
        if (f->format) {
            /* no pattern: input takes more forms than the one stored, and a
             * masked value (x-masked) matches neither */
            set_str(s, "x-format", f->format);
            snprintf(d, sizeof(d), "%s%s", idf_describe(idf_by_name(f->format)),
                     f->mask ? "; sent masked (4403**********123X) to roles without the unmask "
                               "verb on the collection"
                             : "");
            set(s, "description", json_string(d));
        }
        if (f->mask)
            set(s, "x-masked", json_true());
        break;
    case RES_ENUM: {
        json_t *vals = json_array();
        t = "string";
        for (const struct res_enum *v = f->values; v && v->value; v++)
            json_array_append_new(vals, json_string(v->value));
        if (nullable)
            json_array_append_new(vals, json_null());
        set(s, "enum", vals);
        break;
    }
    case RES_DATE:
        t = "string";
        set_str(s, "format", "date");
        break;
    case RES_DATETIME:
        t = "string";
        set_str(s, "format", "date-time");
        break;
    case RES_INT:
    case RES_MONEY:
    case RES_REF:
        t = "integer";
        set_str(s, "format", "int64");
        if (f->type == RES_MONEY)
            set_str(s, "description", "amount in fen (1/100 yuan)");
        if (f->type == RES_REF) {
            snprintf(d, sizeof(d), "id of a record in %s", f->ref ? f->ref : "?");
            set_str(s, "description", d);
        }
        set_bounds(s, f);
        break;
    case RES_DECIMAL:
        t = "number";
        set(s, "x-scale", json_integer(f->scale));
        snprintf(d, sizeof(d),
                 "decimal with %d places (x-scale): sent with exactly %d, accepted with at "
                 "most %d (more are refused, not rounded)",
                 f->scale, f->scale, f->scale);
        set_str(s, "description", d);
        set_bounds(s, f);
        break;
    case RES_BOOL:
        t = "boolean";
        break;
    case RES_JSON:
        break; /* any JSON value */
    }
    if (t && nullable)
        set(s, "type", json_pack("[s,s]", t, "null"));
    else if (t)
        set_str(s, "type", t);
    return s;
}

static json_t *prop_schema(const struct res_field *f, int nullable, int readonly)
{
    json_t *s = value_schema(f, nullable);
    set(s, "x-labels", labels(f->zh, f->en));
    if (readonly)
        set(s, "readOnly", json_true());
    json_t *d = res_default_json(f);
    if (d)
        set(s, "default", d);
    if (f->unique)
        set(s, "x-unique", json_true());
    return s;
}

static json_t *sys_schema(const struct res_field *f)
{
    json_t *s = json_object();
    if (f->type == RES_DATETIME) {
        set_str(s, "type", "string");
        set_str(s, "format", "date-time");
    } else if (!strcmp(f->name, "created_by")) {
        /* rows the server makes (seed, demo data, jobs) have no creator */
        set(s, "type", json_pack("[s,s]", "integer", "null"));
        set_str(s, "format", "int64");
        set(s, "minimum", json_integer(1));
        set_str(s, "description",
                "id of the user who created the record (users); null when the server made it "
                "(seeded and demo rows, jobs)");
    } else {
        set_str(s, "type", "integer");
        set_str(s, "format", "int64");
        set(s, "minimum", json_integer(1));
    }
    if (!strcmp(f->name, "version"))
        set_str(s, "description",
                "increases by one on every change; the ETag, send it back in If-Match");
    set(s, "x-labels", labels(f->zh, f->en));
    set(s, "readOnly", json_true());
    return s;
}

/* <Name>: a record as the server sends it. The system fields are always
 * there; a declared field is left out when the caller's role hides it, and
 * any role may hide any declared field, so none is required. */
static json_t *record_schema(const struct res_entity *ent)
{
    int n;
    const struct res_field *const *cols = res_cols(ent, &n);
    json_t *props = json_object(), *req = json_array();
    for (int i = 0; i < n; i++) {
        const struct res_field *f = cols[i];
        if (f->hidden)
            continue;
        if (i < RES_NSYS) {
            set(props, f->name, sys_schema(f));
            json_array_append_new(req, json_string(f->name));
        } else {
            set(props, f->name, prop_schema(f, !f->required, f->readonly));
        }
    }
    json_t *s = json_object();
    set_str(s, "type", "object");
    set_str(s, "description",
            "Every key is sent (null when empty) except the fields the caller's role hides "
            "(GET /api/v1/meta lists them in caller.hidden); the system fields are never "
            "hidden.");
    set(s, "properties", props);
    set(s, "required", req);
    set(s, "x-labels", labels(ent->zh, ent->en));
    set_str(s, "x-collection", ent->name);
    set_str(s, "x-module", ent->module);
    set_str(s, "x-title", ent->title);
    return s;
}

/* <Name>Input (create) and <Name>Patch (PATCH): writable fields only. */
static json_t *input_schema(const struct res_entity *ent, int patch)
{
    json_t *props = json_object(), *req = json_array();
    for (const struct res_field *f = ent->fields; f->name; f++) {
        if (f->readonly || f->hidden)
            continue;
        set(props, f->name, prop_schema(f, !f->required, 0));
        if (!patch && f->required && !f->dflt)
            json_array_append_new(req, json_string(f->name));
    }
    json_t *s = json_object();
    set_str(s, "type", "object");
    set(s, "properties", props);
    set(s, "additionalProperties", json_false());
    if (json_array_size(req))
        set(s, "required", req);
    else
        json_decref(req);
    set_str(s, "description",
            patch ? "the fields to change; others keep their values (null clears a field)"
                  : "unknown, read-only and system fields are refused; missing fields take "
                    "their default");
    return s;
}

static json_t *page_schema(const char *item)
{
    json_t *items = json_object();
    set_str(items, "type", "array");
    set(items, "items", ref("schemas", item));
    json_t *next = json_object();
    set(next, "type", json_pack("[s,s]", "string", "null"));
    set_str(next, "description", "cursor for the next page (send as after=); null on the last");
    json_t *total = json_object();
    set_str(total, "type", "integer");
    set(total, "minimum", json_integer(0));
    set_str(total, "description", "with count=exact: how many rows match, on every page");
    json_t *props = json_object();
    set(props, "items", items);
    set(props, "next", next);
    set(props, "total", total);
    json_t *s = json_object();
    set_str(s, "type", "object");
    set(s, "properties", props);
    set(s, "required", json_pack("[s,s]", "items", "next"));
    return s;
}

/* key and params: a message's stable name and its values, for clients that
 * word messages themselves (docs/ERRORS.md lists every key). */
static void add_message_key(json_t *props)
{
    set(props, "key",
        json_pack("{s:s, s:s}", "type", "string", "description",
                  "stable name of what went wrong, e.g. fleet.dispatch.vehicle_busy"));
    set(props, "params",
        json_pack("{s:s, s:s}", "type", "object", "description",
                  "the figures and names the key's message uses, by name"));
}

static json_t *field_error_schema(void)
{
    json_t *props = json_object();
    set(props, "field",
        json_pack("{s:s, s:s}", "type", "string", "description",
                  "the offending field or query parameter"));
    set(props, "message", json_pack("{s:s}", "type", "string"));
    add_message_key(props);
    json_t *s = json_object();
    set_str(s, "type", "object");
    set(s, "required", json_pack("[s,s,s,s]", "field", "key", "params", "message"));
    set(s, "properties", props);
    return s;
}

static json_t *problem_schema(json_t *codes)
{
    json_t *props = json_object();
    set(props, "type", json_pack("{s:s, s:s}", "type", "string", "format", "uri"));
    set(props, "title", json_pack("{s:s}", "type", "string"));
    set(props, "status",
        json_pack("{s:s, s:i, s:i}", "type", "integer", "minimum", 400, "maximum", 599));
    set(props, "code",
        json_pack("{s:s, s:o, s:s}", "type", "string", "enum", codes, "description",
                  "stable error code"));
    set(props, "detail", json_pack("{s:s}", "type", "string"));
    set(props, "errors",
        json_pack("{s:s, s:o}", "type", "array", "items", ref("schemas", "FieldError")));
    set(props, "instance",
        json_pack("{s:s, s:s}", "type", "string", "description",
                  "the request id (also in the X-Request-Id header)"));
    add_message_key(props);
    json_t *s = json_object();
    set_str(s, "type", "object");
    set_str(s, "description",
            "RFC 9457 problem details; code is stable and listed in docs/ERRORS.md. Some "
            "answers add members of their own (e.g. an import's rejected rows).");
    set(s, "required",
        json_pack("[s,s,s,s,s,s,s,s]", "type", "title", "status", "code", "detail", "key", "params",
                  "errors"));
    set(s, "properties", props);
    return s;
}

static json_t *common_schemas(void)
{
    json_t *sch = json_object();
    json_t *codes = json_array();
    for (const struct err_info *i = err_table(); i->id; i++)
        json_array_append_new(codes, json_string(i->id));
    set(sch, "FieldError", field_error_schema());
    set(sch, "Problem", problem_schema(codes));
    set(sch, "ImportRow",
        json_pack("{s:s, s:[s,s,s], s:{s:{s:s, s:s}, s:{s:s, s:s}, s:{s:s}}}", "type", "object",
                  "required", "row", "field", "message", "properties", "row", "type", "integer",
                  "description",
                  "data row, counted from 1 after the header; blank rows are not counted", "field",
                  "type", "string", "description", "empty when the row as a whole is at fault",
                  "message", "type", "string"));
    set(sch, "ImportResult",
        json_pack("{s:s, s:[s,s], s:{s:{s:s, s:s}, s:{s:s, s:o, s:i}}}", "type", "object",
                  "required", "inserted", "rejected", "properties", "inserted", "type", "integer",
                  "format", "int64", "rejected", "type", "array", "items",
                  ref("schemas", "ImportRow"), "maxItems", 0));
    set(sch, "ImportProblem",
        json_pack("{s:[o,{s:[s,s,s,s], s:{s:{s:s, s:i}, s:{s:s}, s:{s:s}, s:{s:s, s:o, s:i}, "
                  "s:{s:s, s:s}}}]}",
                  "allOf", ref("schemas", "Problem"), "required", "inserted", "total",
                  "rejected_rows", "rejected", "properties", "inserted", "type", "integer", "const",
                  0, "total", "type", "integer", "rejected_rows", "type", "integer", "rejected",
                  "type", "array", "items", ref("schemas", "ImportRow"), "maxItems", 1000,
                  "rejected_truncated", "type", "integer", "description",
                  "the number of problems when more than the 1000 listed"));
    set(sch, "Health",
        json_pack("{s:s, s:[s,s,s], s:{s:{s:s, s:[s]}, s:{s:s}, s:{s:s, s:[s,s]}}}", "type",
                  "object", "required", "status", "version", "database", "properties", "status",
                  "type", "string", "enum", "ok", "version", "type", "string", "database", "type",
                  "string", "enum", "sqlite", "postgresql"));
    set(sch, "Meta",
        json_pack("{s:s, s:s, s:[s,s,s,s,s], s:{s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}, "
                  "s:{s:s}}}",
                  "type", "object", "description",
                  "what the web UI renders forms and tables from; see docs/api.md", "required",
                  "version", "schema_version", "locale_default", "modules", "collections",
                  "properties", "version", "type", "string", "schema_version", "type", "integer",
                  "locale_default", "type", "string", "modules", "type", "array", "collections",
                  "type", "array"));
    return sch;
}

/* ---- error responses: one per HTTP status, listing its BUR codes ---- */

static const struct {
    int status;
    const char *name, *reason;
} statuses[] = {
    {400, "BadRequest", "Bad Request"},
    {401, "Unauthenticated", "Unauthorized"},
    {403, "Forbidden", "Forbidden"},
    {404, "NotFound", "Not Found"},
    {405, "MethodNotAllowed", "Method Not Allowed"},
    {409, "Conflict", "Conflict"},
    {413, "TooLarge", "Content Too Large"},
    {415, "UnsupportedMediaType", "Unsupported Media Type"},
    {422, "Unprocessable", "Unprocessable Content"},
    {428, "PreconditionRequired", "Precondition Required"},
    {429, "TooManyRequests", "Too Many Requests"},
    {500, "InternalError", "Internal Server Error"},
    {503, "Unavailable", "Service Unavailable"},
};

/* The components/responses key for status ("NotFound", or "Status404"). */
static const char *status_name(int status, char *tmp, size_t n)
{
    for (size_t i = 0; i < ARRAY_LEN(statuses); i++)
        if (statuses[i].status == status)
            return statuses[i].name;
    snprintf(tmp, n, "Status%d", status);
    return tmp;
}

static const char *status_reason(int status)
{
    for (size_t i = 0; i < ARRAY_LEN(statuses); i++)
        if (statuses[i].status == status)
            return statuses[i].reason;
    return "Error";
}

static json_t *problem_content(const char *schema)
{
    json_t *c = json_object();
    set(c, "application/problem+json", json_pack("{s:o}", "schema", ref("schemas", schema)));
    return c;
}

/* 1 when some operation under x refers to #/components/responses/name. */
static int response_used(json_t *x, const char *name)
{
    const char *k;
    json_t *v;
    size_t i;
    static const char prefix[] = "#/components/responses/";
    if (json_is_array(x)) {
        json_array_foreach(x, i, v)
        {
            if (response_used(v, name))
                return 1;
        }
        return 0;
    }
    if (!json_is_object(x))
        return 0;
    json_object_foreach(x, k, v)
    {
        if (!strcmp(k, "$ref") && json_is_string(v) &&
            !strncmp(json_string_value(v), prefix, sizeof(prefix) - 1) &&
            !strcmp(json_string_value(v) + sizeof(prefix) - 1, name))
            return 1;
        if (response_used(v, name))
            return 1;
    }
    return 0;
}

/* The error responses the operations in paths refer to (a status no
 * documented operation answers, such as 405, is left out). */
static json_t *error_responses(json_t *paths)
{
    json_t *out = json_object();
    for (const struct err_info *i = err_table(); i->id; i++) {
        char tmp[16];
        const char *name = status_name(i->status, tmp, sizeof(tmp));
        if (json_object_get(out, name) || !response_used(paths, name))
            continue;
        char d[1024];
        size_t len =
            (size_t)snprintf(d, sizeof(d), "%d %s. Codes:", i->status, status_reason(i->status));
        for (const struct err_info *k = i; k->id && len < sizeof(d); k++)
            if (k->status == i->status)
                len += (size_t)snprintf(d + len, sizeof(d) - len, " %s %s;", k->id, k->title);
        if (len < sizeof(d) && d[len - 1] == ';')
            d[len - 1] = 0;
        json_t *r = json_object();
        set_str(r, "description", d);
        set(r, "content", problem_content("Problem"));
        if (i->status == 503)
            set(r, "headers",
                json_pack("{s:{s:s, s:{s:s}}}", "Retry-After", "description", "seconds to wait",
                          "schema", "type", "integer"));
        set(out, name, r);
    }
    return out;
}

static void add_errors(json_t *op, const int *codes)
{
    json_t *resp = json_object_get(op, "responses");
    for (const int *s = codes; *s; s++) {
        char k[8], tmp[16];
        snprintf(k, sizeof(k), "%d", *s);
        set(resp, k, ref("responses", status_name(*s, tmp, sizeof(tmp))));
    }
}

/* ---- who may call ---- */

enum op_access {
    OP_PUBLIC, /* anyone: no credentials needed */
    OP_READ,   /* a session cookie or an API token (the document's default) */
    OP_WRITE,  /* the same, and with the cookie the X-CSRF-Token header */
};

/* Sets op's security and the errors that come with it: 401 without valid
 * credentials; 403 when the role may not, the CSRF token is missing or
 * wrong, or a password an administrator reset must be changed first. */
static void op_access(json_t *op, enum op_access acc)
{
    static const int e_auth[] = {401, 403, 0};
    if (acc == OP_PUBLIC) {
        set(op, "security", json_array());
        return;
    }
    if (acc == OP_WRITE)
        set(op, "security", json_pack("[{s:[], s:[]}, {s:[]}]", "session", "csrf", "bearer"));
    add_errors(op, e_auth);
}

static json_t *security_schemes(void)
{
    json_t *s = json_object();
    set(s, "session",
        json_pack("{s:s, s:s, s:s, s:s}", "type", "apiKey", "in", "cookie", "name", AUTH_COOKIE,
                  "description",
                  "the session cookie POST /api/v1/session sets (HttpOnly, SameSite=Strict); "
                  "requests that change something also send X-CSRF-Token"));
    set(s, "csrf",
        json_pack("{s:s, s:s, s:s, s:s}", "type", "apiKey", "in", "header", "name", "X-CSRF-Token",
                  "description",
                  "the csrf value of the sign-in answer (or of GET /api/v1/session); "
                  "required with the session cookie on POST, PUT, PATCH and DELETE, "
                  "403 BUR-302 without it"));
    set(s, "bearer",
        json_pack("{s:s, s:s, s:s}", "type", "http", "scheme", "bearer", "description",
                  "Authorization: Bearer <API token> (POST /api/v1/api_tokens shows the "
                  "secret once); no CSRF header needed"));
    return s;
}

/* ---- parameters and headers ---- */

static json_t *common_parameters(void)
{
    json_t *p = json_object();
    set(p, "id",
        json_pack("{s:s, s:s, s:b, s:{s:s, s:s, s:i}}", "name", "id", "in", "path", "required", 1,
                  "schema", "type", "integer", "format", "int64", "minimum", 1));
    set(p, "limit",
        json_pack("{s:s, s:s, s:s, s:{s:s, s:i, s:i, s:i}}", "name", "limit", "in", "query",
                  "description", "rows per page", "schema", "type", "integer", "minimum", 1,
                  "maximum", QUERY_LIMIT_MAX, "default", QUERY_LIMIT_DEFAULT));
    set(p, "after",
        json_pack("{s:s, s:s, s:s, s:{s:s, s:i}}", "name", "after", "in", "query", "description",
                  "the next cursor of the previous page; valid only with the same sort", "schema",
                  "type", "string", "maxLength", 2048));
    set(p, "count",
        json_pack("{s:s, s:s, s:s, s:{s:s, s:[s]}}", "name", "count", "in", "query", "description",
                  "exact: the answer carries total, how many rows match (a COUNT over the "
                  "filters and the caller's scope)",
                  "schema", "type", "string", "enum", "exact"));
    set(p, "If-Match",
        json_pack("{s:s, s:s, s:b, s:s, s:{s:s}}", "name", "If-Match", "in", "header", "required",
                  0, "description",
                  "the ETag (version) read before; a stale one gets 409 BUR-401. Optional: "
                  "without it the change applies to whatever version is current",
                  "schema", "type", "string"));
    return p;
}

static json_t *common_headers(void)
{
    json_t *h = json_object();
    set(h, "ETag",
        json_pack("{s:s, s:{s:s}}", "description",
                  "the record's version as a strong ETag, e.g. \"3\"", "schema", "type", "string"));
    set(h, "Location",
        json_pack("{s:s, s:{s:s}}", "description", "path of the new record", "schema", "type",
                  "string"));
    return h;
}

static const char *ops_text = "ne, lt, lte, gt, gte, in (comma-separated), null (true|false)";
static const char *ops_text_str =
    "ne, lt, lte, gt, gte, in (comma-separated), contains, prefix, null (true|false)";

static json_t *filter_param(const struct res_field *f)
{
    char d[512];
    snprintf(d, sizeof(d), "%s (%s): equals%s. Also %s[op]=value with op one of: %s",
             f->en ? f->en : f->name, f->zh ? f->zh : "",
             f->type == RES_TEXT ? "" : "; an empty value means is null", f->name,
             f->type == RES_TEXT ? ops_text_str : ops_text);
    json_t *p = json_object();
    set_str(p, "name", f->name);
    set_str(p, "in", "query");
    set_str(p, "description", d);
    set(p, "schema", value_schema(f, 0));
    return p;
}

/* Query parameters of the list (export 0) and the CSV (1) and XLSX (2) exports. */
static json_t *query_params(const struct res_entity *ent, int export)
{
    int n;
    const struct res_field *const *cols = res_cols(ent, &n);
    json_t *params = json_array();
    if (!export) {
        json_array_append_new(params, ref("parameters", "limit"));
        json_array_append_new(params, ref("parameters", "after"));
        json_array_append_new(params, ref("parameters", "count"));
    }
    json_t *sorts = json_array();
    for (int i = 0; i < n; i++) {
        char neg[NAME_MAX_LEN];
        if (!query_sortable(cols[i]))
            continue;
        snprintf(neg, sizeof(neg), "-%s", cols[i]->name);
        json_array_append_new(sorts, json_string(cols[i]->name));
        json_array_append_new(sorts, json_string(neg));
    }
    const char *dsort = ent->default_sort ? ent->default_sort : "id";
    json_array_append_new(
        params, json_pack("{s:s, s:s, s:s, s:{s:s, s:o, s:s}}", "name", "sort", "in", "query",
                          "description", "field to sort by, - for descending; ties break by id",
                          "schema", "type", "string", "enum", sorts, "default", dsort));
    char qd[512];
    size_t len = (size_t)snprintf(qd, sizeof(qd), "text search (case-insensitive substring) in:");
    int any = 0;
    for (const struct res_field *f = ent->fields; f->name; f++)
        if (f->search && !f->hidden && len < sizeof(qd)) {
            len += (size_t)snprintf(qd + len, sizeof(qd) - len, "%s %s", any ? "," : "", f->name);
            any = 1;
        }
    if (!any)
        snprintf(qd, sizeof(qd),
                 "text search; this collection has no searchable fields, so "
                 "any q matches nothing");
    json_array_append_new(params, json_pack("{s:s, s:s, s:s, s:{s:s, s:i}}", "name", "q", "in",
                                            "query", "description", qd, "schema", "type", "string",
                                            "maxLength", 200));
    if (export)
        json_array_append_new(
            params, json_pack("{s:s, s:s, s:s, s:{s:s, s:[s,s,s], s:s}}", "name", "header", "in",
                              "query", "description",
                              "column headings: field names, or the Chinese (zh) or English "
                              "(en) labels",
                              "schema", "type", "string", "enum", "names", "zh", "en", "default",
                              export == 2 ? "zh" : "names"));
    for (int i = 0; i < n; i++)
        if (query_filterable(cols[i]) && !reserved(cols[i]->name))
            json_array_append_new(params, filter_param(cols[i]));
    return params;
}

/* ---- operations ---- */

static json_t *op_new(const char *id, const char *tag, const char *summary)
{
    json_t *op = json_object();
    set_str(op, "operationId", id);
    set(op, "tags", json_pack("[s]", tag));
    set_str(op, "summary", summary);
    set(op, "responses", json_object());
    return op;
}

static void op_ok(json_t *op, const char *status, const char *desc, const char *ctype,
                  json_t *schema, json_t *headers)
{
    json_t *r = json_object();
    set_str(r, "description", desc);
    if (ctype) {
        json_t *c = json_object();
        set(c, ctype, json_pack("{s:o}", "schema", schema));
        set(r, "content", c);
    } else {
        json_decref(schema);
    }
    if (headers)
        set(r, "headers", headers);
    set(json_object_get(op, "responses"), status, r);
}

static json_t *json_body(json_t *schema, int required, int merge_patch)
{
    json_t *c = json_object();
    if (merge_patch)
        set(c, "application/merge-patch+json", json_pack("{s:O}", "schema", schema));
    set(c, "application/json", json_pack("{s:o}", "schema", schema));
    return json_pack("{s:b, s:o}", "required", required, "content", c);
}

static json_t *etag_headers(int location)
{
    json_t *h = json_object();
    set(h, "ETag", ref("headers", "ETag"));
    if (location)
        set(h, "Location", ref("headers", "Location"));
    return h;
}

static json_t *path_item(json_t *paths, const char *path)
{
    json_t *p = json_object_get(paths, path);
    if (!p) {
        p = json_object();
        set(paths, path, p);
    }
    return p;
}

/* What every operation of a collection names: its tag, labels and schemas. */
struct coll {
    json_t *paths;
    const struct res_entity *ent;
    const char *tag, *en, *zh;
    char rec[NAME_MAX_LEN], input[NAME_MAX_LEN], patch[NAME_MAX_LEN], page[NAME_MAX_LEN];
};

#define COLL_LOCALS                                                                                \
    const struct res_entity *ent = c->ent;                                                         \
    json_t *paths = c->paths;                                                                      \
    const char *tag = c->tag, *en = c->en, *zh = c->zh, *rec = c->rec, *input = c->input,          \
               *patch = c->patch, *page = c->page;                                                 \
    char path[256], id[160], sum[256];                                                             \
    (void)en, (void)zh, (void)rec, (void)input, (void)patch, (void)page, (void)paths

static const int e_list[] = {400, 500, 503, 0};
static const int e_create[] = {400, 409, 413, 415, 422, 500, 503, 0};
static const int e_get[] = {400, 404, 500, 503, 0};
static const int e_patch[] = {400, 404, 409, 413, 415, 422, 500, 503, 0};
static const int e_delete[] = {400, 404, 409, 500, 503, 0};
static const int e_import[] = {400, 413, 415, 500, 503, 0};
static const int e_action[] = {400, 404, 409, 413, 415, 422, 500, 503, 0};

/* /api/v1/NAME: list, create */
static void add_list(const struct coll *c)
{
    COLL_LOCALS;
    snprintf(path, sizeof(path), "/api/v1/%s", ent->name);
    json_t *item = path_item(paths, path);
    snprintf(id, sizeof(id), "%s_list", ent->name);
    snprintf(sum, sizeof(sum), "List %s (%s)", en, zh);
    json_t *op = op_new(id, tag, sum);
    set_str(op, "description",
            "Keyset paging: follow next (as after=) until it is null. Unknown parameters, "
            "unfilterable fields, bad operators and values of the wrong type get 400 BUR-102.");
    set(op, "parameters", query_params(ent, 0));
    op_ok(op, "200", "one page of records", "application/json", ref("schemas", page), NULL);
    add_errors(op, e_list);
    op_access(op, OP_READ);
    set(item, "get", op);

    /* the server alone writes an api_readonly collection: the write routes
     * answer 405 there, so they are not operations of it */
    int writes = !ent->api_readonly;

    if (writes) {
        snprintf(id, sizeof(id), "%s_create", ent->name);
        snprintf(sum, sizeof(sum), "Create a record in %s (%s)", en, zh);
        op = op_new(id, tag, sum);
        set_str(op, "description", "Validation reports every bad field at once (422 BUR-201).");
        set(op, "requestBody", json_body(ref("schemas", input), 1, 0));
        op_ok(op, "201", "created", "application/json", ref("schemas", rec), etag_headers(1));
        add_errors(op, e_create);
        op_access(op, OP_WRITE);
        set(item, "post", op);
    }
}

/* /api/v1/NAME/{id}: get, patch, delete */
static void add_record(const struct coll *c)
{
    COLL_LOCALS;
    json_t *item, *op;
    int writes = !ent->api_readonly;
    snprintf(path, sizeof(path), "/api/v1/%s/{id}", ent->name);
    item = path_item(paths, path);
    set(item, "parameters", json_pack("[o]", ref("parameters", "id")));
    snprintf(id, sizeof(id), "%s_get", ent->name);
    snprintf(sum, sizeof(sum), "Get one record of %s (%s)", en, zh);
    op = op_new(id, tag, sum);
    op_ok(op, "200", "the record", "application/json", ref("schemas", rec), etag_headers(0));
    add_errors(op, e_get);
    op_access(op, OP_READ);
    set(item, "get", op);

    if (writes) {
        snprintf(id, sizeof(id), "%s_update", ent->name);
        snprintf(sum, sizeof(sum), "Change a record of %s (%s)", en, zh);
        op = op_new(id, tag, sum);
        set_str(op, "description",
                "Send only the fields to change. With If-Match, a record changed since it was "
                "read gets 409 BUR-401.");
        set(op, "parameters", json_pack("[o]", ref("parameters", "If-Match")));
        set(op, "requestBody", json_body(ref("schemas", patch), 1, 1));
        op_ok(op, "200", "the changed record", "application/json", ref("schemas", rec),
              etag_headers(0));
        add_errors(op, e_patch);
        op_access(op, OP_WRITE);
        set(item, "patch", op);
    }

    if (writes && !ent->no_delete) {
        snprintf(id, sizeof(id), "%s_delete", ent->name);
        snprintf(sum, sizeof(sum), "Delete a record of %s (%s)", en, zh);
        op = op_new(id, tag, sum);
        set_str(op, "description",
                "409 BUR-402 while other records reference it; 409 BUR-401 on a stale "
                "If-Match.");
        set(op, "parameters", json_pack("[o]", ref("parameters", "If-Match")));
        op_ok(op, "204", "deleted", NULL, NULL, NULL);
        add_errors(op, e_delete);
        op_access(op, OP_WRITE);
        set(item, "delete", op);
    }
}

/* /api/v1/NAME.csv, .xlsx and /api/v1/NAME/import */
static void add_files(const struct coll *c)
{
    COLL_LOCALS;
    json_t *item, *op;
    int writes = !ent->api_readonly;
    static const struct {
        const char *ext, *ctype, *what;
    } exports[] = {
        {"csv", "text/csv", "CSV (UTF-8)"},
        {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"},
    };
    for (size_t k = 0; k < ARRAY_LEN(exports); k++) {
        snprintf(path, sizeof(path), "/api/v1/%s.%s", ent->name, exports[k].ext);
        item = path_item(paths, path);
        snprintf(id, sizeof(id), "%s_export_%s", ent->name, exports[k].ext);
        snprintf(sum, sizeof(sum), "Export %s (%s) as %s", en, zh, exports[k].what);
        op = op_new(id, tag, sum);
        set_str(op, "description",
                "Every row matching the filters, in the sort order (at most 1,000,000 rows); "
                "limit and after are ignored. Columns: id, the fields, created_at, "
                "updated_at.");
        set(op, "parameters", query_params(ent, (int)k + 1));
        op_ok(op, "200", "the file", exports[k].ctype,
              k ? json_pack("{s:s, s:s}", "type", "string", "format", "binary")
                : json_pack("{s:s}", "type", "string"),
              NULL);
        add_errors(op, e_list);
        op_access(op, OP_READ);
        set(item, "get", op);
    }

    if (writes) {
        /* import */
        snprintf(path, sizeof(path), "/api/v1/%s/import", ent->name);
        item = path_item(paths, path);
        snprintf(id, sizeof(id), "%s_import", ent->name);
        snprintf(sum, sizeof(sum), "Import CSV into %s (%s)", en, zh);
        op = op_new(id, tag, sum);
        set_str(op, "description",
                "All or nothing: every row is checked first; when any is rejected nothing is "
                "inserted and 422 BUR-202 lists the rejected rows. The header row names the "
                "columns by field name or by the Chinese or English label; id, version, "
                "created_at, updated_at and read-only columns are ignored; empty cells take the "
                "default. Enum cells take the value or its label, bool cells true/false, 1/0 or "
                "是/否. UTF-8 (a BOM is fine); the body may be up to 64 MiB and 200000 rows.");
        set(op, "requestBody",
            json_pack("{s:b, s:{s:{s:{s:s}}, s:{s:{s:s}}}}", "required", 1, "content", "text/csv",
                      "schema", "type", "string", "application/csv", "schema", "type", "string"));
        op_ok(op, "200", "every row inserted", "application/json", ref("schemas", "ImportResult"),
              NULL);
        set(json_object_get(op, "responses"), "422",
            json_pack("{s:s, s:o}", "description",
                      "422 import rejected (BUR-202): rows with their errors; nothing inserted",
                      "content", problem_content("ImportProblem")));
        add_errors(op, e_import);
        op_access(op, OP_WRITE);
        set(item, "post", op);
    }
}

/* A declared step's body: its members as properties, the required ones
 * required, nothing else. */
static json_t *step_body(const struct res_action *a)
{
    json_t *props = json_object(), *req = json_array();
    for (const struct res_field *f = a->body; f && f->name; f++) {
        set(props, f->name, prop_schema(f, 1, 0));
        if (f->required)
            json_array_append_new(req, json_string(f->name));
    }
    json_t *body = json_pack("{s:s, s:o, s:b}", "type", "object", "properties", props,
                             "additionalProperties", 0);
    if (json_array_size(req))
        set(body, "required", req);
    else
        json_decref(req);
    return body;
}

/* /api/v1/NAME/{id}/ACTION */
static void add_actions(const struct coll *c)
{
    COLL_LOCALS;
    json_t *item, *op;
    for (const struct res_action *a = ent->actions; a && a->name; a++) {
        snprintf(path, sizeof(path), "/api/v1/%s/{id}/%s", ent->name, a->name);
        item = path_item(paths, path);
        set(item, "parameters", json_pack("[o]", ref("parameters", "id")));
        snprintf(id, sizeof(id), "%s_%s", ent->name, a->name);
        snprintf(sum, sizeof(sum), "%s (%s)", a->en ? a->en : a->name, a->zh ? a->zh : "");
        op = op_new(id, tag, sum);
        set(op, "x-labels", labels(a->zh, a->en));
        if (a->fn) { /* a handler of its own */
            set(op, "requestBody", json_body(json_pack("{s:s}", "type", "object"), 0, 0));
            op_ok(op, "200", "done", "application/json", json_pack("{s:s}", "type", "object"),
                  NULL);
        } else { /* a declared step: its members, and the record as it is afterwards */
            json_t *from = json_array();
            set(op, "requestBody", json_body(step_body(a), 0, 0));
            for (const char *const *s = a->from; s && *s; s++)
                json_array_append_new(from, json_string(*s));
            set(op, "x-from", from);
            if (a->to)
                set_str(op, "x-to", a->to);
            op_ok(op, "200", "the record after the step", "application/json", ref("schemas", rec),
                  NULL);
        }
        add_errors(op, e_action);
        op_access(op, OP_WRITE);
        set(item, "post", op);
    }
}

static void add_collection(json_t *paths, const struct res_entity *ent)
{
    struct coll c = {.paths = paths,
                     .ent = ent,
                     .tag = ent->module ? ent->module : "core",
                     .en = ent->en ? ent->en : ent->name,
                     .zh = ent->zh ? ent->zh : ""};
    schema_name(c.rec, sizeof(c.rec), ent->name, "");
    schema_name(c.input, sizeof(c.input), ent->name, "Input");
    schema_name(c.patch, sizeof(c.patch), ent->name, "Patch");
    schema_name(c.page, sizeof(c.page), ent->name, "Page");
    add_list(&c);
    add_record(&c);
    add_files(&c);
    add_actions(&c);
}

static const char *method_key(enum http_method m)
{
    switch (m) {
    case HTTP_GET:
        return "get";
    case HTTP_HEAD:
        return "head";
    case HTTP_POST:
        return "post";
    case HTTP_PUT:
        return "put";
    case HTTP_PATCH:
        return "patch";
    case HTTP_DELETE:
        return "delete";
    case HTTP_OPTIONS:
        return "options";
    default:
        return NULL;
    }
}

/* Routes a module declares by hand: described generically ("{rest*}" -> "{rest}"). */
static void add_module_routes(json_t *paths, const struct module *m)
{
    static const int e_any[] = {400, 404, 409, 422, 500, 503, 0};
    for (const struct route *rt = m->routes; rt && rt->pattern; rt++) {
        const char *mk = method_key(rt->method);
        char path[256], id[320];
        size_t j = 0;
        if (!mk)
            continue;
        for (const char *s = rt->pattern; *s && j + 1 < sizeof(path); s++)
            if (*s != '*')
                path[j++] = *s;
        path[j] = 0;
        json_t *item = path_item(paths, path);
        if (json_object_get(item, mk))
            continue;
        json_t *params = json_array();
        for (const char *s = strchr(path, '{'); s; s = strchr(s + 1, '{')) {
            const char *e = strchr(s, '}');
            if (!e)
                break;
            json_t *p = json_object();
            set(p, "name", json_stringn(s + 1, (size_t)(e - s - 1)));
            set_str(p, "in", "path");
            set(p, "required", json_true());
            set(p, "schema", json_pack("{s:s}", "type", "string"));
            json_array_append_new(params, p);
        }
        j = (size_t)snprintf(id, sizeof(id), "%s_%s", m->name, mk);
        for (const char *s = path; *s && j + 1 < sizeof(id); s++)
            id[j++] = (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ? *s : '_';
        id[j] = 0;
        json_t *op = op_new(id, m->name, rt->pattern);
        if (json_array_size(params))
            set(op, "parameters", params);
        else
            json_decref(params);
        op_ok(op, "200", "done", "application/json", json_object(), NULL);
        add_errors(op, e_any);
        if (rt->is_public)
            op_access(op, OP_PUBLIC);
        else
            op_access(op, rt->method == HTTP_GET || rt->method == HTTP_HEAD ? OP_READ : OP_WRITE);
        if (rt->throttled) {
            /* a public route that checks a password: 401 when it is wrong */
            static const int e_pw_public[] = {401, 429, 0}, e_pw[] = {429, 0};
            add_errors(op, rt->is_public ? e_pw_public : e_pw);
        }
        set(item, mk, op);
    }
}

/* The engine's own routes that are not a collection's (rest.c). Every route
 * refuses a query string with a NUL or invalid UTF-8 (400 BUR-102). */
static void add_core(json_t *paths)
{
    static const int e_public[] = {400, 500, 503, 0};
    static const int e_web[] = {400, 404, 0};
    json_t *op = op_new("health", "system", "Liveness and version");
    op_ok(op, "200", "up", "application/json", ref("schemas", "Health"), NULL);
    add_errors(op, e_public);
    op_access(op, OP_PUBLIC);
    set(path_item(paths, "/api/health"), "get", op);

    op = op_new("metrics", "system", "Prometheus metrics");
    op_ok(op, "200", "metrics in the Prometheus text format", "text/plain",
          json_pack("{s:s}", "type", "string"), NULL);
    add_errors(op, e_public);
    op_access(op, OP_PUBLIC);
    set(path_item(paths, "/metrics"), "get", op);

    op = op_new("meta", "system", "Collections, fields, labels, enums and actions for the UI");
    set_str(op, "description",
            "Public. With a session cookie or an API token it also tells the caller what "
            "they may do (caller: can, hidden, masked).");
    op_ok(op, "200", "the UI metadata", "application/json", ref("schemas", "Meta"), NULL);
    add_errors(op, e_public);
    op_access(op, OP_PUBLIC);
    set(path_item(paths, "/api/v1/meta"), "get", op);

    op = op_new("openapi", "system", "This document");
    op_ok(op, "200", "OpenAPI 3.1", "application/json", json_pack("{s:s}", "type", "object"), NULL);
    add_errors(op, e_public);
    op_access(op, OP_PUBLIC);
    set(path_item(paths, "/api/v1/openapi.json"), "get", op);

    /* the web UI's files: every other GET outside /api/ and /metrics */
    op = op_new("web_index", "web", "The web UI (index.html)");
    op_ok(op, "200", "index.html", "text/html", json_pack("{s:s}", "type", "string"), NULL);
    set(json_object_get(op, "responses"), "304",
        json_pack("{s:s}", "description", "not modified (If-None-Match)"));
    add_errors(op, e_web);
    op_access(op, OP_PUBLIC);
    set(path_item(paths, "/"), "get", op);

    op = op_new("web_file", "web", "A file of the web UI");
    set_str(op, "description",
            "A file of web/ (ETag, Cache-Control: no-cache), or vendor/<package>@<version>/"
            "<file> for the npm files index.html names (immutable). The path may hold "
            "slashes. Never under /api/ or /metrics.");
    set(op, "parameters",
        json_pack("[{s:s, s:s, s:b, s:s, s:{s:s}}]", "name", "path", "in", "path", "required", 1,
                  "description", "the file, e.g. app.js or vendor/vue@3.5.45/dist/x.js", "schema",
                  "type", "string"));
    op_ok(op, "200", "the file, with the Content-Type of its extension", "*/*",
          json_pack("{s:s, s:s}", "type", "string", "format", "binary"), NULL);
    set(json_object_get(op, "responses"), "304",
        json_pack("{s:s}", "description", "not modified (If-None-Match)"));
    add_errors(op, e_web);
    op_access(op, OP_PUBLIC);
    set(path_item(paths, "/{path}"), "get", op);
}

static const char *intro =
    "JSON API of bureau, the district Government Offices Administration Bureau system. "
    "Generated from the entity registry.\n\n"
    "Sign in with POST /api/v1/session: the answer sets the bureau_session cookie and "
    "carries a csrf value to send as X-CSRF-Token on every POST, PUT, PATCH and DELETE. "
    "Scripts and devices send Authorization: Bearer <API token> instead. Without either an "
    "operation that is not public answers 401 BUR-301; what the caller's role does not "
    "grant, 403 BUR-302.\n\n"
    "Lists: `?field=v` (empty v: is null), `?field[op]=v` with op eq, ne, lt, lte, gt, gte, "
    "in (comma-separated, at most 100), contains and prefix (text only), null (true|false); "
    "`q` searches the searchable fields; `sort=field` or `sort=-field`; `limit` 1..500 "
    "(default 50); keyset paging with `after` = the `next` of the previous page.\n\n"
    "Values: datetimes are RFC 3339 with the offset (+08:00), dates YYYY-MM-DD, money is "
    "integer fen, decimals have a fixed number of places (x-scale). A record leaves out "
    "the fields the caller's role hides. Query strings are UTF-8 without NUL (else 400 "
    "BUR-102 naming the parameter).\n\n"
    "Errors are application/problem+json with a stable code (BUR-nnn, see docs/ERRORS.md) "
    "and every field error at once.\n\n"
    "Limits: a body may be 1 MiB (an import 64 MiB); over that 413 BUR-103. The request line "
    "and headers may be 32 KiB; over that 431 BUR-112.";

static json_t *build(void)
{
    json_t *paths = json_object(), *schemas = common_schemas(), *tags = json_array();
    const struct res_entity *ent;
    add_core(paths);
    for (size_t i = 0; (ent = res_at(i)); i++) {
        char name[NAME_MAX_LEN];
        schema_name(name, sizeof(name), ent->name, "");
        set(schemas, name, record_schema(ent));
        if (!ent->api_readonly) { /* no create or update: no input schemas */
            schema_name(name, sizeof(name), ent->name, "Input");
            set(schemas, name, input_schema(ent, 0));
            schema_name(name, sizeof(name), ent->name, "Patch");
            set(schemas, name, input_schema(ent, 1));
        }
        char item[NAME_MAX_LEN];
        schema_name(item, sizeof(item), ent->name, "");
        schema_name(name, sizeof(name), ent->name, "Page");
        set(schemas, name, page_schema(item));
        add_collection(paths, ent);
    }
    json_array_append_new(tags, json_pack("{s:s, s:s, s:{s:s, s:s}}", "name", "system",
                                          "description", "health, metrics and documents",
                                          "x-labels", "zh", "系统", "en", "System"));
    json_array_append_new(tags, json_pack("{s:s, s:s, s:{s:s, s:s}}", "name", "web", "description",
                                          "the browser UI's files", "x-labels", "zh", "网页", "en",
                                          "Web UI"));
    for (const struct module *const *m = engine_modules(); *m; m++) {
        json_t *t = json_object();
        set_str(t, "name", (*m)->name);
        set_str(t, "description", (*m)->en ? (*m)->en : (*m)->name);
        set(t, "x-labels", labels((*m)->zh, (*m)->en));
        json_array_append_new(tags, t);
        add_module_routes(paths, *m);
    }
    json_t *comp = json_object();
    set(comp, "schemas", schemas);
    set(comp, "responses", error_responses(paths));
    set(comp, "parameters", common_parameters());
    set(comp, "headers", common_headers());
    set(comp, "securitySchemes", security_schemes());

    json_t *info = json_object();
    set_str(info, "title", "bureau API");
    set_str(info, "version", BUREAU_VERSION);
    set_str(info, "description", intro);
    set(info, "license", json_pack("{s:s, s:s}", "name", "MIT", "identifier", "MIT"));
    set(info, "x-schema-version", json_integer(res_schema_version()));

    json_t *doc = json_object();
    set_str(doc, "openapi", "3.1.0");
    set(doc, "info", info);
    set(doc, "servers",
        json_pack("[{s:s, s:s}]", "url", "/", "description",
                  "this server (the document is served from it)"));
    /* the default: a session cookie or an API token; public operations say [] */
    set(doc, "security", json_pack("[{s:[]}, {s:[]}]", "session", "bearer"));
    set(doc, "tags", tags);
    set(doc, "paths", paths);
    set(doc, "components", comp);
    return doc;
}

/* ---- output ---- */

static struct report_doc doc = {.build = build, .max = DOC_MAX};

int openapi_render(struct req *r)
{
    const struct buf *text = report_doc_text(&doc);
    if (!text)
        return err_set(&r->err, ERR_INTERNAL, NULL, NULL,
                       "the OpenAPI document could not be built");
    buf_append(&r->out, text->p, text->len);
    return resp_json(r, 200);
}

void openapi_dump(struct buf *b)
{
    report_doc_dump(&doc, b);
}
