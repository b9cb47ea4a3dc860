/* SPDX-License-Identifier: MIT
 * space/module.c - the office space module's declaration: its collections,
 * the reports and the floor view, the request timeline, the per-tenant
 * settings and repair rules, the demo buildings, and the on_change hook
 * that watches people (recovery, rank changes) and work orders (repairs
 * that need a procurement project).
 */
#include "space.h"
#include "../../core/http.h"
#include "../../core/jobs.h"
#include "../../core/router.h"

#include <stddef.h>

static const struct res_entity *const sp_entities[] = {
    &sp_buildings, &sp_floors,   &sp_rooms,        &sp_requests, &sp_assignments,
    &sp_changes,   &sp_events,   &sp_settings,     &sp_repair_rules, &sp_repairs,
    NULL,
};

static const struct route sp_routes[] = {
    {.method = HTTP_GET, .pattern = "/api/v1/space_requests/{id}/timeline", .fn = sp_timeline},
    {.method = HTTP_GET, .pattern = "/api/v1/space_requests/{id}/changes", .fn = sp_changes_view},
    {.method = HTTP_GET, .pattern = "/api/v1/space/over_standard", .fn = sp_over_standard},
    {.method = HTTP_GET, .pattern = "/api/v1/space/floors/{id}/view", .fn = sp_floor_view},
    {.method = HTTP_GET, .pattern = "/api/v1/space/rooms/{id}/maintenance",
     .fn = sp_room_maintenance},
    {.method = HTTP_GET, .pattern = "/api/v1/space/recovery", .fn = sp_recovery},
    {.method = HTTP_GET, .pattern = "/api/v1/space/vacancies", .fn = sp_vacancies},
    {.method = HTTP_GET, .pattern = "/api/v1/space/departments", .fn = sp_departments},
    {.method = HTTP_GET, .pattern = "/api/v1/space/ledger", .fn = sp_ledger},
    {.method = HTTP_GET, .pattern = "/api/v1/space/ledger.xlsx", .fn = sp_ledger},
    {.method = HTTP_GET, .pattern = "/api/v1/space/publicity", .fn = sp_publicity},
    {.method = HTTP_GET, .pattern = "/api/v1/space/publicity.csv", .fn = sp_publicity},
    {.method = HTTP_GET, .pattern = "/api/v1/space/publicity.xlsx", .fn = sp_publicity},
    {.method = HTTP_POST, .pattern = "/api/v1/space/level_change", .fn = sp_level_change},
    {0},
};

static const struct job_def sp_jobs[] = {
    {.name = "space.reminders", .interval_s = 86400, .run = sp_job_reminders},
    {0},
};

/* The module arrived with schema 2: existing tenants get its settings. */
static int sp_upgrade_tenant(struct db_conn *c, int64_t tenant_id, int version, struct err *e)
{
    return version == 2 ? sp_seed_tenant(c, tenant_id, e) : 0;
}

const struct module space_module = {
    .name = "space",
    .zh = "办公用房",
    .en = "Office space",
    .entities = sp_entities,
    .routes = sp_routes,
    .jobs = sp_jobs,
    .seed_tenant = sp_seed_tenant,
    .upgrade_tenant = sp_upgrade_tenant,
    .demo = sp_demo,
    .summary = sp_summary,
    .on_change = sp_on_change,
};
