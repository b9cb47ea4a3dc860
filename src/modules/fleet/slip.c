/* SPDX-License-Identifier: MIT
 * fleet/slip.c - GET /api/v1/trip_requests/{id}/slip: the dispatch slip
 * 派车单 of a dispatched or completed request, for printing: the request,
 * who asked, approved and dispatched it, the vehicle, the driver and the
 * trip, each as the caller may see them.
 */
#include "fleet.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../engine/record.h"
#include "../../engine/report.h"
#include "../../engine/rest.h"
#include "../../engine/workflow.h"
#include "../identity/identity.h"
#include "../org/org.h"

#include <stdio.h>

/* Leaves out of o the fields of ent hidden from the caller (role documents). */
static void drop_hidden(struct req *r, const struct res_entity *ent, json_t *o)
{
    for (const struct res_field *f = ent->fields; f->name; f++)
        if (perm_hidden(r, ent, f))
            json_object_del(o, f->name);
}

/* The members keys of from (those it has) as a new object. */
static json_t *pick(json_t *from, const char *const *keys)
{
    json_t *o = json_object();
    for (; *keys; keys++)
        if (json_object_get(from, *keys))
            json_object_set(o, *keys, json_object_get(from, *keys));
    return o;
}

static json_t *user_name(struct req *r, struct db_conn *c, int64_t id, int *rc)
{
    struct identity_user u;
    if (*rc || (*rc = identity_user(r, c, id, &u, &r->err)) || !u.name)
        return json_null();
    return json_string(u.name);
}

int fl_slip(struct req *r)
{
    static const char *const vk[] = {"id",    "plate",  "brand",        "model", "class",
                                     "seats", "energy", "fuel_station", NULL};
    static const char *const dk[] = {"id", "name", "licence_class", "licence_until", "phone", NULL};
    static const char *const tk[] = {"id",         "status",    "started_at",  "ended_at",
                                     "start_km",   "end_km",    "distance_km", "fuel_l",
                                     "energy_kwh", "tolls_fen", "parking_fen", NULL};
    int64_t id, trip = 0;
    json_t *rq = NULL, *v = NULL, *d = NULL, *t = NULL;
    struct db_conn *c;
    int rc = rest_record(r, &fl_requests, "read", &id, &c, &rq);
    if (rc)
        return rc;
    const char *status = wf_str(rq, "status");
    if (!wf_is(status, "dispatched") && !wf_is(status, "completed"))
        return err_set(&r->err, ERR_CONFLICT, NULL, "fleet.slip.not_dispatched",
                       "a slip is printed once the request is dispatched (it is {status}%s)",
                       status);
    if ((rc = wf_load(r, c, &fl_vehicles, wf_int(rq, "vehicle_id"), &v, &r->err)) ||
        (rc = wf_load(r, c, &fl_drivers, wf_int(rq, "driver_id"), &d, &r->err)) ||
        (rc = fl_trip_of(r, c, id, &trip)) ||
        (trip && (rc = wf_load(r, c, &fl_trips, trip, &t, &r->err))))
        return rc;
    drop_hidden(r, &fl_requests, rq);
    drop_hidden(r, &fl_vehicles, v);
    drop_hidden(r, &fl_drivers, d);
    if (t)
        drop_hidden(r, &fl_trips, t);
    char no[40];
    date_format(fl_local_day(r, wf_time(rq, "start_at")), no, sizeof(no));
    snprintf(no + 4, sizeof(no) - 4, "-%06lld", (long long)id);
    const char *dept = NULL;
    rc = org_department_name(r, c, wf_int(rq, "department_id"), &dept, &r->err);
    json_t *doc = json_object();
    json_object_set_new(doc, "no", json_string(no));
    json_object_set_new(doc, "title", json_string("公务用车派车单"));
    json_object_set(doc, "request", rq);
    json_object_set_new(doc, "department", dept ? json_string(dept) : json_null());
    json_object_set_new(doc, "requester", user_name(r, c, wf_int(rq, "requester_id"), &rc));
    json_object_set_new(doc, "approver", user_name(r, c, wf_int(rq, "approver_id"), &rc));
    json_object_set_new(doc, "dispatcher", user_name(r, c, wf_int(rq, "dispatcher_id"), &rc));
    json_object_set_new(doc, "vehicle", pick(v, vk));
    json_object_set_new(doc, "driver", pick(d, dk));
    json_object_set_new(doc, "trip", t ? pick(t, tk) : json_null());
    json_object_set_new(doc, "printed_at", wf_time_json(r, clock_now()));
    if (rc) {
        json_decref(doc);
        return rc;
    }
    return report_send(r, doc);
}
