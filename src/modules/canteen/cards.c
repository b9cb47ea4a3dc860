/* SPDX-License-Identifier: MIT
 * canteen/cards.c - the routes of the meal cards: one posting (a reader's
 * spend, a cashier's top-up or adjustment), refunds and reversals (actions
 * on the transaction), a card found by its number or QR code, the offline
 * reader's batch (exactly once per reader and sequence number, its clock's
 * drift recorded and corrected beyond the tolerance), a reader's device
 * token, and the holder's own card: balance, QR code, transactions, a new
 * QR identifier. The protocol: docs/modules/canteen.md.
 */
#include "canteen.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/buf.h"
#include "../../base/err.h"
#include "../../core/auth.h"
#include "../../core/http.h"
#include "../../core/qr.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../engine/record.h"
#include "../../engine/report.h"
#include "../../engine/rest.h"
#include "../../engine/workflow.h"
#include "../identity/identity.h"
#include "../org/org.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static int fail(struct db_conn *c, int rc)
{
    db_rollback(c);
    return rc;
}

static const char *str_member(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* An optional integer member: 0 absent, 1 present, -1 not an integer. */
static int int_member(json_t *o, const char *k, int64_t *v)
{
    json_t *j = json_object_get(o, k);
    if (!j || json_is_null(j))
        return 0;
    if (!json_is_integer(j))
        return -1;
    *v = json_integer_value(j);
    return 1;
}

/* A fresh key for a posting the server composes ("srv-" and 16 random hex digits). */
static const char *fresh_key(struct req *r, const char *tag)
{
    unsigned char raw[8];
    char hex[17];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
    return arena_printf(r->a, "%s-%s", tag, hex);
}

/* The account of a scan (card number or QR identifier): its id, 0 when none. */
static int account_of_scan(struct req *r, struct db_conn *c, const struct ct_scan *s,
                           int64_t *id, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare_ints(c,
                             s->kind == CT_SCAN_QR
                                 ? "SELECT id FROM meal_accounts WHERE tenant_id = ? AND qr_id = ?"
                                 : "SELECT id FROM meal_accounts WHERE tenant_id = ? AND card_no "
                                   "= ?",
                             DB_INTS(r->tenant_id), &st, e);
    if (rc)
        return rc;
    db_bind_text(st, 2, s->value, strlen(s->value));
    *id = 0;
    if ((rc = db_step(st, e)) == DB_ROW)
        *id = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* A QR member: "MC1:<id>" or the bare identifier. */
static int parse_qr(const char *s, struct ct_scan *out)
{
    if (!s)
        return -1;
    if (!ct_scan_parse(s, strlen(s), out))
        return out->kind == CT_SCAN_QR ? 0 : -1;
    char b[64];
    snprintf(b, sizeof(b), CT_QR_PREFIX "%.40s", s);
    return ct_scan_parse(b, strlen(b), out) || out->kind != CT_SCAN_QR ? -1 : 0;
}

/* The account a body names by account_id, card_no or qr: 422 when none or unknown. */
static int body_account(struct req *r, struct db_conn *c, json_t *body, int64_t *id,
                        const char **how)
{
    int64_t v = 0;
    int ni = int_member(body, "account_id", &v);
    const char *card = str_member(body, "card_no"), *qr = str_member(body, "qr");
    int given = (ni != 0) + (card != NULL) + (qr != NULL);
    *how = NULL;
    if (given != 1)
        return err_field(&r->err, "account_id", "canteen.account.which",
                         "give one of account_id, card_no and qr"),
               err_invalid(&r->err);
    if (ni) {
        if (ni < 0 || v <= 0)
            return err_field(&r->err, "account_id", "field.integer", "must be an id"),
                   err_invalid(&r->err);
        *id = v;
        return 0;
    }
    struct ct_scan s;
    const char *field = card ? "card_no" : "qr";
    if (card ? ct_scan_parse(card, strlen(card), &s) || s.kind != CT_SCAN_CARD
             : parse_qr(qr, &s))
        return err_field(&r->err, field, "canteen.scan.format", "is not a meal card's %s",
                         card ? "number" : "code"),
               err_invalid(&r->err);
    int rc = account_of_scan(r, c, &s, id, &r->err);
    if (rc)
        return rc;
    if (!*id)
        return err_field(&r->err, field, "canteen.account.unknown", "no meal card {card}%s",
                         s.value),
               err_invalid(&r->err);
    *how = card ? "card" : "qr";
    return 0;
}

struct reader {
    int64_t id, canteen;
    int active;
    int64_t token;
};

/* The reader the request's device token is bound to: 1 found, 0 none, or an error. */
static int token_reader(struct req *r, struct db_conn *c, struct reader *rd)
{
    memset(rd, 0, sizeof(*rd));
    if (!r->who || !r->who->token_id)
        return 0;
    struct db_stmt *st;
    int rc = db_prepare_ints(c,
                             "SELECT id, canteen_id, active FROM meal_readers WHERE tenant_id = ? "
                             "AND token_id = ?",
                             DB_INTS(r->tenant_id, r->who->token_id), &st, &r->err);
    if (rc)
        return rc;
    if ((rc = db_step(st, &r->err)) == DB_ROW) {
        rd->id = db_col_int(st, 0);
        rd->canteen = db_col_int(st, 1);
        rd->active = (int)db_col_int(st, 2);
        rd->token = r->who->token_id;
    }
    db_reset(st);
    return rc < 0 ? rc : rc == DB_ROW;
}

static int is_device(struct req *r)
{
    return r->who && !strcmp(r->who->role_code, "device");
}

static json_t *posted_json(const struct ct_post *p, const struct ct_posted *o)
{
    return json_pack("{s:I,s:s,s:I,s:I,s:I,s:I,s:b,s:s}", "id", (json_int_t)o->id, "kind",
                     p->kind, "account_id", (json_int_t)p->account_id, "amount_fen",
                     (json_int_t)(o->delta_fen < 0 ? -o->delta_fen : o->delta_fen), "delta_fen",
                     (json_int_t)o->delta_fen, "balance_fen", (json_int_t)o->balance_fen,
                     "replayed", o->replayed, "idem_key", p->idem_key);
}

/* Runs one posting in a transaction of its own and answers it: 201, or 200
 * with the original for a replay. */
static int post_one(struct req *r, struct db_conn *c, struct ct_post *p)
{
    struct ct_posted o;
    int rc = db_begin(c, &r->err);
    if (rc)
        return rc;
    if ((rc = ct_post(r, c, p, &o)))
        return fail(c, rc);
    if ((rc = db_commit(c, &r->err)))
        return rc;
    return report_send_status(r, o.replayed ? 200 : 201, posted_json(p, &o));
}

/* The idempotency key: the Idempotency-Key header, else the body's idem_key. */
static const char *key_of(struct req *r, json_t *body)
{
    const char *h = req_header(r, "Idempotency-Key");
    return h && *h ? h : str_member(body, "idem_key");
}

int ct_route_post(struct req *r)
{
    static const char *const members[] = {"kind",   "account_id", "card_no", "qr",
                                          "amount_fen", "delta_fen", "meal", "method",
                                          "note",   "canteen_id", "idem_key", NULL};
    json_t *body;
    int rc = rest_body_json(r, &body, 0);
    if (rc)
        return rc;
    /* who may post this kind, before anything else is said about the body */
    const char *kind = str_member(body, "kind");
    if (!kind || (strcmp(kind, "spend") && strcmp(kind, "topup") && strcmp(kind, "adjustment")))
        return err_field(&r->err, "kind", "field.enum", "one of spend, topup and adjustment"),
               err_invalid(&r->err);
    if ((rc = perm_check(r, &ct_transactions, kind)) || (rc = rest_body_only(r, body, members)))
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    struct ct_post p = {.kind = kind, .meal = str_member(body, "meal"),
                        .method = str_member(body, "method"), .note = str_member(body, "note")};
    int spend = !strcmp(kind, "spend");
    /* a reader: its own canteen's spends only */
    struct reader rd;
    if ((rc = token_reader(r, c, &rd)) < 0)
        return rc;
    int64_t canteen = 0;
    int nc = int_member(body, "canteen_id", &canteen);
    if (nc < 0)
        return err_field(&r->err, "canteen_id", "field.integer", "must be an id"),
               err_invalid(&r->err);
    if (rc) {
        if (!rd.active)
            return err_set(&r->err, ERR_FORBIDDEN, NULL, "canteen.reader.inactive",
                           "the reader is switched off");
        if (!spend)
            return err_set(&r->err, ERR_FORBIDDEN, "kind", "canteen.reader.spend_only",
                           "a card reader posts spends only");
        if (nc && canteen != rd.canteen)
            return err_set(&r->err, ERR_FORBIDDEN, "canteen_id", "canteen.reader.other_canteen",
                           "the reader belongs to canteen {canteen}%lld", (long long)rd.canteen);
        canteen = rd.canteen;
        p.reader_id = rd.id;
    } else if (is_device(r))
        return err_set(&r->err, ERR_FORBIDDEN, NULL, "canteen.reader.unbound",
                       "this device token is bound to no card reader");
    p.canteen_id = canteen;
    p.idem_key = key_of(r, body);
    if (!p.idem_key || !*p.idem_key) {
        if (spend)
            return err_field(&r->err, "idem_key", "field.required",
                             "a spend needs an idempotency key (Idempotency-Key)"),
                   err_invalid(&r->err);
        p.idem_key = fresh_key(r, kind);
    }
    int64_t amount = 0;
    if (!strcmp(kind, "adjustment")) {
        int k = int_member(body, "delta_fen", &amount);
        if (json_object_get(body, "amount_fen"))
            return err_field(&r->err, "amount_fen", "canteen.adjustment.delta",
                             "an adjustment gives delta_fen, signed"),
                   err_invalid(&r->err);
        if (k <= 0 || !amount)
            return err_field(&r->err, "delta_fen", "canteen.adjustment.delta",
                             "the change of the balance in fen, not zero"),
                   err_invalid(&r->err);
        p.delta_fen = amount;
    } else {
        int k = int_member(body, "amount_fen", &amount);
        if (json_object_get(body, "delta_fen"))
            return err_field(&r->err, "delta_fen", "field.unknown", "give amount_fen"),
                   err_invalid(&r->err);
        if (k == 0)
            return err_field(&r->err, "amount_fen", "field.required", "is required"),
                   err_invalid(&r->err);
        if (k < 0 || amount < 1)
            return err_field(&r->err, "amount_fen", "field.min", "must be at least {min}%d fen",
                             1),
                   err_invalid(&r->err);
        p.delta_fen = spend ? -amount : amount;
    }
    const char *how;
    if ((rc = body_account(r, c, body, &p.account_id, &how)))
        return rc;
    if (!p.method)
        p.method = spend ? (how ? how : "card") : "cash";
    return post_one(r, c, &p);
}

/* ---- refunds and reversals: actions on the transaction ---- */

static int reversing(struct req *r, int64_t id, json_t *body, const char *kind)
{
    static const char *const members[] = {"amount_fen", "idem_key", "note", NULL};
    static const char *const rev_members[] = {"idem_key", "note", NULL};
    int refund = !strcmp(kind, "refund");
    int rc = rest_body_only(r, body, refund ? members : rev_members);
    if (rc)
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    struct db_stmt *st;
    if ((rc = db_prepare_ints(c,
                              "SELECT account_id, amount_fen, canteen_id FROM meal_transactions "
                              "WHERE tenant_id = ? AND id = ?",
                              DB_INTS(r->tenant_id, id), &st, &r->err)))
        return rc;
    int64_t account = 0, amount = 0, canteen = 0;
    if ((rc = db_step(st, &r->err)) == DB_ROW) {
        account = db_col_int(st, 0);
        amount = db_col_int(st, 1);
        canteen = db_col_int(st, 2);
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    if (rc != DB_ROW)
        return err_set(&r->err, ERR_NOT_FOUND, NULL, NULL, "no such record");
    struct ct_post p = {.kind = kind, .account_id = account, .reverses_id = id,
                        .canteen_id = canteen, .note = str_member(body, "note"),
                        .method = "system"};
    p.idem_key = key_of(r, body);
    if (!p.idem_key || !*p.idem_key)
        p.idem_key = fresh_key(r, kind);
    if (refund) {
        int64_t v = 0;
        int k = int_member(body, "amount_fen", &v);
        if (k < 0 || (k && v < 1))
            return err_field(&r->err, "amount_fen", "field.min", "must be at least {min}%d fen",
                             1),
                   err_invalid(&r->err);
        if (!k) { /* the whole of what is left */
            int64_t done = 0;
            if ((rc = db_one_int(c,
                                 "SELECT COALESCE(SUM(amount_fen), 0) FROM meal_transactions "
                                 "WHERE tenant_id = ? AND reverses_id = ? AND kind = 'refund'",
                                 DB_INTS(r->tenant_id, id), &done, &r->err)) < 0)
                return rc;
            v = amount - done > 0 ? amount - done : amount;
        }
        p.delta_fen = v;
    }
    return post_one(r, c, &p);
}

int ct_action_refund(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    (void)ent;
    return reversing(r, id, body, "refund");
}

int ct_action_reverse(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    (void)ent;
    return reversing(r, id, body, "reversal");
}

/* ---- a card by its number or code ---- */

int ct_route_lookup(struct req *r)
{
    static const char *const params[] = {"card", "qr", NULL};
    int rc = perm_check(r, &ct_accounts, "lookup");
    if (rc || (rc = report_params_only(r, params)))
        return rc;
    const char *card = req_query(r, "card"), *qr = req_query(r, "qr");
    struct ct_scan s;
    if ((card != NULL) == (qr != NULL))
        return err_set(&r->err, ERR_BAD_QUERY, "card", "canteen.account.which",
                       "give card or qr");
    if (card ? ct_scan_parse(card, strlen(card), &s) || s.kind != CT_SCAN_CARD : parse_qr(qr, &s))
        return err_set(&r->err, ERR_BAD_QUERY, card ? "card" : "qr", "canteen.scan.format",
                       "is not a meal card's number or code");
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    struct db_stmt *st;
    if ((rc = db_prepare_ints(
             c,
             s.kind == CT_SCAN_QR
                 ? "SELECT id, card_no, status, balance_fen, person_id, department_id FROM "
                   "meal_accounts WHERE tenant_id = ? AND kind = 'person' AND qr_id = ?"
                 : "SELECT id, card_no, status, balance_fen, person_id, department_id FROM "
                   "meal_accounts WHERE tenant_id = ? AND kind = 'person' AND card_no = ?",
             DB_INTS(r->tenant_id), &st, &r->err)))
        return rc;
    db_bind_text(st, 2, s.value, strlen(s.value));
    json_t *doc = NULL;
    int64_t person = 0;
    if ((rc = db_step(st, &r->err)) == DB_ROW) {
        person = db_col_int(st, 4);
        doc = json_pack("{s:I,s:s,s:s,s:I,s:I,s:o}", "id", (json_int_t)db_col_int(st, 0),
                        "card_no", db_col_text(st, 1, NULL), "status", db_col_text(st, 2, NULL),
                        "balance_fen", (json_int_t)db_col_int(st, 3), "person_id",
                        (json_int_t)person, "department_id",
                        db_col_is_null(st, 5) ? json_null() : json_integer(db_col_int(st, 5)));
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    if (rc != DB_ROW)
        return err_set(&r->err, ERR_NOT_FOUND, card ? "card" : "qr", "canteen.account.unknown",
                       "no meal card {card}%s", s.value);
    const char *name = NULL;
    if (person && (rc = org_person(r, c, person, &name, NULL, &r->err)) < 0) {
        json_decref(doc);
        return rc;
    }
    json_object_set_new(doc, "name", report_str(name));
    return report_send(r, doc);
}

/* ---- the offline reader's batch ---- */

static void result_refused(struct buf *b, int64_t seq, const char *key, const char *params)
{
    buf_printf(b, "{\"seq\":%lld,\"result\":\"refused\",\"key\":", (long long)seq);
    buf_json_str(b, key, strlen(key));
    buf_printf(b, ",\"params\":%s}", params && *params ? params : "{}");
}

int ct_route_batch(struct req *r)
{
    json_t *body;
    int rc = perm_check(r, &ct_transactions, "batch");
    if (rc || (rc = rest_body_json(r, &body, 0)))
        return rc;
    struct ct_batch b;
    if ((rc = ct_batch_decode(body, r->a, &b, &r->err)))
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    /* the reader: by its code; a device token uploads for its own reader only */
    struct db_stmt *st;
    if ((rc = db_prepare_ints(c,
                              "SELECT id, canteen_id, active, token_id FROM meal_readers WHERE "
                              "tenant_id = ? AND code = ?",
                              DB_INTS(r->tenant_id), &st, &r->err)))
        return rc;
    db_bind_text(st, 2, b.reader, strlen(b.reader));
    struct reader rd = {0};
    if ((rc = db_step(st, &r->err)) == DB_ROW) {
        rd.id = db_col_int(st, 0);
        rd.canteen = db_col_int(st, 1);
        rd.active = (int)db_col_int(st, 2);
        rd.token = db_col_int(st, 3);
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    if (!rd.id)
        return err_field(&r->err, "reader", "canteen.reader.unknown", "no reader {reader}%s",
                         b.reader),
               err_invalid(&r->err);
    if ((r->who && r->who->token_id && rd.token != r->who->token_id) ||
        (is_device(r) && !r->who->token_id))
        return err_set(&r->err, ERR_FORBIDDEN, "reader", "canteen.reader.not_yours",
                       "a device uploads for its own reader only");
    if (!rd.active)
        return err_set(&r->err, ERR_FORBIDDEN, NULL, "canteen.reader.inactive",
                       "the reader is switched off");
    int64_t now = clock_now(), drift = now - b.sent_at;
    if ((rc = db_begin(c, &r->err)))
        return rc;
    int64_t tol = ct_setting(r, c, "drift_tolerance_s", CT_DRIFT_TOLERANCE_S);
    int corrected = drift > tol || drift < -tol;
    struct buf out;
    buf_init(&out, r->a);
    int applied = 0, dups = 0, refused = 0;
    int64_t maxseq = 0;
    for (int i = 0; i < b.n; i++) {
        struct ct_entry *x = &b.e[i];
        if (i)
            buf_putc(&out, ',');
        if (!x->ok) {
            refused++;
            result_refused(&out, x->seq, x->why->key, x->why->params);
            continue;
        }
        if (x->seq > maxseq)
            maxseq = x->seq;
        /* the same (reader, seq) answers what it was */
        if ((rc = db_prepare_ints(c,
                                  "SELECT id, balance_fen, delta_fen FROM meal_transactions "
                                  "WHERE tenant_id = ? AND reader_id = ? AND reader_seq = ?",
                                  DB_INTS(r->tenant_id, rd.id, x->seq), &st, &r->err)))
            return fail(c, rc);
        int64_t id = 0, bal = 0, delta = 0;
        if ((rc = db_step(st, &r->err)) == DB_ROW) {
            id = db_col_int(st, 0);
            bal = db_col_int(st, 1);
            delta = db_col_int(st, 2);
        }
        db_reset(st);
        if (rc < 0)
            return fail(c, rc);
        if (id) {
            dups++;
            buf_printf(&out,
                       "{\"seq\":%lld,\"result\":\"duplicate\",\"id\":%lld,\"amount_fen\":%lld,"
                       "\"balance_fen\":%lld}",
                       (long long)x->seq, (long long)id, (long long)-delta, (long long)bal);
            continue;
        }
        int64_t acct = 0;
        if ((rc = account_of_scan(r, c, &x->scan, &acct, &r->err)))
            return fail(c, rc);
        if (!acct) {
            refused++;
            result_refused(&out, x->seq, "canteen.account.unknown", NULL);
            continue;
        }
        int64_t at = corrected ? x->at + drift : x->at;
        int64_t amount = x->amount_fen;
        if (!amount) {
            int64_t price = -1;
            if ((rc = ct_meal_price(r, c, rd.canteen, at, x->meal, &price, &r->err)) < 0)
                return fail(c, rc);
            if (price <= 0) {
                refused++;
                struct err_item it;
                err_item_set(&it, "canteen.batch.no_price",
                             "no meal is priced at that time: give amount_fen");
                result_refused(&out, x->seq, it.key, it.params);
                continue;
            }
            amount = price;
        }
        struct ct_post p = {
            .kind = "spend",
            .account_id = acct,
            .delta_fen = -amount,
            .idem_key = arena_printf(r->a, "rdr-%lld-%lld", (long long)rd.id, (long long)x->seq),
            .canteen_id = rd.canteen,
            .meal = x->meal,
            .at = at,
            .method = x->scan.kind == CT_SCAN_QR ? "qr" : "card",
            .reader_id = rd.id,
            .reader_seq = x->seq,
            .reader_at = x->at,
            .drift_s = drift,
            .offline = 1,
            .no_audit = 1,
        };
        struct ct_posted o;
        rc = ct_post(r, c, &p, &o);
        /* the entry's key taken meanwhile: another upload of this batch running at once
         * (PostgreSQL has aborted the transaction): the whole upload is refused, to be sent
         * again, when its entries are answered as duplicates */
        if (rc == -ERR_CONFLICT && wf_is(err_key(&r->err), "canteen.txn.key_reused"))
            return fail(c, rc);
        if (rc == -ERR_INVALID || rc == -ERR_CONFLICT) {
            refused++;
            const char *key = r->err.nitems ? r->err.items[0].key : err_key(&r->err);
            const char *params = r->err.nitems ? r->err.items[0].params : r->err.params;
            result_refused(&out, x->seq, arena_strdup(r->a, key), arena_strdup(r->a, params));
            err_clear(&r->err);
            continue;
        }
        if (rc)
            return fail(c, rc);
        applied++;
        buf_printf(&out,
                   "{\"seq\":%lld,\"result\":\"%s\",\"id\":%lld,\"amount_fen\":%lld,"
                   "\"balance_fen\":%lld}",
                   (long long)x->seq, o.replayed ? "duplicate" : "applied", (long long)o.id,
                   (long long)amount, (long long)o.balance_fen);
    }
    if (!buf_ok(&out))
        return fail(c, err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded"));
    if ((rc = (int)db_exec_ints(c,
                                "UPDATE meal_readers SET last_seq = CASE WHEN COALESCE(last_seq, "
                                "0) > ? THEN last_seq ELSE ? END, last_seen_at = ?, drift_s = ?, "
                                "version = version + 1, updated_at = ? WHERE tenant_id = ? AND id "
                                "= ?",
                                DB_INTS(maxseq, maxseq, now, drift, now, r->tenant_id, rd.id),
                                &r->err)) < 0)
        return fail(c, rc);
    json_t *after = json_pack("{s:s,s:I,s:I,s:b,s:i,s:i,s:i,s:i}", "reader", b.reader, "sent_at",
                              (json_int_t)b.sent_at, "drift_s", (json_int_t)drift, "corrected",
                              corrected, "entries", b.n, "applied", applied, "duplicate", dups,
                              "refused", refused);
    rc = rec_audit(r, c, "batch", "meal_readers", rd.id, NULL, after, &r->err);
    json_decref(after);
    if (rc || (rc = db_commit(c, &r->err)))
        return rc ? fail(c, rc) : rc;
    buf_truncate(&r->out, 0);
    buf_printf(&r->out,
               "{\"reader\":%lld,\"drift_s\":%lld,\"corrected\":%s,\"entries\":%d,\"applied\":%d,"
               "\"duplicate\":%d,\"refused\":%d,\"results\":[",
               (long long)rd.id, (long long)drift, corrected ? "true" : "false", b.n, applied,
               dups, refused);
    buf_append(&r->out, out.p, out.len);
    buf_puts(&r->out, "]}");
    if (!buf_ok(&r->out))
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    return resp_json(r, 200);
}

/* ---- a reader's device token ---- */

int ct_action_reader_token(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    static const char *const members[] = {NULL};
    json_t *rec;
    struct db_conn *c;
    int rc = rest_body_only(r, body, members);
    if (rc || (rc = rest_record(r, ent, "token", &id, &c, &rec)))
        return rc;
    int64_t old = wf_int(rec, "token_id"), now = clock_now(), tid = 0;
    char token[IDENTITY_TOKEN_MAX], prefix[9];
    const char *name = arena_printf(r->a, "读卡器 %s", wf_str(rec, "code"));
    if ((rc = db_begin(c, &r->err)))
        return rc;
    if ((rc = identity_device_token(r, c, name, old, &tid, token, prefix, &r->err)))
        return fail(c, rc);
    if ((rc = (int)db_exec_ints(c,
                                "UPDATE meal_readers SET token_id = ?, version = version + 1, "
                                "updated_at = ? WHERE tenant_id = ? AND id = ?",
                                DB_INTS(tid, now, r->tenant_id, id), &r->err)) < 0)
        return fail(c, rc);
    json_t *after = json_pack("{s:I,s:I,s:s}", "token_id", (json_int_t)tid, "revoked_token_id",
                              (json_int_t)old, "prefix", prefix);
    rc = rec_audit(r, c, "token", "meal_readers", id, NULL, after, &r->err);
    json_decref(after);
    if (rc || (rc = db_commit(c, &r->err)))
        return rc ? fail(c, rc) : rc;
    rc = report_send_status(r, 201,
              json_pack("{s:I,s:I,s:s,s:s}", "reader_id", (json_int_t)id, "token_id",
                        (json_int_t)tid, "name", name, "token", token));
    sodium_memzero(token, sizeof(token));
    return rc;
}

/* ---- the holder's own card ---- */

struct mine {
    int64_t id, balance;
    char card[CT_CARD_MAX + 1], status[16], qr[CT_QR_LEN + 1];
};

static int my_account(struct req *r, struct db_conn *c, struct mine *m)
{
    memset(m, 0, sizeof(*m));
    if (!r->who || !r->who->person_id)
        return 0;
    struct db_stmt *st;
    int rc = db_prepare_ints(c,
                             "SELECT id, card_no, status, balance_fen, qr_id FROM meal_accounts "
                             "WHERE tenant_id = ? AND person_id = ? AND kind = 'person'",
                             DB_INTS(r->tenant_id, r->who->person_id), &st, &r->err);
    if (rc)
        return rc;
    if ((rc = db_step(st, &r->err)) == DB_ROW) {
        m->id = db_col_int(st, 0);
        snprintf(m->card, sizeof(m->card), "%s", db_col_text(st, 1, NULL));
        snprintf(m->status, sizeof(m->status), "%s", db_col_text(st, 2, NULL));
        m->balance = db_col_int(st, 3);
        snprintf(m->qr, sizeof(m->qr), "%s", db_col_text(st, 4, NULL));
    }
    db_reset(st);
    return rc < 0 ? rc : rc == DB_ROW;
}

int ct_route_me(struct req *r)
{
    static const char *const params[] = {"month", NULL};
    int rc = perm_check(r, &ct_accounts, "read");
    if (rc || (rc = report_params_only(r, params)))
        return rc;
    int64_t first = 0, last = 0;
    const char *month = req_query(r, "month");
    if (month && *month) {
        if ((rc = report_param_month(r, "month", report_today(r), &first)))
            return rc;
        char d[16];
        date_format(first + 31, d, sizeof(d));
        memcpy(d + 8, "01", 3);
        date_parse(d, 10, &last);
    }
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    struct mine m;
    if ((rc = my_account(r, c, &m)) < 0)
        return rc;
    if (!rc)
        return report_send(r, json_pack("{s:n,s:[]}", "account", "transactions"));
    char d0[16] = "1900-01-01", d1[16] = "9999-12-31";
    if (first) {
        date_format(first, d0, sizeof(d0));
        date_format(last - 1, d1, sizeof(d1));
    }
    struct db_stmt *st;
    if ((rc = db_prepare(c,
                         "SELECT t.id, t.kind, t.amount_fen, t.delta_fen, t.balance_fen, t.at, "
                         "t.meal, t.business_day, t.canteen_id, k.name, t.method, t.reverses_id, "
                         "t.note FROM meal_transactions t LEFT JOIN canteens k ON k.tenant_id = "
                         "t.tenant_id AND k.id = t.canteen_id WHERE t.tenant_id = ? AND "
                         "t.account_id = ? AND t.business_day >= ? AND t.business_day <= ? ORDER "
                         "BY t.at DESC, t.id DESC LIMIT 500",
                         &st, &r->err)))
        return rc;
    db_bind_int(st, 1, r->tenant_id);
    db_bind_int(st, 2, m.id);
    db_bind_text(st, 3, d0, strlen(d0));
    db_bind_text(st, 4, d1, strlen(d1));
    json_t *items = report_keep(r, json_array());
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        char ts[40];
        time_format_rfc3339(db_col_int(st, 5), r->utc_offset_min, ts, sizeof(ts));
        json_array_append_new(
            items,
            json_pack("{s:I,s:s,s:I,s:I,s:I,s:s,s:o,s:s,s:o,s:o,s:o,s:o,s:o}", "id",
                      (json_int_t)db_col_int(st, 0), "kind", db_col_text(st, 1, NULL),
                      "amount_fen", (json_int_t)db_col_int(st, 2), "delta_fen",
                      (json_int_t)db_col_int(st, 3), "balance_fen", (json_int_t)db_col_int(st, 4),
                      "at", ts, "meal", report_str(db_col_is_null(st, 6) ? NULL : db_col_text(st, 6, NULL)),
                      "business_day", db_col_text(st, 7, NULL), "canteen_id",
                      db_col_is_null(st, 8) ? json_null() : json_integer(db_col_int(st, 8)),
                      "canteen", report_str(db_col_is_null(st, 9) ? NULL : db_col_text(st, 9, NULL)),
                      "method", report_str(db_col_is_null(st, 10) ? NULL : db_col_text(st, 10, NULL)),
                      "reverses_id",
                      db_col_is_null(st, 11) ? json_null() : json_integer(db_col_int(st, 11)),
                      "note", report_str(db_col_is_null(st, 12) ? NULL : db_col_text(st, 12, NULL))));
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    char qr[64];
    snprintf(qr, sizeof(qr), CT_QR_PREFIX "%s", m.qr);
    return report_send(
        r, json_pack("{s:{s:I,s:s,s:s,s:I,s:I},s:s,s:O}", "account", "id", (json_int_t)m.id,
                     "card_no", m.card, "status", m.status, "balance_fen", (json_int_t)m.balance,
                     "overdraft_fen",
                     (json_int_t)ct_setting(r, c, "overdraft_fen", CT_OVERDRAFT_FEN), "qr", qr,
                     "transactions",
                     items));
}

int ct_route_me_qr(struct req *r)
{
    int rc = perm_check(r, &ct_accounts, "read");
    if (rc)
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    struct mine m;
    if ((rc = my_account(r, c, &m)) < 0)
        return rc;
    if (!rc)
        return err_set(&r->err, ERR_NOT_FOUND, NULL, "canteen.account.none",
                       "you have no meal card");
    if (strcmp(m.status, "active"))
        return err_set(&r->err, ERR_CONFLICT, NULL, "canteen.account.frozen",
                       "meal card {account}%lld is frozen", (long long)m.id);
    char qr[64];
    snprintf(qr, sizeof(qr), CT_QR_PREFIX "%s", m.qr);
    buf_truncate(&r->out, 0);
    if (qr_svg(qr, &r->out))
        return err_set(&r->err, ERR_INTERNAL, NULL, NULL, "cannot draw the code");
    r->status = 200;
    r->ctype = "image/svg+xml";
    return 0;
}

/* ---- steps on the account ---- */

int ct_action_new_qr(struct req *r, const struct res_entity *ent, int64_t id, json_t *body)
{
    static const char *const members[] = {NULL};
    json_t *rec;
    struct db_conn *c;
    int rc = rest_body_only(r, body, members);
    if (rc || (rc = rest_record(r, ent, "new_qr", &id, &c, &rec)))
        return rc;
    if (!wf_is(wf_str(rec, "kind"), "person"))
        return err_set(&r->err, ERR_CONFLICT, NULL, "canteen.account.ledger",
                       "a ledger account is kept by the server");
    char qr[CT_QR_LEN + 1];
    ct_new_qr(qr);
    int64_t now = clock_now();
    if ((rc = db_begin(c, &r->err)))
        return rc;
    struct db_stmt *st;
    if ((rc = db_prepare(c,
                         "UPDATE meal_accounts SET qr_id = ?, version = version + 1, updated_at = "
                         "? WHERE tenant_id = ? AND id = ?",
                         &st, &r->err)))
        return fail(c, rc);
    db_bind_text(st, 1, qr, CT_QR_LEN);
    db_bind_int(st, 2, now);
    db_bind_int(st, 3, r->tenant_id);
    db_bind_int(st, 4, id);
    rc = db_step(st, &r->err);
    db_reset(st);
    if (rc < 0)
        return fail(c, rc);
    /* the identifiers stay out of the audit chain: a new one was made */
    json_t *after = json_pack("{s:b}", "qr_renewed", 1);
    rc = rec_audit(r, c, "new_qr", ent->name, id, NULL, after, &r->err);
    json_decref(after);
    if (rc || (rc = db_commit(c, &r->err)))
        return rc ? fail(c, rc) : rc;
    char code[64];
    snprintf(code, sizeof(code), CT_QR_PREFIX "%s", qr);
    return report_send_status(r, 200, json_pack("{s:I,s:s}", "id", (json_int_t)id, "qr", code));
}

int ct_close_check(struct wf *w)
{
    int64_t bal = wf_int(w->rec, "balance_fen");
    if (bal)
        return wf_conflict(w, "canteen.account.balance_not_zero",
                           "the balance is {balance_fen}%lld fen: refund or adjust it to zero "
                           "first",
                           (long long)bal);
    return 0;
}
