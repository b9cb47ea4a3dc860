/* SPDX-License-Identifier: MIT
 * procure/evaluations.c - the evaluation (docs/modules/procurement-
 * committee.md):
 *
 *   - the rubric (evaluation_items): a project's technical and commercial
 *     items; for comprehensive scoring their maxima add up to 100 − the
 *     price weight (the price's points are its score × the weight);
 *   - POST /api/v1/procure/scores: a confirmed member of the project's
 *     committee scores opened, valid bids on the rubric's items, while the
 *     project is in evaluation and nobody has signed its report
 *     (procure.score.not_member, procure.score.range, procure.score.signed;
 *     all of a body or none);
 *   - evaluation_reports: made for a project in evaluation once every
 *     member has scored every valid bid on every item: the figures
 *     (evaluation.c), the ranking and the first candidate; each member signs
 *     (the first signature makes the figures afresh; scores are closed from
 *     then on); signed when all have;
 *   - GET /api/v1/expert_draw_members/{id}/sheet: a member's scoring sheet.
 */
#include "committee.h"
#include "committee_int.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/buf.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../engine/record.h"
#include "../../engine/report.h"
#include "../../engine/rest.h"
#include "../../engine/value.h"
#include "../../engine/workflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_status(struct req *r, struct db_conn *c, int64_t project, const char *want,
                     char *status, size_t n, struct err *e)
{
    char evalm[24];
    int64_t weight;
    int rc = pc_project_read(r, c, project, status, n, evalm, sizeof(evalm), &weight, e);
    return rc ? rc : !strcmp(status, want);
}

/* ---- the rubric ---- */

int pc_item_before_write(struct res_write *w)
{
    struct req *r = w->r;
    if (r->server_write)
        return 0;
    json_t *rec = w->rec ? w->rec : w->old;
    int64_t project = wf_int(rec, "project_id"), signed_n = 0;
    int rc = pc_one(w->c,
                    "SELECT COUNT(*) FROM evaluation_reports WHERE tenant_id = ? AND "
                    "project_id = ? AND (status = 'signed' OR signed_n > 0)",
                    DB_INTS(r->tenant_id, project), &signed_n, w->e);
    if (rc)
        return rc;
    if (signed_n)
        return err_set(w->e, ERR_CONFLICT, NULL, "procure.rubric.signed",
                       "the committee has signed its report: the rubric is closed");
    return 0;
}

/* ---- the figures ---- */

struct sheet {
    int64_t *members;
    int nm;
    int64_t *items, *maxes;
    int ni;
    struct pc_bid_eval *bids;
    int nb;
};

static int load_ids(struct req *r, struct db_conn *c, const char *sql, int64_t project,
                    int64_t **out, int64_t **second, int *n, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare_ints(c, sql, DB_INTS(r->tenant_id, project), &st, e), cap = 64, k = 0;
    if (rc)
        return rc;
    int64_t *a = arena_alloc(r->a, sizeof(int64_t) * (size_t)cap),
            *b = arena_alloc(r->a, sizeof(int64_t) * (size_t)cap);
    while (a && b && (rc = db_step(st, e)) == DB_ROW) {
        if (k == cap) {
            int64_t *a2 = arena_alloc(r->a, sizeof(int64_t) * (size_t)cap * 2),
                    *b2 = arena_alloc(r->a, sizeof(int64_t) * (size_t)cap * 2);
            if (!a2 || !b2) {
                a = NULL;
                break;
            }
            memcpy(a2, a, sizeof(int64_t) * (size_t)k);
            memcpy(b2, b, sizeof(int64_t) * (size_t)k);
            a = a2, b = b2, cap *= 2;
        }
        a[k] = db_col_int(st, 0);
        b[k] = db_col_int(st, 1);
        k++;
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    if (!a || !b)
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    *out = a;
    if (second)
        *second = b;
    *n = k;
    return 0;
}

/* The report's figures for project into rec (status, ranking, winner). */
static int compute(struct req *r, struct db_conn *c, int64_t project, json_t *rec, struct err *e)
{
    char status[32], evalm[24];
    int64_t weight;
    int rc =
        pc_project_read(r, c, project, status, sizeof(status), evalm, sizeof(evalm), &weight, e);
    if (rc)
        return rc;
    int lowest = !strcmp(evalm, "lowest_price");
    struct sheet s = {0};
    int64_t *dummy, *sup, *price, *valid;
    if ((rc = load_ids(r, c,
                       "SELECT id, id FROM expert_draw_members WHERE tenant_id = ? AND "
                       "project_id = ? AND status = 'confirmed' ORDER BY id",
                       project, &s.members, &dummy, &s.nm, e)) ||
        (rc = load_ids(r, c,
                       "SELECT id, max_score FROM evaluation_items WHERE tenant_id = ? AND "
                       "project_id = ? ORDER BY id",
                       project, &s.items, &s.maxes, &s.ni, e)))
        return rc;
    int nb;
    int64_t *bid_ids;
    if ((rc = load_ids(r, c,
                       "SELECT id, supplier_id FROM bids WHERE tenant_id = ? AND project_id = ? "
                       "AND status = 'opened' ORDER BY id",
                       project, &bid_ids, &sup, &nb, e)) ||
        (rc = load_ids(r, c,
                       "SELECT id, COALESCE(price_fen, 0) FROM bids WHERE tenant_id = ? AND "
                       "project_id = ? AND status = 'opened' ORDER BY id",
                       project, &dummy, &price, &nb, e)) ||
        (rc = load_ids(r, c,
                       "SELECT id, COALESCE(valid, 0) FROM bids WHERE tenant_id = ? AND "
                       "project_id = ? AND status = 'opened' ORDER BY id",
                       project, &dummy, &valid, &nb, e)))
        return rc;
    if (!s.nm)
        return err_set(e, ERR_CONFLICT, "project_id", "procure.report.no_committee",
                       "project {id}%lld has no committee", (long long)project);
    if (!nb)
        return err_set(e, ERR_CONFLICT, "project_id", "procure.report.no_bids",
                       "project {id}%lld has no opened bids", (long long)project);
    int64_t sum = 0;
    for (int i = 0; i < s.ni; i++)
        sum += s.maxes[i];
    if (!lowest && sum != (100 - weight) * 100) {
        char have[32], want[32];
        snprintf(have, sizeof(have), "%lld.%02lld", (long long)(sum / 100), (long long)(sum % 100));
        snprintf(want, sizeof(want), "%lld", (long long)(100 - weight));
        return err_set(e, ERR_CONFLICT, "project_id", "procure.report.rubric_sum",
                       "the rubric's items add up to {sum}%s, not 100 − the price weight "
                       "{weight}%lld = {want}%s",
                       have, (long long)weight, want);
    }
    struct pc_bid_eval *b = arena_zalloc(r->a, sizeof(*b) * (size_t)nb);
    int64_t *per = arena_zalloc(r->a, sizeof(int64_t) * (size_t)(s.nm * nb + 1));
    if (!b || !per)
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    int nvalid = 0;
    for (int i = 0; i < nb; i++) {
        b[i].bid_id = bid_ids[i];
        b[i].supplier_id = sup[i];
        b[i].price_fen = price[i];
        b[i].passes = valid[i] != 0;
        nvalid += b[i].passes;
    }
    /* each member's sum per bid */
    struct db_stmt *st;
    int64_t have = 0;
    if ((rc = db_prepare_ints(c,
                              "SELECT member_id, bid_id, SUM(score), COUNT(*) FROM "
                              "evaluation_scores WHERE tenant_id = ? AND project_id = ? GROUP BY "
                              "member_id, bid_id",
                              DB_INTS(r->tenant_id, project), &st, e)))
        return rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        int64_t m = db_col_int(st, 0), bid = db_col_int(st, 1);
        int mi = -1, bi = -1;
        for (int i = 0; i < s.nm; i++)
            if (s.members[i] == m)
                mi = i;
        for (int i = 0; i < nb; i++)
            if (bid_ids[i] == bid)
                bi = i;
        if (mi < 0 || bi < 0 || !b[bi].passes)
            continue;
        per[bi * s.nm + mi] = db_col_int(st, 2);
        have += db_col_int(st, 3);
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    int64_t need = (int64_t)s.nm * nvalid * s.ni;
    if (have < need)
        return err_set(e, ERR_CONFLICT, "project_id", "procure.report.incomplete",
                       "{have}%lld of {need}%lld scores are in", (long long)have, (long long)need);
    for (int i = 0; i < nb; i++)
        b[i].tech = b[i].passes ? pc_mean(per + (size_t)i * (size_t)s.nm, s.nm) : 0;
    pc_evaluate(b, nb, lowest, (int)weight,
                (int)pc_setting(r, c, "abnormal_low_pct", PC_ABNORMAL_LOW_PCT));
    json_t *ranking = json_array();
    struct pc_bid_eval *win = NULL;
    for (int pass = 0; pass < 2; pass++)
        for (int k = 1; k <= nb; k++)
            for (int i = 0; i < nb; i++) {
                struct pc_bid_eval *x = &b[i];
                if ((pass == 0 && x->rank != k) || (pass == 1 && (x->rank || k != 1)))
                    continue;
                if (x->rank == 1)
                    win = x;
                json_array_append_new(
                    ranking,
                    json_pack("{s:i,s:I,s:I,s:I,s:b,s:f,s:f,s:f,s:f,s:b}", "rank", x->rank,
                              "bid_id", (json_int_t)x->bid_id, "supplier_id",
                              (json_int_t)x->supplier_id, "price_fen", (json_int_t)x->price_fen,
                              "passes", x->passes, "tech", x->tech / 100.0, "price_score",
                              x->price_score / 100.0, "price_points", x->price_points / 100.0,
                              "total", x->total / 100.0, "abnormal_low", x->abnormal_low));
            }
    json_object_set_new(rec, "ranking", ranking);
    json_object_set_new(rec, "evaluation_method",
                        json_string(lowest ? "lowest_price" : "comprehensive"));
    json_object_set_new(rec, "price_weight_pct", json_integer(weight));
    json_object_set_new(rec, "members_n", json_integer(s.nm));
    json_object_set_new(rec, "winner_bid_id", win ? json_integer(win->bid_id) : json_null());
    json_object_set_new(rec, "winner_supplier_id",
                        win ? json_integer(win->supplier_id) : json_null());
    json_object_set_new(rec, "winner_price_fen", win ? json_integer(win->price_fen) : json_null());
    return 0;
}

/* POST /api/v1/procure/reports {"project_id"}: the project's report, made
 * once while the project is in evaluation and every score is in (201). */
int pc_reports_post(struct req *r)
{
    json_t *body;
    int rc = perm_check(r, &pc_reports, "create");
    if (rc || (rc = rest_body_json(r, &body, 0)))
        return rc;
    const char *k;
    json_t *v;
    json_object_foreach(body, k, v) if (strcmp(k, "project_id"))
    {
        err_field(&r->err, k, "field.unknown", "unknown field");
        return err_invalid(&r->err);
    }
    int64_t project = json_integer_value(json_object_get(body, "project_id"));
    if (project <= 0) {
        err_field(&r->err, "project_id", "field.required", "is required");
        return err_invalid(&r->err);
    }
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    if ((rc = db_begin(c, &r->err)))
        return rc;
    int64_t have = 0, id = 0;
    char status[32];
    if ((rc = rec_lock(r, c, &pc_projects, project, &r->err)) > 0)
        rc = err_set(&r->err, ERR_NOT_FOUND, "project_id", "procure.draw.no_project",
                     "no project {id}%lld", (long long)project);
    if (!rc)
        rc = pc_one(c, "SELECT id FROM evaluation_reports WHERE tenant_id = ? AND project_id = ?",
                    DB_INTS(r->tenant_id, project), &have, &r->err);
    if (!rc && have)
        rc = err_set(&r->err, ERR_CONFLICT, "project_id", "procure.report.exists",
                     "project {project}%lld has its report {id}%lld already", (long long)project,
                     (long long)have);
    if (!rc && (rc = is_status(r, c, project, "evaluation", status, sizeof(status), &r->err)) >= 0)
        rc = rc ? 0
                : err_set(&r->err, ERR_CONFLICT, "project_id", "procure.report.project_state",
                          "the project is {status}%s: the report is made in evaluation", status);
    json_t *rec = json_pack("{s:I,s:s,s:i}", "project_id", (json_int_t)project, "status", "draft",
                            "signed_n", 0);
    if (!rc)
        rc = compute(r, c, project, rec, &r->err);
    if (!rc)
        rc = wf_create(r, c, &pc_reports, rec, &id, &r->err);
    else
        json_decref(rec);
    if (!rc)
        rc = db_commit(c, &r->err);
    if (rc) {
        db_rollback(c);
        return rc;
    }
    int64_t ver;
    buf_truncate(&r->out, 0);
    if ((rc = rec_get(r, c, &pc_reports, id, &r->out, &ver, &r->err)))
        return rc;
    return resp_json(r, 201);
}

int pc_report_recompute(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    struct db_conn *c;
    json_t *rec;
    int rc = rest_record(r, ent, "recompute", &id, &c, &rec);
    if (rc)
        return rc;
    if (json_object_size(body))
        return err_field(&r->err, NULL, "field.unknown", "the step takes no body"),
               err_invalid(&r->err);
    if ((rc = db_begin(c, &r->err)))
        return rc;
    if ((rc = rec_lock(r, c, ent, id, &r->err)) > 0)
        rc = err_set(&r->err, ERR_NOT_FOUND, NULL, NULL, "no such report");
    json_t *cur = NULL;
    if (!rc)
        rc = wf_load(r, c, ent, id, &cur, &r->err);
    if (!rc && (!wf_is(wf_str(cur, "status"), "draft") || wf_int(cur, "signed_n")))
        rc = err_set(&r->err, ERR_CONFLICT, NULL, "procure.report.signing",
                     "the members are signing report {id}%lld: it is not changed", (long long)id);
    json_t *patch = json_object();
    if (!rc)
        rc = compute(r, c, wf_int(cur, "project_id"), patch, &r->err);
    if (!rc)
        rc = wf_update(r, c, ent, id, patch, &r->err);
    else
        json_decref(patch);
    if (!rc)
        rc = db_commit(c, &r->err);
    if (rc) {
        db_rollback(c);
        return rc;
    }
    int64_t v;
    buf_truncate(&r->out, 0);
    if ((rc = rec_get(r, c, ent, id, &r->out, &v, &r->err)))
        return rc;
    return resp_json(r, 200);
}

/* ---- signing ---- */

static int project_report(struct wf *w, int64_t *report, int64_t *signed_n)
{
    struct db_stmt *st;
    int rc =
        db_prepare_ints(w->c,
                        "SELECT id, signed_n, status FROM evaluation_reports WHERE "
                        "tenant_id = ? AND project_id = ?",
                        DB_INTS(w->r->tenant_id, wf_int(w->rec, "project_id")), &st, &w->r->err);
    if (rc)
        return rc;
    *report = *signed_n = 0;
    int done = 0;
    if ((rc = db_step(st, &w->r->err)) == DB_ROW) {
        *report = db_col_int(st, 0);
        *signed_n = db_col_int(st, 1);
        done = !strcmp(db_col_text(st, 2, NULL), "signed");
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    if (!*report)
        return wf_conflict(w, "procure.report.none", "the project has no report to sign yet");
    if (done)
        return wf_conflict(w, "procure.report.signed", "the report is signed already");
    return 0;
}

int pc_member_sign_check(struct wf *w)
{
    int64_t report, signed_n;
    int rc = pc_member_own(w);
    if (rc || (rc = project_report(w, &report, &signed_n)))
        return rc;
    if (wf_has(w->rec, "signed_at"))
        return wf_conflict(w, "procure.report.signed_already", "you have signed the report");
    if ((rc = rec_lock(w->r, w->c, &pc_reports, report, &w->r->err)) > 0)
        rc = 0;
    if (rc)
        return rc;
    if (!signed_n) {
        /* the first signature: the figures afresh, and scores close */
        json_t *patch = json_object();
        if ((rc = compute(w->r, w->c, wf_int(w->rec, "project_id"), patch, &w->r->err))) {
            json_decref(patch);
            return rc;
        }
        pc_member_anon(w);
        return wf_update(w->r, w->c, &pc_reports, report, patch, &w->r->err);
    }
    pc_member_anon(w);
    return 0;
}

int pc_member_signed(struct wf *w)
{
    struct req *r = w->r;
    int64_t report, signed_n, members = 0, done = 0;
    int rc = project_report(w, &report, &signed_n);
    if (rc ||
        (rc = pc_one(w->c,
                     "SELECT COUNT(*) FROM expert_draw_members WHERE tenant_id = ? AND "
                     "project_id = ? AND status = 'confirmed'",
                     DB_INTS(r->tenant_id, wf_int(w->rec, "project_id")), &members, &r->err)) ||
        (rc = pc_one(w->c,
                     "SELECT COUNT(*) FROM expert_draw_members WHERE tenant_id = ? AND "
                     "project_id = ? AND status = 'confirmed' AND signed_at IS NOT NULL",
                     DB_INTS(r->tenant_id, wf_int(w->rec, "project_id")), &done, &r->err)))
        return rc;
    json_t *patch = json_pack("{s:I}", "signed_n", (json_int_t)done);
    if (patch && done >= members) {
        json_object_set_new(patch, "status", json_string("signed"));
        json_object_set_new(patch, "signed_at", wf_time_json(r, clock_now()));
    }
    rc = wf_update(r, w->c, &pc_reports, report, patch, &r->err);
    pc_member_unanon(w);
    return rc;
}

/* ---- scoring ---- */

static const struct res_field score_field = {
    .name = "score", .type = RES_DECIMAL, .scale = 2, .zh = "得分", .en = "Score"};

struct bidrow {
    int64_t project, valid;
    char status[16];
};

static int load_bid(struct req *r, struct db_conn *c, int64_t id, struct bidrow *b, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare_ints(c,
                             "SELECT project_id, status, COALESCE(valid, 0) FROM bids WHERE "
                             "tenant_id = ? AND id = ?",
                             DB_INTS(r->tenant_id, id), &st, e);
    if (rc)
        return rc;
    memset(b, 0, sizeof(*b));
    if ((rc = db_step(st, e)) == DB_ROW) {
        b->project = db_col_int(st, 0);
        snprintf(b->status, sizeof(b->status), "%s", db_col_text(st, 1, NULL));
        b->valid = db_col_int(st, 2);
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static int score_one(struct req *r, struct db_conn *c, json_t *x, int i, struct err *e)
{
    char f[48];
    int64_t bid = json_integer_value(json_object_get(x, "bid_id")),
            item = json_integer_value(json_object_get(x, "item_id"));
    snprintf(f, sizeof(f), "scores[%d]", i);
    struct res_val v;
    struct err_item why;
    json_t *js = json_object_get(x, "score");
    if (!json_is_object(x) || bid <= 0 || item <= 0 || !js) {
        err_field(e, f, "procure.score.shape", "each score names bid_id, item_id and score");
        return err_invalid(e);
    }
    if (res_val_from_json(r->a, &score_field, js, &v, &why)) {
        snprintf(f, sizeof(f), "scores[%d].score", i);
        err_add(e, f, &why);
        return err_invalid(e);
    }
    struct bidrow b;
    int rc = load_bid(r, c, bid, &b, e);
    if (rc)
        return rc;
    if (!b.project) {
        snprintf(f, sizeof(f), "scores[%d].bid_id", i);
        err_field(e, f, "procure.score.no_bid", "no bid {bid}%lld", (long long)bid);
        return err_invalid(e);
    }
    /* the caller's seat on the project's committee */
    int64_t member = 0, max = -1, item_project = 0, signed_n = 0;
    if ((rc = pc_one(c,
                     "SELECT id FROM expert_draw_members WHERE tenant_id = ? AND "
                     "project_id = ? AND expert_user_id = ? AND status = 'confirmed'",
                     DB_INTS(r->tenant_id, b.project, r->user_id > 0 ? r->user_id : -1), &member,
                     e)))
        return rc;
    if (!member)
        return err_set(e, ERR_FORBIDDEN, f, "procure.score.not_member",
                       "you do not sit on the committee of project {project}%lld",
                       (long long)b.project);
    char status[32];
    if ((rc = is_status(r, c, b.project, "evaluation", status, sizeof(status), e)) < 0)
        return rc;
    if (!rc)
        return err_set(e, ERR_CONFLICT, f, "procure.score.project_state",
                       "the project is {status}%s: scores are given in evaluation", status);
    if ((rc = pc_one(c,
                     "SELECT COUNT(*) FROM evaluation_reports WHERE tenant_id = ? AND "
                     "project_id = ? AND (status = 'signed' OR signed_n > 0)",
                     DB_INTS(r->tenant_id, b.project), &signed_n, e)))
        return rc;
    if (signed_n)
        return err_set(e, ERR_CONFLICT, f, "procure.score.signed",
                       "the committee has signed its report: scores are closed");
    if (strcmp(b.status, "opened") || !b.valid) {
        snprintf(f, sizeof(f), "scores[%d].bid_id", i);
        err_field(e, f, "procure.score.bid_invalid",
                  "bid {bid}%lld is {status}%s%s: only opened, valid bids are scored",
                  (long long)bid, b.status, b.valid ? "" : " (invalid)");
        return err_invalid(e);
    }
    struct db_stmt *st;
    if ((rc = db_prepare_ints(c,
                              "SELECT project_id, max_score FROM evaluation_items WHERE "
                              "tenant_id = ? AND id = ?",
                              DB_INTS(r->tenant_id, item), &st, e)))
        return rc;
    if ((rc = db_step(st, e)) == DB_ROW) {
        item_project = db_col_int(st, 0);
        max = db_col_int(st, 1);
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    if (item_project != b.project) {
        snprintf(f, sizeof(f), "scores[%d].item_id", i);
        err_field(e, f, "procure.score.item",
                  "item {item}%lld is not in project {project}%lld's rubric", (long long)item,
                  (long long)b.project);
        return err_invalid(e);
    }
    if (v.i < 0 || v.i > max) {
        snprintf(f, sizeof(f), "scores[%d].score", i);
        char sv[32], mv[32];
        snprintf(sv, sizeof(sv), "%s%lld.%02lld", v.i < 0 ? "-" : "", (long long)(llabs(v.i) / 100),
                 (long long)(llabs(v.i) % 100));
        snprintf(mv, sizeof(mv), "%lld.%02lld", (long long)(max / 100), (long long)(max % 100));
        err_field(e, f, "procure.score.range", "{score}%s is outside 0–{max}%s", sv, mv);
        return err_invalid(e);
    }
    int64_t have = 0;
    if ((rc = pc_one(c,
                     "SELECT id FROM evaluation_scores WHERE tenant_id = ? AND member_id = ? "
                     "AND bid_id = ? AND item_id = ?",
                     DB_INTS(r->tenant_id, member, bid, item), &have, e)))
        return rc;
    int64_t id, user = r->user_id;
    struct pc_anon s = pc_anon_begin(r);
    if (have)
        rc = wf_update(r, c, &pc_scores, have, json_pack("{s:f}", "score", v.i / 100.0), e);
    else
        rc = wf_create(r, c, &pc_scores,
                       json_pack("{s:I,s:I,s:I,s:I,s:f,s:I}", "project_id", (json_int_t)b.project,
                                 "member_id", (json_int_t)member, "bid_id", (json_int_t)bid,
                                 "item_id", (json_int_t)item, "score", v.i / 100.0,
                                 "expert_user_id", (json_int_t)user),
                       &id, e);
    pc_anon_end(r, s);
    return rc;
}

int pc_scores_post(struct req *r)
{
    json_t *body;
    int rc = perm_check(r, &pc_scores, "create");
    if (rc || (rc = rest_body_json(r, &body, 0)))
        return rc;
    json_t *scores = json_object_get(body, "scores");
    const char *k;
    json_t *v;
    json_object_foreach(body, k, v) if (strcmp(k, "scores"))
    {
        err_field(&r->err, k, "field.unknown", "unknown field");
        return err_invalid(&r->err);
    }
    if (!json_is_array(scores) || !json_array_size(scores) || json_array_size(scores) > 2000) {
        err_field(&r->err, "scores", "procure.score.shape",
                  "scores: 1 to 2000 of them, each naming bid_id, item_id and score");
        return err_invalid(&r->err);
    }
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    if ((rc = db_begin(c, &r->err)))
        return rc;
    size_t i;
    json_array_foreach(scores, i, v) if ((rc = score_one(r, c, v, (int)i, &r->err))) break;
    if (!rc)
        rc = db_commit(c, &r->err);
    if (rc) {
        db_rollback(c);
        return rc;
    }
    return report_send(r, json_pack("{s:I}", "saved", (json_int_t)json_array_size(scores)));
}

/* ---- a member's sheet ---- */

int pc_member_sheet(struct req *r)
{
    int64_t id;
    struct db_conn *c;
    json_t *rec;
    int rc = rest_record(r, &pc_members, "read", &id, &c, &rec);
    if (rc)
        return rc;
    int64_t user = 0, project = wf_int(rec, "project_id");
    if ((rc = pc_one(c,
                     "SELECT expert_user_id FROM expert_draw_members WHERE tenant_id = ? "
                     "AND id = ?",
                     DB_INTS(r->tenant_id, id), &user, &r->err)))
        return rc;
    if (!user || user != r->user_id)
        return err_set(&r->err, ERR_FORBIDDEN, NULL, "procure.member.not_you",
                       "a scoring sheet is its member's own");
    char status[32], evalm[24];
    int64_t weight;
    if ((rc = pc_project_read(r, c, project, status, sizeof(status), evalm, sizeof(evalm), &weight,
                              &r->err)))
        return rc;
    json_t *doc = report_keep(r, json_pack("{s:I,s:I,s:s,s:s,s:I,s:s,s:[],s:[],s:[]}", "member_id",
                                           (json_int_t)id, "project_id", (json_int_t)project,
                                           "project_status", status, "evaluation_method", evalm,
                                           "price_weight_pct", (json_int_t)weight, "member_status",
                                           wf_str(rec, "status") ? wf_str(rec, "status") : "",
                                           "items", "bids", "scores"));
    if (!doc)
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "out of memory");
    struct db_stmt *st;
    if ((rc = db_prepare_ints(c,
                              "SELECT id, kind, name, max_score FROM evaluation_items WHERE "
                              "tenant_id = ? AND project_id = ? ORDER BY seq, id",
                              DB_INTS(r->tenant_id, project), &st, &r->err)))
        return rc;
    while ((rc = db_step(st, &r->err)) == DB_ROW)
        json_array_append_new(json_object_get(doc, "items"),
                              json_pack("{s:I,s:s,s:s,s:f}", "id", (json_int_t)db_col_int(st, 0),
                                        "kind", db_col_text(st, 1, NULL), "name",
                                        db_col_text(st, 2, NULL), "max_score",
                                        db_col_int(st, 3) / 100.0));
    db_reset(st);
    if (rc < 0)
        return rc;
    if (!strcmp(wf_str(rec, "status") ? wf_str(rec, "status") : "", "confirmed")) {
        if ((rc = db_prepare_ints(c,
                                  "SELECT b.id, s.name, b.price_fen, b.technical FROM bids b "
                                  "JOIN suppliers s ON s.tenant_id = b.tenant_id AND s.id = "
                                  "b.supplier_id WHERE b.tenant_id = ? AND b.project_id = ? AND "
                                  "b.status = 'opened' AND b.valid = 1 ORDER BY b.id",
                                  DB_INTS(r->tenant_id, project), &st, &r->err)))
            return rc;
        while ((rc = db_step(st, &r->err)) == DB_ROW)
            json_array_append_new(
                json_object_get(doc, "bids"),
                json_pack("{s:I,s:s,s:I,s:s}", "id", (json_int_t)db_col_int(st, 0), "supplier",
                          db_col_text(st, 1, NULL), "price_fen", (json_int_t)db_col_int(st, 2),
                          "technical", db_col_text(st, 3, NULL)));
        db_reset(st);
        if (rc < 0)
            return rc;
        if ((rc = db_prepare_ints(c,
                                  "SELECT bid_id, item_id, score FROM evaluation_scores WHERE "
                                  "tenant_id = ? AND member_id = ?",
                                  DB_INTS(r->tenant_id, id), &st, &r->err)))
            return rc;
        while ((rc = db_step(st, &r->err)) == DB_ROW)
            json_array_append_new(
                json_object_get(doc, "scores"),
                json_pack("{s:I,s:I,s:f}", "bid_id", (json_int_t)db_col_int(st, 0), "item_id",
                          (json_int_t)db_col_int(st, 1), "score", db_col_int(st, 2) / 100.0));
        db_reset(st);
        if (rc < 0)
            return rc;
    }
    return report_send(r, json_incref(doc));
}
