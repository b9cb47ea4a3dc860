/* SPDX-License-Identifier: MIT
 * identity/lookup.c - what other modules ask of the users (identity.h), one
 * at a time: who a user is by name, the person and department behind a
 * user, a user by username, a role's name. Other modules never read the
 * users and roles tables themselves.
 */
#include "identity.h"
#include "../../base/arena.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../org/org.h"

#include <string.h>

int identity_user(struct req *r, struct db_conn *c, int64_t user, struct identity_user *out,
                  struct err *e)
{
    struct db_stmt *st;
    out->person_id = out->department_id = 0;
    out->name = out->username = NULL;
    out->active = 0;
    if (!user)
        return 0;
    int rc =
        db_prepare_ints(c,
                        "SELECT person_id, COALESCE(display_name, username), username, active FROM "
                        "users WHERE tenant_id = ? AND id = ?",
                        DB_INTS(r->tenant_id, user), &st, e);
    if (rc)
        return rc;
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

int identity_user_id(struct req *r, struct db_conn *c, const char *username, int64_t *id,
                     struct err *e)
{
    struct db_stmt *st;
    *id = 0;
    int rc = db_prepare_ints(c, "SELECT id FROM users WHERE tenant_id = ? AND username = ?",
                             DB_INTS(r->tenant_id), &st, e);
    if (rc)
        return rc;
    db_bind_text(st, 2, username, strlen(username));
    if ((rc = db_step(st, e)) == DB_ROW)
        *id = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int identity_role_name(struct req *r, struct db_conn *c, int64_t role, const char **name,
                       struct err *e)
{
    int rc = db_one_text(c, r->a, "SELECT name FROM roles WHERE tenant_id = ? AND id = ?",
                         DB_INTS(r->tenant_id, role), name, e);
    return rc < 0 ? rc : 0;
}

int identity_role_id(struct req *r, struct db_conn *c, const char *code, int64_t *id,
                     struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare_ints(c, "SELECT id FROM roles WHERE tenant_id = ? AND code = ?",
                             DB_INTS(r->tenant_id), &st, e);
    if (rc)
        return rc;
    db_bind_text(st, 2, code, strlen(code));
    *id = 0;
    if ((rc = db_step(st, e)) == DB_ROW)
        *id = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}
