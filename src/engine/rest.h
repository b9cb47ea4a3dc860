/* SPDX-License-Identifier: MIT
 * rest.h - the generic REST routes every collection gets, and the pieces
 * they share with export, import and module actions.
 */
#ifndef BUREAU_REST_H
#define BUREAU_REST_H

#include "query.h"
#include "../core/router.h"
#include "res.h"

#include <jansson.h>

struct req;

/* The generic routes (health, meta, OpenAPI, collections, actions, the web
 * UI's files), terminated by {0}: engine_init adds them after the modules'. */
extern const struct route rest_routes[];

/* The collection named by path segment i (404 when unknown). */
const struct res_entity *rest_collection(struct req *r, int seg, struct err *e);
/* Parses path segment i as a record id (404 when not a positive integer). */
int rest_id(struct req *r, int seg, int64_t *id);
/* A module's route about one record of ent, whose id is path segment 3: the
 * caller may verb ent (perm_check), the request's connection, and (when rec
 * is not NULL) the record loaded within the caller's scope (404 outside it;
 * released with the request). */
int rest_record(struct req *r, const struct res_entity *ent, const char *verb, int64_t *id,
                struct db_conn **c, json_t **rec);
/* Parses the request body as a JSON object (400 with line and column). The
 * value is released with the request. NULL body -> empty object when
 * allow_empty. */
int rest_body_json(struct req *r, json_t **out, int allow_empty);
/* 422 field.unknown for every member of body not in names (NULL-terminated). */
int rest_body_only(struct req *r, json_t *body, const char *const *names);
/* Builds a query from the request's query string (all parameters). */
int rest_query(struct req *r, struct query *q, const struct res_entity *ent, int export);

#endif
