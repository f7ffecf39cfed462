/* SPDX-License-Identifier: MIT */
/* overlay_bundle: the layout of flows on the page, before anything is drawn: flows between the
 * same two places form a bundle of parallel strands, a flow through via places is a unit of its
 * own, units leaving one place fan out, and every unit gets a base curve its strands are
 * offset from. Pure geometry in page points: no cairo, no labeler, no projection. */
#ifndef COR_OVERLAY_BUNDLE_H
#define COR_OVERLAY_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>

#include "corridor.h"
#include "overlay.h"
#include "polyline.h"

#define COR__OV_SAME_PLACE 0.5 /* ends closer than this on the page are the same place, pt */

/* A flow being laid out: its places on the page, its width, and its place in its unit. */
typedef struct cor__ov_flow {
    const cor__overlay_t *ov;
    cor__polyline_t pts; /* from, via..., to, page points */
    double w;
    size_t unit;
    double offset; /* along the unit's right-hand normal, pt */
    bool reversed; /* runs from the unit's end to its start */
} cor__ov_flow_t;

/* A unit: a bundle of the flows without via places between the same two places, or one flow
 * with via places. */
typedef struct cor__ov_unit {
    cor__pt_t a, b;  /* the ends, in the direction of its first flow */
    bool via;        /* a single flow through via places */
    bool fixed;      /* its bend was given, or it has via places: it does not fan out */
    double bend;     /* the arc's bulge to the right, over the chord */
    double r[2];     /* the clearances at a and b, pt (the caller sets them before the layout) */
    double taper[2]; /* at an end without a shared head: the length over which strands gather
                        (at most a fifth of the chord: a short bundle's strands may touch) */
    bool split[2];   /* a shared head at a, b */
    double width;    /* the bundle, strands and gaps, pt */
    double spread;   /* the half-angle its strands leave a over */
    double theta;    /* the direction it leaves a in, while fanning out */
    size_t n;        /* flows */
    cor__polyline_t base;
} cor__ov_unit_t;

/* Releases nf flows' points and nu units' bases, and both arrays (either may be NULL). */
void cor__overlay_bundle_free(cor__ov_flow_t *fl, size_t nf, cor__ov_unit_t *un, size_t nu);

/* Puts each of the nf flows (each with at least two points) in a unit of un (room for nf): the
 * bundle with the same two ends (either way round, 0.5 pt apart at most) whose given bend, if
 * any, is the flow's own (else the flow takes an arc of its own), or a new one, whose count goes
 * to *nu. A unit's bend is its first flow's given one (flipped for a flow running the other
 * way), else 0.2. */
void cor__overlay_bundle_group(cor__ov_flow_t *fl, size_t nf, cor__ov_unit_t *un, size_t *nu);

/* Lays out the grouped units, whose clearances r are set: strands side by side in declaration
 * order (the first uppermost on the page; 1.2 pt between), shared heads where a bundle's heads
 * arrive, how strands gather at the other end, new bends for units that leave one place less
 * than 25 degrees apart (15 pt out) and were not fixed, and every unit's base curve: an arc,
 * or a smooth curve through the via places. Returns: COR_OK; COR_ERR_NOMEM (no message). */
cor_status_t cor__overlay_bundle_layout(cor__ov_unit_t *un, size_t nu, cor__ov_flow_t *fl,
                                        size_t nf);

/* Appends the flow's strand to out: its unit's base offset along the normals by its place in
 * the unit, gathering into an end without a shared head, in the flow's own direction (so
 * point k is the base's point k, or n - 1 - k when reversed). Returns: false on exhaustion. */
bool cor__overlay_bundle_strand(const cor__ov_unit_t *u, const cor__ov_flow_t *f,
                                cor__polyline_t *out);

#endif
