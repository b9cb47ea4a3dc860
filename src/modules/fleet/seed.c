/* SPDX-License-Identifier: MIT
 * fleet/seed.c - what every tenant starts with, from shared/domain/RULES.md
 * §2, each row with its source and confidence and editable by the tenant:
 * the renewal conditions (electric cars: Guangdong 2025; the others: no
 * national number was found, the common 8 years is seeded and says so) and
 * the price and displacement limits of each vehicle class; and (schema 4)
 * the thresholds of plausible trips and of cars out past their end.
 */
#include "fleet.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../db/db.h"

#include <string.h>

struct seed_rule {
    const char *group;
    int min_years, more_than;
    int64_t min_km; /* 0: none */
    const char *confidence, *source;
};

static const struct seed_rule rules[] = {
    {"electric", 8, 1, 200000, "medium",
     "《广东省省直党政机关公务用车管理暂行办法》(2025)：纯电动汽车使用年限超过8年，且原则上"
     "行驶里程不低于20万公里的，可以更新(专用车辆、质保期外电池衰减达20%以上等例外情形由"
     "管理员据实处理)。来源：http://ejpsummit.com/0/842/268.htm ；"
     "https://m.rhbk.net/news/x06BjOo6Bn.html 。可信度：中高。"},
    {"other", 8, 0, 0, "low",
     "国家层面未找到公开的更新年限或里程数字：《党政机关公务用车管理办法》(中办发〔2017〕71号)"
     "与2025年修订的《党政机关厉行节约反对浪费条例》第29条只规定严格按照规定年限更新、达到"
     "年限仍能使用的应当继续使用、不得因职务晋升或调动提前更新。此处预置地方常见做法"
     "“满8年”，未经国家层面核实，请按本地规定修改。参考：《机动车强制报废标准规定》"
     "(商务部等令2012年第12号)小、微型非营运载客汽车无使用年限限制，行驶60万公里引导报废。"
     "可信度：低。"},
};

struct seed_std {
    const char *cls, *group;
    int64_t price_fen;   /* 0: no limit found */
    int64_t disp_tenths; /* litres × 10; 0: none */
    const char *confidence, *source;
};

#define NEV_SRC                                                                                                                \
    "新能源轿车价格不超过18万元(2017年《党政机关公务用车管理办法》；广东2025年办法重申)。" \
    "来源：http://www.ihvps.cn/blog/8118.html 。可信度：高。"

static const struct seed_std standards[] = {
    {"confidential", "other", 12000000, 16, "high",
     "机要通信用车价格不超过12万元、排气量不超过1.6升，为轿车或其他小型客车"
     "(《党政机关公务用车管理办法》2017)。来源：http://www.ihvps.cn/blog/8118.html 。可信度：高。"},
    {"confidential", "electric", 18000000, 0, "high", NEV_SRC},
    {"emergency", "other", 18000000, 18, "medium",
     "应急保障用车一般不超过18万元、1.8升；特殊情况中小型客车不超过25万元、3.0升，大型客车"
     "不超过45万元。来源：https://jumpintl.com/ask/504988.html (事业单位规定，与2017年办法一致)。"
     "可信度：中。"},
    {"emergency", "electric", 18000000, 0, "high", NEV_SRC},
    {"law_enforcement", "other", 12000000, 16, "medium",
     "执法执勤用车一般不超过12万元、1.6升；确有需要的不超过18万元、1.8升。"
     "来源：https://jumpintl.com/ask/504988.html 。可信度：中。"},
    {"law_enforcement", "electric", 18000000, 0, "high", NEV_SRC},
    {"special", "other", 0, 0, "low",
     "特种专业技术用车按实际工作需要配备，未找到统一的价格和排量标准，请按本地规定填写。"
     "可信度：低。"},
    {"special", "electric", 0, 0, "low",
     "特种专业技术用车按实际工作需要配备，未找到统一的价格标准，请按本地规定填写。可信度：低。"},
    {"other", "other", 18000000, 18, "medium",
     "其他公务用车按原一般公务用车标准：排气量不超过1.8升、价格不超过18万元(2011年办法)。"
     "来源：http://www.vtrackmedia.com/news/china/13065.html 。可信度：中高。"},
    {"other", "electric", 18000000, 0, "high", NEV_SRC},
};

void fl_seeded_limits(const char *cls, struct fl_limits *nev, struct fl_limits *fuel)
{
    *nev = *fuel = (struct fl_limits){-1, -1};
    for (size_t i = 0; i < sizeof(standards) / sizeof(standards[0]); i++) {
        const struct seed_std *s = &standards[i];
        if (strcmp(s->cls, cls))
            continue;
        struct fl_limits *l = !strcmp(s->group, "electric") ? nev : fuel;
        l->price_fen = s->price_fen ? s->price_fen : -1;
        l->disp_tenths = s->disp_tenths ? s->disp_tenths : -1;
    }
}

struct seed_setting {
    const char *name;
    int64_t value;
    const char *confidence, *source;
};

static const struct seed_setting settings[] = {
    {"start_window_min", FL_START_WINDOW_MIN, "low",
     "本局设定：出车时间早于或晚于申请的开始时间超过120分钟的，须由驾驶员说明情况(记入出车记录)。"
     "无上位规定，请按本单位管理要求修改。"},
    {"max_avg_kmh", FL_MAX_AVG_KMH, "high",
     "《中华人民共和国道路交通安全法实施条例》第七十八条：高速公路最高车速不得超过每小时120公里。"
     "全程平均车速高于此值的行程(如0分钟行驶46公里)须由驾驶员说明情况。"},
    {"distance_ratio_pct", FL_DISTANCE_RATIO_PCT, "low",
     "本局设定：行驶里程超过同一目的地常见里程(最近20次已收车行程的中位数)的200%，或不足其一半的，"
     "须由驾驶员说明情况。无上位规定，请按本单位管理要求修改。"},
    {"distance_slack_km", FL_DISTANCE_SLACK_KM, "low",
     "本局设定：与常见里程相差不超过10公里的不视为偏离(短途行程)。"},
    {"distance_min_trips", FL_DISTANCE_MIN_TRIPS, "low",
     "本局设定：同一目的地已有至少3次已收车行程，才据以判断常见里程。"},
    {"overdue_hold_min", FL_OVERDUE_HOLD_MIN, "low",
     "本局设定：超过计划结束时间仍未收车的车辆，不派给在此后120分钟内开始的用车申请"
     "(车辆归还时间未知)。集中管理、统一调度(《机关事务管理条例》第二十六条)。"},
};

int fl_seed_settings(struct db_conn *c, int64_t tenant_id, struct err *e)
{
    struct db_stmt *st;
    int64_t now = clock_now();
    int rc = db_prepare(c,
                        "INSERT INTO fleet_settings (tenant_id, version, created_at, updated_at, "
                        "name, value, confidence, source) VALUES (?, 1, ?, ?, ?, ?, ?, ?)",
                        &st, e);
    if (rc)
        return rc;
    for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
        const struct seed_setting *s = &settings[i];
        db_bind_int(st, 1, tenant_id);
        db_bind_int(st, 2, now);
        db_bind_int(st, 3, now);
        db_bind_text(st, 4, s->name, strlen(s->name));
        db_bind_int(st, 5, s->value);
        db_bind_text(st, 6, s->confidence, strlen(s->confidence));
        db_bind_text(st, 7, s->source, strlen(s->source));
        rc = db_step(st, e);
        db_reset(st);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int fl_seed_tenant(struct db_conn *c, int64_t tenant_id, struct err *e)
{
    int rc = fl_seed_standards(c, tenant_id, e);
    return rc ? rc : fl_seed_settings(c, tenant_id, e);
}

int fl_seed_standards(struct db_conn *c, int64_t tenant_id, struct err *e)
{
    struct db_stmt *st;
    int64_t now = clock_now();
    int rc = db_prepare(c,
                        "INSERT INTO vehicle_renewal_rules (tenant_id, version, created_at, "
                        "updated_at, energy_group, min_years, more_than, min_km, either, "
                        "confidence, source) VALUES (?, 1, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
                        &st, e);
    if (rc)
        return rc;
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        const struct seed_rule *s = &rules[i];
        db_bind_int(st, 1, tenant_id);
        db_bind_int(st, 2, now);
        db_bind_int(st, 3, now);
        db_bind_text(st, 4, s->group, strlen(s->group));
        db_bind_int(st, 5, s->min_years);
        db_bind_int(st, 6, s->more_than);
        db_bind_int_or_null(st, 7, s->min_km);
        db_bind_text(st, 8, s->confidence, strlen(s->confidence));
        db_bind_text(st, 9, s->source, strlen(s->source));
        rc = db_step(st, e);
        db_reset(st);
        if (rc < 0)
            return rc;
    }
    if ((rc = db_prepare(c,
                         "INSERT INTO vehicle_standards (tenant_id, version, created_at, "
                         "updated_at, class, energy_group, max_price_fen, max_displacement_l, "
                         "confidence, source) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?)",
                         &st, e)))
        return rc;
    for (size_t i = 0; i < sizeof(standards) / sizeof(standards[0]); i++) {
        const struct seed_std *s = &standards[i];
        db_bind_int(st, 1, tenant_id);
        db_bind_int(st, 2, now);
        db_bind_int(st, 3, now);
        db_bind_text(st, 4, s->cls, strlen(s->cls));
        db_bind_text(st, 5, s->group, strlen(s->group));
        db_bind_int_or_null(st, 6, s->price_fen);
        db_bind_int_or_null(st, 7, s->disp_tenths);
        db_bind_text(st, 8, s->confidence, strlen(s->confidence));
        db_bind_text(st, 9, s->source, strlen(s->source));
        rc = db_step(st, e);
        db_reset(st);
        if (rc < 0)
            return rc;
    }
    return 0;
}
