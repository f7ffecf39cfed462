/* SPDX-License-Identifier: MIT */
/* Helpers shared by the furniture suites (layout, titles, legend, scale bar, graticule): map
 * views through PROJ, a fake overlay set of a blocked route and two flows, the default map's
 * furniture, and checks that pieces stay apart. Static inline, so each suite takes what it uses. */
#ifndef COR_FURNITURE_TESTUTIL_H
#define COR_FURNITURE_TESTUTIL_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furniture.h"
#include "furniture_query.h"
#include "testutil.h"
#include "util.h"

#define LCC   "+proj=lcc +lat_1=46.5 +lat_2=54.5 +lat_0=51 +lon_0=29 +datum=WGS84 +units=m +no_defs"
#define TITLE "Potash, prisoners and borders"
#define SUBTITLE                                                                                   \
    "Belarusian potash no longer reaches Klaipėda; Ukrainian children deported through Belarus, " \
    "2022–2025"
#define CREDITS                                                                                    \
    "Sources: Natural Earth; Yale HRL; Belaruskali filings; Lithuanian Railways. Map: corridor"

static const cor_bbox_t DEFAULT_EXTENT = {19.8, 44.0, 40.5, 60.2};

/* A map view for the tests: a PROJ context, the map's CRS and the frame around an extent. */
typedef struct view {
    cor__proj_t *proj;
    cor__crs_t *crs;
    cor__frame_t fr;
} view_t;

/* Fits the CRS box of the lon/lat extent to a page of w x h pt, centred, keeping its middle. */
static inline void view_open(view_t *v, const char *def, cor_bbox_t lonlat, double w, double h)
{
    cor__crs_t *ll = NULL;
    cor__xform_t *xf = NULL;
    cor_bbox_t b;
    memset(v, 0, sizeof *v);
    ck_assert_int_eq(cor__proj_new(&v->proj, NULL), COR_OK);
    ck_assert_int_eq(cor__crs_new(v->proj, def, &v->crs, NULL), COR_OK);
    ck_assert_int_eq(cor__crs_lonlat(v->proj, &ll, NULL), COR_OK);
    ck_assert_int_eq(cor__xform_new(v->proj, ll, v->crs, &xf, NULL), COR_OK);
    ck_assert_int_eq(cor__xform_bbox(xf, false, lonlat, &b, NULL), COR_OK);
    cor__xform_free(xf);
    cor__crs_free(ll);
    double scale = fmin(w / (b.maxx - b.minx), h / (b.maxy - b.miny));
    double cx = (b.minx + b.maxx) / 2, cy = (b.miny + b.maxy) / 2;
    cor_bbox_t page = {cx - w / scale / 2, cy - h / scale / 2, cx + w / scale / 2,
                       cy + h / scale / 2};
    v->fr = (cor__frame_t){.width = w,
                           .height = h,
                           .dpi = 300,
                           .proj = v->proj,
                           .crs = v->crs,
                           .box = page,
                           .scale = scale};
}

/* A view whose page shows `width` CRS units across, centred on lon/lat. */
static inline void view_at(view_t *v, const char *def, double lon, double lat, double width,
                           double w, double h)
{
    view_open(v, def, (cor_bbox_t){lon - 0.001, lat - 0.001, lon + 0.001, lat + 0.001}, w, h);
    double cx = (v->fr.box.minx + v->fr.box.maxx) / 2, cy = (v->fr.box.miny + v->fr.box.maxy) / 2;
    v->fr.scale = w / width;
    v->fr.box = (cor_bbox_t){cx - width / 2, cy - h / v->fr.scale / 2, cx + width / 2,
                             cy + h / v->fr.scale / 2};
}

static inline void view_close(view_t *v)
{
    cor__crs_free(v->crs);
    cor__proj_free(v->proj);
}

/* Page point -> lon/lat through the view. */
static inline void page_lonlat(view_t *v, double px, double py, double *lon, double *lat)
{
    cor__crs_t *ll = NULL;
    cor__xform_t *xf = NULL;
    ck_assert_int_eq(cor__crs_lonlat(v->proj, &ll, NULL), COR_OK);
    ck_assert_int_eq(cor__xform_new(v->proj, ll, v->crs, &xf, NULL), COR_OK);
    double x = v->fr.box.minx + px / v->fr.scale, y = v->fr.box.maxy - py / v->fr.scale;
    cor__xform_points(xf, true, &x, &y, 1);
    cor__xform_free(xf);
    cor__crs_free(ll);
    *lon = x, *lat = y;
}

/* Only a scale bar (bottom left), nothing else. */
static inline cor__furniture_t bar_only(void)
{
    return (cor__furniture_t){.graticule = -1,
                              .scalebar = COR__CORNER_BOTTOM_LEFT,
                              .legend = COR__CORNER_NONE,
                              .inset = COR__CORNER_NONE};
}

static inline bool overlap(cor_bbox_t a, cor_bbox_t b)
{
    return a.minx < b.maxx && b.minx < a.maxx && a.miny < b.maxy && b.miny < a.maxy;
}

static inline bool inside(cor_bbox_t in, double w, double h)
{
    return in.minx >= 0 && in.miny >= 0 && in.maxx <= w && in.maxy <= h;
}

/* ---- a fake overlay set: a blocked route and two flows ---- */

static inline cor_color_t rgb(unsigned hex)
{
    return (cor_color_t){(hex >> 16 & 255) / 255.0, (hex >> 8 & 255) / 255.0, (hex & 255) / 255.0,
                         1};
}

typedef struct story {
    cor__overlays_t ov;
    cor__overlay_t items[3];
    cor__legend_entry_t entries[5];
} story_t;

static inline void story_init(story_t *s)
{
    memset(s, 0, sizeof *s);
    cor__overlay_t *route = &s->items[0], *flow = &s->items[1], *small = &s->items[2];
    route->kind = COR__OV_ROUTE;
    route->look = (cor__look_t){.stroke_on = true,
                                .stroke = rgb(0x8c2d04),
                                .width = 2.5,
                                .dash = {6, 3},
                                .ndash = 2,
                                .opacity = 1};
    route->arrow = COR__ARROW_END;
    route->blocked = true;
    route->legend = "Potash to Klaipėda: blocked since 1 Feb 2022";
    flow->kind = COR__OV_FLOW;
    flow->look =
        (cor__look_t){.stroke_on = true, .stroke = rgb(0xb2182b), .width = 4, .opacity = 0.9};
    flow->value = 114;
    flow->bend = NAN;
    flow->legend = "Children deported via Belarus";
    *small = *flow;
    small->value = 27;
    s->ov = (cor__overlays_t){.items = s->items, .n = 3, .cap = 3};
    cor__look_t land = {.fill_on = true,
                        .fill = rgb(0xf1e6c8),
                        .stroke_on = true,
                        .stroke = rgb(0x8d877a),
                        .width = 0.6,
                        .opacity = 1};
    cor__look_t rail = {.stroke_on = true,
                        .stroke = rgb(0x555555),
                        .width = 0.8,
                        .dash = {3, 2},
                        .ndash = 2,
                        .opacity = 1};
    cor__look_t city = {.fill_on = true,
                        .fill = {1, 1, 1, 1},
                        .stroke_on = true,
                        .stroke = rgb(0x222222),
                        .width = 0.8,
                        .marker = COR__MARKER_CAPITAL,
                        .size = 6,
                        .opacity = 1};
    s->entries[0] = (cor__legend_entry_t){route->legend, route, COR__GEOM_NONE, {0}};
    s->entries[1] = (cor__legend_entry_t){flow->legend, flow, COR__GEOM_NONE, {0}};
    s->entries[2] = (cor__legend_entry_t){"Belarus", NULL, COR__GEOM_POLYGON, land};
    s->entries[3] = (cor__legend_entry_t){"Railway", NULL, COR__GEOM_LINE, rail};
    s->entries[4] = (cor__legend_entry_t){"Capital", NULL, COR__GEOM_POINT, city};
}

/* The whole set, as the default map would ask for it. */
static inline cor__furniture_t full_set(void)
{
    return (cor__furniture_t){.title = TITLE,
                              .subtitle = SUBTITLE,
                              .credits = CREDITS,
                              .date = "27 November 2026",
                              .graticule = 0,
                              .scalebar = COR__CORNER_AUTO,
                              .north_arrow = true,
                              .legend = COR__CORNER_AUTO,
                              .inset = COR__CORNER_AUTO,
                              .flow_unit = "children"};
}

/* Every drawn piece inside the page and off every other. */
static inline void assert_boxes_apart(const cor__layout_t *l, double w, double h)
{
    cor_bbox_t b[COR__FPART_COUNT];
    bool on[COR__FPART_COUNT];
    for (int i = 0; i < COR__FPART_COUNT; i++) {
        on[i] = cor__layout_box(l, (cor__fpart_t)i, &b[i], NULL);
        if (on[i])
            ck_assert_msg(inside(b[i], w, h), "part %d outside the %gx%g page: %g %g %g %g", i, w,
                          h, b[i].minx, b[i].miny, b[i].maxx, b[i].maxy);
    }
    for (int i = 0; i < COR__FPART_COUNT; i++)
        for (int j = i + 1; j < COR__FPART_COUNT; j++)
            ck_assert_msg(!(on[i] && on[j] && overlap(b[i], b[j])),
                          "parts %d and %d overlap on a %gx%g page", i, j, w, h);
}

/* Each test runs in a child of its own: release Pango's shared state before it exits, so the
 * leak checker sees no font caches. */
static inline void teardown(void)
{
    cor__text_reset();
}

#endif
