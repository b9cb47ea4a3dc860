/* SPDX-License-Identifier: MIT
 * procure/bid_entities.c - suppliers, the seals of the projects' bids, the
 * opening officials, the bids and the tenant's receipt-signing keys (data;
 * the logic is in suppliers.c, bids.c, opening.c and seal.c).
 */
#include "bids.h"
#include "../../engine/workflow.h"

#include <stddef.h>

/* ---- suppliers ---- */

static const struct res_enum supplier_states[] = {
    {"pending", "待审核", "Pending"},
    {"approved", "已审核", "Approved"},
    {"suspended", "已暂停", "Suspended"},
    {0},
};

static const struct res_field supplier_fields[] = {
    {.name = "name", .type = RES_TEXT, .zh = "供应商名称", .en = "Supplier", .required = 1,
     .max_len = 120, .list = 1, .search = 1, .sort = 1},
    {.name = "uscc", .type = RES_TEXT, .zh = "统一社会信用代码", .en = "Unified social credit code",
     .required = 1, .unique = 1, .format = "uscc", .list = 1, .search = 1},
    {.name = "legal_rep", .type = RES_TEXT, .zh = "法定代表人", .en = "Legal representative",
     .required = 1, .max_len = 40},
    {.name = "contact", .type = RES_TEXT, .zh = "联系人", .en = "Contact", .max_len = 40,
     .list = 1},
    {.name = "phone", .type = RES_TEXT, .zh = "联系电话", .en = "Phone", .format = "phone",
     .widget = "phone"},
    {.name = "email", .type = RES_TEXT, .zh = "电子邮箱", .en = "Email", .max_len = 120,
     .pattern = "^[^@ ]+@[^@ ]+[.][^@ ]+$"},
    {.name = "address", .type = RES_TEXT, .zh = "地址", .en = "Address", .max_len = 200},
    /* scans of the licence and certificates: the files module's uploads */
    {.name = "qualification_files", .type = RES_JSON, .zh = "资质文件", .en = "Qualification documents",
     .widget = "photos"},
    {.name = "user_id", .type = RES_REF, .ref = "users", .zh = "门户账号", .en = "Portal login",
     .unique = 1, .filter = 1},
    {.name = "status", .type = RES_ENUM, .values = supplier_states, .zh = "状态", .en = "Status",
     .readonly = 1, .dflt = "pending", .required = 1, .list = 1, .filter = 1},
    {.name = "approved_at", .type = RES_DATETIME, .zh = "审核时间", .en = "Approved at",
     .readonly = 1},
    {.name = "suspend_reason", .type = RES_TEXT, .zh = "暂停原因", .en = "Suspension reason",
     .readonly = 1, .max_len = 500},
    {0},
};

static const struct res_action supplier_steps[] = {
    {.name = "approve", .zh = "审核通过", .en = "Approve", .body = wf_note,
     .from = WF_STATES("pending", "suspended"), .to = "approved", .now = WF_FIELDS("approved_at"),
     .clear = WF_FIELDS("suspend_reason")},
    {.name = "suspend", .zh = "暂停", .en = "Suspend", .body = wf_reason,
     .from = WF_STATES("pending", "approved"), .to = "suspended", .text_into = "suspend_reason"},
    {0},
};

static const struct res_flow supplier_flow = {.state = "status"};

const struct res_entity pc_suppliers = {
    .since = PC_SINCE,
    .name = "suppliers",
    .zh = "供应商",
    .en = "Suppliers",
    .module = "procure",
    .fields = supplier_fields,
    .title = "name",
    .default_sort = "-id",
    .no_delete = 1,
    .actions = supplier_steps,
    .flow = &supplier_flow,
    .after_write = pc_supplier_after_write,
    /* "assigned": the supplier whose portal login the caller is */
    .assign_field = "user_id",
    .assigned_to = pc_assigned_user,
};

/* ---- the seal of a project's bids ---- */

static const struct res_enum seal_states[] = {
    {"sealed", "已密封", "Sealed"},
    {"opened", "已开启", "Opened"},
    {0},
};

static const struct res_field seal_fields[] = {
    {.name = "project_id", .type = RES_REF, .ref = "procurement_projects", .zh = "采购项目",
     .en = "Project", .required = 1, .unique = 1, .readonly = 1, .list = 1, .filter = 1},
    {.name = "public_key", .type = RES_TEXT, .zh = "开标公钥", .en = "Public key",
     .required = 1, .readonly = 1, .max_len = 64},
    {.name = "k", .type = RES_INT, .zh = "开标所需份数", .en = "Shares needed", .required = 1,
     .readonly = 1, .has_min = 1, .min = 2, .has_max = 1, .max = PC_SHARE_MAX_N, .list = 1},
    {.name = "n", .type = RES_INT, .zh = "份额总数", .en = "Shares", .required = 1, .readonly = 1,
     .has_min = 1, .min = 2, .has_max = 1, .max = PC_SHARE_MAX_N, .list = 1},
    {.name = "status", .type = RES_ENUM, .values = seal_states, .zh = "状态", .en = "Status",
     .required = 1, .readonly = 1, .dflt = "sealed", .list = 1, .filter = 1},
    {.name = "sealed_at", .type = RES_DATETIME, .zh = "密封时间", .en = "Sealed at",
     .readonly = 1, .list = 1},
    {.name = "opened_at", .type = RES_DATETIME, .zh = "开标时间", .en = "Opened at",
     .readonly = 1, .list = 1},
    {.name = "opened_bids", .type = RES_INT, .zh = "开启投标数", .en = "Bids opened",
     .readonly = 1},
    /* the demo's seals only: the public seed their key and shares derive
     * from (bid_demo.c); null for every real seal, and no request sets it */
    {.name = "demo_seed", .type = RES_TEXT, .zh = "演示种子", .en = "Demo seed", .readonly = 1,
     .max_len = 64},
    {0},
};

const struct res_entity pc_seals = {
    .since = PC_SINCE,
    .name = "bid_seals",
    .zh = "投标密封",
    .en = "Bid seals",
    .module = "procure",
    .fields = seal_fields,
    .title = "project_id",
    .default_sort = "-id",
    .no_delete = 1,
    .api_readonly = 1,
};

static const struct res_field official_fields[] = {
    {.name = "seal_id", .type = RES_REF, .ref = "bid_seals", .zh = "投标密封", .en = "Seal",
     .required = 1, .readonly = 1, .list = 1, .filter = 1},
    {.name = "user_id", .type = RES_REF, .ref = "users", .zh = "开标人", .en = "Official",
     .required = 1, .readonly = 1, .list = 1, .filter = 1},
    {.name = "share_no", .type = RES_INT, .zh = "份额序号", .en = "Share number", .required = 1,
     .readonly = 1, .has_min = 1, .min = 1, .has_max = 1, .max = PC_SHARE_MAX_N, .list = 1},
    {.name = "share_sha256", .type = RES_TEXT, .zh = "份额摘要", .en = "Share SHA-256",
     .required = 1, .readonly = 1, .min_len = 64, .max_len = 64},
    {.name = "handed_at", .type = RES_DATETIME, .zh = "领取时间", .en = "Taken at",
     .readonly = 1, .list = 1},
    {0},
};

static const char *const official_uniques[] = {"seal_id,share_no", "seal_id,user_id", NULL};

const struct res_entity pc_officials = {
    .since = PC_SINCE,
    .name = "opening_officials",
    .zh = "开标人",
    .en = "Opening officials",
    .module = "procure",
    .fields = official_fields,
    .title = "share_no",
    .default_sort = "id",
    .no_delete = 1,
    .api_readonly = 1,
    .uniques = official_uniques,
    .assign_field = "user_id",
    .assigned_to = pc_assigned_user,
};

/* ---- bids ---- */

static const struct res_enum bid_states[] = {
    {"submitted", "已递交", "Submitted"}, {"withdrawn", "已撤回", "Withdrawn"},
    {"replaced", "已替换", "Replaced"},   {"opened", "已开启", "Opened"},
    {"invalid", "无效", "Invalid"},       {0},
};

static const struct res_field bid_fields[] = {
    {.name = "project_id", .type = RES_REF, .ref = "procurement_projects", .zh = "采购项目",
     .en = "Project", .required = 1, .readonly = 1, .list = 1, .filter = 1},
    {.name = "supplier_id", .type = RES_REF, .ref = "suppliers", .zh = "供应商", .en = "Supplier",
     .required = 1, .readonly = 1, .list = 1, .filter = 1},
    {.name = "status", .type = RES_ENUM, .values = bid_states, .zh = "状态", .en = "Status",
     .required = 1, .readonly = 1, .dflt = "submitted", .list = 1, .filter = 1},
    {.name = "submitted_at", .type = RES_DATETIME, .zh = "递交时间", .en = "Submitted at",
     .readonly = 1, .list = 1},
    {.name = "cipher_sha256", .type = RES_TEXT, .zh = "密文摘要", .en = "Ciphertext SHA-256",
     .readonly = 1, .max_len = 64},
    {.name = "cipher_bytes", .type = RES_INT, .zh = "密文字节数", .en = "Ciphertext bytes",
     .readonly = 1},
    /* base64 of the sealed box: opened only with k officials' shares */
    {.name = "cipher", .type = RES_TEXT, .zh = "密文", .en = "Ciphertext", .readonly = 1,
     .hidden = 1, .max_len = PC_BID_MAX_B64},
    {.name = "receipt", .type = RES_JSON, .zh = "回执", .en = "Receipt", .readonly = 1},
    {.name = "replaces_id", .type = RES_REF, .ref = "bids", .zh = "替换的投标", .en = "Replaces",
     .readonly = 1},
    {.name = "withdrawn_at", .type = RES_DATETIME, .zh = "撤回时间", .en = "Withdrawn at",
     .readonly = 1},
    {.name = "price_fen", .type = RES_MONEY, .zh = "投标报价", .en = "Bid price", .readonly = 1,
     .list = 1},
    {.name = "valid", .type = RES_BOOL, .zh = "有效", .en = "Valid", .readonly = 1},
    {.name = "technical", .type = RES_TEXT, .zh = "技术响应", .en = "Technical response",
     .readonly = 1, .max_len = 20000, .widget = "textarea"},
    {.name = "documents", .type = RES_JSON, .zh = "投标文件", .en = "Documents", .readonly = 1},
    {.name = "invalid_reason", .type = RES_TEXT, .zh = "无效原因", .en = "Why invalid",
     .readonly = 1, .max_len = 200},
    {.name = "opened_at", .type = RES_DATETIME, .zh = "开启时间", .en = "Opened at",
     .readonly = 1},
    {0},
};

static const char *const bid_indexes[] = {"project_id,status", NULL};

const struct res_entity pc_bids = {
    .since = PC_SINCE,
    .name = "bids",
    .zh = "投标",
    .en = "Bids",
    .module = "procure",
    .fields = bid_fields,
    .title = "cipher_sha256",
    .default_sort = "-id",
    .no_delete = 1,
    .api_readonly = 1,
    .indexes = bid_indexes,
    /* "assigned": the bids of the supplier whose login the caller is */
    .assign_field = "supplier_id",
    .assigned_to = pc_assigned_supplier,
};

/* ---- the tenant's receipt-signing keys (Ed25519) ---- */

static const struct res_field receipt_key_fields[] = {
    {.name = "public_key", .type = RES_TEXT, .zh = "公钥", .en = "Public key", .required = 1,
     .readonly = 1, .max_len = 64, .list = 1},
    {.name = "secret_key", .type = RES_TEXT, .zh = "私钥", .en = "Secret key", .required = 1,
     .readonly = 1, .hidden = 1, .max_len = 128},
    {0},
};

const struct res_entity pc_receipt_keys = {
    .since = PC_SINCE,
    .name = "bid_receipt_keys",
    .zh = "回执签名密钥",
    .en = "Receipt signing keys",
    .module = "procure",
    .fields = receipt_key_fields,
    .title = "public_key",
    .default_sort = "id",
    .no_delete = 1,
    .api_readonly = 1,
};
