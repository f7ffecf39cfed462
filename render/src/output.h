/* output: the file a map is drawn into. PNG, SVG and PDF surfaces with user units in points,
 * raster resolution from the dpi (and written into the PNG as pHYs), and an atomic write: the
 * file appears under its name only when complete. No map logic. */
#ifndef COR_OUTPUT_H
#define COR_OUTPUT_H

#include <cairo.h>

#include "corridor.h"

typedef struct cor__output cor__output_t;

/* The largest raster accepted, per side and in total. */
#define COR__MAX_SIDE_PX   20000
#define COR__MAX_PIXELS_PX (200.0 * 1000 * 1000)

/* Prepares output to `path` for a page of width_pt x height_pt points. PNG pages are rasterised
 * at `dpi`. fmt must not be COR_FORMAT_AUTO. Nothing is written under `path` yet.
 * Returns: COR_OK and an output to finish with cor__output_commit() or cor__output_abort();
 * COR_ERR_LIMIT for absurd sizes; COR_ERR_IO when the directory is not writable. */
cor_status_t cor__output_open(const char *path, cor_format_t fmt, double width_pt,
                              double height_pt, double dpi, cor__output_t **out, cor_error_t *err);

/* The drawing context: user units are points, origin top-left. Borrowed. */
cairo_t *cor__output_cairo(cor__output_t *o);

/* Finishes the drawing, writes it to a temporary file beside `path`, and renames it into place.
 * Always releases `o`; on failure nothing is left at `path` or beside it.
 * Returns: COR_OK; COR_ERR_RENDER when cairo failed; COR_ERR_IO when writing failed. */
cor_status_t cor__output_commit(cor__output_t *o, cor_error_t *err);

/* Releases `o` without writing anything. Accepts NULL. */
void cor__output_abort(cor__output_t *o);

#endif
