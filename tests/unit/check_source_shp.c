/* Unit tests for source_shp. Fixtures are written at test time with shapelib's writer and then
 * corrupted byte by byte; every malformed file must give one error naming the file. */
#include <math.h>
#include <shapefil.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source_shp.h"
#include "testutil.h"
#include "util.h"

/* ---- fixture helpers ---- */

static char *join(const char *dir, const char *name)
{
    char *p = cor__path_join(dir, name);
    ck_assert_ptr_nonnull(p);
    return p;
}

static long file_size(const char *path)
{
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    return (long)st.st_size;
}

static void patch(const char *path, long off, const void *bytes, size_t n)
{
    FILE *f = fopen(path, "r+b");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fseek(f, off, SEEK_SET), 0);
    ck_assert_uint_eq(fwrite(bytes, 1, n, f), n);
    ck_assert_int_eq(fclose(f), 0);
}

static void patch_be32(const char *path, long off, uint32_t v)
{
    unsigned char b[4] = {v >> 24, v >> 16, v >> 8, v};
    patch(path, off, b, 4);
}

static void patch_le32(const char *path, long off, uint32_t v)
{
    unsigned char b[4] = {v, v >> 8, v >> 16, v >> 24};
    patch(path, off, b, 4);
}

static void patch_le16(const char *path, long off, unsigned v)
{
    unsigned char b[2] = {v & 0xFF, (v >> 8) & 0xFF};
    patch(path, off, b, 2);
}

static void patch_u8(const char *path, long off, unsigned v)
{
    unsigned char b = (unsigned char)v;
    patch(path, off, &b, 1);
}

static void cut(const char *path, long size)
{
    ck_assert_int_eq(truncate(path, size), 0);
}

static void write_text(const char *path, const char *text)
{
    cor_test_write(path, text, strlen(text));
}

/* Writes base.shp/.shx holding objs (consumed). */
static void write_shapes(const char *base, int type, SHPObject **objs, int n)
{
    SHPHandle h = SHPCreate(base, type);
    ck_assert_ptr_nonnull(h);
    for (int i = 0; i < n; i++) {
        ck_assert_int_eq(SHPWriteObject(h, -1, objs[i]), i);
        SHPDestroyObject(objs[i]);
    }
    SHPClose(h);
}

static SHPObject *point(int type, double x, double y)
{
    double z = 7, m = 9;
    return SHPCreateObject(type, -1, 0, NULL, NULL, 1, &x, &y, &z, &m);
}

static SHPObject *null_shape(void)
{
    return SHPCreateObject(SHPT_NULL, -1, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL);
}

/* A polygon-like object: `nparts` parts of the listed xy pairs. */
static SHPObject *parts(int type, int nparts, const int *starts, const double *xy, int n)
{
    double x[64], y[64], z[64], m[64];
    ck_assert_int_le(n, 64);
    for (int i = 0; i < n; i++)
        x[i] = xy[2 * i], y[i] = xy[2 * i + 1], z[i] = 100 + i, m[i] = 200 + i;
    return SHPCreateObject(type, -1, nparts, starts, NULL, n, x, y, z, m);
}

/* The square [x0, x0 + size]^2 as a one-ring polygon. */
static SHPObject *square(double x0, double size)
{
    double xy[] = {x0, x0, x0, x0 + size, x0 + size, x0 + size, x0 + size, x0, x0, x0};
    return parts(SHPT_POLYGON, 1, (int[]){0}, xy, 5);
}

/* The standard attribute table: NAME C(20), POP N(10), AREA N(12,3), CAPITAL L, FOUNDED D,
 * four records; `klaipeda` is record 2's NAME in whatever encoding the test wants. */
static void write_places_dbf(const char *base, const char *klaipeda)
{
    char *path = cor__asprintf("%s.dbf", base);
    DBFHandle h = DBFCreateEx(path, "LDID/0");
    ck_assert_ptr_nonnull(h);
    ck_assert_int_eq(DBFAddField(h, "NAME", FTString, 20, 0), 0);
    ck_assert_int_eq(DBFAddField(h, "POP", FTInteger, 10, 0), 1);
    ck_assert_int_eq(DBFAddField(h, "AREA", FTDouble, 12, 3), 2);
    ck_assert_int_eq(DBFAddField(h, "CAPITAL", FTLogical, 1, 0), 3);
    ck_assert_int_eq(DBFAddField(h, "FOUNDED", FTDate, 8, 0), 4);
    const char *rows[4][5] = {
        {"Minsk", "   2000000", "     409.500", "T", "10670101"},
        {"Nowhere", "", "", "?", ""},
        {klaipeda, "12abc", "************", "n", "20220201"},
        {"  Lead", "-5", "1.5e3", "Y", "2022-2-1"},
    };
    for (int r = 0; r < 4; r++)
        for (int f = 0; f < 5; f++)
            ck_assert(DBFWriteAttributeDirectly(h, r, f, (void *)rows[r][f]));
    DBFClose(h);
    free(path);
}

/* places: four points, record 1 null, with the standard table; returns the .shp path. */
static char *make_places(const char *dir, const char *klaipeda)
{
    char *base = join(dir, "places");
    SHPObject *objs[] = {point(SHPT_POINT, 1, 1), null_shape(), point(SHPT_POINT, 5, 5),
                         point(SHPT_POINT, 10, 10)};
    write_shapes(base, SHPT_POINT, objs, 4);
    write_places_dbf(base, klaipeda);
    char *shp = cor__asprintf("%s.shp", base);
    free(base);
    return shp;
}

/* areas: two polygons, the first with a hole, and a line-less table; returns the .shp path. */
static char *make_areas(const char *dir)
{
    char *base = join(dir, "areas");
    double ring[] = {0, 0, 0, 10, 10, 10, 10, 0, 0, 0, 2, 2, 8, 2, 8, 8, 2, 8, 2, 2};
    SHPObject *objs[] = {parts(SHPT_POLYGON, 2, (int[]){0, 5}, ring, 10), square(20, 2)};
    write_shapes(base, SHPT_POLYGON, objs, 2);
    char *shp = cor__asprintf("%s.shp", base);
    free(base);
    return shp;
}

static char *sibling(const char *shp, const char *ext)
{
    char *p = cor__strdup(shp);
    ck_assert_ptr_nonnull(p);
    strcpy(p + strlen(p) - 3, ext);
    return p;
}

/* Opening must fail with `code` and a message holding both needles (the second may be NULL). */
static void expect_fail(const char *shp, cor_status_t code, const char *a, const char *b)
{
    cor__shp_t *s = NULL;
    cor_error_t err = {0};
    cor_status_t st = cor__shp_open(shp, &s, &err);
    ck_assert_msg(st == code, "expected %d, got %d: %s", code, st, err.message);
    ck_assert_int_eq(err.code, code);
    ck_assert_ptr_null(s);
    ck_assert_msg(strstr(err.message, a), "'%s' does not contain '%s'", err.message, a);
    ck_assert_msg(!b || strstr(err.message, b), "'%s' does not contain '%s'", err.message, b);
    ck_assert_ptr_null(strchr(err.message, '\n'));
}

static cor__shp_t *open_ok(const char *shp)
{
    cor__shp_t *s = NULL;
    cor_error_t err = {0};
    cor_status_t st = cor__shp_open(shp, &s, &err);
    ck_assert_msg(st == COR_OK, "open %s: %s", shp, err.message);
    ck_assert_ptr_nonnull(s);
    return s;
}

/* ---- collecting features ---- */

#define MAX_FEATURES 16

typedef struct got {
    size_t n;
    long id[MAX_FEATURES];
    cor__geom_kind_t kind[MAX_FEATURES];
    size_t nparts[MAX_FEATURES], npoints[MAX_FEATURES];
    double x0[MAX_FEATURES], y0[MAX_FEATURES], xl[MAX_FEATURES], yl[MAX_FEATURES];
    size_t part1[MAX_FEATURES]; /* where the second part starts */
    char attrs[MAX_FEATURES][256];
    long stop_after; /* return COR_ERR_STYLE after this many features, when > 0 */
} got_t;

static void format_attrs(const cor__feature_t *f, char *out, size_t cap)
{
    size_t at = 0;
    out[0] = '\0';
    for (size_t k = 0; k < f->nfields && at < cap; k++) {
        const cor__attr_t *a = &f->values[k];
        char v[128];
        if (a->type == COR__ATTR_STRING)
            snprintf(v, sizeof v, "'%s'", a->str);
        else if (a->type == COR__ATTR_NUMBER)
            snprintf(v, sizeof v, "%.17g", a->num);
        else if (a->type == COR__ATTR_BOOL)
            snprintf(v, sizeof v, "%s", a->b ? "true" : "false");
        else
            snprintf(v, sizeof v, "null");
        at += (size_t)snprintf(out + at, cap - at, "%s%s=%s", k ? " " : "", f->names[k], v);
    }
}

static cor_status_t collect(const cor__feature_t *f, void *ud, cor_error_t *err)
{
    got_t *g = ud;
    ck_assert_uint_lt(g->n, MAX_FEATURES);
    size_t i = g->n++;
    const cor__geom_t *geom = f->geom;
    g->id[i] = f->id;
    g->kind[i] = geom->kind;
    g->nparts[i] = geom->nparts;
    g->npoints[i] = geom->npoints;
    ck_assert_uint_eq(geom->parts[0], 0);
    ck_assert_uint_eq(geom->parts[geom->nparts], geom->npoints);
    g->part1[i] = geom->nparts > 1 ? geom->parts[1] : 0;
    g->x0[i] = geom->x[0], g->y0[i] = geom->y[0];
    g->xl[i] = geom->x[geom->npoints - 1], g->yl[i] = geom->y[geom->npoints - 1];
    format_attrs(f, g->attrs[i], sizeof g->attrs[i]);
    if (g->stop_after > 0 && (long)g->n >= g->stop_after)
        return cor__fail(err, COR_ERR_STYLE, "stopped by the callback");
    return COR_OK;
}

static got_t read_all(cor__shp_t *s, const cor_bbox_t *bbox)
{
    got_t g = {0};
    cor_error_t err = {0};
    cor_status_t st = cor__shp_each(s, bbox, collect, &g, &err);
    ck_assert_msg(st == COR_OK, "each: %s", err.message);
    return g;
}

/* ---- failures: missing and empty files ---- */

START_TEST(missing_shx_is_io)
{
    char *dir = cor_test_tmpdir("shp-noshx"), *shp = make_places(dir, "K"),
         *shx = sibling(shp, "shx");
    ck_assert_int_eq(unlink(shx), 0);
    expect_fail(shp, COR_ERR_IO, "places.shp", ".shx");
    free(shx), free(shp), free(dir);
}
END_TEST

START_TEST(missing_shp_is_io)
{
    char *dir = cor_test_tmpdir("shp-noshp"), *shp = join(dir, "nothing.shp");
    expect_fail(shp, COR_ERR_IO, "nothing.shp", "cannot open");
    free(shp), free(dir);
}
END_TEST

START_TEST(empty_files)
{
    char *dir = cor_test_tmpdir("shp-empty"), *shp = make_places(dir, "K");
    char *shx = sibling(shp, "shx"), *dbf = sibling(shp, "dbf");
    cut(dbf, 0);
    expect_fail(shp, COR_ERR_DATA, "places.dbf", "empty");
    cut(shx, 0);
    expect_fail(shp, COR_ERR_DATA, "places.shx", "empty");
    cut(shp, 0);
    expect_fail(shp, COR_ERR_DATA, "places.shp", "empty");
    cut(shp, 60);
    expect_fail(shp, COR_ERR_DATA, "places.shp", "too short");
    free(dbf), free(shx), free(shp), free(dir);
}
END_TEST

/* ---- failures: .shp and .shx headers ---- */

START_TEST(truncated_shp)
{
    char *dir = cor_test_tmpdir("shp-trunc"), *shp = make_places(dir, "K");
    cut(shp, file_size(shp) - 10);
    expect_fail(shp, COR_ERR_DATA, "places.shp", "truncated");
    free(shp), free(dir);
}
END_TEST

START_TEST(wrong_file_code)
{
    char *dir = cor_test_tmpdir("shp-code"), *shp = make_places(dir, "K"),
         *shx = sibling(shp, "shx");
    patch_be32(shp, 0, 9993);
    expect_fail(shp, COR_ERR_DATA, "places.shp", "file code 9993");
    patch_be32(shp, 0, 9994);
    patch_be32(shx, 0, 1234);
    expect_fail(shp, COR_ERR_DATA, "places.shx", "file code 1234");
    free(shx), free(shp), free(dir);
}
END_TEST

START_TEST(wrong_version_and_type)
{
    char *dir = cor_test_tmpdir("shp-version"), *shp = make_places(dir, "K"),
         *shx = sibling(shp, "shx");
    patch_le32(shp, 28, 999);
    expect_fail(shp, COR_ERR_DATA, "places.shp", "version 999");
    patch_le32(shp, 28, 1000);
    patch_le32(shp, 32, 2);
    expect_fail(shp, COR_ERR_DATA, "places.shp", "unknown shape type 2");
    patch_le32(shp, 32, 1);
    patch_le32(shx, 32, 8);
    expect_fail(shp, COR_ERR_DATA, "places.shx", "shape type MultiPoint differs");
    free(shx), free(shp), free(dir);
}
END_TEST

START_TEST(shx_size_checks)
{
    char *dir = cor_test_tmpdir("shp-shxsize"), *shp = make_places(dir, "K"),
         *shx = sibling(shp, "shx");
    long n = file_size(shx);
    cut(shx, n - 3);
    expect_fail(shp, COR_ERR_DATA, "places.shx", "header declares");
    cut(shx, n - 4); /* declared right, but half an entry */
    patch_be32(shx, 24, (uint32_t)(n - 4) / 2);
    expect_fail(shp, COR_ERR_DATA, "places.shx", "whole 8-byte entries");
    free(shx), free(shp), free(dir);
}
END_TEST

/* ---- failures: records ---- */

START_TEST(shx_points_past_the_end)
{
    char *dir = cor_test_tmpdir("shp-past"), *shp = make_places(dir, "K"),
         *shx = sibling(shp, "shx");
    patch_be32(shx, 100 + 8 * 2, (uint32_t)file_size(shp) / 2 + 100);
    expect_fail(shp, COR_ERR_DATA, "places.shp: record 2:", "outside");
    patch_be32(shx, 100 + 8 * 2, 10); /* inside the header */
    expect_fail(shp, COR_ERR_DATA,
                "places.shp: record 2:", "offset 20 is inside the 100-byte header");
    free(shx), free(shp), free(dir);
}
END_TEST

START_TEST(record_runs_past_the_end)
{
    char *dir = cor_test_tmpdir("shp-runs"), *shp = make_places(dir, "K"),
         *shx = sibling(shp, "shx");
    long last = 100 + 28 + 12 + 28; /* records 0 (point), 1 (null), 2 (point) come first */
    patch_be32(shp, last + 4, 1000);
    patch_be32(shx, 100 + 8 * 3 + 4, 1000);
    expect_fail(shp, COR_ERR_DATA, "places.shp: record 3:", "runs past the end");
    free(shx), free(shp), free(dir);
}
END_TEST

START_TEST(shx_length_disagrees)
{
    char *dir = cor_test_tmpdir("shp-len"), *shp = make_places(dir, "K"),
         *shx = sibling(shp, "shx");
    patch_be32(shx, 100 + 4, 4); /* record 0 is a 20-byte point: 10 words */
    expect_fail(shp, COR_ERR_DATA, "places.shp: record 0:", "places.shx");
    free(shx), free(shp), free(dir);
}
END_TEST

START_TEST(wrong_record_shape_type)
{
    char *dir = cor_test_tmpdir("shp-rtype"), *shp = make_places(dir, "K");
    patch_le32(shp, 100 + 28 + 12 + 8, SHPT_POLYGON);
    expect_fail(shp, COR_ERR_DATA, "places.shp: record 2:", "shape type 5 in a Point file");
    free(shp), free(dir);
}
END_TEST

START_TEST(point_record_too_short)
{
    char *dir = cor_test_tmpdir("shp-short"), *shp = make_places(dir, "K"),
         *shx = sibling(shp, "shx");
    patch_be32(shp, 100 + 4, 8); /* 16 bytes: no room for y */
    patch_be32(shx, 100 + 4, 8);
    expect_fail(shp, COR_ERR_DATA, "places.shp: record 0:", "16-byte record too short for a Point");
    free(shx), free(shp), free(dir);
}
END_TEST

/* In areas.shp record 0 starts at 100: content at 108, nParts at 144, nPoints at 148,
 * part starts at 152; the record is 44 + 2 * 4 + 10 * 16 = 212 bytes. */
START_TEST(huge_point_count)
{
    char *dir = cor_test_tmpdir("shp-npoints"), *shp = make_areas(dir);
    patch_le32(shp, 148, 5000);
    expect_fail(shp, COR_ERR_DATA,
                "areas.shp: record 0:", "5000 points do not fit in a 212-byte record");
    patch_le32(shp, 148, 0x7FFFFFFF);
    expect_fail(shp, COR_ERR_DATA, "areas.shp: record 0:", "2147483647 points do not fit");
    free(shp), free(dir);
}
END_TEST

START_TEST(huge_part_count)
{
    char *dir = cor_test_tmpdir("shp-nparts"), *shp = make_areas(dir);
    patch_le32(shp, 144, 0x7FFFFFFF);
    expect_fail(shp, COR_ERR_DATA, "areas.shp: record 0:", "2147483647 parts do not fit");
    patch_le32(shp, 144, 3); /* fits only if the points do not */
    expect_fail(shp, COR_ERR_DATA, "areas.shp: record 0:", "10 points do not fit");
    free(shp), free(dir);
}
END_TEST

START_TEST(negative_counts)
{
    char *dir = cor_test_tmpdir("shp-neg"), *shp = make_areas(dir);
    patch_le32(shp, 148, (uint32_t)-3);
    expect_fail(shp, COR_ERR_DATA, "areas.shp: record 0:", "negative point count -3");
    patch_le32(shp, 148, 10);
    patch_le32(shp, 144, (uint32_t)-1);
    expect_fail(shp, COR_ERR_DATA, "areas.shp: record 0:", "negative part count -1");
    free(shp), free(dir);
}
END_TEST

START_TEST(bad_part_starts)
{
    char *dir = cor_test_tmpdir("shp-starts"), *shp = make_areas(dir);
    patch_le32(shp, 156, (uint32_t)-5);
    expect_fail(shp, COR_ERR_DATA, "areas.shp: record 0: part 1 starts at point -5", "negative");
    patch_le32(shp, 156, 0);
    expect_fail(shp, COR_ERR_DATA, "areas.shp: record 0: part 1", "does not follow");
    patch_le32(shp, 156, 10);
    expect_fail(shp, COR_ERR_DATA, "areas.shp: record 0: part 1", "past the last point");
    patch_le32(shp, 156, 5);
    patch_le32(shp, 152, 1);
    expect_fail(shp, COR_ERR_DATA, "areas.shp: record 0: part 0", "is not 0");
    free(shp), free(dir);
}
END_TEST

START_TEST(polygon_record_too_short)
{
    char *dir = cor_test_tmpdir("shp-polyshort"), *shp = make_areas(dir),
         *shx = sibling(shp, "shx");
    patch_be32(shp, 100 + 4, 20); /* 40 bytes: no room for the point count */
    patch_be32(shx, 100 + 4, 20);
    expect_fail(shp, COR_ERR_DATA,
                "areas.shp: record 0:", "40-byte record too short for a Polygon");
    free(shx), free(shp), free(dir);
}
END_TEST

/* roads: one line of 300 two-point parts, more part starts than are checked in one chunk. */
static char *make_many_parts(const char *dir)
{
    char *base = join(dir, "roads");
    static int starts[300];
    static double x[600], y[600];
    for (int i = 0; i < 300; i++) {
        starts[i] = 2 * i;
        x[2 * i] = i, y[2 * i] = 0, x[2 * i + 1] = i, y[2 * i + 1] = 1;
    }
    SHPObject *objs[] = {SHPCreateObject(SHPT_ARC, -1, 300, starts, NULL, 600, x, y, NULL, NULL)};
    write_shapes(base, SHPT_ARC, objs, 1);
    char *shp = cor__asprintf("%s.shp", base);
    free(base);
    return shp;
}

START_TEST(part_start_in_a_later_chunk)
{
    char *dir = cor_test_tmpdir("shp-chunk"), *shp = make_many_parts(dir);
    patch_le32(shp, 152 + 4 * 280, 2 * 279); /* part 280 starts where part 279 does */
    expect_fail(shp, COR_ERR_DATA, "roads.shp: record 0: part 280 starts at point 558",
                "does not follow");
    free(shp), free(dir);
}
END_TEST

START_TEST(directory_is_io)
{
    char *dir = cor_test_tmpdir("shp-dir"), *shp = join(dir, "folder.shp");
    ck_assert_int_eq(mkdir(shp, 0755), 0);
    expect_fail(shp, COR_ERR_IO, "folder.shp", "not a regular file");
    free(shp), free(dir);
}
END_TEST

START_TEST(parts_without_points)
{
    char *dir = cor_test_tmpdir("shp-noparts"), *shp = make_areas(dir);
    patch_le32(shp, 144, 0);
    expect_fail(shp, COR_ERR_DATA, "areas.shp: record 0:", "10 points in 0 parts");
    free(shp), free(dir);
}
END_TEST

START_TEST(multipoint_too_many_points)
{
    char *dir = cor_test_tmpdir("shp-mpt"), *base = join(dir, "cloud");
    double xy[] = {1, 2, 3, 4, 5, 6};
    SHPObject *objs[] = {parts(SHPT_MULTIPOINT, 0, NULL, xy, 3)};
    write_shapes(base, SHPT_MULTIPOINT, objs, 1);
    char *shp = cor__asprintf("%s.shp", base);
    patch_le32(shp, 108 + 36, 4); /* 40 + 3 * 16 = 88 bytes hold 3 points, not 4 */
    expect_fail(shp, COR_ERR_DATA, "cloud.shp: record 0:", "4 points do not fit in a 88-byte");
    free(shp), free(base), free(dir);
}
END_TEST

/* ---- failures: the .dbf ---- */

START_TEST(dbf_claims_four_billion_records)
{
    char *dir = cor_test_tmpdir("dbf-4g"), *shp = make_places(dir, "K"), *dbf = sibling(shp, "dbf");
    patch_le32(dbf, 4, 4000000000u);
    expect_fail(shp, COR_ERR_DATA, "places.dbf", "4000000000 records");
    patch_le32(dbf, 4, 5); /* one more than there are bytes for */
    expect_fail(shp, COR_ERR_DATA, "places.dbf", "5 records of");
    free(dbf), free(shp), free(dir);
}
END_TEST

START_TEST(dbf_header_length_lies)
{
    char *dir = cor_test_tmpdir("dbf-hlen"), *shp = make_places(dir, "K"),
         *dbf = sibling(shp, "dbf");
    patch_le16(dbf, 8, 60000);
    expect_fail(shp, COR_ERR_DATA, "places.dbf", "header length 60000");
    patch_le16(dbf, 8, 20);
    expect_fail(shp, COR_ERR_DATA, "places.dbf", "header length 20");
    patch_le16(dbf, 8, 32 + 2 * 32); /* two of the five fields */
    expect_fail(shp, COR_ERR_DATA, "places.dbf",
                "the 2 fields and the deletion flag take 31 bytes");
    free(dbf), free(shp), free(dir);
}
END_TEST

START_TEST(dbf_field_widths_do_not_add_up)
{
    char *dir = cor_test_tmpdir("dbf-width"), *shp = make_places(dir, "K"),
         *dbf = sibling(shp, "dbf");
    patch_u8(dbf, 32 + 16, 19); /* NAME 20 -> 19 */
    expect_fail(shp, COR_ERR_DATA, "places.dbf", "records are 52 bytes");
    patch_u8(dbf, 32 + 16, 20);
    patch_le16(dbf, 10, 0);
    expect_fail(shp, COR_ERR_DATA, "places.dbf", "record length 0");
    free(dbf), free(shp), free(dir);
}
END_TEST

START_TEST(dbf_count_mismatch)
{
    char *dir = cor_test_tmpdir("dbf-count"), *shp = make_places(dir, "K"),
         *dbf = sibling(shp, "dbf");
    patch_le32(dbf, 4, 3);
    expect_fail(shp, COR_ERR_DATA, "places.dbf has 3 records", "places.shp has 4");
    free(dbf), free(shp), free(dir);
}
END_TEST

START_TEST(prj_too_large)
{
    char *dir = cor_test_tmpdir("shp-prj"), *shp = make_places(dir, "K"),
         *prj = sibling(shp, "prj");
    char *big = calloc(70000, 1);
    memset(big, 'x', 69999);
    write_text(prj, big);
    expect_fail(shp, COR_ERR_DATA, "places.prj", "69999 bytes");
    free(big), free(prj), free(shp), free(dir);
}
END_TEST

START_TEST(files_changed_after_open)
{
    char *dir = cor_test_tmpdir("shp-changed"), *shp = make_areas(dir);
    cor__shp_t *s = open_ok(shp);
    cor_error_t err = {0};
    got_t g = {0};
    patch_le32(shp, 148, 9); /* same size, but no longer the record that was checked */
    ck_assert_int_eq(cor__shp_each(s, NULL, collect, &g, &err), COR_ERR_DATA);
    ck_assert_str_eq(strstr(err.message, "areas.shp"),
                     "areas.shp: record 0: changed since the file was opened");
    cor__shp_close(s);
    patch_le32(shp, 148, 10);
    s = open_ok(shp);
    cut(shp, 150);
    cor_error_clear(&err);
    ck_assert_int_eq(cor__shp_each(s, NULL, collect, &g, &err), COR_ERR_DATA);
    ck_assert_msg(strstr(err.message, "areas.shp: record 0: "), "%s", err.message);
    cor__shp_close(s);
    free(shp), free(dir);
}
END_TEST

/* ---- reading ---- */

START_TEST(points_with_attributes_utf8_cpg)
{
    char *dir = cor_test_tmpdir("shp-places"), *shp = make_places(dir, "Klaip\xC4\x97"
                                                                       "da");
    char *cpg = sibling(shp, "cpg");
    write_text(cpg, "UTF-8\n");
    cor__shp_t *s = open_ok(shp);
    ck_assert_str_eq(cor__shp_type_name(s), "Point");
    ck_assert_int_eq(cor__shp_kind(s), COR__GEOM_POINT);
    ck_assert_uint_eq(cor__shp_count(s), 4);
    ck_assert_uint_eq(cor__shp_null_count(s), 1);
    ck_assert_str_eq(cor__shp_encoding(s), "UTF-8");
    ck_assert_str_eq(cor__shp_encoding_source(s), ".cpg");
    ck_assert_ptr_null(cor__shp_prj(s));
    cor_bbox_t e;
    ck_assert(cor__shp_extent(s, &e));
    ck_assert(e.minx == 1 && e.miny == 1 && e.maxx == 10 && e.maxy == 10);
    got_t g = read_all(s, NULL);
    ck_assert_uint_eq(g.n, 3);
    ck_assert(g.id[0] == 0 && g.id[1] == 2 && g.id[2] == 3);
    ck_assert(g.kind[1] == COR__GEOM_POINT && g.nparts[1] == 1 && g.npoints[1] == 1);
    ck_assert(g.x0[1] == 5 && g.y0[1] == 5 && g.x0[2] == 10);
    ck_assert_str_eq(g.attrs[0],
                     "NAME='Minsk' POP=2000000 AREA=409.5 CAPITAL=true FOUNDED='1067-01-01'");
    ck_assert_str_eq(g.attrs[1], "NAME='Klaip\xC4\x97"
                                 "da' POP=null AREA=null CAPITAL=false"
                                 " FOUNDED='2022-02-01'");
    ck_assert_str_eq(g.attrs[2], "NAME='  Lead' POP=-5 AREA=1500 CAPITAL=true FOUNDED=null");
    cor__shp_close(s);
    free(cpg), free(shp), free(dir);
}
END_TEST

START_TEST(field_infos)
{
    char *dir = cor_test_tmpdir("shp-fields"), *shp = make_places(dir, "K");
    cor__shp_t *s = open_ok(shp);
    static const char *const names[] = {"NAME", "POP", "AREA", "CAPITAL", "FOUNDED"};
    static const char *const types[] = {"String", "Integer", "Real", "Logical", "Date"};
    static const int widths[] = {20, 10, 12, 1, 8}, decimals[] = {0, 0, 3, 0, 0};
    ck_assert_uint_eq(cor__shp_nfields(s), 5);
    for (size_t i = 0; i < 5; i++) {
        const cor_field_info_t *f = cor__shp_field(s, i);
        ck_assert_str_eq(f->name, names[i]);
        ck_assert_str_eq(f->type_name, types[i]);
        ck_assert_int_eq(f->width, widths[i]);
        ck_assert_int_eq(f->decimals, decimals[i]);
    }
    ck_assert_ptr_null(cor__shp_field(s, 5));
    cor__shp_close(s);
    free(shp), free(dir);
}
END_TEST

START_TEST(bbox_returns_only_touching_records)
{
    char *dir = cor_test_tmpdir("shp-bbox"), *shp = make_places(dir, "K"), *areas = make_areas(dir);
    cor__shp_t *s = open_ok(shp);
    got_t g = read_all(s, &(cor_bbox_t){4, 4, 6, 6});
    ck_assert(g.n == 1 && g.id[0] == 2);
    g = read_all(s, &(cor_bbox_t){5, 5, 10, 10}); /* both on the box's edge */
    ck_assert(g.n == 2 && g.id[0] == 2 && g.id[1] == 3);
    g = read_all(s, &(cor_bbox_t){-5, -5, 0.5, 0.5});
    ck_assert_uint_eq(g.n, 0);
    cor__shp_close(s);
    s = open_ok(areas);
    g = read_all(s, &(cor_bbox_t){10, 10, 11, 11}); /* touches the first polygon's corner */
    ck_assert(g.n == 1 && g.id[0] == 0);
    g = read_all(s, &(cor_bbox_t){15, -100, 21, 100});
    ck_assert(g.n == 1 && g.id[0] == 1);
    cor__shp_close(s);
    free(areas), free(shp), free(dir);
}
END_TEST

START_TEST(polygon_with_hole_and_no_dbf)
{
    char *dir = cor_test_tmpdir("shp-poly"), *shp = make_areas(dir);
    cor__shp_t *s = open_ok(shp);
    ck_assert_str_eq(cor__shp_type_name(s), "Polygon");
    ck_assert_int_eq(cor__shp_kind(s), COR__GEOM_POLYGON);
    ck_assert_uint_eq(cor__shp_nfields(s), 0);
    cor_bbox_t e;
    ck_assert(cor__shp_extent(s, &e));
    ck_assert(e.minx == 0 && e.miny == 0 && e.maxx == 22 && e.maxy == 22);
    got_t g = read_all(s, NULL);
    ck_assert_uint_eq(g.n, 2);
    ck_assert(g.kind[0] == COR__GEOM_POLYGON && g.nparts[0] == 2 && g.npoints[0] == 10);
    ck_assert_uint_eq(g.part1[0], 5);
    ck_assert(g.x0[0] == 0 && g.y0[0] == 0 && g.xl[0] == 2 && g.yl[0] == 2);
    ck_assert(g.nparts[1] == 1 && g.npoints[1] == 5 && g.x0[1] == 20);
    ck_assert_str_eq(g.attrs[0], "");
    cor__shp_close(s);
    free(shp), free(dir);
}
END_TEST

START_TEST(lines_and_multipoints)
{
    char *dir = cor_test_tmpdir("shp-lines"), *base = join(dir, "roads");
    double xy[] = {0, 0, 1, 1, 2, 0, 5, 5, 6, 6};
    SHPObject *lines[] = {parts(SHPT_ARC, 2, (int[]){0, 3}, xy, 5)};
    write_shapes(base, SHPT_ARC, lines, 1);
    char *shp = cor__asprintf("%s.shp", base);
    cor__shp_t *s = open_ok(shp);
    ck_assert_str_eq(cor__shp_type_name(s), "LineString");
    got_t g = read_all(s, NULL);
    ck_assert(g.n == 1 && g.kind[0] == COR__GEOM_LINE && g.nparts[0] == 2 && g.part1[0] == 3);
    ck_assert(g.xl[0] == 6 && g.yl[0] == 6);
    cor__shp_close(s);
    free(shp), free(base);

    base = join(dir, "cloud");
    SHPObject *clouds[] = {parts(SHPT_MULTIPOINT, 0, NULL, xy, 5)};
    write_shapes(base, SHPT_MULTIPOINT, clouds, 1);
    shp = cor__asprintf("%s.shp", base);
    s = open_ok(shp);
    ck_assert_str_eq(cor__shp_type_name(s), "MultiPoint");
    g = read_all(s, NULL);
    ck_assert(g.n == 1 && g.kind[0] == COR__GEOM_POINT && g.nparts[0] == 5 && g.npoints[0] == 5);
    ck_assert(g.part1[0] == 1 && g.xl[0] == 6);
    cor__shp_close(s);
    free(shp), free(base), free(dir);
}
END_TEST

START_TEST(z_and_m_variants)
{
    static const struct {
        int type;
        const char *name;
        cor__geom_kind_t kind;
    } cases[] = {
        {SHPT_POINTZ, "PointZ", COR__GEOM_POINT},
        {SHPT_POINTM, "PointM", COR__GEOM_POINT},
        {SHPT_MULTIPOINTZ, "MultiPointZ", COR__GEOM_POINT},
        {SHPT_MULTIPOINTM, "MultiPointM", COR__GEOM_POINT},
        {SHPT_ARCZ, "LineStringZ", COR__GEOM_LINE},
        {SHPT_ARCM, "LineStringM", COR__GEOM_LINE},
        {SHPT_POLYGONZ, "PolygonZ", COR__GEOM_POLYGON},
        {SHPT_POLYGONM, "PolygonM", COR__GEOM_POLYGON},
    };
    char *dir = cor_test_tmpdir("shp-zm");
    double xy[] = {3, 4, 3, 8, 7, 8, 3, 4};
    for (size_t i = 0; i < COR__ARRAY_LEN(cases); i++) {
        char *base = join(dir, cases[i].name), *shp = cor__asprintf("%s.shp", base);
        bool single = cases[i].type == SHPT_POINTZ || cases[i].type == SHPT_POINTM;
        bool multi = cases[i].type == SHPT_MULTIPOINTZ || cases[i].type == SHPT_MULTIPOINTM;
        SHPObject *objs[] = {single  ? point(cases[i].type, 3, 4)
                             : multi ? parts(cases[i].type, 0, NULL, xy, 4)
                                     : parts(cases[i].type, 1, (int[]){0}, xy, 4),
                             null_shape()};
        write_shapes(base, cases[i].type, objs, 2);
        cor__shp_t *s = open_ok(shp);
        ck_assert_str_eq(cor__shp_type_name(s), cases[i].name);
        ck_assert_int_eq(cor__shp_kind(s), cases[i].kind);
        ck_assert_uint_eq(cor__shp_null_count(s), 1);
        got_t g = read_all(s, NULL);
        ck_assert_uint_eq(g.n, 1);
        ck_assert_int_eq(g.kind[0], cases[i].kind);
        ck_assert_uint_eq(g.npoints[0], single ? 1 : 4);
        ck_assert_uint_eq(g.nparts[0], single ? 1 : multi ? 4 : 1);
        ck_assert(g.x0[0] == 3 && g.y0[0] == 4 && g.xl[0] == 3 && g.yl[0] == 4);
        cor__shp_close(s);
        free(shp), free(base);
    }
    free(dir);
}
END_TEST

START_TEST(null_layer_and_multipatch)
{
    char *dir = cor_test_tmpdir("shp-null"), *base = join(dir, "nothing");
    SHPObject *objs[] = {null_shape(), null_shape()};
    write_shapes(base, SHPT_NULL, objs, 2);
    char *shp = cor__asprintf("%s.shp", base);
    cor__shp_t *s = open_ok(shp);
    cor_bbox_t e;
    ck_assert_str_eq(cor__shp_type_name(s), "Null");
    ck_assert_int_eq(cor__shp_kind(s), COR__GEOM_NONE);
    ck_assert_uint_eq(cor__shp_null_count(s), 2);
    ck_assert(!cor__shp_extent(s, &e));
    ck_assert_uint_eq(read_all(s, NULL).n, 0);
    cor__shp_close(s);
    free(shp), free(base);

    base = join(dir, "patch");
    int types[] = {SHPP_TRISTRIP};
    double x[] = {0, 1, 0}, y[] = {0, 0, 1}, z[] = {0, 0, 0};
    SHPObject *patches[] = {
        SHPCreateObject(SHPT_MULTIPATCH, -1, 1, (int[]){0}, types, 3, x, y, z, NULL)};
    write_shapes(base, SHPT_MULTIPATCH, patches, 1);
    shp = cor__asprintf("%s.shp", base);
    s = open_ok(shp);
    ck_assert_str_eq(cor__shp_type_name(s), "MultiPatch");
    ck_assert_int_eq(cor__shp_kind(s), COR__GEOM_NONE);
    cor_error_t err = {0};
    got_t g = {0};
    ck_assert_int_eq(cor__shp_each(s, NULL, collect, &g, &err), COR_ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.message, "patch.shp: MultiPatch is not supported"));
    ck_assert_uint_eq(g.n, 0);
    cor__shp_close(s);
    free(shp), free(base), free(dir);
}
END_TEST

START_TEST(callback_status_stops_iteration)
{
    char *dir = cor_test_tmpdir("shp-stop"), *shp = make_places(dir, "K");
    cor__shp_t *s = open_ok(shp);
    got_t g = {.stop_after = 1};
    cor_error_t err = {0};
    ck_assert_int_eq(cor__shp_each(s, NULL, collect, &g, &err), COR_ERR_STYLE);
    ck_assert_str_eq(err.message, "stopped by the callback");
    ck_assert_uint_eq(g.n, 1);
    cor__shp_close(s);
    free(shp), free(dir);
}
END_TEST

/* ---- encodings ---- */

/* Opens places.shp with record 2's NAME in `bytes`, after writing `cpg` (unless NULL) and
 * setting the language driver to `ldid`; checks the encoding and the decoded name. */
static void check_encoding(const char *bytes, const char *cpg, unsigned ldid, const char *encoding,
                           const char *source, const char *utf8)
{
    char *dir = cor_test_tmpdir("shp-enc"), *shp = make_places(dir, bytes);
    char *dbf = sibling(shp, "dbf");
    patch_u8(dbf, 29, ldid);
    if (cpg) {
        char *path = sibling(shp, "cpg");
        write_text(path, cpg);
        free(path);
    }
    cor__shp_t *s = open_ok(shp);
    ck_assert_str_eq(cor__shp_encoding(s), encoding);
    ck_assert_str_eq(cor__shp_encoding_source(s), source);
    got_t g = read_all(s, &(cor_bbox_t){5, 5, 5, 5});
    ck_assert_uint_eq(g.n, 1);
    char want[256];
    snprintf(want, sizeof want, "NAME='%s' ", utf8);
    ck_assert_msg(strncmp(g.attrs[0], want, strlen(want)) == 0, "%s", g.attrs[0]);
    cor__shp_close(s);
    free(dbf), free(shp), free(dir);
}

#define KLAIPEDA_1257                                                                              \
    "Klaip\xEB"                                                                                    \
    "da"
#define KLAIPEDA                                                                                   \
    "Klaip\xC4\x97"                                                                                \
    "da"

START_TEST(cp1257_from_cpg)
{
    check_encoding(KLAIPEDA_1257, "1257", 0, "CP1257", ".cpg", KLAIPEDA);
    check_encoding(KLAIPEDA_1257, "ANSI 1257\r\n", 0, "CP1257", ".cpg", KLAIPEDA);
    check_encoding(KLAIPEDA_1257, "cp1257", 0x57, "CP1257", ".cpg", KLAIPEDA);
    check_encoding(KLAIPEDA_1257, "ISO-8859-13", 0, "ISO-8859-13", ".cpg", KLAIPEDA);
}
END_TEST

START_TEST(cp1257_from_language_driver)
{
    check_encoding(KLAIPEDA_1257, NULL, 0xCC, "CP1257", "DBF language driver", KLAIPEDA);
}
END_TEST

START_TEST(cpg_spellings)
{
    static const struct {
        const char *cpg, *encoding;
    } cases[] = {
        {"UTF-8", "UTF-8"},           {"utf8", "UTF-8"},          {"65001", "UTF-8"},
        {"ISO-8859-1", "ISO-8859-1"}, {"ISO88591", "ISO-8859-1"}, {"88591", "ISO-8859-1"},
        {"LATIN1", "ISO-8859-1"},     {"28591", "ISO-8859-1"},    {"1252", "CP1252"},
        {"CP1252", "CP1252"},         {"WINDOWS-1252", "CP1252"}, {"ANSI 1251", "CP1251"},
        {"OEM 866", "CP866"},         {"KOI8-R", "KOI8-R"},
    };
    for (size_t i = 0; i < COR__ARRAY_LEN(cases); i++)
        check_encoding("Plain", cases[i].cpg, 0, cases[i].encoding, ".cpg", "Plain");
    /* an unknown .cpg falls back to the language driver, then to a guess */
    check_encoding("Plain", "no-such-encoding", 0x03, "CP1252", "DBF language driver", "Plain");
    check_encoding("Plain", "no-such-encoding", 0, "UTF-8", "assumed", "Plain");
}
END_TEST

START_TEST(assumed_latin1_without_cpg)
{
    check_encoding("Malm\xF6", NULL, 0, "ISO-8859-1", "assumed", "Malm\xC3\xB6");
}
END_TEST

START_TEST(assumed_utf8_without_cpg)
{
    check_encoding(KLAIPEDA, NULL, 0, "UTF-8", "assumed", KLAIPEDA);
}
END_TEST

START_TEST(invalid_bytes_become_replacement)
{
    check_encoding("Bad\xFF"
                   "Byte",
                   "UTF-8", 0, "UTF-8", ".cpg",
                   "Bad\xEF\xBF\xBD"
                   "Byte");
    check_encoding("Half\xC4", "UTF-8", 0, "UTF-8", ".cpg", "Half\xEF\xBF\xBD");
    /* 0x81 has no character in CP1252 */
    check_encoding("A\x81Z", "1252", 0, "CP1252", ".cpg", "A\xEF\xBF\xBDZ");
}
END_TEST

START_TEST(prj_read_verbatim)
{
    char *dir = cor_test_tmpdir("shp-prjok"), *shp = make_places(dir, "K"),
         *prj = sibling(shp, "prj");
    const char *wkt = "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\","
                      "6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],"
                      "UNIT[\"Degree\",0.0174532925199433]]\n";
    write_text(prj, wkt);
    cor__shp_t *s = open_ok(shp);
    ck_assert_str_eq(cor__shp_prj(s), wkt);
    cor__shp_close(s);
    free(prj), free(shp), free(dir);
}
END_TEST

START_TEST(many_parts)
{
    char *dir = cor_test_tmpdir("shp-many"), *shp = make_many_parts(dir);
    cor__shp_t *s = open_ok(shp);
    got_t g = read_all(s, NULL);
    ck_assert(g.n == 1 && g.nparts[0] == 300 && g.npoints[0] == 600 && g.part1[0] == 2);
    ck_assert(g.xl[0] == 299 && g.yl[0] == 1);
    cor__shp_close(s);
    free(shp), free(dir);
}
END_TEST

/* Some writers put the record header's 8 bytes into the index length too; shapelib copes. */
START_TEST(index_length_counting_the_record_header)
{
    char *dir = cor_test_tmpdir("shp-quirk"), *shp = make_places(dir, "K"),
         *shx = sibling(shp, "shx");
    static const uint32_t words[] = {10, 2, 10, 10};
    for (int i = 0; i < 4; i++)
        patch_be32(shx, 100 + 8 * i + 4, words[i] + 4);
    cor__shp_t *s = open_ok(shp);
    got_t g = read_all(s, NULL);
    ck_assert(g.n == 3 && g.id[2] == 3 && g.x0[2] == 10 && g.y0[2] == 10);
    cor__shp_close(s);
    patch_be32(shx, 100 + 4, 10 + 5); /* any other difference is an error */
    expect_fail(shp, COR_ERR_DATA, "places.shp: record 0: length 20 differs from 30", "places.shx");
    free(shx), free(shp), free(dir);
}
END_TEST

START_TEST(upper_case_siblings)
{
    char *dir = cor_test_tmpdir("shp-upper"), *shp = make_places(dir, "K");
    char *shx = sibling(shp, "shx"), *dbf = sibling(shp, "dbf");
    char *shx2 = sibling(shp, "SHX"), *dbf2 = sibling(shp, "DBF");
    ck_assert_int_eq(rename(shx, shx2), 0);
    ck_assert_int_eq(rename(dbf, dbf2), 0);
    cor__shp_t *s = open_ok(shp);
    ck_assert_uint_eq(cor__shp_nfields(s), 5);
    ck_assert_uint_eq(read_all(s, NULL).n, 3);
    cor__shp_close(s);
    free(dbf2), free(shx2), free(dbf), free(shx), free(shp), free(dir);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("source_shp");
    TCase *fail = tcase_create("failures");
    tcase_add_test(fail, missing_shx_is_io);
    tcase_add_test(fail, missing_shp_is_io);
    tcase_add_test(fail, empty_files);
    tcase_add_test(fail, truncated_shp);
    tcase_add_test(fail, wrong_file_code);
    tcase_add_test(fail, wrong_version_and_type);
    tcase_add_test(fail, shx_size_checks);
    tcase_add_test(fail, shx_points_past_the_end);
    tcase_add_test(fail, record_runs_past_the_end);
    tcase_add_test(fail, shx_length_disagrees);
    tcase_add_test(fail, wrong_record_shape_type);
    tcase_add_test(fail, point_record_too_short);
    tcase_add_test(fail, huge_point_count);
    tcase_add_test(fail, huge_part_count);
    tcase_add_test(fail, negative_counts);
    tcase_add_test(fail, bad_part_starts);
    tcase_add_test(fail, polygon_record_too_short);
    tcase_add_test(fail, part_start_in_a_later_chunk);
    tcase_add_test(fail, directory_is_io);
    tcase_add_test(fail, parts_without_points);
    tcase_add_test(fail, multipoint_too_many_points);
    tcase_add_test(fail, dbf_claims_four_billion_records);
    tcase_add_test(fail, dbf_header_length_lies);
    tcase_add_test(fail, dbf_field_widths_do_not_add_up);
    tcase_add_test(fail, dbf_count_mismatch);
    tcase_add_test(fail, prj_too_large);
    tcase_add_test(fail, files_changed_after_open);
    suite_add_tcase(s, fail);

    TCase *read = tcase_create("reading");
    tcase_add_test(read, points_with_attributes_utf8_cpg);
    tcase_add_test(read, field_infos);
    tcase_add_test(read, bbox_returns_only_touching_records);
    tcase_add_test(read, polygon_with_hole_and_no_dbf);
    tcase_add_test(read, lines_and_multipoints);
    tcase_add_test(read, z_and_m_variants);
    tcase_add_test(read, null_layer_and_multipatch);
    tcase_add_test(read, callback_status_stops_iteration);
    tcase_add_test(read, prj_read_verbatim);
    tcase_add_test(read, many_parts);
    tcase_add_test(read, index_length_counting_the_record_header);
    tcase_add_test(read, upper_case_siblings);
    suite_add_tcase(s, read);

    TCase *enc = tcase_create("encodings");
    tcase_add_test(enc, cp1257_from_cpg);
    tcase_add_test(enc, cp1257_from_language_driver);
    tcase_add_test(enc, cpg_spellings);
    tcase_add_test(enc, assumed_latin1_without_cpg);
    tcase_add_test(enc, assumed_utf8_without_cpg);
    tcase_add_test(enc, invalid_bytes_become_replacement);
    suite_add_tcase(s, enc);
    return s;
}

int main(void)
{
    return cor_test_run(suite());
}
