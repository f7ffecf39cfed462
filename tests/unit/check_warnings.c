/* SPDX-License-Identifier: MIT */
/* Unit tests for warnings: the list of one-line messages a render leaves for its caller. */
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "warnings.h"

START_TEST(each_warning_is_kept_once_in_order)
{
    cor__warnings_t w = {0};
    ck_assert(cor__warnings_add(&w, "%s: index rebuilt", "a.shp"));
    ck_assert(cor__warnings_add(&w, "nothing\nin view"));
    ck_assert(cor__warnings_add(&w, "%s: index rebuilt", "a.shp"));
    ck_assert_uint_eq(w.n, 2);
    ck_assert_str_eq(cor__warnings_get(&w, 0), "a.shp: index rebuilt");
    ck_assert_str_eq(cor__warnings_get(&w, 1), "nothing in view"); /* one line */
    ck_assert_ptr_null(cor__warnings_get(&w, 2));
    cor__warnings_t more = {0};
    ck_assert(cor__warnings_add(&more, "nothing in view"));
    ck_assert(cor__warnings_add(&more, "b.shp: deleted records skipped"));
    ck_assert(cor__warnings_merge(&w, &more));
    ck_assert_uint_eq(w.n, 3);
    ck_assert_str_eq(cor__warnings_get(&w, 2), "b.shp: deleted records skipped");
    cor__warnings_clear(&more);
    cor__warnings_clear(&w);
    ck_assert_uint_eq(w.n, 0);
    ck_assert_ptr_null(cor__warnings_get(&w, 0));
}
END_TEST

START_TEST(a_long_list_ends_with_a_count)
{
    cor__warnings_t w = {0};
    for (int i = 0; i < COR__WARNINGS_MAX + 5; i++)
        ck_assert(cor__warnings_add(&w, "warning %d", i));
    ck_assert_uint_eq(w.n, COR__WARNINGS_MAX);
    ck_assert_str_eq(cor__warnings_get(&w, 0), "warning 0");
    /* the count replaces the last line kept, so it counts that one too: 99 to 104 */
    ck_assert_str_eq(cor__warnings_get(&w, COR__WARNINGS_MAX - 1), "and 6 more warnings");
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

static Suite *warnings_suite(void)
{
    Suite *s = suite_create("warnings");
    TCase *t = tcase_create("warnings");
    tcase_add_test(t, each_warning_is_kept_once_in_order);
    tcase_add_test(t, a_long_list_ends_with_a_count);
    tcase_add_test(t, a_long_message_is_kept_whole);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return cor_test_run(warnings_suite());
}
