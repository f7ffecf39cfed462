/* label: text through Pango. Measures and draws text with halos, places labels by priority so
 * none overlaps another label, a marker or the page edge (dropping those that do not fit), sets
 * labels along lines following their curve and never upside down, and writes labels as real
 * SVG <text>. It knows nothing of maps: anchors arrive in page points. Text is measured with
 * hinting off at 72 dpi in one shared context, so a label has the same size on every surface;
 * all Pango use is serialised by one lock. */
#ifndef COR_LABEL_H
#define COR_LABEL_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "corridor.h"
#include "util.h"

/* How a piece of text looks. Sizes in points. Accepted: 0 < size <= 1000, |tracking| <= 2,
 * 0 <= halo_width <= 100; anything else is COR_ERR_USAGE. */
typedef struct cor__text_style {
    const char *font; /* Pango family list ("Noto Sans, DejaVu Sans"); NULL: "Noto Sans" */
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

typedef struct cor__labeler cor__labeler_t;

/* A labeler for a page of width x height points. Labels keep 2 pt from the page edge.
 * Returns: COR_OK and a labeler to release with cor__labeler_free(); COR_ERR_USAGE for an absurd
 * page; COR_ERR_NOMEM. */
cor_status_t cor__labeler_new(double width, double height, cor__labeler_t **out, cor_error_t *err);
/* Releases the labeler and its labels. Accepts NULL. */
void cor__labeler_free(cor__labeler_t *lb);

/* Marks a box no label may overlap: a marker, the legend, a title block. Add obstacles before
 * cor__labeler_place(). Running out of memory here is reported by cor__labeler_draw(). */
void cor__labeler_obstacle(cor__labeler_t *lb, cor_bbox_t box);

/* Every cor__labeler_add_* copies text and style. Text must be UTF-8 (else COR_ERR_DATA); an
 * empty text adds no label; an anchor or line with non-finite coordinates counts as dropped.
 * Returns: COR_OK; COR_ERR_DATA; COR_ERR_USAGE for a style out of range; COR_ERR_NOMEM. */

/* A label for a point marker of radius r at (x, y): tries positions around it in cartographic
 * order (right, upper right, lower right, left, upper left, lower left, above, below), with its
 * halo 0.2 em clear of the marker. The marker's box becomes an obstacle to every other label as
 * soon as it is added, whether or not its own label finds room: markers are drawn regardless. r <=
 * 0: no marker. */
cor_status_t cor__labeler_add_point(cor__labeler_t *lb, const char *text, double x, double y,
                                    double r, const cor__text_style_t *ts, double priority,
                                    cor_error_t *err);

/* A label centred on (x, y), e.g. a country name inside its country; tries small shifts and,
 * for several words, two lines (broken at the space nearest the middle), before giving up. */
cor_status_t cor__labeler_add_area(cor__labeler_t *lb, const char *text, double x, double y,
                                   const cor__text_style_t *ts, double priority, cor_error_t *err);

/* As cor__labeler_add_area() with several anchors, best first (e.g. the points deepest inside a
 * polygon): each anchor's shifts are tried before the next anchor, one line before two. */
cor_status_t cor__labeler_add_area_at(cor__labeler_t *lb, const char *text, const double *xs,
                                      const double *ys, size_t n, const cor__text_style_t *ts,
                                      double priority, cor_error_t *err);

/* A label along the polyline (page points), following its curve, centred on the line's
 * middle part, never upside down; dropped when the line is too short or too curved. Each glyph
 * cluster is set along the chord between the line's points at its two ends, and rotated to it;
 * neighbouring clusters may differ by 30 degrees at most. When the middle is taken, positions
 * stepping out along the line are tried. The text is centred on the line itself. */
cor_status_t cor__labeler_add_line(cor__labeler_t *lb, const char *text, const double *x,
                                   const double *y, size_t n, const cor__text_style_t *ts,
                                   double priority, cor_error_t *err);

/* As cor__labeler_add_line(), with the text's centre `offset` pt above the line (as read;
 * negative: below), e.g. a river's name beside the river. */
cor_status_t cor__labeler_add_line_at(cor__labeler_t *lb, const char *text, const double *x,
                                      const double *y, size_t n, const cor__text_style_t *ts,
                                      double offset, double priority, cor_error_t *err);

/* Places all labels, highest priority first (ties keep the order added): each takes its first
 * candidate that lies inside the page and overlaps no obstacle, marker or placed label. Placing
 * again starts afresh. Deterministic. */
void cor__labeler_place(cor__labeler_t *lb);

/* Draws (or writes as SVG) the placed labels: all halos, then all text, so that no halo covers
 * another label's letters. SVG gets <g class="label-halos"> then <g class="labels">; a line
 * label is one <text> with a <tspan x y rotate> per glyph cluster (exactly cairo's positions).
 * Returns: COR_OK; COR_ERR_NOMEM (also for an earlier failure in obstacle or place);
 * COR_ERR_RENDER when cairo is in error. */
cor_status_t cor__labeler_draw(cor__labeler_t *lb, cor__textout_t *to, cor_error_t *err);

/* How many labels the last cor__labeler_place() placed, and how many were dropped (by it, or
 * when added for want of a finite anchor). */
void cor__labeler_counts(const cor__labeler_t *lb, long *placed, long *dropped);

/* The boxes of placed labels, for tests and debugging: `i` from 0 to placed - 1, in the order
 * placed. The boxes are padded by the halo. A line label has one box per glyph cluster, in
 * reading order; *nboxes says how many (text and boxes are borrowed from the labeler).
 * Returns: false when i is out of range. */
bool cor__labeler_placed(const cor__labeler_t *lb, size_t i, const char **text,
                         const cor_bbox_t **boxes, size_t *nboxes);

#endif
