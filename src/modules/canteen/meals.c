/* SPDX-License-Identifier: MIT
 * canteen/meals.c - menus (a canteen's dishes for a day and meal), meal
 * bookings that give the kitchen its headcount, closing booking_cutoff_min
 * minutes before the meal starts, and the diners' ratings of a meal they
 * ate (a spend of that day and meal), which feed the service desk's
 * satisfaction statistics.
 *
 *   GET /api/v1/canteen/forecast?canteen_id=&from=&to=
 *       {"items": [{"canteen_id", "day", "meal", "booked", "served"}]}
 *
 * Booking: booked ⇄ cancelled (cancel, rebook), each before the cut-off.
 */
#include "canteen.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/auth.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../engine/report.h"
#include "../../engine/workflow.h"
#include "../org/org.h"
#include "../servicedesk/servicedesk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SINCE CT_SINCE
#define FORECAST_DAYS 92 /* the longest period a forecast covers */

static int person_check(struct res_write *w);
static int booking_before_write(struct res_write *w);
static int rating_before_write(struct res_write *w);
static int booking_step_check(struct wf *w);

/* ---- menus ---- */

static const struct res_field menu_fields[] = {
    {.name = "canteen_id",
     .type = RES_REF,
     .ref = "canteens",
     .zh = "食堂",
     .en = "Canteen",
     .required = 1,
     .list = 1,
     .filter = 1},
    {.name = "day",
     .type = RES_DATE,
     .zh = "日期",
     .en = "Day",
     .required = 1,
     .list = 1,
     .filter = 1,
     .sort = 1},
    {.name = "meal",
     .type = RES_ENUM,
     .values = ct_meals,
     .zh = "餐次",
     .en = "Meal",
     .required = 1,
     .list = 1,
     .filter = 1,
     .noindex = 1},
    {.name = "dishes",
     .type = RES_TEXT,
     .zh = "菜品(每行一道)",
     .en = "Dishes (one a line)",
     .required = 1,
     .max_len = 2000,
     .widget = "textarea",
     .list = 1,
     .search = 1},
    {.name = "note", .type = RES_TEXT, .zh = "说明", .en = "Note", .max_len = 500},
    {.name = "published",
     .type = RES_BOOL,
     .zh = "已发布",
     .en = "Published",
     .required = 1,
     .dflt = "false",
     .list = 1,
     .filter = 1,
     .noindex = 1},
    {0},
};

static const char *const menu_uniques[] = {"canteen_id,day,meal", NULL};

const struct res_entity ct_menus = {
    .since = SINCE,
    .name = "menus",
    .zh = "菜单",
    .en = "Menus",
    .module = "canteen",
    .fields = menu_fields,
    .title = "day",
    .default_sort = "-day",
    .uniques = menu_uniques,
};

/* ---- meal bookings ---- */

static const struct res_enum booking_statuses[] = {
    {"booked", "已预订", "Booked"},
    {"cancelled", "已取消", "Cancelled"},
    {0},
};

static const struct res_field booking_fields[] = {
    {.name = "person_id",
     .type = RES_REF,
     .ref = "people",
     .zh = "订餐人",
     .en = "Diner",
     .list = 1,
     .filter = 1},
    {.name = "canteen_id",
     .type = RES_REF,
     .ref = "canteens",
     .zh = "食堂",
     .en = "Canteen",
     .required = 1,
     .list = 1,
     .filter = 1},
    {.name = "day",
     .type = RES_DATE,
     .zh = "日期",
     .en = "Day",
     .required = 1,
     .list = 1,
     .filter = 1,
     .sort = 1},
    {.name = "meal",
     .type = RES_ENUM,
     .values = ct_meals,
     .zh = "餐次",
     .en = "Meal",
     .required = 1,
     .list = 1,
     .filter = 1,
     .noindex = 1},
    {.name = "count",
     .type = RES_INT,
     .zh = "份数",
     .en = "Portions",
     .required = 1,
     .dflt = "1",
     .has_min = 1,
     .min = 1,
     .has_max = 1,
     .max = 50,
     .list = 1},
    {.name = "status",
     .type = RES_ENUM,
     .values = booking_statuses,
     .zh = "状态",
     .en = "Status",
     .required = 1,
     .readonly = 1,
     .dflt = "booked",
     .list = 1,
     .filter = 1,
     .noindex = 1},
    {.name = "note", .type = RES_TEXT, .zh = "备注", .en = "Note", .max_len = 200},
    {0},
};

static const char *const booking_uniques[] = {"person_id,canteen_id,day,meal", NULL};
static const char *const booking_indexes[] = {"canteen_id,day", NULL};
static const struct res_flow booking_flow = {.state = "status"};

static const struct res_action booking_steps[] = {
    {.name = "cancel",
     .zh = "取消订餐",
     .en = "Cancel",
     .body = wf_nothing,
     .from = WF_STATES("booked"),
     .to = "cancelled",
     .check = booking_step_check},
    {.name = "rebook",
     .zh = "重新订餐",
     .en = "Book again",
     .body = wf_nothing,
     .from = WF_STATES("cancelled"),
     .to = "booked",
     .check = booking_step_check},
    {0},
};

const struct res_entity ct_bookings = {
    .since = SINCE,
    .name = "meal_bookings",
    .zh = "订餐",
    .en = "Meal bookings",
    .module = "canteen",
    .fields = booking_fields,
    .title = "day",
    .default_sort = "-day",
    .uniques = booking_uniques,
    .indexes = booking_indexes,
    .actions = booking_steps,
    .flow = &booking_flow,
    .no_delete = 1,
    .before_write = booking_before_write,
    .assign_field = "person_id", /* "assigned": one's own bookings */
    .assigned_to = org_assigned_self,
};

/* ---- ratings ---- */

static const struct res_field rating_fields[] = {
    {.name = "person_id",
     .type = RES_REF,
     .ref = "people",
     .zh = "评价人",
     .en = "Diner",
     .list = 1,
     .filter = 1},
    {.name = "canteen_id",
     .type = RES_REF,
     .ref = "canteens",
     .zh = "食堂",
     .en = "Canteen",
     .required = 1,
     .list = 1,
     .filter = 1},
    {.name = "day",
     .type = RES_DATE,
     .zh = "就餐日期",
     .en = "Day",
     .required = 1,
     .list = 1,
     .filter = 1,
     .sort = 1},
    {.name = "meal",
     .type = RES_ENUM,
     .values = ct_meals,
     .zh = "餐次",
     .en = "Meal",
     .required = 1,
     .list = 1,
     .filter = 1,
     .noindex = 1},
    {.name = "score",
     .type = RES_INT,
     .zh = "评分(1–5)",
     .en = "Score (1–5)",
     .required = 1,
     .has_min = 1,
     .min = 1,
     .has_max = 1,
     .max = 5,
     .list = 1,
     .filter = 1,
     .noindex = 1},
    {.name = "comment",
     .type = RES_TEXT,
     .zh = "意见建议",
     .en = "Comment",
     .max_len = 500,
     .widget = "textarea",
     .list = 1},
    {0},
};

static const char *const rating_uniques[] = {"person_id,canteen_id,day,meal", NULL};
static const char *const rating_indexes[] = {"day,canteen_id", NULL};

const struct res_entity ct_ratings = {
    .since = SINCE,
    .name = "meal_ratings",
    .zh = "就餐评价",
    .en = "Meal ratings",
    .module = "canteen",
    .fields = rating_fields,
    .title = "day",
    .default_sort = "-day",
    .uniques = rating_uniques,
    .indexes = rating_indexes,
    .before_write = rating_before_write,
    .assign_field = "person_id",
    .assigned_to = org_assigned_self,
};

/* ---- the rules ---- */

/* A diner books and rates for themselves: person_id is the caller's person
 * unless their role writes the collection for the whole tenant. */
static int person_check(struct res_write *w)
{
    struct req *r = w->r;
    if (r->server_write || !r->who)
        return 0;
    const char *verb = w->old ? "update" : "create";
    int64_t person = wf_int(w->rec, "person_id");
    if (perm_scope(r, w->ent, verb) == SCOPE_TENANT) {
        if (!person && r->who->person_id)
            json_object_set_new(w->rec, "person_id", json_integer(r->who->person_id));
        else if (!person) {
            err_field(w->e, "person_id", "field.required", "is required");
            return err_invalid(w->e);
        }
        return 0;
    }
    if (!r->who->person_id)
        return err_set(w->e, ERR_FORBIDDEN, "person_id", "canteen.person.none",
                       "your account has no person to book or rate for");
    if (person && person != r->who->person_id)
        return err_set(w->e, ERR_FORBIDDEN, "person_id", "canteen.person.own",
                       "you may book and rate only for yourself");
    json_object_set_new(w->rec, "person_id", json_integer(r->who->person_id));
    return 0;
}

/* When a booking for the canteen's meal on day (YYYY-MM-DD) closes: 0, or 1
 * when the canteen does not serve that meal, or a negative ERR_*. */
static int cutoff_of(struct req *r, struct db_conn *c, int64_t canteen, const char *day,
                     const char *meal, int64_t *at, struct err *e)
{
    int64_t d;
    if (!day || !meal || date_parse(day, strlen(day), &d))
        return 1;
    struct db_stmt *st;
    int rc = db_prepare(c,
                        "SELECT p.starts, c.booking_cutoff_min FROM meal_periods p JOIN canteens "
                        "c ON c.id = p.canteen_id AND c.tenant_id = p.tenant_id WHERE "
                        "p.tenant_id = ? AND p.canteen_id = ? AND p.meal = ? AND p.active = 1",
                        &st, e);
    if (rc)
        return rc;
    db_bind_int(st, 1, r->tenant_id);
    db_bind_int(st, 2, canteen);
    db_bind_text(st, 3, meal, strlen(meal));
    if ((rc = db_step(st, e)) == DB_ROW) {
        int starts = ct_hhmm(db_col_text(st, 0, NULL));
        *at = ct_cutoff_at(d, starts < 0 ? 0 : starts, (int)db_col_int(st, 1), r->utc_offset_min);
        rc = 0;
    } else if (rc >= 0)
        rc = 1;
    db_reset(st);
    return rc;
}

/* "YYYY-MM-DD HH:MM" in the tenant's time */
static void local_text(struct req *r, int64_t t, char *out, size_t n)
{
    int64_t l = t + (int64_t)r->utc_offset_min * 60;
    int64_t day = l >= 0 ? l / 86400 : -((-l + 86399) / 86400);
    int64_t s = l - day * 86400;
    char d[16];
    date_format(day, d, sizeof(d));
    snprintf(out, n, "%s %02d:%02d", d, (int)(s / 3600), (int)(s / 60 % 60));
}

/* Refuses (409 canteen.booking.closed) a change at or after the cut-off. */
static int open_check(struct req *r, struct db_conn *c, int64_t canteen, const char *day,
                      const char *meal, struct err *e)
{
    int64_t at = 0;
    int rc = cutoff_of(r, c, canteen, day, meal, &at, e);
    if (rc < 0)
        return rc;
    if (rc == 1) {
        err_field(e, "meal", "canteen.booking.no_meal", "the canteen does not serve {meal}%s",
                  meal ? meal : "");
        return err_invalid(e);
    }
    if (clock_now() < at)
        return 0;
    char t[32];
    local_text(r, at, t, sizeof(t));
    return err_set(e, ERR_CONFLICT, "day", "canteen.booking.closed",
                   "bookings for this meal closed at {cutoff}%s", t);
}

static int booking_before_write(struct res_write *w)
{
    if (!w->rec)
        return 0;
    int rc = person_check(w);
    if (rc)
        return rc;
    if (w->r->server_write)
        return 0;
    if (w->old) {
        static const char *const fixed[] = {"person_id", "canteen_id", "day", "meal"};
        for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
            if (!json_equal(json_object_get(w->rec, fixed[i]), json_object_get(w->old, fixed[i]))) {
                err_field(w->e, fixed[i], "canteen.booking.fixed",
                          "a booking stays for its meal: cancel it and book another");
                return err_invalid(w->e);
            }
    }
    return open_check(w->r, w->c, wf_int(w->rec, "canteen_id"), wf_str(w->rec, "day"),
                      wf_str(w->rec, "meal"), w->e);
}

static int booking_step_check(struct wf *w)
{
    return open_check(w->r, w->c, wf_int(w->rec, "canteen_id"), wf_str(w->rec, "day"),
                      wf_str(w->rec, "meal"), &w->r->err);
}

static int rating_before_write(struct res_write *w)
{
    if (!w->rec)
        return 0;
    int rc = person_check(w);
    if (rc || w->r->server_write)
        return rc;
    const char *day = wf_str(w->rec, "day"), *meal = wf_str(w->rec, "meal");
    int64_t d, today = report_today(w->r);
    if (!day || !meal || date_parse(day, strlen(day), &d))
        return 0; /* the field checks refuse it */
    int64_t days = ct_setting(w->r, w->c, "rating_days", CT_RATING_DAYS);
    if (d > today || today - d > days) {
        err_field(w->e, "day", "canteen.rating.window",
                  "a meal may be rated from the day it was eaten until {days}%lld days after",
                  (long long)days);
        return err_invalid(w->e);
    }
    if (w->old)
        return 0;
    struct db_stmt *st;
    rc = db_prepare(w->c,
                    "SELECT COUNT(*) FROM meal_transactions WHERE tenant_id = ? AND person_id = ? "
                    "AND business_day = ? AND canteen_id = ? AND meal = ? AND kind = 'spend'",
                    &st, w->e);
    if (rc)
        return rc;
    db_bind_int(st, 1, w->r->tenant_id);
    db_bind_int(st, 2, wf_int(w->rec, "person_id"));
    db_bind_text(st, 3, day, strlen(day));
    db_bind_int(st, 4, wf_int(w->rec, "canteen_id"));
    db_bind_text(st, 5, meal, strlen(meal));
    int64_t n = 0;
    if ((rc = db_step(st, w->e)) == DB_ROW)
        n = db_col_int(st, 0), rc = 0;
    db_reset(st);
    if (rc < 0)
        return rc;
    if (!n)
        return err_set(w->e, ERR_CONFLICT, "meal", "canteen.rating.not_eaten",
                       "only a meal you ate there may be rated ({day}%s {meal}%s)", day, meal);
    return 0;
}

/* ---- the kitchen's forecast ---- */

struct fc_row {
    int64_t canteen, booked, served;
    char day[11];
    char meal[12];
};

static struct fc_row *fc_find(struct fc_row *v, int *n, int cap, int64_t canteen, const char *day,
                              const char *meal)
{
    for (int i = 0; i < *n; i++)
        if (v[i].canteen == canteen && !strcmp(v[i].day, day) && !strcmp(v[i].meal, meal))
            return &v[i];
    if (*n == cap)
        return NULL;
    struct fc_row *x = &v[(*n)++];
    memset(x, 0, sizeof(*x));
    x->canteen = canteen;
    snprintf(x->day, sizeof(x->day), "%s", day);
    snprintf(x->meal, sizeof(x->meal), "%s", meal);
    return x;
}

static int fc_cmp(const void *a, const void *b)
{
    const struct fc_row *x = a, *y = b;
    int k = strcmp(x->day, y->day);
    if (k)
        return k;
    if (x->canteen != y->canteen)
        return x->canteen < y->canteen ? -1 : 1;
    static const char *const order[] = {"breakfast", "lunch", "dinner", "night"};
    int i = 0, j = 0;
    while (i < 4 && strcmp(order[i], x->meal))
        i++;
    while (j < 4 && strcmp(order[j], y->meal))
        j++;
    return i - j;
}

int ct_forecast(struct req *r)
{
    static const char *const params[] = {"canteen_id", "from", "to", NULL};
    int rc = report_params_only(r, params);
    if (rc || (rc = perm_check(r, &ct_bookings, "read")))
        return rc;
    if (perm_scope(r, &ct_bookings, "read") != SCOPE_TENANT)
        return err_set(&r->err, ERR_FORBIDDEN, NULL, "auth.forbidden",
                       "the forecast counts every diner's bookings");
    int64_t today = report_today(r), from, to, canteen = 0;
    if ((rc = report_param_day(r, "from", today, &from)) ||
        (rc = report_param_day(r, "to", from + 6, &to)) ||
        (rc = report_param_int(r, "canteen_id", 0, INT64_MAX, 0, &canteen)))
        return rc;
    if (to < from)
        return err_set(&r->err, ERR_BAD_QUERY, "to", "query.period_order",
                       "must not be before from");
    if (to - from >= FORECAST_DAYS)
        return err_set(&r->err, ERR_BAD_QUERY, "to", "canteen.forecast.long",
                       "a forecast covers at most {days}%d days", FORECAST_DAYS);
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    int cap = 12 * 4 * FORECAST_DAYS * 4, n = 0;
    struct fc_row *v = arena_alloc(r->a, sizeof(*v) * (size_t)cap);
    if (!v)
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    char f[16], t[16];
    date_format(from, f, sizeof(f));
    date_format(to, t, sizeof(t));
    static const char *const sql[2] = {
        "SELECT canteen_id, day, meal, SUM(count) FROM meal_bookings WHERE tenant_id = ? AND "
        "status = 'booked' AND day >= ? AND day <= ? AND (? = 0 OR canteen_id = ?) GROUP BY "
        "canteen_id, day, meal",
        "SELECT canteen_id, business_day, meal, COUNT(*) FROM meal_transactions WHERE "
        "tenant_id = ? AND kind = 'spend' AND business_day >= ? AND business_day <= ? AND "
        "(? = 0 OR canteen_id = ?) AND canteen_id IS NOT NULL AND meal IS NOT NULL GROUP BY "
        "canteen_id, business_day, meal",
    };
    for (int k = 0; k < 2 && !rc; k++) {
        struct db_stmt *st;
        if ((rc = db_prepare(c, sql[k], &st, &r->err)))
            return rc;
        db_bind_int(st, 1, r->tenant_id);
        db_bind_text(st, 2, f, strlen(f));
        db_bind_text(st, 3, t, strlen(t));
        db_bind_int(st, 4, canteen);
        db_bind_int(st, 5, canteen);
        while ((rc = db_step(st, &r->err)) == DB_ROW) {
            struct fc_row *x = fc_find(v, &n, cap, db_col_int(st, 0), db_col_text(st, 1, NULL),
                                       db_col_text(st, 2, NULL));
            if (!x)
                continue;
            if (k == 0)
                x->booked += db_col_int(st, 3);
            else
                x->served += db_col_int(st, 3);
        }
        db_reset(st);
        rc = rc < 0 ? rc : 0;
    }
    if (rc)
        return rc;
    qsort(v, (size_t)n, sizeof(*v), fc_cmp);
    json_t *items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(items, json_pack("{s:I,s:s,s:s,s:I,s:I}", "canteen_id",
                                               (json_int_t)v[i].canteen, "day", v[i].day, "meal",
                                               v[i].meal, "booked", (json_int_t)v[i].booked,
                                               "served", (json_int_t)v[i].served));
    return report_send(r, json_pack("{s:s,s:s,s:o}", "from", f, "to", t, "items", items));
}

/* ---- satisfaction for the service desk ---- */

static int ct_satisfaction(struct req *r, struct db_conn *c, int64_t from_day, int64_t to_day,
                           struct sd_satisfaction *out, struct err *e)
{
    char f[16], t[16];
    date_format(from_day, f, sizeof(f));
    date_format(to_day, t, sizeof(t));
    struct db_stmt *st;
    int rc = db_prepare(c,
                        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN score >= 4 THEN 1 ELSE 0 END), "
                        "0), COALESCE(SUM(score), 0) FROM meal_ratings WHERE tenant_id = ? AND "
                        "day >= ? AND day < ?",
                        &st, e);
    if (rc)
        return rc;
    db_bind_int(st, 1, r->tenant_id);
    db_bind_text(st, 2, f, strlen(f));
    db_bind_text(st, 3, t, strlen(t));
    if ((rc = db_step(st, e)) == DB_ROW) {
        out->rated = db_col_int(st, 0);
        out->satisfied = db_col_int(st, 1);
        out->score_sum = db_col_int(st, 2);
        rc = 0;
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

void ct_init(void)
{
    sd_satisfaction_source("canteen", "食堂就餐", "Canteen meals", ct_satisfaction);
}
