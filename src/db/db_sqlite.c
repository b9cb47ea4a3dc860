/* SPDX-License-Identifier: MIT
 * db_sqlite.c - the SQLite backend behind db.h: one connection per thread in
 * WAL mode, a bounded per-connection statement cache keyed by SQL text,
 * deadlines through the progress handler, error mapping to ERR_* codes and
 * the online backup. It does not know about bureau's schema (migrate.c does).
 */
#include "db.h"
#include "collate.h"
#include "stmtcache.h"
#include "../base/base.h"
#include "../base/err.h"

#include <pthread.h>
#include <sqlite3.h>
#include <time.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PROGRESS_OPS 1000 /* VM steps between deadline checks */
#define BACKUP_PAGES 1024 /* pages copied per backup step */

struct sq_stmt {
    struct db_cached c; /* first: the cache's part (and the connection) */
    sqlite3_stmt *st;
    int64_t changes; /* rows changed when the statement last completed */
};

/* Per database: writers of this process take wlock before BEGIN IMMEDIATE,
 * so they queue on a mutex instead of sleeping in SQLite's busy handler; a
 * checkpointer thread copies the WAL back into the database off the request
 * path (connections have wal_autocheckpoint off and signal it instead). */
struct sq_db {
    pthread_mutex_t wlock;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t thread;
    int running, stop, wanted;
};

#define CHECKPOINT_PAGES 1000

struct sq_conn {
    struct db_conn base; /* first: the common header */
    int holds_wlock;
    sqlite3 *h;
    uint64_t deadline_us;      /* caller's deadline (db_set_deadline), 0 = none */
    uint64_t stmt_deadline_us; /* statement_timeout_ms of the running statement */
    uint64_t busy_since_us;    /* first retry of the current lock wait */
    struct db_stmt_cache cache;
};

static const struct db_dialect_sql sqlite_sql = {
    .ilike = "LIKE",
    .t_id = "INTEGER PRIMARY KEY AUTOINCREMENT", /* ids are never reused */
    .t_int = "INTEGER",
    .t_text = "TEXT",
    .t_bool = "INTEGER",
    .t_date = "TEXT",
    .t_json = "TEXT",
    .composite_keys = 0,
    .collations = "", /* registered on each connection (collate.h) */
};

static struct sq_stmt *ST(struct db_stmt *s)
{
    return (struct sq_stmt *)(void *)s;
}

static struct sq_conn *CONN(struct db_conn *c)
{
    return (struct sq_conn *)(void *)c;
}

/* Copies the last column name of a constraint message into out:
 * "UNIQUE constraint failed: people.tenant_id, people.code" gives "code". */
static void last_column(const char *msg, char *out, size_t n)
{
    out[0] = 0;
    const char *p = strstr(msg, "failed: ");
    if (!p)
        return;
    p += 8;
    const char *comma = strrchr(p, ',');
    if (comma)
        p = comma + 1;
    while (*p == ' ')
        p++;
    if (!strncmp(p, "index '", 7)) {
        /* unique index on expressions: report the index name */
        p += 7;
    } else {
        const char *dot = strrchr(p, '.');
        if (dot)
            p = dot + 1;
    }
    size_t len = strcspn(p, "' \n");
    if (len >= n)
        len = n - 1;
    memcpy(out, p, len);
    out[len] = 0;
}

/* Maps a SQLite result code (extended codes are on) to a negative ERR_*. */
static int sq_error(struct sq_conn *c, int rc, struct err *e)
{
    const char *msg = c ? sqlite3_errmsg(c->h) : sqlite3_errstr(rc);
    char field[64];

    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
        last_column(msg, field, sizeof(field));
        if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
            return err_set(e, ERR_UNIQUE, field[0] ? field : NULL, "field.unique",
                           "value already used");
        if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
            return err_set(e, ERR_REFERENCED, NULL, NULL,
                           "a referenced record does not exist or the record is referenced");
        if (rc == SQLITE_CONSTRAINT_NOTNULL)
            return err_set(e, ERR_INVALID, field[0] ? field : NULL, "field.required",
                           "is required");
        return err_set(e, ERR_INVALID, NULL, "db.constraint", "%s", msg);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return err_set(e, ERR_DB_BUSY, NULL, NULL, "database is busy (%s)", msg);
    case SQLITE_INTERRUPT:
        return err_set(e, ERR_TIMEOUT, NULL, NULL, "statement interrupted: time limit reached");
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
        return err_set(e, ERR_DB_UNAVAILABLE, NULL, NULL, "database cannot be written (%s)", msg);
    default:
        return err_set(e, ERR_DB, NULL, NULL, "sqlite: %s", msg);
    }
}

/* Interrupts the running statement when a deadline has passed. */
static int progress(void *arg)
{
    struct sq_conn *c = arg;
    if (!c->deadline_us && !c->stmt_deadline_us)
        return 0;
    uint64_t now = clock_us();
    if (c->deadline_us && now > c->deadline_us)
        return 1;
    return c->stmt_deadline_us && now > c->stmt_deadline_us;
}

/* Waits for a lock like sqlite3_busy_timeout, but gives up at the caller's
 * deadline too, so a request never outlives it waiting for the writer. */
static int on_busy(void *arg, int n)
{
    static const int delay_ms[] = {1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100};
    struct sq_conn *c = arg;
    uint64_t now = clock_us();
    if (n == 0)
        c->busy_since_us = now;
    uint64_t end = c->busy_since_us + (uint64_t)c->base.db->opt.busy_timeout_ms * 1000u;
    if (c->deadline_us && c->deadline_us < end)
        end = c->deadline_us;
    if (now >= end)
        return 0;
    int last = (int)ARRAY_LEN(delay_ms) - 1;
    uint64_t ms = (uint64_t)delay_ms[n < last ? n : last];
    if (ms * 1000u > end - now)
        ms = (end - now + 999) / 1000;
    sqlite3_sleep((int)ms);
    return 1;
}

static void start_statement_clock(struct sq_conn *c)
{
    int ms = c->base.db->opt.statement_timeout_ms;
    c->stmt_deadline_us = ms > 0 ? clock_us() + (uint64_t)ms * 1000u : 0;
}

static int open_handle(const char *path, int flags, sqlite3 **out)
{
    sqlite3 *h = NULL;
    int rc = sqlite3_open_v2(path, &h, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_close(h);
        *out = NULL;
        return rc;
    }
    sqlite3_extended_result_codes(h, 1);
    *out = h;
    return SQLITE_OK;
}

/* Runs a statement that returns one text value (a pragma) into out. */
static int query_text(sqlite3 *h, const char *sql, char *out, size_t n)
{
    sqlite3_stmt *st = NULL;
    out[0] = 0;
    int rc = sqlite3_prepare_v2(h, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            const unsigned char *t = sqlite3_column_text(st, 0);
            snprintf(out, n, "%s", t ? (const char *)t : "");
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

/* Checks, once, that path is a database we can use, creating it when allowed. */
static void start_checkpointer(struct db *db);

static int sq_open(struct db *db, const char *path, const struct db_options *opt, struct err *e)
{
    struct stat sb;
    char val[32];
    sqlite3 *h = NULL;
    int rc, ret = 0;

    if (!path[0])
        return err_set(e, ERR_DB_UNAVAILABLE, NULL, NULL, "no database path given");
    if (stat(path, &sb) == 0) {
        if (S_ISDIR(sb.st_mode))
            return err_set(e, ERR_DB_SCHEMA, NULL, NULL,
                           "%.200s is not a bureau database (it is a directory)", path);
    } else if (!opt->create || opt->readonly) {
        return err_set(e, ERR_DB_UNAVAILABLE, NULL, NULL, "database %.200s does not exist (%s)",
                       path, strerror(errno));
    }
    if (!opt->readonly) {
        /* WAL needs PATH-wal and PATH-shm beside the file */
        char dir[PATH_MAX];
        const char *slash = strrchr(path, '/');
        if (!slash)
            snprintf(dir, sizeof(dir), ".");
        else if (slash == path)
            snprintf(dir, sizeof(dir), "/");
        else
            snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
        if (access(dir, W_OK | X_OK) != 0)
            return err_set(e, ERR_DB_UNAVAILABLE, NULL, NULL,
                           "directory %.200s is not writable (%s); SQLite keeps its WAL there", dir,
                           strerror(errno));
    }

    int flags = opt->readonly ? SQLITE_OPEN_READONLY
                              : SQLITE_OPEN_READWRITE | (opt->create ? SQLITE_OPEN_CREATE : 0);
    rc = open_handle(path, flags, &h);
    if (rc != SQLITE_OK)
        return err_set(e, ERR_DB_UNAVAILABLE, NULL, NULL, "cannot open %.200s (%s)", path,
                       sqlite3_errstr(rc));
    sqlite3_busy_timeout(h, opt->busy_timeout_ms);
    if (!opt->readonly && sqlite3_db_readonly(h, "main") == 1) {
        ret = err_set(e, ERR_DB_UNAVAILABLE, NULL, NULL,
                      "%.200s is read-only (write access needed)", path);
        goto out;
    }
    rc = query_text(h, "SELECT count(*) FROM sqlite_master", val, sizeof(val));
    if (rc != SQLITE_OK) {
        if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT)
            ret = err_set(e, ERR_DB_SCHEMA, NULL, NULL, "%.200s is not a bureau database (%s)",
                          path, sqlite3_errmsg(h));
        else if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
            ret = err_set(e, ERR_DB_BUSY, NULL, NULL, "%.200s is locked (%s)", path,
                          sqlite3_errmsg(h));
        else
            ret = err_set(e, ERR_DB_UNAVAILABLE, NULL, NULL, "cannot read %.200s (%s)", path,
                          sqlite3_errmsg(h));
        goto out;
    }
    if (opt->readonly)
        goto out;
    rc = query_text(h, "PRAGMA journal_mode=WAL", val, sizeof(val));
    if (rc != SQLITE_OK || strcmp(val, "wal")) {
        ret = err_set(e, ERR_DB_UNAVAILABLE, NULL, NULL, "cannot put %.200s in WAL mode (%s)", path,
                      rc != SQLITE_OK ? sqlite3_errmsg(h) : val);
        goto out;
    }
    /* take and release the write lock: proves the file and its WAL are writable */
    rc = sqlite3_exec(h, "BEGIN IMMEDIATE; ROLLBACK", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        if ((rc & 0xff) == SQLITE_BUSY)
            ret = err_set(e, ERR_DB_BUSY, NULL, NULL, "%.200s is locked (%s)", path,
                          sqlite3_errmsg(h));
        else
            ret = err_set(e, ERR_DB_UNAVAILABLE, NULL, NULL, "%.200s cannot be written (%s)", path,
                          sqlite3_errmsg(h));
    }
out:
    sqlite3_close(h);
    if (!ret)
        start_checkpointer(db);
    return ret;
}

static void *checkpointer(void *arg)
{
    struct db *db = arg;
    struct sq_db *p = db->priv;
    sqlite3 *h = NULL;
    if (open_handle(db->url, SQLITE_OPEN_READWRITE, &h) != SQLITE_OK) {
        sqlite3_close(h);
        return NULL;
    }
    sqlite3_busy_timeout(h, 100);
    /* a connection that never read anything does not know the WAL yet and
     * its checkpoints would do nothing: read once */
    sqlite3_exec(h, "PRAGMA journal_mode", NULL, NULL, NULL);
    pthread_mutex_lock(&p->mu);
    while (!p->stop) {
        if (!p->wanted) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_sec += 1; /* also a slow periodic pass */
            pthread_cond_timedwait(&p->cv, &p->mu, &ts);
        }
        p->wanted = 0;
        pthread_mutex_unlock(&p->mu);
        int logged = 0, done = 0;
        sqlite3_wal_checkpoint_v2(h, NULL, SQLITE_CHECKPOINT_PASSIVE, &logged, &done);
        if (logged >= 4 * CHECKPOINT_PAGES) {
            /* a long WAL: pause this process's writers so the log starts over
             * (RESTART waits briefly for readers) instead of growing */
            pthread_mutex_lock(&p->wlock);
            sqlite3_wal_checkpoint_v2(h, NULL, SQLITE_CHECKPOINT_RESTART, NULL, NULL);
            pthread_mutex_unlock(&p->wlock);
        }
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    /* a last full pass so the WAL is small when the process stops */
    sqlite3_wal_checkpoint_v2(h, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    sqlite3_close(h);
    return NULL;
}

static int on_wal(void *arg, sqlite3 *h, const char *name, int pages)
{
    struct db *db = arg;
    struct sq_db *p = db->priv;
    (void)h;
    (void)name;
    if (pages >= CHECKPOINT_PAGES && p->running) {
        pthread_mutex_lock(&p->mu);
        p->wanted = 1;
        pthread_cond_signal(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
    return SQLITE_OK;
}

static void start_checkpointer(struct db *db)
{
    struct sq_db *p = core_calloc(1, sizeof(*p));
    pthread_mutex_init(&p->wlock, NULL);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    db->priv = p;
    if (!db->opt.readonly && !pthread_create(&p->thread, NULL, checkpointer, db))
        p->running = 1;
}

static void sq_close(struct db *db)
{
    struct sq_db *p = db->priv;
    if (!p)
        return;
    if (p->running) {
        pthread_mutex_lock(&p->mu);
        p->stop = 1;
        pthread_cond_signal(&p->cv);
        pthread_mutex_unlock(&p->mu);
        pthread_join(p->thread, NULL);
    }
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    pthread_mutex_destroy(&p->wlock);
    core_free(p);
    db->priv = NULL;
}

static struct db_conn *sq_connect(struct db *db, struct err *e)
{
    static const char setup[] = "PRAGMA synchronous=NORMAL;"
                                "PRAGMA foreign_keys=ON;"
                                "PRAGMA cache_size=-16000;"
                                "PRAGMA temp_store=MEMORY;"
                                "PRAGMA journal_size_limit=67108864;";
    sqlite3 *h;
    int flags = db->opt.readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    int rc = open_handle(db->url, flags, &h);
    if (rc != SQLITE_OK) {
        err_set(e, ERR_DB_UNAVAILABLE, NULL, NULL, "cannot open %.200s (%s)", db->url,
                sqlite3_errstr(rc));
        return NULL;
    }
    struct sq_conn *c = core_calloc(1, sizeof(*c));
    c->base.db = db;
    c->h = h;
    sqlite3_busy_handler(h, on_busy, c);
    sqlite3_progress_handler(h, PROGRESS_OPS, progress, c);
    struct sq_db *p = db->priv;
    if (p && p->running) {
        /* checkpoints run in the checkpointer thread, not in the request */
        sqlite3_wal_autocheckpoint(h, 0);
        sqlite3_wal_hook(h, on_wal, db);
    }
    rc = sqlite3_exec(h, setup, NULL, NULL, NULL);
    if (rc == SQLITE_OK && collate_register(h))
        rc = SQLITE_ERROR; /* the names' collations (collate.h) */
    if (rc != SQLITE_OK) {
        err_set(e, ERR_DB_UNAVAILABLE, NULL, NULL, "cannot set up %.200s (%s)", db->url,
                sqlite3_errmsg(h));
        sqlite3_close(h);
        core_free(c);
        return NULL;
    }
    return &c->base;
}

static int sq_alive(struct db_conn *c)
{
    return 1;
}

static void free_stmt(struct db_cached *c)
{
    struct sq_stmt *s = (struct sq_stmt *)(void *)c;
    sqlite3_finalize(s->st);
    stmtcache_release(c);
    core_free(s);
}

static void sq_end_tx(struct db_conn *conn);

static void sq_disconnect(struct db_conn *conn)
{
    struct sq_conn *c = CONN(conn);
    sq_end_tx(conn); /* never leave this process's writer lock held */
    stmtcache_clear(&c->cache, free_stmt);
    sqlite3_close(c->h);
    core_free(c);
}

static int sq_prepare(struct db_conn *conn, const char *sql, struct db_stmt **out, struct err *e)
{
    struct sq_conn *c = CONN(conn);
    int full;
    *out = NULL;
    struct db_cached *hit = stmtcache_take(&c->cache, sql), *old;
    if (hit) {
        *out = (struct db_stmt *)(void *)hit;
        return 0;
    }
    if ((old = stmtcache_room(&c->cache, &full)))
        free_stmt(old);
    if (full)
        return err_set(e, ERR_INTERNAL, NULL, NULL,
                       "statement cache full: {n}%d statements not reset", c->cache.n);

    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    int rc = sqlite3_prepare_v3(c->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, &tail);
    if (rc != SQLITE_OK)
        return sq_error(c, rc, e);
    while (tail && (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == ';'))
        tail++;
    if (!st || (tail && *tail)) {
        sqlite3_finalize(st);
        return err_set(e, ERR_INTERNAL, NULL, NULL, "prepare needs exactly one statement");
    }
    struct sq_stmt *s = core_calloc(1, sizeof(*s));
    s->c.conn = conn;
    s->st = st;
    stmtcache_add(&c->cache, &s->c, sql);
    *out = (struct db_stmt *)(void *)s;
    return 0;
}

static int bind_rc(int rc)
{
    if (rc == SQLITE_OK)
        return 0;
    if (rc == SQLITE_RANGE || rc == SQLITE_MISUSE)
        return -ERR_INTERNAL;
    if (rc == SQLITE_TOOBIG)
        return -ERR_TOO_LARGE;
    return -ERR_DB;
}

static int sq_bind_int(struct db_stmt *s, int idx, int64_t v)
{
    return bind_rc(sqlite3_bind_int64(ST(s)->st, idx, v));
}

static int sq_bind_text(struct db_stmt *s, int idx, const char *p, size_t n)
{
    return bind_rc(
        sqlite3_bind_text64(ST(s)->st, idx, p ? p : "", p ? n : 0, SQLITE_TRANSIENT, SQLITE_UTF8));
}

static int sq_bind_double(struct db_stmt *s, int idx, double v)
{
    return bind_rc(sqlite3_bind_double(ST(s)->st, idx, v));
}

static int sq_bind_null(struct db_stmt *s, int idx)
{
    return bind_rc(sqlite3_bind_null(ST(s)->st, idx));
}

static int sq_step(struct db_stmt *stmt, struct err *e)
{
    struct sq_stmt *s = ST(stmt);
    struct sq_conn *c = CONN(s->c.conn);

    if (!sqlite3_stmt_busy(s->st))
        start_statement_clock(c);
    int rc = sqlite3_step(s->st);
    if (rc == SQLITE_ROW)
        return DB_ROW;
    c->stmt_deadline_us = 0;
    if (rc == SQLITE_DONE) {
        s->changes = sqlite3_stmt_readonly(s->st) ? 0 : sqlite3_changes64(c->h);
        return DB_DONE;
    }
    return sq_error(c, rc, e);
}

static int sq_col_count(struct db_stmt *s)
{
    return sqlite3_column_count(ST(s)->st);
}

static const char *sq_col_name(struct db_stmt *s, int i)
{
    const char *n = sqlite3_column_name(ST(s)->st, i);
    return n ? n : "";
}

static int sq_col_is_null(struct db_stmt *s, int i)
{
    return sqlite3_column_type(ST(s)->st, i) == SQLITE_NULL;
}

static int64_t sq_col_int(struct db_stmt *s, int i)
{
    return sqlite3_column_int64(ST(s)->st, i);
}

static double sq_col_double(struct db_stmt *s, int i)
{
    return sqlite3_column_double(ST(s)->st, i);
}

static const char *sq_col_text(struct db_stmt *s, int i, size_t *len)
{
    const unsigned char *t = sqlite3_column_text(ST(s)->st, i);
    if (!t) {
        if (len)
            *len = 0;
        return "";
    }
    if (len)
        *len = (size_t)sqlite3_column_bytes(ST(s)->st, i);
    return (const char *)t;
}

static int64_t sq_changes(struct db_stmt *s)
{
    return ST(s)->changes;
}

static void sq_reset(struct db_stmt *stmt)
{
    struct sq_stmt *s = ST(stmt);
    sqlite3_reset(s->st);
    sqlite3_clear_bindings(s->st);
    s->c.in_use = 0;
}

/* Called by db.c when a transaction ends (commit or rollback). */
static void sq_end_tx(struct db_conn *conn)
{
    struct sq_conn *c = CONN(conn);
    struct sq_db *p = conn->db->priv;
    if (c->holds_wlock) {
        c->holds_wlock = 0;
        pthread_mutex_unlock(&p->wlock);
    }
}

static int sq_exec(struct db_conn *conn, const char *sql, struct err *e)
{
    struct sq_conn *c = CONN(conn);
    /* an interrupted or failed write may already have rolled the transaction back */
    if (!strcmp(sql, "ROLLBACK") && sqlite3_get_autocommit(c->h))
        return 0;
    start_statement_clock(c);
    int rc = sqlite3_exec(c->h, sql, NULL, NULL, NULL);
    c->stmt_deadline_us = 0;
    return rc == SQLITE_OK ? 0 : sq_error(c, rc, e);
}

static int sq_begin(struct db_conn *conn, struct err *e)
{
    struct sq_conn *c = CONN(conn);
    struct sq_db *p = conn->db->priv;
    if (p && !c->holds_wlock) {
        /* queue behind this process's other writers, up to the deadline */
        uint64_t end = clock_us() + (uint64_t)conn->db->opt.busy_timeout_ms * 1000u;
        if (c->deadline_us && c->deadline_us < end)
            end = c->deadline_us;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        uint64_t wait = end > clock_us() ? end - clock_us() : 0;
        ts.tv_sec += (time_t)(wait / 1000000u);
        ts.tv_nsec += (long)(wait % 1000000u) * 1000;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        if (pthread_mutex_timedlock(&p->wlock, &ts))
            return err_set(e, ERR_DB_BUSY, NULL, NULL, "the database is busy: try again");
        c->holds_wlock = 1;
    }
    int rc = sq_exec(conn, "BEGIN IMMEDIATE", e);
    if (rc)
        sq_end_tx(conn);
    return rc;
}

static void sq_interrupt(struct db_conn *c)
{
    sqlite3_interrupt(CONN(c)->h); /* safe from any thread while the connection is open */
}

static void sq_set_deadline(struct db_conn *c, uint64_t deadline_us)
{
    CONN(c)->deadline_us = deadline_us;
}

static void fsync_dir(const char *path)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof(dir), ".");
    else
        snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 : (int)(slash - path), path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* Copies the database page by page from a fresh read connection that holds
 * one read transaction, so the copy is one consistent snapshot while writers
 * go on (WAL). Writes PATH.tmp and renames it over PATH at the end. */
static int sq_backup(struct db *db, const char *path, struct err *e)
{
    char tmp[PATH_MAX];
    sqlite3 *src = NULL, *dst = NULL;
    sqlite3_backup *b = NULL;
    int rc, ret = 0, in_read = 0;

    struct stat a, b_st;
    if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
        return err_set(e, ERR_BAD_REQUEST, NULL, NULL, "backup path too long");
    if (stat(path, &a) == 0 && stat(db->url, &b_st) == 0 && a.st_dev == b_st.st_dev &&
        a.st_ino == b_st.st_ino)
        return err_set(e, ERR_BAD_REQUEST, NULL, NULL,
                       "the backup cannot replace the database itself");
    if (unlink(tmp) != 0 && errno != ENOENT)
        return err_set(e, ERR_DB, NULL, NULL, "cannot remove %.200s (%s)", tmp, strerror(errno));

    rc = open_handle(db->url, SQLITE_OPEN_READONLY, &src);
    if (rc != SQLITE_OK) {
        ret = err_set(e, ERR_DB_UNAVAILABLE, NULL, NULL, "cannot open %.200s (%s)", db->url,
                      sqlite3_errstr(rc));
        goto out;
    }
    sqlite3_busy_timeout(src, db->opt.busy_timeout_ms);
    rc = sqlite3_exec(src, "BEGIN; SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        ret = err_set(e, ERR_DB, NULL, NULL, "backup: cannot read %.200s (%s)", db->url,
                      sqlite3_errmsg(src));
        goto out;
    }
    in_read = 1;
    rc = open_handle(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &dst);
    if (rc != SQLITE_OK) {
        ret = err_set(e, ERR_DB, NULL, NULL, "backup: cannot create %.200s (%s)", tmp,
                      sqlite3_errstr(rc));
        goto out;
    }
    b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b) {
        ret = err_set(e, ERR_DB, NULL, NULL, "backup: %s", sqlite3_errmsg(dst));
        goto out;
    }
    for (;;) {
        rc = sqlite3_backup_step(b, BACKUP_PAGES);
        if (rc == SQLITE_DONE)
            break;
        if (rc == SQLITE_OK)
            continue;
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
            sqlite3_sleep(50);
            continue;
        }
        ret = err_set(e, (rc & 0xff) == SQLITE_FULL ? ERR_DB_UNAVAILABLE : ERR_DB, NULL, NULL,
                      "backup to %.200s failed (%s)", tmp, sqlite3_errstr(rc));
        goto out;
    }
    rc = sqlite3_backup_finish(b);
    b = NULL;
    if (rc != SQLITE_OK) {
        ret =
            err_set(e, ERR_DB, NULL, NULL, "backup to %.200s failed (%s)", tmp, sqlite3_errstr(rc));
        goto out;
    }
    rc = sqlite3_close(dst);
    dst = NULL;
    if (rc != SQLITE_OK) {
        ret = err_set(e, ERR_DB, NULL, NULL, "backup: closing %.200s failed (%s)", tmp,
                      sqlite3_errstr(rc));
        goto out;
    }
    if (rename(tmp, path) != 0) {
        ret = err_set(e, ERR_DB, NULL, NULL, "backup: cannot rename to %.200s (%s)", path,
                      strerror(errno));
        goto out;
    }
    fsync_dir(path);
out:
    if (b)
        sqlite3_backup_finish(b);
    if (dst)
        sqlite3_close(dst);
    if (in_read)
        sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
    if (src)
        sqlite3_close(src);
    if (ret)
        unlink(tmp);
    return ret;
}

const struct db_backend db_sqlite_backend = {
    .name = "sqlite",
    .sql = &sqlite_sql,
    .open = sq_open,
    .close = sq_close,
    .connect = sq_connect,
    .alive = sq_alive,
    .disconnect = sq_disconnect,
    .prepare = sq_prepare,
    .bind_int = sq_bind_int,
    .bind_text = sq_bind_text,
    .bind_double = sq_bind_double,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .col_count = sq_col_count,
    .col_name = sq_col_name,
    .col_is_null = sq_col_is_null,
    .col_int = sq_col_int,
    .col_double = sq_col_double,
    .col_text = sq_col_text,
    .changes = sq_changes,
    .reset = sq_reset,
    .exec = sq_exec,
    .begin = sq_begin,
    .end_tx = sq_end_tx,
    .interrupt = sq_interrupt,
    .set_deadline = sq_set_deadline,
    .backup = sq_backup,
};
