/* SPDX-License-Identifier: MIT
 * org.h - the organisation module: tenants, departments, ranks, people.
 */
#ifndef BUREAU_ORG_H
#define BUREAU_ORG_H

#include "../../engine/res.h"
#include "../../engine/module.h"

#include <stdint.h>

extern const struct res_entity org_tenants, org_departments, org_ranks, org_people,
    org_calendar_days;
extern const struct module org_module;

struct req;
struct db_conn;
/* tenants: only the first tenant creates tenants. */
int org_tenant_before_write(struct res_write *w);
/* tenants: seeds a new tenant, forgets cached settings of a changed one. */
int org_tenant_after_write(struct res_write *w);
/* people: a rank of the tenant's level only (422 naming rank_id). */
int org_person_before_write(struct res_write *w);

/* calendar_days.c: a changed day has working time counted again
 * (calendar.h); whether the years in use are entered */
int org_calendar_after_write(struct res_write *w);
/* GET /api/v1/calendar/coverage */
int org_calendar_coverage(struct req *r);
/* The dashboard's warning card while a needed year is missing. */
int org_summary(struct req *r, struct db_conn *c, json_t *cards, struct err *e);
/* The daily job org.calendar_coverage: administrators told once per missing year. */
struct job_ctx;
int org_job_calendar(struct job_ctx *j, struct err *e);

/* What other modules ask of the organisation (never the tables themselves),
 * for r's tenant. Texts are arena memory of r, NULL when the record or the
 * text is missing; an id of 0 is "nobody". */

/* A person as other modules see them; 0 for an id not set. */
struct org_person_row {
    int64_t id, department_id, rank_id;
    int active; /* in post */
    const char *name;
};
struct org_dept_row {
    int64_t id, parent_id, sort_order;
    int64_t headcount; /* established posts; has_headcount 0: not set */
    int has_headcount;
    const char *name, *kind;
};
struct org_rank_row {
    int64_t id, sort_order;
    int64_t max_office_m2; /* hundredths of m² */
    const char *level, *code, *name;
};

/* ---- lookup.c: one record at a time; 0 or a negative ERR_* ---- */
/* The "assigned" scope of records that name a person (an asset's custodian,
 * a meal card's holder): the caller's own person, as res_entity.assigned_to
 * wants it (-1 when the caller has no person: nothing is theirs). */
int org_assigned_self(struct req *r, struct db_conn *c, int64_t **ids, int *n, struct err *e);
/* A person's name and department (either out may be NULL). */
int org_person(struct req *r, struct db_conn *c, int64_t person, const char **name, int64_t *dept,
               struct err *e);
/* A person's name, department, rank and whether in post: 1 found, 0 not
 * (out all zero), or a negative ERR_*. */
int org_person_get(struct req *r, struct db_conn *c, int64_t person, struct org_person_row *out,
                   struct err *e);
/* A person's name and mobile (NULL when none): 1 found, 0 not, or ERR_*. */
int org_person_contact(struct req *r, struct db_conn *c, int64_t person, const char **name,
                       const char **phone, struct err *e);
int org_department_name(struct req *r, struct db_conn *c, int64_t dept, const char **name,
                        struct err *e);
/* The ids of a department's people (not its sub-departments'), ascending,
 * arena memory. */
int org_department_people(struct req *r, struct db_conn *c, int64_t dept, int64_t **ids, int *n,
                          struct err *e);

/* An active union member (people.union_member) and their department. */
struct org_member {
    int64_t id, department_id;
};
/* The active union members of the tenant (dept 0) or of department dept and
 * its sub-departments, by id ascending, arena memory. */
int org_union_members(struct req *r, struct db_conn *c, int64_t dept, struct org_member **out,
                      int *n, struct err *e);

/* ---- roster.c: the whole organisation at once, for reports and demo data
 * that fold many records in C (one query, never one per row). Arena memory
 * of r; departments and people sorted by id and found by binary search
 * (NULL when absent); 0 or a negative ERR_*. ---- */
struct org_dept_list {
    struct org_dept_row *v;
    int n;
};
struct org_person_list {
    struct org_person_row *v;
    int n;
};
struct org_rank_list {
    struct org_rank_row *v; /* ordered by level, sort_order (the top post first), id */
    int n;
};
int org_dept_list_load(struct req *r, struct db_conn *c, struct org_dept_list *out, struct err *e);
const struct org_dept_row *org_dept_list_find(const struct org_dept_list *l, int64_t id);
int org_person_list_load(struct req *r, struct db_conn *c, struct org_person_list *out,
                         struct err *e);
const struct org_person_row *org_person_list_find(const struct org_person_list *l, int64_t id);
/* Every rank of every level (at most 1000). */
int org_rank_list_load(struct req *r, struct db_conn *c, struct org_rank_list *out, struct err *e);
const struct org_rank_row *org_rank_list_find(const struct org_rank_list *l, int64_t id);

/* ---- staff.c: people for other modules' demo data, by id ---- */
/* Up to max active people whose post is exactly post, other than except. */
int org_people_in_post(struct req *r, struct db_conn *c, const char *post, int64_t except,
                       int64_t *ids, int max, int *n, struct err *e);
/* The k-th (from 0) active permanent (not contract) member of staff; 0 when
 * there are fewer. */
int org_staff_nth(struct req *r, struct db_conn *c, int k, int64_t *id, struct err *e);

/* Inserts the national rank table (office_area_standards) for a tenant. */
int org_seed_tenant(struct db_conn *c, int64_t tenant_id, struct err *e);
/* A realistic synthetic district: ~100 departments, 4,000+ people. */
int org_demo(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e);

#endif
