/* SPDX-License-Identifier: MIT
 * procure/periods.c - the pure rules of a project's life: see periods.h.
 */
#include "periods.h"

#include <string.h>

static int is(const char *a, const char *b)
{
    return a && b && !strcmp(a, b);
}

const char *pc_derive_method(const char *category, int64_t budget_fen,
                             const struct pc_thresholds *t)
{
    if (is(category, "works"))
        return budget_fen < t->decentral_works ? "self" : "agency";
    if (budget_fen < t->decentral)
        return "self";
    return budget_fen < t->tender ? "agency" : "public_tender";
}

int pc_method_needs_approval(const char *derived, const char *method)
{
    if (!method || is(derived, method) || is(derived, "self"))
        return 0;
    if (is(derived, "agency"))
        return is(method, "self") || is(method, "single_source");
    return !is(method, "public_tender");
}

int pc_weight_floor(const char *category, int goods_pct, int services_pct)
{
    if (is(category, "goods"))
        return goods_pct;
    if (is(category, "services"))
        return services_pct;
    return 0;
}

int64_t pc_bid_deadline_min(int64_t issued_at, int days)
{
    return issued_at + (int64_t)days * 86400;
}

int64_t pc_workdays_after(const struct calendar *cal, int64_t day, int n)
{
    return cal_add_workdays(cal, day, n);
}

void pc_result_dates(const struct calendar *cal, int64_t day, int notice_wd, int complaint_wd,
                     int contract_days, struct pc_result_dates *out)
{
    out->notice_end = cal_add_workdays(cal, day, notice_wd);
    out->complaint_end = cal_add_workdays(cal, out->notice_end, complaint_wd);
    out->contract_due = day + contract_days;
}
