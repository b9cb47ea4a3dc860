/* SPDX-License-Identifier: MIT
 * action.h - the kit of a module's named actions (POST …/{id}/{action}):
 * checking the body's members, the workflow's own writes that the caller's
 * scope does not limit, and the answer with the record the action was on.
 *
 *   static const char *const names[] = {"reason", NULL};
 *   if (act_only(r, body, names)) return -ERR_INVALID;
 *   act_text(r, body, "reason", 1, 500, &reason);
 *   …
 *   rc = act_update(r, c, &my_entity, id, json_pack(…), &my_server_write, &r->err);
 *   return act_finish(r, c, rc, &my_entity, id);
 *
 * A module's hooks tell its workflow's own writes from a caller's by the
 * thread-local flag it passes (set for the duration of the write).
 */
#ifndef BUREAU_ACTION_H
#define BUREAU_ACTION_H

#include "res.h"

#include <jansson.h>
#include <stdint.h>

struct req;
struct db_conn;
struct err;

/* Only these members (NULL-terminated) in body; the others are reported as
 * "unknown field" and the result is -ERR_INVALID. */
int act_only(struct req *r, json_t *body, const char *const *names);
/* A text member of at most max characters (not bytes): *out NULL when absent
 * (reported when required), empty (reported when required) or bad. */
void act_text(struct req *r, json_t *body, const char *k, int required, int max, const char **out);
/* A whole-number member in [lo, hi]: *set 0 when absent (reported when
 * required) or bad. */
void act_int(struct req *r, json_t *body, const char *k, int required, int64_t lo, int64_t hi,
             int64_t *out, int *set);

/* A body of at most the one text member name (none when name is NULL):
 * -ERR_INVALID naming it when it is missing (required), too long or another
 * member comes; *text NULL when absent. */
int act_one_text(struct req *r, json_t *body, const char *name, int required, int max,
                 const char **text);
/* Opens an action: the request's connection, a transaction and the record
 * (within the caller's scope: 404 outside it), rolled back on failure. */
int act_begin(struct req *r, const struct res_entity *ent, int64_t id, struct db_conn **c,
              json_t **rec);

/* The workflow's own writes and reads on ent, in the whole tenant whatever
 * the caller's scope; *flag (the module's thread-local) is 1 meanwhile.
 * rec and patch are consumed; NULL (a failed json_pack) is -ERR_INTERNAL. */
int act_update(struct req *r, struct db_conn *c, const struct res_entity *ent, int64_t id,
               json_t *patch, int *flag, struct err *e);
int act_create(struct req *r, struct db_conn *c, const struct res_entity *ent, json_t *rec,
               int64_t *id, int *flag, struct err *e);
int act_load(struct req *r, struct db_conn *c, const struct res_entity *ent, int64_t id,
             json_t **out, struct err *e);

/* Commits (or rolls back when rc is not 0) and answers 200 with the record
 * as it is now, even if it left the caller's scope. */
int act_finish(struct req *r, struct db_conn *c, int rc, const struct res_entity *ent, int64_t id);

/* Small readers of a loaded record. */
static inline const char *act_str(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}
static inline int64_t act_int_of(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}
/* An RFC 3339 member as Unix seconds (0 when absent or bad), and back in the
 * tenant's offset (null for 0). */
int64_t act_time_of(json_t *o, const char *k);
json_t *act_time_json(struct req *r, int64_t t);

#endif
