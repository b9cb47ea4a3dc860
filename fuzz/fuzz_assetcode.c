/* SPDX-License-Identifier: MIT
 * fuzz_assetcode.c - libFuzzer target for what a scanned asset label says
 * (as_code_parse, src/modules/assets/code.c). Any bytes: refused (-1), or a
 * code of 1..AS_CODE_MAX characters of A-Z, 0-9 and '-' not starting with
 * '-', NUL-terminated at its length; the code found again when it is given
 * alone, in lower case, with spaces around it, or as the last segment of a
 * URL's path or fragment.
 */
#include "fuzz_util.h"
#include "modules/assets/assets.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void same(const char *text, const char *code, size_t n)
{
    char again[AS_CODE_MAX + 1];
    int k = as_code_parse(text, strlen(text), again);
    FUZZ_CHECK(k == (int)n && !strcmp(again, code), "'%s' gave %d '%s', not '%s'", text, k, again,
               code);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char out[AS_CODE_MAX + 1];
    int n = as_code_parse((const char *)data, size, out);
    if (n < 0) {
        FUZZ_CHECK(n == -1, "parse gave %d", n);
        return 0;
    }
    FUZZ_CHECK(n >= 1 && n <= AS_CODE_MAX, "length %d", n);
    FUZZ_CHECK(strlen(out) == (size_t)n, "NUL at %zu, length %d", strlen(out), n);
    FUZZ_CHECK(out[0] != '-', "leading '-'");
    for (int i = 0; i < n; i++)
        FUZZ_CHECK((out[i] >= 'A' && out[i] <= 'Z') || (out[i] >= '0' && out[i] <= '9') ||
                       out[i] == '-',
                   "byte %02x", (unsigned char)out[i]);
    char text[AS_CODE_MAX * 2 + 64];
    same(out, out, (size_t)n);
    for (int i = 0; i <= n; i++)
        text[i] = out[i] >= 'A' && out[i] <= 'Z' ? (char)(out[i] - 'A' + 'a') : out[i];
    same(text, out, (size_t)n);
    snprintf(text, sizeof(text), " \t%s\r\n", out);
    same(text, out, (size_t)n);
    snprintf(text, sizeof(text), "https://bureau.example/a/%s?x=1", out);
    same(text, out, (size_t)n);
    snprintf(text, sizeof(text), "https://bureau.example/#/assets/%s/", out);
    same(text, out, (size_t)n);
    return 0;
}
