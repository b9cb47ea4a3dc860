/* SPDX-License-Identifier: MIT
 * files/module.c - the `files` collection, upload and download, attaching
 * files to the records that use them, and a job that removes uploads never
 * attached to anything within a day. See files.h.
 */
#include "files.h"
#include "../../base/arena.h"
#include "../../core/auth.h"
#include "../../base/buf.h"
#include "../../core/config.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../core/jobs.h"
#include "../../core/router.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../engine/record.h"
#include "../../engine/rest.h"

#include <jansson.h>
#include <stdio.h>
#include <sodium.h>
#include <string.h>

#define UNATTACHED_TTL (24 * 3600) /* seconds an upload may wait for its record */

static const struct res_enum file_types[] = {
    {"image/jpeg", "JPEG 图片", "JPEG image"},
    {"image/png", "PNG 图片", "PNG image"},
    {"image/webp", "WebP 图片", "WebP image"},
    {0},
};

static const struct res_field file_fields[] = {
    {.name = "name", .type = RES_TEXT, .zh = "文件名", .en = "File name", .required = 1,
     .max_len = 200, .list = 1, .search = 1},
    {.name = "content_type", .type = RES_ENUM, .values = file_types, .zh = "类型",
     .en = "Type", .required = 1, .list = 1, .filter = 1},
    {.name = "size", .type = RES_INT, .zh = "大小(字节)", .en = "Size (bytes)", .required = 1,
     .has_min = 1, .min = 1, .list = 1, .sort = 1},
    {.name = "sha256", .type = RES_TEXT, .zh = "SHA-256", .en = "SHA-256", .required = 1,
     .min_len = 64, .max_len = 64, .pattern = "^[0-9a-f]{64}$", .filter = 1},
    {.name = "collection", .type = RES_TEXT, .zh = "所属集合", .en = "Attached to",
     .max_len = 60, .list = 1, .filter = 1},
    {.name = "record_id", .type = RES_INT, .zh = "所属记录", .en = "Record", .list = 1,
     .filter = 1},
    {0},
};

static const char *const file_indexes[] = {"collection,record_id", NULL};

const struct res_entity files_files = {
    .name = "files", .zh = "文件", .en = "Files", .module = "files", .fields = file_fields,
    .title = "name", .api_readonly = 1, .indexes = file_indexes, .default_sort = "-id",
    .since = 2,
};

/* A file name as kept: at most 200 characters, no path or control characters. */
static char *clean_name(struct arena *a, const char *s, const char *kind)
{
    const char *ext = !strcmp(kind, "image/png") ? "png" : !strcmp(kind, "image/webp") ? "webp"
                                                                                      : "jpg";
    if (!s || !*s)
        return arena_printf(a, "photo.%s", ext);
    size_t n = strlen(s), o = 0, chars = 0;
    char *out = arena_alloc(a, n + 1);
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f || c == '/' || c == '\\')
            c = '_';
        if ((c & 0xc0) != 0x80 && chars++ == 200) /* whole characters only */
            break;
        out[o++] = (char)c;
    }
    out[o] = 0;
    json_t *valid = json_string(out); /* NULL when not UTF-8 */
    if (!valid || !o)
        return arena_printf(a, "photo.%s", ext);
    json_decref(valid);
    return out;
}

/* POST /api/v1/files/upload: the body is the file. */
static int h_upload(struct req *r)
{
    struct err *e = &r->err;
    const unsigned char *p = (const unsigned char *)r->body.p;
    size_t n = r->body.len;
    const char *kind = n ? files_sniff_image(p, n) : NULL;
    const char *claimed = req_header(r, "Content-Type");
    size_t cn = claimed ? strcspn(claimed, "; ") : 0;
    if (!n)
        err_field(e, "file", "files.empty", "is empty");
    else if (n > FILES_MAX_PHOTO)
        err_field(e, "file", "files.too_big", "must be at most {mb}%u MB", FILES_MAX_PHOTO >> 20);
    else if (!kind)
        err_field(e, "file", "files.type",
                  "must be a JPEG, PNG or WebP image (checked by its content)");
    else if (cn && strncmp(claimed, "application/octet-stream", cn) &&
             (strlen(kind) != cn || strncmp(claimed, kind, cn)))
        err_field(e, "file", "files.mismatch",
                  "is a {kind}%s image, not the {sent}%.*s it was sent as", kind + 6, (int)cn,
                  claimed);
    if (e->nitems)
        return err_invalid(e);
    unsigned char h[crypto_hash_sha256_BYTES];
    char sha[2 * sizeof(h) + 1];
    crypto_hash_sha256(h, p, n);
    sodium_bin2hex(sha, sizeof(sha), h, sizeof(h));
    char *name = clean_name(r->a, req_query(r, "name"), kind);
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    if (!name)
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    int rc = files_store(r, sha, p, n, e);
    if (rc)
        return rc;
    json_t *rec = json_pack("{s:s,s:s,s:I,s:s}", "name", name, "content_type", kind, "size",
                            (json_int_t)n, "sha256", sha);
    int64_t id = 0, version;
    rc = rec ? rec_create(r, c, &files_files, rec, &id, e) : -ERR_INTERNAL;
    json_decref(rec);
    if (rc || (rc = rec_get_created(r, c, &files_files, id, &r->out, &version, e)))
        return rc;
    resp_header(r, "Location", arena_printf(r->a, "/api/v1/files/%lld/content", (long long)id));
    return resp_json(r, 201);
}

struct file_row {
    int64_t id, created_by, record_id;
    char sha[65], kind[16], collection[64];
    char *name;
};

/* The row of a file of the request's tenant, whatever the caller's scope:
 * 0, 1 when there is none, or <0 (database). */
static int load_row(struct req *r, struct db_conn *c, int64_t id, struct file_row *f,
                    struct err *e)
{
    struct db_stmt *st;
    size_t n;
    memset(f, 0, sizeof(*f));
    int rc =
        db_prepare_ints(c,
                        "SELECT id, created_by, sha256, content_type, collection, record_id, name "
                        "FROM files WHERE tenant_id = ? AND id = ?",
                        DB_INTS(r->tenant_id, id), &st, e);
    if (rc)
        return rc;
    rc = db_step(st, e);
    if (rc == DB_ROW) {
        const char *s;
        f->id = db_col_int(st, 0);
        f->created_by = db_col_int(st, 1);
        s = db_col_text(st, 2, &n);
        if (n < sizeof(f->sha))
            memcpy(f->sha, s, n + 1);
        s = db_col_text(st, 3, &n);
        if (n < sizeof(f->kind))
            memcpy(f->kind, s, n + 1);
        s = db_col_text(st, 4, &n);
        if (n < sizeof(f->collection))
            memcpy(f->collection, s, n + 1);
        f->record_id = db_col_int(st, 5);
        s = db_col_text(st, 6, &n);
        f->name = arena_strdup(r->a, s);
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    return rc == DB_ROW ? 0 : 1;
}

/* May the caller read this file? Its uploader may; once attached, whoever
 * may read the record; a role that may read files tenant-wide may. */
static int may_read(struct req *r, struct db_conn *c, const struct file_row *f, struct err *e)
{
    if (r->who && f->created_by == r->user_id && !r->who->token_id)
        return 0;
    if (perm_scope(r, &files_files, "read") == SCOPE_TENANT)
        return 0;
    const struct res_entity *ent = f->collection[0] ? res_find(f->collection, strlen(f->collection))
                                                    : NULL;
    if (ent && !perm_check(r, ent, "read")) {
        struct buf tmp;
        int64_t version;
        buf_init(&tmp, r->a);
        if (!rec_get(r, c, ent, f->record_id, &tmp, &version, e))
            return 0;
    }
    err_clear(e);
    /* the same answer as for a file that does not exist */
    return err_set(e, ERR_NOT_FOUND, NULL, NULL, "no file {id}%lld", (long long)f->id);
}

/* GET /api/v1/files/{id}/content */
static int h_content(struct req *r)
{
    int64_t id;
    struct file_row f;
    size_t len;
    int rc = rest_id(r, 3, &id);
    if (rc)
        return rc;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    if ((rc = load_row(r, c, id, &f, &r->err)) == 1)
        return err_set(&r->err, ERR_NOT_FOUND, NULL, NULL, "no file {id}%lld", (long long)id);
    if (rc || (rc = may_read(r, c, &f, &r->err)))
        return rc;
    const char *etag = arena_printf(r->a, "\"%s\"", f.sha);
    resp_header(r, "ETag", etag);
    r->cache_control = "private, max-age=86400";
    const char *inm = req_header(r, "If-None-Match");
    if (inm && etag && strstr(inm, etag)) {
        r->status = 304;
        return 0;
    }
    void *data = files_read(r, f.sha, &len, &r->err);
    if (!data)
        return -ERR_NOT_FOUND;
    char enc[3 * 200 + 1];
    size_t o = 0;
    for (const unsigned char *s = (const unsigned char *)f.name; s && *s && o + 4 < sizeof(enc);
         s++) {
        static const char hex[] = "0123456789ABCDEF";
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
            *s == '.' || *s == '-' || *s == '_') {
            enc[o++] = (char)*s;
        } else {
            enc[o++] = '%';
            enc[o++] = hex[*s >> 4];
            enc[o++] = hex[*s & 15];
        }
    }
    enc[o] = 0;
    resp_header(r, "Content-Disposition", arena_printf(r->a, "inline; filename*=UTF-8''%s", enc));
    r->csp = "default-src 'none'; sandbox";
    r->ctype = arena_strdup(r->a, f.kind);
    r->file = data;
    r->file_len = len;
    r->status = 200;
    return 0;
}

int files_attach(struct req *r, struct db_conn *c, json_t *ids, int max, const char *field,
                 const char *collection, int64_t record_id, struct err *e)
{
    size_t i;
    json_t *v;
    if (!ids || json_is_null(ids))
        return 0;
    if (!json_is_array(ids)) {
        err_field(e, field, "files.ids", "must be a list of file ids");
        return err_invalid(e);
    }
    if (json_array_size(ids) > (size_t)max) {
        err_field(e, field, "files.too_many", "at most {max}%d files", max);
        return err_invalid(e);
    }
    json_array_foreach(ids, i, v) {
        struct file_row f;
        if (!json_is_integer(v) || json_integer_value(v) <= 0) {
            err_field(e, field, "files.ids", "item {item}%zu is not a file id", i + 1);
            continue;
        }
        int64_t id = json_integer_value(v);
        int rc = load_row(r, c, id, &f, e);
        if (rc == 1 || (!rc && f.created_by != r->user_id)) {
            err_field(e, field, "files.not_yours", "file {file}%lld is not one you uploaded",
                      (long long)id);
            continue;
        }
        if (rc)
            return rc;
        if (f.collection[0] && (strcmp(f.collection, collection) || f.record_id != record_id)) {
            err_field(e, field, "files.taken", "file {file}%lld belongs to another record",
                      (long long)id);
            continue;
        }
        if (f.collection[0])
            continue;
        json_t *patch = json_pack("{s:s,s:I}", "collection", collection, "record_id",
                                  (json_int_t)record_id);
        /* the server's own write: the caller's scope on files does not apply */
        const struct res_entity *se = r->scope_ent;
        int sc = r->scope;
        r->scope_ent = &files_files;
        r->scope = SCOPE_TENANT;
        rc = patch ? rec_update_trusted(r, c, &files_files, id, patch, e) : -ERR_INTERNAL;
        r->scope_ent = se;
        r->scope = sc;
        json_decref(patch);
        if (rc)
            return rc;
    }
    if (e->nitems)
        return err_invalid(e);
    return 0;
}

/* Uploads nobody attached within a day: their rows go (audited), and their
 * bytes when no other row of the tenant names them. */
static int prune_unattached(struct job_ctx *j, struct err *e)
{
    struct db_stmt *st;
    int64_t ids[200], tenants[200];
    int n = 0, removed = 0;
    int rc = db_prepare_ints(j->c,
                             "SELECT id, tenant_id FROM files WHERE collection IS NULL AND "
                             "created_at < ? ORDER BY id LIMIT 200",
                             DB_INTS(j->now - UNATTACHED_TTL), &st, e);
    if (rc)
        return rc;
    while ((rc = db_step(st, e)) == DB_ROW && n < 200) {
        ids[n] = db_col_int(st, 0);
        tenants[n] = db_col_int(st, 1);
        n++;
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    for (int i = 0; i < n; i++) {
        struct arena *a = arena_new(1u << 20);
        struct req r;
        struct file_row f;
        req_init_internal(&r, a, config_current(), j->db);
        r.tenant_id = tenants[i];
        r.dbc = j->c;
        rc = load_row(&r, j->c, ids[i], &f, e);
        if (rc == 1) { /* gone meanwhile */
            arena_free(a);
            continue;
        }
        if (!rc)
            rc = rec_delete(&r, j->c, &files_files, ids[i], 0, e);
        if (!rc && db_prepare(j->c, "SELECT 1 FROM files WHERE tenant_id = ? AND sha256 = ?",
                              &st, e) == 0) {
            db_bind_int(st, 1, tenants[i]);
            db_bind_text(st, 2, f.sha, strlen(f.sha));
            int still = db_step(st, e) == DB_ROW;
            db_reset(st);
            if (!still)
                files_unlink(&r, f.sha);
        }
        arena_free(a);
        if (rc == -ERR_NOT_FOUND || rc == -ERR_CONFLICT_VERSION) { /* attached meanwhile */
            err_clear(e);
            continue;
        }
        if (rc)
            return rc;
        removed++;
    }
    snprintf(j->message, sizeof(j->message), "%d unattached upload%s removed", removed,
             removed == 1 ? "" : "s");
    return 0;
}

static const struct route files_routes[] = {
    {.method = HTTP_POST, .pattern = "/api/v1/files/upload", .fn = h_upload},
    {.method = HTTP_GET, .pattern = "/api/v1/files/{id}/content", .fn = h_content},
    {0},
};

static const struct job_def files_jobs[] = {
    {.name = "files.prune_unattached", .interval_s = 3600, .run = prune_unattached},
    {0},
};

static const struct res_entity *const files_entities[] = {&files_files, NULL};

const struct module files_module = {
    .name = "files",
    .zh = "文件",
    .en = "Files",
    .entities = files_entities,
    .routes = files_routes,
    .jobs = files_jobs,
};
