/* SPDX-License-Identifier: MIT
 * idformat.h - Chinese identifiers and numbers: check a value people typed
 * and give its one normal form, and mask it for roles that may not see it
 * in full. Pure functions (no I/O, no allocation); a field declares one with
 * .format (res.h) and the engine applies it on every way in (JSON, CSV
 * import, list filters).
 *
 *   mobile     11 digits 1[3-9]XXXXXXXXX (a +86/0086/86 prefix, spaces and
 *              hyphens are dropped): 13812345678
 *   landline   区号-号码[-分机]: the area code 010, 02X or 0[3-9]XX (the
 *              national numbering plan), a number of 7-8 digits not starting
 *              with 0 or 1, an extension of 1-6 digits: 0755-83561234-801
 *   phone      a mobile or a landline
 *   plate      GA 36-2018: a province abbreviation, the issuing letter, a
 *              middle dot, then 5 letters or digits (ordinary plates, no I or
 *              O) or 6 (new-energy plates: D or F first, a letter or digit,
 *              four digits on small vehicles; five digits then D or F on large
 *              ones): 粤B·12345, 粤B·D12345, 粤B·12345F. The dot may be left out
 *              or typed as a space or another dot-like character.
 *   id_number  GB 11643-1999 resident ID number: 17 digits (the first not 0,
 *              digits 7-14 a real date of birth not after today) and the
 *              ISO 7064 MOD 11-2 check character: 11010519491231002X
 *   uscc       GB 32100-2015 unified social credit code: 18 characters of
 *              0-9 A-H J-N P-R T U W-Y, the last the MOD 31 check character:
 *              91350100M000100Y43
 *
 * Before the check: surrounding spaces (ASCII and U+3000) are trimmed, full-
 * width letters, digits and punctuation (Ａ, １, －) become ASCII, and letters
 * are upper-cased where the format has letters.
 */
#ifndef BUREAU_IDFORMAT_H
#define BUREAU_IDFORMAT_H

#include <stddef.h>
#include <stdint.h>

struct err_item;

enum idf_format {
    IDF_NONE = 0,
    IDF_MOBILE,
    IDF_LANDLINE,
    IDF_PHONE,
    IDF_PLATE,
    IDF_ID_NUMBER,
    IDF_USCC,
};

/* The longest normal form, with its NUL: 0755-83561234-123456 is 21 bytes. */
#define IDF_MAX 32
/* Input longer than this (bytes) is refused before any work. */
#define IDF_MAX_INPUT 96

/* The format called name ("mobile", …); IDF_NONE for NULL, -1 when unknown. */
int idf_by_name(const char *name);
/* The name of format k ("mobile", …), NULL for IDF_NONE or an unknown k. */
const char *idf_name(int k);

/* Checks s (n bytes, not necessarily NUL-terminated) as format k. Returns 0
 * with the normal form in out (IDF_MAX bytes, NUL-terminated) and its length
 * in *outn (0: the value was empty or only spaces - no value), or -1 with why
 * set: key format.<name> or format.<name>.<rule> and an English message.
 * today (days since 1970-01-01) bounds a date of birth; INT64_MAX: no bound. */
int idf_normalise(int k, const char *s, size_t n, int64_t today, char *out, size_t *outn,
                  struct err_item *why);

/* The masked form of s (n bytes, any text) for format k, into out (at least
 * n + 1 bytes, at most IDF_MAX_INPUT + 1 used), NUL-terminated; returns its
 * length. An ID number keeps its first and last four characters
 * (4403**********123X), a mobile its first three and last four
 * (138****5678), a landline its area code and last four digits
 * (0755-****1234); any other text keeps its first and last quarter. Every
 * character masked becomes one '*'; what is kept is whole characters. */
size_t idf_mask(int k, const char *s, size_t n, char *out);

/* What format k takes and stores, in English, for the API description;
 * NULL for IDF_NONE or an unknown k. */
const char *idf_describe(int k);

/* The GB 11643-1999 check character of the 17 digits d ('0'-'9' or 'X'),
 * 0 when d holds something else. */
char idf_id_check(const char *d);
/* The GB 32100-2015 check character of the 17 characters c, 0 when c holds
 * a character outside the code's set. */
char idf_uscc_check(const char *c);

#endif
