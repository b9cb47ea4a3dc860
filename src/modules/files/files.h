/* SPDX-License-Identifier: MIT
 * files.h - uploaded files (photos of a service request, later scans and
 * attachments): kept outside the database under --files-dir, named by
 * their SHA-256, with a `files` row each. A file is readable by its
 * uploader until a module attaches it to a record, and then by whoever may
 * read that record.
 *
 *   POST /api/v1/files/upload     body: the bytes; Content-Type: image/jpeg|png|webp
 *                                 (?name=original.jpg) → 201 the files row
 *   GET  /api/v1/files/{id}/content
 */
#ifndef BUREAU_FILES_H
#define BUREAU_FILES_H

#include "../../engine/res.h"
#include "../../engine/module.h"

#include <stddef.h>
#include <stdint.h>

extern const struct res_entity files_files;
extern const struct module files_module;

#define FILES_MAX_PHOTO (5u << 20) /* bytes of one photo */

struct req;
struct db_conn;
struct err;

/* The image type the bytes are, by their content ("image/jpeg",
 * "image/png", "image/webp"), or NULL. */
const char *files_sniff_image(const unsigned char *p, size_t n);

/* Attaches the files whose ids are in the JSON array ids (at most max) to
 * record_id of collection, inside the caller's transaction: each must be a
 * file of this tenant uploaded by the caller and not attached elsewhere
 * (already attached to this record is fine). Problems are reported as
 * field errors on `field` (422). */
int files_attach(struct req *r, struct db_conn *c, json_t *ids, int max, const char *field,
                 const char *collection, int64_t record_id, struct err *e);

/* The folder of the request tenant's files (arena memory). */
const char *files_dir(struct req *r);
/* store.c: keeps data under its SHA-256 (hex) unless already kept. */
int files_store(struct req *r, const char *sha, const void *data, size_t len, struct err *e);
/* store.c: the stored bytes (arena memory), or NULL with ERR_NOT_FOUND. */
void *files_read(struct req *r, const char *sha, size_t *len, struct err *e);
/* store.c: removes the stored bytes (when no row names them any more). */
void files_unlink(struct req *r, const char *sha);
char *files_path(struct req *r, const char *sha);

#endif
