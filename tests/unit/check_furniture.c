/* Tests for furniture: the scale bar against PROJ's geodesics, round lengths, the graticule's
 * spacing, curves and labels, corner placement without overlaps, obstacles for the labeler,
 * text on images and in SVG, and the north arrow. Failure cases first. A full set of furniture
 * over a plain background is written to $COR_TEST_BUILD (or /tmp) as furniture-sample.png (300
 * dpi) and furniture-small.png for looking at. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furniture.h"
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
static void view_open(view_t *v, const char *def, cor_bbox_t lonlat, double w, double h)
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
static void view_at(view_t *v, const char *def, double lon, double lat, double width, double w,
                    double h)
{
    view_open(v, def, (cor_bbox_t){lon - 0.001, lat - 0.001, lon + 0.001, lat + 0.001}, w, h);
    double cx = (v->fr.box.minx + v->fr.box.maxx) / 2, cy = (v->fr.box.miny + v->fr.box.maxy) / 2;
    v->fr.scale = w / width;
    v->fr.box = (cor_bbox_t){cx - width / 2, cy - h / v->fr.scale / 2, cx + width / 2,
                             cy + h / v->fr.scale / 2};
}

static void view_close(view_t *v)
{
    cor__crs_free(v->crs);
    cor__proj_free(v->proj);
}

/* Page point -> lon/lat through the view. */
static void page_lonlat(view_t *v, double px, double py, double *lon, double *lat)
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
static cor__furniture_t bar_only(void)
{
    return (cor__furniture_t){.graticule = -1,
                              .scalebar = COR__CORNER_BOTTOM_LEFT,
                              .legend = COR__CORNER_NONE,
                              .inset = COR__CORNER_NONE};
}

static bool overlap(cor_bbox_t a, cor_bbox_t b)
{
    return a.minx < b.maxx && b.minx < a.maxx && a.miny < b.maxy && b.miny < a.maxy;
}

static bool inside(cor_bbox_t in, double w, double h)
{
    return in.minx >= 0 && in.miny >= 0 && in.maxx <= w && in.maxy <= h;
}

/* The ground length of the bar laid horizontally through the page centre, by PROJ's geodesic. */
static double bar_geodesic(view_t *v, double points)
{
    double lon1, lat1, lon2, lat2, cx = v->fr.width / 2, cy = v->fr.height / 2;
    page_lonlat(v, cx - points / 2, cy, &lon1, &lat1);
    page_lonlat(v, cx + points / 2, cy, &lon2, &lat2);
    return cor__geodesic_distance(v->proj, lon1, lat1, lon2, lat2);
}

static bool is_round(double metres)
{
    double m = metres / pow(10, floor(log10(metres) + 1e-9));
    return fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 || fabs(m - 5) < 1e-9;
}

/* ---- a fake overlay set: a blocked route and two flows ---- */

static cor_color_t rgb(unsigned hex)
{
    return (cor_color_t){(hex >> 16 & 255) / 255.0, (hex >> 8 & 255) / 255.0, (hex & 255) / 255.0,
                         1};
}

typedef struct story {
    cor__overlays_t ov;
    cor__overlay_t items[3];
    cor__legend_entry_t entries[5];
} story_t;

static void story_init(story_t *s)
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
static cor__furniture_t full_set(void)
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
static void assert_boxes_apart(const cor__layout_t *l, double w, double h)
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

/* ---- failures ---- */

START_TEST(test_bad_arguments)
{
    view_t v;
    view_open(&v, LCC, DEFAULT_EXTENT, 576, 432);
    cor__furniture_t f = bar_only();
    cor__layout_t *l = NULL;
    cor_error_t err = {0};
    ck_assert_int_eq(cor__furniture_layout(NULL, &v.fr, NULL, 0, NULL, NULL, 0, NULL, &l, &err),
                     COR_ERR_USAGE);
    cor__frame_t bad = v.fr;
    bad.width = NAN;
    cor_error_clear(&err);
    ck_assert_int_eq(cor__furniture_layout(&f, &bad, NULL, 0, NULL, NULL, 0, NULL, &l, &err),
                     COR_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "page"));
    bad = v.fr;
    bad.height = 0;
    ck_assert_int_eq(cor__furniture_layout(&f, &bad, NULL, 0, NULL, NULL, 0, NULL, &l, NULL),
                     COR_ERR_USAGE);
    bad = v.fr;
    bad.scale = -1;
    ck_assert_int_eq(cor__furniture_layout(&f, &bad, NULL, 0, NULL, NULL, 0, NULL, &l, NULL),
                     COR_ERR_USAGE);
    f.legend = (cor__corner_t)42;
    ck_assert_int_eq(cor__furniture_layout(&f, &v.fr, NULL, 0, NULL, NULL, 0, NULL, &l, NULL),
                     COR_ERR_USAGE);
    f = bar_only();
    f.title = "Mins\xff";
    ck_assert_int_eq(cor__furniture_layout(&f, &v.fr, NULL, 0, NULL, NULL, 0, NULL, &l, NULL),
                     COR_ERR_DATA);
    f = bar_only();
    cor__legend_entry_t e = {"bad \xc3", NULL, COR__GEOM_POINT, {0}};
    cor_error_clear(&err);
    ck_assert_int_eq(cor__furniture_layout(&f, &v.fr, &e, 1, NULL, NULL, 0, NULL, &l, &err),
                     COR_ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.message, "legend entry 1"));
    story_t st;
    story_init(&st);
    ck_assert_int_eq(cor__furniture_layout(&f, &v.fr, st.entries, 2, NULL, NULL, 0, NULL, &l, NULL),
                     COR_ERR_USAGE);
    ck_assert_ptr_null(l); /* written only on success */
    cor__layout_free(NULL);
    view_close(&v);
}
END_TEST

START_TEST(test_centre_off_the_globe)
{
    /* An orthographic page centred far beyond the globe's rim: no scale, no north. */
    view_t v;
    view_open(&v, "+proj=ortho +lat_0=50 +lon_0=25 +datum=WGS84", DEFAULT_EXTENT, 576, 432);
    double w = v.fr.box.maxx - v.fr.box.minx, h = v.fr.box.maxy - v.fr.box.miny;
    v.fr.box = (cor_bbox_t){2e7, 2e7, 2e7 + w, 2e7 + h};
    cor__furniture_t f = bar_only();
    cor__layout_t *l = NULL;
    cor_error_t err = {0};
    ck_assert_int_eq(cor__furniture_layout(&f, &v.fr, NULL, 0, NULL, NULL, 0, NULL, &l, &err),
                     COR_ERR_CRS);
    ck_assert_ptr_null(l);
    f = (cor__furniture_t){.graticule = -1,
                           .scalebar = COR__CORNER_NONE,
                           .north_arrow = true,
                           .legend = COR__CORNER_NONE,
                           .inset = COR__CORNER_NONE};
    ck_assert_int_eq(cor__furniture_layout(&f, &v.fr, NULL, 0, NULL, NULL, 0, NULL, &l, NULL),
                     COR_ERR_CRS);
    /* Without a scale bar or an arrow there is nothing to compute: the graticule is skipped. */
    f.north_arrow = false;
    f.graticule = 0;
    ck_assert_int_eq(cor__furniture_layout(&f, &v.fr, NULL, 0, NULL, NULL, 0, NULL, &l, NULL),
                     COR_OK);
    ck_assert(!cor__layout_scalebar(l, NULL, NULL, NULL));
    cor__layout_free(l);
    view_close(&v);
}
END_TEST

START_TEST(test_corner_parse)
{
    cor__corner_t c = COR__CORNER_AUTO;
    ck_assert(!cor__corner_parse("middle", &c));
    ck_assert(!cor__corner_parse(NULL, &c));
    ck_assert(!cor__corner_parse("", &c));
    ck_assert_int_eq(c, COR__CORNER_AUTO);
    ck_assert(cor__corner_parse("bottom-right", &c));
    ck_assert_int_eq(c, COR__CORNER_BOTTOM_RIGHT);
    ck_assert(cor__corner_parse("Top-Left", &c));
    ck_assert_int_eq(c, COR__CORNER_TOP_LEFT);
    ck_assert(cor__corner_parse("none", &c));
    ck_assert_int_eq(c, COR__CORNER_NONE);
    ck_assert(cor__corner_parse("auto", &c));
    ck_assert_int_eq(c, COR__CORNER_AUTO);
}
END_TEST

START_TEST(test_no_crs)
{
    /* Raw coordinates: no scale bar, arrow or graticule, and no error. */
    cor__frame_t fr = {576, 432, 300, NULL, NULL, {0, 0, 576, 432}, 1};
    cor__furniture_t f = full_set();
    cor__layout_t *l = NULL;
    ck_assert_int_eq(cor__furniture_layout(&f, &fr, NULL, 0, NULL, NULL, 0, NULL, &l, NULL),
                     COR_OK);
    ck_assert(!cor__layout_scalebar(l, NULL, NULL, NULL));
    ck_assert(!cor__layout_north(l, NULL));
    ck_assert(!cor__layout_box(l, COR__FPART_SCALEBAR, NULL, NULL));
    ck_assert_double_eq(cor__layout_graticule(l, NULL, NULL), 0);
    ck_assert(cor__layout_box(l, COR__FPART_TITLE, NULL, NULL));
    cor__layout_free(l);
}
END_TEST

/* ---- scale bar ---- */

/* Lays out a bar for the view, checks its length against the geodesic between its ends. */
static double check_bar(view_t *v, double *points)
{
    cor__furniture_t f = bar_only();
    cor__layout_t *l = NULL;
    double metres = 0;
    const char *label = NULL;
    cor_error_t err = {0};
    ck_assert_msg(cor__furniture_layout(&f, &v->fr, NULL, 0, NULL, NULL, 0, NULL, &l, &err) ==
                      COR_OK,
                  "%s", err.message);
    ck_assert(cor__layout_scalebar(l, &metres, points, &label));
    double geo = bar_geodesic(v, *points);
    ck_assert_msg(fabs(metres / geo - 1) < 0.01, "bar %g m, geodesic %g m", metres, geo);
    ck_assert(is_round(metres));
    ck_assert_msg(*points > 0.1 * v->fr.width && *points < 0.3 * v->fr.width, "bar %g pt", *points);
    cor__layout_free(l);
    return metres;
}

START_TEST(test_scalebar_lcc)
{
    view_t v;
    double points, lon, lat;
    view_open(&v, LCC, DEFAULT_EXTENT, 576, 432);
    double metres = check_bar(&v, &points);
    cor__furniture_t f = bar_only();
    cor__layout_t *l = NULL;
    const char *label = NULL;
    ck_assert_int_eq(cor__furniture_layout(&f, &v.fr, NULL, 0, NULL, NULL, 0, NULL, &l, NULL),
                     COR_OK);
    ck_assert(cor__layout_scalebar(l, NULL, NULL, &label));
    char want[64];
    snprintf(want, sizeof want, "%g km", metres / 1000);
    ck_assert_str_eq(label, want);
    cor__layout_free(l);
    /* The page centre is away from the standard parallels: the scale factor matters there. */
    page_lonlat(&v, 288, 216, &lon, &lat);
    ck_assert(fabs(lat - 46.5) > 0.5 && fabs(lat - 54.5) > 0.5);
    view_close(&v);
}
END_TEST

START_TEST(test_scalebar_mercator_60n)
{
    /* Web Mercator at 60 N has a scale factor of 2: a bar from CRS metres would be twice too
     * long on the ground. */
    view_t v;
    double points;
    view_at(&v, "EPSG:3857", 25, 60, 2e6, 576, 432);
    double metres = check_bar(&v, &points);
    double naive = points / v.fr.scale;
    ck_assert_msg(fabs(naive / metres - 2) < 0.02, "naive %g m, bar %g m", naive, metres);
    view_close(&v);
}
END_TEST

START_TEST(test_scalebar_geographic)
{
    view_t v;
    double points;
    view_open(&v, "EPSG:4326", (cor_bbox_t){20, 50, 32, 59}, 576, 432);
    check_bar(&v, &points);
    view_close(&v);
    view_open(&v, "EPSG:4326", (cor_bbox_t){-10, -10, 10, 10}, 576, 432);
    check_bar(&v, &points);
    view_close(&v);
}
END_TEST

START_TEST(test_scalebar_feet)
{
    /* CRS units that are not metres: the geodesic check catches them. */
    view_t v;
    double points;
    view_open(&v, "+proj=lcc +lat_1=33 +lat_2=45 +lat_0=39 +lon_0=-96 +datum=NAD83 +units=us-ft",
              (cor_bbox_t){-100, 35, -92, 42}, 576, 432);
    check_bar(&v, &points);
    view_close(&v);
}
END_TEST

START_TEST(test_scalebar_round_lengths)
{
    static const double pages[][2] = {{200, 150},  {576, 432},   {432, 576},
                                      {1000, 300}, {2384, 3370}, {300, 1000}};
    static const double widths[] = {120, 3000, 47000, 3e5, 2.2e6, 1.5e7};
    for (size_t i = 0; i < COR__ARRAY_LEN(pages); i++) {
        for (size_t j = 0; j < COR__ARRAY_LEN(widths); j++) {
            view_t v;
            double points;
            view_at(&v, LCC, 28, 52, widths[j], pages[i][0], pages[i][1]);
            double metres = check_bar(&v, &points);
            if (widths[j] < 3000)
                ck_assert(metres < 1000); /* metres below a kilometre */
            view_close(&v);
        }
    }
}
END_TEST

/* ---- graticule ---- */

/* Lays out only a graticule. */
static cor__layout_t *graticule_only(view_t *v, double step)
{
    cor__furniture_t f = {.graticule = step,
                          .scalebar = COR__CORNER_NONE,
                          .legend = COR__CORNER_NONE,
                          .inset = COR__CORNER_NONE};
    cor__layout_t *l = NULL;
    ck_assert_int_eq(cor__furniture_layout(&f, &v->fr, NULL, 0, NULL, NULL, 0, NULL, &l, NULL),
                     COR_OK);
    return l;
}

static bool has_tick(const cor__layout_t *l, const char *text)
{
    const char *t;
    for (size_t i = 0; cor__layout_tick(l, i, &t, NULL); i++) {
        if (strcmp(t, text) == 0)
            return true;
    }
    return false;
}

/* The largest distance of a piece's points from the chord between its ends. */
static double sagitta(const double *x, const double *y, size_t n)
{
    double dx = x[n - 1] - x[0], dy = y[n - 1] - y[0], len = hypot(dx, dy), d = 0;
    for (size_t i = 1; i + 1 < n; i++)
        d = fmax(d, fabs((x[i] - x[0]) * dy - (y[i] - y[0]) * dx) / len);
    return d;
}

START_TEST(test_graticule_default)
{
    view_t v;
    size_t nm = 0, np = 0;
    view_open(&v, LCC, DEFAULT_EXTENT, 576, 432);
    cor__layout_t *l = graticule_only(&v, 0);
    ck_assert_double_eq(cor__layout_graticule(l, &nm, &np), 5);
    ck_assert_msg(nm >= 4 && nm <= 10 && np >= 3 && np <= 10, "%zu meridians, %zu parallels", nm,
                  np);
    bool meridian;
    double deg, max_sag = 0;
    const double *x, *y;
    size_t n, pieces[2] = {0, 0};
    for (size_t i = 0; cor__layout_graticule_line(l, i, &meridian, &deg, &x, &y, &n); i++) {
        /* Densified: a piece crossing the page has many points (one cutting a corner may
         * have two). */
        if (hypot(x[n - 1] - x[0], y[n - 1] - y[0]) > 200)
            ck_assert_uint_gt(n, 10);
        ck_assert(fabs(deg / 5 - round(deg / 5)) < 1e-9);
        for (size_t j = 0; j < n; j++)
            ck_assert(x[j] >= -1e-6 && x[j] <= 576 + 1e-6 && y[j] >= -1e-6 && y[j] <= 432 + 1e-6);
        pieces[meridian]++;
        if (!meridian)
            max_sag = fmax(max_sag, sagitta(x, y, n));
    }
    ck_assert_uint_ge(pieces[0], 3);
    ck_assert_uint_ge(pieces[1], 4);
    ck_assert_msg(max_sag > 5, "parallels bow by %g pt", max_sag); /* the cone's arcs */
    ck_assert(has_tick(l, "30"
                          "\xc2\xb0"
                          "E"));
    ck_assert(has_tick(l, "50"
                          "\xc2\xb0"
                          "N"));
    const char *t;
    cor_bbox_t b;
    for (size_t i = 0; cor__layout_tick(l, i, &t, &b); i++) {
        ck_assert_msg(inside(b, 576, 432), "%s outside", t);
        size_t len = strlen(t);
        ck_assert(len > 3 && strchr("EN", t[len - 1]) && strstr(t, "\xc2\xb0"));
        cor_bbox_t o;
        for (size_t j = 0; cor__layout_tick(l, j, NULL, &o); j++)
            ck_assert(j == i || !overlap(b, o));
    }
    cor__layout_free(l);
    l = graticule_only(&v, 1);
    ck_assert_double_eq(cor__layout_graticule(l, &nm, NULL), 1);
    ck_assert_uint_gt(nm, 20);
    cor__layout_free(l);
    l = graticule_only(&v, -1);
    ck_assert_double_eq(cor__layout_graticule(l, &nm, &np), 0);
    ck_assert_uint_eq(nm + np, 0);
    ck_assert(!cor__layout_graticule_line(l, 0, NULL, NULL, NULL, NULL, NULL));
    ck_assert(!cor__layout_tick(l, 0, NULL, NULL));
    cor__layout_free(l);
    view_close(&v);
}
END_TEST

START_TEST(test_graticule_hemispheres)
{
    view_t v;
    view_open(&v, "EPSG:4326", (cor_bbox_t){-10, -10, 10, 10}, 576, 432);
    cor__layout_t *l = graticule_only(&v, 0);
    ck_assert_double_eq(cor__layout_graticule(l, NULL, NULL), 5);
    ck_assert(has_tick(l, "5"
                          "\xc2\xb0"
                          "W"));
    ck_assert(has_tick(l, "5"
                          "\xc2\xb0"
                          "E"));
    ck_assert(has_tick(l, "5"
                          "\xc2\xb0"
                          "S"));
    ck_assert(has_tick(l, "5"
                          "\xc2\xb0"
                          "N"));
    ck_assert(has_tick(l, "0"
                          "\xc2\xb0"));
    cor__layout_free(l);
    view_close(&v);
    /* Across the antimeridian. */
    view_at(&v, "EPSG:3832", 180, 0, 2.5e6, 576, 432);
    l = graticule_only(&v, 10);
    ck_assert(has_tick(l, "180"
                          "\xc2\xb0"));
    ck_assert(has_tick(l, "170"
                          "\xc2\xb0"
                          "E") ||
              has_tick(l, "170"
                          "\xc2\xb0"
                          "W"));
    cor__layout_free(l);
    view_close(&v);
}
END_TEST

START_TEST(test_graticule_labels_avoid_furniture)
{
    view_t v;
    story_t s;
    story_init(&s);
    view_open(&v, LCC, DEFAULT_EXTENT, 576, 432);
    cor__furniture_t f = full_set();
    cor__layout_t *l = NULL;
    ck_assert_int_eq(cor__furniture_layout(&f, &v.fr, s.entries, 5, &s.ov, NULL, 0, NULL, &l, NULL),
                     COR_OK);
    const char *t;
    cor_bbox_t b, p;
    size_t n = 0;
    for (size_t i = 0; cor__layout_tick(l, i, &t, &b); i++, n++) {
        for (int j = 0; j < COR__FPART_COUNT; j++)
            ck_assert_msg(!cor__layout_box(l, (cor__fpart_t)j, &p, NULL) || !overlap(b, p),
                          "%s on part %d", t, j);
    }
    ck_assert_uint_ge(n, 4);
    cor__layout_free(l);
    view_close(&v);
}
END_TEST

/* ---- layout ---- */

START_TEST(test_layout_default)
{
    view_t v;
    story_t s;
    story_init(&s);
    view_open(&v, LCC, DEFAULT_EXTENT, 576, 432);
    cor__furniture_t f = full_set();
    cor__layout_t *l = NULL;
    cor_error_t err = {0};
    ck_assert_msg(cor__furniture_layout(&f, &v.fr, s.entries, 5, &s.ov, NULL, 0, NULL, &l, &err) ==
                      COR_OK,
                  "%s", err.message);
    assert_boxes_apart(l, 576, 432);
    cor_bbox_t title, credits, legend, bar, inset;
    cor__corner_t c;
    ck_assert(cor__layout_box(l, COR__FPART_TITLE, &title, &c));
    ck_assert_int_eq(c, COR__CORNER_TOP_LEFT);
    ck_assert(title.minx > 5 && title.minx < 10 && title.miny > 5 && title.miny < 10);
    ck_assert(title.maxx - title.minx < 0.5 * 576); /* wrapped to its measure */
    ck_assert(cor__layout_box(l, COR__FPART_CREDITS, &credits, NULL));
    ck_assert_double_eq(credits.maxy, 432);
    ck_assert_double_eq(credits.minx, 0);
    ck_assert_double_eq(credits.maxx, 576);
    ck_assert(credits.maxy - credits.miny < 14); /* one line */
    ck_assert(cor__layout_box(l, COR__FPART_LEGEND, &legend, &c));
    ck_assert_int_eq(c, COR__CORNER_BOTTOM_RIGHT);
    ck_assert(legend.maxy < credits.miny - 5 && legend.maxx < 576 - 5);
    ck_assert(cor__layout_box(l, COR__FPART_SCALEBAR, &bar, &c));
    ck_assert_int_eq(c, COR__CORNER_BOTTOM_LEFT);
    ck_assert(cor__layout_inset_box(l, &inset));
    ck_assert(cor__layout_box(l, COR__FPART_INSET, NULL, &c));
    ck_assert_int_eq(c, COR__CORNER_TOP_RIGHT);
    ck_assert_double_eq_tol(inset.maxx - inset.minx, 576 * 0.2, 1e-9);
    ck_assert_double_eq_tol(inset.maxy - inset.miny, 576 * 0.2 * 0.8, 1e-9);
    cor__layout_free(l);
    view_close(&v);
}
END_TEST

START_TEST(test_layout_avoids_busy)
{
    view_t v;
    story_t s;
    story_init(&s);
    view_open(&v, LCC, DEFAULT_EXTENT, 576, 432);
    cor__furniture_t f = full_set();
    cor__layout_t *l = NULL;
    cor_bbox_t busy[1] = {{380, 250, 560, 400}}, legend;
    cor__corner_t c;
    ck_assert_int_eq(cor__furniture_layout(&f, &v.fr, s.entries, 5, &s.ov, busy, 1, NULL, &l, NULL),
                     COR_OK);
    ck_assert(cor__layout_box(l, COR__FPART_LEGEND, &legend, &c));
    ck_assert_int_ne(c, COR__CORNER_BOTTOM_RIGHT);
    ck_assert(!overlap(legend, busy[0]));
    assert_boxes_apart(l, 576, 432);
    cor__layout_free(l);
    /* An explicit corner is kept, busy or not; two pieces in one corner are stacked. */
    f.legend = COR__CORNER_BOTTOM_RIGHT;
    f.scalebar = COR__CORNER_BOTTOM_RIGHT;
    ck_assert_int_eq(cor__furniture_layout(&f, &v.fr, s.entries, 5, &s.ov, busy, 1, NULL, &l, NULL),
                     COR_OK);
    ck_assert(cor__layout_box(l, COR__FPART_LEGEND, &legend, &c));
    ck_assert_int_eq(c, COR__CORNER_BOTTOM_RIGHT);
    cor_bbox_t bar;
    ck_assert(cor__layout_box(l, COR__FPART_SCALEBAR, &bar, &c));
    ck_assert_int_eq(c, COR__CORNER_BOTTOM_RIGHT);
    ck_assert(bar.maxy < legend.miny);
    ck_assert_double_eq_tol(bar.maxx, legend.maxx, 1e-9);
    assert_boxes_apart(l, 576, 432);
    cor__layout_free(l);
    view_close(&v);
}
END_TEST

START_TEST(test_layout_obstacles)
{
    view_t v;
    story_t s;
    story_init(&s);
    view_open(&v, LCC, DEFAULT_EXTENT, 576, 432);
    cor__furniture_t f = full_set();
    cor__layout_t *l = NULL;
    cor__labeler_t *lb = NULL;
    ck_assert_int_eq(cor__labeler_new(576, 432, &lb, NULL), COR_OK);
    ck_assert_int_eq(cor__furniture_layout(&f, &v.fr, s.entries, 5, &s.ov, NULL, 0, lb, &l, NULL),
                     COR_OK);
    cor__text_style_t ts = {.size = 7, .color = {0, 0, 0, 1}};
    cor_bbox_t b;
    long placed = 0, dropped = 0;
    for (int i = 0; i < COR__FPART_COUNT; i++) {
        ck_assert(cor__layout_box(l, (cor__fpart_t)i, &b, NULL));
        ck_assert_int_eq(cor__labeler_add_area(lb, "X", (b.minx + b.maxx) / 2,
                                               (b.miny + b.maxy) / 2, &ts, 1, NULL),
                         COR_OK);
    }
    ck_assert_int_eq(cor__labeler_add_area(lb, "Minsk", 300, 200, &ts, 1, NULL), COR_OK);
    cor__labeler_place(lb);
    cor__labeler_counts(lb, &placed, &dropped);
    ck_assert_int_eq(placed, 1); /* only the label in the open */
    ck_assert_int_eq(dropped, COR__FPART_COUNT);
    /* A point label at the legend's centre. */
    cor__labeler_free(lb);
    ck_assert_int_eq(cor__labeler_new(576, 432, &lb, NULL), COR_OK);
    cor__layout_free(l);
    ck_assert_int_eq(cor__furniture_layout(&f, &v.fr, s.entries, 5, &s.ov, NULL, 0, lb, &l, NULL),
                     COR_OK);
    ck_assert(cor__layout_box(l, COR__FPART_LEGEND, &b, NULL));
    ck_assert_int_eq(cor__labeler_add_point(lb, "Hrodna", (b.minx + b.maxx) / 2,
                                            (b.miny + b.maxy) / 2, 2, &ts, 1, NULL),
                     COR_OK);
    cor__labeler_place(lb);
    cor__labeler_counts(lb, &placed, &dropped);
    ck_assert_int_eq(placed, 0);
    ck_assert_int_eq(dropped, 1);
    cor__labeler_free(lb);
    cor__layout_free(l);
    view_close(&v);
}
END_TEST

START_TEST(test_layout_page_sizes)
{
    static const double pages[][2] = {{200, 150}, {150, 200},  {300, 300},   {576, 432},
                                      {842, 595}, {1191, 842}, {2384, 3370}, {3370, 2384}};
    story_t s;
    story_init(&s);
    double title_h[COR__ARRAY_LEN(pages)];
    for (size_t i = 0; i < COR__ARRAY_LEN(pages); i++) {
        view_t v;
        double w = pages[i][0], h = pages[i][1];
        view_open(&v, LCC, DEFAULT_EXTENT, w, h);
        cor__furniture_t f = full_set();
        cor__layout_t *l = NULL;
        ck_assert_int_eq(
            cor__furniture_layout(&f, &v.fr, s.entries, 5, &s.ov, NULL, 0, NULL, &l, NULL), COR_OK);
        assert_boxes_apart(l, w, h);
        cor_bbox_t t, legend;
        ck_assert(cor__layout_box(l, COR__FPART_TITLE, &t, NULL));
        ck_assert(cor__layout_box(l, COR__FPART_LEGEND, &legend, NULL));
        title_h[i] = t.maxy - t.miny;
        /* Furniture stays furniture: the legend covers a modest share of the page. */
        double share = (legend.maxx - legend.minx) * (legend.maxy - legend.miny) / (w * h);
        ck_assert_msg(share < (w < 400 || h < 400 ? 0.4 : 0.12), "legend %.2f of %gx%g", share, w,
                      h);
        if (w >= 300 && h >= 300)
            ck_assert(cor__layout_scalebar(l, NULL, NULL, NULL));
        cor__layout_free(l);
        view_close(&v);
    }
    /* Text grows with the page, moderately. */
    ck_assert(title_h[6] > title_h[3]);
    ck_assert(title_h[6] < 2.6 * title_h[3]);
}
END_TEST

START_TEST(test_flow_scale)
{
    /* The flow entry brings a width scale: round values, widths as flows draw them. */
    view_t v;
    story_t s;
    story_init(&s);
    view_open(&v, LCC, DEFAULT_EXTENT, 576, 432);
    cor__furniture_t f = full_set();
    cor__layout_t *l = NULL;
    cor_bbox_t with, without;
    ck_assert_int_eq(cor__furniture_layout(&f, &v.fr, s.entries, 5, &s.ov, NULL, 0, NULL, &l, NULL),
                     COR_OK);
    cor__buf_t svg = {0};
    cor__textout_t to = {NULL, &svg};
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 576, 432);
    cairo_t *cr = cairo_create(surf);
    ck_assert_int_eq(cor__furniture_draw(l, cr, &to, NULL), COR_OK);
    ck_assert_ptr_nonnull(strstr(svg.data, ">100 children</text>"));
    ck_assert_ptr_nonnull(strstr(svg.data, ">50</text>"));
    ck_assert(cor__layout_box(l, COR__FPART_LEGEND, &with, NULL));
    cor__layout_free(l);
    /* Without a flow entry: no scale. */
    s.entries[1] = s.entries[4];
    svg.len = 0;
    ck_assert_int_eq(cor__furniture_layout(&f, &v.fr, s.entries, 4, &s.ov, NULL, 0, NULL, &l, NULL),
                     COR_OK);
    ck_assert_int_eq(cor__furniture_draw(l, cr, &to, NULL), COR_OK);
    ck_assert_ptr_null(strstr(svg.data, "children</text>"));
    ck_assert(cor__layout_box(l, COR__FPART_LEGEND, &without, NULL));
    ck_assert(without.maxy - without.miny < with.maxy - with.miny);
    cor__layout_free(l);
    cairo_destroy(cr);
    cairo_surface_destroy(surf);
    cor__buf_free(&svg);
    view_close(&v);
}
END_TEST

/* ---- text ---- */

/* Pixels darker than mid-grey inside box (page points, drawn at `zoom` px per pt). */
static long dark_pixels(cairo_surface_t *s, cor_bbox_t b, double zoom)
{
    long n = 0;
    for (int y = (int)(b.miny * zoom); y < (int)(b.maxy * zoom); y++)
        for (int x = (int)(b.minx * zoom); x < (int)(b.maxx * zoom); x++) {
            unsigned p = cor_test_pixel(s, x, y);
            if (((p >> 16 & 255) + (p >> 8 & 255) + (p & 255)) < 3 * 110)
                n++;
        }
    return n;
}

START_TEST(test_text_drawn)
{
    view_t v;
    view_open(&v, LCC, DEFAULT_EXTENT, 576, 432);
    cor__furniture_t f = full_set();
    f.legend = COR__CORNER_NONE;
    cor__layout_t *l = NULL;
    ck_assert_int_eq(cor__furniture_layout(&f, &v.fr, NULL, 0, NULL, NULL, 0, NULL, &l, NULL),
                     COR_OK);
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1152, 864);
    cairo_t *cr = cairo_create(surf);
    cairo_set_source_rgb(cr, 0.85, 0.9, 0.95);
    cairo_paint(cr);
    cairo_scale(cr, 2, 2);
    cor_bbox_t title, credits;
    ck_assert(cor__layout_box(l, COR__FPART_TITLE, &title, NULL));
    ck_assert(cor__layout_box(l, COR__FPART_CREDITS, &credits, NULL));
    ck_assert_int_eq(dark_pixels(surf, title, 2), 0);
    ck_assert_int_eq(cor__furniture_draw(l, cr, NULL, NULL), COR_OK);
    cairo_surface_flush(surf);
    ck_assert_int_gt(dark_pixels(surf, title, 2), 500);
    ck_assert_int_gt(dark_pixels(surf, credits, 2), 100);
    /* The panel is white, not the map's blue. */
    unsigned corner = cor_test_pixel(surf, (int)(title.maxx * 2) - 4, (int)(title.maxy * 2) - 4);
    ck_assert_uint_ge(corner >> 16 & 255, 0xf0);
    cairo_destroy(cr);
    cairo_surface_destroy(surf);

    /* SVG: real text, title first, the credits with the date. */
    cor__buf_t svg = {0};
    cor__textout_t to = {NULL, &svg};
    surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 576, 432);
    cr = cairo_create(surf);
    ck_assert_int_eq(cor__furniture_draw(l, cr, &to, NULL), COR_OK);
    const char *t = strstr(svg.data, ">" TITLE "</text>");
    ck_assert_ptr_nonnull(t);
    ck_assert_ptr_nonnull(strstr(svg.data, "font-weight=\"700\""));
    ck_assert_ptr_nonnull(strstr(svg.data, "Noto Sans"));
    ck_assert_ptr_nonnull(strstr(svg.data, "Map: corridor \xc2\xb7\xc2\xa0"
                                           "27\xc2\xa0November\xc2\xa0"
                                           "2026</text>"));
    ck_assert_ptr_nonnull(strstr(svg.data, "km</text>"));
    ck_assert_ptr_nonnull(strstr(svg.data, ">N</text>"));
    cor__buf_free(&svg);
    cairo_destroy(cr);
    cairo_surface_destroy(surf);
    cor__layout_free(l);
    view_close(&v);
}
END_TEST

START_TEST(test_credits_wrap)
{
    view_t v;
    view_open(&v, LCC, DEFAULT_EXTENT, 576, 432);
    cor__furniture_t f = {.credits = CREDITS,
                          .graticule = -1,
                          .scalebar = COR__CORNER_NONE,
                          .legend = COR__CORNER_NONE,
                          .inset = COR__CORNER_NONE};
    cor__layout_t *l = NULL;
    cor_bbox_t one, three;
    ck_assert_int_eq(cor__furniture_layout(&f, &v.fr, NULL, 0, NULL, NULL, 0, NULL, &l, NULL),
                     COR_OK);
    ck_assert(cor__layout_box(l, COR__FPART_CREDITS, &one, NULL));
    cor__layout_free(l);
    char *longer = cor__asprintf("%s. %s. %s. %s. %s. %s.", CREDITS, CREDITS, CREDITS, CREDITS,
                                 CREDITS, CREDITS);
    f.credits = longer;
    f.date = "27 November 2026";
    ck_assert_int_eq(cor__furniture_layout(&f, &v.fr, NULL, 0, NULL, NULL, 0, NULL, &l, NULL),
                     COR_OK);
    ck_assert(cor__layout_box(l, COR__FPART_CREDITS, &three, NULL));
    double line = one.maxy - one.miny - 4; /* less the padding */
    ck_assert_msg(three.maxy - three.miny > 2.5 * line, "%g vs %g", three.maxy - three.miny, line);
    ck_assert_double_eq(three.maxy, 432);
    cor__buf_t svg = {0};
    cor__textout_t to = {NULL, &svg};
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 576, 432);
    cairo_t *cr = cairo_create(surf);
    ck_assert_int_eq(cor__furniture_draw(l, cr, &to, NULL), COR_OK);
    /* Every line fits the page's measure. */
    cor__text_style_t ts = {.font = "Noto Sans", .size = 5.5, .color = {0, 0, 0, 1}};
    size_t lines = 0;
    for (const char *p = svg.data; (p = strstr(p, "<text")) != NULL; p++, lines++) {
        const char *a = strchr(p, '>') + 1, *b = strstr(a, "</text>");
        char *text = cor__strndup(a, (size_t)(b - a));
        double w = 0, h = 0;
        cor__text_measure(text, &ts, &w, &h);
        ck_assert_msg(w <= 576 - 14 + 1e-6, "line of %g pt", w);
        free(text);
    }
    ck_assert_uint_ge(lines, 3);
    cor__buf_free(&svg);
    cairo_destroy(cr);
    cairo_surface_destroy(surf);
    cor__layout_free(l);
    free(longer);
    view_close(&v);
}
END_TEST

/* ---- north arrow ---- */

static double north_at(double lon)
{
    view_t v;
    double deg = NAN;
    view_at(&v, LCC, lon, 52, 1.5e6, 576, 432);
    cor__furniture_t f = {.graticule = -1,
                          .scalebar = COR__CORNER_BOTTOM_LEFT,
                          .north_arrow = true,
                          .legend = COR__CORNER_NONE,
                          .inset = COR__CORNER_NONE};
    cor__layout_t *l = NULL;
    ck_assert_int_eq(cor__furniture_layout(&f, &v.fr, NULL, 0, NULL, NULL, 0, NULL, &l, NULL),
                     COR_OK);
    ck_assert(cor__layout_north(l, &deg));
    cor_bbox_t b;
    ck_assert(cor__layout_box(l, COR__FPART_SCALEBAR, &b, NULL));
    ck_assert(inside(b, 576, 432));
    cor__layout_free(l);
    view_close(&v);
    return deg;
}

START_TEST(test_north_arrow)
{
    double centre = north_at(29), east = north_at(35), west = north_at(23);
    ck_assert_msg(fabs(centre) < 0.01, "%g", centre);
    /* Meridians converge toward the cone's apex above the central meridian: east of it north
     * leans left (anticlockwise), west of it right, by the cone constant times the longitude
     * difference (sin 50.6 deg x 6 deg, about 4.6 deg). */
    ck_assert_msg(east < -4 && east > -5.2, "%g", east);
    ck_assert_msg(fabs(east + west) < 0.01, "%g %g", east, west);
    /* None without the flag. */
    view_t v;
    view_open(&v, LCC, DEFAULT_EXTENT, 576, 432);
    cor__furniture_t f = bar_only();
    cor__layout_t *l = NULL;
    ck_assert_int_eq(cor__furniture_layout(&f, &v.fr, NULL, 0, NULL, NULL, 0, NULL, &l, NULL),
                     COR_OK);
    ck_assert(!cor__layout_north(l, NULL));
    cor__layout_free(l);
    view_close(&v);
}
END_TEST

/* ---- a sample to look at ---- */

/* A plain map: sea, a land mass, the graticule, then the furniture, at `dpi`. */
static void render_sample(const char *name, double w, double h, double dpi)
{
    view_t v;
    story_t s;
    story_init(&s);
    view_open(&v, LCC, DEFAULT_EXTENT, w, h);
    cor__furniture_t f = full_set();
    cor__layout_t *l = NULL;
    cor__labeler_t *lb = NULL;
    ck_assert_int_eq(cor__labeler_new(w, h, &lb, NULL), COR_OK);
    cor_error_t err = {0};
    ck_assert_msg(cor__furniture_layout(&f, &v.fr, s.entries, 5, &s.ov, NULL, 0, lb, &l, &err) ==
                      COR_OK,
                  "%s", err.message);
    double z = dpi / 72;
    cairo_surface_t *surf =
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)ceil(w * z), (int)ceil(h * z));
    cairo_t *cr = cairo_create(surf);
    cairo_scale(cr, z, z);
    cairo_set_source_rgb(cr, 0.80, 0.87, 0.93);
    cairo_paint(cr);
    cairo_move_to(cr, 0, h * 0.2);
    cairo_curve_to(cr, w * 0.3, h * 0.1, w * 0.5, h * 0.35, w, h * 0.15);
    cairo_line_to(cr, w, h);
    cairo_line_to(cr, 0, h);
    cairo_close_path(cr);
    cairo_set_source_rgb(cr, 0.95, 0.93, 0.87);
    cairo_fill(cr);
    ck_assert_int_eq(cor__furniture_draw_graticule(l, cr, NULL, NULL), COR_OK);
    cor_bbox_t inset;
    if (cor__layout_inset_box(l, &inset)) {
        cairo_rectangle(cr, inset.minx, inset.miny, inset.maxx - inset.minx,
                        inset.maxy - inset.miny);
        cairo_set_source_rgb(cr, 0.97, 0.97, 0.95);
        cairo_fill(cr);
    }
    ck_assert_int_eq(cor__furniture_draw(l, cr, NULL, NULL), COR_OK);
    const char *dir = getenv("COR_TEST_BUILD");
    char *path = cor__path_join(dir ? dir : "/tmp", name);
    ck_assert_int_eq(cairo_surface_write_to_png(surf, path), CAIRO_STATUS_SUCCESS);
    free(path);
    cairo_destroy(cr);
    cairo_surface_destroy(surf);
    cor__labeler_free(lb);
    cor__layout_free(l);
    view_close(&v);
}

START_TEST(test_sample)
{
    render_sample("furniture-sample.png", 576, 432, 300);
    render_sample("furniture-small.png", 200, 150, 300);
    render_sample("furniture-a3.png", 1191, 842, 72);
}
END_TEST

/* Each test runs in a child of its own: release Pango's shared state before it exits, so the
 * leak checker sees no font caches. */
static void teardown(void)
{
    cor__text_reset();
}

static Suite *furniture_suite(void)
{
    Suite *s = suite_create("furniture");
    TCase *fail = tcase_create("failures");
    tcase_add_test(fail, test_bad_arguments);
    tcase_add_test(fail, test_centre_off_the_globe);
    tcase_add_test(fail, test_corner_parse);
    tcase_add_test(fail, test_no_crs);
    tcase_add_checked_fixture(fail, NULL, teardown);
    suite_add_tcase(s, fail);
    TCase *bar = tcase_create("scalebar");
    tcase_add_test(bar, test_scalebar_lcc);
    tcase_add_test(bar, test_scalebar_mercator_60n);
    tcase_add_test(bar, test_scalebar_geographic);
    tcase_add_test(bar, test_scalebar_feet);
    tcase_add_test(bar, test_scalebar_round_lengths);
    tcase_add_checked_fixture(bar, NULL, teardown);
    suite_add_tcase(s, bar);
    TCase *grat = tcase_create("graticule");
    tcase_add_test(grat, test_graticule_default);
    tcase_add_test(grat, test_graticule_hemispheres);
    tcase_add_test(grat, test_graticule_labels_avoid_furniture);
    tcase_add_checked_fixture(grat, NULL, teardown);
    suite_add_tcase(s, grat);
    TCase *layout = tcase_create("layout");
    tcase_add_test(layout, test_layout_default);
    tcase_add_test(layout, test_layout_avoids_busy);
    tcase_add_test(layout, test_layout_obstacles);
    tcase_add_test(layout, test_layout_page_sizes);
    tcase_add_test(layout, test_flow_scale);
    tcase_add_checked_fixture(layout, NULL, teardown);
    suite_add_tcase(s, layout);
    TCase *text = tcase_create("text");
    tcase_add_test(text, test_text_drawn);
    tcase_add_test(text, test_credits_wrap);
    tcase_add_test(text, test_north_arrow);
    tcase_add_test(text, test_sample);
    tcase_add_checked_fixture(text, NULL, teardown);
    suite_add_tcase(s, text);
    return s;
}

int main(void)
{
    int rc = cor_test_run(furniture_suite());
    cor__text_reset();
    return rc;
}
