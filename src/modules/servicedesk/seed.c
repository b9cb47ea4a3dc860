/* SPDX-License-Identifier: MIT
 * servicedesk/seed.c - what every tenant starts with: the catalogue of
 * service types and their SLA targets in working minutes, both editable.
 * Teams and routing rules are the tenant's own (none at first: requests
 * wait for a dispatcher until rules exist).
 */
#include "servicedesk.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../db/db.h"

#include <string.h>

const struct sd_seed_type sd_seed_types[] = {
    {"repair", "设施维修", "Facility repair", "repair", 1},
    {"air_conditioning", "空调", "Air-conditioning", "hvac", 1},
    {"electrical", "电力照明", "Power and lighting", "electrical", 1},
    {"plumbing", "给排水", "Water and drains", "plumbing", 1},
    {"cleaning", "保洁", "Cleaning", "cleaning", 1},
    {"meeting_service", "会议服务", "Meeting service", "meeting", 1},
    {"reception", "接待服务", "Reception", "reception", 0},
    {"canteen", "食堂服务", "Canteen", "canteen", 0},
    {"network", "网络电话", "Network and phones", "network", 1},
    {"suggestion", "意见建议", "Suggestion", "suggestion", 0},
    {"complaint", "投诉", "Complaint", "complaint", 0},
    {"other", "其他", "Other", "other", 0},
    {NULL, NULL, NULL, NULL, 0},
};

/* Working minutes to respond and to resolve, by urgency (low, normal, high,
 * urgent); with the default working day of 7 hours, 420 minutes is a day. */
static const int64_t targets[4][2] = {
    {420, 2100}, /* low: a day, five days */
    {240, 1260}, /* normal: half a day, three days */
    {60, 420},   /* high: an hour, a day */
    {30, 240},   /* urgent: half an hour, four hours */
};
static const char *const urgencies[4] = {"low", "normal", "high", "urgent"};

int sd_seed_tenant(struct db_conn *c, int64_t tenant_id, struct err *e)
{
    struct db_stmt *st, *sl;
    int64_t now = clock_now();
    int rc = db_prepare(c,
                        "INSERT INTO service_types (tenant_id, version, created_at, updated_at, "
                        "code, name, name_en, category, needs_location, active, sort_order) "
                        "VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, 1, ?) RETURNING id",
                        &st, e);
    if (rc)
        return rc;
    if ((rc = db_prepare(c,
                         "INSERT INTO sla_targets (tenant_id, version, created_at, updated_at, "
                         "type_id, urgency, respond_minutes, resolve_minutes) "
                         "VALUES (?, 1, ?, ?, ?, ?, ?, ?)",
                         &sl, e)))
        return rc;
    for (int i = 0; sd_seed_types[i].code; i++) {
        const struct sd_seed_type *t = &sd_seed_types[i];
        db_bind_int(st, 1, tenant_id);
        db_bind_int(st, 2, now);
        db_bind_int(st, 3, now);
        db_bind_text(st, 4, t->code, strlen(t->code));
        db_bind_text(st, 5, t->name, strlen(t->name));
        db_bind_text(st, 6, t->name_en, strlen(t->name_en));
        db_bind_text(st, 7, t->category, strlen(t->category));
        db_bind_int(st, 8, t->needs_location);
        db_bind_int(st, 9, (int64_t)(i + 1) * 10);
        rc = db_step(st, e);
        int64_t type_id = rc == DB_ROW ? db_col_int(st, 0) : 0;
        db_reset(st);
        if (rc < 0)
            return rc;
        /* suggestions and complaints: answered within a day, settled within five */
        int flat = !strcmp(t->category, "suggestion") || !strcmp(t->category, "complaint");
        for (int u = 0; u < 4; u++) {
            db_bind_int(sl, 1, tenant_id);
            db_bind_int(sl, 2, now);
            db_bind_int(sl, 3, now);
            db_bind_int(sl, 4, type_id);
            db_bind_text(sl, 5, urgencies[u], strlen(urgencies[u]));
            db_bind_int(sl, 6, flat ? targets[0][0] : targets[u][0]);
            db_bind_int(sl, 7, flat ? targets[0][1] : targets[u][1]);
            rc = db_step(sl, e);
            db_reset(sl);
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}
