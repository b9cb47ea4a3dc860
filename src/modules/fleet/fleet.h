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
    fl_standards, fl_plans, fl_plan_items, fl_disposals, fl_reminders, fl_settings;
extern const struct module fleet_module;

struct req;
struct db_conn;
struct err;
struct job_ctx;

#define FL_REMIND_DAYS 30   /* reminders this many days before an expiry */
#define FL_MAX_TRIP_DAYS 31 /* a request covers at most this many days */

/* The seeded defaults of the tenant's fleet_settings (seed.c says why). */
#define FL_START_WINDOW_MIN 120   /* a start this far from the plan asks for a reason */
#define FL_MAX_AVG_KMH 120        /* a faster average speed asks for a reason */
#define FL_DISTANCE_RATIO_PCT 200 /* a distance this far from the usual asks for one */
#define FL_DISTANCE_SLACK_KM 10   /* … unless it differs by no more than this */
#define FL_DISTANCE_MIN_TRIPS 3   /* closed trips to a destination that make a usual */
#define FL_OVERDUE_HOLD_MIN 120   /* a car out past its end is held this long ahead */

/* ---- rules.c: pure checks (unit-tested) ---- */

/* lookup.c: a car as other modules see it (arena memory) */
struct arena;
struct fl_vehicle_ref {
    int64_t id, price_fen, department_id;
    const char *plate, *brand, *model, *registered_on, *status; /* "" when not set */
};
/* The tenant's cars by id, at most max into out (*n of them). */
int fl_vehicle_list(struct arena *a, struct db_conn *c, int64_t tenant, struct fl_vehicle_ref *out,
                    int max, int *n, struct err *e);

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

/* The limits of a class standard (vehicle_standards): the price in fen and
 * the displacement in tenths of a litre, -1 where there is none. */
struct fl_limits {
    int64_t price_fen;
    int64_t disp_tenths;
};
#define FL_OVER_PRICE 1
#define FL_OVER_DISPLACEMENT 2
/* Which limits a vehicle of energy breaks (FL_OVER_* bits; 0 none): the
 * price against the new-energy row for battery-electric cars and plug-in
 * hybrids, against the fuel row for the others; the displacement (in
 * millilitres, thousandths of a litre) against the fuel row, except for
 * battery-electric cars, which have none. price_fen or disp_ml -1: not
 * given, not checked. */
int fl_standard_over(const struct fl_limits *nev, const struct fl_limits *fuel, const char *energy,
                     int64_t price_fen, int64_t disp_ml);
/* 1 for the energies that count as new energy for the price limit. */
int fl_new_energy(const char *energy);

/* Plausibility of a trip (the thresholds are the tenant's fleet_settings). */
/* 1 when a trip started at t, planned to start at planned, is more than
 * window_min minutes early or late. */
int fl_start_off(int64_t planned, int64_t t, int64_t window_min);
/* 1 when a car due back at due (its trip's planned end) and still out at
 * now may not take a request starting at start: it is late, and the request
 * starts within hold_min minutes from now (when it is back is unknown). A
 * car out but not yet due is left to the overlap rule. */
int fl_still_out(int64_t due, int64_t now, int64_t start, int64_t hold_min);
/* 1 when km driven in secs seconds is faster on average than max_kmh. */
int fl_too_fast(int64_t km, int64_t secs, int64_t max_kmh);
/* 1 when km is far from usual: more than ratio_pct % of it, or usual more
 * than ratio_pct % of km, and the two differ by more than slack_km. */
int fl_distance_unusual(int64_t km, int64_t usual, int64_t ratio_pct, int64_t slack_km);
/* The median of v[0..n-1] (sorts v; the lower middle's and upper middle's
 * mean, rounded down, for an even n); 0 when n is 0. */
int64_t fl_median(int64_t *v, int n);

/* ---- hooks.c: what people write into the register ---- */
int fl_vehicle_before_write(struct res_write *w);
int fl_driver_before_write(struct res_write *w);
int fl_request_before_write(struct res_write *w);
int fl_cost_before_write(struct res_write *w);
int fl_item_before_write(struct res_write *w);
int fl_disposal_before_write(struct res_write *w);
int fl_disposal_after_write(struct res_write *w);
int fl_setting_before_write(struct res_write *w);
/* A tenant setting (fleet_settings, the newest row of the name); dflt when
 * the tenant has none. */
int64_t fl_setting(struct req *r, struct db_conn *c, const char *name, int64_t dflt);
/* The newest standard rows of a class: new energy and fuel. */
int fl_limits_for(struct req *r, struct db_conn *c, const char *cls, struct fl_limits *nev,
                  struct fl_limits *fuel, struct err *e);
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
/* The renewal rules and class standards (schema 2 brought them). */
int fl_seed_standards(struct db_conn *c, int64_t tenant_id, struct err *e);
/* The settings schema 4 brought (a new tenant gets them with the rest). */
int fl_seed_settings(struct db_conn *c, int64_t tenant_id, struct err *e);
/* The seeded limits of a class (what a new tenant starts with). */
void fl_seeded_limits(const char *cls, struct fl_limits *nev, struct fl_limits *fuel);
int fl_demo(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e);

#endif
