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
#include "../../engine/export.h"
#include "../../engine/report.h"
#include "../../base/arena.h"
#include "../../base/buf.h"
#include "../../base/base.h"
#include "../../base/err.h"
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

#define MAX_GROUPS 1000 /* groups a grouping keeps; rows beyond count in the total only */
#define NSETS 5 /* the groupings: team, type, building, department, month */

#define KEY_MAX 192 /* a building's name: 60 characters of up to 3 bytes */

/* How long a group's requests took to one mark (responded, resolved): done
 * of them took secs in all; met of the due ones were in time. */
struct timing {
    int64_t done, secs, due, met;
};

struct agg {
    char key[KEY_MAX];
    const char *label;
    int64_t n, open, resolved, rated, score_sum, satisfied;
    struct timing respond, resolve;
};

struct period {
    int64_t from_day, to_day; /* [from, to) local days */
    int64_t from, to;         /* the same as UTC instants */
};

/* One grouping's groups, and what names its ids. */
struct set {
    const char *by, *zh, *names;
    struct agg *g;
    int n;
};

/* Every figure, for a period: the total and each grouping, made in one pass
 * over the period's requests (the created_at index), so a month's report
 * reads each of its rows once. */
struct report {
    struct agg total;
    struct set sets[NSETS];
};

static const struct {
    const char *by, *zh, *names;
} groupings[NSETS] = {
    {"month", "按月", NULL},          {"type", "按类型", "service_types"},
    {"team", "按班组", "service_teams"}, {"building", "按楼宇", NULL},
    {"department", "按申请部门", "departments"},
};

static int set_of(const char *by)
{
    for (int i = 0; i < NSETS; i++)
        if (!strcmp(by, groupings[i].by))
            return i;
    return -1;
}

/* A request reaching the mark at (0: not yet), due by due (0: no target). */
static void time_to(struct timing *t, int64_t created, int64_t at, int64_t due)
{
    if (!at)
        return;
    t->done++;
    t->secs += at - created;
    if (due) {
        t->due++;
        t->met += at <= due;
    }
}

/* One request's share of the figures. */
static void count_row(struct agg *g, const char *status, int64_t created, int64_t rdue,
                      int64_t responded, int64_t vdue, int64_t resolved, int64_t score)
{
    g->n++;
    g->open += !strcmp(status, "submitted") || !strcmp(status, "assigned") ||
               !strcmp(status, "in_progress") || !strcmp(status, "waiting");
    g->resolved += resolved != 0;
    time_to(&g->respond, created, responded, rdue);
    time_to(&g->resolve, created, resolved, vdue);
    if (score) {
        g->rated++;
        g->score_sum += score;
        g->satisfied += score >= 4;
    }
}

/* The group of set s named key (made when new); NULL when the set is full. */
static struct agg *group(struct set *s, const char *key)
{
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->g[i].key, key))
            return &s->g[i];
    if (s->n == MAX_GROUPS)
        return NULL;
    struct agg *g = &s->g[s->n++];
    size_t n = strnlen(key, KEY_MAX - 1);
    memcpy(g->key, key, n);
    g->key[n] = 0;
    return g;
}

/* Shares and means are rounded half up from the exact fraction, the same in
 * JSON and XLSX: a percentage and the mean score to one decimal (2 of 3 rated
 * 4 or 5: 66.7), mean times to whole minutes. -1: nothing to divide by. */
static int64_t pct10(int64_t a, int64_t b)
{
    return b ? pct_tenths(a, b) : -1;
}

static int64_t score10(const struct agg *g)
{
    return g->rated ? div_round(g->score_sum * 10, g->rated) : -1;
}

static int64_t minutes(const struct timing *t)
{
    return t->done ? div_round(t->secs, t->done * 60) : -1;
}

static json_t *tenths_json(int64_t v)
{
    return v < 0 ? json_null() : json_real((double)v / 10.0);
}

static json_t *pct(int64_t a, int64_t b)
{
    return tenths_json(pct10(a, b));
}

/* Whole minutes on average, null when none reached the mark. */
static json_t *mean_min(const struct timing *t)
{
    return t->done ? json_integer(minutes(t)) : json_null();
}

static json_t *metrics_json(const struct agg *g)
{
    json_t *o = json_object();
    json_object_set_new(o, "count", json_integer(g->n));
    json_object_set_new(o, "open", json_integer(g->open));
    json_object_set_new(o, "resolved", json_integer(g->resolved));
    json_object_set_new(o, "respond_sla_pct", pct(g->respond.met, g->respond.due));
    json_object_set_new(o, "resolve_sla_pct", pct(g->resolve.met, g->resolve.due));
    json_object_set_new(o, "mean_respond_min", mean_min(&g->respond));
    json_object_set_new(o, "mean_resolve_min", mean_min(&g->resolve));
    json_object_set_new(o, "rated", json_integer(g->rated));
    json_object_set_new(o, "avg_score", tenths_json(score10(g)));
    json_object_set_new(o, "satisfaction_pct", pct(g->satisfied, g->rated));
    return o;
}

/* ?from=&to= (local dates, to exclusive of the day after); default: the last 12 months. */
static int parse_period(struct req *r, struct period *p)
{
    int64_t today = report_today(r), last;
    int rc = report_param_day(r, "to", today, &last);
    if (rc || (rc = report_param_day(r, "from", today - 364, &p->from_day)))
        return rc;
    p->to_day = last + 1; /* the whole of that day */
    if (p->from_day >= p->to_day)
        return err_set(&r->err, ERR_BAD_QUERY, "to", "query.period_order",
                       "must not be before from");
    if (p->to_day - p->from_day > 3660)
        return err_set(&r->err, ERR_BAD_QUERY, "from", "query.period_long",
                       "a period of at most {years}%d years", 10);
    p->from = p->from_day * 86400 - (int64_t)r->utc_offset_min * 60;
    p->to = p->to_day * 86400 - (int64_t)r->utc_offset_min * 60;
    return 0;
}

/* Names of the ids of a small table (teams, types, departments). */
static const char *name_of(struct req *r, struct db_conn *c, const char *table, int64_t id)
{
    struct db_stmt *st;
    struct err e;
    const char *out = NULL;
    char *sql = arena_printf(r->a, "SELECT name FROM %s WHERE tenant_id = ? AND id = ?", table);
    err_clear(&e);
    if (!sql || db_prepare_ints(c, sql, DB_INTS(r->tenant_id, id), &st, &e))
        return NULL;
    if (db_step(st, &e) == DB_ROW)
        out = arena_strdup(r->a, db_col_text(st, 0, NULL));
    db_reset(st);
    return out;
}

static int64_t col_or0(struct db_stmt *st, int k)
{
    return db_col_is_null(st, k) ? 0 : db_col_int(st, k);
}

/* The caller's requests filed in p, counted into rep (arena memory). */
static int build_report(struct req *r, struct db_conn *c, const struct period *p,
                        struct report *rep)
{
    struct perm_filter pf;
    struct buf sql;
    struct db_stmt *st;
    memset(rep, 0, sizeof(*rep));
    for (int i = 0; i < NSETS; i++) {
        rep->sets[i].by = groupings[i].by;
        rep->sets[i].zh = groupings[i].zh;
        rep->sets[i].names = groupings[i].names;
        rep->sets[i].g = arena_zalloc(r->a, sizeof(struct agg) * MAX_GROUPS);
        if (!rep->sets[i].g)
            return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    }
    perm_filter(r, &sd_requests, &pf);
    buf_init(&sql, r->a);
    buf_puts(&sql, "SELECT (created_at + ?) / 86400, type_id, team_id, building, department_id, "
                   "status, created_at, respond_due_at, responded_at, resolve_due_at, "
                   "resolved_at, score FROM service_requests WHERE tenant_id = ? AND "
                   "created_at >= ? AND created_at < ?");
    perm_filter_sql(&pf, &sql);
    if (!buf_ok(&sql))
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    int rc = db_prepare_ints(c, sql.p,
                             DB_INTS((int64_t)r->utc_offset_min * 60, r->tenant_id, p->from, p->to),
                             &st, &r->err);
    if (rc)
        return rc;
    perm_filter_bind(&pf, st, 5);
    char month[16], key[NSETS][KEY_MAX];
    int64_t last_day = INT64_MIN;
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        int64_t day = db_col_int(st, 0);
        if (day != last_day) { /* rows come by created_at: the month changes rarely */
            date_format(day, month, sizeof(month));
            month[7] = 0;
            last_day = day;
        }
        snprintf(key[0], sizeof(key[0]), "%s", month);
        for (int k = 1; k < NSETS; k++) {
            if (db_col_is_null(st, k))
                key[k][0] = 0;
            else
                snprintf(key[k], sizeof(key[k]), "%s", db_col_text(st, k, NULL));
        }
        const char *status = db_col_text(st, 5, NULL);
        int64_t v[6];
        for (int k = 0; k < 6; k++)
            v[k] = col_or0(st, 6 + k);
        count_row(&rep->total, status ? status : "", v[0], v[1], v[2], v[3], v[4], v[5]);
        for (int k = 0; k < NSETS; k++) {
            struct agg *g = group(&rep->sets[k], key[k]);
            if (g)
                count_row(g, status ? status : "", v[0], v[1], v[2], v[3], v[4], v[5]);
        }
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    for (int k = 0; k < NSETS; k++) {
        struct set *s = &rep->sets[k];
        int month_set = k == 0;
        /* months in order; other groupings by volume */
        for (int i = 1; i < s->n; i++)
            for (int j = i; j > 0; j--) {
                int swap = month_set ? strcmp(s->g[j - 1].key, s->g[j].key) > 0
                                     : s->g[j - 1].n < s->g[j].n;
                if (!swap)
                    break;
                struct agg t = s->g[j];
                s->g[j] = s->g[j - 1];
                s->g[j - 1] = t;
            }
        /* labels after sorting: a text grouping's label is its own key */
        for (int i = 0; i < s->n; i++)
            s->g[i].label = !s->g[i].key[0] ? NULL
                            : s->names      ? name_of(r, c, s->names, strtoll(s->g[i].key, NULL, 10))
                                            : s->g[i].key;
    }
    return 0;
}

/* ---- other sources of satisfaction (servicedesk.h) ---- */

static struct {
    const char *name, *zh, *en;
    sd_satisfaction_fn fn;
} sources[SD_MAX_SOURCES];
static int nsources;

void sd_satisfaction_source(const char *name, const char *zh, const char *en,
                            sd_satisfaction_fn fn)
{
    for (int i = 0; i < nsources; i++)
        if (!strcmp(sources[i].name, name))
            return;
    if (nsources < SD_MAX_SOURCES) {
        sources[nsources].name = name;
        sources[nsources].zh = zh;
        sources[nsources].en = en;
        sources[nsources].fn = fn;
        nsources++;
    }
}

/* Each source's figures for p, counted into out[] (one a source). */
static int count_sources(struct req *r, const struct period *p, struct sd_satisfaction *out)
{
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    for (int i = 0; i < nsources; i++) {
        memset(&out[i], 0, sizeof(out[i]));
        int rc = sources[i].fn(r, c, p->from_day, p->to_day, &out[i], &r->err);
        if (rc)
            return rc;
    }
    return 0;
}

static json_t *sources_json(const struct sd_satisfaction *v)
{
    json_t *arr = json_array();
    for (int i = 0; i < nsources; i++) {
        struct agg g;
        memset(&g, 0, sizeof(g));
        g.rated = v[i].rated;
        g.satisfied = v[i].satisfied;
        g.score_sum = v[i].score_sum;
        json_t *o = json_pack("{s:s,s:s,s:s,s:I}", "source", sources[i].name, "zh", sources[i].zh,
                              "en", sources[i].en, "rated", (json_int_t)g.rated);
        json_object_set_new(o, "avg_score", tenths_json(score10(&g)));
        json_object_set_new(o, "satisfaction_pct", pct(g.satisfied, g.rated));
        json_array_append_new(arr, o);
    }
    return arr;
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

static json_t *period_json(const struct period *p)
{
    char f[16], t[16];
    date_format(p->from_day, f, sizeof(f));
    date_format(p->to_day - 1, t, sizeof(t));
    return json_pack("{s:s,s:s}", "from", f, "to", t);
}

/* The figures of the period the query names, for a reader of requests. */
static int load_report(struct req *r, struct period *p, struct report **rep)
{
    int rc = perm_check(r, &sd_requests, "read");
    if (rc || (rc = parse_period(r, p)))
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    if (!(*rep = arena_alloc(r->a, sizeof(**rep))))
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    return build_report(r, c, p, *rep);
}

int sd_stats(struct req *r)
{
    struct period p;
    struct report *rep;
    const char *by = req_query(r, "by");
    int k = set_of(by ? by : "team");
    int rc = perm_check(r, &sd_requests, "read");
    if (rc)
        return rc;
    if (k < 0)
        return err_set(&r->err, ERR_BAD_QUERY, "by", "field.enum",
                       "by must be team, type, building, department or month");
    if ((rc = load_report(r, &p, &rep)))
        return rc;
    json_t *doc = period_json(&p);
    json_object_set_new(doc, "by", json_string(groupings[k].by));
    json_object_set_new(doc, "groups", groups_json(rep->sets[k].g, rep->sets[k].n));
    struct sd_satisfaction src[SD_MAX_SOURCES];
    if ((rc = count_sources(r, &p, src))) {
        json_decref(doc);
        return rc;
    }
    json_object_set_new(doc, "sources", sources_json(src));
    return report_send(r, doc);
}

static void xlsx_row(lxw_worksheet *ws, lxw_format *one, lxw_row_t row, const char *label,
                     const struct agg *x)
{
    worksheet_write_string(ws, row, 0, label, NULL);
    /* the JSON's figures: tenths where a decimal is shown (one = "0.0") */
    int64_t v[10] = {x->n,
                     x->open,
                     x->resolved,
                     pct10(x->respond.met, x->respond.due),
                     pct10(x->resolve.met, x->resolve.due),
                     minutes(&x->respond),
                     minutes(&x->resolve),
                     x->rated,
                     score10(x),
                     pct10(x->satisfied, x->rated)};
    static const unsigned char tenths[10] = {0, 0, 0, 1, 1, 0, 0, 0, 1, 1};
    for (int k = 0; k < 10; k++)
        if (v[k] >= 0)
            worksheet_write_number(ws, row, (lxw_col_t)(k + 1),
                                   tenths[k] ? (double)v[k] / 10.0 : (double)v[k],
                                   tenths[k] ? one : NULL);
}

static int xlsx_report(struct req *r, const struct report *rep, const struct sd_satisfaction *src)
{
    static const char *const head[] = {"分组", "受理量", "未办结", "已办结", "响应达标率%",
                                       "办结达标率%", "平均响应(分钟)", "平均办结(分钟)",
                                       "评价数", "平均分", "满意度%"};
    struct export_xlsx book;
    int rc = export_xlsx_open(r, &book, 0);
    lxw_workbook *wb = book.wb;
    lxw_format *bold = wb ? workbook_add_format(wb) : NULL;
    lxw_format *one = wb ? workbook_add_format(wb) : NULL;
    if (bold)
        format_set_bold(bold);
    if (one)
        format_set_num_format(one, "0.0");
    for (int s = -1; !rc && s < NSETS; s++) { /* -1: the summary */
        lxw_worksheet *ws = workbook_add_worksheet(wb, s < 0 ? "概要" : rep->sets[s].zh);
        if (!ws) {
            rc = err_set(&r->err, ERR_INTERNAL, NULL, NULL, "cannot add a sheet");
            break;
        }
        worksheet_set_column(ws, 0, 0, 24, NULL);
        worksheet_set_column(ws, 1, 10, 14, NULL);
        for (int k = 0; k < 11; k++)
            worksheet_write_string(ws, 0, (lxw_col_t)k, head[k], bold);
        if (s < 0) {
            xlsx_row(ws, one, 1, "合计", &rep->total);
            continue;
        }
        for (int i = 0; i < rep->sets[s].n; i++) {
            const struct agg *x = &rep->sets[s].g[i];
            xlsx_row(ws, one, (lxw_row_t)(i + 1), x->label ? x->label : "(未指定)", x);
        }
    }
    if (!rc && nsources) { /* the other sources' satisfaction */
        static const char *const shead[] = {"来源", "评价数", "平均分", "满意度%"};
        lxw_worksheet *ws = workbook_add_worksheet(wb, "其他满意度");
        if (!ws)
            rc = err_set(&r->err, ERR_INTERNAL, NULL, NULL, "cannot add a sheet");
        for (int k = 0; ws && k < 4; k++)
            worksheet_write_string(ws, 0, (lxw_col_t)k, shead[k], bold);
        for (int i = 0; ws && i < nsources; i++) {
            struct agg g;
            memset(&g, 0, sizeof(g));
            g.rated = src[i].rated;
            g.satisfied = src[i].satisfied;
            g.score_sum = src[i].score_sum;
            worksheet_write_string(ws, (lxw_row_t)(i + 1), 0, sources[i].zh, NULL);
            worksheet_write_number(ws, (lxw_row_t)(i + 1), 1, (double)g.rated, NULL);
            if (g.rated) {
                worksheet_write_number(ws, (lxw_row_t)(i + 1), 2, (double)score10(&g) / 10.0, one);
                worksheet_write_number(ws, (lxw_row_t)(i + 1), 3,
                                       (double)pct10(g.satisfied, g.rated) / 10.0, one);
            }
        }
    }
    return export_xlsx_close(r, &book, rc, "servicedesk-report");
}

int sd_report(struct req *r)
{
    struct period p;
    struct report *rep;
    struct sd_satisfaction src[SD_MAX_SOURCES];
    int rc = load_report(r, &p, &rep);
    if (rc || (rc = count_sources(r, &p, src)))
        return rc;
    size_t plen = strlen(r->path);
    if (plen > 5 && !strcmp(r->path + plen - 5, ".xlsx"))
        return xlsx_report(r, rep, src);
    json_t *doc = period_json(&p);
    json_object_set_new(doc, "total", metrics_json(&rep->total));
    for (int k = 0; k < NSETS; k++) {
        char key[40];
        snprintf(key, sizeof(key), "by_%s", rep->sets[k].by);
        json_object_set_new(doc, key, groups_json(rep->sets[k].g, rep->sets[k].n));
    }
    json_object_set_new(doc, "sources", sources_json(src));
    return report_send(r, doc);
}

/* The dashboard card: this month so far, within the caller's scope. */
int sd_summary(struct req *r, struct db_conn *c, json_t *cards, struct err *e)
{
    struct period p;
    struct report *rep = arena_alloc(r->a, sizeof(*rep));
    char d[16], m[16];
    int64_t first;
    (void)e;
    if (perm_check(r, &sd_requests, "read")) {
        err_clear(&r->err);
        return 0;
    }
    int64_t today = (clock_now() + (int64_t)r->utc_offset_min * 60) / 86400;
    date_format(today, d, sizeof(d));
    snprintf(m, sizeof(m), "%.8s01", d);
    if (!rep || date_parse(m, 10, &first))
        return 0;
    p.from_day = first;
    p.to_day = today + 1;
    p.from = p.from_day * 86400 - (int64_t)r->utc_offset_min * 60;
    p.to = p.to_day * 86400 - (int64_t)r->utc_offset_min * 60;
    int rc = build_report(r, c, &p, rep);
    if (rc)
        return rc;
    json_t *card = metrics_json(&rep->total);
    json_object_set_new(card, "id", json_string("month"));
    json_object_set_new(card, "kind", json_string("kpi"));
    json_object_set_new(card, "zh", json_string("本月服务"));
    json_object_set_new(card, "en", json_string("Service this month"));
    json_object_set_new(card, "period", period_json(&p));
    json_array_append_new(cards, card);
    return 0;
}
