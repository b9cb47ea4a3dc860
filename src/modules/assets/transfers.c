/* SPDX-License-Identifier: MIT
 * assets/transfers.c - transfers 调拨 between departments, custodians and
 * rooms: a transfer moves its asset at once (the asset's department,
 * custodian and room, written as the workflow's own and audited) and stays
 * as its history (GET /api/v1/asset_transfers?asset_id=): it is never
 * changed afterwards. An asset in the pool, on loan, awaiting disposal or
 * disposed of is not transferred by hand: the pool and disposals move it.
 * A reuse from the pool writes its transfer too (pool.c), and the asset is
 * in use again.
 */
#include "assets.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/workflow.h"

#include <string.h>

int as_transfer_before_write(struct res_write *w)
{
    struct req *r = w->r;
    if (!w->rec)
        return 0;
    if (w->old)
        return r->server_write ? 0
                               : err_set(w->e, ERR_CONFLICT, NULL, "assets.transfer.immutable",
                                         "a transfer is history: record another one instead");
    json_t *a;
    int64_t asset = wf_int(w->rec, "asset_id");
    int rc = wf_load(r, w->c, &as_assets, asset, &a, w->e);
    if (rc == -ERR_NOT_FOUND) {
        err_clear(w->e);
        err_field(w->e, "asset_id", "assets.transfer.asset_unknown", "no asset {id}%lld",
                  (long long)asset);
        return err_invalid(w->e);
    }
    if (rc)
        return rc;
    const char *st = wf_str(a, "status");
    if (!r->server_write && (wf_is(st, "pooled") || wf_is(st, "lent") ||
                             wf_is(st, "awaiting_disposal") || wf_is(st, "disposed")))
        return err_set(w->e, ERR_CONFLICT, "asset_id", "assets.transfer.status",
                       "asset {code}%s is {status}%s: the pool and disposals move it",
                       wf_str(a, "code") ? wf_str(a, "code") : "", st);
    int64_t to = wf_int(w->rec, "to_department_id");
    if (!r->server_write && to == wf_int(a, "department_id") &&
        wf_int(w->rec, "to_custodian_id") == wf_int(a, "custodian_id") &&
        wf_int(w->rec, "to_room_id") == wf_int(a, "room_id"))
        return err_set(w->e, ERR_CONFLICT, NULL, "assets.transfer.nothing",
                       "asset {code}%s is there already",
                       wf_str(a, "code") ? wf_str(a, "code") : "");
    json_object_set(w->rec, "from_department_id", json_object_get(a, "department_id"));
    json_object_set(w->rec, "from_custodian_id", json_object_get(a, "custodian_id"));
    json_object_set(w->rec, "from_room_id", json_object_get(a, "room_id"));
    if (!wf_has(w->rec, "by_id"))
        json_object_set_new(w->rec, "by_id", wf_actor(r));
    if (!wf_has(w->rec, "transferred_on")) {
        char d[16];
        date_format((clock_now() + (int64_t)r->utc_offset_min * 60) / 86400, d, sizeof(d));
        json_object_set_new(w->rec, "transferred_on", json_string(d));
    }
    return 0;
}

/* The asset moves with its transfer (a reuse: in use again). */
int as_transfer_after_write(struct res_write *w)
{
    if (!w->rec || w->old)
        return 0;
    json_t *p = json_object();
    json_object_set(p, "department_id", json_object_get(w->rec, "to_department_id"));
    json_t *cu = json_object_get(w->rec, "to_custodian_id"),
           *rm = json_object_get(w->rec, "to_room_id");
    json_object_set_new(p, "custodian_id", cu ? json_incref(cu) : json_null());
    json_object_set_new(p, "room_id", rm ? json_incref(rm) : json_null());
    if (wf_is(wf_str(w->rec, "kind"), "reuse"))
        json_object_set_new(p, "status", json_string("in_use"));
    return wf_update(w->r, w->c, &as_assets, wf_int(w->rec, "asset_id"), p, w->e);
}
