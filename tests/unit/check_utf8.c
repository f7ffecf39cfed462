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
                               8));                    /* Latin-1 byte */
    ck_assert(!cor__utf8_valid("\xc0\xaf", 2));        /* overlong */
    ck_assert(!cor__utf8_valid("\xed\xa0\x80", 3));    /* surrogate */
    ck_assert(!cor__utf8_valid("\xe2\x82", 2));        /* truncated */
    ck_assert(cor__utf8_valid("\xf0\x9f\x97\xba", 4)); /* U+1F5FA */
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
    tcase_add_test(t, folding_for_name_matching);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return cor_test_run(utf8_suite());
}
