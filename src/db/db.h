/* SPDX-License-Identifier: MIT
 * db.h - one database interface, two backends (SQLite, PostgreSQL).
 *
 * SQL is written once with '?' placeholders in the subset both engines run;
 * the PostgreSQL backend rewrites placeholders to $n. A struct db holds the
 * configuration and one connection per thread (opened lazily, closed by
 * db_close): SQLite connections in WAL mode, PostgreSQL connections that
 * reconnect when the server comes back. Statements are prepared once per
 * connection and cached by their SQL text.
 *
 * Ownership: db_prepare() returns a statement owned by the connection's
 * cache; callers bind, step, read columns and then db_reset() it. Text
 * returned by db_col_text() is valid until the next step/reset.
 * Errors: every call returns 0 (or DB_ROW/DB_DONE) or a negative ERR_* and
 * fills the caller's struct err; unique and foreign-key violations map to
 * ERR_UNIQUE (with the field) and ERR_REFERENCED, lost connections to
 * ERR_DB_UNAVAILABLE, busy to ERR_DB_BUSY, interrupted or cancelled
 * statements (deadline) to ERR_TIMEOUT. After any error inside a transaction
 * the caller rolls back (PostgreSQL aborts the whole transaction). Statement
 * pointers are valid only until the next db_conn() call after an error (a
 * broken connection is replaced together with its statement cache).
 */
#ifndef BUREAU_DB_H
#define BUREAU_DB_H

#include <stddef.h>
#include <stdint.h>

struct err;

enum db_dialect { DB_SQLITE = 1, DB_PG = 2 };

enum { DB_DONE = 0, DB_ROW = 1 };

struct db;
struct db_conn;
struct db_stmt;

struct db_options {
    int busy_timeout_ms;      /* SQLite busy timeout (default 5000) */
    int statement_timeout_ms; /* per statement (PG statement_timeout; SQLite progress check) */
    int readonly;             /* open for reading only (backup source) */
    int create;               /* SQLite: create the file when missing */
};

/* Dialect-specific SQL fragments, used by the engine (DDL, search). */
struct db_dialect_sql {
    const char *ilike;       /* "LIKE" (SQLite, ASCII case-insensitive) or "ILIKE" */
    const char *t_id;        /* primary key column type */
    const char *t_int;       /* 64-bit integer */
    const char *t_text;
    const char *t_bool;      /* stored 0/1 */
    const char *t_date;      /* YYYY-MM-DD */
    const char *t_json;
    int composite_keys;      /* 1: keys and foreign keys are (tenant_id, id) */
    const char *collations;  /* DDL that creates the names' collations (collate.h); "": none */
};

/* Opens url: "postgres://…" / "postgresql://…" selects PostgreSQL, anything
 * else is a SQLite file path. Checks that the database is reachable and is a
 * database (a clear message in err otherwise). */
int db_open(struct db **out, const char *url, const struct db_options *opt, struct err *e);
/* Closes every connection of every thread. Call after worker threads are gone. */
void db_close(struct db *db);
enum db_dialect db_dialect(const struct db *db);
const struct db_dialect_sql *db_sql(const struct db *db);
/* The calling thread's connection, opened (or reconnected) as needed. NULL and
 * ERR_DB_UNAVAILABLE when the database cannot be reached. */
struct db_conn *db_conn(struct db *db, struct err *e);
/* Cancels all work on db for good (shutdown): running SQLite statements are
 * interrupted and every later statement, begin or commit fails with
 * ERR_SHUTDOWN, so open transactions roll back instead of committing. */
void db_cancel(struct db *db);

/* Closes the calling thread's connection (e.g. when a worker thread ends). */
void db_conn_close_thread(struct db *db);

int db_prepare(struct db_conn *c, const char *sql, struct db_stmt **out, struct err *e);
int db_bind_int(struct db_stmt *s, int idx, int64_t v);         /* idx is 1-based */
int db_bind_text(struct db_stmt *s, int idx, const char *p, size_t n); /* copied */
int db_bind_double(struct db_stmt *s, int idx, double v);
int db_bind_null(struct db_stmt *s, int idx);
/* v, or NULL when v is 0 (an id or a figure that is "none" at 0). */
int db_bind_int_or_null(struct db_stmt *s, int idx, int64_t v);
/* Runs or advances: DB_ROW, DB_DONE or a negative ERR_*. */
int db_step(struct db_stmt *s, struct err *e);
int db_col_count(struct db_stmt *s);
const char *db_col_name(struct db_stmt *s, int i); /* 0-based */
int db_col_is_null(struct db_stmt *s, int i);
int64_t db_col_int(struct db_stmt *s, int i);
double db_col_double(struct db_stmt *s, int i);
const char *db_col_text(struct db_stmt *s, int i, size_t *len); /* "" for NULL */
/* Rows changed by the last completed INSERT/UPDATE/DELETE of s. */
int64_t db_changes(struct db_stmt *s);
/* Clears bindings and results so the cached statement can be reused. */
void db_reset(struct db_stmt *s);

/* The common shape of a lookup: sql with integer parameters only.
 *   int64_t n;
 *   rc = db_one_int(c, "SELECT COUNT(*) FROM t WHERE tenant_id = ? AND x = ?",
 *                   DB_INTS(tenant, x), &n, e);
 * db_prepare_ints prepares sql and binds args[0..n) to its parameters 1..n.
 * db_one_int reads column 0 of the first row as an integer (0 for NULL) and
 * db_one_text as text copied into arena a (NULL for NULL); both return 1
 * when there is a row, 0 when there is none (*out 0 or NULL), or a negative
 * ERR_*. */
#define DB_INTS(...)                                                                               \
    ((const int64_t[]){__VA_ARGS__}),                                                              \
        (int)(sizeof((const int64_t[]){__VA_ARGS__}) / sizeof(int64_t))
struct arena;
int db_prepare_ints(struct db_conn *c, const char *sql, const int64_t *args, int n,
                    struct db_stmt **st, struct err *e);
int db_one_int(struct db_conn *c, const char *sql, const int64_t *args, int n, int64_t *out,
               struct err *e);
/* Runs an INSERT/UPDATE/DELETE with integer parameters: the rows it
 * changed, or a negative ERR_*. */
int64_t db_exec_ints(struct db_conn *c, const char *sql, const int64_t *args, int n, struct err *e);
int db_one_text(struct db_conn *c, struct arena *a, const char *sql, const int64_t *args, int n,
                const char **out, struct err *e);

/* Runs one or more statements without parameters (DDL, pragmas). */
int db_exec(struct db_conn *c, const char *sql, struct err *e);
/* Transactions. db_begin takes the write lock at once on SQLite (IMMEDIATE). */
int db_begin(struct db_conn *c, struct err *e);
int db_commit(struct db_conn *c, struct err *e);
int db_rollback(struct db_conn *c);
int db_in_tx(struct db_conn *c);
/* Before-commit hooks: fn(c, arg, e) runs inside the open transaction just
 * before db_commit's COMMIT, in registration order, never on rollback; a
 * non-zero result rolls back and becomes db_commit's result. Registrations
 * end with the transaction. Returns 0, or ERR_INTERNAL outside a transaction
 * or when DB_MAX_HOOKS are registered. */
#define DB_BEFORE_COMMIT 1
#define DB_MAX_HOOKS 4
typedef int (*db_commit_fn)(struct db_conn *c, void *arg, struct err *e);
int db_before_commit(struct db_conn *c, db_commit_fn fn, void *arg, struct err *e);
/* Identifies the connection's current (or last) transaction: unique in the
 * process, changed by every db_begin. */
uint64_t db_tx_serial(const struct db_conn *c);

/* Sets a deadline (monotonic µs, 0 = none) after which running statements of
 * this connection are interrupted with ERR_TIMEOUT. */
void db_set_deadline(struct db_conn *c, uint64_t deadline_us);
/* Microseconds spent inside the database by this thread (for metrics). */
uint64_t db_thread_time_us(void);

/* Consistent copy of a running database to path (SQLite online backup);
 * PostgreSQL: ERR_BAD_REQUEST with a hint to use pg_dump. */
int db_backup(struct db *db, const char *path, struct err *e);

/* ---- backend interface (curl vtls style); used by db.c only ---- */
struct db_backend {
    const char *name;
    const struct db_dialect_sql *sql;
    int (*open)(struct db *db, const char *url, const struct db_options *opt, struct err *e);
    void (*close)(struct db *db);
    struct db_conn *(*connect)(struct db *db, struct err *e);
    int (*alive)(struct db_conn *c); /* 0: needs reconnect */
    void (*disconnect)(struct db_conn *c);
    int (*prepare)(struct db_conn *c, const char *sql, struct db_stmt **out, struct err *e);
    int (*bind_int)(struct db_stmt *s, int idx, int64_t v);
    int (*bind_text)(struct db_stmt *s, int idx, const char *p, size_t n);
    int (*bind_double)(struct db_stmt *s, int idx, double v);
    int (*bind_null)(struct db_stmt *s, int idx);
    int (*step)(struct db_stmt *s, struct err *e);
    int (*col_count)(struct db_stmt *s);
    const char *(*col_name)(struct db_stmt *s, int i);
    int (*col_is_null)(struct db_stmt *s, int i);
    int64_t (*col_int)(struct db_stmt *s, int i);
    double (*col_double)(struct db_stmt *s, int i);
    const char *(*col_text)(struct db_stmt *s, int i, size_t *len);
    int64_t (*changes)(struct db_stmt *s);
    void (*reset)(struct db_stmt *s);
    int (*exec)(struct db_conn *c, const char *sql, struct err *e);
    int (*begin)(struct db_conn *c, struct err *e);
    void (*end_tx)(struct db_conn *c); /* optional: after COMMIT or ROLLBACK */
    void (*interrupt)(struct db_conn *c); /* optional: stop a running statement (any thread) */
    void (*set_deadline)(struct db_conn *c, uint64_t deadline_us);
    int (*backup)(struct db *db, const char *path, struct err *e);
};

/* Common header of every backend's connection struct. */
struct db_conn {
    struct db *db;
    struct db_conn *next; /* list of all connections, for db_close */
    int in_tx;
    int broken; /* set by a backend when the connection was lost */
    uint64_t tx_serial; /* see db_tx_serial */
    int nhooks;         /* see db_before_commit */
    struct {
        db_commit_fn fn;
        void *arg;
    } hooks[DB_MAX_HOOKS];
};

/* Common part of struct db; backends keep their state in priv. */
struct db {
    const struct db_backend *be;
    struct db_options opt;
    char *url;
    void *priv;
    struct db_conn *conns;
    void *lock; /* pthread_mutex_t *, guards conns */
    unsigned key_index; /* thread-local slot */
    int cancelled;      /* db_cancel() was called */
};

extern const struct db_backend db_sqlite_backend;
extern const struct db_backend db_pg_backend;

/* Adds microseconds to this thread's database time (backends call it). */
void db_account_us(uint64_t us);

#endif
