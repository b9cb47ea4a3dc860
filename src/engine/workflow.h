/* SPDX-License-Identifier: MIT
 * workflow.h - the workflow kit: a module declares each named action of a
 * collection (POST /api/v1/{collection}/{id}/{action}) next to its fields,
 * as a step of the collection's state machine, and the engine runs it:
 *
 *   1. the body, checked against the step's members (res_field, as a
 *      collection's fields are): unknown, missing, ill-typed or out-of-range
 *      members are refused (422, every one at once) before anything is read;
 *   2. one transaction: the record's row locked (rec_lock; .lock first takes
 *      rows that must be locked before it) and loaded within the caller's
 *      scope (404 outside it);
 *   3. who may act: nobody on a record naming them in .not_own (409
 *      "wf.own"), only the user .only_own names (403 "wf.only_own");
 *   4. the state: the record's .state field must be one of .from (409
 *      "wf.out_of_order" with the action, the state and the states allowed);
 *   5. the patch: .to, .now (stamped with the time), .by (the actor),
 *      .text_into (the body's text), .set and .clear;
 *   6. .check, the step's own rules (C, only where there is real logic): may
 *      refuse, add to the patch or write other records;
 *   7. the patch written as the workflow's own write (r->server_write), the
 *      timeline event (.event, through the flow's event function), the
 *      people told (.tell, through the flow's notify function), then .then;
 *   8. commit, and the answer: the record as it is now (200), even when it
 *      left the caller's scope. Any refusal rolls everything back.
 *
 * A step that must do everything itself keeps a plain handler (.fn).
 *
 *   static const struct res_action steps[] = {
 *       {.name = "approve", .zh = "审批通过", .en = "Approve", .body = wf_note,
 *        .from = WF_STATES("submitted"), .to = "approved", .not_own = "requester_id",
 *        .now = WF_FIELDS("approved_at"), .by = "approver_id", .text_into = "approve_note",
 *        .tell = WF_TELL({"requester_id", NULL, "用车申请已批准，等待派车"})},
 *       {0}};
 */
#ifndef BUREAU_WORKFLOW_H
#define BUREAU_WORKFLOW_H

#include "res.h"

#include <jansson.h>
#include <stdint.h>

struct req;
struct db_conn;
struct err;

/* One step in progress: what .check and .then, and a flow's functions, see. */
struct wf {
    struct req *r;
    struct db_conn *c;
    const struct res_entity *ent;
    const struct res_action *step;
    int64_t id;
    json_t *rec;       /* the record before the step (released with the request) */
    json_t *body;      /* the checked body */
    const char *state; /* the record's state before the step; NULL without one */
    const char *text;  /* the body's text member (the first text one), NULL when empty */
    json_t *patch;     /* what is written on the record after .check */
    int64_t count;     /* the step's own: .check may leave a figure for .then */
    json_t *other;     /* the step's own: a related record .lock or .check loaded */
};

/* Someone told of a step: the user a field of the record names (after the
 * step: the patch's value when it sets one), or every user of a role. */
struct wf_tell {
    const char *field; /* "requester_id", or NULL with role */
    const char *role;  /* "leader": the role's users */
    const char *title; /* the notification's title (zh) */
};

/* What a collection's steps share (res_entity.flow). */
struct res_flow {
    const char *state; /* the field holding the state ("status"); NULL: none */
    /* Appends the timeline event kind (the step's .event) for w; may be NULL. */
    int (*event)(struct wf *w, const char *kind);
    /* Tells user (or, when user is 0, every user of role) of the step: the
     * notification's kind is "<module>.<step>"; text is the step's text.
     * Never called for the actor themselves. May be NULL. */
    int (*notify)(struct wf *w, int64_t user, const char *role, const char *title,
                  const char *text);
};

#define WF_STATES(...) ((const char *const[]){__VA_ARGS__, NULL})
#define WF_FIELDS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define WF_TELL(...) ((const struct wf_tell[]){__VA_ARGS__, {0}})

/* Common bodies: an optional note, a required reason, an optional reason,
 * nothing (each text at most 500 characters). */
extern const struct res_field wf_note[], wf_reason[], wf_reason_optional[], wf_nothing[];

/* Runs step on record id of ent (the route's handler for a declared step). */
int wf_run(struct req *r, const struct res_entity *ent, const struct res_action *step, int64_t id,
           json_t *body);

/* 1 when a record in state may take step (its .from lists state, or it has no
 * .from); the state machine as data, for tests and the UI. */
int wf_allowed(const struct res_action *step, const char *state);

/* Refuses with 409 and the key (and formatted detail, err.h's named
 * parameters): the step's own conflicts. */
int wf_conflict(struct wf *w, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A refused body member: 422 naming field. */
int wf_invalid(struct wf *w, const char *field, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The workflow's own reads and writes of other records, in the whole tenant
 * whatever the caller's scope, marked as the server's (r->server_write):
 * hooks let them through. patch and rec are consumed (NULL, a failed
 * json_pack, is -ERR_INTERNAL). */
int wf_update(struct req *r, struct db_conn *c, const struct res_entity *ent, int64_t id,
              json_t *patch, struct err *e);
int wf_create(struct req *r, struct db_conn *c, const struct res_entity *ent, json_t *rec,
              int64_t *id, struct err *e);
/* Loads a record in the whole tenant; released with the request. */
int wf_load(struct req *r, struct db_conn *c, const struct res_entity *ent, int64_t id,
            json_t **out, struct err *e);

/* The body's members, and readers of a loaded record. */
static inline const char *wf_str(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}
static inline int64_t wf_int(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}
static inline int wf_has(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return v && !json_is_null(v);
}
/* An RFC 3339 member as Unix seconds (0 when absent or bad), and back in the
 * tenant's offset (null for 0). */
int64_t wf_time(json_t *o, const char *k);
json_t *wf_time_json(struct req *r, int64_t t);
/* The acting user as JSON (null for the server itself). */
json_t *wf_actor(struct req *r);
/* 1 when a and b are both set and equal. */
int wf_is(const char *a, const char *b);

#endif
