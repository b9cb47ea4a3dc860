/* SPDX-License-Identifier: MIT
 * booking/hooks.c - what people write: a resource's opening hours are
 * checked when written; a booking is made by its booker (their department
 * with it), pending or confirmed as the resource says, with a check-in code
 * nobody can guess, and only when every rule holds: the resource open for
 * booking and to the booker's role and department, the party within the
 * capacity, the time rules (rules.c), the places left at the busiest
 * instant of the interval and the booker's weekly quota.
 *
 * Race-proof: the create takes the resource's row lock (rec_lock) before it
 * counts. On PostgreSQL under READ COMMITTED a second create waits on the
 * lock and then counts the first one's committed booking; on SQLite the
 * write transaction (BEGIN IMMEDIATE) already serialises writers. The
 * series route takes the same lock once for all its dates.
 */
#include "booking.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/auth.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/setting.h"
#include "../../engine/record.h"
#include "../../engine/workflow.h"
#include "../identity/identity.h"
#include "../org/calendar.h"
#include "../org/org.h"

#include <jansson.h>
#include <string.h>

static const char *const closed_names[] = {"open_always", "holidays", "workdays_only"};

int64_t bk_setting(struct req *r, struct db_conn *c, const char *name, int64_t dflt)
{
    return setting_int(r, c, &bk_settings, name, dflt, SETTING_NEWEST);
}

int bk_resource_before_write(struct res_write *w)
{
    if (!w->rec)
        return 0;
    struct bk_week wk;
    struct err_item why;
    if (bk_hours_parse(wf_str(w->rec, "hours"), &wk, &why)) {
        err_add(w->e, "hours", &why);
        return err_invalid(w->e);
    }
    return 0;
}

int bk_resource_load(struct req *r, struct db_conn *c, int64_t id, int lock,
                     struct bk_resource *out, struct err *e)
{
    struct db_stmt *st;
    memset(out, 0, sizeof(*out));
    int rc = lock ? rec_lock(r, c, &bk_resources, id, e) : 0;
    if (rc)
        return rc;
    rc = db_prepare_ints(c,
                         "SELECT name, capacity, quota_per_week, cancel_hours, department_id, "
                         "approval, active, roles, hours, closed_days, slot_min, window_days "
                         "FROM resources WHERE tenant_id = ? AND id = ?",
                         DB_INTS(r->tenant_id, id), &st, e);
    if (rc)
        return rc;
    if ((rc = db_step(st, e)) == DB_ROW) {
        struct err_item why;
        out->id = id;
        out->name = arena_strdup(r->a, db_col_text(st, 0, NULL));
        out->capacity = db_col_int(st, 1);
        out->quota = db_col_int(st, 2);
        out->cancel_hours = db_col_int(st, 3);
        out->dept = db_col_int(st, 4);
        out->approval = (int)db_col_int(st, 5);
        out->active = (int)db_col_int(st, 6);
        out->roles = db_col_is_null(st, 7) ? NULL : arena_strdup(r->a, db_col_text(st, 7, NULL));
        if (bk_hours_parse(db_col_text(st, 8, NULL), &out->rules.week, &why))
            for (int d = 0; d < 8; d++) /* cannot be stored so; closed if it were */
                out->rules.week.open[d] = out->rules.week.close[d] = -1;
        const char *cd = db_col_text(st, 9, NULL);
        out->rules.closed = BK_OPEN_ALWAYS;
        for (int k = 0; k < 3; k++)
            if (!strcmp(cd, closed_names[k]))
                out->rules.closed = (enum bk_closed)k;
        out->rules.slot_min = (int)db_col_int(st, 10);
        out->rules.window_days = (int)db_col_int(st, 11);
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    return out->id ? 0 : 1;
}

/* 1 when code is in the comma-separated list (NULL or "": everyone). */
static int role_listed(const char *list, const char *code)
{
    if (!list || !*list)
        return 1;
    size_t n = strlen(code);
    for (const char *p = list; *p;) {
        const char *q = strchr(p, ',');
        size_t len = q ? (size_t)(q - p) : strlen(p);
        if (len == n && !memcmp(p, code, n))
            return 1;
        p += len + (q ? 1 : 0);
    }
    return 0;
}

/* 1 when dept is res_dept or below it. */
static int in_department(struct req *r, struct db_conn *c, int64_t res_dept, int64_t dept, int *in,
                         struct err *e)
{
    struct org_dept_list l;
    *in = 0;
    int rc = org_dept_list_load(r, c, &l, e);
    if (rc)
        return rc;
    for (int hops = 0; dept && hops < 64; hops++) {
        if (dept == res_dept) {
            *in = 1;
            break;
        }
        const struct org_dept_row *d = org_dept_list_find(&l, dept);
        dept = d ? d->parent_id : 0;
    }
    return 0;
}

/* The places taken at the busiest instant of [start, end) on res. */
static int taken(struct req *r, struct db_conn *c, int64_t res, int64_t start, int64_t end,
                 int64_t skip, int64_t *peak, struct err *e)
{
    struct db_stmt *st;
    struct bk_span sp[256];
    int n = 0;
    /* a booking lies within one day's opening: it starts at most a day
     * before the interval it overlaps, so the index range stays short */
    int rc =
        db_prepare_ints(c,
                        "SELECT start_at, end_at, party_size FROM bookings WHERE tenant_id = ? "
                        "AND resource_id = ? AND start_at >= ? AND start_at < ? AND end_at > ? "
                        "AND status IN ('pending', 'confirmed', 'checked_in') AND id <> ?",
                        DB_INTS(r->tenant_id, res, start - 86400, end, start, skip), &st, e);
    if (rc)
        return rc;
    *peak = 0;
    while ((rc = db_step(st, e)) == DB_ROW) {
        sp[n].start = db_col_int(st, 0);
        sp[n].end = db_col_int(st, 1);
        sp[n].party = db_col_int(st, 2);
        if (++n == (int)(sizeof(sp) / sizeof(sp[0]))) { /* fold what we have */
            int64_t p = bk_peak(sp, n, start, end);
            if (p > *peak)
                *peak = p;
            n = 0;
        }
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    int64_t p = bk_peak(sp, n, start, end);
    if (p > *peak)
        *peak = p;
    return 0;
}

int bk_check_booking(struct req *r, struct db_conn *c, const struct bk_resource *res, int64_t user,
                     int64_t start, int64_t end, int64_t party, int64_t skip, struct err *e)
{
    int rc;
    if (!res->active) {
        err_field(e, "resource_id", "booking.inactive", "{resource}%s is not open for booking",
                  res->name);
        return err_invalid(e);
    }
    if (r->who && !role_listed(res->roles, r->who->role_code))
        return err_set(e, ERR_FORBIDDEN, "resource_id", "booking.role",
                       "the role {role}%s may not book {resource}%s", r->who->role_code, res->name);
    if (r->who && res->dept) {
        int in;
        if ((rc = in_department(r, c, res->dept, r->who->department_id, &in, e)))
            return rc;
        if (!in)
            return err_set(e, ERR_FORBIDDEN, "resource_id", "booking.department",
                           "{resource}%s is booked only by its department's people", res->name);
    }
    if (party > res->capacity) {
        err_field(e, "party_size", "booking.party", "{resource}%s holds at most {capacity}%lld",
                  res->name, (long long)res->capacity);
        return err_invalid(e);
    }
    struct calendar cal;
    struct err_item why;
    const char *field;
    if ((rc = cal_load(r, c, r->tenant_id, &cal, e)))
        return rc;
    if (bk_check_time(&res->rules, &cal, r->utc_offset_min, clock_now(), start, end, &why,
                      &field)) {
        err_add(e, field, &why);
        return err_invalid(e);
    }
    int64_t peak;
    if ((rc = taken(r, c, res->id, start, end, skip, &peak, e)))
        return rc;
    if (peak + party > res->capacity)
        return err_set(e, ERR_CONFLICT, NULL, "booking.capacity",
                       "{resource}%s holds {capacity}%lld; {taken}%lld places are taken then "
                       "and {asked}%lld asked",
                       res->name, (long long)res->capacity, (long long)peak, (long long)party);
    if (res->quota > 0) {
        int64_t from, to, used;
        bk_week_of(start, r->utc_offset_min, &from, &to);
        /* no-shows count: a place not used is not given back */
        if ((rc = db_one_int(c,
                             "SELECT COUNT(*) FROM bookings WHERE tenant_id = ? AND booker_id = ? "
                             "AND start_at >= ? AND start_at < ? AND resource_id = ? AND id <> ? "
                             "AND status IN ('pending', 'confirmed', 'checked_in', 'no_show')",
                             DB_INTS(r->tenant_id, user, from, to, res->id, skip), &used, e)) < 0)
            return rc;
        if (used >= res->quota)
            return err_set(e, ERR_CONFLICT, NULL, "booking.quota",
                           "{resource}%s may be booked {limit}%lld times a week; {used}%lld "
                           "are used that week",
                           res->name, (long long)res->quota, (long long)used);
    }
    return 0;
}

/* A check-in code: 12 characters of an alphabet without look-alikes (60 bits). */
json_t *bk_new_code(void)
{
    static const char abc[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    unsigned char raw[BK_CODE_LEN];
    char out[BK_CODE_LEN + 1];
    core_random(raw, sizeof(raw));
    for (int i = 0; i < BK_CODE_LEN; i++)
        out[i] = abc[raw[i] & 31];
    out[BK_CODE_LEN] = 0;
    return json_string(out);
}

static int changed(struct res_write *w, const char *k)
{
    return !json_equal(json_object_get(w->old, k), json_object_get(w->rec, k));
}

int bk_booking_before_write(struct res_write *w)
{
    struct req *r = w->r;
    if (!w->rec || r->server_write)
        return 0;
    if (w->old) {
        /* a booking's place is fixed: another time is another booking */
        if (changed(w, "resource_id") || changed(w, "start_at") || changed(w, "end_at") ||
            changed(w, "party_size"))
            return err_set(w->e, ERR_CONFLICT, NULL, "booking.fixed",
                           "a booking's resource, time and party are fixed: cancel it and book "
                           "again");
        return 0;
    }
    int64_t start = wf_time(w->rec, "start_at"), end = wf_time(w->rec, "end_at");
    if (end <= start) {
        err_field(w->e, "end_at", "field.after_start", "must be after start_at");
        return err_invalid(w->e);
    }
    struct bk_resource res;
    int rc = bk_resource_load(r, w->c, wf_int(w->rec, "resource_id"), 1, &res, w->e);
    if (rc == 1) /* the reference check names it */
        return 0;
    if (rc || (rc = bk_check_booking(r, w->c, &res, r->user_id, start, end,
                                     wf_int(w->rec, "party_size"), 0, w->e)))
        return rc;
    json_object_set_new(w->rec, "booker_id", r->user_id ? json_integer(r->user_id) : json_null());
    json_object_set_new(w->rec, "department_id",
                        r->who && r->who->department_id ? json_integer(r->who->department_id)
                                                        : json_null());
    json_object_set_new(w->rec, "status", json_string(res.approval ? "pending" : "confirmed"));
    json_object_set_new(w->rec, "check_in_code", bk_new_code());
    return 0;
}
