/* SPDX-License-Identifier: MIT */
/* Unit tests for the embedding API (render_to.c and map.c's additions): maps in memory, styles
 * and overlays from strings, the version, failure paths first. */
#include <math.h>
#include <shapefil.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corridor.h"
#include "files.h"
#include "testutil.h"
#include "util.h"

#define SMALL_STYLE                                                                                \
    "map { crs = 'EPSG:3035', extent = { 20, 50, 30, 57 }, size = '300x200', dpi = 72,\n"          \
    "      title = 'Small map' }\n"                                                                \
    "layer { source = 'countries', fill = '#e0d8c0', stroke = '#555555', width = 0.5 }\n"

static cor_map_t *new_map(void)
{
    cor_map_t *map = NULL;
    cor_error_t err = {0};
    char *data = cor_test_src(".");
    ck_assert_int_eq(cor_map_new(&map, &err), COR_OK);
    ck_assert_int_eq(cor_map_set_data_dir(map, data, &err), COR_OK);
    free(data);
    return map;
}

static cor_map_t *small_map(void)
{
    cor_map_t *map = new_map();
    cor_error_t err = {0};
    ck_assert_msg(cor_map_load_style_string(map, "small.lua", SMALL_STYLE, strlen(SMALL_STYLE),
                                            &err) == COR_OK,
                  "%s", err.message);
    return map;
}

static char *slurp(const char *path, size_t *len)
{
    char *data = NULL;
    cor_error_t err = {0};
    ck_assert_int_eq(cor__read_file(path, 64u << 20, &data, len, &err), COR_OK);
    return data;
}

/* ---- the version ---- */

START_TEST(the_version_macros_and_call_agree)
{
    char v[64];
    snprintf(v, sizeof v, "%d.%d.%d", COR_VERSION_MAJOR, COR_VERSION_MINOR, COR_VERSION_PATCH);
    ck_assert_str_eq(v, COR_VERSION);
    ck_assert_str_eq(cor_version(), COR_VERSION);
}
END_TEST

/* ---- maps in memory ---- */

START_TEST(a_buffer_needs_pointers_and_a_format)
{
    cor_map_t *map = small_map();
    cor_error_t err = {0};
    void *data = (void *)&err;
    size_t len = 7;
    ck_assert_int_eq(cor_map_render_buffer(map, COR_FORMAT_AUTO, &data, &len, &err), COR_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "format"));
    ck_assert_ptr_eq(data, &err); /* untouched on failure */
    ck_assert_uint_eq(len, 7);
    ck_assert_int_eq(cor_map_render_buffer(map, COR_FORMAT_PNG, NULL, &len, NULL), COR_ERR_USAGE);
    ck_assert_int_eq(cor_map_render_buffer(NULL, COR_FORMAT_PNG, &data, &len, NULL), COR_ERR_USAGE);
    cor_buffer_free(NULL);
    cor_map_free(map);
}
END_TEST

START_TEST(a_failing_render_gives_no_buffer)
{
    cor_map_t *map = NULL;
    cor_error_t err = {0};
    void *data = NULL;
    size_t len = 0;
    ck_assert_int_eq(cor_map_new(&map, &err), COR_OK);
    ck_assert_int_eq(cor_map_render_buffer(map, COR_FORMAT_SVG, &data, &len, &err),
                     COR_ERR_USAGE); /* nothing to draw */
    ck_assert_ptr_null(data);
    ck_assert_int_eq(cor_map_set_page(map, 14000, 14000, 2400, &err), COR_OK);
    ck_assert_int_eq(cor_map_render_buffer(map, COR_FORMAT_PNG, &data, &len, NULL), COR_ERR_LIMIT);
    ck_assert_ptr_null(data);
    cor_map_free(map);
}
END_TEST

START_TEST(a_buffer_holds_the_bytes_of_the_file)
{
    static const cor_format_t formats[] = {COR_FORMAT_PNG, COR_FORMAT_SVG, COR_FORMAT_PDF};
    static const char *names[] = {"m.png", "m.svg", "m.pdf"};
    char *dir = cor_test_tmpdir("embed-buffer");
    cor_map_t *map = small_map();
    for (size_t i = 0; i < 3; i++) {
        cor_error_t err = {0};
        void *data = NULL;
        size_t len = 0, flen = 0;
        char *path = cor__path_join(dir, names[i]);
        ck_assert_msg(cor_map_render_buffer(map, formats[i], &data, &len, &err) == COR_OK, "%s",
                      err.message);
        ck_assert_int_eq(cor_map_render_file(map, path, formats[i], &err), COR_OK);
        char *file = slurp(path, &flen);
        ck_assert_uint_gt(len, 100);
        ck_assert_uint_eq(len, flen);
        ck_assert_msg(memcmp(data, file, len) == 0, "%s: buffer and file differ", names[i]);
        cor_buffer_free(data);
        free(file);
        free(path);
    }
    cor_map_free(map);
    free(dir);
}
END_TEST

/* ---- styles and overlays from strings ---- */

START_TEST(a_style_string_needs_a_name_and_text)
{
    cor_map_t *map = new_map();
    cor_error_t err = {0};
    ck_assert_int_eq(cor_map_load_style_string(map, "", "map{}", 5, &err), COR_ERR_USAGE);
    ck_assert_int_eq(cor_map_load_style_string(map, NULL, "map{}", 5, NULL), COR_ERR_USAGE);
    ck_assert_int_eq(cor_map_load_style_string(map, "x", NULL, 0, NULL), COR_ERR_USAGE);
    ck_assert_int_eq(cor_map_load_style_string(NULL, "x", "", 0, NULL), COR_ERR_USAGE);
    cor_map_free(map);
}
END_TEST

START_TEST(errors_in_a_style_string_carry_its_name_and_line)
{
    static const char text[] = "map { size = '100x100' }\nlayer { source = 'countries', "
                               "fill = function(f) return 42 end }\nlocal x = = 1\n";
    cor_map_t *map = new_map();
    cor_error_t err = {0};
    ck_assert_int_eq(cor_map_load_style_string(map, "report-style", text, sizeof text - 1, &err),
                     COR_ERR_STYLE);
    ck_assert_msg(strncmp(err.message, "report-style:3:", 15) == 0, "%s", err.message);
    /* the text need not end in NUL: only len bytes are read */
    cor_error_clear(&err);
    ck_assert_int_eq(cor_map_load_style_string(map, "cut", text, 24, &err), COR_OK);
    ck_assert(cor_map_is_style(map));
    ck_assert_int_eq(cor_map_load_style_string(map, "again", text, 24, &err), COR_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "already loaded"));
    cor_map_free(map);
}
END_TEST

START_TEST(a_style_string_renders_as_its_file_does)
{
    char *dir = cor_test_tmpdir("embed-style");
    char *style = cor__path_join(dir, "small.lua"), *a = cor__path_join(dir, "a.svg"),
         *b = cor__path_join(dir, "b.svg");
    cor_test_write(style, SMALL_STYLE, strlen(SMALL_STYLE));
    cor_map_t *m1 = new_map(), *m2 = small_map();
    cor_error_t err = {0};
    ck_assert_int_eq(cor_map_load_style(m1, style, &err), COR_OK);
    ck_assert_int_eq(cor_map_render_file(m1, a, COR_FORMAT_AUTO, &err), COR_OK);
    ck_assert_int_eq(cor_map_render_file(m2, b, COR_FORMAT_AUTO, &err), COR_OK);
    size_t la, lb;
    char *da = slurp(a, &la), *db = slurp(b, &lb);
    ck_assert_uint_eq(la, lb);
    ck_assert(memcmp(da, db, la) == 0);
    free(da), free(db), free(a), free(b), free(style), free(dir);
    cor_map_free(m1);
    cor_map_free(m2);
}
END_TEST

START_TEST(overlay_strings_are_lua_or_geojson)
{
    static const char lua[] = "marker { at = { 25.3, 54.7 }, label = 'From a string' }";
    static const char json[] = "  \n{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", "
                               "\"coordinates\": [24, 55]},"
                               " \"properties\": {\"title\": \"From JSON\"}}";
    static const char bad_json[] = "{\"type\": \"Feature\"";
    cor_map_t *map = small_map();
    cor_error_t err = {0};
    ck_assert_int_eq(cor_map_add_overlay_string(map, "", lua, sizeof lua - 1, &err), COR_ERR_USAGE);
    cor_error_clear(&err);
    ck_assert_int_eq(
        cor_map_add_overlay_string(map, "bad.geojson", bad_json, sizeof bad_json - 1, &err),
        COR_ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.message, "bad.geojson"));
    cor_error_clear(&err);
    ck_assert_int_eq(cor_map_add_overlay_string(map, "o.lua", "marker { at = }", 15, &err),
                     COR_ERR_STYLE);
    ck_assert_ptr_nonnull(strstr(err.message, "o.lua:1"));
    cor_error_clear(&err);
    ck_assert_int_eq(cor_map_add_overlay_string(map, "o.lua", lua, sizeof lua - 1, &err), COR_OK);
    ck_assert_int_eq(cor_map_add_overlay_string(map, "p.json", json, sizeof json - 1, &err),
                     COR_OK);
    void *svg = NULL;
    size_t len = 0;
    ck_assert_int_eq(cor_map_render_buffer(map, COR_FORMAT_SVG, &svg, &len, &err), COR_OK);
    ck_assert_ptr_nonnull(strstr(svg, "From a string"));
    ck_assert_ptr_nonnull(strstr(svg, "From JSON"));
    cor_buffer_free(svg);
    cor_map_free(map);
}
END_TEST

/* ---- a map built from C ---- */

START_TEST(setters_refuse_a_null_map_and_unknown_places)
{
    cor_error_t err = {0};
    ck_assert_int_eq(cor_map_set_title(NULL, "x", &err), COR_ERR_USAGE);
    ck_assert_int_eq(cor_map_set_subtitle(NULL, "x", NULL), COR_ERR_USAGE);
    ck_assert_int_eq(cor_map_set_credits(NULL, "x", NULL), COR_ERR_USAGE);
    ck_assert_int_eq(cor_map_set_legend(NULL, "auto", NULL), COR_ERR_USAGE);
    cor_map_t *map = small_map();
    cor_error_clear(&err);
    ck_assert_int_eq(cor_map_set_legend(map, "middle", &err), COR_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "'middle' is not a place"));
    ck_assert_int_eq(cor_map_set_legend(map, NULL, NULL), COR_ERR_USAGE);
    cor_map_free(map);
}
END_TEST

/* The SVG of `map`, as a string to free. */
static char *svg_of(cor_map_t *map)
{
    void *data = NULL;
    size_t len = 0;
    cor_error_t err = {0};
    ck_assert_msg(cor_map_render_buffer(map, COR_FORMAT_SVG, &data, &len, &err) == COR_OK, "%s",
                  err.message);
    return data;
}

START_TEST(title_subtitle_credits_and_legend_from_c)
{
    cor_map_t *map = small_map();
    cor_error_t err = {0};
    const char *look[] = {"fill", "#88aa44", "legend", "Countries of the report", NULL};
    ck_assert_int_eq(cor_map_add_styled_layer(map, "../no/such.shp", NULL, &err), COR_ERR_IO);
    char *path = cor_test_src("geodata/countries.shp");
    ck_assert_int_eq(cor_map_add_styled_layer(map, path, look, &err), COR_OK);
    ck_assert_int_eq(cor_map_set_title(map, "Report title", &err), COR_OK);
    ck_assert_int_eq(cor_map_set_subtitle(map, "A subtitle from C", &err), COR_OK);
    ck_assert_int_eq(cor_map_set_credits(map, "Credits from C", &err), COR_OK);
    char *svg = svg_of(map);
    ck_assert_ptr_nonnull(strstr(svg, "Report title"));
    ck_assert_ptr_null(strstr(svg, "Small map"));
    ck_assert_ptr_nonnull(strstr(svg, "A subtitle from C"));
    ck_assert_ptr_nonnull(strstr(svg, "Credits from C"));
    ck_assert_ptr_nonnull(strstr(svg, "Countries of the report"));
    free(svg);
    ck_assert_int_eq(cor_map_set_title(map, NULL, &err), COR_OK);
    ck_assert_int_eq(cor_map_set_legend(map, "none", &err), COR_OK);
    svg = svg_of(map);
    ck_assert_ptr_null(strstr(svg, "Report title"));
    ck_assert_ptr_null(strstr(svg, "Countries of the report"));
    free(svg);
    free(path);
    cor_map_free(map);
}
END_TEST

START_TEST(a_bad_look_adds_nothing)
{
    char *path = cor_test_src("geodata/lakes.shp");
    cor_map_t *map = NULL;
    cor_error_t err = {0};
    ck_assert_int_eq(cor_map_new(&map, &err), COR_OK);
    const char *unknown[] = {"fil", "#ff0000", NULL};
    ck_assert_int_eq(cor_map_add_styled_layer(map, path, unknown, &err), COR_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "'fil' is not a layer key"));
    const char *odd[] = {"fill", NULL};
    cor_error_clear(&err);
    ck_assert_int_eq(cor_map_add_styled_layer(map, path, odd, &err), COR_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "has no value"));
    const char *wide[] = {"fill", "blue", "width", "200", NULL};
    cor_error_clear(&err);
    ck_assert_int_eq(cor_map_add_styled_layer(map, path, wide, &err), COR_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "width"));
    const char *colour[] = {"stroke", "blu", NULL};
    ck_assert_int_eq(cor_map_add_styled_layer(map, path, colour, NULL), COR_ERR_USAGE);
    ck_assert_int_eq(cor_map_add_styled_layer(NULL, path, NULL, NULL), COR_ERR_USAGE);
    void *data = NULL;
    size_t len = 0;
    cor_error_clear(&err);
    ck_assert_int_eq(cor_map_render_buffer(map, COR_FORMAT_PNG, &data, &len, &err),
                     COR_ERR_USAGE); /* no layer was added */
    ck_assert_ptr_nonnull(strstr(err.message, "nothing to draw"));
    free(path);
    cor_map_free(map);
}
END_TEST

/* A lon/lat square of half-size r around (cx, cy). */
static char *square(const char *dir, double cx, double cy, double r)
{
    char *path = cor__path_join(dir, "square.shp");
    cor_test_shp_t *t = cor_test_shp_new(path, SHPT_POLYGON);
    double xy[] = {cx - r, cy - r, cx - r, cy + r, cx + r, cy + r, cx + r, cy - r, cx - r, cy - r};
    cor_test_shp_add(t, xy, 5, "square", 1);
    cor_test_shp_close(t, NULL);
    return path;
}

START_TEST(the_page_transform_finds_where_the_map_draws)
{
    cor_page_transform_t *t = NULL;
    cor_error_t err = {0};
    cor_map_t *empty = NULL;
    ck_assert_int_eq(cor_map_new(&empty, &err), COR_OK);
    ck_assert_int_eq(cor_map_page_transform(empty, &t, &err), COR_ERR_USAGE);
    ck_assert_ptr_null(t);
    ck_assert_int_eq(cor_map_page_transform(NULL, &t, NULL), COR_ERR_USAGE);
    ck_assert(!cor_page_transform_to_page(NULL, 25, 54, NULL, NULL));
    cor_page_transform_free(NULL);
    cor_map_free(empty);

    char *dir = cor_test_tmpdir("embed-transform");
    char *shp = square(dir, 26.0, 55.5, 0.4);
    cor_map_t *map = small_map();
    const char *look[] = {"fill", "#ff0000", "stroke", "none", NULL};
    ck_assert_int_eq(cor_map_add_styled_layer(map, shp, look, &err), COR_OK);
    ck_assert_int_eq(cor_map_set_legend(map, "none", &err), COR_OK);
    ck_assert_msg(cor_map_page_transform(map, &t, &err) == COR_OK, "%s", err.message);
    double x, y, lon, lat;
    ck_assert(cor_page_transform_to_page(t, 26.0, 55.5, &x, &y));
    ck_assert(x > 0 && x < 300 && y > 0 && y < 200);
    ck_assert(cor_page_transform_to_lonlat(t, x, y, &lon, &lat));
    ck_assert_double_eq_tol(lon, 26.0, 1e-7);
    ck_assert_double_eq_tol(lat, 55.5, 1e-7);
    /* the square's middle is red in the PNG (300 x 200 px at 72 dpi: pixels are points) */
    char *png = cor__path_join(dir, "t.png");
    ck_assert_int_eq(cor_map_render_file(map, png, COR_FORMAT_AUTO, &err), COR_OK);
    cairo_surface_t *s = cairo_image_surface_create_from_png(png);
    ck_assert_uint_eq(cor_test_pixel(s, (int)x, (int)y) & 0xFFFFFF, 0xFF0000);
    ck_assert(cor_page_transform_to_page(t, 26.9, 55.5, &x, &y));
    ck_assert_uint_ne(cor_test_pixel(s, (int)x, (int)y) & 0xFFFFFF, 0xFF0000);
    cairo_surface_destroy(s);
    cor_page_transform_free(t);
    cor_map_free(map);
    free(png), free(shp), free(dir);
}
END_TEST

/* ---- atlases ---- */

/* Three lon/lat squares named west, middle, east along 54 N. */
static char *three_squares(const char *dir)
{
    char *path = cor__path_join(dir, "three.shp");
    cor_test_shp_t *t = cor_test_shp_new(path, SHPT_POLYGON);
    const char *names[] = {"west", "middle", "east"};
    for (int i = 0; i < 3; i++) {
        double cx = 22 + 4 * i, cy = 54, r = 0.5;
        double xy[] = {cx - r, cy - r, cx - r, cy + r, cx + r,
                       cy + r, cx + r, cy - r, cx - r, cy - r};
        cor_test_shp_add(t, xy, 5, names[i], i);
    }
    cor_test_shp_close(t, COR_TEST_PRJ_WGS84);
    return path;
}

START_TEST(features_are_listed_with_their_extents)
{
    char *dir = cor_test_tmpdir("embed-features");
    char *shp = three_squares(dir);
    cor_map_t *map = new_map();
    cor_feature_list_t *list = NULL;
    cor_error_t err = {0};
    ck_assert_int_eq(cor_map_list_features(map, shp, "nmae", NULL, NULL, &list, &err),
                     COR_ERR_NOTFOUND);
    ck_assert_msg(strstr(err.message, "no field 'nmae' (it has name") != NULL, "%s", err.message);
    ck_assert_ptr_null(list);
    ck_assert_int_eq(cor_map_list_features(map, "no_such_layer", NULL, NULL, NULL, &list, NULL),
                     COR_ERR_NOTFOUND);
    ck_assert_int_eq(cor_map_list_features(map, shp, NULL, "name", NULL, &list, NULL),
                     COR_ERR_USAGE);
    cor_error_clear(&err);
    ck_assert_int_eq(cor_map_list_features(map, shp, NULL, NULL, NULL, &list, &err), COR_OK);
    ck_assert_uint_eq(list->n, 3);
    ck_assert_str_eq(list->items[1].name, "middle");
    ck_assert(list->items[1].has_extent);
    ck_assert_double_eq_tol(list->items[1].extent.minx, 25.5, 1e-9);
    ck_assert_double_eq_tol(list->items[1].extent.maxy, 54.5, 1e-9);
    cor_feature_list_free(list);
    ck_assert_int_eq(cor_map_list_features(map, shp, NULL, "name", "east", &list, &err), COR_OK);
    ck_assert_uint_eq(list->n, 1);
    ck_assert_int_eq(list->items[0].index, 2);
    cor_feature_list_free(list);
    cor_feature_list_free(NULL);
    cor_map_free(map);
    free(shp), free(dir);
}
END_TEST

START_TEST(an_atlas_page_zooms_highlights_and_titles)
{
    char *dir = cor_test_tmpdir("embed-atlas");
    char *shp = three_squares(dir);
    char *style = cor__asprintf(
        "map { crs = 'EPSG:3035', size = '300x200', dpi = 72, title = 'Page {name}',"
        " legend = false, scalebar = false, graticule = false }\n"
        "layer { source = '%s', stroke = false,"
        " fill = function(f) return (atlas and f.name == atlas.name) and '#ff0000' or "
        "'#0000ff' end }\n",
        shp);
    cor_map_t *map = new_map();
    cor_error_t err = {0};
    ck_assert_int_eq(cor_map_load_style_string(map, "atlas.lua", style, strlen(style), &err),
                     COR_OK);
    ck_assert_int_eq(cor_map_set_atlas_feature(map, shp, 7, 0.1, &err), COR_ERR_NOTFOUND);
    ck_assert_ptr_nonnull(strstr(err.message, "no feature 7"));
    ck_assert_int_eq(cor_map_set_atlas_feature(map, shp, 0, -1, NULL), COR_ERR_USAGE);
    ck_assert_int_eq(cor_map_set_atlas_feature(NULL, shp, 0, 0.1, NULL), COR_ERR_USAGE);
    for (long i = 0; i < 3; i++) {
        cor_page_transform_t *t = NULL;
        double x, y, ox, oy;
        cor_error_clear(&err);
        ck_assert_msg(cor_map_set_atlas_feature(map, shp, i, 0.1, &err) == COR_OK, "%s",
                      err.message);
        ck_assert_int_eq(cor_map_page_transform(map, &t, &err), COR_OK);
        ck_assert(cor_page_transform_to_page(t, 22 + 4 * i, 54, &x, &y));
        ck_assert(fabs(x - 150) < 2 && fabs(y - 100) < 2); /* the feature is in the middle */
        ck_assert(cor_page_transform_to_page(t, 22 + 4 * i + 4, 54, &ox, &oy));
        ck_assert(ox > 300); /* and its neighbour off the page */
        cor_page_transform_free(t);
        void *png = NULL;
        size_t len = 0;
        ck_assert_int_eq(cor_map_render_buffer(map, COR_FORMAT_PNG, &png, &len, &err), COR_OK);
        char *path = cor__path_join(dir, "page.png");
        cor_test_write(path, png, len);
        cairo_surface_t *s = cairo_image_surface_create_from_png(path);
        ck_assert_uint_eq(cor_test_pixel(s, 150, 110) & 0xFFFFFF, 0xFF0000);
        cairo_surface_destroy(s);
        cor_buffer_free(png);
        free(path);
        void *svg = NULL;
        ck_assert_int_eq(cor_map_render_buffer(map, COR_FORMAT_SVG, &svg, &len, &err), COR_OK);
        const char *want[] = {">Page west<", ">Page middle<", ">Page east<"};
        ck_assert_msg(strstr(svg, want[i]) != NULL, "no %s", want[i]);
        cor_buffer_free(svg);
    }
    cor_map_free(map);
    free(style), free(shp), free(dir);
}
END_TEST

static Suite *embed_suite(void)
{
    Suite *s = suite_create("embed");
    TCase *t = tcase_create("embed");
    tcase_add_test(t, the_version_macros_and_call_agree);
    tcase_add_test(t, a_buffer_needs_pointers_and_a_format);
    tcase_add_test(t, a_failing_render_gives_no_buffer);
    tcase_add_test(t, a_buffer_holds_the_bytes_of_the_file);
    tcase_add_test(t, a_style_string_needs_a_name_and_text);
    tcase_add_test(t, errors_in_a_style_string_carry_its_name_and_line);
    tcase_add_test(t, a_style_string_renders_as_its_file_does);
    tcase_add_test(t, overlay_strings_are_lua_or_geojson);
    tcase_add_test(t, setters_refuse_a_null_map_and_unknown_places);
    tcase_add_test(t, title_subtitle_credits_and_legend_from_c);
    tcase_add_test(t, a_bad_look_adds_nothing);
    tcase_add_test(t, the_page_transform_finds_where_the_map_draws);
    tcase_add_test(t, features_are_listed_with_their_extents);
    tcase_add_test(t, an_atlas_page_zooms_highlights_and_titles);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return cor_test_run(embed_suite());
}
