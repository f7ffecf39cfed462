/* SPDX-License-Identifier: MIT */
/* Unit tests for simplestyle: the look and label simplestyle-spec properties give a feature.
 * Features come from small GeoJSON texts read with source_json, as they do on a map. Failure
 * cases first: every wrong value gives one message naming the feature and the property. */
#include <stdlib.h>
#include <string.h>

#include "simplestyle.h"
#include "source_json.h"
#include "testutil.h"
#include "util.h"

#define NAME "t.geojson"

/* ---- helpers ---- */

static cor_status_t parse_text(const char *text, cor__json_t **j, cor_error_t *err)
{
    cor_error_clear(err);
    return cor__json_parse(text, strlen(text), NAME, j, err);
}

/* Wraps a geometry in a one-feature FeatureCollection. */
static char *in_feature(const char *geometry, const char *properties)
{
    char *s = cor__asprintf("{\"type\": \"FeatureCollection\", \"features\": [{\"type\": "
                            "\"Feature\", \"properties\": %s, \"geometry\": %s}]}",
                            properties, geometry);
    ck_assert_ptr_nonnull(s);
    return s;
}

/* Parses a one-feature collection and returns its look (status in *st). */
typedef struct look_case {
    cor__look_t look;
    char *label;
    cor_error_t err;
    cor_status_t st;
} look_case_t;

static cor_status_t look_cb(const cor__feature_t *f, void *ud, cor_error_t *err)
{
    look_case_t *c = ud;
    c->st = cor__simplestyle_look(f, COR__GEOM_NONE, &c->look, &c->label, &c->err);
    (void)err;
    return COR_OK;
}

static look_case_t look_of(const char *geometry, const char *properties)
{
    look_case_t c;
    memset(&c, 0, sizeof c);
    c.st = COR_ERR_INTERNAL;
    cor_error_clear(&c.err);
    char *t = in_feature(geometry, properties);
    cor__json_t *j = NULL;
    cor_error_t err;
    ck_assert_msg(parse_text(t, &j, &err) == COR_OK, "%s", err.message);
    ck_assert_uint_eq(cor__json_count(j), 1);
    ck_assert_int_eq(cor__json_each(j, look_cb, &c, &err), COR_OK);
    cor__json_close(j);
    free(t);
    return c;
}

#define POINT   "{\"type\": \"Point\", \"coordinates\": [21.1, 55.7]}"
#define LINE    "{\"type\": \"LineString\", \"coordinates\": [[25.3, 54.7], [21.1, 55.7]]}"
#define POLYGON "{\"type\": \"Polygon\", \"coordinates\": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}"

static void assert_color(cor_color_t c, unsigned hex, double a)
{
    ck_assert_double_eq_tol(c.r, ((hex >> 16) & 0xFF) / 255.0, 1e-12);
    ck_assert_double_eq_tol(c.g, ((hex >> 8) & 0xFF) / 255.0, 1e-12);
    ck_assert_double_eq_tol(c.b, (hex & 0xFF) / 255.0, 1e-12);
    ck_assert_double_eq_tol(c.a, a, 1e-12);
}

static void expect_look_fail(const char *geometry, const char *properties, const char *msg)
{
    look_case_t c = look_of(geometry, properties);
    ck_assert_int_eq(c.st, COR_ERR_DATA);
    ck_assert_int_eq(c.err.code, COR_ERR_DATA);
    ck_assert_str_eq(c.err.message, msg);
    ck_assert_ptr_null(c.label);
}

/* ---- failures ---- */

START_TEST(look_rejects_bad_values)
{
    expect_look_fail(LINE, "{\"stroke\": \"blu\"}", "features[0]: stroke: 'blu' is not a colour");
    expect_look_fail(POLYGON, "{\"fill\": 255}",
                     "features[0]: fill: expected a colour, not a number");
    expect_look_fail(LINE, "{\"stroke-width\": \"4\"}",
                     "features[0]: stroke-width: expected a number, not text");
    expect_look_fail(LINE, "{\"stroke-width\": -1}",
                     "features[0]: stroke-width: -1 is outside 0..100");
    expect_look_fail(LINE, "{\"stroke-opacity\": 1.5}",
                     "features[0]: stroke-opacity: 1.5 is outside 0..1");
    expect_look_fail(POLYGON, "{\"fill-opacity\": true}",
                     "features[0]: fill-opacity: expected a number, not true");
    expect_look_fail(POINT, "{\"marker-color\": \"#12345\"}",
                     "features[0]: marker-color: '#12345' is not a colour");
    expect_look_fail(POINT, "{\"marker-size\": \"huge\"}",
                     "features[0]: marker-size: 'huge' is not small, medium or large");
    expect_look_fail(POINT, "{\"marker-size\": 12}",
                     "features[0]: marker-size: expected small, medium or large, not a number");
    expect_look_fail(POINT, "{\"marker-symbol\": false}",
                     "features[0]: marker-symbol: expected a name, not false");
    /* the title is read after the look: a bad look leaves no label behind (checked above) */
    expect_look_fail(LINE, "{\"title\": \"A\", \"stroke\": \"nope\"}",
                     "features[0]: stroke: 'nope' is not a colour");
}
END_TEST

/* ---- looks ---- */

START_TEST(look_defaults_per_spec)
{
    look_case_t c = look_of(LINE, "{}");
    ck_assert_int_eq(c.st, COR_OK);
    ck_assert(c.look.stroke_on);
    assert_color(c.look.stroke, 0x555555, 1.0);
    ck_assert_double_eq(c.look.width, 1.5); /* 2 px */
    ck_assert(!c.look.fill_on);
    ck_assert_int_eq(c.look.marker, COR__MARKER_NONE);
    ck_assert_double_eq(c.look.opacity, 1.0);
    ck_assert_int_eq(c.look.ndash, 0);
    ck_assert(!c.look.casing_on);
    ck_assert_ptr_null(c.label);

    c = look_of(POLYGON, "null");
    ck_assert_int_eq(c.st, COR_OK);
    ck_assert(c.look.fill_on);
    assert_color(c.look.fill, 0x555555, 0.6);
    ck_assert(c.look.stroke_on);
    assert_color(c.look.stroke, 0x555555, 1.0);
    ck_assert_double_eq(c.look.width, 1.5);
    ck_assert_double_eq(c.look.opacity, 1.0);

    c = look_of(POINT, "{}");
    ck_assert_int_eq(c.st, COR_OK);
    ck_assert_int_eq(c.look.marker, COR__MARKER_CIRCLE);
    ck_assert_double_eq(c.look.size, 9);
    ck_assert(c.look.fill_on);
    assert_color(c.look.fill, 0x7e7e7e, 1.0);
    ck_assert(c.look.stroke_on);
    assert_color(c.look.stroke, 0xffffff, 1.0);
    ck_assert_double_eq(c.look.width, 0.75);

    /* null values are unset */
    c = look_of(POLYGON, "{\"fill\": null, \"stroke-width\": null, \"title\": null}");
    ck_assert_int_eq(c.st, COR_OK);
    assert_color(c.look.fill, 0x555555, 0.6);
    ck_assert_double_eq(c.look.width, 1.5);
    ck_assert_ptr_null(c.label);
}
END_TEST

START_TEST(look_applies_everything)
{
    look_case_t c = look_of(POLYGON, "{\"stroke\": \"#d62728\", \"stroke-width\": 4, "
                                     "\"stroke-opacity\": 0.5, \"fill\": \"#00f\", "
                                     "\"fill-opacity\": 0.25, \"title\": \"Curonian Spit\", "
                                     "\"marker-color\": \"not read for polygons\"}");
    ck_assert_msg(c.st == COR_OK, "%s", c.err.message);
    assert_color(c.look.stroke, 0xd62728, 0.5);
    ck_assert_double_eq(c.look.width, 3.0);
    assert_color(c.look.fill, 0x0000ff, 0.25);
    ck_assert_double_eq(c.look.opacity, 1.0);
    ck_assert_str_eq(c.label, "Curonian Spit");
    free(c.label);

    /* opacity multiplies an alpha the colour already has; '#' may be left out */
    c = look_of(LINE, "{\"stroke\": \"#ff000080\", \"stroke-opacity\": 0.5, \"fill\": \"bad\"}");
    ck_assert_msg(c.st == COR_OK, "%s", c.err.message);
    assert_color(c.look.stroke, 0xff0000, 0.5 * 128 / 255.0);
    ck_assert(!c.look.fill_on);
    c = look_of(LINE, "{\"stroke\": \"d62728\"}");
    assert_color(c.look.stroke, 0xd62728, 1.0);
    c = look_of(LINE, "{\"stroke\": \"0af\"}");
    assert_color(c.look.stroke, 0x00aaff, 1.0);
    c = look_of(LINE, "{\"stroke\": \"red\"}");
    assert_color(c.look.stroke, 0xff0000, 1.0);

    /* a zero width turns the stroke off */
    c = look_of(LINE, "{\"stroke-width\": 0}");
    ck_assert(!c.look.stroke_on);

    c = look_of(POINT, "{\"marker-color\": \"#1f77b4\", \"marker-size\": \"large\", "
                       "\"marker-symbol\": \"harbor\", \"title\": 42}");
    ck_assert_msg(c.st == COR_OK, "%s", c.err.message);
    assert_color(c.look.fill, 0x1f77b4, 1.0);
    ck_assert_double_eq(c.look.size, 13);
    ck_assert_int_eq(c.look.marker, COR__MARKER_SQUARE);
    ck_assert_str_eq(c.label, "42");
    free(c.label);
}
END_TEST

START_TEST(look_marker_sizes_and_symbols)
{
    static const struct {
        const char *props;
        double size;
        cor__marker_t marker;
    } cases[] = {
        {"{\"marker-size\": \"small\"}", 6, COR__MARKER_CIRCLE},
        {"{\"marker-size\": \"medium\"}", 9, COR__MARKER_CIRCLE},
        {"{\"marker-size\": \"LARGE\"}", 13, COR__MARKER_CIRCLE},
        {"{\"marker-symbol\": \"rail\"}", 9, COR__MARKER_SQUARE},
        {"{\"marker-symbol\": \"airport\"}", 9, COR__MARKER_SQUARE},
        {"{\"marker-symbol\": \"square-stroked\"}", 9, COR__MARKER_SQUARE},
        {"{\"marker-symbol\": \"triangle\"}", 9, COR__MARKER_TRIANGLE},
        {"{\"marker-symbol\": \"mountain\"}", 9, COR__MARKER_TRIANGLE},
        {"{\"marker-symbol\": \"danger\"}", 9, COR__MARKER_TRIANGLE},
        {"{\"marker-symbol\": \"star\"}", 9, COR__MARKER_STAR},
        {"{\"marker-symbol\": \"monument\"}", 9, COR__MARKER_STAR},
        {"{\"marker-symbol\": \"cross\"}", 9, COR__MARKER_CROSS},
        {"{\"marker-symbol\": \"hospital\"}", 9, COR__MARKER_CROSS},
        {"{\"marker-symbol\": \"diamond\"}", 9, COR__MARKER_DIAMOND},
        {"{\"marker-symbol\": \"town-hall\"}", 9, COR__MARKER_CAPITAL},
        {"{\"marker-symbol\": \"Harbor\"}", 9, COR__MARKER_SQUARE},
        {"{\"marker-symbol\": \"circle-stroked\"}", 9, COR__MARKER_CIRCLE},
        {"{\"marker-symbol\": \"cafe\"}", 9, COR__MARKER_CIRCLE},
        {"{\"marker-symbol\": \"a\"}", 9, COR__MARKER_CIRCLE},
        {"{\"marker-symbol\": \"7\"}", 9, COR__MARKER_CIRCLE},
        {"{\"marker-symbol\": 7}", 9, COR__MARKER_CIRCLE},
        {"{\"marker-symbol\": \"\"}", 9, COR__MARKER_CIRCLE},
    };
    for (size_t i = 0; i < COR__ARRAY_LEN(cases); i++) {
        look_case_t c = look_of(POINT, cases[i].props);
        ck_assert_msg(c.st == COR_OK, "%s: %s", cases[i].props, c.err.message);
        ck_assert_msg(c.look.size == cases[i].size, "%s", cases[i].props);
        ck_assert_msg(c.look.marker == cases[i].marker, "%s: %d", cases[i].props, c.look.marker);
    }
}
END_TEST

START_TEST(look_titles)
{
    look_case_t c = look_of(LINE, "{\"title\": \"\"}");
    ck_assert_int_eq(c.st, COR_OK);
    ck_assert_ptr_null(c.label);
    c = look_of(LINE, "{\"title\": true}");
    ck_assert_str_eq(c.label, "true");
    free(c.label);
    c = look_of(LINE, "{\"title\": 2.5}");
    ck_assert_str_eq(c.label, "2.5");
    free(c.label);
    c = look_of(LINE, "{\"name\": \"not the label\"}");
    ck_assert_ptr_null(c.label);
}
END_TEST

/* The kind passed in wins over the geometry's; a NULL label is allowed. */
static cor_status_t look_as_polygon(const cor__feature_t *f, void *ud, cor_error_t *err)
{
    return cor__simplestyle_look(f, COR__GEOM_POLYGON, ud, NULL, err);
}

START_TEST(look_kind_argument)
{
    char *t = in_feature(LINE, "{\"title\": \"x\"}");
    cor__json_t *j = NULL;
    cor_error_t err;
    ck_assert_int_eq(parse_text(t, &j, &err), COR_OK);
    cor__look_t look;
    memset(&look, 0, sizeof look);
    ck_assert_int_eq(cor__json_each(j, look_as_polygon, &look, &err), COR_OK);
    ck_assert(look.fill_on);
    assert_color(look.fill, 0x555555, 0.6);
    cor__json_close(j);
    free(t);
}
END_TEST

/* Every geometry type in one file, each of whose looks resolves: labels are counted. */
static cor_status_t look_ok(const cor__feature_t *f, void *ud, cor_error_t *err)
{
    cor__look_t look;
    char *label = NULL;
    cor_status_t st = cor__simplestyle_look(f, COR__GEOM_NONE, &look, &label, err);
    if (st == COR_OK && label)
        (*(int *)ud)++;
    free(label);
    return st;
}

START_TEST(all_geometries_fixture_looks)
{
    char *path = cor_test_src("tests/fixtures/geojson/all_geometries.geojson");
    cor__json_t *j = NULL;
    cor_error_t err;
    cor_error_clear(&err);
    ck_assert_msg(cor__json_open(path, &j, &err) == COR_OK, "%s", err.message);
    int labels = 0;
    ck_assert_msg(cor__json_each(j, look_ok, &labels, &err) == COR_OK, "%s", err.message);
    ck_assert_int_eq(labels, 4);
    cor__json_close(j);
    free(path);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("simplestyle");
    TCase *fail = tcase_create("failures");
    tcase_add_test(fail, look_rejects_bad_values);
    suite_add_tcase(s, fail);

    TCase *look = tcase_create("looks");
    tcase_add_test(look, look_defaults_per_spec);
    tcase_add_test(look, look_applies_everything);
    tcase_add_test(look, look_marker_sizes_and_symbols);
    tcase_add_test(look, look_titles);
    tcase_add_test(look, look_kind_argument);
    tcase_add_test(look, all_geometries_fixture_looks);
    suite_add_tcase(s, look);
    return s;
}

int main(void)
{
    return cor_test_run(suite());
}
