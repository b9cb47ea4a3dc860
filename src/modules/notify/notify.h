/* SPDX-License-Identifier: MIT
 * notify.h - the shared notification service: in-app notifications (the bell
 * of the web UI) and outgoing webhooks signed with HMAC-SHA256.
 *
 * Other modules call notify_user / notify_role / notify_department and
 * notify_event inside the transaction of the change that causes them: the
 * notification or the queued webhook delivery commits or rolls back with it.
 * Every audited create, update and delete of any collection is offered to
 * the tenant's active webhooks by the module's on_change hook (outbox); a
 * job and a small dispatcher thread send what is due (docs/modules/notify.md).
 */
#ifndef BUREAU_NOTIFY_H
#define BUREAU_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

struct req;
struct db;
struct db_conn;
struct err;
struct config;
typedef struct json_t json_t;

/* Limits of a notification's texts, in characters: longer ones are cut. */
#define NOTIFY_TITLE_MAX 200
#define NOTIFY_BODY_MAX 1000

/* Notifies one user of r's tenant: inserts a notification inside the caller's
 * open transaction (ERR_INTERNAL without one). kind is a dotted name such as
 * "servicedesk.assigned" (≤ 60 bytes); title is required, body may be NULL;
 * collection and record_id name what it is about (NULL / 0: nothing) and make
 * the UI link "#/c/<collection>/<record_id>". An inactive or unknown user is
 * skipped (0 is returned). Returns 0 or a negative ERR_*. */
int notify_user(struct req *r, struct db_conn *c, int64_t user_id, const char *kind,
                const char *title, const char *body, const char *collection, int64_t record_id,
                struct err *e);
/* The same for every active user holding the role with code role_code, or
 * whose person belongs to department dept_id; the caller (r->user_id) is left
 * out. *n (may be NULL) receives the number notified. */
int notify_role(struct req *r, struct db_conn *c, const char *role_code, const char *kind,
                const char *title, const char *body, const char *collection, int64_t record_id,
                int *n, struct err *e);
/* notify_role, but once per user and kind: a user who has a notification of
 * that kind already (read or not, until it is pruned) is not told again. */
int notify_role_once(struct req *r, struct db_conn *c, const char *role_code, const char *kind,
                     const char *title, const char *body, const char *collection,
                     int64_t record_id, int *n, struct err *e);
int notify_department(struct req *r, struct db_conn *c, int64_t dept_id, const char *kind,
                      const char *title, const char *body, const char *collection,
                      int64_t record_id, int *n, struct err *e);

/* A workflow step's notification (res_flow.notify): user, or every user of
 * role when user is 0; kind "<module>.<event or step>", about the record the
 * step is on. */
struct wf;
int notify_step(struct wf *w, int64_t user, const char *role, const char *title, const char *text);

/* Queues a delivery of a module's own named event ("service_requests.
 * status_changed") to every active webhook of r's tenant whose patterns match
 * it, inside the caller's open transaction. The payload is {"event",
 * "collection", "id", "action" (the part after the first dot), "at", "tenant",
 * "actor", "data"}; data is borrowed (may be NULL). Returns 0 or ERR_*. */
int notify_event(struct req *r, struct db_conn *c, const char *event, const char *collection,
                 int64_t id, json_t *data, struct err *e);

/* ---- process lifecycle (main.c) ---- */

/* Once at start, before any thread: initialises libcurl. */
int notify_global_init(void);
/* Starts the dispatcher that makes first attempts prompt; takes the webhook
 * backoff base from cfg. Without it, the periodic job alone sends. */
int notify_start(struct db *db, const struct config *cfg, struct err *e);
/* Aborts transfers in flight and stops the dispatcher; call before
 * jobs_stop() and db_close(). */
void notify_stop(void);

/* ---- building blocks, exposed for tests ---- */

#define NOTIFY_SIG_LEN (7 + 64) /* "sha256=" and 64 hex digits */
/* out (NOTIFY_SIG_LEN + 1 bytes) = "sha256=" + hex HMAC-SHA256 with key
 * secret over "<ts>.<body>". */
void notify_sign(const char *secret, size_t secret_len, int64_t ts, const char *body,
                 size_t body_len, char *out);
/* Checks a webhook's events list ("a.*, b.update, *"): comma-separated
 * patterns "*", "<name>.<action>", "<name>.*" or "*.<action>", names of
 * [a-z0-9_]. Writes the list without spaces to norm (n bytes). Returns 0, or
 * -1 with the reason in *why. */
struct err_item;
int notify_events_parse(const char *events, char *norm, size_t n, struct err_item *why);
/* 1 when event ("departments.update") matches one pattern of a normalised
 * events list, else 0. */
int notify_events_match(const char *events, const char *event);
/* The delay before attempt number attempts + 1 after a failed attempt:
 * base × 2^(attempts − 1) seconds, at most one hour (base 0: none). */
int64_t notify_backoff(int64_t base, int attempts);

#endif
