/* SPDX-License-Identifier: MIT */
/* render_layer: one source drawn into one view, for the pipeline and the inset: a shapefile layer
 * through its style, a shapefile with a fixed look, or a GeoJSON overlay with its simplestyle
 * looks; labels go to the render's labeler, legend entries to its legend. It decides neither
 * what is drawn nor in which order (render.c does) and never places labels itself. */
#ifndef COR_RENDER_LAYER_H
#define COR_RENDER_LAYER_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "furniture.h"
#include "geom.h"
#include "labeler.h"
#include "text.h"
#include "map_internal.h"
#include "view.h"

/* One render in progress: what every pass draws with. render.c fills and releases it. */
typedef struct cor__render {
    cor_map_t *map;
    cor__view_t v;
    cairo_t *cr;        /* NULL: a dry run */
    int raster_threads; /* > 0: cr draws corridor's own PNG page, whose layers are painted in
                           bands of rows on up to this many threads (the same pixels for any) */
    cor__textout_t to;
    cor__labeler_t *lb;        /* NULL: nothing is labelled */
    cor__xform_t *from_lonlat; /* lon/lat to the view's CRS; NULL for a raw view */
    cor__legend_entry_t *legend;
    size_t nlegend, cap_legend;
    cor__arena_t arena;          /* legend texts and the like, freed with the render */
    struct cor__xf_cache *cache; /* render_layer's, released by cor__render_layer_finish() */
    size_t ncache;
} cor__render_t;

/* Draws the style layer `ls` into the main view: nothing when its group is hidden or it holds
 * only null shapes. Features count in the map's stats; the first drawn one gives the layer's
 * legend entry. Returns: COR_OK; the first error opening, styling, labelling or drawing it. */
cor_status_t cor__render_layer_style(cor__render_t *r, const cor__layer_style_t *ls,
                                     cor_error_t *err);

/* A C filter for fixed-look drawing. Returns: true to draw the feature. */
typedef bool (*cor__render_keep_fn)(const cor__feature_t *f, void *ud);

/* Draws source `s` into `view` with the fixed `look`, only the features `keep` accepts (NULL:
 * all); nothing is labelled. Returns: COR_OK; the first error reading or drawing it. */
cor_status_t cor__render_layer_fixed(cor__render_t *r, const cor__view_t *view, cor__source_t *s,
                                     const cor__look_t *look, cor__render_keep_fn keep,
                                     void *keep_ud, cor_error_t *err);

/* Draws GeoJSON overlay `jo` into the main view with its simplestyle looks, lines densified so
 * they curve with the projection, titles handed to the labeler.
 * Returns: COR_OK; COR_ERR_DATA naming the file and feature for a bad look; COR_ERR_NOMEM. */
cor_status_t cor__render_layer_geojson(cor__render_t *r, const cor__json_overlay_t *jo,
                                       cor_error_t *err);

/* Adds a legend entry; `text` and `ov` are borrowed for the render.
 * Returns: COR_OK or COR_ERR_NOMEM. */
cor_status_t cor__render_layer_legend(cor__render_t *r, const char *text, cor__geom_kind_t kind,
                                      const cor__look_t *look, const cor__overlay_t *ov);

/* Releases what drawing layers kept during the render (the transformation cache). */
void cor__render_layer_finish(cor__render_t *r);

#endif
