/* SPDX-License-Identifier: MIT
 * org/rules.c - hooks of the organisation module: a new tenant gets every
 * module's seeded defaults in the same transaction; a changed tenant drops
 * its cached settings.
 */
#include "org.h"
#include "../../core/tenant.h"

#include <jansson.h>

int org_tenant_after_write(struct req *r, struct db_conn *c, const struct res_entity *ent,
                           int64_t id, json_t *old, json_t *rec, struct err *e)
{
    (void)r;
    (void)ent;
    tenant_forget(id);
    if (old || !rec)
        return 0;
    for (const struct module *const *m = modules_all(); *m; m++) {
        if (!(*m)->seed_tenant)
            continue;
        int rc = (*m)->seed_tenant(c, id, e);
        if (rc)
            return rc;
    }
    return 0;
}
