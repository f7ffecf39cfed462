/* SPDX-License-Identifier: MIT */
/* text_block: text laid out once, measured, split into glyph clusters, and drawn later wherever
 * a placer (the labeler) decides: as a block at a top-left, or cluster by cluster along a path.
 * Part of the text module (text.c); it places nothing itself. Making, clearing, splitting and
 * drawing blocks need the text lock (cor__text_lock()), held by the caller: Pango's font maps
 * are not thread-safe. */
#ifndef COR_TEXT_BLOCK_H
#define COR_TEXT_BLOCK_H

#include <stdbool.h>
#include <stddef.h>

#include "corridor.h"
#include "text.h"

/* A piece of text laid out once: the layout and its measures in pt, relative to its top-left. */
typedef struct cor__text_block {
    struct _PangoLayout *layout;  /* owned */
    double lx, ly, width, height; /* logical box */
    double base1, basen;          /* baselines of the first and last lines */
    double cap_top;               /* top of the cap band: base1 less the nominal cap height */
    cor_bbox_t core;              /* what must not collide: ink, logical width and cap band */
} cor__text_block_t;

/* A glyph cluster of a single-line block: glyphs [g0, g1) of a run, bytes [b0, b1) of the
 * block's text as set, at x .. x + w along the text. */
typedef struct cor__text_cluster {
    struct _PangoGlyphItem *run; /* borrowed from the block's layout */
    int g0, g1, b0, b1;
    double x, w;
} cor__text_cluster_t;

/* Where a placed cluster's origin (left end of its baseline) is, and its angle in radians. */
typedef struct cor__text_pos {
    double x, y, angle;
} cor__text_pos_t;

/* Take and release the one lock around all Pango use. Not recursive. */
void cor__text_lock(void);
void cor__text_unlock(void);

/* Checks text (not NULL, UTF-8) and style (in range) as every text call does.
 * Returns: COR_OK; COR_ERR_INTERNAL for NULL; COR_ERR_DATA; COR_ERR_USAGE. */
cor_status_t cor__text_check(const char *text, const cor__text_style_t *ts, cor_error_t *err);

/* Returns: how far a text's box reaches beyond its glyphs: half the halo stroke, 0 without one. */
double cor__text_halo_pad(const cor__text_style_t *ts);

/* Lays out and measures valid text: NFC, in capitals when the style asks, newlines as spaces
 * when `single_line`. The block owns its layout: release with cor__text_block_clear(). */
void cor__text_block_make(cor__text_block_t *b, const char *text, const cor__text_style_t *ts,
                          bool single_line);
/* Releases the block's layout (a zeroed block is fine) and leaves it empty. */
void cor__text_block_clear(cor__text_block_t *b);

/* Splits a single-line block into its glyph clusters, left to right.
 * Returns: true and a malloc'd array in *out (the caller frees it; it borrows the block's runs,
 * so it lives no longer than the block) with its length in *n; false on exhaustion. */
bool cor__text_block_clusters(const cor__text_block_t *b, cor__text_cluster_t **out, size_t *n);

/* Draws a block's halo (`halo`) or its text with the block's top-left at (ox, oy), on to->cr or
 * as one <text> (lines as <tspan>s) in to->svg. Returns: false when the SVG cannot grow. */
bool cor__text_block_draw(cor__textout_t *to, const cor__text_block_t *b,
                          const cor__text_style_t *ts, double ox, double oy, bool halo);

/* Draws a single-line block's halo or text cluster by cluster, each at pos[i] and rotated like
 * it (n clusters from cor__text_block_clusters()). In SVG: a <path> in <defs> through the
 * clusters' baseline, then a <switch> of one <text> holding the whole text in a <textPath> on it
 * (for renderers that know XHTML: browsers) and a <g> of one moved and rotated <text> per
 * cluster (for the others: librsvg, which draws no <textPath>).
 * Returns: false when the SVG cannot grow. */
bool cor__text_path_draw(cor__textout_t *to, const cor__text_block_t *b,
                         const cor__text_cluster_t *clusters, const cor__text_pos_t *pos, size_t n,
                         const cor__text_style_t *ts, bool halo);

/* Drops what a failed write appended to the SVG after `mark`, so no half element stays. */
void cor__text_svg_truncate(cor__buf_t *svg, size_t mark);

/* Returns: COR_OK, or COR_ERR_RENDER ("drawing labels: ...") when cairo is in error. */
cor_status_t cor__text_cairo_check(cairo_t *cr, cor_error_t *err);

#endif
