/* SPDX-License-Identifier: MIT */
/* geom: the in-memory geometry and feature that flow from sources through projection to painting,
 * plus the coordinate clean-up done before drawing (dropping unprojectable points, simplifying to
 * the output resolution). No I/O, no PROJ, no cairo. */
#ifndef COR_GEOM_H
#define COR_GEOM_H

#include <stdbool.h>
#include <stddef.h>

#include "corridor.h"

typedef enum cor__geom_kind {
    COR__GEOM_NONE = 0,
    COR__GEOM_POINT,   /* every part is one point (a multipoint has several parts) */
    COR__GEOM_LINE,    /* every part is a polyline */
    COR__GEOM_POLYGON, /* parts are rings, outer and holes alike; drawn even-odd as one path */
} cor__geom_kind_t;

/* Coordinates with parts. Part i spans indices [parts[i], parts[i+1]), so `parts` holds
 * nparts + 1 offsets. The arrays are owned by the geometry; release with cor__geom_free(). */
typedef struct cor__geom {
    cor__geom_kind_t kind;
    size_t npoints, cap_points;
    double *x, *y;
    size_t nparts, cap_parts;
    size_t *parts;
} cor__geom_t;

/* Empties the geometry, keeping its storage for reuse. */
void cor__geom_clear(cor__geom_t *g);
void cor__geom_free(cor__geom_t *g);
/* Appends one part of n points. Returns: false on exhaustion. */
bool cor__geom_add_part(cor__geom_t *g, const double *x, const double *y, size_t n);
/* Replaces dst's content with a copy of src. Returns: false on exhaustion. */
bool cor__geom_copy(cor__geom_t *dst, const cor__geom_t *src);
/* Returns: the bounding box of all points (an inverted box when there are none). */
cor_bbox_t cor__geom_bbox(const cor__geom_t *g);

/* Removes points whose x or y is not finite (points PROJ could not transform) and parts left too
 * short for their kind (a line needs 2 points, a ring 3). Returns: the number of points removed. */
size_t cor__geom_drop_invalid(cor__geom_t *g);

/* Applies x' = x * sx + tx, y' = y * sy + ty to every point (projected metres to page points). */
void cor__geom_affine(cor__geom_t *g, double sx, double tx, double sy, double ty);

/* Simplifies lines and rings for drawing at `tol` (page units, e.g. a quarter of a pixel):
 * vertices closer than tol to the last kept vertex are dropped, the endpoints of every part are
 * kept, and rings whose box is smaller than tol in both directions are removed. */
void cor__geom_simplify(cor__geom_t *g, double tol);

/* Thins lines and rings for drawing at `tol` (page units): from each kept vertex, the next one
 * kept is the farthest, at most 16 on, such that every vertex skipped lies within tol of the
 * segment between the two. The ends of every part stay; parts left too short for their kind are
 * removed. Linear time; far fewer vertices than cor__geom_simplify() leaves on gently curving
 * coasts, so strokes cost less, and no point moves more than tol. */
void cor__geom_thin(cor__geom_t *g, double tol);

/* Clips the geometry to `box` (page units): polygon rings with Sutherland-Hodgman (edges may run
 * along the box, which even-odd filling does not show), lines split into the pieces inside, points
 * outside dropped. Keeps far-away coordinates away from cairo and out of vector files.
 * Returns: false on exhaustion (the geometry is then left unclipped). */
bool cor__geom_clip(cor__geom_t *g, cor_bbox_t box);

/* Points for the clipper's own use; zero-initialise. */
typedef struct cor__clip_pts {
    double *x, *y;
    size_t n, cap;
} cor__clip_pts_t;

/* Grow-only scratch for cor__geom_clip_into(), kept across calls so that clipping feature after
 * feature allocates nothing once it has grown. Zero-initialise; release with
 * cor__clip_buf_free(). */
typedef struct cor__clip_buf {
    cor__clip_pts_t a, b, piece;
} cor__clip_buf_t;

void cor__clip_buf_free(cor__clip_buf_t *b);

/* Writes into `dst` (emptied first, its storage reused; not `src`) the part of `src` inside
 * `box`, as cor__geom_clip() does, and drops what is left of a ring that only passes round the box
 * (every point on the box's edges, no area). With step > 0, the edges a clipped ring runs along
 * the box are cut into pieces no longer than `step`, so that they keep their shape when the
 * geometry is projected afterwards (clipping in lon/lat before projecting).
 * Returns: false on exhaustion (dst then holds part of the result). */
bool cor__geom_clip_into(const cor__geom_t *src, cor_bbox_t box, double step, cor__geom_t *dst,
                         cor__clip_buf_t *buf);

/* A point well inside a polygon for its label: of a grid over the polygon's box, refined once
 * around the best cell, the inside point farthest from every edge (an approximate pole of
 * inaccessibility). Returns: false when the polygon is empty or has no inside grid point. */
bool cor__geom_interior_point(const cor__geom_t *g, double *x, double *y);

/* Up to `max` points well inside a polygon, deepest first and spread apart: the best one as
 * cor__geom_interior_point() gives it, then other deep grid points, for a label to try in turn.
 * Returns: how many were written. */
size_t cor__geom_interior_points(const cor__geom_t *g, double *xs, double *ys, size_t max);

/* Returns: true when (x, y) lies inside the polygon under the even-odd rule. */
bool cor__geom_contains(const cor__geom_t *g, double x, double y);

/* ---- attributes and features ---- */

typedef enum cor__attr_type {
    COR__ATTR_NULL = 0,
    COR__ATTR_STRING,
    COR__ATTR_NUMBER,
    COR__ATTR_BOOL,
} cor__attr_type_t;

/* One attribute value. `str` is UTF-8 and borrowed from whoever produced the feature. */
typedef struct cor__attr {
    cor__attr_type_t type;
    const char *str;
    double num;
    bool b;
} cor__attr_t;

/* A feature handed from a source to its consumer: valid only for the duration of the callback
 * that receives it. `names` and `values` have `nfields` entries. */
typedef struct cor__feature {
    long id; /* record number in its source, from 0 */
    const cor__geom_t *geom;
    size_t nfields;
    const char *const *names;
    const cor__attr_t *values;
} cor__feature_t;

/* Returns: the value of field `name` (exact match first, then ASCII case-insensitive), or NULL. */
const cor__attr_t *cor__feature_get(const cor__feature_t *f, const char *name);

/* Called once per feature; a non-OK return stops the iteration and is passed on. */
typedef cor_status_t (*cor__feature_fn)(const cor__feature_t *f, void *ud, cor_error_t *err);

static inline bool cor__bbox_intersects(const cor_bbox_t *a, const cor_bbox_t *b)
{
    return a->minx <= b->maxx && b->minx <= a->maxx && a->miny <= b->maxy && b->miny <= a->maxy;
}

#endif
