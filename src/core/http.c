/* SPDX-License-Identifier: MIT
 * http.c - the libmicrohttpd adapter: request contexts with their arena,
 * body limits, dispatch through the router, problem+json errors, security
 * headers, the access log and metrics, and graceful shutdown.
 *
 * libmicrohttpd calls the access handler several times per request: first
 * with the headers, then once per body chunk, then with an empty chunk.
 * We answer on the last call (answering on the first would cost keep-alive),
 * except when a declared Content-Length is already over the limit, or the
 * request line and headers are.
 *
 * libmicrohttpd (0.9.75) writes some answers itself, as HTML without a
 * Content-Type and with no way for us to change them: headers that do not fit
 * its per-connection memory (431) and malformed chunked bodies (400). Its
 * memory is therefore HEADER_ROOM times our header limit, so that headers
 * over our limit but within its memory get our 431 problem+json (BUR-112).
 */
#include "http.h"
#include "../base/arena.h"
#include "auth.h"
#include "config.h"
#include "../base/base.h"
#include "../base/log.h"
#include "metrics.h"
#include "offload.h"
#include "router.h"
#include "tenant.h"
#include "../db/db.h"

#include <arpa/inet.h>
#include <limits.h>
#include <microhttpd.h>
#include <sodium.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

struct server {
    struct MHD_Daemon *d;
    const struct config *cfg;
    struct db *db;
    int port;
    char *cert, *key;      /* PEM, when serving TLS */
    struct offload *hash;  /* runs the routes that check a password */
};

#define HEADER_ROOM 2 /* libmicrohttpd's connection memory, in header limits */

static int inflight;
static uint64_t rid_counter;
static uint32_t rid_prefix;

static const char *method_name(enum http_method m)
{
    static const char *names[] = {"OTHER", "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE",
                                  "OPTIONS"};
    return names[m];
}

static enum http_method parse_method(const char *m)
{
    static const struct {
        const char *s;
        enum http_method m;
    } t[] = {{"GET", HTTP_GET},       {"HEAD", HTTP_HEAD},     {"POST", HTTP_POST},
             {"PUT", HTTP_PUT},       {"PATCH", HTTP_PATCH},   {"DELETE", HTTP_DELETE},
             {"OPTIONS", HTTP_OPTIONS}};
    for (size_t i = 0; i < ARRAY_LEN(t); i++)
        if (!strcmp(m, t[i].s))
            return t[i].m;
    return HTTP_OTHER;
}

static const char *pairs_get(const char *const *kv, const char *key, int icase)
{
    for (; kv && kv[0]; kv += 2)
        if (icase ? !strcasecmp(kv[0], key) : !strcmp(kv[0], key))
            return kv[1];
    return NULL;
}

const char *req_query(struct req *r, const char *key)
{
    if (!r->conn)
        return pairs_get(r->iquery, key, 0);
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

void req_init_internal(struct req *r, struct arena *a, const struct config *cfg, struct db *db)
{
    memset(r, 0, sizeof(*r));
    r->a = a;
    r->cfg = cfg;
    r->db = db;
    r->tenant_id = 1;
    r->user = "-";
    r->utc_offset_min = cfg ? cfg->utc_offset_min : 480;
    r->route = -1;
    r->t0 = clock_us();
    snprintf(r->rid, sizeof(r->rid), "internal");
    buf_init(&r->body, a);
    buf_init(&r->out, a);
    buf_init(&r->problem_extra, a);
}

struct each_ctx {
    int (*cb)(void *, const char *, const char *);
    void *ctx;
    int rc;
};

static enum MHD_Result each_arg(void *cls, enum MHD_ValueKind kind, const char *k, const char *v)
{
    struct each_ctx *c = cls;
    (void)kind;
    c->rc = c->cb(c->ctx, k, v ? v : "");
    return c->rc ? MHD_NO : MHD_YES;
}

int req_query_each(struct req *r, int (*cb)(void *ctx, const char *k, const char *v), void *ctx)
{
    struct each_ctx c = {cb, ctx, 0};
    if (!r->conn) {
        for (const char *const *kv = r->iquery; kv && kv[0] && !c.rc; kv += 2)
            c.rc = cb(ctx, kv[0], kv[1] ? kv[1] : "");
        return c.rc;
    }
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, each_arg, &c);
    return c.rc;
}

int req_query_arg_check(const char *k, size_t kn, const char *v, size_t vn, struct err *e)
{
    int nul_k = memchr(k, 0, kn) != NULL, nul_v = v && memchr(v, 0, vn) != NULL;
    if (!nul_k && !nul_v && utf8_valid(k, kn) && (!v || utf8_valid(v, vn)))
        return 0;
    /* named as the filters name theirs: the key up to an operator's '[' */
    const char *br = memchr(k, '[', kn);
    char name[64];
    err_quote(name, sizeof(name), k, br ? (size_t)(br - k) : kn);
    if (nul_k || nul_v)
        return err_set(e, ERR_BAD_QUERY, name, "query.nul",
                       "'{param}%s': the {part}%s holds a NUL character (%%00)", name,
                       nul_k ? "name" : "value");
    return err_set(e, ERR_BAD_QUERY, name, "query.utf8", "'{param}%s': the {part}%s is not UTF-8",
                   name, utf8_valid(k, kn) ? "value" : "name");
}

struct check_ctx {
    struct err *e;
    int rc;
};

static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind, const char *k, size_t kn,
                                 const char *v, size_t vn)
{
    struct check_ctx *c = cls;
    (void)kind;
    c->rc = req_query_arg_check(k ? k : "", k ? kn : 0, v, vn, c->e);
    return c->rc ? MHD_NO : MHD_YES;
}

int req_query_check(struct req *r)
{
    struct check_ctx c = {&r->err, 0};
    if (!r->conn) {
        for (const char *const *kv = r->iquery; kv && kv[0] && !c.rc; kv += 2)
            c.rc = req_query_arg_check(kv[0], strlen(kv[0]), kv[1], kv[1] ? strlen(kv[1]) : 0,
                                       &r->err);
        return c.rc;
    }
    MHD_get_connection_values_n(r->conn, MHD_GET_ARGUMENT_KIND, check_arg, &c);
    return c.rc;
}

const char *req_header(struct req *r, const char *name)
{
    if (!r->conn)
        return pairs_get(r->ihdr, name, 1);
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

void resp_header(struct req *r, const char *name, const char *value)
{
    if (r->nhdr < REQ_MAX_HDRS && value) {
        r->hdr_k[r->nhdr] = name;
        r->hdr_v[r->nhdr] = value;
        r->nhdr++;
    }
}

int resp_json(struct req *r, int status)
{
    r->status = status;
    r->ctype = "application/json";
    return 0;
}

struct db_conn *req_db(struct req *r)
{
    if (r->dbc)
        return r->dbc;
    struct db_conn *c = db_conn(r->db, &r->err);
    r->dbc = c;
    if (c && r->cfg)
        db_set_deadline(c, r->t0 + (uint64_t)r->cfg->request_timeout_ms * 1000u);
    if (c)
        r->utc_offset_min = tenant_utc_offset(c, r->tenant_id, r->utc_offset_min);
    else if (!r->err.code)
        err_set(&r->err, ERR_DB_UNAVAILABLE, NULL, NULL, "the database cannot be reached");
    return c;
}

void resp_problem(struct req *r, int rc)
{
    int code = r->err.code ? r->err.code : (rc < 0 ? -rc : ERR_INTERNAL);
    const struct err_info *in = err_info(code);
    buf_truncate(&r->out, 0);
    r->nhdr = 0;
    r->file = NULL;
    r->cache_control = r->csp = NULL;
    r->status = in->status;
    r->ctype = "application/problem+json";
    buf_printf(&r->out, "{\"type\":\"https://bureau.invalid/errors/%s\",\"title\":", in->id);
    buf_json_str(&r->out, in->title, strlen(in->title));
    buf_printf(&r->out, ",\"status\":%d,\"code\":\"%s\",\"detail\":", in->status, in->id);
    const char *d = r->err.detail[0] ? r->err.detail : in->title;
    const char *key = r->err.code ? err_key(&r->err) : in->key;
    buf_json_str(&r->out, d, strlen(d));
    buf_puts(&r->out, ",\"key\":");
    buf_json_str(&r->out, key, strlen(key));
    buf_printf(&r->out, ",\"params\":%s", r->err.code && r->err.params[0] ? r->err.params : "{}");
    buf_puts(&r->out, ",\"errors\":[");
    for (int i = 0; i < r->err.nitems; i++) {
        const struct err_item *it = &r->err.items[i];
        if (i)
            buf_putc(&r->out, ',');
        buf_puts(&r->out, "{\"field\":");
        buf_json_str(&r->out, it->field, strlen(it->field));
        buf_puts(&r->out, ",\"key\":");
        buf_json_str(&r->out, it->key, strlen(it->key));
        buf_printf(&r->out, ",\"params\":%s,\"message\":", it->params[0] ? it->params : "{}");
        buf_json_str(&r->out, it->msg, strlen(it->msg));
        buf_putc(&r->out, '}');
    }
    buf_puts(&r->out, "]");
    if (r->problem_extra.len)
        buf_append(&r->out, r->problem_extra.p, r->problem_extra.len);
    buf_puts(&r->out, ",\"instance\":");
    buf_json_str(&r->out, r->rid, strlen(r->rid));
    buf_putc(&r->out, '}');
    if (in->status == 503)
        resp_header(r, "Retry-After", "1");
    if (in->status == 405)
        resp_header(r, "Allow", r->allow ? r->allow : "GET");
}

static const char *peer_address(struct arena *a, struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char t[INET6_ADDRSTRLEN] = "-";
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, t, sizeof(t));
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, t, sizeof(t));
    }
    return arena_strdup(a, t);
}

/* Behind a trusted proxy the client is the last address it appended to
 * X-Forwarded-For (earlier entries come from the client and prove nothing). */
static const char *forwarded_for(struct arena *a, struct MHD_Connection *conn, const char *peer)
{
    const char *h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
    if (!h)
        return peer;
    const char *last = strrchr(h, ',');
    last = last ? last + 1 : h;
    while (*last == ' ')
        last++;
    size_t n = strcspn(last, " ");
    unsigned char bin[16];
    char t[INET6_ADDRSTRLEN];
    if (n == 0 || n >= sizeof(t))
        return peer;
    memcpy(t, last, n);
    t[n] = 0;
    if (inet_pton(AF_INET, t, bin) != 1 && inet_pton(AF_INET6, t, bin) != 1)
        return peer;
    return arena_strdup(a, t);
}

static void split_path(struct req *r)
{
    const char *p = r->path;
    r->nsegs = 0;
    if (*p == '/')
        p++;
    while (*p && r->nsegs < REQ_MAX_SEGS) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        r->seg[r->nsegs] = p;
        r->seg_len[r->nsegs] = n;
        r->nsegs++;
        if (!e)
            return;
        p = e + 1;
    }
    if (*p)
        r->nsegs = -1; /* too deep: matches no route */
}

struct head_size {
    size_t n;
};

static enum MHD_Result add_size(void *cls, enum MHD_ValueKind kind, const char *k, size_t kn,
                                const char *v, size_t vn)
{
    struct head_size *h = cls;
    (void)k;
    (void)v;
    h->n += kn + vn + (kind == MHD_HEADER_KIND ? 4 : 2); /* ": " CRLF, or '=' '&' */
    return MHD_YES;
}

/* The size of the request line and headers as sent, near enough (the query
 * string decoded). */
static size_t head_size(struct MHD_Connection *conn, const char *method, const char *url)
{
    struct head_size h = {strlen(method) + strlen(url) + 12}; /* " HTTP/1.1" CRLF */
    MHD_get_connection_values_n(conn, MHD_HEADER_KIND | MHD_GET_ARGUMENT_KIND, add_size, &h);
    return h.n;
}

static int is_import(const char *method, const char *url)
{
    size_t n = strlen(url);
    return !strcmp(method, "POST") && n > 7 && !strcmp(url + n - 7, "/import");
}

static int is_upload(const char *method, const char *url)
{
    return !strcmp(method, "POST") && !strcmp(url, "/api/v1/files/upload");
}


static void make_rid(struct req *r)
{
    const char *h = req_header(r, "X-Request-Id");
    if (h) {
        size_t n = strlen(h), i;
        for (i = 0; i < n; i++) {
            char c = h[i];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_'))
                break;
        }
        if (n && i == n && n < sizeof(r->rid)) {
            memcpy(r->rid, h, n + 1);
            return;
        }
    }
    uint64_t k = __atomic_add_fetch(&rid_counter, 1, __ATOMIC_RELAXED);
    snprintf(r->rid, sizeof(r->rid), "%08x%08llx", rid_prefix, (unsigned long long)k);
}

static void add_headers(struct MHD_Response *resp, struct req *r)
{
    if (r->status != 204 && r->status != 304)
        MHD_add_response_header(resp, "Content-Type", r->ctype ? r->ctype : "application/json");
    MHD_add_response_header(resp, "X-Request-Id", r->rid);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            r->csp ? r->csp : "default-src 'none'; frame-ancestors 'none'");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Cache-Control", r->cache_control ? r->cache_control : "no-store");
    if (r->cfg && r->cfg->tls_cert)
        MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
    for (int i = 0; i < r->nhdr; i++)
        MHD_add_response_header(resp, r->hdr_k[i], r->hdr_v[i]);
}

int http_accepts_gzip(const char *h)
{
    for (const char *p = h; p && (p = strstr(p, "gzip")); p += 4) {
        const char *q = p + 4;
        if ((p > h && p[-1] != ' ' && p[-1] != ',') || (*q && *q != ',' && *q != ';' && *q != ' '))
            continue;
        while (*q == ' ')
            q++;
        if (*q == ';') {
            q = strstr(q, "q=");
            if (q && q[2] == '0' && (q[3] != '.' || strspn(q + 4, "0") == strcspn(q + 4, ",")))
                return 0;
        }
        return 1;
    }
    return 0;
}

/* JSON answers of at least this many bytes go out gzipped to a client that
 * accepts it: a list page or the meta shrink five- to tenfold, and level 1
 * costs well under a millisecond for them. */
#define GZIP_MIN 1024

static int is_json(const char *ctype)
{
    return !ctype || !strncmp(ctype, "application/json", 16) ||
           !strncmp(ctype, "application/problem+json", 24) ||
           !strncmp(ctype, "application/geo+json", 20);
}

/* r->out gzipped into the request's arena; NULL when it does not pay or
 * memory runs short (the answer then goes out as it is). */
static void *gzip_out(struct req *r, size_t *len)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    size_t cap = deflateBound(&z, r->out.len);
    unsigned char *dst = arena_alloc(r->a, cap);
    void *ok = NULL;
    if (dst && cap <= UINT_MAX && r->out.len <= UINT_MAX) {
        z.next_in = (unsigned char *)r->out.p;
        z.avail_in = (unsigned)r->out.len;
        z.next_out = dst;
        z.avail_out = (unsigned)cap;
        if (deflate(&z, Z_FINISH) == Z_STREAM_END && z.total_out < r->out.len) {
            *len = z.total_out;
            ok = dst;
        }
    }
    deflateEnd(&z);
    return ok;
}

static enum MHD_Result send_req(struct MHD_Connection *conn, struct req *r)
{
    static const char budget[] = "{\"type\":\"https://bureau.invalid/errors/BUR-902\","
                                 "\"title\":\"request memory budget exceeded\",\"status\":503,"
                                 "\"code\":\"BUR-902\",\"detail\":\"the request needed more "
                                 "memory than a request may use\",\"errors\":[]}";
    struct MHD_Response *resp;
    void *gz = NULL;
    size_t gz_len = 0;
    if (!buf_ok(&r->out) || arena_over(r->a)) {
        r->status = 503;
        r->nhdr = 0;
        r->ctype = "application/problem+json";
        resp = MHD_create_response_from_buffer(sizeof(budget) - 1, (void *)budget,
                                               MHD_RESPMEM_PERSISTENT);
    } else if (r->file) {
        resp = MHD_create_response_from_buffer(r->file_len, (void *)r->file,
                                               MHD_RESPMEM_PERSISTENT);
    } else if (r->out.len >= GZIP_MIN && is_json(r->ctype) &&
               http_accepts_gzip(req_header(r, "Accept-Encoding")) &&
               (gz = gzip_out(r, &gz_len))) {
        resp = MHD_create_response_from_buffer(gz_len, gz, MHD_RESPMEM_PERSISTENT);
    } else {
        resp = MHD_create_response_from_buffer(r->out.len, r->out.p, MHD_RESPMEM_PERSISTENT);
    }
    if (!resp)
        return MHD_NO;
    add_headers(resp, r);
    if (is_json(r->ctype) && r->out.len >= GZIP_MIN && !r->file) {
        MHD_add_response_header(resp, "Vary", "Accept-Encoding");
        if (gz)
            MHD_add_response_header(resp, "Content-Encoding", "gzip");
    }
    r->bytes = gz ? gz_len : r->file ? r->file_len : r->out.len;
    enum MHD_Result ok = MHD_queue_response(conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

/* Public routes answer anyone; the rest need a signed-in caller, who must
 * first change a password an administrator reset. */
static int authenticate(struct req *r, const struct route *rt)
{
    if (rt->is_public) {
        if (!rt->anonymous && (req_header(r, "Cookie") || req_header(r, "Authorization"))) {
            auth_authenticate(r); /* optional: meta tells a signed-in caller more */
            err_clear(&r->err);
        }
        return 0;
    }
    int rc = auth_authenticate(r);
    if (rc)
        return rc;
    if (r->who && r->who->must_change_password && !rt->while_must_change)
        return err_set(&r->err, ERR_FORBIDDEN, NULL, "auth.must_change_password",
                       "change your password first (POST /api/v1/session/password)");
    return 0;
}

static void dispatch(struct req *r)
{
    int matched;
    int rc;
    uint64_t db0 = db_thread_time_us();
    const struct route *rt = router_match(r, &matched);
    if (!rt) {
        if (matched) {
            r->allow = router_allow(r);
            rc = err_set(&r->err, ERR_METHOD, NULL, NULL, "{method}%s is not allowed here",
                         method_name(r->method));
        } else {
            char q[140];
            err_quote(q, sizeof(q), r->path, strlen(r->path));
            rc = err_set(&r->err, ERR_NO_ROUTE, NULL, NULL, "nothing at {path}%s", q);
        }
    } else if ((rc = authenticate(r, rt)) == 0 && (rc = req_query_check(r)) == 0) {
        rc = rt->fn(r);
    }
    if (rc || (r->status == 0 && r->err.code))
        resp_problem(r, rc);
    if (!r->status)
        r->status = 200;
    struct db_conn *c = r->dbc;
    if (c && db_in_tx(c)) {
        log_warn("rid=%s handler left a transaction open; rolled back", r->rid);
        db_rollback(c);
    }
    if (c)
        db_set_deadline(c, 0);
    r->db_us = db_thread_time_us() - db0;
}

static enum MHD_Result finish(struct MHD_Connection *conn, struct req *r);

/* Whether r's route checks or makes a password hash (sign-in, a password
 * change, a registration). */
static int checks_password(struct req *r)
{
    int matched;
    const struct route *rt = router_match(r, &matched);
    return rt && (rt->throttled || rt->hashes);
}

/* On a pool thread: the request's work, then back to libmicrohttpd, which
 * calls on_access again to send the answer. */
static void run_offloaded(void *p)
{
    struct req *r = p;
    dispatch(r);
    metrics_offloaded();
    __atomic_store_n(&r->offloaded, 2, __ATOMIC_RELEASE);
    MHD_resume_connection(r->conn);
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn, const char *url,
                                 const char *method, const char *version,
                                 const char *upload_data, size_t *upload_data_size,
                                 void **req_cls)
{
    struct server *s = cls;
    struct req *r = *req_cls;
    (void)version;
    if (!r) {
        int imp = is_import(method, url), up = is_upload(method, url);
        size_t limit = imp ? s->cfg->max_import : up ? s->cfg->max_upload : s->cfg->max_body;
        /* an import holds its body and parsed copies; exports get their own
         * arena of export_cap (export.c) */
        struct arena *a = arena_new(imp  ? s->cfg->max_import * 3 + s->cfg->arena_cap
                                    : up ? s->cfg->max_upload + s->cfg->arena_cap
                                         : s->cfg->arena_cap);
        r = arena_zalloc(a, sizeof(*r));
        r->a = a;
        r->t0 = clock_us();
        r->conn = conn;
        r->cfg = s->cfg;
        r->db = s->db;
        r->method = parse_method(method);
        r->path = arena_strdup(a, url);
        r->tenant_id = 1;
        r->user = "-";
        r->utc_offset_min = s->cfg->utc_offset_min;
        r->route = -1;
        r->ip = peer_address(a, conn);
        if (s->cfg->trusted_proxy && !strcmp(r->ip, s->cfg->trusted_proxy))
            r->ip = forwarded_for(a, conn, r->ip);
        buf_init(&r->body, a);
        r->body.max = limit;
        buf_init(&r->out, a);
        buf_init(&r->problem_extra, a);
        make_rid(r);
        split_path(r);
        __atomic_add_fetch(&inflight, 1, __ATOMIC_ACQ_REL);
        *req_cls = r;
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        int64_t n;
        size_t head = head_size(conn, method, url);
        int too_big = cl && !parse_i64(cl, strlen(cl), &n) && (uint64_t)n > limit;
        if (head > s->cfg->header_limit || too_big) {
            if (head > s->cfg->header_limit)
                err_set(&r->err, ERR_HEADERS_TOO_LARGE, NULL, NULL,
                        "the request line and headers may be at most {max}%u bytes",
                        s->cfg->header_limit);
            else
                err_set(&r->err, ERR_TOO_LARGE, NULL, NULL,
                        "the body may be at most {max}%zu bytes", limit);
            resp_problem(r, 0);
            r->answered = 1;
            enum MHD_Result ok = send_req(conn, r);
            metrics_request(r->route, r->status, clock_us() - r->t0, 0);
            r->counted = 1;
            return ok;
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!r->too_large && !r->answered) {
            buf_append(&r->body, upload_data, *upload_data_size);
            if (!buf_ok(&r->body))
                r->too_large = 1;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->answered) {
        /* resumed by the offload pool once it has answered */
        if (__atomic_load_n(&r->offloaded, __ATOMIC_ACQUIRE) != 2)
            return MHD_YES;
        r->offloaded = 0;
        return finish(conn, r);
    }
    r->answered = 1;
    if (r->too_large) {
        resp_problem(r, err_set(&r->err, ERR_TOO_LARGE, NULL, NULL,
                                "the body may be at most {max}%zu bytes", r->body.max));
    } else if (s->hash && checks_password(r)) {
        /* a password hash would hold this worker for tens of milliseconds:
         * the pool answers it while the worker serves other connections */
        r->offloaded = 1;
        MHD_suspend_connection(conn);
        if (!offload_run(s->hash, run_offloaded, r))
            return MHD_YES;
        MHD_resume_connection(conn);
        r->offloaded = 0;
        dispatch(r);
    } else {
        dispatch(r);
    }
    return finish(conn, r);
}

/* Sends r's answer and counts it. */
static enum MHD_Result finish(struct MHD_Connection *conn, struct req *r)
{
    enum MHD_Result ok = send_req(conn, r);
    /* counted before the response leaves, so a client that reads /metrics
     * right after an answer sees that answer counted */
    metrics_request(r->route, r->status, clock_us() - r->t0, r->db_us);
    r->counted = 1;
    return ok;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct req *r = *req_cls;
    (void)cls;
    (void)conn;
    if (!r)
        return;
    uint64_t us = clock_us() - r->t0;
    int status = toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? r->status : (r->status ? r->status : 499);
    if (!r->counted)
        metrics_request(r->route, status, us, r->db_us);
    log_request(r->rid, method_name(r->method), r->path ? r->path : "-", status, r->bytes, us,
                r->user);
    arena_free(r->a);
    *req_cls = NULL;
    __atomic_sub_fetch(&inflight, 1, __ATOMIC_ACQ_REL);
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_ctx,
                          enum MHD_ConnectionNotificationCode toe)
{
    (void)cls;
    (void)conn;
    (void)socket_ctx;
    metrics_connections(toe == MHD_CONNECTION_NOTIFY_STARTED ? 1 : -1);
}

unsigned server_open_connections(void)
{
    return (unsigned)metrics_open_connections();
}

static int parse_listen(const char *host, int port, struct sockaddr_storage *ss, socklen_t *len,
                        struct err *e)
{
    memset(ss, 0, sizeof(*ss));
    struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
    if (!host || !*host || !strcmp(host, "localhost"))
        host = "127.0.0.1";
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        *len = sizeof(*v4);
        return 0;
    }
    if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        *len = sizeof(*v6);
        return 0;
    }
    return err_set(e, ERR_BAD_REQUEST, NULL, NULL, "cannot listen on '%s': not an IP address",
                   host);
}

/* Reads a PEM file (at most 1 MiB) into heap memory owned by the server. */
static char *read_pem(const char *path, struct err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        err_set(e, ERR_INTERNAL, NULL, NULL, "cannot read %s", path);
        return NULL;
    }
    char *p = core_malloc(1u << 20);
    size_t n = fread(p, 1, (1u << 20) - 1, f);
    int big = !feof(f);
    fclose(f);
    if (big || n == 0) {
        core_free(p);
        err_set(e, ERR_INTERNAL, NULL, NULL, "%s is empty or larger than 1 MiB", path);
        return NULL;
    }
    p[n] = 0;
    return p;
}

struct server *server_start(const struct config *cfg, struct db *db, struct err *e)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    if (parse_listen(cfg->listen_host, cfg->port, &ss, &sl, e))
        return NULL;
    core_random(&rid_prefix, sizeof(rid_prefix));
    struct server *s = core_calloc(1, sizeof(*s));
    s->cfg = cfg;
    s->db = db;
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG |
                     MHD_ALLOW_SUSPEND_RESUME;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    if (cfg->tls_cert) {
        if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
            core_free(s);
            err_set(e, ERR_INTERNAL, NULL, NULL, "this libmicrohttpd was built without TLS");
            return NULL;
        }
        s->cert = read_pem(cfg->tls_cert, e);
        s->key = s->cert ? read_pem(cfg->tls_key, e) : NULL;
        if (!s->key) {
            core_free(s->cert);
            core_free(s);
            return NULL;
        }
        flags |= MHD_USE_TLS;
    }
    struct MHD_OptionItem tls[] = {
        {MHD_OPTION_HTTPS_MEM_CERT, 0, s->cert},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, s->key},
        {MHD_OPTION_END, 0, NULL},
    };
    if (!s->cert)
        tls[0].option = MHD_OPTION_END;
    s->d = MHD_start_daemon(
        flags, (uint16_t)cfg->port, NULL, NULL, on_access, s, MHD_OPTION_ARRAY, tls,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)cfg->threads, MHD_OPTION_CONNECTION_LIMIT, cfg->max_conns,
        MHD_OPTION_CONNECTION_TIMEOUT, cfg->conn_timeout_s, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)cfg->header_limit * HEADER_ROOM, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, s, MHD_OPTION_END);
    if (!s->d) {
        core_free(s->cert);
        core_free(s->key);
        core_free(s);
        err_set(e, ERR_INTERNAL, NULL, NULL, "cannot listen on %s:%d (in use, or not allowed)",
                cfg->listen_host, cfg->port);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : cfg->port;
    s->hash = offload_start(cfg->hash_threads);
    if (!s->hash)
        log_warn("no password-hashing threads: sign-ins hash on the request workers");
    return s;
}

int server_port(const struct server *s)
{
    return s->port;
}

void server_stop(struct server *s, unsigned grace_ms)
{
    if (!s)
        return;
    MHD_socket fd = MHD_quiesce_daemon(s->d);
    uint64_t until = clock_us() + (uint64_t)grace_ms * 1000u;
    while (__atomic_load_n(&inflight, __ATOMIC_ACQUIRE) > 0 && clock_us() < until)
        usleep(10000);
    int left = __atomic_load_n(&inflight, __ATOMIC_ACQUIRE);
    if (left) {
        /* what still runs is cancelled: its transaction rolls back and it
         * answers 503, rather than committing after its client is gone */
        log_warn("cancelling %d request(s) still running after %u ms", left, grace_ms);
        db_cancel(s->db);
        until = clock_us() + 5000000u;
        while (__atomic_load_n(&inflight, __ATOMIC_ACQUIRE) > 0 && clock_us() < until)
            usleep(10000);
    }
    MHD_stop_daemon(s->d);
    offload_stop(s->hash);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    if (s->key)
        sodium_memzero(s->key, strlen(s->key));
    core_free(s->cert);
    core_free(s->key);
    core_free(s);
}
