/* SPDX-License-Identifier: MIT
 * servicedesk/rooms.c - what the office space register asks of the service
 * desk (servicedesk.h): the room a request names, a room's requests with
 * what their work cost, and the repair requests of the demo data and the
 * room each names. Other modules never read these tables themselves.
 */
#include "servicedesk.h"
#include "../../base/arena.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"

#include <string.h>

int sd_request_room(struct req *r, struct db_conn *c, int64_t request, int64_t *room, struct err *e)
{
    struct db_stmt *st;
    *room = 0;
    int rc =
        db_prepare_ints(c, "SELECT room_id FROM service_requests WHERE tenant_id = ? AND id = ?",
                        DB_INTS(r->tenant_id, request), &st, e);
    if (rc)
        return rc;
    int found = (rc = db_step(st, e)) == DB_ROW;
    if (found && !db_col_is_null(st, 0))
        *room = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : found;
}

static int64_t int_col(struct db_stmt *st, int k)
{
    return db_col_is_null(st, k) ? 0 : db_col_int(st, k);
}

static const char *text_col(struct req *r, struct db_stmt *st, int k)
{
    return db_col_is_null(st, k) ? NULL : arena_strdup(r->a, db_col_text(st, k, NULL));
}

/* Makes room for one more row of size sz in *v (n used, *cap allocated). */
static int grow(struct req *r, void **v, int n, int *cap, size_t sz, struct err *e)
{
    if (n < *cap)
        return 0;
    int more = *cap ? *cap * 2 : 64;
    void *p = arena_realloc(r->a, *v, sz * (size_t)*cap, sz * (size_t)more);
    if (!p)
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    *v = p;
    *cap = more;
    return 0;
}

int sd_room_requests(struct req *r, struct db_conn *c, int64_t room, struct sd_room_request **out,
                     int *n, struct err *e)
{
    struct db_stmt *st;
    void *v = NULL;
    int cap = 0;
    *out = NULL;
    *n = 0;
    int rc =
        db_prepare_ints(c,
                        "SELECT q.id, q.title, q.status, q.created_at, (SELECT SUM(w.cost_fen) "
                        "FROM work_orders w WHERE w.tenant_id = q.tenant_id AND w.request_id = "
                        "q.id AND w.status = 'done'), (SELECT MAX(w.completed_at) FROM "
                        "work_orders w WHERE w.tenant_id = q.tenant_id AND w.request_id = q.id "
                        "AND w.status = 'done') FROM service_requests q WHERE q.tenant_id = ? "
                        "AND q.room_id = ? ORDER BY q.id DESC LIMIT 1000",
                        DB_INTS(r->tenant_id, room), &st, e);
    if (rc)
        return rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        if ((rc = grow(r, &v, *n, &cap, sizeof(**out), e)))
            break;
        *out = v;
        struct sd_room_request *q = &(*out)[(*n)++];
        q->id = db_col_int(st, 0);
        q->title = text_col(r, st, 1);
        q->status = text_col(r, st, 2);
        q->created_at = db_col_int(st, 3);
        q->cost_fen = int_col(st, 4);
        q->completed_at = int_col(st, 5);
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* the service types whose requests are repairs of a room */
#define REPAIR_TYPES "('repair', 'electrical', 'plumbing', 'air_conditioning')"

int sd_repair_requests(struct req *r, struct db_conn *c, struct sd_repair_request **out, int *n,
                       struct err *e)
{
    struct db_stmt *st;
    void *v = NULL;
    int cap = 0;
    *out = NULL;
    *n = 0;
    int rc = db_prepare(c,
                        "SELECT q.id, q.created_at, q.building, q.room, q.room_id FROM "
                        "service_requests q JOIN service_types t ON t.tenant_id = q.tenant_id "
                        "AND t.id = q.type_id WHERE q.tenant_id = ? AND t.code IN " REPAIR_TYPES
                        " ORDER BY q.id",
                        &st, e);
    if (rc)
        return rc;
    db_bind_int(st, 1, r->tenant_id);
    while ((rc = db_step(st, e)) == DB_ROW) {
        if ((rc = grow(r, &v, *n, &cap, sizeof(**out), e)))
            break;
        *out = v;
        struct sd_repair_request *q = &(*out)[(*n)++];
        q->id = db_col_int(st, 0);
        q->created_at = db_col_int(st, 1);
        q->building = text_col(r, st, 2);
        q->room = text_col(r, st, 3);
        q->room_id = int_col(st, 4);
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int sd_request_set_room(struct req *r, struct db_conn *c, int64_t request, int64_t room,
                        struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(c, "UPDATE service_requests SET room_id = ? WHERE tenant_id = ? AND id = ?",
                        &st, e);
    if (rc)
        return rc;
    db_bind_int_or_null(st, 1, room);
    db_bind_int(st, 2, r->tenant_id);
    db_bind_int(st, 3, request);
    rc = db_step(st, e);
    db_reset(st);
    return rc < 0 ? rc : 0;
}
