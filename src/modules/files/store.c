/* SPDX-License-Identifier: MIT
 * files/store.c - the bytes of uploaded files on disk: DIR/<tenant>/<ab>/<sha256>,
 * written to a temporary name, synced and renamed, so a reader sees a whole
 * file or none; the same content is kept once per tenant. Also what kind of
 * image some bytes are, by their first bytes rather than by what the
 * client says.
 */
#include "files.h"
#include "../../base/arena.h"
#include "../../core/config.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *files_sniff_image(const unsigned char *p, size_t n)
{
    static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (n >= 4 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
        return "image/jpeg";
    if (n >= 16 && !memcmp(p, png, sizeof(png)) && !memcmp(p + 12, "IHDR", 4))
        return "image/png";
    if (n >= 16 && !memcmp(p, "RIFF", 4) && !memcmp(p + 8, "WEBPVP8", 7))
        return "image/webp";
    return NULL;
}

/* The configured folder, or one beside the SQLite file ("bureau.db" →
 * "bureau-files"), or ./bureau-files for PostgreSQL. */
static const char *base_dir(struct arena *a, const struct config *cfg)
{
    if (cfg && cfg->files_dir)
        return cfg->files_dir;
    const char *db = cfg && cfg->db_url ? cfg->db_url : "bureau.db";
    if (!strncmp(db, "postgres://", 11) || !strncmp(db, "postgresql://", 13))
        return "bureau-files";
    size_t n = strlen(db);
    if (n > 3 && !strcmp(db + n - 3, ".db"))
        n -= 3;
    return arena_printf(a, "%.*s-files", (int)n, db);
}

const char *files_dir(struct req *r)
{
    const struct config *cfg = r->cfg ? r->cfg : config_current();
    const char *base = base_dir(r->a, cfg);
    return base ? arena_printf(r->a, "%s/%lld", base, (long long)r->tenant_id) : NULL;
}

static int mkdirs(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        int rc = mkdir(path, 0750);
        *p = '/';
        if (rc && errno != EEXIST)
            return -1;
    }
    return mkdir(path, 0750) && errno != EEXIST ? -1 : 0;
}

/* The path of a stored file; NULL when out of memory. */
char *files_path(struct req *r, const char *sha)
{
    const char *dir = files_dir(r);
    return dir ? arena_printf(r->a, "%s/%.2s/%s", dir, sha, sha) : NULL;
}

int files_store(struct req *r, const char *sha, const void *data, size_t len, struct err *e)
{
    char *path = files_path(r, sha);
    struct stat st;
    if (!path)
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    if (!stat(path, &st) && S_ISREG(st.st_mode) && (size_t)st.st_size == len)
        return 0; /* the same content is already kept */
    char *dir = arena_strdup(r->a, path);
    char *slash = dir ? strrchr(dir, '/') : NULL;
    if (!slash)
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    *slash = 0;
    if (mkdirs(dir))
        return err_set(e, ERR_INTERNAL, NULL, NULL, "cannot create the files folder %s: %s", dir,
                       strerror(errno));
    unsigned char rnd[8];
    core_random(rnd, sizeof(rnd));
    char *tmp = arena_printf(r->a, "%s/.%s.%02x%02x%02x%02x%02x%02x%02x%02x", dir, sha, rnd[0],
                             rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
    if (!tmp)
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0)
        return err_set(e, ERR_INTERNAL, NULL, NULL, "cannot write a file: %s", strerror(errno));
    const char *p = data;
    size_t left = len;
    while (left) {
        ssize_t k = write(fd, p, left);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        p += k;
        left -= (size_t)k;
    }
    int ok = !left && !fsync(fd);
    close(fd);
    if (!ok || rename(tmp, path)) {
        int saved = errno;
        unlink(tmp);
        return err_set(e, ERR_INTERNAL, NULL, NULL, "cannot write a file: %s", strerror(saved));
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd); /* the new name survives a crash too */
        close(dfd);
    }
    return 0;
}

void *files_read(struct req *r, const char *sha, size_t *len, struct err *e)
{
    char *path = files_path(r, sha);
    struct stat st;
    if (!path) {
        err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
        return NULL;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        err_set(e, ERR_NOT_FOUND, NULL, "files.content_missing",
                "the file's content is missing from the files folder");
        return NULL;
    }
    char *buf = arena_alloc(r->a, (size_t)st.st_size + 1);
    size_t got = 0;
    while (buf && got < (size_t)st.st_size) {
        ssize_t k = read(fd, buf + got, (size_t)st.st_size - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    close(fd);
    if (!buf) {
        err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
        return NULL;
    }
    *len = got;
    return buf;
}

void files_unlink(struct req *r, const char *sha)
{
    char *path = files_path(r, sha);
    if (path)
        unlink(path);
}
