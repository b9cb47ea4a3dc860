/* SPDX-License-Identifier: MIT
 * collate.h - the order people read names in: Chinese by pinyin (zh_pinyin,
 * 阿 艾 安 李 王 张 赵) or by strokes (zh_stroke, 笔画), through ICU, under
 * the same names and with the same result on both databases. PostgreSQL has
 * them as ICU collations (CREATE COLLATION … provider = icu, locale
 * 'zh-u-co-pinyin' / 'zh-u-co-stroke', created by the schema); SQLite gets
 * them registered on every connection. Strings ICU finds equal are ordered
 * by their bytes, as PostgreSQL does for a deterministic collation, so the
 * two orders are total and the same, and keyset cursors hold.
 *
 * A SQLite index declared with one of them (ddl.c) can only be written by a
 * connection that has it: the sqlite3 shell gets it with
 * `.load build/bureau-collate` (the same file built as a loadable
 * extension: make builds it beside the binary).
 */
#ifndef BUREAU_COLLATE_H
#define BUREAU_COLLATE_H

#define COLLATE_PINYIN "zh_pinyin"
#define COLLATE_STROKE "zh_stroke"

struct sqlite3;
/* Registers both collations on h. 0, or -1 when ICU or SQLite refuses. */
int collate_register(struct sqlite3 *h);

#endif
