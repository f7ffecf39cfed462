/* SPDX-License-Identifier: MIT */
/* Unit tests for source_shp: opening, the accessors, reading features through a query box, and
 * files that change after they were opened. The checks of every number in the files are
 * shp_check's suite, the attribute encodings dbf_text's. */
#include "shp_fixture.h"

/* ---- failures ---- */

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
    /* one warning says the attributes are missing */
    const cor__warnings_t *w = cor__shp_warnings(s);
    ck_assert_uint_eq(w->n, 1);
    ck_assert_msg(strstr(w->lines[0], "areas.shp: no .dbf beside it: its shapes are drawn without"),
                  "%s", w->lines[0]);
    cor__shp_close(s);
    free(shp), free(dir);
}
END_TEST

START_TEST(deleted_records_are_skipped_and_counted)
{
    char *dir = cor_test_tmpdir("shp-deleted"), *shp = make_places(dir, "K");
    char *dbf = sibling(shp, "dbf");
    cor__shp_t *s = open_ok(shp);
    ck_assert_uint_eq(cor__shp_deleted_count(s), 0);
    ck_assert_uint_eq(cor__shp_warnings(s)->n, 0);
    cor__shp_close(s);
    /* records 0 and 1 (the null shape) deleted: header 32 + 5 fields * 32 + 1, 52-byte records */
    unsigned header = 32 + 5 * 32 + 1, record = 1 + 20 + 10 + 12 + 1 + 8;
    patch_u8(dbf, header, '*');
    patch_u8(dbf, header + record, '*');
    s = open_ok(shp);
    ck_assert_uint_eq(cor__shp_count(s), 4);
    ck_assert_uint_eq(cor__shp_deleted_count(s), 2);
    got_t g = read_all(s, NULL);
    ck_assert_uint_eq(g.n, 2);
    ck_assert(g.id[0] == 2 && g.id[1] == 3 && g.x0[0] == 5);
    ck_assert_msg(strncmp(g.attrs[0], "NAME='K'", 8) == 0, "%s", g.attrs[0]);
    const cor__warnings_t *w = cor__shp_warnings(s);
    ck_assert_uint_eq(w->n, 1);
    ck_assert_msg(strstr(w->lines[0], "places.dbf: 2 records are marked deleted: skipped"), "%s",
                  w->lines[0]);
    cor__shp_close(s);
    cor_layer_info_t *info = NULL;
    ck_assert_int_eq(cor_layer_info_read(shp, &info, NULL), COR_OK);
    ck_assert_int_eq(info->features, 4);
    ck_assert_int_eq(info->deleted_features, 2);
    ck_assert_uint_eq(info->nwarnings, 1);
    ck_assert_str_eq(cor_layer_info_sample(info, 0, 0), "K"); /* Minsk's record is deleted */
    cor_layer_info_free(info);
    free(dbf), free(shp), free(dir);
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
    tcase_add_test(fail, prj_too_large);
    tcase_add_test(fail, files_changed_after_open);
    suite_add_tcase(s, fail);

    TCase *read = tcase_create("reading");
    tcase_add_test(read, points_with_attributes_utf8_cpg);
    tcase_add_test(read, field_infos);
    tcase_add_test(read, bbox_returns_only_touching_records);
    tcase_add_test(read, polygon_with_hole_and_no_dbf);
    tcase_add_test(read, deleted_records_are_skipped_and_counted);
    tcase_add_test(read, lines_and_multipoints);
    tcase_add_test(read, z_and_m_variants);
    tcase_add_test(read, null_layer_and_multipatch);
    tcase_add_test(read, callback_status_stops_iteration);
    tcase_add_test(read, prj_read_verbatim);
    tcase_add_test(read, many_parts);
    tcase_add_test(read, upper_case_siblings);
    suite_add_tcase(s, read);
    return s;
}

int main(void)
{
    return cor_test_run(suite());
}
