/* SPDX-License-Identifier: MIT */
/* polyline: lines in page points and the measuring, slicing, sampling and smoothing that
 * overlays and their legend keys build on. Pure maths on plain arrays: no cairo, no labeler,
 * no overlay model; every allocation failure is returned, never hidden. */
#include "polyline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define SAMPLE_STEP 0.75 /* pt of a cubic's control polygon per sampled piece */
#define SAMPLE_MORE 8    /* pieces every cubic gets on top */
#define SAMPLE_MAX  4000 /* pieces at most */

bool cor__polyline_push(cor__polyline_t *l, double x, double y)
{
    if (!cor__grow((void **)&l->p, &l->cap, l->n + 1, sizeof *l->p))
        return false;
    l->p[l->n++] = (cor__pt_t){x, y};
    return true;
}

void cor__polyline_free(cor__polyline_t *l)
{
    free(l->p);
    *l = (cor__polyline_t){0};
}

double cor__polyline_dist(cor__pt_t a, cor__pt_t b)
{
    return hypot(b.x - a.x, b.y - a.y);
}

cor__pt_t cor__polyline_unit(double x, double y)
{
    double n = hypot(x, y);
    return n > 0.0 && isfinite(n) ? (cor__pt_t){x / n, y / n} : (cor__pt_t){1.0, 0.0};
}

double cor__polyline_wrap_pi(double a)
{
    return a - 2 * M_PI * floor((a + M_PI) / (2 * M_PI));
}

double cor__polyline_length(const cor__polyline_t *l)
{
    double s = 0.0;
    for (size_t i = 1; i < l->n; i++)
        s += cor__polyline_dist(l->p[i - 1], l->p[i]);
    return s;
}

cor__pt_t cor__polyline_at(const cor__polyline_t *l, double s, cor__pt_t *dir)
{
    cor__pt_t d = {1.0, 0.0};
    if (l->n == 0)
        return (cor__pt_t){0.0, 0.0};
    for (size_t i = 1; i < l->n; i++) {
        cor__pt_t a = l->p[i - 1], b = l->p[i];
        double len = cor__polyline_dist(a, b);
        if (len <= 0.0)
            continue;
        d = cor__polyline_unit(b.x - a.x, b.y - a.y);
        if (s <= len || i + 1 == l->n) {
            double t = fmin(fmax(s / len, 0.0), 1.0);
            if (dir)
                *dir = d;
            return (cor__pt_t){a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)};
        }
        s -= len;
    }
    if (dir)
        *dir = d;
    return l->p[l->n - 1];
}

bool cor__polyline_slice(const cor__polyline_t *l, double s0, double s1, cor__polyline_t *out)
{
    cor__pt_t a = cor__polyline_at(l, s0, NULL);
    if (!cor__polyline_push(out, a.x, a.y))
        return false;
    double s = 0.0;
    for (size_t i = 1; i < l->n; i++) {
        s += cor__polyline_dist(l->p[i - 1], l->p[i]);
        if (s > s0 && s < s1 && !cor__polyline_push(out, l->p[i].x, l->p[i].y))
            return false;
    }
    cor__pt_t b = cor__polyline_at(l, s1, NULL);
    return cor__polyline_push(out, b.x, b.y);
}

/* Returns: where along the segment a-b (0..1) the point nearest q lies. */
static double segment_nearest(cor__pt_t a, cor__pt_t b, double len, cor__pt_t q)
{
    if (!(len > 0.0))
        return 0.0;
    return fmin(fmax(((q.x - a.x) * (b.x - a.x) + (q.y - a.y) * (b.y - a.y)) / (len * len), 0.0),
                1.0);
}

double cor__polyline_nearest(const cor__polyline_t *l, cor__pt_t q)
{
    double best = INFINITY, at = 0.0, s = 0.0;
    for (size_t i = 1; i < l->n; i++) {
        cor__pt_t a = l->p[i - 1], b = l->p[i];
        double len = cor__polyline_dist(a, b), t = segment_nearest(a, b, len, q);
        double d = hypot(a.x + t * (b.x - a.x) - q.x, a.y + t * (b.y - a.y) - q.y);
        if (d < best) {
            best = d;
            at = s + t * len;
        }
        s += len;
    }
    return at;
}

/* Returns: the share t (0..1) of the segment a-b, which starts inside the circle of radius r
 * around c, at which it crosses the circle: |a + t (b - a) - c| = r. */
static double circle_exit(cor__pt_t a, cor__pt_t b, cor__pt_t c, double r)
{
    double ex = b.x - a.x, ey = b.y - a.y, fx = a.x - c.x, fy = a.y - c.y;
    double A = ex * ex + ey * ey, B = 2 * (fx * ex + fy * ey), C = fx * fx + fy * fy - r * r;
    double t = (-B + sqrt(fmax(B * B - 4 * A * C, 0.0))) / (2 * A);
    return fmin(fmax(t, 0.0), 1.0);
}

double cor__polyline_clear(const cor__polyline_t *l, double r, bool from_end)
{
    double total = cor__polyline_length(l), s = 0.0, found = 0.0;
    if (l->n < 2 || !(r > 0.0))
        return from_end ? total : 0.0;
    cor__pt_t c = from_end ? l->p[l->n - 1] : l->p[0];
    found = total;
    for (size_t k = 1; k < l->n; k++) {
        cor__pt_t a = from_end ? l->p[l->n - k] : l->p[k - 1];
        cor__pt_t b = from_end ? l->p[l->n - 1 - k] : l->p[k];
        double len = cor__polyline_dist(a, b), da = cor__polyline_dist(a, c),
               db = cor__polyline_dist(b, c);
        if (da < r && db >= r && len > 0.0)
            found = s + circle_exit(a, b, c, r) * len;
        else if (db < r)
            found = total;
        s += len;
    }
    return from_end ? total - found : found;
}

bool cor__polyline_cubic(cor__polyline_t *l, cor__pt_t a, cor__pt_t c1, cor__pt_t c2, cor__pt_t b)
{
    double len = cor__polyline_dist(a, c1) + cor__polyline_dist(c1, c2) + cor__polyline_dist(c2, b);
    int n = (int)fmin(ceil(len / SAMPLE_STEP) + SAMPLE_MORE, SAMPLE_MAX);
    for (int i = 1; i <= n; i++) {
        double t = (double)i / n, u = 1 - t;
        double k0 = u * u * u, k1 = 3 * u * u * t, k2 = 3 * u * t * t, k3 = t * t * t;
        if (!cor__polyline_push(l, k0 * a.x + k1 * c1.x + k2 * c2.x + k3 * b.x,
                                k0 * a.y + k1 * c1.y + k2 * c2.y + k3 * b.y))
            return false;
    }
    return true;
}

/* The direction a curve through q leaves its first point: the mirror of the tangent at the
 * second (parallel to the chord from the first to the third) about the first piece's chord. */
static cor__pt_t through_start(const cor__polyline_t *q)
{
    cor__pt_t m1 = cor__polyline_unit(q->p[2].x - q->p[0].x, q->p[2].y - q->p[0].y);
    cor__pt_t u = cor__polyline_unit(q->p[1].x - q->p[0].x, q->p[1].y - q->p[0].y);
    return cor__polyline_unit(2 * u.x - m1.x, 2 * u.y - m1.y);
}

/* The tangents of the curve through q at each of its n >= 3 points, into m. */
static void through_tangents(const cor__polyline_t *q, cor__pt_t *m)
{
    size_t n = q->n;
    for (size_t i = 1; i + 1 < n; i++)
        m[i] = cor__polyline_unit(q->p[i + 1].x - q->p[i - 1].x, q->p[i + 1].y - q->p[i - 1].y);
    m[0] = through_start(q);
    cor__pt_t u = cor__polyline_unit(q->p[n - 1].x - q->p[n - 2].x, q->p[n - 1].y - q->p[n - 2].y);
    m[n - 1] = cor__polyline_unit(2 * u.x - m[n - 2].x, 2 * u.y - m[n - 2].y);
}

bool cor__polyline_through(const cor__polyline_t *q, cor__polyline_t *out, size_t *at)
{
    size_t n = q->n;
    if (n == 0)
        return true;
    cor__pt_t *m = n >= 3 ? cor__calloc(n, sizeof *m) : NULL;
    bool ok = (n < 3 || m) && cor__polyline_push(out, q->p[0].x, q->p[0].y);
    if (at)
        at[0] = out->n - 1;
    if (ok && m)
        through_tangents(q, m);
    for (size_t i = 0; ok && i + 1 < n; i++) {
        cor__pt_t a = q->p[i], b = q->p[i + 1];
        double d = cor__polyline_dist(a, b) / 3;
        cor__pt_t ta = m ? m[i] : cor__polyline_unit(b.x - a.x, b.y - a.y);
        cor__pt_t tb = m ? m[i + 1] : ta;
        if (d > 0.0)
            ok = cor__polyline_cubic(out, a, (cor__pt_t){a.x + ta.x * d, a.y + ta.y * d},
                                     (cor__pt_t){b.x - tb.x * d, b.y - tb.y * d}, b);
        if (at)
            at[i + 1] = out->n - 1;
    }
    free(m);
    return ok;
}

/* Returns: the mean of point i and its `half` neighbours either side (fewer near the ends). */
static cor__pt_t neighbourhood_mean(const cor__polyline_t *l, size_t i, size_t half)
{
    size_t h = half;
    if (i < h)
        h = i;
    if (l->n - 1 - i < h)
        h = l->n - 1 - i;
    double x = 0.0, y = 0.0;
    for (size_t k = i - h; k <= i + h; k++)
        x += l->p[k].x, y += l->p[k].y;
    return (cor__pt_t){x / (2 * h + 1), y / (2 * h + 1)};
}

bool cor__polyline_average(cor__polyline_t *l, size_t half, int passes)
{
    if (l->n == 0)
        return true;
    cor__pt_t *tmp = cor__calloc(l->n, sizeof *tmp);
    if (!tmp)
        return false;
    for (int it = 0; it < passes; it++) {
        for (size_t i = 0; i < l->n; i++)
            tmp[i] = neighbourhood_mean(l, i, half);
        memcpy(l->p, tmp, l->n * sizeof *tmp);
    }
    free(tmp);
    return true;
}

bool cor__polyline_resample(const cor__polyline_t *l, double step, cor__polyline_t *out)
{
    double total = cor__polyline_length(l), at = 0.0;
    size_t i = 1;
    bool ok = l->n > 0 && cor__polyline_push(out, l->p[0].x, l->p[0].y);
    for (double k = 1; ok && k * step <= total; k++) {
        while (i + 1 < l->n && at + cor__polyline_dist(l->p[i - 1], l->p[i]) < k * step)
            at += cor__polyline_dist(l->p[i - 1], l->p[i]), i++;
        double len = cor__polyline_dist(l->p[i - 1], l->p[i]);
        double t = len > 0 ? (k * step - at) / len : 0;
        t = fmin(fmax(t, 0.0), 1.0);
        ok = cor__polyline_push(out, l->p[i - 1].x + t * (l->p[i].x - l->p[i - 1].x),
                                l->p[i - 1].y + t * (l->p[i].y - l->p[i - 1].y));
    }
    return ok;
}

bool cor__polyline_offset(const cor__polyline_t *l, cor__polyline_offset_fn offset, void *ctx,
                          cor__polyline_t *out)
{
    double total = cor__polyline_length(l), s = 0.0;
    for (size_t k = 0; k < l->n; k++) {
        if (k > 0)
            s += cor__polyline_dist(l->p[k - 1], l->p[k]);
        size_t k0 = k ? k - 1 : 0, k1 = k + 1 < l->n ? k + 1 : k;
        cor__pt_t t = cor__polyline_unit(l->p[k1].x - l->p[k0].x, l->p[k1].y - l->p[k0].y);
        double o = offset(ctx, s, total);
        if (!cor__polyline_push(out, l->p[k].x - t.y * o, l->p[k].y + t.x * o))
            return false;
    }
    return true;
}

void cor__polyline_reverse(cor__polyline_t *l)
{
    for (size_t i = 0, j = l->n ? l->n - 1 : 0; i < j; i++, j--) {
        cor__pt_t t = l->p[i];
        l->p[i] = l->p[j];
        l->p[j] = t;
    }
}

bool cor__polyline_split(const cor__polyline_t *l, double **x, double **y)
{
    *x = cor__calloc(l->n, sizeof **x);
    *y = cor__calloc(l->n, sizeof **y);
    if (!*x || !*y) {
        free(*x);
        free(*y);
        *x = *y = NULL;
        return false;
    }
    for (size_t i = 0; i < l->n; i++) {
        (*x)[i] = l->p[i].x;
        (*y)[i] = l->p[i].y;
    }
    return true;
}

bool cor__polyline_geom(const cor__polyline_t *l, cor__geom_kind_t kind, cor__geom_t *g)
{
    double *x, *y;
    *g = (cor__geom_t){.kind = kind};
    if (!cor__polyline_split(l, &x, &y))
        return false;
    bool ok = cor__geom_add_part(g, x, y, l->n);
    free(x);
    free(y);
    return ok;
}

cor_bbox_t cor__polyline_box(const cor__pt_t *p, size_t n, double pad)
{
    cor_bbox_t b = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (size_t i = 0; i < n; i++) {
        b.minx = fmin(b.minx, p[i].x - pad);
        b.miny = fmin(b.miny, p[i].y - pad);
        b.maxx = fmax(b.maxx, p[i].x + pad);
        b.maxy = fmax(b.maxy, p[i].y + pad);
    }
    return b;
}

cor__pt_t cor__polyline_centroid(const cor__polyline_t *l)
{
    double a = 0.0, cx = 0.0, cy = 0.0, mx = 0.0, my = 0.0;
    for (size_t i = 0; i < l->n; i++) {
        cor__pt_t p = l->p[i], q = l->p[(i + 1) % l->n];
        double c = p.x * q.y - q.x * p.y;
        a += c;
        cx += (p.x + q.x) * c;
        cy += (p.y + q.y) * c;
        mx += p.x / l->n;
        my += p.y / l->n;
    }
    if (fabs(a) < 1e-9)
        return (cor__pt_t){mx, my};
    return (cor__pt_t){cx / (3 * a), cy / (3 * a)};
}
