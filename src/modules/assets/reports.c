/* SPDX-License-Identifier: MIT
 * assets/reports.c - the register's figures: the depreciation report by
 * category, class, department, age or status as of a month (JSON and XLSX),
 * one asset's schedule, the net values of a list's page, the assets in the
 * caller's own keeping, and the dashboard card.
 *
 * One scan of the register in the caller's scope, folded in C with
 * as_depreciate per row (never a query per asset or group). An asset counts
 * from the month it was acquired; one disposed of leaves the register in the
 * month of its disposal (no charge that month, gone from that month's
 * totals on). Categories not depreciated (land, heritage, books…) are shown
 * with their original value as their net value and carry no charge.
 */
#include "assets.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/buf.h"
#include "../../base/err.h"
#include "../../core/auth.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/export.h"
#include "../../engine/perm.h"
#include "../../engine/report.h"
#include "../../engine/rest.h"
#include "../org/org.h"

#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

#define MAX_CATS 1000
#define MAX_CLASSES 20000
#define MAX_GROUPS 4096 /* a power of two: the groups' hash */
#define MAX_SUBTREE 2000

/* ---- months ---- */

int64_t as_month_now(struct req *r)
{
    char d[16];
    date_format(report_today(r), d, sizeof(d));
    return as_month_of(d);
}

void as_month_text(int64_t m, char *out, size_t n)
{
    snprintf(out, n, "%04d-%02d", (int)(m / 12), (int)(m % 12) + 1);
}

/* ?asof=YYYY-MM as a month number (this month when absent). */
static int asof_param(struct req *r, int64_t *month)
{
    int64_t first;
    int rc = report_param_month(r, "asof", report_today(r), &first);
    if (rc)
        return rc;
    char d[16];
    date_format(first, d, sizeof(d));
    *month = as_month_of(d);
    return 0;
}

/* ---- the categories: depreciated or not ---- */

struct cat {
    int64_t id;
    int depreciated;
    const char *name;
};
struct cats {
    struct cat *v;
    int n;
};

static int cats_load(struct req *r, struct db_conn *c, struct cats *out, struct err *e)
{
    out->n = 0;
    out->v = arena_zalloc(r->a, sizeof(*out->v) * MAX_CATS);
    if (!out->v)
        return err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
    struct db_stmt *st;
    int rc = db_prepare_ints(c,
                             "SELECT id, depreciated, name FROM asset_categories WHERE tenant_id "
                             "= ? ORDER BY id",
                             DB_INTS(r->tenant_id), &st, e);
    if (rc)
        return rc;
    while ((rc = db_step(st, e)) == DB_ROW && out->n < MAX_CATS) {
        struct cat *k = &out->v[out->n++];
        k->id = db_col_int(st, 0);
        k->depreciated = (int)db_col_int(st, 1);
        k->name = arena_strdup(r->a, db_col_text(st, 2, NULL));
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static const struct cat *cat_find(const struct cats *l, int64_t id)
{
    int lo = 0, hi = l->n - 1;
    while (lo <= hi) {
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

/* ---- one asset as the scan reads it ---- */

struct row {
    int64_t id, cls, cat, dept, original, acquired, left;
    int years;
    const char *status; /* the scan's own copy is not kept: valid in the callback only */
};

/* The asset's depreciation as of month asof; 0 when it is not on the
 * register that month (acquired later, or disposed of by then). */
static int on_register(const struct row *w, int64_t asof)
{
    if (w->acquired < 0 || w->acquired > asof)
        return 0;
    if (!strcmp(w->status, "disposed") && (w->left < 0 || w->left <= asof))
        return 0;
    if (w->left >= 0 && w->left <= asof)
        return 0;
    return 1;
}

static void depreciate(const struct cats *cats, const struct row *w, int64_t asof, struct as_dep *d)
{
    const struct cat *k = cat_find(cats, w->cat);
    int years = k && k->depreciated ? w->years : 0;
    as_depreciate(w->original, w->acquired, years, asof, w->left, d);
}

typedef int (*row_fn)(void *ctx, const struct row *w);

/* Every asset of the tenant in the caller's read scope (perm_check done),
 * of the departments in depts (n 0: all), to fn. */
static int scan(struct req *r, struct db_conn *c, const int64_t *depts, int ndepts, row_fn fn,
                void *ctx, struct err *e)
{
    struct perm_filter pf;
    struct buf sql;
    perm_filter(r, &as_assets, &pf);
    buf_init(&sql, r->a);
    buf_puts(&sql, "SELECT id, class_id, category_id, department_id, original_value_fen, "
                   "acquired_on, useful_years, status, disposed_on FROM assets WHERE tenant_id "
                   "= ?");
    if (ndepts) {
        buf_puts(&sql, " AND department_id IN (?");
        for (int i = 1; i < ndepts; i++)
            buf_puts(&sql, ", ?");
        buf_putc(&sql, ')');
    }
    perm_filter_sql(&pf, &sql);
    if (!buf_ok(&sql))
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    struct db_stmt *st;
    int rc = db_prepare(c, sql.p, &st, e);
    if (rc)
        return rc;
    int k = 1;
    db_bind_int(st, k++, r->tenant_id);
    for (int i = 0; i < ndepts; i++)
        db_bind_int(st, k++, depts[i]);
    perm_filter_bind(&pf, st, k);
    while ((rc = db_step(st, e)) == DB_ROW) {
        struct row w;
        w.id = db_col_int(st, 0);
        w.cls = db_col_int(st, 1);
        w.cat = db_col_int(st, 2);
        w.dept = db_col_int(st, 3);
        w.original = db_col_int(st, 4);
        w.acquired = as_month_of(db_col_text(st, 5, NULL));
        w.years = (int)db_col_int(st, 6);
        w.status = db_col_text(st, 7, NULL);
        w.left = db_col_is_null(st, 8) ? -1 : as_month_of(db_col_text(st, 8, NULL));
        if ((rc = fn(ctx, &w)) < 0)
            break;
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* ---- groups ---- */

enum by { BY_CATEGORY, BY_CLASS, BY_DEPARTMENT, BY_AGE, BY_STATUS };
static const char *const by_names[] = {"category", "class", "department", "age", "status", NULL};

static const char *const age_bands[] = {"lt1", "1_3", "3_5", "5_8", "8plus", "full"};
static const char *const age_zh[] = {"不满1年", "1至3年",  "3至5年",
                                     "5至8年",  "8年以上", "已提足折旧"};
#define NAGE 6

static const char *const status_names[] = {"in_use", "idle",     "repair",           "pooled",
                                           "lent",   "disposed", "awaiting_disposal"};
static const char *const status_zh[] = {"在用", "闲置",   "维修中", "公物仓在库",
                                        "借出", "已处置", "待处置"};
#define NSTATUS 7

struct fig {
    int64_t count, original, accumulated, net, monthly, not_depreciated, full;
};

struct group {
    int64_t key; /* id, band or status index; 0 with used: none */
    int used;
    struct fig f;
};

struct fold {
    struct req *r;
    const struct cats *cats;
    int64_t asof;
    enum by by;
    struct group *g; /* MAX_GROUPS, hashed by key */
    int ngroups;
    struct fig total;
    int64_t idle; /* the card's idle assets */
};

static void fig_add(struct fig *f, const struct as_dep *d, int64_t original, int depreciated)
{
    f->count++;
    f->original += original;
    f->accumulated += d->accumulated;
    f->net += d->net;
    f->monthly += d->monthly;
    f->not_depreciated += !depreciated;
    f->full += depreciated && original > 0 && d->net == 0;
}

static struct group *group_of(struct fold *x, int64_t key)
{
    uint64_t h = (uint64_t)key * 0x9E3779B97F4A7C15ull;
    for (unsigned i = 0; i < MAX_GROUPS; i++) {
        struct group *g = &x->g[(h + i) & (MAX_GROUPS - 1)];
        if (!g->used) {
            if (x->ngroups >= MAX_GROUPS / 2)
                return NULL;
            g->used = 1;
            g->key = key;
            x->ngroups++;
            return g;
        }
        if (g->key == key)
            return g;
    }
    return NULL;
}

static int64_t status_index(const char *s)
{
    for (int i = 0; i < NSTATUS; i++)
        if (!strcmp(s, status_names[i]))
            return i;
    return 0;
}

static int fold_row(void *ctx, const struct row *w)
{
    struct fold *x = ctx;
    if (!on_register(w, x->asof))
        return 0;
    struct as_dep d;
    const struct cat *k = cat_find(x->cats, w->cat);
    int dep = k && k->depreciated && w->years > 0;
    depreciate(x->cats, w, x->asof, &d);
    int64_t key = 0;
    switch (x->by) {
    case BY_CATEGORY:
        key = w->cat;
        break;
    case BY_CLASS:
        key = w->cls;
        break;
    case BY_DEPARTMENT:
        key = w->dept;
        break;
    case BY_STATUS:
        key = status_index(w->status);
        break;
    case BY_AGE: {
        int64_t age = x->asof - w->acquired; /* whole months since the month acquired */
        if (dep && w->original > 0 && d.net == 0)
            key = 5;
        else
            key = age < 12 ? 0 : age < 36 ? 1 : age < 60 ? 2 : age < 96 ? 3 : 4;
        break;
    }
    }
    struct group *g = group_of(x, key);
    if (!g)
        return err_set(&x->r->err, ERR_BUDGET, NULL, NULL, "too many groups");
    fig_add(&g->f, &d, w->original, dep);
    fig_add(&x->total, &d, w->original, dep);
    return 0;
}

static json_t *fig_json(const struct fig *f)
{
    return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "count", (json_int_t)f->count, "original_fen",
                     (json_int_t)f->original, "accumulated_fen", (json_int_t)f->accumulated,
                     "net_fen", (json_int_t)f->net, "monthly_fen", (json_int_t)f->monthly,
                     "not_depreciated", (json_int_t)f->not_depreciated, "fully_depreciated",
                     (json_int_t)f->full);
}

/* The names of classes (code and name) for the class report. */
struct cls {
    int64_t id;
    const char *code, *name;
};

static int classes_load(struct req *r, struct db_conn *c, struct cls **out, int *n, struct err *e)
{
    *n = 0;
    *out = arena_zalloc(r->a, sizeof(**out) * MAX_CLASSES);
    if (!*out)
        return err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
    struct db_stmt *st;
    int rc = db_prepare_ints(c,
                             "SELECT id, code, name FROM asset_classes WHERE tenant_id = ? "
                             "ORDER BY id",
                             DB_INTS(r->tenant_id), &st, e);
    if (rc)
        return rc;
    while ((rc = db_step(st, e)) == DB_ROW && *n < MAX_CLASSES) {
        struct cls *k = &(*out)[(*n)++];
        k->id = db_col_int(st, 0);
        k->code = arena_strdup(r->a, db_col_text(st, 1, NULL));
        k->name = arena_strdup(r->a, db_col_text(st, 2, NULL));
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static const struct cls *cls_find(const struct cls *v, int n, int64_t id)
{
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (v[mid].id == id)
            return &v[mid];
        if (v[mid].id < id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

/* A rendered group: its key as text, its name and code, its figures. */
struct out {
    const char *key, *name, *code;
    int64_t order;
    const struct fig *f;
};

static int out_cmp(const void *a, const void *b)
{
    const struct out *x = a, *y = b;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return 0;
}

/* The department ids of dept and every department below it. */
static int subtree_of(struct req *r, const struct org_dept_list *dl, int64_t dept, int64_t **out,
                      int *n)
{
    *n = 0;
    *out = arena_zalloc(r->a, sizeof(**out) * MAX_SUBTREE);
    if (!*out)
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "out of memory");
    for (int i = 0; i < dl->n && *n < MAX_SUBTREE; i++) {
        const struct org_dept_row *d = &dl->v[i];
        for (int depth = 0; d && depth < 32; depth++) {
            if (d->id == dept) {
                (*out)[(*n)++] = dl->v[i].id;
                break;
            }
            d = d->parent_id ? org_dept_list_find(dl, d->parent_id) : NULL;
        }
    }
    return 0;
}

static const char *const report_params[] = {"by", "asof", "department_id", NULL};

int as_report(struct req *r)
{
    size_t plen = strlen(r->path);
    int xlsx = plen > 5 && !strcmp(r->path + plen - 5, ".xlsx");
    int rc = perm_check(r, &as_assets, xlsx ? "export" : "read");
    int64_t asof, dept;
    if (rc || (rc = report_params_only(r, report_params)) || (rc = asof_param(r, &asof)) ||
        (rc = report_param_int(r, "department_id", 1, INT64_MAX, 0, &dept)))
        return rc;
    const char *bys = req_query(r, "by");
    int by = 0;
    if (bys && *bys) {
        while (by_names[by] && strcmp(by_names[by], bys))
            by++;
        if (!by_names[by])
            return err_set(&r->err, ERR_BAD_QUERY, "by", "assets.report.by",
                           "by must be category, class, department, age or status, not {by}%.40s",
                           bys);
    }
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    struct cats cats;
    struct org_dept_list dl;
    if ((rc = cats_load(r, c, &cats, &r->err)) || (rc = org_dept_list_load(r, c, &dl, &r->err)))
        return rc;
    int64_t *depts = NULL;
    int ndepts = 0;
    if (dept) {
        if (!org_dept_list_find(&dl, dept))
            return err_set(&r->err, ERR_BAD_QUERY, "department_id", "assets.report.department",
                           "no department {department_id}%lld", (long long)dept);
        if ((rc = subtree_of(r, &dl, dept, &depts, &ndepts)))
            return rc;
    }
    struct fold x = {.r = r, .cats = &cats, .asof = asof, .by = (enum by)by};
    x.g = arena_zalloc(r->a, sizeof(*x.g) * MAX_GROUPS);
    if (!x.g)
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "out of memory");
    if ((rc = scan(r, c, depts, ndepts, fold_row, &x, &r->err)))
        return rc;
    struct cls *classes = NULL;
    int nclasses = 0;
    if (by == BY_CLASS && (rc = classes_load(r, c, &classes, &nclasses, &r->err)))
        return rc;

    struct out *o = arena_zalloc(r->a, sizeof(*o) * (size_t)(x.ngroups + 1));
    if (!o)
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "out of memory");
    int no = 0;
    for (int i = 0; i < MAX_GROUPS; i++) {
        const struct group *g = &x.g[i];
        if (!g->used)
            continue;
        struct out *u = &o[no++];
        u->f = &g->f;
        u->order = g->key;
        u->key = arena_printf(r->a, "%lld", (long long)g->key);
        switch (by) {
        case BY_CATEGORY: {
            const struct cat *k = cat_find(&cats, g->key);
            u->name = k ? k->name : "";
            break;
        }
        case BY_CLASS: {
            const struct cls *k = cls_find(classes, nclasses, g->key);
            u->name = k ? k->name : "";
            u->code = k ? k->code : NULL;
            break;
        }
        case BY_DEPARTMENT: {
            const struct org_dept_row *d = org_dept_list_find(&dl, g->key);
            u->name = d && d->name ? d->name : "";
            u->order = d ? d->sort_order * 1000000 + d->id : g->key;
            break;
        }
        case BY_AGE:
            u->key = age_bands[g->key];
            u->name = age_zh[g->key];
            break;
        case BY_STATUS:
            u->key = status_names[g->key];
            u->name = status_zh[g->key];
            break;
        }
    }
    /* by class: by code; otherwise by key (categories as seeded, bands in
     * order, departments as the tree sorts them) */
    if (by == BY_CLASS)
        for (int i = 0; i < no; i++) {
            int64_t v = 0;
            for (const char *p = o[i].code ? o[i].code : ""; *p && v < (INT64_MAX >> 8); p++)
                v = v * 64 + (unsigned char)*p;
            o[i].order = v;
        }
    qsort(o, (size_t)no, sizeof(*o), out_cmp);
    char month[16];
    as_month_text(asof, month, sizeof(month));

    if (xlsx) {
        static const char *const by_zh[] = {"折旧类别", "资产分类", "使用单位", "使用年限", "状态"};
        static const char *const head[] = {"资产数量(件)",  "原值(元)",         "累计折旧(元)",
                                           "净值(元)",      "本月计提折旧(元)", "不计提折旧(件)",
                                           "已提足折旧(件)"};
        struct export_xlsx book;
        rc = export_xlsx_open(r, &book, 0);
        lxw_workbook *wb = book.wb;
        char sheet[32];
        snprintf(sheet, sizeof(sheet), "截至%s", month);
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
            int col0 = by == BY_CLASS ? 1 : 0;
            worksheet_set_column(ws, 0, 0, by == BY_CLASS ? 12 : 24, NULL);
            worksheet_set_column(ws, (lxw_col_t)col0, (lxw_col_t)col0, 24, NULL);
            worksheet_set_column(ws, (lxw_col_t)(col0 + 1), (lxw_col_t)(col0 + 7), 16, NULL);
            if (by == BY_CLASS)
                worksheet_write_string(ws, 0, 0, "分类代码", bold);
            worksheet_write_string(ws, 0, (lxw_col_t)col0, by_zh[by], bold);
            for (int k = 0; k < 7; k++)
                worksheet_write_string(ws, 0, (lxw_col_t)(col0 + 1 + k), head[k], bold);
            for (int i = 0; i <= no; i++) {
                const struct fig *f = i < no ? o[i].f : &x.total;
                lxw_row_t row = (lxw_row_t)(i + 1);
                lxw_format *m = i < no ? money : bmoney;
                if (by == BY_CLASS && i < no)
                    worksheet_write_string(ws, row, 0, o[i].code ? o[i].code : "", NULL);
                worksheet_write_string(ws, row, (lxw_col_t)col0, i < no ? o[i].name : "合计",
                                       i < no ? NULL : bold);
                worksheet_write_number(ws, row, (lxw_col_t)(col0 + 1), (double)f->count, NULL);
                worksheet_write_number(ws, row, (lxw_col_t)(col0 + 2), (double)f->original / 100,
                                       m);
                worksheet_write_number(ws, row, (lxw_col_t)(col0 + 3), (double)f->accumulated / 100,
                                       m);
                worksheet_write_number(ws, row, (lxw_col_t)(col0 + 4), (double)f->net / 100, m);
                worksheet_write_number(ws, row, (lxw_col_t)(col0 + 5), (double)f->monthly / 100, m);
                worksheet_write_number(ws, row, (lxw_col_t)(col0 + 6), (double)f->not_depreciated,
                                       NULL);
                worksheet_write_number(ws, row, (lxw_col_t)(col0 + 7), (double)f->full, NULL);
            }
        }
        return export_xlsx_close(r, &book, rc, "asset-depreciation");
    }
    json_t *groups = json_array();
    for (int i = 0; i < no; i++) {
        json_t *g = fig_json(o[i].f);
        json_object_set_new(g, "key", json_string(o[i].key));
        json_object_set_new(g, "name", json_string(o[i].name ? o[i].name : ""));
        if (o[i].code)
            json_object_set_new(g, "code", json_string(o[i].code));
        json_array_append_new(groups, g);
    }
    json_t *doc = json_pack("{s:s,s:s,s:o,s:o}", "asof", month, "by", by_names[by], "groups",
                            groups, "total", fig_json(&x.total));
    if (dept)
        json_object_set_new(doc, "department_id", json_integer(dept));
    return report_send(r, doc);
}

/* ---- one asset: its depreciation and schedule by year ---- */

int as_depreciation(struct req *r)
{
    static const char *const params[] = {"asof", NULL};
    int64_t id, asof;
    struct db_conn *c;
    json_t *rec;
    int rc = rest_record(r, &as_assets, "read", &id, &c, &rec);
    if (rc || (rc = report_params_only(r, params)) || (rc = asof_param(r, &asof)))
        return rc;
    struct cats cats;
    if ((rc = cats_load(r, c, &cats, &r->err)))
        return rc;
    struct row w = {.id = id};
    w.cat = json_integer_value(json_object_get(rec, "category_id"));
    w.original = json_integer_value(json_object_get(rec, "original_value_fen"));
    w.acquired = as_month_of(json_string_value(json_object_get(rec, "acquired_on")));
    w.years = (int)json_integer_value(json_object_get(rec, "useful_years"));
    const char *status = json_string_value(json_object_get(rec, "status"));
    w.status = status ? status : "";
    const char *gone = json_string_value(json_object_get(rec, "disposed_on"));
    w.left = gone ? as_month_of(gone) : -1;
    const struct cat *k = cat_find(&cats, w.cat);
    int dep = k && k->depreciated && w.years > 0;
    struct as_dep d;
    depreciate(&cats, &w, asof, &d);
    char month[16], from[16], ends[16] = "";
    as_month_text(asof, month, sizeof(month));
    as_month_text(w.acquired, from, sizeof(from));
    int64_t life = dep ? (int64_t)w.years * 12 : 0;
    if (dep)
        as_month_text(w.acquired + life - 1, ends, sizeof(ends));
    json_t *years = json_array();
    if (dep && w.acquired >= 0) {
        int64_t last = w.acquired + life - 1;
        if (w.left >= 0 && w.left - 1 < last)
            last = w.left - 1;
        struct as_dep prev = {.net = w.original};
        for (int64_t y = w.acquired / 12; y <= last / 12; y++) {
            struct as_dep e;
            depreciate(&cats, &w, y * 12 + 11, &e);
            json_array_append_new(
                years, json_pack("{s:I,s:I,s:I,s:I,s:I}", "year", (json_int_t)y, "months",
                                 (json_int_t)(e.months - prev.months), "charge_fen",
                                 (json_int_t)(e.accumulated - prev.accumulated), "accumulated_fen",
                                 (json_int_t)e.accumulated, "net_fen", (json_int_t)e.net));
            prev = e;
        }
    }
    json_t *doc = json_pack(
        "{s:I,s:s,s:b,s:s,s:I,s:I,s:s,s:I,s:I,s:I,s:I,s:I,s:b,s:b,s:o}", "id", (json_int_t)id,
        "asof", month, "depreciated", dep, "category", k && k->name ? k->name : "", "years",
        (json_int_t)(dep ? w.years : 0), "life_months", (json_int_t)life, "from", from,
        "original_fen", (json_int_t)w.original, "months", (json_int_t)d.months, "monthly_fen",
        (json_int_t)d.monthly, "accumulated_fen", (json_int_t)d.accumulated, "net_fen",
        (json_int_t)d.net, "fully_depreciated", dep && w.original > 0 && d.net == 0, "on_register",
        on_register(&w, asof), "schedule", years);
    if (!doc)
        return err_set(&r->err, ERR_INTERNAL, NULL, NULL, "out of memory");
    json_object_set_new(doc, "ends", dep ? json_string(ends) : json_null());
    return report_send(r, doc);
}

/* ---- ?ids=1,2,3: at most max positive ids ---- */

int as_ids_param(struct req *r, int max, int64_t **ids, int *n)
{
    *n = 0;
    *ids = arena_zalloc(r->a, sizeof(**ids) * (size_t)max);
    if (!*ids)
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "out of memory");
    const char *s = req_query(r, "ids");
    if (!s || !*s)
        return err_set(&r->err, ERR_BAD_QUERY, "ids", "assets.ids.missing",
                       "give ids=1,2,3 (at most {max}%d)", max);
    while (*s) {
        int64_t v = 0;
        int digits = 0;
        while (*s >= '0' && *s <= '9' && digits < 18)
            v = v * 10 + (*s++ - '0'), digits++;
        if (!digits || v <= 0 || (*s && *s != ','))
            return err_set(&r->err, ERR_BAD_QUERY, "ids", "assets.ids.format",
                           "ids must be positive whole numbers separated by commas");
        if (*n >= max)
            return err_set(&r->err, ERR_BAD_QUERY, "ids", "assets.ids.too_many",
                           "at most {max}%d ids at once", max);
        (*ids)[(*n)++] = v;
        if (*s == ',')
            s++;
    }
    return 0;
}

/* SELECT … FROM assets WHERE tenant_id = ? AND id IN (ids) in the caller's
 * scope (perm_check done): the statement, bound. */
int as_select_ids(struct req *r, struct db_conn *c, const char *cols, const int64_t *ids, int n,
                  struct db_stmt **st)
{
    struct perm_filter pf;
    struct buf sql;
    perm_filter(r, &as_assets, &pf);
    buf_init(&sql, r->a);
    buf_printf(&sql, "SELECT %s FROM assets WHERE tenant_id = ? AND id IN (?", cols);
    for (int i = 1; i < n; i++)
        buf_puts(&sql, ", ?");
    buf_putc(&sql, ')');
    perm_filter_sql(&pf, &sql);
    buf_puts(&sql, " ORDER BY code");
    if (!buf_ok(&sql))
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    int rc = db_prepare(c, sql.p, st, &r->err);
    if (rc)
        return rc;
    db_bind_int(*st, 1, r->tenant_id);
    for (int i = 0; i < n; i++)
        db_bind_int(*st, 2 + i, ids[i]);
    perm_filter_bind(&pf, *st, 2 + n);
    return 0;
}

#define VALUE_COLS                                                                                 \
    "id, class_id, category_id, department_id, original_value_fen, acquired_on, useful_years, "    \
    "status, disposed_on"

static void row_of(struct db_stmt *st, struct row *w)
{
    w->id = db_col_int(st, 0);
    w->cls = db_col_int(st, 1);
    w->cat = db_col_int(st, 2);
    w->dept = db_col_int(st, 3);
    w->original = db_col_int(st, 4);
    w->acquired = as_month_of(db_col_text(st, 5, NULL));
    w->years = (int)db_col_int(st, 6);
    w->status = db_col_text(st, 7, NULL);
    w->left = db_col_is_null(st, 8) ? -1 : as_month_of(db_col_text(st, 8, NULL));
}

static json_t *value_json(const struct cats *cats, const struct row *w, int64_t asof)
{
    struct as_dep d;
    depreciate(cats, w, asof, &d);
    const struct cat *k = cat_find(cats, w->cat);
    int dep = k && k->depreciated && w->years > 0;
    return json_pack("{s:I,s:I,s:I,s:I,s:I,s:b}", "id", (json_int_t)w->id, "months",
                     (json_int_t)d.months, "monthly_fen", (json_int_t)d.monthly, "accumulated_fen",
                     (json_int_t)d.accumulated, "net_fen", (json_int_t)d.net, "depreciated", dep);
}

/* GET /api/v1/assets/values?ids=…: the net values of a list's page (the list
 * itself stays the engine's, with its filters, sort and paging). */
int as_values(struct req *r)
{
    static const char *const params[] = {"ids", "asof", NULL};
    int64_t *ids, asof;
    int n;
    int rc = perm_check(r, &as_assets, "read");
    if (rc || (rc = report_params_only(r, params)) || (rc = asof_param(r, &asof)) ||
        (rc = as_ids_param(r, AS_IDS_MAX, &ids, &n)))
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    struct cats cats;
    struct db_stmt *st;
    if ((rc = cats_load(r, c, &cats, &r->err)) ||
        (rc = as_select_ids(r, c, VALUE_COLS, ids, n, &st)))
        return rc;
    json_t *items = report_keep(r, json_array());
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        struct row w;
        row_of(st, &w);
        json_array_append_new(items, value_json(&cats, &w, asof));
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    char month[16];
    as_month_text(asof, month, sizeof(month));
    return report_send(r, json_pack("{s:s,s:O}", "asof", month, "items", items));
}

/* GET /api/v1/assets/mine: the assets in the caller's own keeping (the
 * custodian is the signed-in user's person), with their net value. */
int as_mine(struct req *r)
{
    static const char *const none[] = {NULL};
    int rc = report_params_only(r, none);
    if (rc || (rc = perm_check(r, &as_assets, "read")))
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    int64_t person = r->who ? r->who->person_id : 0, asof = as_month_now(r);
    json_t *items = report_keep(r, json_array());
    struct cats cats;
    struct org_dept_list dl;
    if ((rc = cats_load(r, c, &cats, &r->err)) || (rc = org_dept_list_load(r, c, &dl, &r->err)))
        return rc;
    if (person) {
        struct db_stmt *st;
        if ((rc = db_prepare_ints(c,
                                  "SELECT " VALUE_COLS ", code, name, model, condition, room_id, "
                                  "serial FROM assets WHERE tenant_id = ? AND custodian_id = ? "
                                  "AND status <> 'disposed' ORDER BY code LIMIT 1000",
                                  DB_INTS(r->tenant_id, person), &st, &r->err)))
            return rc;
        while ((rc = db_step(st, &r->err)) == DB_ROW) {
            struct row w;
            row_of(st, &w);
            json_t *it = value_json(&cats, &w, asof);
            const struct org_dept_row *d = org_dept_list_find(&dl, w.dept);
            json_object_set_new(it, "code", json_string(db_col_text(st, 9, NULL)));
            json_object_set_new(it, "name", json_string(db_col_text(st, 10, NULL)));
            json_object_set_new(it, "model", report_str(db_col_text(st, 11, NULL)));
            json_object_set_new(it, "condition", json_string(db_col_text(st, 12, NULL)));
            json_object_set_new(it, "room_id",
                                db_col_is_null(st, 13) ? json_null()
                                                       : json_integer(db_col_int(st, 13)));
            json_object_set_new(it, "serial", report_str(db_col_text(st, 14, NULL)));
            json_object_set_new(it, "status", json_string(w.status));
            json_object_set_new(it, "original_value_fen", json_integer(w.original));
            json_object_set_new(it, "acquired_on", json_string(db_col_text(st, 5, NULL)));
            json_object_set_new(it, "department_id", json_integer(w.dept));
            json_object_set_new(it, "department", json_string(d && d->name ? d->name : ""));
            json_array_append_new(items, it);
        }
        db_reset(st);
        if (rc < 0)
            return rc;
    }
    return report_send(r, json_pack("{s:o,s:O}", "person_id",
                                    person ? json_integer(person) : json_null(), "items", items));
}

/* ---- the dashboard card ---- */

static int sum_row(void *ctx, const struct row *w)
{
    struct fold *x = ctx;
    if (!on_register(w, x->asof))
        return 0;
    struct as_dep d;
    const struct cat *k = cat_find(x->cats, w->cat);
    int dep = k && k->depreciated && w->years > 0;
    depreciate(x->cats, w, x->asof, &d);
    fig_add(&x->total, &d, w->original, dep);
    x->idle += !strcmp(w->status, "idle");
    return 0;
}

int as_summary(struct req *r, struct db_conn *c, json_t *cards, struct err *e)
{
    if (perm_scope(r, &as_assets, "read") == SCOPE_NONE)
        return 0;
    int rc = perm_check(r, &as_assets, "read");
    if (rc)
        return rc;
    struct cats cats;
    if ((rc = cats_load(r, c, &cats, e)))
        return rc;
    struct fold x = {.r = r, .cats = &cats, .asof = as_month_now(r)};
    if ((rc = scan(r, c, NULL, 0, sum_row, &x, e)))
        return rc;
    char month[16];
    as_month_text(x.asof, month, sizeof(month));
    json_t *card = json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I,"
        "s:{s:{s:s,s:s},s:{s:s,s:s},s:{s:s,s:s},s:{s:s,s:s},s:{s:s,s:s}}}",
        "id", "assets", "kind", "kpi", "zh", "固定资产", "en", "Fixed assets", "month", month,
        "assets", (json_int_t)x.total.count, "original_fen", (json_int_t)x.total.original,
        "net_fen", (json_int_t)x.total.net, "depreciation_month_fen", (json_int_t)x.total.monthly,
        "idle", (json_int_t)x.idle, "labels", "assets", "zh", "资产总数", "en", "Assets",
        "original_fen", "zh", "资产原值", "en", "Original value", "net_fen", "zh", "账面净值", "en",
        "Net book value", "depreciation_month_fen", "zh", "本月计提折旧", "en",
        "Depreciation this month", "idle", "zh", "闲置资产", "en", "Idle assets");
    if (!card)
        return err_set(e, ERR_INTERNAL, NULL, NULL, "out of memory");
    /* the stocktakes and the pool append their figures to the card */
    if ((rc = as_stocktake_summary(r, c, card, e)) || (rc = as_pool_summary(r, c, card, e))) {
        json_decref(card);
        return rc;
    }
    json_array_append_new(cards, card);
    return 0;
}
