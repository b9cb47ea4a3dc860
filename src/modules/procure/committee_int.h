/* SPDX-License-Identifier: MIT
 * procure/committee_int.h - what the committee part's files share: its
 * collections' hooks and steps (expert_entities.c declares them; experts.c,
 * draws.c and evaluations.c implement them) and the draw's recomputation
 * that the API and `bureau procure verify-draw` share.
 */
#ifndef BUREAU_PROCURE_COMMITTEE_INT_H
#define BUREAU_PROCURE_COMMITTEE_INT_H

#include "procure.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct req;
struct db_conn;
struct err;
struct res_write;

/* db_one_int, 0 whether or not there was a row (*out 0 without one). */
#include "../../db/db.h"
static inline int pc_one(struct db_conn *c, const char *sql, const int64_t *args, int n,
                         int64_t *out, struct err *e)
{
    int rc = db_one_int(c, sql, args, n, out, e);
    return rc < 0 ? rc : 0;
}

/* An expert's own writes (their answers, scores and signature) go into the
 * records and the audit chain as the server's: no created_by, no actor
 * naming the expert's login before publication (the member row keeps,
 * hidden, whose they were). pc_anon_begin after the checks that need the
 * caller, pc_anon_end once the writes are done. */
#include "../../core/http.h"
struct pc_anon {
    int64_t user_id;
    const char *user;
};
static inline struct pc_anon pc_anon_begin(struct req *r)
{
    struct pc_anon s = {r->user_id, r->user};
    r->user_id = 0;
    r->user = NULL;
    return s;
}
static inline void pc_anon_end(struct req *r, struct pc_anon s)
{
    r->user_id = s.user_id;
    r->user = s.user;
}

/* "assigned" scope: the projects whose committee the caller sits on
 * (confirmed); the caller's own user is procure.h's. */
int pc_assigned_projects(struct req *r, struct db_conn *c, int64_t **ids, int *n, struct err *e);

int pc_relation_before_write(struct res_write *w);
int pc_draw_before_write(struct res_write *w);
struct wf;
/* the draw's step: the project locked, then the pool, the order and the
 * first invitations */
int pc_draw_lock(struct wf *w);
int pc_draw_check(struct wf *w);
int pc_draw_then(struct wf *w);
/* a member's steps: only the drawn expert; then the draw settles (the next
 * invitation, formed or short) */
int pc_member_own(struct wf *w);
int pc_member_answer_check(struct wf *w);
void pc_member_anon(struct wf *w);
void pc_member_unanon(struct wf *w);
int pc_member_answered(struct wf *w);
int pc_member_sign_check(struct wf *w);
int pc_member_signed(struct wf *w);
/* the project's status, evaluation method and price weight */
int pc_project_read(struct req *r, struct db_conn *c, int64_t id, char *status, size_t sn,
                    char *evalm, size_t en, int64_t *weight, struct err *e);
int pc_item_before_write(struct res_write *w);
int pc_report_recompute(struct req *r, const struct res_entity *ent, int64_t id, json_t *body);

/* routes */
int pc_draw_public(struct req *r);
int pc_member_sheet(struct req *r);
int pc_scores_post(struct req *r);
int pc_reports_post(struct req *r);

/* 1 when a project in status has published its result (the committee's
 * names may be shown). */
int pc_published(const char *status);

/* Recomputes a stored draw from its stored inputs (project id, pool,
 * witness): 1 when the stored order matches, 0 when not, <0 on error.
 * *n receives the order's length. */
int pc_draw_verify(struct db_conn *c, int64_t draw_id, int *n, char pool_hex[65], struct err *e);

#endif
