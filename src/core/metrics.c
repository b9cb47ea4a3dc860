/* SPDX-License-Identifier: MIT
 * metrics.c - see metrics.h.
 */
#include "metrics.h"
#include "../base/buf.h"
#include "router.h"

#define MAX_ROUTES 256

static const int statuses[] = {200, 201, 204, 304, 400, 401, 403, 404, 405, 409, 413, 415,
                               422, 428, 429, 431, 500, 503, 0 /* other */};
#define NSTATUS (int)(sizeof(statuses) / sizeof(statuses[0]))
/* latency buckets in microseconds */
static const uint64_t buckets[] = {100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000,
                                   100000, 250000, 500000, 1000000, 2500000};
#define NBUCKETS (int)(sizeof(buckets) / sizeof(buckets[0]))

static uint64_t counts[MAX_ROUTES + 1][NSTATUS];
static uint64_t hist[NBUCKETS + 1];
static uint64_t sum_us, total, db_us_total;
static int64_t open_conns, conns_total, offloaded;

static int status_idx(int status)
{
    for (int i = 0; i < NSTATUS - 1; i++)
        if (statuses[i] == status)
            return i;
    return NSTATUS - 1;
}

void metrics_request(int route, int status, uint64_t us, uint64_t db_us)
{
    int r = route >= 0 && route < MAX_ROUTES ? route : MAX_ROUTES;
    __atomic_fetch_add(&counts[r][status_idx(status)], 1, __ATOMIC_RELAXED);
    int b = 0;
    while (b < NBUCKETS && us > buckets[b])
        b++;
    __atomic_fetch_add(&hist[b], 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&sum_us, us, __ATOMIC_RELAXED);
    __atomic_fetch_add(&total, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&db_us_total, db_us, __ATOMIC_RELAXED);
}

void metrics_connections(int delta)
{
    __atomic_fetch_add(&open_conns, delta, __ATOMIC_RELAXED);
    if (delta > 0)
        __atomic_fetch_add(&conns_total, delta, __ATOMIC_RELAXED);
}

void metrics_offloaded(void)
{
    __atomic_fetch_add(&offloaded, 1, __ATOMIC_RELAXED);
}

int64_t metrics_open_connections(void)
{
    return __atomic_load_n(&open_conns, __ATOMIC_RELAXED);
}

void metrics_render(struct buf *b)
{
    buf_puts(b, "# HELP bureau_http_requests_total HTTP requests by route and status.\n"
                "# TYPE bureau_http_requests_total counter\n");
    int nr = router_count();
    for (int r = 0; r <= MAX_ROUTES; r++) {
        if (r >= nr && r != MAX_ROUTES)
            continue;
        for (int s = 0; s < NSTATUS; s++) {
            uint64_t v = __atomic_load_n(&counts[r][s], __ATOMIC_RELAXED);
            if (!v)
                continue;
            static const char *mn[] = {"OTHER", "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE",
                                       "OPTIONS"};
            buf_printf(b, "bureau_http_requests_total{method=\"%s\",route=\"%s\",status=\"",
                       r == MAX_ROUTES ? "any" : mn[router_method(r)],
                       r == MAX_ROUTES ? "unmatched" : router_pattern(r));
            if (statuses[s])
                buf_printf(b, "%d", statuses[s]);
            else
                buf_puts(b, "other");
            buf_printf(b, "\"} %llu\n", (unsigned long long)v);
        }
    }
    buf_puts(b, "# HELP bureau_http_request_duration_seconds Request latency.\n"
                "# TYPE bureau_http_request_duration_seconds histogram\n");
    uint64_t cum = 0;
    for (int i = 0; i < NBUCKETS; i++) {
        cum += __atomic_load_n(&hist[i], __ATOMIC_RELAXED);
        buf_printf(b, "bureau_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
                   (double)buckets[i] / 1e6, (unsigned long long)cum);
    }
    cum += __atomic_load_n(&hist[NBUCKETS], __ATOMIC_RELAXED);
    buf_printf(b, "bureau_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
               (unsigned long long)cum);
    buf_printf(b, "bureau_http_request_duration_seconds_sum %.6f\n",
               (double)__atomic_load_n(&sum_us, __ATOMIC_RELAXED) / 1e6);
    buf_printf(b, "bureau_http_request_duration_seconds_count %llu\n",
               (unsigned long long)__atomic_load_n(&total, __ATOMIC_RELAXED));
    buf_printf(b,
               "# HELP bureau_db_seconds_total Time spent in the database by requests.\n"
               "# TYPE bureau_db_seconds_total counter\nbureau_db_seconds_total %.6f\n",
               (double)__atomic_load_n(&db_us_total, __ATOMIC_RELAXED) / 1e6);
    buf_printf(b,
               "# HELP bureau_open_connections Open HTTP connections.\n"
               "# TYPE bureau_open_connections gauge\nbureau_open_connections %lld\n"
               "# HELP bureau_connections_total HTTP connections accepted.\n"
               "# TYPE bureau_connections_total counter\nbureau_connections_total %lld\n"
               "# HELP bureau_hashed_off_workers_total Requests that checked a password on the "
               "hashing threads, off the HTTP workers.\n"
               "# TYPE bureau_hashed_off_workers_total counter\nbureau_hashed_off_workers_total "
               "%lld\n",
               (long long)__atomic_load_n(&open_conns, __ATOMIC_RELAXED),
               (long long)__atomic_load_n(&conns_total, __ATOMIC_RELAXED),
               (long long)__atomic_load_n(&offloaded, __ATOMIC_RELAXED));
}
