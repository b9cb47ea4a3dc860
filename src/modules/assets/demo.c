/* SPDX-License-Identifier: MIT
 * assets/demo.c - the demo register: the district's own sub-classes under
 * the national top levels, then about 20,000 assets — a desk, a chair and a
 * computer for most people, each department's printers, copiers, air
 * conditioners, cabinets and meeting furniture, the servers and cameras of
 * the information and publicity offices, and every car of the fleet linked
 * to its own asset record — acquired over twelve years, in the rooms their
 * departments use. Most are in use; some idle, under repair or disposed of.
 * Rows go in with prepared INSERTs (demo data, not audited changes).
 */
#include "assets.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../base/rng.h"
#include "../../core/http.h"
#include "../../core/tenant.h"
#include "../../db/db.h"
#include "../fleet/fleet.h"
#include "../identity/identity.h"
#include "../org/org.h"
#include "../space/space.h"

#include <stdio.h>
#include <string.h>

/* the district's sub-classes: code, name, parent (top level), category */
static const struct {
    const char *code, *name, *parent, *category;
} subclasses[] = {
    {"A0201", "计算机设备", "A02", "计算机设备"},
    {"A0202", "办公设备", "A02", "办公设备"},
    {"A0203", "车辆", "A02", "车辆"},
    {"A0204", "通信设备", "A02", "通信设备"},
    {"A0205", "电气设备", "A02", "电气设备"},
    {"A0206", "广播电视电影设备", "A02", "广播电视电影设备"},
    {"A0207", "仪器仪表", "A02", "仪器仪表"},
    {"A0208", "机械设备", "A02", "机械设备"},
    {"A0501", "家具", "A05", "家具"},
    {"A0502", "用具装具", "A05", "用具装具"},
    {"A0401", "图书", "A04", NULL},
};
#define NSUB (int)(sizeof(subclasses) / sizeof(subclasses[0]))

/* what a department has: sub-class index, name, models, value range in
 * yuan, and how many: per person (per mille) or per department */
struct kind {
    int sub;
    const char *name;
    const char *models[3];
    int lo, hi;
    int per_person; /* per mille of people with one */
    int per_dept;   /* so many per department */
};

static const struct kind kinds[] = {
    {0, "台式计算机", {"联想 启天M450", "华为 擎云W515", "清华同方 超越E500"}, 4500, 7200, 850, 0},
    {0, "笔记本电脑", {"联想 昭阳K4e", "华为 擎云L420", "宏碁 TravelMate"}, 5200, 9800, 180, 0},
    {8, "办公桌", {"1.4米钢木", "1.6米实木", "1.2米板式"}, 1200, 3600, 950, 0},
    {8, "办公椅", {"网布转椅", "皮质转椅", "会议椅"}, 450, 1500, 950, 0},
    {8, "文件柜", {"钢制四门", "木质书柜", "密集架"}, 800, 2600, 0, 4},
    {1, "激光打印机", {"奔图 P3301DN", "惠普 M405dn", "联想 LJ2605D"}, 1500, 4200, 0, 3},
    {1, "复印机", {"理光 IM C3000", "柯尼卡美能达 C300i", "夏普 MX-C3082"}, 18000, 42000, 0, 1},
    {1, "投影仪", {"爱普生 CB-X50", "明基 E580", "索尼 VPL-EX570"}, 4200, 11800, 0, 1},
    {1, "碎纸机", {"科密 C-838", "得力 9912", "齐心 S650"}, 1000, 2200, 0, 1},
    {4, "空调", {"格力 KFR-35GW", "美的 KFR-50LW", "海尔 KFR-72LW"}, 3200, 9800, 0, 3},
    {4, "饮水机", {"美的 YR1226S", "安吉尔 Y1351", "沁园 JD-1"}, 1000, 2600, 0, 1},
    {8, "会议桌", {"3.6米实木", "2.4米板式", "椭圆形会议桌"}, 5200, 21000, 0, 1},
    {8, "沙发", {"三人位皮沙发", "布艺沙发", "接待沙发组合"}, 2200, 6800, 0, 1},
    {9, "保险柜", {"得力 16608", "全能 BGX-D1-530", "永发 FDX-A/D-53"}, 2100, 6200, 0, 1},
    {3, "视频会议终端", {"华为 Box300", "中兴 ZXV10 XT502", "小鱼易连 ME40"}, 8500, 26000, 0, 0},
    {5, "摄像机", {"索尼 FDR-AX700", "松下 AG-CX10", "佳能 XF405"}, 9800, 32000, 0, 0},
    {0,
     "服务器",
     {"华为 FusionServer 2288H", "浪潮 NF5280M6", "曙光 I620-G30"},
     38000,
     126000,
     0,
     0},
    {6, "温湿度记录仪", {"精创 RC-4HC", "华盛昌 DT-172", "艾普瑞 TR-72"}, 1000, 1800, 0, 0},
    {7, "柴油发电机组", {"康明斯 100kW", "玉柴 150kW", "潍柴 80kW"}, 85000, 240000, 0, 0},
    {10, "地方志及工具书", {"精装", "平装", "合订本"}, 1000, 3200, 0, 0},
};
#define NKIND (int)(sizeof(kinds) / sizeof(kinds[0]))
#define K_VIDEO 14
#define K_CAMERA 15
#define K_SERVER 16
#define K_LOGGER 17
#define K_GENSET 18
#define K_BOOKS 19

#define MAX_ROOMS 8000
#define MAX_CARS 400
#define TARGET 20000

struct ctx {
    struct db_conn *c;
    struct req *r;
    struct rng g;
    int64_t tenant, now, manager, today;
    int64_t sub_id[NSUB], sub_cat[NSUB];
    int sub_years[NSUB];
    struct db_stmt *ins;
    int seq[2100 - 1990];
    int made;
};

static int insert_class(struct ctx *x, int i, struct err *e)
{
    int64_t parent = 0, cat = 0, years = 0;
    int rc = 0;
    struct db_stmt *st;
    if ((rc = db_prepare_ints(x->c,
                              "SELECT id FROM asset_classes WHERE tenant_id = ? AND edition = "
                              "'2022' AND code = ?",
                              DB_INTS(x->tenant), &st, e)))
        return rc;
    db_bind_text(st, 2, subclasses[i].parent, strlen(subclasses[i].parent));
    if ((rc = db_step(st, e)) == DB_ROW)
        parent = db_col_int(st, 0);
    db_reset(st);
    if (rc < 0)
        return rc;
    const char *cname = subclasses[i].category ? subclasses[i].category : "图书档案";
    if ((rc = db_prepare_ints(x->c,
                              "SELECT id, years FROM asset_categories WHERE tenant_id = ? AND "
                              "name = ?",
                              DB_INTS(x->tenant), &st, e)))
        return rc;
    db_bind_text(st, 2, cname, strlen(cname));
    if ((rc = db_step(st, e)) == DB_ROW)
        cat = db_col_int(st, 0), years = db_col_int(st, 1);
    db_reset(st);
    if (rc < 0)
        return rc;
    if ((rc = db_prepare(x->c,
                         "INSERT INTO asset_classes (tenant_id, version, created_at, updated_at, "
                         "created_by, code, name, edition, parent_id, category_id, active) "
                         "VALUES (?, 1, ?, ?, ?, ?, ?, '2022', ?, ?, 1) RETURNING id",
                         &st, e)))
        return rc;
    db_bind_int(st, 1, x->tenant);
    db_bind_int(st, 2, x->now);
    db_bind_int(st, 3, x->now);
    db_bind_int_or_null(st, 4, x->manager);
    db_bind_text(st, 5, subclasses[i].code, strlen(subclasses[i].code));
    db_bind_text(st, 6, subclasses[i].name, strlen(subclasses[i].name));
    db_bind_int_or_null(st, 7, parent);
    db_bind_int_or_null(st, 8, cat);
    if ((rc = db_step(st, e)) == DB_ROW)
        x->sub_id[i] = db_col_int(st, 0);
    db_reset(st);
    x->sub_cat[i] = cat;
    x->sub_years[i] = (int)years;
    return rc < 0 ? rc : 0;
}

struct one {
    int sub;
    const char *name, *model, *status, *source;
    int64_t value_fen, dept, custodian, room, vehicle;
    int64_t acquired; /* day */
};

static int insert_asset(struct ctx *x, const struct one *o, struct err *e)
{
    char day[16], code[AS_CODE_MAX + 1], serial[24], disposed[16];
    date_format(o->acquired, day, sizeof(day));
    int year = 0;
    sscanf(day, "%4d", &year);
    int yi = year - 1990;
    if (yi < 0 || yi >= (int)(sizeof(x->seq) / sizeof(x->seq[0])))
        yi = 0;
    snprintf(code, sizeof(code), "ZC%04d-%06d", year, ++x->seq[yi]);
    snprintf(serial, sizeof(serial), "SN%08X", (unsigned)(rng_next(&x->g) & 0xFFFFFFFFu));
    struct db_stmt *st = x->ins;
    int k = 1;
    db_bind_int(st, k++, x->tenant);
    db_bind_int(st, k++, x->now);
    db_bind_int(st, k++, x->now);
    db_bind_int_or_null(st, k++, x->manager);
    db_bind_text(st, k++, code, strlen(code));
    db_bind_text(st, k++, o->name, strlen(o->name));
    db_bind_int(st, k++, x->sub_id[o->sub]);
    db_bind_int_or_null(st, k++, x->sub_cat[o->sub]);
    db_bind_text(st, k++, o->model, strlen(o->model));
    db_bind_text(st, k++, serial, strlen(serial));
    db_bind_int(st, k++, o->value_fen);
    db_bind_text(st, k++, day, strlen(day));
    db_bind_text(st, k++, o->source, strlen(o->source));
    db_bind_int(st, k++, x->sub_years[o->sub]);
    db_bind_int(st, k++, o->dept);
    db_bind_int_or_null(st, k++, o->custodian);
    db_bind_int_or_null(st, k++, o->room);
    db_bind_text(st, k++, o->status, strlen(o->status));
    const char *cond = !strcmp(o->status, "repair") ? "poor"
                       : rng_chance(&x->g, 150)     ? "fair"
                                                    : "good";
    db_bind_text(st, k++, cond, strlen(cond));
    db_bind_int_or_null(st, k++, o->vehicle);
    if (!strcmp(o->status, "disposed")) {
        date_format(x->today - rng_range(&x->g, 20, 700), disposed, sizeof(disposed));
        db_bind_text(st, k++, disposed, strlen(disposed));
    } else
        db_bind_null(st, k++);
    int rc = db_step(st, e);
    db_reset(st);
    x->made++;
    return rc < 0 ? rc : 0;
}

static const char *pick_status(struct ctx *x, int64_t age_days, int years)
{
    int old = years && age_days > (int64_t)years * 365;
    int p = rng_below(&x->g, 1000);
    if (old && p < 250)
        return "disposed";
    if (p < 50 + (old ? 100 : 0))
        return "idle";
    if (p < 62 + (old ? 120 : 0))
        return "repair";
    return "in_use";
}

static int64_t value_of(struct ctx *x, const struct kind *k)
{
    return (int64_t)rng_range(&x->g, k->lo, k->hi) * 100 + rng_below(&x->g, 10) * 10;
}

static int64_t acquired_day(struct ctx *x)
{
    /* twelve years back, more of the recent ones */
    int a = rng_below(&x->g, 12 * 365), b = rng_below(&x->g, 12 * 365);
    return x->today - 10 - (a < b ? a : b);
}

/* the first room of department dept in rooms (sorted by department), or 0 */
static int64_t room_of(const struct sp_room_dept *rooms, int n, int64_t dept, int k)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (rooms[mid].department_id < dept)
            lo = mid + 1;
        else
            hi = mid;
    }
    int cnt = 0;
    while (lo + cnt < n && rooms[lo + cnt].department_id == dept)
        cnt++;
    return cnt ? rooms[lo + (k % cnt)].id : 0;
}

static int fill(struct ctx *x, struct arena *a, struct err *e)
{
    struct org_dept_list depts;
    struct org_person_list people;
    int rc;
    if ((rc = org_dept_list_load(x->r, x->c, &depts, e)) ||
        (rc = org_person_list_load(x->r, x->c, &people, e)))
        return rc;
    struct sp_room_dept *rooms = arena_alloc(a, sizeof(*rooms) * MAX_ROOMS);
    struct fl_vehicle_ref *cars = arena_alloc(a, sizeof(*cars) * MAX_CARS);
    int nrooms = 0, ncars = 0;
    if (!rooms || !cars)
        return err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
    if ((rc = sp_rooms_by_department(x->c, x->tenant, NULL, rooms, MAX_ROOMS, &nrooms, e)) ||
        (rc = fl_vehicle_list(a, x->c, x->tenant, cars, MAX_CARS, &ncars, e)))
        return rc;
    /* the cars first: each is an asset of its own, linked */
    for (int i = 0; i < ncars && !rc; i++) {
        int64_t reg = x->today - 365 * 3;
        if (cars[i].registered_on[0])
            date_parse(cars[i].registered_on, strlen(cars[i].registered_on), &reg);
        char name[120];
        snprintf(name, sizeof(name), "%s %s", cars[i].brand, cars[i].plate);
        struct one o = {.sub = 2,
                        .name = name,
                        .model = cars[i].model,
                        .status = !strcmp(cars[i].status, "disposed") ? "disposed" : "in_use",
                        .source = "purchase",
                        .value_fen = cars[i].price_fen > 0 ? cars[i].price_fen : 15000000,
                        .dept = cars[i].department_id ? cars[i].department_id
                                                      : (depts.n ? depts.v[0].id : 0),
                        .vehicle = cars[i].id,
                        .acquired = reg};
        if (o.dept)
            rc = insert_asset(x, &o, e);
    }
    /* per person: desk, chair, computer; per department: the shared things */
    for (int d = 0; d < depts.n && !rc && x->made < TARGET; d++) {
        int64_t dept = depts.v[d].id;
        int64_t first = 0;
        for (int p = 0; p < people.n && !rc && x->made < TARGET; p++) {
            const struct org_person_row *pr = &people.v[p];
            if (pr->department_id != dept || !pr->active)
                continue;
            if (!first)
                first = pr->id;
            for (int k = 0; k < NKIND && !rc; k++) {
                if (!kinds[k].per_person || !rng_chance(&x->g, kinds[k].per_person))
                    continue;
                int64_t acq = acquired_day(x);
                struct one o = {.sub = kinds[k].sub,
                                .name = kinds[k].name,
                                .model = kinds[k].models[rng_below(&x->g, 3)],
                                .source = rng_chance(&x->g, 60) ? "transfer_in" : "purchase",
                                .value_fen = value_of(x, &kinds[k]),
                                .dept = dept,
                                .custodian = pr->id,
                                .room = room_of(rooms, nrooms, dept, (int)(pr->id % 7)),
                                .acquired = acq};
                o.status = pick_status(x, x->today - acq, x->sub_years[o.sub]);
                rc = insert_asset(x, &o, e);
            }
        }
        for (int k = 0; k < NKIND && !rc; k++) {
            int n = kinds[k].per_dept;
            if (k == K_VIDEO)
                n = d % 3 == 0;
            else if (k == K_CAMERA || k == K_LOGGER || k == K_BOOKS)
                n = d % 10 == 1 ? 2 : 0;
            else if (k == K_SERVER)
                n = d % 25 == 2 ? 4 : 0;
            else if (k == K_GENSET)
                n = d % 40 == 3;
            for (int i = 0; i < n && !rc; i++) {
                int64_t acq = acquired_day(x);
                struct one o = {.sub = kinds[k].sub,
                                .name = kinds[k].name,
                                .model = kinds[k].models[rng_below(&x->g, 3)],
                                .source = "purchase",
                                .value_fen = value_of(x, &kinds[k]),
                                .dept = dept,
                                .custodian = first,
                                .room = room_of(rooms, nrooms, dept, i),
                                .acquired = acq};
                o.status = pick_status(x, x->today - acq, x->sub_years[o.sub]);
                rc = insert_asset(x, &o, e);
            }
        }
    }
    /* the rest of the 20,000: the bureau's own stores and spare furniture */
    for (int i = 0; x->made < TARGET && depts.n && !rc; i++) {
        const struct kind *k = &kinds[(i * 7) % 14];
        int64_t dept = depts.v[i % depts.n].id, acq = acquired_day(x);
        struct one o = {.sub = k->sub,
                        .name = k->name,
                        .model = k->models[i % 3],
                        .source = "purchase",
                        .value_fen = value_of(x, k),
                        .dept = dept,
                        .room = room_of(rooms, nrooms, dept, i),
                        .acquired = acq};
        o.status = pick_status(x, x->today - acq, x->sub_years[o.sub]);
        rc = insert_asset(x, &o, e);
    }
    return rc;
}

int as_demo(struct db_conn *c, int64_t tenant, uint64_t seed, struct err *e)
{
    struct arena *a = arena_new(8u << 20);
    struct req r;
    struct ctx *x = a ? arena_zalloc(a, sizeof(*x)) : NULL;
    int rc = 0;
    if (!x) {
        arena_free(a);
        return err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
    }
    req_init_internal(&r, a, NULL, NULL);
    r.tenant_id = tenant;
    r.utc_offset_min = tenant_utc_offset(c, tenant, 480); /* the tenant's day */
    x->c = c;
    x->r = &r;
    x->tenant = tenant;
    x->now = clock_now();
    x->today = (x->now + r.utc_offset_min * 60) / 86400;
    x->g.s = seed ^ 0xA55E75ull;
    if ((rc = identity_user_id(&r, c, "assets_manager", &x->manager, e)))
        goto out;
    for (int i = 0; i < NSUB && !rc; i++)
        rc = insert_class(x, i, e);
    if (rc || (rc = db_prepare(c,
                               "INSERT INTO assets (tenant_id, version, created_at, updated_at, "
                               "created_by, code, name, class_id, category_id, model, serial, "
                               "original_value_fen, acquired_on, source, useful_years, "
                               "department_id, custodian_id, room_id, status, condition, "
                               "vehicle_id, disposed_on) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                               "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               &x->ins, e)))
        goto out;
    rc = fill(x, a, e);
    rc = rc ? rc : as_stocktake_demo(c, tenant, seed, e);
    if (!rc) /* the pool, its requests and loans, transfers and disposals */
        rc = as_pool_demo(c, tenant, seed, e);
out:
    arena_free(a);
    return rc;
}
