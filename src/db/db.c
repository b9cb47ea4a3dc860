/* SPDX-License-Identifier: MIT
 * db.c - backend selection, per-thread connections and the dispatch layer
 * over the backend vtable; see db.h.
 */
#include "db.h"
#include "../base/arena.h"
#include "../base/base.h"
#include "../base/err.h"

#include <pthread.h>
#include <string.h>

struct db_common {
    pthread_mutex_t mu;
    pthread_key_t key;
};

static _Thread_local uint64_t thread_db_us;

void db_account_us(uint64_t us)
{
    thread_db_us += us;
}

uint64_t db_thread_time_us(void)
{
    return thread_db_us;
}

static int is_pg_url(const char *url)
{
    return !strncmp(url, "postgres://", 11) || !strncmp(url, "postgresql://", 13);
}

int db_open(struct db **out, const char *url, const struct db_options *opt, struct err *e)
{
    struct db *db = core_calloc(1, sizeof(*db));
    struct db_common *cm = core_calloc(1, sizeof(*cm));
    pthread_mutex_init(&cm->mu, NULL);
    pthread_key_create(&cm->key, NULL);
    db->lock = cm;
    db->url = core_strdup(url);
    if (opt)
        db->opt = *opt;
    if (!db->opt.busy_timeout_ms)
        db->opt.busy_timeout_ms = 5000;
    db->be = is_pg_url(url) ? &db_pg_backend : &db_sqlite_backend;
    int rc = db->be->open(db, url, &db->opt, e);
    if (rc) {
        pthread_key_delete(cm->key);
        pthread_mutex_destroy(&cm->mu);
        core_free(cm);
        core_free(db->url);
        core_free(db);
        return rc;
    }
    *out = db;
    return 0;
}

void db_close(struct db *db)
{
    if (!db)
        return;
    struct db_common *cm = db->lock;
    pthread_mutex_lock(&cm->mu);
    struct db_conn *c = db->conns;
    db->conns = NULL;
    pthread_mutex_unlock(&cm->mu);
    while (c) {
        struct db_conn *n = c->next;
        db->be->disconnect(c);
        c = n;
    }
    db->be->close(db);
    pthread_key_delete(cm->key);
    pthread_mutex_destroy(&cm->mu);
    core_free(cm);
    core_free(db->url);
    core_free(db);
}

enum db_dialect db_dialect(const struct db *db)
{
    return db->be == &db_pg_backend ? DB_PG : DB_SQLITE;
}

const struct db_dialect_sql *db_sql(const struct db *db)
{
    return db->be->sql;
}

static void unlink_conn(struct db *db, struct db_conn *c)
{
    struct db_common *cm = db->lock;
    pthread_mutex_lock(&cm->mu);
    for (struct db_conn **p = &db->conns; *p; p = &(*p)->next) {
        if (*p == c) {
            *p = c->next;
            break;
        }
    }
    pthread_mutex_unlock(&cm->mu);
}

struct db_conn *db_conn(struct db *db, struct err *e)
{
    struct db_common *cm = db->lock;
    struct db_conn *c = pthread_getspecific(cm->key);
    if (c && (c->broken || !db->be->alive(c))) {
        unlink_conn(db, c);
        db->be->disconnect(c);
        pthread_setspecific(cm->key, NULL);
        c = NULL;
    }
    if (c)
        return c;
    c = db->be->connect(db, e);
    if (!c)
        return NULL;
    c->db = db;
    pthread_mutex_lock(&cm->mu);
    c->next = db->conns;
    db->conns = c;
    pthread_mutex_unlock(&cm->mu);
    pthread_setspecific(cm->key, c);
    return c;
}

void db_conn_close_thread(struct db *db)
{
    struct db_common *cm = db->lock;
    struct db_conn *c = pthread_getspecific(cm->key);
    if (!c)
        return;
    unlink_conn(db, c);
    db->be->disconnect(c);
    pthread_setspecific(cm->key, NULL);
}

int db_prepare(struct db_conn *c, const char *sql, struct db_stmt **out, struct err *e)
{
    return c->db->be->prepare(c, sql, out, e);
}

/* statements begin with a pointer to their connection (see backends) */
struct db_stmt_head {
    struct db_conn *conn;
};
#define BE(s) (((struct db_stmt_head *)(void *)(s))->conn->db->be)

int db_bind_int(struct db_stmt *s, int idx, int64_t v)
{
    return BE(s)->bind_int(s, idx, v);
}
int db_bind_text(struct db_stmt *s, int idx, const char *p, size_t n)
{
    return BE(s)->bind_text(s, idx, p, n);
}
int db_bind_double(struct db_stmt *s, int idx, double v)
{
    return BE(s)->bind_double(s, idx, v);
}
int db_bind_null(struct db_stmt *s, int idx)
{
    return BE(s)->bind_null(s, idx);
}
int db_bind_int_or_null(struct db_stmt *s, int idx, int64_t v)
{
    return v ? db_bind_int(s, idx, v) : db_bind_null(s, idx);
}
static int cancelled(struct db *db, struct err *e)
{
    if (!__atomic_load_n(&db->cancelled, __ATOMIC_ACQUIRE))
        return 0;
    return err_set(e, ERR_SHUTDOWN, NULL, NULL, "the server is shutting down");
}

void db_cancel(struct db *db)
{
    struct db_common *cm = db->lock;
    __atomic_store_n(&db->cancelled, 1, __ATOMIC_RELEASE);
    pthread_mutex_lock(&cm->mu);
    for (struct db_conn *c = db->conns; c; c = c->next)
        if (db->be->interrupt)
            db->be->interrupt(c);
    pthread_mutex_unlock(&cm->mu);
}

int db_step(struct db_stmt *s, struct err *e)
{
    int rc0 = cancelled(((struct db_stmt_head *)(void *)s)->conn->db, e);
    if (rc0)
        return rc0;
    uint64_t t0 = clock_us();
    int rc = BE(s)->step(s, e);
    db_account_us(clock_us() - t0);
    return rc;
}
int db_col_count(struct db_stmt *s)
{
    return BE(s)->col_count(s);
}
const char *db_col_name(struct db_stmt *s, int i)
{
    return BE(s)->col_name(s, i);
}
int db_col_is_null(struct db_stmt *s, int i)
{
    return BE(s)->col_is_null(s, i);
}
int64_t db_col_int(struct db_stmt *s, int i)
{
    return BE(s)->col_int(s, i);
}
double db_col_double(struct db_stmt *s, int i)
{
    return BE(s)->col_double(s, i);
}
const char *db_col_text(struct db_stmt *s, int i, size_t *len)
{
    return BE(s)->col_text(s, i, len);
}
int64_t db_changes(struct db_stmt *s)
{
    return BE(s)->changes(s);
}
void db_reset(struct db_stmt *s)
{
    BE(s)->reset(s);
}

int db_exec(struct db_conn *c, const char *sql, struct err *e)
{
    int rc0 = cancelled(c->db, e);
    if (rc0)
        return rc0;
    uint64_t t0 = clock_us();
    int rc = c->db->be->exec(c, sql, e);
    db_account_us(clock_us() - t0);
    return rc;
}

int db_begin(struct db_conn *c, struct err *e)
{
    static uint64_t serial;
    int rc0 = cancelled(c->db, e);
    if (rc0)
        return rc0;
    int rc = c->db->be->begin(c, e);
    if (!rc) {
        c->in_tx = 1;
        c->nhooks = 0;
        c->tx_serial = __atomic_add_fetch(&serial, 1, __ATOMIC_RELAXED);
    }
    return rc;
}

int db_before_commit(struct db_conn *c, db_commit_fn fn, void *arg, struct err *e)
{
    if (!c->in_tx || c->nhooks >= DB_MAX_HOOKS)
        return err_set(e, ERR_INTERNAL, NULL, NULL, "no room for a before-commit hook");
    c->hooks[c->nhooks].fn = fn;
    c->hooks[c->nhooks].arg = arg;
    c->nhooks++;
    return 0;
}

uint64_t db_tx_serial(const struct db_conn *c)
{
    return c->tx_serial;
}

int db_commit(struct db_conn *c, struct err *e)
{
    int rc = 0;
    for (int i = 0; i < c->nhooks && !rc; i++)
        rc = c->hooks[i].fn(c, c->hooks[i].arg, e);
    c->nhooks = 0;
    if (rc)
        return db_rollback(c), rc;
    rc = db_exec(c, "COMMIT", e);
    if (rc)
        return db_rollback(c), rc;
    c->in_tx = 0;
    if (c->db->be->end_tx)
        c->db->be->end_tx(c);
    return rc;
}

int db_rollback(struct db_conn *c)
{
    struct err e;
    c->nhooks = 0;
    if (!c->in_tx)
        return 0;
    c->in_tx = 0;
    int rc = c->db->be->exec(c, "ROLLBACK", &e);
    if (c->db->be->end_tx)
        c->db->be->end_tx(c);
    return rc;
}

int db_in_tx(struct db_conn *c)
{
    return c->in_tx;
}

void db_set_deadline(struct db_conn *c, uint64_t deadline_us)
{
    c->db->be->set_deadline(c, deadline_us);
}

int db_backup(struct db *db, const char *path, struct err *e)
{
    return db->be->backup(db, path, e);
}

int db_prepare_ints(struct db_conn *c, const char *sql, const int64_t *args, int n,
                    struct db_stmt **st, struct err *e)
{
    int rc = db_prepare(c, sql, st, e);
    for (int i = 0; !rc && i < n; i++)
        rc = db_bind_int(*st, i + 1, args[i]);
    if (rc && *st) {
        db_reset(*st);
        *st = NULL;
        return err_set(e, ERR_INTERNAL, NULL, NULL, "cannot bind parameter of %.80s", sql);
    }
    return rc;
}

int db_one_int(struct db_conn *c, const char *sql, const int64_t *args, int n, int64_t *out,
               struct err *e)
{
    struct db_stmt *st;
    *out = 0;
    int rc = db_prepare_ints(c, sql, args, n, &st, e);
    if (rc)
        return rc;
    if ((rc = db_step(st, e)) == DB_ROW && !db_col_is_null(st, 0))
        *out = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : rc == DB_ROW;
}

int64_t db_exec_ints(struct db_conn *c, const char *sql, const int64_t *args, int n, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare_ints(c, sql, args, n, &st, e);
    if (rc)
        return rc;
    rc = db_step(st, e);
    int64_t changed = db_changes(st);
    db_reset(st);
    return rc < 0 ? rc : changed;
}

int db_one_text(struct db_conn *c, struct arena *a, const char *sql, const int64_t *args, int n,
                const char **out, struct err *e)
{
    struct db_stmt *st;
    *out = NULL;
    int rc = db_prepare_ints(c, sql, args, n, &st, e);
    if (rc)
        return rc;
    if ((rc = db_step(st, e)) == DB_ROW && !db_col_is_null(st, 0)) {
        size_t len;
        const char *t = db_col_text(st, 0, &len);
        *out = arena_strndup(a, t, len);
    }
    db_reset(st);
    return rc < 0 ? rc : rc == DB_ROW;
}
