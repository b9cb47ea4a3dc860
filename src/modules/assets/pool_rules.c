/* SPDX-License-Identifier: MIT
 * assets/pool_rules.c - the pure rules of disposals and the pool
 * (unit-tested with boundary vectors, tests/unit/t_assets_pool.c): who
 * approves a disposal batch by its original value, what a disposal type
 * needs, how long a loan may last and when its borrower is reminded.
 *
 * The bands follow the tenant's settings: below disposal_leader_from_fen the
 * assets manager (or a leader) approves; from it a leader; above
 * disposal_self_max_fen (20万元 by default, 国管财〔2004〕196号's line for
 * what a department approves itself) the finance department approves too,
 * and its approval number is recorded.
 */
#include "assets.h"

#include <string.h>

enum as_band as_disposal_band(int64_t total, int64_t leader_from, int64_t self_max)
{
    if (total > self_max)
        return AS_BAND_FINANCE;
    if (total >= leader_from)
        return AS_BAND_LEADER;
    return AS_BAND_MANAGER;
}

static int one_of(const char *s, const char *const *set)
{
    for (; s && *set; set++)
        if (!strcmp(s, *set))
            return 1;
    return 0;
}

int as_disposal_needs_recipient(const char *type)
{
    static const char *const t[] = {"free_transfer", "donation", "sale", "exchange", NULL};
    return one_of(type, t);
}

/* 《行政事业性国有资产管理条例》第三十六条: 转让、置换 need an appraisal */
int as_disposal_needs_appraisal(const char *type)
{
    static const char *const t[] = {"sale", "exchange", NULL};
    return one_of(type, t);
}

int as_loan_span_check(int64_t from, int64_t until)
{
    if (until < from)
        return 1;
    if (until - from + 1 > AS_LOAN_MAX_DAYS)
        return 2;
    return 0;
}

int as_loan_reminder(int64_t due, int64_t today, int64_t remind_days, int reminded_due,
                     int reminded_overdue)
{
    if (today > due)
        return reminded_overdue ? 0 : 2;
    if (due - today <= remind_days && !reminded_due)
        return 1;
    return 0;
}
