/* SPDX-License-Identifier: MIT
 * timeline.h - GET /api/v1/{collection}/{id}/timeline for a workflow whose
 * steps are rows of an events collection pointing at the record:
 *
 *   {"items": [event, …oldest first, at most 1000],
 *    "actors": {"<user id>": "display name" | null, …}}
 *
 * The record must be readable by the caller (404 otherwise). "actors" names
 * whoever did a step (the events' actor_id), since most callers may not read
 * users: a requester sees who reviewed and approved.
 */
#ifndef BUREAU_TIMELINE_H
#define BUREAU_TIMELINE_H

#include "res.h"

struct req;

/* parent: the record's collection (its id is the route's 4th segment);
 * events: the steps' collection, with the column fk naming the parent and
 * an optional actor_id. */
int timeline_render(struct req *r, const struct res_entity *parent, const struct res_entity *events,
                    const char *fk);

#endif
