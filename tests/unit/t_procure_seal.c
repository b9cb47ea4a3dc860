/* SPDX-License-Identifier: MIT
 * t_procure_seal.c - the sealed bids' cryptography: a bid sealed to a
 * project's public key opens with the key rebuilt from any k of its n
 * shares, and from no k−1 of them (every (k−1)-subset of a 3-of-5 and a
 * 2-of-3 seal is tried: the rebuilt key differs from the public key's and
 * the bid does not open); shares as text (a round trip, the typing check, a
 * share of another seal, spaces and case); the hash the server keeps is not
 * the share; the bid envelope's parser (the project and supplier it was
 * sealed for, the price).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "modules/procure/bids.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *seal_bid(const char *text, const unsigned char *pk, size_t *n)
{
    size_t m = strlen(text);
    unsigned char *c = malloc(m + crypto_box_SEALBYTES);
    assert_non_null(c);
    assert_int_equal(crypto_box_seal(c, (const unsigned char *)text, m, pk), 0);
    *n = m + crypto_box_SEALBYTES;
    return c;
}

/* Tries every subset of size m of the n shares: 1 when each opens the bid,
 * 0 when none does (fails the test when some do and some do not). */
static int subsets_open(const struct pc_share *all, int n, int m, const unsigned char *pk,
                        const unsigned char *cipher, size_t clen, const char *plain)
{
    int opened = 0, tried = 0;
    for (unsigned mask = 0; mask < (1u << n); mask++) {
        if (__builtin_popcount(mask) != m)
            continue;
        struct pc_share pick[PC_SHARE_MAX_N];
        int k = 0;
        for (int i = 0; i < n; i++)
            if (mask & (1u << i))
                pick[k++] = all[i];
        unsigned char sk[PC_KEY_BYTES];
        assert_int_equal(pc_seal_rebuild(pick, k, sk), 0);
        unsigned char *out = NULL;
        size_t olen = 0;
        int ok = pc_seal_check(sk, pk);
        int op = !pc_bid_open(cipher, clen, pk, sk, &out, &olen);
        assert_int_equal(ok, op); /* the check and the opening agree */
        if (op) {
            assert_int_equal(olen, strlen(plain));
            assert_memory_equal(out, plain, olen);
            sodium_free(out);
        }
        opened += op;
        tried++;
    }
    assert_true(tried > 0);
    assert_true(opened == 0 || opened == tried);
    return opened == tried;
}

static void test_threshold(void **state)
{
    (void)state;
    static const int kn[][2] = {{3, 5}, {2, 3}, {2, 2}, {4, 7}};
    const char *plain = "{\"v\":1,\"project_id\":7,\"supplier_id\":3,\"price_fen\":12345600}";
    for (size_t t = 0; t < sizeof(kn) / sizeof(kn[0]); t++) {
        int k = kn[t][0], n = kn[t][1];
        unsigned char pk[PC_PK_BYTES];
        struct pc_share sh[PC_SHARE_MAX_N];
        assert_int_equal(pc_seal_deal(k, n, pk, sh), 0);
        size_t clen;
        unsigned char *c = seal_bid(plain, pk, &clen);
        for (int m = 1; m < k; m++)
            assert_false(subsets_open(sh, n, m, pk, c, clen, plain)); /* k−1 and fewer: never */
        for (int m = k; m <= n; m++)
            assert_true(subsets_open(sh, n, m, pk, c, clen, plain)); /* k or more: always */
        free(c);
    }
    unsigned char pk[PC_PK_BYTES];
    struct pc_share sh[PC_SHARE_MAX_N];
    assert_int_equal(pc_seal_deal(1, 3, pk, sh), -1);
    assert_int_equal(pc_seal_deal(4, 3, pk, sh), -1);
    assert_int_equal(pc_seal_deal(2, PC_SHARE_MAX_N + 1, pk, sh), -1);
}

static void test_two_seals_differ(void **state)
{
    (void)state;
    unsigned char pk1[PC_PK_BYTES], pk2[PC_PK_BYTES];
    struct pc_share a[3], b[3];
    assert_int_equal(pc_seal_deal(2, 3, pk1, a), 0);
    assert_int_equal(pc_seal_deal(2, 3, pk2, b), 0);
    assert_memory_not_equal(pk1, pk2, PC_PK_BYTES);
    assert_memory_not_equal(a[0].y, b[0].y, PC_KEY_BYTES);
    /* a share of another seal with the right number does not rebuild the key */
    struct pc_share mix[2] = {a[0], b[1]};
    unsigned char sk[PC_KEY_BYTES];
    assert_int_equal(pc_seal_rebuild(mix, 2, sk), 0);
    assert_false(pc_seal_check(sk, pk1));
    /* the same share twice is refused */
    struct pc_share twice[2] = {a[0], a[0]};
    assert_int_equal(pc_seal_rebuild(twice, 2, sk), -1);
}

static void test_share_text(void **state)
{
    (void)state;
    unsigned char pk[PC_PK_BYTES];
    struct pc_share sh[3];
    assert_int_equal(pc_seal_deal(2, 3, pk, sh), 0);
    char t[PC_SHARE_TEXT_MAX], h[65];
    pc_share_text(42, &sh[1], t);
    assert_int_equal(strncmp(t, "PCS1-42-2-", 10), 0);
    assert_int_equal(strlen(t), 10 + 64 + 5);
    int64_t seal;
    struct pc_share back;
    assert_int_equal(pc_share_parse(t, strlen(t), &seal, &back), 0);
    assert_int_equal(seal, 42);
    assert_int_equal(back.no, 2);
    assert_memory_equal(back.y, sh[1].y, PC_KEY_BYTES);
    /* spaces, line breaks and upper case are the same share */
    char spaced[256];
    size_t j = 0;
    for (size_t i = 0; t[i]; i++) {
        spaced[j++] = (char)(t[i] >= 'a' && t[i] <= 'f' ? t[i] - 32 : t[i]);
        if (i % 8 == 7)
            spaced[j++] = i % 16 == 15 ? '\n' : ' ';
    }
    spaced[j] = 0;
    assert_int_equal(pc_share_parse(spaced, j, &seal, &back), 0);
    assert_memory_equal(back.y, sh[1].y, PC_KEY_BYTES);
    /* one mistyped hex digit: the typing check catches it */
    char typo[PC_SHARE_TEXT_MAX];
    memcpy(typo, t, sizeof(typo));
    typo[20] = typo[20] == 'a' ? 'b' : 'a';
    assert_int_equal(pc_share_parse(typo, strlen(typo), &seal, &back), -2);
    /* not a share */
    static const char *bad[] = {"", "PCS1-", "PCS2-1-1-00-0000", "PCS1-0-1-", "PCS1-1-0-",
                                "PCS1-01-1-", "hello", "PCS1-1-256-"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(pc_share_parse(bad[i], strlen(bad[i]), &seal, &back), -1);
    /* the hash kept is of the share's text without its check, and reveals
     * none of its digits */
    pc_share_hash(42, &sh[1], h);
    unsigned char d[32];
    char hex[65];
    crypto_hash_sha256(d, (const unsigned char *)t, strlen(t) - 5);
    sodium_bin2hex(hex, sizeof(hex), d, sizeof(d));
    assert_string_equal(h, hex);
    assert_null(strstr(t, h));
    /* the same share of another seal hashes differently */
    char h2[65];
    pc_share_hash(43, &sh[1], h2);
    assert_string_not_equal(h, h2);
}

static void test_envelope(void **state)
{
    (void)state;
    int64_t price;
    const char *tech, *why;
    json_t *docs, *keep;
    const char *ok = "{\"v\":1,\"project_id\":7,\"supplier_id\":3,\"price_fen\":1200,"
                     "\"technical\":\"满足\",\"documents\":[{\"name\":\"a.pdf\",\"type\":"
                     "\"application/pdf\",\"data\":\"QUJD\"}]}";
    assert_int_equal(pc_bid_parse((const unsigned char *)ok, strlen(ok), 7, 3, &price, &tech,
                                  &docs, &why, &keep),
                     0);
    assert_int_equal(price, 1200);
    assert_string_equal(tech, "满足");
    assert_int_equal(json_array_size(docs), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(docs, 0), "b64_len")), 4);
    json_decref(keep);
    json_decref(docs);
    static const struct {
        const char *text, *why;
    } bad[] = {
        {"[]", "not a bid envelope"},
        {"{\"v\":2}", "unknown envelope version"},
        {"{\"v\":1,\"project_id\":8,\"supplier_id\":3,\"price_fen\":1}", "another project"},
        {"{\"v\":1,\"project_id\":7,\"supplier_id\":4,\"price_fen\":1}", "another supplier"},
        {"{\"v\":1,\"project_id\":7,\"supplier_id\":3,\"price_fen\":0}", "price_fen"},
        {"{\"v\":1,\"project_id\":7,\"supplier_id\":3,\"price_fen\":\"1\"}", "price_fen"},
        {"{\"v\":1,\"project_id\":7,\"supplier_id\":3,\"price_fen\":1,\"technical\":5}",
         "technical"},
        {"{\"v\":1,\"project_id\":7,\"supplier_id\":3,\"price_fen\":1,\"documents\":[{}]}",
         "document"},
        {"{\"v\":1,\"v\":1}", "not a bid envelope"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(pc_bid_parse((const unsigned char *)bad[i].text, strlen(bad[i].text), 7,
                                      3, &price, &tech, &docs, &why, &keep),
                         -1);
        assert_non_null(strstr(why, bad[i].why));
    }
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threshold),
        cmocka_unit_test(test_two_seals_differ),
        cmocka_unit_test(test_share_text),
        cmocka_unit_test(test_envelope),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
