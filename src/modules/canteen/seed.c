/* SPDX-License-Identifier: MIT
 * canteen/seed.c - what every tenant starts with, each row editable: the
 * settings of RULES.md §5 (sample retention 125 g and 48 h, GB 31654-2021;
 * health certificates yearly, 食品安全法 第45条; delivery records kept six
 * months after the shelf life or two years, 第50条) and the ledger's own
 * accounts: top-up funds, the subsidy fund and adjustments (each canteen's
 * sales account comes with the canteen).
 */
#include "canteen.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../db/db.h"

#include <string.h>

static const struct {
    const char *name;
    int64_t value;
    const char *note;
} settings[] = {
    {"overdraft_fen", CT_OVERDRAFT_FEN, "消费后余额不得低于零；如允许小额透支，填透支上限(分)"},
    {"sample_min_g", CT_SAMPLE_MIN_G,
     "每个品种留样量不少于125g：GB 31654-2021《餐饮服务通用卫生规范》、"
     "《餐饮服务食品安全操作规范》(2018)"},
    {"sample_hours", CT_SAMPLE_HOURS, "留样在专用冷藏设备中保存48小时以上：同上"},
    {"cert_alert_days", CT_CERT_ALERT_DAYS,
     "从业人员每年健康检查，取得健康证明后方可上岗(《食品安全法》第45条)；到期前30天提醒"},
    {"keep_after_expiry_months", CT_KEEP_AFTER_EXPIRY_MONTHS,
     "进货查验记录保存期限不得少于产品保质期满后六个月(《食品安全法》第50条)"},
    {"keep_no_shelf_months", CT_KEEP_NO_SHELF_MONTHS,
     "没有明确保质期的，保存期限不得少于二年(《食品安全法》第50条)"},
    {"drift_tolerance_s", CT_DRIFT_TOLERANCE_S,
     "读卡器时钟与服务器相差在此之内按读卡器时间记账，超出则按估计偏差校正并记录"},
    {"rating_days", CT_RATING_DAYS, "用餐后7天内可评价"},
};

int ct_system_account(struct db_conn *c, int64_t tenant_id, const char *kind, int64_t canteen_id,
                      int64_t *id, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare_ints(c,
                             "SELECT id FROM meal_accounts WHERE tenant_id = ? AND kind = ? AND "
                             "COALESCE(canteen_id, 0) = ? ORDER BY id LIMIT 1",
                             DB_INTS(tenant_id, 0, canteen_id), &st, e);
    if (rc)
        return rc;
    db_bind_text(st, 2, kind, strlen(kind));
    *id = 0;
    if ((rc = db_step(st, e)) == DB_ROW)
        *id = db_col_int(st, 0);
    db_reset(st);
    if (rc < 0 || *id)
        return rc < 0 ? rc : 0;
    int64_t now = clock_now();
    if ((rc = db_prepare(c,
                         "INSERT INTO meal_accounts (tenant_id, version, created_at, updated_at, "
                         "kind, canteen_id, status, balance_fen) VALUES (?, 1, ?, ?, ?, ?, "
                         "'active', 0) RETURNING id",
                         &st, e)))
        return rc;
    db_bind_int(st, 1, tenant_id);
    db_bind_int(st, 2, now);
    db_bind_int(st, 3, now);
    db_bind_text(st, 4, kind, strlen(kind));
    db_bind_int_or_null(st, 5, canteen_id);
    if ((rc = db_step(st, e)) == DB_ROW)
        *id = db_col_int(st, 0), rc = 0;
    else if (rc >= 0)
        rc = err_set(e, ERR_INTERNAL, NULL, NULL, "no id returned");
    db_reset(st);
    return rc;
}

int ct_seed_tenant(struct db_conn *c, int64_t tenant_id, struct err *e)
{
    struct db_stmt *st;
    int64_t now = clock_now(), id;
    int rc = 0;
    for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]) && !rc; i++) {
        if ((rc = db_prepare(c,
                             "INSERT INTO canteen_settings (tenant_id, version, created_at, "
                             "updated_at, name, value, note) VALUES (?, 1, ?, ?, ?, ?, ?)",
                             &st, e)))
            return rc;
        db_bind_int(st, 1, tenant_id);
        db_bind_int(st, 2, now);
        db_bind_int(st, 3, now);
        db_bind_text(st, 4, settings[i].name, strlen(settings[i].name));
        db_bind_int(st, 5, settings[i].value);
        db_bind_text(st, 6, settings[i].note, strlen(settings[i].note));
        rc = db_step(st, e);
        db_reset(st);
        rc = rc < 0 ? rc : 0;
    }
    static const char *const kinds[] = {"cash", "subsidy", "adjustment"};
    for (int i = 0; i < 3 && !rc; i++)
        rc = ct_system_account(c, tenant_id, kinds[i], 0, &id, e);
    return rc ? rc : ct_subsidy_seed(c, tenant_id, e);
}
