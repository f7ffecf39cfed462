/* SPDX-License-Identifier: MIT */
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

/* Distance from (x, y) to the nearest segment of part p. */
static double dist_to_part(const cor__geom_t *g, size_t p, double x, double y)
{
    double best = INFINITY;
    for (size_t i = g->parts[p] + 1; i < g->parts[p + 1]; i++) {
        double ax = g->x[i - 1], ay = g->y[i - 1], dx = g->x[i] - ax, dy = g->y[i] - ay;
        double t = ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy);
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        best = fmin(best, hypot(ax + t * dx - x, ay + t * dy - y));
    }
    return best;
}

START_TEST(thin_keeps_corners_and_stays_within_tolerance)
{
    cor__geom_t g = {.kind = COR__GEOM_LINE}, orig = {0};
    double xy[2 * 61];
    for (int i = 0; i <= 60; i++) /* a gentle wave, then a sharp corner at 30 */
        xy[2 * i] = i < 30 ? i : 30, xy[2 * i + 1] = i < 30 ? 0.1 * sin(i / 3.0) : i - 30;
    add(&g, xy, 61);
    ck_assert(cor__geom_copy(&orig, &g));
    cor__geom_thin(&g, 0.25);
    ck_assert_uint_lt(g.npoints, 12);
    ck_assert(g.x[0] == 0 && g.y[0] == 0);
    ck_assert(g.x[g.npoints - 1] == 30 && g.y[g.npoints - 1] == 30);
    bool corner = false; /* the bend at (30, 0) is kept, or a vertex next to it */
    for (size_t i = 0; i < g.npoints; i++)
        corner |= hypot(g.x[i] - 30, g.y[i]) <= 1;
    ck_assert(corner);
    for (size_t i = 0; i < orig.npoints; i++)
        ck_assert_msg(dist_to_part(&g, 0, orig.x[i], orig.y[i]) <= 0.25 + 1e-12,
                      "point %zu moved off", i);
    cor__geom_free(&orig);
    cor__geom_free(&g);
}
END_TEST

START_TEST(thin_looks_ahead_at_most_sixteen_points)
{
    cor__geom_t g = {.kind = COR__GEOM_POLYGON};
    double x[99], y[99];
    for (int i = 0; i < 97; i++) /* a straight bottom edge of 97 points, closed by a triangle */
        x[i] = i, y[i] = 0;
    x[97] = 48, y[97] = 40, x[98] = 0, y[98] = 0;
    ck_assert(cor__geom_add_part(&g, x, y, 99));
    add(&g, (double[]){0, 0, 0.1, 0, 0.1, 0.1}, 3); /* a sliver: thinned away */
    cor__geom_thin(&g, 0.25);
    ck_assert_uint_eq(g.nparts, 1);
    /* 0, 16, 32, 48, 64, 80, 96 along the edge, the apex, the closing point */
    ck_assert_uint_eq(g.npoints, 9);
    ck_assert(g.x[1] == 16 && g.x[6] == 96 && g.y[7] == 40 && g.x[8] == 0);
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

/* Whether every edge of part p of g that runs along a side of box b is at most `step` long. */
static bool cut_edges_short(const cor__geom_t *g, size_t p, cor_bbox_t b, double step)
{
    size_t a = g->parts[p], e = g->parts[p + 1];
    for (size_t i = a; i < e; i++) {
        size_t j = i + 1 < e ? i + 1 : a;
        bool side =
            (g->x[i] == b.minx && g->x[j] == b.minx) || (g->x[i] == b.maxx && g->x[j] == b.maxx) ||
            (g->y[i] == b.miny && g->y[j] == b.miny) || (g->y[i] == b.maxy && g->y[j] == b.maxy);
        if (side && hypot(g->x[j] - g->x[i], g->y[j] - g->y[i]) > step * (1 + 1e-12))
            return false;
    }
    return true;
}

START_TEST(clip_into_ring_wholly_outside_is_dropped)
{
    cor__geom_t g = {.kind = COR__GEOM_POLYGON}, out = {0};
    cor__clip_buf_t buf = {0};
    /* a C-shaped ring round the box's left, top and right: its box overlaps, it covers nothing */
    add(&g, (double[]){-5, -5, -1, -5, -1, 11, 11, 11, 11, -5, 15, -5, 15, 15, -5, 15}, 8);
    add(&g, (double[]){20, 20, 30, 20, 30, 30}, 3); /* far away */
    ck_assert(cor__geom_clip_into(&g, (cor_bbox_t){0, 0, 10, 10}, 1, &out, &buf));
    ck_assert_uint_eq(out.nparts, 0);
    ck_assert_uint_eq(out.npoints, 0);
    cor__clip_buf_free(&buf);
    cor__geom_free(&out);
    cor__geom_free(&g);
}
END_TEST

START_TEST(clip_into_ring_containing_box_is_the_box_densified)
{
    cor__geom_t g = {.kind = COR__GEOM_POLYGON}, out = {0};
    cor__clip_buf_t buf = {0};
    cor_bbox_t box = {0, 0, 10, 10};
    add(&g, (double[]){-100, -100, 100, -100, 100, 100, -100, 100}, 4);
    ck_assert(cor__geom_clip_into(&g, box, 2.5, &out, &buf));
    ck_assert_uint_eq(out.nparts, 1);
    ck_assert_uint_eq(out.npoints, 16); /* four sides of 10 cut every 2.5 */
    ck_assert(cut_edges_short(&out, 0, box, 2.5));
    cor_bbox_t b = cor__geom_bbox(&out);
    ck_assert(b.minx == 0 && b.maxx == 10 && b.miny == 0 && b.maxy == 10);
    ck_assert(cor__geom_contains(&out, 5, 5) && cor__geom_contains(&out, 0.1, 9.9));
    /* the source is left alone */
    ck_assert_uint_eq(g.npoints, 4);
    ck_assert(g.x[0] == -100);
    cor__clip_buf_free(&buf);
    cor__geom_free(&out);
    cor__geom_free(&g);
}
END_TEST

START_TEST(clip_into_ring_across_antimeridian_and_corners)
{
    cor__geom_t g = {.kind = COR__GEOM_POLYGON}, out = {0};
    cor__clip_buf_t buf = {0};
    /* a box on the antimeridian in continuous longitudes (175 E .. 175 W), and a diamond that
     * crosses it and cuts off all four of the box's corners */
    cor_bbox_t box = {175, -5, 185, 5};
    add(&g, (double[]){180, -8, 188, 0, 180, 8, 172, 0}, 4);
    ck_assert(cor__geom_clip_into(&g, box, 1, &out, &buf));
    ck_assert_uint_eq(out.nparts, 1);
    ck_assert(cut_edges_short(&out, 0, box, 1));
    ck_assert(cor__geom_contains(&out, 180, 0));
    ck_assert(cor__geom_contains(&out, 184.5, 0));
    ck_assert(!cor__geom_contains(&out, 184.5, 4.5)); /* a corner cut off */
    ck_assert(!cor__geom_contains(&out, 175.5, -4.5));
    cor_bbox_t b = cor__geom_bbox(&out);
    ck_assert(b.minx == 175 && b.maxx == 185 && b.miny == -5 && b.maxy == 5);
    for (size_t i = 0; i < out.npoints; i++) /* every point inside the box or on it */
        ck_assert(out.x[i] >= 175 && out.x[i] <= 185 && out.y[i] >= -5 && out.y[i] <= 5);
    cor__clip_buf_free(&buf);
    cor__geom_free(&out);
    cor__geom_free(&g);
}
END_TEST

START_TEST(clip_into_keeps_inside_parts_and_reuses_storage)
{
    cor__geom_t g = {.kind = COR__GEOM_POLYGON}, out = {0};
    cor__clip_buf_t buf = {0};
    add(&g, (double[]){1, 1, 4, 1, 4, 4, 1, 4}, 4);   /* inside: copied as it is */
    add(&g, (double[]){6, -3, 9, -3, 9, 3, 6, 3}, 4); /* half out: cut, bottom edge densified */
    ck_assert(cor__geom_clip_into(&g, (cor_bbox_t){0, 0, 10, 10}, 1, &out, &buf));
    ck_assert_uint_eq(out.nparts, 2);
    ck_assert_uint_eq(out.parts[1], 4);
    ck_assert(out.x[2] == 4 && out.y[2] == 4);
    ck_assert_uint_eq(out.parts[2] - out.parts[1], 6); /* 4 corners + 2 points on the cut */
    ck_assert(cut_edges_short(&out, 1, (cor_bbox_t){0, 0, 10, 10}, 1));
    double *x = out.x;
    ck_assert(cor__geom_clip_into(&g, (cor_bbox_t){0, 0, 10, 10}, 1, &out, &buf));
    ck_assert_ptr_eq(out.x, x); /* the second time round, nothing is allocated */
    ck_assert_uint_eq(out.nparts, 2);
    cor__clip_buf_free(&buf);
    cor__geom_free(&out);
    cor__geom_free(&g);
}
END_TEST

START_TEST(clip_into_splits_lines_and_filters_points)
{
    cor__geom_t g = {.kind = COR__GEOM_LINE}, out = {0}, pts = {.kind = COR__GEOM_POINT};
    cor__clip_buf_t buf = {0};
    /* in, out across a corner, back in, out: two pieces; a part wholly outside: none */
    add(&g, (double[]){5, 5, 15, 15, 15, 5, 5, 6, -5, 6}, 5);
    add(&g, (double[]){20, 0, 30, 0}, 2);
    ck_assert(cor__geom_clip_into(&g, (cor_bbox_t){0, 0, 10, 10}, 1, &out, &buf));
    ck_assert_uint_eq(out.nparts, 2);
    ck_assert(out.x[0] == 5 && out.x[1] == 10 && out.y[1] == 10);
    ck_assert(out.x[2] == 10 && out.x[out.npoints - 1] == 0 && out.y[out.npoints - 1] == 6);
    add(&pts, (double[]){5, 5}, 1);
    add(&pts, (double[]){-1, 5}, 1);
    ck_assert(cor__geom_clip_into(&pts, (cor_bbox_t){0, 0, 10, 10}, 1, &out, &buf));
    ck_assert(out.kind == COR__GEOM_POINT && out.nparts == 1 && out.x[0] == 5);
    cor__clip_buf_free(&buf);
    cor__geom_free(&pts);
    cor__geom_free(&out);
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
    tcase_add_test(t, thin_keeps_corners_and_stays_within_tolerance);
    tcase_add_test(t, thin_looks_ahead_at_most_sixteen_points);
    tcase_add_test(t, clip_polygon_to_box);
    tcase_add_test(t, clip_enclosing_ring_becomes_box);
    tcase_add_test(t, clip_line_splits_into_pieces);
    tcase_add_test(t, clip_points);
    tcase_add_test(t, clip_into_ring_wholly_outside_is_dropped);
    tcase_add_test(t, clip_into_ring_containing_box_is_the_box_densified);
    tcase_add_test(t, clip_into_ring_across_antimeridian_and_corners);
    tcase_add_test(t, clip_into_keeps_inside_parts_and_reuses_storage);
    tcase_add_test(t, clip_into_splits_lines_and_filters_points);
    tcase_add_test(t, contains_even_odd_with_hole);
    tcase_add_test(t, feature_field_lookup);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return cor_test_run(geom_suite());
}
