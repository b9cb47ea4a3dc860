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

int identity_role_before_write(struct res_write *w)
{
    if (w->old && json_is_true(json_object_get(w->old, "builtin")))
        return err_set(w->e, ERR_RULE, NULL, "identity.role_builtin",
                       "built-in roles cannot be changed or deleted; create a custom role");
    if (!w->rec)
        return 0;
    json_object_set_new(w->rec, "builtin", json_false());
    struct err_item why;
    json_t *perms = json_object_get(w->rec, "permissions");
    json_t *hidden = json_object_get(w->rec, "hidden_fields");
    json_t *empty = json_object();
    int ok = perm_valid_document(perms, hidden ? hidden : empty, &why);
    json_decref(empty);
    if (!ok)
        return err_set_item(
            w->e, ERR_INVALID,
            strncmp(why.key, "identity.hidden", 15) ? "permissions" : "hidden_fields", &why);
    return 0;
}

int identity_role_after_write(struct res_write *w)
{
    perm_forget_role(w->id);
    return 0;
}
