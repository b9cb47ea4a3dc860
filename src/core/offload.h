/* SPDX-License-Identifier: MIT
 * offload.h - a small pool of threads of its own for work that would hold a
 * request worker for long on the CPU (a password hash: tens of milliseconds
 * and megabytes): the worker hands the request over, serves others, and the
 * pool answers it (libmicrohttpd's suspend and resume, in http.c). Jobs run
 * in the order they arrive; the pool's size bounds how many run at once, and
 * with it the memory they take.
 */
#ifndef BUREAU_OFFLOAD_H
#define BUREAU_OFFLOAD_H

struct offload;

/* Starts threads (≥ 1) threads; NULL when none can be started. */
struct offload *offload_start(int threads);
/* Queues fn(arg); 0, or -1 when the queue is full or the pool stops (the
 * caller then runs it itself). */
int offload_run(struct offload *o, void (*fn)(void *), void *arg);
/* Runs what was queued, then stops and frees the pool. NULL is ignored. */
void offload_stop(struct offload *o);

#endif
