/* SPDX-License-Identifier: MIT */
/* corridor.h: the one public header of the corridor map renderer.
 *
 * A map is built from a style (a sandboxed Lua file) or from bare shapefiles, projected with PROJ
 * and drawn with cairo into PNG, SVG or PDF, or into a cairo context the caller owns. Every
 * function that can fail returns a cor_status_t and, when `err` is not NULL, fills it with a
 * one-line message that names the file, line or feature at fault. The library never prints and
 * never exits.
 *
 * Ownership: a `cor_*_new` / `cor_*_read` gives the caller an object to release with the matching
 * `cor_*_free` (which accepts NULL). `T **out` parameters are written only on success. Strings
 * passed in are copied; strings returned from `cor_*_get_*` are borrowed and live as long as their
 * object.
 */
#ifndef CORRIDOR_H
#define CORRIDOR_H

#include <stdbool.h>
#include <stddef.h>

#include <cairo.h>

#ifdef __cplusplus
extern "C" {
#endif

/* COR_VERSION_MAJOR, _MINOR, _PATCH and COR_VERSION ("0.1.0"), from the build's one version. */
#include "corridor_version.h"

/* Kinds of failure. The CLI exits with the numeric value, so they stay below 64. */
typedef enum cor_status {
    COR_OK = 0,
    COR_ERR_INTERNAL = 1, /* an unexpected failure inside corridor or a dependency */
    COR_ERR_USAGE = 2,    /* a bad argument: unknown option, malformed size or extent */
    COR_ERR_IO = 3,       /* a file cannot be opened, read or written */
    COR_ERR_DATA = 4,     /* a data file is malformed: shapefile, GeoJSON, CSV */
    COR_ERR_STYLE = 5,    /* a style or overlay script failed: syntax, runtime error, limits */
    COR_ERR_CRS = 6,      /* a CRS cannot be understood, or nothing of the map can be projected */
    COR_ERR_LIMIT = 7,    /* a size or count beyond what corridor accepts */
    COR_ERR_NOMEM = 8,    /* out of memory */
    COR_ERR_NOTFOUND = 9, /* a named place, layer, style or data directory does not exist */
    COR_ERR_RENDER = 10,  /* cairo could not draw or encode the output */
} cor_status_t;

#define COR_ERROR_MAX 1024

/* An error: the code and a message naming what failed. The first error set wins. */
typedef struct cor_error {
    cor_status_t code;
    char message[COR_ERROR_MAX];
} cor_error_t;

/* Resets `err` to COR_OK with an empty message. Accepts NULL. */
void cor_error_clear(cor_error_t *err);

/* A short name for a status ("data error", "CRS error", ...). Returns: a static string. */
const char *cor_status_name(cor_status_t status);

/* Returns: the library's version string, e.g. "0.1.0" (static). */
const char *cor_version(void);

/* An axis-aligned box. In degrees (lon/lat) wherever the API says "extent". */
typedef struct cor_bbox {
    double minx, miny, maxx, maxy;
} cor_bbox_t;

/* A colour with components in 0..1. */
typedef struct cor_color {
    double r, g, b, a;
} cor_color_t;

/* Parses "#rgb", "#rrggbb", "#rrggbbaa" or a CSS colour name into `out`.
 * Returns: true on success; `out` is untouched on failure. */
bool cor_color_parse(const char *text, cor_color_t *out);

typedef enum cor_format {
    COR_FORMAT_AUTO = 0, /* from the output file's extension */
    COR_FORMAT_PNG,
    COR_FORMAT_SVG,
    COR_FORMAT_PDF,
} cor_format_t;

/* Parses "png", "svg" or "pdf" (any case). Returns: COR_FORMAT_AUTO when unknown. */
cor_format_t cor_format_parse(const char *name);

/* The format implied by a file name's extension. Returns: COR_FORMAT_AUTO when none matches. */
cor_format_t cor_format_from_path(const char *path);

/* ---- page sizes ---------------------------------------------------------------------------- */

/* Parses a page size as people write it: "WIDTHxHEIGHT" with an optional unit, px (the
 * default, at `dpi` dots per inch), pt, in, mm or cm ("2400x1800", "180x120mm", "8 x 6 in").
 * Numbers are plain decimals. Any output pointer may be NULL; *pixels says the size was in
 * pixels. Returns: COR_OK; COR_ERR_USAGE naming the text when it is not a size (or is in
 * pixels and dpi is not positive). Sizes are not checked against limits here: see
 * cor_map_set_page(). */
cor_status_t cor_page_size_parse(const char *text, double dpi, double *width_pt, double *height_pt,
                                 bool *pixels, cor_error_t *err);

/* The size of a paper in points, by name in any case: A3, A4, A5, Letter, Legal, Tabloid;
 * portrait unless `landscape`. Any output pointer may be NULL.
 * Returns: COR_OK; COR_ERR_USAGE naming the paper when unknown. */
cor_status_t cor_paper_size(const char *name, bool landscape, double *width_pt, double *height_pt,
                            cor_error_t *err);

/* Parses an extent as a command line gives it: "W,S,E,N", four plain decimals in degrees
 * (optional sign, spaces around them; no hexadecimal, infinity or NaN), e.g. "20,44,41,57".
 * Whether the box is a sound extent is cor_map_set_extent()'s to check.
 * Returns: COR_OK and *out; COR_ERR_USAGE naming the text. *out is written only on success. */
cor_status_t cor_extent_parse(const char *text, cor_bbox_t *out, cor_error_t *err);

/* Returns: the name of the i-th known paper size ("A3", ...; static), NULL past the last. */
const char *cor_paper_name(size_t i);

/* ---- locating the shipped data ------------------------------------------------------------ */

/* Finds the directory that holds corridor's `styles/` and `geodata/`: `override` when not NULL,
 * else $CORRIDOR_DATA_DIR, else share/corridor relative to the installed library itself (found
 * with dladdr: any program linked to an installed libcorridor finds the data wherever the prefix
 * is), else relative to the running executable, else the configured install directory, else the
 * source tree the library was built from.
 * Returns: COR_OK and the directory in `buf`; COR_ERR_NOTFOUND when none holds styles/default.lua.
 */
cor_status_t cor_data_dir_find(const char *override, char *buf, size_t bufsize, cor_error_t *err);

/* ---- the map ------------------------------------------------------------------------------ */

typedef struct cor_map cor_map_t;

/* Creates an empty map: no layers, lon/lat, 2400x1800 px at 300 dpi, data directory unset.
 * Returns: COR_OK and a map in `*out`, to be released with cor_map_free(). */
cor_status_t cor_map_new(cor_map_t **out, cor_error_t *err);

/* Releases the map and everything it owns. Accepts NULL. */
void cor_map_free(cor_map_t *map);

/* Sets the directory whose geodata/ resolves the layer names a style uses ("countries").
 * Returns: COR_OK, or COR_ERR_NOTFOUND when it is not a directory. */
cor_status_t cor_map_set_data_dir(cor_map_t *map, const char *dir, cor_error_t *err);

/* Runs a style file (Lua, sandboxed) that sets the view and adds layers and overlays.
 * Returns: COR_OK; COR_ERR_STYLE naming the file and line on any error in it. */
cor_status_t cor_map_load_style(cor_map_t *map, const char *path, cor_error_t *err);

/* Adds a shapefile drawn with a default look for its geometry type, on top of existing layers.
 * A map with only such layers is fitted to their extent in the first layer's CRS.
 * Returns: COR_OK; COR_ERR_IO / COR_ERR_DATA naming the file when it cannot be read. */
cor_status_t cor_map_add_layer(cor_map_t *map, const char *shp_path, cor_error_t *err);

/* Adds an overlay file on top of the map: a Lua script using the overlay API (route{}, flow{},
 * marker{}, area{}, callout{}, layer{}; run sandboxed) or a GeoJSON file drawn with its
 * simplestyle-spec properties. Overlays are drawn in the order added, scripts and GeoJSON alike.
 * Returns: COR_OK; COR_ERR_STYLE ("<file>:<line>: <what>") for a script; COR_ERR_DATA naming the
 * file and feature for GeoJSON; COR_ERR_IO; COR_ERR_USAGE for another extension. */
cor_status_t cor_map_add_overlay(cor_map_t *map, const char *path, cor_error_t *err);

/* Sets the output CRS: an EPSG code ("EPSG:3035"), a PROJ string or WKT.
 * Returns: COR_OK; COR_ERR_CRS when PROJ does not understand it or it is not a 2D map CRS. */
cor_status_t cor_map_set_crs(cor_map_t *map, const char *definition, cor_error_t *err);

/* Sets the area to show, in degrees. The map is widened to the page's aspect ratio around it.
 * Returns: COR_OK; COR_ERR_USAGE when the box is empty or outside -180..180, -90..90. */
cor_status_t cor_map_set_extent(cor_map_t *map, cor_bbox_t lonlat, cor_error_t *err);

/* Sets the page: its size in points (1/72 in) and the raster resolution in dots per inch.
 * A PNG's pixel count is checked when it is rendered, since vector output has no raster.
 * Returns: COR_OK; COR_ERR_LIMIT when the page (1..14400 pt a side) or dpi (10..2400) is absurd. */
cor_status_t cor_map_set_page(cor_map_t *map, double width_pt, double height_pt, double dpi,
                              cor_error_t *err);

/* Sets the page from a raster size in pixels at `dpi` dots per inch.
 * Returns: as cor_map_set_page(). */
cor_status_t cor_map_set_size_px(cor_map_t *map, int width_px, int height_px, double dpi,
                                 cor_error_t *err);

/* The most threads cor_map_set_threads() accepts. */
#define COR_MAX_THREADS 64

/* Sets how many threads a render may use, the caller's included (1, the default: the caller's
 * only; 0: one per online processor); a PNG is deflated on them. The bytes written are the same
 * whatever the number.
 * Returns: COR_OK; COR_ERR_USAGE for a number below 0 or above COR_MAX_THREADS. */
cor_status_t cor_map_set_threads(cor_map_t *map, int threads, cor_error_t *err);

/* Reads the page size in points and the dpi. Any output pointer may be NULL. */
void cor_map_get_page(const cor_map_t *map, double *width_pt, double *height_pt, double *dpi);

/* Renders the map to a file. The file is written under a temporary name and renamed when
 * complete, so a failed render leaves no file behind.
 * Returns: COR_OK; the first error met while reading, projecting or drawing. */
cor_status_t cor_map_render_file(cor_map_t *map, const char *path, cor_format_t format,
                                 cor_error_t *err);

/* ---- embedding: maps in memory -------------------------------------------------------------
 * The calls below are for programs that put maps into documents of their own. */

/* Renders the map into memory as the file cor_map_render_file() would write: the same bytes,
 * for `format` COR_FORMAT_PNG, COR_FORMAT_SVG or COR_FORMAT_PDF (not AUTO: there is no name).
 * Returns: COR_OK and *data (*len bytes), to release with cor_buffer_free(); COR_ERR_USAGE for a
 * NULL pointer or no format; otherwise as cor_map_render_file(). *data and *len are written
 * only on success. */
cor_status_t cor_map_render_buffer(cor_map_t *map, cor_format_t format, void **data, size_t *len,
                                   cor_error_t *err);

/* Releases a buffer from cor_map_render_buffer(). Accepts NULL. */
void cor_buffer_free(void *data);

/* Runs a style given as text (`len` bytes; it need not end in NUL), as cor_map_load_style()
 * runs a file: `name` stands for the file in messages ("<stdin>:3: ...") and its directory is
 * where the files the style reads are looked for ("<stdin>": the current directory).
 * Returns: as cor_map_load_style(); COR_ERR_USAGE for a NULL map or text or an empty name. */
cor_status_t cor_map_load_style_string(cor_map_t *map, const char *name, const char *text,
                                       size_t len, cor_error_t *err);

/* Adds an overlay given as text, as cor_map_add_overlay() adds a file: GeoJSON when its first
 * character other than white space is '{', else a Lua overlay script; `name` stands for the file
 * in messages and names the group of what a script declares, by its stem.
 * Returns: as cor_map_add_overlay(); COR_ERR_USAGE for a NULL map or text or an empty name. */
cor_status_t cor_map_add_overlay_string(cor_map_t *map, const char *name, const char *text,
                                        size_t len, cor_error_t *err);

/* Renders the map into a cairo context the caller owns, with user units in points and the page's
 * top-left corner at the origin. The context's state is saved and restored.
 * Returns: COR_OK; the first error met. */
cor_status_t cor_map_render_cairo(cor_map_t *map, cairo_t *cr, cor_error_t *err);

/* Returns: true when the map's style declared a map{} or layers of its own (as opposed to a file
 * that only declares overlays). */
bool cor_map_is_style(const cor_map_t *map);

/* Checks a map without drawing it: resolves the view, opens every layer, and runs every
 * per-feature function of the style on the features in view.
 * Returns: COR_OK; the first error a render would meet before drawing. */
cor_status_t cor_map_check(cor_map_t *map, cor_error_t *err);

/* Warnings: what the map's renders and checks said besides their result, each a line, kept
 * once however often it recurs, in the order met: input read in spite of something ("x.shp: 2
 * attribute values are not valid UTF-8 text ...", "x.shp: no .shx beside it: the index was
 * rebuilt from the .shp's record headers") and maps that render but are surely wrong (nothing
 * in view, a CRS that turns the view over or stretches it). They never fail a render. They
 * accumulate until cleared: a program that renders a map several times reads and clears them
 * after each.
 * Returns: how many there are; the i-th as one line (borrowed, valid until the next clear or
 * cor_map_free), NULL past the last or for a NULL map. */
size_t cor_map_warning_count(const cor_map_t *map);
const char *cor_map_warning(const cor_map_t *map, size_t i);
/* Forgets the warnings. Accepts NULL. */
void cor_map_clear_warnings(cor_map_t *map);

/* What the last render did, for verbose output and tests. */
typedef struct cor_render_stats {
    long features_read;      /* features that touched the view */
    long features_drawn;     /* features drawn (after filters) */
    long points_unprojected; /* vertices PROJ could not transform, dropped */
    long labels_placed;
    long labels_dropped; /* labels that found no free place */
} cor_render_stats_t;

/* Copies the statistics of the last render into `out` (zeros for a NULL map; nothing for a NULL
 * `out`). A macro passing the struct's size, as the overlay calls below do: a program built
 * against an older corridor.h gets the fields it knows. */
#define cor_map_get_stats(map, out)                                                                \
    cor_map_get_stats_sized((map), (out), sizeof(cor_render_stats_t))
void cor_map_get_stats_sized(const cor_map_t *map, cor_render_stats_t *out, size_t size);

/* ---- overlays from C ------------------------------------------------------------------------
 * The same overlays a script declares with route{}, flow{}, marker{}, area{} and callout{}. The
 * spec structs are read during the call and may go afterwards; strings are copied. Zero or NULL
 * fields take the kind's default (as in scripts). Place names are resolved when the map is
 * rendered, so an unknown name fails the render (COR_ERR_NOTFOUND, with suggestions). */

/* A place: a name for the gazetteer ("Klaipėda", "Brest, BY"), or coordinates when name is NULL. */
typedef struct cor_place {
    const char *name;
    double lon, lat;
} cor_place_t;

/* How an overlay looks. Colours as in styles ("#rrggbb", "#rgb", CSS names; "none": no colour);
 * lengths 0..100 pt; dash entries above 0 and at most 1000 pt. */
typedef struct cor_overlay_look {
    const char *stroke, *fill, *casing;
    double width;        /* pt (routes, areas, marker outlines); 0 means the default */
    double casing_width; /* pt added to the width; 0 means the default (1 pt with a casing) */
    double opacity;      /* 0..1; 0 means the default */
    const double *dash;  /* pt, ndash entries (at most 8) */
    size_t ndash;
    const char *symbol; /* markers: circle, square, triangle, diamond, star, cross, capital,
                           port, mine, border, airport, rail; none for no symbol */
    double size;        /* markers, pt; 0 means the default */
    bool hatch;         /* areas: hatched instead of filled */
} cor_overlay_look_t;

/* Text that goes with an overlay; all optional. */
typedef struct cor_overlay_text {
    const char *label;  /* drawn on the map */
    const char *legend; /* the overlay's legend entry */
    const char *group;  /* overlays of a group can be hidden together; not empty, <= 256 bytes */
    double label_size;  /* pt, 0..100; 0: the default (7.5 pt) */
    const char *label_color; /* NULL: a dark shade of the overlay's own colour */
    bool has_priority;       /* else the label ranks above every map label */
    double priority;         /* the label's rank: higher is placed first; map labels rank by
                                population */
} cor_overlay_text_t;

typedef enum cor_arrow {
    COR_ARROW_DEFAULT = 0, /* routes and flows: at the end */
    COR_ARROW_NONE,
    COR_ARROW_START,
    COR_ARROW_END,
    COR_ARROW_BOTH,
} cor_arrow_t;

typedef struct cor_route {
    const cor_place_t *places; /* at least two */
    size_t nplaces;
    bool blocked;           /* dashed, with a barrier mark at `cut` (else the middle) */
    const cor_place_t *cut; /* may be NULL */
    bool schematic;         /* the path is approximate: label and legend say so */
    cor_arrow_t arrow;
    cor_overlay_look_t look;
    cor_overlay_text_t text;
    const char *cap;  /* line ends: "butt", "round" or "square"; NULL: round */
    const char *join; /* corners: "miter", "round" or "bevel"; NULL: round */
    double value;     /* > 0: the width is this value's on the map's flow scale (look.width is
                         then not used); 0: look.width */
} cor_route_t;

/* A flow from one place to another, or a band along a path (`path` set): one continuous band
 * whose width at each place is its value on the map's one flow scale, tapering between them. */
typedef struct cor_flow {
    cor_place_t from, to;   /* a band: not used (both left zero) */
    const cor_place_t *via; /* places the curve passes through; may be NULL; a band: none */
    size_t nvia;
    double value;  /* drives the width; >= 0; a band: 0 (its values drive it) */
    bool has_bend; /* else the default curvature; a band: false (curve smooths it) */
    double bend;   /* share of the chord, -2..2; negative bends left */
    bool schematic;
    cor_overlay_look_t look;
    cor_overlay_text_t text;
    cor_arrow_t arrow;       /* one head at most: COR_ARROW_END (the default) or _NONE */
    const cor_place_t *path; /* a band: its places in order, at least two; NULL: a flow */
    size_t npath;
    const double *values;      /* a band: npath values >= 0, one per place (0: no width) */
    bool curve;                /* a band: a smooth curve through its places, not straight pieces */
    const char *const *labels; /* a band: NULL, or npath texts (NULL: none) drawn beside its
                                  places; "{value}" becomes the place's value ("320,000") */
} cor_flow_t;

typedef struct cor_marker {
    cor_place_t at;
    cor_overlay_look_t look;
    cor_overlay_text_t text;
} cor_marker_t;

typedef struct cor_area {
    const cor_place_t *ring; /* at least three */
    size_t n;
    cor_overlay_look_t look;
    cor_overlay_text_t text;
} cor_area_t;

typedef struct cor_callout {
    cor_place_t at;
    const char *text; /* may hold '\n' */
    double dx, dy;    /* the box's offset from the place, -2000..2000 pt; both 0: the default */
    const char *group;
    cor_overlay_look_t look; /* stroke and width: the box's border and the leader (thinned to
                                1.5 pt); fill: the box; opacity */
    const char *legend;      /* its legend entry (text only: a callout has no key) */
    double label_size;       /* pt, 0..100; 0: the default (7 pt) */
    const char *label_color; /* NULL: near-black */
    bool has_priority;       /* kept as scripts keep it; a callout's text is always drawn */
    double priority;
} cor_callout_t;

/* Add an overlay to the map, checked as a script's declaration is: the same limits and, but for
 * the script's file and line, the same message for the same mistake ("width: 200 is out of
 * range (0 to 100 pt)", "route{} needs at least two places, got 1"). A colour "none" turns
 * that colour off; a route's `cut` needs `blocked`; a casing without casing_width is 1 pt wide.
 * Returns: COR_OK; COR_ERR_USAGE naming the field that is wrong (too few places, a colour that
 * does not parse, a value out of range), and the map is as it was; COR_ERR_NOMEM.
 *
 * ABI: later releases add fields only at the end of cor_route_t, cor_flow_t, cor_marker_t,
 * cor_area_t, cor_callout_t and cor_render_stats_t (cor_place_t, cor_overlay_look_t and
 * cor_overlay_text_t keep their layout). The calls are macros that add the size of the struct your
 * program was compiled with as the last argument of the _sized function the library exports: built
 * against an older corridor.h, the fields you do not know read as zero (their defaults); built
 * against a newer one, the call is refused (COR_ERR_USAGE) unless the fields this library does not
 * know are all zero. Start specs from zero (`= {0}` or designated initialisers). Bindings from
 * other languages call the _sized functions with the struct's size. */
#define cor_map_add_route(...)   cor_map_add_route_sized(__VA_ARGS__, sizeof(cor_route_t))
#define cor_map_add_flow(...)    cor_map_add_flow_sized(__VA_ARGS__, sizeof(cor_flow_t))
#define cor_map_add_marker(...)  cor_map_add_marker_sized(__VA_ARGS__, sizeof(cor_marker_t))
#define cor_map_add_area(...)    cor_map_add_area_sized(__VA_ARGS__, sizeof(cor_area_t))
#define cor_map_add_callout(...) cor_map_add_callout_sized(__VA_ARGS__, sizeof(cor_callout_t))
cor_status_t cor_map_add_route_sized(cor_map_t *map, const cor_route_t *route, cor_error_t *err,
                                     size_t size);
cor_status_t cor_map_add_flow_sized(cor_map_t *map, const cor_flow_t *flow, cor_error_t *err,
                                    size_t size);
cor_status_t cor_map_add_marker_sized(cor_map_t *map, const cor_marker_t *marker, cor_error_t *err,
                                      size_t size);
cor_status_t cor_map_add_area_sized(cor_map_t *map, const cor_area_t *area, cor_error_t *err,
                                    size_t size);
cor_status_t cor_map_add_callout_sized(cor_map_t *map, const cor_callout_t *callout,
                                       cor_error_t *err, size_t size);

/* Hides every overlay (and overlay layer) of a group, e.g. "potash" on the default map.
 * Returns: COR_OK; COR_ERR_NOMEM. */
cor_status_t cor_map_hide_group(cor_map_t *map, const char *group, cor_error_t *err);

/* ---- embedding: a map built from C --------------------------------------------------------
 * For report generators: the map's texts and legend, layers with a look, and where a place
 * lands on the page, so a caller can draw its own annotations in its own cairo context. */

/* Set the title, the line under it, and the credits along the bottom (NULL: none); what a style
 * loaded afterwards says replaces them, so call these after cor_map_load_style().
 * Returns: COR_OK; COR_ERR_USAGE for a NULL map; COR_ERR_NOMEM. */
cor_status_t cor_map_set_title(cor_map_t *map, const char *title, cor_error_t *err);
cor_status_t cor_map_set_subtitle(cor_map_t *map, const char *subtitle, cor_error_t *err);
cor_status_t cor_map_set_credits(cor_map_t *map, const char *credits, cor_error_t *err);

/* Sets where the legend goes: "top-left", "top-right", "bottom-left", "bottom-right", "auto"
 * (the freest corner) or "none". Returns: COR_OK; COR_ERR_USAGE naming the text otherwise. */
cor_status_t cor_map_set_legend(cor_map_t *map, const char *corner, cor_error_t *err);

/* Adds a shapefile drawn with a look, as cor_map_add_layer() does with the default look. `look`
 * is a list of key, value strings ending in NULL, with the keys and values of a style's layer{}
 * written as text: {"fill", "#d8c8a0", "stroke", "none", "width", "0.8", "dash", "6,3",
 * "label", "{name}", "label_size", "8", "legend", "Regions", NULL}; `name`, `legend` and
 * `group` too. NULL or an empty list: the default look. Keys and values are checked as a
 * style's are, before anything is added.
 * Returns: COR_OK; COR_ERR_USAGE naming the key that is unknown, lacks a value or has a bad
 * one (and the map is as it was); the errors of cor_map_add_layer(). */
cor_status_t cor_map_add_styled_layer(cor_map_t *map, const char *shp_path, const char *const *look,
                                      cor_error_t *err);

/* Where the map puts places: lon/lat degrees to page points (origin top-left, as in
 * cor_map_render_cairo()) and back, for the map's view as the next render would set it up.
 * Made for one map and valid until its view changes (page, CRS, extent, style); not to be used
 * by two threads at once. */
typedef struct cor_page_transform cor_page_transform_t;

/* Sets up the map's view (opening its layers when the extent comes from them) and returns the
 * transform. Returns: COR_OK and *out, to release with cor_page_transform_free(); the errors a
 * render would meet setting up its view (COR_ERR_CRS, COR_ERR_DATA, COR_ERR_USAGE for a map
 * with nothing to draw). */
cor_status_t cor_map_page_transform(cor_map_t *map, cor_page_transform_t **out, cor_error_t *err);

/* Converts lon/lat to page points. Returns: false when the place cannot be projected. */
bool cor_page_transform_to_page(cor_page_transform_t *t, double lon, double lat, double *x,
                                double *y);

/* Converts page points to lon/lat. Returns: false when the point has no lon/lat. */
bool cor_page_transform_to_lonlat(cor_page_transform_t *t, double x, double y, double *lon,
                                  double *lat);

/* Releases a transform. Accepts NULL. */
void cor_page_transform_free(cor_page_transform_t *t);

/* ---- atlases: one map per feature -----------------------------------------------------------
 * A layer's features listed with their extents, and a map zoomed to one of them. */

/* One feature of a layer. Callers index arrays of it, so its layout is fixed for the ABI:
 * what later releases add comes through functions, not new fields. */
typedef struct cor_feature_info {
    long index;        /* its record number, from 0 */
    char *name;        /* the value of the field asked for, as text ("" when null) */
    bool has_extent;   /* false for a null shape, or one PROJ cannot place */
    cor_bbox_t extent; /* in degrees (the layer's own coordinates when it has no CRS) */
} cor_feature_info_t;

/* Features in record order. Built by cor_map_list_features(), released with
 * cor_feature_list_free(). */
typedef struct cor_feature_list {
    size_t n;
    cor_feature_info_t *items;
} cor_feature_list_t;

/* Lists the features of `layer` (a layer of the data directory, "regions", or a path to a .shp),
 * named by `field` (NULL: "name"), only those whose `where_field` reads `where_value` as text
 * when where_field is not NULL ("iso_a2", "BY").
 * Returns: COR_OK and *out; COR_ERR_NOTFOUND naming the layer's fields when a field does not
 * exist; COR_ERR_USAGE for NULL arguments; COR_ERR_NOTFOUND for an
 * unknown geodata layer name (with the nearest names); the errors of opening the layer. */
cor_status_t cor_map_list_features(cor_map_t *map, const char *layer, const char *field,
                                   const char *where_field, const char *where_value,
                                   cor_feature_list_t **out, cor_error_t *err);

/* Releases a list. Accepts NULL. */
void cor_feature_list_free(cor_feature_list_t *list);

/* Makes the map one page of an atlas: zooms to feature `index` of `layer` with `margin` (a share
 * of the feature's size, 0..10) on every side, gives the style's functions its attributes as the
 * global `atlas` (`fill = function(f) if f.name == atlas.name then ... end end`) and fills
 * `{field}` in the title and subtitle from them. Call after loading the style; call again for
 * the next feature. Returns: COR_OK; COR_ERR_NOTFOUND when there is no such feature;
 * COR_ERR_USAGE for bad arguments; the errors of opening the layer. */
cor_status_t cor_map_set_atlas_feature(cor_map_t *map, const char *layer, long index, double margin,
                                       cor_error_t *err);

/* ---- describing a shapefile --------------------------------------------------------------- */

typedef struct cor_field_info {
    char name[16];         /* the .dbf field name */
    const char *type_name; /* "String", "Integer", "Real", "Logical", "Date" (static) */
    int width;
    int decimals;
} cor_field_info_t;

typedef struct cor_layer_info {
    char *path;
    const char *geometry; /* "Point", "MultiPoint", "LineString", "Polygon", "MultiPatch",
                             with a "Z" or "M" suffix; "Null" (static) */
    long features;        /* records in the .shp */
    long null_features;   /* records with a null shape */
    bool has_extent;
    cor_bbox_t extent;           /* the .shp header's box, in the layer's own coordinates */
    char *crs_name;              /* the CRS's name from the .prj, NULL without one */
    char *crs_id;                /* "EPSG:4326" where PROJ identifies it, else NULL */
    char *encoding;              /* attribute encoding, e.g. "UTF-8", "ISO-8859-1", "CP1257" */
    const char *encoding_source; /* ".cpg", "DBF language driver" or "assumed" (static) */
    size_t nfields;
    cor_field_info_t *fields;
    /* Added in 0.1 (the struct is built only by cor_layer_info_read, so it grows at its end): */
    const char *format; /* "ESRI Shapefile" or "GeoJSON" (static) */
    char **samples;     /* read with cor_layer_info_sample() */
    /* Added in 0.2: */
    long invalid_text; /* field names and values whose text is not valid in the encoding: read
                          with U+FFFD in place of the bad bytes */
    size_t nwarnings;  /* what reading the file met, one line each, as cor_map_warning() gives */
    char **warnings;
    long deleted_features; /* records the .dbf marks deleted: counted in `features`, skipped */
} cor_layer_info_t;

/* How many values of each field an info keeps. */
#define COR_INFO_SAMPLES 3

/* Returns: the k-th of the first distinct non-empty values of field `field` (k below
 * COR_INFO_SAMPLES), as text; NULL past the last one. Borrowed from the info. */
const char *cor_layer_info_sample(const cor_layer_info_t *info, size_t field, size_t k);

/* Reads a shapefile's description (header, .prj, .cpg, .dbf fields and a few of their values)
 * without drawing it; a path ending in .geojson or .json is read as GeoJSON (fields from the
 * properties, the extent from the geometries, the CRS WGS 84, UTF-8).
 * Returns: COR_OK and an info to release with cor_layer_info_free(); COR_ERR_IO / COR_ERR_DATA. */
cor_status_t cor_layer_info_read(const char *shp_path, cor_layer_info_t **out, cor_error_t *err);

/* Releases an info. Accepts NULL. */
void cor_layer_info_free(cor_layer_info_t *info);

#ifdef __cplusplus
}
#endif

#endif /* CORRIDOR_H */
