/* SPDX-License-Identifier: MIT */
/* overlay_head: the swept arrowhead of routes, flows and legend keys: its corners for a line's
 * end, width and direction, and its fill over a casing outline. Geometry and paint only: it
 * decides nothing about where heads go and knows no labeler. */
#include "overlay_head.h"

#include <math.h>

#include "overlay_draw.h"
#include "overlay_pass.h"
#include "paint.h"
#include "polyline.h"

#define HEAD_MIN_HALF 2.1
#define HEAD_NOTCH    0.8 /* the swept back edge's middle, as a share of the head's length */

void cor__overlay_head_size(double w, double *half, double *len)
{
    *half = fmax(HEAD_MIN_HALF, 0.5 * w + fmax(1.5, 0.55 * w));
    *len = fmax(COR__HEAD_MIN_LEN, 2.1 * *half);
}

void cor__arrowhead(double x, double y, double dx, double dy, double w, double pts[6], double *back)
{
    if (!(w > 0.0) || !isfinite(w))
        w = 0.0;
    cor__pt_t u = cor__polyline_unit(dx, dy);
    double hw, len;
    cor__overlay_head_size(w, &hw, &len);
    double bx = x - u.x * len, by = y - u.y * len;
    pts[0] = x;
    pts[1] = y;
    pts[2] = bx + u.y * hw; /* left of travel on a page whose y grows downwards */
    pts[3] = by - u.x * hw;
    pts[4] = bx - u.y * hw;
    pts[5] = by + u.x * hw;
    if (back) { /* between the sides meeting the line's corners and the notch */
        double lower = 0.5 * w * len / hw + 0.25, upper = HEAD_NOTCH * len;
        *back = 0.5 * (lower + upper);
    }
}

/* Adds the swept arrowhead: tip, left barb, the notch in the back edge, right barb. */
static void head_path(cairo_t *cr, const double h[6])
{
    double nx = h[0] + HEAD_NOTCH * ((h[2] + h[4]) / 2 - h[0]);
    double ny = h[1] + HEAD_NOTCH * ((h[3] + h[5]) / 2 - h[1]);
    cairo_move_to(cr, h[0], h[1]);
    cairo_line_to(cr, h[2], h[3]);
    cairo_line_to(cr, nx, ny);
    cairo_line_to(cr, h[4], h[5]);
    cairo_close_path(cr);
}

/* Adds a polygon of n corners; with `swept`, the notched head. */
static void head_shape(cairo_t *cr, const double *q, int n, bool swept)
{
    cairo_new_path(cr);
    if (swept) {
        head_path(cr, q);
        return;
    }
    for (int i = 0; i < n; i++)
        cairo_line_to(cr, q[2 * i], q[2 * i + 1]);
    cairo_close_path(cr);
}

void cor__overlay_head_paint(cairo_t *cr, const double *q, int n, bool swept, const cor__look_t *lk,
                             bool casing)
{
    if (!lk->stroke_on || (casing && !cor__overlay_casing_visible(lk)))
        return;
    cairo_save(cr);
    cairo_set_dash(cr, NULL, 0, 0.0);
    head_shape(cr, q, n, swept);
    if (casing) {
        cairo_set_line_width(cr, lk->casing_width);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cor__paint_set_color(cr, lk->casing, lk->opacity);
        cairo_stroke(cr);
    } else {
        cor__paint_set_color(cr, lk->stroke, lk->opacity);
        cairo_fill(cr);
    }
    cairo_restore(cr);
}

void cor__overlay_head_draw(cairo_t *cr, const double h[6], const cor__look_t *lk)
{
    cor__overlay_head_paint(cr, h, 3, true, lk, true);
    cor__overlay_head_paint(cr, h, 3, true, lk, false);
}

double cor__overlay_head_stop(const cor__look_t *lk, double back)
{
    return back + (lk->cap == COR__CAP_BUTT ? 0.0 : lk->width / 2);
}

double cor__overlay_head_place(const cor__polyline_t *l, double tip, double from,
                               const cor__look_t *lk, double h[6])
{
    double back;
    cor__pt_t a = cor__polyline_at(l, tip, NULL), b = cor__polyline_at(l, from, NULL);
    cor__arrowhead(a.x, a.y, a.x - b.x, a.y - b.y, lk->width, h, &back);
    return cor__overlay_head_stop(lk, back);
}
