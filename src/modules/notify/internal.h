/* SPDX-License-Identifier: MIT
 * notify/internal.h - what the notify module's files share.
 */
#ifndef BUREAU_NOTIFY_INTERNAL_H
#define BUREAU_NOTIFY_INTERNAL_H

#include "notify.h"
#include "../../core/jobs.h"
#include "../../core/router.h"
#include "../../engine/res.h"
#include "../../engine/module.h"

#include <jansson.h>

extern const struct res_entity nt_notifications, nt_webhooks, nt_deliveries;
extern const struct route notify_routes[];
extern const struct job_def notify_jobs[];

#define NOTIFY_MAX_ATTEMPTS 8
#define NOTIFY_BACKOFF_CAP 3600
#define NOTIFY_EVENTS_MAX 500 /* characters of a webhook's events list */
#define NOTIFY_SECRET_MIN 16
#define NOTIFY_SECRET_MAX 200
#define NOTIFY_HOOKS_MAX 32             /* active webhooks per tenant */
#define NOTIFY_PAYLOAD_MAX (256u << 10) /* larger payloads lose before/after */

/* webhooks.c */
int nt_webhook_before_write(struct res_write *w);
int nt_on_change(struct req *r, struct db_conn *c, const struct res_entity *ent, const char *action,
                 int64_t id, json_t *before, json_t *after, struct err *e);
int nt_action_ping(struct req *r, const struct res_entity *ent, int64_t id, json_t *body);
int nt_action_retry(struct req *r, const struct res_entity *ent, int64_t id, json_t *body);
int nt_h_webhook_create(struct req *r);
int nt_h_webhook_patch(struct req *r);
/* Drops this process's cached webhooks of a tenant. */
void nt_forget_tenant(int64_t tenant_id);

/* notifications.c */
int nt_h_list(struct req *r);
int nt_h_unread(struct req *r);
int nt_h_read(struct req *r);
int nt_h_read_all(struct req *r);

/* deliver.c */
int nt_job_deliver(struct job_ctx *j, struct err *e);
int nt_job_prune(struct job_ctx *j, struct err *e);
/* Registers (once per transaction) a wake-up of the dispatcher at commit. */
int nt_kick_at_commit(struct db_conn *c, struct err *e);

#endif
