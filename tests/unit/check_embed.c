/* SPDX-License-Identifier: MIT */
/* Unit tests for the embedding API (render_to.c and map.c's additions): maps in memory, styles
 * and overlays from strings, the version, failure paths first. */
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
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return cor_test_run(embed_suite());
}
