/* SPDX-License-Identifier: MIT
 * router.h - the route table: method + path pattern -> handler.
 *
 * Patterns are split on '/'; a segment "{name}" matches any one segment, a
 * trailing "{rest*}" matches the remainder. The first matching route wins.
 * The table is filled at start by whoever owns the routes (engine_init:
 * every module's, then the engine's generic ones).
 */
#ifndef BUREAU_ROUTER_H
#define BUREAU_ROUTER_H

#include "http.h"

typedef int (*route_fn)(struct req *r);

struct route {
    enum http_method method;
    const char *pattern; /* "/api/v1/{collection}/{id}" */
    route_fn fn;
    unsigned is_public : 1; /* answers without authentication */
    unsigned while_must_change : 1; /* allowed before a reset password is changed */
    unsigned anonymous : 1; /* the same answer for everyone: credentials are not read */
    unsigned throttled : 1; /* checks a password: failures count towards the sign-in
                               limits and it answers 429 over them (documented so) */
    unsigned hashes : 1;    /* makes a password hash (a registration): answered, like the
                               throttled routes, by the hashing threads off the workers */
};

/* Empties the table; router_add appends a table terminated by {0} (kept by
 * reference: static tables only). The first matching route wins. */
void router_reset(void);
void router_add(const struct route *routes);
/* Finds the handler for r (sets r->route); NULL when none. *method_ok is 0
 * when the path matched a pattern but not for this method (405). */
const struct route *router_match(struct req *r, int *path_matched);
/* "GET, HEAD, POST" for the path of r (arena memory), for 405's Allow. */
const char *router_allow(struct req *r);
/* The method of route i (for metrics). */
enum http_method router_method(int i);
/* Number of routes and the pattern of route i (for metrics). */
int router_count(void);
const char *router_pattern(int i);

#endif
