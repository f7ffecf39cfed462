/* overlay_marker: the overlays that mark: a marker's symbol at its places with its label
 * around it, an area's polygon filled or hatched with its label at the centroid, and a
 * callout's boxed text with a leader to its place. Each symbol and box is an obstacle to other
 * labels. It draws nothing else and decides no order. */
#include "overlay_marker.h"

#include <math.h>
#include <stdlib.h>

#include "paint.h"
#include "util.h"

#define CALLOUT_PAD 2.0
#define CALLOUT_AT  14.0 /* the default offset of a callout's box, pt */

static cor_color_t main_color(const cor__look_t *lk)
{
    return lk->fill_on ? lk->fill : lk->stroke;
}

/* The symbol at every place (the first one labelled); each symbol's box is an obstacle. */
cor_status_t cor__overlay_draw_marker(cor__ov_pass_t *p, const cor__overlay_t *ov)
{
    const cor__look_t *lk = &ov->look;
    double r =
        lk->marker != COR__MARKER_NONE && isfinite(lk->size) && lk->size > 0.0 ? lk->size / 2 : 0.0;
    cor__pt_t q;
    for (size_t k = 0; k < ov->nplaces; k++) {
        if (!cor__overlay_project(p, &ov->places[k], &q)) {
            p->skipped++;
            return COR_OK;
        }
    }
    if (ov->nplaces == 0) {
        p->skipped++;
        return COR_OK;
    }
    char *text = NULL;
    cor_status_t st = p->lb ? cor__overlay_label_text(ov, &text, p->err) : COR_OK;
    for (size_t k = 0; st == COR_OK && k < ov->nplaces; k++) {
        cor__overlay_project(p, &ov->places[k], &q);
        if (r > 0.0)
            cor__paint_marker(p->cr, lk->marker, q.x, q.y, lk->size, lk);
        if (k == 0 && text) {
            cor__text_style_t ts = cor__overlay_label_style(ov, main_color(lk));
            st = cor__labeler_add_point(p->lb, text, q.x, q.y, r, &ts, ov->priority, p->err);
        } else if (p->lb && r > 0.0) {
            cor__labeler_obstacle(p->lb, COR__KIND_MARKER, text,
                                  (cor_bbox_t){q.x - r, q.y - r, q.x + r, q.y + r});
        }
    }
    free(text);
    return st;
}

/* The polygon through the places, densified and projected: filled (or hatched), cased and
 * outlined with the look; its label at its centroid. */
cor_status_t cor__overlay_draw_area(cor__ov_pass_t *p, const cor__overlay_t *ov)
{
    cor__polyline_t l = {0};
    cor__geom_t g;
    cor_status_t st = cor__overlay_project_path(p, ov, true, &l);
    if (st == COR_ERR_CRS || (st == COR_OK && l.n < 4)) {
        p->skipped++;
        cor__polyline_free(&l);
        return COR_OK;
    }
    if (st != COR_OK || !cor__polyline_geom(&l, COR__GEOM_POLYGON, &g)) {
        cor__polyline_free(&l);
        return cor__overlay_nomem(p->err);
    }
    cor__look_t lk = ov->look;
    lk.hatch = lk.hatch || ov->hatch;
    cor__paint_fill(p->cr, &g, &lk);
    cor__paint_stroke(p->cr, &g, &lk, true);
    cor__paint_stroke(p->cr, &g, &lk, false);
    cor__geom_free(&g);
    char *text = NULL;
    st = p->lb ? cor__overlay_label_text(ov, &text, p->err) : COR_OK;
    if (text) {
        cor__pt_t c = cor__polyline_centroid(&l);
        cor__text_style_t ts = cor__overlay_label_style(ov, main_color(&lk));
        st = cor__labeler_add_area(p->lb, text, c.x, c.y, &ts, ov->priority, p->err);
    }
    free(text);
    cor__polyline_free(&l);
    return st;
}

/* Moves a box centre c so a box of half-size (hw, hh) stays inside the drawable area (the clip
 * the map sets to its page), when it fits at all: a callout offset meant for one page size
 * must not fall off a smaller one. */
static void keep_on_page(cairo_t *cr, double hw, double hh, cor__pt_t *c)
{
    double x0, y0, x1, y1;
    cairo_clip_extents(cr, &x0, &y0, &x1, &y1);
    if (x1 - x0 >= 2 * hw)
        c->x = fmin(fmax(c->x, x0 + hw), x1 - hw);
    if (y1 - y0 >= 2 * hh)
        c->y = fmin(fmax(c->y, y0 + hh), y1 - hh);
}

/* A callout's text style: its label_size (else COR__CALLOUT_SIZE), regular, its label_color (else
 * near-black), no halo. */
static cor__text_style_t callout_style(const cor__overlay_t *ov)
{
    cor__text_style_t ts = {.size = cor__overlay_setting(ov->label_size, COR__CALLOUT_SIZE),
                            .weight = 400};
    ts.color = ov->label_color.a > 0.0 ? ov->label_color : (cor_color_t){0.13, 0.13, 0.13, 1};
    return ts;
}

/* Returns: the centre of the box of a callout from the place at q, for text tw x th pt. */
static cor__pt_t callout_centre(cairo_t *cr, const cor__overlay_t *ov, cor__pt_t q, double tw,
                                double th)
{
    double dx = ov->dx, dy = ov->dy;
    if (!isfinite(dx) || !isfinite(dy) || (dx == 0.0 && dy == 0.0))
        dx = CALLOUT_AT, dy = -CALLOUT_AT;
    cor__pt_t c = {q.x + dx, q.y + dy};
    keep_on_page(cr, tw / 2 + CALLOUT_PAD + 2, th / 2 + CALLOUT_PAD + 2, &c);
    return c;
}

/* Paints the leader from the place at q to the box's nearest point, the dot at q, and the box
 * with its border of width lw. */
static void callout_paint(cairo_t *cr, const cor__look_t *lk, cor__pt_t q, cor_bbox_t box,
                          double lw)
{
    cor_color_t line = lk->stroke_on ? lk->stroke : (cor_color_t){0.27, 0.27, 0.27, 1};
    cor_color_t fill = lk->fill_on ? lk->fill : (cor_color_t){1, 1, 1, 0.88};
    cor__pt_t e = {fmin(fmax(q.x, box.minx), box.maxx), fmin(fmax(q.y, box.miny), box.maxy)};
    cairo_save(cr);
    cairo_new_path(cr);
    cor__paint_set_color(cr, line, lk->opacity);
    if (cor__polyline_dist(q, e) > 0.0) {
        cairo_set_line_width(cr, fmax(lw, 0.6));
        cairo_move_to(cr, q.x, q.y);
        cairo_line_to(cr, e.x, e.y);
        cairo_stroke(cr);
    }
    cairo_arc(cr, q.x, q.y, 1.1, 0, 2 * M_PI);
    cairo_fill(cr);
    cairo_rectangle(cr, box.minx, box.miny, box.maxx - box.minx, box.maxy - box.miny);
    cor__paint_set_color(cr, fill, lk->opacity);
    cairo_fill_preserve(cr);
    cairo_set_line_width(cr, lw);
    cor__paint_set_color(cr, line, lk->opacity);
    cairo_stroke(cr);
    cairo_restore(cr);
}

cor_status_t cor__overlay_draw_callout(cor__ov_pass_t *p, const cor__overlay_t *ov)
{
    cor__pt_t q;
    if (ov->nplaces == 0 || !cor__overlay_project(p, &ov->places[0], &q)) {
        p->skipped++;
        return COR_OK;
    }
    char *text = NULL;
    cor_status_t st = cor__overlay_label_text(ov, &text, p->err);
    if (st != COR_OK || !text)
        return st;
    const cor__look_t *lk = &ov->look;
    cor__text_style_t ts = callout_style(ov);
    double tw, th;
    cor__text_measure(text, &ts, &tw, &th);
    cor__pt_t c = callout_centre(p->cr, ov, q, tw, th);
    cor_bbox_t box = {c.x - tw / 2 - CALLOUT_PAD, c.y - th / 2 - CALLOUT_PAD,
                      c.x + tw / 2 + CALLOUT_PAD, c.y + th / 2 + CALLOUT_PAD};
    double lw = lk->stroke_on && lk->width > 0.0 ? fmin(lk->width, 1.5) : 0.5;
    callout_paint(p->cr, lk, q, box, lw);
    if (p->lb)
        cor__labeler_obstacle(p->lb, COR__KIND_CALLOUT, text,
                              (cor_bbox_t){box.minx - lw / 2, box.miny - lw / 2, box.maxx + lw / 2,
                                           box.maxy + lw / 2});
    st = cor__text_draw(p->to, text, &ts, c.x, c.y - th / 2, COR__ANCHOR_CENTER, p->err);
    free(text);
    return st;
}
