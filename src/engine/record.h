/* SPDX-License-Identifier: MIT
 * record.h - create, read, update and delete one record of any collection,
 * with validation, reference checks, tree checks, hooks and optimistic
 * concurrency. Used by the REST handlers, import, demo data and module
 * actions. All calls are scoped to r->tenant_id.
 *
 * Calls that write open their own transaction unless the connection is
 * already in one (then they join it and leave commit to the caller).
 */
#ifndef BUREAU_RECORD_H
#define BUREAU_RECORD_H

#include "res.h"

#include <jansson.h>
#include <stdint.h>

struct req;
struct buf;
struct db_conn;
struct db_stmt;
struct res_val;

/* Appends the record at the current row of st (columns in res_cols order,
 * starting at column 0) as a JSON object; hidden fields are left out, and so
 * are those hide[] marks PERM_HIDDEN; those it marks PERM_MASKED are sent
 * masked (perm_hidden_mask; NULL: none). */
void rec_render_row(struct buf *b, const struct res_entity *ent, struct db_stmt *st, int utc_off,
                    const unsigned char *hide);
/* The current row of st as a jansson object with every field (hidden too). */
json_t *rec_row_json(const struct res_entity *ent, struct db_stmt *st, int utc_off);
/* "id, version, created_at, updated_at, f1, …" for ent. */
const char *rec_select_list(const struct res_entity *ent);

/* Takes record id's row lock for the rest of the transaction (PostgreSQL: a
 * no-op update; SQLite's write transaction holds the whole database
 * already): 0 when the record exists (whatever the caller's scope), 1 when
 * it does not, or an error. Two steps on one record, or two dispatches of
 * one vehicle, take turns this way. */
/* Appends an audit entry by r's user in the open transaction: action on
 * record id (0: none) of collection, before and after borrowed (NULL: none). */
int rec_audit(struct req *r, struct db_conn *c, const char *action, const char *collection,
              int64_t id, json_t *before, json_t *after, struct err *e);

int rec_lock(struct req *r, struct db_conn *c, const struct res_entity *ent, int64_t id,
             struct err *e);
/* Reads one record and appends its JSON to out; ERR_NOT_FOUND when absent. */
int rec_get(struct req *r, struct db_conn *c, const struct res_entity *ent, int64_t id,
            struct buf *out, int64_t *version, struct err *e);
/* The answer to a create: the new record as written, even when the caller's
 * read scope would not show it (a tenant created for the platform). */
int rec_get_created(struct req *r, struct db_conn *c, const struct res_entity *ent, int64_t id,
                    struct buf *out, int64_t *version, struct err *e);
/* Reads one record as jansson (caller owns it); ERR_NOT_FOUND when absent. */
int rec_load(struct req *r, struct db_conn *c, const struct res_entity *ent, int64_t id,
             json_t **out, struct err *e);
/* Creates from client input (RES_CREATE rules). *id receives the new id. */
int rec_create(struct req *r, struct db_conn *c, const struct res_entity *ent, json_t *in,
               int64_t *id, struct err *e);
/* Creates a record the server composed (read-only fields allowed, no
 * department scope check): server-side records such as work orders. */
int rec_create_trusted(struct req *r, struct db_conn *c, const struct res_entity *ent,
                       json_t *in, int64_t *id, struct err *e);
/* Applies a client patch. if_version > 0 must equal the stored version
 * (ERR_CONFLICT_VERSION otherwise). */
int rec_update(struct req *r, struct db_conn *c, const struct res_entity *ent, int64_t id,
               json_t *patch, int64_t if_version, struct err *e);
/* Writes a full trusted record (server-side state changes by actions). */
int rec_update_trusted(struct req *r, struct db_conn *c, const struct res_entity *ent,
                       int64_t id, json_t *rec, struct err *e);
/* Deletes; ERR_REFERENCED while other records point at it. */
int rec_delete(struct req *r, struct db_conn *c, const struct res_entity *ent, int64_t id,
               int64_t if_version, struct err *e);

#endif
