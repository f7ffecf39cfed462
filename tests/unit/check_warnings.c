/* SPDX-License-Identifier: MIT */
/* Unit tests for warnings: the list of one-line messages a render leaves for its caller. */
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "warnings.h"

START_TEST(each_warning_is_kept_once_in_order)
{
    cor__warnings_t w = {0};
    cor__warn(&w, "%s: index rebuilt", "a.shp");
    cor__warn(&w, "nothing in view");
    cor__warn(&w, "%s: index rebuilt", "a.shp");
    ck_assert_uint_eq(w.n, 2);
    ck_assert_str_eq(w.items[0], "a.shp: index rebuilt");
    ck_assert_str_eq(w.items[1], "nothing in view");
    cor__warnings_clear(&w);
    ck_assert_uint_eq(w.n, 0);
    ck_assert_ptr_null(w.items);
    cor__warn(NULL, "accepted"); /* a NULL list is accepted and says nothing */
}
END_TEST

START_TEST(a_long_list_ends_with_a_note)
{
    cor__warnings_t w = {0};
    for (int i = 0; i < 3 * COR__WARNINGS_MAX; i++)
        cor__warn(&w, "warning %d", i);
    ck_assert_uint_eq(w.n, COR__WARNINGS_MAX);
    ck_assert_str_eq(w.items[0], "warning 0");
    ck_assert_str_eq(w.items[COR__WARNINGS_MAX - 2], "warning 30");
    ck_assert_msg(strstr(w.items[COR__WARNINGS_MAX - 1], "more warnings were left out"), "%s",
                  w.items[COR__WARNINGS_MAX - 1]);
    cor__warnings_clear(&w);
}
END_TEST

START_TEST(a_long_message_is_cut_not_overrun)
{
    char big[3 * COR_ERROR_MAX];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    cor__warnings_t w = {0};
    cor__warn(&w, "%s", big);
    ck_assert_uint_eq(w.n, 1);
    ck_assert_uint_eq(strlen(w.items[0]), COR_ERROR_MAX - 1);
    cor__warnings_clear(&w);
}
END_TEST

static Suite *warnings_suite(void)
{
    Suite *s = suite_create("warnings");
    TCase *t = tcase_create("warnings");
    tcase_add_test(t, each_warning_is_kept_once_in_order);
    tcase_add_test(t, a_long_list_ends_with_a_note);
    tcase_add_test(t, a_long_message_is_cut_not_overrun);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return cor_test_run(warnings_suite());
}
