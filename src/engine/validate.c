/* SPDX-License-Identifier: MIT
 * validate.c - see validate.h.
 */
#include "validate.h"
#include "../base/err.h"

#include <string.h>

int res_validate(struct arena *a, const struct res_entity *ent, json_t *obj, enum res_mode mode,
                 struct res_val *vals, struct err *e)
{
    int ncols;
    const struct res_field *const *cols = res_cols(ent, &ncols);
    const char *key;
    json_t *val;
    char msg[160];

    memset(vals, 0, sizeof(*vals) * (size_t)ncols);
    if (!json_is_object(obj)) {
        err_field(e, "", "the body must be a JSON object");
        return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
    }
    json_object_foreach(obj, key, val) {
        int idx = -1;
        for (int i = 0; i < ncols; i++)
            if (!strcmp(cols[i]->name, key)) {
                idx = i;
                break;
            }
        if (idx < 0) {
            char q[140];
            err_quote(q, sizeof(q), key, strlen(key));
            err_field(e, q, "unknown field");
            continue;
        }
        const struct res_field *f = cols[idx];
        if (idx < RES_NSYS) {
            if (mode != RES_TRUSTED)
                err_field(e, f->name, "is read-only");
            continue;
        }
        if ((f->readonly || f->hidden) && mode != RES_TRUSTED) {
            err_field(e, f->name, "is read-only");
            continue;
        }
        if (res_val_from_json(a, f, val, &vals[idx], msg, sizeof(msg))) {
            err_field(e, f->name, "%s", msg);
            continue;
        }
        if (vals[idx].null && f->required)
            err_field(e, f->name, "is required");
    }
    if (mode != RES_PATCH) {
        for (int i = RES_NSYS; i < ncols; i++) {
            const struct res_field *f = cols[i];
            if (vals[i].set)
                continue;
            if (f->required && !f->dflt && !(f->readonly && mode == RES_CREATE))
                err_field(e, f->name, "is required");
        }
    }
    if (e->nitems)
        return err_set(e, ERR_INVALID, NULL, "%d field%s invalid", e->nitems,
                       e->nitems == 1 ? " is" : "s are");
    return 0;
}
