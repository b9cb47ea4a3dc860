/* SPDX-License-Identifier: MIT
 * t_workflow.c - the workflow kit (engine/workflow.h) on the fleet's trip
 * requests: the state machine as declared (every step from every state,
 * allowed or refused, and where it leads), then the kit running the steps on
 * a real SQLite database: who may not act, steps out of order, bad bodies,
 * and what a step writes. A refused step changes nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "base/arena.h"
#include "base/base.h"
#include "base/err.h"
#include "core/auth.h"
#include "core/config.h"
#include "core/http.h"
#include "db/db.h"
#include "engine/migrate.h"
#include "engine/perm.h"
#include "engine/workflow.h"
#include "modules/fleet/fleet.h"
#include "modules/modules.h"
#include "tmpdb.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const struct res_action *step(const struct res_entity *ent, const char *name)
{
    for (const struct res_action *a = ent->actions; a && a->name; a++)
        if (!strcmp(a->name, name))
            return a;
    fail_msg("%s has no step %s", ent->name, name);
    return NULL;
}

/* ---- the declared state machine of trip requests ---- */

static const char *const states[] = {"submitted",  "approved",  "rejected",
                                     "dispatched", "completed", "cancelled"};

/* step, the states it starts from, where it leads */
static const struct {
    const char *step, *from[4], *to;
} machine[] = {
    {"approve", {"submitted"}, "approved"},
    {"reject", {"submitted"}, "rejected"},
    {"dispatch", {"approved"}, "dispatched"},
    {"cancel", {"submitted", "approved", "dispatched"}, "cancelled"},
};

static void test_table(void **state)
{
    (void)state;
    int steps = 0;
    for (const struct res_action *a = fl_requests.actions; a && a->name; a++)
        steps++;
    assert_int_equal(steps, 4); /* every step is in the table below */
    for (size_t i = 0; i < sizeof(machine) / sizeof(machine[0]); i++) {
        const struct res_action *a = step(&fl_requests, machine[i].step);
        assert_null(a->fn); /* a declared step, run by the kit */
        assert_string_equal(a->to, machine[i].to);
        for (size_t s = 0; s < sizeof(states) / sizeof(states[0]); s++) {
            int want = 0;
            for (int k = 0; k < 4 && machine[i].from[k]; k++)
                want |= !strcmp(machine[i].from[k], states[s]);
            if (wf_allowed(a, states[s]) != want)
                fail_msg("%s from %s: %s", a->name, states[s], want ? "refused" : "allowed");
        }
        assert_false(wf_allowed(a, NULL));
        assert_false(wf_allowed(a, "nonsense"));
    }
    /* who may not act, and what each step takes */
    assert_string_equal(step(&fl_requests, "approve")->not_own, "requester_id");
    assert_string_equal(step(&fl_requests, "reject")->not_own, "requester_id");
    assert_null(step(&fl_requests, "dispatch")->not_own);
    assert_true(step(&fl_requests, "reject")->body[0].required);
    assert_false(step(&fl_requests, "cancel")->body[0].required);
    /* every enum value of the state field is a state of the table */
    const struct res_field *f = res_field_find(&fl_requests, "status", 6);
    int n = 0;
    for (const struct res_enum *v = f->values; v->value; v++, n++)
        assert_string_equal(v->value, states[n]);
    assert_int_equal(n, 6);
}

/* ---- the kit, running ---- */

static struct db *db;
static struct config cfg;
static char path[64];

static const char *text(const char *sql)
{
    static char out[256];
    struct err e;
    struct db_stmt *st;
    err_clear(&e);
    if (db_prepare(tmpdb_conn(db), sql, &st, &e) || db_step(st, &e) != DB_ROW)
        fail_msg("%s: %s", sql, e.detail);
    snprintf(out, sizeof(out), "%s", db_col_is_null(st, 0) ? "(null)" : db_col_text(st, 0, NULL));
    db_reset(st);
    return out;
}

/* A request as user (0: the server), with the fleet manager's scope. */
static struct req *as(int64_t user)
{
    struct arena *a = arena_new(cfg.arena_cap);
    struct req *r = arena_zalloc(a, sizeof(*r));
    req_init_internal(r, a, &cfg, db);
    r->tenant_id = 1;
    if (user) {
        struct principal *p = arena_zalloc(a, sizeof(*p));
        p->user_id = user;
        p->tenant_id = 1;
        p->role_id = 1;
        snprintf(p->role_code, sizeof(p->role_code), "admin");
        snprintf(p->username, sizeof(p->username), "u%lld", (long long)user);
        r->who = p;
        r->user_id = user;
    }
    r->scope_ent = &fl_requests;
    r->scope = SCOPE_TENANT;
    return r;
}

static int run(struct req *r, const char *name, const char *body)
{
    json_error_t je;
    json_t *b = json_loads(body, 0, &je);
    assert_non_null(b);
    int rc = wf_run(r, &fl_requests, step(&fl_requests, name), 1, b);
    json_decref(b);
    return rc;
}

static void done(struct req *r)
{
    arena_free(r->a);
}

static void test_run(void **state)
{
    (void)state;
    struct req *r;

    /* the requester may not approve their own request: 409 wf.own, nothing changed */
    r = as(5);
    assert_int_equal(run(r, "approve", "{}"), -ERR_CONFLICT);
    assert_string_equal(r->err.key, "wf.own");
    assert_string_equal(r->err.params, "{\"action\":\"approve\"}");
    done(r);
    assert_string_equal(text("SELECT status FROM trip_requests WHERE id = 1"), "submitted");

    /* dispatch before approval: out of order, with the state and the states allowed */
    r = as(6);
    assert_int_equal(run(r, "dispatch", "{\"vehicle_id\": 1, \"driver_id\": 1}"), -ERR_CONFLICT);
    assert_string_equal(r->err.key, "wf.out_of_order");
    assert_string_equal(
        r->err.params,
        "{\"action\":\"dispatch\",\"status\":\"submitted\",\"allowed\":\"approved\"}");
    done(r);

    /* bad bodies, refused before anything is read: every member at once */
    r = as(6);
    assert_int_equal(run(r, "reject", "{\"reason\": \"\", \"extra\": 1}"), -ERR_INVALID);
    assert_string_equal(r->err.key, "invalid");
    assert_int_equal(r->err.nitems, 2);
    assert_string_equal(r->err.items[0].field, "extra");
    assert_string_equal(r->err.items[0].key, "field.unknown");
    assert_string_equal(r->err.items[1].field, "reason");
    assert_string_equal(r->err.items[1].key, "field.empty");
    done(r);
    r = as(6);
    assert_int_equal(run(r, "reject", "{}"), -ERR_INVALID);
    assert_string_equal(r->err.items[0].key, "field.required");
    done(r);
    r = as(6);
    assert_int_equal(run(r, "approve", "{\"note\": 7}"), -ERR_INVALID);
    assert_string_equal(r->err.items[0].key, "field.string");
    done(r);
    assert_string_equal(text("SELECT status FROM trip_requests WHERE id = 1"), "submitted");

    /* another user approves: the state, the approver, the time and the note */
    r = as(6);
    assert_int_equal(run(r, "approve", "{\"note\": \"同意\"}"), 0);
    assert_int_equal(r->status, 200);
    assert_non_null(strstr(r->out.p, "\"status\":\"approved\""));
    done(r);
    assert_string_equal(text("SELECT status || ',' || approver_id || ',' || approve_note || ',' || "
                             "(approved_at IS NOT NULL) FROM trip_requests WHERE id = 1"),
                        "approved,6,同意,1");
    /* the requester is told, in the same transaction */
    assert_string_equal(text("SELECT kind || ',' || user_id FROM notifications ORDER BY id DESC"),
                        "fleet.approved,5");

    /* approving again is out of order */
    r = as(6);
    assert_int_equal(run(r, "approve", "{}"), -ERR_CONFLICT);
    assert_string_equal(r->err.key, "wf.out_of_order");
    assert_non_null(strstr(r->err.params, "\"status\":\"approved\""));
    done(r);

    /* a step on a record that is not there is 404 */
    r = as(6);
    json_t *b = json_object();
    assert_int_equal(wf_run(r, &fl_requests, step(&fl_requests, "cancel"), 99, b), -ERR_NOT_FOUND);
    json_decref(b);
    done(r);

    /* cancel: the reason is kept, the time stamped; then nothing more is allowed */
    r = as(5);
    assert_int_equal(run(r, "cancel", "{\"reason\": \"会议取消\"}"), 0);
    done(r);
    assert_string_equal(text("SELECT status || ',' || cancel_reason || ',' || (closed_at IS NOT "
                             "NULL) FROM trip_requests WHERE id = 1"),
                        "cancelled,会议取消,1");
    for (size_t i = 0; i < sizeof(machine) / sizeof(machine[0]); i++) {
        r = as(6);
        const char *body = !strcmp(machine[i].step, "reject")     ? "{\"reason\": \"x\"}"
                           : !strcmp(machine[i].step, "dispatch") ? "{\"vehicle_id\": 1, "
                                                                    "\"driver_id\": 1}"
                                                                  : "{}";
        assert_int_equal(run(r, machine[i].step, body), -ERR_CONFLICT);
        assert_string_equal(r->err.key, "wf.out_of_order");
        done(r);
    }
}

static int group_setup(void **state)
{
    struct err e;
    (void)state;
    err_clear(&e);
    memset(&cfg, 0, sizeof(cfg));
    cfg.arena_cap = 32u << 20;
    cfg.request_timeout_ms = 20000;
    cfg.utc_offset_min = 480;
    if (sodium_init() < 0 || engine_init(modules_list(), &e)) {
        fprintf(stderr, "registry: %s\n", e.detail);
        return -1;
    }
    tmpdb_path(path, sizeof(path), "workflow");
    struct db_options opt = {.create = 1};
    if (db_open(&db, path, &opt, &e) || migrate_run(db, 0, NULL, &e)) {
        fprintf(stderr, "db: %s\n", e.detail);
        return -1;
    }
    tmpdb_exec(db, "INSERT INTO tenants (id, version, created_at, updated_at, name, code, admin_level, "
            "utc_offset_min) VALUES (1, 1, 0, 0, 'T', 't', 'county', 480)");
    tmpdb_exec(db, "INSERT INTO roles (id, tenant_id, created_at, updated_at, code, name, builtin, "
            "permissions, hidden_fields) VALUES (1, 1, 0, 0, 'admin', 'A', 1, '{}', '{}')");
    tmpdb_exec(db, "INSERT INTO users (id, tenant_id, created_at, updated_at, username, role_id, "
            "must_change_password, active) VALUES (5, 1, 0, 0, 'staff', 1, 0, 1), "
            "(6, 1, 0, 0, 'leader', 1, 0, 1)");
    tmpdb_exec(db, "INSERT INTO trip_requests (id, tenant_id, created_at, updated_at, purpose, origin, "
            "destination, start_at, end_at, requester_id, status) VALUES (1, 1, 0, 0, '调研', "
            "'区委大院', '街道', 1800000000, 1800007200, 5, 'submitted')");
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    db_close(db);
    tmpdb_remove(path);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_run),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
