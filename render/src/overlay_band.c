/* SPDX-License-Identifier: MIT */
/* overlay_band: a band is a flow whose width changes along a path of places. Its centre line
 * runs through the places (densified in degrees when straight, smoothed when curved), its width
 * is linear in arc length between the places' widths, and its outline is the union of tapered
 * capsules along the line: the joins are round, a U-turn folds over itself without a double
 * coat, and nothing is left open. It draws bands only; flows and bundles are overlay_flow.c's. */
#include "overlay_band.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "overlay_head.h"
#include "paint.h"
#include "util.h"

#define DENSIFY_DEG  0.05   /* a straight piece is projected every this many degrees */
#define MAX_STEPS    100000 /* pieces a straight segment is densified in, at most */
#define COVER_STEPS  400    /* samples per piece when testing coverage */
#define LABEL_CLEAR  2.0    /* a place's label keeps this far beyond the band's edge, pt */
#define OBST_STRETCH 6.0    /* the band is an obstacle in stretches this long, pt */

void cor__band_free(cor__band_t *b)
{
    cor__polyline_free(&b->line);
    free(b->w);
    free(b->at);
    *b = (cor__band_t){0};
}

/* Returns: the arc length of each point of l, in a new array (NULL on exhaustion). */
static double *arc_lengths(const cor__polyline_t *l)
{
    double *s = cor__calloc(l->n ? l->n : 1, sizeof *s);
    for (size_t k = 1; s && k < l->n; k++)
        s[k] = s[k - 1] + cor__polyline_dist(l->p[k - 1], l->p[k]);
    return s;
}

bool cor__band_widths(cor__band_t *b, const double *wv)
{
    double *s = arc_lengths(&b->line);
    free(b->w);
    b->w = cor__calloc(b->line.n ? b->line.n : 1, sizeof *b->w);
    if (!s || !b->w) {
        free(s);
        return false;
    }
    for (size_t i = 0; i + 1 < b->nat; i++) {
        size_t k0 = b->at[i], k1 = b->at[i + 1];
        double len = s[k1] - s[k0];
        for (size_t k = k0; k <= k1 && k < b->line.n; k++) {
            double t = len > 0.0 ? (s[k] - s[k0]) / len : 1.0;
            b->w[k] = wv[i] + (wv[i + 1] - wv[i]) * t;
        }
    }
    if (b->nat == 1 && b->line.n > 0)
        b->w[0] = wv[0];
    free(s);
    return true;
}

bool cor__band_build(const cor__polyline_t *v, const double *wv, bool curve, cor__band_t *out)
{
    *out = (cor__band_t){0};
    if (!(out->at = cor__calloc(v->n ? v->n : 1, sizeof *out->at)))
        return false;
    out->nat = v->n;
    bool ok = true;
    if (curve) {
        ok = cor__polyline_through(v, &out->line, out->at);
    } else {
        for (size_t i = 0; ok && i < v->n; i++) {
            ok = cor__polyline_push(&out->line, v->p[i].x, v->p[i].y);
            out->at[i] = out->line.n - 1;
        }
    }
    if (!ok || !cor__band_widths(out, wv)) {
        cor__band_free(out);
        return false;
    }
    return true;
}

double cor__band_width_at(const cor__band_t *b, double s)
{
    double at = 0.0;
    if (b->line.n == 0)
        return 0.0;
    for (size_t k = 1; k < b->line.n; k++) {
        double len = cor__polyline_dist(b->line.p[k - 1], b->line.p[k]);
        if (s <= at + len && len > 0.0) {
            double t = fmin(fmax((s - at) / len, 0.0), 1.0);
            return b->w[k - 1] + (b->w[k] - b->w[k - 1]) * t;
        }
        at += len;
    }
    return s <= 0.0 ? b->w[0] : b->w[b->line.n - 1];
}

double cor__band_place_s(const cor__band_t *b, size_t k)
{
    double s = 0.0;
    size_t end = k < b->nat ? b->at[k] : b->line.n - 1;
    for (size_t i = 1; i <= end && i < b->line.n; i++)
        s += cor__polyline_dist(b->line.p[i - 1], b->line.p[i]);
    return s;
}

/* Adds the hull of the discs of radius r0 at a and r1 at b as one sub-path, turning the way
 * cairo_arc() turns (a disc alone when one holds the other). */
static void capsule(cairo_t *cr, cor__pt_t a, double r0, cor__pt_t b, double r1)
{
    double d = cor__polyline_dist(a, b);
    cairo_new_sub_path(cr);
    if (d <= fabs(r1 - r0) + 1e-9) {
        cor__pt_t c = r0 >= r1 ? a : b;
        cairo_arc(cr, c.x, c.y, fmax(r0, r1), 0, 2 * M_PI);
        cairo_close_path(cr);
        return;
    }
    double th = atan2(b.y - a.y, b.x - a.x), al = acos(fmin(fmax((r0 - r1) / d, -1.0), 1.0));
    cairo_arc(cr, b.x, b.y, r1, th - al, th + al);
    cairo_arc(cr, a.x, a.y, r0, th + al, th - al + 2 * M_PI);
    cairo_close_path(cr);
}

/* Walks the pieces of the band between s0 and s1, calling fn with each piece's ends (clipped to
 * the range) and their half-widths grown by `grow`. */
typedef void (*piece_fn)(void *ctx, cor__pt_t a, double r0, cor__pt_t b, double r1);

static void each_piece(const cor__band_t *b, double s0, double s1, double grow, piece_fn fn,
                       void *ctx)
{
    double at = 0.0;
    for (size_t k = 1; k < b->line.n; k++) {
        cor__pt_t p = b->line.p[k - 1], q = b->line.p[k];
        double len = cor__polyline_dist(p, q), lo = fmax(s0, at), hi = fmin(s1, at + len);
        if (len > 0.0 && hi >= lo) {
            double t0 = (lo - at) / len, t1 = (hi - at) / len;
            cor__pt_t a = {p.x + (q.x - p.x) * t0, p.y + (q.y - p.y) * t0};
            cor__pt_t c = {p.x + (q.x - p.x) * t1, p.y + (q.y - p.y) * t1};
            double w0 = b->w[k - 1] + (b->w[k] - b->w[k - 1]) * t0;
            double w1 = b->w[k - 1] + (b->w[k] - b->w[k - 1]) * t1;
            if (w0 / 2 + grow > 0.0 || w1 / 2 + grow > 0.0)
                fn(ctx, a, fmax(w0 / 2 + grow, 0.0), c, fmax(w1 / 2 + grow, 0.0));
        }
        at += len;
    }
}

static void path_piece(void *ctx, cor__pt_t a, double r0, cor__pt_t b, double r1)
{
    capsule(ctx, a, r0, b, r1);
}

void cor__band_path(cairo_t *cr, const cor__band_t *b, double s0, double s1, double grow)
{
    each_piece(b, s0, s1, grow, path_piece, cr);
}

typedef struct cover {
    cor__pt_t q;
    bool in;
} cover_t;

/* Whether the swept discs of the piece (the same region as its capsule) hold c->q. */
static void cover_piece(void *ctx, cor__pt_t a, double r0, cor__pt_t b, double r1)
{
    cover_t *c = ctx;
    for (int i = 0; !c->in && i <= COVER_STEPS; i++) {
        double t = i / (double)COVER_STEPS, r = r0 + (r1 - r0) * t;
        cor__pt_t m = {a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t};
        c->in = cor__polyline_dist(m, c->q) <= r + 0.01;
    }
}

bool cor__band_covers(const cor__band_t *b, cor__pt_t q, double s0, double s1, double grow)
{
    cover_t c = {q, false};
    each_piece(b, s0, s1, grow, cover_piece, &c);
    return c.in;
}

/* ---- drawing ---- */

/* Appends the projection of the straight piece from place a to place b (without a's point),
 * every DENSIFY_DEG. Returns: false when a point cannot be projected (*nomem on exhaustion). */
static bool project_piece(const cor__ov_pass_t *p, const cor__ov_place_t *a,
                          const cor__ov_place_t *b, cor__polyline_t *out, bool *nomem)
{
    double span = fmax(fabs(b->lon - a->lon), fabs(b->lat - a->lat));
    double steps = fmin(fmax(ceil(span / DENSIFY_DEG), 1.0), MAX_STEPS);
    for (double i = 1; i <= steps; i++) {
        cor__ov_place_t q = *b;
        q.lon = a->lon + (b->lon - a->lon) * i / steps;
        q.lat = a->lat + (b->lat - a->lat) * i / steps;
        cor__pt_t at;
        if (!cor__overlay_project(p, &q, &at))
            return false;
        if (!cor__polyline_push(out, at.x, at.y))
            return !(*nomem = true);
    }
    return true;
}

/* Builds the band of ov on the page, its widths from its values. Returns: false when a place
 * cannot be projected (*nomem on exhaustion: then false too). */
static bool band_on_page(const cor__ov_pass_t *p, const cor__overlay_t *ov, double max,
                         cor__band_t *b, bool *nomem)
{
    double *wv = cor__calloc(ov->nplaces, sizeof *wv);
    cor__polyline_t v = {0};
    bool ok = wv != NULL;
    *nomem = !ok;
    for (size_t k = 0; ok && k < ov->nplaces; k++) {
        cor__pt_t q;
        wv[k] = cor__band_width(p->o, ov->values[k], max);
        ok = cor__overlay_project(p, &ov->places[k], &q);
        if (ok && !cor__polyline_push(&v, q.x, q.y))
            ok = !(*nomem = true);
    }
    if (ok && ov->curve) {
        ok = cor__band_build(&v, wv, true, b) || !(*nomem = true);
    } else if (ok) {
        ok = (b->at = cor__calloc(ov->nplaces, sizeof *b->at)) != NULL &&
             cor__polyline_push(&b->line, v.p[0].x, v.p[0].y);
        *nomem = !ok;
        b->nat = ov->nplaces;
        for (size_t k = 1; ok && k < ov->nplaces; k++) {
            ok = project_piece(p, &ov->places[k - 1], &ov->places[k], &b->line, nomem);
            b->at[k] = b->line.n - 1;
        }
        if (ok && !cor__band_widths(b, wv))
            ok = !(*nomem = true);
    }
    free(wv);
    cor__polyline_free(&v);
    return ok;
}

/* Where the band's body ends and its head, when it has one. */
typedef struct band_end {
    double s1; /* the body runs from 0 to s1 */
    bool head;
    double h[6];
    double w; /* the width the head is sized to */
} band_end_t;

/* The head at the band's end: its tip the end clearance short of a named last place (at the
 * last point itself for coordinates), sized to the width there; the body stops under it. A band
 * too short for its head, or with arrow = "none", has none. */
static void band_end(const cor__ov_pass_t *p, const cor__overlay_t *ov, const cor__band_t *b,
                     band_end_t *e)
{
    double hw, len;
    const cor__ov_place_t *last = &ov->places[ov->nplaces - 1];
    double r = last->name ? cor__overlay_end_clear(p, b->line.p[b->line.n - 1]) : 0.0;
    double tip = cor__polyline_clear(&b->line, r, true);
    *e = (band_end_t){.s1 = tip};
    if (ov->arrow == COR__ARROW_NONE)
        return;
    e->w = cor__band_width_at(b, tip);
    cor__overlay_head_size(e->w, &hw, &len);
    if (!(tip - len > 1.0))
        return;
    cor__look_t lk = ov->look;
    lk.width = e->w;
    lk.cap = COR__CAP_ROUND; /* the body's end is round */
    e->s1 = fmax(tip - cor__overlay_head_place(&b->line, tip, tip - len, &lk, e->h), 0.0);
    e->head = true;
}

/* Fills the band's casing, then its body and head, at the look's opacity: each in one fill of
 * the union of its pieces, so a fold or a join is never painted twice. (No group: cairo's SVG
 * surface leaks painting one with an alpha.) */
static void band_paint(cairo_t *cr, const cor__overlay_t *ov, const cor__band_t *b,
                       const band_end_t *e)
{
    cor__look_t lk = ov->look;
    lk.width = e->w;
    double ch = cor__overlay_casing_half(&lk);
    cairo_save(cr);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
    if (ch > 0.0) {
        cairo_new_path(cr);
        cor__band_path(cr, b, 0.0, e->s1, ch);
        cor__paint_set_color(cr, lk.casing, lk.opacity);
        cairo_fill(cr);
        if (e->head)
            cor__overlay_head_paint(cr, e->h, 3, true, &lk, true);
    }
    cairo_new_path(cr);
    cor__band_path(cr, b, 0.0, e->s1, 0.0);
    cor__paint_set_color(cr, lk.stroke, lk.opacity);
    cairo_fill(cr);
    if (e->head)
        cor__overlay_head_paint(cr, e->h, 3, true, &lk, false);
    cairo_restore(cr);
}

/* The band's body and head as obstacles: stretches of OBST_STRETCH pt, each as wide as the
 * band at its wider end, free near named places so that their own labels may sit there. */
static void band_obstacles(cor__ov_pass_t *p, const cor__overlay_t *ov, const cor__band_t *b,
                           const band_end_t *e)
{
    double ch = cor__overlay_casing_half(&ov->look);
    cor__pt_t *named = p->lb ? cor__calloc(ov->nplaces, sizeof *named) : NULL;
    size_t nn = 0;
    for (size_t k = 0; named && k < ov->nplaces; k++)
        if (ov->places[k].name)
            named[nn++] = b->line.p[b->at[k]];
    for (double s = 0.0; p->lb && s < e->s1; s += OBST_STRETCH) {
        double s1 = fmin(s + OBST_STRETCH, e->s1);
        double half = fmax(cor__band_width_at(b, s), cor__band_width_at(b, s1)) / 2 + ch;
        cor__polyline_t part = {0};
        if (half > 0.0 && cor__polyline_slice(&b->line, s, s1, &part))
            cor__overlay_obstacles_along(p->lb, ov, &part, half, named, nn);
        cor__polyline_free(&part);
    }
    if (e->head)
        cor__overlay_obstacle_pts(p->lb, ov, e->h, 3, ch);
    free(named);
}

/* A label beside the band at arc length s, clear of its width there. */
static cor_status_t label_at(cor__ov_pass_t *p, const cor__overlay_t *ov, const cor__band_t *b,
                             double s, const char *text)
{
    cor__pt_t q = cor__polyline_at(&b->line, s, NULL);
    double r = cor__band_width_at(b, s) / 2 + cor__overlay_casing_half(&ov->look) + LABEL_CLEAR;
    cor__text_style_t ts = cor__overlay_label_style(ov, ov->look.stroke);
    return cor__labeler_add_point(p->lb, text, q.x, q.y, fmax(r, 0.5), &ts, ov->priority, p->err);
}

/* The band's own label beside its middle, and its places' labels beside them. */
static cor_status_t band_labels(cor__ov_pass_t *p, const cor__overlay_t *ov, const cor__band_t *b,
                                const band_end_t *e)
{
    char *text = NULL;
    cor_status_t st = p->lb ? cor__overlay_label_text(ov, &text, p->err) : COR_OK;
    if (st == COR_OK && text)
        st = label_at(p, ov, b, e->s1 / 2, text);
    free(text);
    for (size_t k = 0; st == COR_OK && p->lb && ov->vlabels && k < ov->nplaces; k++)
        if (ov->vlabels[k] && ov->vlabels[k][0])
            st = label_at(p, ov, b, fmin(cor__band_place_s(b, k), e->s1), ov->vlabels[k]);
    return st;
}

/* Draws one band (skipped and counted when a place cannot be projected). */
static cor_status_t draw_band(cor__ov_pass_t *p, const cor__overlay_t *ov, double max)
{
    cor__band_t b = {0};
    bool nomem = false;
    if (ov->nplaces < 2 || !ov->values || !band_on_page(p, ov, max, &b, &nomem)) {
        cor__band_free(&b);
        if (nomem)
            return cor__overlay_nomem(p->err);
        p->skipped++;
        return COR_OK;
    }
    band_end_t e;
    band_end(p, ov, &b, &e);
    if (ov->look.stroke_on)
        band_paint(p->cr, ov, &b, &e);
    band_obstacles(p, ov, &b, &e);
    cor_status_t st = band_labels(p, ov, &b, &e);
    cor__band_free(&b);
    return st;
}

cor_status_t cor__overlays_draw_bands(cor__ov_pass_t *p)
{
    double max = cor__overlays_max_flow(p->o);
    cor_status_t st = COR_OK;
    for (size_t i = 0; st == COR_OK && i < p->o->n; i++) {
        const cor__overlay_t *ov = &p->o->items[i];
        if (ov->kind == COR__OV_FLOW && ov->band && cor__overlay_drawn(p->o, i))
            st = draw_band(p, ov, max);
    }
    return st;
}
