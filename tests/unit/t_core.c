/* SPDX-License-Identifier: MIT
 * t_core.c - arena (cap, realloc, defer), buf (JSON escaping, decimals, sticky
 * error), UTF-8 checks, time and number parsing, the error registry, the
 * check of query parameters (NUL, UTF-8).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/base.h"
#include "base/err.h"
#include "core/http.h"

#include <string.h>

static void test_arena_cap(void **state)
{
    (void)state;
    struct arena *a = arena_new(64 * 1024);
    void *p = arena_alloc(a, 1000);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % 16, 0);
    assert_false(arena_over(a));
    assert_null(arena_alloc(a, 70 * 1024));
    assert_true(arena_over(a));
    /* small allocations still work below the cap after a refusal */
    assert_non_null(arena_alloc(a, 10));
    arena_free(a);
}

static void test_arena_big_and_many(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    for (int i = 0; i < 10000; i++) {
        char *s = arena_printf(a, "item-%d", i);
        assert_non_null(s);
        assert_string_equal(s, i == 9999 ? "item-9999" : s);
    }
    char *big = arena_alloc(a, 1 << 20);
    assert_non_null(big);
    memset(big, 'x', 1 << 20);
    assert_true(arena_used(a) > (1 << 20));
    arena_free(a);
}

static void test_arena_realloc(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    char *p = arena_alloc(a, 16);
    memcpy(p, "0123456789abcde", 16);
    char *q = arena_realloc(a, p, 16, 64);
    assert_ptr_equal(p, q); /* last allocation grows in place */
    assert_memory_equal(q, "0123456789abcde", 16);
    char *r = arena_alloc(a, 8);
    char *q2 = arena_realloc(a, q, 64, 128); /* not last: copies */
    assert_ptr_not_equal(q2, q);
    assert_memory_equal(q2, "0123456789abcde", 16);
    (void)r;
    arena_free(a);
}

static int deferred;
static void on_free(void *p)
{
    deferred = deferred * 10 + (int)(intptr_t)p;
}

static void test_arena_defer(void **state)
{
    (void)state;
    struct arena *a = arena_new(128);
    deferred = 0;
    arena_defer(a, on_free, (void *)1);
    arena_alloc(a, 64);
    arena_defer(a, on_free, (void *)2);
    arena_free(a);
    assert_int_equal(deferred, 21); /* last registered runs first */
}

static void test_buf_json(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, NULL);
    buf_json_str(&b, "a\"b\\c\n\x01\xe4\xb8\xad", 10);
    assert_string_equal(buf_cstr(&b), "\"a\\\"b\\\\c\\n\\u0001中\"");
    buf_truncate(&b, 0);
    buf_json_str(&b, "x\xff\xc0\x80y", 5); /* invalid and overlong UTF-8 */
    assert_string_equal(buf_cstr(&b), "\"x\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdy\"");
    buf_truncate(&b, 0);
    buf_decimal(&b, 12345, 2);
    buf_putc(&b, ' ');
    buf_decimal(&b, -5, 2);
    buf_putc(&b, ' ');
    buf_decimal(&b, 7, 0);
    buf_putc(&b, ' ');
    buf_i64(&b, INT64_MIN);
    assert_string_equal(buf_cstr(&b), "123.45 -0.05 7 -9223372036854775808");
    buf_release(&b);
}

static void test_buf_sticky(void **state)
{
    (void)state;
    struct arena *a = arena_new(4096);
    struct buf b;
    buf_init(&b, a);
    for (int i = 0; i < 1000; i++)
        buf_puts(&b, "0123456789");
    assert_false(buf_ok(&b));
    buf_init(&b, NULL);
    b.max = 5;
    buf_puts(&b, "0123");
    assert_true(buf_ok(&b));
    buf_puts(&b, "45");
    assert_false(buf_ok(&b));
    assert_string_equal(buf_cstr(&b), "0123");
    buf_release(&b);
    arena_free(a);
}

static void test_time(void **state)
{
    (void)state;
    int64_t t, d;
    char s[40];
    assert_int_equal(time_parse_rfc3339("2026-01-31T09:30:00+08:00", 25, &t), 0);
    assert_int_equal(t, 1769823000);
    time_format_rfc3339(t, 480, s, sizeof(s));
    assert_string_equal(s, "2026-01-31T09:30:00+08:00");
    time_format_rfc3339(t, 0, s, sizeof(s));
    assert_string_equal(s, "2026-01-31T01:30:00Z");
    assert_int_equal(time_parse_rfc3339("2026-01-31T01:30:00.123Z", 24, &t), 0);
    assert_int_equal(t, 1769823000);
    assert_int_not_equal(time_parse_rfc3339("2026-01-31T01:30:00", 19, &t), 0); /* no offset */
    assert_int_not_equal(time_parse_rfc3339("2026-02-30T01:30:00Z", 20, &t), 0);
    assert_int_equal(date_parse("2024-02-29", 10, &d), 0);
    assert_int_not_equal(date_parse("2025-02-29", 10, &d), 0);
    assert_int_not_equal(date_parse("2025-1-01", 9, &d), 0);
    assert_int_equal(date_parse("1970-01-02", 10, &d), 0);
    assert_int_equal(d, 1);
    date_format(20000, s, sizeof(s));
    assert_string_equal(s, "2024-10-04");
}

static void test_parse_i64(void **state)
{
    (void)state;
    int64_t v;
    assert_int_equal(parse_i64("9223372036854775807", 19, &v), 0);
    assert_true(v == INT64_MAX);
    assert_int_equal(parse_i64("-9223372036854775808", 20, &v), 0);
    assert_true(v == INT64_MIN);
    assert_int_not_equal(parse_i64("9223372036854775808", 19, &v), 0);
    assert_int_not_equal(parse_i64("12a", 3, &v), 0);
    assert_int_not_equal(parse_i64("", 0, &v), 0);
    assert_int_not_equal(parse_i64("-", 1, &v), 0);
}

static void test_utf8(void **state)
{
    (void)state;
    assert_true(utf8_valid("", 0));
    assert_true(utf8_valid("abc", 3));
    assert_true(utf8_valid("\xe4\xb8\xad\xf0\x9f\x98\x80", 7)); /* 中 😀 */
    assert_true(utf8_valid("a\0b", 3)); /* NUL is UTF-8; the query check refuses it itself */
    assert_false(utf8_valid("\xff", 1));
    assert_false(utf8_valid("\xc0\x80", 2));         /* overlong */
    assert_false(utf8_valid("\xed\xa0\x80", 3));     /* a surrogate */
    assert_false(utf8_valid("\xf4\x90\x80\x80", 4)); /* past U+10FFFF */
    assert_false(utf8_valid("\xe4\xb8", 2));         /* cut short */
    assert_false(utf8_valid("\xc3\x28", 2));
}

static void test_query_arg_check(void **state)
{
    (void)state;
    struct err e;
    err_clear(&e);
    assert_int_equal(req_query_arg_check("name", 4, "\xe4\xb8\xad", 3, &e), 0);
    assert_int_equal(req_query_arg_check("name", 4, NULL, 0, &e), 0);
    assert_int_equal(req_query_arg_check("name", 4, "x\0zzz", 5, &e), -ERR_BAD_QUERY);
    assert_int_equal(e.code, ERR_BAD_QUERY);
    assert_int_equal(e.nitems, 1);
    assert_string_equal(e.items[0].field, "name");
    assert_non_null(strstr(e.detail, "NUL"));
    err_clear(&e);
    assert_int_equal(req_query_arg_check("name[contains]", 14, "\xff", 1, &e), -ERR_BAD_QUERY);
    assert_string_equal(e.items[0].field, "name");
    assert_non_null(strstr(e.detail, "not UTF-8"));
    err_clear(&e);
    assert_int_equal(req_query_arg_check("na\0me", 5, "x", 1, &e), -ERR_BAD_QUERY);
    assert_string_equal(e.items[0].field, "na me");
    err_clear(&e);
    assert_int_equal(req_query_arg_check("\xfe", 1, "x", 1, &e), -ERR_BAD_QUERY);
    assert_non_null(strstr(e.detail, "name is not UTF-8"));
}

static void test_err(void **state)
{
    (void)state;
    struct err e;
    err_clear(&e);
    assert_int_equal(err_set(&e, ERR_INVALID, "name", NULL, "must not be %s", "empty"),
                     -ERR_INVALID);
    assert_int_equal(e.nitems, 1);
    assert_string_equal(e.items[0].field, "name");
    assert_string_equal(err_info(ERR_INVALID)->id, "BUR-201");
    assert_int_equal(err_info(ERR_INVALID)->status, 422);
    assert_int_equal(err_info(12345)->status, 500);
    for (int i = 0; i < 100; i++)
        err_field(&e, "f", NULL, "x");
    assert_int_equal(e.nitems, ERR_MAX_ITEMS);
    /* codes are unique */
    for (const struct err_info *a = err_table(); a->id; a++)
        for (const struct err_info *b = a + 1; b->id; b++)
            assert_string_not_equal(a->id, b->id);
    char q[16];
    err_quote(q, sizeof(q), "a\r\nb\x01", 5);
    assert_string_equal(q, "a  b ");
}

/* Keys and named parameters: "{name}" before a conversion names it. */
static void test_err_keys(void **state)
{
    (void)state;
    struct err e;
    err_clear(&e);
    assert_string_equal(err_key(&e), "internal"); /* nothing set: code 0 → internal's */
    err_set(&e, ERR_CONFLICT, NULL, "fleet.dispatch.vehicle_busy",
            "vehicle {plate}%s is dispatched to request {request}%lld at an overlapping time",
            "粤B·12345", 7LL);
    assert_string_equal(e.key, "fleet.dispatch.vehicle_busy");
    assert_string_equal(e.detail,
                        "vehicle 粤B·12345 is dispatched to request 7 at an overlapping time");
    assert_string_equal(e.params, "{\"plate\":\"粤B·12345\",\"request\":7}");
    /* no key: the code's; unnamed conversions print but are no parameter */
    err_clear(&e);
    err_set(&e, ERR_NOT_FOUND, "id", NULL, "no record %d of %s", 5, "x");
    assert_string_equal(err_key(&e), "record.not_found");
    assert_string_equal(e.params, "");
    assert_string_equal(e.items[0].key, "record.not_found");
    assert_string_equal(e.items[0].msg, "no record 5 of x");
    /* widths, precision, %%, escapes, a decimal, a negative, an unsigned */
    const char *fmt = "{a}%5d|{b}%.2f|{c}%.3s|100%%|{d}%s|{e}%zu|{f}%lld|{g}%c";
    err_clear(&e);
    err_set(&e, ERR_RULE, "area", "space.over", fmt, 42, 26.0, "abcdef", "q\"\\\n", (size_t)3, -9LL,
            'x');
    assert_string_equal(e.detail, "   42|26.00|abc|100%|q\"\\\n|3|-9|x");
    assert_string_equal(e.params, "{\"a\":42,\"b\":26.00,\"c\":\"abc\",\"d\":\"q\\\"\\\\\\n\","
                                  "\"e\":3,\"f\":-9,\"g\":\"x\"}");
    assert_string_equal(e.items[0].key, "space.over");
    assert_string_equal(e.items[0].params, e.params);
    /* a brace that names nothing is text; %s of NULL */
    const char *volatile none = NULL;
    err_field(&e, "x", "field.test", "{not a name}%s {n}", none);
    assert_string_equal(e.items[1].msg, "{not a name}(null) {n}");
    assert_string_equal(e.items[1].params, "");
    /* a parameter that would not fit is left out, the object stays whole */
    char big[400];
    memset(big, 'z', sizeof(big) - 1);
    big[sizeof(big) - 1] = 0;
    err_field(&e, "y", "field.big", "{a}%d {big}%s {b}%d", 1, big, 2);
    assert_string_equal(e.items[2].params, "{\"a\":1,\"b\":2}");
    /* the detail is cut, never inside a UTF-8 sequence */
    err_clear(&e);
    char zh[600] = "";
    for (int i = 0; i < 100; i++)
        strcat(zh, "公");
    err_set(&e, ERR_RULE, NULL, "t", "{s}%s", zh);
    assert_int_equal(strlen(e.detail) % 3, 0);
    assert_true(strlen(e.detail) <= sizeof(e.detail) - 1);
    /* parameters stay well-formed JSON whatever bytes come in: a stray byte is U+FFFD */
    err_clear(&e);
    err_set(&e, ERR_NO_ROUTE, NULL, "request.no_collection", "no collection '{collection}%s'",
            "de\xcfpartment");
    assert_string_equal(e.params, "{\"collection\":\"de\xef\xbf\xbdpartment\"}");
    /* err_invalid counts the items */
    err_clear(&e);
    err_field(&e, "a", "field.required", "is required");
    assert_int_equal(err_invalid(&e), -ERR_INVALID);
    assert_string_equal(e.key, "invalid");
    assert_string_equal(e.detail, "1 field is invalid");
    assert_string_equal(e.params, "{\"n\":1}");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arena_cap),     cmocka_unit_test(test_arena_big_and_many),
        cmocka_unit_test(test_arena_realloc), cmocka_unit_test(test_arena_defer),
        cmocka_unit_test(test_buf_json),      cmocka_unit_test(test_buf_sticky),
        cmocka_unit_test(test_time),          cmocka_unit_test(test_parse_i64),
        cmocka_unit_test(test_err),           cmocka_unit_test(test_err_keys),
        cmocka_unit_test(test_utf8),          cmocka_unit_test(test_query_arg_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
