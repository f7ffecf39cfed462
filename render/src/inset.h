/* SPDX-License-Identifier: MIT */
/* inset: the box a locator inset is drawn in (its size from the page or the style) and its
 * frame. One piece of the furniture: the layout (furniture.c) places it in a corner, and the
 * map draws the inset's content into it before the frame goes on top. */
#ifndef COR_INSET_H
#define COR_INSET_H

#include <cairo.h>

#include "furniture.h"

/* Sizes the inset's box in `l` (f->inset_width or a fifth of the page width, none when that is
 * below 72 pt; height by f->inset_aspect or 0.8), kept inside the page's margins, for the
 * corner f->inset (none for COR__CORNER_NONE). */
void cor__inset_build(cor__layout_t *l, const cor__furniture_t *f);

/* Draws the inset's frame when it is on. */
void cor__inset_draw(const cor__layout_t *l, cairo_t *cr);

#endif
