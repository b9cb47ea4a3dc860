/* SPDX-License-Identifier: MIT
 * procure/project_demo.c - placeholder, replaced below.
 */
#include "life.h"

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
