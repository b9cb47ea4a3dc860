/* SPDX-License-Identifier: MIT
 * canteen/demo.c - the demo district's twelve canteens (the customs
 * building's rebuilt for 2,100 diners among them), their meal periods and
 * prices, two card readers in each, and a meal card for every person in
 * post; then the ledger's year (ledger_demo.c) and the menus, bookings,
 * ratings and food-safety records (meals_demo.c). Rows go in with prepared
 * INSERTs (demo data, not audited changes).
 */
#include "canteen.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../core/tenant.h"
#include "../../db/db.h"
#include "../org/org.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *code, *name, *location;
    int seats, meals; /* meals: 1 breakfast, 2 lunch, 4 dinner */
} canteens[] = {
    {"ST01", "区委大院机关食堂", "区委大院3号楼一层", 600, 7},
    {"ST02", "区政府机关食堂", "区政府大楼负一层", 800, 7},
    {"ST03", "海关大楼食堂", "海关大楼二层", 2100, 7},
    {"ST04", "行政服务中心食堂", "行政服务中心B座一层", 360, 3},
    {"ST05", "人大政协机关食堂", "人大政协办公楼一层", 240, 3},
    {"ST06", "公安分局食堂", "公安分局综合楼一层", 420, 7},
    {"ST07", "区法院食堂", "审判综合楼负一层", 260, 3},
    {"ST08", "区检察院食堂", "检察院办公楼一层", 200, 3},
    {"ST09", "教育局机关食堂", "教育局办公楼一层", 150, 2},
    {"ST10", "卫生健康局食堂", "卫健局办公楼一层", 150, 2},
    {"ST11", "城管执法局食堂", "城管执法局大院", 180, 3},
    {"ST12", "街道办联合食堂", "中心街道办事处一层", 220, 3},
};
#define NCANTEEN (int)(sizeof(canteens) / sizeof(canteens[0]))

static const struct {
    int bit;
    const char *meal, *starts, *ends;
    int64_t price, guest;
} periods[] = {
    {1, "breakfast", "07:00", "08:30", 300, 800},
    {2, "lunch", "11:30", "13:00", 1200, 2500},
    {4, "dinner", "17:30", "19:00", 1000, 2000},
};

static int exec_canteen(struct db_conn *c, int64_t tenant, int k, int64_t now, int64_t *id,
                        struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(c,
                        "INSERT INTO canteens (tenant_id, version, created_at, updated_at, name, "
                        "code, location, seats, booking_cutoff_min, active) VALUES (?, 1, ?, ?, "
                        "?, ?, ?, ?, 150, 1) RETURNING id",
                        &st, e);
    if (rc)
        return rc;
    db_bind_int(st, 1, tenant);
    db_bind_int(st, 2, now);
    db_bind_int(st, 3, now);
    db_bind_text(st, 4, canteens[k].name, strlen(canteens[k].name));
    db_bind_text(st, 5, canteens[k].code, strlen(canteens[k].code));
    db_bind_text(st, 6, canteens[k].location, strlen(canteens[k].location));
    db_bind_int(st, 7, canteens[k].seats);
    if ((rc = db_step(st, e)) == DB_ROW)
        *id = db_col_int(st, 0), rc = 0;
    else if (rc >= 0)
        rc = err_set(e, ERR_INTERNAL, NULL, NULL, "no id returned");
    db_reset(st);
    return rc ? rc : ct_system_account(c, tenant, "canteen", *id, &(int64_t){0}, e);
}

static int insert_periods(struct db_conn *c, int64_t tenant, int k, int64_t canteen, int64_t now,
                          struct err *e)
{
    int rc = 0;
    for (size_t i = 0; i < sizeof(periods) / sizeof(periods[0]) && !rc; i++) {
        if (!(canteens[k].meals & periods[i].bit))
            continue;
        struct db_stmt *st;
        if ((rc = db_prepare(c,
                             "INSERT INTO meal_periods (tenant_id, version, created_at, "
                             "updated_at, canteen_id, meal, starts, ends, price_fen, "
                             "guest_price_fen, active) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                             &st, e)))
            return rc;
        db_bind_int(st, 1, tenant);
        db_bind_int(st, 2, now);
        db_bind_int(st, 3, now);
        db_bind_int(st, 4, canteen);
        db_bind_text(st, 5, periods[i].meal, strlen(periods[i].meal));
        db_bind_text(st, 6, periods[i].starts, 5);
        db_bind_text(st, 7, periods[i].ends, 5);
        /* the big canteens' lunch costs a little more: more dishes */
        db_bind_int(st, 8, periods[i].price + (canteens[k].seats >= 600 ? 200 : 0));
        db_bind_int(st, 9, periods[i].guest);
        rc = db_step(st, e);
        db_reset(st);
        rc = rc < 0 ? rc : 0;
    }
    for (int n = 1; n <= 2 && !rc; n++) {
        struct db_stmt *st;
        char code[32], name[64];
        snprintf(code, sizeof(code), "POS-%s-%d", canteens[k].code, n);
        snprintf(name, sizeof(name), "%d号窗口读卡器", n);
        if ((rc = db_prepare(c,
                             "INSERT INTO meal_readers (tenant_id, version, created_at, "
                             "updated_at, canteen_id, name, code, active, last_seq) VALUES (?, 1, "
                             "?, ?, ?, ?, ?, 1, 0)",
                             &st, e)))
            return rc;
        db_bind_int(st, 1, tenant);
        db_bind_int(st, 2, now);
        db_bind_int(st, 3, now);
        db_bind_int(st, 4, canteen);
        db_bind_text(st, 5, name, strlen(name));
        db_bind_text(st, 6, code, strlen(code));
        rc = db_step(st, e);
        db_reset(st);
        rc = rc < 0 ? rc : 0;
    }
    return rc;
}

/* A meal card for every person in post, opened when the ledger's year starts. */
static int insert_accounts(struct db_conn *c, struct req *r, int64_t now, struct err *e)
{
    struct org_person_list people;
    int rc = org_person_list_load(r, c, &people, e);
    struct db_stmt *st;
    if (rc || (rc = db_prepare(c,
                               "INSERT INTO meal_accounts (tenant_id, version, created_at, "
                               "updated_at, kind, person_id, department_id, card_no, qr_id, "
                               "status, balance_fen, opened_on) VALUES (?, 1, ?, ?, 'person', ?, "
                               "?, ?, ?, 'active', 0, ?)",
                               &st, e)))
        return rc;
    char opened[16];
    date_format((now + r->utc_offset_min * 60) / 86400 - 400, opened, sizeof(opened));
    for (int i = 0; i < people.n && !rc; i++) {
        const struct org_person_row *p = &people.v[i];
        if (!p->active)
            continue;
        char card[CT_CARD_MAX + 1], qr[CT_QR_LEN + 1];
        snprintf(card, sizeof(card), "%08lld", (long long)(10000000 + p->id));
        ct_new_qr(qr);
        db_bind_int(st, 1, r->tenant_id);
        db_bind_int(st, 2, now);
        db_bind_int(st, 3, now);
        db_bind_int(st, 4, p->id);
        db_bind_int_or_null(st, 5, p->department_id);
        db_bind_text(st, 6, card, strlen(card));
        db_bind_text(st, 7, qr, CT_QR_LEN);
        db_bind_text(st, 8, opened, strlen(opened));
        rc = db_step(st, e);
        db_reset(st);
        rc = rc < 0 ? rc : 0;
    }
    return rc;
}

int ct_demo(struct db_conn *c, int64_t tenant, uint64_t seed, struct err *e)
{
    struct arena *a = arena_new(4u << 20);
    if (!a)
        return err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
    struct req r;
    req_init_internal(&r, a, NULL, NULL);
    r.tenant_id = tenant;
    r.utc_offset_min = tenant_utc_offset(c, tenant, 480);
    int64_t now = clock_now(), id = 0;
    int rc = 0;
    for (int k = 0; k < NCANTEEN && !rc; k++)
        if (!(rc = exec_canteen(c, tenant, k, now, &id, e)))
            rc = insert_periods(c, tenant, k, id, now, e);
    rc = rc ? rc : insert_accounts(c, &r, now, e);
    arena_free(a);
    rc = rc ? rc : ct_ledger_demo(c, tenant, seed, e);
    return rc ? rc : ct_meals_demo(c, tenant, seed, e);
}
