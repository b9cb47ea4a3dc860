/* SPDX-License-Identifier: MIT
 * calendar.h - the tenant's working calendar, a service every module uses:
 * working hours (tenants.work_hours, e.g. "09:00-12:00,14:00-18:00" local
 * time), Monday to Friday as working days, except where calendar_days says
 * otherwise: public holidays ("off") and the weekend days worked instead
 * (调休上班, "workday"), seeded from the State Council's notices.
 *
 * Times are UTC seconds; a "day" is a local calendar day numbered from
 * 1970-01-01 (date_parse). The SLA clocks of the service desk and the legal
 * periods of procurement count with it.
 */
#ifndef BUREAU_CALENDAR_H
#define BUREAU_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

struct req;
struct db_conn;
struct err;

#define CAL_MAX_PERIODS 6
#define CAL_NEVER INT64_MAX /* cal_add_working when the calendar has no working time */

struct cal_period {
    int start, end; /* minutes after local midnight, start < end */
};

struct cal_exception {
    int32_t day;
    int32_t workday; /* 1: a working day (调休上班); 0: a day off */
};

struct calendar {
    int utc_offset_min;
    int nperiods;
    struct cal_period periods[CAL_MAX_PERIODS]; /* ascending, not overlapping */
    int nexc;
    const struct cal_exception *exc; /* ascending by day */
};

/* One row of the national table seeded into new tenants (holidays.c). */
struct cal_seed_day {
    const char *date; /* YYYY-MM-DD */
    int workday;      /* 1: 调休上班; 0: day off */
    const char *name, *source;
};
extern const struct cal_seed_day cal_seed_days[]; /* ends with {0} */

/* Parses working hours "HH:MM-HH:MM[,HH:MM-HH:MM…]" (ascending, not
 * overlapping, at most CAL_MAX_PERIODS). 0, or -1 with the reason in *why. */
struct err_item;
int cal_parse_hours(const char *s, size_t n, struct cal_period *p, int *np, struct err_item *why);

/* 1 when day is a working day. */
int cal_is_workday(const struct calendar *c, int64_t day);
/* The local day of UTC instant t. */
int64_t cal_day_of(const struct calendar *c, int64_t t);
/* Working seconds in [from, to) (0 when to <= from). */
int64_t cal_working_seconds(const struct calendar *c, int64_t from, int64_t to);
/* The instant at which secs working seconds have passed after from
 * (from itself when secs <= 0); CAL_NEVER when there is no working time. */
int64_t cal_add_working(const struct calendar *c, int64_t from, int64_t secs);
/* The n-th working day after day (n >= 1), e.g. the last day of a period of
 * "5 working days" counted from the day after day; day itself when n <= 0. */
int64_t cal_add_workdays(const struct calendar *c, int64_t day, int n);
/* Working days in [from, to). */
int64_t cal_workdays_between(const struct calendar *c, int64_t from, int64_t to);

/* The calendar of tenant, copied into r's arena (cached per process for a
 * minute, and dropped at once when this process changes it). */
int cal_load(struct req *r, struct db_conn *c, int64_t tenant, struct calendar *out,
             struct err *e);
/* Drops the cached calendar of tenant. */
void cal_forget(int64_t tenant);
/* The calendar of tenant as the database holds it now, read on c (inside its
 * open transaction: a hook sees its own write), never from the cache. */
int cal_load_fresh(struct req *r, struct db_conn *c, int64_t tenant, struct calendar *out,
                   struct err *e);

/* ---- coverage: has a year's notice been entered? ----
 * The State Council publishes each year's holidays around November of the
 * year before. Without them a year counts 元旦 and the Spring Festival as
 * working days, so a calendar must cover the current year, and from
 * 1 November the next one too. A year counts as covered when the calendar
 * has a day off on its 1 January: 元旦 is a statutory holiday, in every
 * year's notice, and no local day off (a typhoon day) or half-entered notice
 * without it makes the year look done. */

/* The year of local day day. */
int cal_year_of(int64_t day);
/* 1 when c has a day off on 1 January of year, else 0. */
int cal_covers(const struct calendar *c, int year);
/* The years a calendar must cover on local day today, into years[]: this
 * year, and from 1 November also the next. Returns how many (1 or 2). */
int cal_years_needed(int64_t today, int years[2]);
/* The years of cal_years_needed(today) that c does not cover, into
 * missing[] (ascending). Returns how many (0 to 2). */
int cal_missing_years(const struct calendar *c, int64_t today, int missing[2]);

/* ---- changes: who counts working time counts again ----
 * A module that stores instants computed in working time (the due times of
 * service requests) subscribes from its init (module.h) and recomputes them
 * when days of the calendar change. */
struct cal_change {
    int64_t tenant;
    int64_t from_day, to_day;         /* the local days whose kind changed, inclusive */
    const struct calendar *before, *after; /* the whole calendar either side of the change */
};
/* Called inside the transaction of the change, with r acting for the tenant;
 * adds to *moved the records it changed (each written and audited), and
 * returns 0 or a negative ERR_* (which rolls the change back). */
typedef int (*cal_change_fn)(struct req *r, struct db_conn *c, const struct cal_change *ch,
                             int64_t *moved, struct err *e);
#define CAL_MAX_LISTENERS 8
/* Subscribes fn; a function already subscribed is not added twice. */
void cal_on_change(cal_change_fn fn);
/* Tells every subscriber; *moved receives the sum of what they moved. */
int cal_changed(struct req *r, struct db_conn *c, const struct cal_change *ch, int64_t *moved,
                struct err *e);
/* The due instant of a clock that started at start and was due at due
 * under before, counted again under after: the same working time from
 * start. due itself when due <= start; CAL_NEVER when after has no working
 * time left. */
int64_t cal_rebase(const struct calendar *before, const struct calendar *after, int64_t start,
                   int64_t due);

#endif
