/* SPDX-License-Identifier: MIT
 * t_canteen_subsidy.c - the meal subsidy due of a month with hand-computed
 * figures: per working day eaten (8.00 a day × 17 days = 136.00), capped by
 * the rule's days (22 of 25 eaten: 176.00) or by the month's working days
 * when the rule has no cap; a monthly amount whatever the days; no rule for
 * the rank (科级以下: nothing); a rule not yet valid or already ended; a
 * newer rule replacing an older one from the month it starts (the one that
 * starts latest within the month wins, the later id on a tie); no rank.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "base/base.h"
#include "modules/canteen/canteen.h"

#include <string.h>

static int64_t day(const char *s)
{
    int64_t d = -1;
    assert_int_equal(date_parse(s, strlen(s), &d), 0);
    return d;
}

/* ranks: 10 正科级, 11 副科级, 12 科级以下 */
static struct ct_subsidy_rule rules[4];

static int setup(void **state)
{
    (void)state;
    memset(rules, 0, sizeof(rules));
    rules[0] = (struct ct_subsidy_rule){.id = 1,
                                        .rank_id = 10,
                                        .amount_fen = 800,
                                        .per_day = 1,
                                        .max_days = 22,
                                        .from = day("2025-01-01"),
                                        .to = -1};
    rules[1] = (struct ct_subsidy_rule){.id = 2,
                                        .rank_id = 11,
                                        .amount_fen = 600,
                                        .per_day = 1,
                                        .max_days = 0,
                                        .from = day("2025-01-01"),
                                        .to = day("2026-03-31")};
    rules[2] = (struct ct_subsidy_rule){.id = 3,
                                        .rank_id = 11,
                                        .amount_fen = 15000,
                                        .per_day = 0,
                                        .from = day("2026-04-15"),
                                        .to = -1};
    rules[3] = (struct ct_subsidy_rule){.id = 4,
                                        .rank_id = 10,
                                        .amount_fen = 1000,
                                        .per_day = 1,
                                        .max_days = 20,
                                        .from = day("2027-01-01"),
                                        .to = -1};
    return 0;
}

#define DUE(rank, month_first, month_last, eaten, wd, out)                                         \
    ct_subsidy_due(rules, 4, rank, day(month_first), day(month_last), eaten, wd, out)

static void test_per_day(void **state)
{
    (void)state;
    struct ct_due d;
    /* 17 working days eaten at 8.00: 136.00 */
    assert_int_equal(DUE(10, "2026-06-01", "2026-06-30", 17, 21, &d), 13600);
    assert_int_equal(d.rule_id, 1);
    assert_int_equal(d.days_paid, 17);
    /* no day eaten: nothing */
    assert_int_equal(DUE(10, "2026-06-01", "2026-06-30", 0, 21, &d), 0);
    assert_int_equal(d.rule_id, 1);
    assert_int_equal(d.days_paid, 0);
}

static void test_cap(void **state)
{
    (void)state;
    struct ct_due d;
    /* 25 days eaten (weekends worked) with a cap of 22: 22 × 8.00 = 176.00 */
    assert_int_equal(DUE(10, "2026-06-01", "2026-06-30", 25, 23, &d), 17600);
    assert_int_equal(d.days_paid, 22);
    /* exactly the cap */
    assert_int_equal(DUE(10, "2026-06-01", "2026-06-30", 22, 22, &d), 17600);
    /* no cap of its own: the month's working days (20 in Feb 2026 here): 20 × 6.00 */
    assert_int_equal(DUE(11, "2026-02-01", "2026-02-28", 23, 20, &d), 12000);
    assert_int_equal(d.days_paid, 20);
    assert_int_equal(DUE(11, "2026-02-01", "2026-02-28", 13, 20, &d), 7800);
}

static void test_monthly(void **state)
{
    (void)state;
    struct ct_due d;
    /* from 15 April 2026 rank 11 has a monthly 150.00: April is its first month */
    assert_int_equal(DUE(11, "2026-04-01", "2026-04-30", 3, 22, &d), 15000);
    assert_int_equal(d.rule_id, 3);
    assert_int_equal(d.days_paid, 0);
    assert_int_equal(DUE(11, "2026-05-01", "2026-05-31", 0, 19, &d), 15000);
    /* March 2026: the per-day rule still (it ends on the 31st) */
    assert_int_equal(DUE(11, "2026-03-01", "2026-03-31", 10, 22, &d), 6000);
    assert_int_equal(d.rule_id, 2);
}

static void test_no_rule(void **state)
{
    (void)state;
    struct ct_due d;
    /* 科级以下: no rule, nothing, however many days */
    assert_int_equal(DUE(12, "2026-06-01", "2026-06-30", 21, 21, &d), 0);
    assert_int_equal(d.rule_id, 0);
    /* no rank */
    assert_int_equal(DUE(0, "2026-06-01", "2026-06-30", 21, 21, &d), 0);
    /* before any rule began */
    assert_int_equal(DUE(10, "2024-12-01", "2024-12-31", 21, 21, &d), 0);
    assert_int_equal(d.rule_id, 0);
}

static void test_newer_rule(void **state)
{
    (void)state;
    struct ct_due d;
    /* from 2027 rank 10 gets 10.00 a day, at most 20 days: 20 × 10.00 */
    assert_int_equal(DUE(10, "2027-01-01", "2027-01-31", 21, 21, &d), 20000);
    assert_int_equal(d.rule_id, 4);
    /* December 2026 still the old one: 21 × 8.00 */
    assert_int_equal(DUE(10, "2026-12-01", "2026-12-31", 21, 23, &d), 16800);
    assert_int_equal(d.rule_id, 1);
    /* a tie on the start: the later rule (a correction entered after) */
    struct ct_subsidy_rule two[2] = {
        {.id = 7,
         .rank_id = 5,
         .amount_fen = 500,
         .per_day = 1,
         .from = day("2026-01-01"),
         .to = -1},
        {.id = 9,
         .rank_id = 5,
         .amount_fen = 700,
         .per_day = 1,
         .from = day("2026-01-01"),
         .to = -1},
    };
    assert_int_equal(ct_subsidy_due(two, 2, 5, day("2026-05-01"), day("2026-05-31"), 2, 20, &d),
                     1400);
    assert_int_equal(d.rule_id, 9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_per_day, setup),    cmocka_unit_test_setup(test_cap, setup),
        cmocka_unit_test_setup(test_monthly, setup),    cmocka_unit_test_setup(test_no_rule, setup),
        cmocka_unit_test_setup(test_newer_rule, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
