/* SPDX-License-Identifier: MIT
 * fuzz_bidseal.c - libFuzzer target for what officials and suppliers send
 * the sealed bids (src/modules/procure/seal.c, opening.c): any bytes as a
 * share typed at the opening (pc_share_parse): refused (-1 not a share, -2
 * the typing check), or a share whose canonical text parses again to itself
 * with the same seal, number and bytes; the same bytes as a bid envelope
 * opened at the opening (pc_bid_parse for project 7, supplier 3): refused
 * with a reason, or a positive price, the technical text and a list of
 * named documents; and as a sealed box (pc_bid_open with a fixed key): any
 * bytes not sealed to it never open.
 */
#include "fuzz_util.h"
#include "modules/procure/bids.h"

#include <jansson.h>
#include <sodium.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static unsigned char pk[PC_PK_BYTES], sk[PC_KEY_BYTES];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (sodium_init() < 0)
        return 1;
    unsigned char seed[32] = {7};
    crypto_box_seed_keypair(pk, sk, seed);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int64_t seal = 0;
    struct pc_share s;
    int rc = pc_share_parse((const char *)data, size, &seal, &s);
    FUZZ_CHECK(rc == 0 || rc == -1 || rc == -2, "parse answered %d", rc);
    if (!rc) {
        FUZZ_CHECK(seal > 0 && s.no >= 1, "seal %lld share %u", (long long)seal, s.no);
        char t[PC_SHARE_TEXT_MAX];
        pc_share_text(seal, &s, t);
        int64_t seal2 = 0;
        struct pc_share s2;
        FUZZ_CHECK(!pc_share_parse(t, strlen(t), &seal2, &s2), "canonical text refused: %s", t);
        FUZZ_CHECK(seal2 == seal && s2.no == s.no && !memcmp(s2.y, s.y, PC_KEY_BYTES),
                   "round trip differs: %s", t);
    }

    int64_t price;
    const char *tech, *why;
    json_t *docs, *keep;
    rc = pc_bid_parse(data, size, 7, 3, &price, &tech, &docs, &why, &keep);
    if (rc) {
        FUZZ_CHECK(rc == -1 && why && *why, "refused without a reason");
    } else {
        FUZZ_CHECK(price > 0, "price %lld", (long long)price);
        FUZZ_CHECK(!docs || json_is_array(docs), "documents not a list");
        for (size_t i = 0; docs && i < json_array_size(docs); i++)
            FUZZ_CHECK(json_string_value(json_object_get(json_array_get(docs, i), "name")),
                       "document %zu without its name", i);
        json_decref(docs);
        json_decref(keep);
    }

    unsigned char *out = NULL;
    size_t olen = 0;
    FUZZ_CHECK(pc_bid_open(data, size, pk, sk, &out, &olen) == -1 && !out,
               "random bytes opened as a sealed box");
    return 0;
}
