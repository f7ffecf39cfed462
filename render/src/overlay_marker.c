/* SPDX-License-Identifier: MIT */
/* overlay_marker: the overlays that mark: a marker's symbol at its places with its label
 * around it, an area's polygon filled or hatched with its label at the centroid, and a
 * callout's boxed text with a leader to its place. Each symbol and box is an obstacle to other
 * labels. It draws nothing else and decides no order. */
#include "overlay_marker.h"

#include <math.h>
#include <stdlib.h>

#include "paint.h"
#include "util.h"

#define CALLOUT_PAD  2.0
#define CALLOUT_AT   14.0 /* the default offset of a callout's box, pt */
#define LEADER_SHARE 0.25 /* of the page's shorter side: the longest leader */
#define AROUND       12.0 /* pt around a callout's box where markers want room for their labels */

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

/* A callout's text style: its label_size (else COR__CALLOUT_SIZE), regular, its label_color (else
 * near-black), no halo. */
static cor__text_style_t callout_style(const cor__overlay_t *ov)
{
    cor__text_style_t ts = {.size = cor__overlay_setting(ov->label_size, COR__CALLOUT_SIZE),
                            .weight = 400};
    ts.color = ov->label_color.a > 0.0 ? ov->label_color : (cor_color_t){0.13, 0.13, 0.13, 1};
    return ts;
}

/* Where a callout's box may go: a box of half-size (hw, hh) from its place q, its leader from
 * q to the box's nearest point. */
typedef struct callout_fit {
    cor__pt_t q;
    double hw, hh, lw;
} callout_fit_t;

static cor_bbox_t fit_box(const callout_fit_t *f, cor__pt_t c)
{
    return (cor_bbox_t){c.x - f->hw, c.y - f->hh, c.x + f->hw, c.y + f->hh};
}

/* Returns: the point of box nearest q (where the leader meets the box). */
static cor__pt_t leader_end(cor__pt_t q, cor_bbox_t box)
{
    return (cor__pt_t){fmin(fmax(q.x, box.minx), box.maxx), fmin(fmax(q.y, box.miny), box.maxy)};
}

/* Returns: the score of a box centred on c (lower is better), HUGE_VAL when it may not go there:
 * off the page, over anything solid or its own place, with a leader longer than a quarter of
 * the page's shorter side or one that crosses a callout, furniture, another leader or a marker
 * (but at its own place). It prefers boxes near their
 * place that cover no route or flow and leave room around markers for their labels. */
static double callout_score(const cor__space_t *sp, const callout_fit_t *f, cor__pt_t c)
{
    double w, h, m = 2.0;
    cor__space_size(sp, &w, &h);
    cor_bbox_t box = fit_box(f, c), dot = {f->q.x - 2, f->q.y - 2, f->q.x + 2, f->q.y + 2};
    cor_bbox_t inked = {box.minx - f->lw / 2, box.miny - f->lw / 2, box.maxx + f->lw / 2,
                        box.maxy + f->lw / 2};
    if (inked.minx < m || inked.miny < m || inked.maxx > w - m || inked.maxy > h - m ||
        (dot.minx < inked.maxx && inked.minx < dot.maxx && dot.miny < inked.maxy &&
         inked.miny < dot.maxy) ||
        !cor__space_is_free(sp, inked, COR__KINDS_SOLID))
        return HUGE_VAL;
    cor__pt_t e = leader_end(f->q, box);
    double len = cor__polyline_dist(f->q, e), crosses = 0;
    if (len > LEADER_SHARE * fmin(w, h)) /* a leader across the map reads as a line of it */
        return HUGE_VAL;
    unsigned crossing = COR__KIND_BIT(COR__KIND_CALLOUT) | COR__KIND_BIT(COR__KIND_LEADER) |
                        COR__KINDS_FURNITURE | COR__KIND_BIT(COR__KIND_MARKER);
    if (len > 6.0) { /* the leader, from clear of its own place's symbol */
        double sx = f->q.x + (e.x - f->q.x) * 6.0 / len, sy = f->q.y + (e.y - f->q.y) * 6.0 / len;
        if (!cor__space_segment_is_free(sp, sx, sy, e.x, e.y, 0.5, crossing))
            return HUGE_VAL;
        crosses = !cor__space_segment_is_free(sp, sx, sy, e.x, e.y, 0.5, COR__KINDS_LINES);
    }
    cor_bbox_t around = {box.minx - AROUND, box.miny - AROUND, box.maxx + AROUND,
                         box.maxy + AROUND};
    return 4.0 * cor__space_cover(sp, box, COR__KINDS_LINES) +
           5.0 * cor__space_cover(sp, around, COR__KIND_BIT(COR__KIND_MARKER)) + 3.0 * len +
           300.0 * crosses;
}

#define CALLOUT_RINGS 6

/* Returns: the centre of candidate k of a callout's box: 0 the style's offset (dx, dy), 1-3
 * its mirror images, then sixteen directions around the place at growing distances. */
static cor__pt_t callout_candidate(const callout_fit_t *f, double dx, double dy, int k)
{
    static const double dist[CALLOUT_RINGS] = {8, 20, 36, 60, 90, 130};
    if (k < 4)
        return (cor__pt_t){f->q.x + (k & 1 ? -dx : dx), f->q.y + (k & 2 ? -dy : dy)};
    k -= 4;
    double d = dist[k / 16], a = (k % 16) * M_PI / 8; /* east, then clockwise on the page */
    double ux = cos(a), uy = sin(a);
    return (cor__pt_t){f->q.x + ux * (d + f->hw), f->q.y + uy * (d + f->hh)};
}

/* Searches the candidates for the best free place of a callout's box.
 * Returns: false when none is free. */
static bool callout_place(const cor__space_t *sp, const cor__overlay_t *ov, const callout_fit_t *f,
                          cor__pt_t *out)
{
    double dx = ov->dx, dy = ov->dy, best = HUGE_VAL;
    if (!isfinite(dx) || !isfinite(dy) || (dx == 0.0 && dy == 0.0))
        dx = CALLOUT_AT + f->hw, dy = -CALLOUT_AT - f->hh;
    for (int k = 0; k < 4 + 16 * CALLOUT_RINGS; k++) {
        cor__pt_t c = callout_candidate(f, dx, dy, k);
        double s = callout_score(sp, f, c) + (k ? 40.0 : 0.0); /* the style's own offset first */
        if (s < best)
            best = s, *out = c;
    }
    return best < HUGE_VAL;
}

/* Returns: the centre of the box of a callout from the place at q, for text tw x th pt, without
 * a placement space to ask (a check): the style's offset. */
static cor__pt_t callout_centre(const cor__overlay_t *ov, cor__pt_t q)
{
    double dx = ov->dx, dy = ov->dy;
    if (!isfinite(dx) || !isfinite(dy) || (dx == 0.0 && dy == 0.0))
        dx = CALLOUT_AT, dy = -CALLOUT_AT;
    return (cor__pt_t){q.x + dx, q.y + dy};
}

/* Paints the leader from the place at q to the box's nearest point, the dot at q, and the box
 * with its border of width lw. */
static void callout_paint(cairo_t *cr, const cor__look_t *lk, cor__pt_t q, cor_bbox_t box,
                          double lw)
{
    cor_color_t line = lk->stroke_on ? lk->stroke : (cor_color_t){0.27, 0.27, 0.27, 1};
    cor_color_t fill = lk->fill_on ? lk->fill : (cor_color_t){1, 1, 1, 0.88};
    cor__pt_t e = leader_end(q, box);
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

/* Registers a drawn callout: its box, its leader and the dot at its place. */
static void callout_register(cor__labeler_t *lb, const char *text, const callout_fit_t *f,
                             cor_bbox_t box)
{
    cor__pt_t e = leader_end(f->q, box);
    cor__labeler_obstacle(lb, COR__KIND_CALLOUT, text,
                          (cor_bbox_t){box.minx - f->lw / 2, box.miny - f->lw / 2,
                                       box.maxx + f->lw / 2, box.maxy + f->lw / 2});
    if (cor__polyline_dist(f->q, e) > 0.0)
        cor__space_insert_line(cor__labeler_space(lb), COR__KIND_LEADER, text,
                               (double[]){f->q.x, f->q.y, e.x, e.y}, 2, fmax(f->lw, 0.6) / 2);
    cor__labeler_obstacle(lb, COR__KIND_MARKER, text,
                          (cor_bbox_t){f->q.x - 1.1, f->q.y - 1.1, f->q.x + 1.1, f->q.y + 1.1});
}

/* Returns: whether q lies on the page the labeler places on. */
static bool on_page(cor__labeler_t *lb, cor__pt_t q)
{
    double w, h;
    cor__space_size(cor__labeler_space(lb), &w, &h);
    return q.x >= 0 && q.y >= 0 && q.x <= w && q.y <= h;
}

/* A callout: its box placed by search where it covers nothing solid (with a placement space),
 * dropped and reported when its place is off the page or no place is free. */
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
    callout_fit_t f = {q, tw / 2 + CALLOUT_PAD, th / 2 + CALLOUT_PAD,
                       lk->stroke_on && lk->width > 0.0 ? fmin(lk->width, 1.5) : 0.5};
    cor__pt_t c = callout_centre(ov, q);
    const char *why = NULL;
    if (p->lb && !on_page(p->lb, q))
        why = "its place is off the page";
    else if (p->lb && !callout_place(cor__labeler_space(p->lb), ov, &f, &c))
        why = "no room";
    if (why) {
        bool ok = cor__space_drop(cor__labeler_space(p->lb), COR__KIND_CALLOUT, text, why);
        free(text);
        return ok ? COR_OK : cor__overlay_nomem(p->err);
    }
    cor_bbox_t box = fit_box(&f, c);
    callout_paint(p->cr, lk, q, box, f.lw);
    if (p->lb)
        callout_register(p->lb, text, &f, box);
    st = cor__text_draw(p->to, text, &ts, c.x, c.y - th / 2, COR__ANCHOR_CENTER, p->err);
    free(text);
    return st;
}
