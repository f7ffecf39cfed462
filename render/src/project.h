/* SPDX-License-Identifier: MIT */
/* project: PROJ behind a small interface. CRSs from EPSG codes, PROJ strings and WKT (ESRI too),
 * transformations normalised so x is always east/longitude, batch transforms that mark the points
 * PROJ cannot transform instead of drawing them at infinity, box transforms, and densification.
 * PROJ's types never leave this module. */
#ifndef COR_PROJECT_H
#define COR_PROJECT_H

#include <stdbool.h>
#include <stddef.h>

#include "corridor.h"

typedef struct cor__proj cor__proj_t;   /* a PROJ context; one per map, not shared across threads */
typedef struct cor__crs cor__crs_t;     /* a 2D CRS */
typedef struct cor__xform cor__xform_t; /* a transformation between two CRSs */

cor_status_t cor__proj_new(cor__proj_t **out, cor_error_t *err);
/* Releases the context. Every CRS and transform made from it must be freed first. */
void cor__proj_free(cor__proj_t *p);

/* Parses "EPSG:3035", a PROJ string ("+proj=lcc ..."), WKT1/WKT2 or ESRI WKT.
 * Returns: COR_OK and a CRS to free with cor__crs_free(); COR_ERR_CRS quoting the definition
 * (shortened) and PROJ's reason when it is not a usable 2D CRS. */
cor_status_t cor__crs_new(cor__proj_t *p, const char *definition, cor__crs_t **out,
                          cor_error_t *err);
/* WGS 84 longitude/latitude (EPSG:4326, lon first). */
cor_status_t cor__crs_lonlat(cor__proj_t *p, cor__crs_t **out, cor_error_t *err);
void cor__crs_free(cor__crs_t *crs);

bool cor__crs_is_geographic(const cor__crs_t *crs);
/* The CRS's name, e.g. "WGS 84" (borrowed). */
const char *cor__crs_name(const cor__crs_t *crs);
/* Writes "EPSG:4326" into buf when PROJ identifies the CRS with an EPSG entry (confidence >= 70).
 * Returns: true when identified. */
bool cor__crs_identify(cor__crs_t *crs, char *buf, size_t n);

/* Creates the transformation src -> dst (both are borrowed and may be freed afterwards).
 * Returns: COR_OK; COR_ERR_CRS when PROJ finds no way between them. */
cor_status_t cor__xform_new(cor__proj_t *p, const cor__crs_t *src, const cor__crs_t *dst,
                            cor__xform_t **out, cor_error_t *err);
void cor__xform_free(cor__xform_t *xf);
/* True when src and dst are the same CRS and points pass through unchanged. */
bool cor__xform_is_identity(const cor__xform_t *xf);

/* Transforms n points in place, forward (src -> dst) or inverse. A point PROJ cannot transform,
 * or that comes out not finite, becomes NAN in both x and y. A point that comes in NAN (a break in
 * a line) or infinite leaves as NAN and is not counted.
 * Returns: the number of points PROJ could not transform. */
size_t cor__xform_points(cor__xform_t *xf, bool inverse, double *x, double *y, size_t n);

/* Transforms a box, densifying its edges so curved images are covered (proj_trans_bounds, then
 * widened to the images of 512 points an edge). A lon/lat result that crosses the antimeridian
 * has minx > maxx.
 * Returns: COR_OK; COR_ERR_CRS when the box cannot be transformed. */
cor_status_t cor__xform_bbox(cor__xform_t *xf, bool inverse, cor_bbox_t in, cor_bbox_t *out,
                             cor_error_t *err);

/* At most this many points come out of cor__densify(), whatever the step. */
#define COR__DENSIFY_MAX ((size_t)1 << 22)

/* Densifies the polyline (x, y, n) so no segment is longer than `step` in its own units,
 * writing malloc'd arrays to *ox, *oy (caller frees) and their length to *on. The points given are
 * kept exactly; n < 2 copies through; a segment touching a NAN point is not cut.
 * Returns: false on exhaustion, when step is not > 0 (n >= 2), or when the result would exceed
 * COR__DENSIFY_MAX points (outputs untouched). */
bool cor__densify(const double *x, const double *y, size_t n, double step, double **ox, double **oy,
                  size_t *on);

/* The point scale factor of the dst CRS at lon/lat (1 for geographic CRSs), from
 * proj_factors: the ratio of projected distance to true distance on the ellipsoid, measured
 * along the parallel (the same in every direction for a conformal projection).
 * Returns: COR_OK; COR_ERR_CRS when PROJ cannot compute it. */
cor_status_t cor__crs_scale_at(cor__proj_t *p, const cor__crs_t *crs, double lon, double lat,
                               double *scale, cor_error_t *err);

/* The geodesic distance in metres between two lon/lat points on WGS 84 (`p` may be NULL).
 * Returns: NAN when a coordinate is not finite or a latitude is beyond +-90. */
double cor__geodesic_distance(cor__proj_t *p, double lon1, double lat1, double lon2, double lat2);

#endif
