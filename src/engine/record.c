/* SPDX-License-Identifier: MIT
 * record.c - single-record operations; see record.h.
 */
#include "record.h"
#include "perm.h"
#include "validate.h"
#include "value.h"
#include "../base/arena.h"
#include "../core/audit.h"
#include "../base/buf.h"
#include "../base/base.h"
#include "../base/err.h"
#include "../core/http.h"
#include "../db/db.h"
#include "module.h"

#include <pthread.h>
#include <string.h>

#define MAX_TREE_DEPTH 1000

void rec_render_row(struct buf *b, const struct res_entity *ent, struct db_stmt *st, int utc_off,
                    const unsigned char *hide)
{
    int n;
    const struct res_field *const *cols = res_cols(ent, &n);
    int first = 1;
    buf_putc(b, '{');
    for (int i = 0; i < n; i++) {
        if (cols[i]->hidden || (hide && hide[i] == PERM_HIDDEN))
            continue;
        if (!first)
            buf_putc(b, ',');
        first = 0;
        buf_putc(b, '"');
        buf_puts(b, cols[i]->name);
        buf_puts(b, "\":");
        if (hide && hide[i] == PERM_MASKED)
            res_col_masked(b, cols[i], st, i, 1);
        else
            res_col_json(b, cols[i], st, i, utc_off);
    }
    buf_putc(b, '}');
}

json_t *rec_row_json(const struct res_entity *ent, struct db_stmt *st, int utc_off)
{
    int n;
    const struct res_field *const *cols = res_cols(ent, &n);
    json_t *o = json_object();
    for (int i = 0; i < n; i++)
        json_object_set_new_nocheck(o, cols[i]->name, res_col_to_json(cols[i], st, i, utc_off));
    return o;
}

/* Per-entity SQL text, built once: select list. */
#define MAX_ENT 256
static char *select_lists[MAX_ENT];
static const struct res_entity *select_ents[MAX_ENT];
static int nselect;
static pthread_mutex_t select_mu = PTHREAD_MUTEX_INITIALIZER;

const char *rec_select_list(const struct res_entity *ent)
{
    for (int i = 0; i < __atomic_load_n(&nselect, __ATOMIC_ACQUIRE); i++)
        if (select_ents[i] == ent)
            return select_lists[i];
    pthread_mutex_lock(&select_mu);
    for (int i = 0; i < nselect; i++)
        if (select_ents[i] == ent) {
            pthread_mutex_unlock(&select_mu);
            return select_lists[i];
        }
    struct buf b;
    int n;
    const struct res_field *const *cols = res_cols(ent, &n);
    buf_init(&b, NULL);
    for (int i = 0; i < n; i++) {
        if (i)
            buf_puts(&b, ", ");
        buf_puts(&b, cols[i]->name);
    }
    const char *s = "id";
    if (nselect < MAX_ENT) {
        select_lists[nselect] = b.p;
        select_ents[nselect] = ent;
        s = b.p;
        __atomic_store_n(&nselect, nselect + 1, __ATOMIC_RELEASE);
    } else {
        buf_release(&b);
    }
    pthread_mutex_unlock(&select_mu);
    return s;
}

static const char *where_id(const struct res_entity *ent)
{
    return ent->global ? "id = ?" : "tenant_id = ? AND id = ?";
}

static int bind_scope(struct db_stmt *st, const struct res_entity *ent, struct req *r, int64_t id)
{
    if (ent->global) {
        db_bind_int(st, 1, id);
        return 2;
    }
    db_bind_int(st, 1, r->tenant_id);
    db_bind_int(st, 2, id);
    return 3;
}

int rec_lock(struct req *r, struct db_conn *c, const struct res_entity *ent, int64_t id,
             struct err *e)
{
    struct buf sql;
    struct db_stmt *st;
    int pg = db_dialect(c->db) == DB_PG;
    buf_init(&sql, r->a);
    if (pg)
        buf_printf(&sql, "UPDATE %s SET version = version WHERE %s", ent->name, where_id(ent));
    else
        buf_printf(&sql, "SELECT 1 FROM %s WHERE %s", ent->name, where_id(ent));
    if (!buf_ok(&sql))
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    int rc = db_prepare(c, sql.p, &st, e);
    if (rc)
        return rc;
    bind_scope(st, ent, r, id);
    rc = db_step(st, e);
    int found = pg ? db_changes(st) == 1 : rc == DB_ROW;
    db_reset(st);
    return rc < 0 ? rc : !found;
}

/* One record, within the caller's scope (unless scoped is 0, for the
 * server's own reads): a record outside it is "not found". */
static int select_one(struct req *r, struct db_conn *c, const struct res_entity *ent, int64_t id,
                      int scoped, struct db_stmt **out, struct err *e)
{
    struct perm_filter pf;
    struct buf sql;
    if (scoped)
        perm_filter(r, ent, &pf);
    else
        memset(&pf, 0, sizeof(pf));
    buf_init(&sql, r->a);
    buf_printf(&sql, "SELECT %s FROM %s WHERE %s", rec_select_list(ent), ent->name,
               where_id(ent));
    perm_filter_sql(&pf, &sql);
    if (!buf_ok(&sql))
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    int rc = db_prepare(c, sql.p, out, e);
    if (rc)
        return rc;
    perm_filter_bind(&pf, *out, bind_scope(*out, ent, r, id));
    rc = db_step(*out, e);
    if (rc == DB_ROW)
        return 0;
    db_reset(*out);
    if (rc == DB_DONE)
        return err_set(e, ERR_NOT_FOUND, NULL, NULL, "no record {id}%lld in {collection}%s",
                       (long long)id, ent->name);
    return rc;
}

static int get(struct req *r, struct db_conn *c, const struct res_entity *ent, int64_t id,
               int scoped, struct buf *out, int64_t *version, struct err *e)
{
    struct db_stmt *st;
    int rc = select_one(r, c, ent, id, scoped, &st, e);
    if (rc)
        return rc;
    rec_render_row(out, ent, st, r->utc_offset_min, perm_hidden_mask(r, ent));
    if (version)
        *version = db_col_int(st, 1);
    db_reset(st);
    return 0;
}

int rec_get(struct req *r, struct db_conn *c, const struct res_entity *ent, int64_t id,
            struct buf *out, int64_t *version, struct err *e)
{
    return get(r, c, ent, id, 1, out, version, e);
}

static int load(struct req *r, struct db_conn *c, const struct res_entity *ent, int64_t id,
                int scoped, json_t **out, struct err *e)
{
    struct db_stmt *st;
    int rc = select_one(r, c, ent, id, scoped, &st, e);
    if (rc)
        return rc;
    *out = rec_row_json(ent, st, r->utc_offset_min);
    db_reset(st);
    return 0;
}

int rec_get_created(struct req *r, struct db_conn *c, const struct res_entity *ent, int64_t id,
                    struct buf *out, int64_t *version, struct err *e)
{
    return get(r, c, ent, id, 0, out, version, e);
}

int rec_load(struct req *r, struct db_conn *c, const struct res_entity *ent, int64_t id,
             json_t **out, struct err *e)
{
    return load(r, c, ent, id, 1, out, e);
}

/* Every non-null reference must name a record of the same tenant. */
static int check_refs(struct req *r, struct db_conn *c, const struct res_entity *ent,
                      const struct res_val *vals, struct err *e)
{
    int n;
    const struct res_field *const *cols = res_cols(ent, &n);
    for (int i = RES_NSYS; i < n; i++) {
        const struct res_field *f = cols[i];
        if (f->type != RES_REF || vals[i].null || !vals[i].set)
            continue;
        const struct res_entity *to = res_find(f->ref, strlen(f->ref));
        char *sql = arena_printf(r->a, "SELECT 1 FROM %s WHERE %s", to->name, where_id(to));
        struct db_stmt *st;
        if (!sql)
            return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
        int rc = db_prepare(c, sql, &st, e);
        if (rc)
            return rc;
        bind_scope(st, to, r, vals[i].i);
        rc = db_step(st, e);
        db_reset(st);
        if (rc < 0)
            return rc;
        if (rc == DB_DONE)
            err_field(e, f->name, "field.ref_missing", "no record {id}%lld in {collection}%s",
                      (long long)vals[i].i, to->name);
    }
    if (e->nitems)
        return err_set(e, ERR_INVALID, NULL, "field.ref_missing", "reference to a missing record");
    return 0;
}

/* A record may not become its own ancestor. */
static int check_tree(struct req *r, struct db_conn *c, const struct res_entity *ent, int64_t id,
                      const struct res_val *vals, struct err *e)
{
    if (!ent->parent || !id)
        return 0;
    int n, pi = -1;
    const struct res_field *const *cols = res_cols(ent, &n);
    for (int i = 0; i < n; i++)
        if (!strcmp(cols[i]->name, ent->parent))
            pi = i;
    if (pi < 0 || vals[pi].null)
        return 0;
    char *sql = arena_printf(r->a, "SELECT %s FROM %s WHERE %s", ent->parent, ent->name,
                             where_id(ent));
    if (!sql)
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    int64_t cur = vals[pi].i;
    for (int depth = 0; cur; depth++) {
        if (cur == id)
            return err_set(e, ERR_INVALID, ent->parent, "field.tree_cycle",
                           "cannot move a record under itself or one of its descendants");
        if (depth > MAX_TREE_DEPTH)
            return err_set(e, ERR_INVALID, ent->parent, "field.tree_depth", "the tree is too deep");
        struct db_stmt *st;
        int rc = db_prepare(c, sql, &st, e);
        if (rc)
            return rc;
        bind_scope(st, ent, r, cur);
        rc = db_step(st, e);
        int64_t next = (rc == DB_ROW && !db_col_is_null(st, 0)) ? db_col_int(st, 0) : 0;
        db_reset(st);
        if (rc < 0)
            return rc;
        cur = next;
    }
    return 0;
}

/* The record as the audit chain keeps it: every field but secrets. */
static json_t *audit_view(struct req *r, struct db_conn *c, const struct res_entity *ent,
                          int64_t id, json_t *have, struct err *e)
{
    json_t *j = have ? json_deep_copy(have) : NULL;
    if (!j && load(r, c, ent, id, 0, &j, e))
        return NULL;
    for (const struct res_field *f = ent->fields; f->name; f++)
        if (f->hidden)
            json_object_del(j, f->name);
    return j;
}

/* Appends one entry for a write in the open transaction. */
static int audit_write(struct req *r, struct db_conn *c, const struct res_entity *ent,
                       const char *action, int64_t id, json_t *before, json_t *after,
                       struct err *e)
{
    /* the modules' hooks first: the chain's head row is locked last in a
     * transaction (audit.h), so a hook's own row locks (an outbox row naming
     * a webhook) are never taken while holding it - no lock-order deadlock */
    int rc = 0;
    for (const struct module *const *m = engine_modules(); !rc && *m; m++)
        if ((*m)->on_change)
            rc = (*m)->on_change(r, c, ent, action, id, before, after, e);
    return rc ? rc : rec_audit(r, c, action, ent->name, id, before, after, e);
}

int rec_audit(struct req *r, struct db_conn *c, const char *action, const char *collection,
              int64_t id, json_t *before, json_t *after, struct err *e)
{
    struct audit_event ev = {
        .tenant_id = r->tenant_id,
        .actor_id = r->user_id,
        .actor = r->user && strcmp(r->user, "-") ? r->user : NULL,
        .action = action,
        .collection = collection,
        .record_id = id,
        .before = before,
        .after = after,
    };
    return audit_append(c, &ev, e);
}

/* The collection's own hook after a write (rec NULL: a delete), then its
 * owner's cache of the tenant forgotten. */
/* The collection's own hook before a write (rec NULL: a delete). */
static int before_write(struct req *r, struct db_conn *c, const struct res_entity *ent, int64_t id,
                        json_t *old, json_t *rec, struct err *e)
{
    struct res_write w = {r, c, ent, id, old, rec, e};
    return ent->before_write ? ent->before_write(&w) : 0;
}

static int after_write(struct req *r, struct db_conn *c, const struct res_entity *ent, int64_t id,
                       json_t *old, json_t *rec, struct err *e)
{
    struct res_write w = {r, c, ent, id, old, rec, e};
    int rc = ent->after_write ? ent->after_write(&w) : 0;
    if (!rc && ent->forget)
        ent->forget(r->tenant_id);
    return rc;
}

/* Input may not set a field hidden from the caller. */
static int check_hidden_input(struct req *r, const struct res_entity *ent,
                              const struct res_val *vals, struct err *e)
{
    int n;
    const struct res_field *const *cols = res_cols(ent, &n);
    const unsigned char *m = r->who ? perm_hidden_mask(r, ent) : NULL;
    for (int i = RES_NSYS; m && i < n; i++) {
        if (m[i] == PERM_MASKED && vals[i].set)
            err_field(e, cols[i]->name, "field.masked",
                      "is shown masked to your role: a role that sees it in full changes it");
        else if (m[i] && vals[i].set)
            err_field(e, cols[i]->name, "field.hidden", "is not available to your role");
    }
    return e->nitems ? err_set(e, ERR_FORBIDDEN, NULL, "auth.hidden_fields",
                               "fields hidden from your role")
                     : 0;
}

/* The record's department (per ent->dept_field) must be one the caller may write. */
static int check_dept(struct req *r, const struct res_entity *ent, const struct res_val *vals)
{
    if (!ent->dept_field || !strcmp(ent->dept_field, "id"))
        return perm_check_dept(r, ent, 0, 0);
    int n;
    const struct res_field *const *cols = res_cols(ent, &n);
    for (int i = RES_NSYS; i < n; i++)
        if (!strcmp(cols[i]->name, ent->dept_field))
            return perm_check_dept(r, ent, vals[i].i, vals[i].set && !vals[i].null);
    return 0;
}

/* Opens a transaction unless one is running; *own tells the caller to end it. */
static int tx_begin(struct db_conn *c, int *own, struct err *e)
{
    *own = !db_in_tx(c);
    return *own ? db_begin(c, e) : 0;
}

static int tx_end(struct db_conn *c, int own, int rc, struct err *e)
{
    if (!own)
        return rc;
    if (rc) {
        db_rollback(c);
        return rc;
    }
    return db_commit(c, e);
}

static json_t *with_defaults(const struct res_entity *ent, json_t *in)
{
    json_t *rec = json_deep_copy(in);
    for (const struct res_field *f = ent->fields; f->name; f++) {
        if (json_object_get(rec, f->name))
            continue;
        json_t *d = res_default_json(f);
        if (d)
            json_object_set_new_nocheck(rec, f->name, d);
    }
    return rec;
}

static int insert_row(struct req *r, struct db_conn *c, const struct res_entity *ent,
                      const struct res_val *vals, int64_t *id, struct err *e)
{
    int n;
    const struct res_field *const *cols = res_cols(ent, &n);
    struct buf sql;
    buf_init(&sql, r->a);
    buf_printf(&sql, "INSERT INTO %s (%sversion, created_at, updated_at, created_by", ent->name,
               ent->global ? "" : "tenant_id, ");
    for (int i = RES_NSYS; i < n; i++)
        if (vals[i].set)
            buf_printf(&sql, ", %s", cols[i]->name);
    buf_puts(&sql, ent->global ? ") VALUES (1, ?, ?, ?" : ") VALUES (?, 1, ?, ?, ?");
    for (int i = RES_NSYS; i < n; i++)
        if (vals[i].set)
            buf_puts(&sql, ", ?");
    buf_puts(&sql, ") RETURNING id");
    if (!buf_ok(&sql))
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    struct db_stmt *st;
    int rc = db_prepare(c, sql.p, &st, e);
    if (rc)
        return rc;
    int k = 1;
    int64_t now = clock_now();
    if (!ent->global)
        db_bind_int(st, k++, r->tenant_id);
    db_bind_int(st, k++, now);
    db_bind_int(st, k++, now);
    db_bind_int_or_null(st, k++, r->user_id);
    for (int i = RES_NSYS; i < n; i++)
        if (vals[i].set)
            res_val_bind(st, k++, cols[i], &vals[i]);
    rc = db_step(st, e);
    if (rc == DB_ROW) {
        *id = db_col_int(st, 0);
        rc = 0;
    } else if (rc == DB_DONE) {
        rc = err_set(e, ERR_DB, NULL, NULL, "insert returned no id");
    }
    db_reset(st);
    return rc;
}

static int create_common(struct req *r, struct db_conn *c, const struct res_entity *ent,
                         json_t *in, int trusted, int64_t *id, struct err *e)
{
    int ncols, own, rc;
    res_cols(ent, &ncols);
    struct res_val *vals = arena_alloc(r->a, sizeof(*vals) * (size_t)ncols);
    if (!vals)
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    rc = res_validate(r->a, ent, in, trusted ? RES_TRUSTED : RES_CREATE, vals, e);
    if (!rc && !trusted)
        rc = check_hidden_input(r, ent, vals, e);
    if (rc)
        return rc;
    json_t *rec = with_defaults(ent, in);
    if ((rc = tx_begin(c, &own, e)))
        goto out;
    if (ent->before_write) {
        rc = before_write(r, c, ent, 0, NULL, rec, e);
        if (rc)
            goto done;
        rc = res_validate(r->a, ent, rec, RES_TRUSTED, vals, e);
        if (rc)
            goto done;
    } else {
        rc = res_validate(r->a, ent, rec, RES_TRUSTED, vals, e);
        if (rc)
            goto done;
    }
    if ((rc = check_refs(r, c, ent, vals, e)))
        goto done;
    if (!trusted && (rc = check_dept(r, ent, vals)))
        goto done;
    if ((rc = insert_row(r, c, ent, vals, id, e)))
        goto done;
    if ((rc = after_write(r, c, ent, *id, NULL, rec, e)))
        goto done;
    json_t *after = audit_view(r, c, ent, *id, NULL, e);
    rc = after ? audit_write(r, c, ent, "create", *id, NULL, after, e) : -ERR_INTERNAL;
    json_decref(after);
done:
    rc = tx_end(c, own, rc, e);
out:
    json_decref(rec);
    return rc;
}

int rec_create(struct req *r, struct db_conn *c, const struct res_entity *ent, json_t *in,
               int64_t *id, struct err *e)
{
    return create_common(r, c, ent, in, 0, id, e);
}

int rec_create_trusted(struct req *r, struct db_conn *c, const struct res_entity *ent,
                       json_t *in, int64_t *id, struct err *e)
{
    return create_common(r, c, ent, in, 1, id, e);
}

static int write_row(struct req *r, struct db_conn *c, const struct res_entity *ent, int64_t id,
                     const struct res_val *vals, int64_t version, struct err *e)
{
    int n;
    const struct res_field *const *cols = res_cols(ent, &n);
    struct buf sql;
    buf_init(&sql, r->a);
    buf_printf(&sql, "UPDATE %s SET version = version + 1, updated_at = ?", ent->name);
    for (int i = RES_NSYS; i < n; i++)
        buf_printf(&sql, ", %s = ?", cols[i]->name);
    buf_printf(&sql, " WHERE %s AND version = ?", where_id(ent));
    if (!buf_ok(&sql))
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    struct db_stmt *st;
    int rc = db_prepare(c, sql.p, &st, e);
    if (rc)
        return rc;
    int k = 1;
    db_bind_int(st, k++, clock_now());
    for (int i = RES_NSYS; i < n; i++) {
        struct res_val v = vals[i];
        if (!v.set)
            v.null = 1;
        res_val_bind(st, k++, cols[i], &v);
    }
    if (!ent->global)
        db_bind_int(st, k++, r->tenant_id);
    db_bind_int(st, k++, id);
    db_bind_int(st, k++, version);
    rc = db_step(st, e);
    int64_t changed = db_changes(st);
    db_reset(st);
    if (rc < 0)
        return rc;
    if (changed != 1)
        return err_set(e, ERR_CONFLICT_VERSION, NULL, NULL,
                       "record {id}%lld was changed by someone else", (long long)id);
    return 0;
}

static int update_common(struct req *r, struct db_conn *c, const struct res_entity *ent,
                         int64_t id, json_t *patch, int64_t if_version, int trusted,
                         struct err *e)
{
    int ncols, own, rc;
    json_t *old = NULL, *rec = NULL;
    res_cols(ent, &ncols);
    struct res_val *vals = arena_alloc(r->a, sizeof(*vals) * (size_t)ncols);
    if (!vals)
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    if (!trusted && ((rc = res_validate(r->a, ent, patch, RES_PATCH, vals, e)) ||
                     (rc = check_hidden_input(r, ent, vals, e))))
        return rc;
    if ((rc = tx_begin(c, &own, e)))
        return rc;
    if ((rc = rec_load(r, c, ent, id, &old, e)))
        goto done;
    int64_t version = json_integer_value(json_object_get(old, "version"));
    if (if_version > 0 && if_version != version) {
        rc = err_set(
            e, ERR_CONFLICT_VERSION, NULL, NULL,
            "record {id}%lld is at version {version}%lld, not {expected}%lld: reload and try again",
            (long long)id, (long long)version, (long long)if_version);
        goto done;
    }
    rec = json_deep_copy(old);
    json_object_update(rec, patch);
    if ((rc = before_write(r, c, ent, id, old, rec, e)))
        goto done;
    if ((rc = res_validate_update(r->a, ent, rec, old, vals, e)))
        goto done;
    if ((rc = check_refs(r, c, ent, vals, e)))
        goto done;
    if ((rc = check_tree(r, c, ent, id, vals, e)))
        goto done;
    if (!trusted && (rc = check_dept(r, ent, vals)))
        goto done;
    if ((rc = write_row(r, c, ent, id, vals, version, e)))
        goto done;
    if ((rc = after_write(r, c, ent, id, old, rec, e)))
        goto done;
    {
        json_t *before = audit_view(r, c, ent, id, old, e);
        json_t *after = audit_view(r, c, ent, id, NULL, e);
        rc = before && after ? audit_write(r, c, ent, "update", id, before, after, e)
                             : -ERR_INTERNAL;
        json_decref(before);
        json_decref(after);
    }
done:
    json_decref(old);
    json_decref(rec);
    return tx_end(c, own, rc, e);
}

int rec_update(struct req *r, struct db_conn *c, const struct res_entity *ent, int64_t id,
               json_t *patch, int64_t if_version, struct err *e)
{
    return update_common(r, c, ent, id, patch, if_version, 0, e);
}

int rec_update_trusted(struct req *r, struct db_conn *c, const struct res_entity *ent,
                       int64_t id, json_t *rec, struct err *e)
{
    return update_common(r, c, ent, id, rec, 0, 1, e);
}

/* Which collection still points at this record? */
static int check_referenced(struct req *r, struct db_conn *c, const struct res_entity *ent,
                            int64_t id, struct err *e)
{
    const struct res_entity *other;
    for (size_t k = 0; (other = res_at(k)); k++) {
        for (const struct res_field *f = other->fields; f->name; f++) {
            if (f->type != RES_REF || strcmp(f->ref, ent->name))
                continue;
            char *sql;
            if (other->global)
                sql = arena_printf(r->a, "SELECT 1 FROM %s WHERE %s = ? LIMIT 1", other->name,
                                   f->name);
            else if (ent->global)
                sql = arena_printf(r->a, "SELECT 1 FROM %s WHERE %s = ? LIMIT 1", other->name,
                                   f->name);
            else
                sql = arena_printf(r->a,
                                   "SELECT 1 FROM %s WHERE tenant_id = ? AND %s = ? LIMIT 1",
                                   other->name, f->name);
            if (!sql)
                return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
            struct db_stmt *st;
            int rc = db_prepare(c, sql, &st, e);
            if (rc)
                return rc;
            if (other->global || ent->global) {
                db_bind_int(st, 1, id);
            } else {
                db_bind_int(st, 1, r->tenant_id);
                db_bind_int(st, 2, id);
            }
            rc = db_step(st, e);
            db_reset(st);
            if (rc < 0)
                return rc;
            if (rc == DB_ROW)
                return err_set(e, ERR_REFERENCED, NULL, NULL,
                               "{collection}%s {id}%lld is still referenced by {by}%s.{field}%s",
                               ent->name, (long long)id, other->name, f->name);
        }
    }
    return 0;
}

int rec_delete(struct req *r, struct db_conn *c, const struct res_entity *ent, int64_t id,
               int64_t if_version, struct err *e)
{
    int own, rc;
    json_t *old = NULL;
    if (ent->no_delete)
        return err_set(e, ERR_METHOD, NULL, "request.no_delete", "{collection}%s cannot be deleted",
                       ent->name);
    if ((rc = tx_begin(c, &own, e)))
        return rc;
    if ((rc = rec_load(r, c, ent, id, &old, e)))
        goto done;
    int64_t version = json_integer_value(json_object_get(old, "version"));
    if (if_version > 0 && if_version != version) {
        rc = err_set(e, ERR_CONFLICT_VERSION, NULL, NULL,
                     "record {id}%lld is at version {version}%lld, not {expected}%lld",
                     (long long)id, (long long)version, (long long)if_version);
        goto done;
    }
    if ((rc = check_referenced(r, c, ent, id, e)))
        goto done;
    if ((rc = before_write(r, c, ent, id, old, NULL, e)))
        goto done;
    /* the version read above must still be the stored one: a concurrent
     * update or delete makes this statement change nothing */
    char *sql = arena_printf(r->a, "DELETE FROM %s WHERE %s AND version = ?", ent->name,
                             where_id(ent));
    struct db_stmt *st;
    if (!sql) {
        rc = err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
        goto done;
    }
    if ((rc = db_prepare(c, sql, &st, e)))
        goto done;
    db_bind_int(st, bind_scope(st, ent, r, id), version);
    rc = db_step(st, e);
    int64_t gone = db_changes(st);
    db_reset(st);
    if (rc > 0)
        rc = 0;
    if (!rc && gone != 1) {
        json_t *now = NULL;
        err_clear(e);
        rc = rec_load(r, c, ent, id, &now, e); /* gone (404) or changed (409)? */
        json_decref(now);
        if (!rc)
            rc = err_set(e, ERR_CONFLICT_VERSION, NULL, NULL,
                         "record {id}%lld was changed by someone else", (long long)id);
    }
    if (!rc)
        rc = after_write(r, c, ent, id, old, NULL, e);
    if (!rc) {
        json_t *before = audit_view(r, c, ent, id, old, e);
        rc = before ? audit_write(r, c, ent, "delete", id, before, NULL, e) : -ERR_INTERNAL;
        json_decref(before);
    }
done:
    json_decref(old);
    return tx_end(c, own, rc, e);
}
