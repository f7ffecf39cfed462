/* SPDX-License-Identifier: MIT */
/* Unit tests for warnings: lines kept once, one line each, capped with a count of the rest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "warnings.h"

START_TEST(lines_are_kept_once_and_flat)
{
    cor__warnings_t w = {0};
    ck_assert_ptr_null(cor__warnings_get(&w, 0));
    ck_assert(cor__warnings_add(&w, "%s: %d values", "a.shp", 2));
    ck_assert(cor__warnings_add(&w, "%s: %d values", "a.shp", 2)); /* again: not added */
    ck_assert(cor__warnings_add(&w, "two\nlines\r"));
    ck_assert_uint_eq(w.n, 2);
    ck_assert_str_eq(cor__warnings_get(&w, 0), "a.shp: 2 values");
    ck_assert_str_eq(cor__warnings_get(&w, 1), "two lines ");
    ck_assert_ptr_null(cor__warnings_get(&w, 2));
    cor__warnings_t more = {0};
    ck_assert(cor__warnings_add(&more, "two lines "));
    ck_assert(cor__warnings_add(&more, "b.shp: no .dbf"));
    ck_assert(cor__warnings_merge(&w, &more));
    ck_assert_uint_eq(w.n, 3);
    ck_assert_str_eq(cor__warnings_get(&w, 2), "b.shp: no .dbf");
    cor__warnings_clear(&more);
    cor__warnings_clear(&w);
    ck_assert_uint_eq(w.n, 0);
    ck_assert_ptr_null(w.lines);
}
END_TEST

START_TEST(past_the_cap_the_rest_are_counted)
{
    cor__warnings_t w = {0};
    for (int i = 0; i < COR__WARNINGS_MAX + 5; i++)
        ck_assert(cor__warnings_add(&w, "line %d", i));
    ck_assert_uint_eq(w.n, COR__WARNINGS_MAX);
    ck_assert_str_eq(cor__warnings_get(&w, 0), "line 0");
    char want[64];
    snprintf(want, sizeof want, "and %d more warnings", 6); /* lines 99 to 104 */
    ck_assert_str_eq(cor__warnings_get(&w, COR__WARNINGS_MAX - 1), want);
    cor__warnings_clear(&w);
}
END_TEST

START_TEST(a_long_message_is_kept_whole)
{
    char big[3 * COR_ERROR_MAX];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    cor__warnings_t w = {0};
    ck_assert(cor__warnings_add(&w, "%s", big));
    ck_assert_uint_eq(w.n, 1);
    ck_assert_uint_eq(strlen(cor__warnings_get(&w, 0)), sizeof big - 1);
    cor__warnings_clear(&w);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("warnings");
    TCase *t = tcase_create("warnings");
    tcase_add_test(t, lines_are_kept_once_and_flat);
    tcase_add_test(t, past_the_cap_the_rest_are_counted);
    tcase_add_test(t, a_long_message_is_kept_whole);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return cor_test_run(suite());
}
