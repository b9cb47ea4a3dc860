/* SPDX-License-Identifier: MIT
 * canteen/safety_entities.c - the food-safety records (RULES.md §5), one
 * collection a kind of record (REQUIREMENTS' food_safety_records): their
 * fields, retention and checks differ, and each is what an inspector asks
 * to see by itself.
 *
 * - food_deliveries 进货查验记录 (食品安全法 第50、53条): the supplier's
 *   licence and the product's conformity certificate are required, an
 *   expired product is not accepted, the record is kept until 6 months
 *   after the shelf life ends (24 months without one) and cannot be deleted
 *   before;
 * - food_samples 留样 (GB 31654-2021): at least sample_min_g (125 g) a dish,
 *   kept sample_hours (48 h); discarded early only with a reason, which
 *   tells the canteen managers;
 * - health_certificates 健康证明 (第45条): valid a year;
 * - food_inspections: self-checks and the regulator's, with findings, a
 *   rectification deadline and the rectify step.
 */
#include "canteen.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/report.h"
#include "../../engine/workflow.h"
#include "../notify/notify.h"

#include <stdio.h>
#include <string.h>

#define SINCE CT_SINCE

static int delivery_before_write(struct res_write *w);
static int sample_before_write(struct res_write *w);
static int cert_before_write(struct res_write *w);
static int inspection_before_write(struct res_write *w);
static int discard_check(struct wf *w);
static int discard_then(struct wf *w);

#define CANTEEN_REF                                                                                \
    {                                                                                              \
        .name = "canteen_id", .type = RES_REF, .ref = "canteens", .zh = "食堂", .en = "Canteen",   \
        .required = 1, .list = 1, .filter = 1                                                      \
    }

/* ---- deliveries 进货查验 ---- */

static const struct res_enum delivery_results[] = {
    {"accepted", "验收合格", "Accepted"},
    {"rejected", "拒收", "Rejected"},
    {0},
};

static const struct res_field delivery_fields[] = {
    CANTEEN_REF,
    {.name = "delivered_on",
     .type = RES_DATE,
     .zh = "进货日期",
     .en = "Delivered on",
     .required = 1,
     .list = 1,
     .filter = 1,
     .sort = 1},
    {.name = "supplier_name",
     .type = RES_TEXT,
     .zh = "供货者名称",
     .en = "Supplier",
     .required = 1,
     .max_len = 100,
     .list = 1,
     .search = 1},
    {.name = "supplier_licence",
     .type = RES_TEXT,
     .zh = "供货者许可证编号",
     .en = "Supplier's licence no.",
     .required = 1,
     .max_len = 60},
    {.name = "supplier_contact",
     .type = RES_TEXT,
     .zh = "供货者地址及联系方式",
     .en = "Supplier's address and contact",
     .max_len = 200},
    {.name = "product",
     .type = RES_TEXT,
     .zh = "食品名称",
     .en = "Product",
     .required = 1,
     .max_len = 100,
     .list = 1,
     .search = 1},
    {.name = "spec", .type = RES_TEXT, .zh = "规格", .en = "Specification", .max_len = 60},
    {.name = "quantity",
     .type = RES_DECIMAL,
     .scale = 2,
     .zh = "数量",
     .en = "Quantity",
     .required = 1,
     .has_min = 1,
     .min = 1,
     .has_max = 1,
     .max = 100000000,
     .list = 1},
    {.name = "unit",
     .type = RES_TEXT,
     .zh = "单位",
     .en = "Unit",
     .required = 1,
     .max_len = 10,
     .list = 1},
    {.name = "batch", .type = RES_TEXT, .zh = "生产批号", .en = "Batch", .max_len = 60},
    {.name = "production_date", .type = RES_DATE, .zh = "生产日期", .en = "Produced on"},
    {.name = "shelf_life_days",
     .type = RES_INT,
     .zh = "保质期(天)",
     .en = "Shelf life (days)",
     .has_min = 1,
     .min = 1,
     .has_max = 1,
     .max = 3650},
    {.name = "expires_on",
     .type = RES_DATE,
     .zh = "保质期至",
     .en = "Use by",
     .readonly = 1,
     .list = 1},
    {.name = "certificate_no",
     .type = RES_TEXT,
     .zh = "合格证明编号",
     .en = "Conformity certificate no.",
     .max_len = 60},
    {.name = "certificate_file",
     .type = RES_INT,
     .zh = "合格证明文件",
     .en = "Conformity certificate file",
     .has_min = 1,
     .min = 1},
    {.name = "checked_by",
     .type = RES_TEXT,
     .zh = "查验人",
     .en = "Checked by",
     .required = 1,
     .max_len = 40,
     .list = 1},
    {.name = "result",
     .type = RES_ENUM,
     .values = delivery_results,
     .zh = "查验结果",
     .en = "Result",
     .required = 1,
     .dflt = "accepted",
     .list = 1,
     .filter = 1,
     .noindex = 1},
    {.name = "note", .type = RES_TEXT, .zh = "说明", .en = "Note", .max_len = 500},
    {.name = "keep_until", .type = RES_DATE, .zh = "记录保存至", .en = "Kept until", .readonly = 1},
    {0},
};

static const char *const delivery_indexes[] = {"canteen_id,delivered_on", NULL};

const struct res_entity ct_deliveries = {
    .since = SINCE,
    .name = "food_deliveries",
    .zh = "进货查验记录",
    .en = "Food deliveries",
    .module = "canteen",
    .fields = delivery_fields,
    .title = "product",
    .default_sort = "-delivered_on",
    .indexes = delivery_indexes,
    .before_write = delivery_before_write,
};

/* ---- samples 留样 ---- */

static const struct res_enum sample_statuses[] = {
    {"kept", "留存中", "Kept"},
    {"discarded", "已处理", "Discarded"},
    {0},
};

static const struct res_field sample_fields[] = {
    CANTEEN_REF,
    {.name = "day",
     .type = RES_DATE,
     .zh = "日期",
     .en = "Day",
     .required = 1,
     .list = 1,
     .filter = 1,
     .sort = 1},
    {.name = "meal",
     .type = RES_ENUM,
     .values = ct_meals,
     .zh = "餐次",
     .en = "Meal",
     .required = 1,
     .list = 1,
     .filter = 1,
     .noindex = 1},
    {.name = "dish",
     .type = RES_TEXT,
     .zh = "菜品",
     .en = "Dish",
     .required = 1,
     .max_len = 60,
     .list = 1,
     .search = 1},
    {.name = "weight_g",
     .type = RES_INT,
     .zh = "留样量(克)",
     .en = "Weight (g)",
     .required = 1,
     .has_min = 1,
     .min = 1,
     .has_max = 1,
     .max = 10000,
     .list = 1},
    {.name = "taken_at",
     .type = RES_DATETIME,
     .zh = "留样时间",
     .en = "Taken at",
     .required = 1,
     .list = 1},
    {.name = "taken_by",
     .type = RES_TEXT,
     .zh = "留样人",
     .en = "Taken by",
     .required = 1,
     .max_len = 40,
     .list = 1},
    {.name = "fridge", .type = RES_TEXT, .zh = "留样冰箱", .en = "Refrigerator", .max_len = 40},
    {.name = "keep_until",
     .type = RES_DATETIME,
     .zh = "留存至",
     .en = "Keep until",
     .readonly = 1,
     .list = 1},
    {.name = "status",
     .type = RES_ENUM,
     .values = sample_statuses,
     .zh = "状态",
     .en = "Status",
     .required = 1,
     .readonly = 1,
     .dflt = "kept",
     .list = 1,
     .filter = 1,
     .noindex = 1},
    {.name = "discarded_at",
     .type = RES_DATETIME,
     .zh = "处理时间",
     .en = "Discarded at",
     .readonly = 1},
    {.name = "discarded_by",
     .type = RES_REF,
     .ref = "users",
     .zh = "处理人",
     .en = "Discarded by",
     .readonly = 1},
    {.name = "discard_reason",
     .type = RES_TEXT,
     .zh = "提前处理原因",
     .en = "Reason",
     .readonly = 1,
     .max_len = 500},
    {.name = "discarded_early",
     .type = RES_BOOL,
     .zh = "提前处理",
     .en = "Discarded early",
     .readonly = 1,
     .dflt = "false",
     .filter = 1,
     .noindex = 1},
    {0},
};

static const char *const sample_indexes[] = {"canteen_id,day", NULL};
static const struct res_flow sample_flow = {.state = "status"};

static const struct res_action sample_steps[] = {
    {.name = "discard",
     .zh = "处理留样",
     .en = "Discard",
     .body = wf_reason_optional,
     .from = WF_STATES("kept"),
     .to = "discarded",
     .now = WF_FIELDS("discarded_at"),
     .by = "discarded_by",
     .text_into = "discard_reason",
     .check = discard_check,
     .then = discard_then},
    {0},
};

const struct res_entity ct_samples = {
    .since = SINCE,
    .name = "food_samples",
    .zh = "留样记录",
    .en = "Food samples",
    .module = "canteen",
    .fields = sample_fields,
    .title = "dish",
    .default_sort = "-taken_at",
    .indexes = sample_indexes,
    .actions = sample_steps,
    .flow = &sample_flow,
    .no_delete = 1,
    .before_write = sample_before_write,
};

/* ---- health certificates 健康证明 ---- */

static const struct res_enum cert_stages[] = {
    {"valid", "有效", "Valid"},
    {"expiring", "即将到期", "Expiring"},
    {"expired", "已过期", "Expired"},
    {0},
};

static const struct res_field cert_fields[] = {
    CANTEEN_REF,
    {.name = "worker_name",
     .type = RES_TEXT,
     .zh = "从业人员",
     .en = "Worker",
     .required = 1,
     .max_len = 40,
     .list = 1,
     .search = 1},
    {.name = "person_id",
     .type = RES_REF,
     .ref = "people",
     .zh = "人员档案",
     .en = "Person",
     .filter = 1},
    {.name = "post", .type = RES_TEXT, .zh = "岗位", .en = "Post", .max_len = 40, .list = 1},
    {.name = "certificate_no",
     .type = RES_TEXT,
     .zh = "健康证明编号",
     .en = "Certificate no.",
     .required = 1,
     .unique = 1,
     .max_len = 40,
     .list = 1,
     .search = 1},
    {.name = "issued_on",
     .type = RES_DATE,
     .zh = "发证日期",
     .en = "Issued on",
     .required = 1,
     .list = 1},
    {.name = "expires_on",
     .type = RES_DATE,
     .zh = "有效期至",
     .en = "Valid until",
     .list = 1,
     .filter = 1,
     .sort = 1},
    {.name = "alert_stage",
     .type = RES_ENUM,
     .values = cert_stages,
     .zh = "提醒状态",
     .en = "Alert stage",
     .readonly = 1,
     .dflt = "valid",
     .filter = 1,
     .noindex = 1},
    {.name = "note", .type = RES_TEXT, .zh = "说明", .en = "Note", .max_len = 500},
    {0},
};

const struct res_entity ct_certificates = {
    .since = SINCE,
    .name = "health_certificates",
    .zh = "健康证明",
    .en = "Health certificates",
    .module = "canteen",
    .fields = cert_fields,
    .title = "worker_name",
    .default_sort = "expires_on",
    .before_write = cert_before_write,
};

/* ---- inspections ---- */

static const struct res_enum inspection_kinds[] = {
    {"self", "自查", "Self-inspection"},
    {"regulator", "监管部门检查", "Regulator's inspection"},
    {0},
};

static const struct res_enum inspection_results[] = {
    {"pass", "合格", "Pass"},
    {"rectify", "限期整改", "Rectify"},
    {"fail", "不合格", "Fail"},
    {0},
};

static const struct res_enum inspection_statuses[] = {
    {"open", "待整改", "Open"},
    {"rectified", "已整改", "Rectified"},
    {"closed", "无需整改", "Closed"},
    {0},
};

static const struct res_field inspection_fields[] = {
    CANTEEN_REF,
    {.name = "day",
     .type = RES_DATE,
     .zh = "检查日期",
     .en = "Day",
     .required = 1,
     .list = 1,
     .filter = 1,
     .sort = 1},
    {.name = "kind",
     .type = RES_ENUM,
     .values = inspection_kinds,
     .zh = "检查类型",
     .en = "Kind",
     .required = 1,
     .dflt = "self",
     .list = 1,
     .filter = 1,
     .noindex = 1},
    {.name = "inspector",
     .type = RES_TEXT,
     .zh = "检查人/单位",
     .en = "Inspector",
     .required = 1,
     .max_len = 60,
     .list = 1},
    {.name = "findings",
     .type = RES_TEXT,
     .zh = "检查发现",
     .en = "Findings",
     .max_len = 2000,
     .widget = "textarea",
     .search = 1},
    {.name = "result",
     .type = RES_ENUM,
     .values = inspection_results,
     .zh = "结论",
     .en = "Result",
     .required = 1,
     .list = 1,
     .filter = 1,
     .noindex = 1},
    {.name = "rectify_by", .type = RES_DATE, .zh = "整改期限", .en = "Rectify by", .list = 1},
    {.name = "status",
     .type = RES_ENUM,
     .values = inspection_statuses,
     .zh = "状态",
     .en = "Status",
     .readonly = 1,
     .dflt = "open",
     .list = 1,
     .filter = 1,
     .noindex = 1},
    {.name = "rectified_at",
     .type = RES_DATETIME,
     .zh = "整改完成时间",
     .en = "Rectified at",
     .readonly = 1},
    {.name = "rectify_note",
     .type = RES_TEXT,
     .zh = "整改情况",
     .en = "Rectification",
     .readonly = 1,
     .max_len = 500},
    {0},
};

static const struct res_flow inspection_flow = {.state = "status"};

static const struct res_action inspection_steps[] = {
    {.name = "rectify",
     .zh = "整改完成",
     .en = "Rectified",
     .body = wf_reason,
     .from = WF_STATES("open"),
     .to = "rectified",
     .now = WF_FIELDS("rectified_at"),
     .text_into = "rectify_note"},
    {0},
};

const struct res_entity ct_inspections = {
    .since = SINCE,
    .name = "food_inspections",
    .zh = "食品安全检查",
    .en = "Food safety inspections",
    .module = "canteen",
    .fields = inspection_fields,
    .title = "day",
    .default_sort = "-day",
    .actions = inspection_steps,
    .flow = &inspection_flow,
    .no_delete = 1,
    .before_write = inspection_before_write,
};

/* ---- the rules ---- */

static int day_of(json_t *rec, const char *k, int64_t *d)
{
    const char *s = wf_str(rec, k);
    return s && !date_parse(s, strlen(s), d);
}

static void set_day(json_t *rec, const char *k, int64_t d)
{
    char s[16];
    date_format(d, s, sizeof(s));
    json_object_set_new(rec, k, json_string(s));
}

static int delivery_before_write(struct res_write *w)
{
    int64_t today = report_today(w->r), d, p, keep;
    if (!w->rec) { /* a delete: only after the legal retention */
        if (day_of(w->old, "keep_until", &keep) && today <= keep)
            return err_set(w->e, ERR_CONFLICT, NULL, "canteen.delivery.retention",
                           "the record is kept until {keep_until}%s (食品安全法第50条)",
                           wf_str(w->old, "keep_until"));
        return 0;
    }
    if (!day_of(w->rec, "delivered_on", &d))
        return 0; /* the field checks refuse it */
    const char *cno = wf_str(w->rec, "certificate_no");
    if ((!cno || !*cno) && !wf_has(w->rec, "certificate_file")) {
        err_field(w->e, "certificate_no", "canteen.delivery.certificate",
                  "the product's conformity certificate (its number or a file) is required "
                  "(食品安全法第53条)");
        return err_invalid(w->e);
    }
    const char *lic = wf_str(w->rec, "supplier_licence");
    if (!lic || !*lic) {
        err_field(w->e, "supplier_licence", "canteen.delivery.licence",
                  "the supplier's licence number is required (食品安全法第53条)");
        return err_invalid(w->e);
    }
    int has_shelf = wf_has(w->rec, "shelf_life_days");
    int64_t last = 0;
    if (has_shelf) {
        if (!day_of(w->rec, "production_date", &p)) {
            err_field(w->e, "production_date", "field.required", "is required with a shelf life");
            return err_invalid(w->e);
        }
        if (p > d) {
            err_field(w->e, "production_date", "canteen.delivery.produced_later",
                      "produced after it was delivered");
            return err_invalid(w->e);
        }
        last = ct_product_expiry(p, wf_int(w->rec, "shelf_life_days"));
        set_day(w->rec, "expires_on", last);
        if (last < d && wf_is(wf_str(w->rec, "result"), "accepted")) {
            char s[16];
            date_format(last, s, sizeof(s));
            err_field(w->e, "production_date", "canteen.delivery.expired",
                      "the product expired on {expires_on}%s: it cannot be accepted", s);
            return err_invalid(w->e);
        }
    } else {
        json_object_set_new(w->rec, "expires_on", json_null());
    }
    int after =
        (int)ct_setting(w->r, w->c, "keep_after_expiry_months", CT_KEEP_AFTER_EXPIRY_MONTHS);
    int none = (int)ct_setting(w->r, w->c, "keep_no_shelf_months", CT_KEEP_NO_SHELF_MONTHS);
    keep = ct_delivery_keep_until(d, last, has_shelf, after, none);
    /* a record is never kept less than it was promised */
    int64_t old_keep;
    if (w->old && day_of(w->old, "keep_until", &old_keep) && old_keep > keep)
        keep = old_keep;
    set_day(w->rec, "keep_until", keep);
    return 0;
}

static int sample_before_write(struct res_write *w)
{
    if (!w->rec || w->r->server_write)
        return 0;
    if (w->old && !wf_is(wf_str(w->old, "status"), "kept"))
        return err_set(w->e, ERR_CONFLICT, NULL, "canteen.sample.discarded",
                       "a discarded sample's record is not changed");
    int64_t min = ct_setting(w->r, w->c, "sample_min_g", CT_SAMPLE_MIN_G);
    int64_t g = wf_int(w->rec, "weight_g");
    if (wf_has(w->rec, "weight_g") && g < min) {
        err_field(w->e, "weight_g", "canteen.sample.short",
                  "{weight_g}%lld g is less than the {min_g}%lld g a dish needs (GB 31654-2021)",
                  (long long)g, (long long)min);
        return err_invalid(w->e);
    }
    int64_t taken = wf_time(w->rec, "taken_at");
    if (taken) {
        int64_t hours = ct_setting(w->r, w->c, "sample_hours", CT_SAMPLE_HOURS);
        json_object_set_new(w->rec, "keep_until", wf_time_json(w->r, taken + hours * 3600));
    }
    return 0;
}

static int discard_check(struct wf *w)
{
    int64_t until = wf_time(w->rec, "keep_until");
    int early = until && clock_now() < until;
    if (early && !w->text) {
        char t[40];
        json_t *j = wf_time_json(w->r, until);
        snprintf(t, sizeof(t), "%s", json_string_value(j) ? json_string_value(j) : "");
        json_decref(j);
        return wf_invalid(w, "reason", "canteen.sample.early_reason",
                          "the sample is kept until {keep_until}%s: a reason is required to "
                          "discard it earlier",
                          t);
    }
    json_object_set_new(w->patch, "discarded_early", json_boolean(early));
    w->count = early;
    return 0;
}

static int discard_then(struct wf *w)
{
    if (!w->count)
        return 0;
    char title[200];
    snprintf(title, sizeof(title), "留样提前处理：%s %s", wf_str(w->rec, "day"),
             wf_str(w->rec, "dish"));
    return notify_role(w->r, w->c, "canteen_manager", "canteen.sample.early", title, w->text,
                       w->ent->name, w->id, NULL, &w->r->err);
}

static int cert_before_write(struct res_write *w)
{
    if (!w->rec)
        return 0;
    int64_t issued, exp;
    if (!day_of(w->rec, "issued_on", &issued))
        return 0;
    int64_t max = ct_cert_expiry(issued);
    int given = day_of(w->rec, "expires_on", &exp);
    /* a changed issue date moves an expiry that was the computed one */
    int64_t old_issued, old_exp;
    if (given && w->old && day_of(w->old, "issued_on", &old_issued) && old_issued != issued &&
        day_of(w->old, "expires_on", &old_exp) && old_exp == exp &&
        exp == ct_cert_expiry(old_issued))
        given = 0;
    if (!given)
        exp = max;
    if (exp > max || exp < issued) {
        char s[16];
        date_format(max, s, sizeof(s));
        err_field(w->e, "expires_on", "canteen.cert.validity",
                  "a health certificate is valid at most one year: until {max}%s", s);
        return err_invalid(w->e);
    }
    set_day(w->rec, "expires_on", exp);
    if (!w->r->server_write) {
        int64_t days = ct_setting(w->r, w->c, "cert_alert_days", CT_CERT_ALERT_DAYS);
        /* a new or renewed certificate starts again; the daily job raises the rest */
        if (!w->old || wf_is(ct_cert_stage(exp, report_today(w->r), days), "valid"))
            json_object_set_new(w->rec, "alert_stage", json_string("valid"));
    }
    return 0;
}

static int inspection_before_write(struct res_write *w)
{
    if (!w->rec || w->r->server_write)
        return 0;
    const char *result = wf_str(w->rec, "result");
    int needs = result && !wf_is(result, "pass");
    int64_t d, by;
    if (needs && !day_of(w->rec, "rectify_by", &by)) {
        err_field(w->e, "rectify_by", "canteen.inspection.deadline",
                  "a finding to rectify needs its deadline");
        return err_invalid(w->e);
    }
    if (needs && day_of(w->rec, "day", &d) && by < d) {
        err_field(w->e, "rectify_by", "field.after_start", "must not be before the inspection");
        return err_invalid(w->e);
    }
    if (!w->old)
        json_object_set_new(w->rec, "status", json_string(needs ? "open" : "closed"));
    else if (wf_is(wf_str(w->old, "status"), "rectified"))
        return err_set(w->e, ERR_CONFLICT, NULL, "canteen.inspection.rectified",
                       "a rectified inspection's record is not changed");
    else
        json_object_set_new(w->rec, "status", json_string(needs ? "open" : "closed"));
    return 0;
}
