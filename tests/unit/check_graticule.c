/* SPDX-License-Identifier: MIT */
/* Tests for the graticule: its automatic spacing, curved and clipped lines, edge labels in every
 * hemisphere and across the antimeridian, and labels that keep off the other furniture. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furniture.h"
#include "furniture_query.h"
#include "furniture_testutil.h"
#include "testutil.h"
#include "util.h"

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

static Suite *graticule_suite(void)
{
    Suite *s = suite_create("graticule");
    TCase *grat = tcase_create("graticule");
    tcase_add_test(grat, test_graticule_default);
    tcase_add_test(grat, test_graticule_hemispheres);
    tcase_add_test(grat, test_graticule_labels_avoid_furniture);
    tcase_add_checked_fixture(grat, NULL, teardown);
    suite_add_tcase(s, grat);
    return s;
}

int main(void)
{
    int rc = cor_test_run(graticule_suite());
    cor__text_reset();
    return rc;
}
