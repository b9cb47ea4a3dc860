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
struct wf;
struct res_flow;

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

/* The module's settings (asset_settings), with their defaults. */
#define AS_DISPOSAL_LEADER_FROM_FEN 5000000LL /* 5万元: from here a leader approves */
#define AS_DISPOSAL_SELF_MAX_FEN 20000000LL   /* 20万元: above, the finance bureau's approval */
#define AS_LOAN_REMIND_DAYS 3                 /* loans: reminded this many days ahead */
int64_t as_setting(struct req *r, struct db_conn *c, const char *name, int64_t dflt);
/* A reference as JSON: the id, or null for 0. */
static inline json_t *as_id_json(int64_t id)
{
    return id ? json_integer(id) : json_null();
}

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
/* ---- disposals 处置, transfers 调拨 and the public property pool 公物仓
 * (disposal_entities.c, disposals.c, transfers.c, pool_entities.c, pool.c,
 * pool_demo.c) ---- */
extern const struct res_entity as_disposals, as_disposal_items, as_transfers, as_pool_items,
    as_pool_requests;
extern const struct res_action as_asset_steps[];
extern const struct res_flow as_asset_flow;

/* The approval band of a disposal batch of original value total (fen)
 * against the tenant's settings (pure: tests/unit/t_assets_pool.c):
 * AS_BAND_MANAGER below leader_from (the assets manager or a leader
 * approves), AS_BAND_LEADER from leader_from up to self_max (a leader
 * only), AS_BAND_FINANCE above self_max (a leader, with the finance
 * department's approval number). */
enum as_band { AS_BAND_MANAGER = 1, AS_BAND_LEADER = 2, AS_BAND_FINANCE = 3 };
enum as_band as_disposal_band(int64_t total, int64_t leader_from, int64_t self_max);
/* 1 when a disposal of type needs a recipient (free_transfer, donation,
 * sale, exchange), resp. an appraisal reference (sale, exchange: 《行政事业性
 * 国有资产管理条例》第三十六条); 0 otherwise (scrap, write_off, unknown). */
int as_disposal_needs_recipient(const char *type);
int as_disposal_needs_appraisal(const char *type);
/* A loan from the pool lasts at most this many days (needed_from to
 * loan_until inclusive). */
#define AS_LOAN_MAX_DAYS 90
/* 0 when a loan from day from to day until (days since 1970) is allowed,
 * 1 when until is before from, 2 when longer than AS_LOAN_MAX_DAYS. */
int as_loan_span_check(int64_t from, int64_t until);
/* What the loan reminder job owes a loan due on day due, today, given what
 * was sent: 0 nothing, 1 the reminder days ahead, 2 the overdue notice. */
int as_loan_reminder(int64_t due, int64_t today, int64_t remind_days, int reminded_due,
                     int reminded_overdue);

/* hooks and step rules */
int as_disposal_before_write(struct res_write *w);
int as_disposal_after_write(struct res_write *w);
int as_disposal_submit_check(struct wf *w);
int as_disposal_approve_check(struct wf *w);
int as_disposal_approve_then(struct wf *w);
int as_disposal_restore_then(struct wf *w);
int as_transfer_before_write(struct res_write *w);
int as_transfer_after_write(struct res_write *w);
int as_hand_in_check(struct wf *w);
int as_withdraw_check(struct wf *w);
int as_pool_request_before_write(struct res_write *w);
int as_pool_request_after_write(struct res_write *w);
/* Closes asset's open pool item (status "reused" or "withdrawn"), if any. */
int as_pool_close_item(struct req *r, struct db_conn *c, int64_t asset, const char *status,
                       struct err *e);
int as_pool_approve_check(struct wf *w);
int as_pool_approve_then(struct wf *w);
int as_pool_return_check(struct wf *w);
int as_pool_return_then(struct wf *w);

/* routes: GET /api/v1/pool (the pool's gallery: ?q=&class_id=&category_id=
 * &condition=&cursor=&limit=) and GET /api/v1/pool/check?class_id=
 * &category_id= (does the pool hold usable items?) */
int as_pool_list(struct req *r);
int as_pool_check(struct req *r);
/* GET /api/v1/pool/summary: as_pool_summary's figures */
int as_pool_summary_route(struct req *r);
/* the daily job assets.loan_reminders */
struct job_ctx;
int as_job_loan_reminders(struct job_ctx *j, struct err *e);

/* The flag before procurement: the number of pooled assets in usable
 * condition (good or fair) of class class_id (or its sub-classes) and/or
 * depreciation category category_id (0: either) in r's tenant, into *n. A
 * purchase request for such a class should be shown these before it goes to
 * procurement (reuse instead of buying). Returns 0 or a negative ERR_*. */
int as_pool_available(struct req *r, struct db_conn *c, int64_t class_id, int64_t category_id,
                      int *n, struct err *e);
/* Adds the pool's and the disposals' figures to a dashboard card object:
 * reused_value_year_fen (the original value of the assets reused from the
 * pool this calendar year: the purchases saved), reused_year (how many),
 * pool_items (assets in the pool now), loans_out, loans_overdue and
 * disposals_awaiting (submitted batches). */
int as_pool_summary(struct req *r, struct db_conn *c, json_t *card, struct err *e);
/* The demo pool, requests, loans, transfers and disposals (end of as_demo). */
int as_pool_demo(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e);

#endif
