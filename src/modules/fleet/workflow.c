/* SPDX-License-Identifier: MIT
 * fleet/workflow.c - the rules of the steps that entities.c declares (the
 * workflow kit runs them, engine/workflow.h): dispatch that refuses an
 * overlap even when two dispatchers race and a car still out past the end
 * of its trip, the driver's start and close with the odometer never going
 * backwards and a reason asked for what looks implausible (a start far from
 * the planned time, an average speed no car reaches, a distance far from the
 * usual for the destination), cancellation that frees the car and the
 * driver, repairs, and disposals that take the car off the register.
 *
 * Race-proof dispatch: the kit locks the request's row; dispatch then locks
 * the vehicle's row, then the driver's (always in that order, so two
 * dispatches cannot deadlock), and only then looks for an overlapping
 * dispatched request. On PostgreSQL under READ COMMITTED a second dispatcher
 * waits on the lock and its overlap query then sees the first one's
 * committed request; on SQLite the write transaction (BEGIN IMMEDIATE)
 * already serialises writers. A trip's steps lock its request first
 * (.lock), so a trip and its request are always locked in the same order.
 */
#include "fleet.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/record.h"
#include "../../engine/workflow.h"
#include "../notify/notify.h"

#include <stdio.h>
#include <string.h>

#define MAX_TRIP_KM 10000 /* a single trip longer than this is a typing error */

int64_t fl_local_day(struct req *r, int64_t t)
{
    int64_t s = t + (int64_t)r->utc_offset_min * 60;
    return s >= 0 ? s / 86400 : (s - 86399) / 86400;
}

static json_t *date_json(int64_t day)
{
    char b[16];
    date_format(day, b, sizeof(b));
    return json_string(b);
}

/* One integer of sql's row for (tenant, id); 0 when there is none. */
static int one_int(struct req *r, struct db_conn *c, const char *sql, int64_t id, int64_t *out)
{
    int rc = db_one_int(c, sql, DB_INTS(r->tenant_id, id), out, &r->err);
    return rc < 0 ? rc : 0;
}

int fl_dispatched_count(struct req *r, struct db_conn *c, int64_t vehicle, int64_t *n,
                        struct err *e)
{
    (void)e;
    return one_int(r, c,
                   "SELECT COUNT(*) FROM trip_requests WHERE tenant_id = ? AND vehicle_id = ? AND "
                   "status = 'dispatched'",
                   vehicle, n);
}

int fl_trip_of(struct req *r, struct db_conn *c, int64_t request, int64_t *trip)
{
    return one_int(r, c, "SELECT id FROM trips WHERE tenant_id = ? AND request_id = ?", request,
                   trip);
}

/* A dispatched request of a vehicle (or driver) overlapping [from, to), other
 * than request self; 0 when none. */
static int overlap(struct wf *w, int driver, int64_t who, int64_t from, int64_t to, int64_t *other)
{
    struct db_stmt *st;
    struct req *r = w->r;
    *other = 0;
    int rc = db_prepare(w->c,
                        driver ? "SELECT id FROM trip_requests WHERE tenant_id = ? AND "
                                 "driver_id = ? AND status = 'dispatched' AND start_at < ? AND "
                                 "end_at > ? AND id <> ? LIMIT 1"
                               : "SELECT id FROM trip_requests WHERE tenant_id = ? AND "
                                 "vehicle_id = ? AND status = 'dispatched' AND start_at < ? AND "
                                 "end_at > ? AND id <> ? LIMIT 1",
                        &st, &r->err);
    if (rc)
        return rc;
    db_bind_int(st, 1, r->tenant_id);
    db_bind_int(st, 2, who);
    db_bind_int(st, 3, to);
    db_bind_int(st, 4, from);
    db_bind_int(st, 5, w->id);
    if ((rc = db_step(st, &r->err)) == DB_ROW)
        *other = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* "YYYY-MM-DD HH:MM" of instant t in the tenant's zone, for a message. */
static const char *local_time(struct req *r, int64_t t)
{
    char b[40];
    time_format_rfc3339(t, r->utc_offset_min, b, sizeof(b));
    b[10] = ' ';
    b[16] = 0;
    return arena_strdup(r->a, b);
}

/* The trip of a vehicle under way past its planned end at now: its request
 * and that request's end; 0 when none. */
static int overdue_trip(struct req *r, struct db_conn *c, int64_t vehicle, int64_t now,
                        int64_t *request, int64_t *due)
{
    struct db_stmt *st;
    *request = *due = 0;
    int rc = db_prepare_ints(c,
                             "SELECT q.id, q.end_at FROM trips t JOIN trip_requests q ON "
                             "q.tenant_id = t.tenant_id AND q.id = t.request_id WHERE t.tenant_id "
                             "= ? AND t.vehicle_id = ? AND t.status = 'in_progress' AND q.end_at < "
                             "? ORDER BY q.end_at, q.id LIMIT 1",
                             DB_INTS(r->tenant_id, vehicle, now), &st, &r->err);
    if (rc)
        return rc;
    if ((rc = db_step(st, &r->err)) == DB_ROW) {
        *request = db_col_int(st, 0);
        *due = db_col_int(st, 1);
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* ---- trip requests ---- */

/* dispatch: the vehicle and the driver fit, and neither is taken meanwhile */
int fl_dispatch_check(struct wf *w)
{
    struct req *r = w->r;
    int64_t vid = wf_int(w->body, "vehicle_id"), did = wf_int(w->body, "driver_id");
    json_t *v, *d;
    /* vehicle first, then driver: the lock order every dispatch keeps */
    int rc = rec_lock(r, w->c, &fl_vehicles, vid, &r->err);
    if (rc == 1)
        err_field(&r->err, "vehicle_id", "fleet.vehicle.unknown",
                  "is not a vehicle of this register");
    if (rc >= 0 && (rc = rec_lock(r, w->c, &fl_drivers, did, &r->err)) == 1)
        err_field(&r->err, "driver_id", "fleet.driver.unknown", "is not a driver of this register");
    if (r->err.nitems)
        return err_invalid(&r->err);
    if (rc || (rc = wf_load(r, w->c, &fl_vehicles, vid, &v, &r->err)) ||
        (rc = wf_load(r, w->c, &fl_drivers, did, &d, &r->err)))
        return rc;
    const char *plate = wf_str(v, "plate"), *vs = wf_str(v, "status"), *name = wf_str(d, "name");
    const char *lic = wf_str(d, "licence_class"), *until = wf_str(d, "licence_until");
    int64_t from = wf_time(w->rec, "start_at"), to = wf_time(w->rec, "end_at"), other;
    int64_t seats = wf_int(v, "seats"), need = wf_int(w->rec, "seats_needed"), lday = 0;
    int automatic = json_is_true(json_object_get(v, "automatic"));
    if (wf_is(vs, "in_repair") || wf_is(vs, "to_scrap") || wf_is(vs, "scrapped"))
        return wf_conflict(w, "fleet.dispatch.vehicle_out", "vehicle {plate}%s is {status}%s",
                           plate, vs);
    /* a car still out past the end of its trip is not free */
    int64_t late_rq = 0, due = 0, now = clock_now();
    if (wf_is(vs, "on_trip") && (rc = overdue_trip(r, w->c, vid, now, &late_rq, &due)))
        return rc;
    if (wf_is(vs, "on_trip") && late_rq &&
        fl_still_out(due, now, from,
                     fl_setting(r, w->c, "overdue_hold_min", FL_OVERDUE_HOLD_MIN)))
        return wf_conflict(w, "fleet.dispatch.vehicle_overdue",
                           "vehicle {plate}%s is still out on request {request}%lld, due back at "
                           "{due}%s: this request starts before it is back",
                           plate, (long long)late_rq, local_time(r, due));
    if (seats < need)
        err_field(&r->err, "vehicle_id", "fleet.dispatch.seats",
                  "has {seats}%lld seats; the request needs {need}%lld", (long long)seats,
                  (long long)need);
    if (!until || date_parse(until, strlen(until), &lday))
        lday = 0;
    if (!json_is_true(json_object_get(d, "active")))
        err_field(&r->err, "driver_id", "fleet.dispatch.driver_inactive",
                  "{name}%s is not an active driver", name);
    else if (lday < fl_local_day(r, to - 1))
        err_field(&r->err, "driver_id", "fleet.dispatch.licence_expired",
                  "{name}%s's licence is valid until {date}%s, before the trip ends", name,
                  until ? until : "?");
    else if (!fl_licence_fits(lic, seats, automatic))
        err_field(&r->err, "driver_id", "fleet.dispatch.licence_class",
                  "licence class {licence}%s may not drive {plate}%s ({seats}%lld seats%s)", lic,
                  plate, (long long)seats, automatic ? "" : ", manual");
    if (r->err.nitems)
        return err_invalid(&r->err);
    if ((rc = overlap(w, 0, vid, from, to, &other)))
        return rc;
    if (other)
        return wf_conflict(w, "fleet.dispatch.vehicle_busy",
                           "vehicle {plate}%s is dispatched to request {request}%lld at an "
                           "overlapping time",
                           plate, (long long)other);
    if ((rc = overlap(w, 1, did, from, to, &other)))
        return rc;
    if (other)
        return wf_conflict(w, "fleet.dispatch.driver_busy",
                           "driver {name}%s is dispatched to request {request}%lld at an "
                           "overlapping time",
                           name, (long long)other);
    json_object_set_new(w->patch, "vehicle_id", json_integer(vid));
    json_object_set_new(w->patch, "driver_id", json_integer(did));
    json_object_set(w->patch, "driver_user_id", json_object_get(d, "user_id"));
    return 0;
}

/* …then the trip the driver will drive, and who is told */
int fl_dispatch_then(struct wf *w)
{
    struct req *r = w->r;
    int64_t trip, du = wf_int(w->patch, "driver_user_id");
    json_t *v, *d;
    int rc = wf_load(r, w->c, &fl_vehicles, wf_int(w->patch, "vehicle_id"), &v, &r->err);
    if (rc || (rc = wf_load(r, w->c, &fl_drivers, wf_int(w->patch, "driver_id"), &d, &r->err)))
        return rc;
    json_t *tp = json_pack("{s:I,s:O,s:O,s:O,s:s}", "request_id", (json_int_t)w->id, "vehicle_id",
                           json_object_get(w->patch, "vehicle_id"), "driver_id",
                           json_object_get(w->patch, "driver_id"), "driver_user_id",
                           json_object_get(w->patch, "driver_user_id"), "status", "planned");
    if (tp && w->text) /* the dispatcher's note, on the driver's card */
        json_object_set_new(tp, "dispatch_note", json_string(w->text));
    char text[300];
    snprintf(text, sizeof(text), "%s，驾驶员 %s", wf_str(v, "plate"), wf_str(d, "name"));
    int64_t requester = wf_int(w->rec, "requester_id");
    if ((rc = wf_create(r, w->c, &fl_trips, tp, &trip, &r->err)))
        return rc;
    if (requester && requester != r->user_id &&
        (rc = notify_user(r, w->c, requester, "fleet.dispatched", "用车申请已派车", text,
                          "trip_requests", w->id, &r->err)))
        return rc;
    if (du && du != r->user_id)
        rc = notify_user(r, w->c, du, "fleet.trip", "您有新的出车任务", wf_str(w->rec, "purpose"),
                         "trips", trip, &r->err);
    return rc;
}

/* cancel: a dispatched request frees its car and driver; a trip under way is
 * closed by its driver instead */
int fl_cancel_check(struct wf *w)
{
    struct req *r = w->r;
    int64_t trip = 0;
    json_t *t;
    if (!wf_is(w->state, "dispatched"))
        return 0;
    /* the same lock order as dispatch: vehicle, then driver */
    int rc = rec_lock(r, w->c, &fl_vehicles, wf_int(w->rec, "vehicle_id"), &r->err);
    if (rc >= 0)
        rc = rec_lock(r, w->c, &fl_drivers, wf_int(w->rec, "driver_id"), &r->err);
    if (rc < 0 || (rc = fl_trip_of(r, w->c, w->id, &trip)) || !trip)
        return rc < 0 ? rc : 0;
    if ((rc = wf_load(r, w->c, &fl_trips, trip, &t, &r->err)))
        return rc;
    if (!wf_is(wf_str(t, "status"), "planned"))
        return wf_conflict(w, "fleet.cancel.trip_started",
                           "the trip is {status}%s: the driver closes it instead",
                           wf_str(t, "status"));
    return wf_update(r, w->c, &fl_trips, trip, json_pack("{s:s}", "status", "cancelled"), &r->err);
}

/* ---- trips ---- */

/* A trip's steps lock its request first, as the request's steps do. */
int fl_trip_lock(struct wf *w)
{
    int64_t rq;
    int rc = one_int(w->r, w->c, "SELECT request_id FROM trips WHERE tenant_id = ? AND id = ?",
                     w->id, &rq);
    if (rc || !rq)
        return rc;
    rc = rec_lock(w->r, w->c, &fl_requests, rq, &w->r->err);
    return rc < 0 ? rc : 0;
}

/* The vehicle of a trip, locked; its last reading: the higher of its
 * odometer and the end of its last closed trip. */
static int trip_vehicle(struct wf *w, json_t **v, int64_t *last)
{
    struct req *r = w->r;
    int64_t vid = wf_int(w->rec, "vehicle_id"), end;
    int rc = rec_lock(r, w->c, &fl_vehicles, vid, &r->err);
    if (rc > 0)
        return err_set(&r->err, ERR_INTERNAL, NULL, NULL, "the trip's vehicle is gone");
    if (rc || (rc = wf_load(r, w->c, &fl_vehicles, vid, v, &r->err)) ||
        (rc = one_int(r, w->c,
                      "SELECT end_km FROM trips WHERE tenant_id = ? AND vehicle_id = ? AND "
                      "status = 'closed' AND end_km IS NOT NULL ORDER BY ended_at DESC, id DESC "
                      "LIMIT 1",
                      vid, &end)))
        return rc;
    *last = wf_int(*v, "odometer_km") > end ? wf_int(*v, "odometer_km") : end;
    return 0;
}

/* The driver's reason for what looks implausible; NULL when none. The
 * step's text goes into the trip's note only when the note is given. */
static const char *confirm_reason(struct wf *w)
{
    const char *why = wf_str(w->body, "reason"), *note = wf_str(w->body, "note");
    if (!note || !*note)
        json_object_del(w->patch, "note");
    return why && *why ? why : NULL;
}

static int start_km_ok(struct wf *w, int64_t km, int64_t last)
{
    if (km >= last)
        return 0;
    return wf_invalid(w, "start_km", "fleet.trip.start_km_back",
                      "must be at least {km}%lld km, the vehicle's last reading", (long long)last);
}

int fl_start_check(struct wf *w)
{
    json_t *v;
    int64_t last;
    int rc = trip_vehicle(w, &v, &last);
    if (rc)
        return rc;
    if (!wf_is(wf_str(v, "status"), "available"))
        return wf_conflict(w, "fleet.trip.vehicle_not_free", "the vehicle is {status}%s",
                           wf_str(v, "status"));
    if ((rc = start_km_ok(w, wf_int(w->body, "start_km"), last)))
        return rc;
    /* far from the planned start: the driver says why */
    json_t *rq;
    struct req *r = w->r;
    if ((rc = wf_load(r, w->c, &fl_requests, wf_int(w->rec, "request_id"), &rq, &r->err)))
        return rc;
    int64_t planned = wf_time(rq, "start_at"), now = clock_now();
    int64_t window = fl_setting(r, w->c, "start_window_min", FL_START_WINDOW_MIN);
    const char *why = confirm_reason(w);
    if (fl_start_off(planned, now, window) && !why && now < planned)
        return wf_invalid(w, "reason", "fleet.trip.confirm_early",
                          "the trip is planned to start at {planned}%s, {minutes}%lld minutes "
                          "from now, more than {window_min}%lld: give a reason to start it now",
                          local_time(r, planned), (long long)((planned - now) / 60),
                          (long long)window);
    if (fl_start_off(planned, now, window) && !why)
        return wf_invalid(w, "reason", "fleet.trip.confirm_late",
                          "the trip was planned to start at {planned}%s, {minutes}%lld minutes "
                          "ago, more than {window_min}%lld: give a reason to start it now",
                          local_time(r, planned), (long long)((now - planned) / 60),
                          (long long)window);
    if (why)
        json_object_set_new(w->patch, "start_reason", json_string(why));
    json_object_set(w->patch, "start_km", json_object_get(w->body, "start_km"));
    return wf_update(w->r, w->c, &fl_vehicles, wf_int(w->rec, "vehicle_id"),
                     json_pack("{s:s}", "status", "on_trip"), &w->r->err);
}

/* A cost of a trip (tolls, parking, fuel paid on the way). */
static int trip_cost(struct wf *w, const char *kind, const char *member, int64_t day)
{
    int64_t id, fen = wf_int(w->body, member);
    if (fen <= 0)
        return 0;
    json_t *rec = json_pack("{s:I,s:I,s:s,s:I,s:o,s:s}", "vehicle_id",
                            (json_int_t)wf_int(w->rec, "vehicle_id"), "trip_id", (json_int_t)w->id,
                            "kind", kind, "amount_fen", (json_int_t)fen, "incurred_on",
                            date_json(day), "note", "出车记录登记");
    return wf_create(w->r, w->c, &fl_costs, rec, &id, &w->r->err);
}

/* Distances of the last closed trips to destination (other than this one),
 * at most 20; their median in *usual. */
static int usual_distance(struct wf *w, const char *destination, int64_t *usual, int *n)
{
    struct req *r = w->r;
    struct db_stmt *st;
    int64_t v[20];
    *n = 0;
    *usual = 0;
    int rc = db_prepare_ints(w->c,
                             "SELECT t.distance_km FROM trips t JOIN trip_requests q ON "
                             "q.tenant_id = t.tenant_id AND q.id = t.request_id WHERE t.tenant_id "
                             "= ? AND t.status = 'closed' AND t.distance_km IS NOT NULL AND t.id "
                             "<> ? AND q.destination = ? ORDER BY t.ended_at DESC, t.id DESC "
                             "LIMIT 20",
                             DB_INTS(r->tenant_id, w->id), &st, &r->err);
    if (rc)
        return rc;
    db_bind_text(st, 3, destination, strlen(destination));
    while (*n < 20 && (rc = db_step(st, &r->err)) == DB_ROW)
        v[(*n)++] = db_col_int(st, 0);
    db_reset(st);
    if (rc < 0)
        return rc;
    *usual = fl_median(v, *n);
    return 0;
}

/* A closing that looks implausible (an average speed no car reaches, a
 * distance far from the usual for the destination) needs the driver's
 * reason: refused without one (422 on reason, every doubt with its figures),
 * kept on the trip with one. */
static int plausible(struct wf *w, json_t *rq, int64_t km, int64_t secs)
{
    struct req *r = w->r;
    const char *why = confirm_reason(w), *dest = wf_str(rq, "destination");
    int64_t max_kmh = fl_setting(r, w->c, "max_avg_kmh", FL_MAX_AVG_KMH), usual;
    int n;
    if (secs < 0)
        secs = 0;
    if (fl_too_fast(km, secs, max_kmh))
        err_field(&r->err, "reason", "fleet.trip.confirm_speed",
                  "{distance_km}%lld km in {minutes}%lld minutes is faster than {max_kmh}%lld "
                  "km/h on average: give a reason",
                  (long long)km, (long long)(secs / 60), (long long)max_kmh);
    int rc = dest ? usual_distance(w, dest, &usual, &n) : 0;
    if (rc)
        return rc;
    if (dest && n >= fl_setting(r, w->c, "distance_min_trips", FL_DISTANCE_MIN_TRIPS) &&
        fl_distance_unusual(km, usual,
                            fl_setting(r, w->c, "distance_ratio_pct", FL_DISTANCE_RATIO_PCT),
                            fl_setting(r, w->c, "distance_slack_km", FL_DISTANCE_SLACK_KM)))
        err_field(&r->err, "reason", "fleet.trip.confirm_distance",
                  "{distance_km}%lld km is far from the usual {usual_km}%lld km to "
                  "{destination}%s (the last {trips}%d trips): give a reason",
                  (long long)km, (long long)usual, dest, n);
    if (r->err.nitems && !why)
        return err_invalid(&r->err);
    err_clear(&r->err);
    if (why)
        json_object_set_new(w->patch, "close_reason", json_string(why));
    return 0;
}

int fl_close_check(struct wf *w)
{
    struct req *r = w->r;
    json_t *v;
    int64_t last, now = clock_now(), end_km = wf_int(w->body, "end_km"), start_km;
    int started = wf_is(w->state, "in_progress");
    int rc = trip_vehicle(w, &v, &last);
    if (rc)
        return rc;
    start_km = wf_int(w->body, "start_km");
    if (started) {
        if (wf_has(w->body, "start_km") && start_km != wf_int(w->rec, "start_km"))
            return wf_invalid(w, "start_km", "fleet.trip.start_km_fixed",
                              "was recorded when the trip started");
        start_km = wf_int(w->rec, "start_km");
    } else if (!wf_has(w->body, "start_km")) {
        return wf_invalid(w, "start_km", "fleet.trip.start_km_required",
                          "is required: the trip was not started");
    } else if ((rc = start_km_ok(w, start_km, last))) {
        return rc;
    }
    if (end_km < start_km)
        return wf_invalid(w, "end_km", "fleet.trip.end_km_back",
                          "must be at least {km}%lld km, the odometer when it left",
                          (long long)start_km);
    if (end_km - start_km > MAX_TRIP_KM)
        return wf_invalid(w, "end_km", "fleet.trip.too_far", "more than {km}%d km on one trip",
                          MAX_TRIP_KM);
    int64_t t0 = started ? wf_time(w->rec, "started_at") : 0;
    json_t *rq;
    if ((rc = wf_load(r, w->c, &fl_requests, wf_int(w->rec, "request_id"), &rq, &r->err)))
        return rc;
    if (!started)
        t0 = wf_time(rq, "start_at") > now ? now : wf_time(rq, "start_at");
    if ((rc = plausible(w, rq, end_km - start_km, now - t0)))
        return rc;
    json_t *p = w->patch;
    json_object_set_new(p, "start_km", json_integer(start_km));
    json_object_set_new(p, "end_km", json_integer(end_km));
    json_object_set_new(p, "distance_km", json_integer(end_km - start_km));
    json_object_set_new(p, "started_at", wf_time_json(r, t0));
    json_object_set_new(p, "ended_at", wf_time_json(r, now));
    static const char *const copied[] = {"fuel_l", "energy_kwh", "tolls_fen", "parking_fen"};
    for (size_t i = 0; i < sizeof(copied) / sizeof(copied[0]); i++)
        json_object_set(p, copied[i],
                        wf_has(w->body, copied[i]) ? json_object_get(w->body, copied[i])
                                                   : json_null());
    /* the vehicle's odometer moves on and it is free again */
    json_t *vp = json_object();
    if (end_km > wf_int(v, "odometer_km"))
        json_object_set_new(vp, "odometer_km", json_integer(end_km));
    if (wf_is(wf_str(v, "status"), "on_trip"))
        json_object_set_new(vp, "status", json_string("available"));
    return wf_update(r, w->c, &fl_vehicles, wf_int(w->rec, "vehicle_id"), vp, &r->err);
}

/* …and its request is completed, with what was paid on the way as costs */
int fl_close_then(struct wf *w)
{
    struct req *r = w->r;
    int64_t day = fl_local_day(r, clock_now());
    json_t *rp = json_pack("{s:s}", "status", "completed");
    if (rp)
        json_object_set_new(rp, "closed_at", wf_time_json(r, clock_now()));
    int rc = wf_update(r, w->c, &fl_requests, wf_int(w->rec, "request_id"), rp, &r->err);
    if (!rc && !(rc = trip_cost(w, "tolls", "tolls_fen", day)) &&
        !(rc = trip_cost(w, "parking", "parking_fen", day)))
        rc = trip_cost(w, "fuel", "fuel_fen", day);
    return rc;
}

/* ---- vehicles and disposals ---- */

int fl_repair_check(struct wf *w)
{
    int64_t n = 0;
    int rc = fl_dispatched_count(w->r, w->c, w->id, &n, &w->r->err);
    if (!rc && n)
        rc = wf_conflict(w, "fleet.vehicle.dispatched",
                         "the vehicle has {n}%lld dispatched trip(s): cancel or re-dispatch them "
                         "first",
                         (long long)n);
    return rc;
}

/* a rejected disposal gives the vehicle back to service */
int fl_disposal_rejected(struct wf *w)
{
    return wf_update(w->r, w->c, &fl_vehicles, wf_int(w->rec, "vehicle_id"),
                     json_pack("{s:s}", "status", "available"), &w->r->err);
}

int fl_dispose_check(struct wf *w)
{
    const char *method = wf_str(w->body, "method"), *on = wf_str(w->body, "disposed_on");
    if (!method && !(method = wf_str(w->rec, "method")))
        return wf_invalid(w, "method", "fleet.dispose.method_required",
                          "is required: how was it disposed of");
    json_object_set_new(w->patch, "method", json_string(method));
    json_object_set_new(w->patch, "disposed_on",
                        on ? json_string(on) : date_json(fl_local_day(w->r, clock_now())));
    json_object_set(w->patch, "proceeds_fen",
                    wf_has(w->body, "proceeds_fen") ? json_object_get(w->body, "proceeds_fen")
                                                    : json_null());
    return wf_update(w->r, w->c, &fl_vehicles, wf_int(w->rec, "vehicle_id"),
                     json_pack("{s:s}", "status", "scrapped"), &w->r->err);
}
