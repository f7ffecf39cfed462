/* SPDX-License-Identifier: MIT */
/* overlay_draw: the drawing API of the overlays: the pass that draws a set onto cairo, handing
 * labels and obstacles to the labeler, the legend keys, and the arrowhead geometry the legend
 * shares. The model (overlay.h) knows none of this; nothing here reads scripts or files, and
 * projection arrives as a callback. */
#ifndef COR_OVERLAY_DRAW_H
#define COR_OVERLAY_DRAW_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "corridor.h"
#include "labeler.h"
#include "text.h"
#include "overlay.h"

/* Longitude/latitude to page points; false when the point cannot be projected. */
typedef bool (*cor__to_page_fn)(void *ctx, double lon, double lat, double *x, double *y);

/* Draws the visible overlays: areas, then routes, flows, markers and callouts, each kind in
 * declaration order; adds their labels to `lb` (which may be NULL) and the lines, arrowheads,
 * symbols and callout boxes as obstacles, so no other label sits on them. Overlays whose places
 * are unresolved or cannot be projected are skipped. Callout text is drawn on the context.
 *
 * Geometry, in page points:
 * - Routes are densified every 0.05 degrees before projecting. An arrow's tip stops 5 pt short of
 *   its end place (the city dot stays visible) and the line stops under the head. A blocked route
 *   is dashed (its own dash, else about {1.8, 1.1} x width, at least {5, 3} pt) and carries a
 *   barrier: a bar across the line, 3.2 x width long (at least 8 pt), in the stroke colour over
 *   a mask in the casing colour (white without a casing) that opens a gap in the line, at the
 *   point of the route nearest `cut`, else at the middle of its length.
 * - Flows run from 5 pt beyond the origin to 5 pt before the destination (further when a marker
 *   overlay is bigger than a city dot), with an arrowhead at the destination (none when there is
 *   no room for it). Width from the value (else the look's width). Without via places a flow is
 *   an arc bulging `bend` x chord to the right of its direction (default 0.2; negative: left);
 *   with them, a smooth curve through every via place. Flows without via places between the
 *   same two places (either way round) form a bundle: parallel strands in declaration order
 *   (the first uppermost), each offset by the widths beside it plus 1.2 pt, gathering into the
 *   origin only within 4 pt of its end gap, and sharing one arrowhead sized to the bundle that
 *   is split into a slice per strand: no two flows' strokes meet but at the tip. Flows (and
 *   bundles) whose courses 15 pt from one origin lie less than 25 degrees apart get new bends
 *   that fan them out, unless their bend was given or they have via places.
 * - Callouts: the label in a white box centred (dx, dy) from the place (14 pt up and right when
 *   both are 0), a leader from a dot at the place to the box's nearest point.
 * - Labels: a route's along its straightest stretch on the page (the context's clip extents)
 *   away from other overlays' places, beside the line on the outside of its bends (horizontal,
 *   above its middle, when no stretch fits); flows' horizontal, beside the middle of the curve
 *   on the side it bulges to, a bundle's stacked there in the order of its strands; markers'
 *   around the symbol; areas' at the centroid. Schematic overlays append cor__overlay_note().
 *   Lines are no obstacle within 18 pt of their places, so the places' own labels may sit there.
 * Returns: COR_OK; COR_ERR_NOMEM; the labeler's and text errors. */
cor_status_t cor__overlays_draw(const cor__overlays_t *o, cairo_t *cr, cor__to_page_fn to_page,
                                void *ctx, cor__labeler_t *lb, cor_error_t *err);

/* As cor__overlays_draw(), drawing on to->cr and writing callout text to to->svg when set (so an
 * SVG keeps it as text); *skipped (when not NULL) counts the visible overlays left out because
 * their places are unresolved or cannot be projected. */
cor_status_t cor__overlays_draw_to(const cor__overlays_t *o, cor__textout_t *to,
                                   cor__to_page_fn to_page, void *ctx, cor__labeler_t *lb,
                                   size_t *skipped, cor_error_t *err);

/* An arrowhead for a line of width w ending at (x, y) heading along (dx, dy): the triangle's
 * three corners (tip first, then left and right of the direction of travel as seen on the page)
 * in pts, and how far a butt-capped line must stop short of the tip in *back so its end hides
 * under the head. Half-width 0.5 w + max(1.5, 0.55 w), at least 2.1 pt; length 2.1 x the
 * half-width, at least 5 pt. It is drawn swept: the back edge is notched to 0.8 of the length,
 * and *back lies between where the line's corners meet the sides and that notch. A zero
 * direction points along +x; a width that is not a positive number counts as 0. */
void cor__arrowhead(double x, double y, double dx, double dy, double w, double pts[6],
                    double *back);

/* Draws the overlay's key for a legend in the box (x, y, w, h), ink inside the box: a short line
 * with the route's look and arrow (and barrier when blocked), a slightly curved flow arrow at
 * its width (thinned to fit), a marker, an area swatch (hatched when hatched); nothing for a
 * callout. */
void cor__overlay_draw_key(cairo_t *cr, const cor__overlays_t *o, const cor__overlay_t *ov,
                           double x, double y, double w, double h);

#endif
