/* SPDX-License-Identifier: MIT
 * web.h - the browser UI's files: web/ and the vendor files index.html
 * names, embedded in the binary at build (scripts/embed-web.sh) with gzip
 * variants, or read from disk with --web-dir for development.
 */
#ifndef BUREAU_WEB_H
#define BUREAU_WEB_H

#include <stddef.h>

struct req;
struct config;
struct err;

/* One embedded file (the table scripts/embed-web.sh generates). */
struct web_asset {
    const char *path; /* "/index.html", "/vendor/vue@3.5.13/dist/…" */
    const unsigned char *data;
    size_t len;
    const unsigned char *gz; /* gzip -9 variant, NULL when not smaller */
    size_t gz_len;
    const char *etag; /* "\"<hex>\"" of the content */
    int immutable;    /* versioned vendor file: cached for a year */
};

/* Checks the embedded index.html (or the one in --web-dir) and prepares
 * its Content-Security-Policy. 0, or -1 with a message in e. */
int web_init(const struct config *cfg, struct err *e);
/* GET / and GET /{path*}: a UI file, 304 when the ETag matches, 404 else. */
int web_serve(struct req *r);
/* The CSP for an index.html of len bytes: scripts from 'self' plus the
 * sha256 of its inline import map. Writes into out; -1 when there is no
 * import map or out is too small. */
int web_csp(const char *html, size_t len, char *out, size_t n);

#endif
