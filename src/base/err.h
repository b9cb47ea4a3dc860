/* SPDX-License-Identifier: MIT
 * err.h - stable error codes and the error context every fallible call fills.
 *
 * Functions return 0 or a negative ERR_* code; the details (message, field
 * errors) go into a struct err owned by the caller. Codes map to stable
 * public identifiers (BUR-nnn), grouped: 1xx request, 2xx validation,
 * 3xx authentication, 4xx database and conflicts, 5xx module rules,
 * 9xx internal. Numbers are never reused; retired ones stay listed.
 *
 * Every error and every field error also carries a stable key (what went
 * wrong, for a program: "fleet.dispatch.vehicle_busy", "field.too_long")
 * and its parameters (the figures and names), so that a user interface
 * says it in the user's language without reading the English detail. The
 * parameters are named in the format itself: "{name}" right before a
 * conversion names its value, and is not printed:
 *
 *   err_set(e, ERR_CONFLICT, NULL, "fleet.dispatch.vehicle_busy",
 *           "vehicle {plate}%s is dispatched to request {request}%lld", plate, id);
 *
 * gives the detail "vehicle 粤B·12345 is dispatched to request 7", the key and
 * the parameters {"plate":"粤B·12345","request":7}. A NULL key means the
 * code's own (err_info()->key). Keys are listed in docs/ERRORS.md and
 * translated in web/i18n/{zh-CN,en}.json as "err.<key>"; a test fails when a
 * key the code can send has no translation.
 */
#ifndef BUREAU_ERR_H
#define BUREAU_ERR_H

#include <stdarg.h>
#include <stddef.h>

enum err_code {
    ERR_OK = 0,
    /* 1xx request */
    ERR_BAD_JSON = 101,          /* 400 malformed JSON body */
    ERR_BAD_QUERY = 102,         /* 400 unknown filter field, operator, bad limit */
    ERR_TOO_LARGE = 103,         /* 413 body over the limit */
    ERR_MEDIA_TYPE = 104,        /* 415 unsupported content type */
    ERR_METHOD = 105,            /* 405 method not allowed */
    ERR_NO_ROUTE = 106,          /* 404 unknown path or collection */
    ERR_NOT_FOUND = 107,         /* 404 no record with that id */
    ERR_BAD_CURSOR = 108,        /* 400 cursor not issued by this server */
    ERR_BAD_CSV = 109,           /* 400 CSV that cannot be parsed */
    ERR_BAD_REQUEST = 110,       /* 400 other malformed request */
    ERR_PRECONDITION = 111,      /* 428 If-Match required */
    ERR_HEADERS_TOO_LARGE = 112, /* 431 request line and headers over the limit */
    /* 2xx validation */
    ERR_INVALID = 201,         /* 422 one or more fields invalid */
    ERR_IMPORT_REJECTED = 202, /* 422 import rejected rows, nothing inserted */
    /* 3xx authentication and permissions */
    ERR_UNAUTHENTICATED = 301, /* 401 */
    ERR_FORBIDDEN = 302,       /* 403 */
    ERR_TOO_MANY = 303,        /* 429 */
    /* 4xx database and conflicts */
    ERR_CONFLICT_VERSION = 401, /* 409 stale version */
    ERR_REFERENCED = 402,       /* 409 other records reference this one */
    ERR_UNIQUE = 403,           /* 409 value already used */
    ERR_DB_UNAVAILABLE = 404,   /* 503 database not reachable */
    ERR_DB = 405,               /* 500 database error */
    ERR_DB_BUSY = 406,          /* 503 database busy or statement timed out */
    ERR_DB_SCHEMA = 407,        /* database schema newer than this binary / not a database */
    ERR_CONFLICT = 408,         /* 409 state conflict (overlap, out-of-order action) */
    /* 5xx module rules */
    ERR_RULE = 501, /* 422 a domain rule refused the change */
    /* 9xx internal */
    ERR_INTERNAL = 901, /* 500 */
    ERR_BUDGET = 902,   /* 503 request memory budget exceeded */
    ERR_TIMEOUT = 903,  /* 503 request took too long */
    ERR_SHUTDOWN = 904, /* 503 server shutting down */
};

#define ERR_MAX_ITEMS 48
#define ERR_KEY_LEN 48
#define ERR_PARAMS_LEN 256

struct err_item {
    char field[64];
    char key[ERR_KEY_LEN];
    char msg[160];
    char params[ERR_PARAMS_LEN]; /* a JSON object's text; "" when none */
};

struct err {
    int code;              /* enum err_code, 0 when none */
    char key[ERR_KEY_LEN]; /* "" until set */
    char detail[256];
    char params[ERR_PARAMS_LEN]; /* a JSON object's text; "" when none */
    int nitems;
    struct err_item items[ERR_MAX_ITEMS];
};

struct err_info {
    int code;
    const char *id; /* "BUR-201" */
    int status;     /* HTTP status */
    const char *title;
    const char *key; /* the key of an error that names none of its own */
};

/* Sets code, key (NULL: the code's), detail and parameters (the format, see
 * above; fmt may be NULL); returns -code. When field is not NULL the message
 * is also added as a field item with the same key and parameters. */
int err_set(struct err *e, int code, const char *field, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Adds a field error without setting the code (validation collects all). */
void err_field(struct err *e, const char *field, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* -ERR_INVALID with the detail "N fields are invalid" (key "invalid",
 * parameter n), after field errors were collected with err_field. */
int err_invalid(struct err *e);
/* A problem described apart from any struct err (a parser's answer): key,
 * message and parameters as err_field would make them; field left empty.
 * Returns -1. err_add puts it into e under field (NULL: its own). */
int err_item_set(struct err_item *it, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void err_add(struct err *e, const char *field, const struct err_item *it);
/* err_set with it's key, message and parameters, added under field too
 * (when not NULL); returns -code. */
int err_set_item(struct err *e, int code, const char *field, const struct err_item *it);
void err_clear(struct err *e);
/* The registry entry for code (ERR_INTERNAL's when unknown). */
const struct err_info *err_info(int code);
/* The whole registry, terminated by a zero entry (for docs/ERRORS.md). */
const struct err_info *err_table(void);
/* The key an answer carries: e's own, else its code's. */
const char *err_key(const struct err *e);
/* Formats fmt (with "{name}" parameter names, see above) into out and the
 * named values as a JSON object's text into params ("" when none); either
 * may be NULL. Values that do not fit are cut (out) or left out (params). */
void err_vformat(char *out, size_t outn, char *params, size_t paramsn, const char *fmt, va_list ap);
/* Copies s into out (n bytes) truncated at 128 bytes, CR/LF/controls replaced. */
void err_quote(char *out, size_t n, const char *s, size_t len);

#endif
