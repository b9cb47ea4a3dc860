/* SPDX-License-Identifier: MIT
 * canteen/dates.c - the date rules of menus, bookings and food safety, as
 * plain arithmetic on local day numbers (days since 1970-01-01) and UTC
 * seconds (tested with hand-computed vectors in tests/unit/t_canteen_safety.c):
 *
 * - a booking closes booking_cutoff_min minutes before its meal starts;
 * - a product's last day = production date + shelf life − 1 (a 3-day
 *   shelf life from 1 March: fit on 1, 2 and 3 March);
 * - a delivery's record is kept until its last day + 6 months, or, without
 *   a shelf life, its delivery + 24 months (食品安全法 第50条);
 * - a health certificate is valid a year: through the day before the same
 *   date next year (食品安全法 第45条: a yearly health check).
 */
#include "canteen.h"
#include "../../base/base.h"

#include <stdio.h>

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int mdays(int y, int m)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* The day number's year, month and day of the month. */
static void ymd(int64_t day, int *y, int *m, int *d)
{
    char s[16];
    date_format(day, s, sizeof(s));
    *y = *m = *d = 0;
    sscanf(s, "%d-%d-%d", y, m, d);
}

static int64_t from_ymd(int y, int m, int d)
{
    char s[48];
    int64_t out = 0;
    snprintf(s, sizeof(s), "%04d-%02d-%02d", y, m, d);
    date_parse(s, 10, &out);
    return out;
}

int64_t ct_add_months(int64_t day, int months, int *clamped)
{
    int y, m, d;
    ymd(day, &y, &m, &d);
    int k = (y * 12 + (m - 1)) + months;
    y = k / 12;
    m = k % 12 + 1;
    int last = mdays(y, m);
    if (clamped)
        *clamped = d > last;
    return from_ymd(y, m, d > last ? last : d);
}

int64_t ct_cert_expiry(int64_t issued)
{
    int clamped = 0;
    int64_t next = ct_add_months(issued, 12, &clamped);
    /* 29 February: its anniversary is 1 March, the day after the clamped one */
    return clamped ? next : next - 1;
}

int64_t ct_product_expiry(int64_t produced, int64_t shelf_days)
{
    return produced + shelf_days - 1;
}

int64_t ct_delivery_keep_until(int64_t delivered, int64_t last_day, int has_shelf, int after_months,
                               int no_shelf_months)
{
    return has_shelf ? ct_add_months(last_day, after_months, NULL)
                     : ct_add_months(delivered, no_shelf_months, NULL);
}

int64_t ct_cutoff_at(int64_t day, int starts_min, int cutoff_min, int utc_offset_min)
{
    return day * 86400 + (int64_t)(starts_min - utc_offset_min - cutoff_min) * 60;
}
