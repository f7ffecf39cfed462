/* SPDX-License-Identifier: MIT */
/* Unit tests for page: sizes as people write them, to points (malformed ones first), and
 * paper names. */
#include <string.h>

#include "corridor.h"
#include "testutil.h"

START_TEST(malformed_sizes_are_refused)
{
    static const char *const bad[] = {"",          "12",       "x600",          "800x",
                                      "800*600",   "-800x600", "0x10x20",       "1e999x2",
                                      "800x600km", "inf x 2",  "800x600 px px", "nanx2"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cor_error_t err = {0};
        double w = -1;
        ck_assert_msg(cor_page_size_parse(bad[i], 300, &w, NULL, NULL, &err) == COR_ERR_USAGE,
                      "'%s' accepted", bad[i]);
        ck_assert_double_eq(w, -1); /* untouched */
        ck_assert_ptr_nonnull(strstr(err.message, "is not a page size"));
        ck_assert_ptr_nonnull(strstr(err.message, bad[i]));
    }
    cor_error_t err = {0};
    ck_assert_int_eq(cor_page_size_parse("800x600", 0, NULL, NULL, NULL, &err), COR_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "needs a positive dpi"));
    ck_assert_int_eq(cor_page_size_parse(NULL, 300, NULL, NULL, NULL, NULL), COR_ERR_USAGE);
}
END_TEST

START_TEST(malformed_extents_are_refused)
{
    static const char *const bad[] = {
        "",          "20,44,41",    "20,44,41,57,1", "20;44;41;57", "0x14,0,1,1", "inf,0,1,1",
        "nan,0,1,1", "1e999,0,1,1", "20,44,41,57x",  "--1,0,1,1",   "20,,41,57",  "20 44,41,57"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cor_error_t err = {0};
        cor_bbox_t b = {-1, -1, -1, -1};
        ck_assert_msg(cor_extent_parse(bad[i], &b, &err) == COR_ERR_USAGE, "'%s' accepted", bad[i]);
        ck_assert_double_eq(b.minx, -1); /* untouched */
        ck_assert_ptr_nonnull(strstr(err.message, "is not an extent"));
        ck_assert_ptr_nonnull(strstr(err.message, bad[i]));
    }
    ck_assert_int_eq(cor_extent_parse(NULL, &(cor_bbox_t){0}, NULL), COR_ERR_USAGE);
}
END_TEST

START_TEST(extents_as_typed)
{
    cor_bbox_t b;
    ck_assert_int_eq(cor_extent_parse("20,44,41,57", &b, NULL), COR_OK);
    ck_assert(b.minx == 20 && b.miny == 44 && b.maxx == 41 && b.maxy == 57);
    ck_assert_int_eq(cor_extent_parse(" -10.5, +35 , 4e1,71.25 ", &b, NULL), COR_OK);
    ck_assert(b.minx == -10.5 && b.miny == 35 && b.maxx == 40 && b.maxy == 71.25);
    /* Parsing says nothing of whether it is a sound box: cor_map_set_extent() does. */
    ck_assert_int_eq(cor_extent_parse("41,57,20,44", &b, NULL), COR_OK);
}
END_TEST

START_TEST(sizes_in_every_unit)
{
    static const struct {
        const char *text;
        double dpi, w, h;
        bool px;
    } ok[] = {
        {"2400x1800", 300, 576, 432, true},
        {"1200X900px", 150, 576, 432, true},
        {"180x120mm", 300, 510.2362204724, 340.1574803150, false},
        {"18x12cm", 72, 510.2362204724, 340.1574803150, false},
        {"8x6in", 96, 576, 432, false},
        {"8 x 6 in", 96, 576, 432, false},
        {" 800 x 600 ", 200, 288, 216, true},
        {"595.28x841.89pt", 300, 595.28, 841.89, false},
        {".5x.25in", 300, 36, 18, false},
        {"90x60MM", 300, 255.1181102362, 170.0787401575, false},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        double w = 0, h = 0;
        bool px = !ok[i].px;
        cor_error_t err = {0};
        ck_assert_msg(cor_page_size_parse(ok[i].text, ok[i].dpi, &w, &h, &px, &err) == COR_OK,
                      "%s: %s", ok[i].text, err.message);
        ck_assert_double_eq_tol(w, ok[i].w, 1e-6);
        ck_assert_double_eq_tol(h, ok[i].h, 1e-6);
        ck_assert(px == ok[i].px);
    }
}
END_TEST

START_TEST(papers_by_name)
{
    double w = 0, h = 0;
    cor_error_t err = {0};
    ck_assert_int_eq(cor_paper_size("a4", false, &w, &h, &err), COR_OK);
    ck_assert_double_eq_tol(w, 595.28, 1e-9);
    ck_assert_double_eq_tol(h, 841.89, 1e-9);
    ck_assert_int_eq(cor_paper_size("A3", true, &w, &h, &err), COR_OK);
    ck_assert_double_eq_tol(w, 1190.55, 1e-9);
    ck_assert_double_eq_tol(h, 841.89, 1e-9);
    ck_assert_int_eq(cor_paper_size("tabloid", false, &w, NULL, NULL), COR_OK);
    ck_assert_double_eq(w, 792);
    ck_assert_int_eq(cor_paper_size("B5", false, &w, &h, &err), COR_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "'B5' is not a paper size"));
    ck_assert_int_eq(cor_paper_size(NULL, false, &w, &h, NULL), COR_ERR_USAGE);
    /* every name the list gives is one cor_paper_size knows */
    size_t n = 0;
    for (const char *name; (name = cor_paper_name(n)) != NULL; n++)
        ck_assert_int_eq(cor_paper_size(name, false, NULL, NULL, NULL), COR_OK);
    ck_assert_uint_eq(n, 6);
}
END_TEST

static Suite *page_suite(void)
{
    Suite *s = suite_create("page");
    TCase *t = tcase_create("page");
    tcase_add_test(t, malformed_sizes_are_refused);
    tcase_add_test(t, sizes_in_every_unit);
    tcase_add_test(t, papers_by_name);
    tcase_add_test(t, malformed_extents_are_refused);
    tcase_add_test(t, extents_as_typed);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return cor_test_run(page_suite());
}
