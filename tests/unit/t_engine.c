/* SPDX-License-Identifier: MIT
 * t_engine.c - the entity engine without a database: registry checks, value
 * conversion, validation (every field error at once), the query parser and
 * the SQL it builds for each dialect, and the derived DDL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "db/db.h"
#include "engine/ddl.h"
#include "modules/modules.h"
#include "engine/query.h"
#include "engine/res.h"
#include "engine/validate.h"
#include "engine/value.h"

#include <string.h>

static int setup(void **state)
{
    struct err e;
    err_clear(&e);
    (void)state;
    return engine_init(modules_list(), &e);
}

static const struct res_entity *ent(const char *name)
{
    return res_find(name, strlen(name));
}

static const struct res_field *field(const char *e, const char *f)
{
    return res_field_find(ent(e), f, strlen(f));
}

static void test_registry(void **state)
{
    (void)state;
    assert_non_null(ent("people"));
    assert_null(ent("peoplex"));
    int n;
    const struct res_field *const *cols = res_cols(ent("people"), &n);
    assert_int_equal(n, RES_NSYS + res_field_count(ent("people")));
    assert_string_equal(cols[0]->name, "id");
    assert_string_equal(cols[RES_NSYS]->name, "name");
    assert_true(res_schema_version() >= 1);
    assert_true(res_pattern_ok(field("people", "staff_no"), "UIT-0001"));
    assert_false(res_pattern_ok(field("people", "staff_no"), "call me"));
    /* the phone is a format, not a pattern: no pattern to pass */
    assert_string_equal(field("people", "phone")->format, "mobile");
    assert_true(res_pattern_ok(field("people", "phone"), "call me"));
}

static void test_values(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct res_val v;
    struct err_item why;
    const struct res_field *m2 = field("ranks", "max_office_m2");
    assert_int_equal(res_val_from_text(a, m2, "18.5", 4, &v, &why), 0);
    assert_int_equal(v.i, 1850);
    assert_int_not_equal(res_val_from_text(a, m2, "18.555", 6, &v, &why), 0);
    assert_non_null(strstr(why.msg, "2 decimals"));
    assert_string_equal(why.key, "field.decimals");
    assert_string_equal(why.params, "{\"scale\":2}");
    assert_int_equal(res_val_from_text(a, m2, "18.500", 6, &v, &why), 0);
    assert_int_not_equal(res_val_from_text(a, m2, "-1", 2, &v, &why), 0);
    json_t *j = json_real(12.35);
    assert_int_equal(res_val_from_json(a, m2, j, &v, &why), 0);
    assert_int_equal(v.i, 1235);
    json_decref(j);
    /* whole numbers keep their zeros (a fuzzer found 100 read as 1) */
    j = json_integer(100);
    assert_int_equal(res_val_from_json(a, m2, j, &v, &why), 0);
    assert_int_equal(v.i, 10000);
    json_decref(j);
    j = json_integer(0);
    assert_int_equal(res_val_from_json(a, m2, j, &v, &why), 0);
    assert_int_equal(v.i, 0);
    json_decref(j);
    j = json_real(20.0);
    assert_int_equal(res_val_from_json(a, m2, j, &v, &why), 0);
    assert_int_equal(v.i, 2000);
    json_decref(j);
    /* at most 15 digits before the point, from text and from JSON alike */
    assert_int_not_equal(res_val_from_text(a, m2, "1000000000000000", 16, &v, &why), 0);
    j = json_real(0.1 + 0.2); /* 0.30000000000000004 */
    assert_int_equal(res_val_from_json(a, m2, j, &v, &why), 0);
    assert_int_equal(v.i, 30);
    json_decref(j);
    /* a large value keeps the digits a double carries, 15 (a fuzzer found
     * 920368547710.20 refused: printed with 5 decimals it was
     * 920368547710.20001) */
    const struct res_field *fuel = field("trips", "fuel_l"); /* no bounds */
    j = json_real(920368547710.20);
    assert_int_equal(res_val_from_json(a, fuel, j, &v, &why), 0);
    assert_int_equal(v.i, 92036854771020);
    json_decref(j);
    j = json_real(1234567890123.45); /* 1234567890123.449951171875 */
    assert_int_equal(res_val_from_json(a, fuel, j, &v, &why), 0);
    assert_int_equal(v.i, 123456789012345);
    json_decref(j);
    j = json_real(1e-20); /* float noise: zero */
    assert_int_equal(res_val_from_json(a, fuel, j, &v, &why), 0);
    assert_int_equal(v.i, 0);
    json_decref(j);
    j = json_real(2.345); /* three decimals, well within what a double holds */
    assert_int_not_equal(res_val_from_json(a, m2, j, &v, &why), 0);
    assert_string_equal(why.key, "field.decimals");
    json_decref(j);

    const struct res_field *joined = field("people", "joined_on");
    assert_int_equal(res_val_from_text(a, joined, "2024-02-29", 10, &v, &why), 0);
    assert_int_not_equal(res_val_from_text(a, joined, "2023-02-29", 10, &v, &why), 0);
    const struct res_field *act = field("people", "active");
    j = json_string("yes");
    assert_int_not_equal(res_val_from_json(a, act, j, &v, &why), 0);
    json_decref(j);
    const struct res_field *name = field("people", "name");
    char long_name[200];
    memset(long_name, 'x', sizeof(long_name));
    assert_int_not_equal(res_val_from_text(a, name, long_name, 51, &v, &why), 0);
    /* 50 Chinese characters are 150 bytes and still fit max_len 50 */
    char zh[151] = "";
    for (int i = 0; i < 50; i++)
        strcat(zh, "\xe5\xbc\xa0");
    assert_int_equal(res_val_from_text(a, name, zh, 150, &v, &why), 0);
    arena_free(a);
}

static void test_validate_all_errors(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct err e;
    err_clear(&e);
    int n;
    res_cols(ent("people"), &n);
    struct res_val vals[64];
    json_error_t je;
    json_t *in = json_loads("{\"name\": 5, \"phone\": \"abc\", \"union_member\": \"no\","
                            " \"bogus\": 1, \"id\": 3, \"joined_on\": \"2024-13-01\"}",
                            0, &je);
    assert_non_null(in);
    assert_int_equal(res_validate(a, ent("people"), in, RES_CREATE, vals, &e), -ERR_INVALID);
    /* name, phone, union_member, bogus, id, joined_on, and department_id missing */
    assert_int_equal(e.nitems, 7);
    const char *want[] = {"name", "phone", "union_member", "bogus", "id", "joined_on",
                          "department_id"};
    for (size_t i = 0; i < 7; i++) {
        int found = 0;
        for (int k = 0; k < e.nitems; k++)
            found |= !strcmp(e.items[k].field, want[i]);
        assert_true(found);
    }
    json_decref(in);
    err_clear(&e);
    in = json_loads("{\"name\": \"张三\", \"department_id\": 1}", 0, &je);
    assert_int_equal(res_validate(a, ent("people"), in, RES_CREATE, vals, &e), 0);
    err_clear(&e);
    /* a patch may leave required fields out but may not null them */
    json_decref(in);
    in = json_loads("{\"name\": null}", 0, &je);
    assert_int_equal(res_validate(a, ent("people"), in, RES_PATCH, vals, &e), -ERR_INVALID);
    json_decref(in);
    arena_free(a);
}

static int parse(struct arena *a, struct query *q, const char *entity, const char *const *kv,
                 struct err *e)
{
    query_init(q, ent(entity));
    for (; kv[0]; kv += 2) {
        int rc = query_param(a, q, kv[0], kv[1], e);
        if (rc)
            return rc;
    }
    return 0;
}

static void test_query_parse(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct query q;
    struct err e;
    err_clear(&e);
    const char *ok[] = {"department_id", "5", "name[contains]", "王", "joined_on[gte]",
                        "2020-01-01", "contract_staff", "false", "rank_id[in]", "1,2,3",
                        "sort", "-joined_on", "limit", "500", NULL};
    assert_int_equal(parse(a, &q, "people", ok, &e), 0);
    assert_int_equal(q.nfilters, 5);
    assert_int_equal(q.limit, 500);
    assert_true(q.desc);
    struct {
        const char *k, *v, *field;
    } bad[] = {
        {"limit", "501", "limit"},          {"limit", "0", "limit"},
        {"bogus", "1", "bogus"},            {"name[like]", "x", "name"},
        {"phone", "1", "phone"},            /* not filterable */
        {"department_id", "x", "department_id"},
        {"joined_on[gte]", "2020-13-01", "joined_on"},
        {"sort", "phone", "sort"},          {"active[contains]", "x", "active"},
        {"after", "!!!", "after"},          {"rank_id[in]", "1,,2", "rank_id"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const char *kv[] = {bad[i].k, bad[i].v, NULL};
        err_clear(&e);
        int rc = parse(a, &q, "people", kv, &e);
        assert_true(rc == -ERR_BAD_QUERY || rc == -ERR_BAD_CURSOR);
        assert_true(e.nitems >= 1);
        assert_string_equal(e.items[0].field, bad[i].field);
    }
    arena_free(a);
}

static void test_query_sql(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct query q;
    struct err e;
    struct buf sql;
    err_clear(&e);
    const char *kv[] = {"name[contains]", "50%_off'; DROP TABLE people; --", "sort",
                        "-joined_on", "q", "x", NULL};
    assert_int_equal(parse(a, &q, "people", kv, &e), 0);
    buf_init(&sql, a);
    query_sql(&q, db_pg_backend.sql, 1, &sql);
    const char *s = buf_cstr(&sql);
    assert_null(strstr(s, "DROP")); /* values only travel as parameters */
    assert_non_null(strstr(s, "name ILIKE ? ESCAPE"));
    assert_non_null(strstr(s, "ORDER BY joined_on DESC NULLS LAST, id DESC LIMIT 51"));
    assert_non_null(strstr(s, "WHERE tenant_id = ?"));
    buf_init(&sql, a);
    query_sql(&q, db_sqlite_backend.sql, 1, &sql);
    assert_non_null(strstr(buf_cstr(&sql), "name LIKE ? ESCAPE"));
    arena_free(a);
}

static void test_ddl(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, NULL);
    ddl_all(&b, db_pg_backend.sql);
    const char *s = buf_cstr(&b);
    assert_non_null(strstr(s, "PRIMARY KEY (tenant_id, id)"));
    assert_non_null(strstr(s, "FOREIGN KEY (tenant_id, department_id) REFERENCES departments "
                              "(tenant_id, id)"));
    assert_non_null(strstr(s, "CREATE UNIQUE INDEX uq_ranks_level_code ON ranks (tenant_id, "
                              "level, code)"));
    buf_truncate(&b, 0);
    ddl_all(&b, db_sqlite_backend.sql);
    s = buf_cstr(&b);
    assert_non_null(strstr(s, "id INTEGER PRIMARY KEY"));
    assert_non_null(strstr(s, "department_id INTEGER NOT NULL REFERENCES departments (id)"));
    assert_null(strstr(s, "(tenant_id, id)"));
    buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry),   cmocka_unit_test(test_values),
        cmocka_unit_test(test_validate_all_errors), cmocka_unit_test(test_query_parse),
        cmocka_unit_test(test_query_sql),  cmocka_unit_test(test_ddl),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
