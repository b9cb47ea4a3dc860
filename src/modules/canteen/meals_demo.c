/* SPDX-License-Identifier: MIT
 * canteen/meals_demo.c - the demo menus (the past four weeks and the next
 * week), bookings for the next days, ratings of meals eaten, and the
 * food-safety records: deliveries of the last four months from the
 * district's tendered suppliers, samples of each dish of the last days,
 * ten workers' health certificates a canteen (a few expiring, one
 * expired), inspections with findings. The canteens and their meal periods
 * are read from the database (demo.c put them there); rows go in with
 * prepared INSERTs.
 */
#include "canteen.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/tenant.h"
#include "../../db/db.h"

#include <stdio.h>
#include <string.h>

#define MAXC 64
#define MAXP 8000

struct demo {
    struct db_conn *c;
    struct err *e;
    int64_t tenant, now, today;
    int off; /* the tenant's UTC offset, minutes */
    uint64_t rnd;
    int nc;
    int64_t canteen[MAXC];
    int meals[MAXC]; /* bit 1 breakfast, 2 lunch, 4 dinner, 8 night */
    int np;
    int64_t person[MAXP];
};

static const char *const meal_names[4] = {"breakfast", "lunch", "dinner", "night"};

static uint32_t rnd(struct demo *d)
{
    d->rnd = d->rnd * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(d->rnd >> 33);
}

static const char *const breakfast[] = {
    "白粥",   "小米粥", "豆浆",       "牛奶",   "肉包子", "菜包子", "花卷", "油条",   "煎鸡蛋",
    "茶叶蛋", "榨菜",   "凉拌海带丝", "鸡蛋饼", "葱油饼", "小笼包", "馄饨", "南瓜粥", "玉米",
};
static const char *const mains[] = {
    "红烧肉",   "宫保鸡丁", "鱼香肉丝", "糖醋里脊", "清蒸鲈鱼", "回锅肉",   "土豆烧牛肉",
    "红烧鸡块", "麻婆豆腐", "京酱肉丝", "可乐鸡翅", "梅菜扣肉", "香菇滑鸡", "孜然羊肉",
    "红烧带鱼", "木须肉",   "黄焖鸡",   "番茄牛腩", "酸菜鱼",   "干锅花菜",
};
static const char *const sides[] = {
    "清炒时蔬",   "蒜蓉西兰花", "醋溜土豆丝", "西红柿炒鸡蛋", "手撕包菜", "干煸四季豆", "地三鲜",
    "清炒油麦菜", "凉拌黄瓜",   "韭菜炒蛋",   "蚝油生菜",     "家常豆腐", "炒豆芽",
};
static const char *const soups[] = {"紫菜蛋花汤", "冬瓜排骨汤", "番茄蛋汤", "酸辣汤",
                                    "绿豆汤",     "玉米排骨汤", "菌菇汤"};
static const char *const staples[] = {"米饭", "馒头", "杂粮饭", "手工面条"};
#define N(a) (int)(sizeof(a) / sizeof(a[0]))

static const struct {
    const char *name, *licence, *contact;
    const char *products[4];
    const char *unit;
    int shelf; /* days; 0: none */
} suppliers[] = {
    {"区农产品配送中心有限公司",
     "JY13301060012345",
     "农批市场A区8号 0571-86012345",
     {"大白菜", "土豆", "西红柿", "青椒"},
     "公斤",
     0},
    {"绿源蔬菜专业合作社",
     "JY13301060023456",
     "城北镇绿源村 13805710023",
     {"菠菜", "黄瓜", "西兰花", "生菜"},
     "公斤",
     0},
    {"正大肉类食品有限公司",
     "SC10433010600123",
     "经济开发区15号路 0571-86234567",
     {"猪肉(冷鲜)", "牛腩(冷鲜)", "鸡翅中(冷冻)", "鸡腿(冷冻)"},
     "公斤",
     5},
    {"金龙粮油贸易有限公司",
     "JY13301060034567",
     "粮油市场12号 0571-86345678",
     {"大米", "面粉", "菜籽油", "挂面"},
     "袋",
     365},
    {"海鲜水产批发行",
     "JY13301060045678",
     "水产市场C区3号 13905710045",
     {"鲈鱼(鲜活)", "带鱼(冷冻)", "草鱼(鲜活)", "虾仁(冷冻)"},
     "公斤",
     3},
    {"光明乳业区域经销部",
     "JY13301060056789",
     "城东物流园5号 0571-86456789",
     {"纯牛奶", "酸奶", "豆浆粉", "鸡蛋"},
     "箱",
     21},
};

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵",
                                       "周", "吴", "徐", "孙", "马", "朱", "胡", "郭"};
static const char *const given[] = {"建国", "秀英", "桂兰", "志强", "海燕", "丽华", "国庆",
                                    "春梅", "德明", "小红", "卫东", "凤英", "永刚", "玉兰"};
static const char *const posts[] = {"厨师",   "厨师",   "帮厨",   "面点师", "配菜员",
                                    "洗消员", "售饭员", "采购员", "库管员", "厨师长"};

static int step(struct demo *d, struct db_stmt *st)
{
    int rc = db_step(st, d->e);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static void bind_day(struct db_stmt *st, int k, int64_t day)
{
    char s[16];
    date_format(day, s, sizeof(s));
    db_bind_text(st, k, s, strlen(s));
}

static void bind_s(struct db_stmt *st, int k, const char *s)
{
    db_bind_text(st, k, s, strlen(s));
}

static int load(struct demo *d)
{
    struct db_stmt *st;
    int rc = db_prepare_ints(d->c, "SELECT id FROM canteens WHERE tenant_id = ? ORDER BY id",
                             DB_INTS(d->tenant), &st, d->e);
    if (rc)
        return rc;
    while ((rc = db_step(st, d->e)) == DB_ROW && d->nc < MAXC)
        d->canteen[d->nc++] = db_col_int(st, 0);
    db_reset(st);
    if (rc < 0 ||
        (rc = db_prepare_ints(d->c,
                              "SELECT canteen_id, meal FROM meal_periods WHERE tenant_id = ? AND "
                              "active = 1",
                              DB_INTS(d->tenant), &st, d->e)))
        return rc < 0 ? rc : rc;
    while ((rc = db_step(st, d->e)) == DB_ROW) {
        int64_t id = db_col_int(st, 0);
        const char *m = db_col_text(st, 1, NULL);
        for (int i = 0; i < d->nc; i++)
            if (d->canteen[i] == id)
                for (int k = 0; k < 4; k++)
                    if (!strcmp(m, meal_names[k]))
                        d->meals[i] |= 1 << k;
    }
    db_reset(st);
    if (rc < 0 || (rc = db_prepare_ints(d->c,
                                        "SELECT person_id FROM meal_accounts WHERE tenant_id = ? "
                                        "AND kind = 'person' AND person_id IS NOT NULL ORDER BY "
                                        "person_id",
                                        DB_INTS(d->tenant), &st, d->e)))
        return rc < 0 ? rc : rc;
    while ((rc = db_step(st, d->e)) == DB_ROW && d->np < MAXP)
        d->person[d->np++] = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

#define COMMON "tenant_id, version, created_at, updated_at, "
#define COMMON_V "?, 1, ?, ?, "

static void bind_common(struct demo *d, struct db_stmt *st)
{
    db_bind_int(st, 1, d->tenant);
    db_bind_int(st, 2, d->now);
    db_bind_int(st, 3, d->now);
}

/* The dishes of a canteen's meal on a day, one a line; dish[] gets them. */
static int dishes_of(int ci, int meal, int64_t day, char *out, size_t n, const char *dish[8])
{
    int k = 0;
    uint32_t h = (uint32_t)(day * 31 + ci * 7 + meal * 13);
    if (meal == 0) {
        for (int i = 0; i < 4; i++)
            dish[k++] = breakfast[(h + (uint32_t)i * 5) % N(breakfast)];
    } else {
        dish[k++] = mains[h % N(mains)];
        dish[k++] = mains[(h + 7) % N(mains)];
        dish[k++] = sides[(h + 3) % N(sides)];
        dish[k++] = sides[(h + 8) % N(sides)];
        dish[k++] = soups[h % N(soups)];
        dish[k++] = staples[(h / 3) % N(staples)];
    }
    size_t at = 0;
    out[0] = 0;
    for (int i = 0; i < k && at < n; i++) /* a dish that does not fit is left out */
        at += (size_t)snprintf(out + at, n - at, "%s%s", i ? "\n" : "", dish[i]);
    return k;
}

static int menus_and_samples(struct demo *d)
{
    struct db_stmt *menu, *sample;
    int rc = db_prepare(d->c,
                        "INSERT INTO menus (" COMMON "canteen_id, day, meal, dishes, published) "
                        "VALUES (" COMMON_V "?, ?, ?, ?, ?)",
                        &menu, d->e);
    if (rc || (rc = db_prepare(d->c,
                               "INSERT INTO food_samples (" COMMON
                               "canteen_id, day, meal, dish, weight_g, taken_at, taken_by, "
                               "fridge, keep_until, status, discarded_at, discard_reason, "
                               "discarded_early) VALUES (" COMMON_V
                               "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               &sample, d->e)))
        return rc;
    static const int starts[4] = {7 * 60, 11 * 60 + 30, 17 * 60 + 30, 21 * 60};
    int early_done = 0;
    for (int ci = 0; ci < d->nc && !rc; ci++)
        for (int64_t day = d->today - 28; day <= d->today + 7 && !rc; day++)
            for (int meal = 0; meal < 4 && !rc; meal++) {
                if (!(d->meals[ci] & (1 << meal)))
                    continue;
                char text[400];
                const char *dish[8];
                int k = dishes_of(ci, meal, day, text, sizeof(text), dish);
                bind_common(d, menu);
                db_bind_int(menu, 4, d->canteen[ci]);
                bind_day(menu, 5, day);
                bind_s(menu, 6, meal_names[meal]);
                bind_s(menu, 7, text);
                db_bind_int(menu, 8, day <= d->today + 4); /* the week after next still a draft */
                if ((rc = step(d, menu)) || day > d->today || day < d->today - 3)
                    continue;
                /* samples of the last days: one a dish (not the staple) */
                int64_t taken = day * 86400 + (starts[meal] - 10 - d->off) * 60;
                if (taken > d->now)
                    continue;
                for (int i = 0; i < k && !rc; i++) {
                    if (meal > 0 && i == k - 1)
                        continue;
                    int64_t keep = taken + CT_SAMPLE_HOURS * 3600;
                    int gone = keep <= d->now;
                    int early = !gone && !early_done && day == d->today - 1 && ci == 2 && i == 1;
                    early_done |= early;
                    char by[32], fridge[32];
                    snprintf(by, sizeof(by), "%s%s", surnames[(ci + i) % N(surnames)],
                             given[(ci * 3) % N(given)]);
                    snprintf(fridge, sizeof(fridge), "留样冰箱%d号", 1 + (int)(rnd(d) % 2));
                    bind_common(d, sample);
                    db_bind_int(sample, 4, d->canteen[ci]);
                    bind_day(sample, 5, day);
                    bind_s(sample, 6, meal_names[meal]);
                    bind_s(sample, 7, dish[i]);
                    db_bind_int(sample, 8, 125 + (int)(rnd(d) % 60));
                    db_bind_int(sample, 9, taken);
                    bind_s(sample, 10, by);
                    bind_s(sample, 11, fridge);
                    db_bind_int(sample, 12, keep);
                    bind_s(sample, 13, gone || early ? "discarded" : "kept");
                    if (gone || early)
                        db_bind_int(sample, 14, early ? d->now - 3600 : keep + 1800);
                    else
                        db_bind_null(sample, 14);
                    if (early)
                        bind_s(sample, 15, "冰箱断电检修，留样转移时包装破损");
                    else
                        db_bind_null(sample, 15);
                    db_bind_int(sample, 16, early);
                    rc = step(d, sample);
                }
            }
    return rc;
}

static int bookings_and_ratings(struct demo *d)
{
    struct db_stmt *st;
    int rc = db_prepare(d->c,
                        "INSERT INTO meal_bookings (" COMMON
                        "person_id, canteen_id, day, meal, count, status) VALUES (" COMMON_V
                        "?, ?, ?, ?, ?, ?)",
                        &st, d->e);
    for (int64_t day = d->today + 1; day <= d->today + 3 && !rc; day++)
        for (int i = 0; i < d->np && !rc; i++) {
            if ((d->person[i] * 7 + day) % 9)
                continue; /* about one in nine books a meal */
            int ci = (int)(d->person[i] % d->nc);
            int meal = d->meals[ci] & 2 ? 1 : 0;
            bind_common(d, st);
            db_bind_int(st, 4, d->person[i]);
            db_bind_int(st, 5, d->canteen[ci]);
            bind_day(st, 6, day);
            bind_s(st, 7, meal_names[meal]);
            db_bind_int(st, 8, rnd(d) % 10 ? 1 : 2);
            bind_s(st, 9, rnd(d) % 12 ? "booked" : "cancelled");
            rc = step(d, st);
        }
    if (rc)
        return rc;
    /* ratings: some of the meals eaten in the last week (the ledger's spends) */
    char from[16];
    date_format(d->today - 6, from, sizeof(from));
    struct db_stmt *sel, *ins;
    if ((rc = db_prepare(d->c,
                         "SELECT DISTINCT person_id, canteen_id, business_day, meal FROM "
                         "meal_transactions WHERE tenant_id = ? AND kind = 'spend' AND "
                         "business_day >= ? AND person_id IS NOT NULL AND canteen_id IS NOT NULL "
                         "AND meal IS NOT NULL",
                         &sel, d->e)) ||
        (rc = db_prepare(d->c,
                         "INSERT INTO meal_ratings (" COMMON
                         "person_id, canteen_id, day, meal, score, comment) VALUES (" COMMON_V
                         "?, ?, ?, ?, ?, ?)",
                         &ins, d->e)))
        return rc;
    db_bind_int(sel, 1, d->tenant);
    bind_s(sel, 2, from);
    static const char *const comments[] = {"菜品丰富，味道不错", "分量足",         "希望多些清淡菜",
                                           "红烧肉偏咸",         "窗口排队时间长", NULL};
    static const int scores[10] = {5, 5, 4, 4, 4, 4, 3, 5, 2, 4};
    enum { MAX_RATINGS = 20000 };
    struct rated {
        int64_t p, c;
        char day[11], meal[12];
    };
    struct arena *a = arena_new(MAX_RATINGS * sizeof(struct rated) + 4096);
    struct rated *v = a ? arena_alloc(a, MAX_RATINGS * sizeof(struct rated)) : NULL;
    int n = 0;
    if (!v) {
        arena_free(a);
        db_reset(sel);
        return err_set(d->e, ERR_BUDGET, NULL, NULL, "out of memory");
    }
    while ((rc = db_step(sel, d->e)) == DB_ROW && n < MAX_RATINGS) {
        if (rnd(d) % 25)
            continue;
        v[n].p = db_col_int(sel, 0);
        v[n].c = db_col_int(sel, 1);
        snprintf(v[n].day, sizeof(v[n].day), "%s", db_col_text(sel, 2, NULL));
        snprintf(v[n].meal, sizeof(v[n].meal), "%s", db_col_text(sel, 3, NULL));
        n++;
    }
    db_reset(sel);
    rc = rc < 0 ? rc : 0;
    for (int i = 0; i < n && !rc; i++) {
        bind_common(d, ins);
        db_bind_int(ins, 4, v[i].p);
        db_bind_int(ins, 5, v[i].c);
        bind_s(ins, 6, v[i].day);
        bind_s(ins, 7, v[i].meal);
        db_bind_int(ins, 8, scores[rnd(d) % 10]);
        const char *cm = comments[rnd(d) % 6];
        if (cm)
            bind_s(ins, 9, cm);
        else
            db_bind_null(ins, 9);
        rc = step(d, ins);
    }
    arena_free(a);
    return rc;
}

static int deliveries(struct demo *d)
{
    struct db_stmt *st;
    int rc = db_prepare(d->c,
                        "INSERT INTO food_deliveries (" COMMON
                        "canteen_id, delivered_on, supplier_name, supplier_licence, "
                        "supplier_contact, product, spec, quantity, unit, batch, "
                        "production_date, shelf_life_days, expires_on, certificate_no, "
                        "checked_by, result, note, keep_until) VALUES (" COMMON_V
                        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        &st, d->e);
    for (int ci = 0; ci < d->nc && !rc; ci++)
        for (int64_t day = d->today - 120; day <= d->today && !rc; day++) {
            int dow = (int)((day + 4) % 7); /* 0 Sunday */
            if (dow == 0 || dow == 6 || (day + ci) % 3)
                continue; /* a delivery every third working day or so */
            int s = (int)(rnd(d) % N(suppliers));
            const char *product = suppliers[s].products[rnd(d) % 4];
            int shelf = suppliers[s].shelf;
            int64_t produced = day - (shelf ? (int64_t)(rnd(d) % (shelf > 3 ? 3 : 1)) : 0);
            int64_t last = shelf ? ct_product_expiry(produced, shelf) : 0;
            int rejected = rnd(d) % 40 == 0;
            char batch[32], cert[32], checker[32];
            snprintf(batch, sizeof(batch), "B%06lld%02d", (long long)(produced % 1000000),
                     (int)(rnd(d) % 100));
            snprintf(cert, sizeof(cert), "HG%lld-%04d", (long long)day, (int)(rnd(d) % 10000));
            snprintf(checker, sizeof(checker), "%s%s", surnames[(ci * 5) % N(surnames)],
                     given[(ci + 2) % N(given)]);
            bind_common(d, st);
            db_bind_int(st, 4, d->canteen[ci]);
            bind_day(st, 5, day);
            bind_s(st, 6, suppliers[s].name);
            bind_s(st, 7, suppliers[s].licence);
            bind_s(st, 8, suppliers[s].contact);
            bind_s(st, 9, product);
            bind_s(st, 10, shelf >= 21 ? "标准包装" : "散装");
            db_bind_int(st, 11, (20 + (int64_t)(rnd(d) % 180)) * 100); /* scale 2 */
            bind_s(st, 12, suppliers[s].unit);
            bind_s(st, 13, batch);
            if (shelf) {
                bind_day(st, 14, produced);
                db_bind_int(st, 15, shelf);
                bind_day(st, 16, last);
            } else {
                db_bind_null(st, 14);
                db_bind_null(st, 15);
                db_bind_null(st, 16);
            }
            bind_s(st, 17, cert);
            bind_s(st, 18, checker);
            bind_s(st, 19, rejected ? "rejected" : "accepted");
            if (rejected)
                bind_s(st, 20, "感官检查不合格：有异味，已拒收退回");
            else
                db_bind_null(st, 20);
            bind_day(st, 21,
                     ct_delivery_keep_until(day, last, shelf > 0, CT_KEEP_AFTER_EXPIRY_MONTHS,
                                            CT_KEEP_NO_SHELF_MONTHS));
            rc = step(d, st);
        }
    return rc;
}

static int certificates_and_inspections(struct demo *d)
{
    struct db_stmt *st, *insp;
    int rc = db_prepare(d->c,
                        "INSERT INTO health_certificates (" COMMON
                        "canteen_id, worker_name, post, certificate_no, issued_on, expires_on, "
                        "alert_stage) VALUES (" COMMON_V "?, ?, ?, ?, ?, ?, ?)",
                        &st, d->e);
    if (rc || (rc = db_prepare(d->c,
                               "INSERT INTO food_inspections (" COMMON
                               "canteen_id, day, kind, inspector, findings, result, rectify_by, "
                               "status, rectified_at, rectify_note) VALUES (" COMMON_V
                               "?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               &insp, d->e)))
        return rc;
    int seq = 0;
    for (int ci = 0; ci < d->nc && !rc; ci++)
        for (int w = 0; w < 10 && !rc; w++) {
            /* issued within the last year; a few due soon, one expired */
            int64_t issued = d->today - 30 - (int64_t)(rnd(d) % 300);
            if (w == 0 && ci % 3 == 0)
                issued = d->today - 365 + 10 + ci; /* expires within 30 days */
            if (w == 1 && ci == 4)
                issued = d->today - 370; /* expired 5 days ago */
            int64_t exp = ct_cert_expiry(issued);
            char name[32], no[32];
            snprintf(name, sizeof(name), "%s%s", surnames[(ci * 3 + w) % N(surnames)],
                     given[(ci + w * 5) % N(given)]);
            snprintf(no, sizeof(no), "JK%lld%05d", (long long)(issued % 100000), ++seq);
            bind_common(d, st);
            db_bind_int(st, 4, d->canteen[ci]);
            bind_s(st, 5, name);
            bind_s(st, 6, posts[w]);
            bind_s(st, 7, no);
            bind_day(st, 8, issued);
            bind_day(st, 9, exp);
            bind_s(st, 10, ct_cert_stage(exp, d->today, CT_CERT_ALERT_DAYS));
            rc = step(d, st);
        }
    static const char *const findings[] = {
        "后厨地面清洁，留样记录完整，健康证明在有效期内。",
        "冷藏冰箱温度记录缺两天；生熟砧板标识不清。",
        "防鼠板缺失一处，排水沟盖板破损。",
        "消毒柜运行记录不完整，部分餐具未保洁存放。",
    };
    for (int ci = 0; ci < d->nc && !rc; ci++)
        for (int k = 0; k < 4 && !rc; k++) {
            int64_t day = d->today - 100 + k * 30 + ci;
            if (day > d->today)
                continue;
            int regulator = k == 2;
            int f = k == 0 ? 0 : 1 + (int)(rnd(d) % 3);
            const char *result = f == 0 ? "pass" : "rectify";
            int64_t by = day + 14;
            int open = f && by >= d->today - 20 && (ci % 4 == 0);
            const char *status = f == 0 ? "closed" : open ? "open" : "rectified";
            bind_common(d, insp);
            db_bind_int(insp, 4, d->canteen[ci]);
            bind_day(insp, 5, day);
            bind_s(insp, 6, regulator ? "regulator" : "self");
            bind_s(insp, 7, regulator ? "区市场监督管理局" : "食堂食品安全管理员");
            bind_s(insp, 8, findings[f]);
            bind_s(insp, 9, result);
            if (f)
                bind_day(insp, 10, by);
            else
                db_bind_null(insp, 10);
            bind_s(insp, 11, status);
            if (!strcmp(status, "rectified")) {
                db_bind_int(insp, 12, (by - 3) * 86400);
                bind_s(insp, 13, "已按要求整改并拍照存档");
            } else {
                db_bind_null(insp, 12);
                db_bind_null(insp, 13);
            }
            rc = step(d, insp);
        }
    return rc;
}

int ct_meals_demo(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e)
{
    static struct demo d; /* large: kept off the stack; the demo runs once at a time */
    memset(&d, 0, sizeof(d));
    d.c = c;
    d.e = e;
    d.tenant = tenant_id;
    d.now = clock_now();
    d.off = tenant_utc_offset(c, tenant_id, 480);
    d.today = (d.now + (int64_t)d.off * 60) / 86400;
    d.rnd = seed ^ 0x6d65616c73ULL;
    int rc = load(&d);
    if (rc || !d.nc)
        return rc;
    if (!(rc = menus_and_samples(&d)) && !(rc = bookings_and_ratings(&d)) && !(rc = deliveries(&d)))
        rc = certificates_and_inspections(&d);
    return rc;
}
