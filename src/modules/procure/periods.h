/* SPDX-License-Identifier: MIT
 * procure/periods.h - the pure rules of a procurement project's life (no
 * database): the method the tenant's thresholds derive from a budget, which
 * chosen methods need a recorded approval, the price-weight floor, and the
 * legal periods counted with the working calendar (calendar.h). Unit tests:
 * tests/unit/t_procure_periods.c.
 */
#ifndef BUREAU_PROCURE_PERIODS_H
#define BUREAU_PROCURE_PERIODS_H

#include "../org/calendar.h"

#include <stdint.h>

/* The tenant's thresholds (fen), read with pc_setting. */
struct pc_thresholds {
    int64_t tender;          /* tender_threshold_fen: goods and services */
    int64_t decentral;       /* decentral_limit_fen: goods and services */
    int64_t decentral_works; /* decentral_works_fen */
};

/* The method a budget of category ("goods", "works", "services") calls for:
 * below the decentralised limit the purchaser buys itself ("self" 自行采购),
 * from it a third-party agency ("agency"), and goods or services at or above
 * the public-tender threshold "public_tender" (政府采购法 第27条). */
const char *pc_derive_method(const char *category, int64_t budget_fen,
                             const struct pc_thresholds *t);

/* 1 when choosing method where derived is called for needs a recorded
 * approval: below the decentralised limit any method is lawful; from it a
 * purchaser may not buy itself nor buy from a single source without one;
 * at or above the public-tender threshold every method but a public tender
 * needs the finance department's prior approval (法 第27条, 第31条). */
int pc_method_needs_approval(const char *derived, const char *method);

/* The price weight's floor (percent) for comprehensive scoring: goods
 * goods_pct, services services_pct, works 0 (87号令 第55条 is for goods and
 * services). */
int pc_weight_floor(const char *category, int goods_pct, int services_pct);

/* ---- legal periods: days are local days since 1970-01-01 ---- */

/* The earliest bid deadline: days whole days after the documents were
 * issued (法 第35条: at least 20 days). */
int64_t pc_bid_deadline_min(int64_t issued_at, int days);

/* The dates a result published on day sets: the notice's last day (wd
 * working days after it), the complaint window's last day (complaint_wd
 * working days after the notice ends, 法 第52条), and the day by which the
 * contract is signed (contract_days days after the result, 法 第46条). */
struct pc_result_dates {
    int64_t notice_end, complaint_end, contract_due;
};
void pc_result_dates(const struct calendar *cal, int64_t day, int notice_wd, int complaint_wd,
                     int contract_days, struct pc_result_dates *out);

/* The n-th working day after day (a complaint's reply, 法 第53条; a
 * contract's publication, 实施条例 第50条). */
int64_t pc_workdays_after(const struct calendar *cal, int64_t day, int n);

#endif
