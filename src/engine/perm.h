/* SPDX-License-Identifier: MIT
 * perm.h - what the caller may do: a role grants verbs (read, create,
 * update, delete, export, import, or a named action) on collections with a
 * scope (own records, own department, department subtree, whole tenant),
 * and may hide fields. The verb "unmask" shows masked fields (res_field.mask)
 * in full. Enforced here, once, for every route.
 */
#ifndef BUREAU_PERM_H
#define BUREAU_PERM_H

#include "res.h"

#include <stddef.h>

struct buf;
struct db_stmt;

enum perm_scope {
    SCOPE_NONE = 0,
    SCOPE_OWN = 1,     /* records the caller created */
    SCOPE_DEPT = 2,    /* records of the caller's department */
    SCOPE_SUBTREE = 3, /* … or of its descendants */
    SCOPE_TENANT = 4,  /* every record of the tenant */
    SCOPE_ASSIGNED = 5, /* records assigned to a team the caller belongs to (assign_field) */
};

/* The caller's scope for verb on ent; SCOPE_NONE when not granted.
 * Internal requests (no principal, e.g. jobs) have SCOPE_TENANT. */
int perm_scope(struct req *r, const struct res_entity *ent, const char *verb);
/* 0 when granted (and remembers the scope for the record and query layers),
 * else ERR_UNAUTHENTICATED (anonymous) or ERR_FORBIDDEN, with a message. */
int perm_check(struct req *r, const struct res_entity *ent, const char *verb);
/* 1 when field f of ent is hidden from the caller. */
int perm_hidden(struct req *r, const struct res_entity *ent, const struct res_field *f);
/* Drops cached role definitions (after a role changed in this process). */
void perm_forget_role(int64_t role_id);

/* The row filter a scope means for ent: field = one, or field IN list.
 * field NULL: no filter (whole tenant, or an internal request). */
struct perm_filter {
    const char *field;
    int64_t one;
    const int64_t *list;
    int n;
    int none; /* matches nothing */
};
/* The filter for the scope perm_check() granted on ent in this request. */
void perm_filter(struct req *r, const struct res_entity *ent, struct perm_filter *pf);
/* Appends " AND …" with placeholders for pf (nothing when no filter). */
void perm_filter_sql(const struct perm_filter *pf, struct buf *sql);
/* Binds pf's values from index k; returns the next index. */
int perm_filter_bind(const struct perm_filter *pf, struct db_stmt *st, int k);
/* Fills mask[ncols] (res_cols order) with PERM_HIDDEN for fields hidden from
 * the caller (and for fields hidden from everyone) and PERM_MASKED for masked
 * fields (res_field.mask) the caller's role may not "unmask" on ent. Either
 * mark keeps the field out of the caller's input, filters and sort; a masked
 * field is still sent, masked. Returns arena memory or NULL. */
#define PERM_HIDDEN 1
#define PERM_MASKED 2
unsigned char *perm_hidden_mask(struct req *r, const struct res_entity *ent);
/* Checks that a record about to be written with these department values lies
 * in the caller's scope (ERR_FORBIDDEN naming the field otherwise). */
int perm_check_dept(struct req *r, const struct res_entity *ent, int64_t dept, int has_dept);
/* 1 when a role permissions document is well formed; else 0 with a message. */
struct err_item;
int perm_valid_document(struct json_t *perms, struct json_t *hidden, struct err_item *why);

#endif
