/* SPDX-License-Identifier: MIT */
/* overlay_route: a route on the page: its densified line stopped short of its end places under
 * its arrowheads, the dash and barrier mark of a blocked route, obstacles along it, and its
 * label, fitted along the straightest stretch away from other overlays' places. It draws only
 * routes and never decides the order of the kinds. */
#include "overlay_route.h"

#include <math.h>
#include <stdlib.h>

#include "overlay_draw.h"
#include "overlay_head.h"
#include "paint.h"
#include "util.h"

#define BAR_LEN   3.2 /* barrier length / line width */
#define BAR_MIN   8.0
#define BAR_THICK 0.9
#define BAR_TMIN  2.2
#define BAR_MASK  0.35 /* the mask around the bar / line width */
#define BAR_MMIN  1.0

#define LABEL_STEP    2.0 /* a route's label is fitted to it in steps of this length, pt */
#define LABEL_TURN    (20 * M_PI / 180) /* the most it may turn per step */
#define LABEL_SMOOTH  5    /* steps either side averaged, three times, before fitting */
#define LABEL_SQUEEZE 0.35 /* the most offset text may be squeezed on the inside of a bend */
#define CROWD_R       15.0 /* a route's label shuns other overlays' places this near, pt */
#define CROWD_COST    2.0  /* the cost of a stretch entirely near them, against radians of turn */

double cor__overlay_route_width(const cor__overlays_t *o, const cor__overlay_t *ov)
{
    if (isfinite(ov->value) && ov->value > 0.0)
        return cor__flow_width(o, ov->value, cor__overlays_max_flow(o));
    return ov->look.width;
}

cor__look_t cor__overlay_route_look(const cor__look_t *look, bool blocked)
{
    cor__look_t lk = *look;
    if (blocked && lk.ndash == 0) {
        double w = cor__overlay_setting(lk.width, 1.0), caps = lk.cap == COR__CAP_BUTT ? 0.0 : w;
        lk.dash[0] = fmax(fmax(5.0, 1.8 * w) - caps, 0.01);
        lk.dash[1] = fmax(3.0, 1.1 * w) + caps;
        lk.ndash = 2;
    }
    return lk;
}

/* Where a route's line runs (arc lengths s0 to s1) and its arrowheads. */
typedef struct ends {
    double s0, s1;
    bool head0, head1;
    double h0[6], h1[6];
} ends_t;

/* Puts the wanted heads' tips the end clearance short of the end places, and stops the line
 * under them. A route too short for its heads gets none. */
static void route_ends(const cor__ov_pass_t *p, const cor__overlay_t *ov, const cor__polyline_t *l,
                       const cor__look_t *lk, ends_t *e)
{
    double total = cor__polyline_length(l), hw, len;
    bool want0 = ov->arrow == COR__ARROW_START || ov->arrow == COR__ARROW_BOTH;
    bool want1 = ov->arrow == COR__ARROW_END || ov->arrow == COR__ARROW_BOTH;
    cor__overlay_head_size(lk->width, &hw, &len);
    double r0 = want0 ? cor__overlay_end_clear(p, l->p[0]) : 0.0;
    double r1 = want1 ? cor__overlay_end_clear(p, l->p[l->n - 1]) : 0.0;
    double t0 = want0 ? cor__polyline_clear(l, r0, false) : 0.0;
    double t1 = want1 ? cor__polyline_clear(l, r1, true) : total;
    *e = (ends_t){.s0 = 0.0, .s1 = total};
    if (!(t1 - t0 > len * (want0 + want1) + 1.0))
        return;
    if (want1) {
        e->s1 = t1 - cor__overlay_head_place(l, t1, t1 - len, lk, e->h1);
        e->head1 = true;
    }
    if (want0) {
        e->s0 = t0 + cor__overlay_head_place(l, t0, t0 + len, lk, e->h0);
        e->head0 = true;
    }
}

/* A rectangle centred on c, `along` either way along t and `across` either way across it. */
static void quad(cor__pt_t c, cor__pt_t t, double along, double across, double q[8])
{
    const double sa[4] = {1, 1, -1, -1}, sc[4] = {1, -1, -1, 1};
    for (int i = 0; i < 4; i++) {
        q[2 * i] = c.x + sa[i] * along * t.x - sc[i] * across * t.y;
        q[2 * i + 1] = c.y + sa[i] * along * t.y + sc[i] * across * t.x;
    }
}

static void fill_quad(cairo_t *cr, const double q[8], cor_color_t c, double opacity)
{
    cairo_new_path(cr);
    for (int i = 0; i < 4; i++)
        cairo_line_to(cr, q[2 * i], q[2 * i + 1]);
    cairo_close_path(cr);
    cor__paint_set_color(cr, c, opacity);
    cairo_fill(cr);
}

void cor__overlay_barrier_draw(cairo_t *cr, cor__labeler_t *lb, cor__pt_t c, cor__pt_t t,
                               const cor__look_t *lk, double scale)
{
    double w = cor__overlay_setting(lk->width, 1.0), bar[8], mask[8];
    double half = scale * fmax(BAR_MIN, BAR_LEN * w) / 2;
    double thick = scale * fmax(BAR_TMIN, BAR_THICK * w) / 2;
    double m = scale * fmax(BAR_MMIN, BAR_MASK * w);
    quad(c, t, thick, half, bar);
    quad(c, t, thick + m, half + m, mask);
    cor_color_t mc = lk->casing_on ? lk->casing : (cor_color_t){1, 1, 1, 1};
    cairo_save(cr);
    fill_quad(cr, mask, mc, lk->opacity);
    fill_quad(cr, bar, lk->stroke, lk->opacity);
    cairo_restore(cr);
    cor__overlay_obstacle_pts(lb, NULL, mask, 4, 0.0);
}

double cor__overlay_barrier_reach(double w)
{
    return fmax(BAR_MIN, BAR_LEN * w) / 2 + fmax(BAR_MMIN, BAR_MASK * w);
}

/* The barrier of a blocked route: at the point of the route nearest its cut place, else at the
 * middle of its length; square to the route's direction over a few points either side. */
static void route_barrier(const cor__ov_pass_t *p, const cor__overlay_t *ov,
                          const cor__polyline_t *l, const cor__look_t *lk)
{
    double total = cor__polyline_length(l), s = total / 2;
    cor__pt_t cut;
    if (ov->has_cut && cor__overlay_project(p, &ov->cut, &cut))
        s = cor__polyline_nearest(l, cut);
    double span = fmax(2.0, lk->width);
    cor__pt_t a = cor__polyline_at(l, fmax(s - span, 0.0), NULL);
    cor__pt_t b = cor__polyline_at(l, fmin(s + span, total), NULL);
    cor__pt_t t = cor__polyline_unit(b.x - a.x, b.y - a.y);
    if (!(cor__polyline_dist(a, b) > 0.0))
        cor__polyline_at(l, s, &t);
    cor__overlay_barrier_draw(p->cr, p->lb, cor__polyline_at(l, s, NULL), t, lk, 1.0);
}

static bool inside(cor_bbox_t b, cor__pt_t q)
{
    return q.x >= b.minx && q.x <= b.maxx && q.y >= b.miny && q.y <= b.maxy;
}

/* Returns: the direction (radians) of step k of r, from point k to k + 1. */
static double step_angle(const cor__polyline_t *r, size_t k)
{
    return atan2(r->p[k + 1].y - r->p[k].y, r->p[k + 1].x - r->p[k].x);
}

/* Returns: how far step k of r turns from step k - 1 (radians, positive turning right on the
 * page). */
static double turn_at(const cor__polyline_t *r, size_t k)
{
    return cor__polyline_wrap_pi(step_angle(r, k) - step_angle(r, k - 1));
}

/* Returns: whether step k of r (to k + 1) lies on the page and turns from the one before it
 * by at most max_turn. */
static bool smooth_step(const cor__polyline_t *r, size_t k, cor_bbox_t page, double max_turn)
{
    if (k + 1 >= r->n || !inside(page, r->p[k]) || !inside(page, r->p[k + 1]))
        return false;
    if (k == 0)
        return true;
    return fabs(turn_at(r, k)) <= max_turn;
}

/* Returns: the share of the points of r from i to i + n within CROWD_R of a place of another
 * overlay than ov. */
static double crowding(const cor__ov_pass_t *p, const cor__overlay_t *ov, const cor__polyline_t *r,
                       size_t i, size_t n)
{
    size_t near = 0;
    for (size_t k = i; k <= i + n && k < r->n; k++) {
        bool hit = false;
        for (size_t j = 0; j < p->nspots && !hit; j++)
            hit = p->spots[j].ov != ov &&
                  hypot(r->p[k].x - p->spots[j].x, r->p[k].y - p->spots[j].y) < CROWD_R;
        near += hit;
    }
    return (double)near / (n + 1);
}

/* Returns: the total turn of the n steps of r from i on, or INFINITY when one of them leaves
 * the page or turns by more than max_turn. */
static double stretch_turn(const cor__polyline_t *r, size_t i, size_t n, cor_bbox_t page,
                           double max_turn)
{
    double turn = 0.0;
    bool ok = true;
    for (size_t k = i; ok && k < i + n; k++) {
        ok = smooth_step(r, k, page, k > i ? max_turn : INFINITY);
        if (k > i)
            turn += fabs(turn_at(r, k));
    }
    return ok ? turn : INFINITY;
}

/* Where along r (resampled every LABEL_STEP pt) a label of n steps fits: on the page, turning
 * by at most max_turn per step. Returns: the index of the best first point (the straightest
 * stretch away from other overlays' places, then the one nearest the middle), or -1. */
static long line_fit(const cor__ov_pass_t *p, const cor__overlay_t *ov, const cor__polyline_t *r,
                     size_t n, cor_bbox_t page, double max_turn)
{
    long best = -1;
    double best_score = INFINITY;
    for (size_t i = 0; i + n < r->n; i++) {
        double turn = stretch_turn(r, i, n, page, max_turn);
        if (turn == INFINITY)
            continue;
        double score = turn + 0.002 * fabs((double)i + n / 2.0 - r->n / 2.0) +
                       CROWD_COST * crowding(p, ov, r, i, n);
        if (score < best_score) {
            best_score = score;
            best = (long)i;
        }
    }
    return best;
}

/* Returns: 1 when the outside of r's bends between `from` and `to`, on balance, lies above the
 * line as read from left to right (the side a positive label offset takes), else -1. */
static double outer_side(const cor__polyline_t *r, size_t from, size_t to)
{
    double turn = 0.0;
    for (size_t k = from + 1; k < to && k + 1 < r->n; k++)
        turn += turn_at(r, k);
    bool reversed = r->p[to].x < r->p[from].x;     /* the labeler reads it backwards */
    return (turn >= 0.0) != reversed ? 1.0 : -1.0; /* turning right as read: outside above */
}

/* Returns: the largest |sin 2a| over the steps of r from `from` to `to`, a the steps' angles:
 * how much axis-aligned boxes along them (the labeler's and the line's) grow towards each
 * other. */
static double slant(const cor__polyline_t *r, size_t from, size_t to)
{
    double m = 0.0;
    for (size_t k = from; k < to && k + 1 < r->n; k++)
        m = fmax(m, fabs(sin(2 * step_angle(r, k))));
    return m;
}

/* A route's label and how it is to be set: text, style, its size, its distance from the line
 * (clear of the line and of the dots of the places it passes), the extra distance boxes along
 * a slanted line need, and how sharply the line may turn under it. */
typedef struct route_text {
    char *text;
    cor__text_style_t ts;
    double tw, th, off, grow, max_turn;
} route_text_t;

/* Hands the labeler the label along the points of r from `from` to `to`, `off` pt beside it. */
static cor_status_t add_along(cor__ov_pass_t *p, const cor__overlay_t *ov, const cor__polyline_t *r,
                              size_t from, size_t to, double off, const route_text_t *rt)
{
    double *x = NULL, *y = NULL;
    cor__polyline_t part = {0};
    bool ok = true;
    for (size_t k = from; ok && k <= to && k < r->n; k++)
        ok = cor__polyline_push(&part, r->p[k].x, r->p[k].y);
    cor_status_t st =
        ok && cor__polyline_split(&part, &x, &y) ? COR_OK : cor__overlay_nomem(p->err);
    if (st == COR_OK)
        st = cor__labeler_add_line_at(p->lb, rt->text, x, y, part.n, &rt->ts, off, ov->priority,
                                      p->err);
    free(x);
    free(y);
    cor__polyline_free(&part);
    return st;
}

/* The label along the stretch `at` (n steps) of r, handed to the labeler with as much line
 * either side as is as smooth (it tries the middle first, then steps out along it), on the
 * outer side of the stretch's bends. */
static cor_status_t route_label_along(cor__ov_pass_t *p, const cor__overlay_t *ov,
                                      const cor__polyline_t *r, size_t at, size_t n,
                                      cor_bbox_t page, const route_text_t *rt)
{
    size_t from = at, to = at + n, more = 0;
    while (from > more && to + more + 1 < r->n &&
           smooth_step(r, from - more - 1, page, rt->max_turn) &&
           smooth_step(r, to + more, page, rt->max_turn))
        more++;
    double side = outer_side(r, from, to);
    from -= more;
    to += more;
    double off = (rt->off + rt->grow * slant(r, from, to)) * side;
    return add_along(p, ov, r, from, to, off, rt);
}

/* The label horizontal, beside the middle of r above it, ranked just below a fitted one. */
static cor_status_t route_label_above(cor__ov_pass_t *p, const cor__overlay_t *ov,
                                      const cor__polyline_t *r, const route_text_t *rt)
{
    cor__pt_t t, mid = cor__polyline_at(r, cor__polyline_length(r) / 2, &t), up = {t.y, -t.x};
    if (up.y > 0.0)
        up = (cor__pt_t){-up.x, -up.y};
    double d = rt->off - rt->th / 2 + fabs(up.x) * rt->tw / 2 + fabs(up.y) * rt->th / 2;
    return cor__labeler_add_area(p->lb, rt->text, mid.x + up.x * d, mid.y + up.y * d, &rt->ts,
                                 ov->priority - 1, p->err);
}

/* Measures the label and works out how it is set beside a line with the look. */
static void route_text_set(route_text_t *rt, const cor__overlay_t *ov, const cor__look_t *lk)
{
    rt->ts = cor__overlay_label_style(ov, lk->stroke);
    cor__text_measure(rt->text, &rt->ts, &rt->tw, &rt->th);
    rt->off = fmax(lk->width / 2 + cor__overlay_casing_half(lk), COR__OV_DOT_R + 0.5) +
              COR__OV_LABEL_GAP + rt->th / 2;
    rt->grow = (0.75 * rt->ts.size + COR__OV_OBST_STEP) / 2; /* at 45 degrees */
    rt->max_turn = fmin(LABEL_TURN, LABEL_SQUEEZE * LABEL_STEP / (rt->off + rt->grow));
}

/* The route's label along the stretch of it where it fits best, beside the line; where none
 * fits, horizontal, beside the middle of the route above it, ranked just below. */
static cor_status_t route_label(cor__ov_pass_t *p, const cor__overlay_t *ov,
                                const cor__polyline_t *l, const cor__look_t *lk)
{
    route_text_t rt = {0};
    double x0, y0, x1, y1;
    cor__polyline_t r = {0};
    cor_status_t st = p->lb ? cor__overlay_label_text(ov, &rt.text, p->err) : COR_OK;
    if (st != COR_OK || !rt.text)
        return st;
    route_text_set(&rt, ov, lk);
    cairo_clip_extents(p->cr, &x0, &y0, &x1, &y1);
    cor_bbox_t page = {x0 + rt.th, y0 + rt.th, x1 - rt.th, y1 - rt.th};
    size_t n = (size_t)ceil((rt.tw + rt.th / 2) / LABEL_STEP); /* the text and a little room */
    long at = -1;
    if (!cor__polyline_resample(l, LABEL_STEP, &r) || !cor__polyline_average(&r, LABEL_SMOOTH, 3))
        st = cor__overlay_nomem(p->err);
    else if ((at = line_fit(p, ov, &r, n, page, rt.max_turn)) >= 0)
        st = route_label_along(p, ov, &r, (size_t)at, n, page, &rt);
    if (st == COR_OK && at < 0)
        st = route_label_above(p, ov, &r, &rt);
    cor__polyline_free(&r);
    free(rt.text);
    return st;
}

/* The route's line as an obstacle, free near each of its places. */
static void route_obstacles(const cor__ov_pass_t *p, const cor__overlay_t *ov,
                            const cor__polyline_t *body, double half)
{
    cor__pt_t *at = p->lb ? cor__calloc(ov->nplaces, sizeof *at) : NULL;
    size_t n = 0;
    for (size_t k = 0; at && k < ov->nplaces; k++)
        n += cor__overlay_project(p, &ov->places[k], &at[n]);
    if (at || !p->lb)
        cor__overlay_obstacles_along(p->lb, ov, body, half, at, n);
    free(at);
}

/* The heads over the line, then the line and the heads as obstacles. */
static void route_heads(cor__ov_pass_t *p, const cor__overlay_t *ov, const cor__polyline_t *body,
                        const cor__look_t *lk, const ends_t *e)
{
    if (e->head0)
        cor__overlay_head_draw(p->cr, e->h0, lk);
    if (e->head1)
        cor__overlay_head_draw(p->cr, e->h1, lk);
    route_obstacles(p, ov, body, lk->width / 2 + cor__overlay_casing_half(lk));
    if (e->head0)
        cor__overlay_obstacle_pts(p->lb, ov, e->h0, 3, cor__overlay_casing_half(lk));
    if (e->head1)
        cor__overlay_obstacle_pts(p->lb, ov, e->h1, 3, cor__overlay_casing_half(lk));
}

cor_status_t cor__overlay_draw_route(cor__ov_pass_t *p, const cor__overlay_t *ov)
{
    cor__polyline_t l = {0}, body = {0};
    cor_status_t st = cor__overlay_project_path(p, ov, false, &l);
    if (st == COR_ERR_CRS || (st == COR_OK && l.n < 2)) {
        p->skipped++;
        cor__polyline_free(&l);
        return COR_OK;
    }
    cor__look_t lk = cor__overlay_route_look(&ov->look, ov->blocked);
    if (ov->value > 0.0) /* on the map's one flow scale */
        lk.width = cor__overlay_route_width(p->o, ov);
    ends_t e = {0};
    if (st == COR_OK) {
        route_ends(p, ov, &l, &lk, &e);
        if (!cor__polyline_slice(&l, e.s0, e.s1, &body) ||
            !cor__overlay_stroke(p->cr, &body, &lk, true) ||
            !cor__overlay_stroke(p->cr, &body, &lk, false))
            st = COR_ERR_NOMEM;
    }
    if (st == COR_OK) {
        route_heads(p, ov, &body, &lk, &e);
        if (ov->blocked && lk.stroke_on)
            route_barrier(p, ov, &l, &lk);
        st = route_label(p, ov, &l, &lk);
    } else {
        st = cor__overlay_nomem(p->err);
    }
    cor__polyline_free(&l);
    cor__polyline_free(&body);
    return st;
}
