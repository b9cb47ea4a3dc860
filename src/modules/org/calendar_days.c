/* SPDX-License-Identifier: MIT
 * org/calendar_days.c - what follows a change of the calendar's days, and
 * whether the years in use are entered at all.
 *
 * A day added, changed or removed: the modules that store instants counted
 * in working time recount them (calendar.h: cal_on_change) in the same
 * transaction; an audit entry "recompute" on the day says how many records
 * moved, and so does the answer's Bureau-Moved header.
 *
 * Coverage (calendar.h): GET /api/v1/calendar/coverage says which of this
 * year and (from 1 November) the next are missing; the dashboard card warns
 * those who may add days; a daily job tells the tenant's administrators once
 * per missing year.
 */
#include "org.h"
#include "calendar.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/config.h"
#include "../../core/http.h"
#include "../../core/jobs.h"
#include "../../core/tenant.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../engine/record.h"
#include "../../engine/report.h"
#include "../notify/notify.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define MAX_TENANTS 1000

/* ---- a change of days ---- */

/* The day and whether it is an adjusted working day, of a calendar_days
 * record as the hooks see it; 0 when it has no valid date. */
static int day_of_rec(json_t *rec, int64_t *day, int *workday)
{
    const char *d = rec ? json_string_value(json_object_get(rec, "date")) : NULL;
    const char *k = rec ? json_string_value(json_object_get(rec, "kind")) : NULL;
    if (!d || date_parse(d, strlen(d), day))
        return 0;
    *workday = k && !strcmp(k, "workday");
    return 1;
}

/* The calendar before the write: after, without the written day's new row
 * and with its old one. */
static int calendar_before(struct req *r, const struct calendar *after, int has_new,
                           int64_t new_day, int has_old, int64_t old_day, int old_workday,
                           struct calendar *out)
{
    struct cal_exception *x = arena_alloc(r->a, sizeof(*x) * (size_t)(after->nexc + 1));
    if (!x)
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    int n = 0, placed = !has_old;
    for (int i = 0; i < after->nexc; i++) {
        const struct cal_exception *a = &after->exc[i];
        if (has_new && a->day == new_day)
            continue;
        if (!placed && a->day >= old_day) {
            x[n++] = (struct cal_exception){(int32_t)old_day, old_workday};
            placed = 1;
            if (a->day == old_day)
                continue;
        }
        x[n++] = *a;
    }
    if (!placed)
        x[n++] = (struct cal_exception){(int32_t)old_day, old_workday};
    *out = *after;
    out->exc = x;
    out->nexc = n;
    return 0;
}

/* Adds n to the answer's Bureau-Moved header (one per request, summed over
 * the rows an import writes). */
static void add_moved_header(struct req *r, int64_t n)
{
    static const char name[] = "Bureau-Moved";
    for (int i = 0; i < r->nhdr; i++) {
        if (!strcmp(r->hdr_k[i], name)) {
            int64_t had = 0;
            parse_i64(r->hdr_v[i], strlen(r->hdr_v[i]), &had);
            const char *v = arena_printf(r->a, "%lld", (long long)(had + n));
            if (v)
                r->hdr_v[i] = v;
            return;
        }
    }
    const char *v = arena_printf(r->a, "%lld", (long long)n);
    if (v)
        resp_header(r, name, v);
}

int org_calendar_after_write(struct res_write *w)
{
    struct req *r = w->r;
    int64_t new_day = 0, old_day = 0;
    int new_work = 0, old_work = 0;
    int has_new = day_of_rec(w->rec, &new_day, &new_work);
    int has_old = day_of_rec(w->old, &old_day, &old_work);
    if (!has_new && !has_old)
        return 0;
    if (has_new && has_old && new_day == old_day && new_work == old_work)
        return 0; /* its name or source: nothing to count again */
    struct calendar after, before;
    int rc = cal_load_fresh(r, w->c, r->tenant_id, &after, w->e);
    if (rc || (rc = calendar_before(r, &after, has_new, new_day, has_old, old_day, old_work,
                                    &before)))
        return rc;
    int64_t from = has_new ? new_day : old_day, to = from;
    if (has_old && old_day < from)
        from = old_day;
    if (has_old && old_day > to)
        to = old_day;
    int differs = 0;
    for (int64_t d = from; d <= to && !differs; d++)
        differs = cal_is_workday(&before, d) != cal_is_workday(&after, d);
    if (!differs)
        return 0; /* e.g. a Saturday marked as a day off */
    struct cal_change ch = {r->tenant_id, from, to, &before, &after};
    int64_t moved = 0;
    if ((rc = cal_changed(r, w->c, &ch, &moved, w->e)))
        return rc;
    char f[16], t[16];
    date_format(from, f, sizeof(f));
    date_format(to, t, sizeof(t));
    json_t *what = json_pack("{s:s,s:s,s:I}", "from", f, "to", t, "moved", (json_int_t)moved);
    rc = what ? rec_audit(r, w->c, "recompute", org_calendar_days.name, w->id, NULL, what, w->e)
              : -ERR_INTERNAL;
    json_decref(what);
    if (!rc)
        add_moved_header(r, moved);
    return rc;
}

/* ---- coverage ---- */

static json_t *coverage_json(const struct calendar *cal, int64_t today)
{
    int needed[2], missing[2];
    int n = cal_years_needed(today, needed), nm = cal_missing_years(cal, today, missing);
    int y = cal_year_of(today);
    char d[16];
    date_format(today, d, sizeof(d));
    json_t *years = json_array(), *miss = json_array();
    for (int k = 0; k < 2; k++) {
        int needs = k < n;
        json_array_append_new(years, json_pack("{s:i,s:b,s:b}", "year", y + k, "covered",
                                               cal_covers(cal, y + k), "needed", needs));
    }
    for (int k = 0; k < nm; k++)
        json_array_append_new(miss, json_integer(missing[k]));
    return json_pack("{s:s,s:o,s:o}", "date", d, "years", years, "missing", miss);
}

/* GET /api/v1/calendar/coverage[?date=YYYY-MM-DD]: this year and the next,
 * whether each is covered and needed on that day (today by default), and the
 * missing ones to warn about. */
int org_calendar_coverage(struct req *r)
{
    static const char *const params[] = {"date", NULL};
    int64_t day;
    struct calendar cal;
    int rc = perm_check(r, &org_calendar_days, "read");
    if (rc || (rc = report_params_only(r, params)) ||
        (rc = report_param_day(r, "date", report_today(r), &day)))
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    if ((rc = cal_load(r, c, r->tenant_id, &cal, &r->err)))
        return rc;
    return report_send(r, coverage_json(&cal, day));
}

/* The dashboard's warning, for those who may add calendar days, while a
 * needed year is missing. */
int org_summary(struct req *r, struct db_conn *c, json_t *cards, struct err *e)
{
    struct calendar cal;
    if (perm_check(r, &org_calendar_days, "create")) {
        err_clear(&r->err);
        return 0;
    }
    int rc = cal_load(r, c, r->tenant_id, &cal, e);
    if (rc)
        return rc;
    int64_t today = report_today(r);
    int missing[2];
    if (!cal_missing_years(&cal, today, missing))
        return 0;
    json_t *card = coverage_json(&cal, today);
    json_object_set_new(card, "id", json_string("calendar"));
    json_object_set_new(card, "kind", json_string("calendar_coverage"));
    json_object_set_new(card, "zh", json_string("工作日历"));
    json_object_set_new(card, "en", json_string("Working calendar"));
    json_array_append_new(cards, card);
    return 0;
}

/* ---- the daily job: the administrators told once per missing year ---- */

static int tell_tenant(struct job_ctx *j, int64_t tenant, int *told, struct err *e)
{
    struct arena *a = arena_new(4u << 20);
    struct req r;
    struct calendar cal;
    req_init_internal(&r, a, config_current(), j->db);
    r.tenant_id = tenant;
    r.dbc = j->c;
    r.utc_offset_min = tenant_utc_offset(j->c, tenant, r.utc_offset_min);
    int64_t now = j->now + (int64_t)r.utc_offset_min * 60;
    int64_t today = now >= 0 ? now / 86400 : (now - 86399) / 86400;
    int missing[2], nm = 0;
    int rc = db_begin(j->c, e);
    if (!rc && !(rc = cal_load_fresh(&r, j->c, tenant, &cal, e)))
        nm = cal_missing_years(&cal, today, missing);
    for (int k = 0; !rc && k < nm; k++) {
        char kind[40], title[120];
        int n = 0;
        snprintf(kind, sizeof(kind), "org.calendar_missing.%d", missing[k]);
        snprintf(title, sizeof(title), "%d 年节假日安排尚未录入工作日历", missing[k]);
        rc = notify_role_once(&r, j->c, "admin", kind, title,
                              "工作日历中没有该年 1 月 1 日（元旦）的放假安排，服务时限等按工作日"
                              "计算的期限会把节假日当作工作日。请依据国务院办公厅的放假通知录入"
                              "节假日与调休上班日。",
                              NULL, 0, &n, e);
        if (!rc && n) {
            json_t *what = json_pack("{s:i,s:i}", "year", missing[k], "notified", n);
            rc = what ? rec_audit(&r, j->c, "calendar_missing", org_calendar_days.name, 0, NULL,
                                  what, e)
                      : -ERR_INTERNAL;
            json_decref(what);
            *told += n;
        }
    }
    if (!rc)
        rc = db_commit(j->c, e);
    else if (db_in_tx(j->c))
        db_rollback(j->c);
    arena_free(a);
    return rc;
}

int org_job_calendar(struct job_ctx *j, struct err *e)
{
    int64_t tenants[MAX_TENANTS];
    int nt = 0, told = 0;
    int rc = tenant_ids(j->c, 0, tenants, MAX_TENANTS, &nt, e);
    for (int i = 0; !rc && i < nt; i++)
        rc = tell_tenant(j, tenants[i], &told, e);
    snprintf(j->message, sizeof(j->message), "%d administrator%s told of missing holidays", told,
             told == 1 ? "" : "s");
    return rc;
}
