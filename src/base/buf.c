/* SPDX-License-Identifier: MIT
 * buf.c - growable buffer; see buf.h.
 */
#include "buf.h"
#include "arena.h"
#include "base.h"

#include <stdio.h>
#include <string.h>

void buf_init(struct buf *b, struct arena *a)
{
    memset(b, 0, sizeof(*b));
    b->a = a;
}

static int grow(struct buf *b, size_t extra)
{
    if (b->err)
        return -1;
    if (b->max && b->len + extra > b->max) {
        b->err = 1;
        return -1;
    }
    if (b->len + extra + 1 <= b->cap)
        return 0;
    size_t ncap = b->cap ? b->cap * 2 : 256;
    while (ncap < b->len + extra + 1)
        ncap *= 2;
    char *np;
    if (b->a)
        np = arena_realloc(b->a, b->p, b->cap, ncap);
    else
        np = core_realloc(b->p, ncap);
    if (!np) {
        b->err = 1;
        return -1;
    }
    b->p = np;
    b->cap = ncap;
    return 0;
}

void buf_append(struct buf *b, const void *p, size_t n)
{
    if (grow(b, n))
        return;
    if (n)
        memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = 0;
}

void buf_puts(struct buf *b, const char *s)
{
    buf_append(b, s, strlen(s));
}

void buf_putc(struct buf *b, char c)
{
    if (grow(b, 1))
        return;
    b->p[b->len++] = c;
    b->p[b->len] = 0;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof(tmp)) {
        buf_append(b, tmp, (size_t)n);
        return;
    }
    if (grow(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void buf_i64(struct buf *b, int64_t v)
{
    char tmp[24];
    char *e = tmp + sizeof(tmp), *p = e;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    buf_append(b, p, (size_t)(e - p));
}

void buf_decimal(struct buf *b, int64_t v, int scale)
{
    if (scale <= 0) {
        buf_i64(b, v);
        return;
    }
    int64_t div = 1;
    for (int i = 0; i < scale; i++)
        div *= 10;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    if (v < 0)
        buf_putc(b, '-');
    buf_printf(b, "%llu.%0*llu", (unsigned long long)(u / (uint64_t)div), scale,
               (unsigned long long)(u % (uint64_t)div));
}

/* length of a valid UTF-8 sequence at s (max n bytes), or 0 when invalid */
size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    unsigned min;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    unsigned cp = c & (0x3f >> (len - 1));
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

int utf8_valid(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t l = utf8_len(u + i, n - i);
        if (!l)
            return 0;
        i += l;
    }
    return 1;
}

void buf_jkey(struct buf *b, const char *key)
{
    char last = b->len ? b->p[b->len - 1] : '{';
    if (last != '{' && last != '[' && last != ',')
        buf_putc(b, ',');
    buf_putc(b, '"');
    buf_puts(b, key);
    buf_puts(b, "\":");
}

void buf_jstr(struct buf *b, const char *key, const char *v)
{
    buf_jkey(b, key);
    if (v)
        buf_json_str(b, v, strlen(v));
    else
        buf_puts(b, "null");
}

void buf_jint(struct buf *b, const char *key, int64_t v)
{
    buf_jkey(b, key);
    buf_i64(b, v);
}

void buf_jid(struct buf *b, const char *key, int64_t v)
{
    buf_jkey(b, key);
    if (v)
        buf_i64(b, v);
    else
        buf_puts(b, "null");
}

void buf_jdec(struct buf *b, const char *key, int64_t v, int scale)
{
    buf_jkey(b, key);
    if (v < 0)
        buf_puts(b, "null");
    else
        buf_decimal(b, v, scale);
}

void buf_jbool(struct buf *b, const char *key, int v)
{
    buf_jkey(b, key);
    buf_puts(b, v ? "true" : "false");
}

void buf_json_str(struct buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, run = 0;
    buf_putc(b, '"');
    while (i < n) {
        unsigned c = u[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            i++;
            run++;
            continue;
        }
        if (run)
            buf_append(b, s + i - run, run);
        run = 0;
        if (c >= 0x80) {
            size_t l = utf8_len(u + i, n - i);
            if (l) {
                buf_append(b, s + i, l);
                i += l;
            } else {
                buf_puts(b, "\xef\xbf\xbd");
                i++;
            }
            continue;
        }
        switch (c) {
        case '"':
            buf_puts(b, "\\\"");
            break;
        case '\\':
            buf_puts(b, "\\\\");
            break;
        case '\n':
            buf_puts(b, "\\n");
            break;
        case '\r':
            buf_puts(b, "\\r");
            break;
        case '\t':
            buf_puts(b, "\\t");
            break;
        default: {
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            buf_append(b, e, 6);
        }
        }
        i++;
    }
    if (run)
        buf_append(b, s + i - run, run);
    buf_putc(b, '"');
}

void buf_truncate(struct buf *b, size_t n)
{
    if (n < b->len) {
        b->len = n;
        b->p[n] = 0;
    }
}

const char *buf_cstr(struct buf *b)
{
    return b->len ? b->p : "";
}

void buf_release(struct buf *b)
{
    if (!b->a)
        core_free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

void utf8_copy(char *out, size_t max, const char *s, size_t n)
{
    if (n > max) {
        n = max;
        while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--;
    }
    memcpy(out, s, n);
    out[n] = 0;
}
