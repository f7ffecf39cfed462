/* SPDX-License-Identifier: MIT */
/* view: where and how big the map is drawn. The page (size and dpi), the CRS (--crs, the
 * style's, lon/lat for a style, else the first quick-look layer's own), the area (the extent in
 * degrees, else all layers' data with a margin) widened to the page's aspect ratio, and the scale
 * from CRS units to page points. It reads the map's settings and sources; it never draws. */
#ifndef COR_VIEW_H
#define COR_VIEW_H

#include "corridor.h"
#include "project.h"

/* Where and how big the map is drawn: CRS units to page points. */
typedef struct cor__view {
    cor__crs_t *crs; /* NULL: raw coordinates, nothing is projected */
    cor_bbox_t box;  /* the page's area in CRS units */
    double scale;    /* page points per CRS unit */
    double width, height, dpi;
    cor_bbox_t clip;  /* page box with a margin, page points */
    double tolerance; /* simplification tolerance, page points (a quarter pixel) */
} cor__view_t;

/* Sets up the view of `map` on its page in effect: page size and dpi, CRS, area, scale.
 * Returns: COR_OK, with v->crs owned by the caller (release with cor__view_clear());
 * COR_ERR_CRS when the area cannot be projected to a finite box or an extent in degrees has no
 * CRS to go with; COR_ERR_DATA when no layer has data that can be placed; the errors of opening
 * the layers. On failure v->crs is NULL. */
cor_status_t cor__view_setup(cor_map_t *map, cor__view_t *v, cor_error_t *err);

/* Fits `area` (CRS units) into a page of v->width x v->height at v->dpi: widens it to the page's
 * aspect ratio around its centre and sets box, scale, clip and tolerance. */
void cor__view_fit(cor__view_t *v, cor_bbox_t area);

/* The part of `area` (CRS units) a page of aspect `aspect` (width / height) shows when `keep`
 * must stay in view: `area` cropped across its longer side to the page's shape, around its
 * centre but moved to hold `keep`, and never cropped into `keep` (then the box is `keep`'s
 * size along that side, and the view widens across the other). A crop of under 1% of the side
 * is not made. Returns: the box. */
cor_bbox_t cor__view_crop(cor_bbox_t area, cor_bbox_t keep, double aspect);

/* The box `lonlat` (degrees) seen in `crs`, its edges densified (cor__xform_bbox).
 * Returns: COR_OK and *out; COR_ERR_CRS when it cannot be transformed. */
cor_status_t cor__view_lonlat_box(cor__proj_t *proj, const cor__crs_t *crs, cor_bbox_t lonlat,
                                  cor_bbox_t *out, cor_error_t *err);

/* Releases v->crs and sets it to NULL. */
void cor__view_clear(cor__view_t *v);

#endif
