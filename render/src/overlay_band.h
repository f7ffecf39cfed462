/* SPDX-License-Identifier: MIT */
/* overlay_band: bands, flows of varying width along a path: the centre line through their
 * places (straight pieces or a smooth curve), the width at every point tapering between the
 * places' values, the outline as one union of tapered capsules (no gap and no double coat at a
 * join, a U-turn included), one arrowhead at most, and labels beside chosen places. Private to
 * the overlay drawing files; the flow pass (overlay_flow.c) calls it. */
#ifndef COR_OVERLAY_BAND_H
#define COR_OVERLAY_BAND_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "corridor.h"
#include "overlay_pass.h"
#include "polyline.h"

/* A band on the page: its centre line, the width at each of its points, and where its places
 * lie on it. Zero-initialise; release with cor__band_free(). */
typedef struct cor__band {
    cor__polyline_t line;
    double *w;  /* line.n widths, pt */
    size_t *at; /* nat indices into line: the band's places, in order */
    size_t nat;
} cor__band_t;

/* Builds a band through the n page points v (n >= 2): straight pieces between them, or with
 * `curve` a smooth curve through them (cor__polyline_through()), and the width at every point,
 * linear in arc length from each place's width wv[k] (>= 0) to the next one's.
 * Returns: false on exhaustion. */
bool cor__band_build(const cor__polyline_t *v, const double *wv, bool curve, cor__band_t *out);
/* Sets b->w from b->line and b->at (already built) and the places' widths wv[0..nat-1].
 * Returns: false on exhaustion. */
bool cor__band_widths(cor__band_t *b, const double *wv);
/* Releases the band and zeroes it. */
void cor__band_free(cor__band_t *b);
/* Returns: the band's width at arc length s along its line (clamped to the line). */
double cor__band_width_at(const cor__band_t *b, double s);
/* Returns: the arc length of place k of the band along its line. */
double cor__band_place_s(const cor__band_t *b, size_t k);
/* Adds the band between arc lengths s0 and s1, widened by `grow` pt on either side, to cr's
 * path: one sub-path per piece of the line, the hull of the discs at its ends (a tapered
 * capsule), all turning the same way, so that a fill with the winding rule paints their union
 * once. */
void cor__band_path(cairo_t *cr, const cor__band_t *b, double s0, double s1, double grow);
/* Returns: whether q lies inside the band between s0 and s1 widened by `grow` (the region
 * cor__band_path() fills), to 0.01 pt. */
bool cor__band_covers(const cor__band_t *b, cor__pt_t q, double s0, double s1, double grow);

/* Draws every visible band of the pass: its casing, body and head (unless arrow = "none"), each
 * in one fill at the band's opacity; its body and head become obstacles, and its
 * labels (the band's own beside its middle, and those of its places beside them) go to the
 * labeler. Bands with a place that cannot be projected are skipped and counted.
 * Returns: COR_OK; COR_ERR_NOMEM; the labeler's errors. */
cor_status_t cor__overlays_draw_bands(cor__ov_pass_t *p);

#endif
