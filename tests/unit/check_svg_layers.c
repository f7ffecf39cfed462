/* SPDX-License-Identifier: MIT */
/* Unit tests for svg_layers: cairo's SVG cut into named layers at the marks. */
#include <stdlib.h>
#include <string.h>

#include "svg_layers.h"
#include "testutil.h"
#include "util.h"

#define MARK "<path d=\"M 0 0 L 0.25 0\"/>"
#define HEAD "<?xml version=\"1.0\"?>\n<svg width=\"10pt\">\n<g id=\"surface7\">\n"

static char *layers(const char *doc, const char *tail, char *const *names, size_t n,
                    cor_status_t want)
{
    cor__buf_t out = {0};
    cor_error_t err = {0};
    ck_assert_int_eq(cor__svg_layers(doc, strlen(doc), tail, tail ? strlen(tail) : 0, MARK, names,
                                     n, &out, &err),
                     want);
    return out.data;
}

START_TEST(a_document_cairo_did_not_write_is_refused)
{
    char *names[] = {"a"};
    ck_assert_ptr_null(layers("<svg><rect/></svg>", NULL, names, 1, COR_ERR_RENDER));
}
END_TEST

START_TEST(marks_that_do_not_match_the_names_leave_one_piece)
{
    char *names[] = {"a", "b"};
    char *out =
        layers(HEAD "<rect/>\n" MARK "<path/>\n</g>\n</svg>\n", "<text>x</text>", names, 2, COR_OK);
    ck_assert_ptr_null(strstr(out, "groupmode"));
    ck_assert_ptr_nonnull(strstr(out, MARK)); /* nothing is dropped either */
    ck_assert_ptr_nonnull(strstr(out, "<g id=\"surface1\">"));
    ck_assert_ptr_nonnull(strstr(out, "</g>\n<text>x</text></svg>"));
    free(out);
}
END_TEST

START_TEST(marks_cut_the_drawing_into_named_layers)
{
    char *names[] = {"countries", "9 rivers & lakes", "countries"};
    char *out = layers(HEAD "<rect/>\n" MARK "<path a/>\n" MARK "<path b/>\n" MARK
                            "<path c/>\n</g>\n</svg>\n",
                       "<text>Vilnius</text>", names, 3, COR_OK);
    ck_assert_ptr_nonnull(strstr(out, "xmlns:inkscape="));
    ck_assert_ptr_nonnull(strstr(out, "<g id=\"surface1\">\n<rect/>\n<g id=\"countries\" "
                                      "inkscape:groupmode=\"layer\" inkscape:label=\"countries\">"
                                      "\n<path a/>\n</g>\n"));
    ck_assert_ptr_nonnull(strstr(out, "<g id=\"layer-9-rivers---lakes\" inkscape:groupmode="
                                      "\"layer\" inkscape:label=\"9 rivers &amp; lakes\">"));
    ck_assert_ptr_nonnull(strstr(out, "<g id=\"countries-2\""));
    ck_assert_ptr_null(strstr(out, MARK));
    ck_assert_ptr_nonnull(strstr(out,
                                 "<g id=\"text\" inkscape:groupmode=\"layer\" "
                                 "inkscape:label=\"Text\">\n<text>Vilnius</text></g>\n</svg>"));
    free(out);
}
END_TEST

START_TEST(elements_open_at_a_mark_are_closed_and_opened_again)
{
    char *names[] = {"a", "b"};
    char *out = layers(HEAD MARK "<g clip-path=\"url(#c1)\">\n<path a/>\n" MARK
                                 "<path b/>\n</g>\n<path c/>\n</g>\n</svg>\n",
                       NULL, names, 2, COR_OK);
    const char *want = "<g id=\"a\" inkscape:groupmode=\"layer\" inkscape:label=\"a\">\n"
                       "<g clip-path=\"url(#c1)\">\n<path a/>\n</g></g>\n"
                       "<g id=\"b\" inkscape:groupmode=\"layer\" inkscape:label=\"b\">\n"
                       "<g clip-path=\"url(#c1)\"><path b/>\n</g>\n<path c/>\n</g>\n</g>\n</svg>";
    ck_assert_msg(strstr(out, want) != NULL, "got %s", out);
    free(out);
}
END_TEST

static Suite *svg_layers_suite(void)
{
    Suite *s = suite_create("svg_layers");
    TCase *t = tcase_create("svg_layers");
    tcase_add_test(t, a_document_cairo_did_not_write_is_refused);
    tcase_add_test(t, marks_that_do_not_match_the_names_leave_one_piece);
    tcase_add_test(t, marks_cut_the_drawing_into_named_layers);
    tcase_add_test(t, elements_open_at_a_mark_are_closed_and_opened_again);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return cor_test_run(svg_layers_suite());
}
