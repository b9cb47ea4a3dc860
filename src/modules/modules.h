/* SPDX-License-Identifier: MIT
 * modules.h - the one static list of modules (modules.c), which main gives
 * to the engine (engine_init). What a module declares: engine/module.h.
 */
#ifndef BUREAU_MODULES_H
#define BUREAU_MODULES_H

#include "../engine/module.h"

/* NULL-terminated list of all modules, org first. */
const struct module *const *modules_list(void);

#endif
