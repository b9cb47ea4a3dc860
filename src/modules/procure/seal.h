/* SPDX-License-Identifier: MIT
 * procure/seal.h - the cryptography of the sealed bids, without a database:
 * a project's X25519 key pair made in memory and its secret key split into
 * n Shamir shares of which any k rebuild it (libgfshare, GF(2^8)); a share
 * as text an official can carry, type and check; the key rebuilt from k
 * shares and checked against the public key; a bid opened (libsodium sealed
 * box). docs/modules/procurement.md explains the design.
 *
 * Share text: "PCS1-<seal id>-<share no>-<64 hex digits>-<4 hex digits>", the
 * last group the first two bytes of the SHA-256 of what comes before it (a
 * typing check). Spaces and line breaks inside are ignored, letters in any
 * case. The server keeps SHA-256(canonical text without the check) of each.
 */
#ifndef BUREAU_PC_SEAL_H
#define BUREAU_PC_SEAL_H

#include <sodium.h>
#include <stddef.h>
#include <stdint.h>

#define PC_KEY_BYTES 32 /* crypto_box_SECRETKEYBYTES */
#define PC_PK_BYTES 32  /* crypto_box_PUBLICKEYBYTES */
#define PC_SHARE_MAX_N 32                      /* officials of one seal */
#define PC_SHARE_TEXT_MAX 128                  /* canonical text with its check, NUL */

struct pc_share {
    unsigned char no; /* 1..n, the x coordinate */
    unsigned char y[PC_KEY_BYTES];
};

/* Makes a key pair and deals it into n shares, k needed (2 ≤ k ≤ n ≤
 * PC_SHARE_MAX_N): pk and shares[0..n) filled, the secret key wiped before
 * returning. 0, or -1 on bad figures or no memory. */
int pc_seal_deal(int k, int n, unsigned char pk[PC_PK_BYTES], struct pc_share *shares);

/* The demo's seals only (bid_demo.c, documented as such): the key pair and
 * the shares' coefficients derived from seed, so that anyone trying the
 * demo can compute the shares (GET /api/v1/bid_seals/{id}/demo_shares). */
int pc_seal_deal_demo(int k, int n, const unsigned char seed[PC_KEY_BYTES],
                      unsigned char pk[PC_PK_BYTES], struct pc_share *shares);
/* A sealed box of m to pk whose ephemeral key comes from seed (the demo's
 * bids): out holds len + crypto_box_SEALBYTES bytes. crypto_box_seal_open
 * opens it. */
int pc_seal_box_demo(const unsigned char *m, size_t len, const unsigned char pk[PC_PK_BYTES],
                     const unsigned char seed[PC_KEY_BYTES], unsigned char *out);

/* Rebuilds the secret key from m shares (distinct numbers). Does not know k:
 * with fewer than k shares it yields a wrong key, which pc_seal_check
 * refuses. 0, or -1. */
int pc_seal_rebuild(const struct pc_share *shares, int m, unsigned char sk[PC_KEY_BYTES]);
/* 1 when sk is the secret key of pk. */
int pc_seal_check(const unsigned char sk[PC_KEY_BYTES], const unsigned char pk[PC_PK_BYTES]);

/* The share's canonical text (with its check) into out[PC_SHARE_TEXT_MAX]. */
void pc_share_text(int64_t seal_id, const struct pc_share *s, char out[PC_SHARE_TEXT_MAX]);
/* The hex SHA-256 the server keeps of a share (65 bytes with the NUL). */
void pc_share_hash(int64_t seal_id, const struct pc_share *s, char hex[65]);
/* Parses a share someone typed or scanned: 0 with *seal_id and *out, -1 not
 * a share's form, -2 the typing check fails. */
int pc_share_parse(const char *text, size_t len, int64_t *seal_id, struct pc_share *out);

/* Opens a sealed box: the plaintext into a sodium_malloc'ed buffer (*out,
 * *out_len; the caller sodium_free's it), 0, or -1 when it does not open. */
int pc_bid_open(const unsigned char *cipher, size_t len, const unsigned char pk[PC_PK_BYTES],
                const unsigned char sk[PC_KEY_BYTES], unsigned char **out, size_t *out_len);

#endif
