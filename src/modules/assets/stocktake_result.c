/* SPDX-License-Identifier: MIT
 * assets/stocktake_result.c - a stocktake's result 盘点结果: its lines by
 * outcome — found 账实相符, found elsewhere 位置/使用人变动, missing 盘亏,
 * surplus 盘盈, and while in progress not yet scanned — with counts and
 * original and net values (net as of the session's month: the start's while
 * in progress, the finish's once finished), as JSON and as a workbook with
 * a summary sheet and one sheet an outcome (yuan with two decimals, dates
 * as dates). Also what other parts ask: the missing assets of a finished
 * session (a loss write-off disposal takes them), and the dashboard's
 * figures.
 */
#include "assets.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/buf.h"
#include "../../base/err.h"
#include "../../core/auth.h"
#include "../../core/http.h"
#include "../../core/qr.h"
#include "../../db/db.h"
#include "../../engine/export.h"
#include "../../engine/perm.h"
#include "../../engine/report.h"
#include "../../engine/rest.h"
#include "../../engine/workflow.h"
#include "../org/org.h"

#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

#define EXCEL_1970 25569.0 /* the Excel serial of 1970-01-01 */

enum { G_FOUND, G_MOVED, G_MISSING, G_SURPLUS, G_PENDING, NG };
static const char *const g_name[NG] = {"found", "moved", "missing", "surplus", "pending"};
static const char *const g_zh[NG] = {"账实相符", "位置或使用人变动", "盘亏", "盘盈", "待盘"};

struct line {
    int64_t id, asset, dept, er, ec, fr, fc, value, net, scanned_at;
    int group, out_of_scope, confirmed;
    const char *code, *name, *model, *acquired;
};

struct result {
    struct line *v;
    int n;
    int64_t count[NG], value[NG], net[NG];
    int64_t unregistered; /* surplus lines without an asset yet */
};

static int group_of(const char *s)
{
    for (int g = 0; g < NG; g++)
        if (!strcmp(s, g_name[g]))
            return g;
    return G_PENDING;
}

static int load(struct req *r, struct db_conn *c, int64_t id, struct result *out)
{
    struct db_stmt *st;
    memset(out, 0, sizeof(*out));
    int rc = db_prepare_ints(
        c,
        "SELECT l.id, l.asset_id, l.department_id, l.expected_room_id, "
        "l.expected_custodian_id, l.found_room_id, l.found_custodian_id, l.original_value_fen, "
        "l.net_value_fen, l.scanned_at, l.result, l.out_of_scope, l.confirmed, l.code, a.name, "
        "a.model, a.acquired_on FROM stocktake_lines l LEFT JOIN assets a ON a.tenant_id = "
        "l.tenant_id AND a.id = l.asset_id WHERE l.tenant_id = ? AND l.stocktake_id = ? ORDER "
        "BY l.code",
        DB_INTS(r->tenant_id, id), &st, &r->err);
    if (rc)
        return rc;
    int cap = 0;
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        if (out->n == cap) {
            int more = cap ? cap * 2 : 256;
            struct line *v =
                arena_realloc(r->a, out->v, sizeof(*v) * (size_t)cap, sizeof(*v) * (size_t)more);
            if (!v) {
                rc = err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
                break;
            }
            out->v = v;
            cap = more;
        }
        struct line *x = &out->v[out->n++];
        x->id = db_col_int(st, 0);
        x->asset = db_col_int(st, 1);
        x->dept = db_col_int(st, 2);
        x->er = db_col_int(st, 3);
        x->ec = db_col_int(st, 4);
        x->fr = db_col_int(st, 5);
        x->fc = db_col_int(st, 6);
        x->value = db_col_int(st, 7);
        x->net = db_col_int(st, 8);
        x->scanned_at = db_col_int(st, 9);
        x->group = group_of(db_col_text(st, 10, NULL));
        x->out_of_scope = (int)db_col_int(st, 11);
        x->confirmed = (int)db_col_int(st, 12);
        x->code = arena_strdup(r->a, db_col_text(st, 13, NULL));
        x->name = db_col_is_null(st, 14) ? NULL : arena_strdup(r->a, db_col_text(st, 14, NULL));
        x->model = db_col_is_null(st, 15) ? NULL : arena_strdup(r->a, db_col_text(st, 15, NULL));
        x->acquired = db_col_is_null(st, 16) ? NULL : arena_strdup(r->a, db_col_text(st, 16, NULL));
        out->count[x->group]++;
        out->value[x->group] += x->value;
        out->net[x->group] += x->net;
        if (x->group == G_SURPLUS && !x->asset)
            out->unregistered++;
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static json_t *line_json(struct req *r, const struct line *x)
{
    json_t *o =
        json_pack("{s:I,s:s,s:s?,s:s?,s:s?,s:b,s:b,s:I,s:I}", "id", (json_int_t)x->id, "code",
                  x->code, "name", x->name, "model", x->model, "acquired_on", x->acquired,
                  "out_of_scope", x->out_of_scope, "confirmed", x->confirmed, "original_value_fen",
                  (json_int_t)x->value, "net_value_fen", (json_int_t)x->net);
    json_object_set_new(o, "asset_id", as_id_json(x->asset));
    json_object_set_new(o, "department_id", as_id_json(x->dept));
    json_object_set_new(o, "expected_room_id", as_id_json(x->er));
    json_object_set_new(o, "expected_custodian_id", as_id_json(x->ec));
    json_object_set_new(o, "found_room_id", as_id_json(x->fr));
    json_object_set_new(o, "found_custodian_id", as_id_json(x->fc));
    json_object_set_new(o, "scanned_at", wf_time_json(r, x->scanned_at));
    return o;
}

/* ---- the workbook ---- */

/* Names of rooms and people for the sheets: a room's "building number name"
 * through the engine (one record each, remembered), people from the roster. */
struct names {
    struct org_person_list people;
    struct org_dept_list depts;
    int64_t room_id[512];
    const char *room[512];
    int nroom;
};

static const char *room_text(struct req *r, struct db_conn *c, struct names *nm, int64_t id)
{
    if (!id)
        return NULL;
    for (int i = 0; i < nm->nroom; i++)
        if (nm->room_id[i] == id)
            return nm->room[i];
    const struct res_entity *rooms = res_find("rooms", 5), *bld = res_find("buildings", 9);
    json_t *rec = NULL, *b = NULL;
    const char *s = NULL;
    if (rooms && !wf_load(r, c, rooms, id, &rec, &r->err)) {
        const char *building = NULL;
        if (bld && !wf_load(r, c, bld, wf_int(rec, "building_id"), &b, &r->err))
            building = wf_str(b, "name");
        char t[300];
        snprintf(t, sizeof(t), "%s%s%s%s%s", building ? building : "", building ? " " : "",
                 wf_str(rec, "number") ? wf_str(rec, "number") : "", wf_str(rec, "name") ? " " : "",
                 wf_str(rec, "name") ? wf_str(rec, "name") : "");
        s = arena_strdup(r->a, t);
    }
    err_clear(&r->err);
    if (nm->nroom < (int)(sizeof(nm->room) / sizeof(nm->room[0]))) {
        nm->room_id[nm->nroom] = id;
        nm->room[nm->nroom++] = s;
    }
    return s;
}

static const char *building_text(struct req *r, struct db_conn *c, int64_t id)
{
    const struct res_entity *bld = res_find("buildings", 9);
    json_t *b = NULL;
    const char *s = NULL;
    if (id && bld && !wf_load(r, c, bld, id, &b, &r->err))
        s = wf_str(b, "name");
    err_clear(&r->err);
    return s;
}

static const char *person_text(struct names *nm, int64_t id)
{
    const struct org_person_row *p = id ? org_person_list_find(&nm->people, id) : NULL;
    return p ? p->name : NULL;
}

static const char *dept_text(struct names *nm, int64_t id)
{
    const struct org_dept_row *d = id ? org_dept_list_find(&nm->depts, id) : NULL;
    return d ? d->name : NULL;
}

struct book {
    lxw_workbook *wb;
    lxw_format *bold, *yuan, *date, *datetime;
};

static void cell_text(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s)
{
    if (s && *s)
        worksheet_write_string(ws, row, col, s, NULL);
}

static void cell_date(struct book *bk, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                      const char *s)
{
    int64_t days;
    if (s && !date_parse(s, strlen(s), &days))
        worksheet_write_number(ws, row, col, (double)days + EXCEL_1970, bk->date);
}

static int sheet(struct req *r, struct db_conn *c, struct book *bk, struct names *nm,
                 const struct result *res, int g)
{
    static const char *const head[] = {
        "资产编号", "资产名称",   "规格型号", "所属单位", "取得日期", "账面地点", "账面使用人",
        "实际地点", "实际使用人", "盘点时间", "原值(元)", "净值(元)", "已确认",   "不在盘点范围"};
    enum { NH = (int)(sizeof(head) / sizeof(head[0])) };
    lxw_worksheet *ws = workbook_add_worksheet(bk->wb, g_zh[g]);
    if (!ws)
        return err_set(&r->err, ERR_INTERNAL, NULL, NULL, "cannot add a sheet");
    worksheet_set_column(ws, 0, 0, 16, NULL);
    worksheet_set_column(ws, 1, 9, 14, NULL);
    worksheet_set_column(ws, 10, 11, 12, NULL);
    for (int k = 0; k < NH; k++)
        worksheet_write_string(ws, 0, (lxw_col_t)k, head[k], bk->bold);
    lxw_row_t row = 1;
    int64_t value = 0, net = 0;
    for (int i = 0; i < res->n; i++) {
        const struct line *x = &res->v[i];
        if (x->group != g)
            continue;
        cell_text(ws, row, 0, x->code);
        cell_text(ws, row, 1, x->name ? x->name : "(未登记)");
        cell_text(ws, row, 2, x->model);
        cell_text(ws, row, 3, dept_text(nm, x->dept));
        cell_date(bk, ws, row, 4, x->acquired);
        cell_text(ws, row, 5, room_text(r, c, nm, x->er));
        cell_text(ws, row, 6, person_text(nm, x->ec));
        cell_text(ws, row, 7, room_text(r, c, nm, x->fr));
        cell_text(ws, row, 8, person_text(nm, x->fc));
        if (x->scanned_at)
            worksheet_write_number(
                ws, row, 9,
                (double)(x->scanned_at + (int64_t)r->utc_offset_min * 60) / 86400.0 + EXCEL_1970,
                bk->datetime);
        worksheet_write_number(ws, row, 10, (double)x->value / 100.0, bk->yuan);
        worksheet_write_number(ws, row, 11, (double)x->net / 100.0, bk->yuan);
        worksheet_write_string(ws, row, 12, x->confirmed ? "是" : "否", NULL);
        worksheet_write_string(ws, row, 13, x->out_of_scope ? "是" : "否", NULL);
        value += x->value;
        net += x->net;
        row++;
    }
    worksheet_write_string(ws, row, 0, "合计", bk->bold);
    worksheet_write_number(ws, row, 10, (double)value / 100.0, bk->yuan);
    worksheet_write_number(ws, row, 11, (double)net / 100.0, bk->yuan);
    return 0;
}

static int workbook(struct req *r, struct db_conn *c, json_t *st, const struct result *res)
{
    struct export_xlsx x;
    struct names *nm = arena_zalloc(r->a, sizeof(*nm));
    int rc = nm ? 0 : err_set(&r->err, ERR_BUDGET, NULL, NULL, "out of memory");
    if (rc || (rc = org_person_list_load(r, c, &nm->people, &r->err)) ||
        (rc = org_dept_list_load(r, c, &nm->depts, &r->err)) || (rc = export_xlsx_open(r, &x, 0)))
        return rc;
    struct book bk = {.wb = x.wb};
    bk.bold = workbook_add_format(bk.wb);
    bk.yuan = workbook_add_format(bk.wb);
    bk.date = workbook_add_format(bk.wb);
    bk.datetime = workbook_add_format(bk.wb);
    format_set_bold(bk.bold);
    format_set_num_format(bk.yuan, "#,##0.00");
    format_set_num_format(bk.date, "yyyy-mm-dd");
    format_set_num_format(bk.datetime, "yyyy-mm-dd hh:mm");
    lxw_worksheet *ws = workbook_add_worksheet(bk.wb, "汇总");
    if (!ws)
        rc = err_set(&r->err, ERR_INTERNAL, NULL, NULL, "cannot add a sheet");
    if (!rc) {
        worksheet_set_column(ws, 0, 0, 20, NULL);
        worksheet_set_column(ws, 1, 3, 14, NULL);
        worksheet_write_string(ws, 0, 0, "盘点名称", bk.bold);
        cell_text(ws, 0, 1, wf_str(st, "name"));
        worksheet_write_string(ws, 1, 0, "盘点单位", bk.bold);
        cell_text(ws, 1, 1, dept_text(nm, wf_int(st, "department_id")));
        worksheet_write_string(ws, 2, 0, "盘点楼宇", bk.bold);
        cell_text(ws, 2, 1, building_text(r, c, wf_int(st, "building_id")));
        worksheet_write_string(ws, 3, 0, "盘点地点", bk.bold);
        cell_text(ws, 3, 1, room_text(r, c, nm, wf_int(st, "room_id")));
        worksheet_write_string(ws, 4, 0, "净值计算月份", bk.bold);
        cell_text(ws, 4, 1, wf_str(st, "asof_month"));
        worksheet_write_string(ws, 6, 0, "盘点结果", bk.bold);
        worksheet_write_string(ws, 6, 1, "数量", bk.bold);
        worksheet_write_string(ws, 6, 2, "原值(元)", bk.bold);
        worksheet_write_string(ws, 6, 3, "净值(元)", bk.bold);
        lxw_row_t row = 7;
        for (int g = 0; g < NG; g++) {
            if (g == G_PENDING && !res->count[g])
                continue;
            worksheet_write_string(ws, row, 0, g_zh[g], NULL);
            worksheet_write_number(ws, row, 1, (double)res->count[g], NULL);
            worksheet_write_number(ws, row, 2, (double)res->value[g] / 100.0, bk.yuan);
            worksheet_write_number(ws, row, 3, (double)res->net[g] / 100.0, bk.yuan);
            row++;
        }
        for (int g = 0; g < NG && !rc; g++)
            if (g != G_PENDING || res->count[g])
                rc = sheet(r, c, &bk, nm, res, g);
    }
    char name[40];
    snprintf(name, sizeof(name), "stocktake-%lld", (long long)wf_int(st, "id"));
    return export_xlsx_close(r, &x, rc, name);
}

/* obj[id] = text, when both are set */
static void put_name(json_t *obj, int64_t id, const char *text)
{
    char k[24];
    if (!id || !text)
        return;
    snprintf(k, sizeof(k), "%lld", (long long)id);
    json_object_set_new(obj, k, json_string(text));
}

int as_stocktake_result(struct req *r)
{
    static const char *const none[] = {NULL};
    int xlsx = r->nsegs > 4 && r->seg_len[4] == 11 && !memcmp(r->seg[4], "result.xlsx", 11);
    int64_t id;
    struct db_conn *c;
    json_t *st;
    int rc = report_params_only(r, none);
    if (rc || (rc = rest_record(r, &as_stocktakes, xlsx ? "export" : "read", &id, &c, &st)))
        return rc;
    struct result res;
    if ((rc = load(r, c, id, &res)))
        return rc;
    if (xlsx)
        return workbook(r, c, st, &res);
    json_t *counts = json_object(), *values = json_object(), *groups = json_object();
    for (int g = 0; g < NG; g++) {
        json_object_set_new(counts, g_name[g], json_integer(res.count[g]));
        json_object_set_new(values, g_name[g],
                            json_pack("{s:I,s:I}", "original_fen", (json_int_t)res.value[g],
                                      "net_fen", (json_int_t)res.net[g]));
        json_object_set_new(groups, g_name[g], json_array());
    }
    for (int i = 0; i < res.n; i++)
        json_array_append_new(json_object_get(groups, g_name[res.v[i].group]),
                              line_json(r, &res.v[i]));
    /* the names of the rooms, people and departments the lines name: the
     * reader may not read rooms or people themselves (the assets manager
     * reads no rooms, a liaison no other department's people) */
    struct names *nm = arena_zalloc(r->a, sizeof(*nm));
    if (!nm)
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "out of memory");
    if ((rc = org_person_list_load(r, c, &nm->people, &r->err)) ||
        (rc = org_dept_list_load(r, c, &nm->depts, &r->err)))
        return rc;
    json_t *rooms = json_object(), *people = json_object(), *depts = json_object();
    json_t *buildings = json_object();
    put_name(buildings, wf_int(st, "building_id"), building_text(r, c, wf_int(st, "building_id")));
    put_name(rooms, wf_int(st, "room_id"), room_text(r, c, nm, wf_int(st, "room_id")));
    put_name(depts, wf_int(st, "department_id"), dept_text(nm, wf_int(st, "department_id")));
    for (int i = 0; i < res.n; i++) {
        const struct line *x = &res.v[i];
        put_name(rooms, x->er, room_text(r, c, nm, x->er));
        put_name(rooms, x->fr, room_text(r, c, nm, x->fr));
        put_name(people, x->ec, person_text(nm, x->ec));
        put_name(people, x->fc, person_text(nm, x->fc));
        put_name(depts, x->dept, dept_text(nm, x->dept));
    }
    int64_t expected = wf_int(st, "expected_count");
    json_t *doc = json_pack(
        "{s:{s:I,s:s?,s:s?,s:o,s:o,s:o},s:s?,s:I,s:I,s:I,s:o,s:o,s:o}", "stocktake", "id",
        (json_int_t)id, "name", wf_str(st, "name"), "status", wf_str(st, "status"), "department_id",
        as_id_json(wf_int(st, "department_id")), "building_id",
        as_id_json(wf_int(st, "building_id")), "room_id", as_id_json(wf_int(st, "room_id")),
        "asof_month", wf_str(st, "asof_month"), "expected", (json_int_t)expected, "scanned",
        (json_int_t)(expected - res.count[G_PENDING] - res.count[G_MISSING]), "unregistered",
        (json_int_t)res.unregistered, "counts", counts, "values", values, "lines", groups);
    json_object_set_new(doc, "names",
                        json_pack("{s:o,s:o,s:o,s:o}", "rooms", rooms, "people", people,
                                  "departments", depts, "buildings", buildings));
    return report_send(r, doc);
}

/* ---- for other parts ---- */

int as_stocktake_missing(struct req *r, struct db_conn *c, int64_t stocktake_id,
                         int64_t **asset_ids, int *n, struct err *e)
{
    *asset_ids = NULL;
    *n = 0;
    const char *status = NULL;
    int rc = db_one_text(c, r->a, "SELECT status FROM stocktakes WHERE tenant_id = ? AND id = ?",
                         DB_INTS(r->tenant_id, stocktake_id), &status, e);
    if (rc < 0)
        return rc;
    if (!rc)
        return err_set(e, ERR_NOT_FOUND, NULL, NULL, "no record {id}%lld in {collection}%s",
                       (long long)stocktake_id, "stocktakes");
    if (!wf_is(status, "finished"))
        return err_set(e, ERR_CONFLICT, NULL, "assets.stocktake.not_finished",
                       "stocktake {id}%lld is {status}%s: its missing assets are known once it "
                       "is finished",
                       (long long)stocktake_id, status ? status : "");
    struct db_stmt *st;
    if ((rc = db_prepare_ints(c,
                              "SELECT asset_id FROM stocktake_lines WHERE tenant_id = ? AND "
                              "stocktake_id = ? AND result = 'missing' AND asset_id IS NOT NULL "
                              "ORDER BY asset_id",
                              DB_INTS(r->tenant_id, stocktake_id), &st, e)))
        return rc;
    int cap = 0;
    while ((rc = db_step(st, e)) == DB_ROW) {
        if (*n == cap) {
            int more = cap ? cap * 2 : 64;
            int64_t *v = arena_realloc(r->a, *asset_ids, sizeof(*v) * (size_t)cap,
                                       sizeof(*v) * (size_t)more);
            if (!v) {
                rc = err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
                break;
            }
            *asset_ids = v;
            cap = more;
        }
        (*asset_ids)[(*n)++] = db_col_int(st, 0);
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* 1 when department dept is in the caller's scope for reading stocktakes. */
static int dept_visible(struct req *r, int scope, int64_t dept)
{
    if (scope == SCOPE_TENANT)
        return 1;
    if (!r->who || !dept)
        return 0;
    if (scope == SCOPE_DEPT)
        return dept == r->who->department_id;
    if (scope == SCOPE_SUBTREE)
        for (int i = 0; i < r->who->nsubtree; i++)
            if (r->who->subtree[i] == dept)
                return 1;
    return 0;
}

int as_stocktake_summary(struct req *r, struct db_conn *c, json_t *card, struct err *e)
{
    int scope = perm_scope(r, &as_stocktakes, "read");
    if (scope == SCOPE_NONE || scope == SCOPE_OWN || scope == SCOPE_ASSIGNED)
        return 0;
    char y0[16];
    date_format(report_today(r), y0, sizeof(y0));
    memcpy(y0 + 4, "-01-01", 7);
    int64_t year0;
    date_parse(y0, 10, &year0);
    year0 = year0 * 86400 - (int64_t)r->utc_offset_min * 60;
    struct db_stmt *st;
    int rc = db_prepare_ints(c,
                             "SELECT s.department_id, s.status, s.expected_count, "
                             "s.missing_value_fen, (SELECT COUNT(*) FROM stocktake_lines l WHERE "
                             "l.tenant_id = s.tenant_id AND l.stocktake_id = s.id AND l.result = "
                             "'pending') FROM stocktakes s WHERE s.tenant_id = ? AND (s.status = "
                             "'in_progress' OR (s.status = 'finished' AND s.finished_at >= ?))",
                             DB_INTS(r->tenant_id, year0), &st, e);
    if (rc)
        return rc;
    int64_t open = 0, scanned = 0, expected = 0, missing = 0;
    while ((rc = db_step(st, e)) == DB_ROW) {
        if (!dept_visible(r, scope, db_col_int(st, 0)))
            continue;
        if (!strcmp(db_col_text(st, 1, NULL), "in_progress")) {
            open++;
            expected += db_col_int(st, 2);
            scanned += db_col_int(st, 2) - db_col_int(st, 4);
        } else
            missing += db_col_int(st, 3);
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    json_object_set_new(card, "stocktakes_in_progress", json_integer(open));
    json_object_set_new(card, "stocktake_scanned", json_integer(scanned));
    json_object_set_new(card, "stocktake_expected", json_integer(expected));
    json_object_set_new(card, "stocktake_missing_value_fen", json_integer(missing));
    json_t *labels = json_object_get(card, "labels");
    if (!labels) {
        labels = json_object();
        json_object_set_new(card, "labels", labels);
    }
    json_object_set_new(
        labels, "stocktakes_in_progress",
        json_pack("{s:s,s:s}", "zh", "进行中的盘点", "en", "Stocktakes in progress"));
    json_object_set_new(labels, "stocktake_scanned",
                        json_pack("{s:s,s:s}", "zh", "已盘数量", "en", "Scanned"));
    json_object_set_new(labels, "stocktake_expected",
                        json_pack("{s:s,s:s}", "zh", "应盘数量", "en", "Expected"));
    json_object_set_new(labels, "stocktake_missing_value_fen",
                        json_pack("{s:s,s:s}", "zh", "本年盘亏原值", "en", "Missing this year"));
    return 0;
}

/* ---- a line's label, to print again ---- */

int as_stocktake_label(struct req *r)
{
    int64_t id;
    struct db_conn *c;
    json_t *line;
    static const char *const none[] = {NULL};
    int rc = report_params_only(r, none);
    if (rc || (rc = rest_record(r, &as_stocktake_lines, "read", &id, &c, &line)))
        return rc;
    buf_truncate(&r->out, 0);
    if (qr_svg(wf_str(line, "code"), &r->out))
        return err_set(&r->err, ERR_INTERNAL, NULL, NULL, "cannot draw the code");
    r->status = 200;
    r->ctype = "image/svg+xml";
    return 0;
}
