/* SPDX-License-Identifier: MIT
 * space/workflow.c - the adjustment (调配) request: a department liaison
 * files it (need, headcount, reason, preferred building); the space section
 * reviews it and lists the changes (end this assignment, start that one);
 * a leader approves, and every change is applied in the approval's one
 * transaction, or none is. The steps are declared with the entity
 * (entities.c) and run by the workflow kit (engine/workflow.h); here are the
 * filing hooks and the rules of approval.
 */
#include "space.h"
#include "../../engine/workflow.h"
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
#include "../org/org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHANGES 200

/* The timeline event of the request a step is on (res_flow.event). */
int sp_event(struct wf *w, const char *kind)
{
    return sp_request_event(w->r, w->c, w->id, wf_int(w->rec, "department_id"), kind, w->text,
                            &w->r->err);
}

int sp_request_event(struct req *r, struct db_conn *c, int64_t request_id, int64_t dept,
                     const char *kind, const char *note, struct err *e)
{
    int64_t id;
    json_t *ev = json_pack("{s:I,s:s,s:I}", "request_id", (json_int_t)request_id, "kind", kind,
                           "request_department_id", (json_int_t)dept);
    if (ev && r->who)
        json_object_set_new(ev, "actor_id", json_integer(r->user_id));
    if (ev && note)
        json_object_set_new(ev, "note", json_string(note));
    return wf_create(r, c, &sp_events, ev, &id, e);
}

int sp_request_before_write(struct res_write *w)
{
    if (!w->rec || w->r->server_write)
        return 0;
    if (w->old) {
        const char *st = sp_jstr(w->old, "status");
        if (!st || strcmp(st, "submitted"))
            return err_set(w->e, ERR_CONFLICT, NULL, "space.request.locked",
                           "a request can be edited only until it is reviewed (it is {status}%s)",
                           st);
        return 0;
    }
    json_object_set_new(w->rec, "status", json_string("submitted"));
    json_object_set_new(w->rec, "requester_id",
                        w->r->who ? json_integer(w->r->user_id) : json_null());
    return 0;
}

int sp_request_after_write(struct res_write *w)
{
    if (!w->rec || w->old || w->r->server_write)
        return 0;
    int rc = sp_request_event(w->r, w->c, w->id, sp_jint(w->rec, "department_id"), "submitted",
                              NULL, w->e);
    return rc ? rc
              : notify_role(w->r, w->c, "space_manager", "space.submitted",
                            "新的用房调配申请待审核", sp_jstr(w->rec, "reason"), "space_requests",
                            w->id, NULL, w->e);
}

/* ---- approval: the changes applied ---- */

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
static int load_changes(struct wf *a, struct change *ch, int *n, int64_t *rooms, int *nrooms)
{
    struct req *r = a->r;
    struct db_stmt *st;
    *n = *nrooms = 0;
    int rc = db_prepare_ints(a->c,
                             "SELECT x.id, x.kind, x.assignment_id, COALESCE(x.room_id, "
                             "g.room_id), x.person_id, x.department_id, x.start_date, x.end_date, "
                             "x.override_reason FROM space_request_changes x LEFT JOIN "
                             "room_assignments g ON g.tenant_id = x.tenant_id AND g.id = "
                             "x.assignment_id WHERE x.tenant_id = ? AND x.request_id = ? ORDER BY "
                             "CASE x.kind WHEN 'end' THEN 0 ELSE 1 END, x.id LIMIT 201",
                             DB_INTS(r->tenant_id, a->id), &st, &r->err);
    if (rc)
        return rc;
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        if (*n == MAX_CHANGES) {
            db_reset(st);
            return err_set(&r->err, ERR_INVALID, NULL, "space.request.too_many_changes",
                           "a request applies at most {max}%d changes", MAX_CHANGES);
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
static int lock_rooms(struct wf *a, const int64_t *rooms, int n)
{
    for (int i = 0; i < n; i++) {
        int rc = rec_lock(a->r, a->c, &sp_rooms, rooms[i], &a->r->err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int apply(struct wf *a, const struct change *x)
{
    struct req *r = a->r;
    int rc;
    if (x->end) {
        json_t *g = NULL;
        rc = wf_load(r, a->c, &sp_assignments, x->assignment, &g, &r->err);
        if (rc == -ERR_NOT_FOUND) {
            err_clear(&r->err);
            return wf_invalid(a, "assignment_id", "space.change.no_assignment",
                              "change {change}%lld: no assignment {assignment}%lld",
                              (long long)x->id, (long long)x->assignment);
        }
        if (rc)
            return rc;
        const char *was = sp_jstr(g, "end_date");
        if (was)
            return wf_conflict(a, "space.change.already_ended",
                               "change {change}%lld: assignment {assignment}%lld already ended "
                               "on {date}%s",
                               (long long)x->id, (long long)x->assignment, was);
        char day[16];
        if (x->until[0])
            snprintf(day, sizeof(day), "%s", x->until);
        else
            date_format(sp_today(r), day, sizeof(day));
        json_t *p = json_pack("{s:s}", "end_date", day);
        return wf_update(r, a->c, &sp_assignments, x->assignment, p, &r->err);
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
    if ((rc = wf_create(r, a->c, &sp_assignments, g, &made, &r->err)))
        return rc;
    return wf_update(r, a->c, &sp_changes, x->id,
                     json_pack("{s:I}", "applied_assignment_id", (json_int_t)made), &r->err);
}

/* approve's own rule: every change of the request applied, or none (the
 * rooms they touch locked first, in id order). */
int sp_apply_changes(struct wf *w)
{
    struct req *r = w->r;
    struct change *ch = arena_alloc(r->a, sizeof(*ch) * MAX_CHANGES);
    int64_t *rooms = arena_alloc(r->a, sizeof(*rooms) * MAX_CHANGES);
    int n = 0, nrooms = 0, rc;
    if (!ch || !rooms)
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    if ((rc = load_changes(w, ch, &n, rooms, &nrooms)) || (rc = lock_rooms(w, rooms, nrooms)))
        return rc;
    for (int i = 0; !rc && i < n; i++)
        rc = apply(w, &ch[i]);
    /* every office the request gives is judged on the state the changes
     * make together: its ends done, all its starts in, every occupant of
     * each room counted */
    char today[16];
    date_format(sp_today(r), today, sizeof(today));
    for (int i = 0; !rc && i < n; i++) {
        const struct change *x = &ch[i];
        if (x->end || !x->person || x->why)
            continue;
        const char *day = strcmp(x->start, today) > 0 ? x->start : today;
        if (x->until[0] && strcmp(x->until, day) < 0)
            continue;
        struct org_person_row p;
        if ((rc = org_person_get(r, w->c, x->person, &p, &r->err)) < 0)
            break;
        rc = sp_check_person(r, w->c, x->person, p.rank_id, day, 0, x->id, &r->err);
    }
    w->count = n;
    return rc;
}

/* …and its timeline says how many. */
int sp_applied(struct wf *w)
{
    char note[80];
    snprintf(note, sizeof(note), "%lld 项变更已实施", (long long)w->count);
    return sp_request_event(w->r, w->c, w->id, wf_int(w->rec, "department_id"), "applied", note,
                            &w->r->err);
}

/* GET /api/v1/space_requests/{id}/timeline: oldest first, for whoever may
 * read the request. */
int sp_timeline(struct req *r)
{
    return timeline_render(r, &sp_requests, &sp_events, "request_id");
}
