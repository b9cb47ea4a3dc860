/* SPDX-License-Identifier: MIT
 * qr.h - QR codes as SVG (libqrencode): a voucher's signed code, a
 * booking's check-in code, an asset's label.
 */
#ifndef BUREAU_QR_H
#define BUREAU_QR_H

struct buf;

/* The QR code of text (error correction level M, a quiet zone of four
 * modules) as an SVG document appended to out: 0, or -1. */
int qr_svg(const char *text, struct buf *out);

#endif
