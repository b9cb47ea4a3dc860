/* SPDX-License-Identifier: MIT
 * t_import.c - CSV import and CSV/XLSX export through their entry points
 * (import_run, export_run) on a SQLite database in a temp dir, without the
 * HTTP server: each request is an internal one (req_init_internal) whose
 * Content-Type header and ?header= parameter the tests set.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/arena.h"
#include "base/buf.h"
#include "core/config.h"
#include "base/base.h"
#include "base/err.h"
#include "core/http.h"
#include "db/db.h"
#include "engine/migrate.h"
#include "engine/query.h"
#include "engine/res.h"
#include "engine/export.h"
#include "engine/import.h"
#include "engine/rest.h"
#include "modules/modules.h"
#include "tmpdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct db *db;
static struct config cfg;
static char dir[64], path[128];
static const char *mock_ctype = "text/csv"; /* Content-Type of the next request */
static const char *mock_header;             /* its ?header= */

/* ---- fixture ---- */

static int64_t count(const char *sql)
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

static int group_setup(void **state)
{
    struct err e;
    err_clear(&e);
    memset(&cfg, 0, sizeof(cfg));
    cfg.arena_cap = 32u << 20;
    cfg.export_cap = 64u << 20;
    cfg.max_import = 64u << 20;
    cfg.request_timeout_ms = 20000;
    cfg.utc_offset_min = 480;
    if (engine_init(modules_list(), &e)) {
        fprintf(stderr, "registry: %s\n", e.detail);
        return -1;
    }
    snprintf(dir, sizeof(dir), "/tmp/t_import-XXXXXX");
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
    tmpdb_exec(db, "INSERT INTO departments (id, tenant_id, created_at, updated_at, name, code) "
            "VALUES (1, 1, 0, 0, 'root', 'R')");
    return 0;
}

static int group_teardown(void **state)
{
    db_close(db);
    tmpdb_remove(path);
    rmdir(dir);
    return 0;
}

/* Clean slate for each test: only the root department. */
static int test_setup(void **state)
{
    tmpdb_exec(db, "DELETE FROM people; DELETE FROM ranks; DELETE FROM departments WHERE id <> 1");
    mock_ctype = "text/csv";
    mock_header = NULL;
    return 0;
}

static struct req *new_req(const char *body)
{
    struct arena *a = arena_new(cfg.max_import * 3 + cfg.arena_cap);
    struct req *r = arena_zalloc(a, sizeof(*r));
    const char **h = arena_zalloc(a, 3 * sizeof(*h));
    const char **q = arena_zalloc(a, 3 * sizeof(*q));
    req_init_internal(r, a, &cfg, db);
    if (mock_ctype) {
        h[0] = "Content-Type";
        h[1] = mock_ctype;
    }
    if (mock_header) {
        q[0] = "header";
        q[1] = mock_header;
    }
    r->ihdr = h;
    r->iquery = q;
    if (body)
        buf_puts(&r->body, body);
    return r;
}

static void end_req(struct req *r)
{
    struct err e;
    err_clear(&e);
    struct db_conn *c = db_conn(db, &e);
    assert_false(c && db_in_tx(c)); /* nothing may be left open */
    arena_free(r->a);
}

static const struct res_entity *ent(const char *name)
{
    const struct res_entity *x = res_find(name, strlen(name));
    assert_non_null(x);
    return x;
}

/* Imports body into collection; returns import_run's result. */
static int import(struct req *r, const char *collection)
{
    return import_run(r, ent(collection));
}

static void assert_contains(const char *hay, const char *needle)
{
    if (!strstr(hay, needle))
        fail_msg("expected '%s' in: %s", needle, hay);
}

/* ---- import ---- */

static void t_import_ok(void **state)
{
    struct req *r = new_req("name,code,parent_id,kind,sort_order,headcount,active\r\n"
                            "A,A1,1,party,1,10,true\r\n"
                            "B,B1,1,,2,,false\r\n"
                            "C,C1,,government,3,5,1\r\n");
    assert_int_equal(import(r, "departments"), 0);
    assert_int_equal(r->status, 200);
    assert_string_equal(buf_cstr(&r->out), "{\"inserted\":3,\"rejected\":[]}");
    end_req(r);
    assert_int_equal(count("SELECT COUNT(*) FROM departments"), 4);
    /* an empty cell is absent: the default applies */
    assert_int_equal(count("SELECT COUNT(*) FROM departments WHERE code = 'B1' AND "
                           "kind = 'government' AND headcount IS NULL AND active = 0"),
                     1);
}

static void t_import_labels_bom_lf(void **state)
{
    /* zh and en labels, a BOM, LF line ends, 是/否 and enum labels */
    struct req *r = new_req("\xEF\xBB\xBF名称,Code,类别,启用\n"
                            "甲,Z1,政府部门,是\n"
                            "乙,Z2,Sub-district,否\n");
    assert_int_equal(import(r, "departments"), 0);
    end_req(r);
    assert_int_equal(count("SELECT COUNT(*) FROM departments WHERE code = 'Z1' AND "
                           "kind = 'government' AND active = 1"),
                     1);
    assert_int_equal(count("SELECT COUNT(*) FROM departments WHERE code = 'Z2' AND "
                           "kind = 'street' AND active = 0"),
                     1);
}

static void t_import_rejects_all(void **state)
{
    struct buf b;
    buf_init(&b, NULL);
    buf_puts(&b, "name,code,sort_order,active\r\n");
    for (int i = 1; i <= 50; i++) {
        if (i == 20)
            buf_puts(&b, "X,bad code,abc,maybe\r\n");
        else if (i == 40)
            buf_puts(&b, ",Q40,1,true\r\n");
        else
            buf_printf(&b, "D%d,Q%d,%d,true\r\n", i, i, i);
    }
    struct req *r = new_req(buf_cstr(&b));
    buf_release(&b);
    int rc = import(r, "departments");
    assert_int_equal(rc, -ERR_IMPORT_REJECTED);
    assert_int_equal(r->err.code, ERR_IMPORT_REJECTED);
    assert_string_equal(r->err.detail, "2 of 50 rows rejected; nothing was imported");
    const char *x = buf_cstr(&r->problem_extra);
    assert_contains(x, ",\"inserted\":0,\"total\":50,");
    /* data rows count from 1 after the header */
    assert_contains(x, "{\"row\":20,\"field\":\"code\",\"key\":\"field.format\",\"params\":{},"
                       "\"message\":\"has the wrong format\"}");
    assert_contains(x, "{\"row\":20,\"field\":\"sort_order\",\"key\":\"field.integer\",\"params\":{"
                       "},\"message\":\"must be a whole number\"}");
    assert_contains(x, "{\"row\":20,\"field\":\"active\"");
    assert_contains(x, "{\"row\":40,\"field\":\"name\",\"key\":\"field.required\",\"params\":{},"
                       "\"message\":\"is required\"}");
    end_req(r);
    assert_int_equal(count("SELECT COUNT(*) FROM departments"), 1);
}

static void t_import_db_refusal_rolls_back(void **state)
{
    /* valid rows that only the database can refuse: the whole file rolls back */
    struct req *r = new_req("name,code,parent_id\r\nA,U1,1\r\nB,U2,1\r\nC,U3,999\r\n");
    assert_int_equal(import(r, "departments"), -ERR_IMPORT_REJECTED);
    assert_contains(buf_cstr(&r->problem_extra), "{\"row\":3,\"field\":\"parent_id\"");
    end_req(r);
    assert_int_equal(count("SELECT COUNT(*) FROM departments"), 1);

    r = new_req("name,code\r\nA,U1\r\nB,U2\r\nC,U1\r\n");
    assert_int_equal(import(r, "departments"), -ERR_IMPORT_REJECTED);
    assert_contains(buf_cstr(&r->problem_extra),
                    "\"rejected\":[{\"row\":3,\"field\":\"code\",\"key\":\"field.unique\","
                    "\"params\":{},\"message\":\"value already used\"}]");
    end_req(r);
    assert_int_equal(count("SELECT COUNT(*) FROM departments"), 1);
}

static void t_import_bad_files(void **state)
{
    static const struct {
        const char *body, *detail;
        int rc;
    } cases[] = {
        {"", "no rows: send a header row and at least one data row", ERR_BAD_CSV},
        {"name,code\r\n", "no rows: send a header row and at least one data row", ERR_BAD_CSV},
        {"name,code\r\nA,B\r\nC,\"D\r\n", "line 3: a quoted cell is not closed", ERR_BAD_CSV},
        {"name,code\r\nA,B\"x\r\n", NULL, ERR_BAD_CSV},
        {"name,nope\r\nA,B\r\n", "line 1: unknown column 'nope'", ERR_BAD_CSV},
        {"name,名称\r\nA,B\r\n", "line 1: column '名称' appears twice", ERR_BAD_CSV},
        {"name,tenant_id\r\nA,B\r\n", "line 1: unknown column 'tenant_id'", ERR_BAD_CSV},
        {"name\r\n\xC3\x28\r\n", NULL, ERR_IMPORT_REJECTED},
        {"\xC3\x28\r\nx\r\n", NULL, ERR_BAD_CSV},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct req *r = new_req(cases[i].body);
        int rc = import(r, "departments");
        if (rc != -cases[i].rc)
            fail_msg("case %zu: rc %d, detail %s", i, rc, r->err.detail);
        if (cases[i].detail)
            assert_string_equal(r->err.detail, cases[i].detail);
        end_req(r);
    }
    assert_int_equal(count("SELECT COUNT(*) FROM departments"), 1);
}

static void t_import_media_type(void **state)
{
    const char *bad[] = {NULL, "application/json", "text/csvx", "text/csv; charset=gbk"};
    for (size_t i = 0; i < 4; i++) {
        mock_ctype = bad[i];
        struct req *r = new_req("name\r\nA\r\n");
        assert_int_equal(import(r, "departments"), -ERR_MEDIA_TYPE);
        end_req(r);
    }
    const char *good[] = {"application/csv", "text/csv; charset=UTF-8", "Text/CSV;charset=utf8"};
    for (size_t i = 0; i < 3; i++) {
        mock_ctype = good[i];
        struct req *r = new_req("name\r\nA\r\n");
        assert_int_equal(import(r, "departments"), 0);
        end_req(r);
    }
}

static void t_import_row_shape(void **state)
{
    /* short rows: missing cells are empty; long rows: only empty extras pass */
    struct req *r = new_req("name,code,headcount\r\nA,S1\r\nB,S2,3,,\r\n");
    assert_int_equal(import(r, "departments"), 0);
    end_req(r);
    r = new_req("name,code\r\nA,S3,x\r\n");
    assert_int_equal(import(r, "departments"), -ERR_IMPORT_REJECTED);
    assert_contains(buf_cstr(&r->problem_extra), "has 3 cells; the header has 2");
    end_req(r);
    /* an unnamed column must stay empty; blank rows are skipped, not counted */
    r = new_req("name,,code\r\nA,,S4\r\n,,\r\nB,oops,S5\r\n");
    assert_int_equal(import(r, "departments"), -ERR_IMPORT_REJECTED);
    assert_contains(buf_cstr(&r->problem_extra),
                    "{\"row\":2,\"field\":\"\",\"key\":\"import.no_header\",\"params\":{\"cell\":2}"
                    ",\"message\":\"cell 2 has no column header\"}");
    end_req(r);
}

static void t_import_report_cap(void **state)
{
    /* every row is counted; the report keeps the first 1000 entries */
    struct buf b;
    buf_init(&b, NULL);
    buf_puts(&b, "name,sort_order,headcount\r\n");
    for (int i = 0; i < 600; i++)
        buf_printf(&b, "D%d,x,-1\r\n", i); /* two problems a row */
    buf_puts(&b, "ok,  7  ,   \r\n");      /* spaces around numbers are fine */
    struct req *r = new_req(buf_cstr(&b));
    buf_release(&b);
    assert_int_equal(import(r, "departments"), -ERR_IMPORT_REJECTED);
    assert_string_equal(r->err.detail, "600 of 601 rows rejected; nothing was imported");
    const char *x = buf_cstr(&r->problem_extra);
    assert_contains(x, "\"total\":601,\"rejected_rows\":600,");
    assert_contains(x, "],\"rejected_total\":1200");
    int n = 0;
    for (const char *p = x; (p = strstr(p, "{\"row\":")); p++)
        n++;
    assert_int_equal(n, 1000);
    end_req(r);
}

static void t_import_decimal(void **state)
{
    struct req *r = new_req("level,code,name,max_office_m2\r\n"
                            "county,a1,A,12.35\r\ncounty,a2,B,7\r\ncounty,a3,C,0.01\r\n"
                            "county,a4,D,99.995\r\n");
    assert_int_equal(import(r, "ranks"), -ERR_IMPORT_REJECTED);
    assert_contains(buf_cstr(&r->problem_extra),
                    "{\"row\":4,\"field\":\"max_office_m2\",\"key\":\"field.decimals\",\"params\":{"
                    "\"scale\":2},\"message\":\"must have at most 2 "
                    "decimals\"}");
    end_req(r);
    r = new_req("level,code,name,max_office_m2\r\n"
                "county,a1,A,12.35\r\ncounty,a2,B,7\r\ncounty,a3,C,0.01\r\n");
    assert_int_equal(import(r, "ranks"), 0);
    end_req(r);
    assert_int_equal(count("SELECT max_office_m2 FROM ranks WHERE code = 'a1'"), 1235);
    assert_int_equal(count("SELECT max_office_m2 FROM ranks WHERE code = 'a2'"), 700);
    assert_int_equal(count("SELECT max_office_m2 FROM ranks WHERE code = 'a3'"), 1);
}

/* ---- export ---- */

/* Exports collection, filtered by key=val when key is not NULL. */
static struct req *export_where(const char *collection, int xlsx, const char *key, const char *val)
{
    struct req *r = new_req(NULL);
    struct query q;
    query_init(&q, ent(collection));
    q.export = 1;
    if (key && query_param(r->a, &q, key, val, &r->err))
        fail_msg("filter: %s", r->err.detail);
    int rc = export_run(r, ent(collection), &q, xlsx);
    if (rc)
        fail_msg("export: %d %s", rc, r->err.detail);
    assert_int_equal(r->status, 200);
    return r;
}

static struct req *export(const char *collection, int xlsx)
{
    return export_where(collection, xlsx, NULL, NULL);
}

static const char *header_value(struct req *r, const char *name)
{
    for (int i = 0; i < r->nhdr; i++)
        if (!strcmp(r->hdr_k[i], name))
            return r->hdr_v[i];
    return NULL;
}

static void t_export_csv_roundtrip(void **state)
{
    static const char *names[] = {"=SUM(A1)",   "'=x",        "-5 层",  "a,b",
                                  "say \"hi\"", "two\nlines", "'plain", "@x"};
    struct buf b;
    buf_init(&b, NULL);
    buf_puts(&b, "name,code\r\n");
    for (int i = 0; i < 8; i++) {
        buf_putc(&b, '"');
        for (const char *p = names[i]; *p; p++) {
            if (*p == '"')
                buf_putc(&b, '"');
            buf_putc(&b, *p);
        }
        buf_printf(&b, "\",N%d\r\n", i);
    }
    /* import takes the names literally except the formula guard ("'=x" -> "=x") */
    struct req *r = new_req(buf_cstr(&b));
    buf_release(&b);
    assert_int_equal(import(r, "departments"), 0);
    end_req(r);
    tmpdb_exec(db, "UPDATE departments SET name = '''=x' WHERE code = 'N1'");
    tmpdb_exec(db, "UPDATE departments SET name = '''plain' WHERE code = 'N6'");

    r = export_where("departments", 0, "code[prefix]", "N");
    const char *csv = buf_cstr(&r->out);
    assert_string_equal(r->ctype, "text/csv; charset=utf-8");
    const char *cd = header_value(r, "Content-Disposition");
    assert_non_null(cd);
    assert_contains(cd, "attachment; filename=\"departments-");
    assert_contains(cd, ".csv\"");
    static const char head[] = "\xEF\xBB\xBFid,name,code,parent_id,kind,sort_order,headcount,"
                               "active,created_at,updated_at\r\n";
    assert_memory_equal(csv, head, sizeof(head) - 1);
    assert_contains(csv, ",'=SUM(A1),N0,");
    assert_contains(csv, ",''=x,N1,");
    assert_contains(csv, ",'-5 层,N2,");
    assert_contains(csv, ",\"a,b\",N3,");
    assert_contains(csv, ",\"say \"\"hi\"\"\",N4,");
    assert_contains(csv, ",\"two\nlines\",N5,");
    assert_contains(csv, ",'plain,N6,");
    assert_contains(csv, ",'@x,N7,");
    assert_true(strstr(csv, ",root,") == NULL); /* the filter applies */
    /* re-import the export into a clean table: every value comes back */
    tmpdb_exec(db, "DELETE FROM departments WHERE id <> 1");
    struct req *r2 = new_req(NULL);
    buf_append(&r2->body, r->out.p, r->out.len);
    end_req(r);
    assert_int_equal(import(r2, "departments"), 0);
    end_req(r2);
    for (int i = 0; i < 8; i++) {
        char sql[200];
        snprintf(sql, sizeof(sql),
                 "SELECT COUNT(*) FROM departments WHERE code = 'N%d' AND "
                 "name = ?",
                 i);
        struct err e;
        struct db_stmt *st;
        err_clear(&e);
        assert_int_equal(db_prepare(tmpdb_conn(db), sql, &st, &e), 0);
        const char *want = i == 1 ? "'=x" : i == 6 ? "'plain" : names[i];
        db_bind_text(st, 1, want, strlen(want));
        assert_int_equal(db_step(st, &e), DB_ROW);
        if (db_col_int(st, 0) != 1)
            fail_msg("name %d did not round-trip: %s", i, want);
        db_reset(st);
    }
}

static void t_export_headers(void **state)
{
    struct req *r = new_req("level,code,name,max_office_m2\r\ncounty,c1,C,12.5\r\n");
    assert_int_equal(import(r, "ranks"), 0);
    end_req(r);
    mock_header = "zh";
    r = export("ranks", 0);
    assert_contains(buf_cstr(&r->out), "\xEF\xBB\xBF编号,层级,代码,职级,办公室面积上限(㎡),");
    assert_contains(buf_cstr(&r->out), ",county,c1,C,12.50,0,,");
    end_req(r);
    mock_header = "en";
    r = export("ranks", 0);
    assert_contains(buf_cstr(&r->out), "\xEF\xBB\xBFID,Level,Code,Rank,");
    end_req(r);
    mock_header = "nonsense";
    r = new_req(NULL);
    struct query q;
    query_init(&q, ent("ranks"));
    q.export = 1;
    assert_int_equal(export_run(r, ent("ranks"), &q, 0), -ERR_BAD_QUERY);
    end_req(r);
}

static void t_export_xlsx(void **state)
{
    struct req *r = new_req("name,code,active\r\nXLSX部门,X1,true\r\n");
    assert_int_equal(import(r, "departments"), 0);
    end_req(r);
    r = export("departments", 1);
    assert_string_equal(r->ctype,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert_contains(header_value(r, "Content-Disposition"), ".xlsx\"");
    assert_non_null(r->file);
    assert_true(r->file_len > 1000);
    assert_memory_equal(r->file, "PK\x03\x04", 4);
    end_req(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(t_import_ok, test_setup),
        cmocka_unit_test_setup(t_import_labels_bom_lf, test_setup),
        cmocka_unit_test_setup(t_import_rejects_all, test_setup),
        cmocka_unit_test_setup(t_import_db_refusal_rolls_back, test_setup),
        cmocka_unit_test_setup(t_import_bad_files, test_setup),
        cmocka_unit_test_setup(t_import_media_type, test_setup),
        cmocka_unit_test_setup(t_import_row_shape, test_setup),
        cmocka_unit_test_setup(t_import_report_cap, test_setup),
        cmocka_unit_test_setup(t_import_decimal, test_setup),
        cmocka_unit_test_setup(t_export_csv_roundtrip, test_setup),
        cmocka_unit_test_setup(t_export_headers, test_setup),
        cmocka_unit_test_setup(t_export_xlsx, test_setup),
    };
    return cmocka_run_group_tests_name("import/export", tests, group_setup, group_teardown) ? 1 : 0;
}
