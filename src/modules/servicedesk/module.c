/* SPDX-License-Identifier: MIT
 * servicedesk/module.c - the service desk module's declaration: its
 * collections, routes beyond the generic ones (timeline, statistics,
 * report), the SLA and auto-close jobs, the per-tenant catalogue and the
 * demo year.
 */
#include "servicedesk.h"
#include "../../core/http.h"
#include "../../core/jobs.h"
#include "../../core/router.h"

#include <stddef.h>

static const struct res_entity *const sd_entities[] = {
    &sd_types,    &sd_sla_targets, &sd_teams,  &sd_team_members, &sd_routing_rules,
    &sd_requests, &sd_work_orders, &sd_events, NULL,
};

static const struct route sd_routes[] = {
    {.method = HTTP_GET, .pattern = "/api/v1/service_requests/{id}/timeline", .fn = sd_timeline},
    {.method = HTTP_GET, .pattern = "/api/v1/service_teams/{id}/members",
     .fn = sd_team_members_named},
    {.method = HTTP_GET, .pattern = "/api/v1/servicedesk/stats", .fn = sd_stats},
    {.method = HTTP_GET, .pattern = "/api/v1/servicedesk/report", .fn = sd_report},
    {.method = HTTP_GET, .pattern = "/api/v1/servicedesk/report.xlsx", .fn = sd_report},
    {0},
};

static const struct job_def sd_jobs[] = {
    {.name = "servicedesk.sla", .interval_s = 60, .run = sd_job_sla},
    {.name = "servicedesk.autoclose", .interval_s = 600, .run = sd_job_autoclose},
    {0},
};

/* The module arrived with schema 2: existing tenants get its catalogue. */
static int sd_upgrade_tenant(struct db_conn *c, int64_t tenant_id, int version, struct err *e)
{
    return version == 2 ? sd_seed_tenant(c, tenant_id, e) : 0;
}

const struct module servicedesk_module = {
    .name = "servicedesk",
    .zh = "服务需求",
    .en = "Service desk",
    .entities = sd_entities,
    .routes = sd_routes,
    .jobs = sd_jobs,
    .seed_tenant = sd_seed_tenant,
    .upgrade_tenant = sd_upgrade_tenant,
    .demo = sd_demo,
    .summary = sd_summary,
    .init = sd_init,
};
