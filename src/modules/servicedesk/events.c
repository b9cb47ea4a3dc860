/* SPDX-License-Identifier: MIT
 * servicedesk/events.c - what a request's timeline records and whom it tells:
 * every step, by the caller or by the server itself, is an event; the
 * people concerned get a notification naming the request.
 */
#include "servicedesk.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/timeline.h"
#include "../../engine/workflow.h"
#include "../notify/notify.h"

#include <stdio.h>
#include <string.h>

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
    return wf_create(r, c, &sd_events, ev, &id, e);
}

int sd_event(struct req *r, struct db_conn *c, int64_t request_id, int64_t work_order_id,
             const char *kind, const char *from, const char *to, const char *note, struct err *e)
{
    return event_by(r, c, 1, request_id, work_order_id, kind, from, to, note, e);
}

int sd_server_event(struct req *r, struct db_conn *c, int64_t request_id, const char *kind,
                    const char *from, const char *to, const char *note, struct err *e)
{
    return event_by(r, c, 0, request_id, 0, kind, from, to, note, e);
}

/* A step on a request: the request's state before and after it. */
int sd_request_event(struct wf *w, const char *kind)
{
    const char *to = wf_str(w->patch, "status");
    return sd_event(w->r, w->c, w->id, 0, kind, w->state, to ? to : w->state, w->text, &w->r->err);
}

/* A step on a work order: its request's state before and after (w->other is
 * the request as the step found it). */
int sd_work_order_event(struct wf *w, const char *kind)
{
    const char *from = wf_str(w->other, "status"), *to = w->step->to;
    static const struct {
        const char *wo, *rq;
    } request_state[] = {{"accepted", "in_progress"}, {"on_hold", "waiting"}, {"done", "resolved"}};
    for (size_t i = 0; i < sizeof(request_state) / sizeof(request_state[0]); i++)
        if (wf_is(to, request_state[i].wo))
            to = request_state[i].rq;
    return sd_event(w->r, w->c, wf_int(w->rec, "request_id"), w->id, kind, from, to, w->text,
                    &w->r->err);
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
    int64_t *users;
    int n, rc = sd_team_users(r, c, team_id, &users, &n, e);
    for (int i = 0; !rc && i < n; i++)
        rc = sd_notify_user(r, c, users[i], request_id, kind, title, e);
    return rc;
}

/* GET /api/v1/service_requests/{id}/timeline: the request's events, oldest
 * first, for whoever may read the request. */
int sd_timeline(struct req *r)
{
    return timeline_render(r, &sd_requests, &sd_events, "request_id");
}
