/* SPDX-License-Identifier: MIT
 * t_procure_periods.c - the pure rules of a procurement project's life with
 * hand-computed figures: the method the thresholds derive at their
 * boundaries, which chosen methods need an approval, the price-weight
 * floors, and the legal periods counted on the national calendar of 2026
 * (holidays.c): a result notice and complaint window across the Mid-Autumn
 * and National Day holidays with the Saturday worked instead (10-10), across
 * the Spring Festival with its worked Saturdays (02-14, 02-28), a complaint
 * reply across Labour Day (05-09 worked), a contract's publication across
 * New Year (Sunday 01-04 worked), and the bid period to the second.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "base/base.h"
#include "modules/org/calendar.h"
#include "modules/procure/periods.h"

#include <string.h>

static struct cal_exception exc[128];
static struct calendar cal;

static int64_t day(const char *s)
{
    int64_t d = 0;
    assert_int_equal(date_parse(s, strlen(s), &d), 0);
    return d;
}

static const char *fmt(int64_t d)
{
    static char buf[4][16];
    static int k;
    k = (k + 1) % 4;
    date_format(d, buf[k], sizeof(buf[k]));
    return buf[k];
}

static int setup(void **state)
{
    (void)state;
    int n = 0;
    for (int i = 0; cal_seed_days[i].date && n < 128; i++) {
        exc[n].day = (int32_t)day(cal_seed_days[i].date);
        exc[n].workday = cal_seed_days[i].workday;
        n++;
    }
    /* ascending by day, as cal_load gives them */
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && exc[j - 1].day > exc[j].day; j--) {
            struct cal_exception t = exc[j];
            exc[j] = exc[j - 1];
            exc[j - 1] = t;
        }
    cal.utc_offset_min = 480;
    cal.nperiods = 2;
    cal.periods[0] = (struct cal_period){9 * 60, 12 * 60};
    cal.periods[1] = (struct cal_period){14 * 60, 18 * 60};
    cal.nexc = n;
    cal.exc = exc;
    return 0;
}

static void t_method(void **state)
{
    (void)state;
    struct pc_thresholds t = {
        .tender = 400000000, .decentral = 100000000, .decentral_works = 120000000};
    assert_string_equal(pc_derive_method("goods", 99999999, &t), "self");
    assert_string_equal(pc_derive_method("goods", 100000000, &t), "agency");
    assert_string_equal(pc_derive_method("services", 399999999, &t), "agency");
    assert_string_equal(pc_derive_method("services", 400000000, &t), "public_tender");
    assert_string_equal(pc_derive_method("goods", 6000000000, &t), "public_tender");
    /* works: their own limit; a works tender follows the bidding law */
    assert_string_equal(pc_derive_method("works", 119999999, &t), "self");
    assert_string_equal(pc_derive_method("works", 120000000, &t), "agency");
    assert_string_equal(pc_derive_method("works", 900000000, &t), "agency");
    /* a tenant's own thresholds */
    struct pc_thresholds low = {
        .tender = 200000000, .decentral = 30000000, .decentral_works = 60000000};
    assert_string_equal(pc_derive_method("goods", 200000000, &low), "public_tender");
    assert_string_equal(pc_derive_method("goods", 29999999, &low), "self");

    assert_false(pc_method_needs_approval("self", "single_source"));
    assert_false(pc_method_needs_approval("self", "public_tender"));
    assert_false(pc_method_needs_approval("agency", "agency"));
    assert_false(pc_method_needs_approval("agency", "competitive_consultation"));
    assert_false(pc_method_needs_approval("agency", "public_tender"));
    assert_true(pc_method_needs_approval("agency", "self"));
    assert_true(pc_method_needs_approval("agency", "single_source"));
    assert_false(pc_method_needs_approval("public_tender", "public_tender"));
    assert_true(pc_method_needs_approval("public_tender", "competitive_negotiation"));
    assert_true(pc_method_needs_approval("public_tender", "invited_tender"));
    assert_true(pc_method_needs_approval("public_tender", "agency"));
    assert_true(pc_method_needs_approval("public_tender", "self"));

    assert_int_equal(pc_weight_floor("goods", 30, 10), 30);
    assert_int_equal(pc_weight_floor("services", 30, 10), 10);
    assert_int_equal(pc_weight_floor("works", 30, 10), 0);
}

static void t_calendar_days(void **state)
{
    (void)state;
    assert_false(cal_is_workday(&cal, day("2026-09-25"))); /* 中秋 */
    assert_true(cal_is_workday(&cal, day("2026-09-20")));  /* a Sunday worked */
    assert_true(cal_is_workday(&cal, day("2026-10-10")));  /* a Saturday worked */
    assert_false(cal_is_workday(&cal, day("2026-10-11")));
    assert_true(cal_is_workday(&cal, day("2026-02-14")));
    assert_false(cal_is_workday(&cal, day("2026-02-23"))); /* a Monday off */
}

static void t_result_periods(void **state)
{
    (void)state;
    struct pc_result_dates d;
    /* Wednesday 2026-09-23: notice Thu 09-24; window from Fri 09-25 (中秋, off),
     * 09-28 (1), 09-29 (2), 09-30 (3), 10-01..10-07 off, 10-08 (4), 10-09 (5),
     * Sat 10-10 worked (6), Sun 10-11, Mon 10-12 (7) */
    pc_result_dates(&cal, day("2026-09-23"), 1, 7, 30, &d);
    assert_string_equal(fmt(d.notice_end), "2026-09-24");
    assert_string_equal(fmt(d.complaint_end), "2026-10-12");
    assert_string_equal(fmt(d.contract_due), "2026-10-23");
    /* Friday 2026-02-13: the notice's working day is Saturday 02-14 (worked);
     * 02-15..02-23 off; 02-24 (1) … 02-27 (4), Sat 02-28 worked (5), 03-02 (6),
     * 03-03 (7) */
    pc_result_dates(&cal, day("2026-02-13"), 1, 7, 30, &d);
    assert_string_equal(fmt(d.notice_end), "2026-02-14");
    assert_string_equal(fmt(d.complaint_end), "2026-03-03");
    assert_string_equal(fmt(d.contract_due), "2026-03-15");
    /* an ordinary week: Monday 2026-03-09 → Tue 03-10; 03-11..03-13 (3),
     * 03-16..03-19 (7) */
    pc_result_dates(&cal, day("2026-03-09"), 1, 7, 30, &d);
    assert_string_equal(fmt(d.notice_end), "2026-03-10");
    assert_string_equal(fmt(d.complaint_end), "2026-03-19");
    assert_string_equal(fmt(d.contract_due), "2026-04-08");
    /* a tenant's longer notice: 5 working days from Thursday 2026-04-30:
     * 05-01..05-05 off, 05-06, 05-07, 05-08, Sat 05-09 worked, 05-11 */
    pc_result_dates(&cal, day("2026-04-30"), 5, 0, 0, &d);
    assert_string_equal(fmt(d.notice_end), "2026-05-11");
    assert_string_equal(fmt(d.complaint_end), "2026-05-11");
}

static void t_reply_and_publication(void **state)
{
    (void)state;
    /* a complaint received Thursday 2026-04-30: 05-06 (1), 05-07 (2), 05-08 (3),
     * 05-09 (4), 05-11 (5), 05-12 (6), 05-13 (7) */
    assert_string_equal(fmt(pc_workdays_after(&cal, day("2026-04-30"), 7)), "2026-05-13");
    /* a contract signed Wednesday 2025-12-31: 01-01..01-03 off, Sunday
     * 01-04 worked (1), Monday 01-05 (2) */
    assert_string_equal(fmt(pc_workdays_after(&cal, day("2025-12-31"), 2)), "2026-01-05");
    /* Friday 2026-03-06 + 2: Monday 03-09, Tuesday 03-10 */
    assert_string_equal(fmt(pc_workdays_after(&cal, day("2026-03-06"), 2)), "2026-03-10");
    assert_string_equal(fmt(pc_workdays_after(&cal, day("2026-03-06"), 0)), "2026-03-06");
}

static void t_bid_period(void **state)
{
    (void)state;
    int64_t issued = 0;
    /* 2026-09-23T10:00:00+08:00 = 02:00Z */
    assert_int_equal(time_parse_rfc3339("2026-09-23T02:00:00Z", 20, &issued), 0);
    int64_t min = pc_bid_deadline_min(issued, 20), want = 0;
    assert_int_equal(time_parse_rfc3339("2026-10-13T02:00:00Z", 20, &want), 0);
    assert_int_equal(min, want);
    /* calendar days, holidays included: 20 days across National Day */
    assert_int_equal(min - issued, 20 * 86400);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_method),         cmocka_unit_test(t_calendar_days),
        cmocka_unit_test(t_result_periods), cmocka_unit_test(t_reply_and_publication),
        cmocka_unit_test(t_bid_period),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
