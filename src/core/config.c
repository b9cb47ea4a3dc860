/* SPDX-License-Identifier: MIT
 * config.c - the running server's settings, for code that runs outside a
 * request (jobs) and so has no r->cfg.
 */
#include "config.h"

static const struct config *current;

void config_note(const struct config *cfg)
{
    __atomic_store_n(&current, cfg, __ATOMIC_RELEASE);
}

const struct config *config_current(void)
{
    return __atomic_load_n(&current, __ATOMIC_ACQUIRE);
}
