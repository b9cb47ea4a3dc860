/* SPDX-License-Identifier: MIT
 * org/staff.c - picking people for other modules' demo data (org.h): the
 * active people holding a post, the n-th permanent member of staff. Ordered
 * by id, so that the same seed picks the same people.
 */
#include "org.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"

#include <string.h>

int org_people_in_post(struct req *r, struct db_conn *c, const char *post, int64_t except,
                       int64_t *ids, int max, int *n, struct err *e)
{
    struct db_stmt *st;
    *n = 0;
    int rc =
        db_prepare_ints(c,
                        "SELECT id FROM people WHERE tenant_id = ? AND post = ? AND active = 1 "
                        "AND id <> ? ORDER BY id LIMIT ?",
                        DB_INTS(r->tenant_id), &st, e);
    if (rc)
        return rc;
    db_bind_text(st, 2, post, strlen(post));
    db_bind_int(st, 3, except);
    db_bind_int(st, 4, max);
    while ((rc = db_step(st, e)) == DB_ROW && *n < max)
        ids[(*n)++] = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int org_staff_nth(struct req *r, struct db_conn *c, int k, int64_t *id, struct err *e)
{
    int rc = db_one_int(c,
                        "SELECT id FROM people WHERE tenant_id = ? AND active = 1 AND "
                        "contract_staff = 0 ORDER BY id LIMIT 1 OFFSET ?",
                        DB_INTS(r->tenant_id, k), id, e);
    return rc < 0 ? rc : 0;
}
