/* SPDX-License-Identifier: MIT
 * procure/projects.c - the rules of a procurement project (project_entities.c
 * declares the steps; periods.c computes):
 *
 *   - a draft's method: derived from the tenant's thresholds (pc_setting);
 *     a method the thresholds forbid needs its recorded approval
 *     (procure.method.needs_approval, with the budget, the threshold and the
 *     method called for); comprehensive scoring weighs the price at least the
 *     floor (procure.weight.below_floor), the lowest-price method weighs
 *     nothing else (procure.weight.lowest_price); only a draft is changed;
 *   - publish: a method that takes bids needs the project's seal (bid_seals,
 *     the sealed bids' part): procure.project.not_sealed;
 *   - open_bidding: the bid deadline at least bid_period_days after the
 *     documents are issued (procure.period.bid_too_short);
 *   - publish_result: a signed evaluation report (evaluation_reports, the
 *     committee's part); the notice's, the complaint window's and the
 *     contract's dates on the working calendar;
 *   - the job procure.periods: result_publicity → complaint_window →
 *     contract as their periods end, never while a complaint is open;
 *   - suspend / resume to where it was (not while a suspending complaint is
 *     open); close once the contract is paid.
 * Every write is the workflow's own (wf_update), audited.
 */
#include "life.h"
#include "periods.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/config.h"
#include "../../core/http.h"
#include "../../core/jobs.h"
#include "../../core/tenant.h"
#include "../../db/db.h"
#include "../../engine/record.h"
#include "../../engine/report.h"
#include "../org/calendar.h"

#include <stdio.h>
#include <string.h>

const char *pc_yuan(struct req *r, int64_t fen)
{
    int64_t a = fen < 0 ? -fen : fen;
    return arena_printf(r->a, "%s%lld.%02lld", fen < 0 ? "-" : "", (long long)(a / 100),
                        (long long)(a % 100));
}

const char *pc_date(struct req *r, int64_t day)
{
    char d[16];
    date_format(day, d, sizeof(d));
    return arena_strdup(r->a, d);
}

int64_t pc_day(const char *s)
{
    int64_t d = 0;
    if (!s || date_parse(s, strlen(s), &d))
        return 0;
    return d;
}

const char *pc_code(struct req *r, const char *prefix, int64_t day, int64_t id)
{
    char d[16];
    date_format(day, d, sizeof(d));
    return arena_printf(r->a, "%s%.4s-%04lld", prefix, d, (long long)id);
}

static void thresholds(struct req *r, struct db_conn *c, struct pc_thresholds *t)
{
    t->tender = pc_setting(r, c, "tender_threshold_fen", PC_TENDER_THRESHOLD_FEN);
    t->decentral = pc_setting(r, c, "decentral_limit_fen", PC_DECENTRAL_LIMIT_FEN);
    t->decentral_works = pc_setting(r, c, "decentral_works_fen", PC_DECENTRAL_WORKS_FEN);
}

/* The threshold that makes derived what it is (for the refusal's figures). */
static int64_t threshold_of(const char *derived, const char *category,
                            const struct pc_thresholds *t)
{
    if (wf_is(derived, "public_tender"))
        return t->tender;
    return wf_is(category, "works") ? t->decentral_works : t->decentral;
}

/* The method and weight rules on rec (field errors into e); sets
 * derived_method and a missing method. */
static void project_rules(struct req *r, struct db_conn *c, json_t *rec, struct err *e)
{
    struct pc_thresholds t;
    thresholds(r, c, &t);
    const char *cat = wf_str(rec, "category");
    int64_t budget = wf_int(rec, "budget_fen");
    const char *derived = pc_derive_method(cat, budget, &t);
    json_object_set_new(rec, "derived_method", json_string(derived));
    if (!wf_has(rec, "method"))
        json_object_set_new(rec, "method", json_string(derived));
    const char *method = wf_str(rec, "method");
    const char *appr = wf_str(rec, "method_approval");
    if (pc_method_needs_approval(derived, method) && (!appr || !*appr))
        err_field(e, "method_approval", "procure.method.needs_approval",
                  "a budget of {budget}%s yuan (threshold {threshold}%s yuan) calls for "
                  "{derived}%s: {method}%s needs the approval's reference",
                  pc_yuan(r, budget), pc_yuan(r, threshold_of(derived, cat, &t)), derived, method);
    const char *ev = wf_str(rec, "evaluation_method");
    if (wf_is(ev, "lowest_price")) {
        if (wf_has(rec, "price_weight_pct") && wf_int(rec, "price_weight_pct") != 100)
            err_field(e, "price_weight_pct", "procure.weight.lowest_price",
                      "the lowest-price method weighs the price only (100 %%), not {weight}%lld",
                      (long long)wf_int(rec, "price_weight_pct"));
        else
            json_object_set_new(rec, "price_weight_pct", json_integer(100));
    } else {
        int floor = pc_weight_floor(
            cat, (int)pc_setting(r, c, "price_weight_goods_pct", PC_PRICE_WEIGHT_GOODS),
            (int)pc_setting(r, c, "price_weight_services_pct", PC_PRICE_WEIGHT_SERVICES));
        if (!wf_has(rec, "price_weight_pct"))
            json_object_set_new(rec, "price_weight_pct", json_integer(floor));
        else if (wf_int(rec, "price_weight_pct") < floor)
            err_field(e, "price_weight_pct", "procure.weight.below_floor",
                      "the price weighs at least {floor}%d %% for {category}%s, not {weight}%lld",
                      floor, cat, (long long)wf_int(rec, "price_weight_pct"));
    }
}

int pc_project_before_write(struct res_write *w)
{
    struct req *r = w->r;
    if (!w->rec || r->server_write)
        return 0;
    if (w->old && !wf_is(wf_str(w->old, "status"), "draft"))
        return err_set(w->e, ERR_CONFLICT, NULL, "procure.project.not_draft",
                       "project {id}%lld is {status}%s: only a draft may be changed",
                       (long long)w->id, wf_str(w->old, "status"));
    /* a method that was the derived one follows the budget and category as they change */
    if (w->old && wf_is(wf_str(w->rec, "method"), wf_str(w->old, "method")) &&
        wf_is(wf_str(w->old, "method"), wf_str(w->old, "derived_method")))
        json_object_del(w->rec, "method");
    project_rules(r, w->c, w->rec, w->e);
    if (w->e->nitems)
        return err_invalid(w->e);
    return 0;
}

/* A new project without a code gets "CG<year>-<id>": unique by its id however many are
 * created at once (a count of the year's codes would give two the same). */
int pc_project_after_write(struct res_write *w)
{
    struct req *r = w->r;
    if (!w->rec || w->old || r->server_write || wf_has(w->rec, "code"))
        return 0;
    return wf_update(r, w->c, &pc_projects, w->id,
                     json_pack("{s:s}", "code", pc_code(r, "CG", report_today(r), w->id)), w->e);
}

int pc_submit_check(struct wf *w)
{
    json_t *rec = json_deep_copy(w->rec);
    if (!rec)
        return err_set(&w->r->err, ERR_INTERNAL, NULL, NULL, "out of memory");
    project_rules(w->r, w->c, rec, &w->r->err);
    json_decref(rec);
    return w->r->err.nitems ? err_invalid(&w->r->err) : 0;
}

int pc_publish_check(struct wf *w)
{
    struct req *r = w->r;
    const char *method = wf_str(w->rec, "method");
    if (!wf_is(method, "self")) {
        int64_t seal = 0;
        int rc = 0;
        if ((rc = db_one_int(
                 w->c, "SELECT COUNT(*) FROM bid_seals WHERE tenant_id = ? AND project_id = ?",
                 DB_INTS(r->tenant_id, w->id), &seal, &r->err)) < 0)
            return rc;
        if (!seal)
            return wf_conflict(w, "procure.project.not_sealed",
                               "project {code}%s ({method}%s) takes sealed bids: seal it (the "
                               "opening officials' key) before its notice is published",
                               wf_str(w->rec, "code"), method);
    }
    struct calendar cal;
    int rc = cal_load(r, w->c, r->tenant_id, &cal, &r->err);
    if (rc)
        return rc;
    int64_t end = pc_workdays_after(
        &cal, report_today(r), (int)pc_setting(r, w->c, "tender_notice_wd", PC_TENDER_NOTICE_WD));
    json_object_set_new(w->patch, "notice_ends", json_string(pc_date(r, end)));
    return 0;
}

int pc_open_bidding_check(struct wf *w)
{
    struct req *r = w->r;
    int64_t now = clock_now();
    int64_t issued =
        wf_has(w->body, "documents_issued_at") ? wf_time(w->body, "documents_issued_at") : now;
    int64_t deadline = wf_time(w->body, "bid_deadline");
    int days = (int)pc_setting(r, w->c, "bid_period_days", PC_BID_PERIOD_DAYS);
    int64_t min = pc_bid_deadline_min(issued, days);
    if (deadline < min) {
        char a[40], b[40];
        json_t *x = wf_time_json(r, min), *y = wf_time_json(r, deadline);
        snprintf(a, sizeof(a), "%s", json_string_value(x) ? json_string_value(x) : "");
        snprintf(b, sizeof(b), "%s", json_string_value(y) ? json_string_value(y) : "");
        json_decref(x);
        json_decref(y);
        return wf_invalid(w, "bid_deadline", "procure.period.bid_too_short",
                          "bids are open at least {days}%d days after the documents are issued: "
                          "the deadline is {earliest}%s at the earliest, not {deadline}%s",
                          days, a, b);
    }
    json_object_set_new(w->patch, "documents_issued_at", wf_time_json(r, issued));
    json_object_set_new(w->patch, "bid_deadline", wf_time_json(r, deadline));
    return 0;
}

/* A purchase below the decentralised limit is the purchaser's own (自行采购):
 * no notice, bids or committee; it records the supplier it chose (an
 * approved one) and the price (within the budget), and the contract follows
 * within contract_days. */
int pc_award_direct_check(struct wf *w)
{
    struct req *r = w->r;
    const char *method = wf_str(w->rec, "method");
    if (!wf_is(method, "self"))
        return wf_conflict(w, "procure.award.not_self",
                           "project {code}%s is bought by {method}%s: its supplier comes from "
                           "its bids, not from a direct award",
                           wf_str(w->rec, "code"), method ? method : "");
    int64_t price = wf_int(w->body, "price_fen"), budget = wf_int(w->rec, "budget_fen");
    if (price > budget)
        return wf_invalid(w, "price_fen", "procure.award.over_budget",
                          "the price {price}%s yuan is above the budget {budget}%s yuan",
                          pc_yuan(r, price), pc_yuan(r, budget));
    char status[24] = "";
    struct db_stmt *st;
    int64_t supplier = wf_int(w->body, "supplier_id");
    int rc = db_prepare_ints(w->c, "SELECT status FROM suppliers WHERE tenant_id = ? AND id = ?",
                             DB_INTS(r->tenant_id, supplier), &st, &r->err);
    if (rc)
        return rc;
    if ((rc = db_step(st, &r->err)) == DB_ROW)
        snprintf(status, sizeof(status), "%s", db_col_text(st, 0, NULL));
    db_reset(st);
    if (rc < 0)
        return rc;
    if (strcmp(status, "approved"))
        return wf_invalid(w, "supplier_id", "procure.award.supplier",
                          "supplier {supplier_id}%lld is {status}%s: only an approved supplier "
                          "is awarded",
                          (long long)supplier, *status ? status : "unknown");
    json_object_set_new(w->patch, "winner_supplier_id", json_integer(supplier));
    json_object_set_new(w->patch, "winner_price_fen", json_integer(price));
    json_object_set_new(
        w->patch, "contract_due",
        json_string(pc_date(r, report_today(r) + pc_setting(r, w->c, "contract_days",
                                                            PC_CONTRACT_DAYS))));
    return 0;
}

int pc_publish_result_check(struct wf *w)
{
    struct req *r = w->r;
    int64_t report = 0, bid = 0, supplier = 0, price = 0;
    int rc;
    struct db_stmt *st;
    if ((rc = db_prepare_ints(w->c,
                              "SELECT id, winner_bid_id, winner_supplier_id, winner_price_fen "
                              "FROM evaluation_reports WHERE tenant_id = ? AND project_id = ? "
                              "AND status = 'signed' ORDER BY id DESC LIMIT 1",
                              DB_INTS(r->tenant_id, w->id), &st, &r->err)))
        return rc;
    if ((rc = db_step(st, &r->err)) == DB_ROW) {
        report = db_col_int(st, 0);
        bid = db_col_int(st, 1);
        supplier = db_col_int(st, 2);
        price = db_col_int(st, 3);
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    if (!report)
        return wf_conflict(w, "procure.result.no_report",
                           "project {code}%s has no signed evaluation report: the committee "
                           "signs it before the result is published",
                           wf_str(w->rec, "code"));
    struct calendar cal;
    if ((rc = cal_load(r, w->c, r->tenant_id, &cal, &r->err)))
        return rc;
    struct pc_result_dates d;
    pc_result_dates(&cal, report_today(r),
                    (int)pc_setting(r, w->c, "result_notice_wd", PC_RESULT_NOTICE_WD),
                    (int)pc_setting(r, w->c, "complaint_wd", PC_COMPLAINT_WD),
                    (int)pc_setting(r, w->c, "contract_days", PC_CONTRACT_DAYS), &d);
    json_object_set_new(w->patch, "result_notice_ends", json_string(pc_date(r, d.notice_end)));
    json_object_set_new(w->patch, "complaint_ends", json_string(pc_date(r, d.complaint_end)));
    json_object_set_new(w->patch, "contract_due", json_string(pc_date(r, d.contract_due)));
    json_object_set_new(w->patch, "winner_bid_id", bid ? json_integer(bid) : json_null());
    json_object_set_new(w->patch, "winner_supplier_id",
                        supplier ? json_integer(supplier) : json_null());
    json_object_set_new(w->patch, "winner_price_fen", price ? json_integer(price) : json_null());
    return 0;
}

int pc_suspend_check(struct wf *w)
{
    json_object_set_new(w->patch, "suspended_from", json_string(w->state));
    return 0;
}

/* Open complaints of project that suspend it. */
static int open_suspending(struct req *r, struct db_conn *c, int64_t project, int64_t *n,
                           struct err *e)
{
    int rc = db_one_int(c,
                        "SELECT COUNT(*) FROM complaints WHERE tenant_id = ? AND project_id = ? "
                        "AND status = 'open' AND suspends = 1",
                        DB_INTS(r->tenant_id, project), n, e);
    return rc < 0 ? rc : 0;
}

int pc_resume_check(struct wf *w)
{
    struct req *r = w->r;
    int64_t n;
    int rc = open_suspending(r, w->c, w->id, &n, &r->err);
    if (rc)
        return rc;
    if (n)
        return wf_conflict(w, "procure.complaint.open",
                           "{count}%lld complaint(s) suspending project {code}%s await their "
                           "reply",
                           (long long)n, wf_str(w->rec, "code"));
    const char *back = wf_str(w->rec, "suspended_from");
    json_object_set_new(w->patch, "status", json_string(back && *back ? back : "approved"));
    json_object_set_new(w->patch, "suspended_from", json_null());
    return 0;
}

int pc_close_check(struct wf *w)
{
    struct req *r = w->r;
    struct db_stmt *st;
    int64_t amount = -1, paid = 0;
    int rc = db_prepare_ints(w->c,
                             "SELECT amount_fen, paid_fen FROM contracts WHERE tenant_id = ? AND "
                             "project_id = ?",
                             DB_INTS(r->tenant_id, w->id), &st, &r->err);
    if (rc)
        return rc;
    if ((rc = db_step(st, &r->err)) == DB_ROW)
        amount = db_col_int(st, 0), paid = db_col_int(st, 1);
    db_reset(st);
    if (rc < 0)
        return rc;
    if (amount > paid)
        return wf_conflict(w, "procure.project.unpaid",
                           "the contract of {amount}%s yuan has {paid}%s yuan paid: it closes "
                           "when paid in full",
                           pc_yuan(r, amount), pc_yuan(r, paid));
    return 0;
}

/* ---- the job: periods that end move the projects on ---- */

#define MAX_TENANTS 256
#define BATCH 500

static int tenant_periods(struct job_ctx *j, int64_t tenant, int *moved, struct err *e)
{
    struct arena *a = arena_new(1u << 20);
    struct req r;
    req_init_internal(&r, a, config_current(), j->db);
    r.tenant_id = tenant;
    r.dbc = j->c;
    r.utc_offset_min = tenant_utc_offset(j->c, tenant, r.utc_offset_min);
    int rc = db_begin(j->c, e);
    if (rc) {
        arena_free(a);
        return rc;
    }
    int64_t today = (j->now + (int64_t)r.utc_offset_min * 60) / 86400;
    const char *d = pc_date(&r, today);
    int64_t ids[BATCH];
    const char *to[BATCH];
    int n = 0;
    struct db_stmt *st;
    if (!(rc = db_prepare(j->c,
                          "SELECT p.id, p.status FROM procurement_projects p WHERE p.tenant_id = "
                          "? AND ((p.status = 'result_publicity' AND p.result_notice_ends < ?) OR "
                          "(p.status = 'complaint_window' AND p.complaint_ends < ? AND NOT EXISTS "
                          "(SELECT 1 FROM complaints q WHERE q.tenant_id = p.tenant_id AND "
                          "q.project_id = p.id AND q.status = 'open'))) ORDER BY p.id",
                          &st, e))) {
        db_bind_int(st, 1, tenant);
        db_bind_text(st, 2, d, strlen(d));
        db_bind_text(st, 3, d, strlen(d));
        while ((rc = db_step(st, e)) == DB_ROW && n < BATCH) {
            ids[n] = db_col_int(st, 0);
            to[n] = wf_is(db_col_text(st, 1, NULL), "result_publicity") ? "complaint_window"
                                                                        : "contract";
            n++;
        }
        db_reset(st);
        rc = rc < 0 ? rc : 0;
    }
    for (int i = 0; !rc && i < n; i++) {
        if ((rc = rec_lock(&r, j->c, &pc_projects, ids[i], e)) < 0)
            break;
        rc = wf_update(&r, j->c, &pc_projects, ids[i], json_pack("{s:s}", "status", to[i]), e);
        *moved += !rc;
    }
    if (rc)
        db_rollback(j->c);
    else
        rc = db_commit(j->c, e);
    arena_free(a);
    return rc;
}

int pc_job_periods(struct job_ctx *j, struct err *e)
{
    int64_t tenants[MAX_TENANTS];
    int nt = 0, moved = 0;
    int rc = tenant_ids(j->c, 0, tenants, MAX_TENANTS, &nt, e);
    for (int i = 0; !rc && i < nt; i++)
        rc = tenant_periods(j, tenants[i], &moved, e);
    snprintf(j->message, sizeof(j->message), "%d project%s moved on", moved, moved == 1 ? "" : "s");
    return rc;
}
