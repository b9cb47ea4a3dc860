/* SPDX-License-Identifier: MIT
 * action.c - the kit of a module's named actions (action.h).
 */
#include "action.h"
#include "perm.h"
#include "record.h"
#include "rest.h"
#include "../base/base.h"
#include "../base/err.h"
#include "../core/http.h"
#include "../db/db.h"

#include <string.h>

int act_only(struct req *r, json_t *body, const char *const *names)
{
    const char *k;
    json_t *v;
    json_object_foreach(body, k, v)
    {
        const char *const *n = names;
        while (*n && strcmp(*n, k))
            n++;
        if (!*n) {
            char q[140];
            err_quote(q, sizeof(q), k, strlen(k));
            err_field(&r->err, q, "unknown field");
        }
    }
    return r->err.nitems ? err_set(&r->err, ERR_INVALID, NULL, "unknown fields") : 0;
}

void act_text(struct req *r, json_t *body, const char *k, int required, int max, const char **out)
{
    json_t *v = json_object_get(body, k);
    *out = NULL;
    if (!v || json_is_null(v)) {
        if (required)
            err_field(&r->err, k, "is required");
        return;
    }
    if (!json_is_string(v)) {
        err_field(&r->err, k, "must be a string");
        return;
    }
    const char *s = json_string_value(v);
    size_t n = 0;
    for (const char *p = s; *p; p++)
        n += ((unsigned char)*p & 0xc0) != 0x80;
    if (required && !n)
        err_field(&r->err, k, "must not be empty");
    else if ((int64_t)n > max)
        err_field(&r->err, k, "must be at most %d characters", max);
    else
        *out = s;
}

void act_int(struct req *r, json_t *body, const char *k, int required, int64_t lo, int64_t hi,
             int64_t *out, int *set)
{
    json_t *v = json_object_get(body, k);
    *set = 0;
    *out = 0;
    if (!v || json_is_null(v)) {
        if (required)
            err_field(&r->err, k, "is required");
        return;
    }
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
        err_field(&r->err, k, "must be a whole number from %lld to %lld", (long long)lo,
                  (long long)hi);
        return;
    }
    *out = json_integer_value(v);
    *set = 1;
}

int act_one_text(struct req *r, json_t *body, const char *name, int required, int max,
                 const char **text)
{
    const char *const names[] = {name, NULL};
    *text = NULL;
    if (act_only(r, body, names))
        return -ERR_INVALID;
    if (name)
        act_text(r, body, name, required, max, text);
    if (r->err.nitems)
        return err_set(&r->err, ERR_INVALID, NULL, "%s is missing or invalid",
                       name ? name : "the body");
    return 0;
}

int act_begin(struct req *r, const struct res_entity *ent, int64_t id, struct db_conn **c,
              json_t **rec)
{
    *rec = NULL;
    *c = req_db(r);
    if (!*c)
        return -ERR_DB_UNAVAILABLE;
    int rc = db_begin(*c, &r->err);
    if (rc)
        return rc;
    if ((rc = rec_load(r, *c, ent, id, rec, &r->err)))
        db_rollback(*c);
    return rc;
}

/* Widens the caller's scope to the tenant on ent; returns what to put back. */
struct scope_save {
    const struct res_entity *ent;
    int scope;
};
static struct scope_save widen(struct req *r, const struct res_entity *ent)
{
    struct scope_save s = {r->scope_ent, r->scope};
    r->scope_ent = ent;
    r->scope = SCOPE_TENANT;
    return s;
}
static void restore(struct req *r, struct scope_save s)
{
    r->scope_ent = s.ent;
    r->scope = s.scope;
}

int act_update(struct req *r, struct db_conn *c, const struct res_entity *ent, int64_t id,
               json_t *patch, int *flag, struct err *e)
{
    struct scope_save s = widen(r, ent);
    int was = *flag;
    *flag = 1;
    int rc = patch ? rec_update_trusted(r, c, ent, id, patch, e) : -ERR_INTERNAL;
    *flag = was;
    restore(r, s);
    json_decref(patch);
    return rc;
}

int act_create(struct req *r, struct db_conn *c, const struct res_entity *ent, json_t *rec,
               int64_t *id, int *flag, struct err *e)
{
    struct scope_save s = widen(r, ent);
    int was = *flag;
    *flag = 1;
    int rc = rec ? rec_create_trusted(r, c, ent, rec, id, e) : -ERR_INTERNAL;
    *flag = was;
    restore(r, s);
    json_decref(rec);
    return rc;
}

int act_load(struct req *r, struct db_conn *c, const struct res_entity *ent, int64_t id,
             json_t **out, struct err *e)
{
    struct scope_save s = widen(r, ent);
    int rc = rec_load(r, c, ent, id, out, e);
    restore(r, s);
    return rc;
}

int act_finish(struct req *r, struct db_conn *c, int rc, const struct res_entity *ent, int64_t id)
{
    if (!rc)
        rc = db_commit(c, &r->err);
    else
        db_rollback(c);
    if (rc)
        return rc;
    int64_t version;
    struct scope_save s = widen(r, ent);
    rc = rec_get(r, c, ent, id, &r->out, &version, &r->err);
    restore(r, s);
    return rc ? rc : resp_json(r, 200);
}

int64_t act_time_of(json_t *o, const char *k)
{
    const char *s = act_str(o, k);
    int64_t t = 0;
    if (!s || time_parse_rfc3339(s, strlen(s), &t))
        return 0;
    return t;
}

json_t *act_time_json(struct req *r, int64_t t)
{
    char b[40];
    if (!t)
        return json_null();
    time_format_rfc3339(t, r->utc_offset_min, b, sizeof(b));
    return json_string(b);
}
