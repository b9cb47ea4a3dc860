/* SPDX-License-Identifier: MIT
 * procure/entities.c - the tenant's procurement settings: thresholds, legal
 * periods, price weights and committee sizes as rows a tenant may change
 * (seeded from shared/domain/procurement_rules.csv by seed.c, each with its
 * source). The other collections are declared by their parts.
 */
#include "procure.h"
#include "../../engine/setting.h"

#include <stddef.h>

static const struct res_enum setting_names[] = {
    {"tender_threshold_fen", "货物服务公开招标数额标准(分)",
     "Public tender threshold, goods and services (fen)"},
    {"decentral_limit_fen", "货物服务分散采购限额标准(分)",
     "Decentralised procurement limit, goods and services (fen)"},
    {"decentral_works_fen", "工程分散采购限额标准(分)", "Decentralised procurement limit, works (fen)"},
    {"price_weight_goods_pct", "综合评分法货物项目价格分值最低比重(%)",
     "Price weight floor, goods (%)"},
    {"price_weight_services_pct", "综合评分法服务项目价格分值最低比重(%)",
     "Price weight floor, services (%)"},
    {"committee_min", "招标评标委员会最少人数(单数)", "Tender committee: minimum members (odd)"},
    {"committee_min_large", "大额项目评标委员会最少人数(单数)",
     "Large tender committee: minimum members (odd)"},
    {"committee_large_fen", "大额项目预算标准(分)", "Large project budget (fen)"},
    {"committee_min_other", "谈判磋商询价小组最少人数(单数)",
     "Negotiation/consultation/enquiry panel: minimum members (odd)"},
    {"recusal_years", "专家回避追溯年限", "Expert recusal look-back (years)"},
    {"recent_draw_months", "同一采购人近期已抽取专家排除月数(0不限)",
     "Exclude experts drawn for the same purchaser within (months, 0 = off)"},
    {"bid_period_days", "招标文件发出至投标截止最少天数", "Bid period: minimum days"},
    {"tender_notice_wd", "招标公告期限(工作日)", "Tender notice period (working days)"},
    {"result_notice_wd", "中标结果公告期限(工作日)", "Result notice period (working days)"},
    {"complaint_wd", "质疑期限(工作日)", "Complaint window (working days)"},
    {"complaint_reply_wd", "质疑答复期限(工作日)", "Complaint reply (working days)"},
    {"contract_days", "中标通知后签订合同期限(天)", "Contract signed within (days)"},
    {"contract_publish_wd", "合同签订后公告期限(工作日)", "Contract published within (working days)"},
    {"abnormal_low_pct", "报价低于其他有效报价平均值该比例时提示异常低价(%)",
     "Abnormally low price: below this share of the others' mean (%)"},
    {0},
};

static const struct res_field setting_fields[] = {
    {.name = "name",
     .type = RES_ENUM,
     .values = setting_names,
     .zh = "设置项",
     .en = "Setting",
     .required = 1,
     .list = 1,
     .filter = 1},
    {.name = "value",
     .type = RES_INT,
     .zh = "值",
     .en = "Value",
     .required = 1,
     .has_min = 1,
     .min = 0,
     .has_max = 1,
     .max = 100000000000000LL,
     .list = 1},
    {.name = "note", .type = RES_TEXT, .zh = "依据与说明", .en = "Source and note", .max_len = 500},
    {0},
};

const struct res_entity pc_settings = {
    .since = PC_SINCE,
    .name = "procurement_settings",
    .zh = "采购设置",
    .en = "Procurement settings",
    .module = "procure",
    .fields = setting_fields,
    .title = "name",
};

int64_t pc_setting(struct req *r, struct db_conn *c, const char *name, int64_t dflt)
{
    return setting_int(r, c, &pc_settings, name, dflt, SETTING_NEWEST);
}
