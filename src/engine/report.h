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

struct req;

/* j, released when the request ends (NULL stays NULL; on failure to register
 * j is released at once and NULL returned). */
json_t *report_keep(struct req *r, json_t *j);
/* Answers 200 with doc as compact JSON (reals to 12 significant digits) and
 * releases doc (NULL: 500). Returns 0 or a negative ERR_*. */
int report_send(struct req *r, json_t *doc);
/* A text, or null for NULL. */
json_t *report_str(const char *s);

#endif
