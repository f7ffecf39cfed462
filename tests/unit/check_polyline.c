/* SPDX-License-Identifier: MIT */
/* Tests for polyline: the page-point line toolkit the overlays are built on, asserted with
 * numbers on small lines whose answers are known by hand: lengths, points along, slices, the
 * nearest point, leaving a disc (a U-turn among them), sampling, smoothing, offsets and
 * conversions. Degenerate inputs (empty lines, one point, zero-length pieces) first. */
#include <math.h>
#include <stdlib.h>

#include "polyline.h"
#include "testutil.h"

#define EPS 1e-9

/* A line through n points x0, y0, x1, y1, ... */
static cor__polyline_t line_of(const double *xy, size_t n)
{
    cor__polyline_t l = {0};
    for (size_t i = 0; i < n; i++)
        ck_assert(cor__polyline_push(&l, xy[2 * i], xy[2 * i + 1]));
    return l;
}

static void assert_pt(cor__pt_t p, double x, double y)
{
    ck_assert_msg(fabs(p.x - x) < 1e-6 && fabs(p.y - y) < 1e-6, "(%g, %g) is not (%g, %g)", p.x,
                  p.y, x, y);
}

START_TEST(test_degenerate_lines)
{
    cor__polyline_t l = {0}, out = {0};
    cor__pt_t dir = {0, 0};
    ck_assert_double_eq(cor__polyline_length(&l), 0);
    assert_pt(cor__polyline_at(&l, 5, &dir), 0, 0); /* an empty line: the origin */
    ck_assert_double_eq(cor__polyline_nearest(&l, (cor__pt_t){3, 4}), 0);
    ck_assert_double_eq(cor__polyline_clear(&l, 5, false), 0);
    ck_assert_double_eq(cor__polyline_clear(&l, 5, true), 0);
    ck_assert(!cor__polyline_resample(&l, 2, &out)); /* nothing to start from */
    cor__polyline_reverse(&l);
    ck_assert(cor__polyline_average(&l, 3, 2));
    cor_bbox_t b = cor__polyline_box(l.p, 0, 1);
    ck_assert(b.minx > b.maxx && b.miny > b.maxy); /* inverted */

    ck_assert(cor__polyline_push(&l, 7, 8)); /* one point */
    ck_assert_double_eq(cor__polyline_length(&l), 0);
    assert_pt(cor__polyline_at(&l, 3, &dir), 7, 8);
    assert_pt(dir, 1, 0);
    ck_assert_double_eq(cor__polyline_clear(&l, 2, false), 0);
    ck_assert(cor__polyline_resample(&l, 2, &out));
    ck_assert_uint_eq(out.n, 1);
    cor__polyline_reverse(&l);
    assert_pt(l.p[0], 7, 8);

    ck_assert(cor__polyline_push(&l, 7, 8)); /* a zero-length piece is passed over */
    ck_assert(cor__polyline_push(&l, 10, 8));
    assert_pt(cor__polyline_at(&l, 1, &dir), 8, 8);
    assert_pt(dir, 1, 0);
    ck_assert_double_eq_tol(cor__polyline_length(&l), 3, EPS);

    /* units: no length, or none that is finite, points along +x */
    assert_pt(cor__polyline_unit(0, 0), 1, 0);
    assert_pt(cor__polyline_unit(NAN, 1), 1, 0);
    assert_pt(cor__polyline_unit(INFINITY, 0), 1, 0);
    assert_pt(cor__polyline_unit(0, -3), 0, -1);
    cor__polyline_free(&l);
    cor__polyline_free(&out);
    ck_assert_ptr_null(l.p);
    ck_assert_uint_eq(l.n, 0);
    cor__polyline_free(&l); /* twice is harmless */
}
END_TEST

START_TEST(test_length_at_and_slice)
{
    const double xy[] = {0, 0, 3, 4, 3, 10}; /* 5 then 6 long */
    cor__polyline_t l = line_of(xy, 3), s = {0};
    cor__pt_t dir;
    ck_assert_double_eq_tol(cor__polyline_dist(l.p[0], l.p[1]), 5, EPS);
    ck_assert_double_eq_tol(cor__polyline_length(&l), 11, EPS);
    assert_pt(cor__polyline_at(&l, 2.5, &dir), 1.5, 2);
    assert_pt(dir, 0.6, 0.8);
    assert_pt(cor__polyline_at(&l, 8, &dir), 3, 7);
    assert_pt(dir, 0, 1);
    assert_pt(cor__polyline_at(&l, -4, NULL), 0, 0); /* clamped to the line */
    assert_pt(cor__polyline_at(&l, 40, &dir), 3, 10);
    assert_pt(dir, 0, 1);

    ck_assert(cor__polyline_slice(&l, 2.5, 8, &s)); /* the ends and the corner between */
    ck_assert_uint_eq(s.n, 3);
    assert_pt(s.p[0], 1.5, 2);
    assert_pt(s.p[1], 3, 4);
    assert_pt(s.p[2], 3, 7);
    ck_assert_double_eq_tol(cor__polyline_length(&s), 5.5, EPS);
    s.n = 0;
    ck_assert(cor__polyline_slice(&l, 6, 7, &s)); /* within one segment: no inner point */
    ck_assert_uint_eq(s.n, 2);
    assert_pt(s.p[0], 3, 5);
    assert_pt(s.p[1], 3, 6);
    cor__polyline_free(&s);
    cor__polyline_free(&l);
}
END_TEST

START_TEST(test_nearest)
{
    const double xy[] = {0, 0, 10, 0, 10, 10};
    cor__polyline_t l = line_of(xy, 3);
    ck_assert_double_eq_tol(cor__polyline_nearest(&l, (cor__pt_t){4, -3}), 4, EPS);
    ck_assert_double_eq_tol(cor__polyline_nearest(&l, (cor__pt_t){13, 6}), 16, EPS);
    ck_assert_double_eq_tol(cor__polyline_nearest(&l, (cor__pt_t){-5, -5}), 0, EPS);
    ck_assert_double_eq_tol(cor__polyline_nearest(&l, (cor__pt_t){10, 30}), 20, EPS);
    ck_assert_double_eq_tol(cor__polyline_nearest(&l, (cor__pt_t){12, -2}), 10, EPS); /* corner */
    cor__polyline_free(&l);
}
END_TEST

START_TEST(test_clear_of_a_disc)
{
    const double straight[] = {0, 0, 20, 0};
    cor__polyline_t l = line_of(straight, 2);
    ck_assert_double_eq_tol(cor__polyline_clear(&l, 5, false), 5, EPS);
    ck_assert_double_eq_tol(cor__polyline_clear(&l, 5, true), 15, EPS);
    ck_assert_double_eq(cor__polyline_clear(&l, 0, false), 0); /* no disc */
    ck_assert_double_eq(cor__polyline_clear(&l, -1, true), 20);
    ck_assert_double_eq(cor__polyline_clear(&l, 30, false), 20); /* never leaves it */
    ck_assert_double_eq(cor__polyline_clear(&l, 30, true), 0);
    cor__polyline_free(&l);

    /* a U-turn back into the disc (a point inside it) and out again: the last exit counts */
    const double uturn[] = {0, 0, 10, 0, 10, 2, 0, 2, -10, 2};
    l = line_of(uturn, 5);
    double exit = sqrt(21.0); /* where y = 2 leaves the circle of radius 5 */
    ck_assert_double_eq_tol(cor__polyline_clear(&l, 5, false), 22 + exit, 1e-9);
    ck_assert_double_eq_tol(cor__polyline_clear(&l, 5, true), 32 - 5, 1e-9); /* from its end */
    /* a U-turn that ends inside the disc never leaves it for good */
    const double back[] = {0, 0, 10, 0, 10, 2, 1, 2};
    cor__polyline_free(&l);
    l = line_of(back, 4);
    ck_assert_double_eq_tol(cor__polyline_clear(&l, 5, false), cor__polyline_length(&l), EPS);
    cor__polyline_free(&l);
}
END_TEST

START_TEST(test_cubic)
{
    cor__polyline_t l = {0};
    cor__pt_t a = {0, 0}, c1 = {10, 0}, c2 = {20, 0}, b = {30, 0};
    ck_assert(cor__polyline_cubic(&l, a, c1, c2, b)); /* without a itself */
    ck_assert_uint_eq(l.n, 48);                       /* 30 / 0.75 + 8 */
    assert_pt(l.p[l.n - 1], 30, 0);
    for (size_t i = 0; i < l.n; i++) {
        ck_assert_double_eq(l.p[i].y, 0);
        ck_assert(l.p[i].x > 0 && l.p[i].x <= 30 + EPS);
    }
    cor__polyline_free(&l);
    /* a curve: its middle at 3/4 of the handles' height; never more than 4000 pieces */
    ck_assert(cor__polyline_push(&l, 0, 0));
    ck_assert(cor__polyline_cubic(&l, a, (cor__pt_t){0, 8}, (cor__pt_t){30, 8}, b));
    assert_pt(l.p[(l.n - 1) / 2], 15, 6);
    cor__polyline_free(&l);
    ck_assert(cor__polyline_cubic(&l, a, (cor__pt_t){1e6, 0}, (cor__pt_t){-1e6, 0}, b));
    ck_assert_uint_eq(l.n, 4000);
    cor__polyline_free(&l);
}
END_TEST

START_TEST(test_through)
{
    cor__polyline_t q = {0}, l = {0};
    size_t at[4];
    ck_assert(cor__polyline_through(&q, &l, at)); /* nothing to go through: nothing */
    ck_assert_uint_eq(l.n, 0);
    /* two points: a straight line */
    ck_assert(cor__polyline_push(&q, 0, 0) && cor__polyline_push(&q, 30, 0));
    ck_assert(cor__polyline_through(&q, &l, at));
    ck_assert_uint_eq(at[0], 0);
    ck_assert_uint_eq(at[1], l.n - 1);
    for (size_t i = 0; i < l.n; i++)
        ck_assert_double_eq_tol(l.p[i].y, 0, EPS);
    cor__polyline_free(&l);
    /* four points: through each, its tangent there parallel to its neighbours' chord */
    ck_assert(cor__polyline_push(&q, 60, 30) && cor__polyline_push(&q, 90, 30));
    ck_assert(cor__polyline_through(&q, &l, at));
    for (size_t k = 0; k < 4; k++)
        assert_pt(l.p[at[k]], q.p[k].x, q.p[k].y);
    ck_assert(at[0] < at[1] && at[1] < at[2] && at[2] < at[3] && at[3] == l.n - 1);
    cor__pt_t d = cor__polyline_unit(l.p[at[1] + 1].x - l.p[at[1] - 1].x,
                                     l.p[at[1] + 1].y - l.p[at[1] - 1].y);
    cor__pt_t chord = cor__polyline_unit(60, 30);
    ck_assert_double_eq_tol(d.x * chord.y - d.y * chord.x, 0, 0.02);
    ck_assert(cor__polyline_length(&l) >
              60 + 30 * sqrt(2) + 0.01); /* curved: longer than its chords */
    cor__polyline_free(&l);
    /* without `at` */
    ck_assert(cor__polyline_through(&q, &l, NULL));
    ck_assert(l.n > 4);
    cor__polyline_free(&l);
    cor__polyline_free(&q);
}
END_TEST

START_TEST(test_average)
{
    const double zigzag[] = {0, 0, 1, 1, 2, 0, 3, 1, 4, 0};
    cor__polyline_t l = line_of(zigzag, 5);
    ck_assert(cor__polyline_average(&l, 1, 1));
    assert_pt(l.p[0], 0, 0); /* the ends stay */
    assert_pt(l.p[4], 4, 0);
    assert_pt(l.p[1], 1, 1.0 / 3);
    assert_pt(l.p[2], 2, 2.0 / 3);
    assert_pt(l.p[3], 3, 1.0 / 3);
    ck_assert(cor__polyline_average(&l, 10, 3)); /* more neighbours than there are */
    assert_pt(l.p[0], 0, 0);
    assert_pt(l.p[4], 4, 0);
    ck_assert_double_eq_tol(l.p[2].x, 2, EPS); /* it stays symmetric */
    ck_assert_double_eq_tol(l.p[1].y, l.p[3].y, EPS);
    ck_assert(l.p[2].y > 0 && l.p[2].y < 2.0 / 3);
    cor__polyline_free(&l);
}
END_TEST

START_TEST(test_resample)
{
    const double xy[] = {0, 0, 10, 0};
    cor__polyline_t l = line_of(xy, 2), r = {0};
    ck_assert(cor__polyline_resample(&l, 2, &r)); /* 10 is a multiple of 2: the end is in */
    ck_assert_uint_eq(r.n, 6);
    for (size_t i = 0; i < r.n; i++)
        assert_pt(r.p[i], 2.0 * i, 0);
    r.n = 0;
    ck_assert(cor__polyline_resample(&l, 3, &r)); /* 0, 3, 6, 9: the end is not */
    ck_assert_uint_eq(r.n, 4);
    assert_pt(r.p[3], 9, 0);
    cor__polyline_free(&l);
    const double corner[] = {0, 0, 3, 0, 3, 3};
    l = line_of(corner, 3);
    r.n = 0;
    ck_assert(cor__polyline_resample(&l, 2, &r)); /* steps go round the corner */
    ck_assert_uint_eq(r.n, 4);
    assert_pt(r.p[1], 2, 0);
    assert_pt(r.p[2], 3, 1);
    assert_pt(r.p[3], 3, 3);
    for (size_t i = 1; i < r.n; i++) /* equal steps along the line, not across the corner */
        ck_assert(cor__polyline_dist(r.p[i - 1], r.p[i]) <= 2 + EPS);
    cor__polyline_free(&l);
    cor__polyline_free(&r);
}
END_TEST

static double constant(void *ctx, double s, double total)
{
    (void)s;
    (void)total;
    return *(const double *)ctx;
}

static double growing(void *ctx, double s, double total)
{
    (void)ctx;
    return s / total;
}

START_TEST(test_offset_and_reverse)
{
    const double xy[] = {0, 0, 10, 0, 10, 10};
    cor__polyline_t l = line_of(xy, 3), o = {0};
    double two = 2;
    ck_assert(cor__polyline_offset(&l, constant, &two, &o)); /* right of travel: y grows */
    ck_assert_uint_eq(o.n, 3);
    assert_pt(o.p[0], 0, 2);
    assert_pt(o.p[1], 10 - sqrt(2), sqrt(2)); /* the corner along its bisector */
    assert_pt(o.p[2], 8, 10);
    o.n = 0;
    ck_assert(cor__polyline_offset(&l, growing, NULL, &o)); /* 0 at the start, 1 at the end */
    assert_pt(o.p[0], 0, 0);
    assert_pt(o.p[2], 9, 10);
    cor__polyline_reverse(&l);
    assert_pt(l.p[0], 10, 10);
    assert_pt(l.p[1], 10, 0);
    assert_pt(l.p[2], 0, 0);
    o.n = 0;
    ck_assert(cor__polyline_offset(&l, constant, &two, &o)); /* reversed: the other side */
    assert_pt(o.p[2], 0, -2);
    cor__polyline_free(&o);
    cor__polyline_free(&l);
}
END_TEST

START_TEST(test_conversions)
{
    const double xy[] = {1, 2, 3, 4, 5, 0};
    cor__polyline_t l = line_of(xy, 3);
    double *x = NULL, *y = NULL;
    ck_assert(cor__polyline_split(&l, &x, &y));
    ck_assert_double_eq(x[2], 5);
    ck_assert_double_eq(y[1], 4);
    free(x);
    free(y);
    cor__geom_t g;
    ck_assert(cor__polyline_geom(&l, COR__GEOM_LINE, &g));
    ck_assert_int_eq(g.kind, COR__GEOM_LINE);
    ck_assert_uint_eq(g.nparts, 1);
    ck_assert_uint_eq(g.npoints, 3);
    ck_assert_double_eq(g.x[1], 3);
    cor__geom_free(&g);
    cor_bbox_t b = cor__polyline_box(l.p, l.n, 0.5);
    ck_assert_double_eq(b.minx, 0.5);
    ck_assert_double_eq(b.miny, -0.5);
    ck_assert_double_eq(b.maxx, 5.5);
    ck_assert_double_eq(b.maxy, 4.5);
    cor__polyline_free(&l);

    const double square[] = {0, 0, 2, 0, 2, 2, 0, 2};
    l = line_of(square, 4);
    assert_pt(cor__polyline_centroid(&l), 1, 1);
    cor__polyline_free(&l);
    const double flat[] = {0, 0, 1, 0, 5, 0}; /* no area: the mean point */
    l = line_of(flat, 3);
    assert_pt(cor__polyline_centroid(&l), 2, 0);
    cor__polyline_free(&l);
}
END_TEST

START_TEST(test_wrap_pi)
{
    ck_assert_double_eq_tol(cor__polyline_wrap_pi(0.5), 0.5, EPS);
    ck_assert_double_eq_tol(cor__polyline_wrap_pi(3 * M_PI), -M_PI, EPS);
    ck_assert_double_eq_tol(cor__polyline_wrap_pi(M_PI), -M_PI, EPS); /* [-pi, pi) */
    ck_assert_double_eq_tol(cor__polyline_wrap_pi(-M_PI), -M_PI, EPS);
    ck_assert_double_eq_tol(cor__polyline_wrap_pi(-2.5 * M_PI), -0.5 * M_PI, EPS);
    ck_assert_double_eq_tol(cor__polyline_wrap_pi(7), 7 - 2 * M_PI, EPS);
}
END_TEST

static Suite *polyline_suite(void)
{
    Suite *s = suite_create("polyline");
    TCase *tc = tcase_create("degenerate");
    tcase_add_test(tc, test_degenerate_lines);
    suite_add_tcase(s, tc);
    tc = tcase_create("measuring");
    tcase_add_test(tc, test_length_at_and_slice);
    tcase_add_test(tc, test_nearest);
    tcase_add_test(tc, test_clear_of_a_disc);
    tcase_add_test(tc, test_wrap_pi);
    suite_add_tcase(s, tc);
    tc = tcase_create("building");
    tcase_add_test(tc, test_cubic);
    tcase_add_test(tc, test_through);
    tcase_add_test(tc, test_average);
    tcase_add_test(tc, test_resample);
    tcase_add_test(tc, test_offset_and_reverse);
    tcase_add_test(tc, test_conversions);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return cor_test_run(polyline_suite());
}
