/* SPDX-License-Identifier: MIT
 * assets/seed.c - what every tenant starts with, each row editable:
 * the depreciation categories and their minimum lives (shared/domain/
 * depreciation_years.csv: 政府会计准则第3号应用指南 表1, 财会〔2017〕4号);
 * the top levels of the classification, GB/T 14885-2022 (A01…A06, as far as
 * they are known: RULES.md §6 rates them low confidence) and the 2010
 * edition for older registers; and the disposal approval thresholds.
 */
#include "assets.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../db/db.h"

#include <string.h>

#define CSV_SRC "政府会计准则第3号应用指南 (财会〔2017〕4号) 表1 政府固定资产折旧年限表"

static const struct {
    const char *name;
    int years, depreciated;
    const char *source;
} categories[] = {
    {"房屋-钢结构", 50, 1, CSV_SRC},
    {"房屋-钢筋混凝土结构", 50, 1, CSV_SRC},
    {"房屋-砖混结构", 30, 1, CSV_SRC},
    {"房屋-砖木结构", 30, 1, CSV_SRC},
    {"简易房", 8, 1, CSV_SRC},
    {"房屋附属设施", 8, 1, CSV_SRC},
    {"构筑物", 8, 1, CSV_SRC},
    {"计算机设备", 6, 1, CSV_SRC},
    {"办公设备", 6, 1, CSV_SRC},
    {"车辆", 8, 1, CSV_SRC},
    {"图书档案设备", 5, 1, CSV_SRC},
    {"机械设备", 10, 1, CSV_SRC},
    {"电气设备", 5, 1, CSV_SRC},
    {"通信设备", 5, 1, CSV_SRC},
    {"广播电视电影设备", 5, 1, CSV_SRC},
    {"仪器仪表", 5, 1, CSV_SRC},
    {"家具", 15, 1, CSV_SRC},
    {"用具装具", 5, 1, CSV_SRC},
    {"土地", 0, 0, "不计提折旧 (政府会计准则第3号)"},
    {"文物和陈列品", 0, 0, "不计提折旧 (政府会计准则第3号)"},
    {"图书档案", 0, 0, "不计提折旧 (政府会计准则第3号)"},
    {"特种动植物", 0, 0, "不计提折旧 (通行做法，可信度中，请核实)"},
};
#define NCAT (int)(sizeof(categories) / sizeof(categories[0]))

static const struct {
    const char *edition, *code, *name, *category; /* category: its default, or NULL */
} classes[] = {
    {"2022", "A01", "房屋和构筑物", NULL},
    {"2022", "A02", "设备", NULL},
    {"2022", "A03", "文物和陈列品", "文物和陈列品"},
    {"2022", "A04", "图书和档案", "图书档案"},
    {"2022", "A05", "家具和用具", NULL},
    {"2022", "A06", "特种动植物", "特种动植物"},
    {"2010", "1000000", "土地、房屋及构筑物", NULL},
    {"2010", "2000000", "通用设备", NULL},
    {"2010", "3000000", "专用设备", NULL},
    {"2010", "4000000", "文物和陈列品", "文物和陈列品"},
    {"2010", "5000000", "图书、档案", "图书档案"},
    {"2010", "6000000", "家具、用具、装具及动植物", NULL},
};
#define NCLS (int)(sizeof(classes) / sizeof(classes[0]))

static const struct {
    const char *name;
    int64_t value;
    const char *note;
} settings[] = {
    {"disposal_leader_from_fen", AS_DISPOSAL_LEADER_FROM_FEN,
     "单批原值5万元(含)以上的处置由局领导审批，以下由资产管理员审批：本地通行做法，"
     "可信度低，请按本单位资产管理办法修改"},
    {"disposal_self_max_fen", AS_DISPOSAL_SELF_MAX_FEN,
     "单批原值20万元以上的处置须报财政部门审批，录入其批复文号：国管财〔2004〕196号的"
     "20万元分级(历史口径，可信度中)，请按本地规定修改"},
    {"loan_remind_days", AS_LOAN_REMIND_DAYS, "公物仓借用到期前3天提醒借用人和资产管理员"},
};

int as_seed_tenant(struct db_conn *c, int64_t tenant_id, struct err *e)
{
    struct db_stmt *st;
    int64_t now = clock_now(), ids[NCAT];
    int rc = 0;
    for (int i = 0; i < NCAT && !rc; i++) {
        rc = db_prepare(c,
                        "INSERT INTO asset_categories (tenant_id, version, created_at, "
                        "updated_at, name, years, depreciated, source) VALUES (?, 1, ?, ?, ?, "
                        "?, ?, ?) RETURNING id",
                        &st, e);
        if (rc)
            return rc;
        db_bind_int(st, 1, tenant_id);
        db_bind_int(st, 2, now);
        db_bind_int(st, 3, now);
        db_bind_text(st, 4, categories[i].name, strlen(categories[i].name));
        db_bind_int(st, 5, categories[i].years);
        db_bind_int(st, 6, categories[i].depreciated);
        db_bind_text(st, 7, categories[i].source, strlen(categories[i].source));
        rc = db_step(st, e);
        if (rc == DB_ROW)
            ids[i] = db_col_int(st, 0), rc = 0;
        else if (rc >= 0)
            rc = err_set(e, ERR_INTERNAL, NULL, NULL, "no id returned");
        db_reset(st);
    }
    for (int i = 0; i < NCLS && !rc; i++) {
        int64_t cat = 0;
        for (int k = 0; classes[i].category && k < NCAT; k++)
            if (!strcmp(categories[k].name, classes[i].category))
                cat = ids[k];
        rc = db_prepare(c,
                        "INSERT INTO asset_classes (tenant_id, version, created_at, updated_at, "
                        "code, name, edition, category_id, active) VALUES (?, 1, ?, ?, ?, ?, ?, "
                        "?, 1)",
                        &st, e);
        if (rc)
            return rc;
        db_bind_int(st, 1, tenant_id);
        db_bind_int(st, 2, now);
        db_bind_int(st, 3, now);
        db_bind_text(st, 4, classes[i].code, strlen(classes[i].code));
        db_bind_text(st, 5, classes[i].name, strlen(classes[i].name));
        db_bind_text(st, 6, classes[i].edition, strlen(classes[i].edition));
        db_bind_int_or_null(st, 7, cat);
        rc = db_step(st, e);
        db_reset(st);
        rc = rc < 0 ? rc : 0;
    }
    for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]) && !rc; i++) {
        rc = db_prepare(c,
                        "INSERT INTO asset_settings (tenant_id, version, created_at, updated_at, "
                        "name, value, note) VALUES (?, 1, ?, ?, ?, ?, ?)",
                        &st, e);
        if (rc)
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
    return rc;
}
