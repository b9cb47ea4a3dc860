/* SPDX-License-Identifier: MIT
 * servicedesk/reports.c - the bureau's yardstick: volume, backlog, SLA
 * attainment, mean time to respond and to resolve, and satisfaction (满意度:
 * the share of ratings of 4 or 5), for a period, grouped by team, type,
 * building, department or month; as JSON, as XLSX, and as a dashboard card.
 * Everything is counted within the caller's read scope on service_requests.
 *
 *   GET /api/v1/servicedesk/stats?by=team|type|building|department|month&from=&to=
 *   GET /api/v1/servicedesk/report?from=&to=        (.xlsx: the same, one sheet a grouping)
 */
#include "servicedesk.h"
#include "../../core/arena.h"
#include "../../core/buf.h"
#include "../../core/core.h"
#include "../../core/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../engine/rest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define MAX_GROUPS 2000

struct agg {
    char key[64];
    const char *label;
    int64_t n, open, resolved, respond_n, respond_met, resolve_n, resolve_met;
    int64_t respond_s, respond_cnt, resolve_s, resolve_cnt, rated, score_sum, satisfied;
};

struct period {
    int64_t from_day, to_day; /* [from, to) local days */
    int64_t from, to;         /* the same as UTC instants */
};

static const char *const metric_sql =
    "COUNT(*), "
    "SUM(CASE WHEN status IN ('submitted', 'assigned', 'in_progress', 'waiting') THEN 1 ELSE 0 "
    "END), "
    "SUM(CASE WHEN resolved_at IS NOT NULL THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN respond_due_at IS NOT NULL AND responded_at IS NOT NULL THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN responded_at IS NOT NULL AND responded_at <= respond_due_at THEN 1 ELSE 0 "
    "END), "
    "SUM(CASE WHEN resolve_due_at IS NOT NULL AND resolved_at IS NOT NULL THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN resolved_at IS NOT NULL AND resolved_at <= resolve_due_at THEN 1 ELSE 0 "
    "END), "
    "SUM(CASE WHEN responded_at IS NOT NULL THEN responded_at - created_at ELSE 0 END), "
    "SUM(CASE WHEN responded_at IS NOT NULL THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN resolved_at IS NOT NULL THEN resolved_at - created_at ELSE 0 END), "
    "COUNT(score), SUM(CASE WHEN score IS NOT NULL THEN score ELSE 0 END), "
    "SUM(CASE WHEN score >= 4 THEN 1 ELSE 0 END)";

static void add(struct agg *to, const struct agg *x)
{
    to->n += x->n;
    to->open += x->open;
    to->resolved += x->resolved;
    to->respond_n += x->respond_n;
    to->respond_met += x->respond_met;
    to->resolve_n += x->resolve_n;
    to->resolve_met += x->resolve_met;
    to->respond_s += x->respond_s;
    to->respond_cnt += x->respond_cnt;
    to->resolve_s += x->resolve_s;
    to->resolve_cnt += x->resolved;
    to->rated += x->rated;
    to->score_sum += x->score_sum;
    to->satisfied += x->satisfied;
}

static void read_metrics(struct db_stmt *st, int k, struct agg *g)
{
    g->n = db_col_int(st, k++);
    g->open = db_col_int(st, k++);
    g->resolved = db_col_int(st, k++);
    g->respond_n = db_col_int(st, k++);
    g->respond_met = db_col_int(st, k++);
    g->resolve_n = db_col_int(st, k++);
    g->resolve_met = db_col_int(st, k++);
    g->respond_s = db_col_int(st, k++);
    g->respond_cnt = db_col_int(st, k++);
    g->resolve_s = db_col_int(st, k++);
    g->resolve_cnt = g->resolved;
    g->rated = db_col_int(st, k++);
    g->score_sum = db_col_int(st, k++);
    g->satisfied = db_col_int(st, k++);
}

static json_t *pct(int64_t a, int64_t b)
{
    return b ? json_real((double)(a * 1000 / b) / 10.0) : json_null();
}

static json_t *metrics_json(const struct agg *g)
{
    json_t *o = json_object();
    json_object_set_new(o, "count", json_integer(g->n));
    json_object_set_new(o, "open", json_integer(g->open));
    json_object_set_new(o, "resolved", json_integer(g->resolved));
    json_object_set_new(o, "respond_sla_pct", pct(g->respond_met, g->respond_n));
    json_object_set_new(o, "resolve_sla_pct", pct(g->resolve_met, g->resolve_n));
    json_object_set_new(o, "mean_respond_min",
                        g->respond_cnt ? json_integer(g->respond_s / g->respond_cnt / 60)
                                       : json_null());
    json_object_set_new(o, "mean_resolve_min",
                        g->resolve_cnt ? json_integer(g->resolve_s / g->resolve_cnt / 60)
                                       : json_null());
    json_object_set_new(o, "rated", json_integer(g->rated));
    json_object_set_new(o, "avg_score",
                        g->rated ? json_real((double)(g->score_sum * 100 / g->rated) / 100.0)
                                 : json_null());
    json_object_set_new(o, "satisfaction_pct", pct(g->satisfied, g->rated));
    return o;
}

/* ?from=&to= (local dates, to exclusive of the day after); default: the last 12 months. */
static int parse_period(struct req *r, struct period *p)
{
    const char *f = req_query(r, "from"), *t = req_query(r, "to");
    int64_t today = (clock_now() + (int64_t)r->utc_offset_min * 60) / 86400;
    p->to_day = today + 1;
    p->from_day = today - 364;
    if (t && date_parse(t, strlen(t), &p->to_day))
        err_field(&r->err, "to", "must be a date YYYY-MM-DD");
    else if (t)
        p->to_day += 1; /* the whole of that day */
    if (f && date_parse(f, strlen(f), &p->from_day))
        err_field(&r->err, "from", "must be a date YYYY-MM-DD");
    if (!r->err.nitems && p->from_day >= p->to_day)
        err_field(&r->err, "to", "must not be before from");
    if (!r->err.nitems && p->to_day - p->from_day > 3660)
        err_field(&r->err, "from", "a period of at most ten years");
    if (r->err.nitems)
        return err_set(&r->err, ERR_BAD_QUERY, NULL, "invalid period");
    p->from = p->from_day * 86400 - (int64_t)r->utc_offset_min * 60;
    p->to = p->to_day * 86400 - (int64_t)r->utc_offset_min * 60;
    return 0;
}

/* The grouping's key column ("" for none) and the table that names its ids. */
static int grouping(const char *by, const char **col, const char **names)
{
    static const char *const t[][3] = {
        {"team", "team_id", "service_teams"},   {"type", "type_id", "service_types"},
        {"building", "building", NULL},         {"department", "department_id", "departments"},
        {"month", "(created_at + ?) / 86400", NULL}, {"total", "NULL", NULL},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (!strcmp(by, t[i][0])) {
            *col = t[i][1];
            *names = t[i][2];
            return 0;
        }
    return -1;
}

/* Names of the ids of a small table (teams, types, departments). */
static const char *name_of(struct req *r, struct db_conn *c, const char *table, int64_t id)
{
    struct db_stmt *st;
    struct err e;
    const char *out = NULL;
    char *sql = arena_printf(r->a, "SELECT name FROM %s WHERE tenant_id = ? AND id = ?", table);
    err_clear(&e);
    if (!sql || db_prepare(c, sql, &st, &e))
        return NULL;
    db_bind_int(st, 1, r->tenant_id);
    db_bind_int(st, 2, id);
    if (db_step(st, &e) == DB_ROW)
        out = arena_strdup(r->a, db_col_text(st, 0, NULL));
    db_reset(st);
    return out;
}

/* Aggregates the caller's requests filed in p by `by`; *out arena memory. */
static int aggregate(struct req *r, struct db_conn *c, const char *by, const struct period *p,
                     struct agg **out, int *nout)
{
    const char *col, *names;
    struct perm_filter pf;
    struct buf sql;
    struct db_stmt *st;
    if (grouping(by, &col, &names))
        return err_set(&r->err, ERR_BAD_QUERY, "by",
                       "by must be team, type, building, department or month");
    perm_filter(r, &sd_requests, &pf);
    buf_init(&sql, r->a);
    int month = !strcmp(by, "month");
    buf_printf(&sql, "SELECT %s, %s FROM service_requests WHERE tenant_id = ? AND created_at >= ? "
                     "AND created_at < ?",
               col, metric_sql);
    perm_filter_sql(&pf, &sql);
    if (strcmp(by, "total"))
        buf_puts(&sql, " GROUP BY 1"); /* by position: the same expression, bound once */
    if (!buf_ok(&sql))
        return err_set(&r->err, ERR_BUDGET, NULL, "request memory budget exceeded");
    int rc = db_prepare(c, sql.p, &st, &r->err);
    if (rc)
        return rc;
    int k = 1;
    if (month)
        db_bind_int(st, k++, (int64_t)r->utc_offset_min * 60);
    db_bind_int(st, k++, r->tenant_id);
    db_bind_int(st, k++, p->from);
    db_bind_int(st, k++, p->to);
    perm_filter_bind(&pf, st, k);
    struct agg *g = arena_zalloc(r->a, sizeof(*g) * MAX_GROUPS);
    int n = 0;
    while (g && (rc = db_step(st, &r->err)) == DB_ROW) {
        struct agg x;
        memset(&x, 0, sizeof(x));
        read_metrics(st, 1, &x);
        if (month) {
            char d[16];
            date_format(db_col_int(st, 0), d, sizeof(d));
            snprintf(x.key, sizeof(x.key), "%.7s", d);
        } else if (!db_col_is_null(st, 0)) {
            snprintf(x.key, sizeof(x.key), "%s", db_col_text(st, 0, NULL));
        }
        int i = 0;
        while (i < n && strcmp(g[i].key, x.key))
            i++;
        if (i == n) {
            if (n == MAX_GROUPS)
                continue;
            memcpy(g[n].key, x.key, sizeof(x.key));
            n++;
        }
        add(&g[i], &x);
    }
    db_reset(st);
    if (!g)
        return err_set(&r->err, ERR_BUDGET, NULL, "request memory budget exceeded");
    if (rc < 0)
        return rc;
    for (int i = 0; i < n; i++) {
        if (names && g[i].key[0])
            g[i].label = name_of(r, c, names, strtoll(g[i].key, NULL, 10));
        else
            g[i].label = g[i].key[0] ? g[i].key : NULL;
    }
    /* months in order; other groupings by volume */
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0; j--) {
            int swap = month ? strcmp(g[j - 1].key, g[j].key) > 0 : g[j - 1].n < g[j].n;
            if (!swap)
                break;
            struct agg t = g[j];
            g[j] = g[j - 1];
            g[j - 1] = t;
        }
    *out = g;
    *nout = n;
    return 0;
}

static json_t *groups_json(const struct agg *g, int n)
{
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = metrics_json(&g[i]);
        json_object_set_new(o, "key", g[i].key[0] ? json_string(g[i].key) : json_null());
        json_object_set_new(o, "label", g[i].label ? json_string(g[i].label) : json_null());
        json_array_append_new(arr, o);
    }
    return arr;
}

static int send_json(struct req *r, json_t *doc)
{
    char *s = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(6));
    json_decref(doc);
    if (!s)
        return err_set(&r->err, ERR_INTERNAL, NULL, "cannot render the report");
    buf_puts(&r->out, s);
    core_free(s); /* json_dumps allocates with the default malloc */
    return resp_json(r, 200);
}

static json_t *period_json(const struct period *p)
{
    char f[16], t[16];
    date_format(p->from_day, f, sizeof(f));
    date_format(p->to_day - 1, t, sizeof(t));
    return json_pack("{s:s,s:s}", "from", f, "to", t);
}

int sd_stats(struct req *r)
{
    struct period p;
    struct agg *g;
    int n;
    const char *by = req_query(r, "by");
    int rc = perm_check(r, &sd_requests, "read");
    if (rc || (rc = parse_period(r, &p)))
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    if ((rc = aggregate(r, c, by ? by : "team", &p, &g, &n)))
        return rc;
    json_t *doc = period_json(&p);
    json_object_set_new(doc, "by", json_string(by ? by : "team"));
    json_object_set_new(doc, "groups", groups_json(g, n));
    return send_json(r, doc);
}

static const char *const sheets[][2] = {
    {"month", "按月"}, {"type", "按类型"}, {"team", "按班组"}, {"building", "按楼宇"},
    {"department", "按申请部门"},
};

static int xlsx_report(struct req *r, struct db_conn *c, const struct period *p,
                       const struct agg *total)
{
    static const char *const head[] = {"分组", "受理量", "未办结", "已办结", "响应达标率%",
                                       "办结达标率%", "平均响应(分钟)", "平均办结(分钟)",
                                       "评价数", "平均分", "满意度%"};
    char dir[256], path[300];
    const char *t = getenv("TMPDIR");
    snprintf(dir, sizeof(dir), "%s", t && *t && strlen(t) < 200 ? t : "/tmp");
    snprintf(path, sizeof(path), "%s/bureau-report-XXXXXX", dir);
    int fd = mkostemp(path, O_CLOEXEC);
    if (fd < 0)
        return err_set(&r->err, ERR_INTERNAL, NULL, "cannot create a temporary file: %s",
                       strerror(errno));
    close(fd);
    lxw_workbook_options opt = {.constant_memory = 0, .tmpdir = dir};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    int rc = wb ? 0 : err_set(&r->err, ERR_INTERNAL, NULL, "cannot start the spreadsheet");
    lxw_format *bold = wb ? workbook_add_format(wb) : NULL;
    if (bold)
        format_set_bold(bold);
    for (size_t s = 0; !rc && s <= sizeof(sheets) / sizeof(sheets[0]); s++) {
        struct agg *g;
        int n;
        const struct agg *rows = total;
        if (s == 0) {
            n = 1;
        } else {
            if ((rc = aggregate(r, c, sheets[s - 1][0], p, &g, &n)))
                break;
            rows = g;
        }
        lxw_worksheet *ws = workbook_add_worksheet(wb, s ? sheets[s - 1][1] : "概要");
        if (!ws) {
            rc = err_set(&r->err, ERR_INTERNAL, NULL, "cannot add a sheet");
            break;
        }
        worksheet_set_column(ws, 0, 0, 24, NULL);
        worksheet_set_column(ws, 1, 10, 14, NULL);
        for (int k = 0; k < 11; k++)
            worksheet_write_string(ws, 0, (lxw_col_t)k, head[k], bold);
        for (int i = 0; i < n; i++) {
            const struct agg *x = &rows[i];
            lxw_row_t row = (lxw_row_t)(i + 1);
            const char *label = s == 0 ? "合计" : x->label ? x->label : "(未指定)";
            worksheet_write_string(ws, row, 0, label, NULL);
            double v[10] = {(double)x->n,
                            (double)x->open,
                            (double)x->resolved,
                            x->respond_n ? 100.0 * (double)x->respond_met / (double)x->respond_n
                                         : -1,
                            x->resolve_n ? 100.0 * (double)x->resolve_met / (double)x->resolve_n
                                         : -1,
                            x->respond_cnt ? (double)(x->respond_s / x->respond_cnt / 60) : -1,
                            x->resolve_cnt ? (double)(x->resolve_s / x->resolve_cnt / 60) : -1,
                            (double)x->rated,
                            x->rated ? (double)x->score_sum / (double)x->rated : -1,
                            x->rated ? 100.0 * (double)x->satisfied / (double)x->rated : -1};
            for (int k = 0; k < 10; k++)
                if (v[k] >= 0)
                    worksheet_write_number(ws, row, (lxw_col_t)(k + 1), v[k], NULL);
        }
    }
    if (wb) {
        lxw_error le = workbook_close(wb);
        if (!rc && le != LXW_NO_ERROR)
            rc = err_set(&r->err, ERR_INTERNAL, NULL, "cannot write the spreadsheet: %s",
                         lxw_strerror(le));
    }
    if (!rc)
        rc = export_send_file(r, path, "servicedesk-report", "xlsx",
                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    unlink(path);
    return rc;
}

int sd_report(struct req *r)
{
    struct period p;
    struct agg *tot, *g;
    int n, ntot;
    int rc = perm_check(r, &sd_requests, "read");
    if (rc || (rc = parse_period(r, &p)))
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    if ((rc = aggregate(r, c, "total", &p, &tot, &ntot)))
        return rc;
    struct agg zero;
    memset(&zero, 0, sizeof(zero));
    const struct agg *total = ntot ? &tot[0] : &zero;
    size_t plen = strlen(r->path);
    if (plen > 5 && !strcmp(r->path + plen - 5, ".xlsx"))
        return xlsx_report(r, c, &p, total);
    json_t *doc = period_json(&p);
    json_object_set_new(doc, "total", metrics_json(total));
    for (size_t s = 0; s < sizeof(sheets) / sizeof(sheets[0]); s++) {
        if ((rc = aggregate(r, c, sheets[s][0], &p, &g, &n))) {
            json_decref(doc);
            return rc;
        }
        char key[40];
        snprintf(key, sizeof(key), "by_%s", sheets[s][0]);
        json_object_set_new(doc, key, groups_json(g, n));
    }
    return send_json(r, doc);
}

/* The dashboard card: this month so far, within the caller's scope. */
int sd_summary(struct req *r, struct db_conn *c, json_t *cards, struct err *e)
{
    struct period p;
    struct agg *g;
    int n;
    (void)e;
    if (perm_check(r, &sd_requests, "read")) {
        err_clear(&r->err);
        return 0;
    }
    int64_t today = (clock_now() + (int64_t)r->utc_offset_min * 60) / 86400;
    char d[16];
    date_format(today, d, sizeof(d));
    int64_t first;
    char m[16];
    snprintf(m, sizeof(m), "%.8s01", d);
    if (date_parse(m, 10, &first))
        return 0;
    p.from_day = first;
    p.to_day = today + 1;
    p.from = p.from_day * 86400 - (int64_t)r->utc_offset_min * 60;
    p.to = p.to_day * 86400 - (int64_t)r->utc_offset_min * 60;
    int rc = aggregate(r, c, "total", &p, &g, &n);
    if (rc)
        return rc;
    struct agg zero;
    memset(&zero, 0, sizeof(zero));
    json_t *card = metrics_json(n ? &g[0] : &zero);
    json_object_set_new(card, "id", json_string("month"));
    json_object_set_new(card, "kind", json_string("kpi"));
    json_object_set_new(card, "zh", json_string("本月服务"));
    json_object_set_new(card, "en", json_string("Service this month"));
    json_object_set_new(card, "period", period_json(&p));
    json_array_append_new(cards, card);
    return 0;
}
