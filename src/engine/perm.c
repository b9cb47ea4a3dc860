/* SPDX-License-Identifier: MIT
 * perm.c - role permissions and hidden fields, read from the roles table
 * and cached per process for a few seconds; see perm.h and
 * src/modules/identity/roles.c for the document format.
 */
#include "perm.h"
#include "../base/arena.h"
#include "../core/auth.h"
#include "../base/buf.h"
#include "../base/base.h"
#include "../base/err.h"
#include "../core/http.h"
#include "../db/db.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define SLOTS 128
#define TTL_US (5u * 1000000u)

struct role_rt {
    int64_t id;
    uint64_t loaded;
    json_t *perms;
    json_t *hidden;
};

static struct role_rt cache[SLOTS];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void decref(void *p)
{
    json_decref(p);
}

void perm_forget_role(int64_t role_id)
{
    struct role_rt *s = &cache[(uint64_t)role_id % SLOTS];
    pthread_mutex_lock(&mu);
    if (s->id == role_id)
        s->loaded = 0;
    pthread_mutex_unlock(&mu);
}

/* The caller's role documents, held until the request ends. */
static int role_docs(struct req *r, json_t **perms, json_t **hidden)
{
    int64_t id = r->who->role_id;
    struct role_rt *s = &cache[(uint64_t)id % SLOTS];
    uint64_t now = clock_us();
    *perms = *hidden = NULL;
    pthread_mutex_lock(&mu);
    if (s->id == id && s->loaded && now - s->loaded < TTL_US) {
        *perms = json_incref(s->perms);
        *hidden = json_incref(s->hidden);
    }
    pthread_mutex_unlock(&mu);
    if (!*perms) {
        struct err e;
        struct db_stmt *st;
        struct db_conn *c = req_db(r);
        err_clear(&e);
        if (!c ||
            db_prepare_ints(c,
                            "SELECT permissions, hidden_fields FROM roles WHERE tenant_id = ? "
                            "AND id = ?",
                            DB_INTS(r->who->tenant_id, id), &st, &e))
            return -1;
        if (db_step(st, &e) == DB_ROW) {
            size_t n;
            json_error_t je;
            const char *t = db_col_text(st, 0, &n);
            *perms = json_loadb(t, n, 0, &je);
            t = db_col_text(st, 1, &n);
            *hidden = json_loadb(t, n, 0, &je);
        }
        db_reset(st);
        if (!*perms)
            *perms = json_object();
        if (!*hidden)
            *hidden = json_object();
        pthread_mutex_lock(&mu);
        json_t *op = s->perms, *oh = s->hidden;
        s->id = id;
        s->loaded = now ? now : 1;
        s->perms = json_incref(*perms);
        s->hidden = json_incref(*hidden);
        pthread_mutex_unlock(&mu);
        json_decref(op);
        json_decref(oh);
    }
    arena_defer(r->a, decref, *perms);
    arena_defer(r->a, decref, *hidden);
    return 0;
}

static int parse_scope(const char *s)
{
    static const struct {
        const char *name;
        int scope;
    } t[] = {{"none", SCOPE_NONE},       {"own", SCOPE_OWN},       {"department", SCOPE_DEPT},
             {"subtree", SCOPE_SUBTREE}, {"tenant", SCOPE_TENANT},
             {"assigned", SCOPE_ASSIGNED}};
    for (size_t i = 0; i < ARRAY_LEN(t); i++)
        if (s && !strcmp(s, t[i].name))
            return t[i].scope;
    return -1;
}

int perm_scope(struct req *r, const struct res_entity *ent, const char *verb)
{
    json_t *perms, *hidden;
    if (!r->who)
        return r->conn ? SCOPE_NONE : SCOPE_TENANT; /* internal requests are trusted */
    if (role_docs(r, &perms, &hidden))
        return SCOPE_NONE;
    char mod[80];
    snprintf(mod, sizeof(mod), "module:%s", ent->module ? ent->module : "");
    const char *keys[] = {ent->name, mod, "*"};
    for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
        json_t *o = json_object_get(perms, keys[i]);
        if (!json_is_object(o))
            continue;
        json_t *v = json_object_get(o, verb);
        if (!v)
            v = json_object_get(o, "*");
        if (json_is_string(v)) {
            int sc = parse_scope(json_string_value(v));
            return sc < 0 ? SCOPE_NONE : sc;
        }
    }
    return SCOPE_NONE;
}

int perm_check(struct req *r, const struct res_entity *ent, const char *verb)
{
    if (!r->who && r->conn)
        return err_set(&r->err, ERR_UNAUTHENTICATED, NULL, "auth.required", "sign in first");
    int sc = perm_scope(r, ent, verb);
    if (sc == SCOPE_NONE)
        return err_set(&r->err, ERR_FORBIDDEN, NULL, "auth.role_may_not",
                       "your role ({role}%s) may not {verb}%s {collection}%s",
                       r->who ? r->who->role_code : "-", verb, ent->name);
    r->scope = sc;
    r->scope_ent = ent;
    return 0;
}

void perm_filter(struct req *r, const struct res_entity *ent, struct perm_filter *pf)
{
    memset(pf, 0, sizeof(*pf));
    if (!r->who)
        return;
    if (ent->global) {
        /* the only global collection is tenants: a caller sees their own */
        pf->field = "id";
        pf->one = r->who->tenant_id;
        return;
    }
    int sc = r->scope_ent == ent ? r->scope : perm_scope(r, ent, "read");
    const struct principal *w = r->who;
    switch (sc) {
    case SCOPE_TENANT: return;
    case SCOPE_ASSIGNED:
        if (ent->assign_field && ent->assigned_to) {
            struct err e;
            int64_t *ids = NULL;
            int n = 0;
            struct db_conn *c = req_db(r);
            err_clear(&e);
            if (!c || ent->assigned_to(r, c, &ids, &n, &e) || n == 0) {
                pf->none = 1; /* no team (or cannot tell): nothing */
                return;
            }
            pf->field = ent->assign_field;
            pf->list = ids;
            pf->n = n;
            return;
        }
        /* nothing to be assigned by: own records */
        pf->field = "created_by";
        pf->one = w->user_id;
        return;
    case SCOPE_DEPT:
    case SCOPE_SUBTREE:
        if (ent->dept_field && w->department_id) {
            pf->field = ent->dept_field;
            if (sc == SCOPE_DEPT || w->nsubtree <= 1) {
                pf->one = w->department_id;
            } else {
                pf->list = w->subtree;
                pf->n = w->nsubtree;
            }
            return;
        }
        /* no department to compare with: own records */
        /* fall through */
    case SCOPE_OWN:
        pf->field = "created_by";
        pf->one = w->user_id;
        return;
    default: pf->none = 1;
    }
}

void perm_filter_sql(const struct perm_filter *pf, struct buf *sql)
{
    if (pf->none) {
        buf_puts(sql, " AND 1 = 0");
        return;
    }
    if (!pf->field)
        return;
    if (!pf->list) {
        buf_printf(sql, " AND %s = ?", pf->field);
        return;
    }
    buf_printf(sql, " AND %s IN (", pf->field);
    for (int i = 0; i < pf->n; i++)
        buf_puts(sql, i ? ", ?" : "?");
    buf_putc(sql, ')');
}

int perm_filter_bind(const struct perm_filter *pf, struct db_stmt *st, int k)
{
    if (!pf->field || pf->none)
        return k;
    if (!pf->list) {
        db_bind_int(st, k++, pf->one);
        return k;
    }
    for (int i = 0; i < pf->n; i++)
        db_bind_int(st, k++, pf->list[i]);
    return k;
}

static int listed(json_t *arr, const char *name)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) if (json_is_string(v) && !strcmp(json_string_value(v), name))
        return 1;
    return 0;
}

unsigned char *perm_hidden_mask(struct req *r, const struct res_entity *ent)
{
    int n;
    const struct res_field *const *cols = res_cols(ent, &n);
    unsigned char *m = arena_zalloc(r->a, (size_t)n + 1);
    json_t *perms, *hidden;
    if (!m)
        return NULL;
    for (int i = 0; i < n; i++)
        m[i] = cols[i]->hidden ? PERM_HIDDEN : 0;
    if (!r->who)
        return m; /* the server's own requests see everything */
    if (!role_docs(r, &perms, &hidden)) {
        json_t *a = json_object_get(hidden, ent->name), *all = json_object_get(hidden, "*");
        /* the system fields (id, version, created_at, updated_at, created_by) are
         * always sent: the OpenAPI document requires them in every record */
        for (int i = RES_NSYS; i < n; i++)
            if (listed(a, cols[i]->name) || listed(all, cols[i]->name))
                m[i] = PERM_HIDDEN;
    }
    /* masked unless the role may unmask the collection (when the roles cannot
     * be read, perm_scope answers none: masked) */
    int unmask = -1;
    for (int i = RES_NSYS; i < n; i++) {
        if (!cols[i]->mask || m[i])
            continue;
        if (unmask < 0)
            unmask = perm_scope(r, ent, "unmask") != SCOPE_NONE;
        if (!unmask)
            m[i] = PERM_MASKED;
    }
    return m;
}

int perm_hidden(struct req *r, const struct res_entity *ent, const struct res_field *f)
{
    int n;
    const struct res_field *const *cols = res_cols(ent, &n);
    unsigned char *m = perm_hidden_mask(r, ent);
    for (int i = 0; i < n; i++)
        if (cols[i] == f)
            return m ? m[i] : f->hidden;
    return f->hidden;
}

int perm_check_dept(struct req *r, const struct res_entity *ent, int64_t dept, int has_dept)
{
    /* own and assigned records are written through actions that check their own rules */
    if (!r->who || r->scope_ent != ent || r->scope == SCOPE_TENANT || r->scope == SCOPE_OWN ||
        r->scope == SCOPE_ASSIGNED)
        return 0;
    if (!ent->dept_field)
        return 0; /* department scopes mean own records here */
    if (!strcmp(ent->dept_field, "id"))
        return err_set(&r->err, ERR_FORBIDDEN, NULL, "auth.own_department",
                       "your role may change {collection}%s only within its department", ent->name);
    const struct principal *w = r->who;
    int ok = 0;
    if (has_dept && r->scope == SCOPE_DEPT)
        ok = dept == w->department_id;
    else if (has_dept)
        for (int i = 0; i < w->nsubtree && !ok; i++)
            ok = w->subtree[i] == dept;
    if (ok)
        return 0;
    return err_set(&r->err, ERR_FORBIDDEN, ent->dept_field, "auth.outside_departments",
                   "outside the departments your role may change");
}

static const char *const verbs_known[] = {"read",   "create", "update", "delete", "export",
                                          "import", "unmask", "*",      NULL};

static int verb_known(const char *v)
{
    for (const char *const *p = verbs_known; *p; p++)
        if (!strcmp(*p, v))
            return 1;
    /* a named action of some collection */
    const struct res_entity *ent;
    for (size_t i = 0; (ent = res_at(i)); i++)
        for (const struct res_action *a = ent->actions; a && a->name; a++)
            if (!strcmp(a->name, v))
                return 1;
    return !strcmp(v, "approve") || !strcmp(v, "reject");
}

/* 1 for id, version, created_at, updated_at and created_by. */
static int system_field(const char *name)
{
    static const char *const sys[] = {"id", "version", "created_at", "updated_at", "created_by"};
    for (size_t i = 0; i < ARRAY_LEN(sys); i++)
        if (!strcmp(sys[i], name))
            return 1;
    return 0;
}

int perm_valid_document(json_t *perms, json_t *hidden, struct err_item *why)
{
    const char *key, *verb;
    json_t *obj, *v;
    if (!json_is_object(perms))
        return !err_item_set(why, "identity.perms.object", "permissions must be an object");
    json_object_foreach(perms, key, obj) {
        int ok = !strcmp(key, "*") || res_find(key, strlen(key)) || !strncmp(key, "module:", 7);
        if (!ok)
            return !err_item_set(why, "identity.perms.collection",
                                 "unknown collection '{collection}%.60s'", key);
        if (!json_is_object(obj))
            return !err_item_set(why, "identity.perms.verbs",
                                 "'{collection}%.60s' must map verbs to scopes", key);
        json_object_foreach(obj, verb, v) {
            if (!verb_known(verb))
                return !err_item_set(why, "identity.perms.verb", "unknown verb '{verb}%.60s'",
                                     verb);
            if (!json_is_string(v) || parse_scope(json_string_value(v)) < 0)
                return !err_item_set(why, "identity.perms.scope",
                                     "scope of '{verb}%.60s' must be own, department, subtree, "
                                     "tenant or none",
                                     verb);
        }
    }
    if (!json_is_object(hidden))
        return !err_item_set(why, "identity.hidden.object", "hidden_fields must be an object");
    json_object_foreach(hidden, key, obj) {
        const struct res_entity *ent = res_find(key, strlen(key));
        if ((!ent && strcmp(key, "*")) || !json_is_array(obj))
            return !err_item_set(why, "identity.hidden.collection",
                                 "hidden_fields: '{collection}%.60s' must be a collection with a "
                                 "list",
                                 key);
        size_t i;
        json_array_foreach(obj, i, v) {
            if (!json_is_string(v) ||
                (ent && !res_field_find(ent, json_string_value(v), json_string_length(v))))
                return !err_item_set(why, "identity.hidden.field",
                                     "hidden_fields: unknown field in '{collection}%.60s'", key);
            if (system_field(json_string_value(v)))
                return !err_item_set(why, "identity.hidden.system",
                                     "hidden_fields: '{field}%.60s' is a system field, always "
                                     "shown",
                                     json_string_value(v));
        }
    }
    return 1;
}
