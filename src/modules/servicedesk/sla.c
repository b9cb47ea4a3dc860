/* SPDX-License-Identifier: MIT
 * servicedesk/sla.c - SLA targets, and the two jobs that watch the clocks:
 * a breach is flagged once per clock and escalated once per request to the
 * head of the team that holds it; a resolved request the requester neither
 * confirms nor reopens within 7 days closes itself. When days of the working
 * calendar change, the open requests' clocks are counted again.
 */
#include "servicedesk.h"
#include "../../base/arena.h"
#include "../../core/config.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../core/jobs.h"
#include "../../core/tenant.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../engine/record.h"
#include "../../engine/workflow.h"
#include "../org/calendar.h"

#include <stdio.h>
#include <string.h>

#define BATCH 500

int sd_targets_for(struct req *r, struct db_conn *c, int64_t type_id, const char *urgency,
                   int64_t *respond_s, int64_t *resolve_s, struct err *e)
{
    struct db_stmt *st;
    *respond_s = *resolve_s = 0;
    int rc = db_prepare_ints(c,
                             "SELECT respond_minutes, resolve_minutes FROM sla_targets WHERE "
                             "tenant_id = ? AND type_id = ? AND urgency = ?",
                             DB_INTS(r->tenant_id, type_id), &st, e);
    if (rc)
        return rc;
    db_bind_text(st, 3, urgency, strlen(urgency));
    rc = db_step(st, e);
    if (rc == DB_ROW) {
        *respond_s = db_col_int(st, 0) * 60;
        *resolve_s = db_col_int(st, 1) * 60;
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int sd_due_times(struct req *r, struct db_conn *c, int64_t type_id, const char *urgency,
                 int64_t from, int64_t *respond, int64_t *resolve, struct err *e)
{
    int64_t rs = 0, vs = 0;
    struct calendar cal;
    *respond = *resolve = 0;
    int rc = sd_targets_for(r, c, type_id, urgency, &rs, &vs, e);
    if (rc || (!rs && !vs))
        return rc;
    if ((rc = cal_load(r, c, r->tenant_id, &cal, e)))
        return rc;
    if (rs)
        *respond = cal_add_working(&cal, from, rs);
    if (vs)
        *resolve = cal_add_working(&cal, from, vs);
    if (*respond == CAL_NEVER)
        *respond = 0;
    if (*resolve == CAL_NEVER)
        *resolve = 0;
    return 0;
}

/* Ids and tenants of up to BATCH rows that sql (binding `at` `binds` times) selects. */
static int pick(struct job_ctx *j, const char *sql, int binds, int64_t at, int64_t *ids,
                int64_t *tenants, int *n, struct err *e)
{
    struct db_stmt *st;
    *n = 0;
    int rc = db_prepare(j->c, sql, &st, e);
    if (rc)
        return rc;
    for (int k = 1; k <= binds; k++)
        db_bind_int(st, k, at);
    while ((rc = db_step(st, e)) == DB_ROW && *n < BATCH) {
        ids[*n] = db_col_int(st, 0);
        tenants[*n] = db_col_int(st, 1);
        (*n)++;
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static int head_of(struct db_conn *c, int64_t tenant, int64_t team, int64_t *head, struct err *e)
{
    struct db_stmt *st;
    *head = 0;
    int rc =
        db_prepare_ints(c, "SELECT head_user_id FROM service_teams WHERE tenant_id = ? AND id = ?",
                        DB_INTS(tenant, team), &st, e);
    if (rc)
        return rc;
    rc = db_step(st, e);
    if (rc == DB_ROW && !db_col_is_null(st, 0))
        *head = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* One request's step of a job, as the server of its tenant: *n counts the
 * requests it changed. */
typedef int (*step_fn)(struct job_ctx *j, struct req *r, int64_t id, json_t *rq, int *n,
                       struct err *e);

/* Runs step on request id in a transaction of its own. */
static int on_request(struct job_ctx *j, int64_t id, int64_t tenant, step_fn step, int *n,
                      struct err *e)
{
    struct arena *a = arena_new(4u << 20);
    struct req r;
    json_t *rq = NULL;
    req_init_internal(&r, a, config_current(), j->db);
    r.tenant_id = tenant;
    r.dbc = j->c;
    r.utc_offset_min = tenant_utc_offset(j->c, tenant, r.utc_offset_min);
    int rc = db_begin(j->c, e);
    if (!rc && !(rc = rec_load(&r, j->c, &sd_requests, id, &rq, e)))
        rc = step(j, &r, id, rq, n, e);
    json_decref(rq);
    if (rc)
        db_rollback(j->c);
    else
        rc = db_commit(j->c, e);
    arena_free(a);
    if (rc == -ERR_NOT_FOUND) { /* gone meanwhile */
        err_clear(e);
        rc = 0;
    }
    return rc;
}

static int server_patch(struct req *r, struct db_conn *c, int64_t id, json_t *patch,
                        struct err *e)
{
    return wf_update(r, c, &sd_requests, id, patch, e);
}

static int breach(struct job_ctx *j, struct req *r, int64_t id, json_t *rq, int *n,
                  struct err *e)
{
    const char *status = json_string_value(json_object_get(rq, "status"));
    if (!status || (strcmp(status, "submitted") && strcmp(status, "assigned") &&
                    strcmp(status, "in_progress")))
        return 0;
    int64_t rd = wf_time(rq, "respond_due_at"), vd = wf_time(rq, "resolve_due_at");
    int respond = rd && rd < j->now && json_is_null(json_object_get(rq, "responded_at")) &&
                  !json_is_true(json_object_get(rq, "respond_breached"));
    int resolve = vd && vd < j->now && json_is_null(json_object_get(rq, "resolved_at")) &&
                  !json_is_true(json_object_get(rq, "resolve_breached"));
    if (!respond && !resolve)
        return 0;
    int64_t team = json_integer_value(json_object_get(rq, "team_id")), head = 0;
    int rc = 0;
    if (team && json_is_null(json_object_get(rq, "escalated_at")))
        rc = head_of(j->c, r->tenant_id, team, &head, e);
    json_t *patch = json_object();
    if (respond)
        json_object_set_new(patch, "respond_breached", json_true());
    if (resolve)
        json_object_set_new(patch, "resolve_breached", json_true());
    if (head) { /* escalated once per request, to someone */
        char b[40];
        time_format_rfc3339(j->now, r->utc_offset_min, b, sizeof(b));
        json_object_set_new(patch, "escalated_at", json_string(b));
    }
    if (rc || (rc = server_patch(r, j->c, id, patch, e)))
        return rc;
    if (respond && (rc = sd_event(r, j->c, id, 0, "respond_breached", NULL, NULL, "超过响应时限", e)))
        return rc;
    if (resolve && (rc = sd_event(r, j->c, id, 0, "resolve_breached", NULL, NULL, "超过办结时限", e)))
        return rc;
    if (head && ((rc = sd_event(r, j->c, id, 0, "escalated", NULL, NULL, "已提醒班组负责人督办", e)) ||
                 (rc = sd_notify_user(r, j->c, head, id, "escalated", "服务请求超时，请督办", e))))
        return rc;
    (*n)++;
    return 0;
}

static int autoclose(struct job_ctx *j, struct req *r, int64_t id, json_t *rq, int *n,
                     struct err *e)
{
    char b[40];
    const char *status = json_string_value(json_object_get(rq, "status"));
    if (!status || strcmp(status, "resolved"))
        return 0; /* confirmed, reopened or rated meanwhile */
    json_t *patch = json_pack("{s:s,s:s}", "status", "closed", "close_reason", "auto");
    time_format_rfc3339(j->now, r->utc_offset_min, b, sizeof(b));
    json_object_set_new(patch, "closed_at", json_string(b));
    int rc = server_patch(r, j->c, id, patch, e);
    if (!rc)
        rc = sd_event(r, j->c, id, 0, "closed", "resolved", "closed",
                      "申请人 7 日内未确认，自动关闭", e);
    *n += !rc;
    return rc;
}

int sd_job_sla(struct job_ctx *j, struct err *e)
{
    int64_t ids[BATCH], tenants[BATCH];
    int n, flagged = 0;
    int rc = pick(j,
                  "SELECT id, tenant_id FROM service_requests WHERE status IN ('submitted', "
                  "'assigned', 'in_progress') AND ((responded_at IS NULL AND respond_breached = 0 "
                  "AND respond_due_at < ?) OR (resolved_at IS NULL AND resolve_breached = 0 AND "
                  "resolve_due_at < ?)) ORDER BY id LIMIT 500",
                  2, j->now, ids, tenants, &n, e);
    for (int i = 0; !rc && i < n; i++)
        rc = on_request(j, ids[i], tenants[i], breach, &flagged, e);
    snprintf(j->message, sizeof(j->message), "%d request%s past an SLA clock", flagged,
             flagged == 1 ? "" : "s");
    return rc;
}

int sd_job_autoclose(struct job_ctx *j, struct err *e)
{
    int64_t ids[BATCH], tenants[BATCH];
    int n, closed = 0;
    int rc = pick(j,
                  "SELECT id, tenant_id FROM service_requests WHERE status = 'resolved' AND "
                  "resolved_at < ? ORDER BY id LIMIT 500",
                  1, j->now - (int64_t)SD_CONFIRM_DAYS * 86400, ids, tenants, &n, e);
    for (int i = 0; !rc && i < n; i++)
        rc = on_request(j, ids[i], tenants[i], autoclose, &closed, e);
    snprintf(j->message, sizeof(j->message), "%d unconfirmed request%s closed", closed,
             closed == 1 ? "" : "s");
    return rc;
}

/* ---- the calendar changed: the open requests' clocks counted again ---- */

/* When request id's resolution clock last started running: its filing, or
 * the last time it was reopened or resumed after waiting for the requester
 * (the timeline says when). */
static int64_t resolve_clock_start(struct req *r, struct db_conn *c, int64_t id, int64_t filed,
                                   struct err *e, int *rc)
{
    int64_t at = 0;
    *rc = db_one_int(c,
                     "SELECT COALESCE(MAX(created_at), 0) FROM service_events WHERE tenant_id = ? "
                     "AND request_id = ? AND (kind IN ('reopened', 'resumed') OR (kind = "
                     "'assigned' AND from_status = 'waiting'))",
                     DB_INTS(r->tenant_id, id), &at, e);
    if (*rc > 0)
        *rc = 0;
    return at > filed ? at : filed;
}

/* One clock: its due time counted again from start; the patch gets the new
 * due (and a breach flag cleared when the new due lies ahead). Returns 1
 * when it moved. */
static int move_clock(struct req *r, const struct cal_change *ch, json_t *rq, json_t *patch,
                      const char *due_k, const char *flag_k, int64_t start, int64_t now,
                      char *note, size_t n, const char *what)
{
    int64_t due = wf_time(rq, due_k);
    if (!due)
        return 0;
    int64_t nd = cal_rebase(ch->before, ch->after, start, due);
    if (nd == due || nd == CAL_NEVER)
        return 0;
    json_object_set_new(patch, due_k, wf_time_json(r, nd));
    if (nd > now && json_is_true(json_object_get(rq, flag_k)))
        json_object_set_new(patch, flag_k, json_false());
    char b[40];
    time_format_rfc3339(nd, r->utc_offset_min, b, sizeof(b));
    size_t used = strlen(note);
    snprintf(note + used, n - used, "%s%s改为 %.10s %.5s", used ? "，" : "", what, b, b + 11);
    return 1;
}

static int recount_request(struct req *r, struct db_conn *c, const struct cal_change *ch,
                           int64_t id, int64_t *moved, struct err *e)
{
    json_t *rq = NULL;
    int rc = wf_load(r, c, &sd_requests, id, &rq, e);
    if (rc == -ERR_NOT_FOUND) {
        err_clear(e);
        return 0;
    }
    if (rc)
        return rc;
    const char *status = wf_str(rq, "status");
    int64_t filed = wf_time(rq, "created_at"), now = clock_now();
    json_t *patch = json_object();
    char note[300] = "";
    int changed = 0;
    if (wf_is(status, "waiting")) {
        /* paused: the working time left, less or more what the days
         * between the clock's start and the pause now hold */
        int64_t hold = wf_time(rq, "hold_since");
        json_t *left = json_object_get(rq, "resolve_left_s");
        int64_t start = resolve_clock_start(r, c, id, filed, e, &rc);
        if (!rc && hold > start && json_is_integer(left)) {
            int64_t was = json_integer_value(left);
            int64_t now_left = was + cal_working_seconds(ch->before, start, hold) -
                               cal_working_seconds(ch->after, start, hold);
            if (now_left < 0)
                now_left = 0;
            if (now_left != was) {
                json_object_set_new(patch, "resolve_left_s", json_integer(now_left));
                snprintf(note, sizeof(note), "剩余办结时间改为 %lld 分钟",
                         (long long)(now_left / 60));
                changed = 1;
            }
        }
    } else {
        if (!wf_str(rq, "responded_at"))
            changed |= move_clock(r, ch, rq, patch, "respond_due_at", "respond_breached", filed,
                                  now, note, sizeof(note), "响应时限");
        if (!wf_str(rq, "resolved_at")) {
            int64_t start = resolve_clock_start(r, c, id, filed, e, &rc);
            if (!rc)
                changed |= move_clock(r, ch, rq, patch, "resolve_due_at", "resolve_breached",
                                      start, now, note, sizeof(note), "办结时限");
        }
    }
    if (rc || !changed) {
        json_decref(patch);
        return rc;
    }
    char d0[16], d1[16], why[400];
    date_format(ch->from_day, d0, sizeof(d0));
    date_format(ch->to_day, d1, sizeof(d1));
    if (ch->from_day == ch->to_day)
        snprintf(why, sizeof(why), "工作日历调整（%s）：%s", d0, note);
    else
        snprintf(why, sizeof(why), "工作日历调整（%s 至 %s）：%s", d0, d1, note);
    if ((rc = wf_update(r, c, &sd_requests, id, patch, e)) ||
        (rc = sd_server_event(r, c, id, "rescheduled", NULL, NULL, why, e)))
        return rc;
    (*moved)++;
    return 0;
}

/* cal_change_fn: every open request whose clock runs over the changed days
 * gets its due time counted again (each write audited, with a timeline
 * event); closed, cancelled and resolved requests keep theirs. */
static int sd_calendar_changed(struct req *r, struct db_conn *c, const struct cal_change *ch,
                               int64_t *moved, struct err *e)
{
    struct db_stmt *st;
    /* a clock that ended before the first changed day cannot move */
    int64_t from = ch->from_day * 86400 - (int64_t)ch->after->utc_offset_min * 60;
    int64_t cap = 64, n = 0, *ids = arena_alloc(r->a, sizeof(*ids) * (size_t)cap);
    if (!ids)
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    int rc = db_prepare_ints(c,
                             "SELECT id FROM service_requests WHERE tenant_id = ? AND status IN "
                             "('submitted', 'assigned', 'in_progress', 'waiting') AND "
                             "(respond_due_at > ? OR resolve_due_at > ? OR hold_since > ?) "
                             "ORDER BY id",
                             DB_INTS(r->tenant_id, from, from, from), &st, e);
    if (rc)
        return rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        if (n == cap) {
            int64_t *more = arena_alloc(r->a, sizeof(*ids) * (size_t)cap * 2);
            if (!more) {
                db_reset(st);
                return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
            }
            memcpy(more, ids, sizeof(*ids) * (size_t)n);
            ids = more;
            cap *= 2;
        }
        ids[n++] = db_col_int(st, 0);
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    for (int64_t i = 0; i < n; i++)
        if ((rc = recount_request(r, c, ch, ids[i], moved, e)))
            return rc;
    return 0;
}

void sd_init(void)
{
    cal_on_change(sd_calendar_changed);
}
