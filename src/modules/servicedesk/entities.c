/* SPDX-License-Identifier: MIT
 * servicedesk/entities.c - the catalogue (types and their SLA targets),
 * teams (bureau sections and contractor crews) and their members, routing
 * rules, requests, work orders and the timeline of each request.
 */
#include "servicedesk.h"
#include "../../engine/workflow.h"

#include <stddef.h>

static const struct res_enum categories[] = {
    {"repair", "维修", "Repair"},
    {"hvac", "空调", "Air-conditioning"},
    {"electrical", "电力照明", "Electrical"},
    {"plumbing", "给排水", "Plumbing"},
    {"cleaning", "保洁", "Cleaning"},
    {"meeting", "会议服务", "Meeting service"},
    {"reception", "接待服务", "Reception"},
    {"canteen", "食堂", "Canteen"},
    {"network", "网络电话", "Network and phones"},
    {"suggestion", "意见建议", "Suggestion"},
    {"complaint", "投诉", "Complaint"},
    {"other", "其他", "Other"},
    {0},
};

static const struct res_field type_fields[] = {
    {.name = "code", .type = RES_TEXT, .zh = "代码", .en = "Code", .required = 1, .unique = 1,
     .max_len = 40, .pattern = "^[a-z][a-z0-9_]*$", .list = 1, .sort = 1},
    {.name = "name", .type = RES_TEXT, .zh = "名称", .en = "Name", .required = 1, .max_len = 40,
     .list = 1, .search = 1},
    {.name = "name_en", .type = RES_TEXT, .zh = "英文名称", .en = "English name", .max_len = 60},
    {.name = "category", .type = RES_ENUM, .values = categories, .zh = "类别", .en = "Category",
     .required = 1, .list = 1, .filter = 1},
    {.name = "needs_location", .type = RES_BOOL, .zh = "须填地点", .en = "Location required",
     .dflt = "true", .required = 1},
    {.name = "active", .type = RES_BOOL, .zh = "启用", .en = "Active", .dflt = "true",
     .required = 1, .list = 1, .filter = 1},
    {.name = "sort_order", .type = RES_INT, .zh = "排序", .en = "Order", .dflt = "0",
     .required = 1, .sort = 1},
    {.name = "description", .type = RES_TEXT, .zh = "说明", .en = "Description", .max_len = 200},
    {0},
};

const struct res_entity sd_types = {
    .since = 2, /* schema version 2 */
    .name = "service_types", .zh = "服务类型", .en = "Service types", .module = "servicedesk",
    .fields = type_fields, .title = "name", .default_sort = "sort_order",
};

static const struct res_enum urgencies[] = {
    {"low", "低", "Low"},
    {"normal", "一般", "Normal"},
    {"high", "高", "High"},
    {"urgent", "紧急", "Urgent"},
    {0},
};

static const struct res_field sla_fields[] = {
    {.name = "type_id", .type = RES_REF, .ref = "service_types", .zh = "服务类型",
     .en = "Service type", .required = 1, .list = 1},
    {.name = "urgency", .type = RES_ENUM, .values = urgencies, .zh = "紧急程度", .en = "Urgency",
     .required = 1, .list = 1, .filter = 1},
    {.name = "respond_minutes", .type = RES_INT, .zh = "响应时限(工作分钟)",
     .en = "Respond within (working minutes)", .required = 1, .has_min = 1, .min = 1,
     .has_max = 1, .max = 100000, .list = 1},
    {.name = "resolve_minutes", .type = RES_INT, .zh = "办结时限(工作分钟)",
     .en = "Resolve within (working minutes)", .required = 1, .has_min = 1, .min = 1,
     .has_max = 1, .max = 1000000, .list = 1},
    {0},
};

static const char *const sla_uniques[] = {"type_id,urgency", NULL};

const struct res_entity sd_sla_targets = {
    .since = 2, /* schema version 2 */
    .name = "sla_targets", .zh = "服务时限", .en = "SLA targets", .module = "servicedesk",
    .fields = sla_fields, .title = "urgency", .uniques = sla_uniques,
};

static const struct res_enum team_kinds[] = {
    {"section", "局内科室", "Bureau section"},
    {"contractor", "外包单位", "Contractor"},
    {0},
};

static const struct res_field team_fields[] = {
    {.name = "name", .type = RES_TEXT, .zh = "名称", .en = "Name", .required = 1, .max_len = 60,
     .unique = 1, .list = 1, .search = 1, .sort = 1},
    {.name = "kind", .type = RES_ENUM, .values = team_kinds, .zh = "类别", .en = "Kind",
     .required = 1, .list = 1, .filter = 1},
    {.name = "department_id", .type = RES_REF, .ref = "departments", .zh = "所属科室",
     .en = "Section", .widget = "dept-tree", .list = 1},
    {.name = "company", .type = RES_TEXT, .zh = "外包公司", .en = "Company", .max_len = 100,
     .list = 1, .search = 1},
    /* the company's 统一社会信用代码 (GB 32100-2015) */
    {.name = "credit_code", .type = RES_TEXT, .zh = "统一社会信用代码",
     .en = "Unified social credit code", .max_len = 18, .format = "uscc", .search = 1, .since = 4}, /* schema version 4 */
    {.name = "head_user_id", .type = RES_REF, .ref = "users", .zh = "负责人", .en = "Head",
     .list = 1},
    {.name = "active", .type = RES_BOOL, .zh = "启用", .en = "Active", .dflt = "true",
     .required = 1, .filter = 1, .list = 1},
    {0},
};

const struct res_entity sd_teams = {
    .since = 2, /* schema version 2 */
    .name = "service_teams", .zh = "服务班组", .en = "Service teams", .module = "servicedesk",
    .fields = team_fields, .title = "name",
};

static const struct res_field member_fields[] = {
    {.name = "team_id", .type = RES_REF, .ref = "service_teams", .zh = "班组", .en = "Team",
     .required = 1, .list = 1},
    {.name = "user_id", .type = RES_REF, .ref = "users", .zh = "成员", .en = "Member",
     .required = 1, .list = 1},
    {0},
};

static const char *const member_uniques[] = {"team_id,user_id", NULL};

const struct res_entity sd_team_members = {
    .since = 2, /* schema version 2 */
    .name = "service_team_members", .zh = "班组成员", .en = "Team members",
    .module = "servicedesk", .fields = member_fields, .title = "user_id",
    .uniques = member_uniques,
};

static const struct res_field rule_fields[] = {
    {.name = "priority", .type = RES_INT, .zh = "优先级(小者先)", .en = "Priority (lower first)",
     .dflt = "100", .required = 1, .has_min = 1, .min = 0, .has_max = 1, .max = 100000,
     .list = 1, .sort = 1},
    {.name = "type_id", .type = RES_REF, .ref = "service_types", .zh = "服务类型(空=任意)",
     .en = "Service type (empty: any)", .list = 1},
    {.name = "building", .type = RES_TEXT, .zh = "楼宇(空=任意)", .en = "Building (empty: any)",
     .max_len = 60, .list = 1},
    {.name = "urgency", .type = RES_ENUM, .values = urgencies, .zh = "紧急程度(空=任意)",
     .en = "Urgency (empty: any)", .list = 1},
    {.name = "team_id", .type = RES_REF, .ref = "service_teams", .zh = "派往班组",
     .en = "Route to team", .required = 1, .list = 1},
    {.name = "active", .type = RES_BOOL, .zh = "启用", .en = "Active", .dflt = "true",
     .required = 1, .filter = 1, .list = 1},
    {.name = "note", .type = RES_TEXT, .zh = "备注", .en = "Note", .max_len = 200},
    {0},
};

const struct res_entity sd_routing_rules = {
    .since = 2, /* schema version 2 */
    .name = "routing_rules", .zh = "派单规则", .en = "Routing rules", .module = "servicedesk",
    .fields = rule_fields, .title = "priority", .default_sort = "priority",
};

static const struct res_enum statuses[] = {
    {"submitted", "待派单", "Submitted"},
    {"assigned", "已派单", "Assigned"},
    {"in_progress", "处理中", "In progress"},
    {"waiting", "待补充", "Waiting for requester"},
    {"resolved", "待确认", "Resolved"},
    {"closed", "已关闭", "Closed"},
    {"cancelled", "已撤销", "Cancelled"},
    {0},
};

static const struct res_enum close_reasons[] = {
    {"confirmed", "申请人确认", "Confirmed by requester"},
    {"auto", "逾期自动关闭", "Closed automatically"},
    {"cancelled", "撤销", "Cancelled"},
    {0},
};

/* submitted → assigned (by a routing rule or a dispatcher) → in_progress
 * (its work order accepted) ⇄ waiting (for the requester) → resolved (work
 * done) → closed (confirmed or rated by the requester, or after 7 days);
 * resolved → assigned again when the requester reopens it within 7 days;
 * cancelled until it is resolved. */
static const struct res_flow request_flow = {.state = "status", .event = sd_request_event};

#define LIVE "submitted", "assigned", "in_progress", "waiting"

static const struct res_field assign_body[] = {
    {.name = "team_id", .type = RES_REF, .ref = "service_teams", .zh = "班组", .en = "Team",
     .required = 1},
    {.name = "assignee_id", .type = RES_REF, .ref = "users", .zh = "处理人", .en = "Assignee"},
    {.name = "note", .type = RES_TEXT, .zh = "派单说明", .en = "Note", .max_len = 500,
     .widget = "textarea"},
    {0},
};

static const struct res_field comment_body[] = {
    {.name = "message", .type = RES_TEXT, .zh = "留言", .en = "Message", .required = 1,
     .max_len = 2000, .widget = "textarea"},
    {0},
};

static const struct res_field rate_body[] = {
    {.name = "score", .type = RES_INT, .zh = "评分", .en = "Score", .required = 1, .has_min = 1,
     .min = 1, .has_max = 1, .max = 5},
    {.name = "comment", .type = RES_TEXT, .zh = "评价", .en = "Comment", .max_len = 500,
     .widget = "textarea"},
    {0},
};

static const struct res_action request_actions[] = {
    {.name = "assign", .zh = "派单", .en = "Assign", .body = assign_body, .from = WF_STATES(LIVE),
     .to = "assigned", .event = "assigned", .check = sd_assign_check, .then = sd_assign_then},
    {.name = "cancel", .zh = "撤销", .en = "Cancel", .body = wf_reason_optional,
     .from = WF_STATES(LIVE), .to = "cancelled", .set = WF_FIELDS("close_reason", "cancelled"),
     .now = WF_FIELDS("closed_at"), .clear = WF_FIELDS("hold_since"), .event = "cancelled",
     .check = sd_cancel_check, .then = sd_cancel_then},
    {.name = "comment", .zh = "留言", .en = "Comment", .body = comment_body,
     .from = WF_STATES(LIVE, "resolved"), .check = sd_comment_check, .then = sd_comment_then},
    {.name = "confirm", .zh = "确认办结", .en = "Confirm", .body = wf_nothing,
     .only_own = "requester_id", .from = WF_STATES("resolved"), .to = "closed",
     .set = WF_FIELDS("close_reason", "confirmed"), .now = WF_FIELDS("closed_at"),
     .event = "confirmed"},
    {.name = "reopen", .zh = "重新打开", .en = "Reopen", .body = wf_reason,
     .only_own = "requester_id", .from = WF_STATES("resolved"), .to = "assigned",
     .event = "reopened", .check = sd_reopen_check, .then = sd_reopen_then},
    {.name = "rate", .zh = "评价", .en = "Rate", .body = rate_body, .only_own = "requester_id",
     .from = WF_STATES("resolved", "closed"), .check = sd_rate_check},
    {0},
};

static const struct res_field request_fields[] = {
    {.name = "title", .type = RES_TEXT, .zh = "标题", .en = "Title", .required = 1,
     .max_len = 100, .list = 1, .search = 1},
    {.name = "type_id", .type = RES_REF, .ref = "service_types", .zh = "服务类型",
     .en = "Service type", .required = 1, .list = 1},
    {.name = "urgency", .type = RES_ENUM, .values = urgencies, .zh = "紧急程度",
     .en = "Urgency", .dflt = "normal", .required = 1, .list = 1, .filter = 1, .noindex = 1},
    {.name = "description", .type = RES_TEXT, .zh = "问题描述", .en = "Description",
     .required = 1, .max_len = 2000, .widget = "textarea", .search = 1},
    {.name = "building", .type = RES_TEXT, .zh = "楼宇", .en = "Building", .max_len = 60,
     .list = 1, .filter = 1},
    {.name = "floor", .type = RES_TEXT, .zh = "楼层", .en = "Floor", .max_len = 20},
    {.name = "room", .type = RES_TEXT, .zh = "房间", .en = "Room", .max_len = 40, .list = 1},
    /* the space module's room (docs/modules/space.md: maintenance) */
    {.name = "room_id", .type = RES_REF, .ref = "rooms", .zh = "房间", .en = "Room", .since = 2},
    {.name = "location", .type = RES_TEXT, .zh = "地点说明", .en = "Location details",
     .max_len = 200},
    {.name = "photos", .type = RES_JSON, .zh = "照片", .en = "Photos", .widget = "photos"},
    {.name = "contact_phone", .type = RES_TEXT, .zh = "联系电话", .en = "Contact phone",
     .max_len = 20, .format = "phone", .widget = "phone"},
    {.name = "requester_id", .type = RES_REF, .ref = "users", .zh = "申请人",
     .en = "Requester", .readonly = 1, .list = 1},
    {.name = "department_id", .type = RES_REF, .ref = "departments", .zh = "申请部门",
     .en = "Requester's department", .readonly = 1},
    /* indexed in front of the composite indexes below */
    {.name = "status", .type = RES_ENUM, .values = statuses, .zh = "状态", .en = "Status",
     .readonly = 1, .dflt = "submitted", .required = 1, .list = 1, .filter = 1, .noindex = 1},
    {.name = "team_id", .type = RES_REF, .ref = "service_teams", .zh = "承办班组",
     .en = "Team", .readonly = 1, .list = 1},
    {.name = "assignee_id", .type = RES_REF, .ref = "users", .zh = "处理人", .en = "Assignee",
     .readonly = 1},
    {.name = "respond_due_at", .type = RES_DATETIME, .zh = "响应时限", .en = "Respond by",
     .readonly = 1, .sort = 1, .noindex = 1},
    /* sorted with a status filter (the board): the (status, resolve_due_at) index; a
     * lone index on it would lure SQLite (no stat4) into walking the whole table */
    {.name = "resolve_due_at", .type = RES_DATETIME, .zh = "办结时限", .en = "Resolve by",
     .readonly = 1, .sort = 1, .list = 1, .noindex = 1},
    {.name = "responded_at", .type = RES_DATETIME, .zh = "响应时间", .en = "Responded",
     .readonly = 1},
    {.name = "resolved_at", .type = RES_DATETIME, .zh = "办结时间", .en = "Resolved",
     .readonly = 1, .sort = 1, .noindex = 1},
    {.name = "closed_at", .type = RES_DATETIME, .zh = "关闭时间", .en = "Closed",
     .readonly = 1},
    {.name = "close_reason", .type = RES_ENUM, .values = close_reasons, .zh = "关闭方式",
     .en = "Closed by", .readonly = 1},
    {.name = "hold_since", .type = RES_DATETIME, .zh = "挂起时间", .en = "Waiting since",
     .readonly = 1},
    /* working seconds left on each clock while it is paused */
    {.name = "respond_left_s", .type = RES_INT, .zh = "剩余响应秒数", .en = "Response seconds left",
     .readonly = 1, .hidden = 1},
    {.name = "resolve_left_s", .type = RES_INT, .zh = "剩余办结秒数", .en = "Resolution seconds left",
     .readonly = 1, .hidden = 1},
    {.name = "respond_breached", .type = RES_BOOL, .zh = "响应超时", .en = "Response late",
     .readonly = 1, .dflt = "false", .required = 1, .filter = 1},
    {.name = "resolve_breached", .type = RES_BOOL, .zh = "办结超时", .en = "Resolution late",
     .readonly = 1, .dflt = "false", .required = 1, .filter = 1},
    {.name = "escalated_at", .type = RES_DATETIME, .zh = "升级时间", .en = "Escalated",
     .readonly = 1},
    {.name = "reopen_count", .type = RES_INT, .zh = "重开次数", .en = "Times reopened",
     .readonly = 1, .dflt = "0", .required = 1},
    {.name = "score", .type = RES_INT, .zh = "满意度评分", .en = "Score", .readonly = 1,
     .has_min = 1, .min = 1, .has_max = 1, .max = 5, .filter = 1, .noindex = 1},
    {.name = "rating_comment", .type = RES_TEXT, .zh = "评价内容", .en = "Rating comment",
     .readonly = 1, .max_len = 500},
    {.name = "rated_at", .type = RES_DATETIME, .zh = "评价时间", .en = "Rated", .readonly = 1},
    {0},
};

/* the dispatcher board (status and team; status by due time), a team's queue,
 * a requester's own list, reports of a period, unconfirmed requests to close */
static const char *const request_indexes[] = {"status,team_id", "team_id,status",
                                              "status,resolve_due_at", "created_by",
                                              "created_at", "status,resolved_at", NULL};

const struct res_entity sd_requests = {
    .since = 2, /* schema version 2 */
    .name = "service_requests", .zh = "服务请求", .en = "Service requests",
    .module = "servicedesk", .fields = request_fields, .title = "title",
    .default_sort = "-id", .actions = request_actions, .flow = &request_flow,
    .indexes = request_indexes, .no_delete = 1,
    .dept_field = "department_id", .assign_field = "team_id", .assigned_to = sd_assigned_teams,
    .before_write = sd_request_before_write, .after_write = sd_request_after_write,
};

static const struct res_enum wo_statuses[] = {
    {"open", "待接单", "Open"},
    {"accepted", "处理中", "Accepted"},
    {"on_hold", "挂起", "On hold"},
    {"done", "已完成", "Done"},
    {"cancelled", "已取消", "Cancelled"},
    {0},
};

/* open → accepted ⇄ on_hold; accepted → done; open, accepted or on hold →
 * cancelled with its request (or when it is assigned again). Each step
 * moves its request along (events.c says how). */
static const struct res_flow wo_flow = {.state = "status", .event = sd_work_order_event};

static const struct res_field complete_body[] = {
    {.name = "result", .type = RES_TEXT, .zh = "处理结果", .en = "Result", .required = 1,
     .max_len = 2000, .widget = "textarea"},
    {.name = "notes", .type = RES_TEXT, .zh = "处理记录", .en = "Notes", .max_len = 2000,
     .widget = "textarea"},
    {.name = "parts", .type = RES_TEXT, .zh = "更换配件", .en = "Parts", .max_len = 1000},
    {.name = "cost_fen", .type = RES_MONEY, .zh = "费用", .en = "Cost", .has_min = 1, .min = 0,
     .has_max = 1, .max = 100000000000LL},
    {0},
};

static const struct res_action wo_actions[] = {
    {.name = "accept", .zh = "接单", .en = "Accept", .body = wf_note, .from = WF_STATES("open"),
     .to = "accepted", .now = WF_FIELDS("accepted_at"), .event = "accepted",
     .lock = sd_work_order_lock, .check = sd_accept_check, .then = sd_accept_then},
    {.name = "hold", .zh = "挂起待补充", .en = "Hold", .body = wf_reason,
     .from = WF_STATES("accepted"), .to = "on_hold", .event = "held", .lock = sd_work_order_lock,
     .check = sd_hold_check, .then = sd_hold_then},
    {.name = "resume", .zh = "恢复处理", .en = "Resume", .body = wf_note,
     .from = WF_STATES("on_hold"), .to = "accepted", .event = "resumed",
     .lock = sd_work_order_lock, .check = sd_resume_check},
    {.name = "complete", .zh = "完工", .en = "Complete", .body = complete_body,
     .from = WF_STATES("accepted"), .to = "done", .now = WF_FIELDS("completed_at"),
     .text_into = "result", .event = "completed", .lock = sd_work_order_lock,
     .check = sd_complete_check, .then = sd_complete_then},
    {0},
};

static const struct res_field wo_fields[] = {
    {.name = "request_id", .type = RES_REF, .ref = "service_requests", .zh = "服务请求",
     .en = "Request", .required = 1, .readonly = 1, .list = 1},
    {.name = "team_id", .type = RES_REF, .ref = "service_teams", .zh = "班组", .en = "Team",
     .required = 1, .readonly = 1, .list = 1},
    {.name = "assignee_id", .type = RES_REF, .ref = "users", .zh = "处理人", .en = "Assignee",
     .readonly = 1, .list = 1},
    {.name = "status", .type = RES_ENUM, .values = wo_statuses, .zh = "状态", .en = "Status",
     .readonly = 1, .dflt = "open", .required = 1, .list = 1, .filter = 1},
    {.name = "accepted_at", .type = RES_DATETIME, .zh = "接单时间", .en = "Accepted",
     .readonly = 1, .sort = 1},
    {.name = "completed_at", .type = RES_DATETIME, .zh = "完工时间", .en = "Completed",
     .readonly = 1, .sort = 1},
    {.name = "notes", .type = RES_TEXT, .zh = "处理记录", .en = "Notes", .readonly = 1,
     .max_len = 2000},
    {.name = "parts", .type = RES_TEXT, .zh = "更换配件", .en = "Parts", .readonly = 1,
     .max_len = 1000},
    {.name = "cost_fen", .type = RES_MONEY, .zh = "费用", .en = "Cost", .readonly = 1,
     .has_min = 1, .min = 0, .list = 1},
    {.name = "result", .type = RES_TEXT, .zh = "处理结果", .en = "Result", .readonly = 1,
     .max_len = 2000},
    {0},
};

static const char *const wo_indexes[] = {"team_id,status", "request_id,status", NULL};

const struct res_entity sd_work_orders = {
    .since = 2, /* schema version 2 */
    .name = "work_orders", .zh = "工单", .en = "Work orders", .module = "servicedesk",
    .fields = wo_fields, .title = "request_id", .default_sort = "-id", .actions = wo_actions,
    .flow = &wo_flow,
    .indexes = wo_indexes, .api_readonly = 1, .assign_field = "team_id",
    .assigned_to = sd_assigned_teams,
};

static const struct res_enum event_kinds[] = {
    {"submitted", "提交", "Submitted"},
    {"assigned", "派单", "Assigned"},
    {"accepted", "接单", "Accepted"},
    {"held", "挂起待补充", "Waiting for requester"},
    {"resumed", "恢复处理", "Resumed"},
    {"commented", "留言", "Comment"},
    {"completed", "完工", "Completed"},
    {"confirmed", "确认办结", "Confirmed"},
    {"reopened", "重新打开", "Reopened"},
    {"rated", "评价", "Rated"},
    {"cancelled", "撤销", "Cancelled"},
    {"closed", "自动关闭", "Closed automatically"},
    {"respond_breached", "响应超时", "Response late"},
    {"resolve_breached", "办结超时", "Resolution late"},
    {"escalated", "升级督办", "Escalated"},
    {"rescheduled", "时限调整", "Due times recounted"},
    {0},
};

static const struct res_field event_fields[] = {
    {.name = "request_id", .type = RES_REF, .ref = "service_requests", .zh = "服务请求",
     .en = "Request", .required = 1, .list = 1},
    {.name = "work_order_id", .type = RES_REF, .ref = "work_orders", .zh = "工单",
     .en = "Work order"},
    {.name = "kind", .type = RES_ENUM, .values = event_kinds, .zh = "事件", .en = "Event",
     .required = 1, .list = 1, .filter = 1},
    {.name = "actor_id", .type = RES_REF, .ref = "users", .zh = "操作人", .en = "By",
     .list = 1},
    {.name = "from_status", .type = RES_ENUM, .values = statuses, .zh = "原状态",
     .en = "From"},
    {.name = "to_status", .type = RES_ENUM, .values = statuses, .zh = "新状态", .en = "To",
     .list = 1},
    {.name = "note", .type = RES_TEXT, .zh = "说明", .en = "Note", .max_len = 2000, .list = 1},
    {0},
};

const struct res_entity sd_events = {
    .since = 2, /* schema version 2 */
    .name = "service_events", .zh = "服务进程", .en = "Request timeline",
    .module = "servicedesk", .fields = event_fields, .title = "kind", .api_readonly = 1,
};
