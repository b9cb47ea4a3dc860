/* SPDX-License-Identifier: MIT
 * procure/project_entities.c - the procurement projects (data, no logic).
 */
#include "procure.h"

#include <stddef.h>

static const struct res_field project_fields[] = {
    {.name = "name",
     .type = RES_TEXT,
     .zh = "项目名称",
     .en = "Project",
     .required = 1,
     .max_len = 120,
     .list = 1,
     .search = 1},
    /* stand-ins for the lifecycle's fields the sealed bids read (status,
     * bid_deadline): its own declaration replaces them */
    {.name = "status", .type = RES_TEXT, .zh = "状态", .en = "Status", .dflt = "draft",
     .max_len = 30, .list = 1, .filter = 1},
    {.name = "bid_deadline", .type = RES_DATETIME, .zh = "投标截止", .en = "Bid deadline"},
    {0},
};

const struct res_entity pc_projects = {
    .since = PC_SINCE,
    .name = "procurement_projects",
    .zh = "采购项目",
    .en = "Procurement projects",
    .module = "procure",
    .fields = project_fields,
    .title = "name",
    .default_sort = "-id",
    .no_delete = 1,
};

int pc_summary(struct req *r, struct db_conn *c, json_t *cards, struct err *e)
{
    (void)r, (void)c, (void)cards, (void)e;
    return 0;
}

int pc_demo_projects(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e)
{
    (void)c, (void)tenant_id, (void)seed, (void)e;
    return 0;
}

int pc_demo_contracts(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e)
{
    (void)c, (void)tenant_id, (void)seed, (void)e;
    return 0;
}
