/* SPDX-License-Identifier: MIT
 * jobs.h - periodic and delayed jobs that run once per schedule even when
 * several bureau processes share one database.
 *
 * A periodic job has a row in bureau_jobs; a process runs it only after
 * taking its lease with a conditional UPDATE (one winner), then records the
 * run in bureau_job_runs and moves next_run_at forward. Delayed jobs are rows
 * in bureau_job_queue claimed the same way. State lives in the database, so
 * schedules survive restarts; a lease that outlives a crashed process expires.
 */
#ifndef BUREAU_JOBS_H
#define BUREAU_JOBS_H

#include <stdint.h>

struct db;
struct db_conn;
struct err;

struct job_ctx {
    struct db *db;
    struct db_conn *c;
    const char *owner; /* this process's lease name */
    int64_t now;
    const char *payload; /* delayed jobs: the enqueued payload (may be NULL) */
    char message[200];   /* a short result recorded with the run */
};

struct job_def {
    const char *name;
    unsigned interval_s; /* periodic interval; 0: only run when enqueued */
    unsigned lease_s;    /* how long a run may take before others may retry (default 300) */
    int (*run)(struct job_ctx *j, struct err *e);
};

/* Empties the job tables beyond the core's own; jobs_add_defs adds a table
 * terminated by {0} (kept by reference), as engine_init does for each
 * module's. */
void jobs_reset_defs(void);
void jobs_add_defs(const struct job_def *defs);
/* Starts the runner thread; it looks every poll_s seconds. */
int jobs_start(struct db *db, unsigned poll_s, struct err *e);
/* Stops the runner (waits for a running job to finish). */
void jobs_stop(void);
/* One pass over due jobs, as the runner does (returns runs made, or <0). */
int jobs_tick(struct db *db, const char *owner, int64_t now, struct err *e);
/* Schedules job `name` to run at run_at with payload (copied; may be NULL). */
int jobs_enqueue(struct db_conn *c, const char *name, int64_t run_at, const char *payload,
                 struct err *e);
/* Makes sure every registered periodic job has its schedule row. */
int jobs_register(struct db *db, int64_t now, struct err *e);

#endif
