/* SPDX-License-Identifier: MIT
 * procure/bid_demo.c - the demo's suppliers and bids.
 */
#include "bids.h"

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
