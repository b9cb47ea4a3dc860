/* SPDX-License-Identifier: MIT
 * log.c - see log.h.
 */
#include "log.h"
#include "base.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int log_requests = 1;

void log_set_requests(int on)
{
    log_requests = on;
}

static size_t stamp(char *out, size_t n)
{
    char t[40];
    time_format_rfc3339(clock_now(), 0, t, sizeof(t));
    int k = snprintf(out, n, "ts=%s ", t);
    return k < 0 ? 0 : (size_t)k;
}

static void emit(char *line, size_t len, size_t cap)
{
    if (len >= cap - 1)
        len = cap - 2;
    line[len++] = '\n';
    ssize_t w = write(2, line, len);
    (void)w;
}

void log_msg(const char *level, const char *fmt, ...)
{
    char line[1024];
    size_t n = stamp(line, sizeof(line));
    int k = snprintf(line + n, sizeof(line) - n, "level=%s msg=\"", level);
    n += k > 0 ? (size_t)k : 0;
    va_list ap;
    va_start(ap, fmt);
    char msg[800];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    for (const char *s = msg; *s && n < sizeof(line) - 4; s++) {
        char c = *s;
        if (c == '"' || c == '\\')
            line[n++] = '\\';
        line[n++] = (c == '\n' || c == '\r') ? ' ' : c;
    }
    line[n++] = '"';
    emit(line, n, sizeof(line));
}

void log_request(const char *rid, const char *method, const char *path, int status, uint64_t bytes,
                 uint64_t us, const char *user)
{
    if (!log_requests)
        return;
    char line[768];
    size_t n = stamp(line, sizeof(line));
    int k = snprintf(line + n, sizeof(line) - n, "rid=%s method=%s path=\"", rid, method);
    n += k > 0 ? (size_t)k : 0;
    for (const char *s = path; *s && n < 600; s++) {
        unsigned char c = (unsigned char)*s;
        line[n++] = (c < 0x20 || c == '"' || c == 0x7f) ? '?' : (char)c;
    }
    k = snprintf(line + n, sizeof(line) - n, "\" status=%d bytes=%llu us=%llu user=%s", status,
                 (unsigned long long)bytes, (unsigned long long)us, user ? user : "-");
    n += k > 0 ? (size_t)k : 0;
    if (n > sizeof(line) - 2)
        n = sizeof(line) - 2;
    emit(line, n, sizeof(line));
}
