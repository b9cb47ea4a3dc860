/* SPDX-License-Identifier: MIT
 * t_db.c - the db.h contract on both backends: statements, the statement
 * cache, error mapping (unique, foreign key, timeout), transactions, and per
 * thread connections. The SQLite group always runs (temp dir); the PostgreSQL
 * group runs against $BUREAU_TEST_PG (scripts/pg.sh start) and is skipped
 * without it. Backup, "not a database" and reconnects have their own tests.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "base/err.h"
#include "db/db.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct fx {
    struct db *db;
    const char *pg_url; /* NULL: SQLite */
    char dir[64];
    char path[128];
};

static struct fx sq_fx, pg_fx;

/* ---- helpers ---- */

static struct fx *fx_of(void **state)
{
    struct fx *f = *state;
    if (!f->db)
        skip(); /* only the PostgreSQL group without BUREAU_TEST_PG */
    return f;
}

static struct db_conn *conn_of(struct fx *f)
{
    struct err e;
    err_clear(&e);
    struct db_conn *c = db_conn(f->db, &e);
    if (!c)
        fail_msg("db_conn: %s", e.detail);
    return c;
}

static void exec_ok(struct db_conn *c, const char *sql)
{
    struct err e;
    err_clear(&e);
    int rc = db_exec(c, sql, &e);
    if (rc)
        fail_msg("exec %s: %d %s", sql, rc, e.detail);
}

static struct db_stmt *prep(struct db_conn *c, const char *sql)
{
    struct err e;
    struct db_stmt *s = NULL;
    err_clear(&e);
    int rc = db_prepare(c, sql, &s, &e);
    if (rc)
        fail_msg("prepare %s: %d %s", sql, rc, e.detail);
    assert_non_null(s);
    return s;
}

/* Runs a query returning one integer. */
static int64_t query_int(struct db_conn *c, const char *sql)
{
    struct err e;
    err_clear(&e);
    struct db_stmt *s = prep(c, sql);
    int rc = db_step(s, &e);
    if (rc != DB_ROW)
        fail_msg("step %s: %d %s", sql, rc, e.detail);
    int64_t v = db_col_int(s, 0);
    db_reset(s);
    return v;
}

static int64_t add_org(struct db_conn *c, int64_t tenant, const char *name)
{
    struct err e;
    err_clear(&e);
    struct db_stmt *s = prep(c, "INSERT INTO orgs (tenant_id, name) VALUES (?, ?) RETURNING id");
    assert_int_equal(db_bind_int(s, 1, tenant), 0);
    assert_int_equal(db_bind_text(s, 2, name, strlen(name)), 0);
    int rc = db_step(s, &e);
    if (rc != DB_ROW)
        fail_msg("insert org: %d %s", rc, e.detail);
    int64_t id = db_col_int(s, 0);
    assert_int_equal(db_step(s, &e), DB_DONE);
    db_reset(s);
    return id;
}

/* Inserts a person; returns db_step's result (DB_DONE or -ERR_*). */
static int add_person(struct db_conn *c, int64_t tenant, const char *code, const char *email,
                      int64_t org_id, struct err *e)
{
    err_clear(e);
    struct db_stmt *s =
        prep(c, "INSERT INTO people (tenant_id, code, email, org_id) VALUES (?, ?, ?, ?)");
    assert_int_equal(db_bind_int(s, 1, tenant), 0);
    assert_int_equal(db_bind_text(s, 2, code, strlen(code)), 0);
    if (email)
        assert_int_equal(db_bind_text(s, 3, email, strlen(email)), 0);
    else
        assert_int_equal(db_bind_null(s, 3), 0);
    if (org_id)
        assert_int_equal(db_bind_int(s, 4, org_id), 0);
    else
        assert_int_equal(db_bind_null(s, 4), 0);
    int rc = db_step(s, e);
    db_reset(s);
    return rc;
}

static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    char p[512];
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (snprintf(p, sizeof(p), "%s/%s", dir, de->d_name) < (int)sizeof(p))
            unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

/* ---- fixtures ---- */

static int group_sqlite_setup(void **state)
{
    struct err e;
    struct db_options opt = {.create = 1};
    snprintf(sq_fx.dir, sizeof(sq_fx.dir), "/tmp/t_db.XXXXXX");
    if (!mkdtemp(sq_fx.dir))
        return -1;
    snprintf(sq_fx.path, sizeof(sq_fx.path), "%s/test.db", sq_fx.dir);
    err_clear(&e);
    if (db_open(&sq_fx.db, sq_fx.path, &opt, &e)) {
        fprintf(stderr, "db_open: %s\n", e.detail);
        return -1;
    }
    return 0;
}

static int group_sqlite_teardown(void **state)
{
    db_close(sq_fx.db);
    sq_fx.db = NULL;
    remove_tree(sq_fx.dir);
    return 0;
}

static int group_pg_setup(void **state)
{
    struct err e;
    struct db_options opt = {0};
    pg_fx.pg_url = getenv("BUREAU_TEST_PG");
    if (!pg_fx.pg_url || !pg_fx.pg_url[0])
        return 0; /* every test skips */
    err_clear(&e);
    if (db_open(&pg_fx.db, pg_fx.pg_url, &opt, &e)) {
        fprintf(stderr, "db_open %s: %s\n", pg_fx.pg_url, e.detail);
        return -1;
    }
    return 0;
}

static int group_pg_teardown(void **state)
{
    db_close(pg_fx.db);
    pg_fx.db = NULL;
    return 0;
}

/* Fresh tables for each test, in the backend's dialect. */
static int tables_setup(void **state)
{
    struct fx *f = *state;
    if (!f->db)
        return 0;
    const struct db_dialect_sql *d = db_sql(f->db);
    int pg = db_dialect(f->db) == DB_PG;
    char sql[2048];
    snprintf(sql, sizeof(sql),
             "DROP TABLE IF EXISTS people; DROP TABLE IF EXISTS orgs;"
             "CREATE TABLE orgs (tenant_id %s NOT NULL, id %s, name %s NOT NULL%s);"
             "CREATE TABLE people (tenant_id %s NOT NULL, id %s, code %s NOT NULL, email %s,"
             " org_id %s, score %s, active %s NOT NULL DEFAULT 1, born %s,"
             " CONSTRAINT uq_people_code UNIQUE (tenant_id, code),"
             " UNIQUE (tenant_id, email)%s, %s)",
             d->t_int, d->t_id, d->t_text, d->composite_keys ? ", PRIMARY KEY (tenant_id, id)" : "",
             d->t_int, d->t_id, d->t_text, d->t_text, d->t_int, pg ? "DOUBLE PRECISION" : "REAL",
             d->t_bool, d->t_date, d->composite_keys ? ", PRIMARY KEY (tenant_id, id)" : "",
             d->composite_keys ? "FOREIGN KEY (tenant_id, org_id) REFERENCES orgs (tenant_id, id)"
                               : "FOREIGN KEY (org_id) REFERENCES orgs (id)");
    struct err e;
    err_clear(&e);
    struct db_conn *c = db_conn(f->db, &e);
    if (!c || db_exec(c, sql, &e)) {
        fprintf(stderr, "tables: %s\n", e.detail);
        return -1;
    }
    return 0;
}

/* ---- tests on both backends ---- */

static void t_columns(void **state)
{
    struct fx *f = fx_of(state);
    struct db_conn *c = conn_of(f);
    struct err e;
    size_t len;

    int64_t org = add_org(c, 1, "City Hall");
    assert_true(org > 0);

    struct db_stmt *s = prep(c, "INSERT INTO people (tenant_id, code, email, org_id, score,"
                                " active, born) VALUES (?, ?, ?, ?, ?, ?, ?)");
    assert_int_equal(db_bind_int(s, 1, 1), 0);
    assert_int_equal(db_bind_text(s, 2, "P-001xyz", 5), 0); /* only n bytes are used */
    assert_int_equal(db_bind_null(s, 3), 0);
    assert_int_equal(db_bind_int(s, 4, org), 0);
    assert_int_equal(db_bind_double(s, 5, 2.5), 0);
    assert_int_equal(db_bind_int(s, 6, 0), 0);
    assert_int_equal(db_bind_text(s, 7, "2026-11-29", 10), 0);
    err_clear(&e);
    assert_int_equal(db_step(s, &e), DB_DONE);
    assert_int_equal(db_changes(s), 1);
    db_reset(s);

    s = prep(c, "SELECT code, email, org_id, score, active, born FROM people WHERE tenant_id = ?");
    assert_int_equal(db_bind_int(s, 1, 1), 0);
    assert_int_equal(db_step(s, &e), DB_ROW);
    assert_int_equal(db_col_count(s), 6);
    assert_string_equal(db_col_name(s, 0), "code");
    assert_string_equal(db_col_name(s, 5), "born");
    assert_string_equal(db_col_text(s, 0, &len), "P-001");
    assert_int_equal(len, 5);
    assert_true(db_col_is_null(s, 1));
    assert_false(db_col_is_null(s, 0));
    assert_string_equal(db_col_text(s, 1, &len), ""); /* NULL reads as "" */
    assert_int_equal(len, 0);
    assert_int_equal(db_col_int(s, 2), org);
    assert_true(db_col_double(s, 3) == 2.5);
    assert_int_equal(db_col_int(s, 4), 0);
    assert_string_equal(db_col_text(s, 5, NULL), "2026-11-29");
    assert_int_equal(db_step(s, &e), DB_DONE);
    assert_int_equal(db_changes(s), 0);
    db_reset(s);

    /* booleans read as 0/1 on both (PostgreSQL sends t/f) */
    assert_int_equal(query_int(c, "SELECT 1 = 1"), 1);
    assert_int_equal(query_int(c, "SELECT 1 = 2"), 0);

    /* changes: several rows, then none */
    add_person(c, 1, "P-002", NULL, 0, &e);
    s = prep(c, "UPDATE people SET active = ? WHERE tenant_id = ?");
    db_bind_int(s, 1, 1);
    db_bind_int(s, 2, 1);
    assert_int_equal(db_step(s, &e), DB_DONE);
    assert_int_equal(db_changes(s), 2);
    db_reset(s);
    s = prep(c, "UPDATE people SET active = ? WHERE tenant_id = ?");
    db_bind_int(s, 1, 1);
    db_bind_int(s, 2, 99);
    assert_int_equal(db_step(s, &e), DB_DONE);
    assert_int_equal(db_changes(s), 0);
    db_reset(s);

    /* reset clears bindings: unbound parameters are NULL */
    s = prep(c, "SELECT count(*) FROM people WHERE tenant_id = ?");
    assert_int_equal(db_step(s, &e), DB_ROW);
    assert_int_equal(db_col_int(s, 0), 0);
    db_reset(s);
}

static void t_cache(void **state)
{
    struct fx *f = fx_of(state);
    struct db_conn *c = conn_of(f);
    struct err e;
    const char *sql = "SELECT count(*) FROM orgs WHERE tenant_id = ?";

    add_org(c, 1, "A");
    struct db_stmt *s1 = prep(c, sql);
    db_bind_int(s1, 1, 1);
    assert_int_equal(db_step(s1, &e), DB_ROW);
    assert_int_equal(db_col_int(s1, 0), 1);
    db_reset(s1);

    /* same SQL again: the cached statement, usable */
    struct db_stmt *s2 = prep(c, sql);
    assert_ptr_equal(s1, s2);
    db_bind_int(s2, 1, 1);
    assert_int_equal(db_step(s2, &e), DB_ROW);
    assert_int_equal(db_col_int(s2, 0), 1);

    /* while s2 is in use the same SQL gets a second statement */
    struct db_stmt *s3 = prep(c, sql);
    assert_ptr_not_equal(s2, s3);
    db_bind_int(s3, 1, 2);
    assert_int_equal(db_step(s3, &e), DB_ROW);
    assert_int_equal(db_col_int(s3, 0), 0);
    assert_int_equal(db_col_int(s2, 0), 1);
    db_reset(s3);
    db_reset(s2);

    /* more distinct statements than the cache holds: eviction keeps working */
    char q[64];
    for (int i = 0; i < 700; i++) {
        snprintf(q, sizeof(q), "SELECT %d + ?", i);
        struct db_stmt *s = prep(c, q);
        db_bind_int(s, 1, 1);
        err_clear(&e);
        assert_int_equal(db_step(s, &e), DB_ROW);
        assert_int_equal(db_col_int(s, 0), i + 1);
        db_reset(s);
    }
    /* an in-use statement survives eviction */
    struct db_stmt *held = prep(c, sql);
    db_bind_int(held, 1, 1);
    for (int i = 0; i < 600; i++) {
        snprintf(q, sizeof(q), "SELECT %d * 2", i);
        assert_int_equal(query_int(c, q), i * 2);
    }
    assert_int_equal(db_step(held, &e), DB_ROW);
    assert_int_equal(db_col_int(held, 0), 1);
    db_reset(held);
}

static void t_unique(void **state)
{
    struct fx *f = fx_of(state);
    struct db_conn *c = conn_of(f);
    struct err e;

    assert_int_equal(add_person(c, 1, "A1", "a@example.org", 0, &e), DB_DONE);
    /* named constraint uq_people_code */
    assert_int_equal(add_person(c, 1, "A1", NULL, 0, &e), -ERR_UNIQUE);
    assert_int_equal(e.code, ERR_UNIQUE);
    assert_int_equal(e.nitems, 1);
    assert_string_equal(e.items[0].field, "code");
    assert_string_equal(e.items[0].msg, "value already used");
    /* unnamed unique constraint: the last key column */
    assert_int_equal(add_person(c, 1, "A2", "a@example.org", 0, &e), -ERR_UNIQUE);
    assert_int_equal(e.nitems, 1);
    assert_string_equal(e.items[0].field, "email");
    /* another tenant may use the same code */
    assert_int_equal(add_person(c, 2, "A1", "a@example.org", 0, &e), DB_DONE);
    assert_int_equal(query_int(c, "SELECT count(*) FROM people"), 2);
}

static void t_foreign_key(void **state)
{
    struct fx *f = fx_of(state);
    struct db_conn *c = conn_of(f);
    struct err e;

    assert_int_equal(add_person(c, 1, "B1", NULL, 999, &e), -ERR_REFERENCED);
    assert_int_equal(e.code, ERR_REFERENCED);
    int64_t org = add_org(c, 1, "Water Bureau");
    assert_int_equal(add_person(c, 1, "B1", NULL, org, &e), DB_DONE);

    struct db_stmt *s = prep(c, "DELETE FROM orgs WHERE tenant_id = ? AND id = ?");
    db_bind_int(s, 1, 1);
    db_bind_int(s, 2, org);
    err_clear(&e);
    assert_int_equal(db_step(s, &e), -ERR_REFERENCED);
    db_reset(s);
    assert_int_equal(query_int(c, "SELECT count(*) FROM orgs"), 1);
}

static void t_rollback(void **state)
{
    struct fx *f = fx_of(state);
    struct db_conn *c = conn_of(f);
    struct err e;

    err_clear(&e);
    assert_int_equal(db_begin(c, &e), 0);
    assert_true(db_in_tx(c));
    add_org(c, 1, "Temp");
    assert_int_equal(add_person(c, 1, "R1", NULL, 0, &e), DB_DONE);
    assert_int_equal(db_rollback(c), 0);
    assert_false(db_in_tx(c));
    assert_int_equal(query_int(c, "SELECT count(*) FROM orgs"), 0);
    assert_int_equal(query_int(c, "SELECT count(*) FROM people"), 0);

    /* an error inside a transaction, then rollback: the connection works on */
    assert_int_equal(db_begin(c, &e), 0);
    assert_int_equal(add_person(c, 1, "R2", NULL, 0, &e), DB_DONE);
    assert_int_equal(add_person(c, 1, "R2", NULL, 0, &e), -ERR_UNIQUE);
    db_rollback(c);
    assert_int_equal(query_int(c, "SELECT count(*) FROM people"), 0);
    assert_int_equal(add_person(c, 1, "R2", NULL, 0, &e), DB_DONE);

    /* PostgreSQL aborts the whole transaction at an error: COMMIT must say so */
    if (db_dialect(f->db) == DB_PG) {
        assert_int_equal(db_begin(c, &e), 0);
        assert_int_equal(add_person(c, 1, "R3", NULL, 0, &e), DB_DONE);
        assert_int_equal(add_person(c, 1, "R2", NULL, 0, &e), -ERR_UNIQUE);
        err_clear(&e);
        assert_true(db_commit(c, &e) < 0);
        assert_false(db_in_tx(c));
        assert_int_equal(query_int(c, "SELECT count(*) FROM people"), 1);
    }
}

struct count_job {
    struct db *db;
    int64_t n;
    int rc;
};

/* Counts people on the thread's own connection. */
static void *count_thread(void *arg)
{
    struct count_job *j = arg;
    struct err e;
    struct db_stmt *s;
    err_clear(&e);
    struct db_conn *c = db_conn(j->db, &e);
    j->rc = -1;
    if (c && !db_prepare(c, "SELECT count(*) FROM people", &s, &e)) {
        j->rc = db_step(s, &e);
        j->n = db_col_int(s, 0);
        db_reset(s);
    }
    db_conn_close_thread(j->db);
    return NULL;
}

static int64_t count_elsewhere(struct db *db)
{
    struct count_job j = {.db = db};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, count_thread, &j), 0);
    pthread_join(t, NULL);
    assert_int_equal(j.rc, DB_ROW);
    return j.n;
}

static void t_commit(void **state)
{
    struct fx *f = fx_of(state);
    struct db_conn *c = conn_of(f);
    struct err e;

    err_clear(&e);
    assert_int_equal(db_begin(c, &e), 0);
    assert_int_equal(add_person(c, 1, "C1", NULL, 0, &e), DB_DONE);
    assert_int_equal(count_elsewhere(f->db), 0); /* not visible before commit */
    assert_int_equal(db_commit(c, &e), 0);
    assert_false(db_in_tx(c));
    assert_int_equal(count_elsewhere(f->db), 1);
    assert_int_equal(query_int(c, "SELECT count(*) FROM people"), 1);
}

static void t_placeholders(void **state)
{
    struct fx *f = fx_of(state);
    struct db_conn *c = conn_of(f);
    struct err e;

    /* '?' inside literals and comments is not a parameter */
    struct db_stmt *s = prep(c, "SELECT ?, '?', ?, 'it''s ?' -- why?\n");
    assert_int_equal(db_bind_int(s, 1, 7), 0);
    assert_int_equal(db_bind_text(s, 2, "x", 1), 0);
    assert_true(db_bind_int(s, 3, 1) < 0); /* only two placeholders */
    assert_true(db_bind_int(s, 0, 1) < 0);
    err_clear(&e);
    assert_int_equal(db_step(s, &e), DB_ROW);
    assert_int_equal(db_col_count(s), 4);
    assert_int_equal(db_col_int(s, 0), 7);
    assert_string_equal(db_col_text(s, 1, NULL), "?");
    assert_string_equal(db_col_text(s, 2, NULL), "x");
    assert_string_equal(db_col_text(s, 3, NULL), "it's ?");
    db_reset(s);

    /* numbered placeholders */
    s = prep(c, "SELECT CAST(?2 AS TEXT), CAST(?1 AS TEXT), CAST(? AS TEXT)");
    db_bind_text(s, 1, "one", 3);
    db_bind_text(s, 2, "two", 3);
    db_bind_text(s, 3, "three", 5);
    assert_int_equal(db_step(s, &e), DB_ROW);
    assert_string_equal(db_col_text(s, 0, NULL), "two");
    assert_string_equal(db_col_text(s, 1, NULL), "one");
    assert_string_equal(db_col_text(s, 2, NULL), "three");
    db_reset(s);
}

static void t_deadline(void **state)
{
    struct fx *f = fx_of(state);
    struct db_conn *c = conn_of(f);
    struct err e;
    const char *slow = db_dialect(f->db) == DB_PG
                           ? "SELECT pg_sleep(5)"
                           : "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r"
                             " WHERE i < 1000000000) SELECT count(*) FROM r";
    uint64_t t0 = clock_us();
    db_set_deadline(c, t0 + 200000);
    struct db_stmt *s = prep(c, slow);
    err_clear(&e);
    assert_int_equal(db_step(s, &e), -ERR_TIMEOUT);
    db_reset(s);
    uint64_t took = clock_us() - t0;
    assert_true(took >= 150000 && took < 3000000);

    /* a deadline already passed stops the next statement too */
    db_set_deadline(c, clock_us() - 1);
    s = prep(c, slow);
    t0 = clock_us();
    assert_int_equal(db_step(s, &e), -ERR_TIMEOUT);
    assert_true(clock_us() - t0 < 1000000);
    db_reset(s);

    db_set_deadline(c, 0);
    assert_int_equal(query_int(c, "SELECT 41 + 1"), 42);
}

static void t_schema_change(void **state)
{
    struct fx *f = fx_of(state);
    struct db_conn *c = conn_of(f);
    struct err e;

    add_org(c, 1, "A");
    struct db_stmt *s = prep(c, "SELECT * FROM orgs");
    assert_int_equal(db_step(s, &e), DB_ROW);
    assert_int_equal(db_col_count(s), 3);
    db_reset(s);
    exec_ok(c, "ALTER TABLE orgs ADD COLUMN note TEXT");
    s = prep(c, "SELECT * FROM orgs");
    err_clear(&e);
    int rc = db_step(s, &e);
    if (rc != DB_ROW)
        fail_msg("after ALTER: %d %s", rc, e.detail);
    assert_int_equal(db_col_count(s), 4);
    db_reset(s);
}

/* ---- SQLite only ---- */

static void t_sqlite_not_a_db(void **state)
{
    struct fx *f = fx_of(state);
    char path[160];
    struct db *db = NULL;
    struct err e;
    struct db_options opt = {.create = 1};

    snprintf(path, sizeof(path), "%s/notes.txt", f->dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    for (int i = 0; i < 200; i++)
        fputs("this is a plain text file, not a database\n", fp);
    fclose(fp);
    err_clear(&e);
    assert_int_equal(db_open(&db, path, &opt, &e), -ERR_DB_SCHEMA);
    assert_null(db);
    assert_non_null(
        strstr(e.detail, "notes.txt is not a bureau database (file is not a database)"));

    /* a missing file without create: an error, and nothing is created */
    snprintf(path, sizeof(path), "%s/missing.db", f->dir);
    opt.create = 0;
    err_clear(&e);
    assert_true(db_open(&db, path, &opt, &e) < 0);
    assert_true(e.detail[0] != 0);
    assert_int_equal(access(path, F_OK), -1);

    /* a directory */
    err_clear(&e);
    assert_true(db_open(&db, f->dir, &opt, &e) < 0);
}

static void t_sqlite_readonly(void **state)
{
    struct fx *f = fx_of(state);
    struct db *db = NULL;
    struct err e;
    struct db_options opt = {.readonly = 1};

    add_org(conn_of(f), 1, "A");
    err_clear(&e);
    if (db_open(&db, f->path, &opt, &e))
        fail_msg("readonly open: %s", e.detail);
    struct db_conn *c = db_conn(db, &e);
    assert_non_null(c);
    assert_int_equal(query_int(c, "SELECT count(*) FROM orgs"), 1);
    err_clear(&e);
    assert_int_equal(db_exec(c, "DELETE FROM orgs", &e), -ERR_DB_UNAVAILABLE);
    assert_true(e.detail[0] != 0);
    db_close(db);
}

static void t_sqlite_backup(void **state)
{
    struct fx *f = fx_of(state);
    struct db_conn *c = conn_of(f);
    struct err e;
    char path[160], tmp[170];

    int64_t org = add_org(c, 1, "Archive");
    char code[16];
    for (int i = 0; i < 2000; i++) {
        snprintf(code, sizeof(code), "K%04d", i);
        assert_int_equal(add_person(c, 1, code, NULL, org, &e), DB_DONE);
    }
    snprintf(path, sizeof(path), "%s/backup.db", f->dir);
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    err_clear(&e);
    /* the connection keeps an open read statement meanwhile */
    struct db_stmt *s = prep(c, "SELECT code FROM people ORDER BY code");
    assert_int_equal(db_step(s, &e), DB_ROW);
    int rc = db_backup(f->db, path, &e);
    if (rc)
        fail_msg("backup: %s", e.detail);
    db_reset(s);
    assert_int_equal(access(tmp, F_OK), -1);

    struct db *copy = NULL;
    struct db_options opt = {0};
    if (db_open(&copy, path, &opt, &e))
        fail_msg("open backup: %s", e.detail);
    struct db_conn *cc = db_conn(copy, &e);
    assert_non_null(cc);
    assert_int_equal(query_int(cc, "SELECT count(*) FROM people"), 2000);
    assert_int_equal(query_int(cc, "SELECT count(*) FROM orgs"), 1);
    db_close(copy);

    /* a second backup replaces the first */
    assert_int_equal(add_person(c, 1, "NEW", NULL, org, &e), DB_DONE);
    assert_int_equal(db_backup(f->db, path, &e), 0);
    assert_int_equal(db_open(&copy, path, &opt, &e), 0);
    cc = db_conn(copy, &e);
    assert_int_equal(query_int(cc, "SELECT count(*) FROM people"), 2001);
    db_close(copy);
}

struct lock_job {
    struct db *db;
    int rc;
    uint64_t took_us;
};

/* Tries to take the write lock with a 200 ms deadline. */
static void *begin_thread(void *arg)
{
    struct lock_job *j = arg;
    struct err e;
    err_clear(&e);
    struct db_conn *c = db_conn(j->db, &e);
    j->rc = -1;
    if (c) {
        uint64_t t0 = clock_us();
        db_set_deadline(c, t0 + 200000);
        j->rc = db_begin(c, &e);
        j->took_us = clock_us() - t0;
        db_rollback(c);
    }
    db_conn_close_thread(j->db);
    return NULL;
}

static void t_sqlite_busy_deadline(void **state)
{
    struct fx *f = fx_of(state);
    struct db_conn *c = conn_of(f);
    struct err e;
    struct lock_job j = {.db = f->db};
    pthread_t t;

    err_clear(&e);
    assert_int_equal(db_begin(c, &e), 0); /* holds the write lock */
    assert_int_equal(pthread_create(&t, NULL, begin_thread, &j), 0);
    pthread_join(t, NULL);
    db_rollback(c);
    /* busy, and given up at the deadline instead of the 5 s busy timeout */
    assert_int_equal(j.rc, -ERR_DB_BUSY);
    assert_true(j.took_us >= 150000 && j.took_us < 1500000);
}

/* ---- PostgreSQL only ---- */

static void t_pg_literals(void **state)
{
    struct fx *f = fx_of(state);
    struct db_conn *c = conn_of(f);
    struct err e;

    /* quoted identifiers, E'' escapes, dollar quotes and block comments keep their '?' */
    struct db_stmt *s = prep(c, "SELECT 1 AS \"a?\", $$?$$, E'\\'?', $q$ ? $q$ /* ? */, ?");
    assert_int_equal(db_bind_text(s, 1, "v", 1), 0);
    assert_true(db_bind_text(s, 2, "w", 1) < 0);
    err_clear(&e);
    int rc = db_step(s, &e);
    if (rc != DB_ROW)
        fail_msg("step: %d %s", rc, e.detail);
    assert_string_equal(db_col_name(s, 0), "a?");
    assert_string_equal(db_col_text(s, 1, NULL), "?");
    assert_string_equal(db_col_text(s, 2, NULL), "'?");
    assert_string_equal(db_col_text(s, 3, NULL), " ? ");
    assert_string_equal(db_col_text(s, 4, NULL), "v");
    db_reset(s);
}

static void t_pg_reconnect(void **state)
{
    struct fx *f = fx_of(state);
    struct db_conn *c = conn_of(f);
    struct err e;

    int64_t pid = query_int(c, "SELECT pg_backend_pid()");
    struct db_stmt *s = prep(c, "SELECT pg_terminate_backend(pg_backend_pid())");
    err_clear(&e);
    assert_int_equal(db_step(s, &e), -ERR_DB_UNAVAILABLE);
    assert_int_equal(e.code, ERR_DB_UNAVAILABLE);
    db_reset(s);
    /* further use of the dead connection fails cleanly */
    err_clear(&e);
    assert_int_equal(db_exec(c, "SELECT 1", &e), -ERR_DB_UNAVAILABLE);

    /* the next db_conn() reconnects */
    c = conn_of(f);
    int64_t pid2 = query_int(c, "SELECT pg_backend_pid()");
    assert_true(pid2 != pid);
    assert_int_equal(query_int(c, "SELECT 40 + 2"), 42);

    /* a connection killed while idle is noticed before it is used */
    struct db_conn *other = NULL;
    struct db_options opt = {0};
    struct db *db2 = NULL;
    assert_int_equal(db_open(&db2, f->pg_url, &opt, &e), 0);
    other = db_conn(db2, &e);
    assert_non_null(other);
    s = prep(other, "SELECT pg_terminate_backend(CAST(? AS INTEGER), 5000)");
    db_bind_int(s, 1, pid2);
    assert_int_equal(db_step(s, &e), DB_ROW);
    assert_int_equal(db_col_int(s, 0), 1);
    db_reset(s);
    db_close(db2);
    usleep(100000);
    c = conn_of(f);
    assert_true(query_int(c, "SELECT pg_backend_pid()") != pid2);
}

static void t_pg_backup(void **state)
{
    struct fx *f = fx_of(state);
    struct err e;
    err_clear(&e);
    assert_int_equal(db_backup(f->db, "/tmp/never-written.db", &e), -ERR_BAD_REQUEST);
    assert_non_null(strstr(e.detail, "pg_dump"));
    assert_int_equal(access("/tmp/never-written.db", F_OK), -1);
}

/* ---- no server needed ---- */

static void t_pg_unreachable(void **state)
{
    struct db *db = NULL;
    struct err e;
    struct db_options opt = {0};
    err_clear(&e);
    assert_int_equal(db_open(&db, "postgres://bureau:secret@127.0.0.1:1/nothing", &opt, &e),
                     -ERR_DB_UNAVAILABLE);
    assert_null(db);
    assert_non_null(strstr(e.detail, "cannot connect to PostgreSQL at 127.0.0.1:1/nothing"));
    assert_null(strstr(e.detail, "secret"));

    err_clear(&e);
    assert_int_equal(db_open(&db, "postgres://[bad", &opt, &e), -ERR_DB_UNAVAILABLE);
}

static void t_dialects(void **state)
{
    assert_string_equal(db_sqlite_backend.sql->ilike, "LIKE");
    assert_int_equal(db_sqlite_backend.sql->composite_keys, 0);
    assert_string_equal(db_pg_backend.sql->ilike, "ILIKE");
    assert_string_equal(db_pg_backend.sql->t_json, "JSONB");
    assert_int_equal(db_pg_backend.sql->composite_keys, 1);
}

#define BOTH(fn, fx) cmocka_unit_test_prestate_setup_teardown(fn, tables_setup, NULL, fx)

int main(void)
{
    const struct CMUnitTest general[] = {
        cmocka_unit_test(t_dialects),
        cmocka_unit_test(t_pg_unreachable),
    };
    const struct CMUnitTest sqlite[] = {
        BOTH(t_columns, &sq_fx),
        BOTH(t_cache, &sq_fx),
        BOTH(t_unique, &sq_fx),
        BOTH(t_foreign_key, &sq_fx),
        BOTH(t_rollback, &sq_fx),
        BOTH(t_commit, &sq_fx),
        BOTH(t_placeholders, &sq_fx),
        BOTH(t_deadline, &sq_fx),
        BOTH(t_schema_change, &sq_fx),
        BOTH(t_sqlite_not_a_db, &sq_fx),
        BOTH(t_sqlite_readonly, &sq_fx),
        BOTH(t_sqlite_backup, &sq_fx),
        BOTH(t_sqlite_busy_deadline, &sq_fx),
    };
    const struct CMUnitTest pg[] = {
        BOTH(t_columns, &pg_fx),      BOTH(t_cache, &pg_fx),        BOTH(t_unique, &pg_fx),
        BOTH(t_foreign_key, &pg_fx),  BOTH(t_rollback, &pg_fx),     BOTH(t_commit, &pg_fx),
        BOTH(t_placeholders, &pg_fx), BOTH(t_deadline, &pg_fx),     BOTH(t_schema_change, &pg_fx),
        BOTH(t_pg_literals, &pg_fx),  BOTH(t_pg_reconnect, &pg_fx), BOTH(t_pg_backup, &pg_fx),
    };
    int failed = cmocka_run_group_tests_name("db general", general, NULL, NULL);
    failed +=
        cmocka_run_group_tests_name("db sqlite", sqlite, group_sqlite_setup, group_sqlite_teardown);
    failed += cmocka_run_group_tests_name("db postgresql", pg, group_pg_setup, group_pg_teardown);
    return failed ? 1 : 0;
}
