/* SPDX-License-Identifier: MIT
 * t_audit.c - the audit chain: the documented hash encoding (a vector computed
 * outside bureau), four threads appending to two tenants' chains at once
 * (consecutive seq, nothing forked, rolled-back appends leave no gap), and
 * verify naming the first broken entry after each kind of tampering; anchor
 * files, the daily job and a record's history. SQLite always, PostgreSQL when
 * BUREAU_TEST_PG is set.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/audit.h"
#include "base/buf.h"
#include "base/err.h"
#include "core/jobs.h"
#include "db/db.h"
#include "engine/migrate.h"
#include "engine/res.h"
#include "modules/modules.h"
#include "modules/org/org.h"
#include "tmpdb.h"

#include <inttypes.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern const struct res_entity id_audit_entries;
static const struct res_entity *const audit_entities[] = {&id_audit_entries, NULL};
static const struct module audit_module = {.name = "identity", .entities = audit_entities};
static const struct module *const test_modules[] = {&org_module, &audit_module, NULL};

#define THREADS 4
#define PER_THREAD 60
#define ZEROS "0000000000000000000000000000000000000000000000000000000000000000"

/* ---- helpers ---- */

static int64_t scalar(struct db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int64_t scalar(struct db *db, const char *fmt, ...)
{
    struct err e;
    struct db_stmt *st;
    char sql[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof(sql), fmt, ap);
    va_end(ap);
    err_clear(&e);
    struct db_conn *c = db_conn(db, &e);
    assert_int_equal(db_prepare(c, sql, &st, &e), 0);
    assert_int_equal(db_step(st, &e), DB_ROW);
    int64_t v = db_col_int(st, 0);
    db_reset(st);
    return v;
}

static void exec(struct db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void exec(struct db *db, const char *fmt, ...)
{
    struct err e;
    char sql[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof(sql), fmt, ap);
    va_end(ap);
    err_clear(&e);
    int rc = db_exec(db_conn(db, &e), sql, &e);
    if (rc)
        fail_msg("%s: %s", sql, e.detail);
}

static int64_t add_tenant(struct db *db, const char *code)
{
    struct err e;
    struct db_stmt *st;
    err_clear(&e);
    struct db_conn *c = db_conn(db, &e);
    assert_int_equal(db_prepare(c,
                                "INSERT INTO tenants (version, created_at, updated_at, name, code, "
                                "admin_level, utc_offset_min) VALUES (1, 0, 0, ?, ?, 'county', "
                                "480) RETURNING id",
                                &st, &e),
                     0);
    db_bind_text(st, 1, code, strlen(code));
    db_bind_text(st, 2, code, strlen(code));
    assert_int_equal(db_step(st, &e), DB_ROW);
    int64_t id = db_col_int(st, 0);
    db_reset(st);
    return id;
}

/* Appends one event in its own transaction. */
static int append1(struct db *db, int64_t tenant, const char *action, int64_t record_id,
                   json_t *before, json_t *after)
{
    struct err e;
    err_clear(&e);
    struct db_conn *c = db_conn(db, &e);
    struct audit_event ev = {.tenant_id = tenant,
                             .actor_id = 3,
                             .actor = "admin",
                             .action = action,
                             .collection = "widgets",
                             .record_id = record_id,
                             .before = before,
                             .after = after};
    int rc = db_begin(c, &e);
    if (!rc)
        rc = audit_append(c, &ev, &e);
    if (!rc)
        rc = db_commit(c, &e);
    else
        db_rollback(c);
    if (rc)
        print_message("append: %s\n", e.detail);
    return rc;
}

/* verify must fail with every needle in its message. */
static void expect_broken(struct db *db, const char *anchors, const char *n1, const char *n2)
{
    struct err e;
    err_clear(&e);
    int rc = audit_verify_anchored(db, 0, anchors, NULL, &e);
    if (rc != -ERR_RULE || !strstr(e.detail, n1) || (n2 && !strstr(e.detail, n2)))
        fail_msg("verify gave %d \"%s\"; wanted \"%s\" and \"%s\"", rc, e.detail, n1, n2 ? n2 : "");
}

static void expect_intact(struct db *db)
{
    struct err e;
    err_clear(&e);
    FILE *out = tmpfile();
    char line[512];
    int rc = audit_verify(db, 0, out, &e);
    if (rc)
        fail_msg("verify: %s", e.detail);
    rewind(out);
    int intact = 0;
    while (fgets(line, sizeof(line), out))
        intact += strstr(line, ": intact") != NULL;
    fclose(out);
    assert_true(intact >= 2);
}

static void save(struct db *db)
{
    exec(db, "DROP TABLE IF EXISTS saved_entries; DROP TABLE IF EXISTS saved_heads;"
             "CREATE TABLE saved_entries AS SELECT * FROM audit_entries;"
             "CREATE TABLE saved_heads AS SELECT * FROM bureau_audit_heads");
}

static void restore(struct db *db)
{
    exec(db, "DELETE FROM audit_entries; INSERT INTO audit_entries SELECT * FROM saved_entries;"
             "DELETE FROM bureau_audit_heads;"
             "INSERT INTO bureau_audit_heads SELECT * FROM saved_heads");
    expect_intact(db);
}

/* The hash the entry (tenant, seq) would have with hashed field k = v. */
static void rehash(struct db *db, int64_t tenant, int64_t seq, int k, const char *v, char *hex)
{
    struct err e;
    struct db_stmt *st;
    struct audit_text f[AUDIT_NFIELDS];
    err_clear(&e);
    assert_int_equal(db_prepare(db_conn(db, &e),
                                "SELECT seq, tenant_id, at, actor_id, actor, action, collection, "
                                "record_id, before, after, prev_hash FROM audit_entries WHERE "
                                "tenant_id = ? AND seq = ?",
                                &st, &e),
                     0);
    db_bind_int(st, 1, tenant);
    db_bind_int(st, 2, seq);
    assert_int_equal(db_step(st, &e), DB_ROW);
    for (int i = 0; i < AUDIT_NFIELDS; i++) {
        f[i].p = db_col_is_null(st, i) ? NULL : db_col_text(st, i, &f[i].n);
        if (!f[i].p)
            f[i].n = 0;
    }
    f[k].p = v;
    f[k].n = strlen(v);
    audit_hash_hex(f, hex);
    db_reset(st);
}

static int count_lines(const char *path)
{
    char line[256];
    int n = 0;
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f))
        n++;
    fclose(f);
    return n;
}

/* ---- the hash encoding ---- */

static void test_hash_vector(void **state)
{
    (void)state;
    /* expected values computed with Python's hashlib from docs/internals/audit.md */
    struct audit_text f[AUDIT_NFIELDS] = {
        {"1", 1},
        {"1", 1},
        {"1800000000", 10},
        {"7", 1},
        {"张三", strlen("张三")},
        {"update", 6},
        {"departments", 11},
        {"42", 2},
        {"{\"name\":\"财政局\"}", strlen("{\"name\":\"财政局\"}")},
        {"{\"name\":\"区财政局\"}", strlen("{\"name\":\"区财政局\"}")},
        {ZEROS, 64},
    };
    char h1[AUDIT_HASH_LEN + 1], h2[AUDIT_HASH_LEN + 1];
    audit_hash_hex(f, h1);
    assert_string_equal(h1, "aa91907bc60a261c55c6a2ce182e10c479182befd9f50c9031e07462054e81bb");
    struct audit_text g[AUDIT_NFIELDS] = {
        {"2", 1},  {"1", 1},  {"1800000060", 10}, {NULL, 0}, {NULL, 0}, {"login_failed", 12},
        {NULL, 0}, {NULL, 0}, {NULL, 0},          {NULL, 0}, {h1, 64},
    };
    audit_hash_hex(g, h2);
    assert_string_equal(h2, "6e516c7564accdab1932f290783ffc7fa21ee914e90344d24690b1f37cf8bf91");
    /* NULL and "" differ */
    g[4].p = "";
    audit_hash_hex(g, h1);
    assert_string_not_equal(h1, h2);
}

/* ---- concurrent appends ---- */

struct worker {
    struct db *db;
    int64_t tenants[2];
    int idx;
    int committed[2];
    int failed;
};

static void *append_thread(void *p)
{
    struct worker *w = p;
    struct err e;
    for (int i = 0; i < PER_THREAD; i++) {
        int t = i % 2;
        int twice = i % 10 == 3, undo = i % 15 == 7;
        err_clear(&e);
        struct db_conn *c = db_conn(w->db, &e);
        json_t *before = json_pack("{s:i, s:s}", "n", i, "z", "前");
        json_t *after = json_pack("{s:i, s:s, s:f, s:[i, b, n], s:{s:s, s:I}}", "n", i + 1, "z",
                                  "后 \"quoted\"\n", "ratio", 0.1 * i, "list", i, 1, "nested", "y",
                                  "ü", "big", (json_int_t)9007199254740993LL);
        struct audit_event ev = {.tenant_id = w->tenants[t],
                                 .actor_id = w->idx + 1,
                                 .actor = "worker",
                                 .action = "update",
                                 .collection = "widgets",
                                 .record_id = w->idx * 1000 + i,
                                 .before = before,
                                 .after = after};
        int rc = c ? db_begin(c, &e) : -1;
        if (!rc)
            rc = audit_append(c, &ev, &e);
        if (!rc && twice)
            rc = audit_append(c, &ev, &e);
        if (!rc && undo) {
            db_rollback(c);
        } else if (!rc) {
            rc = db_commit(c, &e);
            if (!rc)
                w->committed[t] += twice ? 2 : 1;
        } else if (c) {
            db_rollback(c);
        }
        if (rc) {
            w->failed++;
            print_message("thread %d: %s\n", w->idx, e.detail);
        }
        json_decref(before);
        json_decref(after);
    }
    db_conn_close_thread(w->db);
    return NULL;
}

static void exercise(struct db *db)
{
    struct err e;
    err_clear(&e);
    struct db_conn *c = db_conn(db, &e);
    int64_t ta = add_tenant(db, "tenant_a"), tb = add_tenant(db, "tenant_b");

    /* nothing yet: intact */
    assert_int_equal(audit_verify(db, 0, NULL, &e), 0);

    /* outside a transaction: refused */
    struct audit_event ev = {
        .tenant_id = ta, .action = "create", .collection = "widgets", .record_id = 1};
    assert_int_equal(audit_append(c, &ev, &e), -ERR_INTERNAL);

    /* a record's life, then its history */
    json_t *v1 = json_pack("{s:s, s:i}", "name", "甲", "size", 1);
    json_t *v2 = json_pack("{s:s, s:i}", "name", "乙", "size", 2);
    assert_int_equal(append1(db, ta, "create", 77, NULL, v1), 0);
    assert_int_equal(append1(db, ta, "update", 77, v1, v2), 0);
    assert_int_equal(append1(db, ta, "update", 78, NULL, v2), 0); /* another record */
    assert_int_equal(append1(db, ta, "delete", 77, v2, json_null()), 0);
    json_decref(v1);
    json_decref(v2);
    struct buf b;
    buf_init(&b, NULL);
    assert_int_equal(audit_history(c, ta, "widgets", 77, &b, 480, &e), 0);
    json_error_t je;
    json_t *h = json_loads(buf_cstr(&b), 0, &je);
    assert_non_null(h);
    assert_int_equal(json_array_size(h), 3);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(h, 0), "seq")), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(h, 1), "action")),
                        "update");
    assert_string_equal(json_string_value(json_object_get(json_array_get(h, 1), "actor")), "admin");
    assert_true(json_is_null(json_object_get(json_array_get(h, 0), "before")));
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(json_array_get(h, 1), "after"), "name")),
        "乙");
    assert_true(json_is_null(json_object_get(json_array_get(h, 2), "after")));
    const char *at = json_string_value(json_object_get(json_array_get(h, 0), "at"));
    assert_non_null(at);
    assert_non_null(strstr(at, "+08:00"));
    json_decref(h);
    buf_release(&b);

    /* an actor name from outside (a failed sign-in): truncated, invalid bytes replaced */
    char name[400];
    memset(name, 'x', sizeof(name) - 1);
    name[sizeof(name) - 1] = 0;
    name[0] = (char)0xff;
    struct audit_event login = {.tenant_id = tb, .action = "login_failed", .actor = name};
    err_clear(&e);
    assert_int_equal(db_begin(c, &e), 0);
    assert_int_equal(audit_append(c, &login, &e), 0);
    assert_int_equal(db_commit(c, &e), 0);
    assert_int_equal(scalar(db,
                            "SELECT COUNT(*) FROM audit_entries WHERE tenant_id = %" PRId64
                            " AND actor LIKE '?xxx%%' AND LENGTH(actor) = 100 AND "
                            "collection IS NULL AND record_id IS NULL",
                            tb),
                     1);

    /* four threads, two tenants, each append in its own transaction */
    struct worker w[THREADS];
    pthread_t th[THREADS];
    int want[2] = {4, 1};
    for (int i = 0; i < THREADS; i++) {
        w[i] = (struct worker){.db = db, .tenants = {ta, tb}, .idx = i};
        assert_int_equal(pthread_create(&th[i], NULL, append_thread, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(w[i].failed, 0);
        want[0] += w[i].committed[0];
        want[1] += w[i].committed[1];
    }
    int64_t ts[2] = {ta, tb};
    for (int t = 0; t < 2; t++) {
        assert_int_equal(
            scalar(db, "SELECT COUNT(*) FROM audit_entries WHERE tenant_id = %" PRId64, ts[t]),
            want[t]);
        assert_int_equal(
            scalar(db, "SELECT MIN(seq) FROM audit_entries WHERE tenant_id = %" PRId64, ts[t]), 1);
        assert_int_equal(
            scalar(db, "SELECT MAX(seq) FROM audit_entries WHERE tenant_id = %" PRId64, ts[t]),
            want[t]);
        assert_int_equal(
            scalar(db, "SELECT seq FROM bureau_audit_heads WHERE tenant_id = %" PRId64, ts[t]),
            want[t]);
    }
    expect_intact(db);
    assert_int_equal(audit_verify(db, ta, NULL, &e), 0);

    /* one transaction with many entries for more chains than are kept in
     * memory (an import touching many tenants), then one rolled back */
    int64_t bulk[10];
    for (int i = 0; i < 10; i++) {
        char code[24];
        snprintf(code, sizeof(code), "bulk_%d", i);
        bulk[i] = add_tenant(db, code);
    }
    for (int round = 0; round < 2; round++) {
        assert_int_equal(db_begin(c, &e), 0);
        for (int k = 0; k < 1000; k++) {
            json_t *v = json_pack("{s:i}", "k", k);
            struct audit_event b1 = {.tenant_id = bulk[k % 10],
                                     .action = "create",
                                     .collection = "widgets",
                                     .record_id = k + 1,
                                     .after = v};
            assert_int_equal(audit_append(c, &b1, &e), 0);
            json_decref(v);
        }
        if (round)
            db_rollback(c);
        else
            assert_int_equal(db_commit(c, &e), 0);
    }
    for (int i = 0; i < 10; i++) {
        assert_int_equal(
            scalar(db, "SELECT COUNT(*) FROM audit_entries WHERE tenant_id = %" PRId64, bulk[i]),
            100);
        assert_int_equal(
            scalar(db, "SELECT seq FROM bureau_audit_heads WHERE tenant_id = %" PRId64, bulk[i]),
            100);
    }
    expect_intact(db);
    int na = want[0];

    /* tampering; each case is undone before the next */
    save(db);
    char sql_t[64];
    snprintf(sql_t, sizeof(sql_t), "tenant %" PRId64 ": ", ta);

    exec(db,
         "UPDATE audit_entries SET after = '{\"x\":1}' WHERE tenant_id = %" PRId64 " AND seq = 7",
         ta);
    expect_broken(db, NULL, "entry seq 7 (id", "was altered");
    expect_broken(db, NULL, sql_t, NULL);
    restore(db);

    exec(db, "UPDATE audit_entries SET actor = 'mallory' WHERE tenant_id = %" PRId64 " AND seq = 2",
         tb);
    expect_broken(db, NULL, "entry seq 2 (id", "was altered");
    restore(db);

    exec(db, "DELETE FROM audit_entries WHERE tenant_id = %" PRId64 " AND seq = 9", tb);
    expect_broken(db, NULL, "entry seq 9 is missing (after seq 8)", NULL);
    restore(db);

    exec(db, "DELETE FROM audit_entries WHERE tenant_id = %" PRId64 " AND seq = 1", ta);
    expect_broken(db, NULL, "entry seq 1 is missing", NULL);
    restore(db);

    exec(db,
         "UPDATE audit_entries SET seq = -1 WHERE tenant_id = %" PRId64 " AND seq = 3;"
         "UPDATE audit_entries SET seq = 3 WHERE tenant_id = %" PRId64 " AND seq = 4;"
         "UPDATE audit_entries SET seq = 4 WHERE tenant_id = %" PRId64 " AND seq = -1",
         ta, ta, ta);
    expect_broken(db, NULL, "entry seq 3 (id", "was altered");
    restore(db);

    /* altered and rehashed: the next entry no longer links (the text is as
     * PostgreSQL renders JSONB, so that it is stored as hashed on both) */
    char hex[AUDIT_HASH_LEN + 1];
    rehash(db, ta, 5, 9, "{\"x\": 2}", hex);
    exec(db,
         "UPDATE audit_entries SET after = '{\"x\": 2}', hash = '%s' WHERE tenant_id = %" PRId64
         " AND seq = 5",
         hex, ta);
    expect_broken(db, NULL, "entry seq 6 (id", "does not link to seq 5");
    restore(db);

    char other[AUDIT_HASH_LEN + 1];
    snprintf(other, sizeof(other), "1%.63s", ZEROS);
    rehash(db, ta, 1, 10, other, hex);
    exec(db,
         "UPDATE audit_entries SET prev_hash = '%s', hash = '%s' WHERE tenant_id = %" PRId64
         " AND seq = 1",
         other, hex, ta);
    expect_broken(db, NULL, "entry seq 1 (id", "does not start the chain");
    restore(db);

    /* the head row */
    exec(db, "UPDATE bureau_audit_heads SET hash = '%s' WHERE tenant_id = %" PRId64, ZEROS, ta);
    expect_broken(db, NULL, "head row's hash", NULL);
    restore(db);
    exec(db, "UPDATE bureau_audit_heads SET seq = seq + 1 WHERE tenant_id = %" PRId64, tb);
    char need[96];
    snprintf(need, sizeof(need), "entry seq %d is missing (after seq %d;", want[1] + 1, want[1]);
    expect_broken(db, NULL, need, NULL);
    restore(db);
    exec(db, "DELETE FROM bureau_audit_heads WHERE tenant_id = %" PRId64, tb);
    expect_broken(db, NULL, "head row is missing", NULL);
    restore(db);

    /* the last entry removed */
    exec(db, "DELETE FROM audit_entries WHERE tenant_id = %" PRId64 " AND seq = %d", ta, na);
    snprintf(need, sizeof(need), "entry seq %d is missing (after seq %d;", na, na - 1);
    expect_broken(db, NULL, need, NULL);
    restore(db);

    /* an entry the walk would not meet */
    exec(db,
         "INSERT INTO audit_entries (tenant_id, version, created_at, updated_at, seq, at, "
         "action, prev_hash, hash) VALUES (%" PRId64 ", 1, 0, 0, NULL, 0, 'create', 'x', 'y')",
         tb);
    expect_broken(db, NULL, "has no valid seq", NULL);
    restore(db);

    /* ---- anchors ---- */
    char dir[] = "/tmp/bureau-anchor-XXXXXX", pa[128], pb[128];
    assert_non_null(mkdtemp(dir));
    snprintf(pa, sizeof(pa), "%s/audit-anchor-%" PRId64 ".txt", dir, ta);
    snprintf(pb, sizeof(pb), "%s/audit-anchor-%" PRId64 ".txt", dir, tb);
    int n = 0;
    assert_int_equal(audit_anchor(db, 0, dir, NULL, &n, &e), 0);
    assert_int_equal(n, 12); /* tenants a, b and the ten bulk ones */
    assert_int_equal(append1(db, ta, "create", 90, NULL, NULL), 0);
    assert_int_equal(append1(db, ta, "create", 91, NULL, NULL), 0);
    assert_int_equal(append1(db, ta, "create", 92, NULL, NULL), 0);
    na += 3;
    n = 0;
    assert_int_equal(audit_anchor(db, ta, dir, NULL, &n, &e), 0);
    assert_int_equal(n, 1);
    assert_int_equal(count_lines(pa), 2);
    assert_int_equal(count_lines(pb), 1);
    assert_int_equal(audit_verify_anchored(db, 0, dir, NULL, &e), 0);

    /* the job: nothing without a directory, then every chain */
    struct job_ctx j = {.db = db, .c = c, .owner = "test", .now = 0};
    unsetenv("BUREAU_AUDIT_ANCHOR_DIR");
    assert_int_equal(audit_job_anchor(&j, &e), 0);
    assert_string_equal(j.message, "no anchor directory");
    setenv("BUREAU_AUDIT_ANCHOR_DIR", dir, 1);
    assert_int_equal(audit_job_anchor(&j, &e), 0);
    assert_non_null(strstr(j.message, "12 chains anchored"));
    unsetenv("BUREAU_AUDIT_ANCHOR_DIR");
    assert_int_equal(count_lines(pa), 3);
    assert_int_equal(count_lines(pb), 2);

    save(db);
    /* the tail cut off and the head moved back to match: only the anchors see it */
    exec(db,
         "DELETE FROM audit_entries WHERE tenant_id = %" PRId64 " AND seq > %d;"
         "UPDATE bureau_audit_heads SET seq = %d, hash = (SELECT hash FROM audit_entries "
         "WHERE tenant_id = %" PRId64 " AND seq = %d) WHERE tenant_id = %" PRId64,
         ta, na - 3, na - 3, ta, na - 3, ta);
    assert_int_equal(audit_verify(db, 0, NULL, &e), 0);
    snprintf(need, sizeof(need), "entry seq %d, anchored on", na);
    expect_broken(db, dir, need, "is missing");
    /* anchoring refuses the cut chain but anchors the other */
    n = 0;
    assert_int_equal(audit_anchor(db, 0, dir, NULL, &n, &e), -ERR_RULE);
    assert_non_null(strstr(e.detail, need));
    assert_int_equal(n, 11);
    assert_int_equal(count_lines(pa), 3);
    assert_int_equal(count_lines(pb), 3);
    restore(db);
    assert_int_equal(audit_verify_anchored(db, 0, dir, NULL, &e), 0);

    /* a malformed anchor file is an error, not a pass */
    FILE *f = fopen(pb, "a");
    fputs("2026-01-01 1 x y\n", f);
    fclose(f);
    assert_int_not_equal(audit_verify_anchored(db, 0, dir, NULL, &e), 0);
    assert_non_null(strstr(e.detail, "is not an anchor"));
    unlink(pa);
    unlink(pb);
    for (int i = 0; i < 10; i++) {
        snprintf(pa, sizeof(pa), "%s/audit-anchor-%" PRId64 ".txt", dir, bulk[i]);
        unlink(pa);
    }
    assert_int_equal(rmdir(dir), 0);
}

static struct db *open_fresh(const char *url, char *schema, size_t n)
{
    struct db *db;
    struct err e;
    struct db_options o = {.create = 1};
    err_clear(&e);
    assert_int_equal(db_open(&db, url, &o, &e), 0);
    if (schema) {
        struct db_conn *c = db_conn(db, &e);
        char sql[128];
        snprintf(schema, n, "audit_%08x", randombytes_random());
        snprintf(sql, sizeof(sql), "CREATE SCHEMA %s", schema);
        assert_int_equal(db_exec(c, sql, &e), 0);
        db_close(db);
        char u[512];
        snprintf(u, sizeof(u), "%s%soptions=-csearch_path%%3D%s", url, strchr(url, '?') ? "&" : "?",
                 schema);
        assert_int_equal(db_open(&db, u, &o, &e), 0);
    }
    if (migrate_run(db, 0, NULL, &e))
        fail_msg("migrate: %s", e.detail);
    return db;
}

static void test_sqlite(void **state)
{
    (void)state;
    char path[64];
    tmpdb_path(path, sizeof(path), "audit");
    struct db *db = open_fresh(path, NULL, 0);
    exercise(db);
    db_close(db);
    tmpdb_remove(path);
}

static void test_pg(void **state)
{
    (void)state;
    const char *url = getenv("BUREAU_TEST_PG");
    if (!url || !*url)
        skip();
    char schema[32];
    struct db *db = open_fresh(url, schema, sizeof(schema));
    exercise(db);
    struct err e;
    char sql[96];
    snprintf(sql, sizeof(sql), "DROP SCHEMA %s CASCADE", schema);
    assert_int_equal(db_exec(db_conn(db, &e), sql, &e), 0);
    db_close(db);
}

static int setup(void **state)
{
    struct err e;
    (void)state;
    err_clear(&e);
    if (sodium_init() < 0)
        return -1;
    return engine_init(test_modules, &e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_vector),
        cmocka_unit_test(test_sqlite),
        cmocka_unit_test(test_pg),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
