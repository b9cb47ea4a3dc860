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
#include "../../core/http.h"
#include "../../db/db.h"

/* The name of a level's table, for messages. */
static const char *tier_zh(const char *level)
{
    static const char *const k[][2] = {{"central", "中央机关"},
                                       {"provincial", "省级机关"},
                                       {"municipal", "市级机关"},
                                       {"county", "县级机关"}};
    for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++)
        if (!strcmp(k[i][0], level))
            return k[i][1];
    return level;
}

/* A person's rank is one of the tenant's level: the office-area standard
 * gives each level's limits by rank name (发改投资〔2014〕2674号), and no
 * source maps one level's ranks onto another's (docs/modules/space.md). A
 * level without ranks of its own takes any. */
int org_person_before_write(struct res_write *w)
{
    if (!w->rec)
        return 0;
    json_t *k = json_object_get(w->rec, "rank_id");
    if (!json_is_integer(k) || (w->old && json_equal(k, json_object_get(w->old, "rank_id"))))
        return 0;
    const char *rl = NULL, *name = NULL;
    char level[16] = "county";
    int64_t own = 0;
    int rc = db_one_text(w->c, w->r->a, "SELECT level FROM ranks WHERE tenant_id = ? AND id = ?",
                         DB_INTS(w->r->tenant_id, json_integer_value(k)), &rl, w->e);
    if (rc < 0 || !rl)
        return rc < 0 ? rc : 0; /* no such rank: the reference check names it */
    if ((rc = tenant_admin_level(w->c, w->r->tenant_id, level, sizeof(level), w->e)) ||
        !strcmp(rl, level))
        return rc;
    if ((rc = db_one_int(w->c, "SELECT COUNT(*) FROM ranks WHERE tenant_id = ? AND level = (SELECT "
                               "admin_level FROM tenants WHERE id = ?)",
                         DB_INTS(w->r->tenant_id, w->r->tenant_id), &own, w->e)) < 0)
        return rc;
    if (!own)
        return 0;
    if ((rc = db_one_text(w->c, w->r->a, "SELECT name FROM ranks WHERE tenant_id = ? AND id = ?",
                          DB_INTS(w->r->tenant_id, json_integer_value(k)), &name, w->e)) < 0)
        return rc;
    err_field(w->e, "rank_id", "org.person.rank_tier",
              "{rank}%s is a rank of the {rank_level}%s table ({rank_tier}%s); this organ takes "
              "the {level}%s table ({tier}%s): choose a rank of that table",
              name ? name : "", rl, tier_zh(rl), level, tier_zh(level));
    return err_invalid(w->e);
}

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
