/* SPDX-License-Identifier: MIT
 * booking/module.c - the service centre bookings module's declaration: its
 * collections, the routes beyond the generic ones (a weekly series, a
 * resource's availability), the no-show job, the tenant's settings and the
 * demo centre.
 */
#include "booking.h"
#include "../../core/http.h"
#include "../../core/jobs.h"
#include "../../core/router.h"

#include <stddef.h>

static const struct res_entity *const bk_entities[] = {
    &bk_resources, &bk_series, &bk_bookings, &bk_settings,
    &bk_voucher_batches, &bk_vouchers, &bk_voucher_keys,
    &bk_feeds, NULL,
};

static const struct route bk_routes[] = {
    {.method = HTTP_POST, .pattern = "/api/v1/bookings/series", .fn = bk_series_create},
    {.method = HTTP_GET, .pattern = "/api/v1/resources/{id}/availability", .fn = bk_availability},
    {.method = HTTP_POST, .pattern = "/api/v1/vouchers/redeem", .fn = bk_voucher_redeem},
    {.method = HTTP_GET, .pattern = "/api/v1/vouchers/mine", .fn = bk_voucher_mine},
    {.method = HTTP_GET, .pattern = "/api/v1/vouchers/stats", .fn = bk_voucher_stats},
    {.method = HTTP_GET, .pattern = "/api/v1/vouchers/stats.xlsx", .fn = bk_voucher_stats},
    {.method = HTTP_GET, .pattern = "/api/v1/vouchers/{id}/qr.svg", .fn = bk_voucher_qr},
    {.method = HTTP_GET, .pattern = "/api/v1/bookings/{id}/qr.svg", .fn = bk_booking_qr},
    {.method = HTTP_POST, .pattern = "/api/v1/calendar_feeds", .fn = bk_feed_create},
    /* calendar clients send no cookies: the secret in the path is the key */
    {.method = HTTP_GET, .pattern = "/ical/{token}", .fn = bk_feed_serve, .is_public = 1,
     .anonymous = 1},
    {0},
};

static const struct job_def bk_jobs[] = {
    {.name = "booking.no_shows", .interval_s = 300, .run = bk_job_no_shows},
    {.name = "booking.voucher_expiry", .interval_s = 3600, .run = bk_job_voucher_expiry},
    {0},
};

/* The module arrived with schema 5: existing tenants get its settings. */
static int bk_upgrade_tenant(struct db_conn *c, int64_t tenant_id, int version, struct err *e)
{
    return version == 5 ? bk_seed_tenant(c, tenant_id, e) : 0;
}

const struct module booking_module = {
    .name = "booking",
    .zh = "服务中心预约",
    .en = "Service centre bookings",
    .entities = bk_entities,
    .routes = bk_routes,
    .jobs = bk_jobs,
    .seed_tenant = bk_seed_tenant,
    .upgrade_tenant = bk_upgrade_tenant,
    .demo = bk_demo,
    .summary = bk_summary,
};
