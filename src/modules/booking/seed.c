/* SPDX-License-Identifier: MIT
 * booking/seed.c - what every tenant starts with: the settings (a check-in
 * grace of 15 minutes, after which a confirmed booking is a no-show: the
 * common practice of staff-facility booking systems; a tenant changes it in
 * booking_settings).
 */
#include "booking.h"
#include "../../base/base.h"
#include "../../db/db.h"

#include <string.h>

int bk_seed_tenant(struct db_conn *c, int64_t tenant_id, struct err *e)
{
    struct db_stmt *st;
    int64_t now = clock_now();
    static const char note[] = "开始后15分钟内未签到记为爽约";
    int rc = db_prepare(c,
                        "INSERT INTO booking_settings (tenant_id, version, created_at, updated_at, "
                        "name, value, note) VALUES (?, 1, ?, ?, 'no_show_min', ?, ?)",
                        &st, e);
    if (rc)
        return rc;
    db_bind_int(st, 1, tenant_id);
    db_bind_int(st, 2, now);
    db_bind_int(st, 3, now);
    db_bind_int(st, 4, BK_NO_SHOW_MIN);
    db_bind_text(st, 5, note, strlen(note));
    rc = db_step(st, e);
    db_reset(st);
    if (rc >= 0)
        rc = bk_voucher_key_seed(c, tenant_id, e);
    return rc < 0 ? rc : 0;
}
