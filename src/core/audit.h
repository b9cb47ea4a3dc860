/* SPDX-License-Identifier: MIT
 * audit.h - the tamper-evident audit chain: one hash chain per tenant.
 *
 * Every mutation, sign-in and permission change appends an entry to the
 * tenant's chain in the same transaction as the change; each entry's hash
 * covers its content and the previous entry's hash. `bureau audit verify`
 * recomputes the chain and names the first broken entry; `bureau audit
 * anchor` (and the daily job core.audit_anchor) writes the head hash to a file
 * kept elsewhere. Format and procedures: docs/internals/audit.md.
 */
#ifndef BUREAU_AUDIT_H
#define BUREAU_AUDIT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct db;
struct db_conn;
struct err;
struct buf;
struct job_ctx;
struct json_t;

#define AUDIT_HASH_LEN 64   /* lower-case hex digits of a SHA-256 */
#define AUDIT_NFIELDS 11    /* hashed fields, see audit_hash_hex() */
#define AUDIT_ACTOR_MAX 100 /* characters kept of an actor name */
#define AUDIT_NAME_MAX 60   /* bytes of an action or collection name */
/* The largest before/after JSON text an entry may hold. */
#define AUDIT_JSON_MAX (16u << 20)

struct audit_event {
    int64_t tenant_id;      /* required */
    int64_t actor_id;       /* the user; 0: none (stored NULL) */
    const char *actor;      /* user name as shown; NULL: none. Truncated to
                               AUDIT_ACTOR_MAX characters, invalid UTF-8 → '?' */
    const char *action;     /* required: "create", "update", "delete", "login", … */
    const char *collection; /* NULL for events without a record (login) */
    int64_t record_id;      /* 0: none (stored NULL) */
    struct json_t *before;  /* borrowed; NULL or JSON null: none */
    struct json_t *after;   /* borrowed; NULL or JSON null: none */
    int64_t at;             /* UTC seconds; 0: now */
};

/* Appends ev to its tenant's chain. Must run inside the caller's open
 * transaction (db_in_tx(c)), which it leaves open: the entry commits or rolls
 * back with the change it records. Writers of one tenant are serialised by
 * that tenant's row in bureau_audit_heads, held until the caller's commit, so
 * call it late in the transaction. Returns 0, ERR_INTERNAL (no transaction,
 * bad event, corrupt head row) or a database error (roll back then). */
int audit_append(struct db_conn *c, const struct audit_event *ev, struct err *e);

/* Recomputes the chain of tenant_id (0: every tenant), each in one read
 * snapshot, in batches. Checks that seq runs 1, 2, 3… without gaps, that each
 * stored hash matches its content, that each prev_hash is the previous entry's
 * hash, and that the tenant's head row matches the last entry. When
 * anchor_dir is not NULL, also checks every line of its
 * audit-anchor-<tenant>.txt files: the anchored entry must still have the
 * anchored hash. Prints one summary line per tenant to out (may be NULL).
 * Returns 0 when intact; -ERR_RULE with e->detail naming the tenant, the first
 * broken entry's seq (and id) and what is wrong; or a database error. */
int audit_verify(struct db *db, int64_t tenant_id, FILE *out, struct err *e);
int audit_verify_anchored(struct db *db, int64_t tenant_id, const char *anchor_dir, FILE *out,
                          struct err *e);

/* Verifies each chain (tenant_id 0: every tenant with a chain) from the last
 * line of its anchor file (or from seq 1 when there is none) to its head, and
 * only then appends "YYYY-MM-DD tenant seq hash\n" (UTC date) to
 * dir/audit-anchor-<tenant>.txt, flushed to disk. *anchored (may be NULL)
 * receives the number of lines written. Returns 0, -ERR_RULE when a chain is
 * broken (nothing written for it), or an I/O or database error. */
int audit_anchor(struct db *db, int64_t tenant_id, const char *dir, FILE *out, int *anchored,
                 struct err *e);

/* The daily job "core.audit_anchor": audit_anchor() into the directory in
 * env BUREAU_AUDIT_ANCHOR_DIR; does nothing ("no anchor directory") when the
 * variable is unset or empty. */
int audit_job_anchor(struct job_ctx *j, struct err *e);

/* Appends to out a JSON array of the entries of one record, oldest first:
 * [{"seq", "at" (RFC 3339 at utc_off minutes), "actor", "action", "before",
 * "after"}]. Returns 0, ERR_BUDGET when out refused memory, or a database
 * error. */
int audit_history(struct db_conn *c, int64_t tenant_id, const char *collection, int64_t record_id,
                  struct buf *out, int utc_off, struct err *e);

/* One hashed field as stored: p == NULL is SQL NULL; integers are their
 * decimal text. */
struct audit_text {
    const char *p;
    size_t n;
};

/* hex = lower-case SHA-256 of "bureau-audit-v1" followed by each field in
 * order (seq, tenant_id, at, actor_id, actor, action, collection, record_id,
 * before, after, prev_hash), a NULL field as "N" and any other as "S", its
 * length in bytes in decimal, ":" and its bytes. hex must hold 65 bytes. */
void audit_hash_hex(const struct audit_text f[AUDIT_NFIELDS], char *hex);

/* `bureau audit verify|anchor …` (argv after "audit"); returns the exit
 * status: 0 intact / anchored, 1 broken or failed, 2 usage. */
int audit_cli(int argc, char **argv);

#endif
