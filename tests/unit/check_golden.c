/* SPDX-License-Identifier: MIT */
/* Golden-image tests: whole maps rendered through the public API and compared with reference
 * PNGs in tests/golden/<case>/expected.png, pixel by pixel with a tolerance. The font set is
 * pinned (FONTCONFIG_FILE, see tests/fonts.conf.in). On a mismatch the render and a diff image
 * (differing pixels in red over a faded render) are written beside the test's build directory;
 * a reference image is only ever replaced by hand, after looking at the new render. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "corridor.h"
#include "testutil.h"
#include "util.h"

#define CHANNEL_TOLERANCE 40     /* a pixel differs when a channel differs by more */
#define PIXEL_SHARE       0.0005 /* a case fails when more than this share of pixels differ */

typedef cor_status_t (*build_fn)(cor_map_t *map, cor_error_t *err);

static char *src(const char *rel)
{
    return cor_test_src(rel);
}

static cor_status_t load_style(cor_map_t *map, const char *rel, cor_error_t *err)
{
    char *path = src(rel);
    cor_status_t st = cor_map_load_style(map, path, err);
    free(path);
    return st;
}

static cor_status_t add_overlay(cor_map_t *map, const char *rel, cor_error_t *err)
{
    char *path = src(rel);
    cor_status_t st = cor_map_add_overlay(map, path, err);
    free(path);
    return st;
}

static cor_status_t build_default(cor_map_t *map, cor_error_t *err)
{
    cor_status_t st = load_style(map, "styles/default.lua", err);
    return st == COR_OK ? cor_map_set_size_px(map, 1200, 900, 150, err) : st;
}

static cor_status_t build_quicklook(cor_map_t *map, cor_error_t *err)
{
    char *rivers = src("geodata/rivers.shp"), *places = src("geodata/places.shp");
    cor_status_t st = cor_map_add_layer(map, rivers, err);
    if (st == COR_OK)
        st = cor_map_add_layer(map, places, err);
    if (st == COR_OK)
        st = cor_map_set_size_px(map, 800, 600, 100, err);
    free(rivers);
    free(places);
    return st;
}

static cor_status_t build_script(cor_map_t *map, cor_error_t *err)
{
    cor_status_t st = load_style(map, "tests/golden/script/style.lua", err);
    if (st == COR_OK)
        st = add_overlay(map, "tests/golden/script/overlay.lua", err);
    return st == COR_OK ? cor_map_set_size_px(map, 1000, 750, 150, err) : st;
}

static cor_status_t build_geojson(cor_map_t *map, cor_error_t *err)
{
    cor_status_t st = load_style(map, "tests/golden/geojson/style.lua", err);
    if (st == COR_OK)
        st = add_overlay(map, "tests/fixtures/geojson/vilnius_klaipeda.geojson", err);
    return st == COR_OK ? cor_map_set_size_px(map, 1000, 750, 150, err) : st;
}

/* A campaign map from a spreadsheet: bands of varying width, on a flow_scale. */
static cor_status_t build_campaign(cor_map_t *map, cor_error_t *err)
{
    cor_status_t st = load_style(map, "tests/fixtures/campaign/style.lua", err);
    if (st == COR_OK)
        st = add_overlay(map, "tests/fixtures/campaign/overlay.lua", err);
    return st == COR_OK ? cor_map_set_size_px(map, 1000, 750, 150, err) : st;
}

/* Where a case's actual and diff images go. */
static char *out_path(const char *name, const char *file)
{
    const char *root = getenv("COR_TEST_BUILD");
    char *dir = cor__asprintf("%s/golden-out", root ? root : "/tmp");
    mkdir(dir, 0755);
    char *path = cor__asprintf("%s/%s-%s", dir, name, file);
    free(dir);
    return path;
}

static void render_case(const char *name, build_fn build, const char *file, cor_format_t fmt)
{
    cor_map_t *map = NULL;
    cor_error_t err = {0};
    ck_assert_int_eq(cor_map_new(&map, &err), COR_OK);
    char *data = src(".");
    ck_assert_int_eq(cor_map_set_data_dir(map, data, &err), COR_OK);
    ck_assert_msg(build(map, &err) == COR_OK, "%s: %s", name, err.message);
    ck_assert_msg(cor_map_render_file(map, file, fmt, &err) == COR_OK, "%s: %s", name, err.message);
    cor_map_free(map);
    free(data);
}

static const uint32_t *pixel_row(cairo_surface_t *s, int y)
{
    return (const uint32_t *)(cairo_image_surface_get_data(s) +
                              (size_t)y * (size_t)cairo_image_surface_get_stride(s));
}

static int channel_diff(uint32_t a, uint32_t b)
{
    int worst = 0;
    for (int shift = 0; shift < 32; shift += 8) {
        int d = abs((int)((a >> shift) & 255) - (int)((b >> shift) & 255));
        worst = d > worst ? d : worst;
    }
    return worst;
}

/* Counts differing pixels; writes a diff image when `diff_path` is not NULL. */
static long compare(cairo_surface_t *want, cairo_surface_t *got, const char *diff_path)
{
    int w = cairo_image_surface_get_width(want), h = cairo_image_surface_get_height(want);
    cairo_surface_t *diff = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    uint32_t *d = (uint32_t *)cairo_image_surface_get_data(diff);
    int dstride = cairo_image_surface_get_stride(diff) / 4;
    long bad = 0;
    cairo_surface_flush(want);
    cairo_surface_flush(got);
    for (int y = 0; y < h; y++) {
        const uint32_t *a = pixel_row(want, y), *b = pixel_row(got, y);
        for (int x = 0; x < w; x++) {
            bool differs = channel_diff(a[x], b[x]) > CHANNEL_TOLERANCE;
            uint32_t faded = 0xFF000000u | (((b[x] >> 2) & 0x3F3F3F) + 0xA0A0A0);
            d[y * dstride + x] = differs ? 0xFFFF0000u : faded;
            bad += differs;
        }
    }
    cairo_surface_mark_dirty(diff);
    if (bad && diff_path)
        cairo_surface_write_to_png(diff, diff_path);
    cairo_surface_destroy(diff);
    return bad;
}

/* Renders a case as PNG and compares it with its reference image. */
static void golden(const char *name, build_fn build)
{
    char *rel = cor__asprintf("tests/golden/%s/expected.png", name);
    char *expected = src(rel), *actual = out_path(name, "actual.png"),
         *diff = out_path(name, "diff.png");
    render_case(name, build, actual, COR_FORMAT_PNG);
    cairo_surface_t *want = cairo_image_surface_create_from_png(expected);
    cairo_surface_t *got = cairo_image_surface_create_from_png(actual);
    ck_assert_msg(cairo_surface_status(want) == CAIRO_STATUS_SUCCESS,
                  "%s: no reference image at %s; look at %s and, if it is right, copy it there",
                  name, expected, actual);
    ck_assert_int_eq(cairo_surface_status(got), CAIRO_STATUS_SUCCESS);
    ck_assert_int_eq(cairo_image_surface_get_width(got), cairo_image_surface_get_width(want));
    ck_assert_int_eq(cairo_image_surface_get_height(got), cairo_image_surface_get_height(want));
    long bad = compare(want, got, diff);
    long total = (long)cairo_image_surface_get_width(want) * cairo_image_surface_get_height(want);
    ck_assert_msg(bad <= PIXEL_SHARE * total, "%s: %ld of %ld pixels differ from %s; see %s and %s",
                  name, bad, total, expected, actual, diff);
    cairo_surface_destroy(want);
    cairo_surface_destroy(got);
    free(rel);
    free(expected);
    free(actual);
    free(diff);
}

START_TEST(default_map)
{
    golden("default", build_default);
}
END_TEST

START_TEST(quick_look)
{
    golden("quicklook", build_quicklook);
}
END_TEST

START_TEST(user_script)
{
    golden("script", build_script);
}
END_TEST

START_TEST(geojson_overlay)
{
    golden("geojson", build_geojson);
}
END_TEST

START_TEST(campaign_bands)
{
    golden("campaign", build_campaign);
}
END_TEST

/* The PDF, rasterised by poppler at the PNG's resolution, agrees with the PNG: one drawing code
 * for both. Text is antialiased by different rasterisers, hence the looser tolerance. */
START_TEST(pdf_agrees_with_png)
{
    char *png = out_path("agree", "map.png"), *pdf = out_path("agree", "map.pdf"),
         *stem = out_path("agree", "pdf"), *raster = cor__asprintf("%s.png", stem);
    render_case("agree", build_script, png, COR_FORMAT_PNG);
    render_case("agree", build_script, pdf, COR_FORMAT_PDF);
    char *cmd = cor__asprintf("pdftoppm -r 150 -png -singlefile '%s' '%s'", pdf, stem);
    ck_assert_msg(system(cmd) == 0, "pdftoppm failed (poppler-utils is needed): %s", cmd);
    cairo_surface_t *a = cairo_image_surface_create_from_png(png);
    cairo_surface_t *b = cairo_image_surface_create_from_png(raster);
    ck_assert_int_eq(cairo_surface_status(b), CAIRO_STATUS_SUCCESS);
    ck_assert_int_eq(cairo_image_surface_get_width(a), cairo_image_surface_get_width(b));
    ck_assert_int_eq(cairo_image_surface_get_height(a), cairo_image_surface_get_height(b));
    char *diff = out_path("agree", "diff.png");
    long bad = compare(a, b, diff);
    long total = (long)cairo_image_surface_get_width(a) * cairo_image_surface_get_height(a);
    ck_assert_msg(bad <= 0.02 * total, "PDF and PNG differ in %ld of %ld pixels; see %s", bad,
                  total, diff);
    cairo_surface_destroy(a);
    cairo_surface_destroy(b);
    free(diff);
    free(cmd);
    free(raster);
    free(stem);
    free(pdf);
    free(png);
}
END_TEST

static Suite *golden_suite(void)
{
    Suite *s = suite_create("golden");
    TCase *t = tcase_create("golden");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, default_map);
    tcase_add_test(t, quick_look);
    tcase_add_test(t, user_script);
    tcase_add_test(t, geojson_overlay);
    tcase_add_test(t, campaign_bands);
    tcase_add_test(t, pdf_agrees_with_png);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return cor_test_run(golden_suite());
}
