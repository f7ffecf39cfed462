/* SPDX-License-Identifier: MIT */
/* Tests for the scale bar and north arrow: the bar against PROJ's geodesics, round lengths on
 * pages and scales of every size, CRS units that are not metres, and north's lean on a cone.
 * Failure cases first. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furniture.h"
#include "furniture_query.h"
#include "furniture_testutil.h"
#include "testutil.h"
#include "util.h"

/* ---- failures ---- */

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

/* ---- scale bar ---- */

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

static Suite *scalebar_suite(void)
{
    Suite *s = suite_create("scalebar");
    TCase *fail = tcase_create("failures");
    tcase_add_test(fail, test_centre_off_the_globe);
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
    TCase *north = tcase_create("north");
    tcase_add_test(north, test_north_arrow);
    tcase_add_checked_fixture(north, NULL, teardown);
    suite_add_tcase(s, north);
    return s;
}

int main(void)
{
    int rc = cor_test_run(scalebar_suite());
    cor__text_reset();
    return rc;
}
