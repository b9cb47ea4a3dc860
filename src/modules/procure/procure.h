/* SPDX-License-Identifier: MIT
 * procure.h - sunshine procurement 阳光采购: projects through their lawful
 * steps and periods (the working calendar), suppliers, sealed bids nobody
 * can open before the opening (sealed to a key that exists only as k-of-n
 * shares held by the opening officials), the reproducible random draw of
 * the evaluation committee with recusal, evaluation by the national price
 * formula, publicity and complaints, contracts and savings, and each
 * project as an OCDS release package (docs/modules/procurement.md).
 *
 * Parts: the project's life (project_entities.c, projects.c, periods.c,
 * contracts.c, savings.c, ocds.c), the sealed bids (supplier_entities.c,
 * bid_entities.c, bids.c, opening.c) and the committee (expert_entities.c,
 * draws.c, draw.c, evaluation.c, evaluations.c). A part reads another's
 * rows of this module by the field names its entities declare.
 */
#ifndef BUREAU_PROCURE_H
#define BUREAU_PROCURE_H

#include "../../engine/module.h"
#include "../../engine/res.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct req;
struct db_conn;
struct err;
struct wf;

#define PC_SINCE 8 /* the schema version the module arrived with */

extern const struct module procure_module;

/* ---- entities.c, seed.c: the tenant's settings (procurement_rules.csv) ---- */
extern const struct res_entity pc_settings;
/* Defaults when a tenant has no row: RULES.md §4. Money in fen. */
#define PC_TENDER_THRESHOLD_FEN 400000000LL  /* goods/services: 4,000,000 yuan (Guangdong) */
#define PC_DECENTRAL_LIMIT_FEN 100000000LL   /* goods/services: 1,000,000 yuan (central) */
#define PC_DECENTRAL_WORKS_FEN 120000000LL   /* works: 1,200,000 yuan (central) */
#define PC_PRICE_WEIGHT_GOODS 30             /* percent, comprehensive scoring (87号令 第55条) */
#define PC_PRICE_WEIGHT_SERVICES 10          /* percent */
#define PC_COMMITTEE_MIN 5                   /* tender: at least 5, odd (87号令 第47条) */
#define PC_COMMITTEE_MIN_LARGE 7             /* budget ≥ the large budget below */
#define PC_COMMITTEE_LARGE_FEN 1000000000LL  /* 10,000,000 yuan */
#define PC_COMMITTEE_MIN_OTHER 3             /* negotiation, enquiry, consultation */
#define PC_RECUSAL_YEARS 3                   /* 实施条例 第9条 */
#define PC_RECENT_DRAW_MONTHS 0              /* tenant rule: not drawn for the same purchaser */
#define PC_BID_PERIOD_DAYS 20                /* 政府采购法 第35条 */
#define PC_TENDER_NOTICE_WD 5                /* 87号令 */
#define PC_RESULT_NOTICE_WD 1                /* 87号令 第69条 */
#define PC_COMPLAINT_WD 7                    /* 法 第52条 */
#define PC_COMPLAINT_REPLY_WD 7              /* 法 第53条 */
#define PC_CONTRACT_DAYS 30                  /* 法 第46条 */
#define PC_CONTRACT_PUBLISH_WD 2             /* 实施条例 第50条 */
#define PC_ABNORMAL_LOW_PCT 80               /* tenant rule: below 80 % of the others' mean */
int64_t pc_setting(struct req *r, struct db_conn *c, const char *name, int64_t dflt);
int pc_seed_tenant(struct db_conn *c, int64_t tenant_id, struct err *e);
/* The "assigned" scope of records naming a user (user_id of a supplier, an
 * expert, an official): the caller's own user (draws.c). */
int pc_assigned_user(struct req *r, struct db_conn *c, int64_t **ids, int *n, struct err *e);

/* ---- the project's life: project_entities.c, projects.c, periods.c,
 * contracts.c, savings.c, ocds.c, summary.c ---- */
extern const struct res_entity pc_projects, pc_complaints, pc_contracts, pc_payments;
int pc_summary(struct req *r, struct db_conn *c, json_t *cards, struct err *e);

/* ---- the sealed bids: supplier_entities.c, bid_entities.c, bids.c, opening.c ---- */
extern const struct res_entity pc_suppliers, pc_bids;

/* ---- the committee: expert_entities.c, draws.c, draw.c, evaluation.c,
 * evaluations.c ---- */
extern const struct res_entity pc_experts, pc_draws;
extern const struct res_entity pc_relations, pc_members, pc_items, pc_scores, pc_reports;
/* `bureau procure verify-draw …` */
int pc_command(int argc, char **argv);

/* ---- demo data, in this order (demo.c) ---- */
int pc_demo_suppliers(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e);
int pc_demo_experts(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e);
int pc_demo_projects(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e);
int pc_demo_bids(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e);
int pc_demo_committee(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e);
int pc_demo_contracts(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e);

#endif
