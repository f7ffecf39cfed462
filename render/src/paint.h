/* SPDX-License-Identifier: MIT */
/* paint: page-space geometry onto a cairo context with a resolved look: polygons as one even-odd
 * path per feature, lines with width, dash, caps, joins and casing, point markers as vectors.
 * Knows no Lua, no PROJ, no files; coordinates arrive in page points. */
#ifndef COR_PAINT_H
#define COR_PAINT_H

#include <cairo.h>

#include "geom.h"
#include "style.h"

/* Fills a polygon geometry (all rings in one path, even-odd rule) when look->fill_on; with
 * look->hatch, instead hatches it: 0.6 pt lines at 45 degrees ("/") every 3 pt in the fill
 * colour, clipped to the rings, aligned across polygons. */
void cor__paint_fill(cairo_t *cr, const cor__geom_t *g, const cor__look_t *look);

/* Strokes lines, or polygon outlines, when look->stroke_on. With `casing` true it draws the
 * casing instead (look->casing_on, width + casing_width, no dash, round joins, the look's caps),
 * so a layer can draw all casings before all strokes and junctions merge. */
void cor__paint_stroke(cairo_t *cr, const cor__geom_t *g, const cor__look_t *look, bool casing);

/* Draws look->marker at every point of the geometry (fill, then stroke). */
void cor__paint_markers(cairo_t *cr, const cor__geom_t *g, const cor__look_t *look);

/* Draws one marker of diameter `size` centred on (x, y): its area centroid is the point and it
 * stays inside the size x size box, outline included (an outline too wide for the shape, from
 * about a sixth of the size for a star to half of it for a circle, is thinned to fit).
 * The pictograms (port, mine, border, airport, rail) are line art: the outline is a contour
 * around the glyph (at most a tenth of the size), drawn under it; without a fill the glyph is
 * drawn in the stroke colour. Their ink, contour included, is centred the same way. */
void cor__paint_marker(cairo_t *cr, cor__marker_t marker, double x, double y, double size,
                       const cor__look_t *look);

/* Sets the source colour with the look's opacity applied. */
void cor__paint_set_color(cairo_t *cr, cor_color_t c, double opacity);

#endif
