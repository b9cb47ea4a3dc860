/* SPDX-License-Identifier: MIT
 * assets/module.c - the fixed assets module's declaration: its collections,
 * the routes beyond the generic ones, its jobs, the tenant's defaults and
 * the demo register.
 */
#include "assets.h"
#include "../../core/http.h"
#include "../../core/jobs.h"
#include "../../core/router.h"

#include <stddef.h>

static const struct res_entity *const as_entities[] = {
    &as_categories, &as_classes,         &as_assets,        &as_settings,
    &as_stocktakes, &as_stocktake_lines, &as_disposals,     &as_disposal_items,
    &as_transfers,  &as_pool_items,      &as_pool_requests, NULL,
};

static const struct route as_routes[] = {
    {.method = HTTP_GET, .pattern = "/api/v1/assets/report", .fn = as_report},
    {.method = HTTP_GET, .pattern = "/api/v1/assets/report.xlsx", .fn = as_report},
    {.method = HTTP_GET, .pattern = "/api/v1/assets/values", .fn = as_values},
    {.method = HTTP_GET, .pattern = "/api/v1/assets/mine", .fn = as_mine},
    {.method = HTTP_GET, .pattern = "/api/v1/assets/labels", .fn = as_labels},
    {.method = HTTP_POST, .pattern = "/api/v1/assets/bulk", .fn = as_bulk},
    {.method = HTTP_GET, .pattern = "/api/v1/assets/{id}/depreciation", .fn = as_depreciation},
    {.method = HTTP_GET, .pattern = "/api/v1/assets/{id}/qr.svg", .fn = as_qr},
    {.method = HTTP_GET, .pattern = "/api/v1/stocktakes/{id}/result", .fn = as_stocktake_result},
    {.method = HTTP_GET,
     .pattern = "/api/v1/stocktakes/{id}/result.xlsx",
     .fn = as_stocktake_result},
    {.method = HTTP_GET,
     .pattern = "/api/v1/stocktake_lines/{id}/label.svg",
     .fn = as_stocktake_label},
    {.method = HTTP_GET, .pattern = "/api/v1/pool", .fn = as_pool_list},
    {.method = HTTP_GET, .pattern = "/api/v1/pool/check", .fn = as_pool_check},
    {.method = HTTP_GET, .pattern = "/api/v1/pool/summary", .fn = as_pool_summary_route},
    {0},
};

static const struct job_def as_jobs[] = {
    {.name = "assets.loan_reminders", .interval_s = 86400, .run = as_job_loan_reminders},
    {0},
};

/* The module arrived with schema 6: existing tenants get its defaults. */
static int as_upgrade_tenant(struct db_conn *c, int64_t tenant_id, int version, struct err *e)
{
    return version == 6 ? as_seed_tenant(c, tenant_id, e) : 0;
}

const struct module assets_module = {
    .name = "assets",
    .zh = "固定资产",
    .en = "Fixed assets",
    .entities = as_entities,
    .routes = as_routes,
    .jobs = as_jobs,
    .seed_tenant = as_seed_tenant,
    .upgrade_tenant = as_upgrade_tenant,
    .demo = as_demo,
    .summary = as_summary,
};
