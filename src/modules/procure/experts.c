/* SPDX-License-Identifier: MIT
 * procure/experts.c - the expert pool's rules: a declared relation names
 * the supplier (by record or by its unified social credit code, for a
 * supplier not registered yet) and ends no earlier than it began; and the
 * `bureau procure verify-draw` command.
 */
#include "committee_int.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/workflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pc_relation_before_write(struct res_write *w)
{
    if (!w->rec || w->r->server_write)
        return 0;
    if (!wf_has(w->rec, "supplier_id") && !wf_has(w->rec, "uscc"))
        err_field(w->e, "supplier_id", "procure.relation.supplier",
                  "a relation names the supplier or its unified social credit code");
    const char *from = wf_str(w->rec, "from_date"), *to = wf_str(w->rec, "to_date");
    if (from && to && strcmp(to, from) < 0)
        err_field(w->e, "to_date", "procure.relation.dates",
                  "the relation ends {to_date}%s before it begins {from_date}%s", to, from);
    return w->e->nitems ? err_invalid(w->e) : 0;
}

/* bureau procure verify-draw --db URL DRAW_ID */
int pc_command(int argc, char **argv)
{
    const char *url = NULL, *id = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc)
            url = argv[++i];
        else if (!strncmp(argv[i], "--db=", 5))
            url = argv[i] + 5;
        else if (strcmp(argv[i], "verify-draw") && !id)
            id = argv[i];
    }
    if (argc < 1 || strcmp(argv[0], "verify-draw") || !id) {
        fputs("usage: bureau procure verify-draw --db URL DRAW_ID\n", stderr);
        return 2;
    }
    if (!url)
        url = getenv("BUREAU_DB");
    if (!url) {
        fputs("bureau procure verify-draw: --db URL (or BUREAU_DB)\n", stderr);
        return 2;
    }
    char *end;
    long long draw = strtoll(id, &end, 10);
    if (*end || draw <= 0) {
        fprintf(stderr, "bureau procure verify-draw: not a draw id: %s\n", id);
        return 2;
    }
    struct db *db;
    struct err e;
    err_clear(&e);
    if (db_open(&db, url, &(struct db_options){0}, &e)) {
        fprintf(stderr, "bureau procure verify-draw: cannot open the database: %s\n", e.detail);
        return 2;
    }
    struct db_conn *c = db_conn(db, &e);
    int n = 0, ok = -1;
    char hex[65] = "";
    if (c)
        ok = pc_draw_verify(c, draw, &n, hex, &e);
    if (ok < 0)
        fprintf(stderr, "bureau procure verify-draw: %s\n", e.detail);
    else
        printf("draw %lld: pool of %d experts, pool sha256 %s: the stored order %s the order "
               "recomputed from the stored inputs\n",
               draw, n, hex, ok ? "matches" : "DOES NOT MATCH");
    db_close(db);
    return ok == 1 ? 0 : 1;
}
