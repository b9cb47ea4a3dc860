/* SPDX-License-Identifier: MIT
 * setting.h - a tenant's settings of a module: the rules a tenant may change
 * (a deadline in months, a speed limit, a grace period), kept as rows of the
 * module's settings collection — a res_entity with an enum field "name" and
 * an integer field "value", seeded from the sources and edited like any
 * record (audited) — and read here with the module's default when the
 * tenant has no row.
 */
#ifndef BUREAU_SETTING_H
#define BUREAU_SETTING_H

#include <stdint.h>

struct req;
struct db_conn;
struct res_entity;

/* Which row applies when a name has several (a rule being replaced). */
enum setting_pick {
    SETTING_NEWEST,   /* the row written last */
    SETTING_SMALLEST, /* the strictest: the smallest value */
};

/* The value of setting name in ent for r's tenant; dflt when there is no
 * row or it cannot be read (a setting never stops the work it tunes). */
int64_t setting_int(struct req *r, struct db_conn *c, const struct res_entity *ent,
                    const char *name, int64_t dflt, enum setting_pick pick);

#endif
