/* SPDX-License-Identifier: MIT */
/* Tests of the shipped geodata: internationally recognised borders (Crimea is Ukraine), local
 * place names, encodings and side files. They read the committed extracts through the same
 * shapefile source the renderer uses. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geom.h"
#include "source_shp.h"
#include "testutil.h"
#include "util.h"

static cor__shp_t *open_layer(const char *name)
{
    char *rel = cor__asprintf("geodata/%s.shp", name);
    char *path = cor_test_src(rel);
    cor__shp_t *shp = NULL;
    cor_error_t err = {0};
    ck_assert_msg(cor__shp_open(path, &shp, &err) == COR_OK, "%s", err.message);
    free(rel);
    free(path);
    return shp;
}

static const char *str_attr(const cor__feature_t *f, const char *name)
{
    const cor__attr_t *a = cor__feature_get(f, name);
    return a && a->type == COR__ATTR_STRING ? a->str : "";
}

/* ---- countries containing a point ---- */

typedef struct {
    double lon, lat;
    char holders[8][3]; /* iso_a2 of every country containing the point */
    int n;
} contain_t;

static cor_status_t find_holders(const cor__feature_t *f, void *ud, cor_error_t *err)
{
    (void)err;
    contain_t *c = ud;
    if (cor__geom_contains(f->geom, c->lon, c->lat) && c->n < 8) {
        strncpy(c->holders[c->n], str_attr(f, "iso_a2"), 2);
        c->holders[c->n++][2] = '\0';
    }
    return COR_OK;
}

static void assert_only_in(double lon, double lat, const char *iso)
{
    cor__shp_t *shp = open_layer("countries");
    contain_t c = {.lon = lon, .lat = lat};
    cor_bbox_t q = {lon, lat, lon, lat};
    cor_error_t err = {0};
    ck_assert_int_eq(cor__shp_each(shp, &q, find_holders, &c, &err), COR_OK);
    ck_assert_msg(c.n == 1, "%g,%g lies in %d countries", lon, lat, c.n);
    ck_assert_str_eq(c.holders[0], iso);
    cor__shp_close(shp);
}

START_TEST(simferopol_and_sevastopol_are_in_ukraine)
{
    assert_only_in(34.10, 44.95, "UA"); /* Simferopol */
    assert_only_in(33.52, 44.60, "UA"); /* Sevastopol */
    assert_only_in(36.47, 45.36, "UA"); /* Kerch */
}
END_TEST

START_TEST(story_cities_are_in_their_countries)
{
    assert_only_in(27.57, 53.90, "BY");   /* Minsk */
    assert_only_in(27.535, 52.785, "BY"); /* Salihorsk */
    assert_only_in(21.12, 55.72, "LT");   /* Klaipėda */
    assert_only_in(25.32, 54.68, "LT");   /* Vilnius */
    assert_only_in(31.30, 51.50, "UA");   /* Chernihiv */
    assert_only_in(30.52, 50.43, "UA");   /* Kyiv */
}
END_TEST

/* ---- no border across the Perekop isthmus ---- */

static cor_status_t count_vertices(const cor__feature_t *f, void *ud, cor_error_t *err)
{
    (void)err;
    long *n = ud;
    for (size_t i = 0; i < f->geom->npoints; i++)
        *n += f->geom->x[i] > 32 && f->geom->x[i] < 36.5 && f->geom->y[i] > 44 &&
              f->geom->y[i] < 46.6;
    return COR_OK;
}

START_TEST(no_boundary_line_cuts_off_crimea)
{
    cor__shp_t *shp = open_layer("boundaries");
    long n = 0;
    cor_error_t err = {0};
    ck_assert_int_eq(cor__shp_each(shp, NULL, count_vertices, &n, &err), COR_OK);
    ck_assert_int_eq(n, 0);
    cor__shp_close(shp);
}
END_TEST

/* ---- attributes ---- */

typedef struct {
    const char *field, *value, *want_field;
    char found[64];
    int matches;
} lookup_t;

static cor_status_t match_field(const cor__feature_t *f, void *ud, cor_error_t *err)
{
    (void)err;
    lookup_t *l = ud;
    if (strcmp(str_attr(f, l->field), l->value) == 0) {
        l->matches++;
        snprintf(l->found, sizeof l->found, "%s", str_attr(f, l->want_field));
    }
    return COR_OK;
}

static lookup_t lookup(const char *layer, const char *field, const char *value, const char *want)
{
    cor__shp_t *shp = open_layer(layer);
    lookup_t l = {.field = field, .value = value, .want_field = want};
    cor_error_t err = {0};
    ck_assert_int_eq(cor__shp_each(shp, NULL, match_field, &l, &err), COR_OK);
    cor__shp_close(shp);
    return l;
}

START_TEST(crimean_regions_and_places_are_ukrainian)
{
    ck_assert_str_eq(lookup("regions", "name_en", "Crimea", "iso_a2").found, "UA");
    ck_assert_str_eq(lookup("regions", "name_en", "Sevastopol", "iso_a2").found, "UA");
    ck_assert_str_eq(lookup("places", "name", "Simferopol", "iso_a2").found, "UA");
    ck_assert_str_eq(lookup("places", "name", "Sevastopol", "adm0name").found, "Ukraine");
}
END_TEST

/* ---- no field that says Crimea is Russia ---- */

static bool says_russia(const char *v)
{
    return strcmp(v, "RU") == 0 || strcmp(v, "RUS") == 0 || strcmp(v, "Russia") == 0;
}

/* A scan of a layer's Crimean features (as `in_crimea` picks them): how many there are, and
 * how many of their string fields say Russia (the first one named in `first`). */
typedef struct {
    bool (*in_crimea)(const cor__feature_t *f);
    int features, russian;
    char first[128];
} crimea_t;

static cor_status_t count_russian(const cor__feature_t *f, void *ud, cor_error_t *err)
{
    (void)err;
    crimea_t *c = ud;
    if (!c->in_crimea(f))
        return COR_OK;
    c->features++;
    for (size_t i = 0; i < f->nfields; i++) {
        if (f->values[i].type != COR__ATTR_STRING || !says_russia(f->values[i].str))
            continue;
        if (c->russian++ == 0)
            snprintf(c->first, sizeof c->first, "%s = %s", f->names[i], f->values[i].str);
    }
    return COR_OK;
}

static bool crimean_region(const cor__feature_t *f)
{
    const char *n = str_attr(f, "name_en");
    return strcmp(n, "Crimea") == 0 || strcmp(n, "Sevastopol") == 0;
}

/* A point on the peninsula: south of the Perekop isthmus, west of the Kerch strait. */
static bool crimean_point(const cor__feature_t *f)
{
    return f->geom->npoints == 1 && f->geom->x[0] > 32.4 && f->geom->x[0] < 36.6 &&
           f->geom->y[0] > 44.3 && f->geom->y[0] < 46.1;
}

static crimea_t crimea_scan(const char *layer, bool (*in_crimea)(const cor__feature_t *f))
{
    cor__shp_t *shp = open_layer(layer);
    crimea_t c = {.in_crimea = in_crimea};
    cor_error_t err = {0};
    ck_assert_int_eq(cor__shp_each(shp, NULL, count_russian, &c, &err), COR_OK);
    cor__shp_close(shp);
    return c;
}

START_TEST(no_crimean_feature_keeps_a_field_saying_russia)
{
    crimea_t regions = crimea_scan("regions", crimean_region);
    crimea_t places = crimea_scan("places", crimean_point);
    ck_assert_int_eq(regions.features, 2); /* Crimea and Sevastopol */
    ck_assert_int_ge(places.features, 5);  /* Simferopol, Sevastopol, Kerch, Yalta, ... */
    ck_assert_msg(regions.russian == 0, "a Crimean region keeps %s", regions.first);
    ck_assert_msg(places.russian == 0, "a Crimean place keeps %s", places.first);
}
END_TEST

START_TEST(places_use_local_spellings)
{
    const char *local[][2] = {{"Kiev", "Kyiv"},
                              {"Odessa", "Odesa"},
                              {"Klaipeda", "Klaip\xc4\x97"
                                           "da"},
                              {"Siauliai", "\xc5\xa0"
                                           "iauliai"}};
    for (size_t i = 0; i < sizeof local / sizeof local[0]; i++) {
        lookup_t l = lookup("places", "name_en", local[i][0], "name");
        ck_assert_msg(l.matches == 1, "%s: %d matches", local[i][0], l.matches);
        ck_assert_str_eq(l.found, local[i][1]);
    }
    ck_assert_int_eq(lookup("places", "name", "Kiev", "name").matches, 0);
    ck_assert_int_eq(lookup("places", "name", "Dnipropetrovsk", "name").matches, 0);
    ck_assert_int_eq(lookup("places", "name", "Dnipro", "name").matches, 1);
    ck_assert_int_eq(lookup("places", "name", "Hrodna", "name").matches, 1);
}
END_TEST

START_TEST(every_layer_is_utf8_with_prj)
{
    const char *layers[] = {"countries", "regions", "land",       "sea",
                            "lakes",     "rivers",  "boundaries", "places"};
    for (size_t i = 0; i < sizeof layers / sizeof layers[0]; i++) {
        cor__shp_t *shp = open_layer(layers[i]);
        ck_assert_str_eq(cor__shp_encoding(shp), "UTF-8");
        ck_assert_str_eq(cor__shp_encoding_source(shp), ".cpg");
        ck_assert_ptr_nonnull(cor__shp_prj(shp));
        ck_assert_ptr_nonnull(strstr(cor__shp_prj(shp), "WGS_1984"));
        cor_bbox_t b;
        ck_assert(cor__shp_extent(shp, &b));
        ck_assert(b.minx >= 5 - 1e-9 && b.maxx <= 53 + 1e-9 && b.miny >= 42 - 1e-9 &&
                  b.maxy <= 65 + 1e-9);
        cor__shp_close(shp);
    }
}
END_TEST

static Suite *geodata_suite(void)
{
    Suite *s = suite_create("geodata");
    TCase *t = tcase_create("geodata");
    tcase_add_test(t, simferopol_and_sevastopol_are_in_ukraine);
    tcase_add_test(t, story_cities_are_in_their_countries);
    tcase_add_test(t, no_boundary_line_cuts_off_crimea);
    tcase_add_test(t, crimean_regions_and_places_are_ukrainian);
    tcase_add_test(t, no_crimean_feature_keeps_a_field_saying_russia);
    tcase_add_test(t, places_use_local_spellings);
    tcase_add_test(t, every_layer_is_utf8_with_prj);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return cor_test_run(geodata_suite());
}
