/* SPDX-License-Identifier: MIT */
/* overlay_pass: the pieces every kind of overlay draws with: projecting places (densified for
 * lines and rings), stroking page lines and their casings, marking lines and shapes as
 * obstacles for the labeler, the text and style of an overlay's label, and how far lines keep
 * from the places they end at. It draws no overlay of its own and decides no order. */
#include "overlay_pass.h"

#include <math.h>
#include <stdlib.h>

#include "overlay_bundle.h"
#include "paint.h"
#include "util.h"

#define DENSIFY_DEG 0.05   /* routes and areas: degrees between projected points */
#define MAX_STEPS   100000 /* the most pieces a segment is densified, or a line covered, in */
#define END_GAP     2.5    /* between an end place's dot and a flow or an arrow's tip, pt */
#define END_FREE    18.0   /* lines are no obstacle this near their places, pt */

bool cor__overlay_drawn(const cor__overlays_t *o, size_t i)
{
    return cor__overlay_visible(o, &o->items[i]) &&
           (o->draw_to == 0 || (i >= o->draw_from && i < o->draw_to));
}

bool cor__overlay_project(const cor__ov_pass_t *p, const cor__ov_place_t *pl, cor__pt_t *out)
{
    double x, y;
    if (!pl->resolved || !p->to_page(p->ctx, pl->lon, pl->lat, &x, &y) || !isfinite(x) ||
        !isfinite(y))
        return false;
    *out = (cor__pt_t){x, y};
    return true;
}

/* Appends the projection of the segment from place a to place b (without a's own point), every
 * DENSIFY_DEG in longitude and latitude. Returns: COR_OK; COR_ERR_CRS when a point cannot be
 * projected; COR_ERR_NOMEM. */
static cor_status_t project_segment(const cor__ov_pass_t *p, const cor__ov_place_t *a,
                                    const cor__ov_place_t *b, cor__polyline_t *out)
{
    double span = fmax(fabs(b->lon - a->lon), fabs(b->lat - a->lat));
    double steps = fmin(fmax(ceil(span / DENSIFY_DEG), 1.0), MAX_STEPS);
    for (double i = 1; i <= steps; i++) {
        cor__ov_place_t q = *b;
        q.lon = a->lon + (b->lon - a->lon) * i / steps;
        q.lat = a->lat + (b->lat - a->lat) * i / steps;
        cor__pt_t at;
        if (!cor__overlay_project(p, &q, &at))
            return COR_ERR_CRS;
        if (!cor__polyline_push(out, at.x, at.y))
            return COR_ERR_NOMEM;
    }
    return COR_OK;
}

cor_status_t cor__overlay_project_path(const cor__ov_pass_t *p, const cor__overlay_t *ov,
                                       bool close, cor__polyline_t *out)
{
    cor__pt_t first;
    if (ov->nplaces == 0 || !cor__overlay_project(p, &ov->places[0], &first))
        return COR_ERR_CRS;
    if (!cor__polyline_push(out, first.x, first.y))
        return COR_ERR_NOMEM;
    size_t n = ov->nplaces + (close ? 1 : 0);
    for (size_t i = 1; i < n; i++) {
        const cor__ov_place_t *b = &ov->places[i % ov->nplaces];
        if (!b->resolved)
            return COR_ERR_CRS;
        cor_status_t st = project_segment(p, &ov->places[i - 1], b, out);
        if (st != COR_OK)
            return st;
    }
    return COR_OK;
}

bool cor__overlay_casing_visible(const cor__look_t *lk)
{
    return lk->casing_on && lk->casing.a > 0.0 && isfinite(lk->casing_width) &&
           lk->casing_width > 0.0;
}

double cor__overlay_casing_half(const cor__look_t *lk)
{
    return cor__overlay_casing_visible(lk) ? lk->casing_width / 2 : 0.0;
}

bool cor__overlay_stroke(cairo_t *cr, const cor__polyline_t *l, const cor__look_t *lk, bool casing)
{
    cor__geom_t g;
    if (l->n < 2)
        return true;
    if (!cor__polyline_geom(l, COR__GEOM_LINE, &g))
        return false;
    cor__paint_stroke(cr, &g, lk, casing);
    cor__geom_free(&g);
    return true;
}

/* Returns: whether q lies within END_FREE + half of one of the n points in `free`. */
static bool near_any(cor__pt_t q, const cor__pt_t *free, size_t n, double half)
{
    bool near = false;
    for (size_t k = 0; k < n && !near; k++)
        near = cor__polyline_dist(q, free[k]) < END_FREE + half;
    return near;
}

cor__kind_t cor__overlay_space_kind(const cor__overlay_t *ov)
{
    return ov && ov->kind == COR__OV_FLOW ? COR__KIND_FLOW : COR__KIND_ROUTE;
}

const char *cor__overlay_space_text(const cor__overlay_t *ov)
{
    if (!ov)
        return "";
    return ov->label ? ov->label : ov->legend ? ov->legend : "";
}

#define RUN_MAX 64 /* points registered at once */

/* Registers the run of points (xy, n of them) as the overlay's line footprint; running out of
 * memory sticks in the space (cor__labeler_place and draw report it). */
static void register_run(cor__labeler_t *lb, const cor__overlay_t *ov, const double *xy, size_t n,
                         double half)
{
    if (n > 1)
        cor__space_insert_line(cor__labeler_space(lb), cor__overlay_space_kind(ov),
                               cor__overlay_space_text(ov), xy, n, half);
}

void cor__overlay_obstacles_along(cor__labeler_t *lb, const cor__overlay_t *ov,
                                  const cor__polyline_t *l, double half, const cor__pt_t *free,
                                  size_t n)
{
    double total = cor__polyline_length(l), run[2 * RUN_MAX];
    if (!lb || l->n < 2 || !(total > 0.0))
        return;
    double steps = fmin(ceil(total / COR__OV_OBST_STEP), MAX_STEPS);
    size_t nrun = 0;
    for (double i = 0; i <= steps; i++) {
        cor__pt_t q = cor__polyline_at(l, total * i / steps, NULL);
        if (near_any(q, free, n, half)) { /* a gap in the footprint: the run so far goes in */
            register_run(lb, ov, run, nrun, half);
            nrun = 0;
            continue;
        }
        if (nrun == RUN_MAX) { /* full: registered, and continued from its last point */
            register_run(lb, ov, run, nrun, half);
            run[0] = run[2 * nrun - 2], run[1] = run[2 * nrun - 1], nrun = 1;
        }
        run[2 * nrun] = q.x, run[2 * nrun + 1] = q.y, nrun++;
    }
    register_run(lb, ov, run, nrun, half);
}

void cor__overlay_obstacle_pts(cor__labeler_t *lb, const cor__overlay_t *ov, const double *xy,
                               size_t n, double pad)
{
    cor__pt_t q[5];
    n = n < 5 ? n : 5;
    for (size_t i = 0; lb && i < n; i++)
        q[i] = (cor__pt_t){xy[2 * i], xy[2 * i + 1]};
    if (lb)
        cor__labeler_obstacle(lb, cor__overlay_space_kind(ov),
                              ov ? cor__overlay_space_text(ov) : NULL,
                              cor__polyline_box(q, n, pad));
}

/* A colour dark enough for text: the overlay's own, darkened, or near-black for light ones. */
static cor_color_t text_color(cor_color_t c)
{
    double lum = 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
    if (!(c.a > 0.0) || lum > 0.55)
        return (cor_color_t){0.13, 0.13, 0.13, 1.0};
    return (cor_color_t){c.r * 0.7, c.g * 0.7, c.b * 0.7, 1.0};
}

cor__text_style_t cor__overlay_label_style(const cor__overlay_t *ov, cor_color_t base)
{
    cor__text_style_t ts = {0};
    ts.size = cor__overlay_setting(ov->label_size, COR__OVERLAY_LABEL_SIZE);
    ts.weight = 600;
    ts.color = ov->label_color.a > 0.0 ? ov->label_color : text_color(base);
    ts.halo = COR__LABEL_HALO;
    ts.halo_width = COR__OVERLAY_LABEL_HALO_WIDTH;
    return ts;
}

cor_status_t cor__overlay_label_text(const cor__overlay_t *ov, char **out, cor_error_t *err)
{
    *out = NULL;
    if (!ov->label || !ov->label[0])
        return COR_OK;
    *out = cor__asprintf("%s%s", ov->label, cor__overlay_note(ov));
    return *out ? COR_OK : cor__fail(err, COR_ERR_NOMEM, "out of memory for an overlay label");
}

cor_status_t cor__overlay_nomem(cor_error_t *err)
{
    return cor__fail(err, COR_ERR_NOMEM, "out of memory drawing overlays");
}

double cor__overlay_end_clear(const cor__ov_pass_t *p, cor__pt_t at)
{
    double r = COR__OV_DOT_R;
    for (size_t i = 0; i < p->o->n; i++) {
        const cor__overlay_t *m = &p->o->items[i];
        cor__pt_t q;
        if (m->kind != COR__OV_MARKER || !cor__overlay_visible(p->o, m) || m->nplaces == 0 ||
            m->look.marker == COR__MARKER_NONE || !cor__overlay_project(p, &m->places[0], &q))
            continue;
        if (cor__polyline_dist(q, at) < COR__OV_SAME_PLACE && isfinite(m->look.size))
            r = fmax(r, m->look.size / 2);
    }
    return r + END_GAP;
}
