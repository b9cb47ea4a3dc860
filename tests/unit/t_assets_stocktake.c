/* SPDX-License-Identifier: MIT
 * t_assets_stocktake.c - what other parts ask of stocktakes, on the demo
 * district (every module's seed and demo on a fresh SQLite file): the
 * missing assets of a finished session for a loss write-off disposal (the
 * lines' own, ascending; refused for a session in progress and for one that
 * does not exist), and the dashboard's figures added to a card (sessions in
 * progress, scanned of expected, the missing value of sessions finished this
 * year) against the tables themselves.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "base/arena.h"
#include "base/base.h"
#include "base/err.h"
#include "core/http.h"
#include "db/db.h"
#include "engine/migrate.h"
#include "engine/module.h"
#include "modules/assets/assets.h"
#include "modules/modules.h"
#include "tmpdb.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static struct db *db;
static char path[64];

static int64_t scalar(const char *sql)
{
    struct err e;
    struct db_stmt *st;
    err_clear(&e);
    struct db_conn *c = tmpdb_conn(db);
    if (db_prepare(c, sql, &st, &e) || db_step(st, &e) != DB_ROW)
        fail_msg("%s: %s", sql, e.detail);
    int64_t v = db_col_int(st, 0);
    db_reset(st);
    return v;
}

static int setup(void **state)
{
    (void)state;
    struct err e;
    struct db_options o = {.create = 1};
    int from = -1;
    err_clear(&e);
    tmpdb_path(path, sizeof(path), "stocktake");
    if (engine_init(modules_list(), &e) || db_open(&db, path, &o, &e) ||
        migrate_run(db, 0, &from, &e))
        fail_msg("set-up: %s", e.detail);
    struct db_conn *c = tmpdb_conn(db);
    if (db_begin(c, &e) || db_exec(c,
                                   "INSERT INTO tenants (version, created_at, updated_at, name, "
                                   "code, admin_level, utc_offset_min) VALUES (1, 0, 0, 't', 't', "
                                   "'county', 480)",
                                   &e))
        fail_msg("tenant: %s", e.detail);
    for (const struct module *const *m = engine_modules(); *m; m++)
        if ((*m)->seed_tenant && (*m)->seed_tenant(c, 1, &e))
            fail_msg("seed %s: %s", (*m)->name, e.detail);
    for (const struct module *const *m = engine_modules(); *m; m++)
        if ((*m)->demo && (*m)->demo(c, 1, 42, &e))
            fail_msg("demo %s: %s", (*m)->name, e.detail);
    if (db_commit(c, &e))
        fail_msg("commit: %s", e.detail);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close(db);
    tmpdb_remove(path);
    return 0;
}

/* An internal request of tenant 1 (the whole tenant's rights), its arena. */
static struct arena *request(struct req *r)
{
    struct arena *a = arena_new(16u << 20);
    assert_non_null(a);
    req_init_internal(r, a, NULL, db);
    r->tenant_id = 1;
    r->utc_offset_min = 480;
    return a;
}

static void test_missing(void **state)
{
    (void)state;
    struct req r;
    struct arena *a = request(&r);
    struct db_conn *c = tmpdb_conn(db);
    struct err e;
    err_clear(&e);
    int64_t fin = scalar("SELECT id FROM stocktakes WHERE status = 'finished'");
    int64_t open = scalar("SELECT id FROM stocktakes WHERE status = 'in_progress'");
    int64_t want = scalar("SELECT COUNT(*) FROM stocktake_lines WHERE result = 'missing'");
    assert_true(fin > 0 && open > 0 && want >= 1);
    int64_t *ids = NULL;
    int n = -1;
    assert_int_equal(as_stocktake_missing(&r, c, fin, &ids, &n, &e), 0);
    assert_int_equal(n, (int)want);
    char sql[200];
    for (int i = 0; i < n; i++) {
        if (i)
            assert_true(ids[i] > ids[i - 1]);
        snprintf(sql, sizeof(sql),
                 "SELECT COUNT(*) FROM stocktake_lines WHERE stocktake_id = %lld AND asset_id = "
                 "%lld AND result = 'missing'",
                 (long long)fin, (long long)ids[i]);
        assert_int_equal(scalar(sql), 1);
    }
    /* a session in progress has no missing assets yet; no such session */
    err_clear(&e);
    assert_int_equal(as_stocktake_missing(&r, c, open, &ids, &n, &e), -ERR_CONFLICT);
    assert_string_equal(e.key, "assets.stocktake.not_finished");
    assert_int_equal(n, 0);
    err_clear(&e);
    assert_int_equal(as_stocktake_missing(&r, c, 987654, &ids, &n, &e), -ERR_NOT_FOUND);
    arena_free(a);
}

static void test_summary(void **state)
{
    (void)state;
    struct req r;
    struct arena *a = request(&r);
    struct db_conn *c = tmpdb_conn(db);
    struct err e;
    err_clear(&e);
    json_t *card = json_pack("{s:s}", "id", "assets");
    assert_int_equal(as_stocktake_summary(&r, c, card, &e), 0);
    int64_t expected = scalar("SELECT SUM(expected_count) FROM stocktakes WHERE status = "
                              "'in_progress'");
    int64_t pending = scalar("SELECT COUNT(*) FROM stocktake_lines l JOIN stocktakes s ON s.id = "
                             "l.stocktake_id WHERE s.status = 'in_progress' AND l.result = "
                             "'pending'");
    assert_int_equal(json_integer_value(json_object_get(card, "stocktakes_in_progress")), 1);
    assert_int_equal(json_integer_value(json_object_get(card, "stocktake_expected")), expected);
    assert_int_equal(json_integer_value(json_object_get(card, "stocktake_scanned")),
                     expected - pending);
    /* last December's session is not this year's */
    assert_int_equal(json_integer_value(json_object_get(card, "stocktake_missing_value_fen")), 0);
    json_t *labels = json_object_get(card, "labels");
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(labels, "stocktake_missing_value_fen"), "zh")),
                        "本年盘亏原值");
    json_decref(card);
    /* finished this year, it counts */
    tmpdb_exec(db, "UPDATE stocktakes SET finished_at = strftime('%s', 'now') WHERE status = "
                   "'finished'");
    card = json_object();
    assert_int_equal(as_stocktake_summary(&r, c, card, &e), 0);
    assert_int_equal(json_integer_value(json_object_get(card, "stocktake_missing_value_fen")),
                     scalar("SELECT missing_value_fen FROM stocktakes WHERE status = 'finished'"));
    assert_true(json_integer_value(json_object_get(card, "stocktake_missing_value_fen")) > 0);
    json_decref(card);
    arena_free(a);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing),
        cmocka_unit_test(test_summary),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
