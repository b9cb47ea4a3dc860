/* SPDX-License-Identifier: MIT
 * t_fleet.c - the fleet module's pure rules: plate formats (every province,
 * the middle dot, lengths, the letters I and O), which licence class may
 * drive which vehicle, calendar years (leap days), and renewal eligibility
 * at its boundaries: "more than 8 years" against "8 years or more", the
 * mileage threshold, and either-or rules; and the upgrade of a database made
 * before the module: an existing tenant gets the seeded rules and standards,
 * and its built-in driver role the grants on trips.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "base/base.h"
#include "base/err.h"
#include "db/db.h"
#include "engine/migrate.h"
#include "modules/fleet/fleet.h"
#include "modules/modules.h"
#include "tmpdb.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern const struct module org_module, identity_module, notify_module, fleet_module;

static int plate_ok(const char *p)
{
    struct err_item why;
    return fl_plate_check(p, &why) == 0;
}

static void test_plates(void **state)
{
    (void)state;
    const char *good[] = {"粤B·12345", "粤B·D12345", "粤B·A1234", "京A·F12345", "琼E·DF1234",
                          "新Z·ABCDE", "藏A·12345",  "蒙K·12345", NULL};
    for (int i = 0; good[i]; i++)
        assert_true(plate_ok(good[i]));
    /* every one of the 31 provinces */
    const char *prov = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";
    int n = 0;
    for (const char *p = prov; *p; p += 3, n++) {
        char b[32];
        snprintf(b, sizeof(b), "%.3sC·12345", p);
        assert_true(plate_ok(b));
    }
    assert_int_equal(n, 31);
    const char *bad[] = {"",          "粤B12345",   "粤B·1234",   "粤B·1234567", "港A·12345",
                         "澳A·12345", "台A·12345",  "粤b·12345",  "粤B·1234O",   "粤B·I2345",
                         "粤B·12 45", "AB·12345",   "粤1·12345",  "粤B.12345",   "粤B··12345",
                         "粤B·1234a", "粤B·12345 ", "粤BB·12345", "粤B·１2345",  NULL};
    /* each refused with the reason's key (and a message for curl users) */
    const char *keys[] = {"fleet.plate.province", "fleet.plate.dot",      "fleet.plate.length",
                          "fleet.plate.length",   "fleet.plate.province", "fleet.plate.province",
                          "fleet.plate.province", "fleet.plate.letter",   "fleet.plate.io",
                          "fleet.plate.io",       "fleet.plate.chars",    "fleet.plate.province",
                          "fleet.plate.letter",   "fleet.plate.dot",      "fleet.plate.chars",
                          "fleet.plate.chars",    "fleet.plate.chars",    "fleet.plate.dot",
                          "fleet.plate.chars"};
    for (int i = 0; bad[i]; i++) {
        struct err_item why = {.msg = ""};
        assert_int_equal(fl_plate_check(bad[i], &why), -1);
        assert_true(why.msg[0] != 0);
        if (strcmp(why.key, keys[i]))
            fail_msg("%s: %s, not %s", bad[i], why.key, keys[i]);
    }
    struct err_item why;
    assert_int_equal(fl_plate_check(NULL, &why), -1);
    assert_string_equal(why.key, "field.required");
}

static void test_licences(void **state)
{
    (void)state;
    /* a small car: every class but C2 on a manual gearbox */
    const char *all[] = {"A1", "A2", "A3", "B1", "B2", "C1", NULL};
    for (int i = 0; all[i]; i++) {
        assert_true(fl_licence_fits(all[i], 5, 0));
        assert_true(fl_licence_fits(all[i], 9, 1));
    }
    assert_true(fl_licence_fits("C2", 5, 1));
    assert_false(fl_licence_fits("C2", 5, 0));
    assert_false(fl_licence_fits("C2", 10, 1));
    /* a medium bus (10-19 seats): A1 and B1 */
    assert_true(fl_licence_fits("A1", 10, 0));
    assert_true(fl_licence_fits("B1", 19, 0));
    assert_false(fl_licence_fits("C1", 10, 1));
    assert_false(fl_licence_fits("A3", 15, 0));
    assert_false(fl_licence_fits("B2", 15, 0));
    /* a large bus (20 seats or more): A1 only */
    assert_true(fl_licence_fits("A1", 20, 0));
    assert_false(fl_licence_fits("B1", 20, 0));
    assert_false(fl_licence_fits(NULL, 5, 1));
    assert_false(fl_licence_fits("D", 5, 1));
}

static int64_t day(const char *s)
{
    int64_t d = 0;
    assert_int_equal(date_parse(s, strlen(s), &d), 0);
    return d;
}

static void test_years(void **state)
{
    (void)state;
    assert_int_equal(fl_add_years(day("2018-06-15"), 8), day("2026-06-15"));
    assert_int_equal(fl_add_years(day("2020-02-29"), 8), day("2028-02-29"));
    assert_int_equal(fl_add_years(day("2020-02-29"), 1), day("2021-02-28"));
    assert_int_equal(fl_add_years(day("1999-12-31"), 1), day("2000-12-31"));
    assert_int_equal(fl_full_years(day("2018-06-15"), day("2026-06-14")), 7);
    assert_int_equal(fl_full_years(day("2018-06-15"), day("2026-06-15")), 8);
    assert_int_equal(fl_full_years(day("2020-02-29"), day("2021-02-27")), 0);
    assert_int_equal(fl_full_years(day("2020-02-29"), day("2021-02-28")), 1);
    assert_int_equal(fl_full_years(day("2026-01-01"), day("2025-01-01")), 0);
}

static void test_eligibility(void **state)
{
    (void)state;
    /* electric (Guangdong 2025): more than 8 years and at least 200,000 km */
    struct fl_rule ev = {.min_years = 8, .more_than = 1, .min_km = 200000, .either = 0};
    int64_t reg = day("2018-06-15");
    assert_false(fl_eligible(&ev, reg, day("2026-06-15"), 250000)); /* exactly 8 years */
    assert_true(fl_eligible(&ev, reg, day("2026-06-16"), 200000));  /* a day more */
    assert_false(fl_eligible(&ev, reg, day("2026-06-16"), 199999)); /* 1 km short */
    assert_false(fl_eligible(&ev, reg, day("2020-01-01"), 900000)); /* young, whatever the km */
    /* the others: 8 years or more, no mileage condition */
    struct fl_rule fuel = {.min_years = 8, .more_than = 0, .min_km = 0, .either = 0};
    assert_true(fl_eligible(&fuel, reg, day("2026-06-15"), 0));
    assert_false(fl_eligible(&fuel, reg, day("2026-06-14"), 999999));
    /* either years or mileage */
    struct fl_rule any = {.min_years = 10, .more_than = 0, .min_km = 300000, .either = 1};
    assert_true(fl_eligible(&any, reg, day("2020-01-01"), 300000));
    assert_false(fl_eligible(&any, reg, day("2020-01-01"), 299999));
    assert_true(fl_eligible(&any, reg, day("2028-06-15"), 0));
    /* a leap-day registration in a common year */
    int64_t leap = day("2020-02-29");
    assert_true(fl_eligible(&fuel, leap, day("2028-02-29"), 0));
    assert_false(fl_eligible(&fuel, leap, day("2028-02-28"), 0));
    struct fl_rule one = {.min_years = 1, .more_than = 0};
    assert_true(fl_eligible(&one, leap, day("2021-02-28"), 0));
    assert_false(fl_eligible(&one, leap, day("2021-02-27"), 0));
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

static void test_upgrade(void **state)
{
    (void)state;
    static const struct module *const mods[] = {&org_module, &identity_module, &notify_module,
                                                &fleet_module, NULL};
    char path[64];
    tmpdb_path(path, sizeof(path), "fleet");
    struct db *db;
    struct err e;
    struct db_options o = {.create = 1};
    int from = -1;
    err_clear(&e);
    assert_int_equal(engine_init(mods, &e), 0);
    assert_int_equal(db_open(&db, path, &o, &e), 0);
    /* a database of schema 1, with a tenant and its built-in driver role */
    assert_int_equal(migrate_run(db, 1, &from, &e), 0);
    struct db_conn *c = db_conn(db, &e);
    assert_int_equal(db_exec(c,
                             "INSERT INTO tenants (version, created_at, updated_at, name, code, "
                             "admin_level, utc_offset_min) VALUES (1, 0, 0, 't', 't', 'county', "
                             "480);"
                             "INSERT INTO roles (tenant_id, version, created_at, updated_at, code, "
                             "name, builtin, permissions, hidden_fields) VALUES (1, 1, 0, 0, "
                             "'driver', 'x', 1, '{\"departments\": {\"read\": \"tenant\"}}', "
                             "'{}')",
                             &e),
                     0);
    assert_int_equal(migrate_run(db, 0, &from, &e), 0);
    assert_int_equal(from, 1);
    assert_int_equal(scalar(db, "SELECT COUNT(*) FROM vehicle_renewal_rules WHERE tenant_id = 1"),
                     2);
    assert_int_equal(scalar(db, "SELECT min_km FROM vehicle_renewal_rules WHERE energy_group = "
                                "'electric'"),
                     200000);
    assert_int_equal(scalar(db, "SELECT COUNT(*) FROM vehicle_standards WHERE tenant_id = 1"), 10);
    assert_int_equal(scalar(db, "SELECT COUNT(*) FROM roles WHERE code = 'driver' AND "
                                "permissions LIKE '%\"trips\"%' AND permissions LIKE "
                                "'%\"departments\"%'"),
                     1);
    db_close(db);
    assert_int_equal(engine_init(modules_list(), &e), 0);
    tmpdb_remove(path);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plates),  cmocka_unit_test(test_licences),
        cmocka_unit_test(test_years),   cmocka_unit_test(test_eligibility),
        cmocka_unit_test(test_upgrade),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
