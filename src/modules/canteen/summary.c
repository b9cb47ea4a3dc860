/* SPDX-License-Identifier: MIT
 * canteen/summary.c - the canteens' dashboard cards.
 */
#include "canteen.h"

int ct_summary(struct req *r, struct db_conn *c, json_t *cards, struct err *e)
{
    return ct_safety_card(r, c, cards, e);
}
