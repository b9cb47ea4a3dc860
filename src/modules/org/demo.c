/* SPDX-License-Identifier: MIT
 * org/demo.c - the synthetic district behind --demo: about 100 departments of
 * a Shenzhen district (区委, 区政府 and its bureaus, court, procuratorate, mass
 * organisations, Longgang's 11 streets) and some 4,300 staff with plausible
 * names, county-level ranks, posts and mobile numbers. Everything comes from
 * the static tables below and a splitmix64 generator seeded by the caller, so
 * one seed always gives the same rows.
 */
#include "org.h"
#include "../../base/base.h"
#include "../../base/rng.h"
#include "../../base/err.h"
#include "../../db/db.h"

#include <stdio.h>
#include <string.h>

#define DEMO_TIME 1767225600 /* 2026-01-01T00:00:00Z: created_at/updated_at of every row */
#define PEOPLE_MIN 4050      /* the planned total is pulled into this range */
#define PEOPLE_MAX 4450

/* ---- ranks, kinds, posts ---------------------------------------------- */

/* County-level ranks (ranks.level = 'county'); RK_DEF means "by position". */
enum { RK_DEF, RK_CH, RK_DCH, RK_SH, RK_DSH, RK_BS, RK_N };

static const char *const rank_codes[RK_N] = {
    NULL,           "county_head",         "deputy_county_head",
    "section_head", "deputy_section_head", "below_section",
};

enum { K_PARTY, K_GOV, K_CONGRESS, K_JUDICIAL, K_MASS, K_STREET, K_INST };

static const char *const kind_names[] = {
    "party", "government", "congress", "judicial", "mass", "street", "institution",
};

/* Non-leadership posts (职级) held by staff without a leading post. */
static const char *const rank_posts[RK_N][2] = {
    {NULL, NULL},
    {"一级调研员", "二级调研员"},
    {"三级调研员", "四级调研员"},
    {"一级主任科员", "二级主任科员"},
    {"三级主任科员", "四级主任科员"},
    {NULL, NULL}, /* below section: the flavour's career posts */
};

/* What the rank and file of a department do: posts of contract staff (聘员)
 * and of career staff below section level. */
enum {
    FL_OFFICE,
    FL_POLICE,
    FL_COURT,
    FL_PROC,
    FL_STREET,
    FL_LAW,
    FL_CANTEEN,
    FL_SECURITY,
    FL_PROPERTY,
    FL_SERVICE,
    FL_FLEET,
    FL_WINDOW,
    FL_MEDIA,
    FL_HEALTH,
};

static const struct {
    const char *contract[4];
    const char *career[4];
} flavours[] = {
    [FL_OFFICE] = {{"综合文员", "行政辅助人员", "档案管理员", "驾驶员"},
                   {"一级科员", "二级科员", "科员", "办事员"}},
    [FL_POLICE] = {{"辅警", "辅警", "文职辅警", "综合文员"}, {"民警", "民警", "一级科员", "科员"}},
    [FL_COURT] = {{"书记员", "书记员", "司法辅助人员", "综合文员"},
                  {"审判员", "法官助理", "法官助理", "一级科员"}},
    [FL_PROC] = {{"书记员", "书记员", "司法辅助人员", "综合文员"},
                 {"检察官", "检察官助理", "检察官助理", "一级科员"}},
    [FL_STREET] = {{"网格员", "综合文员", "安全员", "社区专职工作者"},
                   {"一级科员", "二级科员", "科员", "办事员"}},
    [FL_LAW] = {{"执法协管员", "执法协管员", "综合文员", "驾驶员"},
                {"执法队员", "执法队员", "一级科员", "科员"}},
    [FL_CANTEEN] = {{"厨师", "面点师", "帮厨", "收银员"}, {"一级科员", "科员", "办事员", NULL}},
    [FL_SECURITY] = {{"保安员", "保安员", "监控值班员", "消防控制室值班员"},
                     {"一级科员", "科员", "办事员", NULL}},
    [FL_PROPERTY] = {{"物业管理员", "水电维修工", "综合文员", NULL},
                     {"一级科员", "科员", "办事员", NULL}},
    [FL_SERVICE] = {{"服务专员", "健身指导员", "理发师", "讲解员"},
                    {"一级科员", "科员", "办事员", NULL}},
    [FL_FLEET] = {{"驾驶员", "驾驶员", "驾驶员", "车辆调度员"},
                  {"一级科员", "科员", "办事员", NULL}},
    [FL_WINDOW] = {{"窗口服务专员", "窗口服务专员", "导办员", "综合文员"},
                   {"一级科员", "二级科员", "科员", "办事员"}},
    [FL_MEDIA] = {{"记者", "编辑", "摄像", "综合文员"}, {"记者", "编辑", "一级科员", "科员"}},
    [FL_HEALTH] = {{"检验员", "公共卫生辅助员", "综合文员", NULL},
                   {"公共卫生医师", "主管医师", "检验技师", "科员"}},
};

/* Fixed leadership of the district's top bodies and of every street. */
struct post_def {
    const char *post;
    unsigned char rk;
};

static const struct post_def lead_party[] = {
    {"区委书记", RK_CH},
    {"区委副书记", RK_DCH},
    {"区委常委、纪委书记、监委主任", RK_DCH},
    {"区委常委、组织部部长", RK_DCH},
    {"区委常委、宣传部部长", RK_DCH},
    {"区委常委、政法委书记", RK_DCH},
    {"区委常委、统战部部长", RK_DCH},
};
static const struct post_def lead_gov[] = {
    {"区委副书记、区长", RK_CH}, {"区委常委、常务副区长", RK_DCH},
    {"副区长", RK_DCH},          {"副区长", RK_DCH},
    {"副区长", RK_DCH},          {"副区长", RK_DCH},
};
static const struct post_def lead_npc[] = {
    {"区人大常委会主任", RK_CH},
    {"区人大常委会副主任", RK_DCH},
    {"区人大常委会副主任", RK_DCH},
    {"区人大常委会副主任", RK_DCH},
};
static const struct post_def lead_cppcc[] = {
    {"区政协主席", RK_CH},
    {"区政协副主席", RK_DCH},
    {"区政协副主席", RK_DCH},
    {"区政协副主席", RK_DCH},
};
static const struct post_def lead_street[] = {
    {"党工委书记", RK_SH},    {"党工委副书记、办事处主任", RK_SH},
    {"党工委副书记", RK_DSH}, {"办事处副主任", RK_DSH},
    {"办事处副主任", RK_DSH}, {"办事处副主任", RK_DSH},
};

enum { LD_NONE, LD_PARTY, LD_GOV, LD_NPC, LD_CPPCC, LD_STREET };

static const struct {
    const struct post_def *p;
    int n;
} leads[] = {
    [LD_NONE] = {NULL, 0},
    [LD_PARTY] = {lead_party, (int)ARRAY_LEN(lead_party)},
    [LD_GOV] = {lead_gov, (int)ARRAY_LEN(lead_gov)},
    [LD_NPC] = {lead_npc, (int)ARRAY_LEN(lead_npc)},
    [LD_CPPCC] = {lead_cppcc, (int)ARRAY_LEN(lead_cppcc)},
    [LD_STREET] = {lead_street, (int)ARRAY_LEN(lead_street)},
};

/* ---- the departments -------------------------------------------------- */

/* One department, in tree order: a row's parent is the nearest row above it
 * with depth - 1. A unit has a head and deputies (正科/副科 by default), a
 * section (sect) a head and at most one deputy (副科/科级以下); a row with a
 * leadership list (lead) gets exactly those posts first. */
struct dept_def {
    unsigned char depth;    /* 0 top level, 1 unit, 2 section or sub-unit */
    unsigned char kind;     /* K_* */
    unsigned char sect;     /* internal section */
    unsigned char lead;     /* LD_* */
    unsigned char flav;     /* FL_* */
    unsigned char cs;       /* contract staff, percent of the rank and file */
    unsigned char head_rk;  /* RK_DEF: section_head (unit) / deputy_section_head (section) */
    unsigned char dep_rk;   /* RK_DEF: deputy_section_head / below_section */
    unsigned char inactive; /* dissolved: department and its people inactive */
    short size;             /* planned people, varied by ±10 % (0: just the leadership) */
    const char *name, *head, *dep;
};

/* clang-format off */
#define UNIT(d, k, n, nm, h, dp)                                                              \
    {.depth = d, .kind = k, .cs = 10, .size = n, .name = nm, .head = h, .dep = dp}
#define UNITF(d, k, n, nm, h, dp, fl, pc)                                                     \
    {.depth = d, .kind = k, .flav = fl, .cs = pc, .size = n, .name = nm, .head = h, .dep = dp}
#define SECT(d, k, n, nm, h, dp)                                                              \
    {.depth = d, .kind = k, .sect = 1, .cs = 5, .size = n, .name = nm, .head = h, .dep = dp}
#define SECTF(d, k, n, nm, h, dp, fl, pc)                                                     \
    {.depth = d, .kind = k, .sect = 1, .flav = fl, .cs = pc, .size = n, .name = nm,          \
     .head = h, .dep = dp}
#define LEAD(k, ld, nm) {.depth = 0, .kind = k, .lead = ld, .name = nm}
#define COURT(n, nm, h, dp, fl, pc)                                                            \
    {.depth = 0, .kind = K_JUDICIAL, .flav = fl, .cs = pc, .head_rk = RK_DCH,                \
     .dep_rk = RK_SH, .size = n, .name = nm, .head = h, .dep = dp}
#define STREET(n, nm)                                                                          \
    {.depth = 0, .kind = K_STREET, .lead = LD_STREET, .flav = FL_STREET, .cs = 22, .size = n, \
     .name = nm}
#define BUREAU(n, nm) UNIT(1, K_GOV, n, nm, "局长", "副局长")

static const struct dept_def depts[] = {
    LEAD(K_PARTY, LD_PARTY, "区委"),
    UNIT(1, K_PARTY, 40, "区委办公室", "主任", "副主任"),
    SECT(2, K_PARTY, 8, "秘书科", "科长", "副科长"),
    UNIT(2, K_INST, 22, "区档案馆", "馆长", "副馆长"),
    UNIT(1, K_PARTY, 35, "区委组织部", "常务副部长", "副部长"),
    SECT(2, K_PARTY, 10, "干部科", "科长", "副科长"),
    SECT(2, K_PARTY, 10, "组织科", "科长", "副科长"),
    UNIT(1, K_PARTY, 25, "区委宣传部", "常务副部长", "副部长"),
    UNITF(2, K_INST, 70, "区融媒体中心", "主任", "副主任", FL_MEDIA, 30),
    UNIT(1, K_PARTY, 25, "区委统战部", "常务副部长", "副部长"),
    UNIT(1, K_PARTY, 28, "区委政法委", "常务副书记", "副书记"),
    UNIT(1, K_PARTY, 70, "区纪委监委", "常务副书记", "副书记"),
    SECT(2, K_PARTY, 12, "案件审理室", "主任", "副主任"),
    SECT(2, K_PARTY, 14, "第一纪检监察室", "主任", "副主任"),
    UNIT(1, K_PARTY, 14, "区委编办", "主任", "副主任"),
    UNIT(1, K_PARTY, 35, "区委党校", "常务副校长", "副校长"),
    UNIT(1, K_PARTY, 12, "区委机要局", "局长", "副局长"),
    UNIT(1, K_PARTY, 14, "区委政策研究室", "主任", "副主任"),
    UNIT(1, K_PARTY, 22, "区委巡察办", "主任", "副主任"),
    UNIT(1, K_PARTY, 14, "区委网信办", "主任", "副主任"),
    UNIT(1, K_PARTY, 12, "区直属机关工委", "常务副书记", "副书记"),

    LEAD(K_CONGRESS, LD_NPC, "区人大常委会"),
    UNIT(1, K_CONGRESS, 35, "区人大常委会办公室", "主任", "副主任"),

    LEAD(K_GOV, LD_GOV, "区政府"),
    UNIT(1, K_GOV, 50, "区政府办公室", "主任", "副主任"),
    SECT(2, K_GOV, 12, "秘书科", "科长", "副科长"),
    BUREAU(55, "区发展和改革局"),
    BUREAU(85, "区教育局"),
    BUREAU(40, "区科技创新局"),
    BUREAU(45, "区工业和信息化局"),
    UNITF(1, K_GOV, 200, "区公安分局", "局长", "副局长", FL_POLICE, 25),
    SECTF(2, K_GOV, 55, "治安管理大队", "大队长", "副大队长", FL_POLICE, 25),
    SECTF(2, K_GOV, 60, "刑事侦查大队", "大队长", "副大队长", FL_POLICE, 20),
    BUREAU(40, "区民政局"),
    BUREAU(45, "区司法局"),
    BUREAU(55, "区财政局"),
    SECT(2, K_GOV, 10, "预算科", "科长", "副科长"),
    SECT(2, K_GOV, 10, "国库科", "科长", "副科长"),
    SECT(2, K_GOV, 10, "政府采购科", "科长", "副科长"),
    BUREAU(50, "区人力资源局"),
    UNITF(1, K_GOV, 60, "区规划土地监察局", "局长", "副局长", FL_LAW, 20),
    BUREAU(70, "区住房和建设局"),
    BUREAU(50, "区交通运输局"),
    BUREAU(55, "区水务局"),
    BUREAU(50, "区文化广电旅游体育局"),
    BUREAU(55, "区卫生健康局"),
    UNITF(2, K_INST, 90, "区疾病预防控制中心", "主任", "副主任", FL_HEALTH, 20),
    BUREAU(25, "区退役军人事务局"),
    BUREAU(45, "区应急管理局"),
    BUREAU(35, "区审计局"),
    BUREAU(25, "区国有资产监督管理局"),
    BUREAU(110, "区市场监督管理局"),
    BUREAU(25, "区统计局"),
    BUREAU(25, "区医疗保障局"),
    UNITF(1, K_GOV, 90, "区城市管理和综合执法局", "局长", "副局长", FL_LAW, 20),
    SECT(2, K_GOV, 15, "环境卫生科", "科长", "副科长"),
    SECTF(2, K_GOV, 25, "执法监察科", "科长", "副科长", FL_LAW, 40),
    BUREAU(45, "区政务服务数据管理局"),
    UNITF(2, K_INST, 60, "区政务服务中心", "主任", "副主任", FL_WINDOW, 45),
    BUREAU(30, "区机关事务管理局"),
    SECT(2, K_GOV, 10, "办公室", "主任", "副主任"),
    SECT(2, K_GOV, 8, "办公用房管理科", "科长", "副科长"),
    SECTF(2, K_GOV, 40, "公务用车管理科", "科长", "副科长", FL_FLEET, 75),
    SECT(2, K_GOV, 8, "采购管理科", "科长", "副科长"),
    SECT(2, K_GOV, 6, "公共机构节能科", "科长", "副科长"),
    SECTF(2, K_GOV, 60, "机关食堂管理中心", "主任", "副主任", FL_CANTEEN, 80),
    SECTF(2, K_GOV, 30, "安全保卫科", "科长", "副科长", FL_SECURITY, 75),
    SECTF(2, K_GOV, 20, "物业管理科", "科长", "副科长", FL_PROPERTY, 60),
    SECT(2, K_GOV, 8, "财务科", "科长", "副科长"),
    SECTF(2, K_GOV, 20, "党群服务中心", "主任", "副主任", FL_SERVICE, 65),
    BUREAU(25, "区信访局"),
    BUREAU(45, "区城市更新和土地整备局"),
    UNIT(1, K_INST, 30, "区公共资源交易中心", "主任", "副主任"),
    UNIT(1, K_INST, 30, "区投资推广和企业服务中心", "主任", "副主任"),
    {.depth = 1, .kind = K_GOV, .inactive = 1, .size = 3, .name = "区经济促进局",
     .head = "局长", .dep = "副局长"},

    LEAD(K_CONGRESS, LD_CPPCC, "区政协"),
    UNIT(1, K_CONGRESS, 30, "区政协办公室", "主任", "副主任"),

    COURT(120, "区人民法院", "院长", "副院长", FL_COURT, 25),
    SECTF(1, K_JUDICIAL, 20, "立案庭", "庭长", "副庭长", FL_COURT, 30),
    SECTF(1, K_JUDICIAL, 45, "民事审判庭", "庭长", "副庭长", FL_COURT, 30),
    COURT(80, "区人民检察院", "检察长", "副检察长", FL_PROC, 25),
    SECTF(1, K_JUDICIAL, 20, "第一检察部", "主任", "副主任", FL_PROC, 20),

    UNIT(0, K_MASS, 25, "区总工会", "常务副主席", "副主席"),
    UNIT(0, K_MASS, 12, "团区委", "书记", "副书记"),
    UNIT(0, K_MASS, 12, "区妇联", "主席", "副主席"),
    UNIT(0, K_MASS, 12, "区工商联", "党组书记", "副主席"),
    UNIT(0, K_MASS, 10, "区科协", "主席", "副主席"),
    UNIT(0, K_MASS, 18, "区残联", "理事长", "副理事长"),

    STREET(110, "平湖街道办事处"),
    STREET(120, "布吉街道办事处"),
    SECTF(1, K_STREET, 15, "党政综合办公室", "主任", "副主任", FL_STREET, 20),
    SECTF(1, K_STREET, 15, "城市建设办公室", "主任", "副主任", FL_STREET, 20),
    STREET(100, "吉华街道办事处"),
    STREET(120, "坂田街道办事处"),
    STREET(100, "南湾街道办事处"),
    STREET(100, "横岗街道办事处"),
    STREET(80, "园山街道办事处"),
    STREET(120, "龙城街道办事处"),
    SECTF(1, K_STREET, 15, "党政综合办公室", "主任", "副主任", FL_STREET, 20),
    SECTF(1, K_STREET, 15, "公共安全办公室", "主任", "副主任", FL_STREET, 20),
    STREET(100, "龙岗街道办事处"),
    STREET(90, "宝龙街道办事处"),
    STREET(90, "坪地街道办事处"),
};
/* clang-format on */

#define NDEPT ((int)ARRAY_LEN(depts))
#define MAX_DEPTH 3

/* ---- names and numbers ------------------------------------------------ */

/* Surnames weighted by frequency, tilted towards Guangdong (陈, 黄, 林, 梁, 钟, 曾). */
static const struct {
    const char *s;
    short w;
} surnames[] = {
    {"陈", 800}, {"李", 700}, {"张", 620},  {"王", 600}, {"刘", 560}, {"黄", 520}, {"林", 300},
    {"杨", 300}, {"吴", 260}, {"梁", 220},  {"周", 190}, {"罗", 170}, {"赵", 170}, {"曾", 160},
    {"徐", 150}, {"何", 150}, {"谢", 140},  {"孙", 130}, {"朱", 130}, {"胡", 130}, {"郑", 130},
    {"邓", 130}, {"马", 120}, {"郭", 120},  {"钟", 120}, {"高", 110}, {"叶", 110}, {"彭", 100},
    {"唐", 90},  {"许", 90},  {"肖", 90},   {"蔡", 90},  {"宋", 80},  {"冯", 80},  {"赖", 80},
    {"廖", 80},  {"潘", 70},  {"余", 70},   {"苏", 70},  {"韩", 60},  {"曹", 60},  {"田", 60},
    {"袁", 60},  {"卢", 60},  {"温", 60},   {"邱", 60},  {"董", 50},  {"蒋", 50},  {"杜", 50},
    {"程", 50},  {"江", 50},  {"方", 50},   {"邹", 50},  {"于", 40},  {"魏", 40},  {"吕", 40},
    {"丁", 40},  {"任", 40},  {"沈", 40},   {"姚", 40},  {"范", 40},  {"石", 40},  {"熊", 40},
    {"黎", 40},  {"洪", 40},  {"姜", 30},   {"崔", 30},  {"谭", 30},  {"陆", 30},  {"汪", 30},
    {"金", 30},  {"贾", 30},  {"夏", 30},   {"韦", 30},  {"付", 30},  {"白", 30},  {"孟", 30},
    {"秦", 30},  {"汤", 30},  {"严", 30},   {"毛", 30},  {"段", 30},  {"雷", 30},  {"侯", 30},
    {"龚", 30},  {"邵", 30},  {"莫", 30},   {"戴", 30},  {"欧", 20},  {"孔", 20},  {"万", 20},
    {"钱", 20},  {"覃", 20},  {"欧阳", 15}, {"司马", 3}, {"上官", 3}, {"诸葛", 2},
};

/* Common given-name characters (3 bytes of UTF-8 each): male, female, either. */
static const char given_m[] = "伟强磊军洋勇杰涛明超刚建辉力永健鹏飞斌宇浩凯俊帅旭博睿泽昊航志国海"
                              "荣波峰东亮宏振德成坤晖彬祥福兵松森毅锋康翔龙智辰铭逸泉";
static const char given_f[] = "芳娜敏静丽艳娟秀霞桂英玉萍红婷雪琳晶燕玲莉兰凤洁梅琴云莹倩颖慧欣怡"
                              "悦彤诗瑶璐蕾薇丹露琪妍媛娇蓉菲蓓岚珊茜蕊璇婧舒晗";
static const char given_x[] = "平华文帆宁佳思雨嘉子梓涵轩晨鑫然天一晓新春林冬楠瑞立安乐金宝清源亚"
                              "霖锦钰勤";

/* Mainland mobile prefixes (3 digits each). */
static const char phone_prefixes[] = "130131132133134135136137138139150151152153155156157158159166"
                                     "173176177178180181182183184185186187188189191198199";

/* One given-name character for a man (female = 0) or a woman. */
static const char *given_char(struct rng *r, int female)
{
    const char *g = female ? given_f : given_m;
    int ng = (int)(female ? sizeof(given_f) : sizeof(given_m)) / 3;
    int i = rng_below(r, ng + (int)sizeof(given_x) / 3);
    return i < ng ? g + 3 * i : given_x + 3 * (i - ng);
}

/* Writes a name (surname + 1 or 2 characters) into out. */
static void make_name(struct rng *r, int total_w, char *out, size_t n)
{
    int w = rng_below(r, total_w);
    size_t i = 0;
    while (i + 1 < ARRAY_LEN(surnames) && w >= surnames[i].w)
        w -= surnames[i++].w;
    int female = rng_chance(r, 450);
    const char *a = given_char(r, female), *b = given_char(r, female);
    if (rng_chance(r, 250))
        snprintf(out, n, "%s%.3s", surnames[i].s, a);
    else
        snprintf(out, n, "%s%.3s%.3s", surnames[i].s, a, b);
}

/* Writes an 11-digit mainland mobile number into out. */
static void make_phone(struct rng *r, char *out, size_t n)
{
    int p = rng_below(r, (int)(sizeof(phone_prefixes) - 1) / 3);
    snprintf(out, n, "%.3s%08d", phone_prefixes + 3 * p, rng_below(r, 100000000));
}

/* Days from 1970-01-01 to 1 January of year y (y >= 1970). */
static int64_t year_start(int y)
{
    return (int64_t)(y - 1970) * 365 + (y - 1969) / 4 - (y - 1901) / 100 + (y - 1601) / 400;
}

/* First and last year of joining, by rank (index RK_*; RK_DEF = contract staff). */
static const short join_years[RK_N][2] = {
    {2008, 2025}, {1990, 2004}, {1990, 2009}, {1992, 2015}, {1995, 2020}, {2000, 2025},
};

/* ---- planning ----------------------------------------------------------- */

/* Number of deputies of a unit or section with n people (leadership lists aside). */
static int deputies(const struct dept_def *d, int n)
{
    if (d->sect)
        return n >= 8 ? 1 : 0;
    int k = 1 + (n - 1) / 30;
    k = k > 4 ? 4 : k;
    return k > n - 1 ? n - 1 : k;
}

/* The planned size of every department: the table's size varied by ±10 %
 * (leadership posts excepted), at least 2, the total pulled into range. */
static void plan_sizes(struct rng *r, int *sizes)
{
    int total = 0, biggest = 0;
    for (int i = 0; i < NDEPT; i++) {
        int nlead = leads[depts[i].lead].n;
        int base = depts[i].size > nlead ? depts[i].size : nlead;
        int v = (base - nlead) / 10;
        int n = base + (v ? rng_range(r, -v, v) : 0);
        sizes[i] = n < 2 ? 2 : n;
        total += sizes[i];
        if (sizes[i] > sizes[biggest])
            biggest = i;
    }
    if (total < PEOPLE_MIN)
        sizes[biggest] += PEOPLE_MIN - total;
    else if (total > PEOPLE_MAX)
        sizes[biggest] -= total - PEOPLE_MAX;
}

/* The post and rank of person k of department d (n people). Returns 1 when k
 * holds a leading post, 0 for the rank and file. */
static int leading_post(const struct dept_def *d, int n, int k, const char **post, int *rk)
{
    if (d->lead) {
        if (k >= leads[d->lead].n)
            return 0;
        *post = leads[d->lead].p[k].post;
        *rk = leads[d->lead].p[k].rk;
        return 1;
    }
    if (k == 0) {
        *post = d->head;
        *rk = d->head_rk ? d->head_rk : d->sect ? RK_DSH : RK_SH;
        return 1;
    }
    if (k <= deputies(d, n)) {
        *post = d->dep;
        *rk = d->dep_rk ? d->dep_rk : d->sect ? RK_BS : RK_DSH;
        return 1;
    }
    return 0;
}

/* A rank for career staff without a leading post: 调研员 ranks (county_head
 * 1.2 %, deputy_county_head 3.6 %) only in units of the organs themselves, not
 * in sections or public institutions; then 8.5 % 正科, 12.5 % 副科. */
static int draw_rank(struct rng *r, const struct dept_def *d)
{
    int senior = !d->sect && d->kind != K_INST;
    int x = rng_below(r, 1000);
    if (x < 12)
        return senior ? RK_CH : RK_BS;
    if (x < 48)
        return senior ? RK_DCH : RK_BS;
    if (x < 133)
        return RK_SH;
    if (x < 258)
        return RK_DSH;
    return RK_BS;
}

/* Picks one of up to 4 posts (NULL-padded). */
static const char *pick_post(struct rng *r, const char *const *list)
{
    int n = 0;
    while (n < 4 && list[n])
        n++;
    return list[rng_below(r, n)];
}

/* Expected career staff of unit i and its sections (the basis of its 编制). */
static int planned_career(const int *sizes, int i)
{
    int n = sizes[i] * (100 - depts[i].cs) / 100;
    for (int j = i + 1; j < NDEPT && depts[j].depth > depts[i].depth; j++)
        if (depts[j].sect && depts[j].depth == depts[i].depth + 1)
            n += sizes[j] * (100 - depts[j].cs) / 100;
    return n;
}

/* ---- inserts ------------------------------------------------------------ */

static void bind_str(struct db_stmt *st, int idx, const char *s)
{
    if (s)
        db_bind_text(st, idx, s, strlen(s));
    else
        db_bind_null(st, idx);
}

/* Runs a prepared INSERT once; *id receives RETURNING id when id is not NULL. */
static int run_insert(struct db_stmt *st, int64_t *id, struct err *e)
{
    int rc = db_step(st, e);
    if (rc == DB_ROW && id)
        *id = db_col_int(st, 0);
    db_reset(st);
    if (rc < 0)
        return rc;
    if (id && rc != DB_ROW)
        return err_set(e, ERR_DB, NULL, NULL, "INSERT … RETURNING id returned no row");
    return 0;
}

/* Fills rank_ids[RK_*] from the tenant's county-level ranks (0 when missing). */
static int load_ranks(struct db_conn *c, int64_t tenant_id, int64_t *rank_ids, struct err *e)
{
    struct db_stmt *st;
    int rc =
        db_prepare_ints(c, "SELECT id, code FROM ranks WHERE tenant_id = ? AND level = 'county'",
                        DB_INTS(tenant_id), &st, e);
    if (rc)
        return rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
        size_t n;
        const char *code = db_col_text(st, 1, &n);
        for (int i = RK_CH; i < RK_N; i++)
            if (n == strlen(rank_codes[i]) && !memcmp(code, rank_codes[i], n))
                rank_ids[i] = db_col_int(st, 0);
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* Refuses a tenant that already has departments or people. */
static int check_empty(struct db_conn *c, int64_t tenant_id, struct err *e)
{
    int64_t n;
    int rc = db_one_int(c,
                        "SELECT (SELECT COUNT(*) FROM departments WHERE tenant_id = ?) + "
                        "(SELECT COUNT(*) FROM people WHERE tenant_id = ?)",
                        DB_INTS(tenant_id, tenant_id), &n, e);
    if (rc < 0)
        return rc;
    if (n)
        return err_set(e, ERR_CONFLICT, NULL, NULL,
                       "demo data needs an empty tenant; tenant %lld has "
                       "%lld departments and people",
                       (long long)tenant_id, (long long)n);
    return 0;
}

/* Inserts the department tree; ids[i] receives the id of depts[i]. */
static int insert_departments(struct db_conn *c, int64_t tenant_id, struct rng *r, const int *sizes,
                              int64_t *ids, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(c,
                        "INSERT INTO departments (tenant_id, version, created_at, updated_at, "
                        "name, code, parent_id, kind, sort_order, headcount, active) "
                        "VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                        &st, e);
    if (rc)
        return rc;
    int64_t parent[MAX_DEPTH] = {0};
    int sib[MAX_DEPTH] = {0};
    for (int i = 0; i < NDEPT; i++) {
        const struct dept_def *d = &depts[i];
        if (d->depth >= MAX_DEPTH || (d->depth && !parent[d->depth - 1]))
            return err_set(e, ERR_INTERNAL, NULL, NULL, "demo department %d out of tree order", i);
        sib[d->depth]++;
        for (int k = d->depth + 1; k < MAX_DEPTH; k++)
            sib[k] = 0;
        char code[16];
        snprintf(code, sizeof(code), "D%03d", i + 1);
        db_bind_int(st, 1, tenant_id);
        db_bind_int(st, 2, DEMO_TIME);
        db_bind_int(st, 3, DEMO_TIME);
        bind_str(st, 4, d->name);
        bind_str(st, 5, code);
        if (d->depth)
            db_bind_int(st, 6, parent[d->depth - 1]);
        else
            db_bind_null(st, 6);
        bind_str(st, 7, kind_names[d->kind]);
        db_bind_int(st, 8, (int64_t)sib[d->depth] * 10);
        /* 编制 of real units (their sections included); none for leadership bodies */
        if (d->sect || d->inactive || (d->lead && d->lead != LD_STREET)) {
            db_bind_null(st, 9);
        } else {
            int career = planned_career(sizes, i);
            db_bind_int(st, 9, career + rng_range(r, 0, career / 12 + 1));
        }
        db_bind_int(st, 10, !d->inactive);
        rc = run_insert(st, &ids[i], e);
        if (rc)
            return rc;
        parent[d->depth] = ids[i];
        for (int k = d->depth + 1; k < MAX_DEPTH; k++)
            parent[k] = 0;
    }
    return 0;
}

/* Inserts the people of every department. */
static int insert_people(struct db_conn *c, int64_t tenant_id, struct rng *r, const int *sizes,
                         const int64_t *ids, const int64_t *rank_ids, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(c,
                        "INSERT INTO people (tenant_id, version, created_at, updated_at, name, "
                        "staff_no, department_id, rank_id, post, phone, union_member, "
                        "contract_staff, active, joined_on) "
                        "VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        &st, e);
    if (rc)
        return rc;
    int total_w = 0;
    for (size_t i = 0; i < ARRAY_LEN(surnames); i++)
        total_w += surnames[i].w;
    int per_year[2026 - 1990] = {0}; /* staff numbers issued per year of joining */

    for (int i = 0; i < NDEPT; i++) {
        const struct dept_def *d = &depts[i];
        for (int k = 0; k < sizes[i]; k++) {
            const char *post;
            int rk, contract = 0;
            int leader = leading_post(d, sizes[i], k, &post, &rk);
            if (!leader) {
                contract = rng_chance(r, d->cs * 10);
                if (contract) {
                    rk = rng_chance(r, 350) ? RK_BS : RK_DEF;
                    post = pick_post(r, flavours[d->flav].contract);
                } else {
                    rk = draw_rank(r, d);
                    post = rank_posts[rk][0] ? rank_posts[rk][rng_below(r, 2)]
                                             : pick_post(r, flavours[d->flav].career);
                }
            }
            /* joined in the rank's span of years; staff_no = LG + yy + number in that year */
            const short *span = join_years[contract ? RK_DEF : rk];
            int64_t first = year_start(span[0]);
            int64_t day = first + rng_below(r, (int)(year_start(span[1] + 1) - first));
            int year = span[0];
            while (year_start(year + 1) <= day)
                year++;
            char joined[16], name[32], staff_no[24], phone[16];
            date_format(day, joined, sizeof(joined));
            snprintf(staff_no, sizeof(staff_no), "LG%02d%04d", year % 100, ++per_year[year - 1990]);
            make_name(r, total_w, name, sizeof(name));
            make_phone(r, phone, sizeof(phone));
            int has_phone = rng_chance(r, 985);
            int active = d->inactive ? 0 : leader ? 1 : !rng_chance(r, 20);
            int union_member = rng_chance(r, contract ? 850 : 960);

            db_bind_int(st, 1, tenant_id);
            db_bind_int(st, 2, DEMO_TIME);
            db_bind_int(st, 3, DEMO_TIME);
            bind_str(st, 4, name);
            bind_str(st, 5, staff_no);
            db_bind_int(st, 6, ids[i]);
            if (rk != RK_DEF && rank_ids[rk])
                db_bind_int(st, 7, rank_ids[rk]);
            else
                db_bind_null(st, 7);
            bind_str(st, 8, post);
            bind_str(st, 9, has_phone ? phone : NULL);
            db_bind_int(st, 10, union_member);
            db_bind_int(st, 11, contract);
            db_bind_int(st, 12, active);
            bind_str(st, 13, joined);
            rc = run_insert(st, NULL, e);
            if (rc)
                return rc;
        }
    }
    return 0;
}

int org_demo(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e)
{
    struct rng r = {seed};
    int64_t rank_ids[RK_N] = {0};
    int64_t ids[NDEPT];
    int sizes[NDEPT];
    int rc = check_empty(c, tenant_id, e);
    if (!rc)
        rc = load_ranks(c, tenant_id, rank_ids, e);
    if (rc)
        return rc;
    plan_sizes(&r, sizes);
    rc = insert_departments(c, tenant_id, &r, sizes, ids, e);
    if (!rc)
        rc = insert_people(c, tenant_id, &r, sizes, ids, rank_ids, e);
    return rc;
}
