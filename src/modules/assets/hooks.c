/* SPDX-License-Identifier: MIT
 * assets/hooks.c - what people write to the register: an asset's code is
 * given when none is typed (ZC + the year acquired + a running number); its
 * depreciation category comes from its class (or the class's parents) when
 * not chosen, and its life from the category, never shorter than the
 * standard's minimum; it cannot be acquired in the future; its status moves
 * freely only among in use, idle and under repair — the pool, loans and
 * disposals move it on their own account — and a disposed asset is closed.
 * A class's parent is of the same edition.
 */
#include "assets.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/record.h"
#include "../../engine/report.h"
#include "../../engine/setting.h"
#include "../../engine/workflow.h"
#include "../org/org.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

int64_t as_setting(struct req *r, struct db_conn *c, const char *name, int64_t dflt)
{
    return setting_int(r, c, &as_settings, name, dflt, SETTING_NEWEST);
}

static int free_status(const char *s)
{
    return s && (!strcmp(s, "in_use") || !strcmp(s, "idle") || !strcmp(s, "repair"));
}

/* The category of class cls or of its nearest parent that has one (0: none). */
static int class_category(struct req *r, struct db_conn *c, int64_t cls, int64_t *cat,
                          struct err *e)
{
    *cat = 0;
    for (int depth = 0; cls && depth < 16; depth++) {
        struct db_stmt *st;
        int rc = db_prepare_ints(c,
                                 "SELECT category_id, parent_id FROM asset_classes WHERE "
                                 "tenant_id = ? AND id = ?",
                                 DB_INTS(r->tenant_id, cls), &st, e);
        if (rc)
            return rc;
        rc = db_step(st, e);
        int64_t parent = 0;
        if (rc == DB_ROW) {
            *cat = db_col_int(st, 0);
            parent = db_col_int(st, 1);
        }
        db_reset(st);
        if (rc < 0)
            return rc;
        if (*cat || rc != DB_ROW)
            return 0;
        cls = parent;
    }
    return 0;
}

/* ZC2024-000123: the next number of the year the asset was acquired. Two
 * creates at once must not both take it: on PostgreSQL the tenant's row is
 * locked first, so the second waits for the first's commit and counts it
 * (SQLite's write transaction serialises them already). */
static int new_code(struct res_write *w, const char *acquired)
{
    int lk = rec_lock(w->r, w->c, &org_tenants, w->r->tenant_id, w->e);
    if (lk < 0)
        return lk;
    char prefix[16];
    snprintf(prefix, sizeof(prefix), "ZC%.4s-", acquired ? acquired : "0000");
    struct db_stmt *st;
    int rc = db_prepare_ints(w->c,
                             "SELECT code FROM assets WHERE tenant_id = ? AND code >= ? AND "
                             "code < ? ORDER BY code DESC LIMIT 1",
                             DB_INTS(w->r->tenant_id), &st, w->e);
    if (rc)
        return rc;
    char hi[16];
    snprintf(hi, sizeof(hi), "ZC%.4s.", acquired ? acquired : "0000"); /* '.' follows '-' */
    db_bind_text(st, 2, prefix, strlen(prefix));
    db_bind_text(st, 3, hi, strlen(hi));
    long long next = 1;
    if ((rc = db_step(st, w->e)) == DB_ROW) {
        const char *last = db_col_text(st, 0, NULL);
        long long n = 0;
        if (last && sscanf(last + strlen(prefix), "%lld", &n) == 1 && n > 0)
            next = n + 1;
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    char code[AS_CODE_MAX + 1];
    snprintf(code, sizeof(code), "%s%06lld", prefix, next);
    json_object_set_new(w->rec, "code", json_string(code));
    return 0;
}

int as_asset_before_write(struct res_write *w)
{
    if (!w->rec)
        return 0;
    struct req *r = w->r;
    int own = r->server_write > 0; /* the pool, a loan, a disposal, a stocktake */
    const char *status = wf_str(w->rec, "status");
    const char *was = w->old ? wf_str(w->old, "status") : NULL;
    if (w->old && was && !strcmp(was, "disposed") && !own)
        return err_set(w->e, ERR_CONFLICT, NULL, "assets.asset.disposed",
                       "asset {code}%s was disposed of on {disposed_on}%s: its record is closed",
                       wf_str(w->old, "code") ? wf_str(w->old, "code") : "",
                       wf_str(w->old, "disposed_on") ? wf_str(w->old, "disposed_on") : "");
    if (!own && (w->old ? (status && was && strcmp(status, was) &&
                           (!free_status(status) || !free_status(was)))
                        : !free_status(status)))
        return err_set(w->e, ERR_CONFLICT, "status", "assets.asset.status_by_action",
                       "status {status}%s cannot be set by an edit (from {from}%s): in use, "
                       "idle and under repair can; the pool, loans and disposals set the rest",
                       status ? status : "", was ? was : "");

    const char *acquired = wf_str(w->rec, "acquired_on");
    char today[16];
    date_format(report_today(r), today, sizeof(today));
    if (acquired && strcmp(acquired, today) > 0 &&
        (!w->old || !wf_str(w->old, "acquired_on") ||
         strcmp(acquired, wf_str(w->old, "acquired_on"))))
        err_field(w->e, "acquired_on", "assets.asset.acquired_future",
                  "acquired on {acquired_on}%s, after today {today}%s", acquired, today);

    /* the category: chosen, or the class's */
    int64_t cat = wf_int(w->rec, "category_id");
    int rc;
    if (!cat) {
        if ((rc = class_category(r, w->c, wf_int(w->rec, "class_id"), &cat, w->e)))
            return rc;
        if (cat)
            json_object_set_new(w->rec, "category_id", json_integer(cat));
        else
            err_field(w->e, "category_id", "assets.asset.category_required",
                      "the class has no depreciation category: choose one");
    }
    if (cat) {
        struct db_stmt *st;
        rc = db_prepare_ints(w->c,
                             "SELECT years, depreciated, name FROM asset_categories WHERE "
                             "tenant_id = ? AND id = ?",
                             DB_INTS(r->tenant_id, cat), &st, w->e);
        if (rc)
            return rc;
        if ((rc = db_step(st, w->e)) == DB_ROW) {
            int64_t min = db_col_int(st, 0), dep = db_col_int(st, 1);
            const char *name = db_col_text(st, 2, NULL);
            if (!wf_has(w->rec, "useful_years"))
                json_object_set_new(w->rec, "useful_years", json_integer(dep ? min : 0));
            else if (dep && wf_int(w->rec, "useful_years") < min)
                err_field(w->e, "useful_years", "assets.asset.years_below_min",
                          "{years}%lld years is shorter than the {min_years}%lld years of "
                          "{category}%s",
                          (long long)wf_int(w->rec, "useful_years"), (long long)min,
                          name ? name : "");
        }
        db_reset(st);
        if (rc < 0)
            return rc;
    }
    if (w->e->nitems)
        return err_invalid(w->e);
    if (!wf_str(w->rec, "code"))
        return new_code(w, acquired);
    return 0;
}

int as_class_before_write(struct res_write *w)
{
    if (!w->rec)
        return 0;
    int64_t parent = wf_int(w->rec, "parent_id");
    if (!parent)
        return 0;
    const char *ed = wf_str(w->rec, "edition");
    const char *ped = NULL;
    int rc = db_one_text(w->c, w->r->a,
                         "SELECT edition FROM asset_classes WHERE tenant_id = ? AND id = ?",
                         DB_INTS(w->r->tenant_id, parent), &ped, w->e);
    if (rc < 0)
        return rc;
    if (ped && ed && strcmp(ped, ed))
        return err_set(w->e, ERR_INVALID, "parent_id", "assets.class.edition_mismatch",
                       "the parent class is of edition {parent_edition}%s, this one of "
                       "{edition}%s",
                       ped, ed);
    return 0;
}
