/* SPDX-License-Identifier: MIT
 * assets/pool_entities.c - the descriptors of the public property pool 公物仓
 * (data, no logic; the rules are in pool.c):
 *
 *   - an asset's steps: hand_in (in use or idle → pooled: its department
 *     hands it in with its condition, a note and a photo) and withdraw
 *     (pooled → idle: the assets manager takes it out of the pool);
 *   - pool_items: one row per hand-in, the pool's catalogue (condition,
 *     photos, note), in_pool until the asset is reused or withdrawn;
 *   - pool_requests: a department asks for an item, to keep (reuse: the
 *     purchase it saves is the asset's original value) or to borrow (loan,
 *     with a return date, at most AS_LOAN_MAX_DAYS days);
 *
 *     pending → approved (reuse: custody and books move in one step, with a
 *               transfer row; loan: the asset is lent) | rejected |
 *               cancelled (by the requester);
 *     approved loan → returned (the asset back in the pool).
 */
#include "assets.h"
#include "../../engine/workflow.h"
#include "../notify/notify.h"

#include <stddef.h>

#define SINCE 6 /* the schema version the module arrived with */

static const struct res_enum conditions[] = {
    {"good", "完好", "Good"},
    {"fair", "一般", "Fair"},
    {"poor", "较差", "Poor"},
    {"broken", "损坏", "Broken"},
    {0},
};

/* ---- an asset's steps (as_assets.actions) ---- */

static const struct res_field hand_in_body[] = {
    {.name = "note", .type = RES_TEXT, .zh = "说明", .en = "Note", .max_len = 500},
    {.name = "condition",
     .type = RES_ENUM,
     .values = conditions,
     .zh = "成色",
     .en = "Condition",
     .required = 1},
    {.name = "photo", .type = RES_INT, .zh = "照片", .en = "Photo", .has_min = 1, .min = 1},
    {0},
};

const struct res_flow as_asset_flow = {.state = "status", .notify = notify_step};

const struct res_action as_asset_steps[] = {
    {.name = "hand_in",
     .zh = "交公物仓",
     .en = "Hand in to the pool",
     .body = hand_in_body,
     .from = WF_STATES("in_use", "idle"),
     .to = "pooled",
     .check = as_hand_in_check},
    {.name = "withdraw",
     .zh = "撤出公物仓",
     .en = "Withdraw from the pool",
     .body = wf_reason_optional,
     .from = WF_STATES("pooled"),
     .to = "idle",
     .check = as_withdraw_check},
    {0},
};

/* ---- the pool's catalogue ---- */

static const struct res_enum item_statuses[] = {
    {"in_pool", "在库", "In the pool"},
    {"reused", "已调剂", "Reused"},
    {"withdrawn", "已撤出", "Withdrawn"},
    {0},
};

static const struct res_field pool_item_fields[] = {
    {.name = "asset_id",
     .type = RES_REF,
     .ref = "assets",
     .zh = "资产",
     .en = "Asset",
     .required = 1,
     .list = 1,
     .filter = 1},
    {.name = "department_id",
     .type = RES_REF,
     .ref = "departments",
     .zh = "交仓单位",
     .en = "Handed in by",
     .required = 1,
     .list = 1,
     .filter = 1},
    {.name = "condition",
     .type = RES_ENUM,
     .values = conditions,
     .zh = "成色",
     .en = "Condition",
     .required = 1,
     .list = 1,
     .filter = 1,
     .noindex = 1},
    {.name = "note", .type = RES_TEXT, .zh = "说明", .en = "Note", .max_len = 500},
    {.name = "photos", .type = RES_JSON, .zh = "照片", .en = "Photos", .widget = "photos"},
    {.name = "status",
     .type = RES_ENUM,
     .values = item_statuses,
     .zh = "状态",
     .en = "Status",
     .required = 1,
     .dflt = "in_pool",
     .list = 1,
     .filter = 1},
    {.name = "handed_in_by",
     .type = RES_REF,
     .ref = "users",
     .zh = "交仓人",
     .en = "Handed in by (user)"},
    {.name = "handed_in_at", .type = RES_DATETIME, .zh = "交仓时间", .en = "Handed in", .list = 1},
    {.name = "left_at", .type = RES_DATETIME, .zh = "出仓时间", .en = "Left the pool"},
    {0},
};

const struct res_entity as_pool_items = {
    .since = SINCE,
    .name = "pool_items",
    .zh = "公物仓物品",
    .en = "Pool items",
    .module = "assets",
    .fields = pool_item_fields,
    .title = "asset_id",
    .default_sort = "-id",
    .no_delete = 1,
    .api_readonly = 1,
    .dept_field = "department_id",
};

/* ---- requests for an item ---- */

static const struct res_enum request_kinds[] = {
    {"reuse", "调剂使用", "Reuse"},
    {"loan", "临时借用", "Loan"},
    {0},
};

static const struct res_enum request_statuses[] = {
    {"pending", "待审批", "Pending"},   {"approved", "已批准", "Approved"},
    {"rejected", "未批准", "Rejected"}, {"cancelled", "已撤销", "Cancelled"},
    {"returned", "已归还", "Returned"}, {0},
};

static const struct res_flow request_flow = {.state = "status", .notify = notify_step};

static const struct res_action request_steps[] = {
    {.name = "approve",
     .zh = "批准",
     .en = "Approve",
     .body = wf_note,
     .from = WF_STATES("pending"),
     .to = "approved",
     .not_own = "requester_id",
     .by = "decided_by",
     .now = WF_FIELDS("decided_at"),
     .text_into = "decision_note",
     .check = as_pool_approve_check,
     .then = as_pool_approve_then,
     .tell = WF_TELL({"requester_id", NULL, "公物仓申请已批准"})},
    {.name = "reject",
     .zh = "不予批准",
     .en = "Reject",
     .body = wf_reason,
     .from = WF_STATES("pending"),
     .to = "rejected",
     .not_own = "requester_id",
     .by = "decided_by",
     .now = WF_FIELDS("decided_at"),
     .text_into = "decision_note",
     .tell = WF_TELL({"requester_id", NULL, "公物仓申请未获批准"})},
    {.name = "cancel",
     .zh = "撤销",
     .en = "Cancel",
     .body = wf_reason_optional,
     .from = WF_STATES("pending"),
     .to = "cancelled",
     .only_own = "requester_id",
     .now = WF_FIELDS("decided_at"),
     .text_into = "decision_note"},
    {.name = "return",
     .zh = "归还入仓",
     .en = "Return",
     .body = wf_note,
     .from = WF_STATES("approved"),
     .to = "returned",
     .now = WF_FIELDS("returned_at"),
     .text_into = "return_note",
     .check = as_pool_return_check,
     .then = as_pool_return_then,
     .tell = WF_TELL({"requester_id", NULL, "借用物品已归还入仓"})},
    {0},
};

static const struct res_field request_fields[] = {
    {.name = "asset_id",
     .type = RES_REF,
     .ref = "assets",
     .zh = "物品",
     .en = "Item",
     .required = 1,
     .list = 1,
     .filter = 1},
    /* the item as it was asked for: the requester may not read the register of
     * the department that handed it in */
    {.name = "asset_code",
     .type = RES_TEXT,
     .zh = "资产编号",
     .en = "Asset code",
     .readonly = 1,
     .max_len = AS_CODE_MAX,
     .search = 1},
    {.name = "asset_name",
     .type = RES_TEXT,
     .zh = "物品名称",
     .en = "Item name",
     .readonly = 1,
     .max_len = 100,
     .search = 1,
     .list = 1},
    {.name = "kind",
     .type = RES_ENUM,
     .values = request_kinds,
     .zh = "方式",
     .en = "Kind",
     .required = 1,
     .dflt = "reuse",
     .list = 1,
     .filter = 1},
    {.name = "department_id",
     .type = RES_REF,
     .ref = "departments",
     .zh = "申请单位",
     .en = "Department",
     .required = 1,
     .list = 1,
     .filter = 1,
     .widget = "dept-tree"},
    {.name = "requester_id",
     .type = RES_REF,
     .ref = "users",
     .zh = "申请人",
     .en = "Requester",
     .readonly = 1,
     .filter = 1},
    {.name = "purpose",
     .type = RES_TEXT,
     .zh = "用途",
     .en = "Purpose",
     .required = 1,
     .max_len = 500,
     .search = 1,
     .list = 1},
    {.name = "custodian_id", .type = RES_REF, .ref = "people", .zh = "使用人", .en = "Custodian"},
    {.name = "room_id", .type = RES_REF, .ref = "rooms", .zh = "存放地点", .en = "Room"},
    {.name = "needed_from", .type = RES_DATE, .zh = "需用日期", .en = "Needed from", .list = 1},
    {.name = "loan_until",
     .type = RES_DATE,
     .zh = "归还日期",
     .en = "Return by",
     .list = 1,
     .filter = 1},
    {.name = "saves_fen",
     .type = RES_MONEY,
     .zh = "节约购置资金",
     .en = "Purchase saved",
     .readonly = 1,
     .list = 1},
    {.name = "status",
     .type = RES_ENUM,
     .values = request_statuses,
     .zh = "状态",
     .en = "Status",
     .required = 1,
     .readonly = 1,
     .dflt = "pending",
     .list = 1,
     .filter = 1},
    {.name = "decided_by",
     .type = RES_REF,
     .ref = "users",
     .zh = "审批人",
     .en = "Decided by",
     .readonly = 1},
    {.name = "decided_at",
     .type = RES_DATETIME,
     .zh = "审批时间",
     .en = "Decided",
     .readonly = 1,
     .filter = 1,
     .sort = 1},
    {.name = "decision_note",
     .type = RES_TEXT,
     .zh = "审批意见",
     .en = "Decision note",
     .readonly = 1,
     .max_len = 500},
    {.name = "returned_at",
     .type = RES_DATETIME,
     .zh = "归还时间",
     .en = "Returned",
     .readonly = 1},
    {.name = "return_note",
     .type = RES_TEXT,
     .zh = "归还说明",
     .en = "Return note",
     .readonly = 1,
     .max_len = 500},
    {.name = "reminded_due",
     .type = RES_BOOL,
     .zh = "已到期提醒",
     .en = "Due reminder sent",
     .readonly = 1,
     .dflt = "false",
     .required = 1},
    {.name = "reminded_overdue",
     .type = RES_BOOL,
     .zh = "已逾期提醒",
     .en = "Overdue notice sent",
     .readonly = 1,
     .dflt = "false",
     .required = 1},
    {0},
};

/* the approval queue, the loans job (status, loan_until) */
static const char *const request_indexes[] = {"status,loan_until", NULL};

const struct res_entity as_pool_requests = {
    .since = SINCE,
    .name = "pool_requests",
    .zh = "公物仓申请",
    .en = "Pool requests",
    .module = "assets",
    .fields = request_fields,
    .title = "purpose",
    .default_sort = "-id",
    .actions = request_steps,
    .flow = &request_flow,
    .indexes = request_indexes,
    .no_delete = 1,
    .dept_field = "department_id",
    .before_write = as_pool_request_before_write,
    .after_write = as_pool_request_after_write,
};
