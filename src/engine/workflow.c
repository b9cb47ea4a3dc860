/* SPDX-License-Identifier: MIT
 * workflow.c - the workflow kit (workflow.h): runs a declared step.
 */
#include "workflow.h"
#include "record.h"
#include "report.h"
#include "perm.h"
#include "value.h"
#include "../base/arena.h"
#include "../base/base.h"
#include "../base/err.h"
#include "../core/http.h"
#include "../db/db.h"

#include <stdio.h>
#include <string.h>

#define TEXT(n, z, e, req)                                                                         \
    {                                                                                              \
        .name = n, .type = RES_TEXT, .zh = z, .en = e, .required = req, .max_len = 500,            \
        .widget = "textarea"                                                                       \
    }
const struct res_field wf_note[] = {TEXT("note", "意见", "Note", 0), {0}};
const struct res_field wf_reason[] = {TEXT("reason", "原因", "Reason", 1), {0}};
const struct res_field wf_reason_optional[] = {TEXT("reason", "原因", "Reason", 0), {0}};
const struct res_field wf_nothing[] = {{0}};

int wf_is(const char *a, const char *b)
{
    return a && b && !strcmp(a, b);
}

int wf_allowed(const struct res_action *step, const char *state)
{
    if (!step->from)
        return 1;
    for (const char *const *s = step->from; *s; s++)
        if (wf_is(*s, state))
            return 1;
    return 0;
}

/* ---- the body ---- */

/* Checks body against the step's members: every problem at once. */
static int check_body(struct wf *w, json_t *body)
{
    struct req *r = w->r;
    const struct res_field *members = w->step->body ? w->step->body : wf_nothing;
    const char *k;
    json_t *v;
    json_object_foreach(body, k, v)
    {
        const struct res_field *f = members;
        while (f->name && strcmp(f->name, k))
            f++;
        if (!f->name) {
            char q[140];
            err_quote(q, sizeof(q), k, strlen(k));
            err_field(&r->err, q, "field.unknown", "unknown field");
        }
    }
    for (const struct res_field *f = members; f->name; f++) {
        json_t *j = json_object_get(body, f->name);
        struct res_val val;
        struct err_item why;
        if (!j || json_is_null(j)) {
            if (f->required)
                err_field(&r->err, f->name, "field.required", "is required");
            continue;
        }
        if (res_val_from_json(r->a, f, j, &val, &why)) {
            err_add(&r->err, f->name, &why);
            continue;
        }
        if (f->type == RES_TEXT && !w->text && val.n)
            w->text = val.s;
    }
    return r->err.nitems ? err_invalid(&r->err) : 0;
}

/* ---- the patch the declaration makes ---- */

static json_t *text_value(const char *s)
{
    json_error_t je;
    json_t *j = json_loads(s, JSON_DECODE_ANY, &je);
    return j ? j : json_string(s);
}

static void declared_patch(struct wf *w)
{
    const struct res_action *s = w->step;
    struct req *r = w->r;
    const struct res_flow *fl = w->ent->flow;
    if (s->to && fl && fl->state)
        json_object_set_new(w->patch, fl->state, json_string(s->to));
    for (const char *const *f = s->now; f && *f; f++)
        json_object_set_new(w->patch, *f, wf_time_json(r, clock_now()));
    if (s->by)
        json_object_set_new(w->patch, s->by, wf_actor(r));
    if (s->text_into && w->text)
        json_object_set_new(w->patch, s->text_into, json_string(w->text));
    for (const char *const *f = s->set; f && f[0] && f[1]; f += 2)
        json_object_set_new(w->patch, f[0], text_value(f[1]));
    for (const char *const *f = s->clear; f && *f; f++)
        json_object_set_new(w->patch, *f, json_null());
}

/* ---- who may act ---- */

static int who_may(struct wf *w)
{
    struct req *r = w->r;
    const struct res_action *s = w->step;
    int64_t me = r->who ? r->user_id : 0;
    if (s->not_own && me && wf_int(w->rec, s->not_own) == me)
        return err_set(&r->err, ERR_CONFLICT, NULL, "wf.own",
                       "nobody may {action}%s a record of their own", s->name);
    if (s->only_own && (!me || wf_int(w->rec, s->only_own) != me))
        return err_set(&r->err, ERR_FORBIDDEN, NULL, "wf.only_own",
                       "only the user in {field}%s may {action}%s this record", s->only_own,
                       s->name);
    return 0;
}

static int in_order(struct wf *w)
{
    const struct res_action *s = w->step;
    if (wf_allowed(s, w->state))
        return 0;
    char allowed[200];
    size_t n = 0;
    allowed[0] = 0;
    for (const char *const *f = s->from; *f && n + 1 < sizeof(allowed); f++)
        n += (size_t)snprintf(allowed + n, sizeof(allowed) - n, "%s%s", n ? "," : "", *f);
    return err_set(&w->r->err, ERR_CONFLICT, NULL, "wf.out_of_order",
                   "cannot {action}%s: the record is {status}%s (only {allowed}%s)", s->name,
                   w->state ? w->state : "-", allowed);
}

/* ---- after the write: the timeline and the people told ---- */

static int tell_all(struct wf *w)
{
    const struct res_flow *fl = w->ent->flow;
    if (!w->step->tell || !fl || !fl->notify)
        return 0;
    for (const struct wf_tell *t = w->step->tell; t->title; t++) {
        int64_t user = 0;
        if (t->field) {
            json_t *v = json_object_get(w->patch, t->field);
            user = v ? json_integer_value(v) : wf_int(w->rec, t->field);
            if (!user || (w->r->who && user == w->r->user_id))
                continue;
        }
        int rc = fl->notify(w, user, t->role, t->title, w->text);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- the run ---- */

static int steps(struct wf *w)
{
    struct req *r = w->r;
    const struct res_flow *fl = w->ent->flow;
    int rc = w->step->lock ? w->step->lock(w) : 0;
    if (!rc)
        rc = rec_lock(r, w->c, w->ent, w->id, &r->err);
    if (rc > 0)
        rc = err_set(&r->err, ERR_NOT_FOUND, NULL, NULL, "no record {id}%lld in {collection}%s",
                     (long long)w->id, w->ent->name);
    if (rc || (rc = rec_load(r, w->c, w->ent, w->id, &w->rec, &r->err)))
        return rc;
    if (!(w->rec = report_keep(r, w->rec)))
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    w->state = fl && fl->state ? wf_str(w->rec, fl->state) : NULL;
    if ((rc = who_may(w)) || (fl && fl->state && (rc = in_order(w))))
        return rc;
    declared_patch(w);
    if (w->step->check && (rc = w->step->check(w)))
        return rc;
    if (json_object_size(w->patch) &&
        (rc = wf_update(r, w->c, w->ent, w->id, json_incref(w->patch), &r->err)))
        return rc;
    if (w->step->event && fl && fl->event && (rc = fl->event(w, w->step->event)))
        return rc;
    if ((rc = tell_all(w)))
        return rc;
    return w->step->then ? w->step->then(w) : 0;
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

int wf_run(struct req *r, const struct res_entity *ent, const struct res_action *step, int64_t id,
           json_t *body)
{
    struct wf w = {.r = r, .ent = ent, .step = step, .id = id, .body = body};
    int rc = check_body(&w, body);
    if (rc)
        return rc;
    if (!(w.c = req_db(r)))
        return -ERR_DB_UNAVAILABLE;
    if ((rc = db_begin(w.c, &r->err)))
        return rc;
    w.patch = report_keep(r, json_object());
    rc = w.patch ? steps(&w) : err_set(&r->err, ERR_BUDGET, NULL, NULL, "out of memory");
    if (rc) {
        db_rollback(w.c);
        return rc;
    }
    if ((rc = db_commit(w.c, &r->err)))
        return rc;
    int64_t version;
    struct scope_save s = widen(r, ent);
    rc = rec_get(r, w.c, ent, id, &r->out, &version, &r->err);
    restore(r, s);
    return rc ? rc : resp_json(r, 200);
}

/* ---- refusals ---- */

static void item(struct err_item *it, const char *key, const char *fmt, va_list ap)
{
    err_vformat(it->msg, sizeof(it->msg), it->params, sizeof(it->params), fmt, ap);
    snprintf(it->key, sizeof(it->key), "%s", key);
}

int wf_conflict(struct wf *w, const char *key, const char *fmt, ...)
{
    struct err_item it;
    va_list ap;
    va_start(ap, fmt);
    item(&it, key, fmt, ap);
    va_end(ap);
    return err_set_item(&w->r->err, ERR_CONFLICT, NULL, &it);
}

int wf_invalid(struct wf *w, const char *field, const char *key, const char *fmt, ...)
{
    struct err_item it;
    va_list ap;
    va_start(ap, fmt);
    item(&it, key, fmt, ap);
    va_end(ap);
    err_add(&w->r->err, field, &it);
    return err_invalid(&w->r->err);
}

/* ---- the workflow's own reads and writes ---- */

/* A write of the workflow's own (create, or update of *id), in the whole
 * tenant and marked as the server's; consumes j. */
static int server_write(struct req *r, struct db_conn *c, const struct res_entity *ent, json_t *j,
                        int64_t *id, int create, struct err *e)
{
    struct scope_save s = widen(r, ent);
    r->server_write++;
    int rc = !j       ? -ERR_INTERNAL
             : create ? rec_create_trusted(r, c, ent, j, id, e)
                      : rec_update_trusted(r, c, ent, *id, j, e);
    r->server_write--;
    restore(r, s);
    json_decref(j);
    return rc;
}

int wf_update(struct req *r, struct db_conn *c, const struct res_entity *ent, int64_t id,
              json_t *patch, struct err *e)
{
    int64_t keep = id;
    return server_write(r, c, ent, patch, &keep, 0, e);
}

int wf_create(struct req *r, struct db_conn *c, const struct res_entity *ent, json_t *rec,
              int64_t *id, struct err *e)
{
    return server_write(r, c, ent, rec, id, 1, e);
}

int wf_load(struct req *r, struct db_conn *c, const struct res_entity *ent, int64_t id,
            json_t **out, struct err *e)
{
    struct scope_save s = widen(r, ent);
    int rc = rec_load(r, c, ent, id, out, e);
    restore(r, s);
    if (!rc && !(*out = report_keep(r, *out)))
        rc = err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    return rc;
}

int64_t wf_time(json_t *o, const char *k)
{
    const char *s = wf_str(o, k);
    int64_t t = 0;
    if (!s || time_parse_rfc3339(s, strlen(s), &t))
        return 0;
    return t;
}

json_t *wf_time_json(struct req *r, int64_t t)
{
    char b[40];
    if (!t)
        return json_null();
    time_format_rfc3339(t, r->utc_offset_min, b, sizeof(b));
    return json_string(b);
}

json_t *wf_actor(struct req *r)
{
    return r->who ? json_integer(r->user_id) : json_null();
}
