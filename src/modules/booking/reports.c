/* SPDX-License-Identifier: MIT
 * booking/reports.c - the module's dashboard card: today's bookings, the
 * approvals waiting and this month's no-shows, for those who see every
 * booking of the tenant (the service centre, leadership, audit).
 */
#include "booking.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../engine/report.h"

#include <string.h>

int bk_summary(struct req *r, struct db_conn *c, json_t *cards, struct err *e)
{
    if (perm_scope(r, &bk_bookings, "read") != SCOPE_TENANT)
        return 0;
    int64_t today = report_today(r), off = (int64_t)r->utc_offset_min * 60;
    int64_t t0 = today * 86400 - off, month = today;
    /* the first day of today's month */
    char d[16];
    date_format(today, d, sizeof(d));
    month = today - (int64_t)((d[8] - '0') * 10 + (d[9] - '0') - 1);
    int64_t m0 = month * 86400 - off, now_day_end = t0 + 86400;
    int64_t n_today, pending, no_shows;
    int rc = db_one_int(c,
                        "SELECT COUNT(*) FROM bookings WHERE tenant_id = ? AND start_at >= ? AND "
                        "start_at < ? AND status IN ('pending', 'confirmed', 'checked_in')",
                        DB_INTS(r->tenant_id, t0, now_day_end), &n_today, e);
    if (rc >= 0)
        rc = db_one_int(c,
                        "SELECT COUNT(*) FROM bookings WHERE tenant_id = ? AND status = 'pending' "
                        "AND start_at >= ?",
                        DB_INTS(r->tenant_id, t0), &pending, e);
    if (rc >= 0)
        rc = db_one_int(c,
                        "SELECT COUNT(*) FROM bookings WHERE tenant_id = ? AND status = 'no_show' "
                        "AND start_at >= ? AND start_at < ?",
                        DB_INTS(r->tenant_id, m0, now_day_end), &no_shows, e);
    if (rc < 0)
        return rc;
    json_t *card = json_pack(
        "{s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:{s:{s:s,s:s},s:{s:s,s:s},s:{s:s,s:s}}}", "id", "booking",
        "kind", "kpi", "zh", "服务中心预约", "en", "Service centre bookings", "today",
        (json_int_t)n_today, "pending", (json_int_t)pending, "no_shows_month", (json_int_t)no_shows,
        "labels", "today", "zh", "今日预约", "en", "Today's bookings", "pending", "zh", "待审批",
        "en", "Awaiting approval", "no_shows_month", "zh", "本月爽约", "en", "No-shows this month");
    if (!card)
        return err_set(e, ERR_INTERNAL, NULL, NULL, "out of memory");
    int64_t redeemed;
    if ((rc = bk_voucher_month_redeemed(r, c, &redeemed, e)) < 0) {
        json_decref(card);
        return rc;
    }
    if (redeemed >= 0) {
        json_object_set_new(card, "vouchers_redeemed_month", json_integer(redeemed));
        json_object_set_new(json_object_get(card, "labels"), "vouchers_redeemed_month",
                            json_pack("{s:s,s:s}", "zh", "本月核销服务券", "en",
                                      "Vouchers redeemed this month"));
    }
    json_array_append_new(cards, card);
    return 0;
}
