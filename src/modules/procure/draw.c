/* SPDX-License-Identifier: MIT
 * procure/draw.c - the committee's rules and the reproducible draw, pure C
 * (committee.h; docs/modules/procurement.md gives every byte).
 */
#include "committee.h"
#include "../../base/base.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

int pc_committee_min(const char *method, int64_t budget_fen, int64_t min, int64_t min_large,
                     int64_t large_fen, int64_t min_other)
{
    if (method && (!strcmp(method, "competitive_negotiation") ||
                   !strcmp(method, "competitive_consultation") || !strcmp(method, "enquiry")))
        return (int)min_other;
    return (int)(budget_fen >= large_fen ? min_large : min);
}

int pc_committee_check(int n, int reps, int min)
{
    if (n < min)
        return 1;
    if (n % 2 == 0)
        return 2;
    if (reps < 0 || 3 * (n - reps) < 2 * n)
        return 3;
    return 0;
}

int64_t pc_recusal_since(int64_t draw_day, int years)
{
    char s[48];
    date_format(draw_day, s, sizeof(s));
    int y = 0, m = 0, d = 0;
    if (sscanf(s, "%d-%d-%d", &y, &m, &d) != 3)
        return draw_day;
    y -= years;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m == 2 && d == 29 && !leap)
        d = 28;
    snprintf(s, sizeof(s), "%04d-%02d-%02d", y, m, d);
    int64_t out = draw_day;
    date_parse(s, strlen(s), &out);
    return out;
}

int pc_recused(int64_t to, int64_t draw_day, int years)
{
    return to < 0 || to >= pc_recusal_since(draw_day, years);
}

void pc_hex32(const unsigned char b[32], char hex[65])
{
    static const char x[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        hex[2 * i] = x[b[i] >> 4];
        hex[2 * i + 1] = x[b[i] & 15];
    }
    hex[64] = 0;
}

void pc_pool_hash(const struct pc_pool_entry *pool, size_t n, char hex[65])
{
    crypto_hash_sha256_state st;
    unsigned char h[32];
    char line[48];
    crypto_hash_sha256_init(&st);
    for (size_t i = 0; i < n; i++) {
        int k = snprintf(line, sizeof(line), "%lld:%lld\n", (long long)pool[i].id,
                         (long long)pool[i].version);
        crypto_hash_sha256_update(&st, (const unsigned char *)line, (unsigned long long)k);
    }
    crypto_hash_sha256_final(&st, h);
    pc_hex32(h, hex);
}

void pc_draw_seed(int64_t project_id, const char *pool_hex, const char *witness,
                  unsigned char seed[32])
{
    crypto_hash_sha256_state st;
    char head[128];
    int k = snprintf(head, sizeof(head), "%s\n%lld\n%s\n", PC_DRAW_DOMAIN, (long long)project_id,
                     pool_hex);
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)head, (unsigned long long)k);
    if (witness)
        crypto_hash_sha256_update(&st, (const unsigned char *)witness, strlen(witness));
    crypto_hash_sha256_final(&st, seed);
}

/* The keystream, one 64-byte block at a time (block counter from 0). */
struct stream {
    const unsigned char *key;
    unsigned char block[64];
    uint64_t counter;
    int at; /* bytes of block used */
    size_t words;
};

static uint32_t next_word(struct stream *s)
{
    if (s->at == 64) {
        static const unsigned char zero[64];
        crypto_stream_chacha20_xor_ic(s->block, zero, 64, (const unsigned char *)PC_DRAW_NONCE,
                                      s->counter++, s->key);
        s->at = 0;
    }
    const unsigned char *p = s->block + s->at;
    s->at += 4;
    s->words++;
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

size_t pc_draw_order(const unsigned char seed[32], int64_t *ids, size_t n)
{
    struct stream s = {.key = seed, .at = 64};
    for (size_t i = n; i-- > 1;) {
        uint64_t bound = (uint64_t)i + 1;
        uint64_t limit = (1ull << 32) - ((1ull << 32) % bound);
        uint64_t x;
        do
            x = next_word(&s);
        while (x >= limit);
        size_t j = (size_t)(x % bound);
        int64_t t = ids[i];
        ids[i] = ids[j];
        ids[j] = t;
    }
    return s.words;
}
