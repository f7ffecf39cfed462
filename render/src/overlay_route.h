/* SPDX-License-Identifier: MIT */
/* overlay_route: drawing routes: their ends and arrowheads, the dash and barrier of a blocked
 * route, the line as an obstacle, and the label set along the route's straightest stretch.
 * Private to the overlay drawing files; the pass that calls it is overlay_draw.c. */
#ifndef COR_OVERLAY_ROUTE_H
#define COR_OVERLAY_ROUTE_H

#include <cairo.h>
#include <stdbool.h>

#include "corridor.h"
#include "labeler.h"
#include "text.h"
#include "overlay.h"
#include "overlay_pass.h"
#include "polyline.h"
#include "style.h"

/* Returns: the width a route is drawn at: its value's on the map's flow scale when it has one
 * (cor__flow_width() against the largest visible value), else its look's. */
double cor__overlay_route_width(const cor__overlays_t *o, const cor__overlay_t *ov);
/* Returns: the look a route is drawn with: `look`, with a dash sized to its width when it is
 * blocked and has none (round and square caps lengthen dashes by the width: the gap makes up
 * for it). */
cor__look_t cor__overlay_route_look(const cor__look_t *look, bool blocked);

/* Draws the barrier across a line with the look at c heading along the unit direction t: a
 * thick bar across the line, in the stroke colour, over a mask in the casing colour (white
 * without a casing) that opens a gap in the line around it, all scaled by `scale`. The mask
 * becomes an obstacle in lb (when not NULL). */
void cor__overlay_barrier_draw(cairo_t *cr, cor__labeler_t *lb, cor__pt_t c, cor__pt_t t,
                               const cor__look_t *lk, double scale);
/* Returns: how far the barrier of a line of width w (> 0) and its mask reach across the line
 * from its centre, at scale 1, pt. */
double cor__overlay_barrier_reach(double w);

/* Draws a route (skipped and counted when a place cannot be projected): its casing and line
 * between its heads, the heads, the barrier of a blocked route, and its label; the line, heads
 * and barrier become obstacles. Returns: COR_OK; COR_ERR_NOMEM; the labeler's errors. */
cor_status_t cor__overlay_draw_route(cor__ov_pass_t *p, const cor__overlay_t *ov);

#endif
