/* SPDX-License-Identifier: MIT
 * procure/project_demo.c - the demo's procurement year, like the source's:
 * 77 projects reviewed worth about 27 million yuan (below the public-tender
 * threshold: through an agency, or on sealed quotes (enquiry) where the
 * purchaser could buy itself, so that every published project takes bids
 * and gets its committee's signed report), 11 public tenders worth about
 * 61 million yuan, among them the canteens' food tender that replaced 43
 * suppliers, a few drafts awaiting approval, one suspended by a complaint
 * (once its report is signed) and one cancelled. Each project's dates run
 * from its approval through the lawful periods (the working calendar), and
 * its status is where today falls on them, so every status appears (but
 * opening, which the opening passes through within its request).
 *
 * pc_demo_contracts runs after the bids' and the committee's demos: the
 * awards are read from evaluation_reports when that table has the project's
 * signed report (the winning bid's price and supplier), else the price is
 * the budget less 2-7 %; the contracts signed after the complaint window,
 * published within their period (one late, one not yet, one project whose
 * contract is overdue) and paid in one or two instalments.
 * Rows go in with prepared INSERTs (no per-row audit); deterministic for
 * the seed and the day.
 */
#include "life.h"
#include "periods.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../base/rng.h"
#include "../../core/http.h"
#include "../../core/tenant.h"
#include "../../db/db.h"
#include "../identity/identity.h"
#include "../org/calendar.h"
#include "../org/org.h"

#include <stdio.h>
#include <string.h>

#define NREVIEWED 77
#define NTENDERS 11
#define NAGENCY 17
#define REVIEWED_FEN 2700000000LL /* 27,000,000 yuan */
#define TENDERS_FEN 6100000000LL  /* 61,000,000 yuan */
#define CANTEEN_FEN 1800000000LL  /* the canteens' food tender */

struct pick {
    const char *name, *category;
};

static const struct pick small[] = {
    {"办公电脑及外设采购", "goods"}, {"打印复印一体机采购", "goods"},
    {"办公家具更新", "goods"},       {"会议室音视频设备", "goods"},
    {"空调更换", "goods"},           {"档案密集架", "goods"},
    {"安防监控设备升级", "goods"},   {"网络交换机更新", "goods"},
    {"办公用纸及耗材", "goods"},     {"消防器材更新", "goods"},
    {"食堂厨房设备", "goods"},       {"绿化养护服务", "services"},
    {"审计服务", "services"},        {"法律顾问服务", "services"},
    {"印刷服务", "services"},        {"公务车辆维修保养", "services"},
    {"干部培训服务", "services"},    {"网络安全等级保护测评", "services"},
    {"档案数字化服务", "services"},  {"办公楼外立面维修", "works"},
    {"屋面防水工程", "works"},       {"配电房改造", "works"},
    {"停车场改造", "works"},         {"充电桩安装工程", "works"},
};

static const char *const tenders[] = {
    "物业管理服务",     "保安服务",     "保洁服务", "信息系统运维服务",     "办公电脑集中采购",
    "政务网络设备采购", "机关餐饮服务", "会议服务", "公务用车定点维修服务", "办公家具集中采购",
};

struct demo {
    struct req *r;
    struct db_conn *c;
    struct rng g;
    struct calendar cal;
    int64_t tenant, today, now, manager, leader, off;
    int64_t *depts;
    int ndepts;
    int notice_wd, result_wd, complaint_wd, contract_days, bid_days, reply_wd;
};

/* An instant of local day d at hour h. */
static int64_t at(struct demo *x, int64_t d, int h)
{
    return d * 86400 + h * 3600 - x->off;
}

/* The same for a step already taken: never after now. */
static int64_t past(struct demo *x, int64_t d, int h)
{
    int64_t t = at(x, d, h);
    return t < x->now ? t : x->now - 600;
}

static void bind_day(struct db_stmt *st, int k, int64_t d)
{
    if (d <= 0) {
        db_bind_null(st, k);
        return;
    }
    char s[16];
    date_format(d, s, sizeof(s));
    db_bind_text(st, k, s, strlen(s));
}

static void bind_text(struct db_stmt *st, int k, const char *s)
{
    if (s)
        db_bind_text(st, k, s, strlen(s));
    else
        db_bind_null(st, k);
}

/* The planned days of project n approved on day a (pc_demo_contracts
 * recomputes the signing and closing days from n and complaint_ends). */
struct plan {
    int64_t approved, notice, notice_end, docs, deadline, result, result_end, complaint_end,
        contract_due, signed_on, closed;
};

static int64_t sign_day(int n, int64_t complaint_end)
{
    return complaint_end + 2 + n % 6;
}

static int64_t close_day(int n, int64_t signed_on)
{
    return signed_on + 40 + (n * 7) % 50;
}

static void plan_of(struct demo *x, int n, int64_t a, struct plan *p)
{
    p->approved = a;
    p->notice = a + 1;
    p->notice_end = pc_workdays_after(&x->cal, p->notice, x->notice_wd);
    p->docs = a + 3;
    p->deadline = p->docs + x->bid_days + 1;
    p->result = pc_workdays_after(&x->cal, p->deadline, 2);
    struct pc_result_dates d;
    pc_result_dates(&x->cal, p->result, x->result_wd, x->complaint_wd, x->contract_days, &d);
    p->result_end = d.notice_end;
    p->complaint_end = d.complaint_end;
    p->contract_due = d.contract_due;
    p->signed_on = sign_day(n, p->complaint_end);
    p->closed = close_day(n, p->signed_on);
}

/* Where today falls on the plan. */
static const char *status_of(const struct plan *p, int64_t t, int overdue)
{
    if (t <= p->approved)
        return "approved";
    if (t < p->docs)
        return "notice_published";
    if (t <= p->deadline)
        return "bidding";
    if (t < p->result)
        return "evaluation";
    if (t <= p->result_end)
        return "result_publicity";
    if (t <= p->complaint_end)
        return "complaint_window";
    if (overdue || t < p->signed_on)
        return "contract";
    if (t <= p->closed)
        return "performance";
    return "closed";
}

static int rank(const char *s)
{
    static const char *const order[] = {"draft",
                                        "submitted",
                                        "approved",
                                        "notice_published",
                                        "bidding",
                                        "opening",
                                        "evaluation",
                                        "result_publicity",
                                        "complaint_window",
                                        "contract",
                                        "performance",
                                        "closed",
                                        NULL};
    for (int i = 0; order[i]; i++)
        if (!strcmp(order[i], s))
            return i;
    return 0;
}

struct row {
    const char *name, *category, *method, *derived, *approval, *eval, *status, *description;
    const char *suspended_from, *reason;
    int64_t budget, dept, weight;
    int n;
    struct plan p;
};

static int insert(struct demo *x, const struct row *w, int64_t *id, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(
        x->c,
        "INSERT INTO procurement_projects (tenant_id, version, created_at, updated_at, "
        "created_by, code, name, description, category, budget_fen, funding, department_id, "
        "method, derived_method, method_approval, evaluation_method, price_weight_pct, status, "
        "submitted_by, submitted_at, approved_by, approved_at, notice_published_at, notice_ends, "
        "documents_issued_at, bid_deadline, result_published_at, result_notice_ends, "
        "complaint_ends, contract_due, suspended_from, suspended_at, suspend_reason, "
        "cancelled_at, cancel_reason, closed_at) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        &st, e);
    if (rc)
        return rc;
    const struct plan *p = &w->p;
    int r = rank(!strcmp(w->status, "suspended") ? w->suspended_from : w->status);
    int cancelled = !strcmp(w->status, "cancelled");
    if (cancelled)
        r = rank("bidding");
    char code[32], y[8];
    date_format(p->approved > 0 ? p->approved : x->today, y, sizeof(y));
    y[4] = 0;
    snprintf(code, sizeof(code), "CG%s-%04d", y, w->n);
    int64_t created = at(x, (p->approved > 0 ? p->approved : x->today) - 5, 9);
    int k = 1;
    db_bind_int(st, k++, x->tenant);
    db_bind_int(st, k++, created);
    db_bind_int(st, k++, at(x, x->today, 8));
    db_bind_int_or_null(st, k++, x->manager);
    bind_text(st, k++, code);
    bind_text(st, k++, w->name);
    bind_text(st, k++, w->description);
    bind_text(st, k++, w->category);
    db_bind_int(st, k++, w->budget);
    bind_text(st, k++, "财政资金");
    db_bind_int(st, k++, w->dept);
    bind_text(st, k++, w->method);
    bind_text(st, k++, w->derived);
    bind_text(st, k++, w->approval);
    bind_text(st, k++, w->eval);
    db_bind_int(st, k++, w->weight);
    bind_text(st, k++, w->status);
    int sub = r >= rank("submitted");
    db_bind_int_or_null(st, k++, sub ? x->manager : 0);
    if (sub)
        db_bind_int(st, k++, past(x, p->approved - 2, 10));
    else
        db_bind_null(st, k++);
    int ap = r >= rank("approved");
    db_bind_int_or_null(st, k++, ap ? x->leader : 0);
    if (ap)
        db_bind_int(st, k++, past(x, p->approved, 15));
    else
        db_bind_null(st, k++);
    int pub = r >= rank("notice_published");
    if (pub)
        db_bind_int(st, k++, past(x, p->notice, 9));
    else
        db_bind_null(st, k++);
    bind_day(st, k++, pub ? p->notice_end : 0);
    int bid = r >= rank("bidding");
    if (bid) {
        db_bind_int(st, k++, past(x, p->docs, 9));
        db_bind_int(st, k++, at(x, p->deadline, 9) + 1800);
    } else {
        db_bind_null(st, k++);
        db_bind_null(st, k++);
    }
    int res = r >= rank("result_publicity");
    if (res)
        db_bind_int(st, k++, past(x, p->result, 10));
    else
        db_bind_null(st, k++);
    bind_day(st, k++, res ? p->result_end : 0);
    bind_day(st, k++, res ? p->complaint_end : 0);
    bind_day(st, k++, res ? p->contract_due : 0);
    int susp = !strcmp(w->status, "suspended");
    bind_text(st, k++, susp ? w->suspended_from : NULL);
    if (susp)
        db_bind_int(st, k++, past(x, x->today - 1, 11));
    else
        db_bind_null(st, k++);
    bind_text(st, k++, susp ? w->reason : NULL);
    if (cancelled)
        db_bind_int(st, k++, past(x, p->docs + 5, 16));
    else
        db_bind_null(st, k++);
    bind_text(st, k++, cancelled ? w->reason : NULL);
    if (!strcmp(w->status, "closed"))
        db_bind_int(st, k++, past(x, p->closed, 16));
    else
        db_bind_null(st, k++);
    if ((rc = db_step(st, e)) == DB_ROW)
        *id = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static int complaint(struct demo *x, int64_t project, int64_t dept, int64_t received,
                     const char *status, int suspends, const char *content, const char *reply,
                     struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(x->c,
                        "INSERT INTO complaints (tenant_id, version, created_at, updated_at, "
                        "created_by, project_id, supplier_name, subject, content, received_at, "
                        "suspends, reply_due, status, reply, upheld, replied_by, replied_at, "
                        "replied_late, department_id) VALUES (?, 1, ?, ?, ?, ?, ?, 'result', ?, "
                        "?, ?, ?, ?, ?, 0, ?, ?, 0, ?)",
                        &st, e);
    if (rc)
        return rc;
    int64_t day = (received + x->off) / 86400;
    int k = 1;
    db_bind_int(st, k++, x->tenant);
    db_bind_int(st, k++, received);
    db_bind_int(st, k++, received);
    db_bind_int_or_null(st, k++, x->manager);
    db_bind_int(st, k++, project);
    bind_text(st, k++, "深圳市某某贸易有限公司");
    bind_text(st, k++, content);
    db_bind_int(st, k++, received);
    db_bind_int(st, k++, suspends);
    bind_day(st, k++, pc_workdays_after(&x->cal, day, x->reply_wd));
    bind_text(st, k++, status);
    bind_text(st, k++, reply);
    db_bind_int_or_null(st, k++, reply ? x->manager : 0);
    if (reply)
        db_bind_int(st, k++, received + 3 * 86400);
    else
        db_bind_null(st, k++);
    db_bind_int(st, k++, dept);
    rc = db_step(st, e);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static int setup(struct demo *x, struct req *r, struct db_conn *c, int64_t tenant, struct err *e)
{
    x->r = r;
    x->c = c;
    x->tenant = tenant;
    x->off = (int64_t)r->utc_offset_min * 60;
    x->now = clock_now();
    x->today = (x->now + x->off) / 86400;
    int rc = identity_user_id(r, c, "procurement_manager", &x->manager, e);
    if (!rc)
        rc = identity_user_id(r, c, "leader", &x->leader, e);
    if (!rc)
        rc = cal_load_fresh(r, c, tenant, &x->cal, e);
    if (rc)
        return rc;
    struct org_dept_list dl;
    if ((rc = org_dept_list_load(r, c, &dl, e)))
        return rc;
    x->depts = arena_alloc(r->a, sizeof(int64_t) * (size_t)(dl.n + 1));
    if (!x->depts)
        return err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
    for (int i = 0; i < dl.n; i++)
        if (dl.v[i].parent_id) /* the bureau's departments and units, not the bureau itself */
            x->depts[x->ndepts++] = dl.v[i].id;
    if (!x->ndepts && dl.n)
        x->depts[x->ndepts++] = dl.v[0].id;
    x->notice_wd = (int)pc_setting(r, c, "tender_notice_wd", PC_TENDER_NOTICE_WD);
    x->result_wd = (int)pc_setting(r, c, "result_notice_wd", PC_RESULT_NOTICE_WD);
    x->complaint_wd = (int)pc_setting(r, c, "complaint_wd", PC_COMPLAINT_WD);
    x->contract_days = (int)pc_setting(r, c, "contract_days", PC_CONTRACT_DAYS);
    x->bid_days = (int)pc_setting(r, c, "bid_period_days", PC_BID_PERIOD_DAYS);
    x->reply_wd = (int)pc_setting(r, c, "complaint_reply_wd", PC_COMPLAINT_REPLY_WD);
    return 0;
}

int pc_demo_projects(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e)
{
    struct arena *a = arena_new(4u << 20);
    if (!a)
        return err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
    struct req r;
    req_init_internal(&r, a, NULL, NULL);
    r.tenant_id = tenant_id;
    r.utc_offset_min = tenant_utc_offset(c, tenant_id, 480);
    struct demo x = {0};
    x.g.s = seed ^ 0x9C0B1D5Eull;
    int rc = setup(&x, &r, c, tenant_id, e);
    if (rc || !x.ndepts) {
        arena_free(a);
        return rc;
    }
    struct pc_thresholds th = {
        .tender = pc_setting(&r, c, "tender_threshold_fen", PC_TENDER_THRESHOLD_FEN),
        .decentral = pc_setting(&r, c, "decentral_limit_fen", PC_DECENTRAL_LIMIT_FEN),
        .decentral_works = pc_setting(&r, c, "decentral_works_fen", PC_DECENTRAL_WORKS_FEN)};
    /* the year: from its first working week to two days ago; early in a
     * year, the whole year before */
    char ys[16];
    date_format(x.today, ys, sizeof(ys));
    memcpy(ys + 4, "-01-06", 7);
    int64_t y0 = 0, end = x.today - 2;
    date_parse(ys, 10, &y0);
    if (end - y0 < 90) {
        ys[3] = (char)(ys[3] - 1); /* a year ending in 0 borrows below; the demo never runs then */
        date_parse(ys, 10, &y0);
        end = y0 + 355;
    }
    int total = NREVIEWED + NTENDERS;
    /* first the budgets, so that the year's totals come out as the source's */
    struct row *rows = arena_alloc(r.a, sizeof(struct row) * (size_t)total);
    if (!rows) {
        arena_free(a);
        return err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
    }
    memset(rows, 0, sizeof(struct row) * (size_t)total);
    int64_t agency_sum = 0, self_sum = 0, delta[5];
    for (int j = 0; j < 5; j++)
        delta[j] = 1000000LL * rng_range(&x.g, 0, 25); /* ± up to 250,000 yuan */
    const int nsmall = (int)(sizeof(small) / sizeof(*small));
    for (int i = 0, s = 0, t = 0; i < total; i++) {
        struct row *w = &rows[i];
        w->n = i + 1;
        if (i % 8 == 3 && t < NTENDERS) { /* the public tenders, the canteens' first */
            if (!t) {
                w->name = "机关食堂食材统一配送服务";
                w->category = "services";
                w->budget = CANTEEN_FEN;
                w->description = "全局各机关食堂米面粮油、肉禽蛋、蔬菜水果、调味品统一公开招标"
                                 "配送，替代此前分散采购的43家供应商，统一质量标准、检测与结算。";
            } else {
                w->name = tenders[t - 1];
                w->category = t % 3 == 1 ? "goods" : "services";
                /* pairs either side of the mean: the tenders add up exactly */
                int64_t mean = (TENDERS_FEN - CANTEEN_FEN) / (NTENDERS - 1);
                w->budget = mean + (t % 2 ? delta[(t - 1) / 2] : -delta[(t - 1) / 2]);
            }
            t++;
            continue;
        }
        int agency = s % 9 == 2 || s % 9 == 6;
        int k = rng_below(&x.g, nsmall);
        while (agency && !strcmp(small[k].category, "works"))
            k = (k + 1) % nsmall;
        w->name = small[k].name;
        w->category = small[k].category;
        if (agency) {
            w->budget = 100000000 + 1000000LL * rng_range(&x.g, 0, 40);
            agency_sum += w->budget;
        } else {
            w->budget = 3000000 + 100000LL * rng_range(&x.g, 0, 150);
            self_sum += w->budget;
        }
        s++;
    }
    /* the projects bought by the purchasers themselves scaled to the 27 million */
    int64_t self_target = REVIEWED_FEN - agency_sum, scaled = 0, last = -1;
    for (int i = 0; i < total && self_sum > 0 && self_target > 0; i++) {
        struct row *w = &rows[i];
        if (w->description || w->budget >= 100000000 || (i % 8 == 3 && i / 8 < NTENDERS))
            continue;
        w->budget = w->budget * self_target / self_sum / 100 * 100;
        if (w->budget >= 99000000)
            w->budget = 99000000;
        scaled += w->budget;
        last = i;
    }
    if (last >= 0 && rows[last].budget + self_target - scaled > 0 &&
        rows[last].budget + self_target - scaled < 99000000)
        rows[last].budget += self_target - scaled;
    /* then the days: most of the year finished; the last few placed where today
     * falls in each step, so that every status appears (opening is passed
     * through within the opening's request: none stays there) */
    static const char *const tail[] = {"contract_overdue",
                                       "complaint_window",
                                       "complaint_window",
                                       "result_publicity",
                                       "evaluation",
                                       "evaluation",
                                       "bidding",
                                       "bidding",
                                       "notice_published",
                                       "approved",
                                       NULL};
    int ntail = 0;
    while (tail[ntail])
        ntail++;
    int64_t span = end - 75 - y0;
    for (int i = 0; i < total && !rc; i++) {
        struct row *w = &rows[i];
        w->eval = "comprehensive";
        w->derived = pc_derive_method(w->category, w->budget, &th);
        w->method = w->derived;
        if (!strcmp(w->derived, "agency") && i % 5 == 0)
            w->method = "competitive_consultation";
        else if (!strcmp(w->derived, "self"))
            w->method = "enquiry"; /* bought on sealed quotes: bids, a committee, its report */
        if (!strcmp(w->category, "goods") && i % 6 == 2 && strcmp(w->derived, "public_tender")) {
            w->eval = "lowest_price";
            w->weight = 100;
        } else {
            w->weight = pc_weight_floor(w->category, 30, 10) + (i % 3) * 10;
        }
        w->dept = x.depts[(i * 5 + 1) % x.ndepts];
        int ti = i - (total - ntail);
        if (ti < 0) {
            int64_t day = y0 + span * i / (total - ntail) + rng_range(&x.g, 0, 3);
            plan_of(&x, w->n, day, &w->p);
            w->status = status_of(&w->p, x.today, 0);
        } else {
            const char *want = tail[ti];
            int overdue = !strcmp(want, "contract_overdue");
            for (int64_t back = 0; back < 150; back++) {
                plan_of(&x, w->n, x.today - back, &w->p);
                const char *got = status_of(&w->p, x.today, overdue);
                if (overdue ? !strcmp(got, "contract") && x.today > w->p.contract_due
                            : !strcmp(got, want))
                    break;
            }
            w->status = status_of(&w->p, x.today, overdue);
        }
        if (!strcmp(w->status, "approved") && !strcmp(w->derived, "self"))
            w->method = "self"; /* one bought by the purchaser itself, not yet published */
        if (i == 40) {
            w->status = "cancelled";
            w->reason = "采购需求发生重大变化，终止采购";
        }
        int64_t id = 0;
        if ((rc = insert(&x, w, &id, e)))
            break;
        if (!strcmp(w->status, "closed") && i % 19 == 4)
            rc = complaint(&x, id, w->dept, past(&x, w->p.result_end + 2, 15), "replied", 0,
                           "对评分标准中技术分设置有异议。",
                           "经复核，评分标准符合采购文件规定，质疑不成立。", e);
    }
    /* a few not yet approved */
    static const char *const early[] = {"draft", "draft", "submitted"};
    static const char *const early_names[] = {"办公楼电梯维保服务", "职工食堂餐具采购",
                                              "视频会议系统扩容"};
    for (int i = 0; i < 3 && !rc; i++) {
        struct row w = {.name = early_names[i],
                        .category = i == 0 ? "services" : "goods",
                        .eval = "comprehensive",
                        .status = early[i],
                        .n = total + 1 + i};
        w.budget = 20000000 + 15000000LL * i;
        w.derived = w.method = pc_derive_method(w.category, w.budget, &th);
        w.weight = pc_weight_floor(w.category, 30, 10);
        w.dept = x.depts[i % x.ndepts];
        plan_of(&x, w.n, x.today + 3, &w.p);
        int64_t id;
        rc = insert(&x, &w, &id, e);
    }
    arena_free(a);
    return rc;
}

/* ---- contracts and payments, after the committee's reports ---- */

struct award {
    int64_t id, budget, dept, supplier, price, bid;
    int n;
    const char *status, *name, *ce, *cd;
};

int pc_demo_contracts(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e)
{
    (void)seed;
    struct arena *a = arena_new(4u << 20);
    if (!a)
        return err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
    struct req r;
    req_init_internal(&r, a, NULL, NULL);
    r.tenant_id = tenant_id;
    r.utc_offset_min = tenant_utc_offset(c, tenant_id, 480);
    struct demo x = {0};
    int rc = setup(&x, &r, c, tenant_id, e);
    if (rc) {
        arena_free(a);
        return rc;
    }
    struct award v[128];
    int n = 0;
    struct db_stmt *st;
    if ((rc = db_prepare_ints(
             c,
             "SELECT p.id, p.budget_fen, p.department_id, p.code, p.status, p.name, "
                   "p.complaint_ends, p.contract_due, (SELECT e.winner_supplier_id FROM "
                   "evaluation_reports e "
                   "WHERE e.tenant_id = p.tenant_id AND e.project_id = p.id AND e.status = "
                   "'signed' ORDER BY e.id DESC LIMIT 1), (SELECT e.winner_price_fen FROM "
                   "evaluation_reports e WHERE e.tenant_id = p.tenant_id AND e.project_id = p.id "
                   "AND e.status = 'signed' ORDER BY e.id DESC LIMIT 1), (SELECT e.winner_bid_id "
                   "FROM evaluation_reports e WHERE e.tenant_id = p.tenant_id AND e.project_id = "
                   "p.id AND e.status = 'signed' ORDER BY e.id DESC LIMIT 1) FROM "
                   "procurement_projects "
                   "p WHERE p.tenant_id = ? AND p.result_published_at IS NOT NULL ORDER BY p.id",
             DB_INTS(tenant_id), &st, e))) {
        arena_free(a);
        return rc;
    }
    while ((rc = db_step(st, e)) == DB_ROW && n < 128) {
        struct award *w = &v[n++];
        w->id = db_col_int(st, 0);
        w->budget = db_col_int(st, 1);
        w->dept = db_col_int(st, 2);
        const char *code = db_col_text(st, 3, NULL);
        int64_t num = n;
        if (code && strlen(code) > 7)
            parse_i64(code + 7, strlen(code + 7), &num);
        w->n = (int)num;
        w->status = arena_strdup(r.a, db_col_text(st, 4, NULL));
        w->name = arena_strdup(r.a, db_col_text(st, 5, NULL));
        w->ce = arena_strdup(r.a, db_col_text(st, 6, NULL));
        w->cd = arena_strdup(r.a, db_col_text(st, 7, NULL));
        w->supplier = db_col_is_null(st, 8) ? 0 : db_col_int(st, 8);
        w->price = db_col_is_null(st, 9) ? 0 : db_col_int(st, 9);
        w->bid = db_col_is_null(st, 10) ? 0 : db_col_int(st, 10);
        if (w->price <= 0 || w->price > w->budget)
            w->price = w->budget - w->budget * (15 + (w->n * 37) % 50) / 1000;
    }
    db_reset(st);
    rc = rc < 0 ? rc : 0;
    int late_done = 0, unpublished_done = 0, suspended_done = 0;
    for (int i = 0; i < n && !rc; i++) {
        struct award *w = &v[i];
        /* the first in its complaint window with its result published on a signed
         * report (the committee's demo): suspended by a bidder's complaint */
        if (!suspended_done && !strcmp(w->status, "complaint_window") && w->supplier) {
            suspended_done = 1;
            if ((rc = db_exec_ints(c,
                                   "UPDATE procurement_projects SET status = 'suspended', "
                                   "suspended_from = 'complaint_window', suspended_at = ?, "
                                   "suspend_reason = '供应商质疑，暂停采购活动' WHERE tenant_id = "
                                   "? AND id = ?",
                                   DB_INTS(past(&x, x.today - 1, 11), tenant_id, w->id), e)) < 0)
                break;
            rc = complaint(&x, w->id, w->dept, past(&x, x.today - 1, 10), "open", 1,
                           "对评审结果有异议：中标供应商资质证书已过有效期。", NULL, e);
            if (rc)
                break;
        }
        if ((w->supplier ? db_exec_ints(c,
                                        "UPDATE procurement_projects SET winner_price_fen = ?, "
                                        "winner_supplier_id = ?, winner_bid_id = ? WHERE "
                                        "tenant_id = ? AND id = ?",
                                        DB_INTS(w->price, w->supplier, w->bid, tenant_id, w->id), e)
                         : db_exec_ints(c,
                                        "UPDATE procurement_projects SET winner_price_fen = ? "
                                        "WHERE tenant_id = ? AND id = ?",
                                        DB_INTS(w->price, tenant_id, w->id), e)) < 0) {
            rc = -ERR_DB;
            break;
        }
        if (strcmp(w->status, "performance") && strcmp(w->status, "closed"))
            continue;
        int64_t ce = pc_day(w->ce), s = sign_day(w->n, ce), closed = close_day(w->n, s);
        int64_t due = pc_workdays_after(
            &x.cal, s, (int)pc_setting(&r, c, "contract_publish_wd", PC_CONTRACT_PUBLISH_WD));
        int64_t pub = s + 1;
        int late = 0;
        if (!late_done && i % 7 == 3) {
            pub = due + 3, late = 1, late_done = 1;
        } else if (!unpublished_done && !strcmp(w->status, "performance") && due < x.today) {
            pub = 0, unpublished_done = 1;
        }
        if (pub > x.today)
            pub = 0;
        char code[32], y[8];
        date_format(s, y, sizeof(y));
        y[4] = 0;
        snprintf(code, sizeof(code), "HT%s-%04d", y, i + 1);
        int completed = !strcmp(w->status, "closed");
        int64_t first = w->price * 3 / 10,
                paid = completed ? w->price : (s + 10 <= x.today ? first : 0);
        int64_t kid = 0;
        if ((rc = db_prepare(c,
                             "INSERT INTO contracts (tenant_id, version, created_at, updated_at, "
                             "created_by, project_id, code, title, supplier_id, amount_fen, "
                             "signed_on, sign_due, signed_late, publish_due, published_on, "
                             "published_late, budget_fen, savings_fen, paid_fen, status, "
                             "department_id) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, "
                             "?, ?, ?, ?, ?, ?, ?) RETURNING id",
                             &st, e)))
            break;
        int k = 1;
        db_bind_int(st, k++, tenant_id);
        db_bind_int(st, k++, past(&x, s, 16));
        db_bind_int(st, k++, past(&x, s, 16));
        db_bind_int_or_null(st, k++, x.manager);
        db_bind_int(st, k++, w->id);
        bind_text(st, k++, code);
        bind_text(st, k++, w->name);
        db_bind_int_or_null(st, k++, w->supplier);
        db_bind_int(st, k++, w->price);
        bind_day(st, k++, s);
        bind_day(st, k++, pc_day(w->cd));
        bind_day(st, k++, due);
        bind_day(st, k++, pub);
        db_bind_int(st, k++, late);
        db_bind_int(st, k++, w->budget);
        db_bind_int(st, k++, w->budget - w->price);
        db_bind_int(st, k++, paid);
        bind_text(st, k++, completed ? "completed" : "signed");
        db_bind_int(st, k++, w->dept);
        if ((rc = db_step(st, e)) == DB_ROW)
            kid = db_col_int(st, 0);
        db_reset(st);
        if (rc < 0)
            break;
        rc = 0;
        int64_t pays[2][2] = {{s + 10, first}, {closed - 5, w->price - first}};
        for (int p = 0; p < 2 && !rc; p++) {
            if ((p == 0 && s + 10 > x.today) || (p == 1 && !completed))
                continue;
            if ((rc = db_prepare(c,
                                 "INSERT INTO contract_payments (tenant_id, version, created_at, "
                                 "updated_at, created_by, contract_id, paid_on, amount_fen, note, "
                                 "project_id, department_id) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, "
                                 "?)",
                                 &st, e)))
                break;
            k = 1;
            db_bind_int(st, k++, tenant_id);
            db_bind_int(st, k++, past(&x, pays[p][0], 11));
            db_bind_int(st, k++, past(&x, pays[p][0], 11));
            db_bind_int_or_null(st, k++, x.manager);
            db_bind_int(st, k++, kid);
            bind_day(st, k++, pays[p][0]);
            db_bind_int(st, k++, pays[p][1]);
            bind_text(st, k++, p ? "验收合格支付尾款" : "合同签订后预付30%");
            db_bind_int(st, k++, w->id);
            db_bind_int(st, k++, w->dept);
            rc = db_step(st, e);
            db_reset(st);
            rc = rc < 0 ? rc : 0;
        }
    }
    arena_free(a);
    return rc;
}
