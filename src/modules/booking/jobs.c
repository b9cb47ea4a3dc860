/* SPDX-License-Identifier: MIT
 * booking/jobs.c - the no-show job: a confirmed booking nobody checked in
 * to within the tenant's grace period after its start (booking_settings
 * no_show_min, 15 minutes unless set) becomes a no-show, written and
 * audited one by one as the server's, and counts against its booker's
 * quota.
 */
#include "booking.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/config.h"
#include "../../core/http.h"
#include "../../core/jobs.h"
#include "../../core/tenant.h"
#include "../../db/db.h"
#include "../../engine/workflow.h"

#include <stdio.h>

#define MAX_TENANTS 1000
#define BATCH 500         /* bookings marked a run and tenant; the next run takes the rest */
#define LOOK_BACK_DAYS 30 /* older confirmed bookings are left to the service centre */

static int tenant_no_shows(struct job_ctx *j, int64_t tenant, int *marked, struct err *e)
{
    struct arena *a = arena_new(8u << 20);
    struct req r;
    req_init_internal(&r, a, config_current(), j->db);
    r.tenant_id = tenant;
    r.dbc = j->c;
    r.utc_offset_min = tenant_utc_offset(j->c, tenant, r.utc_offset_min);
    int64_t ids[BATCH];
    int n = 0;
    int rc = db_begin(j->c, e);
    if (rc)
        goto out;
    int64_t grace = bk_setting(&r, j->c, "no_show_min", BK_NO_SHOW_MIN);
    struct db_stmt *st;
    rc = db_prepare_ints(j->c,
                         "SELECT id FROM bookings WHERE tenant_id = ? AND status = 'confirmed' "
                         "AND start_at >= ? AND start_at < ? ORDER BY start_at LIMIT 500",
                         DB_INTS(tenant, j->now - LOOK_BACK_DAYS * 86400, j->now - grace * 60), &st,
                         e);
    if (!rc) {
        while ((rc = db_step(st, e)) == DB_ROW && n < BATCH)
            ids[n++] = db_col_int(st, 0);
        db_reset(st);
        rc = rc < 0 ? rc : 0;
    }
    for (int i = 0; !rc && i < n; i++) {
        rc = wf_update(
            &r, j->c, &bk_bookings, ids[i],
            json_pack("{s:s,s:o}", "status", "no_show", "no_show_at", wf_time_json(&r, j->now)), e);
        *marked += !rc;
    }
    if (rc)
        db_rollback(j->c);
    else
        rc = db_commit(j->c, e);
out:
    arena_free(a);
    return rc;
}

int bk_job_no_shows(struct job_ctx *j, struct err *e)
{
    int64_t tenants[MAX_TENANTS];
    int nt = 0, marked = 0;
    int rc = tenant_ids(j->c, 0, tenants, MAX_TENANTS, &nt, e);
    for (int i = 0; !rc && i < nt; i++)
        rc = tenant_no_shows(j, tenants[i], &marked, e);
    snprintf(j->message, sizeof(j->message), "%d no-show%s recorded", marked,
             marked == 1 ? "" : "s");
    return rc;
}
