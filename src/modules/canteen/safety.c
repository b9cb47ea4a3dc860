/* SPDX-License-Identifier: MIT
 * canteen/safety.c - food safety's alerts: health certificates expiring
 * within cert_alert_days (30) or expired, samples discarded before their 48
 * hours (the last 30 days), inspections past their rectification deadline;
 * the daily job telling the canteen managers of certificates as they reach
 * a stage; and the dashboard card.
 *
 *   GET /api/v1/canteen/alerts?canteen_id=
 *       {"items": [{"kind", "key", "params", "canteen_id",
 *                   "record": {"collection", "id"}, "due"}]}
 */
#include "canteen.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/config.h"
#include "../../core/http.h"
#include "../../core/jobs.h"
#include "../../core/tenant.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../engine/report.h"
#include "../../engine/workflow.h"
#include "../notify/notify.h"

#include <stdio.h>
#include <string.h>

#define EARLY_DAYS 30 /* an early discard stays an alert this long */
#define MAX_ALERTS 2000
#define MAX_TENANTS 1000

const char *ct_cert_stage(int64_t expires, int64_t today, int64_t alert_days)
{
    if (expires < today)
        return "expired";
    return expires - today <= alert_days ? "expiring" : "valid";
}

static int readable(struct req *r, const struct res_entity *ent)
{
    return !r->who || perm_scope(r, ent, "read") == SCOPE_TENANT;
}

static json_t *alert(const char *kind, const char *key, json_t *params, int64_t canteen,
                     const char *collection, int64_t id, const char *due)
{
    return json_pack("{s:s,s:s,s:o,s:I,s:{s:s,s:I},s:s}", "kind", kind, "key", key, "params",
                     params, "canteen_id", (json_int_t)canteen, "record", "collection", collection,
                     "id", (json_int_t)id, "due", due);
}

/* The open alerts of r's tenant (of canteen, 0: all) the caller may read. */
static int collect(struct req *r, struct db_conn *c, int64_t canteen, json_t *items, int *seen,
                   struct err *e)
{
    int64_t today = report_today(r);
    int64_t days = ct_setting(r, c, "cert_alert_days", CT_CERT_ALERT_DAYS);
    char t[16], lim[16], since[16];
    date_format(today, t, sizeof(t));
    date_format(today + days, lim, sizeof(lim));
    date_format(today - EARLY_DAYS, since, sizeof(since));
    int rc = 0;
    *seen = 0;
    if (readable(r, &ct_certificates)) {
        (*seen)++;
        struct db_stmt *st;
        if ((rc = db_prepare(c,
                             "SELECT id, canteen_id, worker_name, expires_on FROM "
                             "health_certificates WHERE tenant_id = ? AND expires_on <= ? AND "
                             "(? = 0 OR canteen_id = ?) ORDER BY expires_on, id",
                             &st, e)))
            return rc;
        db_bind_int(st, 1, r->tenant_id);
        db_bind_text(st, 2, lim, strlen(lim));
        db_bind_int(st, 3, canteen);
        db_bind_int(st, 4, canteen);
        while ((rc = db_step(st, e)) == DB_ROW && json_array_size(items) < MAX_ALERTS) {
            const char *exp = db_col_text(st, 3, NULL);
            int64_t d = 0;
            date_parse(exp, strlen(exp), &d);
            int expired = d < today;
            json_array_append_new(
                items, alert(expired ? "cert_expired" : "cert_expiring",
                             expired ? "canteen.alert.cert_expired" : "canteen.alert.cert_expiring",
                             json_pack("{s:s,s:s,s:I}", "worker", db_col_text(st, 2, NULL),
                                       "expires_on", exp, "days", (json_int_t)(d - today)),
                             db_col_int(st, 1), "health_certificates", db_col_int(st, 0), exp));
        }
        db_reset(st);
        if (rc < 0)
            return rc;
    }
    if (readable(r, &ct_samples)) {
        (*seen)++;
        struct db_stmt *st;
        if ((rc = db_prepare(c,
                             "SELECT id, canteen_id, dish, day, meal, discard_reason, "
                             "weight_g FROM food_samples WHERE tenant_id = ? AND "
                             "discarded_early = 1 AND day >= ? AND (? = 0 OR canteen_id = ?) "
                             "ORDER BY day DESC, id",
                             &st, e)))
            return rc;
        db_bind_int(st, 1, r->tenant_id);
        db_bind_text(st, 2, since, strlen(since));
        db_bind_int(st, 3, canteen);
        db_bind_int(st, 4, canteen);
        while ((rc = db_step(st, e)) == DB_ROW && json_array_size(items) < MAX_ALERTS)
            json_array_append_new(
                items, alert("sample_early", "canteen.alert.sample_early",
                             json_pack("{s:s,s:s,s:s,s:s}", "dish", db_col_text(st, 2, NULL), "day",
                                       db_col_text(st, 3, NULL), "meal", db_col_text(st, 4, NULL),
                                       "reason", db_col_text(st, 5, NULL)),
                             db_col_int(st, 1), "food_samples", db_col_int(st, 0),
                             db_col_text(st, 3, NULL)));
        db_reset(st);
        if (rc < 0)
            return rc;
    }
    if (readable(r, &ct_inspections)) {
        (*seen)++;
        struct db_stmt *st;
        if ((rc = db_prepare(c,
                             "SELECT id, canteen_id, inspector, day, rectify_by FROM "
                             "food_inspections WHERE tenant_id = ? AND status = 'open' AND "
                             "rectify_by < ? AND (? = 0 OR canteen_id = ?) ORDER BY rectify_by, "
                             "id",
                             &st, e)))
            return rc;
        db_bind_int(st, 1, r->tenant_id);
        db_bind_text(st, 2, t, strlen(t));
        db_bind_int(st, 3, canteen);
        db_bind_int(st, 4, canteen);
        while ((rc = db_step(st, e)) == DB_ROW && json_array_size(items) < MAX_ALERTS)
            json_array_append_new(
                items,
                alert("inspection_overdue", "canteen.alert.inspection_overdue",
                      json_pack("{s:s,s:s,s:s}", "inspector", db_col_text(st, 2, NULL), "day",
                                db_col_text(st, 3, NULL), "rectify_by", db_col_text(st, 4, NULL)),
                      db_col_int(st, 1), "food_inspections", db_col_int(st, 0),
                      db_col_text(st, 4, NULL)));
        db_reset(st);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int ct_alerts(struct req *r)
{
    static const char *const params[] = {"canteen_id", NULL};
    int64_t canteen = 0;
    int rc = report_params_only(r, params);
    if (rc || (rc = report_param_int(r, "canteen_id", 0, INT64_MAX, 0, &canteen)))
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    json_t *items = json_array();
    int seen = 0;
    if ((rc = collect(r, c, canteen, items, &seen, &r->err))) {
        json_decref(items);
        return rc;
    }
    if (!seen) {
        json_decref(items);
        return err_set(&r->err, ERR_FORBIDDEN, NULL, "auth.forbidden",
                       "food-safety alerts are for those who keep the records");
    }
    return report_send(r, json_pack("{s:o}", "items", items));
}

/* The dashboard card: open alerts by kind, today's samples against the
 * meals on today's menus, certificates expiring. */
int ct_safety_card(struct req *r, struct db_conn *c, json_t *cards, struct err *e)
{
    if (!readable(r, &ct_samples))
        return 0;
    json_t *items = json_array();
    int seen = 0;
    int rc = collect(r, c, 0, items, &seen, e);
    if (rc) {
        json_decref(items);
        return rc;
    }
    json_t *by = json_object();
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        const char *k = json_string_value(json_object_get(it, "kind"));
        json_object_set_new(by, k, json_integer(json_integer_value(json_object_get(by, k)) + 1));
    }
    char t[16];
    date_format(report_today(r), t, sizeof(t));
    int64_t v[2] = {0, 0};
    static const char *const sql[2] = {
        "SELECT COUNT(*) FROM food_samples WHERE tenant_id = ? AND day = ?",
        "SELECT COUNT(*) FROM menus WHERE tenant_id = ? AND day = ? AND published = 1"};
    for (int k = 0; k < 2 && !rc; k++) {
        struct db_stmt *st;
        if ((rc = db_prepare(c, sql[k], &st, e)))
            break;
        db_bind_int(st, 1, r->tenant_id);
        db_bind_text(st, 2, t, strlen(t));
        if ((rc = db_step(st, e)) == DB_ROW)
            v[k] = db_col_int(st, 0), rc = 0;
        db_reset(st);
        rc = rc < 0 ? rc : 0;
    }
    json_t *card = json_pack(
        "{s:s,s:s,s:s,s:s,s:I,s:o,s:I,s:I,s:I}", "id", "safety", "kind", "kpi", "zh", "食品安全",
        "en", "Food safety", "alerts", (json_int_t)json_array_size(items), "alerts_by_kind", by,
        "samples_today", (json_int_t)v[0], "meals_today", (json_int_t)v[1], "certs_expiring",
        (json_int_t)(json_integer_value(json_object_get(by, "cert_expiring")) +
                     json_integer_value(json_object_get(by, "cert_expired"))));
    json_decref(items);
    json_object_set_new(card, "labels",
                        json_pack("{s:{s:s,s:s},s:{s:s,s:s},s:{s:s,s:s},s:{s:s,s:s}}", "alerts",
                                  "zh", "待处理预警", "en", "Open alerts", "samples_today", "zh",
                                  "今日留样", "en", "Samples today", "meals_today", "zh",
                                  "今日发布菜单", "en", "Menus today", "certs_expiring", "zh",
                                  "健康证明到期", "en", "Certificates expiring"));
    if (rc) {
        json_decref(card);
        return rc;
    }
    json_array_append_new(cards, card);
    return 0;
}

/* ---- the certificates' job ---- */

static int tenant_certs(struct job_ctx *j, int64_t tenant, int *told, struct err *e)
{
    struct arena *a = arena_new(4u << 20);
    struct req r;
    req_init_internal(&r, a, config_current(), j->db);
    r.tenant_id = tenant;
    r.dbc = j->c;
    r.utc_offset_min = tenant_utc_offset(j->c, tenant, r.utc_offset_min);
    int rc = db_begin(j->c, e);
    if (rc) {
        arena_free(a);
        return rc;
    }
    int64_t today = (j->now + (int64_t)r.utc_offset_min * 60) / 86400;
    int64_t days = ct_setting(&r, j->c, "cert_alert_days", CT_CERT_ALERT_DAYS);
    char lim[16];
    date_format(today + days, lim, sizeof(lim));
    struct db_stmt *st;
    enum { BATCH = 500 };
    int64_t ids[BATCH];
    const char *stage[BATCH];
    char *names[BATCH];
    int n = 0;
    if (!(rc = db_prepare(j->c,
                          "SELECT id, expires_on, alert_stage, worker_name FROM "
                          "health_certificates WHERE tenant_id = ? AND expires_on <= ? ORDER BY "
                          "expires_on LIMIT 5000",
                          &st, e))) {
        db_bind_int(st, 1, tenant);
        db_bind_text(st, 2, lim, strlen(lim));
        while ((rc = db_step(st, e)) == DB_ROW && n < BATCH) {
            const char *exp = db_col_text(st, 1, NULL), *was = db_col_text(st, 2, NULL);
            int64_t d = 0;
            date_parse(exp, strlen(exp), &d);
            const char *now = ct_cert_stage(d, today, days);
            if (!strcmp(now, was ? was : ""))
                continue;
            ids[n] = db_col_int(st, 0);
            stage[n] = now;
            names[n] = arena_printf(a, "%s（%s）", db_col_text(st, 3, NULL), exp);
            n++;
        }
        db_reset(st);
        rc = rc < 0 ? rc : 0;
    }
    for (int i = 0; !rc && i < n; i++) {
        int expired = !strcmp(stage[i], "expired");
        char title[300];
        snprintf(title, sizeof(title), "%s：%s", expired ? "健康证明已过期" : "健康证明即将到期",
                 names[i] ? names[i] : "");
        rc = wf_update(&r, j->c, &ct_certificates, ids[i],
                       json_pack("{s:s}", "alert_stage", stage[i]), e);
        if (!rc)
            rc = notify_role(&r, j->c, "canteen_manager",
                             expired ? "canteen.cert.expired" : "canteen.cert.expiring", title,
                             NULL, "health_certificates", ids[i], NULL, e);
        *told += !rc;
    }
    if (rc)
        db_rollback(j->c);
    else
        rc = db_commit(j->c, e);
    arena_free(a);
    return rc;
}

int ct_job_certificates(struct job_ctx *j, struct err *e)
{
    int64_t tenants[MAX_TENANTS];
    int nt = 0, told = 0;
    int rc = tenant_ids(j->c, 0, tenants, MAX_TENANTS, &nt, e);
    for (int i = 0; !rc && i < nt; i++)
        rc = tenant_certs(j, tenants[i], &told, e);
    snprintf(j->message, sizeof(j->message), "%d certificate alert%s", told, told == 1 ? "" : "s");
    return rc;
}
