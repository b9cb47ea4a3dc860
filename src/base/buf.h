/* SPDX-License-Identifier: MIT
 * buf.h - growable byte buffer, in an arena or on the heap, with a sticky error.
 *
 * Appends never fail loudly: when memory is refused (arena cap) the buffer
 * sets err and ignores later appends; the owner checks buf_ok() once at the
 * end. A NULL arena means the heap (release with buf_release()).
 */
#ifndef BUREAU_BUF_H
#define BUREAU_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

struct buf {
    struct arena *a; /* NULL: heap */
    char *p;         /* always NUL-terminated when len > 0 */
    size_t len, cap;
    size_t max; /* 0: no limit of its own */
    int err;
};

void buf_init(struct buf *b, struct arena *a);
void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_i64(struct buf *b, int64_t v);
/* Appends s[0..n) as a JSON string literal with quotes; invalid UTF-8 becomes U+FFFD. */
void buf_json_str(struct buf *b, const char *s, size_t n);
/* 1 when s[0..n) is UTF-8 (no overlong forms, surrogates or code points past U+10FFFF). */
int utf8_valid(const char *s, size_t n);
/* Copies at most max bytes of s[0..n) into out (max + 1 bytes), never cutting
 * a UTF-8 sequence in two; out is NUL-terminated. */
void utf8_copy(char *out, size_t max, const char *s, size_t n);
/* The length of the well-formed UTF-8 sequence at s (n bytes left), or 0. */
size_t utf8_len(const unsigned char *s, size_t n);
/* Appends a fixed-scale decimal: v=12345, scale=2 -> 123.45 */
void buf_decimal(struct buf *b, int64_t v, int scale);
/* Members of a JSON object being written, "key":value, each with the comma
 * before it unless the object or array was just opened ('{', '[', ','):
 * text (NULL: null), an integer, an id (0: null), a fixed-scale decimal
 * (negative: null), a boolean. */
void buf_jkey(struct buf *b, const char *key);
void buf_jstr(struct buf *b, const char *key, const char *v);
void buf_jint(struct buf *b, const char *key, int64_t v);
void buf_jid(struct buf *b, const char *key, int64_t v);
void buf_jdec(struct buf *b, const char *key, int64_t v, int scale);
void buf_jbool(struct buf *b, const char *key, int v);
/* Truncates to n bytes. */
void buf_truncate(struct buf *b, size_t n);
static inline int buf_ok(const struct buf *b)
{
    return !b->err;
}
/* Returns the NUL-terminated contents ("" when empty). */
const char *buf_cstr(struct buf *b);
/* Frees heap storage (no-op for arena buffers). */
void buf_release(struct buf *b);

#endif
