/* SPDX-License-Identifier: MIT
 * assets/stocktake.c - the rules of a stocktake 盘点 session: what a
 * session covers (a department with its sub-departments, a building, a
 * room: what the ones it names have in common),
 * the start's snapshot of the register (every asset in scope not disposed
 * becomes a pending line with its room, custodian and values), the finish
 * (pending lines become missing 盘亏, net values as of the finish month, the
 * figures kept on the record), and the handlers of a phone in the field:
 *
 *   scan     a label's code: the session's asset is found, or moved when the
 *            room or custodian given differ from the register's; scanned
 *            again, the same line with already: true; an asset of the
 *            register outside the session's scope gets a line of its own
 *            (moved, out_of_scope); an unknown code gets an unregistered
 *            surplus line (盘盈) and the answer "unknown", which the UI
 *            offers to register; a disposed asset's code is answered as such
 *            and recorded nowhere.
 *   confirm  found and moved lines: the register takes the room and
 *            custodian found (through wf_update: audited), the line is
 *            confirmed; all lines or none.
 *   surplus  an unregistered item registered as an asset (source surplus,
 *            through wf_create) on its surplus line.
 *
 * Audit: the start's snapshot and the finish's marking of missing lines are
 * one statement each, recorded by the session's own entry (the step's
 * patch: the counts and values); every scan, confirmation and registration
 * is an entry of its own on the line and the asset.
 */
#include "assets.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../engine/record.h"
#include "../../engine/report.h"
#include "../../engine/value.h"
#include "../../engine/workflow.h"
#include "../org/org.h"
#include "../space/space.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONFIRM_MAX 500     /* lines one confirmation takes */
#define BUILDING_ROOMS 4000 /* rooms of one building a session covers */

/* ---- what a session covers ---- */

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Department dept and its descendants, ascending (arena memory). */
int as_dept_subtree(struct req *r, struct db_conn *c, int64_t dept, int64_t **ids, int *n,
                    struct err *e);
int as_dept_subtree(struct req *r, struct db_conn *c, int64_t dept, int64_t **ids, int *n,
                    struct err *e)
{
    struct org_dept_list l;
    *n = 0;
    int rc = org_dept_list_load(r, c, &l, e);
    if (rc)
        return rc;
    int64_t *v = arena_alloc(r->a, sizeof(*v) * (size_t)(l.n + 1));
    if (!v)
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    int k = 0;
    v[k++] = dept;
    /* breadth first over the parents' links (the tree is small: ~100) */
    for (int i = 0; i < k; i++)
        for (int j = 0; j < l.n && k <= l.n; j++)
            if (l.v[j].parent_id == v[i] && l.v[j].id != dept)
                v[k++] = l.v[j].id;
    qsort(v, (size_t)k, sizeof(*v), cmp_id);
    *ids = v;
    *n = k;
    return 0;
}

static int in_list(const int64_t *v, int n, int64_t x)
{
    return n && bsearch(&x, v, (size_t)n, sizeof(*v), cmp_id) != NULL;
}

/* This month's number (as_month_of) in the tenant's time zone, and its text. */
static int64_t this_month(struct req *r, char ym[8])
{
    char d[16];
    date_format(report_today(r), d, sizeof(d));
    memcpy(ym, d, 7);
    ym[7] = 0;
    return as_month_of(d);
}

static int64_t net_of(int64_t original, const char *acquired, int years, int64_t asof)
{
    struct as_dep dep;
    as_depreciate(original, as_month_of(acquired), years, asof, -1, &dep);
    return dep.net;
}

/* ---- the session's own writes ---- */

int as_stocktake_before_write(struct res_write *w)
{
    if (!w->rec || w->r->server_write)
        return 0;
    if (w->old && !wf_is(wf_str(w->old, "status"), "draft"))
        return err_set(w->e, ERR_CONFLICT, NULL, "assets.stocktake.not_draft",
                       "stocktake {name}%s is {status}%s: only a draft is edited",
                       wf_str(w->old, "name"), wf_str(w->old, "status"));
    int64_t building = wf_int(w->rec, "building_id"), room = wf_int(w->rec, "room_id");
    if (!wf_int(w->rec, "department_id") && !building && !room)
        err_field(w->e, "department_id", "assets.stocktake.scope_required",
                  "name the department, the building or the room the stocktake covers");
    if (building && room) {
        const struct res_entity *rooms = res_find("rooms", 5);
        json_t *rr = NULL;
        struct err le;
        err_clear(&le);
        int rc = rooms ? wf_load(w->r, w->c, rooms, room, &rr, &le) : -ERR_NOT_FOUND;
        if (rc && rc != -ERR_NOT_FOUND)
            return err_set(w->e, ERR_DB, NULL, NULL, "the room could not be read");
        if (!rc && wf_int(rr, "building_id") != building)
            err_field(w->e, "room_id", "assets.stocktake.room_not_in_building",
                      "room {room}%lld is not in building {building}%lld", (long long)room,
                      (long long)building);
    }
    const char *from = wf_str(w->rec, "planned_start"), *to = wf_str(w->rec, "planned_end");
    if (from && to && strcmp(to, from) < 0)
        err_field(w->e, "planned_end", "field.after_start", "must not be before planned_start");
    return w->e->nitems ? err_invalid(w->e) : 0;
}

/* The snapshot: one pending line an asset in scope. */
int as_stocktake_start_check(struct wf *w)
{
    struct req *r = w->r;
    struct err *e = &r->err;
    int64_t dept = wf_int(w->rec, "department_id"), room = wf_int(w->rec, "room_id");
    int64_t building = wf_int(w->rec, "building_id");
    /* one session at a time over the same ground */
    const char *other = NULL;
    int rc = db_one_text(w->c, r->a,
                         "SELECT name FROM stocktakes WHERE tenant_id = ? AND status = "
                         "'in_progress' AND id <> ? AND COALESCE(department_id, 0) = ? AND "
                         "COALESCE(building_id, 0) = ? AND COALESCE(room_id, 0) = ?",
                         DB_INTS(r->tenant_id, w->id, dept, building, room), &other, e);
    if (rc < 0)
        return rc;
    if (rc > 0)
        return wf_conflict(w, "assets.stocktake.concurrent",
                           "stocktake {other}%s of the same scope is in progress",
                           other ? other : "");
    int64_t *depts = NULL, *rooms = NULL;
    int nd = 0, nr = 0;
    if (dept && (rc = as_dept_subtree(r, w->c, dept, &depts, &nd, e)))
        return rc;
    if (room) { /* the room (in the building: the hook checked it) */
        rooms = &room;
        nr = 1;
    } else if (building) {
        if (!(rooms = arena_alloc(r->a, sizeof(*rooms) * BUILDING_ROOMS)))
            return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
        if ((rc = sp_building_rooms(w->c, r->tenant_id, building, rooms, BUILDING_ROOMS, &nr, e)))
            return rc;
    }
    char ym[8];
    int64_t asof = this_month(r, ym), now = clock_now(), count = 0, value = 0;
    struct db_stmt *ins;
    if ((rc = db_prepare(w->c,
                         "INSERT INTO stocktake_lines (tenant_id, version, created_at, "
                         "updated_at, created_by, stocktake_id, asset_id, code, department_id, "
                         "result, out_of_scope, expected_room_id, expected_custodian_id, "
                         "confirmed, original_value_fen, net_value_fen) VALUES (?, 1, ?, ?, ?, "
                         "?, ?, ?, ?, 'pending', 0, ?, ?, 0, ?, ?)",
                         &ins, e)))
        return rc;
    /* room by room (their index), else department by department (theirs) */
    int by_room = room || building, passes = by_room ? nr : nd;
    for (int p = 0; p < passes && !rc; p++) {
        struct db_stmt *st;
        rc = by_room ? db_prepare_ints(w->c,
                                       "SELECT id, code, department_id, custodian_id, room_id, "
                                       "original_value_fen, acquired_on, useful_years FROM assets "
                                       "WHERE tenant_id = ? AND room_id = ? AND status <> "
                                       "'disposed' ORDER BY code",
                                       DB_INTS(r->tenant_id, rooms[p]), &st, e)
                     : db_prepare_ints(w->c,
                                       "SELECT id, code, department_id, custodian_id, room_id, "
                                       "original_value_fen, acquired_on, useful_years FROM assets "
                                       "WHERE tenant_id = ? AND department_id = ? AND status <> "
                                       "'disposed' ORDER BY code",
                                       DB_INTS(r->tenant_id, depts[p]), &st, e);
        if (rc)
            break;
        /* rows first, then the inserts: no statement writes while another reads */
        struct row {
            int64_t id, dept, cust, room, value, net;
            const char *code;
        } *rows = NULL;
        int n = 0, cap = 0;
        while ((rc = db_step(st, e)) == DB_ROW) {
            int64_t d = db_col_int(st, 2);
            if (dept && !in_list(depts, nd, d))
                continue;
            if (n == cap) {
                int more = cap ? cap * 2 : 256;
                struct row *v = arena_realloc(r->a, rows, sizeof(*rows) * (size_t)cap,
                                              sizeof(*rows) * (size_t)more);
                if (!v) {
                    rc = err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
                    break;
                }
                rows = v;
                cap = more;
            }
            struct row *x = &rows[n++];
            x->id = db_col_int(st, 0);
            x->code = arena_strdup(r->a, db_col_text(st, 1, NULL));
            if (!x->code) {
                rc = err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
                break;
            }
            x->dept = d;
            x->cust = db_col_int(st, 3);
            x->room = db_col_int(st, 4);
            x->value = db_col_int(st, 5);
            x->net = net_of(x->value, db_col_text(st, 6, NULL), (int)db_col_int(st, 7), asof);
        }
        db_reset(st);
        if (rc < 0)
            break;
        rc = 0;
        for (int i = 0; i < n && !rc; i++) {
            int k = 1;
            db_bind_int(ins, k++, r->tenant_id);
            db_bind_int(ins, k++, now);
            db_bind_int(ins, k++, now);
            db_bind_int_or_null(ins, k++, r->who ? r->user_id : 0);
            db_bind_int(ins, k++, w->id);
            db_bind_int(ins, k++, rows[i].id);
            db_bind_text(ins, k++, rows[i].code, strlen(rows[i].code));
            db_bind_int(ins, k++, dept ? dept : rows[i].dept);
            db_bind_int_or_null(ins, k++, rows[i].room);
            db_bind_int_or_null(ins, k++, rows[i].cust);
            db_bind_int(ins, k++, rows[i].value);
            db_bind_int(ins, k++, rows[i].net);
            rc = db_step(ins, e);
            db_reset(ins);
            rc = rc < 0 ? rc : 0;
            count++;
            value += rows[i].value;
        }
    }
    if (rc)
        return rc;
    json_object_set_new(w->patch, "expected_count", json_integer(count));
    json_object_set_new(w->patch, "expected_value_fen", json_integer(value));
    json_object_set_new(w->patch, "asof_month", json_string(ym));
    return 0;
}

/* The figures of a session's lines. */
struct figures {
    int64_t found, moved, missing, surplus, pending;
    int64_t missing_value, missing_net, surplus_value;
};

int as_stocktake_finish_check(struct wf *w)
{
    struct req *r = w->r;
    struct err *e = &r->err;
    char ym[8];
    int64_t asof = this_month(r, ym), now = clock_now();
    struct db_stmt *st;
    int rc = db_prepare_ints(w->c,
                             "SELECT l.id, l.result, l.original_value_fen, a.acquired_on, "
                             "a.useful_years, l.asset_id FROM stocktake_lines l LEFT JOIN assets "
                             "a ON a.tenant_id = l.tenant_id AND a.id = l.asset_id WHERE "
                             "l.tenant_id = ? AND l.stocktake_id = ?",
                             DB_INTS(r->tenant_id, w->id), &st, e);
    if (rc)
        return rc;
    struct row {
        int64_t id, net;
        int missing;
    } *rows = NULL;
    int n = 0, cap = 0;
    struct figures f = {0};
    while ((rc = db_step(st, e)) == DB_ROW) {
        if (n == cap) {
            int more = cap ? cap * 2 : 256;
            struct row *v = arena_realloc(r->a, rows, sizeof(*rows) * (size_t)cap,
                                          sizeof(*rows) * (size_t)more);
            if (!v) {
                rc = err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
                break;
            }
            rows = v;
            cap = more;
        }
        const char *res = db_col_text(st, 1, NULL);
        int64_t value = db_col_int(st, 2);
        struct row *x = &rows[n++];
        x->id = db_col_int(st, 0);
        x->missing = !strcmp(res, "pending") || !strcmp(res, "missing");
        x->net = db_col_is_null(st, 5)
                     ? 0
                     : net_of(value, db_col_text(st, 3, NULL), (int)db_col_int(st, 4), asof);
        if (x->missing) {
            f.missing++;
            f.missing_value += value;
            f.missing_net += x->net;
        } else if (!strcmp(res, "found"))
            f.found++;
        else if (!strcmp(res, "moved"))
            f.moved++;
        else if (!strcmp(res, "surplus")) {
            f.surplus++;
            f.surplus_value += value;
        }
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    rc = 0;
    if ((rc = db_prepare(w->c,
                         "UPDATE stocktake_lines SET result = COALESCE(?, result), net_value_fen = "
                         "?, updated_at = "
                         "?, version = version + 1 WHERE tenant_id = ? AND id = ?",
                         &st, e)))
        return rc;
    for (int i = 0; i < n && !rc; i++) {
        if (rows[i].missing)
            db_bind_text(st, 1, "missing", 7);
        else
            db_bind_null(st, 1);
        db_bind_int(st, 2, rows[i].net);
        db_bind_int(st, 3, now);
        db_bind_int(st, 4, r->tenant_id);
        db_bind_int(st, 5, rows[i].id);
        rc = db_step(st, e);
        db_reset(st);
        rc = rc < 0 ? rc : 0;
    }
    if (rc)
        return rc;
    json_t *p = w->patch;
    json_object_set_new(p, "asof_month", json_string(ym));
    json_object_set_new(p, "found_count", json_integer(f.found));
    json_object_set_new(p, "moved_count", json_integer(f.moved));
    json_object_set_new(p, "missing_count", json_integer(f.missing));
    json_object_set_new(p, "missing_value_fen", json_integer(f.missing_value));
    json_object_set_new(p, "missing_net_fen", json_integer(f.missing_net));
    json_object_set_new(p, "surplus_count", json_integer(f.surplus));
    json_object_set_new(p, "surplus_value_fen", json_integer(f.surplus_value));
    return 0;
}

/* ---- the handlers' common ground ---- */

/* Body members outside names[] are refused (every one at once). */
static int only_members(struct req *r, json_t *body, const char *const *names)
{
    const char *k;
    json_t *v;
    json_object_foreach(body, k, v)
    {
        const char *const *n = names;
        while (*n && strcmp(*n, k))
            n++;
        if (!*n) {
            char q[140];
            err_quote(q, sizeof(q), k, strlen(k));
            err_field(&r->err, q, "field.unknown", "unknown field");
        }
    }
    return 0;
}

/* Member k: absent/null (0), or a record id (> 0); a field error otherwise. */
static int64_t member_id(struct req *r, json_t *body, const char *k)
{
    json_t *v = json_object_get(body, k);
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_integer(v) || json_integer_value(v) <= 0) {
        err_field(&r->err, k, "field.ref", "must be a record id");
        return 0;
    }
    return json_integer_value(v);
}

/* A room (when room) and a custodian (when person) that exist: 422 naming
 * the member otherwise. */
static int refs_exist(struct req *r, struct db_conn *c, const char *room_field, int64_t room,
                      const char *person_field, int64_t person)
{
    int rc;
    if (room) {
        const struct res_entity *rooms = res_find("rooms", 5);
        json_t *rec = NULL;
        rc = rooms ? wf_load(r, c, rooms, room, &rec, &r->err) : -ERR_NOT_FOUND;
        if (rc == -ERR_NOT_FOUND) {
            err_clear(&r->err);
            err_field(&r->err, room_field, "field.ref_missing",
                      "no record {id}%lld in {collection}%s", (long long)room, "rooms");
        } else if (rc)
            return rc;
    }
    if (person) {
        struct org_person_row p;
        rc = org_person_get(r, c, person, &p, &r->err);
        if (rc < 0)
            return rc;
        if (!rc)
            err_field(&r->err, person_field, "field.ref_missing",
                      "no record {id}%lld in {collection}%s", (long long)person, "people");
    }
    return r->err.nitems ? err_invalid(&r->err) : 0;
}

/* The session, locked and loaded in the caller's scope (404 outside it). */
static int session(struct req *r, struct db_conn *c, int64_t id, json_t **rec)
{
    int rc = rec_lock(r, c, &as_stocktakes, id, &r->err);
    if (rc > 0)
        return err_set(&r->err, ERR_NOT_FOUND, NULL, NULL, "no record {id}%lld in {collection}%s",
                       (long long)id, "stocktakes");
    if (rc || (rc = rec_load(r, c, &as_stocktakes, id, rec, &r->err)))
        return rc;
    return (*rec = report_keep(r, *rec))
               ? 0
               : err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
}

static int not_in_progress(struct req *r, json_t *st)
{
    return err_set(&r->err, ERR_CONFLICT, NULL, "assets.stocktake.not_in_progress",
                   "stocktake {name}%s is {status}%s: scans and registrations are taken while it "
                   "is in progress",
                   wf_str(st, "name"), wf_str(st, "status"));
}

/* A line of the session by code: its id (0: none). */
static int line_by_code(struct req *r, struct db_conn *c, int64_t stocktake, const char *code,
                        int64_t *line)
{
    struct db_stmt *st;
    *line = 0;
    int rc = db_prepare_ints(c,
                             "SELECT id FROM stocktake_lines WHERE tenant_id = ? AND "
                             "stocktake_id = ? AND code = ?",
                             DB_INTS(r->tenant_id, stocktake), &st, &r->err);
    if (rc)
        return rc;
    db_bind_text(st, 3, code, strlen(code));
    if ((rc = db_step(st, &r->err)) == DB_ROW)
        *line = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* The asset of code (0: none) and its status. */
static int asset_by_code(struct req *r, struct db_conn *c, const char *code, int64_t *asset)
{
    struct db_stmt *st;
    *asset = 0;
    int rc = db_prepare_ints(c, "SELECT id FROM assets WHERE tenant_id = ? AND code = ?",
                             DB_INTS(r->tenant_id), &st, &r->err);
    if (rc)
        return rc;
    db_bind_text(st, 2, code, strlen(code));
    if ((rc = db_step(st, &r->err)) == DB_ROW)
        *asset = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* Names for a reader: a room ("B1 305 档案室"), a person, a department. */
static json_t *room_name(struct req *r, struct db_conn *c, int64_t room)
{
    const struct res_entity *rooms = res_find("rooms", 5), *bld = res_find("buildings", 9);
    json_t *rec = NULL, *b = NULL;
    if (!room || !rooms || wf_load(r, c, rooms, room, &rec, &r->err)) {
        err_clear(&r->err);
        return json_null();
    }
    const char *building = NULL;
    if (bld && wf_int(rec, "building_id") &&
        !wf_load(r, c, bld, wf_int(rec, "building_id"), &b, &r->err))
        building = wf_str(b, "name");
    err_clear(&r->err);
    char s[300];
    snprintf(s, sizeof(s), "%s%s%s%s%s", building ? building : "", building ? " " : "",
             wf_str(rec, "number") ? wf_str(rec, "number") : "", wf_str(rec, "name") ? " " : "",
             wf_str(rec, "name") ? wf_str(rec, "name") : "");
    return json_string(s);
}

static json_t *person_name(struct req *r, struct db_conn *c, int64_t person)
{
    const char *name = NULL;
    if (!person || org_person(r, c, person, &name, NULL, &r->err) < 0)
        err_clear(&r->err);
    return name ? json_string(name) : json_null();
}

static json_t *dept_name(struct req *r, struct db_conn *c, int64_t dept)
{
    const char *name = NULL;
    if (!dept || org_department_name(r, c, dept, &name, &r->err) < 0)
        err_clear(&r->err);
    return name ? json_string(name) : json_null();
}

/* What a scan answers of an asset: who and where the register says, and
 * what was found. */
static json_t *asset_summary(struct req *r, struct db_conn *c, json_t *a, json_t *line)
{
    int64_t dept = wf_int(a, "department_id");
    json_t *s = json_pack(
        "{s:I,s:s?,s:s?,s:s?,s:s?,s:I,s:o,s:s?,s:s?}", "id", (json_int_t)wf_int(a, "id"), "code",
        wf_str(a, "code"), "name", wf_str(a, "name"), "model", wf_str(a, "model"), "status",
        wf_str(a, "status"), "department_id", (json_int_t)dept, "department", dept_name(r, c, dept),
        "acquired_on", wf_str(a, "acquired_on"), "disposed_on", wf_str(a, "disposed_on"));
    json_object_set_new(s, "original_value_fen", json_integer(wf_int(a, "original_value_fen")));
    int64_t room = wf_int(a, "room_id"), cust = wf_int(a, "custodian_id");
    json_object_set_new(s, "room_id", as_id_json(room));
    json_object_set_new(s, "room", room_name(r, c, room));
    json_object_set_new(s, "custodian_id", as_id_json(cust));
    json_object_set_new(s, "custodian", person_name(r, c, cust));
    char ym[8];
    int64_t asof = this_month(r, ym);
    json_object_set_new(
        s, "net_value_fen",
        json_integer(net_of(wf_int(a, "original_value_fen"), wf_str(a, "acquired_on"),
                            (int)wf_int(a, "useful_years"), asof)));
    if (line) {
        int64_t er = wf_int(line, "expected_room_id"), ec = wf_int(line, "expected_custodian_id");
        int64_t fr = wf_int(line, "found_room_id"), fc = wf_int(line, "found_custodian_id");
        json_object_set_new(s, "expected",
                            json_pack("{s:o,s:o,s:o,s:o}", "room_id", as_id_json(er), "room",
                                      room_name(r, c, er), "custodian_id", as_id_json(ec),
                                      "custodian", person_name(r, c, ec)));
        json_object_set_new(s, "found",
                            json_pack("{s:o,s:o,s:o,s:o}", "room_id", as_id_json(fr), "room",
                                      room_name(r, c, fr), "custodian_id", as_id_json(fc),
                                      "custodian", person_name(r, c, fc)));
    }
    return s;
}

/* scanned and expected of a session in progress */
static int progress(struct req *r, struct db_conn *c, json_t *st, json_t **out)
{
    int64_t pending = 0, expected = wf_int(st, "expected_count");
    int rc = db_one_int(c,
                        "SELECT COUNT(*) FROM stocktake_lines WHERE tenant_id = ? AND "
                        "stocktake_id = ? AND result = 'pending'",
                        DB_INTS(r->tenant_id, wf_int(st, "id")), &pending, &r->err);
    if (rc < 0)
        return rc;
    *out = json_pack("{s:I,s:I}", "scanned", (json_int_t)(expected - pending), "expected",
                     (json_int_t)expected);
    return 0;
}

/* The result a line's found room and custodian give: moved when one given
 * differs from the register's. */
static const char *found_or_moved(json_t *line, int64_t room, int64_t cust)
{
    int64_t er = wf_int(line, "expected_room_id"), ec = wf_int(line, "expected_custodian_id");
    return (room && room != er) || (cust && cust != ec) ? "moved" : "found";
}

static int answer(struct req *r, int status, json_t *doc)
{
    int rc = report_send(r, doc);
    if (!rc)
        r->status = status;
    return rc;
}

/* ---- scan ---- */

int as_stocktake_scan(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    static const char *const names[] = {"code", "room_id", "custodian_id", NULL};
    only_members(r, body, names);
    json_t *jc = json_object_get(body, "code");
    char code[AS_CODE_MAX + 1];
    if (!jc || json_is_null(jc))
        err_field(&r->err, "code", "field.required", "is required");
    else if (!json_is_string(jc) ||
             as_code_parse(json_string_value(jc), json_string_length(jc), code) < 0)
        err_field(&r->err, "code", "assets.code.invalid",
                  "is not an asset code (letters, digits and '-', at most {max}%d)", AS_CODE_MAX);
    int64_t room = member_id(r, body, "room_id"), cust = member_id(r, body, "custodian_id");
    if (r->err.nitems)
        return err_invalid(&r->err);
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    int rc = refs_exist(r, c, "room_id", room, "custodian_id", cust);
    if (rc || (rc = db_begin(c, &r->err)))
        return rc;
    json_t *st = NULL, *line = NULL, *asset = NULL;
    int64_t line_id = 0, asset_id = 0;
    int already = 0;
    const char *result;
    if ((rc = session(r, c, id, &st)))
        goto fail;
    if (!wf_is(wf_str(st, "status"), "in_progress")) {
        rc = not_in_progress(r, st);
        goto fail;
    }
    if ((rc = line_by_code(r, c, id, code, &line_id)) ||
        (rc = asset_by_code(r, c, code, &asset_id)))
        goto fail;
    if (asset_id && (rc = wf_load(r, c, &as_assets, asset_id, &asset, &r->err)))
        goto fail;
    json_t *scanned = json_pack("{s:o,s:o}", "scanned_by", wf_actor(r), "scanned_at",
                                wf_time_json(r, clock_now()));
    if (line_id) {
        if ((rc = wf_load(r, c, &as_stocktake_lines, line_id, &line, &r->err)))
            goto fail_scanned;
        const char *was = wf_str(line, "result");
        if (wf_is(was, "pending")) { /* the first scan */
            json_object_set_new(scanned, "found_room_id", as_id_json(room));
            json_object_set_new(scanned, "found_custodian_id", as_id_json(cust));
            json_object_set_new(scanned, "result", json_string(found_or_moved(line, room, cust)));
            rc = wf_update(r, c, &as_stocktake_lines, line_id, json_incref(scanned), &r->err);
        } else {
            already = 1;
            /* scanned again elsewhere before confirmation: where it is now */
            int64_t fr = wf_int(line, "found_room_id"), fc = wf_int(line, "found_custodian_id");
            if (!json_is_true(json_object_get(line, "confirmed")) && asset_id &&
                ((room && room != fr) || (cust && cust != fc))) {
                json_t *p = json_pack("{s:o,s:o}", "found_room_id", as_id_json(room ? room : fr),
                                      "found_custodian_id", as_id_json(cust ? cust : fc));
                if (!json_is_true(json_object_get(line, "out_of_scope")))
                    json_object_set_new(
                        p, "result",
                        json_string(found_or_moved(line, room ? room : fr, cust ? cust : fc)));
                rc = wf_update(r, c, &as_stocktake_lines, line_id, p, &r->err);
            }
        }
    } else if (asset_id && wf_is(wf_str(asset, "status"), "disposed")) {
        json_decref(scanned);
        if ((rc = db_commit(c, &r->err)))
            return rc;
        return answer(r, 200,
                      json_pack("{s:s,s:s,s:b,s:o}", "result", "disposed", "code", code, "already",
                                0, "asset", asset_summary(r, c, asset, NULL)));
    } else { /* not expected here: registered elsewhere, or unknown (盘盈) */
        int64_t dept = wf_int(st, "department_id");
        json_t *rec = json_pack("{s:I,s:s,s:o,s:b,s:b}", "stocktake_id", (json_int_t)id, "code",
                                code, "asset_id", as_id_json(asset_id), "out_of_scope",
                                asset_id != 0, "confirmed", 0);
        json_object_update(rec, scanned);
        json_object_set_new(rec, "found_room_id", as_id_json(room));
        json_object_set_new(rec, "found_custodian_id", as_id_json(cust));
        if (asset_id) {
            int64_t er = wf_int(asset, "room_id"), ec = wf_int(asset, "custodian_id");
            json_object_set_new(rec, "result", json_string("moved"));
            json_object_set_new(rec, "expected_room_id", as_id_json(er));
            json_object_set_new(rec, "expected_custodian_id", as_id_json(ec));
            json_object_set_new(rec, "department_id",
                                json_integer(dept ? dept : wf_int(asset, "department_id")));
            char ym[8];
            int64_t v = wf_int(asset, "original_value_fen");
            json_object_set_new(rec, "original_value_fen", json_integer(v));
            json_object_set_new(
                rec, "net_value_fen",
                json_integer(net_of(v, wf_str(asset, "acquired_on"),
                                    (int)wf_int(asset, "useful_years"), this_month(r, ym))));
        } else {
            json_object_set_new(rec, "result", json_string("surplus"));
            json_object_set_new(rec, "department_id", as_id_json(dept));
        }
        rc = wf_create(r, c, &as_stocktake_lines, rec, &line_id, &r->err);
    }
fail_scanned:
    json_decref(scanned);
    if (rc || (rc = wf_load(r, c, &as_stocktake_lines, line_id, &line, &r->err)))
        goto fail;
    json_t *prog = NULL;
    if ((rc = progress(r, c, st, &prog)))
        goto fail;
    result = asset_id ? wf_str(line, "result") : "unknown";
    json_t *doc = json_pack("{s:s,s:s,s:b,s:O,s:o}", "result", result, "code", code, "already",
                            already, "line", line, "progress", prog);
    if (asset)
        json_object_set_new(doc, "asset", asset_summary(r, c, asset, line));
    else
        json_object_set_new(doc, "found",
                            json_pack("{s:o,s:o}", "room", room_name(r, c, room), "custodian",
                                      person_name(r, c, cust)));
    if ((rc = db_commit(c, &r->err))) {
        json_decref(doc);
        return rc;
    }
    return answer(r, 200, doc);
fail:
    db_rollback(c);
    return rc;
}

/* ---- confirm ---- */

/* Applies one line (locked by the session's lock): 1 when it was confirmed
 * before, 0 when now, or an error. */
static int confirm_line(struct req *r, struct db_conn *c, json_t *st, int64_t line_id,
                        const int64_t *depts, int nd, json_t **out)
{
    json_t *line = NULL, *asset = NULL;
    int rc = wf_load(r, c, &as_stocktake_lines, line_id, &line, &r->err);
    if (rc == -ERR_NOT_FOUND || (!rc && wf_int(line, "stocktake_id") != wf_int(st, "id"))) {
        err_clear(&r->err);
        err_field(&r->err, "line_id", "assets.stocktake.line_unknown",
                  "line {line}%lld is not a line of this stocktake", (long long)line_id);
        return err_invalid(&r->err);
    }
    if (rc)
        return rc;
    *out = line;
    const char *res = wf_str(line, "result");
    const char *code = wf_str(line, "code");
    if (json_is_true(json_object_get(line, "confirmed")))
        return 1;
    if (!(wf_is(res, "found") || wf_is(res, "moved")) || !wf_int(line, "asset_id"))
        return err_set(&r->err, ERR_CONFLICT, NULL, "assets.stocktake.not_found_yet",
                       "asset {code}%s is {result}%s: only what was found is confirmed", code, res);
    int64_t asset_id = wf_int(line, "asset_id");
    if ((rc = wf_load(r, c, &as_assets, asset_id, &asset, &r->err)))
        return rc;
    if (wf_is(wf_str(asset, "status"), "disposed"))
        return err_set(&r->err, ERR_CONFLICT, NULL, "assets.asset.disposed",
                       "asset {code}%s was disposed of on {disposed_on}%s: its record is closed",
                       code, wf_str(asset, "disposed_on") ? wf_str(asset, "disposed_on") : "");
    int64_t dept = wf_int(st, "department_id");
    if (dept && !in_list(depts, nd, wf_int(asset, "department_id"))) {
        const char *name = NULL;
        org_department_name(r, c, wf_int(asset, "department_id"), &name, &r->err);
        return err_set(&r->err, ERR_CONFLICT, NULL, "assets.stocktake.other_department",
                       "asset {code}%s belongs to {department}%s: transfer it to this "
                       "department first",
                       code, name ? name : "-");
    }
    json_t *p = json_object();
    int64_t fr = wf_int(line, "found_room_id"), fc = wf_int(line, "found_custodian_id");
    if (fr && fr != wf_int(asset, "room_id"))
        json_object_set_new(p, "room_id", json_integer(fr));
    if (fc && fc != wf_int(asset, "custodian_id"))
        json_object_set_new(p, "custodian_id", json_integer(fc));
    if (json_object_size(p))
        rc = wf_update(r, c, &as_assets, asset_id, p, &r->err);
    else
        json_decref(p);
    if (rc)
        return rc;
    rc = wf_update(r, c, &as_stocktake_lines, line_id,
                   json_pack("{s:b,s:o,s:o}", "confirmed", 1, "confirmed_by", wf_actor(r),
                             "confirmed_at", wf_time_json(r, clock_now())),
                   &r->err);
    if (rc || (rc = wf_load(r, c, &as_stocktake_lines, line_id, out, &r->err)))
        return rc;
    return 0;
}

int as_stocktake_confirm(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    static const char *const names[] = {"line_id", "line_ids", NULL};
    only_members(r, body, names);
    int64_t ids[CONFIRM_MAX];
    int n = 0;
    int64_t one = member_id(r, body, "line_id");
    json_t *many = json_object_get(body, "line_ids");
    if (one)
        ids[n++] = one;
    if (many && !json_is_null(many)) {
        size_t i;
        json_t *v;
        if (!json_is_array(many) || json_array_size(many) > CONFIRM_MAX - 1)
            err_field(&r->err, "line_ids", "assets.stocktake.line_ids",
                      "must be a list of at most {max}%d line ids", CONFIRM_MAX - 1);
        else
            json_array_foreach(many, i, v)
            {
                if (!json_is_integer(v) || json_integer_value(v) <= 0) {
                    err_field(&r->err, "line_ids", "field.ref", "must be a record id");
                    break;
                }
                ids[n++] = json_integer_value(v);
            }
    }
    if (!n && !r->err.nitems)
        err_field(&r->err, "line_id", "field.required", "is required");
    if (r->err.nitems)
        return err_invalid(&r->err);
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    int rc = db_begin(c, &r->err);
    if (rc)
        return rc;
    json_t *st = NULL, *lines = report_keep(r, json_array());
    int64_t *depts = NULL;
    int nd = 0, already = 0;
    if ((rc = session(r, c, id, &st)))
        goto fail;
    const char *status = wf_str(st, "status");
    if (!wf_is(status, "in_progress") && !wf_is(status, "finished")) {
        rc = err_set(&r->err, ERR_CONFLICT, NULL, "assets.stocktake.not_open",
                     "stocktake {name}%s is {status}%s: what was found is confirmed while it "
                     "is in progress or once finished",
                     wf_str(st, "name"), status);
        goto fail;
    }
    if (wf_int(st, "department_id") &&
        (rc = as_dept_subtree(r, c, wf_int(st, "department_id"), &depts, &nd, &r->err)))
        goto fail;
    for (int i = 0; i < n; i++) {
        json_t *line = NULL;
        rc = confirm_line(r, c, st, ids[i], depts, nd, &line);
        if (rc < 0)
            goto fail;
        already += rc;
        json_array_append(lines, line);
    }
    if ((rc = db_commit(c, &r->err)))
        return rc;
    return answer(r, 200,
                  json_pack("{s:I,s:I,s:O}", "confirmed", (json_int_t)(n - already), "already",
                            (json_int_t)already, "lines", lines));
fail:
    db_rollback(c);
    return rc;
}

/* ---- surplus: an unregistered item registered ---- */

int as_stocktake_surplus(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    static const char *const names[] = {
        "line_id",     "code",  "name",    "class_id",     "category_id",   "original_value_fen",
        "acquired_on", "model", "room_id", "custodian_id", "department_id", "serial",
        "note",        NULL};
    only_members(r, body, names);
    int64_t line_id = member_id(r, body, "line_id");
    int64_t room = member_id(r, body, "room_id"), cust = member_id(r, body, "custodian_id");
    json_t *jc = json_object_get(body, "code");
    char code[AS_CODE_MAX + 1] = "";
    if (jc && !json_is_null(jc) &&
        (!json_is_string(jc) ||
         as_code_parse(json_string_value(jc), json_string_length(jc), code) < 0))
        err_field(&r->err, "code", "assets.code.invalid",
                  "is not an asset code (letters, digits and '-', at most {max}%d)", AS_CODE_MAX);
    if (r->err.nitems)
        return err_invalid(&r->err);
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    int rc = refs_exist(r, c, "room_id", room, "custodian_id", cust);
    if (rc || (rc = db_begin(c, &r->err)))
        return rc;
    json_t *st = NULL, *line = NULL, *asset = NULL;
    int64_t asset_id = 0;
    if ((rc = session(r, c, id, &st)))
        goto fail;
    if (!wf_is(wf_str(st, "status"), "in_progress")) {
        rc = not_in_progress(r, st);
        goto fail;
    }
    if (line_id) { /* the line an unknown code's scan left */
        rc = wf_load(r, c, &as_stocktake_lines, line_id, &line, &r->err);
        if (rc == -ERR_NOT_FOUND || (!rc && wf_int(line, "stocktake_id") != id)) {
            err_clear(&r->err);
            err_field(&r->err, "line_id", "assets.stocktake.line_unknown",
                      "line {line}%lld is not a line of this stocktake", (long long)line_id);
            rc = err_invalid(&r->err);
            goto fail;
        }
        if (rc)
            goto fail;
        if (*code && strcmp(code, wf_str(line, "code"))) {
            err_field(&r->err, "code", "assets.stocktake.code_mismatch",
                      "line {line}%lld is of code {code}%s", (long long)line_id,
                      wf_str(line, "code"));
            rc = err_invalid(&r->err);
            goto fail;
        }
        snprintf(code, sizeof(code), "%s", wf_str(line, "code"));
    } else if (*code && (rc = line_by_code(r, c, id, code, &line_id)))
        goto fail;
    if (line_id && !line && (rc = wf_load(r, c, &as_stocktake_lines, line_id, &line, &r->err)))
        goto fail;
    if (*code && (rc = asset_by_code(r, c, code, &asset_id)))
        goto fail;
    if (asset_id || (line && wf_int(line, "asset_id"))) {
        rc = err_set(&r->err, ERR_CONFLICT, NULL, "assets.stocktake.code_registered",
                     "asset {code}%s is in the register: scan it instead", code);
        goto fail;
    }
    int64_t dept = member_id(r, body, "department_id");
    if (!dept)
        dept = wf_int(st, "department_id");
    if (!dept) {
        err_field(&r->err, "department_id", "field.required", "is required");
        rc = err_invalid(&r->err);
        goto fail;
    }
    /* registered for a department the caller's scope holds */
    if ((rc = perm_check_dept(r, &as_stocktakes, dept, 1)))
        goto fail;
    if (line && !room) /* where the scan found it */
        room = wf_int(line, "found_room_id");
    if (line && !cust)
        cust = wf_int(line, "found_custodian_id");
    json_t *rec = json_deep_copy(body);
    if (room)
        json_object_set_new(rec, "room_id", json_integer(room));
    if (cust)
        json_object_set_new(rec, "custodian_id", json_integer(cust));
    json_object_del(rec, "line_id");
    if (*code)
        json_object_set_new(rec, "code", json_string(code));
    else
        json_object_del(rec, "code");
    json_object_set_new(rec, "department_id", json_integer(dept));
    json_object_set_new(rec, "source", json_string("surplus"));
    json_object_set_new(rec, "status", json_string("in_use"));
    if (!wf_has(rec, "note")) {
        char note[200];
        snprintf(note, sizeof(note), "盘盈：%.160s", wf_str(st, "name"));
        json_object_set_new(rec, "note", json_string(note));
    }
    if ((rc = wf_create(r, c, &as_assets, rec, &asset_id, &r->err)) ||
        (rc = wf_load(r, c, &as_assets, asset_id, &asset, &r->err)))
        goto fail;
    char ym[8];
    int64_t v = wf_int(asset, "original_value_fen");
    json_t *lp = json_pack(
        "{s:I,s:s,s:s,s:I,s:o,s:o,s:b,s:o,s:o,s:I,s:I}", "asset_id", (json_int_t)asset_id, "code",
        wf_str(asset, "code"), "result", "surplus", "department_id",
        (json_int_t)(wf_int(st, "department_id") ? wf_int(st, "department_id") : dept),
        "found_room_id", as_id_json(room), "found_custodian_id", as_id_json(cust), "confirmed", 1,
        "confirmed_by", wf_actor(r), "confirmed_at", wf_time_json(r, clock_now()),
        "original_value_fen", (json_int_t)v, "net_value_fen",
        (json_int_t)net_of(v, wf_str(asset, "acquired_on"), (int)wf_int(asset, "useful_years"),
                           this_month(r, ym)));
    if (line_id)
        rc = wf_update(r, c, &as_stocktake_lines, line_id, lp, &r->err);
    else {
        json_object_set_new(lp, "stocktake_id", json_integer(id));
        json_object_set_new(lp, "scanned_by", wf_actor(r));
        json_object_set_new(lp, "scanned_at", wf_time_json(r, clock_now()));
        rc = wf_create(r, c, &as_stocktake_lines, lp, &line_id, &r->err);
    }
    if (rc || (rc = wf_load(r, c, &as_stocktake_lines, line_id, &line, &r->err)))
        goto fail;
    json_t *doc = json_pack("{s:s,s:O,s:o}", "result", "surplus", "line", line, "asset",
                            asset_summary(r, c, asset, line));
    if ((rc = db_commit(c, &r->err))) {
        json_decref(doc);
        return rc;
    }
    return answer(r, 201, doc);
fail:
    db_rollback(c);
    return rc;
}
