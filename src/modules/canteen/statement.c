/* SPDX-License-Identifier: MIT
 * canteen/statement.c - a meal card's month-end statement (JSON and XLSX):
 * the balance the month opened with (the sum of every entry before it),
 * each entry of the month, the closing balance and the totals by kind. A
 * card holder reads their own card's (the "assigned" scope), managers any.
 */
#include "canteen.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/export.h"
#include "../../engine/report.h"
#include "../../engine/rest.h"
#include "../../engine/workflow.h"
#include "../org/org.h"

#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

static const char *const kinds[] = {"topup",      "subsidy",  "spend", "refund",
                                    "adjustment", "reversal", NULL};
static const char *const kinds_zh[] = {"充值", "补贴", "消费", "退款", "调账", "冲正"};

struct entry {
    int64_t id, at, amount, delta, balance, canteen;
    const char *kind, *day, *meal, *note;
};

int ct_statement(struct req *r)
{
    static const char *const params[] = {"month", NULL};
    size_t plen = strlen(r->path);
    int xlsx = plen > 5 && !strcmp(r->path + plen - 5, ".xlsx");
    int64_t id, first;
    struct db_conn *c;
    json_t *rec;
    int rc = rest_record(r, &ct_accounts, "read", &id, &c, &rec);
    if (rc || (rc = report_params_only(r, params)) ||
        (rc = report_param_month(r, "month", report_today(r), &first)))
        return rc;
    char d[16], month[16];
    date_format(first, month, sizeof(month));
    month[7] = 0;
    date_format(first + 31, d, sizeof(d));
    memcpy(d + 8, "01", 3);
    int64_t next;
    if (date_parse(d, 10, &next))
        return err_set(&r->err, ERR_INTERNAL, NULL, NULL, "bad month");
    int64_t off = (int64_t)r->utc_offset_min * 60;
    int64_t t0 = first * 86400 - off, t1 = next * 86400 - off;
    struct db_stmt *st;
    int64_t opening = 0;
    if ((rc = db_prepare_ints(c,
                              "SELECT COALESCE(SUM(delta_fen), 0) FROM meal_transactions WHERE "
                              "tenant_id = ? AND account_id = ? AND at < ?",
                              DB_INTS(r->tenant_id, id, t0), &st, &r->err)))
        return rc;
    if ((rc = db_step(st, &r->err)) == DB_ROW)
        opening = db_col_int(st, 0);
    db_reset(st);
    if (rc < 0)
        return rc;
    struct entry *v = NULL;
    int n = 0, cap = 0;
    if ((rc = db_prepare_ints(c,
                              "SELECT t.id, t.at, t.amount_fen, t.delta_fen, t.balance_fen, "
                              "t.canteen_id, t.kind, t.business_day, t.meal, t.note FROM "
                              "meal_transactions t WHERE t.tenant_id = ? AND t.account_id = ? "
                              "AND t.at >= ? AND t.at < ? ORDER BY t.at, t.id",
                              DB_INTS(r->tenant_id, id, t0, t1), &st, &r->err)))
        return rc;
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        if (n == cap) {
            int more = cap ? cap * 2 : 128;
            struct entry *w =
                arena_realloc(r->a, v, sizeof(*v) * (size_t)cap, sizeof(*v) * (size_t)more);
            if (!w) {
                rc = err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
                break;
            }
            v = w, cap = more;
        }
        struct entry *x = &v[n++];
        x->id = db_col_int(st, 0);
        x->at = db_col_int(st, 1);
        x->amount = db_col_int(st, 2);
        x->delta = db_col_int(st, 3);
        x->balance = db_col_int(st, 4);
        x->canteen = db_col_int(st, 5);
        x->kind = arena_strdup(r->a, db_col_text(st, 6, NULL));
        x->day = arena_strdup(r->a, db_col_text(st, 7, NULL));
        x->meal = db_col_is_null(st, 8) ? NULL : arena_strdup(r->a, db_col_text(st, 8, NULL));
        x->note = db_col_is_null(st, 9) ? NULL : arena_strdup(r->a, db_col_text(st, 9, NULL));
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    int64_t cnt[6] = {0}, sum[6] = {0}, closing = opening, credits = 0, debits = 0;
    for (int i = 0; i < n; i++) {
        for (int k = 0; kinds[k]; k++)
            if (!strcmp(v[i].kind, kinds[k]))
                cnt[k]++, sum[k] += v[i].delta;
        closing += v[i].delta;
        if (v[i].delta > 0)
            credits += v[i].delta;
        else
            debits -= v[i].delta;
    }
    int64_t person = wf_int(rec, "person_id");
    const char *holder = NULL;
    if (person && (rc = org_person(r, c, person, &holder, NULL, &r->err)))
        return rc;
    const char *card = wf_str(rec, "card_no");

    if (xlsx) {
        struct export_xlsx book;
        rc = export_xlsx_open(r, &book, 0);
        lxw_workbook *wb = book.wb;
        lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, month) : NULL;
        if (!rc && !ws)
            rc = err_set(&r->err, ERR_INTERNAL, NULL, NULL, "cannot add a sheet");
        if (!rc) {
            lxw_format *bold = workbook_add_format(wb), *money = workbook_add_format(wb);
            format_set_bold(bold);
            format_set_num_format(money, "#,##0.00");
            worksheet_set_column(ws, 0, 0, 20, NULL);
            worksheet_set_column(ws, 1, 6, 14, NULL);
            char title[160];
            snprintf(title, sizeof(title), "饭卡对账单 %s 卡号 %s %s", month, card ? card : "",
                     holder ? holder : "");
            worksheet_write_string(ws, 0, 0, title, bold);
            worksheet_write_string(ws, 1, 0, "期初余额(元)", bold);
            worksheet_write_number(ws, 1, 1, (double)opening / 100, money);
            static const char *const head[] = {"时间",         "营业日",         "类型", "餐次",
                                               "余额变动(元)", "变动后余额(元)", "摘要"};
            for (int k = 0; k < 7; k++)
                worksheet_write_string(ws, 3, (lxw_col_t)k, head[k], bold);
            lxw_row_t row = 4;
            for (int i = 0; i < n; i++, row++) {
                char t[32];
                int64_t lt = v[i].at + off;
                date_format(lt / 86400, t, sizeof(t));
                snprintf(t + 10, sizeof(t) - 10, " %02d:%02d", (int)(lt % 86400 / 3600),
                         (int)(lt % 3600 / 60));
                worksheet_write_string(ws, row, 0, t, NULL);
                worksheet_write_string(ws, row, 1, v[i].day, NULL);
                const char *kz = v[i].kind;
                for (int k = 0; kinds[k]; k++)
                    if (!strcmp(v[i].kind, kinds[k]))
                        kz = kinds_zh[k];
                worksheet_write_string(ws, row, 2, kz, NULL);
                const char *mz = "";
                for (int k = 0; v[i].meal && ct_meals[k].value; k++)
                    if (!strcmp(v[i].meal, ct_meals[k].value))
                        mz = ct_meals[k].zh;
                worksheet_write_string(ws, row, 3, mz, NULL);
                worksheet_write_number(ws, row, 4, (double)v[i].delta / 100, money);
                worksheet_write_number(ws, row, 5, (double)v[i].balance / 100, money);
                worksheet_write_string(ws, row, 6, v[i].note ? v[i].note : "", NULL);
            }
            row++;
            worksheet_write_string(ws, row, 0, "期末余额(元)", bold);
            worksheet_write_number(ws, row++, 1, (double)closing / 100, money);
            for (int k = 0; kinds[k]; k++) {
                char t[40];
                snprintf(t, sizeof(t), "%s(元)", kinds_zh[k]);
                worksheet_write_string(ws, row, 0, t, NULL);
                worksheet_write_number(ws, row, 1, (double)cnt[k], NULL);
                worksheet_write_number(ws, row++, 2, (double)sum[k] / 100, money);
            }
        }
        return export_xlsx_close(r, &book, rc, "meal-card-statement");
    }
    json_t *items = report_keep(r, json_array());
    for (int i = 0; i < n; i++) {
        json_t *o = json_pack("{s:I,s:o,s:s,s:s,s:I,s:I,s:I}", "id", (json_int_t)v[i].id, "at",
                              wf_time_json(r, v[i].at), "business_day", v[i].day, "kind", v[i].kind,
                              "amount_fen", (json_int_t)v[i].amount, "delta_fen",
                              (json_int_t)v[i].delta, "balance_fen", (json_int_t)v[i].balance);
        json_object_set_new(o, "canteen_id",
                            v[i].canteen ? json_integer(v[i].canteen) : json_null());
        json_object_set_new(o, "meal", report_str(v[i].meal));
        json_object_set_new(o, "note", report_str(v[i].note));
        json_array_append_new(items, o);
    }
    json_t *totals = json_object();
    for (int k = 0; kinds[k]; k++)
        json_object_set_new(
            totals, kinds[k],
            json_pack("{s:I,s:I}", "count", (json_int_t)cnt[k], "delta_fen", (json_int_t)sum[k]));
    json_t *doc =
        json_pack("{s:I,s:s,s:s,s:I,s:I,s:I,s:I,s:o,s:O}", "account_id", (json_int_t)id, "month",
                  month, "card_no", card ? card : "", "opening_fen", (json_int_t)opening,
                  "closing_fen", (json_int_t)closing, "credits_fen", (json_int_t)credits,
                  "debits_fen", (json_int_t)debits, "totals", totals, "entries", items);
    if (doc) {
        json_object_set_new(doc, "person_id", person ? json_integer(person) : json_null());
        json_object_set_new(doc, "holder", report_str(holder));
    }
    return report_send(r, doc);
}
