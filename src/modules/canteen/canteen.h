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
struct err_item;
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
/* ---- ledger.c: the one posting function every writer of the ledger uses ---- */
#define CT_KEY_MAX 100            /* bytes of an idempotency key */
#define CT_AMOUNT_MAX 100000000LL /* fen of one posting (1,000,000.00 yuan) */
#define CT_BATCH_MAX 10000        /* entries of one offline upload */
#define CT_QR_PREFIX "MC1:"       /* a meal card's QR code: MC1:<qr_id> */
struct ct_post {
    const char *kind;   /* topup|subsidy|spend|refund|adjustment|reversal */
    int64_t account_id; /* the person's account */
    int64_t delta_fen;  /* change of the person's balance: spend < 0; topup, refund > 0; subsidy,
                           adjustment != 0 */
    const char *idem_key; /* required, <= 100 bytes; a replay answers the original */
    int64_t canteen_id;   /* spend/refund: the canteen */
    const char *meal; /* breakfast|lunch|dinner|night, NULL: by the time of day and the canteen's
                         periods */
    int64_t at;       /* UTC seconds it happened; 0: now. business_day = local day of at */
    const char *method; /* card|qr|cash|transfer|payroll|system */
    int64_t reader_id, reader_seq, reader_at, drift_s;
    int offline;
    int64_t reverses_id;
    const char *subsidy_month; /* "YYYY-MM" for subsidies */
    const char *note;
    int no_audit; /* 1: the caller appends one audit entry for a whole batch or run */
};
struct ct_posted {
    int64_t id, balance_fen, delta_fen;
    int replayed;
};
/* Posts p inside the caller's open transaction (locks the account's row first). 0, or a
 * negative ERR_* with r->err set to a keyed refusal (nothing written). */
int ct_post(struct req *r, struct db_conn *c, const struct ct_post *p, struct ct_posted *out);
/* The staff price of the meal canteen serves at time at (or of meal, when given): 0 when none. */
int ct_meal_price(struct req *r, struct db_conn *c, int64_t canteen, int64_t at, const char *meal,
                  int64_t *price, struct err *e);
/* Drops what the ledger keeps of the databases it saw (the canteens' sales accounts): for tests
 * that open one database after another. */
void ct_ledger_forget(void);
/* The tenant's overdraft setting (cached for the transaction). */
int64_t ct_overdraft(struct req *r, struct db_conn *c);
/* Recomputes every person account's balance from the entries and compares it with the cache
 * (one SELECT: a consistent snapshot, no write lock); one audit entry, and the admins and
 * canteen managers told of mismatches, in the caller's transaction or else one of its own. */
int ct_ledger_check(struct req *r, struct db_conn *c, int64_t *checked, int64_t *mismatched,
                    struct err *e);
struct job_ctx;
int ct_job_ledger_check(struct job_ctx *j, struct err *e);

/* What a reader scans: a card number (4-20 hex digits, any case, blanks around) or a QR code
 * "MC1:<qr_id>". 0 with out filled (value upper-cased, NUL-terminated), or -1. Pure. */
enum { CT_SCAN_CARD = 1, CT_SCAN_QR = 2 };
struct ct_scan {
    int kind;
    char value[CT_CARD_MAX > CT_QR_LEN ? CT_CARD_MAX + 1 : CT_QR_LEN + 1];
};
int ct_scan_parse(const char *s, size_t n, struct ct_scan *out);
/* An offline reader's upload {reader, sent_at, entries: [{seq, card|qr, amount_fen?, at,
 * meal?}]}: the whole refused (422) when its frame is wrong; each entry decoded or marked
 * with the key of why not (ok 0, why). Pure but for the arena. */
struct ct_entry {
    int64_t seq, amount_fen, at;
    struct ct_scan scan;
    const char *meal;
    int ok;
    struct err_item *why; /* ok 0: why not (key, message, parameters) */
};
struct ct_batch {
    const char *reader;
    int64_t sent_at;
    int n;
    struct ct_entry *e;
};
struct arena;
int ct_batch_decode(json_t *body, struct arena *a, struct ct_batch *b, struct err *e);

/* ---- cards.c: the routes of cards, readers and postings ---- */
int ct_route_post(struct req *r);
int ct_route_batch(struct req *r);
int ct_route_lookup(struct req *r);
int ct_route_me(struct req *r);
int ct_route_me_qr(struct req *r);
int ct_action_refund(struct req *r, const struct res_entity *ent, int64_t id, json_t *body);
int ct_action_reverse(struct req *r, const struct res_entity *ent, int64_t id, json_t *body);
int ct_action_new_qr(struct req *r, const struct res_entity *ent, int64_t id, json_t *body);
int ct_action_reader_token(struct req *r, const struct res_entity *ent, int64_t id,
                           json_t *body);
int ct_close_check(struct wf *w);

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
