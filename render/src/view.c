/* SPDX-License-Identifier: MIT */
/* view: the CRS a map is drawn in, the area it shows and the scale that puts it on the page.
 * Explicit settings (cor_map_set_crs, cor_map_set_extent) win over the style's map{}; a quick
 * look without either is fitted to its layers' data in the first layer's own CRS. It reads the
 * map's sources (opening them once, through map.c) and never draws. */
#include "view.h"

#include <math.h>

#include "map_internal.h"
#include "util.h"

#define FIT_MARGIN 0.04 /* room around a quick look's data, as a share of its size */

/* The CRS to draw in: --crs, else the style's, else lon/lat for a style, else the first
 * quick-look layer's own (NULL when it has none: raw coordinates). */
static cor_status_t view_crs(cor_map_t *map, cor__crs_t **out, cor_error_t *err)
{
    const char *def = map->crs_def ? map->crs_def : map->style.map.crs;
    if (def)
        return cor__crs_new(map->proj, def, out, err);
    if (map->style.path || map->nquick == 0)
        return cor__crs_lonlat(map->proj, out, err);
    for (size_t i = 0; i < map->style.nlayers; i++) {
        const cor__layer_style_t *ls = &map->style.layers[i];
        if (!cor__map_is_quick(ls))
            continue;
        cor__source_t *s;
        cor_status_t st = cor__map_layer_source(map, ls, &s, err);
        if (st != COR_OK)
            return st;
        if (!s->crs)
            return COR_OK;
        const char *prj = cor__shp_prj(s->shp);
        return prj ? cor__crs_new(map->proj, prj, out, err) : cor__crs_lonlat(map->proj, out, err);
    }
    return COR_OK;
}

static cor_bbox_t bbox_union(cor_bbox_t a, cor_bbox_t b)
{
    return (cor_bbox_t){fmin(a.minx, b.minx), fmin(a.miny, b.miny), fmax(a.maxx, b.maxx),
                        fmax(a.maxy, b.maxy)};
}

/* Widens `box` by the projections of a grid over `b`: where PROJ cannot transform a box's
 * edges (the far side of an orthographic globe), the points inside still count. */
static bool grid_extent(cor__xform_t *xf, cor_bbox_t b, cor_bbox_t *box, bool have)
{
    enum { N = 33 };
    double x[N * N], y[N * N];
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            x[i * N + j] = b.minx + (b.maxx - b.minx) * i / (N - 1);
            y[i * N + j] = b.miny + (b.maxy - b.miny) * j / (N - 1);
        }
    cor__xform_points(xf, false, x, y, N * N);
    for (int k = 0; k < N * N; k++) {
        if (!isfinite(x[k]) || !isfinite(y[k]))
            continue;
        if (!have)
            *box = (cor_bbox_t){x[k], y[k], x[k], y[k]};
        box->minx = fmin(box->minx, x[k]), box->maxx = fmax(box->maxx, x[k]);
        box->miny = fmin(box->miny, y[k]), box->maxy = fmax(box->maxy, y[k]);
        have = true;
    }
    return have;
}

/* A layer's extent in the view's CRS. Returns: false when it cannot be transformed. */
static bool layer_extent_in_view(cor_map_t *map, cor__source_t *s, cor__crs_t *crs, cor_bbox_t *out)
{
    cor_bbox_t b;
    if (!cor__shp_extent(s->shp, &b))
        return false;
    if (!crs || !s->crs) {
        *out = b;
        return true;
    }
    cor__xform_t *xf = NULL;
    bool ok = false;
    if (cor__xform_new(map->proj, s->crs, crs, &xf, NULL) == COR_OK) {
        ok = cor__xform_bbox(xf, false, b, out, NULL) == COR_OK;
        ok = grid_extent(xf, b, out, ok);
    }
    cor__xform_free(xf);
    return ok;
}

/* A crop of less than this share of a side gains nothing the eye sees: the extent is kept. */
#define CROP_MIN 0.01

/* Moves [lo, hi] (length `len`, centred on `c`) so that it holds [klo, khi], within reason. */
static void hold(double c, double len, double klo, double khi, double *lo, double *hi)
{
    *lo = c - len / 2, *hi = c + len / 2;
    if (*lo > klo)
        *lo = klo, *hi = klo + len;
    if (*hi < khi)
        *hi = khi, *lo = khi - len;
}

cor_bbox_t cor__view_crop(cor_bbox_t area, cor_bbox_t keep, double aspect)
{
    double aw = area.maxx - area.minx, ah = area.maxy - area.miny;
    double kw = keep.maxx - keep.minx, kh = keep.maxy - keep.miny;
    cor_bbox_t b = area;
    if (!(aspect > 0) || !(aw > 0) || !(ah > 0))
        return area;
    if (aw / ah > aspect) { /* wider than the page: crop across */
        double w = fmax(ah * aspect, fmin(kw, aw));
        if (w < (1 - CROP_MIN) * aw)
            hold((area.minx + area.maxx) / 2, w, keep.minx, keep.maxx, &b.minx, &b.maxx);
    } else { /* taller than the page: crop down */
        double h = fmax(aw / aspect, fmin(kh, ah));
        if (h < (1 - CROP_MIN) * ah)
            hold((area.miny + area.maxy) / 2, h, keep.miny, keep.maxy, &b.miny, &b.maxy);
    }
    return b;
}

/* The extent in degrees (explicit, else the style's) in the view's CRS; the style's extent is
 * cropped to the page's shape down to its focus. */
static cor_status_t extent_area(cor_map_t *map, cor__crs_t *crs, double aspect, cor_bbox_t *out,
                                cor_error_t *err)
{
    cor_bbox_t ll = map->has_extent ? map->extent : map->style.map.extent, keep;
    if (!crs)
        return cor__fail(err, COR_ERR_CRS,
                         "an extent in degrees needs a CRS: the layers have no .prj and are "
                         "not in longitude/latitude; use --crs");
    cor_status_t st = cor__view_lonlat_box(map->proj, crs, ll, out, err);
    if (st != COR_OK || map->has_extent || !map->style.map.has_focus)
        return st;
    st = cor__view_lonlat_box(map->proj, crs, map->style.map.focus, &keep, err);
    if (st == COR_OK)
        *out = cor__view_crop(*out, keep, aspect);
    return st;
}

/* All layers' data in the view's CRS, with a margin. */
static cor_status_t data_area(cor_map_t *map, cor__crs_t *crs, cor_bbox_t *out, cor_error_t *err)
{
    bool any = false;
    for (size_t i = 0; i < map->style.nlayers; i++) {
        cor__source_t *s;
        cor_bbox_t b;
        cor_status_t st = cor__map_layer_source(map, &map->style.layers[i], &s, err);
        if (st != COR_OK)
            return st;
        if (!layer_extent_in_view(map, s, crs, &b))
            continue;
        *out = any ? bbox_union(*out, b) : b;
        any = true;
    }
    if (!any)
        return cor__fail(err, COR_ERR_DATA,
                         "nothing to draw: no layer has data that can be "
                         "placed on the map");
    double mx = (out->maxx - out->minx) * FIT_MARGIN, my = (out->maxy - out->miny) * FIT_MARGIN;
    double pad = fmax(fmax(mx, my), 1e-6 * fmax(fabs(out->maxx), fabs(out->maxy)) + 1e-9);
    out->minx -= pad, out->maxx += pad, out->miny -= pad, out->maxy += pad;
    return COR_OK;
}

cor_status_t cor__view_lonlat_box(cor__proj_t *proj, const cor__crs_t *crs, cor_bbox_t lonlat,
                                  cor_bbox_t *out, cor_error_t *err)
{
    cor__crs_t *ll = NULL;
    cor__xform_t *xf = NULL;
    cor_status_t st = cor__crs_lonlat(proj, &ll, err);
    if (st == COR_OK)
        st = cor__xform_new(proj, ll, crs, &xf, err);
    if (st == COR_OK)
        st = cor__xform_bbox(xf, false, lonlat, out, err);
    cor__xform_free(xf);
    cor__crs_free(ll);
    return st;
}

void cor__view_fit(cor__view_t *v, cor_bbox_t area)
{
    double aw = area.maxx - area.minx, ah = area.maxy - area.miny;
    v->scale = fmin(v->width / aw, v->height / ah);
    double cx = (area.minx + area.maxx) / 2, cy = (area.miny + area.maxy) / 2;
    double hw = v->width / v->scale / 2, hh = v->height / v->scale / 2;
    v->box = (cor_bbox_t){cx - hw, cy - hh, cx + hw, cy + hh};
    double margin = 0.02 * fmax(v->width, v->height) + 20;
    v->clip = (cor_bbox_t){-margin, -margin, v->width + margin, v->height + margin};
    v->tolerance = 0.25 * 72.0 / v->dpi;
}

cor_status_t cor__view_setup(cor_map_t *map, cor__view_t *v, cor_error_t *err)
{
    cor_bbox_t area;
    cor__map_page(map, &v->width, &v->height, &v->dpi);
    cor_status_t st = view_crs(map, &v->crs, err);
    if (st == COR_OK)
        st = map->has_extent || map->style.map.has_extent
                 ? extent_area(map, v->crs, v->width / v->height, &area, err)
                 : data_area(map, v->crs, &area, err);
    if (st == COR_OK && (!(area.maxx > area.minx && area.maxy > area.miny) ||
                         !isfinite(area.maxx - area.minx) || !isfinite(area.maxy - area.miny)))
        st = cor__fail(err, COR_ERR_CRS, "the map's area cannot be projected to a finite box");
    if (st != COR_OK) {
        cor__view_clear(v);
        return st;
    }
    cor__view_fit(v, area);
    return COR_OK;
}

void cor__view_clear(cor__view_t *v)
{
    cor__crs_free(v->crs);
    v->crs = NULL;
}
