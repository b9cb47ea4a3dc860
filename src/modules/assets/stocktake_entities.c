/* SPDX-License-Identifier: MIT
 * assets/stocktake_entities.c - the descriptors of stocktakes 盘点 (data, no
 * logic): a session over one department (and its sub-departments), one
 * building and/or one room (what they have in common), its steps, and its lines, written by the
 * server only (the start's snapshot, the scans, the surplus registrations). The rules are in
 * stocktake.c; the result in stocktake_result.c.
 *
 * Session: draft → in_progress (start: every asset in scope not disposed
 * becomes a pending line) → finished (finish: the pending lines become
 * missing, the figures are kept on the record); draft or in_progress →
 * cancelled (cancel). Scans, confirmations and surplus registrations are
 * handlers of their own (.fn): POST /api/v1/stocktakes/{id}/scan, /confirm,
 * /surplus, each its own permission verb.
 *
 * Line: pending → found | moved (found where the register does not say, or
 * with another custodian) | missing (盘亏, at the finish); surplus (盘盈):
 * an item found that the session did not expect — an unknown code (asset_id
 * empty until registered) or a registered one. A found or moved line is
 * confirmed once the register has taken what was found.
 */
#include "assets.h"
#include "../../engine/workflow.h"

#include <stddef.h>

#define SINCE 6 /* with the module */

static const struct res_enum st_statuses[] = {
    {"draft", "草稿", "Draft"},
    {"in_progress", "盘点中", "In progress"},
    {"finished", "已完成", "Finished"},
    {"cancelled", "已取消", "Cancelled"},
    {0},
};

#define COUNT(n, z, e)                                                                             \
    {                                                                                              \
        .name = n, .type = RES_INT, .zh = z, .en = e, .readonly = 1, .dflt = "0", .has_min = 1,    \
        .min = 0                                                                                   \
    }
#define VALUE(n, z, e)                                                                             \
    {                                                                                              \
        .name = n, .type = RES_MONEY, .zh = z, .en = e, .readonly = 1, .dflt = "0"                 \
    }

static const struct res_field stocktake_fields[] = {
    {.name = "name",
     .type = RES_TEXT,
     .zh = "盘点名称",
     .en = "Name",
     .required = 1,
     .max_len = 100,
     .list = 1,
     .search = 1,
     .sort = 1},
    {.name = "department_id",
     .type = RES_REF,
     .ref = "departments",
     .zh = "盘点单位",
     .en = "Department",
     .list = 1,
     .filter = 1,
     .widget = "dept-tree"},
    {.name = "building_id",
     .type = RES_REF,
     .ref = "buildings",
     .zh = "盘点楼宇",
     .en = "Building",
     .filter = 1,
     .noindex = 1},
    {.name = "room_id",
     .type = RES_REF,
     .ref = "rooms",
     .zh = "盘点地点",
     .en = "Room",
     .filter = 1,
     .noindex = 1},
    {.name = "planned_start", .type = RES_DATE, .zh = "计划开始", .en = "Planned start", .list = 1},
    {.name = "planned_end", .type = RES_DATE, .zh = "计划结束", .en = "Planned end"},
    {.name = "status",
     .type = RES_ENUM,
     .values = st_statuses,
     .zh = "状态",
     .en = "Status",
     .readonly = 1,
     .required = 1,
     .dflt = "draft",
     .list = 1,
     .filter = 1},
    {.name = "started_at", .type = RES_DATETIME, .zh = "开始时间", .en = "Started", .readonly = 1},
    {.name = "started_by",
     .type = RES_REF,
     .ref = "users",
     .zh = "发起人",
     .en = "Started by",
     .readonly = 1},
    {.name = "finished_at",
     .type = RES_DATETIME,
     .zh = "完成时间",
     .en = "Finished",
     .readonly = 1,
     .list = 1},
    {.name = "finished_by",
     .type = RES_REF,
     .ref = "users",
     .zh = "完成人",
     .en = "Finished by",
     .readonly = 1},
    {.name = "asof_month",
     .type = RES_TEXT,
     .zh = "净值计算月份",
     .en = "Net values as of",
     .readonly = 1,
     .max_len = 7,
     .pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$"},
    COUNT("expected_count", "账面数量", "Expected"),
    VALUE("expected_value_fen", "账面原值", "Expected value"),
    COUNT("found_count", "账实相符", "Found"),
    COUNT("moved_count", "位置/使用人变动", "Moved"),
    COUNT("missing_count", "盘亏数量", "Missing"),
    VALUE("missing_value_fen", "盘亏原值", "Missing value"),
    VALUE("missing_net_fen", "盘亏净值", "Missing net value"),
    COUNT("surplus_count", "盘盈数量", "Surplus"),
    VALUE("surplus_value_fen", "盘盈原值", "Surplus value"),
    {.name = "note",
     .type = RES_TEXT,
     .zh = "说明",
     .en = "Note",
     .max_len = 500,
     .widget = "textarea"},
    {.name = "cancel_reason",
     .type = RES_TEXT,
     .zh = "取消原因",
     .en = "Cancel reason",
     .readonly = 1,
     .max_len = 500},
    {0},
};

/* scan {code, room_id?, custodian_id?} */
static const struct res_field scan_body[] = {
    {.name = "code",
     .type = RES_TEXT,
     .zh = "资产编号或标签内容",
     .en = "Asset code or label text",
     .required = 1,
     .max_len = AS_SCAN_TEXT_MAX},
    {.name = "room_id", .type = RES_REF, .ref = "rooms", .zh = "所在房间", .en = "Room"},
    {.name = "custodian_id", .type = RES_REF, .ref = "people", .zh = "使用人", .en = "Custodian"},
    {0},
};

static const struct res_flow stocktake_flow = {.state = "status"};

static const struct res_action stocktake_steps[] = {
    {.name = "start",
     .zh = "开始盘点",
     .en = "Start",
     .body = wf_nothing,
     .from = WF_STATES("draft"),
     .to = "in_progress",
     .by = "started_by",
     .now = WF_FIELDS("started_at"),
     .check = as_stocktake_start_check},
    {.name = "finish",
     .zh = "完成盘点",
     .en = "Finish",
     .body = wf_note,
     .from = WF_STATES("in_progress"),
     .to = "finished",
     .by = "finished_by",
     .now = WF_FIELDS("finished_at"),
     .text_into = "note",
     .check = as_stocktake_finish_check},
    {.name = "cancel",
     .zh = "取消盘点",
     .en = "Cancel",
     .body = wf_reason,
     .from = WF_STATES("draft", "in_progress"),
     .to = "cancelled",
     .text_into = "cancel_reason"},
    /* handlers of their own: the answer is the line, not the session */
    {.name = "scan", .zh = "扫码", .en = "Scan", .body = scan_body, .fn = as_stocktake_scan},
    {.name = "confirm", .zh = "确认变动", .en = "Confirm", .fn = as_stocktake_confirm},
    {.name = "surplus", .zh = "盘盈登记", .en = "Register surplus", .fn = as_stocktake_surplus},
    {0},
};

static const char *const stocktake_indexes[] = {"status,department_id", NULL};

const struct res_entity as_stocktakes = {
    .since = SINCE,
    .name = "stocktakes",
    .zh = "资产盘点",
    .en = "Stocktakes",
    .module = "assets",
    .fields = stocktake_fields,
    .title = "name",
    .default_sort = "-id",
    .indexes = stocktake_indexes,
    .no_delete = 1,
    .dept_field = "department_id",
    .actions = stocktake_steps,
    .flow = &stocktake_flow,
    .before_write = as_stocktake_before_write,
};

/* ---- lines ---- */

static const struct res_enum line_results[] = {
    {"pending", "待盘", "Not yet scanned"},
    {"found", "账实相符", "Found"},
    {"moved", "位置/使用人变动", "Found elsewhere"},
    {"missing", "盘亏", "Missing"},
    {"surplus", "盘盈", "Surplus"},
    {0},
};

static const struct res_field line_fields[] = {
    {.name = "stocktake_id",
     .type = RES_REF,
     .ref = "stocktakes",
     .zh = "盘点",
     .en = "Stocktake",
     .required = 1,
     .list = 1,
     .filter = 1},
    {.name = "asset_id",
     .type = RES_REF,
     .ref = "assets",
     .zh = "资产",
     .en = "Asset",
     .list = 1,
     .filter = 1},
    {.name = "code",
     .type = RES_TEXT,
     .zh = "资产编号",
     .en = "Asset code",
     .required = 1,
     .max_len = AS_CODE_MAX,
     .pattern = "^[A-Z0-9][A-Z0-9-]*$",
     .list = 1,
     .search = 1,
     .sort = 1,
     .noindex = 1},
    {.name = "department_id",
     .type = RES_REF,
     .ref = "departments",
     .zh = "所属单位",
     .en = "Department",
     .filter = 1,
     .noindex = 1},
    {.name = "result",
     .type = RES_ENUM,
     .values = line_results,
     .zh = "盘点结果",
     .en = "Result",
     .required = 1,
     .dflt = "pending",
     .list = 1,
     .filter = 1,
     .noindex = 1},
    {.name = "out_of_scope",
     .type = RES_BOOL,
     .zh = "不在本次盘点范围",
     .en = "Outside the session's scope",
     .required = 1,
     .dflt = "false",
     .filter = 1,
     .noindex = 1},
    {.name = "expected_room_id",
     .type = RES_REF,
     .ref = "rooms",
     .zh = "账面地点",
     .en = "Room on record"},
    {.name = "expected_custodian_id",
     .type = RES_REF,
     .ref = "people",
     .zh = "账面使用人",
     .en = "Custodian on record"},
    {.name = "found_room_id",
     .type = RES_REF,
     .ref = "rooms",
     .zh = "实际地点",
     .en = "Room found",
     .list = 1},
    {.name = "found_custodian_id",
     .type = RES_REF,
     .ref = "people",
     .zh = "实际使用人",
     .en = "Custodian found"},
    {.name = "scanned_by", .type = RES_REF, .ref = "users", .zh = "盘点人", .en = "Scanned by"},
    {.name = "scanned_at", .type = RES_DATETIME, .zh = "盘点时间", .en = "Scanned", .list = 1},
    {.name = "confirmed",
     .type = RES_BOOL,
     .zh = "已确认",
     .en = "Confirmed",
     .required = 1,
     .dflt = "false",
     .list = 1,
     .filter = 1,
     .noindex = 1},
    {.name = "confirmed_by", .type = RES_REF, .ref = "users", .zh = "确认人", .en = "Confirmed by"},
    {.name = "confirmed_at", .type = RES_DATETIME, .zh = "确认时间", .en = "Confirmed at"},
    {.name = "original_value_fen",
     .type = RES_MONEY,
     .zh = "原值",
     .en = "Original value",
     .dflt = "0",
     .list = 1},
    {.name = "net_value_fen", .type = RES_MONEY, .zh = "净值", .en = "Net value", .dflt = "0"},
    {.name = "note", .type = RES_TEXT, .zh = "说明", .en = "Note", .max_len = 500},
    {0},
};

/* one line a session and code (a second scan finds the first); a session's
 * lines by result (the result's tables, the finish) */
static const char *const line_uniques[] = {"stocktake_id,code", NULL};
static const char *const line_indexes[] = {"stocktake_id,result", "asset_id,stocktake_id", NULL};

const struct res_entity as_stocktake_lines = {
    .since = SINCE,
    .name = "stocktake_lines",
    .zh = "盘点明细",
    .en = "Stocktake lines",
    .module = "assets",
    .fields = line_fields,
    .title = "code",
    .default_sort = "code",
    .uniques = line_uniques,
    .indexes = line_indexes,
    .api_readonly = 1,
    .no_delete = 1,
    .dept_field = "department_id",
};
