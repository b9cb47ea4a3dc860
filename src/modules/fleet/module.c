/* SPDX-License-Identifier: MIT
 * fleet/module.c - the official vehicles module's declaration: its
 * collections, the routes beyond the generic ones (candidates, the dispatch
 * slip, the cost report, the renewal list), the daily expiry reminders, the
 * per-tenant rules and standards and the demo fleet.
 */
#include "fleet.h"
#include "../../core/http.h"
#include "../../core/jobs.h"
#include "../../core/router.h"

#include <stddef.h>

static const struct res_entity *const fl_entities[] = {
    &fl_vehicles,  &fl_drivers, &fl_requests,   &fl_trips,     &fl_costs,     &fl_rules,
    &fl_standards, &fl_plans,   &fl_plan_items, &fl_disposals, &fl_reminders, &fl_settings,
    NULL,
};

static const struct route fl_routes[] = {
    {.method = HTTP_GET, .pattern = "/api/v1/trip_requests/{id}/candidates", .fn = fl_candidates},
    {.method = HTTP_GET, .pattern = "/api/v1/trip_requests/{id}/slip", .fn = fl_slip},
    {.method = HTTP_GET, .pattern = "/api/v1/fleet/costs", .fn = fl_cost_report},
    {.method = HTTP_GET, .pattern = "/api/v1/fleet/costs.xlsx", .fn = fl_cost_report},
    {.method = HTTP_GET, .pattern = "/api/v1/vehicles/{id}/figures", .fn = fl_vehicle_figures},
    {.method = HTTP_GET, .pattern = "/api/v1/fleet/renewal", .fn = fl_renewal_report},
    {0},
};

static const struct job_def fl_jobs[] = {
    {.name = "fleet.reminders", .interval_s = 86400, .run = fl_job_reminders},
    {0},
};

/* Schema 4 keeps a vehicle's displacement in millilitres (it was tenths of a
 * litre), as the registration certificate states it. */
static const struct migration_step fl_migrations[] = {
    {4, "vehicle displacement in millilitres",
     "UPDATE vehicles SET displacement_l = displacement_l * 100 WHERE displacement_l IS NOT NULL",
     "UPDATE vehicles SET displacement_l = displacement_l * 100 WHERE displacement_l IS NOT NULL"},
    {0},
};

/* The module arrived with schema 2: existing tenants get its rules and
 * standards; schema 4 brought its settings. */
static int fl_upgrade_tenant(struct db_conn *c, int64_t tenant_id, int version, struct err *e)
{
    return version == 2   ? fl_seed_standards(c, tenant_id, e)
           : version == 4 ? fl_seed_settings(c, tenant_id, e)
                          : 0;
}

const struct module fleet_module = {
    .name = "fleet",
    .zh = "公务用车",
    .en = "Official vehicles",
    .entities = fl_entities,
    .routes = fl_routes,
    .jobs = fl_jobs,
    .migrations = fl_migrations,
    .seed_tenant = fl_seed_tenant,
    .upgrade_tenant = fl_upgrade_tenant,
    .demo = fl_demo,
    .summary = fl_summary,
};
