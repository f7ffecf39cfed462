/* SPDX-License-Identifier: MIT */
/* Fixtures for the shapefile suites (source_shp, shp_check, dbf_text): shapefiles written with
 * shapelib's writer at test time, byte patches to corrupt them, and a callback that collects
 * what cor__shp_each delivers. Static inline so that each suite takes only what it uses. */
#ifndef COR_SHP_FIXTURE_H
#define COR_SHP_FIXTURE_H

#include <shapefil.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "source_shp.h"
#include "testutil.h"
#include "util.h"

/* ---- fixture helpers ---- */

static inline char *join(const char *dir, const char *name)
{
    char *p = cor__path_join(dir, name);
    ck_assert_ptr_nonnull(p);
    return p;
}

static inline long file_size(const char *path)
{
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    return (long)st.st_size;
}

static inline void patch(const char *path, long off, const void *bytes, size_t n)
{
    FILE *f = fopen(path, "r+b");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fseek(f, off, SEEK_SET), 0);
    ck_assert_uint_eq(fwrite(bytes, 1, n, f), n);
    ck_assert_int_eq(fclose(f), 0);
}

static inline void patch_be32(const char *path, long off, uint32_t v)
{
    unsigned char b[4] = {v >> 24, v >> 16, v >> 8, v};
    patch(path, off, b, 4);
}

static inline void patch_le32(const char *path, long off, uint32_t v)
{
    unsigned char b[4] = {v, v >> 8, v >> 16, v >> 24};
    patch(path, off, b, 4);
}

static inline void patch_le16(const char *path, long off, unsigned v)
{
    unsigned char b[2] = {v & 0xFF, (v >> 8) & 0xFF};
    patch(path, off, b, 2);
}

static inline void patch_u8(const char *path, long off, unsigned v)
{
    unsigned char b = (unsigned char)v;
    patch(path, off, &b, 1);
}

static inline void cut(const char *path, long size)
{
    ck_assert_int_eq(truncate(path, size), 0);
}

static inline void write_text(const char *path, const char *text)
{
    cor_test_write(path, text, strlen(text));
}

/* Writes base.shp/.shx holding objs (consumed). */
static inline void write_shapes(const char *base, int type, SHPObject **objs, int n)
{
    SHPHandle h = SHPCreate(base, type);
    ck_assert_ptr_nonnull(h);
    for (int i = 0; i < n; i++) {
        ck_assert_int_eq(SHPWriteObject(h, -1, objs[i]), i);
        SHPDestroyObject(objs[i]);
    }
    SHPClose(h);
}

static inline SHPObject *point(int type, double x, double y)
{
    double z = 7, m = 9;
    return SHPCreateObject(type, -1, 0, NULL, NULL, 1, &x, &y, &z, &m);
}

static inline SHPObject *null_shape(void)
{
    return SHPCreateObject(SHPT_NULL, -1, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL);
}

/* A polygon-like object: `nparts` parts of the listed xy pairs. */
static inline SHPObject *parts(int type, int nparts, const int *starts, const double *xy, int n)
{
    double x[64], y[64], z[64], m[64];
    ck_assert_int_le(n, 64);
    for (int i = 0; i < n; i++)
        x[i] = xy[2 * i], y[i] = xy[2 * i + 1], z[i] = 100 + i, m[i] = 200 + i;
    return SHPCreateObject(type, -1, nparts, starts, NULL, n, x, y, z, m);
}

/* The square [x0, x0 + size]^2 as a one-ring polygon. */
static inline SHPObject *square(double x0, double size)
{
    double xy[] = {x0, x0, x0, x0 + size, x0 + size, x0 + size, x0 + size, x0, x0, x0};
    return parts(SHPT_POLYGON, 1, (int[]){0}, xy, 5);
}

/* The standard attribute table: NAME C(20), POP N(10), AREA N(12,3), CAPITAL L, FOUNDED D,
 * four records; `klaipeda` is record 2's NAME in whatever encoding the test wants. */
static inline void write_places_dbf(const char *base, const char *klaipeda)
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
static inline char *make_places(const char *dir, const char *klaipeda)
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
static inline char *make_areas(const char *dir)
{
    char *base = join(dir, "areas");
    double ring[] = {0, 0, 0, 10, 10, 10, 10, 0, 0, 0, 2, 2, 8, 2, 8, 8, 2, 8, 2, 2};
    SHPObject *objs[] = {parts(SHPT_POLYGON, 2, (int[]){0, 5}, ring, 10), square(20, 2)};
    write_shapes(base, SHPT_POLYGON, objs, 2);
    char *shp = cor__asprintf("%s.shp", base);
    free(base);
    return shp;
}

static inline char *sibling(const char *shp, const char *ext)
{
    char *p = cor__strdup(shp);
    ck_assert_ptr_nonnull(p);
    strcpy(p + strlen(p) - 3, ext);
    return p;
}

/* Opening must fail with `code` and a message holding both needles (the second may be NULL). */
static inline void expect_fail(const char *shp, cor_status_t code, const char *a, const char *b)
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

static inline cor__shp_t *open_ok(const char *shp)
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

static inline void format_attrs(const cor__feature_t *f, char *out, size_t cap)
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

static inline cor_status_t collect(const cor__feature_t *f, void *ud, cor_error_t *err)
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

static inline got_t read_all(cor__shp_t *s, const cor_bbox_t *bbox)
{
    got_t g = {0};
    cor_error_t err = {0};
    cor_status_t st = cor__shp_each(s, bbox, collect, &g, &err);
    ck_assert_msg(st == COR_OK, "each: %s", err.message);
    return g;
}

/* roads: one line of 300 two-point parts, more part starts than are checked in one chunk. */
static inline char *make_many_parts(const char *dir)
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

#endif
