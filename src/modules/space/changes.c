/* SPDX-License-Identifier: MIT
 * space/changes.c - GET /api/v1/space_requests/{id}/changes: a request's
 * proposed changes as their reader sees them, each with the room, person and
 * department it touches named:
 *
 *   {"items": [{"id", "kind", "assignment_id", "room_id", "person_id",
 *               "department_id", "start_date", "end_date", "override_reason",
 *               "applied_assignment_id",
 *               "room": {"building", "floor", "number", "area_m2", "use_type"} | null,
 *               "person": "name" | null, "department": "name" | null,
 *               "assignment": {"start_date", "end_date"} | null}, …]}
 *
 * An "end" change names the assignment it ends: its room, person and
 * department come from that assignment. Whoever may read the request sees
 * what it changes — a liaison reads only their own department's rooms and
 * assignments, yet the vacant room offered to them, or the room given up by
 * another department, is part of their request.
 */
#include "space.h"
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

#include <string.h>

static void text_or_null(struct buf *b, const char *key, struct db_stmt *st, int col)
{
    size_t n;
    const char *t = db_col_is_null(st, col) ? NULL : db_col_text(st, col, &n);
    buf_printf(b, ",\"%s\":", key);
    if (t)
        buf_json_str(b, t, n);
    else
        buf_puts(b, "null");
}

static void name_or_null(struct buf *b, const char *key, const char *name)
{
    buf_printf(b, ",\"%s\":", key);
    if (name)
        buf_json_str(b, name, strlen(name));
    else
        buf_puts(b, "null");
}

static void int_or_null(struct buf *b, const char *key, struct db_stmt *st, int col)
{
    buf_printf(b, ",\"%s\":", key);
    if (db_col_is_null(st, col))
        buf_puts(b, "null");
    else
        buf_i64(b, db_col_int(st, col));
}

int sp_changes_view(struct req *r)
{
    int64_t id;
    json_t *rq;
    struct db_conn *c;
    int rc = rest_record(r, &sp_requests, "read", &id, &c, &rq);
    if (rc)
        return rc;
    struct db_stmt *st;
    rc = db_prepare_ints(
        c,
        "SELECT x.id, x.kind, x.assignment_id, COALESCE(x.room_id, g.room_id), "
        "COALESCE(x.person_id, g.person_id), COALESCE(x.department_id, "
        "g.department_id), x.start_date, x.end_date, x.override_reason, "
        "x.applied_assignment_id, m.id, b.name, f.name, m.number, m.area_m2, "
        "m.use_type, g.id, g.start_date, g.end_date "
        "FROM space_request_changes x "
        "LEFT JOIN room_assignments g ON g.tenant_id = x.tenant_id AND g.id = "
        "x.assignment_id "
        "LEFT JOIN rooms m ON m.tenant_id = x.tenant_id AND m.id = "
        "COALESCE(x.room_id, g.room_id) "
        "LEFT JOIN buildings b ON b.tenant_id = m.tenant_id AND b.id = m.building_id "
        "LEFT JOIN floors f ON f.tenant_id = m.tenant_id AND f.id = m.floor_id "
        "WHERE x.tenant_id = ? AND x.request_id = ? ORDER BY x.id LIMIT 1000",
        DB_INTS(r->tenant_id, id), &st, &r->err);
    if (rc)
        return rc;
    buf_puts(&r->out, "{\"items\":[");
    int n = 0;
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        if (n++)
            buf_putc(&r->out, ',');
        struct buf *b = &r->out;
        buf_puts(b, "{\"id\":");
        buf_i64(b, db_col_int(st, 0));
        text_or_null(b, "kind", st, 1);
        int_or_null(b, "assignment_id", st, 2);
        int_or_null(b, "room_id", st, 3);
        int_or_null(b, "person_id", st, 4);
        int_or_null(b, "department_id", st, 5);
        text_or_null(b, "start_date", st, 6);
        text_or_null(b, "end_date", st, 7);
        text_or_null(b, "override_reason", st, 8);
        int_or_null(b, "applied_assignment_id", st, 9);
        buf_puts(b, ",\"room\":");
        if (db_col_is_null(st, 10)) {
            buf_puts(b, "null");
        } else {
            buf_puts(b, "{\"id\":");
            buf_i64(b, db_col_int(st, 10));
            text_or_null(b, "building", st, 11);
            text_or_null(b, "floor", st, 12);
            text_or_null(b, "number", st, 13);
            buf_puts(b, ",\"area_m2\":");
            buf_decimal(b, db_col_int(st, 14), 2);
            text_or_null(b, "use_type", st, 15);
            buf_putc(b, '}');
        }
        /* the person's and the department's names, from the organisation */
        const char *pname = NULL, *dname = NULL;
        if ((rc = org_person(r, c, db_col_is_null(st, 4) ? 0 : db_col_int(st, 4), &pname, NULL,
                             &r->err)) ||
            (rc = org_department_name(r, c, db_col_is_null(st, 5) ? 0 : db_col_int(st, 5), &dname,
                                      &r->err)))
            break;
        name_or_null(b, "person", pname);
        name_or_null(b, "department", dname);
        buf_puts(b, ",\"assignment\":");
        if (db_col_is_null(st, 16)) {
            buf_puts(b, "null");
        } else {
            buf_puts(b, "{\"id\":");
            buf_i64(b, db_col_int(st, 16));
            text_or_null(b, "start_date", st, 17);
            text_or_null(b, "end_date", st, 18);
            buf_putc(b, '}');
        }
        buf_putc(b, '}');
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    buf_puts(&r->out, "]}");
    return resp_json(r, 200);
}
