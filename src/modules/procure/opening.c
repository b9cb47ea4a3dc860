/* SPDX-License-Identifier: MIT
 * procure/opening.c - the opening ceremony: k officials type their shares
 * into one request; each is recognised by its hash, the key is rebuilt in
 * memory and checked against the seal's public key, every standing bid is
 * opened and recorded (price, technical response, valid or why not), the
 * key wiped, the seal marked opened and the project moved bidding →
 * opening → evaluation. Nothing of it outlives the request.
 */
#include "bids.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/buf.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../engine/record.h"
#include "../../engine/rest.h"
#include "../../engine/report.h"
#include "../../engine/workflow.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(struct db_conn *c, int rc)
{
    db_rollback(c);
    return rc;
}

int pc_bid_parse(const unsigned char *p, size_t n, int64_t project, int64_t supplier,
                 int64_t *price, const char **technical, json_t **docs, const char **why,
                 json_t **keep)
{
    *price = 0, *technical = NULL, *docs = NULL, *why = NULL, *keep = NULL;
    json_error_t je;
    json_t *j = json_loadb((const char *)p, n, JSON_REJECT_DUPLICATES, &je);
    if (!json_is_object(j)) {
        *why = "not a bid envelope (JSON object)";
        json_decref(j);
        return -1;
    }
    json_t *v = json_object_get(j, "v"), *pr = json_object_get(j, "price_fen"),
           *t = json_object_get(j, "technical"), *d = json_object_get(j, "documents");
    if (!json_is_integer(v) || json_integer_value(v) != 1)
        *why = "unknown envelope version";
    else if (json_integer_value(json_object_get(j, "project_id")) != project)
        *why = "sealed for another project";
    else if (json_integer_value(json_object_get(j, "supplier_id")) != supplier)
        *why = "sealed by another supplier";
    else if (!json_is_integer(pr) || json_integer_value(pr) <= 0 ||
             json_integer_value(pr) > 100000000000000LL)
        *why = "price_fen is not a positive amount";
    else if (t && !json_is_null(t) && (!json_is_string(t) || json_string_length(t) > 60000))
        *why = "technical is not text";
    else if (d && !json_is_null(d) && !json_is_array(d))
        *why = "documents is not a list";
    if (*why) {
        json_decref(j);
        return -1;
    }
    *price = json_integer_value(pr);
    const char *tt = t && json_is_string(t) ? json_string_value(t) : NULL;
    json_t *list = NULL;
    if (d && json_is_array(d)) {
        /* the documents' names, types and sizes are recorded; their bytes
         * stay in the ciphertext */
        list = json_array();
        json_t *x;
        size_t i;
        json_array_foreach(d, i, x)
        {
            const char *name = wf_str(x, "name"), *data = wf_str(x, "data");
            if (!json_is_object(x) || !name) {
                *why = "a document without its name";
                json_decref(list);
                json_decref(j);
                return -1;
            }
            json_array_append_new(list, json_pack("{s:s,s:s?,s:I}", "name", name, "type",
                                                  wf_str(x, "type"), "b64_len",
                                                  (json_int_t)(data ? strlen(data) : 0)));
        }
    }
    *technical = tt;
    *docs = list;
    *keep = j;
    return 0;
}

struct opened {
    int64_t id, supplier, price;
    int valid;
    const char *technical, *why, *supplier_name;
    json_t *docs, *keep;
};

static void drop(struct opened *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        json_decref(b[i].docs), json_decref(b[i].keep);
}

/* POST /api/v1/procurement_projects/{id}/open {"shares": ["PCS1-…", …]} */
int pc_route_open(struct req *r)
{
    static const char *const members[] = {"shares", NULL};
    int64_t project;
    json_t *body;
    int rc = perm_check(r, &pc_seals, "open");
    if (rc || (rc = rest_id(r, 3, &project)) || (rc = rest_body_json(r, &body, 0)))
        return rc;
    const char *k;
    json_t *v;
    json_object_foreach(body, k, v) if (strcmp(k, members[0]))
    {
        err_field(&r->err, k, "field.unknown", "unknown field");
        return err_invalid(&r->err);
    }
    json_t *sj = json_object_get(body, "shares");
    size_t m = json_is_array(sj) ? json_array_size(sj) : 0;
    if (!json_is_array(sj) || m > PC_SHARE_MAX_N)
        return err_field(&r->err, "shares", "procure.share.list",
                         "a list of at most {max}%d shares", PC_SHARE_MAX_N),
               err_invalid(&r->err);
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    if ((rc = db_begin(c, &r->err)))
        return rc;
    if ((rc = rec_lock(r, c, &pc_projects, project, &r->err)) < 0)
        return fail(c, rc);
    const char *status;
    int64_t deadline;
    if (rc == 1 || (rc = pc_project_state(r, c, project, &status, &deadline, &r->err)) <= 0)
        return fail(c, rc < 0 ? rc : err_set(&r->err, ERR_NOT_FOUND, NULL, NULL, "no such project"));
    struct db_stmt *st;
    if ((rc = db_prepare_ints(c,
                              "SELECT id, k, status, public_key FROM bid_seals WHERE tenant_id = ? "
                              "AND project_id = ?",
                              DB_INTS(r->tenant_id, project), &st, &r->err)))
        return fail(c, rc);
    int64_t seal = 0, need = 0;
    const char *sstatus = NULL, *pk64 = NULL;
    if ((rc = db_step(st, &r->err)) == DB_ROW) {
        seal = db_col_int(st, 0);
        need = db_col_int(st, 1);
        sstatus = arena_strdup(r->a, db_col_text(st, 2, NULL));
        pk64 = arena_strdup(r->a, db_col_text(st, 3, NULL));
    }
    db_reset(st);
    if (rc < 0)
        return fail(c, rc);
    if (!seal)
        return fail(c, err_set(&r->err, ERR_CONFLICT, NULL, "procure.project.not_sealed",
                               "the project has no seal"));
    if (!wf_is(sstatus, "sealed"))
        return fail(c, err_set(&r->err, ERR_CONFLICT, NULL, "procure.opening.done",
                               "the bids of this project were opened"));
    if (!wf_is(status, "bidding") && !wf_is(status, "notice_published"))
        return fail(c, err_set(&r->err, ERR_CONFLICT, "status", "procure.opening.state",
                               "bids are opened from bidding, not {status}%s",
                               status ? status : ""));
    int64_t now = clock_now();
    if (!deadline || now < deadline) {
        char when[40] = "-";
        if (deadline)
            time_format_rfc3339(deadline, r->utc_offset_min, when, sizeof(when));
        return fail(c, err_set(&r->err, ERR_CONFLICT, NULL, "procure.opening.too_early",
                               "bids are opened at or after the deadline {deadline}%s", when));
    }

    /* the shares: each parsed and recognised by its hash */
    struct pc_share *shares = sodium_malloc(sizeof(struct pc_share) * (PC_SHARE_MAX_N + 1));
    unsigned char *sk = sodium_malloc(PC_KEY_BYTES);
    if (!shares || !sk) {
        if (shares)
            sodium_free(shares);
        if (sk)
            sodium_free(sk);
        return fail(c, err_set(&r->err, ERR_BUDGET, NULL, NULL, "out of memory"));
    }
    int valid = 0;
    for (size_t i = 0; i < m; i++) {
        const char *t = json_string_value(json_array_get(sj, i));
        char f[32];
        snprintf(f, sizeof(f), "shares[%zu]", i);
        int64_t sid = 0;
        struct pc_share *s = &shares[valid];
        int p = t ? pc_share_parse(t, strlen(t), &sid, s) : -1;
        if (p == -2) {
            err_field(&r->err, f, "procure.share.typo", "a character of the share is mistyped");
            continue;
        }
        if (p) {
            err_field(&r->err, f, "procure.share.format", "is not a share (PCS1-…)");
            continue;
        }
        char hex[65];
        pc_share_hash(sid, s, hex);
        int64_t ok = 0;
        if (sid == seal) {
            if ((rc = db_prepare_ints(c,
                                      "SELECT COUNT(*) FROM opening_officials WHERE tenant_id = ? "
                                      "AND seal_id = ? AND share_no = ? AND share_sha256 = ?",
                                      DB_INTS(r->tenant_id, seal, s->no), &st, &r->err)))
                break;
            db_bind_text(st, 4, hex, 64);
            if ((rc = db_step(st, &r->err)) == DB_ROW)
                ok = db_col_int(st, 0);
            db_reset(st);
            if (rc < 0)
                break;
            rc = 0;
        }
        int dup = 0;
        for (int j = 0; j < valid; j++)
            dup |= shares[j].no == s->no;
        if (!ok)
            err_field(&r->err, f, "procure.share.wrong",
                      "is not a share of this project's seal");
        else if (!dup)
            valid++;
    }
    if (!rc && !r->err.nitems && valid < need)
        err_field(&r->err, "shares", "procure.opening.too_few_shares",
                  "{k}%lld shares are needed, {count}%d given", (long long)need, valid);
    unsigned char pk[PC_PK_BYTES];
    size_t pkn = 0;
    if (!rc && !r->err.nitems &&
        (sodium_base642bin(pk, sizeof(pk), pk64, strlen(pk64), NULL, &pkn, NULL,
                           sodium_base64_VARIANT_ORIGINAL) ||
         pkn != sizeof(pk) || pc_seal_rebuild(shares, valid, sk) || !pc_seal_check(sk, pk)))
        err_field(&r->err, "shares", "procure.share.wrong",
                  "the shares do not rebuild this project's key");
    sodium_free(shares);
    if (rc || r->err.nitems) {
        sodium_free(sk);
        return fail(c, rc ? rc : err_invalid(&r->err));
    }

    /* every standing bid opened and recorded */
    if ((rc = db_prepare_ints(c,
                              "SELECT b.id, b.supplier_id, b.cipher, s.name FROM bids b JOIN "
                              "suppliers s ON s.tenant_id = b.tenant_id AND s.id = b.supplier_id "
                              "WHERE b.tenant_id = ? AND b.project_id = ? AND b.status = "
                              "'submitted' ORDER BY b.id",
                              DB_INTS(r->tenant_id, project), &st, &r->err))) {
        sodium_free(sk);
        return fail(c, rc);
    }
    size_t cap = 64, nb = 0;
    struct opened *bids = arena_alloc(r->a, cap * sizeof(*bids));
    unsigned char *bin = arena_alloc(r->a, PC_BID_MAX_BYTES + 4);
    while (bids && bin && (rc = db_step(st, &r->err)) == DB_ROW) {
        if (nb == cap) {
            struct opened *nbids =
                arena_realloc(r->a, bids, cap * sizeof(*bids), 2 * cap * sizeof(*bids));
            cap *= 2;
            if (!nbids)
                break;
            bids = nbids;
        }
        struct opened *o = &bids[nb++];
        memset(o, 0, sizeof(*o));
        o->id = db_col_int(st, 0);
        o->supplier = db_col_int(st, 1);
        o->supplier_name = arena_strdup(r->a, db_col_text(st, 3, NULL));
        size_t n, got = 0;
        const char *b64 = db_col_text(st, 2, &n);
        unsigned char *plain = NULL;
        size_t plen = 0;
        if (sodium_base642bin(bin, PC_BID_MAX_BYTES + 4, b64, n, NULL, &got, NULL,
                              sodium_base64_VARIANT_ORIGINAL) ||
            pc_bid_open(bin, got, pk, sk, &plain, &plen))
            o->why = "the ciphertext does not open with the project's key";
        else
            o->valid = !pc_bid_parse(plain, plen, project, o->supplier, &o->price, &o->technical,
                                     &o->docs, &o->why, &o->keep);
        if (plain)
            sodium_free(plain);
    }
    db_reset(st);
    sodium_free(sk); /* the key is gone: what follows only records */
    if (bin)
        sodium_memzero(bin, PC_BID_MAX_BYTES + 4);
    if (!bids || !bin || rc < 0) {
        if (bids)
            drop(bids, nb);
        return fail(c, rc < 0 ? rc : err_set(&r->err, ERR_BUDGET, NULL, NULL, "out of memory"));
    }
    rc = 0;
    struct db_stmt *up = NULL;
    if ((rc = db_prepare(c,
                         "UPDATE bids SET status = ?, price_fen = ?, valid = ?, technical = ?, "
                         "documents = ?, invalid_reason = ?, opened_at = ?, version = version + "
                         "1, updated_at = ? WHERE tenant_id = ? AND id = ?",
                         &up, &r->err)) == 0) {
        int nvalid = 0;
        json_t *list = json_array();
        for (size_t i = 0; i < nb && !rc; i++) {
            struct opened *o = &bids[i];
            nvalid += o->valid;
            const char *docs = NULL;
            if (o->docs) {
                char *d = json_dumps(o->docs, JSON_COMPACT);
                docs = d ? arena_strdup(r->a, d) : NULL;
                json_free_t fr;
                json_get_alloc_funcs(NULL, &fr);
                fr(d);
            }
            db_bind_text(up, 1, o->valid ? "opened" : "invalid", o->valid ? 6 : 7);
            db_bind_int_or_null(up, 2, o->valid ? o->price : 0);
            db_bind_int(up, 3, o->valid);
            if (o->technical)
                db_bind_text(up, 4, o->technical, strlen(o->technical));
            else
                db_bind_null(up, 4);
            if (docs)
                db_bind_text(up, 5, docs, strlen(docs));
            else
                db_bind_null(up, 5);
            if (o->why)
                db_bind_text(up, 6, o->why, strlen(o->why));
            else
                db_bind_null(up, 6);
            db_bind_int(up, 7, now);
            db_bind_int(up, 8, now);
            db_bind_int(up, 9, r->tenant_id);
            db_bind_int(up, 10, o->id);
            rc = db_step(up, &r->err);
            db_reset(up);
            rc = rc < 0 ? rc : 0;
            json_array_append_new(
                list, json_pack("{s:I,s:I,s:s?,s:s,s:b,s:o,s:s?,s:s?}", "id", (json_int_t)o->id,
                                "supplier_id", (json_int_t)o->supplier, "supplier_name",
                                o->supplier_name, "status",
                                o->valid ? "opened" : "invalid", "valid", o->valid, "price_fen",
                                o->valid ? json_integer(o->price) : json_null(), "technical",
                                o->technical, "invalid_reason", o->why));
        }
        drop(bids, nb);
        json_t *summary = json_pack("{s:I,s:I,s:i,s:i,s:i}", "project_id", (json_int_t)project,
                                    "seal_id", (json_int_t)seal, "bids", (int)nb, "valid", nvalid,
                                    "shares", valid);
        if (!rc)
            rc = rec_audit(r, c, "open", pc_bids.name, 0, NULL, summary, &r->err);
        if (!rc)
            rc = wf_update(r, c, &pc_seals, seal,
                           json_pack("{s:s,s:o,s:I}", "status", "opened", "opened_at",
                                     wf_time_json(r, now), "opened_bids", (json_int_t)nb),
                           &r->err);
        if (!rc && wf_is(status, "notice_published"))
            rc = wf_update(r, c, &pc_projects, project, json_pack("{s:s}", "status", "bidding"),
                           &r->err);
        if (!rc)
            rc = wf_update(r, c, &pc_projects, project, json_pack("{s:s}", "status", "opening"),
                           &r->err);
        if (!rc)
            rc = wf_update(r, c, &pc_projects, project,
                           json_pack("{s:s}", "status", "evaluation"), &r->err);
        if (!rc)
            rc = db_commit(c, &r->err);
        if (rc) {
            json_decref(summary);
            json_decref(list);
            return fail(c, rc);
        }
        json_object_set_new(summary, "status", json_string("evaluation"));
        json_object_set_new(summary, "opened_at", wf_time_json(r, now));
        json_object_set_new(summary, "items", list);
        return report_send_status(r, 200, summary);
    }
    drop(bids, nb);
    return fail(c, rc);
}
