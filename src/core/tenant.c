/* SPDX-License-Identifier: MIT
 * tenant.c - see tenant.h. A small fixed table; a miss reads one row.
 */
#include "tenant.h"
#include "../base/base.h"
#include "../base/err.h"
#include "../db/collate.h"
#include "../db/db.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define SLOTS 64
#define TTL_US (60u * 1000000u)

static struct {
    int64_t id;
    int offset;
    int stroke; /* names by strokes (name_order) */
    uint64_t loaded;
} cache[SLOTS];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

/* The tenant's settings into *off and *stroke (left as they are when they
 * cannot be read); 0, or -1 when they could not. */
static int settings(struct db_conn *c, int64_t tenant_id, int *off, int *stroke)
{
    uint64_t now = clock_us();
    int slot = (int)((uint64_t)tenant_id % SLOTS);
    pthread_mutex_lock(&mu);
    if (cache[slot].id == tenant_id && cache[slot].loaded && now - cache[slot].loaded < TTL_US) {
        *off = cache[slot].offset;
        *stroke = cache[slot].stroke;
        pthread_mutex_unlock(&mu);
        return 0;
    }
    pthread_mutex_unlock(&mu);
    struct err e;
    struct db_stmt *st;
    err_clear(&e);
    if (db_prepare_ints(c, "SELECT utc_offset_min, name_order FROM tenants WHERE id = ?",
                        DB_INTS(tenant_id), &st, &e))
        return -1;
    int rc = db_step(st, &e);
    if (rc == DB_ROW) {
        *off = (int)db_col_int(st, 0);
        *stroke = !strcmp(db_col_text(st, 1, NULL), "stroke");
    }
    db_reset(st);
    if (rc < 0)
        return -1;
    pthread_mutex_lock(&mu);
    cache[slot].id = tenant_id;
    cache[slot].offset = *off;
    cache[slot].stroke = *stroke;
    cache[slot].loaded = now ? now : 1;
    pthread_mutex_unlock(&mu);
    return 0;
}

int tenant_utc_offset(struct db_conn *c, int64_t tenant_id, int dflt)
{
    int off = dflt, stroke = 0;
    return settings(c, tenant_id, &off, &stroke) ? dflt : off;
}

const char *tenant_collation(struct db_conn *c, int64_t tenant_id)
{
    int off = 0, stroke = 0;
    settings(c, tenant_id, &off, &stroke);
    return stroke ? COLLATE_STROKE : COLLATE_PINYIN;
}

void tenant_forget(int64_t tenant_id)
{
    int slot = (int)((uint64_t)tenant_id % SLOTS);
    pthread_mutex_lock(&mu);
    if (cache[slot].id == tenant_id)
        cache[slot].loaded = 0;
    pthread_mutex_unlock(&mu);
}

int tenant_ids(struct db_conn *c, int64_t after, int64_t *ids, int max, int *n, struct err *e)
{
    struct db_stmt *st;
    *n = 0;
    int rc = db_prepare_ints(c, "SELECT id FROM tenants WHERE id > ? ORDER BY id LIMIT ?",
                             DB_INTS(after, max), &st, e);
    if (rc)
        return rc;
    while ((rc = db_step(st, e)) == DB_ROW && *n < max)
        ids[(*n)++] = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int tenant_by_code(struct db_conn *c, const char *code, size_t n, int64_t *id, struct err *e)
{
    struct db_stmt *st;
    *id = 0;
    int rc = db_prepare(c,
                        code ? "SELECT id FROM tenants WHERE code = ?"
                             : "SELECT id FROM tenants ORDER BY id LIMIT 1",
                        &st, e);
    if (rc)
        return rc;
    if (code)
        db_bind_text(st, 1, code, n);
    if ((rc = db_step(st, e)) == DB_ROW)
        *id = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int tenant_admin_level(struct db_conn *c, int64_t tenant_id, char *out, size_t size, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare_ints(c, "SELECT admin_level FROM tenants WHERE id = ?", DB_INTS(tenant_id),
                             &st, e);
    if (rc)
        return rc;
    if ((rc = db_step(st, e)) == DB_ROW)
        snprintf(out, size, "%s", db_col_text(st, 0, NULL));
    db_reset(st);
    return rc < 0 ? rc : 0;
}
