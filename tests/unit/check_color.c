/* SPDX-License-Identifier: MIT */
/* Unit tests for color: every form a style may write a colour in, every CSS name, and the
 * garbage that must not parse (leaving the output untouched). */
#include <string.h>

#include "color.h"
#include "testutil.h"
#include "util.h"

#define EPS 1e-9

static void assert_color(const cor_color_t *c, double r, double g, double b, double a)
{
    ck_assert_double_eq_tol(c->r, r, EPS);
    ck_assert_double_eq_tol(c->g, g, EPS);
    ck_assert_double_eq_tol(c->b, b, EPS);
    ck_assert_double_eq_tol(c->a, a, EPS);
}

START_TEST(colour_garbage_is_rejected)
{
    static const char *const bad[] = {
        "",      "#",       "#f",    "#ff",        "#fffff",     "#fffffff", "#fffffffff",
        "#ggg",  "#12345g", "#fff ", " #fff",      "red ",       " red",     "redd",
        "re d",  "#+ff",    "#-ff",  "rgb(1,2,3)", "0xff0000",   "ff0000",   "blu",
        "none!", "#0x1234", "red\n", "noneX",      "transparen",
    };
    cor_color_t c = {0.25, 0.5, 0.75, 1};
    for (size_t i = 0; i < COR__ARRAY_LEN(bad); i++) {
        ck_assert_msg(!cor_color_parse(bad[i], &c), "'%s' parsed as a colour", bad[i]);
        assert_color(&c, 0.25, 0.5, 0.75, 1); /* untouched */
    }
    char long_name[300];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    ck_assert(!cor_color_parse(long_name, &c));
    ck_assert(!cor_color_parse(NULL, &c));
    ck_assert(!cor_color_parse("red", NULL));
}
END_TEST

START_TEST(colour_hex_forms)
{
    cor_color_t c;
    ck_assert(cor_color_parse("#fff", &c));
    assert_color(&c, 1, 1, 1, 1);
    ck_assert(cor_color_parse("#f80", &c));
    assert_color(&c, 1, 0x88 / 255.0, 0, 1);
    ck_assert(cor_color_parse("#F80C", &c)); /* #rgba */
    assert_color(&c, 1, 0x88 / 255.0, 0, 0xcc / 255.0);
    ck_assert(cor_color_parse("#ff8000", &c));
    assert_color(&c, 1, 128 / 255.0, 0, 1);
    ck_assert(cor_color_parse("#B9D3E6", &c));
    assert_color(&c, 0xb9 / 255.0, 0xd3 / 255.0, 0xe6 / 255.0, 1);
    ck_assert(cor_color_parse("#11223380", &c));
    assert_color(&c, 0x11 / 255.0, 0x22 / 255.0, 0x33 / 255.0, 128 / 255.0);
    ck_assert(cor_color_parse("#00000000", &c));
    assert_color(&c, 0, 0, 0, 0);
}
END_TEST

START_TEST(colour_names_any_case)
{
    static const char *const all[] = {
        "aliceblue",
        "antiquewhite",
        "aqua",
        "aquamarine",
        "azure",
        "beige",
        "bisque",
        "black",
        "blanchedalmond",
        "blue",
        "blueviolet",
        "brown",
        "burlywood",
        "cadetblue",
        "chartreuse",
        "chocolate",
        "coral",
        "cornflowerblue",
        "cornsilk",
        "crimson",
        "cyan",
        "darkblue",
        "darkcyan",
        "darkgoldenrod",
        "darkgray",
        "darkgreen",
        "darkgrey",
        "darkkhaki",
        "darkmagenta",
        "darkolivegreen",
        "darkorange",
        "darkorchid",
        "darkred",
        "darksalmon",
        "darkseagreen",
        "darkslateblue",
        "darkslategray",
        "darkslategrey",
        "darkturquoise",
        "darkviolet",
        "deeppink",
        "deepskyblue",
        "dimgray",
        "dimgrey",
        "dodgerblue",
        "firebrick",
        "floralwhite",
        "forestgreen",
        "fuchsia",
        "gainsboro",
        "ghostwhite",
        "gold",
        "goldenrod",
        "gray",
        "green",
        "greenyellow",
        "grey",
        "honeydew",
        "hotpink",
        "indianred",
        "indigo",
        "ivory",
        "khaki",
        "lavender",
        "lavenderblush",
        "lawngreen",
        "lemonchiffon",
        "lightblue",
        "lightcoral",
        "lightcyan",
        "lightgoldenrodyellow",
        "lightgray",
        "lightgreen",
        "lightgrey",
        "lightpink",
        "lightsalmon",
        "lightseagreen",
        "lightskyblue",
        "lightslategray",
        "lightslategrey",
        "lightsteelblue",
        "lightyellow",
        "lime",
        "limegreen",
        "linen",
        "magenta",
        "maroon",
        "mediumaquamarine",
        "mediumblue",
        "mediumorchid",
        "mediumpurple",
        "mediumseagreen",
        "mediumslateblue",
        "mediumspringgreen",
        "mediumturquoise",
        "mediumvioletred",
        "midnightblue",
        "mintcream",
        "mistyrose",
        "moccasin",
        "navajowhite",
        "navy",
        "oldlace",
        "olive",
        "olivedrab",
        "orange",
        "orangered",
        "orchid",
        "palegoldenrod",
        "palegreen",
        "paleturquoise",
        "palevioletred",
        "papayawhip",
        "peachpuff",
        "peru",
        "pink",
        "plum",
        "powderblue",
        "purple",
        "rebeccapurple",
        "red",
        "rosybrown",
        "royalblue",
        "saddlebrown",
        "salmon",
        "sandybrown",
        "seagreen",
        "seashell",
        "sienna",
        "silver",
        "skyblue",
        "slateblue",
        "slategray",
        "slategrey",
        "snow",
        "springgreen",
        "steelblue",
        "tan",
        "teal",
        "thistle",
        "tomato",
        "turquoise",
        "violet",
        "wheat",
        "white",
        "whitesmoke",
        "yellow",
        "yellowgreen",
    };
    cor_color_t c;
    ck_assert_uint_eq(COR__ARRAY_LEN(all), 148);
    for (size_t i = 0; i < COR__ARRAY_LEN(all); i++) {
        ck_assert_msg(cor_color_parse(all[i], &c), "%s", all[i]);
        ck_assert_double_eq(c.a, 1.0);
    }
    ck_assert(cor_color_parse("RebeccaPurple", &c));
    assert_color(&c, 0x66 / 255.0, 0x33 / 255.0, 0x99 / 255.0, 1);
    ck_assert(cor_color_parse("LIGHTGOLDENRODYELLOW", &c));
    assert_color(&c, 0xfa / 255.0, 0xfa / 255.0, 0xd2 / 255.0, 1);
    ck_assert(cor_color_parse("green", &c)); /* CSS green, not X11's */
    assert_color(&c, 0, 128 / 255.0, 0, 1);
    ck_assert(cor_color_parse("darkslategrey", &c));
    assert_color(&c, 0x2f / 255.0, 0x4f / 255.0, 0x4f / 255.0, 1);
    ck_assert(cor_color_parse("yellowgreen", &c));
    assert_color(&c, 0x9a / 255.0, 0xcd / 255.0, 0x32 / 255.0, 1);
    ck_assert(cor_color_parse("None", &c));
    assert_color(&c, 0, 0, 0, 0);
    ck_assert(cor_color_parse("transparent", &c));
    assert_color(&c, 0, 0, 0, 0);
}
END_TEST

START_TEST(colour_from_numbers)
{
    cor_color_t c = cor__color_rgb(0xd94801, 0.35);
    assert_color(&c, 0xd9 / 255.0, 0x48 / 255.0, 0x01 / 255.0, 0.35);
}
END_TEST

static Suite *color_suite(void)
{
    Suite *s = suite_create("color");
    TCase *t = tcase_create("color");
    tcase_add_test(t, colour_garbage_is_rejected);
    tcase_add_test(t, colour_hex_forms);
    tcase_add_test(t, colour_names_any_case);
    tcase_add_test(t, colour_from_numbers);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return cor_test_run(color_suite());
}
