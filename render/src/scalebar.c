/* SPDX-License-Identifier: MIT */
/* scalebar: the scale bar and the north arrow. Ground metres per page point come from the CRS's
 * scale factor at the page centre, checked against a geodesic; north from a step north of the
 * centre. The bar's length is a round number near a share of the page width. It must not place
 * the piece (the layout does) or draw other furniture. */
#include "scalebar.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>

#include "furniture_parts.h"
#include "paint.h"
#include "util.h"

#define BAR_H            3.5
#define BAR_LABEL_GAP    1.5
#define BAR_SEGMENTS     4
#define BAR_TARGET       0.20 /* the bar aims at this share of the page width ... */
#define BAR_MAX          0.28 /* ... and is never longer than this share */
#define NORTH_LEN        16.0
#define NORTH_HALF_WIDTH 3.6
#define NORTH_GAP        8.0  /* scale bar to north arrow */
#define NORTH_STEP       0.01 /* degrees: how far north the arrow's direction is sampled */
#define SCALE_CHECK      0.02 /* relative disagreement beyond which the geodesic scale wins */

/* ---- projection at the page centre ---------------------------------------------------------- */

/* The lon/lat of page point (px, py). Returns: false where PROJ cannot tell. */
static bool page_lonlat(const cor__frame_t *fr, cor__xform_t *xf, double px, double py, double *lon,
                        double *lat)
{
    double x = fr->box.minx + px / fr->scale, y = fr->box.maxy - py / fr->scale;
    cor__xform_points(xf, true, &x, &y, 1);
    *lon = x, *lat = y;
    return isfinite(x) && isfinite(y);
}

/* Ground metres per page point along the horizontal through the page centre. Projected CRSs:
 * 1 / (points per CRS unit x the CRS's point scale factor there). Checked against the geodesic
 * length of a short horizontal step, which wins when they disagree (CRS units that are not
 * metres, or a projection whose scale differs along the parallel and the page's horizontal)
 * and is the answer for geographic CRSs. */
static cor_status_t metres_per_point(const cor__frame_t *fr, cor__xform_t *xf, double *mpp,
                                     cor_error_t *err)
{
    double cx = fr->width / 2, cy = fr->height / 2, s = fr->width / 100, lon, lat, lon1, lat1, lon2,
           lat2;
    double geo = NAN, sf = NAN;
    if (page_lonlat(fr, xf, cx, cy, &lon, &lat) &&
        page_lonlat(fr, xf, cx - s / 2, cy, &lon1, &lat1) &&
        page_lonlat(fr, xf, cx + s / 2, cy, &lon2, &lat2))
        geo = cor__geodesic_distance(fr->proj, lon1, lat1, lon2, lat2) / s;
    if (!cor__crs_is_geographic(fr->crs) && isfinite(lon)) {
        cor_status_t st = cor__crs_scale_at(fr->proj, fr->crs, lon, lat, &sf, err);
        if (st != COR_OK)
            return st;
        *mpp = 1 / (fr->scale * sf);
        if (!(isfinite(geo) && geo > 0) || fabs(*mpp / geo - 1) <= SCALE_CHECK)
            return isfinite(*mpp) && *mpp > 0
                       ? COR_OK
                       : cor__fail(err, COR_ERR_CRS, "no map scale at the page centre");
    }
    if (!(isfinite(geo) && geo > 0))
        return cor__fail(err, COR_ERR_CRS, "no map scale at the page centre");
    *mpp = geo;
    return COR_OK;
}

/* The direction of true north at the page centre, degrees clockwise from up. */
static cor_status_t north_angle(const cor__frame_t *fr, cor__xform_t *xf, double *deg,
                                cor_error_t *err)
{
    double lon, lat;
    if (!page_lonlat(fr, xf, fr->width / 2, fr->height / 2, &lon, &lat))
        return cor__fail(err, COR_ERR_CRS, "the page centre has no longitude and latitude");
    double d = lat + NORTH_STEP <= 90 ? NORTH_STEP : -NORTH_STEP;
    double x[2] = {lon, lon}, y[2] = {lat, lat + d};
    cor__fparts_lonlat_page(fr, xf, x, y, 2);
    double dx = (x[1] - x[0]) * (d > 0 ? 1 : -1), dy = (y[1] - y[0]) * (d > 0 ? 1 : -1);
    if (!isfinite(dx) || !isfinite(dy) || (dx == 0 && dy == 0))
        return cor__fail(err, COR_ERR_CRS, "no north at the page centre");
    *deg = atan2(dx, -dy) * 180 / M_PI;
    return COR_OK;
}

/* ---- layout --------------------------------------------------------------------------------- */

/* A round length (1, 2, 5 x 10^n m) near BAR_TARGET of the page width and at most BAR_MAX of
 * it: the candidate nearest the target (by ratio) among the two around it. */
static double round_length(double width, double mpp)
{
    double t = BAR_TARGET * width * mpp, lo = cor__fparts_nice_floor(t), hi;
    double b = pow(10, floor(log10(lo) + 1e-9)), m = lo / b;
    hi = (m < 1.5 ? 2 : m < 3 ? 5 : 10) * b;
    if (hi / mpp <= BAR_MAX * width && hi / t < t / lo)
        return hi;
    return lo;
}

/* The bar's three numbers and its label ("0", "100", "200 km"). */
static void bar_texts(double metres, char num[3][48], char *label, size_t n)
{
    bool km = metres >= 1000;
    double v = km ? metres / 1000 : metres;
    snprintf(num[0], 48, "0");
    cor__fparts_format_number(v / 2, num[1], 48);
    cor__fparts_format_number(v, num[2], 48);
    snprintf(label, n, "%s %s", num[2], km ? "km" : "m");
}

static double bar_height(const cor__layout_t *l)
{
    double w = 0, h = 0;
    cor__fparts_measure(l, COR__FTS_SCALE, "0", &w, &h);
    return h + (BAR_LABEL_GAP + BAR_H + 0.5) * l->k;
}

/* Lays the bar out with its top at y0. Returns: its width; -1 on exhaustion. */
static double bar_layout(cor__layout_t *l, double y0)
{
    cor__fpiece_t *p = &l->parts[COR__FPART_SCALEBAR];
    char num[3][48];
    double w0, wf, wl, h;
    bar_texts(l->metres, num, l->label, sizeof l->label);
    cor__fparts_measure(l, COR__FTS_SCALE, num[0], &w0, &h);
    cor__fparts_measure(l, COR__FTS_SCALE, num[2], &wf, &h);
    cor__fparts_measure(l, COR__FTS_SCALE, l->label, &wl, &h);
    double x0 = fmax(w0 / 2, 0.5 * l->k), x1 = x0 + l->points;
    l->bar_x = x0;
    l->bar_y = y0 + h + BAR_LABEL_GAP * l->k;
    if (!cor__fparts_items_push(&p->texts, num[0], COR__FTS_SCALE, x0, y0, COR__ANCHOR_CENTER) ||
        !cor__fparts_items_push(&p->texts, num[1], COR__FTS_SCALE, x0 + l->points / 2, y0,
                                COR__ANCHOR_CENTER) ||
        !cor__fparts_items_push(&p->texts, l->label, COR__FTS_SCALE, x1 - wf / 2, y0,
                                COR__ANCHOR_LEFT))
        return -1;
    return fmax(x1 - wf / 2 + wl, x1 + 0.5 * l->k);
}

/* The arrow's outline relative to its centre for angle a (radians): tip, left wing, notch,
 * right wing. */
static void arrow_points(double a, double k, double pts[4][2])
{
    double ux = sin(a), uy = -cos(a), vx = cos(a), vy = sin(a);
    double len = NORTH_LEN * k / 2, hw = NORTH_HALF_WIDTH * k;
    pts[0][0] = ux * len, pts[0][1] = uy * len;
    pts[1][0] = -ux * len - vx * hw, pts[1][1] = -uy * len - vy * hw;
    pts[2][0] = -ux * len * 0.45, pts[2][1] = -uy * len * 0.45;
    pts[3][0] = -ux * len + vx * hw, pts[3][1] = -uy * len + vy * hw;
}

/* Where the "N" goes relative to the arrow's centre: its centre, beyond the tip. */
static void north_letter(const cor__layout_t *l, double *cx, double *cy, double *w, double *h)
{
    double a = l->north_angle * M_PI / 180;
    cor__fparts_measure(l, COR__FTS_NORTH, "N", w, h);
    double r = NORTH_LEN * l->k / 2 + 1.0 * l->k + *h / 2;
    *cx = sin(a) * r, *cy = -cos(a) * r;
}

/* The box of the arrow and its letter relative to the arrow's centre. */
static cor_bbox_t north_extent(const cor__layout_t *l)
{
    double pts[4][2], cx, cy, w, h;
    arrow_points(l->north_angle * M_PI / 180, l->k, pts);
    north_letter(l, &cx, &cy, &w, &h);
    cor_bbox_t b = {cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2};
    for (int i = 0; i < 4; i++) {
        b.minx = fmin(b.minx, pts[i][0]), b.maxx = fmax(b.maxx, pts[i][0]);
        b.miny = fmin(b.miny, pts[i][1]), b.maxy = fmax(b.maxy, pts[i][1]);
    }
    double e = 0.5 * l->k; /* the outline */
    return (cor_bbox_t){b.minx - e, b.miny - e, b.maxx + e, b.maxy + e};
}

cor_status_t cor__scalebar_build(cor__layout_t *l, const cor__furniture_t *f,
                                 const cor__frame_t *fr, cor__xform_t *xf, cor_error_t *err)
{
    cor__fpiece_t *p = &l->parts[COR__FPART_SCALEBAR];
    bool bar = f->scalebar != COR__CORNER_NONE;
    cor_status_t st = COR_OK;
    double mpp = 0, bh = 0, bw = 0;
    if (!xf || (!bar && !f->north_arrow))
        return COR_OK;
    if (bar && (st = metres_per_point(fr, xf, &mpp, err)) != COR_OK)
        return st;
    if (f->north_arrow && (st = north_angle(fr, xf, &l->north_angle, err)) != COR_OK)
        return st;
    cor_bbox_t ne = {0, 0, 0, 0};
    if (f->north_arrow)
        ne = north_extent(l);
    if (bar) {
        l->metres = round_length(fr->width, mpp);
        l->points = l->metres / mpp;
        bh = bar_height(l);
    }
    p->h = fmax(bh, ne.maxy - ne.miny);
    if (bar && (bw = bar_layout(l, p->h - bh)) < 0)
        return cor__fail(err, COR_ERR_NOMEM, "out of memory laying out the scale bar");
    l->has_bar = bar;
    l->has_north = f->north_arrow;
    double ax = bar ? bw + NORTH_GAP * l->k : 0;
    l->north_x = ax - ne.minx;
    l->north_y = p->h - ne.maxy;
    p->w = f->north_arrow ? ax + ne.maxx - ne.minx : bw;
    /* the gap to the arrow goes with the bar: no label squeezes in between */
    l->bar_box =
        bar ? (cor_bbox_t){0, p->h - bh, f->north_arrow ? ax : bw, p->h} : (cor_bbox_t){0, 0, 0, 0};
    l->north_box = (cor_bbox_t){ax, l->north_y + ne.miny, ax + ne.maxx - ne.minx, p->h};
    p->on = true;
    p->corner = bar ? f->scalebar : COR__CORNER_AUTO;
    return COR_OK;
}

bool cor__scalebar_boxes(const cor__layout_t *l, cor_bbox_t *bar, cor_bbox_t *north)
{
    const cor__fpiece_t *p = &l->parts[COR__FPART_SCALEBAR];
    if (!p->on)
        return false;
    double x = p->box.minx, y = p->box.miny;
    const cor_bbox_t *b = &l->bar_box, *n = &l->north_box;
    *bar = l->has_bar ? (cor_bbox_t){x + b->minx, y + b->miny, x + b->maxx, y + b->maxy}
                      : (cor_bbox_t){0, 0, 0, 0};
    *north = l->has_north ? (cor_bbox_t){x + n->minx, y + n->miny, x + n->maxx, y + n->maxy}
                          : (cor_bbox_t){0, 0, 0, 0};
    return true;
}

/* ---- drawing -------------------------------------------------------------------------------- */

/* The classic bar: BAR_SEGMENTS segments alternating black and white in a black outline. */
static void draw_bar(const cor__layout_t *l, cairo_t *cr)
{
    const cor__fpiece_t *p = &l->parts[COR__FPART_SCALEBAR];
    double x = p->box.minx + l->bar_x, y = p->box.miny + l->bar_y, h = BAR_H * l->k;
    double seg = l->points / BAR_SEGMENTS, lw = 0.5 * l->k;
    cairo_save(cr);
    for (int i = 0; i < BAR_SEGMENTS; i++) {
        cairo_rectangle(cr, x + i * seg, y, seg, h);
        cor__paint_set_color(cr, i % 2 ? COR__FURNITURE_WHITE : COR__FURNITURE_INK, 1);
        cairo_fill(cr);
    }
    cairo_rectangle(cr, x, y, l->points, h);
    cairo_set_line_width(cr, lw);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
    cor__paint_set_color(cr, COR__FURNITURE_INK, 1);
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* The arrow: its left half black, its right half white, in a black outline. */
static void draw_north(const cor__layout_t *l, cairo_t *cr)
{
    const cor__fpiece_t *p = &l->parts[COR__FPART_SCALEBAR];
    double cx = p->box.minx + l->north_x, cy = p->box.miny + l->north_y, pts[4][2];
    arrow_points(l->north_angle * M_PI / 180, l->k, pts);
    cairo_save(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
    cairo_set_line_width(cr, 0.5 * l->k);
    for (int half = 0; half < 2; half++) {
        int wing = half == 0 ? 1 : 3;
        cairo_move_to(cr, cx + pts[0][0], cy + pts[0][1]);
        cairo_line_to(cr, cx + pts[wing][0], cy + pts[wing][1]);
        cairo_line_to(cr, cx + pts[2][0], cy + pts[2][1]);
        cairo_close_path(cr);
        cor__paint_set_color(cr, half == 0 ? COR__FURNITURE_INK : COR__FURNITURE_WHITE, 1);
        cairo_fill(cr);
    }
    for (int i = 0; i < 4; i++)
        cairo_line_to(cr, cx + pts[i][0], cy + pts[i][1]);
    cairo_close_path(cr);
    cor__paint_set_color(cr, COR__FURNITURE_INK, 1);
    cairo_stroke(cr);
    cairo_restore(cr);
}

void cor__scalebar_draw(const cor__layout_t *l, cairo_t *cr)
{
    if (l->parts[COR__FPART_SCALEBAR].on && l->has_bar)
        draw_bar(l, cr);
    if (l->parts[COR__FPART_SCALEBAR].on && l->has_north)
        draw_north(l, cr);
}

cor_status_t cor__scalebar_draw_letter(const cor__layout_t *l, cor__textout_t *to, cor_error_t *err)
{
    const cor__fpiece_t *p = &l->parts[COR__FPART_SCALEBAR];
    double nx, ny, w, h;
    if (!p->on || !l->has_north)
        return COR_OK;
    north_letter(l, &nx, &ny, &w, &h);
    return cor__text_draw(to, "N", &l->ts[COR__FTS_NORTH], p->box.minx + l->north_x + nx,
                          p->box.miny + l->north_y + ny - h / 2, COR__ANCHOR_CENTER, err);
}
