/* SPDX-License-Identifier: MIT
 * booking/entities.c - the descriptors of the booking module (data, no
 * logic): resources with their opening hours, slot, capacity, window, quota
 * and who may book; bookings and the steps of their state machine; the
 * recurring series; the tenant's settings. The rules are in rules.c (pure),
 * hooks.c (a booking's create) and workflow.c (the steps).
 */
#include "booking.h"
#include "../../engine/workflow.h"
#include "../notify/notify.h"

#include <stddef.h>

#define SINCE 5 /* the schema version the module arrived with */

/* ---- resources ---- */

static const struct res_enum kinds[] = {
    {"room", "功能室", "Function room"},
    {"meeting_room", "会议室", "Meeting room"},
    {"hall", "报告厅", "Hall"},
    {"court", "球场", "Court"},
    {"gym", "健身房", "Gym"},
    {"service", "服务点", "Service point"},
    {0},
};

static const struct res_enum closed_modes[] = {
    {"open_always", "按开放时间", "By its hours only"},
    {"holidays", "法定节假日关闭", "Closed on public holidays"},
    {"workdays_only", "仅工作日开放", "Working days only"},
    {0},
};

static const struct res_field resource_fields[] = {
    {.name = "name", .type = RES_TEXT, .zh = "名称", .en = "Name", .required = 1, .unique = 1,
     .max_len = 100, .list = 1, .search = 1, .sort = 1},
    {.name = "kind", .type = RES_ENUM, .values = kinds, .zh = "类型", .en = "Kind", .required = 1,
     .dflt = "room", .list = 1, .filter = 1, .noindex = 1},
    {.name = "room_id", .type = RES_REF, .ref = "rooms", .zh = "所在房间", .en = "Room",
     .filter = 1},
    {.name = "location", .type = RES_TEXT, .zh = "位置", .en = "Location", .max_len = 100,
     .list = 1, .search = 1},
    {.name = "capacity", .type = RES_INT, .zh = "容量(人)", .en = "Capacity", .required = 1,
     .dflt = "1", .has_min = 1, .min = 1, .has_max = 1, .max = 1000, .list = 1},
    {.name = "slot_min", .type = RES_INT, .zh = "时段长度(分钟)", .en = "Slot (minutes)",
     .required = 1, .dflt = "60", .has_min = 1, .min = 5, .has_max = 1, .max = 1440, .list = 1},
    {.name = "hours", .type = RES_TEXT, .zh = "开放时间", .en = "Opening hours", .required = 1,
     .max_len = 200, .dflt = "1-5 08:30-18:00"},
    {.name = "closed_days", .type = RES_ENUM, .values = closed_modes, .zh = "休息日",
     .en = "Closed days", .required = 1, .dflt = "workdays_only"},
    {.name = "window_days", .type = RES_INT, .zh = "可提前预约天数", .en = "Booking window (days)",
     .required = 1, .dflt = "14", .has_min = 1, .min = 0, .has_max = 1, .max = 366},
    {.name = "approval", .type = RES_BOOL, .zh = "需审批", .en = "Approval required",
     .required = 1, .dflt = "false", .list = 1},
    {.name = "quota_per_week", .type = RES_INT, .zh = "每人每周限约次数",
     .en = "Quota a person a week", .required = 1, .dflt = "0", .has_min = 1, .min = 0,
     .has_max = 1, .max = 100},
    {.name = "cancel_hours", .type = RES_INT, .zh = "提前取消时限(小时)",
     .en = "Cancel up to (hours before)", .required = 1, .dflt = "2", .has_min = 1, .min = 0,
     .has_max = 1, .max = 168},
    {.name = "roles", .type = RES_TEXT, .zh = "可预约角色", .en = "Roles who may book",
     .max_len = 500, .pattern = "^[a-z_]+(,[a-z_]+)*$"},
    {.name = "department_id", .type = RES_REF, .ref = "departments", .zh = "限本单位预约",
     .en = "Only for department", .widget = "dept-tree"},
    {.name = "active", .type = RES_BOOL, .zh = "开放预约", .en = "Open for booking",
     .required = 1, .dflt = "true", .list = 1, .filter = 1},
    {.name = "note", .type = RES_TEXT, .zh = "说明", .en = "Note", .max_len = 500,
     .widget = "textarea"},
    {0},
};

const struct res_entity bk_resources = {
    .since = SINCE,
    .name = "resources",
    .zh = "预约资源",
    .en = "Bookable resources",
    .module = "booking",
    .fields = resource_fields,
    .title = "name",
    .default_sort = "name",
    .before_write = bk_resource_before_write,
};

/* ---- bookings ---- */

static const struct res_enum statuses[] = {
    {"pending", "待审批", "Pending approval"},
    {"confirmed", "已预约", "Confirmed"},
    {"rejected", "未批准", "Rejected"},
    {"cancelled", "已取消", "Cancelled"},
    {"checked_in", "已签到", "Checked in"},
    {"no_show", "爽约", "No-show"},
    {0},
};

static const struct res_flow booking_flow = {.state = "status", .notify = notify_step};

static const struct res_field check_in_body[] = {
    {.name = "code", .type = RES_TEXT, .zh = "签到码", .en = "Check-in code", .required = 1,
     .max_len = 32},
    {0},
};

/* pending → confirmed | rejected (by someone other than the booker);
 * pending, confirmed → cancelled (the booker up to the cut-off); confirmed
 * → checked_in (with the code) | no_show (after the grace period) */
static const struct res_action booking_actions[] = {
    {.name = "approve", .zh = "批准", .en = "Approve", .body = wf_note,
     .from = WF_STATES("pending"), .to = "confirmed", .not_own = "booker_id",
     .by = "approver_id", .now = WF_FIELDS("approved_at"), .text_into = "approve_note",
     .tell = WF_TELL({"booker_id", NULL, "预约已批准"})},
    {.name = "reject", .zh = "不予批准", .en = "Reject", .body = wf_reason,
     .from = WF_STATES("pending"), .to = "rejected", .not_own = "booker_id",
     .by = "approver_id", .now = WF_FIELDS("approved_at"), .text_into = "reject_reason",
     .tell = WF_TELL({"booker_id", NULL, "预约未获批准"})},
    {.name = "cancel", .zh = "取消预约", .en = "Cancel", .body = wf_reason_optional,
     .from = WF_STATES("pending", "confirmed"), .to = "cancelled",
     .now = WF_FIELDS("cancelled_at"), .text_into = "cancel_reason", .check = bk_cancel_check,
     .tell = WF_TELL({"booker_id", NULL, "预约已取消"})},
    {.name = "check_in", .zh = "签到", .en = "Check in", .body = check_in_body,
     .from = WF_STATES("confirmed"), .to = "checked_in", .by = "checked_in_by",
     .now = WF_FIELDS("checked_in_at"), .check = bk_check_in_check},
    {.name = "no_show", .zh = "记为爽约", .en = "Record a no-show", .body = wf_nothing,
     .from = WF_STATES("confirmed"), .to = "no_show", .now = WF_FIELDS("no_show_at"),
     .check = bk_no_show_check, .tell = WF_TELL({"booker_id", NULL, "预约未到场，已记爽约"})},
    {0},
};

static const struct res_field booking_fields[] = {
    {.name = "resource_id", .type = RES_REF, .ref = "resources", .zh = "预约资源",
     .en = "Resource", .required = 1, .list = 1, .filter = 1, .noindex = 1},
    {.name = "start_at", .type = RES_DATETIME, .zh = "开始时间", .en = "Start", .required = 1,
     .list = 1, .sort = 1, .filter = 1},
    {.name = "end_at", .type = RES_DATETIME, .zh = "结束时间", .en = "End", .required = 1,
     .list = 1, .filter = 1, .noindex = 1},
    {.name = "party_size", .type = RES_INT, .zh = "人数", .en = "Party size", .required = 1,
     .dflt = "1", .has_min = 1, .min = 1, .has_max = 1, .max = 1000, .list = 1},
    {.name = "purpose", .type = RES_TEXT, .zh = "用途", .en = "Purpose", .max_len = 200,
     .search = 1},
    {.name = "booker_id", .type = RES_REF, .ref = "users", .zh = "预约人", .en = "Booked by",
     .readonly = 1, .list = 1, .filter = 1, .noindex = 1},
    {.name = "department_id", .type = RES_REF, .ref = "departments", .zh = "所在单位",
     .en = "Department", .readonly = 1, .filter = 1, .noindex = 1},
    {.name = "series_id", .type = RES_REF, .ref = "booking_series", .zh = "周期预约",
     .en = "Series", .readonly = 1, .filter = 1},
    {.name = "status", .type = RES_ENUM, .values = statuses, .zh = "状态", .en = "Status",
     .readonly = 1, .required = 1, .dflt = "pending", .list = 1, .filter = 1, .noindex = 1},
    {.name = "check_in_code", .type = RES_TEXT, .zh = "签到码", .en = "Check-in code",
     .readonly = 1, .max_len = 32},
    {.name = "approver_id", .type = RES_REF, .ref = "users", .zh = "审批人", .en = "Approved by",
     .readonly = 1},
    {.name = "approved_at", .type = RES_DATETIME, .zh = "审批时间", .en = "Decided",
     .readonly = 1},
    {.name = "approve_note", .type = RES_TEXT, .zh = "审批意见", .en = "Approval note",
     .readonly = 1, .max_len = 500},
    {.name = "reject_reason", .type = RES_TEXT, .zh = "不予批准理由", .en = "Rejection reason",
     .readonly = 1, .max_len = 500},
    {.name = "cancel_reason", .type = RES_TEXT, .zh = "取消原因", .en = "Cancellation reason",
     .readonly = 1, .max_len = 500},
    {.name = "cancelled_at", .type = RES_DATETIME, .zh = "取消时间", .en = "Cancelled",
     .readonly = 1},
    {.name = "checked_in_at", .type = RES_DATETIME, .zh = "签到时间", .en = "Checked in",
     .readonly = 1},
    {.name = "checked_in_by", .type = RES_REF, .ref = "users", .zh = "签到确认",
     .en = "Checked in by", .readonly = 1},
    {.name = "no_show_at", .type = RES_DATETIME, .zh = "记爽约时间", .en = "No-show recorded",
     .readonly = 1},
    {0},
};

/* the capacity and availability range (resource, start), a booker's week
 * (quota, my bookings), the no-show job and the approval queue (status,
 * start) */
static const char *const booking_indexes[] = {"resource_id,start_at", "booker_id,start_at",
                                              "status,start_at", "created_by", NULL};

const struct res_entity bk_bookings = {
    .since = SINCE,
    .name = "bookings",
    .zh = "预约",
    .en = "Bookings",
    .module = "booking",
    .fields = booking_fields,
    .title = "purpose",
    .default_sort = "-start_at",
    .actions = booking_actions,
    .flow = &booking_flow,
    .indexes = booking_indexes,
    .no_delete = 1,
    .dept_field = "department_id",
    .before_write = bk_booking_before_write,
};

/* ---- recurring series (written by POST /api/v1/bookings/series) ---- */

static const struct res_field series_fields[] = {
    {.name = "resource_id", .type = RES_REF, .ref = "resources", .zh = "预约资源",
     .en = "Resource", .required = 1, .list = 1, .filter = 1},
    {.name = "start_at", .type = RES_DATETIME, .zh = "首次开始", .en = "First start",
     .required = 1, .list = 1},
    {.name = "end_at", .type = RES_DATETIME, .zh = "首次结束", .en = "First end",
     .required = 1},
    {.name = "weeks", .type = RES_INT, .zh = "周数", .en = "Weeks", .required = 1, .list = 1,
     .has_min = 1, .min = 1, .has_max = 1, .max = BK_SERIES_MAX},
    {.name = "skip_conflicts", .type = RES_BOOL, .zh = "跳过冲突日期", .en = "Skip conflicts",
     .required = 1, .dflt = "false"},
    {.name = "party_size", .type = RES_INT, .zh = "人数", .en = "Party size", .required = 1,
     .dflt = "1", .has_min = 1, .min = 1, .has_max = 1, .max = 1000},
    {.name = "purpose", .type = RES_TEXT, .zh = "用途", .en = "Purpose", .max_len = 200,
     .list = 1, .search = 1},
    {.name = "booker_id", .type = RES_REF, .ref = "users", .zh = "预约人", .en = "Booked by",
     .list = 1, .filter = 1},
    {.name = "department_id", .type = RES_REF, .ref = "departments", .zh = "所在单位",
     .en = "Department", .filter = 1, .noindex = 1},
    {.name = "booked", .type = RES_INT, .zh = "已预约次数", .en = "Booked", .list = 1},
    {.name = "skipped", .type = RES_INT, .zh = "跳过次数", .en = "Skipped", .list = 1},
    {.name = "outcome", .type = RES_JSON, .zh = "逐日结果", .en = "Per date"},
    {0},
};

const struct res_entity bk_series = {
    .since = SINCE,
    .name = "booking_series",
    .zh = "周期预约",
    .en = "Recurring bookings",
    .module = "booking",
    .fields = series_fields,
    .title = "purpose",
    .default_sort = "-id",
    .api_readonly = 1,
    .dept_field = "department_id",
};

/* ---- the tenant's settings ---- */

static const struct res_enum setting_names[] = {
    {"no_show_min", "签到宽限(分钟)", "Check-in grace (minutes)"},
    {0},
};

/* Several rows of one name may exist: the newest applies. */
static const struct res_field setting_fields[] = {
    {.name = "name", .type = RES_ENUM, .values = setting_names, .zh = "设置项", .en = "Setting",
     .required = 1, .list = 1, .filter = 1},
    {.name = "value", .type = RES_INT, .zh = "值", .en = "Value", .required = 1, .has_min = 1,
     .min = 0, .has_max = 1, .max = 1440, .list = 1},
    {.name = "note", .type = RES_TEXT, .zh = "说明", .en = "Note", .max_len = 500},
    {0},
};

const struct res_entity bk_settings = {
    .since = SINCE,
    .name = "booking_settings",
    .zh = "预约设置",
    .en = "Booking settings",
    .module = "booking",
    .fields = setting_fields,
    .title = "name",
};
