/* SPDX-License-Identifier: MIT
 * t_rounding.c - shares and means as reports show them: rounded half up
 * from the exact fraction, in integers (div_round, pct_tenths). Vectors
 * worked by hand; truncation (the old behaviour) fails most of them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "base/base.h"

static void test_div_round(void **state)
{
    (void)state;
    assert_int_equal(div_round(0, 7), 0);
    assert_int_equal(div_round(2, 3), 1);   /* 0.666… */
    assert_int_equal(div_round(1, 3), 0);   /* 0.333… */
    assert_int_equal(div_round(1, 2), 1);   /* a half goes up */
    assert_int_equal(div_round(3, 2), 2);
    assert_int_equal(div_round(5, 2), 3);
    assert_int_equal(div_round(7, 7), 1);
    assert_int_equal(div_round(-1, 2), -1); /* away from zero below it */
    assert_int_equal(div_round(-1, 3), 0);
    assert_int_equal(div_round(-2, 3), -1);
    assert_int_equal(div_round(-5, 2), -3);
    /* mean minutes: 3 requests took 100 s, 110 s and 60 s: 270 / 180 = 1.5 min */
    assert_int_equal(div_round(270, 3 * 60), 2);
    assert_int_equal(div_round(269, 3 * 60), 1);
    assert_int_equal(div_round(INT64_MAX, 1), INT64_MAX);
    assert_int_equal(div_round(INT64_MAX - 1, INT64_MAX), 1);
}

static void test_pct_tenths(void **state)
{
    (void)state;
    assert_int_equal(pct_tenths(2, 3), 667);  /* 66.666… % -> 66.7 (truncated: 66.6) */
    assert_int_equal(pct_tenths(1, 3), 333);  /* 33.333… % -> 33.3 */
    assert_int_equal(pct_tenths(1, 8), 125);  /* 12.5 % exactly */
    assert_int_equal(pct_tenths(1, 16), 63);  /* 6.25 % -> 6.3 */
    assert_int_equal(pct_tenths(3, 16), 188); /* 18.75 % -> 18.8 */
    assert_int_equal(pct_tenths(1333, 2000), 667); /* 66.65 % exactly: up to 66.7 */
    assert_int_equal(pct_tenths(13329, 20000), 666); /* 66.645 %: below the half */
    assert_int_equal(pct_tenths(13331, 20000), 667); /* 66.655 % */
    assert_int_equal(pct_tenths(1, 2000), 1);  /* 0.05 %: the half of a tenth */
    assert_int_equal(pct_tenths(1, 2001), 0);  /* 0.04997… % */
    assert_int_equal(pct_tenths(0, 9), 0);
    assert_int_equal(pct_tenths(9, 9), 1000);
    assert_int_equal(pct_tenths(1999, 2000), 1000); /* 99.95 % shows as 100.0 */
    assert_int_equal(pct_tenths(3997, 4000), 999);  /* 99.925 % */
}

/* a mean score in tenths: score_sum * 10 / rated */
static void test_mean_score(void **state)
{
    (void)state;
    assert_int_equal(div_round(13 * 10, 3), 43); /* 4.333… */
    assert_int_equal(div_round(14 * 10, 3), 47); /* 4.666… (truncated: 4.66) */
    assert_int_equal(div_round(9 * 10, 2), 45);  /* 4.5 */
    assert_int_equal(div_round(29 * 10, 20), 15); /* 1.45 -> 1.5 */
    assert_int_equal(div_round(89 * 10, 20), 45); /* 4.45 -> 4.5 */
    assert_int_equal(div_round(177 * 10, 40), 44); /* 4.425 -> 4.4 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_div_round),
        cmocka_unit_test(test_pct_tenths),
        cmocka_unit_test(test_mean_score),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
