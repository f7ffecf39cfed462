/* SPDX-License-Identifier: MIT */
/* furniture: what frames a map for print: title block, legend, scale bar, graticule with labelled
 * ticks, north arrow, credits line, and the box a locator inset is drawn in. Laid out before the
 * labels are placed (its boxes become obstacles), drawn after them. Reads the map's view through
 * cor__frame_t; all text goes through text's textout, so SVG output keeps real text. What the
 * pipeline needs; the read-only queries of a finished layout are in furniture_query.h. */
#ifndef COR_FURNITURE_H
#define COR_FURNITURE_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "corridor.h"
#include "geom.h"
#include "labeler.h"
#include "overlay.h"
#include "project.h"
#include "style.h"
#include "text.h"

/* The map's view, as furniture needs it. Everything borrowed, and only during
 * cor__furniture_layout(). A CRS point (X, Y) is on the page at x = (X - box.minx) * scale,
 * y = (box.maxy - Y) * scale. With crs or proj NULL (raw coordinates) there is no scale bar,
 * north arrow or graticule. */
typedef struct cor__frame {
    double width, height, dpi; /* the page, pt */
    cor__proj_t *proj;
    const cor__crs_t *crs; /* the map's CRS */
    cor_bbox_t box;        /* the page's area in CRS units (y up) */
    double scale;          /* page points per CRS unit */
} cor__frame_t;

typedef enum cor__corner {
    COR__CORNER_AUTO = 0, /* the free corner that covers least of what matters */
    COR__CORNER_TOP_LEFT,
    COR__CORNER_TOP_RIGHT,
    COR__CORNER_BOTTOM_LEFT,
    COR__CORNER_BOTTOM_RIGHT,
    COR__CORNER_NONE, /* not drawn */
} cor__corner_t;

/* Returns: true and the corner for "auto", "top-left", ..., "none"/false. */
bool cor__corner_parse(const char *name, cor__corner_t *out);

/* What to draw. Strings are borrowed during cor__furniture_layout(), which copies them. */
typedef struct cor__furniture {
    const char *title, *subtitle;
    const char *credits; /* sources and data credits, one line (wrapped if too long) */
    const char *date;    /* shown with the credits, e.g. "27 November 2026" */
    double graticule;    /* degrees between lines; 0: automatic; < 0: none */
    cor__corner_t scalebar;
    bool north_arrow;
    cor__corner_t legend;
    const char *legend_title;
    cor__corner_t inset;
    double inset_width;    /* pt; 0: automatic (a fifth of the page width; none when that is
                              below 72 pt) */
    double inset_aspect;   /* height / width of the inset box; 0: automatic (0.8) */
    const char *flow_unit; /* written after the flow-width scale's numbers ("people");
                              NULL: numbers only */
} cor__furniture_t;

/* A legend entry: a layer's look or an overlay, with its text. */
typedef struct cor__legend_entry {
    const char *text;
    const cor__overlay_t *overlay; /* when not NULL, the key is the overlay's */
    cor__geom_kind_t kind;         /* otherwise a layer's key: a swatch, a line or a marker */
    cor__look_t look;
} cor__legend_entry_t;

typedef struct cor__layout cor__layout_t;

/* Lays the furniture out on the page: the title block top left, the credits along the bottom, the
 * legend, scale bar (with the north arrow beside it) and inset in their corners, and the
 * graticule's lines and edge labels. An automatic corner is the free corner whose box covers
 * least of the boxes in `busy` (page points, e.g. the overlays' extent); corners already taken
 * are used (stacked) only when no free one fits. A scale bar or inset that fits nowhere without
 * covering other furniture is left out; the legend never is (when it fits nowhere beside the
 * title block, the title block is set across the page, then without its subtitle; on a tiny
 * page it may still cover the title). When any legend entry is a flow,
 * the legend ends with a flow-width scale. Registers every box, and the graticule's labels, as
 * obstacles with `lb` (which may be NULL).
 * The layout copies every string and entry, and computes everything that needs PROJ, so `f`,
 * `fr` and `entries` may go once it returns. Borrowed until the layout is freed: `ov` and the
 * overlays the entries point to (their keys are drawn from them).
 * Returns: COR_OK and a layout to free with cor__layout_free(); COR_ERR_USAGE for a page that is
 * not finite and positive, a corner out of range, or overlay entries without `ov`; COR_ERR_DATA for
 * text that is not UTF-8; COR_ERR_NOMEM; COR_ERR_CRS when the scale or north cannot be computed at
 * the page centre. */
cor_status_t cor__furniture_layout(const cor__furniture_t *f, const cor__frame_t *fr,
                                   const cor__legend_entry_t *entries, size_t nentries,
                                   const cor__overlays_t *ov, const cor_bbox_t *busy, size_t nbusy,
                                   cor__labeler_t *lb, cor__layout_t **out, cor_error_t *err);
/* Releases the layout. Accepts NULL. */
void cor__layout_free(cor__layout_t *l);

/* The box reserved for the locator inset (page points). Returns: false when there is none. */
bool cor__layout_inset_box(const cor__layout_t *l, cor_bbox_t *out);

/* Draws the graticule (meridians and parallels, densified so they curve) under the overlays,
 * and its labels where lines meet the edge of the map (meridians below, above the credits,
 * else on top; parallels left, else right), skipping labels that would touch furniture.
 * Lines go to `cr`, labels to `to` (NULL: drawn on `cr`).
 * Returns: COR_OK; text's errors; COR_ERR_RENDER when cairo is in error. */
cor_status_t cor__furniture_draw_graticule(const cor__layout_t *l, cairo_t *cr, cor__textout_t *to,
                                           cor_error_t *err);

/* Draws the title block, legend, scale bar, north arrow, credits and the inset's frame on top of
 * everything (so the map draws the inset's content first). Panels, keys and symbols go to
 * `cr`, even for SVG output; texts to `to` (NULL: drawn on `cr`).
 * Returns: COR_OK; text's errors; COR_ERR_RENDER when cairo is in error. */
cor_status_t cor__furniture_draw(const cor__layout_t *l, cairo_t *cr, cor__textout_t *to,
                                 cor_error_t *err);

#endif
