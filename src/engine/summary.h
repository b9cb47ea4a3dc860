/* SPDX-License-Identifier: MIT
 * summary.h - GET /api/v1/summary/{module}: a module's dashboard cards (the
 * counts every module gets, then the module's own).
 */
#ifndef BUREAU_SUMMARY_H
#define BUREAU_SUMMARY_H

struct req;

int summary_render(struct req *r);

#endif
