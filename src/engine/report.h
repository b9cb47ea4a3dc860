/* SPDX-License-Identifier: MIT
 * report.h - the report kit: one way to answer JSON that a handler composes
 * (reports, dashboard cards, the dispatch slip). Build the document with
 * jansson, keep what must outlive the handler's own references with
 * report_keep (released with the request, whatever path returns), and answer
 * with report_send. A long report is three functions: query (rows into C
 * structs, in the request's arena), fold (the figures), render (jansson).
 */
#ifndef BUREAU_REPORT_H
#define BUREAU_REPORT_H

#include <jansson.h>
#include <stdint.h>

struct req;

/* j, released when the request ends (NULL stays NULL; on failure to register
 * j is released at once and NULL returned). */
json_t *report_keep(struct req *r, json_t *j);
/* Answers 200 with doc as compact JSON (reals to 12 significant digits) and
 * releases doc (NULL: 500). Returns 0 or a negative ERR_*. */
int report_send(struct req *r, json_t *doc);
/* The same with another status (201 for a created record). */
int report_send_status(struct req *r, int status, json_t *doc);
/* A document the same for every caller (the OpenAPI document, the UI
 * metadata): built on first use, kept as compact JSON with sorted keys.
 *   static struct report_doc doc = {.build = build, .max = 8u << 20};
 *   const struct buf *text = report_doc_text(&doc);   // NULL: it failed
 * report_doc_dump writes a fresh, indented copy (snapshots). */
struct buf;
struct report_doc {
    json_t *(*build)(void);
    size_t max; /* the text may not grow past this */
    int state;  /* 0 not built, 1 built, -1 failed */
    struct buf *text;
};
const struct buf *report_doc_text(struct report_doc *d);
void report_doc_dump(struct report_doc *d, struct buf *b);
/* A text, or null for NULL. */
json_t *report_str(const char *s);

/* ---- a report's query parameters: each refusal is 400 naming the
 * parameter, with the key and figures (query.*) ---- */
/* Only these parameters (NULL-terminated). */
int report_params_only(struct req *r, const char *const *names);
/* Parameter k, a whole number in [lo, hi]; dflt when absent or empty. */
int report_param_int(struct req *r, const char *k, int64_t lo, int64_t hi, int64_t dflt,
                     int64_t *out);
/* Parameter k, a date YYYY-MM-DD, as days since 1970-01-01; dflt when
 * absent or empty. */
int report_param_day(struct req *r, const char *k, int64_t dflt, int64_t *day);
/* Parameter k, a month YYYY-MM, as the day it begins; the month of day dflt
 * when absent or empty. */
int report_param_month(struct req *r, const char *k, int64_t dflt, int64_t *first);
/* Today in the tenant's time zone, as days since 1970-01-01. */
int64_t report_today(struct req *r);

#endif
