/* SPDX-License-Identifier: MIT */
/* render_query: where the last render placed things, for tests and the placement report.
 * Read-only: nothing declared here changes a map or draws; render.c records what it answers. */
#ifndef COR_RENDER_QUERY_H
#define COR_RENDER_QUERY_H

#include <stddef.h>

#include "corridor.h"

/* A placed label's box (a line label has one per glyph cluster) and which label it belongs to. */
typedef struct cor__placed {
    cor_bbox_t box; /* page points */
    size_t label;   /* the label's index in placement order */
} cor__placed_t;

/* The boxes the labels of the last render of `map` that drew took, every glyph cluster of a line
 * label included (a dry run, cor_map_check, changes nothing). Returns: their number, 0 before the
 * first such render, with *out borrowed from the map until its next render or cor_map_free(). */
size_t cor__render_label_boxes(const cor_map_t *map, const cor__placed_t **out);

#endif
