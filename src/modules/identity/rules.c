/* SPDX-License-Identifier: MIT
 * identity/rules.c - hooks: a role's permission document must be well formed
 * and built-in roles are fixed (custom roles carry the changes); a changed
 * role is dropped from this process's cache at once.
 */
#include "identity.h"
#include "../../base/err.h"
#include "../../engine/perm.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

int identity_role_before_write(struct req *r, struct db_conn *c, const struct res_entity *ent,
                             int64_t id, json_t *old, json_t *rec, struct err *e)
{
    (void)r;
    (void)c;
    (void)ent;
    (void)id;
    if (old && json_is_true(json_object_get(old, "builtin")))
        return err_set(e, ERR_RULE, NULL, "identity.role_builtin",
                       "built-in roles cannot be changed or deleted; create a custom role");
    if (!rec)
        return 0;
    json_object_set_new(rec, "builtin", json_false());
    struct err_item why;
    json_t *perms = json_object_get(rec, "permissions");
    json_t *hidden = json_object_get(rec, "hidden_fields");
    json_t *empty = json_object();
    int ok = perm_valid_document(perms, hidden ? hidden : empty, &why);
    json_decref(empty);
    if (!ok)
        return err_set_item(
            e, ERR_INVALID,
            strncmp(why.key, "identity.hidden", 15) ? "permissions" : "hidden_fields", &why);
    return 0;
}

int identity_role_after_write(struct req *r, struct db_conn *c, const struct res_entity *ent,
                            int64_t id, json_t *old, json_t *rec, struct err *e)
{
    (void)r;
    (void)c;
    (void)ent;
    (void)old;
    (void)rec;
    (void)e;
    perm_forget_role(id);
    return 0;
}
