/* SPDX-License-Identifier: MIT
 * fuzz_util.h - helpers shared by the fuzz targets (header-only, each target
 * is one translation unit): a loud invariant check, one-time library set-up
 * and a throw-away SQLite database with the schema, two tenants and the
 * rank table. Not part of the server; never linked into bureau.
 */
#ifndef BUREAU_FUZZ_UTIL_H
#define BUREAU_FUZZ_UTIL_H

#include "core/audit.h"
#include "base/err.h"
#include "db/db.h"
#include "engine/migrate.h"
#include "engine/res.h"
#include "modules/modules.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Invariant check that stays on in every build (assert may be compiled out). */
#define FUZZ_CHECK(cond, ...)                                                                      \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: invariant failed: %s: ", __FILE__, __LINE__, #cond);           \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static inline void fuzz_die(const char *what, const struct err *e)
{
    fprintf(stderr, "fuzz set-up: %s: %s (code %d)\n", what, e ? e->detail : "", e ? e->code : 0);
    abort();
}

/* libsodium and the entity registry; call once from LLVMFuzzerInitialize. */
static inline void fuzz_init_registry(void)
{
    struct err e;
    memset(&e, 0, sizeof(e));
    if (sodium_init() < 0)
        fuzz_die("sodium_init", NULL);
    if (engine_init(modules_list(), &e))
        fuzz_die("engine_init", &e);
}

static char fuzz_db_dir[64];
static char fuzz_db_path[96];

static inline void fuzz_db_cleanup(void)
{
    static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
    char p[128];
    for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
        snprintf(p, sizeof(p), "%s%s", fuzz_db_path, sfx[i]);
        unlink(p);
    }
    rmdir(fuzz_db_dir);
}

static inline void fuzz_exec(struct db_conn *c, const char *sql)
{
    struct err e;
    memset(&e, 0, sizeof(e));
    if (db_exec(c, sql, &e))
        fuzz_die(sql, &e);
}

/* Runs every module's per-tenant seed (org's ranks, identity's roles, …). */
static inline void fuzz_seed_tenant(struct db_conn *c, int64_t tenant_id)
{
    struct err e;
    memset(&e, 0, sizeof(e));
    for (const struct module *const *m = modules_list(); *m; m++)
        if ((*m)->seed_tenant && (*m)->seed_tenant(c, tenant_id, &e))
            fuzz_die((*m)->name, &e);
}

/* A new SQLite database in a temporary folder (removed at exit), migrated to
 * this binary's schema, with tenants 1 ("f") and 2 ("g") and tenant 1's
 * seeds. *out_conn receives this thread's connection. */
static inline struct db *fuzz_open_db(struct db_conn **out_conn)
{
    struct err e;
    struct db *db;
    struct db_options opt;
    memset(&e, 0, sizeof(e));
    memset(&opt, 0, sizeof(opt));
    const char *tmp = getenv("TMPDIR");
    snprintf(fuzz_db_dir, sizeof(fuzz_db_dir), "%s/bureau-fuzz-XXXXXX",
             tmp && *tmp && strlen(tmp) < 32 ? tmp : "/tmp");
    if (!mkdtemp(fuzz_db_dir))
        fuzz_die("mkdtemp", NULL);
    snprintf(fuzz_db_path, sizeof(fuzz_db_path), "%s/fuzz.db", fuzz_db_dir);
    atexit(fuzz_db_cleanup);
    opt.create = 1;
    if (db_open(&db, fuzz_db_path, &opt, &e))
        fuzz_die("db_open", &e);
    if (migrate_run(db, 0, NULL, &e))
        fuzz_die("migrate_run", &e);
    struct db_conn *c = db_conn(db, &e);
    if (!c)
        fuzz_die("db_conn", &e);
    fuzz_exec(c, "INSERT INTO tenants (version, created_at, updated_at, name, code, admin_level,"
                 " utc_offset_min) VALUES (1, 0, 0, 'f', 'f', 'county', 480)");
    fuzz_exec(c, "INSERT INTO tenants (version, created_at, updated_at, name, code, admin_level,"
                 " utc_offset_min) VALUES (1, 0, 0, 'g', 'g', 'county', 480)");
    fuzz_seed_tenant(c, 1);
    *out_conn = c;
    return db;
}

/* SELECT COUNT(*) of a fixed statement (sql from this file, not input). */
static inline long long fuzz_count(struct db_conn *c, const char *sql)
{
    struct err e;
    struct db_stmt *st;
    memset(&e, 0, sizeof(e));
    if (db_prepare(c, sql, &st, &e))
        fuzz_die(sql, &e);
    int rc = db_step(st, &e);
    if (rc != DB_ROW)
        fuzz_die(sql, &e);
    long long n = (long long)db_col_int(st, 0);
    db_reset(st);
    return n;
}

/* The audit chain (when the build has one): entries, and a check that every
 * tenant's chain still verifies. */
static inline const struct res_entity *fuzz_audit(void)
{
    return res_find("audit_entries", 13);
}

static inline void fuzz_audit_verify(struct db *db, const char *after)
{
    struct err e;
    memset(&e, 0, sizeof(e));
    if (!fuzz_audit())
        return;
    int rc = audit_verify(db, 0, NULL, &e);
    FUZZ_CHECK(rc == 0, "audit chain broken after %s: %s", after, e.detail);
}

/* Empties the audit chain of every tenant (the heads row goes with it). */
static inline void fuzz_audit_clear(struct db_conn *c)
{
    if (!fuzz_audit())
        return;
    fuzz_exec(c, "DELETE FROM audit_entries");
    fuzz_exec(c, "DELETE FROM bureau_audit_heads");
}

#endif
