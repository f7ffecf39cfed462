/* SPDX-License-Identifier: MIT */
/* scalebar: the scale bar (a round length true at the page centre, in alternating segments with
 * its numbers) and the north arrow beside it (pointing to true north at the page centre), one
 * piece of the furniture. Computes with PROJ only while laid out; drawing replays page points.
 * It chooses no corner: the layout (furniture.c) does. */
#ifndef COR_SCALEBAR_H
#define COR_SCALEBAR_H

#include <cairo.h>

#include "corridor.h"
#include "furniture.h"
#include "project.h"
#include "text.h"

/* Lays out the scale bar (at the corner f->scalebar, none for COR__CORNER_NONE) and the north
 * arrow (when f->north_arrow) in `l`, through xf from lon/lat to the frame's CRS; nothing
 * without xf (raw coordinates). Returns: COR_OK; COR_ERR_CRS when the scale or north cannot be
 * computed at the page centre; COR_ERR_NOMEM. */
cor_status_t cor__scalebar_build(cor__layout_t *l, const cor__furniture_t *f,
                                 const cor__frame_t *fr, cor__xform_t *xf, cor_error_t *err);

/* The page boxes of the bar with its numbers (*bar) and of the arrow with its "N" (*north); a
 * part that is not drawn gets an empty box at 0, 0. Returns: false when the piece is off. */
bool cor__scalebar_boxes(const cor__layout_t *l, cor_bbox_t *bar, cor_bbox_t *north);

/* Draws the bar and the arrow, each when laid out and the piece is on (the bar's numbers are
 * drawn with the other pieces' texts). */
void cor__scalebar_draw(const cor__layout_t *l, cairo_t *cr);

/* Writes the north arrow's "N" beyond its tip, when there is an arrow.
 * Returns: COR_OK; cor__text_draw()'s errors. */
cor_status_t cor__scalebar_draw_letter(const cor__layout_t *l, cor__textout_t *to,
                                       cor_error_t *err);

#endif
