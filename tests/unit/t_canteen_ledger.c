/* SPDX-License-Identifier: MIT
 * t_canteen_ledger.c - the meal-card ledger's posting function with
 * hand-computed figures (a top-up, a spend to the canteen's sales account, a
 * replay answering the original, a key reused, the balance and the
 * overdraft at their boundaries, refunds up to the spend, a reversal once,
 * a frozen and an unknown account, the signs of each kind); what a reader
 * scans and uploads (card numbers, QR codes, a batch's frame and entries);
 * and the ledger invariant: 100,000 random postings (top-ups, spends,
 * refunds, reversals, adjustments, replays of earlier keys, spends that must
 * be refused) checked against a model of their own, then concurrent spends
 * on one account from four threads with their own connections, after which
 * Σ entries = the cached balance of every account, no balance lies below
 * the overdraft, every key is applied once, and all accounts' balances sum
 * to zero (double entry).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "base/arena.h"
#include "base/base.h"
#include "base/err.h"
#include "core/http.h"
#include "db/db.h"
#include "engine/migrate.h"
#include "engine/module.h"
#include "modules/canteen/canteen.h"
#include "modules/modules.h"
#include "tmpdb.h"

#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define ROW "1, 1, 0, 0"
#define NACC 40

static struct db *db;
static char path[64];
static int64_t canteen = 1, cards[NACC + 1];

static int64_t scalar(const char *sql)
{
    struct err e;
    err_clear(&e);
    int64_t v = 0;
    int rc = db_one_int(tmpdb_conn(db), sql, NULL, 0, &v, &e);
    if (rc < 0)
        fail_msg("%s: %s", sql, e.detail);
    return v;
}

static void sqlf(const char *fmt, ...)
{
    char sql[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof(sql), fmt, ap);
    va_end(ap);
    tmpdb_exec(db, sql);
}

/* A fresh database: one tenant (+08:00) seeded, canteen 1 serving lunch
 * 11:00-13:00 at 12.00 yuan, NACC meal cards. */
static int setup(void **state)
{
    (void)state;
    struct err e;
    int from = -1;
    err_clear(&e);
    ct_ledger_forget();
    tmpdb_path(path, sizeof(path), "canteen");
    assert_int_equal(engine_init(modules_list(), &e), 0);
    assert_int_equal(db_open(&db, path, &(struct db_options){.create = 1}, &e), 0);
    assert_int_equal(migrate_run(db, 0, &from, &e), 0);
    struct db_conn *c = tmpdb_conn(db);
    tmpdb_exec(db, "INSERT INTO tenants (version, created_at, updated_at, name, code, "
                   "admin_level, utc_offset_min) VALUES (1, 0, 0, 't', 't', 'county', 480)");
    assert_int_equal(ct_seed_tenant(c, 1, &e), 0);
    sqlf("INSERT INTO canteens (id, tenant_id, version, created_at, updated_at, name, code, "
         "booking_cutoff_min, active) VALUES (1, " ROW ", '一食堂', 'C1', 150, 1)");
    sqlf("INSERT INTO canteens (id, tenant_id, version, created_at, updated_at, name, code, "
         "booking_cutoff_min, active) VALUES (2, " ROW ", '二食堂', 'C2', 150, 1)");
    sqlf("INSERT INTO meal_periods (tenant_id, version, created_at, updated_at, canteen_id, "
         "meal, starts, ends, price_fen, active) VALUES (" ROW
         ", 1, 'lunch', '11:00', '13:00', 1200, 1)");
    for (int i = 1; i <= NACC; i++)
        sqlf("INSERT INTO meal_accounts (id, tenant_id, version, created_at, updated_at, kind, "
             "card_no, qr_id, status, balance_fen) VALUES (%d, " ROW
             ", 'person', '%08X', 'Q%019d', 'active', 0)",
             1000 + i, 0xA000 + i, i);
    for (int i = 1; i <= NACC; i++)
        cards[i] = 1000 + i;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close(db);
    tmpdb_remove(path);
    ct_ledger_forget();
    return 0;
}

struct ctx {
    struct arena *a;
    struct req r;
    struct db_conn *c;
};

static void ctx_open(struct ctx *x)
{
    x->a = arena_new(64u << 20);
    req_init_internal(&x->r, x->a, NULL, db);
    x->r.tenant_id = 1;
    x->r.utc_offset_min = 480;
    x->c = tmpdb_conn(db);
    x->r.dbc = x->c;
}

static void ctx_close(struct ctx *x)
{
    arena_free(x->a);
}

/* One posting in a transaction of its own: 0 or the refusal (r.err kept). */
static int post1(struct ctx *x, struct ct_post p, struct ct_posted *o)
{
    err_clear(&x->r.err);
    assert_int_equal(db_begin(x->c, &x->r.err), 0);
    int rc = ct_post(&x->r, x->c, &p, o);
    if (rc)
        db_rollback(x->c);
    else
        assert_int_equal(db_commit(x->c, &x->r.err), 0);
    return rc;
}

static const char *key_of(struct req *r)
{
    return r->err.nitems ? r->err.items[0].key : r->err.key;
}

/* ---- hand-computed postings ---- */

static void test_vectors(void **state)
{
    (void)state;
    struct ctx x;
    ctx_open(&x);
    struct ct_posted o, o2;
    int64_t a = cards[1], sales;
    /* 12:05 on 2026-03-02 at +08:00 = 04:05 UTC */
    int64_t noon = 1772424300; /* 2026-03-02T04:05:00Z */
    assert_int_equal(post1(&x, (struct ct_post){.kind = "topup", .account_id = a, .delta_fen = 1000,
                                                .idem_key = "t1", .method = "cash"},
                           &o),
                     0);
    assert_int_equal(o.balance_fen, 1000);
    assert_int_equal(o.replayed, 0);
    int64_t cash = scalar("SELECT id FROM meal_accounts WHERE kind = 'cash'");
    assert_int_equal(scalar("SELECT debit_account_id FROM meal_transactions WHERE idem_key = 't1'"),
                     cash);
    assert_int_equal(scalar("SELECT credit_account_id FROM meal_transactions WHERE idem_key = "
                            "'t1'"),
                     a);
    /* a spend of 2.50: person → canteen 1's sales, lunch by the time, the local day */
    assert_int_equal(post1(&x, (struct ct_post){.kind = "spend", .account_id = a, .delta_fen = -250,
                                                .idem_key = "s1", .canteen_id = canteen,
                                                .at = noon},
                           &o),
                     0);
    assert_int_equal(o.balance_fen, 750);
    assert_int_equal(o.delta_fen, -250);
    sales = scalar("SELECT id FROM meal_accounts WHERE kind = 'canteen' AND canteen_id = 1");
    assert_true(sales > 0);
    assert_int_equal(scalar("SELECT credit_account_id FROM meal_transactions WHERE idem_key = "
                            "'s1'"),
                     sales);
    assert_int_equal(scalar("SELECT COUNT(*) FROM meal_transactions WHERE idem_key = 's1' AND "
                            "meal = 'lunch' AND business_day = '2026-03-02' AND amount_fen = 250"),
                     1);
    /* 23:30 UTC on 2026-03-01 is 07:30 on the 2nd locally: no meal then, the local day */
    assert_int_equal(post1(&x, (struct ct_post){.kind = "spend", .account_id = a, .delta_fen = -50,
                                                .idem_key = "s0", .canteen_id = canteen,
                                                .at = 1772407800},
                           &o),
                     0);
    assert_int_equal(scalar("SELECT COUNT(*) FROM meal_transactions WHERE idem_key = 's0' AND "
                            "meal IS NULL AND business_day = '2026-03-02'"),
                     1);
    assert_int_equal(o.balance_fen, 700);
    /* the replay: the original, nothing written */
    int64_t n = scalar("SELECT COUNT(*) FROM meal_transactions");
    assert_int_equal(post1(&x, (struct ct_post){.kind = "spend", .account_id = a, .delta_fen = -250,
                                                .idem_key = "s1", .canteen_id = canteen},
                           &o2),
                     0);
    assert_int_equal(o2.replayed, 1);
    assert_int_equal(o2.balance_fen, 750);
    assert_int_equal(o2.id, scalar("SELECT id FROM meal_transactions WHERE idem_key = 's1'"));
    assert_int_equal(scalar("SELECT COUNT(*) FROM meal_transactions"), n);
    /* the key with another amount, another account, another kind */
    assert_int_equal(post1(&x, (struct ct_post){.kind = "spend", .account_id = a, .delta_fen = -251,
                                                .idem_key = "s1", .canteen_id = canteen},
                           &o2),
                     -ERR_CONFLICT);
    assert_string_equal(key_of(&x.r), "canteen.txn.key_reused");
    assert_int_equal(post1(&x, (struct ct_post){.kind = "spend", .account_id = cards[2],
                                                .delta_fen = -250, .idem_key = "s1",
                                                .canteen_id = canteen},
                           &o2),
                     -ERR_CONFLICT);
    assert_int_equal(post1(&x, (struct ct_post){.kind = "topup", .account_id = a, .delta_fen = 250,
                                                .idem_key = "s1"},
                           &o2),
                     -ERR_CONFLICT);
    /* the balance 7.00: 7.01 refused with the figures, 7.00 to zero */
    assert_int_equal(post1(&x, (struct ct_post){.kind = "spend", .account_id = a, .delta_fen = -701,
                                                .idem_key = "s2", .canteen_id = canteen},
                           &o),
                     -ERR_CONFLICT);
    assert_string_equal(key_of(&x.r), "canteen.balance.insufficient");
    assert_string_equal(x.r.err.params,
                        "{\"balance_fen\":700,\"amount_fen\":701,\"overdraft_fen\":0}");
    /* an overdraft of 1.00: down to -1.00, not a fen further */
    sqlf("UPDATE canteen_settings SET value = 100 WHERE name = 'overdraft_fen'");
    assert_int_equal(post1(&x, (struct ct_post){.kind = "spend", .account_id = a, .delta_fen = -801,
                                                .idem_key = "s3", .canteen_id = canteen},
                           &o),
                     -ERR_CONFLICT);
    assert_int_equal(post1(&x, (struct ct_post){.kind = "spend", .account_id = a, .delta_fen = -800,
                                                .idem_key = "s3", .canteen_id = canteen},
                           &o),
                     0);
    assert_int_equal(o.balance_fen, -100);
    sqlf("UPDATE canteen_settings SET value = 0 WHERE name = 'overdraft_fen'");
    /* refunds of s3 (8.00): 3.00, then 5.01 refused (5.00 left), then 5.00 */
    int64_t s3 = scalar("SELECT id FROM meal_transactions WHERE idem_key = 's3'");
    assert_int_equal(post1(&x, (struct ct_post){.kind = "refund", .account_id = a, .delta_fen = 300,
                                                .idem_key = "r1", .reverses_id = s3},
                           &o),
                     0);
    assert_int_equal(o.balance_fen, 200);
    assert_int_equal(post1(&x, (struct ct_post){.kind = "refund", .account_id = a, .delta_fen = 501,
                                                .idem_key = "r2", .reverses_id = s3},
                           &o),
                     -ERR_CONFLICT);
    assert_string_equal(key_of(&x.r), "canteen.refund.exceeds");
    char want[64];
    snprintf(want, sizeof(want), "{\"left_fen\":500,\"id\":%lld}", (long long)s3);
    assert_string_equal(x.r.err.params, want);
    assert_int_equal(post1(&x, (struct ct_post){.kind = "refund", .account_id = a, .delta_fen = 500,
                                                .idem_key = "r2", .reverses_id = s3},
                           &o),
                     0);
    assert_int_equal(o.balance_fen, 700);
    assert_int_equal(scalar("SELECT debit_account_id FROM meal_transactions WHERE idem_key = "
                            "'r2'"),
                     sales);
    /* a refund of a top-up, a reversal of a spend: refused */
    int64_t t1 = scalar("SELECT id FROM meal_transactions WHERE idem_key = 't1'");
    assert_int_equal(post1(&x, (struct ct_post){.kind = "refund", .account_id = a, .delta_fen = 1,
                                                .idem_key = "r3", .reverses_id = t1},
                           &o),
                     -ERR_INVALID);
    assert_string_equal(key_of(&x.r), "canteen.refund.not_spend");
    assert_int_equal(post1(&x, (struct ct_post){.kind = "reversal", .account_id = a,
                                                .idem_key = "v0", .reverses_id = s3},
                           &o),
                     -ERR_INVALID);
    assert_string_equal(key_of(&x.r), "canteen.reversal.kind");
    /* a reversal of the 10.00 top-up with 7.00 left: it would go below zero */
    assert_int_equal(post1(&x, (struct ct_post){.kind = "reversal", .account_id = a,
                                                .idem_key = "v1", .reverses_id = t1},
                           &o),
                     -ERR_CONFLICT);
    assert_string_equal(key_of(&x.r), "canteen.balance.insufficient");
    assert_int_equal(post1(&x, (struct ct_post){.kind = "topup", .account_id = a, .delta_fen = 300,
                                                .idem_key = "t2"},
                           &o),
                     0);
    assert_int_equal(post1(&x, (struct ct_post){.kind = "reversal", .account_id = a,
                                                .idem_key = "v1", .reverses_id = t1},
                           &o),
                     0);
    assert_int_equal(o.balance_fen, 0);
    assert_int_equal(o.delta_fen, -1000);
    assert_int_equal(scalar("SELECT debit_account_id FROM meal_transactions WHERE idem_key = "
                            "'v1'"),
                     a);
    assert_int_equal(scalar("SELECT credit_account_id FROM meal_transactions WHERE idem_key = "
                            "'v1'"),
                     cash);
    assert_int_equal(post1(&x, (struct ct_post){.kind = "reversal", .account_id = a,
                                                .idem_key = "v2", .reverses_id = t1},
                           &o),
                     -ERR_CONFLICT);
    assert_string_equal(key_of(&x.r), "canteen.txn.reversed");
    /* a transaction of another account is not this one's to refund */
    assert_int_equal(post1(&x, (struct ct_post){.kind = "reversal", .account_id = cards[2],
                                                .idem_key = "v3", .reverses_id = t1},
                           &o),
                     -ERR_INVALID);
    assert_string_equal(key_of(&x.r), "canteen.txn.unknown");
    /* the signs, zero, the reason of an adjustment, a missing key */
    static const struct {
        const char *kind;
        int64_t delta;
        const char *note, *key;
    } wrong[] = {
        {"topup", -1, NULL, "field.min"},       {"topup", 0, NULL, "field.min"},
        {"spend", 1, NULL, "field.min"},        {"refund", -1, NULL, "field.min"},
        {"adjustment", 0, "x", "field.min"},    {"adjustment", 5, NULL, "field.required"},
        {"adjustment", 5, "", "field.required"}, {"bonus", 5, NULL, "field.enum"},
    };
    for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
        assert_int_equal(post1(&x,
                               (struct ct_post){.kind = wrong[i].kind, .account_id = a,
                                                .delta_fen = wrong[i].delta, .idem_key = "w",
                                                .canteen_id = canteen, .note = wrong[i].note,
                                                .reverses_id = s3},
                               &o),
                         -ERR_INVALID);
        assert_string_equal(key_of(&x.r), wrong[i].key);
    }
    assert_int_equal(post1(&x, (struct ct_post){.kind = "topup", .account_id = a, .delta_fen = 5},
                           &o),
                     -ERR_INVALID);
    assert_string_equal(key_of(&x.r), "field.required");
    /* adjustments both ways, with a reason */
    assert_int_equal(post1(&x, (struct ct_post){.kind = "adjustment", .account_id = a,
                                                .delta_fen = -300, .idem_key = "j0", .note = "多充"},
                           &o),
                     -ERR_CONFLICT); /* the balance is 0 */
    assert_int_equal(post1(&x, (struct ct_post){.kind = "adjustment", .account_id = a,
                                                .delta_fen = 500, .idem_key = "j2", .note = "少记"},
                           &o),
                     0);
    assert_int_equal(post1(&x, (struct ct_post){.kind = "adjustment", .account_id = a,
                                                .delta_fen = -300, .idem_key = "j1", .note = "多充"},
                           &o),
                     0);
    assert_int_equal(o.balance_fen, 200);
    int64_t adj = scalar("SELECT id FROM meal_accounts WHERE kind = 'adjustment'");
    assert_int_equal(scalar("SELECT credit_account_id FROM meal_transactions WHERE idem_key = "
                            "'j1'"),
                     adj);
    /* unknown, ledger, frozen and closed accounts */
    assert_int_equal(post1(&x, (struct ct_post){.kind = "topup", .account_id = 99999,
                                                .delta_fen = 5, .idem_key = "u1"},
                           &o),
                     -ERR_INVALID);
    assert_string_equal(key_of(&x.r), "canteen.account.unknown");
    assert_int_equal(post1(&x, (struct ct_post){.kind = "topup", .account_id = cash, .delta_fen = 5,
                                                .idem_key = "u2"},
                           &o),
                     -ERR_INVALID);
    sqlf("UPDATE meal_accounts SET status = 'frozen' WHERE id = %lld", (long long)a);
    assert_int_equal(post1(&x, (struct ct_post){.kind = "topup", .account_id = a, .delta_fen = 5,
                                                .idem_key = "f1"},
                           &o),
                     -ERR_CONFLICT);
    assert_string_equal(key_of(&x.r), "canteen.account.frozen");
    /* …but a replay of what was posted before is still answered */
    assert_int_equal(post1(&x, (struct ct_post){.kind = "topup", .account_id = a, .delta_fen = 300,
                                                .idem_key = "t2"},
                           &o),
                     0);
    assert_int_equal(o.replayed, 1);
    sqlf("UPDATE meal_accounts SET status = 'closed' WHERE id = %lld", (long long)a);
    assert_int_equal(post1(&x, (struct ct_post){.kind = "topup", .account_id = a, .delta_fen = 5,
                                                .idem_key = "f1"},
                           &o),
                     -ERR_CONFLICT);
    assert_string_equal(key_of(&x.r), "canteen.account.closed");
    /* a canteen that does not exist */
    assert_int_equal(post1(&x, (struct ct_post){.kind = "spend", .account_id = cards[3],
                                                .delta_fen = -1, .idem_key = "c9",
                                                .canteen_id = 77},
                           &o),
                     -ERR_INVALID);
    assert_string_equal(key_of(&x.r), "canteen.canteen.unknown");
    /* the meal's price at a time, and of a meal named */
    int64_t price = -1;
    assert_int_equal(ct_meal_price(&x.r, x.c, canteen, noon, NULL, &price, &x.r.err), 0);
    assert_int_equal(price, 1200);
    assert_int_equal(ct_meal_price(&x.r, x.c, canteen, noon - 7200, NULL, &price, &x.r.err), 0);
    assert_int_equal(price, 0);
    assert_int_equal(ct_meal_price(&x.r, x.c, canteen, noon - 7200, "lunch", &price, &x.r.err), 0);
    assert_int_equal(price, 1200);
    /* the check finds the cache right, then a fen off */
    int64_t checked, mismatched;
    assert_int_equal(db_begin(x.c, &x.r.err), 0);
    assert_int_equal(ct_ledger_check(&x.r, x.c, &checked, &mismatched, &x.r.err), 0);
    assert_int_equal(db_commit(x.c, &x.r.err), 0);
    assert_int_equal(checked, NACC);
    assert_int_equal(mismatched, 0);
    sqlf("UPDATE meal_accounts SET balance_fen = 1 WHERE id = %lld", (long long)cards[4]);
    assert_int_equal(db_begin(x.c, &x.r.err), 0);
    assert_int_equal(ct_ledger_check(&x.r, x.c, &checked, &mismatched, &x.r.err), 0);
    assert_int_equal(db_commit(x.c, &x.r.err), 0);
    assert_int_equal(mismatched, 1);
    sqlf("UPDATE meal_accounts SET balance_fen = 0 WHERE id = %lld", (long long)cards[4]);
    ctx_close(&x);
}

/* ---- what a reader scans and uploads ---- */

static void test_scan(void **state)
{
    (void)state;
    struct ct_scan s;
    assert_int_equal(ct_scan_parse("0000A1B2", strlen("0000A1B2"), &s), 0);
    assert_int_equal(s.kind, CT_SCAN_CARD);
    assert_string_equal(s.value, "0000A1B2");
    assert_int_equal(ct_scan_parse(" 0000a1b2\r\n", strlen(" 0000a1b2\r\n"), &s), 0);
    assert_string_equal(s.value, "0000A1B2");
    assert_int_equal(ct_scan_parse("12345678901234567890", strlen("12345678901234567890"), &s), 0);
    assert_int_equal(ct_scan_parse("123456789012345678901", strlen("123456789012345678901"), &s), -1); /* 21 digits */
    assert_int_equal(ct_scan_parse("123", strlen("123"), &s), -1);
    assert_int_equal(ct_scan_parse("12G4", strlen("12G4"), &s), -1);
    assert_int_equal(ct_scan_parse("12 34", strlen("12 34"), &s), -1);
    assert_int_equal(ct_scan_parse("", strlen(""), &s), -1);
    assert_int_equal(ct_scan_parse(NULL, 0, &s), -1);
    assert_int_equal(ct_scan_parse("MC1:ABCDEFGHIJKLMNOPQR27", strlen("MC1:ABCDEFGHIJKLMNOPQR27"), &s), 0);
    assert_int_equal(s.kind, CT_SCAN_QR);
    assert_string_equal(s.value, "ABCDEFGHIJKLMNOPQR27");
    assert_int_equal(ct_scan_parse("MC1:ABCDEFGHIJKLMNOPQR2", strlen("MC1:ABCDEFGHIJKLMNOPQR2"), &s), -1);  /* 19 */
    assert_int_equal(ct_scan_parse("MC1:ABCDEFGHIJKLMNOPQR28", strlen("MC1:ABCDEFGHIJKLMNOPQR28"), &s), -1); /* 8 not base32 */
    assert_int_equal(ct_scan_parse("MC1:abcdefghijklmnopqr27", strlen("MC1:abcdefghijklmnopqr27"), &s), -1);
    assert_int_equal(ct_scan_parse("MC2:ABCDEFGHIJKLMNOPQR27", strlen("MC2:ABCDEFGHIJKLMNOPQR27"), &s), -1);
    /* a NUL inside is no card */
    assert_int_equal(ct_scan_parse("0000\0001", 6, &s), -1);
}

static void test_batch_decode(void **state)
{
    (void)state;
    struct arena *a = arena_new(1u << 20);
    struct err e;
    struct ct_batch b;
    json_error_t je;
    err_clear(&e);
    json_t *j = json_loads(
        "{\"reader\":\"POS-1\",\"sent_at\":\"2026-03-02T04:10:00Z\",\"entries\":["
        "{\"seq\":1,\"card\":\"0000a001\",\"amount_fen\":1200,\"at\":\"2026-03-02T04:05:00Z\","
        "\"meal\":\"lunch\"},"
        "{\"seq\":2,\"qr\":\"MC1:ABCDEFGHIJKLMNOPQR27\",\"at\":1772424360},"
        "{\"seq\":0,\"card\":\"0000A001\",\"at\":1772424360},"
        "{\"seq\":4,\"card\":\"0000A001\",\"qr\":\"MC1:ABCDEFGHIJKLMNOPQR27\",\"at\":1772424360},"
        "{\"seq\":5,\"qr\":\"0000A001\",\"at\":1772424360},"
        "{\"seq\":6,\"card\":\"0000A001\",\"amount_fen\":-5,\"at\":1772424360},"
        "{\"seq\":7,\"card\":\"0000A001\",\"at\":\"yesterday\"},"
        "{\"seq\":8,\"card\":\"0000A001\",\"at\":1772424360,\"meal\":\"brunch\"},"
        "[1]]}",
        0, &je);
    assert_non_null(j);
    assert_int_equal(ct_batch_decode(j, a, &b, &e), 0);
    assert_string_equal(b.reader, "POS-1");
    assert_int_equal(b.sent_at, 1772424600);
    assert_int_equal(b.n, 9);
    assert_int_equal(b.e[0].ok, 1);
    assert_int_equal(b.e[0].seq, 1);
    assert_int_equal(b.e[0].amount_fen, 1200);
    assert_int_equal(b.e[0].at, 1772424300);
    assert_string_equal(b.e[0].meal, "lunch");
    assert_string_equal(b.e[0].scan.value, "0000A001");
    assert_int_equal(b.e[1].ok, 1);
    assert_int_equal(b.e[1].scan.kind, CT_SCAN_QR);
    assert_int_equal(b.e[1].amount_fen, 0);
    static const char *const why[] = {NULL,          NULL,           "canteen.batch.seq",
                                      "canteen.scan.format", "canteen.scan.format", "field.min",
                                      "canteen.batch.at", "field.enum", "canteen.batch.entry"};
    for (int i = 2; i < 9; i++) {
        assert_int_equal(b.e[i].ok, 0);
        assert_string_equal(b.e[i].why->key, why[i]);
    }
    json_decref(j);
    /* the frame: refused whole */
    static const char *const bad[] = {
        "[]",
        "{\"reader\":\"POS-1\",\"sent_at\":\"2026-03-02T04:10:00Z\",\"entries\":[]}",
        "{\"reader\":\"\",\"sent_at\":\"2026-03-02T04:10:00Z\",\"entries\":[{}]}",
        "{\"reader\":\"POS-1\",\"entries\":[{}]}",
        "{\"reader\":\"POS-1\",\"sent_at\":1,\"entries\":{}}",
        "{\"reader\":\"POS-1\",\"sent_at\":\"2026-03-02T04:10:00Z\",\"entries\":[{}],\"x\":1}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err_clear(&e);
        j = json_loads(bad[i], 0, &je);
        assert_non_null(j);
        assert_int_equal(ct_batch_decode(j, a, &b, &e), -ERR_INVALID);
        json_decref(j);
    }
    /* 10,000 entries pass, 10,001 do not */
    json_t *many = json_array();
    for (int i = 0; i < CT_BATCH_MAX + 1; i++)
        json_array_append_new(many, json_pack("{s:i,s:s,s:i}", "seq", i + 1, "card", "0000A001",
                                              "at", 1772424360));
    j = json_pack("{s:s,s:i,s:O}", "reader", "R", "sent_at", 1772424600, "entries", many);
    err_clear(&e);
    assert_int_equal(ct_batch_decode(j, a, &b, &e), -ERR_INVALID);
    json_array_remove(many, 0);
    json_object_set(j, "entries", many);
    err_clear(&e);
    assert_int_equal(ct_batch_decode(j, a, &b, &e), 0);
    assert_int_equal(b.n, CT_BATCH_MAX);
    json_decref(many);
    json_decref(j);
    arena_free(a);
}

/* ---- the invariant ---- */

struct model {
    int64_t bal[NACC + 1];
    int nkeys;
    struct key {
        int acct;
        int64_t delta;
        char kind[12];
        int64_t id;
        int64_t left;  /* spends: what is left to refund */
        int64_t reverses;
        int reversed;  /* top-ups and adjustments */
    } *k;
};

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static int64_t pick(int64_t lo, int64_t hi)
{
    return lo + (int64_t)(next() % (uint64_t)(hi - lo + 1));
}

#define OPS 100000
#define OD 200 /* the overdraft during the run */

static void check_invariants(int64_t applied)
{
    /* Σ entries = the cached balance of every person account */
    assert_int_equal(scalar("SELECT COUNT(*) FROM meal_accounts a WHERE kind = 'person' AND "
                            "balance_fen <> (SELECT COALESCE(SUM(amount_fen), 0) FROM "
                            "meal_transactions t WHERE t.tenant_id = 1 AND t.credit_account_id = "
                            "a.id) - (SELECT COALESCE(SUM(amount_fen), 0) FROM meal_transactions "
                            "t WHERE t.tenant_id = 1 AND t.debit_account_id = a.id)"),
                     0);
    /* no balance below the overdraft, ever */
    assert_true(scalar("SELECT MIN(balance_fen) FROM meal_accounts WHERE kind = 'person'") >= -OD);
    assert_true(scalar("SELECT MIN(balance_fen) FROM meal_transactions") >= -OD);
    /* every key once, and as many entries as postings applied */
    assert_int_equal(scalar("SELECT COUNT(*) - COUNT(DISTINCT idem_key) FROM meal_transactions"),
                     0);
    assert_int_equal(scalar("SELECT COUNT(*) FROM meal_transactions"), applied);
    /* double entry: every account's balance (credits − debits), the ledger's own too, sums to 0 */
    assert_int_equal(scalar("SELECT SUM(b) FROM (SELECT a.id, (SELECT COALESCE(SUM(amount_fen), "
                            "0) FROM meal_transactions WHERE tenant_id = 1 AND credit_account_id = "
                            "a.id) - (SELECT COALESCE(SUM(amount_fen), 0) FROM meal_transactions "
                            "WHERE tenant_id = 1 AND debit_account_id = a.id) AS b FROM "
                            "meal_accounts a) x"),
                     0);
    assert_int_equal(scalar("SELECT SUM(balance_fen) FROM meal_accounts WHERE kind = 'person'") +
                         scalar("SELECT COALESCE(SUM(amount_fen), 0) FROM meal_transactions t "
                                "JOIN meal_accounts a ON a.id = t.credit_account_id WHERE a.kind "
                                "<> 'person'") -
                         scalar("SELECT COALESCE(SUM(amount_fen), 0) FROM meal_transactions t "
                                "JOIN meal_accounts a ON a.id = t.debit_account_id WHERE a.kind "
                                "<> 'person'"),
                     0);
    /* each spend refunded at most its amount, each top-up reversed at most once */
    assert_int_equal(scalar("SELECT COUNT(*) FROM meal_transactions s WHERE kind = 'spend' AND "
                            "amount_fen < (SELECT COALESCE(SUM(amount_fen), 0) FROM "
                            "meal_transactions r WHERE r.tenant_id = 1 AND r.reverses_id = s.id)"),
                     0);
    assert_int_equal(scalar("SELECT COUNT(*) FROM (SELECT reverses_id FROM meal_transactions "
                            "WHERE kind = 'reversal' GROUP BY reverses_id HAVING COUNT(*) > 1) x"),
                     0);
}

struct spender {
    int n, ok, refused;
    int64_t spent;
    int tid;
};

static void *spend_thread(void *arg)
{
    struct spender *s = arg;
    struct ctx x;
    ctx_open(&x);
    for (int i = 0; i < s->n; i++) {
        struct ct_posted o;
        char key[40];
        snprintf(key, sizeof(key), "conc-%d-%d", s->tid, i);
        int64_t amount = 1 + (i * 7 + s->tid) % 50;
        int rc;
        for (;;) {
            err_clear(&x.r.err);
            if ((rc = db_begin(x.c, &x.r.err)) == -ERR_DB_BUSY)
                continue;
            if (rc)
                break;
            rc = ct_post(&x.r, x.c,
                         &(struct ct_post){.kind = "spend", .account_id = cards[NACC],
                                           .delta_fen = -amount, .idem_key = key,
                                           .canteen_id = 2, .no_audit = i % 2},
                         &o);
            if (rc) {
                db_rollback(x.c);
            } else if ((rc = db_commit(x.c, &x.r.err)) == -ERR_DB_BUSY)
                continue;
            break;
        }
        if (!rc)
            s->ok++, s->spent += amount;
        else if (rc == -ERR_CONFLICT && !strcmp(key_of(&x.r), "canteen.balance.insufficient"))
            s->refused++;
        else
            fprintf(stderr, "spend: %d %s\n", rc, x.r.err.detail);
    }
    db_conn_close_thread(db);
    ctx_close(&x);
    return NULL;
}

static void test_invariant(void **state)
{
    (void)state;
    sqlf("UPDATE canteen_settings SET value = %d WHERE name = 'overdraft_fen'", OD);
    struct ctx x;
    ctx_open(&x);
    struct model m = {0};
    m.k = calloc(OPS, sizeof(*m.k));
    assert_non_null(m.k);
    int64_t applied = 0, replayed = 0, refusedx = 0;
    struct ct_post p;
    struct ct_posted o;
    char key[32];
    assert_int_equal(db_begin(x.c, &x.r.err), 0);
    for (int op = 0; op < OPS; op++) {
        if (op % 200 == 199) { /* a commit now and then: a file database, many transactions */
            assert_int_equal(db_commit(x.c, &x.r.err), 0);
            assert_int_equal(db_begin(x.c, &x.r.err), 0);
        }
        memset(&p, 0, sizeof(p));
        int a = (int)pick(1, NACC - 1);
        int64_t want_delta = 0;
        const char *want_refusal = NULL;
        int replay_of = -1;
        int r = (int)pick(0, 99);
        snprintf(key, sizeof(key), "op-%d", op);
        p.idem_key = key;
        p.no_audit = op % 3 != 0;
        p.canteen_id = canteen;
        p.account_id = cards[a];
        if (r < 20) {
            p.kind = "topup";
            p.delta_fen = pick(1, 3000);
            want_delta = p.delta_fen;
        } else if (r < 60) {
            p.kind = "spend";
            p.delta_fen = -pick(1, 1500);
            want_delta = p.delta_fen;
        } else if (r < 70 && m.nkeys) {
            /* a refund of an earlier spend of that account, sometimes more than is left */
            int k = (int)pick(0, m.nkeys - 1);
            if (strcmp(m.k[k].kind, "spend")) {
                p.kind = "spend";
                p.delta_fen = -pick(1, 1500);
                want_delta = p.delta_fen;
            } else {
                p.kind = "refund";
                p.account_id = cards[m.k[k].acct];
                a = m.k[k].acct;
                p.reverses_id = m.k[k].id;
                p.delta_fen = pick(1, -m.k[k].delta);
                want_delta = p.delta_fen;
                if (p.delta_fen > m.k[k].left)
                    want_refusal = "canteen.refund.exceeds";
            }
        } else if (r < 76 && m.nkeys) {
            int k = (int)pick(0, m.nkeys - 1);
            if (strcmp(m.k[k].kind, "topup") && strcmp(m.k[k].kind, "adjustment")) {
                p.kind = "topup";
                p.delta_fen = pick(1, 3000);
                want_delta = p.delta_fen;
            } else {
                p.kind = "reversal";
                a = m.k[k].acct;
                p.account_id = cards[a];
                p.reverses_id = m.k[k].id;
                want_delta = -m.k[k].delta;
                if (m.k[k].reversed)
                    want_refusal = "canteen.txn.reversed";
            }
        } else if (r < 84) {
            p.kind = "adjustment";
            p.delta_fen = pick(-800, 800);
            if (!p.delta_fen)
                p.delta_fen = 1;
            p.note = "调账";
            want_delta = p.delta_fen;
        } else if (r < 96 && m.nkeys) {
            /* a replay of an earlier key: the original answered, nothing written */
            int k = (int)pick(0, m.nkeys - 1);
            replay_of = k;
            a = m.k[k].acct;
            p.kind = m.k[k].kind;
            p.account_id = cards[a];
            p.delta_fen = m.k[k].delta;
            p.reverses_id = m.k[k].reverses;
            if (!strcmp(p.kind, "adjustment"))
                p.note = "调账";
            snprintf(key, sizeof(key), "k-%d", k);
            p.idem_key = key;
        } else {
            /* a spend that must be refused: beyond the balance and the overdraft */
            p.kind = "spend";
            p.delta_fen = -(m.bal[a] + OD + pick(1, 500));
            if (p.delta_fen >= 0)
                p.delta_fen = -pick(1, 500) - (m.bal[a] > -OD ? m.bal[a] + OD : 0);
            want_delta = p.delta_fen;
        }
        if (replay_of < 0) /* keys of applied postings are k-<index in the model> */
            snprintf(key, sizeof(key), "k-%d", m.nkeys);
        if (replay_of < 0 && !want_refusal && want_delta < 0 && m.bal[a] + want_delta < -OD)
            want_refusal = "canteen.balance.insufficient";
        err_clear(&x.r.err);
        int rc = ct_post(&x.r, x.c, &p, &o);
        if (replay_of >= 0) {
            assert_int_equal(rc, 0);
            assert_int_equal(o.replayed, 1);
            assert_int_equal(o.id, m.k[replay_of].id);
            replayed++;
            continue;
        }
        if (want_refusal) {
            if (rc == 0)
                fail_msg("op %d (%s %lld on %d, balance %lld) applied, want %s", op, p.kind,
                         (long long)p.delta_fen, a, (long long)m.bal[a], want_refusal);
            assert_string_equal(key_of(&x.r), want_refusal);
            refusedx++;
            continue;
        }
        if (rc)
            fail_msg("op %d (%s %lld on %d, balance %lld): %s %s", op, p.kind,
                     (long long)p.delta_fen, a, (long long)m.bal[a], key_of(&x.r),
                     x.r.err.detail);
        assert_int_equal(o.replayed, 0);
        assert_int_equal(o.delta_fen, want_delta);
        m.bal[a] += want_delta;
        assert_int_equal(o.balance_fen, m.bal[a]);
        struct key *k = &m.k[m.nkeys++];
        k->acct = a;
        k->delta = want_delta;
        snprintf(k->kind, sizeof(k->kind), "%s", p.kind);
        k->id = o.id;
        k->left = -want_delta;
        k->reverses = p.reverses_id;
        if (!strcmp(p.kind, "refund"))
            for (int i = 0; i < m.nkeys; i++)
                if (m.k[i].id == p.reverses_id)
                    m.k[i].left -= want_delta;
        if (!strcmp(p.kind, "reversal"))
            for (int i = 0; i < m.nkeys; i++)
                if (m.k[i].id == p.reverses_id)
                    m.k[i].reversed = 1;
        applied++;
    }
    assert_int_equal(db_commit(x.c, &x.r.err), 0);
    assert_int_equal(applied + replayed + refusedx, OPS);
    assert_true(replayed > 5000);
    assert_true(refusedx > 1000);
    for (int i = 1; i < NACC; i++)
        assert_int_equal(scalar(arena_printf(x.a, "SELECT balance_fen FROM meal_accounts WHERE id "
                                                  "= %lld",
                                             (long long)cards[i])),
                         m.bal[i]);
    check_invariants(applied);

    /* concurrent spends on one account: 4 threads, their own connections, 10,000 fen */
    assert_int_equal(post1(&x, (struct ct_post){.kind = "topup", .account_id = cards[NACC],
                                                .delta_fen = 10000, .idem_key = "conc-top"},
                           &o),
                     0);
    applied++;
    enum { NT = 4, PER = 300 };
    pthread_t t[NT];
    struct spender s[NT];
    for (int i = 0; i < NT; i++) {
        s[i] = (struct spender){.n = PER, .tid = i};
        assert_int_equal(pthread_create(&t[i], NULL, spend_thread, &s[i]), 0);
    }
    int64_t spent = 0;
    int ok = 0, no = 0;
    for (int i = 0; i < NT; i++) {
        pthread_join(t[i], NULL);
        spent += s[i].spent;
        ok += s[i].ok;
        no += s[i].refused;
    }
    assert_int_equal(ok + no, NT * PER); /* each spend applied or refused for the balance */
    assert_true(no > 0);                /* the demand (~30,000 fen) is over 10,200 */
    int64_t left = 10000 - spent;
    assert_true(left >= -OD);
    assert_true(left + OD < 50); /* refused only when a spend of at most 50 did not fit */
    assert_int_equal(scalar(arena_printf(x.a, "SELECT balance_fen FROM meal_accounts WHERE id = "
                                              "%lld",
                                         (long long)cards[NACC])),
                     left);
    applied += ok;
    check_invariants(applied);
    int64_t checked, mismatched;
    assert_int_equal(db_begin(x.c, &x.r.err), 0);
    assert_int_equal(ct_ledger_check(&x.r, x.c, &checked, &mismatched, &x.r.err), 0);
    assert_int_equal(db_commit(x.c, &x.r.err), 0);
    assert_int_equal(mismatched, 0);
    free(m.k);
    ctx_close(&x);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scan),
        cmocka_unit_test(test_batch_decode),
        cmocka_unit_test_setup_teardown(test_vectors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invariant, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
