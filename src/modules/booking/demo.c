/* SPDX-License-Identifier: MIT
 * booking/demo.c - the demo service centre: the ten rooms of the staff
 * service centre (党群服务中心) with their hours, slots and capacities, a
 * meeting room on each building, and about a year of bookings (eleven
 * months back, the booking windows ahead) that keep every rule: no slot over
 * its capacity, the opening hours and the working calendar, the weekly
 * quotas. Past bookings are checked in, cancelled or no-shows; future ones
 * confirmed, or pending where approval is required. Rows go in with prepared
 * INSERTs (demo data, not audited changes), fast enough for make run.
 */
#include "booking.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../base/rng.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../identity/identity.h"
#include "../space/space.h"
#include "../org/calendar.h"

#include <string.h>

struct demo_res {
    const char *name, *kind, *location, *hours, *closed;
    int capacity, slot, window, approval, quota, cancel_h;
    int fill;      /* per mille of slots booked on an open day */
    int max_slots; /* slots a booking lasts at most */
    const char *purposes[3];
};

static const struct demo_res centre[] = {
    {"成果展示室",
     "room",
     "党群服务中心一楼",
     "1-5 09:00-17:00",
     "workdays_only",
     40,
     60,
     30,
     0,
     0,
     2,
     150,
     2,
     {"参观学习", "新入职人员参观", "党日活动参观"}},
    {"书吧",
     "room",
     "党群服务中心一楼",
     "1-5 08:30-21:00; 6,7 09:00-18:00",
     "holidays",
     20,
     60,
     7,
     0,
     3,
     1,
     250,
     2,
     {"阅读", "读书分享会", "自习"}},
    {"报告厅",
     "hall",
     "党群服务中心二楼",
     "1-5 08:30-18:00",
     "workdays_only",
     1,
     30,
     60,
     1,
     0,
     24,
     120,
     6,
     {"专题党课", "业务培训", "工作部署会"}},
    {"职工之家（健身房）",
     "gym",
     "党群服务中心三楼",
     "1-5 06:30-22:00; 6,7 08:00-22:00",
     "holidays",
     20,
     60,
     7,
     0,
     5,
     1,
     300,
     2,
     {"健身", "力量训练", "有氧训练"}},
    {"医务室",
     "service",
     "党群服务中心一楼",
     "1-5 08:30-12:00",
     "workdays_only",
     2,
     15,
     7,
     0,
     2,
     2,
     300,
     1,
     {"常规体检咨询", "血压测量", "用药咨询"}},
    {"理发室",
     "service",
     "党群服务中心负一楼",
     "1-5 09:00-18:00; 6 09:00-12:00",
     "holidays",
     2,
     30,
     7,
     0,
     1,
     2,
     450,
     1,
     {"理发", "理发", "理发"}},
    {"洗车点",
     "service",
     "党群服务中心停车场",
     "1-6 08:00-18:00",
     "holidays",
     3,
     30,
     7,
     0,
     1,
     2,
     300,
     1,
     {"洗车", "洗车", "洗车"}},
    {"网球场",
     "court",
     "机关大院东侧",
     "1-7 07:00-22:00",
     "open_always",
     1,
     60,
     7,
     0,
     2,
     4,
     350,
     2,
     {"网球", "网球双打", "网球训练"}},
    {"篮球场",
     "court",
     "机关大院西侧",
     "1-7 07:00-22:00",
     "open_always",
     1,
     60,
     7,
     0,
     2,
     4,
     350,
     2,
     {"篮球", "部门篮球友谊赛", "篮球训练"}},
    {"物业活动室",
     "room",
     "物业服务中心二楼",
     "1-5 09:00-21:00",
     "workdays_only",
     1,
     60,
     14,
     0,
     0,
     2,
     200,
     3,
     {"物业协调会", "保洁员培训", "安保例会"}},
};

#define NBUILD 4
static const char *const buildings[NBUILD] = {"行政中心1号楼", "行政中心2号楼", "行政中心3号楼",
                                              "行政中心4号楼"};
static const char *const meeting_purposes[] = {"周例会", "专题会议", "部门协调会", "来访接待",
                                               "视频会议"};

#define NRES (int)(sizeof(centre) / sizeof(centre[0]) + NBUILD)
#define MAXU 64
#define PAST_DAYS 330

struct ctx {
    struct db_conn *c;
    struct req *r;
    struct rng g;
    struct calendar cal;
    int64_t tenant, now, today, manager;
    int64_t users[MAXU], depts[MAXU];
    int nu;
    struct db_stmt *ins_b;
    int64_t made;
};

/* room: a room of the register (space), or 0 */
static int insert_resource(struct ctx *x, const struct demo_res *d, int64_t room, int64_t *id,
                           struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(x->c,
                        "INSERT INTO resources (tenant_id, version, created_at, updated_at, name, "
                        "kind, location, capacity, slot_min, hours, closed_days, window_days, "
                        "approval, quota_per_week, cancel_hours, room_id, active) VALUES (?, 1, ?, ?, "
                        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id",
                        &st, e);
    if (rc)
        return rc;
    db_bind_int(st, 1, x->tenant);
    db_bind_int(st, 2, x->now);
    db_bind_int(st, 3, x->now);
    db_bind_text(st, 4, d->name, strlen(d->name));
    db_bind_text(st, 5, d->kind, strlen(d->kind));
    db_bind_text(st, 6, d->location, strlen(d->location));
    db_bind_int(st, 7, d->capacity);
    db_bind_int(st, 8, d->slot);
    db_bind_text(st, 9, d->hours, strlen(d->hours));
    db_bind_text(st, 10, d->closed, strlen(d->closed));
    db_bind_int(st, 11, d->window);
    db_bind_int(st, 12, d->approval);
    db_bind_int(st, 13, d->quota);
    db_bind_int(st, 14, d->cancel_h);
    db_bind_int_or_null(st, 15, room);
    if ((rc = db_step(st, e)) == DB_ROW)
        *id = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static int insert_booking(struct ctx *x, int64_t res, const struct demo_res *d, int64_t start,
                          int64_t end, int party, int u, struct err *e)
{
    struct db_stmt *st = x->ins_b;
    int past = end <= x->now, roll = rng_below(&x->g, 100);
    const char *status = past                       ? (roll < 84   ? "checked_in"
                                                       : roll < 94 ? "cancelled"
                                                                   : "no_show")
                         : d->approval && roll < 40 ? "pending"
                                                    : "confirmed";
    if (!past && start < x->now)
        status = "checked_in";
    const char *purpose = d->purposes[rng_below(&x->g, 3)];
    json_t *code = bk_new_code();
    const char *cs = json_string_value(code);
    int64_t made = start - (int64_t)rng_range(&x->g, 1, 6) * 86400 / 2;
    if (made > x->now)
        made = x->now;
    int k = 1;
    db_bind_int(st, k++, x->tenant);
    db_bind_int(st, k++, made);
    db_bind_int(st, k++, made);
    db_bind_int(st, k++, x->users[u]);
    db_bind_int(st, k++, res);
    db_bind_int(st, k++, start);
    db_bind_int(st, k++, end);
    db_bind_int(st, k++, party);
    db_bind_text(st, k++, purpose, strlen(purpose));
    db_bind_int(st, k++, x->users[u]);
    db_bind_int_or_null(st, k++, x->depts[u]);
    db_bind_text(st, k++, status, strlen(status));
    db_bind_text(st, k++, cs, strlen(cs));
    int approved = d->approval && strcmp(status, "pending");
    db_bind_int_or_null(st, k++, approved ? x->manager : 0);
    db_bind_int_or_null(st, k++, approved ? made + 3600 : 0);
    int checked = !strcmp(status, "checked_in"), cancelled = !strcmp(status, "cancelled");
    db_bind_int_or_null(st, k++, checked ? start + rng_below(&x->g, 600) : 0);
    db_bind_int_or_null(st, k++, cancelled ? start - 86400 : 0);
    db_bind_int_or_null(st, k++, !strcmp(status, "no_show") ? start + 15 * 60 : 0);
    int rc = db_step(st, e);
    db_reset(st);
    json_decref(code);
    x->made++;
    return rc < 0 ? rc : 0;
}

/* One resource's bookings, day by day, slot by slot: never more than its
 * capacity at once, nobody over the weekly quota. */
static int fill(struct ctx *x, int64_t res, const struct demo_res *d, struct err *e)
{
    struct bk_rules rs = {.slot_min = d->slot, .window_days = d->window};
    struct err_item why;
    if (bk_hours_parse(d->hours, &rs.week, &why))
        return err_set(e, ERR_INTERNAL, NULL, NULL, "demo hours %s: %s", d->hours, why.msg);
    rs.closed = !strcmp(d->closed, "holidays")        ? BK_CLOSED_HOLIDAYS
                : !strcmp(d->closed, "workdays_only") ? BK_WORKDAYS_ONLY
                                                      : BK_OPEN_ALWAYS;
    int used[MAXU];
    int64_t load[96];
    for (int64_t day = x->today - PAST_DAYS; day <= x->today + d->window; day++) {
        int open, close;
        if (bk_weekday(day) == 1 || day == x->today - PAST_DAYS)
            memset(used, 0, sizeof(used));
        if (bk_day_hours(&rs, &x->cal, day, &open, &close))
            continue;
        int n = (close - open) / d->slot;
        if (n > 96)
            n = 96;
        memset(load, 0, sizeof(load));
        int64_t t0 = day * 86400 - (int64_t)x->r->utc_offset_min * 60 + (int64_t)open * 60;
        /* fewer bookings ahead: people book as the day comes near */
        int fillpm = day > x->today ? d->fill * 2 / 3 : d->fill;
        for (int s = 0; s < n; s++) {
            int tries = d->capacity > 1 ? d->capacity / 2 + 1 : 1;
            for (int t = 0; t < tries; t++) {
                if (!rng_chance(&x->g, fillpm))
                    continue;
                int len = rng_range(&x->g, 1, d->max_slots), party = 1;
                if (s + len > n)
                    len = n - s;
                if (d->capacity > 1 && !strcmp(d->kind, "room"))
                    party = rng_range(&x->g, 1, d->capacity / 4 + 1);
                int ok = 1;
                for (int j = s; j < s + len; j++)
                    ok &= load[j] + party <= d->capacity;
                int u = rng_below(&x->g, x->nu);
                if (!ok || (d->quota && used[u] >= d->quota))
                    continue;
                for (int j = s; j < s + len; j++)
                    load[j] += party;
                used[u]++;
                int64_t start = t0 + (int64_t)s * d->slot * 60;
                int rc = insert_booking(x, res, d, start, start + (int64_t)len * d->slot * 60,
                                        party, u, e);
                if (rc)
                    return rc;
            }
        }
    }
    return 0;
}

int bk_demo(struct db_conn *c, int64_t tenant, uint64_t seed, struct err *e)
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
    x->g.s = seed ^ 0xB00C1A6ull;
    if ((rc = cal_load(&r, c, tenant, &x->cal, e)))
        goto out;
    r.utc_offset_min = x->cal.utc_offset_min;
    x->today = cal_day_of(&x->cal, x->now);
    if ((rc = identity_user_id(&r, c, "property_manager", &x->manager, e)))
        goto out;
    static const char *const roles[] = {"staff",
                                        "liaison",
                                        "space_manager",
                                        "energy_manager",
                                        "assets_manager",
                                        "fleet_manager",
                                        "security_manager",
                                        "leader",
                                        NULL};
    struct identity_member *m;
    int n;
    if ((rc = identity_users_in_roles(&r, c, roles, &m, &n, e)))
        goto out;
    for (int i = 0; i < n && x->nu < MAXU; i++) {
        x->users[x->nu] = m[i].id;
        x->depts[x->nu++] = m[i].department_id;
    }
    if (!x->nu)
        goto out;
    if ((rc = db_prepare(c,
                         "INSERT INTO bookings (tenant_id, version, created_at, updated_at, "
                         "created_by, resource_id, start_at, end_at, party_size, purpose, "
                         "booker_id, department_id, status, check_in_code, approver_id, "
                         "approved_at, checked_in_at, cancelled_at, no_show_at) VALUES (?, 1, ?, "
                         "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         &x->ins_b, e)))
        goto out;
    for (size_t i = 0; i < sizeof(centre) / sizeof(centre[0]) && !rc; i++) {
        int64_t id = 0;
        if (!(rc = insert_resource(x, &centre[i], 0, &id, e)))
            rc = fill(x, id, &centre[i], e);
    }
    /* a meeting room of each building: the largest of the register's, when
     * the space module has them; else one named per building */
    struct sp_room_ref rooms[NBUILD];
    int nrooms = 0;
    if (!rc)
        rc = sp_largest_rooms(a, c, tenant, "meeting", rooms, NBUILD, &nrooms, e);
    for (int b = 0; b < (nrooms ? nrooms : NBUILD) && !rc; b++) {
        char name[160], loc[120];
        if (nrooms) {
            snprintf(name, sizeof(name), "%s %s（%s）", rooms[b].building,
                     rooms[b].name ? rooms[b].name : "会议室", rooms[b].number);
            snprintf(loc, sizeof(loc), "%s %d楼", rooms[b].building, rooms[b].level);
        } else {
            snprintf(name, sizeof(name), "%s 第一会议室", buildings[b]);
            snprintf(loc, sizeof(loc), "%s %d楼", buildings[b], 3 + b % 3);
        }
        struct demo_res d = {name,
                             "meeting_room",
                             loc,
                             "1-5 08:00-20:00",
                             "workdays_only",
                             1,
                             30,
                             60,
                             0,
                             0,
                             1,
                             200,
                             4,
                             {NULL, NULL, NULL}};
        for (int k = 0; k < 3; k++)
            d.purposes[k] = meeting_purposes[(b + k) % 5];
        int64_t id = 0;
        if (!(rc = insert_resource(x, &d, nrooms ? rooms[b].id : 0, &id, e)))
            rc = fill(x, id, &d, e);
    }
out:
    arena_free(a);
    return rc ? rc : bk_voucher_demo(c, tenant, seed, e);
}
