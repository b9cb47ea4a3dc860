/* SPDX-License-Identifier: MIT
 * token.c - API tokens for devices and scripts: creation (POST
 * /api/v1/api_tokens shows the secret "bur_…" once; only its SHA-256 is
 * stored) and revocation (the api_tokens/{id}/revoke action). Using a token
 * (Authorization: Bearer) is auth.c's job; listing and renaming tokens are
 * the generic collection routes, which never show token_hash (hidden).
 */
#include "../../core/auth.h"
#include "../../base/arena.h"
#include "../../base/buf.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../engine/record.h"
#include "../../engine/rest.h"
#include "../../engine/validate.h"
#include "identity.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static int rollback(struct db_conn *c, int rc)
{
    db_rollback(c);
    return rc;
}

static int col_index(const struct res_entity *ent, const char *name)
{
    int n;
    const struct res_field *const *cols = res_cols(ent, &n);
    for (int i = 0; i < n; i++)
        if (!strcmp(cols[i]->name, name))
            return i;
    return -1;
}

/* The record as the audit chain keeps it: without the secret's hash. */
static int audit_token(struct req *r, struct db_conn *c, const char *action, int64_t id,
                       json_t *before, struct err *e)
{
    json_t *after = NULL;
    int rc = rec_load(r, c, &id_api_tokens, id, &after, e);
    if (rc)
        return rc;
    json_object_del(after, "token_hash");
    if (before)
        json_object_del(before, "token_hash");
    rc = rec_audit(r, c, action, id_api_tokens.name, id, before, after, e);
    json_decref(after);
    return rc;
}

/* A caller may give a token only its own role, unless it is an administrator:
 * a token never holds more than its creator. */
static int check_role(struct req *r, struct db_conn *c, int64_t role_id, struct err *e)
{
    int64_t one;
    int rc = db_one_int(c, "SELECT 1 FROM roles WHERE tenant_id = ? AND id = ?",
                        DB_INTS(r->tenant_id, role_id), &one, e);
    if (rc < 0)
        return rc;
    if (!rc)
        return err_set(e, ERR_INVALID, "role_id", "field.ref_missing",
                       "no record {id}%lld in {collection}%s", (long long)role_id, "roles");
    if (role_id != r->who->role_id && strcmp(r->who->role_code, "admin"))
        return err_set(e, ERR_FORBIDDEN, "role_id", "auth.token_role",
                       "you may give a token only your own role");
    return 0;
}

int auth_token_before_write(struct res_write *w)
{
    if (!w->rec || !w->r->who)
        return 0; /* deletes (refused anyway), internal writers */
    json_t *jr = json_object_get(w->rec, "role_id");
    int64_t role = json_is_integer(jr) ? json_integer_value(jr) : 0;
    int64_t was = w->old ? json_integer_value(json_object_get(w->old, "role_id")) : 0;
    if (w->old && role == was)
        return 0;
    if (role != w->r->who->role_id && strcmp(w->r->who->role_code, "admin"))
        return err_set(w->e, ERR_FORBIDDEN, "role_id", "auth.token_role",
                       "you may give a token only your own role");
    if (w->old)
        auth_forget_token(w->r->tenant_id, w->id);
    return 0;
}

int auth_token_create(struct req *r)
{
    const struct res_entity *ent = &id_api_tokens;
    struct err *e = &r->err;
    json_t *body;
    int ncols;
    int rc = auth_require(r);
    if (rc || (rc = perm_check(r, ent, "create")) || (rc = rest_body_json(r, &body, 0)))
        return rc;
    const struct res_field *const *cols = res_cols(ent, &ncols);
    struct res_val *vals = arena_zalloc(r->a, sizeof(*vals) * (size_t)ncols);
    if (!vals)
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    if ((rc = res_validate(r->a, ent, body, RES_CREATE, vals, e)))
        return rc;
    int i_name = col_index(ent, "name"), i_role = col_index(ent, "role_id");
    int i_exp = col_index(ent, "expires_at");
    int64_t now = clock_now();
    if (vals[i_exp].set && !vals[i_exp].null && vals[i_exp].i <= now)
        return err_set(e, ERR_INVALID, "expires_at", "field.future", "must be in the future");
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    if ((rc = check_role(r, c, vals[i_role].i, e)))
        return rc;
    char secret[AUTH_SECRET_LEN + 1], token[sizeof(AUTH_TOKEN_PREFIX) + AUTH_SECRET_LEN];
    char hex[65], prefix[9];
    auth_random_secret(secret);
    memcpy(token, AUTH_TOKEN_PREFIX, sizeof(AUTH_TOKEN_PREFIX) - 1);
    memcpy(token + sizeof(AUTH_TOKEN_PREFIX) - 1, secret, AUTH_SECRET_LEN + 1);
    auth_sha256_hex(token, strlen(token), hex);
    memcpy(prefix, secret, 8);
    prefix[8] = 0;
    sodium_memzero(secret, sizeof(secret));
    struct db_stmt *st;
    int64_t id = 0;
    if ((rc = db_begin(c, e)))
        return rc;
    if ((rc = db_prepare_ints(c,
                              "INSERT INTO api_tokens (tenant_id, version, created_at, updated_at, "
                              "created_by, name, role_id, token_hash, prefix, expires_at) "
                              "VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                              DB_INTS(r->tenant_id, now, now), &st, e)))
        return rollback(c, rc);
    db_bind_int_or_null(st, 4, r->user_id);
    res_val_bind(st, 5, cols[i_name], &vals[i_name]);
    db_bind_int(st, 6, vals[i_role].i);
    db_bind_text(st, 7, hex, 64);
    db_bind_text(st, 8, prefix, 8);
    if (vals[i_exp].set && !vals[i_exp].null)
        db_bind_int(st, 9, vals[i_exp].i);
    else
        db_bind_null(st, 9);
    rc = db_step(st, e);
    if (rc == DB_ROW)
        id = db_col_int(st, 0);
    db_reset(st);
    if (rc < 0)
        return rollback(c, rc);
    if (!id)
        return rollback(c, err_set(e, ERR_DB, NULL, NULL, "insert returned no id"));
    if ((rc = audit_token(r, c, "token_create", id, NULL, e)) || (rc = db_commit(c, e)))
        return rollback(c, rc);
    /* the record, then the secret: shown this once */
    struct buf rec;
    int64_t version;
    buf_init(&rec, r->a);
    if ((rc = rec_get(r, c, ent, id, &rec, &version, e)))
        return rc;
    if (!buf_ok(&rec) || rec.len < 2)
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    buf_append(&r->out, rec.p, rec.len - 1);
    buf_puts(&r->out, ",\"token\":");
    buf_json_str(&r->out, token, strlen(token));
    buf_putc(&r->out, '}');
    sodium_memzero(token, sizeof(token));
    resp_header(r, "Location", arena_printf(r->a, "/api/v1/%s/%lld", ent->name, (long long)id));
    resp_header(r, "ETag", arena_printf(r->a, "\"%lld\"", (long long)version));
    return resp_json(r, 201);
}

int identity_device_token(struct req *r, struct db_conn *c, const char *name, int64_t revoke_id,
                          int64_t *id, char token[IDENTITY_TOKEN_MAX], char prefix[9],
                          struct err *e)
{
    int64_t role = 0, now = clock_now();
    *id = 0;
    int rc = db_one_int(c, "SELECT id FROM roles WHERE tenant_id = ? AND code = 'device'",
                        DB_INTS(r->tenant_id), &role, e);
    if (rc < 0)
        return rc;
    if (!role)
        return err_set(e, ERR_CONFLICT, NULL, "auth.no_device_role", "the unit has no device role");
    if (revoke_id) {
        int64_t n = db_exec_ints(c,
                                 "UPDATE api_tokens SET revoked_at = ?, version = version + 1, "
                                 "updated_at = ? WHERE tenant_id = ? AND id = ? AND revoked_at IS "
                                 "NULL",
                                 DB_INTS(now, now, r->tenant_id, revoke_id), e);
        if (n < 0)
            return (int)n;
        json_t *after = json_pack("{s:I}", "revoked_at", (json_int_t)now);
        rc = n ? rec_audit(r, c, "token_revoke", id_api_tokens.name, revoke_id, NULL, after, e) : 0;
        json_decref(after);
        if (rc)
            return rc;
        auth_forget_token(r->tenant_id, revoke_id);
    }
    char secret[AUTH_SECRET_LEN + 1], hex[65];
    auth_random_secret(secret);
    snprintf(token, IDENTITY_TOKEN_MAX, AUTH_TOKEN_PREFIX "%s", secret);
    auth_sha256_hex(token, strlen(token), hex);
    memcpy(prefix, secret, 8);
    prefix[8] = 0;
    sodium_memzero(secret, sizeof(secret));
    struct db_stmt *st;
    if ((rc = db_prepare_ints(c,
                              "INSERT INTO api_tokens (tenant_id, version, created_at, updated_at, "
                              "created_by, name, role_id, token_hash, prefix) VALUES (?, 1, ?, ?, "
                              "?, ?, ?, ?, ?) RETURNING id",
                              DB_INTS(r->tenant_id, now, now), &st, e)))
        return rc;
    db_bind_int_or_null(st, 4, r->user_id);
    db_bind_text(st, 5, name, strlen(name));
    db_bind_int(st, 6, role);
    db_bind_text(st, 7, hex, 64);
    db_bind_text(st, 8, prefix, 8);
    if ((rc = db_step(st, e)) == DB_ROW)
        *id = db_col_int(st, 0);
    db_reset(st);
    if (rc < 0)
        return rc;
    if (!*id)
        return err_set(e, ERR_DB, NULL, NULL, "insert returned no id");
    /* the record as the audit chain keeps it (the caller may not read tokens) */
    json_t *after = json_pack("{s:s,s:I,s:s}", "name", name, "role_id", (json_int_t)role,
                              "prefix", prefix);
    rc = rec_audit(r, c, "token_create", id_api_tokens.name, *id, NULL, after, e);
    json_decref(after);
    return rc;
}

static int already_revoked(struct err *e, int64_t id)
{
    return err_set(e, ERR_CONFLICT, NULL, "auth.token_revoked_already",
                   "token {id}%lld is already revoked", (long long)id);
}

int auth_action_revoke_token(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    struct err *e = &r->err;
    struct db_stmt *st;
    json_t *before = NULL;
    int rc = auth_require(r);
    if (rc)
        return rc;
    if (body && json_object_size(body)) {
        const char *k;
        json_t *j;
        json_object_foreach(body, k, j)
        {
            char q[140];
            err_quote(q, sizeof(q), k, strlen(k));
            err_field(e, q, "field.unknown", "unknown field");
        }
        return err_invalid(e);
    }
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    if ((rc = db_begin(c, e)))
        return rc;
    if ((rc = rec_load(r, c, ent, id, &before, e)))
        return rollback(c, rc);
    if (!json_is_null(json_object_get(before, "revoked_at"))) {
        json_decref(before);
        return rollback(c, already_revoked(e, id));
    }
    int64_t now = clock_now();
    rc = db_prepare(c,
                    "UPDATE api_tokens SET revoked_at = ?, version = version + 1, updated_at = ? "
                    "WHERE tenant_id = ? AND id = ? AND revoked_at IS NULL",
                    &st, e);
    if (!rc) {
        db_bind_int(st, 1, now);
        db_bind_int(st, 2, now);
        db_bind_int(st, 3, r->tenant_id);
        db_bind_int(st, 4, id);
        rc = db_step(st, e);
        int64_t changed = db_changes(st);
        db_reset(st);
        if (rc >= 0)
            rc = changed == 1 ? 0 : already_revoked(e, id); /* a concurrent revoke won */
    }
    if (!rc)
        rc = audit_token(r, c, "token_revoke", id, before, e);
    json_decref(before);
    if (rc || (rc = db_commit(c, e)))
        return rollback(c, rc);
    auth_forget_token(r->tenant_id, id);
    int64_t version;
    if ((rc = rec_get(r, c, ent, id, &r->out, &version, e)))
        return rc;
    resp_header(r, "ETag", arena_printf(r->a, "\"%lld\"", (long long)version));
    return resp_json(r, 200);
}
