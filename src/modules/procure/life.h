/* SPDX-License-Identifier: MIT
 * procure/life.h - what the files of a project's life share: the hooks and
 * step rules their entities name (project_entities.c declares them), the
 * routes and the job.
 */
#ifndef BUREAU_PROCURE_LIFE_H
#define BUREAU_PROCURE_LIFE_H

#include "procure.h"
#include "../../engine/workflow.h"

struct job_ctx;
struct calendar;

/* projects.c */
int pc_project_before_write(struct res_write *w);
int pc_submit_check(struct wf *w);
int pc_publish_check(struct wf *w);
int pc_open_bidding_check(struct wf *w);
int pc_award_direct_check(struct wf *w);
int pc_publish_result_check(struct wf *w);
int pc_suspend_check(struct wf *w);
int pc_resume_check(struct wf *w);
int pc_close_check(struct wf *w);
int pc_job_periods(struct job_ctx *j, struct err *e);
/* "CG2026-0042": a code of the year of day and the record's id */
const char *pc_code(struct req *r, const char *prefix, int64_t day, int64_t id);
int pc_project_after_write(struct res_write *w);
/* yuan with two decimals, arena memory */
const char *pc_yuan(struct req *r, int64_t fen);
const char *pc_date(struct req *r, int64_t day);
int64_t pc_day(const char *s);

/* complaints.c */
int pc_complaint_before_write(struct res_write *w);
int pc_complaint_after_write(struct res_write *w);
int pc_complaint_reply_check(struct wf *w);

/* contracts.c */
int pc_contract_before_write(struct res_write *w);
int pc_contract_after_write(struct res_write *w);
int pc_contract_publish_check(struct wf *w);
int pc_payment_before_write(struct res_write *w);
int pc_payment_after_write(struct res_write *w);

/* savings.c: GET /api/v1/procure/savings[.xlsx]?year= */
int pc_savings(struct req *r);
/* ocds.c: GET /api/v1/procurement_projects/{id}/ocds; the public packages
 * GET /open/procure/{tenant}/ocds and /open/procure/{tenant}/ocds/{id} */
int pc_ocds(struct req *r);
int pc_ocds_public(struct req *r);
int pc_ocds_public_list(struct req *r);

#endif
