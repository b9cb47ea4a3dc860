/* SPDX-License-Identifier: MIT
 * canteen/hooks.c - the rules of the canteens, meal periods and accounts
 * kept on every write: a canteen gets its sales account with it; a meal
 * period starts before it ends; an account is a person's meal card, one a
 * person, with a card number (given, or made from the person's number) and
 * a QR identifier nobody types; its department follows its holder.
 */
#include "canteen.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/report.h"
#include "../../engine/setting.h"
#include "../../engine/workflow.h"
#include "../org/org.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

int64_t ct_setting(struct req *r, struct db_conn *c, const char *name, int64_t dflt)
{
    return setting_int(r, c, &ct_settings, name, dflt, SETTING_NEWEST);
}

int ct_hhmm(const char *s)
{
    if (!s || strlen(s) != 5 || s[2] != ':')
        return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9'))
            return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    return h < 24 && m < 60 ? h * 60 + m : -1;
}

void ct_new_qr(char out[CT_QR_LEN + 1])
{
    static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    unsigned char raw[CT_QR_LEN];
    randombytes_buf(raw, sizeof(raw));
    for (int i = 0; i < CT_QR_LEN; i++)
        out[i] = b32[raw[i] & 31];
    out[CT_QR_LEN] = 0;
    sodium_memzero(raw, sizeof(raw));
}

int ct_canteen_after_write(struct res_write *w)
{
    if (!w->rec || w->old)
        return 0;
    int64_t id;
    return ct_system_account(w->c, w->r->tenant_id, "canteen", w->id, &id, w->e);
}

/* A reader's spend finds its meal by the time of day: a canteen's served
 * periods never overlap (two lunch sittings follow one another). */
int ct_period_before_write(struct res_write *w)
{
    if (!w->rec)
        return 0;
    int a = ct_hhmm(wf_str(w->rec, "starts")), b = ct_hhmm(wf_str(w->rec, "ends"));
    if (a < 0 || b < 0)
        return 0; /* the pattern refuses it */
    if (b <= a) {
        err_field(w->e, "ends", "field.after_start", "must be after the start");
        return err_invalid(w->e);
    }
    if (!json_is_true(json_object_get(w->rec, "active")))
        return 0;
    struct db_stmt *st;
    int rc =
        db_prepare_ints(w->c,
                        "SELECT starts, ends, meal FROM meal_periods WHERE tenant_id = ? AND "
                        "canteen_id = ? AND id <> ? AND active = 1",
                        DB_INTS(w->r->tenant_id, wf_int(w->rec, "canteen_id"), w->id), &st, w->e);
    if (rc)
        return rc;
    while ((rc = db_step(st, w->e)) == DB_ROW) {
        const char *s = db_col_text(st, 0, NULL), *t = db_col_text(st, 1, NULL);
        int x = ct_hhmm(s), y = ct_hhmm(t);
        if (x >= 0 && y >= 0 && a < y && x < b) {
            err_field(w->e, "starts", "canteen.period.overlap",
                      "overlaps the {meal}%s served {starts}%s–{ends}%s", db_col_text(st, 2, NULL),
                      s, t);
            rc = -1;
            break;
        }
    }
    db_reset(st);
    return rc == -1 ? err_invalid(w->e) : rc < 0 ? rc : 0;
}

int ct_account_before_write(struct res_write *w)
{
    if (!w->rec)
        return 0;
    if (w->old && !wf_is(wf_str(w->old, "kind"), "person"))
        return w->r->server_write ? 0
                                  : err_set(w->e, ERR_CONFLICT, NULL, "canteen.account.ledger",
                                            "a ledger account is kept by the server");
    if (w->r->server_write && !wf_is(wf_str(w->rec, "kind"), "person"))
        return 0; /* the ledger's own accounts (seed.c) */
    int64_t person = wf_int(w->rec, "person_id");
    if (w->old && person != wf_int(w->old, "person_id")) {
        err_field(w->e, "person_id", "canteen.account.holder_fixed",
                  "a card stays with its holder: open another account");
        return err_invalid(w->e);
    }
    if (!person) {
        err_field(w->e, "person_id", "field.required", "is required");
        return err_invalid(w->e);
    }
    struct org_person_row p;
    int rc = org_person_get(w->r, w->c, person, &p, w->e);
    if (rc < 0)
        return rc;
    if (!rc) {
        err_field(w->e, "person_id", "field.ref", "is not a person");
        return err_invalid(w->e);
    }
    json_object_set_new(w->rec, "kind", json_string("person"));
    json_object_set_new(w->rec, "department_id",
                        p.department_id ? json_integer(p.department_id) : json_null());
    if (!w->old) {
        const char *card = wf_str(w->rec, "card_no");
        if (!card || !*card) {
            char no[CT_CARD_MAX + 1];
            snprintf(no, sizeof(no), "%08lld", (long long)(10000000 + person));
            json_object_set_new(w->rec, "card_no", json_string(no));
        }
        char qr[CT_QR_LEN + 1];
        ct_new_qr(qr);
        json_object_set_new(w->rec, "qr_id", json_string(qr));
        if (!wf_has(w->rec, "opened_on") || json_is_null(json_object_get(w->rec, "opened_on"))) {
            char d[16];
            date_format(report_today(w->r), d, sizeof(d));
            json_object_set_new(w->rec, "opened_on", json_string(d));
        }
    }
    return 0;
}
