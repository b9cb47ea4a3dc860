/* SPDX-License-Identifier: MIT
 * collate.c - see collate.h. Built into the binary, and with
 * -DBUREAU_SQLITE_EXTENSION as a SQLite loadable extension for the shell.
 */
#ifdef BUREAU_SQLITE_EXTENSION
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1
#else
#include <sqlite3.h>
#endif
#include "collate.h"

#include <string.h>
#include <unicode/ucol.h>

static const struct {
    const char *name, *locale; /* the locales PostgreSQL's collations name (ddl.c) */
} collations[] = {
    {COLLATE_PINYIN, "zh-u-co-pinyin"},
    {COLLATE_STROKE, "zh-u-co-stroke"},
};

static int compare(void *arg, int na, const void *a, int nb, const void *b)
{
    UErrorCode st = U_ZERO_ERROR;
    UCollationResult r = ucol_strcollUTF8(arg, a, na, b, nb, &st);
    if (U_SUCCESS(st) && r != UCOL_EQUAL)
        return r == UCOL_LESS ? -1 : 1;
    /* equal to ICU (or not UTF-8): by the bytes, as PostgreSQL breaks ties */
    int n = na < nb ? na : nb;
    int c = n > 0 ? memcmp(a, b, (size_t)n) : 0;
    return c ? (c < 0 ? -1 : 1) : (na > nb) - (na < nb);
}

static void destroy(void *arg)
{
    ucol_close(arg);
}

int collate_register(struct sqlite3 *h)
{
    for (size_t i = 0; i < sizeof(collations) / sizeof(collations[0]); i++) {
        UErrorCode st = U_ZERO_ERROR;
        UCollator *c = ucol_open(collations[i].locale, &st);
        if (U_FAILURE(st))
            return -1;
        /* on failure SQLite does not call destroy: close it here */
        if (sqlite3_create_collation_v2(h, collations[i].name, SQLITE_UTF8, c, compare, destroy) !=
            SQLITE_OK) {
            ucol_close(c);
            return -1;
        }
    }
    return 0;
}

#ifdef BUREAU_SQLITE_EXTENSION
/* sqlite3> .load build/bureau-collate */
int sqlite3_bureaucollate_init(sqlite3 *h, char **msg, const sqlite3_api_routines *api);
int sqlite3_bureaucollate_init(sqlite3 *h, char **msg, const sqlite3_api_routines *api)
{
    SQLITE_EXTENSION_INIT2(api);
    (void)msg;
    return collate_register(h) ? SQLITE_ERROR : SQLITE_OK;
}
#endif
