/* SPDX-License-Identifier: MIT */
/* svg_layers: the last touch to the SVG cairo writes, so designers can open it: the drawing is
 * cut into named layers (a <g> per map layer that Inkscape and Illustrator list, with
 * inkscape:groupmode="layer" and an id from the layer's name), the text corridor writes beside
 * cairo's drawing goes in a layer of its own, and cairo's per-process surface id is fixed so the
 * same map gives the same bytes. Text in, text out: no cairo, no map. */
#ifndef COR_SVG_LAYERS_H
#define COR_SVG_LAYERS_H

#include <stddef.h>

#include "corridor.h"
#include "util.h"

/* Writes into `out` cairo's SVG document `doc` (len bytes) with `tail` (the text elements,
 * tail_len bytes) before its final </svg>. Where `doc` holds `nnames` copies of `mark` (the
 * exact element text of the marks the drawing made at each layer's start, in order), the
 * drawing from one mark to the next becomes the layer names[i]; with another count, or none,
 * the drawing is kept in one piece. Elements open at a mark are closed before it and opened
 * again after it, so the document stays well formed and draws the same.
 * Returns: COR_OK; COR_ERR_RENDER when `doc` is not an SVG cairo wrote; COR_ERR_NOMEM. */
cor_status_t cor__svg_layers(const char *doc, size_t len, const char *tail, size_t tail_len,
                             const char *mark, char *const *names, size_t nnames, cor__buf_t *out,
                             cor_error_t *err);

#endif
