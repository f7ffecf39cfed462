/* SPDX-License-Identifier: MIT */
/* view_check: north's direction and the scale's spread across a view (see view_check.h). */
#include "view_check.h"

#include <math.h>
#include <stdio.h>

#define GRID 7    /* samples per side of the page's area */
#define STEP 0.01 /* degrees: the small steps that measure the local scale and north */
#define DEG  (M_PI / 180)

/* What a CRS does around the sampled places. */
typedef struct spread {
    double kmin, kmax; /* local linear scale, CRS units per metre */
    size_t n;
} spread_t;

/* The local scale (geometric mean of east and north) and north's turn in degrees from the top
 * of the page, at lon/lat in the CRS that `xf` projects to. Returns: false where it fails. */
static bool local(cor__proj_t *proj, cor__xform_t *xf, double lon, double lat, double *k,
                  double *turn)
{
    double dlat = lat + STEP > 90 ? -STEP : STEP;
    double x[3] = {lon, lon + STEP, lon}, y[3] = {lat, lat, lat + dlat};
    if (cor__xform_points(xf, false, x, y, 3) != 0)
        return false;
    double de = hypot(x[1] - x[0], y[1] - y[0]), dn = hypot(x[2] - x[0], y[2] - y[0]);
    double ge = cor__geodesic_distance(proj, lon, lat, lon + STEP, lat);
    double gn = cor__geodesic_distance(proj, lon, lat, lon, lat + dlat);
    if (!(de > 0 && dn > 0 && ge > 0 && gn > 0) || !isfinite(de) || !isfinite(dn))
        return false;
    *k = sqrt(de / ge * (dn / gn));
    double sx = dlat > 0 ? 1 : -1; /* stepping south near the pole: flip the vector */
    *turn = atan2(sx * (x[2] - x[0]), sx * (y[2] - y[0])) / DEG;
    return true;
}

static void spread_add(spread_t *s, double k)
{
    s->kmin = s->n ? fmin(s->kmin, k) : k;
    s->kmax = s->n ? fmax(s->kmax, k) : k;
    s->n++;
}

/* Whether a pole lies on the page: north then has no one direction. */
static bool pole_in_view(cor__xform_t *xf, const cor__view_t *v)
{
    for (int s = -1; s <= 1; s += 2) {
        double x = 0, y = 90.0 * s;
        if (cor__xform_points(xf, false, &x, &y, 1) == 0 && x >= v->box.minx && x <= v->box.maxx &&
            y >= v->box.miny && y <= v->box.maxy)
            return true;
    }
    return false;
}

void cor__view_check(cor__proj_t *proj, const cor__view_t *v, cor__warnings_t *w)
{
    cor__crs_t *ll = NULL, *best = NULL;
    cor__xform_t *xf = NULL, *xbest = NULL;
    double lon[GRID * GRID], lat[GRID * GRID];
    if (!v->crs || cor__crs_is_geographic(v->crs) || !w)
        return;
    if (cor__crs_lonlat(proj, &ll, NULL) != COR_OK ||
        cor__xform_new(proj, ll, v->crs, &xf, NULL) != COR_OK)
        goto done;
    for (int i = 0; i < GRID; i++)
        for (int j = 0; j < GRID; j++) {
            lon[i * GRID + j] = v->box.minx + (v->box.maxx - v->box.minx) * (j + 0.5) / GRID;
            lat[i * GRID + j] = v->box.miny + (v->box.maxy - v->box.miny) * (i + 0.5) / GRID;
        }
    cor__xform_points(xf, true, lon, lat, GRID * GRID); /* page area -> lon/lat; NAN where not */
    const size_t mid = GRID * GRID / 2;
    if (!isfinite(lon[mid]) || !isfinite(lat[mid]))
        goto done;
    char suggest[128];
    snprintf(suggest, sizeof suggest, "+proj=laea +lat_0=%.0f +lon_0=%.0f +datum=WGS84", lat[mid],
             lon[mid]);
    double k, turn;
    if (!pole_in_view(xf, v) && local(proj, xf, lon[mid], lat[mid], &k, &turn) &&
        fabs(turn) > COR__VIEW_MAX_TURN)
        (void)cor__warnings_add(
            w,
            "the CRS turns the map: north points %.0f degrees from the top of the page at "
            "the view's centre%s; for this area try --crs '%s'",
            fabs(turn), fabs(turn) > 90 ? " (the map is upside down)" : "", suggest);
    spread_t s = {0}, sb = {0};
    if (cor__crs_new(proj, suggest, &best, NULL) != COR_OK ||
        cor__xform_new(proj, ll, best, &xbest, NULL) != COR_OK)
        goto done;
    for (size_t i = 0; i < GRID * GRID; i++) {
        double kb, tb;
        if (isfinite(lon[i]) && isfinite(lat[i]) && local(proj, xf, lon[i], lat[i], &k, &turn) &&
            local(proj, xbest, lon[i], lat[i], &kb, &tb)) {
            spread_add(&s, k);
            spread_add(&sb, kb);
        }
    }
    if (s.n >= 2) {
        double r = s.kmax / s.kmin, rb = sb.kmax / sb.kmin;
        if (r > COR__VIEW_MAX_STRETCH && r > COR__VIEW_STRETCH_OVER_BEST * rb)
            (void)cor__warnings_add(
                w,
                "the CRS stretches the map: its scale varies %.1f times across the view "
                "(%.1f in an equal-area CRS centred on it); for this area try --crs '%s'",
                r, rb, suggest);
    }
done:
    cor__xform_free(xbest);
    cor__crs_free(best);
    cor__xform_free(xf);
    cor__crs_free(ll);
}
