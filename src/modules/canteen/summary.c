/* SPDX-License-Identifier: MIT
 * canteen/summary.c - the canteens' dashboard cards: for those who read the
 * whole ledger (managers, finance, leaders), today's diners and sales, this
 * month's sales against last month's, the subsidies paid this month, what
 * the cards hold (what the bureau owes its staff) and the busiest canteens;
 * then the food-safety card (safety.c).
 */
#include "canteen.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/perm.h"
#include "../../engine/report.h"

#include <stdlib.h>
#include <string.h>

static int day_range(struct db_conn *c, struct req *r, const char *sql, int64_t from, int64_t to,
                     int64_t *a, int64_t *b, struct err *e)
{
    char x[16], y[16];
    date_format(from, x, sizeof(x));
    date_format(to, y, sizeof(y));
    struct db_stmt *st;
    int rc = db_prepare_ints(c, sql, DB_INTS(r->tenant_id, 0, 0), &st, e);
    if (rc)
        return rc;
    db_bind_text(st, 2, x, strlen(x));
    db_bind_text(st, 3, y, strlen(y));
    *a = *b = 0;
    if ((rc = db_step(st, e)) == DB_ROW) {
        *a = db_col_int(st, 0);
        if (b)
            *b = db_col_int(st, 1);
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

static int month_first(int64_t day, int64_t *first)
{
    char d[16];
    date_format(day, d, sizeof(d));
    memcpy(d + 8, "01", 3);
    return date_parse(d, 10, first);
}

struct top {
    int64_t id, sales, meals;
};

static int top_cmp(const void *a, const void *b)
{
    const struct top *x = a, *y = b;
    return (x->sales < y->sales) - (x->sales > y->sales);
}

/* One scan of last month and this month on the (business_day, canteen_id)
 * index, folded in C; today's diners; what the cards hold. */
static int ledger_card(struct req *r, struct db_conn *c, json_t *cards, struct err *e)
{
    int64_t today = report_today(r), m0, p0, diners = 0, sales = 0, msales = 0, mcount = 0,
            psales = 0, pcount = 0, subsidy = 0, owed = 0, cardsn = 0;
    if (month_first(today, &m0) || month_first(m0 - 1, &p0))
        return 0;
    int rc, ntop = 0;
    struct top top[64];
    if ((rc = day_range(c, r,
                        "SELECT COUNT(DISTINCT person_id), COALESCE(SUM(amount_fen), 0) FROM "
                        "meal_transactions WHERE tenant_id = ? AND business_day >= ? AND "
                        "business_day <= ? AND kind = 'spend'",
                        today, today, &diners, &sales, e)))
        return rc;
    char x[16], y[16], z[16];
    date_format(p0, x, sizeof(x));
    date_format(today, y, sizeof(y));
    date_format(m0, z, sizeof(z));
    struct db_stmt *st;
    if ((rc = db_prepare_ints(c,
                              "SELECT CASE WHEN business_day >= ? THEN 1 ELSE 0 END, kind, "
                              "COALESCE(canteen_id, 0), COUNT(*), SUM(amount_fen), "
                              "SUM(delta_fen) FROM meal_transactions WHERE tenant_id = ? AND "
                              "business_day >= ? AND business_day <= ? GROUP BY 1, kind, "
                              "COALESCE(canteen_id, 0)",
                              DB_INTS(0, r->tenant_id, 0, 0), &st, e)))
        return rc;
    db_bind_text(st, 1, z, strlen(z));
    db_bind_text(st, 3, x, strlen(x));
    db_bind_text(st, 4, y, strlen(y));
    while ((rc = db_step(st, e)) == DB_ROW) {
        int cur = (int)db_col_int(st, 0);
        const char *kind = db_col_text(st, 1, NULL);
        int64_t canteen = db_col_int(st, 2), n = db_col_int(st, 3), amt = db_col_int(st, 4),
                delta = db_col_int(st, 5);
        int spend = !strcmp(kind, "spend"), refund = !strcmp(kind, "refund");
        if (spend || refund) {
            int64_t v = spend ? amt : -amt;
            if (cur)
                msales += v, mcount += n;
            else
                psales += v, pcount += n;
            if (cur && spend && canteen) {
                int i = 0;
                while (i < ntop && top[i].id != canteen)
                    i++;
                if (i == ntop && ntop < 64)
                    top[ntop++] = (struct top){.id = canteen};
                if (i < 64)
                    top[i].sales += amt, top[i].meals += n;
            }
        } else if (cur && !strcmp(kind, "subsidy"))
            subsidy += delta;
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    qsort(top, (size_t)ntop, sizeof(*top), top_cmp);
    if ((rc = db_prepare_ints(c,
                              "SELECT COALESCE(SUM(balance_fen), 0), COUNT(*) FROM meal_accounts "
                              "WHERE tenant_id = ? AND kind = 'person'",
                              DB_INTS(r->tenant_id), &st, e)))
        return rc;
    if ((rc = db_step(st, e)) == DB_ROW)
        owed = db_col_int(st, 0), cardsn = db_col_int(st, 1);
    db_reset(st);
    if (rc < 0)
        return rc;
    json_t *tops = json_array();
    for (int i = 0; i < ntop && i < 3; i++) {
        const char *name = NULL;
        db_one_text(c, r->a, "SELECT name FROM canteens WHERE tenant_id = ? AND id = ?",
                    DB_INTS(r->tenant_id, top[i].id), &name, e);
        json_array_append_new(tops, json_pack("{s:I,s:s,s:I,s:I}", "canteen_id",
                                              (json_int_t)top[i].id, "name", name ? name : "",
                                              "sales_fen", (json_int_t)top[i].sales, "meals",
                                              (json_int_t)top[i].meals));
    }
    json_t *card = json_pack(
        "{s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o,"
        "s:{s:{s:s,s:s},s:{s:s,s:s},s:{s:s,s:s},s:{s:s,s:s},s:{s:s,s:s},s:{s:s,s:s}}}",
        "id", "canteen", "kind", "kpi", "zh", "机关食堂", "en", "Canteens", "diners_today",
        (json_int_t)diners, "sales_today_fen", (json_int_t)sales, "sales_month_fen",
        (json_int_t)msales, "meals_month", (json_int_t)mcount, "sales_last_month_fen",
        (json_int_t)psales, "meals_last_month", (json_int_t)pcount, "subsidy_month_fen",
        (json_int_t)subsidy, "balances_fen", (json_int_t)owed, "cards", (json_int_t)cardsn,
        "top_canteens", tops, "labels", "diners_today", "zh", "今日就餐人数", "en", "Diners today",
        "sales_today_fen", "zh", "今日营业额", "en", "Sales today", "sales_month_fen", "zh",
        "本月营业额", "en", "Sales this month", "sales_last_month_fen", "zh", "上月营业额", "en",
        "Sales last month", "subsidy_month_fen", "zh", "本月发放补贴", "en",
        "Subsidies paid this month", "balances_fen", "zh", "饭卡余额合计(应付职工)", "en",
        "Card balances (owed to staff)");
    if (!card)
        return err_set(e, ERR_INTERNAL, NULL, NULL, "out of memory");
    json_array_append_new(cards, card);
    return 0;
}

int ct_summary(struct req *r, struct db_conn *c, json_t *cards, struct err *e)
{
    if (perm_scope(r, &ct_transactions, "read") == SCOPE_TENANT) {
        int rc = ledger_card(r, c, cards, e);
        if (rc)
            return rc;
    }
    return ct_safety_card(r, c, cards, e);
}
