/* SPDX-License-Identifier: MIT */
/* view_check: whether a view that projects is still a sensible map. A CRS can put the area on
 * the page and still show it upside down (UTM zone 1 for Europe) or stretched beyond use; such a
 * view renders, with a warning that gives the figure and a CRS that shows the area well (a
 * Lambert azimuthal equal-area centred on it). Polar views, where north has no one direction,
 * and lon/lat views are not judged. */
#ifndef COR_VIEW_CHECK_H
#define COR_VIEW_CHECK_H

#include "project.h"
#include "view.h"
#include "warnings.h"

/* North may turn this far from the top of the page at the view's centre before it is said. */
#define COR__VIEW_MAX_TURN 45.0
/* The scale may vary this many times across the view, and this many times more than in the
 * suggested CRS, before it is said. */
#define COR__VIEW_MAX_STRETCH       4.0
#define COR__VIEW_STRETCH_OVER_BEST 2.0

/* Judges view `v` (set up, with its CRS) and adds a warning to `w` for each problem. Costs a few
 * hundred point transforms; says nothing when PROJ cannot answer. */
void cor__view_check(cor__proj_t *proj, const cor__view_t *v, cor__warnings_t *w);

#endif
