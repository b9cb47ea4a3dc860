/* SPDX-License-Identifier: MIT
 * assets/pool.c - the public property pool 公物仓 (pool_entities.c declares
 * its collections and steps):
 *
 *   - hand_in: a department's asset in use or idle goes to the pool with its
 *     condition, a note and a photo (the files module attaches it to the pool
 *     item: whoever may read the pool sees it); withdraw takes it out again;
 *   - GET /api/v1/pool: the gallery of what is in the pool (and what is out
 *     on loan), newest first, searched by name, code or model, by class (and
 *     its sub-classes), depreciation category and condition: one statement on
 *     the index (tenant, status, id) of pool_items, the page's net values
 *     computed in C. Whoever may read pool_items may browse it (the liaisons:
 *     the pool is the catalogue they ask from; their own register stays
 *     theirs);
 *   - GET /api/v1/pool/check and as_pool_available: does the pool hold usable
 *     items of a class or category? (the flag before a purchase goes to
 *     procurement);
 *   - pool_requests: reuse (the asset's custody and books move to the
 *     requesting department in one step, with its transfer row, and its
 *     original value is the purchase saved) or loan (lent until the return
 *     date, at most AS_LOAN_MAX_DAYS days; returned to the pool);
 *   - the daily job assets.loan_reminders: the borrower and the assets
 *     managers are told loan_remind_days before a loan is due, and once it is
 *     overdue (once each);
 *   - as_pool_summary: the dashboard's figures.
 */
#include "assets.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/buf.h"
#include "../../base/err.h"
#include "../../core/config.h"
#include "../../core/http.h"
#include "../../core/jobs.h"
#include "../../core/tenant.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../engine/record.h"
#include "../../engine/report.h"
#include "../../engine/workflow.h"
#include "../files/files.h"
#include "../notify/notify.h"
#include "../org/org.h"

#include <stdio.h>
#include <string.h>

#define PAGE_MAX 100     /* items of one page of the gallery */
#define MAX_CLASSES 1000 /* a class and its sub-classes searched at once */
#define MAX_TENANTS 1000
#define LOANS_MAX 2000 /* loans a job run looks at in one tenant */

static int64_t day_of(const char *s)
{
    int64_t d = 0;
    return s && !date_parse(s, strlen(s), &d) ? d : -1;
}

/* ---- an asset's steps ---- */

int as_pool_close_item(struct req *r, struct db_conn *c, int64_t asset, const char *status,
                       struct err *e)
{
    int64_t item = 0;
    int rc = db_one_int(c,
                        "SELECT id FROM pool_items WHERE tenant_id = ? AND asset_id = ? AND "
                        "status = 'in_pool' ORDER BY id DESC LIMIT 1",
                        DB_INTS(r->tenant_id, asset), &item, e);
    if (rc < 0 || !item)
        return rc < 0 ? rc : 0;
    return wf_update(
        r, c, &as_pool_items, item,
        json_pack("{s:s,s:o}", "status", status, "left_at", wf_time_json(r, clock_now())), e);
}

int as_hand_in_check(struct wf *w)
{
    struct req *r = w->r;
    int64_t other = 0, item;
    int rc = db_one_int(w->c,
                        "SELECT d.id FROM asset_disposal_items i JOIN asset_disposals d ON "
                        "d.tenant_id = i.tenant_id AND d.id = i.disposal_id WHERE i.tenant_id = "
                        "? AND i.asset_id = ? AND d.status IN ('draft', 'submitted') LIMIT 1",
                        DB_INTS(r->tenant_id, w->id), &other, &r->err);
    if (rc < 0)
        return rc;
    if (other)
        return wf_conflict(w, "assets.pool.in_disposal",
                           "asset {code}%s is in disposal {disposal}%lld",
                           wf_str(w->rec, "code") ? wf_str(w->rec, "code") : "", (long long)other);
    const char *cond = wf_str(w->body, "condition");
    json_object_set_new(w->patch, "condition", json_string(cond));
    json_t *rec =
        json_pack("{s:I,s:I,s:s,s:o,s:s,s:o,s:o}", "asset_id", (json_int_t)w->id, "department_id",
                  (json_int_t)wf_int(w->rec, "department_id"), "condition", cond, "note",
                  report_str(wf_str(w->body, "note")), "status", "in_pool", "handed_in_by",
                  wf_actor(r), "handed_in_at", wf_time_json(r, clock_now()));
    if (wf_has(w->body, "photo") && rec)
        json_object_set_new(rec, "photos", json_pack("[I]", (json_int_t)wf_int(w->body, "photo")));
    if ((rc = wf_create(r, w->c, &as_pool_items, rec, &item, &r->err)))
        return rc;
    if (wf_has(w->body, "photo")) {
        json_t *ids = report_keep(r, json_pack("[I]", (json_int_t)wf_int(w->body, "photo")));
        if ((rc = files_attach(r, w->c, ids, 1, "photo", "pool_items", item, &r->err)))
            return rc;
    }
    return 0;
}

int as_withdraw_check(struct wf *w)
{
    return as_pool_close_item(w->r, w->c, w->id, "withdrawn", &w->r->err);
}

/* ---- requests ---- */

int as_pool_request_before_write(struct res_write *w)
{
    struct req *r = w->r;
    if (!w->rec || r->server_write)
        return 0;
    if (w->old && !wf_is(wf_str(w->old, "status"), "pending"))
        return err_set(w->e, ERR_CONFLICT, NULL, "assets.pool.not_pending",
                       "request {id}%lld is {status}%s: only a pending request may be changed",
                       (long long)w->id, wf_str(w->old, "status"));
    if (!w->old)
        json_object_set_new(w->rec, "requester_id", wf_actor(r));
    json_t *a;
    int64_t asset = wf_int(w->rec, "asset_id");
    int rc = wf_load(r, w->c, &as_assets, asset, &a, w->e);
    if (rc == -ERR_NOT_FOUND) {
        err_clear(w->e);
        err_field(w->e, "asset_id", "assets.pool.not_in_pool",
                  "asset {code}%s is not in the pool ({status}%s)", "", "-");
        return err_invalid(w->e);
    }
    if (rc)
        return rc;
    if ((!w->old || wf_int(w->old, "asset_id") != asset) && !wf_is(wf_str(a, "status"), "pooled"))
        return err_set(w->e, ERR_CONFLICT, "asset_id", "assets.pool.not_in_pool",
                       "asset {code}%s is not in the pool ({status}%s)",
                       wf_str(a, "code") ? wf_str(a, "code") : "", wf_str(a, "status"));
    json_object_set(w->rec, "asset_code", json_object_get(a, "code"));
    json_object_set(w->rec, "asset_name", json_object_get(a, "name"));
    int64_t today = report_today(r);
    char d[16];
    if (!wf_has(w->rec, "needed_from")) {
        date_format(today, d, sizeof(d));
        json_object_set_new(w->rec, "needed_from", json_string(d));
    }
    if (wf_is(wf_str(w->rec, "kind"), "loan")) {
        int64_t from = day_of(wf_str(w->rec, "needed_from")),
                until = day_of(wf_str(w->rec, "loan_until"));
        if (until < 0)
            err_field(w->e, "loan_until", "assets.pool.loan_until_required",
                      "a loan has a return date");
        else if (as_loan_span_check(from, until) == 1)
            err_field(w->e, "loan_until", "assets.pool.loan_before_start",
                      "the return date {loan_until}%s is before {needed_from}%s",
                      wf_str(w->rec, "loan_until"), wf_str(w->rec, "needed_from"));
        else if (as_loan_span_check(from, until) == 2)
            err_field(w->e, "loan_until", "assets.pool.loan_too_long",
                      "a loan lasts at most {max}%d days", AS_LOAN_MAX_DAYS);
        json_object_set_new(w->rec, "saves_fen", json_null());
    } else {
        json_object_set_new(w->rec, "loan_until", json_null());
        json_object_set_new(w->rec, "saves_fen", json_integer(wf_int(a, "original_value_fen")));
    }
    return w->e->nitems ? err_invalid(w->e) : 0;
}

/* A new request: the assets managers are told (the approval queue). */
int as_pool_request_after_write(struct res_write *w)
{
    struct req *r = w->r;
    if (!w->rec || w->old || r->server_write)
        return 0;
    const char *dept = NULL;
    int rc = org_department_name(r, w->c, wf_int(w->rec, "department_id"), &dept, w->e);
    if (rc < 0)
        return rc;
    const char *body =
        arena_printf(r->a, "%s申请%s：%s %s", dept ? dept : "",
                     wf_is(wf_str(w->rec, "kind"), "loan") ? "借用" : "调剂使用",
                     wf_str(w->rec, "asset_code") ? wf_str(w->rec, "asset_code") : "",
                     wf_str(w->rec, "asset_name") ? wf_str(w->rec, "asset_name") : "");
    return notify_role(r, w->c, "assets_manager", "assets.pool_request", "公物仓新申请待审批", body,
                       "pool_requests", w->id, NULL, w->e);
}

/* The request's asset, locked, still in the pool. */
int as_pool_approve_check(struct wf *w)
{
    struct req *r = w->r;
    json_t *a;
    int64_t asset = wf_int(w->rec, "asset_id");
    int rc = rec_lock(r, w->c, &as_assets, asset, &r->err);
    if (rc > 0)
        return wf_conflict(w, "assets.pool.taken", "asset {code}%s is {status}%s now", "", "-");
    if (rc || (rc = wf_load(r, w->c, &as_assets, asset, &a, &r->err)))
        return rc;
    if (!wf_is(wf_str(a, "status"), "pooled"))
        return wf_conflict(w, "assets.pool.taken", "asset {code}%s is {status}%s now",
                           wf_str(a, "code") ? wf_str(a, "code") : "", wf_str(a, "status"));
    return 0;
}

int as_pool_approve_then(struct wf *w)
{
    struct req *r = w->r;
    int64_t asset = wf_int(w->rec, "asset_id"), tid;
    if (wf_is(wf_str(w->rec, "kind"), "loan"))
        return wf_update(r, w->c, &as_assets, asset, json_pack("{s:s}", "status", "lent"), &r->err);
    char d[16];
    date_format(report_today(r), d, sizeof(d));
    json_t *t = json_pack(
        "{s:I,s:s,s:I,s:o,s:o,s:s,s:s,s:I,s:o}", "asset_id", (json_int_t)asset, "kind", "reuse",
        "to_department_id", (json_int_t)wf_int(w->rec, "department_id"), "to_custodian_id",
        json_incref(json_object_get(w->rec, "custodian_id")), "to_room_id",
        json_incref(json_object_get(w->rec, "room_id")), "transferred_on", d, "reason",
        arena_printf(r->a, "公物仓调剂：%s",
                     wf_str(w->rec, "purpose") ? wf_str(w->rec, "purpose") : ""),
        "pool_request_id", (json_int_t)w->id, "by_id", wf_actor(r));
    int rc = wf_create(r, w->c, &as_transfers, t, &tid, &r->err);
    return rc ? rc : as_pool_close_item(r, w->c, asset, "reused", &r->err);
}

int as_pool_return_check(struct wf *w)
{
    if (!wf_is(wf_str(w->rec, "kind"), "loan"))
        return wf_conflict(w, "assets.pool.not_a_loan",
                           "request {id}%lld is a reuse: the asset is the department's now",
                           (long long)w->id);
    return 0;
}

int as_pool_return_then(struct wf *w)
{
    return wf_update(w->r, w->c, &as_assets, wf_int(w->rec, "asset_id"),
                     json_pack("{s:s}", "status", "pooled"), &w->r->err);
}

/* ---- the gallery ---- */

/* class and its sub-classes, all of them, into ids (at most MAX_CLASSES: a
 * larger tree is refused, never searched in part). */
static int class_tree(struct req *r, struct db_conn *c, int64_t cls, int64_t *ids, int *n,
                      struct err *e)
{
    struct db_stmt *st;
    *n = 0;
    int rc = db_prepare_ints(c,
                             "WITH RECURSIVE t(id) AS (SELECT id FROM asset_classes WHERE "
                             "tenant_id = ? AND id = ? UNION SELECT k.id FROM asset_classes k "
                             "JOIN t ON k.parent_id = t.id WHERE k.tenant_id = ?) SELECT id FROM "
                             "t LIMIT ?",
                             DB_INTS(r->tenant_id, cls, r->tenant_id, MAX_CLASSES + 1), &st, e);
    if (rc)
        return rc;
    while ((rc = db_step(st, e)) == DB_ROW && *n < MAX_CLASSES)
        ids[(*n)++] = db_col_int(st, 0);
    db_reset(st);
    if (rc < 0)
        return rc;
    if (rc == DB_ROW)
        return err_set(e, ERR_BAD_QUERY, "class_id", "assets.pool.class_tree",
                       "class {class_id}%lld has more than {max}%d sub-classes: choose one of "
                       "them",
                       (long long)cls, MAX_CLASSES - 1);
    if (!*n) /* no such class: nothing of it in the pool */
        ids[(*n)++] = cls;
    return 0;
}

static void bind_like(struct db_stmt *st, int k, struct req *r, const char *q)
{
    struct buf b;
    buf_init(&b, r->a);
    buf_putc(&b, '%');
    for (const char *p = q; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            buf_putc(&b, '\\');
        buf_putc(&b, *p);
    }
    buf_putc(&b, '%');
    db_bind_text(st, k, buf_cstr(&b), strlen(buf_cstr(&b)));
}

static int has_latin(const char *s)
{
    for (; *s; s++)
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
            return 1;
    return 0;
}

static int is_condition(const char *s)
{
    return wf_is(s, "good") || wf_is(s, "fair") || wf_is(s, "poor") || wf_is(s, "broken");
}

int as_pool_list(struct req *r)
{
    static const char *const params[] = {"q",     "class_id", "category_id", "condition",
                                         "limit", "cursor",   "available",   NULL};
    int64_t cls, cat, limit, cursor, avail;
    int rc = perm_check(r, &as_pool_items, "read");
    if (rc || (rc = report_params_only(r, params)) ||
        (rc = report_param_int(r, "class_id", 0, INT64_MAX, 0, &cls)) ||
        (rc = report_param_int(r, "category_id", 0, INT64_MAX, 0, &cat)) ||
        (rc = report_param_int(r, "limit", 1, PAGE_MAX, 24, &limit)) ||
        (rc = report_param_int(r, "cursor", 0, INT64_MAX, 0, &cursor)) ||
        (rc = report_param_int(r, "available", 0, 1, 0, &avail)))
        return rc;
    const char *q = req_query(r, "q"), *cond = req_query(r, "condition");
    if (q && !*q)
        q = NULL;
    if (q && strlen(q) > 100)
        return err_set(&r->err, ERR_BAD_QUERY, "q", "assets.pool.q_too_long",
                       "search for at most {max}%d characters", 100);
    if (cond && *cond && !is_condition(cond))
        return err_set(&r->err, ERR_BAD_QUERY, "condition", "assets.pool.condition",
                       "condition is good, fair, poor or broken");
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    int64_t classes[MAX_CLASSES];
    int ncls = 0;
    if (cls && (rc = class_tree(r, c, cls, classes, &ncls, &r->err)))
        return rc;
    struct buf sql;
    buf_init(&sql, r->a);
    buf_puts(&sql, "SELECT p.id, p.asset_id, p.condition, p.note, p.photos, p.department_id, "
                   "p.handed_in_at, a.code, a.name, a.model, a.class_id, a.category_id, "
                   "a.original_value_fen, a.acquired_on, a.useful_years, a.status, k.name "
                   "FROM pool_items p JOIN assets a ON a.tenant_id = p.tenant_id AND a.id = "
                   "p.asset_id LEFT JOIN asset_classes k ON k.tenant_id = a.tenant_id AND k.id "
                   "= a.class_id WHERE p.tenant_id = ? AND p.status = 'in_pool'");
    buf_puts(&sql, avail ? " AND a.status = 'pooled'" : " AND a.status IN ('pooled', 'lent')");
    if (cursor)
        buf_puts(&sql, " AND p.id < ?");
    if (cond && *cond)
        buf_puts(&sql, " AND p.condition = ?");
    if (cat)
        buf_puts(&sql, " AND a.category_id = ?");
    if (ncls) {
        buf_puts(&sql, " AND a.class_id IN (");
        for (int i = 0; i < ncls; i++)
            buf_puts(&sql, i ? ", ?" : "?");
        buf_putc(&sql, ')');
    }
    if (q) {
        /* ASCII case-insensitive on both (SQLite's LIKE, PostgreSQL's ILIKE); a search
         * without Latin letters has no case: plain LIKE, cheaper on PostgreSQL */
        const char *op = has_latin(q) ? db_sql(r->db)->ilike : "LIKE";
        buf_printf(&sql,
                   " AND (a.name %s ? ESCAPE '\\' OR a.code %s ? ESCAPE '\\' OR a.model %s ? "
                   "ESCAPE '\\')",
                   op, op, op);
    }
    buf_puts(&sql, " ORDER BY p.id DESC LIMIT ?");
    if (!buf_ok(&sql))
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "out of memory");
    struct db_stmt *st;
    if ((rc = db_prepare(c, buf_cstr(&sql), &st, &r->err)))
        return rc;
    int k = 1;
    db_bind_int(st, k++, r->tenant_id);
    if (cursor)
        db_bind_int(st, k++, cursor);
    if (cond && *cond)
        db_bind_text(st, k++, cond, strlen(cond));
    if (cat)
        db_bind_int(st, k++, cat);
    for (int i = 0; i < ncls; i++)
        db_bind_int(st, k++, classes[i]);
    if (q)
        for (int i = 0; i < 3; i++)
            bind_like(st, k++, r, q);
    db_bind_int(st, k++, limit + 1);
    json_t *out = json_array();
    int64_t last = 0;
    char today[16];
    date_format(report_today(r), today, sizeof(today));
    int64_t asof = as_month_of(today);
    int n = 0, more = 0;
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        if (n == limit) {
            more = 1;
            break;
        }
        struct as_dep dep;
        int64_t orig = db_col_int(st, 12);
        as_depreciate(orig, as_month_of(db_col_text(st, 13, NULL)), (int)db_col_int(st, 14), asof,
                      -1, &dep);
        json_t *photos = json_loads(db_col_text(st, 4, NULL), JSON_DECODE_ANY, NULL);
        json_t *it = json_pack(
            "{s:I,s:I,s:s,s:o,s:o,s:I,s:o,s:s,s:s,s:o,s:I,s:o,s:I,s:I,s:s,s:s,s:o}", "pool_item_id",
            (json_int_t)db_col_int(st, 0), "asset_id", (json_int_t)db_col_int(st, 1), "condition",
            db_col_text(st, 2, NULL), "note",
            db_col_is_null(st, 3) ? json_null() : json_string(db_col_text(st, 3, NULL)), "photos",
            json_is_array(photos) ? photos : (json_decref(photos), json_array()), "department_id",
            (json_int_t)db_col_int(st, 5), "handed_in_at",
            db_col_is_null(st, 6) ? json_null() : wf_time_json(r, db_col_int(st, 6)), "code",
            db_col_text(st, 7, NULL), "name", db_col_text(st, 8, NULL), "model",
            db_col_is_null(st, 9) ? json_null() : json_string(db_col_text(st, 9, NULL)), "class_id",
            (json_int_t)db_col_int(st, 10), "class_name", json_string(db_col_text(st, 16, NULL)),
            "original_value_fen", (json_int_t)orig, "net_value_fen", (json_int_t)dep.net, "status",
            db_col_text(st, 15, NULL), "acquired_on", db_col_text(st, 13, NULL), "category_id",
            json_integer(db_col_int(st, 11)));
        json_array_append_new(out, it);
        last = db_col_int(st, 0);
        n++;
    }
    db_reset(st);
    if (rc < 0) {
        json_decref(out);
        return rc;
    }
    /* the departments' names, each asked once (a page holds a few departments) */
    size_t i;
    json_t *v;
    int64_t seen_id[PAGE_MAX];
    const char *seen_name[PAGE_MAX];
    int nseen = 0;
    json_array_foreach(out, i, v)
    {
        int64_t dept = wf_int(v, "department_id");
        const char *name = NULL;
        int j = 0;
        while (j < nseen && seen_id[j] != dept)
            j++;
        if (j < nseen) {
            name = seen_name[j];
        } else {
            if ((rc = org_department_name(r, c, dept, &name, &r->err)) < 0) {
                json_decref(out);
                return rc;
            }
            seen_id[nseen] = dept;
            seen_name[nseen++] = name;
        }
        json_object_set_new(v, "department_name", report_str(name));
    }
    json_t *doc = json_pack("{s:o,s:o}", "items", out, "next_cursor",
                            more ? json_integer(last) : json_null());
    return report_send(r, doc);
}

/* ---- the flag before procurement ---- */

/* The usable items of classes (ncls of them; 0: any) and category (0: any). */
static int count_usable(struct req *r, struct db_conn *c, const int64_t *classes, int ncls,
                        int64_t category_id, int *n, struct err *e)
{
    int rc;
    *n = 0;
    struct buf sql;
    buf_init(&sql, r->a);
    buf_puts(&sql, "SELECT COUNT(*) FROM pool_items p JOIN assets a ON a.tenant_id = p.tenant_id "
                   "AND a.id = p.asset_id WHERE p.tenant_id = ? AND p.status = 'in_pool' AND "
                   "a.status = 'pooled' AND p.condition IN ('good', 'fair')");
    if (category_id)
        buf_puts(&sql, " AND a.category_id = ?");
    if (ncls) {
        buf_puts(&sql, " AND a.class_id IN (");
        for (int i = 0; i < ncls; i++)
            buf_puts(&sql, i ? ", ?" : "?");
        buf_putc(&sql, ')');
    }
    if (!buf_ok(&sql))
        return err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
    struct db_stmt *st;
    if ((rc = db_prepare(c, buf_cstr(&sql), &st, e)))
        return rc;
    int k = 1;
    db_bind_int(st, k++, r->tenant_id);
    if (category_id)
        db_bind_int(st, k++, category_id);
    for (int i = 0; i < ncls; i++)
        db_bind_int(st, k++, classes[i]);
    if ((rc = db_step(st, e)) == DB_ROW)
        *n = (int)db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int as_pool_available(struct req *r, struct db_conn *c, int64_t class_id, int64_t category_id,
                      int *n, struct err *e)
{
    int64_t classes[MAX_CLASSES];
    int ncls = 0, rc;
    *n = 0;
    if (class_id && (rc = class_tree(r, c, class_id, classes, &ncls, e)))
        return rc;
    return count_usable(r, c, classes, ncls, category_id, n, e);
}

int as_pool_check(struct req *r)
{
    static const char *const params[] = {"class_id", "category_id", NULL};
    int64_t cls, cat;
    int n, rc = perm_check(r, &as_pool_items, "read");
    if (rc || (rc = report_params_only(r, params)) ||
        (rc = report_param_int(r, "class_id", 0, INT64_MAX, 0, &cls)) ||
        (rc = report_param_int(r, "category_id", 0, INT64_MAX, 0, &cat)))
        return rc;
    if (!cls && !cat)
        return err_set(&r->err, ERR_BAD_QUERY, "class_id", "assets.pool.check_what",
                       "give class_id or category_id");
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    int64_t classes[MAX_CLASSES];
    int ncls = 0;
    if ((cls && (rc = class_tree(r, c, cls, classes, &ncls, &r->err))) ||
        (rc = count_usable(r, c, classes, ncls, cat, &n, &r->err)))
        return rc;
    /* a few of them: the newest usable items */
    struct buf sql;
    buf_init(&sql, r->a);
    buf_puts(&sql, "SELECT a.id, a.code, a.name, p.condition, a.original_value_fen FROM "
                   "pool_items p JOIN assets a ON a.tenant_id = p.tenant_id AND a.id = "
                   "p.asset_id WHERE p.tenant_id = ? AND p.status = 'in_pool' AND a.status = "
                   "'pooled' AND p.condition IN ('good', 'fair')");
    if (cat)
        buf_puts(&sql, " AND a.category_id = ?");
    if (ncls) {
        buf_puts(&sql, " AND a.class_id IN (");
        for (int i = 0; i < ncls; i++)
            buf_puts(&sql, i ? ", ?" : "?");
        buf_putc(&sql, ')');
    }
    buf_puts(&sql, " ORDER BY p.id DESC LIMIT 5");
    struct db_stmt *st;
    if (!buf_ok(&sql))
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "out of memory");
    if ((rc = db_prepare(c, buf_cstr(&sql), &st, &r->err)))
        return rc;
    int k = 1;
    db_bind_int(st, k++, r->tenant_id);
    if (cat)
        db_bind_int(st, k++, cat);
    for (int i = 0; i < ncls; i++)
        db_bind_int(st, k++, classes[i]);
    json_t *some = json_array();
    while ((rc = db_step(st, &r->err)) == DB_ROW)
        json_array_append_new(
            some, json_pack("{s:I,s:s,s:s,s:s,s:I}", "asset_id", (json_int_t)db_col_int(st, 0),
                            "code", db_col_text(st, 1, NULL), "name", db_col_text(st, 2, NULL),
                            "condition", db_col_text(st, 3, NULL), "original_value_fen",
                            (json_int_t)db_col_int(st, 4)));
    db_reset(st);
    if (rc < 0) {
        json_decref(some);
        return rc;
    }
    return report_send(r,
                       json_pack("{s:b,s:i,s:o}", "available", n > 0, "count", n, "items", some));
}

/* ---- the dashboard's figures ---- */

int as_pool_summary(struct req *r, struct db_conn *c, json_t *card, struct err *e)
{
    int64_t today = report_today(r), y0, reused = 0, nreused = 0, items = 0, out = 0, late = 0,
            awaiting = 0;
    char d[16];
    date_format(today, d, sizeof(d));
    int y = 0;
    sscanf(d, "%4d", &y);
    char jan1[16];
    snprintf(jan1, sizeof(jan1), "%04d-01-01", y);
    y0 = day_of(jan1);
    int64_t t0 = y0 * 86400 - (int64_t)r->utc_offset_min * 60;
    int rc;
    struct db_stmt *st;
    if ((rc = db_prepare_ints(c,
                              "SELECT COUNT(*), COALESCE(SUM(saves_fen), 0) FROM pool_requests "
                              "WHERE tenant_id = ? AND kind = 'reuse' AND status = 'approved' "
                              "AND decided_at >= ?",
                              DB_INTS(r->tenant_id, t0), &st, e)))
        return rc;
    if ((rc = db_step(st, e)) == DB_ROW) {
        nreused = db_col_int(st, 0);
        reused = db_col_int(st, 1);
    }
    db_reset(st);
    if (rc < 0 ||
        (rc = db_one_int(c,
                         "SELECT COUNT(*) FROM pool_items p JOIN assets a ON a.tenant_id = "
                         "p.tenant_id AND a.id = p.asset_id WHERE p.tenant_id = ? AND p.status "
                         "= 'in_pool' AND a.status = 'pooled'",
                         DB_INTS(r->tenant_id), &items, e)) < 0 ||
        (rc = db_one_int(c,
                         "SELECT COUNT(*) FROM asset_disposals WHERE tenant_id = ? AND status = "
                         "'submitted'",
                         DB_INTS(r->tenant_id), &awaiting, e)) < 0)
        return rc;
    if ((rc = db_prepare_ints(c,
                              "SELECT loan_until FROM pool_requests WHERE tenant_id = ? AND kind "
                              "= 'loan' AND status = 'approved'",
                              DB_INTS(r->tenant_id), &st, e)))
        return rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        out++;
        int64_t due = day_of(db_col_text(st, 0, NULL));
        late += due >= 0 && due < today;
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    json_object_set_new(card, "reused_value_year_fen", json_integer(reused));
    json_object_set_new(card, "reused_year", json_integer(nreused));
    json_object_set_new(card, "pool_items", json_integer(items));
    json_object_set_new(card, "loans_out", json_integer(out));
    json_object_set_new(card, "loans_overdue", json_integer(late));
    json_object_set_new(card, "disposals_awaiting", json_integer(awaiting));
    return 0;
}

/* GET /api/v1/pool/summary: the same figures for whoever may browse the pool
 * (the gallery's head) */
int as_pool_summary_route(struct req *r)
{
    static const char *const params[] = {NULL};
    int rc = perm_check(r, &as_pool_items, "read");
    if (rc || (rc = report_params_only(r, params)))
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    json_t *card = report_keep(r, json_object());
    if (!card)
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "out of memory");
    if ((rc = as_pool_summary(r, c, card, &r->err)))
        return rc;
    return report_send(r, json_incref(card));
}

/* ---- the loan reminders ---- */

struct loan {
    int64_t id, requester, asset, due;
    int reminded_due, reminded_overdue;
};

static int tenant_reminders(struct job_ctx *j, int64_t tenant, int *sent, struct err *e)
{
    struct arena *a = arena_new(4u << 20);
    struct req r;
    if (!a)
        return err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
    req_init_internal(&r, a, config_current(), j->db);
    r.tenant_id = tenant;
    r.dbc = j->c;
    r.utc_offset_min = tenant_utc_offset(j->c, tenant, r.utc_offset_min);
    struct loan *l = arena_alloc(a, sizeof(*l) * LOANS_MAX);
    int n = 0;
    int rc = l ? db_begin(j->c, e) : err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
    if (rc)
        goto out;
    int64_t today = report_today(&r);
    int64_t ahead = as_setting(&r, j->c, "loan_remind_days", AS_LOAN_REMIND_DAYS);
    struct db_stmt *st;
    rc = db_prepare_ints(j->c,
                         "SELECT id, requester_id, asset_id, loan_until, reminded_due, "
                         "reminded_overdue FROM pool_requests WHERE tenant_id = ? AND status = "
                         "'approved' AND kind = 'loan' ORDER BY id",
                         DB_INTS(tenant), &st, e);
    if (!rc) {
        while ((rc = db_step(st, e)) == DB_ROW && n < LOANS_MAX) {
            l[n] = (struct loan){db_col_int(st, 0),      db_col_int(st, 1),
                                 db_col_int(st, 2),      day_of(db_col_text(st, 3, NULL)),
                                 (int)db_col_int(st, 4), (int)db_col_int(st, 5)};
            n++;
        }
        db_reset(st);
        rc = rc < 0 ? rc : 0;
    }
    for (int i = 0; !rc && i < n; i++) {
        if (l[i].due < 0)
            continue;
        int what =
            as_loan_reminder(l[i].due, today, ahead, l[i].reminded_due, l[i].reminded_overdue);
        if (!what)
            continue;
        json_t *asset = NULL;
        if ((rc = wf_load(&r, j->c, &as_assets, l[i].asset, &asset, e)))
            break;
        char due[16];
        date_format(l[i].due, due, sizeof(due));
        const char *kind = what == 2 ? "assets.loan_overdue" : "assets.loan_due";
        const char *title = what == 2 ? "公物仓借用物品已逾期未还" : "公物仓借用物品即将到期";
        const char *body = arena_printf(a, "%s %s 应于 %s 归还",
                                        wf_str(asset, "code") ? wf_str(asset, "code") : "",
                                        wf_str(asset, "name") ? wf_str(asset, "name") : "", due);
        if ((rc = notify_user(&r, j->c, l[i].requester, kind, title, body, "pool_requests", l[i].id,
                              e)) ||
            (rc = notify_role(&r, j->c, "assets_manager", kind, title, body, "pool_requests",
                              l[i].id, NULL, e)))
            break;
        rc = wf_update(&r, j->c, &as_pool_requests, l[i].id,
                       what == 2 ? json_pack("{s:b,s:b}", "reminded_due", 1, "reminded_overdue", 1)
                                 : json_pack("{s:b}", "reminded_due", 1),
                       e);
        *sent += !rc;
    }
    if (rc)
        db_rollback(j->c);
    else
        rc = db_commit(j->c, e);
out:
    arena_free(a);
    return rc;
}

int as_job_loan_reminders(struct job_ctx *j, struct err *e)
{
    int64_t tenants[MAX_TENANTS];
    int nt = 0, sent = 0;
    int rc = tenant_ids(j->c, 0, tenants, MAX_TENANTS, &nt, e);
    for (int i = 0; !rc && i < nt; i++)
        rc = tenant_reminders(j, tenants[i], &sent, e);
    snprintf(j->message, sizeof(j->message), "%d loan reminder%s sent", sent, sent == 1 ? "" : "s");
    return rc;
}
