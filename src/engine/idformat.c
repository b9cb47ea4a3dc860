/* SPDX-License-Identifier: MIT
 * idformat.c - Chinese identifiers and numbers; see idformat.h.
 */
#include "idformat.h"
#include "../base/base.h"
#include "../base/err.h"

#include <string.h>

static const char *const names[] = {
    [IDF_MOBILE] = "mobile", [IDF_LANDLINE] = "landline",   [IDF_PHONE] = "phone",
    [IDF_PLATE] = "plate",   [IDF_ID_NUMBER] = "id_number", [IDF_USCC] = "uscc",
};

int idf_by_name(const char *name)
{
    if (!name)
        return IDF_NONE;
    for (int k = IDF_MOBILE; k <= IDF_USCC; k++)
        if (!strcmp(names[k], name))
            return k;
    return -1;
}

const char *idf_name(int k)
{
    return k >= IDF_MOBILE && k <= IDF_USCC ? names[k] : NULL;
}

const char *idf_describe(int k)
{
    switch (k) {
    case IDF_MOBILE:
        return "mobile number: 11 digits starting 13-19, stored as 13812345678 (spaces, hyphens "
               "and a +86 prefix are dropped)";
    case IDF_LANDLINE:
        return "landline number with its area code (010, 02X or 0[3-9]XX), 7-8 digits and an "
               "optional extension of 1-6 digits, stored as 0755-83561234 or 0755-83561234-801";
    case IDF_PHONE:
        return "mobile number (stored as 13812345678) or landline number with its area code "
               "(stored as 0755-83561234[-extension])";
    case IDF_PLATE:
        return "vehicle plate (GA 36-2018), stored as 粤B·12345 (the dot may be left out or typed "
               "as a space); new-energy plates have 6 characters after the dot, D or F first "
               "(small vehicles, 粤B·D12345) or last (large vehicles, 粤B·12345D)";
    case IDF_ID_NUMBER:
        return "resident ID number (GB 11643-1999): 18 characters, a real date of birth and the "
               "MOD 11-2 check character, stored with a capital X";
    case IDF_USCC:
        return "unified social credit code (GB 32100-2015): 18 characters of 0-9 A-H J-N P-R T U "
               "W-Y ending in the MOD 31 check character, stored in capitals";
    default: return NULL;
    }
}

/* ---- what every format does first ---- */

/* Trims spaces (ASCII, tab, U+3000), turns full-width ASCII (U+FF01-U+FF5E)
 * and U+3000 inside into ASCII, upper-cases a-z. out holds IDF_MAX_INPUT + 1
 * bytes. Returns the length, or -1 when the input is too long. */
static int fold(const char *s, size_t n, char *out)
{
    size_t k = 0;
    if (n > IDF_MAX_INPUT)
        return -1;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0xE3 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
            (unsigned char)s[i + 2] == 0x80) {
            out[k++] = ' ';
            i += 3;
            continue;
        }
        if (c == 0xEF && i + 2 < n) {
            unsigned c1 = (unsigned char)s[i + 1], c2 = (unsigned char)s[i + 2];
            unsigned cp = ((c & 0x0Fu) << 12) | ((c1 & 0x3Fu) << 6) | (c2 & 0x3Fu);
            if ((c1 & 0xC0) == 0x80 && (c2 & 0xC0) == 0x80 && cp >= 0xFF01 && cp <= 0xFF5E) {
                char a = (char)(cp - 0xFEE0);
                out[k++] = a >= 'a' && a <= 'z' ? (char)(a - 32) : a;
                i += 3;
                continue;
            }
        }
        out[k++] = c == '\t' ? ' ' : c >= 'a' && c <= 'z' ? (char)(c - 32) : (char)c;
        i++;
    }
    size_t a = 0;
    while (a < k && out[a] == ' ')
        a++;
    while (k > a && out[k - 1] == ' ')
        k--;
    memmove(out, out + a, k - a);
    k -= a;
    out[k] = 0;
    return (int)k;
}

/* Drops every byte of s found in set; returns the new length. */
static size_t drop(char *s, size_t n, const char *set)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!strchr(set, s[i]))
            s[k++] = s[i];
    s[k] = 0;
    return k;
}

static int all_digits(const char *s, size_t n)
{
    if (!n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static void put(char *out, size_t *outn, const char *s, size_t n)
{
    memcpy(out, s, n);
    out[n] = 0;
    *outn = n;
}

/* ---- telephone numbers ---- */

static int mobile(char *s, size_t n, char *out, size_t *outn)
{
    n = drop(s, n, " -");
    const char *d = s;
    if (n == 14 && !memcmp(s, "+86", 3))
        d += 3, n -= 3;
    else if (n == 15 && !memcmp(s, "0086", 4))
        d += 4, n -= 4;
    else if (n == 13 && !memcmp(s, "86", 2))
        d += 2, n -= 2;
    if (n != 11 || !all_digits(d, n) || d[0] != '1' || d[1] < '3')
        return -1;
    put(out, outn, d, n);
    return 0;
}

/* The length of the area code d starts with: 3 for 010 and 02X, 4 for
 * 0[3-9]XX, 0 for none. */
static size_t area_len(const char *d, size_t n)
{
    if (n < 3 || d[0] != '0')
        return 0;
    if (d[1] == '1')
        return d[2] == '0' ? 3 : 0;
    if (d[1] == '2')
        return 3;
    return d[1] >= '3' && d[1] <= '9' && n >= 4 ? 4 : 0;
}

static int local_ok(const char *d, size_t n)
{
    return (n == 7 || n == 8) && all_digits(d, n) && d[0] >= '2';
}

static int landline(char *s, size_t n, char *out, size_t *outn)
{
    /* 转 (extension) and the brackets around an area code separate groups too */
    char t[IDF_MAX_INPUT + 1];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (i + 2 < n && !memcmp(s + i, "\xE8\xBD\xAC", 3)) {
            t[k++] = '-';
            i += 2;
        } else {
            t[k++] = s[i] == '(' || s[i] == ')' || s[i] == ' ' || s[i] == '#' ? '-' : s[i];
        }
    }
    /* digit groups between separators */
    const char *g[8];
    size_t gn[8];
    int ng = 0;
    for (size_t i = 0; i < k;) {
        if (t[i] == '-') {
            i++;
            continue;
        }
        size_t j = i;
        while (j < k && t[j] != '-')
            j++;
        if (ng == 8 || !all_digits(t + i, j - i))
            return -1;
        g[ng] = t + i;
        gn[ng++] = j - i;
        i = j;
    }
    /* the area code, then the number: groups joined until it has 7 digits (people
     * write 8356 1234), then at most one group more, the extension */
    size_t an = ng ? area_len(g[0], gn[0]) : 0;
    if (!an || gn[0] > an + 8)
        return -1;
    const char *area = g[0], *ext = NULL;
    char num[8];
    size_t nn = gn[0] - an, en = 0;
    memcpy(num, g[0] + an, nn);
    int next = 1;
    for (; next < ng && nn < 7; next++) {
        if (nn + gn[next] > 8)
            return -1;
        memcpy(num + nn, g[next], gn[next]);
        nn += gn[next];
    }
    if (next < ng)
        ext = g[next], en = gn[next++];
    if (next < ng || !local_ok(num, nn) || (ext && (en < 1 || en > 6)))
        return -1;
    char r[IDF_MAX];
    memcpy(r, area, an);
    r[an] = '-';
    memcpy(r + an + 1, num, nn);
    size_t rn = an + 1 + nn;
    if (ext) {
        r[rn++] = '-';
        memcpy(r + rn, ext, en);
        rn += en;
    }
    put(out, outn, r, rn);
    return 0;
}

/* ---- plates (GA 36-2018) ---- */

/* the 31 provincial-level abbreviations of mainland plates */
static const char *const provinces[] = {
    "京", "津", "沪", "渝", "冀", "豫", "云", "辽", "黑", "湘", "皖", "鲁", "新", "苏", "浙", "赣",
    "鄂", "桂", "甘", "晋", "蒙", "陕", "吉", "闽", "贵", "粤", "青", "藏", "川", "宁", "琼",
};

/* what people type between the issuing letter and the serial */
static const char *const dots[] = {
    "\xC2\xB7",     /* U+00B7 middle dot: the normal form */
    "\xE2\x80\xA2", /* U+2022 bullet */
    "\xE2\x80\xA7", /* U+2027 hyphenation point */
    "\xE2\x88\x99", /* U+2219 bullet operator */
    "\xE2\x8B\x85", /* U+22C5 dot operator */
    "\xE3\x83\xBB", /* U+30FB katakana middle dot (Chinese input methods) */
    "\xEF\xBD\xA5", /* U+FF65 half-width katakana middle dot */
    ".",
    "-",
    " ",
};

static int plate_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z' && c != 'I' && c != 'O');
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int plate(const char *s, size_t n, char *out, size_t *outn, struct err_item *why)
{
    size_t p = 0;
    for (size_t i = 0; i < ARRAY_LEN(provinces) && !p; i++) {
        size_t k = strlen(provinces[i]);
        if (n >= k && !memcmp(s, provinces[i], k))
            p = k;
    }
    if (!p || p >= n || s[p] < 'A' || s[p] > 'Z')
        goto bad;
    size_t head = p + 1;
    for (size_t i = 0; i < ARRAY_LEN(dots); i++) {
        size_t k = strlen(dots[i]);
        if (n - head >= k && !memcmp(s + head, dots[i], k)) {
            p = head + k;
            break;
        }
    }
    if (p < head)
        p = head;
    const char *serial = s + p;
    size_t sn = n - p;
    if (sn != 5 && sn != 6)
        goto bad;
    for (size_t i = 0; i < sn; i++)
        if (!plate_char(serial[i]))
            goto bad;
    if (sn == 6) {
        int ef = serial[0] == 'D' || serial[0] == 'F';
        int small = ef && is_digit(serial[2]) && is_digit(serial[3]) && is_digit(serial[4]) &&
                    is_digit(serial[5]);
        int large = serial[5] == 'D' || serial[5] == 'F';
        for (int i = 0; i < 5 && large; i++)
            large = is_digit(serial[i]);
        if (!small && !large)
            return err_item_set(why, "format.plate.new_energy",
                                "a new-energy plate has D or F first (small vehicles, 粤B·D12345) "
                                "or last (large vehicles, 粤B·12345D)");
    }
    char r[IDF_MAX];
    memcpy(r, s, head);
    memcpy(r + head, "\xC2\xB7", 2);
    memcpy(r + head + 2, serial, sn);
    put(out, outn, r, head + 2 + sn);
    return 0;
bad:
    return err_item_set(why, "format.plate",
                        "must be a plate: a province, a letter and 5 letters or digits (粤B·12345; "
                        "6 on new-energy plates)");
}

/* ---- resident ID numbers (GB 11643-1999) ---- */

char idf_id_check(const char *d)
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        if (d[i] < '0' || d[i] > '9')
            return 0;
        sum += (d[i] - '0') * w[i];
    }
    return "10X98765432"[sum % 11];
}

static int two(const char *s)
{
    return (s[0] - '0') * 10 + (s[1] - '0');
}

static int id_number(char *s, size_t n, int64_t today, char *out, size_t *outn,
                     struct err_item *why)
{
    n = drop(s, n, " ");
    if (n != 18 || !all_digits(s, 17) || s[0] == '0' || !(is_digit(s[17]) || s[17] == 'X'))
        return err_item_set(why, "format.id_number",
                            "must be an 18-character resident ID number: 17 digits and a digit "
                            "or X");
    int y = two(s + 6) * 100 + two(s + 8), m = two(s + 10), d = two(s + 12);
    char ymd[11] = {s[6], s[7], s[8], s[9], '-', s[10], s[11], '-', s[12], s[13], 0};
    int64_t born;
    int bad = y < 1800 || m < 1 || m > 12 || d < 1 || d > date_days_in_month(y, m);
    if (!bad && y >= 1900) /* date_parse's range starts in 1900 */
        bad = date_parse(ymd, 10, &born) || born > today;
    if (bad)
        return err_item_set(why, "format.id_number.birth_date",
                            "holds no real date of birth ({date}%s)", ymd);
    if (idf_id_check(s) != s[17])
        return err_item_set(why, "format.id_number.check",
                            "has a wrong check character: a digit was mistyped");
    put(out, outn, s, 18);
    return 0;
}

/* ---- unified social credit codes (GB 32100-2015) ---- */

static const char uscc_set[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static int uscc_value(char c)
{
    const char *p = c ? strchr(uscc_set, c) : NULL;
    return p ? (int)(p - uscc_set) : -1;
}

char idf_uscc_check(const char *c)
{
    static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        int v = uscc_value(c[i]);
        if (v < 0)
            return 0;
        sum += v * w[i];
    }
    int r = 31 - sum % 31;
    return uscc_set[r == 31 ? 0 : r];
}

static int uscc(char *s, size_t n, char *out, size_t *outn, struct err_item *why)
{
    n = drop(s, n, " ");
    int ok = n == 18;
    for (size_t i = 0; i < n && ok; i++)
        ok = uscc_value(s[i]) >= 0;
    if (!ok)
        return err_item_set(why, "format.uscc",
                            "must be an 18-character unified social credit code (digits and "
                            "capital letters but I, O, S, V and Z)");
    if (idf_uscc_check(s) != s[17])
        return err_item_set(why, "format.uscc.check",
                            "has a wrong check character: a character was mistyped");
    put(out, outn, s, 18);
    return 0;
}

int idf_normalise(int k, const char *s, size_t n, int64_t today, char *out, size_t *outn,
                  struct err_item *why)
{
    char t[IDF_MAX_INPUT + 1];
    int tn = fold(s, n, t);
    *outn = 0;
    out[0] = 0;
    if (tn == 0)
        return 0;
    switch (k) {
    case IDF_MOBILE:
        if (tn > 0 && !mobile(t, (size_t)tn, out, outn))
            return 0;
        return err_item_set(why, "format.mobile",
                            "must be a mobile number: 11 digits starting 13-19 (13812345678)");
    case IDF_LANDLINE:
        if (tn > 0 && !landline(t, (size_t)tn, out, outn))
            return 0;
        return err_item_set(why, "format.landline",
                            "must be a landline number: area code and number (0755-83561234, "
                            "an extension after another -)");
    case IDF_PHONE: {
        char u[IDF_MAX_INPUT + 1];
        if (tn > 0) {
            memcpy(u, t, (size_t)tn + 1);
            if (!mobile(u, (size_t)tn, out, outn) || !landline(t, (size_t)tn, out, outn))
                return 0;
        }
        return err_item_set(why, "format.phone",
                            "must be a mobile number (13812345678) or a landline number with "
                            "its area code (0755-83561234)");
    }
    case IDF_PLATE:
        if (tn < 0)
            return err_item_set(why, "format.plate",
                                "must be a plate: a province, a letter and 5 letters or digits "
                                "(粤B·12345; 6 on new-energy plates)");
        return plate(t, (size_t)tn, out, outn, why);
    case IDF_ID_NUMBER:
        if (tn < 0)
            return err_item_set(why, "format.id_number",
                                "must be an 18-character resident ID number: 17 digits and a "
                                "digit or X");
        return id_number(t, (size_t)tn, today, out, outn, why);
    case IDF_USCC:
        if (tn < 0)
            return err_item_set(why, "format.uscc",
                                "must be an 18-character unified social credit code (digits and "
                                "capital letters but I, O, S, V and Z)");
        return uscc(t, (size_t)tn, out, outn, why);
    default:
        return err_item_set(why, "internal", "has an unknown format");
    }
}

/* ---- masking ---- */

/* Byte length of the UTF-8 character at s (1 for a stray byte). */
static size_t char_len(const char *s, size_t n)
{
    unsigned char c = (unsigned char)s[0];
    size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (k > n)
        return 1;
    for (size_t i = 1; i < k; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            return 1;
    return k;
}

static size_t count_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i += char_len(s + i, n - i))
        c++;
    return c;
}

/* Copies s to out keeping characters [0, head) and [nchars - tail, nchars)
 * and characters from keep_from on; every other character becomes '*'. */
static size_t keep(const char *s, size_t n, size_t head, size_t tail, char *out)
{
    size_t nc = count_chars(s, n), k = 0, c = 0;
    if (head + tail >= nc)
        head = tail = 0; /* too short to keep anything: all of it masked */
    for (size_t i = 0; i < n; c++) {
        size_t l = char_len(s + i, n - i);
        if (c < head || c >= nc - tail) {
            memcpy(out + k, s + i, l);
            k += l;
        } else {
            out[k++] = '*';
        }
        i += l;
    }
    out[k] = 0;
    return k;
}

static size_t mask_landline(const char *s, size_t n, char *out)
{
    const char *a = memchr(s, '-', n);
    if (!a)
        return keep(s, n, 0, 4, out);
    size_t from = (size_t)(a - s) + 1;
    const char *b = memchr(s + from, '-', n - from);
    size_t to = b ? (size_t)(b - s) : n;
    memcpy(out, s, from);
    size_t k = from + keep(s + from, to - from, 0, 4, out + from);
    memcpy(out + k, s + to, n - to);
    k += n - to;
    out[k] = 0;
    return k;
}

size_t idf_mask(int k, const char *s, size_t n, char *out)
{
    size_t nc = count_chars(s, n);
    switch (k) {
    case IDF_ID_NUMBER: return keep(s, n, 4, 4, out);
    case IDF_MOBILE: return keep(s, n, 3, 4, out);
    case IDF_LANDLINE: return mask_landline(s, n, out);
    case IDF_PHONE:
        if (n == 11 && s[0] == '1')
            return keep(s, n, 3, 4, out);
        return mask_landline(s, n, out);
    default: return keep(s, n, nc / 4, nc / 4, out);
    }
}
