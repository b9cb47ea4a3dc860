/* SPDX-License-Identifier: MIT
 * t_jobs.c - the job runner: a periodic job runs once per schedule even when
 * two runners (two processes sharing one database) look at the same time; a
 * delayed job runs once, and a failing one is retried later; runs are
 * recorded. On SQLite always, on PostgreSQL when BUREAU_TEST_PG is set.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "base/err.h"
#include "core/jobs.h"
#include "db/db.h"
#include "engine/migrate.h"
#include "engine/res.h"
#include "modules/modules.h"
#include "modules/org/org.h"
#include "tmpdb.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int periodic_runs, delayed_runs, flaky_runs;
static char last_payload[64];

static int run_periodic(struct job_ctx *j, struct err *e)
{
    (void)e;
    __atomic_add_fetch(&periodic_runs, 1, __ATOMIC_SEQ_CST);
    usleep(20000); /* long enough for the other runner to try too */
    snprintf(j->message, sizeof(j->message), "tick");
    return 0;
}

static int run_delayed(struct job_ctx *j, struct err *e)
{
    (void)e;
    __atomic_add_fetch(&delayed_runs, 1, __ATOMIC_SEQ_CST);
    snprintf(last_payload, sizeof(last_payload), "%s", j->payload ? j->payload : "");
    return 0;
}

static int run_flaky(struct job_ctx *j, struct err *e)
{
    (void)j;
    int n = __atomic_add_fetch(&flaky_runs, 1, __ATOMIC_SEQ_CST);
    return n == 1 ? err_set(e, ERR_INTERNAL, NULL, NULL, "first attempt fails") : 0;
}

static const struct job_def test_jobs[] = {
    {.name = "test.periodic", .interval_s = 60, .run = run_periodic},
    {.name = "test.delayed", .run = run_delayed},
    {.name = "test.flaky", .run = run_flaky},
    {0},
};
static const struct module test_module = {.name = "test", .jobs = test_jobs};
static const struct module *const test_modules[] = {&org_module, &test_module, NULL};

struct tick_arg {
    struct db *db;
    const char *owner;
    int64_t now;
};

static void *tick_thread(void *p)
{
    struct tick_arg *a = p;
    struct err e;
    err_clear(&e);
    jobs_tick(a->db, a->owner, a->now, &e);
    db_conn_close_thread(a->db);
    return NULL;
}

static int64_t scalar(struct db *db, const char *sql)
{
    struct err e;
    struct db_stmt *st;
    err_clear(&e);
    struct db_conn *c = db_conn(db, &e);
    assert_int_equal(db_prepare(c, sql, &st, &e), 0);
    assert_int_equal(db_step(st, &e), DB_ROW);
    int64_t v = db_col_int(st, 0);
    db_reset(st);
    return v;
}

static void exercise(struct db *db)
{
    struct err e;
    err_clear(&e);
    periodic_runs = delayed_runs = flaky_runs = 0;
    int64_t t0 = 1800000000;
    assert_int_equal(jobs_register(db, t0, &e), 0);
    assert_int_equal(jobs_register(db, t0, &e), 0); /* idempotent */

    /* two runners at the same instant: the periodic job runs once */
    pthread_t a, b;
    struct tick_arg aa = {db, "proc-a", t0}, bb = {db, "proc-b", t0};
    pthread_create(&a, NULL, tick_thread, &aa);
    pthread_create(&b, NULL, tick_thread, &bb);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    assert_int_equal(periodic_runs, 1);
    /* not due again before its interval; due after it */
    assert_int_equal(jobs_tick(db, "proc-a", t0 + 30, &e) >= 0, 1);
    assert_int_equal(periodic_runs, 1);
    jobs_tick(db, "proc-b", t0 + 61, &e);
    assert_int_equal(periodic_runs, 2);
    assert_int_equal(scalar(db, "SELECT runs FROM bureau_jobs WHERE name = 'test.periodic'"), 2);

    /* delayed jobs: not before run_at, then exactly once */
    struct db_conn *c = db_conn(db, &e);
    assert_int_equal(jobs_enqueue(c, "test.delayed", t0 + 100, "{\"n\":1}", &e), 0);
    assert_int_not_equal(jobs_enqueue(c, "test.nonexistent", t0, NULL, &e), 0);
    jobs_tick(db, "proc-a", t0 + 99, &e);
    assert_int_equal(delayed_runs, 0);
    jobs_tick(db, "proc-a", t0 + 100, &e);
    jobs_tick(db, "proc-b", t0 + 100, &e);
    assert_int_equal(delayed_runs, 1);
    assert_string_equal(last_payload, "{\"n\":1}");

    /* a failing delayed job is retried after a delay, then succeeds */
    assert_int_equal(jobs_enqueue(c, "test.flaky", t0 + 200, NULL, &e), 0);
    jobs_tick(db, "proc-a", t0 + 200, &e);
    assert_int_equal(flaky_runs, 1);
    jobs_tick(db, "proc-a", t0 + 201, &e); /* too soon for the retry */
    assert_int_equal(flaky_runs, 1);
    jobs_tick(db, "proc-a", t0 + 200 + 61, &e);
    assert_int_equal(flaky_runs, 2);
    jobs_tick(db, "proc-a", t0 + 2000, &e);
    assert_int_equal(flaky_runs, 2);
    assert_int_equal(scalar(db, "SELECT COUNT(*) FROM bureau_job_runs WHERE name = 'test.flaky' "
                                "AND status = 'failed'"),
                     1);
    assert_int_equal(scalar(db, "SELECT COUNT(*) FROM bureau_job_queue WHERE done_at IS NULL"),
                     0);
}

static struct db *open_fresh(const char *url, char *schema, size_t n)
{
    struct db *db;
    struct err e;
    struct db_options o = {.create = 1};
    err_clear(&e);
    assert_int_equal(db_open(&db, url, &o, &e), 0);
    if (schema) {
        struct db_conn *c = db_conn(db, &e);
        char sql[128];
        snprintf(schema, n, "jobs_%08x", randombytes_random());
        snprintf(sql, sizeof(sql), "CREATE SCHEMA %s", schema);
        assert_int_equal(db_exec(c, sql, &e), 0);
        db_close(db);
        /* every connection of this database uses the schema */
        char u[512];
        snprintf(u, sizeof(u), "%s%soptions=-csearch_path%%3D%s", url,
                 strchr(url, '?') ? "&" : "?", schema);
        assert_int_equal(db_open(&db, u, &o, &e), 0);
    }
    assert_int_equal(migrate_run(db, 0, NULL, &e), 0);
    return db;
}

static void test_sqlite(void **state)
{
    (void)state;
    char path[64];
    tmpdb_path(path, sizeof(path), "jobs");
    struct db *db = open_fresh(path, NULL, 0);
    exercise(db);
    db_close(db);
    tmpdb_remove(path);
}

static void test_pg(void **state)
{
    (void)state;
    const char *url = getenv("BUREAU_TEST_PG");
    if (!url || !*url)
        skip();
    char schema[32];
    struct db *db = open_fresh(url, schema, sizeof(schema));
    exercise(db);
    struct err e;
    char sql[96];
    snprintf(sql, sizeof(sql), "DROP SCHEMA %s CASCADE", schema);
    assert_int_equal(db_exec(db_conn(db, &e), sql, &e), 0);
    db_close(db);
}

static int setup(void **state)
{
    struct err e;
    (void)state;
    err_clear(&e);
    if (sodium_init() < 0)
        return -1;
    return engine_init(test_modules, &e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sqlite),
        cmocka_unit_test(test_pg),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
