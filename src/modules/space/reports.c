/* SPDX-License-Identifier: MIT
 * space/reports.c - what the office space register answers, each within
 * the caller's read scope:
 *
 *   GET /api/v1/space/over_standard[?building_id=&department_id=&date=]
 *       people and rooms above the area standard, with the excess, per
 *       department and building, with totals
 *   GET /api/v1/space/floors/{id}/view   a floor's rooms: state, occupants,
 *       over-standard flags (the floor plan's data)
 *   GET /api/v1/space/recovery           offices flagged for recovery, open
 *   GET /api/v1/space/vacancies          vacant rooms
 *   GET /api/v1/space/departments        office area per department against
 *       headcount and entitlement
 *   GET /api/v1/space/ledger(.xlsx)      the ledger 台账: per building, by
 *       department and use (XLSX: one sheet per building)
 *   GET /api/v1/space/publicity(.csv|.xlsx)?year=   the yearly publicity list
 *   GET /api/v1/space/rooms/{id}/maintenance   repairs and their cost per year
 *
 * Areas are in hundredths of m² inside and sent with two decimals; a
 * person's office area is the room's area divided by its occupants that day.
 */
#include "space.h"
#include "../../engine/export.h"
#include "../../engine/report.h"
#include "../../base/arena.h"
#include "../../base/buf.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../engine/record.h"
#include "../../engine/rest.h"
#include "../org/org.h"
#include "../servicedesk/servicedesk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define MAX_GROUPS 2000

/* ---- helpers ---- */

static const char *coldup(struct req *r, struct db_stmt *st, int k)
{
    if (db_col_is_null(st, k))
        return NULL;
    size_t n;
    const char *s = db_col_text(st, k, &n);
    char *d = arena_alloc(r->a, n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = 0;
    }
    return d;
}

static int64_t col0(struct db_stmt *st, int k)
{
    return db_col_is_null(st, k) ? 0 : db_col_int(st, k);
}

static void m2s(char *out, size_t n, int64_t v)
{
    snprintf(out, n, "%lld.%02lld", (long long)v / 100, (long long)(v < 0 ? -v : v) % 100);
}

/* The caller's row scope on ent, for a column of table alias al. */
static void scope_of(struct req *r, const struct res_entity *ent, const char *al,
                     struct perm_filter *pf)
{
    perm_filter(r, ent, pf);
    if (pf->field)
        pf->field = arena_printf(r->a, "%s.%s", al, pf->field);
}

/* An optional positive id in the query string (400 naming it otherwise). */
static int id_param(struct req *r, const char *k, int64_t *v)
{
    return report_param_int(r, k, 1, INT64_MAX, 0, v);
}

/* ?date= (default today) as "YYYY-MM-DD". */
static int day_param(struct req *r, const char *k, char *day)
{
    int64_t d;
    int rc = report_param_day(r, k, sp_today(r), &d);
    if (!rc)
        date_format(d, day, 16);
    return rc;
}

static int send_buf(struct req *r)
{
    if (!buf_ok(&r->out))
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    return resp_json(r, 200);
}

/* ---- who sits where on a day ---- */

struct occ {
    int64_t aid, room, person, dept, rank, building, floor, area, limit, share;
    int64_t suite; /* an office's: the holder's rest room and toilet, counted with it */
    int n;
    int kind;      /* 0 an office, 1 a rest room or toilet, 2 a second office */
    const char *room_no, *bname, *pname, *dname, *why, *rank_name;
};

struct occs {
    struct occ *v;
    int n, cap;
    struct sp_std std;
    struct org_person_list people; /* the organisation, for names and ranks */
    struct org_dept_list depts;
};

/* A department's name, or NULL (none, or no such department). */
static const char *dept_name(const struct org_dept_list *l, int64_t id)
{
    const struct org_dept_row *d = id ? org_dept_list_find(l, id) : NULL;
    return d ? d->name : NULL;
}

static int by_person(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Each office's holder's rest room and toilet on day, wherever they are
 * (whatever the caller may see): counted in the office's area. */
static int add_suites(struct req *r, struct db_conn *c, const char *day, struct occs *o)
{
    struct db_stmt *st;
    int cap = 64, n = 0;
    int64_t *v = arena_alloc(r->a, sizeof(*v) * 2 * (size_t)cap);
    if (!v)
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    int rc = db_prepare(c,
                        "WITH cur AS (SELECT room_id, person_id, COUNT(*) OVER (PARTITION BY "
                        "room_id) AS n FROM room_assignments WHERE tenant_id = ? AND person_id "
                        "IS NOT NULL AND start_date <= ? AND (end_date IS NULL OR end_date >= "
                        "?)) SELECT a.person_id, r.area_m2, a.n FROM cur a JOIN rooms r ON "
                        "r.tenant_id = ? AND r.id = a.room_id WHERE r.use_type IN ('rest', "
                        "'toilet') ORDER BY a.person_id",
                        &st, &r->err);
    if (rc)
        return rc;
    db_bind_int(st, 1, r->tenant_id);
    db_bind_text(st, 2, day, 10);
    db_bind_text(st, 3, day, 10);
    db_bind_int(st, 4, r->tenant_id);
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        if (n == cap) {
            int64_t *w = arena_alloc(r->a, sizeof(*w) * 4 * (size_t)cap);
            if (!w) {
                db_reset(st);
                return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
            }
            memcpy(w, v, sizeof(*v) * 2 * (size_t)n);
            v = w;
            cap *= 2;
        }
        v[2 * n] = db_col_int(st, 0);
        v[2 * n + 1] = sp_share(db_col_int(st, 1), (int)db_col_int(st, 2));
        n++;
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    for (int i = 0; i < o->n; i++) {
        struct occ *x = &o->v[i];
        if (x->kind)
            continue;
        int64_t key = x->person;
        const int64_t *hit = n ? bsearch(&key, v, (size_t)n, sizeof(*v) * 2, by_person) : NULL;
        while (hit && hit > v && hit[-2] == key)
            hit -= 2;
        for (; hit && hit < v + 2 * n && hit[0] == key; hit += 2)
            x->suite += hit[1];
    }
    return 0;
}

/* Every person's office assignment current on day, in building, room and
 * assignment order; the filters are 0 when unused. Occupants are counted
 * over the whole tenant, whatever the caller may see. Names and ranks come
 * from the organisation, loaded once; an assignment whose person is gone is
 * left out. */
static int load_occ(struct req *r, struct db_conn *c, const char *day, int64_t building,
                    int64_t dept, int64_t floor, struct occs *o)
{
    struct perm_filter pf;
    struct buf sql;
    memset(o, 0, sizeof(*o));
    int rc = sp_std_load(r, c, &o->std, &r->err);
    if (rc || (rc = org_person_list_load(r, c, &o->people, &r->err)) ||
        (rc = org_dept_list_load(r, c, &o->depts, &r->err)))
        return rc;
    scope_of(r, &sp_assignments, "a", &pf);
    buf_init(&sql, r->a);
    buf_puts(&sql,
             "WITH cur AS (SELECT id, room_id, person_id, department_id, override_reason, "
             "concurrent_post, "
             "COUNT(*) OVER (PARTITION BY room_id) AS n FROM room_assignments WHERE tenant_id "
             "= ? AND person_id IS NOT NULL AND start_date <= ? AND (end_date IS NULL OR "
             "end_date >= ?)");
    if (floor) /* only the floor's rooms (every assignment of each, for the count) */
        buf_puts(&sql, " AND room_id IN (SELECT id FROM rooms WHERE tenant_id = ? AND "
                       "floor_id = ?)");
    buf_puts(&sql,
             ") SELECT a.id, a.room_id, a.person_id, a.department_id, "
             "a.override_reason, a.n, r.number, r.area_m2, r.building_id, b.name, r.floor_id, "
             "r.use_type, CASE WHEN a.concurrent_post IS NULL THEN 0 ELSE 1 END "
             "FROM cur a JOIN rooms r ON r.tenant_id = ? AND r.id = a.room_id JOIN buildings b "
             "ON b.tenant_id = r.tenant_id AND b.id = r.building_id WHERE 1 = 1");
    if (building)
        buf_puts(&sql, " AND r.building_id = ?");
    if (dept)
        buf_puts(&sql, " AND a.department_id = ?");
    if (floor)
        buf_puts(&sql, " AND r.floor_id = ?");
    perm_filter_sql(&pf, &sql);
    buf_puts(&sql, " ORDER BY b.sort_order, b.id, r.number, r.id, a.id");
    if (!buf_ok(&sql))
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    struct db_stmt *st;
    if ((rc = db_prepare(c, sql.p, &st, &r->err)))
        return rc;
    int k = 1;
    db_bind_int(st, k++, r->tenant_id);
    db_bind_text(st, k++, day, 10);
    db_bind_text(st, k++, day, 10);
    if (floor) {
        db_bind_int(st, k++, r->tenant_id);
        db_bind_int(st, k++, floor);
    }
    db_bind_int(st, k++, r->tenant_id);
    if (building)
        db_bind_int(st, k++, building);
    if (dept)
        db_bind_int(st, k++, dept);
    if (floor)
        db_bind_int(st, k++, floor);
    perm_filter_bind(&pf, st, k);
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        const struct org_person_row *p = org_person_list_find(&o->people, db_col_int(st, 2));
        if (!p)
            continue;
        if (o->n == o->cap) {
            int cap = o->cap ? o->cap * 2 : 256;
            struct occ *v = arena_alloc(r->a, sizeof(*v) * (size_t)cap);
            if (!v) {
                db_reset(st);
                return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
            }
            if (o->n)
                memcpy(v, o->v, sizeof(*v) * (size_t)o->n);
            o->v = v;
            o->cap = cap;
        }
        struct occ *x = &o->v[o->n++];
        memset(x, 0, sizeof(*x));
        x->aid = db_col_int(st, 0);
        x->room = db_col_int(st, 1);
        x->person = db_col_int(st, 2);
        x->dept = col0(st, 3);
        x->why = coldup(r, st, 4);
        x->n = (int)db_col_int(st, 5);
        x->room_no = coldup(r, st, 6);
        x->area = db_col_int(st, 7);
        x->building = db_col_int(st, 8);
        x->bname = coldup(r, st, 9);
        x->pname = p->name;
        x->rank = p->rank_id;
        x->dname = dept_name(&o->depts, x->dept);
        x->floor = db_col_int(st, 10);
        if (x->n < 1)
            x->n = 1;
        x->share = sp_share(x->area, x->n);
        x->limit = sp_limit(&o->std, x->rank, &x->rank_name);
        const char *use = db_col_text(st, 11, NULL);
        x->kind = db_col_int(st, 12) ? 2 : use && strcmp(use, "office") ? 1 : 0;
    }
    db_reset(st);
    return rc < 0 ? rc : add_suites(r, c, day, o);
}

static int over(const struct occ *x)
{
    return x->kind != 1 && x->limit >= 0 && x->share + x->suite > x->limit;
}

/* ---- the over-standard report ---- */

struct grp {
    int64_t id;
    const char *name;
    int64_t people, rooms, excess;
};

static struct grp *grp_of(struct grp *g, int *n, int64_t id, const char *name)
{
    for (int i = 0; i < *n; i++)
        if (g[i].id == id)
            return &g[i];
    if (*n == MAX_GROUPS)
        return NULL;
    struct grp *x = &g[(*n)++];
    memset(x, 0, sizeof(*x));
    x->id = id;
    x->name = name;
    return x;
}

static void grps_json(struct buf *b, const char *key, const char *idk, const struct grp *g,
                      int n, int rooms)
{
    buf_printf(b, ",\"%s\":[", key);
    for (int i = 0; i < n; i++) {
        buf_puts(b, i ? ",{" : "{");
        buf_jid(b, idk, g[i].id);
        buf_jstr(b, "name", g[i].name);
        buf_jint(b, "people", g[i].people);
        if (rooms)
            buf_jint(b, "rooms", g[i].rooms);
        buf_jdec(b, "excess_m2", g[i].excess, 2);
        buf_putc(b, '}');
    }
    buf_putc(b, ']');
}

/* The over-standard figures as they are added up. */
struct over_totals {
    struct grp *bd, *bb; /* by department, by building */
    int nd, nb;
    int64_t people, rooms, excess, room_excess;
};

/* The people over their standard, each added to their department's and
 * building's group. */
static void over_people(struct buf *b, const struct occs *o, struct over_totals *t)
{
    for (int i = 0; i < o->n; i++) {
        const struct occ *x = &o->v[i];
        if (!over(x))
            continue;
        int64_t ex = x->share + x->suite - x->limit;
        buf_puts(b, t->people++ ? ",{" : "{");
        buf_jint(b, "assignment_id", x->aid);
        buf_jint(b, "person_id", x->person);
        buf_jstr(b, "name", x->pname);
        buf_jid(b, "department_id", x->dept);
        buf_jstr(b, "department", x->dname);
        buf_jstr(b, "rank", x->rank_name);
        buf_jdec(b, "limit_m2", x->limit, 2);
        buf_jint(b, "room_id", x->room);
        buf_jstr(b, "room", x->room_no);
        buf_jint(b, "building_id", x->building);
        buf_jstr(b, "building", x->bname);
        buf_jdec(b, "room_area_m2", x->area, 2);
        buf_jint(b, "occupants", x->n);
        buf_jdec(b, "area_m2", x->share, 2);
        buf_jdec(b, "suite_m2", x->suite, 2);
        buf_jdec(b, "excess_m2", ex, 2);
        buf_jstr(b, "override_reason", x->why);
        buf_putc(b, '}');
        t->excess += ex;
        struct grp *g = grp_of(t->bd, &t->nd, x->dept, x->dname);
        if (g) {
            g->people++;
            g->excess += ex;
        }
        if ((g = grp_of(t->bb, &t->nb, x->building, x->bname))) {
            g->people++;
            g->excess += ex;
        }
    }
}

/* Rooms: the area beyond what all their occupants together may have. */
static void over_rooms(struct buf *b, const struct occs *o, struct over_totals *t)
{
    for (int i = 0; i < o->n;) {
        int j = i, nolimit = 0;
        int64_t sum = 0;
        while (j < o->n && o->v[j].room == o->v[i].room) {
            if (o->v[j].limit < 0)
                nolimit = 1;
            sum += o->v[j].limit;
            j++;
        }
        const struct occ *x = &o->v[i];
        if (!nolimit && x->area > sum) {
            buf_puts(b, t->rooms++ ? ",{" : "{");
            buf_jint(b, "room_id", x->room);
            buf_jstr(b, "room", x->room_no);
            buf_jint(b, "building_id", x->building);
            buf_jstr(b, "building", x->bname);
            buf_jdec(b, "area_m2", x->area, 2);
            buf_jint(b, "occupants", x->n);
            buf_jdec(b, "limit_m2", sum, 2);
            buf_jdec(b, "excess_m2", x->area - sum, 2);
            buf_putc(b, '}');
            t->room_excess += x->area - sum;
            struct grp *g = grp_of(t->bb, &t->nb, x->building, x->bname);
            if (g)
                g->rooms++;
        }
        i = j;
    }
}

int sp_over_standard(struct req *r)
{
    static const char *const names[] = {"building_id", "department_id", "date", NULL};
    int64_t building, dept;
    char day[16];
    struct occs o;
    int rc = perm_check(r, &sp_assignments, "read");
    if (rc || (rc = report_params_only(r, names)) || (rc = id_param(r, "building_id", &building)) ||
        (rc = id_param(r, "department_id", &dept)) || (rc = day_param(r, "date", day)))
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    if ((rc = load_occ(r, c, day, building, dept, 0, &o)))
        return rc;
    struct over_totals t = {.bd = arena_alloc(r->a, sizeof(*t.bd) * MAX_GROUPS),
                            .bb = arena_alloc(r->a, sizeof(*t.bb) * MAX_GROUPS)};
    if (!t.bd || !t.bb)
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    struct buf *b = &r->out;
    buf_puts(b, "{");
    buf_jstr(b, "as_of", day);
    buf_jstr(b, "level", o.std.level);
    buf_puts(b, ",\"people\":[");
    over_people(b, &o, &t);
    buf_puts(b, "],\"rooms\":[");
    over_rooms(b, &o, &t);
    buf_putc(b, ']');
    grps_json(b, "by_department", "department_id", t.bd, t.nd, 0);
    grps_json(b, "by_building", "building_id", t.bb, t.nb, 1);
    buf_printf(b, ",\"totals\":{\"assessed\":%lld,\"people\":%lld,\"rooms\":%lld,",
               (long long)o.n, (long long)t.people, (long long)t.rooms);
    buf_jdec(b, "excess_m2", t.excess, 2);
    buf_jdec(b, "room_excess_m2", t.room_excess, 2);
    buf_puts(b, "}}");
    return send_buf(r);
}

/* ---- the floor view ---- */

/* The floor's header: {"as_of", "floor": {…}, "rooms": [ — 404 when there is
 * no such floor. */
static int floor_head(struct req *r, struct db_conn *c, int64_t fid, const char *day)
{
    struct db_stmt *st;
    struct buf *b = &r->out;
    int rc = db_prepare_ints(c,
                             "SELECT f.building_id, f.level, f.name, b.name FROM floors f JOIN "
                             "buildings b ON b.tenant_id = f.tenant_id AND b.id = f.building_id "
                             "WHERE f.tenant_id = ? AND f.id = ?",
                             DB_INTS(r->tenant_id, fid), &st, &r->err);
    if (rc)
        return rc;
    rc = db_step(st, &r->err);
    if (rc == DB_ROW) {
        buf_printf(b, "{\"as_of\":\"%s\",\"floor\":{\"id\":%lld,\"building_id\":%lld,", day,
                   (long long)fid, (long long)db_col_int(st, 0));
        buf_jstr(b, "building", db_col_text(st, 3, NULL));
        buf_jint(b, "level", db_col_int(st, 1));
        buf_jstr(b, "name", db_col_text(st, 2, NULL));
        buf_puts(b, "},\"rooms\":[");
    }
    db_reset(st);
    if (rc == DB_DONE)
        return err_set(&r->err, ERR_NOT_FOUND, NULL, NULL, "no record {id}%lld in floors",
                       (long long)fid);
    return rc < 0 ? rc : 0;
}

/* A room's occupants; *any when one of them is over the standard, by *ex. */
static void render_occupants(struct buf *b, const struct occs *o, int64_t room, int *any,
                             int64_t *ex)
{
    int k = 0;
    for (int i = 0; i < o->n; i++) {
        const struct occ *x = &o->v[i];
        if (x->room != room)
            continue;
        buf_puts(b, k++ ? ",{" : "{");
        buf_jint(b, "assignment_id", x->aid);
        buf_jint(b, "person_id", x->person);
        buf_jstr(b, "name", x->pname);
        buf_jstr(b, "rank", x->rank_name);
        buf_jdec(b, "limit_m2", x->limit, 2);
        buf_jdec(b, "area_m2", x->share, 2);
        buf_jdec(b, "suite_m2", x->suite, 2);
        buf_jstr(b, "kind", x->kind == 1 ? "suite" : x->kind == 2 ? "second_office" : "office");
        buf_jbool(b, "other_tier", x->limit == SP_LIMIT_OTHER_TIER);
        buf_jbool(b, "over_standard", over(x));
        if (over(x)) {
            *any = 1;
            *ex += x->share + x->suite - x->limit;
        }
        buf_jstr(b, "override_reason", x->why);
        buf_putc(b, '}');
    }
}

/* One room of the floor (the current row of st) with its occupants. */
static void render_floor_room(struct buf *b, struct db_stmt *st, const struct occs *o, int first,
                              int *vacant, int *over_rooms)
{
    int64_t id = db_col_int(st, 0), ex = 0;
    int any = 0;
    buf_puts(b, first ? "{" : ",{");
    buf_jint(b, "id", id);
    buf_jstr(b, "number", db_col_text(st, 1, NULL));
    buf_jstr(b, "name", db_col_is_null(st, 2) ? NULL : db_col_text(st, 2, NULL));
    buf_jdec(b, "area_m2", db_col_int(st, 3), 2);
    buf_jstr(b, "use_type", db_col_text(st, 4, NULL));
    buf_putc(b, ',');
    const char *state = db_col_text(st, 5, NULL);
    *vacant += !strcmp(state, "vacant");
    buf_jstr(b, "state", state);
    buf_jid(b, "department_id", col0(st, 6));
    buf_jstr(b, "department", dept_name(&o->depts, col0(st, 6)));
    buf_puts(b, ",\"seats\":");
    if (db_col_is_null(st, 7))
        buf_puts(b, "null");
    else
        buf_i64(b, db_col_int(st, 7));
    buf_jid(b, "assigned_department_id", col0(st, 8));
    buf_puts(b, ",\"occupants\":[");
    render_occupants(b, o, id, &any, &ex);
    *over_rooms += any;
    buf_printf(b, "],\"over_standard\":%s,", any ? "true" : "false");
    buf_jdec(b, "excess_m2", ex, 2);
    buf_putc(b, '}');
}

int sp_floor_view(struct req *r)
{
    static const char *const names[] = {"date", NULL};
    int64_t fid;
    char day[16];
    struct occs o;
    int rc = rest_id(r, 4, &fid);
    if (rc || (rc = perm_check(r, &sp_rooms, "read")) || (rc = report_params_only(r, names)) ||
        (rc = day_param(r, "date", day)))
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    if ((rc = floor_head(r, c, fid, day)))
        return rc;
    /* the occupants of the floor (every one: a door plate is public) */
    const struct res_entity *se = r->scope_ent;
    int sc = r->scope;
    r->scope_ent = &sp_assignments;
    r->scope = SCOPE_TENANT;
    rc = load_occ(r, c, day, 0, 0, fid, &o);
    r->scope_ent = se;
    r->scope = sc;
    if (rc)
        return rc;
    struct perm_filter pf;
    struct buf sql;
    struct db_stmt *st;
    scope_of(r, &sp_rooms, "r", &pf);
    buf_init(&sql, r->a);
    buf_puts(&sql,
             "SELECT r.id, r.number, r.name, r.area_m2, r.use_type, r.state, r.department_id, "
             "r.seats, (SELECT g.department_id FROM room_assignments g WHERE g.tenant_id = "
             "r.tenant_id AND g.room_id = r.id AND g.person_id IS NULL AND g.start_date <= ? "
             "AND (g.end_date IS NULL OR g.end_date >= ?) ORDER BY g.id LIMIT 1) FROM rooms r "
             "WHERE r.tenant_id = ? AND r.floor_id = ?");
    perm_filter_sql(&pf, &sql);
    buf_puts(&sql, " ORDER BY r.number, r.id LIMIT 2000");
    if (!buf_ok(&sql))
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    if ((rc = db_prepare(c, sql.p, &st, &r->err)))
        return rc;
    db_bind_text(st, 1, day, 10);
    db_bind_text(st, 2, day, 10);
    db_bind_int(st, 3, r->tenant_id);
    db_bind_int(st, 4, fid);
    perm_filter_bind(&pf, st, 5);
    int n = 0, nover = 0, nvacant = 0;
    while ((rc = db_step(st, &r->err)) == DB_ROW)
        render_floor_room(&r->out, st, &o, !n++, &nvacant, &nover);
    db_reset(st);
    if (rc < 0)
        return rc;
    buf_printf(&r->out, "],\"counts\":{\"rooms\":%d,\"vacant\":%d,\"over_standard\":%d}}", n,
               nvacant, nover);
    return send_buf(r);
}

/* ---- recovery and vacancies ---- */

int sp_recovery(struct req *r)
{
    static const char *const names[] = {NULL};
    char today[16];
    int rc = perm_check(r, &sp_assignments, "read");
    if (rc || (rc = report_params_only(r, names)))
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    date_format(sp_today(r), today, sizeof(today));
    struct perm_filter pf;
    struct buf sql;
    struct org_person_list people;
    struct org_dept_list depts;
    if ((rc = org_person_list_load(r, c, &people, &r->err)) ||
        (rc = org_dept_list_load(r, c, &depts, &r->err)))
        return rc;
    scope_of(r, &sp_assignments, "a", &pf);
    buf_init(&sql, r->a);
    buf_puts(&sql,
             "SELECT a.id, a.person_id, a.department_id, a.room_id, r.number, b.name, "
             "a.recovery_due, a.recovery_reason, a.start_date FROM room_assignments a JOIN rooms "
             "r ON r.tenant_id = a.tenant_id AND r.id = a.room_id JOIN buildings b ON "
             "b.tenant_id = r.tenant_id AND b.id = r.building_id WHERE a.tenant_id = ? AND "
             "a.recovery_due IS NOT NULL AND (a.end_date IS NULL OR a.end_date > ?)");
    perm_filter_sql(&pf, &sql);
    buf_puts(&sql, " ORDER BY a.recovery_due, a.id LIMIT 5000");
    struct db_stmt *st;
    if (!buf_ok(&sql))
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    if ((rc = db_prepare_ints(c, sql.p, DB_INTS(r->tenant_id), &st, &r->err)))
        return rc;
    db_bind_text(st, 2, today, 10);
    perm_filter_bind(&pf, st, 3);
    struct buf *b = &r->out;
    buf_printf(b, "{\"as_of\":\"%s\",\"items\":[", today);
    int n = 0, late = 0;
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        const char *due = db_col_text(st, 6, NULL);
        int overdue = strcmp(due, today) < 0;
        late += overdue;
        const struct org_person_row *p =
            col0(st, 1) ? org_person_list_find(&people, col0(st, 1)) : NULL;
        buf_puts(b, n++ ? ",{" : "{");
        buf_jint(b, "assignment_id", db_col_int(st, 0));
        buf_jid(b, "person_id", col0(st, 1));
        buf_jstr(b, "name", p ? p->name : NULL);
        buf_jid(b, "department_id", col0(st, 2));
        buf_jstr(b, "department", dept_name(&depts, col0(st, 2)));
        buf_jint(b, "room_id", db_col_int(st, 3));
        buf_jstr(b, "room", db_col_text(st, 4, NULL));
        buf_jstr(b, "building", db_col_text(st, 5, NULL));
        buf_jstr(b, "recovery_due", due);
        buf_jstr(b, "recovery_reason", db_col_text(st, 7, NULL));
        buf_jstr(b, "start_date", db_col_text(st, 8, NULL));
        buf_printf(b, ",\"overdue\":%s}", overdue ? "true" : "false");
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    buf_printf(b, "],\"open\":%d,\"overdue\":%d}", n, late);
    return send_buf(r);
}

int sp_vacancies(struct req *r)
{
    static const char *const names[] = {"building_id", "use_type", NULL};
    int64_t building;
    int rc = perm_check(r, &sp_rooms, "read");
    if (rc || (rc = report_params_only(r, names)) || (rc = id_param(r, "building_id", &building)))
        return rc;
    const char *use = req_query(r, "use_type");
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    struct perm_filter pf;
    struct buf sql;
    scope_of(r, &sp_rooms, "r", &pf);
    buf_init(&sql, r->a);
    buf_puts(&sql,
             "SELECT r.id, r.number, r.area_m2, r.use_type, r.building_id, b.name, r.floor_id, "
             "f.name, r.department_id FROM rooms r JOIN buildings b ON b.tenant_id = "
             "r.tenant_id AND b.id = r.building_id JOIN floors f ON f.tenant_id = r.tenant_id "
             "AND f.id = r.floor_id WHERE r.tenant_id = ? AND r.state = 'vacant'");
    if (building)
        buf_puts(&sql, " AND r.building_id = ?");
    if (use && *use)
        buf_puts(&sql, " AND r.use_type = ?");
    perm_filter_sql(&pf, &sql);
    buf_puts(&sql, " ORDER BY b.sort_order, b.id, f.level, r.number LIMIT 5000");
    struct db_stmt *st;
    if (!buf_ok(&sql))
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    if ((rc = db_prepare(c, sql.p, &st, &r->err)))
        return rc;
    int k = 1;
    db_bind_int(st, k++, r->tenant_id);
    if (building)
        db_bind_int(st, k++, building);
    if (use && *use)
        db_bind_text(st, k++, use, strlen(use));
    perm_filter_bind(&pf, st, k);
    struct buf *b = &r->out;
    buf_puts(b, "{\"items\":[");
    int n = 0;
    int64_t total = 0;
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        buf_puts(b, n++ ? ",{" : "{");
        buf_jint(b, "room_id", db_col_int(st, 0));
        buf_jstr(b, "room", db_col_text(st, 1, NULL));
        buf_jdec(b, "area_m2", db_col_int(st, 2), 2);
        total += db_col_int(st, 2);
        buf_jstr(b, "use_type", db_col_text(st, 3, NULL));
        buf_jint(b, "building_id", db_col_int(st, 4));
        buf_jstr(b, "building", db_col_text(st, 5, NULL));
        buf_jint(b, "floor_id", db_col_int(st, 6));
        buf_jstr(b, "floor", db_col_text(st, 7, NULL));
        buf_jid(b, "department_id", col0(st, 8));
        buf_putc(b, '}');
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    buf_printf(b, "],\"count\":%d,", n);
    buf_jdec(b, "area_m2", total, 2);
    buf_putc(b, '}');
    return send_buf(r);
}

/* ---- area per department ---- */

struct dept_row {
    int64_t id, headcount, people, with_office, office, entitled, other;
    int has_headcount;
    const char *name;
};

/* Departments in the organisation's order: sort_order, then id. */
static int by_sort_order(const void *a, const void *b)
{
    const struct org_dept_row *x = *(const struct org_dept_row *const *)a;
    const struct org_dept_row *y = *(const struct org_dept_row *const *)b;
    if (x->sort_order != y->sort_order)
        return x->sort_order < y->sort_order ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* 1 when the row filter pf (perm_filter) lets value v through. */
static int in_scope(const struct perm_filter *pf, int64_t v)
{
    if (pf->none)
        return 0;
    if (!pf->field)
        return 1;
    if (!pf->list)
        return v == pf->one;
    for (int i = 0; i < pf->n; i++)
        if (pf->list[i] == v)
            return 1;
    return 0;
}

/* Adds the rooms each department holds as a whole (meeting rooms, archives
 * …) on day to its other_rooms figure. */
static int department_rooms(struct req *r, struct db_conn *c, const char *day,
                            struct dept_row *d, int nd)
{
    struct db_stmt *st;
    int rc;
    if ((rc = db_prepare_ints(c,
                              "SELECT a.department_id, SUM(r.area_m2) FROM room_assignments a JOIN "
                              "rooms r ON r.tenant_id = a.tenant_id AND r.id = a.room_id WHERE "
                              "a.tenant_id = ? AND a.person_id IS NULL AND a.start_date <= ? AND "
                              "(a.end_date IS NULL OR a.end_date >= ?) GROUP BY a.department_id",
                              DB_INTS(r->tenant_id), &st, &r->err)))
        return rc;
    db_bind_text(st, 2, day, 10);
    db_bind_text(st, 3, day, 10);
    while ((rc = db_step(st, &r->err)) == DB_ROW)
        for (int k = 0; k < nd; k++)
            if (d[k].id == col0(st, 0)) {
                d[k].other += db_col_int(st, 1);
                break;
            }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* The departments report: one item a department, then the totals. */
static int departments_json(struct req *r, const char *day, const char *level,
                            const struct dept_row *d, int nd)
{
    struct buf *b = &r->out;
    buf_printf(b, "{\"as_of\":\"%s\",", day);
    buf_jstr(b, "level", level);
    buf_puts(b, ",\"items\":[");
    int64_t t_people = 0, t_office = 0, t_ent = 0, t_other = 0;
    for (int k = 0; k < nd; k++) {
        buf_puts(b, k ? ",{" : "{");
        buf_jint(b, "department_id", d[k].id);
        buf_jstr(b, "department", d[k].name);
        buf_puts(b, ",\"headcount\":");
        if (d[k].has_headcount)
            buf_i64(b, d[k].headcount);
        else
            buf_puts(b, "null");
        buf_printf(b, ",\"people\":%lld,\"with_office\":%lld,", (long long)d[k].people,
                   (long long)d[k].with_office);
        buf_jdec(b, "office_area_m2", d[k].office, 2);
        buf_jdec(b, "entitlement_m2", d[k].entitled, 2);
        buf_jdec(b, "excess_m2", d[k].office > d[k].entitled ? d[k].office - d[k].entitled : 0, 2);
        buf_jdec(b, "other_rooms_m2", d[k].other, 2);
        buf_putc(b, '}');
        t_people += d[k].people;
        t_office += d[k].office;
        t_ent += d[k].entitled;
        t_other += d[k].other;
    }
    buf_printf(b, "],\"totals\":{\"people\":%lld,", (long long)t_people);
    buf_jdec(b, "office_area_m2", t_office, 2);
    buf_jdec(b, "entitlement_m2", t_ent, 2);
    buf_jdec(b, "other_rooms_m2", t_other, 2);
    buf_puts(b, "}}");
    return send_buf(r);
}
int sp_departments(struct req *r)
{
    static const char *const names[] = {"date", NULL};
    char day[16];
    struct occs o;
    int rc = perm_check(r, &sp_assignments, "read");
    if (rc || (rc = report_params_only(r, names)) || (rc = day_param(r, "date", day)))
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    if ((rc = load_occ(r, c, day, 0, 0, 0, &o)))
        return rc;
    struct perm_filter pf;
    struct dept_row *d = arena_alloc(r->a, sizeof(*d) * MAX_GROUPS);
    const struct org_dept_row **order = arena_alloc(r->a, sizeof(*order) * (size_t)(o.depts.n + 1));
    int *slot = arena_alloc(r->a, sizeof(*slot) * (size_t)(o.depts.n + 1));
    int nd = 0;
    if (!d || !order || !slot)
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    /* the departments the caller may see, in the organisation's order, with
     * their active people (and what their ranks entitle them to) */
    perm_filter(r, &sp_assignments, &pf); /* its department values, applied to departments */
    for (int i = 0; i < o.depts.n; i++) {
        order[i] = &o.depts.v[i];
        slot[i] = -1;
    }
    qsort(order, (size_t)o.depts.n, sizeof(*order), by_sort_order);
    for (int i = 0; i < o.depts.n; i++) {
        const struct org_dept_row *x = order[i];
        if (!in_scope(&pf, x->id) || nd == MAX_GROUPS)
            continue;
        memset(&d[nd], 0, sizeof(d[nd]));
        d[nd].id = x->id;
        d[nd].name = x->name;
        d[nd].has_headcount = x->has_headcount;
        d[nd].headcount = x->headcount;
        slot[x - o.depts.v] = nd++;
    }
    for (int i = 0; i < o.people.n; i++) {
        const struct org_person_row *p = &o.people.v[i];
        const struct org_dept_row *x =
            p->active ? org_dept_list_find(&o.depts, p->department_id) : NULL;
        if (!x || slot[x - o.depts.v] < 0)
            continue;
        struct dept_row *k = &d[slot[x - o.depts.v]];
        k->people++;
        int64_t lim = sp_limit(&o.std, p->rank_id, NULL);
        if (lim > 0) /* no limit, or a rank of another level's table: nothing */
            k->entitled += lim;
    }
    for (int i = 0; i < o.n; i++) {
        const struct org_dept_row *x =
            o.v[i].dept ? org_dept_list_find(&o.depts, o.v[i].dept) : NULL;
        if (x && slot[x - o.depts.v] >= 0) {
            d[slot[x - o.depts.v]].with_office++;
            d[slot[x - o.depts.v]].office += o.v[i].share;
        }
    }
    if ((rc = department_rooms(r, c, day, d, nd)))
        return rc;
    return departments_json(r, day, o.std.level, d, nd);
}

/* ---- the ledger ---- */

static const char *const uses[] = {"office",  "meeting", "service", "equipment",
                                   "archive", "canteen", "toilet",  "other"};
static const char *const uses_zh[] = {"办公室(㎡)", "会议室(㎡)", "服务用房(㎡)", "设备用房(㎡)",
                                      "档案室(㎡)", "食堂(㎡)",   "卫生间(㎡)",   "其他(㎡)"};
#define NUSES 8

struct ledger_row {
    int64_t building, dept, area[NUSES], rooms;
    const char *bname, *dname;
};

static int use_index(const char *u)
{
    if (!strcmp(u, "rest")) /* a leader's rest room is office area (2014 standard) */
        return 0;
    for (int i = 0; i < NUSES; i++)
        if (!strcmp(uses[i], u))
            return i;
    return NUSES - 1;
}

/* A (building, department, use) total of rooms, and where it sorts. */
struct ledger_sum {
    int64_t building, dept, rooms, area;
    int use;
    const char *bname;
    int64_t key[4], seq; /* see load_ledger */
};

static int by_ledger_key(const void *a, const void *b)
{
    const struct ledger_sum *x = a, *y = b;
    for (int k = 0; k < 4; k++)
        if (x->key[k] != y->key[k])
            return x->key[k] < y->key[k] ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The ledger's rows: per building (in its order), per department in the
 * organisation's order (sort_order, then id; rooms of no department sort as
 * the database sorts NULL: first on SQLite, last on PostgreSQL), the area by
 * use and the number of rooms. */
static int load_ledger(struct req *r, struct db_conn *c, struct ledger_row **out, int *n)
{
    struct perm_filter pf;
    struct buf sql;
    struct db_stmt *st;
    struct org_dept_list depts;
    *n = 0;
    struct ledger_row *v = arena_alloc(r->a, sizeof(*v) * MAX_GROUPS);
    if (!v)
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    int rc = org_dept_list_load(r, c, &depts, &r->err);
    if (rc)
        return rc;
    scope_of(r, &sp_rooms, "r", &pf);
    buf_init(&sql, r->a);
    buf_puts(&sql,
             "SELECT b.id, b.name, r.department_id, r.use_type, COUNT(*), SUM(r.area_m2) FROM "
             "rooms r JOIN buildings b ON b.tenant_id = r.tenant_id AND b.id = r.building_id "
             "WHERE r.tenant_id = ?");
    perm_filter_sql(&pf, &sql);
    buf_puts(&sql, " GROUP BY b.id, b.name, b.sort_order, r.department_id, r.use_type ORDER BY "
                   "b.sort_order, b.id, r.department_id, r.use_type");
    if (!buf_ok(&sql))
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    if ((rc = db_prepare_ints(c, sql.p, DB_INTS(r->tenant_id), &st, &r->err)))
        return rc;
    perm_filter_bind(&pf, st, 2);
    /* NULL's place among values: 0 before them, 2 after them (values are 1) */
    int64_t null_at = db_dialect(c->db) == DB_PG ? 2 : 0;
    struct ledger_sum *sum = NULL;
    int ns = 0, cap = 0;
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        if (ns == cap) {
            int more = cap ? cap * 2 : 256;
            struct ledger_sum *p =
                arena_realloc(r->a, sum, sizeof(*sum) * (size_t)cap, sizeof(*sum) * (size_t)more);
            if (!p) {
                db_reset(st);
                return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
            }
            sum = p;
            cap = more;
        }
        struct ledger_sum *x = &sum[ns];
        x->building = db_col_int(st, 0);
        x->bname = ns && sum[ns - 1].building == x->building ? sum[ns - 1].bname : coldup(r, st, 1);
        x->dept = col0(st, 2);
        x->use = use_index(db_col_text(st, 3, NULL));
        x->rooms = db_col_int(st, 4);
        x->area = db_col_int(st, 5);
        const struct org_dept_row *d = x->dept ? org_dept_list_find(&depts, x->dept) : NULL;
        x->key[0] = d ? 1 : null_at;
        x->key[1] = d ? d->sort_order : 0;
        x->key[2] = x->dept ? 1 : null_at;
        x->key[3] = x->dept;
        x->seq = ns++;
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    /* each building's rows in the departments' order (buildings as SQL put them) */
    for (int i = 0; i < ns;) {
        int j = i;
        while (j < ns && sum[j].building == sum[i].building)
            j++;
        qsort(sum + i, (size_t)(j - i), sizeof(*sum), by_ledger_key);
        i = j;
    }
    for (int i = 0; i < ns; i++) {
        const struct ledger_sum *s = &sum[i];
        if (!*n || v[*n - 1].building != s->building || v[*n - 1].dept != s->dept) {
            if (*n == MAX_GROUPS)
                continue;
            struct ledger_row *x = &v[(*n)++];
            memset(x, 0, sizeof(*x));
            x->building = s->building;
            x->bname = s->bname;
            x->dept = s->dept;
            x->dname = dept_name(&depts, s->dept);
        }
        struct ledger_row *x = &v[*n - 1];
        x->area[s->use] += s->area;
        x->rooms += s->rooms;
    }
    *out = v;
    return 0;
}

/* A sheet name Excel accepts: no []:*?/\ and at most 31 characters. */
static void sheet_name(const char *in, int k, char *out, size_t n)
{
    size_t o = 0;
    int chars = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p && o + 5 < n && chars < 24;) {
        size_t l = *p < 0x80 ? 1 : *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;
        if (l == 1 && strchr("[]:*?/\\'", *p)) {
            out[o++] = '_';
            p++;
        } else {
            for (size_t i = 0; i < l && p[i]; i++)
                out[o++] = (char)p[i];
            p += l;
        }
        chars++;
    }
    out[o] = 0;
    if (k)
        snprintf(out + o, n - o, "(%d)", k);
}

static int ledger_xlsx(struct req *r, const struct ledger_row *v, int n)
{
    struct export_xlsx book;
    int rc = export_xlsx_open(r, &book, 0);
    if (rc)
        return rc;
    lxw_workbook *wb = book.wb;
    lxw_format *bold = wb ? workbook_add_format(wb) : NULL;
    lxw_format *num = wb ? workbook_add_format(wb) : NULL;
    if (bold)
        format_set_bold(bold);
    if (num)
        format_set_num_format(num, "0.00");
    int sheets = 0;
    for (int i = 0; !rc && i < n;) {
        int j = i;
        while (j < n && v[j].building == v[i].building)
            j++;
        char name[64];
        sheet_name(v[i].bname ? v[i].bname : "楼宇", 0, name, sizeof(name));
        if (workbook_get_worksheet_by_name(wb, name)) /* two names alike once cut short */
            sheet_name(v[i].bname ? v[i].bname : "楼宇", sheets + 1, name, sizeof(name));
        lxw_worksheet *ws = workbook_add_worksheet(wb, name);
        if (!ws) {
            rc = err_set(&r->err, ERR_INTERNAL, NULL, NULL, "cannot add a sheet");
            break;
        }
        sheets++;
        worksheet_set_column(ws, 0, 0, 28, NULL);
        worksheet_set_column(ws, 1, NUSES + 2, 13, NULL);
        worksheet_write_string(ws, 0, 0, "单位", bold);
        for (int u = 0; u < NUSES; u++)
            worksheet_write_string(ws, 0, (lxw_col_t)(u + 1), uses_zh[u], bold);
        worksheet_write_string(ws, 0, NUSES + 1, "合计(㎡)", bold);
        worksheet_write_string(ws, 0, NUSES + 2, "房间数", bold);
        int64_t tot[NUSES] = {0}, all = 0, rooms = 0;
        lxw_row_t row = 1;
        for (int k = i; k < j; k++, row++) {
            int64_t sum = 0;
            worksheet_write_string(ws, row, 0, v[k].dname ? v[k].dname : "(公共/未分配)", NULL);
            for (int u = 0; u < NUSES; u++) {
                worksheet_write_number(ws, row, (lxw_col_t)(u + 1),
                                       (double)v[k].area[u] / 100.0, num);
                sum += v[k].area[u];
                tot[u] += v[k].area[u];
            }
            worksheet_write_number(ws, row, NUSES + 1, (double)sum / 100.0, num);
            worksheet_write_number(ws, row, NUSES + 2, (double)v[k].rooms, NULL);
            all += sum;
            rooms += v[k].rooms;
        }
        worksheet_write_string(ws, row, 0, "合计", bold);
        for (int u = 0; u < NUSES; u++)
            worksheet_write_number(ws, row, (lxw_col_t)(u + 1), (double)tot[u] / 100.0, num);
        worksheet_write_number(ws, row, NUSES + 1, (double)all / 100.0, num);
        worksheet_write_number(ws, row, NUSES + 2, (double)rooms, NULL);
        i = j;
    }
    if (!rc && !sheets) {
        lxw_worksheet *ws = workbook_add_worksheet(wb, "台账");
        if (ws)
            worksheet_write_string(ws, 0, 0, "(无房间)", NULL);
    }
    return export_xlsx_close(r, &book, rc, "space-ledger");
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

int sp_ledger(struct req *r)
{
    static const char *const names[] = {NULL};
    struct ledger_row *v = NULL;
    int n;
    int rc = perm_check(r, &sp_rooms, ends_with(r->path, ".xlsx") ? "export" : "read");
    if (rc || (rc = report_params_only(r, names)))
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    if ((rc = load_ledger(r, c, &v, &n)))
        return rc;
    if (ends_with(r->path, ".xlsx"))
        return ledger_xlsx(r, v, n);
    struct buf *b = &r->out;
    buf_puts(b, "{\"buildings\":[");
    int nb = 0;
    for (int i = 0; i < n;) {
        int j = i;
        while (j < n && v[j].building == v[i].building)
            j++;
        buf_printf(b, "%s{\"building_id\":%lld,", nb++ ? "," : "", (long long)v[i].building);
        buf_jstr(b, "building", v[i].bname);
        buf_puts(b, ",\"rows\":[");
        int64_t all = 0, rooms = 0;
        for (int k = i; k < j; k++) {
            int64_t sum = 0;
            buf_puts(b, k > i ? ",{" : "{");
            buf_jid(b, "department_id", v[k].dept);
            buf_jstr(b, "department", v[k].dname);
            buf_puts(b, ",\"by_use\":{");
            for (int u = 0; u < NUSES; u++) {
                buf_printf(b, "%s\"%s\":", u ? "," : "", uses[u]);
                buf_decimal(b, v[k].area[u], 2);
                sum += v[k].area[u];
            }
            buf_puts(b, "},");
            buf_jdec(b, "area_m2", sum, 2);
            buf_printf(b, ",\"rooms\":%lld}", (long long)v[k].rooms);
            all += sum;
            rooms += v[k].rooms;
        }
        buf_puts(b, "],");
        buf_jdec(b, "area_m2", all, 2);
        buf_printf(b, ",\"rooms\":%lld}", (long long)rooms);
        i = j;
    }
    buf_puts(b, "]}");
    return send_buf(r);
}

/* ---- the yearly publicity list ---- */

static const char *const publicity_head[] = {"楼宇",     "房间",         "使用面积(㎡)",
                                             "使用人",   "职级",         "人均面积(㎡)",
                                             "标准(㎡)", "是否超标", "超标审批理由"};

static int publicity_xlsx(struct req *r, const struct occs *o)
{
    struct export_xlsx book;
    int rc = export_xlsx_open(r, &book, 0);
    if (rc)
        return rc;
    lxw_worksheet *ws = workbook_add_worksheet(book.wb, "办公用房公示");
    rc = ws ? 0 : err_set(&r->err, ERR_INTERNAL, NULL, NULL, "cannot start the spreadsheet");
    for (int k = 0; !rc && k < 9; k++)
        worksheet_write_string(ws, 0, (lxw_col_t)k, publicity_head[k], NULL);
    for (int i = 0; !rc && i < o->n; i++) {
        const struct occ *x = &o->v[i];
        lxw_row_t row = (lxw_row_t)(i + 1);
        worksheet_write_string(ws, row, 0, x->bname ? x->bname : "", NULL);
        worksheet_write_string(ws, row, 1, x->room_no ? x->room_no : "", NULL);
        worksheet_write_number(ws, row, 2, (double)x->area / 100.0, NULL);
        worksheet_write_string(ws, row, 3, x->pname ? x->pname : "", NULL);
        worksheet_write_string(ws, row, 4, x->rank_name ? x->rank_name : "", NULL);
        worksheet_write_number(ws, row, 5, (double)x->share / 100.0, NULL);
        if (x->limit >= 0)
            worksheet_write_number(ws, row, 6, (double)x->limit / 100.0, NULL);
        worksheet_write_string(ws, row, 7, over(x) ? "是" : "否", NULL);
        if (x->why)
            worksheet_write_string(ws, row, 8, x->why, NULL);
    }
    return export_xlsx_close(r, &book, rc, "space-publicity");
}

static int publicity_csv(struct req *r, const struct occs *o, int64_t year)
{
    struct buf *b = &r->out;
    buf_puts(b, "\xef\xbb\xbf");
    for (int k = 0; k < 9; k++)
        buf_printf(b, "%s%s", k ? "," : "", publicity_head[k]);
    buf_puts(b, "\r\n");
    for (int i = 0; i < o->n; i++) {
        const struct occ *x = &o->v[i];
        char area[32], share[32], lim[32] = "";
        m2s(area, sizeof(area), x->area);
        m2s(share, sizeof(share), x->share);
        if (x->limit >= 0)
            m2s(lim, sizeof(lim), x->limit);
        const char *cells[9] = {x->bname, x->room_no, area,  x->pname,
                                x->rank_name, share,  lim, over(x) ? "是" : "否", x->why};
        for (int k = 0; k < 9; k++) {
            if (k)
                buf_putc(b, ',');
            export_csv_field(b, cells[k]);
        }
        buf_puts(b, "\r\n");
    }
    if (!buf_ok(b))
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    char *disp = arena_printf(r->a, "attachment; filename=\"space-publicity-%lld.csv\"",
                              (long long)year);
    if (disp)
        resp_header(r, "Content-Disposition", disp);
    r->status = 200;
    r->ctype = "text/csv; charset=utf-8";
    return 0;
}

static int publicity_json(struct req *r, const struct occs *o, int64_t year, const char *day)
{
    struct buf *b = &r->out;
    buf_printf(b, "{\"year\":%lld,\"as_of\":\"%s\",", (long long)year, day);
    buf_jstr(b, "level", o->std.level);
    buf_puts(b, ",\"items\":[");
    for (int i = 0; i < o->n; i++) {
        const struct occ *x = &o->v[i];
        buf_puts(b, i ? ",{" : "{");
        buf_jstr(b, "building", x->bname);
        buf_jint(b, "room_id", x->room);
        buf_jstr(b, "room", x->room_no);
        buf_jdec(b, "room_area_m2", x->area, 2);
        buf_jint(b, "person_id", x->person);
        buf_jstr(b, "name", x->pname);
        buf_jstr(b, "rank", x->rank_name);
        buf_jdec(b, "area_m2", x->share, 2);
        buf_jdec(b, "standard_m2", x->limit, 2);
        buf_printf(b, ",\"over_standard\":%s}", over(x) ? "true" : "false");
    }
    buf_printf(b, "],\"count\":%d}", o->n);
    return send_buf(r);
}

int sp_publicity(struct req *r)
{
    static const char *const names[] = {"year", NULL};
    const char *y = req_query(r, "year");
    int64_t year = 0, today = sp_today(r);
    char day[16], now[16];
    struct occs o;
    int csv = ends_with(r->path, ".csv"), xlsx = ends_with(r->path, ".xlsx");
    int rc = perm_check(r, &sp_assignments, csv || xlsx ? "export" : "read");
    if (rc || (rc = report_params_only(r, names)))
        return rc;
    date_format(today, now, sizeof(now));
    if (y && (rc = report_param_int(r, "year", 1990, 2200, 0, &year)))
        return rc;
    if (!year && parse_i64(now, 4, &year))
        year = 2026;
    snprintf(day, sizeof(day), "%04lld-12-31", (long long)year);
    if (strcmp(day, now) > 0)
        memcpy(day, now, 11);
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    if ((rc = load_occ(r, c, day, 0, 0, 0, &o)))
        return rc;
    return xlsx ? publicity_xlsx(r, &o) : csv ? publicity_csv(r, &o, year)
                                              : publicity_json(r, &o, year, day);
}

/* ---- a room's maintenance ---- */

int sp_room_maintenance(struct req *r)
{
    int64_t id, version;
    struct buf tmp;
    int rc = rest_id(r, 4, &id);
    if (rc || (rc = perm_check(r, &sp_rooms, "read")))
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    buf_init(&tmp, r->a);
    if ((rc = rec_get(r, c, &sp_rooms, id, &tmp, &version, &r->err)))
        return rc;
    /* the service desk's requests naming the room, and the repairs recorded here */
    struct sd_room_request *q;
    int nq;
    if ((rc = sd_room_requests(r, c, id, &q, &nq, &r->err)))
        return rc;
    const char **cat = arena_zalloc(r->a, sizeof(*cat) * (size_t)(nq + 1));
    const char **ref = arena_zalloc(r->a, sizeof(*ref) * (size_t)(nq + 1));
    if (!cat || !ref)
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    /* a room_repairs row per request at most; BATCH ids a statement (0 fills) */
    enum { BATCH = 50 };
    struct buf sql;
    buf_init(&sql, r->a);
    buf_puts(&sql, "SELECT request_id, category, procurement_ref FROM room_repairs WHERE "
                   "tenant_id = ? AND request_id IN (");
    for (int k = 0; k < BATCH; k++)
        buf_puts(&sql, k ? ", ?" : "?");
    buf_putc(&sql, ')');
    if (!buf_ok(&sql))
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    for (int i = 0; i < nq; i += BATCH) {
        struct db_stmt *st;
        int m = nq - i < BATCH ? nq - i : BATCH;
        if ((rc = db_prepare_ints(c, sql.p, DB_INTS(r->tenant_id), &st, &r->err)))
            return rc;
        for (int k = 0; k < BATCH; k++)
            db_bind_int(st, k + 2, k < m ? q[i + k].id : 0);
        while ((rc = db_step(st, &r->err)) == DB_ROW) {
            int64_t rq = db_col_int(st, 0);
            for (int k = i; k < i + m; k++)
                if (q[k].id == rq) {
                    cat[k] = coldup(r, st, 1);
                    ref[k] = coldup(r, st, 2);
                    break;
                }
        }
        db_reset(st);
        if (rc < 0)
            return rc;
    }
    struct {
        int year;
        int64_t n, cost;
    } years[64];
    int ny = 0;
    int64_t total = 0;
    struct buf *b = &r->out;
    buf_printf(b, "{\"room_id\":%lld,\"items\":[", (long long)id);
    for (int i = 0; i < nq; i++) {
        int64_t cost = q[i].cost_fen, done = q[i].completed_at, at = done ? done : q[i].created_at;
        char t[40];
        int64_t d = (at + (int64_t)r->utc_offset_min * 60) / 86400;
        date_format(d, t, sizeof(t));
        int64_t y4 = 0;
        parse_i64(t, 4, &y4);
        int year = (int)y4;
        buf_puts(b, i ? ",{" : "{");
        buf_jint(b, "request_id", q[i].id);
        buf_jstr(b, "title", q[i].title);
        buf_jstr(b, "status", q[i].status);
        buf_jstr(b, "category", cat[i]);
        buf_jstr(b, "procurement_ref", ref[i]);
        buf_printf(b, ",\"cost_fen\":%lld,\"year\":%d}", (long long)cost, year);
        total += cost;
        int k = 0;
        while (k < ny && years[k].year != year)
            k++;
        if (k == ny && ny < 64) {
            years[ny].year = year;
            years[ny].n = years[ny].cost = 0;
            ny++;
        }
        if (k < ny) {
            years[k].n++;
            years[k].cost += cost;
        }
    }
    buf_puts(b, "],\"by_year\":[");
    for (int i = 0; i < ny; i++)
        buf_printf(b, "%s{\"year\":%d,\"requests\":%lld,\"cost_fen\":%lld}", i ? "," : "",
                   years[i].year, (long long)years[i].n, (long long)years[i].cost);
    buf_printf(b, "],\"total_cost_fen\":%lld}", (long long)total);
    return send_buf(r);
}

/* ---- the dashboard card ---- */

int sp_summary(struct req *r, struct db_conn *c, json_t *cards, struct err *e)
{
    struct db_stmt *st;
    char today[16];
    if (perm_check(r, &sp_rooms, "read")) {
        err_clear(&r->err);
        return 0;
    }
    date_format(sp_today(r), today, sizeof(today));
    int rc = db_prepare(c,
                        "SELECT (SELECT COUNT(*) FROM rooms WHERE tenant_id = ?), (SELECT "
                        "COALESCE(SUM(area_m2), 0) FROM rooms WHERE tenant_id = ?), (SELECT "
                        "COUNT(*) FROM rooms WHERE tenant_id = ? AND state = 'vacant'), (SELECT "
                        "COUNT(*) FROM room_assignments WHERE tenant_id = ? AND recovery_due IS "
                        "NOT NULL AND (end_date IS NULL OR end_date > ?))",
                        &st, e);
    if (rc)
        return rc;
    for (int k = 1; k <= 4; k++)
        db_bind_int(st, k, r->tenant_id);
    db_bind_text(st, 5, today, 10);
    if ((rc = db_step(st, e)) == DB_ROW) {
        json_t *card = json_pack("{s:s,s:s,s:s,s:s,s:I,s:f,s:I,s:I}", "id", "space", "kind",
                                 "kpi", "zh", "办公用房", "en", "Office space", "rooms",
                                 (json_int_t)db_col_int(st, 0), "area_m2",
                                 (double)db_col_int(st, 1) / 100.0, "vacant",
                                 (json_int_t)db_col_int(st, 2), "recovery_open",
                                 (json_int_t)db_col_int(st, 3));
        if (card)
            json_array_append_new(cards, card);
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}
