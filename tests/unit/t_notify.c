/* SPDX-License-Identifier: MIT
 * t_notify.c - the notify module's building blocks: the webhook signature
 * (known answers computed independently), the events patterns (parsing and
 * matching), the backoff schedule; and on a SQLite database the outbox (a
 * record's create queues a delivery in its transaction, a rollback queues
 * nothing), the per-tenant cache of webhooks, notify_user, and who
 * notify_role and notify_department reach.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "base/arena.h"
#include "core/config.h"
#include "base/err.h"
#include "core/http.h"
#include "db/db.h"
#include "engine/migrate.h"
#include "engine/record.h"
#include "engine/res.h"
#include "modules/notify/internal.h"
#include "modules/modules.h"
#include "tmpdb.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- signature ---- */

static void test_sign_known(void **state)
{
    (void)state;
    char sig[NOTIFY_SIG_LEN + 1];
    const char *body = "{\"event\":\"ping\"}";
    /* HMAC-SHA256("0123456789abcdef", "1796034600.{\"event\":\"ping\"}") */
    notify_sign("0123456789abcdef", 16, 1796034600, body, strlen(body), sig);
    assert_string_equal(sig,
                        "sha256=b87f325b5fe6197552c59a3276dd372e4b2250e9804171ba61258e85767b8ca2");
    /* a key longer than the hash's block (hashed first) */
    char key[101];
    memset(key, 'k', 100);
    key[100] = 0;
    notify_sign(key, 100, 1, "", 0, sig);
    assert_string_equal(sig,
                        "sha256=f380fa061ddac7555fce09c4f9d5ba3c4d7eb9115eaa097dd2c14988a18ae793");
    /* UTF-8 key and body, as bytes */
    const char *k = "密钥-0123456789abcdef", *b = "{\"名\":\"值\"}";
    notify_sign(k, strlen(k), 1700000000, b, strlen(b), sig);
    assert_string_equal(sig,
                        "sha256=1098c46ccbde7cd15d7e4c9d1ba7544c1254586c2f38714689c4a75e51838930");
}

static void test_sign_changes(void **state)
{
    (void)state;
    char a[NOTIFY_SIG_LEN + 1], b[NOTIFY_SIG_LEN + 1];
    notify_sign("0123456789abcdef", 16, 100, "x", 1, a);
    notify_sign("0123456789abcdef", 16, 101, "x", 1, b);
    assert_string_not_equal(a, b); /* the timestamp is covered */
    notify_sign("0123456789abcdeF", 16, 100, "x", 1, b);
    assert_string_not_equal(a, b);
    notify_sign("0123456789abcdef", 16, 100, "y", 1, b);
    assert_string_not_equal(a, b);
    assert_int_equal(strlen(a), NOTIFY_SIG_LEN);
}

/* ---- patterns ---- */

static void test_parse(void **state)
{
    (void)state;
    char norm[NOTIFY_EVENTS_MAX + 2];
    struct err_item why;
    assert_int_equal(
        notify_events_parse(" departments.* , people.update,* ", norm, sizeof(norm), &why), 0);
    assert_string_equal(norm, "departments.*,people.update,*");
    assert_int_equal(notify_events_parse("*.delete", norm, sizeof(norm), &why), 0);
    assert_string_equal(norm, "*.delete");
    const char *bad[] = {
        "",     "departments", "Departments.*", "a.b.c",     "a..b", ".update", "people.", "a.*,",
        ",a.*", "a.*,,b.*",    "a-b.create",    "a.upd ate", "**",   "*.*x",    "a.b;c.d"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        why.msg[0] = 0;
        if (notify_events_parse(bad[i], norm, sizeof(norm), &why) != -1)
            fail_msg("accepted '%s'", bad[i]);
        assert_true(why.msg[0] != 0);
        assert_true(!strcmp(why.key, "notify.events.empty") ||
                    !strcmp(why.key, "notify.events.pattern"));
    }
    /* too many patterns, and too long for the output */
    char many[400] = "";
    for (int i = 0; i < 33; i++)
        strcat(many, i ? ",a.b" : "a.b");
    assert_int_equal(notify_events_parse(many, norm, sizeof(norm), &why), -1);
    assert_string_equal(why.key, "notify.events.too_many");
    assert_string_equal(why.params, "{\"max\":32}");
    char small[8];
    assert_int_equal(notify_events_parse("people.update", small, sizeof(small), &why), -1);
    assert_string_equal(why.key, "notify.events.too_long");
}

static void test_match(void **state)
{
    (void)state;
    assert_true(notify_events_match("*", "departments.create"));
    assert_true(notify_events_match("departments.*", "departments.delete"));
    assert_false(notify_events_match("departments.*", "departments_x.delete"));
    assert_false(notify_events_match("departments.*", "people.create"));
    assert_true(notify_events_match("people.create,departments.update", "departments.update"));
    assert_false(notify_events_match("people.create,departments.update", "departments.create"));
    assert_true(notify_events_match("*.delete", "users.delete"));
    assert_false(notify_events_match("*.delete", "users.deleted"));
    assert_false(notify_events_match("people.update", "people.updat"));
    assert_false(notify_events_match("people.update", "people"));
    assert_true(notify_events_match("service_requests.*", "service_requests.status_changed"));
    assert_true(
        notify_events_match("service_requests.status_changed", "service_requests.status_changed"));
    assert_false(notify_events_match("", "a.b"));
}

static void test_backoff(void **state)
{
    (void)state;
    assert_int_equal(notify_backoff(30, 1), 30);
    assert_int_equal(notify_backoff(30, 2), 60);
    assert_int_equal(notify_backoff(30, 7), 1920);
    assert_int_equal(notify_backoff(30, 8), 3600);
    assert_int_equal(notify_backoff(30, 60), 3600); /* no overflow */
    assert_int_equal(notify_backoff(1, 3), 4);
    assert_int_equal(notify_backoff(0, 5), 0);
}

/* ---- the outbox on SQLite ---- */

static struct db *db;
static struct config cfg;
static char dir[64], path[96];

static int64_t scalar(const char *sql)
{
    struct err e;
    struct db_stmt *st;
    err_clear(&e);
    if (db_prepare(tmpdb_conn(db), sql, &st, &e) || db_step(st, &e) != DB_ROW)
        fail_msg("%s: %s", sql, e.detail);
    int64_t n = db_col_int(st, 0);
    db_reset(st);
    return n;
}

static struct req *new_req(void)
{
    struct arena *a = arena_new(cfg.arena_cap);
    struct req *r = arena_zalloc(a, sizeof(*r));
    req_init_internal(r, a, &cfg, db);
    r->user_id = 1;
    r->user = "admin";
    return r;
}

static int create_dept(struct req *r, const char *name, int64_t *id, struct err *e)
{
    json_t *in = json_pack("{s:s}", "name", name);
    int rc = rec_create(r, tmpdb_conn(db), res_find("departments", 11), in, id, e);
    json_decref(in);
    return rc;
}

static void test_outbox(void **state)
{
    (void)state;
    struct err e;
    int64_t id;
    err_clear(&e);
    struct req *r = new_req();
    tmpdb_exec(db, "INSERT INTO webhooks (tenant_id, version, created_at, updated_at, name, url, "
            "secret, events, active) VALUES (1, 1, 0, 0, 'depts', 'http://127.0.0.1:9/x', "
            "'0123456789abcdef', 'departments.create', 1)");
    nt_forget_tenant(1);
    assert_int_equal(create_dept(r, "A", &id, &e), 0);
    assert_int_equal(scalar("SELECT count(*) FROM webhook_deliveries"), 1);
    assert_int_equal(scalar("SELECT count(*) FROM webhook_deliveries WHERE status = 'pending' "
                            "AND event = 'departments.create' AND collection = 'departments' "
                            "AND attempts = 0 AND next_attempt_at IS NOT NULL"),
                     1);
    /* the payload as stored is what will be signed and sent */
    struct db_stmt *st;
    assert_int_equal(
        db_prepare(tmpdb_conn(db), "SELECT payload, record_id FROM webhook_deliveries", &st, &e), 0);
    assert_int_equal(db_step(st, &e), DB_ROW);
    size_t n;
    const char *txt = db_col_text(st, 0, &n);
    json_error_t je;
    json_t *p = json_loadb(txt, n, 0, &je);
    assert_int_equal(db_col_int(st, 1), id);
    db_reset(st);
    assert_non_null(p);
    assert_string_equal(json_string_value(json_object_get(p, "event")), "departments.create");
    assert_string_equal(json_string_value(json_object_get(p, "action")), "create");
    assert_int_equal(json_integer_value(json_object_get(p, "id")), id);
    assert_true(json_is_null(json_object_get(p, "before")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(p, "after"), "name")),
                        "A");
    assert_string_equal(json_string_value(json_object_get(json_object_get(p, "actor"), "username")),
                        "admin");
    json_decref(p);

    /* an update does not match departments.create */
    json_t *patch = json_pack("{s:s}", "name", "A2");
    assert_int_equal(rec_update(r, tmpdb_conn(db), res_find("departments", 11), id, patch, 0, &e), 0);
    json_decref(patch);
    assert_int_equal(scalar("SELECT count(*) FROM webhook_deliveries"), 1);

    /* a change that rolls back queues nothing */
    assert_int_equal(db_begin(tmpdb_conn(db), &e), 0);
    assert_int_equal(create_dept(r, "B", &id, &e), 0);
    assert_int_equal(scalar("SELECT count(*) FROM webhook_deliveries"), 2);
    db_rollback(tmpdb_conn(db));
    assert_int_equal(scalar("SELECT count(*) FROM webhook_deliveries"), 1);

    /* the cache: a webhook added behind this process's back is seen after a
     * forget (or its time to live), not before */
    tmpdb_exec(db, "INSERT INTO webhooks (tenant_id, version, created_at, updated_at, name, url, "
            "secret, events, active) VALUES (1, 1, 0, 0, 'all', 'http://127.0.0.1:9/y', "
            "'0123456789abcdef', '*', 1)");
    assert_int_equal(create_dept(r, "C", &id, &e), 0);
    assert_int_equal(scalar("SELECT count(*) FROM webhook_deliveries"), 2);
    nt_forget_tenant(1);
    assert_int_equal(create_dept(r, "D", &id, &e), 0);
    assert_int_equal(scalar("SELECT count(*) FROM webhook_deliveries"), 4);
    /* inactive webhooks get nothing */
    tmpdb_exec(db, "UPDATE webhooks SET active = 0");
    nt_forget_tenant(1);
    assert_int_equal(create_dept(r, "E", &id, &e), 0);
    assert_int_equal(scalar("SELECT count(*) FROM webhook_deliveries"), 4);
    arena_free(r->a);
}

static void test_notify_user(void **state)
{
    (void)state;
    struct err e;
    err_clear(&e);
    struct req *r = new_req();
    struct db_conn *c = tmpdb_conn(db);
    /* outside a transaction: refused */
    assert_int_equal(notify_user(r, c, 1, "test.kind", "标题", NULL, NULL, 0, &e), -ERR_INTERNAL);
    err_clear(&e);
    assert_int_equal(db_begin(c, &e), 0);
    char title[700] = "";
    for (int i = 0; i < 210; i++)
        strcat(title, "长");
    assert_int_equal(notify_user(r, c, 1, "test.kind", title, "正文", "departments", 5, &e), 0);
    /* unknown and inactive users are skipped */
    assert_int_equal(notify_user(r, c, 999, "test.kind", "x", NULL, NULL, 0, &e), 0);
    assert_int_equal(notify_user(r, c, 2, "test.kind", "x", NULL, NULL, 0, &e), 0);
    int n = -1;
    assert_int_equal(notify_role(r, c, "nobody_has_it", "test.kind", "x", NULL, NULL, 0, &n, &e),
                     0);
    assert_int_equal(n, 0);
    assert_int_equal(db_commit(c, &e), 0);
    assert_int_equal(scalar("SELECT count(*) FROM notifications"), 1);
    /* the title cut at 200 characters (600 bytes of 3-byte characters) */
    assert_int_equal(scalar("SELECT length(CAST(title AS BLOB)) FROM notifications"), 600);
    assert_int_equal(scalar("SELECT count(*) FROM notifications WHERE link = '#/c/departments/5' "
                            "AND read_at IS NULL AND user_id = 1"),
                     1);
    arena_free(r->a);
}

/* notify_role and notify_department reach the active users of the role, or
 * whose person belongs to the department (not its sub-departments), and
 * never the caller. */
static void test_notify_role_department(void **state)
{
    (void)state;
    struct err e;
    err_clear(&e);
    struct req *r = new_req();
    struct db_conn *c = tmpdb_conn(db);
    tmpdb_exec(db, "INSERT INTO departments (id, tenant_id, version, created_at, updated_at, name, kind, "
            "sort_order, active, parent_id) VALUES (50, 1, 1, 0, 0, 'D50', 'government', 0, 1, "
            "NULL), (51, 1, 1, 0, 0, 'D51', 'government', 0, 1, 50)");
    tmpdb_exec(db, "INSERT INTO people (id, tenant_id, version, created_at, updated_at, name, "
            "department_id, union_member, contract_staff, active) VALUES (60, 1, 1, 0, 0, 'P60', "
            "50, 1, 0, 1), (61, 1, 1, 0, 0, 'P61', 50, 1, 0, 1), (62, 1, 1, 0, 0, 'P62', 51, 1, "
            "0, 1)");
    tmpdb_exec(db, "INSERT INTO roles (id, tenant_id, created_at, updated_at, code, name, builtin, "
            "permissions, hidden_fields) VALUES (2, 1, 0, 0, 'clerk', 'C', 0, '{}', '{}')");
    tmpdb_exec(db, "INSERT INTO users (id, tenant_id, created_at, updated_at, username, role_id, "
            "person_id, must_change_password, active) VALUES (10, 1, 0, 0, 'u10', 2, 60, 0, 1), "
            "(11, 1, 0, 0, 'u11', 2, 61, 0, 0), (12, 1, 0, 0, 'u12', 2, 62, 0, 1), "
            "(13, 1, 0, 0, 'u13', 2, 61, 0, 1), (14, 1, 0, 0, 'u14', 1, 60, 0, 1), "
            "(15, 1, 0, 0, 'u15', 2, NULL, 0, 1)");
    r->user_id = 13;
    int n = -1;
    assert_int_equal(db_begin(c, &e), 0);
    assert_int_equal(notify_department(r, c, 50, "test.dept", "x", NULL, NULL, 0, &n, &e), 0);
    assert_int_equal(n, 2); /* 10 and 14: 11 has left, 12 is of 51, 13 is the caller */
    assert_int_equal(notify_role(r, c, "clerk", "test.role", "x", NULL, NULL, 0, &n, &e), 0);
    assert_int_equal(n, 3); /* 10, 12 and 15: not 11 (inactive), not 13 (the caller) */
    assert_int_equal(notify_department(r, c, 52, "test.dept", "x", NULL, NULL, 0, &n, &e), 0);
    assert_int_equal(n, 0);
    assert_int_equal(db_commit(c, &e), 0);
    assert_int_equal(scalar("SELECT count(*) FROM notifications WHERE kind = 'test.dept'"), 2);
    assert_int_equal(scalar("SELECT count(*) FROM notifications WHERE kind = 'test.dept' AND "
                            "user_id IN (10, 14) AND created_by = 13"),
                     2);
    assert_int_equal(scalar("SELECT count(*) FROM notifications WHERE kind = 'test.role' AND "
                            "user_id IN (10, 12, 15)"),
                     3);
    arena_free(r->a);
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
    snprintf(dir, sizeof(dir), "/tmp/t_notify-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof(path), "%s/t.db", dir);
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
            "must_change_password, active) VALUES (1, 1, 0, 0, 'admin', 1, 0, 1), "
            "(2, 1, 0, 0, 'gone', 1, 0, 0)");
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    db_close(db);
    tmpdb_remove(path);
    rmdir(dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign_known),  cmocka_unit_test(test_sign_changes),
        cmocka_unit_test(test_parse),       cmocka_unit_test(test_match),
        cmocka_unit_test(test_backoff),     cmocka_unit_test(test_outbox),
        cmocka_unit_test(test_notify_user), cmocka_unit_test(test_notify_role_department),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
