/* SPDX-License-Identifier: MIT
 * space/demo.c - the district's buildings for --demo: the party committee
 * compound (区委大院), the government compound (区政府大院), the office tower
 * (区机关办公大楼, formerly the customs building, which houses most
 * bureaus), the two blocks of the administrative centre and the service
 * building with the canteen and the archives. Every department of the
 * district (the streets have offices of their own) gets rooms on
 * consecutive floors: single offices for leaders at the standard of their
 * rank (a few larger: the over-standard cases), shared offices for the
 * others, a meeting room and an archive for the larger ones; each floor has
 * its toilets and an equipment room, some rooms stand vacant, one is under
 * repair and one is lent. A few people who have left still hold an office
 * (the recovery list). The service desk's repair requests that name one of
 * these rooms become its repairs. The same seed gives the same rows.
 */
#include "space.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../base/rng.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../org/org.h"
#include "../servicedesk/servicedesk.h"

#include <stdio.h>
#include <string.h>

#define CREATED 1767225600 /* 2026-01-01T00:00:00Z */

static const struct bdef {
    const char *name, *code, *kind, *address, *note;
    int built, capacity, per_floor, max_floors;
    int64_t floor_area; /* hundredths of m² */
} bdefs[] = {
    {"区委大院", "QWDY", "compound", "龙岗区龙城街道中心城龙福路1号", NULL, 1994, 420, 30, 8,
     1850000},
    {"区政府大院", "QZFDY", "compound", "龙岗区龙城街道中心城龙福路2号", NULL, 1993, 460, 30, 8,
     2200000},
    {"区机关办公大楼", "JGDL", "office", "龙岗区龙城街道龙翔大道8号",
     "原海关大楼，移交后改作区机关集中办公，约2,100人", 2008, 2100, 40, 30, 6800000},
    {"区行政中心A座", "XZZXA", "office", "龙岗区龙城街道龙翔大道6号A座", NULL, 2012, 420, 32, 14,
     2900000},
    {"区行政中心B座", "XZZXB", "office", "龙岗区龙城街道龙翔大道6号B座", NULL, 2012, 420, 32, 14,
     2900000},
    {"区机关服务中心", "JGFW", "service", "龙岗区龙城街道龙福路3号", "机关食堂、档案库房", 2005,
     0, 20, 4, 960000},
};
#define NB (sizeof(bdefs) / sizeof(bdefs[0]))

struct ctx {
    struct db_conn *c;
    int64_t tenant;
    struct rng g;
    struct err *e;
    struct db_stmt *ins_floor, *ins_room, *ins_asg;
    int64_t bid[NB];
    int b;           /* the building being filled */
    int housed;      /* people housed in it */
    int64_t floor;   /* current floor id */
    int level, on_floor;
    char today[16], soon[16], late[16];
};

static int step_id(struct db_stmt *st, struct err *e, int64_t *id)
{
    int rc = db_step(st, e);
    if (id)
        *id = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static void bind_text(struct db_stmt *st, int k, const char *s)
{
    if (s)
        db_bind_text(st, k, s, strlen(s));
    else
        db_bind_null(st, k);
}

static int insert_room(struct ctx *x, const char *name, int64_t area, const char *use,
                       const char *state, int64_t dept, int seats, int64_t *id);

/* A new floor of the current building, with its toilets and equipment room. */
static int next_floor(struct ctx *x)
{
    char name[16];
    x->level++;
    x->on_floor = 0;
    snprintf(name, sizeof(name), "%dF", x->level);
    struct db_stmt *st = x->ins_floor;
    db_bind_int(st, 1, x->tenant);
    db_bind_int(st, 2, CREATED);
    db_bind_int(st, 3, CREATED);
    db_bind_int(st, 4, x->bid[x->b]);
    db_bind_int(st, 5, x->level);
    bind_text(st, 6, name);
    int rc = step_id(st, x->e, &x->floor);
    int64_t id;
    if (!rc)
        rc = insert_room(x, "男卫生间", 1500 + rng_range(&x->g, 0, 6) * 100, "toilet", "in_use", 0,
                         0, &id);
    if (!rc)
        rc = insert_room(x, "女卫生间", 1500 + rng_range(&x->g, 0, 6) * 100, "toilet", "in_use", 0,
                         0, &id);
    if (!rc)
        rc = insert_room(x, "弱电间", 600 + rng_range(&x->g, 0, 6) * 100, "equipment", "in_use",
                         0, 0, &id);
    /* now and then a vacant office waiting for the next adjustment */
    if (!rc && rng_chance(&x->g, 400))
        rc = insert_room(x, NULL, 1800 + rng_range(&x->g, 0, 12) * 100, "office", "vacant", 0, 0,
                         &id);
    return rc;
}

static int insert_room(struct ctx *x, const char *name, int64_t area, const char *use,
                       const char *state, int64_t dept, int seats, int64_t *id)
{
    const struct bdef *d = &bdefs[x->b];
    if (x->on_floor >= d->per_floor && x->level < d->max_floors) {
        int rc = next_floor(x);
        if (rc)
            return rc;
    }
    char number[16];
    snprintf(number, sizeof(number), "%d%02d", x->level, ++x->on_floor);
    struct db_stmt *st = x->ins_room;
    db_bind_int(st, 1, x->tenant);
    db_bind_int(st, 2, CREATED);
    db_bind_int(st, 3, CREATED);
    db_bind_int(st, 4, x->bid[x->b]);
    db_bind_int(st, 5, x->floor);
    bind_text(st, 6, number);
    bind_text(st, 7, name);
    db_bind_int(st, 8, area);
    bind_text(st, 9, use);
    bind_text(st, 10, state);
    db_bind_int_or_null(st, 11, dept);
    db_bind_int_or_null(st, 12, seats);
    return step_id(st, x->e, id);
}

static int assign(struct ctx *x, int64_t room, int64_t dept, int64_t person, int gone)
{
    char start[16];
    snprintf(start, sizeof(start), "%04d-%02d-01", rng_range(&x->g, 2016, 2025),
             rng_range(&x->g, 1, 12));
    struct db_stmt *st = x->ins_asg;
    db_bind_int(st, 1, x->tenant);
    db_bind_int(st, 2, CREATED);
    db_bind_int(st, 3, CREATED);
    db_bind_int(st, 4, room);
    db_bind_int(st, 5, dept);
    db_bind_int_or_null(st, 6, person);
    bind_text(st, 7, start);
    bind_text(st, 8, gone ? (gone == 1 ? x->late : x->soon) : NULL);
    bind_text(st, 9, gone ? "left" : NULL);
    return step_id(st, x->e, NULL);
}

struct person {
    int64_t id, limit;
    int active;
};

/* Moves on to the next building when this one is full. */
static int room_for(struct ctx *x, int people)
{
    while (x->b < (int)NB - 1 && bdefs[x->b].capacity &&
           x->housed + people > bdefs[x->b].capacity && x->housed > 0) {
        x->b++;
        x->housed = 0;
        x->level = 0;
        if (!bdefs[x->b].capacity)
            return 1; /* no building left for offices */
        int rc = next_floor(x);
        if (rc)
            return rc;
    }
    return bdefs[x->b].capacity ? 0 : 1;
}

static int house(struct ctx *x, int64_t dept, const struct person *p, int n)
{
    int rc, active = 0;
    int64_t room;
    for (int i = 0; i < n; i++)
        active += p[i].active;
    if ((rc = room_for(x, active)))
        return rc > 0 ? 0 : rc;
    x->housed += active;
    int i = 0;
    /* leaders: a single office at their standard; now and then a larger one */
    while (i < n && p[i].limit >= 1800) {
        int64_t area = p[i].limit;
        if (rng_chance(&x->g, 25))
            area += rng_range(&x->g, 3, 12) * 100;
        else if (rng_chance(&x->g, 300))
            area -= rng_range(&x->g, 1, 4) * 100;
        int gone = !p[i].active ? 1 + rng_chance(&x->g, 500) : 0;
        if (!p[i].active && !rng_chance(&x->g, 300)) {
            i++;
            continue; /* already recovered */
        }
        if ((rc = insert_room(x, NULL, area, "office", "in_use", dept, 1, &room)) ||
            (rc = assign(x, room, dept, p[i].id, gone)))
            return rc;
        i++;
    }
    /* everyone else shares: deputies two to a room, staff four (or three) */
    while (i < n) {
        int per = p[i].limit >= 1200 ? 2 : rng_chance(&x->g, 15) ? 3 : 4, k = 0;
        int64_t ids[4];
        int act[4];
        while (k < per && i < n && (p[i].limit >= 1200) == (per == 2)) {
            if (p[i].active || rng_chance(&x->g, 300)) {
                ids[k] = p[i].id;
                act[k] = p[i].active;
                k++;
            }
            i++;
        }
        if (!k)
            continue;
        int64_t area = per == 2 ? 1200 * k : per == 3 ? 1000 * k : 900 * k;
        if (per == 2 && k == 1)
            area = 1200;
        if ((rc = insert_room(x, NULL, area, "office", "in_use", dept, k, &room)))
            return rc;
        for (int j = 0; j < k; j++)
            if ((rc = assign(x, room, dept, ids[j], act[j] ? 0 : 1 + rng_chance(&x->g, 500))))
                return rc;
    }
    if (active >= 15) {
        if ((rc = insert_room(x, "会议室", rng_range(&x->g, 30, 60) * 100, "meeting", "in_use",
                              dept, 0, &room)) ||
            (rc = assign(x, room, dept, 0, 0)))
            return rc;
    }
    if (active >= 40) {
        if ((rc = insert_room(x, "档案室", rng_range(&x->g, 16, 30) * 100, "archive", "in_use",
                              dept, 0, &room)) ||
            (rc = assign(x, room, dept, 0, 0)))
            return rc;
    }
    return 0;
}

/* Leaders first: the larger office limit first, then by id. */
static int by_limit(const void *a, const void *b)
{
    const struct person *x = a, *y = b;
    if (x->limit != y->limit)
        return x->limit > y->limit ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* The department's people with their rank's office limit (0: no rank). */
static void load_people(const struct org_person_list *all, const struct org_rank_list *ranks,
                        int64_t dept, struct person *p, int cap, int *n)
{
    *n = 0;
    for (int i = 0; i < all->n && *n < cap; i++) {
        const struct org_person_row *q = &all->v[i];
        if (q->department_id != dept)
            continue;
        const struct org_rank_row *k = q->rank_id ? org_rank_list_find(ranks, q->rank_id) : NULL;
        p[*n].id = q->id;
        p[*n].limit = k ? k->max_office_m2 : 0;
        p[*n].active = q->active;
        (*n)++;
    }
    qsort(p, (size_t)*n, sizeof(*p), by_limit);
}

/* The demo's repair requests (the service desk's, made before this) that
 * name a building and a room number of these buildings become that room's
 * repairs: mostly routine, some medium, a few major ones with the
 * procurement project every major repair needs. */
static int link_repairs(struct req *r, struct db_conn *c, struct err *e)
{
    struct sd_repair_request *q;
    struct db_stmt *room, *ins;
    int n;
    int rc = sd_repair_requests(r, c, &q, &n, e);
    if (rc)
        return rc;
    if ((rc = db_prepare(c,
                         "SELECT r.id FROM rooms r JOIN buildings b ON b.tenant_id = r.tenant_id "
                         "AND b.id = r.building_id WHERE r.tenant_id = ? AND b.name = ? AND "
                         "r.number = ? ORDER BY r.id LIMIT 1",
                         &room, e)) ||
        (rc = db_prepare(c,
                         "INSERT INTO room_repairs (tenant_id, version, created_at, updated_at, "
                         "request_id, room_id, category, procurement_ref) SELECT ?, 1, ?, ?, ?, "
                         "?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM room_repairs p WHERE "
                         "p.tenant_id = ? AND p.request_id = ?)",
                         &ins, e)))
        return rc;
    for (int i = 0; i < n; i++) {
        if (!q[i].room_id && q[i].building && q[i].room) {
            db_bind_int(room, 1, r->tenant_id);
            bind_text(room, 2, q[i].building);
            bind_text(room, 3, q[i].room);
            if ((rc = step_id(room, e, &q[i].room_id)) ||
                (q[i].room_id && (rc = sd_request_set_room(r, c, q[i].id, q[i].room_id, e))))
                return rc;
        }
        if (!q[i].room_id)
            continue;
        int major = q[i].id % 97 == 0, medium = q[i].id % 11 == 0;
        char ref[40];
        snprintf(ref, sizeof(ref), "LGJGSW-2026-%lld", (long long)q[i].id);
        db_bind_int(ins, 1, r->tenant_id);
        db_bind_int(ins, 2, q[i].created_at);
        db_bind_int(ins, 3, q[i].created_at);
        db_bind_int(ins, 4, q[i].id);
        db_bind_int(ins, 5, q[i].room_id);
        bind_text(ins, 6, major ? "major" : medium ? "medium" : "routine");
        bind_text(ins, 7, major ? ref : NULL);
        db_bind_int(ins, 8, r->tenant_id);
        db_bind_int(ins, 9, q[i].id);
        if ((rc = step_id(ins, e, NULL)))
            return rc;
    }
    return 0;
}

static int demo(struct req *r, struct db_conn *c, uint64_t seed, struct err *e)
{
    static struct person people[6000];
    static int64_t depts[2000];
    int64_t tenant_id = r->tenant_id;
    struct org_person_list all;
    struct org_rank_list ranks;
    struct org_dept_list dl;
    struct ctx x;
    memset(&x, 0, sizeof(x));
    x.c = c;
    x.tenant = tenant_id;
    x.e = e;
    x.g.s = seed ^ 0x5ace5ace5ace5aceULL;
    int64_t now = clock_now() + 8 * 3600, today = now / 86400;
    date_format(today, x.today, sizeof(x.today));
    date_format(today - 12, x.late, sizeof(x.late));
    date_format(today + 18, x.soon, sizeof(x.soon));
    struct db_stmt *st;
    int rc = db_prepare(c,
                        "INSERT INTO buildings (tenant_id, version, created_at, updated_at, name, "
                        "code, kind, address, built_year, floor_area_m2, sort_order, note) "
                        "VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                        &st, e);
    if (rc)
        return rc;
    for (size_t i = 0; i < NB; i++) {
        db_bind_int(st, 1, tenant_id);
        db_bind_int(st, 2, CREATED);
        db_bind_int(st, 3, CREATED);
        bind_text(st, 4, bdefs[i].name);
        bind_text(st, 5, bdefs[i].code);
        bind_text(st, 6, bdefs[i].kind);
        bind_text(st, 7, bdefs[i].address);
        db_bind_int(st, 8, bdefs[i].built);
        db_bind_int(st, 9, bdefs[i].floor_area);
        db_bind_int(st, 10, (int64_t)(i + 1) * 10);
        bind_text(st, 11, bdefs[i].note);
        if ((rc = step_id(st, e, &x.bid[i])))
            return rc;
    }
    if ((rc = db_prepare(c,
                         "INSERT INTO floors (tenant_id, version, created_at, updated_at, "
                         "building_id, level, name) VALUES (?, 1, ?, ?, ?, ?, ?) RETURNING id",
                         &x.ins_floor, e)) ||
        (rc = db_prepare(c,
                         "INSERT INTO rooms (tenant_id, version, created_at, updated_at, "
                         "building_id, floor_id, number, name, area_m2, use_type, state, "
                         "department_id, seats) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                         "RETURNING id",
                         &x.ins_room, e)) ||
        (rc = db_prepare(c,
                         "INSERT INTO room_assignments (tenant_id, version, created_at, "
                         "updated_at, room_id, department_id, person_id, start_date, "
                         "recovery_due, recovery_reason) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?)",
                         &x.ins_asg, e)))
        return rc;
    /* the departments with offices here, in tree order */
    int nd = 0;
    if ((rc = org_dept_list_load(r, c, &dl, e)) || (rc = org_person_list_load(r, c, &all, e)) ||
        (rc = org_rank_list_load(r, c, &ranks, e)))
        return rc;
    for (int i = 0; i < dl.n && nd < 2000; i++)
        if (dl.v[i].kind && strcmp(dl.v[i].kind, "street"))
            depts[nd++] = dl.v[i].id;
    x.b = 0;
    if ((rc = next_floor(&x)))
        return rc;
    for (int i = 0; i < nd; i++) {
        int n;
        load_people(&all, &ranks, depts[i], people, 6000, &n);
        if (n && (rc = house(&x, depts[i], people, n)))
            return rc;
    }
    /* the service building: the canteen, the archives, rooms lent and under repair */
    x.b = NB - 1;
    x.level = 0;
    int64_t room;
    if ((rc = next_floor(&x)) ||
        (rc = insert_room(&x, "机关食堂", 86000, "canteen", "in_use", 0, 0, &room)) ||
        (rc = insert_room(&x, "厨房操作间", 24000, "canteen", "in_use", 0, 0, &room)) ||
        (rc = insert_room(&x, "服务大厅", 12000, "service", "in_use", 0, 0, &room)))
        return rc;
    x.on_floor = bdefs[x.b].per_floor;
    if ((rc = insert_room(&x, "综合档案库房", 42000, "archive", "in_use", 0, 0, &room)) ||
        (rc = insert_room(&x, "多功能会议厅", 32000, "meeting", "in_use", 0, 0, &room)) ||
        (rc = insert_room(&x, "党员活动室", 9000, "meeting", "lent", 0, 0, &room)) ||
        (rc = insert_room(&x, "原印刷室", 6000, "other", "under_repair", 0, 0, &room)) ||
        (rc = insert_room(&x, NULL, 3600, "office", "vacant", 0, 0, &room)) ||
        (rc = insert_room(&x, NULL, 2400, "office", "vacant", 0, 0, &room)))
        return rc;
    return link_repairs(r, c, e);
}

int sp_demo(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e)
{
    struct arena *a = arena_new(16u << 20);
    struct req r;
    req_init_internal(&r, a, NULL, NULL);
    r.tenant_id = tenant_id;
    int rc = demo(&r, c, seed, e);
    arena_free(a);
    return rc;
}
