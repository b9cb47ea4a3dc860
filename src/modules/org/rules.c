/* SPDX-License-Identifier: MIT
 * org/rules.c - hooks of the organisation module: a new tenant gets every
 * module's seeded defaults and its first administrator in the same
 * transaction; a changed tenant drops its cached settings.
 */
#include "org.h"
#include "../../core/auth.h"
#include "../../core/tenant.h"
#include "calendar.h"

#include <string.h>

#include <jansson.h>

#include "../../base/err.h"

int org_tenant_before_write(struct res_write *w)
{
    /* tenants are the platform's business: only the first tenant (the one
     * that runs the deployment) creates them; others may edit their own */
    if (!w->old && w->r->who && w->r->who->tenant_id != 1)
        return err_set(w->e, ERR_FORBIDDEN, NULL, "org.tenant_create",
                       "only the platform's own tenant creates tenants");
    json_t *h = w->rec ? json_object_get(w->rec, "work_hours") : NULL;
    if (json_is_string(h)) {
        struct cal_period p[CAL_MAX_PERIODS];
        int np;
        struct err_item why;
        if (cal_parse_hours(json_string_value(h), json_string_length(h), p, &np, &why)) {
            err_add(w->e, "work_hours", &why);
            return err_invalid(w->e);
        }
    }
    return 0;
}

int org_tenant_after_write(struct res_write *w)
{
    tenant_forget(w->id);
    cal_forget(w->id);
    if (w->old || !w->rec)
        return 0;
    for (const struct module *const *m = engine_modules(); *m; m++) {
        if (!(*m)->seed_tenant)
            continue;
        int rc = (*m)->seed_tenant(w->c, w->id, w->e);
        if (rc)
            return rc;
    }
    /* its first administrator: a random password, printed once in the server log */
    return auth_bootstrap_admin(w->c, w->id, 0, w->e);
}
