/* SPDX-License-Identifier: MIT
 * notify/entities.c - notifications (written by the server, read by their
 * users through /api/v1/me/notifications), webhooks (the secret is a hidden
 * field: stored, never sent) and webhook deliveries (the outbox).
 */
#include "internal.h"

#include <stddef.h>

/* the schema version that added the module's tables */
#define NOTIFY_SINCE 2

static const struct res_field notification_fields[] = {
    /* not a reference: a user who is deleted takes their notifications along
     * (nt_on_change) instead of being held by them */
    {.name = "user_id", .type = RES_INT, .zh = "用户编号", .en = "User id", .required = 1,
     .readonly = 1, .noindex = 1, .filter = 1, .list = 1},
    {.name = "kind", .type = RES_TEXT, .zh = "类型", .en = "Kind", .required = 1, .readonly = 1,
     .max_len = 60, .noindex = 1, .filter = 1, .list = 1},
    {.name = "title", .type = RES_TEXT, .zh = "标题", .en = "Title", .required = 1,
     .readonly = 1, .max_len = NOTIFY_TITLE_MAX, .search = 1, .list = 1},
    {.name = "body", .type = RES_TEXT, .zh = "内容", .en = "Body", .readonly = 1,
     .max_len = NOTIFY_BODY_MAX, .widget = "textarea"},
    {.name = "link", .type = RES_TEXT, .zh = "链接", .en = "Link", .readonly = 1, .max_len = 300},
    {.name = "collection", .type = RES_TEXT, .zh = "数据集", .en = "Collection", .readonly = 1,
     .max_len = 60, .noindex = 1, .filter = 1},
    {.name = "record_id", .type = RES_INT, .zh = "记录编号", .en = "Record id", .readonly = 1,
     .noindex = 1, .filter = 1},
    {.name = "read_at", .type = RES_DATETIME, .zh = "已读时间", .en = "Read at", .readonly = 1,
     .list = 1},
    {0},
};

/* the bell's unread count and a user's newest-first list */
static const char *const notification_indexes[] = {"user_id,read_at", "user_id,id", NULL};

const struct res_entity nt_notifications = {
    .name = "notifications", .zh = "站内通知", .en = "Notifications", .module = "notify",
    .fields = notification_fields, .title = "title", .default_sort = "-id",
    .api_readonly = 1, .no_delete = 1, .indexes = notification_indexes,
    .since = NOTIFY_SINCE,
};

static const struct res_field webhook_fields[] = {
    {.name = "name", .type = RES_TEXT, .zh = "名称", .en = "Name", .required = 1, .unique = 1,
     .max_len = 80, .search = 1, .list = 1, .sort = 1},
    {.name = "url", .type = RES_TEXT, .zh = "接收地址", .en = "URL", .required = 1,
     .max_len = 500, .list = 1},
    /* the HMAC key: required on create and checked by the module's own
     * create/update routes (it is hidden, so generic input refuses it) */
    {.name = "secret", .type = RES_TEXT, .zh = "签名密钥", .en = "Signing secret", .hidden = 1,
     .min_len = NOTIFY_SECRET_MIN, .max_len = NOTIFY_SECRET_MAX},
    {.name = "events", .type = RES_TEXT, .zh = "订阅事件", .en = "Events", .required = 1,
     .max_len = NOTIFY_EVENTS_MAX, .dflt = "*", .list = 1},
    {.name = "active", .type = RES_BOOL, .zh = "启用", .en = "Active", .required = 1,
     .dflt = "true", .filter = 1, .list = 1},
    {.name = "description", .type = RES_TEXT, .zh = "说明", .en = "Description", .max_len = 500,
     .widget = "textarea"},
    {0},
};

static const struct res_action webhook_actions[] = {
    {.name = "ping", .zh = "发送测试", .en = "Send a ping", .fn = nt_action_ping},
    {0},
};

const struct res_entity nt_webhooks = {
    .name = "webhooks", .zh = "Webhook 推送", .en = "Webhooks", .module = "notify",
    .fields = webhook_fields, .title = "name", .actions = webhook_actions,
    .before_write = nt_webhook_before_write, .forget = nt_forget_tenant,
    .since = NOTIFY_SINCE,
};

static const struct res_enum delivery_states[] = {
    {"pending", "待发送", "Pending"},
    {"delivered", "已送达", "Delivered"},
    {"failed", "失败", "Failed"},
    {0},
};

static const struct res_field delivery_fields[] = {
    {.name = "webhook_id", .type = RES_REF, .ref = "webhooks", .zh = "Webhook",
     .en = "Webhook", .required = 1, .readonly = 1, .noindex = 1, .filter = 1, .list = 1},
    {.name = "event", .type = RES_TEXT, .zh = "事件", .en = "Event", .required = 1,
     .readonly = 1, .max_len = 120, .noindex = 1, .filter = 1, .list = 1},
    {.name = "collection", .type = RES_TEXT, .zh = "数据集", .en = "Collection", .readonly = 1,
     .max_len = 60, .noindex = 1, .filter = 1},
    {.name = "record_id", .type = RES_INT, .zh = "记录编号", .en = "Record id", .readonly = 1,
     .noindex = 1, .filter = 1, .list = 1},
    {.name = "payload", .type = RES_JSON, .zh = "内容", .en = "Payload", .readonly = 1},
    {.name = "status", .type = RES_ENUM, .values = delivery_states, .zh = "状态",
     .en = "Status", .required = 1, .readonly = 1, .dflt = "pending", .filter = 1,
     .list = 1},
    {.name = "attempts", .type = RES_INT, .zh = "尝试次数", .en = "Attempts", .required = 1,
     .readonly = 1, .dflt = "0", .list = 1},
    {.name = "next_attempt_at", .type = RES_DATETIME, .zh = "下次尝试", .en = "Next attempt",
     .readonly = 1, .noindex = 1, .sort = 1},
    {.name = "last_status", .type = RES_INT, .zh = "HTTP 状态码", .en = "Last HTTP status",
     .readonly = 1, .list = 1},
    {.name = "last_error", .type = RES_TEXT, .zh = "错误", .en = "Last error", .readonly = 1,
     .max_len = 300},
    {.name = "delivered_at", .type = RES_DATETIME, .zh = "送达时间", .en = "Delivered at",
     .readonly = 1, .list = 1},
    /* the claim of the process sending it (not shown) */
    {.name = "lease_until", .type = RES_DATETIME, .zh = "发送租约", .en = "Lease",
     .readonly = 1, .hidden = 1},
    {0},
};

static const struct res_action delivery_actions[] = {
    {.name = "retry", .zh = "重新发送", .en = "Retry", .fn = nt_action_retry},
    {0},
};

/* one webhook's queue in order */
static const char *const delivery_indexes[] = {"webhook_id,status", NULL};

const struct res_entity nt_deliveries = {
    .name = "webhook_deliveries", .zh = "Webhook 投递记录", .en = "Webhook deliveries",
    .module = "notify", .fields = delivery_fields, .title = "event", .default_sort = "-id",
    .api_readonly = 1, .no_delete = 1, .actions = delivery_actions,
    .indexes = delivery_indexes, .since = NOTIFY_SINCE,
};
