/* SPDX-License-Identifier: MIT
 * canteen/ledger_demo.c - the demo ledger's year, computed in memory in
 * time order and written with multi-row INSERTs: a top-up at the start of
 * each month (and one at the till when a card runs short), the subsidy of
 * each month posted on the 3rd of the next with its run's record (the
 * rules of subsidies.c: per working day eaten), the spends of every working
 * day at the readers of each diner's usual canteen (breakfast for some,
 * lunch for most, dinner for few) at the meal periods' prices, a few
 * refunds, and the days a reader was offline (its entries uploaded later
 * with their sequence numbers). Not everyone eats in a canteen. Every
 * balance is the sum of its entries and never below zero.
 */
#include "canteen.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/buf.h"
#include "../../base/err.h"
#include "../../base/rng.h"
#include "../../core/http.h"
#include "../../core/tenant.h"
#include "../../db/db.h"
#include "../org/calendar.h"
#include "../org/org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NCOL 27
#define BATCH 400
#define MAX_CANTEENS 64
#define MAX_READERS 256
#define MAX_REFUNDS 8000

struct row {
    const char *kind, *meal, *method, *note;
    int64_t account, person, dept, debit, credit, amount, delta, balance, canteen, at, reader, seq,
        reader_at, drift, reverses;
    int offline, has_seq;
    char day[11], key[48], month[8];
};

struct canteen {
    int64_t id, sales, readers[2];
    int64_t price[4];
    int start[4], len[4]; /* minutes of the day; len 0: not served */
    int64_t weight;
};

struct card {
    int64_t account, person, dept, rank, balance;
    int canteen;         /* index, -1: does not eat in a canteen */
    int days, prev_days; /* working days eaten this month and last */
    int64_t eat_day;     /* the last day eaten */
};

struct refund {
    char key[48], spend_key[48];
    struct row r;
};

struct ctx {
    struct db_conn *c;
    struct req *r;
    struct rng g;
    int64_t tenant, now, cash, subsidy;
    struct db_stmt *full;
    struct row buf[BATCH];
    int nbuf;
    int64_t made, serial;
    struct canteen cv[MAX_CANTEENS];
    int nc;
    int64_t reader_seq[MAX_READERS], reader_id[MAX_READERS];
    int nreaders;
    int64_t *sys_bal_id, *sys_bal; /* system accounts' balances */
    int nsys;
    struct refund *refunds;
    int nrefunds;
};

static void bind_row(struct db_stmt *st, int base, const struct row *w, int64_t tenant)
{
    int k = base;
    db_bind_int(st, k++, tenant);
    db_bind_int(st, k++, w->at);
    db_bind_int(st, k++, w->at);
    db_bind_text(st, k++, w->kind, strlen(w->kind));
    db_bind_int(st, k++, w->account);
    db_bind_int(st, k++, w->person);
    db_bind_int_or_null(st, k++, w->dept);
    db_bind_int(st, k++, w->debit);
    db_bind_int(st, k++, w->credit);
    db_bind_int(st, k++, w->amount);
    db_bind_int(st, k++, w->delta);
    db_bind_int(st, k++, w->balance);
    db_bind_int_or_null(st, k++, w->canteen);
    if (w->meal)
        db_bind_text(st, k++, w->meal, strlen(w->meal));
    else
        db_bind_null(st, k++);
    db_bind_text(st, k++, w->day, 10);
    db_bind_int(st, k++, w->at);
    db_bind_text(st, k++, w->method, strlen(w->method));
    db_bind_int_or_null(st, k++, w->reader);
    if (w->has_seq) {
        db_bind_int(st, k++, w->seq);
        db_bind_int(st, k++, w->reader_at);
        db_bind_int(st, k++, w->drift);
    } else {
        db_bind_null(st, k++);
        db_bind_null(st, k++);
        db_bind_null(st, k++);
    }
    db_bind_int(st, k++, w->offline);
    db_bind_text(st, k++, w->key, strlen(w->key));
    db_bind_int_or_null(st, k++, w->reverses);
    if (w->month[0])
        db_bind_text(st, k++, w->month, 7);
    else
        db_bind_null(st, k++);
    if (w->note)
        db_bind_text(st, k++, w->note, strlen(w->note));
    else
        db_bind_null(st, k++);
}

static int prepare_insert(struct ctx *x, int n, struct db_stmt **st, struct err *e)
{
    struct buf sql;
    buf_init(&sql, x->r->a);
    buf_puts(&sql, "INSERT INTO meal_transactions (tenant_id, version, created_at, updated_at, "
                   "kind, account_id, person_id, department_id, debit_account_id, "
                   "credit_account_id, amount_fen, delta_fen, balance_fen, canteen_id, meal, "
                   "business_day, at, method, reader_id, reader_seq, reader_at, drift_s, "
                   "offline, idem_key, reverses_id, subsidy_month, note) VALUES ");
    for (int i = 0; i < n; i++)
        buf_puts(&sql, i ? ", (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                           "?, ?, ?, ?, ?)"
                         : "(?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                           "?, ?, ?, ?)");
    if (!buf_ok(&sql))
        return err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
    return db_prepare(x->c, sql.p, st, e);
}

static int flush(struct ctx *x, struct err *e)
{
    if (!x->nbuf)
        return 0;
    struct db_stmt *st = x->full;
    int rc = 0;
    if (x->nbuf < BATCH && (rc = prepare_insert(x, x->nbuf, &st, e)))
        return rc;
    for (int i = 0; i < x->nbuf; i++)
        bind_row(st, 1 + i * (NCOL - 1), &x->buf[i], x->tenant);
    rc = db_step(st, e);
    db_reset(st);
    x->nbuf = 0;
    return rc < 0 ? rc : 0;
}

static void sys_add(struct ctx *x, int64_t id, int64_t v)
{
    for (int i = 0; i < x->nsys; i++)
        if (x->sys_bal_id[i] == id) {
            x->sys_bal[i] += v;
            return;
        }
    if (x->nsys < MAX_CANTEENS + 8) {
        x->sys_bal_id[x->nsys] = id;
        x->sys_bal[x->nsys++] = v;
    }
}

/* appends an entry moving delta into the card (out of it when negative) */
static int post(struct ctx *x, struct card *p, struct row *w, int64_t other, struct err *e)
{
    p->balance += w->delta;
    w->account = p->account;
    w->person = p->person;
    w->dept = p->dept;
    w->amount = w->delta < 0 ? -w->delta : w->delta;
    w->debit = w->delta < 0 ? p->account : other;
    w->credit = w->delta < 0 ? other : p->account;
    w->balance = p->balance;
    sys_add(x, other, -w->delta); /* the other side: credits − debits */
    if (!w->key[0])
        snprintf(w->key, sizeof(w->key), "demo-%09lld", (long long)++x->serial);
    x->made++;
    x->buf[x->nbuf++] = *w;
    return x->nbuf == BATCH ? flush(x, e) : 0;
}

static void local_day(struct row *w, int64_t day)
{
    char d[16];
    date_format(day, d, sizeof(d));
    memcpy(w->day, d, 10);
    w->day[10] = 0;
}

static int load_world(struct ctx *x, struct card **cards, int *ncards, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare_ints(x->c,
                             "SELECT id FROM canteens WHERE tenant_id = ? AND active = 1 ORDER BY "
                             "id",
                             DB_INTS(x->tenant), &st, e);
    if (rc)
        return rc;
    while ((rc = db_step(st, e)) == DB_ROW && x->nc < MAX_CANTEENS)
        x->cv[x->nc++].id = db_col_int(st, 0);
    db_reset(st);
    if (rc < 0)
        return rc;
    for (int i = 0; i < x->nc; i++) {
        struct canteen *k = &x->cv[i];
        if ((rc = ct_system_account(x->c, x->tenant, "canteen", k->id, &k->sales, e)))
            return rc;
        if ((rc = db_prepare_ints(x->c,
                                  "SELECT meal, starts, ends, price_fen FROM meal_periods WHERE "
                                  "tenant_id = ? AND canteen_id = ? AND active = 1",
                                  DB_INTS(x->tenant, k->id), &st, e)))
            return rc;
        while ((rc = db_step(st, e)) == DB_ROW) {
            const char *m = db_col_text(st, 0, NULL);
            for (int j = 0; j < 4; j++)
                if (!strcmp(m, ct_meals[j].value)) {
                    k->start[j] = ct_hhmm(db_col_text(st, 1, NULL));
                    k->len[j] = ct_hhmm(db_col_text(st, 2, NULL)) - k->start[j];
                    k->price[j] = db_col_int(st, 3);
                }
        }
        db_reset(st);
        if (rc < 0)
            return rc;
        int nr = 0;
        if ((rc = db_prepare_ints(x->c,
                                  "SELECT id FROM meal_readers WHERE tenant_id = ? AND canteen_id "
                                  "= ? ORDER BY id LIMIT 2",
                                  DB_INTS(x->tenant, k->id), &st, e)))
            return rc;
        while ((rc = db_step(st, e)) == DB_ROW)
            k->readers[nr++] = db_col_int(st, 0);
        db_reset(st);
        if (rc < 0)
            return rc;
        if (nr == 1)
            k->readers[1] = k->readers[0];
        int64_t seats = 0;
        db_one_int(x->c, "SELECT seats FROM canteens WHERE id = ?", DB_INTS(k->id), &seats, e);
        k->weight = (seats > 0 ? seats : 100) + (i ? k[-1].weight : 0);
    }
    if ((rc = db_prepare_ints(x->c, "SELECT id FROM meal_readers WHERE tenant_id = ? ORDER BY id",
                              DB_INTS(x->tenant), &st, e)))
        return rc;
    while ((rc = db_step(st, e)) == DB_ROW && x->nreaders < MAX_READERS)
        x->reader_id[x->nreaders++] = db_col_int(st, 0);
    db_reset(st);
    if (rc < 0)
        return rc;
    struct org_person_list people;
    if ((rc = org_person_list_load(x->r, x->c, &people, e)))
        return rc;
    int cap = 0;
    *ncards = 0;
    if ((rc = db_prepare_ints(x->c,
                              "SELECT id, person_id, department_id FROM meal_accounts WHERE "
                              "tenant_id = ? AND kind = 'person' AND status = 'active' ORDER BY "
                              "id",
                              DB_INTS(x->tenant), &st, e)))
        return rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        if (*ncards == cap) {
            int more = cap ? cap * 2 : 1024;
            struct card *v = arena_realloc(x->r->a, *cards, sizeof(**cards) * (size_t)cap,
                                           sizeof(**cards) * (size_t)more);
            if (!v) {
                rc = err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
                break;
            }
            *cards = v, cap = more;
        }
        struct card *p = &(*cards)[(*ncards)++];
        memset(p, 0, sizeof(*p));
        p->account = db_col_int(st, 0);
        p->person = db_col_int(st, 1);
        p->dept = db_col_int(st, 2);
        const struct org_person_row *o = org_person_list_find(&people, p->person);
        p->rank = o ? o->rank_id : 0;
        p->eat_day = -1;
        /* about a third of them eat in a canteen day by day (the rest near home or out): the one
         * their department's building is nearest (a department's people share it) */
        struct rng h = {.s = x->g.s ^ (uint64_t)p->person * 0x2545F4914F6CDD1Dull};
        p->canteen = rng_chance(&h, 350) && x->nc ? 0 : -1;
        if (p->canteen == 0) {
            struct rng d = {.s = x->g.s ^ (uint64_t)(p->dept + 7) * 0x9E3779B97F4A7C15ull};
            int64_t pick = (int64_t)(rng_next(&d) % (uint64_t)x->cv[x->nc - 1].weight);
            int i = 0;
            while (i < x->nc - 1 && pick >= x->cv[i].weight)
                i++;
            p->canteen = i;
        }
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static int load_rules(struct ctx *x, struct ct_subsidy_rule *v, int max, int *n, struct err *e)
{
    struct db_stmt *st;
    *n = 0;
    int rc = db_prepare_ints(x->c,
                             "SELECT id, rank_id, basis, amount_fen, max_days, valid_from, "
                             "valid_to FROM meal_subsidy_rules WHERE tenant_id = ? ORDER BY id",
                             DB_INTS(x->tenant), &st, e);
    if (rc)
        return rc;
    while ((rc = db_step(st, e)) == DB_ROW && *n < max) {
        struct ct_subsidy_rule *k = &v[(*n)++];
        size_t len;
        const char *s;
        k->id = db_col_int(st, 0);
        k->rank_id = db_col_int(st, 1);
        k->per_day = !strcmp(db_col_text(st, 2, NULL), "per_day");
        k->amount_fen = db_col_int(st, 3);
        k->max_days = (int)db_col_int(st, 4);
        s = db_col_text(st, 5, &len);
        if (date_parse(s, len, &k->from))
            k->from = 0;
        s = db_col_text(st, 6, &len);
        if (db_col_is_null(st, 6) || date_parse(s, len, &k->to))
            k->to = -1;
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static int64_t month_first(int64_t day)
{
    char d[16];
    int64_t f = day;
    date_format(day, d, sizeof(d));
    memcpy(d + 8, "01", 3);
    date_parse(d, 10, &f);
    return f;
}

static int insert_run(struct ctx *x, const char *month, int64_t people, int64_t due,
                      int64_t entries, int64_t at, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(x->c,
                        "INSERT INTO meal_subsidy_runs (tenant_id, version, created_at, "
                        "updated_at, month, status, people, due_fen, paid_before_fen, "
                        "posted_fen, entries, runs, posted_at) VALUES (?, 1, ?, ?, ?, 'posted', "
                        "?, ?, 0, ?, ?, 1, ?)",
                        &st, e);
    if (rc)
        return rc;
    db_bind_int(st, 1, x->tenant);
    db_bind_int(st, 2, at);
    db_bind_int(st, 3, at);
    db_bind_text(st, 4, month, 7);
    db_bind_int(st, 5, people);
    db_bind_int(st, 6, due);
    db_bind_int(st, 7, due);
    db_bind_int(st, 8, entries);
    db_bind_int(st, 9, at);
    rc = db_step(st, e);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* A year of entries goes in faster into the bare table, its indexes built
 * afterwards from the sorted rows (each index's own DDL, read back from the
 * catalogue and run again as it was). */
struct ixdefs {
    const char *name[32], *def[32];
    int n;
    const char *fk[32], *fkdef[32]; /* PostgreSQL: the foreign keys, checked once after */
    int nfk;
};

static int indexes_drop(struct ctx *x, struct ixdefs *ix, struct err *e)
{
    ix->n = 0;
    int sqlite = db_dialect(x->c->db) == DB_SQLITE;
    struct db_stmt *st;
    int rc = db_prepare(x->c,
                        sqlite ? "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                                 "tbl_name = 'meal_transactions' AND sql IS NOT NULL"
                               : "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = "
                                 "current_schema() AND tablename = 'meal_transactions' AND "
                                 "indexname NOT LIKE '%pkey'",
                        &st, e);
    if (rc)
        return rc;
    while ((rc = db_step(st, e)) == DB_ROW && ix->n < 32) {
        ix->name[ix->n] = arena_strdup(x->r->a, db_col_text(st, 0, NULL));
        ix->def[ix->n] = arena_strdup(x->r->a, db_col_text(st, 1, NULL));
        if (ix->name[ix->n] && ix->def[ix->n])
            ix->n++;
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    for (int i = 0; i < ix->n && !rc; i++)
        rc = db_exec(x->c, arena_printf(x->r->a, "DROP INDEX %s", ix->name[i]), e);
    ix->nfk = 0;
    if (rc || sqlite)
        return rc;
    if ((rc = db_prepare(x->c,
                         "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE "
                         "conrelid = 'meal_transactions'::regclass AND contype = 'f'",
                         &st, e)))
        return rc;
    while ((rc = db_step(st, e)) == DB_ROW && ix->nfk < 32) {
        ix->fk[ix->nfk] = arena_strdup(x->r->a, db_col_text(st, 0, NULL));
        ix->fkdef[ix->nfk] = arena_strdup(x->r->a, db_col_text(st, 1, NULL));
        if (ix->fk[ix->nfk] && ix->fkdef[ix->nfk])
            ix->nfk++;
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    rc = 0;
    for (int i = 0; i < ix->nfk && !rc; i++)
        rc = db_exec(x->c,
                     arena_printf(x->r->a, "ALTER TABLE meal_transactions DROP CONSTRAINT \"%s\"",
                                  ix->fk[i]),
                     e);
    return rc;
}

static double secs(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int indexes_make(struct ctx *x, const struct ixdefs *ix, struct err *e)
{
    int rc = 0;
    double t0 = secs();
    if (getenv("BUREAU_DEMO_VERBOSE"))
        fprintf(stderr, "canteen demo ledger: rows in, building indexes\n");
    for (int i = 0; i < ix->n && !rc; i++)
        rc = db_exec(x->c, ix->def[i], e);
    for (int i = 0; i < ix->nfk && !rc; i++)
        rc = db_exec(x->c,
                     arena_printf(x->r->a, "ALTER TABLE meal_transactions ADD CONSTRAINT \"%s\" %s",
                                  ix->fk[i], ix->fkdef[i]),
                     e);
    if (getenv("BUREAU_DEMO_VERBOSE"))
        fprintf(stderr, "canteen demo ledger: indexes %.2f s\n", secs() - t0);
    return rc;
}

static int year(struct ctx *x, struct card *cards, int n, struct err *e)
{
    struct calendar cal;
    int rc = cal_load(x->r, x->c, x->tenant, &cal, e);
    if (rc)
        return rc;
    struct ct_subsidy_rule rules[200];
    int nrules = 0;
    if ((rc = load_rules(x, rules, 200, &nrules, e)))
        return rc;
    int64_t off = (int64_t)x->r->utc_offset_min * 60, today = (x->now + off) / 86400;
    int now_min = (int)((x->now + off) % 86400 / 60);
    int64_t start = month_first(month_first(today) - 330);
    int64_t pending_month = -1; /* the first day of the month whose subsidy is due */
    uint8_t *offline = arena_zalloc(x->r->a, (size_t)x->nreaders);
    if (!offline)
        return err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
    struct ixdefs ix;
    double t0 = secs();
    if ((rc = indexes_drop(x, &ix, e)))
        return rc;
    for (int64_t day = start; day <= today && !rc; day++) {
        int64_t first = month_first(day), midnight = day * 86400 - off;
        int dom = (int)(day - first) + 1;
        /* the month's top-ups before breakfast on its first day */
        if (dom == 1) {
            for (int i = 0; i < n && !rc; i++) {
                struct card *p = &cards[i];
                if (p->canteen < 0 || p->balance >= 30000)
                    continue;
                struct row w = {.kind = "topup",
                                .method = rng_chance(&x->g, 700) ? "payroll" : "transfer",
                                .note = "月初充值",
                                .at = midnight + 6 * 3600 + rng_below(&x->g, 1800)};
                w.delta = (50000 - p->balance) / 10000 * 10000;
                if (w.delta <= 0)
                    continue;
                local_day(&w, day);
                rc = post(x, p, &w, x->cash, e);
            }
            if (day > start)
                pending_month = month_first(day - 1);
            for (int i = 0; i < n; i++)
                cards[i].prev_days = cards[i].days, cards[i].days = 0;
        }
        /* last month's subsidies on the 3rd, with the run's record */
        if (dom == 3 && pending_month >= 0 && !rc) {
            int64_t last = first - 1, at = midnight + 9 * 3600, due_all = 0, people = 0;
            int wd = (int)cal_workdays_between(&cal, pending_month, last + 1);
            char mon[16];
            date_format(pending_month, mon, sizeof(mon));
            mon[7] = 0;
            for (int i = 0; i < n && !rc; i++) {
                struct card *p = &cards[i];
                struct ct_due d;
                ct_subsidy_due(rules, nrules, p->rank, pending_month, last, p->prev_days, wd, &d);
                if (d.due_fen <= 0)
                    continue;
                struct row w = {
                    .kind = "subsidy", .method = "system", .delta = d.due_fen, .at = at};
                w.note = "就餐补贴";
                memcpy(w.month, mon, 8);
                snprintf(w.key, sizeof(w.key), "subsidy:%s:%lld:0", mon, (long long)p->person);
                local_day(&w, day);
                due_all += d.due_fen;
                people++;
                rc = post(x, p, &w, x->subsidy, e);
            }
            if (!rc)
                rc = insert_run(x, mon, people, due_all, people, at, e);
            pending_month = -1;
        }
        if (!cal_is_workday(&cal, day))
            continue;
        for (int r = 0; r < x->nreaders; r++)
            offline[r] = rng_chance(&x->g, 25);
        for (int m = 0; m < 3 && !rc; m++) {
            static const int chance[3] = {200, 760, 60};
            for (int i = 0; i < n && !rc; i++) {
                struct card *p = &cards[i];
                if (p->canteen < 0)
                    continue;
                const struct canteen *k = &x->cv[p->canteen];
                if (!k->len[m] || !rng_chance(&x->g, chance[m]))
                    continue;
                if (day == today && k->start[m] + 5 > now_min)
                    continue;
                int span = k->len[m];
                if (day == today && now_min - k->start[m] < span)
                    span = now_min - k->start[m];
                int64_t at = midnight + k->start[m] * 60 + rng_below(&x->g, span * 60);
                int64_t price = k->price[m] + (m == 1 ? rng_below(&x->g, 4) * 100 : 0);
                if (p->balance < price) { /* topped up at the till */
                    struct row t = {.kind = "topup",
                                    .method = "cash",
                                    .note = "窗口现金充值",
                                    .delta = 20000,
                                    .at = at - 90};
                    local_day(&t, day);
                    if ((rc = post(x, p, &t, x->cash, e)))
                        break;
                }
                int64_t reader = k->readers[rng_below(&x->g, 2)];
                struct row w = {.kind = "spend",
                                .method = rng_chance(&x->g, 800) ? "card" : "qr",
                                .meal = ct_meals[m].value,
                                .delta = -price,
                                .at = at,
                                .canteen = k->id,
                                .reader = reader};
                local_day(&w, day);
                for (int ri = 0; ri < x->nreaders; ri++)
                    if (x->reader_id[ri] == reader && offline[ri]) {
                        w.offline = 1, w.has_seq = 1, w.seq = ++x->reader_seq[ri];
                        w.drift = rng_range(&x->g, -40, 40);
                        w.reader_at = at + w.drift;
                        w.method = "card";
                    }
                if ((rc = post(x, p, &w, k->sales, e)))
                    break;
                if (p->eat_day != day)
                    p->eat_day = day, p->days++;
                /* now and then a dish sent back: refunded at the till */
                if (!w.offline && x->nrefunds < MAX_REFUNDS && rng_chance(&x->g, 2)) {
                    struct refund *f = &x->refunds[x->nrefunds++];
                    memcpy(f->spend_key, x->buf[x->nbuf ? x->nbuf - 1 : 0].key,
                           sizeof(f->spend_key));
                    if (!x->nbuf) /* flushed: the key is the last made */
                        snprintf(f->spend_key, sizeof(f->spend_key), "demo-%09lld",
                                 (long long)x->serial);
                    struct row v = {.kind = "refund",
                                    .method = w.method,
                                    .meal = w.meal,
                                    .delta = price,
                                    .at = at + 120,
                                    .canteen = k->id,
                                    .reader = reader,
                                    .note = "退菜退款"};
                    local_day(&v, day);
                    p->balance += v.delta;
                    v.account = p->account, v.person = p->person, v.dept = p->dept;
                    v.amount = price, v.debit = k->sales, v.credit = p->account;
                    v.balance = p->balance;
                    sys_add(x, k->sales, -price);
                    snprintf(v.key, sizeof(v.key), "demo-%09lld", (long long)++x->serial);
                    f->r = v;
                    x->made++;
                }
            }
        }
    }
    if (rc || (rc = flush(x, e)))
        return rc;
    if (getenv("BUREAU_DEMO_VERBOSE"))
        fprintf(stderr, "canteen demo ledger: rows %.2f s\n", secs() - t0);
    if ((rc = indexes_make(x, &ix, e)))
        return rc;
    /* the refunds, each naming the spend it gives back */
    struct db_stmt *find;
    if ((rc = db_prepare(x->c,
                         "SELECT id FROM meal_transactions WHERE tenant_id = ? AND idem_key = ?",
                         &find, e)))
        return rc;
    for (int i = 0; i < x->nrefunds && !rc; i++) {
        db_bind_int(find, 1, x->tenant);
        db_bind_text(find, 2, x->refunds[i].spend_key, strlen(x->refunds[i].spend_key));
        if ((rc = db_step(find, e)) == DB_ROW)
            x->refunds[i].r.reverses = db_col_int(find, 0);
        db_reset(find);
        if (rc < 0)
            return rc;
        x->buf[x->nbuf++] = x->refunds[i].r;
        rc = x->nbuf == BATCH ? flush(x, e) : 0;
    }
    return rc ? rc : flush(x, e);
}

int ct_ledger_demo(struct db_conn *c, int64_t tenant, uint64_t seed, struct err *e)
{
    struct arena *a = arena_new(64u << 20);
    struct ctx *x = a ? arena_zalloc(a, sizeof(*x)) : NULL;
    if (!x) {
        arena_free(a);
        return err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
    }
    struct req r;
    req_init_internal(&r, a, NULL, NULL);
    r.tenant_id = tenant;
    r.utc_offset_min = tenant_utc_offset(c, tenant, 480);
    x->c = c;
    x->r = &r;
    x->tenant = tenant;
    x->now = clock_now();
    x->g.s = seed ^ 0xCA27EE5ull;
    x->refunds = arena_zalloc(a, sizeof(*x->refunds) * MAX_REFUNDS);
    x->sys_bal_id = arena_zalloc(a, sizeof(int64_t) * (MAX_CANTEENS + 8));
    x->sys_bal = arena_zalloc(a, sizeof(int64_t) * (MAX_CANTEENS + 8));
    struct card *cards = NULL;
    int n = 0, rc = 0;
    if (!x->refunds || !x->sys_bal || !x->sys_bal_id)
        rc = err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
    if (!rc)
        rc = ct_system_account(c, tenant, "cash", 0, &x->cash, e);
    if (!rc)
        rc = ct_system_account(c, tenant, "subsidy", 0, &x->subsidy, e);
    if (!rc)
        rc = load_world(x, &cards, &n, e);
    /* SQLite: the ledger's indexes grow at random places (an account's
     * entries, a day's): kept in memory while the year goes in */
    int sqlite = db_dialect(c->db) == DB_SQLITE;
    if (!rc && sqlite)
        rc = db_exec(c, "PRAGMA cache_size=-262144", e);
    if (!rc && x->nc)
        rc = prepare_insert(x, BATCH, &x->full, e);
    if (!rc && x->nc)
        rc = year(x, cards, n, e);
    /* the cached balances: exactly the entries' sums */
    struct db_stmt *st;
    if (!rc &&
        !(rc = db_prepare(c, "UPDATE meal_accounts SET balance_fen = ? WHERE id = ?", &st, e))) {
        for (int i = 0; i < n && !rc; i++) {
            if (!cards[i].balance)
                continue;
            db_bind_int(st, 1, cards[i].balance);
            db_bind_int(st, 2, cards[i].account);
            rc = db_step(st, e);
            db_reset(st);
            rc = rc < 0 ? rc : 0;
        }
        for (int i = 0; i < x->nsys && !rc; i++) {
            db_bind_int(st, 1, x->sys_bal[i]);
            db_bind_int(st, 2, x->sys_bal_id[i]);
            rc = db_step(st, e);
            db_reset(st);
            rc = rc < 0 ? rc : 0;
        }
    }
    for (int i = 0; i < x->nreaders && !rc; i++)
        if (x->reader_seq[i])
            rc = db_exec_ints(c,
                              "UPDATE meal_readers SET last_seq = ?, last_seen_at = ? WHERE id "
                              "= ?",
                              DB_INTS(x->reader_seq[i], x->now, x->reader_id[i]), e) < 0
                     ? -1
                     : 0;
    if (sqlite && !rc)
        rc = db_exec(c, "PRAGMA cache_size=-16000", e);
    if (getenv("BUREAU_DEMO_VERBOSE"))
        fprintf(stderr, "canteen demo ledger: %lld entries, %d cards\n", (long long)x->made, n);
    arena_free(a);
    return rc;
}
