/* SPDX-License-Identifier: MIT
 * identity.h - the identity module: users, roles, API tokens and the audit
 * chain's entries as collections, and the HTTP side of signing in
 * (session.c) and of API tokens (token.c). The mechanisms live in src/core
 * (auth.c, password.c, audit.c) and src/engine (perm.c); this module
 * declares their records, seeds the built-in roles and creates the demo
 * users.
 */
#ifndef BUREAU_IDENTITY_H
#define BUREAU_IDENTITY_H

#include "../../engine/res.h"
#include "../../engine/module.h"
#include "../../core/router.h"

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
int identity_role_before_write(struct res_write *w);
int identity_role_after_write(struct res_write *w);

/* ---- session.c and token.c: sign-in, passwords and API tokens over HTTP
 * (the mechanisms they use are src/core/auth.c and password.c) ---- */
/* Routes: POST/DELETE /api/v1/session, GET /api/v1/session (who am I),
 * POST /api/v1/session/password, POST /api/v1/api_tokens (create; shows the
 * secret once). Listed in the identity module's routes. */
extern const struct route auth_routes[];
/* Named actions (res_action fns): users/{id}/reset_password {"password"},
 * api_tokens/{id}/revoke. */
int auth_action_reset_password(struct req *r, const struct res_entity *ent, int64_t id,
                               struct json_t *body);
int auth_action_revoke_token(struct req *r, const struct res_entity *ent, int64_t id,
                             struct json_t *body);
/* The before_write hook of api_tokens (res_hook_fn): a token's role may be
 * set or changed only to the caller's own role, unless the caller holds the
 * role "admin" (a token never holds more than the one who made it); a role
 * change drops the token from this process's cache. */
int auth_token_before_write(struct res_write *w);
/* POST /api/v1/api_tokens (token.c), listed in auth_routes (session.c). */
int auth_token_create(struct req *r);
/* A device's API token made by the server inside the caller's open transaction (a canteen's
 * card reader): role "device", named name, created by r's user, audited; token revoke_id (0:
 * none) revoked first. *id, the secret "bur_…" into token (shown once) and its first eight
 * characters into prefix (9 bytes). 0 or a negative ERR_*. */
#define IDENTITY_TOKEN_MAX 64
int identity_device_token(struct req *r, struct db_conn *c, const char *name, int64_t revoke_id,
                          int64_t *id, char token[IDENTITY_TOKEN_MAX], char prefix[9],
                          struct err *e);

/* ---- lookup.c: what other modules ask of a user (never the table) ---- */
struct identity_user {
    int64_t person_id;     /* 0: an account without a person */
    int64_t department_id; /* the person's; 0 when none */
    const char *name;      /* the person's name, else the display name, else the username */
    const char *username;
    int active;
};
/* User user of r's tenant (arena memory); all zero/NULL when there is none
 * (or user is 0). 0 or a negative ERR_*. */
int identity_user(struct req *r, struct db_conn *c, int64_t user, struct identity_user *out,
                  struct err *e);

/* The id of the user named username (0: none). */
int identity_user_id(struct req *r, struct db_conn *c, const char *username, int64_t *id,
                     struct err *e);
/* The id of the role with code (0: none). */
int identity_role_id(struct req *r, struct db_conn *c, const char *code, int64_t *id,
                     struct err *e);
/* A role's name (NULL: no such role). */
int identity_role_name(struct req *r, struct db_conn *c, int64_t role, const char **name,
                       struct err *e);

/* ---- members.c: the users behind a role or a department; ids ascending,
 * arena memory of r; 0 or a negative ERR_* ---- */
/* The active users holding the role with code role. */
int identity_role_users(struct req *r, struct db_conn *c, const char *role, int64_t **ids, int *n,
                        struct err *e);
/* The active users whose person belongs to department dept. */
int identity_department_users(struct req *r, struct db_conn *c, int64_t dept, int64_t **ids, int *n,
                              struct err *e);
/* A user who stands for a person, and the person's department (0: none). */
struct identity_member {
    int64_t id, person_id, department_id;
};
/* Every user (active or not) who stands for a person and holds one of roles
 * (codes, NULL-terminated). */
int identity_users_in_roles(struct req *r, struct db_conn *c, const char *const *roles,
                            struct identity_member **out, int *n, struct err *e);

int identity_seed_tenant(struct db_conn *c, int64_t tenant_id, struct err *e);

/* ---- demo.c: the demo users, one per built-in role (username = code) ---- */
int identity_demo(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e);
/* A sign-in account of another module's demo data: username, display name
 * (may be NULL), the person it stands for (0: none) and its role's code. */
struct identity_demo_user {
    const char *username, *display_name, *role;
    int64_t person_id;
};
/* Creates u in r's tenant with the role u->role and the password of that
 * role's demo user; *id = 0 (nothing created) when the tenant has no such
 * role or demo user. */
int identity_demo_user(struct req *r, struct db_conn *c, const struct identity_demo_user *u,
                       int64_t *id, struct err *e);

#endif
