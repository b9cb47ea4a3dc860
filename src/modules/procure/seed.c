/* SPDX-License-Identifier: MIT
 * procure/seed.c - what every tenant starts with: the settings of
 * shared/domain/procurement_rules.csv and RULES.md §4, each row with its
 * source and editable (a tenant outside Guangdong changes the threshold).
 */
#include "procure.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../db/db.h"

#include <string.h>

static const struct {
    const char *name;
    int64_t value;
    const char *note;
} settings[] = {
    {"tender_threshold_fen", PC_TENDER_THRESHOLD_FEN,
     "广东省货物、服务公开招标数额标准400万元(粤财采购〔2020〕2号)；中央预算单位为200万元"
     "(国办发〔2019〕55号)。达到标准采用其他方式须事先经财政部门批准(《政府采购法》第27条)"},
    {"decentral_limit_fen", PC_DECENTRAL_LIMIT_FEN,
     "货物、服务分散采购限额标准100万元(国办发〔2019〕55号，中央)；以本地集中采购目录为准"},
    {"decentral_works_fen", PC_DECENTRAL_WORKS_FEN, "工程分散采购限额标准120万元(国办发〔2019〕55号)"},
    {"price_weight_goods_pct", PC_PRICE_WEIGHT_GOODS,
     "综合评分法货物项目价格分值占总分值比重不得低于30%(财政部令第87号 第55条)"},
    {"price_weight_services_pct", PC_PRICE_WEIGHT_SERVICES,
     "综合评分法服务项目价格分值占总分值比重不得低于10%(财政部令第87号 第55条)"},
    {"committee_min", PC_COMMITTEE_MIN,
     "评标委员会由采购人代表和评审专家组成，成员人数应当为5人以上单数，评审专家不得少于"
     "成员总数的三分之二(财政部令第87号 第47条)"},
    {"committee_min_large", PC_COMMITTEE_MIN_LARGE,
     "采购预算金额在1000万元以上等情形，评标委员会成员人数应当为7人以上单数(第87号令 第47条)"},
    {"committee_large_fen", PC_COMMITTEE_LARGE_FEN, "1000万元(财政部令第87号 第47条)"},
    {"committee_min_other", PC_COMMITTEE_MIN_OTHER,
     "竞争性谈判、询价小组由采购人代表和评审专家共3人以上单数组成(《政府采购法》第38、40条)"},
    {"recusal_years", PC_RECUSAL_YEARS,
     "参加采购活动前3年内与供应商存在劳动关系，或担任供应商的董事、监事，或是供应商的控股股东"
     "或者实际控制人等，应当回避(《政府采购法实施条例》第9条)"},
    {"recent_draw_months", PC_RECENT_DRAW_MONTHS,
     "本单位规则：近若干个月内已为同一采购人评审的专家不再抽取；0为不限"},
    {"bid_period_days", PC_BID_PERIOD_DAYS,
     "自招标文件开始发出之日起至投标人提交投标文件截止之日止，不得少于二十日(《政府采购法》第35条)"},
    {"tender_notice_wd", PC_TENDER_NOTICE_WD, "招标公告期限为5个工作日(财政部令第87号)"},
    {"result_notice_wd", PC_RESULT_NOTICE_WD, "中标、成交结果公告期限为1个工作日(财政部令第87号 第69条)"},
    {"complaint_wd", PC_COMPLAINT_WD,
     "供应商可在知道或应知其权益受到损害之日起七个工作日内提出质疑(《政府采购法》第52条)"},
    {"complaint_reply_wd", PC_COMPLAINT_REPLY_WD,
     "采购人应当在收到书面质疑后七个工作日内作出答复(《政府采购法》第53条)"},
    {"contract_days", PC_CONTRACT_DAYS,
     "中标、成交通知书发出之日起三十日内签订政府采购合同(《政府采购法》第46条)"},
    {"contract_publish_wd", PC_CONTRACT_PUBLISH_WD,
     "合同自签订之日起2个工作日内公告(《政府采购法实施条例》第50条)"},
    {"abnormal_low_pct", PC_ABNORMAL_LOW_PCT,
     "本单位规则：报价明显低于其他有效报价平均值(低于该比例)时提示评标委员会要求说明"
     "(财政部令第87号 第60条)"},
};

int pc_seed_tenant(struct db_conn *c, int64_t tenant_id, struct err *e)
{
    struct db_stmt *st;
    int64_t now = clock_now();
    int rc = db_prepare(c,
                        "INSERT INTO procurement_settings (tenant_id, version, created_at, "
                        "updated_at, name, value, note) VALUES (?, 1, ?, ?, ?, ?, ?)",
                        &st, e);
    for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]) && !rc; i++) {
        db_bind_int(st, 1, tenant_id);
        db_bind_int(st, 2, now);
        db_bind_int(st, 3, now);
        db_bind_text(st, 4, settings[i].name, strlen(settings[i].name));
        db_bind_int(st, 5, settings[i].value);
        db_bind_text(st, 6, settings[i].note, strlen(settings[i].note));
        rc = db_step(st, e);
        rc = rc < 0 ? rc : 0;
        db_reset(st);
    }
    return rc;
}
