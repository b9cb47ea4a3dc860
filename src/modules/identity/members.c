/* SPDX-License-Identifier: MIT
 * identity/members.c - the users behind a role or a department
 * (identity.h): who a notification to a role or a department reaches, and
 * which users of some roles file the requests of demo data. Ids ascending,
 * arena memory of r.
 */
#include "identity.h"
#include "../../base/arena.h"
#include "../../base/buf.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../org/org.h"

#include <string.h>

/* Appends v to the growing array *ids (n used, *cap allocated). */
static int push(struct req *r, int64_t **ids, int *n, int *cap, int64_t v, struct err *e)
{
    if (*n == *cap) {
        int more = *cap ? *cap * 2 : 64;
        int64_t *p =
            arena_realloc(r->a, *ids, sizeof(**ids) * (size_t)*cap, sizeof(**ids) * (size_t)more);
        if (!p)
            return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
        *ids = p;
        *cap = more;
    }
    (*ids)[(*n)++] = v;
    return 0;
}

int identity_role_users(struct req *r, struct db_conn *c, const char *role, int64_t **ids, int *n,
                        struct err *e)
{
    struct db_stmt *st;
    int cap = 0;
    *ids = NULL;
    *n = 0;
    int rc =
        db_prepare_ints(c,
                        "SELECT u.id FROM users u JOIN roles ro ON ro.tenant_id = u.tenant_id AND "
                        "ro.id = u.role_id WHERE u.tenant_id = ? AND ro.code = ? AND u.active = 1 "
                        "ORDER BY u.id",
                        DB_INTS(r->tenant_id), &st, e);
    if (rc)
        return rc;
    db_bind_text(st, 2, role, strlen(role));
    while ((rc = db_step(st, e)) == DB_ROW)
        if ((rc = push(r, ids, n, &cap, db_col_int(st, 0), e)))
            break;
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static int has(const int64_t *v, int n, int64_t x)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo] == x;
}

int identity_department_users(struct req *r, struct db_conn *c, int64_t dept, int64_t **ids, int *n,
                              struct err *e)
{
    struct db_stmt *st;
    int64_t *people;
    int np, cap = 0;
    *ids = NULL;
    *n = 0;
    int rc = org_department_people(r, c, dept, &people, &np, e);
    if (rc || !np)
        return rc;
    if ((rc = db_prepare_ints(
             c,
             "SELECT id, person_id FROM users WHERE tenant_id = ? AND active = 1 AND "
             "person_id IS NOT NULL ORDER BY id",
             DB_INTS(r->tenant_id), &st, e)))
        return rc;
    while ((rc = db_step(st, e)) == DB_ROW)
        if (has(people, np, db_col_int(st, 1)) &&
            (rc = push(r, ids, n, &cap, db_col_int(st, 0), e)))
            break;
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int identity_users_in_roles(struct req *r, struct db_conn *c, const char *const *roles,
                            struct identity_member **out, int *n, struct err *e)
{
    struct db_stmt *st;
    struct buf sql;
    int cap = 0, nroles = 0;
    *out = NULL;
    *n = 0;
    buf_init(&sql, r->a);
    buf_puts(&sql, "SELECT u.id, u.person_id FROM users u JOIN roles ro ON ro.tenant_id = "
                   "u.tenant_id AND ro.id = u.role_id WHERE u.tenant_id = ? AND u.person_id IS "
                   "NOT NULL AND ro.code IN (");
    for (; roles[nroles]; nroles++)
        buf_puts(&sql, nroles ? ", ?" : "?");
    buf_puts(&sql, ") ORDER BY u.id");
    if (!nroles)
        return 0;
    if (!buf_ok(&sql))
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    int rc = db_prepare_ints(c, sql.p, DB_INTS(r->tenant_id), &st, e);
    if (rc)
        return rc;
    for (int k = 0; k < nroles; k++)
        db_bind_text(st, k + 2, roles[k], strlen(roles[k]));
    while ((rc = db_step(st, e)) == DB_ROW) {
        if (*n == cap) {
            int more = cap ? cap * 2 : 64;
            struct identity_member *p = arena_realloc(r->a, *out, sizeof(**out) * (size_t)cap,
                                                      sizeof(**out) * (size_t)more);
            if (!p) {
                rc = err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
                break;
            }
            *out = p;
            cap = more;
        }
        struct identity_member *m = &(*out)[(*n)++];
        m->id = db_col_int(st, 0);
        m->person_id = db_col_int(st, 1);
        m->department_id = 0;
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    /* each one's department, from the organisation (a few dozen users) */
    for (int i = 0; i < *n; i++)
        if ((rc = org_person(r, c, (*out)[i].person_id, NULL, &(*out)[i].department_id, e)))
            return rc;
    return 0;
}
