/* SPDX-License-Identifier: MIT
 * fleet/jobs.c - the daily reminders: a vehicle's insurance or annual
 * inspection, or a driver's licence, that expires within 30 days is told to
 * the fleet managers once per item and expiry date (the reminders sent are
 * kept in fleet_reminders, so a renewed date gets its own reminder and an
 * unchanged one never a second).
 */
#include "fleet.h"
#include "../../base/arena.h"
#include "../../core/config.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../core/jobs.h"
#include "../../core/tenant.h"
#include "../../db/db.h"
#include "../../engine/record.h"
#include "../notify/notify.h"

#include <stdio.h>
#include <string.h>

#define BATCH 500
#define MAX_TENANTS 1000

struct item {
    const char *kind; /* insurance, inspection, licence */
    int64_t id;       /* vehicle or driver */
    char due[16];
    char name[160];
};

static int already(struct db_conn *c, int64_t tenant, const struct item *it, struct err *e)
{
    struct db_stmt *st;
    int drv = !strcmp(it->kind, "licence");
    int rc = db_prepare(c,
                        drv ? "SELECT 1 FROM fleet_reminders WHERE tenant_id = ? AND kind = ? AND "
                              "driver_id = ? AND due_on = ?"
                            : "SELECT 1 FROM fleet_reminders WHERE tenant_id = ? AND kind = ? AND "
                              "vehicle_id = ? AND due_on = ?",
                        &st, e);
    if (rc)
        return rc;
    db_bind_int(st, 1, tenant);
    db_bind_text(st, 2, it->kind, strlen(it->kind));
    db_bind_int(st, 3, it->id);
    db_bind_text(st, 4, it->due, strlen(it->due));
    rc = db_step(st, e);
    db_reset(st);
    return rc < 0 ? rc : rc == DB_ROW;
}

static int remind(struct req *r, struct db_conn *c, const struct item *it, int *sent, struct err *e)
{
    int rc = already(c, r->tenant_id, it, e), n = 0;
    if (rc)
        return rc < 0 ? rc : 0;
    int drv = !strcmp(it->kind, "licence");
    char title[300];
    snprintf(title, sizeof(title), "%s%s将于 %s 到期", it->name,
             drv                              ? " 的驾驶证"
             : !strcmp(it->kind, "insurance") ? " 的车辆保险"
                                              : " 的年检",
             it->due);
    if ((rc = notify_role(r, c, "fleet_manager", "fleet.expiry", title, NULL,
                          drv ? "drivers" : "vehicles", it->id, &n, e)))
        return rc;
    int64_t id;
    json_t *rec = json_pack("{s:s,s:I,s:s,s:i}", "kind", it->kind, drv ? "driver_id" : "vehicle_id",
                            (json_int_t)it->id, "due_on", it->due, "notified", n);
    rc = rec ? rec_create_trusted(r, c, &fl_reminders, rec, &id, e) : -ERR_INTERNAL;
    json_decref(rec);
    *sent += !rc;
    return rc;
}

/* The items of one tenant due within the window; *n of them in it[]. */
static int due_items(struct db_conn *c, int64_t tenant, const char *from, const char *to,
                     struct item *it, int *n, struct err *e)
{
    struct db_stmt *st;
    *n = 0;
    int rc =
        db_prepare_ints(c,
                        "SELECT id, plate, insurance_until, inspection_until FROM vehicles WHERE "
                        "tenant_id = ? AND status <> 'scrapped' AND ((insurance_until >= ? AND "
                        "insurance_until <= ?) OR (inspection_until >= ? AND inspection_until "
                        "<= ?)) ORDER BY id LIMIT 500",
                        DB_INTS(tenant), &st, e);
    if (rc)
        return rc;
    for (int k = 0; k < 2; k++) {
        db_bind_text(st, 2 + 2 * k, from, strlen(from));
        db_bind_text(st, 3 + 2 * k, to, strlen(to));
    }
    while ((rc = db_step(st, e)) == DB_ROW) {
        for (int k = 0; k < 2 && *n < BATCH * 2; k++) {
            if (db_col_is_null(st, 2 + k))
                continue;
            const char *d = db_col_text(st, 2 + k, NULL);
            if (strcmp(d, from) < 0 || strcmp(d, to) > 0)
                continue;
            struct item *x = &it[(*n)++];
            x->kind = k ? "inspection" : "insurance";
            x->id = db_col_int(st, 0);
            snprintf(x->due, sizeof(x->due), "%.10s", d);
            snprintf(x->name, sizeof(x->name), "%s", db_col_text(st, 1, NULL));
        }
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    if ((rc =
             db_prepare_ints(c,
                             "SELECT id, name, licence_until FROM drivers WHERE tenant_id = ? AND "
                             "active = 1 AND licence_until >= ? AND licence_until <= ? ORDER BY id "
                             "LIMIT 500",
                             DB_INTS(tenant), &st, e)))
        return rc;
    db_bind_text(st, 2, from, strlen(from));
    db_bind_text(st, 3, to, strlen(to));
    while ((rc = db_step(st, e)) == DB_ROW && *n < BATCH * 3) {
        struct item *x = &it[(*n)++];
        x->kind = "licence";
        x->id = db_col_int(st, 0);
        snprintf(x->due, sizeof(x->due), "%.10s", db_col_text(st, 2, NULL));
        snprintf(x->name, sizeof(x->name), "驾驶员 %s", db_col_text(st, 1, NULL));
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static int tenant_reminders(struct job_ctx *j, int64_t tenant, int *sent, struct err *e)
{
    struct arena *a = arena_new(8u << 20);
    struct req r;
    req_init_internal(&r, a, config_current(), j->db);
    r.tenant_id = tenant;
    r.dbc = j->c;
    r.utc_offset_min = tenant_utc_offset(j->c, tenant, r.utc_offset_min);
    int64_t today = (j->now + (int64_t)r.utc_offset_min * 60) / 86400;
    char from[16], to[16];
    date_format(today, from, sizeof(from));
    date_format(today + FL_REMIND_DAYS, to, sizeof(to));
    struct item *it = arena_zalloc(a, sizeof(struct item) * BATCH * 3);
    int n = 0, rc = it ? db_begin(j->c, e) : err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
    if (!rc) {
        rc = due_items(j->c, tenant, from, to, it, &n, e);
        for (int i = 0; !rc && i < n; i++)
            rc = remind(&r, j->c, &it[i], sent, e);
        if (rc)
            db_rollback(j->c);
        else
            rc = db_commit(j->c, e);
    }
    arena_free(a);
    return rc;
}

int fl_job_reminders(struct job_ctx *j, struct err *e)
{
    int64_t tenants[MAX_TENANTS];
    int nt = 0, sent = 0;
    int rc = tenant_ids(j->c, 0, tenants, MAX_TENANTS, &nt, e);
    if (rc)
        return rc;
    for (int i = 0; i < nt && !rc; i++)
        rc = tenant_reminders(j, tenants[i], &sent, e);
    snprintf(j->message, sizeof(j->message), "%d expiry reminder%s sent", sent,
             sent == 1 ? "" : "s");
    return rc;
}
