/* SPDX-License-Identifier: MIT */
/* graticule: the spacing (round, so that few lines cross the page's centre lines), each line
 * densified, projected and cut where PROJ has gaps or the page ends, and one label per line at
 * the first map edge where it fits. It must not place corner pieces (it reads where they went)
 * or know about the map's layers. */
#include "graticule.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "furniture_parts.h"
#include "geom.h"
#include "paint.h"
#include "util.h"

#define TICK_OFFSET    1.5 /* a graticule label's distance from its line and the edge */
#define GRAT_WIDTH     0.3
#define GRAT_LINES_MAX 8   /* an automatic graticule has at most this many lines each way */
#define GRAT_HARD_MAX  360 /* any graticule: the spacing grows to keep below this */
#define GRAT_SEGMENTS  64  /* a graticule line is densified into this many steps at least */

#define DEG "\xc2\xb0"

static const cor_color_t GRATICULE = {0x8a / 255.0, 0xa0 / 255.0, 0xb4 / 255.0, 0.6};

/* ---- spacing -------------------------------------------------------------------------------- */

static size_t count_lines(double lo, double hi, double step)
{
    double a = ceil(lo / step - 1e-9), b = floor(hi / step + 1e-9);
    return b >= a ? (size_t)(b - a + 1) : 0;
}

/* The lon/lat ranges along the page's horizontal and vertical centre lines: what the reader
 * sees across the page, unlike the box of the whole page, which a conic's corners inflate.
 * Returns: false when a centre line cannot be projected. */
static bool centre_spans(const cor__frame_t *fr, cor__xform_t *xf, cor_bbox_t *span)
{
    enum { N = 33 };
    double x[2 * N], y[2 * N];
    for (int i = 0; i < N; i++) {
        x[i] = fr->box.minx + (fr->box.maxx - fr->box.minx) * i / (N - 1);
        y[i] = (fr->box.miny + fr->box.maxy) / 2;
        x[N + i] = (fr->box.minx + fr->box.maxx) / 2;
        y[N + i] = fr->box.miny + (fr->box.maxy - fr->box.miny) * i / (N - 1);
    }
    if (cor__xform_points(xf, true, x, y, 2 * N) > 0)
        return false;
    *span = (cor_bbox_t){x[0], INFINITY, x[0], -INFINITY};
    for (int i = 1; i < N; i++) { /* unwrapped across the antimeridian */
        x[i] += 360 * round((x[i - 1] - x[i]) / 360);
        span->minx = fmin(span->minx, x[i]), span->maxx = fmax(span->maxx, x[i]);
    }
    for (int i = N; i < 2 * N; i++)
        span->miny = fmin(span->miny, y[i]), span->maxy = fmax(span->maxy, y[i]);
    return isfinite(span->minx + span->maxx + span->miny + span->maxy);
}

/* The smallest round spacing at which at most GRAT_LINES_MAX meridians cross the page's
 * horizontal centre line and as many parallels its vertical one. */
static double auto_step(const cor__frame_t *fr, cor__xform_t *xf, cor_bbox_t ll)
{
    static const double steps[] = {0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 15, 30};
    cor_bbox_t c;
    if (!centre_spans(fr, xf, &c))
        c = ll;
    for (size_t i = 0; i < COR__ARRAY_LEN(steps); i++) {
        size_t nm = count_lines(c.minx, c.maxx, steps[i]);
        size_t np = count_lines(c.miny, c.maxy, steps[i]);
        if (nm <= GRAT_LINES_MAX && np <= GRAT_LINES_MAX)
            return steps[i];
    }
    return 30;
}

/* ---- labels at the edge ---------------------------------------------------------------------- */

/* "25°E", "50°N", "20°W", "0°", "180°". */
static void format_degrees(double v, bool lon, char *buf, size_t n)
{
    char num[48];
    if (lon) {
        v = fmod(v + 180, 360);
        v = (v < 0 ? v + 360 : v) - 180;
        if (fabs(v + 180) < 1e-9)
            v = 180;
    }
    if (fabs(v) < 1e-9)
        v = 0;
    cor__fparts_format_number(round(fabs(v) * 1e4) / 1e4, num, sizeof num);
    const char *hemi = v == 0 || (lon && v == 180) ? ""
                       : lon                       ? (v > 0 ? "E" : "W")
                                                   : (v > 0 ? "N" : "S");
    snprintf(buf, n, "%s" DEG "%s", num, hemi);
}

/* The first crossing of the polyline with the horizontal (vertical when `vertical`) line at c,
 * between lo and hi along it. Returns: false when there is none. */
static bool crossing(const double *x, const double *y, size_t n, bool vertical, double c, double lo,
                     double hi, double *at)
{
    const double *a = vertical ? x : y, *b = vertical ? y : x;
    for (size_t i = 0; i + 1 < n; i++) {
        if (!isfinite(a[i]) || !isfinite(a[i + 1]) || !isfinite(b[i]) || !isfinite(b[i + 1]) ||
            a[i] == a[i + 1] || (a[i] - c) * (a[i + 1] - c) > 0)
            continue;
        double t = (c - a[i]) / (a[i + 1] - a[i]), v = b[i] + t * (b[i + 1] - b[i]);
        if (v > lo && v < hi) {
            *at = v;
            return true;
        }
    }
    return false;
}

/* Returns: true when a graticule label's box may go there: inside the map's area, off all
 * furniture and off the labels already placed. */
static bool tick_free(const cor__layout_t *l, cor_bbox_t b, double bottom)
{
    if (b.minx < 0 || b.miny < 0 || b.maxx > l->width || b.maxy > bottom)
        return false;
    for (int i = 0; i < COR__FPART_COUNT; i++) {
        if (l->parts[i].on && cor__fparts_overlap_area(b, l->parts[i].box) > 0)
            return false;
    }
    for (size_t i = 0; i < l->ticks.n; i++) {
        if (cor__fparts_overlap_area(b, l->ticks.v[i].box) > 0)
            return false;
    }
    return true;
}

/* Labels a line where it crosses the map's edge: a meridian at the bottom (else the top), a
 * parallel on the left (else the right); beside the line, inside the map. */
static bool label_line(cor__layout_t *l, const double *x, const double *y, size_t n, bool meridian,
                       double value)
{
    double k = l->k, off = TICK_OFFSET * k, w, h, at;
    double bottom =
        l->parts[COR__FPART_CREDITS].on ? l->parts[COR__FPART_CREDITS].box.miny : l->height;
    char text[64];
    format_degrees(value, meridian, text, sizeof text);
    cor__fparts_measure(l, COR__FTS_TICK, text, &w, &h);
    for (int edge = 0; edge < 2; edge++) {
        cor_bbox_t b;
        if (meridian) {
            double ey = edge == 0 ? bottom : 0;
            if (!crossing(x, y, n, false, ey, 0, l->width, &at))
                continue;
            b = cor__fparts_box_xywh(at + off, edge == 0 ? ey - off - h : off, w, h);
        } else {
            double ex = edge == 0 ? 0 : l->width;
            if (!crossing(x, y, n, true, ex, 0, bottom, &at))
                continue;
            b = cor__fparts_box_xywh(edge == 0 ? off : l->width - off - w, at - off * 0.7 - h, w,
                                     h);
        }
        if (!tick_free(l, b, bottom))
            continue;
        if (!cor__fparts_items_push(&l->ticks, text, COR__FTS_TICK, b.minx, b.miny,
                                    COR__ANCHOR_LEFT))
            return false;
        l->ticks.v[l->ticks.n - 1].box = b;
        return true;
    }
    return true;
}

/* ---- lines ---------------------------------------------------------------------------------- */

/* Appends the page-space polyline's pieces inside the page to the graticule. */
static bool add_pieces(cor__layout_t *l, const double *x, const double *y, size_t n, bool meridian,
                       double value)
{
    cor__geom_t g = {0};
    g.kind = COR__GEOM_LINE;
    bool ok = true;
    for (size_t i = 0; ok && i < n;) { /* finite runs only: PROJ's gaps break the line */
        size_t j = i;
        while (j < n && isfinite(x[j]) && isfinite(y[j]))
            j++;
        if (j - i >= 2)
            ok = cor__geom_add_part(&g, x + i, y + i, j - i);
        i = j + 1;
    }
    ok = ok && cor__geom_clip(&g, (cor_bbox_t){0, 0, l->width, l->height});
    for (size_t p = 0; ok && p < g.nparts; p++) {
        size_t a = g.parts[p], b = g.parts[p + 1];
        ok = cor__grow((void **)&l->meta, &l->cap_meta, l->grat.nparts + 1, sizeof *l->meta) &&
             cor__geom_add_part(&l->grat, g.x + a, g.y + a, b - a);
        if (ok)
            l->meta[l->grat.nparts - 1] = (cor__grat_meta_t){meridian, value};
    }
    cor__geom_free(&g);
    return ok;
}

/* One meridian (lon = value from lat lo to hi) or parallel, densified in lon/lat, projected,
 * labelled and clipped. */
static bool grat_line(cor__layout_t *l, const cor__frame_t *fr, cor__xform_t *xf, bool meridian,
                      double value, double lo, double hi)
{
    double ex[2] = {value, value}, ey[2] = {value, value}, *x = NULL, *y = NULL;
    size_t n = 0;
    if (meridian)
        ey[0] = lo, ey[1] = hi;
    else
        ex[0] = lo, ex[1] = hi;
    if (!cor__densify(ex, ey, 2, (hi - lo) / GRAT_SEGMENTS, &x, &y, &n))
        return false;
    cor__fparts_lonlat_page(fr, xf, x, y, n);
    bool ok = label_line(l, x, y, n, meridian, value) && add_pieces(l, x, y, n, meridian, value);
    free(x);
    free(y);
    return ok;
}

bool cor__graticule_build(cor__layout_t *l, const cor__furniture_t *f, const cor__frame_t *fr,
                          cor__xform_t *xf)
{
    cor_bbox_t ll;
    l->grat.kind = COR__GEOM_LINE;
    if (!xf || f->graticule < 0 || !isfinite(f->graticule) ||
        cor__xform_bbox(xf, true, fr->box, &ll, NULL) != COR_OK)
        return true;
    if (ll.minx > ll.maxx)
        ll.maxx += 360; /* across the antimeridian */
    ll.miny = fmax(ll.miny, -90), ll.maxy = fmin(ll.maxy, 90);
    double step = f->graticule > 0 ? f->graticule : auto_step(fr, xf, ll);
    double span = fmax(ll.maxx - ll.minx, ll.maxy - ll.miny);
    if (span / step > GRAT_HARD_MAX)
        step = span / GRAT_HARD_MAX;
    l->step = step;
    double lat0 = fmax(ll.miny, -89.999), lat1 = fmin(ll.maxy, 89.999);
    for (double i = ceil(ll.minx / step - 1e-9); i * step <= ll.maxx + 1e-9 * step; i++) {
        if (!grat_line(l, fr, xf, true, i * step, lat0, lat1))
            return false;
        l->nmeridians++;
    }
    for (double i = ceil(ll.miny / step - 1e-9); i * step <= ll.maxy + 1e-9 * step; i++) {
        if (fabs(i * step) >= 90 - 1e-9)
            continue; /* the poles are points */
        if (!grat_line(l, fr, xf, false, i * step, ll.minx, ll.maxx))
            return false;
        l->nparallels++;
    }
    return true;
}

/* ---- drawing -------------------------------------------------------------------------------- */

cor_status_t cor__graticule_draw(const cor__layout_t *l, cairo_t *cr, cor__textout_t *to,
                                 cor_error_t *err)
{
    cairo_save(cr);
    cairo_new_path(cr);
    for (size_t p = 0; p < l->grat.nparts; p++) {
        cairo_new_sub_path(cr);
        for (size_t i = l->grat.parts[p]; i < l->grat.parts[p + 1]; i++)
            cairo_line_to(cr, l->grat.x[i], l->grat.y[i]);
    }
    cairo_set_line_width(cr, GRAT_WIDTH * l->k);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cor__paint_set_color(cr, GRATICULE, 1);
    cairo_stroke(cr);
    cairo_restore(cr);
    cor_status_t st = cor__fparts_cairo_ok(cr, err);
    if (st == COR_OK)
        st = cor__fparts_draw_texts(l, &l->ticks, 0, 0, to, err);
    return st;
}
