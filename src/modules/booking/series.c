/* SPDX-License-Identifier: MIT
 * booking/series.c - POST /api/v1/bookings/series: a weekly series (the
 * Monday meeting) of one resource, for a number of weeks or until a date.
 * Every date is checked by the rules of a single booking, in one
 * transaction holding the resource's lock. Without skip_conflicts a single
 * date that cannot be booked refuses the whole series: 409
 * booking.series.conflicts with one item per such date (the date as its
 * field, the date's own key and figures) and nothing written. With it the
 * free dates are booked and the answer says, date by date, booked (the
 * booking's id) or skipped (the key, figures and detail of the reason).
 * The series is kept as a record (booking_series) with that outcome.
 */
#include "booking.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/buf.h"
#include "../../base/err.h"
#include "../../core/auth.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../engine/record.h"
#include "../../engine/report.h"
#include "../../engine/rest.h"
#include "../../engine/workflow.h"

#include <string.h>

static int append(const char *p, size_t n, void *b)
{
    buf_append((struct buf *)b, p, n);
    return buf_ok((struct buf *)b) ? 0 : -1;
}

/* The body's members: every error at once (422), unknown members refused. */
struct series_in {
    int64_t resource, start, end, weeks, party;
    int skip;
    const char *purpose;
};

static int parse(struct req *r, json_t *b, struct series_in *in)
{
    static const char *const known[] = {"resource_id",    "start_at",   "end_at",  "weeks", "until",
                                        "skip_conflicts", "party_size", "purpose", NULL};
    struct err *e = &r->err;
    const char *k;
    json_t *v;
    json_object_foreach(b, k, v)
    {
        int ok = 0;
        for (int i = 0; known[i]; i++)
            ok |= !strcmp(k, known[i]);
        if (!ok)
            err_field(e, k, "field.unknown", "is not a member of a series");
    }
    v = json_object_get(b, "resource_id");
    in->resource = json_is_integer(v) ? json_integer_value(v) : 0;
    if (in->resource <= 0)
        err_field(e, "resource_id", "field.required", "is required");
    const char *s = wf_str(b, "start_at"), *t = wf_str(b, "end_at");
    if (!s || time_parse_rfc3339(s, strlen(s), &in->start))
        err_field(e, "start_at", "field.datetime", "must be a date and time (RFC 3339)");
    if (!t || time_parse_rfc3339(t, strlen(t), &in->end))
        err_field(e, "end_at", "field.datetime", "must be a date and time (RFC 3339)");
    else if (s && in->end <= in->start)
        err_field(e, "end_at", "field.after_start", "must be after start_at");
    v = json_object_get(b, "party_size");
    in->party = v ? (json_is_integer(v) ? json_integer_value(v) : 0) : 1;
    if (in->party < 1)
        err_field(e, "party_size", "field.min", "must be at least {min}%d", 1);
    else if (in->party > 1000)
        err_field(e, "party_size", "field.max", "must be at most {max}%d", 1000);
    v = json_object_get(b, "skip_conflicts");
    if (v && !json_is_boolean(v))
        err_field(e, "skip_conflicts", "field.bool", "must be true or false");
    in->skip = json_is_true(v);
    in->purpose = wf_str(b, "purpose");
    if (json_object_get(b, "purpose") && (!in->purpose || strlen(in->purpose) > 600))
        err_field(e, "purpose", "field.too_long", "must be at most {max}%d characters", 200);
    json_t *wk = json_object_get(b, "weeks"), *un = json_object_get(b, "until");
    in->weeks = 0;
    if (!wk == !un)
        err_field(e, "weeks", "booking.series.length", "give either weeks or until");
    else if (wk) {
        in->weeks = json_is_integer(wk) ? json_integer_value(wk) : 0;
        if (in->weeks < 1 || in->weeks > BK_SERIES_MAX)
            err_field(e, "weeks", "booking.series.too_many", "a series has from 1 to {max}%d dates",
                      BK_SERIES_MAX);
    } else {
        const char *u = json_string_value(un);
        int64_t day;
        if (!u || date_parse(u, strlen(u), &day))
            err_field(e, "until", "field.date", "must be a date (YYYY-MM-DD)");
        else if (!e->nitems) {
            int64_t first = bk_day_of(in->start, r->utc_offset_min);
            in->weeks = day < first ? 0 : (day - first) / 7 + 1;
            if (in->weeks < 1)
                err_field(e, "until", "booking.series.until", "must not be before the first date");
            else if (in->weeks > BK_SERIES_MAX)
                err_field(e, "until", "booking.series.too_many",
                          "a series has from 1 to {max}%d dates", BK_SERIES_MAX);
        }
    }
    return e->nitems ? err_invalid(e) : 0;
}

/* The reason a date was refused, as {key, params, detail}. */
static json_t *reason(const struct err *de)
{
    const char *key = de->nitems ? de->items[0].key : err_key(de);
    const char *pt = de->nitems ? de->items[0].params : de->params;
    const char *msg = de->nitems ? de->items[0].msg : de->detail;
    json_error_t je;
    json_t *params = *pt ? json_loads(pt, 0, &je) : json_object();
    return json_pack("{s:s,s:o,s:s}", "key", key, "params", params ? params : json_object(),
                     "detail", msg);
}

int bk_series_create(struct req *r)
{
    json_t *body;
    struct series_in in;
    int rc = perm_check(r, &bk_bookings, "create");
    if (rc || (rc = rest_body_json(r, &body, 0)) || (rc = parse(r, body, &in)))
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    if ((rc = db_begin(c, &r->err)))
        return rc;
    struct bk_resource res;
    json_t *dates = report_keep(r, json_array());
    int64_t booked = 0, skipped = 0, sid = 0;
    if ((rc = bk_resource_load(r, c, in.resource, 1, &res, &r->err)) == 1) {
        err_field(&r->err, "resource_id", "booking.resource_unknown", "is not a resource");
        rc = err_invalid(&r->err);
    }
    if (rc)
        goto out;
    json_t *rec = json_pack(
        "{s:I,s:o,s:o,s:I,s:b,s:I,s:s?,s:I,s:o,s:I,s:I}", "resource_id", (json_int_t)in.resource,
        "start_at", wf_time_json(r, in.start), "end_at", wf_time_json(r, in.end), "weeks",
        (json_int_t)in.weeks, "skip_conflicts", in.skip, "party_size", (json_int_t)in.party,
        "purpose", in.purpose, "booker_id", (json_int_t)r->user_id, "department_id",
        r->who && r->who->department_id ? json_integer(r->who->department_id) : json_null(),
        "booked", (json_int_t)0, "skipped", (json_int_t)0);
    if ((rc = wf_create(r, c, &bk_series, rec, &sid, &r->err)))
        goto out;
    for (int64_t k = 0; k < in.weeks; k++) {
        int64_t s = in.start + k * 7 * 86400, t = in.end + k * 7 * 86400;
        char date[16];
        date_format(bk_day_of(s, r->utc_offset_min), date, sizeof(date));
        struct err de;
        err_clear(&de);
        json_t *d = json_pack("{s:s,s:o,s:o}", "date", date, "start_at", wf_time_json(r, s),
                              "end_at", wf_time_json(r, t));
        json_array_append_new(dates, d);
        int dr = bk_check_booking(r, c, &res, r->user_id, s, t, in.party, 0, &de);
        if (dr == -ERR_INVALID || dr == -ERR_CONFLICT) {
            skipped++;
            json_object_set_new(d, "status", json_string("skipped"));
            json_object_set_new(d, "reason", reason(&de));
            continue;
        }
        if (dr) {
            r->err = de;
            rc = dr; /* not a date's own: the role, the database */
            goto out;
        }
        int64_t bid;
        json_t *b = json_pack(
            "{s:I,s:o,s:o,s:I,s:s?,s:I,s:o,s:I,s:s}", "resource_id", (json_int_t)in.resource,
            "start_at", wf_time_json(r, s), "end_at", wf_time_json(r, t), "party_size",
            (json_int_t)in.party, "purpose", in.purpose, "booker_id", (json_int_t)r->user_id,
            "department_id",
            r->who && r->who->department_id ? json_integer(r->who->department_id) : json_null(),
            "series_id", (json_int_t)sid, "status", res.approval ? "pending" : "confirmed");
        if (b)
            json_object_set_new(b, "check_in_code", bk_new_code());
        if ((rc = wf_create(r, c, &bk_bookings, b, &bid, &r->err)))
            goto out;
        booked++;
        json_object_set_new(d, "status", json_string("booked"));
        json_object_set_new(d, "booking_id", json_integer(bid));
    }
    if (skipped && (!in.skip || !booked)) {
        /* the whole series refused: every date that cannot be booked, named */
        size_t i;
        json_t *d;
        err_clear(&r->err);
        rc = err_set(&r->err, ERR_CONFLICT, NULL, "booking.series.conflicts",
                     "{n}%lld of the {weeks}%lld dates cannot be booked%s", (long long)skipped,
                     (long long)in.weeks, in.skip ? "" : ": nothing was booked");
        json_array_foreach(dates, i, d)
        {
            json_t *why = json_object_get(d, "reason");
            if (!why)
                continue;
            struct err_item it;
            memset(&it, 0, sizeof(it));
            snprintf(it.key, sizeof(it.key), "%s", wf_str(why, "key"));
            snprintf(it.msg, sizeof(it.msg), "%s", wf_str(why, "detail"));
            char *pt = json_dumps(json_object_get(why, "params"), JSON_COMPACT);
            snprintf(it.params, sizeof(it.params), "%s", pt ? pt : "");
            core_free(pt); /* json_dumps allocates with the default malloc */
            err_add(&r->err, wf_str(d, "date"), &it);
        }
        buf_truncate(&r->problem_extra, 0);
        buf_puts(&r->problem_extra, ",\"dates\":");
        json_dump_callback(dates, append, &r->problem_extra, JSON_COMPACT);
        goto out;
    }
    json_t *outcome = json_pack("{s:I,s:I,s:O}", "booked", (json_int_t)booked, "skipped",
                                (json_int_t)skipped, "outcome", dates);
    if ((rc = wf_update(r, c, &bk_series, sid, outcome, &r->err)))
        goto out;
out:
    if (rc) {
        db_rollback(c);
        return rc;
    }
    if ((rc = db_commit(c, &r->err)))
        return rc;
    json_t *doc = json_pack("{s:I,s:I,s:I,s:I,s:O}", "series_id", (json_int_t)sid, "resource_id",
                            (json_int_t)in.resource, "booked", (json_int_t)booked, "skipped",
                            (json_int_t)skipped, "dates", dates);
    if (!doc)
        return err_set(&r->err, ERR_INTERNAL, NULL, NULL, "out of memory");
    buf_truncate(&r->out, 0);
    rc = json_dump_callback(doc, append, &r->out, JSON_COMPACT);
    json_decref(doc);
    if (rc || !buf_ok(&r->out))
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "out of memory");
    return resp_json(r, 201);
}
