/* SPDX-License-Identifier: MIT */
/* Unit tests for suggest: the one edit distance behind every "did you mean". */
#include <stdint.h>
#include <string.h>

#include "suggest.h"
#include "testutil.h"

START_TEST(names_too_long_are_not_compared)
{
    char longer[COR__SUGGEST_CP_MAX + 2];
    memset(longer, 'a', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    ck_assert_uint_eq(cor__edit_distance(longer, "a"), SIZE_MAX);
    ck_assert_uint_eq(cor__edit_distance("a", longer), SIZE_MAX);
    longer[COR__SUGGEST_CP_MAX] = '\0'; /* exactly the maximum is compared */
    ck_assert_uint_eq(cor__edit_distance(longer, ""), COR__SUGGEST_CP_MAX);
    uint32_t cp[1] = {'a'};
    ck_assert_uint_eq(cor__edit_distance_cp(cp, COR__SUGGEST_CP_MAX + 1, cp, 1), SIZE_MAX);
}
END_TEST

START_TEST(distances)
{
    static const struct {
        const char *a, *b;
        size_t d;
    } cases[] = {
        {"", "", 0},
        {"fill", "fill", 0},
        {"Fill", "fIll", 0},   /* ASCII case */
        {"widht", "width", 1}, /* a swap of neighbours is one edit */
        {"kitten", "sitting", 3},
        {"contries", "countries", 1},
        {"fil", "fill", 1},
        {"Klaipėda", "Klaipeda", 1}, /* code points, not bytes */
        {"Šiauliai", "šiauliai", 1}, /* case folding is ASCII only */
        {"ab", "ba", 1},
        {"abc", "", 3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ck_assert_msg(cor__edit_distance(cases[i].a, cases[i].b) == cases[i].d, "%s ~ %s: %zu",
                      cases[i].a, cases[i].b, cor__edit_distance(cases[i].a, cases[i].b));
        ck_assert_uint_eq(cor__edit_distance(cases[i].b, cases[i].a), cases[i].d);
    }
}
END_TEST

static Suite *suggest_suite(void)
{
    Suite *s = suite_create("suggest");
    TCase *t = tcase_create("suggest");
    tcase_add_test(t, names_too_long_are_not_compared);
    tcase_add_test(t, distances);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return cor_test_run(suggest_suite());
}
