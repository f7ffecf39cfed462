/* SPDX-License-Identifier: MIT */
/* Tests of the projection module: CRS parsing and its errors first, then transforms (axis order,
 * round trips, unprojectable points, boxes), densifying, scale factors and geodesics.
 * Reference values come from PROJ's command-line tools (proj-bin 9.1.1) or closed forms, never
 * from the code under test; each names the command that produced it. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "files.h"
#include "project.h"
#include "testutil.h"
#include "util.h"

#define LCC     "+proj=lcc +lat_1=47 +lat_2=55 +lat_0=51 +lon_0=28 +datum=WGS84"
#define ORTHO   "+proj=ortho +lat_0=52 +lon_0=28"
#define WGS84_A 6378137.0

/* Natural Earth's .prj (ESRI WKT). */
static const char esri_wgs84[] =
    "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],"
    "PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]";

/* projinfo -o WKT2_2019 --single-line "<LCC> +type=crs" */
static const char wkt2_lcc[] =
    "PROJCRS[\"unknown\",BASEGEOGCRS[\"unknown\",DATUM[\"World Geodetic System 1984\","
    "ELLIPSOID[\"WGS 84\",6378137,298.257223563,LENGTHUNIT[\"metre\",1]],ID[\"EPSG\",6326]],"
    "PRIMEM[\"Greenwich\",0,ANGLEUNIT[\"degree\",0.0174532925199433],ID[\"EPSG\",8901]]],"
    "CONVERSION[\"unknown\",METHOD[\"Lambert Conic Conformal (2SP)\",ID[\"EPSG\",9802]],"
    "PARAMETER[\"Latitude of false origin\",51,ANGLEUNIT[\"degree\",0.0174532925199433]],"
    "PARAMETER[\"Longitude of false origin\",28,ANGLEUNIT[\"degree\",0.0174532925199433]],"
    "PARAMETER[\"Latitude of 1st standard parallel\",47,ANGLEUNIT[\"degree\",0.0174532925199433]],"
    "PARAMETER[\"Latitude of 2nd standard parallel\",55,ANGLEUNIT[\"degree\",0.0174532925199433]],"
    "PARAMETER[\"Easting at false origin\",0,LENGTHUNIT[\"metre\",1]],"
    "PARAMETER[\"Northing at false origin\",0,LENGTHUNIT[\"metre\",1]]],"
    "CS[Cartesian,2],AXIS[\"(E)\",east,ORDER[1],LENGTHUNIT[\"metre\",1]],"
    "AXIS[\"(N)\",north,ORDER[2],LENGTHUNIT[\"metre\",1]]]";

/* projinfo -o WKT1_GDAL EPSG:3035, with its own AUTHORITY removed so identification has work to
 * do, and laid out over several lines as .prj files sometimes are. */
static const char wkt1_laea[] =
    "PROJCS[\"ETRS89-extended / LAEA Europe\",\n"
    "  GEOGCS[\"ETRS89\",DATUM[\"European_Terrestrial_Reference_System_1989\",\n"
    "    SPHEROID[\"GRS 1980\",6378137,298.257222101,AUTHORITY[\"EPSG\",\"7019\"]],\n"
    "    AUTHORITY[\"EPSG\",\"6258\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],\n"
    "    UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],\n"
    "    AUTHORITY[\"EPSG\",\"4258\"]],\n"
    "  PROJECTION[\"Lambert_Azimuthal_Equal_Area\"],PARAMETER[\"latitude_of_center\",52],\n"
    "  PARAMETER[\"longitude_of_center\",10],PARAMETER[\"false_easting\",4321000],\n"
    "  PARAMETER[\"false_northing\",3210000],UNIT[\"metre\",1,AUTHORITY[\"EPSG\",\"9001\"]]]\n";

static cor__proj_t *P;

static void setup(void)
{
    cor_error_t err;
    cor_error_clear(&err);
    ck_assert_msg(cor__proj_new(&P, &err) == COR_OK, "%s", err.message);
}

static void teardown(void)
{
    cor__proj_free(P);
    P = NULL;
}

static cor__crs_t *crs_ok(const char *def)
{
    cor__crs_t *crs = NULL;
    cor_error_t err;
    cor_error_clear(&err);
    ck_assert_msg(cor__crs_new(P, def, &crs, &err) == COR_OK, "%s: %s", def, err.message);
    ck_assert_ptr_nonnull(crs);
    return crs;
}

static cor__xform_t *xform_ok(const char *src, const char *dst)
{
    cor__crs_t *a = crs_ok(src), *b = crs_ok(dst);
    cor__xform_t *xf = NULL;
    cor_error_t err;
    cor_error_clear(&err);
    ck_assert_msg(cor__xform_new(P, a, b, &xf, &err) == COR_OK, "%s", err.message);
    cor__crs_free(a); /* the transformation must not need them any more */
    cor__crs_free(b);
    return xf;
}

/* Asserts that `def` is refused with COR_ERR_CRS, *out untouched, and a one-line message that
 * starts by quoting `quoted` and contains `reason`. */
static void expect_refused(const char *def, const char *quoted, const char *reason)
{
    cor__crs_t *crs = (cor__crs_t *)&crs; /* a sentinel that must survive */
    cor_error_t err;
    char head[256];
    cor_error_clear(&err);
    ck_assert_int_eq(cor__crs_new(P, def, &crs, &err), COR_ERR_CRS);
    ck_assert_ptr_eq(crs, (cor__crs_t *)&crs);
    ck_assert_int_eq(err.code, COR_ERR_CRS);
    snprintf(head, sizeof head, "CRS \"%s\": ", quoted);
    ck_assert_msg(strncmp(err.message, head, strlen(head)) == 0, "%s", err.message);
    ck_assert_msg(strstr(err.message, reason) != NULL, "%s", err.message);
    ck_assert_msg(strchr(err.message, '\n') == NULL, "%s", err.message);
}

static bool near(double a, double b, double tol)
{
    return fabs(a - b) <= tol;
}

/* ---- CRS failures ---- */

START_TEST(unknown_epsg_code)
{
    cor__crs_t *crs = NULL;
    cor_error_t err;
    cor_error_clear(&err);
    ck_assert_int_eq(cor__crs_new(P, "EPSG:99999", &crs, &err), COR_ERR_CRS);
    ck_assert_str_eq(err.message, "CRS \"EPSG:99999\": unknown (PROJ: crs not found)");
    expect_refused(" 99999 ", "99999", "crs not found");
}
END_TEST

START_TEST(garbage_and_empty)
{
    expect_refused("lambert please", "lambert please", "unknown (PROJ: ");
    expect_refused("", "", "empty definition");
    expect_refused(" \t\n ", "", "empty definition");
    expect_refused(NULL, "", "empty definition");
    expect_refused("+proj=lcc +lat_1=470", "+proj=lcc +lat_1=470", "lat_1");
}
END_TEST

START_TEST(not_horizontal_crs)
{
    expect_refused("EPSG:4978", "EPSG:4978", "geocentric");
    expect_refused("EPSG:5703", "EPSG:5703", "vertical");
    expect_refused("urn:ogc:def:coordinateOperation:EPSG::16035",
                   "urn:ogc:def:coordinateOperation:EPSG::16035", "not a CRS");
}
END_TEST

START_TEST(pipeline_refused)
{
    const char *pipe = "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
                       "+step +proj=merc";
    expect_refused(pipe, "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=ra…",
                   "pipeline");
    /* With +type=crs PROJ itself would turn the pipeline's last step into a CRS. */
    expect_refused("+proj=pipeline +step +proj=merc +type=crs",
                   "+proj=pipeline +step +proj=merc +type=crs", "pipeline");
}
END_TEST

START_TEST(long_definition_shortened)
{
    char bad[sizeof wkt1_laea];
    memcpy(bad, wkt1_laea, sizeof bad);
    bad[0] = 'Q'; /* "QROJCS[": not WKT any more */
    /* 60 bytes quoted, the line breaks and indentation folded into single spaces */
    expect_refused(bad, "QROJCS[\"ETRS89-extended / LAEA Europe\", GEOGCS[\"ETRS89\",DATU…",
                   "unknown");
}
END_TEST

START_TEST(no_transformation_between_bodies)
{
    /* A sphere the size of the Moon is another celestial body for PROJ. */
    cor__crs_t *moon = crs_ok("+proj=longlat +R=1737400"), *earth = crs_ok("EPSG:4326");
    cor__xform_t *xf = (cor__xform_t *)&xf;
    cor_error_t err;
    cor_error_clear(&err);
    ck_assert_int_eq(cor__xform_new(P, moon, earth, &xf, &err), COR_ERR_CRS);
    ck_assert_ptr_eq(xf, (cor__xform_t *)&xf);
    ck_assert_msg(strstr(err.message, "to \"WGS 84\"") != NULL, "%s", err.message);
    cor__crs_free(moon);
    cor__crs_free(earth);
}
END_TEST

START_TEST(bbox_failures)
{
    cor__xform_t *xf = xform_ok("EPSG:4326", ORTHO);
    cor_bbox_t out = {1, 2, 3, 4}, far = {-170, -20, -140, 10}, bad = {0, NAN, 1, 1};
    cor_error_t err;
    cor_error_clear(&err);
    ck_assert_int_eq(cor__xform_bbox(xf, false, far, &out, &err), COR_ERR_CRS);
    ck_assert_msg(strstr(err.message, "cannot be transformed") != NULL, "%s", err.message);
    cor_error_clear(&err);
    ck_assert_int_eq(cor__xform_bbox(xf, false, bad, &out, &err), COR_ERR_CRS);
    ck_assert(out.minx == 1 && out.maxy == 4);
    cor__xform_free(xf);
}
END_TEST

/* PROJ reports through our log hook only: nothing may reach stderr. */
START_TEST(proj_never_prints)
{
    char *dir = cor_test_tmpdir("project-stderr");
    char *path = cor__path_join(dir, "stderr.txt");
    FILE *f = fopen(path, "w+");
    int saved = dup(2);
    cor__crs_t *crs = NULL;
    cor__xform_t *xf = NULL;
    double x[2] = {-150, 28}, y[2] = {0, 52};
    cor_bbox_t out;
    long size;

    ck_assert_ptr_nonnull(f);
    ck_assert_int_ge(saved, 0);
    fflush(stderr);
    ck_assert_int_ge(dup2(fileno(f), 2), 0);
    ck_assert_int_ne(cor__crs_new(P, "EPSG:99999", &crs, NULL), COR_OK);
    ck_assert_int_ne(cor__crs_new(P, "+proj=lcc +lat_1=470", &crs, NULL), COR_OK);
    ck_assert_int_ne(cor__crs_new(P, "PROJCS[broken", &crs, NULL), COR_OK);
    xf = xform_ok("EPSG:4326", ORTHO);
    ck_assert_uint_eq(cor__xform_points(xf, false, x, y, 2), 1);
    ck_assert_int_ne(cor__xform_bbox(xf, false, (cor_bbox_t){-170, -20, -140, 10}, &out, NULL),
                     COR_OK);
    cor__xform_free(xf);
    fflush(stderr);
    ck_assert_int_ge(dup2(saved, 2), 0);
    close(saved);
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fclose(f);
    ck_assert_msg(size == 0, "PROJ wrote %ld bytes to stderr", size);
    unlink(path);
    rmdir(dir);
    free(path);
    free(dir);
}
END_TEST

/* ---- CRS parsing and identification ---- */

START_TEST(esri_wkt_is_wgs84)
{
    cor__crs_t *crs = crs_ok(esri_wgs84);
    char id[32];
    ck_assert(cor__crs_is_geographic(crs));
    ck_assert(cor__crs_identify(crs, id, sizeof id));
    ck_assert_str_eq(id, "EPSG:4326");
    ck_assert_str_eq(cor__crs_name(crs), "WGS 84");
    ck_assert(!cor__crs_identify(crs, id, 5)); /* "EPSG:4326" does not fit */
    cor__crs_free(crs);
}
END_TEST

START_TEST(epsg_forms)
{
    const char *defs[] = {"EPSG:3035", "epsg:3035", "  3035\n", wkt1_laea};
    for (size_t i = 0; i < COR__ARRAY_LEN(defs); i++) {
        cor__crs_t *crs = crs_ok(defs[i]);
        char id[32] = "";
        ck_assert(!cor__crs_is_geographic(crs));
        ck_assert_msg(cor__crs_identify(crs, id, sizeof id), "%s", defs[i]);
        ck_assert_str_eq(id, "EPSG:3035");
        ck_assert_str_eq(cor__crs_name(crs), "ETRS89-extended / LAEA Europe");
        cor__crs_free(crs);
    }
}
END_TEST

START_TEST(proj_strings_and_wkt2)
{
    const char *defs[] = {LCC, LCC " +type=crs", "proj=lcc lat_1=47 lat_2=55 lon_0=28", wkt2_lcc};
    for (size_t i = 0; i < COR__ARRAY_LEN(defs); i++) {
        cor__crs_t *crs = crs_ok(defs[i]);
        char id[32];
        ck_assert(!cor__crs_is_geographic(crs));
        ck_assert_msg(!cor__crs_identify(crs, id, sizeof id), "%s identified as %s", defs[i], id);
        cor__crs_free(crs);
    }
}
END_TEST

/* Compound, 3D and bound CRSs are reduced to the 2D horizontal CRS the map is drawn in. */
START_TEST(reduced_to_2d)
{
    const char *defs[] = {"EPSG:4979", "EPSG:9705", "EPSG:4326+5773", "OGC:CRS84",
                          "+proj=longlat +ellps=bessel "
                          "+towgs84=598.1,73.7,418.2,0.202,0.045,-2.455,6.7"};
    for (size_t i = 0; i < COR__ARRAY_LEN(defs); i++) {
        cor__crs_t *crs = crs_ok(defs[i]);
        ck_assert_msg(cor__crs_is_geographic(crs), "%s", defs[i]);
        cor__crs_free(crs);
    }
    cor__crs_t *crs = crs_ok("EPSG:9705"); /* WGS 84 + MSL height */
    char id[32];
    ck_assert(cor__crs_identify(crs, id, sizeof id));
    ck_assert_str_eq(id, "EPSG:4326");
    cor__crs_free(crs);
}
END_TEST

/* ---- transformations ---- */

/* EPSG:4326 is latitude first in its definition: normalisation must make x the longitude.
 * Reference: echo "50 30" | cs2cs -f "%.6f" EPSG:4326 EPSG:3857  ->  3339584.723798 6446275.841017
 * and the closed form of spherical (web) Mercator. Had the axes been taken as defined, lon 30
 * would have been read as a latitude and x would be a * 50 deg = 5565974.54 m. */
START_TEST(axis_order_normalised)
{
    cor__xform_t *xf = xform_ok("EPSG:4326", "EPSG:3857");
    double x[1] = {30}, y[1] = {50};
    double lam = 30 * M_PI / 180, phi = 50 * M_PI / 180;
    ck_assert(!cor__xform_is_identity(xf));
    ck_assert_uint_eq(cor__xform_points(xf, false, x, y, 1), 0);
    ck_assert_msg(near(x[0], WGS84_A * lam, 1e-6), "x = %.6f", x[0]);
    ck_assert_msg(near(y[0], WGS84_A * log(tan(M_PI / 4 + phi / 2)), 1e-6), "y = %.6f", y[0]);
    ck_assert(near(x[0], 3339584.723798, 1e-5) && near(y[0], 6446275.841017, 1e-5));
    cor__xform_free(xf);

    /* EPSG:3035 is northing first; its centre (10 E, 52 N) is at the false easting/northing. */
    xf = xform_ok("EPSG:4326", "EPSG:3035");
    x[0] = 10, y[0] = 52;
    ck_assert_uint_eq(cor__xform_points(xf, false, x, y, 1), 0);
    ck_assert_msg(near(x[0], 4321000, 1e-6) && near(y[0], 3210000, 1e-6), "%f %f", x[0], y[0]);
    cor__xform_free(xf);
}
END_TEST

START_TEST(identity_passes_through)
{
    cor__xform_t *xf = xform_ok("EPSG:4326", "OGC:CRS84"); /* only the axis order differs */
    double x[3] = {30, NAN, 1e300}, y[3] = {50, 1, -1e300};
    ck_assert(cor__xform_is_identity(xf));
    ck_assert_uint_eq(cor__xform_points(xf, false, x, y, 3), 0);
    ck_assert(x[0] == 30 && y[0] == 50 && isnan(x[1]) && isnan(y[1]));
    ck_assert(x[2] == 1e300 && y[2] == -1e300);
    cor__xform_free(xf);
    xf = xform_ok(esri_wgs84, "EPSG:4326");
    ck_assert(cor__xform_is_identity(xf));
    cor__xform_free(xf);
    xf = xform_ok("EPSG:3035", "epsg:3035");
    ck_assert(cor__xform_is_identity(xf));
    cor__xform_free(xf);

    /* The WKT1 copy of EPSG:3035 has a plain datum where EPSG's has an ensemble: PROJ does not
     * call them equivalent, but the transformation between them changes nothing. */
    xf = xform_ok("EPSG:3035", wkt1_laea);
    x[0] = 4321000, y[0] = 3210000, x[1] = 5000000, y[1] = 2000000;
    ck_assert_uint_eq(cor__xform_points(xf, false, x, y, 2), 0);
    ck_assert(near(x[0], 4321000, 1e-6) && near(y[0], 3210000, 1e-6));
    ck_assert(near(x[1], 5000000, 1e-6) && near(y[1], 2000000, 1e-6));
    cor__xform_free(xf);
}
END_TEST

START_TEST(lcc_round_trip)
{
    cor__xform_t *xf = xform_ok("EPSG:4326", LCC);
    double x[60], y[60], x0[60], y0[60];
    size_t n = 0;
    for (double lon = 19.5; lon <= 41.5; lon += 2.2)
        for (double lat = 43.8; lat <= 60; lat += 3.24)
            if (n < 60) {
                x0[n] = x[n] = lon;
                y0[n] = y[n] = lat;
                n++;
            }
    ck_assert_uint_eq(cor__xform_points(xf, false, x, y, n), 0);
    /* echo "19.5 43.8" | proj -f "%.3f" <LCC>  ->  -686085.553 -760989.182 */
    ck_assert_msg(near(x[0], -686085.553, 1e-3) && near(y[0], -760989.182, 1e-3), "%.3f %.3f", x[0],
                  y[0]);
    ck_assert_uint_eq(cor__xform_points(xf, true, x, y, n), 0);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(near(x[i], x0[i], 1e-9) && near(y[i], y0[i], 1e-9), "%zu: %.12f %.12f", i,
                      x[i], y[i]);
    cor__xform_free(xf);
}
END_TEST

/* The far side of an orthographic globe cannot be projected: that point becomes NAN and is
 * counted, its neighbours are projected, a NAN break stays NAN, and later calls are clean. */
START_TEST(unprojectable_points)
{
    cor__xform_t *xf = xform_ok("EPSG:4326", ORTHO);
    double x[4] = {28, NAN, -150, 30}, y[4] = {52, NAN, 0, 50};
    ck_assert_uint_eq(cor__xform_points(xf, false, x, y, 4), 1);
    ck_assert(near(x[0], 0, 1e-6) && near(y[0], 0, 1e-6));
    ck_assert(isnan(x[1]) && isnan(y[1]) && isnan(x[2]) && isnan(y[2]));
    ck_assert(isfinite(x[3]) && isfinite(y[3]) && x[3] > 0 && y[3] < 0);
    double u[2] = {29, 27}, v[2] = {53, 51};
    ck_assert_uint_eq(cor__xform_points(xf, false, u, v, 2), 0);
    ck_assert(isfinite(u[0]) && isfinite(v[0]) && isfinite(u[1]) && isfinite(v[1]));
    ck_assert_uint_eq(cor__xform_points(xf, false, u, v, 0), 0);
    cor__xform_free(xf);
}
END_TEST

/* The box 19.5..41.5 E, 43.8..60 N into the conic: the projected box holds every edge point,
 * sampled finer than the module does, and is tight. (proj_trans_bounds alone, 21 points an edge,
 * misses the south edge's dip at 28 E by 137 m.) The inverse box of that projected box holds the
 * original box. */
START_TEST(bbox_forward_and_inverse)
{
    cor__xform_t *xf = xform_ok("EPSG:4326", LCC);
    cor_bbox_t ll = {19.5, 43.8, 41.5, 60}, pr, back;
    enum { EDGE = 2003 }; /* not a multiple of the module's sampling */
    static double x[4 * EDGE], y[4 * EDGE];
    double tol = 0.5; /* metres */
    cor_bbox_t seen = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    cor_error_t err;
    cor_error_clear(&err);

    ck_assert_msg(cor__xform_bbox(xf, false, ll, &pr, &err) == COR_OK, "%s", err.message);
    for (int i = 0; i < EDGE; i++) {
        double t = (double)i / EDGE;
        x[i] = ll.minx + t * (ll.maxx - ll.minx), y[i] = ll.miny;
        x[EDGE + i] = ll.maxx, y[EDGE + i] = ll.miny + t * (ll.maxy - ll.miny);
        x[2 * EDGE + i] = ll.maxx - t * (ll.maxx - ll.minx), y[2 * EDGE + i] = ll.maxy;
        x[3 * EDGE + i] = ll.minx, y[3 * EDGE + i] = ll.maxy - t * (ll.maxy - ll.miny);
    }
    ck_assert_uint_eq(cor__xform_points(xf, false, x, y, 4 * EDGE), 0);
    for (int i = 0; i < 4 * EDGE; i++) {
        ck_assert_msg(x[i] >= pr.minx - tol && x[i] <= pr.maxx + tol && y[i] >= pr.miny - tol &&
                          y[i] <= pr.maxy + tol,
                      "edge point %d (%f, %f) outside", i, x[i], y[i]);
        seen.minx = fmin(seen.minx, x[i]), seen.maxx = fmax(seen.maxx, x[i]);
        seen.miny = fmin(seen.miny, y[i]), seen.maxy = fmax(seen.maxy, y[i]);
    }
    ck_assert(near(seen.minx, pr.minx, tol) && near(seen.maxx, pr.maxx, tol));
    ck_assert(near(seen.miny, pr.miny, tol) && near(seen.maxy, pr.maxy, tol));

    ck_assert_msg(cor__xform_bbox(xf, true, pr, &back, &err) == COR_OK, "%s", err.message);
    ck_assert(back.minx <= ll.minx + 1e-9 && back.maxx >= ll.maxx - 1e-9);
    ck_assert(back.miny <= ll.miny + 1e-9 && back.maxy >= ll.maxy - 1e-9);
    ck_assert(back.minx > 0 && back.maxx < 60 && back.miny > 30 && back.maxy < 75);
    cor__xform_free(xf);

    xf = xform_ok("EPSG:4326", "OGC:CRS84"); /* identity: the box comes back as it went */
    ck_assert_int_eq(cor__xform_bbox(xf, false, ll, &back, &err), COR_OK);
    ck_assert(memcmp(&back, &ll, sizeof ll) == 0);
    cor__xform_free(xf);
}
END_TEST

/* ---- densifying ---- */

START_TEST(densify_lengths_and_ends)
{
    double x[3] = {0, 10, 10}, y[3] = {0, 0, 7}, *ox = NULL, *oy = NULL;
    size_t n = 0;
    ck_assert(cor__densify(x, y, 2, 3, &ox, &oy, &n));
    ck_assert_uint_eq(n, 5); /* ceil(10 / 3) = 4 pieces */
    for (size_t i = 0; i < n; i++)
        ck_assert(near(ox[i], 2.5 * (double)i, 1e-12) && oy[i] == 0);
    free(ox);
    free(oy);

    ck_assert(cor__densify(x, y, 3, 0.7, &ox, &oy, &n));
    ck_assert_uint_eq(n, 1 + 15 + 10);
    ck_assert(ox[0] == 0 && oy[0] == 0 && ox[15] == 10 && oy[15] == 0);
    ck_assert(ox[n - 1] == 10 && oy[n - 1] == 7);
    for (size_t i = 1; i < n; i++)
        ck_assert(hypot(ox[i] - ox[i - 1], oy[i] - oy[i - 1]) <= 0.7 + 1e-12);
    free(ox);
    free(oy);
}
END_TEST

START_TEST(densify_edges)
{
    double x[3] = {0, NAN, 10}, y[3] = {0, NAN, 0}, *ox = NULL, *oy = NULL;
    size_t n = 99;
    ck_assert(cor__densify(x, y, 1, 1, &ox, &oy, &n));
    ck_assert(n == 1 && ox[0] == 0 && oy[0] == 0);
    free(ox);
    free(oy);
    ck_assert(cor__densify(x, y, 0, 1, &ox, &oy, &n));
    ck_assert_uint_eq(n, 0);
    free(ox);
    free(oy);
    ck_assert(cor__densify(x, y, 3, 1, &ox, &oy, &n)); /* a NAN break is not cut */
    ck_assert(n == 3 && isnan(ox[1]) && ox[2] == 10);
    free(ox);
    free(oy);
    double big[2] = {0, 1e6}, zero[2] = {0, 0};
    ck_assert(cor__densify(big, zero, 2, INFINITY, &ox, &oy, &n));
    ck_assert_uint_eq(n, 2);
    free(ox);
    free(oy);

    ox = oy = (double *)&n; /* sentinels: failures leave the outputs alone */
    n = 42;
    ck_assert(!cor__densify(big, zero, 2, 0, &ox, &oy, &n));
    ck_assert(!cor__densify(big, zero, 2, -1, &ox, &oy, &n));
    ck_assert(!cor__densify(big, zero, 2, NAN, &ox, &oy, &n));
    ck_assert(!cor__densify(big, zero, 2, 1e-9, &ox, &oy, &n)); /* 1e15 points */
    ck_assert(!cor__densify(big, zero, 2, 1e6 / (double)COR__DENSIFY_MAX / 1.5, &ox, &oy, &n));
    ck_assert(ox == (double *)&n && oy == (double *)&n && n == 42);
}
END_TEST

/* ---- scale factors and geodesics ---- */

static double scale_at(const char *def, double lon, double lat)
{
    cor__crs_t *crs = crs_ok(def);
    cor_error_t err;
    double k = -1;
    cor_error_clear(&err);
    ck_assert_msg(cor__crs_scale_at(P, crs, lon, lat, &k, &err) == COR_OK, "%s", err.message);
    cor__crs_free(crs);
    return k;
}

/* echo "28 51" | proj -S <LCC>  ->  <0.997569 0.997569 ...>  (h and k, equal: conformal) */
START_TEST(scale_factor_lcc)
{
    ck_assert(near(scale_at(LCC, 28, 47), 1, 1e-6));
    ck_assert(near(scale_at(LCC, 28, 55), 1, 1e-6));
    ck_assert(near(scale_at(LCC, 35, 55), 1, 1e-6)); /* a conic's scale depends on latitude only */
    double mid = scale_at(LCC, 28, 51);
    ck_assert_msg(mid < 1 && near(mid, 0.997569, 1e-6), "%.9f", mid);
    ck_assert(scale_at("EPSG:4326", 28, 51) == 1.0);
}
END_TEST

/* PROJ 9.1's proj_factors() is wrong for CRSs whose operation has an axis swap, a unit change or
 * a prime meridian; these pin the workaround. References from proj -S on the bare projection:
 *   echo "28 47" | proj -S +proj=laea +lat_0=52 +lon_0=10 +ellps=GRS80    -> k 0.996773
 *   echo "25.66277083 47" | proj -S +proj=tmerc +lon_0=0 +k=1 +ellps=WGS84 -> k 1.04682 */
START_TEST(scale_factor_awkward_crs)
{
    ck_assert(near(scale_at("EPSG:3035", 28, 47), 0.996773, 1e-6));
    ck_assert(near(scale_at("EPSG:2263", -74, 40.6666666666667), 1, 1e-6)); /* US feet */
    ck_assert(near(scale_at("+proj=tmerc +lon_0=0 +pm=paris +k=1", 2.33722917, 48.8), 1, 1e-9));
    ck_assert(near(scale_at("+proj=tmerc +lon_0=0 +pm=paris +k=1", 28, 47), 1.04682, 1e-5));
}
END_TEST

/* echo "53.90 27.57 54.68 25.32" | geod +ellps=WGS84 -I +units=m
 *   -> -58.440203  119.732716  170298.421 */
START_TEST(geodesic_minsk_vilnius)
{
    double d = cor__geodesic_distance(P, 27.57, 53.90, 25.32, 54.68);
    ck_assert_msg(near(d, 170298.421, 1.0), "%.3f", d);
    ck_assert(near(cor__geodesic_distance(NULL, 25.32, 54.68, 27.57, 53.90), d, 1e-6));
    ck_assert(cor__geodesic_distance(P, 27.57, 53.90, 27.57, 53.90) == 0);
    ck_assert(isnan(cor__geodesic_distance(P, 0, 91, 0, 0)));
    ck_assert(isnan(cor__geodesic_distance(P, NAN, 0, 0, 0)));
}
END_TEST

static Suite *project_suite(void)
{
    Suite *s = suite_create("project");
    TCase *fail = tcase_create("failures");
    TCase *crs = tcase_create("crs");
    TCase *xf = tcase_create("transform");
    TCase *measure = tcase_create("measure");

    tcase_add_checked_fixture(fail, setup, teardown);
    tcase_add_test(fail, unknown_epsg_code);
    tcase_add_test(fail, garbage_and_empty);
    tcase_add_test(fail, not_horizontal_crs);
    tcase_add_test(fail, pipeline_refused);
    tcase_add_test(fail, long_definition_shortened);
    tcase_add_test(fail, no_transformation_between_bodies);
    tcase_add_test(fail, bbox_failures);
    tcase_add_test(fail, proj_never_prints);
    suite_add_tcase(s, fail);

    tcase_add_checked_fixture(crs, setup, teardown);
    tcase_add_test(crs, esri_wkt_is_wgs84);
    tcase_add_test(crs, epsg_forms);
    tcase_add_test(crs, proj_strings_and_wkt2);
    tcase_add_test(crs, reduced_to_2d);
    suite_add_tcase(s, crs);

    tcase_add_checked_fixture(xf, setup, teardown);
    tcase_add_test(xf, axis_order_normalised);
    tcase_add_test(xf, identity_passes_through);
    tcase_add_test(xf, lcc_round_trip);
    tcase_add_test(xf, unprojectable_points);
    tcase_add_test(xf, bbox_forward_and_inverse);
    tcase_add_test(xf, densify_lengths_and_ends);
    tcase_add_test(xf, densify_edges);
    suite_add_tcase(s, xf);

    tcase_add_checked_fixture(measure, setup, teardown);
    tcase_add_test(measure, scale_factor_lcc);
    tcase_add_test(measure, scale_factor_awkward_crs);
    tcase_add_test(measure, geodesic_minsk_vilnius);
    suite_add_tcase(s, measure);
    return s;
}

int main(void)
{
    return cor_test_run(project_suite());
}
