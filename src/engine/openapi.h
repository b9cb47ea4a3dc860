/* SPDX-License-Identifier: MIT
 * openapi.h - the OpenAPI 3.1 document of the whole API, derived from the
 * registry and the route table once (GET /api/v1/openapi.json).
 */
#ifndef BUREAU_OPENAPI_H
#define BUREAU_OPENAPI_H

struct req;
struct buf;

int openapi_render(struct req *r);
/* For snapshots: the document without a request, indented. */
void openapi_dump(struct buf *b);

#endif
