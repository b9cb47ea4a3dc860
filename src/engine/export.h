/* SPDX-License-Identifier: MIT
 * export.h - a collection's rows as CSV or XLSX (GET /api/v1/{collection}.csv
 * and .xlsx), and the workbooks of reports.
 */
#ifndef BUREAU_EXPORT_H
#define BUREAU_EXPORT_H

#include "query.h"
#include "res.h"

struct req;

/* Streams every row matching q as CSV or XLSX. */
int export_run(struct req *r, const struct res_entity *ent, struct query *q, int xlsx);
/* Answers with the file at path as the download "<name>-<YYYYMMDD>.<ext>"
 * (read into the request's memory). */
int export_send_file(struct req *r, const char *path, const char *name, const char *ext,
                     const char *ctype);
/* 1 when the heading s (n bytes) names money field f with its unit, as the
 * exports a person opens write it ("购置价格（元）", "Price (yuan)"; "(元)"
 * too), or is a label that names the unit itself: such a column holds yuan
 * (import.c). A field name or a bare label means fen. */
int export_yuan_heading(const struct res_field *f, const char *s, size_t n);
/* One CSV cell of text s (NULL: empty), quoted when needed, guarded against
 * being run as a formula (as the exports write every cell). */
struct buf;
void export_csv_field(struct buf *out, const char *s);
/* A report's workbook in a temporary file of its own. open: 0, or an error
 * with wb NULL; constant_memory streams rows (they must then come in order).
 * close: closes the workbook (always), answers with it as
 * "<name>-<YYYYMMDD>.xlsx" when rc is 0, removes the file; returns rc or the
 * error. */
struct export_xlsx {
    struct lxw_workbook *wb;
    char dir[256], path[300];
};
int export_xlsx_open(struct req *r, struct export_xlsx *x, int constant_memory);
int export_xlsx_close(struct req *r, struct export_xlsx *x, int rc, const char *name);

#endif
