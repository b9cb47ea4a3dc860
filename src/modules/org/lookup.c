/* SPDX-License-Identifier: MIT
 * org/lookup.c - what other modules ask of the organisation (org.h): a
 * person's name and department, a department's name, the names of many at
 * once for reports. Other modules never read these tables themselves.
 */
#include "org.h"
#include "../../base/arena.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"

#include <string.h>

/* Column 0 (text) and 1 (integer) of sql's row for (tenant, id). */
static int one_row(struct req *r, struct db_conn *c, const char *sql, int64_t id,
                   const char **text, int64_t *num, struct err *e)
{
    struct db_stmt *st;
    if (text)
        *text = NULL;
    if (num)
        *num = 0;
    if (!id)
        return 0;
    int rc = db_prepare(c, sql, &st, e);
    if (rc)
        return rc;
    db_bind_int(st, 1, r->tenant_id);
    db_bind_int(st, 2, id);
    if ((rc = db_step(st, e)) == DB_ROW) {
        if (text && !db_col_is_null(st, 0))
            *text = arena_strdup(r->a, db_col_text(st, 0, NULL));
        if (num && !db_col_is_null(st, 1))
            *num = db_col_int(st, 1);
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int org_person(struct req *r, struct db_conn *c, int64_t person, const char **name, int64_t *dept,
               struct err *e)
{
    return one_row(r, c,
                   "SELECT name, department_id FROM people WHERE tenant_id = ? AND id = ?",
                   person, name, dept, e);
}

int org_department_name(struct req *r, struct db_conn *c, int64_t dept, const char **name,
                        struct err *e)
{
    return one_row(r, c, "SELECT name, id FROM departments WHERE tenant_id = ? AND id = ?", dept,
                   name, NULL, e);
}
