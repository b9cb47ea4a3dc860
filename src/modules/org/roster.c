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

/* Every row sql selects for the tenant into an array of rows of size sz
 * (arena memory); fill reads the current row of st into the element. */
static int load(struct req *r, struct db_conn *c, const char *sql, size_t sz, void **out, int *n,
                void (*fill)(struct req *r, struct db_stmt *st, void *row), struct err *e)
{
    struct db_stmt *st;
    int cap = 0;
    *out = NULL;
    *n = 0;
    int rc = db_prepare_ints(c, sql, DB_INTS(r->tenant_id), &st, e);
    if (rc)
        return rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        if ((rc = grow(r, out, *n, &cap, sz, e)))
            break;
        fill(r, st, (char *)*out + sz * (size_t)(*n)++);
    }
    db_reset(st);
    return rc < 0 ? rc : over_budget(r, e);
}

/* The row with id of rows sorted by id whose first member is the id. */
static const void *find(const void *v, int n, size_t sz, int64_t id)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (*(const int64_t *)(const void *)((const char *)v + sz * (size_t)mid) < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    const char *at = (const char *)v + sz * (size_t)lo;
    return lo < n && *(const int64_t *)(const void *)at == id ? at : NULL;
}

static void fill_dept(struct req *r, struct db_stmt *st, void *row)
{
    struct org_dept_row *d = row;
    d->id = db_col_int(st, 0);
    d->name = text_col(r, st, 1);
    d->kind = text_col(r, st, 2);
    d->parent_id = int_col(st, 3);
    d->sort_order = int_col(st, 4);
    d->has_headcount = !db_col_is_null(st, 5);
    d->headcount = int_col(st, 5);
}

int org_dept_list_load(struct req *r, struct db_conn *c, struct org_dept_list *out, struct err *e)
{
    void *v;
    int rc = load(r, c,
                  "SELECT id, name, kind, parent_id, sort_order, headcount FROM departments "
                  "WHERE tenant_id = ? ORDER BY id",
                  sizeof(*out->v), &v, &out->n, fill_dept, e);
    out->v = v;
    return rc;
}

const struct org_dept_row *org_dept_list_find(const struct org_dept_list *l, int64_t id)
{
    return find(l->v, l->n, sizeof(*l->v), id);
}

static void fill_person(struct req *r, struct db_stmt *st, void *row)
{
    struct org_person_row *p = row;
    p->id = db_col_int(st, 0);
    p->name = text_col(r, st, 1);
    p->department_id = int_col(st, 2);
    p->rank_id = int_col(st, 3);
    p->active = db_col_int(st, 4) != 0;
}

int org_person_list_load(struct req *r, struct db_conn *c, struct org_person_list *out,
                         struct err *e)
{
    void *v;
    int rc = load(r, c,
                  "SELECT id, name, department_id, rank_id, active FROM people WHERE "
                  "tenant_id = ? ORDER BY id",
                  sizeof(*out->v), &v, &out->n, fill_person, e);
    out->v = v;
    return rc;
}

const struct org_person_row *org_person_list_find(const struct org_person_list *l, int64_t id)
{
    return find(l->v, l->n, sizeof(*l->v), id);
}

static void fill_rank(struct req *r, struct db_stmt *st, void *row)
{
    struct org_rank_row *k = row;
    k->id = db_col_int(st, 0);
    k->level = text_col(r, st, 1);
    k->sort_order = int_col(st, 2);
    k->max_office_m2 = int_col(st, 3);
    k->name = text_col(r, st, 4);
    k->code = text_col(r, st, 5);
}

int org_rank_list_load(struct req *r, struct db_conn *c, struct org_rank_list *out, struct err *e)
{
    void *v;
    int rc = load(r, c,
                  "SELECT id, level, sort_order, max_office_m2, name, code FROM ranks WHERE "
                  "tenant_id = ? ORDER BY level, sort_order, id LIMIT 1000",
                  sizeof(*out->v), &v, &out->n, fill_rank, e);
    out->v = v;
    return rc;
}

const struct org_rank_row *org_rank_list_find(const struct org_rank_list *l, int64_t id)
{
    for (int i = 0; i < l->n; i++) /* a few dozen rows, ordered by level */
        if (l->v[i].id == id)
            return &l->v[i];
    return NULL;
}
