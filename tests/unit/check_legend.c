/* SPDX-License-Identifier: MIT */
/* Tests for the legend: a flow entry brings a flow-width scale of round values with the flow
 * unit (the smallest marked "≤" when it stands for every flow at the minimum width), and the
 * legend is shorter without one; on a small page the legend compacts (entries cut short, text
 * smaller but never below its floor in pixels at the output's dpi). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furniture.h"
#include "furniture_query.h"
#include "furniture_testutil.h"
#include "testutil.h"
#include "util.h"

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
    /* flows below 15.2 are all drawn at the 1.2 pt minimum (9 pt for 114): the smallest sample
     * says so, rather than showing 10 at a width that is not 10's */
    ck_assert_ptr_nonnull(strstr(svg.data, ">\xe2\x89\xa4 10</text>"));
    ck_assert_ptr_null(strstr(svg.data, ">10</text>"));
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
    /* a route with a value is drawn on the flow scale: its entry brings the scale too */
    s.items[0].value = 200;
    svg.len = 0;
    ck_assert_int_eq(cor__furniture_layout(&f, &v.fr, s.entries, 4, &s.ov, NULL, 0, NULL, &l, NULL),
                     COR_OK);
    ck_assert_int_eq(cor__furniture_draw(l, cr, &to, NULL), COR_OK);
    ck_assert_ptr_nonnull(strstr(svg.data, ">200 children</text>"));
    cor__layout_free(l);
    cairo_destroy(cr);
    cairo_surface_destroy(surf);
    cor__buf_free(&svg);
    view_close(&v);
}
END_TEST

/* Lays the story's legend out on a w x h pt page at `dpi`, drawn as SVG text into *svg. */
static cor_bbox_t legend_on(double w, double h, double dpi, cor__buf_t *svg)
{
    view_t v;
    story_t s;
    story_init(&s);
    view_open(&v, LCC, DEFAULT_EXTENT, w, h);
    v.fr.dpi = dpi;
    cor__furniture_t f = full_set();
    cor__layout_t *l = NULL;
    cor_bbox_t box;
    ck_assert_int_eq(cor__furniture_layout(&f, &v.fr, s.entries, 5, &s.ov, NULL, 0, NULL, &l, NULL),
                     COR_OK);
    cor__textout_t to = {NULL, svg};
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 10, 10);
    cairo_t *cr = cairo_create(surf);
    svg->len = 0;
    ck_assert_int_eq(cor__furniture_draw(l, cr, &to, NULL), COR_OK);
    ck_assert(cor__layout_box(l, COR__FPART_LEGEND, &box, NULL));
    cairo_destroy(cr);
    cairo_surface_destroy(surf);
    cor__layout_free(l);
    view_close(&v);
    return box;
}

START_TEST(test_compact)
{
    cor__buf_t svg = {0};
    /* A page of 8 x 6 in keeps the whole entries. */
    legend_on(576, 432, 300, &svg);
    ck_assert_ptr_nonnull(strstr(svg.data, "blocked since"));
    /* 90 x 60 mm: the entry is cut at its colon, and the legend takes less than half the map's
     * height (the page above the credits) */
    cor_bbox_t small = legend_on(255, 170, 300, &svg);
    ck_assert_ptr_null(strstr(svg.data, "blocked since"));
    const char *cut = strstr(svg.data, ">Potash to Klaip");
    ck_assert_ptr_nonnull(cut);
    ck_assert_int_eq(strncmp(cut + strlen(">Potash to Klaip") + 2, "da</text>", 9), 0); /* ė */
    ck_assert_ptr_nonnull(strstr(svg.data, ">Children deported"));
    ck_assert_msg(small.maxy - small.miny < 0.45 * 170, "legend %g pt high",
                  small.maxy - small.miny);
    /* the same page at 72 dpi: its text stays at the size that reads at 9 px, so the compact
     * legend is larger than at 300 dpi */
    cor_bbox_t coarse = legend_on(255, 170, 72, &svg);
    ck_assert_ptr_null(strstr(svg.data, "blocked since"));
    ck_assert((coarse.maxx - coarse.minx) * (coarse.maxy - coarse.miny) >
              (small.maxx - small.minx) * (small.maxy - small.miny) + 1);
    cor__buf_free(&svg);
}
END_TEST

static Suite *legend_suite(void)
{
    Suite *s = suite_create("legend");
    TCase *legend = tcase_create("legend");
    tcase_add_test(legend, test_flow_scale);
    tcase_add_test(legend, test_compact);
    tcase_add_checked_fixture(legend, NULL, teardown);
    suite_add_tcase(s, legend);
    return s;
}

int main(void)
{
    int rc = cor_test_run(legend_suite());
    cor__text_reset();
    return rc;
}
