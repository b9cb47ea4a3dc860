/* SPDX-License-Identifier: MIT
 * procure/bids.h - the sealed bids' part of the module: what its files share.
 */
#ifndef BUREAU_PC_BIDS_H
#define BUREAU_PC_BIDS_H

#include "procure.h"
#include "seal.h"

struct req;
struct db_conn;
struct err;

/* A sealed bid: at most 512 KiB of sealed box, sent and stored as base64. */
#define PC_BID_MAX_BYTES (512 * 1024)
#define PC_BID_MAX_B64 (((PC_BID_MAX_BYTES + 2) / 3) * 4)
/* Shares not yet taken by their officials stay in the server's memory (never
 * in the database) at most this long; a seal whose shares were lost is made
 * again before the first bid. */
#define PC_SHARE_TTL_S (7 * 86400)

extern const struct res_entity pc_seals, pc_officials, pc_receipt_keys;

/* "assigned" scope: the caller's suppliers (the caller's own user: procure.h). */
int pc_assigned_supplier(struct req *r, struct db_conn *c, int64_t **ids, int *n, struct err *e);

/* suppliers.c: the qualification documents attached after a write */
int pc_supplier_after_write(struct res_write *w);

/* routes (bids.c, opening.c) */
int pc_route_seal(struct req *r);
int pc_route_take_share(struct req *r);
int pc_route_submit(struct req *r);
int pc_route_replace(struct req *r);
int pc_route_withdraw(struct req *r);
int pc_route_receipt_keys(struct req *r);
int pc_route_open_projects(struct req *r);
int pc_route_open(struct req *r);
int pc_route_my_shares(struct req *r);
int pc_route_demo_shares(struct req *r);
int pc_route_register(struct req *r);

/* A bid's plaintext (the envelope the browser sealed, JSON):
 * {"v":1,"project_id":N,"supplier_id":N,"price_fen":N,"technical":"…",
 *  "documents":[{"name":"…","type":"…","data":"base64"}]}: 0 with the price,
 * the technical text (inside *keep) and the documents' list (names, types,
 * sizes); the caller decrefs *docs and *keep. Or -1 with why (static text). */
int pc_bid_parse(const unsigned char *p, size_t n, int64_t project, int64_t supplier,
                 int64_t *price, const char **technical, json_t **docs, const char **why,
                 json_t **keep);

/* The project's status and bid deadline (Unix seconds, 0 none), read by SQL:
 * 1 found, 0 not, or a negative ERR_*. */
int pc_project_state(struct req *r, struct db_conn *c, int64_t project, const char **status,
                     int64_t *deadline, struct err *e);

/* Pending shares (pending.c): kept in guarded memory until taken. */
int pc_pending_put(int64_t tenant, int64_t seal, int64_t user, const struct pc_share *s,
                   int64_t expires);
/* Copies the share for (tenant, seal, user) into *out: 0, or -1 none. */
int pc_pending_get(int64_t tenant, int64_t seal, int64_t user, struct pc_share *out);
/* Wipes one (user > 0) or every share of a seal (user 0). */
void pc_pending_drop(int64_t tenant, int64_t seal, int64_t user);

#endif
