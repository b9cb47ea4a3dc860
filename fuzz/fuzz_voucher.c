/* SPDX-License-Identifier: MIT
 * fuzz_voucher.c - libFuzzer target for the union vouchers' code parser
 * (src/modules/booking/vouchers.c). Any bytes: bk_voucher_parse refuses, or
 * gives a tenant and id in 1..10^18, a serial of A-Z 0-9 '-' (1..40), a
 * 43-character base64url MAC, and a signed length that ends just before the
 * MAC's dot; the text is exactly "BV1.<tenant>.<id>.<serial>.<mac>" printed
 * back (so no two texts parse alike). Signing the parsed fields under a
 * fixed key gives a code that parses to the same fields and verifies, and
 * the input verifies only when it is that code. The QR image of any text
 * up to the largest code is drawn or refused, never past its buffer.
 */
#include "fuzz_util.h"
#include "base/buf.h"
#include "core/qr.h"
#include "modules/booking/booking.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const unsigned char KEY[] = "fuzz-voucher-key-0123456789abcdef";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return sodium_init() < 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    struct bk_voucher_code v;
    int rc = bk_voucher_parse(s, size, &v);
    if (size <= BK_VOUCHER_CODE_MAX) {
        char z[BK_VOUCHER_CODE_MAX + 1];
        memcpy(z, data, size);
        z[size] = 0;
        if (!memchr(data, 0, size)) {
            struct buf b;
            buf_init(&b, NULL);
            if (!qr_svg(z, &b))
                FUZZ_CHECK(!strncmp(buf_cstr(&b), "<svg ", 5), "not an SVG");
            buf_release(&b);
        }
    }
    if (rc) {
        FUZZ_CHECK(rc == -1, "parse gave %d", rc);
        return 0;
    }
    FUZZ_CHECK(v.tenant > 0 && v.id > 0, "tenant %lld id %lld", (long long)v.tenant,
               (long long)v.id);
    size_t sl = strlen(v.serial);
    FUZZ_CHECK(sl >= 1 && sl <= BK_VOUCHER_SERIAL_MAX, "serial length %zu", sl);
    for (size_t i = 0; i < sl; i++)
        FUZZ_CHECK((v.serial[i] >= 'A' && v.serial[i] <= 'Z') ||
                       (v.serial[i] >= '0' && v.serial[i] <= '9') || v.serial[i] == '-',
                   "serial byte %02x", (unsigned char)v.serial[i]);
    FUZZ_CHECK(strlen(v.mac) == BK_VOUCHER_MAC_LEN, "mac length %zu", strlen(v.mac));
    char back[BK_VOUCHER_CODE_MAX * 2];
    int n = snprintf(back, sizeof(back), "BV1.%lld.%lld.%s.%s", (long long)v.tenant,
                     (long long)v.id, v.serial, v.mac);
    FUZZ_CHECK(n > 0 && (size_t)n == size && !memcmp(back, data, size), "not canonical");
    FUZZ_CHECK(v.signed_len == size - BK_VOUCHER_MAC_LEN - 1 && s[v.signed_len] == '.',
               "signed length %zu of %zu", v.signed_len, size);
    char code[BK_VOUCHER_CODE_MAX + 1];
    int k = bk_voucher_sign(KEY, sizeof(KEY) - 1, v.tenant, v.id, v.serial, code, sizeof(code));
    if (k < 0) {
        /* only a code too long to sign again */
        FUZZ_CHECK(size > BK_VOUCHER_CODE_MAX - 1, "cannot sign a %zu-byte code", size);
        return 0;
    }
    struct bk_voucher_code w;
    FUZZ_CHECK(bk_voucher_parse(code, (size_t)k, &w) == 0, "own code refused: %s", code);
    FUZZ_CHECK(w.tenant == v.tenant && w.id == v.id && !strcmp(w.serial, v.serial), "fields");
    FUZZ_CHECK(bk_voucher_mac_ok(KEY, sizeof(KEY) - 1, code, (size_t)k, &w), "own code forged");
    int same = (size_t)k == size && !memcmp(code, data, size);
    FUZZ_CHECK(bk_voucher_mac_ok(KEY, sizeof(KEY) - 1, s, size, &v) == same,
               "verifies without being the code");
    return 0;
}
