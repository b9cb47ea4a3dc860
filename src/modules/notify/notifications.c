/* SPDX-License-Identifier: MIT
 * notify/notifications.c - in-app notifications: the C API other modules
 * call inside their transactions, and the signed-in caller's own routes
 * under /api/v1/me/notifications (list, unread count, mark read).
 */
#include "internal.h"
#include "../../base/arena.h"
#include "../../core/auth.h"
#include "../../base/buf.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/record.h"
#include "../../engine/rest.h"
#include "../../engine/workflow.h"
#include "../identity/identity.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define LIST_DEFAULT 20
#define LIST_MAX 100
#define UNREAD_CAP 1000 /* the count stops here: the bell shows "999+" */

/* Bytes of s within max characters, never cutting a UTF-8 sequence. */
static size_t cut_utf8(const char *s, size_t max)
{
    size_t i = 0, chars = 0;
    while (s[i]) {
        if (((unsigned char)s[i] & 0xc0) != 0x80) {
            if (chars == max)
                break;
            chars++;
        }
        i++;
    }
    return i;
}

static void bind_text_or_null(struct db_stmt *st, int k, const char *s, size_t max)
{
    if (s && *s)
        db_bind_text(st, k, s, cut_utf8(s, max));
    else
        db_bind_null(st, k);
}

enum target { T_USER, T_ROLE, T_DEPT };

/* 1 when user has a notification of kind, 0 when not, or a negative ERR_*. */
static int has_kind(struct req *r, struct db_conn *c, int64_t user, const char *kind,
                    struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare_ints(c,
                             "SELECT 1 FROM notifications WHERE tenant_id = ? AND user_id = ? AND "
                             "kind = ? LIMIT 1",
                             DB_INTS(r->tenant_id, user), &st, e);
    if (rc)
        return rc;
    db_bind_text(st, 3, kind, strlen(kind));
    rc = db_step(st, e);
    db_reset(st);
    return rc < 0 ? rc : rc == DB_ROW;
}

static int insert_for(struct req *r, struct db_conn *c, enum target t, int64_t who,
                      const char *role, const char *kind, const char *title, const char *body,
                      const char *collection, int64_t record_id, int once, int *n,
                      struct err *e)
{
    if (n)
        *n = 0;
    if (!db_in_tx(c))
        return err_set(e, ERR_INTERNAL, NULL, NULL,
                       "notifications are written inside a transaction");
    if (!kind || !*kind || strlen(kind) > 60 || !title || !*title)
        return err_set(e, ERR_INTERNAL, NULL, NULL, "a notification needs a kind and a title");
    if (collection && strlen(collection) > 60)
        return err_set(e, ERR_INTERNAL, NULL, NULL, "collection name too long");
    /* who is told: active users only (identity says who they are) */
    int64_t one, *users = &one;
    int nu = 0, rc;
    if (t == T_USER) {
        struct identity_user u;
        if ((rc = identity_user(r, c, who, &u, e)))
            return rc;
        if (u.active)
            one = who, nu = 1;
    } else if ((rc = t == T_ROLE ? identity_role_users(r, c, role, &users, &nu, e)
                                 : identity_department_users(r, c, who, &users, &nu, e))) {
        return rc;
    }
    char link[128] = "";
    if (collection && *collection && record_id > 0)
        snprintf(link, sizeof(link), "#/c/%s/%lld", collection, (long long)record_id);
    struct db_stmt *st;
    if ((rc = db_prepare(c,
                         "INSERT INTO notifications (tenant_id, version, created_at, updated_at, "
                         "created_by, user_id, kind, title, body, link, collection, record_id) "
                         "VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         &st, e)))
        return rc;
    int64_t now = clock_now();
    int added = 0;
    for (int i = 0; i < nu; i++) {
        if (t != T_USER && users[i] == r->user_id)
            continue; /* the caller is not told of their own act */
        if (once) {
            int had = has_kind(r, c, users[i], kind, e);
            if (had < 0)
                return had;
            if (had)
                continue; /* told already */
        }
        int k = 1;
        db_bind_int(st, k++, r->tenant_id);
        db_bind_int(st, k++, now);
        db_bind_int(st, k++, now);
        db_bind_int_or_null(st, k++, r->user_id);
        db_bind_int(st, k++, users[i]);
        db_bind_text(st, k++, kind, strlen(kind));
        bind_text_or_null(st, k++, title, NOTIFY_TITLE_MAX);
        bind_text_or_null(st, k++, body, NOTIFY_BODY_MAX);
        bind_text_or_null(st, k++, link, 300);
        bind_text_or_null(st, k++, collection, 60);
        if (record_id > 0)
            db_bind_int(st, k++, record_id);
        else
            db_bind_null(st, k++);
        rc = db_step(st, e);
        db_reset(st);
        if (rc < 0)
            return rc;
        added++;
    }
    if (n)
        *n = added;
    return 0;
}

int notify_user(struct req *r, struct db_conn *c, int64_t user_id, const char *kind,
                const char *title, const char *body, const char *collection, int64_t record_id,
                struct err *e)
{
    return insert_for(r, c, T_USER, user_id, NULL, kind, title, body, collection, record_id, 0,
                      NULL, e);
}

int notify_role(struct req *r, struct db_conn *c, const char *role_code, const char *kind,
                const char *title, const char *body, const char *collection, int64_t record_id,
                int *n, struct err *e)
{
    if (!role_code)
        return err_set(e, ERR_INTERNAL, NULL, NULL, "no role code");
    return insert_for(r, c, T_ROLE, 0, role_code, kind, title, body, collection, record_id, 0, n,
                      e);
}

int notify_role_once(struct req *r, struct db_conn *c, const char *role_code, const char *kind,
                     const char *title, const char *body, const char *collection,
                     int64_t record_id, int *n, struct err *e)
{
    if (!role_code)
        return err_set(e, ERR_INTERNAL, NULL, NULL, "no role code");
    return insert_for(r, c, T_ROLE, 0, role_code, kind, title, body, collection, record_id, 1, n,
                      e);
}

int notify_department(struct req *r, struct db_conn *c, int64_t dept_id, const char *kind,
                      const char *title, const char *body, const char *collection,
                      int64_t record_id, int *n, struct err *e)
{
    return insert_for(r, c, T_DEPT, dept_id, NULL, kind, title, body, collection, record_id, 0, n,
                      e);
}

int notify_step(struct wf *w, int64_t user, const char *role, const char *title, const char *text)
{
    char kind[60];
    const char *what = w->step->event ? w->step->event : w->step->name;
    snprintf(kind, sizeof(kind), "%s.%s", w->ent->module ? w->ent->module : w->ent->name, what);
    if (user)
        return notify_user(w->r, w->c, user, kind, title, text, w->ent->name, w->id, &w->r->err);
    return notify_role(w->r, w->c, role, kind, title, text, w->ent->name, w->id, NULL, &w->r->err);
}

/* ---- the caller's own notifications ---- */

/* A signed-in user (not an API token: a token acts for scripts and devices). */
static int me(struct req *r, struct db_conn **c)
{
    int rc = auth_require(r);
    if (rc)
        return rc;
    if (r->who->token_id)
        return err_set(&r->err, ERR_BAD_REQUEST, NULL, "auth.token_no_session",
                       "an API token has no notifications: sign in as the user");
    *c = req_db(r);
    return *c ? 0 : -ERR_DB_UNAVAILABLE;
}

struct list_args {
    struct req *r;
    int unread;
    int64_t limit, after;
    int rc;
};

static int list_param(void *p, const char *k, const char *v)
{
    struct list_args *a = p;
    struct err *e = &a->r->err;
    if (!strcmp(k, "unread")) {
        if (strcmp(v, "true") && strcmp(v, "false"))
            return a->rc = err_set(e, ERR_BAD_QUERY, "unread", "field.bool",
                                   "unread must be true or false");
        a->unread = !strcmp(v, "true");
    } else if (!strcmp(k, "limit")) {
        if (parse_i64(v, strlen(v), &a->limit) || a->limit < 1 || a->limit > LIST_MAX)
            return a->rc = err_set(e, ERR_BAD_QUERY, "limit", "query.limit",
                                   "must be a whole number from {min}%d to {max}%d", 1, LIST_MAX);
    } else if (!strcmp(k, "after")) {
        if (parse_i64(v, strlen(v), &a->after) || a->after < 1)
            return a->rc = err_set(e, ERR_BAD_CURSOR, "after", "query.cursor",
                                   "after takes the next value of the previous page");
    } else {
        char q[140];
        err_quote(q, sizeof(q), k, strlen(k));
        return a->rc = err_set(e, ERR_BAD_QUERY, q, "query.unknown",
                               "unknown parameter '{param}%s': use unread, limit "
                               "and after",
                               q);
    }
    return 0;
}

/* GET /api/v1/me/notifications?unread=true&limit=&after= : newest first. */
int nt_h_list(struct req *r)
{
    struct db_conn *c;
    struct list_args a = {.r = r, .limit = LIST_DEFAULT};
    int rc = me(r, &c);
    if (rc || (rc = req_query_each(r, list_param, &a)))
        return rc;
    const struct res_entity *ent = &nt_notifications;
    char *sql = arena_printf(r->a,
                             "SELECT %s FROM notifications WHERE tenant_id = ? AND user_id = ?%s%s "
                             "ORDER BY id DESC LIMIT ?",
                             rec_select_list(ent), a.unread ? " AND read_at IS NULL" : "",
                             a.after ? " AND id < ?" : "");
    if (!sql)
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    struct db_stmt *st;
    if ((rc = db_prepare(c, sql, &st, &r->err)))
        return rc;
    int k = 1;
    db_bind_int(st, k++, r->tenant_id);
    db_bind_int(st, k++, r->user_id);
    if (a.after)
        db_bind_int(st, k++, a.after);
    db_bind_int(st, k++, a.limit + 1);
    int rows = 0;
    int64_t last = 0;
    buf_puts(&r->out, "{\"items\":[");
    while ((rc = db_step(st, &r->err)) == DB_ROW) {
        if (rows == a.limit)
            break;
        if (rows++)
            buf_putc(&r->out, ',');
        rec_render_row(&r->out, ent, st, r->utc_offset_min, NULL);
        last = db_col_int(st, 0);
    }
    int more = rc == DB_ROW;
    db_reset(st);
    if (rc < 0)
        return rc;
    buf_puts(&r->out, "],\"next\":");
    if (more)
        buf_printf(&r->out, "\"%lld\"", (long long)last);
    else
        buf_puts(&r->out, "null");
    buf_putc(&r->out, '}');
    return resp_json(r, 200);
}

/* GET /api/v1/me/notifications/unread → {"unread": n}: one index range. */
int nt_h_unread(struct req *r)
{
    struct db_conn *c;
    int64_t n;
    int rc = me(r, &c);
    if (rc || (rc = db_one_int(c,
                               "SELECT count(*) FROM (SELECT 1 FROM notifications WHERE "
                               "tenant_id = ? AND user_id = ? AND read_at IS NULL LIMIT ?) x",
                               DB_INTS(r->tenant_id, r->user_id, UNREAD_CAP), &n, &r->err)) < 0)
        return rc;
    buf_printf(&r->out, "{\"unread\":%lld}", (long long)n);
    return resp_json(r, 200);
}

static int audit_read(struct req *r, struct db_conn *c, const char *action, int64_t id,
                      json_t *after, struct err *e)
{
    return rec_audit(r, c, action, "notifications", id, NULL, after, e);
}

static int finish(struct db_conn *c, int rc, struct err *e)
{
    if (rc || (rc = db_commit(c, e)))
        db_rollback(c);
    return rc;
}

/* POST /api/v1/me/notifications/{id}/read: the notification, read (200);
 * someone else's is 404. Reading it again changes nothing. */
int nt_h_read(struct req *r)
{
    struct db_conn *c;
    struct db_stmt *st;
    int64_t id, now = clock_now(), version = 0;
    int rc = me(r, &c);
    if (rc || (rc = rest_id(r, 4, &id)) || (rc = db_begin(c, &r->err)))
        return rc;
    rc = db_prepare_ints(
        c,
        "UPDATE notifications SET read_at = ?, version = version + 1, updated_at = ? "
        "WHERE tenant_id = ? AND user_id = ? AND id = ? AND read_at IS NULL",
        DB_INTS(now, now, r->tenant_id, r->user_id, id), &st, &r->err);
    if (rc)
        return finish(c, rc, &r->err);
    rc = db_step(st, &r->err);
    int64_t changed = db_changes(st);
    db_reset(st);
    if (rc < 0)
        return finish(c, rc, &r->err);
    rc = 0;
    if (changed) {
        char at[40];
        time_format_rfc3339(now, r->utc_offset_min, at, sizeof(at));
        json_t *after = json_pack("{s:s}", "read_at", at);
        rc = audit_read(r, c, "read", id, after, &r->err);
        json_decref(after);
    }
    if ((rc = finish(c, rc, &r->err)))
        return rc;
    /* the caller's own only: someone else's id is "not found" */
    char *sql = arena_printf(r->a,
                             "SELECT %s FROM notifications WHERE tenant_id = ? AND user_id = ? "
                             "AND id = ?",
                             rec_select_list(&nt_notifications));
    if (!sql)
        return err_set(&r->err, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    if ((rc = db_prepare_ints(c, sql, DB_INTS(r->tenant_id, r->user_id, id), &st, &r->err)))
        return rc;
    rc = db_step(st, &r->err);
    if (rc == DB_ROW) {
        rec_render_row(&r->out, &nt_notifications, st, r->utc_offset_min, NULL);
        version = db_col_int(st, 1);
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    if (rc == DB_DONE)
        return err_set(&r->err, ERR_NOT_FOUND, NULL, NULL, "no notification {id}%lld",
                       (long long)id);
    resp_header(r, "ETag", arena_printf(r->a, "\"%lld\"", (long long)version));
    return resp_json(r, 200);
}

/* POST /api/v1/me/notifications/read_all → {"read": n}, one audit entry. */
int nt_h_read_all(struct req *r)
{
    struct db_conn *c;
    struct db_stmt *st;
    int64_t now = clock_now();
    int rc = me(r, &c);
    if (rc || (rc = db_begin(c, &r->err)))
        return rc;
    rc = db_prepare_ints(
        c,
        "UPDATE notifications SET read_at = ?, version = version + 1, updated_at = ? "
        "WHERE tenant_id = ? AND user_id = ? AND read_at IS NULL",
        DB_INTS(now, now, r->tenant_id, r->user_id), &st, &r->err);
    if (rc)
        return finish(c, rc, &r->err);
    rc = db_step(st, &r->err);
    int64_t n = db_changes(st);
    db_reset(st);
    if (rc < 0)
        return finish(c, rc, &r->err);
    rc = 0;
    if (n) {
        json_t *after =
            json_pack("{s:I, s:I}", "user_id", (json_int_t)r->user_id, "read", (json_int_t)n);
        rc = audit_read(r, c, "read_all", 0, after, &r->err);
        json_decref(after);
    }
    if ((rc = finish(c, rc, &r->err)))
        return rc;
    buf_printf(&r->out, "{\"read\":%lld}", (long long)n);
    return resp_json(r, 200);
}
