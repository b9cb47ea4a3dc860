/* SPDX-License-Identifier: MIT
 * procure/seal.c - the sealed bids' cryptography; see seal.h.
 */
#include "seal.h"

#include <libgfshare.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* libgfshare draws the polynomial's coefficients through the global
 * gfshare_fill_rand, which is random(3) unless set: never use that for a
 * key. It is set under this lock for each dealing: the system's randomness,
 * or (the demo's seals only) a ChaCha20 keystream of the demo seed. */
static pthread_mutex_t deal_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned char demo_key[crypto_stream_chacha20_KEYBYTES];
static uint64_t demo_ctr;

static void fill_rand(unsigned char *p, unsigned int n)
{
    randombytes_buf(p, n);
}

static void fill_demo(unsigned char *p, unsigned int n)
{
    unsigned char nonce[crypto_stream_chacha20_NONCEBYTES] = {0};
    uint64_t c = demo_ctr++;
    memcpy(nonce, &c, sizeof(c) < sizeof(nonce) ? sizeof(c) : sizeof(nonce));
    crypto_stream_chacha20(p, n, nonce, demo_key);
}

static int deal(int k, int n, const unsigned char *seed, unsigned char pk[PC_PK_BYTES],
                struct pc_share *shares)
{
    if (k < 2 || n < k || n > PC_SHARE_MAX_N)
        return -1;
    unsigned char *sk = sodium_malloc(PC_KEY_BYTES);
    if (!sk)
        return -1;
    unsigned char nrs[PC_SHARE_MAX_N];
    for (int i = 0; i < n; i++)
        nrs[i] = (unsigned char)(i + 1);
    int rc = -1;
    pthread_mutex_lock(&deal_mu);
    if (seed) {
        crypto_box_seed_keypair(pk, sk, seed);
        crypto_generichash(demo_key, sizeof(demo_key), seed, PC_KEY_BYTES,
                           (const unsigned char *)"bureau demo shares", 18);
        demo_ctr = 0;
        gfshare_fill_rand = fill_demo;
    } else {
        crypto_box_keypair(pk, sk);
        gfshare_fill_rand = fill_rand;
    }
    gfshare_ctx *g = gfshare_ctx_init_enc(nrs, (unsigned)n, (unsigned char)k, PC_KEY_BYTES);
    if (g) {
        gfshare_ctx_enc_setsecret(g, sk);
        for (int i = 0; i < n; i++) {
            shares[i].no = nrs[i];
            gfshare_ctx_enc_getshare(g, (unsigned char)i, shares[i].y);
        }
        gfshare_ctx_free(g);
        rc = 0;
    }
    gfshare_fill_rand = fill_rand;
    sodium_memzero(demo_key, sizeof(demo_key));
    pthread_mutex_unlock(&deal_mu);
    sodium_free(sk); /* zeroes before freeing */
    return rc;
}

int pc_seal_deal(int k, int n, unsigned char pk[PC_PK_BYTES], struct pc_share *shares)
{
    return deal(k, n, NULL, pk, shares);
}

int pc_seal_deal_demo(int k, int n, const unsigned char seed[PC_KEY_BYTES],
                      unsigned char pk[PC_PK_BYTES], struct pc_share *shares)
{
    return deal(k, n, seed, pk, shares);
}

int pc_seal_box_demo(const unsigned char *m, size_t len, const unsigned char pk[PC_PK_BYTES],
                     const unsigned char seed[PC_KEY_BYTES], unsigned char *out)
{
    /* a sealed box (crypto_box_seal's format: the ephemeral public key, then
     * crypto_box_easy with the nonce BLAKE2b(epk || pk)) whose ephemeral key
     * comes from seed, so that the demo is the same for the same seed */
    unsigned char epk[crypto_box_PUBLICKEYBYTES], esk[crypto_box_SECRETKEYBYTES];
    unsigned char nonce[crypto_box_NONCEBYTES];
    crypto_generichash_state st;
    crypto_box_seed_keypair(epk, esk, seed);
    crypto_generichash_init(&st, NULL, 0, sizeof(nonce));
    crypto_generichash_update(&st, epk, sizeof(epk));
    crypto_generichash_update(&st, pk, PC_PK_BYTES);
    crypto_generichash_final(&st, nonce, sizeof(nonce));
    memcpy(out, epk, sizeof(epk));
    int rc = crypto_box_easy(out + sizeof(epk), m, len, nonce, pk, esk);
    sodium_memzero(esk, sizeof(esk));
    return rc;
}

int pc_seal_rebuild(const struct pc_share *shares, int m, unsigned char sk[PC_KEY_BYTES])
{
    if (m < 1 || m > PC_SHARE_MAX_N)
        return -1;
    unsigned char nrs[PC_SHARE_MAX_N];
    for (int i = 0; i < m; i++) {
        nrs[i] = shares[i].no;
        for (int j = 0; j < i; j++)
            if (nrs[j] == nrs[i] || !nrs[i])
                return -1;
    }
    gfshare_ctx *g = gfshare_ctx_init_dec(nrs, (unsigned)m, PC_KEY_BYTES);
    if (!g)
        return -1;
    for (int i = 0; i < m; i++) {
        unsigned char y[PC_KEY_BYTES];
        memcpy(y, shares[i].y, sizeof(y));
        gfshare_ctx_dec_giveshare(g, (unsigned char)i, y);
        sodium_memzero(y, sizeof(y));
    }
    gfshare_ctx_dec_extract(g, sk);
    gfshare_ctx_free(g);
    return 0;
}

int pc_seal_check(const unsigned char sk[PC_KEY_BYTES], const unsigned char pk[PC_PK_BYTES])
{
    unsigned char q[PC_PK_BYTES];
    int ok = !crypto_scalarmult_base(q, sk) && !sodium_memcmp(q, pk, sizeof(q));
    sodium_memzero(q, sizeof(q));
    return ok;
}

/* "PCS1-<seal>-<no>-<hex>" */
static int body_text(int64_t seal_id, const struct pc_share *s, char *out, size_t n)
{
    char hex[2 * PC_KEY_BYTES + 1];
    sodium_bin2hex(hex, sizeof(hex), s->y, PC_KEY_BYTES);
    int w = snprintf(out, n, "PCS1-%lld-%u-%s", (long long)seal_id, (unsigned)s->no, hex);
    sodium_memzero(hex, sizeof(hex));
    return w;
}

void pc_share_text(int64_t seal_id, const struct pc_share *s, char out[PC_SHARE_TEXT_MAX])
{
    int w = body_text(seal_id, s, out, PC_SHARE_TEXT_MAX);
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)out, (unsigned long long)w);
    snprintf(out + w, (size_t)(PC_SHARE_TEXT_MAX - w), "-%02x%02x", h[0], h[1]);
}

void pc_share_hash(int64_t seal_id, const struct pc_share *s, char hex[65])
{
    char t[PC_SHARE_TEXT_MAX];
    int w = body_text(seal_id, s, t, sizeof(t));
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)t, (unsigned long long)w);
    sodium_bin2hex(hex, 65, h, sizeof(h));
    sodium_memzero(t, sizeof(t));
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Reads decimal digits (1..18 of them) at *p. */
static int read_num(const char *t, size_t n, size_t *p, int64_t *v)
{
    size_t i = *p, d = 0;
    int64_t x = 0;
    while (i < n && t[i] >= '0' && t[i] <= '9' && d < 18)
        x = x * 10 + (t[i++] - '0'), d++;
    if (!d || (d > 1 && t[*p] == '0'))
        return -1;
    *p = i, *v = x;
    return 0;
}

int pc_share_parse(const char *text, size_t len, int64_t *seal_id, struct pc_share *out)
{
    char t[PC_SHARE_TEXT_MAX];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        if (n + 1 >= sizeof(t))
            return sodium_memzero(t, sizeof(t)), -1;
        t[n++] = c;
    }
    t[n] = 0;
    int rc = -1;
    size_t p = 5;
    int64_t seal = 0, no = 0;
    unsigned char y[PC_KEY_BYTES];
    if (n < 5 || (t[0] != 'P' && t[0] != 'p') || (t[1] != 'C' && t[1] != 'c') ||
        (t[2] != 'S' && t[2] != 's') || t[3] != '1' || t[4] != '-')
        goto out;
    if (read_num(t, n, &p, &seal) || seal <= 0 || p >= n || t[p++] != '-')
        goto out;
    if (read_num(t, n, &p, &no) || no < 1 || no > 255 || p >= n || t[p++] != '-')
        goto out;
    if (n - p != 2 * PC_KEY_BYTES + 5 || t[p + 2 * PC_KEY_BYTES] != '-')
        goto out;
    for (int i = 0; i < (int)PC_KEY_BYTES; i++) {
        int a = hexval(t[p + 2 * i]), b = hexval(t[p + 2 * i + 1]);
        if (a < 0 || b < 0)
            goto out;
        y[i] = (unsigned char)(a << 4 | b);
    }
    int chk[2];
    for (int i = 0; i < 2; i++) {
        int a = hexval(t[p + 2 * PC_KEY_BYTES + 1 + 2 * i]),
            b = hexval(t[p + 2 * PC_KEY_BYTES + 2 + 2 * i]);
        if (a < 0 || b < 0)
            goto out;
        chk[i] = a << 4 | b;
    }
    struct pc_share s = {.no = (unsigned char)no};
    memcpy(s.y, y, sizeof(y));
    char canon[PC_SHARE_TEXT_MAX];
    pc_share_text(seal, &s, canon);
    size_t cl = strlen(canon);
    rc = (int)strtol(canon + cl - 4, NULL, 16) == (chk[0] << 8 | chk[1]) ? 0 : -2;
    sodium_memzero(canon, sizeof(canon));
    if (!rc)
        *seal_id = seal, *out = s;
    sodium_memzero(&s, sizeof(s));
out:
    sodium_memzero(y, sizeof(y));
    sodium_memzero(t, sizeof(t));
    return rc;
}

int pc_bid_open(const unsigned char *cipher, size_t len, const unsigned char pk[PC_PK_BYTES],
                const unsigned char sk[PC_KEY_BYTES], unsigned char **out, size_t *out_len)
{
    *out = NULL, *out_len = 0;
    if (len < crypto_box_SEALBYTES)
        return -1;
    size_t n = len - crypto_box_SEALBYTES;
    unsigned char *p = sodium_malloc(n + 1);
    if (!p)
        return -1;
    if (crypto_box_seal_open(p, cipher, (unsigned long long)len, pk, sk)) {
        sodium_free(p);
        return -1;
    }
    p[n] = 0;
    *out = p, *out_len = n;
    return 0;
}
