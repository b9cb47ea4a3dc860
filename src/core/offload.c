/* SPDX-License-Identifier: MIT
 * offload.c - the pool of offload.h: a bounded ring of jobs under one mutex,
 * taken by threads that sleep on a condition variable when it is empty.
 */
#include "offload.h"
#include "../base/base.h"

#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#define QUEUE_CAP 1024 /* jobs waiting; beyond it callers run theirs themselves */
#define MAX_THREADS 64
/* The pool's threads run at this nice value: when the workers want the CPU
 * (reads under load) they get it first and the pool takes what is left
 * (weight 110 against the workers' 1024, about a tenth of a core each);
 * on an idle server the pool has the cores to itself. */
#define POOL_NICE 10

struct job {
    void (*fn)(void *);
    void *arg;
};

struct offload {
    pthread_mutex_t mu;
    pthread_cond_t more;
    struct job q[QUEUE_CAP];
    unsigned head, len;
    int stopping;
    int nthreads;
    pthread_t threads[MAX_THREADS];
};

static void *worker(void *p)
{
    struct offload *o = p;
    /* Linux: a thread's nice value is its own (setpriority on its tid) */
    setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), POOL_NICE);
    pthread_mutex_lock(&o->mu);
    for (;;) {
        while (!o->len && !o->stopping)
            pthread_cond_wait(&o->more, &o->mu);
        if (!o->len)
            break; /* stopping, and nothing left */
        struct job j = o->q[o->head];
        o->head = (o->head + 1) % QUEUE_CAP;
        o->len--;
        pthread_mutex_unlock(&o->mu);
        j.fn(j.arg);
        pthread_mutex_lock(&o->mu);
    }
    pthread_mutex_unlock(&o->mu);
    return NULL;
}

struct offload *offload_start(int threads)
{
    if (threads < 1)
        threads = 1;
    if (threads > MAX_THREADS)
        threads = MAX_THREADS;
    struct offload *o = core_calloc(1, sizeof(*o));
    pthread_mutex_init(&o->mu, NULL);
    pthread_cond_init(&o->more, NULL);
    for (int i = 0; i < threads; i++) {
        if (pthread_create(&o->threads[i], NULL, worker, o))
            break;
        o->nthreads++;
    }
    if (!o->nthreads) {
        pthread_cond_destroy(&o->more);
        pthread_mutex_destroy(&o->mu);
        core_free(o);
        return NULL;
    }
    return o;
}

int offload_run(struct offload *o, void (*fn)(void *), void *arg)
{
    pthread_mutex_lock(&o->mu);
    int ok = !o->stopping && o->len < QUEUE_CAP;
    if (ok) {
        o->q[(o->head + o->len) % QUEUE_CAP] = (struct job){fn, arg};
        o->len++;
        pthread_cond_signal(&o->more);
    }
    pthread_mutex_unlock(&o->mu);
    return ok ? 0 : -1;
}

void offload_stop(struct offload *o)
{
    if (!o)
        return;
    pthread_mutex_lock(&o->mu);
    o->stopping = 1;
    pthread_cond_broadcast(&o->more);
    pthread_mutex_unlock(&o->mu);
    for (int i = 0; i < o->nthreads; i++)
        pthread_join(o->threads[i], NULL);
    pthread_cond_destroy(&o->more);
    pthread_mutex_destroy(&o->mu);
    core_free(o);
}
