/* SPDX-License-Identifier: MIT
 * stmtcache.c - see stmtcache.h.
 */
#include "stmtcache.h"
#include "../base/base.h"

#include <string.h>

static uint32_t hash_sql(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

struct db_cached *stmtcache_take(struct db_stmt_cache *c, const char *sql)
{
    uint32_t hash = hash_sql(sql);
    for (struct db_cached *s = c->bucket[hash % DB_CACHE_BUCKETS]; s; s = s->next)
        if (s->hash == hash && !s->in_use && !s->stale && !strcmp(s->sql, sql)) {
            s->in_use = 1;
            s->last_use = ++c->tick;
            return s;
        }
    return NULL;
}

void stmtcache_remove(struct db_stmt_cache *c, struct db_cached *s)
{
    for (struct db_cached **p = &c->bucket[s->hash % DB_CACHE_BUCKETS]; *p; p = &(*p)->next)
        if (*p == s) {
            *p = s->next;
            c->n--;
            return;
        }
}

struct db_cached *stmtcache_room(struct db_stmt_cache *c, int *full)
{
    struct db_cached *victim = NULL;
    *full = 0;
    if (c->n < DB_CACHE_MAX)
        return NULL;
    for (int i = 0; i < DB_CACHE_BUCKETS; i++)
        for (struct db_cached *s = c->bucket[i]; s; s = s->next)
            if (!s->in_use && (!victim || s->last_use < victim->last_use))
                victim = s;
    if (victim)
        stmtcache_remove(c, victim);
    else
        *full = 1;
    return victim;
}

void stmtcache_add(struct db_stmt_cache *c, struct db_cached *s, const char *sql)
{
    s->sql = core_strdup(sql);
    s->hash = hash_sql(sql);
    s->in_use = 1;
    s->last_use = ++c->tick;
    s->next = c->bucket[s->hash % DB_CACHE_BUCKETS];
    c->bucket[s->hash % DB_CACHE_BUCKETS] = s;
    c->n++;
}

void stmtcache_clear(struct db_stmt_cache *c, void (*free_fn)(struct db_cached *s))
{
    for (int i = 0; i < DB_CACHE_BUCKETS; i++) {
        struct db_cached *s = c->bucket[i];
        while (s) {
            struct db_cached *n = s->next;
            free_fn(s);
            s = n;
        }
        c->bucket[i] = NULL;
    }
    c->n = 0;
}

void stmtcache_release(struct db_cached *s)
{
    core_free(s->sql);
    s->sql = NULL;
}
