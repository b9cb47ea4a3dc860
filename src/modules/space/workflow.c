/* SPDX-License-Identifier: MIT
 * space/workflow.c - the adjustment (调配) request: a department liaison
 * files it (need, headcount, reason, preferred building); the space section
 * reviews it and lists the changes (end this assignment, start that one);
 * a leader approves, and every change is applied in the approval's one
 * transaction, or none is. Each step is a named action that refuses to run
 * out of order (409), is refused to the requester themselves (403), writes
 * the request's timeline and tells the people concerned.
 */
#include "space.h"
#include "../../engine/action.h"
#include "../../engine/timeline.h"
#include "../../base/arena.h"
#include "../../core/auth.h"
#include "../../base/buf.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../engine/record.h"
#include "../../engine/rest.h"
#include "../notify/notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHANGES 200

static json_t *now_json(struct req *r)
{
    char b[40];
    time_format_rfc3339(clock_now(), r->utc_offset_min, b, sizeof(b));
    return json_string(b);
}

static int event(struct req *r, struct db_conn *c, int64_t request_id, int64_t dept,
                 const char *kind, const char *note, struct err *e)
{
    int64_t id;
    json_t *ev = json_pack("{s:I,s:s,s:I}", "request_id", (json_int_t)request_id, "kind", kind,
                           "request_department_id", (json_int_t)dept);
    if (ev && r->who)
        json_object_set_new(ev, "actor_id", json_integer(r->user_id));
    if (ev && note)
        json_object_set_new(ev, "note", json_string(note));
    return act_create(r, c, &sp_events, ev, &id, &sp_server_write, e);
}

static int tell(struct req *r, struct db_conn *c, int64_t user, int64_t request_id,
                const char *kind, const char *title, struct err *e)
{
    if (!user || (r->who && user == r->user_id))
        return 0;
    char k[60];
    snprintf(k, sizeof(k), "space.%s", kind);
    return notify_user(r, c, user, k, title, NULL, "space_requests", request_id, e);
}

int sp_request_before_write(struct req *r, struct db_conn *c, const struct res_entity *ent,
                            int64_t id, json_t *old, json_t *rec, struct err *e)
{
    (void)c;
    (void)ent;
    (void)id;
    if (!rec || sp_server_write)
        return 0;
    if (old) {
        const char *st = sp_jstr(old, "status");
        if (!st || strcmp(st, "submitted"))
            return err_set(e, ERR_CONFLICT, NULL,
                           "a request can be edited only until it is reviewed (it is %s)", st);
        return 0;
    }
    json_object_set_new(rec, "status", json_string("submitted"));
    json_object_set_new(rec, "requester_id", r->who ? json_integer(r->user_id) : json_null());
    return 0;
}

int sp_request_after_write(struct req *r, struct db_conn *c, const struct res_entity *ent,
                           int64_t id, json_t *old, json_t *rec, struct err *e)
{
    (void)ent;
    if (!rec || old || sp_server_write)
        return 0;
    int rc = event(r, c, id, sp_jint(rec, "department_id"), "submitted", NULL, e);
    return rc ? rc
              : notify_role(r, c, "space_manager", "space.submitted", "新的用房调配申请待审核",
                            sp_jstr(rec, "reason"), "space_requests", id, NULL, e);
}

/* ---- actions ---- */

struct act {
    struct req *r;
    struct db_conn *c;
    json_t *rq;
    int64_t id, dept, requester;
    const char *status;
    const char *text; /* the body's note or reason */
};

/* The body's one text member, then the transaction with the request row
 * locked (PostgreSQL) and the request within the caller's scope. */
static int begin(struct req *r, json_t *body, const char *name, int required, int64_t id,
                 struct act *a)
{
    memset(a, 0, sizeof(*a));
    a->r = r;
    a->id = id;
    int rc = act_one_text(r, body, name, required, 500, &a->text);
    if (rc)
        return rc;
    if (a->text && !*a->text)
        a->text = NULL;
    a->c = req_db(r);
    if (!a->c)
        return -ERR_DB_UNAVAILABLE;
    rc = db_begin(a->c, &r->err);
    if (rc)
        return rc;
    if (db_dialect(a->c->db) == DB_PG) {
        struct db_stmt *st;
        if (!(rc = db_prepare(a->c,
                              "UPDATE space_requests SET version = version WHERE tenant_id = ? "
                              "AND id = ?",
                              &st, &r->err))) {
            db_bind_int(st, 1, r->tenant_id);
            db_bind_int(st, 2, id);
            rc = db_step(st, &r->err);
            db_reset(st);
            rc = rc < 0 ? rc : 0;
        }
    }
    if (rc || (rc = rec_load(r, a->c, &sp_requests, id, &a->rq, &r->err))) {
        db_rollback(a->c);
        return rc;
    }
    a->status = sp_jstr(a->rq, "status");
    a->dept = sp_jint(a->rq, "department_id");
    a->requester = sp_jint(a->rq, "requester_id");
    return 0;
}

static int finish(struct act *a, int rc)
{
    json_decref(a->rq);
    return act_finish(a->r, a->c, rc, &sp_requests, a->id);
}

static int not_own(struct act *a, const char *what)
{
    if (a->r->who && a->requester == a->r->user_id)
        return err_set(&a->r->err, ERR_CONFLICT, NULL, "nobody may %s their own request", what);
    return 0;
}

static int conflict(struct act *a, const char *what)
{
    return err_set(&a->r->err, ERR_CONFLICT, NULL, "a request that is %s cannot be %s",
                   a->status, what);
}

int sp_act_review(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    struct act a;
    (void)ent;
    int rc = begin(r, body, "note", 0, id, &a);
    if (rc)
        return rc;
    if ((rc = not_own(&a, "review")))
        return finish(&a, rc);
    if (strcmp(a.status, "submitted"))
        return finish(&a, conflict(&a, "reviewed"));
    json_t *p = json_pack("{s:s}", "status", "reviewed");
    json_object_set_new(p, "reviewed_by", r->who ? json_integer(r->user_id) : json_null());
    json_object_set_new(p, "reviewed_at", now_json(r));
    if (!(rc = act_update(r, a.c, &sp_requests, id, p, &sp_server_write, &r->err)) &&
        !(rc = event(r, a.c, id, a.dept, "reviewed", a.text, &r->err)) &&
        !(rc =
              tell(r, a.c, a.requester, id, "reviewed", "您的用房调配申请已通过科室审核", &r->err)))
        rc = notify_role(r, a.c, "leader", "space.reviewed", "用房调配申请待审批", a.text,
                         "space_requests", id, NULL, &r->err);
    return finish(&a, rc);
}

struct change {
    int64_t id, assignment, room, person, dept;
    int end; /* 1: end an assignment; 0: start one */
    char start[16], until[16];
    const char *why;
};

static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return a < b ? -1 : a > b;
}

/* The request's changes, ends first; the room of each (for locking). */
static int load_changes(struct act *a, struct change *ch, int *n, int64_t *rooms, int *nrooms)
{
    struct req *r = a->r;
    struct db_stmt *st;
    *n = *nrooms = 0;
    int rc = db_prepare(a->c,
                        "SELECT x.id, x.kind, x.assignment_id, COALESCE(x.room_id, "
                        "g.room_id), x.person_id, x.department_id, x.start_date, x.end_date, "
                        "x.override_reason FROM space_request_changes x LEFT JOIN "
                        "room_assignments g ON g.tenant_id = x.tenant_id AND g.id = "
                        "x.assignment_id WHERE x.tenant_id = ? AND x.request_id = ? ORDER BY "
                        "CASE x.kind WHEN 'end' THEN 0 ELSE 1 END, x.id LIMIT 201",
                        &st, &r->err);
    if (rc)
        return rc;
    db_bind_int(st, 1, r->tenant_id);
    db_bind_int(st, 2, a->id);
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        if (*n == MAX_CHANGES) {
            db_reset(st);
            return err_set(&r->err, ERR_INVALID, NULL, "a request applies at most %d changes",
                           MAX_CHANGES);
        }
        struct change *x = &ch[(*n)++];
        memset(x, 0, sizeof(*x));
        x->id = db_col_int(st, 0);
        x->end = !strcmp(db_col_text(st, 1, NULL), "end");
        x->assignment = db_col_is_null(st, 2) ? 0 : db_col_int(st, 2);
        x->room = db_col_is_null(st, 3) ? 0 : db_col_int(st, 3);
        x->person = db_col_is_null(st, 4) ? 0 : db_col_int(st, 4);
        x->dept = db_col_is_null(st, 5) ? 0 : db_col_int(st, 5);
        snprintf(x->start, sizeof(x->start), "%s", db_col_text(st, 6, NULL));
        snprintf(x->until, sizeof(x->until), "%s", db_col_text(st, 7, NULL));
        if (!db_col_is_null(st, 8))
            x->why = arena_strdup(r->a, db_col_text(st, 8, NULL));
        if (x->room)
            rooms[(*nrooms)++] = x->room;
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    qsort(rooms, (size_t)*nrooms, sizeof(*rooms), cmp_i64);
    int k = 0;
    for (int i = 0; i < *nrooms; i++)
        if (!k || rooms[k - 1] != rooms[i])
            rooms[k++] = rooms[i];
    *nrooms = k;
    return 0;
}

/* Two approvals touching one room take turns: the second waits here for the
 * first to commit and then sees its assignments (PostgreSQL; SQLite writers
 * are serialised already). Rooms are locked in id order. */
static int lock_rooms(struct act *a, const int64_t *rooms, int n)
{
    if (db_dialect(a->c->db) != DB_PG)
        return 0;
    struct db_stmt *st;
    int rc = db_prepare(a->c, "UPDATE rooms SET version = version WHERE tenant_id = ? AND id = ?",
                        &st, &a->r->err);
    for (int i = 0; !rc && i < n; i++) {
        db_bind_int(st, 1, a->r->tenant_id);
        db_bind_int(st, 2, rooms[i]);
        rc = db_step(st, &a->r->err);
        db_reset(st);
        rc = rc < 0 ? rc : 0;
    }
    return rc;
}

static int apply(struct act *a, const struct change *x)
{
    struct req *r = a->r;
    int rc;
    if (x->end) {
        json_t *g = NULL;
        const struct res_entity *se = r->scope_ent;
        int sc = r->scope;
        r->scope_ent = &sp_assignments;
        r->scope = SCOPE_TENANT;
        rc = rec_load(r, a->c, &sp_assignments, x->assignment, &g, &r->err);
        r->scope_ent = se;
        r->scope = sc;
        if (rc == -ERR_NOT_FOUND) {
            err_clear(&r->err);
            err_field(&r->err, "assignment_id", "change %lld: no assignment %lld",
                      (long long)x->id, (long long)x->assignment);
            return err_set(&r->err, ERR_INVALID, NULL, "a change names a missing assignment");
        }
        if (rc)
            return rc;
        const char *was = sp_jstr(g, "end_date");
        if (was) {
            rc = err_set(&r->err, ERR_CONFLICT, NULL,
                         "change %lld: assignment %lld already ended on %s", (long long)x->id,
                         (long long)x->assignment, was);
            json_decref(g);
            return rc;
        }
        json_decref(g);
        char day[16];
        if (x->until[0])
            snprintf(day, sizeof(day), "%s", x->until);
        else
            date_format(sp_today(r), day, sizeof(day));
        json_t *p = json_pack("{s:s}", "end_date", day);
        return act_update(r, a->c, &sp_assignments, x->assignment, p, &sp_server_write, &r->err);
    }
    int64_t made = 0;
    json_t *g = json_pack("{s:I,s:s,s:I}", "room_id", (json_int_t)x->room, "start_date",
                          x->start, "request_id", (json_int_t)a->id);
    if (g && x->person)
        json_object_set_new(g, "person_id", json_integer(x->person));
    if (g && x->dept)
        json_object_set_new(g, "department_id", json_integer(x->dept));
    if (g && x->until[0])
        json_object_set_new(g, "end_date", json_string(x->until));
    if (g && x->why)
        json_object_set_new(g, "override_reason", json_string(x->why));
    if ((rc = act_create(r, a->c, &sp_assignments, g, &made, &sp_server_write, &r->err)))
        return rc;
    return act_update(r, a->c, &sp_changes, x->id,
                      json_pack("{s:I}", "applied_assignment_id", (json_int_t)made),
                      &sp_server_write, &r->err);
}

int sp_act_approve(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    struct act a;
    (void)ent;
    int rc = begin(r, body, "note", 0, id, &a);
    if (rc)
        return rc;
    if ((rc = not_own(&a, "approve")))
        return finish(&a, rc);
    if (!strcmp(a.status, "approved"))
        return finish(&a, err_set(&r->err, ERR_CONFLICT, NULL,
                                  "request %lld was approved already: its changes are applied",
                                  (long long)id));
    if (strcmp(a.status, "reviewed"))
        return finish(&a, err_set(&r->err, ERR_CONFLICT, NULL,
                                  "a request that is %s cannot be approved: the space section "
                                  "reviews it first",
                                  a.status));
    struct change *ch = arena_alloc(r->a, sizeof(*ch) * MAX_CHANGES);
    int64_t *rooms = arena_alloc(r->a, sizeof(*rooms) * MAX_CHANGES);
    int n = 0, nrooms = 0;
    if (!ch || !rooms)
        return finish(&a, err_set(&r->err, ERR_BUDGET, NULL, "request memory budget exceeded"));
    if ((rc = load_changes(&a, ch, &n, rooms, &nrooms)) || (rc = lock_rooms(&a, rooms, nrooms)))
        return finish(&a, rc);
    for (int i = 0; !rc && i < n; i++)
        rc = apply(&a, &ch[i]);
    if (rc)
        return finish(&a, rc);
    json_t *p = json_pack("{s:s}", "status", "approved");
    json_object_set_new(p, "decided_by", r->who ? json_integer(r->user_id) : json_null());
    json_object_set_new(p, "decided_at", now_json(r));
    json_object_set_new(p, "decision_note", a.text ? json_string(a.text) : json_null());
    char note[80];
    snprintf(note, sizeof(note), "%d 项变更已实施", n);
    if (!(rc = act_update(r, a.c, &sp_requests, id, p, &sp_server_write, &r->err)) &&
        !(rc = event(r, a.c, id, a.dept, "approved", a.text, &r->err)) &&
        !(rc = event(r, a.c, id, a.dept, "applied", note, &r->err)))
        rc = tell(r, a.c, a.requester, id, "approved", "您的用房调配申请已批准并实施", &r->err);
    return finish(&a, rc);
}

int sp_act_reject(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    struct act a;
    (void)ent;
    int rc = begin(r, body, "reason", 1, id, &a);
    if (rc)
        return rc;
    if ((rc = not_own(&a, "reject")))
        return finish(&a, rc);
    if (strcmp(a.status, "submitted") && strcmp(a.status, "reviewed"))
        return finish(&a, conflict(&a, "rejected"));
    json_t *p = json_pack("{s:s,s:s}", "status", "rejected", "decision_note", a.text);
    json_object_set_new(p, "decided_by", r->who ? json_integer(r->user_id) : json_null());
    json_object_set_new(p, "decided_at", now_json(r));
    if (!(rc = act_update(r, a.c, &sp_requests, id, p, &sp_server_write, &r->err)) &&
        !(rc = event(r, a.c, id, a.dept, "rejected", a.text, &r->err)))
        rc = tell(r, a.c, a.requester, id, "rejected", "您的用房调配申请未获批准", &r->err);
    return finish(&a, rc);
}

int sp_act_cancel(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    struct act a;
    (void)ent;
    int rc = begin(r, body, "reason", 0, id, &a);
    if (rc)
        return rc;
    if (strcmp(a.status, "submitted") && strcmp(a.status, "reviewed"))
        return finish(&a, conflict(&a, "cancelled"));
    json_t *p = json_pack("{s:s}", "status", "cancelled");
    json_object_set_new(p, "decision_note", a.text ? json_string(a.text) : json_null());
    if (!(rc = act_update(r, a.c, &sp_requests, id, p, &sp_server_write, &r->err)))
        rc = event(r, a.c, id, a.dept, "cancelled", a.text, &r->err);
    return finish(&a, rc);
}

/* GET /api/v1/space_requests/{id}/timeline: oldest first, for whoever may
 * read the request. */
int sp_timeline(struct req *r)
{
    return timeline_render(r, &sp_requests, &sp_events, "request_id");
}
