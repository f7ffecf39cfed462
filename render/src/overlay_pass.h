/* SPDX-License-Identifier: MIT */
/* overlay_pass: what the files that draw overlays share, private to them: one drawing pass's
 * state, projecting places and densified paths, stroking page lines, casings, obstacles along
 * lines, an overlay's label text and style, and the clearance around end places. It draws no
 * kind of overlay itself and orders nothing (overlay_draw.c does). */
#ifndef COR_OVERLAY_PASS_H
#define COR_OVERLAY_PASS_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "corridor.h"
#include "labeler.h"
#include "text.h"
#include "overlay.h"
#include "overlay_draw.h"
#include "polyline.h"
#include "style.h"

#define COR__OV_DOT_R     2.5 /* the radius of the city dot assumed under an end place, pt */
#define COR__OV_LABEL_GAP 1.5 /* between a line and its label, pt */
#define COR__OV_OBST_STEP                                                                          \
    2.0 /* obstacle boxes along lines cover this much of the line each, pt                         \
         */

/* A place of a visible overlay on the page, to keep route labels off it. */
typedef struct cor__ov_spot {
    double x, y;
    const cor__overlay_t *ov;
} cor__ov_spot_t;

/* One drawing pass: where to draw, how to project, and what was left out. */
typedef struct cor__ov_pass {
    const cor__overlays_t *o;
    cor__textout_t *to;
    cairo_t *cr;
    cor__to_page_fn to_page;
    void *ctx;
    cor__labeler_t *lb; /* may be NULL: no labels, no obstacles */
    size_t skipped;
    cor_error_t *err;
    cor__ov_spot_t *spots; /* the places of every visible overlay but areas */
    size_t nspots;
} cor__ov_pass_t;

/* Returns: whether item i is visible and inside the window of items being drawn now. */
bool cor__overlay_drawn(const cor__overlays_t *o, size_t i);

/* Projects a resolved place. Returns: false when it is unresolved or cannot be projected. */
bool cor__overlay_project(const cor__ov_pass_t *p, const cor__ov_place_t *pl, cor__pt_t *out);
/* Projects the overlay's places as a path densified every 0.05 degrees in longitude and
 * latitude (a ring, back to the first place, when `close`), appended to out.
 * Returns: COR_OK; COR_ERR_CRS when a place is unresolved or a point cannot be projected;
 * COR_ERR_NOMEM (no message is set for either). */
cor_status_t cor__overlay_project_path(const cor__ov_pass_t *p, const cor__overlay_t *ov,
                                       bool close, cor__polyline_t *out);

/* Returns: whether the look's casing shows: on, not transparent, and wider than 0. */
bool cor__overlay_casing_visible(const cor__look_t *lk);
/* Returns: how far the casing shows beside the line on each side, pt (0 when it does not). */
double cor__overlay_casing_half(const cor__look_t *lk);
/* Strokes l with the look (its casing instead when `casing`); lines of fewer than two points
 * draw nothing. Returns: false on exhaustion. */
bool cor__overlay_stroke(cairo_t *cr, const cor__polyline_t *l, const cor__look_t *lk, bool casing);

/* Registers the line's stroked outline in the labeler's space (nothing when lb is NULL), as the
 * overlay's kind (a flow, else a route) with its text: segments along it, `half` pt either side,
 * except within 18 pt (plus half) of the n points in `free`, where a place's own label may touch
 * it. */
void cor__overlay_obstacles_along(cor__labeler_t *lb, const cor__overlay_t *ov,
                                  const cor__polyline_t *l, double half, const cor__pt_t *free,
                                  size_t n);
/* Registers the box around n (at most 5) points x0, y0, x1, y1, ..., widened by `pad` (an
 * arrowhead, a barrier), as the overlay's kind (ov NULL: a route without text); nothing when lb
 * is NULL. */
void cor__overlay_obstacle_pts(cor__labeler_t *lb, const cor__overlay_t *ov, const double *xy,
                               size_t n, double pad);
/* Returns: the placement kind of an overlay's footprint (flow for flows, else route), and its
 * text for the placement report: its label, else its legend ("" for none). */
cor__kind_t cor__overlay_space_kind(const cor__overlay_t *ov);
const char *cor__overlay_space_text(const cor__overlay_t *ov);

/* Returns: the style of an overlay's label: its label_size (else 7.5 pt), semibold, its
 * label_color (else `base` darkened, near-black when light), a white halo. */
cor__text_style_t cor__overlay_label_style(const cor__overlay_t *ov, cor_color_t base);
/* The overlay's label with its schematic note, malloc'd in *out (NULL when it has none).
 * Returns: COR_OK; COR_ERR_NOMEM. */
cor_status_t cor__overlay_label_text(const cor__overlay_t *ov, char **out, cor_error_t *err);
/* Returns: COR_ERR_NOMEM, with "out of memory drawing overlays" in err. */
cor_status_t cor__overlay_nomem(cor_error_t *err);

/* Returns: the clearance around an end place at `at`: the city dot assumed there, or a bigger
 * visible marker overlay's symbol at the same place, plus a 2.5 pt gap. */
double cor__overlay_end_clear(const cor__ov_pass_t *p, cor__pt_t at);

#endif
