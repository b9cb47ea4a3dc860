/* SPDX-License-Identifier: MIT
 * log.h - one line per event on stderr in logfmt (key=value), written with
 * a single write(2) so lines from worker threads never interleave.
 */
#ifndef BUREAU_LOG_H
#define BUREAU_LOG_H

#include <stdint.h>

void log_msg(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_info(...) log_msg("info", __VA_ARGS__)
#define log_warn(...) log_msg("warn", __VA_ARGS__)
#define log_error(...) log_msg("error", __VA_ARGS__)
/* The access log line of a finished request. */
void log_request(const char *rid, const char *method, const char *path, int status, uint64_t bytes,
                 uint64_t us, const char *user);
/* 0 disables request lines (bench). */
void log_set_requests(int on);

#endif
