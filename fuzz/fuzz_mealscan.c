/* SPDX-License-Identifier: MIT
 * fuzz_mealscan.c - libFuzzer target for what a canteen's card reader sends
 * (src/modules/canteen/ledger.c): the scanned text of a card or QR code
 * (ct_scan_parse) and an offline batch upload (ct_batch_decode). Any bytes
 * as a scan: refused (-1), or a card number of 4..20 upper-case hex digits
 * or a QR identifier of exactly 20 characters of A-Z 2-7, NUL-terminated,
 * which parses again to itself (the card alone, the QR behind "MC1:").
 * The same bytes as JSON (when they are): the batch's frame refused whole
 * (422 with field errors, nothing decoded) or decoded into at most 10,000
 * entries, each either ok (a sequence number ≥ 1, a scan as above, an
 * amount 0..CT_AMOUNT_MAX, a time > 0, a known meal or none) or refused
 * with a key.
 */
#include "fuzz_util.h"
#include "base/arena.h"
#include "base/err.h"
#include "modules/canteen/canteen.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static void check_scan(const struct ct_scan *s)
{
    size_t n = strlen(s->value);
    if (s->kind == CT_SCAN_CARD) {
        FUZZ_CHECK(n >= 4 && n <= CT_CARD_MAX, "card length %zu", n);
        for (size_t i = 0; i < n; i++)
            FUZZ_CHECK((s->value[i] >= '0' && s->value[i] <= '9') ||
                           (s->value[i] >= 'A' && s->value[i] <= 'F'),
                       "card byte %02x", (unsigned char)s->value[i]);
    } else {
        FUZZ_CHECK(s->kind == CT_SCAN_QR, "kind %d", s->kind);
        FUZZ_CHECK(n == CT_QR_LEN, "qr length %zu", n);
        for (size_t i = 0; i < n; i++)
            FUZZ_CHECK((s->value[i] >= 'A' && s->value[i] <= 'Z') ||
                           (s->value[i] >= '2' && s->value[i] <= '7'),
                       "qr byte %02x", (unsigned char)s->value[i]);
    }
    char again[64];
    snprintf(again, sizeof(again), "%s%s", s->kind == CT_SCAN_QR ? CT_QR_PREFIX : "", s->value);
    struct ct_scan t;
    FUZZ_CHECK(ct_scan_parse(again, strlen(again), &t) == 0, "own text refused: %s", again);
    FUZZ_CHECK(t.kind == s->kind && !strcmp(t.value, s->value), "not the same: %s", again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ct_scan s;
    int rc = ct_scan_parse((const char *)data, size, &s);
    if (rc)
        FUZZ_CHECK(rc == -1, "scan gave %d", rc);
    else
        check_scan(&s);

    json_error_t je;
    json_t *j = json_loadb((const char *)data, size, 0, &je);
    if (!j)
        return 0;
    struct arena *a = arena_new(8u << 20);
    struct err e;
    struct ct_batch b;
    err_clear(&e);
    rc = ct_batch_decode(j, a, &b, &e);
    if (rc) {
        FUZZ_CHECK(rc == -ERR_INVALID || rc == -ERR_BUDGET, "decode gave %d", rc);
        FUZZ_CHECK(rc == -ERR_BUDGET || e.nitems > 0, "a refusal names no field");
    } else {
        FUZZ_CHECK(b.n >= 1 && b.n <= CT_BATCH_MAX, "%d entries", b.n);
        FUZZ_CHECK(b.reader && *b.reader && strlen(b.reader) <= 40 * 4, "reader");
        FUZZ_CHECK(b.sent_at > 0, "sent_at %lld", (long long)b.sent_at);
        for (int i = 0; i < b.n; i++) {
            const struct ct_entry *x = &b.e[i];
            if (!x->ok) {
                FUZZ_CHECK(x->why && x->why->key[0], "entry %d refused without a key", i);
                continue;
            }
            FUZZ_CHECK(x->seq >= 1, "seq %lld", (long long)x->seq);
            FUZZ_CHECK(x->amount_fen >= 0 && x->amount_fen <= CT_AMOUNT_MAX, "amount %lld",
                       (long long)x->amount_fen);
            FUZZ_CHECK(x->at > 0, "at %lld", (long long)x->at);
            check_scan(&x->scan);
            if (x->meal) {
                int known = 0;
                for (const struct res_enum *m = ct_meals; m->value; m++)
                    known |= !strcmp(m->value, x->meal);
                FUZZ_CHECK(known, "meal %s", x->meal);
            }
        }
    }
    arena_free(a);
    json_decref(j);
    return 0;
}
