/* SPDX-License-Identifier: MIT
 * canteen/reconcile.c - the reconciliation of a day or a month (per canteen,
 * meal period and reader: spends, refunds, net, offline entries; the
 * tenant's subsidies and top-ups of the period), as JSON and as the finance
 * office's XLSX, and the canteen manager's day view.
 *
 * One grouped query on the (business_day, canteen_id) index, folded in C:
 * every figure of a canteen is the sum of its meal periods', every meal
 * period's the sum of its readers', and the totals the sum of the canteens'.
 */
#include "canteen.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/buf.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/export.h"
#include "../../engine/perm.h"
#include "../../engine/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#define MAX_CELLS 20000
#define MAX_NAMES 5000

struct fig {
    int64_t spend_count, spend_fen, refund_count, refund_fen, offline_count, offline_fen;
};

static void fig_add(struct fig *a, const struct fig *b)
{
    a->spend_count += b->spend_count;
    a->spend_fen += b->spend_fen;
    a->refund_count += b->refund_count;
    a->refund_fen += b->refund_fen;
    a->offline_count += b->offline_count;
    a->offline_fen += b->offline_fen;
}

static json_t *fig_json(const struct fig *f)
{
    return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "spend_count", (json_int_t)f->spend_count,
                     "spend_fen", (json_int_t)f->spend_fen, "refund_count",
                     (json_int_t)f->refund_count, "refund_fen", (json_int_t)f->refund_fen,
                     "net_fen", (json_int_t)(f->spend_fen - f->refund_fen), "offline_count",
                     (json_int_t)f->offline_count, "offline_fen", (json_int_t)f->offline_fen);
}

struct cell {
    int64_t canteen, reader;
    int meal; /* index in ct_meals, 4: none */
    struct fig f;
};

static int cell_cmp(const void *a, const void *b)
{
    const struct cell *x = a, *y = b;
    if (x->canteen != y->canteen)
        return x->canteen < y->canteen ? -1 : 1;
    if (x->meal != y->meal)
        return x->meal - y->meal;
    return (x->reader > y->reader) - (x->reader < y->reader);
}

struct name {
    int64_t id;
    const char *code, *name;
};
struct names {
    struct name *v;
    int n;
};

static int names_load(struct req *r, struct db_conn *c, const char *sql, struct names *out,
                      struct err *e)
{
    out->n = 0;
    out->v = arena_zalloc(r->a, sizeof(*out->v) * MAX_NAMES);
    if (!out->v)
        return err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
    struct db_stmt *st;
    int rc = db_prepare_ints(c, sql, DB_INTS(r->tenant_id), &st, e);
    if (rc)
        return rc;
    while ((rc = db_step(st, e)) == DB_ROW && out->n < MAX_NAMES) {
        struct name *k = &out->v[out->n++];
        k->id = db_col_int(st, 0);
        k->code = arena_strdup(r->a, db_col_text(st, 1, NULL));
        k->name = arena_strdup(r->a, db_col_text(st, 2, NULL));
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static const struct name *name_find(const struct names *l, int64_t id)
{
    for (int lo = 0, hi = l->n - 1; lo <= hi;) {
        int mid = (lo + hi) / 2;
        if (l->v[mid].id == id)
            return &l->v[mid];
        if (l->v[mid].id < id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

static int meal_index(const char *s)
{
    for (int i = 0; ct_meals[i].value; i++)
        if (s && !strcmp(s, ct_meals[i].value))
            return i;
    return 4;
}

/* The caller reads the whole tenant's ledger (a manager, finance, a leader,
 * an auditor): a card holder's own scope is not enough. */
static int tenant_reader(struct req *r, const char *verb)
{
    int rc = perm_check(r, &ct_transactions, verb);
    if (rc)
        return rc;
    if (perm_scope(r, &ct_transactions, verb) != SCOPE_TENANT)
        return err_set(&r->err, ERR_FORBIDDEN, NULL, "canteen.reconciliation.scope",
                       "the reconciliation is for those who read the whole ledger");
    return 0;
}

struct recon {
    struct cell *cells;
    int n;
    struct fig total;
    int64_t tenant_count[6], tenant_fen[6]; /* topup, subsidy, adjustment, reversal */
};

static const char *const tenant_kinds[] = {"topup", "subsidy", "adjustment", "reversal", NULL};

static int recon_load(struct req *r, struct db_conn *c, int64_t from, int64_t to, int64_t canteen,
                      struct recon *x, struct err *e)
{
    memset(x, 0, sizeof(*x));
    x->cells = arena_zalloc(r->a, sizeof(*x->cells) * MAX_CELLS);
    if (!x->cells)
        return err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
    char a[16], b[16];
    date_format(from, a, sizeof(a));
    date_format(to, b, sizeof(b));
    struct db_stmt *st;
    int rc = db_prepare_ints(
        c,
        canteen ? "SELECT canteen_id, meal, reader_id, kind, offline, COUNT(*), SUM(amount_fen), "
                  "SUM(delta_fen) FROM meal_transactions WHERE tenant_id = ? AND business_day >= "
                  "? AND business_day <= ? AND (canteen_id = ? OR canteen_id IS NULL) GROUP BY "
                  "canteen_id, meal, reader_id, kind, offline"
                : "SELECT canteen_id, meal, reader_id, kind, offline, COUNT(*), SUM(amount_fen), "
                  "SUM(delta_fen) FROM meal_transactions WHERE tenant_id = ? AND business_day >= "
                  "? AND business_day <= ? GROUP BY canteen_id, meal, reader_id, kind, offline",
        (const int64_t[]){r->tenant_id, 0, 0, canteen}, canteen ? 4 : 3, &st, e);
    if (rc)
        return rc;
    db_bind_text(st, 2, a, strlen(a));
    db_bind_text(st, 3, b, strlen(b));
    while ((rc = db_step(st, e)) == DB_ROW) {
        const char *kind = db_col_text(st, 3, NULL);
        int64_t cnt = db_col_int(st, 5), amt = db_col_int(st, 6), delta = db_col_int(st, 7);
        int spend = !strcmp(kind, "spend"), refund = !strcmp(kind, "refund");
        if (!spend && !refund) {
            for (int k = 0; tenant_kinds[k]; k++)
                if (!strcmp(kind, tenant_kinds[k]))
                    x->tenant_count[k] += cnt, x->tenant_fen[k] += delta;
            continue;
        }
        struct cell key = {.canteen = db_col_int(st, 0),
                           .meal =
                               meal_index(db_col_is_null(st, 1) ? NULL : db_col_text(st, 1, NULL)),
                           .reader = db_col_int(st, 2)};
        struct cell *k = NULL;
        for (int i = x->n - 1; i >= 0 && i >= x->n - 8; i--) /* rows come grouped */
            if (!cell_cmp(&x->cells[i], &key))
                k = &x->cells[i];
        if (!k) {
            if (x->n >= MAX_CELLS) {
                rc = err_set(e, ERR_BUDGET, NULL, NULL, "too many groups");
                break;
            }
            k = &x->cells[x->n++];
            *k = key;
        }
        struct fig f = {0};
        if (spend)
            f.spend_count = cnt, f.spend_fen = amt;
        else
            f.refund_count = cnt, f.refund_fen = amt;
        if (db_col_int(st, 4) && spend)
            f.offline_count = cnt, f.offline_fen = amt;
        fig_add(&k->f, &f);
        fig_add(&x->total, &f);
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    qsort(x->cells, (size_t)x->n, sizeof(*x->cells), cell_cmp);
    /* cells seen apart (the recent-window merge missed them) fold together */
    int w = 0;
    for (int i = 0; i < x->n; i++) {
        if (w && !cell_cmp(&x->cells[w - 1], &x->cells[i]))
            fig_add(&x->cells[w - 1].f, &x->cells[i].f);
        else
            x->cells[w++] = x->cells[i];
    }
    x->n = w;
    return 0;
}

static const char *const recon_params[] = {"day", "month", "canteen_id", NULL};

static int write_fig(lxw_worksheet *ws, lxw_row_t row, int col, const struct fig *f,
                     lxw_format *money)
{
    worksheet_write_number(ws, row, (lxw_col_t)col, (double)f->spend_count, NULL);
    worksheet_write_number(ws, row, (lxw_col_t)(col + 1), (double)f->spend_fen / 100, money);
    worksheet_write_number(ws, row, (lxw_col_t)(col + 2), (double)f->refund_count, NULL);
    worksheet_write_number(ws, row, (lxw_col_t)(col + 3), (double)f->refund_fen / 100, money);
    worksheet_write_number(ws, row, (lxw_col_t)(col + 4),
                           (double)(f->spend_fen - f->refund_fen) / 100, money);
    worksheet_write_number(ws, row, (lxw_col_t)(col + 5), (double)f->offline_count, NULL);
    worksheet_write_number(ws, row, (lxw_col_t)(col + 6), (double)f->offline_fen / 100, money);
    return 0;
}

int ct_reconciliation(struct req *r)
{
    size_t plen = strlen(r->path);
    int xlsx = plen > 5 && !strcmp(r->path + plen - 5, ".xlsx");
    int rc = tenant_reader(r, xlsx ? "export" : "read");
    int64_t canteen, from, to;
    if (rc || (rc = report_params_only(r, recon_params)) ||
        (rc = report_param_int(r, "canteen_id", 1, INT64_MAX, 0, &canteen)))
        return rc;
    const char *ds = req_query(r, "day"), *ms = req_query(r, "month");
    if (ds && *ds && ms && *ms)
        return err_set(&r->err, ERR_BAD_QUERY, "month", "canteen.reconciliation.period",
                       "give day=YYYY-MM-DD or month=YYYY-MM, not both");
    int monthly = ms && *ms;
    if (monthly) {
        if ((rc = report_param_month(r, "month", report_today(r), &from)))
            return rc;
        char d[16];
        date_format(from + 31, d, sizeof(d));
        memcpy(d + 8, "01", 3);
        if (date_parse(d, 10, &to))
            return err_set(&r->err, ERR_INTERNAL, NULL, NULL, "bad month");
        to--;
    } else {
        if ((rc = report_param_day(r, "day", report_today(r), &from)))
            return rc;
        to = from;
    }
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    struct names canteens, readers;
    struct recon x;
    if ((rc =
             names_load(r, c, "SELECT id, code, name FROM canteens WHERE tenant_id = ? ORDER BY id",
                        &canteens, &r->err)) ||
        (rc = names_load(r, c,
                         "SELECT id, code, name FROM meal_readers WHERE tenant_id = ? ORDER BY id",
                         &readers, &r->err)))
        return rc;
    if (canteen && !name_find(&canteens, canteen))
        return err_set(&r->err, ERR_BAD_QUERY, "canteen_id", "canteen.reconciliation.canteen",
                       "no canteen {canteen_id}%lld", (long long)canteen);
    if ((rc = recon_load(r, c, from, to, canteen, &x, &r->err)))
        return rc;
    char a[16], b[16], period[16];
    date_format(from, a, sizeof(a));
    date_format(to, b, sizeof(b));
    snprintf(period, sizeof(period), "%s", a);
    if (monthly)
        period[7] = 0;

    if (xlsx) {
        static const char *const head[] = {
            "食堂",     "餐次",         "读卡器",   "消费笔数", "消费金额(元)",
            "退款笔数", "退款金额(元)", "净额(元)", "离线笔数", "离线金额(元)"};
        struct export_xlsx book;
        rc = export_xlsx_open(r, &book, 0);
        lxw_workbook *wb = book.wb;
        char sheet[32];
        snprintf(sheet, sizeof(sheet), "对账%s", period);
        lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, sheet) : NULL;
        if (!rc && !ws)
            rc = err_set(&r->err, ERR_INTERNAL, NULL, NULL, "cannot add a sheet");
        if (!rc) {
            lxw_format *bold = workbook_add_format(wb), *money = workbook_add_format(wb),
                       *bmoney = workbook_add_format(wb);
            format_set_bold(bold);
            format_set_num_format(money, "#,##0.00");
            format_set_bold(bmoney);
            format_set_num_format(bmoney, "#,##0.00");
            worksheet_set_column(ws, 0, 0, 22, NULL);
            worksheet_set_column(ws, 1, 2, 14, NULL);
            worksheet_set_column(ws, 3, 9, 14, NULL);
            for (int k = 0; k < 10; k++)
                worksheet_write_string(ws, 0, (lxw_col_t)k, head[k], bold);
            lxw_row_t row = 1;
            for (int i = 0; i < x.n;) {
                int64_t cid = x.cells[i].canteen;
                const struct name *cn = name_find(&canteens, cid);
                struct fig sub = {0};
                for (; i < x.n && x.cells[i].canteen == cid; i++) {
                    const struct cell *k = &x.cells[i];
                    const struct name *rn = name_find(&readers, k->reader);
                    worksheet_write_string(ws, row, 0, cn ? cn->name : "", NULL);
                    worksheet_write_string(ws, row, 1, k->meal < 4 ? ct_meals[k->meal].zh : "",
                                           NULL);
                    worksheet_write_string(ws, row, 2, rn ? rn->code : "", NULL);
                    write_fig(ws, row++, 3, &k->f, money);
                    fig_add(&sub, &k->f);
                }
                char t[120];
                snprintf(t, sizeof(t), "%s 小计", cn ? cn->name : "");
                worksheet_write_string(ws, row, 0, t, bold);
                write_fig(ws, row++, 3, &sub, bmoney);
            }
            worksheet_write_string(ws, row, 0, "合计", bold);
            write_fig(ws, row++, 3, &x.total, bmoney);
            row++;
            static const char *const tk_zh[] = {"充值", "补贴", "调账", "冲正"};
            worksheet_write_string(ws, row, 0, "全局资金", bold);
            worksheet_write_string(ws, row, 3, "笔数", bold);
            worksheet_write_string(ws, row++, 4, "金额(元)", bold);
            for (int k = 0; k < 4; k++) {
                worksheet_write_string(ws, row, 0, tk_zh[k], NULL);
                worksheet_write_number(ws, row, 3, (double)x.tenant_count[k], NULL);
                worksheet_write_number(ws, row++, 4, (double)x.tenant_fen[k] / 100, money);
            }
        }
        return export_xlsx_close(r, &book, rc, "canteen-reconciliation");
    }

    json_t *list = report_keep(r, json_array());
    for (int i = 0; i < x.n;) {
        int64_t cid = x.cells[i].canteen;
        const struct name *cn = name_find(&canteens, cid);
        struct fig sub = {0};
        json_t *meals = json_array();
        while (i < x.n && x.cells[i].canteen == cid) {
            int meal = x.cells[i].meal;
            struct fig ms_ = {0};
            json_t *rd = json_array();
            for (; i < x.n && x.cells[i].canteen == cid && x.cells[i].meal == meal; i++) {
                const struct cell *k = &x.cells[i];
                const struct name *rn = name_find(&readers, k->reader);
                json_t *o = fig_json(&k->f);
                json_object_set_new(o, "reader_id",
                                    k->reader ? json_integer(k->reader) : json_null());
                json_object_set_new(o, "reader", json_string(rn ? rn->code : ""));
                json_object_set_new(o, "reader_name", json_string(rn ? rn->name : ""));
                json_array_append_new(rd, o);
                fig_add(&ms_, &k->f);
            }
            json_t *o = fig_json(&ms_);
            json_object_set_new(o, "meal",
                                meal < 4 ? json_string(ct_meals[meal].value) : json_null());
            json_object_set_new(o, "readers", rd);
            json_array_append_new(meals, o);
            fig_add(&sub, &ms_);
        }
        json_t *o = fig_json(&sub);
        json_object_set_new(o, "canteen_id", cid ? json_integer(cid) : json_null());
        json_object_set_new(o, "code", json_string(cn ? cn->code : ""));
        json_object_set_new(o, "name", json_string(cn ? cn->name : ""));
        json_object_set_new(o, "meals", meals);
        json_array_append_new(list, o);
    }
    json_t *tenant = json_object();
    for (int k = 0; tenant_kinds[k]; k++)
        json_object_set_new(tenant, tenant_kinds[k],
                            json_pack("{s:I,s:I}", "count", (json_int_t)x.tenant_count[k],
                                      "amount_fen", (json_int_t)x.tenant_fen[k]));
    json_t *doc = json_pack("{s:s,s:s,s:s,s:s,s:O,s:o,s:o}", "period", monthly ? "month" : "day",
                            "from", a, "to", b, monthly ? "month" : "day", period, "canteens", list,
                            "total", fig_json(&x.total), "tenant", tenant);
    if (doc && canteen)
        json_object_set_new(doc, "canteen_id", json_integer(canteen));
    return report_send(r, doc);
}

/* ---- the canteen manager's day ---- */

struct dayfig {
    int64_t count, fen, refunds_fen, diners;
};

static int day_load(struct req *r, struct db_conn *c, int64_t day, int64_t canteen,
                    struct dayfig meals[5], struct dayfig *total, struct names *readers,
                    int64_t *rcount, int64_t *rfen, struct err *e)
{
    memset(meals, 0, sizeof(struct dayfig) * 5);
    memset(total, 0, sizeof(*total));
    char d[16];
    date_format(day, d, sizeof(d));
    struct db_stmt *st;
    int rc = db_prepare_ints(c,
                             "SELECT meal, reader_id, kind, COUNT(*), SUM(amount_fen) FROM "
                             "meal_transactions WHERE tenant_id = ? AND business_day = ? AND "
                             "canteen_id = ? GROUP BY meal, reader_id, kind",
                             DB_INTS(r->tenant_id, 0, canteen), &st, e);
    if (rc)
        return rc;
    db_bind_text(st, 2, d, strlen(d));
    while ((rc = db_step(st, e)) == DB_ROW) {
        int m = meal_index(db_col_is_null(st, 0) ? NULL : db_col_text(st, 0, NULL));
        const char *kind = db_col_text(st, 2, NULL);
        int64_t n = db_col_int(st, 3), fen = db_col_int(st, 4);
        if (!strcmp(kind, "spend")) {
            meals[m].count += n, meals[m].fen += fen;
            total->count += n, total->fen += fen;
            if (readers) {
                const struct name *rn = name_find(readers, db_col_int(st, 1));
                if (rn)
                    rcount[rn - readers->v] += n, rfen[rn - readers->v] += fen;
            }
        } else if (!strcmp(kind, "refund")) {
            meals[m].refunds_fen += fen, total->refunds_fen += fen;
        }
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    if ((rc = db_prepare_ints(c,
                              "SELECT meal, COUNT(DISTINCT person_id) FROM meal_transactions "
                              "WHERE tenant_id = ? AND business_day = ? AND canteen_id = ? AND "
                              "kind = 'spend' GROUP BY meal",
                              DB_INTS(r->tenant_id, 0, canteen), &st, e)))
        return rc;
    db_bind_text(st, 2, d, strlen(d));
    while ((rc = db_step(st, e)) == DB_ROW)
        meals[meal_index(db_col_is_null(st, 0) ? NULL : db_col_text(st, 0, NULL))].diners =
            db_col_int(st, 1);
    db_reset(st);
    if (rc < 0)
        return rc;
    int64_t diners = 0;
    if ((rc = db_prepare_ints(c,
                              "SELECT COUNT(DISTINCT person_id) FROM meal_transactions WHERE "
                              "tenant_id = ? AND business_day = ? AND canteen_id = ? AND kind = "
                              "'spend'",
                              DB_INTS(r->tenant_id, 0, canteen), &st, e)))
        return rc;
    db_bind_text(st, 2, d, strlen(d));
    if ((rc = db_step(st, e)) == DB_ROW)
        diners = db_col_int(st, 0);
    db_reset(st);
    total->diners = diners;
    return rc < 0 ? rc : 0;
}

static json_t *dayfig_json(const struct dayfig *f)
{
    return json_pack("{s:I,s:I,s:I,s:I}", "count", (json_int_t)f->count, "amount_fen",
                     (json_int_t)f->fen, "refund_fen", (json_int_t)f->refunds_fen, "diners",
                     (json_int_t)f->diners);
}

int ct_day_view(struct req *r)
{
    static const char *const params[] = {"canteen_id", "day", NULL};
    int64_t canteen, day;
    int rc = tenant_reader(r, "read");
    if (rc || (rc = report_params_only(r, params)) ||
        (rc = report_param_int(r, "canteen_id", 1, INT64_MAX, 0, &canteen)) ||
        (rc = report_param_day(r, "day", report_today(r), &day)))
        return rc;
    if (!canteen)
        return err_set(&r->err, ERR_BAD_QUERY, "canteen_id", "canteen.day.canteen",
                       "give canteen_id");
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    struct names readers;
    if ((rc = names_load(r, c,
                         "SELECT id, code, name FROM meal_readers WHERE tenant_id = ? ORDER BY id",
                         &readers, &r->err)))
        return rc;
    int64_t *rcount = arena_zalloc(r->a, sizeof(int64_t) * (size_t)(readers.n + 1));
    int64_t *rfen = arena_zalloc(r->a, sizeof(int64_t) * (size_t)(readers.n + 1));
    if (!rcount || !rfen)
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "out of memory");
    struct dayfig now[5], then[5], tn, tt;
    if ((rc = day_load(r, c, day, canteen, now, &tn, &readers, rcount, rfen, &r->err)) ||
        (rc = day_load(r, c, day - 7, canteen, then, &tt, NULL, NULL, NULL, &r->err)))
        return rc;
    json_t *meals = report_keep(r, json_array()), *rd = report_keep(r, json_array());
    for (int m = 0; m < 5; m++) {
        if (!now[m].count && !then[m].count && !now[m].refunds_fen)
            continue;
        json_t *o = dayfig_json(&now[m]);
        json_object_set_new(o, "meal", m < 4 ? json_string(ct_meals[m].value) : json_null());
        json_object_set_new(o, "last_week", dayfig_json(&then[m]));
        json_array_append_new(meals, o);
    }
    for (int i = 0; i < readers.n; i++)
        if (rcount[i])
            json_array_append_new(
                rd, json_pack("{s:I,s:s,s:s,s:I,s:I}", "reader_id", (json_int_t)readers.v[i].id,
                              "code", readers.v[i].code, "name", readers.v[i].name, "count",
                              (json_int_t)rcount[i], "amount_fen", (json_int_t)rfen[i]));
    char d[16], w[16];
    date_format(day, d, sizeof(d));
    date_format(day - 7, w, sizeof(w));
    return report_send(r,
                       json_pack("{s:I,s:s,s:s,s:O,s:O,s:o,s:o}", "canteen_id", (json_int_t)canteen,
                                 "day", d, "compare_day", w, "meals", meals, "readers", rd, "total",
                                 dayfig_json(&tn), "last_week", dayfig_json(&tt)));
}
