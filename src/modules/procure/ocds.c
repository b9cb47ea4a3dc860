/* SPDX-License-Identifier: MIT
 * procure/ocds.c - a project as an OCDS 1.1 release package
 * (standards/ocds-1.1.5/: release-package-schema.json, release-schema.json
 * and the codelists): planning (the budget and its source), tender (the
 * method in the standard's codelist with the Chinese method in its details,
 * the award criteria, the tender period, the tenderers and, after the
 * opening, their bids' amounts in the bids extension), the award (from the
 * signed evaluation report, as the project holds it since the result's
 * publication), the contract and its implementation's transactions (the
 * payments). The ocid is "ocds-" + the tenant's code + "-" + the project's
 * code (a publisher that registers a prefix with the Open Contracting
 * Partnership uses its code as the tenant's).
 *
 * GET /api/v1/procurement_projects/{id}/ocds answers those who may read the
 * project; GET /open/procure/{tenant}/ocds/{id} answers anyone, without
 * signing in, for a project whose notice has been published (404 for any
 * other, as for one that does not exist), and /open/procure/{tenant}/ocds
 * lists them.
 */
#include "life.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../core/tenant.h"
#include "../../db/db.h"
#include "../../engine/report.h"
#include "../../engine/rest.h"
#include "../org/org.h"

#include <stdio.h>
#include <string.h>

#define BIDS_EXTENSION                                                                             \
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/"     \
    "extension.json"

static json_t *value(int64_t fen)
{
    return json_pack("{s:f,s:s}", "amount", (double)fen / 100, "currency", "CNY");
}

static const char *ocds_method(const char *m)
{
    if (wf_is(m, "public_tender"))
        return "open";
    if (wf_is(m, "invited_tender"))
        return "selective";
    if (wf_is(m, "single_source"))
        return "direct";
    return "limited";
}

static const char *tender_status(const char *s, const char *from)
{
    if (wf_is(s, "suspended"))
        s = from;
    if (!s || wf_is(s, "draft") || wf_is(s, "submitted") || wf_is(s, "approved"))
        return "planned";
    if (wf_is(s, "cancelled"))
        return "cancelled";
    if (wf_is(s, "notice_published") || wf_is(s, "bidding") || wf_is(s, "opening") ||
        wf_is(s, "evaluation"))
        return "active";
    return "complete";
}

static const char *zh_of(const char *field, const char *v)
{
    const struct res_field *f = res_field_find(&pc_projects, field, strlen(field));
    for (int k = 0; f && f->values && f->values[k].value; k++)
        if (wf_is(f->values[k].value, v))
            return f->values[k].zh;
    return v ? v : "";
}

struct party_set {
    json_t *parties;
};

/* Adds (or extends with role) the party id. */
static void party(json_t *parties, const char *id, const char *name, const char *uscc,
                  const char *role)
{
    for (size_t i = 0; i < json_array_size(parties); i++) {
        json_t *p = json_array_get(parties, i);
        if (wf_is(wf_str(p, "id"), id)) {
            json_t *roles = json_object_get(p, "roles");
            for (size_t k = 0; k < json_array_size(roles); k++)
                if (wf_is(json_string_value(json_array_get(roles, k)), role))
                    return;
            json_array_append_new(roles, json_string(role));
            return;
        }
    }
    json_t *p = json_pack("{s:s,s:[s]}", "id", id, "roles", role);
    if (name && *name)
        json_object_set_new(p, "name", json_string(name));
    if (uscc && *uscc)
        json_object_set_new(p, "identifier",
                            json_pack("{s:s,s:s,s:s}", "scheme", "CN-USCC", "id", uscc, "legalName",
                                      name ? name : ""));
    json_array_append_new(parties, p);
}

/* An organization reference; the name only when known (the schema wants
 * one that is not empty). */
static json_t *ref(const char *id, const char *name)
{
    json_t *o = json_pack("{s:s}", "id", id);
    if (o && name && *name)
        json_object_set_new(o, "name", json_string(name));
    return o;
}

struct supplier {
    int64_t id;
    const char *name, *uscc;
};

static int supplier_get(struct req *r, struct db_conn *c, int64_t id, struct supplier *s,
                        struct err *e)
{
    s->id = id;
    s->name = s->uscc = NULL;
    int has_uscc = res_field_find(&pc_suppliers, "uscc", 4) != NULL;
    struct db_stmt *st;
    int rc = db_prepare_ints(c,
                             has_uscc ? "SELECT name, uscc FROM suppliers WHERE tenant_id = ? AND "
                                        "id = ?"
                                      : "SELECT name, NULL FROM suppliers WHERE tenant_id = ? AND "
                                        "id = ?",
                             DB_INTS(r->tenant_id, id), &st, e);
    if (rc)
        return rc;
    if ((rc = db_step(st, e)) == DB_ROW) {
        s->name = arena_strdup(r->a, db_col_text(st, 0, NULL));
        s->uscc = db_col_is_null(st, 1) ? NULL : arena_strdup(r->a, db_col_text(st, 1, NULL));
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static const char *sup_id(struct req *r, int64_t id)
{
    return arena_printf(r->a, "supplier-%lld", (long long)id);
}

/* 1 when the bids table this build declares carries what the package reads. */
static int after_opening(const char *s, const char *from)
{
    if (wf_is(s, "suspended") || wf_is(s, "cancelled"))
        s = from;
    static const char *const later[] = {"evaluation", "result_publicity", "complaint_window",
                                        "contract",   "performance",      "closed",
                                        NULL};
    for (int i = 0; later[i]; i++)
        if (wf_is(s, later[i]))
            return 1;
    return 0;
}

/* The package of project p (loaded in the whole tenant). */
static int package(struct req *r, struct db_conn *c, json_t *p, const char *uri, json_t **out)
{
    struct err *e = &r->err;
    json_t *t;
    int rc = wf_load(r, c, &org_tenants, r->tenant_id, &t, e);
    if (rc)
        return rc;
    const char *tcode = wf_str(t, "code") ? wf_str(t, "code") : "tenant";
    const char *tname = wf_str(t, "name") ? wf_str(t, "name") : tcode;
    char lower[64];
    size_t k = 0;
    for (; tcode[k] && k < sizeof(lower) - 1; k++)
        lower[k] = (char)(tcode[k] >= 'A' && tcode[k] <= 'Z' ? tcode[k] + 32 : tcode[k]);
    lower[k] = 0;
    int64_t id = wf_int(p, "id");
    const char *code =
        wf_str(p, "code") ? wf_str(p, "code") : arena_printf(r->a, "%lld", (long long)id);
    const char *ocid = arena_printf(r->a, "ocds-%s-%s", lower, code);
    const char *status = wf_str(p, "status"), *from = wf_str(p, "suspended_from");
    json_t *parties = report_keep(r, json_array());
    int64_t dept = wf_int(p, "department_id");
    const char *dname = NULL;
    if (dept && (rc = org_department_name(r, c, dept, &dname, e)) < 0)
        return rc;
    const char *buyer = arena_printf(r->a, "department-%lld", (long long)dept);
    party(parties, buyer, dname, NULL, "buyer");
    party(parties, buyer, dname, NULL, "procuringEntity");
    json_t *tags = report_keep(r, json_array());
    json_array_append_new(tags, json_string("planning"));

    json_t *planning =
        json_pack("{s:{s:s?,s:o},s:s?}", "budget", "description", wf_str(p, "funding"), "amount",
                  value(wf_int(p, "budget_fen")), "rationale", wf_str(p, "description"));
    const char *method = wf_str(p, "method");
    json_t *tender = json_pack(
        "{s:s,s:s,s:s,s:o,s:o,s:s,s:s,s:s,s:s}", "id", code, "title", wf_str(p, "name"), "status",
        tender_status(status, from), "procuringEntity", ref(buyer, dname), "value",
        value(wf_int(p, "budget_fen")), "procurementMethod", ocds_method(method),
        "procurementMethodDetails", zh_of("method", method), "mainProcurementCategory",
        wf_str(p, "category"), "awardCriteria",
        wf_is(wf_str(p, "evaluation_method"), "lowest_price") ? "priceOnly" : "ratedCriteria");
    report_keep(r, planning);
    report_keep(r, tender);
    if (!planning || !tender)
        return err_set(e, ERR_INTERNAL, NULL, NULL, "out of memory");
    json_object_set_new(
        tender, "awardCriteriaDetails",
        json_string(arena_printf(r->a, "%s，价格分值比重 %lld%%",
                                 zh_of("evaluation_method", wf_str(p, "evaluation_method")),
                                 (long long)wf_int(p, "price_weight_pct"))));
    if (wf_has(p, "description"))
        json_object_set_new(tender, "description", json_string(wf_str(p, "description")));
    if (wf_has(p, "method_approval"))
        json_object_set_new(tender, "procurementMethodRationale",
                            json_string(wf_str(p, "method_approval")));
    if (wf_has(p, "documents_issued_at") || wf_has(p, "bid_deadline")) {
        json_t *tp = json_object();
        if (wf_has(p, "documents_issued_at"))
            json_object_set(tp, "startDate", json_object_get(p, "documents_issued_at"));
        if (wf_has(p, "bid_deadline"))
            json_object_set(tp, "endDate", json_object_get(p, "bid_deadline"));
        json_object_set_new(tender, "tenderPeriod", tp);
    }
    int published = wf_has(p, "notice_published_at");
    if (published)
        json_array_append_new(tags, json_string("tender"));
    if (wf_is(status, "cancelled") && published)
        json_array_append_new(tags, json_string("tenderCancellation"));

    /* tenderers and, after the opening, their bids */
    json_t *bids = NULL;
    if (published && after_opening(status, from)) {
        json_t *tenderers = json_array(), *details = json_array();
        struct db_stmt *st;
        if ((rc = db_prepare_ints(
                 c,
                 "SELECT id, supplier_id, status, price_fen, opened_at FROM bids WHERE "
                 "tenant_id = ? AND project_id = ? AND status IN ('opened', 'invalid') ORDER BY id",
                 DB_INTS(r->tenant_id, id), &st, e))) {
            json_decref(tenderers);
            json_decref(details);
            return rc;
        }
        struct row {
            int64_t id, supplier, price, opened;
            int has_price, valid;
        } v[512];
        int n = 0;
        while ((rc = db_step(st, e)) == DB_ROW && n < 512) {
            v[n].id = db_col_int(st, 0);
            v[n].supplier = db_col_int(st, 1);
            v[n].valid = !wf_is(db_col_text(st, 2, NULL), "invalid");
            v[n].has_price = !db_col_is_null(st, 3);
            v[n].price = db_col_int(st, 3);
            v[n].opened = db_col_is_null(st, 4) ? 0 : db_col_int(st, 4);
            n++;
        }
        db_reset(st);
        for (int i = 0; rc >= 0 && i < n; i++) {
            struct supplier s;
            if ((rc = supplier_get(r, c, v[i].supplier, &s, e)))
                break;
            const char *sid = sup_id(r, v[i].supplier);
            party(parties, sid, s.name, s.uscc, "tenderer");
            json_array_append_new(tenderers, ref(sid, s.name));
            json_t *b = json_pack(
                "{s:s,s:s,s:[o]}", "id", arena_printf(r->a, "bid-%lld", (long long)v[i].id),
                "status", v[i].valid ? "valid" : "disqualified", "tenderers", ref(sid, s.name));
            if (v[i].has_price)
                json_object_set_new(b, "value", value(v[i].price));
            if (v[i].opened)
                json_object_set_new(b, "date", wf_time_json(r, v[i].opened));
            json_array_append_new(details, b);
        }
        if (rc < 0) {
            json_decref(tenderers);
            json_decref(details);
            return rc;
        }
        json_object_set_new(tender, "numberOfTenderers", json_integer(n));
        json_object_set_new(tender, "tenderers", tenderers);
        bids = report_keep(r, json_pack("{s:o}", "details", details));
    }

    /* the award */
    json_t *awards = NULL, *contracts = NULL;
    if (wf_has(p, "result_published_at")) {
        json_array_append_new(tags, json_string("award"));
        const char *aid = arena_printf(r->a, "award-%lld", (long long)id);
        json_t *a = json_pack("{s:s,s:s,s:s,s:O}", "id", aid, "title", wf_str(p, "name"), "status",
                              wf_is(status, "cancelled") ? "cancelled" : "active", "date",
                              json_object_get(p, "result_published_at"));
        if (wf_has(p, "winner_price_fen"))
            json_object_set_new(a, "value", value(wf_int(p, "winner_price_fen")));
        if (wf_has(p, "winner_supplier_id")) {
            struct supplier s;
            if ((rc = supplier_get(r, c, wf_int(p, "winner_supplier_id"), &s, e))) {
                json_decref(a);
                return rc;
            }
            const char *sid = sup_id(r, s.id);
            party(parties, sid, s.name, s.uscc, "supplier");
            json_object_set_new(a, "suppliers", json_pack("[o]", ref(sid, s.name)));
        }
        if (wf_has(p, "complaint_ends"))
            json_object_set_new(
                a, "contractPeriod",
                json_pack("{s:s}", "startDate",
                          arena_printf(r->a, "%sT00:00:00Z", wf_str(p, "complaint_ends"))));
        awards = report_keep(r, json_pack("[o]", a));

        /* the contract and its payments */
        struct db_stmt *st;
        if ((rc = db_prepare_ints(c,
                                  "SELECT id, code, title, amount_fen, signed_on, supplier_id, "
                                  "status FROM contracts WHERE tenant_id = ? AND project_id = ?",
                                  DB_INTS(r->tenant_id, id), &st, e)))
            return rc;
        int64_t kid = 0, amount = 0, ksup = 0;
        const char *kcode = NULL, *ktitle = NULL, *ksigned = NULL;
        if ((rc = db_step(st, e)) == DB_ROW) {
            kid = db_col_int(st, 0);
            kcode = arena_strdup(r->a, db_col_text(st, 1, NULL));
            ktitle = arena_strdup(r->a, db_col_text(st, 2, NULL));
            amount = db_col_int(st, 3);
            ksigned = arena_strdup(r->a, db_col_text(st, 4, NULL));
            ksup = db_col_int(st, 5);
        }
        db_reset(st);
        if (rc < 0)
            return rc;
        if (kid) {
            json_array_append_new(tags, json_string("contract"));
            json_t *kk = json_pack(
                "{s:s,s:s,s:s?,s:s,s:o,s:s}", "id",
                arena_printf(r->a, "contract-%lld", (long long)kid), "awardID", aid, "title",
                ktitle, "status", wf_is(status, "closed") ? "terminated" : "active", "value",
                value(amount), "dateSigned",
                arena_printf(r->a, "%sT00:00:00Z", ksigned ? ksigned : "1970-01-01"));
            if (kcode)
                json_object_set_new(kk, "description", json_string(kcode));
            json_t *tx = json_array();
            if ((rc = db_prepare_ints(c,
                                      "SELECT id, paid_on, amount_fen FROM contract_payments "
                                      "WHERE tenant_id = ? AND contract_id = ? ORDER BY paid_on, "
                                      "id",
                                      DB_INTS(r->tenant_id, kid), &st, e))) {
                json_decref(kk);
                json_decref(tx);
                return rc;
            }
            struct supplier s = {0};
            const char *sid = sup_id(r, ksup);
            while ((rc = db_step(st, e)) == DB_ROW)
                json_array_append_new(
                    tx,
                    json_pack("{s:s,s:s,s:o,s:o,s:o}", "id",
                              arena_printf(r->a, "payment-%lld", (long long)db_col_int(st, 0)),
                              "date", arena_printf(r->a, "%sT00:00:00Z", db_col_text(st, 1, NULL)),
                              "value", value(db_col_int(st, 2)), "payer", ref(buyer, dname),
                              "payee", ref(sid, NULL)));
            db_reset(st);
            if (rc >= 0 && ksup)
                rc = supplier_get(r, c, ksup, &s, e);
            if (rc < 0) {
                json_decref(kk);
                json_decref(tx);
                return rc;
            }
            for (size_t i = 0; s.name && *s.name && i < json_array_size(tx); i++)
                json_object_set_new(json_object_get(json_array_get(tx, i), "payee"), "name",
                                    json_string(s.name));
            if (ksup) {
                party(parties, sid, s.name, s.uscc, "supplier");
                party(parties, sid, s.name, s.uscc, "payee");
            }
            party(parties, buyer, dname, NULL, "payer");
            if (json_array_size(tx)) {
                json_array_append_new(tags, json_string("implementation"));
                json_object_set_new(kk, "implementation", json_pack("{s:o}", "transactions", tx));
            } else
                json_decref(tx);
            contracts = report_keep(r, json_pack("[o]", kk));
        }
    }
    json_t *updated = json_object_get(p, "updated_at");
    const char *date = json_string_value(updated);
    json_t *rel =
        json_pack("{s:s,s:s,s:s,s:O,s:s,s:s,s:o,s:O,s:O,s:O}", "ocid", ocid, "id",
                  arena_printf(r->a, "%s-%lld", ocid, (long long)wf_int(p, "version")), "date",
                  date ? date : "1970-01-01T00:00:00Z", "tag", tags, "initiationType", "tender",
                  "language", "zh", "buyer", ref(buyer, dname), "parties", parties, "planning",
                  planning, "tender", tender);
    if (!rel)
        return err_set(e, ERR_INTERNAL, NULL, NULL, "out of memory");
    if (bids)
        json_object_set(rel, "bids", bids);
    if (awards)
        json_object_set(rel, "awards", awards);
    if (contracts)
        json_object_set(rel, "contracts", contracts);
    json_t *now = wf_time_json(r, clock_now());
    json_t *pkg = json_pack("{s:s,s:s,s:o,s:{s:s},s:[o]}", "uri", uri, "version", "1.1",
                            "publishedDate", now, "publisher", "name", tname, "releases", rel);
    if (!pkg)
        return err_set(e, ERR_INTERNAL, NULL, NULL, "out of memory");
    if (bids)
        json_object_set_new(pkg, "extensions", json_pack("[s]", BIDS_EXTENSION));
    *out = pkg;
    return 0;
}

/* The package's uri: absolute, on the host the request named (letters,
 * digits, dots, dashes and a port only), else a URN of the path. */
static const char *absolute(struct req *r, const char *path)
{
    const char *h = req_header(r, "Host");
    size_t n = h ? strlen(h) : 0;
    int ok = n > 0 && n < 200;
    for (size_t i = 0; ok && i < n; i++)
        ok = (h[i] >= 'a' && h[i] <= 'z') || (h[i] >= 'A' && h[i] <= 'Z') ||
             (h[i] >= '0' && h[i] <= '9') || h[i] == '.' || h[i] == '-' || h[i] == ':';
    return ok ? arena_printf(r->a, "https://%s%s", h, path)
              : arena_printf(r->a, "urn:bureau:%s", path + 1);
}

int pc_ocds(struct req *r)
{
    int64_t id;
    struct db_conn *c;
    json_t *p, *pkg;
    int rc = rest_record(r, &pc_projects, "read", &id, &c, &p);
    if (rc)
        return rc;
    const char *uri =
        absolute(r, arena_printf(r->a, "/api/v1/procurement_projects/%lld/ocds", (long long)id));
    if ((rc = package(r, c, p, uri, &pkg)))
        return rc;
    return report_send(r, pkg);
}

static int not_found(struct req *r)
{
    return err_set(&r->err, ERR_NOT_FOUND, NULL, NULL, "no such published project");
}

/* The tenant named by path segment 2; 0 when there is none. */
static int public_tenant(struct req *r, struct db_conn *c, int64_t *tenant)
{
    *tenant = 0;
    if (r->nsegs < 3 || !r->seg_len[2] || r->seg_len[2] > 40)
        return 0;
    int rc = tenant_by_code(c, r->seg[2], r->seg_len[2], tenant, &r->err);
    if (rc < 0)
        return rc;
    if (*tenant) {
        r->tenant_id = *tenant;
        r->utc_offset_min = tenant_utc_offset(c, *tenant, r->utc_offset_min);
    }
    return 0;
}

int pc_ocds_public(struct req *r)
{
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    int64_t tenant, id;
    int rc = public_tenant(r, c, &tenant);
    if (rc)
        return rc;
    if (!tenant || rest_id(r, 4, &id))
        return not_found(r);
    json_t *p, *pkg;
    if ((rc = wf_load(r, c, &pc_projects, id, &p, &r->err))) {
        if (rc != -ERR_NOT_FOUND)
            return rc;
        err_clear(&r->err);
        return not_found(r);
    }
    if (!wf_has(p, "notice_published_at"))
        return not_found(r);
    const char *uri = absolute(r, arena_printf(r->a, "/open/procure/%.*s/ocds/%lld",
                                               (int)r->seg_len[2], r->seg[2], (long long)id));
    if ((rc = package(r, c, p, uri, &pkg)))
        return rc;
    r->cache_control = "public, max-age=300";
    return report_send(r, pkg);
}

int pc_ocds_public_list(struct req *r)
{
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    int64_t tenant;
    int rc = public_tenant(r, c, &tenant);
    if (rc)
        return rc;
    if (!tenant)
        return not_found(r);
    struct db_stmt *st;
    if ((rc = db_prepare_ints(c,
                              "SELECT id, code, name, status, updated_at FROM "
                              "procurement_projects WHERE tenant_id = ? AND notice_published_at "
                              "IS NOT NULL ORDER BY id DESC LIMIT 1000",
                              DB_INTS(tenant), &st, &r->err)))
        return rc;
    json_t *items = report_keep(r, json_array());
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        int64_t id = db_col_int(st, 0);
        json_array_append_new(
            items, json_pack("{s:I,s:s,s:s,s:s,s:o,s:s}", "id", (json_int_t)id, "code",
                             db_col_text(st, 1, NULL), "name", db_col_text(st, 2, NULL), "status",
                             db_col_text(st, 3, NULL), "updated_at",
                             wf_time_json(r, db_col_int(st, 4)), "package",
                             arena_printf(r->a, "/open/procure/%.*s/ocds/%lld", (int)r->seg_len[2],
                                          r->seg[2], (long long)id)));
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    r->cache_control = "public, max-age=300";
    return report_send(r, json_pack("{s:O}", "projects", items));
}
