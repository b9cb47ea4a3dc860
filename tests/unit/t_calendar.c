/* SPDX-License-Identifier: MIT
 * t_calendar.c - the working calendar: working hours, weekends, public
 * holidays and adjusted working days (调休) of the seeded national table,
 * in both directions (add working time, count working time); whether a
 * year is covered; due times counted again when a day changes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "base/base.h"
#include "base/err.h"
#include "modules/org/calendar.h"

#include <stdlib.h>
#include <string.h>

static struct cal_exception exc[512];
static struct calendar cal;

static int64_t day(const char *s)
{
    int64_t d;
    assert_int_equal(date_parse(s, strlen(s), &d), 0);
    return d;
}

static int64_t at(const char *s) /* RFC 3339 */
{
    int64_t t;
    assert_int_equal(time_parse_rfc3339(s, strlen(s), &t), 0);
    return t;
}

static void expect_at(int64_t t, const char *want)
{
    char got[40];
    time_format_rfc3339(t, cal.utc_offset_min, got, sizeof(got));
    assert_string_equal(got, want);
}

static int setup(void **state)
{
    (void)state;
    struct err_item why;
    memset(&cal, 0, sizeof(cal));
    cal.utc_offset_min = 480;
    assert_int_equal(
        cal_parse_hours("09:00-12:00,14:00-18:00", 23, cal.periods, &cal.nperiods, &why), 0);
    int n = 0;
    for (const struct cal_seed_day *d = cal_seed_days; d->date; d++) {
        exc[n].day = (int32_t)day(d->date);
        exc[n].workday = d->workday;
        n++;
    }
    cal.exc = exc;
    cal.nexc = n;
    return 0;
}

static void test_parse_hours(void **state)
{
    (void)state;
    struct cal_period p[CAL_MAX_PERIODS];
    int np = 0;
    struct err_item why;
    assert_int_equal(cal_parse_hours("08:30-12:00", 11, p, &np, &why), 0);
    assert_int_equal(np, 1);
    assert_int_equal(p[0].start, 510);
    assert_int_equal(p[0].end, 720);
    assert_int_equal(cal_parse_hours("00:00-24:00", 11, p, &np, &why), 0);
    assert_int_equal(p[0].end, 1440);
    static const char *const bad[] = {
        "", "9:00-12:00", "09:00-12:00,", "12:00-09:00", "09:00-12:00,11:00-13:00",
        "09:00-24:30", "09:60-10:00", "09:00_12:00", "09:00-12:00;14:00-18:00",
        "01:00-02:00,03:00-04:00,05:00-06:00,07:00-08:00,09:00-10:00,11:00-12:00,13:00-14:00",
    };
    static const char *const keys[] = {
        "org.hours.empty",  "org.hours.format",   "org.hours.comma",  "org.hours.order",
        "org.hours.order",  "org.hours.format",   "org.hours.format", "org.hours.format",
        "org.hours.format", "org.hours.too_many",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        why.msg[0] = 0;
        assert_int_equal(cal_parse_hours(bad[i], strlen(bad[i]), p, &np, &why), -1);
        assert_true(why.msg[0] != 0);
        if (strcmp(why.key, keys[i]))
            fail_msg("'%s': %s, not %s", bad[i], why.key, keys[i]);
    }
}

static void test_workdays(void **state)
{
    (void)state;
    assert_true(cal_is_workday(&cal, day("2026-11-27")));   /* a Friday */
    assert_false(cal_is_workday(&cal, day("2026-11-28")));  /* a Saturday */
    assert_false(cal_is_workday(&cal, day("2026-10-01")));  /* 国庆节 */
    assert_true(cal_is_workday(&cal, day("2026-10-10")));   /* a Saturday worked (调休) */
    assert_true(cal_is_workday(&cal, day("2026-09-20")));   /* a Sunday worked */
    assert_false(cal_is_workday(&cal, day("2026-09-25")));  /* 中秋节, a Friday */
    assert_false(cal_is_workday(&cal, day("1969-12-28")));  /* before the epoch: a Sunday */
    assert_true(cal_is_workday(&cal, day("1969-12-31")));   /* a Wednesday */
    /* October 2026: 22 weekdays, 5 of them off, one Saturday worked */
    assert_int_equal(cal_workdays_between(&cal, day("2026-10-01"), day("2026-11-01")), 18);
    /* 5 working days after 30 September: 8, 9, 10 (Saturday), 12, 13 October */
    assert_int_equal(cal_add_workdays(&cal, day("2026-09-30"), 5), day("2026-10-13"));
    assert_int_equal(cal_add_workdays(&cal, day("2026-09-30"), 0), day("2026-09-30"));
}

static void test_add_working(void **state)
{
    (void)state;
    /* lunch is not working time */
    expect_at(cal_add_working(&cal, at("2026-11-30T11:30:00+08:00"), 3600),
              "2026-11-30T14:30:00+08:00");
    /* across a weekend */
    expect_at(cal_add_working(&cal, at("2026-11-27T17:30:00+08:00"), 3600),
              "2026-11-30T09:30:00+08:00");
    /* into a Sunday worked instead (调休) */
    expect_at(cal_add_working(&cal, at("2026-09-18T17:00:00+08:00"), 7200),
              "2026-09-20T10:00:00+08:00");
    /* across 中秋节 (Friday to Sunday off) */
    expect_at(cal_add_working(&cal, at("2026-09-24T17:00:00+08:00"), 7200),
              "2026-09-28T10:00:00+08:00");
    /* across the National Day week */
    expect_at(cal_add_working(&cal, at("2026-09-30T17:00:00+08:00"), 7200),
              "2026-10-08T10:00:00+08:00");
    /* into the Saturday worked after it */
    expect_at(cal_add_working(&cal, at("2026-10-09T17:00:00+08:00"), 7200),
              "2026-10-10T10:00:00+08:00");
    /* filed at night: the clock starts at the next opening */
    expect_at(cal_add_working(&cal, at("2026-11-30T22:00:00+08:00"), 60),
              "2026-12-01T09:01:00+08:00");
    /* exactly the end of a period */
    expect_at(cal_add_working(&cal, at("2026-11-30T17:00:00+08:00"), 3600),
              "2026-11-30T18:00:00+08:00");
    assert_int_equal(cal_add_working(&cal, 1000, 0), 1000);
    /* no working time at all: never */
    struct calendar none = cal;
    none.nperiods = 0;
    assert_int_equal(cal_add_working(&none, 0, 1), CAL_NEVER);
}

static void test_working_seconds(void **state)
{
    (void)state;
    assert_int_equal(cal_working_seconds(&cal, at("2026-11-30T08:00:00+08:00"),
                                         at("2026-11-30T20:00:00+08:00")),
                     7 * 3600);
    assert_int_equal(cal_working_seconds(&cal, at("2026-09-30T17:00:00+08:00"),
                                         at("2026-10-08T10:00:00+08:00")),
                     7200);
    assert_int_equal(cal_working_seconds(&cal, at("2026-11-30T10:00:00+08:00"),
                                         at("2026-11-30T09:00:00+08:00")),
                     0);
    /* the two directions agree, from any start, for any amount */
    srand(7);
    int64_t base = at("2026-01-01T00:00:00+08:00");
    for (int i = 0; i < 2000; i++) {
        int64_t from = base + (int64_t)(rand() % (365 * 24 * 60)) * 60;
        int64_t secs = (int64_t)(rand() % (40 * 3600)) + 1;
        int64_t to = cal_add_working(&cal, from, secs);
        assert_true(to > from);
        assert_int_equal(cal_working_seconds(&cal, from, to), secs);
        /* and not a second earlier */
        assert_int_equal(cal_working_seconds(&cal, from, to - 1), secs - 1);
    }
}

static void test_other_offsets(void **state)
{
    (void)state;
    struct calendar west = cal;
    west.utc_offset_min = -300; /* a tenant five hours behind UTC */
    west.nexc = 0;
    int64_t from = at("2026-11-27T17:30:00-05:00"); /* Friday */
    char got[40];
    time_format_rfc3339(cal_add_working(&west, from, 3600), -300, got, sizeof(got));
    assert_string_equal(got, "2026-11-30T09:30:00-05:00");
    assert_int_equal(cal_day_of(&west, at("2026-11-28T03:00:00Z")), day("2026-11-27"));
}

/* cal with one more row: date d of kind workday (1) or off (0), in x[] */
static struct calendar with_day(struct cal_exception *x, const char *d, int workday)
{
    struct calendar c = cal;
    int32_t add = (int32_t)day(d);
    int n = 0, placed = 0;
    for (int i = 0; i < cal.nexc; i++) {
        if (!placed && cal.exc[i].day > add) {
            x[n++] = (struct cal_exception){add, workday};
            placed = 1;
        }
        x[n++] = cal.exc[i];
    }
    if (!placed)
        x[n++] = (struct cal_exception){add, workday};
    c.exc = x;
    c.nexc = n;
    return c;
}

static void test_years_needed(void **state)
{
    (void)state;
    int y[2] = {0, 0};
    assert_int_equal(cal_year_of(day("2026-12-31")), 2026);
    assert_int_equal(cal_year_of(day("2027-01-01")), 2027);
    assert_int_equal(cal_year_of(day("1969-12-31")), 1969);
    /* the next year is needed from 1 November on, not a day before */
    assert_int_equal(cal_years_needed(day("2026-10-31"), y), 1);
    assert_int_equal(y[0], 2026);
    assert_int_equal(cal_years_needed(day("2026-11-01"), y), 2);
    assert_int_equal(y[0], 2026);
    assert_int_equal(y[1], 2027);
    assert_int_equal(cal_years_needed(day("2026-12-31"), y), 2);
    assert_int_equal(cal_years_needed(day("2027-01-01"), y), 1);
    assert_int_equal(y[0], 2027);
}

static void test_coverage(void **state)
{
    (void)state;
    static struct cal_exception x[512];
    int m[2] = {0, 0};
    /* the seeded notices: 2024 to 2026 */
    assert_true(cal_covers(&cal, 2024));
    assert_true(cal_covers(&cal, 2026));
    assert_false(cal_covers(&cal, 2027));
    assert_false(cal_covers(&cal, 2023));
    /* 31 October 2026: 2026 is entered and 2027 not needed yet */
    assert_int_equal(cal_missing_years(&cal, day("2026-10-31"), m), 0);
    /* 1 November 2026: 2027 is missing */
    assert_int_equal(cal_missing_years(&cal, day("2026-11-01"), m), 1);
    assert_int_equal(m[0], 2027);
    /* in 2027 its own year is missing, and from November the next as well */
    assert_int_equal(cal_missing_years(&cal, day("2027-03-01"), m), 1);
    assert_int_equal(m[0], 2027);
    assert_int_equal(cal_missing_years(&cal, day("2027-11-01"), m), 2);
    assert_int_equal(m[0], 2027);
    assert_int_equal(m[1], 2028);
    /* a day off elsewhere in 2027 does not make the year entered */
    struct calendar some = with_day(x, "2027-02-16", 0);
    assert_false(cal_covers(&some, 2027));
    assert_int_equal(cal_missing_years(&some, day("2026-11-01"), m), 1);
    /* nor does 1 January marked as a day worked */
    struct calendar worked = with_day(x, "2027-01-01", 1);
    assert_false(cal_covers(&worked, 2027));
    /* 元旦 as a day off does */
    struct calendar entered = with_day(x, "2027-01-01", 0);
    assert_true(cal_covers(&entered, 2027));
    assert_int_equal(cal_missing_years(&entered, day("2026-11-01"), m), 0);
    assert_int_equal(cal_missing_years(&entered, day("2027-11-01"), m), 1);
    assert_int_equal(m[0], 2028);
}

static void test_rebase(void **state)
{
    (void)state;
    static struct cal_exception x[512];
    struct calendar after = with_day(x, "2027-02-16", 0); /* Tuesday 16 February 2027 off */
    /* filed Monday 15 February 2027 17:00, "normal": respond within 240
     * working minutes, resolve within 1260 (09:00-12:00, 14:00-18:00) */
    int64_t filed = at("2027-02-15T17:00:00+08:00");
    /* before: 17-18 (1 h), Tuesday 9-12 (3 h) */
    int64_t respond = cal_add_working(&cal, filed, 240 * 60);
    expect_at(respond, "2027-02-16T12:00:00+08:00");
    /* before: 1 h Monday, 7 h Tuesday, 7 h Wednesday, Thursday 9-12 and 14-17 */
    int64_t resolve = cal_add_working(&cal, filed, 1260 * 60);
    expect_at(resolve, "2027-02-18T17:00:00+08:00");
    /* after: Tuesday off, so each moves on by one working day */
    expect_at(cal_rebase(&cal, &after, filed, respond), "2027-02-17T12:00:00+08:00");
    expect_at(cal_rebase(&cal, &after, filed, resolve), "2027-02-19T17:00:00+08:00");
    /* and back when the day is worked again */
    expect_at(cal_rebase(&after, &cal, filed, at("2027-02-19T17:00:00+08:00")),
              "2027-02-18T17:00:00+08:00");
    /* a clock that ended before the day does not move */
    int64_t early = at("2027-02-12T09:00:00+08:00"); /* Friday: 9-12, 14-15 */
    expect_at(cal_rebase(&cal, &after, early, cal_add_working(&cal, early, 240 * 60)),
              "2027-02-12T15:00:00+08:00");
    /* nor one that starts after it */
    int64_t late = at("2027-02-17T09:00:00+08:00");
    expect_at(cal_rebase(&cal, &after, late, at("2027-02-17T15:00:00+08:00")),
              "2027-02-17T15:00:00+08:00");
    /* a clock started on the day itself starts again at the next opening:
     * 8 h from Tuesday 10:00 was Wednesday 11:00 (2 + 4 + 2), is now
     * Thursday 10:00 (Wednesday 7 h, then 1 h) */
    int64_t on = at("2027-02-16T10:00:00+08:00");
    int64_t due = cal_add_working(&cal, on, 8 * 3600);
    expect_at(due, "2027-02-17T11:00:00+08:00");
    expect_at(cal_rebase(&cal, &after, on, due), "2027-02-18T10:00:00+08:00");
    /* due at or before its start: itself */
    assert_int_equal(cal_rebase(&cal, &after, on, on), on);
    assert_int_equal(cal_rebase(&cal, &after, on, on - 60), on - 60);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_hours),
        cmocka_unit_test(test_workdays),
        cmocka_unit_test(test_add_working),
        cmocka_unit_test(test_working_seconds),
        cmocka_unit_test(test_other_offsets),
        cmocka_unit_test(test_years_needed),
        cmocka_unit_test(test_coverage),
        cmocka_unit_test(test_rebase),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
