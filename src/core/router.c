/* SPDX-License-Identifier: MIT
 * router.c - linear match over a small static table; see router.h.
 */
#include "router.h"
#include "../base/arena.h"

#include <string.h>

#define MAX_ROUTES 256

static const struct route *table[MAX_ROUTES];
static int nroutes;

void router_reset(void)
{
    nroutes = 0;
}

void router_add(const struct route *rs)
{
    for (; rs && rs->pattern; rs++)
        if (nroutes < MAX_ROUTES)
            table[nroutes++] = rs;
}

static int match(const char *pattern, struct req *r)
{
    const char *p = pattern;
    int i = 0;
    if (*p == '/')
        p++;
    while (*p) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n >= 3 && p[0] == '{' && p[n - 2] == '*' && p[n - 1] == '}')
            return i < r->nsegs;
        if (i >= r->nsegs)
            return 0;
        if (p[0] != '{') {
            if (r->seg_len[i] != n || memcmp(r->seg[i], p, n))
                return 0;
        } else if (r->seg_len[i] == 0) {
            return 0;
        }
        i++;
        p += n;
        if (*p == '/')
            p++;
    }
    return i == r->nsegs;
}

/* A site-wide pattern ("/{path*}", the web UI's files) never answers under
 * /api/ or /metrics: there an unknown path stays a 404, whatever the method. */
static int site_wide_in_api(const struct route *rt, const struct req *r)
{
    if (strncmp(rt->pattern, "/{", 2) || !strchr(rt->pattern, '*') || r->nsegs < 1)
        return 0;
    return (r->seg_len[0] == 3 && !memcmp(r->seg[0], "api", 3)) ||
           (r->seg_len[0] == 7 && !memcmp(r->seg[0], "metrics", 7));
}

const struct route *router_match(struct req *r, int *path_matched)
{
    *path_matched = 0;
    for (int i = 0; i < nroutes; i++) {
        if (!match(table[i]->pattern, r) || site_wide_in_api(table[i], r))
            continue;
        *path_matched = 1;
        if (table[i]->method == r->method ||
            (r->method == HTTP_HEAD && table[i]->method == HTTP_GET)) {
            r->route = i;
            return table[i];
        }
    }
    r->route = -1;
    return NULL;
}

const char *router_allow(struct req *r)
{
    static const char *names[] = {"", "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
    char out[64] = "";
    unsigned seen = 0;
    for (int i = 0; i < nroutes; i++) {
        if (!match(table[i]->pattern, r) || site_wide_in_api(table[i], r) ||
            (seen & (1u << table[i]->method)))
            continue;
        seen |= 1u << table[i]->method;
        if (table[i]->method == HTTP_GET)
            seen |= 1u << HTTP_HEAD;
        if (out[0])
            strncat(out, ", ", sizeof(out) - strlen(out) - 1);
        strncat(out, names[table[i]->method], sizeof(out) - strlen(out) - 1);
        if (table[i]->method == HTTP_GET)
            strncat(out, ", HEAD", sizeof(out) - strlen(out) - 1);
    }
    return arena_strdup(r->a, out);
}

enum http_method router_method(int i)
{
    return i >= 0 && i < nroutes ? table[i]->method : HTTP_OTHER;
}

int router_count(void)
{
    return nroutes;
}

const char *router_pattern(int i)
{
    return i >= 0 && i < nroutes ? table[i]->pattern : "unmatched";
}
