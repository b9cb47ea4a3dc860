/* SPDX-License-Identifier: MIT
 * space/jobs.c - the daily recovery reminders: an office with a recovery
 * deadline (a leaver's, a mover's, a second office whose concurrent post
 * ended) that is still held is told to the space managers once when the
 * deadline is remind_days away (default 14) and once more when it is reached
 * (room_assignments.recovery_reminded says which was sent; a new deadline
 * starts again).
 */
#include "space.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/config.h"
#include "../../core/http.h"
#include "../../core/jobs.h"
#include "../../core/tenant.h"
#include "../../db/db.h"
#include "../../engine/workflow.h"
#include "../notify/notify.h"
#include "../org/org.h"

#include <stdio.h>
#include <string.h>

#define BATCH 500
#define MAX_TENANTS 1000

struct due {
    int64_t id, person;
    char due[16], room[64], reason[16];
    int stage; /* 1 before, 2 at the deadline */
};

static int load_due(struct req *r, struct db_conn *c, const char *today, const char *ahead,
                    struct due *v, int *n, struct err *e)
{
    struct db_stmt *st;
    *n = 0;
    int rc = db_prepare_ints(
        c,
        "SELECT a.id, a.person_id, a.recovery_due, r.number, a.recovery_reason, "
        "a.recovery_reminded FROM room_assignments a JOIN rooms r ON r.tenant_id = a.tenant_id "
        "AND r.id = a.room_id WHERE a.tenant_id = ? AND a.recovery_due IS NOT NULL AND "
        "a.recovery_due <= ? AND (a.end_date IS NULL OR a.end_date >= ?) AND "
        "(a.recovery_reminded IS NULL OR a.recovery_reminded <> 'due') ORDER BY a.id LIMIT 500",
        DB_INTS(r->tenant_id), &st, e);
    if (rc)
        return rc;
    db_bind_text(st, 2, ahead, strlen(ahead));
    db_bind_text(st, 3, today, strlen(today));
    while ((rc = db_step(st, e)) == DB_ROW && *n < BATCH) {
        const char *due = db_col_text(st, 2, NULL);
        const char *sent = db_col_is_null(st, 5) ? "" : db_col_text(st, 5, NULL);
        int stage = strcmp(due, today) <= 0 ? 2 : 1;
        if (stage == 1 && !strcmp(sent, "before"))
            continue;
        struct due *x = &v[(*n)++];
        x->id = db_col_int(st, 0);
        x->person = db_col_is_null(st, 1) ? 0 : db_col_int(st, 1);
        snprintf(x->due, sizeof(x->due), "%.10s", due);
        snprintf(x->room, sizeof(x->room), "%s", db_col_text(st, 3, NULL));
        snprintf(x->reason, sizeof(x->reason), "%s",
                 db_col_is_null(st, 4) ? "" : db_col_text(st, 4, NULL));
        x->stage = stage;
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static int remind(struct req *r, struct db_conn *c, const struct due *x, int *sent, struct err *e)
{
    const char *name = NULL;
    int rc = org_person(r, c, x->person, &name, NULL, e);
    if (rc)
        return rc;
    char title[200], body[300];
    const char *why = !strcmp(x->reason, "concurrent") ? "兼职结束后的第二办公室"
                      : !strcmp(x->reason, "retired") ? "退休人员的办公室"
                      : !strcmp(x->reason, "moved")   ? "调动人员的办公室"
                                                      : "离职人员的办公室";
    if (x->stage == 2)
        snprintf(title, sizeof(title), "办公室 %s 已到收回期限（%s）", x->room, x->due);
    else
        snprintf(title, sizeof(title), "办公室 %s 应于 %s 前收回", x->room, x->due);
    snprintf(body, sizeof(body), "%s%s%s", why, name ? "：" : "", name ? name : "");
    if ((rc = notify_role(r, c, "space_manager",
                          x->stage == 2 ? "space.recovery_due" : "space.recovery_soon", title, body,
                          "room_assignments", x->id, NULL, e)))
        return rc;
    rc = wf_update(r, c, &sp_assignments, x->id,
                   json_pack("{s:s}", "recovery_reminded", x->stage == 2 ? "due" : "before"), e);
    *sent += !rc;
    return rc;
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
    int days = (int)sp_setting(&r, j->c, "remind_days", SP_REMIND_DAYS);
    date_format(today + days, to, sizeof(to));
    struct due *v = arena_zalloc(a, sizeof(*v) * BATCH);
    int n = 0, rc = v ? db_begin(j->c, e) : err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
    if (!rc) {
        rc = load_due(&r, j->c, from, to, v, &n, e);
        for (int i = 0; !rc && i < n; i++)
            rc = remind(&r, j->c, &v[i], sent, e);
        if (rc)
            db_rollback(j->c);
        else
            rc = db_commit(j->c, e);
    }
    arena_free(a);
    return rc;
}

int sp_job_reminders(struct job_ctx *j, struct err *e)
{
    int64_t tenants[MAX_TENANTS];
    int nt = 0, sent = 0;
    int rc = tenant_ids(j->c, 0, tenants, MAX_TENANTS, &nt, e);
    for (int i = 0; !rc && i < nt; i++)
        rc = tenant_reminders(j, tenants[i], &sent, e);
    snprintf(j->message, sizeof(j->message), "%d recovery reminder%s sent", sent,
             sent == 1 ? "" : "s");
    return rc;
}
