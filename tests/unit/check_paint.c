/* SPDX-License-Identifier: MIT */
/* Tests for paint: draws into cairo image surfaces over a white background and reads the
 * pixels back. Failure and no-op cases first. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "paint.h"
#include "testutil.h"
#include "util.h"

#define SCALE 4.0 /* pixels per point in every canvas */
#define SIDE  400 /* canvas side in pixels: 100 pt */

static const cor_color_t BLACK = {0, 0, 0, 1};
static const cor_color_t RED = {1, 0, 0, 1};
static const cor_color_t BLUE = {0, 0, 1, 1};

typedef struct canvas {
    cairo_surface_t *s;
    cairo_t *cr;
} canvas_t;

static canvas_t canvas_new(void)
{
    canvas_t c;
    c.s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, SIDE, SIDE);
    c.cr = cairo_create(c.s);
    cairo_set_source_rgb(c.cr, 1, 1, 1);
    cairo_paint(c.cr);
    cairo_scale(c.cr, SCALE, SCALE);
    ck_assert_int_eq(cairo_status(c.cr), CAIRO_STATUS_SUCCESS);
    return c;
}

static void canvas_free(canvas_t *c)
{
    cairo_destroy(c->cr);
    cairo_surface_destroy(c->s);
}

/* Channel values 0..255 of pixel (x, y); the canvas is opaque so no unpremultiplying. */
static void pixel(canvas_t *c, int x, int y, int rgb[3])
{
    cairo_surface_flush(c->s);
    const unsigned char *d = cairo_image_surface_get_data(c->s);
    uint32_t v = *(const uint32_t *)(d + y * cairo_image_surface_get_stride(c->s) + x * 4);
    rgb[0] = (int)(v >> 16 & 255);
    rgb[1] = (int)(v >> 8 & 255);
    rgb[2] = (int)(v & 255);
}

/* Pixel at page point (x, y) pt. */
static void pixel_pt(canvas_t *c, double x, double y, int rgb[3])
{
    pixel(c, (int)floor(x * SCALE), (int)floor(y * SCALE), rgb);
}

static bool is_color(const int rgb[3], int r, int g, int b, int tol)
{
    return abs(rgb[0] - r) <= tol && abs(rgb[1] - g) <= tol && abs(rgb[2] - b) <= tol;
}

/* How far pixel (x, y) is from white, 0..1 (the coverage of a black drawing). */
static double ink(canvas_t *c, int x, int y)
{
    int rgb[3];
    pixel(c, x, y, rgb);
    return (3 * 255 - rgb[0] - rgb[1] - rgb[2]) / (3 * 255.0);
}

static double total_ink(canvas_t *c)
{
    double sum = 0;
    for (int y = 0; y < SIDE; y++)
        for (int x = 0; x < SIDE; x++)
            sum += ink(c, x, y);
    return sum;
}

/* The path is empty and the context healthy after a paint call. */
static void assert_clean(cairo_t *cr)
{
    ck_assert_int_eq(cairo_status(cr), CAIRO_STATUS_SUCCESS);
    cairo_path_t *p = cairo_copy_path(cr);
    ck_assert_int_eq(p->status, CAIRO_STATUS_SUCCESS);
    ck_assert_int_eq(p->num_data, 0);
    cairo_path_destroy(p);
}

static const char *marker_names[COR__MARKER_COUNT] = {
    "none",    "circle", "square", "triangle", "diamond", "star", "cross",
    "capital", "port",   "mine",   "border",   "airport", "rail"};

static cor__look_t look_new(void)
{
    cor__look_t l;
    memset(&l, 0, sizeof l);
    l.fill_on = true;
    l.fill = BLACK;
    l.stroke_on = true;
    l.stroke = BLACK;
    l.width = 1;
    l.opacity = 1;
    l.marker = COR__MARKER_CIRCLE;
    l.size = 8;
    return l;
}

static void add_box(cor__geom_t *g, double x0, double y0, double x1, double y1)
{
    const double x[] = {x0, x1, x1, x0}, y[] = {y0, y0, y1, y1};
    ck_assert(cor__geom_add_part(g, x, y, 4));
}

static void add_line(cor__geom_t *g, double x0, double y0, double x1, double y1)
{
    const double x[] = {x0, x1}, y[] = {y0, y1};
    g->kind = COR__GEOM_LINE;
    ck_assert(cor__geom_add_part(g, x, y, 2));
}

/* ---- nothing drawn ---- */

START_TEST(test_nothing_when_off)
{
    canvas_t c = canvas_new();
    cor__geom_t poly = {.kind = COR__GEOM_POLYGON}, line = {0}, pts = {.kind = COR__GEOM_POINT};
    add_box(&poly, 10, 10, 90, 90);
    add_line(&line, 10, 50, 90, 50);
    const double px[] = {30, 70}, py[] = {30, 70};
    ck_assert(cor__geom_add_part(&pts, px, py, 2));
    cor__look_t l = look_new();
    l.fill_on = l.stroke_on = l.casing_on = false;
    l.casing = BLACK;
    l.casing_width = 4;
    cor__paint_fill(c.cr, &poly, &l);
    cor__paint_stroke(c.cr, &line, &l, false);
    cor__paint_stroke(c.cr, &poly, &l, true);
    cor__paint_markers(c.cr, &pts, &l);
    for (int m = COR__MARKER_CIRCLE; m < COR__MARKER_COUNT; m++)
        cor__paint_marker(c.cr, (cor__marker_t)m, 50, 50, 10, &l);
    assert_clean(c.cr);

    l = look_new(); /* everything on, but nothing to draw */
    l.opacity = 0;
    cor__paint_fill(c.cr, &poly, &l);
    cor__paint_stroke(c.cr, &line, &l, false);
    cor__paint_markers(c.cr, &pts, &l);
    l = look_new();
    l.fill.a = 0;
    l.stroke.a = 0;
    cor__paint_fill(c.cr, &poly, &l);
    cor__paint_stroke(c.cr, &line, &l, false);
    cor__paint_markers(c.cr, &pts, &l);
    l = look_new();
    l.width = 0;
    cor__paint_stroke(c.cr, &line, &l, false);
    l.marker = COR__MARKER_NONE;
    cor__paint_markers(c.cr, &pts, &l);
    l = look_new();
    cor__paint_marker(c.cr, COR__MARKER_STAR, 50, 50, 0, &l);
    cor__paint_marker(c.cr, COR__MARKER_STAR, 50, 50, -3, &l);
    cor__paint_marker(c.cr, COR__MARKER_STAR, 50, 50, NAN, &l);
    cor__paint_marker(c.cr, COR__MARKER_STAR, NAN, 50, 8, &l);
    cor__paint_marker(c.cr, COR__MARKER_COUNT, 50, 50, 8, &l);
    cor__paint_fill(c.cr, &line, &l);         /* a line has no inside */
    cor__paint_stroke(c.cr, &pts, &l, false); /* points have no outline */
    cor__paint_fill(c.cr, NULL, &l);
    cor__paint_stroke(c.cr, NULL, &l, false);
    cor__paint_markers(c.cr, NULL, &l);
    assert_clean(c.cr);
    ck_assert_double_eq(total_ink(&c), 0);
    cor__geom_free(&poly);
    cor__geom_free(&line);
    cor__geom_free(&pts);
    canvas_free(&c);
}
END_TEST

START_TEST(test_bad_values_keep_context_healthy)
{
    canvas_t c = canvas_new();
    cor__geom_t line = {0}, poly = {.kind = COR__GEOM_POLYGON};
    add_line(&line, 10, 50, 90, 50);
    const double x[] = {10, 90, NAN, 90, 10}, y[] = {10, 10, 50, 90, 90};
    ck_assert(cor__geom_add_part(&poly, x, y, 5));
    cor__look_t l = look_new();
    l.ndash = 2; /* cairo rejects negative dashes and puts the whole context in error */
    l.dash[0] = -1;
    l.dash[1] = 3;
    cor__paint_stroke(c.cr, &line, &l, false);
    assert_clean(c.cr);
    int rgb[3];
    for (double at = 12; at < 88; at += 1.5) { /* drawn solid instead */
        pixel_pt(&c, at, 50, rgb);
        ck_assert_msg(is_color(rgb, 0, 0, 0, 0), "gap at %g pt", at);
    }
    l.ndash = 2;
    l.dash[0] = l.dash[1] = 0;
    cor__paint_stroke(c.cr, &line, &l, false);
    assert_clean(c.cr);
    l.fill = (cor_color_t){2, -1, NAN, 1}; /* out-of-range colour components are clamped */
    cor__paint_fill(c.cr, &poly, &l);      /* the NaN vertex is skipped */
    assert_clean(c.cr);
    pixel_pt(&c, 60, 20, rgb);
    ck_assert_msg(is_color(rgb, 255, 0, 0, 0), "got %d %d %d", rgb[0], rgb[1], rgb[2]);
    cor__geom_free(&line);
    cor__geom_free(&poly);
    canvas_free(&c);
}
END_TEST

START_TEST(test_state_restored_and_stale_path_dropped)
{
    canvas_t c = canvas_new();
    cor__geom_t poly = {.kind = COR__GEOM_POLYGON};
    add_box(&poly, 60, 60, 90, 90);
    cor__look_t l = look_new();
    l.ndash = 2;
    l.dash[0] = l.dash[1] = 2;
    cairo_set_line_width(c.cr, 7);
    cairo_set_source_rgb(c.cr, 0, 1, 0);
    cairo_rectangle(c.cr, 5, 5, 20, 20); /* a caller's path must not get painted */
    cor__paint_fill(c.cr, &poly, &l);
    assert_clean(c.cr);
    cairo_rectangle(c.cr, 5, 5, 20, 20);
    cor__paint_stroke(c.cr, &poly, &l, false);
    cairo_rectangle(c.cr, 5, 5, 20, 20);
    cor__paint_marker(c.cr, COR__MARKER_SQUARE, 50, 50, 8, &l);
    assert_clean(c.cr);
    int rgb[3];
    pixel_pt(&c, 15, 15, rgb);
    ck_assert(is_color(rgb, 255, 255, 255, 0));
    ck_assert_double_eq(cairo_get_line_width(c.cr), 7);
    ck_assert_int_eq(cairo_get_fill_rule(c.cr), CAIRO_FILL_RULE_WINDING);
    ck_assert_int_eq(cairo_get_dash_count(c.cr), 0);
    double r, g, b, a;
    ck_assert_int_eq(cairo_pattern_get_rgba(cairo_get_source(c.cr), &r, &g, &b, &a),
                     CAIRO_STATUS_SUCCESS);
    ck_assert(r == 0 && g == 1 && b == 0 && a == 1);
    cor__geom_free(&poly);
    canvas_free(&c);
}
END_TEST

/* ---- polygons ---- */

START_TEST(test_polygon_hole_stays_open)
{
    canvas_t c = canvas_new();
    cor__geom_t g = {.kind = COR__GEOM_POLYGON};
    add_box(&g, 10, 10, 90, 90);
    add_box(&g, 35, 35, 65, 65); /* same winding as the outer ring: even-odd makes it a hole */
    cor__look_t l = look_new();
    l.fill = RED;
    cor__paint_fill(c.cr, &g, &l);
    assert_clean(c.cr);
    int rgb[3];
    pixel_pt(&c, 50, 50, rgb);
    ck_assert_msg(is_color(rgb, 255, 255, 255, 0), "hole painted: %d %d %d", rgb[0], rgb[1],
                  rgb[2]);
    pixel_pt(&c, 20, 50, rgb);
    ck_assert(is_color(rgb, 255, 0, 0, 0));
    pixel_pt(&c, 50, 80, rgb);
    ck_assert(is_color(rgb, 255, 0, 0, 0));
    pixel_pt(&c, 5, 5, rgb);
    ck_assert(is_color(rgb, 255, 255, 255, 0));
    double area = 0; /* red lowers green: 80^2 - 30^2 pt^2 of it */
    for (int y = 0; y < SIDE; y++)
        for (int x = 0; x < SIDE; x++) {
            pixel(&c, x, y, rgb);
            area += (255 - rgb[1]) / 255.0;
        }
    ck_assert_double_eq_tol(area / (SCALE * SCALE), 80 * 80 - 30 * 30, 1);

    l.fill_on = false; /* the outline goes round the hole too */
    l.stroke = BLUE;
    l.width = 2;
    cor__paint_stroke(c.cr, &g, &l, false);
    assert_clean(c.cr);
    pixel_pt(&c, 35, 50, rgb);
    ck_assert(is_color(rgb, 0, 0, 255, 0));
    pixel_pt(&c, 10, 10, rgb); /* closed ring: the mitred corner is painted */
    ck_assert(is_color(rgb, 0, 0, 255, 0));
    cor__geom_free(&g);
    canvas_free(&c);
}
END_TEST

/* ---- lines ---- */

/* Number of pixel rows at column px where the ink is at least half. */
static int rows_inked(canvas_t *c, int px)
{
    int n = 0;
    for (int y = 0; y < SIDE; y++)
        n += ink(c, px, y) >= 0.5;
    return n;
}

START_TEST(test_line_width)
{
    canvas_t c = canvas_new();
    cor__geom_t g = {0};
    add_line(&g, 10, 50, 90, 50);
    cor__look_t l = look_new();
    l.width = 4;
    cor__paint_stroke(c.cr, &g, &l, false);
    assert_clean(c.cr);
    ck_assert_int_eq(rows_inked(&c, 200), (int)(4 * SCALE));
    /* butt caps: nothing before the start */
    ck_assert_double_eq(ink(&c, (int)(9.5 * SCALE), (int)(50 * SCALE)), 0);
    cor__geom_free(&g);
    canvas_free(&c);

    c = canvas_new();
    g = (cor__geom_t){0};
    add_line(&g, 10, 50, 90, 50);
    l.cap = COR__CAP_SQUARE; /* square caps reach half the width beyond the ends */
    l.width = 1.5;
    cor__paint_stroke(c.cr, &g, &l, false);
    ck_assert_int_eq(rows_inked(&c, 200), (int)(1.5 * SCALE));
    ck_assert_double_eq(ink(&c, (int)(9.5 * SCALE), (int)(50 * SCALE)), 1);
    ck_assert_double_eq(ink(&c, (int)(9 * SCALE) - 1, (int)(50 * SCALE)), 0);
    cor__geom_free(&g);
    canvas_free(&c);
}
END_TEST

START_TEST(test_line_dash)
{
    canvas_t c = canvas_new();
    cor__geom_t g = {0};
    add_line(&g, 10, 50, 91, 50);
    cor__look_t l = look_new();
    l.width = 2;
    l.ndash = 2;
    l.dash[0] = 6;
    l.dash[1] = 3;
    cor__paint_stroke(c.cr, &g, &l, false);
    assert_clean(c.cr);
    for (int period = 0; period < 9; period++) {
        double start = 10 + 9 * period;
        for (double at = 0.25; at < 9; at += 0.5) {
            int px = (int)floor((start + at) * SCALE);
            double v = ink(&c, px, (int)(50 * SCALE));
            if (at < 6)
                ck_assert_msg(v == 1, "no dash at %g pt", start + at);
            else
                ck_assert_msg(v == 0, "no gap at %g pt", start + at);
        }
    }
    cor__geom_free(&g);
    canvas_free(&c);
}
END_TEST

START_TEST(test_casing_on_both_sides)
{
    canvas_t c = canvas_new();
    cor__geom_t g = {0};
    add_line(&g, 10, 50, 90, 50);
    cor__look_t l = look_new();
    l.stroke = BLUE;
    l.width = 2;
    l.ndash = 2; /* the casing is solid even under a dashed stroke */
    l.dash[0] = 4;
    l.dash[1] = 4;
    l.casing_on = true;
    l.casing = RED;
    l.casing_width = 2; /* 1 pt of casing each side */
    cor__paint_stroke(c.cr, &g, &l, true);
    assert_clean(c.cr);
    cor__paint_stroke(c.cr, &g, &l, false);
    assert_clean(c.cr);
    int rgb[3];
    pixel_pt(&c, 12, 50, rgb); /* in the first dash */
    ck_assert(is_color(rgb, 0, 0, 255, 0));
    pixel_pt(&c, 16, 50, rgb); /* in the first gap: the casing shows */
    ck_assert(is_color(rgb, 255, 0, 0, 0));
    for (double x = 11; x < 90; x += 2) {
        pixel_pt(&c, x, 48.5, rgb);
        ck_assert_msg(is_color(rgb, 255, 0, 0, 0), "no casing above at %g", x);
        pixel_pt(&c, x, 51.25, rgb);
        ck_assert_msg(is_color(rgb, 255, 0, 0, 0), "no casing below at %g", x);
        pixel_pt(&c, x, 47.75, rgb);
        ck_assert(is_color(rgb, 255, 255, 255, 0));
        pixel_pt(&c, x, 52.25, rgb);
        ck_assert(is_color(rgb, 255, 255, 255, 0));
    }
    ck_assert_int_eq(rows_inked(&c, 200), (int)(4 * SCALE));
    cor__geom_free(&g);
    canvas_free(&c);
}
END_TEST

START_TEST(test_opacity_blends)
{
    canvas_t c = canvas_new();
    cor__geom_t g = {.kind = COR__GEOM_POLYGON}, h = {.kind = COR__GEOM_POLYGON}, line = {0};
    add_box(&g, 10, 10, 40, 40);
    add_box(&h, 60, 10, 90, 40);
    add_line(&line, 10, 70, 90, 70);
    cor__look_t l = look_new();
    l.opacity = 0.5;
    cor__paint_fill(c.cr, &g, &l);
    l.fill.a = 0.5; /* opacity multiplies the colour's own alpha */
    cor__paint_fill(c.cr, &h, &l);
    l.width = 4;
    cor__paint_stroke(c.cr, &line, &l, false);
    assert_clean(c.cr);
    int rgb[3];
    pixel_pt(&c, 25, 25, rgb);
    ck_assert_msg(is_color(rgb, 128, 128, 128, 1), "got %d", rgb[0]);
    pixel_pt(&c, 75, 25, rgb);
    ck_assert_msg(is_color(rgb, 191, 191, 191, 1), "got %d", rgb[0]);
    pixel_pt(&c, 50, 70, rgb);
    ck_assert_msg(is_color(rgb, 128, 128, 128, 1), "got %d", rgb[0]);
    cor__geom_free(&g);
    cor__geom_free(&h);
    cor__geom_free(&line);
    canvas_free(&c);
}
END_TEST

/* ---- markers ---- */

typedef struct blob {
    double mass, cx, cy;           /* ink-weighted, in pixels (pixel centres at +0.5) */
    double minx, miny, maxx, maxy; /* pixel edges of every touched pixel */
} blob_t;

static blob_t measure(canvas_t *c)
{
    blob_t b = {0, 0, 0, 1e9, 1e9, -1e9, -1e9};
    for (int y = 0; y < SIDE; y++)
        for (int x = 0; x < SIDE; x++) {
            double v = ink(c, x, y);
            if (v <= 0)
                continue;
            b.mass += v;
            b.cx += v * (x + 0.5);
            b.cy += v * (y + 0.5);
            b.minx = fmin(b.minx, x);
            b.miny = fmin(b.miny, y);
            b.maxx = fmax(b.maxx, x + 1);
            b.maxy = fmax(b.maxy, y + 1);
        }
    if (b.mass > 0) {
        b.cx /= b.mass;
        b.cy /= b.mass;
    }
    return b;
}

/* Each marker, filled, outlined, or both, is centred on its point and inside its size box. */
START_TEST(test_markers_centred_and_within_size)
{
    const double x = 50.3, y = 49.6; /* off the pixel grid on purpose */
    const double sizes[] = {5, 8, 20};
    for (int m = COR__MARKER_CIRCLE; m < COR__MARKER_COUNT; m++)
        for (int mode = 0; mode < 3; mode++)
            for (size_t k = 0; k < COR__ARRAY_LEN(sizes); k++) {
                double size = sizes[k];
                canvas_t c = canvas_new();
                cor__look_t l = look_new();
                l.fill_on = mode != 1;
                l.stroke_on = mode != 0;
                l.width = 1.2;
                cor__paint_marker(c.cr, (cor__marker_t)m, x, y, size, &l);
                assert_clean(c.cr);
                blob_t b = measure(&c);
                const char *name = marker_names[m];
                ck_assert_msg(b.mass > 0.1 * size * size * SCALE * SCALE,
                              "%s (mode %d, %g pt) draws too little: %g px", name, mode, size,
                              b.mass);
                ck_assert_msg(fabs(b.cx - x * SCALE) <= 0.5 && fabs(b.cy - y * SCALE) <= 0.5,
                              "%s (mode %d, %g pt) centred at %g,%g px, not %g,%g", name, mode,
                              size, b.cx, b.cy, x * SCALE, y * SCALE);
                double half = size / 2 * SCALE;
                ck_assert_msg(b.minx > x * SCALE - half - 1 && b.maxx < x * SCALE + half + 1 &&
                                  b.miny > y * SCALE - half - 1 && b.maxy < y * SCALE + half + 1,
                              "%s (mode %d, %g pt) spans %g..%g x %g..%g px, beyond %g..%g x "
                              "%g..%g",
                              name, mode, size, b.minx, b.maxx, b.miny, b.maxy, x * SCALE - half,
                              x * SCALE + half, y * SCALE - half, y * SCALE + half);
                canvas_free(&c);
            }
}
END_TEST

/* A shape's outer edge reaches (nearly) its size: markers are not timid. */
START_TEST(test_markers_fill_their_size)
{
    for (int m = COR__MARKER_CIRCLE; m < COR__MARKER_COUNT; m++) {
        canvas_t c = canvas_new();
        cor__look_t l = look_new();
        cor__paint_marker(c.cr, (cor__marker_t)m, 50, 50, 20, &l);
        blob_t b = measure(&c);
        double w = b.maxx - b.minx, h = b.maxy - b.miny;
        ck_assert_msg(fmax(w, h) >= 0.85 * 20 * SCALE, "%s spans only %g x %g px", marker_names[m],
                      w, h);
        canvas_free(&c);
    }
}
END_TEST

START_TEST(test_marker_colours)
{
    canvas_t c = canvas_new();
    cor__look_t l = look_new();
    l.fill = RED;
    l.stroke = BLUE;
    l.width = 1;
    cor__paint_marker(c.cr, COR__MARKER_SQUARE, 25, 25, 20, &l);
    cor__paint_marker(c.cr, COR__MARKER_CAPITAL, 75, 25, 20, &l);
    cor__paint_marker(c.cr, COR__MARKER_CROSS, 25, 75, 20, &l);
    assert_clean(c.cr);
    int rgb[3];
    pixel_pt(&c, 25, 25, rgb);
    ck_assert(is_color(rgb, 255, 0, 0, 0));
    double edge = 25 + 20 / 2 * 0.886 - 0.5; /* the outline sits inside the square's edge */
    pixel_pt(&c, edge, 25, rgb);
    ck_assert_msg(is_color(rgb, 0, 0, 255, 0), "got %d %d %d", rgb[0], rgb[1], rgb[2]);
    /* capital: dot in the fill colour, open gap, ring in the stroke colour at the rim */
    pixel_pt(&c, 75, 25, rgb);
    ck_assert(is_color(rgb, 255, 0, 0, 0));
    pixel_pt(&c, 75 + 7.5, 25, rgb);
    ck_assert_msg(is_color(rgb, 255, 255, 255, 0), "got %d %d %d", rgb[0], rgb[1], rgb[2]);
    pixel_pt(&c, 75, 25 - 9.5, rgb);
    ck_assert(is_color(rgb, 0, 0, 255, 0));
    /* cross: a plus-shaped polygon, filled in the arms, empty between them */
    pixel_pt(&c, 25, 75 - 8, rgb);
    ck_assert(is_color(rgb, 255, 0, 0, 0));
    pixel_pt(&c, 25 - 6, 75 - 6, rgb);
    ck_assert(is_color(rgb, 255, 255, 255, 0));
    canvas_free(&c);
}
END_TEST

START_TEST(test_capital_reads_at_small_sizes)
{
    /* at 6 pt and 300 dpi the gap between ring and dot is still open */
    const double scale = 300 / 72.0;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 40, 40);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    cor__look_t l = look_new();
    l.width = 0.8;
    cor__paint_marker(cr, COR__MARKER_CAPITAL, 20 / scale, 20 / scale, 6, &l);
    cairo_surface_flush(s);
    const unsigned char *d = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    /* along the row through the centre: ink, light, ink(dot), light, ink */
    int runs = 0;
    bool dark = false;
    for (int x = 0; x < 40; x++) {
        int v = d[20 * stride + x * 4];
        bool now = dark ? v < 200 : v < 100;
        if (now != dark && now)
            runs++;
        dark = now;
    }
    ck_assert_int_eq(runs, 3);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
}
END_TEST

START_TEST(test_markers_at_every_point)
{
    canvas_t c = canvas_new();
    cor__geom_t g = {.kind = COR__GEOM_POINT};
    const double x[] = {20, 80, 50}, y[] = {20, 30, 80};
    ck_assert(cor__geom_add_part(&g, x, y, 1));
    ck_assert(cor__geom_add_part(&g, x + 1, y + 1, 2));
    cor__look_t l = look_new();
    l.marker = COR__MARKER_DIAMOND;
    l.size = 6;
    cor__paint_markers(c.cr, &g, &l);
    assert_clean(c.cr);
    int rgb[3];
    for (int i = 0; i < 3; i++) {
        pixel_pt(&c, x[i], y[i], rgb);
        ck_assert(is_color(rgb, 0, 0, 0, 0));
    }
    pixel_pt(&c, 50, 50, rgb);
    ck_assert(is_color(rgb, 255, 255, 255, 0));
    cor__geom_free(&g);
    canvas_free(&c);
}
END_TEST

/* ---- pictograms ---- */

/* Each pictogram, at the sizes maps use, in the fill colour over a contour in the stroke colour
 * (both inked, so their union is measured): centred within 0.5 px and inside its box. */
START_TEST(test_pictograms_centred_at_map_sizes)
{
    const double sizes[] = {6, 9, 11, 14};
    for (int m = COR__MARKER_PORT; m <= COR__MARKER_RAIL; m++)
        for (size_t k = 0; k < COR__ARRAY_LEN(sizes); k++) {
            canvas_t c = canvas_new();
            cor__look_t l = look_new();
            l.stroke = RED;
            l.width = 0.8;
            const double x = 49.7, y = 50.45;
            cor__paint_marker(c.cr, (cor__marker_t)m, x, y, sizes[k], &l);
            assert_clean(c.cr);
            blob_t b = measure(&c);
            double half = sizes[k] / 2 * SCALE;
            ck_assert_msg(fabs(b.cx - x * SCALE) <= 0.5 && fabs(b.cy - y * SCALE) <= 0.5,
                          "%s at %g pt: centred at %g, %g px, not %g, %g", marker_names[m],
                          sizes[k], b.cx, b.cy, x * SCALE, y * SCALE);
            ck_assert_msg(b.minx > x * SCALE - half - 1 && b.maxx < x * SCALE + half + 1 &&
                              b.miny > y * SCALE - half - 1 && b.maxy < y * SCALE + half + 1,
                          "%s at %g pt: beyond its box", marker_names[m], sizes[k]);
            /* the contour is there, around the glyph: red pixels at the edge */
            int red = 0, rgb[3];
            for (int py = 0; py < SIDE; py++)
                for (int px = 0; px < SIDE; px++) {
                    pixel(&c, px, py, rgb);
                    red += is_color(rgb, 255, 0, 0, 40);
                }
            ck_assert_msg(red > 10, "%s at %g pt: no contour", marker_names[m], sizes[k]);
            canvas_free(&c);
        }
}
END_TEST

/* The pictograms are line art with their features open: drawn at 60 pt, each has the parts
 * that make it what it is. Probes are offsets in pt from the point (the ink's centroid, so a
 * little off the glyph's own middle). */
START_TEST(test_pictograms_read_as_symbols)
{
    typedef struct probe {
        double dx, dy;
        bool inked;
    } probe_t;
    const probe_t probes[][4] = {
        /* port: the anchor's ring is open, its shank solid, arms curve up into flukes */
        [COR__MARKER_PORT] = {{0, -23, false}, {0, -4, true}, {-12, 8, false}, {0, 19, true}},
        /* mine: the handles cross in the middle, the hammer's head is solid, feet apart */
        [COR__MARKER_MINE] = {{0, 2, true}, {15, -10, true}, {0, 20, false}, {-20, 0, false}},
        /* border: the post stands on the left, the boom has open stripes */
        [COR__MARKER_BORDER] = {{-11.5, 6, true}, {5, -4, true}, {0, -8, false}, {10, 5, false}},
        /* airport: fuselage and swept wings, nothing beside the fuselage above them */
        [COR__MARKER_AIRPORT] = {{0, -20, true}, {-24, 2, true}, {24, 2, true}, {-15, -14, false}},
        /* rail: an open windscreen above a lamp, legs apart */
        [COR__MARKER_RAIL] = {{0, -12, false}, {0, 2, true}, {-10, 7, false}, {0, 24, false}},
    };
    for (int m = COR__MARKER_PORT; m <= COR__MARKER_RAIL; m++) {
        canvas_t c = canvas_new();
        cor__look_t l = look_new();
        l.stroke_on = false;
        cor__paint_marker(c.cr, (cor__marker_t)m, 50, 50, 60, &l);
        for (int k = 0; k < 4; k++) {
            const probe_t *p = &probes[m][k];
            double v = ink(&c, (int)((50 + p->dx) * SCALE), (int)((50 + p->dy) * SCALE));
            ck_assert_msg(p->inked ? v > 0.9 : v < 0.1, "%s: ink %g at %+g, %+g", marker_names[m],
                          v, p->dx, p->dy);
        }
        canvas_free(&c);
    }
}
END_TEST

/* At 8 pt and 300 dpi the strokes of a pictogram are solid pixels, not grey hairlines. */
START_TEST(test_pictograms_crisp_when_small)
{
    const double scale = 300 / 72.0;
    for (int m = COR__MARKER_PORT; m <= COR__MARKER_RAIL; m++) {
        cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 40, 40);
        cairo_t *cr = cairo_create(s);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
        cairo_scale(cr, scale, scale);
        cor__look_t l = look_new();
        l.stroke_on = false;
        cor__paint_marker(cr, (cor__marker_t)m, 20 / scale, 20 / scale, 8, &l);
        cairo_surface_flush(s);
        const unsigned char *d = cairo_image_surface_get_data(s);
        int stride = cairo_image_surface_get_stride(s), solid = 0, grey = 0;
        for (int y = 0; y < 40; y++)
            for (int x = 0; x < 40; x++) {
                int v = d[y * stride + x * 4];
                solid += v < 64;
                grey += v >= 64 && v < 224;
            }
        ck_assert_msg(solid >= 80 && solid > grey, "%s: %d solid, %d grey pixels", marker_names[m],
                      solid, grey);
        cairo_destroy(cr);
        cairo_surface_destroy(s);
    }
}
END_TEST

/* ---- hatching ---- */

START_TEST(test_hatch_gaps_inside_only)
{
    canvas_t c = canvas_new();
    cor__geom_t g = {.kind = COR__GEOM_POLYGON};
    add_box(&g, 10, 10, 90, 90);
    add_box(&g, 40, 40, 60, 60); /* a hole: not hatched */
    cor__look_t l = look_new();
    l.fill = RED;
    l.hatch = true;
    l.stroke_on = false;
    cor__paint_fill(c.cr, &g, &l);
    assert_clean(c.cr);
    int inked = 0, clear = 0, outside = 0, hole = 0, rgb[3];
    for (int py = 0; py < SIDE; py++)
        for (int px = 0; px < SIDE; px++) {
            pixel(&c, px, py, rgb);
            double x = (px + 0.5) / SCALE, y = (py + 0.5) / SCALE;
            bool white = is_color(rgb, 255, 255, 255, 0);
            bool in = x > 10 && x < 90 && y > 10 && y < 90;
            bool in_hole = x > 40 && x < 60 && y > 40 && y < 60;
            if (!in)
                outside += !white;
            else if (in_hole)
                hole += !white;
            else if (white)
                clear++;
            else
                inked += is_color(rgb, 255, 0, 0, 30);
        }
    ck_assert_int_eq(outside, 0);
    ck_assert_int_eq(hole, 0);
    /* 0.6 pt lines every 3 pt: about a fifth of the area inked, the rest open */
    ck_assert_msg(inked > 0.12 * (inked + clear) && clear > 0.6 * (inked + clear),
                  "inked %d, clear %d", inked, clear);
    /* diagonal lines: along a row the ink comes back every 3 x sqrt(2) pt */
    int runs = 0;
    bool dark = false;
    for (int px = (int)(12 * SCALE); px < (int)(38 * SCALE); px++) {
        pixel(&c, px, (int)(25 * SCALE), rgb);
        bool now = rgb[1] < 128;
        runs += now && !dark;
        dark = now;
    }
    ck_assert_int_eq(runs, (int)round(26 / (3 * M_SQRT2)));
    l.hatch = false; /* without hatching the same fill is solid */
    cor__paint_fill(c.cr, &g, &l);
    pixel_pt(&c, 25.3, 25.1, rgb);
    ck_assert(is_color(rgb, 255, 0, 0, 0));
    cor__geom_free(&g);
    canvas_free(&c);
}
END_TEST

static Suite *paint_suite(void)
{
    Suite *s = suite_create("paint");
    TCase *tc = tcase_create("failures");
    tcase_add_test(tc, test_nothing_when_off);
    tcase_add_test(tc, test_bad_values_keep_context_healthy);
    tcase_add_test(tc, test_state_restored_and_stale_path_dropped);
    suite_add_tcase(s, tc);
    tc = tcase_create("drawing");
    tcase_add_test(tc, test_polygon_hole_stays_open);
    tcase_add_test(tc, test_line_width);
    tcase_add_test(tc, test_line_dash);
    tcase_add_test(tc, test_casing_on_both_sides);
    tcase_add_test(tc, test_opacity_blends);
    suite_add_tcase(s, tc);
    tc = tcase_create("markers");
    tcase_add_test(tc, test_markers_centred_and_within_size);
    tcase_add_test(tc, test_markers_fill_their_size);
    tcase_add_test(tc, test_marker_colours);
    tcase_add_test(tc, test_capital_reads_at_small_sizes);
    tcase_add_test(tc, test_markers_at_every_point);
    tcase_add_test(tc, test_pictograms_centred_at_map_sizes);
    tcase_add_test(tc, test_pictograms_read_as_symbols);
    tcase_add_test(tc, test_pictograms_crisp_when_small);
    suite_add_tcase(s, tc);
    tc = tcase_create("hatching");
    tcase_add_test(tc, test_hatch_gaps_inside_only);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return cor_test_run(paint_suite());
}
