/* SPDX-License-Identifier: MIT
 * fuzz_csv.c - libFuzzer target for CSV import, end to end without HTTP:
 * the input is the body of an internal request given to import_run for
 * "departments" and then for "people" on a throw-away SQLite database.
 * Checks that a refused import changes nothing (audit chain included), that
 * an accepted one adds exactly the rows it reports, each audited, with the
 * chain intact, and that every response is valid JSON.
 */
#include "fuzz_util.h"
#include "base/arena.h"
#include "base/buf.h"
#include "core/http.h"
#include "engine/import.h"
#include "engine/rest.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define ARENA_CAP (64u << 20) /* the import body limit */
#define FIXED_DEPTS 3         /* departments 1..3 of tenant 1 stay for people to reference */

static struct db *db;
static struct db_conn *conn;
static const struct res_entity *ents[2];
static int debug; /* FUZZ_DEBUG=1: print each import's outcome */

static const char fixture[] =
    "INSERT INTO departments (id, tenant_id, version, created_at, updated_at, name, code, kind,"
    " sort_order, active) VALUES"
    " (1, 1, 1, 100, 100, '办公室', 'BGS', 'party', 10, 1),"
    " (2, 1, 1, 100, 100, 'Finance', 'CZ', 'government', 20, 1),"
    " (3, 1, 1, 200, 200, 'Streets', NULL, 'street', 0, 0),"
    " (1000, 2, 1, 100, 100, 'other tenant', 'X', 'party', 10, 1);"
    "INSERT INTO people (id, tenant_id, version, created_at, updated_at, name, staff_no,"
    " department_id, union_member, contract_staff, active)"
    " VALUES (1000, 2, 1, 100, 100, 'other', 'A001', 1000, 1, 0, 1);";

static const char *const count_sql[] = {
    "SELECT COUNT(*) FROM departments",
    "SELECT COUNT(*) FROM people",
    "SELECT COUNT(*) FROM ranks",
    "SELECT COUNT(*) FROM tenants",
    "SELECT COUNT(*) FROM departments WHERE tenant_id <> 1",
    "SELECT COUNT(*) FROM people WHERE tenant_id <> 1",
    "SELECT COALESCE(SUM(version * 7 + sort_order), 0) FROM departments WHERE id <= 3",
};
#define NCOUNTS (sizeof(count_sql) / sizeof(count_sql[0]))

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init_registry();
    debug = getenv("FUZZ_DEBUG") != NULL;
    ents[0] = res_find("departments", 11);
    ents[1] = res_find("people", 6);
    if (!ents[0] || !ents[1])
        fuzz_die("no departments or people collection", NULL);
    db = fuzz_open_db(&conn);
    fuzz_exec(conn, fixture);
    return 0;
}

/* The counts above, then the audit chain's length (0 when there is none). */
static void counts(long long *out)
{
    for (size_t i = 0; i < NCOUNTS; i++)
        out[i] = fuzz_count(conn, count_sql[i]);
    out[NCOUNTS] = fuzz_audit() ? fuzz_count(conn, "SELECT COUNT(*) FROM audit_entries") : 0;
}

/* "{" + a member + problem_extra + "}" must be a JSON object. */
static void check_extra(struct req *r, const char *name)
{
    struct buf b;
    json_error_t je;
    buf_init(&b, r->a);
    buf_puts(&b, "{\"x\":0");
    buf_append(&b, r->problem_extra.p ? r->problem_extra.p : "", r->problem_extra.len);
    buf_putc(&b, '}');
    FUZZ_CHECK(buf_ok(&b), "arena refused the problem body");
    json_t *j = json_loadb(b.p, b.len, 0, &je);
    FUZZ_CHECK(j, "%s: problem members are not JSON (%s): %.300s", name, je.text, b.p);
    json_t *rej = json_object_get(j, "rejected");
    if (r->err.code == ERR_IMPORT_REJECTED) {
        FUZZ_CHECK(json_is_array(rej) && json_array_size(rej) >= 1, "%s: no rejected rows", name);
        for (size_t i = 0; i < json_array_size(rej); i++) {
            json_t *it = json_array_get(rej, i);
            json_t *row = json_object_get(it, "row");
            FUZZ_CHECK(json_is_integer(row) && json_integer_value(row) >= 1,
                       "%s: rejected entry without a row", name);
            FUZZ_CHECK(json_is_string(json_object_get(it, "field")) &&
                           json_is_string(json_object_get(it, "message")),
                       "%s: rejected entry without field/message", name);
        }
    }
    json_decref(j);
}

static void import_one(const struct res_entity *ent, const uint8_t *data, size_t size)
{
    static const char *const hdr[] = {"Content-Type", "text/csv", NULL};
    struct arena *a = arena_new(ARENA_CAP);
    struct req r;
    long long before[NCOUNTS + 1], after[NCOUNTS + 1];
    req_init_internal(&r, a, NULL, db);
    r.method = HTTP_POST;
    r.ihdr = hdr;
    buf_append(&r.body, data, size);
    FUZZ_CHECK(buf_ok(&r.body), "arena refused %zu bytes", size);

    counts(before);
    int rc = import_run(&r, ent);
    counts(after);
    FUZZ_CHECK(!db_in_tx(conn), "%s: transaction left open (rc %d)", ent->name, rc);
    if (debug)
        fprintf(stderr, "%s: rc %d %s%s %.*s%.*s\n", ent->name, rc, r.err.detail,
                r.err.nitems ? r.err.items[0].field : "", (int)r.out.len, buf_cstr(&r.out),
                (int)r.problem_extra.len, buf_cstr(&r.problem_extra));

    if (rc) {
        FUZZ_CHECK(rc < 0 && r.err.code == -rc, "%s: rc %d, code %d", ent->name, rc, r.err.code);
        FUZZ_CHECK(r.err.code == ERR_BAD_CSV || r.err.code == ERR_IMPORT_REJECTED ||
                       r.err.code == ERR_BUDGET,
                   "%s: unexpected error %d: %s", ent->name, r.err.code, r.err.detail);
        for (size_t i = 0; i <= NCOUNTS; i++)
            FUZZ_CHECK(before[i] == after[i], "%s refused (%d) but '%s' went %lld -> %lld",
                       ent->name, r.err.code, i < NCOUNTS ? count_sql[i] : "audit entries",
                       before[i], after[i]);
        check_extra(&r, ent->name);
    } else {
        json_error_t je;
        FUZZ_CHECK(r.status == 200, "%s: status %d", ent->name, r.status);
        json_t *j = json_loadb(r.out.p ? r.out.p : "", r.out.len, 0, &je);
        FUZZ_CHECK(j, "%s: response is not JSON: %s", ent->name, je.text);
        json_t *ins = json_object_get(j, "inserted");
        FUZZ_CHECK(json_is_integer(ins) && json_integer_value(ins) >= 1, "%s: inserted?",
                   ent->name);
        long long n = (long long)json_integer_value(ins);
        json_decref(j);
        int k = ent == ents[0] ? 0 : 1;
        FUZZ_CHECK(after[k] - before[k] == n, "%s: reported %lld rows, table grew by %lld",
                   ent->name, n, after[k] - before[k]);
        for (size_t i = 0; i < NCOUNTS; i++)
            FUZZ_CHECK(i == (size_t)k || before[i] == after[i], "%s: '%s' went %lld -> %lld",
                       ent->name, count_sql[i], before[i], after[i]);
        if (fuzz_audit())
            FUZZ_CHECK(after[NCOUNTS] - before[NCOUNTS] >= n, "%s: %lld rows, %lld audited",
                       ent->name, n, after[NCOUNTS] - before[NCOUNTS]);
        fuzz_audit_verify(db, ent->name);
        /* keep the database small: drop what the import added */
        fuzz_exec(conn, "DELETE FROM people WHERE tenant_id = 1");
        fuzz_exec(conn, "DELETE FROM departments WHERE tenant_id = 1 AND id > 3");
        fuzz_audit_clear(conn);
    }
    arena_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    import_one(ents[0], data, size);
    import_one(ents[1], data, size);
    return 0;
}
