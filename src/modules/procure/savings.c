/* SPDX-License-Identifier: MIT
 * procure/savings.c - the savings report: savings = budget − contract amount
 * for each contract signed in the year, totalled per purchasing department
 * and for the year (JSON, and XLSX in yuan with two decimals). Read by whoever
 * reads every contract of the tenant (procurement managers, leaders,
 * auditors).
 */
#include "life.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/export.h"
#include "../../engine/perm.h"
#include "../../engine/report.h"
#include "../org/org.h"

#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

struct line {
    int64_t contract, project, dept, budget, amount;
    const char *code, *pcode, *name, *method, *signed_on;
};

struct dept_sum {
    int64_t id, n, budget, amount;
    const char *name;
};

int pc_savings(struct req *r)
{
    static const char *const params[] = {"year", NULL};
    size_t plen = strlen(r->path);
    int xlsx = plen > 5 && !strcmp(r->path + plen - 5, ".xlsx");
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    int rc = perm_check(r, &pc_contracts, "read");
    if (rc)
        return rc;
    if (perm_scope(r, &pc_contracts, "read") != SCOPE_TENANT)
        return err_set(&r->err, ERR_FORBIDDEN, NULL, "procure.savings.tenant",
                       "the savings report covers every contract of the unit");
    char d[16];
    date_format(report_today(r), d, sizeof(d));
    int64_t year;
    if ((rc = report_params_only(r, params)) ||
        (rc = report_param_int(
             r, "year", 2000, 2100,
             (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0'), &year)))
        return rc;
    char y0[16], y1[16];
    snprintf(y0, sizeof(y0), "%04lld-01-01", (long long)year);
    snprintf(y1, sizeof(y1), "%04lld-12-31", (long long)year);
    struct db_stmt *st;
    if ((rc = db_prepare(c,
                         "SELECT k.id, k.project_id, k.department_id, k.budget_fen, k.amount_fen, "
                         "k.code, p.code, p.name, p.method, k.signed_on FROM contracts k JOIN "
                         "procurement_projects p ON p.tenant_id = k.tenant_id AND p.id = "
                         "k.project_id WHERE k.tenant_id = ? AND k.signed_on >= ? AND "
                         "k.signed_on <= ? ORDER BY k.signed_on, k.id",
                         &st, &r->err)))
        return rc;
    db_bind_int(st, 1, r->tenant_id);
    db_bind_text(st, 2, y0, strlen(y0));
    db_bind_text(st, 3, y1, strlen(y1));
    struct line *v = NULL;
    int n = 0, cap = 0;
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        if (n == cap) {
            int more = cap ? cap * 2 : 64;
            struct line *x =
                arena_realloc(r->a, v, sizeof(*v) * (size_t)cap, sizeof(*v) * (size_t)more);
            if (!x) {
                rc = err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
                break;
            }
            v = x, cap = more;
        }
        struct line *l = &v[n++];
        l->contract = db_col_int(st, 0);
        l->project = db_col_int(st, 1);
        l->dept = db_col_int(st, 2);
        l->budget = db_col_int(st, 3);
        l->amount = db_col_int(st, 4);
        l->code = arena_strdup(r->a, db_col_text(st, 5, NULL));
        l->pcode = arena_strdup(r->a, db_col_text(st, 6, NULL));
        l->name = arena_strdup(r->a, db_col_text(st, 7, NULL));
        l->method = arena_strdup(r->a, db_col_text(st, 8, NULL));
        l->signed_on = arena_strdup(r->a, db_col_text(st, 9, NULL));
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    struct org_dept_list depts;
    if ((rc = org_dept_list_load(r, c, &depts, &r->err)))
        return rc;
    struct dept_sum *ds = arena_alloc(r->a, sizeof(*ds) * (size_t)(n ? n : 1));
    int nd = 0;
    int64_t tb = 0, ta = 0;
    if (!ds)
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    for (int i = 0; i < n; i++) {
        int k = 0;
        while (k < nd && ds[k].id != v[i].dept)
            k++;
        if (k == nd) {
            const struct org_dept_row *dr = org_dept_list_find(&depts, v[i].dept);
            ds[nd++] = (struct dept_sum){.id = v[i].dept, .name = dr ? dr->name : ""};
        }
        ds[k].n++;
        ds[k].budget += v[i].budget;
        ds[k].amount += v[i].amount;
        tb += v[i].budget;
        ta += v[i].amount;
    }
    /* departments by savings, the largest first */
    for (int i = 1; i < nd; i++)
        for (int j = i;
             j > 0 && (ds[j - 1].budget - ds[j - 1].amount < ds[j].budget - ds[j].amount ||
                       (ds[j - 1].budget - ds[j - 1].amount == ds[j].budget - ds[j].amount &&
                        ds[j - 1].id > ds[j].id));
             j--) {
            struct dept_sum t = ds[j];
            ds[j] = ds[j - 1];
            ds[j - 1] = t;
        }
    if (xlsx) {
        struct export_xlsx book;
        rc = export_xlsx_open(r, &book, 0);
        lxw_workbook *wb = book.wb;
        lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "节约资金") : NULL;
        lxw_worksheet *wd = wb ? workbook_add_worksheet(wb, "按单位") : NULL;
        if (!rc && (!ws || !wd))
            rc = err_set(&r->err, ERR_INTERNAL, NULL, NULL, "cannot add a sheet");
        if (!rc) {
            lxw_format *bold = workbook_add_format(wb), *money = workbook_add_format(wb);
            format_set_bold(bold);
            format_set_num_format(money, "#,##0.00");
            char title[80];
            snprintf(title, sizeof(title), "%lld年政府采购节约资金", (long long)year);
            worksheet_write_string(ws, 0, 0, title, bold);
            static const char *const head[] = {
                "项目编号", "项目名称",     "采购单位",     "采购方式",     "合同编号",
                "签订日期", "预算金额(元)", "合同金额(元)", "节约资金(元)", "节约率(%)"};
            for (int k = 0; k < 10; k++)
                worksheet_write_string(ws, 2, (lxw_col_t)k, head[k], bold);
            worksheet_set_column(ws, 0, 0, 14, NULL);
            worksheet_set_column(ws, 1, 1, 36, NULL);
            worksheet_set_column(ws, 2, 9, 14, NULL);
            lxw_row_t row = 3;
            for (int i = 0; i < n; i++, row++) {
                const struct org_dept_row *dr = org_dept_list_find(&depts, v[i].dept);
                worksheet_write_string(ws, row, 0, v[i].pcode ? v[i].pcode : "", NULL);
                worksheet_write_string(ws, row, 1, v[i].name ? v[i].name : "", NULL);
                worksheet_write_string(ws, row, 2, dr && dr->name ? dr->name : "", NULL);
                const struct res_field *mf = res_field_find(&pc_projects, "method", 6);
                const char *mz = v[i].method ? v[i].method : "";
                for (int k = 0; mf && mf->values[k].value; k++)
                    if (wf_is(mf->values[k].value, v[i].method))
                        mz = mf->values[k].zh;
                worksheet_write_string(ws, row, 3, mz, NULL);
                worksheet_write_string(ws, row, 4, v[i].code ? v[i].code : "", NULL);
                worksheet_write_string(ws, row, 5, v[i].signed_on ? v[i].signed_on : "", NULL);
                worksheet_write_number(ws, row, 6, (double)v[i].budget / 100, money);
                worksheet_write_number(ws, row, 7, (double)v[i].amount / 100, money);
                worksheet_write_number(ws, row, 8, (double)(v[i].budget - v[i].amount) / 100,
                                       money);
                worksheet_write_number(
                    ws, row, 9,
                    v[i].budget ? (double)pct_tenths(v[i].budget - v[i].amount, v[i].budget) / 10
                                : 0,
                    NULL);
            }
            worksheet_write_string(ws, row, 0, "合计", bold);
            worksheet_write_number(ws, row, 6, (double)tb / 100, money);
            worksheet_write_number(ws, row, 7, (double)ta / 100, money);
            worksheet_write_number(ws, row, 8, (double)(tb - ta) / 100, money);
            static const char *const dh[] = {"采购单位", "合同数", "预算金额(元)", "合同金额(元)",
                                             "节约资金(元)"};
            for (int k = 0; k < 5; k++)
                worksheet_write_string(wd, 0, (lxw_col_t)k, dh[k], bold);
            worksheet_set_column(wd, 0, 0, 24, NULL);
            worksheet_set_column(wd, 1, 4, 14, NULL);
            for (int i = 0; i < nd; i++) {
                worksheet_write_string(wd, (lxw_row_t)(i + 1), 0, ds[i].name ? ds[i].name : "",
                                       NULL);
                worksheet_write_number(wd, (lxw_row_t)(i + 1), 1, (double)ds[i].n, NULL);
                worksheet_write_number(wd, (lxw_row_t)(i + 1), 2, (double)ds[i].budget / 100,
                                       money);
                worksheet_write_number(wd, (lxw_row_t)(i + 1), 3, (double)ds[i].amount / 100,
                                       money);
                worksheet_write_number(wd, (lxw_row_t)(i + 1), 4,
                                       (double)(ds[i].budget - ds[i].amount) / 100, money);
            }
        }
        return export_xlsx_close(r, &book, rc, "procurement-savings");
    }
    json_t *items = report_keep(r, json_array()), *dl = report_keep(r, json_array());
    for (int i = 0; i < n; i++)
        json_array_append_new(
            items, json_pack("{s:I,s:I,s:s?,s:s?,s:s?,s:s?,s:I,s:s?,s:I,s:I,s:I}", "contract_id",
                             (json_int_t)v[i].contract, "project_id", (json_int_t)v[i].project,
                             "code", v[i].pcode, "name", v[i].name, "method", v[i].method,
                             "contract_code", v[i].code, "department_id", (json_int_t)v[i].dept,
                             "signed_on", v[i].signed_on, "budget_fen", (json_int_t)v[i].budget,
                             "amount_fen", (json_int_t)v[i].amount, "savings_fen",
                             (json_int_t)(v[i].budget - v[i].amount)));
    for (int i = 0; i < nd; i++)
        json_array_append_new(
            dl, json_pack("{s:I,s:s?,s:I,s:I,s:I,s:I}", "department_id", (json_int_t)ds[i].id,
                          "name", ds[i].name, "contracts", (json_int_t)ds[i].n, "budget_fen",
                          (json_int_t)ds[i].budget, "amount_fen", (json_int_t)ds[i].amount,
                          "savings_fen", (json_int_t)(ds[i].budget - ds[i].amount)));
    json_t *doc = json_pack("{s:I,s:{s:I,s:I,s:I,s:I},s:O,s:O}", "year", (json_int_t)year, "total",
                            "contracts", (json_int_t)n, "budget_fen", (json_int_t)tb, "amount_fen",
                            (json_int_t)ta, "savings_fen", (json_int_t)(tb - ta), "departments", dl,
                            "projects", items);
    return report_send(r, doc);
}
