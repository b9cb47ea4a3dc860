/* SPDX-License-Identifier: MIT
 * t_assets.c - the fixed assets module's depreciation with hand-computed
 * figures (政府会计准则第3号: straight-line by the month, from the month
 * acquired, not in the month it leaves, no salvage value, never past the
 * value): the first month, a year, the last month of the life and the one
 * after, the boundary of a 15-year category, rounding half up of a fen, a
 * disposal stopping the charge, a category not depreciated, every month of a
 * life summing to the value, six fen over twelve months, the largest value
 * over the longest life, no acquisition date, a disposal after the life;
 * month numbers of dates and their text; and an upgrade of a
 * database made before the module (the categories, classes and settings
 * seeded for the tenant that existed).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "base/err.h"
#include "db/db.h"
#include "engine/migrate.h"
#include "modules/assets/assets.h"
#include "modules/modules.h"
#include "tmpdb.h"

#include <sodium.h>
#include <string.h>

static int64_t month(const char *d)
{
    int64_t m = as_month_of(d);
    assert_true(m >= 0);
    return m;
}

static void test_months(void **state)
{
    (void)state;
    assert_int_equal(as_month_of("2024-03-15"), 2024 * 12 + 2);
    assert_int_equal(as_month_of("2024-01-01"), 2024 * 12);
    assert_int_equal(as_month_of("2023-12-31"), 2024 * 12 - 1);
    assert_int_equal(as_month_of("2024-13-01"), -1);
    assert_int_equal(as_month_of("2024-00-10"), -1);
    assert_int_equal(as_month_of("2024-3-1"), -1);
    assert_int_equal(as_month_of("2024-03-15x"), -1);
    assert_int_equal(as_month_of(""), -1);
    assert_int_equal(as_month_of(NULL), -1);
}

/* a 6,000.00 yuan computer, 6 years (72 months), acquired in March 2024 */
static void test_computer(void **state)
{
    (void)state;
    struct as_dep d;
    int64_t acq = month("2024-03-20");
    /* the month before: nothing */
    as_depreciate(600000, acq, 6, month("2024-02-01"), -1, &d);
    assert_int_equal(d.months, 0);
    assert_int_equal(d.accumulated, 0);
    assert_int_equal(d.monthly, 0);
    assert_int_equal(d.net, 600000);
    /* the month it arrived is charged: 600000 / 72 = 8333.33 → 8333 */
    as_depreciate(600000, acq, 6, acq, -1, &d);
    assert_int_equal(d.months, 1);
    assert_int_equal(d.accumulated, 8333);
    assert_int_equal(d.monthly, 8333);
    assert_int_equal(d.net, 591667);
    /* a year: 12/72 of the value exactly; the month: 100000 − 91667 */
    as_depreciate(600000, acq, 6, month("2025-02-01"), -1, &d);
    assert_int_equal(d.months, 12);
    assert_int_equal(d.accumulated, 100000);
    assert_int_equal(d.monthly, 8333);
    assert_int_equal(d.net, 500000);
    /* the 72nd month (February 2030) takes what is left: 600000 − 591667 */
    as_depreciate(600000, acq, 6, month("2030-02-28"), -1, &d);
    assert_int_equal(d.months, 72);
    assert_int_equal(d.accumulated, 600000);
    assert_int_equal(d.monthly, 8333);
    assert_int_equal(d.net, 0);
    /* fully depreciated: no charge after, still in use */
    as_depreciate(600000, acq, 6, month("2030-03-01"), -1, &d);
    assert_int_equal(d.months, 72);
    assert_int_equal(d.accumulated, 600000);
    assert_int_equal(d.monthly, 0);
    assert_int_equal(d.net, 0);
    as_depreciate(600000, acq, 6, month("2040-01-01"), -1, &d);
    assert_int_equal(d.accumulated, 600000);
    assert_int_equal(d.monthly, 0);
}

/* disposed of in June 2024: March, April and May were charged, June not */
static void test_disposed(void **state)
{
    (void)state;
    struct as_dep d;
    int64_t acq = month("2024-03-01"), left = month("2024-06-30");
    as_depreciate(600000, acq, 6, month("2024-05-31"), left, &d);
    assert_int_equal(d.months, 3);
    assert_int_equal(d.monthly, 8333);
    as_depreciate(600000, acq, 6, left, left, &d);
    assert_int_equal(d.months, 3);
    assert_int_equal(d.accumulated, 25000);
    assert_int_equal(d.monthly, 0);
    assert_int_equal(d.net, 575000);
    as_depreciate(600000, acq, 6, month("2026-01-01"), left, &d);
    assert_int_equal(d.months, 3);
    assert_int_equal(d.accumulated, 25000);
    assert_int_equal(d.monthly, 0);
    /* left in the month it arrived: never charged */
    as_depreciate(600000, acq, 6, month("2025-01-01"), acq, &d);
    assert_int_equal(d.months, 0);
    assert_int_equal(d.accumulated, 0);
    assert_int_equal(d.net, 600000);
}

/* furniture: 15 years = 180 months; 2,999.99 yuan */
static void test_furniture(void **state)
{
    (void)state;
    struct as_dep d;
    int64_t acq = month("2011-01-05");
    /* month 179 (November 2025): 299999·179/180 = 298332.34 → 298332 */
    as_depreciate(299999, acq, 15, acq + 178, -1, &d);
    assert_int_equal(d.months, 179);
    assert_int_equal(d.accumulated, 298332);
    /* month 180 (December 2025): the rest, 1667 */
    as_depreciate(299999, acq, 15, month("2025-12-01"), -1, &d);
    assert_int_equal(d.months, 180);
    assert_int_equal(d.accumulated, 299999);
    assert_int_equal(d.monthly, 1667);
    assert_int_equal(d.net, 0);
    as_depreciate(299999, acq, 15, month("2026-01-01"), -1, &d);
    assert_int_equal(d.monthly, 0);
    /* a car (8 years, 96 months): 123,456.78 yuan after 5 years: 60/96 */
    as_depreciate(12345678, month("2020-07-01"), 8, month("2025-06-01"), -1, &d);
    assert_int_equal(d.months, 60);
    assert_int_equal(d.accumulated, 7716049);
    assert_int_equal(d.monthly, 7716049 - 7587448);
    assert_int_equal(d.net, 12345678 - 7716049);
}

/* one fen over 96 months: half a fen rounds up at month 48 */
static void test_rounding(void **state)
{
    (void)state;
    struct as_dep d;
    as_depreciate(1, 0, 8, 46, -1, &d);
    assert_int_equal(d.accumulated, 0);
    as_depreciate(1, 0, 8, 47, -1, &d);
    assert_int_equal(d.months, 48);
    assert_int_equal(d.accumulated, 1);
    assert_int_equal(d.monthly, 1);
    /* every month of a life sums exactly to the value */
    static const int64_t values[] = {1, 99, 600000, 299999, 12345678, 987654321};
    static const int years[] = {1, 5, 6, 8, 15, 50};
    for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++)
        for (size_t y = 0; y < sizeof(years) / sizeof(years[0]); y++) {
            int64_t sum = 0;
            for (int64_t m = 0; m < years[y] * 12 + 3; m++) {
                as_depreciate(values[v], 100, years[y], 100 + m, -1, &d);
                assert_true(d.monthly >= 0);
                sum += d.monthly;
                assert_int_equal(sum, d.accumulated);
            }
            assert_int_equal(sum, values[v]);
        }
}

/* land, cultural relics, books: a life of 0 years is never depreciated */
static void test_not_depreciated(void **state)
{
    (void)state;
    struct as_dep d;
    as_depreciate(50000000, month("2000-01-01"), 0, month("2026-12-01"), -1, &d);
    assert_int_equal(d.months, 0);
    assert_int_equal(d.accumulated, 0);
    assert_int_equal(d.monthly, 0);
    assert_int_equal(d.net, 50000000);
    as_depreciate(0, month("2020-01-01"), 6, month("2026-12-01"), -1, &d);
    assert_int_equal(d.accumulated, 0);
    assert_int_equal(d.net, 0);
}

/* ---- the boundaries the reports meet ---- */

#define M(y, m) ((int64_t)(y)*12 + (m)-1)

static void expect(int64_t original, int64_t acq, int years, int64_t asof, int64_t left,
                   int64_t months, int64_t acc, int64_t monthly)
{
    struct as_dep d;
    as_depreciate(original, acq, years, asof, left, &d);
    assert_int_equal(d.months, months);
    assert_int_equal(d.accumulated, acc);
    assert_int_equal(d.monthly, monthly);
    assert_int_equal(d.net, original - acc);
}

static void test_month_text(void **state)
{
    (void)state;
    assert_int_equal(as_month_of("2024-12-31"), 2024 * 12 + 11);
    assert_int_equal(as_month_of("2025-01-15") - as_month_of("2024-12-31"), 1);
    assert_int_equal(as_month_of("2024-01-01T00"), -1);
    char s[16];
    as_month_text(M(2024, 1), s, sizeof(s));
    assert_string_equal(s, "2024-01");
    as_month_text(M(1999, 12), s, sizeof(s));
    assert_string_equal(s, "1999-12");
}

/* a computer: 7,200.00 yuan over 6 years, 100.00 a month from January 2020 */
static void test_computer_life(void **state)
{
    (void)state;
    int64_t a = M(2020, 1);
    expect(720000, a, 6, a - 1, -1, 0, 0, 0);     /* December 2019: not there yet */
    expect(720000, a, 6, a, -1, 1, 10000, 10000); /* the month acquired is charged */
    expect(720000, a, 6, M(2024, 12), -1, 60, 600000, 10000);
    expect(720000, a, 6, M(2025, 12), -1, 72, 720000, 10000); /* the last month of the life */
    expect(720000, a, 6, M(2026, 1), -1, 72, 720000, 0);      /* fully depreciated: no more */
    expect(720000, a, 6, M(2040, 6), -1, 72, 720000, 0);
}

/* furniture: 1,000.00 over 15 years (180 months), 555.56 a month rounded */
static void test_rounding_sums(void **state)
{
    (void)state;
    int64_t a = M(2024, 6);
    expect(100000, a, 15, a, -1, 1, 556, 556);            /* 555.56 -> 556 */
    expect(100000, a, 15, a + 1, -1, 2, 1111, 555);       /* 1111.11 -> 1111 */
    expect(100000, a, 15, M(2024, 12), -1, 7, 3889, 556); /* 3888.89 -> 3889, 3333.33 -> 3333 */
    int64_t sum = 0;
    for (int64_t m = a; m < a + 200; m++) {
        struct as_dep d;
        as_depreciate(100000, a, 15, m, -1, &d);
        sum += d.monthly;
        assert_true(d.monthly == 555 || d.monthly == 556 || (m >= a + 180 && d.monthly == 0));
    }
    assert_int_equal(sum, 100000);
    /* six fen over twelve months: halves go up, 1 1 2 2 3 3 4 4 5 5 6 6 */
    static const int64_t acc6[12] = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6};
    sum = 0;
    for (int k = 0; k < 12; k++) {
        struct as_dep d;
        as_depreciate(6, M(2023, 3), 1, M(2023, 3) + k, -1, &d);
        assert_int_equal(d.accumulated, acc6[k]);
        sum += d.monthly;
    }
    assert_int_equal(sum, 6);
}

static void test_disposal(void **state)
{
    (void)state;
    int64_t a = M(2020, 1);
    /* disposed of in November 2020: January to October charged, nothing in November */
    expect(720000, a, 6, M(2020, 10), M(2020, 11), 10, 100000, 10000);
    expect(720000, a, 6, M(2020, 11), M(2020, 11), 10, 100000, 0);
    expect(720000, a, 6, M(2023, 5), M(2020, 11), 10, 100000, 0);
    /* disposed of in the month it arrived: never depreciated */
    expect(720000, a, 6, a, a, 0, 0, 0);
    /* disposed of after its life ended: fully depreciated before */
    expect(720000, a, 6, M(2027, 3), M(2027, 2), 72, 720000, 0);
}

static void test_nothing_to_depreciate(void **state)
{
    (void)state;
    expect(50000, M(2019, 3), 0, M(2024, 12), -1, 0, 0, 0); /* books: not depreciated */
    expect(0, M(2019, 3), 5, M(2024, 12), -1, 0, 0, 0);     /* a gift recorded at nothing */
    struct as_dep d;
    as_depreciate(50000, -1, 5, M(2024, 12), -1, &d); /* no acquisition date */
    assert_int_equal(d.net, 50000);
    assert_int_equal(d.months, 0);
}

/* the register's largest value over the longest life: no overflow */
static void test_largest(void **state)
{
    (void)state;
    int64_t v = 100000000000000LL, a = M(2000, 1);
    expect(v, a, 50, a, -1, 1, 166666666667LL, 166666666667LL);
    expect(v, a, 50, a + 599, -1, 600, v, 166666666667LL); /* 1e14 - 99833333333333 */
    struct as_dep d;
    as_depreciate(v, a, 100, a + 1199, -1, &d);
    assert_int_equal(d.accumulated, v);
}

static int64_t scalar(struct db *db, const char *sql)
{
    struct err e;
    struct db_stmt *st;
    err_clear(&e);
    struct db_conn *c = db_conn(db, &e);
    assert_non_null(c);
    if (db_prepare(c, sql, &st, &e) || db_step(st, &e) != DB_ROW)
        fail_msg("%s: %s", sql, e.detail);
    int64_t v = db_col_int(st, 0);
    db_reset(st);
    return v;
}

/* a database of schema 5 with a tenant gets the module's defaults */
static void test_upgrade(void **state)
{
    (void)state;
    char path[64];
    tmpdb_path(path, sizeof(path), "assets");
    struct db *db;
    struct err e;
    struct db_options o = {.create = 1};
    int from = -1;
    err_clear(&e);
    assert_int_equal(engine_init(modules_list(), &e), 0);
    assert_int_equal(db_open(&db, path, &o, &e), 0);
    assert_int_equal(migrate_run(db, 5, &from, &e), 0);
    struct db_conn *c = db_conn(db, &e);
    assert_int_equal(db_exec(c,
                             "INSERT INTO tenants (version, created_at, updated_at, name, code, "
                             "admin_level, utc_offset_min) VALUES (1, 0, 0, 't', 't', 'county', "
                             "480)",
                             &e),
                     0);
    assert_int_equal(migrate_run(db, 0, &from, &e), 0);
    assert_int_equal(from, 5);
    assert_int_equal(scalar(db, "SELECT COUNT(*) FROM asset_categories WHERE tenant_id = 1"), 22);
    assert_int_equal(scalar(db, "SELECT years FROM asset_categories WHERE name = '计算机设备'"), 6);
    assert_int_equal(scalar(db, "SELECT years FROM asset_categories WHERE name = '家具'"), 15);
    assert_int_equal(scalar(db, "SELECT COUNT(*) FROM asset_categories WHERE depreciated = 0"), 4);
    assert_int_equal(scalar(db, "SELECT COUNT(*) FROM asset_classes WHERE edition = '2022'"), 6);
    assert_int_equal(scalar(db, "SELECT COUNT(*) FROM asset_classes WHERE edition = '2010'"), 6);
    /* A04 图书和档案 defaults to the category not depreciated */
    assert_int_equal(scalar(db, "SELECT k.years FROM asset_classes c JOIN asset_categories k ON "
                                "k.id = c.category_id WHERE c.code = 'A04'"),
                     0);
    assert_int_equal(scalar(db, "SELECT value FROM asset_settings WHERE name = "
                                "'disposal_self_max_fen'"),
                     AS_DISPOSAL_SELF_MAX_FEN);
    assert_int_equal(scalar(db, "SELECT COUNT(*) FROM assets"), 0);
    db_close(db);
    tmpdb_remove(path);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_months),
        cmocka_unit_test(test_computer),
        cmocka_unit_test(test_disposed),
        cmocka_unit_test(test_furniture),
        cmocka_unit_test(test_rounding),
        cmocka_unit_test(test_not_depreciated),
        cmocka_unit_test(test_month_text),
        cmocka_unit_test(test_computer_life),
        cmocka_unit_test(test_rounding_sums),
        cmocka_unit_test(test_disposal),
        cmocka_unit_test(test_nothing_to_depreciate),
        cmocka_unit_test(test_largest),
        cmocka_unit_test(test_upgrade),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
