/* SPDX-License-Identifier: MIT
 * fuzz_idformat.c - libFuzzer target for the Chinese identifiers and numbers
 * people type (src/engine/idformat.c). The first byte picks the format, the
 * rest is the text. An accepted value's normal form is short, NUL-free,
 * ASCII but for a plate's province and middle dot, passes its own rules
 * again (an independent check of the ID number's and credit code's check
 * characters, the plate's shape, the phone's digits) and is a fixed point:
 * normalising it again gives it back. A refusal names a format.* key. Masking
 * any text never lengthens it (masking the masked text neither), and an ID
 * number keeps only its first and last four characters.
 */
#include "fuzz_util.h"
#include "engine/idformat.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* The check character of an ID number, computed here again. */
static char id_check(const char *s)
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (s[i] - '0') * w[i];
    return "10X98765432"[sum % 11];
}

/* The check character of a credit code, computed here again (3^i mod 31 weights). */
static char uscc_check(const char *s)
{
    static const char set[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    int sum = 0, w = 1;
    for (int i = 0; i < 17; i++) {
        const char *p = strchr(set, s[i]);
        FUZZ_CHECK(p && s[i], "'%c' in a credit code", s[i]);
        sum += (int)(p - set) * w;
        w = w * 3 % 31;
    }
    return set[(31 - sum % 31) % 31];
}

static void check_normal(int k, const char *v, size_t n)
{
    FUZZ_CHECK(n > 0 && n < IDF_MAX && strlen(v) == n, "length %zu", n);
    for (size_t i = 0; k != IDF_PLATE && i < n; i++)
        FUZZ_CHECK((unsigned char)v[i] < 0x80, "not ASCII: %s", v);
    switch (k) {
    case IDF_MOBILE:
        FUZZ_CHECK(n == 11 && digits(v, n) && v[0] == '1' && v[1] >= '3', "mobile %s", v);
        break;
    case IDF_LANDLINE:
    case IDF_PHONE: {
        if (k == IDF_PHONE && n == 11 && digits(v, n)) {
            FUZZ_CHECK(v[0] == '1' && v[1] >= '3', "phone %s", v);
            break;
        }
        const char *d = strchr(v, '-');
        FUZZ_CHECK(d && v[0] == '0' && (d - v == 3 || d - v == 4) && digits(v, (size_t)(d - v)),
                   "area code of %s", v);
        const char *e = strchr(d + 1, '-');
        size_t nn = e ? (size_t)(e - d - 1) : strlen(d + 1);
        FUZZ_CHECK((nn == 7 || nn == 8) && digits(d + 1, nn) && d[1] >= '2', "number of %s", v);
        if (e)
            FUZZ_CHECK(strlen(e + 1) >= 1 && strlen(e + 1) <= 6 && digits(e + 1, strlen(e + 1)),
                       "extension of %s", v);
        break;
    }
    case IDF_PLATE: {
        /* a 3-byte province, a capital, U+00B7, 5 or 6 of [0-9A-Z] but I and O */
        FUZZ_CHECK(n == 11 || n == 12, "plate %s", v);
        FUZZ_CHECK(v[3] >= 'A' && v[3] <= 'Z' && !memcmp(v + 4, "\xC2\xB7", 2), "plate %s", v);
        for (size_t i = 6; i < n; i++)
            FUZZ_CHECK(((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'A' && v[i] <= 'Z')) &&
                           v[i] != 'I' && v[i] != 'O',
                       "plate %s", v);
        if (n == 12)
            FUZZ_CHECK(v[6] == 'D' || v[6] == 'F' || v[11] == 'D' || v[11] == 'F',
                       "new-energy plate %s", v);
        break;
    }
    case IDF_ID_NUMBER:
        FUZZ_CHECK(n == 18 && digits(v, 17) && v[0] != '0', "ID number %s", v);
        FUZZ_CHECK(id_check(v) == v[17], "check character of %s", v);
        break;
    case IDF_USCC:
        FUZZ_CHECK(n == 18 && uscc_check(v) == v[17], "credit code %s", v);
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int k = IDF_MOBILE + data[0] % (IDF_USCC - IDF_MOBILE + 1);
    const char *s = (const char *)data + 1;
    size_t n = size - 1;
    char out[IDF_MAX], again[IDF_MAX];
    size_t on, an;
    struct err_item why;
    memset(&why, 0, sizeof(why));
    if (idf_normalise(k, s, n, 20794, out, &on, &why)) {
        FUZZ_CHECK(!strncmp(why.key, "format.", 7), "key %s", why.key);
    } else if (on) {
        check_normal(k, out, on);
        FUZZ_CHECK(!idf_normalise(k, out, on, 20794, again, &an, &why), "%s refused: %s", out,
                   why.key);
        FUZZ_CHECK(an == on && !memcmp(again, out, on), "%s became %s", out, again);
    }
    /* masking any text */
    char m[IDF_MAX_INPUT * 4 + 1], m2[IDF_MAX_INPUT * 4 + 1];
    if (n > IDF_MAX_INPUT * 4)
        n = IDF_MAX_INPUT * 4;
    size_t mn = idf_mask(k, s, n, m);
    FUZZ_CHECK(mn <= n && strlen(m) <= mn, "masked %zu of %zu", mn, n);
    size_t mn2 = idf_mask(k, m, mn, m2);
    FUZZ_CHECK(mn2 <= mn, "masked twice: %zu of %zu", mn2, mn);
    if (k == IDF_ID_NUMBER && !on) {
        /* nothing: refused or empty */
    } else if (k == IDF_ID_NUMBER) {
        char mo[IDF_MAX];
        idf_mask(k, out, on, mo);
        FUZZ_CHECK(!memcmp(mo + 4, "**********", 10) && !memcmp(mo, out, 4) &&
                       !memcmp(mo + 14, out + 14, 4),
                   "%s masked as %s", out, mo);
    }
    return 0;
}
