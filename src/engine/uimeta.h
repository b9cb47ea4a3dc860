/* SPDX-License-Identifier: MIT
 * uimeta.h - the UI metadata (GET /api/v1/meta): collections, fields,
 * labels, enums, steps, and what the caller may do.
 */
#ifndef BUREAU_UIMETA_H
#define BUREAU_UIMETA_H

struct req;
struct buf;

int uimeta_render(struct req *r);
/* For snapshots: the registry's part without a request, indented. */
void uimeta_dump(struct buf *b);

#endif
