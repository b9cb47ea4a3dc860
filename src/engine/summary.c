/* SPDX-License-Identifier: MIT
 * summary.c - GET /api/v1/summary/{module}: the cards of a module's
 * dashboard. Every module gets a "counts" card (records of each collection
 * the caller may read, counted within the caller's scope); a module adds its
 * own cards with its summary() hook.
 */
#include "perm.h"
#include "summary.h"
#include "res.h"
#include "rest.h"
#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/base.h"
#include "../core/http.h"
#include "../db/db.h"
#include "module.h"

#include <jansson.h>
#include <string.h>

/* Rows of ent the caller may read; -1 when the caller may not read it. */
static int count_rows(struct req *r, struct db_conn *c, const struct res_entity *ent,
                      int64_t *n, struct err *e)
{
    struct perm_filter pf;
    struct buf sql;
    struct db_stmt *st;
    if (perm_check(r, ent, "read")) {
        err_clear(e);
        return -1;
    }
    perm_filter(r, ent, &pf);
    buf_init(&sql, r->a);
    buf_printf(&sql, "SELECT COUNT(*) FROM %s WHERE %s", ent->name,
               ent->global ? "1 = 1" : "tenant_id = ?");
    perm_filter_sql(&pf, &sql);
    if (!buf_ok(&sql))
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    int rc = db_prepare(c, sql.p, &st, e);
    if (rc)
        return rc;
    int k = 1;
    if (!ent->global)
        db_bind_int(st, k++, r->tenant_id);
    perm_filter_bind(&pf, st, k);
    rc = db_step(st, e);
    *n = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static int counts_card(struct req *r, struct db_conn *c, const struct module *m, json_t *cards,
                       struct err *e)
{
    json_t *items = json_array();
    for (const struct res_entity *const *ep = m->entities; ep && *ep; ep++) {
        int64_t n = 0;
        int rc = count_rows(r, c, *ep, &n, e);
        if (rc == -1)
            continue;
        if (rc) {
            json_decref(items);
            return rc;
        }
        json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:I}", "collection", (*ep)->name,
                                               "zh", (*ep)->zh, "en", (*ep)->en, "count",
                                               (json_int_t)n));
    }
    if (!json_array_size(items)) {
        json_decref(items);
        return 0;
    }
    json_array_append_new(cards, json_pack("{s:s,s:s,s:s,s:s,s:o}", "id", "counts", "kind",
                                           "counts", "zh", "记录数", "en", "Records", "items",
                                           items));
    return 0;
}

int summary_render(struct req *r)
{
    const struct module *m = NULL;
    for (const struct module *const *mp = engine_modules(); *mp; mp++)
        if (strlen((*mp)->name) == r->seg_len[3] &&
            !memcmp((*mp)->name, r->seg[3], r->seg_len[3]))
            m = *mp;
    if (!m) {
        char q[140];
        err_quote(q, sizeof(q), r->seg[3], r->seg_len[3]);
        return err_set(&r->err, ERR_NO_ROUTE, NULL, "request.no_module", "no module {module}%s", q);
    }
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    json_t *cards = json_array();
    int rc = counts_card(r, c, m, cards, &r->err);
    if (!rc && m->summary)
        rc = m->summary(r, c, cards, &r->err);
    if (!rc) {
        json_t *doc = json_pack("{s:s,s:o}", "module", m->name, "cards", cards);
        char *s = json_dumps(doc, JSON_COMPACT);
        json_decref(doc);
        if (!s)
            return err_set(&r->err, ERR_INTERNAL, NULL, NULL, "cannot render the summary");
        buf_puts(&r->out, s);
        core_free(s); /* json_dumps allocates with the default malloc */
        return resp_json(r, 200);
    }
    json_decref(cards);
    return rc;
}
