/* SPDX-License-Identifier: MIT */
/* output: the file a map is drawn into. PNG, SVG and PDF surfaces with user units in points,
 * raster resolution from the dpi (and written into the PNG as pHYs), and an atomic write: the
 * file appears under its name only when complete. No map logic. */
#ifndef COR_OUTPUT_H
#define COR_OUTPUT_H

#include <cairo.h>

#include "corridor.h"

typedef struct cor__output cor__output_t;

/* The largest raster an output can make, per side (cairo's image surfaces) and in total (4 GB
 * of pixels); a map's own limits (map_limits.h: raster-side, raster-pixels) are lower by default.
 */
#define COR__MAX_SIDE_PX   32767
#define COR__MAX_PIXELS_PX (1000.0 * 1000 * 1000)

/* The page accepted, per side (14400 pt = 200 in, PDF's limit), and the raster resolution. */
#define COR__MIN_PAGE_PT 1.0
#define COR__MAX_PAGE_PT 14400.0
#define COR__MIN_DPI     10.0
#define COR__MAX_DPI     2400.0

/* Checks a page of width_pt x height_pt at dpi against the limits above and, for
 * COR_FORMAT_PNG, its raster of round(pt * dpi / 72) pixels per side; cor__output_open() applies
 * the same checks. Returns: COR_OK; COR_ERR_LIMIT with a message giving the numbers. */
cor_status_t cor__output_check_page(cor_format_t fmt, double width_pt, double height_pt, double dpi,
                                    cor_error_t *err);

/* Prepares output to `path` for a page of width_pt x height_pt points. PNG pages are rasterised
 * at `dpi`. fmt must not be COR_FORMAT_AUTO. Nothing is written under `path` yet.
 * Returns: COR_OK and an output to finish with cor__output_commit() or cor__output_abort();
 * COR_ERR_LIMIT for absurd sizes; COR_ERR_IO when the directory is not writable. */
cor_status_t cor__output_open(const char *path, cor_format_t fmt, double width_pt, double height_pt,
                              double dpi, cor__output_t **out, cor_error_t *err);

/* Prepares output into memory, as cor__output_open() does for a file; finish it with
 * cor__output_take() or cor__output_abort(). Messages name it "memory".
 * Returns: COR_OK and an output; COR_ERR_USAGE without a format; COR_ERR_LIMIT. */
cor_status_t cor__output_open_memory(cor_format_t fmt, double width_pt, double height_pt,
                                     double dpi, cor__output_t **out, cor_error_t *err);

/* Sets how many threads may encode a PNG output (1, the default: this one only); the bytes are
 * the same whatever the number. Ignored by SVG and PDF. */
void cor__output_set_threads(cor__output_t *o, int threads);

/* The drawing context: user units are points, origin top-left. Borrowed. */
cairo_t *cor__output_cairo(cor__output_t *o);

/* Sets the PDF document's title and creator (ignored by other formats). Strings are copied. */
void cor__output_set_metadata(cor__output_t *o, const char *title, const char *creator);

/* Stores an XML fragment to insert just before the final </svg> on commit (a no-op for PNG and
 * PDF); fragments keep their order and are copied.
 * Returns: COR_OK; COR_ERR_NOMEM; COR_ERR_INTERNAL for a NULL or non-UTF-8 fragment. */
cor_status_t cor__output_svg_append(cor__output_t *o, const char *fragment, cor_error_t *err);

/* Marks, in an SVG output's drawing on `cr`, where the layer `name` starts: the SVG gets a
 * named <g> per layer (Inkscape and Illustrator list them) from each mark to the next. A no-op
 * on anything but an SVG output's context (a PNG, a PDF, a caller's own cairo context).
 * Returns: false when out of memory (the SVG is then left in one piece). */
bool cor__output_svg_group(cairo_t *cr, const char *name);

/* Finishes the drawing, writes it to a temporary file beside `path`, and renames it into place.
 * Always releases `o`; on failure nothing is left at `path` or beside it. A memory output fails
 * with COR_ERR_INTERNAL (and is released).
 * Returns: COR_OK; COR_ERR_RENDER when cairo failed; COR_ERR_IO when writing failed. */
cor_status_t cor__output_commit(cor__output_t *o, cor_error_t *err);

/* Finishes the drawing and hands over the encoded file's bytes, as cor__output_commit() would
 * write them (a file output's path is left untouched). Always releases `o`.
 * Returns: COR_OK and *data (malloc'd, the caller frees it) of *len bytes; COR_ERR_RENDER;
 * COR_ERR_NOMEM. */
cor_status_t cor__output_take(cor__output_t *o, void **data, size_t *len, cor_error_t *err);

/* Releases `o` without writing anything. Accepts NULL. */
void cor__output_abort(cor__output_t *o);

#endif
