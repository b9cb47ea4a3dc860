/* SPDX-License-Identifier: MIT
 * fleet.h - official vehicles 公务用车: the register of vehicles and drivers,
 * trip requests approved by a department head and dispatched by the fleet
 * section without overlaps, trips with their odometer readings, fuel and
 * charges, per-vehicle costs, expiry reminders, and renewal by the rules
 * (eligibility, yearly plans, dispose before replace).
 *
 * Trip request states: submitted → approved | rejected; approved →
 * dispatched → completed (when its trip closes); submitted, approved or
 * dispatched → cancelled. Trip states: planned → in_progress → closed;
 * planned → cancelled. Disposal states: applied → approved → disposed;
 * applied → rejected.
 */
#ifndef BUREAU_FLEET_H
#define BUREAU_FLEET_H

#include "../../engine/res.h"
#include "../../engine/module.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

extern const struct res_entity fl_vehicles, fl_drivers, fl_requests, fl_trips, fl_costs, fl_rules,
    fl_standards, fl_plans, fl_plan_items, fl_disposals, fl_reminders;
extern const struct module fleet_module;

struct req;
struct db_conn;
struct err;
struct job_ctx;

#define FL_REMIND_DAYS 30   /* reminders this many days before an expiry */
#define FL_MAX_TRIP_DAYS 31 /* a request covers at most this many days */

/* ---- rules.c: pure checks (unit-tested) ---- */

/* 0 when s is a plate such as 粤B·12345 or 粤B·D12345 (new energy): a province
 * abbreviation, a letter A–Z, the middle dot, then 5 (6 for new-energy
 * plates) letters or digits, letters other than I and O. Else -1 with the
 * reason in *why (a key such as "fleet.plate.dot"). */
struct err_item;
int fl_plate_check(const char *s, struct err_item *why);

/* Which licence classes may drive a vehicle: by seats (≤ 9 small, 10–19
 * medium bus, ≥ 20 large bus) and gearbox (C2 is automatic only). 1 when
 * licence class may drive it. */
/* The tenant's local day (days since 1970-01-01) of instant t. */
int64_t fl_local_day(struct req *r, int64_t t);
int fl_licence_fits(const char *licence, int64_t seats, int automatic);

/* A renewal rule: in use min_years (more than, when more_than), and/or at
 * least min_km (0: no mileage condition). */
struct fl_rule {
    int min_years;
    int more_than; /* "more than N years" rather than "N years or more" */
    int64_t min_km;
    int either; /* 1: years or mileage suffices; 0: both are needed */
};
/* 1 when a vehicle registered on day reg (days since 1970-01-01) with km on
 * its odometer meets rule on day ref. */
int fl_eligible(const struct fl_rule *rule, int64_t reg, int64_t ref, int64_t km);
/* The day n years after day (Feb 29 → Feb 28 in common years). */
int64_t fl_add_years(int64_t day, int n);
/* Full years from day a to day b (0 when b < a). */
int fl_full_years(int64_t a, int64_t b);

/* ---- hooks.c: what people write into the register ---- */
int fl_vehicle_before_write(struct res_write *w);
int fl_driver_before_write(struct res_write *w);
int fl_request_before_write(struct res_write *w);
int fl_cost_before_write(struct res_write *w);
int fl_item_before_write(struct res_write *w);
int fl_disposal_before_write(struct res_write *w);
int fl_disposal_after_write(struct res_write *w);
/* the "assigned" scope of trips and requests: the driver's own */
int fl_assigned_driver(struct req *r, struct db_conn *c, int64_t **ids, int *n, struct err *e);

/* ---- workflow.c: the rules of the steps entities.c declares ---- */
struct wf;
int fl_dispatch_check(struct wf *w);
int fl_dispatch_then(struct wf *w);
int fl_cancel_check(struct wf *w);
int fl_trip_lock(struct wf *w);
int fl_start_check(struct wf *w);
int fl_close_check(struct wf *w);
int fl_close_then(struct wf *w);
int fl_repair_check(struct wf *w);
int fl_disposal_rejected(struct wf *w);
int fl_dispose_check(struct wf *w);
/* Dispatched requests of a vehicle (not yet completed or cancelled). */
int fl_dispatched_count(struct req *r, struct db_conn *c, int64_t vehicle, int64_t *n,
                        struct err *e);
/* The trip of a request; 0 when none. */
int fl_trip_of(struct req *r, struct db_conn *c, int64_t request, int64_t *trip);
/* GET /api/v1/trip_requests/{id}/candidates (candidates.c), …/slip (slip.c) */
int fl_candidates(struct req *r);
int fl_vehicle_figures(struct req *r);
int fl_slip(struct req *r);

/* ---- reports.c ---- */
int fl_cost_report(struct req *r);    /* GET /api/v1/fleet/costs?month= (.xlsx) */
int fl_renewal_report(struct req *r); /* GET /api/v1/fleet/renewal?year= */
int fl_summary(struct req *r, struct db_conn *c, json_t *cards, struct err *e);
/* The tenant's rule for an energy type ("electric" or any other); 0 when
 * found, 1 when the tenant has none. */
int fl_rule_for(struct db_conn *c, int64_t tenant, const char *energy, struct fl_rule *rule,
                struct err *e);
/* 1 when vehicle id is eligible for renewal in year, 0 when not, < 0 on error. */
int fl_vehicle_eligible(struct req *r, struct db_conn *c, int64_t vehicle, int year, struct err *e);

/* ---- jobs.c ---- */
int fl_job_reminders(struct job_ctx *j, struct err *e);

/* ---- seed.c / demo.c ---- */
int fl_seed_tenant(struct db_conn *c, int64_t tenant_id, struct err *e);
int fl_demo(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e);

#endif
