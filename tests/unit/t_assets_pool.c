/* SPDX-License-Identifier: MIT
 * t_assets_pool.c - the pure rules of disposals and the public property pool
 * with hand-computed boundary vectors: the approval band of a batch's
 * original value against the tenant's thresholds (the defaults 5万元 and
 * 20万元, a tenant's own, equal thresholds, zero), what each disposal type
 * needs (a recipient; an appraisal for sales and exchanges only; unknown
 * types nothing), a loan's span (the same day, 90 days inclusive, 91, a
 * return before the start) and the loan reminders (ahead by the setting,
 * due today, overdue, each once).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "base/base.h"
#include "modules/assets/assets.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_band),
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_loan_span),
        cmocka_unit_test(test_reminders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
