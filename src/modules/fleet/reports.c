/* SPDX-License-Identifier: MIT
 * fleet/reports.c - per-vehicle accounting (单车核算) for a month: trips,
 * km, cost by kind, cost per km and utilisation (days with a trip ÷ working
 * days of the month, from the working calendar), as JSON and XLSX; the
 * renewal list of a year with each vehicle's figures and the limits of its
 * class, and the vehicles and the year's planned renewals allowed over their
 * class standard, with the reason and who allowed it; the dashboard card.
 *
 *   GET /api/v1/fleet/costs?month=YYYY-MM        (.xlsx: the same table)
 *   GET /api/v1/vehicles/{id}/figures?month=YYYY-MM&months=N
 *   GET /api/v1/fleet/renewal?year=YYYY
 */
#include "fleet.h"
#include "../../engine/workflow.h"
#include "../../engine/export.h"
#include "../../engine/report.h"
#include "../../base/arena.h"
#include "../../base/buf.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../engine/record.h"
#include "../../engine/rest.h"
#include "../org/calendar.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define NKINDS 8
#define MAX_VEHICLES 5000 /* rows of one report */

static const char *const kinds[NKINDS] = {"fuel",       "repair", "maintenance", "insurance",
                                          "inspection", "tolls",  "parking",     "other"};
static const char *const kinds_zh[NKINDS] = {"燃油/充电", "维修",   "保养",   "保险",
                                             "年检",      "通行费", "停车费", "其他"};

struct vrow {
    int64_t id;
    const char *plate, *cls, *brand, *model, *status;
    int64_t trips, km, days_used, cost[NKINDS], total;
    uint32_t days; /* bit d: a trip on day d of the month */
};

struct month {
    int64_t first, next; /* local days [first, next) */
    int64_t from, to;    /* the same as UTC instants */
    char label[8];       /* YYYY-MM */
    int64_t working_days;
};

/* The month that begins on local day first, as local days and instants. */
static void month_of(struct req *r, int64_t first, struct month *m)
{
    char t[16];
    date_format(first, t, sizeof(t));
    int y = (int)strtol(t, NULL, 10), mo = (int)strtol(t + 5, NULL, 10);
    m->first = first;
    m->next = first + date_days_in_month(y, mo);
    memcpy(m->label, t, 7);
    m->label[7] = 0;
    m->from = m->first * 86400 - (int64_t)r->utc_offset_min * 60;
    m->to = m->next * 86400 - (int64_t)r->utc_offset_min * 60;
}

/* ?month=YYYY-MM (default: this month). */
static int parse_month(struct req *r, struct month *m)
{
    int64_t first;
    int rc = report_param_month(r, "month", report_today(r), &first);
    if (!rc)
        month_of(r, first, m);
    return rc;
}

static struct vrow *find(struct vrow *v, int n, int64_t id)
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

static int by_plate(const void *a, const void *b)
{
    return strcmp(((const struct vrow *)a)->plate, ((const struct vrow *)b)->plate);
}

static int popcount32(uint32_t x)
{
    int n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

/* A closed trip that started in month m: counted, its km added, and the
 * month's local days it covered marked (end 0: the day it started). */
static void add_trip(struct vrow *x, const struct month *m, int64_t start, int64_t end, int64_t km,
                     int64_t off)
{
    int64_t d0 = (start + off) / 86400;
    int64_t d1 = end ? (end - 1 + off) / 86400 : d0;
    if (d1 < d0)
        d1 = d0;
    for (int64_t d = d0; d <= d1 && d < m->next; d++)
        if (d >= m->first)
            x->days |= 1u << (d - m->first);
    x->trips++;
    x->km += km;
}

/* fen of a cost kind added to the row (an unknown kind counts nowhere). */
static void add_cost(struct vrow *x, const char *kind, int64_t fen)
{
    for (int i = 0; i < NKINDS; i++)
        if (!strcmp(kind, kinds[i])) {
            x->cost[i] += fen;
            x->total += fen;
        }
}

/* The row's figures added to the total's. */
static void add_row(struct vrow *tot, const struct vrow *x)
{
    tot->trips += x->trips;
    tot->km += x->km;
    tot->days_used += x->days_used;
    tot->total += x->total;
    for (int k = 0; k < NKINDS; k++)
        tot->cost[k] += x->cost[k];
}

/* Every vehicle in the caller's scope with its month's figures; *out arena memory. */
static int build_costs(struct req *r, struct db_conn *c, struct month *m, struct vrow **out,
                       int *nout)
{
    struct perm_filter pf;
    struct buf sql;
    struct db_stmt *st;
    struct calendar cal;
    int n = 0, rc = cal_load(r, c, r->tenant_id, &cal, &r->err);
    if (rc)
        return rc;
    m->working_days = cal_workdays_between(&cal, m->first, m->next);
    struct vrow *v = arena_zalloc(r->a, sizeof(*v) * MAX_VEHICLES);
    if (!v)
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    perm_filter(r, &fl_vehicles, &pf);
    buf_init(&sql, r->a);
    buf_puts(&sql, "SELECT id, plate, class, brand, model, status FROM vehicles WHERE "
                   "tenant_id = ?");
    perm_filter_sql(&pf, &sql);
    buf_puts(&sql, " ORDER BY id LIMIT 5000");
    if (!buf_ok(&sql))
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    if ((rc = db_prepare_ints(c, sql.p, DB_INTS(r->tenant_id), &st, &r->err)))
        return rc;
    perm_filter_bind(&pf, st, 2);
    while ((rc = db_step(st, &r->err)) == DB_ROW && n < MAX_VEHICLES) {
        v[n].id = db_col_int(st, 0);
        v[n].plate = arena_strdup(r->a, db_col_text(st, 1, NULL));
        v[n].cls = arena_strdup(r->a, db_col_text(st, 2, NULL));
        v[n].brand = arena_strdup(r->a, db_col_text(st, 3, NULL));
        v[n].model = arena_strdup(r->a, db_col_text(st, 4, NULL));
        v[n].status = arena_strdup(r->a, db_col_text(st, 5, NULL));
        n++;
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    /* trips that started in the month: km, and the days they covered */
    if ((rc = db_prepare_ints(
             c,
             "SELECT vehicle_id, started_at, ended_at, distance_km FROM trips WHERE "
             "tenant_id = ? AND status = 'closed' AND started_at >= ? AND "
             "started_at < ?",
             DB_INTS(r->tenant_id, m->from, m->to), &st, &r->err)))
        return rc;
    int64_t off = (int64_t)r->utc_offset_min * 60;
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        struct vrow *x = find(v, n, db_col_int(st, 0));
        if (x)
            add_trip(x, m, db_col_int(st, 1), db_col_is_null(st, 2) ? 0 : db_col_int(st, 2),
                     db_col_is_null(st, 3) ? 0 : db_col_int(st, 3), off);
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    char f[16], t[16];
    date_format(m->first, f, sizeof(f));
    date_format(m->next, t, sizeof(t));
    if ((rc = db_prepare_ints(c,
                              "SELECT vehicle_id, kind, SUM(amount_fen) FROM vehicle_costs WHERE "
                              "tenant_id = ? AND incurred_on >= ? AND incurred_on < ? GROUP BY "
                              "vehicle_id, kind",
                              DB_INTS(r->tenant_id), &st, &r->err)))
        return rc;
    db_bind_text(st, 2, f, strlen(f));
    db_bind_text(st, 3, t, strlen(t));
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        struct vrow *x = find(v, n, db_col_int(st, 0));
        if (x)
            add_cost(x, db_col_text(st, 1, NULL), db_col_int(st, 2));
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    /* disposed-of vehicles only when the month saw them */
    int k = 0;
    for (int i = 0; i < n; i++) {
        v[i].days_used = popcount32(v[i].days);
        if (strcmp(v[i].status, "scrapped") || v[i].trips || v[i].total)
            v[k++] = v[i];
    }
    qsort(v, (size_t)k, sizeof(*v), by_plate);
    *out = v;
    *nout = k;
    return 0;
}

/* one decimal, rounded half up from the exact fraction (the XLSX shows the same) */
static json_t *pct(int64_t a, int64_t b)
{
    return b ? json_real((double)pct_tenths(a, b) / 10.0) : json_null();
}

static json_t *row_json(const struct vrow *x, int64_t working_days)
{
    json_t *o = json_object(), *cs = json_object();
    for (int i = 0; i < NKINDS; i++)
        json_object_set_new(cs, kinds[i], json_integer(x->cost[i]));
    json_object_set_new(o, "trips", json_integer(x->trips));
    json_object_set_new(o, "km", json_integer(x->km));
    json_object_set_new(o, "days_used", json_integer(x->days_used));
    json_object_set_new(o, "utilisation_pct", pct(x->days_used, working_days));
    json_object_set_new(o, "costs", cs);
    json_object_set_new(o, "total_fen", json_integer(x->total));
    json_object_set_new(o, "cost_per_km_fen",
                        x->km ? json_integer((x->total + x->km / 2) / x->km) : json_null());
    return o;
}

static int xlsx_costs(struct req *r, const struct month *m, const struct vrow *v, int n,
                      const struct vrow *tot)
{
    char title[80];
    struct export_xlsx book;
    int rc = export_xlsx_open(r, &book, 0);
    if (rc)
        return rc;
    lxw_workbook *wb = book.wb;
    lxw_worksheet *ws = workbook_add_worksheet(wb, "单车核算");
    rc = ws ? 0 : err_set(&r->err, ERR_INTERNAL, NULL, NULL, "cannot start the spreadsheet");
    if (!rc) {
        lxw_format *bold = workbook_add_format(wb), *money = workbook_add_format(wb);
        lxw_format *one = workbook_add_format(wb);
        format_set_bold(bold);
        format_set_num_format(money, "0.00");
        format_set_num_format(one, "0.0");
        snprintf(title, sizeof(title), "公务用车单车核算 %s（工作日 %lld 天，金额单位：元）",
                 m->label, (long long)m->working_days);
        worksheet_write_string(ws, 0, 0, title, bold);
        static const char *const head[] = {"号牌",     "类别",         "品牌",     "型号",
                                           "出车次数", "行驶里程(km)", "出车天数", "利用率%"};
        int col = 0;
        for (int k = 0; k < 8; k++)
            worksheet_write_string(ws, 2, (lxw_col_t)col++, head[k], bold);
        for (int k = 0; k < NKINDS; k++)
            worksheet_write_string(ws, 2, (lxw_col_t)col++, kinds_zh[k], bold);
        worksheet_write_string(ws, 2, (lxw_col_t)col++, "合计", bold);
        worksheet_write_string(ws, 2, (lxw_col_t)col++, "每公里成本", bold);
        worksheet_set_column(ws, 0, 0, 14, NULL);
        worksheet_set_column(ws, 1, (lxw_col_t)(col - 1), 12, NULL);
        for (int i = 0; i <= n; i++) {
            const struct vrow *x = i < n ? &v[i] : tot;
            lxw_row_t row = (lxw_row_t)(3 + i);
            worksheet_write_string(ws, row, 0, i < n ? x->plate : "合计", i < n ? NULL : bold);
            if (i < n) {
                worksheet_write_string(ws, row, 1, x->cls, NULL);
                worksheet_write_string(ws, row, 2, x->brand, NULL);
                worksheet_write_string(ws, row, 3, x->model ? x->model : "", NULL);
            }
            worksheet_write_number(ws, row, 4, (double)x->trips, NULL);
            worksheet_write_number(ws, row, 5, (double)x->km, NULL);
            worksheet_write_number(ws, row, 6, (double)x->days_used, NULL);
            if (m->working_days && i < n)
                worksheet_write_number(
                    ws, row, 7, (double)pct_tenths(x->days_used, m->working_days) / 10.0, one);
            for (int k = 0; k < NKINDS; k++)
                worksheet_write_number(ws, row, (lxw_col_t)(8 + k), (double)x->cost[k] / 100.0,
                                       money);
            worksheet_write_number(ws, row, 16, (double)x->total / 100.0, money);
            if (x->km)
                worksheet_write_number(ws, row, 17, (double)x->total / 100.0 / (double)x->km,
                                       money);
        }
    }
    char name[40];
    snprintf(name, sizeof(name), "fleet-costs-%s", m->label);
    return export_xlsx_close(r, &book, rc, arena_strdup(r->a, name));
}

int fl_cost_report(struct req *r)
{
    struct month m;
    struct vrow *v = NULL, tot;
    int n = 0;
    int rc = perm_check(r, &fl_costs, "read");
    if (rc || (rc = parse_month(r, &m)))
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    if ((rc = build_costs(r, c, &m, &v, &n)))
        return rc;
    memset(&tot, 0, sizeof(tot));
    for (int i = 0; i < n; i++)
        add_row(&tot, &v[i]);
    size_t plen = strlen(r->path);
    if (plen > 5 && !strcmp(r->path + plen - 5, ".xlsx"))
        return xlsx_costs(r, &m, v, n, &tot);
    json_t *doc = json_object(), *arr = json_array();
    char d[16];
    json_object_set_new(doc, "month", json_string(m.label));
    date_format(m.first, d, sizeof(d));
    json_object_set_new(doc, "from", json_string(d));
    date_format(m.next - 1, d, sizeof(d));
    json_object_set_new(doc, "to", json_string(d));
    json_object_set_new(doc, "working_days", json_integer(m.working_days));
    for (int i = 0; i < n; i++) {
        json_t *o = row_json(&v[i], m.working_days);
        json_object_set_new(o, "vehicle_id", json_integer(v[i].id));
        json_object_set_new(o, "plate", json_string(v[i].plate));
        json_object_set_new(o, "class", json_string(v[i].cls));
        json_object_set_new(o, "brand", json_string(v[i].brand));
        json_object_set_new(o, "model", json_string(v[i].model ? v[i].model : ""));
        json_array_append_new(arr, o);
    }
    json_object_set_new(doc, "vehicles", arr);
    json_t *t = row_json(&tot, m.working_days * (n ? n : 1));
    json_object_set_new(t, "vehicles", json_integer(n));
    json_object_set_new(doc, "total", t);
    return report_send(r, doc);
}

/* ---- one vehicle's figures by month ---- */

#define MAX_MONTHS 36

/* GET /api/v1/vehicles/{id}/figures?month=YYYY-MM&months=N: the vehicle's
 * figures for each of the N months (1-36, 12 by default) up to the month
 * (this one by default), oldest first, each counted as the monthly report
 * counts it, and their total. */
/* ms[0..n) ending with the month ms[n - 1] (already set), each with its
 * working days. */
static int months_back(struct req *r, struct db_conn *c, struct month *ms, int n)
{
    struct calendar cal;
    for (int i = n - 2; i >= 0; i--) {
        char d[16];
        int64_t first;
        date_format(ms[i + 1].first - 1, d, sizeof(d));
        memcpy(d + 8, "01", 3);
        if (date_parse(d, 10, &first))
            return err_set(&r->err, ERR_INTERNAL, NULL, NULL, "bad month %s", d);
        month_of(r, first, &ms[i]);
    }
    int rc = cal_load(r, c, r->tenant_id, &cal, &r->err);
    for (int i = 0; !rc && i < n; i++)
        ms[i].working_days = cal_workdays_between(&cal, ms[i].first, ms[i].next);
    return rc;
}

/* Vehicle id's trips and costs, each counted in its month's row. */
static int vehicle_rows(struct req *r, struct db_conn *c, int64_t id, const struct month *ms,
                        int n, struct vrow *row)
{
    struct db_stmt *st;
    int rc = db_prepare_ints(c,
                             "SELECT started_at, ended_at, distance_km FROM trips WHERE "
                             "tenant_id = ? AND vehicle_id = ? AND status = 'closed' AND "
                             "started_at >= ? AND started_at < ?",
                             DB_INTS(r->tenant_id, id, ms[0].from, ms[n - 1].to), &st, &r->err);
    if (rc)
        return rc;
    int64_t off = (int64_t)r->utc_offset_min * 60;
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        int64_t at = db_col_int(st, 0);
        int i = 0;
        while (i < n - 1 && at >= ms[i].to)
            i++;
        add_trip(&row[i], &ms[i], at, db_col_is_null(st, 1) ? 0 : db_col_int(st, 1),
                 db_col_is_null(st, 2) ? 0 : db_col_int(st, 2), off);
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    char f[16], t[16];
    date_format(ms[0].first, f, sizeof(f));
    date_format(ms[n - 1].next, t, sizeof(t));
    if ((rc = db_prepare_ints(c,
                              "SELECT incurred_on, kind, SUM(amount_fen) FROM vehicle_costs "
                              "WHERE tenant_id = ? AND vehicle_id = ? AND incurred_on >= ? AND "
                              "incurred_on < ? GROUP BY incurred_on, kind",
                              DB_INTS(r->tenant_id, id), &st, &r->err)))
        return rc;
    db_bind_text(st, 3, f, strlen(f));
    db_bind_text(st, 4, t, strlen(t));
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        const char *day = db_col_text(st, 0, NULL), *k = db_col_text(st, 1, NULL);
        int i = 0;
        while (i < n - 1 && (!day || strncmp(day, ms[i].label, 7)))
            i++;
        add_cost(&row[i], k, db_col_int(st, 2));
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int fl_vehicle_figures(struct req *r)
{
    int64_t id, nm;
    struct month ms[MAX_MONTHS];
    struct vrow row[MAX_MONTHS], tot;
    json_t *v = NULL;
    struct db_conn *c;
    int rc = rest_record(r, &fl_costs, "read", &id, &c, NULL);
    if (rc || (rc = parse_month(r, &ms[0])) ||
        (rc = report_param_int(r, "months", 1, MAX_MONTHS, 12, &nm)) ||
        (rc = rec_load(r, c, &fl_vehicles, id, &v, &r->err))) /* in the caller's scope */
        return rc;
    if (!(v = report_keep(r, v)))
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    int n = (int)nm;
    ms[n - 1] = ms[0]; /* the last month last, then each one before it */
    memset(row, 0, sizeof(row));
    memset(&tot, 0, sizeof(tot));
    if ((rc = months_back(r, c, ms, n)) || (rc = vehicle_rows(r, c, id, ms, n, row)))
        return rc;
    json_t *arr = json_array();
    int64_t wd = 0;
    for (int i = 0; i < n; i++) {
        row[i].days_used = popcount32(row[i].days);
        json_t *o = row_json(&row[i], ms[i].working_days);
        json_object_set_new(o, "month", json_string(ms[i].label));
        json_object_set_new(o, "working_days", json_integer(ms[i].working_days));
        json_array_append_new(arr, o);
        add_row(&tot, &row[i]);
        wd += ms[i].working_days;
    }
    json_t *all = row_json(&tot, wd);
    json_object_set_new(all, "working_days", json_integer(wd));
    const char *plate = wf_str(v, "plate");
    return report_send(r, json_pack("{s:I,s:s,s:s,s:s,s:o,s:o}", "vehicle_id", (json_int_t)id,
                                    "plate", plate ? plate : "", "from", ms[0].label, "to",
                                    ms[n - 1].label, "months", arr, "total", all));
}

/* ---- renewal ---- */

static const char *group_of(const char *energy)
{
    return energy && !strcmp(energy, "electric") ? "electric" : "other";
}

int fl_rule_for(struct db_conn *c, int64_t tenant, const char *energy, struct fl_rule *rule,
                struct err *e)
{
    struct db_stmt *st;
    const char *g = group_of(energy);
    memset(rule, 0, sizeof(*rule));
    int rc =
        db_prepare_ints(c,
                        "SELECT min_years, more_than, min_km, either FROM vehicle_renewal_rules "
                        "WHERE tenant_id = ? AND energy_group = ? ORDER BY id DESC LIMIT 1",
                        DB_INTS(tenant), &st, e);
    if (rc)
        return rc;
    db_bind_text(st, 2, g, strlen(g));
    rc = db_step(st, e);
    if (rc == DB_ROW) {
        rule->min_years = (int)db_col_int(st, 0);
        rule->more_than = (int)db_col_int(st, 1);
        rule->min_km = db_col_is_null(st, 2) ? 0 : db_col_int(st, 2);
        rule->either = (int)db_col_int(st, 3);
    }
    db_reset(st);
    return rc < 0 ? rc : rc == DB_ROW ? 0 : 1;
}

static int64_t year_end(int year)
{
    char d[16];
    int64_t day = 0;
    snprintf(d, sizeof(d), "%04d-12-31", year);
    return date_parse(d, 10, &day) ? 0 : day;
}

int fl_vehicle_eligible(struct req *r, struct db_conn *c, int64_t vehicle, int year, struct err *e)
{
    struct db_stmt *st;
    struct fl_rule rule;
    char energy[16] = "", status[16] = "";
    int64_t reg = 0, km = 0;
    int rc =
        db_prepare_ints(c,
                        "SELECT registered_on, odometer_km, energy, status FROM vehicles WHERE "
                        "tenant_id = ? AND id = ?",
                        DB_INTS(r->tenant_id, vehicle), &st, e);
    if (rc)
        return rc;
    if ((rc = db_step(st, e)) == DB_ROW) {
        size_t n;
        const char *d = db_col_text(st, 0, &n);
        if (date_parse(d, n, &reg))
            reg = 0;
        km = db_col_int(st, 1);
        snprintf(energy, sizeof(energy), "%s", db_col_text(st, 2, NULL));
        snprintf(status, sizeof(status), "%s", db_col_text(st, 3, NULL));
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    if (rc != DB_ROW || !strcmp(status, "scrapped"))
        return 0; /* unknown (the reference check says so) or gone */
    if ((rc = fl_rule_for(c, r->tenant_id, energy, &rule, e)))
        return rc < 0 ? rc : 0;
    return fl_eligible(&rule, reg, year_end(year), km);
}

#define MAX_STD 64

struct std_row {
    char cls[24], group[12];
    json_t *j; /* released with the request */
};

/* The renewal plan's inputs: the tenant's rule of each energy group and the
 * class standards (newest first). */
struct renewal {
    struct fl_rule rules[2];
    json_t *rule_json[2]; /* released with the request; NULL: no rule */
    struct std_row stds[MAX_STD];
    int nstd;
};

static const char *const energy_groups[2] = {"electric", "other"};

static int load_renewal(struct req *r, struct db_conn *c, struct renewal *v)
{
    struct db_stmt *st;
    for (int g = 0; g < 2; g++) {
        int rc = fl_rule_for(c, r->tenant_id, energy_groups[g], &v->rules[g], &r->err);
        if (rc < 0)
            return rc;
        const struct fl_rule *u = &v->rules[g];
        v->rule_json[g] =
            rc ? NULL
               : report_keep(r,
                             json_pack("{s:s,s:i,s:b,s:o,s:b}", "energy_group", energy_groups[g],
                                       "min_years", u->min_years, "more_than", u->more_than,
                                       "min_km", u->min_km ? json_integer(u->min_km) : json_null(),
                                       "either", u->either));
    }
    int rc = db_prepare_ints(c,
                             "SELECT class, energy_group, max_price_fen, max_displacement_l, "
                             "confidence, source FROM vehicle_standards WHERE tenant_id = ? "
                             "ORDER BY id DESC LIMIT 64",
                             DB_INTS(r->tenant_id), &st, &r->err);
    if (rc)
        return rc;
    while ((rc = db_step(st, &r->err)) == DB_ROW && v->nstd < MAX_STD) {
        struct std_row *s = &v->stds[v->nstd++];
        snprintf(s->cls, sizeof(s->cls), "%s", db_col_text(st, 0, NULL));
        snprintf(s->group, sizeof(s->group), "%s", db_col_text(st, 1, NULL));
        s->j = report_keep(r, json_object());
        json_object_set_new(s->j, "max_price_fen",
                            db_col_is_null(st, 2) ? json_null() : json_integer(db_col_int(st, 2)));
        json_object_set_new(s->j, "max_displacement_l",
                            db_col_is_null(st, 3) ? json_null()
                                                  : json_real((double)db_col_int(st, 3) / 10.0));
        json_object_set_new(s->j, "confidence",
                            report_str(db_col_is_null(st, 4) ? NULL : db_col_text(st, 4, NULL)));
        json_object_set_new(s->j, "source",
                            report_str(db_col_is_null(st, 5) ? NULL : db_col_text(st, 5, NULL)));
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* An eligible vehicle (the current row of st) as the plan lists it, with
 * its rule and the limits of its class: fuel and new-energy standards, the
 * newest row of each. */
static json_t *eligible_json(struct db_stmt *st, const struct renewal *v, int g, int64_t reg,
                             int64_t ref)
{
    const char *cls = db_col_text(st, 2, NULL);
    json_t *o = json_object();
    json_object_set_new(o, "vehicle_id", json_integer(db_col_int(st, 0)));
    json_object_set_new(o, "plate", json_string(db_col_text(st, 1, NULL)));
    json_object_set_new(o, "class", json_string(cls));
    json_object_set_new(o, "brand", json_string(db_col_text(st, 3, NULL)));
    json_object_set_new(o, "model", json_string(db_col_text(st, 4, NULL)));
    json_object_set_new(o, "energy", json_string(db_col_text(st, 5, NULL)));
    json_object_set_new(o, "registered_on", json_string(db_col_text(st, 6, NULL)));
    json_object_set_new(o, "years_in_use", json_integer(fl_full_years(reg, ref)));
    json_object_set_new(o, "odometer_km", json_integer(db_col_int(st, 7)));
    json_object_set_new(o, "price_fen",
                        db_col_is_null(st, 8) ? json_null() : json_integer(db_col_int(st, 8)));
    json_object_set_new(o, "displacement_l",
                        db_col_is_null(st, 9) ? json_null()
                                              : json_real((double)db_col_int(st, 9) / 1000.0));
    json_object_set_new(o, "status", json_string(db_col_text(st, 10, NULL)));
    json_object_set_new(o, "department_id",
                        db_col_is_null(st, 11) ? json_null() : json_integer(db_col_int(st, 11)));
    json_object_set(o, "rule", v->rule_json[g]);
    json_t *lim = json_object();
    for (int k = 0; k < v->nstd; k++) {
        const char *key = !strcmp(v->stds[k].group, "electric") ? "new_energy" : "fuel";
        if (!strcmp(v->stds[k].cls, cls) && !json_object_get(lim, key))
            json_object_set(lim, key, v->stds[k].j);
    }
    json_object_set_new(o, "limits", lim);
    return o;
}

static json_t *int_or_null(struct db_stmt *st, int col)
{
    return db_col_is_null(st, col) ? json_null() : json_integer(db_col_int(st, col));
}

/* The vehicles in service (in the caller's read scope) and the planned
 * renewals of year allowed over their class standard: the figures, the
 * reason and who allowed it. */
static int over_standard(struct req *r, struct db_conn *c, const struct perm_filter *pf,
                         int64_t year, json_t **vehicles, json_t **items)
{
    struct buf sql;
    struct db_stmt *st;
    *vehicles = report_keep(r, json_array());
    *items = report_keep(r, json_array());
    buf_init(&sql, r->a);
    buf_puts(&sql, "SELECT id, plate, class, energy, price_fen, displacement_l, "
                   "over_standard_reason, over_standard_by FROM vehicles WHERE tenant_id = ? AND "
                   "status <> 'scrapped' AND over_standard_reason IS NOT NULL");
    perm_filter_sql(pf, &sql);
    buf_puts(&sql, " ORDER BY id LIMIT 5000");
    if (!buf_ok(&sql))
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    int rc = db_prepare_ints(c, sql.p, DB_INTS(r->tenant_id), &st, &r->err);
    if (rc)
        return rc;
    perm_filter_bind(pf, st, 2);
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        json_t *o = json_pack("{s:I,s:s,s:s,s:s}", "vehicle_id", (json_int_t)db_col_int(st, 0),
                              "plate", db_col_text(st, 1, NULL), "class",
                              db_col_text(st, 2, NULL), "energy", db_col_text(st, 3, NULL));
        json_object_set_new(o, "price_fen", int_or_null(st, 4));
        json_object_set_new(o, "displacement_l",
                            db_col_is_null(st, 5)
                                ? json_null()
                                : json_real((double)db_col_int(st, 5) / 1000.0));
        json_object_set_new(o, "over_standard_reason", json_string(db_col_text(st, 6, NULL)));
        json_object_set_new(o, "over_standard_by", int_or_null(st, 7));
        json_array_append_new(*vehicles, o);
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    if (perm_scope(r, &fl_plan_items, "read") == SCOPE_NONE)
        return 0;
    if ((rc = db_prepare_ints(c,
                              "SELECT i.id, i.vehicle_id, i.class, i.energy, i.planned_price_fen, "
                              "i.planned_displacement_l, i.over_standard_reason, "
                              "i.over_standard_by FROM renewal_plan_items i JOIN renewal_plans p "
                              "ON p.tenant_id = i.tenant_id AND p.id = i.plan_id WHERE i.tenant_id "
                              "= ? AND p.year = ? AND i.over_standard_reason IS NOT NULL ORDER BY "
                              "i.id LIMIT 5000",
                              DB_INTS(r->tenant_id, year), &st, &r->err)))
        return rc;
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        json_t *o = json_pack("{s:I,s:I}", "item_id", (json_int_t)db_col_int(st, 0), "vehicle_id",
                              (json_int_t)db_col_int(st, 1));
        json_object_set_new(o, "class", report_str(db_col_text(st, 2, NULL)));
        json_object_set_new(o, "energy", report_str(db_col_text(st, 3, NULL)));
        json_object_set_new(o, "planned_price_fen", int_or_null(st, 4));
        json_object_set_new(o, "planned_displacement_l",
                            db_col_is_null(st, 5)
                                ? json_null()
                                : json_real((double)db_col_int(st, 5) / 1000.0));
        json_object_set_new(o, "over_standard_reason", json_string(db_col_text(st, 6, NULL)));
        json_object_set_new(o, "over_standard_by", int_or_null(st, 7));
        json_array_append_new(*items, o);
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int fl_renewal_report(struct req *r)
{
    struct perm_filter pf;
    struct buf sql;
    struct db_stmt *st;
    struct renewal *v = arena_zalloc(r->a, sizeof(*v));
    char d[16];
    int64_t y;
    int rc = perm_check(r, &fl_vehicles, "read");
    if (rc)
        return rc;
    date_format(report_today(r), d, sizeof(d));
    if ((rc = report_param_int(r, "year", 2000, 2100, strtol(d, NULL, 10), &y)))
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    if (!v)
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    if ((rc = load_renewal(r, c, v)))
        return rc;
    perm_filter(r, &fl_vehicles, &pf);
    buf_init(&sql, r->a);
    buf_puts(&sql, "SELECT id, plate, class, brand, model, energy, registered_on, odometer_km, "
                   "price_fen, displacement_l, status, department_id FROM vehicles WHERE "
                   "tenant_id = ? AND status <> 'scrapped'");
    perm_filter_sql(&pf, &sql);
    buf_puts(&sql, " ORDER BY registered_on, id LIMIT 5000");
    if (!buf_ok(&sql))
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    if ((rc = db_prepare_ints(c, sql.p, DB_INTS(r->tenant_id), &st, &r->err)))
        return rc;
    perm_filter_bind(&pf, st, 2);
    int64_t ref = year_end((int)y);
    int total = 0;
    json_t *arr = report_keep(r, json_array());
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        size_t n;
        int64_t reg;
        const char *t = db_col_text(st, 6, &n);
        int g = !strcmp(group_of(db_col_text(st, 5, NULL)), "electric") ? 0 : 1;
        total++;
        if (v->rule_json[g] && !date_parse(t, n, &reg) &&
            fl_eligible(&v->rules[g], reg, ref, db_col_int(st, 7)))
            json_array_append_new(arr, eligible_json(st, v, g, reg, ref));
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    json_t *rl = json_array();
    char ye[16];
    date_format(ref, ye, sizeof(ye));
    for (int g = 0; g < 2; g++)
        if (v->rule_json[g])
            json_array_append(rl, v->rule_json[g]);
    json_t *ov, *oi;
    if ((rc = over_standard(r, c, &pf, y, &ov, &oi))) {
        json_decref(rl);
        return rc;
    }
    return report_send(r, json_pack("{s:i,s:s,s:o,s:i,s:i,s:O,s:{s:O,s:O}}", "year", (int)y,
                                    "as_of", ye, "rules", rl, "vehicles_in_service", total,
                                    "eligible", (int)json_array_size(arr), "items", arr,
                                    "over_standard", "vehicles", ov, "plan_items", oi));
}

/* ---- the dashboard card ---- */

int fl_summary(struct req *r, struct db_conn *c, json_t *cards, struct err *e)
{
    struct db_stmt *st;
    if (perm_scope(r, &fl_vehicles, "read") != SCOPE_TENANT)
        return 0;
    json_t *card = json_pack("{s:s,s:s,s:s,s:s}", "id", "fleet", "kind", "kpi", "zh", "车辆状态",
                             "en", "Vehicles");
    int rc = db_prepare(c,
                        "SELECT status, COUNT(*) FROM vehicles WHERE tenant_id = ? GROUP BY "
                        "status",
                        &st, e);
    if (rc) {
        json_decref(card);
        return rc;
    }
    db_bind_int(st, 1, r->tenant_id);
    while ((rc = db_step(st, e)) == DB_ROW)
        json_object_set_new(card, db_col_text(st, 0, NULL), json_integer(db_col_int(st, 1)));
    db_reset(st);
    if (rc >= 0 && !(rc = db_prepare(c,
                                     "SELECT status, COUNT(*) FROM trip_requests WHERE "
                                     "tenant_id = ? AND status IN ('submitted', 'approved', "
                                     "'dispatched') GROUP BY status",
                                     &st, e))) {
        db_bind_int(st, 1, r->tenant_id);
        while ((rc = db_step(st, e)) == DB_ROW) {
            char k[40];
            snprintf(k, sizeof(k), "requests_%s", db_col_text(st, 0, NULL));
            json_object_set_new(card, k, json_integer(db_col_int(st, 1)));
        }
        db_reset(st);
    }
    if (rc < 0) {
        json_decref(card);
        return rc;
    }
    static const char *const labels[][3] = {
        {"available", "在库可用", "Available"},
        {"on_trip", "出车中", "On a trip"},
        {"in_repair", "维修中", "In repair"},
        {"to_scrap", "待处置", "To be disposed of"},
        {"scrapped", "已处置", "Disposed of"},
        {"requests_submitted", "待审批申请", "Requests to approve"},
        {"requests_approved", "待派车申请", "Requests to dispatch"},
        {"requests_dispatched", "已派车申请", "Requests dispatched"},
    };
    json_t *lab = json_object();
    for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
        json_object_set_new(lab, labels[i][0],
                            json_pack("{s:s,s:s}", "zh", labels[i][1], "en", labels[i][2]));
    json_object_set_new(card, "labels", lab);
    json_array_append_new(cards, card);
    return 0;
}
