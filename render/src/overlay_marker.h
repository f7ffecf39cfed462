/* SPDX-License-Identifier: MIT */
/* overlay_marker: drawing the overlays that mark places and areas: marker symbols with their
 * labels, areas (filled or hatched polygons labelled at their centroid) and callouts (text in a
 * box with a leader to its place). Private to the overlay drawing files. */
#ifndef COR_OVERLAY_MARKER_H
#define COR_OVERLAY_MARKER_H

#include "corridor.h"
#include "overlay.h"
#include "overlay_pass.h"

/* Each draws one visible overlay of its kind; one with a place that cannot be projected is
 * skipped and counted in p->skipped. Returns: COR_OK; COR_ERR_NOMEM; the labeler's and text
 * errors. */

/* The symbol at every place, the first one labelled around it; each symbol's box is an
 * obstacle. */
cor_status_t cor__overlay_draw_marker(cor__ov_pass_t *p, const cor__overlay_t *ov);
/* The polygon through the places, densified and projected: filled (or hatched), cased and
 * outlined with the look; its label at its centroid. */
cor_status_t cor__overlay_draw_area(cor__ov_pass_t *p, const cor__overlay_t *ov);
/* A callout: its text in a box centred (dx, dy) pt from the place (14 pt up and right when
 * both are 0), kept on the page, with a leader from a small dot at the place to the nearest
 * point of the box; the box is an obstacle, the text is drawn at once (not placed). */
cor_status_t cor__overlay_draw_callout(cor__ov_pass_t *p, const cor__overlay_t *ov);

#endif
