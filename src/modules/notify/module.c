/* SPDX-License-Identifier: MIT
 * notify/module.c - the notify module's declaration: its collections, the
 * caller's own notification routes, the webhook routes that take a secret,
 * the delivery and retention jobs, and its hand-written migration steps.
 */
#include "internal.h"
#include "../../core/jobs.h"
#include "../../core/router.h"

#include <stddef.h>

static const struct res_entity *const notify_entities[] = {
    &nt_notifications, &nt_webhooks, &nt_deliveries, NULL,
};

const struct route notify_routes[] = {
    {.method = HTTP_GET, .pattern = "/api/v1/me/notifications", .fn = nt_h_list,
     .while_must_change = 1},
    {.method = HTTP_GET, .pattern = "/api/v1/me/notifications/unread", .fn = nt_h_unread,
     .while_must_change = 1},
    {.method = HTTP_POST, .pattern = "/api/v1/me/notifications/read_all", .fn = nt_h_read_all,
     .while_must_change = 1},
    {.method = HTTP_POST, .pattern = "/api/v1/me/notifications/{id}/read", .fn = nt_h_read,
     .while_must_change = 1},
    /* the hidden secret is accepted here, and only here */
    {.method = HTTP_POST, .pattern = "/api/v1/webhooks", .fn = nt_h_webhook_create},
    {.method = HTTP_PATCH, .pattern = "/api/v1/webhooks/{id}", .fn = nt_h_webhook_patch},
    {0},
};

const struct job_def notify_jobs[] = {
    /* due every time the runner looks (--jobs-interval) */
    {.name = "notify.deliver", .interval_s = 1, .lease_s = 120, .run = nt_job_deliver},
    {.name = "notify.prune", .interval_s = 86400, .run = nt_job_prune},
    {0},
};

/* The due deliveries of every tenant, for the job. (Built-in roles of
 * existing tenants get the module's grants from identity's upgrade.) */
static const struct migration_step notify_migrations[] = {
    {2, "notify: the delivery queue's index",
     "CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);\n",
     "CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);\n"},
    {0},
};

const struct module notify_module = {
    .name = "notify",
    .zh = "通知与推送",
    .en = "Notifications",
    .entities = notify_entities,
    .routes = notify_routes,
    .jobs = notify_jobs,
    .migrations = notify_migrations,
    .on_change = nt_on_change,
};
