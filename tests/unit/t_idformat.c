/* SPDX-License-Identifier: MIT
 * t_idformat.c - Chinese identifiers and numbers (src/engine/idformat.c) with
 * hand-computed vectors: mobiles (000000 refused), landlines with their area
 * codes, plates with and without the middle dot and new-energy plates with D
 * or F in the right and the wrong place (GA 36-2018), resident ID numbers
 * (GB 11643-1999: check characters, Feb 30, a birth after today) and unified
 * social credit codes (GB 32100-2015), masking, and a field declared with a
 * format: normalised on the way in, refused with format.<name> otherwise.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "base/arena.h"
#include "base/base.h"
#include "base/err.h"
#include "engine/idformat.h"
#include "engine/res.h"
#include "engine/value.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* 2026-12-07 as days since 1970-01-01 */
#define TODAY 20794

/* The normal form of s as format k, or "!" and the error key in key. */
static const char *norm(int k, const char *s, char *key)
{
    static char out[IDF_MAX];
    struct err_item why;
    size_t n;
    memset(&why, 0, sizeof(why));
    key[0] = 0;
    if (idf_normalise(k, s, strlen(s), TODAY, out, &n, &why)) {
        strcpy(key, why.key);
        return "!";
    }
    assert_int_equal(n, strlen(out));
    return out;
}

#define OK(k, in, want)                                                                            \
    do {                                                                                           \
        char key_[ERR_KEY_LEN];                                                                    \
        assert_string_equal(norm(k, in, key_), want);                                              \
    } while (0)

#define BAD(k, in, want_key)                                                                       \
    do {                                                                                           \
        char key_[ERR_KEY_LEN];                                                                    \
        assert_string_equal(norm(k, in, key_), "!");                                               \
        assert_string_equal(key_, want_key);                                                       \
    } while (0)

static void test_names(void **state)
{
    (void)state;
    assert_int_equal(idf_by_name(NULL), IDF_NONE);
    assert_int_equal(idf_by_name("mobile"), IDF_MOBILE);
    assert_int_equal(idf_by_name("uscc"), IDF_USCC);
    assert_int_equal(idf_by_name("email"), -1);
    assert_string_equal(idf_name(IDF_ID_NUMBER), "id_number");
    assert_null(idf_name(IDF_NONE));
    assert_non_null(idf_describe(IDF_PLATE));
}

static void test_mobile(void **state)
{
    (void)state;
    OK(IDF_MOBILE, "13812345678", "13812345678");
    OK(IDF_MOBILE, " 138 1234 5678 ", "13812345678");
    OK(IDF_MOBILE, "138-1234-5678", "13812345678");
    OK(IDF_MOBILE, "+86 138 1234 5678", "13812345678");
    OK(IDF_MOBILE, "008613812345678", "13812345678");
    OK(IDF_MOBILE, "19912345678", "19912345678");
    /* full-width digits from a Chinese input method */
    OK(IDF_MOBILE, "１３８１２３４５６７８", "13812345678");
    OK(IDF_MOBILE, "   ", ""); /* no value */
    BAD(IDF_MOBILE, "000000", "format.mobile");
    BAD(IDF_MOBILE, "12812345678", "format.mobile");   /* 1[3-9] */
    BAD(IDF_MOBILE, "1381234567", "format.mobile");    /* 10 digits */
    BAD(IDF_MOBILE, "138123456789", "format.mobile");  /* 12 */
    BAD(IDF_MOBILE, "1381234567a", "format.mobile");
    BAD(IDF_MOBILE, "0755-83561234", "format.mobile"); /* a landline is no mobile */
}

static void test_landline(void **state)
{
    (void)state;
    OK(IDF_LANDLINE, "0755-83561234", "0755-83561234");
    OK(IDF_LANDLINE, "0755 83561234", "0755-83561234");
    OK(IDF_LANDLINE, "(0755)83561234", "0755-83561234");
    OK(IDF_LANDLINE, "（０７５５）８３５６１２３４", "0755-83561234");
    OK(IDF_LANDLINE, "075583561234", "0755-83561234");       /* 0[3-9]XX: 4 digits */
    OK(IDF_LANDLINE, "01062345678", "010-62345678");         /* 010: 3 digits */
    OK(IDF_LANDLINE, "020-8123456", "020-8123456");          /* 7-digit number */
    OK(IDF_LANDLINE, "0755-83561234-801", "0755-83561234-801");
    OK(IDF_LANDLINE, "0755-83561234转801", "0755-83561234-801");
    OK(IDF_LANDLINE, "075583561234-801", "0755-83561234-801");
    BAD(IDF_LANDLINE, "000000", "format.landline");
    BAD(IDF_LANDLINE, "83561234", "format.landline");        /* no area code */
    BAD(IDF_LANDLINE, "075-83561234", "format.landline");    /* 07X is no area code */
    BAD(IDF_LANDLINE, "0755-12345678", "format.landline");   /* numbers start 2-9 */
    BAD(IDF_LANDLINE, "0755-123456", "format.landline");     /* 6 digits */
    BAD(IDF_LANDLINE, "0755-835612345", "format.landline");  /* 9 digits */
    BAD(IDF_LANDLINE, "0755-83561234-1234567", "format.landline"); /* extension of 7 */
    OK(IDF_LANDLINE, "0755-8356 1234", "0755-83561234");      /* the number in two groups */
    OK(IDF_LANDLINE, "0755 8356-1234 801", "0755-83561234-801");
    BAD(IDF_LANDLINE, "0755-8356-1234-801-2", "format.landline"); /* two extensions */
    BAD(IDF_LANDLINE, "0755-835-612-345", "format.landline");   /* 9 digits */
    BAD(IDF_LANDLINE, "13812345678", "format.landline");
}

static void test_phone(void **state)
{
    (void)state;
    OK(IDF_PHONE, "138 1234 5678", "13812345678");
    OK(IDF_PHONE, "0755-83561234", "0755-83561234");
    OK(IDF_PHONE, "075583561234", "0755-83561234");
    BAD(IDF_PHONE, "000000", "format.phone");
    BAD(IDF_PHONE, "12345", "format.phone");
    BAD(IDF_PHONE, "12812345678", "format.phone");
}

static void test_plate(void **state)
{
    (void)state;
    /* the same plate, however it was typed */
    OK(IDF_PLATE, "粤B·12345", "粤B·12345");
    OK(IDF_PLATE, "粤B12345", "粤B·12345");
    OK(IDF_PLATE, "粤B 12345", "粤B·12345");
    OK(IDF_PLATE, "粤b12345", "粤B·12345");
    OK(IDF_PLATE, "粤B.12345", "粤B·12345");
    OK(IDF_PLATE, "粤B-12345", "粤B·12345");
    OK(IDF_PLATE, "粤B・12345", "粤B·12345"); /* U+30FB from an input method */
    OK(IDF_PLATE, "粤B•12345", "粤B·12345");  /* U+2022 */
    OK(IDF_PLATE, "  粤Ｂ１２３４５ ", "粤B·12345");
    OK(IDF_PLATE, "粤B·A2B4C", "粤B·A2B4C");
    OK(IDF_PLATE, "京A12345", "京A·12345");
    /* new-energy: 6 after the dot; small: D/F first, a letter or digit, 4 digits */
    OK(IDF_PLATE, "粤BD12345", "粤B·D12345");
    OK(IDF_PLATE, "粤B·F12345", "粤B·F12345");
    OK(IDF_PLATE, "粤B·DA1234", "粤B·DA1234");
    /* large: 5 digits, D/F last */
    OK(IDF_PLATE, "粤B12345D", "粤B·12345D");
    OK(IDF_PLATE, "粤B·12345F", "粤B·12345F");
    /* D in the wrong place */
    BAD(IDF_PLATE, "粤B·1D2345", "format.plate.new_energy");
    BAD(IDF_PLATE, "粤B·123456", "format.plate.new_energy"); /* no D or F at all */
    BAD(IDF_PLATE, "粤B·D1234A", "format.plate.new_energy"); /* small: last four digits */
    BAD(IDF_PLATE, "粤B·DAB123", "format.plate.new_energy");
    BAD(IDF_PLATE, "粤B·A1234D", "format.plate.new_energy"); /* large: first five digits */
    /* ordinary plates: 5 after the dot, no I or O */
    BAD(IDF_PLATE, "粤B·1234", "format.plate");
    BAD(IDF_PLATE, "粤B·1234567", "format.plate");
    BAD(IDF_PLATE, "粤B·I2345", "format.plate");
    BAD(IDF_PLATE, "粤B·O2345", "format.plate");
    BAD(IDF_PLATE, "粤B··12345", "format.plate");
    BAD(IDF_PLATE, "粤·12345", "format.plate");   /* no issuing letter */
    BAD(IDF_PLATE, "港B·12345", "format.plate");  /* not a mainland province */
    BAD(IDF_PLATE, "B12345", "format.plate");
    BAD(IDF_PLATE, "粤B·1234学", "format.plate");
    /* the register's plates of every kind, and every one of the 31 provinces */
    const char *good[] = {"粤B·12345", "粤B·D12345", "粤B·A1234", "京A·F12345", "琼E·DF1234",
                          "新Z·ABCDE", "藏A·12345",  "蒙K·12345", NULL};
    for (int i = 0; good[i]; i++)
        OK(IDF_PLATE, good[i], good[i]);
    const char *prov = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";
    int n = 0;
    for (const char *q = prov; *q; q += 3, n++) {
        char b[32];
        snprintf(b, sizeof(b), "%.3sC·12345", q);
        OK(IDF_PLATE, b, b);
    }
    assert_int_equal(n, 31);
    /* not plates however typed: Hong Kong, Macao and Taiwan, a digit for the issuing
     * letter, two letters, a gap in the serial, I and O */
    const char *bad[] = {"澳A·12345", "台A·12345", "AB·12345", "粤1·12345", "粤BB·12345",
                         "粤B·12 45", "粤B·1234O", NULL};
    for (int i = 0; bad[i]; i++)
        BAD(IDF_PLATE, bad[i], "format.plate");
}

static void test_id_number(void **state)
{
    (void)state;
    /* GB 11643-1999's example: 1·7 + 1·9 + 0·10 + 1·5 + 0·8 + 5·4 + 1·2 + 9·1 + 4·6 + 9·3
     * + 1·7 + 2·9 + 3·10 + 1·5 + 0·8 + 0·4 + 2·2 = 167; 167 mod 11 = 2 -> X */
    assert_int_equal(idf_id_check("11010519491231002"), 'X');
    OK(IDF_ID_NUMBER, "11010519491231002X", "11010519491231002X");
    OK(IDF_ID_NUMBER, "11010519491231002x", "11010519491231002X"); /* x upper-cased */
    OK(IDF_ID_NUMBER, " 110105 19491231 002X ", "11010519491231002X");
    /* 4·7 + 4·9 + 0·10 + 5·5 + 2·8 + 4·4 + 1·2 + 8·1 + 8·6 + 0·3 + 0·7 + 1·9 + 0·10 + 1·5
     * + 0·8 + 0·4 + 1·2 = 195; 195 mod 11 = 8 -> 4 */
    assert_int_equal(idf_id_check("44052418800101001"), '4');
    OK(IDF_ID_NUMBER, "440524188001010014", "440524188001010014");
    /* 4403011990 0101 104: sum 7·4 + 9·4 + 10·0 + 5·3 + 8·0 + 4·1 + 2·1 + 1·9 + 6·9 + 3·0
     * + 7·0 + 9·1 + 10·0 + 5·1 + 8·1 + 4·0 + 2·4 = 178; 178 mod 11 = 2 -> X */
    OK(IDF_ID_NUMBER, "44030119900101104X", "44030119900101104X");
    /* a leap day in 2000, none in 1900 */
    OK(IDF_ID_NUMBER, "440301200002291237", "440301200002291237");
    BAD(IDF_ID_NUMBER, "440301190002291230", "format.id_number.birth_date");
    /* wrong check character */
    BAD(IDF_ID_NUMBER, "110105194912310021", "format.id_number.check");
    BAD(IDF_ID_NUMBER, "440524188001010015", "format.id_number.check");
    BAD(IDF_ID_NUMBER, "44030119900101104Y", "format.id_number");
    /* Feb 30 (the check character is right for these 17 digits) */
    assert_int_equal(idf_id_check("44030119900230123"), '3');
    BAD(IDF_ID_NUMBER, "440301199002301233", "format.id_number.birth_date");
    BAD(IDF_ID_NUMBER, "440301199013011234", "format.id_number.birth_date"); /* month 13 */
    /* born after today (2026-12-07): 2026-12-08 */
    BAD(IDF_ID_NUMBER, "440301202612081230", "format.id_number.birth_date");
    /* shapes */
    BAD(IDF_ID_NUMBER, "44030119900101104", "format.id_number");   /* 17 */
    BAD(IDF_ID_NUMBER, "440301900101104", "format.id_number");     /* old 15-digit */
    BAD(IDF_ID_NUMBER, "04030119900101104X", "format.id_number");  /* starts with 0 */
    BAD(IDF_ID_NUMBER, "4403011990010110X4", "format.id_number");  /* X inside */
    BAD(IDF_ID_NUMBER, "000000", "format.id_number");
}

static void test_uscc(void **state)
{
    (void)state;
    /* 9·1 + 1·3 + 3·9 + 5·27 + 0·19 + 1·26 + 0·16 + 0·17 + M(21)·20 + 0·29 + 0·25 + 0·13
     * + 1·8 + 0·24 + 0·10 + Y(30)·30 + 4·28 = 1640; 1640 mod 31 = 28; 31 - 28 = 3 */
    assert_int_equal(idf_uscc_check("91350100M000100Y4"), '3');
    OK(IDF_USCC, "91350100M000100Y43", "91350100M000100Y43");
    OK(IDF_USCC, "91350100m000100y43", "91350100M000100Y43");
    OK(IDF_USCC, "9135 0100 M000 100Y 43", "91350100M000100Y43");
    BAD(IDF_USCC, "91350100M000100Y44", "format.uscc.check");
    BAD(IDF_USCC, "91350100M000100Y4", "format.uscc");   /* 17 */
    BAD(IDF_USCC, "91350100I000100Y43", "format.uscc");  /* I is not in the set */
    BAD(IDF_USCC, "91350100S000100Y43", "format.uscc");  /* nor S */
    BAD(IDF_USCC, "000000", "format.uscc");
    assert_int_equal(idf_uscc_check("9135010OM000100Y4"), 0);
}

static void test_mask(void **state)
{
    (void)state;
    char out[64];
    const char *id = "44030119900101104X";
    assert_int_equal(idf_mask(IDF_ID_NUMBER, id, strlen(id), out), 18);
    assert_string_equal(out, "4403**********104X");
    idf_mask(IDF_MOBILE, "13812345678", 11, out);
    assert_string_equal(out, "138****5678");
    idf_mask(IDF_PHONE, "13812345678", 11, out);
    assert_string_equal(out, "138****5678");
    idf_mask(IDF_PHONE, "0755-83561234", 13, out);
    assert_string_equal(out, "0755-****1234");
    idf_mask(IDF_LANDLINE, "0755-83561234-801", 17, out);
    assert_string_equal(out, "0755-****1234-801");
    /* other text keeps a quarter at each end, whole characters */
    idf_mask(IDF_NONE, "粤B·12345", strlen("粤B·12345"), out);
    assert_string_equal(out, "粤B****45");
    /* too short to keep anything */
    idf_mask(IDF_ID_NUMBER, "12345678", 8, out);
    assert_string_equal(out, "********");
    assert_int_equal(idf_mask(IDF_ID_NUMBER, "", 0, out), 0);
    assert_string_equal(out, "");
}

/* A field with a format, through the engine's value layer (JSON and text). */
static void test_field(void **state)
{
    (void)state;
    static const struct res_field plate = {.name = "plate", .type = RES_TEXT, .format = "plate",
                                           .max_len = 12};
    static const struct res_field id = {.name = "licence_no", .type = RES_TEXT,
                                        .format = "id_number", .mask = 1, .max_len = 30};
    struct arena *a = arena_new(1 << 16);
    struct res_val v;
    struct err_item why;
    json_t *j = json_string("粤b12345");
    assert_int_equal(res_val_from_json(a, &plate, j, &v, &why), 0);
    assert_string_equal(v.s, "粤B·12345");
    json_decref(j);
    assert_int_equal(res_val_from_text(a, &plate, "粤B 12345", strlen("粤B 12345"), &v, &why), 0);
    assert_string_equal(v.s, "粤B·12345");
    assert_int_equal(res_val_from_text(a, &plate, "粤B·1D2345", strlen("粤B·1D2345"), &v, &why),
                     -1);
    assert_string_equal(why.key, "format.plate.new_energy");
    j = json_string("110105194912310021");
    assert_int_equal(res_val_from_json(a, &id, j, &v, &why), -1);
    assert_string_equal(why.key, "format.id_number.check");
    json_decref(j);
    /* spaces only: no value */
    assert_int_equal(res_val_from_text(a, &id, "  ", 2, &v, &why), 0);
    assert_true(v.null);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),    cmocka_unit_test(test_mobile),
        cmocka_unit_test(test_landline), cmocka_unit_test(test_phone),
        cmocka_unit_test(test_plate),    cmocka_unit_test(test_id_number),
        cmocka_unit_test(test_uscc),     cmocka_unit_test(test_mask),
        cmocka_unit_test(test_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
