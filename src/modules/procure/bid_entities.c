/* SPDX-License-Identifier: MIT
 * procure/bid_entities.c - suppliers and their sealed bids (data, no logic).
 */
#include "procure.h"

#include <stddef.h>

static const struct res_field supplier_fields[] = {
    {.name = "name",
     .type = RES_TEXT,
     .zh = "供应商名称",
     .en = "Supplier",
     .required = 1,
     .max_len = 120,
     .list = 1,
     .search = 1},
    {0},
};

const struct res_entity pc_suppliers = {
    .since = PC_SINCE,
    .name = "suppliers",
    .zh = "供应商",
    .en = "Suppliers",
    .module = "procure",
    .fields = supplier_fields,
    .title = "name",
    .default_sort = "-id",
    .no_delete = 1,
};

static const struct res_field bid_fields[] = {
    {.name = "project_id",
     .type = RES_REF,
     .ref = "procurement_projects",
     .zh = "采购项目",
     .en = "Project",
     .required = 1,
     .list = 1,
     .filter = 1},
    {0},
};

const struct res_entity pc_bids = {
    .since = PC_SINCE,
    .name = "bids",
    .zh = "投标",
    .en = "Bids",
    .module = "procure",
    .fields = bid_fields,
    .title = "project_id",
    .default_sort = "-id",
    .no_delete = 1,
};

int pc_demo_suppliers(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e)
{
    (void)c, (void)tenant_id, (void)seed, (void)e;
    return 0;
}

int pc_demo_bids(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e)
{
    (void)c, (void)tenant_id, (void)seed, (void)e;
    return 0;
}
