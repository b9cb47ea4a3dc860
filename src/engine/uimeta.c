/* SPDX-License-Identifier: MIT
 * uimeta.c - GET /api/v1/meta: what the web UI renders forms, tables and
 * filters from, derived from the entity registry: modules, collections with
 * their labels, actions and permissions, and fields with types, bounds,
 * defaults and enum values. Hidden fields are left out entirely. Labels of
 * the UI itself live in web/i18n, not here.
 */
#include "perm.h"
#include "uimeta.h"
#include "query.h"
#include "report.h"
#include "rest.h"
#include "value.h"
#include "workflow.h"
#include "../core/auth.h"
#include "../base/buf.h"
#include "../base/base.h"
#include "../base/err.h"
#include "../core/http.h"
#include "module.h"

#include <jansson.h>
#include <string.h>

#define DOC_MAX (8u << 20) /* the serialised document may not grow past this */

static void set(json_t *o, const char *k, json_t *v)
{
    json_object_set_new(o, k, v);
}

/* A field's flag, present only when true: most are false for most fields, and
 * the meta is the largest answer of a first visit. */
static void flag(json_t *o, const char *k, int on)
{
    if (on)
        json_object_set_new(o, k, json_true());
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static const char *type_name(enum res_type t)
{
    switch (t) {
    case RES_TEXT:
        return "text";
    case RES_INT:
        return "int";
    case RES_DECIMAL:
        return "decimal";
    case RES_MONEY:
        return "money";
    case RES_BOOL:
        return "bool";
    case RES_DATE:
        return "date";
    case RES_DATETIME:
        return "datetime";
    case RES_ENUM:
        return "enum";
    case RES_REF:
        return "ref";
    case RES_JSON:
        return "json";
    }
    return "text";
}


/* A bound as the UI shows it: decimals unscaled (12345, scale 2 -> 123.45). */
static json_t *bound(const struct res_field *f, int64_t v)
{
    if (f->type != RES_DECIMAL || f->scale <= 0)
        return json_integer(v);
    double p = 1;
    for (int k = 0; k < f->scale; k++)
        p *= 10;
    return json_real((double)v / p);
}

static json_t *field_meta(const struct res_field *f, int sys)
{
    json_t *o = json_object();
    set(o, "name", json_string(f->name));
    set(o, "type", json_string(type_name(f->type)));
    set(o, "zh", str_or_null(f->zh));
    set(o, "en", str_or_null(f->en));
    flag(o, "required", !sys && f->required);
    flag(o, "unique", f->unique || (sys && !strcmp(f->name, "id")));
    flag(o, "readonly", sys || f->readonly);
    flag(o, "filter", query_filterable(f));
    flag(o, "sort", query_sortable(f));
    flag(o, "search", f->search);
    flag(o, "list", f->list);
    if (f->type == RES_INT || f->type == RES_MONEY || f->type == RES_DECIMAL) {
        if (f->has_min)
            set(o, "min", bound(f, f->min));
        if (f->has_max)
            set(o, "max", bound(f, f->max));
    }
    if (f->type == RES_DECIMAL)
        set(o, "scale", json_integer(f->scale));
    if (f->type == RES_TEXT) {
        set(o, "max_len", json_integer(f->max_len ? f->max_len : 200));
        if (f->min_len)
            set(o, "min_len", json_integer(f->min_len));
        if (f->pattern)
            set(o, "pattern", json_string(f->pattern));
    }
    json_t *d = res_default_json(f);
    if (d)
        set(o, "default", d);
    if (f->widget)
        set(o, "widget", json_string(f->widget));
    if (f->format)
        set(o, "format", json_string(f->format));
    if (f->mask)
        set(o, "mask", json_true());
    if (f->type == RES_REF && f->ref)
        set(o, "ref", json_string(f->ref));
    if (f->type == RES_ENUM) {
        json_t *vals = json_array();
        for (const struct res_enum *v = f->values; v && v->value; v++)
            json_array_append_new(vals, json_pack("{s:s, s:o, s:o}", "value", v->value, "zh",
                                                  str_or_null(v->zh), "en", str_or_null(v->en)));
        set(o, "values", vals);
    }
    return o;
}

static json_t *collection_meta(const struct res_entity *ent)
{
    json_t *o = json_object();
    set(o, "name", json_string(ent->name));
    set(o, "zh", str_or_null(ent->zh));
    set(o, "en", str_or_null(ent->en));
    set(o, "module", str_or_null(ent->module));
    set(o, "title", str_or_null(ent->title));
    set(o, "default_sort", json_string(ent->default_sort ? ent->default_sort : "id"));
    set(o, "global", json_boolean(ent->global));
    set(o, "api_readonly", json_boolean(ent->api_readonly));
    set(o, "no_delete", json_boolean(ent->no_delete));
    set(o, "tree_parent", str_or_null(ent->parent));

    json_t *acts = json_array();
    for (const struct res_action *a = ent->actions; a && a->name; a++) {
        json_t *act = json_pack("{s:s, s:o, s:o}", "name", a->name, "zh", str_or_null(a->zh), "en",
                                str_or_null(a->en));
        if (!a->fn) { /* a declared step: what it takes, from where to where */
            json_t *body = json_array(), *from = json_array();
            for (const struct res_field *f = a->body; f && f->name; f++)
                json_array_append_new(body, field_meta(f, 0));
            for (const char *const *s = a->from; s && *s; s++)
                json_array_append_new(from, json_string(*s));
            set(act, "body", body);
            set(act, "from", a->from ? from : (json_decref(from), json_null()));
            set(act, "to", str_or_null(a->to));
        }
        json_array_append_new(acts, act);
    }
    set(o, "actions", acts);
    set(o, "state", str_or_null(ent->flow ? ent->flow->state : NULL));

    json_t *uniq = json_array();
    for (const char *const *u = ent->uniques; u && *u; u++) {
        json_t *set_ = json_array();
        for (const char *s = *u; *s;) {
            const char *c = strchr(s, ',');
            size_t n = c ? (size_t)(c - s) : strlen(s);
            json_array_append_new(set_, json_stringn(s, n));
            s += n + (c ? 1 : 0);
        }
        json_array_append_new(uniq, set_);
    }
    set(o, "uniques", uniq);

    int n;
    const struct res_field *const *cols = res_cols(ent, &n);
    json_t *fields = json_array();
    for (int i = 0; i < n; i++)
        if (!cols[i]->hidden)
            json_array_append_new(fields, field_meta(cols[i], i < RES_NSYS));
    set(o, "fields", fields);
    return o;
}

static json_t *build(void)
{
    json_t *mods = json_array(), *colls = json_array();
    for (const struct module *const *m = engine_modules(); *m; m++) {
        json_t *names = json_array();
        for (const struct res_entity *const *e = (*m)->entities; e && *e; e++)
            json_array_append_new(names, json_string((*e)->name));
        json_array_append_new(mods, json_pack("{s:s, s:o, s:o, s:o}", "name", (*m)->name, "zh",
                                              str_or_null((*m)->zh), "en", str_or_null((*m)->en),
                                              "collections", names));
    }
    const struct res_entity *ent;
    for (size_t i = 0; (ent = res_at(i)); i++)
        json_array_append_new(colls, collection_meta(ent));
    json_t *doc = json_object();
    set(doc, "version", json_string(BUREAU_VERSION));
    set(doc, "schema_version", json_integer(res_schema_version()));
    set(doc, "locale_default", json_string("zh-CN"));
    set(doc, "page",
        json_pack("{s:i, s:i}", "limit_default", QUERY_LIMIT_DEFAULT, "limit_max",
                  QUERY_LIMIT_MAX));
    set(doc, "modules", mods);
    set(doc, "collections", colls);
    return doc;
}

/* The registry part is the same for every caller: built once. */
static struct report_doc doc = {.build = build, .max = DOC_MAX};

/* ,"name":{collection: [fields]}: the declared fields perm_hidden_mask marks
 * with mark for the caller. */
static void marked(struct req *r, struct buf *b, const char *name, unsigned char mark)
{
    const struct res_entity *ent;
    int first = 1;
    buf_printf(b, "},\"%s\":{", name);
    for (size_t i = 0; (ent = res_at(i)); i++) {
        int n;
        const struct res_field *const *cols = res_cols(ent, &n);
        unsigned char *m = r->who ? perm_hidden_mask(r, ent) : NULL;
        int any = 0;
        for (int c = 0; m && c < n; c++) {
            if (m[c] != mark || cols[c]->hidden)
                continue;
            if (!any) {
                buf_printf(b, "%s\"%s\":[", first ? "" : ",", ent->name);
                first = 0;
            }
            buf_printf(b, "%s\"%s\"", any++ ? "," : "", cols[c]->name);
        }
        if (any)
            buf_putc(b, ']');
    }
}

/* What this caller may do: {"user": …, "can": {collection: [verbs]},
 * "hidden": {collection: [fields]}, "masked": {collection: [fields]}}
 * (masked: sent masked, not to be written, filtered or sorted). Anonymous callers get user null and
 * nothing they can do. */
static void caller_part(struct req *r, struct buf *b)
{
    static const char *const verbs[] = {"read", "create", "update", "delete", "export", "import"};
    const struct res_entity *ent;
    buf_puts(b, "\"caller\":{\"user\":");
    if (r->who) {
        buf_printf(b, "{\"id\":%lld,\"username\":", (long long)r->who->user_id);
        buf_json_str(b, r->who->username, strlen(r->who->username));
        buf_puts(b, ",\"role\":");
        buf_json_str(b, r->who->role_code, strlen(r->who->role_code));
        buf_printf(b, ",\"tenant_id\":%lld,\"department_id\":%lld}",
                   (long long)r->who->tenant_id, (long long)r->who->department_id);
    } else {
        buf_puts(b, "null");
    }
    buf_puts(b, ",\"can\":{");
    for (size_t i = 0; (ent = res_at(i)); i++) {
        buf_puts(b, i ? ",\"" : "\"");
        buf_puts(b, ent->name);
        buf_puts(b, "\":[");
        int k = 0;
        for (size_t v = 0; v < ARRAY_LEN(verbs); v++) {
            int writes = v != 0 && v != 4;
            if ((writes && ent->api_readonly) || (v == 3 && ent->no_delete))
                continue;
            if (r->who && perm_scope(r, ent, verbs[v]) != SCOPE_NONE)
                buf_printf(b, "%s\"%s\"", k++ ? "," : "", verbs[v]);
        }
        for (const struct res_action *a = ent->actions; a && a->name; a++)
            if (r->who && perm_scope(r, ent, a->name) != SCOPE_NONE)
                buf_printf(b, "%s\"%s\"", k++ ? "," : "", a->name);
        buf_putc(b, ']');
    }
    marked(r, b, "hidden", PERM_HIDDEN);
    marked(r, b, "masked", PERM_MASKED);
    buf_puts(b, "}}");
}

int uimeta_render(struct req *r)
{
    const struct buf *text = report_doc_text(&doc);
    if (!text)
        return err_set(&r->err, ERR_INTERNAL, NULL, NULL, "the UI metadata could not be built");
    /* the cached object without its closing brace, then the caller's part */
    buf_append(&r->out, text->p, text->len - 1);
    buf_putc(&r->out, ',');
    caller_part(r, &r->out);
    buf_putc(&r->out, '}');
    return resp_json(r, 200);
}

void uimeta_dump(struct buf *b)
{
    report_doc_dump(&doc, b);
}
