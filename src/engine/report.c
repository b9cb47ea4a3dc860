/* SPDX-License-Identifier: MIT
 * report.c - the report kit (report.h).
 */
#include "report.h"
#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/base.h"
#include "../core/http.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

static void decref(void *p)
{
    json_decref(p);
}

json_t *report_keep(struct req *r, json_t *j)
{
    if (j && arena_defer(r->a, decref, j)) {
        json_decref(j);
        return NULL;
    }
    return j;
}

static int append(const char *s, size_t n, void *b)
{
    buf_append(b, s, n);
    return buf_ok(b) ? 0 : -1;
}

int report_send(struct req *r, json_t *doc)
{
    return report_send_status(r, 200, doc);
}

int report_send_status(struct req *r, int status, json_t *doc)
{
    int rc =
        doc ? json_dump_callback(doc, append, &r->out, JSON_COMPACT | JSON_REAL_PRECISION(12)) : -1;
    json_decref(doc);
    if (rc)
        return buf_ok(&r->out)
                   ? err_set(&r->err, ERR_INTERNAL, NULL, NULL, "cannot render the answer")
                   : err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    return resp_json(r, status);
}

json_t *report_str(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* ---- query parameters ---- */

struct only {
    struct req *r;
    const char *const *names;
};

static int known(void *ctx, const char *k, const char *v)
{
    struct only *o = ctx;
    (void)v;
    for (const char *const *n = o->names; *n; n++)
        if (!strcmp(*n, k))
            return 0;
    char q[140];
    err_quote(q, sizeof(q), k, strlen(k));
    return err_set(&o->r->err, ERR_BAD_QUERY, q, "query.unknown",
                   "unknown or unfilterable parameter '{param}%s'", q);
}

int report_params_only(struct req *r, const char *const *names)
{
    struct only o = {r, names};
    return req_query_each(r, known, &o);
}

int report_param_int(struct req *r, const char *k, int64_t lo, int64_t hi, int64_t dflt,
                     int64_t *out)
{
    const char *s = req_query(r, k);
    *out = dflt;
    if (!s || !*s)
        return 0;
    if (!parse_i64(s, strlen(s), out) && *out >= lo && *out <= hi)
        return 0;
    return err_set(&r->err, ERR_BAD_QUERY, k, "query.range",
                   "must be a whole number from {min}%lld to {max}%lld", (long long)lo,
                   (long long)hi);
}

int report_param_day(struct req *r, const char *k, int64_t dflt, int64_t *day)
{
    const char *s = req_query(r, k);
    *day = dflt;
    if (!s || !*s)
        return 0;
    if (strlen(s) == 10 && !date_parse(s, 10, day))
        return 0;
    return err_set(&r->err, ERR_BAD_QUERY, k, "field.date", "must be a date YYYY-MM-DD");
}

int report_param_month(struct req *r, const char *k, int64_t dflt, int64_t *first)
{
    const char *s = req_query(r, k);
    char d[16];
    if (!s || !*s) {
        date_format(dflt, d, sizeof(d));
        memcpy(d + 8, "01", 3);
    } else if (strlen(s) == 7) {
        snprintf(d, sizeof(d), "%.7s-01", s);
    } else {
        d[0] = 0;
    }
    if (d[0] && !date_parse(d, 10, first))
        return 0;
    return err_set(&r->err, ERR_BAD_QUERY, k, "query.month", "must be a month YYYY-MM");
}

int64_t report_today(struct req *r)
{
    int64_t s = clock_now() + (int64_t)r->utc_offset_min * 60;
    return s >= 0 ? s / 86400 : (s - 86399) / 86400;
}

/* ---- documents built once ---- */

#define DOC_FLAGS (JSON_SORT_KEYS | JSON_REAL_PRECISION(15))

static pthread_mutex_t doc_mu = PTHREAD_MUTEX_INITIALIZER;

const struct buf *report_doc_text(struct report_doc *d)
{
    int state = __atomic_load_n(&d->state, __ATOMIC_ACQUIRE);
    if (!state) {
        pthread_mutex_lock(&doc_mu);
        if (!(state = d->state)) {
            json_t *doc = d->build();
            struct buf *b = core_calloc(1, sizeof(*b));
            buf_init(b, NULL);
            b->max = d->max;
            int ok = doc && !json_dump_callback(doc, append, b, JSON_COMPACT | DOC_FLAGS) &&
                     buf_ok(b) && b->len > 0;
            json_decref(doc);
            d->text = b;
            state = ok ? 1 : -1;
            __atomic_store_n(&d->state, state, __ATOMIC_RELEASE);
        }
        pthread_mutex_unlock(&doc_mu);
    }
    return state > 0 ? d->text : NULL;
}

void report_doc_dump(struct report_doc *d, struct buf *b)
{
    json_t *doc = d->build();
    if (doc)
        json_dump_callback(doc, append, b, JSON_INDENT(2) | DOC_FLAGS);
    buf_putc(b, '\n');
    json_decref(doc);
}
