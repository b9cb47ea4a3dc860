/* SPDX-License-Identifier: MIT
 * query.h - list queries: parse the query string, plan against the entity,
 * build parameterised SQL with keyset paging.
 *
 *   ?field=v  ?field[op]=v  (op: eq ne lt lte gt gte in contains prefix null)
 *   ?q=text  ?sort=-field  ?limit=50 (1..500)  ?after=CURSOR
 *
 * Unknown parameters, fields that are not filterable, bad operators and
 * values of the wrong type are refused with ERR_BAD_QUERY naming the field.
 */
#ifndef BUREAU_QUERY_H
#define BUREAU_QUERY_H

#include "perm.h"
#include "res.h"
#include "value.h"

struct arena;
struct buf;
struct db_dialect_sql;
struct db_stmt;

#define QUERY_MAX_FILTERS 16
#define QUERY_MAX_IN 100
#define QUERY_LIMIT_MAX 500
#define QUERY_LIMIT_DEFAULT 50

enum query_op { Q_EQ, Q_NE, Q_LT, Q_LTE, Q_GT, Q_GTE, Q_IN, Q_CONTAINS, Q_PREFIX, Q_NULL };

struct query_filter {
    const struct res_field *f;
    enum query_op op;
    int nvals;
    struct res_val *vals; /* Q_IN: nvals values; Q_NULL: vals[0].i is 1 or 0 */
};

struct query {
    const struct res_entity *ent;
    struct query_filter filters[QUERY_MAX_FILTERS];
    int nfilters;
    const char *q; /* text search */
    const struct res_field *sort; /* NULL: by id */
    int sort_col;                 /* index of sort in res_cols */
    /* the collation of collated text (res_collated): its sort, range filters
     * and cursor; zh_pinyin unless the caller sets the tenant's */
    const char *collate;
    int desc;
    int limit;  /* rows per page */
    int export; /* no limit (export), keyset ignored */
    int count;  /* ?count=exact: the answer says how many rows match (total) */
    /* keyset position, from the cursor */
    int has_after;
    int after_null;
    struct res_val after_val;
    int64_t after_id;
    /* the caller's row scope and the fields hidden from them (perm.h) */
    struct perm_filter pf;
    const unsigned char *hide; /* res_cols order; NULL: only descriptor-hidden */
};

/* What ?field= / ?field[op]= and ?sort= accept: the one rule that the
 * parser, OpenAPI and the UI metadata share. */
int query_filterable(const struct res_field *f);
int query_sortable(const struct res_field *f);

/* Parses one parameter into q. Returns 0 or ERR_BAD_QUERY / ERR_BAD_CURSOR. */
int query_param(struct arena *a, struct query *q, const char *key, const char *val,
                struct err *e);
void query_init(struct query *q, const struct res_entity *ent);
/* Appends "SELECT … FROM … WHERE … ORDER BY … LIMIT n" to sql (fetches limit+1
 * rows so the caller knows whether there is a next page). */
void query_sql(const struct query *q, const struct db_dialect_sql *d, int tenant_scoped,
               struct buf *sql);
/* Binds the parameters of query_sql's statement. */
void query_bind(const struct query *q, struct db_stmt *st, int64_t tenant_id);
/* "SELECT COUNT(*) …" of every row q matches, whatever page it is on, and
 * its binding. */
void query_count_sql(const struct query *q, const struct db_dialect_sql *d, int tenant_scoped,
                     struct buf *sql);
void query_count_bind(const struct query *q, struct db_stmt *st, int64_t tenant_id);
/* Makes the cursor that continues after the current row of st. */
char *query_cursor(struct arena *a, const struct query *q, struct db_stmt *st);

#endif
