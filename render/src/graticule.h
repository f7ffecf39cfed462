/* SPDX-License-Identifier: MIT */
/* graticule: meridians and parallels at a round spacing, densified in lon/lat so they curve,
 * clipped to the page, with labels ("25°E", "50°N") where they meet the map's edge, off the
 * other furniture. One piece of the furniture: laid out after the corner pieces are placed (its
 * labels avoid them), drawn under the overlays. */
#ifndef COR_GRATICULE_H
#define COR_GRATICULE_H

#include <cairo.h>
#include <stdbool.h>

#include "corridor.h"
#include "furniture.h"
#include "project.h"
#include "text.h"

/* Lays out the graticule of spacing f->graticule (0: automatic, at most 8 lines each way across
 * the page's centre lines; < 0: none) over the page's lon/lat extent, through xf from lon/lat to
 * the frame's CRS; none without xf or when PROJ cannot find the extent. Reads the placed pieces
 * of `l`, so that its labels keep off them. Returns: false on exhaustion. */
bool cor__graticule_build(cor__layout_t *l, const cor__furniture_t *f, const cor__frame_t *fr,
                          cor__xform_t *xf);

/* Draws the lines on `cr`, then their labels to `to`.
 * Returns: COR_OK; COR_ERR_RENDER when cairo is in error; cor__text_draw()'s errors. */
cor_status_t cor__graticule_draw(const cor__layout_t *l, cairo_t *cr, cor__textout_t *to,
                                 cor_error_t *err);

#endif
