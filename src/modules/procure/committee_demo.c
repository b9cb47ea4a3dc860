/* SPDX-License-Identifier: MIT
 * procure/committee_demo.c - the demo's expert pool and committees.
 */
#include "committee.h"
#include "committee_int.h"

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
