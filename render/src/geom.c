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
    if (need <= g->cap_points)
        return true;
    size_t cap = g->cap_points;
    if (!cor__grow((void **)&g->x, &cap, need, sizeof(double)))
        return false;
    cap = g->cap_points;
    if (!cor__grow((void **)&g->y, &cap, need, sizeof(double)))
        return false;
    g->cap_points = cap;
    return true;
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

/* Rewrites the parts in place, keeping the points for which keep() says yes; parts left shorter
 * than their kind needs are removed. Returns: points removed. */
static size_t filter_points(cor__geom_t *g, bool (*keep)(const cor__geom_t *, size_t, size_t, void *),
                            void *ud)
{
    size_t out = 0, nparts = 0, before = g->npoints, minpts = min_part_points(g->kind);
    for (size_t p = 0; p < g->nparts; p++) {
        size_t a = g->parts[p], b = g->parts[p + 1], start = out;
        for (size_t i = a; i < b; i++) {
            if (keep(g, i, start == out ? SIZE_MAX : out - 1, ud)) {
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

static bool keep_finite(const cor__geom_t *g, size_t i, size_t last, void *ud)
{
    (void)last;
    (void)ud;
    return isfinite(g->x[i]) && isfinite(g->y[i]);
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

void cor__geom_simplify(cor__geom_t *g, double tol)
{
    if (g->kind == COR__GEOM_POINT || tol <= 0 || !g->nparts)
        return;
    if (g->kind == COR__GEOM_POLYGON)
        drop_tiny_rings(g, tol);
    /* The loop rewrites parts[] as it compacts, so remember where each part ended. */
    size_t n = g->nparts;
    size_t *ends = cor__calloc(n, sizeof *ends);
    if (!ends)
        return; /* simplification is an optimisation: without memory, draw everything */
    for (size_t p = 0; p < n; p++)
        ends[p] = g->parts[p + 1] - 1;
    size_t out = 0, nparts = 0;
    double tol2 = tol * tol;
    size_t minpts = min_part_points(g->kind);
    for (size_t p = 0; p < n; p++) {
        size_t a = g->parts[p], b = ends[p] + 1, start = out;
        for (size_t i = a; i < b; i++) {
            bool keep = (i == a || i == b - 1);
            if (!keep) {
                double dx = g->x[i] - g->x[out - 1], dy = g->y[i] - g->y[out - 1];
                keep = dx * dx + dy * dy >= tol2;
            }
            if (keep) {
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
    free(ends);
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
