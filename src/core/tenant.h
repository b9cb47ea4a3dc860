/* SPDX-License-Identifier: MIT
 * tenant.h - per-tenant settings the request path needs on every call (the
 * UTC offset for datetimes), cached in memory for a minute. Several
 * processes may share the database, so entries expire instead of relying
 * on invalidation alone.
 */
#ifndef BUREAU_TENANT_H
#define BUREAU_TENANT_H

#include <stdint.h>

struct db_conn;

/* The tenant's UTC offset in minutes, or dflt when it cannot be read. */
int tenant_utc_offset(struct db_conn *c, int64_t tenant_id, int dflt);
/* Drops the cached settings of tenant_id (after a change in this process). */
void tenant_forget(int64_t tenant_id);

#endif
