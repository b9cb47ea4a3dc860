/* SPDX-License-Identifier: MIT
 * auth.c - who is calling: parses the bearer token or the session cookie,
 * finds the session or API token (a per-process cache in front of the
 * database), checks expiry and CSRF, and fills the request's principal.
 * Also the first admin of a new tenant and the purge job. Sign-in and
 * sign-out are in session.c, token creation in token.c, hashing in
 * password.c.
 */
#include "auth.h"
#include "../base/arena.h"
#include "config.h"
#include "../base/base.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "http.h"
#include "../base/log.h"
#include "tenant.h"
#include "../db/db.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HEADER_MAX 8192       /* bytes of a Cookie/Authorization header we look at */
#define CACHE_SLOTS 1024      /* direct-mapped; a collision evicts */
#define CACHE_TTL_US 5000000u /* a cached lookup is trusted this long */
#define TOKEN_TOUCH_S 60      /* last_used_at is written at most this often */

/* ---- settings ---- */

static const struct config *cur_cfg;

void auth_note_config(const struct config *cfg)
{
    if (cfg && __atomic_load_n(&cur_cfg, __ATOMIC_ACQUIRE) != cfg)
        __atomic_store_n(&cur_cfg, cfg, __ATOMIC_RELEASE);
}

static void settings(const struct config *cfg, int64_t *idle, int64_t *max, int64_t *window)
{
    if (!cfg)
        cfg = __atomic_load_n(&cur_cfg, __ATOMIC_ACQUIRE);
    *idle = cfg && cfg->session_idle_s ? cfg->session_idle_s : 1800;
    *max = cfg && cfg->session_max_s ? cfg->session_max_s : 43200;
    *window = cfg && cfg->login_window_s ? cfg->login_window_s : 900;
}

/* last_seen_at is written at most once a minute, but often enough that a
 * short idle limit (tests use 2 s) does not end an active session. */
static int64_t touch_interval(int64_t idle)
{
    int64_t t = idle / 4;
    return t < 1 ? 1 : t > 60 ? 60 : t;
}

static int session_expired(const struct config *cfg, int64_t now, int64_t created, int64_t seen)
{
    int64_t idle, max, window;
    settings(cfg, &idle, &max, &window);
    return now - seen >= idle || now - created >= max;
}

/* ---- small helpers ---- */

void auth_random_secret(char *out)
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(out, AUTH_SECRET_LEN + 1, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
}

void auth_sha256_hex(const char *p, size_t n, char *out)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)p, n);
    sodium_bin2hex(out, 65, h, sizeof(h));
}

static int is_b64url(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

/* 1 when s is exactly one secret as auth_random_secret makes them. */
static int is_secret(const char *s)
{
    size_t i = 0;
    while (i < AUTH_SECRET_LEN && is_b64url(s[i]))
        i++;
    return i == AUTH_SECRET_LEN && s[i] == 0;
}

static int unauth(struct req *r, const char *key, const char *msg)
{
    return err_set(&r->err, ERR_UNAUTHENTICATED, NULL, key, "%s", msg);
}

/* ---- header parsing (outside input: bounded, never reads past the NUL) ---- */

static int is_ws(char c)
{
    return c == ' ' || c == '\t';
}

int auth_parse_cookie(const char *h, const char *name, char *out, size_t outn)
{
    size_t len = strnlen(h, HEADER_MAX), nn = strlen(name), i = 0;
    if (outn)
        out[0] = 0;
    while (i < len) {
        while (i < len && (is_ws(h[i]) || h[i] == ';'))
            i++;
        size_t ks = i;
        while (i < len && h[i] != '=' && h[i] != ';')
            i++;
        size_t ke = i;
        while (ke > ks && is_ws(h[ke - 1]))
            ke--;
        if (i >= len || h[i] == ';')
            continue; /* a pair without '=': ignored */
        i++;
        while (i < len && is_ws(h[i]))
            i++;
        size_t vs = i;
        while (i < len && h[i] != ';')
            i++;
        size_t ve = i;
        while (ve > vs && is_ws(h[ve - 1]))
            ve--;
        if (ke - ks != nn || memcmp(h + ks, name, nn))
            continue;
        if (ve - vs >= 2 && h[vs] == '"' && h[ve - 1] == '"') {
            vs++;
            ve--;
        }
        if (ve - vs >= outn)
            return -ERR_BAD_REQUEST;
        for (size_t k = vs; k < ve; k++) {
            unsigned char c = (unsigned char)h[k];
            /* RFC 6265 cookie-octet: printable ASCII but DQUOTE , ; \ */
            if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',' || c == ';' || c == '\\')
                return -ERR_BAD_REQUEST;
        }
        memcpy(out, h + vs, ve - vs);
        out[ve - vs] = 0;
        return 0;
    }
    return -ERR_UNAUTHENTICATED;
}

static int is_token68(char c)
{
    return is_b64url(c) || c == '.' || c == '~' || c == '+' || c == '/';
}

int auth_parse_bearer(const char *h, char *out, size_t outn)
{
    size_t len = strnlen(h, HEADER_MAX), i = 0;
    if (outn)
        out[0] = 0;
    while (i < len && is_ws(h[i]))
        i++;
    if (len - i < 6 || strncasecmp(h + i, "Bearer", 6))
        return -ERR_UNAUTHENTICATED;
    i += 6;
    if (i < len && !is_ws(h[i]))
        return -ERR_UNAUTHENTICATED; /* another scheme that starts with "Bearer" */
    while (i < len && is_ws(h[i]))
        i++;
    size_t s = i;
    while (i < len && is_token68(h[i]))
        i++;
    while (i < len && h[i] == '=')
        i++;
    size_t e = i;
    while (i < len && is_ws(h[i]))
        i++;
    if (e == s || i != len || h[len] != 0 || e - s >= outn)
        return -ERR_BAD_REQUEST;
    memcpy(out, h + s, e - s);
    out[e - s] = 0;
    return 0;
}

/* ---- the lookup cache: SHA-256 of the secret -> principal snapshot ---- */

struct centry {
    unsigned char key[32];
    int used;
    uint64_t at_us;
    /* session: created_at, last_seen_at; token: expires_at (0: none), last_used_at */
    int64_t t1, t2;
    struct principal p;
};

static struct centry cache[CACHE_SLOTS];
static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;

static struct centry *slot(const unsigned char *key)
{
    return &cache[((unsigned)key[0] | (unsigned)key[1] << 8) % CACHE_SLOTS];
}

static int cache_get(const unsigned char *key, struct principal *p, int64_t *t1, int64_t *t2)
{
    int hit = 0;
    uint64_t now = clock_us();
    pthread_mutex_lock(&cache_mu);
    struct centry *c = slot(key);
    if (c->used && !memcmp(c->key, key, 32)) {
        if (now - c->at_us < CACHE_TTL_US) {
            memcpy(p, &c->p, sizeof(*p));
            *t1 = c->t1;
            *t2 = c->t2;
            hit = 1;
        } else {
            c->used = 0;
        }
    }
    pthread_mutex_unlock(&cache_mu);
    return hit;
}

static void cache_put(const unsigned char *key, const struct principal *p, int64_t t1, int64_t t2)
{
    pthread_mutex_lock(&cache_mu);
    struct centry *c = slot(key);
    memcpy(c->key, key, 32);
    memcpy(&c->p, p, sizeof(*p));
    c->t1 = t1;
    c->t2 = t2;
    c->at_us = clock_us();
    c->used = 1;
    pthread_mutex_unlock(&cache_mu);
}

static void cache_touch(const unsigned char *key, int64_t t2)
{
    pthread_mutex_lock(&cache_mu);
    struct centry *c = slot(key);
    if (c->used && !memcmp(c->key, key, 32))
        c->t2 = t2;
    pthread_mutex_unlock(&cache_mu);
}

static void cache_drop(const unsigned char *key)
{
    pthread_mutex_lock(&cache_mu);
    struct centry *c = slot(key);
    if (c->used && !memcmp(c->key, key, 32))
        c->used = 0;
    pthread_mutex_unlock(&cache_mu);
}

void auth_forget_user(int64_t tenant_id, int64_t user_id)
{
    pthread_mutex_lock(&cache_mu);
    for (size_t i = 0; i < CACHE_SLOTS; i++)
        if (cache[i].used && !cache[i].p.token_id && cache[i].p.user_id == user_id &&
            cache[i].p.tenant_id == tenant_id)
            cache[i].used = 0;
    pthread_mutex_unlock(&cache_mu);
}

void auth_forget_token(int64_t tenant_id, int64_t token_id)
{
    pthread_mutex_lock(&cache_mu);
    for (size_t i = 0; i < CACHE_SLOTS; i++)
        if (cache[i].used && cache[i].p.token_id == token_id && cache[i].p.tenant_id == tenant_id)
            cache[i].used = 0;
    pthread_mutex_unlock(&cache_mu);
}

static void session_key(const char *sid, unsigned char *key, char *hex)
{
    crypto_hash_sha256(key, (const unsigned char *)sid, strlen(sid));
    if (hex)
        sodium_bin2hex(hex, 65, key, 32);
}

void auth_forget_session(const char *session_id)
{
    unsigned char key[32];
    session_key(session_id, key, NULL);
    cache_drop(key);
}

/* ---- loading principals ---- */

/* The department and its descendants (at most AUTH_MAX_SUBTREE). */
static int load_subtree(struct db_conn *c, struct principal *p, struct err *e)
{
    struct db_stmt *st;
    p->nsubtree = 0;
    if (!p->department_id)
        return 0;
    int rc = db_prepare_ints(
        c,
        "WITH RECURSIVE sub(id) AS (SELECT id FROM departments WHERE "
        "tenant_id = ? AND id = ? UNION SELECT d.id FROM departments d JOIN sub "
        "ON d.parent_id = sub.id WHERE d.tenant_id = ?) SELECT id FROM sub LIMIT ?",
        DB_INTS(p->tenant_id, p->department_id, p->tenant_id, AUTH_MAX_SUBTREE), &st, e);
    if (rc)
        return rc;
    while ((rc = db_step(st, e)) == DB_ROW && p->nsubtree < AUTH_MAX_SUBTREE)
        p->subtree[p->nsubtree++] = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static void set_principal(struct req *r, struct principal *p)
{
    r->who = p;
    r->user_id = p->user_id;
    r->user = p->username;
    r->tenant_id = p->tenant_id;
    if (r->dbc) /* req_db() read the offset of the default tenant: read it again */
        r->utc_offset_min =
            tenant_utc_offset(r->dbc, r->tenant_id, r->cfg ? r->cfg->utc_offset_min : 480);
}

static int delete_session(struct db_conn *c, const char *hex, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(c, "DELETE FROM bureau_sessions WHERE id_hash = ?", &st, e);
    if (rc)
        return rc;
    db_bind_text(st, 1, hex, 64);
    rc = db_step(st, e);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* The row of a secret whose hash is hex (sql's one parameter): 1 with the
 * row on *st (the caller reads it, then resets it) and p's fixed part
 * cleared, 0 when there is none, or <0. */
static int by_hash(struct db_conn *c, const char *sql, const char *hex, struct principal *p,
                   struct db_stmt **st, struct err *e)
{
    int rc = db_prepare(c, sql, st, e);
    if (rc)
        return rc;
    db_bind_text(*st, 1, hex, 64);
    rc = db_step(*st, e);
    if (rc != DB_ROW) {
        db_reset(*st);
        return rc < 0 ? rc : 0;
    }
    memset(p, 0, offsetof(struct principal, subtree));
    return 1;
}

/* Copies text column i of st into dst (size bytes, always terminated). */
static void col_copy(struct db_stmt *st, int i, char *dst, size_t size)
{
    size_t n;
    const char *s = db_col_text(st, i, &n);
    utf8_copy(dst, size - 1, s, n);
}

/* Reads the session and its user. 1 found (p filled), 0 absent, or <0. *active
 * is 0 when the user was deactivated. */
static int load_session(struct db_conn *c, const char *hex, struct principal *p, int64_t *created,
                        int64_t *seen, int *active, struct err *e)
{
    struct db_stmt *st;
    int rc = by_hash(c,
                     "SELECT s.tenant_id, s.user_id, s.csrf, s.created_at, s.last_seen_at, "
                     "u.username, u.role_id, u.person_id, u.must_change_password, u.active, "
                     "r.code, p.department_id FROM bureau_sessions s "
                     "JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id "
                     "JOIN roles r ON r.tenant_id = u.tenant_id AND r.id = u.role_id "
                     "LEFT JOIN people p ON p.tenant_id = u.tenant_id AND p.id = u.person_id "
                     "WHERE s.id_hash = ?",
                     hex, p, &st, e);
    if (rc <= 0)
        return rc;
    p->tenant_id = db_col_int(st, 0);
    p->user_id = db_col_int(st, 1);
    col_copy(st, 2, p->csrf, sizeof(p->csrf));
    *created = db_col_int(st, 3);
    *seen = db_col_int(st, 4);
    col_copy(st, 5, p->username, sizeof(p->username));
    p->role_id = db_col_int(st, 6);
    p->person_id = db_col_is_null(st, 7) ? 0 : db_col_int(st, 7);
    p->must_change_password = db_col_int(st, 8) != 0;
    *active = db_col_int(st, 9) != 0;
    col_copy(st, 10, p->role_code, sizeof(p->role_code));
    p->department_id = db_col_is_null(st, 11) ? 0 : db_col_int(st, 11);
    db_reset(st);
    rc = load_subtree(c, p, e);
    return rc < 0 ? rc : 1;
}

static int is_mutation(enum http_method m)
{
    return m != HTTP_GET && m != HTTP_HEAD && m != HTTP_OPTIONS;
}

static int check_csrf(struct req *r, const struct principal *p)
{
    if (!is_mutation(r->method))
        return 0;
    const char *t = req_header(r, "X-CSRF-Token");
    size_t m = strlen(p->csrf);
    if (!t || !m || strnlen(t, sizeof(p->csrf)) != m || sodium_memcmp(t, p->csrf, m))
        return err_set(&r->err, ERR_FORBIDDEN, NULL, "auth.csrf", "missing or wrong CSRF token");
    return 0;
}

static int session_auth(struct req *r, const char *sid)
{
    unsigned char key[32];
    char hex[65];
    int64_t created = 0, seen = 0, now = clock_now(), idle, max, window;
    struct db_conn *c;
    int rc;
    if (!is_secret(sid))
        return unauth(r, "auth.session_invalid", "the session cookie is not valid: sign in again");
    struct principal *p = arena_alloc(r->a, sizeof(*p));
    if (!p)
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    session_key(sid, key, hex);
    int hit = cache_get(key, p, &created, &seen);
    if (hit && session_expired(r->cfg, now, created, seen)) {
        cache_drop(key); /* the database decides: another process may have seen it */
        hit = 0;
    }
    if (!hit) {
        int active = 0;
        if (!(c = req_db(r)))
            return -ERR_DB_UNAVAILABLE;
        rc = load_session(c, hex, p, &created, &seen, &active, &r->err);
        if (rc < 0)
            return rc;
        if (rc == 0)
            return unauth(r, "auth.signed_out", "you are signed out: sign in again");
        if (!active || session_expired(r->cfg, now, created, seen)) {
            if ((rc = delete_session(c, hex, &r->err)))
                return rc;
            return unauth(r, "auth.session_expired",
                          active ? "your session has expired: sign in again"
                                 : "this account is disabled");
        }
        cache_put(key, p, created, seen);
    }
    if ((rc = check_csrf(r, p)))
        return rc;
    settings(r->cfg, &idle, &max, &window);
    if (now - seen >= touch_interval(idle)) {
        struct db_stmt *st;
        struct err e2;
        err_clear(&e2);
        if (!(c = req_db(r)))
            return -ERR_DB_UNAVAILABLE;
        rc = db_prepare(c, "UPDATE bureau_sessions SET last_seen_at = ? WHERE id_hash = ?", &st,
                        &e2);
        if (!rc) {
            db_bind_int(st, 1, now);
            db_bind_text(st, 2, hex, 64);
            rc = db_step(st, &e2);
            db_reset(st);
        }
        if (rc < 0)
            log_warn("rid=%s cannot refresh a session: %s", r->rid, e2.detail);
        else
            cache_touch(key, now);
    }
    set_principal(r, p);
    return 0;
}

/* 1 found (p filled; *revoked set), 0 absent, or <0. */
static int load_token(struct db_conn *c, const char *hex, struct principal *p, int64_t *expires,
                      int64_t *used, int *revoked, struct err *e)
{
    struct db_stmt *st;
    int rc = by_hash(c,
                     "SELECT t.id, t.tenant_id, t.name, t.role_id, t.expires_at, t.revoked_at, "
                     "t.last_used_at, t.created_by, r.code FROM api_tokens t "
                     "JOIN roles r ON r.tenant_id = t.tenant_id AND r.id = t.role_id "
                     "WHERE t.token_hash = ?",
                     hex, p, &st, e);
    if (rc <= 0)
        return rc;
    p->token_id = db_col_int(st, 0);
    p->tenant_id = db_col_int(st, 1);
    memcpy(p->username, "token:", 6);
    col_copy(st, 2, p->username + 6, sizeof(p->username) - 6);
    p->role_id = db_col_int(st, 3);
    *expires = db_col_is_null(st, 4) ? 0 : db_col_int(st, 4);
    *revoked = !db_col_is_null(st, 5);
    *used = db_col_is_null(st, 6) ? 0 : db_col_int(st, 6);
    p->user_id = db_col_is_null(st, 7) ? 0 : db_col_int(st, 7);
    col_copy(st, 8, p->role_code, sizeof(p->role_code));
    db_reset(st);
    return 1;
}

static int token_auth(struct req *r, const char *tok)
{
    unsigned char key[32];
    char hex[65];
    int64_t expires = 0, used = 0, now = clock_now();
    struct db_conn *c;
    size_t plen = strlen(AUTH_TOKEN_PREFIX);
    int rc;
    if (strncmp(tok, AUTH_TOKEN_PREFIX, plen) || !is_secret(tok + plen))
        return unauth(r, "auth.token_unknown", "unknown API token");
    struct principal *p = arena_alloc(r->a, sizeof(*p));
    if (!p)
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    crypto_hash_sha256(key, (const unsigned char *)tok, strlen(tok));
    sodium_bin2hex(hex, sizeof(hex), key, sizeof(key));
    if (!cache_get(key, p, &expires, &used)) {
        int revoked = 0;
        if (!(c = req_db(r)))
            return -ERR_DB_UNAVAILABLE;
        rc = load_token(c, hex, p, &expires, &used, &revoked, &r->err);
        if (rc < 0)
            return rc;
        if (rc == 0)
            return unauth(r, "auth.token_unknown", "unknown API token");
        if (revoked)
            return unauth(r, "auth.token_revoked", "this API token was revoked");
        cache_put(key, p, expires, used);
    }
    if (expires && now >= expires)
        return unauth(r, "auth.token_expired", "this API token has expired");
    if (now - used >= TOKEN_TOUCH_S) {
        struct db_stmt *st;
        struct err e2;
        err_clear(&e2);
        if (!(c = req_db(r)))
            return -ERR_DB_UNAVAILABLE;
        rc = db_prepare(c, "UPDATE api_tokens SET last_used_at = ? WHERE tenant_id = ? AND id = ?",
                        &st, &e2);
        if (!rc) {
            db_bind_int(st, 1, now);
            db_bind_int(st, 2, p->tenant_id);
            db_bind_int(st, 3, p->token_id);
            rc = db_step(st, &e2);
            db_reset(st);
        }
        if (rc < 0)
            log_warn("rid=%s cannot record a token's use: %s", r->rid, e2.detail);
        else
            cache_touch(key, now);
    }
    set_principal(r, p);
    return 0;
}

int auth_authenticate(struct req *r)
{
    char buf[128];
    int rc;
    auth_note_config(r->cfg);
    r->who = NULL;
    const char *h = req_header(r, "Authorization");
    if (h) {
        rc = auth_parse_bearer(h, buf, sizeof(buf));
        if (rc == 0)
            return token_auth(r, buf);
        if (rc != -ERR_UNAUTHENTICATED)
            return unauth(r, "auth.token_malformed", "malformed bearer token");
        /* another scheme (e.g. Basic from a proxy): look at the cookie */
    }
    h = req_header(r, "Cookie");
    if (h) {
        rc = auth_parse_cookie(h, AUTH_COOKIE, buf, sizeof(buf));
        if (rc == 0)
            return session_auth(r, buf);
        if (rc != -ERR_UNAUTHENTICATED)
            return unauth(r, "auth.session_invalid",
                          "the session cookie is not valid: sign in again");
    }
    return unauth(r, "auth.required", "sign in first");
}

int auth_require(struct req *r)
{
    if (r->who)
        return 0;
    return auth_authenticate(r);
}

/* ---- the first admin ---- */

static void random_password(char *out, size_t n)
{
    static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    for (size_t i = 0; i + 1 < n; i++)
        out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
    out[n - 1] = 0;
}

int auth_bootstrap_admin(struct db_conn *c, int64_t tenant_id, int use_env, struct err *e)
{
    struct db_stmt *st;
    char pw[AUTH_MAX_PASSWORD + 1], hash[crypto_pwhash_STRBYTES];
    int64_t any, role;
    int rc = db_one_int(c, "SELECT 1 FROM users WHERE tenant_id = ? LIMIT 1", DB_INTS(tenant_id),
                        &any, e);
    if (rc)
        return rc < 0 ? rc : 0; /* the tenant has users already */
    if ((rc = db_one_int(c, "SELECT id FROM roles WHERE tenant_id = ? AND code = 'admin'",
                         DB_INTS(tenant_id), &role, e)) < 0)
        return rc;
    if (!role)
        return err_set(e, ERR_INTERNAL, NULL, NULL, "tenant %lld has no role 'admin'",
                       (long long)tenant_id);
    const char *env = use_env ? getenv("BUREAU_ADMIN_PASSWORD") : NULL;
    int from_env = env && *env;
    if (from_env) {
        if (strnlen(env, sizeof(pw)) >= sizeof(pw))
            return err_set(e, ERR_INVALID, "BUREAU_ADMIN_PASSWORD", "field.too_long_bytes",
                           "must be at most {max}%d bytes", AUTH_MAX_PASSWORD);
        if ((rc = auth_password_ok("admin", env, "BUREAU_ADMIN_PASSWORD", e))) {
            char msg[160];
            snprintf(msg, sizeof(msg), "%.159s", e->detail);
            snprintf(e->detail, sizeof(e->detail), "BUREAU_ADMIN_PASSWORD %s", msg);
            return rc;
        }
        snprintf(pw, sizeof(pw), "%s", env);
    } else {
        random_password(pw, 17);
    }
    rc = auth_hash_password(pw, hash, e);
    if (!rc)
        rc = db_prepare(c,
                        "INSERT INTO users (tenant_id, version, created_at, updated_at, username, "
                        "display_name, role_id, password_hash, must_change_password, active) "
                        "VALUES (?, 1, ?, ?, 'admin', ?, ?, ?, ?, 1)",
                        &st, e);
    if (!rc) {
        static const char name[] = "系统管理员";
        int64_t now = clock_now();
        db_bind_int(st, 1, tenant_id);
        db_bind_int(st, 2, now);
        db_bind_int(st, 3, now);
        db_bind_text(st, 4, name, sizeof(name) - 1);
        db_bind_int(st, 5, role);
        db_bind_text(st, 6, hash, strlen(hash));
        db_bind_int(st, 7, !from_env);
        rc = db_step(st, e);
        db_reset(st);
        rc = rc < 0 ? rc : 0;
    }
    if (!rc && !from_env)
        fprintf(stderr,
                "admin password: %s\n(tenant %lld; shown once; it must be changed at first "
                "sign-in)\n",
                pw, (long long)tenant_id);
    sodium_memzero(pw, sizeof(pw));
    return rc;
}

/* ---- housekeeping ---- */

int auth_purge(struct db_conn *c, int64_t now, struct err *e)
{
    int64_t idle, max, window;
    settings(NULL, &idle, &max, &window);
    if (!__atomic_load_n(&cur_cfg, __ATOMIC_ACQUIRE)) /* settings not known yet: the longest */
        idle = max = window = 30 * 86400;
    int64_t rc =
        db_exec_ints(c, "DELETE FROM bureau_sessions WHERE last_seen_at < ? OR created_at < ?",
                     DB_INTS(now - idle, now - max), e);
    if (rc >= 0)
        rc = db_exec_ints(c, "DELETE FROM bureau_login_failures WHERE at <= ?",
                          DB_INTS(now - window), e);
    return rc < 0 ? (int)rc : 0;
}

static int purge_job(struct job_ctx *j, struct err *e)
{
    int rc = auth_purge(j->c, j->now, e);
    if (!rc)
        snprintf(j->message, sizeof(j->message), "expired sessions and old failures removed");
    return rc;
}

const struct job_def auth_jobs[] = {
    {.name = "identity.purge_sessions", .interval_s = 600, .run = purge_job},
    {0},
};
