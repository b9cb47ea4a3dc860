/* SPDX-License-Identifier: MIT
 * assets/stocktake_demo.c - the demo's stocktakes: this year's session of
 * the demo liaison's department in progress, about 60 % of its assets
 * scanned by the liaison (a few found in another room, or with another
 * custodian, one of those already confirmed), and last year's session of
 * another department, finished in December, with a few assets missing
 * (盘亏) and one surplus item (盘盈) registered as an asset. Rows go in with
 * prepared INSERTs, as the rest of the demo register does.
 */
#include "assets.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../base/rng.h"
#include "../../core/http.h"
#include "../../core/tenant.h"
#include "../../db/db.h"
#include "../identity/identity.h"
#include "../org/org.h"

#include <stdio.h>
#include <string.h>

int as_dept_subtree(struct req *r, struct db_conn *c, int64_t dept, int64_t **ids, int *n,
                    struct err *e);

struct asset_row {
    int64_t id, dept, cust, room, value, line;
    const char *code, *acquired;
    int years;
};

struct demo {
    struct req *r;
    struct db_conn *c;
    struct rng g;
    int64_t tenant, now, manager, liaison;
    int done; /* last year's session was made */
};

/* The assets of dept's subtree not disposed, acquired by cutoff (a date). */
static int assets_of(struct demo *x, int64_t dept, const char *cutoff, struct asset_row **out,
                     int *n, struct err *e)
{
    int64_t *depts;
    int nd, cap = 0, rc = as_dept_subtree(x->r, x->c, dept, &depts, &nd, e);
    *out = NULL;
    *n = 0;
    for (int d = 0; d < nd && !rc; d++) {
        struct db_stmt *st;
        if ((rc = db_prepare_ints(x->c,
                                  "SELECT id, code, custodian_id, room_id, original_value_fen, "
                                  "acquired_on, useful_years FROM assets WHERE tenant_id = ? AND "
                                  "department_id = ? AND status <> 'disposed' AND acquired_on <= "
                                  "? ORDER BY code",
                                  DB_INTS(x->tenant, depts[d]), &st, e)))
            break;
        db_bind_text(st, 3, cutoff, strlen(cutoff));
        while ((rc = db_step(st, e)) == DB_ROW) {
            if (*n == cap) {
                int more = cap ? cap * 2 : 256;
                struct asset_row *v = arena_realloc(x->r->a, *out, sizeof(*v) * (size_t)cap,
                                                    sizeof(*v) * (size_t)more);
                if (!v) {
                    rc = err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
                    break;
                }
                *out = v;
                cap = more;
            }
            struct asset_row *a = &(*out)[(*n)++];
            a->id = db_col_int(st, 0);
            a->code = arena_strdup(x->r->a, db_col_text(st, 1, NULL));
            a->dept = depts[d];
            a->cust = db_col_int(st, 2);
            a->room = db_col_int(st, 3);
            a->value = db_col_int(st, 4);
            a->acquired = arena_strdup(x->r->a, db_col_text(st, 5, NULL));
            if (!a->code || !a->acquired) {
                rc = err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
                break;
            }
            a->years = (int)db_col_int(st, 6);
            a->line = 0;
        }
        db_reset(st);
        rc = rc < 0 ? rc : 0;
    }
    return rc;
}

/* A session's row; its id into *id. */
static int session(struct demo *x, const char *name, int64_t dept, const char *status,
                   const char *plan0, const char *plan1, int64_t started, int64_t finished,
                   const char *asof, int64_t *id, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(x->c,
                        "INSERT INTO stocktakes (tenant_id, version, created_at, updated_at, "
                        "created_by, name, department_id, planned_start, planned_end, status, "
                        "started_at, started_by, finished_at, finished_by, asof_month, "
                        "expected_count, expected_value_fen, found_count, moved_count, "
                        "missing_count, missing_value_fen, missing_net_fen, surplus_count, "
                        "surplus_value_fen) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                        "0, 0, 0, 0, 0, 0, 0, 0, 0) RETURNING id",
                        &st, e);
    if (rc)
        return rc;
    int k = 1;
    db_bind_int(st, k++, x->tenant);
    db_bind_int(st, k++, started - 86400 * 7);
    db_bind_int(st, k++, finished ? finished : started);
    db_bind_int_or_null(st, k++, x->manager);
    db_bind_text(st, k++, name, strlen(name));
    db_bind_int(st, k++, dept);
    db_bind_text(st, k++, plan0, strlen(plan0));
    db_bind_text(st, k++, plan1, strlen(plan1));
    db_bind_text(st, k++, status, strlen(status));
    db_bind_int(st, k++, started);
    db_bind_int_or_null(st, k++, x->manager);
    if (finished)
        db_bind_int(st, k++, finished);
    else
        db_bind_null(st, k++);
    db_bind_int_or_null(st, k++, finished ? x->manager : 0);
    db_bind_text(st, k++, asof, strlen(asof));
    if ((rc = db_step(st, e)) == DB_ROW)
        *id = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* One line: result, where it was found (0: not scanned), values as of asof. */
static int line(struct demo *x, int64_t stocktake, int64_t dept, const struct asset_row *a,
                const char *result, int64_t found_room, int64_t found_cust, int64_t scanned_at,
                int confirmed, int64_t asof, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(x->c,
                        "INSERT INTO stocktake_lines (tenant_id, version, created_at, "
                        "updated_at, created_by, stocktake_id, asset_id, code, department_id, "
                        "result, out_of_scope, expected_room_id, expected_custodian_id, "
                        "found_room_id, found_custodian_id, scanned_by, scanned_at, confirmed, "
                        "confirmed_by, confirmed_at, original_value_fen, net_value_fen) VALUES "
                        "(?, 1, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        &st, e);
    if (rc)
        return rc;
    struct as_dep dep;
    as_depreciate(a->value, as_month_of(a->acquired), a->years, asof, -1, &dep);
    int k = 1;
    db_bind_int(st, k++, x->tenant);
    db_bind_int(st, k++, x->now);
    db_bind_int(st, k++, x->now);
    db_bind_int_or_null(st, k++, x->manager);
    db_bind_int(st, k++, stocktake);
    db_bind_int(st, k++, a->id);
    db_bind_text(st, k++, a->code, strlen(a->code));
    db_bind_int(st, k++, dept);
    db_bind_text(st, k++, result, strlen(result));
    db_bind_int_or_null(st, k++, a->room);
    db_bind_int_or_null(st, k++, a->cust);
    db_bind_int_or_null(st, k++, found_room);
    db_bind_int_or_null(st, k++, found_cust);
    db_bind_int_or_null(st, k++, scanned_at ? x->liaison : 0);
    if (scanned_at)
        db_bind_int(st, k++, scanned_at);
    else
        db_bind_null(st, k++);
    db_bind_int(st, k++, confirmed);
    db_bind_int_or_null(st, k++, confirmed ? x->manager : 0);
    if (confirmed)
        db_bind_int(st, k++, scanned_at + 3600);
    else
        db_bind_null(st, k++);
    db_bind_int(st, k++, a->value);
    db_bind_int(st, k++, dep.net);
    rc = db_step(st, e);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* Another room among the session's, for a moved line (0: none). */
static int64_t other_room(const struct asset_row *v, int n, int i)
{
    for (int k = 1; k < n; k++) {
        const struct asset_row *o = &v[(i + k * 7) % n];
        if (o->room && o->room != v[i].room)
            return o->room;
    }
    return 0;
}

static int in_progress(struct demo *x, int64_t dept, int64_t today, struct err *e)
{
    struct asset_row *v;
    int n;
    char d[16], d0[16], d1[16], name[160];
    date_format(today, d, sizeof(d));
    int rc = assets_of(x, dept, d, &v, &n, e);
    if (rc || !n)
        return rc;
    date_format(today - 3, d0, sizeof(d0));
    date_format(today + 11, d1, sizeof(d1));
    const char *dn = NULL;
    org_department_name(x->r, x->c, dept, &dn, e);
    snprintf(name, sizeof(name), "%.4s年度资产清查（%s）", d, dn ? dn : "");
    char ym[8];
    memcpy(ym, d, 7);
    ym[7] = 0;
    int64_t asof = as_month_of(d), id = 0, started = x->now - 3 * 86400, value = 0;
    if ((rc = session(x, name, dept, "in_progress", d0, d1, started, 0, ym, &id, e)))
        return rc;
    for (int i = 0; i < n && !rc; i++) {
        value += v[i].value;
        int scan = rng_chance(&x->g, 600);
        int64_t at = scan ? started + 3600 + rng_below(&x->g, 2 * 86400) : 0;
        int64_t fr = scan ? v[i].room : 0, fc = scan ? v[i].cust : 0;
        const char *res = scan ? "found" : "pending";
        int confirmed = 0;
        if (scan && rng_chance(&x->g, 40) && (fr = other_room(v, n, i))) {
            res = "moved";
            confirmed = rng_chance(&x->g, 250);
        } else if (scan)
            fr = v[i].room;
        rc = line(x, id, dept, &v[i], res, fr, fc, at, confirmed, asof, e);
    }
    if (!rc && db_exec_ints(x->c,
                            "UPDATE stocktakes SET expected_count = ?, expected_value_fen = ? "
                            "WHERE tenant_id = ? AND id = ?",
                            DB_INTS(n, value, x->tenant, id), e) < 0)
        rc = -ERR_DB;
    return rc;
}

/* A surplus item of last year's session, registered as an asset. */
static int surplus(struct demo *x, int64_t stocktake, int64_t dept, const struct asset_row *like,
                   int year, int64_t at, int64_t asof, struct err *e)
{
    struct db_stmt *st;
    char code[AS_CODE_MAX + 1], acquired[16];
    snprintf(code, sizeof(code), "ZC%04d-900001", year);
    snprintf(acquired, sizeof(acquired), "%04d-12-01", year);
    int64_t cls = 0, cat = 0;
    int rc = db_prepare_ints(x->c,
                             "SELECT class_id, category_id FROM assets WHERE tenant_id = ? AND "
                             "id = ?",
                             DB_INTS(x->tenant, like->id), &st, e);
    if (rc)
        return rc;
    if ((rc = db_step(st, e)) == DB_ROW)
        cls = db_col_int(st, 0), cat = db_col_int(st, 1);
    db_reset(st);
    if (rc < 0 || !cls)
        return rc < 0 ? rc : 0;
    if ((rc = db_prepare(x->c,
                         "INSERT INTO assets (tenant_id, version, created_at, updated_at, "
                         "created_by, code, name, class_id, category_id, model, "
                         "original_value_fen, acquired_on, source, funding, useful_years, "
                         "department_id, custodian_id, room_id, status, condition, note) VALUES "
                         "(?, 1, ?, ?, ?, ?, '文件柜', ?, ?, '钢制四门', 180000, ?, 'surplus', "
                         "'fiscal', 15, ?, NULL, ?, 'in_use', 'fair', '盘盈：账外文件柜') "
                         "RETURNING id",
                         &st, e)))
        return rc;
    int k = 1;
    db_bind_int(st, k++, x->tenant);
    db_bind_int(st, k++, at);
    db_bind_int(st, k++, at);
    db_bind_int_or_null(st, k++, x->manager);
    db_bind_text(st, k++, code, strlen(code));
    db_bind_int(st, k++, cls);
    db_bind_int_or_null(st, k++, cat);
    db_bind_text(st, k++, acquired, strlen(acquired));
    db_bind_int(st, k++, dept);
    db_bind_int_or_null(st, k++, like->room);
    struct asset_row a = {.code = code, .acquired = acquired, .value = 180000, .years = 15};
    if ((rc = db_step(st, e)) == DB_ROW)
        a.id = db_col_int(st, 0);
    db_reset(st);
    if (rc < 0)
        return rc;
    a.room = 0; /* not expected anywhere */
    rc = line(x, stocktake, dept, &a, "surplus", like->room, 0, at, 1, asof, e);
    if (!rc && db_exec_ints(x->c,
                            "UPDATE stocktake_lines SET expected_room_id = NULL WHERE tenant_id "
                            "= ? AND stocktake_id = ? AND asset_id = ?",
                            DB_INTS(x->tenant, stocktake, a.id), e) < 0)
        rc = -ERR_DB;
    return rc;
}

static int finished(struct demo *x, int64_t dept, int64_t today, struct err *e)
{
    char d[16];
    date_format(today, d, sizeof(d));
    int year = 0;
    sscanf(d, "%4d", &year);
    year--;
    char cutoff[24], p0[24], p1[24], ym[24], name[160];
    snprintf(cutoff, sizeof(cutoff), "%04d-12-01", year);
    snprintf(p0, sizeof(p0), "%04d-12-01", year);
    snprintf(p1, sizeof(p1), "%04d-12-15", year);
    snprintf(ym, sizeof(ym), "%04d-12", year);
    struct asset_row *v;
    int n;
    int rc = assets_of(x, dept, cutoff, &v, &n, e);
    if (rc || n < 10)
        return rc;
    int64_t day0;
    date_parse(p0, 10, &day0);
    int64_t started = day0 * 86400 + 3600, done = started + 8 * 86400;
    int64_t asof = as_month_of(p0), id = 0;
    const char *dn = NULL;
    org_department_name(x->r, x->c, dept, &dn, e);
    snprintf(name, sizeof(name), "%04d年末资产盘点（%s）", year, dn ? dn : "");
    if ((rc = session(x, name, dept, "finished", p0, p1, started, done, ym, &id, e)))
        return rc;
    x->done = 1;
    int64_t value = 0, mval = 0, mnet = 0, found = 0, moved = 0, missing = 0;
    for (int i = 0; i < n && !rc; i++) {
        struct as_dep dep;
        as_depreciate(v[i].value, as_month_of(v[i].acquired), v[i].years, asof, -1, &dep);
        value += v[i].value;
        int64_t at = started + 1800 + rng_below(&x->g, 6 * 86400);
        if (i % (n / 4 + 1) == 3 && missing < 4) { /* a few not found */
            missing++;
            mval += v[i].value;
            mnet += dep.net;
            rc = line(x, id, dept, &v[i], "missing", 0, 0, 0, 0, asof, e);
        } else if (i % 29 == 5 && other_room(v, n, i)) {
            moved++;
            rc = line(x, id, dept, &v[i], "moved", other_room(v, n, i), v[i].cust, at, 1, asof, e);
        } else {
            found++;
            rc = line(x, id, dept, &v[i], "found", v[i].room, v[i].cust, at, 0, asof, e);
        }
    }
    if (!rc)
        rc = surplus(x, id, dept, &v[0], year, started + 2 * 86400, asof, e);
    if (!rc &&
        db_exec_ints(x->c,
                     "UPDATE stocktakes SET expected_count = ?, expected_value_fen = ?, "
                     "found_count = ?, moved_count = ?, missing_count = ?, "
                     "missing_value_fen = ?, missing_net_fen = ?, surplus_count = 1, "
                     "surplus_value_fen = 180000 WHERE tenant_id = ? AND id = ?",
                     DB_INTS(n, value, found, moved, missing, mval, mnet, x->tenant, id), e) < 0)
        rc = -ERR_DB;
    return rc;
}

int as_stocktake_demo(struct db_conn *c, int64_t tenant, uint64_t seed, struct err *e)
{
    struct arena *a = arena_new(16u << 20);
    struct req r;
    struct demo x = {.c = c, .tenant = tenant, .now = clock_now()};
    if (!a)
        return err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
    req_init_internal(&r, a, NULL, NULL);
    r.tenant_id = tenant;
    r.utc_offset_min = tenant_utc_offset(c, tenant, 480); /* the tenant's day */
    x.r = &r;
    x.g.s = seed ^ 0x570C7A4Eull;
    int64_t today = (x.now + r.utc_offset_min * 60) / 86400;
    struct identity_user u;
    struct org_dept_list depts;
    int rc = identity_user_id(&r, c, "assets_manager", &x.manager, e);
    if (!rc)
        rc = identity_user_id(&r, c, "liaison", &x.liaison, e);
    if (!rc && x.liaison)
        rc = identity_user(&r, c, x.liaison, &u, e);
    if (rc || !x.liaison || !u.department_id)
        goto out;
    if ((rc = in_progress(&x, u.department_id, today, e)) ||
        (rc = org_dept_list_load(&r, c, &depts, e)))
        goto out;
    /* last year's: the first other department without sub-departments */
    for (int i = 0; i < depts.n; i++) {
        int64_t d = depts.v[i].id;
        int leaf = 1;
        for (int j = 0; j < depts.n && leaf; j++)
            leaf = depts.v[j].parent_id != d;
        if (leaf && d != u.department_id && depts.v[i].parent_id &&
            (rc = finished(&x, d, today, e)))
            break;
        if (x.done)
            break;
    }
out:
    arena_free(a);
    return rc;
}
