/* SPDX-License-Identifier: MIT */
/* Unit tests for view: fitting an area to the page, and cropping a style's extent to the page's
 * shape down to its focus (map{ focus = ... }). Boxes in CRS units, aspect = width / height. */
#include <math.h>

#include "testutil.h"
#include "view.h"

static void assert_box(cor_bbox_t b, double minx, double miny, double maxx, double maxy)
{
    ck_assert_msg(fabs(b.minx - minx) < 1e-9 && fabs(b.miny - miny) < 1e-9 &&
                      fabs(b.maxx - maxx) < 1e-9 && fabs(b.maxy - maxy) < 1e-9,
                  "got %g %g %g %g, expected %g %g %g %g", b.minx, b.miny, b.maxx, b.maxy, minx,
                  miny, maxx, maxy);
}

START_TEST(a_square_extent_on_a_portrait_page_is_cropped_across_to_its_focus)
{
    cor_bbox_t area = {0, 0, 100, 100}, keep = {20, 10, 70, 90};
    /* the page wants 70 wide; the focus is 50 wide: cropped to 70 around the centre */
    assert_box(cor__view_crop(area, keep, 0.7), 15, 0, 85, 100);
    /* the page wants 40 wide, narrower than the focus: cropped to the focus's 50 */
    assert_box(cor__view_crop(area, keep, 0.4), 20, 0, 70, 100);
}
END_TEST

START_TEST(an_off_centre_focus_moves_the_crop)
{
    cor_bbox_t area = {0, 0, 100, 100}, keep = {0, 0, 30, 100};
    assert_box(cor__view_crop(area, keep, 0.5), 0, 0, 50, 100);
    keep = (cor_bbox_t){80, 0, 100, 100};
    assert_box(cor__view_crop(area, keep, 0.5), 50, 0, 100, 100);
}
END_TEST

START_TEST(a_tall_extent_on_a_landscape_page_is_cropped_down)
{
    cor_bbox_t area = {0, 0, 100, 100}, keep = {10, 40, 90, 80};
    /* 50 tall around the centre (25..75) would cut the focus's top: moved up just enough */
    assert_box(cor__view_crop(area, keep, 2.0), 0, 30, 100, 80);
}
END_TEST

START_TEST(an_extent_of_the_page_shape_is_kept_whole)
{
    cor_bbox_t area = {0, 0, 160, 90}, keep = {50, 20, 60, 30};
    assert_box(cor__view_crop(area, keep, 16.0 / 9.0), 0, 0, 160, 90);
    /* and a focus as large as the extent never crops */
    assert_box(cor__view_crop(area, area, 0.5), 0, 0, 160, 90);
    /* a sliver is not cropped: a focus 99.5% of the extent's height */
    assert_box(cor__view_crop((cor_bbox_t){0, 0, 100, 100}, (cor_bbox_t){0, 0, 100, 99.5}, 2.0), 0,
               0, 100, 100);
    /* nothing to crop to: the area as it is */
    assert_box(cor__view_crop(area, keep, 0), 0, 0, 160, 90);
}
END_TEST

START_TEST(fit_widens_to_the_page)
{
    cor__view_t v = {.width = 200, .height = 100, .dpi = 72};
    cor__view_fit(&v, (cor_bbox_t){0, 0, 100, 100});
    assert_box(v.box, -50, 0, 150, 100);
    ck_assert_double_eq_tol(v.scale, 1.0, 1e-12);
}
END_TEST

static Suite *view_suite(void)
{
    Suite *s = suite_create("view");
    TCase *t = tcase_create("view");
    tcase_add_test(t, a_square_extent_on_a_portrait_page_is_cropped_across_to_its_focus);
    tcase_add_test(t, an_off_centre_focus_moves_the_crop);
    tcase_add_test(t, a_tall_extent_on_a_landscape_page_is_cropped_down);
    tcase_add_test(t, an_extent_of_the_page_shape_is_kept_whole);
    tcase_add_test(t, fit_widens_to_the_page);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return cor_test_run(view_suite());
}
