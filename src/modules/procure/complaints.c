/* SPDX-License-Identifier: MIT
 * procure/complaints.c - complaints 质疑 (法 第52、53条): a supplier's
 * complaint about the documents, the process or the result, received while
 * the project runs and at the latest on the complaint window's last day
 * (procure.complaint.late, with the day and the window's end); answered
 * within complaint_reply_wd working days (reply_due, on the working
 * calendar; a later reply is flagged). A complaint may suspend the project
 * (it goes back where it was with the resume step once no suspending
 * complaint is open), and while one is open the complaint window does not
 * close (the job procure.periods waits).
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

static const char *const open_states[] = {
    "notice_published", "bidding",          "opening",   "evaluation",
    "result_publicity", "complaint_window", "suspended", NULL,
};

static int in(const char *s, const char *const *set)
{
    for (int i = 0; set[i]; i++)
        if (wf_is(s, set[i]))
            return 1;
    return 0;
}

int pc_complaint_before_write(struct res_write *w)
{
    struct req *r = w->r;
    if (!w->rec || r->server_write)
        return 0;
    if (w->old) {
        if (!wf_is(wf_str(w->old, "status"), "open"))
            return err_set(w->e, ERR_CONFLICT, NULL, "procure.complaint.closed",
                           "complaint {id}%lld is {status}%s: it is no longer changed",
                           (long long)w->id, wf_str(w->old, "status"));
        if (wf_int(w->old, "project_id") != wf_int(w->rec, "project_id") ||
            !json_equal(json_object_get(w->old, "received_at"),
                        json_object_get(w->rec, "received_at")) ||
            !json_equal(json_object_get(w->old, "suspends"), json_object_get(w->rec, "suspends"))) {
            err_field(w->e, "received_at", "procure.complaint.fixed",
                      "a complaint's project, receipt and suspension are fixed");
            return err_invalid(w->e);
        }
        return 0;
    }
    int64_t project = wf_int(w->rec, "project_id");
    json_t *p;
    int rc = rec_lock(r, w->c, &pc_projects, project, w->e);
    if (rc < 0)
        return rc;
    if (rc > 0 || (rc = rec_load(r, w->c, &pc_projects, project, &p, w->e))) {
        if (rc > 0 || rc == -ERR_NOT_FOUND) {
            err_clear(w->e);
            err_field(w->e, "project_id", "procure.project.unknown", "no project {id}%lld",
                      (long long)project);
            return err_invalid(w->e);
        }
        return rc;
    }
    const char *status = wf_str(p, "status");
    int64_t now = clock_now();
    int64_t at = wf_has(w->rec, "received_at") ? wf_time(w->rec, "received_at") : now;
    int64_t day = (at + (int64_t)r->utc_offset_min * 60) / 86400;
    int64_t ends = pc_day(wf_str(p, "complaint_ends"));
    if ((ends && day > ends) || (!in(status, open_states) && !wf_is(status, "cancelled"))) {
        rc = ends ? err_set(w->e, ERR_CONFLICT, "received_at", "procure.complaint.late",
                            "a complaint received on {received}%s is late: the complaint window "
                            "of project {code}%s ended on {ends}%s",
                            pc_date(r, day), wf_str(p, "code"), wf_str(p, "complaint_ends"))
                  : err_set(w->e, ERR_CONFLICT, "project_id", "procure.complaint.not_open",
                            "project {code}%s is {status}%s: it takes no complaint",
                            wf_str(p, "code"), status);
        json_decref(p);
        return rc;
    }
    if (wf_is(status, "cancelled")) {
        rc = err_set(w->e, ERR_CONFLICT, "project_id", "procure.complaint.not_open",
                     "project {code}%s is {status}%s: it takes no complaint", wf_str(p, "code"),
                     status);
        json_decref(p);
        return rc;
    }
    struct calendar cal;
    if ((rc = cal_load(r, w->c, r->tenant_id, &cal, w->e))) {
        json_decref(p);
        return rc;
    }
    int64_t due = pc_workdays_after(
        &cal, day, (int)pc_setting(r, w->c, "complaint_reply_wd", PC_COMPLAINT_REPLY_WD));
    json_object_set_new(w->rec, "received_at", wf_time_json(r, at));
    json_object_set_new(w->rec, "reply_due", json_string(pc_date(r, due)));
    json_object_set_new(w->rec, "department_id", json_integer(wf_int(p, "department_id")));
    json_decref(p);
    return 0;
}

/* A suspending complaint suspends its project (unless it already is). */
int pc_complaint_after_write(struct res_write *w)
{
    struct req *r = w->r;
    if (!w->rec || w->old || r->server_write || !json_is_true(json_object_get(w->rec, "suspends")))
        return 0;
    int64_t project = wf_int(w->rec, "project_id");
    json_t *p;
    int rc = wf_load(r, w->c, &pc_projects, project, &p, w->e);
    if (rc)
        return rc;
    const char *status = wf_str(p, "status");
    if (wf_is(status, "suspended"))
        return 0;
    return wf_update(r, w->c, &pc_projects, project,
                     json_pack("{s:s,s:s,s:o,s:s}", "status", "suspended", "suspended_from", status,
                               "suspended_at", wf_time_json(r, clock_now()), "suspend_reason",
                               arena_printf(r->a, "质疑 %lld", (long long)w->id)),
                     w->e);
}

int pc_complaint_reply_check(struct wf *w)
{
    struct req *r = w->r;
    json_object_set_new(w->patch, "reply", json_string(wf_str(w->body, "reply")));
    json_object_set_new(w->patch, "upheld",
                        json_boolean(json_is_true(json_object_get(w->body, "upheld"))));
    int64_t due = pc_day(wf_str(w->rec, "reply_due"));
    json_object_set_new(w->patch, "replied_late", json_boolean(due && report_today(r) > due));
    return 0;
}
