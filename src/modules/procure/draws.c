/* SPDX-License-Identifier: MIT
 * procure/draws.c - the committee's draw (docs/modules/procurement-
 * committee.md):
 *
 *   - a draw (expert_draws) is prepared for a project with the committee's
 *     size and the purchaser's representatives, checked against the lawful
 *     minimum (87号令 第47条; 法 第38、40条; pc_setting);
 *   - its step "draw" (from the bid deadline on, the project bidding,
 *     opening or in evaluation) takes the witnesses' value, makes the pool
 *     (active experts of the specialty, less those recused for a relation
 *     with a bidder within recusal_years before the draw day, less those
 *     drawn for the same purchaser within recent_draw_months), its hash, the
 *     seed and the order (draw.c), and invites the first experts down the
 *     order;
 *   - a member's steps: confirm; decline (the next in the order is invited:
 *     补抽 goes further down the same order); the committee is formed when
 *     as many experts as it needs have confirmed;
 *   - who was drawn is in hidden fields only: the records show counts and
 *     positions; GET /api/v1/expert_draws/{id}/public answers the inputs,
 *     the pool, the order and the committee's names once the project's
 *     result is published, and `bureau procure verify-draw` recomputes it.
 */
#include "committee.h"
#include "committee_int.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/buf.h"
#include "../../base/err.h"
#include "../../core/config.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../engine/record.h"
#include "../../engine/report.h"
#include "../../engine/rest.h"
#include "../../engine/workflow.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pc_published(const char *s)
{
    static const char *const after[] = {"result_publicity", "complaint_window", "contract",
                                        "performance",      "closed",           NULL};
    for (int i = 0; s && after[i]; i++)
        if (!strcmp(s, after[i]))
            return 1;
    return 0;
}

/* ---- scopes ---- */

int pc_assigned_user(struct req *r, struct db_conn *c, int64_t **ids, int *n, struct err *e)
{
    (void)c;
    int64_t *v = arena_alloc(r->a, sizeof(*v));
    if (!v)
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    v[0] = r->user_id > 0 ? r->user_id : -1;
    *ids = v;
    *n = 1;
    return 0;
}

#define MAX_PROJECTS 2000

int pc_assigned_projects(struct req *r, struct db_conn *c, int64_t **ids, int *n, struct err *e)
{
    int64_t *v = arena_alloc(r->a, sizeof(*v) * MAX_PROJECTS);
    struct db_stmt *st;
    int rc, k = 0;
    if (!v)
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    if ((rc = db_prepare_ints(c,
                              "SELECT DISTINCT project_id FROM expert_draw_members WHERE "
                              "tenant_id = ? AND expert_user_id = ? AND status = 'confirmed'",
                              DB_INTS(r->tenant_id, r->user_id > 0 ? r->user_id : -1), &st, e)))
        return rc;
    while (k < MAX_PROJECTS && (rc = db_step(st, e)) == DB_ROW)
        v[k++] = db_col_int(st, 0);
    db_reset(st);
    if (rc < 0)
        return rc;
    if (!k)
        v[k++] = -1;
    *ids = v;
    *n = k;
    return 0;
}

/* ---- the project, as the committee reads it ---- */

struct project {
    char status[32], method[40], evalm[24];
    int64_t budget, deadline, dept, weight;
};

static int load_project(struct req *r, struct db_conn *c, int64_t id, struct project *p,
                        struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare_ints(c,
                             "SELECT status, method, budget_fen, bid_deadline, department_id, "
                             "evaluation_method, price_weight_pct FROM procurement_projects "
                             "WHERE tenant_id = ? AND id = ?",
                             DB_INTS(r->tenant_id, id), &st, e);
    if (rc)
        return rc;
    memset(p, 0, sizeof(*p));
    if ((rc = db_step(st, e)) == DB_ROW) {
        snprintf(p->status, sizeof(p->status), "%s", db_col_text(st, 0, NULL));
        snprintf(p->method, sizeof(p->method), "%s", db_col_text(st, 1, NULL));
        p->budget = db_col_int(st, 2);
        p->deadline = db_col_int(st, 3);
        p->dept = db_col_int(st, 4);
        snprintf(p->evalm, sizeof(p->evalm), "%s", db_col_text(st, 5, NULL));
        p->weight = db_col_int(st, 6);
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    return rc == DB_ROW ? 0
                        : err_set(e, ERR_NOT_FOUND, "project_id", "procure.draw.no_project",
                                  "no project {id}%lld", (long long)id);
}

int pc_project_read(struct req *r, struct db_conn *c, int64_t id, char *status, size_t sn,
                    char *evalm, size_t en, int64_t *weight, struct err *e)
{
    struct project p;
    int rc = load_project(r, c, id, &p, e);
    if (rc)
        return rc;
    snprintf(status, sn, "%s", p.status);
    snprintf(evalm, en, "%s", p.evalm);
    *weight = p.weight;
    return 0;
}

/* ---- preparing a draw ---- */

int pc_draw_before_write(struct res_write *w)
{
    struct req *r = w->r;
    if (!w->rec || r->server_write)
        return 0;
    if (w->old && !wf_is(wf_str(w->old, "status"), "prepared"))
        return err_set(w->e, ERR_CONFLICT, NULL, "procure.draw.done",
                       "draw {id}%lld is {status}%s: only a prepared draw may be changed",
                       (long long)w->id, wf_str(w->old, "status"));
    struct project p;
    int rc = load_project(r, w->c, wf_int(w->rec, "project_id"), &p, w->e);
    if (rc)
        return rc;
    int n = (int)wf_int(w->rec, "members_n"), reps = (int)wf_int(w->rec, "reps_n");
    int min =
        pc_committee_min(p.method, p.budget, pc_setting(r, w->c, "committee_min", PC_COMMITTEE_MIN),
                         pc_setting(r, w->c, "committee_min_large", PC_COMMITTEE_MIN_LARGE),
                         pc_setting(r, w->c, "committee_large_fen", PC_COMMITTEE_LARGE_FEN),
                         pc_setting(r, w->c, "committee_min_other", PC_COMMITTEE_MIN_OTHER));
    switch (pc_committee_check(n, reps, min)) {
    case 1:
        err_field(w->e, "members_n", "procure.draw.size_min",
                  "a committee of {n}%d is below the minimum {min}%d for this project", n, min);
        break;
    case 2:
        err_field(w->e, "members_n", "procure.draw.size_odd",
                  "a committee has an odd number of members, not {n}%d", n);
        break;
    case 3:
        err_field(w->e, "reps_n", "procure.draw.experts_share",
                  "{experts}%d experts of {n}%d members is under two thirds", n - reps, n);
        break;
    }
    if (w->e->nitems)
        return err_invalid(w->e);
    json_object_set_new(w->rec, "experts_n", json_integer(n - reps));
    return 0;
}

/* ---- the draw ---- */

struct pool {
    int64_t *ids, *vers, *users;
    char *out; /* 1: recused or drawn recently */
    size_t n;
};

static void pool_free(struct pool *p)
{
    core_free(p->ids);
    core_free(p->vers);
    core_free(p->users);
    core_free(p->out);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static ptrdiff_t find(const struct pool *p, int64_t id)
{
    const int64_t *at = bsearch(&id, p->ids, p->n, sizeof(int64_t), cmp_i64);
    return at ? at - p->ids : -1;
}

static int64_t day_of(const char *s)
{
    int64_t d = -1;
    return s && *s && !date_parse(s, strlen(s), &d) ? d : -1;
}

/* The active experts of the specialty, ascending id. */
static int load_specialists(struct req *r, struct db_conn *c, const char *spec, struct pool *p,
                            struct err *e)
{
    struct db_stmt *st;
    size_t cap = 256;
    int rc = db_prepare_ints(c,
                             "SELECT id, version, user_id FROM experts WHERE tenant_id = ? AND "
                             "status = 'active' AND (',' || specialties || ',') LIKE ? ORDER BY id",
                             DB_INTS(r->tenant_id), &st, e);
    if (rc)
        return rc;
    char like[64];
    snprintf(like, sizeof(like), "%%,%s,%%", spec);
    db_bind_text(st, 2, like, strlen(like));
    p->ids = core_malloc(cap * sizeof(int64_t));
    p->vers = core_malloc(cap * sizeof(int64_t));
    p->users = core_malloc(cap * sizeof(int64_t));
    while ((rc = db_step(st, e)) == DB_ROW) {
        if (p->n == cap) {
            cap *= 2;
            int64_t *a = core_realloc(p->ids, cap * sizeof(int64_t));
            if (a)
                p->ids = a;
            int64_t *b = core_realloc(p->vers, cap * sizeof(int64_t));
            if (b)
                p->vers = b;
            int64_t *u = core_realloc(p->users, cap * sizeof(int64_t));
            if (u)
                p->users = u;
            if (!a || !b || !u)
                break;
        }
        if (!p->ids || !p->vers || !p->users)
            break;
        p->ids[p->n] = db_col_int(st, 0);
        p->vers[p->n] = db_col_int(st, 1);
        p->users[p->n] = db_col_int(st, 2);
        p->n++;
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    if (!p->ids || !p->vers || !p->users || rc == DB_ROW)
        return err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
    p->out = core_malloc(p->n + 1);
    if (p->out)
        memset(p->out, 0, p->n + 1);
    return p->out ? 0 : err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
}

/* Recusal: relations with the project's bidders (by supplier or USCC)
 * reaching within `years` before day. Returns the number recused. */
static int recuse(struct req *r, struct db_conn *c, int64_t project, int64_t day, int years,
                  struct pool *p, int *recused, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare_ints(
        c,
        "SELECT rel.expert_id, rel.to_date FROM expert_relations rel WHERE rel.tenant_id = ? AND "
        "(rel.supplier_id IN (SELECT b.supplier_id FROM bids b WHERE b.tenant_id = ? AND "
        "b.project_id = ? AND b.status NOT IN ('withdrawn', 'replaced')) OR rel.uscc IN (SELECT "
        "s.uscc FROM bids b JOIN suppliers s ON s.tenant_id = b.tenant_id AND s.id = "
        "b.supplier_id WHERE b.tenant_id = ? AND b.project_id = ? AND b.status NOT IN "
        "('withdrawn', 'replaced') AND s.uscc IS NOT NULL))",
        DB_INTS(r->tenant_id, r->tenant_id, project, r->tenant_id, project), &st, e);
    if (rc)
        return rc;
    *recused = 0;
    while ((rc = db_step(st, e)) == DB_ROW) {
        ptrdiff_t i = find(p, db_col_int(st, 0));
        if (i < 0 || p->out[i])
            continue;
        if (pc_recused(day_of(db_col_text(st, 1, NULL)), day, years)) {
            p->out[i] = 1;
            ++*recused;
        }
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static int count_bidders(struct req *r, struct db_conn *c, int64_t project, int64_t *n,
                         struct err *e)
{
    return pc_one(c,
                  "SELECT COUNT(DISTINCT supplier_id) FROM bids WHERE tenant_id = ? AND "
                  "project_id = ? AND status NOT IN ('withdrawn', 'replaced')",
                  DB_INTS(r->tenant_id, project), n, e);
}

/* The first day `months` months before day (the day of the month clamped). */
static int64_t months_before(int64_t day, int months)
{
    char s[48];
    int y, m, d;
    date_format(day, s, sizeof(s));
    if (sscanf(s, "%d-%d-%d", &y, &m, &d) != 3)
        return day;
    m -= months;
    while (m < 1) {
        m += 12;
        y--;
    }
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int last = mdays[m - 1] + (m == 2 && leap);
    if (d > last)
        d = last;
    snprintf(s, sizeof(s), "%04d-%02d-%02d", y, m, d);
    int64_t out = day;
    date_parse(s, strlen(s), &out);
    return out;
}

static int recent(struct req *r, struct db_conn *c, int64_t draw, int64_t dept, int64_t day,
                  int months, struct pool *p, int *n, struct err *e)
{
    *n = 0;
    if (months <= 0)
        return 0;
    char since[16];
    date_format(months_before(day, months), since, sizeof(since));
    struct db_stmt *st;
    int rc = db_prepare_ints(
        c,
        "SELECT m.expert_id FROM expert_draw_members m JOIN expert_draws d ON d.tenant_id = "
        "m.tenant_id AND d.id = m.draw_id JOIN procurement_projects pr ON pr.tenant_id = "
        "d.tenant_id AND pr.id = d.project_id WHERE m.tenant_id = ? AND m.status = 'confirmed' "
        "AND d.id <> ? AND pr.department_id = ? AND d.draw_day >= ?",
        DB_INTS(r->tenant_id, draw, dept), &st, e);
    if (rc)
        return rc;
    db_bind_text(st, 4, since, strlen(since));
    while ((rc = db_step(st, e)) == DB_ROW) {
        ptrdiff_t i = find(p, db_col_int(st, 0));
        if (i >= 0 && !p->out[i]) {
            p->out[i] = 1;
            ++*n;
        }
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* Invites the expert at position seq (1-based) of the order. */
static int invite(struct req *r, struct db_conn *c, int64_t draw, int64_t project, int seq,
                  int64_t expert, int64_t user, struct err *e)
{
    int64_t id;
    json_t *rec = json_pack("{s:I,s:I,s:i,s:s,s:o,s:I}", "draw_id", (json_int_t)draw, "project_id",
                            (json_int_t)project, "seq", seq, "status", "invited", "invited_at",
                            wf_time_json(r, clock_now()), "expert_id", (json_int_t)expert);
    if (rec && user)
        json_object_set_new(rec, "expert_user_id", json_integer(user));
    return wf_create(r, c, &pc_members, rec, &id, e);
}

int pc_draw_lock(struct wf *w)
{
    int rc = rec_lock(w->r, w->c, &pc_projects, wf_int(w->rec, "project_id"), &w->r->err);
    return rc > 0 ? 0 : rc;
}

int pc_draw_check(struct wf *w)
{
    struct req *r = w->r;
    struct db_conn *c = w->c;
    int64_t project = wf_int(w->rec, "project_id");
    struct project p;
    int rc = load_project(r, c, project, &p, &r->err);
    if (rc)
        return rc;
    if (!wf_is(p.status, "bidding") && !wf_is(p.status, "opening") &&
        !wf_is(p.status, "evaluation"))
        return wf_conflict(w, "procure.draw.project_state",
                           "the project is {status}%s: a committee is drawn from the bid "
                           "deadline until the evaluation",
                           p.status);
    int64_t now = clock_now();
    if (!p.deadline || now < p.deadline) {
        char dl[40];
        time_format_rfc3339(p.deadline, r->utc_offset_min, dl, sizeof(dl));
        return wf_conflict(w, "procure.draw.before_deadline",
                           "the bids close at {deadline}%s: the draw comes after", dl);
    }
    int64_t other = 0;
    if ((rc = pc_one(c,
                     "SELECT id FROM expert_draws WHERE tenant_id = ? AND project_id = ? AND id "
                     "<> ? AND status IN ('drawn', 'formed')",
                     DB_INTS(r->tenant_id, project, w->id), &other, &r->err)))
        return rc;
    if (other)
        return wf_conflict(w, "procure.draw.exists",
                           "the project's committee is drawn already (draw {draw}%lld): a "
                           "decline goes down its order",
                           (long long)other);
    int64_t day = report_today(r), bidders = 0;
    int years = (int)pc_setting(r, c, "recusal_years", PC_RECUSAL_YEARS);
    int months = (int)pc_setting(r, c, "recent_draw_months", PC_RECENT_DRAW_MONTHS);
    int experts = (int)wf_int(w->rec, "experts_n"), nrec = 0, nrecent = 0;
    struct pool pool = {0};
    const char *spec = wf_str(w->rec, "specialty");
    if ((rc = load_specialists(r, c, spec ? spec : "", &pool, &r->err)) ||
        (rc = count_bidders(r, c, project, &bidders, &r->err)) ||
        (rc = recuse(r, c, project, day, years, &pool, &nrec, &r->err)) ||
        (rc = recent(r, c, w->id, p.dept, day, months, &pool, &nrecent, &r->err))) {
        pool_free(&pool);
        return rc;
    }
    /* the eligible, ascending id */
    size_t m = 0;
    struct pc_pool_entry *elig = core_malloc(sizeof(*elig) * (pool.n + 1));
    int64_t *order = core_malloc(sizeof(int64_t) * (pool.n + 1));
    if (!elig || !order) {
        core_free(elig);
        core_free(order);
        pool_free(&pool);
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "out of memory");
    }
    for (size_t i = 0; i < pool.n; i++)
        if (!pool.out[i]) {
            elig[m].id = pool.ids[i];
            elig[m].version = pool.vers[i];
            order[m] = pool.ids[i];
            m++;
        }
    if ((int)m < experts) {
        core_free(elig);
        core_free(order);
        pool_free(&pool);
        return wf_conflict(w, "procure.draw.pool_short",
                           "{eligible}%d experts of {specialty}%s are eligible ({recused}%d "
                           "recused), {needed}%d needed",
                           (int)m, spec ? spec : "", nrec, experts);
    }
    char hex[65], shex[65];
    unsigned char seed[32];
    const char *witness = wf_str(w->body, "witness");
    pc_pool_hash(elig, m, hex);
    pc_draw_seed(project, hex, witness, seed);
    pc_hex32(seed, shex);
    pc_draw_order(seed, order, m);
    /* the pool and the order as JSON text, written by the step's .then (a
     * direct UPDATE: 10,000 entries are not worth the generic write's passes) */
    struct buf jp, jo;
    buf_init(&jp, r->a);
    buf_init(&jo, r->a);
    buf_putc(&jp, '[');
    buf_putc(&jo, '[');
    for (size_t i = 0; i < m; i++) {
        if (i) {
            buf_putc(&jp, ',');
            buf_putc(&jo, ',');
        }
        buf_putc(&jp, '[');
        buf_i64(&jp, elig[i].id);
        buf_putc(&jp, ',');
        buf_i64(&jp, elig[i].version);
        buf_putc(&jp, ']');
        buf_i64(&jo, order[i]);
    }
    buf_putc(&jp, ']');
    buf_putc(&jo, ']');
    if (!buf_ok(&jp) || !buf_ok(&jo)) {
        core_free(elig);
        core_free(order);
        pool_free(&pool);
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    }
    w->other =
        report_keep(r, json_pack("{s:s,s:s}", "pool", buf_cstr(&jp), "order", buf_cstr(&jo)));
    char dd[16];
    date_format(day, dd, sizeof(dd));
    json_object_update(
        w->patch,
        report_keep(r, json_pack("{s:s,s:s,s:s,s:s,s:I,s:i,s:i,s:i,s:i,s:i,s:i,s:i}", "witness",
                                 witness, "seed_hex", shex, "pool_sha256", hex, "draw_day", dd,
                                 "bidders_n", (json_int_t)bidders, "specialists_n", (int)pool.n,
                                 "recused_n", nrec, "recent_n", nrecent, "pool_n", (int)m,
                                 "invited_n", experts, "confirmed_n", 0, "declined_n", 0)));
    for (int i = 0; !rc && i < experts; i++) {
        ptrdiff_t k = find(&pool, order[i]);
        rc = invite(r, c, w->id, project, i + 1, order[i], k >= 0 ? pool.users[k] : 0, &r->err);
    }
    core_free(elig);
    core_free(order);
    pool_free(&pool);
    return rc;
}

int pc_draw_then(struct wf *w)
{
    struct db_stmt *st;
    const char *pool = wf_str(w->other, "pool"), *order = wf_str(w->other, "order");
    if (!pool || !order)
        return err_set(&w->r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    int rc = db_prepare(w->c,
                        "UPDATE expert_draws SET pool = ?, order_ids = ? WHERE tenant_id = ? AND "
                        "id = ?",
                        &st, &w->r->err);
    if (rc)
        return rc;
    db_bind_text(st, 1, pool, strlen(pool));
    db_bind_text(st, 2, order, strlen(order));
    db_bind_int(st, 3, w->r->tenant_id);
    db_bind_int(st, 4, w->id);
    rc = db_step(st, &w->r->err);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* ---- the members' answers ---- */

/* The member's own login, from the hidden field. */
static int member_user(struct wf *w, int64_t *user, int64_t *draw)
{
    struct db_stmt *st;
    int rc = db_prepare_ints(w->c,
                             "SELECT expert_user_id, draw_id FROM expert_draw_members WHERE "
                             "tenant_id = ? AND id = ?",
                             DB_INTS(w->r->tenant_id, w->id), &st, &w->r->err);
    if (rc)
        return rc;
    *user = *draw = 0;
    if ((rc = db_step(st, &w->r->err)) == DB_ROW) {
        *user = db_col_int(st, 0);
        *draw = db_col_int(st, 1);
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int pc_member_own(struct wf *w)
{
    int64_t user, draw;
    int rc = member_user(w, &user, &draw);
    if (rc)
        return rc;
    if (!user || user != w->r->user_id)
        return wf_conflict(w, "procure.member.not_you",
                           "only the drawn expert answers their own invitation");
    return 0;
}

/* The step's write as the server's (pc_anon_begin) once its checks pass;
 * .then gives the caller back (kept in w->other meanwhile). */
void pc_member_anon(struct wf *w)
{
    struct pc_anon s = pc_anon_begin(w->r);
    w->other = report_keep(
        w->r, json_pack("{s:I,s:s?}", "user_id", (json_int_t)s.user_id, "user", s.user));
}

void pc_member_unanon(struct wf *w)
{
    if (!w->r->user_id && w->other) {
        struct pc_anon s = {wf_int(w->other, "user_id"), wf_str(w->other, "user")};
        pc_anon_end(w->r, s);
    }
}

int pc_member_answer_check(struct wf *w)
{
    int rc = pc_member_own(w);
    if (!rc)
        pc_member_anon(w);
    return rc;
}

/* The draw's counts again, the next invitation after a decline, and the
 * draw's status: formed when enough confirmed, short when the order ran
 * out. */
static int settle(struct req *r, struct db_conn *c, int64_t draw, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare_ints(c,
                             "SELECT project_id, experts_n, order_ids, status FROM expert_draws "
                             "WHERE tenant_id = ? AND id = ?",
                             DB_INTS(r->tenant_id, draw), &st, e);
    if (rc)
        return rc;
    int64_t project = 0, experts = 0;
    json_t *order = NULL;
    if ((rc = db_step(st, e)) == DB_ROW) {
        project = db_col_int(st, 0);
        experts = db_col_int(st, 1);
        json_error_t je;
        order = report_keep(r, json_loads(db_col_text(st, 2, NULL), 0, &je));
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    int64_t invited = 0, confirmed = 0, declined = 0;
    if ((rc = pc_one(c,
                     "SELECT COUNT(*) FROM expert_draw_members WHERE tenant_id = ? AND "
                     "draw_id = ?",
                     DB_INTS(r->tenant_id, draw), &invited, e)) ||
        (rc = pc_one(c,
                     "SELECT COUNT(*) FROM expert_draw_members WHERE tenant_id = ? AND "
                     "draw_id = ? AND status = 'confirmed'",
                     DB_INTS(r->tenant_id, draw), &confirmed, e)) ||
        (rc = pc_one(c,
                     "SELECT COUNT(*) FROM expert_draw_members WHERE tenant_id = ? AND "
                     "draw_id = ? AND status = 'declined'",
                     DB_INTS(r->tenant_id, draw), &declined, e)))
        return rc;
    /* open invitations + confirmed short of the committee: the next ones */
    int64_t open = invited - confirmed - declined;
    while (confirmed + open < experts && (size_t)invited < json_array_size(order)) {
        int64_t expert = json_integer_value(json_array_get(order, (size_t)invited)), user = 0;
        if ((rc = pc_one(c, "SELECT user_id FROM experts WHERE tenant_id = ? AND id = ?",
                         DB_INTS(r->tenant_id, expert), &user, e)) ||
            (rc = invite(r, c, draw, project, (int)invited + 1, expert, user, e)))
            return rc;
        invited++;
        open++;
    }
    const char *status = confirmed >= experts         ? "formed"
                         : confirmed + open < experts ? "short"
                                                      : "drawn";
    return wf_update(r, c, &pc_draws, draw,
                     json_pack("{s:s,s:I,s:I,s:I}", "status", status, "invited_n",
                               (json_int_t)invited, "confirmed_n", (json_int_t)confirmed,
                               "declined_n", (json_int_t)declined),
                     e);
}

int pc_member_answered(struct wf *w)
{
    int64_t user, draw;
    int rc = member_user(w, &user, &draw);
    if (!rc)
        rc = settle(w->r, w->c, draw, &w->r->err); /* as the server still */
    pc_member_unanon(w);
    return rc;
}

/* ---- the public verification document ---- */

int pc_draw_public(struct req *r)
{
    int64_t id;
    struct db_conn *c;
    int rc = rest_record(r, &pc_draws, "read", &id, &c, NULL);
    if (rc)
        return rc;
    struct db_stmt *st;
    if ((rc = db_prepare_ints(c,
                              "SELECT project_id, specialty, members_n, reps_n, experts_n, "
                              "status, draw_day, bidders_n, specialists_n, recused_n, recent_n, "
                              "pool_n, pool_sha256, invited_n, confirmed_n, declined_n, witness, "
                              "seed_hex, pool, order_ids FROM expert_draws WHERE tenant_id = ? "
                              "AND id = ?",
                              DB_INTS(r->tenant_id, id), &st, &r->err)))
        return rc;
    json_t *doc = NULL;
    int64_t project = 0;
    if ((rc = db_step(st, &r->err)) == DB_ROW) {
        project = db_col_int(st, 0);
        doc = json_pack(
            "{s:I,s:I,s:s,s:I,s:I,s:I,s:s,s:o,s:I,s:I,s:I,s:I,s:I,s:o,s:I,s:I,s:I}", "draw_id",
            (json_int_t)id, "project_id", (json_int_t)project, "specialty",
            db_col_text(st, 1, NULL), "members_n", (json_int_t)db_col_int(st, 2), "reps_n",
            (json_int_t)db_col_int(st, 3), "experts_n", (json_int_t)db_col_int(st, 4), "status",
            db_col_text(st, 5, NULL), "draw_day",
            report_str(db_col_is_null(st, 6) ? NULL : db_col_text(st, 6, NULL)), "bidders_n",
            (json_int_t)db_col_int(st, 7), "specialists_n", (json_int_t)db_col_int(st, 8),
            "recused_n", (json_int_t)db_col_int(st, 9), "recent_n", (json_int_t)db_col_int(st, 10),
            "pool_n", (json_int_t)db_col_int(st, 11), "pool_sha256",
            report_str(db_col_is_null(st, 12) ? NULL : db_col_text(st, 12, NULL)), "invited_n",
            (json_int_t)db_col_int(st, 13), "confirmed_n", (json_int_t)db_col_int(st, 14),
            "declined_n", (json_int_t)db_col_int(st, 15));
        if (doc && !db_col_is_null(st, 16)) {
            json_error_t je;
            json_object_set_new(doc, "witness", json_string(db_col_text(st, 16, NULL)));
            json_object_set_new(doc, "seed_sha256", json_string(db_col_text(st, 17, NULL)));
            json_object_set_new(doc, "pool", json_loads(db_col_text(st, 18, NULL), 0, &je));
            json_object_set_new(doc, "order", json_loads(db_col_text(st, 19, NULL), 0, &je));
        }
    }
    db_reset(st);
    if (rc < 0 || !doc) {
        json_decref(doc);
        return rc < 0 ? rc : err_set(&r->err, ERR_NOT_FOUND, NULL, NULL, "no such draw");
    }
    doc = report_keep(r, doc);
    char status[32] = "", evalm[24];
    int64_t weight;
    if ((rc = pc_project_read(r, c, project, status, sizeof(status), evalm, sizeof(evalm), &weight,
                              &r->err)))
        return rc;
    int open = pc_published(status);
    json_object_set_new(doc, "published", json_boolean(open));
    json_object_set_new(doc, "procedure",
                        json_string("docs/modules/procurement.md#the-draw-byte-by-byte"));
    if (!open) {
        /* the inputs that would let anyone compute the order stay secret */
        json_object_del(doc, "witness");
        json_object_del(doc, "seed_sha256");
        json_object_del(doc, "pool");
        json_object_del(doc, "order");
        return report_send(r, json_incref(doc));
    }
    json_t *members = json_array();
    json_object_set_new(doc, "members", members);
    if ((rc = db_prepare_ints(c,
                              "SELECT m.seq, m.status, m.expert_id, e.name, e.employer FROM "
                              "expert_draw_members m JOIN experts e ON e.tenant_id = m.tenant_id "
                              "AND e.id = m.expert_id WHERE m.tenant_id = ? AND m.draw_id = ? "
                              "ORDER BY m.seq",
                              DB_INTS(r->tenant_id, id), &st, &r->err)))
        return rc;
    while ((rc = db_step(st, &r->err)) == DB_ROW)
        json_array_append_new(
            members,
            json_pack("{s:I,s:s,s:I,s:s,s:s}", "seq", (json_int_t)db_col_int(st, 0), "status",
                      db_col_text(st, 1, NULL), "expert_id", (json_int_t)db_col_int(st, 2), "name",
                      db_col_text(st, 3, NULL), "employer", db_col_text(st, 4, NULL)));
    db_reset(st);
    if (rc < 0)
        return rc;
    int n = 0;
    char hex[65];
    int ok = pc_draw_verify(c, id, &n, hex, &r->err);
    if (ok < 0)
        return ok;
    json_object_set_new(doc, "verified", json_boolean(ok == 1));
    return report_send(r, json_incref(doc));
}

/* ---- recomputation ---- */

int pc_draw_verify(struct db_conn *c, int64_t draw_id, int *n, char pool_hex[65], struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare_ints(c,
                             "SELECT project_id, witness, pool, order_ids, pool_sha256, "
                             "seed_hex FROM expert_draws WHERE id = ?",
                             DB_INTS(draw_id), &st, e);
    if (rc)
        return rc;
    json_t *pool = NULL, *order = NULL;
    int64_t project = 0;
    char *witness = NULL, stored_hash[65] = "", stored_seed[65] = "";
    if ((rc = db_step(st, e)) == DB_ROW && !db_col_is_null(st, 1)) {
        json_error_t je;
        project = db_col_int(st, 0);
        size_t wl = strlen(db_col_text(st, 1, NULL));
        if ((witness = core_malloc(wl + 1)))
            memcpy(witness, db_col_text(st, 1, NULL), wl + 1);
        pool = json_loads(db_col_text(st, 2, NULL), 0, &je);
        order = json_loads(db_col_text(st, 3, NULL), 0, &je);
        snprintf(stored_hash, sizeof(stored_hash), "%s", db_col_text(st, 4, NULL));
        snprintf(stored_seed, sizeof(stored_seed), "%s", db_col_text(st, 5, NULL));
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    if (!witness || !json_is_array(pool) || !json_is_array(order)) {
        core_free(witness);
        json_decref(pool);
        json_decref(order);
        return err_set(e, ERR_NOT_FOUND, NULL, "procure.draw.not_drawn",
                       "draw {id}%lld has not been drawn", (long long)draw_id);
    }
    size_t m = json_array_size(pool);
    struct pc_pool_entry *elig = core_malloc(sizeof(*elig) * (m + 1));
    int64_t *ids = core_malloc(sizeof(int64_t) * (m + 1));
    int ok = elig && ids && json_array_size(order) == m;
    for (size_t i = 0; ok && i < m; i++) {
        json_t *x = json_array_get(pool, i);
        elig[i].id = json_integer_value(json_array_get(x, 0));
        elig[i].version = json_integer_value(json_array_get(x, 1));
        ids[i] = elig[i].id;
        if (i && elig[i].id <= elig[i - 1].id)
            ok = 0; /* the canonical form: ascending ids */
    }
    if (ok) {
        unsigned char seed[32];
        char shex[65];
        pc_pool_hash(elig, m, pool_hex);
        pc_draw_seed(project, pool_hex, witness, seed);
        pc_hex32(seed, shex);
        pc_draw_order(seed, ids, m);
        ok = !strcmp(pool_hex, stored_hash) && !strcmp(shex, stored_seed);
        for (size_t i = 0; ok && i < m; i++)
            ok = json_integer_value(json_array_get(order, i)) == ids[i];
    }
    *n = (int)m;
    core_free(elig);
    core_free(ids);
    core_free(witness);
    json_decref(pool);
    json_decref(order);
    return ok;
}
