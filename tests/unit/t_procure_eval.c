/* SPDX-License-Identifier: MIT
 * t_procure_eval.c - the evaluation's formulas (procure/evaluation.c) with
 * hand-computed vectors: the price score (财政部令第87号 第55条: the lowest
 * valid price scores 100, another benchmark ÷ price × 100, in hundredths
 * rounded half up), weighted at 30 % (goods) and 10 % (services); the
 * comprehensive ranking and its tie-breaks (price, then technical points,
 * then the bid's id); the lowest-price ranking (第56条) that leaves out a
 * bid that does not pass; the abnormally low flag at 80 % of the others'
 * mean; the mean of the members' scores.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "modules/procure/committee.h"

static void test_price_score(void **state)
{
    (void)state;
    assert_int_equal(pc_price_score(80000000, 80000000), 10000);
    assert_int_equal(pc_price_score(80000000, 100000000), 8000);
    assert_int_equal(pc_price_score(80000000, 120000000), 6667); /* 66.666… */
    assert_int_equal(pc_price_score(1, 3), 3333);                /* 33.333… */
    assert_int_equal(pc_price_score(1, 8), 1250);                /* 12.5 exactly */
    assert_int_equal(pc_price_score(1, 0), 0);
    int64_t v[] = {8550, 8551};
    assert_int_equal(pc_mean(v, 2), 8551); /* 8550.5 half up */
    int64_t w[] = {1, 1, 2};
    assert_int_equal(pc_mean(w, 3), 1); /* 1.33 */
    assert_int_equal(pc_mean(w, 0), 0);
}

/* Goods, 30 %: A 1,000,000.00 yuan (tech 60.00), B 1,200,000.00 (65.50),
 * C 800,000.00 (40.00), D 500,000.00 invalid. Benchmark C.
 *   A: 80.00 → 24.00 points, total 84.00
 *   B: 66.67 → 20.00 (66.67 × 0.3 = 20.001), total 85.50
 *   C: 100.00 → 30.00, total 70.00
 * Ranking B, A, C; C abnormally low (800,000 < 80 % × 1,100,000 = 880,000). */
static void test_comprehensive_goods(void **state)
{
    (void)state;
    struct pc_bid_eval b[] = {
        {.bid_id = 1, .price_fen = 100000000, .passes = 1, .tech = 6000},
        {.bid_id = 2, .price_fen = 120000000, .passes = 1, .tech = 6550},
        {.bid_id = 3, .price_fen = 80000000, .passes = 1, .tech = 4000},
        {.bid_id = 4, .price_fen = 50000000, .passes = 0, .tech = 9000},
    };
    pc_evaluate(b, 4, 0, 30, 80);
    assert_int_equal(b[0].price_score, 8000);
    assert_int_equal(b[0].price_points, 2400);
    assert_int_equal(b[0].total, 8400);
    assert_int_equal(b[1].price_score, 6667);
    assert_int_equal(b[1].price_points, 2000);
    assert_int_equal(b[1].total, 8550);
    assert_int_equal(b[2].price_score, 10000);
    assert_int_equal(b[2].price_points, 3000);
    assert_int_equal(b[2].total, 7000);
    assert_int_equal(b[0].rank, 2);
    assert_int_equal(b[1].rank, 1);
    assert_int_equal(b[2].rank, 3);
    assert_int_equal(b[3].rank, 0);
    assert_int_equal(b[3].price_score, 0);
    assert_int_equal(b[2].abnormal_low, 1);
    assert_int_equal(b[0].abnormal_low, 0);
    assert_int_equal(b[1].abnormal_low, 0);
}

/* Services, 10 %: X 100.00 yuan tech 80.00 → 100 → 10.00, total 90.00;
 * Y (id 9) and Z (id 5) 125.00 tech 82.00 → 80.00 → 8.00, total 90.00.
 * Equal totals: the lower price first (X), then equal price and technical
 * points: the earlier bid (Z before Y). */
static void test_ties_services(void **state)
{
    (void)state;
    struct pc_bid_eval b[] = {
        {.bid_id = 9, .price_fen = 12500, .passes = 1, .tech = 8200},
        {.bid_id = 3, .price_fen = 10000, .passes = 1, .tech = 8000},
        {.bid_id = 5, .price_fen = 12500, .passes = 1, .tech = 8200},
    };
    pc_evaluate(b, 3, 0, 10, 80);
    assert_int_equal(b[0].total, 9000);
    assert_int_equal(b[1].total, 9000);
    assert_int_equal(b[2].total, 9000);
    assert_int_equal(b[1].rank, 1);
    assert_int_equal(b[2].rank, 2);
    assert_int_equal(b[0].rank, 3);
}

/* Lowest price: 300, 250 (does not pass), 280 (tech 10), 280 (tech 20). */
static void test_lowest_price(void **state)
{
    (void)state;
    struct pc_bid_eval b[] = {
        {.bid_id = 1, .price_fen = 30000, .passes = 1},
        {.bid_id = 2, .price_fen = 25000, .passes = 0},
        {.bid_id = 3, .price_fen = 28000, .passes = 1, .tech = 1000},
        {.bid_id = 4, .price_fen = 28000, .passes = 1, .tech = 2000},
    };
    pc_evaluate(b, 4, 1, 30, 80);
    assert_int_equal(b[3].rank, 1);
    assert_int_equal(b[2].rank, 2);
    assert_int_equal(b[0].rank, 3);
    assert_int_equal(b[1].rank, 0);
    /* the others' mean for 280: (300 + 280) ÷ 2 = 290; 80 % = 232: not low */
    assert_int_equal(b[2].abnormal_low, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_price_score),
        cmocka_unit_test(test_comprehensive_goods),
        cmocka_unit_test(test_ties_services),
        cmocka_unit_test(test_lowest_price),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
