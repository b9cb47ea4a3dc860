/* SPDX-License-Identifier: MIT
 * registry.c - collects every module's entities and checks them once at
 * start: references resolve, names are unique, patterns compile, fields
 * added after version 1 can be added to existing tables.
 */
#include "res.h"
#include "../base/base.h"
#include "../base/err.h"
#include "idformat.h"
#include "module.h"
#include "rest.h"
#include "../core/jobs.h"
#include "../core/router.h"

#include <regex.h>
#include <string.h>

#define MAX_ENTITIES 256
#define MAX_PATTERNS 128

struct resolved {
    const struct res_entity *ent;
    const struct res_field **cols;
    int ncols;
};

static struct resolved ents[MAX_ENTITIES];
static size_t nents;

static struct {
    const struct res_field *f;
    regex_t re;
} patterns[MAX_PATTERNS];
static int npatterns;

static const struct res_field sys_fields[RES_NSYS] = {
    {.name = "id", .type = RES_INT, .zh = "编号", .en = "ID", .readonly = 1, .filter = 1,
     .sort = 1},
    {.name = "version", .type = RES_INT, .zh = "版本", .en = "Version", .readonly = 1},
    {.name = "created_at", .type = RES_DATETIME, .zh = "创建时间", .en = "Created", .readonly = 1,
     .filter = 1, .sort = 1},
    {.name = "updated_at", .type = RES_DATETIME, .zh = "更新时间", .en = "Updated",
     .readonly = 1, .filter = 1, .sort = 1},
    {.name = "created_by", .type = RES_INT, .zh = "创建人", .en = "Created by", .readonly = 1,
     .filter = 1},
};

static int version_max;

const struct res_entity *res_at(size_t i)
{
    return i < nents ? ents[i].ent : NULL;
}

const struct res_entity *res_find(const char *name, size_t n)
{
    for (size_t i = 0; i < nents; i++)
        if (strlen(ents[i].ent->name) == n && !memcmp(ents[i].ent->name, name, n))
            return ents[i].ent;
    return NULL;
}

const struct res_field *const *res_cols(const struct res_entity *ent, int *n)
{
    for (size_t i = 0; i < nents; i++) {
        if (ents[i].ent == ent) {
            *n = ents[i].ncols;
            return ents[i].cols;
        }
    }
    *n = 0;
    return NULL;
}

const struct res_field *res_field_find(const struct res_entity *ent, const char *name, size_t n)
{
    int nc;
    const struct res_field *const *cols = res_cols(ent, &nc);
    for (int i = 0; i < nc; i++)
        if (strlen(cols[i]->name) == n && !memcmp(cols[i]->name, name, n))
            return cols[i];
    return NULL;
}

int res_field_count(const struct res_entity *ent)
{
    int n = 0;
    for (const struct res_field *f = ent->fields; f->name; f++)
        n++;
    return n;
}

int res_schema_version(void)
{
    return version_max;
}

int res_collated(const struct res_field *f)
{
    return f->type == RES_TEXT && f->sort && !f->pattern;
}

int res_pattern_ok(const struct res_field *f, const char *v)
{
    if (!f->pattern)
        return 1;
    for (int i = 0; i < npatterns; i++)
        if (patterns[i].f == f)
            return regexec(&patterns[i].re, v, 0, NULL, 0) == 0;
    return 0;
}

static int check_field(const struct res_entity *ent, const struct res_field *f, struct err *e)
{
    int since = f->since ? f->since : 1;
    int esince = ent->since ? ent->since : 1;
    if (since > version_max)
        version_max = since;
    if (since > esince && f->required && !f->dflt)
        return err_set(e, ERR_INTERNAL, NULL, NULL, "%s.%s: a field added later needs a default",
                       ent->name, f->name);
    if (f->type == RES_REF && (!f->ref || !res_find(f->ref, strlen(f->ref))))
        return err_set(e, ERR_INTERNAL, NULL, NULL, "%s.%s: unknown reference %s", ent->name,
                       f->name, f->ref ? f->ref : "(null)");
    if (f->type == RES_ENUM && (!f->values || !f->values[0].value))
        return err_set(e, ERR_INTERNAL, NULL, NULL, "%s.%s: enum without values", ent->name,
                       f->name);
    if (f->format && (f->type != RES_TEXT || idf_by_name(f->format) <= 0))
        return err_set(e, ERR_INTERNAL, NULL, NULL, "%s.%s: unknown format %s (or not text)",
                       ent->name, f->name, f->format);
    if (f->mask && f->type != RES_TEXT)
        return err_set(e, ERR_INTERNAL, NULL, NULL, "%s.%s: only text can be masked", ent->name,
                       f->name);
    if (f->pattern) {
        if (npatterns >= MAX_PATTERNS)
            return err_set(e, ERR_INTERNAL, NULL, NULL, "too many patterns");
        if (regcomp(&patterns[npatterns].re, f->pattern, REG_EXTENDED | REG_NOSUB))
            return err_set(e, ERR_INTERNAL, NULL, NULL, "%s.%s: bad pattern", ent->name, f->name);
        patterns[npatterns++].f = f;
    }
    for (int i = 0; i < RES_NSYS; i++)
        if (!strcmp(f->name, sys_fields[i].name) || !strcmp(f->name, "tenant_id"))
            return err_set(e, ERR_INTERNAL, NULL, NULL, "%s.%s: reserved name", ent->name, f->name);
    return 0;
}

static const struct module *const *modules;

static void registry_reset(void)
{
    for (size_t i = 0; i < nents; i++)
        core_free(ents[i].cols);
    for (int i = 0; i < npatterns; i++)
        regfree(&patterns[i].re);
    nents = 0;
    npatterns = 0;
    version_max = 1;
}

static int registry_init(struct err *e)
{
    registry_reset();
    for (const struct module *const *m = engine_modules(); *m; m++) {
        for (const struct res_entity *const *pe = (*m)->entities; pe && *pe; pe++) {
            if (nents >= MAX_ENTITIES)
                return err_set(e, ERR_INTERNAL, NULL, NULL, "too many entities");
            if (res_find((*pe)->name, strlen((*pe)->name)))
                return err_set(e, ERR_INTERNAL, NULL, NULL, "duplicate collection %s", (*pe)->name);
            ents[nents++].ent = *pe;
        }
        for (const struct migration_step *s = (*m)->migrations; s && s->name; s++)
            if (s->version > version_max)
                version_max = s->version;
    }
    for (size_t i = 0; i < nents; i++) {
        const struct res_entity *ent = ents[i].ent;
        int nf = res_field_count(ent);
        if (ent->since > version_max)
            version_max = ent->since;
        ents[i].cols = core_calloc((size_t)(nf + RES_NSYS), sizeof(*ents[i].cols));
        for (int k = 0; k < RES_NSYS; k++)
            ents[i].cols[k] = &sys_fields[k];
        for (int k = 0; k < nf; k++) {
            int rc = check_field(ent, &ent->fields[k], e);
            if (rc)
                return rc;
            ents[i].cols[RES_NSYS + k] = &ent->fields[k];
        }
        ents[i].ncols = nf + RES_NSYS;
        if (ent->title && !res_field_find(ent, ent->title, strlen(ent->title)))
            return err_set(e, ERR_INTERNAL, NULL, NULL, "%s: unknown title field", ent->name);
    }
    return 0;
}

const struct module *const *engine_modules(void)
{
    static const struct module *const none[] = {NULL};
    return modules ? modules : none;
}

int engine_init(const struct module *const *list, struct err *e)
{
    modules = list;
    router_reset();
    jobs_reset_defs();
    /* module routes first: a module's fixed path beats a generic pattern */
    for (const struct module *const *m = engine_modules(); *m; m++) {
        router_add((*m)->routes);
        jobs_add_defs((*m)->jobs);
    }
    router_add(rest_routes);
    int rc = registry_init(e);
    for (const struct module *const *m = engine_modules(); !rc && *m; m++)
        if ((*m)->init)
            (*m)->init();
    return rc;
}
