/* SPDX-License-Identifier: MIT
 * t_vouchers.c - the union vouchers' pure rules: the signed code against
 * vectors computed independently (openssl dgst -sha256 -hmac KEY -binary |
 * base64url), every byte altered refused, malformed codes refused by the
 * parser; the expiry boundary (the last day is still valid); a month's
 * first and last day (leap years, December); the QR image drawn.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "base/base.h"
#include "base/buf.h"
#include "core/qr.h"
#include "modules/booking/booking.h"

#include <sodium.h>
#include <string.h>

static const unsigned char KEY[] = "bureau-test-key-0123456789abcdef";
#define KEYLEN (sizeof(KEY) - 1)
/* printf '%s' 'BV1.7.4242.HC2612-12-00017' | openssl dgst -sha256 \
 *   -hmac 'bureau-test-key-0123456789abcdef' -binary | base64 | tr '+/' '-_' | tr -d '=' */
static const char CODE[] = "BV1.7.4242.HC2612-12-00017.OMG2jnK1uzWFAaiKw1IsECsSVpH_MPdNq4oJzSIHN3w";

static void test_sign_vector(void **state)
{
    (void)state;
    char out[BK_VOUCHER_CODE_MAX + 1];
    int n = bk_voucher_sign(KEY, KEYLEN, 7, 4242, "HC2612-12-00017", out, sizeof(out));
    assert_int_equal(n, (int)strlen(CODE));
    assert_string_equal(out, CODE);
    /* a second vector: key "k", the shortest code */
    n = bk_voucher_sign((const unsigned char *)"k", 1, 1, 1, "A", out, sizeof(out));
    assert_string_equal(out, "BV1.1.1.A.624IOXTpo-QQz2bxdFXsNmvVUYgYSTdkOlOBM86ynkw");
    /* too small a buffer, a serial with a dot or lower case, no id */
    assert_int_equal(bk_voucher_sign(KEY, KEYLEN, 7, 4242, "HC2612", out, 40), -1);
    assert_int_equal(bk_voucher_sign(KEY, KEYLEN, 7, 4242, "HC.1", out, sizeof(out)), -1);
    assert_int_equal(bk_voucher_sign(KEY, KEYLEN, 7, 4242, "hc1", out, sizeof(out)), -1);
    assert_int_equal(bk_voucher_sign(KEY, KEYLEN, 7, 0, "HC1", out, sizeof(out)), -1);
}

static void test_verify(void **state)
{
    (void)state;
    struct bk_voucher_code v;
    size_t n = strlen(CODE);
    assert_int_equal(bk_voucher_parse(CODE, n, &v), 0);
    assert_int_equal(v.tenant, 7);
    assert_int_equal(v.id, 4242);
    assert_string_equal(v.serial, "HC2612-12-00017");
    assert_int_equal(v.signed_len, strlen("BV1.7.4242.HC2612-12-00017"));
    assert_true(bk_voucher_mac_ok(KEY, KEYLEN, CODE, n, &v));
    /* another key */
    assert_false(bk_voucher_mac_ok((const unsigned char *)"bureau-test-key-0123456789abcdeg", KEYLEN,
                                   CODE, n, &v));
    /* every byte altered: either no longer a code, or its MAC is wrong */
    char s[sizeof(CODE)];
    for (size_t i = 0; i < n; i++) {
        memcpy(s, CODE, sizeof(CODE));
        s[i] = s[i] == '1' ? '2' : s[i] == 'A' ? 'B' : s[i] == '-' ? '0' : '1';
        struct bk_voucher_code w;
        if (bk_voucher_parse(s, n, &w) == 0)
            assert_false(bk_voucher_mac_ok(KEY, KEYLEN, s, n, &w));
    }
}

static void test_parse_refuses(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "BV1",
        "BV1.",
        "BV2.7.4242.HC1.OMG2jnK1uzWFAaiKw1IsECsSVpH_MPdNq4oJzSIHN3w",
        "BV1.07.4242.HC1.OMG2jnK1uzWFAaiKw1IsECsSVpH_MPdNq4oJzSIHN3w",
        "BV1.7.-1.HC1.OMG2jnK1uzWFAaiKw1IsECsSVpH_MPdNq4oJzSIHN3w",
        "BV1.7.4242..OMG2jnK1uzWFAaiKw1IsECsSVpH_MPdNq4oJzSIHN3w",
        "BV1.7.4242.hc1.OMG2jnK1uzWFAaiKw1IsECsSVpH_MPdNq4oJzSIHN3w",
        "BV1.7.4242.HC1.OMG2jnK1uzWFAaiKw1IsECsSVpH_MPdNq4oJzSIHN3",
        "BV1.7.4242.HC1.OMG2jnK1uzWFAaiKw1IsECsSVpH_MPdNq4oJzSIHN3w=",
        "BV1.7.4242.HC1.OMG2jnK1uzWFAaiKw1IsECsSVpH+MPdNq4oJzSIHN3w",
        "BV1.7.4242.HC1.X.OMG2jnK1uzWFAaiKw1IsECsSVpH_MPdNq4oJzSIHN3w",
        "BV1.9999999999999999999.1.HC1.OMG2jnK1uzWFAaiKw1IsECsSVpH_MPdNq4oJzSIHN3w",
        "BV1.7.4242.HC1",
    };
    struct bk_voucher_code v;
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
        assert_int_equal(bk_voucher_parse(bad[i], strlen(bad[i]), &v), -1);
    /* a NUL inside is not a code */
    char nul[sizeof(CODE)];
    memcpy(nul, CODE, sizeof(CODE));
    nul[12] = 0;
    assert_int_equal(bk_voucher_parse(nul, sizeof(CODE) - 1, &v), -1);
    assert_int_equal(bk_voucher_parse(NULL, 0, &v), -1);
}

static void test_expiry(void **state)
{
    (void)state;
    int64_t last;
    assert_int_equal(date_parse("2026-12-31", 10, &last), 0);
    assert_false(bk_voucher_expired(last, last - 1));
    assert_false(bk_voucher_expired(last, last)); /* the whole last day, local time */
    assert_true(bk_voucher_expired(last, last + 1));
    /* the last instant of the last day (+08:00) is still that day; a second later is the next */
    int64_t t = (last + 1) * 86400 - 480 * 60 - 1;
    assert_int_equal(bk_day_of(t, 480), last);
    assert_int_equal(bk_day_of(t + 1, 480), last + 1);
    assert_false(bk_voucher_expired(last, bk_day_of(t, 480)));
    assert_true(bk_voucher_expired(last, bk_day_of(t + 1, 480)));
}

static void test_months(void **state)
{
    (void)state;
    int64_t a, b, want;
    assert_int_equal(bk_month_days("2028-02", &a, &b), 0);
    assert_int_equal(date_parse("2028-02-29", 10, &want), 0);
    assert_int_equal(b, want);
    assert_int_equal(b - a, 28);
    assert_int_equal(bk_month_days("2026-12", &a, &b), 0);
    assert_int_equal(date_parse("2026-12-31", 10, &want), 0);
    assert_int_equal(b, want);
    assert_int_equal(bk_month_days("2026-13", &a, &b), -1);
    assert_int_equal(bk_month_days("2026-1", &a, &b), -1);
    assert_int_equal(bk_month_days(NULL, &a, &b), -1);
}

static void test_qr(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, NULL);
    assert_int_equal(qr_svg(CODE, &b), 0);
    const char *s = buf_cstr(&b);
    /* 70 characters at level M: version 4 (33 modules; libqrencode packs the
     * upper-case runs alphanumerically) with a 4-module quiet zone; the top
     * row starts with the finder pattern, seven dark modules */
    assert_non_null(strstr(s, "viewBox=\"0 0 41 41\""));
    assert_non_null(strstr(s, "<path fill=\"#000\" d=\"M4 4h7v1h-7z"));
    assert_int_equal(strncmp(s + strlen(s) - 9, "\"/></svg>", 9), 0);
    buf_release(&b);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign_vector), cmocka_unit_test(test_verify),
        cmocka_unit_test(test_parse_refuses), cmocka_unit_test(test_expiry),
        cmocka_unit_test(test_months), cmocka_unit_test(test_qr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
