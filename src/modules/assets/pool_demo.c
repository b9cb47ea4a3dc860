/* SPDX-License-Identifier: MIT
 * assets/pool_demo.c - the demo pool and disposals, after the register
 * (as_demo): about 300 of the idle assets handed in to the public property
 * pool with their conditions; a dozen reuses approved this year (each with
 * its transfer and the purchase it saved), a few requests pending, three
 * loans out (one overdue); approved disposals (old computers scrapped, desks
 * donated), one batch awaiting approval and one draft. Rows go in with
 * prepared INSERTs, as the register's do (demo data, not audited changes),
 * consistent with what the steps would have written.
 */
#include "assets.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../base/buf.h"
#include "../../base/rng.h"
#include "../../core/http.h"
#include "../../core/tenant.h"
#include "../../db/db.h"
#include "../identity/identity.h"

#include <stdio.h>
#include <string.h>

#define POOL_N 300
#define REUSED 12
#define PENDING 4
#define LOANS 3

struct pd {
    struct req *r;
    struct db_conn *c;
    int64_t tenant, now, today, manager, leader, liaison;
    struct rng g;
    int64_t ids[POOL_N], depts[POOL_N], orig[POOL_N];
    int n;
};

static const char *const conditions[] = {"good", "good", "good", "fair", "fair", "poor", "broken"};
static const char *const notes[] = {"九成新，功能正常", "外观轻微磨损",     "机构调整后闲置",
                                    "人员调离后闲置",   "更换新设备后闲置", NULL};

static int exec_text(struct pd *x, struct db_stmt *st, struct err *e)
{
    int rc = db_step(st, e);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* the idle assets, oldest first: the pool's stock */
static int pick_idle(struct pd *x, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare_ints(x->c,
                             "SELECT id, department_id, original_value_fen FROM assets WHERE "
                             "tenant_id = ? AND status = 'idle' ORDER BY id LIMIT 300",
                             DB_INTS(x->tenant), &st, e);
    if (rc)
        return rc;
    while ((rc = db_step(st, e)) == DB_ROW && x->n < POOL_N) {
        x->ids[x->n] = db_col_int(st, 0);
        x->depts[x->n] = db_col_int(st, 1);
        x->orig[x->n] = db_col_int(st, 2);
        x->n++;
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static int set_asset(struct pd *x, int64_t id, const char *status, int64_t dept,
                     const char *disposed_on, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(x->c,
                        "UPDATE assets SET status = ?, department_id = ?, disposed_on = ?, "
                        "version = version + 1, updated_at = ? WHERE tenant_id = ? AND id = ?",
                        &st, e);
    if (rc)
        return rc;
    db_bind_text(st, 1, status, strlen(status));
    db_bind_int(st, 2, dept);
    if (disposed_on)
        db_bind_text(st, 3, disposed_on, strlen(disposed_on));
    else
        db_bind_null(st, 3);
    db_bind_int(st, 4, x->now);
    db_bind_int(st, 5, x->tenant);
    db_bind_int(st, 6, id);
    return exec_text(x, st, e);
}

static int hand_in(struct pd *x, int i, struct err *e)
{
    const char *cond = conditions[rng_below(&x->g, 7)];
    const char *note = notes[rng_below(&x->g, 6)];
    int64_t at = x->now - (int64_t)rng_range(&x->g, 1, 400) * 86400;
    struct db_stmt *st;
    int rc = db_prepare(x->c,
                        "UPDATE assets SET status = 'pooled', condition = ? WHERE tenant_id = ? "
                        "AND id = ?",
                        &st, e);
    if (rc)
        return rc;
    db_bind_text(st, 1, cond, strlen(cond));
    db_bind_int(st, 2, x->tenant);
    db_bind_int(st, 3, x->ids[i]);
    if ((rc = exec_text(x, st, e)) ||
        (rc = db_prepare(x->c,
                         "INSERT INTO pool_items (tenant_id, version, created_at, updated_at, "
                         "created_by, asset_id, department_id, condition, note, status, "
                         "handed_in_by, handed_in_at) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, "
                         "'in_pool', ?, ?)",
                         &st, e)))
        return rc;
    db_bind_int(st, 1, x->tenant);
    db_bind_int(st, 2, at);
    db_bind_int(st, 3, at);
    db_bind_int_or_null(st, 4, x->manager);
    db_bind_int(st, 5, x->ids[i]);
    db_bind_int(st, 6, x->depts[i]);
    db_bind_text(st, 7, cond, strlen(cond));
    if (note)
        db_bind_text(st, 8, note, strlen(note));
    else
        db_bind_null(st, 8);
    db_bind_int_or_null(st, 9, x->manager);
    db_bind_int(st, 10, at);
    return exec_text(x, st, e);
}

/* The pool item of asset i is good or fair (one that is asked for). */
static int usable(struct pd *x, int i, struct err *e)
{
    int64_t n = 0;
    int rc = db_one_int(x->c,
                        "SELECT COUNT(*) FROM pool_items WHERE tenant_id = ? AND asset_id = ? AND "
                        "condition IN ('good', 'fair')",
                        DB_INTS(x->tenant, x->ids[i]), &n, e);
    return rc < 0 ? rc : (int)n;
}

/* Another department than the asset's: the next one by id. */
static int64_t other_dept(struct pd *x, int i)
{
    for (int k = 1; k < x->n; k++)
        if (x->depts[(i + k) % x->n] != x->depts[i])
            return x->depts[(i + k) % x->n];
    return x->depts[i];
}

static const char *const purposes[] = {"新进人员办公使用", "科室扩编添置", "会议室配套",
                                       "档案室整理使用", "替换损坏设备"};

static int request(struct pd *x, int i, const char *kind, const char *status, int64_t decided,
                   int64_t from, int64_t until, int64_t *id, struct err *e)
{
    char f[16], u[16];
    date_format(from, f, sizeof(f));
    date_format(until, u, sizeof(u));
    const char *purpose = !strcmp(kind, "loan") ? "专题活动临时借用" : purposes[i % 5];
    struct db_stmt *st;
    int rc = db_prepare(x->c,
                        "INSERT INTO pool_requests (tenant_id, version, created_at, updated_at, "
                        "created_by, asset_id, kind, department_id, requester_id, purpose, "
                        "needed_from, loan_until, saves_fen, status, decided_by, decided_at, "
                        "reminded_due, reminded_overdue, asset_code, asset_name) SELECT ?, 1, ?, "
                        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, code, name FROM assets "
                        "WHERE tenant_id = ? AND id = ? RETURNING id",
                        &st, e);
    if (rc)
        return rc;
    int64_t made = decided ? decided - 3 * 86400 : x->now - 86400;
    db_bind_int(st, 1, x->tenant);
    db_bind_int(st, 2, made);
    db_bind_int(st, 3, decided ? decided : made);
    db_bind_int_or_null(st, 4, x->liaison);
    db_bind_int(st, 5, x->ids[i]);
    db_bind_text(st, 6, kind, strlen(kind));
    db_bind_int(st, 7, other_dept(x, i));
    db_bind_int_or_null(st, 8, x->liaison);
    db_bind_text(st, 9, purpose, strlen(purpose));
    db_bind_text(st, 10, f, strlen(f));
    if (!strcmp(kind, "loan"))
        db_bind_text(st, 11, u, strlen(u));
    else
        db_bind_null(st, 11);
    if (!strcmp(kind, "reuse"))
        db_bind_int(st, 12, x->orig[i]);
    else
        db_bind_null(st, 12);
    db_bind_text(st, 13, status, strlen(status));
    if (decided) {
        db_bind_int_or_null(st, 14, x->manager);
        db_bind_int(st, 15, decided);
    } else {
        db_bind_null(st, 14);
        db_bind_null(st, 15);
    }
    db_bind_int(st, 16, x->tenant);
    db_bind_int(st, 17, x->ids[i]);
    if ((rc = db_step(st, e)) == DB_ROW)
        *id = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* A reuse approved on day decided: the asset moves, its transfer, the pool item left. */
static int reuse(struct pd *x, int i, int64_t decided, struct err *e)
{
    int64_t req = 0, to = other_dept(x, i);
    char d[16];
    date_format((decided + x->r->utc_offset_min * 60) / 86400, d, sizeof(d));
    int rc = request(x, i, "reuse", "approved", decided, (decided + x->r->utc_offset_min * 60) / 86400, 0, &req, e);
    if (rc || (rc = set_asset(x, x->ids[i], "in_use", to, NULL, e)))
        return rc;
    struct db_stmt *st;
    if ((rc = db_prepare(x->c,
                         "INSERT INTO asset_transfers (tenant_id, version, created_at, "
                         "updated_at, created_by, asset_id, kind, from_department_id, "
                         "to_department_id, transferred_on, reason, pool_request_id, by_id) "
                         "VALUES (?, 1, ?, ?, ?, ?, 'reuse', ?, ?, ?, ?, ?, ?)",
                         &st, e)))
        return rc;
    const char *why = "公物仓调剂";
    db_bind_int(st, 1, x->tenant);
    db_bind_int(st, 2, decided);
    db_bind_int(st, 3, decided);
    db_bind_int_or_null(st, 4, x->manager);
    db_bind_int(st, 5, x->ids[i]);
    db_bind_int(st, 6, x->depts[i]);
    db_bind_int(st, 7, to);
    db_bind_text(st, 8, d, strlen(d));
    db_bind_text(st, 9, why, strlen(why));
    db_bind_int(st, 10, req);
    db_bind_int_or_null(st, 11, x->manager);
    if ((rc = exec_text(x, st, e)))
        return rc;
    int64_t changed = db_exec_ints(x->c,
                                   "UPDATE pool_items SET status = 'reused', left_at = ? WHERE "
                                   "tenant_id = ? AND asset_id = ?",
                                   DB_INTS(decided, x->tenant, x->ids[i]), e);
    return changed < 0 ? (int)changed : 0;
}

/* ---- disposals ---- */

struct batch {
    const char *type, *reason, *recipient, *status, *class_code;
    int n, min_age_years;
};

static const struct batch batches[] = {
    {"scrap", "超过最低使用年限，性能落后且无维修价值（《行政事业性国有资产管理条例》第二十一条）",
     NULL, "approved", "A0201", 8, 7},
    {"donation", "机构改革后多余办公家具，捐赠对口帮扶村委会使用", "某镇某村村民委员会", "approved",
     "A0501", 4, 3},
    {"scrap", "打印复印设备老化，维修费用超过重置价值", NULL, "submitted", "A0202", 5, 6},
    {"scrap", "年度清理拟报废计算机", NULL, "draft", "A0201", 3, 7},
};

static int dispose(struct pd *x, const struct batch *b, int k, struct err *e)
{
    int64_t ids[16], orig[16], acq[16], yrs[16];
    const char *st_before[16];
    int n = 0;
    char cut[16], today[16];
    date_format(x->today - (int64_t)b->min_age_years * 365, cut, sizeof(cut));
    date_format(x->today, today, sizeof(today));
    struct db_stmt *st;
    int rc = db_prepare(x->c,
                        "SELECT a.id, a.original_value_fen, a.acquired_on, a.useful_years, "
                        "a.status FROM assets a JOIN asset_classes k ON k.tenant_id = "
                        "a.tenant_id AND k.id = a.class_id WHERE a.tenant_id = ? AND k.code = ? "
                        "AND a.status IN ('in_use', 'idle') AND a.acquired_on < ? ORDER BY "
                        "a.id LIMIT ?",
                        &st, e);
    if (rc)
        return rc;
    db_bind_int(st, 1, x->tenant);
    db_bind_text(st, 2, b->class_code, strlen(b->class_code));
    db_bind_text(st, 3, cut, strlen(cut));
    db_bind_int(st, 4, b->n + 40 * k); /* skip what earlier batches took */
    int64_t total = 0, net = 0, month = as_month_of(today);
    while ((rc = db_step(st, e)) == DB_ROW) {
        int64_t id = db_col_int(st, 0);
        int taken = 0;
        for (int i = 0; i < n; i++)
            taken |= ids[i] == id;
        int64_t in_other = 0;
        if (db_one_int(x->c,
                       "SELECT COUNT(*) FROM asset_disposal_items WHERE tenant_id = ? AND "
                       "asset_id = ?",
                       DB_INTS(x->tenant, id), &in_other, NULL) < 0)
            in_other = 1;
        if (taken || in_other || n >= b->n)
            continue;
        ids[n] = id;
        orig[n] = db_col_int(st, 1);
        acq[n] = as_month_of(db_col_text(st, 2, NULL));
        yrs[n] = db_col_int(st, 3);
        st_before[n] = arena_strdup(x->r->a, db_col_text(st, 4, NULL));
        n++;
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    if (!n)
        return 0;
    int64_t nets[16];
    for (int i = 0; i < n; i++) {
        struct as_dep dep;
        as_depreciate(orig[i], acq[i], (int)yrs[i], month, -1, &dep);
        nets[i] = dep.net;
        total += orig[i];
        net += dep.net;
    }
    int approved = !strcmp(b->status, "approved"), open = !approved;
    int submitted = approved || !strcmp(b->status, "submitted");
    int64_t t_sub = x->now - (approved ? 20 : 2) * 86400, t_dec = x->now - 10 * 86400;
    char disposed[16];
    date_format(x->today - 10, disposed, sizeof(disposed));
    struct buf ids_json;
    buf_init(&ids_json, x->r->a);
    buf_putc(&ids_json, '[');
    for (int i = 0; i < n; i++)
        buf_printf(&ids_json, "%s%lld", i ? "," : "", (long long)ids[i]);
    buf_putc(&ids_json, ']');
    enum as_band band =
        as_disposal_band(total, AS_DISPOSAL_LEADER_FROM_FEN, AS_DISPOSAL_SELF_MAX_FEN);
    const char *bn = band == AS_BAND_FINANCE  ? "finance"
                     : band == AS_BAND_LEADER ? "leader"
                                              : "manager";
    if ((rc = db_prepare(x->c,
                         "INSERT INTO asset_disposals (tenant_id, version, created_at, "
                         "updated_at, created_by, type, department_id, asset_ids, reason, "
                         "recipient, item_count, original_total_fen, net_total_fen, band, "
                         "status, submitted_by, submitted_at, decided_by, decided_at, "
                         "disposed_on) SELECT ?, 1, ?, ?, ?, ?, department_id, ?, ?, ?, ?, ?, ?, "
                         "?, ?, ?, ?, ?, ?, ? FROM assets WHERE tenant_id = ? AND id = ? "
                         "RETURNING id",
                         &st, e)))
        return rc;
    int p = 1;
    db_bind_int(st, p++, x->tenant);
    db_bind_int(st, p++, t_sub - 86400);
    db_bind_int(st, p++, approved ? t_dec : t_sub);
    db_bind_int_or_null(st, p++, x->manager);
    db_bind_text(st, p++, b->type, strlen(b->type));
    db_bind_text(st, p++, buf_cstr(&ids_json), ids_json.len);
    db_bind_text(st, p++, b->reason, strlen(b->reason));
    if (b->recipient)
        db_bind_text(st, p++, b->recipient, strlen(b->recipient));
    else
        db_bind_null(st, p++);
    db_bind_int(st, p++, n);
    db_bind_int(st, p++, total);
    db_bind_int(st, p++, net);
    db_bind_text(st, p++, bn, strlen(bn));
    db_bind_text(st, p++, b->status, strlen(b->status));
    if (submitted) {
        db_bind_int_or_null(st, p++, x->manager);
        db_bind_int(st, p++, t_sub);
    } else {
        db_bind_null(st, p++);
        db_bind_null(st, p++);
    }
    if (approved) {
        db_bind_int_or_null(st, p++, x->leader);
        db_bind_int(st, p++, t_dec);
        db_bind_text(st, p++, disposed, strlen(disposed));
    } else {
        db_bind_null(st, p++);
        db_bind_null(st, p++);
        db_bind_null(st, p++);
    }
    db_bind_int(st, p++, x->tenant);
    db_bind_int(st, p++, ids[0]);
    int64_t did = 0;
    if ((rc = db_step(st, e)) == DB_ROW)
        did = db_col_int(st, 0);
    db_reset(st);
    if (rc < 0)
        return rc;
    rc = 0;
    for (int i = 0; i < n && !rc; i++) {
        if ((rc = db_prepare(x->c,
                             "INSERT INTO asset_disposal_items (tenant_id, version, created_at, "
                             "updated_at, created_by, disposal_id, asset_id, original_value_fen, "
                             "net_value_fen, status_before) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?)",
                             &st, e)))
            break;
        db_bind_int(st, 1, x->tenant);
        db_bind_int(st, 2, t_sub - 86400);
        db_bind_int(st, 3, t_sub - 86400);
        db_bind_int_or_null(st, 4, x->manager);
        db_bind_int(st, 5, did);
        db_bind_int(st, 6, ids[i]);
        db_bind_int(st, 7, orig[i]);
        db_bind_int(st, 8, nets[i]);
        db_bind_text(st, 9, st_before[i], strlen(st_before[i]));
        if ((rc = exec_text(x, st, e)))
            break;
        if (approved || (open && submitted)) {
            struct db_stmt *u;
            const char *to = approved ? "disposed" : "awaiting_disposal";
            if ((rc = db_prepare(x->c,
                                 "UPDATE assets SET status = ?, disposed_on = ?, version = "
                                 "version + 1 WHERE tenant_id = ? AND id = ?",
                                 &u, e)))
                break;
            db_bind_text(u, 1, to, strlen(to));
            if (approved)
                db_bind_text(u, 2, disposed, strlen(disposed));
            else
                db_bind_null(u, 2);
            db_bind_int(u, 3, x->tenant);
            db_bind_int(u, 4, ids[i]);
            rc = exec_text(x, u, e);
        }
    }
    return rc;
}

int as_pool_demo(struct db_conn *c, int64_t tenant, uint64_t seed, struct err *e)
{
    struct arena *a = arena_new(4u << 20);
    struct req r;
    struct pd *x = a ? arena_zalloc(a, sizeof(*x)) : NULL;
    int rc = 0;
    if (!x) {
        arena_free(a);
        return err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
    }
    req_init_internal(&r, a, NULL, NULL);
    r.tenant_id = tenant;
    r.utc_offset_min = tenant_utc_offset(c, tenant, 480); /* the tenant's day */
    x->r = &r;
    x->c = c;
    x->tenant = tenant;
    x->now = clock_now();
    x->today = (x->now + r.utc_offset_min * 60) / 86400;
    x->g.s = seed ^ 0x9001ull;
    if ((rc = identity_user_id(&r, c, "assets_manager", &x->manager, e)) ||
        (rc = identity_user_id(&r, c, "leader", &x->leader, e)) ||
        (rc = identity_user_id(&r, c, "liaison", &x->liaison, e)) || (rc = pick_idle(x, e)))
        goto out;
    for (int i = 0; i < x->n && !rc; i++)
        rc = hand_in(x, i, e);
    /* this year's reuses, pending requests and loans: usable items only */
    char jan[16];
    date_format(x->today, jan, sizeof(jan));
    memcpy(jan + 5, "01-01", 6);
    int64_t y0 = 0;
    date_parse(jan, 10, &y0);
    int reused = 0, pending = 0, loans = 0;
    static const int loan_due[LOANS] = {12, 2, -6};
    for (int i = x->n - 1; i >= 0 && !rc && (reused < REUSED || pending < PENDING || loans < LOANS);
         i--) {
        int u = usable(x, i, e);
        if (u < 0) {
            rc = u;
            break;
        }
        if (!u)
            continue;
        int64_t id = 0;
        if (reused < REUSED) {
            int64_t span = x->now - (y0 * 86400 - x->r->utc_offset_min * 60);
            int64_t at = y0 * 86400 - x->r->utc_offset_min * 60 + span * (reused + 1) / (REUSED + 1);
            rc = reuse(x, i, at, e);
            reused++;
        } else if (pending < PENDING) {
            rc = request(x, i, "reuse", "pending", 0, x->today + 3, 0, &id, e);
            pending++;
        } else {
            int64_t due = x->today + loan_due[loans];
            rc = request(x, i, "loan", "approved", x->now - 20 * 86400, due - 20, due, &id, e);
            int64_t changed = rc ? 0
                                 : db_exec_ints(c,
                                                "UPDATE assets SET status = 'lent' WHERE "
                                                "tenant_id = ? AND id = ?",
                                                DB_INTS(tenant, x->ids[i]), e);
            if (changed < 0)
                rc = (int)changed;
            loans++;
        }
    }
    for (size_t k = 0; k < sizeof(batches) / sizeof(batches[0]) && !rc; k++)
        rc = dispose(x, &batches[k], (int)k, e);
out:
    arena_free(a);
    return rc;
}
