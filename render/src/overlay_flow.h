/* SPDX-License-Identifier: MIT */
/* overlay_flow: drawing the flows of a pass: projecting them, laying them out as bundles
 * (overlay_bundle.c), their strands, arrowheads and shared heads cased and filled, the lines as
 * obstacles, and their labels. Private to the overlay drawing files. */
#ifndef COR_OVERLAY_FLOW_H
#define COR_OVERLAY_FLOW_H

#include "corridor.h"
#include "overlay_pass.h"

/* Draws every visible flow of the pass together, so that they bundle and fan out; flows with
 * a place that cannot be projected, or from a place to itself, are skipped and counted.
 * Returns: COR_OK; COR_ERR_NOMEM; the labeler's errors. */
cor_status_t cor__overlays_draw_flows(cor__ov_pass_t *p);

#endif
