/* SPDX-License-Identifier: MIT
 * procure/expert_entities.c - the expert pool and the committee draws
 * (data, no logic).
 */
#include "procure.h"

#include <stddef.h>
#include <stdio.h>

static const struct res_field expert_fields[] = {
    {.name = "name",
     .type = RES_TEXT,
     .zh = "姓名",
     .en = "Name",
     .required = 1,
     .max_len = 40,
     .list = 1,
     .search = 1},
    {0},
};

const struct res_entity pc_experts = {
    .since = PC_SINCE,
    .name = "experts",
    .zh = "评审专家",
    .en = "Experts",
    .module = "procure",
    .fields = expert_fields,
    .title = "name",
    .default_sort = "-id",
    .no_delete = 1,
};

static const struct res_field draw_fields[] = {
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

const struct res_entity pc_draws = {
    .since = PC_SINCE,
    .name = "expert_draws",
    .zh = "专家抽取",
    .en = "Expert draws",
    .module = "procure",
    .fields = draw_fields,
    .title = "project_id",
    .default_sort = "-id",
    .no_delete = 1,
};

int pc_command(int argc, char **argv)
{
    (void)argc, (void)argv;
    fputs("usage: bureau procure verify-draw --db … DRAW\n", stderr);
    return 2;
}

int pc_demo_experts(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e)
{
    (void)c, (void)tenant_id, (void)seed, (void)e;
    return 0;
}

int pc_demo_committee(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e)
{
    (void)c, (void)tenant_id, (void)seed, (void)e;
    return 0;
}
