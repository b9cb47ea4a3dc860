/* SPDX-License-Identifier: MIT
 * t_fleet.c - the fleet module's pure rules: plate formats (every province,
 * the middle dot, lengths, the letters I and O), which licence class may
 * drive which vehicle, calendar years (leap days), and renewal eligibility
 * at its boundaries: "more than 8 years" against "8 years or more", the
 * mileage threshold, and either-or rules; the class standards (a price at
 * the limit and a fen over, 1.8 L and 1.81 L, a plug-in hybrid against the
 * new-energy price and the fuel displacement); a car still out past its end
 * against one on time; the plausibility thresholds of a trip (start window,
 * average speed, distance from the usual, the median); and the upgrade of a
 * database made before the module: an existing tenant gets the seeded rules,
 * standards and settings, its built-in driver role the grants on trips, and
 * its displacements in millilitres.
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

/* the seeded limits, by hand from RULES.md §2 */
static void test_standards(void **state)
{
    (void)state;
    struct fl_limits nev, fuel;
    fl_seeded_limits("other", &nev, &fuel);
    assert_int_equal(fuel.price_fen, 18000000); /* ≤ 180,000 yuan */
    assert_int_equal(fuel.disp_tenths, 18);     /* ≤ 1.8 L */
    assert_int_equal(nev.price_fen, 18000000);
    assert_int_equal(nev.disp_tenths, -1);
    /* price exactly at the limit, and one fen over */
    assert_int_equal(fl_standard_over(&nev, &fuel, "petrol", 18000000, 1500), 0);
    assert_int_equal(fl_standard_over(&nev, &fuel, "petrol", 18000001, 1500), FL_OVER_PRICE);
    /* 1.8 L is within, 1.81 L (and 1.801 L) over */
    assert_int_equal(fl_standard_over(&nev, &fuel, "diesel", 10000000, 1800), 0);
    assert_int_equal(fl_standard_over(&nev, &fuel, "diesel", 10000000, 1810),
                     FL_OVER_DISPLACEMENT);
    assert_int_equal(fl_standard_over(&nev, &fuel, "hybrid", 10000000, 1801),
                     FL_OVER_DISPLACEMENT);
    assert_int_equal(fl_standard_over(&nev, &fuel, "petrol", 18000001, 2000),
                     FL_OVER_PRICE | FL_OVER_DISPLACEMENT);
    /* not given: not checked */
    assert_int_equal(fl_standard_over(&nev, &fuel, "petrol", -1, -1), 0);
    /* 机要通信: 120,000 yuan and 1.6 L for fuel cars, 180,000 yuan for new energy */
    fl_seeded_limits("confidential", &nev, &fuel);
    assert_int_equal(fuel.price_fen, 12000000);
    assert_int_equal(fuel.disp_tenths, 16);
    assert_int_equal(nev.price_fen, 18000000);
    assert_int_equal(fl_standard_over(&nev, &fuel, "petrol", 12000000, 1600), 0);
    assert_int_equal(fl_standard_over(&nev, &fuel, "petrol", 12000001, 1600), FL_OVER_PRICE);
    assert_int_equal(fl_standard_over(&nev, &fuel, "petrol", 12000000, 1610),
                     FL_OVER_DISPLACEMENT);
    /* a plug-in hybrid of 150,000 yuan: new energy for the price (≤ 180,000),
     * its engine still within the fuel displacement (1.5 L ≤ 1.6 L) */
    assert_int_equal(fl_standard_over(&nev, &fuel, "phev", 15000000, 1500), 0);
    assert_int_equal(fl_standard_over(&nev, &fuel, "phev", 18000000, 1600), 0);
    assert_int_equal(fl_standard_over(&nev, &fuel, "phev", 18000001, 1500), FL_OVER_PRICE);
    assert_int_equal(fl_standard_over(&nev, &fuel, "phev", 15000000, 1700),
                     FL_OVER_DISPLACEMENT);
    /* the same price as an ordinary hybrid is a fuel car: over 120,000 */
    assert_int_equal(fl_standard_over(&nev, &fuel, "hybrid", 15000000, 1500), FL_OVER_PRICE);
    /* a battery-electric car has no displacement to check */
    assert_int_equal(fl_standard_over(&nev, &fuel, "electric", 18000000, 3000), 0);
    assert_int_equal(fl_standard_over(&nev, &fuel, "electric", 18000001, -1), FL_OVER_PRICE);
    assert_true(fl_new_energy("phev") && fl_new_energy("electric"));
    assert_false(fl_new_energy("hybrid") || fl_new_energy("petrol") || fl_new_energy(NULL));
    /* 特种专业技术: nothing seeded, nothing refused */
    fl_seeded_limits("special", &nev, &fuel);
    assert_int_equal(fuel.price_fen, -1);
    assert_int_equal(fl_standard_over(&nev, &fuel, "diesel", 99999999, 9000), 0);
}

/* a car out on a trip planned to end at 12:00, asked for by a request */
static void test_still_out(void **state)
{
    (void)state;
    const int64_t h = 3600, noon = 1800000000 - 1800000000 % 86400 + 4 * h; /* 12:00 +08:00 */
    /* 14:00 and not back: a request from 15:59 is refused, from 16:00 not (hold 120) */
    assert_int_equal(fl_still_out(noon, noon + 2 * h, noon + 4 * h - 60, 120), 1);
    assert_int_equal(fl_still_out(noon, noon + 2 * h, noon + 3 * h + 59 * 60 + 59, 120), 1);
    assert_int_equal(fl_still_out(noon, noon + 2 * h, noon + 4 * h, 120), 0);
    /* one already begun (late dispatch) */
    assert_int_equal(fl_still_out(noon, noon + 2 * h, noon + h, 120), 1);
    /* on time: at 12:00 exactly, or before, the overlap rule decides */
    assert_int_equal(fl_still_out(noon, noon, noon + 60, 120), 0);
    assert_int_equal(fl_still_out(noon, noon - 1, noon, 120), 0);
    /* a second late */
    assert_int_equal(fl_still_out(noon, noon + 1, noon + 60, 120), 1);
    /* a hold of 0: only requests already begun */
    assert_int_equal(fl_still_out(noon, noon + h, noon + h, 0), 0);
    assert_int_equal(fl_still_out(noon, noon + h, noon + h - 1, 0), 1);
}

static void test_plausible(void **state)
{
    (void)state;
    const int64_t nine = 1800000000; /* any instant */
    /* the start window: 120 minutes either side */
    assert_int_equal(fl_start_off(nine, nine - 7200, 120), 0);
    assert_int_equal(fl_start_off(nine, nine - 7201, 120), 1);
    assert_int_equal(fl_start_off(nine, nine + 7200, 120), 0);
    assert_int_equal(fl_start_off(nine, nine + 7201, 120), 1);
    assert_int_equal(fl_start_off(nine, nine - 86400, 120), 1); /* tomorrow's trip today */
    assert_int_equal(fl_start_off(nine, nine, 0), 0);
    /* the average speed: 120 km/h */
    assert_int_equal(fl_too_fast(120, 3600, 120), 0);
    assert_int_equal(fl_too_fast(121, 3600, 120), 1);
    assert_int_equal(fl_too_fast(60, 1800, 120), 0);
    assert_int_equal(fl_too_fast(60, 1799, 120), 1); /* 216000 > 215880 */
    assert_int_equal(fl_too_fast(46, 0, 120), 1);    /* 46 km in 0 minutes */
    assert_int_equal(fl_too_fast(0, 0, 120), 0);
    assert_int_equal(fl_too_fast(1, -5, 120), 1); /* a clock gone backwards is 0 s */
    /* the distance: twice the usual or half of it, and more than 10 km off */
    assert_int_equal(fl_distance_unusual(40, 20, 200, 10), 0);
    assert_int_equal(fl_distance_unusual(41, 20, 200, 10), 1);
    assert_int_equal(fl_distance_unusual(10, 20, 200, 10), 0);
    assert_int_equal(fl_distance_unusual(9, 20, 200, 10), 1);
    assert_int_equal(fl_distance_unusual(14, 4, 200, 10), 0); /* 3.5× but 10 km off */
    assert_int_equal(fl_distance_unusual(15, 4, 200, 10), 1);
    assert_int_equal(fl_distance_unusual(199, 100, 200, 10), 0);
    assert_int_equal(fl_distance_unusual(201, 100, 200, 10), 1);
    assert_int_equal(fl_distance_unusual(0, 30, 200, 10), 1);
    assert_int_equal(fl_distance_unusual(46, 30, 150, 10), 1); /* 46 > 45 */
    assert_int_equal(fl_distance_unusual(45, 30, 150, 10), 0);
    /* the usual: the median */
    int64_t a[] = {30, 10, 20}, b[] = {40, 10, 30, 20}, c[] = {7}, d[] = {2, 1};
    assert_int_equal(fl_median(a, 3), 20);
    assert_int_equal(fl_median(b, 4), 25);
    assert_int_equal(fl_median(c, 1), 7);
    assert_int_equal(fl_median(d, 2), 1);
    assert_int_equal(fl_median(NULL, 0), 0);
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
    /* schema 3 kept a displacement in tenths of a litre */
    assert_int_equal(migrate_run(db, 3, &from, &e), 0);
    assert_int_equal(from, 1);
    assert_int_equal(db_exec(c,
                             "INSERT INTO vehicles (tenant_id, version, created_at, updated_at, "
                             "plate, class, brand, seats, displacement_l, energy, automatic, "
                             "registered_on, odometer_km, status) VALUES (1, 1, 0, 0, '粤B·12345', "
                             "'other', 'x', 5, 18, 'petrol', 1, '2020-01-01', 0, 'available'), (1, "
                             "1, 0, 0, '粤B·D12345', 'other', 'x', 5, NULL, 'electric', 1, "
                             "'2020-01-01', 0, 'available')",
                             &e),
                     0);
    assert_int_equal(migrate_run(db, 0, &from, &e), 0);
    assert_int_equal(from, 3);
    assert_int_equal(scalar(db, "SELECT displacement_l FROM vehicles WHERE energy = 'petrol'"),
                     1800);
    assert_int_equal(scalar(db, "SELECT COUNT(*) FROM vehicles WHERE displacement_l IS NULL"), 1);
    /* the settings once, with the defaults */
    assert_int_equal(scalar(db, "SELECT COUNT(*) FROM fleet_settings WHERE tenant_id = 1"), 6);
    assert_int_equal(scalar(db, "SELECT value FROM fleet_settings WHERE name = 'max_avg_kmh'"),
                     FL_MAX_AVG_KMH);
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
        cmocka_unit_test(test_licences),
        cmocka_unit_test(test_years),   cmocka_unit_test(test_eligibility),
        cmocka_unit_test(test_standards), cmocka_unit_test(test_still_out),
        cmocka_unit_test(test_plausible), cmocka_unit_test(test_upgrade),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
