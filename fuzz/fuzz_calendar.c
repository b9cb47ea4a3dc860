/* SPDX-License-Identifier: MIT
 * fuzz_calendar.c - libFuzzer target for what tenants and uploads hand the
 * service desk: working hours text (tenants.work_hours) and the first bytes
 * of an uploaded image. Accepted hours must be ascending, non-overlapping
 * periods within a day; then, with the input's tail as instants, amounts and
 * holiday days, the calendar's two directions must agree: adding n working
 * seconds and counting the working seconds back give n, never earlier.
 */
#include "fuzz_util.h"
#include "modules/files/files.h"
#include "modules/org/calendar.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static uint32_t take(const uint8_t **p, size_t *n)
{
    uint32_t v = 0;
    for (int i = 0; i < 4 && *n; i++, (*p)++, (*n)--)
        v = v << 8 | **p;
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *kind = files_sniff_image(data, size);
    FUZZ_CHECK(!kind || size >= 4, "an image of %zu bytes", size);
    /* the hours are the text up to the first NUL; the rest drives the calendar */
    size_t hn = 0;
    while (hn < size && data[hn])
        hn++;
    struct calendar cal;
    struct err_item why;
    memset(&cal, 0, sizeof(cal));
    if (cal_parse_hours((const char *)data, hn, cal.periods, &cal.nperiods, &why))
        return 0;
    FUZZ_CHECK(cal.nperiods >= 1 && cal.nperiods <= CAL_MAX_PERIODS, "%d periods", cal.nperiods);
    for (int i = 0; i < cal.nperiods; i++) {
        FUZZ_CHECK(cal.periods[i].start >= 0 && cal.periods[i].end <= 1440 &&
                       cal.periods[i].start < cal.periods[i].end,
                   "period %d: %d-%d", i, cal.periods[i].start, cal.periods[i].end);
        FUZZ_CHECK(!i || cal.periods[i].start >= cal.periods[i - 1].end, "overlap at %d", i);
    }
    const uint8_t *p = data + hn;
    size_t n = size - hn;
    struct cal_exception exc[16];
    int nexc = 0;
    cal.utc_offset_min = (int)(take(&p, &n) % 1561) - 720;
    int32_t base = 20000 + (int32_t)(take(&p, &n) % 2000); /* days: 2024 and after */
    while (n >= 2 && nexc < 16) {
        int32_t d = base + nexc * 3 + (int32_t)(*p % 3);
        exc[nexc].day = d;
        exc[nexc].workday = p[1] & 1;
        nexc++;
        p += 2;
        n -= 2;
    }
    cal.exc = exc;
    cal.nexc = nexc;
    int64_t from = (int64_t)base * 86400 + take(&p, &n) % (30 * 86400);
    int64_t secs = take(&p, &n) % (200 * 3600);
    int64_t to = cal_add_working(&cal, from, secs);
    if (to == CAL_NEVER) {
        /* only when that much working time does not fit in the span counted (a
         * minute's working day and 200 hours, say) */
        FUZZ_CHECK(cal_working_seconds(&cal, from, from + (int64_t)3600 * 86400) < secs,
                   "%lld seconds fit, yet never", (long long)secs);
        return 0;
    }
    FUZZ_CHECK(to >= from, "backwards");
    FUZZ_CHECK(cal_working_seconds(&cal, from, to) == secs, "%lld seconds there, %lld back",
               (long long)secs, (long long)cal_working_seconds(&cal, from, to));
    if (secs > 0)
        FUZZ_CHECK(cal_working_seconds(&cal, from, to - 1) == secs - 1, "not the first instant");
    int64_t d0 = cal_day_of(&cal, from);
    int k = (int)(secs % 30);
    int64_t dk = cal_add_workdays(&cal, d0, k);
    FUZZ_CHECK(cal_workdays_between(&cal, d0 + 1, dk + 1) == k, "%d working days", k);
    return 0;
}
