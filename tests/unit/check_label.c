/* Tests for label: measuring with the pinned Noto fonts, drawing on image, PDF and SVG, and
 * placing labels without overlaps. Failure cases first. Renders of a dense field are written to
 * $COR_TEST_BUILD (or /tmp) as label-dense.png / .svg for looking at. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/wait.h>

#include <cairo-pdf.h>

#include "label.h"
#include "testutil.h"
#include "util.h"

static const cor_color_t BLACK = {0, 0, 0, 1};
static const cor_color_t WHITE = {1, 1, 1, 1};
static const cor_color_t RED = {1, 0, 0, 1};
static const cor_color_t GREY = {0.5, 0.5, 0.5, 1};

static cor__text_style_t style(double size)
{
    return (cor__text_style_t){
        .size = size, .weight = 400, .color = BLACK, .halo = WHITE, .halo_width = 2};
}

static double width_of(const char *text, const cor__text_style_t *ts)
{
    double w = -1, h = -1;
    cor__text_measure(text, ts, &w, &h);
    return w;
}

static bool boxes_overlap(cor_bbox_t a, cor_bbox_t b)
{
    return a.minx < b.maxx && b.minx < a.maxx && a.miny < b.maxy && b.miny < a.maxy;
}

static bool box_inside(cor_bbox_t in, cor_bbox_t out)
{
    return in.minx >= out.minx && in.miny >= out.miny && in.maxx <= out.maxx && in.maxy <= out.maxy;
}

/* Returns: true when box and the circle of radius r about (x, y) share interior points. */
static bool box_circle(cor_bbox_t b, double x, double y, double r)
{
    double dx = fmax(fmax(b.minx - x, 0), x - b.maxx), dy = fmax(fmax(b.miny - y, 0), y - b.maxy);
    return dx * dx + dy * dy < r * r - 1e-9;
}

/* The single box of placed label i (point and area labels have one). */
static cor_bbox_t placed_box(cor__labeler_t *lb, size_t i, const char **text)
{
    const cor_bbox_t *boxes = NULL;
    size_t n = 0;
    ck_assert(cor__labeler_placed(lb, i, text, &boxes, &n));
    ck_assert_uint_ge(n, 1);
    return boxes[0];
}

static void counts(cor__labeler_t *lb, long placed, long dropped)
{
    long p = -1, d = -1;
    cor__labeler_counts(lb, &p, &d);
    ck_assert_int_eq(p, placed);
    ck_assert_int_eq(d, dropped);
}

static cor__labeler_t *labeler(double w, double h)
{
    cor__labeler_t *lb = NULL;
    ck_assert_int_eq(cor__labeler_new(w, h, &lb, NULL), COR_OK);
    return lb;
}

/* Runs a shell command. Returns: its exit status, or -1 when `tool` is not installed. */
static int run_tool(const char *tool, const char *cmd)
{
    if (!cor_test_need_tool(tool, cmd))
        return -1;
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 99;
}

/* Wraps SVG fragments in a document of w x h pt as cairo writes it: viewBox in points. */
static char *svg_document(const char *dir, const char *name, const char *body, double w, double h)
{
    char *path = cor__path_join(dir, name);
    char *doc = cor__asprintf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "
                              "xmlns=\"http://www.w3.org/2000/svg\" width=\"%gpt\" height=\"%gpt\" "
                              "viewBox=\"0 0 %g %g\" version=\"1.1\">\n<rect width=\"100%%\" "
                              "height=\"100%%\" fill=\"#d8d4c8\"/>\n%s</svg>\n",
                              w, h, w, h, body);
    cor_test_write(path, doc, strlen(doc));
    free(doc);
    return path;
}

/* Fails unless the SVG fragment parses as XML (with xmllint, when installed). */
static void assert_well_formed(const char *body)
{
    char *dir = cor_test_tmpdir("label-xml");
    char *path = svg_document(dir, "t.svg", body, 400, 300);
    char *cmd = cor__asprintf("xmllint --noout '%s'", path);
    int st = run_tool("xmllint", cmd);
    ck_assert_msg(st == 0 || st == -1, "xmllint rejects %s", body);
    free(cmd);
    free(path);
    free(dir);
}

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

    cor__labeler_t *lb = NULL;
    ck_assert_int_eq(cor__labeler_new(0, 100, &lb, NULL), COR_ERR_USAGE);
    ck_assert_int_eq(cor__labeler_new(NAN, 100, &lb, NULL), COR_ERR_USAGE);
    ck_assert_ptr_null(lb);
    lb = labeler(200, 100);
    ck_assert_int_eq(cor__labeler_add_point(lb, "\xed\xa0\x80", 50, 50, 2, &ts, 1, NULL),
                     COR_ERR_DATA); /* a UTF-16 surrogate is not UTF-8 */
    ck_assert_int_eq(cor__labeler_add_area(lb, "Belarus", 50, 50, &tiny, 1, NULL), COR_ERR_USAGE);
    double xs[2] = {10, 190}, ys[2] = {50, 50};
    ck_assert_int_eq(cor__labeler_add_line(lb, "Nemunas", NULL, ys, 2, &ts, 1, NULL),
                     COR_ERR_INTERNAL);
    /* unusable anchors are dropped, not errors */
    ck_assert_int_eq(cor__labeler_add_point(lb, "Minsk", NAN, 50, 2, &ts, 1, NULL), COR_OK);
    ck_assert_int_eq(cor__labeler_add_line(lb, "Nemunas", xs, ys, 1, &ts, 1, NULL), COR_OK);
    double same[2] = {20, 20};
    ck_assert_int_eq(cor__labeler_add_line(lb, "Nemunas", same, same, 2, &ts, 1, NULL), COR_OK);
    ck_assert_int_eq(cor__labeler_add_point(lb, "", 50, 50, 2, &ts, 1, NULL), COR_OK);
    cor__labeler_place(lb);
    counts(lb, 0, 3);
    ck_assert(!cor__labeler_placed(lb, 0, NULL, NULL, NULL));
    ck_assert_int_eq(cor__labeler_draw(lb, &nowhere, NULL), COR_ERR_INTERNAL);
    cor__labeler_free(lb);
    cor__labeler_free(NULL);
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
END_TEST

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

#define SCALE 4.0

typedef struct canvas {
    cairo_surface_t *s;
    cairo_t *cr;
    int w, h;
} canvas_t;

static canvas_t canvas_new(double w_pt, double h_pt, cor_color_t bg)
{
    canvas_t c = {.w = (int)(w_pt * SCALE), .h = (int)(h_pt * SCALE)};
    c.s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, c.w, c.h);
    c.cr = cairo_create(c.s);
    cairo_set_source_rgb(c.cr, bg.r, bg.g, bg.b);
    cairo_paint(c.cr);
    cairo_scale(c.cr, SCALE, SCALE);
    return c;
}

static void canvas_free(canvas_t *c)
{
    cairo_destroy(c->cr);
    cairo_surface_destroy(c->s);
}

static unsigned hex(cor_color_t c)
{
    return (unsigned)lround(c.r * 255) << 16 | (unsigned)lround(c.g * 255) << 8 |
           (unsigned)lround(c.b * 255);
}

/* Pixel (x, y) of an RGB24 image as 0xRRGGBB; flush the surface before reading. */
static unsigned pixel(cairo_surface_t *s, int x, int y)
{
    const unsigned char *row =
        cairo_image_surface_get_data(s) + (size_t)y * (size_t)cairo_image_surface_get_stride(s);
    uint32_t v;
    memcpy(&v, row + 4 * (size_t)x, 4);
    return v & 0xFFFFFF;
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

/* ---- placing ------------------------------------------------------------------------------- */

/* Two labels that both want the right-hand side: the second goes elsewhere. */
START_TEST(test_place_collision)
{
    cor__text_style_t ts = style(10);
    cor__labeler_t *alone = labeler(400, 300), *lb = labeler(400, 300);
    ck_assert_int_eq(cor__labeler_add_point(alone, "Šiauliai", 100, 106, 2, &ts, 1, NULL), COR_OK);
    cor__labeler_place(alone);
    cor_bbox_t first_choice = placed_box(alone, 0, NULL);
    ck_assert(first_choice.minx > 100); /* right of the marker, vertically centred on it */
    ck_assert(fabs((first_choice.miny + first_choice.maxy) / 2 - 106) < 3);

    ck_assert_int_eq(cor__labeler_add_point(lb, "Klaipėda", 100, 100, 2, &ts, 2, NULL), COR_OK);
    ck_assert_int_eq(cor__labeler_add_point(lb, "Šiauliai", 100, 106, 2, &ts, 1, NULL), COR_OK);
    cor__labeler_place(lb);
    counts(lb, 2, 0);
    const char *t0, *t1;
    cor_bbox_t a = placed_box(lb, 0, &t0), b = placed_box(lb, 1, &t1);
    ck_assert_str_eq(t0, "Klaipėda");
    ck_assert_str_eq(t1, "Šiauliai");
    ck_assert(!boxes_overlap(a, b));
    ck_assert(b.minx != first_choice.minx || b.miny != first_choice.miny);
    /* neither covers the other's marker */
    ck_assert(!boxes_overlap(a, (cor_bbox_t){98, 104, 102, 108}));
    ck_assert(!boxes_overlap(b, (cor_bbox_t){98, 98, 102, 102}));
    cor__labeler_free(lb);
    cor__labeler_free(alone);
}
END_TEST

START_TEST(test_place_all_blocked)
{
    cor__text_style_t ts = style(10);
    cor__labeler_t *lb = labeler(400, 300);
    cor__labeler_obstacle(lb, (cor_bbox_t){150, 100, 250, 200});
    ck_assert_int_eq(cor__labeler_add_point(lb, "Minsk", 200, 150, 2, &ts, 1, NULL), COR_OK);
    ck_assert_int_eq(cor__labeler_add_area(lb, "Belarus", 200, 150, &ts, 1, NULL), COR_OK);
    cor__labeler_place(lb);
    counts(lb, 0, 2);
    /* placing again starts afresh: the counts do not add up */
    cor__labeler_place(lb);
    counts(lb, 0, 2);
    cor__labeler_free(lb);
}
END_TEST

/* A label never leaves the page: near the right edge it goes left, in a corner diagonally. */
START_TEST(test_place_page_edges)
{
    cor__text_style_t ts = style(10);
    cor__labeler_t *lb = labeler(300, 200);
    cor_bbox_t page = {2, 2, 298, 198};
    ck_assert_int_eq(cor__labeler_add_point(lb, "Chernihiv", 295, 100, 2, &ts, 1, NULL), COR_OK);
    ck_assert_int_eq(cor__labeler_add_point(lb, "Vilnius", 296, 196, 2, &ts, 1, NULL), COR_OK);
    ck_assert_int_eq(cor__labeler_add_point(lb, "Kyiv", 4, 4, 2, &ts, 1, NULL), COR_OK);
    ck_assert_int_eq(cor__labeler_add_point(lb, "Gone", 500, 100, 2, &ts, 1, NULL), COR_OK);
    cor__labeler_place(lb);
    counts(lb, 3, 1);
    for (size_t i = 0; i < 3; i++) {
        const char *t;
        cor_bbox_t b = placed_box(lb, i, &t);
        ck_assert_msg(box_inside(b, page), "%s leaves the page", t);
        if (i == 0)
            ck_assert(b.maxx < 295);
        if (i == 2)
            ck_assert(b.minx > 4 && b.miny > 4);
    }
    cor__labeler_free(lb);
}
END_TEST

/* A page with room for one label only, right of the point: priority decides who gets it,
 * whatever the order added; equal priorities keep the order added. */
START_TEST(test_place_priority)
{
    cor__text_style_t ts = style(10);
    for (int round = 0; round < 2; round++) {
        cor__labeler_t *lb = labeler(300, 24);
        double lo = round == 0 ? 1 : 5, hi = 5;
        ck_assert_int_eq(cor__labeler_add_point(lb, "Low", 6, 12, 1, &ts, lo, NULL), COR_OK);
        ck_assert_int_eq(cor__labeler_add_point(lb, "High", 6, 12, 1, &ts, hi, NULL), COR_OK);
        cor__labeler_place(lb);
        counts(lb, 1, 1);
        const char *t;
        placed_box(lb, 0, &t);
        ck_assert_str_eq(t, round == 0 ? "High" : "Low");
        cor__labeler_free(lb);
    }
}
END_TEST

/* Obstacles are avoided; a marker blocks other labels even when its own label is dropped. */
START_TEST(test_place_obstacles_and_markers)
{
    cor__text_style_t ts = style(10);
    cor__labeler_t *lb = labeler(400, 300);
    cor_bbox_t legend = {104, 80, 200, 120};
    cor__labeler_obstacle(lb, legend);
    ck_assert_int_eq(cor__labeler_add_point(lb, "Hrodna", 100, 100, 2, &ts, 1, NULL), COR_OK);
    /* a point whose label cannot fit anywhere (walled in), next to Mazyr */
    cor__labeler_obstacle(lb, (cor_bbox_t){200, 200, 250, 215});
    cor__labeler_obstacle(lb, (cor_bbox_t){200, 225, 250, 240});
    cor__labeler_obstacle(lb, (cor_bbox_t){180, 200, 199, 240});
    cor__labeler_obstacle(lb, (cor_bbox_t){251, 200, 270, 240});
    ck_assert_int_eq(
        cor__labeler_add_point(lb, "Walled in with a long name", 225, 220, 2, &ts, 9, NULL),
        COR_OK);
    ck_assert_int_eq(cor__labeler_add_point(lb, "Mazyr", 190, 250, 2, &ts, 1, NULL), COR_OK);
    cor__labeler_place(lb);
    counts(lb, 2, 1);
    for (size_t i = 0; i < 2; i++) {
        cor_bbox_t b = placed_box(lb, i, NULL);
        ck_assert(!boxes_overlap(b, legend));
        ck_assert(!boxes_overlap(b, (cor_bbox_t){223, 218, 227, 222})); /* the marker */
    }
    ck_assert(placed_box(lb, 0, NULL).maxx < 100); /* Hrodna went left of the legend */
    cor__labeler_free(lb);
}
END_TEST

/* A small deterministic generator for the dense field. */
static double rnd(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return (*state >> 8) / (double)(1u << 24);
}

/* 300 points on a crowded page: no two placed labels overlap, none covers a marker, none
 * leaves the page, and the result is the same every time. */
START_TEST(test_place_dense_field)
{
    static const char *names[] = {"Klaipėda",  "Šiauliai", "Kaišiadorys", "Київ",
                                  "Chernihiv", "Minsk",    "Hrodna",      "Panevėžys",
                                  "Мінск",     "Lviv",     "Brest",       "Vitsyebsk"};
    cor__labeler_t *runs[2];
    double x[300], y[300], r = 2;
    uint32_t seed = 20240601u;
    for (int i = 0; i < 300; i++)
        x[i] = 5 + rnd(&seed) * 590, y[i] = 5 + rnd(&seed) * 390;
    for (int run = 0; run < 2; run++) {
        cor__labeler_t *lb = runs[run] = labeler(600, 400);
        for (int i = 0; i < 300; i++) {
            cor__text_style_t ts = style(7 + (i % 4));
            ck_assert_int_eq(cor__labeler_add_point(lb, names[i % 12], x[i], y[i], r, &ts,
                                                    (double)(i % 7), NULL),
                             COR_OK);
        }
        cor__labeler_place(lb);
    }
    long placed, dropped;
    cor__labeler_counts(runs[0], &placed, &dropped);
    ck_assert_int_eq(placed + dropped, 300);
    ck_assert_int_gt(placed, 80);
    cor_bbox_t page = {2, 2, 598, 398};
    for (long i = 0; i < placed; i++) {
        cor_bbox_t a = placed_box(runs[0], (size_t)i, NULL),
                   again = placed_box(runs[1], (size_t)i, NULL);
        ck_assert(memcmp(&a, &again, sizeof a) == 0);
        ck_assert(box_inside(a, page));
        for (long j = i + 1; j < placed; j++)
            ck_assert_msg(!boxes_overlap(a, placed_box(runs[0], (size_t)j, NULL)),
                          "labels %ld and %ld overlap", i, j);
        /* no box touches a marker's square, except that its own marker's circle (not the
         * square's corners) must stay clear */
        int touching = 0, own = 0;
        for (int k = 0; k < 300; k++) {
            touching += boxes_overlap(a, (cor_bbox_t){x[k] - r, y[k] - r, x[k] + r, y[k] + r});
            own += box_circle(a, x[k], y[k], r);
        }
        ck_assert_int_le(touching, 1);
        ck_assert_int_eq(own, 0);
    }
    cor__labeler_free(runs[0]);
    cor__labeler_free(runs[1]);
}
END_TEST

START_TEST(test_place_area)
{
    cor__text_style_t ts = style(14);
    ts.upper = true;
    ts.tracking = 0.15;
    cor__labeler_t *lb = labeler(400, 300);
    ck_assert_int_eq(cor__labeler_add_area(lb, "Belarus", 200, 150, &ts, 1, NULL), COR_OK);
    cor__labeler_place(lb);
    cor_bbox_t b = placed_box(lb, 0, NULL);
    ck_assert(fabs((b.minx + b.maxx) / 2 - 200) < 0.5 && fabs((b.miny + b.maxy) / 2 - 150) < 0.5);
    cor__labeler_free(lb);

    /* a wide name between two obstacles goes onto two lines */
    double w1, h1;
    cor__text_measure("REPUBLIC OF LITHUANIA", &ts, &w1, &h1);
    lb = labeler(400, 300);
    cor__labeler_obstacle(lb, (cor_bbox_t){0, 0, 200 - 0.4 * w1, 300});
    cor__labeler_obstacle(lb, (cor_bbox_t){200 + 0.4 * w1, 0, 400, 300});
    ck_assert_int_eq(cor__labeler_add_area(lb, "Republic of Lithuania", 200, 150, &ts, 1, NULL),
                     COR_OK);
    cor__labeler_place(lb);
    counts(lb, 1, 0);
    b = placed_box(lb, 0, NULL);
    ck_assert(b.maxx - b.minx < 0.8 * w1);
    ck_assert(b.maxy - b.miny > 1.5 * h1 * 0.8);
    cor__labeler_free(lb);
}
END_TEST

/* ---- labels along lines -------------------------------------------------------------------- */

/* The glyph boxes of placed label i advance left to right and stay near the line. */
static void assert_reads_left_to_right(cor__labeler_t *lb, size_t i, size_t expect_boxes)
{
    const cor_bbox_t *boxes;
    size_t n;
    ck_assert(cor__labeler_placed(lb, i, NULL, &boxes, &n));
    ck_assert_uint_eq(n, expect_boxes);
    for (size_t k = 0; k + 1 < n; k++)
        ck_assert_msg((boxes[k].minx + boxes[k].maxx) < (boxes[k + 1].minx + boxes[k + 1].maxx),
                      "glyph %zu is right of glyph %zu", k, k + 1);
}

START_TEST(test_line_right_to_left)
{
    cor__text_style_t ts = style(10);
    cor__labeler_t *lb = labeler(400, 300);
    double xs[] = {380, 250, 120, 20}, ys[] = {100, 110, 110, 100}; /* drawn right to left */
    double xs2[] = {20, 200, 380}, ys2[] = {200, 180, 200};         /* and left to right */
    ck_assert_int_eq(cor__labeler_add_line(lb, "Dnipro", xs, ys, 4, &ts, 1, NULL), COR_OK);
    ck_assert_int_eq(cor__labeler_add_line_at(lb, "Prypiat", xs2, ys2, 3, &ts, 8, 1, NULL), COR_OK);
    cor__labeler_place(lb);
    counts(lb, 2, 0);
    assert_reads_left_to_right(lb, 0, 6);
    assert_reads_left_to_right(lb, 1, 7);
    const cor_bbox_t *boxes;
    size_t n;
    ck_assert(cor__labeler_placed(lb, 0, NULL, &boxes, &n));
    /* centred on the line's middle (x = 200), and on the line itself */
    double mid = (boxes[0].minx + boxes[n - 1].maxx) / 2;
    ck_assert_msg(fabs(mid - 200) < 3, "centred at %g", mid);
    ck_assert(boxes[2].miny < 110 && boxes[2].maxy > 110);
    /* offset 8 pt above: the middle glyph's box centre is about 8 pt above the line */
    ck_assert(cor__labeler_placed(lb, 1, NULL, &boxes, &n));
    double cy = (boxes[3].miny + boxes[3].maxy) / 2;
    ck_assert_msg(cy < 180 - 5 && cy > 180 - 11, "offset to %g", cy);
    cor__labeler_free(lb);
}
END_TEST

START_TEST(test_line_vertical_reads_upwards)
{
    cor__text_style_t ts = style(10);
    cor__labeler_t *lb = labeler(400, 300);
    double xs[] = {200, 200}, ys[] = {50, 250}; /* drawn downwards */
    ck_assert_int_eq(cor__labeler_add_line(lb, "Sluch", xs, ys, 2, &ts, 1, NULL), COR_OK);
    cor__labeler_place(lb);
    const cor_bbox_t *boxes;
    size_t n;
    ck_assert(cor__labeler_placed(lb, 0, NULL, &boxes, &n));
    ck_assert_uint_eq(n, 5);
    for (size_t k = 0; k + 1 < n; k++)
        ck_assert(boxes[k].miny > boxes[k + 1].miny);
    cor__labeler_free(lb);
}
END_TEST

START_TEST(test_line_dropped)
{
    cor__text_style_t ts = style(10);
    cor__labeler_t *lb = labeler(400, 300);
    double w = width_of("Nemunas", &ts);
    double sx[] = {100, 100 + w * 0.9}, sy[] = {50, 50}; /* too short */
    double vx[] = {100, 100 + w * 0.6, 100 + w * 1.2}, vy[] = {150, 150 + w * 0.6, 150}; /* a V */
    double ox[] = {50, 350}, oy[] = {250, 250}; /* blocked */
    ck_assert_int_eq(cor__labeler_add_line(lb, "Nemunas", sx, sy, 2, &ts, 1, NULL), COR_OK);
    ck_assert_int_eq(cor__labeler_add_line(lb, "Nemunas", vx, vy, 3, &ts, 1, NULL), COR_OK);
    cor__labeler_obstacle(lb, (cor_bbox_t){40, 240, 360, 260});
    ck_assert_int_eq(cor__labeler_add_line(lb, "Nemunas", ox, oy, 2, &ts, 1, NULL), COR_OK);
    cor__labeler_place(lb);
    counts(lb, 0, 3);
    cor__labeler_free(lb);

    /* the same V opened to a gentle bend is labelled */
    lb = labeler(400, 300);
    double gx[] = {100, 100 + w * 0.6, 100 + w * 1.2}, gy[] = {150, 150 + w * 0.1, 150};
    ck_assert_int_eq(cor__labeler_add_line(lb, "Nemunas", gx, gy, 3, &ts, 1, NULL), COR_OK);
    cor__labeler_place(lb);
    counts(lb, 1, 0);
    cor__labeler_free(lb);
}
END_TEST

/* When the middle of a line is taken, the label slides along it. */
START_TEST(test_line_slides)
{
    cor__text_style_t ts = style(10);
    cor__labeler_t *lb = labeler(400, 300);
    double xs[] = {20, 380}, ys[] = {100, 100};
    cor__labeler_obstacle(lb, (cor_bbox_t){190, 90, 210, 110});
    ck_assert_int_eq(cor__labeler_add_line(lb, "Daugava", xs, ys, 2, &ts, 1, NULL), COR_OK);
    cor__labeler_place(lb);
    counts(lb, 1, 0);
    const cor_bbox_t *boxes;
    size_t n;
    ck_assert(cor__labeler_placed(lb, 0, NULL, &boxes, &n));
    for (size_t k = 0; k < n; k++)
        ck_assert(!boxes_overlap(boxes[k], (cor_bbox_t){190, 90, 210, 110}));
    cor__labeler_free(lb);
}
END_TEST

/* The text of an XML fragment without its tags. Returns: a malloc'd string. */
static char *strip_tags(const char *xml)
{
    char *out = cor__strdup(xml), *w = out;
    for (bool tag = false; *xml; xml++) {
        if (*xml == '<' || *xml == '>')
            tag = *xml == '<';
        else if (!tag)
            *w++ = *xml;
    }
    *w = '\0';
    return out;
}

/* A line label drawn as SVG: one <text>, one positioned and rotated <tspan> per cluster. */
START_TEST(test_line_svg)
{
    cor__text_style_t ts = style(10);
    cor__labeler_t *lb = labeler(400, 300);
    double xs[] = {380, 200, 20}, ys[] = {150, 100, 150};
    ck_assert_int_eq(cor__labeler_add_line(lb, "Šventoji & Co", xs, ys, 3, &ts, 1, NULL), COR_OK);
    cor__labeler_place(lb);
    counts(lb, 1, 0);
    cor__buf_t svg = {0};
    cor__textout_t to = {NULL, &svg};
    ck_assert_int_eq(cor__labeler_draw(lb, &to, NULL), COR_OK);
    const char *halos = strstr(svg.data, "<g class=\"label-halos\">");
    const char *texts = strstr(svg.data, "<g class=\"labels\">");
    ck_assert(halos && texts && halos < texts);
    ck_assert_ptr_nonnull(strstr(halos, "stroke-width=\"2\""));
    ck_assert_ptr_null(strstr(texts, "stroke"));
    ck_assert_ptr_null(strstr(texts, "letter-spacing"));
    /* one tspan per character, each with its own angle; the text reads as one string */
    int tspans = 0, rotates = 0;
    for (const char *p = texts; (p = strstr(p, "<tspan")) != NULL; p++)
        tspans++;
    for (const char *p = texts; (p = strstr(p, " rotate=\"")) != NULL; p++)
        rotates++;
    ck_assert_int_eq(tspans, 13);
    ck_assert_int_eq(rotates, 13);
    char *plain = strip_tags(texts);
    ck_assert_msg(strstr(plain, "Šventoji &amp; Co") != NULL, "text is %s", plain);
    free(plain);
    /* the first glyph leans up (the line rises to its middle), the last leans down */
    const char *first = strstr(texts, " rotate=\"");
    ck_assert(strtod(first + 9, NULL) < -5);
    assert_well_formed(svg.data);
    cor__buf_free(&svg);
    cor__labeler_free(lb);
}
END_TEST

/* ---- a dense map, drawn ------------------------------------------------------------------- */

static const char *cities[] = {
    "Klaipėda", "Šiauliai",     "Kaišiadorys",   "Panevėžys",    "Kaunas",    "Vilnius",
    "Alytus",   "Marijampolė",  "Utena",         "Telšiai",      "Tauragė",   "Mažeikiai",
    "Minsk",    "Hrodna",       "Brest",         "Homiel",       "Mahilioŭ",  "Viciebsk",
    "Babrujsk", "Baranavičy",   "Pinsk",         "Maladziečna",  "Salihorsk", "Kyiv",
    "Київ",     "Chernihiv",    "Чернігів",      "Lviv",         "Kharkiv",   "Odesa",
    "Dnipro",   "Zaporizhzhia", "Kropyvnytskyi", "Poltava",      "Sumy",      "Zhytomyr",
    "Rivne",    "Lutsk",        "Ternopil",      "Khmelnytskyi", "Vinnytsia", "Uman",
    "Cherkasy", "Kremenchuk",   "Mykolaiv",      "Kherson",      "Mariupol",  "Donetsk",
    "Luhansk",  "Kramatorsk"};

/* Draws 100 cities with markers and labels, plus a river and a country name, on an image
 * and as SVG; checks that every inked pixel lies in a marker, the river or a placed box. */
START_TEST(test_dense_render)
{
    const double W = 500, H = 360, R = 2.2;
    cor__labeler_t *lb = labeler(W, H);
    double x[100], y[100];
    uint32_t seed = 7u;
    cor__text_style_t country = style(16);
    country.upper = true, country.tracking = 0.2, country.weight = 700;
    country.color = (cor_color_t){0.45, 0.42, 0.38, 1};
    ck_assert_int_eq(cor__labeler_add_area(lb, "Lithuania", 250, 180, &country, 1000, NULL),
                     COR_OK);
    double rx[] = {480, 400, 330, 250, 180, 100, 20}, ry[] = {300, 330, 310, 335, 315, 340, 320};
    cor__text_style_t river = style(9);
    river.italic = true, river.color = (cor_color_t){0.1, 0.3, 0.7, 1};
    ck_assert_int_eq(
        cor__labeler_add_line_at(lb, "Dnipro — Дніпро", rx, ry, 7, &river, 5, 500, NULL), COR_OK);
    for (int i = 0; i < 100; i++) {
        x[i] = 10 + rnd(&seed) * (W - 20), y[i] = 10 + rnd(&seed) * (H - 20);
        cor__text_style_t ts = style(i < 10 ? 10 : 8);
        ts.weight = i < 10 ? 600 : 400;
        ck_assert_int_eq(
            cor__labeler_add_point(lb, cities[i % 50], x[i], y[i], R, &ts, 100 - i, NULL), COR_OK);
    }
    cor__labeler_place(lb);
    long placed, dropped;
    cor__labeler_counts(lb, &placed, &dropped);
    ck_assert_int_eq(placed + dropped, 102);
    ck_assert_int_gt(placed, 60);

    cor_color_t bg = {0.85, 0.83, 0.78, 1};
    canvas_t c = canvas_new(W, H, bg);
    for (int pass = 0; pass < 2; pass++) { /* the river, then the markers */
        cairo_set_source_rgb(c.cr, pass ? 0.1 : 0.5, pass ? 0.1 : 0.7, pass ? 0.1 : 0.9);
        cairo_set_line_width(c.cr, 1);
        for (int i = 0; pass == 0 && i < 7; i++)
            cairo_line_to(c.cr, rx[i], ry[i]);
        cairo_stroke(c.cr);
        for (int i = 0; pass == 1 && i < 100; i++) {
            cairo_arc(c.cr, x[i], y[i], R, 0, 2 * M_PI);
            cairo_fill(c.cr);
        }
    }
    canvas_t bare = canvas_new(W, H, bg); /* the same without labels, to tell label ink */
    cairo_identity_matrix(bare.cr);
    cairo_set_source_surface(bare.cr, c.s, 0, 0);
    cairo_paint(bare.cr);
    cor__textout_t to = {c.cr, NULL};
    ck_assert_int_eq(cor__labeler_draw(lb, &to, NULL), COR_OK);

    const char *root = getenv("COR_TEST_BUILD");
    char *png = cor__path_join(root ? root : "/tmp", "label-dense.png");
    ck_assert_int_eq(cairo_surface_write_to_png(c.s, png), CAIRO_STATUS_SUCCESS);
    free(png);

    /* every pixel the labels changed lies in a placed box (grown by a pixel) */
    canvas_t allowed = canvas_new(W, H, BLACK);
    cairo_set_source_rgb(allowed.cr, 1, 1, 1);
    cairo_set_antialias(allowed.cr, CAIRO_ANTIALIAS_NONE); /* pixels whose centre is inside */
    for (long i = 0; i < placed; i++) {
        const cor_bbox_t *boxes;
        size_t n;
        ck_assert(cor__labeler_placed(lb, (size_t)i, NULL, &boxes, &n));
        for (size_t k = 0; k < n; k++)
            cairo_rectangle(allowed.cr, boxes[k].minx - 1 / SCALE, boxes[k].miny - 1 / SCALE,
                            boxes[k].maxx - boxes[k].minx + 2 / SCALE,
                            boxes[k].maxy - boxes[k].miny + 2 / SCALE);
    }
    cairo_fill(allowed.cr);
    cairo_surface_flush(allowed.s);
    cairo_surface_flush(c.s);
    cairo_surface_flush(bare.s);
    long stray = 0;
    for (int py = 0; py < c.h; py++)
        for (int px = 0; px < c.w; px++)
            stray +=
                pixel(c.s, px, py) != pixel(bare.s, px, py) && pixel(allowed.s, px, py) != 0xFFFFFF;
    ck_assert_int_eq(stray, 0);

    cor__buf_t svg = {0};
    to = (cor__textout_t){NULL, &svg};
    ck_assert_int_eq(cor__labeler_draw(lb, &to, NULL), COR_OK);
    assert_well_formed(svg.data);
    char *svgpath = svg_document(root ? root : "/tmp", "label-dense.svg", svg.data, W, H);
    free(svgpath);
    cor__buf_free(&svg);
    canvas_free(&allowed);
    canvas_free(&bare);
    canvas_free(&c);
    cor__labeler_free(lb);
    cor__text_reset();
}
END_TEST

static Suite *label_suite(void)
{
    Suite *s = suite_create("label");
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
    TCase *place = tcase_create("place");
    tcase_add_test(place, test_place_collision);
    tcase_add_test(place, test_place_all_blocked);
    tcase_add_test(place, test_place_page_edges);
    tcase_add_test(place, test_place_priority);
    tcase_add_test(place, test_place_obstacles_and_markers);
    tcase_add_test(place, test_place_dense_field);
    tcase_add_test(place, test_place_area);
    suite_add_tcase(s, place);
    TCase *line = tcase_create("line");
    tcase_add_test(line, test_line_right_to_left);
    tcase_add_test(line, test_line_vertical_reads_upwards);
    tcase_add_test(line, test_line_dropped);
    tcase_add_test(line, test_line_slides);
    tcase_add_test(line, test_line_svg);
    tcase_add_test(line, test_dense_render);
    suite_add_tcase(s, line);
    return s;
}

int main(void)
{
    return cor_test_run(label_suite());
}
