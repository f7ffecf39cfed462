/* SPDX-License-Identifier: MIT */
/* polyline: a toolkit for lines in page points: growing them, measuring arc lengths, points
 * and directions along them, slices, nearest points, where a line leaves a disc, cubic curves,
 * smoothing, resampling, offsets along the normals, reversal, and conversion to coordinate
 * arrays and geometries. Pure maths: it draws nothing and knows no overlays, cairo or labels. */
#ifndef COR_POLYLINE_H
#define COR_POLYLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "corridor.h"
#include "geom.h"

/* A point or a direction in page points. */
typedef struct cor__pt {
    double x, y;
} cor__pt_t;

/* A growable line: n points in p (cap allocated). Zero-initialise; release with
 * cor__polyline_free(). */
typedef struct cor__polyline {
    cor__pt_t *p;
    size_t n, cap;
} cor__polyline_t;

/* Appends the point (x, y). Returns: false on exhaustion (the line is unchanged). */
bool cor__polyline_push(cor__polyline_t *l, double x, double y);
/* Releases the points and zeroes the line. */
void cor__polyline_free(cor__polyline_t *l);

/* Returns: the distance from a to b. */
double cor__polyline_dist(cor__pt_t a, cor__pt_t b);
/* Returns: (x, y) scaled to length 1; (1, 0) when it has no finite, non-zero length. */
cor__pt_t cor__polyline_unit(double x, double y);
/* Returns: the angle a (radians) brought into [-pi, pi). */
double cor__polyline_wrap_pi(double a);

/* Returns: the line's length (0 for fewer than two points). */
double cor__polyline_length(const cor__polyline_t *l);
/* Returns: the point at arc length s, clamped to the line (the origin for an empty line), and
 * in *dir (when not NULL) the unit direction of its segment ((1, 0) when there is none).
 * Segments of length 0 are passed over. */
cor__pt_t cor__polyline_at(const cor__polyline_t *l, double s, cor__pt_t *dir);
/* Appends to out the part of l between arc lengths s0 and s1 (s0 < s1): the point at s0, the
 * points of l strictly between, the point at s1. Returns: false on exhaustion. */
bool cor__polyline_slice(const cor__polyline_t *l, double s0, double s1, cor__polyline_t *out);
/* Returns: the arc length of the point of l nearest q (the first such point; 0 for fewer than
 * two points). */
double cor__polyline_nearest(const cor__polyline_t *l, cor__pt_t q);
/* Returns: the arc length at which l, walked from its start, last leaves the disc of radius r
 * around its first point (0 when r <= 0; the whole length when it never does). With from_end,
 * the same from its last point walking backwards, as an arc length from the start. */
double cor__polyline_clear(const cor__polyline_t *l, double r, bool from_end);

/* Appends samples of the cubic Bezier a, c1, c2, b (without a itself): a piece per 0.75 pt of
 * its control polygon, plus 8, at most 4000. Returns: false on exhaustion. */
bool cor__polyline_cubic(cor__polyline_t *l, cor__pt_t a, cor__pt_t c1, cor__pt_t c2, cor__pt_t b);
/* Appends a smooth curve through the points of q: cubic pieces whose tangents at inner points
 * run parallel to the chord between their neighbours, with handles a third of each piece's
 * chord, and whose end tangents mirror the next ones (a natural end); two points give a straight
 * line. It passes through every point; `at` (when not NULL, q->n entries) gets the index in out
 * of each of them (two points at the same place share one). Returns: false on exhaustion. */
bool cor__polyline_through(const cor__polyline_t *q, cor__polyline_t *out, size_t *at);
/* Smooths an evenly sampled line in place, averaging each point with `half` neighbours either
 * side (fewer near the ends), `passes` times; the end points stay. Returns: false on
 * exhaustion. */
bool cor__polyline_average(cor__polyline_t *l, size_t half, int passes);
/* Appends to out the points of l every `step` (> 0) of arc length, from its first point on; the
 * last point of l is included only when the length is a multiple of the step. Returns: false
 * on exhaustion or when l is empty. */
bool cor__polyline_resample(const cor__polyline_t *l, double step, cor__polyline_t *out);
/* How far a point of a line is moved along the line's right-hand normal (the page's y grows
 * downwards): `s` is its arc length, `total` the line's length. */
typedef double (*cor__polyline_offset_fn)(void *ctx, double s, double total);
/* Appends to out every point of l moved by offset(ctx, s, total) along the normal at it, the
 * direction from its previous to its next point (one-sided at the ends). Returns: false on
 * exhaustion. */
bool cor__polyline_offset(const cor__polyline_t *l, cor__polyline_offset_fn offset, void *ctx,
                          cor__polyline_t *out);
/* Reverses the order of the points in place. */
void cor__polyline_reverse(cor__polyline_t *l);

/* Splits l into newly allocated x and y arrays (the caller frees both).
 * Returns: false on exhaustion, with *x and *y NULL. */
bool cor__polyline_split(const cor__polyline_t *l, double **x, double **y);
/* Builds a geometry of `kind` with l as its one part (the caller releases it with
 * cor__geom_free()). Returns: false on exhaustion. */
bool cor__polyline_geom(const cor__polyline_t *l, cor__geom_kind_t kind, cor__geom_t *g);
/* Returns: the box around n points, widened by `pad` on every side (inverted when n is 0). */
cor_bbox_t cor__polyline_box(const cor__pt_t *p, size_t n, double pad);
/* Returns: the area centroid of l taken as a closed ring (its mean point when degenerate). */
cor__pt_t cor__polyline_centroid(const cor__polyline_t *l);

#endif
