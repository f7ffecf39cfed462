/* SPDX-License-Identifier: MIT */
/* furniture_query: read-only queries of a finished layout, for tests and the placement report:
 * what the layout chose (scale bar, north, graticule spacing and pieces, edge labels) and where
 * each piece went. Nothing here changes a layout or draws. */
#ifndef COR_FURNITURE_QUERY_H
#define COR_FURNITURE_QUERY_H

#include <stdbool.h>
#include <stddef.h>

#include "corridor.h"
#include "furniture.h"

/* The pieces of furniture, for cor__layout_box(). */
typedef enum cor__fpart {
    COR__FPART_TITLE = 0, /* the title block's panel */
    COR__FPART_CREDITS,   /* the strip along the bottom */
    COR__FPART_LEGEND,
    COR__FPART_SCALEBAR, /* the scale bar with the north arrow */
    COR__FPART_INSET,
    COR__FPART_COUNT
} cor__fpart_t;

/* The scale bar the layout chose: its length on the ground in metres (a round number), on the
 * page in points, and the label ("200 km"). True at the page centre: the CRS's scale factor
 * there is taken into account. Returns: false when there is no scale bar. */
bool cor__layout_scalebar(const cor__layout_t *l, double *metres, double *points,
                          const char **label);

/* The page box of a piece and the corner it went to (corner may be NULL; the title is top left,
 * the credits bottom left). Returns: false when the piece is not drawn. */
bool cor__layout_box(const cor__layout_t *l, cor__fpart_t part, cor_bbox_t *box,
                     cor__corner_t *corner);

/* The direction of true north at the page centre, in degrees clockwise from straight up.
 * Returns: false when there is no north arrow. */
bool cor__layout_north(const cor__layout_t *l, double *degrees);

/* The graticule's spacing in degrees and how many meridians and parallels cross the page
 * (either count pointer may be NULL). Returns: the spacing, 0 when there is no graticule. */
double cor__layout_graticule(const cor__layout_t *l, size_t *meridians, size_t *parallels);

/* Piece i of the graticule as drawn (page points, clipped to the page; a line leaving and
 * re-entering the page makes several pieces): whether it is a meridian, its longitude or
 * latitude, and its points (borrowed from the layout).
 * Returns: false when i is out of range. */
bool cor__layout_graticule_line(const cor__layout_t *l, size_t i, bool *meridian, double *degrees,
                                const double **x, const double **y, size_t *n);

/* Edge label i of the graticule ("25°E", "50°N", "0°"; borrowed) and its page box.
 * Returns: false when i is out of range. */
bool cor__layout_tick(const cor__layout_t *l, size_t i, const char **text, cor_bbox_t *box);

#endif
