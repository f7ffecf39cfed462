/* SPDX-License-Identifier: MIT */
/* Unit tests for the gazetteer: the shipped places resolve to the coordinates in facts.md, names
 * match through folding and aliases, user tables override, bad tables and unknown names fail with
 * messages naming file, line and the nearest names. Uses the committed geodata/. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <shapefil.h>

#include "files.h"
#include "gazetteer.h"
#include "testutil.h"
#include "util.h"

/* Every record of places.shp and every data row of places_extra.csv, counted independently. */
static size_t shipped_places(void)
{
    char *shp = cor_test_src("geodata/places.shp"), *csv = cor_test_src("geodata/places_extra.csv");
    SHPHandle h = SHPOpen(shp, "rb");
    int records = 0;
    ck_assert_ptr_nonnull(h);
    SHPGetInfo(h, &records, NULL, NULL, NULL);
    SHPClose(h);
    char *text = NULL;
    size_t len = 0, lines = 0;
    ck_assert_int_eq(cor__read_file(csv, 1 << 20, &text, &len, NULL), COR_OK);
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    lines += len > 0 && text[len - 1] != '\n';
    free(text);
    free(csv);
    free(shp);
    return (size_t)records + lines - 1; /* minus the header */
}
#define SHIPPED_PLACES shipped_places()

static cor__gazetteer_t *shipped(void)
{
    cor__gazetteer_t *g = NULL;
    cor_error_t err = {0};
    char *geodata = cor_test_src("geodata");
    char *root = cor__path_dirname(geodata);
    ck_assert_int_eq(cor__gazetteer_new(&g, &err), COR_OK);
    ck_assert_msg(cor__gazetteer_load_default(g, root, &err) == COR_OK, "%s", err.message);
    free(root);
    free(geodata);
    return g;
}

/* Writes a table into a fresh directory. Returns: its malloc'd path. */
static char *table(const char *dir_name, const char *file, const char *text)
{
    char *dir = cor_test_tmpdir(dir_name);
    char *path = cor__path_join(dir, file);
    cor_test_write(path, text, strlen(text));
    free(dir);
    return path;
}

/* Finds `query` and checks the place's name and that it lies within tol degrees of (lat, lon). */
static void expect_place(const cor__gazetteer_t *g, const char *query, const char *name, double lat,
                         double lon, double tol)
{
    cor__place_t p = {0};
    cor_error_t err = {0};
    ck_assert_msg(cor__gazetteer_find(g, query, &p, &err) == COR_OK, "%s: %s", query, err.message);
    ck_assert_msg(strcmp(p.name, name) == 0, "%s: found %s, not %s", query, p.name, name);
    ck_assert_msg(fabs(p.lat - lat) <= tol && fabs(p.lon - lon) <= tol,
                  "%s: (%.4f, %.4f), not (%.4f, %.4f)", query, p.lat, p.lon, lat, lon);
}

static void expect_unknown(const cor__gazetteer_t *g, const char *query, const char *message)
{
    cor__place_t p = {.name = "untouched"};
    cor_error_t err = {0};
    ck_assert_int_eq(cor__gazetteer_find(g, query, &p, &err), COR_ERR_NOTFOUND);
    ck_assert_int_eq(err.code, COR_ERR_NOTFOUND);
    ck_assert_str_eq(err.message, message);
    ck_assert_str_eq(p.name, "untouched");
}

/* Adds a bad table and checks the error "<path>:<rest>"; the gazetteer is left as it was. */
static void expect_bad_table(const char *text, cor_status_t code, const char *rest)
{
    cor__gazetteer_t *g = shipped();
    char *path = table("gazetteer-bad", "bad.csv", text);
    char *message = cor__asprintf("%s%s", path, rest);
    cor_error_t err = {0};
    ck_assert_int_eq(cor__gazetteer_add_csv(g, path, &err), code);
    ck_assert_str_eq(err.message, message);
    ck_assert_uint_eq(cor__gazetteer_count(g), SHIPPED_PLACES);
    expect_unknown(g, "Zzyzx", "unknown place 'Zzyzx'"); /* the good first row was dropped */
    expect_place(g, "Minsk", "Minsk", 53.90, 27.57, 0.01);
    free(message);
    free(path);
    cor__gazetteer_free(g);
}

START_TEST(a_missing_places_shp_is_an_io_error_naming_it)
{
    cor__gazetteer_t *g = NULL;
    cor_error_t err = {0};
    char *dir = cor_test_tmpdir("gazetteer-empty");
    char *shp = cor__path_join(dir, "geodata/places.shp");
    ck_assert_int_eq(cor__gazetteer_new(&g, &err), COR_OK);
    ck_assert_int_eq(cor__gazetteer_load_default(g, dir, &err), COR_ERR_IO);
    ck_assert_msg(strncmp(err.message, shp, strlen(shp)) == 0, "%s", err.message);
    cor_error_clear(&err);
    ck_assert_int_eq(cor__gazetteer_add_csv(g, shp, &err), COR_ERR_IO);
    ck_assert_msg(strncmp(err.message, shp, strlen(shp)) == 0, "%s", err.message);
    ck_assert_uint_eq(cor__gazetteer_count(g), 0);
    free(shp);
    free(dir);
    cor__gazetteer_free(g);
}
END_TEST

START_TEST(a_layer_that_is_not_points_is_refused)
{
    cor__gazetteer_t *g = NULL;
    cor_error_t err = {0};
    char *path = cor_test_src("geodata/countries.shp");
    char *message = cor__asprintf("%s: a Polygon layer, not points", path);
    ck_assert_int_eq(cor__gazetteer_new(&g, &err), COR_OK);
    ck_assert_int_eq(cor__gazetteer_add_shp(g, path, &err), COR_ERR_DATA);
    ck_assert_str_eq(err.message, message);
    free(message);
    free(path);
    cor__gazetteer_free(g);
}
END_TEST

START_TEST(shapefile_points_must_be_lonlat)
{
    cor__gazetteer_t *g = NULL;
    cor_error_t err = {0};
    cor__place_t p;
    char *dir = cor_test_tmpdir("gazetteer-shp");
    char *good = cor__path_join(dir, "mine.shp"), *bad = cor__path_join(dir, "metres.shp");
    double a[] = {25.0, 54.0}, b[] = {26.0, 55.0}, m[] = {500000, 6000000};
    cor_test_shp_t *t = cor_test_shp_new(good, SHPT_POINT);
    cor_test_shp_add(t, a, 1, "Zzyzx", 1);
    cor_test_shp_add(t, b, 1, "", 2);        /* no name: skipped */
    cor_test_shp_add(t, NULL, 0, "Void", 3); /* no point: skipped */
    cor_test_shp_close(t, COR_TEST_PRJ_WGS84);
    t = cor_test_shp_new(bad, SHPT_POINT);
    cor_test_shp_add(t, b, 1, "Qwerty", 1);
    cor_test_shp_add(t, m, 1, "Far", 2);
    cor_test_shp_close(t, NULL);

    ck_assert_int_eq(cor__gazetteer_new(&g, &err), COR_OK);
    ck_assert_int_eq(cor__gazetteer_add_shp(g, good, &err), COR_OK);
    ck_assert_uint_eq(cor__gazetteer_count(g), 1);
    expect_place(g, "zzyzx", "Zzyzx", 54.0, 25.0, 0);
    ck_assert_int_eq(cor__gazetteer_find(g, "Zzyzx", &p, &err), COR_OK);
    ck_assert_str_eq(p.iso_a2, "");
    ck_assert_str_eq(p.source, "mine.shp");
    ck_assert(p.population == 0);

    char *message = cor__asprintf("%s: record 1: (500000, 6e+06) is not longitude/latitude", bad);
    ck_assert_int_eq(cor__gazetteer_add_shp(g, bad, &err), COR_ERR_DATA);
    ck_assert_str_eq(err.message, message);
    ck_assert_uint_eq(cor__gazetteer_count(g), 1);
    expect_unknown(g, "Qwerty", "unknown place 'Qwerty'");
    free(message);
    free(bad);
    free(good);
    free(dir);
    cor__gazetteer_free(g);
}
END_TEST

START_TEST(bad_rows_name_file_and_line)
{
    expect_bad_table("name,lat,lon\nZzyzx,1,2\nA,,27\n", COR_ERR_DATA, ":3: missing lat");
    expect_bad_table("name,lat,lon\nZzyzx,1,2\nA,95,27\n", COR_ERR_DATA,
                     ":3: lat '95' is not a latitude");
    expect_bad_table("name,lat,lon\nZzyzx,1,2\nA,53.9,east\n", COR_ERR_DATA,
                     ":3: lon 'east' is not a number");
    expect_bad_table("name,lat,lon\nZzyzx,1,2\nA,53.9,-180.5\n", COR_ERR_DATA,
                     ":3: lon '-180.5' is not a longitude");
    expect_bad_table("name,lat,lon\nZzyzx,1,2\nA,nan,27\n", COR_ERR_DATA,
                     ":3: lat 'nan' is not a number");
    expect_bad_table("name,lat,lon\nZzyzx,1,2\nA,1e999,27\n", COR_ERR_DATA,
                     ":3: lat '1e999' is not a number");
    expect_bad_table("name,lat,lon\nZzyzx,1,2\nA,\"53,9\",27\n", COR_ERR_DATA,
                     ":3: lat '53,9' is not a number");
    expect_bad_table("name,lat,lon\nZzyzx,1,2\n  ,1,2\n", COR_ERR_DATA, ":3: empty name");
    expect_bad_table("name,lat,lon\nZzyzx,1,2\n'-.,1,2\n", COR_ERR_DATA,
                     ":3: name ''-.' has no letters to match");
    expect_bad_table("name,lat,lon,iso_a2\nZzyzx,1,2,\nA,1,2,BLR\n", COR_ERR_DATA,
                     ":3: iso_a2 'BLR' is not a two-letter code");
    expect_bad_table("name,lat,lon\nZzyzx,1,2\nA,1\n", COR_ERR_DATA,
                     ":3: 2 fields where the header has 3");
}
END_TEST

START_TEST(bad_headers_and_csv_syntax)
{
    expect_bad_table("name,lat\nZzyzx,1\n", COR_ERR_DATA, ":1: no 'lon' column in the header");
    expect_bad_table("Zzyzx,1,2\n", COR_ERR_DATA, ":1: no 'name' column in the header");
    expect_bad_table("name,lat,lon,LAT\n", COR_ERR_DATA, ":1: column 'lat' appears twice");
    expect_bad_table("name,lat,lon\nZzyzx,1,2\n\"A,1,2\n", COR_ERR_DATA,
                     ":3: unterminated quoted field");
    expect_bad_table("name,lat,lon\nZzyzx,1,2\nKlaip\xE9"
                     "da,1,2\n",
                     COR_ERR_DATA, ":3: not UTF-8 text");
    expect_bad_table("", COR_ERR_DATA, ": empty table, no header line");
}
END_TEST

START_TEST(unknown_names_suggest_the_nearest)
{
    cor__gazetteer_t *g = shipped();
    expect_unknown(g, "Klaipda", "unknown place 'Klaipda' (did you mean Klaipėda?)");
    expect_unknown(g, "Xyzzy", "unknown place 'Xyzzy'");
    expect_unknown(g, "Kharkof", "unknown place 'Kharkof' (did you mean Kharkiv?)"); /* alias */
    expect_unknown(g, "Kyev", "unknown place 'Kyev' (did you mean Kyiv?)"); /* via alias Kiev */
    expect_unknown(g, " Sialiai ", "unknown place 'Sialiai' (did you mean Šiauliai?)");
    expect_unknown(g, "Brest, FR", "unknown place 'Brest, FR' (did you mean Brest, BY?)");
    expect_unknown(g, "Mnsk, BY", "unknown place 'Mnsk, BY' (did you mean Minsk, BY?)");
    expect_unknown(g, "Gomell", "unknown place 'Gomell' (did you mean Homyel?)"); /* aliases.csv */
    expect_unknown(g, "", "no place name in ''");
    expect_unknown(g, " - , BY", "no place name in '- , BY'");
    cor__place_t p;
    cor_error_t err = {0};
    ck_assert_int_eq(cor__gazetteer_find(g,
                                         "Klaip\xE9"
                                         "da",
                                         &p, &err),
                     COR_ERR_NOTFOUND);
    ck_assert_str_eq(err.message, "a place name is not UTF-8 text");
    cor__gazetteer_free(g);
}
END_TEST

START_TEST(the_facts_resolve)
{
    cor__gazetteer_t *g = shipped();
    ck_assert_uint_eq(cor__gazetteer_count(g), SHIPPED_PLACES);
    expect_place(g, "Minsk", "Minsk", 53.90, 27.57, 0.01);
    expect_place(g, "Klaipėda", "Klaipėda", 55.72, 21.12, 0.01);
    expect_place(g, "Kyiv", "Kyiv", 50.43, 30.52, 0.01);
    expect_place(g, "Vilnius", "Vilnius", 54.68, 25.32, 0.01);
    expect_place(g, "Chernihiv", "Chernihiv", 51.50, 31.30, 0.01);
    expect_place(g, "Homyel", "Homyel", 52.43, 31.00, 0.01);
    expect_place(g, "Maladzyechna", "Maladzyechna", 54.32, 26.87, 0.01);
    expect_place(g, "Šiauliai", "Šiauliai", 55.94, 23.33, 0.01);
    expect_place(g, "Saint Petersburg", "Sankt-Peterburg", 59.94, 30.32, 0.01);
    expect_place(g, "Salihorsk", "Salihorsk", 52.785, 27.535, 1e-9);
    expect_place(g, "Gudogai", "Gudogai", 54.596, 25.893, 1e-9);
    expect_place(g, "Kaišiadorys", "Kaišiadorys", 54.86, 24.45, 1e-9);
    expect_place(g, "Kėdainiai", "Kėdainiai", 55.271, 24.017, 1e-9);
    expect_place(g, "Radviliškis", "Radviliškis", 55.81, 23.54, 1e-9);
    expect_place(g, "Murmansk", "Murmansk", 68.97, 33.10, 1e-9);
    expect_place(g, "Ust-Luga", "Ust-Luga", 59.66, 28.28, 1e-9);
    expect_place(g, "Vilnius Airport", "Vilnius Airport", 54.637, 25.288, 1e-9);

    cor__place_t p;
    cor_error_t err = {0};
    ck_assert_int_eq(cor__gazetteer_find(g, "Minsk", &p, &err), COR_OK);
    ck_assert_str_eq(p.iso_a2, "BY");
    ck_assert_str_eq(p.source, "places.shp");
    ck_assert(p.population == 1805000);
    ck_assert_int_eq(cor__gazetteer_find(g, "Salihorsk", &p, &err), COR_OK);
    ck_assert_str_eq(p.iso_a2, "BY");
    ck_assert_str_eq(p.source, "Wikipedia: Salihorsk (not in Natural Earth)");
    ck_assert(p.population == 0);
    cor__gazetteer_free(g);
}
END_TEST

START_TEST(folding_aliases_and_punctuation)
{
    cor__gazetteer_t *g = shipped();
    expect_place(g, "Klaipeda", "Klaipėda", 55.72, 21.12, 0.01);
    expect_place(g, "KLAIPĖDA", "Klaipėda", 55.72, 21.12, 0.01);
    expect_place(g, "KYIV", "Kyiv", 50.43, 30.52, 0.01);
    expect_place(g, "Kiev", "Kyiv", 50.43, 30.52, 0.01); /* name_en */
    expect_place(g, "Lvov", "Lviv", 49.83, 24.03, 0.01);
    expect_place(g, "Soligorsk", "Salihorsk", 52.785, 27.535, 1e-9); /* CSV alias */
    expect_place(g, "Солигорск", "Salihorsk", 52.785, 27.535, 1e-9);
    expect_place(g, "СОЛИГОРСК", "Salihorsk", 52.785, 27.535, 1e-9); /* Cyrillic capitals */
    expect_place(g, "VNO", "Vilnius Airport", 54.637, 25.288, 1e-9);
    expect_place(g, "Kaisiadorys", "Kaišiadorys", 54.86, 24.45, 1e-9);
    expect_place(g, "Kedainiai", "Kėdainiai", 55.271, 24.017, 1e-9);
    expect_place(g, "Radviliskis", "Radviliškis", 55.81, 23.54, 1e-9);
    expect_place(g, "Siauliai", "Šiauliai", 55.94, 23.33, 0.01);
    expect_place(g, "St Petersburg", "Sankt-Peterburg", 59.94, 30.32, 0.01);
    expect_place(g, "St. Petersburg", "Sankt-Peterburg", 59.94, 30.32, 0.01);
    expect_place(g, "saint-petersburg", "Sankt-Peterburg", 59.94, 30.32, 0.01);
    expect_place(g, "  St.Petersburg ", "Sankt-Peterburg", 59.94, 30.32, 0.01);
    /* the English forms NE gives the larger cities find their local names (name_en) */
    expect_place(g, "Warsaw", "Warszawa", 52.25, 21.0, 0.05);
    expect_place(g, "Moscow", "Moskva", 55.75, 37.62, 0.05);
    expect_place(g, "Ust Luga", "Ust-Luga", 59.66, 28.28, 1e-9);
    expect_place(g, "Bistrita", "Bistrița", 47.14, 24.51, 0.01); /* comma-below, U+021B */
    expect_place(g, "Piatra-Neamt", "Piatra Neamț", 46.94, 26.38, 0.01);
    expect_place(g, "Lodz", "Łódź", 51.78, 19.45, 0.01);
    expect_place(g, "LAquila", "L'Aquila", 42.35, 13.39, 0.01);
    cor__gazetteer_free(g);
}
END_TEST

START_TEST(country_qualifier_and_population_rank)
{
    cor__gazetteer_t *g = shipped();
    expect_place(g, "Brest, BY", "Brest", 52.10, 23.70, 0.01);
    expect_place(g, " brest ,by ", "Brest", 52.10, 23.70, 0.01);
    expect_place(g, "Rostov", "Rostov-na-Donu", 47.24, 39.71, 0.01); /* NE "Rostov", 1,052,000 */
    expect_place(g, "Pec", "Pec", 43.89, 20.33, 0.01);               /* Serbia, 170,000 */
    expect_place(g, "Pec, XK", "Pec", 42.66, 20.31, 0.01);           /* Kosovo, 105,163 */
    cor__gazetteer_free(g);
}
END_TEST

START_TEST(a_user_table_overrides_the_same_name_and_country)
{
    cor__gazetteer_t *g = shipped();
    /* columns in another order, a BOM, CRLF, quotes and an extra column */
    char *path = table("gazetteer-user", "user.csv",
                       "\xEF\xBB\xBF"
                       "lon,lat,name,note,iso_a2,aliases,source\r\n"
                       "27.0,53.0,Minsk,moved,by,Mensk|Miensk,my survey\r\n"
                       "30.0,50.0,Kyiv,,UA,,\r\n"
                       "-4.49,48.39,Brest,,FR,,\r\n"
                       "-77.04,38.9,\"Washington, D.C.\",,US,,\r\n");
    cor_error_t err = {0};
    cor__place_t p;
    ck_assert_msg(cor__gazetteer_add_csv(g, path, &err) == COR_OK, "%s", err.message);
    ck_assert_uint_eq(cor__gazetteer_count(g), SHIPPED_PLACES + 2); /* Brest FR, Washington */
    expect_place(g, "Minsk", "Minsk", 53.0, 27.0, 1e-9);
    expect_place(g, "Minsk, BY", "Minsk", 53.0, 27.0, 1e-9);
    expect_place(g, "Miensk", "Minsk", 53.0, 27.0, 1e-9);
    ck_assert_int_eq(cor__gazetteer_find(g, "Minsk", &p, &err), COR_OK);
    ck_assert_str_eq(p.source, "my survey");
    ck_assert(p.population == 1805000);                /* kept from the entry it overrides */
    expect_place(g, "Kiev", "Kyiv", 50.0, 30.0, 1e-9); /* the old aliases lead to the new point */
    ck_assert_int_eq(cor__gazetteer_find(g, "Kyiv", &p, &err), COR_OK);
    ck_assert_str_eq(p.source, "user.csv:3");
    expect_place(g, "Brest", "Brest", 52.10, 23.70, 0.01); /* other country: population ranks */
    expect_place(g, "Brest, FR", "Brest", 48.39, -4.49, 1e-9);
    expect_place(g, "Washington, D.C.", "Washington, D.C.", 38.9, -77.04, 1e-9);
    expect_place(g, "washington d.c.", "Washington, D.C.", 38.9, -77.04, 1e-9);
    expect_unknown(g, "Brest, DE",
                   "unknown place 'Brest, DE' (did you mean Brest, BY or Brest, FR?)");
    free(path);

    /* a third table overrides the second */
    path = table("gazetteer-user2", "again.csv", "name,lat,lon,iso_a2\nMinsk,54,28,BY\n");
    ck_assert_int_eq(cor__gazetteer_add_csv(g, path, &err), COR_OK);
    ck_assert_uint_eq(cor__gazetteer_count(g), SHIPPED_PLACES + 2);
    expect_place(g, "Mensk", "Minsk", 54.0, 28.0, 1e-9);
    free(path);
    cor__gazetteer_free(g);
}
END_TEST

START_TEST(exact_beats_folded_beats_alias)
{
    cor__gazetteer_t *g = NULL;
    cor_error_t err = {0};
    char *path = table("gazetteer-tiers", "tiers.csv",
                       "name,aliases,lat,lon\n"
                       "Beta,,1,1\n"
                       "Nowa Wies,,2,2\n"
                       "Nowa Wieś,,3,3\n"
                       "Alpha,Beta,4,4\n"
                       "Twin,,5,5\n"
                       "Twin,,6,6\n"
                       "Saint Albans,,7,7\n"
                       "St. Ives,,8,8\n"
                       "Stanton,,9,9\n");
    ck_assert_int_eq(cor__gazetteer_new(&g, &err), COR_OK);
    ck_assert_int_eq(cor__gazetteer_add_csv(g, path, &err), COR_OK);
    ck_assert_uint_eq(cor__gazetteer_count(g), 9); /* same table: namesakes are kept */
    expect_place(g, "Beta", "Beta", 1, 1, 0);      /* a name beats a later entry's alias */
    expect_place(g, "BETA", "Beta", 1, 1, 0);
    expect_place(g, "Nowa Wies", "Nowa Wies", 2, 2, 0); /* exact beats a later folded match */
    expect_place(g, "Nowa Wieś", "Nowa Wieś", 3, 3, 0);
    expect_place(g, "nowa wies", "Nowa Wieś", 3, 3, 0); /* equal: the later entry */
    expect_place(g, "Twin", "Twin", 6, 6, 0);
    expect_place(g, "St Albans", "Saint Albans", 7, 7, 0); /* the word "st" is "saint" */
    expect_place(g, "Saint-Ives", "St. Ives", 8, 8, 0);
    expect_unknown(g, "Saintanton", "unknown place 'Saintanton' (did you mean Stanton?)");
    cor__gazetteer_free(g);
    free(path);
}
END_TEST

/* An alias table gives places already there more names; its mistakes name file and line. */
START_TEST(alias_tables_add_names)
{
    cor__gazetteer_t *g = NULL;
    cor_error_t err = {0};
    char *places = table("gazetteer-alias", "p.csv",
                         "name,iso_a2,lat,lon\nHrodna,BY,53.68,23.83\nBrest,BY,52.1,23.7\n"
                         "Brest,FR,48.39,-4.49\n");
    ck_assert_int_eq(cor__gazetteer_new(&g, &err), COR_OK);
    ck_assert_int_eq(cor__gazetteer_add_csv(g, places, &err), COR_OK);
    char *good = table("gazetteer-alias2", "a.csv",
                       "source,name,aliases,iso_a2\nx,Hrodna,Grodno|Горадня,BY\n"
                       "y,Brest,Brest-Litovsk,BY\n");
    ck_assert_msg(cor__gazetteer_add_aliases(g, good, &err) == COR_OK, "%s", err.message);
    expect_place(g, "Grodno", "Hrodna", 53.68, 23.83, 0);
    expect_place(g, "Горадня", "Hrodna", 53.68, 23.83, 0);
    expect_place(g, "Brest-Litovsk", "Brest", 52.1, 23.7, 0); /* the one in BY */
    expect_place(g, "Brest, FR", "Brest", 48.39, -4.49, 0);
    static const char *const bad[][2] = {
        {"name,iso_a2,aliases\nMinsk,BY,Minsker\n",
         "a.csv:2: no place 'Minsk' in BY to give aliases to"},
        {"name,iso_a2,aliases\nHrodna,LT,Gardinas\n", "a.csv:2: no place 'Hrodna' in LT"},
        {"name,aliases\nHrodna,Grodno\n", "a.csv:1: an alias table needs the columns name, iso_a2"},
        {"name,iso_a2,aliases\nHrodna,BY\n", "a.csv:2: 2 fields where the header has 3"},
        {"name,iso_a2,aliases\nHrodna,BY,Hrodzen\nMinsk,BY,Mensk\n", "a.csv:3: no place 'Minsk'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *path = table("gazetteer-alias3", "a.csv", bad[i][0]);
        cor_error_clear(&err);
        ck_assert_int_eq(cor__gazetteer_add_aliases(g, path, &err), COR_ERR_DATA);
        ck_assert_msg(strstr(err.message, bad[i][1]), "'%s' lacks '%s'", err.message, bad[i][1]);
        free(path);
    }
    expect_unknown(g, "Hrodzen", "unknown place 'Hrodzen'"); /* the failed table added nothing */
    cor__gazetteer_free(g);
    free(good);
    free(places);
    /* the shipped aliases: Russian-derived forms find the local spelling */
    g = shipped();
    static const char *const ru[][2] = {{"Grodno", "Hrodna"},           {"Gomel", "Homyel"},
                                        {"Mogilev", "Mahilyow"},        {"Vitebsk", "Vitsebsk"},
                                        {"Molodechno", "Maladzyechna"}, {"Kharkov", "Kharkiv"},
                                        {"Chernigov", "Chernihiv"},     {"Kovno", "Kaunas"}};
    for (size_t i = 0; i < sizeof ru / sizeof ru[0]; i++) {
        cor__place_t p;
        ck_assert_msg(cor__gazetteer_find(g, ru[i][0], &p, &err) == COR_OK, "%s", err.message);
        ck_assert_str_eq(p.name, ru[i][1]);
    }
    cor__gazetteer_free(g);
}
END_TEST

static Suite *gazetteer_suite(void)
{
    Suite *s = suite_create("gazetteer");
    TCase *t = tcase_create("gazetteer");
    tcase_add_test(t, a_missing_places_shp_is_an_io_error_naming_it);
    tcase_add_test(t, a_layer_that_is_not_points_is_refused);
    tcase_add_test(t, shapefile_points_must_be_lonlat);
    tcase_add_test(t, bad_rows_name_file_and_line);
    tcase_add_test(t, bad_headers_and_csv_syntax);
    tcase_add_test(t, unknown_names_suggest_the_nearest);
    tcase_add_test(t, the_facts_resolve);
    tcase_add_test(t, folding_aliases_and_punctuation);
    tcase_add_test(t, country_qualifier_and_population_rank);
    tcase_add_test(t, a_user_table_overrides_the_same_name_and_country);
    tcase_add_test(t, exact_beats_folded_beats_alias);
    tcase_add_test(t, alias_tables_add_names);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return cor_test_run(gazetteer_suite());
}
