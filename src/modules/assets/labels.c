/* SPDX-License-Identifier: MIT
 * assets/labels.c - an asset's label: its QR code holds the asset code
 * itself ("ZC2024-000123"), so any scanner, the stocktake's phone page or a
 * spreadsheet's barcode reader gets the code and nothing else to trust; a
 * sheet's labels come in one answer (code, name, department, acquired date
 * and the QR as SVG) for the browser to print on A4 sheets or label rolls.
 */
#include "assets.h"
#include "../../base/arena.h"
#include "../../base/buf.h"
#include "../../base/err.h"
#include "../../core/auth.h"
#include "../../core/http.h"
#include "../../core/qr.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../engine/report.h"
#include "../../engine/rest.h"
#include "../org/org.h"

#include <string.h>

/* GET /api/v1/assets/{id}/qr.svg: for whoever may read the asset (its
 * custodian too: the "assigned" scope). */
int as_qr(struct req *r)
{
    int64_t id;
    struct db_conn *c;
    json_t *rec;
    int rc = rest_record(r, &as_assets, "read", &id, &c, &rec);
    if (rc)
        return rc;
    const char *code = json_string_value(json_object_get(rec, "code"));
    buf_truncate(&r->out, 0);
    if (!code || qr_svg(code, &r->out))
        return err_set(&r->err, ERR_INTERNAL, NULL, NULL, "cannot draw the code");
    r->status = 200;
    r->ctype = "image/svg+xml";
    resp_header(r, "Cache-Control", "private, max-age=300");
    return 0;
}

/* GET /api/v1/assets/labels?ids=…: the labels of up to AS_IDS_MAX assets in
 * the caller's read scope, by code; ids outside it are left out (and
 * counted in "missing"). */
int as_labels(struct req *r)
{
    static const char *const params[] = {"ids", NULL};
    int64_t *ids;
    int n;
    int rc = perm_check(r, &as_assets, "read");
    if (rc || (rc = report_params_only(r, params)) || (rc = as_ids_param(r, AS_IDS_MAX, &ids, &n)))
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    struct org_dept_list dl;
    struct db_stmt *st;
    if ((rc = org_dept_list_load(r, c, &dl, &r->err)) ||
        (rc =
             as_select_ids(r, c, "id, code, name, department_id, acquired_on, model", ids, n, &st)))
        return rc;
    json_t *items = report_keep(r, json_array());
    struct buf svg;
    buf_init(&svg, r->a);
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        const char *code = db_col_text(st, 1, NULL);
        const struct org_dept_row *d = org_dept_list_find(&dl, db_col_int(st, 3));
        buf_truncate(&svg, 0);
        if (qr_svg(code, &svg)) {
            rc = err_set(&r->err, ERR_BUDGET, NULL, NULL, "cannot draw the code");
            break;
        }
        json_array_append_new(
            items,
            json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:s%}", "id", (json_int_t)db_col_int(st, 0), "code",
                      code, "name", db_col_text(st, 2, NULL), "department",
                      d && d->name ? d->name : "", "acquired_on", db_col_text(st, 4, NULL), "model",
                      report_str(db_col_is_null(st, 5) ? NULL : db_col_text(st, 5, NULL)), "qr_svg",
                      svg.p, svg.len));
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    return report_send(r, json_pack("{s:O,s:I}", "items", items, "missing",
                                    (json_int_t)(n - (int)json_array_size(items))));
}
