/* SPDX-License-Identifier: MIT
 * assets/bulk.c - POST /api/v1/assets/bulk {ids: [...], set: {...}}: one
 * change to up to AS_BULK_MAX assets (a department moving floors, a new
 * custodian, idle after a reorganisation), all or nothing. Each asset goes
 * through the engine's record update as if edited alone — validated, its
 * hooks (the status an edit may set, a closed disposed asset), the caller's
 * update scope for the asset and for its new department, audited — in one
 * transaction; when any asset is refused nothing is written and every
 * refusal is listed by id and code (422 assets.bulk.rejected, "rejected").
 */
#include "assets.h"
#include "../../base/arena.h"
#include "../../base/buf.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../engine/record.h"
#include "../../engine/report.h"
#include "../../engine/rest.h"

#include <string.h>

static const char *const settable[] = {"department_id", "custodian_id", "room_id", "status",
                                       "condition",     "note",         NULL};

/* Appends one refusal of asset id (code: NULL when unknown) to the answer. */
static void refusal(struct buf *b, int64_t id, const char *code, const struct err *e, int *n)
{
    const struct err_info *info = err_info(e->code);
    int items = e->nitems ? e->nitems : 1;
    for (int i = 0; i < items; i++) {
        const char *field = e->nitems ? e->items[i].field : "";
        const char *key = e->nitems ? e->items[i].key : err_key(e);
        const char *params = e->nitems ? e->items[i].params : e->params;
        const char *msg = e->nitems ? e->items[i].msg : (e->detail[0] ? e->detail : info->title);
        if ((*n)++)
            buf_putc(b, ',');
        buf_printf(b, "{\"id\":%lld,\"code\":", (long long)id);
        if (code)
            buf_json_str(b, code, strlen(code));
        else
            buf_puts(b, "null");
        buf_printf(b, ",\"status\":%d,\"field\":", info->status);
        buf_json_str(b, field, strlen(field));
        buf_puts(b, ",\"key\":");
        buf_json_str(b, key, strlen(key));
        buf_puts(b, ",\"params\":");
        buf_puts(b, params[0] ? params : "{}");
        buf_puts(b, ",\"message\":");
        buf_json_str(b, msg, strlen(msg));
        buf_putc(b, '}');
    }
}

int as_bulk(struct req *r)
{
    json_t *body;
    int rc = perm_check(r, &as_assets, "update");
    if (rc || (rc = rest_body_json(r, &body, 0)))
        return rc;
    json_t *ids = json_object_get(body, "ids"), *set = json_object_get(body, "set");
    const char *k;
    json_t *v;
    json_object_foreach(body, k, v) if (strcmp(k, "ids") && strcmp(k, "set")) err_field(
        &r->err, k, "assets.bulk.member", "unknown member {member}%.40s: send ids and set", k);
    if (!json_is_array(ids) || !json_array_size(ids) || json_array_size(ids) > AS_BULK_MAX)
        err_field(&r->err, "ids", "assets.bulk.ids", "ids: from 1 to {max}%d asset ids",
                  AS_BULK_MAX);
    else {
        size_t i;
        json_array_foreach(ids, i, v) if (!json_is_integer(v) || json_integer_value(v) <= 0)
        {
            err_field(&r->err, "ids", "assets.bulk.ids", "ids: from 1 to {max}%d asset ids",
                      AS_BULK_MAX);
            break;
        }
    }
    if (!json_is_object(set) || !json_object_size(set))
        err_field(&r->err, "set", "assets.bulk.set",
                  "set: what to change, of department_id, custodian_id, room_id, status, "
                  "condition and note");
    else
        json_object_foreach(set, k, v)
        {
            int ok = 0;
            for (const char *const *p = settable; *p && !ok; p++)
                ok = !strcmp(*p, k);
            if (!ok)
                err_field(&r->err, "set", "assets.bulk.set_field",
                          "{field}%.40s cannot be changed in bulk", k);
        }
    if (r->err.nitems)
        return err_invalid(&r->err);
    size_t n = json_array_size(ids);
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    if ((rc = db_begin(c, &r->err)))
        return rc;
    struct buf out;
    buf_init(&out, r->a);
    int nrefused = 0, nassets = 0, done = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t id = json_integer_value(json_array_get(ids, i));
        int dup = 0;
        for (size_t j = 0; j < i && !dup; j++)
            dup = json_integer_value(json_array_get(ids, j)) == id;
        if (dup)
            continue;
        struct err e;
        err_clear(&e);
        json_t *patch = json_deep_copy(set);
        rc = rec_update(r, c, &as_assets, id, patch, 0, &e);
        json_decref(patch);
        if (!rc) {
            done++;
            continue;
        }
        if (rc == -ERR_DB_UNAVAILABLE || rc == -ERR_DB_BUSY || rc == -ERR_INTERNAL ||
            rc == -ERR_BUDGET || rc == -ERR_TIMEOUT) {
            db_rollback(c);
            r->err = e;
            return rc;
        }
        if (!e.code && r->err.code) { /* a scope check reports on the request */
            e = r->err;
            err_clear(&r->err);
        }
        /* the code, for the list (when the caller may read the asset) */
        const char *code = NULL;
        struct err e2;
        err_clear(&e2);
        if (e.code != ERR_NOT_FOUND)
            db_one_text(c, r->a, "SELECT code FROM assets WHERE tenant_id = ? AND id = ?",
                        DB_INTS(r->tenant_id, id), &code, &e2);
        refusal(&out, id, code, &e, &nrefused);
        nassets++;
    }
    if (nassets) {
        db_rollback(c);
        buf_truncate(&r->problem_extra, 0);
        buf_printf(&r->problem_extra,
                   ",\"updated\":0,\"total\":%zu,\"rejected_assets\":%d,"
                   "\"rejected\":[",
                   n, nassets);
        buf_append(&r->problem_extra, out.p, out.len);
        buf_putc(&r->problem_extra, ']');
        if (!buf_ok(&out) || !buf_ok(&r->problem_extra))
            return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
        err_clear(&r->err);
        return err_set(&r->err, ERR_RULE, NULL, "assets.bulk.rejected",
                       "{rejected}%d of {total}%zu assets refused; nothing was changed", nassets,
                       n);
    }
    if ((rc = db_commit(c, &r->err)))
        return rc;
    return report_send(r, json_pack("{s:I}", "updated", (json_int_t)done));
}
