/* SPDX-License-Identifier: MIT */
/* page_transform: lon/lat to page points and back for a map's view, so that a program drawing
 * the map into its own cairo context can put its own marks on it. It sets the view up as a
 * render does (view.c) and transforms points with PROJ (project.c); it draws nothing. */
#include <math.h>
#include <stdlib.h>

#include "map_internal.h"
#include "project.h"
#include "util.h"
#include "view.h"

struct cor_page_transform {
    cor__view_t v;
    cor__xform_t *xf; /* lon/lat to the view's CRS; NULL when the view is raw coordinates */
};

void cor_page_transform_free(cor_page_transform_t *t)
{
    if (!t)
        return;
    cor__xform_free(t->xf);
    cor__view_clear(&t->v);
    free(t);
}

cor_status_t cor_map_page_transform(cor_map_t *map, cor_page_transform_t **out, cor_error_t *err)
{
    cor__crs_t *lonlat = NULL;
    if (!map || !out)
        return cor__fail(err, COR_ERR_USAGE, "cor_map_page_transform: NULL map or output");
    if (map->style.nlayers == 0 && map->overlays.n == 0 && map->njson == 0)
        return cor__fail(err, COR_ERR_USAGE, "nothing to draw: no style and no layers");
    cor_page_transform_t *t = cor__calloc(1, sizeof *t);
    if (!t)
        return cor__fail(err, COR_ERR_NOMEM, "out of memory");
    cor__style_sort(&map->style);
    cor_status_t st = cor__view_setup(map, &t->v, err);
    if (st == COR_OK && t->v.crs && (st = cor__crs_lonlat(map->proj, &lonlat, err)) == COR_OK)
        st = cor__xform_new(map->proj, lonlat, t->v.crs, &t->xf, err);
    cor__crs_free(lonlat);
    if (st != COR_OK) {
        cor_page_transform_free(t);
        return st;
    }
    *out = t;
    return COR_OK;
}

bool cor_page_transform_to_page(cor_page_transform_t *t, double lon, double lat, double *x,
                                double *y)
{
    double px = lon, py = lat;
    if (!t || (t->xf && cor__xform_points(t->xf, false, &px, &py, 1) != 0))
        return false;
    px = (px - t->v.box.minx) * t->v.scale;
    py = (t->v.box.maxy - py) * t->v.scale;
    if (!isfinite(px) || !isfinite(py))
        return false;
    if (x)
        *x = px;
    if (y)
        *y = py;
    return true;
}

bool cor_page_transform_to_lonlat(cor_page_transform_t *t, double x, double y, double *lon,
                                  double *lat)
{
    if (!t || !(t->v.scale > 0))
        return false;
    double px = t->v.box.minx + x / t->v.scale, py = t->v.box.maxy - y / t->v.scale;
    if (t->xf && cor__xform_points(t->xf, true, &px, &py, 1) != 0)
        return false;
    if (!isfinite(px) || !isfinite(py))
        return false;
    if (lon)
        *lon = px;
    if (lat)
        *lat = py;
    return true;
}
