/* SPDX-License-Identifier: MIT */
/* Tests for the title block and credits: long credits wrap to the page's measure, the date
 * kept with them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furniture.h"
#include "furniture_query.h"
#include "furniture_testutil.h"
#include "testutil.h"
#include "util.h"

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

static cor_bbox_t title_box(const view_t *v, const cor_bbox_t *busy, size_t nbusy)
{
    cor__furniture_t f = {.title = TITLE,
                          .subtitle = SUBTITLE,
                          .graticule = -1,
                          .scalebar = COR__CORNER_NONE,
                          .legend = COR__CORNER_NONE,
                          .inset = COR__CORNER_NONE};
    cor__layout_t *l = NULL;
    cor_bbox_t b;
    ck_assert_int_eq(cor__furniture_layout(&f, &v->fr, NULL, 0, NULL, busy, nbusy, NULL, &l, NULL),
                     COR_OK);
    ck_assert(cor__layout_box(l, COR__FPART_TITLE, &b, NULL));
    cor__layout_free(l);
    return b;
}

static bool covers(cor_bbox_t a, cor_bbox_t b)
{
    return a.minx < b.maxx && b.minx < a.maxx && a.miny < b.maxy && b.miny < a.maxy;
}

/* On a small page, a title block that would hide the story's places loses its subtitle (and
 * takes another shape) so that it hides none; one small place under it is not worth that. */
START_TEST(test_title_squeezed_off_the_story)
{
    view_t v;
    view_open(&v, LCC, DEFAULT_EXTENT, 259, 259);
    cor_bbox_t full = title_box(&v, NULL, 0);
    double below = full.maxy - 10; /* the tops of three places under the subtitle's last line */
    cor_bbox_t busy[3] = {
        {20, below, 48, below + 28}, {50, below, 78, below + 28}, {80, below, 108, below + 28}};
    for (int i = 0; i < 3; i++)
        ck_assert(covers(full, busy[i]));
    cor_bbox_t squeezed = title_box(&v, busy, 3);
    ck_assert_msg(squeezed.maxy - squeezed.miny < full.maxy - full.miny - 10, "%g of %g pt",
                  squeezed.maxy - squeezed.miny, full.maxy - full.miny);
    for (int i = 0; i < 3; i++)
        ck_assert(!covers(squeezed, busy[i]));
    cor_bbox_t one = {40, below, 60, below + 20}; /* 200 pt^2 covered: the subtitle stays */
    cor_bbox_t kept = title_box(&v, &one, 1);
    ck_assert_double_eq_tol(kept.maxy, full.maxy, 1e-9);
    view_close(&v);
}
END_TEST

static Suite *titles_suite(void)
{
    Suite *s = suite_create("titles");
    TCase *titles = tcase_create("titles");
    tcase_add_test(titles, test_credits_wrap);
    tcase_add_test(titles, test_title_squeezed_off_the_story);
    tcase_add_checked_fixture(titles, NULL, teardown);
    suite_add_tcase(s, titles);
    return s;
}

int main(void)
{
    int rc = cor_test_run(titles_suite());
    cor__text_reset();
    return rc;
}
