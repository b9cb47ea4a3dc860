/* SPDX-License-Identifier: MIT
 * assets/disposals.c - the rules of a disposal batch (disposal_entities.c
 * declares the steps):
 *
 *   - created from asset ids (a loss write-off may name its stocktake): each
 *     asset exists, is not disposed of, not on loan, and in no other open
 *     (draft or submitted) disposal; the batch's original value and net book
 *     value at the time are snapshotted, per asset in asset_disposal_items;
 *   - a transfer, donation, sale or exchange names its recipient; a sale or
 *     an exchange its appraisal report (《行政事业性国有资产管理条例》第三十六条);
 *   - submit: the assets await disposal (their status before is kept);
 *   - approve: not by the submitter; from disposal_leader_from_fen only a
 *     leader; above disposal_self_max_fen only with the finance department's
 *     approval number; the assets are disposed of that day: they leave the
 *     register's totals and are not depreciated from that month
 *     (depreciation.c);
 *   - reject or cancel: the assets go back to their status before.
 * Every write is the workflow's own (wf_update, wf_create): audited.
 */
#include "assets.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/auth.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../engine/record.h"
#include "../../engine/workflow.h"

#include <stdio.h>
#include <string.h>

#define MAX_BATCH 500 /* assets in one disposal */

static void today(struct req *r, char *out, size_t n)
{
    date_format((clock_now() + (int64_t)r->utc_offset_min * 60) / 86400, out, n);
}

static const char *yuan(struct req *r, int64_t fen)
{
    return arena_printf(r->a, "%s%lld.%02lld", fen < 0 ? "-" : "",
                        (long long)((fen < 0 ? -fen : fen) / 100),
                        (long long)((fen < 0 ? -fen : fen) % 100));
}

/* The net book value of asset a today. */
static int64_t net_now(struct req *r, json_t *a)
{
    char d[16];
    struct as_dep dep;
    today(r, d, sizeof(d));
    as_depreciate(wf_int(a, "original_value_fen"), as_month_of(wf_str(a, "acquired_on")),
                  (int)wf_int(a, "useful_years"), as_month_of(d), -1, &dep);
    return dep.net;
}

/* Another open disposal holding asset (not disposal except): its id, or 0. */
static int open_disposal(struct req *r, struct db_conn *c, int64_t asset, int64_t except,
                         int64_t *other, struct err *e)
{
    *other = 0;
    int rc = db_one_int(c,
                        "SELECT d.id FROM asset_disposal_items i JOIN asset_disposals d ON "
                        "d.tenant_id = i.tenant_id AND d.id = i.disposal_id WHERE i.tenant_id = "
                        "? AND i.asset_id = ? AND d.id <> ? AND d.status IN ('draft', "
                        "'submitted') ORDER BY d.id LIMIT 1",
                        DB_INTS(r->tenant_id, asset, except), other, e);
    return rc < 0 ? rc : 0;
}

/* Whether asset a may go into disposal id (0 on create): 0, or a conflict. */
static int disposable(struct req *r, struct db_conn *c, json_t *a, int64_t id, struct err *e)
{
    const char *code = wf_str(a, "code") ? wf_str(a, "code") : "";
    const char *st = wf_str(a, "status");
    if (wf_is(st, "disposed"))
        return err_set(e, ERR_CONFLICT, "asset_ids", "assets.disposal.disposed",
                       "asset {code}%s was disposed of on {disposed_on}%s", code,
                       wf_str(a, "disposed_on") ? wf_str(a, "disposed_on") : "");
    if (wf_is(st, "lent"))
        return err_set(e, ERR_CONFLICT, "asset_ids", "assets.disposal.lent",
                       "asset {code}%s is on loan from the pool: have it returned first", code);
    int64_t other;
    int rc = open_disposal(r, c, wf_int(a, "id"), id, &other, e);
    if (rc)
        return rc;
    if (other || (wf_is(st, "awaiting_disposal") && !id))
        return err_set(e, ERR_CONFLICT, "asset_ids", "assets.disposal.already",
                       "asset {code}%s is in disposal {disposal}%lld already", code,
                       (long long)other);
    return 0;
}

/* The type's own requirements, as field errors. */
static void type_rules(json_t *rec, struct err *e)
{
    const char *type = wf_str(rec, "type");
    const char *rcp = wf_str(rec, "recipient"), *ap = wf_str(rec, "appraisal_ref");
    if (as_disposal_needs_recipient(type) && (!rcp || !*rcp))
        err_field(e, "recipient", "assets.disposal.recipient_required",
                  "a disposal by {type}%s names its recipient", type);
    if (as_disposal_needs_appraisal(type) && (!ap || !*ap))
        err_field(e, "appraisal_ref", "assets.disposal.appraisal_required",
                  "a disposal by {type}%s needs an asset appraisal report (《行政事业性国有资产"
                  "管理条例》第三十六条)",
                  type);
}

/* The asset ids of a new batch: a list of 1..MAX_BATCH distinct positive
 * integers. */
static int check_ids(json_t *ids, struct err *e)
{
    size_t n = json_is_array(ids) ? json_array_size(ids) : 0;
    if (!n || n > MAX_BATCH) {
        err_field(e, "asset_ids", "assets.disposal.asset_ids", "give from 1 to {max}%d asset ids",
                  MAX_BATCH);
        return err_invalid(e);
    }
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(ids, i);
        if (!json_is_integer(v) || json_integer_value(v) <= 0) {
            err_field(e, "asset_ids", "assets.disposal.asset_ids",
                      "give from 1 to {max}%d asset ids", MAX_BATCH);
            return err_invalid(e);
        }
        for (size_t k = 0; k < i; k++)
            if (json_integer_value(json_array_get(ids, k)) == json_integer_value(v)) {
                err_field(e, "asset_ids", "assets.disposal.asset_twice",
                          "asset {id}%lld is listed twice", (long long)json_integer_value(v));
                return err_invalid(e);
            }
    }
    return 0;
}

static const char *band_name(enum as_band b)
{
    return b == AS_BAND_FINANCE ? "finance" : b == AS_BAND_LEADER ? "leader" : "manager";
}

static enum as_band band_of(struct req *r, struct db_conn *c, int64_t total)
{
    return as_disposal_band(
        total, as_setting(r, c, "disposal_leader_from_fen", AS_DISPOSAL_LEADER_FROM_FEN),
        as_setting(r, c, "disposal_self_max_fen", AS_DISPOSAL_SELF_MAX_FEN));
}

int as_disposal_before_write(struct res_write *w)
{
    struct req *r = w->r;
    if (!w->rec || r->server_write)
        return 0;
    if (w->old) {
        if (!wf_is(wf_str(w->old, "status"), "draft"))
            return err_set(w->e, ERR_CONFLICT, NULL, "assets.disposal.not_draft",
                           "disposal {id}%lld is {status}%s: only a draft may be changed",
                           (long long)w->id, wf_str(w->old, "status"));
        if (!json_equal(json_object_get(w->old, "asset_ids"), json_object_get(w->rec, "asset_ids")))
            err_field(w->e, "asset_ids", "assets.disposal.assets_fixed",
                      "the assets of a batch are fixed: cancel it and start another");
        type_rules(w->rec, w->e);
        return w->e->nitems ? err_invalid(w->e) : 0;
    }
    /* a stocktake named without assets: its missing items (盘亏) */
    json_t *ids = json_object_get(w->rec, "asset_ids");
    int rc;
    if (wf_has(w->rec, "stocktake_id") && !json_array_size(ids)) {
        int64_t *missing;
        int n;
        if ((rc =
                 as_stocktake_missing(r, w->c, wf_int(w->rec, "stocktake_id"), &missing, &n, w->e)))
            return rc;
        json_t *list = json_array();
        for (int i = 0; list && i < n; i++)
            json_array_append_new(list, json_integer(missing[i]));
        if (!list)
            return err_set(w->e, ERR_INTERNAL, NULL, NULL, "out of memory");
        json_object_set_new(w->rec, "asset_ids", list);
        ids = list;
    }
    rc = check_ids(ids, w->e);
    if (rc)
        return rc;
    int64_t orig = 0, net = 0, dept = 0;
    for (size_t i = 0; i < json_array_size(ids); i++) {
        int64_t id = json_integer_value(json_array_get(ids, i));
        json_t *a;
        /* the asset's row locked first: two batches of one asset at once, one waits and
         * then sees the other's items */
        if ((rc = rec_lock(r, w->c, &as_assets, id, w->e)) < 0)
            return rc;
        if (rc > 0 || (rc = wf_load(r, w->c, &as_assets, id, &a, w->e))) {
            if (rc > 0)
                rc = -ERR_NOT_FOUND;
            if (rc != -ERR_NOT_FOUND)
                return rc;
            err_clear(w->e);
            err_field(w->e, "asset_ids", "assets.disposal.asset_unknown", "no asset {id}%lld",
                      (long long)id);
            return err_invalid(w->e);
        }
        /* a department asks to dispose of its own things only: an asset outside
         * the caller's read scope is as unknown as one that does not exist */
        if (perm_scope(r, &as_assets, "read") != SCOPE_TENANT) {
            json_t *mine;
            int q = rec_load(r, w->c, &as_assets, id, &mine, w->e);
            if (q == -ERR_NOT_FOUND) {
                err_clear(w->e);
                err_field(w->e, "asset_ids", "assets.disposal.asset_unknown", "no asset {id}%lld",
                          (long long)id);
                return err_invalid(w->e);
            }
            if (q)
                return q;
            json_decref(mine);
        }
        if ((rc = disposable(r, w->c, a, 0, w->e)))
            return rc;
        orig += wf_int(a, "original_value_fen");
        net += net_now(r, a);
        if (!dept)
            dept = wf_int(a, "department_id");
    }
    type_rules(w->rec, w->e);
    if (w->e->nitems)
        return err_invalid(w->e);
    if (!wf_has(w->rec, "department_id") && dept)
        json_object_set_new(w->rec, "department_id", json_integer(dept));
    json_object_set_new(w->rec, "item_count", json_integer((json_int_t)json_array_size(ids)));
    json_object_set_new(w->rec, "original_total_fen", json_integer(orig));
    json_object_set_new(w->rec, "net_total_fen", json_integer(net));
    json_object_set_new(w->rec, "band", json_string(band_name(band_of(r, w->c, orig))));
    return 0;
}

/* A new batch's items: one row per asset, its values snapshotted. */
int as_disposal_after_write(struct res_write *w)
{
    struct req *r = w->r;
    if (!w->rec || w->old || r->server_write)
        return 0;
    json_t *ids = json_object_get(w->rec, "asset_ids");
    for (size_t i = 0; i < json_array_size(ids); i++) {
        json_t *a;
        int64_t item;
        int rc = wf_load(r, w->c, &as_assets, json_integer_value(json_array_get(ids, i)), &a, w->e);
        if (rc || (rc = wf_create(
                       r, w->c, &as_disposal_items,
                       json_pack("{s:I,s:I,s:I,s:I,s:s,s:I}", "disposal_id", (json_int_t)w->id,
                                 "asset_id", (json_int_t)wf_int(a, "id"), "original_value_fen",
                                 (json_int_t)wf_int(a, "original_value_fen"), "net_value_fen",
                                 (json_int_t)net_now(r, a), "status_before", wf_str(a, "status"),
                                 "department_id", (json_int_t)wf_int(w->rec, "department_id")),
                       &item, w->e)))
            return rc;
    }
    return 0;
}

/* The batch's items: (item id, asset id) pairs, arena memory. */
static int items(struct wf *w, int64_t **out, int *n)
{
    struct db_stmt *st;
    *n = 0;
    *out = arena_alloc(w->r->a, sizeof(int64_t) * 2 * MAX_BATCH);
    if (!*out)
        return err_set(&w->r->err, ERR_BUDGET, NULL, NULL, "out of memory");
    int rc = db_prepare_ints(w->c,
                             "SELECT id, asset_id FROM asset_disposal_items WHERE tenant_id = ? "
                             "AND disposal_id = ? ORDER BY id",
                             DB_INTS(w->r->tenant_id, w->id), &st, &w->r->err);
    if (rc)
        return rc;
    while ((rc = db_step(st, &w->r->err)) == DB_ROW && *n < MAX_BATCH) {
        (*out)[2 * *n] = db_col_int(st, 0);
        (*out)[2 * *n + 1] = db_col_int(st, 1);
        (*n)++;
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int as_disposal_submit_check(struct wf *w)
{
    struct req *r = w->r;
    int64_t *it;
    int n, rc = items(w, &it, &n);
    if (rc)
        return rc;
    for (int i = 0; i < n; i++) {
        json_t *a;
        if ((rc = rec_lock(r, w->c, &as_assets, it[2 * i + 1], &r->err)) < 0 ||
            (rc = wf_load(r, w->c, &as_assets, it[2 * i + 1], &a, &r->err)) ||
            (rc = disposable(r, w->c, a, w->id, &r->err)) ||
            (rc = wf_update(r, w->c, &as_disposal_items, it[2 * i],
                            json_pack("{s:s}", "status_before", wf_str(a, "status")), &r->err)) ||
            (rc = wf_update(r, w->c, &as_assets, it[2 * i + 1],
                            json_pack("{s:s}", "status", "awaiting_disposal"), &r->err)))
            return rc;
    }
    json_object_set_new(
        w->patch, "band",
        json_string(band_name(band_of(r, w->c, wf_int(w->rec, "original_total_fen")))));
    return 0;
}

int as_disposal_approve_check(struct wf *w)
{
    struct req *r = w->r;
    int64_t total = wf_int(w->rec, "original_total_fen");
    int64_t from = as_setting(r, w->c, "disposal_leader_from_fen", AS_DISPOSAL_LEADER_FROM_FEN);
    int64_t max = as_setting(r, w->c, "disposal_self_max_fen", AS_DISPOSAL_SELF_MAX_FEN);
    enum as_band b = as_disposal_band(total, from, max);
    if (b >= AS_BAND_LEADER && (!r->who || strcmp(r->who->role_code, "leader")))
        return err_set(&r->err, ERR_FORBIDDEN, NULL, "assets.disposal.leader_required",
                       "a disposal of original value {total}%s yuan (from {threshold}%s yuan) "
                       "is approved by a leader",
                       yuan(r, total), yuan(r, from));
    const char *doc = wf_str(w->body, "approval_doc");
    if (doc && *doc)
        json_object_set_new(w->patch, "approval_doc", json_string(doc));
    else
        doc = wf_str(w->rec, "approval_doc");
    if (b == AS_BAND_FINANCE && (!doc || !*doc))
        return wf_invalid(w, "approval_doc", "assets.disposal.approval_doc_required",
                          "a disposal of original value {total}%s yuan (above {max}%s yuan) "
                          "needs the finance department's approval number",
                          yuan(r, total), yuan(r, max));
    char d[16];
    today(r, d, sizeof(d));
    json_object_set_new(w->patch, "band", json_string(band_name(b)));
    json_object_set_new(w->patch, "disposed_on", json_string(d));
    return 0;
}

int as_disposal_approve_then(struct wf *w)
{
    struct req *r = w->r;
    int64_t *it;
    char d[16];
    today(r, d, sizeof(d));
    int n, rc = items(w, &it, &n);
    for (int i = 0; !rc && i < n; i++)
        if (!(rc = wf_update(r, w->c, &as_assets, it[2 * i + 1],
                             json_pack("{s:s,s:s}", "status", "disposed", "disposed_on", d),
                             &r->err)))
            rc = as_pool_close_item(r, w->c, it[2 * i + 1], "withdrawn", &r->err);
    return rc;
}

/* Rejected or cancelled: a submitted batch's assets go back to their status
 * before (a draft never changed them). */
int as_disposal_restore_then(struct wf *w)
{
    struct req *r = w->r;
    if (!wf_is(w->state, "submitted"))
        return 0;
    int64_t *it;
    int n, rc = items(w, &it, &n);
    for (int i = 0; !rc && i < n; i++) {
        json_t *item, *a;
        if ((rc = wf_load(r, w->c, &as_disposal_items, it[2 * i], &item, &r->err)) ||
            (rc = wf_load(r, w->c, &as_assets, it[2 * i + 1], &a, &r->err)))
            break;
        if (!wf_is(wf_str(a, "status"), "awaiting_disposal"))
            continue;
        const char *before = wf_str(item, "status_before");
        if (!before || wf_is(before, "awaiting_disposal") || wf_is(before, "disposed"))
            before = "idle";
        rc = wf_update(r, w->c, &as_assets, it[2 * i + 1], json_pack("{s:s}", "status", before),
                       &r->err);
    }
    return rc;
}
