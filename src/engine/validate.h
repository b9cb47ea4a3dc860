/* SPDX-License-Identifier: MIT
 * validate.h - checks a JSON object against an entity and converts it to
 * bindable values, collecting every field error at once.
 */
#ifndef BUREAU_VALIDATE_H
#define BUREAU_VALIDATE_H

#include "value.h"

enum res_mode {
    RES_CREATE,  /* client input for a new record: required fields, no read-only */
    RES_PATCH,   /* client input changing some fields: no read-only */
    RES_TRUSTED, /* a full record from the server (hooks): read-only fields allowed */
};

/* Fills vals (res_cols order, n = column count) from obj. Returns 0, or
 * ERR_INVALID with every problem in e. In RES_TRUSTED mode the system
 * columns (id, version, created_at, updated_at) in obj are ignored. */
int res_validate(struct arena *a, const struct res_entity *ent, json_t *obj, enum res_mode mode,
                 struct res_val *vals, struct err *e);
/* res_validate of an updated record rec (RES_TRUSTED) whose text values with
 * a format that are as in old, the record before, are kept as stored
 * without judging them again: a record written before its field had a
 * format can still be changed in its other fields. */
int res_validate_update(struct arena *a, const struct res_entity *ent, json_t *rec,
                        const json_t *old, struct res_val *vals, struct err *e);

#endif
