/* SPDX-License-Identifier: MIT
 * migrate.h - versioned schema migrations, applied at start in one
 * transaction and recorded in bureau_migrations.
 *
 * Version N's steps are derived from the descriptors (tables and fields
 * whose `since` is N) plus the hand-written steps modules declare for N.
 * A database newer than this binary is refused with a clear message.
 */
#ifndef BUREAU_MIGRATE_H
#define BUREAU_MIGRATE_H

struct db;
struct err;

/* Brings db to `target` (0 = this binary's version). *from receives the
 * version found (0 for a new database) when from is not NULL. */
int migrate_run(struct db *db, int target, int *from, struct err *e);
/* The version recorded in db (0 when none). */
int migrate_current(struct db *db, int *version, struct err *e);

#endif
