/* SPDX-License-Identifier: MIT
 * t_procure_draw.c - the committee draw (procure/draw.c): a known vector
 * (computed by an independent reimplementation in Python from the
 * documented procedure, docs/modules/procurement.md), the same
 * inputs giving the same order and another witness value another one,
 * every expert once in the order, recusal at the 3-year boundary (a
 * relation that ended exactly 3 years before the draw day recuses, one
 * day earlier does not; 29 February), and the committee's size rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "base/base.h"
#include "modules/procure/committee.h"

#include <sodium.h>
#include <string.h>

static int64_t D(const char *s)
{
    int64_t d = 0;
    assert_int_equal(date_parse(s, strlen(s), &d), 0);
    return d;
}

static void pool20(struct pc_pool_entry *p, int64_t *ids)
{
    for (int i = 0; i < 20; i++) {
        p[i].id = i + 1;
        p[i].version = 1 + (i + 1) % 3;
        ids[i] = i + 1;
    }
}

static void test_known_vector(void **state)
{
    (void)state;
    struct pc_pool_entry p[20];
    int64_t ids[20];
    pool20(p, ids);
    char hex[65], shex[65];
    unsigned char seed[32];
    pc_pool_hash(p, 20, hex);
    assert_string_equal(hex, "12e13e0e4c05435e9d0a1a2863bfe98ee96815a6691567352b8cb16dd62c1c8a");
    pc_draw_seed(42, hex, "7359 0246", seed);
    pc_hex32(seed, shex);
    assert_string_equal(shex, "6ae32276c91932d09fadc839dc767b30c067a07ba040a0735bd64e60b1900883");
    pc_draw_order(seed, ids, 20);
    static const int64_t want[20] = {17, 6,  14, 2, 10, 7,  5, 19, 16, 1,
                                     4,  20, 18, 3, 15, 12, 9, 13, 8,  11};
    for (int i = 0; i < 20; i++)
        assert_int_equal(ids[i], want[i]);
}

static void test_reproducible(void **state)
{
    (void)state;
    struct pc_pool_entry p[20];
    int64_t a[20], b[20], c[20];
    pool20(p, a);
    pool20(p, b);
    pool20(p, c);
    char hex[65];
    unsigned char s1[32], s2[32], s3[32];
    pc_pool_hash(p, 20, hex);
    pc_draw_seed(7, hex, "witness", s1);
    pc_draw_seed(7, hex, "witness", s2);
    pc_draw_seed(7, hex, "witnesS", s3);
    assert_memory_equal(s1, s2, 32);
    assert_memory_not_equal(s1, s3, 32);
    pc_draw_order(s1, a, 20);
    pc_draw_order(s2, b, 20);
    pc_draw_order(s3, c, 20);
    assert_memory_equal(a, b, sizeof(a));
    assert_memory_not_equal(a, c, sizeof(a));
    /* a permutation: each id once */
    int seen[21] = {0};
    for (int i = 0; i < 20; i++)
        seen[a[i]]++;
    for (int i = 1; i <= 20; i++)
        assert_int_equal(seen[i], 1);
    /* another version of one expert: another pool hash */
    char hex2[65];
    p[4].version++;
    pc_pool_hash(p, 20, hex2);
    assert_string_not_equal(hex, hex2);
}

static void test_recusal_boundary(void **state)
{
    (void)state;
    int64_t day = D("2026-06-15");
    assert_int_equal(pc_recusal_since(day, 3), D("2023-06-15"));
    assert_int_equal(pc_recused(D("2023-06-15"), day, 3), 1); /* exactly 3 years: 以内 */
    assert_int_equal(pc_recused(D("2023-06-14"), day, 3), 0); /* one day earlier */
    assert_int_equal(pc_recused(D("2026-01-01"), day, 3), 1);
    assert_int_equal(pc_recused(-1, day, 3), 1); /* not ended */
    /* 29 February back to a year without one: 28 February */
    assert_int_equal(pc_recusal_since(D("2028-02-29"), 3), D("2025-02-28"));
    assert_int_equal(pc_recused(D("2025-02-27"), D("2028-02-29"), 3), 0);
    assert_int_equal(pc_recused(D("2025-02-28"), D("2028-02-29"), 3), 1);
}

static void test_committee_size(void **state)
{
    (void)state;
    assert_int_equal(pc_committee_min("public_tender", 50000000, 5, 7, 1000000000, 3), 5);
    assert_int_equal(pc_committee_min("public_tender", 1000000000, 5, 7, 1000000000, 3), 7);
    assert_int_equal(pc_committee_min("public_tender", 999999999, 5, 7, 1000000000, 3), 5);
    assert_int_equal(pc_committee_min("enquiry", 2000000000, 5, 7, 1000000000, 3), 3);
    assert_int_equal(pc_committee_min("competitive_consultation", 1, 5, 7, 1000000000, 3), 3);
    assert_int_equal(pc_committee_check(5, 1, 5), 0);
    assert_int_equal(pc_committee_check(3, 0, 5), 1);
    assert_int_equal(pc_committee_check(6, 0, 5), 2);
    assert_int_equal(pc_committee_check(5, 2, 5), 3); /* 3 of 5 experts < 2/3 */
    assert_int_equal(pc_committee_check(7, 2, 7), 0); /* 5 of 7 ≥ 2/3 */
    assert_int_equal(pc_committee_check(3, 1, 3), 0); /* 2 of 3 = 2/3 */
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_vector),
        cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_recusal_boundary),
        cmocka_unit_test(test_committee_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
