/* SPDX-License-Identifier: MIT
 * fleet/candidates.c - GET /api/v1/trip_requests/{id}/candidates: the
 * vehicles and drivers that fit a request for its whole interval, best fit
 * first, and the ones that do not with the reason (busy with which request,
 * too few seats, out of service, still out past the end of its trip; a
 * licence that ends before the trip, of a class that drives none of the
 * proposed vehicles, or no vehicle proposed at all), so that a dispatcher
 * who wants a particular car sees at once why it is not offered. Drivers
 * with an account (who receive the trip on their phone) come first.
 */
#include "fleet.h"
#include "../../base/arena.h"
#include "../../base/buf.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/workflow.h"
#include "../../engine/perm.h"
#include "../../engine/record.h"
#include "../../engine/rest.h"

#include <string.h>

/* The first dispatched request of the same vehicle or driver that overlaps
 * [start, end): its id and times, NULLs when none. */
#define BUSY(col)                                                                                  \
    "LEFT JOIN trip_requests b ON b.tenant_id = x.tenant_id AND b.id = (SELECT t.id FROM "         \
    "trip_requests t WHERE t.tenant_id = x.tenant_id AND t." col " = x.id AND t.status = "         \
    "'dispatched' AND t.start_at < ? AND t.end_at > ? AND t.id <> ? ORDER BY t.start_at, t.id "    \
    "LIMIT 1) "

/* Prepares sql (BUSY's three parameters, then the tenant) for request id
 * over [from, to). */
static int busy_query(struct req *r, struct db_conn *c, const char *sql, int64_t id, int64_t from,
                      int64_t to, struct db_stmt **st)
{
    return db_prepare_ints(c, sql, DB_INTS(to, from, id, r->tenant_id), st, &r->err);
}

/* Opens the next row's object in fit, or in other when there is a reason
 * against it (a comma before all but the first of each). */
static struct buf *open_row(const char *why, struct buf *fit, struct buf *other, int *nf, int *no,
                            int64_t id)
{
    struct buf *b = why ? other : fit;
    if (why ? (*no)++ : (*nf)++)
        buf_putc(b, ',');
    buf_puts(b, "{\"id\":");
    buf_i64(b, id);
    return b;
}

static void text_col(struct buf *b, const char *key, struct db_stmt *st, int col)
{
    size_t n;
    const char *t = db_col_text(st, col, &n);
    buf_printf(b, ",\"%s\":", key);
    if (!t)
        buf_puts(b, "null");
    else
        buf_json_str(b, t, n);
}

static void time_col(struct req *r, struct buf *b, const char *key, struct db_stmt *st, int col)
{
    char t[40];
    time_format_rfc3339(db_col_int(st, col), r->utc_offset_min, t, sizeof(t));
    buf_printf(b, ",\"%s\":\"%s\"", key, t);
}

/* ,"reason":…[,"busy_with":{…}] for a row whose busy request is at column bc
 * (,"overdue_with":{"request_id","end_at"} from column bc + 3 when overdue) */
static void reason(struct req *r, struct buf *b, const char *why, struct db_stmt *st, int bc)
{
    buf_printf(b, ",\"reason\":\"%s\"", why);
    if (!strcmp(why, "overdue")) {
        buf_puts(b, ",\"overdue_with\":{\"request_id\":");
        buf_i64(b, db_col_int(st, bc + 3));
        time_col(r, b, "end_at", st, bc + 4);
        buf_putc(b, '}');
    }
    if (strcmp(why, "busy"))
        return;
    buf_puts(b, ",\"busy_with\":{\"request_id\":");
    buf_i64(b, db_col_int(st, bc));
    time_col(r, b, "start_at", st, bc + 1);
    time_col(r, b, "end_at", st, bc + 2);
    buf_putc(b, '}');
}

static int in_service(const char *status)
{
    return status && (!strcmp(status, "available") || !strcmp(status, "on_trip"));
}

/* The vehicle sizes among the proposed ones, to tell which licences drive one. */
struct sizes {
    int small_auto, small, medium, large;
};

static int any_size(const struct sizes *z)
{
    return z->small_auto || z->small || z->medium || z->large;
}

static int drives_one(const struct sizes *z, const char *lic)
{
    return (z->small_auto && fl_licence_fits(lic, 5, 1)) ||
           (z->small && fl_licence_fits(lic, 5, 0)) || (z->medium && fl_licence_fits(lic, 15, 0)) ||
           (z->large && fl_licence_fits(lic, 30, 0));
}

static int vehicles(struct req *r, struct db_conn *c, int64_t id, int64_t from, int64_t to,
                    int64_t need, struct buf *fit, struct buf *other, struct sizes *z)
{
    struct db_stmt *st;
    int64_t now = clock_now(), hold = fl_setting(r, c, "overdue_hold_min", FL_OVERDUE_HOLD_MIN);
    /* and the trip under way past its end (the request it is out on) */
    int rc = db_prepare_ints(
        c,
        "SELECT x.id, x.plate, x.brand, x.model, x.class, x.seats, x.energy, x.automatic, "
        "x.odometer_km, x.status, b.id, b.start_at, b.end_at, o.id, o.end_at FROM vehicles x " BUSY(
            "vehicle_id") "LEFT JOIN trip_requests o ON o.tenant_id = x.tenant_id AND o.id = "
                          "(SELECT q.id FROM trips t JOIN trip_requests q ON q.tenant_id = "
                          "t.tenant_id AND q.id = t.request_id WHERE t.tenant_id = x.tenant_id "
                          "AND t.vehicle_id = x.id AND t.status = 'in_progress' AND q.end_at < ? "
                          "ORDER BY q.end_at, q.id LIMIT 1) WHERE x.tenant_id = ? AND x.status IN "
                          "('available', 'on_trip', 'in_repair', 'to_scrap') ORDER BY x.seats, "
                          "x.odometer_km, x.id LIMIT 1000",
        DB_INTS(to, from, id, now, r->tenant_id), &st, &r->err);
    if (rc)
        return rc;
    int nf = 0, no = 0;
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        int64_t seats = db_col_int(st, 5);
        int automatic = (int)db_col_int(st, 7);
        const char *status = db_col_text(st, 9, NULL);
        int late = !db_col_is_null(st, 13) && fl_still_out(db_col_int(st, 14), now, from, hold);
        const char *why = !in_service(status)       ? status
                          : seats < need            ? "seats"
                          : !db_col_is_null(st, 10) ? "busy"
                          : late                    ? "overdue"
                                                    : NULL;
        struct buf *b = open_row(why, fit, other, &nf, &no, db_col_int(st, 0));
        static const char *const keys[] = {"plate", "brand", "model", "class"};
        for (int k = 0; k < 4; k++)
            text_col(b, keys[k], st, 1 + k);
        buf_puts(b, ",\"seats\":");
        buf_i64(b, seats);
        text_col(b, "energy", st, 6);
        buf_puts(b, automatic ? ",\"automatic\":true" : ",\"automatic\":false");
        buf_puts(b, ",\"odometer_km\":");
        buf_i64(b, db_col_int(st, 8));
        text_col(b, "status", st, 9);
        buf_puts(b, ",\"licences\":[");
        static const char *const lic[] = {"A1", "A2", "A3", "B1", "B2", "C1", "C2"};
        int nl = 0;
        for (int k = 0; k < 7; k++)
            if (fl_licence_fits(lic[k], seats, automatic))
                buf_printf(b, "%s\"%s\"", nl++ ? "," : "", lic[k]);
        buf_putc(b, ']');
        if (why)
            reason(r, b, why, st, 10);
        buf_putc(b, '}');
        if (why)
            continue;
        if (seats <= 9 && automatic)
            z->small_auto = 1;
        else if (seats <= 9)
            z->small = 1;
        else if (seats <= 19)
            z->medium = 1;
        else
            z->large = 1;
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static int drivers(struct req *r, struct db_conn *c, int64_t id, int64_t from, int64_t to,
                   const char *last, struct buf *fit, struct buf *other, const struct sizes *z)
{
    struct db_stmt *st;
    int rc = busy_query(r, c,
                        "SELECT x.id, x.name, x.licence_class, x.licence_until, x.user_id, "
                        "b.id, b.start_at, b.end_at FROM drivers x " BUSY("driver_id") "WHERE "
                        "x.tenant_id = ? AND x.active = 1 ORDER BY CASE WHEN x.user_id IS NULL "
                        "THEN 1 ELSE 0 END, x.name, x.id LIMIT 1000",
                        id, from, to, &st);
    if (rc)
        return rc;
    int nf = 0, no = 0;
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        const char *lic = db_col_text(st, 2, NULL);
        const char *until = db_col_text(st, 3, NULL);
        const char *why = !until || strcmp(until, last) < 0 ? "licence_expired"
                          : !db_col_is_null(st, 5)          ? "busy"
                          : !any_size(z)                    ? "no_vehicle"
                          : !drives_one(z, lic)             ? "licence_class"
                                                            : NULL;
        struct buf *b = open_row(why, fit, other, &nf, &no, db_col_int(st, 0));
        text_col(b, "name", st, 1);
        text_col(b, "licence_class", st, 2);
        text_col(b, "licence_until", st, 3);
        buf_puts(b, ",\"user_id\":");
        if (db_col_is_null(st, 4))
            buf_puts(b, "null");
        else
            buf_i64(b, db_col_int(st, 4));
        if (why)
            reason(r, b, why, st, 5);
        buf_putc(b, '}');
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int fl_candidates(struct req *r)
{
    int64_t id;
    json_t *rq = NULL;
    struct db_conn *c;
    int rc = rest_record(r, &fl_requests, "dispatch", &id, &c, &rq);
    if (rc)
        return rc;
    int64_t from = wf_time(rq, "start_at"), to = wf_time(rq, "end_at");
    int64_t need = wf_int(rq, "seats_needed");
    /* the licence must last through the trip's last (local) day */
    char last[16];
    date_format(fl_local_day(r, to - 1), last, sizeof(last));
    struct buf fv, ov, fd, od;
    buf_init(&fv, r->a);
    buf_init(&ov, r->a);
    buf_init(&fd, r->a);
    buf_init(&od, r->a);
    struct sizes z = {0};
    if ((rc = vehicles(r, c, id, from, to, need, &fv, &ov, &z)) ||
        (rc = drivers(r, c, id, from, to, last, &fd, &od, &z)))
        return rc;
    if (!buf_ok(&fv) || !buf_ok(&ov) || !buf_ok(&fd) || !buf_ok(&od))
        return err_set(&r->err, ERR_INTERNAL, NULL, NULL, "out of memory");
    buf_puts(&r->out, "{\"request_id\":");
    buf_i64(&r->out, id);
    buf_puts(&r->out, ",\"vehicles\":[");
    buf_puts(&r->out, buf_cstr(&fv));
    buf_puts(&r->out, "],\"drivers\":[");
    buf_puts(&r->out, buf_cstr(&fd));
    buf_puts(&r->out, "],\"unavailable\":{\"vehicles\":[");
    buf_puts(&r->out, buf_cstr(&ov));
    buf_puts(&r->out, "],\"drivers\":[");
    buf_puts(&r->out, buf_cstr(&od));
    buf_puts(&r->out, "]}}");
    return resp_json(r, 200);
}
