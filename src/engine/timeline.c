/* SPDX-License-Identifier: MIT
 * timeline.c - a workflow record's steps with their actors' names (timeline.h).
 */
#include "timeline.h"
#include "perm.h"
#include "record.h"
#include "rest.h"
#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/base.h"
#include "../base/err.h"
#include "../core/http.h"
#include "../db/db.h"

#include <string.h>

#define MAX_EVENTS 1000

static const char *user_name(struct req *r, struct db_conn *c, int64_t id)
{
    struct db_stmt *st;
    struct err e;
    const char *name = NULL;
    err_clear(&e);
    if (db_prepare_ints(
            c,
            "SELECT COALESCE(display_name, username) FROM users WHERE tenant_id = ? AND "
            "id = ?",
            DB_INTS(r->tenant_id, id), &st, &e))
        return NULL;
    if (db_step(st, &e) == DB_ROW)
        name = arena_strdup(r->a, db_col_text(st, 0, NULL));
    db_reset(st);
    return name;
}

int timeline_render(struct req *r, const struct res_entity *parent, const struct res_entity *events,
                    const char *fk)
{
    int64_t id;
    struct db_conn *c;
    json_t *rec;
    int rc = rest_record(r, parent, "read", &id, &c, &rec);
    if (rc)
        return rc;
    struct db_stmt *st;
    /* identifiers from the descriptors, never from the request */
    char *sql = arena_printf(r->a,
                             "SELECT %s FROM %s WHERE tenant_id = ? AND %s = ? ORDER BY id "
                             "LIMIT %d",
                             rec_select_list(events), events->name, fk, MAX_EVENTS);
    int64_t *actors = arena_alloc(r->a, sizeof(int64_t) * MAX_EVENTS);
    if (!sql || !actors)
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    if ((rc = db_prepare_ints(c, sql, DB_INTS(r->tenant_id, id), &st, &r->err)))
        return rc;
    int n = 0, actor_col = -1, ncols;
    const struct res_field *const *cols = res_cols(events, &ncols);
    for (int i = 0; i < ncols; i++)
        if (!strcmp(cols[i]->name, "actor_id"))
            actor_col = i;
    buf_puts(&r->out, "{\"items\":[");
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        if (n)
            buf_putc(&r->out, ',');
        actors[n++] =
            actor_col >= 0 && !db_col_is_null(st, actor_col) ? db_col_int(st, actor_col) : 0;
        rec_render_row(&r->out, events, st, r->utc_offset_min, NULL);
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    buf_puts(&r->out, "],\"actors\":{");
    int shown = 0;
    for (int i = 0; i < n; i++) {
        int seen = !actors[i];
        for (int j = 0; j < i && !seen; j++)
            seen = actors[j] == actors[i];
        if (seen)
            continue;
        const char *name = user_name(r, c, actors[i]);
        buf_printf(&r->out, "%s\"%lld\":", shown++ ? "," : "", (long long)actors[i]);
        if (name)
            buf_json_str(&r->out, name, strlen(name));
        else
            buf_puts(&r->out, "null");
    }
    buf_puts(&r->out, "}}");
    return resp_json(r, 200);
}
