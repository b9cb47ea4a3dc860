/* SPDX-License-Identifier: MIT
 * identity/lookup.c - what other modules ask of the users (identity.h): who a
 * user is by name, and the person and department behind a user. Other
 * modules never read the users table themselves.
 */
#include "identity.h"
#include "../../base/arena.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../org/org.h"

int identity_user(struct req *r, struct db_conn *c, int64_t user, struct identity_user *out,
                  struct err *e)
{
    struct db_stmt *st;
    out->person_id = out->department_id = 0;
    out->name = out->username = NULL;
    out->active = 0;
    if (!user)
        return 0;
    int rc = db_prepare(c,
                        "SELECT person_id, COALESCE(display_name, username), username, active FROM "
                        "users WHERE tenant_id = ? AND id = ?",
                        &st, e);
    if (rc)
        return rc;
    db_bind_int(st, 1, r->tenant_id);
    db_bind_int(st, 2, user);
    if ((rc = db_step(st, e)) == DB_ROW) {
        out->person_id = db_col_is_null(st, 0) ? 0 : db_col_int(st, 0);
        out->name = arena_strdup(r->a, db_col_text(st, 1, NULL));
        out->username = arena_strdup(r->a, db_col_text(st, 2, NULL));
        out->active = db_col_int(st, 3) != 0;
    }
    db_reset(st);
    if (rc < 0 || !out->person_id)
        return rc < 0 ? rc : 0;
    const char *pname;
    if ((rc = org_person(r, c, out->person_id, &pname, &out->department_id, e)))
        return rc;
    if (pname)
        out->name = pname; /* a person's name before a display name */
    return 0;
}
