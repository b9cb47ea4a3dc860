/* SPDX-License-Identifier: MIT
 * assets.h - fixed assets 固定资产 and the public property pool 公物仓: the
 * register by the national classification (GB/T 14885) with value,
 * department, custodian and room; straight-line monthly depreciation by the
 * category lives of the government accounting standard (政府会计准则第3号
 * 应用指南, 表1); QR labels; stocktakes scanned on a phone whose surplus
 * (盘盈) and deficit (盘亏) go to disposal; disposals by the lawful types,
 * approved by value; transfers with history; the pool where idle assets are
 * handed in, reused by another department or lent (docs/modules/assets.md).
 *
 * An asset's status: in_use | idle | repair (edited freely among these);
 * pooled (handed in to the pool), lent (on loan from the pool),
 * awaiting_disposal (a disposal is under approval) and disposed are set by
 * the actions that lead there, never by an edit.
 */
#ifndef BUREAU_ASSETS_H
#define BUREAU_ASSETS_H

#include "../../engine/res.h"
#include "../../engine/module.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

extern const struct res_entity as_categories, as_classes, as_assets, as_settings;
extern const struct module assets_module;

struct req;
struct db_conn;
struct err;

#define AS_CODE_MAX 32 /* characters of an asset code */

/* ---- depreciation.c: pure rules (unit-tested) ----
 * 政府会计准则第3号 第十五、十六条: straight-line by month, no salvage value;
 * an asset acquired in a month is depreciated from that month; one that
 * leaves (is disposed of) in a month is no longer depreciated that month;
 * once fully depreciated, no more. Months are counted as year*12 + month-1. */
struct as_dep {
    int64_t months;      /* months depreciated up to and including the month asked */
    int64_t accumulated; /* fen */
    int64_t monthly;     /* the month's charge, fen (0 when none) */
    int64_t net;         /* original - accumulated */
};
/* The month number of a date "YYYY-MM-DD" (year*12 + month - 1), or -1. */
int64_t as_month_of(const char *date);
/* Depreciation of an asset of value original (fen) acquired in month
 * acquired, life years (0: not depreciated), as of month asof (inclusive);
 * left: the month it was disposed of (not depreciated that month), or -1.
 * The accumulated amount after k of n months is original·k/n rounded half
 * up, so the months sum exactly to the original value. */
void as_depreciate(int64_t original, int64_t acquired, int years, int64_t asof, int64_t left,
                   struct as_dep *out);

/* ---- hooks.c ---- */
int as_asset_before_write(struct res_write *w);
int as_class_before_write(struct res_write *w);

/* ---- seed.c / demo.c ---- */
int as_seed_tenant(struct db_conn *c, int64_t tenant_id, struct err *e);
int as_demo(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e);

/* ---- reports.c ---- */
int as_summary(struct req *r, struct db_conn *c, json_t *cards, struct err *e);

/* ---- the register's pages: reports.c, labels.c, bulk.c ----
 * GET  /api/v1/assets/report[.xlsx]?by=&asof=YYYY-MM&department_id=  groups' figures
 * GET  /api/v1/assets/{id}/depreciation?asof=                       one asset, by year
 * GET  /api/v1/assets/values?ids=…&asof=                            a list page's net values
 * GET  /api/v1/assets/mine                                          the caller's custody
 * GET  /api/v1/assets/{id}/qr.svg, /api/v1/assets/labels?ids=…      labels
 * POST /api/v1/assets/bulk {ids, set}                               all or nothing */
#define AS_IDS_MAX 1000  /* ids in one values or labels request */
#define AS_BULK_MAX 1000 /* assets in one bulk edit */
int as_report(struct req *r);
int as_depreciation(struct req *r);
int as_values(struct req *r);
int as_mine(struct req *r);
int as_qr(struct req *r);
int as_labels(struct req *r);
int as_bulk(struct req *r);
/* This month (tenant's time) as a month number; a month number as "YYYY-MM". */
int64_t as_month_now(struct req *r);
void as_month_text(int64_t month, char *out, size_t n);
/* ?ids=1,2,3 (at most max) into arena memory; 400 naming ids otherwise. */
int as_ids_param(struct req *r, int max, int64_t **ids, int *n);
/* A prepared SELECT cols FROM assets of those ids in the caller's scope (as
 * perm_check granted), ordered by code. */
struct db_stmt;
int as_select_ids(struct req *r, struct db_conn *c, const char *cols, const int64_t *ids, int n,
                  struct db_stmt **st);
/* The "assigned" scope: the assets whose custodian is the caller's person. */
int as_assigned_custodian(struct req *r, struct db_conn *c, int64_t **ids, int *n, struct err *e);

/* The module's settings (asset_settings), with their defaults. */
#define AS_DISPOSAL_LEADER_FROM_FEN 5000000LL /* 5万元: from here a leader approves */
#define AS_DISPOSAL_SELF_MAX_FEN 20000000LL   /* 20万元: above, the finance bureau's approval */
#define AS_LOAN_REMIND_DAYS 3                 /* loans: reminded this many days ahead */
int64_t as_setting(struct req *r, struct db_conn *c, const char *name, int64_t dflt);

/* ---- stocktakes 盘点 (stocktake_entities.c, stocktake.c, stocktake_result.c,
 * stocktake_demo.c, code.c; docs/modules/assets.md) ---- */
extern const struct res_entity as_stocktakes, as_stocktake_lines;
#define AS_SCAN_TEXT_MAX 512 /* characters of what a scan may send (a label's URL) */
/* The asset code a label's text names, into out (NUL-terminated): the text
 * itself (spaces around it trimmed, upper-cased) or, for a URL or a path,
 * its last path segment, or its fragment's last segment when it has one
 * (a query string is ignored). A code is 1..AS_CODE_MAX characters of A-Z,
 * 0-9 and '-', not starting with '-'. Returns the code's length, or -1 for
 * anything else (control bytes, other characters, too long). Pure. */
int as_code_parse(const char *text, size_t n, char out[AS_CODE_MAX + 1]);
struct wf;
int as_stocktake_before_write(struct res_write *w);
int as_stocktake_start_check(struct wf *w);
int as_stocktake_finish_check(struct wf *w);
int as_stocktake_scan(struct req *r, const struct res_entity *ent, int64_t id, json_t *body);
int as_stocktake_confirm(struct req *r, const struct res_entity *ent, int64_t id, json_t *body);
int as_stocktake_surplus(struct req *r, const struct res_entity *ent, int64_t id, json_t *body);
/* GET /api/v1/stocktakes/{id}/result and result.xlsx */
int as_stocktake_result(struct req *r);
/* GET /api/v1/stocktake_lines/{id}/label.svg: the QR label of a line's code,
 * printed again for an item whose label is damaged or a surplus item
 * registered without one. */
int as_stocktake_label(struct req *r);
/* The assets found missing (盘亏) by finished stocktake id, for a loss
 * write-off (损失核销) disposal: their ids ascending in *asset_ids (arena
 * memory of r), *n of them. The stocktake is read in the whole tenant (the
 * caller checks its own permission); ERR_NOT_FOUND when there is none,
 * ERR_CONFLICT (key assets.stocktake.not_finished) when it is not finished. */
int as_stocktake_missing(struct req *r, struct db_conn *c, int64_t stocktake_id,
                         int64_t **asset_ids, int *n, struct err *e);
/* Adds the stocktake figures the caller may read to a dashboard card:
 * stocktakes_in_progress, stocktake_scanned, stocktake_expected (of the
 * sessions in progress) and stocktake_missing_value_fen (of the sessions
 * finished this year), with their labels under "labels". Nothing when the
 * caller may not read stocktakes. */
int as_stocktake_summary(struct req *r, struct db_conn *c, json_t *card, struct err *e);
/* The demo's sessions: one in progress, one finished last year. */
int as_stocktake_demo(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e);

#endif
