/* SPDX-License-Identifier: MIT
 * http.h - the request context handlers see, and the libmicrohttpd adapter.
 *
 * Every request gets a struct req whose arena holds all it allocates; the
 * arena is freed when libmicrohttpd reports the request complete. Handlers
 * fill r->out (and r->status, r->ctype) or return a negative ERR_* with
 * r->err set, which is rendered as application/problem+json.
 */
#ifndef BUREAU_HTTP_H
#define BUREAU_HTTP_H

#include "../base/buf.h"
#include "../base/err.h"

#include <stddef.h>
#include <stdint.h>

struct arena;
struct db;
struct db_conn;
struct config;
struct principal;
struct res_entity;
struct MHD_Connection;

enum http_method {
    HTTP_OTHER = 0,
    HTTP_GET,
    HTTP_HEAD,
    HTTP_POST,
    HTTP_PUT,
    HTTP_PATCH,
    HTTP_DELETE,
    HTTP_OPTIONS,
};

#define REQ_MAX_SEGS 8
#define REQ_MAX_HDRS 8

struct req {
    struct arena *a;
    enum http_method method;
    const char *path; /* decoded path, NUL-terminated */
    int nsegs;        /* path split on '/' */
    const char *seg[REQ_MAX_SEGS];
    size_t seg_len[REQ_MAX_SEGS];
    struct buf body;
    const struct config *cfg;
    struct db *db;
    struct db_conn *dbc; /* set by req_db() */
    struct MHD_Connection *conn; /* NULL for internal requests (jobs, tests, fuzzing) */
    const char *const *ihdr;     /* internal requests: {name, value, …, NULL} */
    const char *const *iquery;   /* internal requests: {key, value, …, NULL} */
    int64_t tenant_id;
    int64_t user_id;
    const char *user; /* "-" when anonymous */
    struct principal *who; /* the authenticated caller (auth.h); NULL: anonymous */
    int scope;                         /* granted by perm_check() for scope_ent */
    int server_write; /* > 0 while the workflow writes on its own account (hooks let it) */
    const struct res_entity *scope_ent;
    const char *ip;        /* the peer address, text */
    int utc_offset_min;
    char rid[20];
    uint64_t t0;
    int route; /* index in the route table, for metrics */
    /* response */
    int status;
    const char *ctype;
    struct buf out;
    const char *hdr_k[REQ_MAX_HDRS];
    const char *hdr_v[REQ_MAX_HDRS];
    int nhdr;
    struct err err;
    struct buf problem_extra; /* extra members appended to a problem+json body */
    const char *allow;        /* Allow header for 405 */
    const char *cache_control; /* NULL: no-store */
    const char *csp;           /* NULL: default-src 'none' */
    const void *file;         /* static body instead of out (not copied) */
    size_t file_len;
    uint64_t bytes;
    uint64_t db_us;
    unsigned answered : 1, too_large : 1, counted : 1;
    int offloaded; /* 1: handed to the offload pool; 2: it answered (atomic) */
};

/* First value of query parameter key, or NULL. */
const char *req_query(struct req *r, const char *key);
/* Calls cb for each query parameter in order; stops when cb returns non-zero
 * and returns that value. */
int req_query_each(struct req *r, int (*cb)(void *ctx, const char *k, const char *v), void *ctx);
/* 0 when query parameter k=v (k[0..kn), v[0..vn) as decoded) holds no NUL and
 * is UTF-8; else -ERR_BAD_QUERY in e naming the parameter (the key up to '['). */
int req_query_arg_check(const char *k, size_t kn, const char *v, size_t vn, struct err *e);
/* Checks every query parameter of r so (libmicrohttpd hands them to handlers
 * as C strings, where a NUL would silently cut a value): 0 or -ERR_BAD_QUERY. */
int req_query_check(struct req *r);
/* Request header value or NULL. */
const char *req_header(struct req *r, const char *name);
/* Adds a response header (name and value must outlive the request). */
void resp_header(struct req *r, const char *name, const char *value);
/* 1 when an Accept-Encoding value lists gzip without q=0. */
int http_accepts_gzip(const char *accept_encoding);
/* Sets status and the JSON content type; the body is r->out. Returns 0. */
int resp_json(struct req *r, int status);
/* Renders r->err (code from rc when r->err.code is 0) as problem+json. */
void resp_problem(struct req *r, int rc);
/* The calling request's database connection (NULL + err on failure). */
struct db_conn *req_db(struct req *r);

/* Prepares an internal request (no HTTP connection) in arena a, for jobs,
 * tests and fuzzing: tenant 1, anonymous, the configuration's offset. */
void req_init_internal(struct req *r, struct arena *a, const struct config *cfg, struct db *db);

struct server;
/* Starts listening. Returns NULL with a message in e on failure. */
struct server *server_start(const struct config *cfg, struct db *db, struct err *e);
/* Stops accepting, waits for in-flight requests (up to grace_ms), stops. */
void server_stop(struct server *s, unsigned grace_ms);
/* Number of open connections. */
unsigned server_open_connections(void);
/* The port actually bound (when the configured port was 0). */
int server_port(const struct server *s);


#endif
