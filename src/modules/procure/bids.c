/* SPDX-License-Identifier: MIT
 * procure/bids.c - sealing a project (its key pair dealt into the opening
 * officials' shares), each official taking their share once, and the
 * suppliers' sealed bids: submission with a signed receipt, withdrawal and
 * replacement before the deadline. The opening is in opening.c; the design
 * and its threat model in docs/modules/procurement.md.
 */
#include "bids.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/buf.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../core/qr.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../engine/record.h"
#include "../../engine/report.h"
#include "../../engine/rest.h"
#include "../../engine/workflow.h"
#include "../identity/identity.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static int fail(struct db_conn *c, int rc)
{
    db_rollback(c);
    return rc;
}

int pc_assigned_supplier(struct req *r, struct db_conn *c, int64_t **ids, int *n, struct err *e)
{
    *n = 0;
    *ids = arena_alloc(r->a, sizeof(int64_t));
    if (!*ids)
        return -ERR_BUDGET;
    if (!r->who)
        return 0;
    int64_t id = 0;
    int rc = db_one_int(c, "SELECT id FROM suppliers WHERE tenant_id = ? AND user_id = ?",
                        DB_INTS(r->tenant_id, r->user_id), &id, e);
    if (rc < 0)
        return rc;
    if (rc)
        (*ids)[0] = id, *n = 1;
    return 0;
}

int pc_project_state(struct req *r, struct db_conn *c, int64_t project, const char **status,
                     int64_t *deadline, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare_ints(c,
                             "SELECT status, bid_deadline FROM procurement_projects WHERE "
                             "tenant_id = ? AND id = ?",
                             DB_INTS(r->tenant_id, project), &st, e);
    if (rc)
        return rc;
    *status = NULL, *deadline = 0;
    if ((rc = db_step(st, e)) == DB_ROW) {
        *status = arena_strdup(r->a, db_col_text(st, 0, NULL));
        *deadline = db_col_int(st, 1);
    }
    db_reset(st);
    return rc < 0 ? rc : rc == DB_ROW;
}

static const char *rfc3339(struct req *r, int64_t t)
{
    char *b = arena_alloc(r->a, 40);
    if (b)
        time_format_rfc3339(t, r->utc_offset_min, b, 40);
    return b;
}

static int not_found(struct req *r, const char *what)
{
    return err_set(&r->err, ERR_NOT_FOUND, NULL, NULL, "no such %s", what);
}

/* ---- sealing ---- */

struct seal_row {
    int64_t id, k, n, opened_at;
    const char *status, *pk;
};

/* The project's seal: 1 found, 0 none, or an error. */
static int seal_of(struct req *r, struct db_conn *c, int64_t project, struct seal_row *s)
{
    struct db_stmt *st;
    memset(s, 0, sizeof(*s));
    int rc = db_prepare_ints(c,
                             "SELECT id, k, n, status, public_key, opened_at FROM bid_seals "
                             "WHERE tenant_id = ? AND project_id = ?",
                             DB_INTS(r->tenant_id, project), &st, &r->err);
    if (rc)
        return rc;
    if ((rc = db_step(st, &r->err)) == DB_ROW) {
        s->id = db_col_int(st, 0);
        s->k = db_col_int(st, 1);
        s->n = db_col_int(st, 2);
        s->status = arena_strdup(r->a, db_col_text(st, 3, NULL));
        s->pk = arena_strdup(r->a, db_col_text(st, 4, NULL));
        s->opened_at = db_col_int(st, 5);
    }
    db_reset(st);
    return rc < 0 ? rc : rc == DB_ROW;
}

/* POST /api/v1/procurement_projects/{id}/seal {"k": 3, "officials": [user ids]} */
int pc_route_seal(struct req *r)
{
    static const char *const members[] = {"k", "officials", NULL};
    int64_t project;
    json_t *body;
    int rc = perm_check(r, &pc_seals, "seal");
    if (rc || (rc = rest_id(r, 3, &project)) || (rc = rest_body_json(r, &body, 0)) ||
        (rc = rest_body_only(r, body, members)))
        return rc;
    json_t *off = json_object_get(body, "officials");
    json_t *kj = json_object_get(body, "k");
    int n = json_is_array(off) ? (int)json_array_size(off) : 0;
    int64_t users[PC_SHARE_MAX_N];
    if (!json_is_array(off) || n < 2 || n > PC_SHARE_MAX_N)
        err_field(&r->err, "officials", "procure.seal.officials",
                  "name between {min}%d and {max}%d opening officials", 2, PC_SHARE_MAX_N);
    for (int i = 0; i < n && n <= PC_SHARE_MAX_N; i++) {
        json_t *v = json_array_get(off, (size_t)i);
        users[i] = json_is_integer(v) ? json_integer_value(v) : 0;
        int dup = 0;
        for (int j = 0; j < i; j++)
            dup |= users[j] == users[i];
        if (users[i] <= 0 || dup) {
            char f[32];
            snprintf(f, sizeof(f), "officials[%d]", i);
            err_field(&r->err, f, dup ? "field.unique" : "field.integer",
                      dup ? "named twice" : "must be a user id");
        }
    }
    int64_t k = json_is_integer(kj) ? json_integer_value(kj) : 0;
    if (!r->err.nitems && (k < 2 || k > n))
        err_field(&r->err, "k", "procure.seal.k",
                  "the shares needed must be between {min}%d and {max}%d", 2, n);
    if (r->err.nitems)
        return err_invalid(&r->err);
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    for (int i = 0; i < n; i++) {
        struct identity_user u;
        if ((rc = identity_user(r, c, users[i], &u, &r->err)))
            return rc;
        if (!u.username || !u.active) {
            char f[32];
            snprintf(f, sizeof(f), "officials[%d]", i);
            err_field(&r->err, f, "procure.seal.official_unknown",
                      "no active user {user}%lld", (long long)users[i]);
        }
    }
    if (r->err.nitems)
        return err_invalid(&r->err);

    if ((rc = db_begin(c, &r->err)))
        return rc;
    if ((rc = rec_lock(r, c, &pc_projects, project, &r->err)) < 0)
        return fail(c, rc);
    const char *status;
    int64_t deadline;
    if (rc == 1 || (rc = pc_project_state(r, c, project, &status, &deadline, &r->err)) <= 0)
        return fail(c, rc < 0 ? rc : not_found(r, "project"));
    if (!wf_is(status, "approved") && !wf_is(status, "notice_published")) {
        rc = err_set(&r->err, ERR_CONFLICT, "status", "procure.seal.state",
                     "a project is sealed while approved or its notice published, not "
                     "{status}%s",
                     status ? status : "");
        return fail(c, rc);
    }
    struct seal_row old;
    if ((rc = seal_of(r, c, project, &old)) < 0)
        return fail(c, rc);
    if (rc && !wf_is(old.status, "sealed"))
        return fail(c, err_set(&r->err, ERR_CONFLICT, NULL, "procure.opening.done",
                               "the bids of this project were opened"));
    int64_t nbids = 0;
    if (rc && (rc = db_one_int(c, "SELECT COUNT(*) FROM bids WHERE tenant_id = ? AND project_id = ?",
                               DB_INTS(r->tenant_id, project), &nbids, &r->err)) < 0)
        return fail(c, rc);
    if (nbids)
        return fail(c, err_set(&r->err, ERR_CONFLICT, NULL, "procure.seal.has_bids",
                               "{count}%lld bids are sealed to this key already",
                               (long long)nbids));

    unsigned char pk[PC_PK_BYTES];
    struct pc_share *shares = sodium_malloc(sizeof(struct pc_share) * PC_SHARE_MAX_N);
    if (!shares)
        return fail(c, err_set(&r->err, ERR_BUDGET, NULL, NULL, "out of memory"));
    if (pc_seal_deal((int)k, n, pk, shares)) {
        sodium_free(shares);
        return fail(c, err_set(&r->err, ERR_INTERNAL, NULL, NULL, "cannot deal the shares"));
    }
    char pk64[sodium_base64_ENCODED_LEN(PC_PK_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(pk64, sizeof(pk64), pk, sizeof(pk), sodium_base64_VARIANT_ORIGINAL);
    int64_t now = clock_now(), seal = old.id;
    json_t *rec = json_pack("{s:s,s:I,s:I,s:s,s:o,s:n,s:I}", "public_key", pk64, "k",
                            (json_int_t)k, "n", (json_int_t)n, "status", "sealed", "sealed_at",
                            wf_time_json(r, now), "opened_at", "opened_bids", (json_int_t)0);
    if (seal) {
        /* made again before any bid (a share lost with a restart): the old
         * officials' rows go, audited with the seal's update */
        json_t *gone = json_pack("{s:I}", "seal_id", (json_int_t)seal);
        rc = (int)db_exec_ints(c, "DELETE FROM opening_officials WHERE tenant_id = ? AND seal_id = ?",
                               DB_INTS(r->tenant_id, seal), &r->err);
        if (rc >= 0)
            rc = rec_audit(r, c, "reseal", pc_seals.name, seal, gone, NULL, &r->err);
        json_decref(gone);
        if (!rc)
            rc = wf_update(r, c, &pc_seals, seal, rec, &r->err);
        else
            json_decref(rec);
    } else {
        json_object_set_new(rec, "project_id", json_integer(project));
        rc = wf_create(r, c, &pc_seals, rec, &seal, &r->err);
    }
    json_t *list = json_array();
    for (int i = 0; !rc && i < n; i++) {
        char hex[65];
        pc_share_hash(seal, &shares[i], hex);
        int64_t oid;
        rc = wf_create(r, c, &pc_officials,
                       json_pack("{s:I,s:I,s:i,s:s}", "seal_id", (json_int_t)seal, "user_id",
                                 (json_int_t)users[i], "share_no", (int)shares[i].no,
                                 "share_sha256", hex),
                       &oid, &r->err);
        if (!rc && pc_pending_put(r->tenant_id, seal, users[i], &shares[i],
                                  now + PC_SHARE_TTL_S))
            rc = err_set(&r->err, ERR_BUDGET, NULL, "procure.seal.busy",
                         "too many shares wait for their officials");
        if (!rc)
            json_array_append_new(list, json_pack("{s:I,s:I,s:i}", "id", (json_int_t)oid,
                                                  "user_id", (json_int_t)users[i], "share_no",
                                                  (int)shares[i].no));
    }
    sodium_free(shares); /* zeroed: the pending copies are the only ones left */
    if (!rc)
        rc = db_commit(c, &r->err);
    if (rc) {
        pc_pending_drop(r->tenant_id, seal, 0);
        json_decref(list);
        return fail(c, rc);
    }
    return report_send_status(r, 201,
                json_pack("{s:I,s:I,s:s,s:I,s:I,s:s,s:o}", "id", (json_int_t)seal, "project_id",
                          (json_int_t)project, "public_key", pk64, "k", (json_int_t)k, "n",
                          (json_int_t)n, "status", "sealed", "officials", list));
}

/* POST /api/v1/bid_seals/{id}/take: the caller's share, once. */
int pc_route_take_share(struct req *r)
{
    int64_t seal;
    int rc = rest_id(r, 3, &seal);
    if (rc)
        return rc;
    if (!r->who)
        return -ERR_UNAUTHENTICATED;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    if ((rc = db_begin(c, &r->err)))
        return rc;
    struct db_stmt *st;
    if ((rc = db_prepare_ints(c,
                              "SELECT o.id, o.share_no, o.share_sha256, o.handed_at, s.status, "
                              "s.project_id, s.k, s.n FROM opening_officials o JOIN bid_seals s ON "
                              "s.tenant_id = o.tenant_id AND s.id = o.seal_id WHERE o.tenant_id = "
                              "? AND o.seal_id = ? AND o.user_id = ?",
                              DB_INTS(r->tenant_id, seal, r->user_id), &st, &r->err)))
        return fail(c, rc);
    int64_t oid = 0, no = 0, handed = 0, project = 0, k = 0, n = 0;
    const char *hash = NULL, *sstatus = NULL;
    if ((rc = db_step(st, &r->err)) == DB_ROW) {
        oid = db_col_int(st, 0);
        no = db_col_int(st, 1);
        hash = arena_strdup(r->a, db_col_text(st, 2, NULL));
        handed = db_col_int(st, 3);
        sstatus = arena_strdup(r->a, db_col_text(st, 4, NULL));
        project = db_col_int(st, 5);
        k = db_col_int(st, 6);
        n = db_col_int(st, 7);
    }
    db_reset(st);
    if (rc < 0)
        return fail(c, rc);
    if (!oid)
        return fail(c, err_set(&r->err, ERR_NOT_FOUND, NULL, "procure.share.not_official",
                               "you hold no share of this seal"));
    if ((rc = rec_lock(r, c, &pc_officials, oid, &r->err)) < 0)
        return fail(c, rc);
    if (handed || !wf_is(sstatus, "sealed"))
        return fail(c, err_set(&r->err, ERR_CONFLICT, NULL, "procure.share.taken",
                               "your share was taken at {at}%s; it is never shown again",
                               handed ? rfc3339(r, handed) : "-"));
    struct pc_share *s = sodium_malloc(sizeof(*s));
    if (!s)
        return fail(c, err_set(&r->err, ERR_BUDGET, NULL, NULL, "out of memory"));
    char hex[65];
    if (pc_pending_get(r->tenant_id, seal, r->user_id, s) ||
        (pc_share_hash(seal, s, hex), strcmp(hex, hash ? hash : "")) || s->no != no) {
        sodium_free(s);
        return fail(c, err_set(&r->err, ERR_CONFLICT, NULL, "procure.share.lost",
                               "the shares of this seal are no longer held (the server restarted "
                               "or they expired): the procurement manager seals the project again"));
    }
    int64_t now = clock_now();
    rc = wf_update(r, c, &pc_officials, oid, json_pack("{s:o}", "handed_at", wf_time_json(r, now)),
                   &r->err);
    if (!rc)
        rc = db_commit(c, &r->err);
    if (rc) {
        sodium_free(s);
        return fail(c, rc);
    }
    pc_pending_drop(r->tenant_id, seal, r->user_id);
    char *text = sodium_malloc(PC_SHARE_TEXT_MAX);
    struct buf svg;
    buf_init(&svg, r->a);
    if (text)
        pc_share_text(seal, s, text);
    sodium_free(s);
    if (!text || qr_svg(text, &svg)) {
        if (text)
            sodium_free(text);
        return err_set(&r->err, ERR_INTERNAL, NULL, NULL, "cannot draw the share");
    }
    rc = report_send_status(r, 200,
              json_pack("{s:I,s:I,s:I,s:I,s:I,s:s,s:s%,s:s}", "seal_id", (json_int_t)seal,
                        "project_id", (json_int_t)project, "share_no", (json_int_t)no, "k",
                        (json_int_t)k, "n", (json_int_t)n, "share", text, "qr_svg",
                        svg.p, svg.len, "handed_at", rfc3339(r, now)));
    sodium_memzero(svg.p, svg.len);
    sodium_free(text);
    return rc;
}

/* ---- receipts ---- */

/* The tenant's signing key, made on first use (in the caller's transaction):
 * sk[64], pk64 (base64 of the public key). */
static int receipt_key(struct req *r, struct db_conn *c, unsigned char *sk, char *pk64,
                       size_t pkn)
{
    struct db_stmt *st;
    int rc = db_prepare_ints(c,
                             "SELECT public_key, secret_key FROM bid_receipt_keys WHERE tenant_id "
                             "= ? ORDER BY id DESC",
                             DB_INTS(r->tenant_id), &st, &r->err);
    if (rc)
        return rc;
    int found = 0;
    if ((rc = db_step(st, &r->err)) == DB_ROW) {
        size_t n;
        const char *sk64 = db_col_text(st, 1, &n);
        size_t got = 0;
        snprintf(pk64, pkn, "%s", db_col_text(st, 0, NULL));
        found = !sodium_base642bin(sk, crypto_sign_SECRETKEYBYTES, sk64, n, NULL, &got, NULL,
                                   sodium_base64_VARIANT_ORIGINAL) &&
                got == crypto_sign_SECRETKEYBYTES;
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    if (found)
        return 0;
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    crypto_sign_keypair(pk, sk);
    char sk64[sodium_base64_ENCODED_LEN(crypto_sign_SECRETKEYBYTES, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(pk64, pkn, pk, sizeof(pk), sodium_base64_VARIANT_ORIGINAL);
    sodium_bin2base64(sk64, sizeof(sk64), sk, crypto_sign_SECRETKEYBYTES,
                      sodium_base64_VARIANT_ORIGINAL);
    int64_t id;
    rc = wf_create(r, c, &pc_receipt_keys,
                   json_pack("{s:s,s:s}", "public_key", pk64, "secret_key", sk64), &id, &r->err);
    sodium_memzero(sk64, sizeof(sk64));
    return rc;
}

/* The receipt of bid: its text, signed. */
static json_t *receipt(struct req *r, struct db_conn *c, int64_t project, int64_t bid,
                       int64_t supplier, const char *sha, int64_t at, int *rc)
{
    unsigned char *sk = sodium_malloc(crypto_sign_SECRETKEYBYTES);
    char pk64[64];
    if (!sk) {
        *rc = err_set(&r->err, ERR_BUDGET, NULL, NULL, "out of memory");
        return NULL;
    }
    if ((*rc = receipt_key(r, c, sk, pk64, sizeof(pk64)))) {
        sodium_free(sk);
        return NULL;
    }
    char when[40];
    time_format_rfc3339(at, 0, when, sizeof(when));
    const char *text = arena_printf(r->a,
                                    "bureau bid receipt v1\ntenant: %lld\nproject: %lld\nbid: "
                                    "%lld\nsupplier: %lld\ncipher_sha256: %s\nsubmitted_at: %s\n",
                                    (long long)r->tenant_id, (long long)project, (long long)bid,
                                    (long long)supplier, sha, when);
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, NULL, (const unsigned char *)text, strlen(text), sk);
    sodium_free(sk);
    char sig64[sodium_base64_ENCODED_LEN(crypto_sign_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(sig64, sizeof(sig64), sig, sizeof(sig), sodium_base64_VARIANT_ORIGINAL);
    return json_pack("{s:s,s:s,s:s,s:s}", "alg", "Ed25519", "text", text, "signature", sig64,
                     "public_key", pk64);
}

/* GET /api/v1/procure/receipt_keys?tenant=N: every public key that signed
 * receipts (no sign-in: anyone verifies a receipt). */
int pc_route_receipt_keys(struct req *r)
{
    const char *t = req_query(r, "tenant");
    int64_t tenant = r->who ? r->tenant_id : 1;
    if (t && (tenant = strtoll(t, NULL, 10)) <= 0)
        return err_field(&r->err, "tenant", "field.integer", "must be a tenant id"),
               err_invalid(&r->err);
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    struct db_stmt *st;
    int rc = db_prepare_ints(c,
                             "SELECT id, public_key, created_at FROM bid_receipt_keys WHERE "
                             "tenant_id = ? ORDER BY id",
                             DB_INTS(tenant), &st, &r->err);
    if (rc)
        return rc;
    json_t *keys = json_array();
    while ((rc = db_step(st, &r->err)) == DB_ROW)
        json_array_append_new(keys,
                              json_pack("{s:I,s:s,s:s,s:o}", "id", (json_int_t)db_col_int(st, 0),
                                        "alg", "Ed25519", "public_key", db_col_text(st, 1, NULL),
                                        "created_at", wf_time_json(r, db_col_int(st, 2))));
    db_reset(st);
    if (rc < 0) {
        json_decref(keys);
        return rc;
    }
    return report_send_status(r, 200, json_pack("{s:I,s:o}", "tenant", (json_int_t)tenant, "keys", keys));
}

/* ---- bids ---- */

/* The caller's approved supplier: its id, or an error. */
static int my_supplier(struct req *r, struct db_conn *c, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_prepare_ints(c, "SELECT id, status FROM suppliers WHERE tenant_id = ? AND user_id = ?",
                             DB_INTS(r->tenant_id, r->user_id), &st, &r->err);
    if (rc)
        return rc;
    const char *status = NULL;
    *id = 0;
    if ((rc = db_step(st, &r->err)) == DB_ROW) {
        *id = db_col_int(st, 0);
        status = arena_strdup(r->a, db_col_text(st, 1, NULL));
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    if (!*id)
        return err_set(&r->err, ERR_FORBIDDEN, NULL, "procure.bid.not_supplier",
                       "only a supplier's portal login bids");
    if (!wf_is(status, "approved"))
        return err_set(&r->err, ERR_CONFLICT, NULL, "procure.supplier.not_approved",
                       "the supplier is {status}%s, not approved", status ? status : "");
    return 0;
}

/* Bids are taken: the project takes bids now (state, deadline, seal). */
static int bids_open(struct req *r, struct db_conn *c, int64_t project)
{
    const char *status;
    int64_t deadline;
    int rc = pc_project_state(r, c, project, &status, &deadline, &r->err);
    if (rc <= 0)
        return rc < 0 ? rc : not_found(r, "project");
    /* no deadline yet: the notice is published, the bidding not opened */
    if ((!wf_is(status, "notice_published") && !wf_is(status, "bidding")) || !deadline)
        return err_set(&r->err, ERR_CONFLICT, NULL, "procure.bid.closed",
                       "the project takes no bids while {status}%s", status ? status : "");
    if (clock_now() >= deadline)
        return err_set(&r->err, ERR_CONFLICT, NULL, "procure.bid.late",
                       "bids closed at {deadline}%s", rfc3339(r, deadline));
    struct seal_row s;
    if ((rc = seal_of(r, c, project, &s)) < 0)
        return rc;
    if (!rc || !wf_is(s.status, "sealed"))
        return err_set(&r->err, ERR_CONFLICT, NULL, "procure.project.not_sealed",
                       "the project has no seal to take bids");
    return 0;
}

/* The body's ciphertext: its bytes' count and SHA-256 (hex); 422 when it is
 * not base64 of a sealed box within the limit. */
static int body_cipher(struct req *r, json_t *body, const char **b64, size_t *bytes, char sha[65])
{
    static const char *const members[] = {"cipher", NULL};
    int rc = rest_body_only(r, body, members);
    if (rc)
        return rc;
    const char *s = wf_str(body, "cipher");
    size_t n = s ? strlen(s) : 0;
    if (!n)
        return err_field(&r->err, "cipher", "field.required", "is required"),
               err_invalid(&r->err);
    if (n > PC_BID_MAX_B64)
        return err_field(&r->err, "cipher", "procure.bid.too_large",
                         "a sealed bid is at most {max}%d bytes", PC_BID_MAX_BYTES),
               err_invalid(&r->err);
    unsigned char *bin = arena_alloc(r->a, n);
    size_t got = 0;
    if (!bin)
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "out of memory");
    if (sodium_base642bin(bin, n, s, n, NULL, &got, NULL, sodium_base64_VARIANT_ORIGINAL) ||
        got < crypto_box_SEALBYTES + 2)
        return err_field(&r->err, "cipher", "procure.bid.cipher",
                         "is not a sealed box in base64"),
               err_invalid(&r->err);
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, bin, got);
    sodium_bin2hex(sha, 65, h, sizeof(h));
    *b64 = s, *bytes = got;
    return 0;
}

/* Writes a new bid and its receipt; answers 201. */
static int new_bid(struct req *r, struct db_conn *c, int64_t project, int64_t supplier,
                   int64_t replaces, const char *b64, size_t bytes, const char *sha)
{
    int64_t now = clock_now(), id;
    json_t *rec = json_pack("{s:I,s:I,s:s,s:o,s:s,s:I,s:s}", "project_id", (json_int_t)project,
                            "supplier_id", (json_int_t)supplier, "status", "submitted",
                            "submitted_at", wf_time_json(r, now), "cipher_sha256", sha,
                            "cipher_bytes", (json_int_t)bytes, "cipher", b64);
    if (rec && replaces)
        json_object_set_new(rec, "replaces_id", json_integer(replaces));
    int rc = wf_create(r, c, &pc_bids, rec, &id, &r->err);
    json_t *rcpt = rc ? NULL : receipt(r, c, project, id, supplier, sha, now, &rc);
    if (!rc)
        rc = wf_update(r, c, &pc_bids, id, json_pack("{s:O}", "receipt", rcpt), &r->err);
    if (!rc)
        rc = db_commit(c, &r->err);
    if (rc) {
        json_decref(rcpt);
        return fail(c, rc);
    }
    return report_send_status(r, 201,
                json_pack("{s:I,s:I,s:I,s:s,s:s,s:I,s:o,s:o}", "id", (json_int_t)id, "project_id",
                          (json_int_t)project, "supplier_id", (json_int_t)supplier, "status",
                          "submitted", "cipher_sha256", sha, "cipher_bytes", (json_int_t)bytes,
                          "submitted_at", wf_time_json(r, now), "receipt", rcpt));
}

/* POST /api/v1/procurement_projects/{id}/bids {"cipher": base64} */
int pc_route_submit(struct req *r)
{
    int64_t project, supplier;
    json_t *body;
    const char *b64;
    size_t bytes;
    char sha[65];
    int rc = perm_check(r, &pc_bids, "create");
    if (rc || (rc = rest_id(r, 3, &project)) || (rc = rest_body_json(r, &body, 0)) ||
        (rc = body_cipher(r, body, &b64, &bytes, sha)))
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    if ((rc = db_begin(c, &r->err)))
        return rc;
    if ((rc = rec_lock(r, c, &pc_projects, project, &r->err)) < 0)
        return fail(c, rc);
    if (rc == 1)
        return fail(c, not_found(r, "project"));
    if ((rc = my_supplier(r, c, &supplier)) || (rc = bids_open(r, c, project)))
        return fail(c, rc);
    int64_t live = 0;
    if ((rc = db_one_int(c,
                         "SELECT id FROM bids WHERE tenant_id = ? AND project_id = ? AND "
                         "supplier_id = ? AND status = 'submitted'",
                         DB_INTS(r->tenant_id, project, supplier), &live, &r->err)) < 0)
        return fail(c, rc);
    if (live)
        return fail(c, err_set(&r->err, ERR_CONFLICT, NULL, "procure.bid.exists",
                               "your bid {bid}%lld stands: replace or withdraw it",
                               (long long)live));
    return new_bid(r, c, project, supplier, 0, b64, bytes, sha);
}

/* A bid of the caller's (assigned scope), locked, still standing and its
 * project still taking bids. */
static int my_live_bid(struct req *r, const char *verb, int64_t *id, struct db_conn **c,
                       int64_t *project, int64_t *supplier)
{
    json_t *rec;
    int rc = rest_record(r, &pc_bids, verb, id, c, &rec);
    if (rc)
        return rc;
    *project = wf_int(rec, "project_id");
    if ((rc = db_begin(*c, &r->err)))
        return rc;
    if ((rc = rec_lock(r, *c, &pc_projects, *project, &r->err)) < 0 ||
        (rc = rec_lock(r, *c, &pc_bids, *id, &r->err)) < 0 || (rc = my_supplier(r, *c, supplier)))
        return fail(*c, rc);
    json_t *now;
    if ((rc = wf_load(r, *c, &pc_bids, *id, &now, &r->err)))
        return fail(*c, rc);
    if (wf_int(now, "supplier_id") != *supplier)
        return fail(*c, not_found(r, "bid"));
    if (!wf_is(wf_str(now, "status"), "submitted"))
        return fail(*c, err_set(&r->err, ERR_CONFLICT, "status", "wf.out_of_order",
                                "the bid is {state}%s", wf_str(now, "status")));
    if ((rc = bids_open(r, *c, *project)))
        return fail(*c, rc);
    return 0;
}

/* POST /api/v1/bids/{id}/withdraw */
int pc_route_withdraw(struct req *r)
{
    int64_t id, project, supplier;
    struct db_conn *c;
    json_t *body;
    static const char *const members[] = {NULL};
    int rc = rest_body_json(r, &body, 1);
    if (rc || (rc = rest_body_only(r, body, members)) ||
        (rc = my_live_bid(r, "withdraw", &id, &c, &project, &supplier)))
        return rc;
    rc = wf_update(r, c, &pc_bids, id,
                   json_pack("{s:s,s:o}", "status", "withdrawn", "withdrawn_at",
                             wf_time_json(r, clock_now())),
                   &r->err);
    if (!rc)
        rc = db_commit(c, &r->err);
    if (rc)
        return fail(c, rc);
    buf_truncate(&r->out, 0);
    if ((rc = rec_get(r, c, &pc_bids, id, &r->out, NULL, &r->err)))
        return rc;
    return resp_json(r, 200);
}

/* POST /api/v1/bids/{id}/replace {"cipher": base64}: the bid replaced by a new one */
int pc_route_replace(struct req *r)
{
    int64_t id, project, supplier;
    struct db_conn *c;
    json_t *body;
    const char *b64;
    size_t bytes;
    char sha[65];
    int rc = rest_body_json(r, &body, 0);
    if (rc || (rc = body_cipher(r, body, &b64, &bytes, sha)) ||
        (rc = my_live_bid(r, "replace", &id, &c, &project, &supplier)))
        return rc;
    rc = wf_update(r, c, &pc_bids, id,
                   json_pack("{s:s,s:o}", "status", "replaced", "withdrawn_at",
                             wf_time_json(r, clock_now())),
                   &r->err);
    if (rc)
        return fail(c, rc);
    return new_bid(r, c, project, supplier, id, b64, bytes, sha);
}

/* GET /api/v1/procure/open_projects: the projects taking bids now, with the
 * key to seal a bid to, and the caller's own standing bid on each. */
int pc_route_open_projects(struct req *r)
{
    int rc = perm_check(r, &pc_bids, "read");
    if (rc)
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    int64_t supplier = 0;
    if (r->who && (rc = db_one_int(c, "SELECT id FROM suppliers WHERE tenant_id = ? AND user_id = ?",
                                   DB_INTS(r->tenant_id, r->user_id), &supplier, &r->err)) < 0)
        return rc;
    struct db_stmt *st;
    if ((rc = db_prepare_ints(
             c,
             "SELECT p.id, p.name, p.status, p.bid_deadline, s.id, s.public_key, s.k, s.n, "
             "(SELECT MAX(b.id) FROM bids b WHERE b.tenant_id = p.tenant_id AND b.project_id = "
             "p.id AND b.supplier_id = ? AND b.status = 'submitted') FROM procurement_projects p "
             "JOIN bid_seals s ON s.tenant_id = p.tenant_id AND s.project_id = p.id AND s.status "
             "= 'sealed' WHERE p.tenant_id = ? AND p.status IN ('notice_published', 'bidding') "
             "AND p.bid_deadline > ? ORDER BY p.bid_deadline, p.id",
             DB_INTS(supplier, r->tenant_id, clock_now()), &st, &r->err)))
        return rc;
    json_t *items = json_array();
    while ((rc = db_step(st, &r->err)) == DB_ROW)
        json_array_append_new(
            items, json_pack("{s:I,s:s,s:s,s:o,s:I,s:s,s:I,s:I,s:o}", "id",
                             (json_int_t)db_col_int(st, 0), "name", db_col_text(st, 1, NULL),
                             "status", db_col_text(st, 2, NULL), "bid_deadline",
                             wf_time_json(r, db_col_int(st, 3)), "seal_id",
                             (json_int_t)db_col_int(st, 4), "public_key",
                             db_col_text(st, 5, NULL), "k", (json_int_t)db_col_int(st, 6), "n",
                             (json_int_t)db_col_int(st, 7), "my_bid_id",
                             db_col_is_null(st, 8) ? json_null()
                                                   : json_integer(db_col_int(st, 8))));
    db_reset(st);
    if (rc < 0) {
        json_decref(items);
        return rc;
    }
    return report_send_status(r, 200, json_pack("{s:I,s:o}", "supplier_id", (json_int_t)supplier, "items", items));
}

/* GET /api/v1/procure/my_shares: the seals the caller holds a share of,
 * whether taken, and the project each seals. */
int pc_route_my_shares(struct req *r)
{
    if (!r->who)
        return -ERR_UNAUTHENTICATED;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    struct db_stmt *st;
    int rc = db_prepare_ints(c,
                             "SELECT o.seal_id, o.share_no, o.handed_at, s.project_id, s.k, s.n, "
                             "s.status, p.name, p.bid_deadline FROM opening_officials o JOIN "
                             "bid_seals s ON s.tenant_id = o.tenant_id AND s.id = o.seal_id JOIN "
                             "procurement_projects p ON p.tenant_id = s.tenant_id AND p.id = "
                             "s.project_id WHERE o.tenant_id = ? AND o.user_id = ? ORDER BY "
                             "o.seal_id DESC",
                             DB_INTS(r->tenant_id, r->user_id), &st, &r->err);
    if (rc)
        return rc;
    json_t *items = json_array();
    while ((rc = db_step(st, &r->err)) == DB_ROW)
        json_array_append_new(
            items,
            json_pack("{s:I,s:I,s:o,s:I,s:I,s:I,s:s,s:s,s:o}", "seal_id",
                      (json_int_t)db_col_int(st, 0), "share_no", (json_int_t)db_col_int(st, 1),
                      "handed_at", wf_time_json(r, db_col_int(st, 2)), "project_id",
                      (json_int_t)db_col_int(st, 3), "k", (json_int_t)db_col_int(st, 4), "n",
                      (json_int_t)db_col_int(st, 5), "status", db_col_text(st, 6, NULL),
                      "project_name", db_col_text(st, 7, NULL), "bid_deadline",
                      wf_time_json(r, db_col_int(st, 8))));
    db_reset(st);
    if (rc < 0) {
        json_decref(items);
        return rc;
    }
    return report_send_status(r, 200, json_pack("{s:o}", "items", items));
}

/* GET /api/v1/bid_seals/{id}/demo_shares: a demo seal's shares, computed
 * again from its public demo seed (bid_demo.c). A real seal has no seed:
 * 404, whoever asks. */
int pc_route_demo_shares(struct req *r)
{
    int64_t id;
    json_t *rec;
    struct db_conn *c;
    int rc = rest_record(r, &pc_seals, "read", &id, &c, &rec);
    if (rc)
        return rc;
    const char *hex = wf_str(rec, "demo_seed");
    unsigned char seed[32];
    size_t got = 0;
    int k = (int)wf_int(rec, "k"), n = (int)wf_int(rec, "n");
    if (!hex || sodium_hex2bin(seed, sizeof(seed), hex, strlen(hex), NULL, &got, NULL) ||
        got != sizeof(seed))
        return err_set(&r->err, ERR_NOT_FOUND, NULL, "procure.seal.not_demo",
                       "only the demo's seals have shares anyone can compute");
    unsigned char pk[PC_PK_BYTES];
    struct pc_share sh[PC_SHARE_MAX_N];
    if (pc_seal_deal_demo(k, n, seed, pk, sh))
        return err_set(&r->err, ERR_INTERNAL, NULL, NULL, "cannot deal the shares");
    json_t *list = json_array();
    for (int i = 0; i < n; i++) {
        char t[PC_SHARE_TEXT_MAX];
        pc_share_text(id, &sh[i], t);
        json_array_append_new(list, json_string(t));
    }
    sodium_memzero(sh, sizeof(sh));
    return report_send_status(r, 200, json_pack("{s:I,s:i,s:i,s:o}", "seal_id", (json_int_t)id, "k", k, "n", n,
                                  "shares", list));
}
