/* SPDX-License-Identifier: MIT
 * booking/vouchers_demo.c - a year of the union's vouchers for the demo:
 * every month a haircut batch and a car-wash batch, two vouchers each per
 * union member, issued on the first by the service centre's manager. Past
 * months' vouchers are redeemed at the barber's or the car wash on a day of
 * their month (about four haircuts in five, three car washes in five) or
 * expired; this month's are redeemed in proportion to the days gone.
 *
 * Holders: the union members of the departments the demo accounts belong
 * to (a few hundred people), not the whole district: a year for every one
 * of its 4,000 people would be 190,000 rows, too many for a demo that starts
 * in well under a second. Rows go in with prepared INSERTs (demo data, not
 * audited changes).
 */
#include "booking.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../base/rng.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../identity/identity.h"
#include "../org/calendar.h"
#include "../org/org.h"

#include <stdio.h>
#include <string.h>

#define MONTHS 12
#define MAX_HOLDERS 300

struct vctx {
    struct db_conn *c;
    struct rng g;
    int64_t tenant, now, today, manager;
    int utc_off;
    struct db_stmt *ins_v;
};

static int64_t month_start(int64_t day, int k)
{
    char d[24];
    date_format(day, d, sizeof(d));
    int y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
    int m = (d[5] - '0') * 10 + (d[6] - '0') - 1 + k;
    while (m < 0) {
        m += 12;
        y--;
    }
    y += m / 12;
    m %= 12;
    snprintf(d, sizeof(d), "%04d-%02d-01", y, m + 1);
    int64_t out = day;
    date_parse(d, 10, &out);
    return out;
}

static int insert_batch(struct vctx *x, const char *service, const char *label, const char *month,
                        int64_t from, int64_t to, int64_t count, int closed, int64_t *id,
                        struct err *e)
{
    struct db_stmt *st;
    char vf[16], vt[16];
    date_format(from, vf, sizeof(vf));
    date_format(to, vt, sizeof(vt));
    int64_t at = from * 86400 - (int64_t)x->utc_off * 60 + 9 * 3600;
    int rc = db_prepare(x->c,
                        "INSERT INTO voucher_batches (tenant_id, version, created_at, updated_at, "
                        "created_by, service, label, month, valid_from, valid_to, per_person, "
                        "status, issued_count, issued_at, issued_by) VALUES (?, 1, ?, ?, ?, ?, ?, "
                        "?, ?, ?, 2, ?, ?, ?, ?) RETURNING id",
                        &st, e);
    if (rc)
        return rc;
    const char *status = closed ? "closed" : "issued";
    db_bind_int(st, 1, x->tenant);
    db_bind_int(st, 2, at);
    db_bind_int(st, 3, at);
    db_bind_int_or_null(st, 4, x->manager);
    db_bind_text(st, 5, service, strlen(service));
    db_bind_text(st, 6, label, strlen(label));
    db_bind_text(st, 7, month, strlen(month));
    db_bind_text(st, 8, vf, strlen(vf));
    db_bind_text(st, 9, vt, strlen(vt));
    db_bind_text(st, 10, status, strlen(status));
    db_bind_int(st, 11, count);
    db_bind_int(st, 12, at);
    db_bind_int_or_null(st, 13, x->manager);
    if ((rc = db_step(st, e)) == DB_ROW)
        *id = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int bk_voucher_demo(struct db_conn *c, int64_t tenant, uint64_t seed, struct err *e)
{
    struct arena *a = arena_new(4u << 20);
    struct req r;
    struct vctx x = {.c = c, .tenant = tenant, .now = clock_now()};
    x.g.s = seed ^ 0x70C4E2ull;
    req_init_internal(&r, a, NULL, NULL);
    r.tenant_id = tenant;
    struct calendar cal;
    int rc = cal_load(&r, c, tenant, &cal, e);
    if (rc)
        goto out;
    r.utc_offset_min = x.utc_off = cal.utc_offset_min;
    x.today = cal_day_of(&cal, x.now);
    if ((rc = identity_user_id(&r, c, "property_manager", &x.manager, e)) ||
        (rc = bk_voucher_key_seed(c, tenant, e)))
        goto out;
    /* the holders: union members of the demo accounts' departments */
    static const char *const roles[] = {"staff",         "liaison",        "space_manager",
                                        "fleet_manager", "energy_manager", "property_manager",
                                        "leader",        NULL};
    struct identity_member *um;
    int nu;
    struct org_member *m;
    int nm;
    if ((rc = identity_users_in_roles(&r, c, roles, &um, &nu, e)) ||
        (rc = org_union_members(&r, c, 0, &m, &nm, e)))
        goto out;
    int64_t *holder = arena_zalloc(a, sizeof(*holder) * MAX_HOLDERS);
    int64_t *hdept = arena_zalloc(a, sizeof(*hdept) * MAX_HOLDERS);
    int nh = 0;
    if (!holder || !hdept) {
        rc = err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
        goto out;
    }
    for (int i = 0; i < nm && nh < MAX_HOLDERS; i++) {
        int in = 0;
        for (int k = 0; k < nu && !in; k++)
            in = um[k].department_id == m[i].department_id || um[k].person_id == m[i].id;
        if (in) {
            holder[nh] = m[i].id;
            hdept[nh++] = m[i].department_id;
        }
    }
    if (!nh)
        goto out;
    int64_t barber = 0, wash = 0;
    if ((rc = db_one_int(c, "SELECT id FROM resources WHERE tenant_id = ? AND name = '理发室'",
                         DB_INTS(tenant), &barber, e)) < 0 ||
        (rc = db_one_int(c, "SELECT id FROM resources WHERE tenant_id = ? AND name = '洗车点'",
                         DB_INTS(tenant), &wash, e)) < 0)
        goto out;
    rc = 0;
    if ((rc = db_prepare(c,
                         "INSERT INTO vouchers (tenant_id, version, created_at, updated_at, "
                         "created_by, batch_id, person_id, department_id, service, seq, serial, "
                         "status, valid_from, expires_on, redeemed_at, redeemed_by, resource_id) "
                         "VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         &x.ins_v, e)))
        goto out;
    static const char *const svc[] = {"haircut", "car_wash"};
    static const char *const svc_zh[] = {"理发券", "洗车券"};
    static const char *const prefix[] = {"HC", "CW"};
    static const int use[] = {780, 620}; /* per mille redeemed over a whole month */
    int64_t this_month = month_start(x.today, 0);
    for (int k = -(MONTHS - 1); k <= 0 && !rc; k++) {
        int64_t from = month_start(x.today, k), to = month_start(x.today, k + 1) - 1;
        char month[16], label[48], vf[16], vt[16];
        date_format(from, month, sizeof(month));
        date_format(from, vf, sizeof(vf));
        date_format(to, vt, sizeof(vt));
        month[7] = 0;
        int past = from < this_month;
        int64_t last = past ? to : x.today; /* the last day a voucher could be redeemed */
        for (int s = 0; s < 2 && !rc; s++) {
            int64_t batch = 0;
            snprintf(label, sizeof(label), "%s %s", month, svc_zh[s]);
            if ((rc = insert_batch(&x, svc[s], label, month, from, to, (int64_t)nh * 2,
                                   k < -1, &batch, e)))
                break;
            int64_t issued_at = from * 86400 - (int64_t)x.utc_off * 60 + 9 * 3600;
            int chance = past ? use[s] : (int)(use[s] * (last - from + 1) / (to - from + 1));
            int64_t n = 0;
            for (int h = 0; h < nh && !rc; h++)
                for (int q = 1; q <= 2 && !rc; q++) {
                    char serial[48];
                    snprintf(serial, sizeof(serial), "%s%c%c%c%c-%lld-%05lld", prefix[s], vf[2],
                             vf[3], vf[5], vf[6], (long long)batch, (long long)++n);
                    int redeemed = rng_chance(&x.g, chance);
                    const char *status = redeemed ? "redeemed" : past ? "expired" : "issued";
                    struct db_stmt *st = x.ins_v;
                    db_bind_int(st, 1, tenant);
                    db_bind_int(st, 2, issued_at);
                    db_bind_int(st, 3, issued_at);
                    db_bind_int_or_null(st, 4, x.manager);
                    db_bind_int(st, 5, batch);
                    db_bind_int(st, 6, holder[h]);
                    db_bind_int_or_null(st, 7, hdept[h]);
                    db_bind_text(st, 8, svc[s], strlen(svc[s]));
                    db_bind_int(st, 9, q);
                    db_bind_text(st, 10, serial, strlen(serial));
                    db_bind_text(st, 11, status, strlen(status));
                    db_bind_text(st, 12, vf, strlen(vf));
                    db_bind_text(st, 13, vt, strlen(vt));
                    if (redeemed) {
                        int64_t day = from + rng_below(&x.g, (int)(last - from + 1));
                        int64_t at = day * 86400 - (int64_t)x.utc_off * 60 +
                                     (int64_t)rng_range(&x.g, 9 * 60, 17 * 60) * 60;
                        if (at > x.now)
                            at = x.now - 60;
                        db_bind_int(st, 14, at);
                        db_bind_int_or_null(st, 15, x.manager);
                        db_bind_int_or_null(st, 16, s ? wash : barber);
                    } else {
                        db_bind_null(st, 14);
                        db_bind_null(st, 15);
                        db_bind_null(st, 16);
                    }
                    rc = db_step(st, e);
                    db_reset(st);
                    rc = rc < 0 ? rc : 0;
                }
        }
    }
out:
    arena_free(a);
    return rc;
}
