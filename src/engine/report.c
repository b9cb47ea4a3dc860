/* SPDX-License-Identifier: MIT
 * report.c - the report kit (report.h).
 */
#include "report.h"
#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../core/http.h"

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
    int rc = doc ? json_dump_callback(doc, append, &r->out, JSON_COMPACT | JSON_REAL_PRECISION(12))
                 : -1;
    json_decref(doc);
    if (rc)
        return buf_ok(&r->out) ? err_set(&r->err, ERR_INTERNAL, NULL, NULL, "cannot render the answer")
                               : err_set(&r->err, ERR_BUDGET, NULL, NULL,
                                         "request memory budget exceeded");
    return resp_json(r, 200);
}

json_t *report_str(const char *s)
{
    return s ? json_string(s) : json_null();
}
