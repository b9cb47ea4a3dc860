/* SPDX-License-Identifier: MIT
 * web.c - serves the browser UI; see web.h.
 *
 * The build embeds web/ and the vendor files index.html names into the
 * binary (scripts/embed-web.sh writes the table and .incbin's the bytes), so
 * the binary alone serves the UI. Files of web/ are revalidated by ETag
 * (Cache-Control: no-cache); vendor files carry their version in the path
 * and are cached for a year. A gzip variant made at build is sent when the
 * browser accepts it. index.html gets a Content-Security-Policy that allows
 * scripts from this server plus its one inline import map, by hash, and the
 * compiling of WebAssembly ('wasm-unsafe-eval', not eval: libsodium seals a
 * supplier's bid in the browser; the UI is one document, so the policy is
 * the whole UI's - docs/security.md).
 */
#include "web.h"
#include "../base/arena.h"
#include "config.h"
#include "../base/err.h"
#include "http.h"
#include "../base/log.h"

#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Generated at build; absent (NULL) in the unit-test and fuzz binaries. */
extern const struct web_asset bureau_web_assets[] __attribute__((weak));

#define WEB_MAX_FILE (16u << 20) /* --web-dir: the largest file read */
#define IMMUTABLE "public, max-age=31536000, immutable"

static char index_csp[512];

static const char *const csp_fmt =
    "default-src 'self'; script-src 'self' 'sha256-%s' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

int web_csp(const char *html, size_t len, char *out, size_t n)
{
    static const char open[] = "<script type=\"importmap\">", close[] = "</script>";
    const char *a = memmem(html, len, open, sizeof(open) - 1);
    if (!a)
        return -1;
    a += sizeof(open) - 1;
    const char *b = memmem(a, len - (size_t)(a - html), close, sizeof(close) - 1);
    if (!b)
        return -1;
    unsigned char h[crypto_hash_sha256_BYTES];
    char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    crypto_hash_sha256(h, (const unsigned char *)a, (unsigned long long)(b - a));
    sodium_bin2base64(b64, sizeof(b64), h, sizeof(h), sodium_base64_VARIANT_ORIGINAL);
    int w = snprintf(out, n, csp_fmt, b64);
    return w < 0 || (size_t)w >= n ? -1 : 0;
}

static const struct web_asset *find_embedded(const char *path)
{
    if (!bureau_web_assets)
        return NULL;
    for (const struct web_asset *a = bureau_web_assets; a->path; a++)
        if (!strcmp(a->path, path))
            return a;
    return NULL;
}

int web_init(const struct config *cfg, struct err *e)
{
    if (cfg->web_dir) {
        struct stat st;
        char p[1024];
        snprintf(p, sizeof(p), "%s/index.html", cfg->web_dir);
        if (stat(p, &st) || !S_ISREG(st.st_mode))
            return err_set(e, ERR_INTERNAL, NULL, NULL, "--web-dir %s has no index.html",
                           cfg->web_dir);
        return 0;
    }
    const struct web_asset *ix = find_embedded("/index.html");
    if (!ix) {
        index_csp[0] = 0; /* a binary built without the UI: the API alone */
        return 0;
    }
    if (web_csp((const char *)ix->data, ix->len, index_csp, sizeof(index_csp)))
        return err_set(e, ERR_INTERNAL, NULL, NULL, "the embedded index.html has no import map");
    return 0;
}

static const char *content_type(const char *path)
{
    static const char *const types[][2] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/vnd.microsoft.icon"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
        if (!strcmp(dot, types[i][0]))
            return types[i][1];
    return "application/octet-stream";
}

/* The validator in If-None-Match (a list, maybe weak, or *). */
static int etag_matches(const char *inm, const char *etag)
{
    return inm && (strstr(inm, etag) || !strcmp(inm, "*"));
}

static int not_found(struct req *r)
{
    char q[140];
    err_quote(q, sizeof(q), r->path, strlen(r->path));
    return err_set(&r->err, ERR_NO_ROUTE, NULL, NULL, "nothing at {path}%s", q);
}

static int answer(struct req *r, const char *path, const void *data, size_t len,
                  const char *etag, int immutable, int gz, const char *csp)
{
    resp_header(r, "ETag", etag);
    r->cache_control = immutable ? IMMUTABLE : "no-cache";
    /* a 304 carries the page's policy too: browsers update the cached headers */
    r->csp = csp;
    if (gz)
        resp_header(r, "Vary", "Accept-Encoding");
    if (etag_matches(req_header(r, "If-None-Match"), etag)) {
        r->status = 304;
        return 0;
    }
    if (gz == 2)
        resp_header(r, "Content-Encoding", "gzip");
    r->ctype = content_type(path);
    r->file = data;
    r->file_len = len;
    r->status = 200;
    return 0;
}

/* ---- from disk (--web-dir) ---- */

static int safe_path(const char *p)
{
    size_t n = strlen(p);
    if (p[0] != '/' || n > 512 || strstr(p, "..") || strstr(p, "//"))
        return 0;
    return strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@/-") == n;
}

/* Reads a regular file of at most WEB_MAX_FILE bytes into the arena. */
static char *read_file(struct arena *a, const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    char *p = NULL;
    if (fd < 0)
        return NULL;
    if (!fstat(fd, &st) && S_ISREG(st.st_mode) && (size_t)st.st_size <= WEB_MAX_FILE &&
        (p = arena_alloc(a, (size_t)st.st_size + 1))) {
        size_t got = 0;
        ssize_t k;
        while (got < (size_t)st.st_size &&
               (k = read(fd, p + got, (size_t)st.st_size - got)) > 0)
            got += (size_t)k;
        p[got] = 0;
        *len = got;
    }
    close(fd);
    return p;
}

/* "/vendor/@scope/name@1.2.3/dist/x.js" → "@scope/name/dist/x.js". */
static const char *vendor_file(struct arena *a, const char *path)
{
    const char *s = path + strlen("/vendor/"), *from = s;
    if (*s == '@' && !(from = strchr(s, '/'))) /* a scoped name: its version follows the / */
        return NULL;
    const char *at = strchr(from, '@');
    const char *slash = at ? strchr(at, '/') : NULL;
    if (!at || !slash || at == s)
        return NULL;
    return arena_printf(a, "%.*s%s", (int)(at - s), s, slash);
}

static int serve_disk(struct req *r, const char *path)
{
    const char *dir = r->cfg->web_dir;
    size_t len = 0, ilen = 0;
    char *file;
    int vendor = !strncmp(path, "/vendor/", 8);
    if (!safe_path(path))
        return not_found(r);
    char *index = read_file(r->a, arena_printf(r->a, "%s/index.html", dir), &ilen);
    if (vendor) {
        /* only what index.html names, as the build embeds */
        const char *quoted = arena_printf(r->a, "\"%s\"", path);
        const char *rel = vendor_file(r->a, path);
        if (!index || !quoted || !rel || !strstr(index, quoted))
            return not_found(r);
        file = read_file(r->a, arena_printf(r->a, "%s/../node_modules/%s", dir, rel), &len);
    } else {
        file = read_file(r->a, arena_printf(r->a, "%s%s", dir, path), &len);
    }
    if (!file)
        return not_found(r);
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[2 * sizeof(h) + 1];
    crypto_hash_sha256(h, (const unsigned char *)file, len);
    sodium_bin2hex(hex, sizeof(hex), h, 10);
    char *csp = NULL;
    if (!strcmp(path, "/index.html")) {
        csp = arena_alloc(r->a, 512);
        if (!csp || web_csp(file, len, csp, 512))
            return err_set(&r->err, ERR_INTERNAL, NULL, NULL, "index.html has no import map");
    }
    const char *etag = arena_printf(r->a, "\"%s\"", hex);
    if (!etag)
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    return answer(r, path, file, len, etag, vendor, 0, csp);
}

int web_serve(struct req *r)
{
    const char *path = strcmp(r->path, "/") ? r->path : "/index.html";
    if (r->cfg && r->cfg->web_dir)
        return serve_disk(r, path);
    const struct web_asset *a = find_embedded(path);
    if (!a)
        return not_found(r);
    const char *csp = a->path[1] == 'i' && !strcmp(a->path, "/index.html") ? index_csp : NULL;
    if (a->gz && http_accepts_gzip(req_header(r, "Accept-Encoding"))) {
        const char *etag = arena_printf(r->a, "%.*s-gz\"", (int)strlen(a->etag) - 1, a->etag);
        if (!etag)
            return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
        return answer(r, path, a->gz, a->gz_len, etag, a->immutable, 2, csp);
    }
    return answer(r, path, a->data, a->len, a->etag, a->immutable, a->gz ? 1 : 0, csp);
}
