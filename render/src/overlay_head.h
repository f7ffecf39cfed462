/* SPDX-License-Identifier: MIT */
/* overlay_head: arrowheads for overlay lines and legend keys: their size for a line width, the
 * swept shape (cor__arrowhead(), declared in overlay_draw.h), filling and casing them, and how
 * far a line stops short of a head's tip. It places nothing and registers no obstacle. */
#ifndef COR_OVERLAY_HEAD_H
#define COR_OVERLAY_HEAD_H

#include <cairo.h>
#include <stdbool.h>

#include "polyline.h"
#include "style.h"

#define COR__HEAD_MIN_LEN 5.0 /* the shortest head, pt */

/* The half-width and length of the head for a line of width w, pt. */
void cor__overlay_head_size(double w, double *half, double *len);
/* Paints a polygon of n corners (x0, y0, x1, y1, ...); with `swept`, n is 3 and it is a head
 * from cor__arrowhead() whose back edge is notched. With `casing`, its outline in the casing
 * colour, as wide as the casing shows beside the line (nothing when the casing does not show);
 * else filled in the stroke colour. Nothing when the look's stroke is off. Solid, whatever the
 * look's dash. */
void cor__overlay_head_paint(cairo_t *cr, const double *q, int n, bool swept, const cor__look_t *lk,
                             bool casing);
/* Draws a head from cor__arrowhead(): its casing, then its fill. */
void cor__overlay_head_draw(cairo_t *cr, const double h[6], const cor__look_t *lk);
/* Puts a head for a line with the look (its width) at arc length `tip` of l, pointing away from
 * the point at arc length `from`, into h. Returns: how far the line must stop short of the tip,
 * as cor__overlay_head_stop() says. */
double cor__overlay_head_place(const cor__polyline_t *l, double tip, double from,
                               const cor__look_t *lk, double h[6]);
/* Returns: how far a line with the look must stop short of a head's tip, its cap included, for
 * the head's `back` from cor__arrowhead(). */
double cor__overlay_head_stop(const cor__look_t *lk, double back);

#endif
