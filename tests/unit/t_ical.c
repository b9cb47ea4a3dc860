/* SPDX-License-Identifier: MIT
 * t_ical.c - the calendar feeds' iCalendar writer (booking/ical.c), its
 * output parsed back by libical's own parser: the calendar's properties,
 * one VEVENT per hand-chosen booking with its UID, times, SEQUENCE and
 * STATUS (pending TENTATIVE, cancelled and rejected CANCELLED and
 * transparent); text with commas, semicolons, backslashes, newlines and
 * Chinese escaped as RFC 5545 §3.3.11 says and read back unchanged (the
 * calendar's name too); lines
 * of at most 75 octets, CRLF, folded without splitting a UTF-8 character.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "modules/booking/booking.h"

#include <libical/ical.h>
#include <string.h>

/* 2026-12-08T09:00:00+08:00 */
#define T0 1796691600

static const char *write_cal(struct arena *a, const struct bk_ical *cal,
                             const struct bk_ical_event *v, int n)
{
    struct buf b;
    struct err e;
    err_clear(&e);
    buf_init(&b, a);
    assert_int_equal(bk_ical_write(cal, v, n, &b, &e), 0);
    buf_putc(&b, 0);
    assert_true(buf_ok(&b));
    return b.p;
}

static icalcomponent *event_of(icalcomponent *vc, const char *uid)
{
    for (icalcomponent *ev = icalcomponent_get_first_component(vc, ICAL_VEVENT_COMPONENT); ev;
         ev = icalcomponent_get_next_component(vc, ICAL_VEVENT_COMPONENT))
        if (!strcmp(icalcomponent_get_uid(ev), uid))
            return ev;
    return NULL;
}

static time_t utc_of(icalproperty *p, struct icaltimetype (*get)(const icalproperty *))
{
    struct icaltimetype t = get(p);
    assert_true(icaltime_is_utc(t));
    return icaltime_as_timet(t);
}

static void test_status(void **state)
{
    (void)state;
    assert_string_equal(bk_ical_status("pending"), "TENTATIVE");
    assert_string_equal(bk_ical_status("confirmed"), "CONFIRMED");
    assert_string_equal(bk_ical_status("checked_in"), "CONFIRMED");
    assert_string_equal(bk_ical_status("no_show"), "CONFIRMED");
    assert_string_equal(bk_ical_status("cancelled"), "CANCELLED");
    assert_string_equal(bk_ical_status("rejected"), "CANCELLED");
}

static void test_parsed_back(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    const struct bk_ical cal = {.name = "预约 · 网球场", .domain = "longgang.bureau"};
    const struct bk_ical_event v[] = {
        {.id = 41,
         .start = T0,
         .end = T0 + 3600,
         .created = T0 - 86400,
         .modified = T0 - 86400,
         .sequence = 0,
         .status = "CONFIRMED",
         .summary = "网球场：双打",
         .location = "体育馆",
         .description = "人数：2\n状态：已预约"},
        {.id = 42,
         .start = T0 + 7200,
         .end = T0 + 9000,
         .created = T0 - 7200,
         .modified = T0 - 600,
         .sequence = 2,
         .status = "CANCELLED",
         .summary = "网球场",
         .location = NULL,
         .description = ""},
        {.id = 43,
         .start = T0 + 86400,
         .end = T0 + 90000,
         .created = T0,
         .modified = T0,
         .sequence = 0,
         .status = "TENTATIVE",
         .summary = "报告厅：讲座"},
    };
    const char *s = write_cal(a, &cal, v, 3);
    icalcomponent *vc = icalparser_parse_string(s);
    assert_non_null(vc);
    assert_int_equal(icalcomponent_isa(vc), ICAL_VCALENDAR_COMPONENT);
    icalproperty *p = icalcomponent_get_first_property(vc, ICAL_VERSION_PROPERTY);
    assert_non_null(p);
    assert_string_equal(icalproperty_get_version(p), "2.0");
    p = icalcomponent_get_first_property(vc, ICAL_PRODID_PROPERTY);
    assert_non_null(p);
    assert_string_equal(icalproperty_get_prodid(p), "-//bureau//Service centre bookings//ZH");
    assert_int_equal(icalcomponent_get_method(vc), ICAL_METHOD_PUBLISH);
    p = icalcomponent_get_first_property(vc, ICAL_CALSCALE_PROPERTY);
    assert_non_null(p);
    assert_string_equal(icalproperty_get_calscale(p), "GREGORIAN");
    p = icalcomponent_get_first_property(vc, ICAL_X_PROPERTY);
    assert_non_null(p);
    assert_string_equal(icalproperty_get_x_name(p), "X-WR-CALNAME");
    assert_string_equal(icalproperty_get_x(p), "预约 · 网球场");
    assert_int_equal(icalcomponent_count_components(vc, ICAL_VEVENT_COMPONENT), 3);
    /* the parser found nothing it had to mend (it adds X-LIC-ERROR properties) */
    assert_int_equal(icalcomponent_count_errors(vc), 0);

    icalcomponent *e1 = event_of(vc, "booking-41@longgang.bureau");
    assert_non_null(e1);
    assert_int_equal(utc_of(icalcomponent_get_first_property(e1, ICAL_DTSTART_PROPERTY),
                            icalproperty_get_dtstart),
                     T0);
    assert_int_equal(
        utc_of(icalcomponent_get_first_property(e1, ICAL_DTEND_PROPERTY), icalproperty_get_dtend),
        T0 + 3600);
    assert_int_equal(utc_of(icalcomponent_get_first_property(e1, ICAL_DTSTAMP_PROPERTY),
                            icalproperty_get_dtstamp),
                     T0 - 86400);
    assert_int_equal(utc_of(icalcomponent_get_first_property(e1, ICAL_LASTMODIFIED_PROPERTY),
                            icalproperty_get_lastmodified),
                     T0 - 86400);
    assert_int_equal(icalcomponent_get_sequence(e1), 0);
    assert_int_equal(icalcomponent_get_status(e1), ICAL_STATUS_CONFIRMED);
    assert_string_equal(icalcomponent_get_summary(e1), "网球场：双打");
    assert_string_equal(icalcomponent_get_location(e1), "体育馆");
    assert_string_equal(icalcomponent_get_description(e1), "人数：2\n状态：已预约");
    assert_null(icalcomponent_get_first_property(e1, ICAL_TRANSP_PROPERTY));

    icalcomponent *e2 = event_of(vc, "booking-42@longgang.bureau");
    assert_non_null(e2);
    assert_int_equal(icalcomponent_get_sequence(e2), 2);
    assert_int_equal(icalcomponent_get_status(e2), ICAL_STATUS_CANCELLED);
    p = icalcomponent_get_first_property(e2, ICAL_TRANSP_PROPERTY);
    assert_non_null(p);
    assert_int_equal(icalproperty_get_transp(p), ICAL_TRANSP_TRANSPARENT);
    /* empty text is left out, not written empty */
    assert_null(icalcomponent_get_first_property(e2, ICAL_LOCATION_PROPERTY));
    assert_null(icalcomponent_get_first_property(e2, ICAL_DESCRIPTION_PROPERTY));
    assert_int_equal(utc_of(icalcomponent_get_first_property(e2, ICAL_DTSTAMP_PROPERTY),
                            icalproperty_get_dtstamp),
                     T0 - 600);

    icalcomponent *e3 = event_of(vc, "booking-43@longgang.bureau");
    assert_non_null(e3);
    assert_int_equal(icalcomponent_get_status(e3), ICAL_STATUS_TENTATIVE);
    assert_null(event_of(vc, "booking-44@longgang.bureau"));
    icalcomponent_free(vc);

    /* the same bookings, the same bytes (the feed's ETag is a hash of them) */
    assert_string_equal(write_cal(a, &cal, v, 3), s);
    arena_free(a);
}

static void test_empty(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    const struct bk_ical cal = {.name = "我的预约", .domain = "t.bureau"};
    const char *s = write_cal(a, &cal, NULL, 0);
    icalcomponent *vc = icalparser_parse_string(s);
    assert_non_null(vc);
    assert_int_equal(icalcomponent_count_components(vc, ICAL_VEVENT_COMPONENT), 0);
    icalcomponent_free(vc);
    arena_free(a);
}

/* 1 when p[0..n) is well-formed UTF-8 (no character cut in two) */
static int utf8_ok(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t k = p[i] < 0x80             ? 1
                   : (p[i] & 0xE0) == 0xC0 ? 2
                   : (p[i] & 0xF0) == 0xE0 ? 3
                   : (p[i] & 0xF8) == 0xF0 ? 4
                                           : 0;
        if (!k || i + k > n)
            return 0;
        for (size_t j = 1; j < k; j++)
            if ((p[i + j] & 0xC0) != 0x80)
                return 0;
        i += k;
    }
    return 1;
}

/* s without its folds (CRLF and one space or tab: RFC 5545 §3.1) */
static const char *unfold(struct arena *a, const char *s)
{
    size_t n = strlen(s), j = 0;
    char *u = arena_alloc(a, n + 1);
    assert_non_null(u);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\r' && s[i + 1] == '\n' && (s[i + 2] == ' ' || s[i + 2] == '\t')) {
            i += 2;
            continue;
        }
        u[j++] = s[i];
    }
    u[j] = 0;
    return u;
}

static void test_escaping_and_folding(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    /* commas, semicolons, a backslash, newlines, and long Chinese text that
     * must be folded (3 octets a character: 75 is not a multiple of 3 once
     * "SUMMARY:" is counted) */
    const char *summary = "报告厅：讲座, 第一讲; 第二讲 \\ 总结\n下半场：机关事务管理局"
                          "党群服务中心职工之家健身房理发室洗车点网球场篮球场物业活动室成果展示室";
    const char *location = "行政中心3号楼,5楼;东侧\n电梯右转";
    const char *desc = "预约人：张三\n人数：2\n状态：已预约；备注：请提前十五分钟到达，"
                       "凭签到码入场，逾时未到记爽约一次，每周限约两次，取消请在开始前两小时";
    /* a name (the resource's, a person's) is text too: no line of its own */
    const struct bk_ical cal = {.name = "预约 · 报告厅\nBEGIN:VEVENT", .domain = "longgang.bureau"};
    const struct bk_ical_event v[] = {
        {.id = 7,
         .start = T0,
         .end = T0 + 3600,
         .created = T0,
         .modified = T0,
         .sequence = 1,
         .status = "CONFIRMED",
         .summary = summary,
         .location = location,
         .description = desc},
    };
    const char *s = write_cal(a, &cal, v, 1);
    /* escaped on the wire: "\," "\;" "\\" "\n" (RFC 5545 §3.3.11), once unfolded */
    const char *u = unfold(a, s);
    assert_non_null(strstr(u, "行政中心3号楼\\,5楼\\;东侧\\n电梯右转"));
    assert_non_null(strstr(u, "讲座\\, 第一讲\\; 第二讲 \\\\ 总结\\n下半场"));
    /* every line ends in CRLF, is at most 75 octets and whole UTF-8 */
    int lines = 0, folded = 0;
    for (const char *p = s; *p;) {
        const char *eol = strstr(p, "\r\n");
        assert_non_null(eol);
        size_t n = (size_t)(eol - p);
        assert_true(n <= 75);
        assert_true(utf8_ok((const unsigned char *)p, n));
        assert_null(memchr(p, '\n', n));
        if (*p == ' ')
            folded++;
        lines++;
        p = eol + 2;
    }
    assert_true(lines > 10);
    assert_true(folded >= 3); /* the summary, the description and the location were long */
    /* and read back as written */
    icalcomponent *vc = icalparser_parse_string(s);
    assert_non_null(vc);
    assert_int_equal(icalcomponent_count_components(vc, ICAL_VEVENT_COMPONENT), 1);
    icalproperty *x = icalcomponent_get_first_property(vc, ICAL_X_PROPERTY);
    assert_non_null(x);
    assert_string_equal(icalproperty_get_x(x), cal.name);
    icalcomponent *ev = event_of(vc, "booking-7@longgang.bureau");
    assert_non_null(ev);
    assert_string_equal(icalcomponent_get_summary(ev), summary);
    assert_string_equal(icalcomponent_get_location(ev), location);
    assert_string_equal(icalcomponent_get_description(ev), desc);
    assert_int_equal(icalcomponent_get_sequence(ev), 1);
    icalcomponent_free(vc);
    arena_free(a);
}

/* the digest (the feed's ETag) follows everything written, and only that */
static void test_digest(void **state)
{
    (void)state;
    struct bk_ical cal = {.name = "预约 · 网球场", .domain = "longgang.bureau"};
    struct bk_ical_event v[2] = {
        {.id = 1,
         .start = T0,
         .end = T0 + 3600,
         .created = T0,
         .modified = T0,
         .status = "CONFIRMED",
         .summary = "网球场",
         .location = "体育馆"},
        {.id = 2,
         .start = T0 + 3600,
         .end = T0 + 7200,
         .created = T0,
         .modified = T0,
         .status = "TENTATIVE",
         .summary = "网球场：双打"},
    };
    char a[BK_ICAL_DIGEST_HEX], b[BK_ICAL_DIGEST_HEX];
    bk_ical_digest(&cal, v, 2, a);
    assert_int_equal(strlen(a), BK_ICAL_DIGEST_HEX - 1);
    bk_ical_digest(&cal, v, 2, b);
    assert_string_equal(a, b);
    v[1].sequence = 1; /* a change of the booking */
    bk_ical_digest(&cal, v, 2, b);
    assert_string_not_equal(a, b);
    v[1].sequence = 0;
    v[1].status = "CANCELLED";
    bk_ical_digest(&cal, v, 2, b);
    assert_string_not_equal(a, b);
    v[1].status = "TENTATIVE";
    v[0].location = "体育馆二楼"; /* a resource moved */
    bk_ical_digest(&cal, v, 2, b);
    assert_string_not_equal(a, b);
    v[0].location = "体育馆";
    bk_ical_digest(&cal, v, 1, b); /* a booking gone from the window */
    assert_string_not_equal(a, b);
    cal.name = "网球场日历"; /* the feed renamed */
    bk_ical_digest(&cal, v, 2, b);
    assert_string_not_equal(a, b);
    cal.name = "预约 · 网球场";
    /* text moved from one field to the next is another calendar */
    v[0].summary = "网球场体育馆";
    v[0].location = NULL;
    bk_ical_digest(&cal, v, 2, b);
    assert_string_not_equal(a, b);
}

/* a year of a court's bookings (15 a day) in one calendar */
static void test_many(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    enum { N = 15 * 365 };
    struct bk_ical_event *v = arena_zalloc(a, sizeof(*v) * N);
    assert_non_null(v);
    for (int i = 0; i < N; i++) {
        int64_t t = T0 + (int64_t)(i / 15) * 86400 + (int64_t)(i % 15) * 3600;
        v[i] = (struct bk_ical_event){.id = 1000 + i,
                                      .start = t,
                                      .end = t + 3600,
                                      .created = t,
                                      .modified = t,
                                      .sequence = i % 3,
                                      .status = i % 10 ? "CONFIRMED" : "CANCELLED",
                                      .summary = "网球场：训练",
                                      .location = "体育馆"};
    }
    const struct bk_ical cal = {.name = "预约 · 网球场", .domain = "longgang.bureau"};
    const char *s = write_cal(a, &cal, v, N);
    icalcomponent *vc = icalparser_parse_string(s);
    assert_non_null(vc);
    assert_int_equal(icalcomponent_count_components(vc, ICAL_VEVENT_COMPONENT), N);
    icalcomponent *ev = event_of(vc, "booking-1010@longgang.bureau");
    assert_non_null(ev);
    assert_int_equal(icalcomponent_get_status(ev), ICAL_STATUS_CANCELLED);
    assert_int_equal(icalcomponent_get_sequence(ev), 10 % 3);
    icalcomponent_free(vc);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status), cmocka_unit_test(test_parsed_back),
        cmocka_unit_test(test_empty),  cmocka_unit_test(test_escaping_and_folding),
        cmocka_unit_test(test_digest), cmocka_unit_test(test_many),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
