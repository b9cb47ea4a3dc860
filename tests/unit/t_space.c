/* SPDX-License-Identifier: MIT
 * t_space.c - the office space module's pure rules: adding months to a date
 * (month ends, leap years, year boundaries, negative months, bad input),
 * which is how an office's recovery deadline is set; and the area standard
 * — the office limit of a person by rank at each administrative level of
 * the 2014 construction standard, a rank of another level mapped to the
 * same place among the tenant's posts (never onto its "…以下" row unless it
 * is that row), no rank, an unknown rank, and a table the tenant edited.
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
    const char *name;
};
static const struct row rows[] = {
    {1, "central", 5400, "部级正职"},     {2, "central", 4200, "部级副职"},
    {3, "central", 2400, "正司(局)级"},   {4, "central", 1800, "副司(局)级"},
    {5, "central", 1200, "处级"},         {6, "central", 900, "处级以下"},
    {11, "county", 3000, "县级正职"},     {12, "county", 2400, "县级副职"},
    {13, "county", 1800, "正科级"},       {14, "county", 1200, "副科级"},
    {15, "county", 900, "科级以下"},      {21, "municipal", 4200, "市级正职"},
    {22, "municipal", 3000, "市级副职"},  {23, "municipal", 2400, "正局(处)级"},
    {24, "municipal", 1800, "副局(处)级"}, {25, "municipal", 900, "局(处)级以下"},
    {31, "provincial", 5400, "省级正职"}, {32, "provincial", 4200, "省级副职"},
    {33, "provincial", 3000, "正厅(局)级"}, {34, "provincial", 2400, "副厅(局)级"},
    {35, "provincial", 1800, "正处级"},   {36, "provincial", 1200, "副处级"},
    {37, "provincial", 900, "处级以下"},
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
    /* a district (county level) with people whose ranks come from other levels */
    struct sp_std s = standard("county");
    limit(&s, 31, 3000, "县级正职");  /* the top post maps to the top post */
    limit(&s, 32, 2400, "县级副职");  /* second to second */
    limit(&s, 34, 1200, "副科级");    /* 4th of 7 → 4th of 5 */
    limit(&s, 35, 1200, "副科级");    /* 5th: would be 科级以下, the leading posts stop above */
    limit(&s, 36, 1200, "副科级");    /* 6th: the same */
    limit(&s, 37, 900, "科级以下");   /* "…以下" maps to "…以下" */
    limit(&s, 6, 900, "科级以下");
    limit(&s, 25, 900, "科级以下");
    /* a province with county ranks */
    struct sp_std p = standard("provincial");
    limit(&p, 11, 5400, "省级正职");
    limit(&p, 14, 2400, "副厅(局)级");
    limit(&p, 15, 900, "处级以下");
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
    limit(&s, 35, 1200, "副科级");
    limit(&s, 33, 2000, "正科级"); /* provincial 3rd → county 3rd */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_months), cmocka_unit_test(test_places),
        cmocka_unit_test(test_own_level),  cmocka_unit_test(test_other_level),
        cmocka_unit_test(test_no_rank),    cmocka_unit_test(test_edited),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
