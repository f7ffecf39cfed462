/* SPDX-License-Identifier: MIT */
/* geom: growable geometries and the clean-up between projection and painting.
 * Simplification here is deliberately cheap (radial distance): it runs on every vertex of every
 * frame and only has to remove what the output resolution cannot show. */
#include "geom.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void cor__geom_clear(cor__geom_t *g)
{
    g->npoints = 0;
    g->nparts = 0;
}

void cor__geom_free(cor__geom_t *g)
{
    free(g->x);
    free(g->y);
    free(g->parts);
    memset(g, 0, sizeof *g);
}

static bool reserve_points(cor__geom_t *g, size_t need)
{
    return cor__grow2((void **)&g->x, (void **)&g->y, &g->cap_points, need, sizeof(double));
}

bool cor__geom_add_part(cor__geom_t *g, const double *x, const double *y, size_t n)
{
    if (n > SIZE_MAX - g->npoints || !reserve_points(g, g->npoints + n))
        return false;
    if (!cor__grow((void **)&g->parts, &g->cap_parts, g->nparts + 2, sizeof(size_t)))
        return false;
    if (n) {
        memcpy(g->x + g->npoints, x, n * sizeof(double));
        memcpy(g->y + g->npoints, y, n * sizeof(double));
    }
    g->parts[g->nparts] = g->npoints;
    g->npoints += n;
    g->nparts++;
    g->parts[g->nparts] = g->npoints;
    return true;
}

bool cor__geom_copy(cor__geom_t *dst, const cor__geom_t *src)
{
    cor__geom_clear(dst);
    dst->kind = src->kind;
    for (size_t i = 0; i < src->nparts; i++) {
        size_t a = src->parts[i], b = src->parts[i + 1];
        if (!cor__geom_add_part(dst, src->x + a, src->y + a, b - a))
            return false;
    }
    return true;
}

cor_bbox_t cor__geom_bbox(const cor__geom_t *g)
{
    cor_bbox_t b = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (size_t i = 0; i < g->npoints; i++) {
        b.minx = fmin(b.minx, g->x[i]);
        b.maxx = fmax(b.maxx, g->x[i]);
        b.miny = fmin(b.miny, g->y[i]);
        b.maxy = fmax(b.maxy, g->y[i]);
    }
    return b;
}

static size_t min_part_points(cor__geom_kind_t kind)
{
    return kind == COR__GEOM_POLYGON ? 3 : kind == COR__GEOM_LINE ? 2 : 1;
}

/* Decides whether point i of the part [a, b) stays; `last` is the index the last point kept in
 * this part now has (SIZE_MAX before the first). */
typedef bool (*keep_fn)(const cor__geom_t *g, size_t i, size_t a, size_t b, size_t last, void *ud);

/* Rewrites the parts in place, keeping the points for which keep() says yes; parts left shorter
 * than their kind needs are removed. Compaction only writes below what is still to be read, so
 * one pass suffices. Returns: points removed. */
static size_t filter_points(cor__geom_t *g, keep_fn keep, void *ud)
{
    size_t out = 0, nparts = 0, before = g->npoints, minpts = min_part_points(g->kind);
    for (size_t p = 0; p < g->nparts; p++) {
        size_t a = g->parts[p], b = g->parts[p + 1], start = out;
        for (size_t i = a; i < b; i++) {
            if (keep(g, i, a, b, start == out ? SIZE_MAX : out - 1, ud)) {
                g->x[out] = g->x[i];
                g->y[out] = g->y[i];
                out++;
            }
        }
        if (out - start < minpts) {
            out = start;
            continue;
        }
        g->parts[nparts++] = start;
    }
    g->parts[nparts] = out;
    g->nparts = nparts;
    g->npoints = out;
    return before - out;
}

static bool keep_finite(const cor__geom_t *g, size_t i, size_t a, size_t b, size_t last, void *ud)
{
    (void)a, (void)b, (void)last, (void)ud;
    return isfinite(g->x[i]) && isfinite(g->y[i]);
}

/* Simplification: a part's ends stay, other points only when tol away from the last kept. */
static bool keep_far(const cor__geom_t *g, size_t i, size_t a, size_t b, size_t last, void *ud)
{
    double tol = *(const double *)ud;
    if (i == a || i == b - 1 || last == SIZE_MAX)
        return true;
    double dx = g->x[i] - g->x[last], dy = g->y[i] - g->y[last];
    return dx * dx + dy * dy >= tol * tol;
}

size_t cor__geom_drop_invalid(cor__geom_t *g)
{
    if (!g->nparts)
        return 0;
    return filter_points(g, keep_finite, NULL);
}

void cor__geom_affine(cor__geom_t *g, double sx, double tx, double sy, double ty)
{
    for (size_t i = 0; i < g->npoints; i++) {
        g->x[i] = g->x[i] * sx + tx;
        g->y[i] = g->y[i] * sy + ty;
    }
}

/* Drops rings whose extent is below tol in both directions (islands smaller than a pixel). */
static void drop_tiny_rings(cor__geom_t *g, double tol)
{
    size_t out = 0, nparts = 0;
    for (size_t p = 0; p < g->nparts; p++) {
        size_t a = g->parts[p], b = g->parts[p + 1];
        double minx = INFINITY, maxx = -INFINITY, miny = INFINITY, maxy = -INFINITY;
        for (size_t i = a; i < b; i++) {
            minx = fmin(minx, g->x[i]), maxx = fmax(maxx, g->x[i]);
            miny = fmin(miny, g->y[i]), maxy = fmax(maxy, g->y[i]);
        }
        if (maxx - minx < tol && maxy - miny < tol)
            continue;
        memmove(g->x + out, g->x + a, (b - a) * sizeof(double));
        memmove(g->y + out, g->y + a, (b - a) * sizeof(double));
        g->parts[nparts++] = out;
        out += b - a;
    }
    g->parts[nparts] = out;
    g->nparts = nparts;
    g->npoints = out;
}

/* ---- thinning ---- */

/* How far simplify_part() looks ahead of the last point it kept. */
#define LOOKAHEAD 16

/* Squared distance from (px, py) to the segment a-b. */
static double seg_dist2(double px, double py, double ax, double ay, double bx, double by);

/* True when every point strictly between a and e lies within tol of the segment a-e. */
static bool span_fits(const double *x, const double *y, size_t a, size_t e, double tol2)
{
    for (size_t k = a + 1; k < e; k++)
        if (seg_dist2(x[k], y[k], x[a], y[a], x[e], y[e]) > tol2)
            return false;
    return true;
}

/* Simplifies the n points at x, y in place and returns how many are left: from each kept point,
 * the next kept one is the farthest (at most LOOKAHEAD on) such that every point skipped lies
 * within tol of the segment between them. The ends stay. */
static size_t simplify_part(double *x, double *y, size_t n, double tol)
{
    if (n < 3)
        return n;
    double tol2 = tol * tol;
    size_t a = 0, out = 1; /* x[a] is the last kept point, not yet overwritten */
    while (a < n - 1) {
        size_t best = a + 1, stop = n - 1 - a > LOOKAHEAD ? a + LOOKAHEAD : n - 1;
        for (size_t e = a + 2; e <= stop && span_fits(x, y, a, e, tol2); e++)
            best = e;
        x[out] = x[best], y[out] = y[best];
        out++;
        a = best;
    }
    return out;
}

/* Every part through simplify_part(); parts left shorter than their kind needs are removed. */
static void simplify_parts(cor__geom_t *g, double tol)
{
    size_t out = 0, nparts = 0, minpts = min_part_points(g->kind);
    for (size_t p = 0; p < g->nparts; p++) {
        size_t a = g->parts[p], b = g->parts[p + 1];
        if (a != out) {
            memmove(g->x + out, g->x + a, (b - a) * sizeof(double));
            memmove(g->y + out, g->y + a, (b - a) * sizeof(double));
        }
        size_t n = simplify_part(g->x + out, g->y + out, b - a, tol);
        if (n < minpts)
            continue;
        g->parts[nparts++] = out;
        out += n;
    }
    g->parts[nparts] = out;
    g->nparts = nparts;
    g->npoints = out;
}

void cor__geom_simplify(cor__geom_t *g, double tol)
{
    if (g->kind == COR__GEOM_POINT || tol <= 0 || !g->nparts)
        return;
    if (g->kind == COR__GEOM_POLYGON)
        drop_tiny_rings(g, tol);
    filter_points(g, keep_far, &tol);
}

void cor__geom_thin(cor__geom_t *g, double tol)
{
    if (g->kind == COR__GEOM_POINT || tol <= 0 || !g->nparts)
        return;
    simplify_parts(g, tol);
}

bool cor__geom_contains(const cor__geom_t *g, double x, double y)
{
    bool inside = false;
    if (g->kind != COR__GEOM_POLYGON)
        return false;
    for (size_t p = 0; p < g->nparts; p++) {
        size_t a = g->parts[p], b = g->parts[p + 1];
        for (size_t i = a, j = b - 1; i < b; j = i++) {
            if ((g->y[i] > y) != (g->y[j] > y) &&
                x < (g->x[j] - g->x[i]) * (y - g->y[i]) / (g->y[j] - g->y[i]) + g->x[i])
                inside = !inside;
        }
    }
    return inside;
}

const cor__attr_t *cor__feature_get(const cor__feature_t *f, const char *name)
{
    for (size_t i = 0; i < f->nfields; i++)
        if (strcmp(f->names[i], name) == 0)
            return &f->values[i];
    for (size_t i = 0; i < f->nfields; i++)
        if (cor__strcasecmp(f->names[i], name) == 0)
            return &f->values[i];
    return NULL;
}

/* ---- clipping ---- */

typedef cor__clip_pts_t pts_t;

static bool pts_push(pts_t *p, double x, double y)
{
    if (p->n == p->cap &&
        !cor__grow2((void **)&p->x, (void **)&p->y, &p->cap, p->n + 1, sizeof(double)))
        return false;
    p->x[p->n] = x;
    p->y[p->n] = y;
    p->n++;
    return true;
}

static void pts_free(pts_t *p)
{
    free(p->x);
    free(p->y);
    memset(p, 0, sizeof *p);
}

void cor__clip_buf_free(cor__clip_buf_t *b)
{
    pts_free(&b->a);
    pts_free(&b->b);
    pts_free(&b->piece);
}

/* Signed distance of a point inside one edge of the box: >= 0 means inside. */
static double edge_dist(int edge, cor_bbox_t b, double x, double y)
{
    switch (edge) {
    case 0:
        return x - b.minx;
    case 1:
        return b.maxx - x;
    case 2:
        return y - b.miny;
    default:
        return b.maxy - y;
    }
}

/* Where the segment from (x0,y0) to (x1,y1) meets an edge, with di and dj their distances
 * inside it: the coordinate across the edge is set to the edge's own, so that points cut on one
 * side compare equal on it (cut_edges() finds the edges laid along the box by that). */
static void edge_cut(int edge, cor_bbox_t b, double x0, double y0, double x1, double y1, double di,
                     double dj, double *x, double *y)
{
    double t = di / (di - dj);
    *x = edge == 0 ? b.minx : edge == 1 ? b.maxx : x0 + t * (x1 - x0);
    *y = edge == 2 ? b.miny : edge == 3 ? b.maxy : y0 + t * (y1 - y0);
}

/* One Sutherland-Hodgman pass of ring `in` against one box edge into `out`. */
static bool clip_ring_edge(const pts_t *in, pts_t *out, int edge, cor_bbox_t b)
{
    out->n = 0;
    if (!in->n)
        return true;
    double di = edge_dist(edge, b, in->x[0], in->y[0]);
    for (size_t i = 0; i < in->n; i++) {
        size_t j = i + 1 < in->n ? i + 1 : 0;
        double dj = edge_dist(edge, b, in->x[j], in->y[j]), x, y;
        if (di >= 0 && !pts_push(out, in->x[i], in->y[i]))
            return false;
        if ((di >= 0) != (dj >= 0)) {
            edge_cut(edge, b, in->x[i], in->y[i], in->x[j], in->y[j], di, dj, &x, &y);
            if (!pts_push(out, x, y))
                return false;
        }
        di = dj;
    }
    return true;
}

static bool on_side(cor_bbox_t b, double x0, double y0, double x1, double y1)
{
    return (x0 == b.minx && x1 == b.minx) || (x0 == b.maxx && x1 == b.maxx) ||
           (y0 == b.miny && y1 == b.miny) || (y0 == b.maxy && y1 == b.maxy);
}

static bool on_boundary(cor_bbox_t b, double x, double y)
{
    return x == b.minx || x == b.maxx || y == b.miny || y == b.maxy;
}

/* A clipped ring with every point on the box's boundary and (next to) no area: what is left of
 * a ring that passes round the box without covering any of it. */
static bool degenerate(const pts_t *p, cor_bbox_t b)
{
    double area = 0;
    for (size_t i = 0, j = p->n - 1; i < p->n; j = i++) {
        if (!on_boundary(b, p->x[i], p->y[i]))
            return false;
        area += (p->x[j] - b.minx) * (p->y[i] - b.miny) - (p->x[i] - b.minx) * (p->y[j] - b.miny);
    }
    return fabs(area) / 2 < 1e-9 * (b.maxx - b.minx) * (b.maxy - b.miny);
}

/* Appends the clipped ring to out, cutting the edges it runs along the box into pieces no longer
 * than step (step <= 0: as they are). */
static bool add_cut_ring(cor__geom_t *out, const pts_t *p, cor_bbox_t b, double step, pts_t *tmp)
{
    if (!(step > 0))
        return cor__geom_add_part(out, p->x, p->y, p->n);
    tmp->n = 0;
    for (size_t i = 0; i < p->n; i++) {
        size_t j = i + 1 < p->n ? i + 1 : 0;
        if (!pts_push(tmp, p->x[i], p->y[i]))
            return false;
        if (!on_side(b, p->x[i], p->y[i], p->x[j], p->y[j]))
            continue;
        double dx = p->x[j] - p->x[i], dy = p->y[j] - p->y[i];
        double k = ceil(hypot(dx, dy) / step);
        for (double s = 1; s < k; s++)
            if (!pts_push(tmp, p->x[i] + dx * s / k, p->y[i] + dy * s / k))
                return false;
    }
    return cor__geom_add_part(out, tmp->x, tmp->y, tmp->n);
}

static cor_bbox_t part_bbox(const cor__geom_t *g, size_t a, size_t b)
{
    cor_bbox_t r = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (size_t i = a; i < b; i++) {
        r.minx = fmin(r.minx, g->x[i]), r.maxx = fmax(r.maxx, g->x[i]);
        r.miny = fmin(r.miny, g->y[i]), r.maxy = fmax(r.maxy, g->y[i]);
    }
    return r;
}

static bool box_within(cor_bbox_t in, cor_bbox_t box)
{
    return in.minx >= box.minx && in.maxx <= box.maxx && in.miny >= box.miny && in.maxy <= box.maxy;
}

/* One ring clipped into out: kept whole when inside, dropped when its box misses, else
 * Sutherland-Hodgman against the four edges. */
static bool clip_ring(const cor__geom_t *g, size_t a, size_t b, cor_bbox_t box, double step,
                      cor__geom_t *out, cor__clip_buf_t *buf)
{
    cor_bbox_t rb = part_bbox(g, a, b);
    if (box_within(rb, box))
        return cor__geom_add_part(out, g->x + a, g->y + a, b - a);
    if (!cor__bbox_intersects(&rb, &box))
        return true;
    pts_t *p1 = &buf->a, *p2 = &buf->b;
    p1->n = 0;
    for (size_t i = a; i < b; i++)
        if (!pts_push(p1, g->x[i], g->y[i]))
            return false;
    for (int e = 0; e < 4 && p1->n; e++) {
        if (!clip_ring_edge(p1, p2, e, box))
            return false;
        pts_t *t = p1;
        p1 = p2, p2 = t;
    }
    if (p1->n < 3 || degenerate(p1, box))
        return true;
    return add_cut_ring(out, p1, box, step, p2);
}

/* Liang-Barsky: clips segment (x0,y0)-(x1,y1) to the box; false when it lies outside. */
static bool clip_segment(cor_bbox_t b, double *x0, double *y0, double *x1, double *y1)
{
    double dx = *x1 - *x0, dy = *y1 - *y0, t0 = 0, t1 = 1;
    double p[4] = {-dx, dx, -dy, dy};
    double q[4] = {*x0 - b.minx, b.maxx - *x0, *y0 - b.miny, b.maxy - *y0};
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0) {
            if (q[i] < 0)
                return false;
            continue;
        }
        double t = q[i] / p[i];
        if (p[i] < 0 && t > t0)
            t0 = t;
        else if (p[i] > 0 && t < t1)
            t1 = t;
        if (t0 > t1)
            return false;
    }
    double ax = *x0 + t0 * dx, ay = *y0 + t0 * dy;
    *x1 = *x0 + t1 * dx, *y1 = *y0 + t1 * dy;
    *x0 = ax, *y0 = ay;
    return true;
}

static bool flush_piece(cor__geom_t *out, pts_t *piece)
{
    bool ok = piece->n < 2 || cor__geom_add_part(out, piece->x, piece->y, piece->n);
    piece->n = 0;
    return ok;
}

/* One line part clipped into out: the pieces inside, each its own part. */
static bool clip_line_part(const cor__geom_t *g, size_t a, size_t b, cor_bbox_t box,
                           cor__geom_t *out, pts_t *piece)
{
    cor_bbox_t pb = part_bbox(g, a, b);
    if (box_within(pb, box))
        return cor__geom_add_part(out, g->x + a, g->y + a, b - a);
    if (!cor__bbox_intersects(&pb, &box))
        return true;
    bool ok = true;
    piece->n = 0;
    for (size_t i = a; ok && i + 1 < b; i++) {
        double x0 = g->x[i], y0 = g->y[i], x1 = g->x[i + 1], y1 = g->y[i + 1];
        if (!clip_segment(box, &x0, &y0, &x1, &y1)) {
            ok = flush_piece(out, piece);
            continue;
        }
        bool joins = piece->n && piece->x[piece->n - 1] == x0 && piece->y[piece->n - 1] == y0;
        if (!joins)
            ok = flush_piece(out, piece) && pts_push(piece, x0, y0);
        ok = ok && pts_push(piece, x1, y1);
        if (ok && (x1 != g->x[i + 1] || y1 != g->y[i + 1]))
            ok = flush_piece(out, piece);
    }
    return ok && flush_piece(out, piece);
}

bool cor__geom_clip_into(const cor__geom_t *src, cor_bbox_t box, double step, cor__geom_t *dst,
                         cor__clip_buf_t *buf)
{
    cor__geom_clear(dst);
    dst->kind = src->kind;
    bool ok = true;
    for (size_t p = 0; ok && p < src->nparts; p++) {
        size_t a = src->parts[p], b = src->parts[p + 1];
        if (src->kind == COR__GEOM_POLYGON)
            ok = clip_ring(src, a, b, box, step, dst, buf);
        else if (src->kind == COR__GEOM_LINE)
            ok = clip_line_part(src, a, b, box, dst, &buf->piece);
        else
            for (size_t i = a; ok && i < b; i++)
                if (src->x[i] >= box.minx && src->x[i] <= box.maxx && src->y[i] >= box.miny &&
                    src->y[i] <= box.maxy)
                    ok = cor__geom_add_part(dst, src->x + i, src->y + i, 1);
    }
    return ok;
}

bool cor__geom_clip(cor__geom_t *g, cor_bbox_t box)
{
    if (!g->npoints || box_within(cor__geom_bbox(g), box))
        return true;
    cor__geom_t out = {0};
    cor__clip_buf_t buf = {0};
    bool ok = cor__geom_clip_into(g, box, 0, &out, &buf);
    cor__clip_buf_free(&buf);
    if (ok) {
        cor__geom_free(g);
        *g = out;
    } else {
        cor__geom_free(&out);
    }
    return ok;
}

/* ---- label anchors ---- */

/* Squared distance from (x, y) to the segment a-b. */
static double seg_dist2(double x, double y, double ax, double ay, double bx, double by)
{
    double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / len2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double px = ax + t * dx - x, py = ay + t * dy - y;
    return px * px + py * py;
}

static double edge_distance(const cor__geom_t *g, double x, double y)
{
    double best = INFINITY;
    for (size_t p = 0; p < g->nparts; p++) {
        size_t a = g->parts[p], b = g->parts[p + 1];
        for (size_t i = a, j = b - 1; i < b; j = i++)
            best = fmin(best, seg_dist2(x, y, g->x[j], g->y[j], g->x[i], g->y[i]));
    }
    return sqrt(best);
}

/* Searches a GRID x GRID lattice over box for the inside point farthest from the edges. */
static bool best_on_grid(const cor__geom_t *g, cor_bbox_t box, double *bx, double *by, double *bd)
{
    enum { GRID = 24 };
    bool found = false;
    double w = box.maxx - box.minx, h = box.maxy - box.miny;
    for (int i = 0; i < GRID; i++) {
        for (int j = 0; j < GRID; j++) {
            double x = box.minx + (i + 0.5) * w / GRID, y = box.miny + (j + 0.5) * h / GRID;
            if (!cor__geom_contains(g, x, y))
                continue;
            double d = edge_distance(g, x, y);
            if (!found || d > *bd) {
                *bx = x, *by = y, *bd = d;
                found = true;
            }
        }
    }
    return found;
}

bool cor__geom_interior_point(const cor__geom_t *g, double *x, double *y)
{
    if (g->kind != COR__GEOM_POLYGON || g->npoints < 3)
        return false;
    cor_bbox_t box = cor__geom_bbox(g);
    double bx = 0, by = 0, bd = 0;
    if (!best_on_grid(g, box, &bx, &by, &bd))
        return false;
    double cw = (box.maxx - box.minx) / 24, ch = (box.maxy - box.miny) / 24;
    cor_bbox_t cell = {bx - cw, by - ch, bx + cw, by + ch};
    double fx = 0, fy = 0, fd = 0;
    if (best_on_grid(g, cell, &fx, &fy, &fd) && fd > bd)
        bx = fx, by = fy;
    *x = bx;
    *y = by;
    return true;
}

typedef struct deep_point {
    double x, y, d;
} deep_point_t;

static int deeper_first(const void *a, const void *b)
{
    double da = ((const deep_point_t *)a)->d, db = ((const deep_point_t *)b)->d;
    return (da < db) - (da > db);
}

size_t cor__geom_interior_points(const cor__geom_t *g, double *xs, double *ys, size_t max)
{
    enum { GRID = 24 };
    deep_point_t pts[GRID * GRID];
    size_t n = 0, out = 0;
    if (max == 0 || !cor__geom_interior_point(g, &xs[0], &ys[0]))
        return 0;
    out = 1;
    cor_bbox_t box = cor__geom_bbox(g);
    double w = box.maxx - box.minx, h = box.maxy - box.miny, spacing = fmax(w, h) / 8;
    for (int i = 0; i < GRID; i++)
        for (int j = 0; j < GRID; j++) {
            double x = box.minx + (i + 0.5) * w / GRID, y = box.miny + (j + 0.5) * h / GRID;
            if (cor__geom_contains(g, x, y))
                pts[n++] = (deep_point_t){x, y, edge_distance(g, x, y)};
        }
    qsort(pts, n, sizeof *pts, deeper_first);
    for (size_t i = 0; i < n && out < max; i++) {
        bool apart = true;
        for (size_t k = 0; apart && k < out; k++)
            apart = hypot(pts[i].x - xs[k], pts[i].y - ys[k]) >= spacing;
        if (apart)
            xs[out] = pts[i].x, ys[out++] = pts[i].y;
    }
    return out;
}
