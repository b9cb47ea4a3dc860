/* SPDX-License-Identifier: MIT
 * procure/module.c - the procurement module's declaration: its collections,
 * the routes beyond the generic ones, its jobs, the tenant's defaults, the
 * demo year and the `bureau procure` command. Each part keeps its lines in
 * its own section below.
 */
#include "procure.h"
#include "bids.h"
#include "committee_int.h"
#include "life.h"
#include "../../core/http.h"
#include "../../core/jobs.h"
#include "../../core/router.h"

#include <stddef.h>

static const struct res_entity *const pc_entities[] = {
    &pc_settings,
    /* the project's life */
    &pc_projects,
    &pc_complaints,
    &pc_contracts,
    &pc_payments,
    /* the sealed bids */
    &pc_suppliers,
    &pc_seals,
    &pc_officials,
    &pc_bids,
    &pc_receipt_keys,
    /* the committee */
    &pc_experts,
    &pc_relations,
    &pc_draws,
    &pc_members,
    &pc_items,
    &pc_scores,
    &pc_reports,
    /* end */
    NULL,
};

static const struct route pc_routes[] = {
    /* the project's life */
    {.method = HTTP_GET, .pattern = "/api/v1/procure/savings", .fn = pc_savings},
    {.method = HTTP_GET, .pattern = "/api/v1/procure/savings.xlsx", .fn = pc_savings},
    {.method = HTTP_GET, .pattern = "/api/v1/procurement_projects/{id}/ocds", .fn = pc_ocds},
    {.method = HTTP_GET, .pattern = "/open/procure/{tenant}/ocds", .fn = pc_ocds_public_list, .is_public = 1, .anonymous = 1},
    {.method = HTTP_GET, .pattern = "/open/procure/{tenant}/ocds/{id}", .fn = pc_ocds_public, .is_public = 1, .anonymous = 1},
    /* the sealed bids */
    {.method = HTTP_POST, .pattern = "/api/v1/procurement_projects/{id}/seal", .fn = pc_route_seal},
    {.method = HTTP_POST, .pattern = "/api/v1/procurement_projects/{id}/bids", .fn = pc_route_submit},
    {.method = HTTP_POST, .pattern = "/api/v1/procurement_projects/{id}/open", .fn = pc_route_open},
    {.method = HTTP_POST, .pattern = "/api/v1/bid_seals/{id}/take", .fn = pc_route_take_share},
    {.method = HTTP_POST, .pattern = "/api/v1/bids/{id}/withdraw", .fn = pc_route_withdraw},
    {.method = HTTP_POST, .pattern = "/api/v1/bids/{id}/replace", .fn = pc_route_replace},
    {.method = HTTP_GET, .pattern = "/api/v1/procure/open_projects", .fn = pc_route_open_projects},
    {.method = HTTP_GET, .pattern = "/api/v1/procure/my_shares", .fn = pc_route_my_shares},
    {.method = HTTP_GET, .pattern = "/api/v1/bid_seals/{id}/demo_shares", .fn = pc_route_demo_shares},
    {.method = HTTP_POST, .pattern = "/api/v1/procure/register", .fn = pc_route_register, .is_public = 1, .hashes = 1},
    {.method = HTTP_GET, .pattern = "/api/v1/procure/receipt_keys", .fn = pc_route_receipt_keys, .is_public = 1},
    /* the committee */
    {.method = HTTP_GET, .pattern = "/api/v1/expert_draws/{id}/public", .fn = pc_draw_public},
    {.method = HTTP_GET, .pattern = "/api/v1/expert_draw_members/{id}/sheet", .fn = pc_member_sheet},
    {.method = HTTP_POST, .pattern = "/api/v1/procure/scores", .fn = pc_scores_post},
    {.method = HTTP_POST, .pattern = "/api/v1/procure/reports", .fn = pc_reports_post},
    /* end */
    {0},
};

static const struct job_def pc_jobs[] = {
    /* the project's life */
    {.name = "procure.periods", .interval_s = 3600, .run = pc_job_periods},
    /* the sealed bids */
    /* the committee */
    /* end */
    {0},
};

/* The module arrived with schema 8: existing tenants get its defaults. */
static int pc_upgrade_tenant(struct db_conn *c, int64_t tenant_id, int version, struct err *e)
{
    return version == PC_SINCE ? pc_seed_tenant(c, tenant_id, e) : 0;
}

static int pc_demo(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e)
{
    int rc = pc_demo_suppliers(c, tenant_id, seed, e);
    if (!rc)
        rc = pc_demo_experts(c, tenant_id, seed, e);
    if (!rc)
        rc = pc_demo_projects(c, tenant_id, seed, e);
    if (!rc)
        rc = pc_demo_bids(c, tenant_id, seed, e);
    if (!rc)
        rc = pc_demo_committee(c, tenant_id, seed, e);
    if (!rc)
        rc = pc_demo_contracts(c, tenant_id, seed, e);
    return rc;
}

const struct module procure_module = {
    .name = "procure",
    .zh = "阳光采购",
    .en = "Procurement",
    .entities = pc_entities,
    .routes = pc_routes,
    .jobs = pc_jobs,
    .seed_tenant = pc_seed_tenant,
    .upgrade_tenant = pc_upgrade_tenant,
    .demo = pc_demo,
    .summary = pc_summary,
    .command = pc_command,
};
