/* SPDX-License-Identifier: MIT
 * ddl.c - CREATE TABLE / CREATE INDEX / ALTER TABLE from descriptors.
 *
 * Every tenant-scoped table has tenant_id; unique sets and indexes lead with
 * it. On PostgreSQL (composite_keys) keys and foreign keys are (tenant_id,
 * id) so tables can be sharded by tenant; on SQLite the rowid is the key and
 * references point at it. Identifiers come only from descriptors.
 *
 * Text a person reads (res_collated) is indexed in the orders its lists sort
 * in (collate.h): by pinyin (COLLATE zh_pinyin) and by strokes (zh_stroke, an
 * index named …_stroke), from schema version DDL_COLLATE_SINCE on: that
 * version creates the collations (PostgreSQL) and builds the indexes made
 * before it again in both.
 */
#include "ddl.h"
#include "../base/buf.h"
#include "../db/collate.h"
#include "../db/db.h"

#include <string.h>

#define DDL_COLLATE_SINCE 4

static void index_name(struct buf *b, const char *prefix, const char *table, const char *cols);

static int since_of(int v)
{
    return v ? v : 1;
}

/* One indexed column: a collated text field gets the collation coll (NULL:
 * none, before DDL_COLLATE_SINCE). */
static void index_column(struct buf *b, const struct res_entity *ent, const char *name, size_t n,
                         const char *coll)
{
    const struct res_field *f = res_field_find(ent, name, n);
    buf_append(b, name, n);
    if (f && res_collated(f) && coll)
        buf_printf(b, " COLLATE %s", coll);
}

/* The collations indexes of collated text are made in at version: both
 * orders a tenant may choose, each index once per collation (the stroke
 * one's name ends in _stroke); none before DDL_COLLATE_SINCE. */
static const char *index_collation(int version, int k)
{
    if (version < DDL_COLLATE_SINCE)
        return k ? NULL : "";
    return k == 0 ? COLLATE_PINYIN : k == 1 ? COLLATE_STROKE : NULL;
}

/* An index of ent's "a,b" list (indexes[] or uniques[]) */
static void list_index_in(struct buf *b, const struct res_entity *ent, const char *cols,
                          const struct db_dialect_sql *d, int unique, const char *coll)
{
    buf_puts(b, unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
    index_name(b, unique ? "uq" : "ix", ent->name, cols);
    if (coll && !strcmp(coll, COLLATE_STROKE))
        buf_puts(b, "_stroke");
    buf_printf(b, " ON %s (%s", ent->name, ent->global ? "" : "tenant_id, ");
    for (const char *c = cols; *c;) {
        size_t n = strcspn(c, ",");
        if (unique) {
            buf_append(b, c, n);
        } else {
            index_column(b, ent, c, n, coll && *coll ? coll : NULL);
            /* PostgreSQL: NULLs first, as the list queries sort them (query.c) */
            if (d->composite_keys)
                buf_puts(b, " NULLS FIRST");
        }
        c += n;
        if (*c == ',') {
            buf_puts(b, ", ");
            c++;
        }
    }
    buf_puts(b, !unique && d->composite_keys ? ", id);\n" : ");\n");
}

static int list_collated(const struct res_entity *ent, const char *cols);

static void list_index(struct buf *b, const struct res_entity *ent, const char *cols,
                       const struct db_dialect_sql *d, int unique, int version)
{
    const char *coll;
    if (unique || !list_collated(ent, cols)) {
        list_index_in(b, ent, cols, d, unique, NULL);
        return;
    }
    for (int k = 0; (coll = index_collation(version, k)); k++)
        list_index_in(b, ent, cols, d, 0, coll);
}

static int list_collated(const struct res_entity *ent, const char *cols)
{
    for (const char *c = cols; *c;) {
        size_t n = strcspn(c, ",");
        const struct res_field *f = res_field_find(ent, c, n);
        if (f && res_collated(f))
            return 1;
        c += n + (c[n] == ',');
    }
    return 0;
}

const char *ddl_type(const struct res_field *f, const struct db_dialect_sql *d)
{
    switch (f->type) {
    case RES_TEXT:
    case RES_ENUM: return d->t_text;
    case RES_BOOL: return d->t_bool;
    case RES_DATE: return d->t_date;
    case RES_JSON: return d->t_json;
    default: return d->t_int;
    }
}

static void default_literal(struct buf *b, const struct res_field *f)
{
    if (!f->dflt)
        return;
    buf_puts(b, " DEFAULT ");
    switch (f->type) {
    case RES_BOOL: buf_puts(b, !strcmp(f->dflt, "true") ? "1" : "0"); break;
    case RES_INT:
    case RES_MONEY: buf_puts(b, f->dflt); break;
    case RES_DECIMAL: {
        /* the default is written as a decimal; store it scaled */
        const char *s = f->dflt;
        long long whole = 0, frac = 0;
        int digits = 0, neg = *s == '-';
        if (neg)
            s++;
        for (; *s >= '0' && *s <= '9'; s++)
            whole = whole * 10 + (*s - '0');
        if (*s == '.')
            for (s++; *s >= '0' && *s <= '9' && digits < f->scale; s++, digits++)
                frac = frac * 10 + (*s - '0');
        for (; digits < f->scale; digits++)
            frac *= 10;
        long long mul = 1;
        for (int i = 0; i < f->scale; i++)
            mul *= 10;
        buf_printf(b, "%lld", (neg ? -1 : 1) * (whole * mul + frac));
        break;
    }
    default:
        buf_putc(b, '\'');
        for (const char *s = f->dflt; *s; s++) {
            if (*s == '\'')
                buf_putc(b, '\'');
            buf_putc(b, *s);
        }
        buf_putc(b, '\'');
    }
}

static void column(struct buf *b, const struct res_entity *ent, const struct res_field *f,
                   const struct db_dialect_sql *d, int in_create)
{
    buf_printf(b, "%s %s", f->name, ddl_type(f, d));
    if (f->required && (in_create || f->dflt))
        buf_puts(b, " NOT NULL");
    default_literal(b, f);
    if (f->type == RES_BOOL)
        buf_printf(b, " CHECK (%s IN (0, 1))", f->name);
    if (f->type == RES_REF && !d->composite_keys)
        buf_printf(b, " REFERENCES %s (id)", f->ref);
    (void)ent;
}

static void index_name(struct buf *b, const char *prefix, const char *table, const char *cols)
{
    buf_printf(b, "%s_%s_", prefix, table);
    for (const char *s = cols; *s; s++)
        buf_putc(b, *s == ',' ? '_' : *s);
}

/* Whether field_indexes gives f an index of its own (not a unique one). */
static int plain_index(const struct res_field *f)
{
    return !f->unique && !f->noindex &&
           ((f->filter && f->type != RES_BOOL) || f->sort || f->type == RES_REF);
}

static void field_indexes(struct buf *b, const struct res_entity *ent, const struct res_field *f,
                          const struct db_dialect_sql *d, int version)
{
    const char *lead = ent->global ? "" : "tenant_id, ";
    if (f->unique) {
        buf_puts(b, "CREATE UNIQUE INDEX ");
        index_name(b, "uq", ent->name, f->name);
        buf_printf(b, " ON %s (%s%s);\n", ent->name, lead, f->name);
    } else if (plain_index(f)) {
        /* two-valued fields make poor indexes: they are filtered by scanning */
        const char *coll;
        for (int k = 0; (coll = res_collated(f) ? index_collation(version, k) : k ? NULL : "");
             k++) {
            buf_puts(b, "CREATE INDEX ");
            index_name(b, "ix", ent->name, f->name);
            if (!strcmp(coll, COLLATE_STROKE))
                buf_puts(b, "_stroke");
            buf_printf(b, " ON %s (%s", ent->name, lead);
            index_column(b, ent, f->name, strlen(f->name), *coll ? coll : NULL);
            buf_puts(b, d->composite_keys ? " NULLS FIRST, id);\n" : ");\n");
        }
    }
}

static void foreign_keys(struct buf *b, const struct res_entity *ent, int version,
                         const struct db_dialect_sql *d)
{
    if (!d->composite_keys)
        return;
    int esince = since_of(ent->since);
    for (const struct res_field *f = ent->fields; f->name; f++) {
        if (f->type != RES_REF)
            continue;
        int fs = since_of(f->since) > esince ? since_of(f->since) : esince;
        if (fs != version)
            continue;
        const struct res_entity *to = res_find(f->ref, strlen(f->ref));
        buf_printf(b, "ALTER TABLE %s ADD CONSTRAINT fk_%s_%s FOREIGN KEY ", ent->name,
                   ent->name, f->name);
        if (to && to->global)
            buf_printf(b, "(%s) REFERENCES %s (id);\n", f->name, f->ref);
        else
            buf_printf(b, "(tenant_id, %s) REFERENCES %s (tenant_id, id);\n", f->name, f->ref);
    }
}

static void create_table(struct buf *b, const struct res_entity *ent,
                         const struct db_dialect_sql *d, int version)
{
    int esince = since_of(ent->since);
    buf_printf(b, "CREATE TABLE %s (\n    id %s", ent->name, d->t_id);
    if (ent->global && d->composite_keys)
        buf_puts(b, " PRIMARY KEY");
    buf_puts(b, ",\n");
    if (!ent->global)
        buf_printf(b, "    tenant_id %s NOT NULL REFERENCES tenants (id),\n", d->t_int);
    buf_printf(b, "    version %s NOT NULL DEFAULT 1,\n", d->t_int);
    buf_printf(b, "    created_at %s NOT NULL,\n", d->t_int);
    buf_printf(b, "    updated_at %s NOT NULL,\n", d->t_int);
    buf_printf(b, "    created_by %s", d->t_int);
    for (const struct res_field *f = ent->fields; f->name; f++) {
        if (since_of(f->since) > esince)
            continue;
        buf_puts(b, ",\n    ");
        column(b, ent, f, d, 1);
    }
    if (!ent->global && d->composite_keys)
        buf_puts(b, ",\n    PRIMARY KEY (tenant_id, id)");
    buf_puts(b, "\n);\n");
    for (const struct res_field *f = ent->fields; f->name; f++)
        if (since_of(f->since) <= esince)
            field_indexes(b, ent, f, d, version);
    for (const char *const *x = ent->indexes; x && *x; x++)
        list_index(b, ent, *x, d, 0, version);
    for (const char *const *u = ent->uniques; u && *u; u++)
        list_index(b, ent, *u, d, 1, version);
}

/* DDL_COLLATE_SINCE: the indexes of collated text made before it, again
 * with the collation. */
static void collate_indexes(struct buf *b, const struct res_entity *ent,
                            const struct db_dialect_sql *d)
{
    if (since_of(ent->since) >= DDL_COLLATE_SINCE)
        return;
    for (const struct res_field *f = ent->fields; f->name; f++) {
        if (since_of(f->since) >= DDL_COLLATE_SINCE || !plain_index(f) || !res_collated(f))
            continue;
        buf_puts(b, "DROP INDEX ");
        index_name(b, "ix", ent->name, f->name);
        buf_puts(b, ";\n");
        field_indexes(b, ent, f, d, DDL_COLLATE_SINCE);
    }
    for (const char *const *x = ent->indexes; x && *x; x++) {
        if (!list_collated(ent, *x))
            continue;
        buf_puts(b, "DROP INDEX ");
        index_name(b, "ix", ent->name, *x);
        buf_puts(b, ";\n");
        list_index(b, ent, *x, d, 0, DDL_COLLATE_SINCE);
    }
}

void ddl_version(struct buf *b, const struct db_dialect_sql *d, int version)
{
    const struct res_entity *ent;
    if (version == DDL_COLLATE_SINCE && d->collations)
        buf_puts(b, d->collations);
    for (size_t i = 0; (ent = res_at(i)); i++)
        if (since_of(ent->since) == version)
            create_table(b, ent, d, version);
    for (size_t i = 0; version == DDL_COLLATE_SINCE && (ent = res_at(i)); i++)
        collate_indexes(b, ent, d);
    for (size_t i = 0; (ent = res_at(i)); i++) {
        int esince = since_of(ent->since);
        if (esince >= version)
            continue;
        for (const struct res_field *f = ent->fields; f->name; f++) {
            if (since_of(f->since) != version)
                continue;
            buf_printf(b, "ALTER TABLE %s ADD COLUMN ", ent->name);
            column(b, ent, f, d, 0);
            buf_puts(b, ";\n");
            field_indexes(b, ent, f, d, version);
        }
    }
    for (size_t i = 0; (ent = res_at(i)); i++)
        foreign_keys(b, ent, version, d);
}

void ddl_all(struct buf *b, const struct db_dialect_sql *d)
{
    for (int v = 1; v <= res_schema_version(); v++) {
        buf_printf(b, "-- schema version %d\n", v);
        ddl_version(b, d, v);
    }
}
