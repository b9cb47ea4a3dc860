/* SPDX-License-Identifier: MIT
 * fleet/lookup.c - what other modules may read of the fleet through
 * fleet.h: the cars of the register (the assets register links a car to
 * its asset record instead of copying it).
 */
#include "fleet.h"
#include "../../base/arena.h"
#include "../../base/err.h"
#include "../../db/db.h"

int fl_vehicle_list(struct arena *a, struct db_conn *c, int64_t tenant, struct fl_vehicle_ref *out,
                    int max, int *n, struct err *e)
{
    struct db_stmt *st;
    *n = 0;
    int rc = db_prepare_ints(c,
                             "SELECT id, plate, brand, model, price_fen, registered_on, "
                             "department_id, status FROM vehicles WHERE tenant_id = ? ORDER BY id",
                             DB_INTS(tenant), &st, e);
    if (rc)
        return rc;
    while (*n < max && (rc = db_step(st, e)) == DB_ROW) {
        struct fl_vehicle_ref *v = &out[(*n)++];
        v->id = db_col_int(st, 0);
        v->plate = arena_strdup(a, db_col_text(st, 1, NULL));
        v->brand = arena_strdup(a, db_col_is_null(st, 2) ? "" : db_col_text(st, 2, NULL));
        v->model = arena_strdup(a, db_col_is_null(st, 3) ? "" : db_col_text(st, 3, NULL));
        v->price_fen = db_col_int(st, 4);
        v->registered_on = arena_strdup(a, db_col_is_null(st, 5) ? "" : db_col_text(st, 5, NULL));
        v->department_id = db_col_int(st, 6);
        v->status = arena_strdup(a, db_col_text(st, 7, NULL));
        if (!v->plate || !v->brand || !v->model || !v->registered_on || !v->status) {
            db_reset(st);
            return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
        }
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}
