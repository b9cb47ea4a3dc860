/* SPDX-License-Identifier: MIT
 * booking/voucher_entities.c - the descriptors of the union's service
 * vouchers 工会理发票、洗车票 (data, no logic): batches issued to the union
 * members of the tenant or of one department, the vouchers themselves (one
 * row a voucher, its QR code signed on demand, never stored), the steps of
 * both state machines, and the tenant's signing key. The rules are in
 * vouchers.c.
 *
 * Batch: draft → issued (issue; issuing again tops up members added since)
 * → closed (close). Voucher: issued → redeemed (redeem, once) | expired
 * (the nightly job after expires_on) | void (void).
 */
#include "booking.h"
#include "../../engine/workflow.h"

#include <stddef.h>

#define SINCE 5 /* with the module */

static const struct res_enum services[] = {
    {"haircut", "理发", "Haircut"},
    {"car_wash", "洗车", "Car wash"},
    {"other", "其他", "Other"},
    {0},
};

/* ---- batches ---- */

static const struct res_enum batch_statuses[] = {
    {"draft", "草稿", "Draft"},
    {"issued", "已发放", "Issued"},
    {"closed", "已结束", "Closed"},
    {0},
};

static const struct res_field batch_fields[] = {
    {.name = "service", .type = RES_ENUM, .values = services, .zh = "服务项目", .en = "Service",
     .required = 1, .dflt = "haircut", .list = 1, .filter = 1, .noindex = 1},
    {.name = "label", .type = RES_TEXT, .zh = "名称", .en = "Label", .max_len = 60, .list = 1,
     .search = 1},
    {.name = "month", .type = RES_TEXT, .zh = "月份", .en = "Month", .max_len = 7,
     .pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$", .list = 1, .sort = 1, .filter = 1},
    {.name = "valid_from", .type = RES_DATE, .zh = "有效期自", .en = "Valid from"},
    {.name = "valid_to", .type = RES_DATE, .zh = "有效期至", .en = "Valid to", .list = 1},
    {.name = "per_person", .type = RES_INT, .zh = "每人张数", .en = "Per person", .required = 1,
     .dflt = "2", .has_min = 1, .min = 1, .has_max = 1, .max = BK_VOUCHERS_PER_PERSON_MAX,
     .list = 1},
    {.name = "department_id", .type = RES_REF, .ref = "departments", .zh = "发放范围(单位)",
     .en = "Department (empty: all members)", .widget = "dept-tree", .filter = 1, .noindex = 1},
    {.name = "status", .type = RES_ENUM, .values = batch_statuses, .zh = "状态", .en = "Status",
     .readonly = 1, .required = 1, .dflt = "draft", .list = 1, .filter = 1, .noindex = 1},
    {.name = "issued_count", .type = RES_INT, .zh = "已发张数", .en = "Vouchers issued",
     .readonly = 1, .dflt = "0", .list = 1},
    {.name = "issued_at", .type = RES_DATETIME, .zh = "发放时间", .en = "Issued", .readonly = 1},
    {.name = "issued_by", .type = RES_REF, .ref = "users", .zh = "发放人", .en = "Issued by",
     .readonly = 1},
    {.name = "note", .type = RES_TEXT, .zh = "说明", .en = "Note", .max_len = 500,
     .widget = "textarea"},
    {0},
};

static const struct res_flow batch_flow = {.state = "status"};

static const struct res_action batch_steps[] = {
    {.name = "issue", .zh = "发放", .en = "Issue", .body = wf_nothing,
     .from = WF_STATES("draft", "issued"), .to = "issued", .by = "issued_by",
     .now = WF_FIELDS("issued_at"), .check = bk_batch_issue_check},
    {.name = "close", .zh = "结束发放", .en = "Close", .body = wf_note,
     .from = WF_STATES("issued"), .to = "closed", .text_into = "note"},
    {0},
};

const struct res_entity bk_voucher_batches = {
    .since = SINCE, .name = "voucher_batches", .zh = "服务券批次", .en = "Voucher batches",
    .module = "booking", .fields = batch_fields, .title = "label", .default_sort = "-id",
    .actions = batch_steps, .flow = &batch_flow, .no_delete = 1,
    .before_write = bk_batch_before_write,
};

/* ---- vouchers (written by the batch's issue step) ---- */

static const struct res_enum voucher_statuses[] = {
    {"issued", "未使用", "Unused"},
    {"redeemed", "已使用", "Redeemed"},
    {"expired", "已过期", "Expired"},
    {"void", "已作废", "Void"},
    {0},
};

static const struct res_field voucher_fields[] = {
    {.name = "batch_id", .type = RES_REF, .ref = "voucher_batches", .zh = "批次", .en = "Batch",
     .required = 1, .list = 1, .filter = 1, .noindex = 1},
    {.name = "person_id", .type = RES_REF, .ref = "people", .zh = "持券人", .en = "Holder",
     .required = 1, .list = 1, .filter = 1, .noindex = 1},
    {.name = "department_id", .type = RES_REF, .ref = "departments", .zh = "所在单位",
     .en = "Department", .filter = 1, .noindex = 1},
    {.name = "service", .type = RES_ENUM, .values = services, .zh = "服务项目", .en = "Service",
     .required = 1, .list = 1, .filter = 1, .noindex = 1},
    {.name = "seq", .type = RES_INT, .zh = "序号", .en = "Number", .required = 1, .has_min = 1,
     .min = 1, .has_max = 1, .max = BK_VOUCHERS_PER_PERSON_MAX},
    {.name = "serial", .type = RES_TEXT, .zh = "券号", .en = "Serial", .required = 1,
     .unique = 1, .max_len = 40, .pattern = "^[A-Z0-9-]+$", .list = 1, .search = 1},
    {.name = "status", .type = RES_ENUM, .values = voucher_statuses, .zh = "状态",
     .en = "Status", .readonly = 1, .required = 1, .dflt = "issued", .list = 1, .filter = 1,
     .noindex = 1},
    {.name = "valid_from", .type = RES_DATE, .zh = "有效期自", .en = "Valid from",
     .required = 1, .filter = 1, .noindex = 1},
    {.name = "expires_on", .type = RES_DATE, .zh = "有效期至", .en = "Expires on",
     .required = 1, .list = 1, .filter = 1, .noindex = 1},
    {.name = "redeemed_at", .type = RES_DATETIME, .zh = "使用时间", .en = "Redeemed",
     .readonly = 1, .list = 1},
    {.name = "redeemed_by", .type = RES_REF, .ref = "users", .zh = "核销人/设备",
     .en = "Redeemed by", .readonly = 1},
    {.name = "resource_id", .type = RES_REF, .ref = "resources", .zh = "核销服务点",
     .en = "Service point", .readonly = 1, .filter = 1, .noindex = 1},
    {.name = "device", .type = RES_TEXT, .zh = "核销设备", .en = "Device", .readonly = 1,
     .max_len = 80},
    {.name = "void_reason", .type = RES_TEXT, .zh = "作废原因", .en = "Void reason",
     .readonly = 1, .max_len = 500},
    {0},
};

static const struct res_field redeem_body[] = {
    {.name = "code", .type = RES_TEXT, .zh = "券码", .en = "Voucher code", .required = 1,
     .max_len = BK_VOUCHER_CODE_MAX},
    {.name = "resource_id", .type = RES_REF, .ref = "resources", .zh = "服务点",
     .en = "Service point"},
    {0},
};

static const struct res_flow voucher_flow = {.state = "status"};

/* redeem: any state reaches the step's rules, which refuse each with its own
 * reason (when and where it was redeemed, when it expired) */
static const struct res_action voucher_steps[] = {
    {.name = "redeem", .zh = "核销", .en = "Redeem", .body = redeem_body, .to = "redeemed",
     .by = "redeemed_by", .now = WF_FIELDS("redeemed_at"), .check = bk_voucher_redeem_check},
    {.name = "void", .zh = "作废", .en = "Void", .body = wf_reason,
     .from = WF_STATES("issued"), .to = "void", .text_into = "void_reason"},
    {0},
};

/* issuing's idempotency (one row a batch, person and number), the wallet
 * (a person's newest), the expiry job and the statistics (status, month) */
static const char *const voucher_uniques[] = {"batch_id,person_id,seq", NULL};
static const char *const voucher_indexes[] = {"person_id,expires_on", "status,expires_on",
                                              "valid_from,service", NULL};

const struct res_entity bk_vouchers = {
    .since = SINCE, .name = "vouchers", .zh = "服务券", .en = "Vouchers", .module = "booking",
    .fields = voucher_fields, .title = "serial", .default_sort = "-id",
    .actions = voucher_steps, .flow = &voucher_flow, .uniques = voucher_uniques,
    .indexes = voucher_indexes, .api_readonly = 1, .no_delete = 1,
    .dept_field = "department_id",
};

/* ---- the tenant's signing key (one row, made with the tenant) ---- */

static const struct res_field key_fields[] = {
    {.name = "kid", .type = RES_INT, .zh = "密钥编号", .en = "Key number", .required = 1,
     .unique = 1, .list = 1},
    {.name = "secret", .type = RES_TEXT, .zh = "签名密钥", .en = "Signing key", .hidden = 1,
     .required = 1, .min_len = 32, .max_len = 64},
    {0},
};

const struct res_entity bk_voucher_keys = {
    .since = SINCE, .name = "voucher_keys", .zh = "服务券签名密钥", .en = "Voucher signing keys",
    .module = "booking", .fields = key_fields, .title = "kid", .api_readonly = 1,
    .no_delete = 1,
};
