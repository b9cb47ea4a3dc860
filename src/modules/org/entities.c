/* SPDX-License-Identifier: MIT
 * org/entities.c - the organisation: tenants (one per bureau), departments
 * (a tree), ranks (职级, seeded from the national office-area standard and
 * editable per tenant) and people (staff).
 */
#include "calendar.h"
#include "org.h"

#include <stddef.h>

static const struct res_enum admin_levels[] = {
    {"central", "中央", "Central"},
    {"provincial", "省级", "Provincial"},
    {"municipal", "市级", "Municipal"},
    {"county", "县级", "County"},
    {0},
};

static const struct res_enum name_orders[] = {
    {"pinyin", "按拼音", "By pinyin"},
    {"stroke", "按笔画", "By strokes"},
    {0},
};

static const struct res_field tenant_fields[] = {
    {.name = "name", .type = RES_TEXT, .zh = "名称", .en = "Name", .required = 1, .max_len = 100,
     .list = 1, .search = 1, .sort = 1},
    {.name = "code", .type = RES_TEXT, .zh = "代码", .en = "Code", .required = 1, .unique = 1,
     .max_len = 32, .pattern = "^[a-z0-9][a-z0-9_-]*$", .list = 1},
    {.name = "admin_level", .type = RES_ENUM, .zh = "行政层级", .en = "Administrative level",
     .values = admin_levels, .dflt = "county", .required = 1, .list = 1, .filter = 1},
    {.name = "utc_offset_min", .type = RES_INT, .zh = "时区偏移(分钟)", .en = "UTC offset (min)",
     .dflt = "480", .required = 1, .has_min = 1, .min = -720, .has_max = 1, .max = 840},
    /* the working calendar's hours (calendar.h); days come from calendar_days */
    {.name = "work_hours", .type = RES_TEXT, .zh = "工作时间", .en = "Working hours",
     .dflt = "09:00-12:00,14:00-18:00", .required = 1, .max_len = 80,
     .pattern = "^[0-9:,-]+$", .since = 2},
    /* how lists sort names: by pinyin, or by strokes where a bureau's lists must (笔画) */
    {.name = "name_order", .type = RES_ENUM, .values = name_orders, .zh = "姓名排序",
     .en = "Name order", .dflt = "pinyin", .required = 1, .since = 4},
    {0},
};

const struct res_entity org_tenants = {
    .name = "tenants", .zh = "单位租户", .en = "Tenants", .module = "org",
    .fields = tenant_fields, .title = "name", .global = 1, .no_delete = 1,
    .before_write = org_tenant_before_write, .after_write = org_tenant_after_write,
};

static const struct res_enum dept_kinds[] = {
    {"party", "党委部门", "Party"},
    {"government", "政府部门", "Government"},
    {"congress", "人大政协", "Congress and CPPCC"},
    {"judicial", "政法机关", "Judicial"},
    {"mass", "群团组织", "Mass organisation"},
    {"street", "街道", "Sub-district"},
    {"institution", "事业单位", "Public institution"},
    {"other", "其他", "Other"},
    {0},
};

static const struct res_field department_fields[] = {
    {.name = "name", .type = RES_TEXT, .zh = "名称", .en = "Name", .required = 1, .max_len = 100,
     .list = 1, .search = 1, .sort = 1},
    {.name = "code", .type = RES_TEXT, .zh = "编码", .en = "Code", .unique = 1, .max_len = 32,
     .pattern = "^[A-Za-z0-9_.-]+$", .list = 1, .search = 1, .sort = 1},
    {.name = "parent_id", .type = RES_REF, .ref = "departments", .zh = "上级部门",
     .en = "Parent", .list = 1, .widget = "dept-tree"},
    {.name = "kind", .type = RES_ENUM, .values = dept_kinds, .zh = "类别", .en = "Kind",
     .dflt = "government", .required = 1, .filter = 1, .list = 1},
    {.name = "sort_order", .type = RES_INT, .zh = "排序", .en = "Order", .dflt = "0",
     .required = 1, .sort = 1, .has_min = 1, .min = 0, .has_max = 1, .max = 1000000},
    {.name = "headcount", .type = RES_INT, .zh = "编制人数", .en = "Established posts",
     .has_min = 1, .min = 0, .has_max = 1, .max = 1000000, .filter = 1},
    {.name = "active", .type = RES_BOOL, .zh = "启用", .en = "Active", .dflt = "true",
     .required = 1, .filter = 1, .list = 1},
    {0},
};

const struct res_entity org_departments = {
    .name = "departments", .zh = "部门", .en = "Departments", .module = "org",
    .fields = department_fields, .title = "name", .parent = "parent_id",
    .default_sort = "sort_order", .dept_field = "id",
};

static const struct res_field rank_fields[] = {
    {.name = "level", .type = RES_ENUM, .values = admin_levels, .zh = "层级", .en = "Level",
     .required = 1, .filter = 1, .list = 1},
    {.name = "code", .type = RES_TEXT, .zh = "代码", .en = "Code", .required = 1, .max_len = 40,
     .pattern = "^[a-z][a-z0-9_]*$", .list = 1, .filter = 1},
    {.name = "name", .type = RES_TEXT, .zh = "职级", .en = "Rank", .required = 1, .max_len = 40,
     .list = 1, .search = 1},
    {.name = "max_office_m2", .type = RES_DECIMAL, .scale = 2, .zh = "办公室面积上限(㎡)",
     .en = "Office area limit (m²)", .required = 1, .has_min = 1, .min = 0, .has_max = 1,
     .max = 100000, .list = 1},
    {.name = "sort_order", .type = RES_INT, .zh = "排序", .en = "Order", .dflt = "0",
     .required = 1, .sort = 1},
    {.name = "source", .type = RES_TEXT, .zh = "依据", .en = "Source", .max_len = 200},
    {0},
};

static const char *const rank_uniques[] = {"level,code", NULL};

const struct res_entity org_ranks = {
    .name = "ranks", .zh = "职级", .en = "Ranks", .module = "org", .fields = rank_fields,
    .title = "name", .uniques = rank_uniques, .default_sort = "sort_order",
};

static const struct res_field person_fields[] = {
    {.name = "name", .type = RES_TEXT, .zh = "姓名", .en = "Name", .required = 1, .max_len = 50,
     .list = 1, .search = 1, .sort = 1},
    {.name = "staff_no", .type = RES_TEXT, .zh = "工号", .en = "Staff number", .unique = 1,
     .max_len = 32, .pattern = "^[A-Za-z0-9_-]+$", .list = 1, .search = 1, .sort = 1},
    {.name = "department_id", .type = RES_REF, .ref = "departments", .zh = "部门",
     .en = "Department", .required = 1, .list = 1, .widget = "dept-tree"},
    {.name = "rank_id", .type = RES_REF, .ref = "ranks", .zh = "职级", .en = "Rank", .list = 1},
    {.name = "post", .type = RES_TEXT, .zh = "职务", .en = "Post", .max_len = 60, .list = 1,
     .search = 1},
    {.name = "phone", .type = RES_TEXT, .zh = "手机号", .en = "Mobile", .max_len = 20,
     .format = "mobile", .widget = "phone"},
    {.name = "union_member", .type = RES_BOOL, .zh = "工会会员", .en = "Union member",
     .dflt = "true", .required = 1, .filter = 1},
    {.name = "contract_staff", .type = RES_BOOL, .zh = "聘员", .en = "Contract staff",
     .dflt = "false", .required = 1, .filter = 1, .list = 1},
    {.name = "active", .type = RES_BOOL, .zh = "在职", .en = "Active", .dflt = "true",
     .required = 1, .filter = 1},
    {.name = "joined_on", .type = RES_DATE, .zh = "入职日期", .en = "Joined", .sort = 1,
     .filter = 1},
    {0},
};

/* a department's staff, by name or by seniority: the lists people open most */
static const char *const person_indexes[] = {"department_id,name", "department_id,joined_on",
                                             NULL};

const struct res_entity org_people = {
    .name = "people", .zh = "人员", .en = "People", .module = "org", .fields = person_fields,
    .title = "name", .dept_field = "department_id", .indexes = person_indexes,
    .before_write = org_person_before_write,
};

static const struct res_enum day_kinds[] = {
    {"off", "放假", "Day off"},
    {"workday", "调休上班", "Working day"},
    {0},
};

static const struct res_field calendar_day_fields[] = {
    {.name = "date", .type = RES_DATE, .zh = "日期", .en = "Date", .required = 1, .unique = 1,
     .list = 1, .sort = 1, .filter = 1},
    {.name = "kind", .type = RES_ENUM, .values = day_kinds, .zh = "类型", .en = "Kind",
     .required = 1, .list = 1, .filter = 1},
    {.name = "name", .type = RES_TEXT, .zh = "名称", .en = "Name", .max_len = 40, .list = 1,
     .search = 1},
    {.name = "source", .type = RES_TEXT, .zh = "依据", .en = "Source", .max_len = 200},
    {0},
};

/* the exceptions to Monday-to-Friday: holidays and adjusted working days */
const struct res_entity org_calendar_days = {
    .name = "calendar_days", .zh = "节假日与调休", .en = "Holidays and adjusted days",
    .module = "org", .fields = calendar_day_fields, .title = "date", .default_sort = "date",
    .forget = cal_forget, .after_write = org_calendar_after_write, .since = 2,
};
