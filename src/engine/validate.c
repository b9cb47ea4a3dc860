/* SPDX-License-Identifier: MIT
 * validate.c - see validate.h.
 */
#include "validate.h"
#include "../base/arena.h"
#include "../base/err.h"

#include <string.h>

static int validate(struct arena *a, const struct res_entity *ent, json_t *obj, enum res_mode mode,
                    const json_t *stored, struct res_val *vals, struct err *e)
{
    int ncols;
    const struct res_field *const *cols = res_cols(ent, &ncols);
    const char *key;
    json_t *val;
    struct err_item why;

    memset(vals, 0, sizeof(*vals) * (size_t)ncols);
    if (!json_is_object(obj)) {
        err_field(e, "", "request.not_object", "the body must be a JSON object");
        return err_set(e, ERR_INVALID, NULL, "request.not_object",
                       "the body must be a JSON object");
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
            err_field(e, q, "field.unknown", "unknown field");
            continue;
        }
        const struct res_field *f = cols[idx];
        if (idx < RES_NSYS) {
            if (mode != RES_TRUSTED)
                err_field(e, f->name, "field.readonly", "is read-only");
            continue;
        }
        if ((f->readonly || f->hidden) && mode != RES_TRUSTED) {
            err_field(e, f->name, "field.readonly", "is read-only");
            continue;
        }
        /* a value kept as stored is not judged again by a format added since
         * (an old "000000" phone must not stop a step on its record) */
        if (stored && f->format && json_is_string(val) &&
            json_equal(val, json_object_get(stored, key))) {
            vals[idx].set = 1;
            vals[idx].n = json_string_length(val);
            vals[idx].s = arena_strndup(a, json_string_value(val), vals[idx].n);
            if (!vals[idx].s)
                err_field(e, f->name, "request.budget", "is too large for this request");
            continue;
        }
        if (res_val_from_json(a, f, val, &vals[idx], &why)) {
            err_add(e, f->name, &why);
            continue;
        }
        /* what the hooks and the record see is the normal form (粤B12345 -> 粤B·12345) */
        if (f->format && json_is_string(val) &&
            (vals[idx].null || vals[idx].n != json_string_length(val) ||
             memcmp(vals[idx].s, json_string_value(val), vals[idx].n)))
            json_object_set_new_nocheck(obj, key,
                                        vals[idx].null ? json_null()
                                                       : json_stringn(vals[idx].s, vals[idx].n));
        if (vals[idx].null && f->required)
            err_field(e, f->name, "field.required", "is required");
    }
    if (mode != RES_PATCH) {
        for (int i = RES_NSYS; i < ncols; i++) {
            const struct res_field *f = cols[i];
            if (vals[i].set)
                continue;
            if (f->required && !f->dflt && !(f->readonly && mode == RES_CREATE))
                err_field(e, f->name, "field.required", "is required");
        }
    }
    return e->nitems ? err_invalid(e) : 0;
}

int res_validate(struct arena *a, const struct res_entity *ent, json_t *obj, enum res_mode mode,
                 struct res_val *vals, struct err *e)
{
    return validate(a, ent, obj, mode, NULL, vals, e);
}

int res_validate_update(struct arena *a, const struct res_entity *ent, json_t *rec,
                        const json_t *old, struct res_val *vals, struct err *e)
{
    return validate(a, ent, rec, RES_TRUSTED, old, vals, e);
}
