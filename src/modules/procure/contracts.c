/* SPDX-License-Identifier: MIT
 * procure/contracts.c - the award's contract and its payments:
 *
 *   - a contract only for a project whose complaint window has closed (the
 *     project is at `contract`, moved there by the job once the window's last
 *     day has passed with no complaint open), signed after that day
 *     (procure.contract.window_open, with the window's end); the supplier and
 *     the amount default to the award's; signed within contract_days of the
 *     result (法 第46条) or flagged signed_late; published within
 *     contract_publish_wd working days (实施条例 第50条) or flagged
 *     published_late; savings = budget − contract amount; the project goes
 *     on to performance;
 *   - payments never above the contract's amount (procure.payment.over, with
 *     the amount, what is paid and what remains); a payment is not changed
 *     afterwards; paid in full, the contract is completed.
 */
#include "life.h"
#include "periods.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/record.h"
#include "../../engine/report.h"
#include "../org/calendar.h"

#include <string.h>

static int unknown(struct err *e, int contract, int64_t id)
{
    err_clear(e);
    if (contract)
        err_field(e, "contract_id", "procure.contract.unknown", "no contract {id}%lld",
                  (long long)id);
    else
        err_field(e, "project_id", "procure.project.unknown", "no project {id}%lld", (long long)id);
    return err_invalid(e);
}

int pc_contract_before_write(struct res_write *w)
{
    struct req *r = w->r;
    if (!w->rec || r->server_write)
        return 0;
    if (w->old) {
        /* the figures and the dates are the signed contract's */
        static const char *const fixed[] = {"project_id", "amount_fen", "signed_on", "supplier_id",
                                            NULL};
        for (int i = 0; fixed[i]; i++)
            if (!json_equal(json_object_get(w->old, fixed[i]), json_object_get(w->rec, fixed[i])))
                err_field(w->e, fixed[i], "procure.contract.fixed",
                          "a signed contract's {field}%s is fixed", fixed[i]);
        return w->e->nitems ? err_invalid(w->e) : 0;
    }
    int64_t project = wf_int(w->rec, "project_id");
    json_t *p;
    int rc = rec_lock(r, w->c, &pc_projects, project, w->e);
    if (rc < 0)
        return rc;
    if (rc > 0 || (rc = rec_load(r, w->c, &pc_projects, project, &p, w->e)))
        return rc > 0 || rc == -ERR_NOT_FOUND ? unknown(w->e, 0, project) : rc;
    report_keep(r, p);
    const char *status = wf_str(p, "status");
    const char *ends = wf_str(p, "complaint_ends");
    int64_t signed_on = pc_day(wf_str(w->rec, "signed_on"));
    if (wf_is(status, "result_publicity") || wf_is(status, "complaint_window") ||
        (wf_is(status, "suspended") && ends) ||
        (wf_is(status, "contract") && ends && signed_on <= pc_day(ends)))
        return err_set(w->e, ERR_CONFLICT, "signed_on", "procure.contract.window_open",
                       "the complaint window of project {code}%s runs to {ends}%s: the contract "
                       "is signed after it has closed",
                       wf_str(p, "code"), ends ? ends : "");
    if (!wf_is(status, "contract"))
        return err_set(w->e, ERR_CONFLICT, "project_id", "procure.contract.project_status",
                       "project {code}%s is {status}%s: a contract follows its award",
                       wf_str(p, "code"), status);
    if (signed_on > report_today(r))
        return err_set(w->e, ERR_CONFLICT, "signed_on", "procure.contract.future",
                       "a contract is recorded once signed, not on {signed_on}%s",
                       wf_str(w->rec, "signed_on"));
    if (!wf_has(w->rec, "supplier_id") && wf_has(p, "winner_supplier_id"))
        json_object_set_new(w->rec, "supplier_id", json_integer(wf_int(p, "winner_supplier_id")));
    if (!wf_has(w->rec, "amount_fen")) {
        if (!wf_has(p, "winner_price_fen")) {
            err_field(w->e, "amount_fen", "field.required", "the contract's amount");
            return err_invalid(w->e);
        }
        json_object_set_new(w->rec, "amount_fen", json_integer(wf_int(p, "winner_price_fen")));
    }
    if (!wf_has(w->rec, "title"))
        json_object_set_new(w->rec, "title", json_string(wf_str(p, "name")));
    struct calendar cal;
    if ((rc = cal_load(r, w->c, r->tenant_id, &cal, w->e)))
        return rc;
    int64_t due = pc_day(wf_str(p, "contract_due"));
    int64_t pub = pc_workdays_after(
        &cal, signed_on, (int)pc_setting(r, w->c, "contract_publish_wd", PC_CONTRACT_PUBLISH_WD));
    int64_t budget = wf_int(p, "budget_fen"), amount = wf_int(w->rec, "amount_fen");
    json_object_set_new(w->rec, "sign_due", due ? json_string(pc_date(r, due)) : json_null());
    json_object_set_new(w->rec, "signed_late", json_boolean(due && signed_on > due));
    json_object_set_new(w->rec, "publish_due", json_string(pc_date(r, pub)));
    json_object_set_new(w->rec, "budget_fen", json_integer(budget));
    json_object_set_new(w->rec, "savings_fen", json_integer(budget - amount));
    json_object_set_new(w->rec, "department_id", json_integer(wf_int(p, "department_id")));
    return 0;
}

/* A new contract: the project performs it. */
int pc_contract_after_write(struct res_write *w)
{
    struct req *r = w->r;
    if (!w->rec || w->old || r->server_write)
        return 0;
    int rc = 0;
    if (!wf_has(w->rec, "code")) /* "HT<year signed>-<id>": unique by the id */
        rc = wf_update(r, w->c, &pc_contracts, w->id,
                       json_pack("{s:s}", "code",
                                 pc_code(r, "HT", pc_day(wf_str(w->rec, "signed_on")), w->id)),
                       w->e);
    if (!rc)
        rc = wf_update(r, w->c, &pc_projects, wf_int(w->rec, "project_id"),
                       json_pack("{s:s}", "status", "performance"), w->e);
    return rc;
}

int pc_contract_publish_check(struct wf *w)
{
    struct req *r = w->r;
    int64_t today = report_today(r), due = pc_day(wf_str(w->rec, "publish_due"));
    if (wf_has(w->rec, "published_on"))
        return wf_conflict(w, "procure.contract.published",
                           "contract {code}%s was published on {published_on}%s",
                           wf_str(w->rec, "code"), wf_str(w->rec, "published_on"));
    json_object_set_new(w->patch, "published_on", json_string(pc_date(r, today)));
    json_object_set_new(w->patch, "published_late", json_boolean(due && today > due));
    return 0;
}

int pc_payment_before_write(struct res_write *w)
{
    struct req *r = w->r;
    if (!w->rec || r->server_write)
        return 0;
    if (w->old)
        return err_set(w->e, ERR_CONFLICT, NULL, "procure.payment.fixed",
                       "a payment is not changed: record a correcting contract instead");
    int64_t contract = wf_int(w->rec, "contract_id");
    json_t *k;
    int rc = rec_lock(r, w->c, &pc_contracts, contract, w->e);
    if (rc < 0)
        return rc;
    if (rc > 0 || (rc = rec_load(r, w->c, &pc_contracts, contract, &k, w->e)))
        return rc > 0 || rc == -ERR_NOT_FOUND ? unknown(w->e, 1, contract) : rc;
    report_keep(r, k);
    int64_t amount = wf_int(k, "amount_fen"), paid = wf_int(k, "paid_fen");
    int64_t pay = wf_int(w->rec, "amount_fen");
    if (paid + pay > amount) {
        err_field(w->e, "amount_fen", "procure.payment.over",
                  "the contract of {amount}%s yuan has {paid}%s yuan paid: at most "
                  "{remaining}%s yuan more, not {payment}%s",
                  pc_yuan(r, amount), pc_yuan(r, paid), pc_yuan(r, amount - paid), pc_yuan(r, pay));
        return err_invalid(w->e);
    }
    if (pc_day(wf_str(w->rec, "paid_on")) < pc_day(wf_str(k, "signed_on"))) {
        err_field(w->e, "paid_on", "procure.payment.before_contract",
                  "a payment follows the contract signed on {signed_on}%s", wf_str(k, "signed_on"));
        return err_invalid(w->e);
    }
    json_object_set_new(w->rec, "project_id", json_integer(wf_int(k, "project_id")));
    json_object_set_new(w->rec, "department_id", json_integer(wf_int(k, "department_id")));
    return 0;
}

int pc_payment_after_write(struct res_write *w)
{
    struct req *r = w->r;
    if (!w->rec || w->old || r->server_write)
        return 0;
    int64_t contract = wf_int(w->rec, "contract_id");
    json_t *k;
    int rc = wf_load(r, w->c, &pc_contracts, contract, &k, w->e);
    if (rc)
        return rc;
    int64_t paid = wf_int(k, "paid_fen") + wf_int(w->rec, "amount_fen");
    json_t *patch = json_pack("{s:I}", "paid_fen", (json_int_t)paid);
    if (paid >= wf_int(k, "amount_fen"))
        json_object_set_new(patch, "status", json_string("completed"));
    return wf_update(r, w->c, &pc_contracts, contract, patch, w->e);
}
