/* SPDX-License-Identifier: MIT
 * arena.h - per-request bump allocator with a hard cap.
 *
 * Everything a request allocates comes from its arena and is released in one
 * step when the request completes. Going over the cap is a user error (the
 * request gets 503), never a crash: arena_alloc() returns NULL and the arena
 * remembers that it went over. Heap exhaustion aborts (see core_oom()).
 */
#ifndef BUREAU_ARENA_H
#define BUREAU_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

/* Returns a new arena that may hand out at most cap bytes (0 = no cap). */
struct arena *arena_new(size_t cap);
/* Runs deferred callbacks (last first) and frees every block. NULL is ok. */
void arena_free(struct arena *a);
/* Returns n bytes aligned to 16, or NULL when the cap would be exceeded. */
void *arena_alloc(struct arena *a, size_t n);
void *arena_zalloc(struct arena *a, size_t n);
/* Copies p[0..n) and adds a NUL; returns arena memory or NULL. */
char *arena_strndup(struct arena *a, const char *p, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);
/* Grows the last allocation or copies; old contents kept. NULL when over cap. */
void *arena_realloc(struct arena *a, void *p, size_t old_n, size_t new_n);
/* Registers fn(p) to run when the arena is freed (e.g. json_decref). 0 or -1. */
int arena_defer(struct arena *a, void (*fn)(void *), void *p);
/* 1 when an allocation was refused because of the cap. */
int arena_over(const struct arena *a);
/* Bytes handed out so far. */
size_t arena_used(const struct arena *a);

#endif
