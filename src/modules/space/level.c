/* SPDX-License-Identifier: MIT
 * space/level.c - changing the tenant's administrative level (the column of
 * the 2014 standard its offices are judged by) with the people whose office
 * limits it changes listed first:
 *
 *   POST /api/v1/space/level_change {"admin_level", "rank_map"?: {"<rank id>":
 *        <rank id of the new level>, …}, "apply"?: false}
 *   → {"from", "to", "count", "truncated", "changes": [{"person_id", "name",
 *      "department_id", "department", "rank_id", "rank", "limit_m2",
 *      "new_rank_id", "new_rank", "new_limit_m2", "other_tier"}, …],
 *      "unmapped": [{"rank_id", "rank", "level", "people"}, …], "applied"}
 *
 * Without "apply" (or false) nothing changes: the answer is the list. With
 * "apply": true the level changes and every person holding a rank the map
 * names gets the rank it maps to, in one transaction (audited writes). A
 * rank is only ever looked up in its own level's table (rules.c): the map
 * is the caller's decision, said explicitly, never an equivalence guessed
 * by row position. A person whose rank is left unmapped keeps it, and has
 * no limit until given a rank of the new level ("other_tier": true).
 *
 * The tenants' own PATCH of admin_level is refused (409) while it would
 * change someone's limit: the change goes through here, seen first. The
 * people it re-ranks are not told to the space managers one by one (as a
 * rank change elsewhere is): the list answered is the account.
 */
#include "space.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/buf.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../engine/rest.h"
#include "../../engine/workflow.h"
#include "../org/org.h"

#include <stdlib.h>
#include <string.h>

#define MAX_LISTED 5000

static const char *const levels[] = {"central", "provincial", "municipal", "county", NULL};

struct rmap {
    int64_t from, to;
};

static int64_t mapped(const struct rmap *m, int n, int64_t rank)
{
    for (int i = 0; i < n; i++)
        if (m[i].from == rank)
            return m[i].to;
    return rank;
}

/* The limits of every active person at the tenant's level and at level to
 * (after the map), and the people whose limit or rank changes: counted, and
 * written to b when b is not NULL. */
static int diff(struct req *r, struct db_conn *c, const struct sp_std *s, const char *to,
                const struct rmap *m, int nm, struct buf *b, int64_t *count, struct err *e)
{
    struct org_person_list pl;
    struct org_dept_list dl;
    struct sp_std t = *s;
    snprintf(t.level, sizeof(t.level), "%s", to);
    *count = 0;
    int rc = org_person_list_load(r, c, &pl, e);
    if (rc || (b && (rc = org_dept_list_load(r, c, &dl, e))))
        return rc;
    for (int i = 0; i < pl.n; i++) {
        const struct org_person_row *p = &pl.v[i];
        if (!p->active)
            continue;
        const char *was_name = "", *now_name = "";
        int64_t nr = mapped(m, nm, p->rank_id);
        int64_t was = sp_limit(s, p->rank_id, &was_name), now = sp_limit(&t, nr, &now_name);
        if (was == now && nr == p->rank_id)
            continue;
        if (b && *count < MAX_LISTED) {
            const struct org_dept_row *d = org_dept_list_find(&dl, p->department_id);
            const struct sp_rank *k = sp_rank_of(s, p->rank_id), *nk = sp_rank_of(s, nr);
            buf_puts(b, *count ? ",{" : "{");
            buf_jint(b, "person_id", p->id);
            buf_jstr(b, "name", p->name);
            buf_jid(b, "department_id", p->department_id);
            buf_jstr(b, "department", d ? d->name : NULL);
            buf_jid(b, "rank_id", p->rank_id);
            buf_jstr(b, "rank", k ? k->name : NULL);
            buf_jdec(b, "limit_m2", was, 2);
            buf_jid(b, "new_rank_id", nr);
            buf_jstr(b, "new_rank", nk ? nk->name : NULL);
            buf_jdec(b, "new_limit_m2", now, 2);
            buf_jbool(b, "other_tier", now == SP_LIMIT_OTHER_TIER);
            buf_putc(b, '}');
        }
        (*count)++;
    }
    return 0;
}

int sp_level_guard(struct req *r, struct db_conn *c, int64_t tenant, json_t *before,
                   json_t *after, struct err *e)
{
    const char *was = sp_jstr(before, "admin_level"), *now = sp_jstr(after, "admin_level");
    if (r->server_write || tenant != r->tenant_id || !was || !now || !strcmp(was, now))
        return 0;
    struct sp_std s;
    int64_t n;
    int rc = sp_std_load(r, c, &s, e);
    if (rc)
        return rc;
    snprintf(s.level, sizeof(s.level), "%s", was); /* the tenant row is written already */
    if ((rc = diff(r, c, &s, now, NULL, 0, NULL, &n, e)) || !n)
        return rc;
    return err_set(e, ERR_CONFLICT, "admin_level", "space.level.preview_first",
                   "changing the level from {from}%s to {to}%s changes the office limits of "
                   "{count}%lld people: list them and apply the change through the level change "
                   "of office space",
                   was, now, (long long)n);
}

/* The body's rank map: each key a rank, each value a rank of level to. */
static int read_map(struct req *r, struct db_conn *c, const struct sp_std *s, json_t *jm,
                    const char *to, struct rmap **m, int *nm)
{
    *nm = 0;
    *m = NULL;
    if (!jm || json_is_null(jm))
        return 0;
    if (!json_is_object(jm))
        return err_set(&r->err, ERR_INVALID, "rank_map", "space.level.map_shape",
                       "must be an object of rank ids: {\"12\": 34}");
    size_t n = json_object_size(jm);
    *m = arena_alloc(r->a, sizeof(**m) * (n ? n : 1));
    if (!*m)
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    const char *key;
    json_t *v;
    (void)c;
    json_object_foreach(jm, key, v)
    {
        char *endp;
        long long from = strtoll(key, &endp, 10);
        const struct sp_rank *k = *endp ? NULL : sp_rank_of(s, from);
        const struct sp_rank *t = json_is_integer(v) ? sp_rank_of(s, json_integer_value(v)) : NULL;
        if (!k) {
            err_field(&r->err, "rank_map", "space.level.map_rank", "{rank}%s is not a rank",
                      key);
            continue;
        }
        if (!t || strcmp(t->level, to)) {
            err_field(&r->err, "rank_map", "space.level.map_target",
                      "{rank}%s must map to a rank of the {level}%s table", k->name, to);
            continue;
        }
        (*m)[*nm].from = k->id;
        (*m)[(*nm)++].to = t->id;
    }
    return r->err.nitems ? err_invalid(&r->err) : 0;
}

/* The people holding a rank the map changes (active or not), in id order. */
static int apply(struct req *r, struct db_conn *c, const char *to, const struct rmap *m, int nm)
{
    struct org_person_list pl;
    int rc = wf_update(r, c, &org_tenants, r->tenant_id,
                       json_pack("{s:s}", "admin_level", to), &r->err);
    if (rc || !nm || (rc = org_person_list_load(r, c, &pl, &r->err)))
        return rc;
    for (int i = 0; !rc && i < pl.n; i++) {
        int64_t nr = mapped(m, nm, pl.v[i].rank_id);
        if (pl.v[i].rank_id && nr != pl.v[i].rank_id)
            rc = wf_update(r, c, &org_people, pl.v[i].id,
                           json_pack("{s:I}", "rank_id", (json_int_t)nr), &r->err);
    }
    return rc;
}

int sp_level_change(struct req *r)
{
    json_t *body;
    int rc = perm_check(r, &org_tenants, "update");
    if (rc || (rc = perm_check(r, &org_people, "update")) || (rc = rest_body_json(r, &body, 0)))
        return rc;
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
    {
        if (strcmp(key, "admin_level") && strcmp(key, "rank_map") && strcmp(key, "apply"))
            err_field(&r->err, key, "field.unknown", "is not a member of this request");
    }
    const char *to = sp_jstr(body, "admin_level");
    int ok = 0;
    for (int i = 0; to && levels[i]; i++)
        ok |= !strcmp(levels[i], to);
    if (!ok)
        err_field(&r->err, "admin_level", "space.level.unknown",
                  "must be one of central, provincial, municipal, county");
    json_t *ap = json_object_get(body, "apply");
    if (ap && !json_is_boolean(ap))
        err_field(&r->err, "apply", "field.bool", "must be true or false");
    if (r->err.nitems)
        return err_invalid(&r->err);
    int doit = json_is_true(ap);
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    if (doit && (rc = db_begin(c, &r->err)))
        return rc;
    struct sp_std s;
    struct rmap *m;
    int nm;
    int64_t n;
    struct buf *b = &r->out;
    if ((rc = sp_std_load(r, c, &s, &r->err)) ||
        (rc = read_map(r, c, &s, json_object_get(body, "rank_map"), to, &m, &nm)))
        goto out;
    buf_puts(b, "{");
    buf_jstr(b, "from", s.level);
    buf_jstr(b, "to", to);
    buf_puts(b, ",\"changes\":[");
    if ((rc = diff(r, c, &s, to, m, nm, b, &n, &r->err)))
        goto out;
    buf_puts(b, "]");
    buf_jint(b, "count", n);
    buf_jbool(b, "truncated", n > MAX_LISTED);
    /* the ranks of another level that people would still hold */
    buf_puts(b, ",\"unmapped\":[");
    {
        struct org_person_list pl;
        if ((rc = org_person_list_load(r, c, &pl, &r->err)))
            goto out;
        int k = 0;
        for (int i = 0; i < s.n; i++) {
            const struct sp_rank *x = &s.ranks[i];
            if (!strcmp(x->level, to) || mapped(m, nm, x->id) != x->id)
                continue;
            int64_t people = 0;
            for (int j = 0; j < pl.n; j++)
                people += pl.v[j].active && pl.v[j].rank_id == x->id;
            if (!people)
                continue;
            buf_puts(b, k++ ? ",{" : "{");
            buf_jint(b, "rank_id", x->id);
            buf_jstr(b, "rank", x->name);
            buf_jstr(b, "level", x->level);
            buf_jint(b, "people", people);
            buf_putc(b, '}');
        }
    }
    buf_puts(b, "]");
    buf_jbool(b, "applied", doit);
    buf_puts(b, "}");
    if (doit && !(rc = apply(r, c, to, m, nm)))
        rc = db_commit(c, &r->err);
out:
    if (doit && rc)
        db_rollback(c);
    if (rc) {
        buf_truncate(b, 0);
        return rc;
    }
    if (!buf_ok(b))
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    return resp_json(r, 200);
}
