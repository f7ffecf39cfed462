/* SPDX-License-Identifier: MIT */
/* simplestyle: the simplestyle-spec 1.1.0 properties of a feature (stroke, fill, marker-symbol,
 * title, ...) turned into a look and a label. It reads a feature's attributes, whatever source
 * delivered them; it never reads files, projects or draws. */
#ifndef COR_SIMPLESTYLE_H
#define COR_SIMPLESTYLE_H

#include "corridor.h"
#include "geom.h"
#include "style.h"

/* The look simplestyle-spec 1.1.0 gives a feature of `kind` (COR__GEOM_NONE: f->geom's kind):
 * stroke-* and fill-* for polygons, stroke-* for lines, marker-* for points (a marker-color
 * marker with a thin white outline), with the spec's defaults; px widths become pt (x 0.75),
 * opacities go into the colours' alpha, and Maki symbols map to the nearest marker (a circle for
 * anything unknown). Its label comes from `title` (`label` may be NULL).
 * Returns: COR_OK, with *look and a malloc'd *label (NULL without a title); COR_ERR_DATA naming
 * the feature and property ("features[2]: stroke: 'blu' is not a colour", no file name: add it
 * with cor__error_prefix()); COR_ERR_NOMEM. */
cor_status_t cor__simplestyle_look(const cor__feature_t *f, cor__geom_kind_t kind,
                                   cor__look_t *look, char **label, cor_error_t *err);

#endif
