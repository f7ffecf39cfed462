/* SPDX-License-Identifier: MIT */
/* map_internal: the map object's data, shared by the files that build a map (map.c and
 * overlay_api.c) and those that read it to draw one (view.c, render.c, render_layer.c, inset.c).
 * It holds no drawing state; the calls declared here are map.c's and never call back into the
 * view or the pipeline. Tests do not include it (render_query.h is theirs). */
#ifndef COR_MAP_INTERNAL_H
#define COR_MAP_INTERNAL_H

#include "corridor.h"
#include "gazetteer.h"
#include "map_limits.h"
#include "overlay.h"
#include "project.h"
#include "script.h"
#include "source_json.h"
#include "source_shp.h"
#include "style.h"
#include "warnings.h"
#include "util.h"

/* An opened shapefile and the CRS its coordinates are in (NULL: unknown, drawn unprojected). */
typedef struct cor__source {
    char *path;
    cor__shp_t *shp;
    cor__crs_t *crs;
    char *crs_def;      /* the CRS a style named for it (over its .prj), NULL for its own */
    size_t text_warned; /* invalid text values a warning has reported (once a layer) */
} cor__source_t;

/* A GeoJSON overlay file, drawn with its simplestyle properties. */
typedef struct cor__json_overlay {
    char *path;
    cor__json_t *json;
    size_t after; /* how many script overlays were declared before it: drawn after those */
} cor__json_overlay_t;

struct cor_map {
    char *data_dir;
    cor__proj_t *proj;
    cor__script_t *script; /* made when a style or overlay script first runs */
    cor__style_t style;
    cor__overlays_t overlays;
    cor__gazetteer_t *gazetteer; /* loaded when an overlay first names a place */
    cor__json_overlay_t *json;
    size_t njson, cap_json;
    int nquick; /* layers added with cor_map_add_layer */
    char *crs_def;
    bool has_extent;
    cor_bbox_t extent;
    bool has_page;
    double width_pt, height_pt, dpi;
    int threads; /* for a render, the caller's included */
    cor__source_t *sources;
    size_t nsources, cap_sources;
    cor_render_stats_t stats;
    char *atlas_title, *atlas_subtitle; /* the title templates an atlas feature fills */
    struct cor__placed *label_boxes;    /* where the last render's labels went: render_query.h */
    size_t nlabel_boxes;
    cor__warnings_t warnings; /* what the map was read and drawn in spite of, and what looks
                                 wrong: cor_map_warning(), until cor_map_clear_warnings() */
    cor__limits_t limits;     /* cor_map_set_limit(): map_limits.h */
    char **inputs;            /* style, overlay and layer files given by path: map_inputs.c */
    size_t ninputs, cap_inputs;
    struct cor__space *placement; /* everything the last render placed, and what it dropped */
    double placement_dpi;
    cor__buf_t placement_json; /* its report, made when first asked for */
};

/* A quick-look layer (added with cor_map_add_layer) rather than one from a style. */
bool cor__map_is_quick(const cor__layer_style_t *ls);
/* Opens (once) the source a layer reads. Errors name the style file and line.
 * Returns: COR_OK and a source the map owns; the error opening it. */
cor_status_t cor__map_layer_source(cor_map_t *map, const cor__layer_style_t *ls,
                                   cor__source_t **out, cor_error_t *err);
/* Opens (once per CRS) a shapefile by path, in the CRS `crs` names (a PROJ string) or, with crs
 * NULL, the one its .prj names (lon/lat without one, when the coordinates fit).
 * Returns: COR_OK and a source the map owns; the error. */
cor_status_t cor__map_open_source(cor_map_t *map, const char *path, const char *crs,
                                  cor__source_t **out, cor_error_t *err);
/* Opens (once) the shipped geodata layer `name` ("countries") from the data directory.
 * Returns: COR_OK and a source the map owns; COR_ERR_NOTFOUND without a data directory; the
 * error opening it. */
cor_status_t cor__map_geodata_source(cor_map_t *map, const char *name, cor__source_t **out,
                                     cor_error_t *err);
/* Notes `path` (copied) as a file the map reads. Returns: COR_OK; COR_ERR_NOMEM. */
cor_status_t cor__map_note_input(cor_map_t *map, const char *path, cor_error_t *err);
void cor__map_inputs_free(cor_map_t *map);
/* Refuses `path` as an output when it is a file the map reads: a noted input, a shapefile part
 * of one or of an opened source, a GeoJSON overlay. Returns: COR_OK (also when `path` does not
 * exist); COR_ERR_USAGE naming both. */
cor_status_t cor__map_refuse_input(const cor_map_t *map, const char *path, cor_error_t *err);
/* Adds the warnings the sources' reading left since they were opened (invalid text, once a
 * layer); called after each render and check. Running out of memory loses a warning only. */
void cor__map_note_sources(cor_map_t *map);
/* Checks that every hidden group (hide "potash", cor_map_hide_group) is the group of some
 * overlay or style layer. Returns: COR_OK; COR_ERR_NOTFOUND naming the group, the nearest group
 * and the groups the map has. */
cor_status_t cor__map_check_hidden(const cor_map_t *map, cor_error_t *err);
/* Checks a PNG page of the map against its raster limits (other formats have none).
 * Returns: COR_OK; COR_ERR_LIMIT giving the numbers and the limit to raise. */
cor_status_t cor__map_check_raster(const cor_map_t *map, cor_format_t fmt, cor_error_t *err);
/* Finds the data directory when none was set. Returns: COR_OK and the directory (borrowed). */
cor_status_t cor__map_data_dir(cor_map_t *map, const char **out, cor_error_t *err);
/* Creates the script state (once), wired to the map's overlays and data directory. */
cor_status_t cor__map_script(cor_map_t *map, cor_error_t *err);
/* The page in effect: explicit settings win over the style's map{}. */
void cor__map_page(const cor_map_t *map, double *w, double *h, double *dpi);

#endif
