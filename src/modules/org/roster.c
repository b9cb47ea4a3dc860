/* SPDX-License-Identifier: MIT
 * org/roster.c - a tenant's whole organisation at once (org.h): every
 * department, every person, every rank, for the reports and demo data of
 * other modules that fold thousands of records in C instead of asking one
 * row at a time. One query each; arena memory sorted by id, found by binary
 * search.
 */
#include "org.h"
#include "../../base/arena.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"

#include <string.h>

/* Makes room for one more element of size sz in *v (n used, *cap allocated). */
static int grow(struct req *r, void **v, int n, int *cap, size_t sz, struct err *e)
{
    if (n < *cap)
        return 0;
    int more = *cap ? *cap * 2 : 256;
    void *p = arena_realloc(r->a, *v, sz * (size_t)*cap, sz * (size_t)more);
    if (!p)
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    *v = p;
    *cap = more;
    return 0;
}

/* A name dropped for the memory cap is an error, not a silent NULL. */
static int over_budget(struct req *r, struct err *e)
{
    return arena_over(r->a) ? err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded")
                            : 0;
}

static const char *text_col(struct req *r, struct db_stmt *st, int k)
{
    return db_col_is_null(st, k) ? NULL : arena_strdup(r->a, db_col_text(st, k, NULL));
}

static int64_t int_col(struct db_stmt *st, int k)
{
    return db_col_is_null(st, k) ? 0 : db_col_int(st, k);
}

int org_dept_list_load(struct req *r, struct db_conn *c, struct org_dept_list *out, struct err *e)
{
    struct db_stmt *st;
    int cap = 0;
    void *v = NULL;
    memset(out, 0, sizeof(*out));
    int rc =
        db_prepare_ints(c,
                        "SELECT id, name, kind, parent_id, sort_order, headcount FROM departments "
                        "WHERE tenant_id = ? ORDER BY id",
                        DB_INTS(r->tenant_id), &st, e);
    if (rc)
        return rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        if ((rc = grow(r, &v, out->n, &cap, sizeof(*out->v), e)))
            break;
        out->v = v;
        struct org_dept_row *d = &out->v[out->n++];
        d->id = db_col_int(st, 0);
        d->name = text_col(r, st, 1);
        d->kind = text_col(r, st, 2);
        d->parent_id = int_col(st, 3);
        d->sort_order = int_col(st, 4);
        d->has_headcount = !db_col_is_null(st, 5);
        d->headcount = int_col(st, 5);
    }
    db_reset(st);
    return rc < 0 ? rc : over_budget(r, e);
}

const struct org_dept_row *org_dept_list_find(const struct org_dept_list *l, int64_t id)
{
    int lo = 0, hi = l->n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (l->v[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < l->n && l->v[lo].id == id ? &l->v[lo] : NULL;
}

int org_person_list_load(struct req *r, struct db_conn *c, struct org_person_list *out,
                         struct err *e)
{
    struct db_stmt *st;
    int cap = 0;
    void *v = NULL;
    memset(out, 0, sizeof(*out));
    int rc = db_prepare_ints(c,
                             "SELECT id, name, department_id, rank_id, active FROM people WHERE "
                             "tenant_id = ? ORDER BY id",
                             DB_INTS(r->tenant_id), &st, e);
    if (rc)
        return rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        if ((rc = grow(r, &v, out->n, &cap, sizeof(*out->v), e)))
            break;
        out->v = v;
        struct org_person_row *p = &out->v[out->n++];
        p->id = db_col_int(st, 0);
        p->name = text_col(r, st, 1);
        p->department_id = int_col(st, 2);
        p->rank_id = int_col(st, 3);
        p->active = db_col_int(st, 4) != 0;
    }
    db_reset(st);
    return rc < 0 ? rc : over_budget(r, e);
}

const struct org_person_row *org_person_list_find(const struct org_person_list *l, int64_t id)
{
    int lo = 0, hi = l->n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (l->v[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < l->n && l->v[lo].id == id ? &l->v[lo] : NULL;
}

int org_rank_list_load(struct req *r, struct db_conn *c, struct org_rank_list *out, struct err *e)
{
    struct db_stmt *st;
    int cap = 0;
    void *v = NULL;
    memset(out, 0, sizeof(*out));
    int rc =
        db_prepare_ints(c,
                        "SELECT id, level, sort_order, max_office_m2, name, code FROM ranks WHERE "
                        "tenant_id = ? ORDER BY level, sort_order, id LIMIT 1000",
                        DB_INTS(r->tenant_id), &st, e);
    if (rc)
        return rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        if ((rc = grow(r, &v, out->n, &cap, sizeof(*out->v), e)))
            break;
        out->v = v;
        struct org_rank_row *k = &out->v[out->n++];
        k->id = db_col_int(st, 0);
        k->level = text_col(r, st, 1);
        k->sort_order = int_col(st, 2);
        k->max_office_m2 = int_col(st, 3);
        k->name = text_col(r, st, 4);
        k->code = text_col(r, st, 5);
    }
    db_reset(st);
    return rc < 0 ? rc : over_budget(r, e);
}

const struct org_rank_row *org_rank_list_find(const struct org_rank_list *l, int64_t id)
{
    for (int i = 0; i < l->n; i++) /* a few dozen rows, ordered by level */
        if (l->v[i].id == id)
            return &l->v[i];
    return NULL;
}
