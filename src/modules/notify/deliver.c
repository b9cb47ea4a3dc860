/* SPDX-License-Identifier: MIT
 * notify/deliver.c - sending webhook deliveries with libcurl.
 *
 * A delivery is claimed with a conditional UPDATE of its lease (one process
 * wins), read, sent with no transaction open, and its result written back.
 * Only the oldest pending delivery of each webhook is due, so one webhook's
 * deliveries go out in order of id. Failed attempts wait base × 2^(n−1)
 * seconds (at most an hour); the eighth failure is final. The periodic job
 * notify.deliver looks at every run of the job runner; a dispatcher thread,
 * woken when a transaction that queued a delivery commits, makes first
 * attempts prompt.
 */
#include "internal.h"
#include "../../base/buf.h"
#include "../../core/config.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../core/jobs.h"
#include "../../base/log.h"
#include "../../db/db.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define TIMEOUT_S 10
#define CONNECT_TIMEOUT_S 5
#define LEASE_S 60                      /* longer than one attempt can take */
#define PASS_BUDGET_US (20u * 1000000u) /* one pass stops claiming after this */
#define PASS_MAX 200                    /* deliveries one pass sends at most */
#define RESPONSE_MAX (64u << 10)        /* response bytes read (and discarded) */
#define KEEP_DELIVERIES_S (90 * 86400)
#define KEEP_READ_NOTIFICATIONS_S (180 * 86400)

static int64_t backoff_base = 30;
static int stopping;

int64_t notify_backoff(int64_t base, int attempts)
{
    if (base <= 0)
        return 0;
    int64_t d = base;
    for (int i = 1; i < attempts && d < NOTIFY_BACKOFF_CAP; i++)
        d *= 2;
    return d < NOTIFY_BACKOFF_CAP ? d : NOTIFY_BACKOFF_CAP;
}

void notify_sign(const char *secret, size_t secret_len, int64_t ts, const char *body,
                 size_t body_len, char *out)
{
    crypto_auth_hmacsha256_state st;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    char prefix[32];
    int n = snprintf(prefix, sizeof(prefix), "%lld.", (long long)ts);
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, secret_len);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)prefix, (size_t)n);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, body_len);
    crypto_auth_hmacsha256_final(&st, mac);
    memcpy(out, "sha256=", 7);
    sodium_bin2hex(out + 7, 65, mac, sizeof(mac));
    sodium_memzero(&st, sizeof(st));
}

/* ---- one HTTP attempt ---- */

struct sink {
    size_t got;
};

static size_t discard(char *p, size_t size, size_t n, void *arg)
{
    struct sink *s = arg;
    (void)p;
    s->got += size * n;
    return s->got > RESPONSE_MAX ? 0 : size * n; /* 0 ends the transfer */
}

static int progress(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    (void)arg;
    (void)dt;
    (void)dn;
    (void)ut;
    (void)un;
    return __atomic_load_n(&stopping, __ATOMIC_ACQUIRE) ? 1 : 0;
}

struct attempt {
    long status;     /* HTTP status, 0: none */
    char error[300]; /* "" when delivered */
    int aborted;     /* stopped by shutdown: not an attempt */
};

static void send_one(const char *url, const char *secret, int64_t id, const char *event,
                     const char *body, size_t n, struct attempt *out)
{
    char h_event[160], h_id[64], h_ts[64], h_sig[40 + NOTIFY_SIG_LEN], sig[NOTIFY_SIG_LEN + 1];
    char errbuf[CURL_ERROR_SIZE] = "";
    int64_t ts = clock_now();
    struct sink sink = {0};
    struct curl_slist *hdr = NULL, *t;
    memset(out, 0, sizeof(*out));
    notify_sign(secret, strlen(secret), ts, body, n, sig);
    snprintf(h_event, sizeof(h_event), "X-Bureau-Event: %s", event);
    snprintf(h_id, sizeof(h_id), "X-Bureau-Delivery: %lld", (long long)id);
    snprintf(h_ts, sizeof(h_ts), "X-Bureau-Timestamp: %lld", (long long)ts);
    snprintf(h_sig, sizeof(h_sig), "X-Bureau-Signature: %s", sig);
    const char *lines[] = {"Content-Type: application/json", h_event, h_id, h_ts, h_sig, "Expect:"};
    for (size_t i = 0; i < ARRAY_LEN(lines); i++) {
        if (!(t = curl_slist_append(hdr, lines[i]))) {
            snprintf(out->error, sizeof(out->error), "out of memory");
            curl_slist_free_all(hdr);
            return;
        }
        hdr = t;
    }
    CURL *h = curl_easy_init();
    if (!h) {
        snprintf(out->error, sizeof(out->error), "cannot start an HTTP client");
        curl_slist_free_all(hdr);
        return;
    }
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)TIMEOUT_S);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)CONNECT_TIMEOUT_S);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "bureau/" BUREAU_VERSION);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)n);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, progress);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    CURLcode rc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
    int ok_status = out->status >= 200 && out->status < 300;
    if (rc == CURLE_ABORTED_BY_CALLBACK) {
        out->aborted = 1;
        snprintf(out->error, sizeof(out->error), "stopped by shutdown");
    } else if (rc == CURLE_WRITE_ERROR && ok_status) {
        /* a long answer to a delivery that was accepted: delivered */
    } else if (rc != CURLE_OK) {
        snprintf(out->error, sizeof(out->error), "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
    } else if (!ok_status) {
        snprintf(out->error, sizeof(out->error), "HTTP %ld%s", out->status,
                 out->status >= 300 && out->status < 400 ? " (redirects are not followed)" : "");
    }
    curl_easy_cleanup(h);
    curl_slist_free_all(hdr);
    sodium_memzero(sig, sizeof(sig));
}

/* ---- one pass over due deliveries ---- */

struct claimed {
    int64_t id, tenant;
    int attempts;
    char event[128];
    char url[2048];
    char secret[NOTIFY_SECRET_MAX * 4 + 1];
    struct buf body; /* heap */
};

/* 1 when this process won delivery id's lease until lease_until. */
static int claim(struct db_conn *c, int64_t id, int64_t now, int64_t lease_until, struct err *e)
{
    int64_t won = db_exec_ints(c,
                               "UPDATE webhook_deliveries SET lease_until = ? WHERE id = ? AND "
                               "status = 'pending' AND (lease_until IS NULL OR lease_until < ?)",
                               DB_INTS(lease_until, id, now), e);
    return won < 0 ? (int)won : won == 1;
}

static int load_claimed(struct db_conn *c, struct claimed *d, struct err *e)
{
    struct db_stmt *st;
    size_t n;
    const char *s;
    int rc =
        db_prepare_ints(c,
                        "SELECT d.tenant_id, d.event, d.payload, d.attempts, w.url, w.secret "
                        "FROM webhook_deliveries d JOIN webhooks w ON w.tenant_id = d.tenant_id "
                        "AND w.id = d.webhook_id WHERE d.id = ?",
                        DB_INTS(d->id), &st, e);
    if (rc)
        return rc;
    rc = db_step(st, e);
    if (rc == DB_ROW) {
        d->tenant = db_col_int(st, 0);
        s = db_col_text(st, 1, &n);
        snprintf(d->event, sizeof(d->event), "%.*s", (int)n, s);
        s = db_col_text(st, 2, &n);
        buf_append(&d->body, s, n);
        d->attempts = (int)db_col_int(st, 3);
        s = db_col_text(st, 4, &n);
        snprintf(d->url, sizeof(d->url), "%.*s", (int)n, s);
        s = db_col_text(st, 5, &n);
        snprintf(d->secret, sizeof(d->secret), "%.*s", (int)n, s);
    }
    db_reset(st);
    if (rc < 0)
        return rc;
    if (rc == DB_DONE)
        return err_set(e, ERR_NOT_FOUND, NULL, NULL, "delivery %lld is gone", (long long)d->id);
    return buf_ok(&d->body) ? 0 : err_set(e, ERR_INTERNAL, NULL, NULL, "payload too large");
}

/* Writes the attempt's outcome; returns 1 delivered, 0 not, <0 error. */
static int record(struct db_conn *c, const struct claimed *d, int64_t lease_until,
                  const struct attempt *a, int64_t *next_at, struct err *e)
{
    struct db_stmt *st;
    int64_t now = clock_now();
    int rc;
    if (a->aborted) { /* not an attempt: give the claim back */
        int64_t n = db_exec_ints(c,
                                 "UPDATE webhook_deliveries SET lease_until = NULL WHERE id = ? "
                                 "AND lease_until = ?",
                                 DB_INTS(d->id, lease_until), e);
        return n < 0 ? (int)n : 0;
    }
    int delivered = !a->error[0];
    int attempts = d->attempts + 1;
    const char *status = delivered                         ? "delivered"
                         : attempts >= NOTIFY_MAX_ATTEMPTS ? "failed"
                                                           : "pending";
    *next_at = delivered || attempts >= NOTIFY_MAX_ATTEMPTS
                   ? 0
                   : now + notify_backoff(backoff_base, attempts);
    rc = db_prepare(c,
                    "UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, "
                    "last_status = ?, last_error = ?, delivered_at = ?, lease_until = NULL, "
                    "version = version + 1, updated_at = ? WHERE id = ? AND lease_until = ?",
                    &st, e);
    if (rc)
        return rc;
    db_bind_text(st, 1, status, strlen(status));
    db_bind_int(st, 2, attempts);
    db_bind_int_or_null(st, 3, *next_at);
    db_bind_int_or_null(st, 4, a->status);
    if (delivered)
        db_bind_null(st, 5);
    else
        db_bind_text(st, 5, a->error, strlen(a->error));
    if (delivered)
        db_bind_int(st, 6, now);
    else
        db_bind_null(st, 6);
    db_bind_int(st, 7, now);
    db_bind_int(st, 8, d->id);
    db_bind_int(st, 9, lease_until);
    rc = db_step(st, e);
    db_reset(st);
    return rc < 0 ? rc : delivered;
}

/* Sends what is due; *sent and *failed count attempts. */
static int deliver_pass(struct db_conn *c, int *sent, int *failed, struct err *e)
{
    uint64_t t0 = clock_us();
    int total = 0;
    *sent = *failed = 0;
    while (!__atomic_load_n(&stopping, __ATOMIC_ACQUIRE) && total < PASS_MAX &&
           clock_us() - t0 < PASS_BUDGET_US) {
        int64_t ids[16], now = clock_now();
        int n = 0;
        struct db_stmt *st;
        int rc = db_prepare_ints(
            c,
            "SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.tenant_id = d.tenant_id "
            "AND w.id = d.webhook_id WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND "
            "(d.lease_until IS NULL OR d.lease_until < ?) AND w.active = 1 AND NOT EXISTS "
            "(SELECT 1 FROM webhook_deliveries p WHERE p.tenant_id = d.tenant_id AND "
            "p.webhook_id = d.webhook_id AND p.status = 'pending' AND p.id < d.id) "
            "ORDER BY d.id LIMIT 16",
            DB_INTS(now, now), &st, e);
        if (rc)
            return rc;
        while ((rc = db_step(st, e)) == DB_ROW && n < 16)
            ids[n++] = db_col_int(st, 0);
        db_reset(st);
        if (rc < 0)
            return rc;
        if (!n)
            break;
        int progressed = 0;
        for (int i = 0; i < n && !__atomic_load_n(&stopping, __ATOMIC_ACQUIRE); i++) {
            int64_t lease = clock_now() + LEASE_S, next_at = 0;
            if ((rc = claim(c, ids[i], clock_now(), lease, e)) < 0)
                return rc;
            if (!rc)
                continue; /* another process has it */
            static _Thread_local struct claimed d;
            memset(&d, 0, sizeof(d));
            d.id = ids[i];
            buf_init(&d.body, NULL);
            d.body.max = NOTIFY_PAYLOAD_MAX + 1024;
            rc = load_claimed(c, &d, e);
            if (rc) {
                buf_release(&d.body);
                return rc;
            }
            struct attempt a;
            send_one(d.url, d.secret, d.id, d.event, buf_cstr(&d.body), d.body.len, &a);
            rc = record(c, &d, lease, &a, &next_at, e);
            sodium_memzero(d.secret, sizeof(d.secret));
            buf_release(&d.body);
            if (rc < 0)
                return rc;
            if (a.aborted)
                break;
            total++;
            progressed++;
            if (rc == 1)
                (*sent)++;
            else {
                (*failed)++;
                log_warn("webhook delivery %lld (%s) attempt %d failed: %s", (long long)d.id,
                         d.event, d.attempts + 1, a.error);
            }
        }
        if (!progressed)
            break;
    }
    return 0;
}

/* ---- the jobs ---- */

int nt_job_deliver(struct job_ctx *j, struct err *e)
{
    int sent, failed;
    int rc = deliver_pass(j->c, &sent, &failed, e);
    snprintf(j->message, sizeof(j->message), "%d delivered, %d failed attempts", sent, failed);
    return rc;
}

int nt_job_prune(struct job_ctx *j, struct err *e)
{
    int64_t a = db_exec_ints(j->c,
                             "DELETE FROM webhook_deliveries WHERE status <> 'pending' AND "
                             "updated_at < ?",
                             DB_INTS(j->now - KEEP_DELIVERIES_S), e);
    if (a < 0)
        return (int)a;
    int64_t b =
        db_exec_ints(j->c, "DELETE FROM notifications WHERE read_at IS NOT NULL AND read_at < ?",
                     DB_INTS(j->now - KEEP_READ_NOTIFICATIONS_S), e);
    if (b < 0)
        return (int)b;
    snprintf(j->message, sizeof(j->message), "%lld deliveries, %lld read notifications removed",
             (long long)a, (long long)b);
    return 0;
}

/* ---- the dispatcher: prompt first attempts ---- */

static pthread_t thread;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int running, kicked;
static struct db *dispatch_db;

static int kick(struct db_conn *c, void *arg, struct err *e)
{
    (void)c;
    (void)arg;
    (void)e;
    pthread_mutex_lock(&mu);
    kicked = 1;
    pthread_cond_signal(&cv);
    pthread_mutex_unlock(&mu);
    return 0;
}

int nt_kick_at_commit(struct db_conn *c, struct err *e)
{
    static _Thread_local uint64_t registered;
    (void)e;
    if (!__atomic_load_n(&running, __ATOMIC_ACQUIRE) || !db_in_tx(c))
        return 0;
    uint64_t tx = db_tx_serial(c);
    if (registered == tx)
        return 0;
    struct err e2;
    err_clear(&e2);
    if (!db_before_commit(c, kick, NULL, &e2))
        registered = tx;
    return 0; /* without the wake-up the periodic job still sends it */
}

/* Waits up to ms (or until stopping); returns 1 when stopping. */
static int nap(unsigned ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    ts.tv_sec += ms / 1000 + ts.tv_nsec / 1000000000L;
    ts.tv_nsec %= 1000000000L;
    pthread_mutex_lock(&mu);
    while (!stopping && pthread_cond_timedwait(&cv, &mu, &ts) == 0 && !stopping)
        ;
    int s = stopping;
    pthread_mutex_unlock(&mu);
    return s;
}

static void *dispatcher(void *arg)
{
    (void)arg;
    /* the kick comes just before COMMIT: look shortly after, and again in
     * case that commit took longer */
    static const unsigned delays_ms[] = {30, 300};
    pthread_mutex_lock(&mu);
    while (!stopping) {
        while (!kicked && !stopping)
            pthread_cond_wait(&cv, &mu);
        kicked = 0;
        pthread_mutex_unlock(&mu);
        for (size_t i = 0; i < ARRAY_LEN(delays_ms); i++) {
            if (nap(delays_ms[i]))
                break;
            struct err e;
            int sent, failed;
            err_clear(&e);
            struct db_conn *c = db_conn(dispatch_db, &e);
            if (c && deliver_pass(c, &sent, &failed, &e) < 0)
                log_warn("webhook dispatcher: %s", e.detail);
        }
        pthread_mutex_lock(&mu);
    }
    pthread_mutex_unlock(&mu);
    db_conn_close_thread(dispatch_db);
    return NULL;
}

int notify_global_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

int notify_start(struct db *db, const struct config *cfg, struct err *e)
{
    if (cfg)
        backoff_base = cfg->webhook_backoff_s;
    dispatch_db = db;
    __atomic_store_n(&stopping, 0, __ATOMIC_RELEASE);
    if (pthread_create(&thread, NULL, dispatcher, NULL))
        return err_set(e, ERR_INTERNAL, NULL, NULL, "cannot start the webhook dispatcher");
    __atomic_store_n(&running, 1, __ATOMIC_RELEASE);
    return 0;
}

void notify_stop(void)
{
    pthread_mutex_lock(&mu);
    __atomic_store_n(&stopping, 1, __ATOMIC_RELEASE);
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    if (__atomic_exchange_n(&running, 0, __ATOMIC_ACQ_REL))
        pthread_join(thread, NULL);
}
