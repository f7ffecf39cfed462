/* SPDX-License-Identifier: MIT */
/* legend: the legend panel: a title, one row per entry (a layer's swatch, line or marker, or an
 * overlay's own key, with its text wrapped) and, when an entry is a flow, a flow-width scale.
 * Piece of the furniture: laid out and drawn when the layout (furniture.c) says; it chooses no
 * corner. */
#ifndef COR_LEGEND_H
#define COR_LEGEND_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "furniture.h"

/* Lays out the legend of f's title and the n entries in `l`, at the corner f->legend (none
 * without entries or title). Keys of overlay entries are drawn from l->ov, borrowed.
 * Returns: false on exhaustion. */
bool cor__legend_build(cor__layout_t *l, const cor__furniture_t *f,
                       const cor__legend_entry_t *entries, size_t n);

/* Draws the legend's panel, keys and flow-width bars (its texts are drawn with the other pieces'
 * texts); nothing when it is off. */
void cor__legend_draw(const cor__layout_t *l, cairo_t *cr);

#endif
