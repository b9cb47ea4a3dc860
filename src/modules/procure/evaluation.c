/* SPDX-License-Identifier: MIT
 * procure/evaluation.c - the evaluation's formulas, pure C (committee.h):
 *
 *   - price score (综合评分法, 财政部令第87号 第55条): the lowest valid price
 *     is the benchmark and scores full marks (100); another price scores
 *     benchmark ÷ price × 100; its points are the score × the price's
 *     weight (price_weight_pct) ÷ 100;
 *   - the technical and commercial points of a bid: each member's sum over
 *     the rubric's items, and the bid's the mean of its members' sums
 *     (第55条: each member scores independently, the scores are gathered);
 *   - ranking: comprehensive by total, descending (第55条: equal totals by
 *     price, ascending), then by technical points, descending, then by the
 *     bid's id (the earlier submission); lowest price (第56条) by price,
 *     ascending, then technical points, then the bid's id. Bids that do not
 *     pass are not ranked;
 *   - abnormally low (第60条): a price under abnormal_pct % of the mean of
 *     the other passing bids' prices is flagged for a written explanation.
 *
 * Every figure is in hundredths of a point, rounded half up.
 */
#include "committee.h"
#include "../../base/base.h"

#include <stdlib.h> /* the ranking's array (no VLA) */

int64_t pc_price_score(int64_t benchmark_fen, int64_t price_fen)
{
    if (price_fen <= 0 || benchmark_fen <= 0)
        return 0;
    if (benchmark_fen >= price_fen)
        return 10000;
    /* benchmark × 10000 ÷ price, half up */
    return (benchmark_fen * 20000 + price_fen) / (2 * price_fen);
}

int64_t pc_mean(const int64_t *v, int n)
{
    if (n <= 0)
        return 0;
    int64_t s = 0;
    for (int i = 0; i < n; i++)
        s += v[i];
    return (2 * s + n) / (2 * (int64_t)n);
}

static int cmp(const void *pa, const void *pb, void *arg)
{
    int lowest = *(const int *)arg;
    const struct pc_bid_eval *a = *(const struct pc_bid_eval *const *)pa,
                             *b = *(const struct pc_bid_eval *const *)pb;
    if (!lowest && a->total != b->total)
        return a->total > b->total ? -1 : 1;
    if (a->price_fen != b->price_fen)
        return a->price_fen < b->price_fen ? -1 : 1;
    if (a->tech != b->tech)
        return a->tech > b->tech ? -1 : 1;
    return (a->bid_id > b->bid_id) - (a->bid_id < b->bid_id);
}

void pc_evaluate(struct pc_bid_eval *b, int n, int lowest_price, int weight_pct, int abnormal_pct)
{
    int64_t bench = 0, sum = 0;
    int np = 0;
    for (int i = 0; i < n; i++)
        if (b[i].passes && b[i].price_fen > 0) {
            if (!bench || b[i].price_fen < bench)
                bench = b[i].price_fen;
            sum += b[i].price_fen;
            np++;
        }
    struct pc_bid_eval **order = core_malloc(sizeof(*order) * (size_t)(n > 0 ? n : 1));
    int k = 0;
    for (int i = 0; i < n; i++) {
        struct pc_bid_eval *x = &b[i];
        x->rank = 0;
        x->abnormal_low = 0;
        if (!x->passes || x->price_fen <= 0) {
            x->price_score = x->price_points = 0;
            x->total = x->tech;
            continue;
        }
        x->price_score = pc_price_score(bench, x->price_fen);
        x->price_points = (x->price_score * weight_pct * 2 + 100) / 200;
        x->total = lowest_price ? x->tech : x->tech + x->price_points;
        /* the others' mean: (sum − price) ÷ (np − 1); flagged when price ×
         * 100 × (np − 1) < pct × (sum − price) */
        if (np > 1 &&
            (__int128)x->price_fen * 100 * (np - 1) < (__int128)abnormal_pct * (sum - x->price_fen))
            x->abnormal_low = 1;
        if (order)
            order[k++] = x;
    }
    qsort_r(order, (size_t)k, sizeof(order[0]), cmp, &lowest_price);
    for (int i = 0; i < k; i++)
        order[i]->rank = i + 1;
    core_free(order);
}
