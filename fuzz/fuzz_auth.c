/* SPDX-License-Identifier: MIT
 * fuzz_auth.c - the Cookie and Authorization header parsers: bounded,
 * never reading past the header, and what they return is a plausible
 * credential (only the characters a session id or token may hold, within
 * the output size). The first input byte picks the output size.
 */
#include "core/auth.h"
#include "base/err.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(c)                                                                               \
    do {                                                                                       \
        if (!(c)) {                                                                            \
            fprintf(stderr, "fuzz_auth: invariant failed: %s\n", #c);                          \
            abort();                                                                           \
        }                                                                                      \
    } while (0)

static void check_out(int rc, const char *out, size_t outn)
{
    CHECK(rc == 0 || rc == -ERR_UNAUTHENTICATED || rc == -ERR_BAD_REQUEST);
    if (rc)
        return;
    size_t n = strnlen(out, outn);
    CHECK(n < outn); /* terminated inside the buffer */
    for (size_t i = 0; i < n; i++)
        CHECK(out[i] > 0x20 && out[i] < 0x7f && out[i] != ';' && out[i] != ',' && out[i] != '"');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 16384)
        return 0;
    size_t outn = 1 + data[0] % 96;
    char *header = malloc(size); /* exactly the header and its NUL: ASan sees overreads */
    memcpy(header, data + 1, size - 1);
    header[size - 1] = 0;
    char *out = malloc(outn);
    memset(out, 'X', outn);
    check_out(auth_parse_cookie(header, "bureau_session", out, outn), out, outn);
    memset(out, 'X', outn);
    check_out(auth_parse_bearer(header, out, outn), out, outn);
    free(out);
    free(header);
    return 0;
}
