/* SPDX-License-Identifier: MIT */
/* overlay_bundle: where flows run. Every flow belongs to a unit: a bundle of the flows without
 * via places between the same two places, or a flow with via places alone. A unit has a base
 * curve; its flows are strands offset from it across their widths. At an end where no head
 * arrives the offsets fade out, so the strands gather into the place, clear of each other a few
 * points beyond the end gap; where a bundle's heads arrive they stay side by side for a shared
 * head. Units leaving one place in close directions fan out. Geometry only: nothing is drawn. */
#include "overlay_bundle.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define FLOW_BEND  0.2 /* the default bulge of an arc, over its chord */
#define BUNDLE_GAP 1.2 /* between the strands of a bundle, pt */
#define CLEAR_AT   4.0 /* a bundle's strands are apart this far beyond their end gap, pt */
#define CLEAR_AA   0.3 /* and by this much more than their half-widths, for antialiasing */
#define GATHER_MAX 0.2 /* strands gather over at most this share of their unit's chord */
#define FAN_MIN    (25 * M_PI / 180)
#define FAN_AT     15.0 /* flows fan out by where they are this far from their origin, pt */
#define FAN_BEND   0.45 /* the most a fanned arc may bend */
#define FAN_ROUNDS 64   /* rounds of pushing apart, at most */
#define ARC_STEPS  1000 /* samples of an arc when finding where it leaves its origin */

void cor__overlay_bundle_free(cor__ov_flow_t *fl, size_t nf, cor__ov_unit_t *un, size_t nu)
{
    for (size_t i = 0; i < nf; i++)
        cor__polyline_free(&fl[i].pts);
    for (size_t i = 0; i < nu; i++)
        cor__polyline_free(&un[i].base);
    free(fl);
    free(un);
}

/* Returns: whether a flow with the given bend (NAN: none; flipped when it runs the other way)
 * may join unit u: a flow whose bend differs from the unit's given one takes its own arc. */
static bool bend_fits(const cor__ov_unit_t *u, double bend, bool back)
{
    if (!isfinite(bend) || !u->fixed)
        return true;
    return fabs((back ? -bend : bend) - u->bend) < 1e-9;
}

/* Returns: the index among the nu units of the bundle with ends a and b (*back: the other way
 * round) that a flow of `bend` may join, or nu when there is none. */
static size_t find_bundle(const cor__ov_unit_t *un, size_t nu, cor__pt_t a, cor__pt_t b,
                          double bend, bool *back)
{
    for (size_t j = 0; j < nu; j++) {
        if (un[j].via)
            continue;
        bool same = cor__polyline_dist(un[j].a, a) < COR__OV_SAME_PLACE &&
                    cor__polyline_dist(un[j].b, b) < COR__OV_SAME_PLACE;
        *back = cor__polyline_dist(un[j].a, b) < COR__OV_SAME_PLACE &&
                cor__polyline_dist(un[j].b, a) < COR__OV_SAME_PLACE;
        if ((same || *back) && bend_fits(&un[j], bend, *back))
            return j;
    }
    *back = false;
    return nu;
}

void cor__overlay_bundle_group(cor__ov_flow_t *fl, size_t nf, cor__ov_unit_t *un, size_t *nu)
{
    *nu = 0;
    for (size_t i = 0; i < nf; i++) {
        cor__ov_flow_t *f = &fl[i];
        cor__pt_t a = f->pts.p[0], b = f->pts.p[f->pts.n - 1];
        bool via = f->pts.n > 2, back = false;
        size_t u = via ? *nu : find_bundle(un, *nu, a, b, f->ov->bend, &back);
        f->reversed = back;
        if (u == *nu)
            un[(*nu)++] =
                (cor__ov_unit_t){.a = a, .b = b, .via = via, .fixed = via, .bend = FLOW_BEND};
        f->unit = u;
        un[u].n++;
        if (!un[u].fixed && isfinite(f->ov->bend)) {
            un[u].bend = f->reversed ? -f->ov->bend : f->ov->bend;
            un[u].fixed = true;
        }
    }
}

static double taper(double x)
{
    return x >= 1.0 ? 1.0 : x <= 0.0 ? 0.0 : sin(x * M_PI / 2);
}

/* Returns: whether the flow's head is at its unit's end `e` (0: a, 1: b); a flow with arrow =
 * "none" has none. */
static bool head_at(const cor__ov_flow_t *f, int e)
{
    return f->ov->arrow != COR__ARROW_NONE && (e == 1) != f->reversed;
}

/* Lays a unit's strands side by side in declaration order, the first one uppermost on the page
 * (leftmost for a vertical unit); a bundle's end where heads arrive gets a shared head. */
static void unit_lay(cor__ov_unit_t *u, size_t ui, cor__ov_flow_t *fl, size_t nf)
{
    cor__pt_t d = cor__polyline_unit(u->b.x - u->a.x, u->b.y - u->a.y), nr = {-d.y, d.x};
    double down = (nr.y > 1e-9 || (fabs(nr.y) <= 1e-9 && nr.x > 0)) ? 1.0 : -1.0;
    double pos;
    u->width = -BUNDLE_GAP;
    for (size_t i = 0; i < nf; i++) {
        if (fl[i].unit != ui)
            continue;
        u->width += fl[i].w + BUNDLE_GAP;
        u->split[0] = u->split[0] || head_at(&fl[i], 0);
        u->split[1] = u->split[1] || head_at(&fl[i], 1);
    }
    u->split[0] = u->split[0] && u->n > 1;
    u->split[1] = u->split[1] && u->n > 1;
    pos = -u->width / 2;
    for (size_t i = 0; i < nf; i++) {
        if (fl[i].unit != ui)
            continue;
        fl[i].offset = down * (pos + fl[i].w / 2);
        pos += fl[i].w + BUNDLE_GAP;
    }
}

/* At an end where strands gather: the length over which they do, such that strands i and j,
 * (w_i + w_j) / 2 + BUNDLE_GAP apart in the bundle, are still (w_i + w_j) / 2 + CLEAR_AA apart
 * CLEAR_AT beyond the end clearance. The unit's flows come in declaration order, which is
 * their order across it. */
static double gather_length(const cor__ov_unit_t *u, size_t ui, const cor__ov_flow_t *fl, size_t nf,
                            int e)
{
    double t = INFINITY, prev = -1.0;
    for (size_t i = 0; i < nf; i++) {
        if (fl[i].unit != ui)
            continue;
        if (prev >= 0.0) {
            double half = (prev + fl[i].w) / 2;
            double x = 2 / M_PI * asin(fmin((half + CLEAR_AA) / (half + BUNDLE_GAP), 1.0));
            t = fmin(t, (u->r[e] + CLEAR_AT) / x);
        }
        prev = fl[i].w;
    }
    return isfinite(t) ? t : 1.0;
}

/* Lays out a unit's strands and both its ends, and how widely it leaves a. */
static void unit_shape(cor__ov_unit_t *u, size_t ui, cor__ov_flow_t *fl, size_t nf)
{
    double outer = 0.0;
    unit_lay(u, ui, fl, nf);
    double chord = cor__polyline_dist(u->a, u->b);
    for (int e = 0; e < 2; e++) /* a short bundle gathers late: its strands may touch */
        u->taper[e] = fmin(gather_length(u, ui, fl, nf, e), fmax(GATHER_MAX * chord, 1.0));
    for (size_t i = 0; i < nf; i++)
        outer = fmax(outer, fl[i].unit == ui ? fabs(fl[i].offset) : 0.0);
    if (!u->split[0])
        outer *= taper(FAN_AT / u->taper[0]);
    u->spread = atan(outer / FAN_AT);
}

/* A smooth curve through the points of q (cor__polyline_through()). */
static bool via_curve(const cor__polyline_t *q, cor__polyline_t *out)
{
    return cor__polyline_through(q, out, NULL);
}

/* Returns: the control point of the arc (a quadratic Bezier) from a to b whose middle bulges
 * bend x chord to the right of the chord's middle. */
static cor__pt_t arc_control(cor__pt_t a, cor__pt_t b, double bend)
{
    double len = cor__polyline_dist(a, b);
    cor__pt_t d = cor__polyline_unit(b.x - a.x, b.y - a.y);
    return (cor__pt_t){(a.x + b.x) / 2 - d.y * 2 * bend * len,
                       (a.y + b.y) / 2 + d.x * 2 * bend * len};
}

/* Returns: the direction (radians) from the first point of l to its first point FAN_AT away
 * (to its last point when none is). */
static double leave_angle(const cor__polyline_t *l)
{
    cor__pt_t a = l->p[0], q = l->p[l->n - 1];
    for (size_t i = 1; i < l->n; i++)
        if (cor__polyline_dist(l->p[i], a) >= FAN_AT) {
            q = l->p[i];
            break;
        }
    return atan2(q.y - a.y, q.x - a.x);
}

/* Returns: the direction in which an arc from a to b with `bend` leaves a, as leave_angle(). */
static double arc_leave(cor__pt_t a, cor__pt_t b, double bend)
{
    cor__pt_t c = arc_control(a, b, bend);
    for (int i = 1; i <= ARC_STEPS; i++) {
        double t = i / (double)ARC_STEPS, u = 1 - t;
        cor__pt_t q = {u * u * a.x + 2 * u * t * c.x + t * t * b.x,
                       u * u * a.y + 2 * u * t * c.y + t * t * b.y};
        if (cor__polyline_dist(q, a) >= FAN_AT)
            return atan2(q.y - a.y, q.x - a.x);
    }
    return atan2(b.y - a.y, b.x - a.x);
}

/* Returns: the bend (within FAN_BEND) with which an arc from a to b leaves a at angle theta;
 * the angle grows with the bend. */
static double arc_bend_for(cor__pt_t a, cor__pt_t b, double theta)
{
    double chord = atan2(b.y - a.y, b.x - a.x), lo = -FAN_BEND, hi = FAN_BEND;
    double want = cor__polyline_wrap_pi(theta - chord);
    for (int i = 0; i < 40; i++) {
        double mid = (lo + hi) / 2;
        if (cor__polyline_wrap_pi(arc_leave(a, b, mid) - chord) < want)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

/* The direction a unit leaves its origin in, FAN_AT along it. Returns: false on exhaustion. */
static bool unit_angle(const cor__ov_unit_t *u, const cor__ov_flow_t *first, double *theta)
{
    if (!u->via) {
        *theta = arc_leave(u->a, u->b, u->bend);
        return true;
    }
    cor__polyline_t l = {0};
    bool ok = via_curve(&first->pts, &l);
    if (ok)
        *theta = leave_angle(&l);
    cor__polyline_free(&l);
    return ok;
}

/* Sorts the m unit indices in g by their units' angles (insertion: they are nearly sorted). */
static void sort_by_angle(const cor__ov_unit_t *un, size_t *g, size_t m)
{
    for (size_t i = 1; i < m; i++)
        for (size_t j = i; j > 0 && un[g[j]].theta < un[g[j - 1]].theta; j--) {
            size_t t = g[j];
            g[j] = g[j - 1];
            g[j - 1] = t;
        }
}

/* Keeps the direction of a unit that is not fixed within the bends it may take. */
static void clamp_angle(cor__ov_unit_t *u)
{
    double chord = atan2(u->b.y - u->a.y, u->b.x - u->a.x);
    double lo = cor__polyline_wrap_pi(arc_leave(u->a, u->b, -FAN_BEND) - chord);
    double hi = cor__polyline_wrap_pi(arc_leave(u->a, u->b, FAN_BEND) - chord);
    double rel = fmin(fmax(cor__polyline_wrap_pi(u->theta - chord), lo), hi);
    u->theta = cor__polyline_wrap_pi(chord + rel);
}

/* Pushes apart, in angle, units leaving the same place less than FAN_MIN apart (between
 * their outermost strands), measured FAN_AT from the place; only units that are not fixed
 * move, within the bends they may take. `g` lists the m units of one origin. */
static void fan_group(cor__ov_unit_t *un, size_t *g, size_t m)
{
    for (int it = 0; it < FAN_ROUNDS; it++) {
        sort_by_angle(un, g, m);
        bool moved = false;
        for (size_t k = 0; k < m; k++) {
            cor__ov_unit_t *a = &un[g[k]], *b = &un[g[(k + 1) % m]];
            double gap = b->theta - a->theta + (k + 1 == m ? 2 * M_PI : 0.0);
            double need = FAN_MIN + a->spread + b->spread, d = need - gap;
            if (d <= 1e-6 || (a->fixed && b->fixed))
                continue;
            double da = a->fixed ? 0.0 : b->fixed ? d : d / 2;
            a->theta -= da;
            b->theta += d - da;
            moved = true;
        }
        for (size_t k = 0; k < m; k++)
            if (!un[g[k]].fixed)
                clamp_angle(&un[g[k]]);
        if (!moved)
            break;
    }
}

/* Sets each unit's direction from its first flow. Returns: false on exhaustion. */
static bool unit_angles(cor__ov_unit_t *un, const cor__ov_flow_t *fl, size_t nf, bool *done)
{
    bool ok = true;
    for (size_t i = 0; ok && i < nf; i++) {
        cor__ov_unit_t *u = &un[fl[i].unit];
        if (!done[fl[i].unit])
            ok = unit_angle(u, &fl[i], &u->theta);
        u->theta = cor__polyline_wrap_pi(u->theta);
        done[fl[i].unit] = true;
    }
    return ok;
}

/* Fans out the units leaving each place, then turns their new directions into bends.
 * Returns: COR_OK; COR_ERR_NOMEM. */
static cor_status_t fan_out(cor__ov_unit_t *un, size_t nu, const cor__ov_flow_t *fl, size_t nf)
{
    size_t *g = cor__calloc(nu, sizeof *g);
    bool *done = cor__calloc(nu, sizeof *done);
    bool ok = g && done && unit_angles(un, fl, nf, done);
    if (done)
        memset(done, 0, nu * sizeof *done);
    for (size_t i = 0; g && done && i < nu; i++) {
        size_t m = 0;
        for (size_t j = i; j < nu; j++) /* the units leaving the place unit i leaves */
            if (!done[j] && cor__polyline_dist(un[j].a, un[i].a) < COR__OV_SAME_PLACE)
                g[m++] = j;
        for (size_t k = 0; k < m; k++)
            done[g[k]] = true;
        if (m < 2)
            continue;
        fan_group(un, g, m);
        for (size_t k = 0; k < m; k++)
            if (!un[g[k]].fixed)
                un[g[k]].bend = arc_bend_for(un[g[k]].a, un[g[k]].b, un[g[k]].theta);
    }
    free(g);
    free(done);
    return ok ? COR_OK : COR_ERR_NOMEM;
}

/* The unit's base curve: the via curve, or an arc (a quadratic Bezier whose middle lies
 * bend x chord to the right of the chord's middle). */
static bool unit_base(cor__ov_unit_t *u, const cor__ov_flow_t *first)
{
    if (u->via)
        return via_curve(&first->pts, &u->base);
    cor__pt_t a = u->a, b = u->b, c = arc_control(a, b, u->bend);
    cor__pt_t c1 = {a.x + 2.0 / 3 * (c.x - a.x), a.y + 2.0 / 3 * (c.y - a.y)};
    cor__pt_t c2 = {b.x + 2.0 / 3 * (c.x - b.x), b.y + 2.0 / 3 * (c.y - b.y)};
    return cor__polyline_push(&u->base, a.x, a.y) && cor__polyline_cubic(&u->base, a, c1, c2, b);
}

cor_status_t cor__overlay_bundle_layout(cor__ov_unit_t *un, size_t nu, cor__ov_flow_t *fl,
                                        size_t nf)
{
    for (size_t i = 0; i < nu; i++)
        unit_shape(&un[i], i, fl, nf);
    if (fan_out(un, nu, fl, nf) != COR_OK)
        return COR_ERR_NOMEM;
    for (size_t i = 0; i < nf; i++) { /* the bases, from each unit's first flow */
        cor__ov_unit_t *u = &un[fl[i].unit];
        if (u->base.n == 0 && !unit_base(u, &fl[i]))
            return COR_ERR_NOMEM;
    }
    return COR_OK;
}

/* A strand's offset at distance d along the base from end e: gathering in, or its place in the
 * bundle all the way to a shared head. */
static double end_offset(const cor__ov_unit_t *u, const cor__ov_flow_t *f, int e, double d)
{
    return u->split[e] ? f->offset : f->offset * taper(d / u->taper[e]);
}

typedef struct strand_at {
    const cor__ov_unit_t *u;
    const cor__ov_flow_t *f;
} strand_at_t;

/* The strand's offset from the base at arc length s of a base `total` long. */
static double strand_offset(void *ctx, double s, double total)
{
    const strand_at_t *sa = ctx;
    return end_offset(sa->u, sa->f, 0, s) + end_offset(sa->u, sa->f, 1, total - s) - sa->f->offset;
}

bool cor__overlay_bundle_strand(const cor__ov_unit_t *u, const cor__ov_flow_t *f,
                                cor__polyline_t *out)
{
    strand_at_t sa = {u, f};
    if (!cor__polyline_offset(&u->base, strand_offset, &sa, out))
        return false;
    if (f->reversed)
        cor__polyline_reverse(out);
    return true;
}
