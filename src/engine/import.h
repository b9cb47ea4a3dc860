/* SPDX-License-Identifier: MIT
 * import.h - all-or-nothing CSV import into a collection
 * (POST /api/v1/{collection}/import).
 */
#ifndef BUREAU_IMPORT_H
#define BUREAU_IMPORT_H

#include "res.h"

struct req;

/* Imports the request body into ent: every row checked first, then all
 * inserted in one transaction, or none. */
int import_run(struct req *r, const struct res_entity *ent);

#endif
