/* SPDX-License-Identifier: MIT
 * identity/demo.c - the demo users: one per built-in role (username = the
 * role's code), each standing for a person of a plausible department; and
 * the sign-in accounts other modules' demo data create (identity.h), which
 * take the role and the password of the demo user of their role.
 */
#include "identity.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/auth.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../org/org.h"

#include <string.h>

/* the password of every demo user (README: "Demo users") */
#define DEMO_PASSWORD "Bureau-demo-2026"

static int demo_users(struct req *r, struct db_conn *c, struct err *e)
{
    char hash[128];
    struct db_stmt *st;
    int rc = auth_hash_password(DEMO_PASSWORD, hash, e);
    if (rc)
        return rc;
    rc = db_prepare(c,
                    "INSERT INTO users (tenant_id, version, created_at, updated_at, username, "
                    "display_name, person_id, role_id, password_hash, must_change_password, "
                    "active) SELECT ?, 1, ?, ?, ?, ?, ?, id, ?, 0, 1 FROM roles "
                    "WHERE tenant_id = ? AND code = ?",
                    &st, e);
    if (rc)
        return rc;
    int64_t now = clock_now();
    int k = 0;
    for (const struct builtin_role *b = identity_builtin_roles; b->code; b++, k++) {
        if (!strcmp(b->code, "admin"))
            continue; /* the admin comes from the bootstrap */
        /* the person a demo user stands for: someone of a plausible department */
        int64_t person = 0;
        if ((rc = org_staff_nth(r, c, 40 + k * 97, &person, e)))
            return rc;
        db_bind_int(st, 1, r->tenant_id);
        db_bind_int(st, 2, now);
        db_bind_int(st, 3, now);
        db_bind_text(st, 4, b->code, strlen(b->code));
        db_bind_text(st, 5, b->zh, strlen(b->zh));
        db_bind_int_or_null(st, 6, person);
        db_bind_text(st, 7, hash, strlen(hash));
        db_bind_int(st, 8, r->tenant_id);
        db_bind_text(st, 9, b->code, strlen(b->code));
        rc = db_step(st, e);
        db_reset(st);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int identity_demo(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e)
{
    struct arena *a = arena_new(1u << 20);
    struct req r;
    (void)seed;
    req_init_internal(&r, a, NULL, NULL);
    r.tenant_id = tenant_id;
    int rc = demo_users(&r, c, e);
    arena_free(a);
    return rc;
}

int identity_demo_user(struct req *r, struct db_conn *c, const struct identity_demo_user *u,
                       int64_t *id, struct err *e)
{
    struct db_stmt *st;
    *id = 0;
    int rc = db_prepare(c,
                        "INSERT INTO users (tenant_id, version, created_at, updated_at, username, "
                        "display_name, person_id, role_id, password_hash, must_change_password, "
                        "active) SELECT ?, 1, ?, ?, ?, ?, ?, ro.id, u.password_hash, 0, 1 FROM "
                        "roles ro, users u WHERE ro.tenant_id = ? AND ro.code = ? AND "
                        "u.tenant_id = ? AND u.username = ? RETURNING id",
                        &st, e);
    if (rc)
        return rc;
    int64_t now = clock_now();
    db_bind_int(st, 1, r->tenant_id);
    db_bind_int(st, 2, now);
    db_bind_int(st, 3, now);
    db_bind_text(st, 4, u->username, strlen(u->username));
    if (u->display_name)
        db_bind_text(st, 5, u->display_name, strlen(u->display_name));
    else
        db_bind_null(st, 5);
    db_bind_int_or_null(st, 6, u->person_id);
    db_bind_int(st, 7, r->tenant_id);
    db_bind_text(st, 8, u->role, strlen(u->role));
    db_bind_int(st, 9, r->tenant_id);
    db_bind_text(st, 10, u->role, strlen(u->role)); /* the demo user of the role */
    if ((rc = db_step(st, e)) == DB_ROW)
        *id = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}
