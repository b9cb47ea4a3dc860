/* SPDX-License-Identifier: MIT
 * audit.c - the per-tenant audit hash chain: appending inside the caller's
 * transaction, verifying (batched, one read snapshot per tenant), anchoring
 * head hashes to files, a record's history, and `bureau audit`. It does not
 * decide what is audited: callers (record writes, sign-in) build the events.
 * See audit.h and docs/internals/audit.md.
 */
#include "audit.h"
#include "../base/buf.h"
#include "../base/base.h"
#include "../base/err.h"
#include "jobs.h"
#include "../db/db.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BATCH 1000      /* entries read per statement while verifying */
#define HIST_BATCH 500  /* entries read per statement for a record's history */
#define TENANT_BATCH 64 /* tenants listed per statement */
#define DOMAIN "bureau-audit-v1"
#define Z8 "00000000"
static const char zero_hash[AUDIT_HASH_LEN + 1] = Z8 Z8 Z8 Z8 Z8 Z8 Z8 Z8;

/* The columns read for an entry: id and seq (as an integer), then the hashed
 * fields in hashing order (from column 2), then the stored hash (column 13). */
#define ENTRY_COLS                                                                                 \
    "id, seq, seq, tenant_id, at, actor_id, actor, action, collection, record_id, before, "        \
    "after, prev_hash, hash"
#define COL_FIELDS 2
#define COL_PREV 12
#define COL_HASH 13

/* ---- hashing ---- */

static void put_field(crypto_hash_sha256_state *h, const struct audit_text *t)
{
    if (!t->p) {
        crypto_hash_sha256_update(h, (const unsigned char *)"N", 1);
        return;
    }
    char pre[32];
    int k = snprintf(pre, sizeof(pre), "S%zu:", t->n);
    crypto_hash_sha256_update(h, (const unsigned char *)pre, (unsigned long long)k);
    crypto_hash_sha256_update(h, (const unsigned char *)t->p, (unsigned long long)t->n);
}

void audit_hash_hex(const struct audit_text f[AUDIT_NFIELDS], char *hex)
{
    crypto_hash_sha256_state h;
    unsigned char md[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, (const unsigned char *)DOMAIN, sizeof(DOMAIN) - 1);
    for (int i = 0; i < AUDIT_NFIELDS; i++)
        put_field(&h, &f[i]);
    crypto_hash_sha256_final(&h, md);
    sodium_bin2hex(hex, AUDIT_HASH_LEN + 1, md, sizeof(md));
}

static int is_hash(const char *p, size_t n)
{
    if (n != AUDIT_HASH_LEN)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
            return 0;
    return 1;
}

/* ---- appending ---- */

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 when invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0], cp, min;
    size_t len;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2, cp = c & 0x1f, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
        len = 3, cp = c & 0x0f, min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4, cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3fu);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

/* Copies at most AUDIT_ACTOR_MAX characters of s into out (cap bytes, at
 * least 4 * AUDIT_ACTOR_MAX + 1), invalid bytes as '?'. Returns the length. */
static size_t clean_actor(const char *s, char *out, size_t cap)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), o = 0;
    for (int chars = 0; n && chars < AUDIT_ACTOR_MAX; chars++) {
        size_t k = utf8_seq(p, n);
        if (o + (k ? k : 1) >= cap)
            break;
        if (k)
            memcpy(out + o, p, k);
        else
            out[o] = '?';
        o += k ? k : 1;
        p += k ? k : 1;
        n -= k ? k : 1;
    }
    out[o] = 0;
    return o;
}

static int to_buf(const char *p, size_t n, void *data)
{
    struct buf *b = data;
    buf_append(b, p, n);
    return buf_ok(b) ? 0 : -1;
}

/* Compact JSON with sorted keys into b; *has = 0 for NULL or JSON null. */
static int dump_json(json_t *j, struct buf *b, int *has, struct err *e)
{
    *has = j && !json_is_null(j);
    if (!*has)
        return 0;
    if (json_dump_callback(j, to_buf, b, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) ||
        !buf_ok(b) || !b->len)
        return err_set(e, ERR_INTERNAL, NULL, NULL, "audit: a before/after value over %u bytes",
                       AUDIT_JSON_MAX);
    return 0;
}

static struct audit_text txt(const char *p, size_t n)
{
    return (struct audit_text){p, n};
}

static struct audit_text num(char *tmp, size_t n, int64_t v)
{
    int k = snprintf(tmp, n, "%" PRId64, v);
    return txt(tmp, (size_t)k);
}

/* Replaces b[i] with the text in column col + i of st's row (when has[i]). */
static int take_rendered(struct db_stmt *st, int col, struct buf *b[2], const int has[2],
                         struct err *e)
{
    for (int i = 0; i < 2; i++) {
        size_t n;
        if (!has[i])
            continue;
        const char *s = db_col_text(st, col + i, &n);
        buf_truncate(b[i], 0);
        buf_append(b[i], s, n);
        if (!buf_ok(b[i]) || !n)
            return err_set(e, ERR_INTERNAL, NULL, NULL,
                           "audit: cannot render a before/after value");
    }
    return 0;
}

/* A JSON column that is not plain text (PostgreSQL's JSONB) keeps its own
 * rendering (key order, spacing, numbers): the chain hashes and stores the
 * text the database gives back, so ask for it. Fills casts with the select
 * list that does ("" when the column is plain text or nothing is sent). */
static int json_casts(struct db_conn *c, const int has[2], char *casts, size_t n)
{
    const char *t = db_sql(c->db)->t_json;
    casts[0] = 0;
    if (!strcmp(t, "TEXT") || (!has[0] && !has[1]))
        return 0;
    snprintf(casts, n, "CAST(? AS %s), CAST(? AS %s)", t, t);
    return 1;
}

static void bind_json(struct db_stmt *st, int idx, struct buf *b[2], const int has[2])
{
    for (int i = 0; i < 2; i++) {
        if (has[i])
            db_bind_text(st, idx + i, b[i]->p, b[i]->len);
        else
            db_bind_null(st, idx + i);
    }
}

/* Locks the tenant's chain and reads its head: the seq and hash the next
 * entry follows (0 and zeros for a new chain). The upsert creates the head
 * row on a tenant's first entry and otherwise locks it (PostgreSQL row lock
 * until commit; SQLite's write transaction is already exclusive), so
 * concurrent writers queue here. It also renders before/after (above). */
static int lock_head(struct db_conn *c, int64_t tenant, struct buf *b[2], const int has[2],
                     int64_t *seq, char *prev, struct err *e)
{
    char sql[320], casts[96];
    struct db_stmt *st;
    int render = json_casts(c, has, casts, sizeof(casts));
    snprintf(sql, sizeof(sql),
             "INSERT INTO bureau_audit_heads (tenant_id, seq, hash) VALUES (?, 0, ?) "
             "ON CONFLICT (tenant_id) DO UPDATE SET seq = bureau_audit_heads.seq "
             "RETURNING seq, hash%s%s",
             render ? ", " : "", casts);
    int rc = db_prepare_ints(c, sql, DB_INTS(tenant), &st, e);
    if (rc)
        return rc;
    db_bind_text(st, 2, zero_hash, AUDIT_HASH_LEN);
    if (render)
        bind_json(st, 3, b, has);
    rc = db_step(st, e);
    if (rc == DB_ROW) {
        size_t n;
        const char *h = db_col_text(st, 1, &n);
        *seq = db_col_int(st, 0);
        if (is_hash(h, n) && *seq >= 0) {
            memcpy(prev, h, AUDIT_HASH_LEN);
            prev[AUDIT_HASH_LEN] = 0;
            rc = render ? take_rendered(st, 2, b, has, e) : 0;
        } else {
            rc = err_set(e, ERR_INTERNAL, NULL, NULL,
                         "audit: the chain head of tenant %" PRId64 " is corrupt "
                         "(run bureau audit verify)",
                         tenant);
        }
    } else if (rc == DB_DONE) {
        rc = err_set(e, ERR_DB, NULL, NULL, "audit: the chain head returned no row");
    }
    db_reset(st);
    return rc;
}

/* Renders before/after alone, for appends that continue from memory. */
static int render_json(struct db_conn *c, struct buf *b[2], const int has[2], struct err *e)
{
    char sql[128], casts[96];
    struct db_stmt *st;
    if (!json_casts(c, has, casts, sizeof(casts)))
        return 0;
    snprintf(sql, sizeof(sql), "SELECT %s", casts);
    int rc = db_prepare(c, sql, &st, e);
    if (rc)
        return rc;
    bind_json(st, 1, b, has);
    rc = db_step(st, e);
    if (rc == DB_ROW)
        rc = take_rendered(st, 0, b, has, e);
    else if (rc == DB_DONE)
        rc = err_set(e, ERR_DB, NULL, NULL, "audit: the database rendered no JSON");
    db_reset(st);
    return rc;
}

static int write_head(struct db_conn *c, int64_t tenant, int64_t seq, const char *hash,
                      struct err *e)
{
    struct db_stmt *st;
    int rc =
        db_prepare_ints(c, "UPDATE bureau_audit_heads SET seq = ?, hash = ? WHERE tenant_id = ?",
                        DB_INTS(seq), &st, e);
    if (rc)
        return rc;
    db_bind_text(st, 2, hash, AUDIT_HASH_LEN);
    db_bind_int(st, 3, tenant);
    rc = db_step(st, e);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* The chains this thread's open transaction has appended to. With a
 * before-commit hook from the database layer their head rows are written
 * once, just before the commit: PostgreSQL keeps every version of a row that
 * one transaction updates until it ends, and a lookup walks them all, so a
 * head written per append makes a 10,000-row import quadratic. Without the
 * hook every append writes its head at once. One connection per thread is
 * assumed: a thread that appends in two transactions at once loses the first
 * one's heads, and its commit is refused. */
#define TX_TENANTS 8
struct pending {
    struct db_conn *c;
    uint64_t tx;
    int n;
    int hooked;
    struct {
        int64_t tenant, seq;
        char hash[AUDIT_HASH_LEN + 1];
    } t[TX_TENANTS];
};
static _Thread_local struct pending pend;

#ifdef DB_BEFORE_COMMIT
static int flush_heads(struct db_conn *c, void *arg, struct err *e)
{
    struct pending *p = arg;
    int rc = 0;
    /* the thread appended in another transaction meanwhile (two connections
     * at once, which bureau does not do): the heads are lost, refuse */
    if (p->c != c || p->tx != db_tx_serial(c))
        return err_set(e, ERR_INTERNAL, NULL, NULL,
                       "audit: this transaction's chain heads were lost (appends on two "
                       "connections of one thread at once)");
    for (int i = 0; i < p->n && !rc; i++)
        rc = write_head(c, p->t[i].tenant, p->t[i].seq, p->t[i].hash, e);
    p->c = NULL;
    p->n = 0;
    return rc;
}

static uint64_t tx_serial(struct db_conn *c)
{
    return db_tx_serial(c);
}

static int hook_heads(struct db_conn *c, struct pending *p)
{
    struct err e;
    err_clear(&e);
    return !db_before_commit(c, flush_heads, p, &e);
}
#else
static uint64_t tx_serial(struct db_conn *c)
{
    (void)c;
    return 0;
}

static int hook_heads(struct db_conn *c, struct pending *p)
{
    (void)c;
    (void)p;
    return 0;
}
#endif

static int insert_entry(struct db_conn *c, const struct audit_event *ev, int64_t at,
                        const struct audit_text *f, const char *hash, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(c,
                        "INSERT INTO audit_entries (tenant_id, version, created_at, updated_at, "
                        "created_by, seq, at, actor_id, actor, action, collection, record_id, "
                        "before, after, prev_hash, hash) "
                        "VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        &st, e);
    if (rc)
        return rc;
    int k = 1;
    db_bind_int(st, k++, ev->tenant_id);
    db_bind_int(st, k++, at);
    db_bind_int(st, k++, at);
    db_bind_int_or_null(st, k++, ev->actor_id);
    /* the hashed fields but tenant_id (bound above), in hashing order */
    for (int i = 0; i < AUDIT_NFIELDS; i++) {
        if (i == 1)
            continue;
        if (f[i].p)
            db_bind_text(st, k++, f[i].p, f[i].n);
        else
            db_bind_null(st, k++);
    }
    db_bind_text(st, k, hash, AUDIT_HASH_LEN);
    rc = db_step(st, e);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int audit_append(struct db_conn *c, const struct audit_event *ev, struct err *e)
{
    char actor[AUDIT_ACTOR_MAX * 4 + 1], prev[AUDIT_HASH_LEN + 1], hash[AUDIT_HASH_LEN + 1];
    char n_seq[24], n_tenant[24], n_at[24], n_actor[24], n_rec[24];
    struct buf jb[2];
    struct buf *jp[2] = {&jb[0], &jb[1]};
    struct pending *p = &pend;
    int has[2] = {0, 0};
    int64_t seq = 0;
    int rc, slot = -1;

    if (!c || !db_in_tx(c))
        return err_set(e, ERR_INTERNAL, NULL, NULL,
                       "audit: an entry must be appended inside the transaction of its change");
    if (!ev || ev->tenant_id <= 0 || !ev->action || !*ev->action ||
        strlen(ev->action) > AUDIT_NAME_MAX ||
        (ev->collection && strlen(ev->collection) > AUDIT_NAME_MAX))
        return err_set(e, ERR_INTERNAL, NULL, NULL,
                       "audit: bad event (tenant, action or collection)");
    int64_t at = ev->at ? ev->at : clock_now();
    size_t actor_n = ev->actor ? clean_actor(ev->actor, actor, sizeof(actor)) : 0;
    for (int i = 0; i < 2; i++) {
        buf_init(&jb[i], NULL);
        jb[i].max = AUDIT_JSON_MAX;
    }
    if ((rc = dump_json(ev->before, &jb[0], &has[0], e)) ||
        (rc = dump_json(ev->after, &jb[1], &has[1], e)))
        goto out;

    if (p->c != c || p->tx != tx_serial(c)) {
        p->c = c;
        p->tx = tx_serial(c);
        p->n = 0;
        p->hooked = 0;
    }
    for (int i = 0; i < p->n; i++)
        if (p->t[i].tenant == ev->tenant_id)
            slot = i;
    if (slot >= 0) {
        /* this transaction already holds the chain: go on from memory */
        seq = p->t[slot].seq + 1;
        memcpy(prev, p->t[slot].hash, sizeof(prev));
        rc = render_json(c, jp, has, e);
    } else {
        rc = lock_head(c, ev->tenant_id, jp, has, &seq, prev, e);
        if (!rc && p->n < TX_TENANTS && !p->hooked)
            p->hooked = hook_heads(c, p);
        if (!rc && p->n < TX_TENANTS && p->hooked) {
            slot = p->n++;
            p->t[slot].tenant = ev->tenant_id;
            p->t[slot].seq = seq;
            memcpy(p->t[slot].hash, prev, sizeof(prev));
        }
        seq++;
    }
    if (rc)
        goto out;

    struct audit_text f[AUDIT_NFIELDS] = {
        num(n_seq, sizeof(n_seq), seq),
        num(n_tenant, sizeof(n_tenant), ev->tenant_id),
        num(n_at, sizeof(n_at), at),
        ev->actor_id ? num(n_actor, sizeof(n_actor), ev->actor_id) : txt(NULL, 0),
        ev->actor ? txt(actor, actor_n) : txt(NULL, 0),
        txt(ev->action, strlen(ev->action)),
        ev->collection ? txt(ev->collection, strlen(ev->collection)) : txt(NULL, 0),
        ev->record_id ? num(n_rec, sizeof(n_rec), ev->record_id) : txt(NULL, 0),
        has[0] ? txt(jb[0].p, jb[0].len) : txt(NULL, 0),
        has[1] ? txt(jb[1].p, jb[1].len) : txt(NULL, 0),
        txt(prev, AUDIT_HASH_LEN),
    };
    audit_hash_hex(f, hash);
    if ((rc = insert_entry(c, ev, at, f, hash, e)))
        goto out;
    if (slot >= 0) {
        p->t[slot].seq = seq;
        memcpy(p->t[slot].hash, hash, sizeof(hash));
    } else {
        rc = write_head(c, ev->tenant_id, seq, hash, e);
    }
out:
    buf_release(&jb[0]);
    buf_release(&jb[1]);
    return rc;
}

/* ---- verifying ---- */

/* Where a walk along one chain has got to. */
struct chain {
    int64_t tenant;
    int64_t count; /* entries checked */
    int64_t seq;   /* last good entry (0: none yet) */
    int64_t id;
    char hash[AUDIT_HASH_LEN + 1]; /* its hash; zeros before seq 1 */
};

static int broken(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int broken(struct err *e, const char *fmt, ...)
{
    char msg[sizeof(e->detail)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return err_set(e, ERR_RULE, NULL, "audit.broken", "%s", msg);
}

/* One consistent view of the database for the whole of a chain's walk. The
 * connection's in_tx lets db_rollback() end it. */
static int begin_snapshot(struct db_conn *c, struct err *e)
{
    if (db_in_tx(c))
        return err_set(e, ERR_INTERNAL, NULL, NULL, "audit: cannot verify inside a transaction");
    int rc = db_exec(c,
                     db_dialect(c->db) == DB_PG ? "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                                                : "BEGIN",
                     e);
    if (!rc)
        c->in_tx = 1;
    return rc;
}

static void row_hash(struct db_stmt *st, char *hex)
{
    struct audit_text f[AUDIT_NFIELDS];
    for (int i = 0; i < AUDIT_NFIELDS; i++) {
        if (db_col_is_null(st, COL_FIELDS + i))
            f[i] = txt(NULL, 0);
        else
            f[i].p = db_col_text(st, COL_FIELDS + i, &f[i].n);
    }
    audit_hash_hex(f, hex);
}

/* Checks that the entry in st's current row holds `hash` over its content;
 * fills hex with it. */
static int row_intact(struct db_stmt *st, char *hex)
{
    size_t n;
    row_hash(st, hex);
    if (db_col_is_null(st, COL_HASH))
        return 0;
    const char *stored = db_col_text(st, COL_HASH, &n);
    return n == AUDIT_HASH_LEN && !memcmp(stored, hex, AUDIT_HASH_LEN);
}

static int check_row(struct chain *ch, struct db_stmt *st, struct err *e)
{
    char hex[AUDIT_HASH_LEN + 1];
    int64_t id = db_col_int(st, 0), seq = db_col_int(st, 1), t = ch->tenant;
    size_t n;
    if (seq != ch->seq + 1) {
        if (!ch->seq)
            return broken(e,
                          "tenant %" PRId64 ": entry seq 1 is missing (the chain starts at "
                          "seq %" PRId64 ", id %" PRId64 ")",
                          t, seq, id);
        return broken(
            e, "tenant %" PRId64 ": entry seq %" PRId64 " is missing (after seq %" PRId64 ")", t,
            ch->seq + 1, ch->seq);
    }
    if (!row_intact(st, hex))
        return broken(e,
                      "tenant %" PRId64 ": entry seq %" PRId64 " (id %" PRId64 ") was "
                      "altered: its hash does not match its content",
                      t, seq, id);
    const char *prev = db_col_is_null(st, COL_PREV) ? "" : db_col_text(st, COL_PREV, &n);
    if (strlen(prev) != AUDIT_HASH_LEN || memcmp(prev, ch->hash, AUDIT_HASH_LEN)) {
        if (seq == 1)
            return broken(e,
                          "tenant %" PRId64 ": entry seq 1 (id %" PRId64 ") does not start "
                          "the chain: its prev_hash is not 64 zeros",
                          t, id);
        return broken(e,
                      "tenant %" PRId64 ": entry seq %" PRId64 " (id %" PRId64 ") does not "
                      "link to seq %" PRId64 ": its prev_hash is not the hash of seq %" PRId64
                      " (id %" PRId64 "; altered and rehashed, or replaced)",
                      t, seq, id, ch->seq, ch->seq, ch->id);
    }
    ch->seq = seq;
    ch->id = id;
    memcpy(ch->hash, hex, sizeof(hex));
    ch->count++;
    return 0;
}

/* Entries a walk by seq never meets: seq NULL or below 1. */
static int check_strays(struct db_conn *c, int64_t tenant, struct err *e)
{
    int64_t id;
    int rc = db_one_int(c,
                        "SELECT id FROM audit_entries WHERE tenant_id = ? AND (seq IS NULL OR "
                        "seq < 1) ORDER BY id LIMIT 1",
                        DB_INTS(tenant), &id, e);
    if (rc < 0)
        return rc;
    if (rc)
        return broken(e,
                      "tenant %" PRId64 ": entry id %" PRId64 " has no valid seq (null or "
                      "below 1): it was added or altered outside bureau",
                      tenant, id);
    return 0;
}

/* Walks the entries after ch->seq to the end of the chain. */
static int walk(struct db_conn *c, struct chain *ch, struct err *e)
{
    for (;;) {
        struct db_stmt *st;
        int rows = 0, rc = db_prepare(c,
                                      "SELECT " ENTRY_COLS " FROM audit_entries WHERE "
                                      "tenant_id = ? AND seq > ? ORDER BY seq LIMIT 1000",
                                      &st, e);
        if (rc)
            return rc;
        db_bind_int(st, 1, ch->tenant);
        db_bind_int(st, 2, ch->seq);
        while ((rc = db_step(st, e)) == DB_ROW) {
            rows++;
            if ((rc = check_row(ch, st, e)))
                break;
        }
        db_reset(st);
        if (rc < 0)
            return rc;
        if (rows < BATCH)
            return 0;
    }
}

static int check_head(struct db_conn *c, const struct chain *ch, struct err *e)
{
    struct db_stmt *st;
    char hh[AUDIT_HASH_LEN + 1] = "";
    int64_t hseq = 0, t = ch->tenant;
    int rc = db_prepare_ints(c, "SELECT seq, hash FROM bureau_audit_heads WHERE tenant_id = ?",
                             DB_INTS(t), &st, e);
    if (rc)
        return rc;
    rc = db_step(st, e);
    int found = rc == DB_ROW;
    if (found) {
        size_t n;
        const char *h = db_col_text(st, 1, &n);
        hseq = db_col_int(st, 0);
        snprintf(hh, sizeof(hh), "%.*s", (int)(n < AUDIT_HASH_LEN ? n : AUDIT_HASH_LEN), h);
        if (n != AUDIT_HASH_LEN)
            hh[0] = 0;
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    if (!found)
        return ch->seq ? broken(e,
                                "tenant %" PRId64 ": the chain's head row is missing (the "
                                "chain ends at seq %" PRId64 ", id %" PRId64 ")",
                                t, ch->seq, ch->id)
                       : 0;
    if (hseq > ch->seq)
        return broken(e,
                      "tenant %" PRId64 ": entry seq %" PRId64 " is missing (after seq %" PRId64
                      "; the head row says the chain ends at seq %" PRId64 ")",
                      t, ch->seq + 1, ch->seq, hseq);
    if (hseq < ch->seq)
        return broken(e,
                      "tenant %" PRId64 ": the head row says seq %" PRId64 " but the chain "
                      "goes on to seq %" PRId64 " (id %" PRId64 "): the head was altered or "
                      "entries were added outside bureau",
                      t, hseq, ch->seq, ch->id);
    if (strcmp(hh, ch->hash))
        return broken(e,
                      "tenant %" PRId64 ": the head row's hash is not the hash of the last "
                      "entry, seq %" PRId64 " (id %" PRId64 "): the head or that entry was "
                      "altered",
                      t, ch->seq, ch->id);
    return 0;
}

/* ---- anchor files ---- */

struct anchor {
    char date[11];
    int64_t tenant, seq;
    char hash[AUDIT_HASH_LEN + 1];
};

static void anchor_path(char *out, size_t n, const char *dir, int64_t tenant)
{
    snprintf(out, n, "%s/audit-anchor-%" PRId64 ".txt", dir, tenant);
}

/* 1: an anchor, 0: a blank or # line, -1: malformed. */
static int parse_anchor(const char *line, struct anchor *a)
{
    int64_t days;
    char rest[2];
    while (*line == ' ' || *line == '\t')
        line++;
    if (!*line || *line == '\n' || *line == '#')
        return 0;
    int k = sscanf(line, "%10s %" SCNd64 " %" SCNd64 " %64s %1s", a->date, &a->tenant, &a->seq,
                   a->hash, rest);
    if (k != 4 || date_parse(a->date, strlen(a->date), &days) || a->seq < 1 ||
        !is_hash(a->hash, strlen(a->hash)))
        return -1;
    return 1;
}

/* Calls fn for each anchor of the tenant's file; a missing file has none.
 * fn returns 0 to go on. */
static int each_anchor(const char *dir, int64_t tenant,
                       int (*fn)(const struct anchor *a, const char *path, int line, void *ctx),
                       void *ctx, struct err *e)
{
    char path[4096], line[256];
    struct anchor a;
    int no = 0, rc = 0;
    anchor_path(path, sizeof(path), dir, tenant);
    FILE *f = fopen(path, "r");
    if (!f)
        return errno == ENOENT ? 0
                               : err_set(e, ERR_INTERNAL, NULL, NULL, "cannot read %.200s: %s",
                                         path, strerror(errno));
    while (!rc && fgets(line, sizeof(line), f)) {
        no++;
        size_t n = strlen(line);
        int p = (n && line[n - 1] != '\n' && !feof(f)) ? -1 : parse_anchor(line, &a);
        if (p < 0 || (p > 0 && a.tenant != tenant))
            rc = err_set(e, ERR_INTERNAL, NULL, NULL,
                         "%.200s line %d is not an anchor of tenant %" PRId64
                         " (\"YYYY-MM-DD tenant seq hash\")",
                         path, no, tenant);
        else if (p > 0)
            rc = fn(&a, path, no, ctx);
    }
    if (!rc && ferror(f))
        rc = err_set(e, ERR_INTERNAL, NULL, NULL, "cannot read %.200s", path);
    fclose(f);
    return rc;
}

struct anchor_check {
    struct db_conn *c;
    const struct chain *ch;
    struct err *e;
    int checked;
};

/* Verify --anchors: the anchored entry must still carry the anchored hash
 * (the walk has shown that every stored hash matches its entry). */
static int check_anchor(const struct anchor *a, const char *path, int line, void *p)
{
    struct anchor_check *k = p;
    struct db_stmt *st;
    char stored[AUDIT_HASH_LEN + 1] = "";
    int64_t id = 0, t = k->ch->tenant;
    if (a->seq > k->ch->seq)
        return broken(k->e,
                      "tenant %" PRId64 ": entry seq %" PRId64 ", anchored on %s (%.100s "
                      "line %d), is missing: the chain ends at seq %" PRId64,
                      t, a->seq, a->date, path, line, k->ch->seq);
    int rc =
        db_prepare_ints(k->c, "SELECT id, hash FROM audit_entries WHERE tenant_id = ? AND seq = ?",
                        DB_INTS(t, a->seq), &st, k->e);
    if (rc)
        return rc;
    rc = db_step(st, k->e);
    if (rc == DB_ROW) {
        size_t n;
        const char *h = db_col_text(st, 1, &n);
        id = db_col_int(st, 0);
        if (n == AUDIT_HASH_LEN)
            memcpy(stored, h, sizeof(stored) - 1);
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    if (strcmp(stored, a->hash))
        return broken(k->e,
                      "tenant %" PRId64 ": entry seq %" PRId64 " (id %" PRId64 ") differs "
                      "from its anchor of %s (%.100s line %d): the chain was rewritten up "
                      "to there",
                      t, a->seq, id, a->date, path, line);
    k->checked++;
    return 0;
}

static int verify_one(struct db_conn *c, int64_t tenant, const char *anchor_dir, FILE *out,
                      int64_t *entries, struct err *e)
{
    struct chain ch = {.tenant = tenant};
    struct anchor_check k = {c, &ch, e, 0};
    memcpy(ch.hash, zero_hash, sizeof(zero_hash));
    int rc = begin_snapshot(c, e);
    if (rc)
        return rc;
    if (!(rc = check_strays(c, tenant, e)) && !(rc = walk(c, &ch, e)) &&
        !(rc = check_head(c, &ch, e)) && anchor_dir)
        rc = each_anchor(anchor_dir, tenant, check_anchor, &k, e);
    db_rollback(c);
    if (rc)
        return rc;
    *entries += ch.count;
    if (out && ch.count) {
        fprintf(out, "tenant %" PRId64 ": %" PRId64 " entries, head %s: intact", tenant, ch.count,
                ch.hash);
        if (anchor_dir)
            fprintf(out, " (%d anchors match)", k.checked);
        fputc('\n', out);
    } else if (out) {
        fprintf(out, "tenant %" PRId64 ": no entries\n", tenant);
    }
    return 0;
}

/* Up to TENANT_BATCH ids after `after` from sql (one bound parameter). */
static int list_ids(struct db_conn *c, const char *sql, int64_t after, int64_t *ids, int *n,
                    struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare_ints(c, sql, DB_INTS(after), &st, e);
    if (rc)
        return rc;
    *n = 0;
    while ((rc = db_step(st, e)) == DB_ROW && *n < TENANT_BATCH)
        ids[(*n)++] = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int audit_verify_anchored(struct db *db, int64_t tenant_id, const char *anchor_dir, FILE *out,
                          struct err *e)
{
    struct db_conn *c = db_conn(db, e);
    int64_t ids[TENANT_BATCH], entries = 0, after = 0;
    int n, rc, tenants = 0;
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    if (tenant_id) {
        rc = verify_one(c, tenant_id, anchor_dir, out, &entries, e);
        return rc;
    }
    /* every tenant, so that a chain whose head row was deleted is still seen */
    do {
        rc = list_ids(c, "SELECT id FROM tenants WHERE id > ? ORDER BY id LIMIT 64", after, ids, &n,
                      e);
        for (int i = 0; !rc && i < n; i++, tenants++)
            rc = verify_one(c, ids[i], anchor_dir, out, &entries, e);
        after = n ? ids[n - 1] : after;
    } while (!rc && n == TENANT_BATCH);
    if (!rc && out)
        fprintf(out, "audit chain intact: %d tenant%s, %" PRId64 " entries\n", tenants,
                tenants == 1 ? "" : "s", entries);
    return rc;
}

int audit_verify(struct db *db, int64_t tenant_id, FILE *out, struct err *e)
{
    return audit_verify_anchored(db, tenant_id, NULL, out, e);
}

/* ---- anchoring ---- */

static int keep_last(const struct anchor *a, const char *path, int line, void *p)
{
    (void)path;
    (void)line;
    *(struct anchor *)p = *a;
    return 0;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Verifies one chain from its last anchor, then appends the new anchor. */
static int anchor_one(struct db_conn *c, int64_t tenant, const char *dir, FILE *out, int *anchored,
                      struct err *e)
{
    struct anchor last = {.seq = 0};
    struct chain ch = {.tenant = tenant};
    char path[4096], line[160], date[16];
    memcpy(ch.hash, zero_hash, sizeof(zero_hash));
    int rc = each_anchor(dir, tenant, keep_last, &last, e);
    if (rc)
        return rc;
    if ((rc = begin_snapshot(c, e)))
        return rc;
    if ((rc = check_strays(c, tenant, e)))
        goto done;
    if (last.seq) {
        /* start from the anchored entry: it must still be there, unchanged */
        struct db_stmt *st;
        char hex[AUDIT_HASH_LEN + 1];
        if ((rc = db_prepare(c,
                             "SELECT " ENTRY_COLS " FROM audit_entries WHERE tenant_id = ? "
                             "AND seq = ?",
                             &st, e)))
            goto done;
        db_bind_int(st, 1, tenant);
        db_bind_int(st, 2, last.seq);
        rc = db_step(st, e);
        int64_t id = rc == DB_ROW ? db_col_int(st, 0) : 0;
        int ok = rc == DB_ROW && row_intact(st, hex) && !strcmp(hex, last.hash);
        db_reset(st);
        if (rc < 0)
            goto done;
        if (!ok) {
            rc = id ? broken(e,
                             "tenant %" PRId64 ": entry seq %" PRId64 " (id %" PRId64 ") "
                             "differs from its anchor of %s: the chain was altered up to there",
                             tenant, last.seq, id, last.date)
                    : broken(e,
                             "tenant %" PRId64 ": entry seq %" PRId64 ", anchored on %s, is "
                             "missing",
                             tenant, last.seq, last.date);
            goto done;
        }
        ch.seq = last.seq;
        ch.id = id;
        memcpy(ch.hash, hex, sizeof(hex));
    }
    if (!(rc = walk(c, &ch, e)))
        rc = check_head(c, &ch, e);
done:
    db_rollback(c);
    if (rc || !ch.seq)
        return rc;
    date_format(clock_now() / 86400, date, sizeof(date));
    int len = snprintf(line, sizeof(line), "%s %" PRId64 " %" PRId64 " %s\n", date, tenant, ch.seq,
                       ch.hash);
    anchor_path(path, sizeof(path), dir, tenant);
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return err_set(e, ERR_INTERNAL, NULL, NULL, "cannot open %.200s: %s", path,
                       strerror(errno));
    if (write_all(fd, line, (size_t)len) || fsync(fd))
        rc = err_set(e, ERR_INTERNAL, NULL, NULL, "cannot write %.200s: %s", path, strerror(errno));
    close(fd);
    if (!rc && anchored)
        (*anchored)++;
    if (!rc && out)
        fprintf(out, "tenant %" PRId64 ": anchored seq %" PRId64 " %s in %s\n", tenant, ch.seq,
                ch.hash, path);
    return rc;
}

/* Anchors every chain; a broken one does not stop the others (the first
 * error is returned). */
static int anchor_all(struct db_conn *c, int64_t tenant_id, const char *dir, FILE *out,
                      int *anchored, struct err *e)
{
    int64_t ids[TENANT_BATCH], after = 0;
    int n, rc, first = 0;
    struct err e1;
    if (tenant_id)
        return anchor_one(c, tenant_id, dir, out, anchored, e);
    do {
        rc = list_ids(c,
                      "SELECT tenant_id FROM bureau_audit_heads WHERE tenant_id > ? "
                      "ORDER BY tenant_id LIMIT 64",
                      after, ids, &n, e);
        if (rc)
            return first ? first : rc;
        for (int i = 0; i < n; i++) {
            err_clear(&e1);
            rc = anchor_one(c, ids[i], dir, out, anchored, &e1);
            if (rc && out)
                fprintf(out, "tenant %" PRId64 ": not anchored: %s\n", ids[i], e1.detail);
            if (rc && !first) {
                first = rc;
                *e = e1;
            }
        }
        after = n ? ids[n - 1] : after;
    } while (n == TENANT_BATCH);
    return first;
}

int audit_anchor(struct db *db, int64_t tenant_id, const char *dir, FILE *out, int *anchored,
                 struct err *e)
{
    struct db_conn *c = db_conn(db, e);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    return anchor_all(c, tenant_id, dir, out, anchored, e);
}

int audit_job_anchor(struct job_ctx *j, struct err *e)
{
    const char *dir = getenv("BUREAU_AUDIT_ANCHOR_DIR");
    int n = 0;
    if (!dir || !*dir) {
        snprintf(j->message, sizeof(j->message), "no anchor directory");
        return 0;
    }
    int rc = anchor_all(j->c, 0, dir, NULL, &n, e);
    if (!rc)
        snprintf(j->message, sizeof(j->message), "%d chains anchored in %.150s", n, dir);
    return rc;
}

/* ---- a record's history ---- */

/* Stored JSON text as JSON (a string when it does not parse, as after
 * tampering), or null. */
static void put_json(struct buf *out, struct db_stmt *st, int col)
{
    json_error_t je;
    size_t n;
    if (db_col_is_null(st, col)) {
        buf_puts(out, "null");
        return;
    }
    const char *s = db_col_text(st, col, &n);
    json_t *j = json_loadb(s, n, JSON_DECODE_ANY, &je);
    if (!j) {
        buf_json_str(out, s, n);
        return;
    }
    json_dump_callback(j, to_buf, out, JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(j);
}

int audit_history(struct db_conn *c, int64_t tenant_id, const char *collection, int64_t record_id,
                  struct buf *out, int utc_off, struct err *e)
{
    int64_t after = 0;
    int rows, first = 1, rc;
    buf_putc(out, '[');
    do {
        struct db_stmt *st;
        rc =
            db_prepare_ints(c,
                            "SELECT seq, at, actor, action, before, after FROM audit_entries WHERE "
                            "tenant_id = ? AND record_id = ? AND collection = ? AND seq > ? "
                            "ORDER BY seq LIMIT 500",
                            DB_INTS(tenant_id, record_id), &st, e);
        if (rc)
            return rc;
        db_bind_text(st, 3, collection, strlen(collection));
        db_bind_int(st, 4, after);
        rows = 0;
        while ((rc = db_step(st, e)) == DB_ROW && buf_ok(out)) {
            char at[40];
            size_t n;
            const char *s;
            rows++;
            after = db_col_int(st, 0);
            time_format_rfc3339(db_col_int(st, 1), utc_off, at, sizeof(at));
            buf_puts(out, first ? "{\"seq\":" : ",{\"seq\":");
            first = 0;
            buf_i64(out, after);
            buf_printf(out, ",\"at\":\"%s\",\"actor\":", at);
            if (db_col_is_null(st, 2)) {
                buf_puts(out, "null");
            } else {
                s = db_col_text(st, 2, &n);
                buf_json_str(out, s, n);
            }
            buf_puts(out, ",\"action\":");
            s = db_col_text(st, 3, &n);
            buf_json_str(out, s, n);
            buf_puts(out, ",\"before\":");
            put_json(out, st, 4);
            buf_puts(out, ",\"after\":");
            put_json(out, st, 5);
            buf_putc(out, '}');
        }
        db_reset(st);
        if (rc < 0)
            return rc;
    } while (rows == HIST_BATCH && buf_ok(out));
    buf_putc(out, ']');
    if (!buf_ok(out))
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    return 0;
}

/* ---- bureau audit ---- */

static int cli_usage(void)
{
    fputs("usage: bureau audit verify [--db FILE|URL] [--tenant N] [--anchors DIR]\n"
          "       bureau audit anchor [--db FILE|URL] [--tenant N] --out DIR\n"
          "\n"
          "  verify   recompute every tenant's audit chain (or one tenant's); exit 0 when\n"
          "           intact, 1 naming the first broken entry. --anchors DIR also checks\n"
          "           the anchor files written by `anchor`\n"
          "  anchor   verify each chain from its last anchor, then append\n"
          "           \"YYYY-MM-DD tenant seq hash\" to DIR/audit-anchor-<tenant>.txt;\n"
          "           keep DIR elsewhere (another machine, write-once storage)\n",
          stderr);
    return 2;
}

int audit_cli(int argc, char **argv)
{
    const char *url = "bureau.db", *dir = NULL, *anchors = NULL;
    int64_t tenant = 0;
    if (argc < 1)
        return cli_usage();
    int verify = !strcmp(argv[0], "verify");
    if (!verify && strcmp(argv[0], "anchor"))
        return cli_usage();
    for (int i = 1; i < argc; i += 2) { /* options come in pairs: --name value */
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            return cli_usage();
        if (!strcmp(a, "--db")) {
            url = v;
        } else if (!strcmp(a, "--tenant")) {
            if (parse_i64(v, strlen(v), &tenant) || tenant < 1) {
                fprintf(stderr, "bureau: --tenant takes a tenant id\n");
                return 2;
            }
        } else if (!strcmp(a, "--out") && !verify) {
            dir = v;
        } else if (!strcmp(a, "--anchors") && verify) {
            anchors = v;
        } else {
            return cli_usage();
        }
    }
    if (!verify && !dir)
        return cli_usage();

    struct db *db;
    struct err e;
    struct db_options o = {.readonly = 1};
    err_clear(&e);
    if (db_open(&db, url, &o, &e)) {
        fprintf(stderr, "bureau: cannot open the database: %s\n", e.detail);
        return 1;
    }
    int n = 0, rc = verify ? audit_verify_anchored(db, tenant, anchors, stdout, &e)
                           : audit_anchor(db, tenant, dir, stdout, &n, &e);
    db_close(db);
    if (rc == -ERR_RULE)
        fprintf(stderr, "bureau: the audit chain is broken: %s\n", e.detail);
    else if (rc)
        fprintf(stderr, "bureau: audit %s failed: %s\n", argv[0], e.detail);
    else if (!verify)
        printf("%d chains anchored\n", n);
    return rc ? 1 : 0;
}
