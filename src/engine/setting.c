/* SPDX-License-Identifier: MIT
 * setting.c - see setting.h.
 */
#include "setting.h"
#include "res.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../core/http.h"
#include "../db/db.h"

#include <string.h>

int64_t setting_int(struct req *r, struct db_conn *c, const struct res_entity *ent,
                    const char *name, int64_t dflt, enum setting_pick pick)
{
    struct buf sql;
    struct db_stmt *st;
    struct err e;
    int64_t v = dflt;
    err_clear(&e);
    buf_init(&sql, r->a);
    if (pick == SETTING_SMALLEST)
        buf_printf(&sql, "SELECT MIN(value) FROM %s WHERE tenant_id = ? AND name = ?", ent->name);
    else
        buf_printf(&sql,
                   "SELECT value FROM %s WHERE tenant_id = ? AND name = ? ORDER BY id DESC LIMIT 1",
                   ent->name);
    if (!buf_ok(&sql) || db_prepare_ints(c, sql.p, DB_INTS(r->tenant_id), &st, &e))
        return dflt;
    db_bind_text(st, 2, name, strlen(name));
    if (db_step(st, &e) == DB_ROW && !db_col_is_null(st, 0))
        v = db_col_int(st, 0);
    db_reset(st);
    return v;
}
