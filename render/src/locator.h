/* SPDX-License-Identifier: MIT */
/* locator: the locator inset's map, a small map in its own CRS and extent drawn in the box the
 * furniture layout reserved: water, base layers in order, highlighted features and the main map's
 * frame. Everything it shows comes from a plain spec whose defaults are neutral (the main map's
 * CRS, an area around the main map's, nothing highlighted). It decides neither where the box goes
 * nor what a story highlights. */
#ifndef COR_LOCATOR_H
#define COR_LOCATOR_H

#include <stdbool.h>
#include <stddef.h>

#include "corridor.h"
#include "render_layer.h"
#include "style.h"

/* Without an extent, the inset shows this many times the main map's width and height. */
#define COR__LOCATOR_CONTEXT 3.0

/* One layer of the inset, drawn with the spec's look for its geometry. */
typedef struct cor__locator_layer {
    const char *source; /* a geodata layer name ("europe_land"), borrowed */
    bool highlight;     /* draws only the features whose highlight field holds one of the codes,
                           in the highlight look; skipped when the spec has no codes */
} cor__locator_layer_t;

/* What the inset shows. Pointers are borrowed for the call. */
typedef struct cor__locator_spec {
    const char *crs; /* a CRS definition; NULL: the main map's CRS */
    bool has_extent;
    cor_bbox_t extent; /* lon/lat; without one, COR__LOCATOR_CONTEXT times the main map's area */
    const cor__locator_layer_t *layers; /* drawn in this order */
    size_t nlayers;
    const char *highlight_field; /* the attribute the codes are compared with ("iso_a2") */
    const char *const *codes;
    size_t ncodes;
    cor_color_t water; /* the background */
    cor__look_t land;  /* polygons */
    cor__look_t line;  /* lines: borders */
    cor__look_t mark;  /* highlighted polygons */
    cor__look_t frame; /* the main map's outline */
} cor__locator_spec_t;

/* Fills *spec with the neutral defaults: the main map's CRS and an area around it, no layers,
 * nothing highlighted (field "iso_a2"), pale blue water, grey land, white borders, an amber
 * highlight and a thin red frame. */
void cor__locator_spec_init(cor__locator_spec_t *spec);

/* Draws the inset into `box` (page points) of r's page; nothing in it is labelled. Does nothing
 * for a dry run or a main map in raw coordinates.
 * Returns: COR_OK; COR_ERR_CRS when the spec's CRS or extent cannot be used; the errors of opening
 * or drawing a layer. */
cor_status_t cor__locator_draw(cor__render_t *r, const cor__locator_spec_t *spec, cor_bbox_t box,
                               cor_error_t *err);

#endif
