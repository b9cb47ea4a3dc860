/* SPDX-License-Identifier: MIT
 * assets/code.c - what a scanned label says: the asset code itself
 * ("ZC2024-000123", as the register's labels print it), typed in lower case
 * or with spaces around it, or a URL or path whose last segment (or whose
 * fragment's last segment: "https://host/#/assets/ZC2024-000123") is the
 * code, as labels printed by other systems carry it. Anything else — a
 * voucher's code, a web page's address, text with control bytes — is
 * refused, so a scan never looks up what is not a code. Pure: unit-tested
 * (tests/unit/t_assets_scan.c) and fuzzed (fuzz/fuzz_assetcode.c).
 */
#include "assets.h"

#include <string.h>

static int space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The code in s[0..n) (no separators left), upper-cased into out. */
static int code_of(const char *s, size_t n, char *out)
{
    if (!n || n > AS_CODE_MAX || s[0] == '-')
        return -1;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
            return -1;
        out[i] = c;
    }
    out[n] = 0;
    return (int)n;
}

/* The last segment of a path s[0..n): the query dropped, slashes at the end
 * skipped. */
static void last_segment(const char **s, size_t *n)
{
    const char *q = memchr(*s, '?', *n);
    size_t len = q ? (size_t)(q - *s) : *n;
    while (len && (*s)[len - 1] == '/')
        len--;
    size_t at = len;
    while (at && (*s)[at - 1] != '/')
        at--;
    *s += at;
    *n = len - at;
}

int as_code_parse(const char *text, size_t n, char out[AS_CODE_MAX + 1])
{
    out[0] = 0;
    if (!text || n > AS_SCAN_TEXT_MAX)
        return -1;
    while (n && space(text[0]))
        text++, n--;
    while (n && space(text[n - 1]))
        n--;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
            return -1;
    const char *hash = memchr(text, '#', n);
    if (!hash && !memchr(text, '/', n) && !memchr(text, '?', n))
        return code_of(text, n, out); /* the code itself */
    if (hash) {
        const char *f = hash + 1;
        size_t fn = n - (size_t)(f - text);
        last_segment(&f, &fn);
        if (fn) /* "#/assets/CODE" */
            return code_of(f, fn, out);
        n = (size_t)(hash - text); /* an empty fragment: the path's */
    }
    const char *p = text;
    last_segment(&p, &n);
    /* "https://host" has no path: its host is no code */
    if (p >= text + 2 && p[-1] == '/' && p[-2] == '/')
        return -1;
    return code_of(p, n, out);
}
