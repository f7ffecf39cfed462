/* SPDX-License-Identifier: MIT */
/* Tests for text: measuring with the pinned Noto fonts, and drawing on image, PDF and SVG.
 * Failure cases first. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>

#include "files.h"
#include "testutil.h"
#include "text.h"
#include "text_testutil.h"
#include "util.h"

/* ---- failure cases ------------------------------------------------------------------------- */

START_TEST(test_bad_input)
{
    cor__text_style_t ts = style(10), tiny = style(0), wild = style(10);
    wild.tracking = NAN;
    cor__buf_t svg = {0};
    cor__textout_t to = {NULL, &svg}, nowhere = {NULL, NULL};
    cor_error_t err;

    cor_error_clear(&err);
    ck_assert_int_eq(cor__text_draw(&to,
                                    "Kl\xff"
                                    "aip",
                                    &ts, 0, 0, COR__ANCHOR_LEFT, &err),
                     COR_ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.message, "UTF-8"));
    ck_assert_int_eq(cor__text_draw(&to, "Vilnius", &tiny, 0, 0, COR__ANCHOR_LEFT, NULL),
                     COR_ERR_USAGE);
    ck_assert_int_eq(cor__text_draw(&to, "Vilnius", &wild, 0, 0, COR__ANCHOR_LEFT, NULL),
                     COR_ERR_USAGE);
    ck_assert_int_eq(cor__text_draw(&nowhere, "Vilnius", &ts, 0, 0, COR__ANCHOR_LEFT, NULL),
                     COR_ERR_INTERNAL);
    ck_assert_int_eq(cor__text_draw(&to, NULL, &ts, 0, 0, COR__ANCHOR_LEFT, NULL),
                     COR_ERR_INTERNAL);
    ck_assert_uint_eq(svg.len, 0); /* nothing half-written */

    double w = -1, h = -1;
    cor__text_measure("Kl\xc5", &ts, &w, &h);
    ck_assert(w == 0 && h == 0);
    cor__text_measure(NULL, &ts, &w, &h);
    ck_assert(w == 0 && h == 0);
    ck_assert_int_eq(cor__text_missing_glyphs("\xc0\x80", &ts), -1);
    cor__buf_free(&svg);
}
END_TEST

/* A character no pinned font has (private use) is counted as missing: the check has teeth. */
START_TEST(test_missing_glyphs)
{
    cor__text_style_t ts = style(10);
    ck_assert_int_gt(cor__text_missing_glyphs("Minsk \xee\x80\x80", &ts), 0);
    const char *names[] = {"Klaipėda", "Šiauliai", "Kaišiadorys", "Київ",
                           "Чернігів", "Мінск",    "Panevėžys",   "Łódź"};
    for (size_t i = 0; i < COR__ARRAY_LEN(names); i++) {
        ck_assert_msg(cor__text_missing_glyphs(names[i], &ts) == 0, "%s has boxes", names[i]);
        ck_assert_msg(width_of(names[i], &ts) > 10, "%s has no width", names[i]);
    }
}

/* ---- measuring ----------------------------------------------------------------------------- */

START_TEST(test_measure)
{
    cor__text_style_t ts = style(8), big = style(16), caps = style(8), spaced = style(8);
    caps.upper = true;
    spaced.tracking = 0.2;
    double w8 = width_of("Šiauliai", &ts), w16 = width_of("Šiauliai", &big);
    ck_assert(width_of("Šiauliai district", &ts) > w8);
    ck_assert_msg(fabs(w16 / w8 - 2) < 0.02, "16 pt is %g times 8 pt", w16 / w8);
    ck_assert(width_of("Šiauliai", &caps) > w8 * 1.1);
    /* Pango spaces letters, not the line's ends: n - 1 gaps */
    double gaps = 7 * 0.2 * 8;
    ck_assert_msg(fabs(width_of("Šiauliai", &spaced) - w8 - gaps) < 0.1 * gaps, "tracking %g",
                  width_of("Šiauliai", &spaced) - w8);

    double w1, h1, w2, h2;
    cor__text_measure("Kaišiadorys", &ts, &w1, &h1);
    cor__text_measure("Kaišiadorys\nrajonas", &ts, &w2, &h2);
    ck_assert(fabs(w2 - w1) < 0.01);
    ck_assert(h2 > 1.8 * h1);
    ck_assert(h1 > 8 && h1 < 8 * 1.6);

    /* capitals are Unicode-aware: ė -> Ė, ї -> Ї, ß -> SS */
    cor__text_style_t lower = style(8);
    ck_assert(fabs(width_of("KLAIPĖDA", &lower) - width_of("Klaipėda", &caps)) < 1e-6);
    ck_assert(fabs(width_of("КИЇВ", &lower) - width_of("Київ", &caps)) < 1e-6);
    ck_assert(fabs(width_of("STRASSE", &lower) - width_of("Straße", &caps)) < 1e-6);
    /* decomposed input is composed first: e + combining dot above measures as ė */
    ck_assert(fabs(width_of("Klaipe\xcc\x87"
                            "da",
                            &ts) -
                   width_of("Klaipėda", &ts)) < 1e-6);
    /* a family list falls through to a font that exists */
    cor__text_style_t list = style(8);
    list.font = "No Such Font, Noto Sans";
    ck_assert(fabs(width_of("Vilnius", &list) - width_of("Vilnius", &ts)) < 1e-6);
    /* bold is wider than regular */
    cor__text_style_t bold = style(8);
    bold.weight = 700;
    ck_assert(width_of("Vilnius", &bold) > width_of("Vilnius", &ts));
}
END_TEST

/* The measure does not depend on the surface: it is the same before and after drawing on a
 * scaled image, and on a PDF. */
START_TEST(test_measure_surface_independent)
{
    cor__text_style_t ts = style(9.5);
    double before = width_of("Chernihiv", &ts);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 50, 50);
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, 3.7, 3.7);
    cor__textout_t to = {cr, NULL};
    ck_assert_int_eq(cor__text_draw(&to, "Chernihiv", &ts, 1, 1, COR__ANCHOR_LEFT, NULL), COR_OK);
    ck_assert(width_of("Chernihiv", &ts) == before);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    /* linear in size: no hinting snaps widths to whole units */
    cor__text_style_t a = style(7), b = style(7.5);
    ck_assert(fabs(width_of("Chernihiv", &b) / width_of("Chernihiv", &a) - 7.5 / 7) < 0.002);
}
END_TEST

/* ---- drawing on cairo ---------------------------------------------------------------------- */

static unsigned hex(cor_color_t c)
{
    return (unsigned)lround(c.r * 255) << 16 | (unsigned)lround(c.g * 255) << 8 |
           (unsigned)lround(c.b * 255);
}

static bool in_box(int x, int y, cor_bbox_t box)
{
    double px = (x + 0.5) / SCALE, py = (y + 0.5) / SCALE;
    return px >= box.minx && px <= box.maxx && py >= box.miny && py <= box.maxy;
}

/* Counts pixels of exactly colour `rgb` inside a box in pt. */
static long count_pixels(canvas_t *c, unsigned rgb, cor_bbox_t box)
{
    long n = 0;
    cairo_surface_flush(c->s);
    for (int y = 0; y < c->h; y++)
        for (int x = 0; x < c->w; x++)
            n += in_box(x, y, box) && pixel(c->s, x, y) == rgb;
    return n;
}

/* Counts pixels not of the background colour outside a box in pt. */
static long count_ink_outside(canvas_t *c, unsigned bg, cor_bbox_t box)
{
    long n = 0;
    cairo_surface_flush(c->s);
    for (int y = 0; y < c->h; y++)
        for (int x = 0; x < c->w; x++)
            n += !in_box(x, y, box) && pixel(c->s, x, y) != bg;
    return n;
}

START_TEST(test_draw_image)
{
    cor__text_style_t ts = style(20);
    ts.color = RED;
    ts.halo_width = 3;
    canvas_t c = canvas_new(200, 60, GREY);
    cor__textout_t to = {c.cr, NULL};
    double w, h;
    cor__text_measure("Klaipėda", &ts, &w, &h);
    for (int anchor = 0; anchor < 3; anchor++) {
        canvas_t d = canvas_new(200, 60, GREY);
        cor__textout_t dt = {d.cr, NULL};
        double x = 100;
        ck_assert_int_eq(cor__text_draw(&dt, "Klaipėda", &ts, x, 10, anchor, NULL), COR_OK);
        double left = anchor == COR__ANCHOR_LEFT     ? x
                      : anchor == COR__ANCHOR_CENTER ? x - w / 2
                                                     : x - w;
        double pad = ts.halo_width / 2 + 0.5; /* the halo, and a pixel of anti-aliasing */
        cor_bbox_t box = {left, 10, left + w, 10 + h};
        cor_bbox_t padded = {box.minx - pad, box.miny - pad, box.maxx + pad, box.maxy + pad};
        ck_assert_int_gt(count_pixels(&d, hex(RED), box), 400);      /* solid text */
        ck_assert_int_gt(count_pixels(&d, hex(WHITE), padded), 400); /* its halo */
        ck_assert_int_eq(count_ink_outside(&d, hex(GREY), padded), 0);
        canvas_free(&d);
    }
    /* without a halo, no white at all */
    ts.halo.a = 0;
    ck_assert_int_eq(cor__text_draw(&to, "Klaipėda", &ts, 10, 10, COR__ANCHOR_LEFT, NULL), COR_OK);
    ck_assert_int_eq(count_pixels(&c, hex(WHITE), (cor_bbox_t){0, 0, 200, 60}), 0);
    ck_assert_int_gt(count_pixels(&c, hex(RED), (cor_bbox_t){0, 0, 200, 60}), 400);
    canvas_free(&c);
}
END_TEST

/* Multi-line text is centred: a short second line is inked around the middle only. */
START_TEST(test_draw_multiline_centred)
{
    cor__text_style_t ts = style(20);
    ts.halo.a = 0;
    canvas_t c = canvas_new(300, 80, WHITE);
    cor__textout_t to = {c.cr, NULL};
    double w, h;
    cor__text_measure("Kaišiadorys district\nLT", &ts, &w, &h);
    ck_assert_int_eq(
        cor__text_draw(&to, "Kaišiadorys district\nLT", &ts, 150, 5, COR__ANCHOR_CENTER, NULL),
        COR_OK);
    cor_bbox_t second = {150 - w / 2, 5 + h / 2 + 1, 150 + w / 2, 5 + h};
    cor_bbox_t middle = {150 - 15, second.miny, 150 + 15, second.maxy};
    long all = count_pixels(&c, hex(BLACK), second);
    ck_assert_int_gt(all, 100);
    ck_assert_int_eq(count_pixels(&c, hex(BLACK), middle), all);
    canvas_free(&c);
}
END_TEST

/* A PDF keeps the text as text, diacritics and Cyrillic included. */
START_TEST(test_draw_pdf_text)
{
    char *dir = cor_test_tmpdir("label-pdf");
    char *pdf = cor__path_join(dir, "t.pdf"), *txt = cor__path_join(dir, "t.txt");
    cairo_surface_t *s = cairo_pdf_surface_create(pdf, 300, 100);
    cairo_t *cr = cairo_create(s);
    cor__textout_t to = {cr, NULL};
    cor__text_style_t ts = style(12);
    ck_assert_int_eq(cor__text_draw(&to, "Klaipėda Šiauliai Kaišiadorys Київ", &ts, 10, 20,
                                    COR__ANCHOR_LEFT, NULL),
                     COR_OK);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    ck_assert_int_eq(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
    char *cmd = cor__asprintf("pdftotext -enc UTF-8 '%s' '%s'", pdf, txt);
    if (run_tool("pdftotext", cmd) == 0) {
        char *text = NULL;
        size_t n = 0;
        ck_assert_int_eq(cor__read_file(txt, 1 << 20, &text, &n, NULL), COR_OK);
        ck_assert_msg(strstr(text, "Klaipėda Šiauliai Kaišiadorys Київ") != NULL, "got: %s", text);
        free(text);
    }
    free(cmd);
    free(txt);
    free(pdf);
    free(dir);
}
END_TEST

/* ---- SVG ----------------------------------------------------------------------------------- */

START_TEST(test_svg_text)
{
    cor__buf_t svg = {0};
    cor__textout_t to = {NULL, &svg};
    cor__text_style_t ts = style(12);
    ts.weight = 700;
    ts.italic = true;
    ts.tracking = 0.1;
    ts.color = (cor_color_t){0.2, 0.4, 0.6, 0.5};
    ck_assert_int_eq(cor__text_draw(&to, "Kaišiadorys", &ts, 10, 20, COR__ANCHOR_LEFT, NULL),
                     COR_OK);
    const char *s = svg.data;
    ck_assert_ptr_nonnull(strstr(s, "<text"));
    ck_assert_ptr_nonnull(strstr(s, ">Kaišiadorys</text>"));
    ck_assert_ptr_nonnull(strstr(s, "font-family=\"'Noto Sans', sans-serif\""));
    ck_assert_ptr_nonnull(strstr(s, "font-size=\"12\""));
    ck_assert_ptr_nonnull(strstr(s, "font-weight=\"700\""));
    ck_assert_ptr_nonnull(strstr(s, "font-style=\"italic\""));
    ck_assert_ptr_nonnull(strstr(s, "letter-spacing=\"1.2\""));
    ck_assert_ptr_nonnull(strstr(s, "fill=\"#336699\" fill-opacity=\"0.5\""));
    ck_assert_ptr_nonnull(strstr(s, "stroke-linejoin=\"round\""));
    /* the halo is a stroked copy written before the filled text */
    const char *halo = strstr(s, "stroke=\"#ffffff\""), *fill = strstr(s, "fill=\"#336699\"");
    ck_assert(halo && fill && halo < fill);
    ck_assert_ptr_nonnull(strstr(s, "stroke-width=\"2\""));
    /* the baseline: y is the top plus the ascent, not the top */
    double y = 0;
    const char *at = strstr(fill, " y=\"");
    ck_assert_ptr_nonnull(at);
    y = strtod(at + 4, NULL);
    ck_assert(y > 20 + 8 && y < 20 + 16);

    svg.len = 0;
    ck_assert_int_eq(cor__text_draw(&to, "A & B <'\">", &ts, 10, 20, COR__ANCHOR_LEFT, NULL),
                     COR_OK);
    ck_assert_ptr_nonnull(strstr(svg.data, ">A &amp; B &lt;&apos;&quot;&gt;</text>"));
    assert_well_formed(svg.data);

    /* several lines are tspans; control characters never reach the XML */
    svg.len = 0;
    ts.halo.a = 0;
    ck_assert_int_eq(cor__text_draw(&to, "Kyiv\nКиїв\x01", &ts, 10, 20, COR__ANCHOR_CENTER, NULL),
                     COR_OK);
    ck_assert_ptr_null(strstr(svg.data, "stroke"));
    ck_assert_ptr_nonnull(strstr(svg.data, ">Kyiv</tspan><tspan"));
    ck_assert_ptr_nonnull(strstr(svg.data, ">Київ</tspan></text>"));
    ck_assert_ptr_null(strchr(svg.data, '\x01'));
    assert_well_formed(svg.data);
    cor__buf_free(&svg);
}
END_TEST

static Suite *text_suite(void)
{
    Suite *s = suite_create("text");
    TCase *fail = tcase_create("failures");
    tcase_add_test(fail, test_bad_input);
    tcase_add_test(fail, test_missing_glyphs);
    suite_add_tcase(s, fail);
    TCase *text = tcase_create("text");
    tcase_add_test(text, test_measure);
    tcase_add_test(text, test_measure_surface_independent);
    tcase_add_test(text, test_draw_image);
    tcase_add_test(text, test_draw_multiline_centred);
    tcase_add_test(text, test_draw_pdf_text);
    tcase_add_test(text, test_svg_text);
    suite_add_tcase(s, text);
    return s;
}

int main(void)
{
    return cor_test_run(text_suite());
}
