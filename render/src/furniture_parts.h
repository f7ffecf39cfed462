/* SPDX-License-Identifier: MIT */
/* furniture_parts: what the pieces of furniture (titles, legend, scale bar, graticule, inset) and
 * the layout that places them share: the layout's body, its text styles and text items, wrapped
 * text, number formats, panels and the page <-> lon/lat mapping. Private to the furniture files;
 * nothing here chooses where a piece goes (furniture.c does) or what a piece holds. */
#ifndef COR_FURNITURE_PARTS_H
#define COR_FURNITURE_PARTS_H

#include <cairo.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>

#include "corridor.h"
#include "furniture.h"
#include "furniture_query.h"
#include "geom.h"
#include "overlay.h"
#include "project.h"
#include "style.h"
#include "text.h"

/* Sizes in points on the reference page; every one is multiplied by the layout's page factor k. */
#define COR__FURNITURE_MARGIN 7.0 /* page edge to furniture, and between pieces */
#define COR__FURNITURE_PAD    5.0 /* inside panels */
/* The furniture's ink and paper. */
static const cor_color_t COR__FURNITURE_INK = {0.11, 0.11, 0.11, 1};
static const cor_color_t COR__FURNITURE_WHITE = {1, 1, 1, 1};

/* The layout's text styles, one per kind of text. */
typedef enum cor__fts {
    COR__FTS_TITLE = 0,
    COR__FTS_SUBTITLE,
    COR__FTS_CREDITS,
    COR__FTS_LEGEND_TITLE,
    COR__FTS_LEGEND,
    COR__FTS_SCALE,
    COR__FTS_NORTH,
    COR__FTS_TICK,
    COR__FTS_COUNT
} cor__fts_t;

/* A piece of text to draw: its top-left (or top-centre, top-right) relative to its piece's box,
 * and, for graticule labels, its page box. */
typedef struct cor__fitem {
    char *text;
    cor__fts_t ts;
    double x, y;
    cor__anchor_t anchor;
    cor_bbox_t box;
} cor__fitem_t;

typedef struct cor__fitems {
    cor__fitem_t *v;
    size_t n, cap;
} cor__fitems_t;

/* A piece of furniture: its size, corner, page box once placed, and texts. */
typedef struct cor__fpiece {
    bool on;
    cor__corner_t corner;
    double w, h;
    cor_bbox_t box;
    cor__fitems_t texts;
} cor__fpiece_t;

/* A legend key, relative to the legend's box. */
typedef struct cor__legend_key {
    double x, y, w, h;
    const cor__overlay_t *overlay; /* borrowed */
    cor__geom_kind_t kind;
    cor__look_t look;
} cor__legend_key_t;

/* A bar of the flow-width scale: left end and middle, relative to the legend's box. */
typedef struct cor__flow_sample {
    double x, y, len, width;
} cor__flow_sample_t;

/* What a piece of the graticule is. */
typedef struct cor__grat_meta {
    bool meridian;
    double degrees;
} cor__grat_meta_t;

struct cor__layout {
    double width, height, k;
    double dpi; /* the output's resolution; 0: unknown (no pixel floor for text) */
    cor__text_style_t ts[COR__FTS_COUNT];
    cor__fpiece_t parts[COR__FPART_COUNT];
    /* legend (legend.c) */
    const cor__overlays_t *ov; /* borrowed */
    cor__legend_key_t *keys;
    size_t nkeys;
    cor__flow_sample_t samples[3];
    int nsamples;
    bool legend_compact; /* set for a small page: short entries, smaller text */
    int legend_columns;  /* of a compact legend: 1 or 2 (the layout tries both) */
    cor_color_t sample_color;
    /* scale bar and north arrow (scalebar.c), relative to the scale bar's box */
    bool has_bar;
    double metres, points, bar_x, bar_y;
    char label[64];
    bool has_north;
    double north_x, north_y, north_angle; /* degrees clockwise from up */
    cor_bbox_t bar_box, north_box;        /* the bar with its numbers, the arrow with its N */
    /* graticule (graticule.c): one part of `grat` per piece, with its line's kind and value */
    double step;
    size_t nmeridians, nparallels;
    cor__geom_t grat;
    cor__grat_meta_t *meta;
    size_t cap_meta;
    cor__fitems_t ticks; /* x, y on the page */
    /* the layout (furniture.c) */
    int squeeze;       /* 0; 1: the title block takes the page's width; 2: and no subtitle; 3: no
                          subtitle, the title at its usual width; 4: no subtitle, the title in a
                          narrow column */
    bool legend_clash; /* the legend covers other furniture or leaves the page */
};

static inline cor_bbox_t cor__fparts_box_xywh(double x, double y, double w, double h)
{
    return (cor_bbox_t){x, y, x + w, y + h};
}

/* Returns: the area a and b share, 0 when they do not overlap. */
static inline double cor__fparts_overlap_area(cor_bbox_t a, cor_bbox_t b)
{
    double w = fmin(a.maxx, b.maxx) - fmax(a.minx, b.minx);
    double h = fmin(a.maxy, b.maxy) - fmax(a.miny, b.miny);
    return w > 0 && h > 0 ? w * h : 0.0;
}

static inline bool cor__fparts_has_text(const char *s)
{
    return s && *s;
}

/* Sets the layout's text styles for its page factor l->k (all in COR__TEXT_FONT). */
void cor__fparts_init_styles(cor__layout_t *l);

/* Appends a copy of text at (x, y) in style ts. Returns: false on exhaustion. */
bool cor__fparts_items_push(cor__fitems_t *list, const char *text, cor__fts_t ts, double x,
                            double y, cor__anchor_t anchor);
/* Releases the items and their texts and empties the list. */
void cor__fparts_items_free(cor__fitems_t *list);

/* Measures text in the layout's style `id` (see cor__text_measure()). */
void cor__fparts_measure(const cor__layout_t *l, cor__fts_t id, const char *text, double *w,
                         double *h);

/* Sets text as left-aligned lines no wider than maxw where it can (breaking at spaces; a '\n'
 * always breaks; a word wider than maxw gets a line of its own), the first line's top-left at
 * (x, y), appending them to `list`. *w and *h get the block's size.
 * Returns: false on exhaustion. */
bool cor__fparts_wrap(const cor__layout_t *l, cor__fitems_t *list, const char *text, cor__fts_t id,
                      double x, double y, double maxw, double *w, double *h);

/* Writes v into buf (n bytes) with thousands separated by commas ("1,000") and no trailing
 * zeros ("0.5"). */
void cor__fparts_format_number(double v, char *buf, size_t n);

/* Returns: the largest of 1, 2, 5 x 10^n not above v (> 0). */
double cor__fparts_nice_floor(double v);

/* Draws the items with their positions offset by (ox, oy).
 * Returns: COR_OK; the first error of cor__text_draw(). */
cor_status_t cor__fparts_draw_texts(const cor__layout_t *l, const cor__fitems_t *list, double ox,
                                    double oy, cor__textout_t *to, cor_error_t *err);

/* Returns: COR_OK, or COR_ERR_RENDER ("drawing the furniture: ...") when cairo is in error. */
cor_status_t cor__fparts_cairo_ok(cairo_t *cr, cor_error_t *err);

/* A white panel on the map under a piece: a translucent strip without a border (`strip`, the
 * credits), else an almost opaque panel with a hairline border. */
void cor__fparts_panel(cairo_t *cr, cor_bbox_t b, bool strip, double k);

/* Strokes a frame of width w in `color` just inside box b, with what the current path holds. */
void cor__fparts_frame(cairo_t *cr, cor_bbox_t b, double w, cor_color_t color);

/* Projects n lon/lat points in place onto the page through xf (lon/lat to the frame's CRS):
 * NAN where PROJ cannot. */
void cor__fparts_lonlat_page(const cor__frame_t *fr, cor__xform_t *xf, double *x, double *y,
                             size_t n);

#endif
