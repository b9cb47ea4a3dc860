/* SPDX-License-Identifier: MIT
 * canteen.h - the government canteens 机关食堂: canteens and their meal
 * periods, a meal card account per person, the meal-card ledger (every
 * change of a balance is an entry with a debit and a credit account, never
 * an edited figure), card readers online and offline, subsidies by rank,
 * reconciliation, menus and meal bookings, ratings, and the food-safety
 * records the Food Safety Law asks for (docs/modules/canteen.md).
 *
 * Accounts: a person's meal card (kind "person", its balance cached on the
 * row and checked against the entries nightly) and the ledger's other sides:
 * each canteen's sales, the tenant's cash (top-ups), subsidy fund and
 * adjustments. A transaction moves amount_fen from its debit account to its
 * credit account; a person's balance = credits − debits of their account.
 */
#ifndef BUREAU_CANTEEN_H
#define BUREAU_CANTEEN_H

#include "../../engine/module.h"
#include "../../engine/res.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

extern const struct res_entity ct_canteens, ct_meal_periods, ct_settings, ct_accounts,
    ct_readers, ct_transactions;
extern const struct module canteen_module;
extern const struct res_enum ct_meals[]; /* breakfast, lunch, dinner, night */

struct req;
struct db_conn;
struct err;
struct wf;

#define CT_SINCE 7 /* the schema version the module arrived with */

/* The module's settings (canteen_settings), with their defaults: RULES.md §5. */
#define CT_OVERDRAFT_FEN 0            /* a spend may take a balance this far below zero */
#define CT_SAMPLE_MIN_G 125           /* 留样: each dish at least 125 g (GB 31654-2021) */
#define CT_SAMPLE_HOURS 48            /* 留样: kept at least 48 hours */
#define CT_CERT_ALERT_DAYS 30         /* health certificates: alert this many days ahead */
#define CT_KEEP_AFTER_EXPIRY_MONTHS 6 /* delivery records: after the shelf life ends (第50条) */
#define CT_KEEP_NO_SHELF_MONTHS 24    /* delivery records without a shelf life (第50条) */
#define CT_DRIFT_TOLERANCE_S 120      /* a reader's clock within this is taken as it says */
#define CT_RATING_DAYS 7              /* a meal may be rated this many days after */
int64_t ct_setting(struct req *r, struct db_conn *c, const char *name, int64_t dflt);

#define CT_CARD_MAX 20 /* characters of a card number */
#define CT_QR_LEN 20   /* characters of a QR identifier (base32 of 100 random bits) */

/* ---- hooks.c ---- */
int ct_canteen_after_write(struct res_write *w);
int ct_period_before_write(struct res_write *w);
int ct_account_before_write(struct res_write *w);
/* "assigned": the records of the caller's own person (accounts, transactions,
 * bookings, ratings: their person_id) */
int ct_assigned_person(struct req *r, struct db_conn *c, int64_t **ids, int *n, struct err *e);
/* A fresh QR identifier (CT_QR_LEN characters of A-Z2-7, NUL-terminated). */
void ct_new_qr(char out[CT_QR_LEN + 1]);
/* "HH:MM" into minutes of the day, or -1. */
int ct_hhmm(const char *s);

/* ---- dates.c: the date rules (day numbers are local days since 1970-01-01) ---- */
/* day + months, the day of the month kept or clamped to the month's last
 * (*clamped = 1 then; clamped may be NULL) */
int64_t ct_add_months(int64_t day, int months, int *clamped);
/* a health certificate issued on issued: its last valid day (a year) */
int64_t ct_cert_expiry(int64_t issued);
/* a product's last fit day: produced + shelf_days − 1 */
int64_t ct_product_expiry(int64_t produced, int64_t shelf_days);
/* until when a delivery's record is kept (食品安全法 第50条) */
int64_t ct_delivery_keep_until(int64_t delivered, int64_t last_day, int has_shelf,
                               int after_months, int no_shelf_months);
/* the UTC instant a booking for the meal starting at starts_min (local) on
 * day closes, cutoff_min minutes before */
int64_t ct_cutoff_at(int64_t day, int starts_min, int cutoff_min, int utc_offset_min);

/* ---- meals.c: menus, bookings, ratings ---- */
extern const struct res_entity ct_menus, ct_bookings, ct_ratings;
int ct_forecast(struct req *r);
/* the canteen's satisfaction source for the service desk's statistics (module init) */
void ct_init(void);

/* ---- safety_entities.c, safety.c: food safety ---- */
extern const struct res_entity ct_deliveries, ct_samples, ct_certificates, ct_inspections;
int ct_alerts(struct req *r);
struct job_ctx;
int ct_job_certificates(struct job_ctx *j, struct err *e);
/* the stage a certificate expiring on expires is in on today: "expired",
 * "expiring" (within alert_days), or "valid" */
const char *ct_cert_stage(int64_t expires, int64_t today, int64_t alert_days);

/* ---- seed.c ---- */
int ct_seed_tenant(struct db_conn *c, int64_t tenant_id, struct err *e);
/* The tenant's ledger account of a kind ("cash", "subsidy", "adjustment"),
 * or a canteen's sales account (kind "canteen", canteen_id): its id, made
 * when missing. 0 or a negative ERR_*. */
int ct_system_account(struct db_conn *c, int64_t tenant_id, const char *kind,
                      int64_t canteen_id, int64_t *id, struct err *e);

/* ---- demo.c, ledger_demo.c, meals_demo.c ---- */
int ct_demo(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e);
int ct_ledger_demo(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e);
int ct_meals_demo(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e);

/* ---- summary.c, safety.c: the dashboard cards ---- */
int ct_summary(struct req *r, struct db_conn *c, json_t *cards, struct err *e);
int ct_safety_card(struct req *r, struct db_conn *c, json_t *cards, struct err *e);

#endif
