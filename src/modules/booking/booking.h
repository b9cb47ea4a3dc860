/* SPDX-License-Identifier: MIT
 * booking.h - service centre bookings 党群服务中心预约: the centre's rooms,
 * courts and services and the meeting rooms of each building, booked by the
 * slot without ever going over a resource's capacity (even when many clients
 * race for the last place), within its opening hours, the working calendar,
 * its booking window and the per-person weekly quota; approval where the
 * resource asks for it, cancellation up to a cut-off, check-in at the door
 * with the booking's code, no-shows recorded (docs/modules/booking.md).
 *
 * Booking states: pending → confirmed (approve) | rejected (reject);
 * pending or confirmed → cancelled; confirmed → checked_in (check_in) |
 * no_show (no_show, or the job after the grace period). Pending, confirmed
 * and checked-in bookings hold their places; no-shows count against the
 * booker's weekly quota, cancellations and rejections do not.
 */
#ifndef BUREAU_BOOKING_H
#define BUREAU_BOOKING_H

#include "../../engine/res.h"
#include "../../engine/module.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

extern const struct res_entity bk_resources, bk_bookings, bk_series, bk_settings;
extern const struct res_entity bk_feeds; /* calendar_feeds (feeds.c) */
extern const struct module booking_module;

struct req;
struct db_conn;
struct err;
struct err_item;
struct calendar;
struct job_ctx;

#define BK_SERIES_MAX 48        /* occurrences of one series (one problem item each) */
#define BK_RANGE_MAX_DAYS 62    /* an availability answer covers at most this many days */
#define BK_CHECKIN_EARLY_MIN 15 /* check-in opens this long before the start */
#define BK_NO_SHOW_MIN 15       /* default grace before a booking counts as a no-show */
#define BK_CODE_LEN 12          /* characters of a check-in code */

/* ---- rules.c: pure rules (unit-tested) ---- */

/* Opening hours per weekday (1 Monday … 7 Sunday; index 0 unused), in
 * minutes after local midnight; open[d] < 0: closed that weekday. */
struct bk_week {
    int open[8], close[8];
};
/* Parses "1-5 08:30-21:00; 6,7 09:00-18:00" (weekday ranges or lists, one
 * period a weekday, "24:00" for midnight). 0, or -1 with the reason in *why
 * (key booking.hours_format). */
int bk_hours_parse(const char *s, struct bk_week *w, struct err_item *why);
/* The weekday (1 Monday … 7 Sunday) of local day day (days since 1970-01-01). */
int bk_weekday(int64_t day);
/* The Monday that starts day's week. */
int64_t bk_week_start(int64_t day);
/* The local day of UTC instant t at utc_off minutes east of UTC. */
int64_t bk_day_of(int64_t t, int utc_off);

/* When a resource is closed whatever its weekday hours say. */
enum bk_closed {
    BK_OPEN_ALWAYS = 0, /* by its hours only */
    BK_CLOSED_HOLIDAYS, /* closed on the calendar's days off (public holidays) */
    BK_WORKDAYS_ONLY,   /* open on working days only; a weekend day worked
                           instead (调休) keeps Monday's hours */
};
/* What the time rules of a resource need. */
struct bk_rules {
    struct bk_week week;
    enum bk_closed closed;
    int slot_min;    /* bookings start at opening + k·slot and last whole slots */
    int window_days; /* the last bookable day is today + window_days */
};
/* The period [*open, *close) of local day day (minutes), 0; or 1 when the
 * resource is closed that day (cal may be NULL: no calendar). */
int bk_day_hours(const struct bk_rules *rs, const struct calendar *cal, int64_t day, int *open,
                 int *close);
/* The time rules for a booking [start, end) made at now: 0, or the key of
 * the first rule broken with its figures in *why, the field it concerns in
 * *field: booking.past, booking.window {days}, booking.closed {date},
 * booking.hours {opens, closes}, booking.slot {slot_min}. */
int bk_check_time(const struct bk_rules *rs, const struct calendar *cal, int utc_off, int64_t now,
                  int64_t start, int64_t end, struct err_item *why, const char **field);

/* A booking holding places: its interval and party size. */
struct bk_span {
    int64_t start, end, party;
};
/* The most places taken at any instant of [from, to) by v[0..n). */
int64_t bk_peak(const struct bk_span *v, int n, int64_t from, int64_t to);
/* 1 when a booking starting at start may still be cancelled at now with a
 * cut-off of hours before the start. */
int bk_cancel_ok(int64_t start, int64_t now, int hours);
/* The week [*from, *to) in UTC seconds (Monday 00:00 local to the next
 * Monday) of instant t. */
void bk_week_of(int64_t t, int utc_off, int64_t *from, int64_t *to);

/* ---- hooks.c ---- */
int bk_resource_before_write(struct res_write *w);
int bk_booking_before_write(struct res_write *w);
/* Loads resource id's rules (locked first when lock): 0, 1 when there is no
 * such resource, or an error. */
struct bk_resource {
    int64_t id;
    const char *name;
    int64_t capacity, quota, cancel_hours, dept;
    int approval, active;
    const char *roles; /* comma-separated role codes; NULL or "": everyone */
    struct bk_rules rules;
};
int bk_resource_load(struct req *r, struct db_conn *c, int64_t id, int lock,
                     struct bk_resource *out, struct err *e);
/* Every rule of a new booking of user (its role role) for res: the time
 * rules, who may book, the capacity and the weekly quota, refused into e
 * (403, 409 or 422 with the key and figures). skip: a booking id not to
 * count (0: none). */
int bk_check_booking(struct req *r, struct db_conn *c, const struct bk_resource *res, int64_t user,
                     int64_t start, int64_t end, int64_t party, int64_t skip, struct err *e);
/* A fresh check-in code (12 characters, 60 random bits). */
json_t *bk_new_code(void);
/* A tenant setting (booking_settings, the newest row of the name); dflt when none. */
int64_t bk_setting(struct req *r, struct db_conn *c, const char *name, int64_t dflt);

/* ---- workflow.c: the steps' rules ---- */
struct wf;
int bk_cancel_check(struct wf *w);
int bk_check_in_check(struct wf *w);
int bk_no_show_check(struct wf *w);

/* ---- series.c, availability.c: routes ---- */
int bk_series_create(struct req *r); /* POST /api/v1/bookings/series */
int bk_availability(struct req *r);  /* GET /api/v1/resources/{id}/availability */

/* ---- jobs.c, reports.c ---- */
int bk_job_no_shows(struct job_ctx *j, struct err *e);
int bk_summary(struct req *r, struct db_conn *c, json_t *cards, struct err *e);

/* ---- ical.c: the iCalendar writer (pure; libical) ---- */
#define BK_FEED_BACK_DAYS 90     /* a feed shows bookings from this many days back */
#define BK_FEED_AHEAD_DAYS 366   /* … to this many days ahead */
#define BK_FEED_MAX_EVENTS 10000 /* … at most this many: the upcoming, then the latest past */
struct buf;
/* One booking as a VEVENT; times in UTC seconds, text UTF-8 (escaped and
 * folded by the writer). */
struct bk_ical_event {
    int64_t id;                /* UID booking-<id>@<domain> */
    int64_t start, end;        /* DTSTART, DTEND */
    int64_t created, modified; /* CREATED; DTSTAMP and LAST-MODIFIED */
    int64_t sequence;          /* SEQUENCE: the booking's version less one */
    const char *status;        /* "TENTATIVE", "CONFIRMED" or "CANCELLED" */
    const char *summary, *location, *description; /* NULL or "": left out */
};
struct bk_ical {
    const char *name;   /* X-WR-CALNAME */
    const char *domain; /* the UIDs' right-hand side: "<tenant code>.bureau" */
};
/* The STATUS of a booking in status (pending TENTATIVE; cancelled and
 * rejected CANCELLED; the rest CONFIRMED). */
const char *bk_ical_status(const char *status);
/* Appends the VCALENDAR of v[0..n) to out: 0 or a negative ERR_*. */
int bk_ical_write(const struct bk_ical *cal, const struct bk_ical_event *v, int n, struct buf *out,
                  struct err *e);
/* A digest of everything bk_ical_write would write for the same arguments
 * (hex, NUL-terminated): the feed's ETag, known before the calendar is
 * written. */
#define BK_ICAL_DIGEST_HEX 33
void bk_ical_digest(const struct bk_ical *cal, const struct bk_ical_event *v, int n,
                    char hex[BK_ICAL_DIGEST_HEX]);

/* ---- feeds.c: calendar feeds (secret URLs, stored hashed) ---- */
int bk_feed_create(struct req *r); /* POST /api/v1/calendar_feeds: the secret shown once */
int bk_feed_serve(struct req *r);  /* GET /ical/{token}.ics: public, the token is the key */
int bk_feed_before_write(struct res_write *w);

/* ---- seed.c / demo.c ---- */
int bk_seed_tenant(struct db_conn *c, int64_t tenant_id, struct err *e);
int bk_demo(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e);

/* ---- vouchers.c: the union's service vouchers 服务券 (voucher_entities.c) ---- */
extern const struct res_entity bk_voucher_batches, bk_vouchers, bk_voucher_keys;

#define BK_VOUCHERS_PER_PERSON_MAX 31 /* vouchers of one batch a person */
#define BK_VOUCHER_CODE_MAX 128       /* characters of a code a client may send */
#define BK_VOUCHER_MAC_LEN 43         /* base64url (no padding) of the 32-byte HMAC */
#define BK_VOUCHER_SERIAL_MAX 40

/* A voucher's code: "BV1.<tenant>.<voucher id>.<serial>.<mac>", mac the
 * HMAC-SHA256 of everything before its dot under the tenant's key,
 * base64url without padding. */
struct bk_voucher_code {
    int64_t tenant, id;
    char serial[BK_VOUCHER_SERIAL_MAX + 1];
    char mac[BK_VOUCHER_MAC_LEN + 1];
    size_t signed_len; /* bytes of the code the MAC covers */
};
/* Writes the code of (tenant, id, serial) under key into out (n bytes):
 * its length, or -1 when it does not fit. */
int bk_voucher_sign(const unsigned char *key, size_t key_len, int64_t tenant, int64_t id,
                    const char *serial, char *out, size_t n);
/* Parses code s (n bytes): 0, or -1 when it is not a code's form (no MAC
 * checked). */
int bk_voucher_parse(const char *s, size_t n, struct bk_voucher_code *out);
/* 1 when the MAC of parsed code s (n bytes) is right under key (constant time). */
int bk_voucher_mac_ok(const unsigned char *key, size_t key_len, const char *s, size_t n,
                      const struct bk_voucher_code *v);
/* 1 when a voucher whose last valid local day is expires_on has expired at
 * local day today. */
int bk_voucher_expired(int64_t expires_on, int64_t today);
/* The first and last day of the month "YYYY-MM": 0, or -1. */
int bk_month_days(const char *month, int64_t *first, int64_t *last);

int bk_batch_before_write(struct res_write *w);
int bk_batch_issue_check(struct wf *w);
int bk_voucher_redeem_check(struct wf *w);
int bk_voucher_redeem(struct req *r);   /* POST /api/v1/vouchers/redeem */
int bk_voucher_mine(struct req *r);     /* GET /api/v1/vouchers/mine */
int bk_voucher_qr(struct req *r);       /* GET /api/v1/vouchers/{id}/qr.svg */
int bk_booking_qr(struct req *r);       /* GET /api/v1/bookings/{id}/qr.svg */
int bk_voucher_stats(struct req *r);    /* GET /api/v1/vouchers/stats(.xlsx) */
int bk_job_voucher_expiry(struct job_ctx *j, struct err *e);
/* This month's redemptions, for the dashboard card (-1 when not the caller's to see). */
int bk_voucher_month_redeemed(struct req *r, struct db_conn *c, int64_t *n, struct err *e);
/* The tenant's signing key, made when the tenant has none. */
int bk_voucher_key_seed(struct db_conn *c, int64_t tenant_id, struct err *e);
int bk_voucher_demo(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e);

#endif
