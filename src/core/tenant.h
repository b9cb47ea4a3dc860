/* SPDX-License-Identifier: MIT
 * tenant.h - per-tenant settings the request path needs on every call (the
 * UTC offset for datetimes, the order of names), cached in memory for a minute. Several
 * processes may share the database, so entries expire instead of relying
 * on invalidation alone. And what the platform asks of the tenants table
 * (a job's list of tenants, the tenant at sign-in, a tenant's level): the
 * modules never read that table themselves.
 */
#ifndef BUREAU_TENANT_H
#define BUREAU_TENANT_H

#include <stddef.h>
#include <stdint.h>

struct db_conn;

/* The tenant's UTC offset in minutes, or dflt when it cannot be read. */
int tenant_utc_offset(struct db_conn *c, int64_t tenant_id, int dflt);
/* The collation the tenant's lists sort names in (name_order): zh_pinyin,
 * or zh_stroke (collate.h); zh_pinyin when it cannot be read. */
const char *tenant_collation(struct db_conn *c, int64_t tenant_id);
/* Drops the cached settings of tenant_id (after a change in this process). */
void tenant_forget(int64_t tenant_id);

/* ---- the tenants themselves, for jobs and sign-in (uncached) ----
 * 0 or a negative ERR_*. */
struct err;
/* Up to max tenant ids above after, ascending, into ids; *n their number. */
int tenant_ids(struct db_conn *c, int64_t after, int64_t *ids, int max, int *n, struct err *e);
/* The tenant whose code is code (n bytes), or the first tenant when code is
 * NULL; *id = 0 when there is none. */
int tenant_by_code(struct db_conn *c, const char *code, size_t n, int64_t *id, struct err *e);
/* The tenant's administrative level ("county", …) into out (size bytes);
 * out is left as it is when the tenant is not found. */
int tenant_admin_level(struct db_conn *c, int64_t tenant_id, char *out, size_t size, struct err *e);

#endif
