/* SPDX-License-Identifier: MIT
 * procure/committee.h - the committee part's pure functions (no database):
 * the committee's size rules, recusal by a relation's dates, the
 * reproducible draw (draw.c) and the evaluation's formulas (evaluation.c);
 * docs/modules/procurement.md describes them byte by byte.
 */
#ifndef BUREAU_PROCURE_COMMITTEE_H
#define BUREAU_PROCURE_COMMITTEE_H

#include <stddef.h>
#include <stdint.h>

/* ---- draw.c ---- */
#define PC_DRAW_NONCE "pcdraw01"        /* the ChaCha20 nonce: these 8 ASCII bytes */
#define PC_DRAW_DOMAIN "bureau-draw-v1" /* the seed's first line */

/* The smallest lawful committee for a project (87号令 第47条; 法 第38、40条):
 * min_other for negotiation/consultation/enquiry, min_large at a budget of
 * large_fen or more, min otherwise. */
int pc_committee_min(const char *method, int64_t budget_fen, int64_t min, int64_t min_large,
                     int64_t large_fen, int64_t min_other);
/* 0 when a committee of n with reps purchaser's representatives is lawful
 * for a minimum of min: n ≥ min, n odd, experts (n − reps) ≥ 2/3 of n;
 * otherwise 1 (too small), 2 (even), 3 (too few experts). */
int pc_committee_check(int n, int reps, int min);

/* The first day within "the 3 years before" a draw on day draw_day (days
 * since 1970-01-01): the same month and day `years` years earlier (29
 * February: 28 February). 以内 includes the boundary (民法典 第1259条). */
int64_t pc_recusal_since(int64_t draw_day, int years);
/* 1 when a relation that ended on day to (−1: not ended) reaches within
 * `years` years before draw_day, so the expert is recused. */
int pc_recused(int64_t to, int64_t draw_day, int years);

/* The pool snapshot's canonical text ("id:version\n" for each eligible
 * expert, ascending id) hashed: SHA-256, as 64 lowercase hex (+ NUL). */
struct pc_pool_entry {
    int64_t id, version;
};
void pc_pool_hash(const struct pc_pool_entry *pool, size_t n, char hex[65]);
/* The seed: SHA-256 over "bureau-draw-v1\n" project_id "\n" pool hex "\n"
 * witness (its UTF-8 bytes as entered). */
void pc_draw_seed(int64_t project_id, const char *pool_hex, const char *witness,
                  unsigned char seed[32]);
/* Orders ids (ascending on entry) by Fisher–Yates driven by the ChaCha20
 * keystream of seed: for i = n−1 down to 1, j uniform in [0, i] from the
 * next little-endian 32-bit words (rejection of x ≥ 2^32 − 2^32 mod (i+1)),
 * swap ids[i] and ids[j]. The order is ids[0], ids[1], … Returns the
 * number of 32-bit words read. */
size_t pc_draw_order(const unsigned char seed[32], int64_t *ids, size_t n);
/* Hex of 32 bytes. */
void pc_hex32(const unsigned char b[32], char hex[65]);

/* ---- evaluation.c ---- */
/* Scores are in hundredths of a point (8550 = 85.50) everywhere. */
struct pc_bid_eval {
    int64_t bid_id, supplier_id, price_fen;
    int passes;           /* valid and (lowest price) passes the requirements */
    int64_t tech;         /* mean technical + commercial points, hundredths */
    int64_t price_score;  /* 0..10000: benchmark ÷ price × 100, hundredths */
    int64_t price_points; /* price_score × weight ÷ 100, hundredths */
    int64_t total;        /* tech + price_points (comprehensive) */
    int abnormal_low;     /* price < pct % of the others' mean */
    int rank;             /* 1.. among those that pass; 0: not ranked */
};
/* Price score of price against the benchmark (the lowest valid price), in
 * hundredths, rounded half up: benchmark ÷ price × 100 (87号令 第55条). */
int64_t pc_price_score(int64_t benchmark_fen, int64_t price_fen);
/* The mean of n scores (hundredths), rounded half up. */
int64_t pc_mean(const int64_t *v, int n);
/* Fills price_score, price_points, total, abnormal_low and rank for the n
 * bids: comprehensive (lowest_price = 0) ranks by total, then lower price,
 * then higher tech, then earlier bid id; lowest price ranks by price, then
 * higher tech, then earlier bid id. weight_pct: the price's weight. */
void pc_evaluate(struct pc_bid_eval *b, int n, int lowest_price, int weight_pct, int abnormal_pct);

#endif
