/* SPDX-License-Identifier: MIT
 * core.h - heap wrappers that abort on exhaustion, monotonic and wall clocks,
 * and small helpers shared by every layer. Only src/core calls malloc/free.
 */
#ifndef BUREAU_CORE_H
#define BUREAU_CORE_H

#include <stddef.h>
#include <stdint.h>

#define BUREAU_VERSION "0.1.0"
#define ARRAY_LEN(x) (sizeof(x) / sizeof((x)[0]))

/* Heap allocation; aborts with a log line when the heap is exhausted. */
void *core_malloc(size_t n);
void *core_calloc(size_t n, size_t size);
void *core_realloc(void *p, size_t n);
char *core_strdup(const char *s);
void core_free(void *p);

/* Microseconds from a monotonic clock. */
uint64_t clock_us(void);
/* Seconds since the epoch, UTC. */
int64_t clock_now(void);

/* Formats t (UTC seconds) as RFC 3339 at the given offset in minutes,
 * e.g. 2026-11-29T18:30:00+08:00, into out (at least 32 bytes). */
void time_format_rfc3339(int64_t t, int offset_min, char *out, size_t n);
/* Parses RFC 3339 (with Z or ±hh:mm; seconds optional fraction ignored) to UTC seconds.
 * Returns 0 or -1. */
int time_parse_rfc3339(const char *s, size_t n, int64_t *out);
/* Checks YYYY-MM-DD, a real calendar day. Returns 0 or -1; *days = days since 1970-01-01. */
int date_parse(const char *s, size_t n, int64_t *days);
/* The number of days of month m (1–12) of year y. */
int date_days_in_month(int y, int m);
/* Days since epoch to YYYY-MM-DD (out >= 11 bytes). */
void date_format(int64_t days, char *out, size_t n);

/* Parses a decimal int64 from exactly p[0..n). Returns 0 or -1 (syntax, overflow). */
int parse_i64(const char *p, size_t n, int64_t *out);

/* a / b (b > 0) rounded to the nearest whole number, a half away from zero
 * (half up for the shares and means reports show): 2 / 3 -> 1, 1 / 2 -> 1,
 * -1 / 2 -> -1. Exact: integers only, no floating point. */
int64_t div_round(int64_t a, int64_t b);
/* The share a of b in tenths of a percent, rounded half up (2 of 3 -> 667,
 * shown as 66.7 %); b > 0, 0 <= a. */
int64_t pct_tenths(int64_t a, int64_t b);

/* Fills buf with n random bytes from the OS (libsodium). */
void core_random(void *buf, size_t n);

#endif
