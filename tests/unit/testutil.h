/* SPDX-License-Identifier: MIT */
/* Helpers shared by the Check suites: paths into the source and build trees, scratch files. */
#ifndef COR_TESTUTIL_H
#define COR_TESTUTIL_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>

#include <cairo.h>

/* Returns: a malloc'd path below the source tree ($COR_TEST_SRC, else the configured one). */
char *cor_test_src(const char *rel);
/* Returns: a malloc'd path of a fresh, empty directory below $COR_TEST_BUILD (or /tmp). */
char *cor_test_tmpdir(const char *name);
/* Writes n bytes to path; fails the test when it cannot. */
void cor_test_write(const char *path, const void *data, size_t n);
/* The exit status of a suite that passed but could not run some checks (ctest's SKIP). */
#define COR_TEST_SKIPPED 77

/* Returns: true when the command `tool` is installed; otherwise says on stderr that `what`
 * is skipped and marks the suite as skipped (cor_test_run then exits COR_TEST_SKIPPED). */
bool cor_test_need_tool(const char *tool, const char *what);

/* Runs a Check suite with the default runner. Returns: the process exit status: failure when
 * any check failed, else COR_TEST_SKIPPED when cor_test_need_tool() found a tool missing. */
int cor_test_run(Suite *s);

#endif

/* A small shapefile writer for fixtures: fields "name" (text) and "value" (number). */
typedef struct cor_test_shp cor_test_shp_t;
/* shptype is a shapelib SHPT_* code. */
cor_test_shp_t *cor_test_shp_new(const char *path, int shptype);
/* Adds one single-part feature of n points given as x0, y0, x1, y1, ... (n == 0: a null shape). */
void cor_test_shp_add(cor_test_shp_t *t, const double *xy, int n, const char *name, double value);
/* Adds one feature of several parts: part i starts at point starts[i]. */
void cor_test_shp_add_parts(cor_test_shp_t *t, const double *xy, int n, const int *starts,
                            int nparts, const char *name, double value);
/* Closes the files and writes `prj` as the .prj when not NULL; frees t. */
void cor_test_shp_close(cor_test_shp_t *t, const char *prj);

/* WKT of WGS 84 longitude/latitude as Natural Earth ships it (ESRI dialect). */
#define COR_TEST_PRJ_WGS84                                                                         \
    "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,"                \
    "298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]"

/* Reads the pixel at (x, y) of an ARGB32 image surface as 0xRRGGBB (alpha dropped). */
unsigned cor_test_pixel(cairo_surface_t *s, int x, int y);
