/* SPDX-License-Identifier: MIT */
/* Unit tests for map: the render pipeline end to end through the public API, on small
 * shapefiles written by the test: fitting, CRSs, filters, passes, errors, atomic output. */
#include <dirent.h>
#include <json-c/json.h>
#include <math.h>
#include <shapefil.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "corridor.h"
#include "files.h"
#include "render_query.h"
#include "testutil.h"
#include "util.h"

static char *tmp;

static void setup(void)
{
    tmp = cor_test_tmpdir("map");
}

static void teardown(void)
{
    free(tmp);
}

static char *in_tmp(const char *name)
{
    return cor__path_join(tmp, name);
}

/* A square polygon layer around (cx, cy) of half-size r, in lon/lat with a .prj. */
static char *square_layer(const char *name, double cx, double cy, double r, const char *prj)
{
    char *path = in_tmp(name);
    cor_test_shp_t *t = cor_test_shp_new(path, SHPT_POLYGON);
    double xy[] = {cx - r, cy - r, cx - r, cy + r, cx + r, cy + r, cx + r, cy - r, cx - r, cy - r};
    cor_test_shp_add(t, xy, 5, "square", 1);
    cor_test_shp_close(t, prj);
    return path;
}

static char *write_style(const char *name, const char *text)
{
    char *path = in_tmp(name);
    cor_test_write(path, text, strlen(text));
    return path;
}

static cor_map_t *new_map(void)
{
    cor_map_t *map = NULL;
    cor_error_t err = {0};
    ck_assert_int_eq(cor_map_new(&map, &err), COR_OK);
    return map;
}

static cairo_surface_t *render_png(cor_map_t *map, const char *name)
{
    char *out = in_tmp(name);
    cor_error_t err = {0};
    cor_status_t st = cor_map_render_file(map, out, COR_FORMAT_AUTO, &err);
    ck_assert_msg(st == COR_OK, "render failed: %s", err.message);
    cairo_surface_t *s = cairo_image_surface_create_from_png(out);
    ck_assert_int_eq(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    free(out);
    return s;
}

static size_t files_in(const char *dir)
{
    size_t n = 0;
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    for (struct dirent *e; (e = readdir(d));)
        n += e->d_name[0] != '.' || (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."));
    closedir(d);
    return n;
}

/* ---- failures first ---- */

START_TEST(nothing_to_draw)
{
    cor_map_t *map = new_map();
    cor_error_t err = {0};
    char *out = in_tmp("empty.png");
    ck_assert_int_eq(cor_map_render_file(map, out, COR_FORMAT_AUTO, &err), COR_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "nothing to draw"));
    ck_assert(!cor__is_file(out));
    free(out);
    cor_map_free(map);
}
END_TEST

START_TEST(unknown_extension)
{
    cor_map_t *map = new_map();
    cor_error_t err = {0};
    char *layer = square_layer("sq.shp", 10, 50, 1, NULL);
    ck_assert_int_eq(cor_map_add_layer(map, layer, &err), COR_OK);
    ck_assert_int_eq(cor_map_render_file(map, "map.jpeg", COR_FORMAT_AUTO, &err), COR_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "map.jpeg"));
    free(layer);
    cor_map_free(map);
}
END_TEST

START_TEST(missing_layer_fails_at_add)
{
    cor_map_t *map = new_map();
    cor_error_t err = {0};
    char *layer = in_tmp("nope.shp");
    ck_assert_int_eq(cor_map_add_layer(map, layer, &err), COR_ERR_IO);
    ck_assert_ptr_nonnull(strstr(err.message, "nope"));
    free(layer);
    cor_map_free(map);
}
END_TEST

START_TEST(bad_crs_and_extent_and_size)
{
    cor_map_t *map = new_map();
    cor_error_t err = {0};
    ck_assert_int_eq(cor_map_set_crs(map, "EPSG:999999", &err), COR_ERR_CRS);
    cor_error_clear(&err);
    ck_assert_int_eq(cor_map_set_extent(map, (cor_bbox_t){30, 50, 20, 60}, &err), COR_ERR_USAGE);
    cor_error_clear(&err);
    ck_assert_int_eq(cor_map_set_extent(map, (cor_bbox_t){0, 0, 200, 10}, &err), COR_ERR_USAGE);
    cor_error_clear(&err);
    ck_assert_int_eq(cor_map_set_size_px(map, 100000, 10, 300, &err), COR_ERR_LIMIT);
    cor_error_clear(&err);
    ck_assert_int_eq(cor_map_set_size_px(map, 0, 10, 300, &err), COR_ERR_LIMIT);
    cor_error_clear(&err);
    ck_assert_int_eq(cor_map_set_page(map, NAN, 100, 300, &err), COR_ERR_LIMIT);
    double w, h, dpi; /* failures leave the page as it was */
    cor_map_get_page(map, &w, &h, &dpi);
    ck_assert(fabs(w - 576) < 1e-9 && fabs(h - 432) < 1e-9 && dpi == 300);
    cor_map_free(map);
}
END_TEST

START_TEST(unknown_coordinates_cannot_be_projected)
{
    cor_map_t *map = new_map();
    cor_error_t err = {0};
    char *layer = square_layer("raw.shp", 500000, 6000000, 1000, NULL); /* metres, no .prj */
    ck_assert_int_eq(cor_map_add_layer(map, layer, &err), COR_OK);
    ck_assert_int_eq(cor_map_set_crs(map, "EPSG:3035", &err), COR_OK);
    char *out = in_tmp("raw.png");
    ck_assert_int_eq(cor_map_render_file(map, out, COR_FORMAT_AUTO, &err), COR_ERR_CRS);
    ck_assert_ptr_nonnull(strstr(err.message, "raw.shp"));
    ck_assert_ptr_nonnull(strstr(err.message, "no .prj"));
    ck_assert(!cor__is_file(out));
    free(out);
    free(layer);
    cor_map_free(map);
}
END_TEST

START_TEST(failing_style_function_leaves_no_file)
{
    cor_map_t *map = new_map();
    cor_error_t err = {0};
    char *layer = square_layer("sq.shp", 25, 52, 2, COR_TEST_PRJ_WGS84);
    char *style = write_style("bad.lua", "map { extent = { 20, 48, 30, 56 } }\n"
                                         "layer { source = 'sq.shp',\n"
                                         "  fill = function(f) return f.nothing.deeper end }\n");
    ck_assert_int_eq(cor_map_load_style(map, style, &err), COR_OK);
    char *out = in_tmp("bad.png");
    size_t before = files_in(tmp);
    ck_assert_int_eq(cor_map_render_file(map, out, COR_FORMAT_AUTO, &err), COR_ERR_STYLE);
    ck_assert_ptr_nonnull(strstr(err.message, "bad.lua:3"));
    ck_assert(!cor__is_file(out));
    ck_assert_uint_eq(files_in(tmp), before); /* no temporary file left either */
    free(out);
    free(style);
    free(layer);
    cor_map_free(map);
}
END_TEST

START_TEST(missing_source_in_style_names_style_line)
{
    cor_map_t *map = new_map();
    cor_error_t err = {0};
    char *style = write_style("missing.lua", "map { extent = { 20, 48, 30, 56 } }\n"
                                             "\n"
                                             "layer { source = 'nowhere.shp' }\n");
    ck_assert_int_eq(cor_map_load_style(map, style, &err), COR_OK);
    ck_assert_int_eq(cor_map_check(map, &err), COR_ERR_IO);
    ck_assert_ptr_nonnull(strstr(err.message, "missing.lua:3"));
    ck_assert_ptr_nonnull(strstr(err.message, "nowhere"));
    free(style);
    cor_map_free(map);
}
END_TEST

START_TEST(unknown_layer_name_suggests_the_nearest)
{
    cor_map_t *map = new_map();
    cor_error_t err = {0};
    char *data = cor_test_src(".");
    char *style = write_style("typo.lua", "map { extent = { 20, 48, 30, 56 } }\n"
                                          "layer { source = 'contries' }\n");
    ck_assert_int_eq(cor_map_set_data_dir(map, data, &err), COR_OK);
    ck_assert_int_eq(cor_map_load_style(map, style, &err), COR_OK);
    ck_assert_int_eq(cor_map_check(map, &err), COR_ERR_NOTFOUND);
    ck_assert_ptr_nonnull(strstr(err.message, "typo.lua:2: no layer 'contries' in "));
    ck_assert_ptr_nonnull(strstr(err.message, "(did you mean 'countries'? layers: boundaries, "));
    /* nothing near: the layers are listed all the same */
    cor_map_t *far = new_map();
    err = (cor_error_t){0};
    char *style2 = write_style("far.lua", "layer { source = 'motorways' }\n");
    ck_assert_int_eq(cor_map_set_data_dir(far, data, &err), COR_OK);
    ck_assert_int_eq(cor_map_load_style(far, style2, &err), COR_OK);
    ck_assert_int_eq(cor_map_check(far, &err), COR_ERR_NOTFOUND);
    ck_assert_msg(!strstr(err.message, "did you mean"), "%s", err.message);
    ck_assert_ptr_nonnull(strstr(err.message, "(layers: boundaries, countries"));
    free(style2);
    free(style);
    free(data);
    cor_map_free(far);
    cor_map_free(map);
}
END_TEST

START_TEST(hiding_a_group_nothing_is_in_fails)
{
    char *layer = square_layer("sq.shp", 25, 52, 2, COR_TEST_PRJ_WGS84);
    struct {
        const char *hide;
        cor_status_t want;
        const char *message;
    } cases[] = {
        {"hide 'squares'", COR_OK, NULL},
        {"hide 'sqares'", COR_ERR_NOTFOUND,
         "hide 'sqares': no overlay or layer is in that group (did you mean 'squares'? groups: "
         "squares, rings)"},
        {"hide 'potash'", COR_ERR_NOTFOUND,
         "hide 'potash': no overlay or layer is in that group (groups: squares, rings)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cor_map_t *map = new_map();
        cor_error_t err = {0};
        char text[400];
        snprintf(text, sizeof text,
                 "map { extent = { 20, 48, 30, 56 } }\n"
                 "layer { source = 'sq.shp', group = 'squares' }\n"
                 "layer { source = 'sq.shp', group = 'rings', fill = false }\n"
                 "layer { source = 'sq.shp', group = 'squares', fill = false }\n%s\n",
                 cases[i].hide);
        char *style = write_style("groups.lua", text);
        ck_assert_int_eq(cor_map_load_style(map, style, &err), COR_OK);
        ck_assert_int_eq(cor_map_check(map, &err), cases[i].want);
        if (cases[i].message)
            ck_assert_str_eq(err.message, cases[i].message);
        /* the C API's hide is checked the same way */
        ck_assert_int_eq(cor_map_hide_group(map, "rngs", &err), COR_OK);
        ck_assert_int_eq(cor_map_check(map, &err), COR_ERR_NOTFOUND);
        free(style);
        cor_map_free(map);
    }
    free(layer);
}
END_TEST

START_TEST(check_meets_the_page_limits_a_render_meets)
{
    cor_map_t *map = new_map();
    cor_error_t err = {0};
    char *layer = square_layer("sq.shp", 25, 52, 2, COR_TEST_PRJ_WGS84);
    char *style = write_style("huge.lua", "map { size = '6000x6000mm' }\n"
                                          "layer { source = 'sq.shp' }\n");
    ck_assert_int_eq(cor_map_load_style(map, style, &err), COR_OK);
    ck_assert_int_eq(cor_map_check(map, &err), COR_ERR_LIMIT);
    ck_assert_ptr_nonnull(strstr(err.message, "exceeds the 14400 pt (200 in) limit per side"));
    char *out = in_tmp("huge.pdf");
    ck_assert_int_eq(cor_map_render_file(map, out, COR_FORMAT_AUTO, &err), COR_ERR_LIMIT);
    ck_assert_ptr_nonnull(strstr(err.message, "exceeds the 14400 pt (200 in) limit per side"));
    ck_assert_int_eq(cor_map_check(NULL, &err), COR_ERR_USAGE);
    ck_assert_int_eq(cor_map_check(NULL, NULL), COR_ERR_USAGE);
    free(out);
    free(style);
    free(layer);
    cor_map_free(map);
}
END_TEST

/* Limits are set by name within their range, read back, listed; a PNG above the raster limits
 * is refused in memory and on disk, and renders once they are raised; the script's limits
 * reach a state made before they were set. */
START_TEST(limits_are_set_by_name_and_hold)
{
    cor_map_t *map = new_map();
    cor_error_t err = {0};
    ck_assert_double_eq(cor_map_get_limit(map, "raster-side"), 20000);
    ck_assert(isnan(cor_map_get_limit(map, "no-such")));
    ck_assert(isnan(cor_map_get_limit(NULL, "raster-side")));
    ck_assert_int_eq(cor_map_set_limit(map, "raster-sid", 10, &err), COR_ERR_USAGE);
    ck_assert_msg(strstr(err.message, "no limit 'raster-sid' (did you mean 'raster-side'?"), "%s",
                  err.message);
    cor_error_clear(&err);
    ck_assert_int_eq(cor_map_set_limit(map, "raster-side", 1e6, &err), COR_ERR_USAGE);
    ck_assert_str_eq(err.message, "limit raster-side: 1e+06 is outside 1..32767 px");
    ck_assert_int_eq(cor_map_set_limit(map, "raster-side", NAN, NULL), COR_ERR_USAGE);
    ck_assert_int_eq(cor_map_set_limit(NULL, "raster-side", 10, NULL), COR_ERR_USAGE);
    ck_assert_double_eq(cor_map_get_limit(map, "raster-side"), 20000); /* unchanged */
    size_t n = 0;
    const char *name, *unit, *what;
    double def, max;
    while (cor_limit_info(n, &name, &unit, &what, &def, &max)) {
        ck_assert(def <= max);
        ck_assert_double_eq(cor_map_get_limit(map, name), def);
        n++;
    }
    ck_assert_uint_ge(n, 8);
    ck_assert(!cor_limit_info(n, NULL, NULL, NULL, NULL, NULL));

    char *layer = square_layer("sq.shp", 25, 52, 2, COR_TEST_PRJ_WGS84);
    ck_assert_int_eq(cor_map_add_layer(map, layer, &err), COR_OK);
    ck_assert_int_eq(cor_map_set_size_px(map, 300, 200, 72, &err), COR_OK);
    ck_assert_int_eq(cor_map_set_limit(map, "raster-side", 250, &err), COR_OK);
    cor_error_clear(&err);
    void *data = NULL;
    size_t len = 0;
    ck_assert_int_eq(cor_map_render_buffer(map, COR_FORMAT_PNG, &data, &len, &err), COR_ERR_LIMIT);
    ck_assert_msg(strstr(err.message, "page of 300 x 200 px exceeds the 250 px limit per side; "
                                      "raise the limit with --limit raster-side=N"),
                  "%s", err.message);
    char *out = in_tmp("limited.png");
    cor_error_clear(&err);
    ck_assert_int_eq(cor_map_render_file(map, out, COR_FORMAT_AUTO, &err), COR_ERR_LIMIT);
    ck_assert(!cor__is_file(out));
    /* vector output has no raster */
    ck_assert_int_eq(cor_map_render_buffer(map, COR_FORMAT_PDF, &data, &len, &err), COR_OK);
    cor_buffer_free(data);
    ck_assert_int_eq(cor_map_set_limit(map, "raster-side", 300, &err), COR_OK);
    ck_assert_int_eq(cor_map_set_limit(map, "raster-pixels", 50000, &err), COR_OK);
    cor_error_clear(&err);
    ck_assert_int_eq(cor_map_render_file(map, out, COR_FORMAT_AUTO, &err), COR_ERR_LIMIT);
    ck_assert_msg(strstr(err.message, "exceeds the 0.05 million pixel limit"), "%s", err.message);
    ck_assert_int_eq(cor_map_set_limit(map, "raster-pixels", 60000, &err), COR_OK);
    cor_error_clear(&err);
    ck_assert_msg(cor_map_render_file(map, out, COR_FORMAT_AUTO, &err) == COR_OK, "%s",
                  err.message);
    free(out);
    free(layer);
    cor_map_free(map);

    /* a script limit set after the state exists still holds */
    map = new_map();
    char *spin = write_style("spin.lua", "map { title = 'x' }\n"
                                         "for i = 1, 200000 do end\n");
    ck_assert_int_eq(cor_map_add_overlay_string(map, "a.lua", "marker { at = {25, 52} }", 24, &err),
                     COR_OK);
    ck_assert_int_eq(cor_map_set_limit(map, "script-instructions", 100000, &err), COR_OK);
    cor_error_clear(&err);
    ck_assert_int_eq(cor_map_load_style(map, spin, &err), COR_ERR_STYLE);
    ck_assert_msg(strstr(err.message, "instruction budget exhausted"), "%s", err.message);
    free(spin);
    cor_map_free(map);
}
END_TEST

START_TEST(layer_crs_names_the_crs_of_a_prjless_source)
{
    /* A square in Poland's CS92 metres (EPSG:2180: easting 500000 is 19 E; northing 459000 about
     * 52 N), with no .prj: drawn where it belongs once the style names the CRS. */
    char *layer = square_layer("pl.shp", 500000, 459000, 30000, NULL);
    const char *styles[] = {
        "map { size = '300x300px', dpi = 72, extent = { 17, 50, 21, 54 } }\n"
        "layer { source = 'pl.shp', crs = 'EPSG:2180', fill = '#ff0000', stroke = false }\n",
        "map { size = '300x300px', dpi = 72, extent = { 17, 50, 21, 54 } }\n"
        "layer { source = 'pl.shp', fill = '#ff0000' }\n",
        "map { size = '300x300px', dpi = 72, extent = { 17, 50, 21, 54 } }\n"
        "layer { source = 'pl.shp', crs = 'EPSG:99999', fill = '#ff0000' }\n",
    };
    for (int i = 0; i < 3; i++) {
        cor_map_t *map = new_map();
        cor_error_t err = {0};
        char *style = write_style("pl.lua", styles[i]);
        ck_assert_int_eq(cor_map_load_style(map, style, &err), COR_OK);
        if (i == 0) {
            cairo_surface_t *img = render_png(map, "pl.png");
            /* 19 E, 52 N is the middle of the extent: red there, white in the corners */
            ck_assert_uint_eq(cor_test_pixel(img, 150, 150), 0xFF0000);
            ck_assert_uint_eq(cor_test_pixel(img, 20, 20), 0xFFFFFF);
            cairo_surface_destroy(img);
        } else {
            ck_assert_int_eq(cor_map_check(map, &err), COR_ERR_CRS);
            ck_assert_msg(strstr(err.message, i == 1 ? "no .prj"
                                                     : "pl.lua:2: layer 'pl.shp': crs "
                                                       "'EPSG:99999'"),
                          "%s", err.message);
            if (i == 1)
                ck_assert_ptr_nonnull(strstr(err.message, "layer { crs = \"EPSG:...\" }"));
        }
        free(style);
        cor_map_free(map);
    }
    free(layer);
}
END_TEST

/* ---- behaviour ---- */

START_TEST(quick_look_fits_the_layer)
{
    cor_map_t *map = new_map();
    cor_error_t err = {0};
    char *layer = square_layer("sq.shp", 25, 52, 2, NULL); /* no .prj, fits lon/lat */
    ck_assert_int_eq(cor_map_add_layer(map, layer, &err), COR_OK);
    ck_assert_int_eq(cor_map_set_size_px(map, 400, 300, 72, &err), COR_OK);
    cairo_surface_t *img = render_png(map, "look.png");
    ck_assert_int_eq(cairo_image_surface_get_width(img), 400);
    ck_assert_int_eq(cairo_image_surface_get_height(img), 300);
    unsigned centre = cor_test_pixel(img, 200, 150), corner = cor_test_pixel(img, 2, 2);
    ck_assert_uint_eq(corner, 0xFFFFFF); /* white page around the data */
    ck_assert_uint_ne(centre, 0xFFFFFF); /* the square is filled */
    /* fitted: the square spans most of the page height (4% margin on each side) */
    ck_assert_uint_eq(cor_test_pixel(img, 200, 20), centre);
    ck_assert_uint_ne(cor_test_pixel(img, 200, 5), centre);
    cor_render_stats_t s;
    cor_map_get_stats(map, &s);
    ck_assert_int_eq(s.features_drawn, 1);
    cairo_surface_destroy(img);
    free(layer);
    cor_map_free(map);
}
END_TEST

START_TEST(quick_look_in_own_projected_crs)
{
    /* A square in Web Mercator metres with its .prj: drawn in its own CRS, so it stays square. */
    cor_map_t *map = new_map();
    cor_error_t err = {0};
    const char *prj3857 =
        "PROJCS[\"WGS_1984_Web_Mercator_Auxiliary_Sphere\",GEOGCS[\"GCS_WGS_1984\",DATUM["
        "\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\","
        "0.0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Mercator_Auxiliary_Sphere\"],"
        "PARAMETER[\"False_Easting\",0.0],PARAMETER[\"False_Northing\",0.0],PARAMETER["
        "\"Central_Meridian\",0.0],PARAMETER[\"Standard_Parallel_1\",0.0],PARAMETER["
        "\"Auxiliary_Sphere_Type\",0.0],UNIT[\"Meter\",1.0]]";
    char *layer = square_layer("merc.shp", 3000000, 6800000, 100000, prj3857);
    ck_assert_int_eq(cor_map_add_layer(map, layer, &err), COR_OK);
    ck_assert_int_eq(cor_map_set_size_px(map, 400, 400, 72, &err), COR_OK);
    cairo_surface_t *img = render_png(map, "merc.png");
    unsigned fill = cor_test_pixel(img, 200, 200);
    ck_assert_uint_ne(fill, 0xFFFFFF);
    /* equal margins left and top: square in, square out */
    int left = 0, top = 0;
    while (left < 200 && cor_test_pixel(img, left, 200) == 0xFFFFFF)
        left++;
    while (top < 200 && cor_test_pixel(img, 200, top) == 0xFFFFFF)
        top++;
    ck_assert_int_le(abs(left - top), 1);
    ck_assert_int_gt(left, 5);
    cairo_surface_destroy(img);
    free(layer);
    cor_map_free(map);
}
END_TEST

/* The placement report of the last render, from C: none before a render; after it, the page and
 * every marker and label with its text, and the drops with their reasons. */
START_TEST(placement_report_from_c)
{
    char *path = in_tmp("plc.shp");
    cor_test_shp_t *t = cor_test_shp_new(path, SHPT_POINT);
    cor_test_shp_add(t, (double[]){27.57, 53.90}, 1, "Minsk", 2000000);
    char wide[31];
    memset(wide, 'W', 30), wide[30] = '\0'; /* wider than the page: no room anywhere */
    cor_test_shp_add(t, (double[]){25.32, 54.68}, 1, wide, 1000);
    cor_test_shp_close(t, COR_TEST_PRJ_WGS84);
    char *style =
        write_style("plc.lua", "map { extent = { 20, 48, 32, 57 }, size = '150x100',\n"
                               "      dpi = 72, legend = false }\n"
                               "layer { source = 'plc.shp', marker = 'circle', size = 4,\n"
                               "  label = '{name}', priority = function(f) return f.value end }\n");
    cor_map_t *map = new_map();
    cor_error_t err = {0};
    const char *json = NULL, *kind, *text, *reason;
    size_t len = 0;
    ck_assert_int_eq(cor_map_placement_json(map, &json, &len, &err), COR_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "render it first"));
    ck_assert(!cor_map_get_dropped(map, 0, &kind, &text, &reason));
    ck_assert_int_eq(cor_map_load_style(map, style, &err), COR_OK);
    cairo_surface_t *img = render_png(map, "plc.png");
    ck_assert_int_eq(cor_map_placement_json(map, &json, &len, &err), COR_OK);
    ck_assert_uint_eq(len, strlen(json));
    ck_assert_ptr_nonnull(strstr(json, "\"page\": {\"width_pt\": 150.00, \"height_pt\": 100.00"));
    ck_assert_ptr_nonnull(strstr(json, "{\"kind\": \"marker\", \"text\": \"Minsk\""));
    ck_assert_ptr_nonnull(strstr(json, "{\"kind\": \"label\", \"text\": \"Minsk\""));
    ck_assert(cor_map_get_dropped(map, 0, &kind, &text, &reason));
    ck_assert_str_eq(kind, "label");
    ck_assert_str_eq(text, wide);
    ck_assert_str_eq(reason, "no room");
    ck_assert(!cor_map_get_dropped(map, 1, NULL, NULL, NULL));
    ck_assert(!cor_map_get_dropped(NULL, 0, NULL, NULL, NULL));
    ck_assert_int_eq(cor_map_placement_json(NULL, &json, NULL, NULL), COR_ERR_USAGE);
    cairo_surface_destroy(img);
    free(style);
    free(path);
    cor_map_free(map);
}
END_TEST

/* The box of the report's first entry of `kind` (with `text`, when not NULL). */
static bool report_box(json_object *r, const char *kind, const char *text, double box[4])
{
    json_object *placed = json_object_object_get(r, "placed");
    for (size_t i = 0; i < json_object_array_length(placed); i++) {
        json_object *e = json_object_array_get_idx(placed, i);
        if (strcmp(json_object_get_string(json_object_object_get(e, "kind")), kind) != 0 ||
            (text && strcmp(json_object_get_string(json_object_object_get(e, "text")), text)))
            continue;
        for (size_t k = 0; k < 4; k++)
            box[k] = json_object_get_double(
                json_object_array_get_idx(json_object_object_get(e, "box"), k));
        return true;
    }
    return false;
}

/* A callout whose offset falls on a marker is moved by search to a free place beside its own,
 * with a leader; one whose place is off the page is dropped and reported, never dragged in. */
START_TEST(callout_searches_for_room)
{
    char *style = write_style("callout.lua", "map { extent = { 20, 48, 32, 57 }, size = '300x200',"
                                             " dpi = 72, legend = false, title = 'T' }\n");
    cor_map_t *map = new_map();
    cor_error_t err = {0};
    cor_page_transform_t *t = NULL;
    double mx, my, lon, lat;
    ck_assert_int_eq(cor_map_load_style(map, style, &err), COR_OK);
    const cor_place_t minsk = {NULL, 27.57, 53.90};
    ck_assert_int_eq(
        cor_map_add_marker(map, &(cor_marker_t){.at = minsk, .look = {.symbol = "circle"}}, &err),
        COR_OK);
    ck_assert_int_eq(cor_map_page_transform(map, &t, &err), COR_OK);
    ck_assert(cor_page_transform_to_page(t, minsk.lon, minsk.lat, &mx, &my));
    ck_assert(cor_page_transform_to_lonlat(t, mx + 40, my, &lon, &lat)); /* where the box goes */
    cor_page_transform_free(t);
    cor_marker_t blocker = {.at = {NULL, lon, lat},
                            .look = {.symbol = "square", .size = 8},
                            .text = {.label = "Blocker"}};
    ck_assert_int_eq(cor_map_add_marker(map, &blocker, &err), COR_OK);
    ck_assert_int_eq(
        cor_map_add_callout(map, &(cor_callout_t){.at = minsk, .text = "Here", .dx = 40}, &err),
        COR_OK);
    ck_assert_int_eq(
        cor_map_add_callout(map, &(cor_callout_t){.at = {NULL, 5.0, 40.0}, .text = "Away"}, &err),
        COR_OK);
    cairo_surface_destroy(render_png(map, "callout.png"));
    const char *json;
    ck_assert_int_eq(cor_map_placement_json(map, &json, NULL, &err), COR_OK);
    json_object *r = json_tokener_parse(json);
    ck_assert_ptr_nonnull(r);
    double c[4], b[4], l[4];
    ck_assert(report_box(r, "callout", "Here", c));
    ck_assert(report_box(r, "marker", "Blocker", b));
    ck_assert(report_box(r, "leader", "Here", l));
    ck_assert_msg(c[2] <= b[0] || b[2] <= c[0] || c[3] <= b[1] || b[3] <= c[1],
                  "callout [%g %g %g %g] over the marker [%g %g %g %g]", c[0], c[1], c[2], c[3],
                  b[0], b[1], b[2], b[3]);
    ck_assert(c[0] >= 0 && c[1] >= 0 && c[2] <= 300 && c[3] <= 200);
    ck_assert(!(c[0] <= mx && mx <= c[2] && c[1] <= my && my <= c[3])); /* not over its place */
    ck_assert(!report_box(r, "callout", "Away", c));
    const char *kind, *text, *reason;
    bool found = false;
    for (size_t i = 0; cor_map_get_dropped(map, i, &kind, &text, &reason); i++)
        found = found || (strcmp(text, "Away") == 0 && strcmp(kind, "callout") == 0 &&
                          strcmp(reason, "its place is off the page") == 0);
    ck_assert(found);
    json_object_put(r);
    free(style);
    cor_map_free(map);
}
END_TEST

START_TEST(style_filter_and_extent_select_features)
{
    char *path = in_tmp("pts.shp");
    cor_test_shp_t *t = cor_test_shp_new(path, SHPT_POINT);
    cor_test_shp_add(t, (double[]){27.57, 53.90}, 1, "Minsk", 2000000);
    cor_test_shp_add(t, (double[]){25.32, 54.68}, 1, "Vilnius", 500000);
    cor_test_shp_add(t, (double[]){27.53, 52.78}, 1, "Salihorsk", 100000);
    cor_test_shp_add(t, (double[]){2.35, 48.85}, 1, "Paris", 10000000); /* outside the view */
    cor_test_shp_add(t, NULL, 0, "null", 0);
    cor_test_shp_close(t, COR_TEST_PRJ_WGS84);
    char *style = write_style("pts.lua", "map { extent = { 20, 48, 32, 57 }, size = '300x200',\n"
                                         "      dpi = 72 }\n"
                                         "layer { source = 'pts.shp', marker = 'circle',\n"
                                         "  filter = function(f) return f.value > 200000 end }\n");
    cor_map_t *map = new_map();
    cor_error_t err = {0};
    ck_assert_int_eq(cor_map_load_style(map, style, &err), COR_OK);
    cairo_surface_t *img = render_png(map, "pts.png");
    ck_assert_int_eq(cairo_image_surface_get_width(img), 300);
    cor_render_stats_t s;
    cor_map_get_stats(map, &s);
    ck_assert_int_eq(s.features_read, 3);  /* Paris is outside the view, the null is skipped */
    ck_assert_int_eq(s.features_drawn, 2); /* Salihorsk is filtered out */
    cairo_surface_destroy(img);
    free(style);
    free(path);
    cor_map_free(map);
}
END_TEST

/* A line across a whole-disc orthographic map, one vertex on the far side of the globe. */
static cor_render_stats_t render_ortho_line(cor_bbox_t extent, const char *png)
{
    char *path = in_tmp("line.shp");
    cor_test_shp_t *t = cor_test_shp_new(path, SHPT_ARC);
    double xy[] = {20, 50, 25, 50, 30, 50, -150, -30, 35, 50}; /* -150,-30: far side */
    cor_test_shp_add(t, xy, 5, "across", 1);
    cor_test_shp_close(t, COR_TEST_PRJ_WGS84);
    cor_map_t *map = new_map();
    cor_error_t err = {0};
    ck_assert_int_eq(cor_map_add_layer(map, path, &err), COR_OK);
    ck_assert_int_eq(cor_map_set_crs(map, "+proj=ortho +lat_0=52 +lon_0=28", &err), COR_OK);
    ck_assert_int_eq(cor_map_set_extent(map, extent, &err), COR_OK);
    ck_assert_int_eq(cor_map_set_size_px(map, 300, 200, 72, &err), COR_OK);
    cairo_surface_t *img = render_png(map, png);
    cor_render_stats_t s;
    cor_map_get_stats(map, &s);
    cairo_surface_destroy(img);
    free(path);
    cor_map_free(map);
    return s;
}

START_TEST(unprojectable_points_are_dropped_and_counted)
{
    /* the page's corners are off the globe: the whole line is projected, the far point fails */
    cor_render_stats_t s = render_ortho_line((cor_bbox_t){-70, -30, 125, 89}, "ortho.png");
    ck_assert_int_eq(s.points_unprojected, 1);
    ck_assert_int_eq(s.features_drawn, 1);
}
END_TEST

START_TEST(a_view_across_the_antimeridian_draws_both_sides)
{
    /* Chukotka's side and Alaska's: the view's box read back in lon/lat crosses 180 degrees */
    char *west = square_layer("west.shp", 175, 60, 3, COR_TEST_PRJ_WGS84);
    char *east = square_layer("east.shp", -175, 60, 3, COR_TEST_PRJ_WGS84);
    cor_map_t *map = new_map();
    cor_error_t err = {0};
    ck_assert_int_eq(cor_map_add_layer(map, west, &err), COR_OK);
    ck_assert_int_eq(cor_map_add_layer(map, east, &err), COR_OK);
    ck_assert_int_eq(cor_map_set_crs(map, "+proj=lcc +lat_1=55 +lat_2=65 +lon_0=180", &err),
                     COR_OK);
    ck_assert_int_eq(cor_map_set_extent(map, (cor_bbox_t){170, 55, 179.9, 65}, &err), COR_OK);
    ck_assert_int_eq(cor_map_set_size_px(map, 400, 300, 72, &err), COR_OK);
    cairo_surface_t *img = render_png(map, "antimeridian.png");
    cor_render_stats_t s;
    cor_map_get_stats(map, &s);
    ck_assert_int_eq(s.features_drawn, 2);
    cairo_surface_destroy(img);
    cor_map_free(map);
    free(west);
    free(east);
}
END_TEST

START_TEST(threads_are_checked)
{
    cor_map_t *map = new_map();
    cor_error_t err = {0};
    ck_assert_int_eq(cor_map_set_threads(map, -1, &err), COR_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "-1 threads"));
    ck_assert_int_eq(cor_map_set_threads(map, COR_MAX_THREADS + 1, NULL), COR_ERR_USAGE);
    ck_assert_int_eq(cor_map_set_threads(map, 0, NULL), COR_OK);
    ck_assert_int_eq(cor_map_set_threads(map, COR_MAX_THREADS, NULL), COR_OK);
    cor_map_free(map);
}
END_TEST

START_TEST(what_cannot_reach_the_page_is_not_projected)
{
    /* a view wholly on the globe: the line is cut to the view's box in lon/lat first, so the far
     * point is never projected, and what is left is drawn */
    cor_render_stats_t s = render_ortho_line((cor_bbox_t){15, 45, 40, 55}, "ortho-cut.png");
    ck_assert_int_eq(s.points_unprojected, 0);
    ck_assert_int_eq(s.features_drawn, 1);
}
END_TEST

START_TEST(outlines_are_drawn_after_all_fills)
{
    /* Two squares sharing an edge with a thick outline: the second fill must not cover the
     * half of the first one's outline that lies inside it. */
    char *path = in_tmp("two.shp");
    cor_test_shp_t *t = cor_test_shp_new(path, SHPT_POLYGON);
    cor_test_shp_add(t, (double[]){0, 0, 0, 10, 10, 10, 10, 0, 0, 0}, 5, "a", 1);
    cor_test_shp_add(t, (double[]){10, 0, 10, 10, 20, 10, 20, 0, 10, 0}, 5, "b", 2);
    cor_test_shp_close(t, NULL);
    char *style =
        write_style("two.lua", "map { extent = { -1, -6, 21, 16 }, size = '440x440', dpi = 72,\n"
                               "      background = '#ffffff' }\n"
                               "layer { source = 'two.shp', fill = '#00ff00', stroke = '#ff0000',\n"
                               "        width = 8 }\n");
    cor_map_t *map = new_map();
    cor_error_t err = {0};
    ck_assert_int_eq(cor_map_load_style(map, style, &err), COR_OK);
    cairo_surface_t *img = render_png(map, "two.png");
    /* the shared edge x = 10 lies at page x = 220; 8 pt wide: 216..224 red */
    ck_assert_uint_eq(cor_test_pixel(img, 218, 220), 0xFF0000);
    ck_assert_uint_eq(cor_test_pixel(img, 222, 220), 0xFF0000);
    ck_assert_uint_eq(cor_test_pixel(img, 110, 220), 0x00FF00);
    cairo_surface_destroy(img);
    free(style);
    free(path);
    cor_map_free(map);
}
END_TEST

START_TEST(render_into_callers_context)
{
    char *layer = square_layer("sq.shp", 25, 52, 2, NULL);
    cor_map_t *map = new_map();
    cor_error_t err = {0};
    ck_assert_int_eq(cor_map_add_layer(map, layer, &err), COR_OK);
    ck_assert_int_eq(cor_map_set_size_px(map, 200, 100, 72, &err), COR_OK);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 400, 100);
    cairo_t *cr = cairo_create(s);
    cairo_translate(cr, 200, 0); /* the caller places the map in the right half */
    cairo_set_line_width(cr, 7);
    ck_assert_int_eq(cor_map_render_cairo(map, cr, &err), COR_OK);
    ck_assert(cairo_get_line_width(cr) == 7);                /* state restored */
    ck_assert_uint_eq(cor_test_pixel(s, 100, 50), 0x000000); /* left half untouched */
    ck_assert_uint_ne(cor_test_pixel(s, 300, 50), 0xFFFFFF);
    ck_assert_uint_ne(cor_test_pixel(s, 300, 50), 0x000000);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    free(layer);
    cor_map_free(map);
}
END_TEST

START_TEST(vector_formats_have_the_page_size)
{
    char *layer = square_layer("sq.shp", 25, 52, 2, NULL);
    cor_map_t *map = new_map();
    cor_error_t err = {0};
    ck_assert_int_eq(cor_map_add_layer(map, layer, &err), COR_OK);
    char *svg = in_tmp("map.svg"), *pdf = in_tmp("map.pdf");
    ck_assert_int_eq(cor_map_render_file(map, svg, COR_FORMAT_AUTO, &err), COR_OK);
    ck_assert_int_eq(cor_map_render_file(map, pdf, COR_FORMAT_PDF, &err), COR_OK);
    char *text = NULL;
    ck_assert_int_eq(cor__read_file(svg, 1 << 24, &text, NULL, &err), COR_OK);
    ck_assert_ptr_nonnull(strstr(text, "width=\"576pt\""));
    ck_assert_ptr_nonnull(strstr(text, "height=\"432pt\""));
    free(text);
    ck_assert_int_eq(cor__read_file(pdf, 1 << 24, &text, NULL, &err), COR_OK);
    ck_assert(strncmp(text, "%PDF", 4) == 0);
    free(text);
    free(svg);
    free(pdf);
    free(layer);
    cor_map_free(map);
}
END_TEST

/* ---- the story map and the C overlay API ---- */

static cor_map_t *default_map(void)
{
    cor_map_t *map = new_map();
    cor_error_t err = {0};
    char *data = cor_test_src("."), *style = cor_test_src("styles/default.lua");
    ck_assert_int_eq(cor_map_set_data_dir(map, data, &err), COR_OK);
    ck_assert_msg(cor_map_load_style(map, style, &err) == COR_OK, "%s", err.message);
    free(style);
    free(data);
    return map;
}

static bool overlap(cor_bbox_t a, cor_bbox_t b)
{
    return a.minx < b.maxx && b.minx < a.maxx && a.miny < b.maxy && b.miny < a.maxy;
}

START_TEST(story_map_labels_never_overlap)
{
    cor_map_t *map = default_map();
    cairo_surface_t *s = render_png(map, "story.png");
    cor_render_stats_t st;
    cor_map_get_stats(map, &st);
    ck_assert_int_gt(st.labels_placed, 40);
    const cor__placed_t *boxes = NULL;
    size_t n = cor__render_label_boxes(map, &boxes);
    ck_assert_uint_gt(n, (size_t)st.labels_placed - 1);
    for (size_t i = 0; i < n; i++) {
        cor_bbox_t a = boxes[i].box;
        ck_assert(a.minx >= 0 && a.miny >= 0 && a.maxx <= 576 && a.maxy <= 432);
        for (size_t k = i + 1; k < n; k++)
            if (boxes[k].label != boxes[i].label)
                ck_assert_msg(!overlap(a, boxes[k].box), "labels %zu and %zu overlap",
                              boxes[i].label, boxes[k].label);
    }
    cairo_surface_destroy(s);
    cor_map_free(map);
}
END_TEST

/* The fraction of the page's pixels that have the colour c (within a small tolerance). */
static double share_of(cairo_surface_t *s, unsigned c)
{
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    long n = 0;
    cairo_surface_flush(s);
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(cairo_image_surface_get_data(s) +
                                                 (size_t)y * cairo_image_surface_get_stride(s));
        for (int x = 0; x < w; x++) {
            int d = 0;
            for (int k = 0; k < 24; k += 8)
                d += abs((int)((row[x] >> k) & 255) - (int)((c >> k) & 255));
            n += d < 12;
        }
    }
    return (double)n / ((double)w * h);
}

START_TEST(hiding_a_group_removes_its_overlays)
{
    cor_map_t *shown = default_map(), *hidden = default_map();
    cor_error_t err = {0};
    ck_assert_int_eq(cor_map_set_size_px(shown, 600, 450, 75, &err), COR_OK);
    ck_assert_int_eq(cor_map_set_size_px(hidden, 600, 450, 75, &err), COR_OK);
    ck_assert_int_eq(cor_map_hide_group(hidden, "deportations", &err), COR_OK);
    cairo_surface_t *a = render_png(shown, "shown.png"), *b = render_png(hidden, "hidden.png");
    /* the flows' red (#b2182b blended at 0.88 over the land) is gone, the potash brown stays */
    double red_a = share_of(a, 0xbc3240), red_b = share_of(b, 0xbc3240);
    ck_assert_msg(red_a > 0.001 && red_b < red_a / 20, "red share %g -> %g", red_a, red_b);
    cairo_surface_destroy(a);
    cairo_surface_destroy(b);
    cor_map_free(shown);
    cor_map_free(hidden);
}
END_TEST

START_TEST(c_overlay_api_validates)
{
    cor_map_t *map = new_map();
    cor_error_t err = {0};
    cor_place_t one[] = {{.name = "Minsk"}};
    cor_route_t route = {.places = one, .nplaces = 1};
    ck_assert_int_eq(cor_map_add_route(map, &route, &err), COR_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "two places"));
    cor_place_t far[] = {{.name = NULL, .lon = 200, .lat = 0}, {.name = "Minsk"}};
    route = (cor_route_t){.places = far, .nplaces = 2};
    cor_error_clear(&err);
    ck_assert_int_eq(cor_map_add_route(map, &route, &err), COR_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "{200, 0}"));
    cor_place_t two[] = {{.name = "Minsk"}, {.name = "Vilnius"}};
    route = (cor_route_t){.places = two, .nplaces = 2, .look = {.stroke = "blu"}};
    cor_error_clear(&err);
    ck_assert_int_eq(cor_map_add_route(map, &route, &err), COR_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "'blu' is not a colour"));
    cor_flow_t flow = {.from = {.name = "Minsk"}, .to = {.name = "Kyiv"}, .value = -3};
    cor_error_clear(&err);
    ck_assert_int_eq(cor_map_add_flow(map, &flow, &err), COR_ERR_USAGE);
    cor_marker_t marker = {.at = {.name = "Minsk"}, .look = {.symbol = "unicorn"}};
    cor_error_clear(&err);
    ck_assert_int_eq(cor_map_add_marker(map, &marker, &err), COR_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "unicorn"));
    cor_callout_t callout = {.at = {.name = "Minsk"}};
    cor_error_clear(&err);
    ck_assert_int_eq(cor_map_add_callout(map, &callout, &err), COR_ERR_USAGE);
    /* every failure left the map as it was: still nothing to draw */
    cor_error_clear(&err);
    ck_assert_int_eq(cor_map_check(map, &err), COR_ERR_USAGE);
    ck_assert_str_eq(err.message, "nothing to draw: no style and no layers");
    cor_map_free(map);
}
END_TEST

START_TEST(c_overlay_api_draws)
{
    /* a base map of one square; a route, flow, marker and area added from C */
    char *layer = square_layer("base.shp", 25, 54, 3, COR_TEST_PRJ_WGS84);
    char *style = write_style("base.lua", "map { extent = { 21, 51, 29, 57 }, size = '400x300',\n"
                                          "      dpi = 72, background = '#ffffff' }\n"
                                          "layer { source = 'base.shp', fill = '#eeeeee' }\n");
    cor_map_t *map = new_map();
    cor_error_t err = {0};
    char *data = cor_test_src(".");
    ck_assert_int_eq(cor_map_set_data_dir(map, data, &err), COR_OK);
    ck_assert_int_eq(cor_map_load_style(map, style, &err), COR_OK);
    cor_place_t path[] = {{.name = "Kaunas"}, {.name = "Vilnius"}};
    cor_route_t route = {.places = path,
                         .nplaces = 2,
                         .look = {.stroke = "#0000ff", .width = 4},
                         .arrow = COR_ARROW_NONE,
                         .text = {.legend = "Road"}};
    ck_assert_msg(cor_map_add_route(map, &route, &err) == COR_OK, "%s", err.message);
    cor_marker_t m = {.at = {.lon = 27.5, .lat = 56},
                      .look = {.symbol = "square", .size = 12, .fill = "#00ff00"}};
    ck_assert_int_eq(cor_map_add_marker(map, &m, &err), COR_OK);
    cairo_surface_t *img = render_png(map, "capi.png");
    /* the route's blue lies between Kaunas (23.9, 54.9) and Vilnius (25.3, 54.7) */
    ck_assert(share_of(img, 0x0000ff) > 0.0005);
    ck_assert(share_of(img, 0x00ff00) > 0.0005);
    cairo_surface_destroy(img);
    cor_place_t bad[] = {{.name = "Kaunas"}, {.name = "Atlantis"}};
    route = (cor_route_t){.places = bad, .nplaces = 2};
    ck_assert_int_eq(cor_map_add_route(map, &route, &err), COR_OK);
    char *out = in_tmp("atlantis.png");
    ck_assert_int_eq(cor_map_render_file(map, out, COR_FORMAT_AUTO, &err), COR_ERR_NOTFOUND);
    ck_assert_ptr_nonnull(strstr(err.message, "Atlantis"));
    ck_assert(!cor__is_file(out));
    free(out);
    free(data);
    free(style);
    free(layer);
    cor_map_free(map);
}
END_TEST

/* Renders the base square with a GeoJSON square and a Lua marker added in the given order, and
 * returns the colour at the centre. */
static unsigned overlay_order(bool json_first)
{
    char *layer = square_layer("base.shp", 25, 54, 3, COR_TEST_PRJ_WGS84);
    char *style = write_style("order.lua", "map { extent = { 21, 51, 29, 57 }, size = '200x150',\n"
                                           "      dpi = 72, background = '#ffffff' }\n"
                                           "layer { source = 'base.shp', fill = '#eeeeee' }\n");
    char *lua = write_style("dot.lua", "marker { at = { 25, 54 }, symbol = 'square', size = 30,\n"
                                       "         fill = '#0000ff', stroke = false }\n");
    const char *gj = "{\"type\": \"Feature\", \"properties\": {\"fill\": \"#00ff00\",\n"
                     "\"fill-opacity\": 1, \"stroke-opacity\": 0}, \"geometry\": {\"type\":\n"
                     "\"Polygon\", \"coordinates\": [[[24, 53], [26, 53], [26, 55], [24, 55],\n"
                     "[24, 53]]]}}\n";
    char *json = in_tmp("sq.geojson");
    cor_test_write(json, gj, strlen(gj));
    cor_map_t *map = new_map();
    cor_error_t err = {0};
    ck_assert_int_eq(cor_map_load_style(map, style, &err), COR_OK);
    ck_assert_msg(cor_map_add_overlay(map, json_first ? json : lua, &err) == COR_OK, "%s",
                  err.message);
    ck_assert_msg(cor_map_add_overlay(map, json_first ? lua : json, &err) == COR_OK, "%s",
                  err.message);
    cairo_surface_t *img = render_png(map, "order.png");
    unsigned centre = cor_test_pixel(img, 100, 75);
    cairo_surface_destroy(img);
    cor_map_free(map);
    free(json);
    free(lua);
    free(style);
    free(layer);
    return centre;
}

START_TEST(overlays_draw_in_the_order_given)
{
    ck_assert_uint_eq(overlay_order(true), 0x0000ff);  /* the script's marker on top */
    ck_assert_uint_eq(overlay_order(false), 0x00ff00); /* the GeoJSON square on top */
}
END_TEST

/* ---- a NULL err is accepted everywhere ---- */

START_TEST(null_err_in_setters)
{
    cor_map_t *map = NULL;
    ck_assert_int_eq(cor_map_new(&map, NULL), COR_OK);
    char *layer = square_layer("sq.shp", 25, 52, 2, COR_TEST_PRJ_WGS84), *nope = in_tmp("no.shp");
    char *bad_style = write_style("syntax.lua", "map { extent = \n");
    char *bad_json = write_style("bad.geojson", "{\"type\": \"Feature\"");
    char *bad_lua = write_style("bad.lua", "route { 'Minsk' }\n");
    ck_assert_int_eq(cor_map_set_data_dir(map, "/nonexistent/corridor", NULL), COR_ERR_NOTFOUND);
    ck_assert_int_eq(cor_map_set_data_dir(map, NULL, NULL), COR_ERR_NOTFOUND);
    ck_assert_int_eq(cor_map_set_data_dir(map, tmp, NULL), COR_OK);
    ck_assert_int_eq(cor_map_set_crs(map, "EPSG:999999", NULL), COR_ERR_CRS);
    ck_assert_int_eq(cor_map_set_crs(map, "EPSG:3035", NULL), COR_OK);
    ck_assert_int_eq(cor_map_set_extent(map, (cor_bbox_t){30, 50, 20, 60}, NULL), COR_ERR_USAGE);
    ck_assert_int_eq(cor_map_set_extent(map, (cor_bbox_t){20, 48, 30, 56}, NULL), COR_OK);
    ck_assert_int_eq(cor_map_set_page(map, NAN, 100, 300, NULL), COR_ERR_LIMIT);
    ck_assert_int_eq(cor_map_set_page(map, 200, 100, 72, NULL), COR_OK);
    ck_assert_int_eq(cor_map_set_size_px(map, 100, 100, 0, NULL), COR_ERR_LIMIT);
    ck_assert_int_eq(cor_map_set_size_px(map, 100000, 10, 300, NULL), COR_ERR_LIMIT);
    ck_assert_int_eq(cor_map_set_size_px(map, 200, 100, 72, NULL), COR_OK);
    ck_assert_int_eq(cor_map_add_layer(map, nope, NULL), COR_ERR_IO);
    ck_assert_int_eq(cor_map_add_layer(map, layer, NULL), COR_OK);
    ck_assert_int_eq(cor_map_add_overlay(map, "notes.txt", NULL), COR_ERR_USAGE);
    ck_assert_int_eq(cor_map_add_overlay(map, bad_json, NULL), COR_ERR_DATA);
    ck_assert_int_eq(cor_map_add_overlay(map, bad_lua, NULL), COR_ERR_STYLE);
    ck_assert_int_eq(cor_map_load_style(map, nope, NULL), COR_ERR_IO);
    ck_assert_int_eq(cor_map_load_style(map, bad_style, NULL), COR_ERR_STYLE);
    cor_map_free(map);
    free(bad_lua), free(bad_json), free(bad_style), free(nope), free(layer);
}
END_TEST

START_TEST(null_err_in_renders)
{
    /* the label function fails: the render used to read err->code with err NULL */
    char *layer = square_layer("sq.shp", 25, 52, 2, COR_TEST_PRJ_WGS84);
    char *style = write_style("label.lua", "map { extent = { 20, 48, 30, 56 }, size = '200x150',\n"
                                           "      dpi = 72 }\n"
                                           "layer { source = 'sq.shp',\n"
                                           "  label = function(f) return f.nothing.deeper end }\n");
    char *out = in_tmp("label.png"), *svg = in_tmp("label.svg"), *nodir = in_tmp("no/dir/x.png");
    cor_map_t *map = new_map();
    ck_assert_int_eq(cor_map_render_file(map, out, COR_FORMAT_AUTO, NULL), COR_ERR_USAGE);
    ck_assert_int_eq(cor_map_check(map, NULL), COR_ERR_USAGE);
    ck_assert_int_eq(cor_map_load_style(map, style, NULL), COR_OK);
    ck_assert_int_eq(cor_map_render_file(map, out, COR_FORMAT_AUTO, NULL), COR_ERR_STYLE);
    ck_assert_int_eq(cor_map_render_file(map, svg, COR_FORMAT_AUTO, NULL), COR_ERR_STYLE);
    ck_assert(!cor__is_file(out) && !cor__is_file(svg));
    ck_assert_int_eq(cor_map_check(map, NULL), COR_ERR_STYLE);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 200, 150);
    cairo_t *cr = cairo_create(s);
    ck_assert_int_eq(cor_map_render_cairo(map, cr, NULL), COR_ERR_STYLE);
    ck_assert_int_eq(cor_map_render_cairo(map, NULL, NULL), COR_ERR_USAGE);
    cor_map_free(map);
    /* the same map without the label: unknown extension, missing directory, then success */
    map = new_map();
    ck_assert_int_eq(cor_map_add_layer(map, layer, NULL), COR_OK);
    ck_assert_int_eq(cor_map_set_size_px(map, 200, 150, 72, NULL), COR_OK);
    ck_assert_int_eq(cor_map_render_file(map, "map.jpeg", COR_FORMAT_AUTO, NULL), COR_ERR_USAGE);
    ck_assert_int_eq(cor_map_render_file(map, nodir, COR_FORMAT_AUTO, NULL), COR_ERR_IO);
    ck_assert_int_eq(cor_map_check(map, NULL), COR_OK);
    ck_assert_int_eq(cor_map_render_cairo(map, cr, NULL), COR_OK);
    ck_assert_int_eq(cor_map_render_file(map, out, COR_FORMAT_AUTO, NULL), COR_OK);
    ck_assert(cor__is_file(out));
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    cor_map_free(map);
    free(nodir), free(svg), free(out), free(style), free(layer);
}
END_TEST

START_TEST(null_err_in_view_failures)
{
    /* raw coordinates with an extent in degrees, and a CRS the layer cannot be drawn in */
    char *raw = square_layer("raw.shp", 500000, 6000000, 1000, NULL);
    cor_map_t *map = new_map();
    ck_assert_int_eq(cor_map_add_layer(map, raw, NULL), COR_OK);
    ck_assert_int_eq(cor_map_set_extent(map, (cor_bbox_t){20, 48, 30, 56}, NULL), COR_OK);
    ck_assert_int_eq(cor_map_check(map, NULL), COR_ERR_CRS);
    ck_assert_int_eq(cor_map_set_crs(map, "EPSG:3035", NULL), COR_OK);
    ck_assert_int_eq(cor_map_check(map, NULL), COR_ERR_CRS);
    cor_map_free(map);
    free(raw);
}
END_TEST

static Suite *map_suite(void)
{
    Suite *s = suite_create("map");
    TCase *f = tcase_create("failures");
    tcase_add_checked_fixture(f, setup, teardown);
    tcase_add_test(f, nothing_to_draw);
    tcase_add_test(f, unknown_extension);
    tcase_add_test(f, missing_layer_fails_at_add);
    tcase_add_test(f, bad_crs_and_extent_and_size);
    tcase_add_test(f, unknown_coordinates_cannot_be_projected);
    tcase_add_test(f, failing_style_function_leaves_no_file);
    tcase_add_test(f, missing_source_in_style_names_style_line);
    tcase_add_test(f, unknown_layer_name_suggests_the_nearest);
    tcase_add_test(f, hiding_a_group_nothing_is_in_fails);
    tcase_add_test(f, check_meets_the_page_limits_a_render_meets);
    tcase_add_test(f, layer_crs_names_the_crs_of_a_prjless_source);
    tcase_add_test(f, limits_are_set_by_name_and_hold);
    suite_add_tcase(s, f);
    TCase *t = tcase_create("render");
    tcase_add_test(t, placement_report_from_c);
    tcase_add_test(t, callout_searches_for_room);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, quick_look_fits_the_layer);
    tcase_add_test(t, quick_look_in_own_projected_crs);
    tcase_add_test(t, style_filter_and_extent_select_features);
    tcase_add_test(t, unprojectable_points_are_dropped_and_counted);
    tcase_add_test(t, what_cannot_reach_the_page_is_not_projected);
    tcase_add_test(t, threads_are_checked);
    tcase_add_test(t, a_view_across_the_antimeridian_draws_both_sides);
    tcase_add_test(t, outlines_are_drawn_after_all_fills);
    tcase_add_test(t, render_into_callers_context);
    tcase_add_test(t, vector_formats_have_the_page_size);
    suite_add_tcase(s, t);
    TCase *o = tcase_create("overlays");
    tcase_set_timeout(o, 120);
    tcase_add_checked_fixture(o, setup, teardown);
    tcase_add_test(o, story_map_labels_never_overlap);
    tcase_add_test(o, hiding_a_group_removes_its_overlays);
    tcase_add_test(o, c_overlay_api_validates);
    tcase_add_test(o, c_overlay_api_draws);
    tcase_add_test(o, overlays_draw_in_the_order_given);
    suite_add_tcase(s, o);
    TCase *n = tcase_create("null err");
    tcase_add_checked_fixture(n, setup, teardown);
    tcase_add_test(n, null_err_in_setters);
    tcase_add_test(n, null_err_in_renders);
    tcase_add_test(n, null_err_in_view_failures);
    suite_add_tcase(s, n);
    return s;
}

int main(void)
{
    return cor_test_run(map_suite());
}
