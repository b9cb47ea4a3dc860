/* SPDX-License-Identifier: MIT
 * rest.c - the core route table and the generic collection handlers:
 * parse -> plan -> sql -> exec -> render, taking a database connection only
 * to execute.
 */
#include "rest.h"
#include "report.h"
#include "summary.h"
#include "uimeta.h"
#include "openapi.h"
#include "import.h"
#include "export.h"
#include "workflow.h"
#include "perm.h"
#include "idformat.h"
#include "record.h"
#include "../base/arena.h"
#include "../core/audit.h"
#include "../base/buf.h"
#include "../base/base.h"
#include "../core/http.h"
#include "../core/tenant.h"
#include "../core/web.h"
#include "../core/metrics.h"
#include "../core/router.h"
#include "../db/db.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

const struct res_entity *rest_collection(struct req *r, int seg, struct err *e)
{
    if (seg >= r->nsegs)
        goto none;
    const struct res_entity *ent = res_find(r->seg[seg], r->seg_len[seg]);
    if (ent)
        return ent;
none:;
    char q[140];
    err_quote(q, sizeof(q), seg < r->nsegs ? r->seg[seg] : "", seg < r->nsegs ? r->seg_len[seg] : 0);
    err_set(e, ERR_NO_ROUTE, NULL, "request.no_collection", "no collection '{collection}%s'", q);
    return NULL;
}

int rest_id(struct req *r, int seg, int64_t *id)
{
    if (seg >= r->nsegs || parse_i64(r->seg[seg], r->seg_len[seg], id) || *id <= 0) {
        char q[140];
        err_quote(q, sizeof(q), seg < r->nsegs ? r->seg[seg] : "",
                  seg < r->nsegs ? r->seg_len[seg] : 0);
        return err_set(&r->err, ERR_NOT_FOUND, NULL, NULL, "no record '{id}%s'", q);
    }
    return 0;
}

static void decref(void *p)
{
    json_decref(p);
}

int rest_body_json(struct req *r, json_t **out, int allow_empty)
{
    const char *ct = req_header(r, "Content-Type");
    if (r->body.len == 0 && allow_empty) {
        *out = json_object();
        arena_defer(r->a, decref, *out);
        return 0;
    }
    if (ct && strncasecmp(ct, "application/json", 16) &&
        strncasecmp(ct, "application/merge-patch+json", 28))
        return err_set(&r->err, ERR_MEDIA_TYPE, NULL, NULL, "send the body as application/json");
    json_error_t je;
    json_t *j = json_loadb(r->body.p ? r->body.p : "", r->body.len, JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        err_set(&r->err, ERR_BAD_JSON, NULL, NULL, "line {line}%d, column {column}%d: %s", je.line,
                je.column, je.text);
        return -ERR_BAD_JSON;
    }
    arena_defer(r->a, decref, j);
    if (!json_is_object(j))
        return err_set(&r->err, ERR_BAD_JSON, NULL, "request.not_object",
                       "line 1, column 1: the body must be an object");
    *out = j;
    return 0;
}

struct qctx {
    struct req *r;
    struct query *q;
    int rc;
    int nsort;
};

static int one_param(void *p, const char *k, const char *v)
{
    struct qctx *c = p;
    if (c->q->export && (!strcmp(k, "limit") || !strcmp(k, "after") || !strcmp(k, "header") ||
                         !strcmp(k, "count")))
        return 0;
    if (!strcmp(k, "sort")) { /* applied first, see rest_query */
        if (c->nsort++)
            c->rc = err_set(&c->r->err, ERR_BAD_QUERY, "sort", "query.sort_twice",
                            "sort may be given only once");
        return c->rc;
    }
    c->rc = query_param(c->r->a, c->q, k, v, &c->r->err);
    return c->rc;
}

int rest_query(struct req *r, struct query *q, const struct res_entity *ent, int export)
{
    query_init(q, ent);
    q->export = export;
    perm_filter(r, ent, &q->pf);
    q->hide = perm_hidden_mask(r, ent);
    struct qctx c = {r, q, 0, 0};
    /* sort must be known before a cursor is read: take it first */
    const char *sort = req_query(r, "sort");
    if (sort) {
        int rc = query_param(r->a, q, "sort", sort, &r->err);
        if (rc)
            return rc;
    }
    int rc = req_query_each(r, one_param, &c);
    return rc ? rc : c.rc;
}

static int if_match(struct req *r, int64_t *version)
{
    const char *h = req_header(r, "If-Match");
    *version = 0;
    if (!h || !strcmp(h, "*"))
        return 0;
    if (!strncmp(h, "W/", 2))
        h += 2;
    size_t n = strlen(h);
    if (n >= 2 && h[0] == '"' && h[n - 1] == '"') {
        h++;
        n -= 2;
    }
    if (parse_i64(h, n, version) || *version <= 0)
        return err_set(&r->err, ERR_BAD_REQUEST, NULL, "request.if_match",
                       "If-Match must be a version ETag like \"3\"");
    return 0;
}

static void set_etag(struct req *r, int64_t version)
{
    resp_header(r, "ETag", arena_printf(r->a, "\"%lld\"", (long long)version));
}

/* ---- handlers ---- */

static int h_health(struct req *r)
{
    buf_printf(&r->out, "{\"status\":\"ok\",\"version\":\"%s\",\"database\":\"%s\"}",
               BUREAU_VERSION, db_dialect(r->db) == DB_PG ? "postgresql" : "sqlite");
    return resp_json(r, 200);
}

static int h_metrics(struct req *r)
{
    metrics_render(&r->out);
    r->status = 200;
    r->ctype = "text/plain; version=0.0.4; charset=utf-8";
    return 0;
}

/* The documents change only with the binary and the caller's rights: a
 * validator of their bytes lets a browser's repeat visit get a 304 (the UI
 * loads meta on every start). */
static int revalidated(struct req *r, int rc)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[2 * 12 + 1];
    if (rc || r->status != 200)
        return rc;
    crypto_hash_sha256(h, (const unsigned char *)r->out.p, r->out.len);
    sodium_bin2hex(hex, sizeof(hex), h, 12);
    const char *etag = arena_printf(r->a, "\"m%s\"", hex);
    if (!etag)
        return 0;
    resp_header(r, "ETag", etag);
    r->cache_control = "private, no-cache";
    const char *inm = req_header(r, "If-None-Match");
    if (inm && strstr(inm, etag)) {
        buf_truncate(&r->out, 0);
        r->status = 304;
    }
    return 0;
}

static int h_meta(struct req *r)
{
    return revalidated(r, uimeta_render(r));
}

static int h_openapi(struct req *r)
{
    return revalidated(r, openapi_render(r));
}

static int audit_export(struct req *r, const struct res_entity *ent, int xlsx);

/* How many rows the list's query matches in the caller's scope. */
static int list_total(struct req *r, struct db_conn *c, const struct res_entity *ent,
                      const struct query *q, int64_t *total)
{
    struct buf sql;
    buf_init(&sql, r->a);
    query_count_sql(q, db_sql(r->db), !ent->global, &sql);
    if (!buf_ok(&sql))
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    struct db_stmt *st;
    int rc = db_prepare(c, sql.p, &st, &r->err);
    if (rc)
        return rc;
    query_count_bind(q, st, ent->global ? 0 : r->tenant_id);
    rc = db_step(st, &r->err);
    *total = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static int h_list(struct req *r)
{
    struct err *e = &r->err;
    size_t n = r->seg_len[2];
    const char *name = r->seg[2];
    int fmt = 0; /* 0 json, 1 csv, 2 xlsx */
    if (n > 4 && !memcmp(name + n - 4, ".csv", 4)) {
        fmt = 1;
        n -= 4;
    } else if (n > 5 && !memcmp(name + n - 5, ".xlsx", 5)) {
        fmt = 2;
        n -= 5;
    }
    r->seg_len[2] = n;
    const struct res_entity *ent = rest_collection(r, 2, e);
    if (!ent)
        return -ERR_NO_ROUTE;
    struct query q;
    int rc = perm_check(r, ent, fmt ? "export" : "read");
    if (rc || (rc = rest_query(r, &q, ent, fmt != 0)))
        return rc;
    if (fmt) {
        if ((rc = export_run(r, ent, &q, fmt == 2)))
            return rc;
        return audit_export(r, ent, fmt == 2);
    }
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    q.collate = tenant_collation(c, r->tenant_id);
    struct buf sql;
    buf_init(&sql, r->a);
    query_sql(&q, db_sql(r->db), !ent->global, &sql);
    if (!buf_ok(&sql))
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    struct db_stmt *st;
    if ((rc = db_prepare(c, sql.p, &st, e)))
        return rc;
    query_bind(&q, st, ent->global ? 0 : r->tenant_id);
    buf_puts(&r->out, "{\"items\":[");
    int rows = 0, more = 0;
    char *cursor = NULL;
    while ((rc = db_step(st, e)) == DB_ROW) {
        if (rows == q.limit) {
            more = 1;
            break;
        }
        if (rows++)
            buf_putc(&r->out, ',');
        rec_render_row(&r->out, ent, st, r->utc_offset_min, q.hide);
        if (rows == q.limit)
            cursor = query_cursor(r->a, &q, st);
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    buf_puts(&r->out, "],\"next\":");
    if (more && cursor)
        buf_json_str(&r->out, cursor, strlen(cursor));
    else
        buf_puts(&r->out, "null");
    if (q.count) {
        int64_t total;
        if ((rc = list_total(r, c, ent, &q, &total)))
            return rc;
        buf_printf(&r->out, ",\"total\":%lld", (long long)total);
    }
    buf_putc(&r->out, '}');
    return resp_json(r, 200);
}

static int render_created(struct req *r, struct db_conn *c, const struct res_entity *ent,
                          int64_t id, int status)
{
    int64_t version;
    int rc = status == 201 ? rec_get_created(r, c, ent, id, &r->out, &version, &r->err)
                           : rec_get(r, c, ent, id, &r->out, &version, &r->err);
    if (rc)
        return rc;
    set_etag(r, version);
    if (status == 201)
        resp_header(r, "Location",
                    arena_printf(r->a, "/api/v1/%s/%lld", ent->name, (long long)id));
    return resp_json(r, status);
}

/* The server alone writes some collections (the audit chain). */
static int writable(struct req *r, const struct res_entity *ent)
{
    if (!ent->api_readonly)
        return 0;
    r->allow = "GET, HEAD";
    return err_set(&r->err, ERR_METHOD, NULL, "request.server_only",
                   "{collection}%s is written by the server only", ent->name);
}

static int h_create(struct req *r)
{
    const struct res_entity *ent = rest_collection(r, 2, &r->err);
    if (!ent)
        return -ERR_NO_ROUTE;
    json_t *body;
    int rc = writable(r, ent);
    if (rc || (rc = perm_check(r, ent, "create")) || (rc = rest_body_json(r, &body, 0)))
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    int64_t id;
    if ((rc = rec_create(r, c, ent, body, &id, &r->err)))
        return rc;
    return render_created(r, c, ent, id, 201);
}

static int h_import(struct req *r)
{
    const struct res_entity *ent = rest_collection(r, 2, &r->err);
    if (!ent)
        return -ERR_NO_ROUTE;
    int rc = writable(r, ent);
    if (rc || (rc = perm_check(r, ent, "import")))
        return rc;
    return import_run(r, ent);
}

int rest_record(struct req *r, const struct res_entity *ent, const char *verb, int64_t *id,
                struct db_conn **c, json_t **rec)
{
    int rc = rest_id(r, 3, id);
    if (rc || (rc = perm_check(r, ent, verb)))
        return rc;
    if (!(*c = req_db(r)))
        return -ERR_DB_UNAVAILABLE;
    if (!rec)
        return 0;
    if ((rc = rec_load(r, *c, ent, *id, rec, &r->err)))
        return rc;
    if (!(*rec = report_keep(r, *rec)))
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    return 0;
}

/* The collection and the record id the path names ({collection}/{id}), for
 * verb: writable (unless read), allowed, and the connection. */
static int route_record(struct req *r, const char *verb, const struct res_entity **ent, int64_t *id,
                        struct db_conn **c)
{
    if (!(*ent = rest_collection(r, 2, &r->err)))
        return -ERR_NO_ROUTE;
    int rc = rest_id(r, 3, id);
    if (!rc && strcmp(verb, "read"))
        rc = writable(r, *ent);
    return rc ? rc : rest_record(r, *ent, verb, id, c, NULL);
}

static int h_get(struct req *r)
{
    const struct res_entity *ent;
    int64_t id, version;
    struct db_conn *c;
    int rc = route_record(r, "read", &ent, &id, &c);
    if (rc || (rc = rec_get(r, c, ent, id, &r->out, &version, &r->err)))
        return rc;
    set_etag(r, version);
    return resp_json(r, 200);
}

static int h_patch(struct req *r)
{
    const struct res_entity *ent;
    int64_t id, want;
    json_t *body;
    struct db_conn *c;
    int rc = route_record(r, "update", &ent, &id, &c);
    if (rc || (rc = if_match(r, &want)) || (rc = rest_body_json(r, &body, 0)) ||
        (rc = rec_update(r, c, ent, id, body, want, &r->err)))
        return rc;
    return render_created(r, c, ent, id, 200);
}

static int h_delete(struct req *r)
{
    const struct res_entity *ent;
    int64_t id, want;
    struct db_conn *c;
    int rc = route_record(r, "delete", &ent, &id, &c);
    if (rc || (rc = if_match(r, &want)) || (rc = rec_delete(r, c, ent, id, want, &r->err)))
        return rc;
    r->status = 204;
    return 0;
}

/* GET /api/v1/{collection}/{id}/history: the record's entries of the audit
 * chain, for whoever may read the record. */
/* Member f of object o (an audit entry's before or after) as the caller sees it: masked. */
static void mask_member(json_t *o, const struct res_field *f)
{
    json_t *v = json_object_get(o, f->name);
    if (!json_is_string(v))
        return;
    char out[1024];
    size_t n = json_string_length(v);
    size_t k = n < sizeof(out) ? idf_mask(idf_by_name(f->format), json_string_value(v), n, out)
                               : (size_t)snprintf(out, sizeof(out), "****");
    json_object_set_new(o, f->name, json_stringn(out, k));
}

static int h_history(struct req *r)
{
    const struct res_entity *ent;
    int64_t id;
    struct db_conn *c;
    int rc = route_record(r, "read", &ent, &id, &c);
    if (rc)
        return rc;
    struct buf scratch;
    buf_init(&scratch, r->a);
    if ((rc = rec_get(r, c, ent, id, &scratch, NULL, &r->err)))
        return rc;
    struct buf raw;
    buf_init(&raw, r->a);
    if ((rc = audit_history(c, r->tenant_id, ent->name, id, &raw, r->utc_offset_min, &r->err)))
        return rc;
    /* the history shows no more than the record does: drop caller-hidden fields */
    json_error_t je;
    json_t *arr = json_loadb(raw.p ? raw.p : "[]", raw.len, 0, &je);
    if (!json_is_array(arr)) {
        json_decref(arr);
        return err_set(&r->err, ERR_INTERNAL, NULL, NULL, "the history could not be read");
    }
    arena_defer(r->a, decref, arr);
    int n;
    const struct res_field *const *cols = res_cols(ent, &n);
    const unsigned char *hide = perm_hidden_mask(r, ent);
    size_t i;
    json_t *entry;
    json_array_foreach(arr, i, entry) {
        for (int k = 0; hide && k < n; k++) {
            if (hide[k] == PERM_MASKED) {
                mask_member(json_object_get(entry, "before"), cols[k]);
                mask_member(json_object_get(entry, "after"), cols[k]);
            } else if (hide[k]) {
                json_object_del(json_object_get(entry, "before"), cols[k]->name);
                json_object_del(json_object_get(entry, "after"), cols[k]->name);
            }
        }
    }
    char *text = json_dumps(arr, JSON_COMPACT);
    if (!text)
        return err_set(&r->err, ERR_INTERNAL, NULL, NULL, "the history could not be written");
    buf_puts(&r->out, text);
    core_free(text); /* json_dumps allocates with the default malloc */
    return resp_json(r, 200);
}

static int add_param(void *ctx, const char *k, const char *v)
{
    json_object_set_new(ctx, k, json_string(v)); /* NULL (not UTF-8) is skipped */
    return 0;
}

/* Exports are audited: what was taken out, by whom, with which filter. */
static int audit_export(struct req *r, const struct res_entity *ent, int xlsx)
{
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    json_t *params = json_object();
    req_query_each(r, add_param, params);
    json_t *after = json_pack("{s:s, s:o}", "format", xlsx ? "xlsx" : "csv", "query", params);
    int rc = db_begin(c, &r->err);
    if (!rc && !(rc = rec_audit(r, c, "export", ent->name, 0, NULL, after, &r->err)))
        rc = db_commit(c, &r->err);
    else if (rc)
        db_rollback(c);
    json_decref(after);
    return rc;
}

static int h_action(struct req *r)
{
    int64_t id;
    json_t *body;
    const struct res_entity *ent = rest_collection(r, 2, &r->err);
    if (!ent)
        return -ERR_NO_ROUTE;
    int rc = rest_id(r, 3, &id);
    if (rc)
        return rc;
    for (const struct res_action *a = ent->actions; a && a->name; a++) {
        if (strlen(a->name) != r->seg_len[4] || memcmp(a->name, r->seg[4], r->seg_len[4]))
            continue;
        if ((rc = perm_check(r, ent, a->name)) || (rc = rest_body_json(r, &body, 1)))
            return rc;
        return a->fn ? a->fn(r, ent, id, body) : wf_run(r, ent, a, id, body);
    }
    char q[140];
    err_quote(q, sizeof(q), r->seg[4], r->seg_len[4]);
    return err_set(&r->err, ERR_NO_ROUTE, NULL, "request.no_action",
                   "{collection}%s has no action '{action}%s'", ent->name, q);
}

const struct route rest_routes[] = {
    {.method = HTTP_GET, .pattern = "/api/health", .fn = h_health, .is_public = 1},
    {.method = HTTP_GET, .pattern = "/metrics", .fn = h_metrics, .is_public = 1},
    {.method = HTTP_GET, .pattern = "/api/v1/meta", .fn = h_meta, .is_public = 1},
    {.method = HTTP_GET, .pattern = "/api/v1/openapi.json", .fn = h_openapi, .is_public = 1},
    {.method = HTTP_GET, .pattern = "/api/v1/summary/{module}", .fn = summary_render},
    {.method = HTTP_GET, .pattern = "/api/v1/{collection}", .fn = h_list},
    {.method = HTTP_POST, .pattern = "/api/v1/{collection}", .fn = h_create},
    {.method = HTTP_POST, .pattern = "/api/v1/{collection}/import", .fn = h_import},
    {.method = HTTP_GET, .pattern = "/api/v1/{collection}/{id}", .fn = h_get},
    {.method = HTTP_PATCH, .pattern = "/api/v1/{collection}/{id}", .fn = h_patch},
    {.method = HTTP_DELETE, .pattern = "/api/v1/{collection}/{id}", .fn = h_delete},
    {.method = HTTP_GET, .pattern = "/api/v1/{collection}/{id}/history", .fn = h_history},
    {.method = HTTP_POST, .pattern = "/api/v1/{collection}/{id}/{action}", .fn = h_action},
    /* the web UI's files: last, and never under /api/ (router.c) */
    {.method = HTTP_GET, .pattern = "/", .fn = web_serve, .is_public = 1, .anonymous = 1},
    {.method = HTTP_GET, .pattern = "/{path*}", .fn = web_serve, .is_public = 1, .anonymous = 1},
    {0},
};

int rest_body_only(struct req *r, json_t *body, const char *const *names)
{
    const char *k;
    json_t *v;
    json_object_foreach(body, k, v)
    {
        int ok = 0;
        for (int i = 0; names[i] && !ok; i++)
            ok = !strcmp(k, names[i]);
        if (!ok) {
            char q[64];
            err_quote(q, sizeof(q), k, strlen(k));
            err_field(&r->err, q, "field.unknown", "unknown field");
        }
    }
    return r->err.nitems ? err_invalid(&r->err) : 0;
}
