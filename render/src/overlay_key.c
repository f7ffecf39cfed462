/* SPDX-License-Identifier: MIT */
/* overlay_key: the legend keys of overlays, drawn inside the box the legend gives: a short
 * line with a route's look, arrows and barrier, a shallow flow arrow at the flow's width, a
 * marker's symbol, an area's swatch, all thinned to fit. It places nothing on the map and
 * registers no obstacle; the legend (furniture) decides where keys go. */
#include "overlay_draw.h"

#include <math.h>

#include "overlay_head.h"
#include "overlay_pass.h"
#include "overlay_route.h"
#include "paint.h"
#include "polyline.h"

/* Shrinks a head about its tip to at most `half` either side (and its *back with it). */
static void head_fit(double h[6], double *back, double half)
{
    double hw = hypot(h[2] - h[4], h[3] - h[5]) / 2;
    if (!(hw > half) || !(half > 0.0))
        return;
    double k = half / hw;
    for (int i = 1; i < 3; i++) {
        h[2 * i] = h[0] + k * (h[2 * i] - h[0]);
        h[2 * i + 1] = h[1] + k * (h[2 * i + 1] - h[1]);
    }
    *back *= k;
}

/* A key's head at `tip`, pointing away from `from`, shrunk to at most `half` either side.
 * Returns: how far the line stops short of the tip. */
static double key_head(cor__pt_t tip, cor__pt_t from, const cor__look_t *lk, double half,
                       double h[6])
{
    double back = 0;
    cor__arrowhead(tip.x, tip.y, tip.x - from.x, tip.y - from.y, lk->width, h, &back);
    head_fit(h, &back, half);
    return cor__overlay_head_stop(lk, back);
}

/* The key's line from a to b, curving towards c (on the chord: straight), with heads as
 * wanted, all within `room` pt of the line's ends' height. */
static void key_line(cairo_t *cr, const cor__look_t *lk, cor__pt_t a, cor__pt_t c, cor__pt_t b,
                     bool head0, bool head1, double room)
{
    cor__polyline_t l = {0}, body = {0};
    double h0[6], h1[6], cw = cor__overlay_casing_half(lk);
    cor__pt_t c1 = {a.x + 2.0 / 3 * (c.x - a.x), a.y + 2.0 / 3 * (c.y - a.y)};
    cor__pt_t c2 = {b.x + 2.0 / 3 * (c.x - b.x), b.y + 2.0 / 3 * (c.y - b.y)};
    if (!cor__polyline_push(&l, a.x, a.y) || !cor__polyline_cubic(&l, a, c1, c2, b))
        goto done;
    double total = cor__polyline_length(&l), s0 = 0.0, s1 = total;
    if (head1)
        s1 = total - key_head(b, c2, lk, room - cw, h1);
    if (head0)
        s0 = key_head(a, c1, lk, room - cw, h0);
    if (s1 > s0 && cor__polyline_slice(&l, s0, s1, &body)) {
        cor__overlay_stroke(cr, &body, lk, true);
        cor__overlay_stroke(cr, &body, lk, false);
    }
    if (head0)
        cor__overlay_head_draw(cr, h0, lk);
    if (head1)
        cor__overlay_head_draw(cr, h1, lk);
done:
    cor__polyline_free(&l);
    cor__polyline_free(&body);
}

/* A route's key: a straight line across the box with its arrows, and its barrier when blocked,
 * thinned to fit the box's height. */
static void key_route(cairo_t *cr, const cor__overlays_t *o, const cor__overlay_t *ov, double x,
                      double y, double w, double h)
{
    cor__look_t lk = ov->look;
    lk.width = fmin(cor__overlay_setting(cor__overlay_route_width(o, ov), 1.0), h * 0.3);
    lk.casing_width = fmin(lk.casing_width, h * 0.15);
    lk = cor__overlay_route_look(&lk, ov->blocked);
    double inset =
        0.5 + (lk.cap == COR__CAP_BUTT ? 0.0 : lk.width / 2 + cor__overlay_casing_half(&lk));
    double cy = y + h / 2;
    cor__pt_t a = {x + inset, cy}, b = {x + w - inset, cy}, c = {(a.x + b.x) / 2, cy};
    bool head0 = ov->arrow == COR__ARROW_START || ov->arrow == COR__ARROW_BOTH;
    bool head1 = ov->arrow == COR__ARROW_END || ov->arrow == COR__ARROW_BOTH;
    a.x = head0 ? x + 0.5 + cor__overlay_casing_half(&lk) : a.x;
    b.x = head1 ? x + w - 0.5 - cor__overlay_casing_half(&lk) : b.x;
    key_line(cr, &lk, a, c, b, head0, head1, h / 2 - 0.3);
    if (ov->blocked && lk.stroke_on) {
        double reach = cor__overlay_barrier_reach(lk.width);
        cor__overlay_barrier_draw(cr, NULL, c, (cor__pt_t){1, 0}, &lk,
                                  fmin(1.0, (h / 2 - 0.3) / reach));
    }
}

/* A flow's key: a shallow arc rising to the right with its head, at the flow's width (at most
 * a quarter of the box's height). */
static void key_flow(cairo_t *cr, const cor__overlays_t *o, const cor__overlay_t *ov, double x,
                     double y, double w, double h)
{
    cor__look_t lk = ov->look;
    lk.width = fmin(cor__overlay_flow_width(o, ov, cor__overlays_max_flow(o)), h * 0.25);
    lk.casing_width = fmin(lk.casing_width, h * 0.1);
    double cw = cor__overlay_casing_half(&lk), sag = fmin(0.15 * w, h * 0.2);
    double inset = 0.5 + cw + (lk.cap == COR__CAP_BUTT ? 0.0 : lk.width / 2);
    double ey = y + h / 2 + sag / 2;
    cor__pt_t a = {x + inset, ey}, b = {x + w - 0.5 - cw, ey};
    cor__pt_t c = {(a.x + b.x) / 2, ey - 2 * sag};
    key_line(cr, &lk, a, c, b, false, true, fmin(h / 2 - sag / 2, h / 2 + sag / 2) - 0.3);
}

/* An area's key: a swatch filling the box (hatched when the area is), outlined without a
 * casing. */
static void key_area(cairo_t *cr, const cor__overlay_t *ov, double x, double y, double w, double h)
{
    cor__look_t lk = ov->look;
    lk.hatch = lk.hatch || ov->hatch;
    lk.casing_on = false;
    lk.width = fmin(cor__overlay_setting(lk.width, 0.0), h * 0.2);
    double in = 0.5 + (lk.stroke_on ? lk.width / 2 : 0.0);
    const double px[4] = {x + in, x + w - in, x + w - in, x + in};
    const double py[4] = {y + in, y + in, y + h - in, y + h - in};
    cor__geom_t g = {.kind = COR__GEOM_POLYGON};
    if (w > 2 * in && h > 2 * in && cor__geom_add_part(&g, px, py, 4)) {
        cor__paint_fill(cr, &g, &lk);
        lk.join = COR__JOIN_MITER;
        cor__paint_stroke(cr, &g, &lk, false);
    }
    cor__geom_free(&g);
}

void cor__overlay_draw_key(cairo_t *cr, const cor__overlays_t *o, const cor__overlay_t *ov,
                           double x, double y, double w, double h)
{
    if (!cr || !ov || !(w > 2.0) || !(h > 2.0) || !isfinite(x + y + w + h))
        return;
    cairo_save(cr);
    cairo_new_path(cr);
    switch (ov->kind) {
    case COR__OV_ROUTE:
        key_route(cr, o, ov, x, y, w, h);
        break;
    case COR__OV_FLOW:
        key_flow(cr, o, ov, x, y, w, h);
        break;
    case COR__OV_MARKER: {
        double size = fmin(cor__overlay_setting(ov->look.size, 0.0), fmin(w, h) - 1.0);
        if (size > 0.0)
            cor__paint_marker(cr, ov->look.marker, x + w / 2, y + h / 2, size, &ov->look);
        break;
    }
    case COR__OV_AREA:
        key_area(cr, ov, x, y, w, h);
        break;
    case COR__OV_CALLOUT:
        break;
    }
    cairo_new_path(cr);
    cairo_restore(cr);
}
