/* overlay: the story drawn over the map: routes, flows, markers, areas and callouts. Holds what
 * scripts declare, resolves place names through the gazetteer, builds page-space geometry
 * (arrowheads sized to the line, curved flows that fan out and never overlap, barrier marks where
 * a blocked route is cut) and paints it. Labels go to the labeler; legend keys are drawn on
 * request. Knows no Lua and no files: places arrive as names or coordinates. */
#ifndef COR_OVERLAY_H
#define COR_OVERLAY_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "corridor.h"
#include "gazetteer.h"
#include "labeler.h"
#include "style.h"
#include "text.h"

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
    double value;      /* flow: drives the width */
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
    char **hidden;         /* groups turned off */
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

/* Longitude/latitude to page points; false when the point cannot be projected. */
typedef bool (*cor__to_page_fn)(void *ctx, double lon, double lat, double *x, double *y);

/* Draws the visible overlays: areas, then routes, flows, markers and callouts, each kind in
 * declaration order; adds their labels to `lb` (which may be NULL) and the lines, arrowheads,
 * symbols and callout boxes as obstacles, so no other label sits on them. Overlays whose places
 * are unresolved or cannot be projected are skipped. Callout text is drawn on the context.
 *
 * Geometry, in page points:
 * - Routes are densified every 0.05 degrees before projecting. An arrow's tip stops 5 pt short of
 *   its end place (the city dot stays visible) and the line stops under the head. A blocked route
 *   is dashed (its own dash, else about {1.8, 1.1} x width, at least {5, 3} pt) and carries a
 *   barrier: a bar across the line, 3.2 x width long (at least 8 pt), in the stroke colour over
 *   a mask in the casing colour (white without a casing) that opens a gap in the line, at the
 *   point of the route nearest `cut`, else at the middle of its length.
 * - Flows run from 5 pt beyond the origin to 5 pt before the destination (further when a marker
 *   overlay is bigger than a city dot), with an arrowhead at the destination (none when there is
 *   no room for it). Width from the value (else the look's width). Without via places a flow is
 *   an arc bulging `bend` x chord to the right of its direction (default 0.2; negative: left);
 *   with them, a smooth curve through every via place. Flows without via places between the
 *   same two places (either way round) form a bundle: parallel strands in declaration order
 *   (the first uppermost), each offset by the widths beside it plus 1.2 pt, gathering into the
 *   origin only within 4 pt of its end gap, and sharing one arrowhead sized to the bundle that
 *   is split into a slice per strand: no two flows' strokes meet but at the tip. Flows (and
 *   bundles) whose courses 15 pt from one origin lie less than 25 degrees apart get new bends
 *   that fan them out, unless their bend was given or they have via places.
 * - Callouts: the label in a white box centred (dx, dy) from the place (14 pt up and right when
 *   both are 0), a leader from a dot at the place to the box's nearest point.
 * - Labels: a route's along its straightest stretch on the page (the context's clip extents)
 *   away from other overlays' places, beside the line on the outside of its bends (horizontal,
 *   above its middle, when no stretch fits); flows' horizontal, beside the middle of the curve
 *   on the side it bulges to, a bundle's stacked there in the order of its strands; markers'
 *   around the symbol; areas' at the centroid. Schematic overlays append cor__overlay_note().
 *   Lines are no obstacle within 10 pt of their places, so the places' own labels may sit there.
 * Returns: COR_OK; COR_ERR_NOMEM; the labeler's and text errors. */
cor_status_t cor__overlays_draw(const cor__overlays_t *o, cairo_t *cr, cor__to_page_fn to_page,
                                void *ctx, cor__labeler_t *lb, cor_error_t *err);

/* As cor__overlays_draw(), drawing on to->cr and writing callout text to to->svg when set (so an
 * SVG keeps it as text); *skipped (when not NULL) counts the visible overlays left out because
 * their places are unresolved or cannot be projected. */
cor_status_t cor__overlays_draw_to(const cor__overlays_t *o, cor__textout_t *to,
                                   cor__to_page_fn to_page, void *ctx, cor__labeler_t *lb,
                                   size_t *skipped, cor_error_t *err);

/* What a schematic overlay's label and legend text end with: " (route approximate)" for routes,
 * " (path approximate)" for flows, " (location approximate)" for the rest; "" when the overlay
 * is not schematic. Returns: a static string. */
const char *cor__overlay_note(const cor__overlay_t *ov);

/* The largest value among visible flows (0 when there are none). */
double cor__overlays_max_flow(const cor__overlays_t *o);
/* The width in pt of a flow of `value` when the largest is `max_value`: proportional, never
 * below the readable minimum. */
double cor__flow_width(const cor__overlays_t *o, double value, double max_value);

/* An arrowhead for a line of width w ending at (x, y) heading along (dx, dy): the triangle's
 * three corners (tip first, then left and right of the direction of travel as seen on the page)
 * in pts, and how far a butt-capped line must stop short of the tip in *back so its end hides
 * under the head. Half-width 0.5 w + max(1.5, 0.55 w), at least 2.1 pt; length 2.1 x the
 * half-width, at least 5 pt. It is drawn swept: the back edge is notched to 0.8 of the length,
 * and *back lies between where the line's corners meet the sides and that notch. A zero
 * direction points along +x; a width that is not a positive number counts as 0. */
void cor__arrowhead(double x, double y, double dx, double dy, double w, double pts[6],
                    double *back);

/* Draws the overlay's key for a legend in the box (x, y, w, h), ink inside the box: a short line
 * with the route's look and arrow (and barrier when blocked), a slightly curved flow arrow at
 * its width (thinned to fit), a marker, an area swatch (hatched when hatched); nothing for a
 * callout. */
void cor__overlay_draw_key(cairo_t *cr, const cor__overlays_t *o, const cor__overlay_t *ov,
                           double x, double y, double w, double h);

#endif
