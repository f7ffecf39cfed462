/* SPDX-License-Identifier: MIT */
/* overlay: the model of the story drawn over the map: routes, flows, markers, areas and
 * callouts as scripts and the C API declare them, their places (names or coordinates), groups
 * that hide together, the kinds' default looks, flow widths, and one validator per kind for the
 * public specs. Resolves place names through the gazetteer. Knows no Lua, no files and no
 * drawing: cairo and text types stay out of this header (overlay_draw.h draws). */
#ifndef COR_OVERLAY_H
#define COR_OVERLAY_H

#include <stdbool.h>
#include <stddef.h>

#include "corridor.h"
#include "gazetteer.h"
#include "style.h"

typedef enum cor__ov_kind {
    COR__OV_ROUTE = 0, /* a line through places */
    COR__OV_FLOW,      /* an arrow from one place to another, width by value */
    COR__OV_MARKER,    /* a symbol at a place */
    COR__OV_AREA,      /* a highlighted polygon given by coordinates */
    COR__OV_CALLOUT,   /* text with a leader line to a place */
} cor__ov_kind_t;

typedef enum cor__arrow {
    COR__ARROW_NONE = 0,
    COR__ARROW_START,
    COR__ARROW_END,
    COR__ARROW_BOTH,
} cor__arrow_t;

/* A place: a name for the gazetteer, or coordinates when name is NULL. */
typedef struct cor__ov_place {
    char *name; /* owned */
    double lon, lat;
    bool resolved; /* coordinates are valid */
} cor__ov_place_t;

typedef struct cor__overlay {
    cor__ov_kind_t kind;
    char *group; /* overlays of a group are hidden together, e.g. "potash" */
    char *file;  /* where it was declared, for messages */
    int line;
    cor__ov_place_t *places; /* route: its path; flow: from, via..., to; marker, callout: one;
                                area: a ring */
    size_t nplaces;
    cor__look_t look; /* stroke, width, dash, casing, fill, opacity; marker and size */
    cor__arrow_t arrow;
    bool blocked; /* route: no longer operating: dashed, with a barrier mark */
    bool has_cut; /* route: where the barrier goes; else the middle of the route */
    cor__ov_place_t cut;
    bool schematic;    /* the path is approximate: the label says so */
    double value;      /* flow: drives the width; a band: its largest value; a route: > 0
                          puts its width on the flow scale */
    bool band;         /* flow: a band along its places, values[k] wide at place k */
    double *values;    /* band: one value per place; owned */
    char **vlabels;    /* band: NULL, or one text per place (NULL: none), "{value}" expanded;
                          owned */
    bool curve;        /* band: smoothed through its places */
    double bend;       /* flow: curvature as a share of the chord; NAN for the default */
    char *label;       /* text drawn with the overlay, NULL for none */
    double label_size; /* pt; 0 for the default */
    cor_color_t label_color;
    double dx, dy;   /* callout: the text's offset from the place, pt */
    bool hatch;      /* area: hatched instead of filled */
    char *legend;    /* legend entry, NULL for none */
    double priority; /* for its label; cor__overlays_add() sets COR__OV_PRIORITY, above all
                        map labels */
} cor__overlay_t;

/* The default priority of an overlay's label: above any map label (which rank by population). */
#define COR__OV_PRIORITY 1e9

typedef struct cor__overlays {
    cor__overlay_t *items;
    size_t n, cap;
    double flow_max_width; /* pt: the width of the largest flow; 0 for the default (9 pt) */
    double flow_min_width; /* pt: the readable minimum; 0 for the default (1.2 pt) */
    double flow_scale_value, flow_scale_width; /* a flow of this value is this wide (pt), for
                                                  every flow, band and valued route of the map;
                                                  0: the largest value is flow_max_width wide */
    char **hidden;                             /* groups turned off */
    size_t nhidden;
    size_t draw_from, draw_to; /* cor__overlays_draw*() draws items [from, to) only, so other
                                  drawing can go between them; to == 0: all. Widths still scale
                                  with the largest flow of the whole set. */
} cor__overlays_t;

/* Appends a zeroed overlay of `kind` (bend NAN, opacity 1, priority COR__OV_PRIORITY).
 * Returns: it (valid until the next add), NULL on exhaustion. */
cor__overlay_t *cor__overlays_add(cor__overlays_t *o, cor__ov_kind_t kind);
/* Appends a place to an overlay (name copied; NULL name for coordinates). Returns: false on
 * exhaustion. */
bool cor__overlay_add_place(cor__overlay_t *ov, const char *name, double lon, double lat);
/* Sets a route's cut place (name copied; NULL name for coordinates) and has_cut. Returns: false
 * on exhaustion. */
bool cor__overlay_set_cut(cor__overlay_t *ov, const char *name, double lon, double lat);
/* Releases everything the set owns (not the struct) and zeroes it. */
void cor__overlays_clear(cor__overlays_t *o);
/* Releases the overlays from index n on (a failed declaration's), keeping the first n. */
void cor__overlays_truncate(cor__overlays_t *o, size_t n);
/* The look an overlay of `kind` has when its declaration sets nothing: a 2.2 pt dark-brown route,
 * a red flow at 0.85 opacity, an 8 pt dark dot with a white contour, a translucent orange area
 * with an outline, a callout with a thin dark border; round caps and joins, casing colour white
 * (off). */
void cor__overlay_default_look(cor__ov_kind_t kind, cor__look_t *look);
/* Hides a group. Returns: false on exhaustion. */
bool cor__overlays_hide(cor__overlays_t *o, const char *group);
bool cor__overlay_visible(const cor__overlays_t *o, const cor__overlay_t *ov);
/* Returns: true when `group` (may be NULL) has been hidden; layers of a group use it too. */
bool cor__overlays_group_hidden(const cor__overlays_t *o, const char *group);

/* Resolves every place name of the visible overlays.
 * Returns: COR_OK; COR_ERR_NOTFOUND "<file>:<line>: unknown place 'Klaipda' (did you mean
 * Klaipėda?)". */
cor_status_t cor__overlays_resolve(cor__overlays_t *o, const cor__gazetteer_t *g, cor_error_t *err);

/* What a schematic overlay's label and legend text end with: " (route approximate)" for routes,
 * " (path approximate)" for flows, " (location approximate)" for the rest; "" when the overlay
 * is not schematic. Returns: a static string. */
const char *cor__overlay_note(const cor__overlay_t *ov);

/* Returns: v when it is a positive finite number (a setting that was given), else def. */
double cor__overlay_setting(double v, double def);
/* The largest value among visible flows, bands and routes with a value (0 when there are
 * none): what the map's flow scale is drawn to, unless a flow_scale is set. */
double cor__overlays_max_flow(const cor__overlays_t *o);
/* The width in pt of a flow of `value` when the largest is `max_value`: proportional on the
 * map's one scale (the set's flow_scale when given, else max_value at flow_max_width), never
 * below the readable minimum. */
double cor__flow_width(const cor__overlays_t *o, double value, double max_value);
/* Returns: the value below which flows are drawn at the readable minimum rather than in
 * proportion, on the scale cor__flow_width() uses (0 when there is no scale: max_value is not
 * a positive number and no flow_scale is set). */
double cor__flow_min_value(const cor__overlays_t *o, double max_value);
/* Returns: the width in pt the flow overlay `ov` is drawn at when the largest visible value is
 * `max`: from its value, else its look's width, else the readable minimum. */
double cor__overlay_flow_width(const cor__overlays_t *o, const cor__overlay_t *ov, double max);
/* Returns: the width in pt of a band at a place of value v when the largest visible value is
 * `max`: 0 for 0, else as cor__flow_width() (never below the readable minimum). */
double cor__band_width(const cor__overlays_t *o, double v, double max);

/* ---- the public specs: one validator per kind ----
 * Each checks a public spec field by field, converts it and appends the overlay (the kind's
 * default look under what the spec sets; file NULL and line 0, for the caller to fill), so the
 * C API and the script reader share one set of rules and messages. The message names the field
 * as a style author writes it ("width: 200 is out of range (0 to 100 pt)", "place 2: ...",
 * "route{} needs at least two places, got 1"). Zero and NULL fields take the kind's default. Look
 * values (colours, widths, sizes, label_size, opacity, dash, cap, join, symbol) are checked by
 * cor__prop_check(), as a layer's property of the same meaning: lengths 0..100 pt, opacity
 * 0..1, at most COR__LIST_MAX dash entries, each above 0 and at most 1000 pt.
 * Returns: COR_OK with the overlay last in the set; COR_ERR_USAGE with the set as it was;
 * COR_ERR_NOMEM. */
cor_status_t cor__overlay_add_route(cor__overlays_t *o, const cor_route_t *spec, cor_error_t *err);
cor_status_t cor__overlay_add_flow(cor__overlays_t *o, const cor_flow_t *spec, cor_error_t *err);
cor_status_t cor__overlay_add_marker(cor__overlays_t *o, const cor_marker_t *spec,
                                     cor_error_t *err);
cor_status_t cor__overlay_add_area(cor__overlays_t *o, const cor_area_t *spec, cor_error_t *err);
cor_status_t cor__overlay_add_callout(cor__overlays_t *o, const cor_callout_t *spec,
                                      cor_error_t *err);

/* The limits of an overlay declaration, the same from scripts and from C. */
#define COR__OV_ROUTE_MIN  2      /* places of a route, at least */
#define COR__OV_AREA_MIN   3      /* points of an area's ring, at least */
#define COR__OV_PLACES_MAX 100000 /* places of a route, via places of a flow, area points */
#define COR__OV_BEND_MAX   2.0    /* |bend| of a flow, as a share of its chord */
#define COR__OV_OFFSET_MAX 2000.0 /* |dx| and |dy| of a callout's box, pt */
#define COR__OV_GROUP_MAX  256    /* bytes of a group name */

#endif
