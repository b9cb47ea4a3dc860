/* SPDX-License-Identifier: MIT
 * fleet/hooks.c - the checks on what people write into the register: plates,
 * odometers that never go backwards, dispose before replace, a trip request
 * filed by its requester for at most 31 days, a disposal that takes the
 * vehicle out of service. The workflow's own writes (r->server_write) pass.
 */
#include "fleet.h"
#include "../../base/arena.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/record.h"
#include "../../engine/workflow.h"
#include "../identity/identity.h"
#include "../org/org.h"

#include <jansson.h>
#include <string.h>

int fl_assigned_driver(struct req *r, struct db_conn *c, int64_t **ids, int *n, struct err *e)
{
    (void)c;
    (void)e;
    *n = 0;
    *ids = arena_alloc(r->a, sizeof(int64_t));
    if (!*ids || !r->who)
        return -1;
    (*ids)[0] = r->user_id;
    *n = 1;
    return 0;
}

/* A vehicle that has to be disposed of first: 0, or 409 naming it. */
static int disposed_first(struct req *r, struct db_conn *c, int64_t vehicle, const char *field,
                          struct err *e)
{
    json_t *v = NULL;
    int rc = wf_load(r, c, &fl_vehicles, vehicle, &v, e);
    if (rc)
        return rc;
    if (wf_is(wf_str(v, "status"), "scrapped"))
        return 0;
    const char *plate = wf_str(v, "plate");
    return err_set(e, ERR_CONFLICT, field, "fleet.vehicle.dispose_first",
                   "{plate}%s has not been disposed of yet: dispose before replacing "
                   "(先处置后更新)",
                   plate ? plate : "?");
}

int fl_vehicle_before_write(struct res_write *w)
{
    struct err_item why;
    if (!w->rec || w->r->server_write)
        return 0;
    if (fl_plate_check(wf_str(w->rec, "plate"), &why))
        err_add(w->e, "plate", &why);
    if (w->old && wf_int(w->rec, "odometer_km") < wf_int(w->old, "odometer_km"))
        err_field(w->e, "odometer_km", "fleet.vehicle.odometer_back",
                  "must not go backwards (it reads {km}%lld km)",
                  (long long)wf_int(w->old, "odometer_km"));
    json_t *disp = json_object_get(w->rec, "displacement_l");
    if (wf_is(wf_str(w->rec, "energy"), "electric") && json_is_number(disp) &&
        json_number_value(disp) > 0)
        err_field(w->e, "displacement_l", "fleet.vehicle.electric_displacement",
                  "an electric vehicle has no displacement");
    if (w->e->nitems)
        return err_invalid(w->e);
    int64_t pred = wf_int(w->rec, "replaces_id");
    if (!pred || (w->old && pred == wf_int(w->old, "replaces_id")))
        return 0;
    if (pred == w->id) {
        err_field(w->e, "replaces_id", "fleet.vehicle.replaces_itself",
                  "cannot name the vehicle itself");
        return err_invalid(w->e);
    }
    int rc = rec_lock(w->r, w->c, &fl_vehicles, pred, w->e);
    if (rc == 1) {
        err_field(w->e, "replaces_id", "fleet.vehicle.unknown",
                  "is not a vehicle of this register");
        return err_invalid(w->e);
    }
    return rc ? rc : disposed_first(w->r, w->c, pred, "replaces_id", w->e);
}

int fl_driver_before_write(struct res_write *w)
{
    const char *name;
    if (!w->rec || w->r->server_write)
        return 0;
    int rc = org_person(w->r, w->c, wf_int(w->rec, "person_id"), &name, NULL, w->e);
    if (!rc && name) /* an unknown person is refused by the reference check */
        json_object_set_new(w->rec, "name", json_string(name));
    return rc;
}

int fl_request_before_write(struct res_write *w)
{
    if (!w->rec || w->r->server_write)
        return 0;
    if (w->old && !wf_is(wf_str(w->old, "status"), "submitted"))
        return err_set(w->e, ERR_CONFLICT, NULL, "fleet.request.locked",
                       "a trip request can be changed only until it is approved (it is "
                       "{status}%s)",
                       wf_str(w->old, "status"));
    int64_t from = wf_time(w->rec, "start_at"), to = wf_time(w->rec, "end_at");
    if (to <= from)
        err_field(w->e, "end_at", "field.after_start", "must be after start_at");
    else if (to - from > (int64_t)FL_MAX_TRIP_DAYS * 86400)
        err_field(w->e, "end_at", "fleet.request.too_long",
                  "a request covers at most {days}%d days", FL_MAX_TRIP_DAYS);
    if (w->e->nitems)
        return err_invalid(w->e);
    if (!w->old && w->r->who) {
        struct identity_user u;
        int rc = identity_user(w->r, w->c, w->r->user_id, &u, w->e);
        if (rc)
            return rc;
        json_object_set_new(w->rec, "requester_id", json_integer(w->r->user_id));
        json_object_set_new(w->rec, "department_id",
                            u.department_id ? json_integer(u.department_id) : json_null());
    }
    return 0;
}

int fl_cost_before_write(struct res_write *w)
{
    int64_t trip = w->rec ? wf_int(w->rec, "trip_id") : 0;
    json_t *t = NULL;
    if (!trip || w->r->server_write)
        return 0;
    int rc = wf_load(w->r, w->c, &fl_trips, trip, &t, w->e);
    if (rc == -ERR_NOT_FOUND) { /* refused by the reference check */
        err_clear(w->e);
        return 0;
    }
    if (rc)
        return rc;
    if (wf_int(t, "vehicle_id") != wf_int(w->rec, "vehicle_id")) {
        err_field(w->e, "trip_id", "fleet.cost.other_vehicle", "is a trip of another vehicle");
        return err_invalid(w->e);
    }
    return 0;
}

int fl_item_before_write(struct res_write *w)
{
    if (!w->rec)
        return 0;
    int64_t vehicle = wf_int(w->rec, "vehicle_id"), plan = wf_int(w->rec, "plan_id");
    int rc;
    if (!w->old || vehicle != wf_int(w->old, "vehicle_id") || plan != wf_int(w->old, "plan_id")) {
        json_t *p = NULL;
        if ((rc = wf_load(w->r, w->c, &fl_plans, plan, &p, w->e)) == -ERR_NOT_FOUND) {
            err_clear(w->e);
            err_field(w->e, "plan_id", "fleet.plan.unknown", "is not a renewal plan");
            return err_invalid(w->e);
        }
        if (rc)
            return rc;
        int year = (int)wf_int(p, "year");
        if ((rc = fl_vehicle_eligible(w->r, w->c, vehicle, year, w->e)) < 0)
            return rc;
        if (!rc) {
            err_field(w->e, "vehicle_id", "fleet.plan.not_eligible",
                      "does not meet the renewal conditions in {year}%d", year);
            return err_set(w->e, ERR_INVALID, NULL, "fleet.plan.not_eligible",
                           "vehicle {vehicle}%lld is not eligible for renewal in {year}%d (see "
                           "GET /api/v1/fleet/renewal?year=%d)",
                           (long long)vehicle, year, year);
        }
    }
    int64_t repl = wf_int(w->rec, "replacement_id");
    if (!repl || (w->old && repl == wf_int(w->old, "replacement_id")))
        return 0;
    if (repl == vehicle) {
        err_field(w->e, "replacement_id", "fleet.plan.replaces_itself",
                  "cannot be the vehicle it replaces");
        return err_invalid(w->e);
    }
    return disposed_first(w->r, w->c, vehicle, "replacement_id", w->e);
}

int fl_disposal_before_write(struct res_write *w)
{
    if (!w->rec || w->r->server_write)
        return 0;
    if (w->old) {
        if (!wf_is(wf_str(w->old, "status"), "applied"))
            return err_set(w->e, ERR_CONFLICT, NULL, "fleet.disposal.locked",
                           "a disposal can be changed only until it is approved (it is "
                           "{status}%s)",
                           wf_str(w->old, "status"));
        if (wf_int(w->old, "vehicle_id") != wf_int(w->rec, "vehicle_id"))
            return err_set(w->e, ERR_CONFLICT, "vehicle_id", "fleet.disposal.other_vehicle",
                           "apply again for another vehicle instead");
        return 0;
    }
    int64_t vid = wf_int(w->rec, "vehicle_id"), n = 0;
    json_t *v = NULL;
    int rc = rec_lock(w->r, w->c, &fl_vehicles, vid, w->e);
    if (rc == 1) {
        err_field(w->e, "vehicle_id", "fleet.vehicle.unknown", "is not a vehicle of this register");
        return err_invalid(w->e);
    }
    if (rc || (rc = wf_load(w->r, w->c, &fl_vehicles, vid, &v, w->e)))
        return rc;
    const char *st = wf_str(v, "status");
    if (wf_is(st, "scrapped") || wf_is(st, "to_scrap") || wf_is(st, "on_trip"))
        return err_set(w->e, ERR_CONFLICT, NULL, "fleet.disposal.vehicle_state",
                       "vehicle {plate}%s is {status}%s", wf_str(v, "plate"), st);
    if ((rc = fl_dispatched_count(w->r, w->c, vid, &n, w->e)))
        return rc;
    if (n)
        return err_set(w->e, ERR_CONFLICT, NULL, "fleet.vehicle.dispatched",
                       "the vehicle has {n}%lld dispatched trip(s): cancel or re-dispatch them "
                       "first",
                       (long long)n);
    json_object_set_new(w->rec, "status", json_string("applied"));
    if (w->r->who)
        json_object_set_new(w->rec, "applicant_id", json_integer(w->r->user_id));
    return 0;
}

int fl_disposal_after_write(struct res_write *w)
{
    if (!w->rec || w->old || w->r->server_write)
        return 0;
    /* applied: the vehicle leaves service */
    return wf_update(w->r, w->c, &fl_vehicles, wf_int(w->rec, "vehicle_id"),
                     json_pack("{s:s}", "status", "to_scrap"), w->e);
}
