/* SPDX-License-Identifier: MIT
 * booking/availability.c - GET /api/v1/resources/{id}/availability
 * ?from=YYYY-MM-DD&to=YYYY-MM-DD: the places left in every slot of every
 * day from from to to (inclusive; at most BK_RANGE_MAX_DAYS days; by
 * default the seven days from today), with each day's opening or the
 * reason it is closed. One range query over the resource's bookings (the
 * index on tenant, resource_id, start_at), folded in C: whoever may read the
 * resource sees how full it is, never who booked it.
 */
#include "booking.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/buf.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/report.h"
#include "../../engine/rest.h"
#include "../org/calendar.h"

#include <string.h>

struct day {
    int closed, open, close, n; /* n slots */
    int64_t t0;                 /* the first slot's start (UTC) */
    int64_t *taken;
};

int bk_availability(struct req *r)
{
    static const char *const params[] = {"from", "to", NULL};
    int64_t id, from, to, today = report_today(r);
    struct db_conn *c;
    int rc = rest_record(r, &bk_resources, "read", &id, &c, NULL);
    if (rc || (rc = report_params_only(r, params)) ||
        (rc = report_param_day(r, "from", today, &from)) ||
        (rc = report_param_day(r, "to", from + 6, &to)))
        return rc;
    if (to < from || to - from >= BK_RANGE_MAX_DAYS)
        return err_set(&r->err, ERR_BAD_QUERY, "to", "booking.range",
                       "give from 1 to {max}%d days, to not before from", BK_RANGE_MAX_DAYS);
    struct bk_resource res;
    struct calendar cal;
    if ((rc = bk_resource_load(r, c, id, 0, &res, &r->err)) == 1)
        return err_set(&r->err, ERR_NOT_FOUND, NULL, NULL, "no such record");
    if (rc || (rc = cal_load(r, c, r->tenant_id, &cal, &r->err)))
        return rc;
    int nd = (int)(to - from + 1), off = r->utc_offset_min;
    int64_t slot = (int64_t)res.rules.slot_min * 60;
    struct day *d = arena_zalloc(r->a, sizeof(*d) * (size_t)nd);
    if (!d || slot <= 0)
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "out of memory");
    for (int i = 0; i < nd; i++) {
        d[i].closed = bk_day_hours(&res.rules, &cal, from + i, &d[i].open, &d[i].close);
        if (d[i].closed)
            continue;
        d[i].t0 = (from + i) * 86400 - (int64_t)off * 60 + (int64_t)d[i].open * 60;
        d[i].n = (int)(((int64_t)(d[i].close - d[i].open) * 60) / slot);
        d[i].taken = arena_zalloc(r->a, sizeof(int64_t) * (size_t)(d[i].n + 1));
        if (!d[i].taken)
            return err_set(&r->err, ERR_BUDGET, NULL, NULL, "out of memory");
    }
    int64_t t_from = from * 86400 - (int64_t)off * 60, t_to = (to + 1) * 86400 - (int64_t)off * 60;
    struct db_stmt *st;
    if ((rc = db_prepare_ints(c,
                              "SELECT start_at, end_at, party_size FROM bookings WHERE "
                              "tenant_id = ? AND resource_id = ? AND start_at >= ? AND "
                              "start_at < ? AND end_at > ? AND status IN ('pending', "
                              "'confirmed', 'checked_in')",
                              DB_INTS(r->tenant_id, id, t_from - 86400, t_to, t_from), &st,
                              &r->err)))
        return rc;
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        int64_t s = db_col_int(st, 0), e = db_col_int(st, 1), p = db_col_int(st, 2);
        int64_t d0 = bk_day_of(s, off) - from, d1 = bk_day_of(e - 1, off) - from;
        for (int64_t k = d0 < 0 ? 0 : d0; k <= d1 && k < nd; k++) {
            struct day *x = &d[k];
            if (x->closed || !x->n)
                continue;
            int64_t a = (s - x->t0) / slot, b = (e - x->t0 + slot - 1) / slot;
            if (s < x->t0)
                a = 0;
            if (b > x->n)
                b = x->n;
            for (int64_t j = a; j < b; j++)
                x->taken[j] += p;
        }
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    struct buf *o = &r->out;
    char ts[40], date[16];
    buf_printf(o, "{\"resource_id\":%lld,\"capacity\":%lld,\"slot_min\":%d,\"approval\":%s,",
               (long long)id, (long long)res.capacity, res.rules.slot_min,
               res.approval ? "true" : "false");
    buf_printf(o, "\"window_days\":%d,\"quota_per_week\":%lld,\"days\":[", res.rules.window_days,
               (long long)res.quota);
    for (int i = 0; i < nd; i++) {
        date_format(from + i, date, sizeof(date));
        buf_printf(o, "%s{\"date\":\"%s\",\"bookable\":%s", i ? "," : "", date,
                   from + i >= today && from + i <= today + res.rules.window_days ? "true"
                                                                                  : "false");
        if (d[i].closed) {
            buf_puts(o, ",\"open\":false,\"slots\":[]}");
            continue;
        }
        buf_printf(o, ",\"open\":true,\"opens\":\"%02d:%02d\",\"closes\":\"%02d:%02d\",\"slots\":[",
                   d[i].open / 60, d[i].open % 60, d[i].close / 60, d[i].close % 60);
        for (int j = 0; j < d[i].n; j++) {
            time_format_rfc3339(d[i].t0 + j * slot, off, ts, sizeof(ts));
            int64_t free = res.capacity - d[i].taken[j];
            buf_printf(o, "%s{\"start\":\"%s\",\"free\":%lld}", j ? "," : "", ts,
                       (long long)(free < 0 ? 0 : free));
        }
        buf_puts(o, "]}");
    }
    buf_puts(o, "]}");
    if (!buf_ok(o))
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "out of memory");
    return resp_json(r, 200);
}
