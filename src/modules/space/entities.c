/* SPDX-License-Identifier: MIT
 * space/entities.c - buildings, floors, rooms, room assignments (history,
 * never overwritten), adjustment requests with their proposed changes and
 * timeline, the module's settings, the repair rule table and the repair
 * classification of service requests that name a room.
 */
#include "space.h"
#include "../../engine/workflow.h"
#include "../notify/notify.h"

#include <stddef.h>

static const struct res_enum building_kinds[] = {
    {"compound", "机关大院", "Government compound"},
    {"office", "办公楼", "Office building"},
    {"service", "服务用房", "Service building"},
    {"other", "其他", "Other"},
    {0},
};

static const struct res_field building_fields[] = {
    {.name = "name", .type = RES_TEXT, .zh = "名称", .en = "Name", .required = 1, .unique = 1,
     .max_len = 60, .list = 1, .search = 1, .sort = 1},
    {.name = "code", .type = RES_TEXT, .zh = "编码", .en = "Code", .unique = 1, .max_len = 32,
     .pattern = "^[A-Za-z0-9_.-]+$", .list = 1, .sort = 1},
    {.name = "kind", .type = RES_ENUM, .values = building_kinds, .zh = "类别", .en = "Kind",
     .required = 1, .dflt = "office", .list = 1, .filter = 1, .noindex = 1},
    {.name = "address", .type = RES_TEXT, .zh = "地址", .en = "Address", .max_len = 200},
    {.name = "built_year", .type = RES_INT, .zh = "建成年份", .en = "Year built", .has_min = 1,
     .min = 1900, .has_max = 1, .max = 2100},
    {.name = "floor_area_m2", .type = RES_DECIMAL, .scale = 2, .zh = "建筑面积(㎡)",
     .en = "Construction area (m²)", .has_min = 1, .min = 1, .has_max = 1,
     .max = 100000000},
    {.name = "sort_order", .type = RES_INT, .zh = "排序", .en = "Order", .dflt = "0",
     .required = 1, .sort = 1},
    {.name = "note", .type = RES_TEXT, .zh = "备注", .en = "Note", .max_len = 500,
     .widget = "textarea"},
    {0},
};

const struct res_entity sp_buildings = {
    .since = 2, /* schema version 2 */
    .name = "buildings", .zh = "楼宇", .en = "Buildings", .module = "space",
    .fields = building_fields, .title = "name", .default_sort = "sort_order",
};

static const struct res_field floor_fields[] = {
    {.name = "building_id", .type = RES_REF, .ref = "buildings", .zh = "楼宇",
     .en = "Building", .required = 1, .list = 1},
    {.name = "level", .type = RES_INT, .zh = "层号", .en = "Level", .required = 1,
     .has_min = 1, .min = -10, .has_max = 1, .max = 200, .list = 1, .sort = 1},
    {.name = "name", .type = RES_TEXT, .zh = "名称", .en = "Name", .required = 1, .max_len = 20,
     .list = 1, .search = 1},
    {.name = "note", .type = RES_TEXT, .zh = "备注", .en = "Note", .max_len = 200},
    {0},
};

static const char *const floor_uniques[] = {"building_id,level", NULL};

const struct res_entity sp_floors = {
    .since = 2, /* schema version 2 */
    .name = "floors", .zh = "楼层", .en = "Floors", .module = "space", .fields = floor_fields,
    .title = "name", .default_sort = "level", .uniques = floor_uniques,
};

static const struct res_enum use_types[] = {
    {"office", "办公室", "Office"},
    {"meeting", "会议室", "Meeting room"},
    {"service", "服务用房", "Service room"},
    {"equipment", "设备用房", "Equipment room"},
    {"archive", "档案室", "Archive"},
    {"canteen", "食堂", "Canteen"},
    {"toilet", "卫生间", "Toilet"},
    {"other", "其他", "Other"},
    {"rest", "休息室", "Rest room"}, /* a leader's, within their office area */
    {0},
};

static const struct res_enum room_states[] = {
    {"in_use", "在用", "In use"},
    {"vacant", "空置", "Vacant"},
    {"under_repair", "维修中", "Under repair"},
    {"lent", "出借", "Lent"},
    {0},
};

static const struct res_field room_fields[] = {
    {.name = "building_id", .type = RES_REF, .ref = "buildings", .zh = "楼宇",
     .en = "Building", .required = 1, .list = 1},
    {.name = "floor_id", .type = RES_REF, .ref = "floors", .zh = "楼层", .en = "Floor",
     .required = 1, .list = 1},
    {.name = "number", .type = RES_TEXT, .zh = "房间号", .en = "Room number", .required = 1,
     .max_len = 20, .pattern = "^[A-Za-z0-9_-]+$", .list = 1, .search = 1, .sort = 1},
    {.name = "name", .type = RES_TEXT, .zh = "名称", .en = "Name", .max_len = 60,
     .search = 1},
    {.name = "area_m2", .type = RES_DECIMAL, .scale = 2, .zh = "使用面积(㎡)",
     .en = "Usable area (m²)", .required = 1, .has_min = 1, .min = 1, .has_max = 1,
     .max = SP_AREA_MAX, .list = 1, .sort = 1, .noindex = 1},
    {.name = "use_type", .type = RES_ENUM, .values = use_types, .zh = "用途", .en = "Use",
     .required = 1, .dflt = "office", .list = 1, .filter = 1},
    {.name = "state", .type = RES_ENUM, .values = room_states, .zh = "状态", .en = "State",
     .required = 1, .dflt = "vacant", .list = 1, .filter = 1},
    {.name = "department_id", .type = RES_REF, .ref = "departments", .zh = "使用单位",
     .en = "Department", .widget = "dept-tree", .list = 1},
    {.name = "seats", .type = RES_INT, .zh = "工位数", .en = "Desks", .has_min = 1, .min = 0,
     .has_max = 1, .max = 1000},
    {.name = "note", .type = RES_TEXT, .zh = "备注", .en = "Note", .max_len = 500,
     .widget = "textarea"},
    {0},
};

static const char *const room_uniques[] = {"building_id,number", NULL};

const struct res_entity sp_rooms = {
    .since = 2, /* schema version 2 */
    .name = "rooms", .zh = "房间", .en = "Rooms", .module = "space", .fields = room_fields,
    .title = "number", .default_sort = "number", .uniques = room_uniques,
    .dept_field = "department_id", .before_write = sp_room_before_write,
};

static const struct res_enum recovery_reasons[] = {
    {"left", "离职", "Left"},
    {"retired", "退休", "Retired"},
    {"moved", "调动", "Moved department"},
    {"concurrent", "兼职结束", "Concurrent post ended"},
    {0},
};

static const struct res_enum reminder_stages[] = {
    {"before", "已提前提醒", "Reminded before the deadline"},
    {"due", "已到期提醒", "Reminded at the deadline"},
    {0},
};

static const struct res_field end_body[] = {
    {.name = "end_date", .type = RES_DATE, .zh = "结束日期", .en = "Until"},
    {.name = "note", .type = RES_TEXT, .zh = "备注", .en = "Note", .max_len = 500,
     .widget = "textarea"},
    {0},
};

static const struct res_field override_body[] = {
    {.name = "reason", .type = RES_TEXT, .zh = "超标审批理由", .en = "Why it may stay over",
     .required = 1, .max_len = 500, .widget = "textarea"},
    {0},
};

/* an assignment has no state: its end date says whether it is over */
static const struct res_action assignment_actions[] = {
    {.name = "end", .zh = "结束使用", .en = "End", .body = end_body, .text_into = "note",
     .check = sp_end_check},
    {.name = "override", .zh = "超标审批", .en = "Approve over standard", .body = override_body,
     .text_into = "override_reason", .check = sp_override_check},
    {0},
};

static const struct res_field assignment_fields[] = {
    {.name = "room_id", .type = RES_REF, .ref = "rooms", .zh = "房间", .en = "Room",
     .required = 1, .list = 1},
    {.name = "department_id", .type = RES_REF, .ref = "departments", .zh = "使用单位",
     .en = "Department", .widget = "dept-tree", .list = 1},
    {.name = "person_id", .type = RES_REF, .ref = "people", .zh = "使用人", .en = "Person",
     .list = 1},
    {.name = "start_date", .type = RES_DATE, .zh = "起始日期", .en = "From", .required = 1,
     .list = 1, .sort = 1, .noindex = 1},
    {.name = "end_date", .type = RES_DATE, .zh = "结束日期", .en = "Until", .list = 1,
     .sort = 1, .noindex = 1},
    {.name = "override_reason", .type = RES_TEXT, .zh = "超标审批理由",
     .en = "Over-standard approval reason", .max_len = 500, .widget = "textarea"},
    {.name = "override_by", .type = RES_REF, .ref = "users", .zh = "超标审批人",
     .en = "Over-standard approved by", .readonly = 1},
    {.name = "recovery_due", .type = RES_DATE, .zh = "应收回日期", .en = "Recover by",
     .readonly = 1, .sort = 1},
    {.name = "recovery_reason", .type = RES_ENUM, .values = recovery_reasons,
     .zh = "收回原因", .en = "Recovery reason", .readonly = 1, .filter = 1, .noindex = 1},
    {.name = "request_id", .type = RES_REF, .ref = "space_requests", .zh = "调配申请",
     .en = "Adjustment request", .readonly = 1},
    {.name = "note", .type = RES_TEXT, .zh = "备注", .en = "Note", .max_len = 500},
    /* a second office for an approved concurrent post (兼职), vacated within
     * concurrent_months of the post's end; recovery reminders sent */
    {.name = "concurrent_post", .type = RES_TEXT, .zh = "兼任职务(第二办公室)",
     .en = "Concurrent post (second office)", .max_len = 100, .since = 4},
    {.name = "concurrent_by", .type = RES_REF, .ref = "users", .zh = "兼职用房审批人",
     .en = "Second office approved by", .readonly = 1, .since = 4},
    {.name = "concurrent_ends", .type = RES_DATE, .zh = "兼职结束日期",
     .en = "Concurrent post ends", .since = 4},
    {.name = "recovery_reminded", .type = RES_ENUM, .values = reminder_stages,
     .zh = "收回提醒", .en = "Recovery reminder", .readonly = 1, .noindex = 1, .since = 4},
    {0},
};

static const char *const assignment_indexes[] = {"person_id,end_date", "room_id,end_date",
                                                 NULL};

const struct res_entity sp_assignments = {
    .since = 2, /* schema version 2 */
    .name = "room_assignments", .zh = "房间分配", .en = "Room assignments", .module = "space",
    .fields = assignment_fields, .title = "room_id", .default_sort = "-id",
    .actions = assignment_actions, .indexes = assignment_indexes, .no_delete = 1,
    .dept_field = "department_id", .before_write = sp_assignment_before_write,
    .after_write = sp_assignment_after_write,
};

static const struct res_enum request_statuses[] = {
    {"submitted", "待审核", "Submitted"},
    {"reviewed", "待审批", "Reviewed"},
    {"approved", "已批准", "Approved"},
    {"rejected", "已驳回", "Rejected"},
    {"cancelled", "已撤回", "Cancelled"},
    {0},
};

static const struct res_enum needs[] = {
    {"new_office", "新增办公用房", "New offices"},
    {"more_space", "扩大面积", "More space"},
    {"swap", "调换房间", "Swap rooms"},
    {"meeting", "会议或服务用房", "Meeting or service rooms"},
    {"archive", "档案用房", "Archive space"},
    {"return", "交回房间", "Return rooms"},
    {"other", "其他", "Other"},
    {0},
};

/* submitted → reviewed → approved (the changes applied); submitted or
 * reviewed → rejected | cancelled. Nobody reviews, approves or rejects a
 * request of their own. */
static const struct res_flow request_flow = {
    .state = "status", .event = sp_event, .notify = notify_step};

static const struct res_action request_actions[] = {
    {.name = "review", .zh = "科室审核", .en = "Review", .body = wf_note,
     .from = WF_STATES("submitted"), .to = "reviewed", .not_own = "requester_id",
     .by = "reviewed_by", .now = WF_FIELDS("reviewed_at"), .event = "reviewed",
     .tell = WF_TELL({"requester_id", NULL, "您的用房调配申请已通过科室审核"},
                     {NULL, "leader", "用房调配申请待审批"})},
    {.name = "approve", .zh = "领导审批", .en = "Approve", .body = wf_note,
     .from = WF_STATES("reviewed"), .to = "approved", .not_own = "requester_id",
     .by = "decided_by", .now = WF_FIELDS("decided_at"), .text_into = "decision_note",
     .event = "approved", .check = sp_apply_changes, .then = sp_applied,
     .tell = WF_TELL({"requester_id", NULL, "您的用房调配申请已批准并实施"})},
    {.name = "reject", .zh = "驳回", .en = "Reject", .body = wf_reason,
     .from = WF_STATES("submitted", "reviewed"), .to = "rejected", .not_own = "requester_id",
     .by = "decided_by", .now = WF_FIELDS("decided_at"), .text_into = "decision_note",
     .event = "rejected", .tell = WF_TELL({"requester_id", NULL, "您的用房调配申请未获批准"})},
    {.name = "cancel", .zh = "撤回", .en = "Cancel", .body = wf_reason_optional,
     .from = WF_STATES("submitted", "reviewed"), .to = "cancelled",
     .text_into = "decision_note", .event = "cancelled"},
    {0},
};

static const struct res_field request_fields[] = {
    {.name = "department_id", .type = RES_REF, .ref = "departments", .zh = "申请单位",
     .en = "Department", .required = 1, .widget = "dept-tree", .list = 1},
    {.name = "need", .type = RES_ENUM, .values = needs, .zh = "需求类别", .en = "Need",
     .required = 1, .list = 1, .filter = 1, .noindex = 1},
    {.name = "headcount", .type = RES_INT, .zh = "涉及人数", .en = "Headcount",
     .required = 1, .has_min = 1, .min = 0, .has_max = 1, .max = 10000, .list = 1},
    {.name = "reason", .type = RES_TEXT, .zh = "申请理由", .en = "Reason", .required = 1,
     .max_len = 2000, .widget = "textarea", .search = 1},
    {.name = "preferred_building_id", .type = RES_REF, .ref = "buildings", .zh = "意向楼宇",
     .en = "Preferred building"},
    {.name = "status", .type = RES_ENUM, .values = request_statuses, .zh = "状态",
     .en = "Status", .readonly = 1, .required = 1, .dflt = "submitted", .list = 1,
     .filter = 1},
    {.name = "requester_id", .type = RES_REF, .ref = "users", .zh = "申请人",
     .en = "Requester", .readonly = 1, .list = 1},
    {.name = "reviewed_by", .type = RES_REF, .ref = "users", .zh = "审核人",
     .en = "Reviewed by", .readonly = 1},
    {.name = "reviewed_at", .type = RES_DATETIME, .zh = "审核时间", .en = "Reviewed",
     .readonly = 1},
    {.name = "decided_by", .type = RES_REF, .ref = "users", .zh = "审批人",
     .en = "Decided by", .readonly = 1},
    {.name = "decided_at", .type = RES_DATETIME, .zh = "审批时间", .en = "Decided",
     .readonly = 1, .sort = 1, .noindex = 1},
    {.name = "decision_note", .type = RES_TEXT, .zh = "审批意见", .en = "Decision note",
     .readonly = 1, .max_len = 500},
    {0},
};

const struct res_entity sp_requests = {
    .since = 2, /* schema version 2 */
    .name = "space_requests", .zh = "用房调配申请", .en = "Space requests", .module = "space",
    .fields = request_fields, .title = "reason", .default_sort = "-id",
    .actions = request_actions, .flow = &request_flow, .no_delete = 1,
    .dept_field = "department_id",
    .before_write = sp_request_before_write, .after_write = sp_request_after_write,
};

static const struct res_enum change_kinds[] = {
    {"end", "结束分配", "End an assignment"},
    {"start", "新增分配", "Start an assignment"},
    {0},
};

static const struct res_field change_fields[] = {
    {.name = "request_id", .type = RES_REF, .ref = "space_requests", .zh = "调配申请",
     .en = "Request", .required = 1, .list = 1},
    {.name = "kind", .type = RES_ENUM, .values = change_kinds, .zh = "变更", .en = "Change",
     .required = 1, .list = 1},
    {.name = "assignment_id", .type = RES_REF, .ref = "room_assignments", .zh = "结束的分配",
     .en = "Assignment to end", .list = 1},
    {.name = "room_id", .type = RES_REF, .ref = "rooms", .zh = "房间", .en = "Room",
     .list = 1},
    {.name = "department_id", .type = RES_REF, .ref = "departments", .zh = "使用单位",
     .en = "Department", .widget = "dept-tree"},
    {.name = "person_id", .type = RES_REF, .ref = "people", .zh = "使用人", .en = "Person",
     .list = 1},
    {.name = "start_date", .type = RES_DATE, .zh = "起始日期", .en = "From", .list = 1},
    {.name = "end_date", .type = RES_DATE, .zh = "结束日期", .en = "Until", .list = 1},
    {.name = "override_reason", .type = RES_TEXT, .zh = "超标审批理由",
     .en = "Over-standard approval reason", .max_len = 500},
    {.name = "request_department_id", .type = RES_REF, .ref = "departments",
     .zh = "申请单位", .en = "Requesting department", .readonly = 1},
    {.name = "applied_assignment_id", .type = RES_REF, .ref = "room_assignments",
     .zh = "生成的分配", .en = "Assignment made", .readonly = 1},
    {0},
};

const struct res_entity sp_changes = {
    .since = 2, /* schema version 2 */
    .name = "space_request_changes", .zh = "调配变更", .en = "Space request changes",
    .module = "space", .fields = change_fields, .title = "kind", .default_sort = "id",
    .dept_field = "request_department_id", .before_write = sp_change_before_write,
};

static const struct res_enum event_kinds[] = {
    {"submitted", "提交", "Submitted"},
    {"reviewed", "科室审核", "Reviewed"},
    {"approved", "领导审批", "Approved"},
    {"applied", "调配实施", "Applied"},
    {"rejected", "驳回", "Rejected"},
    {"cancelled", "撤回", "Cancelled"},
    {0},
};

static const struct res_field event_fields[] = {
    {.name = "request_id", .type = RES_REF, .ref = "space_requests", .zh = "调配申请",
     .en = "Request", .required = 1, .list = 1},
    {.name = "kind", .type = RES_ENUM, .values = event_kinds, .zh = "事件", .en = "Event",
     .required = 1, .list = 1},
    {.name = "actor_id", .type = RES_REF, .ref = "users", .zh = "操作人", .en = "By",
     .list = 1},
    {.name = "note", .type = RES_TEXT, .zh = "说明", .en = "Note", .max_len = 2000, .list = 1},
    {.name = "request_department_id", .type = RES_REF, .ref = "departments",
     .zh = "申请单位", .en = "Requesting department"},
    {0},
};

const struct res_entity sp_events = {
    .since = 2, /* schema version 2 */
    .name = "space_request_events", .zh = "调配进程", .en = "Space request timeline",
    .module = "space", .fields = event_fields, .title = "kind", .api_readonly = 1,
    .dept_field = "request_department_id",
};

static const struct res_enum setting_names[] = {
    {"recovery_months", "收回期限(月)", "Months to recover an office"},
    {"concurrent_months", "兼职用房腾退期限(月)", "Months to vacate a second office"},
    {"remind_days", "收回提前提醒(天)", "Days of notice before a recovery deadline"},
    {0},
};

/* Several rows of one name may exist (a rule being replaced): the strictest,
 * the smallest value, applies. */
static const struct res_field setting_fields[] = {
    {.name = "name", .type = RES_ENUM, .values = setting_names, .zh = "设置项", .en = "Setting",
     .required = 1, .list = 1, .filter = 1},
    {.name = "value", .type = RES_INT, .zh = "值", .en = "Value", .required = 1, .list = 1},
    {.name = "note", .type = RES_TEXT, .zh = "说明", .en = "Note", .max_len = 200},
    {0},
};

const struct res_entity sp_settings = {
    .since = 2, /* schema version 2 */
    .name = "space_settings", .zh = "用房设置", .en = "Space settings", .module = "space",
    .fields = setting_fields, .title = "name", .before_write = sp_setting_before_write,
};

static const struct res_enum repair_categories[] = {
    {"routine", "日常维修", "Routine repair"},
    {"medium", "中修", "Medium repair"},
    {"major", "大修", "Major repair"},
    {0},
};

/* A category may have several rows: the smallest amount applies. */
static const struct res_field rule_fields[] = {
    {.name = "category", .type = RES_ENUM, .values = repair_categories, .zh = "维修类别",
     .en = "Category", .required = 1, .list = 1, .filter = 1},
    {.name = "procurement_above_fen", .type = RES_MONEY, .zh = "超过此金额须有采购项目",
     .en = "Procurement project required above", .has_min = 1, .min = 0, .list = 1},
    {.name = "source", .type = RES_TEXT, .zh = "依据", .en = "Source", .max_len = 200},
    {0},
};

const struct res_entity sp_repair_rules = {
    .since = 2, /* schema version 2 */
    .name = "repair_rules", .zh = "维修规则", .en = "Repair rules", .module = "space",
    .fields = rule_fields, .title = "category",
};

static const struct res_field repair_fields[] = {
    {.name = "request_id", .type = RES_REF, .ref = "service_requests", .zh = "服务请求",
     .en = "Service request", .required = 1, .unique = 1, .list = 1},
    {.name = "room_id", .type = RES_REF, .ref = "rooms", .zh = "房间", .en = "Room",
     .readonly = 1, .list = 1},
    {.name = "category", .type = RES_ENUM, .values = repair_categories, .zh = "维修类别",
     .en = "Category", .required = 1, .dflt = "routine", .list = 1, .filter = 1},
    {.name = "procurement_ref", .type = RES_TEXT, .zh = "采购项目", .en = "Procurement project",
     .max_len = 100, .list = 1, .search = 1},
    {.name = "note", .type = RES_TEXT, .zh = "备注", .en = "Note", .max_len = 500},
    {0},
};

const struct res_entity sp_repairs = {
    .since = 2, /* schema version 2 */
    .name = "room_repairs", .zh = "房间维修", .en = "Room repairs", .module = "space",
    .fields = repair_fields, .title = "request_id", .default_sort = "-id",
    .before_write = sp_repair_before_write,
};
