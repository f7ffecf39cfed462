/* SPDX-License-Identifier: MIT */
/* Unit tests for view_check: a view that projects but shows its area upside down or stretched
 * gets a warning with the figure and a CRS to try; sensible views (a conic for Belarus, a polar
 * view of the Arctic, a world map in a world projection, Mercator for Europe) get none. */
#include <string.h>

#include "project.h"
#include "testutil.h"
#include "view.h"
#include "view_check.h"
#include "warnings.h"

/* The warnings the check gives for `crs` showing the lon/lat box on an 800x600 pt page. */
static void judge(const char *crs, cor_bbox_t lonlat, cor__warnings_t *w)
{
    cor__proj_t *proj = NULL;
    cor_error_t err = {0};
    cor__view_t v = {.width = 800, .height = 600, .dpi = 72};
    cor_bbox_t area;
    ck_assert_int_eq(cor__proj_new(&proj, &err), COR_OK);
    ck_assert_msg(cor__crs_new(proj, crs, &v.crs, &err) == COR_OK, "%s", err.message);
    ck_assert_msg(cor__view_lonlat_box(proj, v.crs, lonlat, &area, &err) == COR_OK, "%s",
                  err.message);
    cor__view_fit(&v, area);
    cor__view_check(proj, &v, w);
    cor__view_clear(&v);
    cor__proj_free(proj);
}

static const cor_bbox_t story = {19.5, 43.8, 41.5, 57.5}; /* the default map's extent */

START_TEST(utm_zone_1_turns_europe_upside_down)
{
    cor__warnings_t w = {0};
    judge("EPSG:32601", story, &w);
    ck_assert_uint_ge(w.n, 1);
    ck_assert_msg(strstr(cor__warnings_get(&w, 0), "the CRS turns the map: north points ") &&
                      strstr(cor__warnings_get(&w, 0), "(the map is upside down)") &&
                      strstr(cor__warnings_get(&w, 0), "try --crs '+proj=laea +lat_0="),
                  "%s", cor__warnings_get(&w, 0));
    cor__warnings_clear(&w);
}
END_TEST

START_TEST(a_conic_centred_elsewhere_turns_and_stretches)
{
    /* the story's conic (centred on 27 E) asked to show the United States */
    cor__warnings_t w = {0};
    judge("+proj=lcc +lat_1=47 +lat_2=56 +lat_0=52 +lon_0=27 +datum=WGS84",
          (cor_bbox_t){-120, 30, -80, 48}, &w);
    ck_assert_uint_ge(w.n, 1);
    ck_assert_msg(strstr(cor__warnings_get(&w, 0), "the CRS turns the map"), "%s",
                  cor__warnings_get(&w, 0));
    ck_assert_msg(strstr(cor__warnings_get(&w, 0), "+lon_0=-"),
                  "suggests a CRS centred on the USA: %s", cor__warnings_get(&w, 0));
    cor__warnings_clear(&w);
}
END_TEST

START_TEST(mercator_from_the_equator_to_the_arctic_stretches)
{
    cor__warnings_t w = {0};
    judge("EPSG:3857", (cor_bbox_t){10, 0, 40, 82}, &w);
    ck_assert_uint_eq(w.n, 1);
    ck_assert_msg(
        strstr(cor__warnings_get(&w, 0), "the CRS stretches the map: its scale varies ") &&
            strstr(cor__warnings_get(&w, 0), "in an equal-area CRS centred on it") &&
            strstr(cor__warnings_get(&w, 0), "try --crs '+proj=laea +lat_0="),
        "%s", cor__warnings_get(&w, 0));
    cor__warnings_clear(&w);
}
END_TEST

START_TEST(sensible_views_get_no_warning)
{
    static const struct {
        const char *crs;
        cor_bbox_t box;
    } cases[] = {
        {"+proj=lcc +lat_1=47 +lat_2=56 +lat_0=52 +lon_0=27 +datum=WGS84",
         {19.5, 43.8, 41.5, 57.5}},
        {"EPSG:3035", {-25, 34, 45, 72}},     /* Europe in LAEA */
        {"EPSG:3857", {-25, 34, 45, 72}},     /* Europe in Web Mercator: stretched, but usual */
        {"EPSG:3995", {-180, 60, 180, 90}},   /* the Arctic: north has no one direction */
        {"ESRI:54030", {-180, -85, 180, 85}}, /* the world in Robinson */
        {"EPSG:32635", {22, 50, 30, 56}},     /* Belarus in its own UTM zone */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cor__warnings_t w = {0};
        judge(cases[i].crs, cases[i].box, &w);
        ck_assert_msg(w.n == 0, "%s: %s", cases[i].crs, w.n ? cor__warnings_get(&w, 0) : "");
        cor__warnings_clear(&w);
    }
}
END_TEST

START_TEST(lonlat_and_raw_views_are_not_judged)
{
    cor__warnings_t w = {0};
    judge("EPSG:4326", (cor_bbox_t){-180, -90, 180, 90}, &w);
    ck_assert_uint_eq(w.n, 0);
    cor__view_t raw = {.width = 100, .height = 100, .box = {0, 0, 1, 1}};
    cor__view_check(NULL, &raw, &w); /* no CRS: nothing is projected, nothing to judge */
    ck_assert_uint_eq(w.n, 0);
}
END_TEST

static Suite *view_check_suite(void)
{
    Suite *s = suite_create("view_check");
    TCase *t = tcase_create("view_check");
    tcase_add_test(t, utm_zone_1_turns_europe_upside_down);
    tcase_add_test(t, a_conic_centred_elsewhere_turns_and_stretches);
    tcase_add_test(t, mercator_from_the_equator_to_the_arctic_stretches);
    tcase_add_test(t, sensible_views_get_no_warning);
    tcase_add_test(t, lonlat_and_raw_views_are_not_judged);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return cor_test_run(view_check_suite());
}
