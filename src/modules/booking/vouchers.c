/* SPDX-License-Identifier: MIT
 * booking/vouchers.c - the union's service vouchers 工会理发票、洗车票: a
 * batch issues per_person vouchers of one service to every active union
 * member (people.union_member) of the tenant or of one department and its
 * sub-departments; issuing again issues only what is missing (one row a
 * batch, person and number: the unique index makes it so). A voucher's QR
 * code is signed, never stored: "BV1.<tenant>.<id>.<serial>.<mac>", mac the
 * HMAC-SHA256 under the tenant's key (voucher_keys, made with the tenant,
 * hidden from every answer). The service point redeems it once: the step
 * locks the voucher's row (the workflow kit's rec_lock), so of many scans
 * racing one voucher exactly one finds it unused. Refusals say why: a code
 * of no voucher (422 booking.voucher.format / .forged / .tenant), already
 * redeemed (409 .redeemed with when and where), expired (409 .expired with
 * the last day), void, not yet valid. An hourly job expires vouchers whose
 * last day (local) has passed. Statistics by month and service, in JSON or
 * XLSX; QR images as SVG for the voucher's holder and a booking's booker.
 *
 * Audit: every voucher is a record written by the kit, so each issuance
 * (who was given which serial, by whom, when) and each redemption (when,
 * by which device or attendant, where) is an audit entry of its own; the
 * batch's issue step adds one entry with the batch's count. An auditor
 * checking a disputed voucher needs the voucher's own entry: a count per
 * batch cannot say whether a given person was issued or who redeemed it.
 */
#include "booking.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/buf.h"
#include "../../base/err.h"
#include "../../core/auth.h"
#include "../../core/config.h"
#include "../../core/http.h"
#include "../../core/jobs.h"
#include "../../core/qr.h"
#include "../../core/tenant.h"
#include "../../db/db.h"
#include "../../engine/export.h"
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
#include <xlsxwriter.h>

#define PREFIX "BV1."
#define KEY_MAX 64
#define EXPIRE_BATCH 1000 /* vouchers expired a run and tenant; the next run takes the rest */
#define MINE_DAYS 400     /* the wallet shows vouchers that expired up to this long ago */
#define STATS_MONTHS 36

/* ---- the code: pure, unit-tested ---- */

static void mac_of(const unsigned char *key, size_t key_len, const char *s, size_t n,
                   char out[BK_VOUCHER_MAC_LEN + 1])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key, key_len);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)s, n);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_bin2base64(out, BK_VOUCHER_MAC_LEN + 1, mac, sizeof(mac),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(mac, sizeof(mac));
}

static int serial_ok(const char *s, size_t n)
{
    if (!n || n > BK_VOUCHER_SERIAL_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return 0;
    return 1;
}

int bk_voucher_sign(const unsigned char *key, size_t key_len, int64_t tenant, int64_t id,
                    const char *serial, char *out, size_t n)
{
    if (!serial || !serial_ok(serial, strlen(serial)) || tenant <= 0 || id <= 0)
        return -1;
    int k = snprintf(out, n, PREFIX "%lld.%lld.%s.", (long long)tenant, (long long)id, serial);
    if (k < 0 || (size_t)k + BK_VOUCHER_MAC_LEN + 1 > n)
        return -1;
    mac_of(key, key_len, out, (size_t)k - 1, out + k);
    return k + BK_VOUCHER_MAC_LEN;
}

/* A positive decimal without a sign or leading zero, at most 18 digits. */
static int parse_id(const char *s, size_t n, int64_t *v)
{
    if (!n || n > 18 || s[0] == '0')
        return -1;
    int64_t x = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return 0;
}

int bk_voucher_parse(const char *s, size_t n, struct bk_voucher_code *out)
{
    memset(out, 0, sizeof(*out));
    size_t pl = sizeof(PREFIX) - 1;
    if (!s || n < pl || n > BK_VOUCHER_CODE_MAX || memcmp(s, PREFIX, pl))
        return -1;
    const char *part[4];
    size_t len[4], at = pl;
    for (int k = 0; k < 4; k++) {
        part[k] = s + at;
        const char *dot = k < 3 ? memchr(s + at, '.', n - at) : NULL;
        len[k] = dot ? (size_t)(dot - (s + at)) : n - at;
        if (k < 3 && !dot)
            return -1;
        at += len[k] + 1;
    }
    if (parse_id(part[0], len[0], &out->tenant) || parse_id(part[1], len[1], &out->id) ||
        !serial_ok(part[2], len[2]) || len[3] != BK_VOUCHER_MAC_LEN)
        return -1;
    for (size_t i = 0; i < len[3]; i++) {
        char ch = part[3][i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              ch == '-' || ch == '_'))
            return -1;
    }
    memcpy(out->serial, part[2], len[2]);
    memcpy(out->mac, part[3], len[3]);
    out->signed_len = (size_t)(part[3] - s) - 1;
    return 0;
}

int bk_voucher_mac_ok(const unsigned char *key, size_t key_len, const char *s, size_t n,
                      const struct bk_voucher_code *v)
{
    if (!v->signed_len || v->signed_len >= n)
        return 0;
    char want[BK_VOUCHER_MAC_LEN + 1];
    mac_of(key, key_len, s, v->signed_len, want);
    return sodium_memcmp(want, v->mac, BK_VOUCHER_MAC_LEN) == 0;
}

int bk_voucher_expired(int64_t expires_on, int64_t today)
{
    return today > expires_on;
}

int bk_month_days(const char *month, int64_t *first, int64_t *last)
{
    char d[24];
    if (!month || strlen(month) != 7)
        return -1;
    snprintf(d, sizeof(d), "%s-01", month);
    if (date_parse(d, 10, first))
        return -1;
    int y =
        (month[0] - '0') * 1000 + (month[1] - '0') * 100 + (month[2] - '0') * 10 + (month[3] - '0');
    int m = (month[5] - '0') * 10 + (month[6] - '0');
    if (++m > 12) {
        m = 1;
        y++;
    }
    snprintf(d, sizeof(d), "%04d-%02d-01", y, m);
    int64_t next;
    if (date_parse(d, 10, &next))
        return -1;
    *last = next - 1;
    return 0;
}

/* ---- the tenant's key ---- */

int bk_voucher_key_seed(struct db_conn *c, int64_t tenant_id, struct err *e)
{
    int64_t have;
    int rc = db_one_int(c, "SELECT COUNT(*) FROM voucher_keys WHERE tenant_id = ?",
                        DB_INTS(tenant_id), &have, e);
    if (rc < 0 || have)
        return rc < 0 ? rc : 0;
    char secret[AUTH_SECRET_LEN + 1];
    auth_random_secret(secret);
    struct db_stmt *st;
    int64_t now = clock_now();
    rc = db_prepare(c,
                    "INSERT INTO voucher_keys (tenant_id, version, created_at, updated_at, kid, "
                    "secret) VALUES (?, 1, ?, ?, 1, ?)",
                    &st, e);
    if (!rc) {
        db_bind_int(st, 1, tenant_id);
        db_bind_int(st, 2, now);
        db_bind_int(st, 3, now);
        db_bind_text(st, 4, secret, strlen(secret));
        rc = db_step(st, e);
        db_reset(st);
        rc = rc < 0 ? rc : 0;
    }
    sodium_memzero(secret, sizeof(secret));
    return rc;
}

/* The tenant's key into key (KEY_MAX bytes): its length, or a negative ERR_*. */
static int load_key(struct db_conn *c, int64_t tenant, unsigned char *key, struct err *e)
{
    for (int pass = 0; pass < 2; pass++) {
        struct db_stmt *st;
        int rc = db_prepare_ints(c,
                                 "SELECT secret FROM voucher_keys WHERE tenant_id = ? ORDER BY "
                                 "kid DESC LIMIT 1",
                                 DB_INTS(tenant), &st, e);
        if (rc)
            return rc;
        size_t n = 0;
        rc = db_step(st, e);
        if (rc == DB_ROW) {
            const char *s = db_col_text(st, 0, &n);
            if (n > KEY_MAX)
                n = KEY_MAX;
            memcpy(key, s, n);
        }
        db_reset(st);
        if (rc < 0)
            return rc;
        if (n)
            return (int)n;
        if (pass || (rc = bk_voucher_key_seed(c, tenant, e)))
            break;
    }
    return err_set(e, ERR_INTERNAL, NULL, NULL, "the tenant has no voucher key");
}

/* The code of voucher (id, serial) of r's tenant into out. */
static int code_of(struct req *r, struct db_conn *c, int64_t id, const char *serial, char *out,
                   size_t n)
{
    unsigned char key[KEY_MAX];
    int kl = load_key(c, r->tenant_id, key, &r->err);
    if (kl < 0)
        return kl;
    int k = bk_voucher_sign(key, (size_t)kl, r->tenant_id, id, serial, out, n);
    sodium_memzero(key, sizeof(key));
    return k < 0 ? err_set(&r->err, ERR_INTERNAL, NULL, NULL, "cannot sign the voucher") : 0;
}

/* ---- batches ---- */

static const char *service_prefix(const char *s)
{
    return wf_is(s, "haircut") ? "HC" : wf_is(s, "car_wash") ? "CW" : "OT";
}

static const char *service_zh(const char *s)
{
    return wf_is(s, "haircut") ? "理发券" : wf_is(s, "car_wash") ? "洗车券" : "服务券";
}

static int64_t day_of(json_t *o, const char *k)
{
    const char *s = wf_str(o, k);
    int64_t d;
    return s && !date_parse(s, strlen(s), &d) ? d : -1;
}

int bk_batch_before_write(struct res_write *w)
{
    if (!w->rec || w->r->server_write)
        return 0;
    if (w->old && !wf_is(wf_str(w->old, "status"), "draft"))
        return err_set(w->e, ERR_CONFLICT, NULL, "booking.batch.issued",
                       "an issued batch cannot be changed: close it and issue another");
    const char *month = wf_str(w->rec, "month"), *service = wf_str(w->rec, "service");
    char d[16];
    if (!month && !wf_has(w->rec, "valid_from") && !wf_has(w->rec, "valid_to")) {
        /* neither a month nor dates: this month */
        date_format(report_today(w->r), d, sizeof(d));
        d[7] = 0;
        json_object_set_new(w->rec, "month", json_string(d));
        month = wf_str(w->rec, "month");
    }
    if (month) {
        int64_t first, last;
        if (bk_month_days(month, &first, &last))
            err_field(w->e, "month", "booking.batch.validity", "must be a month YYYY-MM");
        else {
            date_format(first, d, sizeof(d));
            json_object_set_new(w->rec, "valid_from", json_string(d));
            date_format(last, d, sizeof(d));
            json_object_set_new(w->rec, "valid_to", json_string(d));
        }
    } else {
        int64_t from = day_of(w->rec, "valid_from"), to = day_of(w->rec, "valid_to");
        if (from < 0)
            err_field(w->e, "valid_from", "booking.batch.validity",
                      "give a month, or the first and last day");
        if (to < 0)
            err_field(w->e, "valid_to", "booking.batch.validity",
                      "give a month, or the first and last day");
        else if (from >= 0 && to < from)
            err_field(w->e, "valid_to", "field.after_start", "must not be before valid_from");
    }
    const char *label = wf_str(w->rec, "label");
    if (wf_is(service, "other") && (!label || !*label))
        err_field(w->e, "label", "booking.batch.label", "name the service");
    if (w->e->nitems)
        return err_invalid(w->e);
    if (!label || !*label) {
        char l[64];
        snprintf(l, sizeof(l), "%s %s", month ? month : wf_str(w->rec, "valid_from"),
                 service_zh(service));
        json_object_set_new(w->rec, "label", json_string(l));
    }
    return 0;
}

/* Whether (person, seq) is among the sorted pairs have[0..n). */
struct pair {
    int64_t person, seq;
};

static int pair_cmp(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;
    if (x->person != y->person)
        return x->person < y->person ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

int bk_batch_issue_check(struct wf *w)
{
    struct req *r = w->r;
    int64_t batch = w->id, today = report_today(r);
    int64_t from = day_of(w->rec, "valid_from"), to = day_of(w->rec, "valid_to");
    int64_t per = wf_int(w->rec, "per_person"), dept = wf_int(w->rec, "department_id");
    const char *service = wf_str(w->rec, "service");
    if (from < 0 || to < 0 || per < 1)
        return wf_conflict(w, "booking.batch.validity", "the batch has no validity");
    if (to < today)
        return wf_conflict(w, "booking.batch.past", "the batch expired on {valid_to}%s",
                           wf_str(w->rec, "valid_to"));
    struct org_member *m;
    int nm = 0;
    int rc = org_union_members(r, w->c, dept, &m, &nm, &r->err);
    if (rc)
        return rc;
    if (!nm && !wf_is(w->state, "issued"))
        return wf_conflict(w, "booking.batch.no_members", "no active union member in scope");
    /* what the batch already holds */
    struct pair *have = NULL;
    int nh = 0, cap = 0;
    struct db_stmt *st;
    if ((rc = db_prepare_ints(w->c,
                              "SELECT person_id, seq FROM vouchers WHERE tenant_id = ? AND "
                              "batch_id = ?",
                              DB_INTS(r->tenant_id, batch), &st, &r->err)))
        return rc;
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        if (nh == cap) {
            int more = cap ? cap * 2 : 256;
            struct pair *v = arena_realloc(r->a, have, sizeof(*have) * (size_t)cap,
                                           sizeof(*have) * (size_t)more);
            if (!v) {
                rc = err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
                break;
            }
            have = v;
            cap = more;
        }
        have[nh].person = db_col_int(st, 0);
        have[nh++].seq = db_col_int(st, 1);
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    if (nh > 1)
        qsort(have, (size_t)nh, sizeof(*have), pair_cmp);
    char vf[16], vt[16], serial[BK_VOUCHER_SERIAL_MAX + 1];
    date_format(from, vf, sizeof(vf));
    date_format(to, vt, sizeof(vt));
    int64_t made = 0;
    for (int i = 0; i < nm; i++) {
        for (int64_t k = 1; k <= per; k++) {
            struct pair key = {m[i].id, k};
            if (nh && bsearch(&key, have, (size_t)nh, sizeof(*have), pair_cmp))
                continue;
            snprintf(serial, sizeof(serial), "%s%c%c%c%c-%lld-%05lld", service_prefix(service),
                     vf[2], vf[3], vf[5], vf[6], (long long)batch, (long long)(nh + made + 1));
            json_t *v =
                json_pack("{s:I,s:I,s:o,s:s,s:I,s:s,s:s,s:s,s:s}", "batch_id", (json_int_t)batch,
                          "person_id", (json_int_t)m[i].id, "department_id",
                          m[i].department_id ? json_integer(m[i].department_id) : json_null(),
                          "service", service, "seq", (json_int_t)k, "serial", serial, "status",
                          "issued", "valid_from", vf, "expires_on", vt);
            int64_t vid;
            if ((rc = wf_create(r, w->c, &bk_vouchers, v, &vid, &r->err)))
                return rc;
            made++;
        }
    }
    w->count = made;
    json_object_set_new(w->patch, "issued_count", json_integer(nh + made));
    return 0;
}

/* ---- redemption ---- */

static const struct res_action *step_named(const char *name)
{
    for (const struct res_action *a = bk_vouchers.actions; a && a->name; a++)
        if (!strcmp(a->name, name))
            return a;
    return NULL;
}

/* Checks code s against the tenant's key: 0 with *v filled, or 422 naming "code". */
static int verify(struct req *r, struct db_conn *c, const char *s, struct bk_voucher_code *v)
{
    size_t n = s ? strlen(s) : 0;
    if (bk_voucher_parse(s, n, v)) {
        err_field(&r->err, "code", "booking.voucher.format", "is not a voucher's code");
        return err_invalid(&r->err);
    }
    if (v->tenant != r->tenant_id) {
        err_field(&r->err, "code", "booking.voucher.tenant", "is a voucher of another unit");
        return err_invalid(&r->err);
    }
    unsigned char key[KEY_MAX];
    int kl = load_key(c, r->tenant_id, key, &r->err);
    if (kl < 0)
        return kl;
    int ok = bk_voucher_mac_ok(key, (size_t)kl, s, n, v);
    sodium_memzero(key, sizeof(key));
    if (!ok) {
        err_field(&r->err, "code", "booking.voucher.forged", "is not a genuine voucher");
        return err_invalid(&r->err);
    }
    return 0;
}

/* Where the voucher was redeemed: the service point's name, else the
 * device's (its API token's), else the attendant's. */
static const char *where_of(struct wf *w)
{
    const char *name = wf_str(w->rec, "device");
    if (name && *name && !wf_int(w->rec, "resource_id"))
        return name;
    int64_t res = wf_int(w->rec, "resource_id"), by = wf_int(w->rec, "redeemed_by");
    if (res &&
        db_one_text(w->c, w->r->a, "SELECT name FROM resources WHERE tenant_id = ? AND id = ?",
                    DB_INTS(w->r->tenant_id, res), &name, &w->r->err) > 0 &&
        name)
        return name;
    struct identity_user u;
    if (by && !identity_user(w->r, w->c, by, &u, &w->r->err) && u.name)
        return u.name;
    return "-";
}

int bk_voucher_redeem_check(struct wf *w)
{
    struct req *r = w->r;
    struct bk_voucher_code v;
    const char *code = wf_str(w->body, "code");
    int rc = verify(r, w->c, code, &v);
    if (rc)
        return rc;
    if (v.id != w->id || !wf_is(v.serial, wf_str(w->rec, "serial")))
        return wf_invalid(w, "code", "booking.voucher.forged", "is not a genuine voucher");
    const char *st = w->state;
    if (wf_is(st, "redeemed"))
        return wf_conflict(w, "booking.voucher.redeemed",
                           "the voucher was redeemed on {redeemed_at}%s at {where}%s",
                           wf_str(w->rec, "redeemed_at"), where_of(w));
    if (wf_is(st, "void"))
        return wf_conflict(w, "booking.voucher.void", "the voucher was voided");
    int64_t today = report_today(r), exp = day_of(w->rec, "expires_on");
    if (wf_is(st, "expired") || bk_voucher_expired(exp, today))
        return wf_conflict(w, "booking.voucher.expired", "the voucher expired after {expires_on}%s",
                           wf_str(w->rec, "expires_on"));
    if (today < day_of(w->rec, "valid_from"))
        return wf_conflict(w, "booking.voucher.not_yet", "the voucher is valid from {valid_from}%s",
                           wf_str(w->rec, "valid_from"));
    /* a device's token names it: "token:<name>" */
    if (r->who && r->who->token_id && !strncmp(r->who->username, "token:", 6))
        json_object_set_new(w->patch, "device", json_string(r->who->username + 6));
    int64_t res = wf_int(w->body, "resource_id");
    if (res) {
        int64_t found;
        rc = db_one_int(w->c, "SELECT COUNT(*) FROM resources WHERE tenant_id = ? AND id = ?",
                        DB_INTS(r->tenant_id, res), &found, &r->err);
        if (rc < 0)
            return rc;
        if (!found)
            return wf_invalid(w, "resource_id", "booking.resource_unknown", "is not a resource");
        json_object_set_new(w->patch, "resource_id", json_integer(res));
    }
    return 0;
}

int bk_voucher_redeem(struct req *r)
{
    json_t *body;
    int rc = perm_check(r, &bk_vouchers, "redeem");
    if (rc || (rc = rest_body_json(r, &body, 0)))
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    json_t *code = json_object_get(body, "code");
    if (!json_is_string(code)) {
        err_field(&r->err, "code", "field.required", "is required");
        return err_invalid(&r->err);
    }
    struct bk_voucher_code v;
    if ((rc = verify(r, c, json_string_value(code), &v)))
        return rc;
    return wf_run(r, &bk_vouchers, step_named("redeem"), v.id, body);
}

/* ---- the wallet and the QR images ---- */

int bk_voucher_mine(struct req *r)
{
    static const char *const none[] = {NULL};
    int rc = report_params_only(r, none);
    if (rc)
        return rc;
    if (!r->who)
        return err_set(&r->err, ERR_UNAUTHENTICATED, NULL, NULL, "sign in first");
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    json_t *items = report_keep(r, json_array());
    int64_t person = r->who->person_id, since = report_today(r) - MINE_DAYS;
    char d[16];
    date_format(since, d, sizeof(d));
    if (person) {
        struct db_stmt *st;
        rc = db_prepare(c,
                        "SELECT v.id, v.serial, v.service, v.status, v.valid_from, v.expires_on, "
                        "v.redeemed_at, b.label, v.batch_id FROM vouchers v JOIN voucher_batches "
                        "b ON b.tenant_id = v.tenant_id AND b.id = v.batch_id WHERE v.tenant_id "
                        "= ? AND v.person_id = ? AND v.expires_on >= ? ORDER BY v.valid_from "
                        "DESC, v.service, v.seq LIMIT 500",
                        &st, &r->err);
        if (rc)
            return rc;
        db_bind_int(st, 1, r->tenant_id);
        db_bind_int(st, 2, person);
        db_bind_text(st, 3, d, strlen(d));
        while ((rc = db_step(st, &r->err)) == DB_ROW) {
            char ts[40] = "";
            if (!db_col_is_null(st, 6))
                time_format_rfc3339(db_col_int(st, 6), r->utc_offset_min, ts, sizeof(ts));
            json_t *it = json_pack(
                "{s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:I}", "id", (json_int_t)db_col_int(st, 0),
                "serial", db_col_text(st, 1, NULL), "service", db_col_text(st, 2, NULL), "status",
                db_col_text(st, 3, NULL), "valid_from", db_col_text(st, 4, NULL), "expires_on",
                db_col_text(st, 5, NULL), "redeemed_at", *ts ? json_string(ts) : json_null(),
                "label", db_col_text(st, 7, NULL), "batch_id", (json_int_t)db_col_int(st, 8));
            json_array_append_new(items, it);
        }
        db_reset(st);
        if (rc < 0)
            return rc;
    }
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        if (!wf_is(wf_str(it, "status"), "issued"))
            continue;
        char code[BK_VOUCHER_CODE_MAX + 1];
        if ((rc = code_of(r, c, wf_int(it, "id"), wf_str(it, "serial"), code, sizeof(code))))
            return rc;
        json_object_set_new(it, "code", json_string(code));
    }
    return report_send(r, json_pack("{s:O}", "items", items));
}

static int send_svg(struct req *r, const char *text)
{
    buf_truncate(&r->out, 0);
    if (qr_svg(text, &r->out))
        return err_set(&r->err, ERR_INTERNAL, NULL, NULL, "cannot draw the code");
    r->status = 200;
    r->ctype = "image/svg+xml";
    return 0;
}

/* The record id of path segment 3 and the request's connection. */
static int path_record(struct req *r, int64_t *id, struct db_conn **c)
{
    int rc = rest_id(r, 3, id);
    if (rc)
        return rc;
    if (!r->who)
        return err_set(&r->err, ERR_UNAUTHENTICATED, NULL, NULL, "sign in first");
    *c = req_db(r);
    return *c ? 0 : -ERR_DB_UNAVAILABLE;
}

int bk_voucher_qr(struct req *r)
{
    int64_t id;
    struct db_conn *c;
    int rc = path_record(r, &id, &c);
    if (rc)
        return rc;
    struct db_stmt *st;
    if ((rc = db_prepare_ints(c,
                              "SELECT person_id, serial FROM vouchers WHERE tenant_id = ? AND id "
                              "= ?",
                              DB_INTS(r->tenant_id, id), &st, &r->err)))
        return rc;
    char serial[BK_VOUCHER_SERIAL_MAX + 1] = "";
    int64_t person = 0;
    if ((rc = db_step(st, &r->err)) == DB_ROW) {
        person = db_col_int(st, 0);
        snprintf(serial, sizeof(serial), "%s", db_col_text(st, 1, NULL));
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    /* the holder's only: anyone else is told there is no such voucher */
    if (!person || person != r->who->person_id)
        return err_set(&r->err, ERR_NOT_FOUND, NULL, NULL, "no such record");
    char code[BK_VOUCHER_CODE_MAX + 1];
    if ((rc = code_of(r, c, id, serial, code, sizeof(code))))
        return rc;
    return send_svg(r, code);
}

int bk_booking_qr(struct req *r)
{
    int64_t id;
    struct db_conn *c;
    int rc = path_record(r, &id, &c);
    if (rc)
        return rc;
    struct db_stmt *st;
    if ((rc = db_prepare_ints(c,
                              "SELECT booker_id, check_in_code FROM bookings WHERE tenant_id = ? "
                              "AND id = ?",
                              DB_INTS(r->tenant_id, id), &st, &r->err)))
        return rc;
    char code[BK_CODE_LEN * 2 + 1] = "";
    int64_t booker = 0;
    if ((rc = db_step(st, &r->err)) == DB_ROW) {
        booker = db_col_int(st, 0);
        snprintf(code, sizeof(code), "%s", db_col_text(st, 1, NULL));
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    if (!booker || booker != r->user_id || !*code)
        return err_set(&r->err, ERR_NOT_FOUND, NULL, NULL, "no such record");
    return send_svg(r, code);
}

/* ---- statistics by month and service ---- */

static const char *const svc_names[] = {"haircut", "car_wash", "other"};
static const char *const svc_zh[] = {"理发", "洗车", "其他"};
#define NSVC 3

struct cell {
    int64_t issued, redeemed, expired, voided;
};

static int64_t add_months(int64_t first, int k)
{
    char d[24];
    date_format(first, d, sizeof(d));
    int y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
    int m = (d[5] - '0') * 10 + (d[6] - '0') - 1 + k;
    while (m < 0) {
        m += 12;
        y--;
    }
    y += m / 12;
    m %= 12;
    snprintf(d, sizeof(d), "%04d-%02d-01", y, m + 1);
    int64_t out = first;
    date_parse(d, 10, &out);
    return out;
}

/* The rate in tenths of a percent; -1 with nothing issued. */
static int64_t rate10(const struct cell *x)
{
    return x->issued ? (x->redeemed * 1000 + x->issued / 2) / x->issued : -1;
}

static json_t *cell_json(const struct cell *x)
{
    int64_t p = rate10(x);
    return json_pack("{s:I,s:I,s:I,s:I,s:o}", "issued", (json_int_t)x->issued, "redeemed",
                     (json_int_t)x->redeemed, "expired", (json_int_t)x->expired, "void",
                     (json_int_t)x->voided, "rate", p < 0 ? json_null() : json_real(p / 10.0));
}

static void xlsx_line(lxw_worksheet *ws, lxw_format *one, lxw_row_t row, const char *month,
                      const char *svc, const struct cell *x)
{
    worksheet_write_string(ws, row, 0, month, NULL);
    worksheet_write_string(ws, row, 1, svc, NULL);
    worksheet_write_number(ws, row, 2, (double)x->issued, NULL);
    worksheet_write_number(ws, row, 3, (double)x->redeemed, NULL);
    worksheet_write_number(ws, row, 4, (double)x->expired, NULL);
    worksheet_write_number(ws, row, 5, (double)x->voided, NULL);
    int64_t p = rate10(x);
    if (p >= 0)
        worksheet_write_number(ws, row, 6, (double)p / 10.0, one);
}

int bk_voucher_stats(struct req *r)
{
    static const char *const params[] = {"from", "to", NULL};
    size_t plen = strlen(r->path);
    int xlsx = plen > 5 && !strcmp(r->path + plen - 5, ".xlsx");
    int64_t today = report_today(r), from, to;
    int rc = perm_check(r, &bk_vouchers, xlsx ? "export" : "read");
    if (rc || (rc = report_params_only(r, params)) ||
        (rc = report_param_month(r, "to", today, &to)) ||
        (rc = report_param_month(r, "from", add_months(to, -11), &from)))
        return rc;
    if (r->scope != SCOPE_TENANT)
        return err_set(&r->err, ERR_FORBIDDEN, NULL, "booking.voucher.stats_scope",
                       "the statistics cover the whole unit: your role sees part of it");
    int nm = 0;
    while (nm <= STATS_MONTHS && add_months(from, nm) <= to)
        nm++;
    if (to < from || nm > STATS_MONTHS)
        return err_set(&r->err, ERR_BAD_QUERY, "to", "booking.voucher.stats_range",
                       "give from 1 to {max}%d months, to not before from", STATS_MONTHS);
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    struct cell *g = arena_zalloc(r->a, sizeof(*g) * (size_t)(nm * NSVC));
    int64_t *starts = arena_zalloc(r->a, sizeof(*starts) * (size_t)(nm + 1));
    if (!g || !starts)
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "out of memory");
    for (int k = 0; k <= nm; k++)
        starts[k] = add_months(from, k);
    char d0[16], d1[16];
    date_format(from, d0, sizeof(d0));
    date_format(starts[nm], d1, sizeof(d1));
    struct db_stmt *st;
    if ((rc = db_prepare(c,
                         "SELECT valid_from, service, status, COUNT(*) FROM vouchers WHERE "
                         "tenant_id = ? AND valid_from >= ? AND valid_from < ? GROUP BY "
                         "valid_from, service, status",
                         &st, &r->err)))
        return rc;
    db_bind_int(st, 1, r->tenant_id);
    db_bind_text(st, 2, d0, strlen(d0));
    db_bind_text(st, 3, d1, strlen(d1));
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        size_t n;
        const char *vf = db_col_text(st, 0, &n);
        int64_t day;
        if (date_parse(vf, n > 10 ? 10 : n, &day))
            continue;
        int k = 0;
        while (k < nm - 1 && day >= starts[k + 1])
            k++;
        const char *svc = db_col_text(st, 1, NULL), *status = db_col_text(st, 2, NULL);
        int s = 0;
        while (s < NSVC - 1 && strcmp(svc, svc_names[s]))
            s++;
        struct cell *x = &g[k * NSVC + s];
        int64_t cnt = db_col_int(st, 3);
        x->issued += cnt;
        if (!strcmp(status, "redeemed"))
            x->redeemed += cnt;
        else if (!strcmp(status, "expired"))
            x->expired += cnt;
        else if (!strcmp(status, "void"))
            x->voided += cnt;
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    struct cell total[NSVC];
    memset(total, 0, sizeof(total));
    for (int k = 0; k < nm; k++)
        for (int s = 0; s < NSVC; s++) {
            total[s].issued += g[k * NSVC + s].issued;
            total[s].redeemed += g[k * NSVC + s].redeemed;
            total[s].expired += g[k * NSVC + s].expired;
            total[s].voided += g[k * NSVC + s].voided;
        }
    char month[16];
    if (xlsx) {
        static const char *const head[] = {"月份",   "服务项目", "发放(张)", "已使用",
                                           "已过期", "已作废",   "使用率%"};
        struct export_xlsx book;
        rc = export_xlsx_open(r, &book, 0);
        lxw_workbook *wb = book.wb;
        lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "服务券统计") : NULL;
        if (!rc && !ws)
            rc = err_set(&r->err, ERR_INTERNAL, NULL, NULL, "cannot add a sheet");
        if (!rc) {
            lxw_format *bold = workbook_add_format(wb), *one = workbook_add_format(wb);
            format_set_bold(bold);
            format_set_num_format(one, "0.0");
            worksheet_set_column(ws, 0, 6, 12, NULL);
            for (int k = 0; k < 7; k++)
                worksheet_write_string(ws, 0, (lxw_col_t)k, head[k], bold);
            lxw_row_t row = 1;
            for (int k = 0; k < nm; k++) {
                date_format(starts[k], month, sizeof(month));
                month[7] = 0;
                for (int s = 0; s < NSVC; s++)
                    if (g[k * NSVC + s].issued)
                        xlsx_line(ws, one, row++, month, svc_zh[s], &g[k * NSVC + s]);
            }
            for (int s = 0; s < NSVC; s++)
                if (total[s].issued)
                    xlsx_line(ws, one, row++, "合计", svc_zh[s], &total[s]);
        }
        return export_xlsx_close(r, &book, rc, "voucher-stats");
    }
    json_t *months = json_array(), *tot = json_object();
    for (int k = 0; k < nm; k++) {
        date_format(starts[k], month, sizeof(month));
        month[7] = 0;
        json_t *m = json_pack("{s:s}", "month", month);
        for (int s = 0; s < NSVC; s++)
            json_object_set_new(m, svc_names[s], cell_json(&g[k * NSVC + s]));
        json_array_append_new(months, m);
    }
    for (int s = 0; s < NSVC; s++)
        json_object_set_new(tot, svc_names[s], cell_json(&total[s]));
    date_format(from, d0, sizeof(d0));
    date_format(to, d1, sizeof(d1));
    d0[7] = d1[7] = 0;
    return report_send(
        r, json_pack("{s:s,s:s,s:o,s:o}", "from", d0, "to", d1, "months", months, "total", tot));
}

/* ---- the expiry job and the dashboard's figure ---- */

static int tenant_expiry(struct job_ctx *j, int64_t tenant, int *expired, struct err *e)
{
    struct arena *a = arena_new(8u << 20);
    struct req r;
    req_init_internal(&r, a, config_current(), j->db);
    r.tenant_id = tenant;
    r.dbc = j->c;
    r.utc_offset_min = tenant_utc_offset(j->c, tenant, r.utc_offset_min);
    int64_t *ids = arena_zalloc(a, sizeof(*ids) * EXPIRE_BATCH);
    int n = 0;
    char d[16];
    date_format(report_today(&r), d, sizeof(d));
    int rc = ids ? db_begin(j->c, e) : err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
    if (rc)
        goto out;
    struct db_stmt *st;
    rc = db_prepare(j->c,
                    "SELECT id FROM vouchers WHERE tenant_id = ? AND status = 'issued' AND "
                    "expires_on < ? ORDER BY expires_on, id LIMIT 1000",
                    &st, e);
    if (!rc) {
        db_bind_int(st, 1, tenant);
        db_bind_text(st, 2, d, strlen(d));
        while ((rc = db_step(st, e)) == DB_ROW && n < EXPIRE_BATCH)
            ids[n++] = db_col_int(st, 0);
        db_reset(st);
        rc = rc < 0 ? rc : 0;
    }
    for (int i = 0; !rc && i < n; i++) {
        rc = wf_update(&r, j->c, &bk_vouchers, ids[i], json_pack("{s:s}", "status", "expired"), e);
        *expired += !rc;
    }
    if (rc)
        db_rollback(j->c);
    else
        rc = db_commit(j->c, e);
out:
    arena_free(a);
    return rc;
}

int bk_job_voucher_expiry(struct job_ctx *j, struct err *e)
{
    enum { MAX_TENANTS = 1000 };
    int64_t tenants[MAX_TENANTS];
    int nt = 0, expired = 0;
    int rc = tenant_ids(j->c, 0, tenants, MAX_TENANTS, &nt, e);
    for (int i = 0; !rc && i < nt; i++)
        rc = tenant_expiry(j, tenants[i], &expired, e);
    snprintf(j->message, sizeof(j->message), "%d voucher%s expired", expired,
             expired == 1 ? "" : "s");
    return rc;
}

int bk_voucher_month_redeemed(struct req *r, struct db_conn *c, int64_t *n, struct err *e)
{
    *n = -1;
    if (perm_scope(r, &bk_vouchers, "read") != SCOPE_TENANT)
        return 0;
    int64_t today = report_today(r), off = (int64_t)r->utc_offset_min * 60;
    char d[16];
    date_format(today, d, sizeof(d));
    int64_t m0 = (today - ((d[8] - '0') * 10 + (d[9] - '0') - 1)) * 86400 - off;
    int rc = db_one_int(c,
                        "SELECT COUNT(*) FROM vouchers WHERE tenant_id = ? AND status = "
                        "'redeemed' AND redeemed_at >= ?",
                        DB_INTS(r->tenant_id, m0), n, e);
    return rc < 0 ? rc : 0;
}
