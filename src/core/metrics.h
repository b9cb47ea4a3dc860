/* SPDX-License-Identifier: MIT
 * metrics.h - request counters by route and status, a latency histogram,
 * database time and open connections, rendered in Prometheus text format.
 * Lock-free (relaxed atomics); safe from every worker thread.
 */
#ifndef BUREAU_METRICS_H
#define BUREAU_METRICS_H

#include <stdint.h>

struct buf;

void metrics_request(int route, int status, uint64_t us, uint64_t db_us);
void metrics_connections(int delta);
/* A request answered by the password-hashing threads instead of a worker. */
void metrics_offloaded(void);
void metrics_render(struct buf *b);
/* Open connections now. */
int64_t metrics_open_connections(void);

#endif
