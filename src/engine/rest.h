/* SPDX-License-Identifier: MIT
 * rest.h - the generic REST routes every collection gets, and the pieces
 * they share with export, import and module actions.
 */
#ifndef BUREAU_REST_H
#define BUREAU_REST_H

#include "query.h"
#include "../core/router.h"
#include "res.h"

#include <jansson.h>

struct req;

/* The generic routes (health, meta, OpenAPI, collections, actions, the web
 * UI's files), terminated by {0}: engine_init adds them after the modules'. */
extern const struct route rest_routes[];

/* The collection named by path segment i (404 when unknown). */
const struct res_entity *rest_collection(struct req *r, int seg, struct err *e);
/* Parses path segment i as a record id (404 when not a positive integer). */
int rest_id(struct req *r, int seg, int64_t *id);
/* Parses the request body as a JSON object (400 with line and column). The
 * value is released with the request. NULL body -> empty object when
 * allow_empty. */
int rest_body_json(struct req *r, json_t **out, int allow_empty);
/* Builds a query from the request's query string (all parameters). */
int rest_query(struct req *r, struct query *q, const struct res_entity *ent, int export);

/* export.c: streams every row matching q as CSV or XLSX. */
int export_run(struct req *r, const struct res_entity *ent, struct query *q, int xlsx);
/* export.c: answers with the file at path as the download
 * "<name>-<YYYYMMDD>.<ext>" (read into the request's memory). */
int export_send_file(struct req *r, const char *path, const char *name, const char *ext,
                     const char *ctype);
/* export.c: a report's workbook in a temporary file of its own. open: 0,
 * or an error with wb NULL; constant_memory streams rows (they must then
 * come in order). close: closes the workbook (always), answers with it as
 * "<name>-<YYYYMMDD>.xlsx" when rc is 0, removes the file; returns rc or the
 * error. */
struct export_xlsx {
    struct lxw_workbook *wb;
    char dir[256], path[300];
};
int export_xlsx_open(struct req *r, struct export_xlsx *x, int constant_memory);
int export_xlsx_close(struct req *r, struct export_xlsx *x, int rc, const char *name);
/* import.c: all-or-nothing CSV import into ent from the request body. */
int import_run(struct req *r, const struct res_entity *ent);
/* openapi.c / uimeta.c: documents generated from the registry. */
int openapi_render(struct req *r);
int uimeta_render(struct req *r);
/* GET /api/v1/summary/{module}: the module's dashboard cards (summary.c). */
int summary_render(struct req *r);
/* For snapshots: the same documents without a request (stable output). */
void openapi_dump(struct buf *b);
void uimeta_dump(struct buf *b);

#endif
