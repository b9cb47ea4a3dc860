/* SPDX-License-Identifier: MIT
 * identity/entities.c - roles, users, API tokens and audit entries.
 * Secrets (password and token hashes) are hidden fields: stored, never sent.
 * Audit entries are written only by the core's audit chain; the API reads them.
 */
#include "identity.h"
#include "../../core/auth.h"

#include <stddef.h>

static const struct res_field role_fields[] = {
    {.name = "code", .type = RES_TEXT, .zh = "代码", .en = "Code", .required = 1, .unique = 1,
     .max_len = 40, .pattern = "^[a-z][a-z0-9_]*$", .list = 1, .search = 1, .sort = 1},
    {.name = "name", .type = RES_TEXT, .zh = "名称", .en = "Name", .required = 1, .max_len = 60,
     .list = 1, .search = 1},
    {.name = "builtin", .type = RES_BOOL, .zh = "内置", .en = "Built-in", .readonly = 1,
     .dflt = "false", .required = 1, .list = 1, .filter = 1},
    {.name = "permissions", .type = RES_JSON, .zh = "权限", .en = "Permissions", .required = 1,
     .dflt = "{}", .widget = "permissions"},
    {.name = "hidden_fields", .type = RES_JSON, .zh = "隐藏字段", .en = "Hidden fields",
     .required = 1, .dflt = "{}"},
    {.name = "description", .type = RES_TEXT, .zh = "说明", .en = "Description", .max_len = 200,
     .widget = "textarea"},
    {0},
};

const struct res_entity id_roles = {
    .name = "roles", .zh = "角色", .en = "Roles", .module = "identity", .fields = role_fields,
    .title = "name", .before_write = identity_role_before_write,
    .after_write = identity_role_after_write,
};

static const struct res_enum locales[] = {
    {"zh-CN", "简体中文", "Chinese (Simplified)"},
    {"en", "英文", "English"},
    {0},
};

static const struct res_field user_fields[] = {
    {.name = "username", .type = RES_TEXT, .zh = "用户名", .en = "Username", .required = 1,
     .unique = 1, .min_len = 2, .max_len = 64, .pattern = "^[A-Za-z0-9_.@-]+$", .list = 1,
     .search = 1, .sort = 1},
    {.name = "display_name", .type = RES_TEXT, .zh = "显示名", .en = "Display name",
     .max_len = 50, .list = 1, .search = 1},
    {.name = "person_id", .type = RES_REF, .ref = "people", .zh = "人员", .en = "Person",
     .list = 1},
    {.name = "role_id", .type = RES_REF, .ref = "roles", .zh = "角色", .en = "Role",
     .required = 1, .list = 1},
    {.name = "password_hash", .type = RES_TEXT, .zh = "密码", .en = "Password", .hidden = 1,
     .max_len = 200},
    {.name = "must_change_password", .type = RES_BOOL, .zh = "须改密码",
     .en = "Must change password", .readonly = 1, .dflt = "true", .required = 1},
    {.name = "active", .type = RES_BOOL, .zh = "启用", .en = "Active", .dflt = "true",
     .required = 1, .filter = 1, .list = 1},
    {.name = "last_login_at", .type = RES_DATETIME, .zh = "最近登录", .en = "Last sign-in",
     .readonly = 1, .sort = 1},
    /* the language the user chose in the UI; unset: the tenant's default */
    {.name = "locale", .type = RES_ENUM, .values = locales, .zh = "界面语言", .en = "Language",
     .since = 2},
    {0},
};

static const struct res_action user_actions[] = {
    {.name = "reset_password",
     .zh = "重置密码",
     .en = "Reset password",
     .fn = auth_action_reset_password},
    {0},
};

const struct res_entity id_users = {
    .name = "users", .zh = "用户", .en = "Users", .module = "identity", .fields = user_fields,
    .title = "username", .actions = user_actions,
};

static const struct res_field token_fields[] = {
    {.name = "name", .type = RES_TEXT, .zh = "名称", .en = "Name", .required = 1, .max_len = 80,
     .list = 1, .search = 1},
    {.name = "role_id", .type = RES_REF, .ref = "roles", .zh = "角色", .en = "Role",
     .required = 1, .list = 1},
    {.name = "token_hash", .type = RES_TEXT, .zh = "令牌摘要", .en = "Token hash", .hidden = 1,
     .unique = 1, .max_len = 100},
    {.name = "prefix", .type = RES_TEXT, .zh = "前缀", .en = "Prefix", .readonly = 1,
     .max_len = 20, .list = 1},
    {.name = "expires_at", .type = RES_DATETIME, .zh = "到期时间", .en = "Expires",
     .list = 1, .sort = 1},
    {.name = "revoked_at", .type = RES_DATETIME, .zh = "吊销时间", .en = "Revoked",
     .readonly = 1, .list = 1},
    {.name = "last_used_at", .type = RES_DATETIME, .zh = "最近使用", .en = "Last used",
     .readonly = 1},
    {0},
};

static const struct res_action token_actions[] = {
    {.name = "revoke", .zh = "吊销", .en = "Revoke", .fn = auth_action_revoke_token},
    {0},
};

const struct res_entity id_api_tokens = {
    .name = "api_tokens", .zh = "接口令牌", .en = "API tokens", .module = "identity",
    .fields = token_fields, .title = "name", .no_delete = 1, .actions = token_actions,
    .before_write = auth_token_before_write,
};

static const struct res_field audit_fields[] = {
    {.name = "seq", .type = RES_INT, .zh = "序号", .en = "Sequence", .readonly = 1, .sort = 1,
     .unique = 1, .list = 1},
    {.name = "at", .type = RES_DATETIME, .zh = "时间", .en = "At", .readonly = 1,
     .noindex = 1, .sort = 1, .list = 1},
    {.name = "actor_id", .type = RES_INT, .zh = "操作人编号", .en = "Actor id", .readonly = 1,
     .noindex = 1, .filter = 1},
    {.name = "actor", .type = RES_TEXT, .zh = "操作人", .en = "Actor", .readonly = 1,
     .noindex = 1, .max_len = 100, .list = 1, .filter = 1},
    {.name = "action", .type = RES_TEXT, .zh = "操作", .en = "Action", .readonly = 1,
     .noindex = 1, .max_len = 60, .list = 1, .filter = 1},
    {.name = "collection", .type = RES_TEXT, .zh = "数据集", .en = "Collection", .readonly = 1,
     .noindex = 1, .max_len = 60, .list = 1, .filter = 1},
    {.name = "record_id", .type = RES_INT, .zh = "记录编号", .en = "Record id", .readonly = 1,
     .noindex = 1, .list = 1, .filter = 1},
    {.name = "before", .type = RES_JSON, .zh = "变更前", .en = "Before", .readonly = 1},
    {.name = "after", .type = RES_JSON, .zh = "变更后", .en = "After", .readonly = 1},
    {.name = "prev_hash", .type = RES_TEXT, .zh = "前一哈希", .en = "Previous hash",
     .readonly = 1, .max_len = 64},
    {.name = "hash", .type = RES_TEXT, .zh = "哈希", .en = "Hash", .readonly = 1, .max_len = 64},
    {0},
};

/* the chain is appended to on every write: one index beside (tenant_id, seq),
 * for a record's history; other filters scan within the tenant */
static const char *const audit_indexes[] = {"collection,record_id", NULL};

const struct res_entity id_audit_entries = {
    .name = "audit_entries", .zh = "审计日志", .en = "Audit entries", .module = "identity",
    .fields = audit_fields, .title = "action", .api_readonly = 1, .no_delete = 1,
    .default_sort = "seq", .indexes = audit_indexes,
};
