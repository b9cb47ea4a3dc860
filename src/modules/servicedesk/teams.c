/* SPDX-License-Identifier: MIT
 * servicedesk/teams.c - who is in a service team: the "assigned" scope of
 * requests and work orders (the caller's teams), the members a dispatcher
 * picks from, and everyone a team's notification goes to.
 */
#include "servicedesk.h"
#include "../../base/arena.h"
#include "../../base/buf.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../engine/record.h"
#include "../../engine/rest.h"
#include "../identity/identity.h"

#include <string.h>

#define MAX_MEMBERS 500

/* The ids sql selects for (tenant, id), at most max (arena memory). */
static int ids_of(struct req *r, struct db_conn *c, const char *sql, int64_t id, int max,
                  int64_t **out, int *n, struct err *e)
{
    struct db_stmt *st;
    *n = 0;
    *out = arena_alloc(r->a, sizeof(int64_t) * (size_t)max);
    if (!*out)
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    int rc = db_prepare_ints(c, sql, DB_INTS(r->tenant_id, id), &st, e);
    if (rc)
        return rc;
    while ((rc = db_step(st, e)) == DB_ROW && *n < max)
        (*out)[(*n)++] = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int sd_team_users(struct req *r, struct db_conn *c, int64_t team, int64_t **users, int *n,
                  struct err *e)
{
    return ids_of(r, c,
                  "SELECT user_id FROM service_team_members WHERE tenant_id = ? AND team_id = ? "
                  "ORDER BY user_id LIMIT 500",
                  team, MAX_MEMBERS, users, n, e);
}

int sd_assigned_teams(struct req *r, struct db_conn *c, int64_t **ids, int *n, struct err *e)
{
    *n = 0;
    if (!r->who)
        return -1;
    return ids_of(r, c,
                  "SELECT team_id FROM service_team_members WHERE tenant_id = ? AND user_id = ? "
                  "ORDER BY team_id LIMIT 16",
                  r->user_id, 16, ids, n, e);
}

/* GET /api/v1/service_teams/{id}/members: who is in a team, by name, for
 * whoever may read the team (the dispatcher's assign dialog). */
int sd_team_members_named(struct req *r)
{
    int64_t id, *users;
    int n, shown = 0;
    struct db_conn *c;
    json_t *team;
    int rc = rest_record(r, &sd_teams, "read", &id, &c, &team);
    if (rc || (rc = sd_team_users(r, c, id, &users, &n, &r->err)))
        return rc;
    buf_puts(&r->out, "{\"items\":[");
    for (int i = 0; i < n; i++) {
        struct identity_user u;
        if ((rc = identity_user(r, c, users[i], &u, &r->err)))
            return rc;
        if (!u.name || !u.active)
            continue;
        buf_printf(&r->out, "%s{\"user_id\":%lld,\"name\":", shown++ ? "," : "",
                   (long long)users[i]);
        buf_json_str(&r->out, u.name, strlen(u.name));
        buf_putc(&r->out, '}');
    }
    buf_puts(&r->out, "]}");
    return resp_json(r, 200);
}
