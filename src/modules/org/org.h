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
int org_tenant_before_write(struct req *r, struct db_conn *c, const struct res_entity *ent,
                            int64_t id, struct json_t *old, struct json_t *rec, struct err *e);
/* tenants: seeds a new tenant, forgets cached settings of a changed one. */
int org_tenant_after_write(struct req *r, struct db_conn *c, const struct res_entity *ent,
                           int64_t id, struct json_t *old, struct json_t *rec, struct err *e);

/* calendar_days: drops the tenant's cached calendar. */
int org_calendar_after_write(struct req *r, struct db_conn *c, const struct res_entity *ent,
                             int64_t id, struct json_t *old, struct json_t *rec, struct err *e);

/* ---- lookup.c: what other modules ask (never the tables themselves) ----
 * Names are arena memory of r, NULL when the record or the name is missing;
 * 0 or a negative ERR_*. An id of 0 is "nobody". */
/* A person's name and department (either out may be NULL). */
int org_person(struct req *r, struct db_conn *c, int64_t person, const char **name, int64_t *dept,
               struct err *e);
int org_department_name(struct req *r, struct db_conn *c, int64_t dept, const char **name,
                        struct err *e);

/* Inserts the national rank table (office_area_standards) for a tenant. */
int org_seed_tenant(struct db_conn *c, int64_t tenant_id, struct err *e);
/* A realistic synthetic district: ~100 departments, 4,000+ people. */
int org_demo(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e);

#endif
