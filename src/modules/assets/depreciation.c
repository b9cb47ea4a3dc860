/* SPDX-License-Identifier: MIT
 * assets/depreciation.c - straight-line monthly depreciation as the
 * government accounting standard for fixed assets has it (政府会计准则第3号
 * ——固定资产, 财会〔2015〕20号, 第十五、十六条; lives from 应用指南 表1,
 * 财会〔2017〕4号): by the month, without salvage value, from the month the
 * asset arrives, not in the month it leaves, and never past its value.
 * Pure: unit-tested with hand-computed vectors (tests/unit/t_assets.c).
 */
#include "assets.h"
#include "../../base/base.h"

#include <stdio.h>
#include <string.h>

int64_t as_month_of(const char *date)
{
    int y, m, d;
    char tail;
    if (!date || strlen(date) != 10 || sscanf(date, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
        y < 1 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    return (int64_t)y * 12 + (m - 1);
}

/* accumulated after k of n months */
static int64_t accumulated(int64_t original, int64_t k, int64_t n)
{
    if (k <= 0)
        return 0;
    if (k >= n)
        return original;
    return div_round(original * k, n);
}

void as_depreciate(int64_t original, int64_t acquired, int years, int64_t asof, int64_t left,
                   struct as_dep *out)
{
    memset(out, 0, sizeof(*out));
    out->net = original;
    if (years <= 0 || original <= 0 || acquired < 0 || asof < acquired)
        return;
    int64_t n = (int64_t)years * 12;
    int64_t k = asof - acquired + 1; /* the month it arrived counts */
    int charged = 1;                 /* the month asked carries a charge */
    if (left >= 0 && left <= asof) { /* gone: the month it left does not count */
        k = left - acquired;
        charged = 0;
    }
    if (k < 0)
        k = 0;
    if (k > n) { /* fully depreciated before this month */
        k = n;
        charged = 0;
    }
    out->months = k;
    out->accumulated = accumulated(original, k, n);
    out->net = original - out->accumulated;
    if (charged && k > 0)
        out->monthly = out->accumulated - accumulated(original, k - 1, n);
}
