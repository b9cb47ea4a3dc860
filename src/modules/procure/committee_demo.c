/* SPDX-License-Identifier: MIT
 * procure/committee_demo.c - the demo's expert pool and committees:
 *
 *   - pc_demo_experts: 400 experts (names, ID numbers with their check
 *     digit, mobiles, a category's general specialty and one of its
 *     special ones, employers and titles; a few suspended) and about 80
 *     declared relations with the demo's suppliers (when the bids part put
 *     any there), some ended more than 3 years ago;
 *   - pc_demo_committee: for each project past the opening with opened bids
 *     (a suspended one by the state it was suspended in), a draw done by
 *     the documented procedure (draw.c) with a witness value, its members
 *     (now and then one declines and the next in the order is invited), a
 *     rubric, every member's scores of every valid opened bid, and the
 *     report signed by all with its winner by the national formula
 *     (evaluation.c) on the bids' prices; a project still in evaluation
 *     has its committee and scores but no report yet.
 *
 * The projects and bids are read by SQL (the other parts' demos ran
 * before); without them nothing is made. Prepared INSERTs, no audit.
 */
#include "committee.h"
#include "committee_int.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../core/tenant.h"
#include "../../db/db.h"
#include "../identity/identity.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define NEXPERTS 400
#define MAXSUP 2000
#define MAXREL 200
#define MAXBIDS 64
#define MAXPROJ 400

#define COMMON "tenant_id, version, created_at, updated_at, "
#define COMMON_V "?, 1, ?, ?, "

struct demo {
    struct db_conn *c;
    struct err *e;
    int64_t tenant, now, today;
    int off;
    uint64_t rnd;
    int64_t expert[NEXPERTS];
    int64_t user[NEXPERTS];
    int cat[NEXPERTS]; /* 0 goods, 1 services, 2 works */
    int active[NEXPERTS];
    int nrel;
    struct {
        int64_t expert, supplier, to; /* to: day, −1 ongoing */
    } rel[MAXREL];
};

static struct demo D; /* large: off the stack; one demo at a time */

static uint32_t rnd(struct demo *d)
{
    d->rnd = d->rnd * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(d->rnd >> 33);
}

static void bind_common(struct demo *d, struct db_stmt *st)
{
    db_bind_int(st, 1, d->tenant);
    db_bind_int(st, 2, d->now);
    db_bind_int(st, 3, d->now);
}

static void bind_s(struct db_stmt *st, int i, const char *s)
{
    if (s)
        db_bind_text(st, i, s, strlen(s));
    else
        db_bind_null(st, i);
}

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
                                       "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高"};
static const char *const given[] = {"建国", "志强", "海燕", "晓明", "丽华", "文博", "振宇", "雪梅",
                                    "国平", "思远", "红霞", "永胜", "立新", "春燕", "明辉", "静怡",
                                    "德华", "家豪", "秀英", "子涵", "宏伟", "晓东", "玉兰", "伟"};
static const char *const employers[] = {
    "浙江大学",         "浙江工业大学",         "杭州电子科技大学",
    "市建筑设计研究院", "市质量技术监督检测院", "省信息化发展中心",
    "市审计事务所",     "市第一人民医院",       "市市政工程设计院",
    "省农业科学院"};
static const char *const titles[] = {"教授",       "副教授",   "高级工程师", "正高级工程师",
                                     "高级会计师", "主任医师", "高级经济师"};
static const char *const general[3] = {"goods.general", "services.general", "works.general"};
static const char *const special[3][4] = {
    {"goods.it", "goods.furniture", "goods.food", "goods.vehicle"},
    {"services.property", "services.it", "services.audit", "services.catering"},
    {"works.civil", "works.decoration", "works.municipal", "works.landscape"}};

/* A GB 11643 ID number with its check digit. */
static void id_number(struct demo *d, char out[19])
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char cd[] = "10X98765432";
    int y = 1960 + (int)(rnd(d) % 30), m = 1 + (int)(rnd(d) % 12), dd = 1 + (int)(rnd(d) % 28);
    snprintf(out, 19, "330106%04d%02d%02d%03u", y, m, dd, rnd(d) % 1000);
    int s = 0;
    for (int i = 0; i < 17; i++)
        s += (out[i] - '0') * w[i];
    out[17] = cd[s % 11];
    out[18] = 0;
}

int pc_demo_experts(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e)
{
    struct demo *d = &D;
    memset(d, 0, sizeof(*d));
    d->c = c;
    d->e = e;
    d->tenant = tenant_id;
    d->now = clock_now();
    d->off = tenant_utc_offset(c, tenant_id, 480);
    d->today = (d->now + (int64_t)d->off * 60) / 86400;
    d->rnd = seed ^ 0x6578706572747300ULL;
    struct db_stmt *st;
    int rc = db_prepare(c,
                        "INSERT INTO experts (" COMMON
                        "name, id_number, phone, specialties, employer, title, status) VALUES "
                        "(" COMMON_V "?, ?, ?, ?, ?, ?, ?) RETURNING id",
                        &st, e);
    if (rc)
        return rc;
    for (int i = 0; i < NEXPERTS && !rc; i++) {
        char name[32], idn[19], phone[12], spec[64];
        snprintf(name, sizeof(name), "%s%s", surnames[rnd(d) % 20], given[rnd(d) % 24]);
        id_number(d, idn);
        snprintf(phone, sizeof(phone), "13%u%08u", 5 + rnd(d) % 5, rnd(d) % 100000000);
        int cat = i % 10 < 5 ? 0 : i % 10 < 8 ? 1 : 2;
        snprintf(spec, sizeof(spec), "%s,%s", general[cat], special[cat][rnd(d) % 4]);
        d->cat[i] = cat;
        d->active[i] = i % 37 != 5;
        bind_common(d, st);
        bind_s(st, 4, name);
        bind_s(st, 5, idn);
        bind_s(st, 6, phone);
        bind_s(st, 7, spec);
        bind_s(st, 8, employers[rnd(d) % 10]);
        bind_s(st, 9, titles[rnd(d) % 7]);
        bind_s(st, 10, d->active[i] ? "active" : "suspended");
        if ((rc = db_step(st, e)) == DB_ROW) {
            d->expert[i] = db_col_int(st, 0);
            rc = 0;
        } else if (rc >= 0) {
            rc = err_set(e, ERR_INTERNAL, NULL, NULL, "no id for a demo expert");
        }
        db_reset(st);
    }
    if (rc)
        return rc;
    /* relations with the suppliers the bids part made (none: none) */
    int64_t sup[MAXSUP];
    int ns = 0;
    if (db_prepare_ints(c, "SELECT id FROM suppliers WHERE tenant_id = ? ORDER BY id",
                        DB_INTS(tenant_id), &st, e)) {
        err_clear(e);
        return 0;
    }
    while (ns < MAXSUP && (rc = db_step(st, e)) == DB_ROW)
        sup[ns++] = db_col_int(st, 0);
    db_reset(st);
    if (rc < 0 || !ns)
        return rc < 0 ? rc : 0;
    static const char *const kinds[] = {"employment", "board", "controller", "kin", "other"};
    if ((rc = db_prepare(c,
                         "INSERT INTO expert_relations (" COMMON
                         "expert_id, supplier_id, kind, from_date, to_date, counterpart) VALUES "
                         "(" COMMON_V "?, ?, ?, ?, ?, ?)",
                         &st, e)))
        return rc;
    for (int i = 0; i < 80 && !rc; i++) {
        int k = (int)(rnd(d) % NEXPERTS);
        int64_t s = sup[rnd(d) % (uint32_t)ns];
        int64_t from = d->today - 3650 + (int64_t)(rnd(d) % 2000);
        int64_t to = i % 3 == 0 ? -1 : from + 200 + (int64_t)(rnd(d) % 1800);
        if (to > d->today)
            to = -1;
        char fs[16], ts[16];
        date_format(from, fs, sizeof(fs));
        date_format(to, ts, sizeof(ts));
        bind_common(d, st);
        db_bind_int(st, 4, d->expert[k]);
        db_bind_int(st, 5, s);
        bind_s(st, 6, kinds[i % 5]);
        bind_s(st, 7, fs);
        bind_s(st, 8, to < 0 ? NULL : ts);
        bind_s(st, 9, "供应商");
        rc = db_step(st, e);
        db_reset(st);
        rc = rc < 0 ? rc : 0;
        if (d->nrel < MAXREL) {
            d->rel[d->nrel].expert = d->expert[k];
            d->rel[d->nrel].supplier = s;
            d->rel[d->nrel].to = to;
            d->nrel++;
        }
    }
    return rc;
}

/* ---- committees ---- */

struct proj {
    int64_t id, budget, deadline, weight;
    int cat, lowest, reported;
    char method[40];
};

struct bid {
    int64_t id, supplier, price;
    int valid;
};

static int cat_of(const char *s)
{
    return !strcmp(s, "services") ? 1 : !strcmp(s, "works") ? 2 : 0;
}

static int one_committee(struct demo *d, const struct proj *p, struct db_stmt **ins)
{
    struct err *e = d->e;
    struct bid b[MAXBIDS];
    int nb = 0, rc;
    struct db_stmt *st;
    if ((rc = db_prepare_ints(d->c,
                              "SELECT id, supplier_id, COALESCE(price_fen, 0), COALESCE(valid, "
                              "0), status FROM bids WHERE tenant_id = ? AND project_id = ? AND "
                              "status NOT IN ('withdrawn', 'replaced') ORDER BY id",
                              DB_INTS(d->tenant, p->id), &st, e)))
        return rc;
    int64_t bidders[MAXBIDS];
    int nbidders = 0;
    while ((rc = db_step(st, e)) == DB_ROW) {
        if (nbidders < MAXBIDS)
            bidders[nbidders++] = db_col_int(st, 1);
        if (nb < MAXBIDS && !strcmp(db_col_text(st, 4, NULL), "opened")) {
            b[nb].id = db_col_int(st, 0);
            b[nb].supplier = db_col_int(st, 1);
            b[nb].price = db_col_int(st, 2);
            b[nb].valid = (int)db_col_int(st, 3) && b[nb].price > 0;
            nb++;
        }
    }
    db_reset(st);
    if (rc < 0 || !nb)
        return rc < 0 ? rc : 0; /* no opened bid (自行采购 takes none): no committee */
    /* the committee's size: the lawful minimum, one purchaser's representative */
    int n = pc_committee_min(p->method, p->budget, PC_COMMITTEE_MIN, PC_COMMITTEE_MIN_LARGE,
                             PC_COMMITTEE_LARGE_FEN, PC_COMMITTEE_MIN_OTHER);
    int experts = n - 1;
    int64_t day = p->deadline ? (p->deadline + (int64_t)d->off * 60) / 86400 : d->today;
    /* the pool: active experts of the category, less the recused */
    struct pc_pool_entry pool[NEXPERTS];
    int64_t order[NEXPERTS], users[NEXPERTS];
    int m = 0, recused = 0, specialists = 0;
    for (int i = 0; i < NEXPERTS; i++) {
        if (!d->active[i] || d->cat[i] != p->cat)
            continue;
        specialists++;
        int out = 0;
        for (int k = 0; k < d->nrel && !out; k++)
            if (d->rel[k].expert == d->expert[i])
                for (int j = 0; j < nbidders && !out; j++)
                    if (bidders[j] == d->rel[k].supplier &&
                        pc_recused(d->rel[k].to, day, PC_RECUSAL_YEARS))
                        out = 1;
        recused += out;
        if (out)
            continue;
        pool[m].id = d->expert[i];
        pool[m].version = 1;
        order[m] = d->expert[i];
        users[m] = d->user[i];
        m++;
    }
    if (m < experts + 2)
        return 0;
    char hex[65], shex[65], witness[40], dd[16];
    unsigned char seed[32];
    snprintf(witness, sizeof(witness), "%04u %04u", rnd(d) % 10000, rnd(d) % 10000);
    pc_pool_hash(pool, (size_t)m, hex);
    pc_draw_seed(p->id, hex, witness, seed);
    pc_hex32(seed, shex);
    pc_draw_order(seed, order, (size_t)m);
    (void)users;
    json_t *jp = json_array(), *jo = json_array();
    for (int i = 0; i < m; i++) {
        json_array_append_new(jp, json_pack("[I,I]", (json_int_t)pool[i].id, (json_int_t)1));
        json_array_append_new(jo, json_integer(order[i]));
    }
    char *tp = json_dumps(jp, JSON_COMPACT), *to = json_dumps(jo, JSON_COMPACT);
    json_decref(jp);
    json_decref(jo);
    /* one in four committees: the first invited declines, the next comes */
    int declines = rnd(d) % 4 == 0;
    int invited = experts + declines;
    date_format(day, dd, sizeof(dd));
    int64_t drawn_at = p->deadline ? p->deadline + 3600 : d->now;
    st = ins[0];
    bind_common(d, st);
    db_bind_int(st, 4, p->id);
    bind_s(st, 5, general[p->cat]);
    db_bind_int(st, 6, n);
    db_bind_int(st, 7, 1);
    db_bind_int(st, 8, experts);
    bind_s(st, 9, "formed");
    bind_s(st, 10, dd);
    db_bind_int(st, 11, drawn_at);
    db_bind_int(st, 12, nbidders);
    db_bind_int(st, 13, specialists);
    db_bind_int(st, 14, recused);
    db_bind_int(st, 15, m);
    bind_s(st, 16, hex);
    db_bind_int(st, 17, invited);
    db_bind_int(st, 18, experts);
    db_bind_int(st, 19, declines);
    bind_s(st, 20, witness);
    bind_s(st, 21, shex);
    bind_s(st, 22, tp);
    bind_s(st, 23, to);
    int64_t draw = 0;
    if ((rc = db_step(st, e)) == DB_ROW)
        draw = db_col_int(st, 0);
    db_reset(st);
    core_free(tp);
    core_free(to);
    if (rc < 0)
        return rc;
    /* the members */
    int64_t member[32];
    int nm = 0;
    int64_t signed_at = p->reported ? drawn_at + 86400 : 0;
    for (int i = 0; i < invited; i++) {
        int declined = declines && i == 0;
        st = ins[1];
        bind_common(d, st);
        db_bind_int(st, 4, draw);
        db_bind_int(st, 5, p->id);
        db_bind_int(st, 6, i + 1);
        bind_s(st, 7, declined ? "declined" : "confirmed");
        db_bind_int(st, 8, drawn_at);
        db_bind_int(st, 9, drawn_at + 1800 + 60 * i);
        if (!declined && signed_at)
            db_bind_int(st, 10, signed_at);
        else
            db_bind_null(st, 10);
        db_bind_int(st, 11, order[i]);
        if ((rc = db_step(st, e)) == DB_ROW && !declined)
            member[nm++] = db_col_int(st, 0);
        db_reset(st);
        if (rc < 0)
            return rc;
    }
    /* the rubric: technical 60 % and commercial 40 % of what the price leaves */
    int64_t item[3], maxes[3];
    int ni = 0;
    if (!p->lowest) {
        int64_t rest = (100 - p->weight) * 100;
        maxes[0] = rest * 40 / 100;
        maxes[1] = rest * 20 / 100;
        maxes[2] = rest - maxes[0] - maxes[1];
        static const char *const names[3] = {"技术方案及响应程度", "实施与服务方案",
                                             "商务条件及业绩"};
        static const char *const kinds[3] = {"technical", "technical", "commercial"};
        for (ni = 0; ni < 3; ni++) {
            st = ins[2];
            bind_common(d, st);
            db_bind_int(st, 4, p->id);
            bind_s(st, 5, kinds[ni]);
            bind_s(st, 6, names[ni]);
            db_bind_int(st, 7, maxes[ni]);
            db_bind_int(st, 8, ni + 1);
            if ((rc = db_step(st, e)) == DB_ROW)
                item[ni] = db_col_int(st, 0);
            db_reset(st);
            if (rc < 0)
                return rc;
        }
    }
    /* the scores: each member, each valid bid, each item (halves of points) */
    struct pc_bid_eval ev[MAXBIDS];
    memset(ev, 0, sizeof(ev));
    for (int k = 0; k < nb; k++) {
        ev[k].bid_id = b[k].id;
        ev[k].supplier_id = b[k].supplier;
        ev[k].price_fen = b[k].price;
        ev[k].passes = b[k].valid;
        if (!b[k].valid)
            continue;
        int quality = 60 + (int)((b[k].supplier * 7919 + p->id) % 35); /* the bid's merit, % */
        int64_t sums[32] = {0};
        for (int a = 0; a < nm; a++)
            for (int t = 0; t < ni; t++) {
                int pct = quality - 6 + (int)(rnd(d) % 13);
                if (pct > 100)
                    pct = 100;
                int64_t s = maxes[t] * pct / 100 / 50 * 50;
                sums[a] += s;
                st = ins[3];
                bind_common(d, st);
                db_bind_int(st, 4, p->id);
                db_bind_int(st, 5, member[a]);
                db_bind_int(st, 6, b[k].id);
                db_bind_int(st, 7, item[t]);
                db_bind_int(st, 8, s);
                db_bind_null(st, 9);
                rc = db_step(st, e);
                db_reset(st);
                if (rc < 0)
                    return rc;
            }
        ev[k].tech = pc_mean(sums, nm);
    }
    if (!p->reported || !nb)
        return 0;
    pc_evaluate(ev, nb, p->lowest, (int)p->weight, PC_ABNORMAL_LOW_PCT);
    json_t *ranking = json_array();
    const struct pc_bid_eval *win = NULL;
    for (int rank = 1; rank <= nb; rank++)
        for (int k = 0; k < nb; k++)
            if (ev[k].rank == rank) {
                if (rank == 1)
                    win = &ev[k];
                json_array_append_new(
                    ranking, json_pack("{s:i,s:I,s:I,s:I,s:b,s:f,s:f,s:f,s:f,s:b}", "rank", rank,
                                       "bid_id", (json_int_t)ev[k].bid_id, "supplier_id",
                                       (json_int_t)ev[k].supplier_id, "price_fen",
                                       (json_int_t)ev[k].price_fen, "passes", 1, "tech",
                                       ev[k].tech / 100.0, "price_score", ev[k].price_score / 100.0,
                                       "price_points", ev[k].price_points / 100.0, "total",
                                       ev[k].total / 100.0, "abnormal_low", ev[k].abnormal_low));
            }
    for (int k = 0; k < nb; k++)
        if (!ev[k].rank)
            json_array_append_new(ranking, json_pack("{s:i,s:I,s:I,s:I,s:b}", "rank", 0, "bid_id",
                                                     (json_int_t)ev[k].bid_id, "supplier_id",
                                                     (json_int_t)ev[k].supplier_id, "price_fen",
                                                     (json_int_t)ev[k].price_fen, "passes", 0));
    char *tr = json_dumps(ranking, JSON_COMPACT);
    json_decref(ranking);
    st = ins[4];
    bind_common(d, st);
    db_bind_int(st, 4, p->id);
    bind_s(st, 5, p->lowest ? "lowest_price" : "comprehensive");
    db_bind_int(st, 6, p->weight);
    if (win) {
        db_bind_int(st, 7, win->bid_id);
        db_bind_int(st, 8, win->supplier_id);
        db_bind_int(st, 9, win->price_fen);
    } else {
        db_bind_null(st, 7);
        db_bind_null(st, 8);
        db_bind_null(st, 9);
    }
    bind_s(st, 10, tr);
    db_bind_int(st, 11, nm);
    db_bind_int(st, 12, nm);
    db_bind_int(st, 13, signed_at);
    rc = db_step(st, e);
    db_reset(st);
    core_free(tr);
    return rc < 0 ? rc : 0;
}

/* The demo's "expert" login: the expert who sits first on the committee of
 * a project in evaluation (else of any project), with their invitations and
 * scores, so that the expert's page has something to show. */
static int demo_login(struct demo *d, const struct proj *ps, int np)
{
    struct req rq;
    memset(&rq, 0, sizeof(rq));
    rq.tenant_id = d->tenant;
    int64_t user = 0, expert = 0, project = 0;
    int rc = identity_user_id(&rq, d->c, "expert", &user, d->e);
    if (rc || !user)
        return rc;
    for (int i = 0; i < np && !project; i++)
        if (!ps[i].reported)
            project = ps[i].id;
    rc = db_one_int(
        d->c,
        "SELECT expert_id FROM expert_draw_members WHERE tenant_id = ? AND status = "
        "'confirmed' AND (project_id = ? OR ? = 0) ORDER BY project_id DESC, seq LIMIT 1",
        DB_INTS(d->tenant, project, project), &expert, d->e);
    if (rc <= 0 || !expert)
        return rc < 0 ? rc : 0;
    int64_t n;
    if ((n = db_exec_ints(d->c, "UPDATE experts SET user_id = ? WHERE tenant_id = ? AND id = ?",
                          DB_INTS(user, d->tenant, expert), d->e)) < 0 ||
        (n = db_exec_ints(d->c,
                          "UPDATE expert_draw_members SET expert_user_id = ? WHERE tenant_id = ? "
                          "AND expert_id = ?",
                          DB_INTS(user, d->tenant, expert), d->e)) < 0 ||
        (n = db_exec_ints(d->c,
                          "UPDATE evaluation_scores SET expert_user_id = ? WHERE tenant_id = ? AND "
                          "member_id IN (SELECT id FROM expert_draw_members WHERE tenant_id = ? "
                          "AND expert_id = ?)",
                          DB_INTS(user, d->tenant, d->tenant, expert), d->e)) < 0)
        return (int)n;
    return 0;
}

int pc_demo_committee(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e)
{
    struct demo *d = &D;
    if (d->tenant != tenant_id || !d->expert[0])
        return 0; /* the pool of pc_demo_experts, this tenant's */
    d->rnd ^= seed;
    struct db_stmt *st;
    if (db_prepare_ints(c,
                        "SELECT id, category, method, COALESCE(budget_fen, 0), "
                        "COALESCE(bid_deadline, 0), COALESCE(price_weight_pct, 30), "
                        "evaluation_method, CASE WHEN status = 'suspended' THEN suspended_from "
                        "ELSE status END FROM procurement_projects WHERE tenant_id = ? AND "
                        "CASE WHEN status = 'suspended' THEN suspended_from ELSE status END IN "
                        "('evaluation', 'result_publicity', 'complaint_window', 'contract', "
                        "'performance', 'closed') ORDER BY id",
                        DB_INTS(tenant_id), &st, e)) {
        err_clear(e); /* the projects' part is not there (yet): nothing to do */
        return 0;
    }
    static struct proj ps[MAXPROJ];
    int np = 0, rc;
    while (np < MAXPROJ && (rc = db_step(st, e)) == DB_ROW) {
        struct proj *p = &ps[np++];
        memset(p, 0, sizeof(*p));
        p->id = db_col_int(st, 0);
        p->cat = cat_of(db_col_text(st, 1, NULL));
        snprintf(p->method, sizeof(p->method), "%s", db_col_text(st, 2, NULL));
        p->budget = db_col_int(st, 3);
        p->deadline = db_col_int(st, 4);
        p->weight = db_col_int(st, 5);
        p->lowest = !strcmp(db_col_text(st, 6, NULL), "lowest_price");
        p->reported = strcmp(db_col_text(st, 7, NULL), "evaluation") != 0;
    }
    db_reset(st);
    if (rc < 0 || !np)
        return rc < 0 ? rc : 0;
    struct db_stmt *ins[5] = {0};
    static const char *const sql[5] = {
        "INSERT INTO expert_draws (" COMMON
        "project_id, specialty, members_n, reps_n, experts_n, status, draw_day, drawn_at, "
        "bidders_n, specialists_n, recused_n, recent_n, pool_n, pool_sha256, invited_n, "
        "confirmed_n, declined_n, witness, seed_hex, pool, order_ids) VALUES (" COMMON_V
        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        "INSERT INTO expert_draw_members (" COMMON
        "draw_id, project_id, seq, status, invited_at, answered_at, signed_at, expert_id) VALUES "
        "(" COMMON_V "?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        "INSERT INTO evaluation_items (" COMMON
        "project_id, kind, name, max_score, seq) VALUES (" COMMON_V "?, ?, ?, ?, ?) RETURNING id",
        "INSERT INTO evaluation_scores (" COMMON
        "project_id, member_id, bid_id, item_id, score, expert_user_id) VALUES (" COMMON_V
        "?, ?, ?, ?, ?, ?)",
        "INSERT INTO evaluation_reports (" COMMON
        "project_id, status, evaluation_method, price_weight_pct, winner_bid_id, "
        "winner_supplier_id, winner_price_fen, ranking, members_n, signed_n, signed_at) VALUES "
        "(" COMMON_V "?, 'signed', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    };
    rc = 0;
    for (int i = 0; i < 5 && !rc; i++)
        rc = db_prepare(c, sql[i], &ins[i], e);
    for (int i = 0; i < np && !rc; i++)
        rc = one_committee(d, &ps[i], ins);
    return rc ? rc : demo_login(d, ps, np);
}
