/* SPDX-License-Identifier: MIT
 * core.c - heap wrappers, clocks, time and number parsing; see core.h.
 */
#include "base.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void oom(size_t n)
{
    fprintf(stderr, "level=fatal msg=\"out of memory\" bytes=%zu\n", n);
    abort();
}

void *core_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *core_calloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom(n * size);
    return p;
}

void *core_realloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *core_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = core_malloc(n);
    memcpy(d, s, n);
    return d;
}

void core_free(void *p)
{
    free(p);
}

uint64_t clock_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

int64_t clock_now(void)
{
    return (int64_t)time(NULL);
}

/* days since 1970-01-01 from a civil date (proleptic Gregorian) */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

int date_days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int date_parse(const char *s, size_t n, int64_t *days)
{
    int y, m, d;
    if (n != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    if (digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
        return -1;
    if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > date_days_in_month(y, m))
        return -1;
    *days = days_from_civil(y, m, d);
    return 0;
}

void date_format(int64_t days, char *out, size_t n)
{
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(out, n, "%04lld-%02d-%02d", (long long)y, m, d);
}

static char *put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
    return p + 2;
}

/* Hand-written: it runs for every datetime of every listed record. */
void time_format_rfc3339(int64_t t, int offset_min, char *out, size_t n)
{
    int64_t local = t + (int64_t)offset_min * 60;
    int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    int64_t secs = local - days * 86400;
    int64_t y;
    int m, d;
    char tmp[32], *p = tmp;
    civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999 || n < 26) {
        snprintf(out, n, "%04lld-%02d-%02dT00:00:00Z", (long long)y, m, d);
        return;
    }
    p = put2(p, (int)(y / 100));
    p = put2(p, (int)(y % 100));
    *p++ = '-';
    p = put2(p, m);
    *p++ = '-';
    p = put2(p, d);
    *p++ = 'T';
    p = put2(p, (int)(secs / 3600));
    *p++ = ':';
    p = put2(p, (int)(secs / 60 % 60));
    *p++ = ':';
    p = put2(p, (int)(secs % 60));
    if (offset_min == 0) {
        *p++ = 'Z';
    } else {
        int a = offset_min < 0 ? -offset_min : offset_min;
        *p++ = offset_min < 0 ? '-' : '+';
        p = put2(p, a / 60 % 100);
        *p++ = ':';
        p = put2(p, a % 60);
    }
    *p = 0;
    memcpy(out, tmp, (size_t)(p - tmp) + 1);
}

int time_parse_rfc3339(const char *s, size_t n, int64_t *out)
{
    int64_t days;
    int hh, mm, ss = 0;
    size_t i;
    if (n < 17 || date_parse(s, 10, &days) || (s[10] != 'T' && s[10] != 't' && s[10] != ' '))
        return -1;
    if (digits(s + 11, 2, &hh) || s[13] != ':' || digits(s + 14, 2, &mm))
        return -1;
    i = 16;
    if (i < n && s[i] == ':') {
        if (i + 3 > n || digits(s + i + 1, 2, &ss))
            return -1;
        i += 3;
        if (i < n && s[i] == '.') {
            i++;
            size_t f = i;
            while (i < n && s[i] >= '0' && s[i] <= '9')
                i++;
            if (i == f)
                return -1;
        }
    }
    if (hh > 23 || mm > 59 || ss > 60)
        return -1;
    int off = 0;
    if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
        i++;
    } else if (i < n && (s[i] == '+' || s[i] == '-')) {
        int oh, om;
        if (i + 6 > n || digits(s + i + 1, 2, &oh) || s[i + 3] != ':' ||
            digits(s + i + 4, 2, &om) || oh > 23 || om > 59)
            return -1;
        off = (oh * 60 + om) * (s[i] == '-' ? -1 : 1);
        i += 6;
    } else {
        return -1; /* an instant needs its offset */
    }
    if (i != n)
        return -1;
    *out = days * 86400 + hh * 3600 + mm * 60 + (ss > 59 ? 59 : ss) - (int64_t)off * 60;
    return 0;
}

int64_t div_round(int64_t a, int64_t b)
{
    int64_t q = a / b, r = a % b; /* C: q towards zero, r has a's sign */
    if (r < 0)
        return -r >= b - -r ? q - 1 : q;
    return r >= b - r ? q + 1 : q;
}

int64_t pct_tenths(int64_t a, int64_t b)
{
    return div_round(a * 1000, b);
}

int parse_i64(const char *p, size_t n, int64_t *out)
{
    size_t i = 0;
    int neg = 0;
    uint64_t v = 0;
    if (n == 0)
        return -1;
    if (p[0] == '-' || p[0] == '+') {
        neg = p[0] == '-';
        i = 1;
        if (n == 1)
            return -1;
    }
    for (; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        uint64_t d = (uint64_t)(p[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    if (neg) {
        if (v > (uint64_t)INT64_MAX + 1)
            return -1;
        *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    } else {
        if (v > (uint64_t)INT64_MAX)
            return -1;
        *out = (int64_t)v;
    }
    return 0;
}

void core_random(void *buf, size_t n)
{
    randombytes_buf(buf, n);
}
