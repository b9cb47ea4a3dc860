/* SPDX-License-Identifier: MIT
 * identity.h - the identity module: users, roles, API tokens and the audit
 * chain's entries as collections. The mechanisms live in src/core (auth.c,
 * audit.c) and src/engine (perm.c); this module declares their records,
 * seeds the built-in roles and creates the demo users.
 */
#ifndef BUREAU_IDENTITY_H
#define BUREAU_IDENTITY_H

#include "../../engine/res.h"
#include "../modules.h"

#include <stdint.h>

extern const struct res_entity id_roles, id_users, id_api_tokens, id_audit_entries;
extern const struct module identity_module;

/* A built-in role: code, names, permissions and hidden fields as JSON
 * (format in docs/security.md). */
struct builtin_role {
    const char *code, *zh, *en;
    const char *permissions;
    const char *hidden;
};
/* NULL-terminated (code == NULL). */
extern const struct builtin_role identity_builtin_roles[];

struct req;
struct json_t;
int identity_role_before_write(struct req *r, struct db_conn *c, const struct res_entity *ent,
                               int64_t id, struct json_t *old, struct json_t *rec, struct err *e);
int identity_role_after_write(struct req *r, struct db_conn *c, const struct res_entity *ent,
                              int64_t id, struct json_t *old, struct json_t *rec, struct err *e);

int identity_seed_tenant(struct db_conn *c, int64_t tenant_id, struct err *e);
int identity_demo(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e);

#endif
