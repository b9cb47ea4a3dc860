/* SPDX-License-Identifier: MIT
 * module.h - what a domain module declares to the engine: its entities,
 * routes, jobs, demo data and hand-written migration steps. The engine is
 * given the list of modules once at start (engine_init), by main; it never
 * names a module itself.
 */
#ifndef BUREAU_MODULE_H
#define BUREAU_MODULE_H

#include <stdint.h>

struct res_entity;
struct route;
struct job_def;
struct db_conn;
struct err;
struct req;
typedef struct json_t json_t;

/* Hand-written migration step for schema version `version`, run after the
 * derived steps (new tables, new columns) of that version, in the same
 * transaction. sql_sqlite / sql_pg: statements for each dialect. */
struct migration_step {
    int version;
    const char *name;
    const char *sql_sqlite;
    const char *sql_pg;
};

struct module {
    const char *name;
    const char *zh, *en;
    const struct res_entity *const *entities; /* NULL-terminated */
    const struct route *routes;               /* terminated by {0} */
    const struct job_def *jobs;               /* terminated by {0} */
    const struct migration_step *migrations;  /* terminated by {0} */
    /* Called once for every new tenant (seed configurable defaults). */
    int (*seed_tenant)(struct db_conn *c, int64_t tenant_id, struct err *e);
    /* Called for every existing tenant when an upgrade reaches schema
     * `version` (after its tables and columns exist): seeds the defaults
     * that version brings, as seed_tenant does for a new tenant. */
    int (*upgrade_tenant)(struct db_conn *c, int64_t tenant_id, int version, struct err *e);
    /* Fills an empty tenant with demo data (deterministic for a seed). */
    int (*demo)(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e);
    /* Appends the module's dashboard cards to the array cards, after the
     * "counts" card every module gets: {"id", "kind", "zh", "en", …} with
     * what the caller may see (GET /api/v1/summary/{module}; docs/ui.md). */
    int (*summary)(struct req *r, struct db_conn *c, json_t *cards, struct err *e);
    /* Called for every audited create, update or delete of a record of any
     * module, inside its transaction, just before its audit entry (an error
     * rolls the change back):
     * action "create" | "update" | "delete"; before/after as audited (hidden
     * fields left out; NULL for create's before and delete's after). */
    int (*on_change)(struct req *r, struct db_conn *c, const struct res_entity *ent,
                     const char *action, int64_t id, json_t *before, json_t *after, struct err *e);
    /* Called once by engine_init after every module is registered: subscribes
     * to another module's services (e.g. calendar.h's cal_on_change). */
    void (*init)(void);
    /* `bureau NAME ARGS…` on the command line (NAME the module's name):
     * argv[0] is the first of ARGS; returns the exit status. NULL: none. */
    int (*command)(int argc, char **argv);
};

/* Registers the modules (NULL-terminated, org first): their entities (the
 * registry), their routes (before the engine's generic ones) and their jobs.
 * Call once before anything else of the engine; tests may call it again with
 * another list. */
int engine_init(const struct module *const *modules, struct err *e);
/* The list engine_init was given. */
const struct module *const *engine_modules(void);

#endif
