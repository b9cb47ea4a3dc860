/* SPDX-License-Identifier: MIT
 * res.h - entity descriptors: declare a record type once.
 *
 * A module declares each collection as a static struct res_entity with a
 * table of struct res_field. From that one declaration the engine derives
 * the DDL (both dialects), validation with field errors, JSON in and out,
 * the REST routes with filters, sort and keyset paging, CSV/XLSX export,
 * CSV import, the OpenAPI document and the UI metadata.
 *
 * Every collection implicitly has: id (integer key), tenant_id (scoping,
 * never in JSON), version (optimistic concurrency), created_at, updated_at
 * and created_by (the user who created it; "own records" scopes use it).
 */
#ifndef BUREAU_RES_H
#define BUREAU_RES_H

#include <stddef.h>
#include <stdint.h>

struct err;
struct req;
struct json_t;
struct res_entity;
struct db_conn;

enum res_type {
    RES_TEXT = 1,
    RES_INT,      /* 64-bit integer */
    RES_DECIMAL,  /* fixed scale, stored as a scaled integer (scale digits) */
    RES_MONEY,    /* integer fen; field names end in _fen */
    RES_BOOL,
    RES_DATE,     /* YYYY-MM-DD */
    RES_DATETIME, /* UTC seconds in the database, RFC 3339 in JSON */
    RES_ENUM,
    RES_REF,      /* id of a record of another collection (same tenant) */
    RES_JSON,     /* any JSON value, stored as text */
};

struct res_enum {
    const char *value; /* stored and sent */
    const char *zh;
    const char *en;
};

struct res_field {
    const char *name;
    enum res_type type;
    const char *zh; /* label */
    const char *en;
    unsigned required : 1;  /* must be present and not null on create */
    unsigned unique : 1;    /* unique within the tenant */
    unsigned readonly : 1;  /* set by the server only; refused in input */
    unsigned hidden : 1;    /* never sent in JSON, not filterable */
    unsigned filter : 1;    /* may be used in list filters (gets an index) */
    unsigned sort : 1;      /* may be used in sort= (gets an index) */
    unsigned search : 1;    /* matched by q= */
    unsigned list : 1;      /* shown as a column in the UI list */
    unsigned noindex : 1;   /* filterable or sortable without an index of its own */
    unsigned mask : 1;      /* text shown masked (idf_mask: 4403**********123X) in records,
                               lists, history and exports to roles without the "unmask" verb
                               on the collection; such roles may not filter, sort or write it */
    unsigned has_min : 1, has_max : 1;
    int64_t min, max;       /* integer/money/decimal (scaled) bounds; text: see len */
    int min_len, max_len;   /* text, in characters (max_len 0 = 200) */
    int scale;              /* decimal digits after the point */
    const char *pattern;    /* POSIX extended regex for text */
    const char *dflt;       /* default, in the JSON text form ("0", "true", "vacant") */
    const struct res_enum *values; /* enum values, terminated by {0} */
    const char *ref;        /* referenced collection name */
    const char *widget;     /* UI hint: "textarea", "phone", "dept-tree", … */
    const char *format;     /* text that is a Chinese identifier or number (idformat.h):
                               "mobile", "landline", "phone" (either), "plate", "id_number",
                               "uscc"; checked on every way in and stored in its normal form */
    int since;              /* schema version that added this field (0 = 1) */
};

struct res_action; /* named actions, below */
struct res_flow;   /* a collection's state machine (workflow.h) */
struct wf;         /* a step in progress (workflow.h) */
struct wf_tell;

/* A write in progress, as a collection's hooks see it, inside the write's
 * transaction. */
struct res_write {
    struct req *r;
    struct db_conn *c;
    const struct res_entity *ent;
    int64_t id;         /* the record (0 in before_write of a create) */
    struct json_t *old; /* the record before; NULL on create */
    struct json_t *rec; /* the record after (before_write may change it); NULL on delete */
    struct err *e;
};

/* before_write may change w->rec or refuse (a field error, a conflict);
 * after_write follows the row's write. Return 0 or a negative ERR_*. */
typedef int (*res_hook_fn)(struct res_write *w);

struct res_entity {
    const char *name;    /* collection, plural snake_case: "departments" */
    const char *zh, *en; /* labels */
    const char *module;  /* owning module */
    const struct res_field *fields; /* terminated by {0} */
    const char *title;   /* field shown for a record in references ("name") */
    const char *default_sort; /* e.g. "id" or "-created_at" */
    unsigned global : 1; /* not tenant-scoped (only "tenants") */
    unsigned no_delete : 1;
    unsigned api_readonly : 1; /* written only by the server: no create/update/delete/import */
    res_hook_fn before_write;
    res_hook_fn after_write;
    /* Drops what the owner caches of the tenant's records, after every write
     * (a calendar, the webhooks); may be NULL. */
    void (*forget)(int64_t tenant_id);
    const struct res_action *actions; /* terminated by {0}; may be NULL */
    const struct res_flow *flow;      /* the state field and what its steps share */
    const char *const *uniques; /* extra unique sets, "level,code"; NULL-terminated */
    const char *const *indexes; /* composite indexes for common filter + sort pairs,
                                   "department_id,joined_on"; NULL-terminated */
    const char *parent; /* tree: the field that references this same collection */
    /* the field naming the department a record belongs to ("id" for departments
     * themselves), for department scopes; NULL: department scopes mean own records */
    const char *dept_field;
    /* the field naming the team a record is assigned to, for the "assigned"
     * scope, and the teams of the caller (arena memory); NULL: "assigned"
     * means own records */
    const char *assign_field;
    int (*assigned_to)(struct req *r, struct db_conn *c, int64_t **ids, int *n, struct err *e);
    int since; /* schema version that added it (0 = 1) */
};

/* A named action: POST /api/v1/{collection}/{id}/{name}: a step of the
 * collection's state machine that the engine runs (workflow.h), or a plain
 * handler (fn) that does everything itself. */
struct res_action {
    const char *name;
    const char *zh, *en;
    int (*fn)(struct req *r, const struct res_entity *ent, int64_t id, struct json_t *body);
    const struct res_field *body; /* its members, terminated by {0}; NULL: none */
    const char *const *from;      /* the states it starts from; NULL: any */
    const char *to;               /* the state it leaves; NULL: unchanged */
    const char *not_own;          /* a field naming the user who may not take it */
    const char *only_own;         /* a field naming the only user who may take it */
    const char *const *now;       /* fields stamped with the time */
    const char *by;               /* the field stamped with the actor */
    const char *text_into;        /* the field the body's text is written to */
    const char *const *set;       /* "field", "value" pairs (JSON text forms) */
    const char *const *clear;     /* fields set to null */
    const char *event;            /* the timeline event it appends */
    const struct wf_tell *tell;   /* who is told, terminated by {0} */
    int (*lock)(struct wf *w);    /* other rows to lock before the record's own */
    int (*check)(struct wf *w);   /* its own rules, before the write */
    int (*then)(struct wf *w);    /* after the write */
};

/* The registry: every module's entities, resolved at start by engine_init
 * (module.h): references, patterns, names. */
/* All columns of ent: id, version, created_at, updated_at, then the declared
 * fields. *n receives the count. */
const struct res_field *const *res_cols(const struct res_entity *ent, int *n);
#define RES_NSYS 5 /* id, version, created_at, updated_at, created_by */
/* 1 when f is text a person reads that lists sort by (a name, a title:
 * sortable text without a pattern, which codes have): it sorts and compares
 * in the tenant's collation, pinyin or strokes (query.c), and its index is
 * declared with it (ddl.c). */
int res_collated(const struct res_field *f);
/* 1 when text v matches the field's pattern (or it has none). */
int res_pattern_ok(const struct res_field *f, const char *v);
const struct res_entity *res_find(const char *name, size_t n);
/* Iterates: i from 0 while res_at(i) != NULL */
const struct res_entity *res_at(size_t i);
const struct res_field *res_field_find(const struct res_entity *ent, const char *name, size_t n);
int res_field_count(const struct res_entity *ent);
/* The highest schema version declared by any entity, field or migration. */
int res_schema_version(void);

#endif
