/* SPDX-License-Identifier: MIT
 * value.h - one field's value between JSON, CSV text, SQL and output.
 *
 * A struct res_val is what gets bound to a statement: integers for int,
 * money, decimal (scaled), bool, datetime (UTC seconds) and references; text
 * (arena memory) for text, enum, date and JSON.
 */
#ifndef BUREAU_VALUE_H
#define BUREAU_VALUE_H

#include "res.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct buf;
struct db_stmt;

struct err_item;

struct res_val {
    unsigned set : 1;  /* present in the input */
    unsigned null : 1; /* SQL NULL */
    int64_t i;
    const char *s; /* arena memory */
    size_t n;
};

/* 1 when f's value is stored as an integer. */
int res_is_int(const struct res_field *f);
/* Converts JSON j to v. On failure describes why in *why (a key, a message in
 * lower case without a full stop, the figures) and returns -1. */
int res_val_from_json(struct arena *a, const struct res_field *f, json_t *j, struct res_val *v,
                      struct err_item *why);
/* Converts text (CSV cell, query parameter) to v; empty text is NULL. */
int res_val_from_text(struct arena *a, const struct res_field *f, const char *s, size_t n,
                      struct res_val *v, struct err_item *why);
/* Binds v at idx. */
void res_val_bind(struct db_stmt *st, int idx, const struct res_field *f, const struct res_val *v);
/* Appends column i of st as JSON. */
void res_col_json(struct buf *b, const struct res_field *f, struct db_stmt *st, int i, int utc_off);
/* Appends column i of st as plain text (CSV); NULL appends nothing. */
void res_col_text(struct buf *b, const struct res_field *f, struct db_stmt *st, int i, int utc_off);
/* Appends text column i of st masked (res_field.mask, idf_mask) as JSON (json)
 * or as plain text; NULL appends null or nothing. */
void res_col_masked(struct buf *b, const struct res_field *f, struct db_stmt *st, int i, int json);
/* Returns column i of st as a new jansson value (hooks, audit). */
json_t *res_col_to_json(const struct res_field *f, struct db_stmt *st, int i, int utc_off);
/* Returns the default of f as a new jansson value, or NULL when none. */
json_t *res_default_json(const struct res_field *f);
/* Length of s in Unicode characters (invalid bytes count as one each). */
size_t utf8_count(const char *s, size_t n);

#endif
