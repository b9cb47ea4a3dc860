/* SPDX-License-Identifier: MIT
 * space.h - office space 办公用房: buildings, floors and rooms; rooms
 * assigned to departments and office rooms to people, against the per-rank
 * area limits of 《党政机关办公用房建设标准》(发改投资〔2014〕2674号) at the
 * tenant's administrative level; recovery of offices left behind; the
 * adjustment (调配) workflow; the ledger, publicity list and maintenance
 * history of each room (docs/modules/space.md).
 *
 * Request states: submitted → reviewed → approved (the changes applied) ;
 * submitted/reviewed → rejected | cancelled (entities.c declares the steps).
 */
#ifndef BUREAU_SPACE_H
#define BUREAU_SPACE_H

#include "../../engine/res.h"
#include "../../engine/module.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

extern const struct res_entity sp_buildings, sp_floors, sp_rooms, sp_assignments, sp_requests,
    sp_changes, sp_events, sp_settings, sp_repair_rules, sp_repairs;
extern const struct module space_module;

struct req;
struct db_conn;
struct err;

#define SP_AREA_MAX 1000000 /* 10,000.00 m², in hundredths */

/* ---- for other modules ---- */

struct arena;
/* A room of the register as another module names it. */
struct sp_room_ref {
    int64_t id;
    const char *building, *name, *number; /* arena memory; name may be NULL */
    int level;                            /* its floor */
    int64_t area;                         /* hundredths of m² */
};
/* The largest room of use ("meeting", …) of each of tenant's buildings, in
 * the buildings' order, at most max into out (*n of them). */
int sp_largest_rooms(struct arena *a, struct db_conn *c, int64_t tenant, const char *use,
                     struct sp_room_ref *out, int max, int *n, struct err *e);
/* A room with the department using it (0 when none). */
struct sp_room_dept {
    int64_t id, department_id;
};
/* The tenant's rooms of use ("office", …; NULL: every use) by department then
 * id, at most max into out (*n of them). */
int sp_rooms_by_department(struct db_conn *c, int64_t tenant, const char *use,
                           struct sp_room_dept *out, int max, int *n, struct err *e);
/* The ids of the rooms of building (ascending) into out, at most max (*n of
 * them): what a stocktake of a building covers. */
int sp_building_rooms(struct db_conn *c, int64_t tenant, int64_t building, int64_t *out, int max,
                      int *n, struct err *e);
#define SP_RECOVERY_MONTHS 1     /* default: offices come back within a month */
#define SP_CONCURRENT_MONTHS 2   /* a second office is vacated within 2 months */
#define SP_REMIND_DAYS 14        /* the space managers are reminded 14 days ahead */
#define SP_TOILET_MAX 600        /* a leader's toilet: at most 6.00 m² */
#define SP_LIMIT_OTHER_TIER (-2) /* sp_limit: the rank is of another tier's table */

/* rules.c: hooks */
int sp_room_before_write(struct res_write *w);
int sp_assignment_before_write(struct res_write *w);
int sp_assignment_after_write(struct res_write *w);
int sp_change_before_write(struct res_write *w);
int sp_setting_before_write(struct res_write *w);
int sp_repair_before_write(struct res_write *w);
int sp_on_change(struct req *r, struct db_conn *c, const struct res_entity *ent, const char *action,
                 int64_t id, json_t *before, json_t *after, struct err *e);
/* room_assignments' steps: their own rules (workflow.h) */
struct wf;
int sp_end_check(struct wf *w);
int sp_override_check(struct wf *w);

/* The area standard: the tenant's level and its rank table. */
struct sp_rank {
    int64_t id;
    char level[16];
    int64_t sort_order;
    int64_t max_m2; /* hundredths */
    int pos, count; /* place within its level (0 = the top post) and the level's size */
    char name[64];
    char code[48];
};
struct sp_std {
    char level[16]; /* the tenant's admin_level */
    struct sp_rank *ranks;
    int n;
};
/* Loads the tenant's level and ranks (arena memory). */
int sp_std_load(struct req *r, struct db_conn *c, struct sp_std *s, struct err *e);
/* Numbers each row's place within its level (pos, count); the rows come
 * ordered by level, then sort_order (top post first). */
void sp_std_places(struct sp_std *s);
/* The office limit (hundredths of m²) of a person of rank rank_id (0: none)
 * at the tenant's level, and the name of the rank row that sets it: the
 * rank's own row when it is of the tenant's level; the level's last row
 * (…以下) for no rank or a rank the table no longer has; -1 when there is no
 * row at all; SP_LIMIT_OTHER_TIER for a rank of another level's table (the
 * standard gives no limit for it: *name is that rank's name). */
int64_t sp_limit(const struct sp_std *s, int64_t rank_id, const char **name);
/* The row of rank_id, or NULL. */
const struct sp_rank *sp_rank_of(const struct sp_std *s, int64_t rank_id);
/* A person's share of a room of area shared by n (rounded to 0.01 m²). */
int64_t sp_share(int64_t area, int n);
/* Whether a person of rank_id may hold a leader's room of use "rest" or
 * "toilet" of room_area (hundredths): 0 yes, or why not. */
enum { SP_SUITE_OK, SP_SUITE_NOT_LEADER, SP_SUITE_TOILET_AREA, SP_SUITE_OTHER_TIER };
int sp_suite_rule(const struct sp_std *s, int64_t rank_id, const char *use, int64_t room_area);
/* Whether a person's room of use counts in their office area ("office",
 * "rest", "toilet"). */
int sp_personal_use(const char *use);
/* Today, as local days since 1970-01-01. */
int64_t sp_today(struct req *r);
/* The setting name's value, or dflt when not set. */
int64_t sp_setting(struct req *r, struct db_conn *c, const char *name, int64_t dflt);

/* small JSON helpers */
static inline const char *sp_jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}
static inline int64_t sp_jint(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}
/* Adds months to a date "YYYY-MM-DD" (the day clamped to the month's end);
 * out gets at least 11 bytes. */
void sp_add_months(const char *date, int months, char *out, size_t n);
/* The share of a room each occupant has on day (hundredths of m²), and the
 * occupants: people with an assignment of the room covering day, not
 * counting exclude_person, plus add (0 or 1). */
int sp_room_share(struct req *r, struct db_conn *c, int64_t room_id, const char *day,
                  int64_t exclude_person, int add, int64_t *area, int *n, struct err *e);

/* A person's office area on a day, from the assignments current that day:
 * their office (shared), their rest room and toilet (suite), and a second
 * office for a concurrent post, each with its room. */
struct sp_area {
    int64_t office, suite, second; /* shares, hundredths of m² */
    int64_t room_id, room_area;    /* the office (or, without one, a suite room) */
    int occupants;
    const char *room;
    int64_t second_id, second_area;
    int second_n;
    const char *second_room;
};
int sp_person_area(struct req *r, struct db_conn *c, int64_t person, const char *day,
                   struct sp_area *a, struct err *e);
/* Refuses (422 naming person_id, the figures in the problem's "standard")
 * when person's office area on day is over the limit of rank: their office
 * and suite together, or (second) their second office alone; change is the
 * request change being applied (0: none). */
int sp_check_person(struct req *r, struct db_conn *c, int64_t person, int64_t rank, const char *day,
                    int second, int64_t change, struct err *e);

/* level.c: POST /api/v1/space/level_change, and the tenants hook */
int sp_level_change(struct req *r);
int sp_level_guard(struct req *r, struct db_conn *c, int64_t tenant, json_t *before, json_t *after,
                   struct err *e);

/* jobs.c: reminders of recovery deadlines */
struct job_ctx;
int sp_job_reminders(struct job_ctx *j, struct err *e);

/* workflow.c: the request's steps (declared in entities.c) */
int sp_event(struct wf *w, const char *kind);
int sp_apply_changes(struct wf *w);
int sp_applied(struct wf *w);
/* Appends an event to request_id's timeline (the caller as actor). */
int sp_request_event(struct req *r, struct db_conn *c, int64_t request_id, int64_t dept,
                     const char *kind, const char *note, struct err *e);
int sp_request_before_write(struct res_write *w);
int sp_request_after_write(struct res_write *w);
int sp_timeline(struct req *r);
int sp_changes_view(struct req *r);

/* reports.c */
int sp_over_standard(struct req *r);
int sp_recovery(struct req *r);
int sp_vacancies(struct req *r);
int sp_departments(struct req *r);
int sp_ledger(struct req *r);
int sp_publicity(struct req *r);
int sp_floor_view(struct req *r);
int sp_room_maintenance(struct req *r);
int sp_summary(struct req *r, struct db_conn *c, json_t *cards, struct err *e);

/* seed.c / demo.c */
int sp_seed_tenant(struct db_conn *c, int64_t tenant_id, struct err *e);
int sp_demo(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e);

#endif
