/* SPDX-License-Identifier: MIT */
/* text: text through Pango. Measures and draws text with halos, on cairo or as real SVG <text>,
 * and holds the default font and label look every module starts from. It knows nothing of maps
 * and does not place anything: positions arrive in page points. Text is measured with hinting
 * off at 72 dpi in one shared context, so a text has the same size on every surface; all Pango
 * use is serialised by one lock. */
#ifndef COR_TEXT_H
#define COR_TEXT_H

#include <cairo.h>
#include <stdbool.h>

#include "corridor.h"
#include "util.h"

/* The family every text falls back to when its style names none; the furniture always uses it. */
#define COR__TEXT_FONT "Noto Sans"

/* The default look of labels, in pt. A layer's labels when the style gives no size, colour or
 * halo width: */
#define COR__LABEL_SIZE       7.0
#define COR__LABEL_HALO_WIDTH 2.0
static const cor_color_t COR__LABEL_COLOR = {0.2, 0.19, 0.17, 1};
static const cor_color_t COR__LABEL_HALO = {1, 1, 1, 0.9}; /* overlays' labels too */
/* An overlay's labels (semibold, coloured after the overlay) and its callouts' text: */
#define COR__OVERLAY_LABEL_SIZE       7.5
#define COR__OVERLAY_LABEL_HALO_WIDTH 1.6
#define COR__CALLOUT_SIZE             7.0

/* How a piece of text looks. Sizes in points. Accepted: 0 < size <= 1000, |tracking| <= 2,
 * 0 <= halo_width <= 100; anything else is COR_ERR_USAGE. */
typedef struct cor__text_style {
    const char *font; /* Pango family list ("Noto Sans, DejaVu Sans"); NULL: COR__TEXT_FONT */
    double size;
    int weight; /* 400 regular, 600 semibold, 700 bold; 0 means 400 */
    bool italic;
    bool upper;        /* set in capitals (country names), Unicode-aware */
    double tracking;   /* extra space between letters, in em (0.15 for spaced capitals) */
    cor_color_t color; /* alpha 0 draws nothing */
    cor_color_t halo;  /* alpha 0: no halo */
    double halo_width; /* the width of the stroke around the glyphs: it reaches halo_width / 2
                          beyond their outline, and label boxes are padded by as much */
} cor__text_style_t;

/* Where text goes: drawn on `cr`, or, when `svg` is not NULL, written there as SVG <text>
 * elements (in the same page points) so that the SVG carries editable text. */
typedef struct cor__textout {
    cairo_t *cr;
    cor__buf_t *svg;
} cor__textout_t;

typedef enum cor__anchor {
    COR__ANCHOR_LEFT = 0, /* x is the left edge of the text */
    COR__ANCHOR_CENTER,
    COR__ANCHOR_RIGHT,
} cor__anchor_t;

/* Measures text as it would be drawn: width and height of its ink-free logical box, in pt.
 * Multi-line text (with '\n') is measured as a block. Invalid text or style measures 0 x 0. */
void cor__text_measure(const char *text, const cor__text_style_t *ts, double *width,
                       double *height);

/* Counts the characters of text no font of the style's family list can show (drawn as boxes).
 * Returns: the count; -1 for invalid text or style. */
int cor__text_missing_glyphs(const char *text, const cor__text_style_t *ts);

/* Releases the shared measuring context and its font caches; the next text call makes a new one.
 * For tests and leak checkers at exit. Layouts still held by labelers keep working. */
void cor__text_reset(void);

/* Draws text with its top-left / top-centre / top-right (per `anchor`) at (x, y), halo first;
 * lines of multi-line text are centred on each other. In SVG: the halo as a stroked <text>, then
 * the text as a filled <text> (no paint-order, so old renderers draw it too).
 * Returns: COR_OK; COR_ERR_DATA for text that is not UTF-8; COR_ERR_USAGE for a style out of
 * range; COR_ERR_RENDER when cairo is in error; COR_ERR_NOMEM when the SVG buffer cannot grow. */
cor_status_t cor__text_draw(cor__textout_t *to, const char *text, const cor__text_style_t *ts,
                            double x, double y, cor__anchor_t anchor, cor_error_t *err);

#endif
