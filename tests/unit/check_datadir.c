/* SPDX-License-Identifier: MIT */
/* Unit tests for datadir: how corridor finds its styles and geodata. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "corridor.h"
#include "files.h"
#include "testutil.h"
#include "util.h"

START_TEST(an_override_must_hold_the_default_style)
{
    char buf[4096];
    cor_error_t err = {0};
    char *dir = cor_test_tmpdir("datadir-empty");
    ck_assert_int_eq(cor_data_dir_find(dir, buf, sizeof buf, &err), COR_ERR_NOTFOUND);
    ck_assert_ptr_nonnull(strstr(err.message, "styles/default.lua"));
    free(dir);
}
END_TEST

START_TEST(the_environment_is_honoured_and_checked)
{
    char buf[4096];
    cor_error_t err = {0};
    char *dir = cor_test_tmpdir("datadir-env");
    char *styles = cor__path_join(dir, "styles"),
         *style = cor__path_join(dir, "styles/default.lua");
    ck_assert_int_eq(mkdir(styles, 0755), 0);
    cor_test_write(style, "-- empty\n", 9);
    setenv("CORRIDOR_DATA_DIR", dir, 1);
    ck_assert_int_eq(cor_data_dir_find(NULL, buf, sizeof buf, &err), COR_OK);
    ck_assert_str_eq(buf, dir);
    char small[4];
    ck_assert_int_eq(cor_data_dir_find(NULL, small, sizeof small, &err), COR_ERR_LIMIT);
    setenv("CORRIDOR_DATA_DIR", "/nonexistent/corridor", 1);
    cor_error_clear(&err);
    ck_assert_int_eq(cor_data_dir_find(NULL, buf, sizeof buf, &err), COR_ERR_NOTFOUND);
    ck_assert_ptr_nonnull(strstr(err.message, "CORRIDOR_DATA_DIR"));
    free(style);
    free(styles);
    free(dir);
}
END_TEST

START_TEST(without_hints_the_build_finds_its_source_tree)
{
    char buf[4096];
    cor_error_t err = {0};
    unsetenv("CORRIDOR_DATA_DIR");
    ck_assert_int_eq(cor_data_dir_find(NULL, buf, sizeof buf, &err), COR_OK);
    char *probe = cor__path_join(buf, "geodata/countries.shp");
    ck_assert(cor__is_file(probe));
    free(probe);
}
END_TEST

START_TEST(null_err_is_accepted)
{
    char buf[4096], small[4];
    char *dir = cor_test_tmpdir("datadir-null"), *src = cor_test_src(".");
    ck_assert_int_eq(cor_data_dir_find(dir, buf, sizeof buf, NULL), COR_ERR_NOTFOUND);
    ck_assert_int_eq(cor_data_dir_find(src, small, sizeof small, NULL), COR_ERR_LIMIT);
    ck_assert_int_eq(cor_data_dir_find(src, buf, sizeof buf, NULL), COR_OK);
    setenv("CORRIDOR_DATA_DIR", "/nonexistent/corridor", 1);
    ck_assert_int_eq(cor_data_dir_find(NULL, buf, sizeof buf, NULL), COR_ERR_NOTFOUND);
    unsetenv("CORRIDOR_DATA_DIR");
    ck_assert_int_eq(cor_data_dir_find(NULL, buf, sizeof buf, NULL), COR_OK);
    free(src), free(dir);
}
END_TEST

static Suite *datadir_suite(void)
{
    Suite *s = suite_create("datadir");
    TCase *t = tcase_create("datadir");
    tcase_add_test(t, an_override_must_hold_the_default_style);
    tcase_add_test(t, the_environment_is_honoured_and_checked);
    tcase_add_test(t, without_hints_the_build_finds_its_source_tree);
    tcase_add_test(t, null_err_is_accepted);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return cor_test_run(datadir_suite());
}
