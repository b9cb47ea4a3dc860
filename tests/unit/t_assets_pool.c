/* SPDX-License-Identifier: MIT
 * t_assets_pool.c - the pure rules of disposals and the public property pool
 * with hand-computed boundary vectors: the approval band of a batch's
 * original value against the tenant's thresholds (the defaults 5万元 and
 * 20万元, a tenant's own, equal thresholds, zero), what each disposal type
 * needs (a recipient; an appraisal for sales and exchanges only; unknown
 * types nothing), a loan's span (the same day, 90 days inclusive, 91, a
 * return before the start) and the loan reminders (ahead by the setting,
 * due today, overdue, each once); and on a small database, the dashboard's
 * figures (as_pool_summary: this year's reuses from 1 January 00:00 local
 * time, the items in the pool, loans out and overdue, disposals awaiting
 * approval) and the flag before procurement (as_pool_available by class with
 * its sub-classes, by category, usable items only).
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
#include "modules/assets/assets.h"
#include "modules/modules.h"
#include "tmpdb.h"

#include <jansson.h>
#include <sodium.h>
#include <string.h>

static int64_t day(const char *d)
{
    int64_t v;
    assert_int_equal(date_parse(d, strlen(d), &v), 0);
    return v;
}

static void test_band(void **s)
{
    (void)s;
    const int64_t from = AS_DISPOSAL_LEADER_FROM_FEN, max = AS_DISPOSAL_SELF_MAX_FEN;
    assert_int_equal(from, 5000000); /* 50,000.00 yuan */
    assert_int_equal(max, 20000000); /* 200,000.00 yuan */
    assert_int_equal(as_disposal_band(0, from, max), AS_BAND_MANAGER);
    assert_int_equal(as_disposal_band(1, from, max), AS_BAND_MANAGER);
    assert_int_equal(as_disposal_band(4999999, from, max), AS_BAND_MANAGER);
    assert_int_equal(as_disposal_band(5000000, from, max), AS_BAND_LEADER); /* from: inclusive */
    assert_int_equal(as_disposal_band(5000001, from, max), AS_BAND_LEADER);
    assert_int_equal(as_disposal_band(19999999, from, max), AS_BAND_LEADER);
    assert_int_equal(as_disposal_band(20000000, from, max), AS_BAND_LEADER); /* up to: inclusive */
    assert_int_equal(as_disposal_band(20000001, from, max), AS_BAND_FINANCE);
    assert_int_equal(as_disposal_band(100000000000000LL, from, max), AS_BAND_FINANCE);
    /* a tenant's own: 1,000.00 and 3,000.00 yuan; a batch of 1,500.00 + 1,500.01 */
    assert_int_equal(as_disposal_band(99999, 100000, 300000), AS_BAND_MANAGER);
    assert_int_equal(as_disposal_band(100000, 100000, 300000), AS_BAND_LEADER);
    assert_int_equal(as_disposal_band(150000 + 150001, 100000, 300000), AS_BAND_FINANCE);
    /* thresholds equal: from there a leader, above it the finance department */
    assert_int_equal(as_disposal_band(300000, 300000, 300000), AS_BAND_LEADER);
    assert_int_equal(as_disposal_band(300001, 300000, 300000), AS_BAND_FINANCE);
    /* every disposal by a leader (0), none approved here (max 0) */
    assert_int_equal(as_disposal_band(0, 0, 0), AS_BAND_LEADER);
    assert_int_equal(as_disposal_band(1, 0, 0), AS_BAND_FINANCE);
}

static void test_types(void **s)
{
    (void)s;
    static const struct {
        const char *type;
        int recipient, appraisal;
    } v[] = {
        {"free_transfer", 1, 0}, {"donation", 1, 0}, {"sale", 1, 1},
        {"exchange", 1, 1},      {"scrap", 0, 0},    {"write_off", 0, 0},
        {"sell_off", 0, 0},      {"", 0, 0},         {"SALE", 0, 0},
    };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        assert_int_equal(as_disposal_needs_recipient(v[i].type), v[i].recipient);
        assert_int_equal(as_disposal_needs_appraisal(v[i].type), v[i].appraisal);
    }
    assert_int_equal(as_disposal_needs_recipient(NULL), 0);
    assert_int_equal(as_disposal_needs_appraisal(NULL), 0);
}

static void test_loan_span(void **s)
{
    (void)s;
    int64_t d = day("2026-12-07");
    assert_int_equal(AS_LOAN_MAX_DAYS, 90);
    assert_int_equal(as_loan_span_check(d, d), 0);      /* one day */
    assert_int_equal(as_loan_span_check(d, d + 89), 0); /* 90 days inclusive */
    assert_int_equal(as_loan_span_check(d, day("2027-03-06")), 0);
    assert_int_equal(as_loan_span_check(d, d + 90), 2); /* 91 days */
    assert_int_equal(as_loan_span_check(d, day("2027-03-07")), 2);
    assert_int_equal(as_loan_span_check(d, d - 1), 1);
    /* across February of a leap year (29 days): 2028-02-01 + 89 = 2028-04-30 */
    assert_int_equal(as_loan_span_check(day("2028-02-01"), day("2028-04-30")), 0);
    assert_int_equal(as_loan_span_check(day("2028-02-01"), day("2028-05-01")), 2);
}

static void test_reminders(void **s)
{
    (void)s;
    int64_t due = day("2026-12-10");
    /* three days ahead by default */
    assert_int_equal(as_loan_reminder(due, due - 4, 3, 0, 0), 0);
    assert_int_equal(as_loan_reminder(due, due - 3, 3, 0, 0), 1);
    assert_int_equal(as_loan_reminder(due, due - 3, 3, 1, 0), 0);  /* once */
    assert_int_equal(as_loan_reminder(due, due, 3, 0, 0), 1);      /* due today: not overdue yet */
    assert_int_equal(as_loan_reminder(due, due, 0, 0, 0), 1);      /* no days ahead: on the day */
    assert_int_equal(as_loan_reminder(due, due + 1, 3, 1, 0), 2);  /* the day after: overdue */
    assert_int_equal(as_loan_reminder(due, due + 1, 3, 0, 0), 2);  /* never reminded: the notice */
    assert_int_equal(as_loan_reminder(due, due + 30, 3, 1, 1), 0); /* once */
    assert_int_equal(as_loan_reminder(due, due - 10, 10, 0, 0), 1);
}

static void sqlf(struct db_conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sqlf(struct db_conn *c, const char *fmt, ...)
{
    char sql[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof(sql), fmt, ap);
    va_end(ap);
    struct err e;
    err_clear(&e);
    if (db_exec(c, sql, &e))
        fail_msg("%s: %s", sql, e.detail);
}

#define ROW "1, 1, 0, 0" /* tenant_id, version, created_at, updated_at */
#define COLS "tenant_id, version, created_at, updated_at"

static void asset(struct db_conn *c, int id, int cls, const char *cat, const char *status)
{
    sqlf(c,
         "INSERT INTO assets (id, " COLS ", name, class_id, category_id, original_value_fen, "
         "acquired_on, department_id, status) VALUES (%d, " ROW ", 'a%d', %d, %s, 100000, "
         "'2024-01-01', 1, '%s')",
         id, id, cls, cat, status);
}

static void item(struct db_conn *c, int asset, const char *cond, const char *status)
{
    sqlf(c,
         "INSERT INTO pool_items (" COLS ", asset_id, department_id, condition, status) VALUES "
         "(" ROW ", %d, 1, '%s', '%s')",
         asset, cond, status);
}

static void request(struct db_conn *c, int asset, const char *kind, const char *status,
                    long long decided, long long saves, const char *until)
{
    sqlf(c,
         "INSERT INTO pool_requests (" COLS ", asset_id, kind, department_id, purpose, status, "
         "decided_at, saves_fen, loan_until) VALUES (" ROW ", %d, '%s', 1, 'p', '%s', %lld, %lld, "
         "%s)",
         asset, kind, status, decided, saves, until);
}

static void test_summary(void **state)
{
    (void)state;
    char path[64];
    tmpdb_path(path, sizeof(path), "assets-pool");
    struct db *db;
    struct err e;
    int from = -1;
    err_clear(&e);
    assert_int_equal(engine_init(modules_list(), &e), 0);
    assert_int_equal(db_open(&db, path, &(struct db_options){.create = 1}, &e), 0);
    assert_int_equal(migrate_run(db, 0, &from, &e), 0);
    struct db_conn *c = tmpdb_conn(db);
    sqlf(c, "INSERT INTO tenants (version, created_at, updated_at, name, code, admin_level, "
            "utc_offset_min) VALUES (1, 0, 0, 't', 't', 'county', 480)");
    sqlf(c, "INSERT INTO departments (id, " COLS ", name) VALUES (1, " ROW ", 'd')");
    sqlf(c, "INSERT INTO asset_categories (id, " COLS ", name, years) VALUES (1, " ROW ", 'k', 6)");
    /* A02 ⊃ A0201; A05 apart */
    sqlf(c, "INSERT INTO asset_classes (id, " COLS ", code, name) VALUES (1, " ROW ", 'A02', 'x')");
    sqlf(c, "INSERT INTO asset_classes (id, " COLS ", code, name, parent_id) VALUES (2, " ROW
            ", 'A0201', 'y', 1)");
    sqlf(c, "INSERT INTO asset_classes (id, " COLS ", code, name) VALUES (3, " ROW ", 'A05', 'z')");
    asset(c, 1, 2, "1", "pooled"), item(c, 1, "good", "in_pool");
    asset(c, 2, 2, "1", "pooled"), item(c, 2, "fair", "in_pool");
    asset(c, 3, 2, "1", "pooled"), item(c, 3, "broken", "in_pool");
    asset(c, 4, 2, "1", "lent"), item(c, 4, "good", "in_pool");
    asset(c, 5, 3, "NULL", "pooled"), item(c, 5, "good", "in_pool");
    asset(c, 6, 2, "1", "in_use"), item(c, 6, "good", "reused");
    asset(c, 7, 1, "1", "pooled"), item(c, 7, "poor", "in_pool");

    /* 1 January of this year, 00:00 at +08:00 */
    int64_t now = clock_now(), today = (now + 480 * 60) / 86400;
    char d[16], jan1[16];
    date_format(today, d, sizeof(d));
    snprintf(jan1, sizeof(jan1), "%.4s-01-01", d);
    int64_t t0 = day(jan1) * 86400 - 480 * 60;
    char soon[16], late[16];
    date_format(today + 5, soon, sizeof(soon));
    date_format(today - 1, late, sizeof(late));
    char q_soon[20], q_late[20];
    snprintf(q_soon, sizeof(q_soon), "'%s'", soon);
    snprintf(q_late, sizeof(q_late), "'%s'", late);
    request(c, 6, "reuse", "approved", (long long)now - 60, 100000, "NULL");
    request(c, 6, "reuse", "approved", (long long)t0, 1, "NULL");          /* the first second */
    request(c, 6, "reuse", "approved", (long long)t0 - 1, 500000, "NULL"); /* last year */
    request(c, 1, "reuse", "pending", 0, 700000, "NULL");
    request(c, 1, "reuse", "rejected", (long long)now, 900000, "NULL");
    request(c, 4, "loan", "approved", (long long)now, 0, q_soon);
    request(c, 4, "loan", "approved", (long long)now, 0, q_late);
    request(c, 4, "loan", "returned", (long long)now, 0, q_late);
    static const char *const disp[] = {"submitted", "submitted", "draft", "approved", "rejected"};
    for (int i = 0; i < 5; i++)
        sqlf(c,
             "INSERT INTO asset_disposals (" COLS ", type, reason, status) VALUES (" ROW
             ", 'scrap', 'r', '%s')",
             disp[i]);

    struct arena *a = arena_new(1u << 20);
    struct req r;
    req_init_internal(&r, a, NULL, db);
    r.tenant_id = 1;
    r.utc_offset_min = 480;
    json_t *card = json_object();
    assert_int_equal(as_pool_summary(&r, c, card, &e), 0);
    assert_int_equal(json_integer_value(json_object_get(card, "reused_value_year_fen")), 100001);
    assert_int_equal(json_integer_value(json_object_get(card, "reused_year")), 2);
    assert_int_equal(json_integer_value(json_object_get(card, "pool_items")), 5); /* 1 2 3 5 7 */
    assert_int_equal(json_integer_value(json_object_get(card, "loans_out")), 2);
    assert_int_equal(json_integer_value(json_object_get(card, "loans_overdue")), 1);
    assert_int_equal(json_integer_value(json_object_get(card, "disposals_awaiting")), 2);
    json_decref(card);

    /* usable (good, fair), in the pool (not lent): A02 takes A0201's */
    int n = -1;
    assert_int_equal(as_pool_available(&r, c, 1, 0, &n, &e), 0);
    assert_int_equal(n, 2); /* 1 good, 2 fair; not 3 broken, 4 lent, 7 poor */
    assert_int_equal(as_pool_available(&r, c, 2, 0, &n, &e), 0);
    assert_int_equal(n, 2);
    assert_int_equal(as_pool_available(&r, c, 3, 0, &n, &e), 0);
    assert_int_equal(n, 1);
    assert_int_equal(as_pool_available(&r, c, 0, 1, &n, &e), 0);
    assert_int_equal(n, 2); /* 5 has no category */
    assert_int_equal(as_pool_available(&r, c, 3, 1, &n, &e), 0);
    assert_int_equal(n, 0);
    assert_int_equal(as_pool_available(&r, c, 0, 0, &n, &e), 0);
    assert_int_equal(n, 3);
    assert_int_equal(as_pool_available(&r, c, 999, 0, &n, &e), 0);
    assert_int_equal(n, 0);
    /* A05's tree grown to 999 sub-classes (two levels) is searched whole; one more is refused,
     * never searched in part */
    for (int k = 0; k < 999; k++)
        sqlf(c,
             "INSERT INTO asset_classes (id, " COLS ", code, name, parent_id) VALUES (%d, " ROW
             ", 'B%d', 'w', %d)",
             100 + k, k, k < 9 ? 3 : 100 + k % 9);
    assert_int_equal(as_pool_available(&r, c, 3, 0, &n, &e), 0);
    assert_int_equal(n, 1);
    sqlf(c, "INSERT INTO asset_classes (id, " COLS ", code, name, parent_id) VALUES (2000, " ROW
            ", 'C1', 'w', 105)");
    err_clear(&e);
    assert_int_equal(as_pool_available(&r, c, 3, 0, &n, &e), -ERR_BAD_QUERY);
    assert_string_equal(e.key, "assets.pool.class_tree");
    err_clear(&e);
    r.tenant_id = 2; /* another tenant sees none */
    assert_int_equal(as_pool_available(&r, c, 0, 0, &n, &e), 0);
    assert_int_equal(n, 0);
    arena_free(a);
    db_close(db);
    tmpdb_remove(path);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_band),      cmocka_unit_test(test_types),
        cmocka_unit_test(test_loan_span), cmocka_unit_test(test_reminders),
        cmocka_unit_test(test_summary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
