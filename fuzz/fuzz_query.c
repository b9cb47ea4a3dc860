/* SPDX-License-Identifier: MIT
 * fuzz_query.c - libFuzzer target for list query strings on "people": the
 * input is "key=value&…" (%XX and '+' decoded). Every pair first goes
 * through req_query_arg_check, as http.c does before any handler: a key or
 * value with a NUL (%00) or that is not UTF-8 is refused with BUR-102 naming
 * the parameter, and nothing else runs. The pairs left are fed to
 * query_param, whole (a value never reaches it cut at a NUL). Accepted
 * queries are built with query_sql for both dialects (checked to hold only
 * descriptor names, keywords and placeholders), then run on a SQLite fixture
 * and compared row by row with a small model of filters, search, sort and
 * keyset paging; a cursor from query_cursor must be accepted and continue.
 */
#include "fuzz_util.h"
#include "base/arena.h"
#include "base/buf.h"
#include "core/http.h"
#include "engine/query.h"
#include "engine/res.h"
#include "engine/value.h"

#include <stddef.h>
#include <stdint.h>
#include <unicode/ucol.h>

#define MAX_PAIRS 40
#define MAX_ROWS 64
#define MAX_COLS 32
#define ARENA_CAP (4u << 20)

struct pair {
    const char *k;
    const char *v; /* NULL when the pair had no '=' */
    size_t kn, vn; /* decoded lengths (a NUL inside counts) */
};

struct cell {
    int null;
    int64_t i;
    const char *s;
    size_t n;
};

/* Tenant 1's people, as stored (the model's input). */
static struct {
    struct cell c[MAX_COLS];
} rows[MAX_ROWS];
static int nrows;

static struct db *db;
static struct db_conn *conn;
static const struct res_entity *people;
static const struct res_field *const *cols;
static int ncols;
static struct arena *fixture_arena;
static int debug; /* FUZZ_DEBUG=1: print each statement and the ids it returned */

/* Valid UTF-8 everywhere; quotes, LIKE wildcards, '|' (cursor separator),
 * duplicate names, NULLs and equal timestamps to exercise ties. */
static const char fixture[] =
    "INSERT INTO departments (id, tenant_id, version, created_at, updated_at, name, code, kind,"
    " sort_order, active) VALUES"
    " (1, 1, 1, 100, 100, '办公室', 'BGS', 'party', 10, 1),"
    " (2, 1, 1, 100, 100, 'Finance', 'CZ', 'government', 20, 1),"
    " (3, 1, 1, 200, 200, 'O''Brien & Co', NULL, 'other', 0, 0),"
    " (1000, 2, 1, 100, 100, 'other tenant', 'X', 'party', 10, 1);"
    "INSERT INTO people (id, tenant_id, version, created_at, updated_at, name, staff_no,"
    " department_id, rank_id, post, phone, union_member, contract_staff, active, joined_on)"
    " VALUES"
    " (1, 1, 1, 100, 100, '张三', 'A001', 1, 1, '主任', '13800000000', 1, 0, 1, '2010-03-01'),"
    " (2, 1, 1, 100, 150, '李四', 'A002', 1, 2, '副主任', NULL, 1, 0, 1, '2012-07-15'),"
    " (3, 1, 1, 100, 150, '李四', NULL, 2, NULL, NULL, NULL, 0, 1, 1, NULL),"
    " (4, 1, 2, 200, 300, 'O''Brien', 'ob-1', 3, 3, 'Clerk', '+86 10 1234', 1, 0, 0,"
    " '2010-03-01'),"
    " (5, 1, 1, 200, 200, '50% off', 'P_5', 2, NULL, '50%', NULL, 1, 1, 1, '1999-12-31'),"
    " (6, 1, 1, 200, 200, 'a_b', 'a_b', 2, 4, 'a%b', NULL, 0, 0, 1, '2024-02-29'),"
    " (7, 1, 1, 300, 300, 'A_B', 'AB', 1, 4, 'back\\slash', NULL, 1, 0, 1, '2024-02-29'),"
    " (8, 1, 1, 300, 300, 'Zhang San', 'zs', 1, 5, 'Zhang', NULL, 1, 0, 1, NULL),"
    " (9, 1, 1, 300, 300, 'zhang san', 'ZS2', 2, 5, 'zhang', NULL, 0, 0, 0, '2001-01-01'),"
    " (10, 1, 1, 400, 400, 'a|b', 'pipe', 2, NULL, '|', NULL, 1, 0, 1, '2015-05-05'),"
    " (11, 1, 1, 400, 400, '王五', 'W5', 3, 6, '科员', NULL, 1, 0, 1, '2015-05-05'),"
    " (12, 1, 1, 500, 500, '李四', 'L4', 3, 6, '科员', NULL, 1, 1, 1, '2020-10-10'),"
    " (13, 1, 1, -5, 0, 'Émile', 'E1', 1, NULL, 'Chef', NULL, 0, 0, 1, '1970-01-01'),"
    " (14, 1, 1, 500, 500, 'émile', 'e2', 1, NULL, NULL, NULL, 1, 0, 1, '2099-12-31'),"
    " (15, 1, 1, 600, 600, 'x', 'x', 1, 7, 'x', NULL, 1, 0, 1, '2000-01-01'),"
    " (16, 1, 1, 600, 600, '张三丰', 'A0010', 2, 7, '主任科员', NULL, 1, 0, 1, '2000-01-01'),"
    " (1000, 2, 1, 100, 100, '张三', 'A001', 1000, NULL, '主任', NULL, 1, 0, 1, '2010-03-01'),"
    " (1001, 2, 1, 100, 100, 'x', 'x', 1000, NULL, 'x', NULL, 1, 0, 1, '2000-01-01');";

static void load_fixture(void)
{
    struct err e;
    struct buf b;
    struct db_stmt *st;
    memset(&e, 0, sizeof(e));
    fuzz_exec(conn, fixture);
    cols = res_cols(people, &ncols);
    if (!cols || ncols > MAX_COLS)
        fuzz_die("people columns", NULL);
    buf_init(&b, fixture_arena);
    buf_puts(&b, "SELECT ");
    for (int i = 0; i < ncols; i++)
        buf_printf(&b, "%s%s", i ? ", " : "", cols[i]->name);
    buf_puts(&b, " FROM people WHERE tenant_id = 1 ORDER BY id");
    if (db_prepare(conn, buf_cstr(&b), &st, &e))
        fuzz_die("fixture select", &e);
    int rc;
    while ((rc = db_step(st, &e)) == DB_ROW) {
        if (nrows >= MAX_ROWS)
            fuzz_die("fixture too large", NULL);
        for (int i = 0; i < ncols; i++) {
            struct cell *c = &rows[nrows].c[i];
            c->null = db_col_is_null(st, i);
            if (res_is_int(cols[i])) {
                c->i = db_col_int(st, i);
            } else {
                c->s = db_col_text(st, i, &c->n);
                c->s = arena_strndup(fixture_arena, c->s, c->n);
            }
        }
        nrows++;
    }
    db_reset(st);
    if (rc < 0)
        fuzz_die("fixture select", &e);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init_registry();
    debug = getenv("FUZZ_DEBUG") != NULL;
    people = res_find("people", 6);
    if (!people)
        fuzz_die("no people collection", NULL);
    fixture_arena = arena_new(0);
    db = fuzz_open_db(&conn);
    load_fixture();
    return 0;
}

/* ---- input ---- */

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decodes p[0..n) into arena memory, NUL-terminated; *len gets the
 * decoded length, which counts any NUL inside (raw or %00), as
 * libmicrohttpd's value sizes do. */
static char *decode(struct arena *a, const char *p, size_t n, size_t *len)
{
    char *out = arena_alloc(a, n + 1);
    size_t j = 0;
    FUZZ_CHECK(out, "arena refused %zu bytes", n + 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%' && i + 2 < n && hexval((unsigned char)p[i + 1]) >= 0 &&
                   hexval((unsigned char)p[i + 2]) >= 0) {
            c = (unsigned char)(hexval((unsigned char)p[i + 1]) * 16 +
                                hexval((unsigned char)p[i + 2]));
            i += 2;
        }
        out[j++] = (char)c;
    }
    out[j] = 0;
    *len = j;
    return out;
}

static int split_pairs(struct arena *a, const uint8_t *data, size_t size, struct pair *pairs)
{
    const char *s = (const char *)data, *end = s + size;
    int n = 0;
    while (size && s <= end && n < MAX_PAIRS) {
        const char *amp = memchr(s, '&', (size_t)(end - s));
        const char *stop = amp ? amp : end;
        const char *eq = memchr(s, '=', (size_t)(stop - s));
        if (stop > s) { /* empty segments ("a=1&&b=2") are skipped */
            pairs[n].k = decode(a, s, (size_t)((eq ? eq : stop) - s), &pairs[n].kn);
            pairs[n].vn = 0;
            pairs[n].v = eq ? decode(a, eq + 1, (size_t)(stop - eq - 1), &pairs[n].vn) : NULL;
            n++;
        }
        if (!amp)
            break;
        s = amp + 1;
    }
    return n;
}

/* ---- SQL text invariants ---- */

static int is_word(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static int known_word(const char *w, size_t n)
{
    static const char *const kw[] = {"SELECT", "FROM",  "WHERE",     "AND",    "OR",    "IS",
                                     "NOT",    "NULL",  "IN",        "ESCAPE", "ORDER", "BY",
                                     "ASC",    "DESC",  "NULLS",     "FIRST",  "LAST",  "LIMIT",
                                     "LIKE",   "ILIKE", "tenant_id", "people", "COLLATE",
                                     "zh_pinyin", "zh_stroke", NULL};
    for (const char *const *k = kw; *k; k++)
        if (strlen(*k) == n && !memcmp(*k, w, n))
            return 1;
    for (int i = 0; i < ncols; i++)
        if (strlen(cols[i]->name) == n && !memcmp(cols[i]->name, w, n))
            return 1;
    return 0;
}

/* Everything in the SQL must come from the descriptor or the query builder:
 * known words, numbers, operators, placeholders and the literal ESCAPE '\'.
 * Returns the number of placeholders. */
static int check_vocabulary(const char *sql, size_t n)
{
    static const char esc[] = "ESCAPE '\\'";
    int nq = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)sql[i];
        if (is_word(c)) {
            size_t j = i;
            while (j < n && is_word((unsigned char)sql[j]))
                j++;
            int digits = 1;
            for (size_t k = i; k < j; k++)
                digits &= sql[k] >= '0' && sql[k] <= '9';
            FUZZ_CHECK(digits || known_word(sql + i, j - i), "unexpected word '%.*s' in %s",
                       (int)(j - i), sql + i, sql);
            i = j;
        } else if (c == '\'') {
            FUZZ_CHECK(i >= 7 && !memcmp(sql + i - 7, esc, sizeof(esc) - 1),
                       "quote outside ESCAPE '\\' at %zu in %s", i, sql);
            i += 3;
        } else {
            FUZZ_CHECK(c && strchr(" ,()=<>?", c), "unexpected byte 0x%02x at %zu in %s", c, i,
                       sql);
            nq += c == '?';
            i++;
        }
    }
    return nq;
}

/* A value that could change the meaning of SQL must never appear in it. */
static void check_value_absent(struct arena *a, const char *sql, size_t n, const char *v)
{
    if (!v || !*v)
        return;
    int risky = strstr(v, "--") || strstr(v, "/*");
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        risky |= *p == '\'' || *p == '"' || *p == ';' || *p == '%' || *p < 0x20 || *p >= 0x7f;
    if (!risky)
        return;
    /* the one literal the builder writes is ESCAPE '\': mask it first */
    char *copy = arena_strndup(a, sql, n);
    FUZZ_CHECK(copy, "arena refused %zu bytes", n);
    for (char *p = copy; (p = strstr(p, "ESCAPE '\\'")) != NULL; p += 10)
        memcpy(p + 7, "###", 3);
    FUZZ_CHECK(!strstr(copy, v), "input value '%s' reached the SQL: %s", v, sql);
}

static int search_fields(void)
{
    int n = 0;
    for (const struct res_field *f = people->fields; f->name; f++)
        n += f->search && !f->hidden;
    return n;
}

/* The binds query_bind makes, counted from the plan, not from its code. */
static int expected_binds(const struct query *q)
{
    int n = 1; /* tenant_id */
    for (int i = 0; i < q->nfilters; i++) {
        const struct query_filter *qf = &q->filters[i];
        n += qf->op == Q_NULL ? 0 : qf->op == Q_CONTAINS || qf->op == Q_PREFIX ? 1 : qf->nvals;
    }
    if (q->q)
        n += search_fields();
    if (q->has_after && !q->export)
        n += q->sort && !q->after_null ? 3 : 1;
    return n;
}

static int col_index(const struct res_field *f)
{
    for (int i = 0; i < ncols; i++)
        if (cols[i] == f)
            return i;
    FUZZ_CHECK(0, "field %s is not a column of people", f ? f->name : "(null)");
    return -1;
}

static void check_plan(const struct query *q)
{
    FUZZ_CHECK(q->ent == people, "entity changed");
    FUZZ_CHECK(q->limit >= 1 && q->limit <= QUERY_LIMIT_MAX, "limit %d", q->limit);
    FUZZ_CHECK(q->nfilters >= 0 && q->nfilters <= QUERY_MAX_FILTERS, "nfilters %d", q->nfilters);
    for (int i = 0; i < q->nfilters; i++) {
        const struct query_filter *qf = &q->filters[i];
        col_index(qf->f);
        FUZZ_CHECK(!qf->f->hidden, "hidden field %s filtered", qf->f->name);
        FUZZ_CHECK(qf->op >= Q_EQ && qf->op <= Q_NULL, "op %d", (int)qf->op);
        FUZZ_CHECK(qf->nvals >= 1 && qf->nvals <= (qf->op == Q_IN ? QUERY_MAX_IN : 1),
                   "%s: %d values", qf->f->name, qf->nvals);
        FUZZ_CHECK(qf->vals, "%s: no values", qf->f->name);
        if (qf->op == Q_CONTAINS || qf->op == Q_PREFIX)
            FUZZ_CHECK(qf->f->type == RES_TEXT, "%s: like on non-text", qf->f->name);
        for (int k = 0; k < qf->nvals && qf->op != Q_NULL; k++)
            FUZZ_CHECK(!qf->vals[k].null, "%s: NULL operand", qf->f->name);
    }
    if (q->sort) {
        FUZZ_CHECK(q->sort_col == col_index(q->sort), "sort_col %d", q->sort_col);
        FUZZ_CHECK(q->sort->sort && !q->sort->hidden, "unsortable %s", q->sort->name);
    }
}

static void check_sql(const struct query *q, struct arena *a, const struct pair *pairs, int npairs,
                      const struct db_dialect_sql *d, struct buf *out)
{
    buf_init(out, a);
    query_sql(q, d, 1, out);
    FUZZ_CHECK(buf_ok(out), "query_sql ran out of memory");
    const char *sql = buf_cstr(out);
    FUZZ_CHECK(strlen(sql) == out->len, "NUL inside the SQL");
    int nq = check_vocabulary(sql, out->len);
    FUZZ_CHECK(nq == expected_binds(q), "%d placeholders, %d binds: %s", nq, expected_binds(q),
               sql);
    for (int i = 0; i < npairs; i++) {
        check_value_absent(a, sql, out->len, pairs[i].k);
        check_value_absent(a, sql, out->len, pairs[i].v);
    }
}

/* ---- the model ---- */

/* Names (res_collated) go by pinyin, as the engine sorts them for a tenant
 * of the default order: ICU's zh-u-co-pinyin, then the bytes. */
static int cmp_pinyin(const char *a, size_t na, const char *b, size_t nb)
{
    static UCollator *coll;
    UErrorCode st = U_ZERO_ERROR;
    if (!coll) {
        coll = ucol_open("zh-u-co-pinyin", &st);
        FUZZ_CHECK(U_SUCCESS(st) && coll, "ICU: no pinyin collation (%d)", (int)st);
    }
    st = U_ZERO_ERROR;
    UCollationResult r = ucol_strcollUTF8(coll, a, (int32_t)na, b, (int32_t)nb, &st);
    FUZZ_CHECK(U_SUCCESS(st), "ICU: strcoll failed (%d)", (int)st);
    return r == UCOL_LESS ? -1 : r == UCOL_GREATER;
}

static int cmp_cell(const struct res_field *f, const struct cell *c, const struct res_val *v)
{
    if (res_is_int(f))
        return c->i < v->i ? -1 : c->i > v->i;
    if (res_collated(f)) {
        int k = cmp_pinyin(c->s, c->n, v->s, v->n);
        if (k)
            return k;
    }
    size_t m = c->n < v->n ? c->n : v->n;
    int r = m ? memcmp(c->s, v->s, m) : 0;
    if (r)
        return r < 0 ? -1 : 1;
    return c->n < v->n ? -1 : c->n > v->n;
}

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* SQLite LIKE with every wildcard escaped: ASCII case-insensitive. */
static int like(const struct cell *c, const char *v, size_t vn, int prefix)
{
    if (c->null || vn > c->n)
        return 0;
    for (size_t start = 0; start + vn <= c->n; start++) {
        size_t k = 0;
        while (k < vn && lower((unsigned char)c->s[start + k]) == lower((unsigned char)v[k]))
            k++;
        if (k == vn)
            return 1;
        if (prefix)
            return 0;
    }
    return 0;
}

static int filter_ok(int row, const struct query_filter *qf)
{
    const struct cell *c = &rows[row].c[col_index(qf->f)];
    const struct res_val *v = &qf->vals[0];
    switch (qf->op) {
    case Q_NULL:
        return c->null == (v->i != 0);
    case Q_EQ:
        return !c->null && cmp_cell(qf->f, c, v) == 0;
    case Q_NE:
        return c->null || cmp_cell(qf->f, c, v) != 0;
    case Q_LT:
        return !c->null && cmp_cell(qf->f, c, v) < 0;
    case Q_LTE:
        return !c->null && cmp_cell(qf->f, c, v) <= 0;
    case Q_GT:
        return !c->null && cmp_cell(qf->f, c, v) > 0;
    case Q_GTE:
        return !c->null && cmp_cell(qf->f, c, v) >= 0;
    case Q_IN:
        for (int k = 0; k < qf->nvals; k++)
            if (!c->null && cmp_cell(qf->f, c, &qf->vals[k]) == 0)
                return 1;
        return 0;
    case Q_CONTAINS:
        return like(c, v->s, v->n, 0);
    case Q_PREFIX:
        return like(c, v->s, v->n, 1);
    }
    return 0;
}

static int search_ok(int row, const char *text)
{
    for (const struct res_field *f = people->fields; f->name; f++)
        if (f->search && !f->hidden && like(&rows[row].c[col_index(f)], text, strlen(text), 0))
            return 1;
    return 0;
}

static const struct query *sort_q;

/* The list order: (sort value, id), NULLs smallest; DESC reverses both. */
static int cmp_key(const struct query *q, int sort_null, const struct cell *s, int64_t id, int row)
{
    int r = 0;
    if (q->sort) {
        const struct cell *c = &rows[row].c[q->sort_col];
        if (sort_null || c->null) {
            r = sort_null && c->null ? 0 : c->null ? -1 : 1;
        } else {
            struct res_val v;
            memset(&v, 0, sizeof(v));
            v.i = s->i;
            v.s = s->s;
            v.n = s->n;
            r = cmp_cell(q->sort, c, &v);
        }
    }
    if (!r) {
        int64_t rid = rows[row].c[0].i;
        r = rid < id ? -1 : rid > id;
    }
    return q->desc ? -r : r;
}

static int by_list_order(const void *pa, const void *pb)
{
    int a = *(const int *)pa, b = *(const int *)pb;
    const struct cell *cb = sort_q->sort ? &rows[b].c[sort_q->sort_col] : NULL;
    return cmp_key(sort_q, cb ? cb->null : 0, cb, rows[b].c[0].i, a);
}

/* 1 when every LIKE operand is printable ASCII, where the model is exact
 * (SQLite's LIKE decodes UTF-8 and treats broken sequences its own way). */
static int model_applies(const struct query *q)
{
    const char *texts[QUERY_MAX_FILTERS + 1];
    int n = 0;
    for (int i = 0; i < q->nfilters; i++)
        if (q->filters[i].op == Q_CONTAINS || q->filters[i].op == Q_PREFIX)
            texts[n++] = q->filters[i].vals[0].s;
    if (q->q)
        texts[n++] = q->q;
    for (int i = 0; i < n; i++)
        for (const unsigned char *p = (const unsigned char *)texts[i]; *p; p++)
            if (*p < 0x20 || *p >= 0x7f)
                return 0;
    return 1;
}

/* Ids the query should return, in order (all of them; the caller cuts). */
static int model_ids(const struct query *q, int64_t *ids)
{
    int match[MAX_ROWS], n = 0;
    for (int r = 0; r < nrows; r++) {
        int ok = 1;
        for (int i = 0; i < q->nfilters && ok; i++)
            ok = filter_ok(r, &q->filters[i]);
        if (ok && q->q)
            ok = search_ok(r, q->q);
        if (ok && q->has_after && !q->export) {
            struct cell av;
            memset(&av, 0, sizeof(av));
            av.i = q->after_val.i;
            av.s = q->after_val.s;
            av.n = q->after_val.n;
            /* after the cursor: the cursor sorts before the row */
            ok = cmp_key(q, q->after_null, &av, q->after_id, r) > 0;
        }
        if (ok)
            match[n++] = r;
    }
    sort_q = q;
    qsort(match, (size_t)n, sizeof(match[0]), by_list_order);
    for (int i = 0; i < n; i++)
        ids[i] = rows[match[i]].c[0].i;
    return n;
}

/* ---- running ---- */

/* Runs q on SQLite; fills ids and, when cursors is not NULL, the cursor
 * of each row. Returns the row count. */
static int run(struct arena *a, const struct query *q, int64_t *ids, char **cursors)
{
    struct buf sql;
    struct err e;
    struct db_stmt *st;
    memset(&e, 0, sizeof(e));
    buf_init(&sql, a);
    query_sql(q, db_sqlite_backend.sql, 1, &sql);
    FUZZ_CHECK(buf_ok(&sql), "query_sql ran out of memory");
    int rc = db_prepare(conn, buf_cstr(&sql), &st, &e);
    FUZZ_CHECK(rc == 0, "SQLite refused the SQL (%s): %s", e.detail, buf_cstr(&sql));
    query_bind(q, st, 1);
    int n = 0;
    while ((rc = db_step(st, &e)) == DB_ROW) {
        int64_t id = db_col_int(st, 0);
        FUZZ_CHECK(id < 1000, "row %lld of another tenant: %s", (long long)id, buf_cstr(&sql));
        FUZZ_CHECK(n < MAX_ROWS, "more rows than the fixture has");
        if (cursors) {
            cursors[n] = query_cursor(a, q, st);
            FUZZ_CHECK(cursors[n], "query_cursor failed");
        }
        ids[n++] = id;
    }
    db_reset(st);
    if (debug) {
        fprintf(stderr, "%s\n  ->", buf_cstr(&sql));
        for (int i = 0; i < n; i++)
            fprintf(stderr, " %lld", (long long)ids[i]);
        fputc('\n', stderr);
    }
    FUZZ_CHECK(rc == DB_DONE, "step failed (%s): %s", e.detail, buf_cstr(&sql));
    if (!q->export)
        FUZZ_CHECK(n <= q->limit + 1, "%d rows for limit %d", n, q->limit);
    return n;
}

static void compare(const struct query *q, const int64_t *got, int n, const char *what)
{
    int64_t want[MAX_ROWS];
    if (!model_applies(q))
        return;
    int m = model_ids(q, want);
    if (!q->export && m > q->limit + 1)
        m = q->limit + 1;
    FUZZ_CHECK(n == m, "%s: %d rows, model says %d", what, n, m);
    for (int i = 0; i < n; i++)
        FUZZ_CHECK(got[i] == want[i], "%s: row %d is id %lld, model says %lld", what, i,
                   (long long)got[i], (long long)want[i]);
}

static int has_nul(const char *s, size_t n)
{
    return s && memchr(s, 0, n) != NULL;
}

/* The server's check of every pair before a handler runs: 0 when all pass;
 * else the refusal, checked to be BUR-102 naming the first bad pair. */
static int check_pairs(const struct pair *pairs, int n)
{
    for (int i = 0; i < n; i++) {
        const struct pair *p = &pairs[i];
        struct err e;
        memset(&e, 0, sizeof(e));
        int rc = req_query_arg_check(p->k, p->kn, p->v, p->vn, &e);
        int bad = has_nul(p->k, p->kn) || has_nul(p->v, p->vn) || !utf8_valid(p->k, p->kn) ||
                  (p->v && !utf8_valid(p->v, p->vn));
        FUZZ_CHECK(!rc == !bad, "pair %d ('%s'): check %d, NUL or not UTF-8: %d", i, p->k, rc, bad);
        if (!rc)
            continue;
        FUZZ_CHECK(rc == -ERR_BAD_QUERY && e.code == ERR_BAD_QUERY, "rc %d code %d", rc, e.code);
        FUZZ_CHECK(e.nitems == 1, "%d field items", e.nitems);
        /* named by the key up to '[' (controls blanked, at most 63 bytes) */
        const char *br = memchr(p->k, '[', p->kn);
        size_t want = br ? (size_t)(br - p->k) : p->kn;
        size_t got = strlen(e.items[0].field);
        FUZZ_CHECK(got <= want && got < sizeof(e.items[0].field), "field '%s' for key '%s'",
                   e.items[0].field, p->k);
        for (size_t k = 0; k < got; k++) {
            unsigned char c = (unsigned char)p->k[k];
            FUZZ_CHECK(e.items[0].field[k] == ((c < 0x20 || c == 0x7f) ? ' ' : (char)c),
                       "field '%s' for key '%s'", e.items[0].field, p->k);
        }
        return rc;
    }
    return 0;
}

/* Parses pairs into q (skipping "after" when skip_after); 0 or the error. */
static int parse(struct arena *a, struct query *q, const struct pair *pairs, int n, int skip_after,
                 struct err *e)
{
    query_init(q, people);
    for (int i = 0; i < n; i++) {
        if (skip_after && !strcmp(pairs[i].k, "after"))
            continue;
        int rc = query_param(a, q, pairs[i].k, pairs[i].v, e);
        if (rc) {
            FUZZ_CHECK(rc < 0 && e->code == -rc, "rc %d, code %d", rc, e->code);
            FUZZ_CHECK(e->code == ERR_BAD_QUERY || e->code == ERR_BAD_CURSOR ||
                           e->code == ERR_BUDGET,
                       "unexpected error %d (%s)", e->code, e->detail);
            FUZZ_CHECK(e->nitems >= 0 && e->nitems <= ERR_MAX_ITEMS, "nitems %d", e->nitems);
            return rc;
        }
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new(ARENA_CAP);
    struct pair pairs[MAX_PAIRS];
    struct query q;
    struct err e;
    struct buf sql;
    int64_t ids[MAX_ROWS], ids2[MAX_ROWS];
    memset(&e, 0, sizeof(e));

    int npairs = split_pairs(a, data, size, pairs);
    if (check_pairs(pairs, npairs))
        goto out;
    if (parse(a, &q, pairs, npairs, 0, &e))
        goto out;
    check_plan(&q);
    check_sql(&q, a, pairs, npairs, db_sqlite_backend.sql, &sql);
    check_sql(&q, a, pairs, npairs, db_pg_backend.sql, &sql);

    /* the page, and a cursor at one of its rows */
    unsigned h = 2166136261u;
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 16777619u;
    char *cursors[MAX_ROWS];
    int n = run(a, &q, ids, cursors);
    compare(&q, ids, n, "page");
    int k = n ? (int)(h % (unsigned)n) : 0;
    if (k + 1 < n) {
        const char *cursor = cursors[k];
        /* continuing after row k gives the rows that followed it */
        struct query q2;
        FUZZ_CHECK(parse(a, &q2, pairs, npairs, 1, &e) == 0, "reparse failed: %s", e.detail);
        int rc = query_param(a, &q2, "after", cursor, &e);
        FUZZ_CHECK(rc == 0, "own cursor '%s' refused: %s", cursor, e.detail);
        check_plan(&q2);
        check_sql(&q2, a, pairs, npairs, db_pg_backend.sql, &sql);
        int n2 = run(a, &q2, ids2, NULL);
        compare(&q2, ids2, n2, "next page");
        FUZZ_CHECK(n2 >= 1, "nothing after row %d of %d", k, n);
        for (int i = 0; i < n2 && k + 1 + i < n; i++)
            FUZZ_CHECK(ids2[i] == ids[k + 1 + i], "next page row %d: id %lld, expected %lld", i,
                       (long long)ids2[i], (long long)ids[k + 1 + i]);
        if (n <= q.limit)
            FUZZ_CHECK(n2 == n - k - 1, "last page: %d rows after row %d of %d", n2, k, n);
    }

    /* export: the same filters, no paging */
    q.export = 1;
    check_sql(&q, a, pairs, npairs, db_sqlite_backend.sql, &sql);
    check_sql(&q, a, pairs, npairs, db_pg_backend.sql, &sql);
    n = run(a, &q, ids, NULL);
    compare(&q, ids, n, "export");
out:
    arena_free(a);
    return 0;
}
