/* SPDX-License-Identifier: MIT */
/* Unit tests for utf8: validity (every malformed form refused) and folding names. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "utf8.h"
#include "util.h"

START_TEST(utf8_validation)
{
    ck_assert(cor__utf8_valid("Klaip\xc4\x97"
                              "da",
                              9));
    ck_assert(!cor__utf8_valid("Klaip\xe9"
                               "da",
                               8));                     /* Latin-1 byte */
    ck_assert(!cor__utf8_valid("\xc0\xaf", 2));         /* overlong */
    ck_assert(!cor__utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
    ck_assert(!cor__utf8_valid("\xe2\x82", 2));         /* truncated */
    ck_assert(cor__utf8_valid("\xf0\x9f\x97\xba", 4));  /* U+1F5FA */
    ck_assert(!cor__utf8_valid("\xf7\xaa\x95\xad", 4)); /* above U+10FFFF */
    ck_assert(!cor__utf8_valid("\xf4\x90\x80\x80", 4)); /* U+110000 */
    ck_assert(cor__utf8_valid("\xf4\x8f\xbf\xbf", 4));  /* U+10FFFF */
}
END_TEST

/* Repairs `in` and checks the text and the count of replacements. */
static void check_repair(const char *in, size_t n, const char *want, size_t count)
{
    cor__buf_t b = {0};
    size_t replaced = 0;
    ck_assert(cor__utf8_append_repaired(&b, in, n, &replaced));
    ck_assert(cor__buf_append(&b, "", 1));
    ck_assert_str_eq(b.data, want);
    ck_assert_uint_eq(replaced, count);
    ck_assert(cor__utf8_valid(b.data, strlen(b.data)));
    cor__buf_free(&b);
}

#define FFFD "\xef\xbf\xbd"

START_TEST(repair_one_replacement_per_maximal_subpart)
{
    check_repair("Klaip\xc4\x97"
                 "da",
                 9,
                 "Klaip\xc4\x97"
                 "da",
                 0);
    check_repair("\xf7\xaa\x95\xad", 4, FFFD FFFD FFFD FFFD, 4); /* no lead, 3 strays */
    check_repair("a\xef\x8fz", 4, "a" FFFD "z", 1);              /* truncated 3-byte form */
    check_repair("\xed\xa0\x80", 3, FFFD FFFD FFFD, 3);          /* surrogate */
    check_repair("\xc0\xaf", 2, FFFD FFFD, 2);                   /* overlong */
    check_repair("\xf0\x9f\x97", 3, FFFD, 1);                    /* U+1F5FA cut short */
    check_repair("a\0b", 3, "a" FFFD "b", 1);                    /* NUL */
    check_repair("", 0, "", 0);
    cor__buf_t b = {0};
    ck_assert(cor__utf8_append_repaired(&b, "\xff", 1, NULL)); /* the count is optional */
    ck_assert_uint_eq(b.len, 3);
    cor__buf_free(&b);
}
END_TEST

START_TEST(folding_for_name_matching)
{
    const char *cases[][2] = {
        {"Klaip\xc4\x97"
         "da",
         "klaipeda"},
        {"\xc5\xa0"
         "iauliai",
         "siauliai"},
        {"Kai\xc5\xa1"
         "iadorys",
         "kaisiadorys"},
        {"K\xc4\x97"
         "dainiai",
         "kedainiai"},
        {"\xc5\x81\xc3\xb3"
         "d\xc5\xba",
         "lodz"},
        {"Stra\xc3\x9f"
         "e",
         "strasse"},
        {"KYIV", "kyiv"},
        {"\xd0\x9a\xd0\xb8\xd1\x97\xd0\xb2",
         "\xd0\x9a\xd0\xb8\xd1\x97\xd0\xb2"}, /* Cyrillic kept */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *f = cor__fold(cases[i][0]);
        ck_assert_str_eq(f, cases[i][1]);
        free(f);
    }
}
END_TEST

static Suite *utf8_suite(void)
{
    Suite *s = suite_create("utf8");
    TCase *t = tcase_create("utf8");
    tcase_add_test(t, utf8_validation);
    tcase_add_test(t, repair_one_replacement_per_maximal_subpart);
    tcase_add_test(t, folding_for_name_matching);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return cor_test_run(utf8_suite());
}
