/* SPDX-License-Identifier: MIT
 * export.c - GET /api/v1/{collection}.csv and .xlsx: every row a list query
 * selects (no paging), as RFC 4180 CSV (UTF-8 with BOM, CRLF, guarded
 * against spreadsheet formulas) or as an XLSX workbook via libxlsxwriter.
 * The body is built in an arena of its own (config export_cap); it does not
 * stream over the socket, so a row cap keeps one export bounded.
 *
 * Two forms of the values. A file a person opens (every XLSX; CSV with
 * header=zh or en, what the web UI's buttons ask for) has money in yuan with
 * two decimals under a heading that says so ("购置价格（元）"), and dates and
 * times in the tenant's local time: XLSX date cells (yyyy-mm-dd, yyyy-mm-dd
 * hh:mm), CSV "2026-01-31" and "2026-01-31 09:30:00". CSV with field names
 * (header=names, the default) is the machine form and keeps the API's values:
 * fen and RFC 3339. Import reads both back (import.c).
 */
#include "perm.h"
#include "export.h"
#include "rest.h"
#include "value.h"
#include "../base/arena.h"
#include "../base/buf.h"
#include "../core/config.h"
#include "../base/base.h"
#include "../core/http.h"
#include "../core/tenant.h"
#include "../db/db.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define EXPORT_MAX_ROWS 1000000
#define EXPORT_CAP_DEFAULT ((size_t)256 << 20)
#define XLSX_STR_MAX 32767 /* Excel's limit for one cell */
#define XLSX_MAX_SCALE 9
#define YUAN_ZH "（元）" /* what a money column's heading adds, when the label lacks it */
#define YUAN_EN " (yuan)"
#define EXCEL_1970 25569 /* 1970-01-01 as an Excel date serial (days from 1899-12-30) */

enum header_kind { HDR_NAMES, HDR_ZH, HDR_EN };

struct plan {
    const struct res_field *cols[1024]; /* output columns */
    int idx[1024];                      /* their column in the statement */
    unsigned char masked[1024];         /* shown masked to the caller (PERM_MASKED) */
    int n;
    enum header_kind hdr;
    int person; /* money in yuan, local dates and times (see the top) */
};

static const char *label(const struct res_field *f, enum header_kind h)
{
    if (h == HDR_ZH && f->zh)
        return f->zh;
    if (h == HDR_EN && f->en)
        return f->en;
    return f->name;
}

/* A label that already names the unit. */
static int has_unit(const char *l, size_t n, int zh)
{
    if (zh)
        return memmem(l, n, "元", strlen("元")) != NULL;
    for (size_t i = 0; i + 4 <= n; i++)
        if (!strncasecmp(l + i, "yuan", 4))
            return 1;
    return 0;
}

/* The heading of column f: the label, and for money in yuan its unit. */
static const char *heading(struct req *r, const struct plan *p, const struct res_field *f)
{
    const char *l = label(f, p->hdr);
    if (f->type != RES_MONEY || !p->person || p->hdr == HDR_NAMES ||
        has_unit(l, strlen(l), p->hdr == HDR_ZH))
        return l;
    const char *h = arena_printf(r->a, "%s%s", l, p->hdr == HDR_ZH ? YUAN_ZH : YUAN_EN);
    return h ? h : l;
}

static int starts(const char *s, size_t n, const char *lit, size_t *rest)
{
    size_t k = lit ? strlen(lit) : 0;
    if (!lit || n < k || memcmp(s, lit, k))
        return 0;
    *rest = k;
    return 1;
}

int export_yuan_heading(const struct res_field *f, const char *s, size_t n)
{
    static const char *const zh_units[] = {YUAN_ZH, "(元)", "（元)", "(元）", NULL};
    size_t k;
    if (f->type != RES_MONEY)
        return 0;
    if (starts(s, n, f->zh, &k)) {
        if (k == n)
            return has_unit(s, n, 1);
        for (const char *const *u = zh_units; *u; u++)
            if (n - k == strlen(*u) && !memcmp(s + k, *u, n - k))
                return 1;
    }
    if (f->en && n >= strlen(f->en) && !strncasecmp(s, f->en, strlen(f->en))) {
        k = strlen(f->en);
        if (k == n)
            return has_unit(s, n, 0);
        const char *u = s + k;
        size_t un = n - k;
        while (un && *u == ' ')
            u++, un--;
        return un == 6 && !strncasecmp(u, "(yuan)", 6);
    }
    return 0;
}

/* id, the declared non-hidden fields, created_at, updated_at */
static int plan_columns(struct req *r, const struct res_entity *ent, struct plan *p, int xlsx)
{
    int n;
    const struct res_field *const *cols = res_cols(ent, &n);
    const char *h = req_query(r, "header");
    if (!h)
        p->hdr = xlsx ? HDR_ZH : HDR_NAMES;
    else if (!strcmp(h, "names"))
        p->hdr = HDR_NAMES;
    else if (!strcmp(h, "zh"))
        p->hdr = HDR_ZH;
    else if (!strcmp(h, "en"))
        p->hdr = HDR_EN;
    else
        return err_set(&r->err, ERR_BAD_QUERY, "header", "export.header",
                       "must be names, zh or en");
    p->person = xlsx || p->hdr != HDR_NAMES;
    p->n = 0;
    if (n < RES_NSYS || n + 1 > (int)ARRAY_LEN(p->cols))
        return err_set(&r->err, ERR_INTERNAL, NULL, NULL, "%s has too many columns", ent->name);
    const unsigned char *hide = perm_hidden_mask(r, ent); /* the caller's role too */
    p->cols[p->n] = cols[0];
    p->masked[p->n] = 0;
    p->idx[p->n++] = 0;
    for (int i = RES_NSYS; i < n; i++) {
        if (cols[i]->hidden || (hide && hide[i] == PERM_HIDDEN))
            continue;
        p->cols[p->n] = cols[i];
        p->masked[p->n] = hide && hide[i] == PERM_MASKED;
        p->idx[p->n++] = i;
    }
    for (int i = 2; i <= 3; i++) { /* created_at, updated_at */
        p->cols[p->n] = cols[i];
        p->masked[p->n] = 0;
        p->idx[p->n++] = i;
    }
    return 0;
}


static void free_arena(void *p)
{
    arena_free(p);
}

/* The export body gets an arena of its own, sized by export_cap rather than
 * the per-request cap; it is released with the request. */
static void use_export_arena(struct req *r)
{
    size_t cap = r->cfg && r->cfg->export_cap ? r->cfg->export_cap : EXPORT_CAP_DEFAULT;
    struct arena *xa = arena_new(cap);
    arena_defer(r->a, free_arena, xa);
    buf_init(&r->out, xa);
}

static void set_download(struct req *r, const char *name, const char *ext, const char *ctype)
{
    char day[16], ymd[9];
    int64_t t = clock_now() + (int64_t)r->utc_offset_min * 60;
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    date_format(days, day, sizeof(day));
    /* YYYY-MM-DD -> YYYYMMDD */
    memcpy(ymd, day, 4);
    memcpy(ymd + 4, day + 5, 2);
    memcpy(ymd + 6, day + 8, 2);
    ymd[8] = 0;
    r->status = 200;
    r->ctype = ctype;
    resp_header(r, "Content-Disposition",
                arena_printf(r->a, "attachment; filename=\"%s-%s.%s\"", name, ymd, ext));
}

static int too_many(struct req *r)
{
    return err_set(&r->err, ERR_BAD_QUERY, NULL, "export.too_many_rows",
                   "narrow the filter: more than {max}%d rows", EXPORT_MAX_ROWS);
}

static int budget(struct req *r)
{
    return err_set(&r->err, ERR_BUDGET, NULL, NULL, "the export needs more memory than allowed");
}

/* Prepares the list query of q and binds it. */
static int open_query(struct req *r, const struct res_entity *ent, struct query *q,
                      struct db_stmt **st)
{
    struct buf sql;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    q->collate = tenant_collation(c, r->tenant_id);
    buf_init(&sql, r->a);
    query_sql(q, db_sql(r->db), !ent->global, &sql);
    if (!buf_ok(&sql))
        return budget(r);
    int rc = db_prepare(c, sql.p, st, &r->err);
    if (rc)
        return rc;
    query_bind(q, *st, ent->global ? 0 : r->tenant_id);
    return 0;
}

/* ---- CSV ---- */

/* Characters a spreadsheet reads as the start of a formula. */
static int formula_start(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* One CSV field: quoted when it holds a comma, quote, CR or LF; a text value
 * that a spreadsheet would run as a formula gets a leading apostrophe. Text
 * that already starts with apostrophes before such a character gets one more,
 * so import (which removes one) restores every value exactly. */
static void csv_field(struct buf *out, int text, const char *s, size_t n)
{
    if (!s)
        n = 0, s = "";
    int guard = 0, quote = 0;
    if (text) {
        size_t k = 0;
        while (k < n && s[k] == '\'')
            k++;
        guard = k < n && formula_start(s[k]);
    }
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (!quote) {
        if (guard)
            buf_putc(out, '\'');
        buf_append(out, s, n);
        return;
    }
    buf_putc(out, '"');
    if (guard)
        buf_putc(out, '\'');
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '"')
            continue;
        buf_append(out, s + from, i + 1 - from);
        buf_putc(out, '"');
        from = i + 1;
    }
    buf_append(out, s + from, n - from);
    buf_putc(out, '"');
}

void export_csv_field(struct buf *out, const char *s)
{
    csv_field(out, 1, s, s ? strlen(s) : 0);
}

/* A cell of a file a person opens: yuan, local "YYYY-MM-DD HH:MM:SS". */
static void person_text(struct buf *b, const struct res_field *f, struct db_stmt *st, int i,
                        int utc_off)
{
    if (db_col_is_null(st, i))
        return;
    if (f->type == RES_MONEY) {
        buf_decimal(b, db_col_int(st, i), 2);
    } else if (f->type == RES_DATETIME) {
        char t[40];
        time_format_rfc3339(db_col_int(st, i), utc_off, t, sizeof(t));
        t[10] = ' ';
        t[19] = 0; /* 2026-01-31T09:30:00+08:00 -> 2026-01-31 09:30:00 */
        buf_puts(b, t);
    } else {
        res_col_text(b, f, st, i, utc_off);
    }
}

/* The text of output column k: masked where the caller sees it masked; for a
 * person, yuan and local times. */
static void cell_text(struct req *r, const struct plan *p, int k, struct db_stmt *st,
                      struct buf *cell)
{
    if (p->masked[k])
        res_col_masked(cell, p->cols[k], st, p->idx[k], 0);
    else if (p->person)
        person_text(cell, p->cols[k], st, p->idx[k], r->utc_offset_min);
    else
        res_col_text(cell, p->cols[k], st, p->idx[k], r->utc_offset_min);
}

static int export_csv(struct req *r, const struct res_entity *ent, struct query *q,
                      const struct plan *p)
{
    struct buf *out = &r->out;
    struct buf cell;
    struct db_stmt *st;
    int rc, rows = 0;
    buf_init(&cell, r->a);
    buf_append(out, "\xEF\xBB\xBF", 3);
    for (int k = 0; k < p->n; k++) {
        const char *l = heading(r, p, p->cols[k]);
        if (k)
            buf_putc(out, ',');
        csv_field(out, 0, l, strlen(l));
    }
    buf_append(out, "\r\n", 2);
    if ((rc = open_query(r, ent, q, &st)))
        return rc;
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        if (++rows > EXPORT_MAX_ROWS) {
            rc = too_many(r);
            break;
        }
        for (int k = 0; k < p->n; k++) {
            if (k)
                buf_putc(out, ',');
            buf_truncate(&cell, 0);
            cell_text(r, p, k, st, &cell);
            csv_field(out, p->cols[k]->type == RES_TEXT, cell.p, cell.len);
        }
        buf_append(out, "\r\n", 2);
        if (!buf_ok(out) || !buf_ok(&cell)) {
            rc = budget(r);
            break;
        }
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    set_download(r, ent->name, "csv", "text/csv; charset=utf-8");
    return 0;
}

/* ---- XLSX ---- */

struct sheet {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *bold;
    lxw_format *dec[XLSX_MAX_SCALE + 1];
    lxw_format *yuan, *date, *datetime;
};

/* Display width in Excel's units: CJK and other wide characters count two. */
static double text_width(const char *s)
{
    double w = 0;
    for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
        if (*u < 0x80)
            w += 1;
        else if ((*u & 0xc0) == 0xc0)
            w += 2;
    }
    return w;
}

static double column_width(const struct res_field *f, const char *head)
{
    double w;
    switch (f->type) {
    case RES_TEXT: {
        int m = f->max_len ? f->max_len : 200;
        w = m * 0.6 < 10 ? 10 : m * 0.6 > 36 ? 36 : m * 0.6;
        break;
    }
    case RES_DATE:
        w = 12;
        break;
    case RES_DATETIME:
        w = 17;
        break;
    case RES_MONEY:
        w = 15;
        break;
    case RES_BOOL:
        w = 8;
        break;
    case RES_ENUM:
        w = 14;
        break;
    case RES_JSON:
        w = 40;
        break;
    default:
        w = 12;
        break;
    }
    double h = text_width(head) * 1.1 + 2;
    if (h > w)
        w = h;
    return w > 60 ? 60 : w;
}

static const char *sheet_name(struct sheet *sh, const struct res_entity *ent, enum header_kind h)
{
    const char *want = h == HDR_EN && ent->en ? ent->en : ent->zh ? ent->zh : ent->name;
    if (workbook_validate_sheet_name(sh->wb, want) == LXW_NO_ERROR)
        return want;
    if (workbook_validate_sheet_name(sh->wb, ent->name) == LXW_NO_ERROR)
        return ent->name;
    return "Sheet1";
}

static lxw_format *decimal_format(struct sheet *sh, int scale)
{
    if (scale < 0)
        scale = 0;
    if (scale > XLSX_MAX_SCALE)
        scale = XLSX_MAX_SCALE;
    if (!sh->dec[scale]) {
        char fmt[16] = "0";
        if (scale) {
            fmt[1] = '.';
            memset(fmt + 2, '0', (size_t)scale);
            fmt[2 + scale] = 0;
        }
        sh->dec[scale] = workbook_add_format(sh->wb);
        format_set_num_format(sh->dec[scale], fmt);
    }
    return sh->dec[scale];
}

/* Text for Excel: at most XLSX_STR_MAX bytes, cut on a character boundary. */
static const char *xlsx_text(struct buf *cell)
{
    if (cell->len > XLSX_STR_MAX) {
        size_t n = XLSX_STR_MAX;
        while (n > 0 && ((unsigned char)cell->p[n] & 0xc0) == 0x80)
            n--;
        buf_truncate(cell, n);
    }
    return buf_cstr(cell);
}

static lxw_error xlsx_cell(struct sheet *sh, struct req *r, const struct plan *p, int k,
                           struct db_stmt *st, lxw_row_t row, struct buf *cell)
{
    const struct res_field *f = p->cols[k];
    int i = p->idx[k];
    lxw_col_t col = (lxw_col_t)k;
    if (db_col_is_null(st, i))
        return LXW_NO_ERROR;
    switch (f->type) {
    case RES_INT:
    case RES_REF:
        return worksheet_write_number(sh->ws, row, col, (double)db_col_int(st, i), NULL);
    case RES_MONEY: /* yuan: fen / 100 is exact to the fen below 2^53 fen */
        return worksheet_write_number(sh->ws, row, col, (double)db_col_int(st, i) / 100.0,
                                      sh->yuan);
    case RES_DATETIME: { /* an Excel serial in local time: days and the day's fraction */
        int64_t t = db_col_int(st, i) + (int64_t)r->utc_offset_min * 60;
        double d = (double)t / 86400.0 + EXCEL_1970;
        if (d < 61) /* before 1900-03-01 Excel's serials are off (its 1900 leap day) */
            break;
        return worksheet_write_number(sh->ws, row, col, d, sh->datetime);
    }
    case RES_DATE: {
        size_t n;
        int64_t days;
        const char *s = db_col_text(st, i, &n);
        if (date_parse(s, n, &days) || days + EXCEL_1970 < 61)
            break;
        return worksheet_write_number(sh->ws, row, col, (double)(days + EXCEL_1970), sh->date);
    }
    case RES_DECIMAL: {
        double d = (double)db_col_int(st, i);
        for (int s = 0; s < f->scale; s++)
            d /= 10;
        return worksheet_write_number(sh->ws, row, col, d, decimal_format(sh, f->scale));
    }
    case RES_BOOL: {
        int v = db_col_int(st, i) != 0;
        const char *t = p->hdr == HDR_ZH ? (v ? "是" : "否") : (v ? "true" : "false");
        return worksheet_write_string(sh->ws, row, col, t, NULL);
    }
    case RES_ENUM:
        if (p->hdr != HDR_NAMES) {
            size_t n;
            const char *s = db_col_text(st, i, &n);
            for (const struct res_enum *e = f->values; e && e->value; e++) {
                const char *l = p->hdr == HDR_ZH ? e->zh : e->en;
                if (l && strlen(e->value) == n && !memcmp(e->value, s, n))
                    return worksheet_write_string(sh->ws, row, col, l, NULL);
            }
        }
        break;
    default:
        break;
    }
    buf_truncate(cell, 0);
    cell_text(r, p, k, st, cell);
    if (!buf_ok(cell))
        return LXW_ERROR_MEMORY_MALLOC_FAILED;
    return worksheet_write_string(sh->ws, row, col, xlsx_text(cell), NULL);
}

static int xlsx_fail(struct req *r, lxw_error le)
{
    return err_set(&r->err, ERR_INTERNAL, NULL, NULL, "cannot write the spreadsheet: %s",
                   lxw_strerror(le));
}

static int xlsx_rows(struct req *r, const struct res_entity *ent, struct query *q,
                     const struct plan *p, struct sheet *sh)
{
    struct buf cell;
    struct db_stmt *st;
    lxw_error le;
    buf_init(&cell, r->a);
    for (int k = 0; k < p->n; k++) {
        const char *l = heading(r, p, p->cols[k]);
        le = worksheet_set_column(sh->ws, (lxw_col_t)k, (lxw_col_t)k, column_width(p->cols[k], l),
                                  NULL);
        if (le == LXW_NO_ERROR)
            le = worksheet_write_string(sh->ws, 0, (lxw_col_t)k, l, sh->bold);
        if (le != LXW_NO_ERROR)
            return xlsx_fail(r, le);
    }
    worksheet_freeze_panes(sh->ws, 1, 0);
    int rc = open_query(r, ent, q, &st);
    if (rc)
        return rc;
    lxw_row_t row = 0;
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        if (++row > EXPORT_MAX_ROWS) {
            rc = too_many(r);
            break;
        }
        for (int k = 0; k < p->n && rc == DB_ROW; k++) {
            le = xlsx_cell(sh, r, p, k, st, row, &cell);
            if (le == LXW_ERROR_MEMORY_MALLOC_FAILED)
                rc = budget(r);
            else if (le != LXW_NO_ERROR)
                rc = xlsx_fail(r, le);
        }
        if (rc != DB_ROW)
            break;
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* Reads the finished workbook at path into the export arena as the body. */
static int slurp(struct req *r, const char *path)
{
    int rc = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
        rc = err_set(&r->err, ERR_INTERNAL, NULL, NULL, "cannot read the spreadsheet back: %s",
                     strerror(errno));
        goto out;
    }
    size_t n = (size_t)sb.st_size, got = 0;
    char *p = arena_alloc(r->out.a, n + 1);
    if (!p) {
        rc = budget(r);
        goto out;
    }
    while (got < n) {
        ssize_t k = read(fd, p + got, n - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            rc = err_set(&r->err, ERR_INTERNAL, NULL, NULL, "cannot read the spreadsheet back");
            goto out;
        }
        got += (size_t)k;
    }
    r->file = p;
    r->file_len = n;
out:
    if (fd >= 0)
        close(fd);
    return rc;
}

static int export_xlsx(struct req *r, const struct res_entity *ent, struct query *q,
                       const struct plan *p)
{
    struct export_xlsx x;
    struct sheet sh;
    memset(&sh, 0, sizeof(sh));
    int rc = export_xlsx_open(r, &x, 1);
    if (rc)
        return rc;
    sh.wb = x.wb;
    sh.ws = workbook_add_worksheet(sh.wb, sheet_name(&sh, ent, p->hdr));
    sh.bold = workbook_add_format(sh.wb);
    sh.yuan = workbook_add_format(sh.wb);
    sh.date = workbook_add_format(sh.wb);
    sh.datetime = workbook_add_format(sh.wb);
    if (!sh.ws || !sh.bold || !sh.yuan || !sh.date || !sh.datetime)
        rc = err_set(&r->err, ERR_INTERNAL, NULL, NULL, "cannot start the spreadsheet");
    else {
        format_set_bold(sh.bold);
        /* what a Chinese finance office writes: thousands separated, two decimals;
         * dates as GB/T 7408 (ISO 8601) writes them (docs/api.md) */
        format_set_num_format(sh.yuan, "#,##0.00");
        format_set_num_format(sh.date, "yyyy-mm-dd");
        format_set_num_format(sh.datetime, "yyyy-mm-dd hh:mm");
        rc = xlsx_rows(r, ent, q, p, &sh);
    }
    return export_xlsx_close(r, &x, rc, ent->name);
}

int export_run(struct req *r, const struct res_entity *ent, struct query *q, int xlsx)
{
    struct plan *p = arena_alloc(r->a, sizeof(*p));
    if (!p)
        return budget(r);
    int rc = plan_columns(r, ent, p, xlsx);
    if (rc)
        return rc;
    use_export_arena(r);
    rc = xlsx ? export_xlsx(r, ent, q, p) : export_csv(r, ent, q, p);
    if (rc == -ERR_TIMEOUT && xlsx)
        err_set(&r->err, ERR_TIMEOUT, NULL, "export.timeout_xlsx",
                "the export took longer than the request time limit; narrow the filter or "
                "export CSV, which is faster");
    else if (rc == -ERR_TIMEOUT)
        err_set(&r->err, ERR_TIMEOUT, NULL, "export.timeout",
                "the export took longer than the request time limit; narrow the filter");
    return rc;
}

int export_send_file(struct req *r, const char *path, const char *name, const char *ext,
                     const char *ctype)
{
    int rc = slurp(r, path);
    if (!rc)
        set_download(r, name, ext, ctype);
    return rc;
}

int export_xlsx_open(struct req *r, struct export_xlsx *x, int constant_memory)
{
    const char *t = getenv("TMPDIR");
    memset(x, 0, sizeof(*x));
    snprintf(x->dir, sizeof(x->dir), "%s", t && *t && strlen(t) < sizeof(x->dir) - 32 ? t : "/tmp");
    snprintf(x->path, sizeof(x->path), "%s/bureau-xlsx-XXXXXX", x->dir);
    int fd = mkostemp(x->path, O_CLOEXEC);
    if (fd < 0) {
        x->path[0] = 0;
        return err_set(&r->err, ERR_INTERNAL, NULL, NULL, "cannot create a temporary file: %s",
                       strerror(errno));
    }
    close(fd);
    lxw_workbook_options opt = {.constant_memory = (uint8_t)(constant_memory != 0),
                                .tmpdir = x->dir};
    x->wb = workbook_new_opt(x->path, &opt);
    if (!x->wb) {
        unlink(x->path);
        x->path[0] = 0;
        return err_set(&r->err, ERR_INTERNAL, NULL, NULL, "cannot start the spreadsheet");
    }
    return 0;
}

int export_xlsx_close(struct req *r, struct export_xlsx *x, int rc, const char *name)
{
    if (x->wb) { /* close always: it frees the workbook; the file only matters on success */
        lxw_error le = workbook_close(x->wb);
        x->wb = NULL;
        if (!rc && le != LXW_NO_ERROR)
            rc = xlsx_fail(r, le);
    }
    if (!rc && x->path[0])
        rc = export_send_file(r, x->path, name, "xlsx",
                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    if (x->path[0])
        unlink(x->path);
    return rc;
}
