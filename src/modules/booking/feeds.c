/* SPDX-License-Identifier: MIT
 * booking/feeds.c - calendar feeds 日历订阅: a secret URL per person (their
 * own bookings) or per resource (every booking of it, for the service
 * centre) that any calendar client subscribes to.
 *
 * POST /api/v1/calendar_feeds makes one and shows its secret ("cal_…") this
 * once; only the secret's SHA-256 is stored (hidden), as for API tokens. The
 * revoke step ends it. GET /ical/{secret}.ics is public (calendar clients
 * send no cookies): the secret is the key, and an unknown secret, a revoked
 * feed, an owner no longer active and a resource gone all answer the same
 * 404. The answer is text/calendar (ical.c) with an ETag, a digest of what
 * it holds taken before it is written (If-None-Match: 304) and Cache-Control private, no-cache: a
 * revocation takes effect at the client's next poll.
 *
 * What a feed shows: the bookings starting from BK_FEED_BACK_DAYS days back
 * to BK_FEED_AHEAD_DAYS ahead, at most BK_FEED_MAX_EVENTS, cancelled and
 * rejected ones too (STATUS:CANCELLED, so that clients drop them); the
 * resource, its location, the purpose, the party, the state; a resource's
 * feed also the booker's name (its owner manages the centre). Never a
 * check-in code: the URL lives on in calendar apps and the clouds they sync
 * to.
 */
#include "booking.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/buf.h"
#include "../../base/err.h"
#include "../../core/auth.h"
#include "../../core/config.h"
#include "../../core/http.h"
#include "../../core/tenant.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../engine/record.h"
#include "../../engine/report.h"
#include "../../engine/rest.h"
#include "../../engine/validate.h"
#include "../../engine/workflow.h"
#include "../identity/identity.h"
#include "../org/org.h"

#include <jansson.h>
#include <sodium.h>
#include <string.h>

#define SINCE 5 /* the schema version the module arrived with */
#define FEED_PREFIX "cal_"

/* ---- the collection ---- */

static const struct res_enum feed_kinds[] = {
    {"person", "我的预约", "My bookings"},
    {"resource", "资源的全部预约", "A resource's bookings"},
    {0},
};

static const struct res_enum feed_statuses[] = {
    {"active", "有效", "Active"},
    {"revoked", "已吊销", "Revoked"},
    {0},
};

static const struct res_field feed_fields[] = {
    {.name = "name",
     .type = RES_TEXT,
     .zh = "名称",
     .en = "Name",
     .max_len = 80,
     .list = 1,
     .search = 1},
    {.name = "kind",
     .type = RES_ENUM,
     .values = feed_kinds,
     .zh = "订阅内容",
     .en = "Shows",
     .required = 1,
     .dflt = "person",
     .list = 1,
     .filter = 1,
     .noindex = 1},
    {.name = "resource_id",
     .type = RES_REF,
     .ref = "resources",
     .zh = "资源",
     .en = "Resource",
     .list = 1,
     .filter = 1},
    {.name = "user_id",
     .type = RES_REF,
     .ref = "users",
     .zh = "订阅人",
     .en = "Owner",
     .readonly = 1,
     .list = 1,
     .filter = 1},
    {.name = "token_hash",
     .type = RES_TEXT,
     .zh = "链接摘要",
     .en = "Secret hash",
     .hidden = 1,
     .unique = 1,
     .max_len = 100},
    {.name = "prefix",
     .type = RES_TEXT,
     .zh = "链接前缀",
     .en = "Prefix",
     .readonly = 1,
     .max_len = 20,
     .list = 1},
    {.name = "status",
     .type = RES_ENUM,
     .values = feed_statuses,
     .zh = "状态",
     .en = "Status",
     .readonly = 1,
     .required = 1,
     .dflt = "active",
     .list = 1,
     .filter = 1,
     .noindex = 1},
    {.name = "revoked_at",
     .type = RES_DATETIME,
     .zh = "吊销时间",
     .en = "Revoked",
     .readonly = 1,
     .list = 1},
    {0},
};

static const struct res_flow feed_flow = {.state = "status"};

static const struct res_action feed_actions[] = {
    {.name = "revoke",
     .zh = "吊销",
     .en = "Revoke",
     .body = wf_nothing,
     .from = WF_STATES("active"),
     .to = "revoked",
     .now = WF_FIELDS("revoked_at")},
    {0},
};

const struct res_entity bk_feeds = {
    .since = SINCE,
    .name = "calendar_feeds",
    .zh = "日历订阅",
    .en = "Calendar feeds",
    .module = "booking",
    .fields = feed_fields,
    .title = "name",
    .default_sort = "-id",
    .actions = feed_actions,
    .flow = &feed_flow,
    .no_delete = 1,
    .before_write = bk_feed_before_write,
};

/* A feed is made by bk_feed_create, which shows its secret once. Rows of an
 * import (CSV) come without a secret: they are written revoked, with no
 * owner. Afterwards only a feed's name changes (the steps are the server's). */
int bk_feed_before_write(struct res_write *w)
{
    if (!w->rec || w->r->server_write)
        return 0;
    if (!w->old) {
        json_object_set_new(w->rec, "status", json_string("revoked"));
        json_object_set_new(w->rec, "revoked_at", wf_time_json(w->r, clock_now()));
        json_object_set_new(w->rec, "token_hash", json_null());
        json_object_set_new(w->rec, "user_id", json_null());
        return 0;
    }
    static const char *const fixed[] = {"kind", "resource_id", NULL};
    for (const char *const *f = fixed; *f; f++)
        if (!json_equal(json_object_get(w->old, *f), json_object_get(w->rec, *f)))
            return err_set(w->e, ERR_CONFLICT, *f, "booking.feed.fixed",
                           "a feed's {field}%s does not change: revoke it and make another", *f);
    return 0;
}

/* ---- POST /api/v1/calendar_feeds ---- */

/* The rules of a new feed of kind for the caller: 0 or refused into e. */
static int feed_rules(struct req *r, json_t *body, struct err *e)
{
    const char *kind = json_string_value(json_object_get(body, "kind"));
    json_t *res = json_object_get(body, "resource_id");
    if (!r->user_id)
        return err_set(e, ERR_FORBIDDEN, NULL, "booking.feed.user",
                       "a calendar feed belongs to a signed-in user");
    if (kind && !strcmp(kind, "resource")) {
        if (!json_is_integer(res))
            return err_field(e, "resource_id", "field.required", "is required"), err_invalid(e);
        /* a resource's feed names its bookers: for who runs the centre */
        if (perm_scope(r, &bk_resources, "update") != SCOPE_TENANT)
            return err_set(e, ERR_FORBIDDEN, "resource_id", "booking.feed.manager",
                           "only who manages the resources subscribes to a resource's bookings");
    } else if (res && !json_is_null(res)) {
        return err_field(e, "resource_id", "booking.feed.person_resource",
                         "a feed of one's own bookings names no resource"),
               err_invalid(e);
    }
    return 0;
}

/* A new secret "cal_…" into token, its SHA-256 (hex) into hex, its first
 * characters into prefix. */
static void new_secret(char *token, char hex[65], char prefix[9])
{
    char secret[AUTH_SECRET_LEN + 1];
    auth_random_secret(secret);
    memcpy(token, FEED_PREFIX, sizeof(FEED_PREFIX) - 1);
    memcpy(token + sizeof(FEED_PREFIX) - 1, secret, AUTH_SECRET_LEN + 1);
    auth_sha256_hex(token, strlen(token), hex);
    memcpy(prefix, secret, 8);
    prefix[8] = 0;
    sodium_memzero(secret, sizeof(secret));
}

int bk_feed_create(struct req *r)
{
    const struct res_entity *ent = &bk_feeds;
    struct err *e = &r->err;
    json_t *body;
    int ncols, rc = auth_require(r);
    if (rc || (rc = perm_check(r, ent, "create")) || (rc = rest_body_json(r, &body, 0)))
        return rc;
    res_cols(ent, &ncols);
    struct res_val *vals = arena_zalloc(r->a, sizeof(*vals) * (size_t)ncols);
    if (!vals)
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    if (json_object_get(body, "token_hash")) {
        err_field(e, "token_hash", "field.hidden", "is not available to your role");
        return err_set(e, ERR_FORBIDDEN, NULL, "auth.hidden_fields",
                       "fields hidden from your role");
    }
    if ((rc = res_validate(r->a, ent, body, RES_CREATE, vals, e)))
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    if ((rc = feed_rules(r, body, e)))
        return rc;
    char token[sizeof(FEED_PREFIX) + AUTH_SECRET_LEN], hex[65], prefix[9];
    new_secret(token, hex, prefix);
    json_t *in = json_deep_copy(body);
    if (!in)
        return -ERR_INTERNAL;
    report_keep(r, in);
    json_object_set_new(in, "user_id", json_integer(r->user_id));
    json_object_set_new(in, "token_hash", json_string(hex));
    json_object_set_new(in, "prefix", json_string(prefix));
    json_object_set_new(in, "status", json_string("active"));
    int64_t id = 0, version;
    if ((rc = db_begin(c, e)))
        return rc;
    r->server_write++;
    rc = rec_create_trusted(r, c, ent, in, &id, e);
    r->server_write--;
    if (rc || (rc = db_commit(c, e))) {
        db_rollback(c);
        return rc;
    }
    /* the record, then the secret and the feed's path: shown this once */
    struct buf rec;
    buf_init(&rec, r->a);
    if ((rc = rec_get_created(r, c, ent, id, &rec, &version, e)))
        return rc;
    if (!buf_ok(&rec) || rec.len < 2)
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    buf_append(&r->out, rec.p, rec.len - 1);
    buf_puts(&r->out, ",\"token\":");
    buf_json_str(&r->out, token, strlen(token));
    buf_printf(&r->out, ",\"path\":\"/ical/%s.ics\"}", token);
    sodium_memzero(token, sizeof(token));
    resp_header(r, "Location", arena_printf(r->a, "/api/v1/%s/%lld", ent->name, (long long)id));
    resp_header(r, "ETag", arena_printf(r->a, "\"%lld\"", (long long)version));
    return resp_json(r, 201);
}

/* ---- GET /ical/{secret}.ics ---- */

struct feed {
    int64_t id, tenant, resource, user;
    int resource_kind;
    const char *name;
};

/* A small id → text map (open addressing), for the names a feed repeats. */
struct names {
    int64_t *k;
    const char **v, **v2;
    int cap;
};

static int names_init(struct req *r, struct names *m, int n)
{
    m->cap = 64;
    while (m->cap < 2 * n)
        m->cap *= 2;
    m->k = arena_zalloc(r->a, sizeof(*m->k) * (size_t)m->cap);
    m->v = arena_zalloc(r->a, sizeof(*m->v) * (size_t)m->cap);
    m->v2 = arena_zalloc(r->a, sizeof(*m->v2) * (size_t)m->cap);
    return m->k && m->v && m->v2 ? 0 : -1;
}

/* The slot of id: its own, or the empty one it would take. */
static int names_slot(const struct names *m, int64_t id)
{
    int i = (int)((uint64_t)id * 0x9E3779B97F4A7C15u >> 40) & (m->cap - 1);
    while (m->k[i] && m->k[i] != id)
        i = (i + 1) & (m->cap - 1);
    return i;
}

static int not_found(struct req *r)
{
    return err_set(&r->err, ERR_NOT_FOUND, NULL, NULL, "no such calendar");
}

/* The feed whose secret is the route's segment: 1 found, 0 not (or not
 * active), <0 an error. */
static int feed_find(struct req *r, struct db_conn *c, struct feed *f)
{
    const char *s = r->seg[1];
    size_t n = r->seg_len[1], p = sizeof(FEED_PREFIX) - 1;
    if (n != p + AUTH_SECRET_LEN + 4 || memcmp(s, FEED_PREFIX, p) || memcmp(s + n - 4, ".ics", 4))
        return 0;
    for (size_t i = p; i < n - 4; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_'))
            return 0;
    char hex[65];
    auth_sha256_hex(s, n - 4, hex);
    struct db_stmt *st;
    int rc = db_prepare(c,
                        "SELECT id, tenant_id, kind, resource_id, user_id, name FROM "
                        "calendar_feeds WHERE token_hash = ? AND status = 'active'",
                        &st, &r->err);
    if (rc)
        return rc;
    db_bind_text(st, 1, hex, 64);
    rc = db_step(st, &r->err);
    if (rc == DB_ROW) {
        f->id = db_col_int(st, 0);
        f->tenant = db_col_int(st, 1);
        f->resource_kind = !strcmp(db_col_text(st, 2, NULL), "resource");
        f->resource = db_col_is_null(st, 3) ? 0 : db_col_int(st, 3);
        f->user = db_col_is_null(st, 4) ? 0 : db_col_int(st, 4);
        f->name = db_col_is_null(st, 5) ? NULL : arena_strdup(r->a, db_col_text(st, 5, NULL));
    }
    db_reset(st);
    return rc < 0 ? rc : rc == DB_ROW;
}

/* Resource id's name and location into the map (once): 0, 1 none, <0. */
static int resource_names(struct req *r, struct db_conn *c, struct names *m, int64_t id, int *slot)
{
    int i = names_slot(m, id);
    *slot = i;
    if (m->k[i])
        return 0;
    struct db_stmt *st;
    int rc =
        db_prepare_ints(c, "SELECT name, location FROM resources WHERE tenant_id = ? AND id = ?",
                        DB_INTS(r->tenant_id, id), &st, &r->err);
    if (rc)
        return rc;
    rc = db_step(st, &r->err);
    if (rc == DB_ROW) {
        m->k[i] = id;
        m->v[i] = arena_strdup(r->a, db_col_text(st, 0, NULL));
        m->v2[i] = arena_strdup(r->a, db_col_text(st, 1, NULL));
    }
    db_reset(st);
    return rc < 0 ? rc : rc == DB_ROW ? 0 : 1;
}

static const char *booker_name(struct req *r, struct db_conn *c, struct names *m, int64_t id)
{
    if (!id)
        return NULL;
    int i = names_slot(m, id);
    if (!m->k[i]) {
        struct identity_user u;
        struct err e2;
        err_clear(&e2);
        if (identity_user(r, c, id, &u, &e2) < 0)
            return NULL;
        m->k[i] = id;
        m->v[i] = u.name;
    }
    return m->v[i];
}

static const char *status_label(const char *status)
{
    const struct res_field *f = res_field_find(&bk_bookings, "status", 6);
    for (const struct res_enum *v = f ? f->values : NULL; v && v->value; v++)
        if (!strcmp(v->value, status))
            return v->zh;
    return status;
}

/* A feed's rows, before the names are looked up. */
struct rows {
    struct bk_ical_event *v;
    int64_t *resource, *booker, *party;
    const char **purpose;
    int n;
};

/* Appends the feed's bookings starting in [a, b) to rows, up to the cap: the
 * upcoming ones from the nearest on (future), the past ones from the latest
 * back. */
static int fetch(struct req *r, struct db_conn *c, const struct feed *f, int future, int64_t a,
                 int64_t b, struct rows *x)
{
    static const char *const sql[2][2] = {
        {"SELECT id, version, created_at, updated_at, resource_id, start_at, end_at, party_size, "
         "purpose, booker_id, status FROM bookings WHERE tenant_id = ? AND booker_id = ? AND "
         "start_at >= ? AND start_at < ? ORDER BY start_at DESC, id DESC LIMIT ?",
         "SELECT id, version, created_at, updated_at, resource_id, start_at, end_at, party_size, "
         "purpose, booker_id, status FROM bookings WHERE tenant_id = ? AND booker_id = ? AND "
         "start_at >= ? AND start_at < ? ORDER BY start_at, id LIMIT ?"},
        {"SELECT id, version, created_at, updated_at, resource_id, start_at, end_at, party_size, "
         "purpose, booker_id, status FROM bookings WHERE tenant_id = ? AND resource_id = ? AND "
         "start_at >= ? AND start_at < ? ORDER BY start_at DESC, id DESC LIMIT ?",
         "SELECT id, version, created_at, updated_at, resource_id, start_at, end_at, party_size, "
         "purpose, booker_id, status FROM bookings WHERE tenant_id = ? AND resource_id = ? AND "
         "start_at >= ? AND start_at < ? ORDER BY start_at, id LIMIT ?"},
    };
    struct db_stmt *st;
    int rc = db_prepare_ints(c, sql[f->resource_kind][future],
                             DB_INTS(r->tenant_id, f->resource_kind ? f->resource : f->user, a, b,
                                     BK_FEED_MAX_EVENTS - x->n),
                             &st, &r->err);
    if (rc)
        return rc;
    while (x->n < BK_FEED_MAX_EVENTS && (rc = db_step(st, &r->err)) == DB_ROW) {
        struct bk_ical_event *e = &x->v[x->n];
        e->id = db_col_int(st, 0);
        e->sequence = db_col_int(st, 1) - 1;
        e->created = db_col_int(st, 2);
        e->modified = db_col_int(st, 3);
        x->resource[x->n] = db_col_int(st, 4);
        e->start = db_col_int(st, 5);
        e->end = db_col_int(st, 6);
        x->party[x->n] = db_col_int(st, 7);
        x->purpose[x->n] =
            db_col_is_null(st, 8) ? NULL : arena_strdup(r->a, db_col_text(st, 8, NULL));
        x->booker[x->n] = db_col_is_null(st, 9) ? 0 : db_col_int(st, 9);
        e->status = arena_strdup(r->a, db_col_text(st, 10, NULL)); /* the booking's, for now */
        x->n++;
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* The bookings of the feed into *out (arena memory): within the window, at
 * most BK_FEED_MAX_EVENTS, the upcoming ones first. */
static int feed_events(struct req *r, struct db_conn *c, const struct feed *f,
                       struct bk_ical_event **out, int *nout)
{
    int64_t now = clock_now(), from = now - (int64_t)BK_FEED_BACK_DAYS * 86400,
            to = now + (int64_t)BK_FEED_AHEAD_DAYS * 86400;
    struct names res = {0}, who = {0};
    struct rows rw = {
        .v = arena_zalloc(r->a, sizeof(*rw.v) * BK_FEED_MAX_EVENTS),
        .resource = arena_alloc(r->a, sizeof(int64_t) * BK_FEED_MAX_EVENTS),
        .booker = arena_alloc(r->a, sizeof(int64_t) * BK_FEED_MAX_EVENTS),
        .party = arena_alloc(r->a, sizeof(int64_t) * BK_FEED_MAX_EVENTS),
        .purpose = arena_alloc(r->a, sizeof(char *) * BK_FEED_MAX_EVENTS),
    };
    int rc;
    if (!rw.v || !rw.resource || !rw.booker || !rw.party || !rw.purpose ||
        names_init(r, &res, 16) || names_init(r, &who, f->resource_kind ? 1024 : 1))
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    /* the rows first (a statement at a time: the names need queries of their own) */
    if ((rc = fetch(r, c, f, 1, now, to, &rw)) || (rc = fetch(r, c, f, 0, from, now, &rw)))
        return rc;
    struct bk_ical_event *v = rw.v;
    int n = rw.n;
    int64_t *resource = rw.resource, *booker = rw.booker, *party = rw.party;
    const char **purpose = rw.purpose;
    for (int i = 0; i < n; i++) {
        struct bk_ical_event *x = &v[i];
        int slot;
        if ((rc = resource_names(r, c, &res, resource[i], &slot)) < 0)
            return rc;
        const char *rname = rc ? "" : res.v[slot], *loc = rc ? "" : res.v2[slot];
        const char *state = status_label(x->status);
        x->summary =
            purpose[i] && *purpose[i] ? arena_printf(r->a, "%s：%s", rname, purpose[i]) : rname;
        x->location = loc && *loc ? loc : rname;
        if (f->resource_kind) {
            const char *bn = booker_name(r, c, &who, booker[i]);
            x->description = arena_printf(r->a, "预约人：%s\n人数：%lld\n状态：%s", bn ? bn : "—",
                                          (long long)party[i], state);
        } else {
            x->description = arena_printf(r->a, "人数：%lld\n状态：%s", (long long)party[i], state);
        }
        x->status = bk_ical_status(x->status);
        if (!x->summary || !x->description)
            return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    }
    *out = v;
    *nout = n;
    return 0;
}

int bk_feed_serve(struct req *r)
{
    struct db_conn *c = req_db(r);
    struct feed f = {0};
    int rc;
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    if ((rc = feed_find(r, c, &f)) <= 0)
        return rc < 0 ? rc : not_found(r);
    r->tenant_id = f.tenant;
    r->utc_offset_min = tenant_utc_offset(c, f.tenant, r->cfg ? r->cfg->utc_offset_min : 480);
    /* the owner's feeds end with their account */
    struct identity_user owner;
    if ((rc = identity_user(r, c, f.user, &owner, &r->err)))
        return rc;
    if (!owner.active)
        return not_found(r);
    struct bk_ical cal = {0};
    json_t *t;
    if ((rc = wf_load(r, c, &org_tenants, f.tenant, &t, &r->err)))
        return rc;
    const char *code = json_string_value(json_object_get(t, "code"));
    cal.domain = arena_printf(r->a, "%s.bureau", code ? code : "tenant");
    if (f.resource_kind) {
        struct names one;
        int slot;
        if (names_init(r, &one, 1))
            return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
        if ((rc = resource_names(r, c, &one, f.resource, &slot)) < 0)
            return rc;
        if (rc)
            return not_found(r);
        cal.name = f.name && *f.name ? f.name : arena_printf(r->a, "预约 · %s", one.v[slot]);
    } else {
        cal.name = f.name && *f.name ? f.name : arena_printf(r->a, "我的预约 · %s", owner.name);
    }
    struct bk_ical_event *v = NULL;
    int n = 0;
    if ((rc = feed_events(r, c, &f, &v, &n)))
        return rc;
    /* the validator of what would be written (DTSTAMP is the booking's last
     * change, not the time of the request): a client's copy that is current
     * costs the queries, not the writing */
    char hex[BK_ICAL_DIGEST_HEX];
    bk_ical_digest(&cal, v, n, hex);
    const char *etag = arena_printf(r->a, "\"c%s\"", hex);
    if (!etag)
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    resp_header(r, "ETag", etag);
    r->cache_control = "private, no-cache";
    const char *inm = req_header(r, "If-None-Match");
    if (inm && (strstr(inm, etag) || !strcmp(inm, "*"))) {
        r->status = 304;
        return 0;
    }
    if ((rc = bk_ical_write(&cal, v, n, &r->out, &r->err)))
        return rc;
    resp_header(r, "Content-Disposition", "inline; filename=\"bookings.ics\"");
    r->ctype = "text/calendar; charset=utf-8";
    r->status = 200;
    return 0;
}
