/* SPDX-License-Identifier: MIT
 * t_booking.c - the booking module's pure rules with hand-computed figures:
 * weekdays and the week a quota counts in (Monday 00:00 local time, the
 * Sunday evening before in UTC), opening hours and their text form, the
 * working calendar's closed days (a public holiday, a weekend day worked
 * instead), opening hours crossed at the closing time and at midnight, slot
 * alignment, the booking window, the places taken at the busiest instant
 * (not the sum of everything overlapping), the cancellation cut-off; and
 * the upgrade of a database made before the module: the settings seeded and
 * the property and services manager granted the bookings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "base/base.h"
#include "base/err.h"
#include "db/db.h"
#include "engine/migrate.h"
#include "modules/booking/booking.h"
#include "modules/modules.h"
#include "modules/org/calendar.h"
#include "tmpdb.h"

#include <sodium.h>
#include <string.h>

#define OFF 480 /* +08:00 */

static int64_t day(const char *d)
{
    int64_t v;
    assert_int_equal(date_parse(d, strlen(d), &v), 0);
    return v;
}

/* d at hh:mm local time (+08:00), as UTC seconds */
static int64_t at(const char *d, int hh, int mm)
{
    return day(d) * 86400 + (hh * 60 + mm) * 60 - OFF * 60;
}

static void test_weeks(void **state)
{
    (void)state;
    assert_int_equal(bk_weekday(0), 4); /* 1970-01-01, a Thursday */
    assert_int_equal(bk_weekday(day("2026-12-07")), 1);
    assert_int_equal(bk_weekday(day("2026-12-13")), 7);
    assert_int_equal(bk_weekday(day("2024-02-29")), 4);
    assert_int_equal(bk_weekday(-1), 3); /* 1969-12-31, a Wednesday */
    assert_int_equal(bk_week_start(day("2026-12-13")), day("2026-12-07"));
    assert_int_equal(bk_week_start(day("2026-12-07")), day("2026-12-07"));
    assert_int_equal(bk_week_start(day("2027-01-01")), day("2026-12-28"));
    int64_t from, to;
    /* Monday 00:00 +08:00 is Sunday 16:00 UTC: it starts the week */
    bk_week_of(at("2026-12-07", 0, 0), OFF, &from, &to);
    assert_int_equal(from, 1796572800); /* 2026-12-06T16:00:00Z */
    assert_int_equal(to - from, 7 * 86400);
    /* a second before is the week before, though the same UTC day */
    bk_week_of(at("2026-12-07", 0, 0) - 1, OFF, &from, &to);
    assert_int_equal(from, 1796572800 - 7 * 86400);
    /* Sunday 23:59 local is still that week */
    bk_week_of(at("2026-12-13", 23, 59), OFF, &from, &to);
    assert_int_equal(from, 1796572800);
    assert_int_equal(bk_day_of(at("2026-12-07", 0, 0), OFF), day("2026-12-07"));
    assert_int_equal(bk_day_of(at("2026-12-07", 0, 0) - 1, OFF), day("2026-12-06"));
}

static int parses(const char *s)
{
    struct bk_week w;
    struct err_item why;
    return bk_hours_parse(s, &w, &why) == 0;
}

static void test_hours(void **state)
{
    (void)state;
    struct bk_week w;
    struct err_item why;
    assert_int_equal(bk_hours_parse("1-5 08:30-21:00; 6,7 09:00-18:00", &w, &why), 0);
    assert_int_equal(w.open[1], 510);
    assert_int_equal(w.close[5], 1260);
    assert_int_equal(w.open[6], 540);
    assert_int_equal(w.close[7], 1080);
    assert_int_equal(bk_hours_parse("1-3,5 07:00-24:00", &w, &why), 0);
    assert_int_equal(w.open[4], -1);
    assert_int_equal(w.close[5], 1440);
    assert_true(parses("7 00:00-00:30"));
    const char *bad[] = {"8 09:00-10:00",
                         "0 09:00-10:00",
                         "1-5 09:00-09:00",
                         "1-5 9:00-10:00",
                         "1-5 09:00-10:00; 5 11:00-12:00",
                         "",
                         "1-5 24:00-24:00",
                         "5-1 09:00-10:00",
                         "1-5 09:60-10:00",
                         "1-5 08:00-24:01",
                         "1-5 08:00-10:00 x",
                         NULL};
    for (int i = 0; bad[i]; i++) {
        assert_int_equal(bk_hours_parse(bad[i], &w, &why), -1);
        assert_string_equal(why.key, "booking.hours_format");
    }
}

/* the rules of a meeting room: weekdays 08:30-18:00, half-hour slots, 14 days ahead */
static struct bk_rules room(enum bk_closed closed)
{
    struct bk_rules rs = {.closed = closed, .slot_min = 30, .window_days = 14};
    struct err_item why;
    assert_int_equal(bk_hours_parse("1-5 08:30-18:00", &rs.week, &why), 0);
    return rs;
}

static const char *check(const struct bk_rules *rs, const struct calendar *cal, int64_t now,
                         int64_t s, int64_t e, const char **field, struct err_item *why)
{
    static char key[ERR_KEY_LEN];
    if (!bk_check_time(rs, cal, OFF, now, s, e, why, field))
        return "ok";
    snprintf(key, sizeof(key), "%s", why->key);
    return key;
}

static void test_time_rules(void **state)
{
    (void)state;
    struct bk_rules rs = room(BK_OPEN_ALWAYS);
    struct err_item why;
    const char *f;
    int64_t now = at("2026-12-07", 10, 0); /* a Monday */
    const char *d = "2026-12-07";
    assert_string_equal(check(&rs, NULL, now, at(d, 14, 0), at(d, 15, 0), &f, &why), "ok");
    /* the last slot ends at the closing time; one crossing it does not */
    assert_string_equal(check(&rs, NULL, now, at(d, 17, 30), at(d, 18, 0), &f, &why), "ok");
    assert_string_equal(check(&rs, NULL, now, at(d, 17, 30), at(d, 18, 30), &f, &why),
                        "booking.hours");
    assert_string_equal(f, "end_at");
    assert_string_equal(why.params, "{\"date\":\"2026-12-07\",\"opens\":\"08:30\",\"closes\":"
                                    "\"18:00\"}");
    assert_string_equal(
        check(&rs, NULL, now, at("2026-12-08", 8, 0), at("2026-12-08", 9, 0), &f, &why),
        "booking.hours");
    assert_string_equal(f, "start_at");
    /* slots count from the opening: 08:30, 09:00, 09:30 … */
    assert_string_equal(check(&rs, NULL, now, at(d, 10, 30), at(d, 11, 0), &f, &why), "ok");
    assert_string_equal(check(&rs, NULL, now, at(d, 10, 15), at(d, 10, 45), &f, &why),
                        "booking.slot");
    assert_string_equal(f, "start_at");
    assert_string_equal(why.params, "{\"slot_min\":30,\"opens\":\"08:30\"}");
    assert_string_equal(check(&rs, NULL, now, at(d, 10, 30), at(d, 11, 15), &f, &why),
                        "booking.slot");
    assert_string_equal(f, "end_at");
    /* the past: 09:00 today, an hour ago; now itself is not past */
    assert_string_equal(check(&rs, NULL, now, at(d, 9, 0), at(d, 9, 30), &f, &why), "booking.past");
    assert_string_equal(check(&rs, NULL, now, now, now + 1800, &f, &why), "ok");
    /* the window: today + 14 days is the last day */
    assert_string_equal(
        check(&rs, NULL, now, at("2026-12-21", 9, 0), at("2026-12-21", 9, 30), &f, &why), "ok");
    assert_string_equal(
        check(&rs, NULL, now, at("2026-12-22", 8, 30), at("2026-12-22", 9, 0), &f, &why),
        "booking.window");
    assert_string_equal(why.params, "{\"days\":14,\"date\":\"2026-12-22\"}");
    /* the weekend: no hours */
    assert_string_equal(
        check(&rs, NULL, now, at("2026-12-12", 10, 0), at("2026-12-12", 11, 0), &f, &why),
        "booking.closed");
    assert_string_equal(why.params, "{\"date\":\"2026-12-12\"}");
    /* an evening court crossing midnight crosses its closing time */
    struct bk_rules court = {.closed = BK_OPEN_ALWAYS, .slot_min = 60, .window_days = 7};
    assert_int_equal(bk_hours_parse("1-7 20:00-24:00", &court.week, &why), 0);
    assert_string_equal(check(&court, NULL, now, at(d, 23, 0), at(d, 24, 0), &f, &why), "ok");
    assert_string_equal(check(&court, NULL, now, at(d, 23, 0), at(d, 25, 0), &f, &why),
                        "booking.hours");
    assert_string_equal(f, "end_at");
}

static void test_calendar(void **state)
{
    (void)state;
    /* Wednesday 9 December a day off, Saturday 12 December worked instead */
    struct cal_exception exc[] = {{(int32_t)day("2026-12-09"), 0}, {(int32_t)day("2026-12-12"), 1}};
    struct calendar cal = {
        .utc_offset_min = OFF, .nperiods = 1, .periods = {{540, 1080}}, .nexc = 2, .exc = exc};
    struct err_item why;
    const char *f;
    int64_t now = at("2026-12-07", 10, 0);
    struct bk_rules work = room(BK_WORKDAYS_ONLY), hol = room(BK_CLOSED_HOLIDAYS),
                    all = room(BK_OPEN_ALWAYS);
    int o = 0, c = 0;
    assert_int_equal(bk_day_hours(&work, &cal, day("2026-12-09"), &o, &c), 1);
    assert_int_equal(bk_day_hours(&hol, &cal, day("2026-12-09"), &o, &c), 1);
    assert_int_equal(bk_day_hours(&all, &cal, day("2026-12-09"), &o, &c), 0);
    /* the Saturday worked: Monday's hours for the working-days resource */
    assert_int_equal(bk_day_hours(&work, &cal, day("2026-12-12"), &o, &c), 0);
    assert_int_equal(o, 510);
    assert_int_equal(c, 1080);
    assert_int_equal(bk_day_hours(&hol, &cal, day("2026-12-12"), &o, &c), 1);
    assert_int_equal(bk_day_hours(&work, &cal, day("2026-12-13"), &o, &c), 1);
    assert_string_equal(
        check(&work, &cal, now, at("2026-12-09", 10, 0), at("2026-12-09", 11, 0), &f, &why),
        "booking.closed");
    assert_string_equal(
        check(&work, &cal, now, at("2026-12-12", 10, 0), at("2026-12-12", 11, 0), &f, &why), "ok");
    assert_string_equal(
        check(&all, &cal, now, at("2026-12-09", 10, 0), at("2026-12-09", 11, 0), &f, &why), "ok");
}

static void test_peak(void **state)
{
    (void)state;
    int64_t h = 3600;
    /* 9-10 (1), 10-11 (1), 9:30-10:30 (2): four overlap 9-11, but never more
     * than three at once */
    struct bk_span v[] = {
        {9 * h, 10 * h, 1}, {10 * h, 11 * h, 1}, {9 * h + 1800, 10 * h + 1800, 2}};
    assert_int_equal(bk_peak(v, 3, 9 * h, 11 * h), 3);
    assert_int_equal(bk_peak(v, 3, 10 * h + 1800, 11 * h), 1);
    assert_int_equal(bk_peak(v, 3, 9 * h, 9 * h + 1800), 1);
    /* a booking ending as the interval starts takes nothing of it */
    struct bk_span w[] = {{8 * h, 9 * h, 5}};
    assert_int_equal(bk_peak(w, 1, 9 * h, 10 * h), 0);
    /* one that started before it counts from its start */
    struct bk_span x[] = {{8 * h, 12 * h, 4}, {9 * h, 10 * h, 1}};
    assert_int_equal(bk_peak(x, 2, 9 * h + 1800, 11 * h), 5);
    assert_int_equal(bk_peak(x, 2, 10 * h, 11 * h), 4);
    assert_int_equal(bk_peak(NULL, 0, 0, h), 0);
}

static void test_cutoff(void **state)
{
    (void)state;
    int64_t s = at("2026-12-10", 10, 0);
    assert_int_equal(bk_cancel_ok(s, s - 2 * 3600, 2), 1);
    assert_int_equal(bk_cancel_ok(s, s - 2 * 3600 + 1, 2), 0);
    assert_int_equal(bk_cancel_ok(s, s, 0), 1);
    assert_int_equal(bk_cancel_ok(s, s + 1, 0), 0);
    assert_int_equal(bk_cancel_ok(s, s - 48 * 3600, 48), 1);
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
    char path[64];
    tmpdb_path(path, sizeof(path), "booking");
    struct db *db;
    struct err e;
    struct db_options o = {.create = 1};
    int from = -1;
    err_clear(&e);
    assert_int_equal(engine_init(modules_list(), &e), 0);
    assert_int_equal(db_open(&db, path, &o, &e), 0);
    /* a database of schema 4 with a tenant and its property manager */
    assert_int_equal(migrate_run(db, 4, &from, &e), 0);
    struct db_conn *c = db_conn(db, &e);
    assert_int_equal(db_exec(c,
                             "INSERT INTO tenants (version, created_at, updated_at, name, code, "
                             "admin_level, utc_offset_min) VALUES (1, 0, 0, 't', 't', 'county', "
                             "480);"
                             "INSERT INTO roles (tenant_id, version, created_at, updated_at, code, "
                             "name, builtin, permissions, hidden_fields) VALUES (1, 1, 0, 0, "
                             "'property_manager', 'x', 1, '{\"module:servicedesk\": {\"*\": "
                             "\"tenant\"}}', '{}')",
                             &e),
                     0);
    assert_int_equal(migrate_run(db, 0, &from, &e), 0);
    assert_int_equal(from, 4);
    assert_int_equal(scalar(db, "SELECT COUNT(*) FROM booking_settings WHERE tenant_id = 1"), 1);
    assert_int_equal(scalar(db, "SELECT value FROM booking_settings WHERE name = 'no_show_min'"),
                     BK_NO_SHOW_MIN);
    assert_int_equal(scalar(db, "SELECT COUNT(*) FROM roles WHERE code = 'property_manager' AND "
                                "permissions LIKE '%\"module:booking\"%'"),
                     1);
    assert_int_equal(scalar(db, "SELECT COUNT(*) FROM bookings"), 0);
    db_close(db);
    tmpdb_remove(path);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weeks),      cmocka_unit_test(test_hours),
        cmocka_unit_test(test_time_rules), cmocka_unit_test(test_calendar),
        cmocka_unit_test(test_peak),       cmocka_unit_test(test_cutoff),
        cmocka_unit_test(test_upgrade),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
