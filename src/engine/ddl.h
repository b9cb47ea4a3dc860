/* SPDX-License-Identifier: MIT
 * ddl.h - tables and indexes derived from the entity descriptors, per dialect.
 */
#ifndef BUREAU_DDL_H
#define BUREAU_DDL_H

#include "res.h"

struct buf;
struct db_dialect_sql;

/* Statements (each ending in ";\n") that bring the schema from version
 * `version - 1` to `version`: new tables of that version with their
 * indexes, then new columns of older tables, then (PostgreSQL) foreign keys. */
void ddl_version(struct buf *b, const struct db_dialect_sql *d, int version);
/* The whole schema as a fresh database gets it (all versions, in order). */
void ddl_all(struct buf *b, const struct db_dialect_sql *d);
/* The column type of f in dialect d. */
const char *ddl_type(const struct res_field *f, const struct db_dialect_sql *d);

#endif
