/* SPDX-License-Identifier: MIT
 * servicedesk/workflow.c - the rules of the steps that entities.c declares
 * for requests and their work orders (the workflow kit runs them,
 * engine/workflow.h): assignment to a team and a member, the clocks that
 * stop while the requester is asked and run again when they answer, the
 * requester's confirmation, reopening within 7 days and rating. A work
 * order's step locks its request first, as the request's steps do.
 */
#include "servicedesk.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/record.h"
#include "../../engine/workflow.h"
#include "../org/calendar.h"

#include <stdio.h>
#include <string.h>

/* The request's live work order (open, accepted or on hold); 0 when none. */
static int live_work_order(struct wf *w, int64_t request_id, int64_t *wo)
{
    struct db_stmt *st;
    *wo = 0;
    int rc =
        db_prepare_ints(w->c,
                        "SELECT id FROM work_orders WHERE tenant_id = ? AND request_id = ? AND "
                        "status IN ('open', 'accepted', 'on_hold') ORDER BY id DESC LIMIT 1",
                        DB_INTS(w->r->tenant_id, request_id), &st, &w->r->err);
    if (rc)
        return rc;
    if ((rc = db_step(st, &w->r->err)) == DB_ROW)
        *wo = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static int set_work_order(struct wf *w, int64_t wo, const char *status)
{
    return wo ? wf_update(w->r, w->c, &sd_work_orders, wo, json_pack("{s:s}", "status", status),
                          &w->r->err)
              : 0;
}

/* Puts request rq's paused clocks back in motion from now (into patch). */
static int resume_clocks(struct wf *w, json_t *rq, json_t *patch)
{
    struct calendar cal;
    int rc = cal_load(w->r, w->c, w->r->tenant_id, &cal, &w->r->err);
    if (rc)
        return rc;
    int64_t now = clock_now(), left;
    if (!wf_str(rq, "responded_at") && wf_str(rq, "respond_due_at") &&
        (left = wf_int(rq, "respond_left_s")) > 0)
        json_object_set_new(patch, "respond_due_at",
                            wf_time_json(w->r, cal_add_working(&cal, now, left)));
    if (wf_str(rq, "resolve_due_at") && (left = wf_int(rq, "resolve_left_s")) > 0)
        json_object_set_new(patch, "resolve_due_at",
                            wf_time_json(w->r, cal_add_working(&cal, now, left)));
    json_object_set_new(patch, "hold_since", json_null());
    json_object_set_new(patch, "respond_left_s", json_null());
    json_object_set_new(patch, "resolve_left_s", json_null());
    return 0;
}

static int notify_requester(struct wf *w, json_t *rq, const char *kind, const char *title)
{
    return sd_notify_user(w->r, w->c, wf_int(rq, "requester_id"), wf_int(rq, "id"), kind, title,
                          &w->r->err);
}

/* ---- requests ---- */

int sd_assign_check(struct wf *w)
{
    struct req *r = w->r;
    int64_t team = wf_int(w->body, "team_id"), who = wf_int(w->body, "assignee_id"), wo;
    json_t *t = NULL;
    int rc = wf_load(r, w->c, &sd_teams, team, &t, &r->err);
    if (rc == -ERR_NOT_FOUND) {
        err_clear(&r->err);
        return wf_invalid(w, "team_id", "servicedesk.team.unknown", "is not a service team");
    }
    if (rc)
        return rc;
    if (!json_is_true(json_object_get(t, "active")))
        return wf_invalid(w, "team_id", "servicedesk.team.inactive", "is not active");
    if (who) {
        int64_t *users;
        int n, member = 0;
        if ((rc = sd_team_users(r, w->c, team, &users, &n, &r->err)))
            return rc;
        for (int i = 0; i < n; i++)
            member |= users[i] == who;
        if (!member)
            return wf_invalid(w, "assignee_id", "servicedesk.team.not_member",
                              "is not a member of that team");
    }
    json_object_set_new(w->patch, "team_id", json_integer(team));
    json_object_set_new(w->patch, "assignee_id", who ? json_integer(who) : json_null());
    if (wf_is(w->state, "waiting") && (rc = resume_clocks(w, w->rec, w->patch)))
        return rc;
    if ((rc = live_work_order(w, w->id, &wo)) || (rc = set_work_order(w, wo, "cancelled")))
        return rc;
    return sd_open_work_order(r, w->c, w->id, team, who, &r->err);
}

int sd_assign_then(struct wf *w)
{
    int64_t who = wf_int(w->patch, "assignee_id");
    return who ? sd_notify_user(w->r, w->c, who, w->id, "assigned", "您有新的服务工单", &w->r->err)
               : sd_notify_team(w->r, w->c, wf_int(w->patch, "team_id"), w->id, "assigned",
                                "新的服务请求待接单", &w->r->err);
}

int sd_cancel_check(struct wf *w)
{
    int64_t wo;
    int rc = live_work_order(w, w->id, &wo);
    return rc ? rc : set_work_order(w, wo, "cancelled");
}

int sd_cancel_then(struct wf *w)
{
    int64_t team = wf_int(w->rec, "team_id");
    return team ? sd_notify_team(w->r, w->c, team, w->id, "cancelled", "服务请求已撤销", &w->r->err)
                : 0;
}

static int requester(struct wf *w)
{
    return w->r->who && wf_int(w->rec, "requester_id") == w->r->user_id;
}

/* comment: the requester's answer to a request waiting for them sets its
 * clocks running again */
int sd_comment_check(struct wf *w)
{
    int64_t wo = 0;
    int rc = sd_event(w->r, w->c, w->id, 0, "commented", NULL, NULL, w->text, &w->r->err);
    if (rc || !requester(w) || !wf_is(w->state, "waiting"))
        return rc;
    json_object_set_new(w->patch, "status", json_string("in_progress"));
    if ((rc = resume_clocks(w, w->rec, w->patch)) || (rc = live_work_order(w, w->id, &wo)))
        return rc;
    w->count = wo;
    return set_work_order(w, wo, "accepted");
}

int sd_comment_then(struct wf *w)
{
    int rc = 0;
    if (wf_is(wf_str(w->patch, "status"), "in_progress"))
        rc = sd_event(w->r, w->c, w->id, w->count, "resumed", "waiting", "in_progress", NULL,
                      &w->r->err);
    int64_t to = requester(w) ? wf_int(w->rec, "assignee_id") : wf_int(w->rec, "requester_id");
    if (!rc && to)
        rc = sd_notify_user(w->r, w->c, to, w->id, "commented", "服务请求有新留言", &w->r->err);
    else if (!rc && requester(w) && wf_int(w->rec, "team_id"))
        rc = sd_notify_team(w->r, w->c, wf_int(w->rec, "team_id"), w->id, "commented",
                            "服务请求有新留言", &w->r->err);
    return rc;
}

int sd_reopen_check(struct wf *w)
{
    struct req *r = w->r;
    int64_t now = clock_now(), respond, resolve;
    if (now > wf_time(w->rec, "resolved_at") + SD_CONFIRM_DAYS * 86400)
        return wf_conflict(w, "servicedesk.reopen.too_late",
                           "a request can be reopened only within {days}%d days of its "
                           "resolution",
                           SD_CONFIRM_DAYS);
    json_object_set_new(w->patch, "reopen_count", json_integer(wf_int(w->rec, "reopen_count") + 1));
    json_object_set_new(w->patch, "resolved_at", json_null());
    int rc = sd_due_times(r, w->c, wf_int(w->rec, "type_id"), wf_str(w->rec, "urgency"), now,
                          &respond, &resolve, &r->err);
    if (!rc && resolve)
        json_object_set_new(w->patch, "resolve_due_at", wf_time_json(r, resolve));
    return rc ? rc
              : sd_open_work_order(r, w->c, w->id, wf_int(w->rec, "team_id"),
                                   wf_int(w->rec, "assignee_id"), &r->err);
}

int sd_reopen_then(struct wf *w)
{
    int64_t who = wf_int(w->rec, "assignee_id");
    return who ? sd_notify_user(w->r, w->c, who, w->id, "reopened", "服务请求被重新打开",
                                &w->r->err)
               : sd_notify_team(w->r, w->c, wf_int(w->rec, "team_id"), w->id, "reopened",
                                "服务请求被重新打开", &w->r->err);
}

/* rate: once; rating a resolved request confirms it */
int sd_rate_check(struct wf *w)
{
    struct req *r = w->r;
    int64_t now = clock_now(), score = wf_int(w->body, "score");
    const char *comment = wf_str(w->body, "comment");
    if (json_is_integer(json_object_get(w->rec, "score")))
        return wf_conflict(w, "servicedesk.rate.twice", "this request was already rated");
    if (wf_is(w->state, "closed") && wf_is(wf_str(w->rec, "close_reason"), "cancelled"))
        return wf_conflict(w, "servicedesk.rate.cancelled", "a cancelled request cannot be rated");
    json_object_set_new(w->patch, "score", json_integer(score));
    json_object_set_new(w->patch, "rating_comment",
                        comment && *comment ? json_string(comment) : json_null());
    json_object_set_new(w->patch, "rated_at", wf_time_json(r, now));
    if (wf_is(w->state, "resolved")) {
        json_object_set_new(w->patch, "status", json_string("closed"));
        json_object_set_new(w->patch, "close_reason", json_string("confirmed"));
        json_object_set_new(w->patch, "closed_at", wf_time_json(r, now));
    }
    char note[600];
    snprintf(note, sizeof(note), "%lld 分%s%s", (long long)score, comment && *comment ? "：" : "",
             comment && *comment ? comment : "");
    return sd_event(r, w->c, w->id, 0, "rated", w->state, "closed", note, &r->err);
}

/* ---- work orders ---- */

/* Locks the work order's request first and keeps it in w->other. */
int sd_work_order_lock(struct wf *w)
{
    struct db_stmt *st;
    int64_t rq = 0;
    int rc =
        db_prepare_ints(w->c, "SELECT request_id FROM work_orders WHERE tenant_id = ? AND id = ?",
                        DB_INTS(w->r->tenant_id, w->id), &st, &w->r->err);
    if (rc)
        return rc;
    if ((rc = db_step(st, &w->r->err)) == DB_ROW)
        rq = db_col_int(st, 0);
    db_reset(st);
    if (rc < 0 || !rq) /* no such work order: the kit says 404 */
        return rc < 0 ? rc : 0;
    if ((rc = rec_lock(w->r, w->c, &sd_requests, rq, &w->r->err)) < 0)
        return rc;
    return wf_load(w->r, w->c, &sd_requests, rq, &w->other, &w->r->err);
}

static int update_request(struct wf *w, json_t *patch)
{
    return wf_update(w->r, w->c, &sd_requests, wf_int(w->rec, "request_id"), patch, &w->r->err);
}

int sd_accept_check(struct wf *w)
{
    struct req *r = w->r;
    int64_t now = clock_now(), who = wf_int(w->rec, "assignee_id");
    if (!who && r->who)
        who = r->user_id;
    json_object_set_new(w->patch, "assignee_id", who ? json_integer(who) : json_null());
    json_t *rp = json_pack("{s:s}", "status", "in_progress");
    if (!rp)
        return -ERR_INTERNAL;
    json_object_set_new(rp, "assignee_id", who ? json_integer(who) : json_null());
    if (!wf_str(w->other, "responded_at"))
        json_object_set_new(rp, "responded_at", wf_time_json(r, now));
    return update_request(w, rp);
}

int sd_accept_then(struct wf *w)
{
    return notify_requester(w, w->other, "accepted", "您的服务请求已受理");
}

/* hold: the clocks stop; each keeps the working time it had left */
int sd_hold_check(struct wf *w)
{
    struct calendar cal;
    if (!wf_is(wf_str(w->other, "status"), "in_progress"))
        return wf_conflict(w, "servicedesk.hold.not_in_progress",
                           "only work in progress can wait for the requester (the request is "
                           "{status}%s)",
                           wf_str(w->other, "status"));
    int rc = cal_load(w->r, w->c, w->r->tenant_id, &cal, &w->r->err);
    if (rc)
        return rc;
    int64_t now = clock_now(), due = wf_time(w->other, "resolve_due_at");
    json_t *rp = json_pack("{s:s}", "status", "waiting");
    if (!rp)
        return -ERR_INTERNAL;
    json_object_set_new(rp, "hold_since", wf_time_json(w->r, now));
    json_object_set_new(rp, "resolve_left_s",
                        due ? json_integer(cal_working_seconds(&cal, now, due)) : json_null());
    return update_request(w, rp);
}

int sd_hold_then(struct wf *w)
{
    return notify_requester(w, w->other, "held", "服务请求需要您补充信息");
}

int sd_resume_check(struct wf *w)
{
    json_t *rp = json_pack("{s:s}", "status", "in_progress");
    int rc = rp ? resume_clocks(w, w->other, rp) : -ERR_INTERNAL;
    if (rc) {
        json_decref(rp);
        return rc;
    }
    return update_request(w, rp);
}

int sd_complete_check(struct wf *w)
{
    static const char *const copied[] = {"notes", "parts", "cost_fen"};
    for (size_t i = 0; i < sizeof(copied) / sizeof(copied[0]); i++)
        json_object_set(w->patch, copied[i],
                        wf_has(w->body, copied[i]) ? json_object_get(w->body, copied[i])
                                                   : json_null());
    json_t *rp = json_pack("{s:s}", "status", "resolved");
    if (!rp)
        return -ERR_INTERNAL;
    json_object_set_new(rp, "resolved_at", wf_time_json(w->r, clock_now()));
    return update_request(w, rp);
}

int sd_complete_then(struct wf *w)
{
    return notify_requester(w, w->other, "completed", "服务请求已办结，请确认并评价");
}
