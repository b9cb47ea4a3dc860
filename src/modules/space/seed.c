/* SPDX-License-Identifier: MIT
 * space/seed.c - what every tenant starts with: the recovery period (an
 * office is recovered within a month of its holder's transfer or
 * retirement) and the repair rule table (日常维修 / 中修 / 大修 and the
 * amount above which a repair must name its procurement project). Both are
 * ordinary records afterwards.
 */
#include "space.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../db/db.h"

#include <string.h>

static const struct {
    const char *category;
    int64_t above_fen; /* -1: never */
    const char *source;
} rules[] = {
    {"routine", 5000000, "日常维修: 本局设定的金额 (默认 5 万元)"},
    {"medium", 5000000, "中修: 本局设定的金额 (默认 5 万元)"},
    {"major", 0, "大修: 一律纳入采购项目"},
};

int sp_seed_tenant(struct db_conn *c, int64_t tenant_id, struct err *e)
{
    struct db_stmt *st;
    int64_t now = clock_now();
    int rc = db_prepare(c,
                        "INSERT INTO space_settings (tenant_id, version, created_at, updated_at, "
                        "name, value, note) VALUES (?, 1, ?, ?, 'recovery_months', ?, ?)",
                        &st, e);
    if (rc)
        return rc;
    static const char note[] = "调离、退休后 1 个月内收回办公用房";
    db_bind_int(st, 1, tenant_id);
    db_bind_int(st, 2, now);
    db_bind_int(st, 3, now);
    db_bind_int(st, 4, SP_RECOVERY_MONTHS);
    db_bind_text(st, 5, note, strlen(note));
    rc = db_step(st, e);
    db_reset(st);
    if (rc < 0)
        return rc;
    if ((rc = db_prepare(c,
                         "INSERT INTO repair_rules (tenant_id, version, created_at, updated_at, "
                         "category, procurement_above_fen, source) VALUES (?, 1, ?, ?, ?, ?, ?)",
                         &st, e)))
        return rc;
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        db_bind_int(st, 1, tenant_id);
        db_bind_int(st, 2, now);
        db_bind_int(st, 3, now);
        db_bind_text(st, 4, rules[i].category, strlen(rules[i].category));
        if (rules[i].above_fen >= 0)
            db_bind_int(st, 5, rules[i].above_fen);
        else
            db_bind_null(st, 5);
        db_bind_text(st, 6, rules[i].source, strlen(rules[i].source));
        rc = db_step(st, e);
        db_reset(st);
        if (rc < 0)
            return rc;
    }
    return 0;
}
