/* SPDX-License-Identifier: MIT
 * identity/roles.c - the built-in roles every tenant starts with, from the
 * users of shared/REQUIREMENTS.md. Permissions map a collection, a
 * "module:NAME" or "*" to verbs ("read", "create", "update", "delete",
 * "export", "import", an action name, or "*") and a scope ("own",
 * "department", "subtree", "tenant", or "none" to refuse). The most specific
 * key that names the verb (or "*") decides. Hidden fields map a collection
 * (or "*") to field names. Admins add custom roles with the same format.
 */
#include "identity.h"

#include <stddef.h>

/* staff file trip requests and follow their own */
#define TRIP_REQUESTER                                                                             \
    "\"trip_requests\": {\"read\": \"own\", \"create\": \"own\", \"update\": \"own\", "            \
    "\"cancel\": \"own\"}"

/* the service centre's rooms, courts and services: anyone on the staff books
 * them and sees, cancels and checks in to their own bookings, and subscribes
 * to them in a calendar (a feed of their own) */
#define BOOKER                                                                                     \
    "\"resources\": {\"read\": \"tenant\"}, \"bookings\": {\"read\": \"own\", "                    \
    "\"create\": \"own\", \"update\": \"own\", \"cancel\": \"own\", \"export\": \"own\"}, "        \
    "\"booking_series\": {\"read\": \"own\"}, "                                                    \
    "\"calendar_feeds\": {\"read\": \"own\", \"create\": \"own\", \"update\": \"own\", "           \
    "\"revoke\": \"own\"}"

/* a section manager runs a module and books like the rest of the staff */
#define MANAGER_BOOKER(mod)                                                                        \
    "{\"module:" mod "\": {\"*\": \"tenant\"}, \"module:org\": {\"read\": \"tenant\", "            \
    "\"export\": \"tenant\"}, " BOOKER "}"

/* everyone with a person sees the fixed assets in their own keeping (the
 * custodian: the "assigned" scope), their labels and "my assets" */
#define CUSTODIAN "\"assets\": {\"read\": \"assigned\"}"

/* everyone with a person holds a meal card: reads their own account and its
 * ledger ("assigned": their person_id), the canteens and their meal times,
 * the menus; freezes their own lost card and gets a new QR code for it;
 * books their own meals and rates the meals they ate */
#define DINER                                                                                      \
    "\"canteens\": {\"read\": \"tenant\"}, \"meal_periods\": {\"read\": \"tenant\"}, "             \
    "\"meal_accounts\": {\"read\": \"assigned\", \"freeze\": \"assigned\", \"new_qr\": "           \
    "\"assigned\"}, \"meal_transactions\": {\"read\": \"assigned\", \"export\": \"assigned\"}, "   \
    "\"menus\": {\"read\": \"tenant\"}, \"meal_bookings\": {\"read\": \"assigned\", \"create\": "  \
    "\"assigned\", \"update\": \"assigned\", \"cancel\": \"assigned\", \"rebook\": "               \
    "\"assigned\"}, \"meal_ratings\": {\"read\": \"assigned\", \"create\": \"assigned\", "         \
    "\"update\": \"assigned\"}"

/* a section manager of another module keeps assets like the rest of the staff */
#define MANAGER_CUSTODIAN(mod)                                                                     \
    "{\"module:" mod "\": {\"*\": \"tenant\"}, \"module:org\": {\"read\": \"tenant\", "            \
    "\"export\": \"tenant\"}, " BOOKER ", " CUSTODIAN ", " DINER "}"

/* the check-in code is the booker's: those who only read do not see it */
#define NO_CODES "{\"bookings\": [\"check_in_code\"]}"

/* everyone sees the buildings and floors (where to go) */
#define SPACE_PLACES "\"buildings\": {\"read\": \"tenant\"}, \"floors\": {\"read\": \"tenant\"}"

/* anyone on the staff files service requests and follows their own */
#define REQUESTER                                                                                  \
    "\"service_types\": {\"read\": \"tenant\"}, \"service_teams\": {\"read\": \"tenant\"}, "       \
    "\"service_requests\": {\"read\": \"own\", \"create\": \"own\", \"update\": \"own\", "         \
    "\"cancel\": \"own\", \"comment\": \"own\", \"confirm\": \"own\", \"reopen\": \"own\", "       \
    "\"rate\": \"own\"}"

/* a department's liaison looks after its fixed assets: reads its register
 * and its transfers, hands idle things in to the public property pool (公物仓),
 * browses the pool (its catalogue, pool_items, is what the pool route and the
 * photos check) and asks for items for the department, following its
 * department's requests; and asks for the disposal of its department's
 * worn-out things (a batch it files and submits, decided by the assets
 * manager or a leader) */
#define POOL_ASKER                                                                                 \
    "\"assets\": {\"read\": \"subtree\", \"hand_in\": \"subtree\"}, "                              \
    "\"asset_classes\": {\"read\": \"tenant\"}, \"asset_categories\": {\"read\": \"tenant\"}, "    \
    "\"asset_transfers\": {\"read\": \"subtree\"}, \"pool_items\": {\"read\": \"tenant\"}, "       \
    "\"pool_requests\": {\"read\": \"subtree\", \"create\": \"subtree\", \"update\": \"own\", "    \
    "\"cancel\": \"own\"}, \"asset_disposals\": {\"read\": \"subtree\", \"export\": \"subtree\", " \
    "\"create\": \"subtree\", \"update\": \"own\", \"submit\": \"own\", \"cancel\": \"own\"}, "    \
    "\"asset_disposal_items\": {\"read\": \"subtree\"}, \"asset_settings\": {\"read\": "           \
    "\"tenant\"}"

const struct builtin_role identity_builtin_roles[] = {
    {"admin", "系统管理员", "Administrator", "{\"*\": {\"*\": \"tenant\"}}", "{}"},
    {"leader", "局领导", "Bureau leadership",
     "{\"*\": {\"read\": \"tenant\", \"export\": \"tenant\", \"approve\": \"tenant\", "
     "\"reject\": \"tenant\"}, \"module:identity\": {\"*\": \"none\"}, "
     "\"module:notify\": {\"*\": \"none\"}, "
     "\"room_assignments\": {\"override\": \"tenant\"}}",
     NO_CODES},
    {"space_manager", "办公用房管理员", "Office space manager", MANAGER_CUSTODIAN("space"), "{}"},
    {"fleet_manager", "公务用车管理员", "Fleet manager", MANAGER_CUSTODIAN("fleet"), "{}"},
    {"procurement_manager", "采购管理员", "Procurement manager", MANAGER_CUSTODIAN("procure"),
     "{}"},
    /* every meal card of the unit, not DINER's own card only (its collections'
     * own keys would narrow the module's): top-ups, refunds, adjustments,
     * reversals, freezing and closing; meals booked for anyone */
    {"canteen_manager", "食堂管理员", "Canteen manager",
     "{\"module:canteen\": {\"*\": \"tenant\"}, \"module:org\": {\"read\": \"tenant\", "
     "\"export\": \"tenant\"}, " BOOKER ", " CUSTODIAN "}",
     "{}"},
    {"energy_manager", "节能管理员", "Energy manager", MANAGER_CUSTODIAN("energy"), "{}"},
    /* the assets manager puts things in rooms and counts them there: every place */
    {"assets_manager", "资产管理员", "Assets manager",
     "{\"module:assets\": {\"*\": \"tenant\"}, \"module:org\": {\"read\": \"tenant\", "
     "\"export\": \"tenant\"}, " SPACE_PLACES ", \"rooms\": {\"read\": \"tenant\"}, " BOOKER
     ", " DINER "}",
     "{}"},
    {"security_manager", "安全保卫管理员", "Security manager", MANAGER_CUSTODIAN("access"), "{}"},
    /* the property and services section runs the staff service centre
     * (党群服务中心): its rooms, courts, barber and car wash are bookings */
    {"property_manager", "物业服务管理员", "Property and services manager",
     "{\"module:servicedesk\": {\"*\": \"tenant\"}, \"module:booking\": {\"*\": \"tenant\"}, "
     "\"module:org\": {\"read\": \"tenant\", \"export\": \"tenant\"}, " CUSTODIAN ", " DINER "}",
     "{}"},
    {"liaison", "单位联络员", "Department liaison",
     "{\"departments\": {\"read\": \"tenant\"}, \"ranks\": {\"read\": \"tenant\"}, "
     "\"people\": {\"read\": \"subtree\", \"update\": \"subtree\", \"export\": \"subtree\"}, "
     "\"service_types\": {\"read\": \"tenant\"}, \"service_teams\": {\"read\": \"tenant\"}, "
     "\"service_requests\": {\"read\": \"subtree\", \"export\": \"subtree\", "
     "\"create\": \"own\", \"update\": \"own\", \"cancel\": \"own\", \"comment\": \"subtree\", "
     "\"confirm\": \"own\", \"reopen\": \"own\", \"rate\": \"own\"}, "
     "\"trip_requests\": {\"read\": \"subtree\", \"export\": \"subtree\", \"create\": \"own\", "
     "\"update\": \"own\", \"cancel\": \"own\"}, " SPACE_PLACES ", "
     "\"rooms\": {\"read\": \"subtree\", \"export\": \"subtree\"}, "
     "\"room_assignments\": {\"read\": \"subtree\", \"export\": \"subtree\"}, "
     "\"space_requests\": {\"read\": \"subtree\", \"export\": \"subtree\", "
     "\"create\": \"subtree\", \"update\": \"own\", \"cancel\": \"own\"}, "
     "\"space_request_changes\": {\"read\": \"subtree\"}, "
     "\"space_request_events\": {\"read\": \"subtree\"}, "
     "\"stocktakes\": {\"read\": \"subtree\", \"export\": \"subtree\", \"scan\": \"subtree\"}, "
     "\"stocktake_lines\": {\"read\": \"subtree\", \"export\": \"subtree\"}, " POOL_ASKER
     ", " BOOKER ", " DINER "}",
     "{}"},
    {"staff", "干部职工", "Staff",
     "{\"departments\": {\"read\": \"tenant\"}, \"ranks\": {\"read\": \"tenant\"}, "
     "\"people\": {\"read\": \"department\"}, " REQUESTER ", " TRIP_REQUESTER ", " SPACE_PLACES
     ", \"rooms\": {\"read\": \"department\"}, " BOOKER ", " CUSTODIAN ", " DINER "}",
     "{\"people\": [\"phone\"]}"},
    /* a driver sees the trips and requests they are dispatched to ("assigned":
     * the trip's driver_user_id) and records them */
    {"driver", "驾驶员", "Driver",
     "{\"departments\": {\"read\": \"tenant\"}, " REQUESTER ", "
     "\"vehicles\": {\"read\": \"tenant\"}, \"trip_requests\": {\"read\": \"assigned\"}, "
     "\"trips\": {\"read\": \"assigned\", \"start\": \"assigned\", \"close\": "
     "\"assigned\"}, " CUSTODIAN ", " DINER "}",
     "{\"people\": [\"phone\"]}"},
    /* a supplier's portal login: its own supplier record and its own bids
     * ("assigned": the supplier whose user_id it is); the projects taking
     * bids come from /api/v1/procure/open_projects (their public fields) */
    {"supplier", "供应商", "Supplier",
     "{\"suppliers\": {\"read\": \"assigned\"}, \"bids\": {\"read\": \"assigned\", "
     "\"create\": \"assigned\", \"withdraw\": \"assigned\", \"replace\": \"assigned\"}}",
     "{}"},
    /* an expert: their own record, their own invitations (confirm, decline,
     * sign the report), the rubric and the report of the projects whose
     * committee they sit on, their own scores (POST /api/v1/procure/scores
     * checks the seat) */
    {"expert", "评审专家", "Review expert",
     "{\"experts\": {\"read\": \"assigned\"}, \"expert_draw_members\": {\"read\": "
     "\"assigned\", \"confirm\": \"assigned\", \"decline\": \"assigned\", \"sign\": "
     "\"assigned\"}, \"evaluation_items\": {\"read\": \"assigned\"}, "
     "\"evaluation_scores\": {\"read\": \"assigned\", \"create\": \"tenant\"}, "
     "\"evaluation_reports\": {\"read\": \"assigned\"}}",
     "{}"},
    {"contractor", "服务外包单位", "Contractor",
     "{\"service_types\": {\"read\": \"tenant\"}, \"service_teams\": {\"read\": \"tenant\"}, "
     "\"service_requests\": {\"read\": \"assigned\", \"comment\": \"assigned\"}, "
     "\"work_orders\": {\"read\": \"assigned\", \"accept\": \"assigned\", "
     "\"hold\": \"assigned\", \"resume\": \"assigned\", \"complete\": \"assigned\"}}",
     "{\"service_requests\": [\"contact_phone\"]}"},
    {"auditor", "纪检审计", "Discipline inspection and audit",
     "{\"*\": {\"read\": \"tenant\", \"export\": \"tenant\"}}", NO_CODES},
    /* a door reader checks in a booking with the code the booker shows; a
     * service point's scanner redeems the union's vouchers; a canteen's card
     * reader posts spends (online and its offline batches) and finds cards */
    {"device", "设备", "Device",
     "{\"bookings\": {\"check_in\": \"tenant\"}, \"vouchers\": {\"redeem\": \"tenant\"}, "
     "\"meal_transactions\": {\"spend\": \"tenant\", \"batch\": \"tenant\"}, "
     "\"meal_accounts\": {\"lookup\": \"tenant\"}}",
     "{}"},
    {NULL, NULL, NULL, NULL, NULL},
};
