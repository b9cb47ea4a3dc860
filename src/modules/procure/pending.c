/* SPDX-License-Identifier: MIT
 * procure/pending.c - shares dealt at sealing and not yet taken by their
 * officials: in this process's memory only (sodium_malloc: guarded pages,
 * locked out of swap where the system allows, zeroed when freed), each
 * wiped as its official takes it or when it expires. Never in the database:
 * a restart loses them, and the seal is made again (bids.c).
 */
#include "bids.h"
#include "../../base/base.h"

#include <pthread.h>
#include <string.h>

#define SLOTS 512

struct slot {
    int64_t tenant, seal, user, expires;
    struct pc_share share;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct slot *slots; /* SLOTS of them, sodium_malloc'ed on first use */

static void expire_locked(int64_t now)
{
    for (int i = 0; i < SLOTS; i++)
        if (slots[i].seal && slots[i].expires <= now)
            sodium_memzero(&slots[i], sizeof(slots[i]));
}

int pc_pending_put(int64_t tenant, int64_t seal, int64_t user, const struct pc_share *s,
                   int64_t expires)
{
    int rc = -1;
    pthread_mutex_lock(&mu);
    if (!slots && (slots = sodium_malloc(SLOTS * sizeof(*slots))))
        memset(slots, 0, SLOTS * sizeof(*slots));
    if (slots) {
        expire_locked(clock_now());
        for (int i = 0; i < SLOTS && rc; i++)
            if (!slots[i].seal) {
                slots[i] = (struct slot){tenant, seal, user, expires, *s};
                rc = 0;
            }
    }
    pthread_mutex_unlock(&mu);
    return rc;
}

int pc_pending_get(int64_t tenant, int64_t seal, int64_t user, struct pc_share *out)
{
    int rc = -1;
    pthread_mutex_lock(&mu);
    if (slots) {
        expire_locked(clock_now());
        for (int i = 0; i < SLOTS && rc; i++)
            if (slots[i].seal == seal && slots[i].tenant == tenant && slots[i].user == user) {
                *out = slots[i].share;
                rc = 0;
            }
    }
    pthread_mutex_unlock(&mu);
    return rc;
}

void pc_pending_drop(int64_t tenant, int64_t seal, int64_t user)
{
    pthread_mutex_lock(&mu);
    for (int i = 0; slots && i < SLOTS; i++)
        if (slots[i].seal == seal && slots[i].tenant == tenant && (!user || slots[i].user == user))
            sodium_memzero(&slots[i], sizeof(slots[i]));
    pthread_mutex_unlock(&mu);
}
