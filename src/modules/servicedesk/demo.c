/* SPDX-License-Identifier: MIT
 * servicedesk/demo.c - a year of a district's service desk for --demo: the
 * bureau's sections and its property, air-conditioning and cleaning
 * contractors with their crews, routing rules, and some six thousand
 * requests across types and buildings, timed against the working calendar,
 * most closed and rated. The same seed gives the same rows; the year is the
 * one before the day the demo is made.
 */
#include "servicedesk.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../base/rng.h"
#include "../../db/db.h"
#include "../identity/identity.h"
#include "../org/calendar.h"

#include <stdio.h>
#include <string.h>

#define DAYS 365

static const char *const buildings[] = {"区行政中心A座", "区行政中心B座", "区委大院",
                                        "区机关办公大楼", "区政府大院"};

struct team_def {
    const char *name, *kind, *company, *head; /* head: a demo username */
    const char *credit_code; /* the company's, GB 32100-2015 (check character last) */
    const char *members[5];
};

static const struct team_def teams[] = {
    {"物业服务科", "section", NULL, "property_manager", NULL, {"property_manager", NULL}},
    {"物业维修班", "contractor", "深圳市龙城物业管理有限公司", "contractor", "91440300MA5DLC0R1G",
     {"contractor", "weixiu01", "weixiu02", "weixiu03", NULL}},
    {"空调维保组", "contractor", "深圳市清风空调工程有限公司", "kongtiao01", "91440300MA5EQF2K6C",
     {"kongtiao01", "kongtiao02", NULL}},
    {"保洁班", "contractor", "深圳市洁美保洁服务有限公司", "baojie01", "91440300MA5FJ8TN2W",
     {"baojie01", "baojie02", NULL}},
    {"会务接待组", "section", NULL, "property_manager", NULL, {"property_manager", "huiwu01", NULL}},
    {"信息中心", "section", NULL, "xinxi01", NULL, {"xinxi01", NULL}},
};

/* crews' accounts: contractor staff have no person record */
static const char *const crew[][2] = {
    {"weixiu01", "维修工 张师傅"}, {"weixiu02", "维修工 李师傅"}, {"weixiu03", "电工 陈师傅"},
    {"kongtiao01", "空调组长 黄工"}, {"kongtiao02", "空调技工 刘工"},
    {"baojie01", "保洁领班 吴阿姨"}, {"baojie02", "保洁员 周阿姨"},
    {"huiwu01", "会务专员 林小姐"}, {"xinxi01", "网络管理员 郑工"},
};

/* type code → team (index in teams) */
static const struct {
    const char *type;
    int team;
} routes[] = {
    {"repair", 1}, {"electrical", 1}, {"plumbing", 1}, {"air_conditioning", 2}, {"cleaning", 3},
    {"meeting_service", 4}, {"reception", 4}, {"network", 5},
};

struct tmpl {
    const char *type, *title, *desc;
};

static const struct tmpl tmpls[] = {
    {"repair", "办公室门锁损坏", "门锁转不动，钥匙插不进去，请尽快维修。"},
    {"repair", "办公椅扶手断裂", "办公椅左侧扶手断裂，存在安全隐患。"},
    {"repair", "窗户关不严", "窗户合页松动，下雨时会渗水。"},
    {"repair", "卫生间隔板松动", "男卫生间第二个隔间门板松动。"},
    {"electrical", "走廊灯不亮", "走廊尽头两盏灯不亮，晚上加班看不清。"},
    {"electrical", "插座没电", "办公桌下方的插座没电，电脑无法开机。"},
    {"electrical", "会议室投影仪无法开机", "投影仪按电源键无反应，下午有会议。"},
    {"plumbing", "洗手池堵塞", "茶水间洗手池下水很慢，有异味。"},
    {"plumbing", "卫生间水龙头漏水", "水龙头关不紧，一直滴水。"},
    {"plumbing", "饮水机不出热水", "楼层饮水机热水指示灯不亮。"},
    {"air_conditioning", "空调不制冷", "空调开了一个小时室内仍然很热。"},
    {"air_conditioning", "空调漏水", "风机盘管滴水，地面积水。"},
    {"air_conditioning", "空调噪音大", "出风口有异响，影响办公。"},
    {"cleaning", "会议室需要清洁", "会议结束后会议室需要清理。"},
    {"cleaning", "地毯有污渍", "办公室地毯有大片污渍，请安排清洗。"},
    {"cleaning", "垃圾未及时清运", "楼层垃圾桶已满，两天未清运。"},
    {"meeting_service", "会议茶水服务", "明天上午九点会议，约二十人，需要茶水服务。"},
    {"meeting_service", "会议室音响调试", "会议需要使用无线话筒，请提前调试音响。"},
    {"reception", "来访接待", "有上级单位来访，需要安排接待和引导。"},
    {"network", "网络断开", "办公室电脑无法上网，网线指示灯不亮。"},
    {"network", "电话无拨号音", "座机拿起来没有拨号音。"},
    {"network", "打印机连接不上", "共享打印机无法添加。"},
    {"canteen", "午餐菜品偏咸", "最近一周午餐菜品普遍偏咸。"},
    {"canteen", "希望增加素食窗口", "建议食堂增加一个素食窗口。"},
    {"suggestion", "建议增设自行车停放点", "大院东门附近自行车停放混乱，建议增设停放点。"},
    {"suggestion", "建议延长健身房开放时间", "希望健身房开放到晚上九点。"},
    {"complaint", "电梯长时间停运", "B座2号电梯停运三天未见维修通知。"},
    {"other", "借用折叠桌椅", "周五活动需要借用十张折叠桌。"},
};

static const char *const results[] = {
    "已更换配件，恢复正常。", "已维修完毕，经测试正常。", "已清理完毕。", "已调试完成。",
    "已按要求安排。",         "已处理并向申请人反馈。",   "已更换新件。",
};

static const char *const comments[] = {
    "处理及时，态度很好。", "师傅很专业，谢谢！", "响应很快。", "问题已解决。",
    "比上次快多了。",       "希望以后更快一些。", NULL,        NULL,
};

struct ids {
    int64_t team[sizeof(teams) / sizeof(teams[0])];
    int64_t type[16];
    const char *type_code[16];
    int ntypes;
    int64_t users[400], user_dept[400]; /* who files, and their department (0: none) */
    int nusers;
};

static int64_t user_id(struct req *r, struct db_conn *c, const char *name, struct err *e)
{
    int64_t id = 0;
    return identity_user_id(r, c, name, &id, e) ? 0 : id;
}

static int exec_one(struct db_stmt *st, struct err *e, int64_t *id)
{
    int rc = db_step(st, e);
    if (id)
        *id = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* Crew accounts (contractor role) and staff who file requests. */
static int make_users(struct req *r, struct db_conn *c, struct ids *x, struct err *e)
{
    static const char *const filers[] = {"staff",          "liaison",        "leader",
                                         "driver",         "space_manager",  "fleet_manager",
                                         "energy_manager", "assets_manager", NULL};
    int rc;
    for (size_t i = 0; i < sizeof(crew) / sizeof(crew[0]); i++) {
        struct identity_demo_user u = {
            .username = crew[i][0], .display_name = crew[i][1], .role = "contractor"};
        int64_t id;
        if ((rc = identity_demo_user(r, c, &u, &id, e)))
            return rc;
    }
    /* who files: the demo users who are staff of some department */
    struct identity_member *m;
    int n;
    if ((rc = identity_users_in_roles(r, c, filers, &m, &n, e)))
        return rc;
    for (int i = 0; i < n && x->nusers < 400; i++) {
        x->users[x->nusers] = m[i].id;
        x->user_dept[x->nusers++] = m[i].department_id;
    }
    return 0;
}

static int make_teams(struct req *r, struct db_conn *c, int64_t now, struct ids *x, struct err *e)
{
    int64_t tenant = r->tenant_id;
    struct db_stmt *t, *m, *rr;
    int rc = db_prepare(c,
                        "INSERT INTO service_teams (tenant_id, version, created_at, updated_at, "
                        "name, kind, company, head_user_id, credit_code, active) VALUES (?, 1, ?, "
                        "?, ?, ?, ?, ?, ?, 1) RETURNING id",
                        &t, e);
    if (rc)
        return rc;
    if ((rc = db_prepare(c,
                         "INSERT INTO service_team_members (tenant_id, version, created_at, "
                         "updated_at, team_id, user_id) VALUES (?, 1, ?, ?, ?, ?)",
                         &m, e)))
        return rc;
    for (size_t i = 0; i < sizeof(teams) / sizeof(teams[0]); i++) {
        const struct team_def *d = &teams[i];
        int64_t head = user_id(r, c, d->head, e);
        db_bind_int(t, 1, tenant);
        db_bind_int(t, 2, now);
        db_bind_int(t, 3, now);
        db_bind_text(t, 4, d->name, strlen(d->name));
        db_bind_text(t, 5, d->kind, strlen(d->kind));
        if (d->company)
            db_bind_text(t, 6, d->company, strlen(d->company));
        else
            db_bind_null(t, 6);
        db_bind_int_or_null(t, 7, head);
        if (d->credit_code)
            db_bind_text(t, 8, d->credit_code, strlen(d->credit_code));
        else
            db_bind_null(t, 8);
        if ((rc = exec_one(t, e, &x->team[i])))
            return rc;
        for (int k = 0; d->members[k]; k++) {
            int64_t u = user_id(r, c, d->members[k], e);
            if (!u)
                continue;
            db_bind_int(m, 1, tenant);
            db_bind_int(m, 2, now);
            db_bind_int(m, 3, now);
            db_bind_int(m, 4, x->team[i]);
            db_bind_int(m, 5, u);
            if ((rc = exec_one(m, e, NULL)))
                return rc;
        }
    }
    if ((rc = db_prepare(c,
                         "INSERT INTO routing_rules (tenant_id, version, created_at, updated_at, "
                         "priority, type_id, team_id, active, note) VALUES (?, 1, ?, ?, ?, ?, ?, "
                         "1, ?)",
                         &rr, e)))
        return rc;
    for (size_t i = 0; i <= sizeof(routes) / sizeof(routes[0]); i++) {
        int last = i == sizeof(routes) / sizeof(routes[0]); /* everything else */
        int64_t type = 0;
        for (int k = 0; !last && k < x->ntypes; k++)
            if (!strcmp(x->type_code[k], routes[i].type))
                type = x->type[k];
        db_bind_int(rr, 1, tenant);
        db_bind_int(rr, 2, now);
        db_bind_int(rr, 3, now);
        db_bind_int(rr, 4, last ? 1000 : (int64_t)(i + 1) * 10);
        if (last)
            db_bind_null(rr, 5);
        else
            db_bind_int(rr, 5, type);
        db_bind_int(rr, 6, x->team[last ? 0 : routes[i].team]);
        const char *note = last ? "其余类型由物业服务科统一受理" : "按类型派单";
        db_bind_text(rr, 7, note, strlen(note));
        if ((rc = exec_one(rr, e, NULL)))
            return rc;
    }
    return 0;
}

static int load_types(struct db_conn *c, int64_t tenant, struct arena *a, struct ids *x,
                      struct err *e)
{
    struct db_stmt *st;
    int rc =
        db_prepare_ints(c, "SELECT id, code FROM service_types WHERE tenant_id = ? ORDER BY id",
                        DB_INTS(tenant), &st, e);
    if (rc)
        return rc;
    while ((rc = db_step(st, e)) == DB_ROW && x->ntypes < 16) {
        x->type[x->ntypes] = db_col_int(st, 0);
        x->type_code[x->ntypes] = arena_strdup(a, db_col_text(st, 1, NULL));
        x->ntypes++;
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static int64_t type_of(const struct ids *x, const char *code)
{
    for (int k = 0; k < x->ntypes; k++)
        if (!strcmp(x->type_code[k], code))
            return x->type[k];
    return 0;
}

static int team_for(const char *type)
{
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
        if (!strcmp(routes[i].type, type))
            return routes[i].team;
    return 0;
}

static int64_t first_member(struct db_conn *c, int64_t tenant, int64_t team, struct err *e)
{
    struct db_stmt *st;
    int64_t id = 0;
    if (db_prepare_ints(
            c,
            "SELECT user_id FROM service_team_members WHERE tenant_id = ? AND team_id = ? "
            "ORDER BY id LIMIT 1",
            DB_INTS(tenant, team), &st, e))
        return 0;
    if (db_step(st, e) == DB_ROW)
        id = db_col_int(st, 0);
    db_reset(st);
    return id;
}

/* An instant or an id; 0 is NULL. */
static void bind_time(struct db_stmt *st, int k, int64_t t)
{
    db_bind_int_or_null(st, k, t);
}

static void bind_str(struct db_stmt *st, int k, const char *s)
{
    if (s)
        db_bind_text(st, k, s, strlen(s));
    else
        db_bind_null(st, k);
}

struct stmts {
    struct db_stmt *rq, *wo, *ev;
};

static int event(struct stmts *s, int64_t tenant, int64_t at, int64_t rq, int64_t wo,
                 const char *kind, int64_t actor, const char *from, const char *to,
                 const char *note, struct err *e)
{
    struct db_stmt *st = s->ev;
    db_bind_int(st, 1, tenant);
    db_bind_int(st, 2, at);
    db_bind_int(st, 3, at);
    bind_time(st, 4, actor); /* a user id, or NULL for the server */
    db_bind_int(st, 5, rq);
    bind_time(st, 6, wo);
    bind_str(st, 7, kind);
    bind_time(st, 8, actor);
    bind_str(st, 9, from);
    bind_str(st, 10, to);
    bind_str(st, 11, note);
    return exec_one(st, e, NULL);
}

/* The year being made: the tenant's calendar, its ids and statements. */
struct demo {
    struct req r;
    struct db_conn *c;
    struct calendar cal;
    struct ids *x;
    struct rng g;
    struct stmts s;
    int64_t tenant, now, today;
    int64_t assignee[sizeof(teams) / sizeof(teams[0])];
};

/* One request as it went: who filed what, and when each mark was reached
 * (0: not reached). */
struct plan {
    const struct tmpl *t;
    int64_t type, team, who, user, dept;
    const char *urgency, *status, *reason, *comment, *building;
    int64_t filed, rdue, vdue, responded, resolved, closed;
    int is_open, done, rated, score;
    char room[16], floor[8];
};

static int prepare(struct db_conn *c, struct stmts *s, struct err *e)
{
    int rc = db_prepare(c,
                        "INSERT INTO service_requests (tenant_id, version, created_at, "
                        "updated_at, title, type_id, urgency, description, building, floor, "
                        "room, status, team_id, assignee_id, respond_due_at, resolve_due_at, "
                        "responded_at, resolved_at, closed_at, close_reason, respond_breached, "
                        "resolve_breached, reopen_count, score, rating_comment, rated_at, "
                        "created_by, requester_id, department_id) VALUES (?, 1, ?, ?, ?, ?, ?, "
                        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?) "
                        "RETURNING id",
                        &s->rq, e);
    if (!rc)
        rc = db_prepare(c,
                        "INSERT INTO work_orders (tenant_id, version, created_at, updated_at, "
                        "created_by, request_id, team_id, assignee_id, status, accepted_at, "
                        "completed_at, result, cost_fen) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, "
                        "?, ?, ?) RETURNING id",
                        &s->wo, e);
    if (!rc)
        rc = db_prepare(c,
                        "INSERT INTO service_events (tenant_id, version, created_at, updated_at, "
                        "created_by, request_id, work_order_id, kind, actor_id, from_status, "
                        "to_status, note) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        &s->ev, e);
    return rc;
}

/* Who files what on day, and how quickly it is answered and settled. */
static int draw_filing(struct demo *d, int64_t day, struct plan *p, struct err *e)
{
    static const char *const urg[] = {"low", "normal", "high", "urgent"};
    struct rng *g = &d->g;
    p->t = &tmpls[rng_below(g, (int)(sizeof(tmpls) / sizeof(tmpls[0])))];
    p->type = type_of(d->x, p->t->type);
    int ti = team_for(p->t->type);
    p->team = d->x->team[ti];
    p->who = d->assignee[ti];
    int who_files = rng_below(g, d->x->nusers);
    p->user = d->x->users[who_files];
    p->dept = d->x->user_dept[who_files];
    p->urgency = urg[rng_chance(g, 50) ? 3 : rng_chance(g, 150) ? 2 : rng_chance(g, 200) ? 0 : 1];
    int64_t rs = 0, vs = 0;
    int rc = sd_targets_for(&d->r, d->c, p->type, p->urgency, &rs, &vs, e);
    if (rc)
        return rc;
    const struct calendar *cal = &d->cal;
    /* filed in working hours */
    p->filed = cal_add_working(cal, day * 86400 - cal->utc_offset_min * 60,
                               rng_range(g, 60, 7 * 3600 - 60));
    p->rdue = cal_add_working(cal, p->filed, rs);
    p->vdue = cal_add_working(cal, p->filed, vs);
    /* most answered and settled in time; some late */
    p->responded = cal_add_working(cal, p->filed,
                                   rng_chance(g, 920) ? rng_range(g, 60, (int)rs)
                                                      : rs + rng_range(g, 60, 7200));
    p->resolved = cal_add_working(cal, p->responded,
                                  rng_chance(g, 880) ? rng_range(g, 300, (int)vs)
                                                     : vs + rng_range(g, 600, 40000));
    return 0;
}

/* Where it stands now (recent ones may still be open), its closing and its
 * rating. */
static void draw_outcome(struct demo *d, int64_t day, struct plan *p)
{
    struct rng *g = &d->g;
    int64_t now = d->now;
    int recent = day >= d->today - 10;
    p->status = "closed";
    p->reason = "confirmed";
    if (rng_chance(g, 25)) {
        p->status = "cancelled";
        p->reason = "cancelled";
    } else if (p->resolved >= now || (recent && rng_chance(g, 300))) {
        int step = rng_below(g, p->resolved >= now ? 2 : 3); /* resolved only in the past */
        p->status = step == 0 ? "assigned" : step == 1 ? "in_progress" : "resolved";
    } else if (recent && rng_chance(g, 500)) {
        p->status = "resolved";
    } else if (rng_chance(g, 250)) {
        p->reason = "auto";
    }
    int closed = !strcmp(p->status, "closed"), cancelled = !strcmp(p->status, "cancelled");
    p->is_open = !strcmp(p->status, "assigned") || !strcmp(p->status, "in_progress");
    p->done = !strcmp(p->status, "resolved") || closed;
    if (!p->done)
        p->resolved = 0;
    if (!strcmp(p->status, "assigned") || cancelled || p->responded >= now)
        p->responded = 0;
    int autoclosed = !strcmp(p->reason, "auto");
    p->closed = closed      ? (autoclosed ? p->resolved + 7 * 86400 + 3600
                                          : p->resolved + rng_range(g, 600, 86400 * 2))
                : cancelled ? p->filed + rng_range(g, 600, 7200)
                            : 0;
    if (p->closed >= now)
        p->closed = now - 60;
    p->rated = closed && !autoclosed && rng_chance(g, 780);
    p->score = 0;
    if (p->rated) {
        int k = rng_below(g, 1000);
        p->score = k < 600 ? 5 : k < 880 ? 4 : k < 960 ? 3 : k < 990 ? 2 : 1;
    }
    p->comment = p->rated ? comments[rng_below(g, 8)] : NULL;
    snprintf(p->room, sizeof(p->room), "%d%02d", rng_range(g, 1, 12), rng_range(g, 1, 30));
    snprintf(p->floor, sizeof(p->floor), "%.*sF", p->room[3] ? 2 : 1, p->room);
    p->building = buildings[rng_below(g, 5)];
}

static int insert_request(struct demo *d, const struct plan *p, int64_t *rq, struct err *e)
{
    struct db_stmt *st = d->s.rq;
    int64_t last = p->closed      ? p->closed
                   : p->resolved  ? p->resolved
                   : p->responded ? p->responded
                                  : p->filed;
    int k = 1;
    db_bind_int(st, k++, d->tenant);
    db_bind_int(st, k++, p->filed);
    db_bind_int(st, k++, last);
    bind_str(st, k++, p->t->title);
    db_bind_int(st, k++, p->type);
    bind_str(st, k++, p->urgency);
    bind_str(st, k++, p->t->desc);
    bind_str(st, k++, p->building);
    bind_str(st, k++, p->floor);
    bind_str(st, k++, p->room);
    bind_str(st, k++, p->status);
    db_bind_int(st, k++, p->team);
    db_bind_int_or_null(st, k++, p->responded ? p->who : 0);
    bind_time(st, k++, p->rdue == CAL_NEVER ? 0 : p->rdue);
    bind_time(st, k++, p->vdue == CAL_NEVER ? 0 : p->vdue);
    bind_time(st, k++, p->responded);
    bind_time(st, k++, p->resolved);
    bind_time(st, k++, p->closed);
    bind_str(st, k++, p->closed ? p->reason : NULL);
    db_bind_int(st, k++, p->responded ? p->responded > p->rdue : d->now > p->rdue);
    db_bind_int(st, k++, p->resolved ? p->resolved > p->vdue : p->is_open && d->now > p->vdue);
    db_bind_int_or_null(st, k++, p->score);
    bind_str(st, k++, p->comment);
    bind_time(st, k++, p->rated ? p->closed : 0);
    db_bind_int(st, k++, p->user);  /* created_by */
    db_bind_int(st, k++, p->user);  /* requester_id */
    bind_time(st, k++, p->dept);    /* department_id (0: NULL) */
    int rc = exec_one(st, e, rq);
    return rc ? rc : *rq ? 0 : err_set(e, ERR_INTERNAL, NULL, NULL, "no request id");
}

/* The request's work order; *res is what the crew wrote on it. */
static int insert_order(struct demo *d, const struct plan *p, int64_t rq, int64_t *wo,
                        const char **res, struct err *e)
{
    struct db_stmt *st = d->s.wo;
    const char *ws = !strcmp(p->status, "cancelled") ? "cancelled"
                     : p->done                       ? "done"
                     : p->responded                  ? "accepted"
                                                     : "open";
    db_bind_int(st, 1, d->tenant);
    db_bind_int(st, 2, p->filed);
    db_bind_int(st, 3, p->resolved ? p->resolved : p->filed);
    db_bind_int(st, 4, p->user);
    db_bind_int(st, 5, rq);
    db_bind_int(st, 6, p->team);
    db_bind_int_or_null(st, 7, p->responded ? p->who : 0);
    bind_str(st, 8, ws);
    bind_time(st, 9, p->responded);
    bind_time(st, 10, p->resolved);
    *res = p->done ? results[rng_below(&d->g, 7)] : NULL;
    bind_str(st, 11, *res);
    if (p->done && !strcmp(p->t->type, "repair") && rng_chance(&d->g, 400))
        db_bind_int(st, 12, rng_range(&d->g, 20, 800) * 100);
    else
        db_bind_null(st, 12);
    return exec_one(st, e, wo);
}

/* The request's timeline, from filing to its end. */
static int timeline(struct demo *d, const struct plan *p, int64_t rq, int64_t wo,
                    const char *res, struct err *e)
{
    struct stmts *s = &d->s;
    int64_t tn = d->tenant, user = p->user, who = p->who, closed = p->closed;
    int rc = event(s, tn, p->filed, rq, 0, "submitted", user, NULL, "submitted", NULL, e);
    if (!rc)
        rc = event(s, tn, p->filed, rq, wo, "assigned", 0, "submitted", "assigned", NULL, e);
    if (!rc && p->responded)
        rc = event(s, tn, p->responded, rq, wo, "accepted", who, "assigned", "in_progress", NULL,
                   e);
    if (!rc && p->resolved)
        rc = event(s, tn, p->resolved, rq, wo, "completed", who, "in_progress", "resolved", res,
                   e);
    if (rc || !closed)
        return rc;
    if (!strcmp(p->status, "cancelled"))
        return event(s, tn, closed, rq, 0, "cancelled", user, "assigned", "cancelled", NULL, e);
    if (!strcmp(p->reason, "auto"))
        return event(s, tn, closed, rq, 0, "closed", 0, "resolved", "closed",
                     "申请人 7 日内未确认，自动关闭", e);
    if (p->rated) {
        char note[600];
        snprintf(note, sizeof(note), "%d 分%s%s", p->score, p->comment ? "：" : "",
                 p->comment ? p->comment : "");
        return event(s, tn, closed, rq, 0, "rated", user, "resolved", "closed", note, e);
    }
    return event(s, tn, closed, rq, 0, "confirmed", user, "resolved", "closed", NULL, e);
}

int sd_demo(struct db_conn *c, int64_t tenant, uint64_t seed, struct err *e)
{
    struct arena *a = arena_new(8u << 20);
    struct demo *d = a ? arena_zalloc(a, sizeof(*d)) : NULL;
    int rc = 0;
    if (!d || !(d->x = arena_zalloc(a, sizeof(*d->x)))) {
        arena_free(a);
        return err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
    }
    req_init_internal(&d->r, a, NULL, NULL);
    d->r.tenant_id = d->tenant = tenant;
    d->c = c;
    d->g = (struct rng){seed ^ 0x5D5D5D5Du};
    d->now = clock_now();
    if ((rc = cal_load(&d->r, c, tenant, &d->cal, e)) ||
        (rc = load_types(c, tenant, a, d->x, e)) || (rc = make_users(&d->r, c, d->x, e)) ||
        (rc = make_teams(&d->r, c, d->now, d->x, e)))
        goto out;
    if (!d->x->nusers || !d->x->ntypes || (rc = prepare(c, &d->s, e)))
        goto out;
    d->today = cal_day_of(&d->cal, d->now);
    for (size_t i = 0; i < sizeof(teams) / sizeof(teams[0]); i++)
        d->assignee[i] = first_member(c, tenant, d->x->team[i], e);
    for (int64_t day = d->today - DAYS; day < d->today && !rc; day++) {
        if (!cal_is_workday(&d->cal, day))
            continue;
        int n = rng_range(&d->g, 14, 32);
        for (int k = 0; k < n && !rc; k++) {
            struct plan p;
            int64_t rq, wo;
            const char *res;
            if (!(rc = draw_filing(d, day, &p, e))) {
                draw_outcome(d, day, &p);
                if (!(rc = insert_request(d, &p, &rq, e)) &&
                    !(rc = insert_order(d, &p, rq, &wo, &res, e)))
                    rc = timeline(d, &p, rq, wo, res, e);
            }
        }
    }
out:
    arena_free(a);
    return rc;
}
