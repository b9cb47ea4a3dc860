/* SPDX-License-Identifier: MIT
 * notify/webhooks.c - webhooks: their validation (URL, events patterns, the
 * hidden secret taken by the module's own create and update routes), the
 * per-process cache of each tenant's active webhooks, the outbox (the
 * on_change hook and notify_event queue deliveries in the caller's
 * transaction), and the ping and retry actions.
 */
#include "internal.h"
#include "../../base/arena.h"
#include "../../core/auth.h"
#include "../../base/buf.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../base/log.h"
#include "../../core/router.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../engine/record.h"
#include "../../engine/report.h"
#include "../../engine/rest.h"
#include "../../engine/validate.h"
#include "../identity/identity.h"

#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>

/* ---- events patterns ---- */

static int name_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
}

/* One part of a pattern: "*" or a name of name_char. */
static int part_ok(const char *p, size_t n)
{
    if (n == 1 && p[0] == '*')
        return 1;
    if (!n || n > 60)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!name_char(p[i]))
            return 0;
    return 1;
}

int notify_events_parse(const char *events, char *norm, size_t n, struct err_item *why)
{
    size_t k = 0;
    int count = 0;
    const char *p = events;
    if (!n)
        return -1;
    norm[0] = 0;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        const char *s = p;
        while (*p && *p != ',')
            p++;
        const char *end = p;
        while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        size_t len = (size_t)(end - s);
        if (!len) {
            return err_item_set(why, "notify.events.empty",
                                "an empty pattern: give patterns like departments.*, "
                                "people.update or *, separated by commas");
        }
        const char *dot = memchr(s, '.', len);
        int ok = dot ? part_ok(s, (size_t)(dot - s)) && part_ok(dot + 1, (size_t)(end - dot - 1))
                     : len == 1 && s[0] == '*';
        if (!ok) {
            return err_item_set(why, "notify.events.pattern",
                                "'{pattern}%.*s' is not a pattern: use *, <collection>.<action>, "
                                "<collection>.* or *.<action> (lower-case letters, digits, _)",
                                (int)(len > 60 ? 60 : len), s);
        }
        if (++count > 32) {
            return err_item_set(why, "notify.events.too_many", "at most {max}%d patterns", 32);
        }
        if (k + len + 2 > n) {
            return err_item_set(why, "notify.events.too_long", "too long");
        }
        if (k)
            norm[k++] = ',';
        memcpy(norm + k, s, len);
        k += len;
        norm[k] = 0;
        if (!*p)
            break;
        p++;
    }
    return 0;
}

static int part_match(const char *pat, size_t pn, const char *ev, size_t en)
{
    return (pn == 1 && pat[0] == '*') || (pn == en && !memcmp(pat, ev, en));
}

int notify_events_match(const char *events, const char *event)
{
    const char *edot = strchr(event, '.');
    if (!edot)
        return 0;
    size_t cn = (size_t)(edot - event), an = strlen(edot + 1);
    const char *p = events;
    while (*p) {
        const char *s = p;
        while (*p && *p != ',')
            p++;
        size_t len = (size_t)(p - s);
        if (len == 1 && s[0] == '*')
            return 1;
        const char *dot = memchr(s, '.', len);
        if (dot && part_match(s, (size_t)(dot - s), event, cn) &&
            part_match(dot + 1, (size_t)(s + len - dot - 1), edot + 1, an))
            return 1;
        if (*p)
            p++;
    }
    return 0;
}

/* ---- validation ---- */

/* The URL must be absolute http(s) with a host and no credentials. */
static int url_problem(const char *url, struct err_item *why)
{
    for (const unsigned char *s = (const unsigned char *)url; *s; s++)
        if (*s <= ' ' || *s == 0x7f) {
            return err_item_set(why, "notify.url.spaces",
                                "must not contain spaces or control characters");
        }
    size_t sl = !strncasecmp(url, "http://", 7) ? 7 : !strncasecmp(url, "https://", 8) ? 8 : 0;
    if (!sl) {
        return err_item_set(why, "notify.url.scheme", "must be an http:// or https:// URL");
    }
    if (!url[sl] || url[sl] == '/' || url[sl] == '?' || url[sl] == '#') {
        return err_item_set(why, "notify.url.host", "must name a host");
    }
    CURLU *u = curl_url();
    char *host = NULL, *user = NULL;
    int bad = !u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
              curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !host || !*host;
    if (bad)
        err_item_set(why, "notify.url.invalid", "is not a valid URL");
    else if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK && user) {
        err_item_set(why, "notify.url.credentials",
                     "must not contain credentials: the receiver checks the signature");
        bad = 1;
    }
    curl_free(host);
    curl_free(user);
    curl_url_cleanup(u);
    return bad ? -1 : 0;
}

/* Characters (not bytes) of UTF-8 text. */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

static void check_secret(json_t *j, struct err *e)
{
    if (!json_is_string(j)) {
        err_field(e, "secret", "field.string", "must be a string");
        return;
    }
    size_t n = utf8_chars(json_string_value(j));
    if (json_string_length(j) != strlen(json_string_value(j)))
        err_field(e, "secret", "field.control", "must not contain NUL characters");
    else if (n < NOTIFY_SECRET_MIN || n > NOTIFY_SECRET_MAX)
        err_field(e, "secret", "field.length", "must be {min}%d to {max}%d characters",
                  NOTIFY_SECRET_MIN, NOTIFY_SECRET_MAX);
}

/* The url and events of rec (when present), as field errors; events are
 * normalised in place when valid. */
static void check_fields(json_t *rec, struct err *e)
{
    char norm[NOTIFY_EVENTS_MAX + 2];
    struct err_item why;
    json_t *u = json_object_get(rec, "url"), *ev = json_object_get(rec, "events");
    if (json_is_string(u) && url_problem(json_string_value(u), &why))
        err_add(e, "url", &why);
    if (json_is_string(ev)) {
        if (notify_events_parse(json_string_value(ev), norm, sizeof(norm), &why))
            err_add(e, "events", &why);
        else
            json_object_set_new(rec, "events", json_string(norm));
    }
}

/* The secret the module's create/update route took out of the body, for the
 * before_write hook of the same request (same thread, same call). */
static _Thread_local char pending_secret[NOTIFY_SECRET_MAX * 4 + 1];
static _Thread_local int has_pending;

int nt_webhook_before_write(struct res_write *w)
{
    if (!w->rec)
        return 0; /* delete: the deliveries keep it (409 while they exist) */
    if (has_pending)
        json_object_set_new(w->rec, "secret", json_string(pending_secret));
    json_t *s = json_object_get(w->rec, "secret");
    if (!s || json_is_null(s))
        err_field(w->e, "secret", "notify.secret_required",
                  "is required ({min}%d to {max}%d characters)", NOTIFY_SECRET_MIN,
                  NOTIFY_SECRET_MAX);
    check_fields(w->rec, w->e);
    if (w->e->nitems)
        return err_invalid(w->e);
    int on = json_is_true(json_object_get(w->rec, "active"));
    if (on && (!w->old || !json_is_true(json_object_get(w->old, "active")))) {
        int64_t n;
        int rc = db_one_int(w->c,
                            "SELECT count(*) FROM webhooks WHERE tenant_id = ? AND active = 1 "
                            "AND id <> ?",
                            DB_INTS(w->r->tenant_id, w->id), &n, w->e);
        if (rc < 0)
            return rc;
        if (n >= NOTIFY_HOOKS_MAX)
            return err_set(w->e, ERR_INVALID, "active", "notify.too_many_hooks",
                           "a tenant may have at most {max}%d active webhooks", NOTIFY_HOOKS_MAX);
    }
    return 0;
}

/* ---- create and update with the secret ---- */

/* The generic handler of method + pattern (rest.c). */
static route_fn generic(enum http_method m, const char *pattern)
{
    for (const struct route *rt = rest_routes; rt->pattern; rt++)
        if (rt->method == m && !strcmp(rt->pattern, pattern))
            return rt->fn;
    return NULL;
}

static int dump_cb(const char *p, size_t n, void *data)
{
    struct buf *b = data;
    buf_append(b, p, n);
    return buf_ok(b) ? 0 : -1;
}

/* Takes "secret" out of the body, checks every field at once, and hands the
 * rest to the generic handler with the secret waiting for before_write. */
static int with_secret(struct req *r, int creating)
{
    const struct res_entity *ent = &nt_webhooks;
    struct err *e = &r->err;
    json_t *body;
    int ncols;
    int rc = perm_check(r, ent, creating ? "create" : "update");
    if (rc || (rc = rest_body_json(r, &body, 0)))
        return rc;
    json_t *s = json_object_get(body, "secret");
    if (s)
        check_secret(s, e);
    else if (creating)
        err_field(e, "secret", "notify.secret_required",
                  "is required ({min}%d to {max}%d characters)", NOTIFY_SECRET_MIN,
                  NOTIFY_SECRET_MAX);
    if (json_is_string(s) && !e->nitems)
        snprintf(pending_secret, sizeof(pending_secret), "%s", json_string_value(s));
    json_object_del(body, "secret");
    if (e->nitems) { /* the other fields' errors too */
        res_cols(ent, &ncols);
        struct res_val *vals = arena_zalloc(r->a, sizeof(*vals) * (size_t)ncols);
        struct err e2;
        err_clear(&e2);
        if (vals)
            res_validate(r->a, ent, body, creating ? RES_CREATE : RES_PATCH, vals, &e2);
        for (int i = 0; i < e2.nitems && e->nitems < ERR_MAX_ITEMS; i++)
            e->items[e->nitems++] = e2.items[i];
        check_fields(body, e);
        return err_invalid(e);
    }
    buf_init(&r->body, r->a);
    if (json_dump_callback(body, dump_cb, &r->body, JSON_COMPACT) || !buf_ok(&r->body))
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    route_fn fn = creating ? generic(HTTP_POST, "/api/v1/{collection}")
                           : generic(HTTP_PATCH, "/api/v1/{collection}/{id}");
    if (!fn)
        return err_set(e, ERR_INTERNAL, NULL, NULL, "no generic handler");
    has_pending = s != NULL;
    rc = fn(r);
    has_pending = 0;
    sodium_memzero(pending_secret, sizeof(pending_secret));
    return rc;
}

int nt_h_webhook_create(struct req *r)
{
    return with_secret(r, 1);
}

int nt_h_webhook_patch(struct req *r)
{
    return with_secret(r, 0);
}

/* ---- the cache of each tenant's active webhooks ---- */

#define SLOTS 64
#define TTL_US (5u * 1000000u)

struct cached_hook {
    int64_t id;
    char events[NOTIFY_EVENTS_MAX + 1];
};

static struct {
    int64_t tenant;
    uint64_t loaded; /* 0: empty */
    uint64_t gen;    /* bumped by every forget: a load that raced one is not kept */
    int n;
    struct cached_hook h[NOTIFY_HOOKS_MAX];
} cache[SLOTS];
static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;

void nt_forget_tenant(int64_t tenant_id)
{
    int slot = (int)((uint64_t)tenant_id % SLOTS);
    pthread_mutex_lock(&cache_mu);
    cache[slot].loaded = 0;
    cache[slot].gen++;
    pthread_mutex_unlock(&cache_mu);
}

/* Ids of the tenant's active webhooks matching event (at most
 * NOTIFY_HOOKS_MAX) into ids; returns how many, or <0. */
static int matching_hooks(struct db_conn *c, int64_t tenant, const char *event, int64_t *ids,
                          struct err *e)
{
    int slot = (int)((uint64_t)tenant % SLOTS), n = 0;
    uint64_t now = clock_us();
    pthread_mutex_lock(&cache_mu);
    if (cache[slot].loaded && cache[slot].tenant == tenant && now - cache[slot].loaded < TTL_US) {
        for (int i = 0; i < cache[slot].n; i++)
            if (notify_events_match(cache[slot].h[i].events, event))
                ids[n++] = cache[slot].h[i].id;
        pthread_mutex_unlock(&cache_mu);
        return n;
    }
    uint64_t gen = cache[slot].gen;
    pthread_mutex_unlock(&cache_mu);

    static _Thread_local struct cached_hook got[NOTIFY_HOOKS_MAX];
    int ngot = 0;
    struct db_stmt *st;
    int rc = db_prepare_ints(c,
                             "SELECT id, events FROM webhooks WHERE tenant_id = ? AND active = 1 "
                             "ORDER BY id LIMIT ?",
                             DB_INTS(tenant, NOTIFY_HOOKS_MAX), &st, e);
    if (rc)
        return rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        size_t len;
        const char *s = db_col_text(st, 1, &len);
        got[ngot].id = db_col_int(st, 0);
        snprintf(got[ngot].events, sizeof(got[ngot].events), "%.*s", (int)len, s);
        ngot++;
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    for (int i = 0; i < ngot; i++)
        if (notify_events_match(got[i].events, event))
            ids[n++] = got[i].id;
    /* kept unless a forget overtook the load */
    pthread_mutex_lock(&cache_mu);
    if (cache[slot].gen == gen) {
        cache[slot].tenant = tenant;
        cache[slot].n = ngot;
        memcpy(cache[slot].h, got, sizeof(got[0]) * (size_t)ngot);
        cache[slot].loaded = now ? now : 1;
    }
    pthread_mutex_unlock(&cache_mu);
    return n;
}

/* ---- the outbox ---- */

static json_t *actor_json(struct req *r)
{
    if (!r->user_id)
        return json_null();
    return json_pack("{s:I, s:s}", "id", (json_int_t)r->user_id, "username",
                     r->user && strcmp(r->user, "-") ? r->user : "");
}

/* The payload as text in b (arena); before/after give way to "truncated"
 * when the whole would exceed NOTIFY_PAYLOAD_MAX. */
static int payload_text(struct req *r, json_t *p, struct buf *b, struct err *e)
{
    buf_init(b, r->a);
    if (json_dump_callback(p, dump_cb, b, JSON_COMPACT) == 0 && buf_ok(b) &&
        b->len <= NOTIFY_PAYLOAD_MAX)
        return 0;
    json_object_set_new(p, "before", json_null());
    json_object_set_new(p, "after", json_null());
    json_object_set_new(p, "data", json_null());
    json_object_set_new(p, "truncated", json_true());
    buf_init(b, r->a);
    if (json_dump_callback(p, dump_cb, b, JSON_COMPACT) || !buf_ok(b))
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    return 0;
}

static json_t *base_payload(struct req *r, const char *event, const char *collection, int64_t id,
                            const char *action)
{
    char at[40];
    time_format_rfc3339(clock_now(), r->utc_offset_min, at, sizeof(at));
    json_t *p = json_object();
    json_object_set_new(p, "event", json_string(event));
    json_object_set_new(p, "collection", collection ? json_string(collection) : json_null());
    json_object_set_new(p, "id", id ? json_integer(id) : json_null());
    json_object_set_new(p, "action", json_string(action));
    json_object_set_new(p, "at", json_string(at));
    json_object_set_new(p, "tenant", json_integer(r->tenant_id));
    json_object_set_new(p, "actor", actor_json(r));
    return p;
}

/* Inserts one pending delivery; *did (may be NULL) receives its id. Nothing
 * is queued for a webhook that no longer exists: the cache of another
 * process (or a load just before the delete committed) may still name it,
 * and the caller's own write must not fail on the outbox's foreign key. */
static int insert_delivery(struct req *r, struct db_conn *c, int64_t hook, const char *event,
                           const char *collection, int64_t record_id, const struct buf *payload,
                           int64_t *did, struct err *e)
{
    struct db_stmt *st;
    int64_t now = clock_now();
    int rc =
        db_prepare_ints(c,
                        "INSERT INTO webhook_deliveries (tenant_id, version, created_at, "
                        "updated_at, created_by, webhook_id, event, collection, record_id, "
                        "payload, status, attempts, next_attempt_at) SELECT ?, 1, ?, ?, ?, ?, "
                        "?, ?, ?, ?, 'pending', 0, ? WHERE EXISTS (SELECT 1 FROM webhooks WHERE "
                        "tenant_id = ? AND id = ?) RETURNING id",
                        DB_INTS(r->tenant_id, now, now), &st, e);
    if (rc)
        return rc;
    db_bind_int_or_null(st, 4, r->user_id);
    db_bind_int(st, 5, hook);
    db_bind_text(st, 6, event, strlen(event));
    if (collection)
        db_bind_text(st, 7, collection, strlen(collection));
    else
        db_bind_null(st, 7);
    db_bind_int_or_null(st, 8, record_id);
    db_bind_text(st, 9, payload->p, payload->len);
    db_bind_int(st, 10, now);
    db_bind_int(st, 11, r->tenant_id);
    db_bind_int(st, 12, hook);
    rc = db_step(st, e);
    if (rc == DB_ROW && did)
        *did = db_col_int(st, 0);
    db_reset(st);
    if (rc < 0)
        return rc;
    return nt_kick_at_commit(c, e);
}

/* Queues p for every matching webhook. */
static int queue_event(struct req *r, struct db_conn *c, const char *event, const char *collection,
                       int64_t id, json_t *p, const int64_t *ids, int n, struct err *e)
{
    struct buf text;
    int rc = payload_text(r, p, &text, e);
    for (int i = 0; !rc && i < n; i++)
        rc = insert_delivery(r, c, ids[i], event, collection, id, &text, NULL, e);
    return rc;
}

static int own_table(const char *name)
{
    return !strcmp(name, "notifications") || !strcmp(name, "webhooks") ||
           !strcmp(name, "webhook_deliveries") || !strcmp(name, "audit_entries");
}

/* Producer: a user whose role changed is told so. */
static int role_changed(struct req *r, struct db_conn *c, int64_t user, json_t *before,
                        json_t *after, struct err *e)
{
    json_t *was = json_object_get(before, "role_id"), *now = json_object_get(after, "role_id");
    if (!json_is_integer(now) || json_equal(was, now))
        return 0;
    char name[2][64] = {"", ""};
    for (int k = 0; k < 2; k++) {
        json_t *j = k ? now : was;
        const char *s;
        if (!json_is_integer(j))
            continue;
        int rc = identity_role_name(r, c, json_integer_value(j), &s, e);
        if (rc)
            return rc;
        if (s) {
            size_t len = strlen(s);
            snprintf(name[k], sizeof(name[k]), "%.*s", (int)(len < 60 ? len : 60), s);
        }
    }
    char body[300];
    snprintf(body, sizeof(body), "管理员已将您的角色由「%s」调整为「%s」，可用的功能随之变化。",
             name[0], name[1]);
    return notify_user(r, c, user, "identity.role_changed", "您的角色已变更", body, "users", user,
                       e);
}

/* A deleted user's notifications go with them. */
static int drop_notifications(struct req *r, struct db_conn *c, int64_t user, struct err *e)
{
    int64_t rc = db_exec_ints(c, "DELETE FROM notifications WHERE tenant_id = ? AND user_id = ?",
                              DB_INTS(r->tenant_id, user), e);
    return rc < 0 ? (int)rc : 0;
}

int nt_on_change(struct req *r, struct db_conn *c, const struct res_entity *ent, const char *action,
                 int64_t id, json_t *before, json_t *after, struct err *e)
{
    int rc;
    if (own_table(ent->name) || ent->global || !r->tenant_id)
        return 0;
    if (!strcmp(ent->name, "users") && !strcmp(action, "update") && before && after &&
        (rc = role_changed(r, c, id, before, after, e)))
        return rc;
    if (!strcmp(ent->name, "users") && !strcmp(action, "delete") &&
        (rc = drop_notifications(r, c, id, e)))
        return rc;
    char event[128];
    int64_t ids[NOTIFY_HOOKS_MAX];
    snprintf(event, sizeof(event), "%s.%s", ent->name, action);
    int n = matching_hooks(c, r->tenant_id, event, ids, e);
    if (n <= 0)
        return n;
    json_t *p = base_payload(r, event, ent->name, id, action);
    json_object_set(p, "before", before ? before : json_null());
    json_object_set(p, "after", after ? after : json_null());
    rc = queue_event(r, c, event, ent->name, id, p, ids, n, e);
    json_decref(p);
    return rc;
}

int notify_event(struct req *r, struct db_conn *c, const char *event, const char *collection,
                 int64_t id, json_t *data, struct err *e)
{
    char norm[128];
    struct err_item why;
    const char *dot = event ? strchr(event, '.') : NULL;
    if (!db_in_tx(c))
        return err_set(e, ERR_INTERNAL, NULL, NULL, "notify_event needs an open transaction");
    if (!dot || strchr(dot + 1, '.') || strchr(event, '*') ||
        notify_events_parse(event, norm, sizeof(norm), &why))
        return err_set(e, ERR_INTERNAL, NULL, NULL, "bad event name");
    int64_t ids[NOTIFY_HOOKS_MAX];
    int n = matching_hooks(c, r->tenant_id, event, ids, e);
    if (n <= 0)
        return n;
    json_t *p = base_payload(r, event, collection, id, dot + 1);
    json_object_set(p, "data", data ? data : json_null());
    int rc = queue_event(r, c, event, collection, id, p, ids, n, e);
    json_decref(p);
    return rc;
}

/* ---- actions ---- */

/* An action that takes no body, on record id: the transaction begun and the
 * record (released with the request) on *rec; nothing begun when refused. */
static int begin_action(struct req *r, const struct res_entity *ent, int64_t id, json_t *body,
                        struct db_conn **c, json_t **rec)
{
    struct err *e = &r->err;
    if (json_object_size(body))
        return err_set(e, ERR_INVALID, NULL, "request.no_body", "the action takes no fields");
    if (!(*c = req_db(r)))
        return -ERR_DB_UNAVAILABLE;
    int rc = db_begin(*c, e);
    if (rc)
        return rc;
    if (!(rc = rec_load(r, *c, ent, id, rec, e)) && !(*rec = report_keep(r, *rec)))
        rc = err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    if (rc)
        db_rollback(*c);
    return rc;
}

/* POST /api/v1/webhooks/{id}/ping: queues a "ping" delivery (202). */
int nt_action_ping(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    struct err *e = &r->err;
    json_t *hook = NULL;
    int64_t did = 0, version;
    struct db_conn *c;
    int rc = begin_action(r, ent, id, body, &c, &hook);
    if (rc)
        return rc;
    if (!json_is_true(json_object_get(hook, "active"))) {
        rc = err_set(e, ERR_CONFLICT, NULL, "notify.hook_inactive",
                     "webhook {id}%lld is inactive: activate it first", (long long)id);
        goto out;
    }
    json_t *p = base_payload(r, "ping", "webhooks", id, "ping");
    json_object_set_new(p, "webhook",
                        json_pack("{s:I, s:O, s:O, s:O}", "id", (json_int_t)id, "name",
                                  json_object_get(hook, "name"), "url",
                                  json_object_get(hook, "url"), "events",
                                  json_object_get(hook, "events")));
    struct buf text;
    rc = payload_text(r, p, &text, e);
    json_decref(p);
    if (!rc)
        rc = insert_delivery(r, c, id, "ping", "webhooks", id, &text, &did, e);
    if (!rc) {
        json_t *after = json_pack("{s:I}", "delivery_id", (json_int_t)did);
        rc = rec_audit(r, c, "ping", ent->name, id, NULL, after, e);
        json_decref(after);
    }
out:
    if (rc || (rc = db_commit(c, e))) {
        db_rollback(c);
        return rc;
    }
    if ((rc = rec_get_created(r, c, &nt_deliveries, did, &r->out, &version, e)))
        return rc;
    resp_header(r, "Location",
                arena_printf(r->a, "/api/v1/webhook_deliveries/%lld", (long long)did));
    return resp_json(r, 202);
}

/* POST /api/v1/webhook_deliveries/{id}/retry: a failed (or waiting) delivery
 * is due again now with a fresh count of attempts; a delivered one is 409. */
int nt_action_retry(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    struct err *e = &r->err;
    json_t *d = NULL;
    int64_t version;
    struct db_conn *c;
    int rc = begin_action(r, ent, id, body, &c, &d);
    if (rc)
        return rc;
    const char *status = json_string_value(json_object_get(d, "status"));
    if (status && !strcmp(status, "delivered")) {
        rc = err_set(e, ERR_CONFLICT, NULL, "notify.delivered",
                     "delivery {id}%lld was delivered: nothing to retry", (long long)id);
        goto out;
    }
    int64_t now = clock_now();
    int64_t changed = db_exec_ints(c,
                                   "UPDATE webhook_deliveries SET status = 'pending', attempts = "
                                   "0, next_attempt_at = ?, version = version + 1, updated_at = ? "
                                   "WHERE tenant_id = ? AND id = ? AND status <> 'delivered' AND "
                                   "(lease_until IS NULL OR lease_until < ?)",
                                   DB_INTS(now, now, r->tenant_id, id, now), e);
    if (changed < 0) {
        rc = (int)changed;
        goto out;
    }
    if (changed != 1) {
        rc = err_set(e, ERR_CONFLICT, NULL, "notify.sending",
                     "delivery {id}%lld is being sent: try again shortly", (long long)id);
        goto out;
    }
    json_t *before = json_pack("{s:O, s:O}", "status", json_object_get(d, "status"), "attempts",
                               json_object_get(d, "attempts"));
    json_t *after = json_pack("{s:s, s:i}", "status", "pending", "attempts", 0);
    rc = rec_audit(r, c, "retry", ent->name, id, before, after, e);
    json_decref(before);
    json_decref(after);
    if (!rc)
        rc = nt_kick_at_commit(c, e);
out:
    if (rc || (rc = db_commit(c, e))) {
        db_rollback(c);
        return rc;
    }
    if ((rc = rec_get(r, c, ent, id, &r->out, &version, e)))
        return rc;
    resp_header(r, "ETag", arena_printf(r->a, "\"%lld\"", (long long)version));
    return resp_json(r, 200);
}
