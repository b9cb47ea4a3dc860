/* SPDX-License-Identifier: MIT
 * servicedesk.h - the service desk 需求收集、要求通达、结果反馈: requests
 * from anyone signed in, routed to a section or a contractor team, worked
 * through work orders, timed against SLA targets in working time, closed by
 * the requester's confirmation (or by themselves after 7 days) and rated.
 *
 * Request states: submitted → assigned → in_progress ⇄ waiting → resolved →
 * closed; resolved → (reopen) assigned; any open state → cancelled.
 * Work order states: open → accepted ⇄ on_hold → done; open/accepted → cancelled.
 */
#ifndef BUREAU_SERVICEDESK_H
#define BUREAU_SERVICEDESK_H

#include "../../engine/res.h"
#include "../../engine/module.h"

#include <jansson.h>
#include <stdint.h>

extern const struct res_entity sd_types, sd_sla_targets, sd_teams, sd_team_members,
    sd_routing_rules, sd_requests, sd_work_orders, sd_events;
extern const struct module servicedesk_module;

struct req;
struct db_conn;
struct err;
struct job_ctx;

#define SD_CONFIRM_DAYS 7  /* the requester confirms or reopens within this many days */
#define SD_MAX_PHOTOS 5

/* entities.c hooks */
int sd_request_before_write(struct res_write *w);
int sd_request_after_write(struct res_write *w);
int sd_assigned_teams(struct req *r, struct db_conn *c, int64_t **ids, int *n, struct err *e);

/* workflow.c: actions */
/* workflow.c: the rules of the steps entities.c declares */
struct wf;
int sd_assign_check(struct wf *w);
int sd_assign_then(struct wf *w);
int sd_cancel_check(struct wf *w);
int sd_cancel_then(struct wf *w);
int sd_comment_check(struct wf *w);
int sd_comment_then(struct wf *w);
int sd_reopen_check(struct wf *w);
int sd_reopen_then(struct wf *w);
int sd_rate_check(struct wf *w);
int sd_work_order_lock(struct wf *w);
int sd_accept_check(struct wf *w);
int sd_accept_then(struct wf *w);
int sd_hold_check(struct wf *w);
int sd_hold_then(struct wf *w);
int sd_resume_check(struct wf *w);
int sd_complete_check(struct wf *w);
int sd_complete_then(struct wf *w);

/* filing.c: the hooks of requests (above), routing, a new work order */
int sd_route(struct req *r, struct db_conn *c, int64_t type_id, const char *building,
             const char *urgency, int64_t *team_id, struct err *e);
int sd_open_work_order(struct req *r, struct db_conn *c, int64_t request_id, int64_t team_id,
                       int64_t assignee_id, struct err *e);

/* events.c: the timeline and notifications */
/* An event of request_id by the caller (sd_event) or the server itself. */
int sd_event(struct req *r, struct db_conn *c, int64_t request_id, int64_t work_order_id,
             const char *kind, const char *from, const char *to, const char *note,
             struct err *e);
int sd_server_event(struct req *r, struct db_conn *c, int64_t request_id, const char *kind,
                    const char *from, const char *to, const char *note, struct err *e);
/* the res_flow.event of requests and of work orders */
int sd_request_event(struct wf *w, const char *kind);
int sd_work_order_event(struct wf *w, const char *kind);
int sd_notify_team(struct req *r, struct db_conn *c, int64_t team_id, int64_t request_id,
                   const char *kind, const char *title, struct err *e);
int sd_notify_user(struct req *r, struct db_conn *c, int64_t user_id, int64_t request_id,
                   const char *kind, const char *title, struct err *e);
/* GET /api/v1/service_requests/{id}/timeline: {"items": [...], "actors": {id: name}} */
int sd_timeline(struct req *r);

/* teams.c */
/* A team's members' user ids (arena memory, at most 500). */
int sd_team_users(struct req *r, struct db_conn *c, int64_t team, int64_t **users, int *n,
                  struct err *e);
/* GET /api/v1/service_teams/{id}/members: {"items": [{"user_id", "name"}]} */
int sd_team_members_named(struct req *r);

/* sla.c */
int sd_targets_for(struct req *r, struct db_conn *c, int64_t type_id, const char *urgency,
                   int64_t *respond_s, int64_t *resolve_s, struct err *e);
/* Due times from `from` for a type and urgency, in working time (0: no
 * target). */
int sd_due_times(struct req *r, struct db_conn *c, int64_t type_id, const char *urgency,
                 int64_t from, int64_t *respond, int64_t *resolve, struct err *e);
int sd_job_sla(struct job_ctx *j, struct err *e);
/* Subscribes to the working calendar's changes (module init): open
 * requests' due times are counted again. */
void sd_init(void);
int sd_job_autoclose(struct job_ctx *j, struct err *e);

/* reports.c */
/* Satisfaction counted elsewhere (the canteens' meal ratings): a source
 * counts, for the local days [from_day, to_day) of r's tenant, the ratings
 * given, those of 4 or 5 and the sum of scores (1–5). The statistics and
 * the report show each registered source next to the requests' own. */
struct sd_satisfaction {
    int64_t rated, satisfied, score_sum;
};
typedef int (*sd_satisfaction_fn)(struct req *r, struct db_conn *c, int64_t from_day,
                                  int64_t to_day, struct sd_satisfaction *out, struct err *e);
#define SD_MAX_SOURCES 8
/* Registers a source (from a module's init); the same name twice is kept once. */
void sd_satisfaction_source(const char *name, const char *zh, const char *en,
                            sd_satisfaction_fn fn);
int sd_stats(struct req *r);
int sd_report(struct req *r);
int sd_summary(struct req *r, struct db_conn *c, json_t *cards, struct err *e);

/* rooms.c: what the office space register asks (never the tables
 * themselves); texts are arena memory of r; 0 or a negative ERR_* */
/* The room request names (*room 0: none): 1 found, 0 no such request. */
int sd_request_room(struct req *r, struct db_conn *c, int64_t request, int64_t *room,
                    struct err *e);
/* A request naming a room, with what its done work orders cost and when the
 * last was completed (0: none). */
struct sd_room_request {
    int64_t id, created_at, cost_fen, completed_at;
    const char *title, *status;
};
/* The requests naming room, newest first (at most 1000). */
int sd_room_requests(struct req *r, struct db_conn *c, int64_t room, struct sd_room_request **out,
                     int *n, struct err *e);
/* A request of a repair type (repair, electrical, plumbing, air
 * conditioning): the building and room number it was filed for, and the
 * room it names (0: none). */
struct sd_repair_request {
    int64_t id, created_at, room_id;
    const char *building, *room;
};
/* Every repair request of r's tenant, by id (for demo data). */
int sd_repair_requests(struct req *r, struct db_conn *c, struct sd_repair_request **out, int *n,
                       struct err *e);
/* Sets the room a request names (0: none), as demo data does; no event,
 * no version. */
int sd_request_set_room(struct req *r, struct db_conn *c, int64_t request, int64_t room,
                        struct err *e);

/* seed.c: the catalogue every tenant starts with */
struct sd_seed_type {
    const char *code, *name, *name_en, *category;
    int needs_location;
};
extern const struct sd_seed_type sd_seed_types[]; /* ends with {NULL} */
int sd_seed_tenant(struct db_conn *c, int64_t tenant_id, struct err *e);
int sd_demo(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e);

#endif
