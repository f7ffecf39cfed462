/* SPDX-License-Identifier: MIT */
/* overlay_draw: the drawing pass over a set of overlays: it orders the kinds (areas, routes,
 * flows, markers, callouts), gathers the places route labels keep away from, and checks cairo's
 * state once at the end. The kinds draw themselves (overlay_route.c, overlay_flow.c,
 * overlay_marker.c); no geometry is computed here. */
#include "overlay_draw.h"

#include <stdlib.h>

#include "overlay_flow.h"
#include "overlay_marker.h"
#include "overlay_pass.h"
#include "overlay_route.h"
#include "util.h"

/* Draws one overlay of a kind drawn on its own. */
typedef cor_status_t (*draw_fn)(cor__ov_pass_t *p, const cor__overlay_t *ov);

/* Draws the overlays of one kind in declaration order (not flows: they are drawn together, as
 * they bundle and fan out). */
static cor_status_t draw_kind(cor__ov_pass_t *p, cor__ov_kind_t kind)
{
    static const draw_fn draws[] = {[COR__OV_ROUTE] = cor__overlay_draw_route,
                                    [COR__OV_FLOW] = NULL,
                                    [COR__OV_MARKER] = cor__overlay_draw_marker,
                                    [COR__OV_AREA] = cor__overlay_draw_area,
                                    [COR__OV_CALLOUT] = cor__overlay_draw_callout};
    cor_status_t st = COR_OK;
    for (size_t i = 0; st == COR_OK && draws[kind] && i < p->o->n; i++) {
        const cor__overlay_t *ov = &p->o->items[i];
        if (ov->kind == kind && cor__overlay_drawn(p->o, i))
            st = draws[kind](p, ov);
    }
    return st;
}

/* Projects the places of every visible overlay but areas into p->spots. */
static cor_status_t collect_spots(cor__ov_pass_t *p)
{
    size_t cap = 0;
    for (size_t i = 0; i < p->o->n; i++) {
        const cor__overlay_t *ov = &p->o->items[i];
        if (ov->kind == COR__OV_AREA || !cor__overlay_visible(p->o, ov))
            continue;
        for (size_t k = 0; k < ov->nplaces; k++) {
            cor__pt_t q;
            if (!cor__overlay_project(p, &ov->places[k], &q))
                continue;
            if (!cor__grow((void **)&p->spots, &cap, p->nspots + 1, sizeof *p->spots))
                return cor__overlay_nomem(p->err);
            p->spots[p->nspots++] = (cor__ov_spot_t){q.x, q.y, ov};
        }
    }
    return COR_OK;
}

cor_status_t cor__overlays_draw_to(const cor__overlays_t *o, cor__textout_t *to,
                                   cor__to_page_fn to_page, void *ctx, cor__labeler_t *lb,
                                   size_t *skipped, cor_error_t *err)
{
    if (skipped)
        *skipped = 0;
    if (!o || o->n == 0)
        return COR_OK;
    if (!to || !to->cr || !to_page)
        return cor__fail(err, COR_ERR_USAGE, "overlays need a cairo context and a projection");
    cor__ov_pass_t p = {o, to, to->cr, to_page, ctx, lb, 0, err, NULL, 0};
    cor_status_t st = collect_spots(&p);
    if (st == COR_OK)
        st = draw_kind(&p, COR__OV_AREA);
    if (st == COR_OK)
        st = draw_kind(&p, COR__OV_ROUTE);
    if (st == COR_OK)
        st = cor__overlays_draw_flows(&p);
    if (st == COR_OK)
        st = draw_kind(&p, COR__OV_MARKER);
    if (st == COR_OK)
        st = draw_kind(&p, COR__OV_CALLOUT);
    free(p.spots);
    if (skipped)
        *skipped = p.skipped;
    if (st == COR_OK && cairo_status(to->cr) != CAIRO_STATUS_SUCCESS)
        return cor__fail(err, COR_ERR_RENDER, "drawing overlays: %s",
                         cairo_status_to_string(cairo_status(to->cr)));
    return st;
}

cor_status_t cor__overlays_draw(const cor__overlays_t *o, cairo_t *cr, cor__to_page_fn to_page,
                                void *ctx, cor__labeler_t *lb, cor_error_t *err)
{
    cor__textout_t to = {cr, NULL};
    return cor__overlays_draw_to(o, &to, to_page, ctx, lb, NULL, err);
}
