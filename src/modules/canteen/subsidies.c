/* SPDX-License-Identifier: MIT
 * canteen/subsidies.c - the meal subsidies by rank (meal_subsidy_rules) and
 * their monthly runs (meal_subsidy_runs).
 *
 * A person's due for a month comes from the rule of their rank valid in the
 * month: per working day on which they spent at least once in a canteen
 * (working days from the tenant's calendar, capped by the rule's max_days),
 * or a monthly amount. The source document cancelled meal-card subsidies
 * below section level: a new tenant gets a rule for each rank from 副科级 up
 * and none below; the amounts are the tenant's own (RULES.md §5 found no
 * national figure).
 *
 * A run posts, for every card, the difference between the month's due and
 * what that month's subsidy entries already paid the person (positive, or a
 * negative correction), each through ct_post with an idempotency key made of
 * (month, person, the amount already paid): posting again pays nothing
 * twice, and after a fixed rule only the difference. One audit entry per
 * run: the run's own record with its totals.
 */
#include "canteen.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../core/tenant.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../engine/report.h"
#include "../../engine/workflow.h"
#include "../org/calendar.h"
#include "../org/org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RULES 2000

/* ---- the due computation (pure) ---- */

int64_t ct_subsidy_due(const struct ct_subsidy_rule *rules, int n, int64_t rank, int64_t first,
                       int64_t last, int days_eaten, int workdays, struct ct_due *out)
{
    const struct ct_subsidy_rule *best = NULL;
    memset(out, 0, sizeof(*out));
    for (int i = 0; i < n && rank; i++) {
        const struct ct_subsidy_rule *k = &rules[i];
        if (k->rank_id != rank || k->from > last || (k->to >= 0 && k->to < first))
            continue;
        if (!best || k->from > best->from || (k->from == best->from && k->id > best->id))
            best = k;
    }
    if (!best)
        return 0;
    out->rule_id = best->id;
    if (!best->per_day) {
        out->due_fen = best->amount_fen;
        return out->due_fen;
    }
    int cap = best->max_days > 0 ? best->max_days : workdays;
    int days = days_eaten < 0 ? 0 : days_eaten;
    if (days > cap)
        days = cap;
    out->days_paid = days;
    out->due_fen = best->amount_fen * days;
    return out->due_fen;
}

/* ---- hooks ---- */

static int64_t day_of(json_t *rec, const char *k)
{
    const char *s = wf_str(rec, k);
    int64_t d;
    return s && !date_parse(s, strlen(s), &d) ? d : -1;
}

int ct_subsidy_rule_before_write(struct res_write *w)
{
    if (!w->rec)
        return 0;
    int64_t from = day_of(w->rec, "valid_from"), to = day_of(w->rec, "valid_to");
    if (from >= 0 && to >= 0 && to < from) {
        err_field(w->e, "valid_to", "field.after_start", "must be after the start");
        return err_invalid(w->e);
    }
    return 0;
}

/* "YYYY-MM" into its first and last day; -1 when not a month */
static int month_days(const char *m, int64_t *first, int64_t *last)
{
    char d[32];
    if (!m || strlen(m) != 7)
        return -1;
    snprintf(d, sizeof(d), "%s-01", m);
    if (date_parse(d, 10, first))
        return -1;
    int y = (m[0] - '0') * 1000 + (m[1] - '0') * 100 + (m[2] - '0') * 10 + (m[3] - '0');
    int mo = (m[5] - '0') * 10 + (m[6] - '0');
    if (++mo > 12)
        mo = 1, y++;
    snprintf(d, sizeof(d), "%04d-%02d-01", y, mo);
    int64_t next;
    if (date_parse(d, 10, &next))
        return -1;
    *last = next - 1;
    return 0;
}

int ct_subsidy_run_before_write(struct res_write *w)
{
    if (!w->rec)
        return 0;
    const char *m = wf_str(w->rec, "month");
    if (w->old && !wf_is(m, wf_str(w->old, "month"))) {
        err_field(w->e, "month", "canteen.subsidy.month_fixed",
                  "a run keeps its month: make another run");
        return err_invalid(w->e);
    }
    int64_t first, last;
    if (!w->old && !month_days(m, &first, &last) && first > report_today(w->r)) {
        err_field(w->e, "month", "canteen.subsidy.future_month",
                  "{month}%s has not begun: subsidies are paid for a month begun or past", m);
        return err_invalid(w->e);
    }
    return 0;
}

/* ---- the month's figures for every card ---- */

struct item {
    int64_t person, account, dept, rank;
    const char *name, *status;
    int days_eaten;
    struct ct_due due;
    int64_t paid;
    const char *reason; /* ok, no_rank, no_rule, closed, frozen */
};

struct month {
    int64_t first, last;
    int workdays;
    struct item *v;
    int n;
    struct ct_subsidy_rule *rules;
    int nrules;
};

static int item_cmp(const void *a, const void *b)
{
    const struct item *x = a, *y = b;
    return (x->person > y->person) - (x->person < y->person);
}

static struct item *item_find(struct month *m, int64_t person)
{
    struct item key = {.person = person};
    return m->n ? bsearch(&key, m->v, (size_t)m->n, sizeof(*m->v), item_cmp) : NULL;
}

static int load_rules(struct req *r, struct db_conn *c, struct month *m, struct err *e)
{
    m->nrules = 0;
    m->rules = arena_zalloc(r->a, sizeof(*m->rules) * MAX_RULES);
    if (!m->rules)
        return err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
    struct db_stmt *st;
    int rc = db_prepare_ints(c,
                             "SELECT id, rank_id, basis, amount_fen, max_days, valid_from, "
                             "valid_to FROM meal_subsidy_rules WHERE tenant_id = ? ORDER BY id",
                             DB_INTS(r->tenant_id), &st, e);
    if (rc)
        return rc;
    while ((rc = db_step(st, e)) == DB_ROW && m->nrules < MAX_RULES) {
        struct ct_subsidy_rule *k = &m->rules[m->nrules++];
        size_t len;
        const char *s;
        k->id = db_col_int(st, 0);
        k->rank_id = db_col_int(st, 1);
        k->per_day = !strcmp(db_col_text(st, 2, NULL), "per_day");
        k->amount_fen = db_col_int(st, 3);
        k->max_days = (int)db_col_int(st, 4);
        s = db_col_text(st, 5, &len);
        if (date_parse(s, len, &k->from))
            k->from = 0;
        k->to = -1;
        s = db_col_text(st, 6, &len);
        if (!db_col_is_null(st, 6) && date_parse(s, len, &k->to))
            k->to = -1;
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static int month_load(struct req *r, struct db_conn *c, const char *mon, struct month *m,
                      struct err *e)
{
    memset(m, 0, sizeof(*m));
    if (month_days(mon, &m->first, &m->last))
        return err_set(e, ERR_BAD_QUERY, "month", "canteen.subsidy.month", "give month=YYYY-MM");
    struct calendar cal;
    struct org_person_list people;
    int rc;
    if ((rc = cal_load(r, c, r->tenant_id, &cal, e)) ||
        (rc = org_person_list_load(r, c, &people, e)) || (rc = load_rules(r, c, m, e)))
        return rc;
    m->workdays = (int)cal_workdays_between(&cal, m->first, m->last + 1);
    struct db_stmt *st;
    int cap = 0;
    if ((rc = db_prepare_ints(c,
                              "SELECT id, person_id, status FROM meal_accounts WHERE tenant_id "
                              "= ? AND kind = 'person' AND person_id IS NOT NULL ORDER BY "
                              "person_id",
                              DB_INTS(r->tenant_id), &st, e)))
        return rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        if (m->n == cap) {
            int more = cap ? cap * 2 : 1024;
            struct item *v = arena_realloc(r->a, m->v, sizeof(*m->v) * (size_t)cap,
                                           sizeof(*m->v) * (size_t)more);
            if (!v) {
                rc = err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
                break;
            }
            m->v = v;
            cap = more;
        }
        struct item *it = &m->v[m->n++];
        memset(it, 0, sizeof(*it));
        it->account = db_col_int(st, 0);
        it->person = db_col_int(st, 1);
        it->status = arena_strdup(r->a, db_col_text(st, 2, NULL));
        const struct org_person_row *p = org_person_list_find(&people, it->person);
        if (p)
            it->dept = p->department_id, it->rank = p->rank_id, it->name = p->name;
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    char a[16], b[16];
    date_format(m->first, a, sizeof(a));
    date_format(m->last, b, sizeof(b));
    /* the working days each person spent on (the business_day index) */
    if ((rc = db_prepare_ints(c,
                              "SELECT person_id, business_day FROM meal_transactions WHERE "
                              "tenant_id = ? AND business_day >= ? AND business_day <= ? AND "
                              "kind = 'spend' GROUP BY person_id, business_day",
                              DB_INTS(r->tenant_id, 0, 0), &st, e)))
        return rc;
    db_bind_text(st, 2, a, strlen(a));
    db_bind_text(st, 3, b, strlen(b));
    while ((rc = db_step(st, e)) == DB_ROW) {
        size_t len;
        const char *s = db_col_text(st, 1, &len);
        int64_t d;
        struct item *it = item_find(m, db_col_int(st, 0));
        if (it && !date_parse(s, len, &d) && cal_is_workday(&cal, d))
            it->days_eaten++;
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    /* what the month's subsidy entries (and their reversals) paid */
    if ((rc = db_prepare_ints(c,
                              "SELECT person_id, SUM(delta_fen) FROM meal_transactions WHERE "
                              "tenant_id = ? AND subsidy_month = ? AND kind IN ('subsidy', "
                              "'reversal') GROUP BY person_id",
                              DB_INTS(r->tenant_id, 0), &st, e)))
        return rc;
    db_bind_text(st, 2, mon, strlen(mon));
    while ((rc = db_step(st, e)) == DB_ROW) {
        struct item *it = item_find(m, db_col_int(st, 0));
        if (it)
            it->paid = db_col_int(st, 1);
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    for (int i = 0; i < m->n; i++) {
        struct item *it = &m->v[i];
        ct_subsidy_due(m->rules, m->nrules, it->rank, m->first, m->last, it->days_eaten,
                       m->workdays, &it->due);
        it->reason = !it->rank                     ? "no_rank"
                     : !it->due.rule_id            ? "no_rule"
                     : wf_is(it->status, "closed") ? "closed"
                     : wf_is(it->status, "frozen") ? "frozen"
                                                   : "ok";
    }
    return 0;
}

/* the difference a run posts for it (none for a closed or frozen card: a
 * run after the card is active again pays it) */
static int64_t diff_of(const struct item *it)
{
    if (wf_is(it->reason, "closed") || wf_is(it->reason, "frozen"))
        return 0;
    return it->due.due_fen - it->paid;
}

int ct_subsidy_run_check(struct wf *w)
{
    struct req *r = w->r;
    const char *mon = wf_str(w->rec, "month");
    int64_t first, last;
    if (month_days(mon, &first, &last))
        return wf_conflict(w, "canteen.subsidy.month", "the run has no month");
    if (first > report_today(r))
        return wf_conflict(w, "canteen.subsidy.future_month",
                           "{month}%s has not begun: subsidies are paid for a month begun or past",
                           mon);
    struct month m;
    int rc = month_load(r, w->c, mon, &m, &r->err);
    if (rc)
        return rc;
    int64_t due = 0, before = 0, posted = 0, people = 0, entries = 0;
    char note[120];
    snprintf(note, sizeof(note), "%s 就餐补贴", mon);
    for (int i = 0; i < m.n; i++) {
        const struct item *it = &m.v[i];
        int64_t diff = diff_of(it);
        due += it->due.due_fen;
        before += it->paid;
        people += it->due.due_fen > 0;
        if (!diff)
            continue;
        char key[100];
        snprintf(key, sizeof(key), "subsidy:%s:%lld:%lld", mon, (long long)it->person,
                 (long long)it->paid);
        struct ct_post p = {.kind = "subsidy",
                            .account_id = it->account,
                            .delta_fen = diff,
                            .idem_key = key,
                            .method = "system",
                            .subsidy_month = mon,
                            .note = note,
                            .no_audit = 1};
        struct ct_posted out;
        if ((rc = ct_post(r, w->c, &p, &out)))
            return rc;
        if (!out.replayed)
            posted += diff, entries++;
    }
    w->count = entries;
    json_object_set_new(w->patch, "people", json_integer(people));
    json_object_set_new(w->patch, "due_fen", json_integer(due));
    json_object_set_new(w->patch, "paid_before_fen", json_integer(before));
    json_object_set_new(w->patch, "posted_fen", json_integer(posted));
    json_object_set_new(w->patch, "entries", json_integer(entries));
    json_object_set_new(w->patch, "runs", json_integer(wf_int(w->rec, "runs") + 1));
    return 0;
}

int ct_subsidy_preview(struct req *r)
{
    static const char *const params[] = {"month", NULL};
    int rc = perm_check(r, &ct_subsidy_runs, "read");
    if (rc || (rc = report_params_only(r, params)))
        return rc;
    int64_t first;
    if ((rc = report_param_month(r, "month", report_today(r), &first)))
        return rc;
    char mon[16];
    date_format(first, mon, sizeof(mon));
    mon[7] = 0;
    struct db_conn *c = req_db(r);
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    struct month m;
    struct org_rank_list ranks;
    if ((rc = month_load(r, c, mon, &m, &r->err)) ||
        (rc = org_rank_list_load(r, c, &ranks, &r->err)))
        return rc;
    json_t *items = report_keep(r, json_array());
    int64_t due = 0, paid = 0, diff = 0, people = 0;
    for (int i = 0; i < m.n; i++) {
        const struct item *it = &m.v[i];
        const struct ct_subsidy_rule *k = NULL;
        for (int j = 0; j < m.nrules && it->due.rule_id; j++)
            if (m.rules[j].id == it->due.rule_id)
                k = &m.rules[j];
        const struct org_rank_row *rk = it->rank ? org_rank_list_find(&ranks, it->rank) : NULL;
        int64_t d = diff_of(it);
        due += it->due.due_fen;
        paid += it->paid;
        diff += d;
        people += it->due.due_fen > 0;
        json_t *o =
            json_pack("{s:I,s:s,s:I,s:I,s:s,s:I,s:I,s:I,s:I,s:I,s:s,s:s}", "person_id",
                      (json_int_t)it->person, "name", it->name ? it->name : "", "account_id",
                      (json_int_t)it->account, "rank_id", (json_int_t)it->rank, "rank",
                      rk && rk->name ? rk->name : "", "days_eaten", (json_int_t)it->days_eaten,
                      "days_paid", (json_int_t)it->due.days_paid, "due_fen",
                      (json_int_t)it->due.due_fen, "paid_fen", (json_int_t)it->paid, "diff_fen",
                      (json_int_t)d, "reason", it->reason, "status", it->status ? it->status : "");
        json_object_set_new(o, "department_id", it->dept ? json_integer(it->dept) : json_null());
        json_object_set_new(o, "rule_id", k ? json_integer(k->id) : json_null());
        json_object_set_new(o, "basis",
                            k ? json_string(k->per_day ? "per_day" : "monthly") : json_null());
        json_object_set_new(o, "amount_fen", k ? json_integer(k->amount_fen) : json_null());
        json_array_append_new(items, o);
    }
    return report_send(r, json_pack("{s:s,s:I,s:{s:I,s:I,s:I,s:I,s:I},s:O}", "month", mon,
                                    "working_days", (json_int_t)m.workdays, "totals", "people",
                                    (json_int_t)people, "cards", (json_int_t)m.n, "due_fen",
                                    (json_int_t)due, "paid_fen", (json_int_t)paid, "diff_fen",
                                    (json_int_t)diff, "items", items));
}

/* ---- a new tenant's rules ---- */

int ct_subsidy_seed(struct db_conn *c, int64_t tenant_id, struct err *e)
{
    static const char note[] =
        "补贴标准由本单位按财政部门规定自行确定(RULES.md §5 未查到全国统一标准)：此处按就餐"
        "工作日每天8元、每月最多22天为初始值，请核定后修改；科级以下不享受(原文件已取消)";
    static const char source[] = "机关食堂饭卡补贴改革：取消科级以下人员饭卡补贴";
    struct db_stmt *st;
    int64_t ids[200];
    int n = 0;
    char level[32] = "county";
    int rc = tenant_admin_level(c, tenant_id, level, sizeof(level), e);
    if (rc)
        return rc;
    struct arena *a = arena_new(1u << 20);
    if (!a)
        return err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
    struct req r;
    req_init_internal(&r, a, NULL, NULL);
    r.tenant_id = tenant_id;
    struct org_rank_list ranks;
    if (!(rc = org_rank_list_load(&r, c, &ranks, e)))
        for (int i = 0; i < ranks.n && n < 200; i++)
            if (ranks.v[i].level && !strcmp(ranks.v[i].level, level) && ranks.v[i].code &&
                strncmp(ranks.v[i].code, "below_", 6))
                ids[n++] = ranks.v[i].id;
    arena_free(a);
    if (rc)
        return rc;
    int64_t now = clock_now();
    char from[16];
    date_format(now / 86400 - 400, from, sizeof(from));
    memcpy(from + 5, "01-01", 6);
    for (int i = 0; i < n && !rc; i++) {
        if ((rc = db_prepare(c,
                             "INSERT INTO meal_subsidy_rules (tenant_id, version, created_at, "
                             "updated_at, rank_id, basis, amount_fen, max_days, valid_from, "
                             "source, note) VALUES (?, 1, ?, ?, ?, 'per_day', 800, 22, ?, ?, ?)",
                             &st, e)))
            return rc;
        db_bind_int(st, 1, tenant_id);
        db_bind_int(st, 2, now);
        db_bind_int(st, 3, now);
        db_bind_int(st, 4, ids[i]);
        db_bind_text(st, 5, from, strlen(from));
        db_bind_text(st, 6, source, strlen(source));
        db_bind_text(st, 7, note, strlen(note));
        rc = db_step(st, e);
        db_reset(st);
        rc = rc < 0 ? rc : 0;
    }
    return rc;
}
