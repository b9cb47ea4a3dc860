/* SPDX-License-Identifier: MIT
 * canteen/ledger.c - the one posting function every writer of the meal-card
 * ledger uses (ct_post), the parser of what a reader scans and uploads
 * (ct_scan_parse, ct_batch_decode: pure, fuzzed), and the nightly check of
 * the cached balances against the entries (ct_ledger_check).
 *
 * A posting, inside the caller's transaction: the person's account row is
 * locked first (PostgreSQL: SELECT … FOR UPDATE; SQLite's write transaction
 * holds the whole database), then its idempotency key is looked up — a
 * replay with the same account, kind and change answers the original entry
 * (replayed), the same key with anything else is 409 canteen.txn.key_reused —
 * then the account's state (unknown, frozen, closed), the balance against
 * the tenant's overdraft, a refund against what is left of its spend, a
 * reversal against an earlier one; the counter account is picked (a
 * canteen's sales, the tenant's cash, subsidy fund or adjustments), the row
 * inserted, the cached balance written and the posting audited. Only the
 * person accounts cache a balance: the ledger's own accounts are derived
 * from the entries (credits − debits) whenever they are read, so that every
 * spend of a canteen does not queue on its sales account's row.
 */
#include "canteen.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/buf.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../core/jobs.h"
#include "../../core/config.h"
#include "../../core/tenant.h"
#include "../../db/db.h"
#include "../../engine/record.h"
#include "../../engine/workflow.h"
#include "../notify/notify.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* ---- what a reader scans: pure ---- */

int ct_scan_parse(const char *s, size_t n, struct ct_scan *out)
{
    memset(out, 0, sizeof(*out));
    if (!s)
        return -1;
    while (n && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    size_t pl = sizeof(CT_QR_PREFIX) - 1;
    if (n >= pl && !memcmp(s, CT_QR_PREFIX, pl)) {
        s += pl, n -= pl;
        if (n != CT_QR_LEN)
            return -1;
        for (size_t i = 0; i < n; i++) {
            char ch = s[i];
            if (!((ch >= 'A' && ch <= 'Z') || (ch >= '2' && ch <= '7')))
                return -1;
            out->value[i] = ch;
        }
        out->kind = CT_SCAN_QR;
        return 0;
    }
    if (n < 4 || n > CT_CARD_MAX)
        return -1;
    for (size_t i = 0; i < n; i++) {
        char ch = (char)toupper((unsigned char)s[i]);
        if (!((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'F')))
            return -1;
        out->value[i] = ch;
    }
    out->kind = CT_SCAN_CARD;
    return 0;
}

/* Where an entry's refusal goes (a static one when the arena is full). */
static struct err_item *why_of(struct arena *a, struct ct_entry *x)
{
    static _Thread_local struct err_item spare;
    x->why = arena_zalloc(a, sizeof(*x->why));
    if (!x->why)
        x->why = &spare;
    return x->why;
}

static int entry_int(json_t *o, const char *k, int64_t lo, int64_t hi, int64_t *v, int need)
{
    json_t *j = json_object_get(o, k);
    if (!j || json_is_null(j))
        return need ? -1 : 0;
    if (!json_is_integer(j))
        return -1;
    int64_t x = json_integer_value(j);
    if (x < lo || x > hi)
        return -1;
    *v = x;
    return 0;
}

static int meal_known(const char *m)
{
    for (const struct res_enum *v = ct_meals; v->value; v++)
        if (!strcmp(v->value, m))
            return 1;
    return 0;
}

/* An RFC 3339 member, or a number of Unix seconds. */
static int entry_time(json_t *o, const char *k, int64_t *t)
{
    json_t *j = json_object_get(o, k);
    if (json_is_integer(j)) {
        *t = json_integer_value(j);
        return *t > 0 && *t < 32503680000LL ? 0 : -1;
    }
    if (!json_is_string(j))
        return -1;
    const char *s = json_string_value(j);
    return time_parse_rfc3339(s, strlen(s), t) || *t <= 0 ? -1 : 0;
}

int ct_batch_decode(json_t *body, struct arena *a, struct ct_batch *b, struct err *e)
{
    memset(b, 0, sizeof(*b));
    if (!json_is_object(body)) {
        err_field(e, "entries", "canteen.batch.format", "send {reader, sent_at, entries}");
        return err_invalid(e);
    }
    const char *k;
    json_t *v;
    json_object_foreach(body, k, v)
    {
        if (strcmp(k, "reader") && strcmp(k, "sent_at") && strcmp(k, "entries")) {
            char q[64];
            err_quote(q, sizeof(q), k, strlen(k));
            err_field(e, q, "field.unknown", "unknown field");
        }
    }
    json_t *reader = json_object_get(body, "reader");
    if (!json_is_string(reader) || !json_string_length(reader) ||
        json_string_length(reader) > 40)
        err_field(e, "reader", "field.required", "is required");
    else
        b->reader = json_string_value(reader);
    if (entry_time(body, "sent_at", &b->sent_at))
        err_field(e, "sent_at", "canteen.batch.sent_at",
                  "the reader's clock when it sent the batch (RFC 3339)");
    json_t *entries = json_object_get(body, "entries");
    size_t n = json_is_array(entries) ? json_array_size(entries) : 0;
    if (!n || n > CT_BATCH_MAX)
        err_field(e, "entries", "canteen.batch.entries", "from 1 to {max}%d entries",
                  CT_BATCH_MAX);
    if (e->nitems)
        return err_invalid(e);
    b->e = arena_zalloc(a, sizeof(*b->e) * n);
    if (!b->e)
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    b->n = (int)n;
    for (size_t i = 0; i < n; i++) {
        struct ct_entry *x = &b->e[i];
        json_t *o = json_array_get(entries, i);
        x->ok = 0;
        if (!json_is_object(o)) {
            err_item_set(why_of(a, x), "canteen.batch.entry", "is not an entry");
            continue;
        }
        if (entry_int(o, "seq", 1, INT64_MAX / 2, &x->seq, 1)) {
            err_item_set(why_of(a, x), "canteen.batch.seq", "seq: a positive integer");
            continue;
        }
        json_t *card = json_object_get(o, "card"), *qr = json_object_get(o, "qr");
        json_t *scan = json_is_string(card) ? card : qr;
        if (!json_is_string(scan) || (json_is_string(card) && json_is_string(qr)) ||
            ct_scan_parse(json_string_value(scan), json_string_length(scan), &x->scan) ||
            (scan == qr && x->scan.kind != CT_SCAN_QR)) {
            err_item_set(why_of(a, x), "canteen.scan.format", "give card or qr as scanned");
            continue;
        }
        if (entry_int(o, "amount_fen", 1, CT_AMOUNT_MAX, &x->amount_fen, 0)) {
            err_item_set(why_of(a, x), "field.min", "amount_fen: at least {min}%d", 1);
            continue;
        }
        if (entry_time(o, "at", &x->at)) {
            err_item_set(why_of(a, x), "canteen.batch.at", "at: the reader's time (RFC 3339)");
            continue;
        }
        json_t *meal = json_object_get(o, "meal");
        if (meal && !json_is_null(meal)) {
            if (!json_is_string(meal) || !meal_known(json_string_value(meal))) {
                err_item_set(why_of(a, x), "field.enum", "meal: breakfast, lunch, dinner or night");
                continue;
            }
            x->meal = json_string_value(meal);
        }
        x->ok = 1;
    }
    return 0;
}

/* ---- the posting ---- */

static const char *const kinds[] = {"topup", "subsidy", "spend",
                                    "refund", "adjustment", "reversal", NULL};
static const char *const methods[] = {"card", "qr", "cash", "transfer", "payroll", "system", NULL};

static int one_of(const char *s, const char *const *list)
{
    for (int i = 0; s && list[i]; i++)
        if (!strcmp(s, list[i]))
            return 1;
    return 0;
}

/* What a transaction keeps of one posting, per thread and transaction: the
 * tenant's overdraft and the sales accounts and meal periods of canteens
 * (a batch of 10,000 spends reads each once). */
#define CACHE_CANTEENS 16
#define CACHE_PERIODS 8
struct period {
    int from, to;
    int64_t price;
    char meal[16];
};
static _Thread_local struct {
    uint64_t tx;
    struct db_conn *c;
    int64_t tenant;
    int64_t overdraft;
    int have_overdraft;
    int n;
    struct {
        int64_t canteen, account;
        int np;
        int have_periods;
        struct period p[CACHE_PERIODS];
    } ct[CACHE_CANTEENS];
} cache;

static void cache_for(struct req *r, struct db_conn *c)
{
    uint64_t tx = db_tx_serial(c);
    if (cache.tx == tx && cache.c == c && cache.tenant == r->tenant_id)
        return;
    memset(&cache, 0, sizeof(cache));
    cache.tx = tx;
    cache.c = c;
    cache.tenant = r->tenant_id;
}

int64_t ct_overdraft(struct req *r, struct db_conn *c)
{
    cache_for(r, c);
    if (!cache.have_overdraft) {
        cache.overdraft = ct_setting(r, c, "overdraft_fen", CT_OVERDRAFT_FEN);
        cache.have_overdraft = 1;
    }
    return cache.overdraft;
}

/* The canteens' sales accounts, for the process: an account never changes
 * its id or goes away, so one found is kept (one made in a transaction
 * still open is not: it could roll back). */
#define SALES_KEPT 256
static struct {
    const struct db *db;
    int64_t tenant, canteen, account;
} sales[SALES_KEPT];
static pthread_mutex_t sales_mu = PTHREAD_MUTEX_INITIALIZER;

static int64_t sales_known(const struct db *db, int64_t tenant, int64_t canteen)
{
    int64_t acct = 0;
    pthread_mutex_lock(&sales_mu);
    for (int i = 0; i < SALES_KEPT && !acct; i++)
        if (sales[i].db == db && sales[i].tenant == tenant && sales[i].canteen == canteen)
            acct = sales[i].account;
    pthread_mutex_unlock(&sales_mu);
    return acct;
}

static void sales_keep(const struct db *db, int64_t tenant, int64_t canteen, int64_t account)
{
    pthread_mutex_lock(&sales_mu);
    int at = (int)((uint64_t)(tenant * 31 + canteen) % SALES_KEPT);
    sales[at].db = db;
    sales[at].tenant = tenant;
    sales[at].canteen = canteen;
    sales[at].account = account;
    pthread_mutex_unlock(&sales_mu);
}

void ct_ledger_forget(void)
{
    pthread_mutex_lock(&sales_mu);
    memset(sales, 0, sizeof(sales));
    pthread_mutex_unlock(&sales_mu);
    memset(&cache, 0, sizeof(cache));
}

/* The cache slot of canteen id (its sales account found, made when
 * missing): its index, or a negative ERR_* (422 naming canteen_id when it is
 * no canteen of the tenant). */
static int canteen_slot(struct req *r, struct db_conn *c, int64_t canteen, struct err *e)
{
    cache_for(r, c);
    for (int i = 0; i < cache.n; i++)
        if (cache.ct[i].canteen == canteen)
            return i;
    int64_t acct = sales_known(c->db, r->tenant_id, canteen), found = 0;
    int rc = acct ? 1 : db_one_int(c,
                        "SELECT id FROM meal_accounts WHERE tenant_id = ? AND kind = 'canteen' AND "
                        "canteen_id = ? ORDER BY id LIMIT 1",
                        DB_INTS(r->tenant_id, canteen), &acct, e);
    if (rc < 0)
        return rc;
    if (!rc) {
        rc = db_one_int(c, "SELECT COUNT(*) FROM canteens WHERE tenant_id = ? AND id = ?",
                        DB_INTS(r->tenant_id, canteen), &found, e);
        if (rc < 0)
            return rc;
        if (!found) {
            err_field(e, "canteen_id", "canteen.canteen.unknown", "no canteen {canteen}%lld",
                      (long long)canteen);
            return err_invalid(e);
        }
        if ((rc = ct_system_account(c, r->tenant_id, "canteen", canteen, &acct, e)))
            return rc;
    } else /* found: committed before this transaction began, it stays */
        sales_keep(c->db, r->tenant_id, canteen, acct);
    int i = cache.n < CACHE_CANTEENS ? cache.n++ : CACHE_CANTEENS - 1;
    memset(&cache.ct[i], 0, sizeof(cache.ct[i]));
    cache.ct[i].canteen = canteen;
    cache.ct[i].account = acct;
    return i;
}

/* The period serving at local minute m of the day in canteen slot i (or
 * the first of meal, when given); NULL when none does. */
static const struct period *period_at(struct req *r, struct db_conn *c, int i, int m,
                                      const char *meal, struct err *e)
{
    if (!cache.ct[i].have_periods) {
        struct db_stmt *st;
        if (db_prepare_ints(c,
                            "SELECT meal, starts, ends, price_fen FROM meal_periods WHERE tenant_id = ? AND "
                            "canteen_id = ? AND active = 1 ORDER BY starts",
                            DB_INTS(r->tenant_id, cache.ct[i].canteen), &st, e))
            return NULL;
        int rc;
        while ((rc = db_step(st, e)) == DB_ROW && cache.ct[i].np < CACHE_PERIODS) {
            struct period *p = &cache.ct[i].p[cache.ct[i].np];
            p->from = ct_hhmm(db_col_text(st, 1, NULL));
            p->to = ct_hhmm(db_col_text(st, 2, NULL));
            snprintf(p->meal, sizeof(p->meal), "%s", db_col_text(st, 0, NULL));
            p->price = db_col_int(st, 3);
            if (p->from >= 0 && p->to >= 0)
                cache.ct[i].np++;
        }
        db_reset(st);
        cache.ct[i].have_periods = 1;
    }
    for (int k = 0; k < cache.ct[i].np; k++)
        if (meal ? !strcmp(meal, cache.ct[i].p[k].meal)
                 : m >= cache.ct[i].p[k].from && m < cache.ct[i].p[k].to)
            return &cache.ct[i].p[k];
    return NULL;
}

static const char *meal_at(struct req *r, struct db_conn *c, int i, int m, struct err *e)
{
    const struct period *p = period_at(r, c, i, m, NULL, e);
    return p ? p->meal : NULL;
}

static int64_t local_minute(struct req *r, int64_t at)
{
    int64_t local = at + (int64_t)r->utc_offset_min * 60;
    int64_t s = local % 86400;
    return (s < 0 ? s + 86400 : s) / 60;
}

int ct_meal_price(struct req *r, struct db_conn *c, int64_t canteen, int64_t at, const char *meal,
                  int64_t *price, struct err *e)
{
    *price = 0;
    int i = canteen_slot(r, c, canteen, e);
    if (i < 0)
        return i;
    const struct period *p = period_at(r, c, i, (int)local_minute(r, at), meal, e);
    if (p)
        *price = p->price;
    return 0;
}

static const char lock_pg[] =
    "SELECT kind, person_id, department_id, status, balance_fen FROM meal_accounts WHERE "
    "tenant_id = ? AND id = ? FOR UPDATE";
static const char lock_lite[] =
    "SELECT kind, person_id, department_id, status, balance_fen FROM meal_accounts WHERE "
    "tenant_id = ? AND id = ?";

struct orig {
    int64_t id, account, delta, balance, amount, canteen, debit, credit;
    char kind[16];
};

/* Transaction by key (key set) or by id: 1 found, 0 not, or an error. */
static int load_txn(struct req *r, struct db_conn *c, const char *key, int64_t id, struct orig *o,
                    struct err *e)
{
    struct db_stmt *st;
    int rc = key ? db_prepare_ints(c,
                                   "SELECT id, account_id, delta_fen, balance_fen, amount_fen, "
                                   "canteen_id, debit_account_id, credit_account_id, kind FROM "
                                   "meal_transactions WHERE tenant_id = ? AND idem_key = ?",
                                   DB_INTS(r->tenant_id), &st, e)
                 : db_prepare_ints(c,
                                   "SELECT id, account_id, delta_fen, balance_fen, amount_fen, "
                                   "canteen_id, debit_account_id, credit_account_id, kind FROM "
                                   "meal_transactions WHERE tenant_id = ? AND id = ?",
                                   DB_INTS(r->tenant_id, id), &st, e);
    if (rc)
        return rc;
    if (key)
        db_bind_text(st, 2, key, strlen(key));
    memset(o, 0, sizeof(*o));
    if ((rc = db_step(st, e)) == DB_ROW) {
        o->id = db_col_int(st, 0);
        o->account = db_col_int(st, 1);
        o->delta = db_col_int(st, 2);
        o->balance = db_col_int(st, 3);
        o->amount = db_col_int(st, 4);
        o->canteen = db_col_int(st, 5);
        o->debit = db_col_int(st, 6);
        o->credit = db_col_int(st, 7);
        snprintf(o->kind, sizeof(o->kind), "%s", db_col_text(st, 8, NULL));
    }
    db_reset(st);
    return rc < 0 ? rc : rc == DB_ROW;
}

int ct_post(struct req *r, struct db_conn *c, const struct ct_post *p, struct ct_posted *out)
{
    struct err *e = &r->err;
    int rc;
    memset(out, 0, sizeof(*out));
    /* the posting itself */
    if (!one_of(p->kind, kinds))
        return err_field(e, "kind", "field.enum", "is not a kind of transaction"), err_invalid(e);
    size_t kl = p->idem_key ? strlen(p->idem_key) : 0;
    if (!kl)
        return err_field(e, "idem_key", "field.required", "is required"), err_invalid(e);
    if (kl > CT_KEY_MAX) {
        err_field(e, "idem_key", "field.too_long", "at most {max}%d characters", CT_KEY_MAX);
        return err_invalid(e);
    }
    int spend = !strcmp(p->kind, "spend"), refund = !strcmp(p->kind, "refund");
    int reversal = !strcmp(p->kind, "reversal");
    int64_t d = p->delta_fen;
    if (!reversal) {
        if (d == 0 || d < -CT_AMOUNT_MAX || d > CT_AMOUNT_MAX ||
            ((spend && d > 0) || ((refund || !strcmp(p->kind, "topup")) && d < 0))) {
            err_field(e, "amount_fen", "field.min", "must be at least {min}%d fen", 1);
            return err_invalid(e);
        }
    }
    if (p->meal && !meal_known(p->meal))
        return err_field(e, "meal", "field.enum", "is not a meal"), err_invalid(e);
    if (p->method && !one_of(p->method, methods))
        return err_field(e, "method", "field.enum", "is not a method"), err_invalid(e);
    if (!strcmp(p->kind, "adjustment") && (!p->note || !*p->note))
        return err_field(e, "note", "field.required", "give the reason of the adjustment"), err_invalid(e);
    if (p->note && strlen(p->note) > 500)
        return err_field(e, "note", "field.too_long", "at most 500 characters"), err_invalid(e);
    if ((refund || reversal) && p->reverses_id <= 0)
        return err_field(e, "reverses_id", "field.required", "is required"), err_invalid(e);
    if (spend && p->canteen_id <= 0)
        return err_field(e, "canteen_id", "field.required", "is required"), err_invalid(e);

    /* the account, locked */
    struct db_stmt *st;
    if ((rc = db_prepare_ints(c, db_dialect(c->db) == DB_PG ? lock_pg : lock_lite,
                              DB_INTS(r->tenant_id, p->account_id), &st, e)))
        return rc;
    char kind[16] = "", status[16] = "";
    int64_t person = 0, dept = 0, bal = 0;
    if ((rc = db_step(st, e)) == DB_ROW) {
        snprintf(kind, sizeof(kind), "%s", db_col_text(st, 0, NULL));
        person = db_col_int(st, 1);
        dept = db_col_int(st, 2);
        snprintf(status, sizeof(status), "%s", db_col_text(st, 3, NULL));
        bal = db_col_int(st, 4);
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    if (rc != DB_ROW || strcmp(kind, "person")) {
        err_field(e, "account_id", "canteen.account.unknown", "no meal card {account}%lld",
                  (long long)p->account_id);
        return err_invalid(e);
    }

    /* a replay answers the original */
    struct orig o;
    if ((rc = load_txn(r, c, p->idem_key, 0, &o, e)) < 0)
        return rc;
    if (rc) {
        int same = o.account == p->account_id && !strcmp(o.kind, p->kind) &&
                   (reversal ? 1 : o.delta == d);
        if (!same)
            return err_set(e, ERR_CONFLICT, "idem_key", "canteen.txn.key_reused",
                           "key {key}%s was used for transaction {id}%lld of another account, "
                           "kind or amount",
                           p->idem_key, (long long)o.id);
        out->id = o.id;
        out->balance_fen = o.balance;
        out->delta_fen = o.delta;
        out->replayed = 1;
        return 0;
    }
    if (!strcmp(status, "frozen"))
        return err_set(e, ERR_CONFLICT, NULL, "canteen.account.frozen",
                       "meal card {account}%lld is frozen", (long long)p->account_id);
    if (strcmp(status, "active"))
        return err_set(e, ERR_CONFLICT, NULL, "canteen.account.closed",
                       "meal card {account}%lld is closed", (long long)p->account_id);

    /* the counter account */
    int64_t counter = 0, canteen = p->canteen_id, reverses = 0;
    struct orig orig;
    if (refund || reversal) {
        if ((rc = load_txn(r, c, NULL, p->reverses_id, &orig, e)) < 0)
            return rc;
        if (!rc || orig.account != p->account_id)
            return err_field(e, "reverses_id", "canteen.txn.unknown", "is no transaction of this meal card"), err_invalid(e);
        reverses = orig.id;
        int64_t done = 0;
        if (refund) {
            if (strcmp(orig.kind, "spend"))
                return err_field(e, "reverses_id", "canteen.refund.not_spend", "a refund gives back a spend"), err_invalid(e);
            if ((rc = db_one_int(c,
                                 "SELECT COALESCE(SUM(amount_fen), 0) FROM meal_transactions "
                                 "WHERE tenant_id = ? AND reverses_id = ? AND kind = 'refund'",
                                 DB_INTS(r->tenant_id, orig.id), &done, e)) < 0)
                return rc;
            if (d > orig.amount - done)
                return err_set(e, ERR_CONFLICT, "amount_fen", "canteen.refund.exceeds",
                               "only {left_fen}%lld fen of spend {id}%lld is left to refund",
                               (long long)(orig.amount - done), (long long)orig.id);
            canteen = orig.canteen;
            counter = orig.credit; /* the canteen that was paid */
        } else {
            if (!strcmp(orig.kind, "spend") || !strcmp(orig.kind, "refund") ||
                !strcmp(orig.kind, "reversal"))
                return err_field(e, "reverses_id", "canteen.reversal.kind", "only a top-up, a subsidy or an adjustment is reversed; a spend is "
                           "refunded"), err_invalid(e);
            if ((rc = db_one_int(c,
                                 "SELECT COUNT(*) FROM meal_transactions WHERE tenant_id = ? AND "
                                 "reverses_id = ? AND kind = 'reversal'",
                                 DB_INTS(r->tenant_id, orig.id), &done, e)) < 0)
                return rc;
            if (done)
                return err_set(e, ERR_CONFLICT, "reverses_id", "canteen.txn.reversed",
                               "transaction {id}%lld is reversed already", (long long)orig.id);
            d = -orig.delta;
            counter = orig.delta > 0 ? orig.debit : orig.credit;
            canteen = orig.canteen;
        }
    } else if (spend) {
        int i = canteen_slot(r, c, canteen, e);
        if (i < 0)
            return i;
        counter = cache.ct[i].account;
    } else {
        const char *sys = !strcmp(p->kind, "topup")     ? "cash"
                          : !strcmp(p->kind, "subsidy") ? "subsidy"
                                                        : "adjustment";
        if ((rc = ct_system_account(c, r->tenant_id, sys, 0, &counter, e)))
            return rc;
        if (canteen > 0 && (rc = canteen_slot(r, c, canteen, e)) < 0)
            return rc;
    }
    if (d < 0) {
        int64_t od = ct_overdraft(r, c);
        if (bal + d < -od)
            return err_set(e, ERR_CONFLICT, "amount_fen", "canteen.balance.insufficient",
                           "the balance {balance_fen}%lld fen does not cover {amount_fen}%lld "
                           "fen (overdraft {overdraft_fen}%lld fen)",
                           (long long)bal, (long long)-d, (long long)od);
    }

    /* the entry */
    int64_t now = clock_now(), at = p->at > 0 ? p->at : now;
    int64_t local = at + (int64_t)r->utc_offset_min * 60;
    int64_t day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
    char bday[16];
    date_format(day, bday, sizeof(bday));
    const char *meal = p->meal;
    if (!meal && spend) {
        int i = canteen_slot(r, c, canteen, e);
        if (i < 0)
            return i;
        meal = meal_at(r, c, i, (int)((local - day * 86400) / 60), e);
    }
    int64_t bal2 = bal + d, amount = d < 0 ? -d : d;
    if ((rc = db_prepare(c,
                         "INSERT INTO meal_transactions (tenant_id, version, created_at, "
                         "updated_at, created_by, kind, account_id, person_id, department_id, "
                         "debit_account_id, credit_account_id, amount_fen, delta_fen, "
                         "balance_fen, canteen_id, meal, business_day, at, method, reader_id, "
                         "reader_seq, reader_at, drift_s, offline, idem_key, reverses_id, "
                         "subsidy_month, note) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                         "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         &st, e)))
        return rc;
    int k = 1;
    db_bind_int(st, k++, r->tenant_id);
    db_bind_int(st, k++, now);
    db_bind_int(st, k++, now);
    db_bind_int_or_null(st, k++, r->user_id);
    db_bind_text(st, k++, p->kind, strlen(p->kind));
    db_bind_int(st, k++, p->account_id);
    db_bind_int_or_null(st, k++, person);
    db_bind_int_or_null(st, k++, dept);
    db_bind_int(st, k++, d < 0 ? p->account_id : counter);
    db_bind_int(st, k++, d < 0 ? counter : p->account_id);
    db_bind_int(st, k++, amount);
    db_bind_int(st, k++, d);
    db_bind_int(st, k++, bal2);
    db_bind_int_or_null(st, k++, canteen > 0 ? canteen : 0);
    if (meal)
        db_bind_text(st, k++, meal, strlen(meal));
    else
        db_bind_null(st, k++);
    db_bind_text(st, k++, bday, strlen(bday));
    db_bind_int(st, k++, at);
    if (p->method)
        db_bind_text(st, k++, p->method, strlen(p->method));
    else
        db_bind_null(st, k++);
    db_bind_int_or_null(st, k++, p->reader_id);
    if (p->reader_id && p->reader_seq > 0) /* an offline entry's number; online: none */
        db_bind_int(st, k++, p->reader_seq);
    else
        db_bind_null(st, k++);
    db_bind_int_or_null(st, k++, p->reader_at);
    if (p->reader_id && p->reader_at)
        db_bind_int(st, k++, p->drift_s);
    else
        db_bind_null(st, k++);
    db_bind_int(st, k++, p->offline ? 1 : 0);
    db_bind_text(st, k++, p->idem_key, kl);
    db_bind_int_or_null(st, k++, reverses);
    if (p->subsidy_month)
        db_bind_text(st, k++, p->subsidy_month, strlen(p->subsidy_month));
    else
        db_bind_null(st, k++);
    if (p->note)
        db_bind_text(st, k++, p->note, strlen(p->note));
    else
        db_bind_null(st, k++);
    int64_t id = 0;
    if ((rc = db_step(st, e)) == DB_ROW)
        id = db_col_int(st, 0);
    db_reset(st);
    if (rc == -ERR_UNIQUE) {
        err_clear(e);
        return err_set(e, ERR_CONFLICT, "idem_key", "canteen.txn.key_reused",
                       "key {key}%s is taken by another transaction", p->idem_key);
    }
    if (rc < 0)
        return rc;
    if (!id)
        return err_set(e, ERR_INTERNAL, NULL, NULL, "no id returned");
    int64_t changed = db_exec_ints(c,
                                   "UPDATE meal_accounts SET balance_fen = ?, version = version + "
                                   "1, updated_at = ? WHERE tenant_id = ? AND id = ?",
                                   DB_INTS(bal2, now, r->tenant_id, p->account_id), e);
    if (changed < 0)
        return (int)changed;
    if (!p->no_audit) {
        json_t *after = json_pack("{s:s,s:I,s:I,s:I,s:I,s:s}", "kind", p->kind, "account_id",
                                  (json_int_t)p->account_id, "delta_fen", (json_int_t)d,
                                  "balance_fen", (json_int_t)bal2, "counter_account_id",
                                  (json_int_t)counter, "idem_key", p->idem_key);
        if (!after)
            return err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
        if (canteen > 0)
            json_object_set_new(after, "canteen_id", json_integer(canteen));
        if (reverses)
            json_object_set_new(after, "reverses_id", json_integer(reverses));
        if (p->reader_id) {
            json_object_set_new(after, "reader_id", json_integer(p->reader_id));
            json_object_set_new(after, "reader_seq", json_integer(p->reader_seq));
        }
        rc = rec_audit(r, c, p->kind, "meal_transactions", id, NULL, after, e);
        json_decref(after);
        if (rc)
            return rc;
    }
    out->id = id;
    out->balance_fen = bal2;
    out->delta_fen = d;
    return 0;
}

/* ---- the nightly check ---- */

int ct_ledger_check(struct req *r, struct db_conn *c, int64_t *checked, int64_t *mismatched,
                    struct err *e)
{
    *checked = *mismatched = 0;
    struct db_stmt *st;
    /* every person account's cache beside credits − debits of its entries */
    int rc = db_prepare_ints(
        c,
        "SELECT a.id, a.balance_fen, COALESCE(cr.s, 0) - COALESCE(db.s, 0), a.card_no FROM "
        "meal_accounts a LEFT JOIN (SELECT credit_account_id AS id, SUM(amount_fen) AS s FROM "
        "meal_transactions WHERE tenant_id = ? GROUP BY credit_account_id) cr ON cr.id = a.id "
        "LEFT JOIN (SELECT debit_account_id AS id, SUM(amount_fen) AS s FROM meal_transactions "
        "WHERE tenant_id = ? GROUP BY debit_account_id) db ON db.id = a.id WHERE a.tenant_id = ? "
        "AND a.kind = 'person' ORDER BY a.id",
        DB_INTS(r->tenant_id, r->tenant_id, r->tenant_id), &st, e);
    if (rc)
        return rc;
    json_t *bad_list = json_array();
    while ((rc = db_step(st, e)) == DB_ROW) {
        (*checked)++;
        int64_t cached = db_col_int(st, 1), derived = db_col_int(st, 2);
        if (cached != derived) {
            (*mismatched)++;
            if (json_array_size(bad_list) < 100)
                json_array_append_new(bad_list,
                                      json_pack("{s:I,s:s,s:I,s:I}", "account_id",
                                                (json_int_t)db_col_int(st, 0), "card_no",
                                                db_col_text(st, 3, NULL), "cached_fen",
                                                (json_int_t)cached, "entries_fen",
                                                (json_int_t)derived));
        }
    }
    db_reset(st);
    if (rc < 0) {
        json_decref(bad_list);
        return rc;
    }
    if (!*mismatched) { /* a check that finds the books right changes nothing: its run is
                           in the jobs' record (bureau_job_runs) */
        json_decref(bad_list);
        return 0;
    }
    /* what it found is written in a transaction of its own unless the caller
     * holds one: the reading above took no write lock */
    int own = !db_in_tx(c);
    if (own && (rc = db_begin(c, e))) {
        json_decref(bad_list);
        return rc;
    }
    json_t *after = json_pack("{s:I,s:I,s:o}", "checked", (json_int_t)*checked, "mismatched",
                              (json_int_t)*mismatched, "accounts", bad_list);
    rc = rec_audit(r, c, "ledger_check", "meal_accounts", 0, NULL, after, e);
    json_decref(after);
    if (!rc) {
        char text[200];
        snprintf(text, sizeof(text), "饭卡余额与流水不符：%lld 个账户（共核对 %lld 个）",
                 (long long)*mismatched, (long long)*checked);
        static const char *const roles[] = {"admin", "canteen_manager"};
        for (int i = 0; i < 2 && !rc; i++)
            rc = notify_role(r, c, roles[i], "canteen.ledger_mismatch", "饭卡账务核对发现不符",
                             text, "meal_accounts", 0, NULL, e);
    }
    if (own) {
        if (rc)
            db_rollback(c);
        else
            rc = db_commit(c, e);
    }
    return rc;
}

int ct_job_ledger_check(struct job_ctx *j, struct err *e)
{
    enum { MAX_TENANTS = 1000 };
    int64_t tenants[MAX_TENANTS];
    int nt = 0;
    int64_t all = 0, off = 0;
    int rc = tenant_ids(j->c, 0, tenants, MAX_TENANTS, &nt, e);
    for (int i = 0; !rc && i < nt; i++) {
        struct arena *a = arena_new(16u << 20);
        struct req r;
        req_init_internal(&r, a, config_current(), j->db);
        r.tenant_id = tenants[i];
        r.dbc = j->c;
        r.utc_offset_min = tenant_utc_offset(j->c, tenants[i], r.utc_offset_min);
        int64_t checked, mismatched;
        /* one SELECT reads a consistent snapshot without the write lock: sign-ins
         * and spends go on while a city's ledger is summed */
        rc = ct_ledger_check(&r, j->c, &checked, &mismatched, e);
        if (!rc)
            all += checked, off += mismatched;
        arena_free(a);
    }
    snprintf(j->message, sizeof(j->message), "%lld accounts checked, %lld mismatched",
             (long long)all, (long long)off);
    return rc;
}
