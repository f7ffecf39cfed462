/* SPDX-License-Identifier: MIT */
/* Unit tests for info: what `corridor info` reports about a shapefile. */
#include <shapefil.h>
#include <stdlib.h>
#include <string.h>

#include "corridor.h"
#include "files.h"
#include "testutil.h"
#include "util.h"

START_TEST(missing_and_malformed_files)
{
    cor_layer_info_t *info = (cor_layer_info_t *)&info; /* must stay untouched on failure */
    cor_error_t err = {0};
    char *dir = cor_test_tmpdir("info-bad");
    char *path = cor__path_join(dir, "none.shp");
    ck_assert_int_eq(cor_layer_info_read(path, &info, &err), COR_ERR_IO);
    ck_assert_ptr_eq(info, (cor_layer_info_t *)&info);
    ck_assert_ptr_nonnull(strstr(err.message, "none"));
    char *junk = cor__path_join(dir, "junk.shp"), *shx = cor__path_join(dir, "junk.shx");
    cor_test_write(junk, "not a shapefile", 15);
    cor_test_write(shx, "nor an index", 12);
    cor_error_clear(&err);
    ck_assert_int_eq(cor_layer_info_read(junk, &info, &err), COR_ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.message, "junk"));
    cor_layer_info_free(NULL);
    free(shx);
    free(junk);
    free(path);
    free(dir);
}
END_TEST

START_TEST(describes_the_shipped_countries)
{
    char *path = cor_test_src("geodata/countries.shp");
    cor_layer_info_t *info = NULL;
    cor_error_t err = {0};
    ck_assert_msg(cor_layer_info_read(path, &info, &err) == COR_OK, "%s", err.message);
    ck_assert_str_eq(info->geometry, "Polygon");
    ck_assert_int_gt(info->features, 3);
    ck_assert_int_eq(info->null_features, 0);
    ck_assert(info->has_extent && info->extent.minx >= 5 - 1e-9 && info->extent.maxy <= 65 + 1e-9);
    ck_assert_str_eq(info->crs_id, "EPSG:4326");
    ck_assert_str_eq(info->crs_name, "WGS 84");
    ck_assert_str_eq(info->encoding, "UTF-8");
    ck_assert_str_eq(info->encoding_source, ".cpg");
    bool iso = false;
    for (size_t i = 0; i < info->nfields; i++)
        iso |= strcmp(info->fields[i].name, "iso_a2") == 0 &&
               strcmp(info->fields[i].type_name, "String") == 0 && info->fields[i].width == 2;
    ck_assert(iso);
    cor_layer_info_free(info);
    free(path);
}
END_TEST

START_TEST(points_with_nulls_and_an_odd_prj)
{
    char *dir = cor_test_tmpdir("info-pts");
    char *path = cor__path_join(dir, "pts.shp");
    cor_test_shp_t *t = cor_test_shp_new(path, SHPT_POINTZ);
    cor_test_shp_add(t, (double[]){27.5, 53.9}, 1, "Minsk", 1);
    cor_test_shp_add(t, NULL, 0, "nothing", 0);
    cor_test_shp_close(t, "this is not WKT");
    cor_layer_info_t *info = NULL;
    cor_error_t err = {0};
    ck_assert_int_eq(cor_layer_info_read(path, &info, &err), COR_OK);
    ck_assert_str_eq(info->geometry, "PointZ");
    ck_assert_int_eq(info->features, 2);
    ck_assert_int_eq(info->null_features, 1);
    ck_assert_ptr_null(info->crs_id);
    ck_assert_ptr_nonnull(strstr(info->crs_name, "not understood"));
    ck_assert_uint_eq(info->nfields, 2);
    ck_assert_str_eq(info->fields[1].type_name, "Real");
    cor_layer_info_free(info);
    free(path);
    free(dir);
}
END_TEST

START_TEST(null_err_is_accepted)
{
    cor_layer_info_t *info = NULL;
    char *dir = cor_test_tmpdir("info-null");
    char *path = cor__path_join(dir, "none.shp"), *junk = cor__path_join(dir, "junk.shp"),
         *shx = cor__path_join(dir, "junk.shx"), *countries = cor_test_src("geodata/countries.shp");
    ck_assert_int_eq(cor_layer_info_read(path, &info, NULL), COR_ERR_IO);
    cor_test_write(junk, "not a shapefile", 15);
    cor_test_write(shx, "nor an index", 12);
    ck_assert_int_eq(cor_layer_info_read(junk, &info, NULL), COR_ERR_DATA);
    ck_assert_ptr_null(info);
    ck_assert_int_eq(cor_layer_info_read(countries, &info, NULL), COR_OK);
    ck_assert_str_eq(info->geometry, "Polygon");
    cor_layer_info_free(info);
    free(countries), free(shx), free(junk), free(path), free(dir);
}
END_TEST

START_TEST(a_few_values_per_field)
{
    char *path = cor_test_src("geodata/countries.shp");
    cor_layer_info_t *info = NULL;
    cor_error_t err = {0};
    ck_assert_int_eq(cor_layer_info_read(path, &info, &err), COR_OK);
    ck_assert_str_eq(info->format, "ESRI Shapefile");
    for (size_t i = 0; i < info->nfields; i++) {
        ck_assert_ptr_nonnull(cor_layer_info_sample(info, i, 0));
        for (size_t k = 1; k < COR_INFO_SAMPLES && cor_layer_info_sample(info, i, k); k++)
            ck_assert_str_ne(cor_layer_info_sample(info, i, k),
                             cor_layer_info_sample(info, i, k - 1)); /* distinct */
    }
    ck_assert_ptr_null(cor_layer_info_sample(info, 0, COR_INFO_SAMPLES));
    ck_assert_ptr_null(cor_layer_info_sample(info, info->nfields, 0));
    ck_assert_ptr_null(cor_layer_info_sample(NULL, 0, 0));
    cor_layer_info_free(info);
    free(path);
}
END_TEST

START_TEST(geojson_is_described_too)
{
    char *dir = cor_test_tmpdir("info-json");
    char *path = cor__path_join(dir, "two.geojson"), *bad = cor__path_join(dir, "bad.json");
    const char *text =
        "{\"type\": \"FeatureCollection\", \"features\": ["
        "{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [25, 54]},"
        " \"properties\": {\"name\": \"Vilnius\", \"pop\": null}},"
        "{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [21, 55.7]},"
        " \"properties\": {\"name\": \"Klaip\xc4\x97"
        "da\", \"pop\": 150000}}]}";
    cor_test_write(path, text, strlen(text));
    cor_test_write(bad, "{\"type\": ", 10);
    cor_layer_info_t *info = NULL;
    cor_error_t err = {0};
    ck_assert_int_eq(cor_layer_info_read(bad, &info, &err), COR_ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.message, "bad.json"));
    ck_assert_ptr_null(info);
    ck_assert_msg(cor_layer_info_read(path, &info, &err) == COR_OK, "%s", err.message);
    ck_assert_str_eq(info->format, "GeoJSON");
    ck_assert_str_eq(info->geometry, "Point");
    ck_assert_int_eq(info->features, 2);
    ck_assert(info->has_extent);
    ck_assert_double_eq(info->extent.minx, 21);
    ck_assert_double_eq(info->extent.maxy, 55.7);
    ck_assert_str_eq(info->crs_id, "EPSG:4326");
    ck_assert_str_eq(info->encoding, "UTF-8");
    ck_assert_uint_eq(info->nfields, 2);
    ck_assert_str_eq(info->fields[0].name, "name");
    ck_assert_str_eq(info->fields[0].type_name, "String");
    ck_assert_str_eq(info->fields[1].type_name, "Real"); /* from the first value not null */
    ck_assert_str_eq(cor_layer_info_sample(info, 0, 1), "Klaip\xc4\x97"
                                                        "da");
    ck_assert_str_eq(cor_layer_info_sample(info, 1, 0), "150000");
    cor_layer_info_free(info);
    free(bad), free(path), free(dir);
}
END_TEST

START_TEST(an_esri_prj_is_identified)
{
    static const char laea[] =
        "PROJCS[\"ETRS_1989_LAEA\",GEOGCS[\"GCS_ETRS_1989\",DATUM[\"D_ETRS_1989\","
        "SPHEROID[\"GRS_1980\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],"
        "UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Lambert_Azimuthal_Equal_Area\"],"
        "PARAMETER[\"False_Easting\",4321000.0],PARAMETER[\"False_Northing\",3210000.0],"
        "PARAMETER[\"Central_Meridian\",10.0],PARAMETER[\"Latitude_Of_Origin\",52.0],"
        "UNIT[\"Meter\",1.0]]";
    char *dir = cor_test_tmpdir("info-esri");
    char *path = cor__path_join(dir, "laea.shp");
    cor_test_shp_t *t = cor_test_shp_new(path, SHPT_POINT);
    double xy[] = {5000000, 3500000};
    cor_test_shp_add(t, xy, 1, "a", 1);
    cor_test_shp_close(t, laea);
    cor_layer_info_t *info = NULL;
    cor_error_t err = {0};
    ck_assert_int_eq(cor_layer_info_read(path, &info, &err), COR_OK);
    ck_assert_str_eq(info->crs_id, "EPSG:3035");
    ck_assert_ptr_nonnull(strstr(info->crs_name, "LAEA"));
    cor_layer_info_free(info);
    free(path), free(dir);
}
END_TEST

static Suite *info_suite(void)
{
    Suite *s = suite_create("info");
    TCase *t = tcase_create("info");
    tcase_add_test(t, missing_and_malformed_files);
    tcase_add_test(t, describes_the_shipped_countries);
    tcase_add_test(t, points_with_nulls_and_an_odd_prj);
    tcase_add_test(t, null_err_is_accepted);
    tcase_add_test(t, a_few_values_per_field);
    tcase_add_test(t, geojson_is_described_too);
    tcase_add_test(t, an_esri_prj_is_identified);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return cor_test_run(info_suite());
}
