/* SPDX-License-Identifier: MIT
 * t_assets_scan.c - what a scanned asset label says (as_code_parse): the
 * code itself, typed in lower case or with spaces and line ends around it;
 * a URL or path whose last segment, or whose fragment's last segment, is the
 * code (a query string and trailing slashes ignored); and everything else
 * refused: empty text, spaces or other characters inside, a leading '-',
 * codes over 32 characters, control bytes, a bare host, a voucher's code,
 * full-width characters, over-long text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "modules/assets/assets.h"

#include <string.h>

static int parse(const char *s, char *out)
{
    return as_code_parse(s, strlen(s), out);
}

static void ok(const char *in, const char *want)
{
    char out[AS_CODE_MAX + 1];
    int n = parse(in, out);
    if (n != (int)strlen(want) || strcmp(out, want))
        fail_msg("'%s' gave %d '%s', want '%s'", in, n, out, want);
}

static void refused(const char *in)
{
    char out[AS_CODE_MAX + 1];
    int n = parse(in, out);
    if (n != -1)
        fail_msg("'%s' was taken as '%s'", in, out);
}

static void test_raw_codes(void **state)
{
    (void)state;
    ok("ZC2024-000123", "ZC2024-000123");
    ok("zc2024-000123", "ZC2024-000123");
    ok("  ZC2024-000123\r\n", "ZC2024-000123");
    ok("\tzc2024-000123 ", "ZC2024-000123");
    ok("A", "A");
    ok("9", "9");
    ok("A-", "A-");
    ok("12345678901234567890123456789012", "12345678901234567890123456789012"); /* 32 */
}

static void test_urls(void **state)
{
    (void)state;
    ok("https://bureau.example.gov.cn/a/ZC2024-000123", "ZC2024-000123");
    ok("https://bureau.example.gov.cn/a/zc2024-000123/", "ZC2024-000123");
    ok("https://bureau.example.gov.cn/a/ZC2024-000123?from=label", "ZC2024-000123");
    ok("https://bureau.example.gov.cn/#/assets/ZC2024-000123", "ZC2024-000123");
    ok("https://bureau.example.gov.cn/index.html#/assets/ZC2024-000123/", "ZC2024-000123");
    ok("https://bureau.example.gov.cn/x/ZC1#", "ZC1"); /* an empty fragment: the path's */
    ok("/assets/ZC2024-000123", "ZC2024-000123");
    ok("assets/ZC2024-000123", "ZC2024-000123");
    ok("#ZC2024-000123", "ZC2024-000123");
    ok("ZC2024-000123?x=1", "ZC2024-000123");
    /* a word has a code's shape: the scan answers it as unknown */
    ok("https://bureau.example.gov.cn/#/assets/", "ASSETS");
}

static void test_refused(void **state)
{
    (void)state;
    refused("");
    refused("   ");
    refused("ZC2024 000123");
    refused("-ZC1");
    refused("ZC_1");
    refused("ZC.1");
    refused("123456789012345678901234567890123"); /* 33 */
    refused("ZC1\x01");
    refused("ZC\x7f"
            "1");
    refused("https://bureau.example.gov.cn");
    refused("https://bureau.example.gov.cn/");
    refused("https://ZC1");
    refused("https://bureau.example.gov.cn/a/ZC 1");
    refused("https://bureau.example.gov.cn/#/");
    refused("/");
    refused("#");
    refused("?");
    refused("BV1.7.4242.HC2612-12-00017.OMG2jnK1uzWFAaiKw1IsECsSVpH_MPdNq4oJzSIHN3w");
    refused("ＺＣ２０２４"); /* full-width */
    refused("资产ZC1");
    char big[AS_SCAN_TEXT_MAX + 2];
    memset(big, 'A', sizeof(big));
    big[sizeof(big) - 1] = 0;
    refused(big);
    char out[AS_CODE_MAX + 1];
    assert_int_equal(as_code_parse(NULL, 0, out), -1);
    /* a NUL inside the given length is refused, not cut short */
    assert_int_equal(as_code_parse("ZC1\0X", 5, out), -1);
    /* the length given, not the NUL: "ZC12" read as "ZC" */
    assert_int_equal(as_code_parse("ZC12", 2, out), 2);
    assert_string_equal(out, "ZC");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_raw_codes),
        cmocka_unit_test(test_urls),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
