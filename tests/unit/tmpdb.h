/* SPDX-License-Identifier: MIT
 * tmpdb.h - a throw-away SQLite database file for the unit tests:
 *
 *   char path[64];
 *   tmpdb_path(path, sizeof(path), "jobs");   // /tmp/bureau-jobs-XXXXXX, not yet created
 *   … db_open(&db, path, &(struct db_options){.create = 1}, &e) …
 *   tmpdb_remove(path);                       // the file, -wal and -shm
 *
 * and, on an open database, a connection and a statement that must work (the
 * test fails with the database's message otherwise):
 *
 *   struct db_conn *c = tmpdb_conn(db);
 *   tmpdb_exec(db, "UPDATE …");
 */
#ifndef BUREAU_TEST_TMPDB_H
#define BUREAU_TEST_TMPDB_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/err.h"
#include "db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* A fresh unique name: made by mkstemp, then removed so the database creates it. */
static inline void tmpdb_path(char *path, size_t n, const char *tag)
{
    snprintf(path, n, "/tmp/bureau-%s-XXXXXX", tag);
    int fd = mkstemp(path);
    if (fd < 0) {
        perror("mkstemp");
        abort();
    }
    close(fd);
    unlink(path);
}

static inline void tmpdb_remove(const char *path)
{
    static const char *const sfx[] = {"", "-wal", "-shm"};
    char p[512];
    for (int i = 0; i < 3; i++)
        if (snprintf(p, sizeof(p), "%s%s", path, sfx[i]) < (int)sizeof(p))
            unlink(p);
}

static inline struct db_conn *tmpdb_conn(struct db *db)
{
    struct err e;
    err_clear(&e);
    struct db_conn *c = db_conn(db, &e);
    if (!c)
        fail_msg("db_conn: %s", e.detail);
    return c;
}

static inline void tmpdb_exec(struct db *db, const char *sql)
{
    struct err e;
    err_clear(&e);
    if (db_exec(tmpdb_conn(db), sql, &e))
        fail_msg("exec %s: %s", sql, e.detail);
}

#endif
