/* SPDX-License-Identifier: MIT
 * auth.h - who is calling: sessions (cookie + CSRF), API tokens (bearer),
 * passwords (argon2id), brute-force limits; and the principal every
 * request carries once authenticated.
 *
 * Sessions and tokens live in the database so several processes share
 * them; each process caches lookups for a few seconds. Secrets are stored
 * only as SHA-256 hashes. Failed logins are counted in the database table
 * bureau_login_failures (so the limits hold across threads and processes)
 * and each one is also appended to the audit chain.
 */
#ifndef BUREAU_AUTH_H
#define BUREAU_AUTH_H

#include "jobs.h"
#include "router.h"

#include <stddef.h>
#include <stdint.h>

struct req;
struct res_entity;
struct json_t;
struct db;
struct db_conn;
struct err;

#define AUTH_MAX_SUBTREE 512
#define AUTH_MAX_USERNAME 64  /* bytes accepted at sign-in */
#define AUTH_MAX_PASSWORD 256 /* bytes */
#define AUTH_COOKIE "bureau_session"
#define AUTH_TOKEN_PREFIX "bur_"
#define AUTH_SECRET_LEN 43 /* base64url (no padding) of 32 random bytes */

struct principal {
    int64_t user_id;       /* 0: anonymous */
    int64_t tenant_id;
    int64_t role_id;
    int64_t person_id;     /* 0: no linked person */
    int64_t department_id; /* the person's department, 0 when none */
    int64_t token_id;      /* >0 when authenticated by an API token */
    char username[80];     /* "token:<name>" for tokens (truncated) */
    char role_code[40];
    char csrf[48];         /* the session's CSRF token ("" for tokens) */
    int must_change_password;
    /* the department and its descendants, for "subtree" scopes */
    int nsubtree;
    int64_t subtree[AUTH_MAX_SUBTREE];
};

/* Settings come from struct config (config.h): session_idle_s, session_max_s,
 * login_window_s, and tls_cert (cookies get Secure when set). */

/* Fills r->who (arena memory), r->user_id, r->user and r->tenant_id from
 * "Authorization: Bearer bur_…" or else the session cookie. Returns 0
 * (authenticated), or -ERR_UNAUTHENTICATED with r->err set ("sign in first",
 * or why the credentials are no longer valid) and r->who left NULL. Checks
 * the X-CSRF-Token header of cookie-authenticated POST/PUT/PATCH/DELETE
 * (-ERR_FORBIDDEN, BUR-302, when missing or wrong). An API token acts in its
 * own tenant with its own role; its principal's user_id is the user who
 * created the token (so created_by stays meaningful) and token_id is set. */
int auth_authenticate(struct req *r);

/* Password rules: at least 10 characters (Unicode), at most 256 bytes, not
 * the username nor containing it (usernames of 4+ characters, any case),
 * not one repeated character, not in the shipped list of common passwords.
 * 0 or -ERR_INVALID with the message on field (NULL: "password"). */
int auth_password_ok(const char *username, const char *password, const char *field,
                     struct err *e);
/* argon2id (libsodium crypto_pwhash_str, interactive limits); at most as many
 * hashes run at once as there are cores. out must hold 128 bytes.
 * auth_verify_password returns 0 when password matches hash, else
 * -ERR_UNAUTHENTICATED; a NULL or empty hash is checked against a fixed
 * dummy hash (same cost) and fails, so unknown users take as long. */
int auth_hash_password(const char *password, char *out, struct err *e);
int auth_verify_password(const char *hash, const char *password);

/* Creates the first admin user of a tenant that has no users, with the
 * tenant's role "admin": password from $BUREAU_ADMIN_PASSWORD (checked by
 * the rules; must_change_password false) or 16 random characters printed
 * once to stderr (must_change_password true). Joins the caller's
 * transaction when one is open. 0 or a negative ERR_*. */
int auth_bootstrap_admin(struct db_conn *c, int64_t tenant_id, int use_env, struct err *e);

/* ---- additions (auth.c, session.c, password.c, token.c) ---- */

/* Finds cookie `name` in a Cookie header ("a=1; b=2") and copies its value
 * (surrounding quotes removed) into out, NUL-terminated. Reads at most 8 KiB
 * of header. 0 when found; -ERR_UNAUTHENTICATED when absent;
 * -ERR_BAD_REQUEST when the value does not fit in out or the header is
 * malformed around it. Borrows header; never reads past its NUL. */
int auth_parse_cookie(const char *header, const char *name, char *out, size_t outn);
/* Parses "Bearer <token>" (scheme case-insensitive, RFC 6750 token
 * characters) into out. 0 when it is a bearer token; -ERR_UNAUTHENTICATED
 * when the header uses another scheme; -ERR_BAD_REQUEST when it is a
 * malformed or over-long bearer credential. */
int auth_parse_bearer(const char *header, char *out, size_t outn);

/* 1 when password (compared in lower case) is in the shipped list of common
 * passwords (common_passwords.c); 0 otherwise. */
int auth_password_is_common(const char *password);
size_t auth_common_password_count(void);

/* 0 when r has a principal, authenticating it first when the dispatcher did
 * not (then as auth_authenticate). */
int auth_require(struct req *r);
/* Drops this process's cached lookups of user_id's sessions, or of one API
 * token (after a password, role or revocation change). Other processes see
 * the change within the cache lifetime (5 s). */
void auth_forget_user(int64_t tenant_id, int64_t user_id);
void auth_forget_token(int64_t tenant_id, int64_t token_id);

/* A new random secret: 32 bytes from the CSPRNG as base64url without
 * padding (AUTH_SECRET_LEN characters); out holds AUTH_SECRET_LEN + 1. */
void auth_random_secret(char *out);
/* SHA-256 of p[0..n) as 64 lower-case hex digits; out holds 65 bytes. */
void auth_sha256_hex(const char *p, size_t n, char *out);

/* Deletes expired sessions and failed sign-ins older than the counting
 * window (the settings of the running server; 30 days while none has been
 * seen). Run by the periodic job auth_jobs[0] ("identity.purge_sessions").
 * Returns 0 or a negative ERR_*. */
int auth_purge(struct db_conn *c, int64_t now, struct err *e);
extern const struct job_def auth_jobs[]; /* terminated by {0} */

/* ---- shared by the auth files only ---- */
struct config;
/* Remembers the running server's settings (for auth_purge). */
void auth_note_config(const struct config *cfg);
/* Drops the cached lookup of one session (its cookie value). */
void auth_forget_session(const char *session_id);
/* 1 when hash was made with other argon2id limits than today's. */
int auth_password_needs_rehash(const char *hash);

#endif
