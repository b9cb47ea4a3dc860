/* SPDX-License-Identifier: MIT
 * org/module.c - the organisation module's declaration and its per-tenant
 * seed: the rank table of 党政机关办公用房建设标准 (发改投资〔2014〕2674号),
 * which each tenant may then edit (shared/domain/office_area_standards.csv).
 */
#include "org.h"
#include "calendar.h"
#include "../../base/err.h"
#include "../../base/base.h"
#include "../../core/http.h"
#include "../../core/jobs.h"
#include "../../core/router.h"
#include "../../db/db.h"

#include <string.h>

static const struct res_entity *const org_entities[] = {
    &org_tenants, &org_departments, &org_ranks, &org_people, &org_calendar_days, NULL,
};

static const struct route org_routes[] = {
    {.method = HTTP_GET, .pattern = "/api/v1/calendar/coverage", .fn = org_calendar_coverage},
    {0},
};

static const struct job_def org_jobs[] = {
    {.name = "org.calendar_coverage", .interval_s = 86400, .run = org_job_calendar},
    {0},
};

/* level, code, name, limit in 1/100 m² */
static const struct {
    const char *level, *code, *name;
    int64_t max_m2_x100;
} ranks[] = {
    {"central", "minister", "部级正职", 5400},
    {"central", "vice_minister", "部级副职", 4200},
    {"central", "director_general", "正司(局)级", 2400},
    {"central", "deputy_director_general", "副司(局)级", 1800},
    {"central", "division", "处级", 1200},
    {"central", "below_division", "处级以下", 900},
    {"provincial", "governor", "省级正职", 5400},
    {"provincial", "vice_governor", "省级副职", 4200},
    {"provincial", "department_head", "正厅(局)级", 3000},
    {"provincial", "deputy_department_head", "副厅(局)级", 2400},
    {"provincial", "division_head", "正处级", 1800},
    {"provincial", "deputy_division_head", "副处级", 1200},
    {"provincial", "below_division", "处级以下", 900},
    {"municipal", "mayor", "市级正职", 4200},
    {"municipal", "vice_mayor", "市级副职", 3000},
    {"municipal", "bureau_head", "正局(处)级", 2400},
    {"municipal", "deputy_bureau_head", "副局(处)级", 1800},
    {"municipal", "below_bureau", "局(处)级以下", 900},
    {"county", "county_head", "县级正职", 3000},
    {"county", "deputy_county_head", "县级副职", 2400},
    {"county", "section_head", "正科级", 1800},
    {"county", "deputy_section_head", "副科级", 1200},
    {"county", "below_section", "科级以下", 900},
};

static int org_seed_calendar(struct db_conn *c, int64_t tenant_id, struct err *e);

int org_seed_tenant(struct db_conn *c, int64_t tenant_id, struct err *e)
{
    static const char *src = "党政机关办公用房建设标准 (发改投资〔2014〕2674号)";
    struct db_stmt *st;
    int rc = db_prepare(c,
                        "INSERT INTO ranks (tenant_id, version, created_at, updated_at, level, "
                        "code, name, max_office_m2, sort_order, source) "
                        "VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?)",
                        &st, e);
    if (rc)
        return rc;
    int64_t now = clock_now();
    for (size_t i = 0; i < ARRAY_LEN(ranks); i++) {
        db_bind_int(st, 1, tenant_id);
        db_bind_int(st, 2, now);
        db_bind_int(st, 3, now);
        db_bind_text(st, 4, ranks[i].level, strlen(ranks[i].level));
        db_bind_text(st, 5, ranks[i].code, strlen(ranks[i].code));
        db_bind_text(st, 6, ranks[i].name, strlen(ranks[i].name));
        db_bind_int(st, 7, ranks[i].max_m2_x100);
        db_bind_int(st, 8, (int64_t)(i + 1) * 10);
        db_bind_text(st, 9, src, strlen(src));
        rc = db_step(st, e);
        db_reset(st);
        if (rc < 0)
            return rc;
    }
    return org_seed_calendar(c, tenant_id, e);
}

/* The national holidays and adjusted working days (holidays.c). */
static int org_seed_calendar(struct db_conn *c, int64_t tenant_id, struct err *e)
{
    struct db_stmt *st;
    int64_t now = clock_now();
    int rc;
    if ((rc = db_prepare(c,
                         "INSERT INTO calendar_days (tenant_id, version, created_at, updated_at, "
                         "date, kind, name, source) VALUES (?, 1, ?, ?, ?, ?, ?, ?)",
                         &st, e)))
        return rc;
    for (const struct cal_seed_day *d = cal_seed_days; d->date; d++) {
        const char *kind = d->workday ? "workday" : "off";
        db_bind_int(st, 1, tenant_id);
        db_bind_int(st, 2, now);
        db_bind_int(st, 3, now);
        db_bind_text(st, 4, d->date, strlen(d->date));
        db_bind_text(st, 5, kind, strlen(kind));
        db_bind_text(st, 6, d->name, strlen(d->name));
        db_bind_text(st, 7, d->source, strlen(d->source));
        rc = db_step(st, e);
        db_reset(st);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Schema 2 brought the working calendar. */
static int org_upgrade_tenant(struct db_conn *c, int64_t tenant_id, int version, struct err *e)
{
    return version == 2 ? org_seed_calendar(c, tenant_id, e) : 0;
}

const struct module org_module = {
    .name = "org",
    .zh = "组织人员",
    .en = "Organisation",
    .entities = org_entities,
    .routes = org_routes,
    .jobs = org_jobs,
    .seed_tenant = org_seed_tenant,
    .upgrade_tenant = org_upgrade_tenant,
    .demo = org_demo,
    .summary = org_summary,
};
