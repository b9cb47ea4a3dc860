/* SPDX-License-Identifier: MIT
 * jobs.c - the job runner; see jobs.h.
 */
#include "jobs.h"
#include "audit.h"
#include "../base/base.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../db/db.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_ATTEMPTS 5

static int job_prune(struct job_ctx *j, struct err *e);
static int job_optimize(struct job_ctx *j, struct err *e);

/* The core's own periodic jobs. */
static const struct job_def core_jobs[] = {
    {.name = "core.prune_job_history", .interval_s = 86400, .run = job_prune},
    {.name = "core.optimize_database", .interval_s = 86400, .run = job_optimize},
    {.name = "core.audit_anchor", .interval_s = 86400, .run = audit_job_anchor},
    {0},
};

static int job_prune(struct job_ctx *j, struct err *e)
{
    int64_t rc = db_exec_ints(j->c, "DELETE FROM bureau_job_runs WHERE started_at < ?",
                              DB_INTS(j->now - 90 * 86400), e);
    if (rc >= 0)
        rc = db_exec_ints(j->c,
                          "DELETE FROM bureau_job_queue WHERE done_at IS NOT NULL AND done_at < ?",
                          DB_INTS(j->now - 30 * 86400), e);
    return rc < 0 ? (int)rc : 0;
}

static int job_optimize(struct job_ctx *j, struct err *e)
{
    if (db_dialect(j->db) == DB_PG) {
        /* PostgreSQL's autovacuum keeps statistics current */
        snprintf(j->message, sizeof(j->message), "left to autovacuum");
        return 0;
    }
    return db_exec(j->c, "PRAGMA optimize", e);
}

#define MAX_JOB_TABLES 32
static const struct job_def *tables[MAX_JOB_TABLES];
static int ntables;

void jobs_reset_defs(void)
{
    ntables = 0;
}

void jobs_add_defs(const struct job_def *defs)
{
    if (defs && ntables < MAX_JOB_TABLES)
        tables[ntables++] = defs;
}

static void for_each_def(void (*fn)(const struct job_def *d, void *ctx), void *ctx)
{
    for (const struct job_def *d = core_jobs; d->name; d++)
        fn(d, ctx);
    for (int i = 0; i < ntables; i++)
        for (const struct job_def *d = tables[i]; d->name; d++)
            fn(d, ctx);
}

static const struct job_def *find_def(const char *name, size_t n)
{
    for (const struct job_def *d = core_jobs; d->name; d++)
        if (strlen(d->name) == n && !memcmp(d->name, name, n))
            return d;
    for (int i = 0; i < ntables; i++)
        for (const struct job_def *d = tables[i]; d->name; d++)
            if (strlen(d->name) == n && !memcmp(d->name, name, n))
                return d;
    return NULL;
}

struct reg_ctx {
    struct db_conn *c;
    int64_t now;
    struct err *e;
    int rc;
};

static void reg_one(const struct job_def *d, void *p)
{
    struct reg_ctx *r = p;
    struct db_stmt *st;
    if (r->rc || !d->interval_s)
        return;
    r->rc = db_prepare(r->c,
                       "INSERT INTO bureau_jobs (name, next_run_at) VALUES (?, ?) "
                       "ON CONFLICT (name) DO NOTHING",
                       &st, r->e);
    if (r->rc)
        return;
    db_bind_text(st, 1, d->name, strlen(d->name));
    db_bind_int(st, 2, r->now);
    int rc = db_step(st, r->e);
    db_reset(st);
    r->rc = rc < 0 ? rc : 0;
}

int jobs_register(struct db *db, int64_t now, struct err *e)
{
    struct reg_ctx r = {db_conn(db, e), now, e, 0};
    if (!r.c)
        return -ERR_DB_UNAVAILABLE;
    for_each_def(reg_one, &r);
    return r.rc;
}

int jobs_enqueue(struct db_conn *c, const char *name, int64_t run_at, const char *payload,
                 struct err *e)
{
    struct db_stmt *st;
    if (!find_def(name, strlen(name)))
        return err_set(e, ERR_INTERNAL, NULL, NULL, "no job named %s", name);
    int rc = db_prepare(c, "INSERT INTO bureau_job_queue (name, run_at, payload) VALUES (?, ?, ?)",
                        &st, e);
    if (rc)
        return rc;
    db_bind_text(st, 1, name, strlen(name));
    db_bind_int(st, 2, run_at);
    if (payload)
        db_bind_text(st, 3, payload, strlen(payload));
    else
        db_bind_null(st, 3);
    rc = db_step(st, e);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* Runs d and records the run; returns the job's result. */
static int run_recorded(struct db *db, struct db_conn *c, const struct job_def *d,
                        const char *owner, int64_t now, const char *payload)
{
    struct job_ctx j = {.db = db, .c = c, .owner = owner, .now = now, .payload = payload};
    struct err e;
    struct db_stmt *st;
    int64_t run_id = 0;
    err_clear(&e);
    if (!db_prepare(c,
                    "INSERT INTO bureau_job_runs (name, owner, started_at, status) "
                    "VALUES (?, ?, ?, 'running') RETURNING id",
                    &st, &e)) {
        db_bind_text(st, 1, d->name, strlen(d->name));
        db_bind_text(st, 2, owner, strlen(owner));
        db_bind_int(st, 3, now);
        if (db_step(st, &e) == DB_ROW)
            run_id = db_col_int(st, 0);
        db_reset(st);
    }
    uint64_t t0 = clock_us();
    err_clear(&e);
    int rc = d->run(&j, &e);
    if (db_in_tx(c))
        db_rollback(c); /* a job must end its own transactions */
    const char *status = rc ? "failed" : "ok";
    const char *msg = rc ? e.detail : j.message;
    if (rc)
        log_warn("job %s failed: %s", d->name, e.detail);
    else
        log_info("job %s ok in %.3f s %s", d->name, (double)(clock_us() - t0) / 1e6, j.message);
    if (run_id && !db_prepare(c,
                              "UPDATE bureau_job_runs SET finished_at = ?, status = ?, "
                              "message = ? WHERE id = ?",
                              &st, &e)) {
        db_bind_int(st, 1, clock_now());
        db_bind_text(st, 2, status, strlen(status));
        db_bind_text(st, 3, msg, strlen(msg));
        db_bind_int(st, 4, run_id);
        db_step(st, &e);
        db_reset(st);
    }
    return rc;
}

struct tick_ctx {
    struct db *db;
    struct db_conn *c;
    const char *owner;
    int64_t now;
    struct err *e;
    int runs;
    int rc;
};

static void tick_periodic(const struct job_def *d, void *p)
{
    struct tick_ctx *t = p;
    struct db_stmt *st;
    if (t->rc || !d->interval_s)
        return;
    unsigned lease = d->lease_s ? d->lease_s : 300;
    /* one winner: only the process whose UPDATE changed the row runs the job */
    t->rc = db_prepare(t->c,
                       "UPDATE bureau_jobs SET lease_owner = ?, lease_until = ? WHERE name = ? "
                       "AND next_run_at <= ? AND (lease_until IS NULL OR lease_until < ?)",
                       &st, t->e);
    if (t->rc)
        return;
    db_bind_text(st, 1, t->owner, strlen(t->owner));
    db_bind_int(st, 2, t->now + lease);
    db_bind_text(st, 3, d->name, strlen(d->name));
    db_bind_int(st, 4, t->now);
    db_bind_int(st, 5, t->now);
    int rc = db_step(st, t->e);
    int64_t won = db_changes(st);
    db_reset(st);
    if (rc < 0) {
        t->rc = rc;
        return;
    }
    if (won != 1)
        return;
    int jrc = run_recorded(t->db, t->c, d, t->owner, t->now, NULL);
    t->runs++;
    t->rc = db_prepare(t->c,
                       "UPDATE bureau_jobs SET lease_owner = NULL, lease_until = NULL, "
                       "last_run_at = ?, last_status = ?, runs = runs + 1, next_run_at = ? "
                       "WHERE name = ? AND lease_owner = ?",
                       &st, t->e);
    if (t->rc)
        return;
    const char *status = jrc ? "failed" : "ok";
    db_bind_int(st, 1, t->now);
    db_bind_text(st, 2, status, strlen(status));
    db_bind_int(st, 3, t->now + d->interval_s);
    db_bind_text(st, 4, d->name, strlen(d->name));
    db_bind_text(st, 5, t->owner, strlen(t->owner));
    rc = db_step(st, t->e);
    db_reset(st);
    t->rc = rc < 0 ? rc : 0;
}

static int tick_queue(struct tick_ctx *t)
{
    struct db_stmt *st;
    int64_t ids[16];
    int n = 0;
    int rc =
        db_prepare_ints(t->c,
                        "SELECT id FROM bureau_job_queue WHERE done_at IS NULL AND run_at <= ? "
                        "AND (lease_until IS NULL OR lease_until < ?) ORDER BY run_at, id LIMIT 16",
                        DB_INTS(t->now, t->now), &st, t->e);
    if (rc)
        return rc;
    while ((rc = db_step(st, t->e)) == DB_ROW && n < 16)
        ids[n++] = db_col_int(st, 0);
    db_reset(st);
    if (rc < 0)
        return rc;
    for (int i = 0; i < n; i++) {
        rc = db_prepare(t->c,
                        "UPDATE bureau_job_queue SET lease_owner = ?, lease_until = ?, "
                        "attempts = attempts + 1 WHERE id = ? AND done_at IS NULL AND "
                        "(lease_until IS NULL OR lease_until < ?)",
                        &st, t->e);
        if (rc)
            return rc;
        db_bind_text(st, 1, t->owner, strlen(t->owner));
        db_bind_int(st, 2, t->now + 300);
        db_bind_int(st, 3, ids[i]);
        db_bind_int(st, 4, t->now);
        rc = db_step(st, t->e);
        int64_t won = db_changes(st);
        db_reset(st);
        if (rc < 0)
            return rc;
        if (won != 1)
            continue;
        /* read what we won */
        char name[128] = "", payload_buf[4096];
        const char *payload = NULL;
        int attempts = 0;
        rc = db_prepare_ints(t->c,
                             "SELECT name, payload, attempts FROM bureau_job_queue WHERE id = ?",
                             DB_INTS(ids[i]), &st, t->e);
        if (rc)
            return rc;
        if (db_step(st, t->e) == DB_ROW) {
            size_t len;
            const char *s = db_col_text(st, 0, &len);
            snprintf(name, sizeof(name), "%.*s", (int)len, s);
            if (!db_col_is_null(st, 1)) {
                s = db_col_text(st, 1, &len);
                snprintf(payload_buf, sizeof(payload_buf), "%.*s", (int)len, s);
                payload = payload_buf;
            }
            attempts = (int)db_col_int(st, 2);
        }
        db_reset(st);
        const struct job_def *d = find_def(name, strlen(name));
        int jrc = d ? run_recorded(t->db, t->c, d, t->owner, t->now, payload) : -ERR_INTERNAL;
        t->runs++;
        int finished = !jrc || attempts >= MAX_ATTEMPTS || !d;
        /* failed runs retry with a growing delay: 1, 4, 9, 16 minutes */
        int64_t retry_at = t->now + (int64_t)attempts * attempts * 60;
        rc = db_prepare(t->c,
                        "UPDATE bureau_job_queue SET done_at = ?, status = ?, lease_owner = NULL, "
                        "lease_until = ? WHERE id = ?",
                        &st, t->e);
        if (rc)
            return rc;
        const char *status = !d ? "unknown job" : jrc ? "failed" : "ok";
        if (finished)
            db_bind_int(st, 1, t->now);
        else
            db_bind_null(st, 1);
        db_bind_text(st, 2, status, strlen(status));
        if (finished)
            db_bind_null(st, 3);
        else
            db_bind_int(st, 3, retry_at);
        db_bind_int(st, 4, ids[i]);
        rc = db_step(st, t->e);
        db_reset(st);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int jobs_tick(struct db *db, const char *owner, int64_t now, struct err *e)
{
    struct tick_ctx t = {db, db_conn(db, e), owner, now, e, 0, 0};
    if (!t.c)
        return -ERR_DB_UNAVAILABLE;
    for_each_def(tick_periodic, &t);
    if (t.rc)
        return t.rc;
    int rc = tick_queue(&t);
    return rc ? rc : t.runs;
}

/* ---- the runner thread ---- */

static pthread_t runner;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int stopping, running;
static struct db *runner_db;
static unsigned runner_poll;
static char owner_name[96];

static void *runner_main(void *arg)
{
    (void)arg;
    struct err e;
    int registered = 0;
    pthread_mutex_lock(&mu);
    while (!stopping) {
        pthread_mutex_unlock(&mu);
        err_clear(&e);
        if (!registered)
            registered = jobs_register(runner_db, clock_now(), &e) == 0;
        if (registered && jobs_tick(runner_db, owner_name, clock_now(), &e) < 0)
            log_warn("job runner: %s", e.detail);
        pthread_mutex_lock(&mu);
        if (stopping)
            break;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += runner_poll;
        pthread_cond_timedwait(&cv, &mu, &ts);
    }
    pthread_mutex_unlock(&mu);
    db_conn_close_thread(runner_db);
    return NULL;
}

int jobs_start(struct db *db, unsigned poll_s, struct err *e)
{
    char host[64] = "host";
    unsigned r;
    gethostname(host, sizeof(host) - 1);
    core_random(&r, sizeof(r));
    snprintf(owner_name, sizeof(owner_name), "%.60s:%d:%08x", host, (int)getpid(), r);
    runner_db = db;
    runner_poll = poll_s ? poll_s : 5;
    stopping = 0;
    if (pthread_create(&runner, NULL, runner_main, NULL))
        return err_set(e, ERR_INTERNAL, NULL, NULL, "cannot start the job runner thread");
    running = 1;
    return 0;
}

void jobs_stop(void)
{
    if (!running)
        return;
    pthread_mutex_lock(&mu);
    stopping = 1;
    pthread_cond_signal(&cv);
    pthread_mutex_unlock(&mu);
    pthread_join(runner, NULL);
    running = 0;
}
