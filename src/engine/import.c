/* SPDX-License-Identifier: MIT
 * import.c - POST /api/v1/{collection}/import: an all-or-nothing CSV import.
 * Pass 1 parses (libcsv), converts and validates every row without touching
 * the database and reports every problem; only a clean file gets pass 2,
 * which parses again and creates each row in one transaction, rolling all of
 * it back when the database refuses a row. Nothing is ever half-applied.
 *
 * It reads what export.c writes in both forms: a money column headed with its
 * unit ("购置价格（元）") holds yuan ("239,900.00", "0.01"), one headed by the
 * field name or the bare label holds fen; a datetime is RFC 3339 or the
 * tenant's local "2026-01-31 09:30[:00]"; a date "2026-01-31" or "2026/1/31"
 * (how a spreadsheet saves them again).
 */
#include "rest.h"
#include "import.h"
#include "record.h"
#include "validate.h"
#include "value.h"
#include "export.h"
#include "../base/arena.h"
#include "../base/buf.h"
#include "../core/config.h"
#include "../base/base.h"
#include "../core/http.h"
#include "../db/db.h"

#include <csv.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define IMPORT_MAX_ROWS 200000
#define IMPORT_MAX_COLS 256
#define IMPORT_MAX_CELL (64 * 1024)
#define IMPORT_MAX_REPORT 1000
#define SCRATCH_CAP_DEFAULT ((size_t)32 << 20)
#define SCRATCH_RENEW ((size_t)4 << 20) /* start a fresh scratch arena past this */

enum col_kind {
    COL_FIELD,   /* a declared field that takes input */
    COL_IGNORED, /* id, version, created_at, updated_at, read-only fields */
    COL_UNNAMED, /* empty header cell: its cells must stay empty */
};

struct col {
    enum col_kind kind;
    const struct res_field *f;
    int yuan; /* a money column whose heading names the unit: yuan, not fen */
};

struct imp {
    struct req *r;
    const struct res_entity *ent;
    const struct res_field *const *cols; /* res_cols(ent) */
    int ncols;
    int pass; /* 1: check every row; 2: insert */
    int line; /* physical line being parsed, 1-based */
    /* the row being collected: cell bytes (each NUL-terminated) and offsets */
    struct buf cells;
    size_t off[IMPORT_MAX_COLS];
    size_t len[IMPORT_MAX_COLS];
    int ncells;    /* cells kept (at most nmap once the header is known) */
    int nextra;    /* cells beyond the header */
    int extra_set; /* one of those is not empty */
    /* the header */
    int have_header;
    struct col map[IMPORT_MAX_COLS];
    int nmap;
    /* progress */
    int rows; /* data rows so far; the header row is not counted */
    int rejected_rows;
    int nreport; /* entries written to report */
    int nproblems;
    struct buf report; /* {"row":…,"field":…,"message":…} entries, comma-separated */
    int inserted;
    int rc; /* a fatal error stops the parse */
    struct db_conn *c;
    struct arena *scratch; /* per-row memory, renewed as it fills */
    struct res_val *vals;  /* scratch res_cols-sized array, in scratch */
    struct err rowerr;     /* one row's errors */
    struct err valerr;
};

/* ---- small helpers ---- */

static int eq_ci(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && !strncasecmp(s, lit, n);
}

static int eq(const char *s, size_t n, const char *lit)
{
    return lit && strlen(lit) == n && !memcmp(s, lit, n);
}

static void trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*n)--;
    }
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

/* Stops the import with an error about the line being parsed: "line N: "
 * and fmt (err.h's named parameters, besides "line"). */
static int fatal(struct imp *im, int code, const char *field, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int fatal(struct imp *im, int code, const char *field, const char *key, const char *fmt, ...)
{
    if (im->rc)
        return im->rc;
    struct err_item it;
    char line[32];
    va_list ap;
    va_start(ap, fmt);
    err_vformat(it.msg, sizeof(it.msg), it.params, sizeof(it.params), fmt, ap);
    va_end(ap);
    snprintf(it.key, sizeof(it.key), "%s", key);
    int n = snprintf(line, sizeof(line), "{\"line\":%d%s", im->line, it.params[0] ? "," : "}");
    /* {"line":N} and the message's own parameters in one object */
    if (strlen(it.params) + (size_t)n < sizeof(it.params)) {
        memmove(it.params + n, it.params + (it.params[0] ? 1 : 0), strlen(it.params) + 1);
        memcpy(it.params, line, (size_t)n);
    }
    char msg[sizeof(it.msg)];
    memcpy(msg, it.msg, sizeof(msg));
    int k = snprintf(it.msg, sizeof(it.msg), "line %d: ", im->line);
    if (k > 0 && (size_t)k < sizeof(it.msg))
        snprintf(it.msg + k, sizeof(it.msg) - (size_t)k, "%.*s",
                 (int)(sizeof(it.msg) - 1 - (size_t)k), msg);
    im->rc = err_set_item(&im->r->err, code, field, &it);
    return im->rc;
}

static int no_space(unsigned char c)
{
    (void)c;
    return 0; /* RFC 4180: spaces belong to the field; do not trim */
}

static void free_arena(void *p)
{
    arena_free(p);
}

static int renew_scratch(struct imp *im)
{
    if (im->scratch && arena_used(im->scratch) < SCRATCH_RENEW)
        return 0;
    const struct config *cfg = im->r->cfg;
    arena_free(im->scratch);
    im->scratch = arena_new(cfg && cfg->arena_cap ? cfg->arena_cap : SCRATCH_CAP_DEFAULT);
    im->vals = arena_alloc(im->scratch, sizeof(*im->vals) * (size_t)im->ncols);
    if (!im->vals)
        return err_set(&im->r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    return 0;
}

/* ---- the report ---- */

static void report(struct imp *im, int row, const char *field, const char *key, const char *params,
                   const char *msg)
{
    im->nproblems++;
    if (im->nreport >= IMPORT_MAX_REPORT)
        return;
    struct buf *b = &im->report;
    buf_printf(b, "%s{\"row\":%d,\"field\":", im->nreport ? "," : "", row);
    buf_json_str(b, field, strlen(field));
    buf_puts(b, ",\"key\":");
    buf_json_str(b, key, strlen(key));
    buf_printf(b, ",\"params\":%s,\"message\":", params[0] ? params : "{}");
    buf_json_str(b, msg, strlen(msg));
    buf_putc(b, '}');
    im->nreport++;
}

/* Reports every item of e for the row (the detail when there is none). */
static void report_err(struct imp *im, int row, const struct err *e)
{
    for (int i = 0; i < e->nitems; i++)
        report(im, row, e->items[i].field, e->items[i].key, e->items[i].params, e->items[i].msg);
    if (!e->nitems)
        report(im, row, "", err_key(e), e->params,
               e->detail[0] ? e->detail : err_info(e->code)->title);
}

/* ---- the header ---- */

/* Finds the column a header names: the field name first, then a zh label or
 * an en label (any case). *out is NULL when nothing matches; ambiguous labels
 * are an error. */
static int header_field(struct imp *im, const char *s, size_t n, const struct res_field **out,
                        int *yuan)
{
    *out = NULL;
    *yuan = 0;
    for (int i = 0; i < im->ncols; i++)
        if (eq(s, n, im->cols[i]->name) && !im->cols[i]->hidden) {
            *out = im->cols[i];
            return 0;
        }
    for (int i = 0; i < im->ncols; i++) {
        const struct res_field *f = im->cols[i];
        int unit = !f->hidden && export_yuan_heading(f, s, n);
        if (f->hidden || !(unit || eq(s, n, f->zh) || (f->en && eq_ci(s, n, f->en))))
            continue;
        *yuan = unit;
        if (*out && *out != f) {
            char q[140];
            err_quote(q, sizeof(q), s, n);
            return fatal(im, ERR_BAD_CSV, q, "import.column_ambiguous",
                         "column '{column}%s' matches more than one field", q);
        }
        *out = f;
    }
    return 0;
}

static int take_header(struct imp *im)
{
    for (int k = 0; k < im->ncells; k++) {
        const char *s = im->cells.p + im->off[k];
        size_t n = im->len[k];
        trim(&s, &n);
        char q[140];
        err_quote(q, sizeof(q), s, n);
        json_t *utf8 = json_stringn(s, n);
        if (!utf8)
            return fatal(im, ERR_BAD_CSV, NULL, "import.header_utf8",
                         "the header is not UTF-8 text; save the file as \"CSV UTF-8\"");
        json_decref(utf8);
        if (n == 0) {
            im->map[k].kind = COL_UNNAMED;
            continue;
        }
        const struct res_field *f;
        int yuan;
        int rc = header_field(im, s, n, &f, &yuan);
        if (rc)
            return rc;
        if (!f) {
            return fatal(im, ERR_BAD_CSV, q, "import.column_unknown", "unknown column '{column}%s'",
                         q);
        }
        int sys = 0;
        for (int i = 0; i < RES_NSYS; i++)
            sys |= im->cols[i] == f;
        im->map[k].f = f;
        im->map[k].yuan = yuan;
        im->map[k].kind = sys || f->readonly ? COL_IGNORED : COL_FIELD;
        for (int j = 0; j < k; j++)
            if (im->map[j].kind != COL_UNNAMED && im->map[j].f == f) {
                return fatal(im, ERR_BAD_CSV, q, "import.column_twice",
                             "column '{column}%s' appears twice", q);
            }
    }
    im->nmap = im->ncells;
    im->have_header = 1;
    return 0;
}

/* ---- one cell to JSON ---- */

/* Characters a spreadsheet reads as the start of a formula (export.c puts an
 * apostrophe before them in text cells). */
static int formula_start(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

static const char *enum_value(const struct res_field *f, const char *s, size_t n)
{
    for (const struct res_enum *e = f->values; e && e->value; e++)
        if (eq(s, n, e->value))
            return e->value;
    for (const struct res_enum *e = f->values; e && e->value; e++)
        if (eq(s, n, e->zh) || (e->en && eq_ci(s, n, e->en)))
            return e->value;
    return NULL;
}

/* Up to max digits at s[*i]: their value, or -1 when there is none. */
static int digits(const char *s, size_t n, size_t *i, int max)
{
    int v = 0, k = 0;
    while (*i < n && k < max && s[*i] >= '0' && s[*i] <= '9')
        v = v * 10 + (s[(*i)++] - '0'), k++;
    return k ? v : -1;
}

/* A local date at the start of s: 2026-01-31, 2026-1-31 or 2026/1/31, as
 * YYYY-MM-DD into out (11 bytes); the bytes read, 0 when it is none. */
static size_t local_date(const char *s, size_t n, char *out)
{
    size_t i = 0;
    int y = digits(s, n, &i, 4);
    if (y < 0 || i != 4 || i >= n || (s[i] != '-' && s[i] != '/'))
        return 0;
    char sep = s[i++];
    int m = digits(s, n, &i, 2);
    if (m < 0 || i >= n || s[i++] != sep)
        return 0;
    int d = digits(s, n, &i, 2);
    if (d < 0 || m > 12 || d > 31)
        return 0;
    const int part[3] = {y, m, d}, width[3] = {4, 2, 2};
    for (int k = 0, o = 0; k < 3; o += width[k++] + 1) {
        for (int w = width[k] - 1, v = part[k]; w >= 0; w--, v /= 10)
            out[o + w] = (char)('0' + v % 10);
        out[o + width[k]] = k < 2 ? '-' : 0;
    }
    return i;
}

/* A date cell as YYYY-MM-DD (out, 11 bytes): 1, or 0 when it is not one of
 * local_date's forms (left to the field's own check). */
static int date_cell(const char *s, size_t n, char *out)
{
    return n && local_date(s, n, out) == n;
}

/* A local date and time, "2026-01-31 09:30[:00]" (or with / or T), at the
 * tenant's offset: as RFC 3339 into out (40 bytes); 0 when it is not one. */
static int local_datetime(const char *s, size_t n, int utc_off, char *out)
{
    char ymd[11];
    int64_t days;
    size_t i = local_date(s, n, ymd);
    if (!i || i >= n || (s[i] != ' ' && s[i] != 'T') || date_parse(ymd, 10, &days))
        return 0;
    i++;
    int h = digits(s, n, &i, 2), mi = -1, sec = 0;
    if (h >= 0 && i < n && s[i] == ':') {
        i++;
        mi = digits(s, n, &i, 2);
    }
    if (mi >= 0 && i < n && s[i] == ':') {
        i++;
        sec = digits(s, n, &i, 2);
    }
    if (i != n || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59)
        return 0;
    int64_t t = days * 86400 + h * 3600 + mi * 60 + sec - (int64_t)utc_off * 60;
    time_format_rfc3339(t, utc_off, out, 40);
    return 1;
}

/* Yuan with at most two decimals ("239,900.00", "-12.5", "0.01", "￥12";
 * thousands separated by commas or not) to fen: 0, or -1 with the reason in why. */
static int yuan_to_fen(const char *s, size_t n, int64_t *fen, struct err_item *why)
{
    size_t i = 0;
    int neg = 0, nd = 0, group = -1;
    uint64_t v = 0;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    if (n - i >= 2 && !memcmp(s + i, "¥", 2)) /* a currency format's sign: ¥ or ￥ */
        i += 2;
    else if (n - i >= 3 && !memcmp(s + i, "￥", 3))
        i += 3;
    size_t start = i;
    for (; i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == ','); i++) {
        if (s[i] == ',') { /* 1,234,567: groups of three after the first */
            if (i == start || (group >= 0 && group != 3) || (group < 0 && nd > 3))
                goto bad;
            group = 0;
            continue;
        }
        if (group >= 0 && ++group > 3)
            goto bad;
        nd++;
        v = v * 10 + (uint64_t)(s[i] - '0');
        if (v > 90000000000000ull) /* 9e13 yuan: far beyond any bound, within int64 fen */
            return err_item_set(why, "field.too_large", "is too large");
    }
    if (!nd || (group >= 0 && group != 3))
        goto bad;
    v *= 100;
    if (i < n && s[i] == '.') {
        i++;
        int d1 = digits(s, n, &i, 1);
        int d2 = d1 >= 0 ? digits(s, n, &i, 1) : -1;
        if (d1 < 0)
            goto bad;
        v += (uint64_t)(d1 * 10 + (d2 > 0 ? d2 : 0));
        while (i < n && s[i] == '0') /* 12.500 */
            i++;
    }
    if (i != n)
        goto bad;
    *fen = neg ? -(int64_t)v : (int64_t)v;
    return 0;
bad:
    return err_item_set(why, "field.yuan",
                        "must be an amount in yuan with at most two decimals, e.g. 1234.50");
}

/* Converts a non-empty cell for f: 1 with a new JSON value in *out, 0 when
 * the cell holds only spaces (absent, like an empty cell), -1 with a message
 * (lower case) in msg. */
static int cell_json(struct imp *im, const struct col *col, const char *s, size_t n,
                     json_t **out, struct err_item *why)
{
    const struct res_field *f = col->f;
    struct res_val v;
    json_error_t je;
    char t[40];
    *out = NULL;
    if (f->type == RES_TEXT) {
        size_t k = 0;
        while (k < n && s[k] == '\'')
            k++;
        if (k && k < n && formula_start(s[k])) {
            s++;
            n--;
        }
    } else if (f->type != RES_JSON) {
        trim(&s, &n);
        if (n == 0)
            return 0;
    }
    if (f->type == RES_BOOL) {
        if (eq_ci(s, n, "true") || eq(s, n, "1") || eq(s, n, "是"))
            s = "true";
        else if (eq_ci(s, n, "false") || eq(s, n, "0") || eq(s, n, "否"))
            s = "false";
        else
            return err_item_set(why, "field.bool", "must be true or false (是/否, 1/0)");
        n = strlen(s);
    } else if (f->type == RES_ENUM) {
        const char *e = enum_value(f, s, n);
        if (e) {
            s = e;
            n = strlen(e);
        }
    } else if (f->type == RES_MONEY && col->yuan) {
        int64_t fen = 0;
        if (yuan_to_fen(s, n, &fen, why))
            return -1;
        n = (size_t)snprintf(t, sizeof(t), "%lld", (long long)fen);
        s = t; /* checked against the field's bounds below, as fen */
    } else if (f->type == RES_DATE && date_cell(s, n, t)) {
        s = t;
        n = 10;
    } else if (f->type == RES_DATETIME && local_datetime(s, n, im->r->utc_offset_min, t)) {
        s = t;
        n = strlen(t);
    }
    if (res_val_from_text(im->scratch, f, s, n, &v, why))
        return -1;
    if (v.null)
        return 0;
    switch (f->type) {
    case RES_INT:
    case RES_MONEY:
    case RES_REF:
        *out = json_integer(v.i);
        break;
    case RES_BOOL:
        *out = json_boolean(v.i);
        break;
    case RES_DECIMAL: {
        int64_t p = 1;
        for (int k = 0; k < f->scale; k++)
            p *= 10;
        /* whole values stay exact as integers; validation reads a real back
         * exactly for the scales we use (see res_val_from_json) */
        *out = v.i % p == 0 ? json_integer(v.i / p) : json_real((double)v.i / (double)p);
        break;
    }
    case RES_JSON:
        *out = json_loadb(s, n, JSON_DECODE_ANY, &je);
        break;
    default:
        *out = json_stringn(s, n);
        break;
    }
    if (*out)
        return 1;
    return err_item_set(why, "import.utf8", "must be UTF-8 text; save the file as \"CSV UTF-8\"");
}

/* ---- one data row ---- */

static int has_item(const struct err *e, const char *field)
{
    for (int i = 0; i < e->nitems; i++)
        if (!strcmp(e->items[i].field, field))
            return 1;
    return 0;
}

/* Builds the row's JSON object; conversion problems go to im->rowerr. */
static json_t *row_json(struct imp *im)
{
    json_t *obj = json_object();
    struct err_item why;
    err_clear(&im->rowerr);
    for (int k = 0; k < im->ncells; k++) {
        const char *s = im->cells.p + im->off[k];
        size_t n = im->len[k];
        if (n == 0)
            continue; /* empty: absent, so defaults apply */
        if (im->map[k].kind == COL_UNNAMED)
            err_field(&im->rowerr, "", "import.no_header", "cell {cell}%d has no column header",
                      k + 1);
        if (im->map[k].kind != COL_FIELD)
            continue;
        const struct res_field *f = im->map[k].f;
        json_t *j;
        int got = cell_json(im, &im->map[k], s, n, &j, &why);
        if (got > 0)
            json_object_set_new_nocheck(obj, f->name, j);
        else if (got < 0)
            err_add(&im->rowerr, f->name, &why);
    }
    if (im->extra_set)
        err_field(&im->rowerr, "", "import.extra_cells",
                  "has {cells}%d cells; the header has {header}%d", im->nmap + im->nextra,
                  im->nmap);
    return obj;
}

/* Errors a row causes (as opposed to the database or the server failing). */
static int row_fault(int code)
{
    return (code >= 200 && code < 300) || code == ERR_UNIQUE || code == ERR_REFERENCED ||
           code == ERR_CONFLICT || code == ERR_CONFLICT_VERSION || code == ERR_RULE ||
           code == ERR_NOT_FOUND;
}

/* Pass 1: collects the row's conversion and validation errors. */
static void check_row(struct imp *im, json_t *obj, int row)
{
    int bad = im->rowerr.nitems;
    err_clear(&im->valerr);
    if (res_validate(im->scratch, im->ent, obj, RES_CREATE, im->vals, &im->valerr)) {
        /* a cell that failed conversion is absent: skip the follow-on "is required" */
        for (int i = 0; i < im->valerr.nitems; i++) {
            struct err_item *it = &im->valerr.items[i];
            if (has_item(&im->rowerr, it->field))
                continue;
            err_add(&im->rowerr, NULL, it);
        }
        if (!im->valerr.nitems && !bad)
            err_field(&im->rowerr, "", err_key(&im->valerr), "%s", im->valerr.detail);
    }
    if (im->rowerr.nitems) {
        im->rejected_rows++;
        report_err(im, row, &im->rowerr);
    }
}

/* Pass 2: creates the row inside the open transaction; a refusal the row
 * caused stops the pass with -ERR_IMPORT_REJECTED, anything else with its
 * own error. */
static void insert_row(struct imp *im, json_t *obj, int row)
{
    struct req *r = im->r;
    struct arena *keep = r->a;
    int64_t id;
    err_clear(&im->valerr);
    /* rec_create allocates from r->a: give it the scratch arena so memory
     * stays bounded however many rows the file has */
    r->a = im->scratch;
    int rc = rec_create(r, im->c, im->ent, obj, &id, &im->valerr);
    r->a = keep;
    if (!rc) {
        im->inserted++;
        return;
    }
    int code = im->valerr.code ? im->valerr.code : -rc;
    if (!row_fault(code)) {
        im->rc = rc;
        r->err = im->valerr;
        return;
    }
    im->rejected_rows++;
    report_err(im, row, &im->valerr);
    im->rc = -ERR_IMPORT_REJECTED; /* stop: the caller rolls the transaction back */
}

static void take_row(struct imp *im)
{
    if (im->rc)
        return;
    int blank = !im->extra_set;
    for (int k = 0; k < im->ncells && blank; k++)
        blank = im->len[k] == 0;
    if (blank)
        return; /* rows of empty cells (spreadsheets leave them) are skipped */
    if (!im->have_header) {
        take_header(im);
        return;
    }
    /* rows are numbered from 1 after the header, as a spreadsheet user counts
     * data rows; blank rows are not counted */
    int row = ++im->rows;
    if (row > IMPORT_MAX_ROWS) {
        fatal(im, ERR_BAD_CSV, NULL, "import.too_many_rows",
              "a file may hold at most {max}%d rows; split it", 200000);
        return;
    }
    if (renew_scratch(im)) {
        im->rc = -ERR_BUDGET;
        return;
    }
    json_t *obj = row_json(im);
    if (im->pass == 1)
        check_row(im, obj, row);
    else
        insert_row(im, obj, row);
    json_decref(obj);
    if (!im->rc && (arena_over(im->scratch) || !buf_ok(&im->report)))
        im->rc = err_set(&im->r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
}

/* ---- libcsv callbacks ---- */

static void on_cell(void *s, size_t n, void *data)
{
    struct imp *im = data;
    if (im->rc)
        return;
    if (n > IMPORT_MAX_CELL) {
        fatal(im, ERR_BAD_CSV, NULL, "import.cell_too_long", "a cell is longer than {max}%d bytes",
              65536);
        return;
    }
    int limit = im->have_header ? im->nmap : IMPORT_MAX_COLS;
    if (im->ncells >= limit) {
        if (!im->have_header) {
            fatal(im, ERR_BAD_CSV, NULL, "import.too_many_columns",
                  "the header has more than {max}%d columns", 256);
            return;
        }
        im->nextra++;
        im->extra_set |= n > 0;
        return;
    }
    im->off[im->ncells] = im->cells.len;
    im->len[im->ncells] = n;
    buf_append(&im->cells, s ? s : "", n);
    buf_putc(&im->cells, 0);
    im->ncells++;
}

static void on_row(int c, void *data)
{
    struct imp *im = data;
    (void)c;
    if (!buf_ok(&im->cells) && !im->rc)
        im->rc = err_set(&im->r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    take_row(im);
    buf_truncate(&im->cells, 0);
    im->ncells = im->nextra = im->extra_set = 0;
}

/* Runs one pass over the body. Feeds libcsv a physical line at a time so
 * errors can name the line. */
static int parse(struct imp *im, const char *p, size_t n)
{
    struct csv_parser cp;
    if (csv_init(&cp, CSV_STRICT | CSV_APPEND_NULL | CSV_STRICT_FINI))
        return err_set(&im->r->err, ERR_INTERNAL, NULL, NULL, "cannot start the CSV parser");
    csv_set_space_func(&cp, no_space);
    im->line = 0;
    im->rows = 0;
    im->have_header = 0;
    im->ncells = im->nextra = im->extra_set = 0;
    buf_truncate(&im->cells, 0);
    size_t at = 0;
    while (at < n && !im->rc) {
        const char *nl = memchr(p + at, '\n', n - at);
        size_t len = nl ? (size_t)(nl - (p + at)) + 1 : n - at;
        im->line++;
        if (csv_parse(&cp, p + at, len, on_cell, on_row, im) != len && !im->rc) {
            int ce = csv_error(&cp);
            if (ce == CSV_EPARSE)
                fatal(im, ERR_BAD_CSV, NULL, "import.quote",
                      "a quote inside an unquoted cell, or text after a closing quote (double "
                      "quotes inside quoted cells)");
            else
                fatal(im, ERR_BUDGET, NULL, "request.budget",
                      "the CSV needs more memory than allowed");
        }
        at += len;
    }
    if (!im->rc && csv_fini(&cp, on_cell, on_row, im) && !im->rc)
        fatal(im, ERR_BAD_CSV, NULL, "import.quote_open", "a quoted cell is not closed");
    csv_free(&cp);
    return im->rc;
}

/* ---- entry point ---- */

static int csv_media_type(struct req *r)
{
    const char *ct = req_header(r, "Content-Type");
    if (!ct)
        goto bad;
    size_t end = strcspn(ct, ";"), n = end;
    const char *s = ct;
    trim(&s, &n);
    if (!eq_ci(s, n, "text/csv") && !eq_ci(s, n, "application/csv"))
        goto bad;
    const char *cs = strcasestr(ct + end, "charset=");
    if (cs) {
        cs += 8;
        if (*cs == '"')
            cs++;
        if (strncasecmp(cs, "utf-8", 5) && strncasecmp(cs, "utf8", 4))
            return err_set(&r->err, ERR_MEDIA_TYPE, NULL, "import.charset",
                           "send the CSV as UTF-8 (in Excel: save as \"CSV UTF-8\")");
    }
    return 0;
bad:
    return err_set(&r->err, ERR_MEDIA_TYPE, NULL, "import.media_type", "send the file as text/csv");
}

static int respond_rejected(struct imp *im)
{
    struct req *r = im->r;
    buf_truncate(&r->problem_extra, 0);
    buf_printf(&r->problem_extra,
               ",\"inserted\":0,\"total\":%d,\"rejected_rows\":%d,"
               "\"rejected\":[",
               im->rows, im->rejected_rows);
    buf_append(&r->problem_extra, im->report.p, im->report.len);
    buf_putc(&r->problem_extra, ']');
    if (im->nproblems > im->nreport) /* "rejected" holds the first IMPORT_MAX_REPORT */
        buf_printf(&r->problem_extra, ",\"rejected_total\":%d", im->nproblems);
    err_clear(&r->err);
    return err_set(&r->err, ERR_IMPORT_REJECTED, NULL, NULL,
                   "{rejected}%d of {rows}%d rows rejected; nothing was imported",
                   im->rejected_rows, im->rows);
}

static int run(struct imp *im)
{
    struct req *r = im->r;
    const char *p = r->body.p ? r->body.p : "";
    size_t n = r->body.len;
    int rc;
    if (n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) {
        p += 3;
        n -= 3;
    }
    im->pass = 1;
    if ((rc = parse(im, p, n)))
        return rc;
    if (!im->have_header || im->rows == 0)
        return err_set(&r->err, ERR_BAD_CSV, NULL, "import.no_rows",
                       "no rows: send a header row and at least one data row");
    if (im->rejected_rows)
        return respond_rejected(im);
    int total = im->rows;
    if ((im->c = req_db(r)) && r->cfg && r->cfg->import_timeout_ms)
        db_set_deadline(im->c, r->t0 + (uint64_t)r->cfg->import_timeout_ms * 1000u);
    if (!im->c)
        return -ERR_DB_UNAVAILABLE;
    if ((rc = db_begin(im->c, &r->err)))
        return rc;
    im->pass = 2;
    rc = parse(im, p, n);
    if (rc) {
        db_rollback(im->c);
        if (rc == -ERR_IMPORT_REJECTED) {
            im->rows = total;
            return respond_rejected(im);
        }
        if (rc == -ERR_TIMEOUT)
            err_set(&r->err, ERR_TIMEOUT, NULL, "import.timeout",
                    "{rows}%d rows took longer than the request time limit; nothing was imported: "
                    "split the file",
                    total);
        return rc;
    }
    if ((rc = db_commit(im->c, &r->err)))
        return rc;
    buf_printf(&r->out, "{\"inserted\":%d,\"rejected\":[]}", im->inserted);
    return resp_json(r, 200);
}

int import_run(struct req *r, const struct res_entity *ent)
{
    int rc = csv_media_type(r);
    if (rc)
        return rc;
    struct imp *im = arena_zalloc(r->a, sizeof(*im));
    if (!im)
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    im->r = r;
    im->ent = ent;
    im->cols = res_cols(ent, &im->ncols);
    buf_init(&im->cells, r->a);
    buf_init(&im->report, r->a);
    if ((rc = renew_scratch(im)))
        goto out;
    rc = run(im);
out:
    /* deferred so an error path can never leak it */
    arena_defer(r->a, free_arena, im->scratch);
    return rc;
}
