/* SPDX-License-Identifier: MIT
 * space/rules.c - the rules every write of the module keeps: a room's floor
 * is of the room's building; an assignment is history (its room, person,
 * department and start never change; it is ended, not deleted); a person
 * holds one office at a time and a room one department at a time (409);
 * an office that would put its occupant over the area limit of their rank
 * is refused (422 with the figures) unless someone allowed the "override"
 * verb gives a reason. The on_change hook flags offices for recovery when a
 * person leaves or moves, tells the space managers when a rank change puts
 * someone over the standard, and holds back the completion of an expensive
 * repair of a room until it names a procurement project.
 */
#include "space.h"
#include "../../engine/setting.h"
#include "../../engine/workflow.h"
#include "../../base/arena.h"
#include "../../base/buf.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../core/tenant.h"
#include "../../engine/record.h"
#include "../notify/notify.h"
#include "../org/org.h"
#include "../servicedesk/servicedesk.h"

#include <stdio.h>
#include <string.h>

/* ---- the standard ---- */

int64_t sp_today(struct req *r)
{
    int64_t t = clock_now() + (int64_t)r->utc_offset_min * 60;
    return t >= 0 ? t / 86400 : (t - 86399) / 86400;
}

static void today_str(struct req *r, char *out, size_t n)
{
    date_format(sp_today(r), out, n);
}

void sp_add_months(const char *date, int months, char *out, size_t n)
{
    int y = 1970, m = 1, d = 1;
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1)
        y = 1970, m = 1, d = 1;
    int k = (m - 1) + months, q = k / 12;
    if (k % 12 < 0) /* floor division: months may be negative */
        q--;
    y += q;
    m = k - q * 12 + 1;
    int last = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100) || y % 400 == 0));
    if (d > last)
        d = last;
    snprintf(out, n, "%04d-%02d-%02d", y, m, d);
}

int sp_std_load(struct req *r, struct db_conn *c, struct sp_std *s, struct err *e)
{
    struct org_rank_list l;
    memset(s, 0, sizeof(*s));
    snprintf(s->level, sizeof(s->level), "county");
    int rc = tenant_admin_level(c, r->tenant_id, s->level, sizeof(s->level), e);
    if (rc || (rc = org_rank_list_load(r, c, &l, e)))
        return rc;
    s->ranks = arena_alloc(r->a, sizeof(*s->ranks) * (size_t)(l.n ? l.n : 1));
    if (!s->ranks)
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    for (int i = 0; i < l.n; i++) {
        struct sp_rank *k = &s->ranks[s->n++];
        memset(k, 0, sizeof(*k));
        k->id = l.v[i].id;
        snprintf(k->level, sizeof(k->level), "%s", l.v[i].level ? l.v[i].level : "");
        k->sort_order = l.v[i].sort_order;
        k->max_m2 = l.v[i].max_office_m2;
        snprintf(k->name, sizeof(k->name), "%s", l.v[i].name ? l.v[i].name : "");
        snprintf(k->code, sizeof(k->code), "%s", l.v[i].code ? l.v[i].code : "");
    }
    sp_std_places(s);
    return 0;
}

void sp_std_places(struct sp_std *s)
{
    for (int i = 0; i < s->n;) {
        int j = i;
        while (j < s->n && !strcmp(s->ranks[j].level, s->ranks[i].level))
            j++;
        for (int k = i; k < j; k++) {
            s->ranks[k].pos = k - i;
            s->ranks[k].count = j - i;
        }
        i = j;
    }
}

/* The last row (…以下) of the tenant's level, NULL when the level has none. */
static const struct sp_rank *level_last(const struct sp_std *s)
{
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->ranks[i].level, s->level))
            return &s->ranks[i + s->ranks[i].count - 1];
    return NULL;
}

const struct sp_rank *sp_rank_of(const struct sp_std *s, int64_t rank_id)
{
    for (int i = 0; rank_id && i < s->n; i++)
        if (s->ranks[i].id == rank_id)
            return &s->ranks[i];
    return NULL;
}

/* The standard gives each level's limits by rank name (发改投资〔2014〕2674号,
 * the table and its note 2: a unit takes the column of its own level), so a
 * rank is looked up in the table of the tenant's level only. */
int64_t sp_limit(const struct sp_std *s, int64_t rank_id, const char **name)
{
    const struct sp_rank *k = sp_rank_of(s, rank_id), *t;
    const struct sp_rank *last = level_last(s);
    if (k && !strcmp(k->level, s->level))
        t = k;
    else if (k && last) { /* a rank of another level's table: no limit for it here */
        if (name)
            *name = k->name;
        return SP_LIMIT_OTHER_TIER;
    } else if (!k) /* no rank: the level's last row (…以下) */
        t = last;
    else /* the tenant's level has no table: the rank's own row */
        t = k;
    if (name)
        *name = t ? t->name : "";
    return t ? t->max_m2 : -1;
}

int64_t sp_share(int64_t area, int n)
{
    return n > 0 ? (area + n / 2) / n : area;
}

int sp_personal_use(const char *use)
{
    return use && (!strcmp(use, "office") || !strcmp(use, "rest") || !strcmp(use, "toilet"));
}

/* Who may have a rest room and a toilet within their office area (the 2014
 * standard, notes 3 and 4 of its table): a rest room for the leaders of an
 * organ — read as the level's 正职 and 副职, and the provincial 厅(局)正职
 * who may have a toilet; a toilet of at most 6 m² for 省部级 leaders, the
 * 厅(局)正职 of a province and the 党政正职 of a city or county. */
static const struct {
    const char *level, *code;
    int toilet;
} suite_ranks[] = {
    {"central", "minister", 1},         {"central", "vice_minister", 1},
    {"provincial", "governor", 1},      {"provincial", "vice_governor", 1},
    {"provincial", "department_head", 1}, {"municipal", "mayor", 1},
    {"municipal", "vice_mayor", 0},     {"county", "county_head", 1},
    {"county", "deputy_county_head", 0},
};

int sp_suite_rule(const struct sp_std *s, int64_t rank_id, const char *use, int64_t room_area)
{
    const struct sp_rank *k = sp_rank_of(s, rank_id);
    int toilet = use && !strcmp(use, "toilet");
    if (k && level_last(s) && strcmp(k->level, s->level))
        return SP_SUITE_OTHER_TIER;
    int ok = 0;
    for (size_t i = 0; k && i < sizeof(suite_ranks) / sizeof(suite_ranks[0]); i++)
        if (!strcmp(suite_ranks[i].level, k->level) && !strcmp(suite_ranks[i].code, k->code))
            ok = toilet ? suite_ranks[i].toilet : 1;
    if (!ok)
        return SP_SUITE_NOT_LEADER;
    return toilet && room_area > SP_TOILET_MAX ? SP_SUITE_TOILET_AREA : SP_SUITE_OK;
}

int sp_room_share(struct req *r, struct db_conn *c, int64_t room_id, const char *day,
                  int64_t exclude_person, int add, int64_t *area, int *n, struct err *e)
{
    struct db_stmt *st;
    *area = 0;
    *n = add;
    int rc = db_prepare_ints(c, "SELECT area_m2 FROM rooms WHERE tenant_id = ? AND id = ?",
                             DB_INTS(r->tenant_id, room_id), &st, e);
    if (rc)
        return rc;
    if ((rc = db_step(st, e)) == DB_ROW)
        *area = db_col_int(st, 0);
    db_reset(st);
    if (rc < 0)
        return rc;
    if ((rc = db_prepare_ints(c,
                              "SELECT COUNT(DISTINCT person_id) FROM room_assignments WHERE "
                              "tenant_id = ? AND room_id = ? AND person_id IS NOT NULL AND "
                              "person_id <> ? AND start_date <= ? AND (end_date IS NULL OR "
                              "end_date >= ?)",
                              DB_INTS(r->tenant_id, room_id, exclude_person), &st, e)))
        return rc;
    db_bind_text(st, 4, day, strlen(day));
    db_bind_text(st, 5, day, strlen(day));
    if ((rc = db_step(st, e)) == DB_ROW)
        *n += (int)db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int64_t sp_setting(struct req *r, struct db_conn *c, const char *name, int64_t dflt)
{
    return setting_int(r, c, &sp_settings, name, dflt, SETTING_SMALLEST);
}

/* ---- rooms ---- */

int sp_room_before_write(struct res_write *w)
{
    if (!w->rec)
        return 0;
    struct db_stmt *st;
    int rc = db_prepare_ints(w->c, "SELECT building_id FROM floors WHERE tenant_id = ? AND id = ?",
                             DB_INTS(w->r->tenant_id, sp_jint(w->rec, "floor_id")), &st, w->e);
    if (rc)
        return rc;
    int64_t b = -1;
    if ((rc = db_step(st, w->e)) == DB_ROW)
        b = db_col_int(st, 0);
    db_reset(st);
    if (rc < 0)
        return rc;
    if (b >= 0 && b != sp_jint(w->rec, "building_id")) {
        err_field(w->e, "floor_id", "space.room.floor_elsewhere", "is a floor of another building");
        return err_invalid(w->e);
    }
    return 0;
}

/* ---- assignments ---- */

static int same(json_t *a, json_t *b, const char *k)
{
    json_t *x = json_object_get(a, k), *y = json_object_get(b, k);
    if (!x || json_is_null(x))
        return !y || json_is_null(y);
    return y && json_equal(x, y);
}

/* Another assignment overlapping [start, end] of the same person (person > 0)
 * or, for a department's assignment, of the same room. */
static int overlap(struct req *r, struct db_conn *c, int64_t id, int64_t person, int64_t room,
                   const char *use, int second, const char *start, const char *end,
                   int64_t *other, char *o_start, char *o_room, struct err *e)
{
    struct db_stmt *st;
    const char *sql =
        person ? "SELECT a.id, a.start_date, r.number FROM room_assignments a JOIN rooms r ON "
                 "r.tenant_id = a.tenant_id AND r.id = a.room_id WHERE a.tenant_id = ? AND "
                 "a.person_id = ? AND a.id <> ? AND a.start_date <= ? AND (a.end_date IS NULL "
                 "OR a.end_date >= ?) AND (CASE WHEN r.use_type IN ('office', 'rest', "
                 "'toilet') THEN r.use_type ELSE 'office' END) = ? AND (CASE WHEN "
                 "a.concurrent_post IS NULL THEN 0 ELSE 1 END) = ? ORDER BY a.id LIMIT 1"
               : "SELECT a.id, a.start_date, r.number FROM room_assignments a JOIN rooms r ON "
                 "r.tenant_id = a.tenant_id AND r.id = a.room_id WHERE a.tenant_id = ? AND "
                 "a.room_id = ? AND a.person_id IS NULL AND a.id <> ? AND a.start_date <= ? "
                 "AND (a.end_date IS NULL OR a.end_date >= ?) ORDER BY a.id LIMIT 1";
    int rc = db_prepare(c, sql, &st, e);
    if (rc)
        return rc;
    const char *hi = end ? end : "9999-12-31";
    db_bind_int(st, 1, r->tenant_id);
    db_bind_int(st, 2, person ? person : room);
    db_bind_int(st, 3, id);
    db_bind_text(st, 4, hi, strlen(hi));
    db_bind_text(st, 5, start, strlen(start));
    if (person) {
        const char *slot = sp_personal_use(use) ? use : "office";
        db_bind_text(st, 6, slot, strlen(slot));
        db_bind_int(st, 7, second);
    }
    *other = 0;
    if ((rc = db_step(st, e)) == DB_ROW) {
        *other = db_col_int(st, 0);
        snprintf(o_start, 16, "%s", db_col_text(st, 1, NULL));
        snprintf(o_room, 64, "%s", db_col_text(st, 2, NULL));
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static void m2(char *out, size_t n, int64_t v)
{
    snprintf(out, n, "%s%lld.%02lld", v < 0 ? "-" : "", (long long)(v < 0 ? -v : v) / 100,
             (long long)(v < 0 ? -v : v) % 100);
}

int sp_person_area(struct req *r, struct db_conn *c, int64_t person, const char *day,
                   struct sp_area *a, struct err *e)
{
    struct db_stmt *st;
    memset(a, 0, sizeof(*a));
    a->room = a->second_room = "";
    int rc = db_prepare(c,
                        "SELECT a.room_id, r.number, r.area_m2, r.use_type, CASE WHEN "
                        "a.concurrent_post IS NULL THEN 0 ELSE 1 END, (SELECT COUNT(DISTINCT "
                        "b.person_id) FROM room_assignments b WHERE b.tenant_id = a.tenant_id "
                        "AND b.room_id = a.room_id AND b.person_id IS NOT NULL AND "
                        "b.start_date <= ? AND (b.end_date IS NULL OR b.end_date >= ?)) FROM "
                        "room_assignments a JOIN rooms r ON r.tenant_id = a.tenant_id AND r.id = "
                        "a.room_id WHERE a.tenant_id = ? AND a.person_id = ? AND a.start_date "
                        "<= ? AND (a.end_date IS NULL OR a.end_date >= ?) ORDER BY a.id",
                        &st, e);
    if (rc)
        return rc;
    size_t dn = strlen(day);
    db_bind_text(st, 1, day, dn);
    db_bind_text(st, 2, day, dn);
    db_bind_int(st, 3, r->tenant_id);
    db_bind_int(st, 4, person);
    db_bind_text(st, 5, day, dn);
    db_bind_text(st, 6, day, dn);
    while ((rc = db_step(st, e)) == DB_ROW) {
        const char *use = db_col_text(st, 3, NULL);
        int64_t area = db_col_int(st, 2);
        int n = (int)db_col_int(st, 5), second = (int)db_col_int(st, 4);
        if (n < 1)
            n = 1;
        if (!sp_personal_use(use))
            continue;
        if (second) {
            a->second += sp_share(area, n);
            a->second_id = db_col_int(st, 0);
            a->second_area = area;
            a->second_n = n;
            a->second_room = arena_strdup(r->a, db_col_text(st, 1, NULL));
            continue;
        }
        int office = !strcmp(use, "office");
        if (office)
            a->office += sp_share(area, n);
        else
            a->suite += sp_share(area, n);
        if (office || !a->room_id) {
            a->room_id = db_col_int(st, 0);
            a->room_area = area;
            a->occupants = n;
            a->room = arena_strdup(r->a, db_col_text(st, 1, NULL));
        }
    }
    db_reset(st);
    if (!a->room || !a->second_room)
        return err_set(e, ERR_BUDGET, NULL, NULL, "request memory budget exceeded");
    return rc < 0 ? rc : 0;
}

int sp_check_person(struct req *r, struct db_conn *c, int64_t person, int64_t rank,
                    const char *day, int second, int64_t change, struct err *e)
{
    struct sp_std s;
    struct sp_area ar;
    const char *rname = "";
    int rc = sp_std_load(r, c, &s, e);
    if (rc || (rc = sp_person_area(r, c, person, day, &ar, e)))
        return rc;
    int64_t limit = sp_limit(&s, rank, &rname);
    int64_t total = second ? ar.second : ar.office + ar.suite;
    if (limit < 0 || total <= limit)
        return 0;
    const char *room = second ? ar.second_room : ar.room;
    int64_t room_id = second ? ar.second_id : ar.room_id;
    int64_t room_area = second ? ar.second_area : ar.room_area;
    int64_t share = second ? ar.second : ar.office, suite = second ? 0 : ar.suite;
    int n = second ? ar.second_n : ar.occupants;
    char a[32], l[32], x[32], t[32], su[32], tot[32];
    m2(a, sizeof(a), share);
    m2(l, sizeof(l), limit);
    m2(x, sizeof(x), total - limit);
    m2(t, sizeof(t), room_area);
    m2(su, sizeof(su), suite);
    m2(tot, sizeof(tot), total);
    if (second)
        err_field(e, "person_id", "space.concurrent.over",
                  "the second office {room}%s ({room_area_m2}%s m² shared by {occupants}%d, "
                  "{area_m2}%s m² each) is over the limit of {limit_m2}%s m² for {rank}%s by "
                  "{excess_m2}%s m²",
                  room, t, n, a, l, rname, x);
    else if (suite)
        err_field(e, "person_id", "space.standard.over_suite",
                  "room {room}%s ({room_area_m2}%s m² shared by {occupants}%d, {area_m2}%s m² "
                  "each) and {suite_m2}%s m² of rest room and toilet make {total_m2}%s m², over "
                  "the limit of {limit_m2}%s m² for {rank}%s by {excess_m2}%s m²: an approver "
                  "may override with a reason",
                  room, t, n, a, su, tot, l, rname, x);
    else
        err_field(e, "person_id", "space.standard.over",
                  "room {room}%s: {room_area_m2}%s m² shared by {occupants}%d is {area_m2}%s m² "
                  "each, over the limit of {limit_m2}%s m² for {rank}%s by {excess_m2}%s m²: an "
                  "approver may override with a reason",
                  room, t, n, a, l, rname, x);
    buf_truncate(&r->problem_extra, 0);
    buf_printf(&r->problem_extra,
               ",\"standard\":{\"room_id\":%lld,\"room\":", (long long)room_id);
    buf_json_str(&r->problem_extra, room, strlen(room));
    buf_printf(&r->problem_extra,
               ",\"room_area_m2\":%s,\"occupants\":%d,\"area_m2\":%s,\"suite_m2\":%s,"
               "\"total_m2\":%s,\"limit_m2\":%s,\"excess_m2\":%s,\"second_office\":%s,"
               "\"person_id\":%lld,\"level\":",
               t, n, a, su, tot, l, x, second ? "true" : "false", (long long)person);
    buf_json_str(&r->problem_extra, s.level, strlen(s.level));
    buf_puts(&r->problem_extra, ",\"rank\":");
    buf_json_str(&r->problem_extra, rname, strlen(rname));
    if (change)
        buf_printf(&r->problem_extra, ",\"change_id\":%lld", (long long)change);
    buf_putc(&r->problem_extra, '}');
    return err_set(e, ERR_RULE, NULL, "space.standard.over_total",
                   "the office is over the area standard by {excess_m2}%s m²", x);
}

/* The tier names of a level, for messages. */
static const char *tier_zh(const char *level)
{
    static const char *const k[][2] = {{"central", "中央"},
                                       {"provincial", "省级"},
                                       {"municipal", "市级"},
                                       {"county", "县级"}};
    for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++)
        if (!strcmp(k[i][0], level))
            return k[i][1];
    return level;
}

/* A person's rank against the tenant's tier, and a leader's rest room or
 * toilet against who may have one (field errors on w). */
static int check_rank(struct res_write *w, int64_t rank, const char *use, int64_t room_area)
{
    struct sp_std s;
    int rc = sp_std_load(w->r, w->c, &s, w->e);
    if (rc)
        return rc;
    const struct sp_rank *k = sp_rank_of(&s, rank);
    const char *name = "";
    if (sp_limit(&s, rank, &name) == SP_LIMIT_OTHER_TIER) {
        err_field(w->e, "person_id", "space.standard.rank_tier",
                  "has the rank {rank}%s of the {rank_level}%s table ({rank_tier}%s); this organ "
                  "takes the {level}%s table ({tier}%s): give them a rank of that table",
                  name, k->level, tier_zh(k->level), s.level, tier_zh(s.level));
        return 0;
    }
    if (!strcmp(use, "office"))
        return 0;
    char a[32], mx[32];
    switch (sp_suite_rule(&s, rank, use, room_area)) {
    case SP_SUITE_NOT_LEADER:
        if (!strcmp(use, "toilet"))
            err_field(w->e, "person_id", "space.suite.toilet_rank",
                      "has the rank {rank}%s: a toilet within the office goes only to 省部级 "
                      "leaders, a province's 厅(局)正职 and the 党政正职 of a city or county",
                      k ? k->name : "—");
        else
            err_field(w->e, "person_id", "space.suite.rest_rank",
                      "has the rank {rank}%s: a rest room within the office goes only to an "
                      "organ's leaders",
                      k ? k->name : "—");
        break;
    case SP_SUITE_TOILET_AREA:
        m2(a, sizeof(a), room_area);
        m2(mx, sizeof(mx), SP_TOILET_MAX);
        err_field(w->e, "room_id", "space.suite.toilet_area",
                  "is a toilet of {area_m2}%s m²: a leader's toilet may be at most {max_m2}%s m²",
                  a, mx);
        break;
    default:
        break;
    }
    return 0;
}

/* The approver of an exception (override_reason, concurrent_post): only a
 * role allowed the "override" verb; who it was goes into by_field. */
static int approver(struct res_write *w, const char *field, const char *by_field)
{
    const char *v = sp_jstr(w->rec, field);
    int changed = !w->old || !same(w->old, w->rec, field);
    if (v && !*v)
        json_object_set_new(w->rec, field, json_null()), v = NULL;
    if (changed && v) {
        if (w->r->who && perm_scope(w->r, w->ent, "override") == SCOPE_NONE)
            return !strcmp(field, "override_reason")
                       ? err_set(w->e, ERR_FORBIDDEN, field, "space.standard.override_role",
                                 "only an approver may override the area standard")
                       : err_set(w->e, ERR_FORBIDDEN, field, "space.concurrent.role",
                                 "only an approver may give a second office for a concurrent "
                                 "post");
        json_object_set_new(w->rec, by_field,
                            w->r->who ? json_integer(w->r->user_id) : json_null());
    } else if (changed) {
        json_object_set_new(w->rec, by_field, json_null());
    }
    return 0;
}

/* The end of a concurrent post sets when its second office is recovered. */
static void concurrent_deadline(struct res_write *w)
{
    const char *ends = sp_jstr(w->rec, "concurrent_ends");
    if (w->old && same(w->old, w->rec, "concurrent_ends"))
        return;
    if (ends) {
        char due[16];
        int months = (int)sp_setting(w->r, w->c, "concurrent_months", SP_CONCURRENT_MONTHS);
        sp_add_months(ends, months, due, sizeof(due));
        json_object_set_new(w->rec, "recovery_due", json_string(due));
        json_object_set_new(w->rec, "recovery_reason", json_string("concurrent"));
    } else if (w->old) {
        const char *why = sp_jstr(w->rec, "recovery_reason");
        if (why && !strcmp(why, "concurrent")) {
            json_object_set_new(w->rec, "recovery_due", json_null());
            json_object_set_new(w->rec, "recovery_reason", json_null());
        }
    }
}

int sp_assignment_before_write(struct res_write *w)
{
    static const char *const kept[] = {"room_id", "person_id", "department_id", "start_date",
                                       "concurrent_post", NULL};
    if (!w->rec)
        return 0;
    if (w->old)
        for (const char *const *k = kept; *k; k++)
            if (!same(w->old, w->rec, *k))
                err_field(w->e, *k, "space.assignment.history",
                          "is kept as history: end this assignment and start another");
    if (w->e->nitems)
        return err_invalid(w->e);
    int64_t room = sp_jint(w->rec, "room_id"), person = sp_jint(w->rec, "person_id"), rank = 0;
    const char *start = sp_jstr(w->rec, "start_date"), *end = sp_jstr(w->rec, "end_date");
    const char *post = sp_jstr(w->rec, "concurrent_post");
    const char *ends = sp_jstr(w->rec, "concurrent_ends");
    const char *use;
    int64_t room_area = 0;
    int rc = db_one_text(w->c, w->r->a, "SELECT use_type FROM rooms WHERE tenant_id = ? AND id = ?",
                         DB_INTS(w->r->tenant_id, room), &use, w->e);
    if (rc < 0)
        return rc;
    if (!use)
        return 0; /* the reference check names the missing room */
    if (post && !*post)
        json_object_set_new(w->rec, "concurrent_post", json_null()), post = NULL;
    if (person) {
        struct org_person_row p;
        if ((rc = org_person_get(w->r, w->c, person, &p, w->e)) <= 0)
            return rc; /* not found: the reference check names the missing person */
        int64_t dept = p.department_id;
        int active = p.active;
        rank = p.rank_id;
        if (!w->old && !active)
            err_field(w->e, "person_id", "space.assignment.person_left",
                      "has left: an office goes to people in post");
        if (!sp_personal_use(use))
            err_field(w->e, "room_id", "space.assignment.not_office",
                      "is not an office: only offices, and leaders' rest rooms and toilets, are "
                      "assigned to people");
        else if (!w->old) {
            if ((rc = db_one_int(w->c,
                                 "SELECT area_m2 FROM rooms WHERE tenant_id = ? AND id = ?",
                                 DB_INTS(w->r->tenant_id, room), &room_area, w->e)) < 0 ||
                (rc = check_rank(w, rank, use, room_area)))
                return rc;
        }
        if (post && strcmp(use, "office"))
            err_field(w->e, "concurrent_post", "space.concurrent.office_only",
                      "a second office for a concurrent post must be an office");
        if (!json_is_integer(json_object_get(w->rec, "department_id")))
            json_object_set_new(w->rec, "department_id", json_integer(dept));
    } else if (!json_is_integer(json_object_get(w->rec, "department_id"))) {
        err_field(w->e, "department_id", "space.assignment.who",
                  "is required: the department (or a person) the room is assigned to");
    } else if (post) {
        err_field(w->e, "concurrent_post", "space.concurrent.personal",
                  "a second office goes to a person, not a department");
    }
    if (start && end && strcmp(end, start) < 0)
        err_field(w->e, "end_date", "field.before_start", "must not be before start_date");
    if (ends && !post)
        err_field(w->e, "concurrent_ends", "space.concurrent.no_post",
                  "is the end of a concurrent post: set concurrent_post first");
    else if (ends && start && strcmp(ends, start) < 0)
        err_field(w->e, "concurrent_ends", "field.before_start", "must not be before start_date");
    if (w->e->nitems)
        return err_invalid(w->e);
    /* the exceptions: only a role allowed the verb, and it says who */
    if ((rc = approver(w, "override_reason", "override_by")) ||
        (rc = approver(w, "concurrent_post", "concurrent_by")))
        return rc;
    concurrent_deadline(w);
    if (w->old && !same(w->old, w->rec, "recovery_due"))
        json_object_set_new(w->rec, "recovery_reminded", json_null());
    /* one office at a time for a person (and one second office, one rest
     * room, one toilet); one department at a time for a room */
    if (start && (!w->old || !same(w->old, w->rec, "end_date"))) {
        int64_t other;
        char o_start[16] = "", o_room[64] = "";
        if ((rc = overlap(w->r, w->c, w->id, person, room, use, post != NULL, start, end,
                          &other, o_start, o_room, w->e)))
            return rc;
        if (other)
            return person ? err_set(w->e, ERR_CONFLICT, "person_id",
                                    "space.assignment.person_has_room",
                                    "this person already has room {room}%s from {start}%s "
                                    "(assignment {assignment}%lld): end it first",
                                    o_room, o_start, (long long)other)
                          : err_set(w->e, ERR_CONFLICT, "room_id", "space.assignment.room_taken",
                                    "room {room}%s is already assigned to a department from "
                                    "{start}%s (assignment {assignment}%lld)",
                                    o_room, o_start, (long long)other);
    }
    return 0;
}

/* The day a new personal assignment is judged on: its first day, or today
 * when it started earlier; NULL when it is over before then. */
static const char *judged_day(struct req *r, json_t *rec, char *today, size_t n)
{
    const char *start = sp_jstr(rec, "start_date"), *end = sp_jstr(rec, "end_date");
    today_str(r, today, n);
    const char *day = start && strcmp(start, today) > 0 ? start : today;
    return end && strcmp(end, day) < 0 ? NULL : day;
}

/* A new office, rest room or toilet: the person's office area on its first
 * day (or today), with every assignment of that day counted — the room's
 * other occupants, the suite — against their limit; unless overridden. The
 * rooms an approved request assigns are judged together once all its
 * changes are in (workflow.c). */
static int judge_new(struct res_write *w)
{
    int64_t person = sp_jint(w->rec, "person_id");
    if (w->old || !person || sp_jstr(w->rec, "override_reason"))
        return 0;
    if (w->r->server_write && json_is_integer(json_object_get(w->rec, "request_id")))
        return 0;
    char today[16];
    const char *day = judged_day(w->r, w->rec, today, sizeof(today));
    struct org_person_row p;
    int rc;
    if (!day || (rc = org_person_get(w->r, w->c, person, &p, w->e)) <= 0)
        return day ? rc : 0;
    return sp_check_person(w->r, w->c, person, p.rank_id, day,
                           sp_jstr(w->rec, "concurrent_post") != NULL, 0, w->e);
}

/* A vacant room with someone in it is in use, and the other way round. */
int sp_assignment_after_write(struct res_write *w)
{
    if (!w->rec)
        return 0;
    int rc = judge_new(w);
    if (rc)
        return rc;
    struct db_stmt *st;
    char today[16], state[24] = "";
    int64_t room = sp_jint(w->rec, "room_id"), n = 0;
    today_str(w->r, today, sizeof(today));
    rc = db_prepare(w->c,
                        "SELECT r.state, (SELECT COUNT(*) FROM room_assignments a WHERE "
                        "a.tenant_id = r.tenant_id AND a.room_id = r.id AND a.start_date <= ? "
                        "AND (a.end_date IS NULL OR a.end_date >= ?)) FROM rooms r WHERE "
                        "r.tenant_id = ? AND r.id = ?",
                        &st, w->e);
    if (rc)
        return rc;
    db_bind_text(st, 1, today, strlen(today));
    db_bind_text(st, 2, today, strlen(today));
    db_bind_int(st, 3, w->r->tenant_id);
    db_bind_int(st, 4, room);
    if ((rc = db_step(st, w->e)) == DB_ROW) {
        snprintf(state, sizeof(state), "%s", db_col_text(st, 0, NULL));
        n = db_col_int(st, 1);
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    const char *to = !strcmp(state, "vacant") && n ? "in_use"
                     : !strcmp(state, "in_use") && !n ? "vacant"
                                                      : NULL;
    return to ? wf_update(w->r, w->c, &sp_rooms, room, json_pack("{s:s}", "state", to), w->e) : 0;
}

/* ---- actions on an assignment ---- */

int sp_end_check(struct wf *w)
{
    const char *was = wf_str(w->rec, "end_date"), *start = wf_str(w->rec, "start_date");
    const char *end = wf_str(w->body, "end_date");
    char today[16];
    if (was)
        return wf_conflict(w, "space.assignment.ended",
                           "assignment {id}%lld already ended on {date}%s", (long long)w->id, was);
    if (!end) {
        today_str(w->r, today, sizeof(today));
        end = today;
    }
    if (start && strcmp(end, start) < 0)
        return wf_invalid(w, "end_date", "space.assignment.end_before_start",
                          "must not be before start_date ({start}%s)", start);
    json_object_set_new(w->patch, "end_date", json_string(end));
    return 0;
}

int sp_override_check(struct wf *w)
{
    if (!wf_int(w->rec, "person_id"))
        return wf_conflict(w, "space.assignment.not_personal",
                           "assignment {id}%lld is a department's: the standard is per person",
                           (long long)w->id);
    if (wf_str(w->rec, "end_date"))
        return wf_conflict(w, "space.assignment.ended_override", "assignment {id}%lld has ended",
                           (long long)w->id);
    return 0;
}

/* ---- adjustment changes, settings, repairs ---- */

static int request_state(struct req *r, struct db_conn *c, int64_t req_id, char *status,
                         int64_t *dept, struct err *e)
{
    struct db_stmt *st;
    *status = 0;
    int rc = db_prepare_ints(c,
                             "SELECT status, department_id FROM space_requests WHERE tenant_id = ? "
                             "AND id = ?",
                             DB_INTS(r->tenant_id, req_id), &st, e);
    if (rc)
        return rc;
    if ((rc = db_step(st, e)) == DB_ROW) {
        snprintf(status, 24, "%s", db_col_text(st, 0, NULL));
        *dept = db_col_int(st, 1);
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int sp_change_before_write(struct res_write *w)
{
    if (w->r->server_write)
        return 0;
    char status[24];
    int64_t dept = 0;
    json_t *cur = w->rec ? w->rec : w->old;
    int rc = request_state(w->r, w->c, sp_jint(cur, "request_id"), status, &dept, w->e);
    if (rc)
        return rc;
    if (w->old && sp_jint(w->old, "request_id") != sp_jint(cur, "request_id"))
        err_field(w->e, "request_id", "space.change.other_request",
                  "cannot move to another request");
    if (w->e->nitems)
        return err_invalid(w->e);
    if (!*status)
        return 0; /* the reference check names it */
    if (strcmp(status, "submitted") && strcmp(status, "reviewed"))
        return err_set(w->e, ERR_CONFLICT, NULL, "space.change.locked",
                       "the request is {status}%s: its changes can no longer be edited", status);
    if (!w->rec)
        return 0;
    json_object_set_new(w->rec, "request_department_id", json_integer(dept));
    const char *kind = sp_jstr(w->rec, "kind");
    const char *start = sp_jstr(w->rec, "start_date"), *end = sp_jstr(w->rec, "end_date");
    if (kind && !strcmp(kind, "end")) {
        if (!json_is_integer(json_object_get(w->rec, "assignment_id")))
            err_field(w->e, "assignment_id", "space.change.assignment_required",
                      "is required: the assignment to end");
    } else {
        if (!json_is_integer(json_object_get(w->rec, "room_id")))
            err_field(w->e, "room_id", "space.change.room_required",
                      "is required: the room to assign");
        if (!start)
            err_field(w->e, "start_date", "space.change.start_required",
                      "is required: the first day of the new assignment");
        if (!json_is_integer(json_object_get(w->rec, "person_id")) &&
            !json_is_integer(json_object_get(w->rec, "department_id")))
            err_field(w->e, "department_id", "space.change.who",
                      "is required: the department (or a person) the room goes to");
        if (start && end && strcmp(end, start) < 0)
            err_field(w->e, "end_date", "field.before_start", "must not be before start_date");
    }
    return w->e->nitems ? err_invalid(w->e) : 0;
}

int sp_setting_before_write(struct res_write *w)
{
    if (!w->rec)
        return 0;
    const char *name = sp_jstr(w->rec, "name");
    int64_t v = sp_jint(w->rec, "value");
    if (name && !strcmp(name, "recovery_months") && (v < 1 || v > 24))
        err_field(w->e, "value", "space.setting.recovery_months",
                  "recovery_months must be from {min}%d to {max}%d", 1, 24);
    if (name && !strcmp(name, "concurrent_months") && (v < 1 || v > 24))
        err_field(w->e, "value", "space.setting.concurrent_months",
                  "concurrent_months must be from {min}%d to {max}%d", 1, 24);
    if (name && !strcmp(name, "remind_days") && (v < 0 || v > 90))
        err_field(w->e, "value", "space.setting.remind_days",
                  "remind_days must be from {min}%d to {max}%d", 0, 90);
    return w->e->nitems ? err_invalid(w->e) : 0;
}

int sp_repair_before_write(struct res_write *w)
{
    if (!w->rec)
        return 0;
    int64_t room;
    int found = sd_request_room(w->r, w->c, sp_jint(w->rec, "request_id"), &room, w->e);
    if (found < 0)
        return found;
    if (found && !room) {
        err_field(w->e, "request_id", "space.repair.no_room",
                  "names no room: set the service request's room_id first");
        return err_invalid(w->e);
    }
    json_object_set_new(w->rec, "room_id", room ? json_integer(room) : json_null());
    const char *p = sp_jstr(w->rec, "procurement_ref");
    if (p && !*p)
        json_object_set_new(w->rec, "procurement_ref", json_null());
    return 0;
}

/* ---- changes elsewhere: people, work orders ---- */

/* Flags the person's open offices for recovery within the set period. */
static int flag_recovery(struct req *r, struct db_conn *c, int64_t person, const char *reason,
                         struct err *e)
{
    struct db_stmt *st;
    int64_t ids[16];
    int n = 0;
    char today[16], due[16];
    today_str(r, today, sizeof(today));
    int rc =
        db_prepare_ints(c,
                        "SELECT id FROM room_assignments WHERE tenant_id = ? AND person_id = ? "
                        "AND recovery_due IS NULL AND (end_date IS NULL OR end_date >= ?) "
                        "ORDER BY id LIMIT 16",
                        DB_INTS(r->tenant_id, person), &st, e);
    if (rc)
        return rc;
    db_bind_text(st, 3, today, strlen(today));
    while ((rc = db_step(st, e)) == DB_ROW)
        ids[n++] = db_col_int(st, 0);
    db_reset(st);
    if (rc < 0 || !n)
        return rc < 0 ? rc : 0;
    int months = (int)sp_setting(r, c, "recovery_months", SP_RECOVERY_MONTHS);
    sp_add_months(today, months, due, sizeof(due));
    for (int i = 0; i < n; i++)
        if ((rc = wf_update(r, c, &sp_assignments, ids[i],
                            json_pack("{s:s,s:s}", "recovery_due", due, "recovery_reason", reason),
                            e)))
            return rc;
    char body[200];
    snprintf(body, sizeof(body), "应于 %s 前收回（%s）", due,
             !strcmp(reason, "moved") ? "调动" : !strcmp(reason, "retired") ? "退休" : "离职");
    return notify_role(r, c, "space_manager", "space.recovery", "办公室待收回", body,
                       "room_assignments", ids[0], NULL, e);
}

/* After a rank change: is the person's office now over their limit? */
static int recheck_rank(struct req *r, struct db_conn *c, int64_t person, int64_t rank,
                        struct err *e)
{
    struct db_stmt *st;
    char today[16];
    int64_t aid = 0, room = 0;
    today_str(r, today, sizeof(today));
    int rc =
        db_prepare_ints(c,
                        "SELECT id, room_id FROM room_assignments WHERE tenant_id = ? AND "
                        "person_id = ? AND start_date <= ? AND (end_date IS NULL OR end_date >= "
                        "?) AND override_reason IS NULL AND concurrent_post IS NULL ORDER BY id "
                        "LIMIT 1",
                        DB_INTS(r->tenant_id, person), &st, e);
    if (rc)
        return rc;
    db_bind_text(st, 3, today, strlen(today));
    db_bind_text(st, 4, today, strlen(today));
    if ((rc = db_step(st, e)) == DB_ROW) {
        aid = db_col_int(st, 0);
        room = db_col_int(st, 1);
    }
    db_reset(st);
    if (rc < 0 || !aid)
        return rc < 0 ? rc : 0;
    struct sp_std s;
    struct sp_area ar;
    (void)room;
    if ((rc = sp_std_load(r, c, &s, e)) || (rc = sp_person_area(r, c, person, today, &ar, e)))
        return rc;
    int64_t share = ar.office + ar.suite, limit = sp_limit(&s, rank, NULL);
    if (limit < 0 || share <= limit)
        return 0;
    char a[32], l[32], body[160];
    m2(a, sizeof(a), share);
    m2(l, sizeof(l), limit);
    snprintf(body, sizeof(body), "职级变动后办公室面积 %s ㎡，标准 %s ㎡", a, l);
    return notify_role(r, c, "space_manager", "space.over_standard", "办公用房超标", body,
                       "room_assignments", aid, NULL, e);
}

/* A completed repair of a room above its category's amount must name a
 * procurement project (room_repairs.procurement_ref). */
static int check_repair(struct req *r, struct db_conn *c, json_t *wo, struct err *e)
{
    struct db_stmt *st;
    int64_t cost = sp_jint(wo, "cost_fen"), room;
    int rc = sd_request_room(r, c, sp_jint(wo, "request_id"), &room, e);
    if (rc <= 0 || !room) /* no such request, or it names no room */
        return rc < 0 ? rc : 0;
    /* its repair record (if any) and the amount its category allows */
    if ((rc = db_prepare_ints(
             c,
             "SELECT p.procurement_ref, COALESCE(p.category, 'routine'), (SELECT "
             "MIN(procurement_above_fen) FROM repair_rules x WHERE x.tenant_id = ? "
             "AND x.category = COALESCE(p.category, 'routine')) FROM (SELECT 1 AS "
             "one) o LEFT JOIN room_repairs p ON p.tenant_id = ? AND p.request_id = ?",
             DB_INTS(r->tenant_id, r->tenant_id, sp_jint(wo, "request_id")), &st, e)))
        return rc;
    int need = 0;
    int64_t above = 0;
    char cat[16] = "";
    if ((rc = db_step(st, e)) == DB_ROW && !db_col_is_null(st, 2)) {
        above = db_col_int(st, 2);
        snprintf(cat, sizeof(cat), "%s", db_col_text(st, 1, NULL));
        need = cost > above && db_col_is_null(st, 0);
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    if (!need)
        return 0;
    char yuan[32];
    m2(yuan, sizeof(yuan), above); /* fen as yuan: two decimals, as m² are kept */
    err_field(e, "procurement_ref", "space.repair.procurement",
              "a {category}%s repair of a room costing more than ¥{above_yuan}%s must name its "
              "procurement project (room_repairs of request {request}%lld) before it is "
              "completed",
              cat, yuan, (long long)sp_jint(wo, "request_id"));
    return err_set(e, ERR_RULE, NULL, "space.repair.procurement_total",
                   "a procurement project is required for this repair");
}

int sp_on_change(struct req *r, struct db_conn *c, const struct res_entity *ent,
                 const char *action, int64_t id, json_t *before, json_t *after, struct err *e)
{
    if (strcmp(action, "update") || !before || !after)
        return 0;
    if (!strcmp(ent->name, "work_orders")) {
        const char *was = sp_jstr(before, "status"), *now = sp_jstr(after, "status");
        if (now && !strcmp(now, "done") && (!was || strcmp(was, "done")))
            return check_repair(r, c, after, e);
        return 0;
    }
    if (!strcmp(ent->name, "tenants"))
        return sp_level_guard(r, c, id, before, after, e);
    if (strcmp(ent->name, "people"))
        return 0;
    int rc = 0;
    int left = json_is_true(json_object_get(before, "active")) &&
               json_is_false(json_object_get(after, "active"));
    int moved = sp_jint(before, "department_id") != sp_jint(after, "department_id");
    if (left) {
        const char *post = sp_jstr(after, "post");
        rc = flag_recovery(r, c, id, post && strstr(post, "退休") ? "retired" : "left", e);
    } else if (moved) {
        rc = flag_recovery(r, c, id, "moved", e);
    }
    /* a server's re-ranking (the level change) answers its own list */
    if (!rc && !left && !r->server_write &&
        sp_jint(before, "rank_id") != sp_jint(after, "rank_id"))
        rc = recheck_rank(r, c, id, sp_jint(after, "rank_id"), e);
    return rc;
}
