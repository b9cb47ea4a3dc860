/* SPDX-License-Identifier: MIT
 * booking/workflow.c - the rules of the steps entities.c declares: the
 * booker cancels up to the resource's cut-off (the service centre may cancel
 * later: a court closed for rain); check-in needs the booking's code and
 * opens a quarter of an hour before the start; a no-show is recorded only
 * once the grace period after the start has passed.
 */
#include "booking.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/http.h"
#include "../../engine/workflow.h"

#include <string.h>

int bk_cancel_check(struct wf *w)
{
    struct req *r = w->r;
    if (wf_int(w->rec, "booker_id") != r->user_id)
        return 0;
    struct bk_resource res;
    int rc = bk_resource_load(r, w->c, wf_int(w->rec, "resource_id"), 0, &res, &r->err);
    if (rc < 0)
        return rc;
    if (!bk_cancel_ok(wf_time(w->rec, "start_at"), clock_now(), (int)res.cancel_hours))
        return wf_conflict(w, "booking.cutoff",
                           "a booking of {resource}%s may be cancelled up to {hours}%lld hours "
                           "before it starts",
                           res.name ? res.name : "?", (long long)res.cancel_hours);
    return 0;
}

/* Compares in constant time (the code is a secret). */
static int same_code(const char *a, const char *b)
{
    size_t n = a ? strlen(a) : 0, m = b ? strlen(b) : 0;
    unsigned d = n != m || !n;
    for (size_t i = 0; i < n && i < m; i++)
        d |= (unsigned)(a[i] ^ b[i]);
    return !d;
}

int bk_check_in_check(struct wf *w)
{
    const char *code = wf_str(w->body, "code");
    if (!same_code(code, wf_str(w->rec, "check_in_code")))
        return wf_invalid(w, "code", "booking.code", "is not this booking's check-in code");
    int64_t now = clock_now(), start = wf_time(w->rec, "start_at");
    if (now < start - BK_CHECKIN_EARLY_MIN * 60)
        return wf_conflict(w, "booking.check_in_early",
                           "check-in opens {minutes}%d minutes before the start",
                           BK_CHECKIN_EARLY_MIN);
    if (now >= wf_time(w->rec, "end_at"))
        return wf_conflict(w, "booking.check_in_late", "the booking has ended");
    return 0;
}

int bk_no_show_check(struct wf *w)
{
    int64_t grace = bk_setting(w->r, w->c, "no_show_min", BK_NO_SHOW_MIN);
    if (clock_now() < wf_time(w->rec, "start_at") + grace * 60)
        return wf_conflict(w, "booking.no_show_early",
                           "a no-show is recorded {minutes}%lld minutes after the start at the "
                           "earliest",
                           (long long)grace);
    return 0;
}
