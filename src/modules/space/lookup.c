/* SPDX-License-Identifier: MIT
 * space/lookup.c - what other modules may read of the register through
 * space.h: the rooms of a use, building by building (a booking module's
 * meeting rooms are rooms of the register, not names typed again); the
 * rooms each department uses (where the assets register puts things); the
 * rooms of a building (what a stocktake of the building covers).
 */
#include "space.h"
#include "../../base/arena.h"
#include "../../base/err.h"
#include "../../db/db.h"

#include <string.h>

int sp_largest_rooms(struct arena *a, struct db_conn *c, int64_t tenant, const char *use,
                     struct sp_room_ref *out, int max, int *n, struct err *e)
{
    struct db_stmt *st;
    *n = 0;
    int rc = db_prepare_ints(c,
                             "SELECT r.id, r.building_id, b.name, r.name, r.number, f.level, "
                             "r.area_m2 FROM rooms r JOIN buildings b ON b.tenant_id = "
                             "r.tenant_id AND b.id = r.building_id JOIN floors f ON f.tenant_id = "
                             "r.tenant_id AND f.id = r.floor_id WHERE r.tenant_id = ? AND "
                             "r.use_type = ? ORDER BY b.sort_order, b.id, r.area_m2 DESC, r.id",
                             DB_INTS(tenant), &st, e);
    if (rc)
        return rc;
    db_bind_text(st, 2, use, strlen(use));
    int64_t last = 0;
    while (*n < max && (rc = db_step(st, e)) == DB_ROW) {
        int64_t building = db_col_int(st, 1);
        if (building == last) /* the building's largest is taken */
            continue;
        last = building;
        struct sp_room_ref *x = &out[(*n)++];
        x->id = db_col_int(st, 0);
        x->building = arena_strdup(a, db_col_text(st, 2, NULL));
        x->name = db_col_is_null(st, 3) ? NULL : arena_strdup(a, db_col_text(st, 3, NULL));
        x->number = arena_strdup(a, db_col_text(st, 4, NULL));
        x->level = (int)db_col_int(st, 5);
        x->area = db_col_int(st, 6);
        if (!x->building || !x->number || (!x->name && !db_col_is_null(st, 3))) {
            db_reset(st);
            return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
        }
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int sp_rooms_by_department(struct db_conn *c, int64_t tenant, const char *use,
                           struct sp_room_dept *out, int max, int *n, struct err *e)
{
    struct db_stmt *st;
    *n = 0;
    int rc = db_prepare_ints(c,
                             "SELECT id, department_id FROM rooms WHERE tenant_id = ? AND (? = '' "
                             "OR use_type = ?) ORDER BY department_id, id",
                             DB_INTS(tenant), &st, e);
    if (rc)
        return rc;
    if (!use)
        use = "";
    db_bind_text(st, 2, use, strlen(use));
    db_bind_text(st, 3, use, strlen(use));
    while (*n < max && (rc = db_step(st, e)) == DB_ROW) {
        out[*n].id = db_col_int(st, 0);
        out[*n].department_id = db_col_int(st, 1);
        (*n)++;
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int sp_building_rooms(struct db_conn *c, int64_t tenant, int64_t building, int64_t *out, int max,
                      int *n, struct err *e)
{
    struct db_stmt *st;
    *n = 0;
    int rc = db_prepare_ints(c,
                             "SELECT id FROM rooms WHERE tenant_id = ? AND building_id = ? ORDER "
                             "BY id",
                             DB_INTS(tenant, building), &st, e);
    if (rc)
        return rc;
    while (*n < max && (rc = db_step(st, e)) == DB_ROW)
        out[(*n)++] = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}
