/* SPDX-License-Identifier: MIT
 * fuzz_request.c - libFuzzer target for the request path behind HTTP: the
 * input is a small HTTP-like text (request line, "Name: value" headers, a
 * blank line, the body) turned into an internal request, routed with
 * router_match and handled by the real handler on a SQLite fixture, the way
 * http.c's dispatch does. Covers path segments, ids, query parameters,
 * Content-Type and If-Match, JSON bodies, CRUD, export and import. Not
 * covered: libmicrohttpd itself, http.c's static helpers (X-Request-Id) and
 * authentication (internal requests act for the whole tenant).
 */
#include "fuzz_util.h"
#include "base/arena.h"
#include "base/buf.h"
#include "core/http.h"
#include "core/router.h"
#include "core/tenant.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define ARENA_CAP (8u << 20)
#define MAX_HDRS 16
#define MAX_QUERY 32
#define FP_MAX (3 * 64)   /* fingerprint numbers: 3 per entity */
#define SECRET "T2SECRET" /* in every text of tenant 2: must never be served to tenant 1 */

static struct db *db;
static struct db_conn *conn;
static int debug; /* FUZZ_DEBUG=1: print each request's status and body */

static const char fixture[] =
    "INSERT INTO departments (id, tenant_id, version, created_at, updated_at, name, code, kind,"
    " sort_order, active) VALUES"
    " (1, 1, 1, 100, 100, '办公室', 'BGS', 'party', 10, 1),"
    " (2, 1, 1, 100, 100, 'Finance', 'CZ', 'government', 20, 1),"
    " (3, 1, 3, 200, 200, 'Streets', NULL, 'street', 0, 0),"
    " (1000, 2, 1, 100, 100, 'T2SECRET dept', 'T2SECRET', 'party', 10, 1);"
    "INSERT INTO people (id, tenant_id, version, created_at, updated_at, name, staff_no,"
    " department_id, rank_id, post, union_member, contract_staff, active, joined_on) VALUES"
    " (1, 1, 1, 100, 100, '张三', 'A001', 1, 1, '主任', 1, 0, 1, '2010-03-01'),"
    " (2, 1, 2, 100, 150, 'O''Brien', NULL, 2, NULL, NULL, 0, 1, 1, NULL),"
    " (3, 1, 1, 200, 200, '50% off', 'P_5', 3, 2, 'a%b', 1, 0, 0, '2024-02-29'),"
    " (1000, 2, 1, 100, 100, 'T2SECRET person', 'T2SECRET', 1000, NULL, 'T2SECRET', 1, 0, 1,"
    " NULL);";

/* Puts tenant-scoped tables back to the fixture after a request changed them. */
static void reset_db(void)
{
    const struct res_entity *ent;
    fuzz_exec(conn, "PRAGMA foreign_keys=OFF");
    for (size_t i = 0; (ent = res_at(i)) != NULL; i++) {
        char sql[160];
        snprintf(sql, sizeof(sql), "DELETE FROM %s%s", ent->name,
                 ent->global ? " WHERE id > 2" : "");
        fuzz_exec(conn, sql);
    }
    fuzz_exec(conn, "DELETE FROM sqlite_sequence"); /* AUTOINCREMENT ids start again at 1 */
    fuzz_exec(conn, "UPDATE tenants SET version = 1, name = code, admin_level = 'county',"
                    " utc_offset_min = 480");
    fuzz_audit_clear(conn);
    fuzz_exec(conn, "PRAGMA foreign_keys=ON");
    fuzz_seed_tenant(conn, 1);
    fuzz_exec(conn, fixture);
    tenant_forget(1);
    tenant_forget(2);
}

/* A fingerprint of every table the API writes: rows, versions, last update.
 * Tables only the server writes (the audit chain) are left out: reads such
 * as exports are audited too. */
static void fingerprint(long long *out, size_t n)
{
    const struct res_entity *ent;
    size_t k = 0;
    for (size_t i = 0; (ent = res_at(i)) != NULL && k + 3 <= n; i++) {
        if (ent->api_readonly)
            continue;
        char sql[200];
        snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s", ent->name);
        out[k++] = fuzz_count(conn, sql);
        snprintf(sql, sizeof(sql), "SELECT COALESCE(SUM(version), 0) FROM %s", ent->name);
        out[k++] = fuzz_count(conn, sql);
        snprintf(sql, sizeof(sql), "SELECT COALESCE(SUM(updated_at %% 1000003), 0) FROM %s",
                 ent->name);
        out[k++] = fuzz_count(conn, sql);
    }
    for (; k < n; k++)
        out[k] = 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init_registry();
    debug = getenv("FUZZ_DEBUG") != NULL;
    db = fuzz_open_db(&conn);
    reset_db();
    return 0;
}

/* ---- the request text ---- */

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* %XX-decodes p[0..n) (plus '+' as space when plus) into arena memory. */
static char *decode(struct arena *a, const char *p, size_t n, int plus)
{
    char *out = arena_alloc(a, n + 1);
    size_t j = 0;
    FUZZ_CHECK(out, "arena refused %zu bytes", n + 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '+' && plus) {
            c = ' ';
        } else if (c == '%' && i + 2 < n && hexval((unsigned char)p[i + 1]) >= 0 &&
                   hexval((unsigned char)p[i + 2]) >= 0) {
            c = (unsigned char)(hexval((unsigned char)p[i + 1]) * 16 +
                                hexval((unsigned char)p[i + 2]));
            i += 2;
        }
        out[j++] = (char)c;
    }
    out[j] = 0;
    return out;
}

static enum http_method method_of(const char *s, size_t n)
{
    static const struct {
        const char *s;
        enum http_method m;
    } t[] = {{"GET", HTTP_GET},        {"HEAD", HTTP_HEAD},   {"POST", HTTP_POST},
             {"PUT", HTTP_PUT},        {"PATCH", HTTP_PATCH}, {"DELETE", HTTP_DELETE},
             {"OPTIONS", HTTP_OPTIONS}};
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (strlen(t[i].s) == n && !memcmp(t[i].s, s, n))
            return t[i].m;
    return HTTP_OTHER;
}

/* Splits r->path on '/' as http.c does: too many segments match nothing. */
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
        r->nsegs = REQ_MAX_SEGS + 1;
}

/* Next line of [*s, end) without its CR LF; NULL at the end. */
static const char *next_line(const char **s, const char *end, size_t *n)
{
    if (*s >= end)
        return NULL;
    const char *l = *s, *nl = memchr(l, '\n', (size_t)(end - l));
    *n = (size_t)((nl ? nl : end) - l);
    *s = nl ? nl + 1 : end;
    if (*n && l[*n - 1] == '\r')
        (*n)--;
    return l;
}

static void parse_request(struct req *r, const char *s, size_t size, const char **hdr,
                          const char **query)
{
    const char *end = s + size, *line;
    size_t n;
    int nh = 0, nq = 0;
    r->path = "/";
    line = next_line(&s, end, &n);
    if (line) {
        const char *sp = memchr(line, ' ', n);
        r->method = method_of(line, sp ? (size_t)(sp - line) : n);
        if (sp) {
            const char *target = sp + 1;
            size_t tn = n - (size_t)(target - line);
            const char *qm = memchr(target, '?', tn);
            size_t pn = qm ? (size_t)(qm - target) : tn;
            r->path = decode(r->a, target, pn, 0);
            for (const char *q = qm ? qm + 1 : NULL; q && nq + 2 < 2 * MAX_QUERY;) {
                const char *qend = target + tn;
                const char *amp = memchr(q, '&', (size_t)(qend - q));
                const char *stop = amp ? amp : qend;
                const char *eq = memchr(q, '=', (size_t)(stop - q));
                if (stop > q) {
                    query[nq++] = decode(r->a, q, (size_t)((eq ? eq : stop) - q), 1);
                    query[nq++] = eq ? decode(r->a, eq + 1, (size_t)(stop - eq - 1), 1) : "";
                }
                q = amp ? amp + 1 : NULL;
            }
        }
    }
    while ((line = next_line(&s, end, &n)) != NULL && n > 0) {
        const char *colon = memchr(line, ':', n);
        if (!colon || nh + 2 >= 2 * MAX_HDRS)
            continue;
        const char *v = colon + 1;
        while (v < line + n && (*v == ' ' || *v == '\t'))
            v++;
        hdr[nh++] = arena_strndup(r->a, line, (size_t)(colon - line));
        hdr[nh++] = arena_strndup(r->a, v, (size_t)(line + n - v));
    }
    hdr[nh] = NULL;
    query[nq] = NULL;
    r->ihdr = hdr;
    r->iquery = query;
    buf_append(&r->body, s, (size_t)(end - s));
    FUZZ_CHECK(buf_ok(&r->body), "arena refused the body");
    split_path(r);
}

/* ---- dispatch, as http.c does it ---- */

static int dispatch(struct req *r)
{
    int matched, rc;
    const struct route *rt = router_match(r, &matched);
    if (!rt && matched) {
        r->allow = router_allow(r);
        FUZZ_CHECK(r->allow && *r->allow, "405 without an Allow value");
        rc = err_set(&r->err, ERR_METHOD, NULL, NULL, "method not allowed here");
    } else if (!rt) {
        rc = err_set(&r->err, ERR_NO_ROUTE, NULL, NULL, "nothing here");
    } else {
        FUZZ_CHECK(rt->method == r->method || (r->method == HTTP_HEAD && rt->method == HTTP_GET),
                   "route %s for the wrong method", rt->pattern);
        rc = req_query_check(r);
        if (rc)
            FUZZ_CHECK(rc == -ERR_BAD_QUERY && r->err.nitems == 1,
                       "query check: rc %d, %d field items", rc, r->err.nitems);
        else
            rc = rt->fn(r);
    }
    if (rc || (r->status == 0 && r->err.code))
        resp_problem(r, rc);
    if (!r->status)
        r->status = 200;
    return rc;
}

static int no_crlf(const char *s)
{
    return !strpbrk(s, "\r\n");
}

static int contains(const char *p, size_t n, const char *needle)
{
    return p && n && memmem(p, n, needle, strlen(needle)) != NULL;
}

static void check_response(struct req *r, int rc, const uint8_t *data, size_t size)
{
    static const int ok_status[] = {200, 201, 204, 400, 401, 403, 404,
                                    405, 409, 413, 415, 422, 428, 429};
    int known = 0;
    for (size_t i = 0; i < sizeof(ok_status) / sizeof(ok_status[0]); i++)
        known |= r->status == ok_status[i];
    /* 500 is a bug; 503 only for the memory budget */
    FUZZ_CHECK(known || (r->status == 503 && r->err.code == ERR_BUDGET),
               "status %d (code %d: %s) for %s", r->status, r->err.code, r->err.detail, r->path);
    FUZZ_CHECK(r->ctype || r->status == 204, "no content type for status %d", r->status);
    FUZZ_CHECK(buf_ok(&r->out), "response buffer failed");
    const char *ct = r->ctype ? r->ctype : "";
    if (!r->file && (!strcmp(ct, "application/json") || !strcmp(ct, "application/problem+json"))) {
        json_error_t je;
        json_t *j = json_loadb(r->out.p ? r->out.p : "", r->out.len, 0, &je);
        FUZZ_CHECK(j, "%s body is not JSON (%s): %.400s", ct, je.text, buf_cstr(&r->out));
        if (!strcmp(ct, "application/problem+json")) {
            json_t *st = json_object_get(j, "status");
            FUZZ_CHECK(rc < 0 || r->err.code, "problem without an error");
            FUZZ_CHECK(json_is_integer(st) && json_integer_value(st) == r->status,
                       "problem status differs from %d", r->status);
            FUZZ_CHECK(json_is_array(json_object_get(j, "errors")), "problem without errors");
        }
        json_decref(j);
    }
    if (!contains((const char *)data, size, SECRET)) {
        FUZZ_CHECK(!contains(r->out.p, r->out.len, SECRET), "tenant 2 data served: %.400s",
                   buf_cstr(&r->out));
        FUZZ_CHECK(!contains(r->file, r->file_len, SECRET), "tenant 2 data in a file");
    }
    for (int i = 0; i < r->nhdr; i++)
        FUZZ_CHECK(r->hdr_k[i] && r->hdr_v[i] && no_crlf(r->hdr_v[i]), "bad response header %d", i);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new(ARENA_CAP);
    const char *hdr[2 * MAX_HDRS + 1], *query[2 * MAX_QUERY + 1];
    long long before[FP_MAX], after[FP_MAX];
    struct req r;

    req_init_internal(&r, a, NULL, db);
    parse_request(&r, size ? (const char *)data : "", size, hdr, query);
    fingerprint(before, FP_MAX);
    int audit = fuzz_audit() != NULL;
    long long audit_before = audit ? fuzz_count(conn, "SELECT COUNT(*) FROM audit_entries") : 0;
    int rc = dispatch(&r);
    FUZZ_CHECK(!db_in_tx(conn), "handler left a transaction open (%s)", r.path);
    if (debug)
        fprintf(stderr, "%d %s rc %d: %.300s\n", r.status, r.path, rc, buf_cstr(&r.out));
    check_response(&r, rc, data, size);
    fingerprint(after, FP_MAX);
    int changed = memcmp(before, after, sizeof(before)) != 0;
    if (r.status >= 300)
        FUZZ_CHECK(!changed, "status %d but the database changed (%s)", r.status, r.path);
    if (r.method == HTTP_GET || r.method == HTTP_HEAD)
        FUZZ_CHECK(!changed, "GET changed the database (%s)", r.path);
    long long audit_after = audit ? fuzz_count(conn, "SELECT COUNT(*) FROM audit_entries") : 0;
    if (audit_after != audit_before)
        fuzz_audit_verify(db, r.path);
    if (changed || audit_after > 1000) /* audited reads add up too */
        reset_db();
    arena_free(a);
    return 0;
}
