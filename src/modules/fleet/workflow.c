/* SPDX-License-Identifier: MIT
 * fleet/workflow.c - the register's checks (plates, odometers, dispose
 * before replace), and every step of a trip: filing, approval by someone
 * other than the requester, dispatch that refuses an overlap even when two
 * dispatchers race, the driver's start and close with the odometer never
 * going backwards, cancellation; repairs and disposals of vehicles. Each step
 * is a named action that refuses to run out of order (409), changes nothing
 * when refused (one transaction), is audited and tells the people concerned.
 *
 * Race-proof dispatch: the transaction first locks the vehicle's row, then
 * the driver's (always in that order, so two dispatches cannot deadlock),
 * and only then looks for an overlapping dispatched request. On PostgreSQL
 * under READ COMMITTED a second dispatcher waits on the lock and its overlap
 * query then sees the first one's committed request; on SQLite the write
 * transaction (BEGIN IMMEDIATE) already serialises writers.
 */
#include "fleet.h"
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
#include "../notify/notify.h"

#include <stdio.h>
#include <string.h>

_Thread_local int fl_server_write;

#define MAX_TRIP_KM 10000 /* a single trip longer than this is a typing error */

/* ---- small helpers ---- */

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

static int is(const char *a, const char *b)
{
    return a && !strcmp(a, b);
}

static int conflict(struct req *r, const char *fmt, const char *arg)
{
    return err_set(&r->err, ERR_CONFLICT, NULL, fmt, arg);
}

static int invalid(struct err *e, const char *field, const char *msg)
{
    err_field(e, field, "%s", msg);
    return err_set(e, ERR_INVALID, NULL, "%s %s", field, msg);
}

/* An optional quantity (litres, kWh): a number from 0 to 100,000. */
static json_t *qty_member(struct req *r, json_t *body, const char *k)
{
    json_t *v = json_object_get(body, k);
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 100000) {
        err_field(&r->err, k, "must be a number from 0 to 100000");
        return NULL;
    }
    return v;
}

static int tell(struct req *r, struct db_conn *c, int64_t user, const char *kind, const char *title,
                const char *body, const char *coll, int64_t id, struct err *e)
{
    if (!user || (r->who && user == r->user_id))
        return 0; /* nobody, or the one who did it */
    char k[60];
    snprintf(k, sizeof(k), "fleet.%s", kind);
    return notify_user(r, c, user, k, title, body, coll, id, e);
}

/* Takes the row lock of a vehicle or driver for the rest of the transaction
 * (a no-op update); 0 when the row exists, 1 when it does not. */
static int lock_row(struct req *r, struct db_conn *c, const char *sql, int64_t id, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(c, sql, &st, e);
    if (rc)
        return rc;
    db_bind_int(st, 1, r->tenant_id);
    db_bind_int(st, 2, id);
    rc = db_step(st, e);
    int64_t n = db_changes(st);
    db_reset(st);
    return rc < 0 ? rc : n == 1 ? 0 : 1;
}

static int lock_vehicle(struct req *r, struct db_conn *c, int64_t id, struct err *e)
{
    return lock_row(r, c, "UPDATE vehicles SET version = version WHERE tenant_id = ? AND id = ?",
                    id, e);
}

static int lock_driver(struct req *r, struct db_conn *c, int64_t id, struct err *e)
{
    return lock_row(r, c, "UPDATE drivers SET version = version WHERE tenant_id = ? AND id = ?", id,
                    e);
}

/* A dispatched request of vehicle (or driver) overlapping [from, to), other
 * than request `self`; 0 when none. */
static int overlap(struct req *r, struct db_conn *c, int driver, int64_t who, int64_t from,
                   int64_t to, int64_t self, int64_t *other, struct err *e)
{
    struct db_stmt *st;
    *other = 0;
    int rc = db_prepare(c,
                        driver ? "SELECT id FROM trip_requests WHERE tenant_id = ? AND "
                                 "driver_id = ? AND status = 'dispatched' AND start_at < ? AND "
                                 "end_at > ? AND id <> ? LIMIT 1"
                               : "SELECT id FROM trip_requests WHERE tenant_id = ? AND "
                                 "vehicle_id = ? AND status = 'dispatched' AND start_at < ? AND "
                                 "end_at > ? AND id <> ? LIMIT 1",
                        &st, e);
    if (rc)
        return rc;
    db_bind_int(st, 1, r->tenant_id);
    db_bind_int(st, 2, who);
    db_bind_int(st, 3, to);
    db_bind_int(st, 4, from);
    db_bind_int(st, 5, self);
    rc = db_step(st, e);
    if (rc == DB_ROW)
        *other = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* The vehicle's last reading: the higher of its odometer and the end of its
 * last closed trip. */
static int last_reading(struct req *r, struct db_conn *c, int64_t vehicle, int64_t odometer,
                        int64_t *km, struct err *e)
{
    struct db_stmt *st;
    *km = odometer;
    int rc = db_prepare(c,
                        "SELECT end_km FROM trips WHERE tenant_id = ? AND vehicle_id = ? AND "
                        "status = 'closed' AND end_km IS NOT NULL ORDER BY ended_at DESC, id DESC "
                        "LIMIT 1",
                        &st, e);
    if (rc)
        return rc;
    db_bind_int(st, 1, r->tenant_id);
    db_bind_int(st, 2, vehicle);
    rc = db_step(st, e);
    if (rc == DB_ROW && db_col_int(st, 0) > *km)
        *km = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static int user_department(struct req *r, struct db_conn *c, int64_t user_id, int64_t *dept,
                           struct err *e)
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
    if (rc == DB_ROW && !db_col_is_null(st, 0))
        *dept = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* Dispatched requests of a vehicle that have not ended by now. */
static int future_dispatches(struct req *r, struct db_conn *c, int64_t vehicle, int64_t *n,
                             struct err *e)
{
    struct db_stmt *st;
    *n = 0;
    int rc = db_prepare(c,
                        "SELECT COUNT(*) FROM trip_requests WHERE tenant_id = ? AND vehicle_id = "
                        "? AND status = 'dispatched'",
                        &st, e);
    if (rc)
        return rc;
    db_bind_int(st, 1, r->tenant_id);
    db_bind_int(st, 2, vehicle);
    rc = db_step(st, e);
    if (rc == DB_ROW)
        *n = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* ---- the register's hooks ---- */

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

int fl_vehicle_before_write(struct req *r, struct db_conn *c, const struct res_entity *ent,
                            int64_t id, json_t *old, json_t *rec, struct err *e)
{
    (void)ent;
    char msg[160];
    if (!rec || fl_server_write)
        return 0;
    if (fl_plate_check(act_str(rec, "plate"), msg, sizeof(msg)))
        err_field(e, "plate", "%s", msg);
    if (old && act_int_of(rec, "odometer_km") < act_int_of(old, "odometer_km"))
        err_field(e, "odometer_km", "must not go backwards (it reads %lld km)",
                  (long long)act_int_of(old, "odometer_km"));
    const char *en = act_str(rec, "energy");
    json_t *disp = json_object_get(rec, "displacement_l");
    if (is(en, "electric") && json_is_number(disp) && json_number_value(disp) > 0)
        err_field(e, "displacement_l", "an electric vehicle has no displacement");
    if (e->nitems)
        return err_set(e, ERR_INVALID, NULL, "%d field%s invalid", e->nitems,
                       e->nitems == 1 ? " is" : "s are");
    int64_t pred = act_int_of(rec, "replaces_id");
    if (pred && (!old || pred != act_int_of(old, "replaces_id"))) {
        json_t *p = NULL;
        if (pred == id)
            return invalid(e, "replaces_id", "cannot name the vehicle itself");
        int rc = act_load(r, c, &fl_vehicles, pred, &p, e);
        if (rc == -ERR_NOT_FOUND) {
            err_clear(e);
            return invalid(e, "replaces_id", "is not a vehicle of this register");
        }
        if (rc)
            return rc;
        int disposed = is(act_str(p, "status"), "scrapped");
        char plate[40];
        snprintf(plate, sizeof(plate), "%s", act_str(p, "plate") ? act_str(p, "plate") : "?");
        json_decref(p);
        if (!disposed)
            return err_set(e, ERR_CONFLICT, "replaces_id",
                           "%s has not been disposed of yet: dispose before replacing "
                           "(先处置后更新)",
                           plate);
    }
    return 0;
}

int fl_driver_before_write(struct req *r, struct db_conn *c, const struct res_entity *ent,
                           int64_t id, json_t *old, json_t *rec, struct err *e)
{
    (void)ent;
    (void)id;
    (void)old;
    if (!rec || fl_server_write)
        return 0;
    struct db_stmt *st;
    int rc = db_prepare(c, "SELECT name FROM people WHERE tenant_id = ? AND id = ?", &st, e);
    if (rc)
        return rc;
    db_bind_int(st, 1, r->tenant_id);
    db_bind_int(st, 2, act_int_of(rec, "person_id"));
    rc = db_step(st, e);
    if (rc == DB_ROW)
        json_object_set_new(rec, "name", json_string(db_col_text(st, 0, NULL)));
    db_reset(st);
    return rc < 0 ? rc : 0; /* an unknown person is refused by the reference check */
}

int fl_request_before_write(struct req *r, struct db_conn *c, const struct res_entity *ent,
                            int64_t id, json_t *old, json_t *rec, struct err *e)
{
    (void)ent;
    (void)id;
    if (!rec || fl_server_write)
        return 0;
    if (old && !is(act_str(old, "status"), "submitted"))
        return err_set(e, ERR_CONFLICT, NULL,
                       "a trip request can be changed only until it is approved (it is %s)",
                       act_str(old, "status"));
    int64_t from = act_time_of(rec, "start_at"), to = act_time_of(rec, "end_at");
    if (to <= from)
        return invalid(e, "end_at", "must be after start_at");
    if (to - from > (int64_t)FL_MAX_TRIP_DAYS * 86400)
        return invalid(e, "end_at", "a request covers at most 31 days");
    if (!old && r->who) {
        int64_t dept;
        int rc = user_department(r, c, r->user_id, &dept, e);
        if (rc)
            return rc;
        json_object_set_new(rec, "requester_id", json_integer(r->user_id));
        json_object_set_new(rec, "department_id", dept ? json_integer(dept) : json_null());
    }
    return 0;
}

int fl_cost_before_write(struct req *r, struct db_conn *c, const struct res_entity *ent, int64_t id,
                         json_t *old, json_t *rec, struct err *e)
{
    (void)ent;
    (void)id;
    (void)old;
    int64_t trip = rec ? act_int_of(rec, "trip_id") : 0;
    if (!trip || fl_server_write)
        return 0;
    struct db_stmt *st;
    int64_t vehicle = -1;
    int rc = db_prepare(c, "SELECT vehicle_id FROM trips WHERE tenant_id = ? AND id = ?", &st, e);
    if (rc)
        return rc;
    db_bind_int(st, 1, r->tenant_id);
    db_bind_int(st, 2, trip);
    rc = db_step(st, e);
    if (rc == DB_ROW)
        vehicle = db_col_int(st, 0);
    db_reset(st);
    if (rc < 0)
        return rc;
    if (vehicle >= 0 && vehicle != act_int_of(rec, "vehicle_id"))
        return invalid(e, "trip_id", "is a trip of another vehicle");
    return 0;
}

int fl_item_before_write(struct req *r, struct db_conn *c, const struct res_entity *ent, int64_t id,
                         json_t *old, json_t *rec, struct err *e)
{
    (void)ent;
    (void)id;
    if (!rec)
        return 0;
    int64_t vehicle = act_int_of(rec, "vehicle_id"), plan = act_int_of(rec, "plan_id");
    int changed =
        !old || vehicle != act_int_of(old, "vehicle_id") || plan != act_int_of(old, "plan_id");
    json_t *p = NULL, *v = NULL;
    int rc = 0;
    if (changed) {
        int year = 0;
        if ((rc = act_load(r, c, &fl_plans, plan, &p, e)) == -ERR_NOT_FOUND) {
            err_clear(e);
            return invalid(e, "plan_id", "is not a renewal plan");
        }
        if (rc)
            return rc;
        year = (int)act_int_of(p, "year");
        json_decref(p);
        if ((rc = fl_vehicle_eligible(r, c, vehicle, year, e)) < 0)
            return rc;
        if (!rc) {
            err_field(e, "vehicle_id", "does not meet the renewal conditions in %d", year);
            return err_set(e, ERR_INVALID, NULL,
                           "vehicle %lld is not eligible for renewal in %d (see GET "
                           "/api/v1/fleet/renewal?year=%d)",
                           (long long)vehicle, year, year);
        }
    }
    int64_t repl = act_int_of(rec, "replacement_id");
    if (repl && (!old || repl != act_int_of(old, "replacement_id"))) {
        if (repl == vehicle)
            return invalid(e, "replacement_id", "cannot be the vehicle it replaces");
        if ((rc = act_load(r, c, &fl_vehicles, vehicle, &v, e)))
            return rc;
        int disposed = is(act_str(v, "status"), "scrapped");
        json_decref(v);
        if (!disposed)
            return err_set(e, ERR_CONFLICT, "replacement_id",
                           "the vehicle it replaces has not been disposed of yet: dispose "
                           "before replacing (先处置后更新)");
    }
    return 0;
}

int fl_disposal_before_write(struct req *r, struct db_conn *c, const struct res_entity *ent,
                             int64_t id, json_t *old, json_t *rec, struct err *e)
{
    (void)ent;
    (void)id;
    if (!rec || fl_server_write)
        return 0;
    if (old) {
        if (!is(act_str(old, "status"), "applied"))
            return err_set(e, ERR_CONFLICT, NULL,
                           "a disposal can be changed only until it is approved (it is %s)",
                           act_str(old, "status"));
        if (act_int_of(old, "vehicle_id") != act_int_of(rec, "vehicle_id"))
            return err_set(e, ERR_CONFLICT, "vehicle_id",
                           "apply again for another vehicle instead");
        return 0;
    }
    int64_t vid = act_int_of(rec, "vehicle_id"), n = 0;
    json_t *v = NULL;
    int rc = lock_vehicle(r, c, vid, e);
    if (rc == 1)
        return invalid(e, "vehicle_id", "is not a vehicle of this register");
    if (rc || (rc = act_load(r, c, &fl_vehicles, vid, &v, e)))
        return rc;
    const char *st = act_str(v, "status");
    if (is(st, "scrapped") || is(st, "to_scrap") || is(st, "on_trip"))
        rc = err_set(e, ERR_CONFLICT, NULL, "vehicle %s is %s",
                     act_str(v, "plate") ? act_str(v, "plate") : "?",
                     is(st, "scrapped")   ? "disposed of already"
                     : is(st, "to_scrap") ? "being disposed of already"
                                          : "on a trip");
    json_decref(v);
    if (rc)
        return rc;
    if ((rc = future_dispatches(r, c, vid, &n, e)))
        return rc;
    if (n)
        return err_set(e, ERR_CONFLICT, NULL,
                       "the vehicle has %lld dispatched trip%s: cancel or re-dispatch them "
                       "first",
                       (long long)n, n == 1 ? "" : "s");
    json_object_set_new(rec, "status", json_string("applied"));
    if (r->who)
        json_object_set_new(rec, "applicant_id", json_integer(r->user_id));
    return 0;
}

int fl_disposal_after_write(struct req *r, struct db_conn *c, const struct res_entity *ent,
                            int64_t id, json_t *old, json_t *rec, struct err *e)
{
    (void)ent;
    (void)id;
    if (!rec || old || fl_server_write)
        return 0;
    /* applied: the vehicle leaves service */
    return act_update(r, c, &fl_vehicles, act_int_of(rec, "vehicle_id"),
                      json_pack("{s:s}", "status", "to_scrap"), &fl_server_write, e);
}

/* ---- actions ---- */

struct act {
    struct req *r;
    struct db_conn *c;
    json_t *rec; /* the record acted on, as loaded within the caller's scope */
    json_t *rq;  /* trip actions: the trip's request */
    const char *status;
};

static int begin(struct req *r, const struct res_entity *ent, int64_t id, struct act *a)
{
    memset(a, 0, sizeof(*a));
    a->r = r;
    int rc = act_begin(r, ent, id, &a->c, &a->rec);
    a->status = act_str(a->rec, "status");
    return rc;
}

/* Commits (or rolls back on rc) and answers with the record acted on. */
static int finish(struct act *a, int rc, const struct res_entity *ent, int64_t id)
{
    json_decref(a->rec);
    json_decref(a->rq);
    return act_finish(a->r, a->c, rc, ent, id);
}

/* The body's one optional text member, then the transaction and the record. */
static int begin_with(struct req *r, json_t *body, const char *name, int required, int max,
                      const char **text, const struct res_entity *ent, int64_t id, struct act *a)
{
    int rc = act_one_text(r, body, name, required, max, text);
    return rc ? rc : begin(r, ent, id, a);
}

static int not_own(struct act *a, const char *key, const char *what)
{
    if (a->r->who && act_int_of(a->rec, key) == a->r->user_id)
        return err_set(&a->r->err, ERR_CONFLICT, NULL, "nobody approves their own %s", what);
    return 0;
}

int fl_act_approve(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    const char *note;
    struct act a;
    int rc = begin_with(r, body, "note", 0, 500, &note, ent, id, &a);
    if (rc)
        return rc;
    if (!is(a.status, "submitted"))
        return finish(&a,
                      conflict(r, "only a submitted request can be approved (it is %s)", a.status),
                      ent, id);
    if ((rc = not_own(&a, "requester_id", "trip request")))
        return finish(&a, rc, ent, id);
    json_t *p = json_pack("{s:s}", "status", "approved");
    json_object_set_new(p, "approver_id", r->who ? json_integer(r->user_id) : json_null());
    json_object_set_new(p, "approved_at", act_time_json(r, clock_now()));
    if (note)
        json_object_set_new(p, "approve_note", json_string(note));
    if (!(rc = act_update(r, a.c, ent, id, p, &fl_server_write, &r->err)))
        rc = tell(r, a.c, act_int_of(a.rec, "requester_id"), "approved", "用车申请已批准，等待派车",
                  note, "trip_requests", id, &r->err);
    return finish(&a, rc, ent, id);
}

int fl_act_reject(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    const char *reason;
    struct act a;
    int rc = begin_with(r, body, "reason", 1, 500, &reason, ent, id, &a);
    if (rc)
        return rc;
    if (!is(a.status, "submitted"))
        return finish(&a,
                      conflict(r, "only a submitted request can be rejected (it is %s)", a.status),
                      ent, id);
    if ((rc = not_own(&a, "requester_id", "trip request")))
        return finish(&a, rc, ent, id);
    int64_t now = clock_now();
    json_t *p = json_pack("{s:s,s:s}", "status", "rejected", "reject_reason", reason);
    json_object_set_new(p, "approver_id", r->who ? json_integer(r->user_id) : json_null());
    json_object_set_new(p, "approved_at", act_time_json(r, now));
    json_object_set_new(p, "closed_at", act_time_json(r, now));
    if (!(rc = act_update(r, a.c, ent, id, p, &fl_server_write, &r->err)))
        rc = tell(r, a.c, act_int_of(a.rec, "requester_id"), "rejected", "用车申请未获批准", reason,
                  "trip_requests", id, &r->err);
    return finish(&a, rc, ent, id);
}

/* The vehicle and the driver a dispatch names, as the checks need them. */
struct pick {
    int64_t vehicle, driver, seats, driver_user, licence_until;
    int automatic, active;
    char vstatus[16], plate[40], licence[8], name[160];
};

static int load_pick(struct req *r, struct db_conn *c, struct pick *p, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(c,
                        "SELECT status, plate, seats, automatic FROM vehicles WHERE tenant_id = ? "
                        "AND id = ?",
                        &st, e);
    if (rc)
        return rc;
    db_bind_int(st, 1, r->tenant_id);
    db_bind_int(st, 2, p->vehicle);
    if ((rc = db_step(st, e)) == DB_ROW) {
        snprintf(p->vstatus, sizeof(p->vstatus), "%s", db_col_text(st, 0, NULL));
        snprintf(p->plate, sizeof(p->plate), "%s", db_col_text(st, 1, NULL));
        p->seats = db_col_int(st, 2);
        p->automatic = (int)db_col_int(st, 3);
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    if ((rc = db_prepare(c,
                         "SELECT licence_class, licence_until, active, user_id, name FROM drivers "
                         "WHERE tenant_id = ? AND id = ?",
                         &st, e)))
        return rc;
    db_bind_int(st, 1, r->tenant_id);
    db_bind_int(st, 2, p->driver);
    if ((rc = db_step(st, e)) == DB_ROW) {
        size_t n;
        const char *d = db_col_text(st, 1, &n);
        snprintf(p->licence, sizeof(p->licence), "%s", db_col_text(st, 0, NULL));
        if (date_parse(d, n, &p->licence_until))
            p->licence_until = 0;
        p->active = (int)db_col_int(st, 2);
        p->driver_user = db_col_is_null(st, 3) ? 0 : db_col_int(st, 3);
        snprintf(p->name, sizeof(p->name), "%s", db_col_text(st, 4, NULL));
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int fl_act_dispatch(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    static const char *const names[] = {"vehicle_id", "driver_id", "note", NULL};
    struct pick p;
    struct act a;
    const char *note;
    int set;
    memset(&p, 0, sizeof(p));
    if (act_only(r, body, names))
        return -ERR_INVALID;
    act_int(r, body, "vehicle_id", 1, 1, INT64_MAX, &p.vehicle, &set);
    act_int(r, body, "driver_id", 1, 1, INT64_MAX, &p.driver, &set);
    act_text(r, body, "note", 0, 500, &note);
    if (r->err.nitems)
        return err_set(&r->err, ERR_INVALID, NULL, "a dispatch names a vehicle and a driver");
    int rc = begin(r, ent, id, &a);
    if (rc)
        return rc;
    if (!is(a.status, "approved"))
        return finish(&a,
                      conflict(r,
                               is(a.status, "submitted") ? "the request is not approved yet%s"
                                                         : "a %s request cannot be dispatched",
                               is(a.status, "submitted") ? "" : a.status),
                      ent, id);
    /* vehicle first, then driver: the lock order every dispatch keeps */
    if ((rc = lock_vehicle(r, a.c, p.vehicle, &r->err)) == 1)
        rc = invalid(&r->err, "vehicle_id", "is not a vehicle of this register");
    if (!rc && (rc = lock_driver(r, a.c, p.driver, &r->err)) == 1)
        rc = invalid(&r->err, "driver_id", "is not a driver of this register");
    if (rc || (rc = load_pick(r, a.c, &p, &r->err)))
        return finish(&a, rc, ent, id);
    int64_t from = act_time_of(a.rec, "start_at"), to = act_time_of(a.rec, "end_at");
    int64_t need = act_int_of(a.rec, "seats_needed"), last_day = fl_local_day(r, to - 1), other = 0;
    char msg[400];
    if (is(p.vstatus, "in_repair") || is(p.vstatus, "to_scrap") || is(p.vstatus, "scrapped")) {
        snprintf(msg, sizeof(msg), "vehicle %s is %s", p.plate,
                 is(p.vstatus, "in_repair")  ? "in repair"
                 : is(p.vstatus, "to_scrap") ? "to be disposed of"
                                             : "disposed of");
        return finish(&a, conflict(r, "%s", msg), ent, id);
    }
    if (p.seats < need) {
        snprintf(msg, sizeof(msg), "has %lld seats; the request needs %lld", (long long)p.seats,
                 (long long)need);
        err_field(&r->err, "vehicle_id", "%s", msg);
    }
    if (!p.active)
        err_field(&r->err, "driver_id", "%s is not an active driver", p.name);
    else if (p.licence_until < last_day) {
        char d[16];
        date_format(p.licence_until, d, sizeof(d));
        err_field(&r->err, "driver_id", "%s's licence is valid until %s, before the trip ends",
                  p.name, d);
    } else if (!fl_licence_fits(p.licence, p.seats, p.automatic))
        err_field(&r->err, "driver_id", "licence class %s may not drive %s (%lld seats%s)",
                  p.licence, p.plate, (long long)p.seats, p.automatic ? "" : ", manual");
    if (r->err.nitems)
        return finish(&a, err_set(&r->err, ERR_INVALID, NULL, "the vehicle or driver does not fit"),
                      ent, id);
    if ((rc = overlap(r, a.c, 0, p.vehicle, from, to, id, &other, &r->err)))
        return finish(&a, rc, ent, id);
    if (other) {
        snprintf(msg, sizeof(msg),
                 "vehicle %s is dispatched to request %lld at an overlapping "
                 "time",
                 p.plate, (long long)other);
        return finish(&a, conflict(r, "%s", msg), ent, id);
    }
    if ((rc = overlap(r, a.c, 1, p.driver, from, to, id, &other, &r->err)))
        return finish(&a, rc, ent, id);
    if (other) {
        snprintf(msg, sizeof(msg),
                 "driver %s is dispatched to request %lld at an overlapping "
                 "time",
                 p.name, (long long)other);
        return finish(&a, conflict(r, "%s", msg), ent, id);
    }
    int64_t trip;
    json_t *rp = json_pack("{s:s,s:I,s:I}", "status", "dispatched", "vehicle_id",
                           (json_int_t)p.vehicle, "driver_id", (json_int_t)p.driver);
    json_object_set_new(rp, "driver_user_id",
                        p.driver_user ? json_integer(p.driver_user) : json_null());
    json_object_set_new(rp, "dispatcher_id", r->who ? json_integer(r->user_id) : json_null());
    json_object_set_new(rp, "dispatched_at", act_time_json(r, clock_now()));
    json_t *tp =
        json_pack("{s:I,s:I,s:I,s:s}", "request_id", (json_int_t)id, "vehicle_id",
                  (json_int_t)p.vehicle, "driver_id", (json_int_t)p.driver, "status", "planned");
    if (tp && p.driver_user)
        json_object_set_new(tp, "driver_user_id", json_integer(p.driver_user));
    if (tp && note)
        json_object_set_new(tp, "note", json_string(note));
    char text[300];
    snprintf(text, sizeof(text), "%s，驾驶员 %s", p.plate, p.name);
    if ((rc = act_update(r, a.c, ent, id, rp, &fl_server_write, &r->err)))
        json_decref(tp);
    else if (!(rc = act_create(r, a.c, &fl_trips, tp, &trip, &fl_server_write, &r->err)) &&
             !(rc = tell(r, a.c, act_int_of(a.rec, "requester_id"), "dispatched", "用车申请已派车",
                         text, "trip_requests", id, &r->err)))
        rc = tell(r, a.c, p.driver_user, "trip", "您有新的出车任务", act_str(a.rec, "purpose"),
                  "trips", trip, &r->err);
    return finish(&a, rc, ent, id);
}

/* The planned trip of a request; 0 when none. */
static int trip_of(struct req *r, struct db_conn *c, int64_t request, int64_t *trip,
                   const char **status, struct err *e)
{
    struct db_stmt *st;
    *trip = 0;
    *status = NULL;
    int rc = db_prepare(c, "SELECT id, status FROM trips WHERE tenant_id = ? AND request_id = ?",
                        &st, e);
    if (rc)
        return rc;
    db_bind_int(st, 1, r->tenant_id);
    db_bind_int(st, 2, request);
    rc = db_step(st, e);
    if (rc == DB_ROW) {
        *trip = db_col_int(st, 0);
        *status = arena_strdup(r->a, db_col_text(st, 1, NULL));
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int fl_act_cancel(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    const char *reason, *ts = NULL;
    struct act a;
    int64_t trip = 0;
    int rc = begin_with(r, body, "reason", 0, 500, &reason, ent, id, &a);
    if (rc)
        return rc;
    if (!is(a.status, "submitted") && !is(a.status, "approved") && !is(a.status, "dispatched"))
        return finish(&a, conflict(r, "a %s request cannot be cancelled", a.status), ent, id);
    int dispatched = is(a.status, "dispatched");
    if (dispatched) {
        /* the same lock order as dispatch: vehicle, then driver */
        if ((rc = lock_vehicle(r, a.c, act_int_of(a.rec, "vehicle_id"), &r->err)) > 0 ||
            (!rc && (rc = lock_driver(r, a.c, act_int_of(a.rec, "driver_id"), &r->err)) > 0))
            rc = 0;
        if (!rc)
            rc = trip_of(r, a.c, id, &trip, &ts, &r->err);
        if (!rc && trip && !is(ts, "planned"))
            rc = conflict(r, "the trip is %s: the driver closes it instead",
                          is(ts, "in_progress") ? "under way" : ts);
        if (!rc && trip)
            rc = act_update(r, a.c, &fl_trips, trip, json_pack("{s:s}", "status", "cancelled"),
                            &fl_server_write, &r->err);
    }
    json_t *p = json_pack("{s:s}", "status", "cancelled");
    json_object_set_new(p, "cancel_reason", reason ? json_string(reason) : json_null());
    json_object_set_new(p, "closed_at", act_time_json(r, clock_now()));
    if (!rc)
        rc = act_update(r, a.c, ent, id, p, &fl_server_write, &r->err);
    else
        json_decref(p);
    if (!rc)
        rc = tell(r, a.c, act_int_of(a.rec, "requester_id"), "cancelled", "用车申请已取消", reason,
                  "trip_requests", id, &r->err);
    if (!rc && dispatched)
        rc = tell(r, a.c, act_int_of(a.rec, "driver_user_id"), "cancelled", "出车任务已取消",
                  reason, "trip_requests", id, &r->err);
    return finish(&a, rc, ent, id);
}

/* Opens a trip action: the trip within the caller's scope, its request and
 * the vehicle's lock. */
static int begin_trip(struct req *r, const struct res_entity *ent, int64_t id, struct act *a)
{
    int rc = begin(r, ent, id, a);
    if (rc)
        return rc;
    if ((rc = lock_vehicle(r, a->c, act_int_of(a->rec, "vehicle_id"), &r->err)) > 0)
        rc = err_set(&r->err, ERR_INTERNAL, NULL, "the trip's vehicle is gone");
    if (!rc)
        rc = act_load(r, a->c, &fl_requests, act_int_of(a->rec, "request_id"), &a->rq, &r->err);
    if (rc) {
        db_rollback(a->c);
        json_decref(a->rec);
        json_decref(a->rq);
    }
    return rc;
}

static int check_start_km(struct req *r, struct db_conn *c, json_t *v, int64_t vehicle, int64_t km)
{
    int64_t last;
    int rc = last_reading(r, c, vehicle, act_int_of(v, "odometer_km"), &last, &r->err);
    if (rc)
        return rc;
    if (km < last) {
        err_field(&r->err, "start_km", "must be at least %lld km, the vehicle's last reading",
                  (long long)last);
        return err_set(&r->err, ERR_INVALID, NULL, "the odometer never goes backwards");
    }
    return 0;
}

int fl_act_start(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    static const char *const names[] = {"start_km", "note", NULL};
    struct act a;
    int64_t km;
    int set;
    const char *note;
    json_t *v = NULL;
    if (act_only(r, body, names))
        return -ERR_INVALID;
    act_int(r, body, "start_km", 1, 0, 5000000, &km, &set);
    act_text(r, body, "note", 0, 500, &note);
    if (r->err.nitems)
        return err_set(&r->err, ERR_INVALID, NULL, "the odometer reading is missing or invalid");
    int rc = begin_trip(r, ent, id, &a);
    if (rc)
        return rc;
    int64_t vid = act_int_of(a.rec, "vehicle_id");
    if (!is(a.status, "planned"))
        return finish(&a, conflict(r, "only a planned trip can start (it is %s)", a.status), ent,
                      id);
    if ((rc = act_load(r, a.c, &fl_vehicles, vid, &v, &r->err)))
        return finish(&a, rc, ent, id);
    const char *vs = act_str(v, "status");
    if (!is(vs, "available"))
        rc = conflict(r, "the vehicle is %s",
                      is(vs, "on_trip")     ? "on another trip"
                      : is(vs, "in_repair") ? "in repair"
                                            : "out of service");
    if (!rc)
        rc = check_start_km(r, a.c, v, vid, km);
    json_decref(v);
    json_t *tp = json_pack("{s:s,s:I}", "status", "in_progress", "start_km", (json_int_t)km);
    json_object_set_new(tp, "started_at", act_time_json(r, clock_now()));
    if (note)
        json_object_set_new(tp, "note", json_string(note));
    if (rc)
        json_decref(tp);
    else if (!(rc = act_update(r, a.c, ent, id, tp, &fl_server_write, &r->err)))
        rc = act_update(r, a.c, &fl_vehicles, vid, json_pack("{s:s}", "status", "on_trip"),
                        &fl_server_write, &r->err);
    return finish(&a, rc, ent, id);
}

/* A cost of a trip (tolls, parking, fuel paid on the way). */
static int trip_cost(struct req *r, struct db_conn *c, int64_t vehicle, int64_t trip,
                     const char *kind, int64_t fen, int64_t day, struct err *e)
{
    int64_t id;
    if (fen <= 0)
        return 0;
    json_t *rec = json_pack("{s:I,s:I,s:s,s:I,s:o}", "vehicle_id", (json_int_t)vehicle, "trip_id",
                            (json_int_t)trip, "kind", kind, "amount_fen", (json_int_t)fen,
                            "incurred_on", date_json(day));
    if (rec)
        json_object_set_new(rec, "note", json_string("出车记录登记"));
    return act_create(r, c, &fl_costs, rec, &id, &fl_server_write, e);
}

int fl_act_close(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    static const char *const names[] = {"start_km",   "end_km",    "fuel_l",
                                        "energy_kwh", "tolls_fen", "parking_fen",
                                        "fuel_fen",   "note",      NULL};
    struct act a;
    int64_t start_km, end_km, tolls, parking, fuel_fen;
    int has_start, set;
    const char *note;
    json_t *v = NULL;
    if (act_only(r, body, names))
        return -ERR_INVALID;
    act_int(r, body, "start_km", 0, 0, 5000000, &start_km, &has_start);
    act_int(r, body, "end_km", 1, 0, 5000000, &end_km, &set);
    act_int(r, body, "tolls_fen", 0, 0, 100000000, &tolls, &set);
    act_int(r, body, "parking_fen", 0, 0, 100000000, &parking, &set);
    act_int(r, body, "fuel_fen", 0, 0, 100000000, &fuel_fen, &set);
    json_t *fuel = qty_member(r, body, "fuel_l"), *kwh = qty_member(r, body, "energy_kwh");
    act_text(r, body, "note", 0, 500, &note);
    if (r->err.nitems)
        return err_set(&r->err, ERR_INVALID, NULL, "the trip record is incomplete");
    int rc = begin_trip(r, ent, id, &a);
    if (rc)
        return rc;
    int64_t vid = act_int_of(a.rec, "vehicle_id"), now = clock_now();
    int started = is(a.status, "in_progress");
    if (!started && !is(a.status, "planned"))
        return finish(&a, conflict(r, "a %s trip cannot be closed", a.status), ent, id);
    if ((rc = act_load(r, a.c, &fl_vehicles, vid, &v, &r->err)))
        return finish(&a, rc, ent, id);
    if (started) {
        if (has_start && start_km != act_int_of(a.rec, "start_km"))
            rc = invalid(&r->err, "start_km", "was recorded when the trip started");
        start_km = act_int_of(a.rec, "start_km");
    } else if (!has_start) {
        rc = invalid(&r->err, "start_km", "is required: the trip was not started");
    } else {
        rc = check_start_km(r, a.c, v, vid, start_km);
    }
    if (!rc && end_km < start_km) {
        err_field(&r->err, "end_km", "must be at least %lld km, the odometer when it left",
                  (long long)start_km);
        rc = err_set(&r->err, ERR_INVALID, NULL, "the odometer never goes backwards");
    } else if (!rc && end_km - start_km > MAX_TRIP_KM)
        rc = invalid(&r->err, "end_km", "more than 10000 km on one trip");
    const char *vs = act_str(v, "status");
    int64_t odo = act_int_of(v, "odometer_km");
    int64_t t0 = started ? act_time_of(a.rec, "started_at") : act_time_of(a.rq, "start_at");
    if (!started && t0 > now)
        t0 = now;
    json_t *tp =
        json_pack("{s:s,s:I,s:I,s:I}", "status", "closed", "start_km", (json_int_t)start_km,
                  "end_km", (json_int_t)end_km, "distance_km", (json_int_t)(end_km - start_km));
    json_object_set_new(tp, "started_at", act_time_json(r, t0));
    json_object_set_new(tp, "ended_at", act_time_json(r, now));
    json_object_set_new(tp, "fuel_l", fuel ? json_incref(fuel) : json_null());
    json_object_set_new(tp, "energy_kwh", kwh ? json_incref(kwh) : json_null());
    json_object_set_new(tp, "tolls_fen", tolls ? json_integer(tolls) : json_null());
    json_object_set_new(tp, "parking_fen", parking ? json_integer(parking) : json_null());
    if (note)
        json_object_set_new(tp, "note", json_string(note));
    json_t *vp = json_object();
    if (end_km > odo)
        json_object_set_new(vp, "odometer_km", json_integer(end_km));
    if (is(vs, "on_trip"))
        json_object_set_new(vp, "status", json_string("available"));
    json_decref(v);
    json_t *rp = json_pack("{s:s}", "status", "completed");
    json_object_set_new(rp, "closed_at", act_time_json(r, now));
    int64_t day = fl_local_day(r, now), rid = act_int_of(a.rec, "request_id");
    if (rc) {
        json_decref(tp);
        json_decref(vp);
        json_decref(rp);
        return finish(&a, rc, ent, id);
    }
    /* each update consumes its patch, made or not */
    rc = act_update(r, a.c, ent, id, tp, &fl_server_write, &r->err);
    if (rc)
        json_decref(vp);
    else
        rc = act_update(r, a.c, &fl_vehicles, vid, vp, &fl_server_write, &r->err);
    if (rc)
        json_decref(rp);
    else
        rc = act_update(r, a.c, &fl_requests, rid, rp, &fl_server_write, &r->err);
    if (!rc && !(rc = trip_cost(r, a.c, vid, id, "tolls", tolls, day, &r->err)) &&
        !(rc = trip_cost(r, a.c, vid, id, "parking", parking, day, &r->err)))
        rc = trip_cost(r, a.c, vid, id, "fuel", fuel_fen, day, &r->err);
    return finish(&a, rc, ent, id);
}

/* ---- vehicles: repairs ---- */

int fl_act_repair(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    const char *note;
    struct act a;
    int64_t n = 0;
    int rc = begin_with(r, body, "note", 0, 500, &note, ent, id, &a);
    if (rc)
        return rc;
    if ((rc = lock_vehicle(r, a.c, id, &r->err)) > 0)
        rc = 0;
    if (!rc && !is(a.status, "available"))
        rc = conflict(r, "only an available vehicle goes to repair (it is %s)", a.status);
    if (!rc && !(rc = future_dispatches(r, a.c, id, &n, &r->err)) && n) {
        char m[120];
        snprintf(m, sizeof(m),
                 "the vehicle has %lld dispatched trip%s: cancel or re-dispatch "
                 "them first",
                 (long long)n, n == 1 ? "" : "s");
        rc = conflict(r, "%s", m);
    }
    if (!rc) {
        json_t *p = json_pack("{s:s}", "status", "in_repair");
        if (note)
            json_object_set_new(p, "note", json_string(note));
        rc = act_update(r, a.c, ent, id, p, &fl_server_write, &r->err);
    }
    return finish(&a, rc, ent, id);
}

int fl_act_repaired(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    const char *note;
    struct act a;
    int rc = begin_with(r, body, "note", 0, 500, &note, ent, id, &a);
    if (rc)
        return rc;
    if (!is(a.status, "in_repair"))
        return finish(&a, conflict(r, "the vehicle is not in repair (it is %s)", a.status), ent,
                      id);
    json_t *p = json_pack("{s:s}", "status", "available");
    if (note)
        json_object_set_new(p, "note", json_string(note));
    return finish(&a, act_update(r, a.c, ent, id, p, &fl_server_write, &r->err), ent, id);
}

/* ---- disposals ---- */

int fl_act_disposal_approve(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    const char *note;
    struct act a;
    int rc = begin_with(r, body, "note", 0, 500, &note, ent, id, &a);
    if (rc)
        return rc;
    if (!is(a.status, "applied"))
        return finish(&a, conflict(r, "only an application can be approved (it is %s)", a.status),
                      ent, id);
    if ((rc = not_own(&a, "applicant_id", "disposal")))
        return finish(&a, rc, ent, id);
    json_t *p = json_pack("{s:s}", "status", "approved");
    json_object_set_new(p, "approver_id", r->who ? json_integer(r->user_id) : json_null());
    json_object_set_new(p, "approved_at", act_time_json(r, clock_now()));
    if (note)
        json_object_set_new(p, "note", json_string(note));
    return finish(&a, act_update(r, a.c, ent, id, p, &fl_server_write, &r->err), ent, id);
}

int fl_act_disposal_reject(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    const char *reason;
    struct act a;
    int rc = begin_with(r, body, "reason", 1, 500, &reason, ent, id, &a);
    if (rc)
        return rc;
    if (!is(a.status, "applied"))
        return finish(&a, conflict(r, "only an application can be rejected (it is %s)", a.status),
                      ent, id);
    if ((rc = not_own(&a, "applicant_id", "disposal")))
        return finish(&a, rc, ent, id);
    json_t *p = json_pack("{s:s,s:s}", "status", "rejected", "note", reason);
    json_object_set_new(p, "approver_id", r->who ? json_integer(r->user_id) : json_null());
    json_object_set_new(p, "approved_at", act_time_json(r, clock_now()));
    if (!(rc = act_update(r, a.c, ent, id, p, &fl_server_write, &r->err)))
        rc = act_update(r, a.c, &fl_vehicles, act_int_of(a.rec, "vehicle_id"),
                        json_pack("{s:s}", "status", "available"), &fl_server_write, &r->err);
    return finish(&a, rc, ent, id);
}

int fl_act_dispose(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    static const char *const names[] = {"method", "disposed_on", "proceeds_fen", "note", NULL};
    static const char *const methods[] = {"auction", "trade_in", "transfer", "scrap", NULL};
    struct act a;
    const char *method, *on, *note;
    int64_t proceeds, day = 0;
    int set;
    if (act_only(r, body, names))
        return -ERR_INVALID;
    act_text(r, body, "method", 0, 20, &method);
    act_text(r, body, "disposed_on", 0, 10, &on);
    act_text(r, body, "note", 0, 500, &note);
    act_int(r, body, "proceeds_fen", 0, 0, 100000000000LL, &proceeds, &set);
    if (method) {
        const char *const *m = methods;
        while (*m && strcmp(*m, method))
            m++;
        if (!*m)
            err_field(&r->err, "method",
                      "must be auction (拍卖), trade_in (置换), transfer "
                      "(调拨) or scrap (报废)");
    }
    if (on && date_parse(on, strlen(on), &day))
        err_field(&r->err, "disposed_on", "must be a date YYYY-MM-DD");
    if (r->err.nitems)
        return err_set(&r->err, ERR_INVALID, NULL, "the disposal record is invalid");
    int rc = begin(r, ent, id, &a);
    if (rc)
        return rc;
    if (!method)
        method = act_str(a.rec, "method");
    if (!is(a.status, "approved"))
        return finish(
            &a, conflict(r, "only an approved disposal can be carried out (it is %s)", a.status),
            ent, id);
    if (!method)
        return finish(&a, invalid(&r->err, "method", "is required: how was it disposed of"), ent,
                      id);
    if (!on)
        day = fl_local_day(r, clock_now());
    json_t *p = json_pack("{s:s,s:s,s:o}", "status", "disposed", "method", method, "disposed_on",
                          date_json(day));
    json_object_set_new(p, "proceeds_fen", set ? json_integer(proceeds) : json_null());
    if (note)
        json_object_set_new(p, "note", json_string(note));
    if (!(rc = act_update(r, a.c, ent, id, p, &fl_server_write, &r->err)))
        rc = act_update(r, a.c, &fl_vehicles, act_int_of(a.rec, "vehicle_id"),
                        json_pack("{s:s}", "status", "scrapped"), &fl_server_write, &r->err);
    return finish(&a, rc, ent, id);
}

/* ---- GET …/slip: the dispatch slip 派车单 ---- */

/* text column 0 of sql for (tenant, id), or NULL */
static const char *lookup(struct req *r, struct db_conn *c, const char *sql, int64_t id)
{
    struct db_stmt *st;
    struct err e;
    const char *out = NULL;
    err_clear(&e);
    if (!id || db_prepare(c, sql, &st, &e))
        return NULL;
    db_bind_int(st, 1, r->tenant_id);
    db_bind_int(st, 2, id);
    if (db_step(st, &e) == DB_ROW && !db_col_is_null(st, 0))
        out = arena_strdup(r->a, db_col_text(st, 0, NULL));
    db_reset(st);
    return out;
}

/* Leaves out of o the fields of ent hidden from the caller (role documents). */
static void drop_hidden(struct req *r, const struct res_entity *ent, json_t *o)
{
    for (const struct res_field *f = ent->fields; f->name; f++)
        if (perm_hidden(r, ent, f))
            json_object_del(o, f->name);
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static const char *user_name(struct req *r, struct db_conn *c, int64_t id)
{
    return lookup(r, c,
                  "SELECT COALESCE(p.name, u.display_name, u.username) FROM users u LEFT JOIN "
                  "people p ON p.tenant_id = u.tenant_id AND p.id = u.person_id WHERE "
                  "u.tenant_id = ? AND u.id = ?",
                  id);
}

int fl_slip(struct req *r)
{
    int64_t id, trip = 0;
    json_t *rq = NULL, *v = NULL, *d = NULL, *t = NULL;
    const char *ts;
    int rc = rest_id(r, 3, &id);
    if (rc || (rc = perm_check(r, &fl_requests, "read")))
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    if ((rc = rec_load(r, c, &fl_requests, id, &rq, &r->err)))
        return rc;
    const char *status = act_str(rq, "status");
    if (!is(status, "dispatched") && !is(status, "completed")) {
        rc = err_set(&r->err, ERR_CONFLICT, NULL,
                     "a slip is printed once the request is dispatched (it is %s)", status);
        json_decref(rq);
        return rc;
    }
    rc = act_load(r, c, &fl_vehicles, act_int_of(rq, "vehicle_id"), &v, &r->err);
    if (!rc)
        rc = act_load(r, c, &fl_drivers, act_int_of(rq, "driver_id"), &d, &r->err);
    if (!rc && !(rc = trip_of(r, c, id, &trip, &ts, &r->err)) && trip)
        rc = act_load(r, c, &fl_trips, trip, &t, &r->err);
    if (rc) {
        json_decref(rq);
        json_decref(v);
        json_decref(d);
        return rc;
    }
    drop_hidden(r, &fl_requests, rq);
    drop_hidden(r, &fl_vehicles, v);
    drop_hidden(r, &fl_drivers, d);
    if (t)
        drop_hidden(r, &fl_trips, t);
    char no[40];
    int64_t day = fl_local_day(r, act_time_of(rq, "start_at"));
    date_format(day, no, sizeof(no));
    snprintf(no + 4, sizeof(no) - 4, "-%06lld", (long long)id);
    json_t *doc = json_object();
    json_object_set_new(doc, "no", json_string(no));
    json_object_set_new(doc, "title", json_string("公务用车派车单"));
    json_object_set_new(doc, "request", rq);
    json_object_set_new(
        doc, "department",
        str_or_null(lookup(r, c, "SELECT name FROM departments WHERE tenant_id = ? AND id = ?",
                           act_int_of(rq, "department_id"))));
    json_object_set_new(doc, "requester",
                        str_or_null(user_name(r, c, act_int_of(rq, "requester_id"))));
    json_object_set_new(doc, "approver",
                        str_or_null(user_name(r, c, act_int_of(rq, "approver_id"))));
    json_object_set_new(doc, "dispatcher",
                        str_or_null(user_name(r, c, act_int_of(rq, "dispatcher_id"))));
    json_t *vj = json_object();
    static const char *const vk[] = {"id",    "plate", "brand",  "model",
                                     "class", "seats", "energy", "fuel_station"};
    for (size_t k = 0; k < sizeof(vk) / sizeof(vk[0]); k++)
        if (json_object_get(v, vk[k]))
            json_object_set(vj, vk[k], json_object_get(v, vk[k]));
    json_object_set_new(doc, "vehicle", vj);
    json_t *dj = json_object();
    static const char *const dk[] = {"id", "name", "licence_class", "licence_until", "phone"};
    for (size_t k = 0; k < sizeof(dk) / sizeof(dk[0]); k++)
        if (json_object_get(d, dk[k]))
            json_object_set(dj, dk[k], json_object_get(d, dk[k]));
    json_object_set_new(doc, "driver", dj);
    if (t) {
        json_t *tj = json_object();
        static const char *const tk[] = {"id",         "status",    "started_at",  "ended_at",
                                         "start_km",   "end_km",    "distance_km", "fuel_l",
                                         "energy_kwh", "tolls_fen", "parking_fen"};
        for (size_t k = 0; k < sizeof(tk) / sizeof(tk[0]); k++)
            if (json_object_get(t, tk[k]))
                json_object_set(tj, tk[k], json_object_get(t, tk[k]));
        json_object_set_new(doc, "trip", tj);
    } else {
        json_object_set_new(doc, "trip", json_null());
    }
    json_object_set_new(doc, "printed_at", act_time_json(r, clock_now()));
    json_decref(v);
    json_decref(d);
    json_decref(t);
    char *s = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(12));
    json_decref(doc);
    if (!s)
        return err_set(&r->err, ERR_INTERNAL, NULL, "cannot render the slip");
    buf_puts(&r->out, s);
    core_free(s); /* json_dumps allocates with the default malloc */
    return resp_json(r, 200);
}
