/* SPDX-License-Identifier: MIT
 * servicedesk/workflow.c - filing a request (routing, SLA clocks, photos),
 * and every transition, each a named action that refuses to run out of
 * order (409) and changes nothing when refused. Every step writes a
 * timeline event and tells the people concerned.
 */
#include "servicedesk.h"
#include "../../base/arena.h"
#include "../../core/auth.h"
#include "../../base/buf.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../engine/action.h"
#include "../../engine/record.h"
#include "../../engine/rest.h"
#include "../../engine/timeline.h"
#include "../files/files.h"
#include "../notify/notify.h"
#include "../org/calendar.h"

#include <stdio.h>
#include <string.h>

_Thread_local int sd_server_write;

/* ---- small helpers ---- */

static int is(const char *a, const char *b)
{
    return a && !strcmp(a, b);
}

static int conflict(struct req *r, const char *fmt, const char *arg)
{
    return err_set(&r->err, ERR_CONFLICT, NULL, fmt, arg);
}

static int invalid(struct req *r, const char *field, const char *msg)
{
    err_field(&r->err, field, "%s", msg);
    return err_set(&r->err, ERR_INVALID, NULL, "1 field is invalid");
}

/* ---- shared pieces ---- */

/* A timeline event by the caller (by_caller) or by the server itself. */
static int event_by(struct req *r, struct db_conn *c, int by_caller, int64_t request_id,
                    int64_t work_order_id, const char *kind, const char *from, const char *to,
                    const char *note, struct err *e)
{
    int64_t id;
    json_t *ev = json_pack("{s:I,s:s}", "request_id", (json_int_t)request_id, "kind", kind);
    if (!ev)
        return -ERR_INTERNAL;
    if (work_order_id)
        json_object_set_new(ev, "work_order_id", json_integer(work_order_id));
    if (r->who && by_caller)
        json_object_set_new(ev, "actor_id", json_integer(r->user_id));
    if (from && strcmp(from, to ? to : ""))
        json_object_set_new(ev, "from_status", json_string(from));
    if (to)
        json_object_set_new(ev, "to_status", json_string(to));
    if (note)
        json_object_set_new(ev, "note", json_string(note));
    return act_create(r, c, &sd_events, ev, &id, &sd_server_write, e);
}

int sd_event(struct req *r, struct db_conn *c, int64_t request_id, int64_t work_order_id,
             const char *kind, const char *from, const char *to, const char *note,
             struct err *e)
{
    return event_by(r, c, 1, request_id, work_order_id, kind, from, to, note, e);
}

int sd_notify_user(struct req *r, struct db_conn *c, int64_t user_id, int64_t request_id,
                   const char *kind, const char *title, struct err *e)
{
    if (!user_id || (r->who && user_id == r->user_id))
        return 0; /* nobody, or the one who did it */
    char k[60];
    snprintf(k, sizeof(k), "servicedesk.%s", kind);
    return notify_user(r, c, user_id, k, title, NULL, "service_requests", request_id, e);
}

int sd_notify_team(struct req *r, struct db_conn *c, int64_t team_id, int64_t request_id,
                   const char *kind, const char *title, struct err *e)
{
    struct db_stmt *st;
    int64_t users[64];
    int n = 0;
    int rc = db_prepare(c,
                        "SELECT user_id FROM service_team_members WHERE tenant_id = ? AND "
                        "team_id = ? ORDER BY user_id LIMIT 64",
                        &st, e);
    if (rc)
        return rc;
    db_bind_int(st, 1, r->tenant_id);
    db_bind_int(st, 2, team_id);
    while ((rc = db_step(st, e)) == DB_ROW)
        users[n++] = db_col_int(st, 0);
    db_reset(st);
    if (rc < 0)
        return rc;
    for (int i = 0; i < n; i++)
        if ((rc = sd_notify_user(r, c, users[i], request_id, kind, title, e)))
            return rc;
    return 0;
}

/* A team's name (arena memory), or NULL. */
static const char *team_name(struct req *r, struct db_conn *c, int64_t team, struct err *e)
{
    struct db_stmt *st;
    const char *name = NULL;
    if (db_prepare(c, "SELECT name FROM service_teams WHERE tenant_id = ? AND id = ?", &st, e))
        return NULL;
    db_bind_int(st, 1, r->tenant_id);
    db_bind_int(st, 2, team);
    if (db_step(st, e) == DB_ROW)
        name = arena_strdup(r->a, db_col_text(st, 0, NULL));
    db_reset(st);
    return name;
}

int sd_assigned_teams(struct req *r, struct db_conn *c, int64_t **ids, int *n, struct err *e)
{
    struct db_stmt *st;
    int cap = 16;
    *n = 0;
    *ids = arena_alloc(r->a, sizeof(int64_t) * (size_t)cap);
    if (!*ids || !r->who)
        return -1;
    int rc = db_prepare(c,
                        "SELECT team_id FROM service_team_members WHERE tenant_id = ? AND "
                        "user_id = ? ORDER BY team_id LIMIT 16",
                        &st, e);
    if (rc)
        return rc;
    db_bind_int(st, 1, r->tenant_id);
    db_bind_int(st, 2, r->user_id);
    while ((rc = db_step(st, e)) == DB_ROW && *n < cap)
        (*ids)[(*n)++] = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int sd_route(struct req *r, struct db_conn *c, int64_t type_id, const char *building,
             const char *urgency, int64_t *team_id, struct err *e)
{
    struct db_stmt *st;
    *team_id = 0;
    /* the first active rule (by priority) whose conditions all hold */
    int rc = db_prepare(c,
                        "SELECT rr.team_id FROM routing_rules rr JOIN service_teams t ON "
                        "t.tenant_id = rr.tenant_id AND t.id = rr.team_id WHERE rr.tenant_id = ? "
                        "AND rr.active = 1 AND t.active = 1 AND (rr.type_id IS NULL OR "
                        "rr.type_id = ?) AND (rr.building IS NULL OR rr.building = ?) AND "
                        "(rr.urgency IS NULL OR rr.urgency = ?) ORDER BY rr.priority, rr.id "
                        "LIMIT 1",
                        &st, e);
    if (rc)
        return rc;
    db_bind_int(st, 1, r->tenant_id);
    db_bind_int(st, 2, type_id);
    if (building)
        db_bind_text(st, 3, building, strlen(building));
    else
        db_bind_null(st, 3);
    db_bind_text(st, 4, urgency, strlen(urgency));
    rc = db_step(st, e);
    if (rc == DB_ROW)
        *team_id = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int sd_open_work_order(struct req *r, struct db_conn *c, int64_t request_id, int64_t team_id,
                       int64_t assignee_id, struct err *e)
{
    int64_t id;
    json_t *wo = json_pack("{s:I,s:I,s:s}", "request_id", (json_int_t)request_id, "team_id",
                           (json_int_t)team_id, "status", "open");
    if (wo && assignee_id)
        json_object_set_new(wo, "assignee_id", json_integer(assignee_id));
    return act_create(r, c, &sd_work_orders, wo, &id, &sd_server_write, e);
}

/* The request's live work order (open, accepted or on hold); 0 when none. */
static int live_work_order(struct req *r, struct db_conn *c, int64_t request_id, int64_t *wo,
                           struct err *e)
{
    struct db_stmt *st;
    *wo = 0;
    int rc = db_prepare(c,
                        "SELECT id FROM work_orders WHERE tenant_id = ? AND request_id = ? AND "
                        "status IN ('open', 'accepted', 'on_hold') ORDER BY id DESC LIMIT 1",
                        &st, e);
    if (rc)
        return rc;
    db_bind_int(st, 1, r->tenant_id);
    db_bind_int(st, 2, request_id);
    rc = db_step(st, e);
    if (rc == DB_ROW)
        *wo = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static int cancel_work_order(struct req *r, struct db_conn *c, int64_t request_id,
                             struct err *e)
{
    int64_t wo;
    int rc = live_work_order(r, c, request_id, &wo, e);
    if (rc || !wo)
        return rc;
    return act_update(r, c, &sd_work_orders, wo, json_pack("{s:s}", "status", "cancelled"),
                      &sd_server_write, e);
}

static int is_member(struct req *r, struct db_conn *c, int64_t team_id, int64_t user_id,
                     struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(c,
                        "SELECT 1 FROM service_team_members WHERE tenant_id = ? AND team_id = ? "
                        "AND user_id = ?",
                        &st, e);
    if (rc)
        return rc;
    db_bind_int(st, 1, r->tenant_id);
    db_bind_int(st, 2, team_id);
    db_bind_int(st, 3, user_id);
    rc = db_step(st, e);
    db_reset(st);
    return rc < 0 ? rc : rc == DB_ROW;
}

/* Due times from now for the request's type and urgency (0: no target). */
static int due_times(struct req *r, struct db_conn *c, int64_t type_id, const char *urgency,
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

/* ---- filing and editing (the collection's hooks) ---- */

static int requester_department(struct req *r, struct db_conn *c, int64_t user_id,
                                int64_t *dept, struct err *e)
{
    struct db_stmt *st;
    *dept = 0;
    int rc = db_prepare(c,
                        "SELECT p.department_id FROM users u JOIN people p ON p.tenant_id = "
                        "u.tenant_id AND p.id = u.person_id WHERE u.tenant_id = ? AND u.id = ?",
                        &st, e);
    if (rc)
        return rc;
    db_bind_int(st, 1, r->tenant_id);
    db_bind_int(st, 2, user_id);
    rc = db_step(st, e);
    if (rc == DB_ROW)
        *dept = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* The type must exist and be active; some types need a place. */
static int check_type(struct req *r, struct db_conn *c, json_t *rec, struct err *e)
{
    struct db_stmt *st;
    int active = -1, needs_location = 0;
    int rc = db_prepare(c,
                        "SELECT active, needs_location FROM service_types WHERE tenant_id = ? "
                        "AND id = ?",
                        &st, e);
    if (rc)
        return rc;
    db_bind_int(st, 1, r->tenant_id);
    db_bind_int(st, 2, act_int_of(rec, "type_id"));
    rc = db_step(st, e);
    if (rc == DB_ROW) {
        active = (int)db_col_int(st, 0);
        needs_location = (int)db_col_int(st, 1);
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    if (active < 0)
        err_field(e, "type_id", "is not a service type of this catalogue");
    else if (!active)
        err_field(e, "type_id", "is no longer offered");
    if (needs_location && !act_str(rec, "building") && !act_str(rec, "room") &&
        !act_str(rec, "location") && !json_is_integer(json_object_get(rec, "room_id")))
        err_field(e, "location", "say where: a building, a room or a description of the place");
    json_t *ph = json_object_get(rec, "photos");
    if (ph && !json_is_null(ph)) {
        size_t i;
        json_t *v;
        if (!json_is_array(ph))
            err_field(e, "photos", "must be a list of file ids");
        else if (json_array_size(ph) > SD_MAX_PHOTOS)
            err_field(e, "photos", "at most %d photos", SD_MAX_PHOTOS);
        else
            json_array_foreach(ph, i, v) if (!json_is_integer(v) || json_integer_value(v) <= 0)
            {
                err_field(e, "photos", "item %zu is not a file id", i + 1);
                break;
            }
    }
    return e->nitems ? err_set(e, ERR_INVALID, NULL, "%d field%s invalid", e->nitems,
                               e->nitems == 1 ? " is" : "s are")
                     : 0;
}

int sd_request_before_write(struct req *r, struct db_conn *c, const struct res_entity *ent,
                            int64_t id, json_t *old, json_t *rec, struct err *e)
{
    (void)ent;
    (void)id;
    if (!rec || sd_server_write)
        return 0; /* deletes are refused (no_delete); the workflow's own writes */
    int rc;
    if (old) {
        /* a requester's edit: only before anyone has taken the request on */
        const char *st = act_str(old, "status");
        if (!is(st, "submitted") && !is(st, "assigned"))
            return err_set(e, ERR_CONFLICT, NULL,
                           "a request can be edited only until it is accepted (it is %s)", st);
    }
    if ((rc = check_type(r, c, rec, e)))
        return rc;
    const char *urgency = act_str(rec, "urgency");
    int64_t type_id = act_int_of(rec, "type_id");
    if (old && type_id == act_int_of(old, "type_id") && is(urgency, act_str(old, "urgency")))
        return 0;
    /* filed, or its type or urgency changed: route (when not yet routed) and time it */
    if (!old || is(act_str(old, "status"), "submitted")) {
        int64_t team = 0;
        if ((rc = sd_route(r, c, type_id, act_str(rec, "building"), urgency ? urgency : "normal",
                           &team, e)))
            return rc;
        json_object_set_new(rec, "team_id", team ? json_integer(team) : json_null());
        json_object_set_new(rec, "status", json_string(team ? "assigned" : "submitted"));
    }
    if (!old) {
        int64_t dept = 0;
        if (r->who) {
            json_object_set_new(rec, "requester_id", json_integer(r->user_id));
            if ((rc = requester_department(r, c, r->user_id, &dept, e)))
                return rc;
            json_object_set_new(rec, "department_id", dept ? json_integer(dept) : json_null());
        }
    }
    int64_t from = old ? act_time_of(old, "created_at") : clock_now();
    int64_t respond, resolve;
    if ((rc = due_times(r, c, type_id, urgency ? urgency : "normal", from, &respond, &resolve,
                        e)))
        return rc;
    json_object_set_new(rec, "respond_due_at", act_time_json(r, respond));
    json_object_set_new(rec, "resolve_due_at", act_time_json(r, resolve));
    return 0;
}

int sd_request_after_write(struct req *r, struct db_conn *c, const struct res_entity *ent,
                           int64_t id, json_t *old, json_t *rec, struct err *e)
{
    (void)ent;
    if (!rec || sd_server_write)
        return 0;
    int rc = files_attach(r, c, json_object_get(rec, "photos"), SD_MAX_PHOTOS, "photos",
                          "service_requests", id, e);
    if (rc || old)
        return rc;
    int64_t team = act_int_of(rec, "team_id");
    if ((rc = sd_event(r, c, id, 0, "submitted", NULL, "submitted", NULL, e)))
        return rc;
    if (!team)
        return 0;
    /* routed by a rule: the server's step, naming the team */
    char note[200];
    const char *tname = team_name(r, c, team, e);
    snprintf(note, sizeof(note), "按派单规则派往%s", tname ? tname : "班组");
    if ((rc = sd_open_work_order(r, c, id, team, 0, e)) ||
        (rc = event_by(r, c, 0, id, 0, "assigned", "submitted", "assigned", note, e)))
        return rc;
    return sd_notify_team(r, c, team, id, "assigned", "新的服务请求待接单", e);
}

/* ---- actions ---- */

struct act {
    struct req *r;
    struct db_conn *c;
    json_t *rq;  /* the request, as loaded within the caller's scope */
    json_t *wo;  /* the work order, for work order actions */
    int64_t id;  /* the request */
    const char *status;
};

/* Opens the action: a transaction and the request (404 outside the caller's scope). */
static int begin_request(struct req *r, int64_t id, struct act *a)
{
    memset(a, 0, sizeof(*a));
    a->r = r;
    a->id = id;
    int rc = act_begin(r, &sd_requests, id, &a->c, &a->rq);
    a->status = act_str(a->rq, "status");
    return rc;
}

/* Opens a work order action: the work order within the caller's scope and its request. */
static int begin_work_order(struct req *r, int64_t wo_id, struct act *a)
{
    memset(a, 0, sizeof(*a));
    a->r = r;
    int rc = act_begin(r, &sd_work_orders, wo_id, &a->c, &a->wo);
    if (rc)
        return rc;
    a->id = act_int_of(a->wo, "request_id");
    rc = act_load(r, a->c, &sd_requests, a->id, &a->rq, &r->err);
    if (rc) {
        db_rollback(a->c);
        return rc;
    }
    a->status = act_str(a->rq, "status");
    return 0;
}

/* Commits (or rolls back on rc) and answers with the record the action was on. */
static int finish(struct act *a, int rc, const struct res_entity *ent, int64_t id)
{
    json_decref(a->rq);
    json_decref(a->wo);
    return act_finish(a->r, a->c, rc, ent, id);
}

/* The body's one text member (nothing else may come), then the action's
 * transaction and its record: a work order (wo) or a request. */
static int begin_with(struct req *r, json_t *body, const char *name, int required, int max,
                      const char **text, int wo, int64_t id, struct act *a)
{
    int rc = act_one_text(r, body, name, required, max, text);
    if (rc)
        return rc;
    return wo ? begin_work_order(r, id, a) : begin_request(r, id, a);
}

static int requester_only(struct act *a, const char *what)
{
    if (a->r->who && act_int_of(a->rq, "requester_id") == a->r->user_id)
        return 0;
    return err_set(&a->r->err, ERR_FORBIDDEN, NULL, "only the requester may %s", what);
}

/* Puts the paused clocks back in motion from now. */
static int resume_clocks(struct act *a, json_t *patch)
{
    struct calendar cal;
    int rc = cal_load(a->r, a->c, a->r->tenant_id, &cal, &a->r->err);
    if (rc)
        return rc;
    int64_t now = clock_now();
    if (!act_str(a->rq, "responded_at") && act_str(a->rq, "respond_due_at")) {
        int64_t left = act_int_of(a->rq, "respond_left_s");
        if (left > 0)
            json_object_set_new(patch, "respond_due_at",
                                act_time_json(a->r, cal_add_working(&cal, now, left)));
    }
    if (act_str(a->rq, "resolve_due_at")) {
        int64_t left = act_int_of(a->rq, "resolve_left_s");
        if (left > 0)
            json_object_set_new(patch, "resolve_due_at",
                                act_time_json(a->r, cal_add_working(&cal, now, left)));
    }
    json_object_set_new(patch, "hold_since", json_null());
    json_object_set_new(patch, "respond_left_s", json_null());
    json_object_set_new(patch, "resolve_left_s", json_null());
    return 0;
}

int sd_act_assign(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    static const char *const names[] = {"team_id", "assignee_id", "note", NULL};
    struct act a;
    const char *note;
    (void)ent;
    if (act_only(r, body, names))
        return -ERR_INVALID;
    json_t *t = json_object_get(body, "team_id"), *u = json_object_get(body, "assignee_id");
    if (!json_is_integer(t))
        err_field(&r->err, "team_id", "is required: the team that takes the request");
    if (u && !json_is_null(u) && !json_is_integer(u))
        err_field(&r->err, "assignee_id", "must be a user id");
    act_text(r, body, "note", 0, 500, &note);
    if (r->err.nitems)
        return err_set(&r->err, ERR_INVALID, NULL, "the assignment is incomplete");
    int64_t team = json_integer_value(t), who = json_is_integer(u) ? json_integer_value(u) : 0;
    int rc = begin_request(r, id, &a);
    if (rc)
        return rc;
    if (!is(a.status, "submitted") && !is(a.status, "assigned") && !is(a.status, "in_progress") &&
        !is(a.status, "waiting"))
        return finish(&a, conflict(r, "a %s request cannot be assigned", a.status), ent, id);
    struct db_stmt *st;
    int active = -1;
    if (!(rc = db_prepare(a.c, "SELECT active FROM service_teams WHERE tenant_id = ? AND id = ?",
                          &st, &r->err))) {
        db_bind_int(st, 1, r->tenant_id);
        db_bind_int(st, 2, team);
        if ((rc = db_step(st, &r->err)) == DB_ROW)
            active = (int)db_col_int(st, 0);
        db_reset(st);
        rc = rc < 0 ? rc : 0;
    }
    if (!rc && active != 1)
        rc = invalid(r, "team_id", active < 0 ? "is not a service team" : "is not active");
    if (!rc && who && (rc = is_member(r, a.c, team, who, &r->err)) >= 0)
        rc = rc ? 0 : invalid(r, "assignee_id", "is not a member of that team");
    json_t *patch = json_pack("{s:I,s:s}", "team_id", (json_int_t)team, "status", "assigned");
    json_object_set_new(patch, "assignee_id", who ? json_integer(who) : json_null());
    if (!rc && is(a.status, "waiting"))
        rc = resume_clocks(&a, patch);
    if (!rc)
        rc = cancel_work_order(r, a.c, id, &r->err);
    if (!rc)
        rc = sd_open_work_order(r, a.c, id, team, who, &r->err);
    if (!rc) {
        rc = act_update(r, a.c, &sd_requests, id, patch, &sd_server_write, &r->err);
        patch = NULL;
    }
    json_decref(patch);
    if (!rc)
        rc = sd_event(r, a.c, id, 0, "assigned", a.status, "assigned", note, &r->err);
    if (!rc)
        rc = who ? sd_notify_user(r, a.c, who, id, "assigned", "您有新的服务工单", &r->err)
                 : sd_notify_team(r, a.c, team, id, "assigned", "新的服务请求待接单", &r->err);
    return finish(&a, rc, ent, id);
}

int sd_act_cancel(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    const char *reason;
    struct act a;
    int rc = begin_with(r, body, "reason", 0, 500, &reason, 0, id, &a);
    if (rc)
        return rc;
    if (!is(a.status, "submitted") && !is(a.status, "assigned") && !is(a.status, "in_progress") &&
        !is(a.status, "waiting"))
        return finish(&a, conflict(r, "a %s request cannot be cancelled", a.status), ent, id);
    json_t *patch = json_pack("{s:s,s:s}", "status", "cancelled", "close_reason", "cancelled");
    json_object_set_new(patch, "closed_at", act_time_json(r, clock_now()));
    json_object_set_new(patch, "hold_since", json_null());
    int64_t team = act_int_of(a.rq, "team_id");
    rc = cancel_work_order(r, a.c, id, &r->err);
    rc = rc ? (json_decref(patch), rc)
            : act_update(r, a.c, &sd_requests, id, patch, &sd_server_write, &r->err);
    if (!rc &&
        !(rc = sd_event(r, a.c, id, 0, "cancelled", a.status, "cancelled", reason, &r->err)) &&
        team)
        rc = sd_notify_team(r, a.c, team, id, "cancelled", "服务请求已撤销", &r->err);
    return finish(&a, rc, ent, id);
}

int sd_act_comment(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    const char *msg;
    struct act a;
    int rc = begin_with(r, body, "message", 1, 2000, &msg, 0, id, &a);
    if (rc)
        return rc;
    if (is(a.status, "closed") || is(a.status, "cancelled"))
        return finish(&a, conflict(r, "a %s request takes no more comments", a.status), ent, id);
    int requester = r->who && act_int_of(a.rq, "requester_id") == r->user_id;
    rc = sd_event(r, a.c, id, 0, "commented", NULL, NULL, msg, &r->err);
    if (!rc && requester && is(a.status, "waiting")) {
        /* the requester answered: the clocks run again */
        int64_t wo = 0;
        json_t *patch = json_pack("{s:s}", "status", "in_progress");
        rc = resume_clocks(&a, patch);
        if (!rc)
            rc = live_work_order(r, a.c, id, &wo, &r->err);
        if (!rc && wo)
            rc = act_update(r, a.c, &sd_work_orders, wo, json_pack("{s:s}", "status", "accepted"),
                            &sd_server_write, &r->err);
        if (!rc) {
            rc = act_update(r, a.c, &sd_requests, id, patch, &sd_server_write, &r->err);
            patch = NULL;
        }
        json_decref(patch);
        if (!rc)
            rc = sd_event(r, a.c, id, wo, "resumed", "waiting", "in_progress", NULL, &r->err);
    }
    if (!rc) {
        int64_t to = requester ? act_int_of(a.rq, "assignee_id") : act_int_of(a.rq, "requester_id");
        if (to)
            rc = sd_notify_user(r, a.c, to, id, "commented", "服务请求有新留言", &r->err);
        else if (requester && act_int_of(a.rq, "team_id"))
            rc = sd_notify_team(r, a.c, act_int_of(a.rq, "team_id"), id, "commented",
                                "服务请求有新留言", &r->err);
    }
    return finish(&a, rc, ent, id);
}

int sd_act_confirm(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    const char *none;
    struct act a;
    int rc = begin_with(r, body, NULL, 0, 0, &none, 0, id, &a);
    if (rc)
        return rc;
    if ((rc = requester_only(&a, "confirm the result")))
        return finish(&a, rc, ent, id);
    if (!is(a.status, "resolved"))
        return finish(&a, conflict(r, "only a resolved request can be confirmed (it is %s)",
                                   a.status),
                      ent, id);
    json_t *patch = json_pack("{s:s,s:s}", "status", "closed", "close_reason", "confirmed");
    json_object_set_new(patch, "closed_at", act_time_json(r, clock_now()));
    if (!(rc = act_update(r, a.c, &sd_requests, id, patch, &sd_server_write, &r->err)))
        rc = sd_event(r, a.c, id, 0, "confirmed", "resolved", "closed", NULL, &r->err);
    return finish(&a, rc, ent, id);
}

int sd_act_reopen(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    const char *reason;
    struct act a;
    int rc = begin_with(r, body, "reason", 1, 500, &reason, 0, id, &a);
    if (rc)
        return rc;
    if ((rc = requester_only(&a, "reopen the request")))
        return finish(&a, rc, ent, id);
    int64_t now = clock_now(), resolved = act_time_of(a.rq, "resolved_at");
    if (!is(a.status, "resolved") || now > resolved + SD_CONFIRM_DAYS * 86400)
        return finish(&a, conflict(r, "a request can be reopened only within %s days of its "
                                      "resolution",
                                   "7"),
                      ent, id);
    int64_t team = act_int_of(a.rq, "team_id"), who = act_int_of(a.rq, "assignee_id"), respond,
            resolve;
    json_t *patch = json_pack("{s:s,s:I}", "status", "assigned", "reopen_count",
                              (json_int_t)(act_int_of(a.rq, "reopen_count") + 1));
    json_object_set_new(patch, "resolved_at", json_null());
    if (!(rc = due_times(r, a.c, act_int_of(a.rq, "type_id"), act_str(a.rq, "urgency"), now,
                         &respond, &resolve, &r->err)) &&
        resolve)
        json_object_set_new(patch, "resolve_due_at", act_time_json(r, resolve));
    if (!rc)
        rc = sd_open_work_order(r, a.c, id, team, who, &r->err);
    if (!rc) {
        rc = act_update(r, a.c, &sd_requests, id, patch, &sd_server_write, &r->err);
        patch = NULL;
    }
    json_decref(patch);
    if (!rc)
        rc = sd_event(r, a.c, id, 0, "reopened", "resolved", "assigned", reason, &r->err);
    if (!rc)
        rc = who ? sd_notify_user(r, a.c, who, id, "reopened", "服务请求被重新打开", &r->err)
                 : sd_notify_team(r, a.c, team, id, "reopened", "服务请求被重新打开", &r->err);
    return finish(&a, rc, ent, id);
}

int sd_act_rate(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    static const char *const names[] = {"score", "comment", NULL};
    const char *comment;
    struct act a;
    if (act_only(r, body, names))
        return -ERR_INVALID;
    json_t *s = json_object_get(body, "score");
    if (!json_is_integer(s) || json_integer_value(s) < 1 || json_integer_value(s) > 5)
        err_field(&r->err, "score", "must be a whole number from 1 to 5");
    act_text(r, body, "comment", 0, 500, &comment);
    if (r->err.nitems)
        return err_set(&r->err, ERR_INVALID, NULL, "invalid rating");
    int rc = begin_request(r, id, &a);
    if (rc)
        return rc;
    if ((rc = requester_only(&a, "rate the service")))
        return finish(&a, rc, ent, id);
    if (json_is_integer(json_object_get(a.rq, "score")))
        return finish(&a, conflict(r, "this request was already rated%s", ""), ent, id);
    if (!is(a.status, "resolved") && !is(a.status, "closed"))
        return finish(&a, conflict(r, "a %s request cannot be rated", a.status), ent, id);
    if (is(a.status, "closed") && is(act_str(a.rq, "close_reason"), "cancelled"))
        return finish(&a, conflict(r, "a cancelled request cannot be rated%s", ""), ent, id);
    int64_t now = clock_now();
    json_t *patch = json_pack("{s:I}", "score", (json_int_t)json_integer_value(s));
    json_object_set_new(patch, "rating_comment", comment ? json_string(comment) : json_null());
    json_object_set_new(patch, "rated_at", act_time_json(r, now));
    if (is(a.status, "resolved")) { /* rating a resolved request confirms it */
        json_object_set_new(patch, "status", json_string("closed"));
        json_object_set_new(patch, "close_reason", json_string("confirmed"));
        json_object_set_new(patch, "closed_at", act_time_json(r, now));
    }
    char note[600];
    snprintf(note, sizeof(note), "%lld 分%s%s", (long long)json_integer_value(s),
             comment ? "：" : "", comment ? comment : "");
    if (!(rc = act_update(r, a.c, &sd_requests, id, patch, &sd_server_write, &r->err)))
        rc = sd_event(r, a.c, id, 0, "rated", a.status, "closed", note, &r->err);
    return finish(&a, rc, ent, id);
}

int sd_act_accept(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    const char *note;
    struct act a;
    int rc = begin_with(r, body, "note", 0, 500, &note, 1, id, &a);
    if (rc)
        return rc;
    if (!is(act_str(a.wo, "status"), "open"))
        return finish(&a,
                      conflict(r, "only an open work order can be accepted (it is %s)",
                               act_str(a.wo, "status")),
                      ent, id);
    int64_t now = clock_now(), who = act_int_of(a.wo, "assignee_id");
    if (!who && r->who)
        who = r->user_id;
    json_t *wp = json_pack("{s:s}", "status", "accepted");
    json_object_set_new(wp, "accepted_at", act_time_json(r, now));
    json_object_set_new(wp, "assignee_id", who ? json_integer(who) : json_null());
    json_t *rp = json_pack("{s:s}", "status", "in_progress");
    json_object_set_new(rp, "assignee_id", who ? json_integer(who) : json_null());
    if (!act_str(a.rq, "responded_at"))
        json_object_set_new(rp, "responded_at", act_time_json(r, now));
    rc = act_update(r, a.c, &sd_work_orders, id, wp, &sd_server_write, &r->err);
    rc = rc ? (json_decref(rp), rc)
            : act_update(r, a.c, &sd_requests, a.id, rp, &sd_server_write, &r->err);
    if (!rc &&
        !(rc = sd_event(r, a.c, a.id, id, "accepted", a.status, "in_progress", note, &r->err)))
        rc = sd_notify_user(r, a.c, act_int_of(a.rq, "requester_id"), a.id, "accepted",
                            "您的服务请求已受理", &r->err);
    return finish(&a, rc, ent, id);
}

int sd_act_hold(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    const char *reason;
    struct act a;
    struct calendar cal;
    int rc = begin_with(r, body, "reason", 1, 500, &reason, 1, id, &a);
    if (rc)
        return rc;
    if (!is(act_str(a.wo, "status"), "accepted") || !is(a.status, "in_progress"))
        return finish(&a,
                      conflict(r,
                               "only work in progress can wait for the requester (the "
                               "work order is %s)",
                               act_str(a.wo, "status")),
                      ent, id);
    if ((rc = cal_load(r, a.c, r->tenant_id, &cal, &r->err)))
        return finish(&a, rc, ent, id);
    /* the clocks stop: keep the working time each had left */
    int64_t now = clock_now(), due = act_time_of(a.rq, "resolve_due_at");
    json_t *rp = json_pack("{s:s}", "status", "waiting");
    json_object_set_new(rp, "hold_since", act_time_json(r, now));
    json_object_set_new(rp, "resolve_left_s",
                        due ? json_integer(cal_working_seconds(&cal, now, due)) : json_null());
    rc = act_update(r, a.c, &sd_work_orders, id, json_pack("{s:s}", "status", "on_hold"),
                    &sd_server_write, &r->err);
    rc = rc ? (json_decref(rp), rc)
            : act_update(r, a.c, &sd_requests, a.id, rp, &sd_server_write, &r->err);
    if (!rc &&
        !(rc = sd_event(r, a.c, a.id, id, "held", "in_progress", "waiting", reason, &r->err)))
        rc = sd_notify_user(r, a.c, act_int_of(a.rq, "requester_id"), a.id, "held",
                            "服务请求需要您补充信息", &r->err);
    return finish(&a, rc, ent, id);
}

int sd_act_resume(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    const char *note;
    struct act a;
    int rc = begin_with(r, body, "note", 0, 500, &note, 1, id, &a);
    if (rc)
        return rc;
    if (!is(act_str(a.wo, "status"), "on_hold"))
        return finish(
            &a,
            conflict(r, "only a work order on hold can resume (it is %s)", act_str(a.wo, "status")),
            ent, id);
    json_t *rp = json_pack("{s:s}", "status", "in_progress");
    if (!(rc = resume_clocks(&a, rp)) &&
        !(rc = act_update(r, a.c, &sd_work_orders, id, json_pack("{s:s}", "status", "accepted"),
                          &sd_server_write, &r->err))) {
        rc = act_update(r, a.c, &sd_requests, a.id, rp, &sd_server_write, &r->err);
        rp = NULL;
    }
    json_decref(rp);
    if (!rc)
        rc = sd_event(r, a.c, a.id, id, "resumed", "waiting", "in_progress", note, &r->err);
    return finish(&a, rc, ent, id);
}

int sd_act_complete(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    static const char *const names[] = {"result", "notes", "parts", "cost_fen", NULL};
    const char *result, *notes, *parts;
    struct act a;
    if (act_only(r, body, names))
        return -ERR_INVALID;
    act_text(r, body, "result", 1, 2000, &result);
    act_text(r, body, "notes", 0, 2000, &notes);
    act_text(r, body, "parts", 0, 1000, &parts);
    json_t *cost = json_object_get(body, "cost_fen");
    if (cost && !json_is_null(cost) &&
        (!json_is_integer(cost) || json_integer_value(cost) < 0 ||
         json_integer_value(cost) > 100000000000LL))
        err_field(&r->err, "cost_fen", "must be a whole number of fen, 0 or more");
    if (r->err.nitems)
        return err_set(&r->err, ERR_INVALID, NULL, "the completion is incomplete");
    int rc = begin_work_order(r, id, &a);
    if (rc)
        return rc;
    const char *ws = act_str(a.wo, "status");
    if (!is(ws, "accepted"))
        return finish(&a, conflict(r, is(ws, "open") ? "accept the work order before completing "
                                                       "it%s"
                                                     : "a work order that is %s cannot be "
                                                       "completed",
                                   is(ws, "open") ? "" : ws),
                      ent, id);
    int64_t now = clock_now();
    json_t *wp = json_pack("{s:s,s:s}", "status", "done", "result", result);
    json_object_set_new(wp, "completed_at", act_time_json(r, now));
    json_object_set_new(wp, "notes", notes ? json_string(notes) : json_null());
    json_object_set_new(wp, "parts", parts ? json_string(parts) : json_null());
    json_object_set_new(wp, "cost_fen", json_is_integer(cost) ? json_incref(cost) : json_null());
    json_t *rp = json_pack("{s:s}", "status", "resolved");
    json_object_set_new(rp, "resolved_at", act_time_json(r, now));
    rc = act_update(r, a.c, &sd_work_orders, id, wp, &sd_server_write, &r->err);
    rc = rc ? (json_decref(rp), rc)
            : act_update(r, a.c, &sd_requests, a.id, rp, &sd_server_write, &r->err);
    if (!rc &&
        !(rc = sd_event(r, a.c, a.id, id, "completed", a.status, "resolved", result, &r->err)))
        rc = sd_notify_user(r, a.c, act_int_of(a.rq, "requester_id"), a.id, "completed",
                            "服务请求已办结，请确认并评价", &r->err);
    return finish(&a, rc, ent, id);
}

/* GET /api/v1/service_requests/{id}/timeline: the request's events, oldest
 * first, for whoever may read the request. */
int sd_timeline(struct req *r)
{
    return timeline_render(r, &sd_requests, &sd_events, "request_id");
}

/* GET /api/v1/service_teams/{id}/members: who is in a team, by name, for
 * whoever may read the team (the dispatcher's assign dialog). */
int sd_team_members_named(struct req *r)
{
    int64_t id, version;
    struct buf tmp;
    struct db_stmt *st;
    int rc = rest_id(r, 3, &id);
    if (rc || (rc = perm_check(r, &sd_teams, "read")))
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    buf_init(&tmp, r->a);
    if ((rc = rec_get(r, c, &sd_teams, id, &tmp, &version, &r->err)))
        return rc;
    if ((rc = db_prepare(c,
                         "SELECT m.user_id, COALESCE(u.display_name, u.username) FROM "
                         "service_team_members m JOIN users u ON u.tenant_id = m.tenant_id AND "
                         "u.id = m.user_id WHERE m.tenant_id = ? AND m.team_id = ? AND u.active "
                         "= 1 ORDER BY m.user_id LIMIT 500",
                         &st, &r->err)))
        return rc;
    db_bind_int(st, 1, r->tenant_id);
    db_bind_int(st, 2, id);
    buf_puts(&r->out, "{\"items\":[");
    int n = 0;
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        size_t len;
        const char *name = db_col_text(st, 1, &len);
        buf_printf(&r->out, "%s{\"user_id\":%lld,\"name\":", n++ ? "," : "",
                   (long long)db_col_int(st, 0));
        buf_json_str(&r->out, name, len);
        buf_putc(&r->out, '}');
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    buf_puts(&r->out, "]}");
    return resp_json(r, 200);
}
