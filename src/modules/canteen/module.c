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
    &ct_subsidy_rules, &ct_subsidy_runs, NULL,
};

static const struct route ct_routes[] = {
    {.method = HTTP_GET, .pattern = "/api/v1/meal_subsidy_runs/preview", .fn = ct_subsidy_preview},
    {.method = HTTP_GET, .pattern = "/api/v1/canteen/reconciliation", .fn = ct_reconciliation},
    {.method = HTTP_GET, .pattern = "/api/v1/canteen/reconciliation.xlsx", .fn = ct_reconciliation},
    {.method = HTTP_GET, .pattern = "/api/v1/canteen/day", .fn = ct_day_view},
    {.method = HTTP_GET, .pattern = "/api/v1/meal_accounts/{id}/statement", .fn = ct_statement},
    {.method = HTTP_GET, .pattern = "/api/v1/meal_accounts/{id}/statement.xlsx", .fn = ct_statement},
    {0},
};

static const struct job_def ct_jobs[] = {
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
};
