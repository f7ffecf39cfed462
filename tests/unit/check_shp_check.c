/* SPDX-License-Identifier: MIT */
/* Unit tests for shp_check (and the bounded reader under it). Fixtures are written at test time
 * with shapelib's writer and then corrupted byte by byte; every malformed file must give one error
 * naming the file (and record). Most checks are driven through cor__shp_open, the way every caller
 * meets them; the module's own calls are tested last. */
#include "shp_check.h"
#include "shp_fixture.h"

/* Opening must succeed with exactly one warning holding both needles (the second may be NULL),
 * and places.shp's three shapes must read as written, from the .shp's own record headers. */
static void expect_warned(const char *shp, const char *a, const char *b)
{
    cor__shp_t *s = open_ok(shp);
    const cor__warnings_t *w = cor__shp_warnings(s);
    ck_assert_msg(w->n == 1, "%zu warnings, first: %s", w->n, w->n ? w->lines[0] : "");
    ck_assert_msg(strstr(w->lines[0], a), "'%s' does not contain '%s'", w->lines[0], a);
    ck_assert_msg(!b || strstr(w->lines[0], b), "'%s' does not contain '%s'", w->lines[0], b);
    ck_assert_uint_eq(cor__shp_count(s), 4);
    got_t g = read_all(s, NULL);
    ck_assert_uint_eq(g.n, 3);
    ck_assert(g.id[0] == 0 && g.x0[0] == 1 && g.y0[0] == 1);
    ck_assert(g.id[1] == 2 && g.x0[1] == 5 && g.y0[1] == 5);
    ck_assert(g.id[2] == 3 && g.x0[2] == 10 && g.y0[2] == 10);
    ck_assert_msg(strncmp(g.attrs[0], "NAME='Minsk'", 12) == 0, "%s", g.attrs[0]);
    cor__shp_close(s);
}

/* ---- read in spite of: the index missing or disagreeing with the .shp ---- */

START_TEST(missing_shx_is_rebuilt)
{
    char *dir = cor_test_tmpdir("shp-noshx"), *shp = make_places(dir, "K"),
         *shx = sibling(shp, "shx");
    ck_assert_int_eq(unlink(shx), 0);
    expect_warned(shp, "places.shp: no .shx index beside it",
                  "rebuilt in memory from the 4 record headers");
    free(shx), free(shp), free(dir);
}
END_TEST

START_TEST(broken_shx_headers_are_read_around)
{
    char *dir = cor_test_tmpdir("shp-shxhead"), *shp = make_places(dir, "K"),
         *shx = sibling(shp, "shx");
    patch_be32(shx, 0, 1234);
    expect_warned(shp, "places.shx: file code 1234", "read by the .shp's own record headers");
    patch_be32(shx, 0, 9994);
    patch_le32(shx, 32, 8);
    expect_warned(shp, "places.shx", "shape type MultiPoint differs");
    patch_le32(shx, 32, 1);
    long n = file_size(shx);
    cut(shx, n - 3);
    expect_warned(shp, "places.shx", "header declares");
    cut(shx, n - 4); /* declared right, but half an entry */
    patch_be32(shx, 24, (uint32_t)(n - 4) / 2);
    expect_warned(shp, "places.shx", "whole 8-byte entries");
    cut(shx, 0);
    expect_warned(shp, "places.shx: empty file", NULL);
    free(shx), free(shp), free(dir);
}
END_TEST

START_TEST(shx_entries_disagreeing_are_read_around)
{
    char *dir = cor_test_tmpdir("shp-shxrec"), *shp = make_places(dir, "K"),
         *shx = sibling(shp, "shx");
    patch_be32(shx, 100 + 8 * 2, (uint32_t)file_size(shp) / 2 + 100);
    expect_warned(shp, "places.shp: record 2:", "outside");
    patch_be32(shx, 100 + 8 * 2, 10); /* inside the header */
    expect_warned(shp, "places.shp: record 2:", "offset 20 is inside the 100-byte header");
    patch_be32(shx, 100 + 8 * 2, (100 + 28 + 12) / 2); /* right again */
    patch_be32(shx, 100 + 4, 4);                       /* record 0 is a 20-byte point */
    expect_warned(shp, "places.shp: record 0: length 20 differs from 8", "places.shx");
    free(shx), free(shp), free(dir);
}
END_TEST

START_TEST(shx_and_shp_both_broken_is_the_index_error)
{
    char *dir = cor_test_tmpdir("shp-both"), *shp = make_places(dir, "K"),
         *shx = sibling(shp, "shx");
    patch_be32(shx, 100 + 4, 4);
    patch_be32(shp, 100 + 28 + 4, 0); /* the null record 1: no shape type, so no walk */
    expect_fail(shp, COR_ERR_DATA, "places.shp: record 0: length 20 differs from 8", "places.shx");
    ck_assert_int_eq(unlink(shx), 0); /* without an index, the walk's own message */
    expect_fail(shp, COR_ERR_DATA, "places.shp: record 1:", "no shape type");
    free(shx), free(shp), free(dir);
}
END_TEST

START_TEST(walk_refuses_a_shp_cut_inside_a_record_header)
{
    char *dir = cor_test_tmpdir("shp-walkcut"), *shp = make_places(dir, "K"),
         *shx = sibling(shp, "shx");
    ck_assert_int_eq(unlink(shx), 0);
    long n = file_size(shp);
    cut(shp, n + 4);                            /* 4 stray bytes after the last record */
    patch_be32(shp, 24, (uint32_t)(n + 4) / 2); /* ... that the header counts */
    expect_fail(shp, COR_ERR_DATA, "places.shp: record 4:", "too short for a record header");
    patch_be32(shp, 24, (uint32_t)n / 2); /* bytes past the header's length are not records */
    expect_warned(shp, "no .shx index beside it", NULL);
    free(shx), free(shp), free(dir);
}
END_TEST

/* ---- failures: missing and empty files ---- */

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
    char *dbf = sibling(shp, "dbf");
    cut(dbf, 0);
    expect_fail(shp, COR_ERR_DATA, "places.dbf", "empty");
    cut(shp, 0);
    expect_fail(shp, COR_ERR_DATA, "places.shp", "empty");
    cut(shp, 60);
    expect_fail(shp, COR_ERR_DATA, "places.shp", "too short");
    free(dbf), free(shp), free(dir);
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
    char *dir = cor_test_tmpdir("shp-code"), *shp = make_places(dir, "K");
    patch_be32(shp, 0, 9993);
    expect_fail(shp, COR_ERR_DATA, "places.shp", "file code 9993");
    free(shp), free(dir);
}
END_TEST

START_TEST(wrong_version_and_type)
{
    char *dir = cor_test_tmpdir("shp-version"), *shp = make_places(dir, "K");
    patch_le32(shp, 28, 999);
    expect_fail(shp, COR_ERR_DATA, "places.shp", "version 999");
    patch_le32(shp, 28, 1000);
    patch_le32(shp, 32, 2);
    expect_fail(shp, COR_ERR_DATA, "places.shp", "unknown shape type 2");
    free(shp), free(dir);
}
END_TEST

/* ---- failures: records ---- */

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

START_TEST(part_start_in_a_later_chunk)
{
    char *dir = cor_test_tmpdir("shp-chunk"), *shp = make_many_parts(dir);
    patch_le32(shp, 152 + 4 * 280, 2 * 279); /* part 280 starts where part 279 does */
    expect_fail(shp, COR_ERR_DATA, "roads.shp: record 0: part 280 starts at point 558",
                "does not follow");
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

/* ---- what is accepted ---- */

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
    patch_be32(shx, 100 + 4, 10 + 5); /* any other difference: the .shp's headers instead */
    expect_warned(shp, "places.shp: record 0: length 20 differs from 30", "places.shx");
    free(shx), free(shp), free(dir);
}
END_TEST

/* ---- the module's own calls ---- */

START_TEST(reader_refuses_ranges_past_the_end)
{
    char *dir = cor_test_tmpdir("shp-reader"), *shp = make_areas(dir);
    cor__shp_reader_t r = {.fd = -1};
    cor_error_t err = {0};
    unsigned char buf[8];
    ck_assert_int_eq(cor__shp_reader_open(&r, shp, &err), COR_OK);
    ck_assert_int_eq(cor__shp_reader_read(&r, 0, buf, 4, &err), COR_OK);
    ck_assert_uint_eq(buf[3], 0x0A); /* 9994, big-endian */
    ck_assert_int_eq(cor__shp_reader_read(&r, r.size - 4, buf, 8, &err), COR_ERR_DATA);
    ck_assert_msg(strstr(err.message, "areas.shp: 8 bytes at byte"), "%s", err.message);
    ck_assert_ptr_nonnull(strstr(err.message, "are past its end"));
    cor__shp_reader_close(&r);
    cor__shp_reader_close(&r); /* closing twice is safe */
    free(shp), free(dir);
}
END_TEST

START_TEST(geometry_checked_directly)
{
    char *dir = cor_test_tmpdir("shp-direct"), *shp = make_areas(dir), *shx = sibling(shp, "shx");
    cor__shp_geometry_t g = {0};
    cor_error_t err = {0};
    /* without an index: the same records, the index they make, and why */
    ck_assert_msg(cor__shp_check_geometry(shp, NULL, &g, &err) == COR_OK, "%s", err.message);
    ck_assert_uint_eq(g.nrec, 2);
    ck_assert(g.recs[0].nparts == 2 && g.recs[0].npoints == 10 && g.recs[1].npoints == 5);
    ck_assert_ptr_nonnull(strstr(g.warning, "areas.shp: no .shx index beside it"));
    ck_assert_int_eq(g.index_len, file_size(shx));
    char *bytes = NULL;
    size_t n = 0;
    ck_assert_int_eq(cor__read_file(shx, 1 << 20, &bytes, &n, NULL), COR_OK);
    ck_assert_int_eq(memcmp(g.index, bytes, n), 0); /* what shapelib's writer wrote */
    free(bytes), free(g.recs), free(g.index), free(g.warning);
    g = (cor__shp_geometry_t){0};
    cor_error_clear(&err);
    ck_assert_msg(cor__shp_check_geometry(shp, shx, &g, &err) == COR_OK, "%s", err.message);
    ck_assert_ptr_null(g.index);
    ck_assert_ptr_null(g.warning);
    ck_assert_str_eq(g.type->name, "Polygon");
    ck_assert_uint_eq(g.nrec, 2);
    ck_assert_uint_eq(g.nnull, 0);
    ck_assert(g.recs[0].nparts == 2 && g.recs[0].npoints == 10 && g.recs[1].npoints == 5);
    ck_assert(g.extent.minx == 0 && g.extent.maxx == 22);
    ck_assert_int_eq(g.shp_size, file_size(shp));
    ck_assert_int_eq(g.shx_size, file_size(shx));
    free(g.recs);
    free(shx), free(shp), free(dir);
}
END_TEST

START_TEST(dbf_checked_directly)
{
    char *dir = cor_test_tmpdir("dbf-direct"), *shp = make_places(dir, "K"),
         *dbf = sibling(shp, "dbf");
    cor__shp_reader_t r = {.fd = -1};
    cor__dbf_layout_t l = {0};
    cor_error_t err = {0};
    ck_assert_int_eq(cor__shp_reader_open(&r, dbf, &err), COR_OK);
    ck_assert_int_eq(cor__shp_check_dbf(&r, "places.shp", 3, &l, &err), COR_ERR_DATA);
    ck_assert_msg(strstr(err.message, "places.dbf has 4 records but places.shp has 3"), "%s",
                  err.message);
    ck_assert_ptr_null(l.fields); /* written only on success */
    ck_assert_int_eq(cor__shp_check_dbf(&r, "places.shp", 3, &l, NULL), COR_ERR_DATA);
    cor_error_clear(&err);
    ck_assert_msg(cor__shp_check_dbf(&r, "places.shp", 4, &l, &err) == COR_OK, "%s", err.message);
    ck_assert_uint_eq(l.nfields, 5);
    ck_assert_uint_eq(l.record_len, 1 + 20 + 10 + 12 + 1 + 8);
    ck_assert_str_eq(l.fields[0].name, "NAME");
    ck_assert(l.fields[0].type == 'C' && l.fields[0].text && l.fields[0].offset == 1);
    ck_assert(l.fields[2].type == 'N' && !l.fields[2].text && l.fields[2].decimals == 3);
    ck_assert(l.fields[3].type == 'L' && !l.fields[3].text && l.fields[3].offset == 43);
    ck_assert(l.fields[4].type == 'D' && !l.fields[4].text && l.fields[4].width == 8);
    free(l.fields);
    cor__shp_reader_close(&r);
    free(dbf), free(shp), free(dir);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("shp_check");
    TCase *fail = tcase_create("failures");
    tcase_add_test(fail, missing_shp_is_io);
    tcase_add_test(fail, walk_refuses_a_shp_cut_inside_a_record_header);
    tcase_add_test(fail, empty_files);
    tcase_add_test(fail, directory_is_io);
    tcase_add_test(fail, truncated_shp);
    tcase_add_test(fail, wrong_file_code);
    tcase_add_test(fail, wrong_version_and_type);
    tcase_add_test(fail, record_runs_past_the_end);
    tcase_add_test(fail, shx_and_shp_both_broken_is_the_index_error);
    tcase_add_test(fail, wrong_record_shape_type);
    tcase_add_test(fail, point_record_too_short);
    tcase_add_test(fail, huge_point_count);
    tcase_add_test(fail, huge_part_count);
    tcase_add_test(fail, negative_counts);
    tcase_add_test(fail, bad_part_starts);
    tcase_add_test(fail, polygon_record_too_short);
    tcase_add_test(fail, part_start_in_a_later_chunk);
    tcase_add_test(fail, parts_without_points);
    tcase_add_test(fail, multipoint_too_many_points);
    tcase_add_test(fail, dbf_claims_four_billion_records);
    tcase_add_test(fail, dbf_header_length_lies);
    tcase_add_test(fail, dbf_field_widths_do_not_add_up);
    tcase_add_test(fail, dbf_count_mismatch);
    suite_add_tcase(s, fail);

    TCase *ok = tcase_create("accepted");
    tcase_add_test(ok, index_length_counting_the_record_header);
    tcase_add_test(ok, missing_shx_is_rebuilt);
    tcase_add_test(ok, broken_shx_headers_are_read_around);
    tcase_add_test(ok, shx_entries_disagreeing_are_read_around);
    tcase_add_test(ok, reader_refuses_ranges_past_the_end);
    tcase_add_test(ok, geometry_checked_directly);
    tcase_add_test(ok, dbf_checked_directly);
    suite_add_tcase(s, ok);
    return s;
}

int main(void)
{
    return cor_test_run(suite());
}
