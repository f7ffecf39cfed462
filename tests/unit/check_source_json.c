/* SPDX-License-Identifier: MIT */
/* Unit tests for source_json. Failure cases come first: every malformed text must give one
 * error with the exact message naming the file and the line or JSON path at fault. Then reading
 * (parts and points per geometry type, properties typed); the looks are check_simplestyle's. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "files.h"
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

/* Parses `text`, which must fail with `code` and exactly `msg` (after "t.geojson: "). */
static void expect_fail(const char *text, cor_status_t code, const char *msg)
{
    cor__json_t *j = NULL;
    cor_error_t err;
    cor_status_t st = parse_text(text, &j, &err);
    ck_assert_ptr_null(j);
    ck_assert_msg(st == code, "status %d, wanted %d for: %s (%s)", st, code, text, err.message);
    ck_assert_int_eq(err.code, code);
    char *want = cor__asprintf("%s: %s", NAME, msg);
    ck_assert_str_eq(err.message, want);
    free(want);
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

static void expect_geom_fail(const char *geometry, cor_status_t code, const char *msg)
{
    char *text = in_feature(geometry, "{}");
    expect_fail(text, code, msg);
    free(text);
}

/* What a callback saw: copies of every feature's geometry and a text form of its attributes. */
typedef struct seen {
    size_t n;
    long id[16];
    cor__geom_t geom[16];
    char attrs[16][512];
    int stop_after; /* return COR_ERR_DATA after this many, 0: never */
} seen_t;

static void describe(const cor__attr_t *a, char *out, size_t n)
{
    switch (a->type) {
    case COR__ATTR_NULL:
        snprintf(out, n, "null");
        break;
    case COR__ATTR_STRING:
        snprintf(out, n, "s:%s", a->str);
        break;
    case COR__ATTR_NUMBER:
        snprintf(out, n, "n:%.17g", a->num);
        break;
    case COR__ATTR_BOOL:
        snprintf(out, n, "b:%d", a->b);
        break;
    }
}

static cor_status_t collect(const cor__feature_t *f, void *ud, cor_error_t *err)
{
    seen_t *s = ud;
    ck_assert_uint_lt(s->n, 16);
    s->id[s->n] = f->id;
    ck_assert(cor__geom_copy(&s->geom[s->n], f->geom));
    char *p = s->attrs[s->n];
    p[0] = '\0';
    for (size_t i = 0; i < f->nfields; i++) {
        char v[256];
        describe(&f->values[i], v, sizeof v);
        size_t len = strlen(p);
        snprintf(p + len, 512 - len, "%s%s=%s", i ? ";" : "", f->names[i], v);
    }
    s->n++;
    if (s->stop_after && (int)s->n == s->stop_after)
        return cor__fail(err, COR_ERR_DATA, "stopped");
    return COR_OK;
}

static void seen_free(seen_t *s)
{
    for (size_t i = 0; i < s->n; i++)
        cor__geom_free(&s->geom[i]);
}

/* Parses `text`, which must succeed, and collects its features. */
static void read_all(const char *text, seen_t *s)
{
    cor__json_t *j = NULL;
    cor_error_t err;
    memset(s, 0, sizeof *s);
    cor_status_t st = parse_text(text, &j, &err);
    ck_assert_msg(st == COR_OK, "%s", err.message);
    ck_assert_int_eq(cor__json_each(j, collect, s, &err), COR_OK);
    ck_assert_uint_eq(cor__json_count(j), s->n);
    cor__json_close(j);
}

static void assert_part(const cor__geom_t *g, size_t part, size_t npoints)
{
    ck_assert_uint_lt(part, g->nparts);
    ck_assert_uint_eq(g->parts[part + 1] - g->parts[part], npoints);
}

static void assert_point(const cor__geom_t *g, size_t i, double x, double y)
{
    ck_assert_uint_lt(i, g->npoints);
    ck_assert_double_eq(g->x[i], x);
    ck_assert_double_eq(g->y[i], y);
}

/* ---- failures: the file and the text ---- */

START_TEST(missing_file)
{
    cor__json_t *j = NULL;
    cor_error_t err;
    cor_error_clear(&err);
    ck_assert_int_eq(cor__json_open("/nonexistent/routes.geojson", &j, &err), COR_ERR_IO);
    ck_assert_ptr_null(j);
    ck_assert_str_eq(err.message,
                     "/nonexistent/routes.geojson: cannot open: No such file or directory");
}
END_TEST

START_TEST(file_over_size_limit)
{
    char *dir = cor_test_tmpdir("json_limit");
    char *path = cor__path_join(dir, "big.geojson");
    cor_test_write(path, "{}", 2);
    ck_assert_int_eq(truncate(path, (off_t)COR__JSON_MAX_BYTES + 1), 0); /* sparse */
    cor__json_t *j = NULL;
    cor_error_t err;
    cor_error_clear(&err);
    ck_assert_int_eq(cor__json_open(path, &j, &err), COR_ERR_LIMIT);
    ck_assert_ptr_null(j);
    char *want = cor__asprintf("%s: 67108865 bytes, more than the 67108864 accepted", path);
    ck_assert_str_eq(err.message, want);
    free(want);
    unlink(path);
    rmdir(dir);
    free(path);
    free(dir);
}
END_TEST

START_TEST(text_over_limits)
{
    const char *text = "{\"type\": \"MultiPoint\", \"coordinates\": [[1, 2], [3, 4], [5, 6]]}";
    cor__json_limits_t lim = {.max_bytes = 20, .max_values = 1000, .max_positions = 1000};
    cor__json_t *j = NULL;
    cor_error_t err;
    cor_error_clear(&err);
    ck_assert_int_eq(cor__json_parse_limited(text, strlen(text), NAME, &lim, &j, &err),
                     COR_ERR_LIMIT);
    ck_assert_str_eq(err.message, NAME ": 63 bytes, more than the 20 accepted");
    /* values: the root, 4 '[' and 3 ',' outside strings (the one in the key is not counted) */
    const char *key = "{\"type\": \"MultiPoint\", \"a,b[\": 1, \"coordinates\": [[1, 2], [3, 4]]}";
    lim = (cor__json_limits_t){.max_bytes = 1000, .max_values = 8, .max_positions = 1000};
    cor_error_clear(&err);
    ck_assert_int_eq(cor__json_parse_limited(key, strlen(key), NAME, &lim, &j, &err),
                     COR_ERR_LIMIT);
    ck_assert_str_eq(err.message, NAME ": about 10 JSON values, more than the 8 accepted");
    lim.max_values = 10;
    ck_assert_int_eq(cor__json_parse_limited(key, strlen(key), NAME, &lim, &j, &err), COR_OK);
    cor__json_close(j);
    j = NULL;
    /* positions: 3 fit, a 4th does not */
    lim = (cor__json_limits_t){.max_bytes = 1000, .max_values = 1000, .max_positions = 2};
    cor_error_clear(&err);
    ck_assert_int_eq(cor__json_parse_limited(text, strlen(text), NAME, &lim, &j, &err),
                     COR_ERR_LIMIT);
    ck_assert_str_eq(err.message, NAME ": more than 2 positions");
    lim.max_positions = 3;
    ck_assert_int_eq(cor__json_parse_limited(text, strlen(text), NAME, &lim, &j, &err), COR_OK);
    cor__json_close(j);
}
END_TEST

START_TEST(closing_point_counts_against_the_limit)
{
    const char *ring = "{\"type\": \"Polygon\", \"coordinates\": [[[0, 0], [1, 0], [1, 1]]]}";
    cor__json_limits_t lim = {.max_bytes = 1000, .max_values = 1000, .max_positions = 3};
    cor__json_t *j = NULL;
    cor_error_t err;
    cor_error_clear(&err);
    ck_assert_int_eq(cor__json_parse_limited(ring, strlen(ring), NAME, &lim, &j, &err),
                     COR_ERR_LIMIT);
    ck_assert_ptr_null(j);
}
END_TEST

START_TEST(malformed_json)
{
    expect_fail("{\"type\": \"FeatureCollection\",\n\"features\": [\n", COR_ERR_DATA,
                "line 3: unexpected end of data");
    expect_fail("{\"type\": \"Point\",\n \"coordinates\": [1, 2]} x", COR_ERR_DATA,
                "line 2: unexpected character 'x'");
    expect_fail("{\"type\": \"Point\", \"coordinates\": [1, 2]}\n{}", COR_ERR_DATA,
                "line 2: unexpected character '{'");
    expect_fail("{\"type\": \"Point\", \"coordinates\": [1, 2],}", COR_ERR_DATA,
                "line 1: unexpected character '}'");
    expect_fail("{'type': 'Point'}", COR_ERR_DATA, "line 1: unexpected character '''");
    expect_fail("{\"type\" \"Point\"}", COR_ERR_DATA,
                "line 1: object property name separator ':' expected");
    expect_fail("{\"type\": \"Point\", \"coordinates\": [01, 2]}", COR_ERR_DATA,
                "line 1: number expected");
    expect_fail("", COR_ERR_DATA, "empty file: no JSON in it");
    expect_fail(" \n\t\r\n", COR_ERR_DATA, "empty file: no JSON in it");
    expect_fail("\"Point\"", COR_ERR_DATA, "expected a GeoJSON object, not text");
    expect_fail("[1, 2]", COR_ERR_DATA, "expected a GeoJSON object, not an array");
    expect_fail("null", COR_ERR_DATA, "expected a GeoJSON object, not null");
    expect_fail("123", COR_ERR_DATA, "expected a GeoJSON object, not a number");
}
END_TEST

START_TEST(invalid_encoding)
{
    expect_fail("{\n\"type\": \"Point\xff\", \"coordinates\": [1, 2]}", COR_ERR_DATA,
                "line 2: invalid UTF-8");
    expect_fail("{\"title\": \"\xC0\xAF\"}", COR_ERR_DATA, "line 1: invalid UTF-8"); /* overlong */
    expect_fail("{\"t\": \"\xED\xA0\x80\"}", COR_ERR_DATA, "line 1: invalid UTF-8"); /* surrogate */
    expect_fail("{\"t\": \"Klaip\xC4\"}", COR_ERR_DATA, "line 1: invalid UTF-8");    /* truncated */
    expect_fail("\xFF\xFE{\x00", COR_ERR_DATA, "is UTF-16; GeoJSON must be UTF-8");
    /* a NUL byte: parse_text uses strlen, so go through the length */
    const char nul[] = "{\"type\":\n\"Point\0\"}";
    cor__json_t *j = NULL;
    cor_error_t err;
    cor_error_clear(&err);
    ck_assert_int_eq(cor__json_parse(nul, sizeof nul - 1, NAME, &j, &err), COR_ERR_DATA);
    ck_assert_str_eq(err.message, NAME ": line 2: NUL byte in the text");
}
END_TEST

START_TEST(too_deep)
{
    char text[512];
    int n = snprintf(text, sizeof text, "{\"type\": \"Point\", \"coordinates\": [1, 2], \"x\": ");
    for (int i = 0; i < 70; i++)
        text[n++] = '[';
    text[n] = '\0';
    expect_fail(text, COR_ERR_DATA, "line 1: nesting too deep (more than 64 levels)");

    /* 20 levels in a property are fine, and come back as compact JSON text */
    seen_t s;
    char *props =
        cor__asprintf("{\"deep\": %s1%s}", "[[[[[[[[[[[[[[[[[[[[", "]]]]]]]]]]]]]]]]]]]]");
    char *doc = in_feature("{\"type\": \"Point\", \"coordinates\": [1, 2]}", props);
    read_all(doc, &s);
    ck_assert_str_eq(s.attrs[0], "deep=s:[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]");
    seen_free(&s);
    free(doc);
    free(props);
}
END_TEST

/* ---- failures: GeoJSON structure ---- */

START_TEST(wrong_root)
{
    expect_fail("{\"features\": []}", COR_ERR_DATA, "\"type\" is missing");
    expect_fail("{\"type\": 7}", COR_ERR_DATA, "\"type\" must be text, not a number");
    expect_fail("{\"type\": \"Topology\"}", COR_ERR_DATA, "unknown geometry type 'Topology'");
    expect_fail("{\"type\": \"FeatureCollection\"}", COR_ERR_DATA, "\"features\" is missing");
    expect_fail("{\"type\": \"FeatureCollection\", \"features\": {}}", COR_ERR_DATA,
                "features: expected an array, not an object");
    expect_fail("{\"type\": \"FeatureCollection\", \"features\": [null]}", COR_ERR_DATA,
                "features[0]: expected a Feature object, not null");
    expect_fail("{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Point\", "
                "\"coordinates\": [1, 2]}]}",
                COR_ERR_DATA, "features[0]: expected a Feature, not a 'Point'");
    expect_fail("{\"type\": \"Feature\", \"properties\": {}}", COR_ERR_DATA,
                "\"geometry\" is missing (null means none)");
    expect_fail("{\"type\": \"FeatureCollection\", \"crs\": {\"type\": \"name\", \"properties\": "
                "{\"name\": \"urn:ogc:def:crs:EPSG::3857\"}}, \"features\": []}",
                COR_ERR_DATA,
                "crs: 'urn:ogc:def:crs:EPSG::3857' is not longitude/latitude; GeoJSON overlays "
                "must be in WGS 84 degrees (RFC 7946)");
}
END_TEST

START_TEST(wrong_geometry)
{
    expect_geom_fail("{\"type\": \"Circle\", \"coordinates\": [1, 2]}", COR_ERR_DATA,
                     "features[0].geometry: unknown geometry type 'Circle'");
    expect_geom_fail("{\"type\": \"linestring\", \"coordinates\": [[1, 2], [3, 4]]}", COR_ERR_DATA,
                     "features[0].geometry: unknown geometry type 'linestring'");
    expect_geom_fail("{\"coordinates\": [1, 2]}", COR_ERR_DATA,
                     "features[0].geometry: \"type\" is missing");
    expect_geom_fail("[1, 2]", COR_ERR_DATA,
                     "features[0].geometry: expected a geometry object, not an array");
    expect_geom_fail("{\"type\": \"Point\"}", COR_ERR_DATA,
                     "features[0].geometry: \"coordinates\" is missing");
    expect_geom_fail("{\"type\": \"Point\", \"coordinates\": \"25.3,54.7\"}", COR_ERR_DATA,
                     "features[0].geometry.coordinates: expected an array, not text");
    expect_geom_fail("{\"type\": \"GeometryCollection\"}", COR_ERR_DATA,
                     "features[0].geometry: \"geometries\" is missing");
    expect_geom_fail("{\"type\": \"GeometryCollection\", \"geometries\": [{\"type\": \"Point\", "
                     "\"coordinates\": [1, 2]}, {\"type\": \"Point\", \"coordinates\": [1]}]}",
                     COR_ERR_DATA,
                     "features[0].geometry.geometries[1].coordinates: expected [lon, lat], not "
                     "1 number");
    expect_geom_fail("{\"type\": \"GeometryCollection\", \"geometries\": [null]}", COR_ERR_DATA,
                     "features[0].geometry.geometries[0]: expected a geometry object, not null");
}
END_TEST

START_TEST(wrong_positions)
{
    expect_geom_fail("{\"type\": \"LineString\", \"coordinates\": [[1, 2], 3]}", COR_ERR_DATA,
                     "features[0].geometry.coordinates[1]: expected [lon, lat], not a number");
    expect_geom_fail("{\"type\": \"LineString\", \"coordinates\": [[1, 2], [3]]}", COR_ERR_DATA,
                     "features[0].geometry.coordinates[1]: expected [lon, lat], not 1 number");
    expect_geom_fail("{\"type\": \"LineString\", \"coordinates\": [[1, 2], []]}", COR_ERR_DATA,
                     "features[0].geometry.coordinates[1]: expected [lon, lat], not 0 numbers");
    expect_geom_fail("{\"type\": \"LineString\", \"coordinates\": [[1, 2], [25, \"54\"]]}",
                     COR_ERR_DATA,
                     "features[0].geometry.coordinates[1]: latitude must be a number, not text");
    expect_geom_fail("{\"type\": \"Point\", \"coordinates\": [true, 2]}", COR_ERR_DATA,
                     "features[0].geometry.coordinates: longitude must be a number, not true");
    expect_geom_fail("{\"type\": \"Point\", \"coordinates\": [null, 2]}", COR_ERR_DATA,
                     "features[0].geometry.coordinates: longitude must be a number, not null");
    expect_geom_fail("{\"type\": \"MultiPolygon\", \"coordinates\": [[[[0, 0], [1, 0], [1, 1], "
                     "[0, 0]]], [[[0, 0], [1, 0], [1, 1], [0, \"x\"]]]]}",
                     COR_ERR_DATA,
                     "features[0].geometry.coordinates[1][0][3]: latitude must be a number, not "
                     "text");
    expect_geom_fail("{\"type\": \"MultiPolygon\", \"coordinates\": [[0, 0]]}", COR_ERR_DATA,
                     "features[0].geometry.coordinates[0][0]: expected an array of positions, "
                     "not a number");
    expect_geom_fail("{\"type\": \"MultiPolygon\", \"coordinates\": [7]}", COR_ERR_DATA,
                     "features[0].geometry.coordinates[0]: expected an array of rings, not a "
                     "number");
    expect_geom_fail("{\"type\": \"Polygon\", \"coordinates\": [\"ring\"]}", COR_ERR_DATA,
                     "features[0].geometry.coordinates[0]: expected an array of positions, not "
                     "text");
}
END_TEST

START_TEST(absurd_numbers)
{
    expect_geom_fail("{\"type\": \"Point\", \"coordinates\": [1e999, 2]}", COR_ERR_DATA,
                     "features[0].geometry.coordinates: longitude is not a finite number");
    expect_geom_fail("{\"type\": \"Point\", \"coordinates\": [1, -1e999]}", COR_ERR_DATA,
                     "features[0].geometry.coordinates: latitude is not a finite number");
    expect_geom_fail("{\"type\": \"Point\", \"coordinates\": [NaN, 2]}", COR_ERR_DATA,
                     "features[0].geometry.coordinates: longitude is not a finite number");
    expect_geom_fail("{\"type\": \"Point\", \"coordinates\": [1e308, 2]}", COR_ERR_DATA,
                     "features[0].geometry.coordinates: longitude 1e+308 is outside -180..180");
    expect_geom_fail("{\"type\": \"MultiPoint\", \"coordinates\": [[1, 2], [200, 2]]}",
                     COR_ERR_DATA,
                     "features[0].geometry.coordinates[1]: longitude 200 is outside -180..180");
    expect_geom_fail("{\"type\": \"Point\", \"coordinates\": [1, -90.5]}", COR_ERR_DATA,
                     "features[0].geometry.coordinates: latitude -90.5 is outside -90..90");
    expect_geom_fail("{\"type\": \"Point\", \"coordinates\": [2776000, 8438000]}", COR_ERR_DATA,
                     "features[0].geometry.coordinates: longitude 2776000 is outside -180..180");
}
END_TEST

START_TEST(too_few_positions)
{
    expect_geom_fail("{\"type\": \"LineString\", \"coordinates\": [[1, 2]]}", COR_ERR_DATA,
                     "features[0].geometry.coordinates: a line needs at least 2 positions, not 1");
    expect_geom_fail("{\"type\": \"MultiLineString\", \"coordinates\": [[[1, 2], [3, 4]], []]}",
                     COR_ERR_DATA,
                     "features[0].geometry.coordinates[1]: a line needs at least 2 positions, "
                     "not 0");
    expect_geom_fail("{\"type\": \"Polygon\", \"coordinates\": [[[0, 0], [1, 1], [0, 0]]]}",
                     COR_ERR_DATA,
                     "features[0].geometry.coordinates[0]: a ring needs at least 4 positions "
                     "(closed), not 3");
    /* unclosed: closed here, then 3 */
    expect_geom_fail("{\"type\": \"Polygon\", \"coordinates\": [[[0, 0], [1, 1]]]}", COR_ERR_DATA,
                     "features[0].geometry.coordinates[0]: a ring needs at least 4 positions "
                     "(closed), not 3");
    expect_geom_fail("{\"type\": \"MultiPolygon\", \"coordinates\": [[]]}", COR_ERR_DATA,
                     "features[0].geometry.coordinates[0]: a polygon needs at least one ring");
}
END_TEST

START_TEST(wrong_properties)
{
    const char *pt = "{\"type\": \"Point\", \"coordinates\": [1, 2]}";
    char *t = in_feature(pt, "7");
    expect_fail(t, COR_ERR_DATA,
                "features[0].properties: expected an object or null, not a number");
    free(t);
    t = in_feature(pt, "[\"a\"]");
    expect_fail(t, COR_ERR_DATA,
                "features[0].properties: expected an object or null, not an array");
    free(t);
    t = in_feature(pt, "{\"height\": 1e999}");
    expect_fail(t, COR_ERR_DATA, "features[0].properties.height: number is not finite");
    free(t);
    t = in_feature(pt, "{\"name\": \"a\\u0000b\"}");
    expect_fail(t, COR_ERR_DATA,
                "features[0].properties.name: text holds a NUL character (\\u0000)");
    free(t);
    t = in_feature("{\"type\": \"Point\\u0000x\", \"coordinates\": [1, 2]}", "{}");
    expect_fail(t, COR_ERR_DATA, "features[0].geometry: \"type\" holds a NUL character (\\u0000)");
    free(t);
    /* a lone Feature names its paths from the root */
    expect_fail("{\"type\": \"Feature\", \"properties\": \"x\", \"geometry\": null}", COR_ERR_DATA,
                "properties: expected an object or null, not text");
}
END_TEST

START_TEST(callback_status_stops_iteration)
{
    cor__json_t *j = NULL;
    cor_error_t err;
    ck_assert_int_eq(parse_text("{\"type\": \"GeometryCollection\", \"geometries\": ["
                                "{\"type\": \"Point\", \"coordinates\": [1, 2]},"
                                "{\"type\": \"Point\", \"coordinates\": [3, 4]},"
                                "{\"type\": \"Point\", \"coordinates\": [5, 6]}]}",
                                &j, &err),
                     COR_OK);
    seen_t s = {.stop_after = 2};
    ck_assert_int_eq(cor__json_each(j, collect, &s, &err), COR_ERR_DATA);
    ck_assert_uint_eq(s.n, 2);
    ck_assert_str_eq(err.message, "stopped");
    seen_free(&s);
    cor__json_close(j);
    cor__json_close(NULL);
}
END_TEST

/* ---- reading ---- */

START_TEST(empty_collection)
{
    seen_t s;
    read_all("{\"type\": \"FeatureCollection\", \"features\": []}", &s);
    ck_assert_uint_eq(s.n, 0);
}
END_TEST

START_TEST(points)
{
    seen_t s;
    read_all("{\"type\": \"Point\", \"coordinates\": [25.2797, 54.6872, 112.5]}", &s);
    ck_assert_uint_eq(s.n, 1);
    ck_assert_int_eq(s.id[0], 0);
    ck_assert_int_eq(s.geom[0].kind, COR__GEOM_POINT);
    ck_assert_uint_eq(s.geom[0].nparts, 1);
    assert_part(&s.geom[0], 0, 1);
    assert_point(&s.geom[0], 0, 25.2797, 54.6872);
    ck_assert_str_eq(s.attrs[0], "");
    seen_free(&s);

    read_all("{\"type\": \"MultiPoint\", \"coordinates\": [[-180, -90], [180, 90, 1, 2], [0, 0]]}",
             &s);
    ck_assert_uint_eq(s.n, 1);
    ck_assert_int_eq(s.geom[0].kind, COR__GEOM_POINT);
    ck_assert_uint_eq(s.geom[0].nparts, 3);
    ck_assert_uint_eq(s.geom[0].npoints, 3);
    for (size_t i = 0; i < 3; i++)
        assert_part(&s.geom[0], i, 1);
    assert_point(&s.geom[0], 0, -180, -90);
    assert_point(&s.geom[0], 1, 180, 90);
    assert_point(&s.geom[0], 2, 0, 0);
    seen_free(&s);
}
END_TEST

START_TEST(lines)
{
    seen_t s;
    read_all("{\"type\": \"LineString\", \"coordinates\": [[1, 2], [3, 4], [5, 6]]}", &s);
    ck_assert_int_eq(s.geom[0].kind, COR__GEOM_LINE);
    ck_assert_uint_eq(s.geom[0].nparts, 1);
    assert_part(&s.geom[0], 0, 3);
    assert_point(&s.geom[0], 2, 5, 6);
    seen_free(&s);

    read_all("{\"type\": \"MultiLineString\", \"coordinates\": [[[1, 2], [3, 4]], "
             "[[5, 6], [7, 8], [9, 10]]]}",
             &s);
    ck_assert_uint_eq(s.n, 1);
    ck_assert_int_eq(s.geom[0].kind, COR__GEOM_LINE);
    ck_assert_uint_eq(s.geom[0].nparts, 2);
    assert_part(&s.geom[0], 0, 2);
    assert_part(&s.geom[0], 1, 3);
    assert_point(&s.geom[0], 2, 5, 6);
    assert_point(&s.geom[0], 4, 9, 10);
    seen_free(&s);
}
END_TEST

START_TEST(polygons)
{
    seen_t s;
    read_all("{\"type\": \"Polygon\", \"coordinates\": [[[0, 0], [10, 0], [10, 10], [0, 10], "
             "[0, 0]], [[2, 2], [4, 2], [4, 4], [2, 2]]]}",
             &s);
    ck_assert_int_eq(s.geom[0].kind, COR__GEOM_POLYGON);
    ck_assert_uint_eq(s.geom[0].nparts, 2);
    assert_part(&s.geom[0], 0, 5);
    assert_part(&s.geom[0], 1, 4);
    assert_point(&s.geom[0], 5, 2, 2);
    seen_free(&s);

    /* every ring of every polygon in one feature */
    read_all("{\"type\": \"MultiPolygon\", \"coordinates\": ["
             "[[[0, 0], [10, 0], [10, 10], [0, 0]], [[1, 1], [2, 1], [2, 2], [1, 1]]],"
             "[[[20, 20], [30, 20], [30, 30], [20, 20]]]]}",
             &s);
    ck_assert_uint_eq(s.n, 1);
    ck_assert_int_eq(s.geom[0].kind, COR__GEOM_POLYGON);
    ck_assert_uint_eq(s.geom[0].nparts, 3);
    ck_assert_uint_eq(s.geom[0].npoints, 12);
    assert_part(&s.geom[0], 2, 4);
    assert_point(&s.geom[0], 8, 20, 20);
    seen_free(&s);
}
END_TEST

START_TEST(unclosed_ring_is_closed)
{
    seen_t s;
    read_all("{\"type\": \"Polygon\", \"coordinates\": [[[0, 0], [1, 0], [1, 1]]]}", &s);
    ck_assert_uint_eq(s.geom[0].nparts, 1);
    assert_part(&s.geom[0], 0, 4);
    assert_point(&s.geom[0], 3, 0, 0);
    seen_free(&s);
}
END_TEST

START_TEST(geometry_collection_split)
{
    seen_t s;
    read_all("{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", "
             "\"properties\": null, \"geometry\": null}, {\"type\": \"Feature\", \"properties\": "
             "{\"name\": \"Minsk\"}, \"geometry\": {\"type\": \"GeometryCollection\", "
             "\"geometries\": [{\"type\": \"Point\", \"coordinates\": [27.56, 53.9]}, "
             "{\"type\": \"LineString\", \"coordinates\": [[27.56, 53.9], [25.28, 54.69]]}, "
             "{\"type\": \"GeometryCollection\", \"geometries\": []}]}}]}",
             &s);
    ck_assert_uint_eq(s.n, 2);
    ck_assert_int_eq(s.id[0], 1);
    ck_assert_int_eq(s.id[1], 1);
    ck_assert_int_eq(s.geom[0].kind, COR__GEOM_POINT);
    ck_assert_int_eq(s.geom[1].kind, COR__GEOM_LINE);
    assert_part(&s.geom[1], 0, 2);
    assert_point(&s.geom[1], 1, 25.28, 54.69);
    ck_assert_str_eq(s.attrs[0], "name=s:Minsk");
    ck_assert_str_eq(s.attrs[1], "name=s:Minsk");
    seen_free(&s);
}
END_TEST

START_TEST(null_and_empty_geometries_skipped)
{
    seen_t s;
    read_all("{\"type\": \"FeatureCollection\", \"bbox\": [0, 0, 1, 1], \"features\": ["
             "{\"type\": \"Feature\", \"properties\": {\"a\": 1}, \"geometry\": null},"
             "{\"type\": \"Feature\", \"properties\": {\"a\": 2}, \"geometry\": "
             "{\"type\": \"LineString\", \"coordinates\": []}},"
             "{\"type\": \"Feature\", \"id\": \"x\", \"bbox\": [1, 2, 1, 2], \"foo\": {}, "
             "\"properties\": {\"a\": 3}, \"geometry\": {\"type\": \"Point\", "
             "\"coordinates\": [1, 2], \"bbox\": [1, 2, 1, 2]}}]}",
             &s);
    ck_assert_uint_eq(s.n, 1);
    ck_assert_int_eq(s.id[0], 2);
    ck_assert_str_eq(s.attrs[0], "a=n:3");
    seen_free(&s);
}
END_TEST

START_TEST(lone_feature_and_bom)
{
    seen_t s;
    read_all("\xEF\xBB\xBF{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", "
             "\"coordinates\": [1, 2]}, \"crs\": {\"type\": \"name\", \"properties\": "
             "{\"name\": \"urn:ogc:def:crs:OGC:1.3:CRS84\"}}}",
             &s);
    ck_assert_uint_eq(s.n, 1);
    ck_assert_int_eq(s.id[0], 0);
    ck_assert_str_eq(s.attrs[0], "");
    seen_free(&s);
}
END_TEST

/* The text is read up to `len` only: it need not be NUL-terminated. */
START_TEST(text_is_bounded_by_length)
{
    const char *text = "{\"type\": \"Point\", \"coordinates\": [1, 2]} and then garbage";
    size_t len = strlen("{\"type\": \"Point\", \"coordinates\": [1, 2]}");
    cor__json_t *j = NULL;
    cor_error_t err;
    cor_error_clear(&err);
    ck_assert_int_eq(cor__json_parse(text, len, NAME, &j, &err), COR_OK);
    ck_assert_uint_eq(cor__json_count(j), 1);
    cor__json_close(j);
    j = NULL;
    /* a number at the very end of the buffer is complete, not pending */
    const char *num = "{\"type\": \"Point\", \"coordinates\": [1, 23]}";
    ck_assert_int_eq(cor__json_parse(num, strlen(num) - 3, NAME, &j, &err), COR_ERR_DATA);
    ck_assert_str_eq(err.message, NAME ": line 1: unexpected end of data");
    ck_assert_ptr_null(j);
}
END_TEST

START_TEST(properties_typed)
{
    seen_t s;
    char *t = in_feature("{\"type\": \"Point\", \"coordinates\": [21.1443, 55.7033]}",
                         "{\"name\": \"Klaipėda\", \"pop\": 152237, \"share\": 0.25, "
                         "\"port\": true, \"capital\": false, \"note\": null, "
                         "\"tags\": {\"a\": [1, 2.50, \"x/y\"], \"b\": null}, "
                         "\"list\": [], \"neg\": -4096.5}");
    read_all(t, &s);
    ck_assert_str_eq(s.attrs[0], "name=s:Klaipėda;pop=n:152237;share=n:0.25;port=b:1;"
                                 "capital=b:0;note=null;tags=s:{\"a\":[1,2.50,\"x/y\"],\"b\":null};"
                                 "list=s:[];neg=n:-4096.5");
    seen_free(&s);
    free(t);
}
END_TEST

START_TEST(geojson_io_fixture)
{
    char *path = cor_test_src("tests/fixtures/geojson/vilnius_klaipeda.geojson");
    cor__json_t *j = NULL;
    cor_error_t err;
    cor_error_clear(&err);
    ck_assert_msg(cor__json_open(path, &j, &err) == COR_OK, "%s", err.message);
    ck_assert_uint_eq(cor__json_count(j), 2);
    seen_t s = {0};
    ck_assert_int_eq(cor__json_each(j, collect, &s, &err), COR_OK);
    ck_assert_int_eq(s.geom[0].kind, COR__GEOM_LINE);
    assert_part(&s.geom[0], 0, 4);
    assert_point(&s.geom[0], 0, 25.2797, 54.6872);
    assert_point(&s.geom[0], 3, 21.1443, 55.7033);
    ck_assert_str_eq(s.attrs[0], "stroke=s:#d62728;stroke-width=n:4;stroke-opacity=n:1;"
                                 "title=s:Vilnius – Klaipėda");
    ck_assert_int_eq(s.geom[1].kind, COR__GEOM_POINT);
    ck_assert_int_eq(s.id[1], 1);
    ck_assert_str_eq(s.attrs[1], "marker-color=s:#1f77b4;marker-size=s:large;"
                                 "marker-symbol=s:harbor;title=s:Port of Klaipėda");
    seen_free(&s);
    cor__json_close(j);
    free(path);
}
END_TEST

/* Every geometry type in one file. */
START_TEST(all_geometries_fixture)
{
    static const cor__geom_kind_t kinds[] = {COR__GEOM_POINT, COR__GEOM_POINT,   COR__GEOM_LINE,
                                             COR__GEOM_LINE,  COR__GEOM_POLYGON, COR__GEOM_POLYGON,
                                             COR__GEOM_POINT, COR__GEOM_LINE};
    static const long ids[] = {0, 1, 2, 3, 4, 5, 6, 6};
    static const size_t parts[] = {1, 2, 1, 2, 2, 2, 1, 1};
    char *path = cor_test_src("tests/fixtures/geojson/all_geometries.geojson");
    cor__json_t *j = NULL;
    cor_error_t err;
    cor_error_clear(&err);
    ck_assert_msg(cor__json_open(path, &j, &err) == COR_OK, "%s", err.message);
    seen_t s = {0};
    ck_assert_int_eq(cor__json_each(j, collect, &s, &err), COR_OK);
    ck_assert_uint_eq(s.n, 8);
    for (size_t i = 0; i < s.n; i++) {
        ck_assert_int_eq(s.geom[i].kind, kinds[i]);
        ck_assert_int_eq(s.id[i], ids[i]);
        ck_assert_uint_eq(s.geom[i].nparts, parts[i]);
    }
    ck_assert_str_eq(s.attrs[0], "title=s:Minsk;marker-symbol=s:town-hall;marker-size=s:small;"
                                 "population=n:1995471;capital=b:1;founded=null");
    ck_assert_str_eq(s.attrs[3], "stroke=s:3182bd;tags=s:{\"mode\":[\"rail\",\"sea\"]}");
    ck_assert_str_eq(s.attrs[7], "title=s:Šiauliai");
    seen_free(&s);
    cor__json_close(j);
    free(path);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("source_json");
    TCase *fail = tcase_create("failures");
    tcase_add_test(fail, missing_file);
    tcase_add_test(fail, file_over_size_limit);
    tcase_add_test(fail, text_over_limits);
    tcase_add_test(fail, closing_point_counts_against_the_limit);
    tcase_add_test(fail, malformed_json);
    tcase_add_test(fail, invalid_encoding);
    tcase_add_test(fail, too_deep);
    tcase_add_test(fail, wrong_root);
    tcase_add_test(fail, wrong_geometry);
    tcase_add_test(fail, wrong_positions);
    tcase_add_test(fail, absurd_numbers);
    tcase_add_test(fail, too_few_positions);
    tcase_add_test(fail, wrong_properties);
    tcase_add_test(fail, callback_status_stops_iteration);
    suite_add_tcase(s, fail);

    TCase *read = tcase_create("reading");
    tcase_add_test(read, empty_collection);
    tcase_add_test(read, points);
    tcase_add_test(read, lines);
    tcase_add_test(read, polygons);
    tcase_add_test(read, unclosed_ring_is_closed);
    tcase_add_test(read, geometry_collection_split);
    tcase_add_test(read, null_and_empty_geometries_skipped);
    tcase_add_test(read, lone_feature_and_bom);
    tcase_add_test(read, text_is_bounded_by_length);
    tcase_add_test(read, properties_typed);
    tcase_add_test(read, geojson_io_fixture);
    tcase_add_test(read, all_geometries_fixture);
    suite_add_tcase(s, read);

    return s;
}

int main(void)
{
    return cor_test_run(suite());
}
