/* Unit tests for geom: parts, invalid points, affine, simplification, clipping, containment. */
#include <math.h>
#include <stdlib.h>

#include "geom.h"
#include "testutil.h"

static void add(cor__geom_t *g, const double *xy, size_t n)
{
    double x[64], y[64];
    ck_assert_uint_le(n, 64);
    for (size_t i = 0; i < n; i++)
        x[i] = xy[2 * i], y[i] = xy[2 * i + 1];
    ck_assert(cor__geom_add_part(g, x, y, n));
}

START_TEST(parts_and_bbox)
{
    cor__geom_t g = {.kind = COR__GEOM_LINE};
    add(&g, (double[]){0, 0, 10, 5}, 2);
    add(&g, (double[]){-3, 2, 4, 8, 1, 1}, 3);
    ck_assert_uint_eq(g.nparts, 2);
    ck_assert_uint_eq(g.npoints, 5);
    ck_assert_uint_eq(g.parts[1], 2);
    ck_assert_uint_eq(g.parts[2], 5);
    cor_bbox_t b = cor__geom_bbox(&g);
    ck_assert(b.minx == -3 && b.miny == 0 && b.maxx == 10 && b.maxy == 8);
    cor__geom_t c = {0};
    ck_assert(cor__geom_copy(&c, &g));
    ck_assert_uint_eq(c.npoints, 5);
    ck_assert(c.x[4] == 1 && c.kind == COR__GEOM_LINE);
    cor__geom_free(&c);
    cor__geom_free(&g);
}
END_TEST

START_TEST(invalid_points_dropped_with_short_parts)
{
    cor__geom_t g = {.kind = COR__GEOM_LINE};
    add(&g, (double[]){0, 0, NAN, NAN, 2, 2, 3, 3}, 4);
    add(&g, (double[]){5, 5, INFINITY, 1}, 2); /* one valid point left: not a line */
    ck_assert_uint_eq(cor__geom_drop_invalid(&g), 3);
    ck_assert_uint_eq(g.nparts, 1);
    ck_assert_uint_eq(g.npoints, 3);
    ck_assert(g.x[1] == 2 && g.y[2] == 3);
    cor__geom_free(&g);
}
END_TEST

START_TEST(affine_maps_to_page)
{
    cor__geom_t g = {.kind = COR__GEOM_POINT};
    add(&g, (double[]){100, 200}, 1);
    cor__geom_affine(&g, 0.5, -10, -0.5, 300);
    ck_assert(g.x[0] == 40 && g.y[0] == 200);
    cor__geom_free(&g);
}
END_TEST

START_TEST(simplify_keeps_endpoints_and_shape)
{
    cor__geom_t g = {.kind = COR__GEOM_LINE};
    double xy[2 * 41];
    for (int i = 0; i <= 40; i++)
        xy[2 * i] = i * 0.1, xy[2 * i + 1] = (i == 20) ? 3 : 0;
    add(&g, xy, 41);
    cor__geom_simplify(&g, 0.25);
    ck_assert_uint_lt(g.npoints, 41);
    ck_assert(g.x[0] == 0 && fabs(g.x[g.npoints - 1] - 4.0) < 1e-12);
    bool peak = false; /* a vertex far from its neighbours survives */
    for (size_t i = 0; i < g.npoints; i++)
        peak |= g.y[i] == 3;
    ck_assert(peak);
    for (size_t i = 1; i < g.npoints - 1; i++) /* no two kept vertices closer than tol */
        ck_assert(hypot(g.x[i] - g.x[i - 1], g.y[i] - g.y[i - 1]) >= 0.25);
    cor__geom_free(&g);
}
END_TEST

START_TEST(simplify_removes_subpixel_rings)
{
    cor__geom_t g = {.kind = COR__GEOM_POLYGON};
    add(&g, (double[]){0, 0, 10, 0, 10, 10, 0, 10, 0, 0}, 5);
    add(&g, (double[]){20, 20, 20.1, 20, 20.1, 20.1, 20, 20}, 4);
    cor__geom_simplify(&g, 0.25);
    ck_assert_uint_eq(g.nparts, 1);
    ck_assert_uint_eq(g.npoints, 5);
    cor__geom_free(&g);
}
END_TEST

START_TEST(clip_polygon_to_box)
{
    cor__geom_t g = {.kind = COR__GEOM_POLYGON};
    /* a square half outside the box, and a ring entirely outside */
    add(&g, (double[]){-10, 2, 5, 2, 5, 8, -10, 8}, 4);
    add(&g, (double[]){50, 50, 60, 50, 60, 60}, 3);
    ck_assert(cor__geom_clip(&g, (cor_bbox_t){0, 0, 10, 10}));
    ck_assert_uint_eq(g.nparts, 1);
    cor_bbox_t b = cor__geom_bbox(&g);
    ck_assert(b.minx == 0 && b.maxx == 5 && b.miny == 2 && b.maxy == 8);
    ck_assert(cor__geom_contains(&g, 2, 5));
    ck_assert(!cor__geom_contains(&g, 7, 5));
    cor__geom_free(&g);
}
END_TEST

START_TEST(clip_enclosing_ring_becomes_box)
{
    cor__geom_t g = {.kind = COR__GEOM_POLYGON};
    add(&g, (double[]){-100, -100, 100, -100, 100, 100, -100, 100}, 4);
    ck_assert(cor__geom_clip(&g, (cor_bbox_t){0, 0, 10, 10}));
    ck_assert(cor__geom_contains(&g, 5, 5));
    cor_bbox_t b = cor__geom_bbox(&g);
    ck_assert(b.minx == 0 && b.maxx == 10 && b.miny == 0 && b.maxy == 10);
    cor__geom_free(&g);
}
END_TEST

START_TEST(clip_line_splits_into_pieces)
{
    cor__geom_t g = {.kind = COR__GEOM_LINE};
    /* in, out, back in: two pieces */
    add(&g, (double[]){1, 5, 20, 5, 20, 6, 1, 6}, 4);
    ck_assert(cor__geom_clip(&g, (cor_bbox_t){0, 0, 10, 10}));
    ck_assert_uint_eq(g.nparts, 2);
    ck_assert(g.x[0] == 1 && g.x[1] == 10);
    ck_assert(g.x[2] == 10 && g.x[3] == 1 && g.y[3] == 6);
    cor__geom_free(&g);
}
END_TEST

START_TEST(clip_points)
{
    cor__geom_t g = {.kind = COR__GEOM_POINT};
    add(&g, (double[]){5, 5}, 1);
    add(&g, (double[]){15, 5}, 1);
    ck_assert(cor__geom_clip(&g, (cor_bbox_t){0, 0, 10, 10}));
    ck_assert_uint_eq(g.nparts, 1);
    ck_assert(g.x[0] == 5);
    cor__geom_free(&g);
}
END_TEST

START_TEST(contains_even_odd_with_hole)
{
    cor__geom_t g = {.kind = COR__GEOM_POLYGON};
    add(&g, (double[]){0, 0, 10, 0, 10, 10, 0, 10}, 4);
    add(&g, (double[]){3, 3, 7, 3, 7, 7, 3, 7}, 4);
    ck_assert(cor__geom_contains(&g, 1, 1));
    ck_assert(!cor__geom_contains(&g, 5, 5));
    ck_assert(!cor__geom_contains(&g, 11, 5));
    cor__geom_free(&g);
}
END_TEST

START_TEST(feature_field_lookup)
{
    const char *names[] = {"NAME", "pop_max"};
    cor__attr_t values[] = {{.type = COR__ATTR_STRING, .str = "Minsk"},
                            {.type = COR__ATTR_NUMBER, .num = 2000000}};
    cor__feature_t f = {.nfields = 2, .names = names, .values = values};
    ck_assert_str_eq(cor__feature_get(&f, "NAME")->str, "Minsk");
    ck_assert_str_eq(cor__feature_get(&f, "name")->str, "Minsk");
    ck_assert(cor__feature_get(&f, "pop_max")->num == 2000000);
    ck_assert_ptr_null(cor__feature_get(&f, "iso_a2"));
}
END_TEST

static Suite *geom_suite(void)
{
    Suite *s = suite_create("geom");
    TCase *t = tcase_create("geom");
    tcase_add_test(t, parts_and_bbox);
    tcase_add_test(t, invalid_points_dropped_with_short_parts);
    tcase_add_test(t, affine_maps_to_page);
    tcase_add_test(t, simplify_keeps_endpoints_and_shape);
    tcase_add_test(t, simplify_removes_subpixel_rings);
    tcase_add_test(t, clip_polygon_to_box);
    tcase_add_test(t, clip_enclosing_ring_becomes_box);
    tcase_add_test(t, clip_line_splits_into_pieces);
    tcase_add_test(t, clip_points);
    tcase_add_test(t, contains_even_odd_with_hole);
    tcase_add_test(t, feature_field_lookup);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return cor_test_run(geom_suite());
}
