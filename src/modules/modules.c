/* SPDX-License-Identifier: MIT
 * modules.c - the one static list of modules (like git's commands[]).
 * A new module adds its folder and one line here.
 */
#include "modules.h"

#include <stddef.h>

extern const struct module org_module;
extern const struct module identity_module;
extern const struct module notify_module;
extern const struct module files_module;
extern const struct module servicedesk_module;
extern const struct module fleet_module;
extern const struct module space_module;
extern const struct module booking_module;
extern const struct module assets_module;
extern const struct module canteen_module;
extern const struct module procure_module;

static const struct module *const all[] = {
    &org_module,      /* organisation: tenants, departments, ranks, people */
    &identity_module, /* users, roles, API tokens, audit entries */
    &notify_module,   /* in-app notifications, outgoing webhooks */
    &files_module,    /* uploaded files (photos), kept outside the database */
    &servicedesk_module, /* service requests, work orders, SLAs, satisfaction */
    &fleet_module,       /* official vehicles: requests, dispatch, trips, costs, renewal */
    &space_module,       /* office space: rooms, assignments against the area standard */
    &booking_module,     /* service centre bookings: rooms, courts, services without double booking */
    &assets_module,      /* fixed assets: register, depreciation, stocktakes, disposals, the pool */
    &canteen_module,     /* canteens: meal cards on a ledger, readers, subsidies, menus, food safety */
    &procure_module,     /* sunshine procurement: sealed bids, expert draws, evaluation, OCDS */
    NULL,
};

const struct module *const *modules_list(void)
{
    return all;
}
