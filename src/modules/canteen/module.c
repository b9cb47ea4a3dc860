/* SPDX-License-Identifier: MIT
 * canteen/module.c - the canteens module's declaration: its collections,
 * the routes beyond the generic ones, its jobs, the tenant's defaults and
 * the demo canteens.
 */
#include "canteen.h"
#include "../../core/http.h"
#include "../../core/jobs.h"
#include "../../core/router.h"

#include <stddef.h>

static const struct res_entity *const ct_entities[] = {
    &ct_canteens, &ct_meal_periods, &ct_settings, &ct_accounts, &ct_readers, &ct_transactions,
    &ct_menus, &ct_bookings, &ct_ratings, &ct_deliveries, &ct_samples, &ct_certificates,
    &ct_inspections, &ct_subsidy_rules, &ct_subsidy_runs, NULL,
};

static const struct route ct_routes[] = {
    {.method = HTTP_GET, .pattern = "/api/v1/canteen/forecast", .fn = ct_forecast},
    {.method = HTTP_GET, .pattern = "/api/v1/canteen/alerts", .fn = ct_alerts},
    {.method = HTTP_POST, .pattern = "/api/v1/meal_transactions", .fn = ct_route_post},
    {.method = HTTP_POST, .pattern = "/api/v1/meal_transactions/batch", .fn = ct_route_batch},
    {.method = HTTP_GET, .pattern = "/api/v1/meal_accounts/lookup", .fn = ct_route_lookup},
    {.method = HTTP_GET, .pattern = "/api/v1/canteen/me", .fn = ct_route_me},
    {.method = HTTP_GET, .pattern = "/api/v1/canteen/me/qr.svg", .fn = ct_route_me_qr},
    {.method = HTTP_GET, .pattern = "/api/v1/meal_subsidy_runs/preview", .fn = ct_subsidy_preview},
    {.method = HTTP_GET, .pattern = "/api/v1/canteen/reconciliation", .fn = ct_reconciliation},
    {.method = HTTP_GET, .pattern = "/api/v1/canteen/reconciliation.xlsx", .fn = ct_reconciliation},
    {.method = HTTP_GET, .pattern = "/api/v1/canteen/day", .fn = ct_day_view},
    {.method = HTTP_GET, .pattern = "/api/v1/meal_accounts/{id}/statement", .fn = ct_statement},
    {.method = HTTP_GET, .pattern = "/api/v1/meal_accounts/{id}/statement.xlsx", .fn = ct_statement},
    {0},
};

static const struct job_def ct_jobs[] = {
    {.name = "canteen.certificates", .interval_s = 3600, .run = ct_job_certificates},
    {.name = "canteen.ledger_check", .interval_s = 86400, .run = ct_job_ledger_check},
    {0},
};

/* The module arrived with schema 7: existing tenants get its defaults. */
static int ct_upgrade_tenant(struct db_conn *c, int64_t tenant_id, int version, struct err *e)
{
    return version == CT_SINCE ? ct_seed_tenant(c, tenant_id, e) : 0;
}

const struct module canteen_module = {
    .name = "canteen",
    .zh = "机关食堂",
    .en = "Canteens",
    .entities = ct_entities,
    .routes = ct_routes,
    .jobs = ct_jobs,
    .seed_tenant = ct_seed_tenant,
    .upgrade_tenant = ct_upgrade_tenant,
    .demo = ct_demo,
    .summary = ct_summary,
    .init = ct_init,
};
