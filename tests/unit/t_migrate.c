/* SPDX-License-Identifier: MIT
 * t_migrate.c - versioned migrations: a database made by an older schema is
 * upgraded (new tables, new columns with defaults, hand-written steps) with
 * its rows kept; a database newer than the binary is refused with a clear
 * message. On SQLite always, on PostgreSQL when BUREAU_TEST_PG is set.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "base/err.h"
#include "db/db.h"
#include "engine/migrate.h"
#include "engine/res.h"
#include "modules/modules.h"
#include "modules/org/org.h"
#include "tmpdb.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct res_field widget_fields[] = {
    {.name = "name", .type = RES_TEXT, .required = 1},
    {.name = "size", .type = RES_INT, .required = 1, .dflt = "3", .since = 2},
    {.name = "label", .type = RES_TEXT, .since = 2},
    {0},
};
static const struct res_entity widgets = {.name = "widgets", .fields = widget_fields};
static const struct res_field gadget_fields[] = {
    {.name = "widget_id", .type = RES_REF, .ref = "widgets"},
    {0},
};
static const struct res_entity gadgets = {.name = "gadgets", .fields = gadget_fields,
                                          .since = 2};
static const struct res_entity *const test_entities[] = {&widgets, &gadgets, NULL};
static const struct migration_step test_steps[] = {
    {2, "label widgets", "UPDATE widgets SET label = 'upgraded'",
     "UPDATE widgets SET label = 'upgraded'"},
    {0, NULL, NULL, NULL},
};
static const struct module test_module = {
    .name = "test", .entities = test_entities, .migrations = test_steps};
extern const struct module identity_module;
static const struct module *const test_modules[] = {&org_module, &identity_module, &test_module,
                                                    NULL};

static int64_t scalar(struct db *db, const char *sql)
{
    struct err e;
    struct db_stmt *st;
    err_clear(&e);
    struct db_conn *c = db_conn(db, &e);
    assert_non_null(c);
    assert_int_equal(db_prepare(c, sql, &st, &e), 0);
    int rc = db_step(st, &e);
    if (rc != DB_ROW)
        fail_msg("%s: %s", sql, e.detail);
    int64_t v = db_col_int(st, 0);
    db_reset(st);
    return v;
}

static void run_upgrade(struct db *db)
{
    struct err e;
    int from = -1;
    err_clear(&e);
    assert_int_equal(engine_init(test_modules, &e), 0);
    /* org's newest field (tenants.name_order) is of version 4 */
    assert_int_equal(res_schema_version(), 4);

    /* an older binary made the database at version 1 */
    assert_int_equal(migrate_run(db, 1, &from, &e), 0);
    assert_int_equal(from, 0);
    struct db_conn *c = db_conn(db, &e);
    assert_int_equal(db_exec(c,
                             "INSERT INTO tenants (version, created_at, updated_at, name, code, "
                             "admin_level, utc_offset_min) VALUES (1, 0, 0, 't', 't', 'county', "
                             "480);"
                             "INSERT INTO widgets (tenant_id, version, created_at, updated_at, "
                             "name) VALUES (1, 1, 0, 0, 'old');"
                             "INSERT INTO roles (tenant_id, version, created_at, updated_at, code, "
                             "name, builtin, permissions, hidden_fields) VALUES (1, 1, 0, 0, "
                             "'staff', 'x', 1, '{\"people\": {\"read\": \"tenant\"}}', '{}')",
                             &e),
                     0);
    /* the newer binary upgrades it and keeps the row */
    assert_int_equal(migrate_run(db, 0, &from, &e), 0);
    assert_int_equal(from, 1);
    assert_int_equal(scalar(db, "SELECT size FROM widgets WHERE name = 'old'"), 3);
    assert_int_equal(scalar(db, "SELECT COUNT(*) FROM widgets WHERE label = 'upgraded'"), 1);
    assert_int_equal(scalar(db, "SELECT COUNT(*) FROM gadgets"), 0);
    assert_int_equal(scalar(db, "SELECT MAX(version) FROM bureau_migrations"), 4);
    /* version 4: names sort in the tenant's order, pinyin unless it says
     * strokes, and the index of people's names is built in that collation */
    assert_int_equal(scalar(db, "SELECT COUNT(*) FROM tenants WHERE name_order = 'pinyin'"), 1);
    assert_int_equal(scalar(db, db_dialect(db) == DB_PG
                                    ? "SELECT COUNT(*) FROM pg_indexes WHERE indexname = "
                                      "'ix_people_name' AND indexdef LIKE '%COLLATE zh_pinyin%'"
                                    : "SELECT COUNT(*) FROM sqlite_master WHERE name = "
                                      "'ix_people_name' AND sql LIKE '%COLLATE zh_pinyin%'"),
                     1);
    assert_int_equal(scalar(db, "SELECT COUNT(*) FROM people WHERE name > '' COLLATE zh_stroke"),
                     0);
    /* version 2 brought the working calendar: the existing tenant gets the
     * national days (org's upgrade_tenant) and the default working hours */
    assert_int_equal(scalar(db, "SELECT COUNT(*) FROM calendar_days WHERE tenant_id = 1"), 108);
    assert_int_equal(scalar(db, "SELECT COUNT(*) FROM tenants WHERE work_hours = "
                                "'09:00-12:00,14:00-18:00'"),
                     1);
    /* built-in roles gain the grants of what the version brought, keeping their own */
    {
        struct db_stmt *st;
        json_error_t je;
        assert_int_equal(db_prepare(c, "SELECT permissions FROM roles WHERE code = 'staff'", &st,
                                    &e),
                         0);
        assert_int_equal(db_step(st, &e), DB_ROW);
        json_t *p = json_loads(db_col_text(st, 0, NULL), 0, &je);
        db_reset(st);
        assert_non_null(p);
        assert_non_null(json_object_get(p, "service_requests"));
        assert_string_equal(json_string_value(json_object_get(json_object_get(p, "people"), "read")),
                            "tenant");
        json_decref(p);
    }
    assert_int_equal(scalar(db, "SELECT COUNT(*) FROM audit_entries WHERE action = 'upgrade' AND "
                                "collection = 'roles'"),
                     1);
    /* running again is a no-op */
    assert_int_equal(migrate_run(db, 0, &from, &e), 0);
    assert_int_equal(from, 4);
    assert_int_equal(scalar(db, "SELECT COUNT(*) FROM bureau_migrations"), 4);

    /* a database from a newer binary is refused, untouched */
    assert_int_equal(db_exec(c,
                             "INSERT INTO bureau_migrations (version, name, applied_at) "
                             "VALUES (5, 'schema 5', 0)",
                             &e),
                     0);
    err_clear(&e);
    assert_int_equal(migrate_run(db, 0, &from, &e), -ERR_DB_SCHEMA);
    assert_non_null(strstr(e.detail, "schema version 5"));
    assert_non_null(strstr(e.detail, "newer bureau"));
    assert_int_equal(engine_init(modules_list(), &e), 0);
}

static void test_sqlite(void **state)
{
    (void)state;
    char path[64];
    tmpdb_path(path, sizeof(path), "migrate");
    struct db *db;
    struct err e;
    struct db_options o = {.create = 1};
    err_clear(&e);
    assert_int_equal(db_open(&db, path, &o, &e), 0);
    run_upgrade(db);
    db_close(db);
    tmpdb_remove(path);
}

static void test_pg(void **state)
{
    (void)state;
    const char *url = getenv("BUREAU_TEST_PG");
    if (!url || !*url)
        skip();
    struct db *db;
    struct err e;
    err_clear(&e);
    assert_int_equal(db_open(&db, url, NULL, &e), 0);
    struct db_conn *c = db_conn(db, &e);
    assert_non_null(c);
    char sql[160];
    unsigned r = randombytes_random();
    /* a private schema on this connection keeps the test apart from others */
    snprintf(sql, sizeof(sql), "CREATE SCHEMA mig_%08x; SET search_path TO mig_%08x", r, r);
    assert_int_equal(db_exec(c, sql, &e), 0);
    run_upgrade(db);
    snprintf(sql, sizeof(sql), "DROP SCHEMA mig_%08x CASCADE", r);
    assert_int_equal(db_exec(c, sql, &e), 0);
    db_close(db);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sqlite),
        cmocka_unit_test(test_pg),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
