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
extern const struct res_entity ct_subsidy_rules, ct_subsidy_runs; /* subsidy_entities.c */
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

/* ---- ledger.c ---- */
struct ct_post {
    const char *kind;       /* topup|subsidy|spend|refund|adjustment|reversal */
    int64_t account_id;     /* the person's account */
    int64_t delta_fen;      /* change of the person's balance: spend < 0; topup, refund > 0; subsidy, adjustment != 0 */
    const char *idem_key;   /* required, <= 100 bytes; a replay answers the original */
    int64_t canteen_id;     /* spend/refund: the canteen */
    const char *meal;       /* breakfast|lunch|dinner|night, NULL: by the time of day and the canteen's periods */
    int64_t at;             /* UTC seconds it happened; 0: now. business_day = local day of at */
    const char *method;     /* card|qr|cash|transfer|payroll|system */
    int64_t reader_id, reader_seq, reader_at, drift_s;
    int offline;
    int64_t reverses_id;
    const char *subsidy_month; /* "YYYY-MM" for subsidies */
    const char *note;
    int no_audit;           /* 1: the caller appends one audit entry for a whole batch or run */
};
struct ct_posted { int64_t id, balance_fen, delta_fen; int replayed; };
/* Posts p inside the caller's open transaction (locks the account's row first). 0, or a
 * negative ERR_* with r->err set to a keyed refusal (nothing written). */
int ct_post(struct req *r, struct db_conn *c, const struct ct_post *p, struct ct_posted *out);

/* ---- subsidies.c: the meal subsidies by rank and their monthly runs ---- */
int ct_subsidy_rule_before_write(struct res_write *w);
int ct_subsidy_run_before_write(struct res_write *w);
int ct_subsidy_run_check(struct wf *w);
/* GET /api/v1/meal_subsidy_runs/preview?month= */
int ct_subsidy_preview(struct req *r);
/* A new tenant's rules: one for each rank from 副科级 up, none below (the
 * source cancelled subsidies below section level). */
int ct_subsidy_seed(struct db_conn *c, int64_t tenant_id, struct err *e);

/* One rule as the due computation sees it (days since 1970-01-01). */
struct ct_subsidy_rule {
    int64_t id, rank_id, amount_fen;
    int per_day;  /* 1: per working day eaten; 0: monthly */
    int max_days; /* per_day: at most so many days (0: the month's working days) */
    int64_t from, to; /* validity, to -1: open */
};
struct ct_due {
    int64_t rule_id, due_fen;
    int days_paid;
};
/* A person of rank rank who ate on days_eaten working days of the month
 * [first, last] with workdays working days: what the rules make due (the
 * rule of the rank valid in the month that starts last). Returns due_fen. */
int64_t ct_subsidy_due(const struct ct_subsidy_rule *rules, int n, int64_t rank, int64_t first,
                       int64_t last, int days_eaten, int workdays, struct ct_due *out);

/* ---- reconcile.c, statement.c ---- */
/* GET /api/v1/canteen/reconciliation[.xlsx]?day=|month=[&canteen_id=] */
int ct_reconciliation(struct req *r);
/* GET /api/v1/canteen/day?canteen_id=&day= */
int ct_day_view(struct req *r);
/* GET /api/v1/meal_accounts/{id}/statement[.xlsx]?month= */
int ct_statement(struct req *r);

/* ---- summary.c, safety.c: the dashboard cards ---- */
int ct_summary(struct req *r, struct db_conn *c, json_t *cards, struct err *e);
int ct_safety_card(struct req *r, struct db_conn *c, json_t *cards, struct err *e);

#endif
