/* SPDX-License-Identifier: MIT
 * fleet/rules.c - the checks the fleet module applies everywhere: the
 * format of a Chinese plate, which licence class may drive which vehicle,
 * renewal eligibility (years in use and mileage) with its calendar
 * arithmetic, the price and displacement limits of the class standards, and
 * the plausibility of a trip (start time, average speed, distance). No
 * database here: the unit tests call these directly.
 */
#include "fleet.h"
#include "../../base/err.h"

#include <stdio.h>
#include <string.h>

int fl_licence_fits(const char *lic, int64_t seats, int automatic)
{
    static const char *const small[] = {"A1", "A2", "A3", "B1", "B2", "C1", NULL};
    static const char *const medium[] = {"A1", "B1", NULL};
    static const char *const large[] = {"A1", NULL};
    if (!lic)
        return 0;
    if (seats <= 9 && automatic && !strcmp(lic, "C2"))
        return 1;
    const char *const *ok = seats <= 9 ? small : seats <= 19 ? medium : large;
    for (; *ok; ok++)
        if (!strcmp(*ok, lic))
            return 1;
    return 0;
}

/* ---- civil dates from day numbers ---- */

static void civil(int64_t day, int64_t *y, int *m, int *d)
{
    int64_t z = day + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int64_t days_from(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int64_t fl_add_years(int64_t day, int n)
{
    int64_t y;
    int m, d;
    civil(day, &y, &m, &d);
    y += n;
    if (m == 2 && d == 29 && !leap(y))
        d = 28;
    return days_from(y, m, d);
}

int fl_full_years(int64_t a, int64_t b)
{
    if (b < a)
        return 0;
    int64_t ya, yb;
    int ma, da, mb, db;
    civil(a, &ya, &ma, &da);
    civil(b, &yb, &mb, &db);
    int n = (int)(yb - ya);
    if (n > 0 && fl_add_years(a, n) > b)
        n--;
    return n;
}

int fl_eligible(const struct fl_rule *rule, int64_t reg, int64_t ref, int64_t km)
{
    int years_ok = 1, km_ok = 1;
    if (rule->min_years > 0) {
        int64_t at = fl_add_years(reg, rule->min_years);
        years_ok = rule->more_than ? ref > at : ref >= at;
    }
    if (rule->min_km > 0)
        km_ok = km >= rule->min_km;
    if (rule->either && rule->min_km > 0 && rule->min_years > 0)
        return years_ok || km_ok;
    return years_ok && km_ok;
}

/* ---- class standards ---- */

int fl_new_energy(const char *energy)
{
    return energy && (!strcmp(energy, "electric") || !strcmp(energy, "phev"));
}

int fl_standard_over(const struct fl_limits *nev, const struct fl_limits *fuel, const char *energy,
                     int64_t price_fen, int64_t disp_ml)
{
    int over = 0;
    const struct fl_limits *p = fl_new_energy(energy) ? nev : fuel;
    if (p && p->price_fen >= 0 && price_fen >= 0 && price_fen > p->price_fen)
        over |= FL_OVER_PRICE;
    int electric = energy && !strcmp(energy, "electric");
    if (!electric && fuel && fuel->disp_tenths >= 0 && disp_ml >= 0 &&
        disp_ml > fuel->disp_tenths * 100)
        over |= FL_OVER_DISPLACEMENT;
    return over;
}

/* ---- plausible trips ---- */

int fl_start_off(int64_t planned, int64_t t, int64_t window_min)
{
    int64_t d = t > planned ? t - planned : planned - t;
    return d > window_min * 60;
}

int fl_still_out(int64_t due, int64_t now, int64_t start, int64_t hold_min)
{
    return due < now && start < now + hold_min * 60;
}

int fl_too_fast(int64_t km, int64_t secs, int64_t max_kmh)
{
    if (secs < 0)
        secs = 0;
    return km * 3600 > max_kmh * secs;
}

int fl_distance_unusual(int64_t km, int64_t usual, int64_t ratio_pct, int64_t slack_km)
{
    int64_t diff = km > usual ? km - usual : usual - km;
    if (diff <= slack_km)
        return 0;
    return km * 100 > usual * ratio_pct || usual * 100 > km * ratio_pct;
}

int64_t fl_median(int64_t *v, int n)
{
    if (n <= 0)
        return 0;
    for (int i = 1; i < n; i++) /* a few dozen at most: insertion sort */
        for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            int64_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
