/* SPDX-License-Identifier: MIT */
/* labeler: places labels by priority so none overlaps anything registered in the page's
 * placement space (furniture, markers, lines, callouts, other labels) or the page edge (dropping
 * those that do not fit, each recorded in the space with its reason), sets labels along lines
 * following their curve and never upside down, and draws the placed labels through text. It knows
 * nothing of maps: anchors arrive in page points; and nothing of Pango: text lays out and draws the
 * glyphs. */
#ifndef COR_LABELER_H
#define COR_LABELER_H

#include <stdbool.h>
#include <stddef.h>

#include "corridor.h"
#include "placement.h"
#include "text.h"
#include "text_block.h"

typedef struct cor__labeler cor__labeler_t;

/* A labeler for a page of width x height points, with a placement space of its own. Labels keep
 * 2 pt from the page edge.
 * Returns: COR_OK and a labeler to release with cor__labeler_free(); COR_ERR_USAGE for an absurd
 * page; COR_ERR_NOMEM. */
cor_status_t cor__labeler_new(double width, double height, cor__labeler_t **out, cor_error_t *err);
/* A labeler placing into `sp` (borrowed: it must outlive the labeler), the page's size.
 * Returns: COR_OK and a labeler to release with cor__labeler_free(); COR_ERR_NOMEM. */
cor_status_t cor__labeler_new_on(cor__space_t *sp, cor__labeler_t **out, cor_error_t *err);
/* Releases the labeler and its labels (and its space, when it made it). Accepts NULL. */
void cor__labeler_free(cor__labeler_t *lb);
/* Returns: the space the labeler places into (borrowed), NULL for a NULL labeler. */
cor__space_t *cor__labeler_space(cor__labeler_t *lb);

/* Registers a box of `kind` (with its text, for the report) that no label may overlap: a marker,
 * a callout box, the legend, a title block. Add obstacles before cor__labeler_place(). Running out
 * of memory here is reported by cor__labeler_draw(). */
void cor__labeler_obstacle(cor__labeler_t *lb, cor__kind_t kind, const char *text, cor_bbox_t box);

/* Every cor__labeler_add_* copies text and style. Text must be UTF-8 (else COR_ERR_DATA); an
 * empty text adds no label; an anchor or line with non-finite coordinates counts as dropped.
 * Returns: COR_OK; COR_ERR_DATA; COR_ERR_USAGE for a style out of range; COR_ERR_NOMEM. */

/* A label for a point marker of radius r at (x, y): tries positions around it in cartographic
 * order (right, upper right, lower right, left, upper left, lower left, above, below), with its
 * halo 0.2 em clear of the marker. The marker's box is registered (kind marker, with the text) as
 * soon as it is added, whether or not its own label finds room: markers are drawn regardless; no
 * label overlaps it, its own included. A marker under furniture gets no label. r <= 0: no
 * marker. */
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
 * middle part, never upside down; dropped when the line is too short or too curved. The glyph
 * clusters follow the line smoothed (over about half an em either side) and offset to their
 * baseline, each on the chord of that curve between its two ends and rotated to it; neighbouring
 * clusters may differ by 30 degrees at most, and a position where two neighbours' origins would
 * stand farther apart or nearer than their shaped advance (give or take 0.08 em) is refused, so
 * the letters keep together. When the middle is taken, positions stepping out along the line
 * are tried. The text is centred on the line itself. */
cor_status_t cor__labeler_add_line(cor__labeler_t *lb, const char *text, const double *x,
                                   const double *y, size_t n, const cor__text_style_t *ts,
                                   double priority, cor_error_t *err);

/* As cor__labeler_add_line(), with the text's centre `offset` pt above the line (as read;
 * negative: below), e.g. a river's name beside the river. */
cor_status_t cor__labeler_add_line_at(cor__labeler_t *lb, const char *text, const double *x,
                                      const double *y, size_t n, const cor__text_style_t *ts,
                                      double offset, double priority, cor_error_t *err);

/* Places all labels, highest priority first (ties keep the order added): each takes its first
 * candidate that lies inside the page and overlaps nothing in the space (a line label: each
 * glyph's box clear of lines, and its footprint, cut in 4 pt bands across its longer side, clear
 * of everything solid), and is registered there (kind label; a line label by those bands); a
 * label of priority 1.2e9 or more that finds no such place tries farther from its marker, then
 * over lines (on its halo); those that find no
 * room are dropped in the space with a reason. Placing again cuts the space back to what it held
 * before the first placing and starts afresh. Deterministic. */
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
/* Lets a must label (priority 1.2e9 or more) at a point that finds no room even over lines
 * displace the markers of lower-priority point labels not yet placed: those markers are hidden
 * in the space and dropped ("gave way to the label ..."), and their labels dropped when their
 * turn comes. Off by default: the pipeline may turn it on only when it draws point markers
 * after placing, skipping those cor__labeler_displaced() names. */
void cor__labeler_set_displace(cor__labeler_t *lb, bool on);

/* Text on a page narrower than this is scaled down (see cor__labeler_text_scale). */
#define COR__LABEL_FULL_WIDTH_PT 432.0 /* 6 in */
/* The smallest label text a scaled page gets: this many points, and this many pixels. */
#define COR__LABEL_FLOOR_PT 4.5
#define COR__LABEL_FLOOR_PX 9.0

/* The scale for the label text of a page `width_pt` wide: 1 from COR__LABEL_FULL_WIDTH_PT up,
 * below it the square root of the share, so a 90 mm newspaper column shows the same map with
 * text about three quarters of its size instead of the same text over a third of the map. */
double cor__labeler_text_scale(double width_pt);

/* Scales the text (and halo) of the labels added from now on by `scale` (0 < scale <= 1),
 * never below COR__LABEL_FLOOR_PT nor COR__LABEL_FLOOR_PX at `dpi`, nor above its own size. */
void cor__labeler_set_text_scale(cor__labeler_t *lb, double scale, double dpi);

/* Displaced marker i (0 ..) of the last placing: its label's text and anchor (borrowed).
 * Returns: false when i is out of range. */
bool cor__labeler_displaced(const cor__labeler_t *lb, size_t i, const char **text, double *x,
                            double *y);

/* The glyph clusters (origins on the baseline and angles) of placed label i when it is a line
 * label, in reading order, borrowed from the labeler. Returns: false when i is out of range or
 * label i is not along a line. */
bool cor__labeler_placed_glyphs(const cor__labeler_t *lb, size_t i, const cor__text_pos_t **glyphs,
                                size_t *n);

bool cor__labeler_placed(const cor__labeler_t *lb, size_t i, const char **text,
                         const cor_bbox_t **boxes, size_t *nboxes);

#endif
