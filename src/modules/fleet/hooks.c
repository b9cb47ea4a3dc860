/* SPDX-License-Identifier: MIT
 * fleet/hooks.c - the checks on what people write into the register: plates,
 * odometers that never go backwards, the price and displacement limits of
 * the class standards (for a vehicle registered and a renewal planned;
 * exceeded only with a reason from a role allowed to "override"), dispose
 * before replace, a trip request filed by its requester for at most 31 days
 * (their phone as its contact unless they give another), a disposal that
 * takes the vehicle out of service, the tenant's settings. The workflow's
 * own writes (r->server_write) pass.
 */
#include "fleet.h"
#include "../../base/arena.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/setting.h"
#include "../../engine/perm.h"
#include "../../engine/record.h"
#include "../../engine/workflow.h"
#include "../identity/identity.h"
#include "../org/org.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

int64_t fl_setting(struct req *r, struct db_conn *c, const char *name, int64_t dflt)
{
    return setting_int(r, c, &fl_settings, name, dflt, SETTING_NEWEST);
}

int fl_setting_before_write(struct res_write *w)
{
    if (!w->rec || w->r->server_write)
        return 0;
    const char *name = wf_str(w->rec, "name");
    int64_t v = wf_int(w->rec, "value");
    /* a ratio below 100 % would call every distance unusual; a speed or a
     * number of trips of 0 would ask about every trip */
    int64_t least = wf_is(name, "distance_ratio_pct") ? 100
                    : wf_is(name, "max_avg_kmh") || wf_is(name, "distance_min_trips") ? 1
                                                                                       : 0;
    if (v < least) {
        err_field(w->e, "value", "fleet.setting.too_small", "must be at least {min}%lld",
                  (long long)least);
        return err_invalid(w->e);
    }
    return 0;
}

int fl_limits_for(struct req *r, struct db_conn *c, const char *cls, struct fl_limits *nev,
                  struct fl_limits *fuel, struct err *e)
{
    struct db_stmt *st;
    int seen[2] = {0, 0};
    *nev = *fuel = (struct fl_limits){-1, -1};
    int rc = db_prepare_ints(c,
                             "SELECT energy_group, max_price_fen, max_displacement_l FROM "
                             "vehicle_standards WHERE tenant_id = ? AND class = ? ORDER BY id DESC "
                             "LIMIT 64",
                             DB_INTS(r->tenant_id), &st, e);
    if (rc)
        return rc;
    db_bind_text(st, 2, cls ? cls : "", cls ? strlen(cls) : 0);
    while ((rc = db_step(st, e)) == DB_ROW) {
        int g = !strcmp(db_col_text(st, 0, NULL), "electric") ? 0 : 1;
        if (seen[g]++) /* the newest row of a group applies */
            continue;
        struct fl_limits *l = g ? fuel : nev;
        l->price_fen = db_col_is_null(st, 1) ? -1 : db_col_int(st, 1);
        l->disp_tenths = db_col_is_null(st, 2) ? -1 : db_col_int(st, 2);
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static int changed(struct res_write *w, const char *k)
{
    return !w->old || !json_equal(json_object_get(w->old, k), json_object_get(w->rec, k));
}

/* A decimal member in thousandths (millilitres of a displacement); -1 when
 * absent. */
static int64_t milli(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_number(v) ? (int64_t)llround(json_number_value(v) * 1000.0) : -1;
}

/* The class standard on a write of a vehicle (price_fen, displacement_l) or
 * of a renewal (planned_…): a price or displacement over the limit of cls is
 * refused (422 naming the field, with the figures) unless the record carries
 * an over-standard reason, which only a role allowed the "override" verb
 * may give (403) and which names who gave it. */
static int standard_check(struct res_write *w, const char *cls, const char *energy,
                          const char *price_field, const char *disp_field)
{
    const char *why = wf_str(w->rec, "over_standard_reason");
    if (why && !*why) {
        json_object_set_new(w->rec, "over_standard_reason", json_null());
        why = NULL;
    }
    int figures = changed(w, "class") || changed(w, "energy") || changed(w, price_field) ||
                  changed(w, disp_field);
    int given = why && changed(w, "over_standard_reason");
    if (!figures && !given) {
        if (!why)
            json_object_set_new(w->rec, "over_standard_by", json_null());
        return 0;
    }
    struct fl_limits nev, fuel;
    int rc = fl_limits_for(w->r, w->c, cls, &nev, &fuel, w->e);
    if (rc)
        return rc;
    int64_t price = wf_has(w->rec, price_field) ? wf_int(w->rec, price_field) : -1;
    int64_t ml = milli(w->rec, disp_field);
    int over = fl_standard_over(&nev, &fuel, energy, price, ml);
    if (over && !why) {
        const struct fl_limits *p = fl_new_energy(energy) ? &nev : &fuel;
        if (over & FL_OVER_PRICE)
            err_field(w->e, price_field, "fleet.standard.price",
                      "{price_fen}%lld fen is over the limit of {limit_fen}%lld fen for a "
                      "{class}%s vehicle ({energy}%s): a role allowed to approve exceptions may "
                      "register it with over_standard_reason",
                      (long long)price, (long long)p->price_fen, cls, energy);
        if (over & FL_OVER_DISPLACEMENT)
            err_field(w->e, disp_field, "fleet.standard.displacement",
                      "{displacement_l}%g L is over the limit of {limit_l}%g L for a {class}%s "
                      "vehicle ({energy}%s): a role allowed to approve exceptions may register it "
                      "with over_standard_reason",
                      (double)ml / 1000.0, (double)fuel.disp_tenths / 10.0, cls, energy);
        return err_invalid(w->e);
    }
    if (why && (given || over)) {
        if (w->r->who && perm_scope(w->r, w->ent, "override") == SCOPE_NONE)
            return err_set(w->e, ERR_FORBIDDEN, "over_standard_reason",
                           "fleet.standard.override_role",
                           "only a role allowed to approve exceptions may exceed the standard");
        json_object_set_new(w->rec, "over_standard_by", wf_actor(w->r));
    } else if (!why) {
        json_object_set_new(w->rec, "over_standard_by", json_null());
    }
    return 0;
}

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
    if (!w->rec || w->r->server_write)
        return 0;
    /* the plate is the engine's: its format (GA 36) checked and normalised on the way in */
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
    const char *energy = wf_str(w->rec, "energy");
    int rc = standard_check(w, wf_str(w->rec, "class"), energy ? energy : "petrol", "price_fen",
                            "displacement_l");
    if (rc)
        return rc;
    int64_t pred = wf_int(w->rec, "replaces_id");
    if (!pred || (w->old && pred == wf_int(w->old, "replaces_id")))
        return 0;
    if (pred == w->id) {
        err_field(w->e, "replaces_id", "fleet.vehicle.replaces_itself",
                  "cannot name the vehicle itself");
        return err_invalid(w->e);
    }
    rc = rec_lock(w->r, w->c, &fl_vehicles, pred, w->e);
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
        /* the driver calls the requester: their phone unless they give another */
        const char *name, *phone = NULL, *given = wf_str(w->rec, "contact_phone");
        if ((!given || !*given) && u.person_id &&
            (rc = org_person_contact(w->r, w->c, u.person_id, &name, &phone, w->e)) < 0)
            return rc;
        const struct res_field *f = res_field_find(&fl_requests, "contact_phone", 13);
        if ((!given || !*given) && phone && strlen(phone) <= 20 && f && res_pattern_ok(f, phone))
            json_object_set_new(w->rec, "contact_phone", json_string(phone));
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
    int rc = 0;
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
    /* the new vehicle keeps to its class standard: the class and energy of
     * the one it replaces unless the item names others */
    const char *cls = wf_str(w->rec, "class"), *energy = wf_str(w->rec, "energy");
    if (!cls || !energy) {
        json_t *v = NULL;
        if ((rc = wf_load(w->r, w->c, &fl_vehicles, vehicle, &v, w->e)) == -ERR_NOT_FOUND) {
            err_clear(w->e); /* refused by the reference check */
            return 0;
        }
        if (rc)
            return rc;
        cls = cls ? cls : wf_str(v, "class");
        energy = energy ? energy : wf_str(v, "energy");
    }
    if ((rc = standard_check(w, cls, energy ? energy : "petrol", "planned_price_fen",
                             "planned_displacement_l")))
        return rc;
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
