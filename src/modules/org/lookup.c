/* SPDX-License-Identifier: MIT
 * org/lookup.c - what other modules ask of the organisation (org.h), one
 * record at a time: a person's name and department, their rank and whether
 * they are in post, their contact; a department's name. (Many at once:
 * roster.c.) Other modules never read these tables themselves.
 */
#include "org.h"
#include "../../base/arena.h"
#include "../../base/err.h"
#include "../../core/auth.h"
#include "../../core/http.h"
#include "../../db/db.h"

#include <string.h>

/* Column 0 (text) and 1 (integer) of sql's row for (tenant, id). */
static int one_row(struct req *r, struct db_conn *c, const char *sql, int64_t id, const char **text,
                   int64_t *num, struct err *e)
{
    struct db_stmt *st;
    if (text)
        *text = NULL;
    if (num)
        *num = 0;
    if (!id)
        return 0;
    int rc = db_prepare_ints(c, sql, DB_INTS(r->tenant_id, id), &st, e);
    if (rc)
        return rc;
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
    return one_row(r, c, "SELECT name, department_id FROM people WHERE tenant_id = ? AND id = ?",
                   person, name, dept, e);
}

int org_department_name(struct req *r, struct db_conn *c, int64_t dept, const char **name,
                        struct err *e)
{
    return one_row(r, c, "SELECT name, id FROM departments WHERE tenant_id = ? AND id = ?", dept,
                   name, NULL, e);
}

int org_person_get(struct req *r, struct db_conn *c, int64_t person, struct org_person_row *out,
                   struct err *e)
{
    struct db_stmt *st;
    memset(out, 0, sizeof(*out));
    if (!person)
        return 0;
    int rc =
        db_prepare_ints(c,
                        "SELECT name, department_id, rank_id, active FROM people WHERE tenant_id "
                        "= ? AND id = ?",
                        DB_INTS(r->tenant_id, person), &st, e);
    if (rc)
        return rc;
    int found = (rc = db_step(st, e)) == DB_ROW;
    if (found) {
        out->id = person;
        out->name = arena_strdup(r->a, db_col_text(st, 0, NULL));
        out->department_id = db_col_is_null(st, 1) ? 0 : db_col_int(st, 1);
        out->rank_id = db_col_is_null(st, 2) ? 0 : db_col_int(st, 2);
        out->active = db_col_int(st, 3) != 0;
    }
    db_reset(st);
    return rc < 0 ? rc : found;
}

int org_person_contact(struct req *r, struct db_conn *c, int64_t person, const char **name,
                       const char **phone, struct err *e)
{
    struct db_stmt *st;
    *name = *phone = NULL;
    if (!person)
        return 0;
    int rc = db_prepare_ints(c, "SELECT name, phone FROM people WHERE tenant_id = ? AND id = ?",
                             DB_INTS(r->tenant_id, person), &st, e);
    if (rc)
        return rc;
    int found = (rc = db_step(st, e)) == DB_ROW;
    if (found) {
        *name = arena_strdup(r->a, db_col_text(st, 0, NULL));
        if (!db_col_is_null(st, 1))
            *phone = arena_strdup(r->a, db_col_text(st, 1, NULL));
    }
    db_reset(st);
    return rc < 0 ? rc : found;
}

int org_department_people(struct req *r, struct db_conn *c, int64_t dept, int64_t **ids, int *n,
                          struct err *e)
{
    struct db_stmt *st;
    int cap = 0;
    *ids = NULL;
    *n = 0;
    int rc =
        db_prepare_ints(c,
                        "SELECT id FROM people WHERE tenant_id = ? AND department_id = ? ORDER BY "
                        "id",
                        DB_INTS(r->tenant_id, dept), &st, e);
    if (rc)
        return rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        if (*n == cap) {
            int more = cap ? cap * 2 : 64;
            int64_t *v = arena_realloc(r->a, *ids, sizeof(**ids) * (size_t)cap,
                                       sizeof(**ids) * (size_t)more);
            if (!v) {
                rc = err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
                break;
            }
            *ids = v;
            cap = more;
        }
        (*ids)[(*n)++] = db_col_int(st, 0);
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int org_union_members(struct req *r, struct db_conn *c, int64_t dept, struct org_member **out,
                      int *n, struct err *e)
{
    struct org_dept_list dl = {0};
    unsigned char *in = NULL;
    *out = NULL;
    *n = 0;
    int rc = 0;
    if (dept) {
        /* the department and its descendants: marked until nothing changes */
        if ((rc = org_dept_list_load(r, c, &dl, e)))
            return rc;
        in = arena_zalloc(r->a, (size_t)dl.n + 1);
        if (!in)
            return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
        for (int changed = 1; changed;) {
            changed = 0;
            for (int i = 0; i < dl.n; i++) {
                if (in[i])
                    continue;
                const struct org_dept_row *p =
                    dl.v[i].id == dept ? NULL : org_dept_list_find(&dl, dl.v[i].parent_id);
                if (dl.v[i].id == dept || (p && in[p - dl.v])) {
                    in[i] = 1;
                    changed = 1;
                }
            }
        }
    }
    struct db_stmt *st;
    int cap = 0;
    rc = db_prepare_ints(c,
                         "SELECT id, department_id FROM people WHERE tenant_id = ? AND "
                         "union_member = 1 AND active = 1 ORDER BY id",
                         DB_INTS(r->tenant_id), &st, e);
    if (rc)
        return rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        int64_t d = db_col_int(st, 1);
        if (dept) {
            const struct org_dept_row *p = org_dept_list_find(&dl, d);
            if (!p || !in[p - dl.v])
                continue;
        }
        if (*n == cap) {
            int more = cap ? cap * 2 : 256;
            struct org_member *v = arena_realloc(r->a, *out, sizeof(**out) * (size_t)cap,
                                                 sizeof(**out) * (size_t)more);
            if (!v) {
                rc = err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
                break;
            }
            *out = v;
            cap = more;
        }
        (*out)[*n].id = db_col_int(st, 0);
        (*out)[(*n)++].department_id = d;
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int org_assigned_self(struct req *r, struct db_conn *c, int64_t **ids, int *n, struct err *e)
{
    (void)c;
    (void)e;
    *n = 0;
    *ids = arena_alloc(r->a, sizeof(int64_t));
    if (!*ids || !r->who || !r->who->person_id)
        return -1;
    (*ids)[0] = r->who->person_id;
    *n = 1;
    return 0;
}
