/* SPDX-License-Identifier: MIT */
/* placement: the one collision index of a page. Everything drawn registers its footprint here
 * with a kind and a text (furniture boxes, markers, callout boxes, the stroked outline of routes,
 * flows and leaders as segments with a half-width, placed labels); labels and callouts ask it
 * for room; it keeps what was dropped and why, and writes the placement report. It knows no
 * cairo, Pango or map: boxes arrive in page points, y down from the page's top-left. */
#ifndef COR_PLACEMENT_H
#define COR_PLACEMENT_H

#include <stdbool.h>
#include <stddef.h>

#include "corridor.h"
#include "util.h"

typedef enum cor__kind {
    COR__KIND_LABEL = 0,
    COR__KIND_MARKER,
    COR__KIND_ROUTE,
    COR__KIND_FLOW,
    COR__KIND_CALLOUT,
    COR__KIND_LEADER,
    COR__KIND_TITLE,
    COR__KIND_LEGEND,
    COR__KIND_SCALEBAR,
    COR__KIND_NORTH_ARROW,
    COR__KIND_INSET,
    COR__KIND_CREDITS,
    COR__KIND_GRATICULE_LABEL,
    COR__KIND_COUNT
} cor__kind_t;

/* Sets of kinds, for queries. */
#define COR__KIND_BIT(k) (1u << (unsigned)(k))
#define COR__KINDS_ALL   ((1u << COR__KIND_COUNT) - 1u)
#define COR__KINDS_LINES                                                                           \
    (COR__KIND_BIT(COR__KIND_ROUTE) | COR__KIND_BIT(COR__KIND_FLOW) |                              \
     COR__KIND_BIT(COR__KIND_LEADER))
#define COR__KINDS_SOLID (COR__KINDS_ALL & ~COR__KINDS_LINES) /* nothing may overlap these */
#define COR__KINDS_FURNITURE                                                                       \
    (COR__KIND_BIT(COR__KIND_TITLE) | COR__KIND_BIT(COR__KIND_LEGEND) |                            \
     COR__KIND_BIT(COR__KIND_SCALEBAR) | COR__KIND_BIT(COR__KIND_NORTH_ARROW) |                    \
     COR__KIND_BIT(COR__KIND_INSET) | COR__KIND_BIT(COR__KIND_CREDITS))

/* Returns: the report's name of a kind ("label", "north_arrow", ...), "?" when out of range. */
const char *cor__kind_name(cor__kind_t kind);

typedef struct cor__space cor__space_t;

/* A space for a page of width x height points.
 * Returns: COR_OK and a space to release with cor__space_free(); COR_ERR_USAGE for a page that
 * is not finite and positive (or over a million points); COR_ERR_NOMEM. */
cor_status_t cor__space_new(double width, double height, cor__space_t **out, cor_error_t *err);
/* Releases the space and everything it holds. Accepts NULL. */
void cor__space_free(cor__space_t *sp);

/* Registers a box of `kind` with a copy of `text` (NULL: no text). What lies beyond the page is
 * cut off: a box wholly off the page, or not finite, is not stored and takes no room. Furniture
 * is drawn over the map, so a marker under furniture is hidden: a furniture box hides the markers
 * registered before it that it overlaps, and a marker that overlaps furniture is hidden when it
 * comes; each hidden marker is dropped ("under the legend"), takes no room and is not reported.
 * Returns: false when memory ran out (the space then refuses every box: see cor__space_ok). */
bool cor__space_insert(cor__space_t *sp, cor__kind_t kind, const char *text, cor_bbox_t box);

/* Registers the stroked outline of a polyline (xy holds n points as x, y pairs) of half-width
 * `half`: one segment entry per piece, each tested exactly (a box is taken when it comes within
 * `half` of the segment), reported by its padded bounding box. Runs of short, nearly straight
 * pieces (a line sampled densely) are merged into segments of up to 12 pt, widened by how far the
 * merged points stray from them (at most 0.25 pt). Returns: false on exhaustion. */
bool cor__space_insert_line(cor__space_t *sp, cor__kind_t kind, const char *text, const double *xy,
                            size_t n, double half);

/* Returns: true when `box` overlaps nothing of the kinds in the set `kinds` (boxes that only
 * touch do not overlap); false for a box that is not finite or a space out of memory. */
bool cor__space_is_free(const cor__space_t *sp, cor_bbox_t box, unsigned kinds);

/* Returns: true when the segment (x0, y0)-(x1, y1) stroked `half` pt either side overlaps nothing
 * of `kinds` (a leader line asking for room); false for points that are not finite. */
bool cor__space_segment_is_free(const cor__space_t *sp, double x0, double y0, double x1, double y1,
                                double half, unsigned kinds);

/* How much of `box` is covered by entries of `kinds`, as a sum of overlap areas (segments count
 * by their padded bounding box): a score for choosing among candidate places. */
double cor__space_cover(const cor__space_t *sp, cor_bbox_t box, unsigned kinds);

/* Records something that found no room, with a copy of text and reason (e.g. "no room").
 * Returns: false on exhaustion. */
bool cor__space_drop(cor__space_t *sp, cor__kind_t kind, const char *text, const char *reason);

/* How many entries (boxes and segments) the space holds; a mark for cor__space_truncate. */
size_t cor__space_count(const cor__space_t *sp);
/* Forgets every entry registered since the count was `mark`, and every drop since `drops`. */
void cor__space_truncate(cor__space_t *sp, size_t mark, size_t drops);
/* How many drops the space holds. */
size_t cor__space_ndropped(const cor__space_t *sp);

/* Entry i (0 .. count - 1) in the order registered: its kind, text ("" when none) and box as
 * reported (a segment's padded bounding box, cut to the page). Hidden entries are listed too.
 * The text is borrowed until the next insert. Returns: false when i is out of range. */
bool cor__space_entry(const cor__space_t *sp, size_t i, cor__kind_t *kind, const char **text,
                      cor_bbox_t *box);
/* Drop i: its kind, text and reason. Borrowed. Returns: false when i is out of range. */
bool cor__space_dropped(const cor__space_t *sp, size_t i, cor__kind_t *kind, const char **text,
                        const char **reason);

/* Hides entry i (a marker giving way to a label: it takes no room and is not reported) or shows
 * it again. Records no drop. Returns: false when i is out of range. */
bool cor__space_set_hidden(cor__space_t *sp, size_t i, bool hidden);
/* Returns: whether entry i is hidden (a marker under furniture, or one that gave way). */
bool cor__space_hidden(const cor__space_t *sp, size_t i);
/* The page's size in points. */
void cor__space_size(const cor__space_t *sp, double *width, double *height);

/* Returns: false once an insert or drop ran out of memory. */
bool cor__space_ok(const cor__space_t *sp);

/* Appends the placement report to `out`: {"page": {"width_pt", "height_pt", "dpi"}, "placed":
 * [{"kind", "text", "box": [x0, y0, x1, y1]}, ...], "dropped": [{"kind", "text", "reason"}, ...]},
 * boxes in points from the page's top-left, entries in the order registered.
 * Returns: false on exhaustion. */
bool cor__space_report(const cor__space_t *sp, double dpi, cor__buf_t *out);

#endif
