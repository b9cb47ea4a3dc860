/* SPDX-License-Identifier: MIT
 * arena.c - bump allocator in chained blocks; see arena.h.
 */
#include "arena.h"
#include "base.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE (16 * 1024)
#define ALIGN 16

struct block {
    struct block *next;
    size_t size, used;
    _Alignas(ALIGN) unsigned char data[];
};

struct defer {
    struct defer *next;
    void (*fn)(void *);
    void *p;
};

struct arena {
    struct block *head;
    struct defer *defers;
    size_t cap, used;
    int over;
    void *last;
    size_t last_n;
};

struct arena *arena_new(size_t cap)
{
    struct arena *a = core_calloc(1, sizeof(*a));
    a->cap = cap;
    return a;
}

void arena_free(struct arena *a)
{
    if (!a)
        return;
    for (struct defer *d = a->defers; d; d = d->next)
        d->fn(d->p);
    struct block *b = a->head;
    while (b) {
        struct block *n = b->next;
        free(b);
        b = n;
    }
    free(a);
}

static size_t round_up(size_t n)
{
    return (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

void *arena_alloc(struct arena *a, size_t n)
{
    if (n == 0)
        n = 1;
    if (n > SIZE_MAX / 2)
        goto over;
    size_t need = round_up(n);
    if (a->cap && a->used + need > a->cap)
        goto over;
    struct block *b = a->head;
    if (!b || b->size - b->used < need) {
        size_t size = need > BLOCK_SIZE / 2 ? need : BLOCK_SIZE;
        struct block *nb = core_malloc(sizeof(*nb) + size);
        nb->size = size;
        nb->used = 0;
        if (b && size == need && b->size - b->used >= ALIGN * 4) {
            /* a big allocation: keep the current block in front for small ones */
            nb->next = b->next;
            b->next = nb;
            nb->used = need;
            a->used += need;
            a->last = NULL;
            return nb->data;
        }
        nb->next = b;
        a->head = nb;
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += need;
    a->used += need;
    a->last = p;
    a->last_n = need;
    return p;
over:
    a->over = 1;
    return NULL;
}

void *arena_zalloc(struct arena *a, size_t n)
{
    void *p = arena_alloc(a, n);
    if (p)
        memset(p, 0, n);
    return p;
}

void *arena_realloc(struct arena *a, void *p, size_t old_n, size_t new_n)
{
    if (p && p == a->last && a->head && (unsigned char *)p >= a->head->data &&
        (unsigned char *)p < a->head->data + a->head->size) {
        size_t need = round_up(new_n);
        struct block *b = a->head;
        size_t off = (size_t)((unsigned char *)p - b->data);
        if (need >= a->last_n && off + need <= b->size &&
            (!a->cap || a->used + (need - a->last_n) <= a->cap)) {
            b->used = off + need;
            a->used += need - a->last_n;
            a->last_n = need;
            return p;
        }
    }
    void *q = arena_alloc(a, new_n);
    if (q && p)
        memcpy(q, p, old_n < new_n ? old_n : new_n);
    return q;
}

char *arena_strndup(struct arena *a, const char *p, size_t n)
{
    char *s = arena_alloc(a, n + 1);
    if (!s)
        return NULL;
    if (n)
        memcpy(s, p, n);
    s[n] = 0;
    return s;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return NULL;
    char *s = arena_alloc(a, (size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return s;
}

int arena_defer(struct arena *a, void (*fn)(void *), void *p)
{
    /* deferred callbacks are bookkeeping, not request data: never refused */
    struct block *b = core_malloc(sizeof(*b) + sizeof(struct defer));
    struct defer *d;
    b->size = sizeof(struct defer);
    b->used = b->size;
    d = (struct defer *)b->data;
    d->fn = fn;
    d->p = p;
    d->next = a->defers;
    a->defers = d;
    /* keep the block alive until arena_free by chaining it behind the head */
    if (a->head) {
        b->next = a->head->next;
        a->head->next = b;
    } else {
        b->next = NULL;
        a->head = b;
        b->used = b->size; /* full: the next alloc makes a new head */
    }
    return 0;
}

int arena_over(const struct arena *a)
{
    return a->over;
}

size_t arena_used(const struct arena *a)
{
    return a->used;
}
