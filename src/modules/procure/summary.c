/* SPDX-License-Identifier: MIT
 * procure/summary.c - the procurement card on the dashboard, with the
 * year's figures the way the source reports them: projects reviewed
 * (approved this year, other than the public tenders) and their budgets, the savings of the year's
 * contracts, the public tenders and their budgets, the projects in
 * progress, and the contracts overdue (a project awaiting its contract past
 * contract_due, or a contract unpublished past publish_due). For whoever
 * reads every project of the tenant.
 */
#include "life.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../engine/report.h"

#include <stdio.h>
#include <string.h>

int pc_summary(struct req *r, struct db_conn *c, json_t *cards, struct err *e)
{
    if (perm_scope(r, &pc_projects, "read") != SCOPE_TENANT)
        return 0;
    int64_t today = report_today(r);
    char d[16], y0[16], y1[16];
    date_format(today, d, sizeof(d));
    snprintf(y0, sizeof(y0), "%.4s-01-01", d);
    snprintf(y1, sizeof(y1), "%.4s-12-31", d);
    int64_t off = (int64_t)r->utc_offset_min * 60, t0 = 0, t1 = 0;
    date_parse(y0, 10, &t0);
    date_parse(y1, 10, &t1);
    t0 = t0 * 86400 - off;
    t1 = (t1 + 1) * 86400 - off;
    int64_t v[10] = {0};
    static const char *const sql[] = {
        /* reviewed: approved this year below the public tender (the source's 77 projects
         * worth 27 million yuan, beside its 11 public tenders worth 61 million) */
        "SELECT COUNT(*), COALESCE(SUM(budget_fen), 0) FROM procurement_projects WHERE "
        "tenant_id = ? AND approved_at >= ? AND approved_at < ? AND method <> 'public_tender'",
        "SELECT COUNT(*), COALESCE(SUM(budget_fen), 0) FROM procurement_projects WHERE "
        "tenant_id = ? AND approved_at >= ? AND approved_at < ? AND method = 'public_tender'",
    };
    int rc = 0;
    for (int k = 0; k < 2 && !rc; k++) {
        struct db_stmt *st;
        if ((rc = db_prepare_ints(c, sql[k], DB_INTS(r->tenant_id, t0, t1), &st, e)))
            break;
        if ((rc = db_step(st, e)) == DB_ROW)
            v[2 * k] = db_col_int(st, 0), v[2 * k + 1] = db_col_int(st, 1);
        db_reset(st);
        rc = rc < 0 ? rc : 0;
    }
    static const char *const tsql[] = {
        "SELECT COUNT(*), COALESCE(SUM(budget_fen - amount_fen), 0) FROM contracts WHERE "
        "tenant_id = ? AND signed_on >= ? AND signed_on <= ?",
        "SELECT COUNT(*), 0 FROM procurement_projects WHERE tenant_id = ? AND status = 'contract' "
        "AND contract_due < ? AND ? <> ''",
        "SELECT COUNT(*), 0 FROM contracts WHERE tenant_id = ? AND published_on IS NULL AND "
        "publish_due < ? AND ? <> ''",
    };
    for (int k = 0; k < 3 && !rc; k++) {
        struct db_stmt *st;
        if ((rc = db_prepare(c, tsql[k], &st, e)))
            break;
        db_bind_int(st, 1, r->tenant_id);
        db_bind_text(st, 2, k ? d : y0, 10);
        db_bind_text(st, 3, k ? d : y1, 10);
        if ((rc = db_step(st, e)) == DB_ROW)
            v[4 + 2 * k] = db_col_int(st, 0), v[5 + 2 * k] = db_col_int(st, 1);
        db_reset(st);
        rc = rc < 0 ? rc : 0;
    }
    int64_t progress = 0;
    if (!rc && (rc = db_one_int(c,
                                "SELECT COUNT(*) FROM procurement_projects WHERE tenant_id = ? "
                                "AND status NOT IN ('draft', 'closed', 'cancelled')",
                                DB_INTS(r->tenant_id), &progress, e)) > 0)
        rc = 0;
    if (rc)
        return rc;
    json_t *card = json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "id",
                             "procure", "kind", "kpi", "zh", "阳光采购", "en", "Procurement",
                             "year", (const char[5]){d[0], d[1], d[2], d[3], 0}, "reviewed",
                             (json_int_t)v[0], "reviewed_fen", (json_int_t)v[1], "tenders",
                             (json_int_t)v[2], "tenders_fen", (json_int_t)v[3], "contracts",
                             (json_int_t)v[4], "savings_fen", (json_int_t)v[5], "in_progress",
                             (json_int_t)progress, "overdue_contracts", (json_int_t)(v[6] + v[8]));
    if (!card)
        return err_set(e, ERR_INTERNAL, NULL, NULL, "out of memory");
    json_object_set_new(card, "period", json_pack("{s:s,s:s}", "from", y0, "to", d));
    json_object_set_new(card, "link", json_string("/procure/savings"));
    json_object_set_new(
        card, "labels",
        json_pack("{s:{s:s,s:s},s:{s:s,s:s},s:{s:s,s:s},s:{s:s,s:s},s:{s:s,s:s},s:{s:s,s:s},s:{s:"
                  "s,s:s},s:{s:s,s:s}}",
                  "reviewed", "zh", "审核采购项目", "en", "Projects reviewed", "reviewed_fen", "zh",
                  "项目金额", "en", "Their budgets", "savings_fen", "zh", "节约资金", "en",
                  "Savings", "tenders", "zh", "公开招标", "en", "Public tenders", "tenders_fen",
                  "zh", "招标金额", "en", "Tender budgets", "contracts", "zh", "签订合同", "en",
                  "Contracts signed", "in_progress", "zh", "进行中", "en", "In progress",
                  "overdue_contracts", "zh", "合同逾期", "en", "Contracts overdue"));
    json_array_append_new(cards, card);
    return 0;
}
