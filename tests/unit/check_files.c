/* SPDX-License-Identifier: MIT */
/* Unit tests for files: joining and splitting paths, siblings in any case, reading under a
 * limit (opening beneath a directory is tested with the script sandbox that uses it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "files.h"
#include "testutil.h"
#include "util.h"

START_TEST(paths)
{
    char *s = cor__path_join("/data", "geodata/countries.shp");
    ck_assert_str_eq(s, "/data/geodata/countries.shp");
    free(s);
    s = cor__path_join("/data/", "/abs.shp");
    ck_assert_str_eq(s, "/abs.shp");
    free(s);
    s = cor__path_dirname("styles/default.lua");
    ck_assert_str_eq(s, "styles");
    free(s);
    s = cor__path_dirname("default.lua");
    ck_assert_str_eq(s, ".");
    free(s);
    ck_assert(cor__ends_with_ci("Roads.SHP", ".shp"));
    ck_assert(!cor__ends_with_ci("shp", ".shp"));
    ck_assert_int_eq(cor__strcasecmp("EPSG", "epsg"), 0);
}
END_TEST

START_TEST(sibling_files_any_case)
{
    char *dir = cor_test_tmpdir("util-sibling");
    char *shp = cor__path_join(dir, "Roads.shp");
    char *upper = cor__path_join(dir, "Roads.PRJ");
    cor_test_write(upper, "x", 1);
    char *found = cor__path_sibling(shp, "prj");
    ck_assert_str_eq(found, upper);
    ck_assert_ptr_null(cor__path_sibling(shp, "cpg"));
    free(found);
    free(upper);
    free(shp);
    free(dir);
}
END_TEST

START_TEST(read_file_limits)
{
    char *dir = cor_test_tmpdir("util-read");
    char *path = cor__path_join(dir, "f.txt");
    cor_test_write(path, "hello", 5);
    char *data = NULL;
    size_t len = 0;
    cor_error_t err = {0};
    ck_assert_int_eq(cor__read_file(path, 4, &data, &len, &err), COR_ERR_LIMIT);
    ck_assert_ptr_nonnull(strstr(err.message, "f.txt"));
    cor_error_clear(&err);
    ck_assert_int_eq(cor__read_file(path, 100, &data, &len, &err), COR_OK);
    ck_assert_str_eq(data, "hello");
    ck_assert_uint_eq(len, 5);
    free(data);
    ck_assert_int_eq(cor__read_file(dir, 100, &data, &len, &err), COR_ERR_IO);
    free(path);
    free(dir);
}
END_TEST

static Suite *files_suite(void)
{
    Suite *s = suite_create("files");
    TCase *t = tcase_create("files");
    tcase_add_test(t, paths);
    tcase_add_test(t, sibling_files_any_case);
    tcase_add_test(t, read_file_limits);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return cor_test_run(files_suite());
}
