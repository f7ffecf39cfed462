/* SPDX-License-Identifier: MIT */
/* Unit tests for inset: the locator drawn from a plain spec into a box of a page, with its
 * neutral defaults (the main map's CRS, three times its area, nothing highlighted) and with a
 * highlight. The main map is a bare one with a CRS and an extent; the geodata are the shipped. */
#include <math.h>
#include <stdlib.h>

#include "locator.h"
#include "testutil.h"

#define W   300
#define H   200
#define BOX ((cor_bbox_t){150, 0, 300, 120})

typedef struct page {
    cor_map_t *map;
    cairo_surface_t *s;
    cor__render_t r;
} page_t;

/* A 300 x 200 pt page of a map of Belarus and around in EPSG:3035, white, its view set up. */
static page_t page_new(void)
{
    page_t p = {0};
    char *src = cor_test_src(".");
    ck_assert_int_eq(cor_map_new(&p.map, NULL), COR_OK);
    ck_assert_int_eq(cor_map_set_data_dir(p.map, src, NULL), COR_OK);
    ck_assert_int_eq(cor_map_set_crs(p.map, "EPSG:3035", NULL), COR_OK);
    ck_assert_int_eq(cor_map_set_extent(p.map, (cor_bbox_t){23, 51, 33, 56.5}, NULL), COR_OK);
    ck_assert_int_eq(cor_map_set_page(p.map, W, H, 72, NULL), COR_OK);
    p.s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    p.r = (cor__render_t){.map = p.map, .cr = cairo_create(p.s)};
    cairo_set_source_rgb(p.r.cr, 1, 1, 1);
    cairo_paint(p.r.cr);
    cor_error_t err = {0};
    ck_assert_msg(cor__view_setup(p.map, &p.r.v, &err) == COR_OK, "%s", err.message);
    free(src);
    return p;
}

static void page_free(page_t *p)
{
    cor__render_layer_finish(&p->r);
    cor__view_clear(&p->r.v);
    cairo_destroy(p->r.cr);
    cairo_surface_destroy(p->s);
    cor_map_free(p->map);
}

/* How many pixels of the box are within a small distance of colour c. */
static long count(cairo_surface_t *s, cor_bbox_t box, unsigned c)
{
    long n = 0;
    cairo_surface_flush(s);
    for (int y = (int)box.miny; y < (int)box.maxy; y++)
        for (int x = (int)box.minx; x < (int)box.maxx; x++) {
            unsigned p = cor_test_pixel(s, x, y);
            int d = 0;
            for (int k = 0; k < 24; k += 8)
                d += abs((int)((p >> k) & 255) - (int)((c >> k) & 255));
            n += d < 12;
        }
    return n;
}

/* How many pixels of the box are clearly red (the frame, antialiased over what is under it). */
static long reddish(cairo_surface_t *s, cor_bbox_t box)
{
    long n = 0;
    cairo_surface_flush(s);
    for (int y = (int)box.miny; y < (int)box.maxy; y++)
        for (int x = (int)box.minx; x < (int)box.maxx; x++) {
            unsigned p = cor_test_pixel(s, x, y);
            int r = (p >> 16) & 255, g = (p >> 8) & 255, b = p & 255;
            n += r > g + 40 && r > b + 40;
        }
    return n;
}

static const cor__locator_layer_t LAND = {"countries", false};
static const cor__locator_layer_t MARK = {"countries", true};

/* Grey land and a green highlight, easy to count. */
static void test_looks(cor__locator_spec_t *spec)
{
    spec->land = (cor__look_t){.opacity = 1, .fill_on = true, .fill = {0.5, 0.5, 0.5, 1}};
    spec->mark = (cor__look_t){.opacity = 1, .fill_on = true, .fill = {0, 1, 0, 1}};
}

START_TEST(bad_crs_is_an_error)
{
    page_t p = page_new();
    cor__locator_spec_t spec;
    cor__locator_spec_init(&spec);
    spec.crs = "EPSG:999999";
    cor_error_t err = {0};
    ck_assert_int_eq(cor__locator_draw(&p.r, &spec, BOX, &err), COR_ERR_CRS);
    ck_assert_int_eq(cor__locator_draw(&p.r, &spec, BOX, NULL), COR_ERR_CRS);
    ck_assert_int_eq(count(p.s, (cor_bbox_t){0, 0, W, H}, 0xFFFFFF), W * H); /* nothing drawn */
    page_free(&p);
}
END_TEST

START_TEST(neutral_defaults)
{
    page_t p = page_new();
    cor__locator_spec_t spec;
    cor__locator_spec_init(&spec);
    ck_assert_ptr_null(spec.crs);
    ck_assert(!spec.has_extent && spec.nlayers == 0 && spec.ncodes == 0);
    test_looks(&spec);
    spec.layers = &LAND;
    spec.nlayers = 1;
    cor_error_t err = {0};
    ck_assert_msg(cor__locator_draw(&p.r, &spec, BOX, &err) == COR_OK, "%s", err.message);
    /* only the box is drawn in: water, land and the red frame of the main map */
    ck_assert_int_eq(count(p.s, (cor_bbox_t){0, 0, 150, H}, 0xFFFFFF), 150 * H);
    ck_assert_int_eq(count(p.s, (cor_bbox_t){150, 120, W, H}, 0xFFFFFF), 150 * 80);
    ck_assert_int_gt(count(p.s, BOX, 0xD1E3F0), 100); /* water: 0.82, 0.89, 0.94 */
    ck_assert_int_gt(count(p.s, BOX, 0x808080), 1000);
    /* three times the main map: its frame is the middle third of the box's width (the box is
     * wider than the main page is, relative to their heights) */
    long left = reddish(p.s, (cor_bbox_t){195, 30, 205, 90}),
         right = reddish(p.s, (cor_bbox_t){245, 30, 255, 90}),
         elsewhere = reddish(p.s, (cor_bbox_t){150, 0, 190, 120}) +
                     reddish(p.s, (cor_bbox_t){260, 0, 300, 120});
    ck_assert_msg(left >= 30 && right >= 30 && elsewhere == 0, "%ld %ld %ld", left, right,
                  elsewhere);
    page_free(&p);
}
END_TEST

START_TEST(highlight_needs_codes)
{
    static const char *const by[] = {"BY"};
    cor__locator_layer_t layers[] = {LAND, MARK};
    cor__locator_spec_t spec;
    cor__locator_spec_init(&spec);
    test_looks(&spec);
    spec.layers = layers;
    spec.nlayers = 2;
    ck_assert_str_eq(spec.highlight_field, "iso_a2");
    page_t p = page_new(); /* no codes: the highlight layer is skipped */
    ck_assert_int_eq(cor__locator_draw(&p.r, &spec, BOX, NULL), COR_OK);
    ck_assert_int_eq(count(p.s, BOX, 0x00FF00), 0);
    page_free(&p);
    spec.codes = by;
    spec.ncodes = 1;
    p = page_new();
    ck_assert_int_eq(cor__locator_draw(&p.r, &spec, BOX, NULL), COR_OK);
    long green = count(p.s, BOX, 0x00FF00);
    ck_assert_msg(green > 300, "%ld", green); /* Belarus fills much of the main map's frame */
    page_free(&p);
    /* a spec crs and extent: all of Europe in lon/lat, Belarus is small */
    spec.crs = "EPSG:4326";
    spec.has_extent = true;
    spec.extent = (cor_bbox_t){-10, 34, 50, 66};
    p = page_new();
    ck_assert_int_eq(cor__locator_draw(&p.r, &spec, BOX, NULL), COR_OK);
    long small = count(p.s, BOX, 0x00FF00);
    ck_assert_msg(small > 10 && 2 * small < green, "%ld vs %ld", small, green);
    page_free(&p);
}
END_TEST

START_TEST(dry_run_draws_nothing)
{
    page_t p = page_new();
    cairo_t *cr = p.r.cr;
    p.r.cr = NULL;
    cor__locator_spec_t spec;
    cor__locator_spec_init(&spec);
    spec.crs = "EPSG:999999"; /* not even looked at */
    ck_assert_int_eq(cor__locator_draw(&p.r, &spec, BOX, NULL), COR_OK);
    p.r.cr = cr;
    page_free(&p);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("inset");
    TCase *fail = tcase_create("failures");
    tcase_add_test(fail, bad_crs_is_an_error);
    suite_add_tcase(s, fail);
    TCase *draw = tcase_create("drawing");
    tcase_add_test(draw, neutral_defaults);
    tcase_add_test(draw, highlight_needs_codes);
    tcase_add_test(draw, dry_run_draws_nothing);
    suite_add_tcase(s, draw);
    return s;
}

int main(void)
{
    return cor_test_run(suite());
}
