/* SPDX-License-Identifier: MIT
 * password.c - password hashing (argon2id through libsodium's
 * crypto_pwhash_str) and the password rules. The limits are OWASP's
 * (Password Storage Cheat Sheet): m = 12 MiB, t = 3, p = 1, one of its
 * equivalent minimum settings, chosen over 19 MiB × 2 so that the threads
 * hashing at once (http.c runs sign-ins on a pool of their own, 1 to 4
 * threads) stay within a few dozen MiB however many sign in together.
 * Hashes made with other limits still verify, and are made again at the
 * next sign-in. Sign-in itself lives in session.c.
 */
#include "auth.h"
#include "../base/err.h"
#include "../base/log.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static sem_t hash_slots;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

#define PW_OPSLIMIT 3u
#define PW_MEMLIMIT (12u << 20)

/* The argon2id hash (today's limits) of a random password nobody kept:
 * unknown users are verified against it so they cost as much as known ones.
 * Fixed at build time so the first sign-in does not pay for making it. */
static const char dummy_hash[crypto_pwhash_STRBYTES] =
    "$argon2id$v=19$m=12288,t=3,p=1$AgUIVTuBRoNHIweeivGBGw$"
    "KU40TrBXXm+A3HpNhAhiOyLwVHg2KmzC4md/Y3xPEcE";

static void slot_take(void)
{
    while (sem_wait(&hash_slots) && errno == EINTR)
        ;
}

static void slot_give(void)
{
    sem_post(&hash_slots);
}

/* One hash at a time per core but one, wherever it runs (the sign-in pool,
 * an administrator setting a password, the demo's users): at least one core
 * stays free for everyone else's requests. */
static void init(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN) - 1;
    if (n < 1)
        n = 1;
    if (n > 64)
        n = 64;
    sem_init(&hash_slots, 0, (unsigned)n);
}

int auth_hash_password(const char *password, char *out, struct err *e)
{
    size_t n = strnlen(password, AUTH_MAX_PASSWORD + 1);
    if (n > AUTH_MAX_PASSWORD)
        return err_set(e, ERR_INVALID, "password", "field.too_long_bytes",
                       "must be at most {max}%d bytes", AUTH_MAX_PASSWORD);
    pthread_once(&init_once, init);
    slot_take();
    int rc = crypto_pwhash_str(out, password, n, PW_OPSLIMIT, PW_MEMLIMIT);
    slot_give();
    if (rc)
        return err_set(e, ERR_INTERNAL, NULL, NULL, "not enough memory to hash a password");
    return 0;
}

int auth_verify_password(const char *hash, const char *password)
{
    size_t n = strnlen(password, AUTH_MAX_PASSWORD + 1);
    int real = hash && *hash && strnlen(hash, crypto_pwhash_STRBYTES) < crypto_pwhash_STRBYTES;
    pthread_once(&init_once, init);
    if (n > AUTH_MAX_PASSWORD)
        n = AUTH_MAX_PASSWORD; /* callers refuse these; still spend the time */
    slot_take();
    int rc = crypto_pwhash_str_verify(real ? hash : dummy_hash, password, n);
    slot_give();
    return real && rc == 0 ? 0 : -ERR_UNAUTHENTICATED;
}

/* 1 when hash was made with other limits than today's (rehash at sign-in). */
int auth_password_needs_rehash(const char *hash)
{
    return crypto_pwhash_str_needs_rehash(hash, PW_OPSLIMIT, PW_MEMLIMIT) != 0;
}

/* Unicode characters in s[0..n) (continuation bytes are not counted). */
static size_t chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xc0) != 0x80)
            c++;
    return c;
}

static int contains_icase(const char *hay, size_t hn, const char *needle, size_t nn)
{
    for (size_t i = 0; nn && i + nn <= hn; i++)
        if (!strncasecmp(hay + i, needle, nn))
            return 1;
    return 0;
}

int auth_password_ok(const char *username, const char *password, const char *field, struct err *e)
{
    const char *f = field ? field : "password";
    size_t n = strnlen(password, AUTH_MAX_PASSWORD + 1);
    size_t un = username ? strnlen(username, AUTH_MAX_USERNAME + 1) : 0;
    if (n > AUTH_MAX_PASSWORD)
        return err_set(e, ERR_INVALID, f, "field.too_long_bytes", "must be at most {max}%d bytes",
                       AUTH_MAX_PASSWORD);
    if (chars(password, n) < 10)
        return err_set(e, ERR_INVALID, f, "password.too_short",
                       "must be at least {min}%d characters", 10);
    if (un && un == n && !strncasecmp(password, username, n))
        return err_set(e, ERR_INVALID, f, "password.is_username", "must not be the username");
    if (un >= 4 && chars(username, un) >= 4 && contains_icase(password, n, username, un))
        return err_set(e, ERR_INVALID, f, "password.contains_username",
                       "must not contain the username");
    size_t i = 1;
    while (i < n && password[i] == password[0])
        i++;
    if (i == n || auth_password_is_common(password))
        return err_set(e, ERR_INVALID, f, "password.common",
                       "is too common or too easy to guess: choose another password");
    return 0;
}
