/* SPDX-License-Identifier: MIT
 * canteen/ledger_standin.c - a minimal ct_post until ledger.c arrives:
 * inserts the entry, updates the cached balance, a repeated key answers the
 * original. (Removed when the ledger's own posting function is merged.)
 */
#include "canteen.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"

#include <string.h>

int ct_post(struct req *r, struct db_conn *c, const struct ct_post *p, struct ct_posted *out)
{
    struct db_stmt *st;
    memset(out, 0, sizeof(*out));
    int rc = db_prepare_ints(c,
                             "SELECT id, balance_fen, delta_fen FROM meal_transactions WHERE "
                             "tenant_id = ? AND idem_key = ?",
                             DB_INTS(r->tenant_id, 0), &st, &r->err);
    if (rc)
        return rc;
    db_bind_text(st, 2, p->idem_key, strlen(p->idem_key));
    if ((rc = db_step(st, &r->err)) == DB_ROW) {
        out->id = db_col_int(st, 0), out->balance_fen = db_col_int(st, 1);
        out->delta_fen = db_col_int(st, 2), out->replayed = 1;
    }
    db_reset(st);
    if (rc < 0 || out->replayed)
        return rc < 0 ? rc : 0;
    int64_t person = 0, dept = 0, bal = 0, other = 0;
    if ((rc = db_prepare_ints(c,
                              "SELECT person_id, department_id, balance_fen FROM meal_accounts "
                              "WHERE tenant_id = ? AND id = ?",
                              DB_INTS(r->tenant_id, p->account_id), &st, &r->err)))
        return rc;
    if ((rc = db_step(st, &r->err)) == DB_ROW)
        person = db_col_int(st, 0), dept = db_col_int(st, 1), bal = db_col_int(st, 2);
    db_reset(st);
    if (rc < 0)
        return rc;
    const char *okind = !strcmp(p->kind, "topup")                                 ? "cash"
                        : !strcmp(p->kind, "subsidy")                             ? "subsidy"
                        : !strcmp(p->kind, "spend") || !strcmp(p->kind, "refund") ? "canteen"
                                                                                  : "adjustment";
    if ((rc = ct_system_account(c, r->tenant_id, okind,
                                !strcmp(okind, "canteen") ? p->canteen_id : 0, &other, &r->err)))
        return rc;
    int64_t at = p->at ? p->at : clock_now();
    char day[16];
    date_format((at + r->utc_offset_min * 60) / 86400, day, sizeof(day));
    bal += p->delta_fen;
    if ((rc = db_prepare(c,
                         "INSERT INTO meal_transactions (tenant_id, version, created_at, "
                         "updated_at, kind, account_id, person_id, department_id, "
                         "debit_account_id, credit_account_id, amount_fen, delta_fen, "
                         "balance_fen, canteen_id, meal, business_day, at, method, offline, "
                         "idem_key, subsidy_month, note) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, "
                         "?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?) RETURNING id",
                         &st, &r->err)))
        return rc;
    int k = 1;
    db_bind_int(st, k++, r->tenant_id);
    db_bind_int(st, k++, at);
    db_bind_int(st, k++, at);
    db_bind_text(st, k++, p->kind, strlen(p->kind));
    db_bind_int(st, k++, p->account_id);
    db_bind_int_or_null(st, k++, person);
    db_bind_int_or_null(st, k++, dept);
    db_bind_int(st, k++, p->delta_fen < 0 ? p->account_id : other);
    db_bind_int(st, k++, p->delta_fen < 0 ? other : p->account_id);
    db_bind_int(st, k++, p->delta_fen < 0 ? -p->delta_fen : p->delta_fen);
    db_bind_int(st, k++, p->delta_fen);
    db_bind_int(st, k++, bal);
    db_bind_int_or_null(st, k++, p->canteen_id);
    if (p->meal)
        db_bind_text(st, k++, p->meal, strlen(p->meal));
    else
        db_bind_null(st, k++);
    db_bind_text(st, k++, day, strlen(day));
    db_bind_int(st, k++, at);
    db_bind_text(st, k++, p->method ? p->method : "system",
                 strlen(p->method ? p->method : "system"));
    db_bind_text(st, k++, p->idem_key, strlen(p->idem_key));
    if (p->subsidy_month)
        db_bind_text(st, k++, p->subsidy_month, strlen(p->subsidy_month));
    else
        db_bind_null(st, k++);
    if (p->note)
        db_bind_text(st, k++, p->note, strlen(p->note));
    else
        db_bind_null(st, k++);
    if ((rc = db_step(st, &r->err)) == DB_ROW)
        out->id = db_col_int(st, 0), rc = 0;
    db_reset(st);
    if (rc < 0)
        return rc;
    out->balance_fen = bal, out->delta_fen = p->delta_fen;
    db_exec_ints(c, "UPDATE meal_accounts SET balance_fen = balance_fen + ? WHERE id = ?",
                 DB_INTS(p->delta_fen, p->account_id), &r->err);
    return 0;
}
