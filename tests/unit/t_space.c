/* SPDX-License-Identifier: MIT
 * t_space.c - the office space module's pure rules: adding months to a date
 * (month ends, leap years, year boundaries, negative months, bad input),
 * which is how an office's recovery deadline is set; and the area standard
 * — the office limit of a person by rank at each administrative level of
 * the 2014 construction standard, a rank of another level's table (no limit
 * here: never a row found by position), no rank, an unknown rank, and a
 * table the tenant edited; a person's share of a shared room at the limit
 * and 0.01 m² over it; who may have a rest room and a toilet within their
 * office, and a toilet of 6.00 and 6.01 m².
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "modules/space/space.h"

#include <stdio.h>
#include <string.h>

static void add(const char *date, int months, const char *want)
{
    char out[11];
    sp_add_months(date, months, out, sizeof(out));
    if (strcmp(out, want))
        fail_msg("%s %+d months: %s, want %s", date, months, out, want);
}

static void test_add_months(void **state)
{
    (void)state;
    add("2026-11-29", 1, "2026-12-29");
    add("2026-12-15", 1, "2027-01-15"); /* the year turns */
    add("2026-01-31", 1, "2026-02-28"); /* clamped to the month's end */
    add("2024-01-31", 1, "2024-02-29"); /* a leap year */
    add("2000-01-31", 1, "2000-02-29"); /* divisible by 400: leap */
    add("2100-01-31", 1, "2100-02-28"); /* divisible by 100: not */
    add("2026-08-31", 1, "2026-09-30");
    add("2026-03-31", 24, "2028-03-31");
    add("2026-05-10", 0, "2026-05-10");
    add("2026-03-31", -1, "2026-02-28"); /* negative months floor correctly */
    add("2026-01-15", -1, "2025-12-15");
    add("2026-01-15", -13, "2024-12-15");
    add("2026-12-31", -12, "2025-12-31");
    add("2024-02-29", 12, "2025-02-28");
    add("2024-02-29", 48, "2028-02-29");
    /* not a date: counted from 1970-01-01 rather than read past the month table */
    add("", 1, "1970-02-01");
    add("2026-13-01", 1, "1970-02-01");
    add("2026-00-10", 0, "1970-01-01");
    /* a short buffer is cut, never overrun */
    char small[5];
    memset(small, 'x', sizeof(small));
    sp_add_months("2026-11-29", 1, small, sizeof(small));
    assert_string_equal(small, "2026");
}

/* The 2014 standard's rows (m² in hundredths), ordered like sp_std_load's
 * query: by level, then sort_order. */
struct row {
    int64_t id;
    const char *level;
    int64_t m2;
    const char *name, *code;
};
static const struct row rows[] = {
    {1, "central", 5400, "部级正职", "minister"},
    {2, "central", 4200, "部级副职", "vice_minister"},
    {3, "central", 2400, "正司(局)级", "director_general"},
    {4, "central", 1800, "副司(局)级", "deputy_director_general"},
    {5, "central", 1200, "处级", "division"},
    {6, "central", 900, "处级以下", "below_division"},
    {11, "county", 3000, "县级正职", "county_head"},
    {12, "county", 2400, "县级副职", "deputy_county_head"},
    {13, "county", 1800, "正科级", "section_head"},
    {14, "county", 1200, "副科级", "deputy_section_head"},
    {15, "county", 900, "科级以下", "below_section"},
    {21, "municipal", 4200, "市级正职", "mayor"},
    {22, "municipal", 3000, "市级副职", "vice_mayor"},
    {23, "municipal", 2400, "正局(处)级", "bureau_head"},
    {24, "municipal", 1800, "副局(处)级", "deputy_bureau_head"},
    {25, "municipal", 900, "局(处)级以下", "below_bureau"},
    {31, "provincial", 5400, "省级正职", "governor"},
    {32, "provincial", 4200, "省级副职", "vice_governor"},
    {33, "provincial", 3000, "正厅(局)级", "department_head"},
    {34, "provincial", 2400, "副厅(局)级", "deputy_department_head"},
    {35, "provincial", 1800, "正处级", "division_head"},
    {36, "provincial", 1200, "副处级", "deputy_division_head"},
    {37, "provincial", 900, "处级以下", "below_division"},
};
#define NROWS ((int)(sizeof(rows) / sizeof(rows[0])))

static struct sp_rank table[NROWS];

static struct sp_std standard(const char *level)
{
    struct sp_std s;
    memset(&s, 0, sizeof(s));
    snprintf(s.level, sizeof(s.level), "%s", level);
    for (int i = 0; i < NROWS; i++) {
        memset(&table[i], 0, sizeof(table[i]));
        table[i].id = rows[i].id;
        snprintf(table[i].level, sizeof(table[i].level), "%s", rows[i].level);
        table[i].sort_order = i;
        table[i].max_m2 = rows[i].m2;
        snprintf(table[i].name, sizeof(table[i].name), "%s", rows[i].name);
        snprintf(table[i].code, sizeof(table[i].code), "%s", rows[i].code);
    }
    s.ranks = table;
    s.n = NROWS;
    sp_std_places(&s);
    return s;
}

static void limit(const struct sp_std *s, int64_t rank, int64_t want, const char *want_name)
{
    const char *name = NULL;
    int64_t got = sp_limit(s, rank, &name);
    if (got != want || strcmp(name, want_name))
        fail_msg("level %s rank %lld: %lld (%s), want %lld (%s)", s->level, (long long)rank,
                 (long long)got, name, (long long)want, want_name);
}

static void test_places(void **state)
{
    (void)state;
    struct sp_std s = standard("county");
    assert_int_equal(table[0].pos, 0);
    assert_int_equal(table[0].count, 6);
    assert_int_equal(table[5].pos, 5);
    assert_int_equal(table[10].pos, 4); /* 科级以下, last of five */
    assert_int_equal(table[10].count, 5);
    assert_int_equal(table[22].count, 7);
    assert_int_equal(s.n, NROWS);
}

static void test_own_level(void **state)
{
    (void)state;
    /* every row of every level is its own limit when the tenant is of that level */
    const char *levels[] = {"central", "county", "municipal", "provincial"};
    for (int l = 0; l < 4; l++) {
        struct sp_std s = standard(levels[l]);
        for (int i = 0; i < NROWS; i++)
            if (!strcmp(rows[i].level, levels[l]))
                limit(&s, rows[i].id, rows[i].m2, rows[i].name);
    }
}

static void test_other_level(void **state)
{
    (void)state;
    /* a district (county level) with people whose ranks come from other
     * levels' tables: the standard gives them no limit here, whatever their
     * place — once a provincial 正处 got 副科's 12 m² by position */
    struct sp_std s = standard("county");
    const int64_t foreign[] = {31, 32, 34, 35, 36, 37, 1, 6, 21, 23, 25};
    for (size_t i = 0; i < sizeof(foreign) / sizeof(foreign[0]); i++) {
        const char *name = NULL;
        assert_int_equal(sp_limit(&s, foreign[i], &name), SP_LIMIT_OTHER_TIER);
        assert_non_null(sp_rank_of(&s, foreign[i]));
        assert_string_equal(name, sp_rank_of(&s, foreign[i])->name);
    }
    limit(&s, 13, 1800, "正科级"); /* its own table still holds */
    /* a municipal tenant with a county 正科: no longer 24 m² by position */
    struct sp_std m = standard("municipal");
    assert_int_equal(sp_limit(&m, 13, NULL), SP_LIMIT_OTHER_TIER);
    assert_int_equal(sp_limit(&m, 15, NULL), SP_LIMIT_OTHER_TIER);
    limit(&m, 23, 2400, "正局(处)级");
    /* a province with county ranks */
    struct sp_std p = standard("provincial");
    assert_int_equal(sp_limit(&p, 11, NULL), SP_LIMIT_OTHER_TIER);
}

static void test_no_rank(void **state)
{
    (void)state;
    struct sp_std s = standard("municipal");
    /* no rank, or a rank the table no longer has: the level's last row */
    limit(&s, 0, 900, "局(处)级以下");
    limit(&s, 999, 900, "局(处)级以下");
    /* a level with no rows: the rank's own row, or no limit at all */
    struct sp_std x = standard("township");
    limit(&x, 13, 1800, "正科级");
    assert_int_equal(sp_limit(&x, 0, NULL), -1);
}

static void test_edited(void **state)
{
    (void)state;
    /* the tenant edits a limit and adds a post: the places follow the rows */
    struct sp_std s = standard("county");
    table[8].max_m2 = 2000; /* 正科级 raised to 20 m² */
    limit(&s, 13, 2000, "正科级");
    limit(&s, 14, 1200, "副科级");
    assert_int_equal(sp_limit(&s, 33, NULL), SP_LIMIT_OTHER_TIER);
}

static void test_share(void **state)
{
    (void)state;
    /* hundredths of m², rounded half up to 0.01 m² */
    assert_int_equal(sp_share(2700, 3), 900);  /* 27.00 / 3 = 9.00: at the limit */
    assert_int_equal(sp_share(2703, 3), 901);  /* 27.03 / 3 = 9.01: 0.01 over */
    assert_int_equal(sp_share(2600, 3), 867);  /* 26.00 / 3 = 8.666… → 8.67 */
    assert_int_equal(sp_share(2600, 1), 2600); /* alone: 17.00 over 9 */
    assert_int_equal(sp_share(2701, 3), 900);  /* 9.0033… → 9.00 */
    assert_int_equal(sp_share(2702, 3), 901);  /* 9.0066… → 9.01 */
    assert_int_equal(sp_share(1801, 2), 901);  /* 9.005 → 9.01 (half up) */
    assert_int_equal(sp_share(1800, 2), 900);
    assert_int_equal(sp_share(500, 0), 500); /* nobody counted: the whole room */
}

static void test_suite(void **state)
{
    (void)state;
    struct sp_std s = standard("county");
    /* a toilet: the 县级正职 only, at most 6.00 m² */
    assert_int_equal(sp_suite_rule(&s, 11, "toilet", 600), SP_SUITE_OK);
    assert_int_equal(sp_suite_rule(&s, 11, "toilet", 601), SP_SUITE_TOILET_AREA);
    assert_int_equal(sp_suite_rule(&s, 12, "toilet", 400), SP_SUITE_NOT_LEADER);
    assert_int_equal(sp_suite_rule(&s, 13, "toilet", 400), SP_SUITE_NOT_LEADER);
    assert_int_equal(sp_suite_rule(&s, 0, "toilet", 400), SP_SUITE_NOT_LEADER);
    /* a rest room: the level's 正职 and 副职, of any size (it counts in the area) */
    assert_int_equal(sp_suite_rule(&s, 11, "rest", 1200), SP_SUITE_OK);
    assert_int_equal(sp_suite_rule(&s, 12, "rest", 1200), SP_SUITE_OK);
    assert_int_equal(sp_suite_rule(&s, 13, "rest", 1200), SP_SUITE_NOT_LEADER);
    assert_int_equal(sp_suite_rule(&s, 15, "rest", 1200), SP_SUITE_NOT_LEADER);
    /* a rank of another level's table */
    assert_int_equal(sp_suite_rule(&s, 31, "toilet", 500), SP_SUITE_OTHER_TIER);
    /* a province: 省部级 leaders and the 厅(局)正职 */
    struct sp_std p = standard("provincial");
    assert_int_equal(sp_suite_rule(&p, 31, "toilet", 600), SP_SUITE_OK);
    assert_int_equal(sp_suite_rule(&p, 32, "toilet", 600), SP_SUITE_OK);
    assert_int_equal(sp_suite_rule(&p, 33, "toilet", 600), SP_SUITE_OK);
    assert_int_equal(sp_suite_rule(&p, 34, "toilet", 600), SP_SUITE_NOT_LEADER);
    assert_int_equal(sp_suite_rule(&p, 34, "rest", 600), SP_SUITE_NOT_LEADER);
    /* a city: the 正职 a toilet, the 副职 a rest room only */
    struct sp_std m = standard("municipal");
    assert_int_equal(sp_suite_rule(&m, 21, "toilet", 600), SP_SUITE_OK);
    assert_int_equal(sp_suite_rule(&m, 22, "toilet", 600), SP_SUITE_NOT_LEADER);
    assert_int_equal(sp_suite_rule(&m, 22, "rest", 600), SP_SUITE_OK);
    assert_int_equal(sp_suite_rule(&m, 23, "rest", 600), SP_SUITE_NOT_LEADER);
    /* what counts in a person's office area */
    assert_true(sp_personal_use("office"));
    assert_true(sp_personal_use("rest"));
    assert_true(sp_personal_use("toilet"));
    assert_false(sp_personal_use("meeting"));
    assert_false(sp_personal_use(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_months), cmocka_unit_test(test_places),
        cmocka_unit_test(test_own_level),  cmocka_unit_test(test_other_level),
        cmocka_unit_test(test_no_rank),    cmocka_unit_test(test_edited),
        cmocka_unit_test(test_share),      cmocka_unit_test(test_suite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
