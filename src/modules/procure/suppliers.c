/* SPDX-License-Identifier: MIT
 * procure/suppliers.c - a supplier registers itself (no sign-in): its record
 * (pending until the procurement manager approves it) and its portal login
 * (role supplier) in one transaction. Until approved, the login sees its own
 * record and nothing else, and cannot bid.
 */
#include "bids.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/buf.h"
#include "../../base/err.h"
#include "../../core/auth.h"
#include "../../core/http.h"
#include "../../core/tenant.h"
#include "../../db/db.h"
#include "../../engine/rest.h"
#include "../../engine/workflow.h"
#include "../files/files.h"
#include "../identity/identity.h"

#include <sodium.h>
#include <string.h>

extern const struct res_entity id_users;

#define PC_MAX_QUALIFICATION_FILES 20

/* The qualification documents: files the writer uploaded, attached to the
 * supplier (the files module checks each). */
int pc_supplier_after_write(struct res_write *w)
{
    if (!w->rec || w->r->server_write)
        return 0;
    return files_attach(w->r, w->c, json_object_get(w->rec, "qualification_files"),
                        PC_MAX_QUALIFICATION_FILES, "qualification_files", "suppliers", w->id,
                        w->e);
}

static int fail(struct db_conn *c, int rc)
{
    db_rollback(c);
    return rc;
}

/* POST /api/v1/procure/register {"tenant": code (optional), "name", "uscc",
 * "legal_rep", "contact", "phone", "email", "address", "username", "password"} */
int pc_route_register(struct req *r)
{
    static const char *const members[] = {"tenant", "name",     "uscc",     "legal_rep",
                                          "contact", "phone",   "email",    "address",
                                          "username", "password", NULL};
    json_t *body;
    int rc = rest_body_json(r, &body, 0);
    if (rc)
        return rc;
    const char *k;
    json_t *v;
    json_object_foreach(body, k, v)
    {
        int ok = 0;
        for (int i = 0; members[i] && !ok; i++)
            ok = !strcmp(k, members[i]);
        if (!ok || (!json_is_string(v) && !json_is_null(v))) {
            char q[64];
            err_quote(q, sizeof(q), k, strlen(k));
            err_field(&r->err, q, ok ? "field.type" : "field.unknown",
                      ok ? "must be text" : "unknown field");
        }
    }
    const char *user = wf_str(body, "username"), *pw = wf_str(body, "password");
    if (!user || !*user)
        err_field(&r->err, "username", "field.required", "is required");
    if (!pw || !*pw)
        err_field(&r->err, "password", "field.required", "is required");
    if (r->err.nitems)
        return err_invalid(&r->err);
    if ((rc = auth_password_ok(user, pw, "password", &r->err)))
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    const char *tcode = wf_str(body, "tenant");
    int64_t tenant = 0;
    if ((rc = tenant_by_code(c, tcode, tcode ? strlen(tcode) : 0, &tenant, &r->err)))
        return rc;
    if (!tenant)
        return err_field(&r->err, "tenant", "procure.register.tenant", "no such unit"),
               err_invalid(&r->err);
    r->tenant_id = tenant;
    char hash[128];
    if ((rc = auth_hash_password(pw, hash, &r->err)))
        return rc;
    if ((rc = db_begin(c, &r->err)))
        return rc;
    int64_t role = 0, taken = 0, uid = 0, sid = 0;
    if ((rc = identity_role_id(r, c, "supplier", &role, &r->err)) ||
        (rc = identity_user_id(r, c, user, &taken, &r->err)))
        return fail(c, rc);
    if (!role)
        return fail(c, err_set(&r->err, ERR_CONFLICT, NULL, "procure.register.closed",
                               "this unit takes no supplier registrations"));
    if (taken)
        return fail(c, (err_field(&r->err, "username", "field.unique", "is taken"),
                        err_invalid(&r->err)));
    const char *name = wf_str(body, "name");
    char display[160] = "";
    if (name)
        utf8_copy(display, 50, name, strlen(name)); /* a display name is 50 characters at most */
    json_t *u = json_pack("{s:s,s:s?,s:I,s:s,s:b,s:b}", "username", user, "display_name",
                          display[0] ? display : NULL, "role_id", (json_int_t)role,
                          "password_hash", hash, "must_change_password", 0, "active", 1);
    sodium_memzero(hash, sizeof(hash));
    if ((rc = wf_create(r, c, &id_users, u, &uid, &r->err)))
        return fail(c, rc);
    json_t *s = json_deep_copy(body);
    json_object_del(s, "tenant");
    json_object_del(s, "username");
    json_object_del(s, "password");
    json_object_set_new(s, "user_id", json_integer(uid));
    json_object_set_new(s, "status", json_string("pending"));
    if ((rc = wf_create(r, c, &pc_suppliers, s, &sid, &r->err)) ||
        (rc = db_commit(c, &r->err)))
        return fail(c, rc);
    buf_truncate(&r->out, 0);
    buf_printf(&r->out, "{\"id\":%lld,\"user_id\":%lld,\"status\":\"pending\"}", (long long)sid,
               (long long)uid);
    return resp_json(r, 201);
}
