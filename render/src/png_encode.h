/* SPDX-License-Identifier: MIT */
/* png_encode: a cairo image surface as PNG bytes, deflated on several threads. The image is cut
 * into strips of rows of a fixed size; each strip is deflated on its own with the 32 KiB before
 * it as its dictionary and the pieces joined into one zlib stream, so the bytes are the same
 * whatever the thread count. Knows nothing of maps or files. */
#ifndef COR_PNG_ENCODE_H
#define COR_PNG_ENCODE_H

#include <cairo.h>
#include <stdbool.h>

#include "util.h"

/* Raw bytes (filter byte and pixels) per strip deflated on its own, at least one row. */
#define COR__PNG_STRIP_BYTES (256 * 1024)
/* The most threads one encoding uses. */
#define COR__PNG_MAX_THREADS 64

/* Appends the PNG of the ARGB32 image surface `s` (flushed) to `out`: 8-bit RGB when every pixel
 * is opaque, else straight RGBA; pHYs from `dpi`; zlib level 1 without row filters; up to
 * `threads` threads (1: this one only; more than COR__PNG_MAX_THREADS counts as that many).
 * Returns: true; false on exhaustion (out may then hold part of the file). */
bool cor__png_encode(cairo_surface_t *s, double dpi, int threads, cor__buf_t *out);

#endif
