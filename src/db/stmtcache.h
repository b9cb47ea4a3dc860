/* SPDX-License-Identifier: MIT
 * stmtcache.h - the prepared-statement cache both back ends share: per
 * connection, statements by their SQL text, handed out one caller at a
 * time, the least recently used one evicted when the cache is full. A back
 * end's statement struct starts with a struct db_cached.
 */
#ifndef BUREAU_STMTCACHE_H
#define BUREAU_STMTCACHE_H

#include <stdint.h>

#define DB_CACHE_MAX 512     /* statements per connection */
#define DB_CACHE_BUCKETS 512 /* hash chains */

struct db_conn;

struct db_cached {
    struct db_conn *conn; /* first: db.c reads it as struct db_stmt_head */
    char *sql;            /* the cache key, as the caller wrote it */
    uint32_t hash;
    int in_use; /* handed out by a prepare, not yet reset */
    int stale;  /* never handed out again: dropped when reset */
    uint64_t last_use;
    struct db_cached *next; /* hash chain */
};

struct db_stmt_cache {
    uint64_t tick;
    int n;
    struct db_cached *bucket[DB_CACHE_BUCKETS];
};

/* A cached statement of sql that nobody holds (now held), or NULL. */
struct db_cached *stmtcache_take(struct db_stmt_cache *c, const char *sql);
/* Room for one more: NULL when there is, else the least recently used
 * statement nobody holds, removed from the cache for the caller to free
 * (NULL too when every one is held: *full is then 1). */
struct db_cached *stmtcache_room(struct db_stmt_cache *c, int *full);
/* Caches s, held, under sql (copied). */
void stmtcache_add(struct db_stmt_cache *c, struct db_cached *s, const char *sql);
/* Removes s from the cache (it is the caller's to free). */
void stmtcache_remove(struct db_stmt_cache *c, struct db_cached *s);
/* Removes every statement, calling free_fn on each. */
void stmtcache_clear(struct db_stmt_cache *c, void (*free_fn)(struct db_cached *s));
/* Frees what stmtcache_add copied (the back end's free function calls it). */
void stmtcache_release(struct db_cached *s);

#endif
