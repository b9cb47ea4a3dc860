/* SPDX-License-Identifier: MIT
 * org/calendar.c - the working calendar; see calendar.h.
 *
 * Counting walks day by day: a working day contributes the overlap of its
 * periods with the interval. Spans are bounded (CAL_MAX_DAYS) so that a
 * calendar without working time cannot loop for ever.
 */
#include "calendar.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define DAY 86400
#define CAL_MAX_DAYS 3700 /* ten years and a bit */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t cal_day_of(const struct calendar *c, int64_t t)
{
    return floor_div(t + (int64_t)c->utc_offset_min * 60, DAY);
}

/* UTC instant of local midnight starting day. */
static int64_t day_start(const struct calendar *c, int64_t day)
{
    return day * DAY - (int64_t)c->utc_offset_min * 60;
}

int cal_is_workday(const struct calendar *c, int64_t day)
{
    size_t lo = 0, hi = (size_t)c->nexc;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->exc[mid].day < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < (size_t)c->nexc && c->exc[lo].day == day)
        return c->exc[lo].workday != 0;
    int64_t wd = ((day + 4) % 7 + 7) % 7; /* 1970-01-01 was a Thursday; 0 = Sunday */
    return wd >= 1 && wd <= 5;
}

/* Period i of the day starting at base, from from on: [*a, *b) (empty when
 * *b <= *a). */
static void period_from(const struct calendar *c, int64_t base, int i, int64_t from, int64_t *a,
                        int64_t *b)
{
    *a = base + c->periods[i].start * 60;
    *b = base + c->periods[i].end * 60;
    if (*a < from)
        *a = from;
}

int64_t cal_working_seconds(const struct calendar *c, int64_t from, int64_t to)
{
    int64_t sum = 0;
    if (to <= from)
        return 0;
    int64_t d0 = cal_day_of(c, from), d1 = cal_day_of(c, to);
    if (d1 - d0 > CAL_MAX_DAYS)
        d1 = d0 + CAL_MAX_DAYS;
    for (int64_t d = d0; d <= d1; d++) {
        if (!cal_is_workday(c, d))
            continue;
        int64_t base = day_start(c, d);
        for (int i = 0; i < c->nperiods; i++) {
            int64_t a, b;
            period_from(c, base, i, from, &a, &b);
            if (b > to)
                b = to;
            sum += b > a ? b - a : 0;
        }
    }
    return sum;
}

int64_t cal_add_working(const struct calendar *c, int64_t from, int64_t secs)
{
    if (secs <= 0)
        return from;
    int64_t d0 = cal_day_of(c, from);
    for (int64_t d = d0; d <= d0 + CAL_MAX_DAYS; d++) {
        if (!cal_is_workday(c, d))
            continue;
        int64_t base = day_start(c, d);
        for (int i = 0; i < c->nperiods; i++) {
            int64_t a, b;
            period_from(c, base, i, from, &a, &b);
            if (b <= a)
                continue;
            if (secs <= b - a)
                return a + secs;
            secs -= b - a;
        }
    }
    return CAL_NEVER;
}

int64_t cal_add_workdays(const struct calendar *c, int64_t day, int n)
{
    int64_t d = day;
    for (int64_t k = 0; n > 0 && k < CAL_MAX_DAYS; k++)
        if (cal_is_workday(c, ++d))
            n--;
    return d;
}

int64_t cal_workdays_between(const struct calendar *c, int64_t from, int64_t to)
{
    int64_t n = 0;
    if (to - from > CAL_MAX_DAYS)
        to = from + CAL_MAX_DAYS;
    for (int64_t d = from; d < to; d++)
        n += cal_is_workday(c, d);
    return n;
}

int64_t cal_rebase(const struct calendar *before, const struct calendar *after, int64_t start,
                   int64_t due)
{
    if (due <= start)
        return due;
    int64_t secs = cal_working_seconds(before, start, due);
    return secs > 0 ? cal_add_working(after, start, secs) : due;
}

int cal_year_of(int64_t day)
{
    char d[16];
    date_format(day, d, sizeof(d));
    return (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
}

/* The local day of 1 January (month 1) or 1 November (month 11) of year. */
static int64_t first_of(int year, int month)
{
    char d[16];
    int64_t day = 0;
    snprintf(d, sizeof(d), "%04d-%02d-01", year, month);
    date_parse(d, 10, &day);
    return day;
}

int cal_covers(const struct calendar *c, int year)
{
    int64_t jan1 = first_of(year, 1);
    for (int i = 0; i < c->nexc; i++)
        if (c->exc[i].day == jan1)
            return !c->exc[i].workday;
    return 0;
}

int cal_years_needed(int64_t today, int years[2])
{
    int y = cal_year_of(today);
    years[0] = y;
    if (today < first_of(y, 11))
        return 1;
    years[1] = y + 1;
    return 2;
}

int cal_missing_years(const struct calendar *c, int64_t today, int missing[2])
{
    int years[2], n = cal_years_needed(today, years), k = 0;
    for (int i = 0; i < n; i++)
        if (!cal_covers(c, years[i]))
            missing[k++] = years[i];
    return k;
}

/* ---- subscribers to changes ---- */

static cal_change_fn listeners[CAL_MAX_LISTENERS];
static int nlisteners;

void cal_on_change(cal_change_fn fn)
{
    for (int i = 0; i < nlisteners; i++)
        if (listeners[i] == fn)
            return;
    if (nlisteners < CAL_MAX_LISTENERS)
        listeners[nlisteners++] = fn;
}

int cal_changed(struct req *r, struct db_conn *c, const struct cal_change *ch, int64_t *moved,
                struct err *e)
{
    *moved = 0;
    for (int i = 0; i < nlisteners; i++) {
        int rc = listeners[i](r, c, ch, moved, e);
        if (rc)
            return rc;
    }
    return 0;
}

static int hhmm(const char *s, int *out)
{
    if (s[0] < '0' || s[0] > '2' || s[1] < '0' || s[1] > '9' || s[2] != ':' || s[3] < '0' ||
        s[3] > '5' || s[4] < '0' || s[4] > '9')
        return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 24 || (h == 24 && m))
        return -1;
    *out = h * 60 + m;
    return 0;
}

int cal_parse_hours(const char *s, size_t n, struct cal_period *p, int *np, struct err_item *why)
{
    size_t i = 0;
    int k = 0;
    while (i < n) {
        if (k == CAL_MAX_PERIODS) {
            return err_item_set(why, "org.hours.too_many", "at most {max}%d periods",
                                CAL_MAX_PERIODS);
        }
        if (n - i < 11 || s[i + 5] != '-' || hhmm(s + i, &p[k].start) ||
            hhmm(s + i + 6, &p[k].end) || (n - i > 11 && s[i + 11] != ',')) {
            return err_item_set(why, "org.hours.format", "must look like 09:00-12:00,14:00-18:00");
        }
        if (p[k].start >= p[k].end || (k && p[k].start < p[k - 1].end)) {
            return err_item_set(why, "org.hours.order",
                                "periods must be ascending and must not overlap");
        }
        k++;
        i += 11;
        if (i < n) {
            i++; /* the comma */
            if (i == n) {
                return err_item_set(why, "org.hours.comma", "must not end with a comma");
            }
        }
    }
    if (!k) {
        return err_item_set(why, "org.hours.empty", "needs at least one period");
    }
    *np = k;
    return 0;
}

/* ---- loading, with a small per-process cache ---- */

#define SLOTS 32
#define TTL_US (60u * 1000000u)

static struct slot {
    int64_t tenant;
    uint64_t loaded;
    struct calendar cal;
    struct cal_exception *exc; /* heap, owned */
} cache[SLOTS];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

void cal_forget(int64_t tenant)
{
    pthread_mutex_lock(&mu);
    struct slot *s = &cache[(uint64_t)tenant % SLOTS];
    if (s->tenant == tenant)
        s->loaded = 0;
    pthread_mutex_unlock(&mu);
}

static int copy_out(struct req *r, const struct calendar *from, struct calendar *out,
                    struct err *e)
{
    *out = *from;
    if (from->nexc) {
        size_t n = sizeof(*from->exc) * (size_t)from->nexc;
        struct cal_exception *x = arena_alloc(r->a, n);
        if (!x)
            return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
        memcpy(x, from->exc, n);
        out->exc = x;
    }
    return 0;
}

static int read_calendar(struct db_conn *c, int64_t tenant, struct calendar *cal,
                         struct cal_exception **exc, struct err *e)
{
    struct db_stmt *st;
    size_t n;
    struct err_item why;
    memset(cal, 0, sizeof(*cal));
    *exc = NULL;
    int rc = db_prepare_ints(c, "SELECT utc_offset_min, work_hours FROM tenants WHERE id = ?",
                             DB_INTS(tenant), &st, e);
    if (rc)
        return rc;
    rc = db_step(st, e);
    if (rc == DB_ROW) {
        cal->utc_offset_min = (int)db_col_int(st, 0);
        const char *h = db_col_text(st, 1, &n);
        if (cal_parse_hours(h, n, cal->periods, &cal->nperiods, &why))
            cal->nperiods = 0; /* refused on write; an empty calendar never matches */
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    if (rc != DB_ROW)
        return err_set(e, ERR_NOT_FOUND, NULL, NULL, "no tenant {id}%lld", (long long)tenant);
    if ((rc = db_prepare_ints(
             c, "SELECT date, kind FROM calendar_days WHERE tenant_id = ? ORDER BY date",
             DB_INTS(tenant), &st, e)))
        return rc;
    size_t cap = 0;
    int k = 0;
    while ((rc = db_step(st, e)) == DB_ROW) {
        int64_t day;
        const char *d = db_col_text(st, 0, &n);
        if (date_parse(d, n, &day))
            continue;
        if ((size_t)k == cap) {
            cap = cap ? cap * 2 : 256;
            *exc = core_realloc(*exc, cap * sizeof(**exc));
        }
        const char *kind = db_col_text(st, 1, &n);
        (*exc)[k].day = (int32_t)day;
        (*exc)[k].workday = n == 7 && !memcmp(kind, "workday", 7);
        k++;
    }
    db_reset(st);
    if (rc < 0) {
        core_free(*exc);
        *exc = NULL;
        return rc;
    }
    cal->nexc = k;
    cal->exc = *exc;
    return 0;
}

int cal_load_fresh(struct req *r, struct db_conn *c, int64_t tenant, struct calendar *out,
                   struct err *e)
{
    struct calendar cal;
    struct cal_exception *exc;
    int rc = read_calendar(c, tenant, &cal, &exc, e);
    if (rc)
        return rc;
    rc = copy_out(r, &cal, out, e);
    core_free(exc);
    return rc;
}

int cal_load(struct req *r, struct db_conn *c, int64_t tenant, struct calendar *out,
             struct err *e)
{
    uint64_t now = clock_us();
    struct slot *s = &cache[(uint64_t)tenant % SLOTS];
    pthread_mutex_lock(&mu);
    if (s->tenant == tenant && s->loaded && now - s->loaded < TTL_US) {
        int rc = copy_out(r, &s->cal, out, e);
        pthread_mutex_unlock(&mu);
        return rc;
    }
    pthread_mutex_unlock(&mu);
    struct calendar cal;
    struct cal_exception *exc;
    int rc = read_calendar(c, tenant, &cal, &exc, e);
    if (rc)
        return rc;
    pthread_mutex_lock(&mu);
    core_free(s->exc);
    s->tenant = tenant;
    s->cal = cal;
    s->exc = exc;
    s->loaded = now ? now : 1;
    rc = copy_out(r, &s->cal, out, e);
    pthread_mutex_unlock(&mu);
    return rc;
}
