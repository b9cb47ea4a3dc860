/* SPDX-License-Identifier: MIT
 * servicedesk/filing.c - filing and editing a request (the collection's
 * hooks): the type must be offered and some need a place; the request is
 * routed to a team by the first matching rule, timed by its SLA target in
 * working time, and its photos attached. A requester edits it only until
 * someone takes it on. The workflow's own writes (r->server_write) pass.
 */
#include "servicedesk.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/workflow.h"
#include "../files/files.h"
#include "../identity/identity.h"

#include <stdio.h>
#include <string.h>

int sd_route(struct req *r, struct db_conn *c, int64_t type_id, const char *building,
             const char *urgency, int64_t *team_id, struct err *e)
{
    struct db_stmt *st;
    *team_id = 0;
    /* the first active rule (by priority) whose conditions all hold */
    int rc =
        db_prepare_ints(c,
                        "SELECT rr.team_id FROM routing_rules rr JOIN service_teams t ON "
                        "t.tenant_id = rr.tenant_id AND t.id = rr.team_id WHERE rr.tenant_id = ? "
                        "AND rr.active = 1 AND t.active = 1 AND (rr.type_id IS NULL OR "
                        "rr.type_id = ?) AND (rr.building IS NULL OR rr.building = ?) AND "
                        "(rr.urgency IS NULL OR rr.urgency = ?) ORDER BY rr.priority, rr.id "
                        "LIMIT 1",
                        DB_INTS(r->tenant_id, type_id), &st, e);
    if (rc)
        return rc;
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
    return wf_create(r, c, &sd_work_orders, wo, &id, e);
}

/* The type must exist and be active; some types need a place. */
static int check_type(struct req *r, struct db_conn *c, json_t *rec, struct err *e)
{
    json_t *t = NULL;
    int rc = wf_load(r, c, &sd_types, wf_int(rec, "type_id"), &t, e);
    if (rc == -ERR_NOT_FOUND) {
        err_clear(e);
        err_field(e, "type_id", "servicedesk.type.unknown",
                  "is not a service type of this catalogue");
    } else if (rc) {
        return rc;
    } else if (!json_is_true(json_object_get(t, "active"))) {
        err_field(e, "type_id", "servicedesk.type.inactive", "is no longer offered");
    }
    if (t && json_is_true(json_object_get(t, "needs_location")) && !wf_str(rec, "building") &&
        !wf_str(rec, "room") && !wf_str(rec, "location") &&
        !json_is_integer(json_object_get(rec, "room_id")))
        err_field(e, "location", "servicedesk.location",
                  "say where: a building, a room or a description of the place");
    json_t *ph = json_object_get(rec, "photos");
    if (ph && !json_is_null(ph)) {
        size_t i;
        json_t *v;
        if (!json_is_array(ph))
            err_field(e, "photos", "files.ids", "must be a list of file ids");
        else if (json_array_size(ph) > SD_MAX_PHOTOS)
            err_field(e, "photos", "files.too_many", "at most {max}%d photos", SD_MAX_PHOTOS);
        else
            json_array_foreach(ph, i, v) if (!json_is_integer(v) || json_integer_value(v) <= 0)
            {
                err_field(e, "photos", "files.ids", "item {item}%zu is not a file id", i + 1);
                break;
            }
    }
    return e->nitems ? err_invalid(e) : 0;
}

int sd_request_before_write(struct res_write *w)
{
    if (!w->rec || w->r->server_write)
        return 0; /* deletes are refused (no_delete); the workflow's own writes */
    int rc;
    if (w->old && !wf_is(wf_str(w->old, "status"), "submitted") &&
        !wf_is(wf_str(w->old, "status"), "assigned"))
        return err_set(w->e, ERR_CONFLICT, NULL, "servicedesk.request.locked",
                       "a request can be edited only until it is accepted (it is {status}%s)",
                       wf_str(w->old, "status"));
    if ((rc = check_type(w->r, w->c, w->rec, w->e)))
        return rc;
    const char *urgency = wf_str(w->rec, "urgency");
    int64_t type_id = wf_int(w->rec, "type_id");
    if (w->old && type_id == wf_int(w->old, "type_id") && wf_is(urgency, wf_str(w->old, "urgency")))
        return 0;
    /* filed, or its type or urgency changed: route (when not yet routed) and time it */
    if (!w->old || wf_is(wf_str(w->old, "status"), "submitted")) {
        int64_t team = 0;
        if ((rc = sd_route(w->r, w->c, type_id, wf_str(w->rec, "building"),
                           urgency ? urgency : "normal", &team, w->e)))
            return rc;
        json_object_set_new(w->rec, "team_id", team ? json_integer(team) : json_null());
        json_object_set_new(w->rec, "status", json_string(team ? "assigned" : "submitted"));
    }
    if (!w->old && w->r->who) {
        struct identity_user u;
        if ((rc = identity_user(w->r, w->c, w->r->user_id, &u, w->e)))
            return rc;
        json_object_set_new(w->rec, "requester_id", json_integer(w->r->user_id));
        json_object_set_new(w->rec, "department_id",
                            u.department_id ? json_integer(u.department_id) : json_null());
    }
    int64_t from = w->old ? wf_time(w->old, "created_at") : clock_now();
    int64_t respond, resolve;
    if ((rc = sd_due_times(w->r, w->c, type_id, urgency ? urgency : "normal", from, &respond,
                           &resolve, w->e)))
        return rc;
    json_object_set_new(w->rec, "respond_due_at", wf_time_json(w->r, respond));
    json_object_set_new(w->rec, "resolve_due_at", wf_time_json(w->r, resolve));
    return 0;
}

int sd_request_after_write(struct res_write *w)
{
    if (!w->rec || w->r->server_write)
        return 0;
    int rc = files_attach(w->r, w->c, json_object_get(w->rec, "photos"), SD_MAX_PHOTOS, "photos",
                          "service_requests", w->id, w->e);
    if (rc || w->old)
        return rc;
    int64_t team = wf_int(w->rec, "team_id");
    if ((rc = sd_event(w->r, w->c, w->id, 0, "submitted", NULL, "submitted", NULL, w->e)) || !team)
        return rc;
    /* routed by a rule: the server's step, naming the team */
    char note[200];
    json_t *t = NULL;
    if ((rc = wf_load(w->r, w->c, &sd_teams, team, &t, w->e)))
        return rc;
    snprintf(note, sizeof(note), "按派单规则派往%s",
             wf_str(t, "name") ? wf_str(t, "name") : "班组");
    if ((rc = sd_open_work_order(w->r, w->c, w->id, team, 0, w->e)) ||
        (rc = sd_server_event(w->r, w->c, w->id, "assigned", "submitted", "assigned", note, w->e)))
        return rc;
    return sd_notify_team(w->r, w->c, team, w->id, "assigned", "新的服务请求待接单", w->e);
}
