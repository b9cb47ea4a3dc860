/* SPDX-License-Identifier: MIT
 * fleet/demo.c - a district's official vehicles for --demo: 90 vehicles of
 * every class (domestic makes, many electric, one to twelve years old), the
 * drivers among the demo staff (a few with accounts, the demo user `driver`
 * among them), a year of requests and trips without overlaps and with the
 * odometers climbing, their costs, and today's board: requests waiting for
 * approval and dispatch, dispatched trips, a vehicle in repair and disposals. The same seed gives
 * the same rows.
 */
#include "fleet.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../base/rng.h"
#include "../../db/db.h"
#include "../../engine/idformat.h"
#include "../identity/identity.h"
#include "../org/calendar.h"
#include "../org/org.h"

#include <stdio.h>
#include <string.h>

#define NV 90   /* vehicles */
#define MAXD 80 /* drivers */
#define DAYS 365
#define PER_DAY 16 /* trips on a working day, about */

struct model {
    const char *brand, *model;
    int seats, disp; /* displacement in tenths of a litre (stored in millilitres) */
    const char *energy;
    int automatic;
    int64_t price_fen;
    int weight;
};

static const struct model models[] = {
    {"比亚迪", "秦PLUS EV", 5, 0, "electric", 1, 13980000, 14},
    {"比亚迪", "汉 EV", 5, 0, "electric", 1, 17980000, 6},
    {"比亚迪", "宋PLUS DM-i", 5, 15, "phev", 1, 15980000, 6},
    {"比亚迪", "e6", 5, 0, "electric", 1, 17500000, 5},
    {"广汽埃安", "AION S", 5, 0, "electric", 1, 14980000, 7},
    {"北汽新能源", "EU5", 5, 0, "electric", 1, 13990000, 4},
    {"红旗", "H5", 5, 15, "petrol", 1, 16580000, 8},
    {"吉利", "帝豪", 5, 15, "petrol", 0, 8980000, 8},
    {"长安", "逸动", 5, 16, "petrol", 1, 8990000, 7},
    {"上汽大众", "朗逸", 5, 15, "petrol", 1, 11990000, 6},
    {"一汽丰田", "卡罗拉 双擎", 5, 18, "hybrid", 1, 12980000, 4},
    {"上汽通用别克", "GL8", 7, 20, "petrol", 1, 23990000, 4},
    {"广汽传祺", "M8", 7, 20, "petrol", 1, 19980000, 3},
    {"长城", "炮 皮卡", 5, 20, "diesel", 0, 11980000, 4},
    {"江铃", "全顺 中型客车", 15, 22, "diesel", 0, 16500000, 4},
    {"宇通", "ZK6729 客车", 23, 38, "diesel", 0, 42000000, 2},
};

static const char *const insurers[] = {"中国人民财产保险股份有限公司深圳市分公司",
                                       "中国平安财产保险股份有限公司深圳分公司"};
static const char *const repairers[] = {"深圳市龙岗区公务车辆定点维修中心",
                                        "深圳市鹏程汽车维修有限公司"};
static const char *const stations[] = {"中国石化龙岗中心城加油站", "中国石油布吉加油站",
                                       "南方电网龙岗充电站"};

struct trip_tmpl {
    const char *purpose, *dest;
    int km_lo, km_hi;
};

static const struct trip_tmpl trips_t[] = {
    {"赴市政府参加会议", "深圳市民中心", 40, 70},
    {"到街道开展安全生产检查", "龙城街道办事处", 15, 40},
    {"陪同领导调研重点项目", "坂田街道", 30, 80},
    {"送达机要文件", "深圳市委机要局", 40, 70},
    {"应急值守保障", "龙岗区应急管理局", 10, 30},
    {"执法检查", "横岗街道", 20, 60},
    {"接送外地考察团", "深圳宝安国际机场", 110, 160},
    {"赴省直部门汇报工作", "广州市越秀区", 280, 360},
    {"参加培训", "深圳市委党校", 50, 90},
    {"慰问困难群众", "平湖街道", 20, 50},
    {"防汛巡查", "龙岗河沿线", 30, 90},
    {"会议保障用车", "区行政中心", 5, 20},
};

struct veh {
    int64_t id, km, reg, stop_day; /* no trips from stop_day on */
    int m, cls_i;
    uint32_t busy; /* slots taken today: bit 0 morning, bit 1 afternoon */
    int64_t busy_day;
    int64_t fuel_month, fuel_fen, fuel_day; /* the fuel bill being added up */
};

struct drv {
    int64_t id, user_id;
    const char *lic;
    int64_t busy_day;
    uint32_t busy;
};

static const char *const classes[] = {"other", "law_enforcement", "emergency", "confidential",
                                      "special"};

static int exec_one(struct db_stmt *st, struct err *e, int64_t *id)
{
    int rc = db_step(st, e);
    if (id)
        *id = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static void bind_str(struct db_stmt *st, int k, const char *s)
{
    if (s)
        db_bind_text(st, k, s, strlen(s));
    else
        db_bind_null(st, k);
}

static void bind_day(struct db_stmt *st, int k, int64_t day)
{
    char d[16];
    date_format(day, d, sizeof(d));
    db_bind_text(st, k, d, strlen(d));
}

static int64_t user_id(struct req *r, struct db_conn *c, const char *name, struct err *e)
{
    int64_t id = 0;
    return identity_user_id(r, c, name, &id, e) ? 0 : id;
}

struct ctx {
    struct db_conn *c;
    struct req *r; /* the tenant's: what identity and the organisation say */
    int64_t tenant, now, today;
    struct calendar cal;
    struct rng g;
    struct veh v[NV];
    struct drv d[MAXD];
    int nd;
    int64_t requesters[64], req_dept[64];
    int nreq;
    int64_t leader, dispatcher;
    struct db_stmt *ins_v, *ins_rq, *ins_trip, *ins_cost;
};

static int make_vehicles(struct ctx *x, struct err *e)
{
    static const char letters[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    int total_w = 0;
    for (size_t i = 0; i < sizeof(models) / sizeof(models[0]); i++)
        total_w += models[i].weight;
    for (int i = 0; i < NV; i++) {
        struct veh *v = &x->v[i];
        int w = rng_below(&x->g, total_w), m = 0;
        while (w >= models[m].weight)
            w -= models[m++].weight;
        const struct model *md = &models[m];
        v->m = m;
        /* the class: buses and vans serve meetings and emergencies, pickups enforcement */
        int p = rng_below(&x->g, 100);
        v->cls_i = md->seats > 7                   ? (p < 60 ? 2 : 0)
                   : !strcmp(md->energy, "diesel") ? (p < 60 ? 1 : 4)
                   : p < 50                        ? 0
                   : p < 70                        ? 1
                   : p < 82                        ? 2
                   : p < 92                        ? 3
                                                   : 4;
        /* one to twelve years old; the old e6 fleet among the first electric cars */
        int age_days = !strcmp(md->model, "e6") ? rng_range(&x->g, 8 * 365, 11 * 365)
                                                : rng_range(&x->g, 200, 12 * 365);
        v->reg = x->today - age_days;
        int per_year =
            md->seats > 7 ? rng_range(&x->g, 18000, 30000) : rng_range(&x->g, 14000, 26000);
        if (!strcmp(md->model, "e6"))
            per_year = rng_range(&x->g, 21000, 26000);
        int64_t years_before = age_days - 365 > 0 ? age_days - 365 : 0;
        v->km = years_before * per_year / 365 + rng_range(&x->g, 0, 2000);
        char plate[40];
        /* GA 36-2018: a small new-energy car's plate starts with D (pure electric) or F
         * (plug-in hybrid); a plain hybrid keeps an ordinary plate */
        int electric = !strcmp(md->energy, "electric") || !strcmp(md->energy, "phev");
        if (electric)
            snprintf(plate, sizeof(plate), "粤B·%c%05d", md->energy[0] == 'e' ? 'D' : 'F',
                     10000 + (i * 7919) % 90000);
        else
            snprintf(plate, sizeof(plate), "粤B·%c%04d", letters[i % 24], 1000 + (i * 7919) % 9000);
        /* insurance and inspection renewed each year on the registration day */
        int64_t ins = v->reg;
        while (ins <= x->today)
            ins = fl_add_years(ins, 1);
        if (i % 37 == 5)
            ins = x->today + rng_range(&x->g, 3, 25); /* a few fall due soon */
        int64_t insp = fl_add_years(ins, 0) + rng_range(&x->g, -40, 40);
        if (insp <= x->today)
            insp = fl_add_years(insp, 1);
        struct db_stmt *st = x->ins_v;
        int k = 1;
        db_bind_int(st, k++, x->tenant);
        db_bind_int(st, k++, x->now);
        db_bind_int(st, k++, x->now);
        bind_str(st, k++, plate);
        bind_str(st, k++, classes[v->cls_i]);
        bind_str(st, k++, md->brand);
        bind_str(st, k++, md->model);
        db_bind_int(st, k++, md->seats);
        db_bind_int_or_null(st, k++, (int64_t)md->disp * 100);
        bind_str(st, k++, md->energy);
        db_bind_int(st, k++, md->automatic);
        int64_t price = md->price_fen - rng_range(&x->g, 0, 50) * 10000;
        db_bind_int(st, k++, price);
        bind_day(st, k++, v->reg);
        db_bind_int(st, k++, v->km);
        bind_str(st, k++, insurers[i % 2]);
        bind_str(st, k++, repairers[i % 2]);
        bind_str(st, k++, stations[electric ? 2 : i % 2]);
        bind_day(st, k++, ins);
        bind_day(st, k++, insp);
        /* over its class standard: registered with the leadership's reason */
        struct fl_limits nev, fuel;
        fl_seeded_limits(classes[v->cls_i], &nev, &fuel);
        if (fl_standard_over(&nev, &fuel, md->energy, price, (int64_t)md->disp * 100)) {
            bind_str(st, k++, md->seats > 7 ? "承担会议、接待和应急保障的多人出行任务，经局党组会议研究同意"
                                            : "按原配备标准购置，经局党组会议研究同意保留使用");
            db_bind_int_or_null(st, k++, x->leader);
        } else {
            db_bind_null(st, k++);
            db_bind_null(st, k++);
        }
        int rc = exec_one(st, e, &v->id);
        if (rc)
            return rc;
        v->stop_day = x->today + 1;
    }
    return 0;
}

static int make_drivers(struct ctx *x, struct err *e)
{
    struct db_stmt *ins;
    int64_t people[MAXD];
    int np = 0, more;
    int64_t driver_user = user_id(x->r, x->c, "driver", e), driver_person;
    struct identity_user du;
    int rc = identity_user(x->r, x->c, driver_user, &du, e);
    if (rc)
        return rc;
    if ((driver_person = du.person_id))
        people[np++] = driver_person;
    rc = org_people_in_post(x->r, x->c, "驾驶员", driver_person, people + np, 79, &more, e);
    if (rc)
        return rc;
    np += more;
    if ((rc = db_prepare(x->c,
                         "INSERT INTO drivers (tenant_id, version, created_at, updated_at, "
                         "person_id, name, user_id, licence_class, licence_no, licence_until, "
                         "phone, active) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id",
                         &ins, e)))
        return rc;
    for (int i = 0; i < np; i++) {
        struct drv *d = &x->d[x->nd];
        const char *name, *phone;
        int found = org_person_contact(x->r, x->c, people[i], &name, &phone, e);
        if (found < 0)
            return found;
        int p = rng_below(&x->g, 100);
        d->lic = i == 0 ? "A1" : p < 10 ? "A1" : p < 20 ? "B1" : p < 25 ? "C2" : "C1";
        int64_t until = x->today + rng_range(&x->g, 200, 3650);
        if (i % 29 == 7)
            until = x->today + rng_range(&x->g, 2, 28); /* renewals due */
        d->user_id = i == 0 ? driver_user : 0;
        if (found && i >= 1 && i <= 4) { /* a few more drivers sign in on their phones */
            char uname[16];
            snprintf(uname, sizeof(uname), "siji%02d", i);
            struct identity_demo_user u = {
                .username = uname, .display_name = name, .person_id = people[i], .role = "driver"};
            if ((rc = identity_demo_user(x->r, x->c, &u, &d->user_id, e)))
                return rc;
        }
        /* the licence number is the holder's resident ID number (GB 11643-1999): a
         * Shenzhen district, a birth 25 to 55 years ago, a sequence and the check */
        static const char *const districts[] = {"440303", "440304", "440305",
                                                "440306", "440307", "440308"};
        uint64_t g = rng_next(&x->g);
        char no[24], born[16];
        date_format(x->today - 25 * 365 - (int64_t)(g % (30 * 365)), born, sizeof(born));
        snprintf(no, sizeof(no), "%s%.4s%.2s%.2s%03u", districts[(g >> 20) % 6], born, born + 5,
                 born + 8, (unsigned)((g >> 32) % 1000));
        no[17] = idf_id_check(no);
        no[18] = 0;
        d->id = 0;
        if (!found)
            continue;
        db_bind_int(ins, 1, x->tenant);
        db_bind_int(ins, 2, x->now);
        db_bind_int(ins, 3, x->now);
        db_bind_int(ins, 4, people[i]);
        bind_str(ins, 5, name);
        db_bind_int_or_null(ins, 6, d->user_id);
        bind_str(ins, 7, d->lic);
        bind_str(ins, 8, no);
        bind_day(ins, 9, until);
        bind_str(ins, 10, phone);
        if ((rc = exec_one(ins, e, &d->id)))
            return rc;
        if (d->id)
            x->nd++;
    }
    return 0;
}

static int load_requesters(struct ctx *x, struct err *e)
{
    static const char *const roles[] = {
        "staff",          "liaison",          "space_manager",    "energy_manager",
        "assets_manager", "property_manager", "security_manager", NULL};
    struct identity_member *m;
    int n;
    int rc = identity_users_in_roles(x->r, x->c, roles, &m, &n, e);
    for (int i = 0; !rc && i < n && x->nreq < 64; i++) {
        x->requesters[x->nreq] = m[i].id;
        x->req_dept[x->nreq++] = m[i].department_id;
    }
    return rc;
}

static int fits(const struct drv *d, const struct veh *v)
{
    const struct model *m = &models[v->m];
    return fl_licence_fits(d->lic, m->seats, m->automatic);
}

/* The month's fuel or charging bill of the fixed station, dated its last trip. */
static int fuel_bill(struct ctx *x, struct veh *v, struct err *e)
{
    if (v->fuel_fen <= 0)
        return 0;
    struct db_stmt *st = x->ins_cost;
    const struct model *m = &models[v->m];
    int64_t at = v->fuel_day * 86400;
    db_bind_int(st, 1, x->tenant);
    db_bind_int(st, 2, at);
    db_bind_int(st, 3, at);
    db_bind_int(st, 4, v->id);
    bind_str(st, 5, "fuel");
    db_bind_int(st, 6, v->fuel_fen);
    bind_day(st, 7, v->fuel_day);
    db_bind_null(st, 8);
    bind_str(st, 9, stations[!strcmp(m->energy, "electric") ? 2 : v->m % 2]);
    v->fuel_fen = 0;
    return exec_one(st, e, NULL);
}

/* One request (and, when dispatched, its trip) as it went. */
struct trip_plan {
    const struct trip_tmpl *t;
    const struct model *m; /* the vehicle's (or the first model, when none) */
    const char *rq_status, *trip_status;
    int who, seats, approved, dispatched, closed;
    int64_t start, end, filed, approved_at, dispatched_at;
    int64_t dist, fuel, kwh, tolls, parking; /* fuel, kwh in hundredths */
};

/* Who asks for what, and when. */
static void draw_request(struct ctx *x, const struct veh *v, struct trip_plan *p)
{
    p->t = &trips_t[rng_below(&x->g, (int)(sizeof(trips_t) / sizeof(trips_t[0])))];
    p->who = rng_below(&x->g, x->nreq);
    p->filed = p->start - rng_range(&x->g, 3600 * 3, 86400 * 3);
    if (p->filed > x->now)
        p->filed = x->now - rng_range(&x->g, 600, 7200);
    p->approved = strcmp(p->rq_status, "submitted") != 0;
    p->closed = !strcmp(p->rq_status, "completed");
    p->approved_at = p->filed + 3600 > x->now ? x->now : p->filed + 3600;
    p->dispatched_at = p->filed + 7200 > x->now ? x->now : p->filed + 7200;
    p->m = v ? &models[v->m] : &models[0];
    const struct model *m = p->m;
    p->seats = rng_chance(&x->g, 700) ? rng_range(&x->g, 1, 3)
                                      : rng_range(&x->g, 1, m->seats > 5 ? m->seats - 1 : 4);
    if (v && p->seats > m->seats)
        p->seats = m->seats;
}

static int insert_request(struct ctx *x, const struct veh *v, const struct drv *d,
                          const struct trip_plan *p, int64_t *rq, struct err *e)
{
    struct db_stmt *st = x->ins_rq;
    int k = 1, dispatched = p->dispatched;
    db_bind_int(st, k++, x->tenant);
    db_bind_int(st, k++, p->filed);
    db_bind_int(st, k++, p->closed ? p->end : dispatched ? p->dispatched_at : p->filed);
    db_bind_int(st, k++, x->requesters[p->who]);
    bind_str(st, k++, p->t->purpose);
    bind_str(st, k++, "龙岗区行政中心");
    bind_str(st, k++, p->t->dest);
    db_bind_int(st, k++, p->start);
    db_bind_int(st, k++, p->end);
    db_bind_int(st, k++, p->seats);
    db_bind_int(st, k++, x->requesters[p->who]);
    db_bind_int_or_null(st, k++, x->req_dept[p->who]);
    bind_str(st, k++, p->rq_status);
    db_bind_int_or_null(st, k++, p->approved ? x->leader : 0);
    db_bind_int_or_null(st, k++, p->approved ? p->approved_at : 0);
    /* the leader's word on some approvals (from the start hour: the random
     * stream, and so the rest of the demo, stays as it was) */
    static const char *const notes[] = {"同意", "同意，请按时出车", NULL};
    int noted = p->approved && strcmp(p->rq_status, "rejected");
    bind_str(st, k++, noted ? notes[(p->start / 3600) % 3] : NULL); /* NULL: none */
    db_bind_int_or_null(st, k++, dispatched ? v->id : 0);
    db_bind_int_or_null(st, k++, dispatched ? d->id : 0);
    db_bind_int_or_null(st, k++, dispatched ? d->user_id : 0);
    db_bind_int_or_null(st, k++, dispatched ? x->dispatcher : 0);
    db_bind_int_or_null(st, k++, dispatched ? p->dispatched_at : 0);
    db_bind_int_or_null(st, k++, p->closed ? p->end : 0);
    return exec_one(st, e, rq);
}

/* How far a finished trip went and what it used and paid on the way. */
static void draw_usage(struct ctx *x, struct trip_plan *p)
{
    const struct trip_tmpl *t = p->t;
    if (!p->closed)
        return;
    p->dist = rng_range(&x->g, t->km_lo, t->km_hi);
    if (!strcmp(p->m->energy, "electric"))
        p->kwh = p->dist * rng_range(&x->g, 13, 18); /* 0.13–0.18 kWh/km */
    else
        p->fuel = p->dist * (p->m->seats > 7 ? rng_range(&x->g, 10, 16) : rng_range(&x->g, 5, 9));
    if (t->km_hi > 60 && rng_chance(&x->g, 600))
        p->tolls = rng_range(&x->g, 5, 80) * 100;
    if (rng_chance(&x->g, 200))
        p->parking = rng_range(&x->g, 5, 30) * 100;
}

static int insert_trip(struct ctx *x, const struct veh *v, const struct drv *d,
                       const struct trip_plan *p, int64_t rq, int64_t *trip, struct err *e)
{
    struct db_stmt *st = x->ins_trip;
    int k = 1, closed = p->closed;
    db_bind_int(st, k++, x->tenant);
    db_bind_int(st, k++, p->dispatched_at);
    db_bind_int(st, k++, closed ? p->end : p->dispatched_at);
    db_bind_int(st, k++, x->dispatcher);
    db_bind_int(st, k++, rq);
    db_bind_int(st, k++, v->id);
    db_bind_int(st, k++, d->id);
    db_bind_int_or_null(st, k++, d->user_id);
    bind_str(st, k++, p->trip_status);
    int started = closed || !strcmp(p->trip_status, "in_progress");
    db_bind_int_or_null(st, k++, started ? p->start : 0);
    db_bind_int_or_null(st, k++, closed ? p->end : 0);
    if (started) /* a new car sets off at 0 km */
        db_bind_int(st, k++, v->km);
    else
        db_bind_null(st, k++);
    db_bind_int_or_null(st, k++, closed ? v->km + p->dist : 0);
    db_bind_int_or_null(st, k++, closed ? p->dist : 0);
    db_bind_int_or_null(st, k++, p->fuel / 100 > 0 ? p->fuel : 0);
    db_bind_int_or_null(st, k++, p->kwh / 100 > 0 ? p->kwh : 0);
    db_bind_int_or_null(st, k++, p->tolls);
    db_bind_int_or_null(st, k++, p->parking);
    return exec_one(st, e, trip);
}

/* What a finished trip cost: tolls and parking on the way; fuel and
 * charging at the fixed station, billed by the month. */
static int book_costs(struct ctx *x, struct veh *v, const struct trip_plan *p, int64_t trip,
                      struct err *e)
{
    int64_t day = cal_day_of(&x->cal, p->end);
    const char *energy = p->m->energy;
    int64_t fen = !strcmp(energy, "electric") ? p->kwh * 120 / 100
                  : !strcmp(energy, "diesel") ? p->fuel * 760 / 100
                                              : p->fuel * 790 / 100;
    char ym[16];
    date_format(day, ym, sizeof(ym));
    int64_t month =
        (int64_t)(ym[2] - '0') * 1200 + (ym[3] - '0') * 120 + (ym[5] - '0') * 10 + (ym[6] - '0');
    int rc = v->fuel_month != month ? fuel_bill(x, v, e) : 0;
    if (rc)
        return rc;
    v->fuel_month = month;
    v->fuel_fen += fen;
    v->fuel_day = day;
    const struct {
        const char *kind;
        int64_t fen;
    } costs[2] = {{"tolls", p->tolls}, {"parking", p->parking}};
    for (int i = 0; i < 2 && !rc; i++) {
        if (costs[i].fen <= 0)
            continue;
        struct db_stmt *st = x->ins_cost;
        db_bind_int(st, 1, x->tenant);
        db_bind_int(st, 2, p->end);
        db_bind_int(st, 3, p->end);
        db_bind_int(st, 4, v->id);
        bind_str(st, 5, costs[i].kind);
        db_bind_int(st, 6, costs[i].fen);
        bind_day(st, 7, day);
        db_bind_int(st, 8, trip);
        db_bind_null(st, 9);
        rc = exec_one(st, e, NULL);
    }
    return rc;
}

/* One request (and, when dispatched, its trip) in the given state. */
static int one_trip(struct ctx *x, struct veh *v, struct drv *d, int64_t start, int64_t end,
                    const char *rq_status, const char *trip_status, struct err *e)
{
    struct trip_plan p = {.rq_status = rq_status, .trip_status = trip_status, .start = start,
                          .end = end, .dispatched = v && d};
    int64_t rq = 0, trip = 0;
    draw_request(x, v, &p);
    int rc = insert_request(x, v, d, &p, &rq, e);
    if (rc || !p.dispatched)
        return rc;
    draw_usage(x, &p);
    if ((rc = insert_trip(x, v, d, &p, rq, &trip, e)) || !p.closed)
        return rc;
    v->km += p.dist;
    return book_costs(x, v, &p, trip, e);
}

/* A free driver who may drive v in slot bit on day; NULL when none. */
static struct drv *free_driver(struct ctx *x, struct veh *v, int64_t day, uint32_t bit)
{
    int s = rng_below(&x->g, x->nd);
    for (int i = 0; i < x->nd; i++) {
        struct drv *d = &x->d[(s + i) % x->nd];
        if (d->busy_day != day) {
            d->busy_day = day;
            d->busy = 0;
        }
        if (!(d->busy & bit) && fits(d, v))
            return d;
    }
    return NULL;
}

#define MAX_PER_DAY (PER_DAY + 8)

struct pending {
    struct veh *v;
    struct drv *d;
    int64_t start, end;
};

static int year_of_trips(struct ctx *x, struct err *e)
{
    int rc = 0;
    for (int64_t day = x->today - DAYS; day < x->today && !rc; day++) {
        if (!cal_is_workday(&x->cal, day))
            continue;
        int n = rng_range(&x->g, PER_DAY - 8, PER_DAY + 8), np = 0;
        struct pending day_trips[MAX_PER_DAY];
        int64_t base = day * 86400 - (int64_t)x->cal.utc_offset_min * 60;
        for (int k = 0; k < n && !rc; k++) {
            int slot = rng_below(&x->g, 3); /* morning, afternoon, all day */
            uint32_t bit = slot == 0 ? 1u : slot == 1 ? 2u : 3u;
            struct veh *v = NULL;
            int s = rng_below(&x->g, NV);
            for (int i = 0; i < NV && !v; i++) {
                struct veh *c = &x->v[(s + i) % NV];
                if (c->busy_day != day) {
                    c->busy_day = day;
                    c->busy = 0;
                }
                if (c->reg < day && day < c->stop_day && !(c->busy & bit))
                    v = c;
            }
            struct drv *d = v ? free_driver(x, v, day, bit) : NULL;
            if (!d || np == MAX_PER_DAY)
                continue;
            v->busy |= bit;
            d->busy |= bit;
            struct pending *p = &day_trips[np++];
            p->v = v;
            p->d = d;
            p->start =
                base + (slot == 1 ? 14 * 3600 : 8 * 3600 + 1800) + rng_range(&x->g, 0, 4) * 900;
            p->end = slot == 0   ? base + 12 * 3600 - rng_range(&x->g, 0, 4) * 900
                     : slot == 1 ? base + 17 * 3600 + 1800 - rng_range(&x->g, 0, 4) * 900
                                 : base + 17 * 3600 + rng_range(&x->g, 0, 4) * 900;
        }
        /* in the order they ran, so that each vehicle's odometer climbs */
        for (int i = 1; i < np; i++)
            for (int j = i; j > 0 && day_trips[j - 1].start > day_trips[j].start; j--) {
                struct pending t = day_trips[j];
                day_trips[j] = day_trips[j - 1];
                day_trips[j - 1] = t;
            }
        for (int i = 0; i < np && !rc; i++)
            rc = one_trip(x, day_trips[i].v, day_trips[i].d, day_trips[i].start, day_trips[i].end,
                          "completed", "closed", e);
        /* now and then a request turned down or called off */
        if (!rc && rng_chance(&x->g, 300)) {
            int64_t start = base + 9 * 3600;
            rc = one_trip(x, NULL, NULL, start, start + 3 * 3600,
                          rng_chance(&x->g, 500) ? "rejected" : "cancelled", NULL, e);
        }
    }
    return rc;
}

struct cost {
    const char *kind;
    int64_t day, fen;
    const char *vendor;
};

/* Servicing, repairs, insurance and inspection over the year. */
static int year_of_costs(struct ctx *x, struct err *e)
{
    int rc = 0;
    for (int i = 0; i < NV && !rc; i++) {
        struct veh *v = &x->v[i];
        const struct model *m = &models[v->m];
        struct cost c[8];
        int n = 0;
        int64_t renew = fl_add_years(v->reg, fl_full_years(v->reg, x->today));
        if (renew > x->today - DAYS && renew < x->today) {
            c[n++] = (struct cost){"insurance", renew - 3,
                                   (int64_t)rng_range(&x->g, 35, 80) * 10000 +
                                       (m->seats > 7 ? 300000 : 0),
                                   insurers[i % 2]};
            c[n++] = (struct cost){"inspection", renew + rng_range(&x->g, -20, 20),
                                   (int64_t)rng_range(&x->g, 2, 5) * 10000, "深圳市机动车检测站"};
        }
        for (int q = 0; q < 2; q++)
            c[n++] = (struct cost){"maintenance",
                                   x->today - rng_range(&x->g, q * 180 + 5, q * 180 + 170),
                                   (int64_t)rng_range(&x->g, 4, 18) * 10000, repairers[i % 2]};
        if (rng_chance(&x->g, 350))
            c[n++] = (struct cost){"repair", x->today - rng_range(&x->g, 5, DAYS - 5),
                                   (int64_t)rng_range(&x->g, 5, 90) * 10000, repairers[i % 2]};
        if (rng_chance(&x->g, 150))
            c[n++] = (struct cost){"other", x->today - rng_range(&x->g, 5, DAYS - 5),
                                   (int64_t)rng_range(&x->g, 1, 8) * 10000, "洗车及车辆美容"};
        for (int k = 0; k < n && !rc; k++) {
            if (c[k].day >= x->today || c[k].day <= v->reg)
                continue;
            struct db_stmt *st = x->ins_cost;
            int64_t at = c[k].day * 86400;
            db_bind_int(st, 1, x->tenant);
            db_bind_int(st, 2, at);
            db_bind_int(st, 3, at);
            db_bind_int(st, 4, v->id);
            bind_str(st, 5, c[k].kind);
            db_bind_int(st, 6, c[k].fen);
            bind_day(st, 7, c[k].day);
            db_bind_null(st, 8);
            bind_str(st, 9, c[k].vendor);
            rc = exec_one(st, e, NULL);
        }
    }
    return rc;
}

/* Today's board: what waits for approval and dispatch, what is on the road. */
static int the_board(struct ctx *x, struct err *e)
{
    int rc = 0;
    int64_t base = (x->today + 1) * 86400 - (int64_t)x->cal.utc_offset_min * 60;
    for (int k = 0; k < 6 && !rc; k++) /* tomorrow and after: waiting for the leader */
        rc = one_trip(x, NULL, NULL, base + (9 + k) * 3600 + 86400 * (k % 3),
                      base + (11 + k) * 3600 + 86400 * (k % 3), "submitted", NULL, e);
    for (int k = 0; k < 6 && !rc; k++) /* approved: waiting for a vehicle */
        rc = one_trip(x, NULL, NULL, base + (8 + k) * 3600 + 86400 * (k % 2),
                      base + (10 + k) * 3600 + 86400 * (k % 2), "approved", NULL, e);
    /* dispatched for tomorrow, the demo driver's among them */
    for (int k = 0; k < 8 && !rc; k++) {
        struct veh *v = &x->v[10 + k * 7];
        struct drv *d = &x->d[k % x->nd];
        if (!fits(d, v) || v->stop_day <= x->today)
            continue;
        rc = one_trip(x, v, d, base + 9 * 3600 + k * 600, base + 17 * 3600, "dispatched", "planned",
                      e);
    }
    return rc;
}

/* Repairs and disposals: the register's other states. */
static int states(struct ctx *x, struct err *e)
{
    struct db_stmt *st, *dp;
    int rc = db_prepare(x->c,
                        "UPDATE vehicles SET status = ?, odometer_km = ? WHERE tenant_id = ? "
                        "AND id = ?",
                        &st, e);
    if (rc)
        return rc;
    if ((rc = db_prepare(x->c,
                         "INSERT INTO vehicle_disposals (tenant_id, version, created_at, "
                         "updated_at, created_by, vehicle_id, reason, method, status, "
                         "applicant_id, approver_id, approved_at, disposed_on, proceeds_fen) "
                         "VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         &dp, e)))
        return rc;
    for (int i = 0; i < NV && !rc; i++) {
        struct veh *v = &x->v[i];
        const char *status = "available";
        /* the oldest few: one disposed of, one approved for disposal, one applied */
        int age = fl_full_years(v->reg, x->today);
        if (i % 41 == 3 && age >= 8)
            status = "scrapped";
        else if (i % 41 == 4 && age >= 6)
            status = "to_scrap";
        else if (i % 53 == 11)
            status = "in_repair";
        db_bind_text(st, 1, status, strlen(status));
        db_bind_int(st, 2, v->km);
        db_bind_int(st, 3, x->tenant);
        db_bind_int(st, 4, v->id);
        if ((rc = exec_one(st, e, NULL)))
            break;
        if (strcmp(status, "scrapped") && strcmp(status, "to_scrap"))
            continue;
        int done = !strcmp(status, "scrapped");
        int64_t at = x->now - (done ? 40 : 5) * 86400;
        db_bind_int(dp, 1, x->tenant);
        db_bind_int(dp, 2, at);
        db_bind_int(dp, 3, at);
        db_bind_int(dp, 4, x->dispatcher);
        db_bind_int(dp, 5, v->id);
        bind_str(dp, 6, "使用年限已满，车况较差，维修成本高");
        bind_str(dp, 7, done ? "auction" : "scrap");
        bind_str(dp, 8, done ? "disposed" : "approved");
        db_bind_int(dp, 9, x->dispatcher);
        db_bind_int(dp, 10, x->leader);
        db_bind_int(dp, 11, at + 86400);
        if (done)
            bind_day(dp, 12, x->today - 30);
        else
            db_bind_null(dp, 12);
        db_bind_int_or_null(dp, 13, done ? (int64_t)rng_range(&x->g, 8, 30) * 100000 : 0);
        if ((rc = exec_one(dp, e, NULL)))
            break;
    }
    return rc;
}

int fl_demo(struct db_conn *c, int64_t tenant, uint64_t seed, struct err *e)
{
    struct arena *a = arena_new(4u << 20);
    struct req r;
    struct ctx *x = arena_zalloc(a, sizeof(*x));
    int rc = 0;
    req_init_internal(&r, a, NULL, NULL);
    r.tenant_id = tenant;
    if (!x) {
        rc = err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
        goto out;
    }
    x->c = c;
    x->r = &r;
    x->tenant = tenant;
    x->now = clock_now();
    x->g.s = seed ^ 0xF1EE7F1EEull;
    if ((rc = cal_load(&r, c, tenant, &x->cal, e)))
        goto out;
    x->today = cal_day_of(&x->cal, x->now);
    x->leader = user_id(&r, c, "leader", e);
    x->dispatcher = user_id(&r, c, "fleet_manager", e);
    if ((rc = load_requesters(x, e)) || !x->nreq)
        goto out;
    if ((rc = db_prepare(c,
                         "INSERT INTO vehicles (tenant_id, version, created_at, updated_at, plate, "
                         "class, brand, model, seats, displacement_l, energy, automatic, "
                         "price_fen, registered_on, odometer_km, status, insurer, repairer, "
                         "fuel_station, insurance_until, inspection_until, over_standard_reason, "
                         "over_standard_by) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                         "'available', ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         &x->ins_v, e)) ||
        (rc = db_prepare(c,
                         "INSERT INTO trip_requests (tenant_id, version, created_at, updated_at, "
                         "created_by, purpose, origin, destination, start_at, end_at, "
                         "seats_needed, requester_id, department_id, status, approver_id, "
                         "approved_at, approve_note, vehicle_id, driver_id, driver_user_id, "
                         "dispatcher_id, dispatched_at, closed_at) VALUES (?, 1, ?, ?, ?, ?, ?, "
                         "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         &x->ins_rq, e)) ||
        (rc = db_prepare(c,
                         "INSERT INTO trips (tenant_id, version, created_at, updated_at, "
                         "created_by, request_id, vehicle_id, driver_id, driver_user_id, status, "
                         "started_at, ended_at, start_km, end_km, distance_km, fuel_l, "
                         "energy_kwh, tolls_fen, parking_fen) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, "
                         "?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         &x->ins_trip, e)) ||
        (rc = db_prepare(c,
                         "INSERT INTO vehicle_costs (tenant_id, version, created_at, updated_at, "
                         "vehicle_id, kind, amount_fen, incurred_on, trip_id, vendor) VALUES (?, "
                         "1, ?, ?, ?, ?, ?, ?, ?, ?)",
                         &x->ins_cost, e)))
        goto out;
    if ((rc = make_vehicles(x, e)) || (rc = make_drivers(x, e)) || !x->nd)
        goto out;
    /* vehicles leaving service stop travelling a while before */
    for (int i = 0; i < NV; i++)
        if (i % 41 == 3 || i % 41 == 4 || i % 53 == 11)
            x->v[i].stop_day = x->today - (i % 41 == 3 ? 60 : i % 41 == 4 ? 20 : 5);
    if ((rc = year_of_trips(x, e)))
        goto out;
    for (int i = 0; i < NV && !rc; i++)
        rc = fuel_bill(x, &x->v[i], e);
    if (rc || (rc = year_of_costs(x, e)) || (rc = states(x, e)) || (rc = the_board(x, e)))
        goto out;
out:
    arena_free(a);
    return rc;
}
