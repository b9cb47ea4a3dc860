/* SPDX-License-Identifier: MIT
 * qr.c - QR codes as SVG: one path of horizontal runs of dark modules, so a
 * label sheet of many codes stays small.
 */
#include "qr.h"
#include "../base/buf.h"

#include <qrencode.h>

int qr_svg(const char *text, struct buf *out)
{
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q)
        return -1;
    int w = q->width, quiet = 4, size = w + 2 * quiet;
    buf_printf(out,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
               "shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
               "<path fill=\"#000\" d=\"",
               size, size, size, size);
    for (int y = 0; y < w; y++)
        for (int x = 0; x < w;) {
            if (!(q->data[y * w + x] & 1)) {
                x++;
                continue;
            }
            int run = 1;
            while (x + run < w && (q->data[y * w + x + run] & 1))
                run++;
            buf_printf(out, "M%d %dh%dv1h-%dz", x + quiet, y + quiet, run, run);
            x += run;
        }
    buf_puts(out, "\"/></svg>");
    QRcode_free(q);
    return buf_ok(out) ? 0 : -1;
}
