/* SPDX-License-Identifier: MIT
 * identity/module.c - the identity module: its collections, the sign-in
 * routes of the core, the built-in roles seeded for every tenant and brought
 * up to date by upgrades. (Its demo users: demo.c.)
 */
#include "identity.h"
#include "../../core/audit.h"
#include "../../core/auth.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../db/db.h"

#include <jansson.h>
#include <string.h>

static const struct res_entity *const identity_entities[] = {
    &id_roles, &id_users, &id_api_tokens, &id_audit_entries, NULL,
};

int identity_seed_tenant(struct db_conn *c, int64_t tenant_id, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(c,
                        "INSERT INTO roles (tenant_id, version, created_at, updated_at, code, name, "
                        "builtin, permissions, hidden_fields, description) "
                        "VALUES (?, 1, ?, ?, ?, ?, 1, ?, ?, ?)",
                        &st, e);
    if (rc)
        return rc;
    int64_t now = clock_now();
    for (const struct builtin_role *b = identity_builtin_roles; b->code; b++) {
        db_bind_int(st, 1, tenant_id);
        db_bind_int(st, 2, now);
        db_bind_int(st, 3, now);
        db_bind_text(st, 4, b->code, strlen(b->code));
        db_bind_text(st, 5, b->zh, strlen(b->zh));
        db_bind_text(st, 6, b->permissions, strlen(b->permissions));
        db_bind_text(st, 7, b->hidden, strlen(b->hidden));
        db_bind_text(st, 8, b->en, strlen(b->en));
        rc = db_step(st, e);
        db_reset(st);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Adds to doc every top-level key of want it lacks; 1 when it added one. */
static int add_missing(json_t *doc, json_t *want)
{
    const char *k;
    json_t *v;
    int added = 0;
    json_object_foreach(want, k, v) {
        if (!json_object_get(doc, k)) {
            json_object_set(doc, k, v);
            added = 1;
        }
    }
    return added;
}

/* An upgrade brings grants for new collections: each built-in role of the
 * tenant gets the keys of roles.c it does not have yet. What a tenant changed
 * in a built-in role stays; the change is in the audit chain. */
static int identity_upgrade_tenant(struct db_conn *c, int64_t tenant_id, int version,
                                   struct err *e)
{
    (void)version;
    for (const struct builtin_role *b = identity_builtin_roles; b->code; b++) {
        struct db_stmt *st;
        json_error_t je;
        json_t *perms = NULL, *hidden = NULL;
        int64_t id = 0;
        int rc =
            db_prepare_ints(c,
                            "SELECT id, permissions, hidden_fields FROM roles WHERE tenant_id = ? "
                            "AND code = ? AND builtin = 1",
                            DB_INTS(tenant_id), &st, e);
        if (rc)
            return rc;
        db_bind_text(st, 2, b->code, strlen(b->code));
        if ((rc = db_step(st, e)) == DB_ROW) {
            size_t n;
            const char *t;
            id = db_col_int(st, 0);
            t = db_col_text(st, 1, &n);
            perms = json_loadb(t, n, 0, &je);
            t = db_col_text(st, 2, &n);
            hidden = json_loadb(t, n, 0, &je);
        }
        db_reset(st);
        json_t *wp = json_loads(b->permissions, 0, &je), *wh = json_loads(b->hidden, 0, &je);
        json_t *before = perms ? json_pack("{s:O,s:O*}", "permissions", perms, "hidden_fields",
                                           hidden)
                               : NULL;
        int changed = perms && json_is_object(perms) && wp &&
                      (add_missing(perms, wp) | (json_is_object(hidden) && wh &&
                                                 add_missing(hidden, wh)));
        if (rc >= 0 && changed) {
            char *pt = json_dumps(perms, JSON_COMPACT | JSON_SORT_KEYS);
            char *ht = json_dumps(hidden, JSON_COMPACT | JSON_SORT_KEYS);
            rc = pt && ht ? db_prepare(c,
                                       "UPDATE roles SET permissions = ?, hidden_fields = ?, "
                                       "version = version + 1 WHERE tenant_id = ? AND id = ?",
                                       &st, e)
                          : -ERR_INTERNAL;
            if (!rc) {
                db_bind_text(st, 1, pt, strlen(pt));
                db_bind_text(st, 2, ht, strlen(ht));
                db_bind_int(st, 3, tenant_id);
                db_bind_int(st, 4, id);
                rc = db_step(st, e);
                db_reset(st);
            }
            core_free(pt); /* json_dumps allocates with the default malloc */
            core_free(ht);
            if (rc >= 0) {
                json_t *after = json_pack("{s:O,s:O}", "permissions", perms, "hidden_fields",
                                          hidden);
                struct audit_event ev = {.tenant_id = tenant_id, .action = "upgrade",
                                         .collection = "roles", .record_id = id,
                                         .before = before, .after = after};
                rc = audit_append(c, &ev, e);
                json_decref(after);
            }
        }
        json_decref(before);
        json_decref(perms);
        json_decref(hidden);
        json_decref(wp);
        json_decref(wh);
        if (rc < 0)
            return rc;
    }
    return 0;
}

const struct module identity_module = {
    .name = "identity",
    .zh = "用户权限",
    .en = "Identity",
    .entities = identity_entities,
    .routes = auth_routes,
    .jobs = auth_jobs,
    .seed_tenant = identity_seed_tenant,
    .upgrade_tenant = identity_upgrade_tenant,
    .demo = identity_demo,
};
