/* SPDX-License-Identifier: MIT */
/* titles: the title block (title and subtitle, wrapped to a share of the page, top left) and
 * the credits strip (sources and date along the bottom of the page). Piece of the furniture:
 * laid out and drawn when the layout (furniture.c) says; it chooses no corner. */
#ifndef COR_TITLES_H
#define COR_TITLES_H

#include <cairo.h>
#include <stdbool.h>

#include "furniture.h"

/* Lays out the title block (its box top left, at the margin) and the credits strip (the page's
 * width, at its bottom) of `f` in `l`; each is off when it has no text. At l->squeeze 1 the
 * title block may take the page's width, at 2 it also loses its subtitle, at 3 only that, at 4
 * it loses its subtitle and is set in a narrow column (three tenths of the page).
 * Returns: false on exhaustion. */
bool cor__titles_build(cor__layout_t *l, const cor__furniture_t *f);

/* Draws the panels under the credits and the title block (their texts are drawn with the other
 * pieces' texts). */
void cor__titles_draw(const cor__layout_t *l, cairo_t *cr);

#endif
