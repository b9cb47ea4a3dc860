/* SPDX-License-Identifier: MIT
 * t_canteen_safety.c - the canteens' date rules with hand-computed vectors:
 * months added with the day of the month clamped (31 January + 1 month:
 * 28 February, 29 in a leap year); a health certificate valid through the
 * day before the same date next year (29 February: 28 February); a
 * product's last day (production + shelf life − 1, over a year's end); a
 * delivery record kept 6 months after the last day or 24 months after the
 * delivery without a shelf life (食品安全法 第50条); a booking's cut-off as
 * a UTC instant (the tenant's +08:00, across midnight, at UTC); and a
 * certificate's alert stage at 30 and 31 days ahead, on its last day and
 * the day after.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "base/base.h"
#include "modules/canteen/canteen.h"

#include <string.h>

static int64_t D(const char *s)
{
    int64_t d = 0;
    assert_int_equal(date_parse(s, strlen(s), &d), 0);
    return d;
}

static void assert_day(int64_t day, const char *want)
{
    char s[16];
    date_format(day, s, sizeof(s));
    assert_string_equal(s, want);
}

static void test_add_months(void **state)
{
    (void)state;
    int cl = -1;
    assert_day(ct_add_months(D("2026-01-31"), 1, &cl), "2026-02-28");
    assert_int_equal(cl, 1);
    assert_day(ct_add_months(D("2024-01-31"), 1, &cl), "2024-02-29");
    assert_int_equal(cl, 1);
    assert_day(ct_add_months(D("2026-03-10"), 6, &cl), "2026-09-10");
    assert_int_equal(cl, 0);
    assert_day(ct_add_months(D("2026-08-31"), 6, NULL), "2027-02-28");
    assert_day(ct_add_months(D("2025-08-31"), 24, NULL), "2027-08-31");
    assert_day(ct_add_months(D("2026-11-15"), 2, NULL), "2027-01-15");
    assert_day(ct_add_months(D("2026-12-31"), 12, NULL), "2027-12-31");
}

static void test_cert_expiry(void **state)
{
    (void)state;
    assert_day(ct_cert_expiry(D("2026-03-01")), "2027-02-28");
    assert_day(ct_cert_expiry(D("2027-03-01")), "2028-02-29"); /* the day before 1 March 2028 */
    assert_day(ct_cert_expiry(D("2024-02-29")), "2025-02-28");
    assert_day(ct_cert_expiry(D("2023-02-28")), "2024-02-27");
    assert_day(ct_cert_expiry(D("2026-01-01")), "2026-12-31");
    assert_day(ct_cert_expiry(D("2026-12-07")), "2027-12-06");
}

static void test_product_and_keep(void **state)
{
    (void)state;
    /* a 3-day shelf life from 1 March: fit on the 1st, 2nd and 3rd */
    assert_day(ct_product_expiry(D("2026-03-01"), 3), "2026-03-03");
    assert_day(ct_product_expiry(D("2026-12-30"), 5), "2027-01-03");
    assert_day(ct_product_expiry(D("2026-03-01"), 1), "2026-03-01");
    /* with a shelf life: 6 months after its last day */
    assert_day(ct_delivery_keep_until(D("2026-03-02"), D("2026-03-10"), 1, 6, 24), "2026-09-10");
    assert_day(ct_delivery_keep_until(D("2026-08-01"), D("2026-08-31"), 1, 6, 24), "2027-02-28");
    /* without: 24 months after the delivery (the last day is not looked at) */
    assert_day(ct_delivery_keep_until(D("2025-08-31"), 0, 0, 6, 24), "2027-08-31");
    assert_day(ct_delivery_keep_until(D("2024-02-29"), 0, 0, 6, 24), "2026-02-28");
    /* the tenant's own months */
    assert_day(ct_delivery_keep_until(D("2026-01-05"), D("2026-01-20"), 1, 12, 24), "2027-01-20");
}

static void test_cutoff(void **state)
{
    (void)state;
    int64_t day = D("2026-12-08");
    assert_int_equal(day, 20795);
    /* lunch 11:30 at +08:00, 150 minutes before: 09:00 local = 01:00 UTC */
    assert_int_equal(ct_cutoff_at(day, 11 * 60 + 30, 150, 480), 1796691600);
    /* breakfast 07:00, 10 hours before: 21:00 local the evening before = 13:00 UTC */
    assert_int_equal(ct_cutoff_at(day, 7 * 60, 600, 480), 1796648400);
    /* at UTC, no cut-off: the meal's start itself */
    assert_int_equal(ct_cutoff_at(day, 12 * 60, 0, 0), 1796731200);
}

static void test_cert_stage(void **state)
{
    (void)state;
    int64_t today = D("2026-12-07");
    assert_string_equal(ct_cert_stage(D("2027-01-06"), today, 30), "expiring"); /* 30 days */
    assert_string_equal(ct_cert_stage(D("2027-01-07"), today, 30), "valid");    /* 31 days */
    assert_string_equal(ct_cert_stage(today, today, 30), "expiring");           /* its last day */
    assert_string_equal(ct_cert_stage(D("2026-12-06"), today, 30), "expired");
    assert_string_equal(ct_cert_stage(D("2026-12-08"), today, 0), "valid");
    assert_string_equal(ct_cert_stage(today, today, 0), "expiring");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_months),       cmocka_unit_test(test_cert_expiry),
        cmocka_unit_test(test_product_and_keep), cmocka_unit_test(test_cutoff),
        cmocka_unit_test(test_cert_stage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
