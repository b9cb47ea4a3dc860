/* SPDX-License-Identifier: MIT
 * query.c - see query.h. NULLs sort as the smallest value on both backends
 * (ASC NULLS FIRST, DESC NULLS LAST); the id breaks ties in the same
 * direction, so a cursor is (sort value, id).
 */
#include "query.h"
#include "record.h"
#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/base.h"
#include "../base/err.h"
#include "../db/collate.h"
#include "../db/db.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

void query_init(struct query *q, const struct res_entity *ent)
{
    memset(q, 0, sizeof(*q));
    q->ent = ent;
    q->limit = QUERY_LIMIT_DEFAULT;
    q->collate = COLLATE_PINYIN;
    if (ent->default_sort) {
        const char *s = ent->default_sort;
        q->desc = *s == '-';
        if (q->desc)
            s++;
        int n;
        const struct res_field *const *cols = res_cols(ent, &n);
        for (int i = 0; i < n; i++)
            if (!strcmp(cols[i]->name, s) && strcmp(s, "id")) {
                q->sort = cols[i];
                q->sort_col = i;
            }
    }
}

static const struct {
    const char *name;
    enum query_op op;
} ops[] = {
    {"eq", Q_EQ}, {"ne", Q_NE}, {"lt", Q_LT}, {"lte", Q_LTE}, {"gt", Q_GT},
    {"gte", Q_GTE}, {"in", Q_IN}, {"contains", Q_CONTAINS}, {"prefix", Q_PREFIX},
    {"null", Q_NULL},
};

int query_filterable(const struct res_field *f)
{
    return !f->hidden && (f->filter || f->sort || f->unique || f->type == RES_REF);
}

int query_sortable(const struct res_field *f)
{
    return !f->hidden && (f->sort || !strcmp(f->name, "id"));
}

static int hidden_for_caller(const struct query *q, const struct res_field *f)
{
    int n;
    const struct res_field *const *cols = res_cols(q->ent, &n);
    for (int i = 0; q->hide && i < n; i++)
        if (cols[i] == f)
            return q->hide[i];
    return 0;
}

/* fmt names its one text parameter (quoted for the message) */
static int bad(struct err *e, const char *field, const char *key, const char *fmt, const char *arg)
    __attribute__((format(printf, 4, 0)));
static int bad(struct err *e, const char *field, const char *key, const char *fmt, const char *arg)
{
    char q[140];
    err_quote(q, sizeof(q), arg, strlen(arg));
    return err_set(e, ERR_BAD_QUERY, field, key, fmt, q);
}

static int parse_limit(struct query *q, const char *val, struct err *e)
{
    int64_t n;
    if (parse_i64(val, strlen(val), &n) || n < 1 || n > QUERY_LIMIT_MAX) {
        return err_set(e, ERR_BAD_QUERY, "limit", "query.limit",
                       "must be a whole number from {min}%d to {max}%d", 1, QUERY_LIMIT_MAX);
    }
    q->limit = (int)n;
    return 0;
}

static int parse_sort(struct query *q, const char *val, struct err *e)
{
    int desc = *val == '-';
    const char *name = desc || *val == '+' ? val + 1 : val;
    const struct res_field *f = res_field_find(q->ent, name, strlen(name));
    if (!f || !query_sortable(f) || hidden_for_caller(q, f))
        return bad(e, "sort", "query.sort", "cannot sort by '{field}%s'", name);
    q->desc = desc;
    q->sort = strcmp(name, "id") ? f : NULL;
    if (q->sort) {
        int n;
        const struct res_field *const *cols = res_cols(q->ent, &n);
        for (int i = 0; i < n; i++)
            if (cols[i] == f)
                q->sort_col = i;
    }
    return 0;
}

/* cursor text: "<sortfield>|<d|a>|<n|v:value>|<id>" in URL-safe base64 */
char *query_cursor(struct arena *a, const struct query *q, struct db_stmt *st)
{
    struct buf b;
    buf_init(&b, a);
    buf_printf(&b, "%s|%c|", q->sort ? q->sort->name : "id", q->desc ? 'd' : 'a');
    if (q->sort) {
        if (db_col_is_null(st, q->sort_col)) {
            buf_putc(&b, 'n');
        } else {
            buf_puts(&b, "v:");
            if (res_is_int(q->sort)) {
                buf_i64(&b, db_col_int(st, q->sort_col));
            } else {
                size_t n;
                const char *s = db_col_text(st, q->sort_col, &n);
                buf_append(&b, s, n);
            }
        }
    }
    buf_putc(&b, '|');
    buf_i64(&b, db_col_int(st, 0));
    if (!buf_ok(&b))
        return NULL;
    size_t outn = sodium_base64_ENCODED_LEN(b.len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *out = arena_alloc(a, outn);
    if (!out)
        return NULL;
    sodium_bin2base64(out, outn, (const unsigned char *)b.p, b.len,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

static int parse_cursor(struct arena *a, struct query *q, const char *val, struct err *e)
{
    size_t vn = strlen(val), bn;
    if (vn > 2048)
        return err_set(e, ERR_BAD_CURSOR, "after", "query.cursor", "cursor too long");
    unsigned char *bin = arena_alloc(a, vn + 1);
    if (!bin || sodium_base642bin(bin, vn, val, vn, NULL, &bn, NULL,
                                  sodium_base64_VARIANT_URLSAFE_NO_PADDING))
        return err_set(e, ERR_BAD_CURSOR, "after", "query.cursor", "not a cursor from this server");
    bin[bn] = 0;
    const char *s = (const char *)bin;
    const char *p1 = memchr(s, '|', bn);
    const char *last = memrchr(s, '|', bn);
    if (!p1 || last == p1 || p1 + 3 > last || p1[2] != '|')
        return err_set(e, ERR_BAD_CURSOR, "after", "query.cursor", "not a cursor from this server");
    const char *expect = q->sort ? q->sort->name : "id";
    if ((size_t)(p1 - s) != strlen(expect) || memcmp(s, expect, (size_t)(p1 - s)) ||
        p1[1] != (q->desc ? 'd' : 'a'))
        return err_set(e, ERR_BAD_CURSOR, "after", "query.cursor_sort",
                       "the cursor belongs to another sort order");
    if (parse_i64(last + 1, bn - (size_t)(last + 1 - s), &q->after_id))
        return err_set(e, ERR_BAD_CURSOR, "after", "query.cursor", "not a cursor from this server");
    const char *v = p1 + 3;
    size_t n = (size_t)(last - v);
    if (q->sort) {
        char msg[160];
        if (n == 1 && v[0] == 'n') {
            q->after_null = 1;
        } else if (n >= 2 && v[0] == 'v' && v[1] == ':') {
            struct res_val rv;
            memset(&rv, 0, sizeof(rv));
            if (res_is_int(q->sort)) {
                if (parse_i64(v + 2, n - 2, &rv.i))
                    return err_set(e, ERR_BAD_CURSOR, "after", "query.cursor",
                                   "not a cursor from this server");
            } else {
                rv.s = arena_strndup(a, v + 2, n - 2);
                rv.n = n - 2;
            }
            rv.set = 1;
            q->after_val = rv;
            (void)msg;
        } else {
            return err_set(e, ERR_BAD_CURSOR, "after", "query.cursor",
                           "not a cursor from this server");
        }
    } else if (n != 0) {
        return err_set(e, ERR_BAD_CURSOR, "after", "query.cursor", "not a cursor from this server");
    }
    q->has_after = 1;
    return 0;
}

static int parse_filter(struct arena *a, struct query *q, const char *key, const char *val,
                        struct err *e)
{
    const char *br = strchr(key, '[');
    size_t kn = br ? (size_t)(br - key) : strlen(key);
    enum query_op op = Q_EQ;
    char fname[64];
    err_quote(fname, sizeof(fname), key, kn);
    if (br) {
        size_t on = strlen(br + 1);
        if (on < 2 || br[on] != ']')
            return bad(e, fname, "query.operator", "malformed operator in '{param}%s'", key);
        int found = 0;
        for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
            if (strlen(ops[i].name) == on - 1 && !memcmp(ops[i].name, br + 1, on - 1)) {
                op = ops[i].op;
                found = 1;
            }
        if (!found)
            return bad(e, fname, "query.operator", "unknown operator in '{param}%s'", key);
    }
    const struct res_field *f = res_field_find(q->ent, key, kn);
    if (!f || !query_filterable(f) || hidden_for_caller(q, f))
        return bad(e, fname, "query.unknown", "unknown or unfilterable parameter '{param}%s'", key);
    if (q->nfilters >= QUERY_MAX_FILTERS)
        return err_set(e, ERR_BAD_QUERY, fname, "query.too_many_filters", "too many filters");
    if ((op == Q_CONTAINS || op == Q_PREFIX) && f->type != RES_TEXT)
        return bad(e, fname, "query.text_only", "'{op}%s' works on text fields only",
                   op == Q_CONTAINS ? "contains" : "prefix");
    struct query_filter *qf = &q->filters[q->nfilters];
    qf->f = f;
    qf->op = op;
    struct err_item why;
    if (op == Q_NULL) {
        qf->vals = arena_zalloc(a, sizeof(*qf->vals));
        if (!qf->vals)
            return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
        if (!strcmp(val, "true"))
            qf->vals[0].i = 1;
        else if (strcmp(val, "false"))
            return err_set(e, ERR_BAD_QUERY, fname, "query.null_bool", "null takes true or false");
        qf->nvals = 1;
    } else if (op == Q_IN) {
        int cnt = 1;
        for (const char *s = val; *s; s++)
            cnt += *s == ',';
        if (cnt > QUERY_MAX_IN)
            return err_set(e, ERR_BAD_QUERY, fname, "query.too_many_values",
                           "at most {max}%d values", QUERY_MAX_IN);
        qf->vals = arena_zalloc(a, sizeof(*qf->vals) * (size_t)cnt);
        if (!qf->vals)
            return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
        const char *s = val;
        for (int i = 0; i < cnt; i++) {
            const char *c = strchr(s, ',');
            size_t n = c ? (size_t)(c - s) : strlen(s);
            if (res_val_from_text(a, f, s, n, &qf->vals[i], &why))
                return err_set_item(e, ERR_BAD_QUERY, fname, &why);
            if (qf->vals[i].null)
                return err_set(e, ERR_BAD_QUERY, fname, "query.empty_in_list",
                               "empty value in the list");
            s = c ? c + 1 : s + n;
        }
        qf->nvals = cnt;
    } else {
        qf->vals = arena_zalloc(a, sizeof(*qf->vals));
        if (!qf->vals)
            return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
        if (op == Q_CONTAINS || op == Q_PREFIX) {
            qf->vals[0].s = arena_strdup(a, val);
            qf->vals[0].n = strlen(val);
            qf->vals[0].set = 1;
            if (utf8_count(val, strlen(val)) > 200 || strlen(val) > 800)
                return err_set(e, ERR_BAD_QUERY, fname, "query.search_too_long",
                               "search text too long");
        } else if (res_val_from_text(a, f, val, strlen(val), &qf->vals[0], &why)) {
            return err_set_item(e, ERR_BAD_QUERY, fname, &why);
        }
        if (qf->vals[0].null && (op == Q_EQ || op == Q_NE)) {
            /* field= (empty) means "is null", field[ne]= means "is not null" */
            qf->vals[0].i = op == Q_EQ;
            qf->op = Q_NULL;
        } else if (qf->vals[0].null) {
            return err_set(e, ERR_BAD_QUERY, fname, "query.needs_value", "needs a value");
        }
        qf->nvals = 1;
    }
    q->nfilters++;
    return 0;
}

int query_param(struct arena *a, struct query *q, const char *key, const char *val,
                struct err *e)
{
    if (!val)
        val = "";
    if (!strcmp(key, "limit"))
        return parse_limit(q, val, e);
    if (!strcmp(key, "sort"))
        return parse_sort(q, val, e);
    if (!strcmp(key, "after"))
        return *val ? parse_cursor(a, q, val, e) : 0;
    if (!strcmp(key, "count")) {
        if (strcmp(val, "exact"))
            return err_set(e, ERR_BAD_QUERY, "count", "query.count",
                           "count takes exact (how many rows match)");
        q->count = 1;
        return 0;
    }
    if (!strcmp(key, "q")) {
        if (utf8_count(val, strlen(val)) > 200 || strlen(val) > 800)
            return err_set(e, ERR_BAD_QUERY, "q", "query.search_too_long", "search text too long");
        q->q = *val ? arena_strdup(a, val) : NULL;
        return 0;
    }
    return parse_filter(a, q, key, val, e);
}

/* s is at most 800 bytes (query_param): escaped it fits tmp whole */
static void like_escape_bind(struct db_stmt *st, int idx, const char *s, size_t n, int prefix)
{
    char tmp[1024 + 800];
    size_t j = 0;
    if (!prefix)
        tmp[j++] = '%';
    for (size_t i = 0; i < n && j + 4 < sizeof(tmp); i++) {
        if (s[i] == '%' || s[i] == '_' || s[i] == '\\')
            tmp[j++] = '\\';
        tmp[j++] = s[i];
    }
    tmp[j++] = '%';
    db_bind_text(st, idx, tmp, j);
}

static void build_sql(const struct query *q, const struct db_dialect_sql *d, int tenant_scoped,
                      int count, struct buf *sql)
{
    const struct res_entity *ent = q->ent;
    const char *sep = " WHERE ";
    buf_printf(sql, "SELECT %s FROM %s", count ? "COUNT(*)" : rec_select_list(ent), ent->name);
    if (tenant_scoped) {
        buf_puts(sql, " WHERE tenant_id = ?");
        sep = " AND ";
    } else if (q->pf.field || q->pf.none) {
        buf_puts(sql, " WHERE 1 = 1");
        sep = " AND ";
    }
    perm_filter_sql(&q->pf, sql);
    /* " COLLATE zh_pinyin" after a collated column compared by order; its
     * equality stays the column's own (the same: ties break by the bytes),
     * so equality lookups keep their unique indexes */
    char coll[48];
    snprintf(coll, sizeof(coll), " COLLATE %s", q->collate ? q->collate : COLLATE_PINYIN);
    for (int i = 0; i < q->nfilters; i++) {
        const struct query_filter *qf = &q->filters[i];
        const char *n = qf->f->name;
        const char *c = res_collated(qf->f) ? coll : "";
        buf_puts(sql, sep);
        sep = " AND ";
        switch (qf->op) {
        case Q_EQ: buf_printf(sql, "%s = ?", n); break;
        case Q_NE: buf_printf(sql, "(%s <> ? OR %s IS NULL)", n, n); break;
        case Q_LT: buf_printf(sql, "%s%s < ?", n, c); break;
        case Q_LTE: buf_printf(sql, "%s%s <= ?", n, c); break;
        case Q_GT: buf_printf(sql, "%s%s > ?", n, c); break;
        case Q_GTE: buf_printf(sql, "%s%s >= ?", n, c); break;
        case Q_IN:
            buf_printf(sql, "%s IN (", n);
            for (int k = 0; k < qf->nvals; k++)
                buf_puts(sql, k ? ", ?" : "?");
            buf_putc(sql, ')');
            break;
        case Q_CONTAINS:
        case Q_PREFIX: buf_printf(sql, "%s %s ? ESCAPE '\\'", n, d->ilike); break;
        case Q_NULL: buf_printf(sql, "%s IS %sNULL", n, qf->vals[0].i ? "" : "NOT "); break;
        }
    }
    if (q->q) {
        int any = 0;
        for (const struct res_field *f = ent->fields; f->name; f++) {
            if (!f->search || f->hidden || hidden_for_caller(q, f))
                continue;
            buf_puts(sql, any ? " OR " : sep);
            if (!any)
                buf_putc(sql, '(');
            buf_printf(sql, "%s %s ? ESCAPE '\\'", f->name, d->ilike);
            any = 1;
        }
        if (any)
            buf_putc(sql, ')');
        else
            buf_printf(sql, "%s1 = 0", sep);
        sep = " AND ";
    }
    if (count)
        return;
    const char *s = q->sort ? q->sort->name : NULL;
    const char *sc = q->sort && res_collated(q->sort) ? coll : "";
    if (q->has_after && !q->export) {
        buf_puts(sql, sep);
        const char *gt = q->desc ? "<" : ">";
        if (!s)
            buf_printf(sql, "id %s ?", gt);
        else if (q->after_null && !q->desc)
            buf_printf(sql, "(%s IS NOT NULL OR id > ?)", s);
        else if (q->after_null)
            buf_printf(sql, "(%s IS NULL AND id < ?)", s);
        /* the same rows as "s > v OR (s = v AND id > i)" (ties of the collation
         * break by the bytes: not above v and not below it is v), written so
         * the index walk starts at v instead of reading every row before it */
        else if (!q->desc)
            buf_printf(sql, "(%s%s >= ? AND (%s%s > ? OR id > ?))", s, sc, s, sc);
        else
            buf_printf(sql, "((%s%s <= ? OR %s IS NULL) AND (%s%s < ? OR %s IS NULL OR id < ?))", s,
                       sc, s, s, sc, s);
    }
    if (s)
        buf_printf(sql, " ORDER BY %s%s %s, id %s", s, sc,
                   q->desc ? "DESC NULLS LAST" : "ASC NULLS FIRST", q->desc ? "DESC" : "ASC");
    else
        buf_printf(sql, " ORDER BY id %s", q->desc ? "DESC" : "ASC");
    if (!q->export)
        buf_printf(sql, " LIMIT %d", q->limit + 1);
}

void query_sql(const struct query *q, const struct db_dialect_sql *d, int tenant_scoped,
               struct buf *sql)
{
    build_sql(q, d, tenant_scoped, 0, sql);
}

void query_count_sql(const struct query *q, const struct db_dialect_sql *d, int tenant_scoped,
                     struct buf *sql)
{
    build_sql(q, d, tenant_scoped, 1, sql);
}

static void bind_all(const struct query *q, struct db_stmt *st, int64_t tenant_id, int count);

void query_bind(const struct query *q, struct db_stmt *st, int64_t tenant_id)
{
    bind_all(q, st, tenant_id, 0);
}

void query_count_bind(const struct query *q, struct db_stmt *st, int64_t tenant_id)
{
    bind_all(q, st, tenant_id, 1);
}

static void bind_all(const struct query *q, struct db_stmt *st, int64_t tenant_id, int count)
{
    int k = 1;
    if (tenant_id)
        db_bind_int(st, k++, tenant_id);
    k = perm_filter_bind(&q->pf, st, k);
    for (int i = 0; i < q->nfilters; i++) {
        const struct query_filter *qf = &q->filters[i];
        switch (qf->op) {
        case Q_NULL: break;
        case Q_CONTAINS:
        case Q_PREFIX:
            like_escape_bind(st, k++, qf->vals[0].s, qf->vals[0].n, qf->op == Q_PREFIX);
            break;
        default:
            for (int v = 0; v < qf->nvals; v++)
                res_val_bind(st, k++, qf->f, &qf->vals[v]);
        }
    }
    if (q->q) {
        for (const struct res_field *f = q->ent->fields; f->name; f++)
            if (f->search && !f->hidden && !hidden_for_caller(q, f))
                like_escape_bind(st, k++, q->q, strlen(q->q), 0);
    }
    if (q->has_after && !q->export && !count) {
        if (q->sort && !q->after_null) {
            res_val_bind(st, k++, q->sort, &q->after_val);
            res_val_bind(st, k++, q->sort, &q->after_val);
        }
        db_bind_int(st, k++, q->after_id);
    }
}
