/* map_internal: the map model shared by map.c (settings, sources, the view), render.c (the
 * pipeline that draws a map) and overlay_api.c (the public overlay calls). Nothing outside
 * these three files includes it. */
#ifndef COR_MAP_INTERNAL_H
#define COR_MAP_INTERNAL_H

#include "corridor.h"
#include "gazetteer.h"
#include "overlay.h"
#include "project.h"
#include "script.h"
#include "source_json.h"
#include "source_shp.h"
#include "style.h"
#include "util.h"

/* An opened shapefile and the CRS its coordinates are in (NULL: unknown, drawn unprojected). */
typedef struct cor__source {
    char *path;
    cor__shp_t *shp;
    cor__crs_t *crs;
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
    cor__source_t *sources;
    size_t nsources, cap_sources;
    cor_render_stats_t stats;
    struct cor__placed *label_boxes; /* where the last render's labels went, for tests */
    size_t nlabel_boxes;
};

/* A placed label's box (a line label has one per glyph cluster) and which label it belongs to. */
typedef struct cor__placed {
    cor_bbox_t box;
    size_t label;
} cor__placed_t;

/* Where and how big the map is drawn: CRS units to page points. */
typedef struct cor__view {
    cor__crs_t *crs; /* NULL: raw coordinates, nothing is projected */
    cor_bbox_t box;  /* the page's area in CRS units */
    double scale;    /* page points per CRS unit */
    double width, height, dpi;
    cor_bbox_t clip;  /* page box with a margin, page points */
    double tolerance; /* simplification tolerance, page points (a quarter pixel) */
} cor__view_t;

/* A quick-look layer (added with cor_map_add_layer) rather than one from a style. */
bool cor__map_is_quick(const cor__layer_style_t *ls);
/* Opens (once) the source a layer reads. Errors name the style file and line. */
cor_status_t cor__map_layer_source(cor_map_t *map, const cor__layer_style_t *ls,
                                   cor__source_t **out, cor_error_t *err);
/* Opens (once) a shapefile by path. */
cor_status_t cor__map_open_source(cor_map_t *map, const char *path, cor__source_t **out,
                                  cor_error_t *err);
/* Finds the data directory when none was set. */
cor_status_t cor__map_data_dir(cor_map_t *map, const char **out, cor_error_t *err);
/* Creates the script state (once), wired to the map's overlays and data directory. */
cor_status_t cor__map_script(cor_map_t *map, cor_error_t *err);
/* The page in effect: explicit settings win over the style's map{}. */
void cor__map_page(const cor_map_t *map, double *w, double *h, double *dpi);
/* Sets up the view for the page: CRS, area, scale. On success v->crs is owned by the caller. */
cor_status_t cor__map_view(cor_map_t *map, cor__view_t *v, cor_error_t *err);
/* Fits `area` (CRS units) into a page of v->width x v->height; sets box, scale, clip. */
void cor__view_fit(cor__view_t *v, cor_bbox_t area);

/* Renders into `cr`, with text to `svg` when not NULL; with cr NULL, a dry run (cor_map_check).
 * Implemented in render.c. */
cor_status_t cor__map_render(cor_map_t *map, cairo_t *cr, cor__buf_t *svg, cor_error_t *err);

#endif
