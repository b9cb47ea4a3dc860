/* SPDX-License-Identifier: MIT
 * booking/rules.c - the pure rules of a booking: opening hours per weekday
 * and their text form, the working calendar's closed days, slot alignment,
 * the booking window, the most places taken at once over an interval, the
 * week a quota counts in (Monday 00:00 local time), the cancellation
 * cut-off. No database, no request: tests/unit/t_booking.c checks them with
 * hand-computed figures.
 */
#include "booking.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../org/calendar.h"

#include <string.h>

int bk_weekday(int64_t day)
{
    /* 1970-01-01 was a Thursday (4) */
    int64_t k = (day + 3) % 7;
    return (int)(k < 0 ? k + 7 : k) + 1;
}

int64_t bk_week_start(int64_t day)
{
    return day - (bk_weekday(day) - 1);
}

int64_t bk_day_of(int64_t t, int utc_off)
{
    int64_t s = t + (int64_t)utc_off * 60;
    return s >= 0 ? s / 86400 : (s - 86399) / 86400;
}

void bk_week_of(int64_t t, int utc_off, int64_t *from, int64_t *to)
{
    int64_t monday = bk_week_start(bk_day_of(t, utc_off));
    *from = monday * 86400 - (int64_t)utc_off * 60;
    *to = *from + 7 * 86400;
}

static int digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if ((*p)[i] < '0' || (*p)[i] > '9')
            return -1;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

/* "HH:MM" into minutes (24:00 allowed when end). */
static int hhmm(const char **p, int end, int *min)
{
    int h, m;
    if (digits(p, 2, &h) || **p != ':')
        return -1;
    (*p)++;
    if (digits(p, 2, &m) || m > 59 || h > 24 || (h == 24 && (m || !end)))
        return -1;
    *min = h * 60 + m;
    return 0;
}

static void skip_sp(const char **p)
{
    while (**p == ' ')
        (*p)++;
}

int bk_hours_parse(const char *s, struct bk_week *w, struct err_item *why)
{
    for (int d = 0; d < 8; d++)
        w->open[d] = w->close[d] = -1;
    const char *p = s ? s : "";
    int any = 0;
    for (;;) {
        int days[8] = {0}, open, close;
        skip_sp(&p);
        if (!*p)
            break;
        /* the weekdays: "1-5", "6,7", "1-3,5" */
        for (;;) {
            int a = *p - '0', b;
            if (a < 1 || a > 7)
                return err_item_set(why, "booking.hours_format",
                                    "expected a weekday 1 (Monday) to 7 (Sunday) at {at}%.20s", p);
            p++;
            b = a;
            if (*p == '-') {
                b = p[1] - '0';
                if (b < a || b > 7)
                    return err_item_set(why, "booking.hours_format",
                                        "bad weekday range at {at}%.20s", p);
                p += 2;
            }
            for (int d = a; d <= b; d++)
                days[d] = 1;
            if (*p != ',')
                break;
            p++;
        }
        skip_sp(&p);
        if (hhmm(&p, 0, &open) || *p != '-')
            return err_item_set(why, "booking.hours_format", "expected HH:MM-HH:MM at {at}%.20s",
                                p);
        p++;
        if (hhmm(&p, 1, &close) || close <= open)
            return err_item_set(why, "booking.hours_format",
                                "expected a closing time after the opening at {at}%.20s", p);
        for (int d = 1; d <= 7; d++) {
            if (!days[d])
                continue;
            if (w->open[d] >= 0)
                return err_item_set(why, "booking.hours_format",
                                    "weekday {weekday}%d is given twice", d);
            w->open[d] = open;
            w->close[d] = close;
            any = 1;
        }
        skip_sp(&p);
        if (*p == ';')
            p++;
        else if (*p)
            return err_item_set(why, "booking.hours_format", "expected ; at {at}%.20s", p);
    }
    if (!any)
        return err_item_set(why, "booking.hours_format", "no opening hours given");
    return 0;
}

int bk_day_hours(const struct bk_rules *rs, const struct calendar *cal, int64_t day, int *open,
                 int *close)
{
    int wd = bk_weekday(day);
    if (cal && rs->closed == BK_WORKDAYS_ONLY) {
        if (!cal_is_workday(cal, day))
            return 1;
        if (rs->week.open[wd] < 0) /* a weekend day worked instead: Monday's hours */
            wd = 1;
    } else if (cal && rs->closed == BK_CLOSED_HOLIDAYS) {
        for (int i = 0; i < cal->nexc; i++)
            if (cal->exc[i].day == day && !cal->exc[i].workday)
                return 1;
    }
    if (rs->week.open[wd] < 0)
        return 1;
    *open = rs->week.open[wd];
    *close = rs->week.close[wd];
    return 0;
}

static void hm(int min, char out[8])
{
    out[0] = (char)('0' + min / 600);
    out[1] = (char)('0' + min / 60 % 10);
    out[2] = ':';
    out[3] = (char)('0' + min % 60 / 10);
    out[4] = (char)('0' + min % 10);
    out[5] = 0;
}

int bk_check_time(const struct bk_rules *rs, const struct calendar *cal, int utc_off, int64_t now,
                  int64_t start, int64_t end, struct err_item *why, const char **field)
{
    int64_t day = bk_day_of(start, utc_off), today = bk_day_of(now, utc_off);
    char date[16];
    date_format(day, date, sizeof(date));
    *field = "start_at";
    if (start < now)
        return err_item_set(why, "booking.past", "starts in the past ({date}%s)", date);
    if (rs->window_days >= 0 && day > today + rs->window_days)
        return err_item_set(why, "booking.window",
                            "may be booked at most {days}%d days ahead ({date}%s is too far)",
                            rs->window_days, date);
    int open, close;
    if (bk_day_hours(rs, cal, day, &open, &close))
        return err_item_set(why, "booking.closed", "the resource is closed on {date}%s", date);
    int64_t midnight = day * 86400 - (int64_t)utc_off * 60;
    int64_t from = (start - midnight) / 60, to = (end - midnight) / 60;
    char o[8], c[8];
    hm(open, o);
    hm(close, c);
    if ((start - midnight) % 60 || (end - midnight) % 60 || from < open || to > close) {
        *field = from < open || (start - midnight) % 60 ? "start_at" : "end_at";
        return err_item_set(why, "booking.hours", "open on {date}%s from {opens}%s to {closes}%s",
                            date, o, c);
    }
    if (rs->slot_min > 0 && ((from - open) % rs->slot_min || (to - from) % rs->slot_min)) {
        *field = (from - open) % rs->slot_min ? "start_at" : "end_at";
        return err_item_set(why, "booking.slot",
                            "bookings start on a slot of {slot_min}%d minutes from {opens}%s "
                            "and last whole slots",
                            rs->slot_min, o);
    }
    return 0;
}

int64_t bk_peak(const struct bk_span *v, int n, int64_t from, int64_t to)
{
    int64_t best = 0;
    /* the load only rises where a booking starts: look at from and at
     * every start inside the interval */
    for (int i = -1; i < n; i++) {
        int64_t t = i < 0 ? from : v[i].start;
        if (t < from || t >= to)
            continue;
        int64_t sum = 0;
        for (int k = 0; k < n; k++)
            if (v[k].start <= t && t < v[k].end)
                sum += v[k].party;
        if (sum > best)
            best = sum;
    }
    return best;
}

int bk_cancel_ok(int64_t start, int64_t now, int hours)
{
    return now <= start - (int64_t)hours * 3600;
}
