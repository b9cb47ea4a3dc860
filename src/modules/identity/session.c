/* SPDX-License-Identifier: MIT
 * session.c - sign-in and sign-out (POST/GET/DELETE /api/v1/session), the
 * brute-force limits, changing one's password and an administrator's reset.
 * Wrong passwords and unknown users get the same answer after the same work
 * (an argon2id check against a dummy hash), and every failure is counted in
 * bureau_login_failures and appended to the audit chain. Who a later request
 * is (cookie, token, cache) is auth.c's job.
 */
#include "identity.h"
#include "../../core/auth.h"
#include "../../base/arena.h"
#include "../../core/audit.h"
#include "../../base/buf.h"
#include "../../core/config.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../core/tenant.h"
#include "../../base/log.h"
#include "../../db/db.h"
#include "../../engine/record.h"
#include "../../engine/perm.h"
#include "../../engine/res.h"
#include "../../engine/rest.h"
#include "../notify/notify.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define USER_LIMIT 5    /* failures of one username within the window */
#define IP_LIMIT 20     /* failures from one address within the window */
#define MAX_SESSIONS 32 /* a user's newest sessions kept at sign-in */

static int64_t window_s(const struct req *r)
{
    return r->cfg && r->cfg->login_window_s ? r->cfg->login_window_s : 900;
}

static const char *peer(const struct req *r)
{
    return r->ip && *r->ip ? r->ip : "-";
}

/* Reads the string members names[0..n) of body; the first nreq are required;
 * any other member is refused. Collects every problem. */
static int body_strings(json_t *body, const char *const *names, int n, int nreq, const char **v,
                        size_t *vn, struct err *e)
{
    const char *k;
    json_t *j;
    json_object_foreach(body, k, j)
    {
        int i = 0;
        while (i < n && strcmp(k, names[i]))
            i++;
        if (i == n) {
            char q[140];
            err_quote(q, sizeof(q), k, strlen(k));
            err_field(e, q, "field.unknown", "unknown field");
        } else if (!json_is_string(j)) {
            if (!json_is_null(j) || i < nreq)
                err_field(e, names[i], "field.string", "must be a string");
        } else {
            v[i] = json_string_value(j);
            vn[i] = json_string_length(j);
        }
    }
    for (int i = 0; i < nreq; i++)
        if (!v[i] && !json_object_get(body, names[i]))
            err_field(e, names[i], "field.required", "is required");
    return e->nitems ? err_invalid(e) : 0;
}

/* The signed-in user's own body (a session's, never a token's): names as
 * body_strings reads them. */
static int own_body(struct req *r, json_t **body, const char *const *names, int n, int nreq,
                    const char **v, size_t *vn)
{
    int rc = auth_require(r);
    if (rc)
        return rc;
    if (r->who->token_id)
        return err_set(&r->err, ERR_BAD_REQUEST, NULL, "auth.token_no_session",
                       "an API token has no session: sign in as the user");
    if ((rc = rest_body_json(r, body, 0)))
        return rc;
    return body_strings(*body, names, n, nreq, v, vn, &r->err);
}

static int run(struct db_stmt *st, struct err *e)
{
    int rc = db_step(st, e);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static int rollback(struct db_conn *c, int rc)
{
    db_rollback(c);
    return rc;
}

static json_t *obj_ip_reason(const char *ip, const char *reason)
{
    json_t *o = json_object();
    json_object_set_new(o, "ip", json_string(ip));
    if (reason)
        json_object_set_new(o, "reason", json_string(reason));
    return o;
}

static int audit_user_event(struct db_conn *c, int64_t tenant, int64_t actor_id, const char *actor,
                            const char *action, int64_t user_id, json_t *after, struct err *e)
{
    struct audit_event ev = {
        .tenant_id = tenant,
        .actor_id = actor_id,
        .actor = actor,
        .action = action,
        .collection = "users",
        .record_id = user_id,
        .after = after,
    };
    return audit_append(c, &ev, e);
}

/* ---- brute-force limits ---- */

/* The time of the limit-th most recent failure still in the window (when
 * it leaves, the count falls below the limit), or 0 when under the limit. */
static int nth_failure(struct db_conn *c, int by_ip, int64_t tenant, const char *user,
                       const char *ip, int64_t since, int64_t *at, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(c,
                        by_ip ? "SELECT at FROM bureau_login_failures WHERE ip = ? AND at > ? "
                                "ORDER BY at DESC LIMIT 1 OFFSET ?"
                              : "SELECT at FROM bureau_login_failures WHERE tenant_id = ? AND "
                                "username = ? AND at > ? ORDER BY at DESC LIMIT 1 OFFSET ?",
                        &st, e);
    if (rc)
        return rc;
    int k = 1;
    if (by_ip) {
        db_bind_text(st, k++, ip, strlen(ip));
    } else {
        db_bind_int(st, k++, tenant);
        db_bind_text(st, k++, user, strlen(user));
    }
    db_bind_int(st, k++, since);
    db_bind_int(st, k++, (by_ip ? IP_LIMIT : USER_LIMIT) - 1);
    rc = db_step(st, e);
    *at = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* 1 (and *retry seconds) when user or ip is over its limit, 0 when not, <0. */
static int locked_out(struct req *r, struct db_conn *c, int64_t tenant, const char *user,
                      int64_t now, int64_t *retry, struct err *e)
{
    int64_t w = window_s(r), a = 0, b = 0;
    int rc = nth_failure(c, 0, tenant, user, NULL, now - w, &a, e);
    if (!rc)
        rc = nth_failure(c, 1, 0, NULL, peer(r), now - w, &b, e);
    if (rc)
        return rc;
    if (!a && !b)
        return 0;
    int64_t until = (a > b ? a : b) + w;
    *retry = until - now < 1 ? 1 : until - now;
    return 1;
}

/* Records one failed sign-in (counted and audited) in its own transaction.
 * counted = 0: audited only (a refusal while locked out must not extend it). */
static int record_failure(struct req *r, struct db_conn *c, int64_t tenant, const char *user,
                          int64_t user_id, const char *reason, int counted, struct err *e)
{
    struct db_stmt *st;
    int64_t now = clock_now();
    int rc = db_begin(c, e);
    if (rc)
        return rc;
    if (counted) {
        if ((rc = db_prepare_ints(c,
                                  "INSERT INTO bureau_login_failures (tenant_id, username, ip, at) "
                                  "VALUES (?, ?, ?, ?)",
                                  DB_INTS(tenant), &st, e)))
            return rollback(c, rc);
        db_bind_text(st, 2, user, strlen(user));
        db_bind_text(st, 3, peer(r), strlen(peer(r)));
        db_bind_int(st, 4, now);
        if ((rc = run(st, e)))
            return rollback(c, rc);
    }
    if (tenant) { /* an unknown tenant has no chain; the failure still counts for the address */
        json_t *after = obj_ip_reason(peer(r), reason);
        rc = audit_user_event(c, tenant, 0, user, "login_failed", user_id, after, e);
        json_decref(after);
        if (rc)
            return rollback(c, rc);
    }
    return db_commit(c, e);
}

static int too_many(struct req *r, int64_t retry)
{
    err_set(&r->err, ERR_TOO_MANY, NULL, "auth.locked_out",
            "too many failed sign-ins: try again in {seconds}%lld seconds", (long long)retry);
    /* rendered here: resp_problem drops headers set before it */
    resp_problem(r, -ERR_TOO_MANY);
    resp_header(r, "Retry-After", arena_printf(r->a, "%lld", (long long)retry));
    return 0;
}

/* ---- sign-in ---- */

struct user_row {
    int64_t id, role_id;
    int active, must_change;
    char hash[crypto_pwhash_STRBYTES];
    char display[256];
    int display_null;
    char role[40];
    char locale[8]; /* "" when unset */
};

/* 1 found, 0 not, <0 error. */
static int find_user(struct db_conn *c, int64_t tenant, const char *col, const char *name,
                     int64_t id, struct user_row *u, struct err *e)
{
    struct db_stmt *st;
    char sql[400];
    snprintf(
        sql, sizeof(sql),
        "SELECT u.id, u.password_hash, u.active, u.must_change_password, u.display_name, "
        "u.role_id, r.code, u.locale FROM users u JOIN roles r ON r.tenant_id = u.tenant_id AND "
        "r.id = u.role_id WHERE u.tenant_id = ? AND u.%s = ?",
        col); /* col is "username" or "id", never input */
    memset(u, 0, sizeof(*u));
    int rc = db_prepare_ints(c, sql, DB_INTS(tenant), &st, e);
    if (rc)
        return rc;
    if (name)
        db_bind_text(st, 2, name, strlen(name));
    else
        db_bind_int(st, 2, id);
    rc = db_step(st, e);
    if (rc == DB_ROW) {
        size_t n;
        const char *s;
        u->id = db_col_int(st, 0);
        s = db_col_text(st, 1, &n);
        if (n < sizeof(u->hash))
            memcpy(u->hash, s, n + 1); /* else left empty: never matches */
        u->active = db_col_int(st, 2) != 0;
        u->must_change = db_col_int(st, 3) != 0;
        u->display_null = db_col_is_null(st, 4);
        s = db_col_text(st, 4, &n);
        utf8_copy(u->display, sizeof(u->display) - 1, s, n);
        u->role_id = db_col_int(st, 5);
        s = db_col_text(st, 6, &n);
        utf8_copy(u->role, sizeof(u->role) - 1, s, n);
        s = db_col_text(st, 7, &n);
        utf8_copy(u->locale, sizeof(u->locale) - 1, s, n);
    }
    db_reset(st);
    return rc < 0 ? rc : rc == DB_ROW;
}

static const char *cookie_attrs(const struct req *r)
{
    return r->cfg && r->cfg->tls_cert ? "; Path=/; HttpOnly; SameSite=Strict; Secure"
                                      : "; Path=/; HttpOnly; SameSite=Strict";
}

static void render_user(struct buf *b, int64_t id, const char *username, const char *display,
                        const char *role, int64_t tenant, int must_change, const char *locale)
{
    buf_printf(b, "{\"id\":%lld,\"username\":", (long long)id);
    buf_json_str(b, username, strlen(username));
    buf_puts(b, ",\"display_name\":");
    if (display)
        buf_json_str(b, display, strlen(display));
    else
        buf_puts(b, "null");
    buf_puts(b, ",\"role\":");
    buf_json_str(b, role, strlen(role));
    buf_printf(b, ",\"tenant_id\":%lld,\"must_change_password\":%s", (long long)tenant,
               must_change ? "true" : "false");
    buf_puts(b, ",\"locale\":");
    if (locale && *locale)
        buf_json_str(b, locale, strlen(locale));
    else
        buf_puts(b, "null");
}

/* A cookie presented at sign-in names a session that ends now (no fixation). */
static int end_presented_session(struct req *r, struct db_conn *c)
{
    const char *h = req_header(r, "Cookie");
    char sid[128], hex[65];
    struct db_stmt *st;
    if (!h || auth_parse_cookie(h, AUTH_COOKIE, sid, sizeof(sid)))
        return 0;
    auth_sha256_hex(sid, strlen(sid), hex);
    auth_forget_session(sid);
    int rc = db_prepare(c, "DELETE FROM bureau_sessions WHERE id_hash = ?", &st, &r->err);
    if (rc)
        return rc;
    db_bind_text(st, 1, hex, 64);
    return run(st, &r->err);
}

static int start_session(struct req *r, struct db_conn *c, int64_t tenant, const char *username,
                         const struct user_row *u, const char *password)
{
    struct err *e = &r->err;
    char sid[AUTH_SECRET_LEN + 1], csrf[AUTH_SECRET_LEN + 1], hex[65];
    char rehash[crypto_pwhash_STRBYTES] = "";
    struct db_stmt *st;
    int64_t now = clock_now();
    int64_t idle = r->cfg && r->cfg->session_idle_s ? r->cfg->session_idle_s : 1800;
    int64_t max = r->cfg && r->cfg->session_max_s ? r->cfg->session_max_s : 43200;
    int rc;
    if (auth_password_needs_rehash(u->hash) && auth_hash_password(password, rehash, e))
        rehash[0] = 0; /* keep the old hash; try again next time */
    err_clear(e);
    auth_random_secret(sid);
    auth_random_secret(csrf);
    auth_sha256_hex(sid, AUTH_SECRET_LEN, hex);
    if ((rc = end_presented_session(r, c)) || (rc = db_begin(c, e)))
        return rc;
    if ((rc = db_prepare(c,
                         "INSERT INTO bureau_sessions (id_hash, tenant_id, user_id, csrf, "
                         "created_at, last_seen_at, ip) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         &st, e)))
        return rollback(c, rc);
    db_bind_text(st, 1, hex, 64);
    db_bind_int(st, 2, tenant);
    db_bind_int(st, 3, u->id);
    db_bind_text(st, 4, csrf, AUTH_SECRET_LEN);
    db_bind_int(st, 5, now);
    db_bind_int(st, 6, now);
    db_bind_text(st, 7, peer(r), strlen(peer(r)));
    if ((rc = run(st, e)))
        return rollback(c, rc);
    /* the user's expired sessions, and any beyond the newest MAX_SESSIONS */
    if ((rc = db_prepare_ints(
             c,
             "DELETE FROM bureau_sessions WHERE tenant_id = ? AND user_id = ? AND "
             "(last_seen_at < ? OR created_at < ? OR id_hash NOT IN (SELECT id_hash "
             "FROM bureau_sessions WHERE tenant_id = ? AND user_id = ? ORDER BY "
             "created_at DESC LIMIT ?))",
             DB_INTS(tenant, u->id, now - idle, now - max, tenant, u->id, MAX_SESSIONS), &st, e)))
        return rollback(c, rc);
    if ((rc = run(st, e)))
        return rollback(c, rc);
    /* bookkeeping, not an edit: version and updated_at stay */
    if ((rc = db_prepare(c,
                         rehash[0] ? "UPDATE users SET last_login_at = ?, password_hash = ? "
                                     "WHERE tenant_id = ? AND id = ?"
                                   : "UPDATE users SET last_login_at = ? WHERE tenant_id = ? "
                                     "AND id = ?",
                         &st, e)))
        return rollback(c, rc);
    int k = 1;
    db_bind_int(st, k++, now);
    if (rehash[0])
        db_bind_text(st, k++, rehash, strlen(rehash));
    db_bind_int(st, k++, tenant);
    db_bind_int(st, k++, u->id);
    if ((rc = run(st, e)))
        return rollback(c, rc);
    json_t *after = obj_ip_reason(peer(r), NULL);
    rc = audit_user_event(c, tenant, u->id, username, "login", u->id, after, e);
    json_decref(after);
    if (rc || (rc = db_commit(c, e)))
        return rollback(c, rc);
    resp_header(r, "Set-Cookie", arena_printf(r->a, "%s=%s%s", AUTH_COOKIE, sid, cookie_attrs(r)));
    buf_puts(&r->out, "{\"csrf\":");
    buf_json_str(&r->out, csrf, AUTH_SECRET_LEN);
    buf_puts(&r->out, ",\"user\":");
    render_user(&r->out, u->id, username, u->display_null ? NULL : u->display, u->role, tenant,
                u->must_change, u->locale);
    buf_puts(&r->out, "}}");
    sodium_memzero(sid, sizeof(sid));
    r->user = arena_strdup(r->a, username); /* for the access log */
    return resp_json(r, 200);
}

static int h_login(struct req *r)
{
    static const char *const names[] = {"username", "password", "tenant"};
    struct err *e = &r->err;
    const char *v[3] = {NULL, NULL, NULL};
    size_t vn[3] = {0, 0, 0};
    char user[AUTH_MAX_USERNAME + 1];
    json_t *body;
    int64_t tenant = 0, retry = 0;
    struct user_row u;
    int rc = rest_body_json(r, &body, 0);
    if (rc || (rc = body_strings(body, names, 3, 2, v, vn, e)))
        return rc;
    auth_note_config(r->cfg);
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    /* what gets recorded of the name tried: bounded, whole characters */
    utf8_copy(user, AUTH_MAX_USERNAME, v[0], vn[0]);
    if (v[2] && vn[2] > 64) /* longer than any tenant code */
        tenant = 0;
    else if ((rc = tenant_by_code(c, v[2], vn[2], &tenant, e)))
        return rc;
    if (vn[0] > AUTH_MAX_USERNAME || vn[1] > AUTH_MAX_PASSWORD) {
        if ((rc = record_failure(r, c, tenant, user, 0, "too_long", 1, e)))
            return rc;
        if (vn[0] > AUTH_MAX_USERNAME)
            err_field(e, "username", "field.too_long_bytes", "must be at most {max}%d bytes",
                      AUTH_MAX_USERNAME);
        if (vn[1] > AUTH_MAX_PASSWORD)
            err_field(e, "password", "field.too_long_bytes", "must be at most {max}%d bytes",
                      AUTH_MAX_PASSWORD);
        return err_invalid(e);
    }
    if ((rc = locked_out(r, c, tenant, user, clock_now(), &retry, e)) < 0)
        return rc;
    if (rc == 1) {
        if ((rc = record_failure(r, c, tenant, user, 0, "locked_out", 0, e)))
            return rc;
        return too_many(r, retry);
    }
    int found = 0;
    if (tenant && vn[0] == strlen(v[0]) &&
        (found = find_user(c, tenant, "username", v[0], 0, &u, e)) < 0)
        return found;
    if (!found)
        memset(&u, 0, sizeof(u));
    /* the same work whether or not the user exists (dummy hash when not) */
    int bad = auth_verify_password(found && u.active ? u.hash : NULL, v[1]) != 0;
    if (bad || !found || !u.active) {
        const char *why = !tenant     ? "unknown_tenant"
                          : !found    ? "unknown_user"
                          : !u.active ? "inactive"
                                      : "wrong_password";
        if ((rc = record_failure(r, c, tenant, user, u.id, why, 1, e)))
            return rc;
        return err_set(e, ERR_UNAUTHENTICATED, NULL, "auth.wrong_password",
                       "wrong username or password");
    }
    return start_session(r, c, tenant, v[0], &u, v[1]);
}

/* ---- who am I, sign-out ---- */

static int h_whoami(struct req *r)
{
    int rc = auth_require(r);
    if (rc)
        return rc;
    const struct principal *p = r->who;
    struct db_conn *c = req_db(r);
    struct user_row u;
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    int found = 0;
    if (!p->token_id &&
        (found = find_user(c, p->tenant_id, "id", NULL, p->user_id, &u, &r->err)) < 0)
        return found;
    render_user(&r->out, p->user_id, p->username, found && !u.display_null ? u.display : NULL,
                p->role_code, p->tenant_id, p->must_change_password, found ? u.locale : NULL);
    if (p->token_id) {
        buf_printf(&r->out, ",\"token_id\":%lld,\"csrf\":null}", (long long)p->token_id);
    } else {
        buf_puts(&r->out, ",\"csrf\":");
        buf_json_str(&r->out, p->csrf, strlen(p->csrf));
        buf_putc(&r->out, '}');
    }
    return resp_json(r, 200);
}

/* PATCH /api/v1/session {"locale": "en" | "zh-CN" | null}: the caller's own
 * preferences, kept on their user record (an audited update of it). */
static int h_prefs(struct req *r)
{
    static const char *const names[] = {"locale"};
    struct err *e = &r->err;
    const char *v[1] = {NULL};
    size_t vn[1] = {0};
    json_t *body;
    int rc = own_body(r, &body, names, 1, 0, v, vn);
    if (rc)
        return rc;
    const struct principal *p = r->who;
    const struct res_entity *users = res_find("users", 5);
    const struct res_field *f = users ? res_field_find(users, "locale", 6) : NULL;
    if (!f)
        return err_set(e, ERR_INTERNAL, NULL, NULL, "users have no locale field");
    if (v[0]) {
        const struct res_enum *x = f->values;
        while (x->value && strcmp(x->value, v[0]))
            x++;
        if (!x->value || vn[0] != strlen(v[0])) {
            err_field(e, "locale", "field.enum", "must be one of zh-CN, en");
            return err_invalid(e);
        }
    }
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    if (json_object_size(body)) { /* {} changes nothing */
        /* the caller's own record, whatever their scope on users */
        r->scope_ent = users;
        r->scope = SCOPE_TENANT;
        json_t *patch = json_object();
        json_object_set_new(patch, "locale", v[0] ? json_string(v[0]) : json_null());
        rc = rec_update_trusted(r, c, users, p->user_id, patch, e);
        json_decref(patch);
        if (rc)
            return rc;
    }
    return h_whoami(r);
}

static int h_logout(struct req *r)
{
    char sid[128], hex[65];
    struct db_stmt *st;
    int rc = auth_require(r);
    if (rc)
        return rc;
    const struct principal *p = r->who;
    const char *h = req_header(r, "Cookie");
    if (p->token_id || !h || auth_parse_cookie(h, AUTH_COOKIE, sid, sizeof(sid)))
        return err_set(&r->err, ERR_BAD_REQUEST, NULL, "auth.token_no_session",
                       "an API token has no session: revoke the token instead");
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    auth_sha256_hex(sid, strlen(sid), hex);
    if ((rc = db_begin(c, &r->err)))
        return rc;
    if ((rc = db_prepare(c, "DELETE FROM bureau_sessions WHERE id_hash = ?", &st, &r->err)))
        return rollback(c, rc);
    db_bind_text(st, 1, hex, 64);
    if ((rc = run(st, &r->err)))
        return rollback(c, rc);
    json_t *after = obj_ip_reason(peer(r), NULL);
    rc = audit_user_event(c, p->tenant_id, p->user_id, p->username, "logout", p->user_id, after,
                          &r->err);
    json_decref(after);
    if (rc || (rc = db_commit(c, &r->err)))
        return rollback(c, rc);
    auth_forget_session(sid);
    resp_header(r, "Set-Cookie",
                arena_printf(r->a, "%s=%s; Max-Age=0", AUTH_COOKIE, cookie_attrs(r)));
    r->status = 204;
    return 0;
}

/* ---- passwords ---- */

/* Sets the password hash of a user and ends sessions (all but keep_hex). */
static int store_password(struct db_conn *c, int64_t tenant, int64_t user, const char *hash,
                          int must_change, const char *keep_hex, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(c,
                        "UPDATE users SET password_hash = ?, must_change_password = ?, "
                        "version = version + 1, updated_at = ? WHERE tenant_id = ? AND id = ?",
                        &st, e);
    if (rc)
        return rc;
    db_bind_text(st, 1, hash, strlen(hash));
    db_bind_int(st, 2, must_change);
    db_bind_int(st, 3, clock_now());
    db_bind_int(st, 4, tenant);
    db_bind_int(st, 5, user);
    if ((rc = run(st, e)))
        return rc;
    if ((rc = db_prepare(c,
                         keep_hex ? "DELETE FROM bureau_sessions WHERE tenant_id = ? AND "
                                    "user_id = ? AND id_hash <> ?"
                                  : "DELETE FROM bureau_sessions WHERE tenant_id = ? AND "
                                    "user_id = ?",
                         &st, e)))
        return rc;
    db_bind_int(st, 1, tenant);
    db_bind_int(st, 2, user);
    if (keep_hex)
        db_bind_text(st, 3, keep_hex, 64);
    return run(st, e);
}

static json_t *must_change_json(int v)
{
    json_t *o = json_object();
    json_object_set_new(o, "must_change_password", json_boolean(v));
    return o;
}

static int h_password(struct req *r)
{
    static const char *const names[] = {"current", "new"};
    struct err *e = &r->err;
    const char *v[2] = {NULL, NULL};
    size_t vn[2] = {0, 0};
    char hash[crypto_pwhash_STRBYTES], sid[128], keep[65] = "", uname[AUTH_MAX_USERNAME + 1];
    struct user_row u;
    int64_t retry = 0;
    json_t *body;
    int rc = own_body(r, &body, names, 2, 2, v, vn);
    if (rc)
        return rc;
    const struct principal *p = r->who;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    if ((rc = find_user(c, p->tenant_id, "id", NULL, p->user_id, &u, e)) < 0)
        return rc;
    if (!rc)
        return err_set(e, ERR_UNAUTHENTICATED, NULL, "auth.required", "sign in first");
    utf8_copy(uname, AUTH_MAX_USERNAME, p->username, strlen(p->username));
    if ((rc = locked_out(r, c, p->tenant_id, uname, clock_now(), &retry, e)) < 0)
        return rc;
    if (rc == 1)
        return too_many(r, retry);
    int wrong = vn[0] > AUTH_MAX_PASSWORD || strlen(v[0]) != vn[0] ||
                auth_verify_password(u.hash, v[0]) != 0;
    if (wrong) {
        if ((rc = record_failure(r, c, p->tenant_id, uname, p->user_id, "wrong_current_password", 1,
                                 e)))
            return rc;
        err_field(e, "current", "password.wrong_current", "is not your current password");
    }
    struct err e2;
    err_clear(&e2);
    if (strlen(v[1]) != vn[1])
        err_field(e, "new", "field.control", "must not contain NUL characters");
    else if (auth_password_ok(uname, v[1], "new", &e2))
        err_add(e, "new", &e2.items[0]);
    else if (!wrong && !strcmp(v[0], v[1]))
        err_field(e, "new", "password.same", "must differ from the current password");
    if (e->nitems)
        return err_invalid(e);
    if ((rc = auth_hash_password(v[1], hash, e)))
        return rc;
    const char *h = req_header(r, "Cookie");
    if (h && !auth_parse_cookie(h, AUTH_COOKIE, sid, sizeof(sid)))
        auth_sha256_hex(sid, strlen(sid), keep);
    if ((rc = db_begin(c, e)))
        return rc;
    rc = store_password(c, p->tenant_id, p->user_id, hash, 0, keep[0] ? keep : NULL, e);
    if (!rc) {
        json_t *after = must_change_json(0);
        rc = audit_user_event(c, p->tenant_id, p->user_id, p->username, "password_change",
                              p->user_id, after, e);
        json_decref(after);
    }
    if (rc || (rc = db_commit(c, e)))
        return rollback(c, rc);
    auth_forget_user(p->tenant_id, p->user_id);
    r->status = 204;
    return 0;
}

int auth_action_reset_password(struct req *r, const struct res_entity *ent, int64_t id,
                               json_t *body)
{
    static const char *const names[] = {"password"};
    struct err *e = &r->err;
    const char *v[1] = {NULL};
    size_t vn[1] = {0};
    char hash[crypto_pwhash_STRBYTES], uname[AUTH_MAX_USERNAME + 1];
    struct db_stmt *st;
    int rc = auth_require(r);
    if (rc || (rc = body_strings(body, names, 1, 1, v, vn, e)))
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    /* read within the caller's scope for this action: a user outside it is 404 */
    json_t *old = NULL;
    if ((rc = rec_load(r, c, ent, id, &old, e)))
        return rc;
    const char *un = json_string_value(json_object_get(old, "username"));
    utf8_copy(uname, AUTH_MAX_USERNAME, un ? un : "", un ? strlen(un) : 0);
    json_decref(old);
    if (strlen(v[0]) != vn[0])
        return err_set(e, ERR_INVALID, "password", "field.control",
                       "must not contain NUL characters");
    if ((rc = auth_password_ok(uname, v[0], "password", e)) ||
        (rc = auth_hash_password(v[0], hash, e)))
        return rc;
    if ((rc = db_begin(c, e)))
        return rc;
    rc = store_password(c, r->tenant_id, id, hash, 1, NULL, e);
    /* a fresh start: the user's failed sign-ins no longer lock the account */
    if (!rc && !(rc = db_prepare(c,
                                 "DELETE FROM bureau_login_failures WHERE tenant_id = ? AND "
                                 "username = ?",
                                 &st, e))) {
        db_bind_int(st, 1, r->tenant_id);
        db_bind_text(st, 2, uname, strlen(uname));
        rc = run(st, e);
    }
    if (!rc) {
        json_t *after = must_change_json(1);
        rc = audit_user_event(c, r->tenant_id, r->user_id,
                              r->user && strcmp(r->user, "-") ? r->user : NULL, "password_reset",
                              id, after, e);
        json_decref(after);
    }
    if (!rc)
        rc = notify_user(r, c, id, "identity.password_reset", "您的密码已被管理员重置",
                         "请使用管理员告知的新密码登录，并在登录后立即设置自己的密码。", "users",
                         id, e);
    if (rc || (rc = db_commit(c, e)))
        return rollback(c, rc);
    auth_forget_user(r->tenant_id, id);
    int64_t version;
    if ((rc = rec_get(r, c, ent, id, &r->out, &version, e)))
        return rc;
    resp_header(r, "ETag", arena_printf(r->a, "\"%lld\"", (long long)version));
    return resp_json(r, 200);
}

const struct route auth_routes[] = {
    {.method = HTTP_POST,
     .pattern = "/api/v1/session",
     .fn = h_login,
     .is_public = 1,
     .while_must_change = 1,
     .throttled = 1},
    {.method = HTTP_GET, .pattern = "/api/v1/session", .fn = h_whoami, .while_must_change = 1},
    {.method = HTTP_DELETE, .pattern = "/api/v1/session", .fn = h_logout, .while_must_change = 1},
    {.method = HTTP_PATCH, .pattern = "/api/v1/session", .fn = h_prefs, .while_must_change = 1},
    {.method = HTTP_POST,
     .pattern = "/api/v1/session/password",
     .fn = h_password,
     .while_must_change = 1,
     .throttled = 1},
    {.method = HTTP_POST, .pattern = "/api/v1/api_tokens", .fn = auth_token_create},
    {0},
};
