/* SPDX-License-Identifier: MIT
 * t_assets_report.c - the depreciation rule the register's reports fold
 * (as_depreciate, as_month_of, as_month_text): vectors worked by hand at the
 * boundaries the reports meet — the month acquired and the one before, the
 * last month of a life and the one after, a disposal in the month acquired
 * and later, half-fen rounding that must still sum to the value, a category
 * not depreciated, nothing to depreciate, the largest value the register
 * takes — and the month numbers of dates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "modules/assets/assets.h"

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

static void test_month_of(void **state)
{
    (void)state;
    assert_int_equal(as_month_of("2024-01-01"), 2024 * 12);
    assert_int_equal(as_month_of("2024-12-31"), 2024 * 12 + 11);
    assert_int_equal(as_month_of("2025-01-15") - as_month_of("2024-12-31"), 1);
    assert_int_equal(as_month_of("2024-13-01"), -1);
    assert_int_equal(as_month_of("2024-00-10"), -1);
    assert_int_equal(as_month_of("2024-1-1"), -1);
    assert_int_equal(as_month_of("2024-01-01T00"), -1);
    assert_int_equal(as_month_of(""), -1);
    assert_int_equal(as_month_of(NULL), -1);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_month_of),
        cmocka_unit_test(test_computer_life),
        cmocka_unit_test(test_rounding_sums),
        cmocka_unit_test(test_disposal),
        cmocka_unit_test(test_nothing_to_depreciate),
        cmocka_unit_test(test_largest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
