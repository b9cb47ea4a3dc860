/* SPDX-License-Identifier: MIT
 * tmpdb.h - a throw-away SQLite database file for the unit tests:
 *
 *   char path[64];
 *   tmpdb_path(path, sizeof(path), "jobs");   // /tmp/bureau-jobs-XXXXXX, not yet created
 *   … db_open(&db, path, &(struct db_options){.create = 1}, &e) …
 *   tmpdb_remove(path);                       // the file, -wal and -shm
 */
#ifndef BUREAU_TEST_TMPDB_H
#define BUREAU_TEST_TMPDB_H

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

#endif
