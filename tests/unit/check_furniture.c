/* SPDX-License-Identifier: MIT */
/* Tests for the furniture's layout: bad arguments, corner names, raw coordinates, corner
 * placement without overlaps on pages of every size, busy corners, obstacles for the labeler,
 * and the drawn text on images and in SVG. Failure cases first. A full set of furniture over a
 * plain background is written to $COR_TEST_BUILD (or /tmp) as furniture-sample.png (300 dpi),
 * furniture-small.png and furniture-a3.png for looking at. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "furniture.h"
#include "furniture_query.h"
#include "furniture_testutil.h"
#include "placement.h"
#include "testutil.h"
#include "util.h"

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
        /* the scale bar's piece is as tall as the north arrow: its bar is along the bottom, the
         * map shows above it */
        double y = i == COR__FPART_SCALEBAR ? b.maxy - 4 : (b.miny + b.maxy) / 2;
        ck_assert_int_eq(cor__labeler_add_area(lb, "X", (b.minx + b.maxx) / 2, y, &ts, 1, NULL),
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

START_TEST(test_north_arrow_entry)
{
    /* The north arrow is its own entry in the placement space, beside the scale bar's. */
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
    cor__space_t *sp = cor__labeler_space(lb);
    cor_bbox_t piece, bar = {0}, north = {0}, b;
    int nbar = 0, nnorth = 0;
    cor__kind_t kind;
    const char *text;
    ck_assert(cor__layout_box(l, COR__FPART_SCALEBAR, &piece, NULL));
    for (size_t i = 0; cor__space_entry(sp, i, &kind, &text, &b); i++) {
        if (kind == COR__KIND_SCALEBAR)
            bar = b, nbar++;
        if (kind == COR__KIND_NORTH_ARROW) {
            north = b, nnorth++;
            ck_assert_str_eq(text, "N");
        }
    }
    ck_assert_int_eq(nbar, 1);
    ck_assert_int_eq(nnorth, 1);
    ck_assert(bar.maxx <= north.minx + 1e-9); /* side by side, the arrow right of the bar */
    ck_assert(bar.minx >= piece.minx - 1e-9 && north.maxx <= piece.maxx + 1e-9);
    ck_assert(bar.maxy <= piece.maxy + 1e-9 && north.miny >= piece.miny - 1e-9);
    ck_assert(north.maxy - north.miny > 10); /* the arrow and its N */
    cor__layout_free(l);
    cor__labeler_free(lb);
    /* Without the arrow, the scale bar alone. */
    f.north_arrow = false;
    ck_assert_int_eq(cor__labeler_new(576, 432, &lb, NULL), COR_OK);
    ck_assert_int_eq(cor__furniture_layout(&f, &v.fr, s.entries, 5, &s.ov, NULL, 0, lb, &l, NULL),
                     COR_OK);
    sp = cor__labeler_space(lb);
    nbar = nnorth = 0;
    for (size_t i = 0; cor__space_entry(sp, i, &kind, &text, &b); i++)
        nbar += kind == COR__KIND_SCALEBAR, nnorth += kind == COR__KIND_NORTH_ARROW;
    ck_assert_int_eq(nbar, 1);
    ck_assert_int_eq(nnorth, 0);
    cor__layout_free(l);
    cor__labeler_free(lb);
    view_close(&v);
}
END_TEST

static Suite *furniture_suite(void)
{
    Suite *s = suite_create("furniture");
    TCase *fail = tcase_create("failures");
    tcase_add_test(fail, test_bad_arguments);
    tcase_add_test(fail, test_corner_parse);
    tcase_add_test(fail, test_no_crs);
    tcase_add_checked_fixture(fail, NULL, teardown);
    suite_add_tcase(s, fail);
    TCase *layout = tcase_create("layout");
    tcase_add_test(layout, test_layout_default);
    tcase_add_test(layout, test_layout_avoids_busy);
    tcase_add_test(layout, test_layout_obstacles);
    tcase_add_test(layout, test_north_arrow_entry);
    tcase_add_test(layout, test_layout_page_sizes);
    tcase_add_checked_fixture(layout, NULL, teardown);
    suite_add_tcase(s, layout);
    TCase *text = tcase_create("text");
    tcase_add_test(text, test_text_drawn);
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
