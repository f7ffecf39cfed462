/* SPDX-License-Identifier: MIT */
/* Tests for overlay: the model, resolving places, and the geometry drawn, asserted with numbers
 * and with pixels read back from cairo image surfaces (white background, 4 px per pt). Places
 * project linearly: x = (lon - 20) * 30, y = (60 - lat) * 30. Failure cases first. */
#include <cairo-svg.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "overlay.h"
#include "overlay_band.h"
#include "overlay_bundle.h"
#include "overlay_draw.h"
#include "testutil.h"
#include "util.h"

#define SCALE 4.0 /* pixels per point */
#define W_PT  400 /* canvas, pt */
#define H_PT  350

static const cor_color_t BLACK = {0, 0, 0, 1};
static const cor_color_t RED = {1, 0, 0, 1};

/* Minsk, Vilnius and friends (lon, lat), as the story uses them. */
#define MINSK     27.57, 53.90
#define VILNIUS   25.32, 54.68
#define HOMYEL    31.00, 52.43
#define CHERNIHIV 31.30, 51.50
#define KYIV      30.52, 50.43

static bool to_page(void *ctx, double lon, double lat, double *x, double *y)
{
    (void)ctx;
    if (lon < 0) /* the western hemisphere cannot be projected here */
        return false;
    *x = (lon - 20) * 30;
    *y = (60 - lat) * 30;
    return true;
}

static void page_of(double lon, double lat, double *x, double *y)
{
    ck_assert(to_page(NULL, lon, lat, x, y));
}

typedef struct canvas {
    cairo_surface_t *s;
    cairo_t *cr;
} canvas_t;

static canvas_t canvas_new(void)
{
    canvas_t c;
    c.s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)(W_PT * SCALE), (int)(H_PT * SCALE));
    c.cr = cairo_create(c.s);
    cairo_set_source_rgb(c.cr, 1, 1, 1);
    cairo_paint(c.cr);
    cairo_scale(c.cr, SCALE, SCALE);
    return c;
}

static void canvas_free(canvas_t *c)
{
    cairo_destroy(c->cr);
    cairo_surface_destroy(c->s);
}

static int width_px(const canvas_t *c)
{
    return cairo_image_surface_get_width(c->s);
}

static int height_px(const canvas_t *c)
{
    return cairo_image_surface_get_height(c->s);
}

/* Reads pixel (x, y) straight from the surface (flushed first): white outside the canvas. */
static void rgb_at(canvas_t *c, int x, int y, int rgb[3])
{
    if (x < 0 || y < 0 || x >= width_px(c) || y >= height_px(c)) {
        rgb[0] = rgb[1] = rgb[2] = 255;
        return;
    }
    cairo_surface_flush(c->s);
    const unsigned char *d = cairo_image_surface_get_data(c->s);
    uint32_t v = *(const uint32_t *)(d + (size_t)y * cairo_image_surface_get_stride(c->s) + 4 * x);
    rgb[0] = (int)(v >> 16 & 255);
    rgb[1] = (int)(v >> 8 & 255);
    rgb[2] = (int)(v & 255);
}

/* How far pixel (x, y) is from white, 0..1. */
static double ink(canvas_t *c, int x, int y)
{
    int rgb[3];
    rgb_at(c, x, y, rgb);
    return (3 * 255 - rgb[0] - rgb[1] - rgb[2]) / (3 * 255.0);
}

/* Every pixel's ink, row by row, read in one go (malloc'd). */
static double *ink_all(canvas_t *c)
{
    int w = width_px(c), h = height_px(c), stride = cairo_image_surface_get_stride(c->s);
    double *out = malloc(sizeof *out * (size_t)w * (size_t)h);
    ck_assert_ptr_nonnull(out);
    cairo_surface_flush(c->s);
    const unsigned char *d = cairo_image_surface_get_data(c->s);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint32_t v = *(const uint32_t *)(d + (size_t)y * stride + 4 * x);
            int sum = (int)(v >> 16 & 255) + (int)(v >> 8 & 255) + (int)(v & 255);
            out[(size_t)y * w + x] = (3 * 255 - sum) / (3 * 255.0);
        }
    return out;
}

/* Ink at page point (x, y). */
static double ink_pt(canvas_t *c, double x, double y)
{
    return ink(c, (int)floor(x * SCALE), (int)floor(y * SCALE));
}

static void rgb_pt(canvas_t *c, double x, double y, int rgb[3])
{
    rgb_at(c, (int)floor(x * SCALE), (int)floor(y * SCALE), rgb);
}

static bool is_color(const int rgb[3], int r, int g, int b, int tol)
{
    return abs(rgb[0] - r) <= tol && abs(rgb[1] - g) <= tol && abs(rgb[2] - b) <= tol;
}

static double total_ink(canvas_t *c)
{
    double *v = ink_all(c), sum = 0;
    for (size_t i = 0; i < (size_t)width_px(c) * (size_t)height_px(c); i++)
        sum += v[i];
    free(v);
    return sum;
}

static cor__look_t line_look(cor_color_t stroke, double width)
{
    cor__look_t l;
    memset(&l, 0, sizeof l);
    l.stroke_on = true;
    l.stroke = stroke;
    l.width = width;
    l.opacity = 1;
    l.cap = COR__CAP_BUTT;
    l.join = COR__JOIN_ROUND;
    return l;
}

static cor__overlay_t *add_route(cor__overlays_t *o, double lon0, double lat0, double lon1,
                                 double lat1)
{
    cor__overlay_t *ov = cor__overlays_add(o, COR__OV_ROUTE);
    ck_assert_ptr_nonnull(ov);
    ck_assert(cor__overlay_add_place(ov, NULL, lon0, lat0));
    ck_assert(cor__overlay_add_place(ov, NULL, lon1, lat1));
    ov->look = line_look(BLACK, 3);
    return ov;
}

static cor__overlay_t *add_flow(cor__overlays_t *o, double lon0, double lat0, double lon1,
                                double lat1, double value)
{
    cor__overlay_t *ov = cor__overlays_add(o, COR__OV_FLOW);
    ck_assert_ptr_nonnull(ov);
    ck_assert(cor__overlay_add_place(ov, NULL, lon0, lat0));
    ck_assert(cor__overlay_add_place(ov, NULL, lon1, lat1));
    ov->look = line_look(BLACK, 1);
    ov->value = value;
    return ov;
}

static void draw(canvas_t *c, const cor__overlays_t *o, cor__labeler_t *lb)
{
    cor_error_t err;
    cor_error_clear(&err);
    cor_status_t st = cor__overlays_draw(o, c->cr, to_page, NULL, lb, &err);
    ck_assert_msg(st == COR_OK, "%s", err.message);
    ck_assert_int_eq(cairo_status(c->cr), CAIRO_STATUS_SUCCESS);
}

/* ---- the model and failures ---- */

static char *gazetteer_csv(void)
{
    char *dir = cor_test_tmpdir("overlay");
    char *path = cor__path_join(dir, "places.csv");
    const char csv[] = "name,lat,lon\n"
                       "Minsk,53.90,27.57\n"
                       "Vilnius,54.68,25.32\n"
                       "Klaipėda,55.72,21.12\n";
    cor_test_write(path, csv, sizeof csv - 1);
    free(dir);
    return path;
}

START_TEST(test_resolve_unknown_place)
{
    cor__gazetteer_t *g = NULL;
    cor_error_t err;
    cor_error_clear(&err);
    char *path = gazetteer_csv();
    ck_assert_int_eq(cor__gazetteer_new(&g, &err), COR_OK);
    ck_assert_msg(cor__gazetteer_add_csv(g, path, &err) == COR_OK, "%s", err.message);
    cor__overlays_t o = {0};

    cor__overlay_t *hidden = cor__overlays_add(&o, COR__OV_MARKER); /* hidden: not resolved */
    ck_assert(cor__overlay_add_place(hidden, "Atlantis", 0, 0));
    hidden->group = cor__strdup("myth");
    ck_assert(cor__overlays_hide(&o, "myth"));
    cor__overlay_t *r = cor__overlays_add(&o, COR__OV_ROUTE);
    ck_assert(cor__overlay_add_place(r, "Minsk", 0, 0));
    ck_assert(cor__overlay_add_place(r, "Klaipda", 0, 0));
    r->file = cor__strdup("story.lua");
    r->line = 12;
    ck_assert_int_eq(cor__overlays_resolve(&o, g, &err), COR_ERR_NOTFOUND);
    ck_assert_msg(strncmp(err.message, "story.lua:12: unknown place 'Klaipda'", 37) == 0, "%s",
                  err.message);
    ck_assert_msg(strstr(err.message, "did you mean Klaipėda?") != NULL, "%s", err.message);

    cor_error_clear(&err); /* a cut place is resolved too */
    free(r->places[1].name);
    r->places[1].name = cor__strdup("Klaipėda");
    ck_assert(cor__overlay_set_cut(r, "Vilnus", 0, 0));
    ck_assert_int_eq(cor__overlays_resolve(&o, g, &err), COR_ERR_NOTFOUND);
    ck_assert_msg(strstr(err.message, "story.lua:12: unknown place 'Vilnus' (did you mean "
                                      "Vilnius?)") != NULL,
                  "%s", err.message);

    cor_error_clear(&err); /* coordinates that are no place */
    ck_assert(cor__overlay_set_cut(r, "Vilnius", 0, 0));
    cor__overlay_t *m = cor__overlays_add(&o, COR__OV_MARKER);
    ck_assert(cor__overlay_add_place(m, NULL, 27, 95));
    m->file = cor__strdup("story.lua");
    m->line = 20;
    ck_assert_int_eq(cor__overlays_resolve(&o, g, &err), COR_ERR_DATA);
    ck_assert_msg(strncmp(err.message, "story.lua:20: coordinates 27, 95", 32) == 0, "%s",
                  err.message);
    m->places[0].lat = 54;
    m->places[0].resolved = true;

    cor_error_clear(&err);
    ck_assert_msg(cor__overlays_resolve(&o, g, &err) == COR_OK, "%s", err.message);
    ck_assert(r->places[1].resolved);
    ck_assert_double_eq_tol(r->places[1].lon, 21.12, 1e-9);
    ck_assert_double_eq_tol(r->cut.lat, 54.68, 1e-9);
    ck_assert(!hidden->places[0].resolved);

    cor_error_clear(&err); /* names need a gazetteer */
    ck_assert_int_eq(cor__overlays_resolve(&o, NULL, &err), COR_ERR_NOTFOUND);
    cor__overlays_clear(&o);
    cor__gazetteer_free(g);
    free(path);
}
END_TEST

START_TEST(test_model)
{
    cor__overlays_t o = {0};
    ck_assert_ptr_null(cor__overlays_add(NULL, COR__OV_FLOW));
    cor__overlay_t *f = cor__overlays_add(&o, COR__OV_FLOW);
    ck_assert(isnan(f->bend));
    ck_assert_double_eq(f->look.opacity, 1);
    ck_assert_double_eq(f->priority, COR__OV_PRIORITY);
    ck_assert(cor__overlay_add_place(f, "Minsk", 0, 0));
    ck_assert(cor__overlay_add_place(f, NULL, 25.32, 54.68));
    ck_assert(!f->places[0].resolved);
    ck_assert(f->places[1].resolved);
    ck_assert_str_eq(f->places[0].name, "Minsk");
    ck_assert(cor__overlay_add_place(f, NULL, NAN, 54));
    ck_assert(!f->places[2].resolved);

    f->group = cor__strdup("prisoners");
    ck_assert(cor__overlay_visible(&o, f));
    ck_assert(cor__overlays_hide(&o, "prisoners"));
    ck_assert(cor__overlays_hide(&o, "prisoners")); /* once is enough */
    ck_assert_uint_eq(o.nhidden, 1);
    ck_assert(!cor__overlay_visible(&o, f));
    ck_assert(!cor__overlay_visible(&o, NULL));
    ck_assert_str_eq(cor__overlay_note(f), "");
    f->schematic = true;
    ck_assert_str_eq(cor__overlay_note(f), " (path approximate)");
    f->kind = COR__OV_ROUTE;
    ck_assert_str_eq(cor__overlay_note(f), " (route approximate)");
    f->kind = COR__OV_MARKER;
    ck_assert_str_eq(cor__overlay_note(f), " (location approximate)");
    cor__overlay_t *g = cor__overlays_add(&o, COR__OV_ROUTE); /* truncating drops the rest */
    ck_assert(cor__overlay_add_place(g, "Vilnius", 0, 0));
    g->label = cor__strdup("dropped");
    cor__overlays_truncate(&o, 1);
    ck_assert_uint_eq(o.n, 1);
    cor__overlays_truncate(&o, 5); /* beyond the end: nothing to do */
    ck_assert_uint_eq(o.n, 1);
    cor__look_t lk;
    cor__overlay_default_look(COR__OV_FLOW, &lk);
    ck_assert(lk.stroke_on && !lk.casing_on && lk.opacity > 0);
    cor__overlay_default_look(COR__OV_MARKER, &lk);
    ck_assert(lk.marker == COR__MARKER_CIRCLE && lk.size > 0 && lk.fill_on);
    cor__overlays_clear(&o);
    ck_assert_uint_eq(o.n, 0);
    ck_assert_ptr_null(o.items);
    cor__overlays_clear(&o); /* twice is harmless */
    cor__overlays_clear(NULL);
}
END_TEST

START_TEST(test_draw_failures_and_skips)
{
    canvas_t c = canvas_new();
    cor__overlays_t o = {0};
    cor_error_t err;
    cor_error_clear(&err);
    ck_assert_int_eq(cor__overlays_draw(&o, c.cr, to_page, NULL, NULL, &err), COR_OK); /* none */
    add_route(&o, MINSK, VILNIUS);
    ck_assert_int_eq(cor__overlays_draw(&o, c.cr, NULL, NULL, NULL, &err), COR_ERR_USAGE);
    cor__overlays_clear(&o);

    /* places that cannot be projected or were never resolved: skipped and counted */
    add_route(&o, -3, 50, 27, 50);
    add_flow(&o, MINSK, -1, 50, 3);
    cor__overlay_t *m = cor__overlays_add(&o, COR__OV_MARKER);
    ck_assert(cor__overlay_add_place(m, "Nowhere", 0, 0));
    m->look.marker = COR__MARKER_CIRCLE;
    m->look.size = 8;
    m->look.fill_on = true;
    m->look.fill = BLACK;
    cor__overlay_t *a = cor__overlays_add(&o, COR__OV_AREA);
    ck_assert(cor__overlay_add_place(a, NULL, 25, 54));
    ck_assert(cor__overlay_add_place(a, NULL, -26, 54));
    ck_assert(cor__overlay_add_place(a, NULL, 26, 53));
    a->look.fill_on = true;
    a->look.fill = BLACK;
    add_flow(&o, MINSK, MINSK, 5); /* from a place to itself */
    cor__textout_t to = {c.cr, NULL};
    size_t skipped = 99;
    cor_error_clear(&err);
    ck_assert_int_eq(cor__overlays_draw_to(&o, &to, to_page, NULL, NULL, &skipped, &err), COR_OK);
    ck_assert_uint_eq(skipped, 5);
    ck_assert_double_eq(total_ink(&c), 0);
    cor__overlays_clear(&o);
    canvas_free(&c);
}
END_TEST

START_TEST(test_hidden_groups_not_drawn)
{
    canvas_t c = canvas_new();
    cor__overlays_t o = {0};
    cor__overlay_t *r = add_route(&o, MINSK, VILNIUS);
    r->group = cor__strdup("potash");
    cor__overlay_t *f = add_flow(&o, MINSK, KYIV, 5);
    f->group = cor__strdup("prisoners");
    ck_assert(cor__overlays_hide(&o, "potash"));
    ck_assert(cor__overlays_hide(&o, "prisoners"));
    ck_assert_double_eq(cor__overlays_max_flow(&o), 0); /* hidden flows do not count */
    draw(&c, &o, NULL);
    ck_assert_double_eq(total_ink(&c), 0);
    for (size_t i = 0; i < o.nhidden; i++)
        free(o.hidden[i]);
    o.nhidden = 0;
    draw(&c, &o, NULL);
    ck_assert(total_ink(&c) > 100);
    cor__overlays_clear(&o);
    canvas_free(&c);
}
END_TEST

/* ---- arrowheads and widths ---- */

START_TEST(test_arrowhead_geometry)
{
    double h[6], back, prev_len = 0, prev_half = 0;
    const double widths[] = {0, 1, 3.5, 9, 20};
    for (size_t i = 0; i < COR__ARRAY_LEN(widths); i++) {
        double w = widths[i];
        cor__arrowhead(100, 50, 3, 4, w, h, &back); /* heading down and right */
        ck_assert_double_eq(h[0], 100);             /* the tip is the end point */
        ck_assert_double_eq(h[1], 50);
        double l1 = hypot(h[2] - h[0], h[3] - h[1]), l2 = hypot(h[4] - h[0], h[5] - h[1]);
        ck_assert_double_eq_tol(l1, l2, 1e-9); /* symmetric about the axis */
        double mx = (h[2] + h[4]) / 2, my = (h[3] + h[5]) / 2;
        double len = hypot(mx - h[0], my - h[1]), half = hypot(h[2] - h[4], h[3] - h[5]) / 2;
        ck_assert_double_eq_tol((h[0] - mx) / len, 0.6, 1e-9); /* back along (3, 4) */
        ck_assert_double_eq_tol((h[1] - my) / len, 0.8, 1e-9);
        ck_assert_double_eq_tol((h[2] - mx) * 0.6 + (h[3] - my) * 0.8, 0, 1e-9); /* square base */
        ck_assert(half >= 2.1 - 1e-9 && len >= 5 - 1e-9); /* readable minimum */
        ck_assert(half > w / 2 + 1.4);                    /* wider than the line */
        ck_assert(len >= prev_len && half >= prev_half);  /* grows with the width */
        if (w >= 9)
            ck_assert(len > prev_len && half > prev_half);
        /* the line stops under the head: its corners inside the sides, its end before the notch */
        ck_assert(back > 0);
        ck_assert(back < 0.8 * len);
        ck_assert(w / 2 < half * back / len);
        prev_len = len;
        prev_half = half;
    }
    /* left of travel on a page: heading +x, the first barb is above (smaller y) */
    cor__arrowhead(0, 0, 1, 0, 2, h, NULL);
    ck_assert(h[3] < 0 && h[5] > 0);
    cor__arrowhead(0, 0, 0, 0, NAN, h, &back); /* no direction, no width: +x, the minimum */
    ck_assert(h[2] < 0 && h[4] < 0 && isfinite(back));
    ck_assert_double_eq_tol(hypot(h[2] - h[4], h[3] - h[5]), 4.2, 1e-9);
}
END_TEST

START_TEST(test_flow_width)
{
    cor__overlays_t o = {0};
    ck_assert_double_eq_tol(cor__flow_width(&o, 114, 114), 9, 1e-9);
    ck_assert_double_eq_tol(cor__flow_width(&o, 57, 114), 4.5, 1e-9);
    ck_assert_double_eq_tol(cor__flow_width(&o, 52, 114), 52 / 114.0 * 9, 1e-9);
    ck_assert_double_eq_tol(cor__flow_width(&o, 9, 114), 1.2, 1e-9); /* the minimum */
    ck_assert_double_eq_tol(cor__flow_width(&o, 0, 114), 1.2, 1e-9);
    ck_assert_double_eq_tol(cor__flow_width(&o, NAN, 114), 1.2, 1e-9);
    ck_assert_double_eq_tol(cor__flow_width(&o, 5, 0), 1.2, 1e-9);
    ck_assert_double_eq_tol(cor__flow_width(NULL, 114, 114), 9, 1e-9);
    o.flow_max_width = 12;
    o.flow_min_width = 2;
    ck_assert_double_eq_tol(cor__flow_width(&o, 57, 114), 6, 1e-9);
    ck_assert_double_eq_tol(cor__flow_width(&o, 3, 114), 2, 1e-9);

    add_flow(&o, MINSK, VILNIUS, 3);
    add_flow(&o, MINSK, CHERNIHIV, 114);
    add_flow(&o, MINSK, KYIV, NAN);
    ck_assert_double_eq(cor__overlays_max_flow(&o), 114);
    cor__overlays_clear(&o);
}
END_TEST

START_TEST(test_flow_min_value)
{
    /* below this value flows are drawn at the minimum, not in proportion */
    cor__overlays_t o = {0};
    ck_assert_double_eq_tol(cor__flow_min_value(&o, 114), 1.2 / 9 * 114, 1e-9);
    ck_assert_double_eq(cor__flow_min_value(&o, 0), 0);
    ck_assert_double_eq(cor__flow_min_value(NULL, NAN), 0);
    o.flow_max_width = 6;
    double v = cor__flow_min_value(&o, 114);
    ck_assert_double_eq_tol(v, 22.8, 1e-9);
    ck_assert_double_eq_tol(cor__flow_width(&o, v, 114), 1.2, 1e-9);
    ck_assert(cor__flow_width(&o, v * 1.01, 114) > 1.2);
    cor__overlays_clear(&o);
}
END_TEST

/* Groups n flows from Minsk to Vilnius (reversed: the other way) with the given bends; each
 * flow's unit goes to unit[]. Returns: how many units there are. */
static size_t group_units(const double *bends, const bool *reversed, size_t n, size_t *unit)
{
    cor__overlays_t o = {0};
    cor__ov_flow_t fl[8];
    cor__ov_unit_t un[8];
    size_t nu = 0;
    memset(fl, 0, sizeof fl);
    for (size_t i = 0; i < n; i++) {
        cor__overlay_t *ov =
            reversed[i] ? add_flow(&o, VILNIUS, MINSK, 5) : add_flow(&o, MINSK, VILNIUS, 5);
        ov->bend = bends[i];
    }
    for (size_t i = 0; i < n; i++) {
        double x, y;
        fl[i].ov = &o.items[i];
        for (size_t k = 0; k < 2; k++) {
            page_of(o.items[i].places[k].lon, o.items[i].places[k].lat, &x, &y);
            ck_assert(cor__polyline_push(&fl[i].pts, x, y));
        }
    }
    cor__overlay_bundle_group(fl, n, un, &nu);
    for (size_t i = 0; i < n; i++) {
        unit[i] = fl[i].unit;
        cor__polyline_free(&fl[i].pts);
    }
    cor__overlays_clear(&o);
    return nu;
}

START_TEST(test_bundle_takes_flows_of_its_bend)
{
    size_t unit[4];
    const bool fwd[4] = {false, false, false, false}, back[4] = {false, true, false, false};
    const double same[4] = {-0.1, -0.1, NAN, -0.1};
    ck_assert_int_eq(group_units(same, fwd, 4, unit), 1);
    /* a bend of its own gives a flow its own arc */
    const double own[4] = {-0.1, -0.1, -0.55, -0.1};
    ck_assert_int_eq(group_units(own, fwd, 4, unit), 2);
    ck_assert(unit[0] == unit[1] && unit[1] == unit[3] && unit[2] != unit[0]);
    /* the other way round, the same arc has the opposite bend */
    const double flipped[4] = {-0.1, 0.1, -0.1, -0.1};
    ck_assert_int_eq(group_units(flipped, back, 4, unit), 1);
    ck_assert_int_eq(group_units(same, back, 4, unit), 2);
    /* a first flow without a bend takes the next one's */
    const double later[2] = {NAN, 0.3};
    ck_assert_int_eq(group_units(later, fwd, 2, unit), 1);
}
END_TEST

/* ---- bands ---- */

static cor__band_t band_of(const double *xy, const double *w, size_t n, bool curve)
{
    cor__polyline_t v = {0};
    cor__band_t b;
    for (size_t i = 0; i < n; i++)
        ck_assert(cor__polyline_push(&v, xy[2 * i], xy[2 * i + 1]));
    ck_assert(cor__band_build(&v, w, curve, &b));
    cor__polyline_free(&v);
    return b;
}

START_TEST(test_band_widths_at_places)
{
    const double xy[] = {10, 50, 110, 50, 210, 50}, w[] = {2, 10, 4};
    cor__band_t b = band_of(xy, w, 3, false);
    ck_assert_uint_eq(b.nat, 3);
    for (size_t k = 0; k < 3; k++) {
        ck_assert_double_eq_tol(b.w[b.at[k]], w[k], 1e-12);
        ck_assert_double_eq_tol(cor__band_width_at(&b, cor__band_place_s(&b, k)), w[k], 1e-9);
    }
    /* tapering, linearly, between the places */
    ck_assert_double_eq_tol(cor__band_width_at(&b, 50), 6, 1e-9);
    ck_assert_double_eq_tol(cor__band_width_at(&b, 150), 7, 1e-9);
    /* the outline is as wide as the width: just inside covered, just outside not */
    double s1 = cor__band_place_s(&b, 1), total = cor__polyline_length(&b.line);
    ck_assert(cor__band_covers(&b, (cor__pt_t){110, 50 + 4.9}, 0, total, 0));
    ck_assert(!cor__band_covers(&b, (cor__pt_t){110, 50 + 5.2}, 0, total, 0));
    ck_assert(cor__band_covers(&b, (cor__pt_t){60, 50 - 2.9}, 0, total, 0));
    ck_assert(!cor__band_covers(&b, (cor__pt_t){60, 50 - 3.3}, 0, total, 0));
    /* grown by a casing */
    ck_assert(cor__band_covers(&b, (cor__pt_t){110, 50 + 5.9}, 0, total, 1));
    /* clipped to a stretch */
    ck_assert(!cor__band_covers(&b, (cor__pt_t){60, 50}, s1, total, 0));
    cor__band_free(&b);
    /* curved through the same places: it passes through them at their widths */
    const double bent[] = {10, 50, 110, 90, 210, 50};
    b = band_of(bent, w, 3, true);
    for (size_t k = 0; k < 3; k++) {
        cor__pt_t q = b.line.p[b.at[k]];
        ck_assert(fabs(q.x - bent[2 * k]) < 1e-9 && fabs(q.y - bent[2 * k + 1]) < 1e-9);
        ck_assert_double_eq_tol(b.w[b.at[k]], w[k], 1e-12);
    }
    ck_assert(b.line.n > 20); /* sampled, not three points */
    cor__band_free(&b);
}
END_TEST

/* Fills the band once with the winding rule at 50% black on a clear surface (4 px per pt), and
 * returns the largest alpha of a pixel and how many pixels were painted. */
static int band_alpha(const cor__band_t *b, long *painted)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, W_PT * 4, H_PT * 4);
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, 4, 4);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
    cor__band_path(cr, b, 0, cor__polyline_length(&b->line), 0);
    cairo_set_source_rgba(cr, 0, 0, 0, 0.5);
    cairo_fill(cr);
    cairo_surface_flush(s);
    int worst = 0, stride = cairo_image_surface_get_stride(s);
    const unsigned char *d = cairo_image_surface_get_data(s);
    *painted = 0;
    for (int y = 0; y < H_PT * 4; y++)
        for (int x = 0; x < W_PT * 4; x++) {
            int a = (int)(*(const uint32_t *)(d + (size_t)y * stride + 4 * x) >> 24);
            worst = a > worst ? a : worst;
            *painted += a > 0;
        }
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return worst;
}

START_TEST(test_band_joins_and_u_turn)
{
    /* a right-angled join: round outside, nothing open, nothing beyond the half-width */
    const double xy[] = {20, 20, 120, 20, 120, 120}, w[] = {10, 10, 10};
    cor__band_t b = band_of(xy, w, 3, false);
    double total = cor__polyline_length(&b.line);
    for (double a = -M_PI / 2; a <= 0; a += 0.05) {
        cor__pt_t in = {120 + 4.9 * cos(a), 20 + 4.9 * sin(a)};
        cor__pt_t out = {120 + 5.2 * cos(a), 20 + 5.2 * sin(a)};
        ck_assert_msg(cor__band_covers(&b, in, 0, total, 0), "a gap at the join, %g rad", a);
        ck_assert_msg(!cor__band_covers(&b, out, 0, total, 0), "a bulge at the join, %g rad", a);
    }
    long painted;
    int worst = band_alpha(&b, &painted);
    ck_assert_int_le(worst, 129); /* painted once: no double coat where the pieces meet */
    ck_assert(painted > 0.9 * 200 * 10 * 16);
    cor__band_free(&b);
    /* a U-turn whose two legs overlap: the fold is painted once too */
    const double u[] = {20, 100, 200, 100, 200, 106, 20, 106}, uw[] = {12, 12, 12, 12};
    b = band_of(u, uw, 4, false);
    worst = band_alpha(&b, &painted);
    ck_assert_int_le(worst, 129);
    total = cor__polyline_length(&b.line);
    for (double x = 25; x < 200; x += 5) /* between and along both legs, all covered */
        ck_assert(cor__band_covers(&b, (cor__pt_t){x, 103}, 0, total, 0));
    ck_assert(!cor__band_covers(&b, (cor__pt_t){100, 113}, 0, total, 0));
    cor__band_free(&b);
    /* curved, the same */
    b = band_of(u, uw, 4, true);
    worst = band_alpha(&b, &painted);
    ck_assert_int_le(worst, 129);
    ck_assert(painted > 1000);
    cor__band_free(&b);
}
END_TEST

START_TEST(test_band_of_two_places_and_zero_values)
{
    const double xy[] = {20, 60, 220, 60}, w[] = {2, 20};
    cor__band_t b = band_of(xy, w, 2, false);
    ck_assert_uint_eq(b.line.n, 2);
    ck_assert_double_eq_tol(cor__band_width_at(&b, 100), 11, 1e-9);
    ck_assert(cor__band_covers(&b, (cor__pt_t){120, 60 + 5.4}, 0, 200, 0));
    ck_assert(!cor__band_covers(&b, (cor__pt_t){120, 60 + 5.8}, 0, 200, 0));
    cor__band_free(&b);
    b = band_of(xy, w, 2, true); /* two places: curve or not, a straight band */
    ck_assert_double_eq_tol(cor__polyline_length(&b.line), 200, 1e-6);
    cor__band_free(&b);
    /* values of zero: no width there, tapering to nothing */
    const double z[] = {0, 10, 0}, zxy[] = {20, 60, 120, 60, 220, 60};
    b = band_of(zxy, z, 3, false);
    ck_assert(!cor__band_covers(&b, (cor__pt_t){20, 60.5}, 0, 200, 0));
    ck_assert(cor__band_covers(&b, (cor__pt_t){120, 64.9}, 0, 200, 0));
    ck_assert(cor__band_covers(&b, (cor__pt_t){70, 62.4}, 0, 200, 0));
    ck_assert(!cor__band_covers(&b, (cor__pt_t){70, 62.9}, 0, 200, 0));
    cor__band_free(&b);
    const double none[] = {0, 0};
    b = band_of(xy, none, 2, false);
    long painted;
    band_alpha(&b, &painted);
    ck_assert_int_eq(painted, 0);
    cor__band_free(&b);
}
END_TEST

static cor__overlay_t *add_band(cor__overlays_t *o, const double *lonlat, const double *values,
                                size_t n)
{
    cor__overlay_t *ov = cor__overlays_add(o, COR__OV_FLOW);
    ck_assert_ptr_nonnull(ov);
    for (size_t k = 0; k < n; k++)
        ck_assert(cor__overlay_add_place(ov, NULL, lonlat[2 * k], lonlat[2 * k + 1]));
    ov->band = true;
    ov->values = calloc(n, sizeof *ov->values);
    ck_assert_ptr_nonnull(ov->values);
    memcpy(ov->values, values, n * sizeof *values);
    for (size_t k = 0; k < n; k++)
        ov->value = fmax(ov->value, values[k]);
    cor__overlay_default_look(COR__OV_FLOW, &ov->look);
    ov->look.stroke = BLACK;
    ov->look.opacity = 0.5;
    ov->look.casing_on = false;
    ov->arrow = COR__ARROW_END;
    return ov;
}

START_TEST(test_band_drawn)
{
    /* 24..30 E along 55 N: x 120..300 pt, y 150 */
    const double path[] = {24, 55, 27, 55, 30, 55}, values[] = {100, 50, 50};
    canvas_t c = canvas_new();
    cor__overlays_t o = {.flow_scale_value = 100, .flow_scale_width = 20};
    cor__overlay_t *ov = add_band(&o, path, values, 3);
    draw(&c, &o, NULL);
    /* 20 pt wide at its start, 10 pt from the middle on; painted once at 50% */
    ck_assert(ink_pt(&c, 125, 150 + 9.5) > 0.3 && ink_pt(&c, 125, 150 + 10.5) < 0.02);
    ck_assert(ink_pt(&c, 230, 150 + 4.5) > 0.3 && ink_pt(&c, 230, 150 + 5.5) < 0.02);
    ck_assert(ink_pt(&c, 230, 150) < 0.55);
    /* its head: wider than the band near the end */
    double head = 0;
    for (double x = 280; x < 300; x += 0.5)
        head = fmax(head, ink_pt(&c, x, 150 + 7));
    ck_assert(head > 0.3);
    canvas_free(&c);
    /* arrow = "none": no head */
    ov->arrow = COR__ARROW_NONE;
    c = canvas_new();
    draw(&c, &o, NULL);
    head = 0;
    for (double x = 280; x < 300; x += 0.5)
        head = fmax(head, ink_pt(&c, x, 150 + 7));
    ck_assert(head < 0.02);
    ck_assert(ink_pt(&c, 299.5, 150) > 0.3); /* the body runs to the end */
    canvas_free(&c);
    /* a flow with arrow = "none" has no head either */
    cor__overlays_clear(&o);
    cor__overlay_t *f = add_flow(&o, 24, 55, 30, 55, 50);
    f->bend = 0;
    f->arrow = COR__ARROW_NONE;
    c = canvas_new();
    draw(&c, &o, NULL);
    head = 0; /* 9 pt wide, the largest flow: a head would reach 9 pt out */
    for (double x = 280; x < 300; x += 0.5)
        head = fmax(head, ink_pt(&c, x, 150 + 6.5));
    ck_assert(head < 0.02);
    ck_assert(ink_pt(&c, 290, 150 + 4) > 0.3);
    canvas_free(&c);
    cor__overlays_clear(&o);
}
END_TEST

START_TEST(test_band_labels_at_places)
{
    const double path[] = {24, 55, 27, 55, 30, 55}, values[] = {100, 50, 50};
    cor__overlays_t o = {.flow_scale_value = 100, .flow_scale_width = 20};
    cor__overlay_t *ov = add_band(&o, path, values, 3);
    ov->vlabels = calloc(3, sizeof *ov->vlabels);
    ck_assert_ptr_nonnull(ov->vlabels);
    ov->vlabels[1] = strdup("50 left");
    canvas_t c = canvas_new();
    cor__labeler_t *lb = NULL;
    cor_error_t err = {0};
    ck_assert_int_eq(cor__labeler_new(W_PT, H_PT, &lb, &err), COR_OK);
    draw(&c, &o, lb);
    cor__labeler_place(lb);
    long placed, dropped;
    cor__labeler_counts(lb, &placed, &dropped);
    ck_assert_msg(placed == 1 && dropped == 0, "%ld placed, %ld dropped", placed, dropped);
    const char *text;
    const cor_bbox_t *boxes;
    size_t nb;
    ck_assert(cor__labeler_placed(lb, 0, &text, &boxes, &nb));
    ck_assert_str_eq(text, "50 left");
    /* beside the band at its place (x 210), clear of its 10 pt width */
    ck_assert(boxes[0].minx < 230 && boxes[0].maxx > 190);
    ck_assert(boxes[0].maxy <= 150 - 5 || boxes[0].miny >= 150 + 5 || boxes[0].minx >= 210);
    ck_assert(!cor__labeler_placed(lb, 1, &text, &boxes, &nb));
    cor__labeler_free(lb);
    canvas_free(&c);
    cor__overlays_clear(&o);
}
END_TEST

/* ---- routes ---- */

/* Column x (pt) of the rightmost ink on row y (pt), -1 when none. */
static double rightmost(canvas_t *c, double y, double threshold)
{
    int py = (int)floor(y * SCALE);
    for (int x = width_px(c) - 1; x >= 0; x--)
        if (ink(c, x, py) > threshold)
            return (x + 1) / SCALE;
    return -1;
}

static cairo_status_t count_bytes(void *closure, const unsigned char *data, unsigned int length)
{
    (void)data;
    *(size_t *)closure += length;
    return CAIRO_STATUS_SUCCESS;
}

START_TEST(test_band_to_svg)
{
    /* vector output keeps bands as paths (and, under the sanitizers, leaks nothing) */
    const double path[] = {24, 55, 27, 56, 30, 55}, values[] = {100, 50, 0};
    cor__overlays_t o = {.flow_scale_value = 100, .flow_scale_width = 20};
    add_band(&o, path, values, 3)->look.casing_on = true;
    size_t n = 0;
    cairo_surface_t *s = cairo_svg_surface_create_for_stream(count_bytes, &n, W_PT, H_PT);
    cairo_t *cr = cairo_create(s);
    cor_error_t err = {0};
    ck_assert_int_eq(cor__overlays_draw(&o, cr, to_page, NULL, NULL, &err), COR_OK);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    ck_assert_int_eq(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
    ck_assert(n > 1000);
    cor__overlays_clear(&o);
}
END_TEST

START_TEST(test_route_with_value_on_the_flow_scale)
{
    canvas_t c = canvas_new();
    cor__overlays_t o = {.flow_scale_value = 100, .flow_scale_width = 20};
    cor__overlay_t *r = add_route(&o, 24, 55, 30, 55); /* x 120..300, y 150; its look: 3 pt */
    r->value = 50;
    r->arrow = COR__ARROW_NONE;
    draw(&c, &o, NULL);
    ck_assert(ink_pt(&c, 200, 150 + 4.5) > 0.5); /* 10 pt wide, as a flow of 50 */
    ck_assert(ink_pt(&c, 200, 150 + 5.5) < 0.02);
    ck_assert_double_eq(cor__overlays_max_flow(&o), 50);
    canvas_free(&c);
    cor__overlays_clear(&o);
}
END_TEST

START_TEST(test_route_stops_under_head)
{
    const cor__cap_t caps[] = {COR__CAP_BUTT, COR__CAP_ROUND, COR__CAP_SQUARE};
    for (size_t k = 0; k < COR__ARRAY_LEN(caps); k++) {
        canvas_t c = canvas_new();
        cor__overlays_t o = {0};
        cor__overlay_t *r = add_route(&o, 25, 55, 30, 55); /* (150, 150) to (300, 150) */
        r->arrow = COR__ARROW_END;
        r->look.width = 4;
        r->look.cap = caps[k];
        draw(&c, &o, NULL);
        /* the tip is 5 pt short of the place; nothing beyond it, not even the line's end */
        double tip = 300 - 5, h[6], back;
        cor__arrowhead(tip, 150, 1, 0, 4, h, &back);
        ck_assert_msg(fabs(rightmost(&c, 150, 0.02) - tip) < 0.5, "cap %d: ink to %g", (int)k,
                      rightmost(&c, 150, 0.02));
        for (double dy = -1.9; dy <= 1.9; dy += 0.2) { /* across the line's width */
            double rx = rightmost(&c, 150 + dy, 0.02);
            double side = tip - (h[0] - h[2]) * fabs(dy) / fabs(h[3] - 150); /* the head's flank */
            ck_assert_msg(rx <= side + 0.75, "cap %d: ink at %g, %g beyond the head's flank %g",
                          (int)k, rx, 150 + dy, side);
        }
        /* the head is solid from its base to near the tip: the line runs into it */
        for (double x = h[2] + 0.3; x < tip - 1; x += 0.25)
            ck_assert_msg(ink_pt(&c, x, 150.1) > 0.99, "cap %d: gap at %g", (int)k, x);
        /* and the line is there before the head */
        ck_assert(ink_pt(&c, 200, 150.1) > 0.99);
        cor__overlays_clear(&o);
        canvas_free(&c);
    }
}
END_TEST

START_TEST(test_route_arrow_start_and_casing)
{
    canvas_t c = canvas_new();
    cor__overlays_t o = {0};
    cor__overlay_t *r = add_route(&o, 25, 55, 30, 55);
    r->arrow = COR__ARROW_BOTH;
    r->look.stroke = RED;
    r->look.casing_on = true;
    r->look.casing = BLACK;
    r->look.casing_width = 2;
    draw(&c, &o, NULL);
    int rgb[3];
    rgb_pt(&c, 155 + 1.5, 150, rgb); /* the start head's tip region, in the stroke colour */
    ck_assert_msg(is_color(rgb, 255, 0, 0, 60), "got %d %d %d", rgb[0], rgb[1], rgb[2]);
    rgb_pt(&c, 155 - 0.6, 150, rgb); /* the casing outlines the tip */
    ck_assert_msg(rgb[0] < 128 && rgb[1] < 64, "got %d %d %d", rgb[0], rgb[1], rgb[2]);
    ck_assert(ink_pt(&c, 155 - 1.6, 150) < 0.05); /* and no further */
    rgb_pt(&c, 225, 150 + 1.5 + 0.5, rgb);        /* casing beside the line */
    ck_assert(is_color(rgb, 0, 0, 0, 0));
    cor__overlays_clear(&o);
    canvas_free(&c);
}
END_TEST

START_TEST(test_blocked_route_barrier)
{
    canvas_t c = canvas_new();
    cor__overlays_t o = {0};
    cor__overlay_t *r = add_route(&o, 25, 55, 32, 55); /* (150, 150) to (360, 150) */
    r->look.stroke = RED;
    r->look.width = 3;
    r->blocked = true;
    ck_assert(cor__overlay_set_cut(r, NULL, 27, 56));  /* nearest point: (210, 150) */
    cor__overlay_t *m = add_route(&o, 25, 52, 32, 52); /* no cut: the middle, (255, 240) */
    m->look = r->look;
    m->blocked = true;
    draw(&c, &o, NULL);
    const double cut[2][2] = {{210, 150}, {255, 240}};
    for (int k = 0; k < 2; k++) {
        double x = cut[k][0], y = cut[k][1];
        /* dashed: away from the barrier the line has gaps and dashes */
        int dashes = 0, gaps = 0, rgb[3];
        for (double at = x + 20; at < x + 80; at += 0.5) {
            rgb_pt(&c, at, y + 0.1, rgb);
            dashes += is_color(rgb, 255, 0, 0, 10);
            gaps += is_color(rgb, 255, 255, 255, 10);
        }
        ck_assert_msg(dashes > 20 && gaps > 10, "dashes %d gaps %d", dashes, gaps);
        /* a bar across the line: 3.2 x 3 = 9.6 pt long, 2.7 pt thick, in the stroke colour */
        for (double d = -4.5; d <= 4.5; d += 0.5) {
            rgb_pt(&c, x + 0.1, y + d, rgb);
            ck_assert_msg(is_color(rgb, 255, 0, 0, 10), "no bar at %g, %g: %d %d %d", x, y + d,
                          rgb[0], rgb[1], rgb[2]);
        }
        ck_assert(ink_pt(&c, x + 0.1, y + 7) < 0.01); /* not beyond its length and mask */
        ck_assert(ink_pt(&c, x + 0.1, y - 7) < 0.01);
        /* a white mask either side of the bar cuts the line */
        ck_assert(ink_pt(&c, x + 1.35 + 0.5, y + 0.1) < 0.01);
        ck_assert(ink_pt(&c, x - 1.35 - 0.5, y + 0.1) < 0.01);
        /* the bar is perpendicular: thin along the line */
        rgb_pt(&c, x + 1.0, y + 3, rgb);
        ck_assert(is_color(rgb, 255, 0, 0, 10));
        ck_assert(ink_pt(&c, x + 1.6, y + 3) < 0.05);
    }
    cor__overlays_clear(&o);
    canvas_free(&c);
}
END_TEST

/* ---- flows ---- */

/* Renders the overlays with only flow `keep` visible (the others transparent but laid out)
 * and returns a mask of its ink: 1 where ink > 0.02. */
static unsigned char *flow_mask(cor__overlays_t *o, size_t keep, size_t *n)
{
    canvas_t c = canvas_new();
    cor_color_t saved[16];
    size_t k = 0;
    for (size_t i = 0; i < o->n; i++)
        if (o->items[i].kind == COR__OV_FLOW) {
            saved[i] = o->items[i].look.stroke;
            if (k++ != keep)
                o->items[i].look.stroke.a = 0;
        }
    draw(&c, o, NULL);
    for (size_t i = 0; i < o->n; i++)
        if (o->items[i].kind == COR__OV_FLOW)
            o->items[i].look.stroke = saved[i];
    *n = (size_t)width_px(&c) * (size_t)height_px(&c);
    unsigned char *m = calloc(*n, 1);
    double *v = ink_all(&c);
    for (size_t i = 0; i < *n; i++)
        m[i] = v[i] > 0.02;
    free(v);
    canvas_free(&c);
    return m;
}

START_TEST(test_bundle_never_overlaps)
{
    cor__overlays_t o = {0};
    const double values[] = {3, 14, 52, 9};
    for (size_t i = 0; i < 4; i++)
        add_flow(&o, MINSK, VILNIUS, values[i]);
    add_flow(&o, 31, 58, 32, 58, 114); /* elsewhere: the largest, for realistic widths */
    unsigned char *m[4];
    size_t n = 0;
    for (size_t i = 0; i < 4; i++)
        m[i] = flow_mask(&o, i, &n);
    double ax, ay, bx, by;
    page_of(MINSK, &ax, &ay);
    page_of(VILNIUS, &bx, &by);
    int w = (int)(W_PT * SCALE);
    size_t counted[4] = {0}, overlaps = 0;
    double ox = 0, oy = 0;
    for (size_t p = 0; p < n; p++) {
        double x = (p % w + 0.5) / SCALE, y = (p / w + 0.5) / SCALE;
        bool near = hypot(x - ax, y - ay) < 10 || hypot(x - bx, y - by) < 10;
        for (int i = 0; i < 4; i++) {
            counted[i] += m[i][p];
            for (int j = i + 1; j < 4 && !near; j++)
                if (m[i][p] && m[j][p] && overlaps++ == 0)
                    ox = x, oy = y;
        }
    }
    ck_assert_msg(overlaps == 0, "%zu pixels overlap, the first at %g, %g", overlaps, ox, oy);
    for (int i = 0; i < 4; i++) /* each flow drew its strand */
        ck_assert_msg(counted[i] > 1000, "flow %d: %zu px", i, counted[i]);
    /* the wider flow draws more */
    ck_assert(counted[2] > 2 * counted[0]);
    for (int i = 0; i < 4; i++)
        free(m[i]);
    cor__overlays_clear(&o);
}
END_TEST

START_TEST(test_flow_ends_clear_of_places)
{
    canvas_t c = canvas_new();
    cor__overlays_t o = {0};
    add_flow(&o, MINSK, KYIV, 114);
    draw(&c, &o, NULL);
    double ax, ay, bx, by;
    page_of(MINSK, &ax, &ay);
    page_of(KYIV, &bx, &by);
    /* nothing within the dot and its gap (5 pt) of either place; ink just beyond */
    double inside = 0;
    for (double a = 0; a < 2 * M_PI; a += 0.05) {
        inside = fmax(inside, ink_pt(&c, ax + 4.5 * cos(a), ay + 4.5 * sin(a)));
        inside = fmax(inside, ink_pt(&c, bx + 4.5 * cos(a), by + 4.5 * sin(a)));
    }
    ck_assert_msg(inside < 0.02, "ink %g within 4.5 pt of a place", inside);
    double near_a = 0, near_b = 0;
    for (double a = 0; a < 2 * M_PI; a += 0.02) {
        near_a = fmax(near_a, ink_pt(&c, ax + 6 * cos(a), ay + 6 * sin(a)));
        near_b = fmax(near_b, ink_pt(&c, bx + 5.6 * cos(a), by + 5.6 * sin(a)));
    }
    ck_assert(near_a > 0.9 && near_b > 0.5);
    cor__overlays_clear(&o);
    canvas_free(&c);
}
END_TEST

/* The angle (radians, page) at which flow `keep` crosses the circle of radius r around (x, y):
 * the ink-weighted mean direction. */
static double leaving_angle(cor__overlays_t *o, size_t keep, double x, double y, double r)
{
    size_t n;
    unsigned char *m = flow_mask(o, keep, &n);
    int w = (int)(W_PT * SCALE);
    double sx = 0, sy = 0;
    for (double a = 0; a < 2 * M_PI; a += 0.002) {
        int px = (int)floor((x + r * cos(a)) * SCALE), py = (int)floor((y + r * sin(a)) * SCALE);
        if (m[(size_t)py * w + px]) {
            sx += cos(a);
            sy += sin(a);
        }
    }
    free(m);
    ck_assert(sx != 0 || sy != 0);
    return atan2(sy, sx);
}

static double angle_between(double a, double b)
{
    double d = fabs(fmod(a - b, 2 * M_PI));
    return d > M_PI ? 2 * M_PI - d : d;
}

START_TEST(test_flows_fan_out)
{
    double ax, ay;
    page_of(MINSK, &ax, &ay);
    /* with their bends given, two flows leave Minsk about 10 degrees apart */
    cor__overlays_t o = {0};
    cor__overlay_t *a = add_flow(&o, MINSK, CHERNIHIV, 50);
    cor__overlay_t *b = add_flow(&o, MINSK, KYIV, 50);
    a->bend = b->bend = 0.05;
    double d_fixed =
        angle_between(leaving_angle(&o, 0, ax, ay, 15), leaving_angle(&o, 1, ax, ay, 15));
    ck_assert_msg(d_fixed < 20 * M_PI / 180, "%g degrees", d_fixed * 180 / M_PI);
    /* left to themselves (and with the same bends in the default) they fan out */
    a->bend = b->bend = NAN;
    double d_fan =
        angle_between(leaving_angle(&o, 0, ax, ay, 15), leaving_angle(&o, 1, ax, ay, 15));
    ck_assert_msg(d_fan > 22 * M_PI / 180, "%g degrees", d_fan * 180 / M_PI);
    /* a flow through a via place is fixed: the other one makes room */
    cor__overlays_clear(&o);
    a = add_flow(&o, MINSK, CHERNIHIV, 50);
    free(a->places[1].name);
    a->places[1] = (cor__ov_place_t){NULL, HOMYEL, true};
    ck_assert(cor__overlay_add_place(a, NULL, CHERNIHIV));
    b = add_flow(&o, MINSK, 31.5, 51.8, 50);
    b->bend = 0.02;
    double d_given =
        angle_between(leaving_angle(&o, 0, ax, ay, 15), leaving_angle(&o, 1, ax, ay, 15));
    ck_assert_msg(d_given < 20 * M_PI / 180, "%g degrees", d_given * 180 / M_PI);
    b->bend = NAN;
    d_fan = angle_between(leaving_angle(&o, 0, ax, ay, 15), leaving_angle(&o, 1, ax, ay, 15));
    ck_assert_msg(d_fan > 22 * M_PI / 180, "%g degrees", d_fan * 180 / M_PI);
    cor__overlays_clear(&o);
}
END_TEST

START_TEST(test_flow_through_via_place)
{
    canvas_t c = canvas_new();
    cor__overlays_t o = {0};
    cor__overlay_t *f = add_flow(&o, MINSK, CHERNIHIV, 0); /* the minimum width: 1.2 pt */
    f->places[1] = (cor__ov_place_t){NULL, HOMYEL, true};
    ck_assert(cor__overlay_add_place(f, NULL, CHERNIHIV));
    draw(&c, &o, NULL);
    double vx, vy;
    page_of(HOMYEL, &vx, &vy);
    /* the 1.2 pt line covers the via place: its middle lies within 0.6 pt of it */
    ck_assert_msg(ink_pt(&c, vx, vy) > 0.5, "ink %g at the via place", ink_pt(&c, vx, vy));
    /* and it is a curve, not two straight pieces: off the chord Minsk-Chernihiv */
    double ax, ay, bx, by;
    page_of(MINSK, &ax, &ay);
    page_of(CHERNIHIV, &bx, &by);
    double t = 0.3, px = ax + t * (bx - ax), py = ay + t * (by - ay);
    ck_assert(ink_pt(&c, px, py) < 0.02);
    cor__overlays_clear(&o);
    canvas_free(&c);
}
END_TEST

START_TEST(test_flow_labels_stack_clear)
{
    canvas_t c = canvas_new();
    cor__labeler_t *lb = NULL;
    cor_error_t err;
    cor_error_clear(&err);
    ck_assert_int_eq(cor__labeler_new(W_PT, H_PT, &lb, &err), COR_OK);
    cor__overlays_t o = {0};
    const double values[] = {3, 14, 52, 9};
    const char *labels[] = {"3 · 12 Feb 2025", "14 · 21 Jun 2025", "52 · 11 Sep 2025",
                            "9 · 13 Dec 2025"};
    for (size_t i = 0; i < 4; i++)
        add_flow(&o, MINSK, VILNIUS, values[i])->label = cor__strdup(labels[i]);
    cor__overlay_t *k = add_flow(&o, MINSK, KYIV, 114);
    k->label = cor__strdup("114 · 13 Dec 2025");
    draw(&c, &o, lb);
    cor__labeler_place(lb);
    long placed, dropped;
    cor__labeler_counts(lb, &placed, &dropped);
    ck_assert_int_eq(placed, 5);
    ck_assert_int_eq(dropped, 0);
    cor_bbox_t box[5];
    for (size_t i = 0; i < 5; i++) {
        const char *text;
        const cor_bbox_t *b;
        size_t nb;
        ck_assert(cor__labeler_placed(lb, i, &text, &b, &nb));
        ck_assert_uint_eq(nb, 1);
        box[i] = *b;
        /* clear of every flow: no ink of theirs under the label */
        double under = 0;
        for (double y = b->miny + 0.5; y < b->maxy - 0.5; y += 0.5)
            for (double x = b->minx + 0.5; x < b->maxx - 0.5; x += 0.5)
                under = fmax(under, ink_pt(&c, x, y));
        ck_assert_msg(under < 0.02, "'%s' covers a flow", text);
    }
    for (int i = 0; i < 5; i++) /* and of each other */
        for (int j = i + 1; j < 5; j++)
            ck_assert(!cor__bbox_intersects(&box[i], &box[j]));
    /* the bundle's labels are stacked in declaration order, top to bottom */
    for (size_t i = 0; i + 1 < 4; i++)
        ck_assert(box[i].miny < box[i + 1].miny);
    cor__labeler_free(lb);
    cor__overlays_clear(&o);
    canvas_free(&c);
}
END_TEST

START_TEST(test_route_label_with_note)
{
    canvas_t c = canvas_new();
    cor__labeler_t *lb = NULL;
    cor_error_t err;
    cor_error_clear(&err);
    ck_assert_int_eq(cor__labeler_new(W_PT, H_PT, &lb, &err), COR_OK);
    cor__overlays_t o = {0};
    cor__overlay_t *r = add_route(&o, 25, 55, 31, 56);
    r->label = cor__strdup("Potash");
    r->schematic = true;
    draw(&c, &o, lb);
    cor__labeler_place(lb);
    long placed, dropped;
    cor__labeler_counts(lb, &placed, &dropped);
    ck_assert_msg(placed == 1 && dropped == 0, "%ld placed, %ld dropped", placed, dropped);
    const char *text;
    const cor_bbox_t *b;
    size_t nb;
    ck_assert(cor__labeler_placed(lb, 0, &text, &b, &nb));
    ck_assert_str_eq(text, "Potash (route approximate)");
    ck_assert_uint_gt(nb, 10); /* along the line: one box per cluster */
    double under = 0;
    for (size_t i = 0; i < nb; i++) /* beside the line, not on it */
        for (double y = b[i].miny + 0.3; y < b[i].maxy - 0.3; y += 0.4)
            for (double x = b[i].minx + 0.3; x < b[i].maxx - 0.3; x += 0.4)
                under = fmax(under, ink_pt(&c, x, y));
    ck_assert(under < 0.02);
    cor__labeler_free(lb);
    cor__overlays_clear(&o);
    canvas_free(&c);
}
END_TEST

/* ---- markers, areas, callouts, keys ---- */

START_TEST(test_markers_centred_with_labels)
{
    canvas_t c = canvas_new();
    cor__labeler_t *lb = NULL;
    cor_error_t err;
    cor_error_clear(&err);
    ck_assert_int_eq(cor__labeler_new(W_PT, H_PT, &lb, &err), COR_OK);
    cor__overlays_t o = {0};
    cor__overlay_t *m = cor__overlays_add(&o, COR__OV_MARKER);
    ck_assert(cor__overlay_add_place(m, NULL, 26.01, 54.33)); /* off the pixel grid */
    m->look.marker = COR__MARKER_PORT;
    m->look.size = 12;
    m->look.fill_on = true;
    m->look.fill = BLACK;
    m->label = cor__strdup("Klaipėda");
    draw(&c, &o, lb);
    double x, y, mass = 0, cx = 0, cy = 0;
    page_of(26.01, 54.33, &x, &y);
    double *all = ink_all(&c);
    for (int py = 0; py < height_px(&c); py++)
        for (int px = 0; px < width_px(&c); px++) {
            double v = all[(size_t)py * width_px(&c) + px];
            mass += v;
            cx += v * (px + 0.5);
            cy += v * (py + 0.5);
        }
    free(all);
    ck_assert(mass > 100);
    ck_assert_msg(fabs(cx / mass - x * SCALE) <= 0.5 && fabs(cy / mass - y * SCALE) <= 0.5,
                  "centred at %g, %g px, not %g, %g", cx / mass, cy / mass, x * SCALE, y * SCALE);
    cor__labeler_place(lb);
    const char *text;
    const cor_bbox_t *b;
    size_t nb;
    ck_assert(cor__labeler_placed(lb, 0, &text, &b, &nb));
    ck_assert_str_eq(text, "Klaipėda");
    cor_bbox_t sym = {x - 6, y - 6, x + 6, y + 6};
    ck_assert(!cor__bbox_intersects(b, &sym)); /* beside the symbol, not on it */
    cor__labeler_free(lb);
    cor__overlays_clear(&o);
    canvas_free(&c);
}
END_TEST

START_TEST(test_area_hatched)
{
    canvas_t c = canvas_new();
    cor__overlays_t o = {0};
    cor__overlay_t *a = cor__overlays_add(&o, COR__OV_AREA);
    ck_assert(cor__overlay_add_place(a, NULL, 25, 55)); /* (150, 150) to (210, 180) */
    ck_assert(cor__overlay_add_place(a, NULL, 27, 55));
    ck_assert(cor__overlay_add_place(a, NULL, 27, 54));
    ck_assert(cor__overlay_add_place(a, NULL, 25, 54));
    a->look.fill_on = true;
    a->look.fill = RED;
    a->hatch = true;
    draw(&c, &o, NULL);
    int inked = 0, clear = 0, rgb[3];
    for (double y = 151; y < 179; y += 0.25)
        for (double x = 151; x < 209; x += 0.25) {
            rgb_pt(&c, x, y, rgb);
            inked += is_color(rgb, 255, 0, 0, 20);
            clear += is_color(rgb, 255, 255, 255, 0);
        }
    ck_assert_msg(inked > 1000 && clear > 3 * inked, "inked %d, clear %d", inked, clear);
    for (double x = 140; x < 220; x += 0.25) { /* nothing outside */
        ck_assert(ink_pt(&c, x, 149.7) < 0.01);
        ck_assert(ink_pt(&c, x, 180.3) < 0.01);
    }
    cor__overlays_clear(&o);
    canvas_free(&c);
}
END_TEST

START_TEST(test_callout_box_leader_and_svg_text)
{
    canvas_t c = canvas_new();
    cor__overlays_t o = {0};
    cor__overlay_t *co = cor__overlays_add(&o, COR__OV_CALLOUT);
    ck_assert(cor__overlay_add_place(co, NULL, 25, 55)); /* (150, 150) */
    co->label = cor__strdup("Balloons");
    co->dx = 40;
    co->dy = -30;
    cor__buf_t svg = {0};
    cor__textout_t to = {c.cr, &svg};
    cor_error_t err;
    cor_error_clear(&err);
    size_t skipped = 1;
    ck_assert_msg(cor__overlays_draw_to(&o, &to, to_page, NULL, NULL, &skipped, &err) == COR_OK,
                  "%s", err.message);
    ck_assert_uint_eq(skipped, 0);
    ck_assert_ptr_nonnull(svg.data);
    ck_assert_msg(strstr(svg.data, "Balloons") != NULL, "%s", svg.data);
    /* the box is centred at (190, 120); the leader runs from the place towards it */
    ck_assert(ink_pt(&c, 150, 150) > 0.5); /* the dot at the place */
    double leader = 0; /* the leader, towards the box's nearest corner, up and right */
    for (double a = -80; a <= -10; a += 0.5)
        leader =
            fmax(leader, ink_pt(&c, 150 + 8 * cos(a * M_PI / 180), 150 + 8 * sin(a * M_PI / 180)));
    ck_assert(leader > 0.3);
    ck_assert(ink_pt(&c, 190, 120) < 0.2); /* text went to the SVG */
    double left = -1;
    for (double x = 150; x < 190 && left < 0; x += 0.25)
        if (ink_pt(&c, x, 120) > 0.3)
            left = x;
    ck_assert(left > 160 && left < 180); /* the box's border */
    cor__buf_free(&svg);

    canvas_t d = canvas_new(); /* without SVG the text is drawn */
    draw(&d, &o, NULL);
    double text_ink = 0;
    for (double x = 175; x < 205; x += 0.25)
        for (double y = 116; y < 124; y += 0.25)
            text_ink += ink_pt(&d, x, y);
    ck_assert(text_ink > 20);
    canvas_free(&d);
    cor__overlays_clear(&o);
    canvas_free(&c);
}
END_TEST

/* Draws ov's key in a box and checks the ink stays inside and is there (or not, for callouts). */
static void check_key(cor__overlays_t *o, cor__overlay_t *ov, double w, double h, bool drawn)
{
    canvas_t c = canvas_new();
    const double x = 100.3, y = 100.6;
    cor__overlay_draw_key(c.cr, o, ov, x, y, w, h);
    ck_assert_int_eq(cairo_status(c.cr), CAIRO_STATUS_SUCCESS);
    double inside = 0, outside = 0, *all = ink_all(&c);
    for (int py = 0; py < height_px(&c); py++)
        for (int px = 0; px < width_px(&c); px++) {
            double v = all[(size_t)py * width_px(&c) + px];
            double gx = px / SCALE, gy = py / SCALE;
            if (gx >= x - 0.25 && gx < x + w && gy >= y - 0.25 && gy < y + h)
                inside += v;
            else
                outside += v;
        }
    free(all);
    ck_assert_msg(outside < 0.01, "kind %d: ink %g outside its %gx%g box", (int)ov->kind, outside,
                  w, h);
    if (drawn)
        ck_assert_msg(inside > 10, "kind %d: only %g ink", (int)ov->kind, inside);
    else
        ck_assert(inside == 0);
    canvas_free(&c);
}

START_TEST(test_legend_keys_inside_their_boxes)
{
    cor__overlays_t o = {0};
    cor__overlay_t *r = add_route(&o, MINSK, VILNIUS);
    r->look.width = 6;
    r->look.casing_on = true;
    r->look.casing = RED;
    r->look.casing_width = 3;
    r->look.cap = COR__CAP_ROUND;
    r->arrow = COR__ARROW_BOTH;
    r->blocked = true;
    cor__overlay_t *f = add_flow(&o, MINSK, KYIV, 114);
    f->look.casing_on = true;
    f->look.casing = RED;
    f->look.casing_width = 1;
    cor__overlay_t *m = cor__overlays_add(&o, COR__OV_MARKER);
    m->look.marker = COR__MARKER_MINE;
    m->look.size = 30;
    m->look.fill_on = true;
    m->look.fill = BLACK;
    cor__overlay_t *a = cor__overlays_add(&o, COR__OV_AREA);
    a->look.fill_on = true;
    a->look.fill = BLACK;
    a->look.stroke_on = true;
    a->look.stroke = RED;
    a->look.width = 2;
    a->hatch = true;
    cor__overlay_t *co = cor__overlays_add(&o, COR__OV_CALLOUT);
    co->label = cor__strdup("text");
    const double sizes[][2] = {{24, 10}, {40, 14}, {16, 6}};
    for (size_t i = 0; i < COR__ARRAY_LEN(sizes); i++) {
        for (size_t k = 0; k < o.n; k++)
            check_key(&o, &o.items[k], sizes[i][0], sizes[i][1],
                      o.items[k].kind != COR__OV_CALLOUT);
    }
    /* the blocked route's key shows its barrier: the bar crosses the middle */
    canvas_t c = canvas_new();
    r->look.casing_on = false;
    r->arrow = COR__ARROW_NONE;
    r->look.width = 2;
    r->look.stroke = BLACK;
    cor__overlay_draw_key(c.cr, &o, r, 100, 100, 40, 14);
    ck_assert(ink_pt(&c, 120.1, 103.5) > 0.9 && ink_pt(&c, 120.1, 110.5) > 0.9); /* 8 pt long */
    ck_assert(ink_pt(&c, 110, 103.5) < 0.01 && ink_pt(&c, 120.1, 101.5) < 0.01);
    canvas_free(&c);
    cor__overlays_clear(&o);
}
END_TEST

static Suite *overlay_suite(void)
{
    Suite *s = suite_create("overlay");
    TCase *tc = tcase_create("failures");
    tcase_add_test(tc, test_resolve_unknown_place);
    tcase_add_test(tc, test_model);
    tcase_add_test(tc, test_draw_failures_and_skips);
    tcase_add_test(tc, test_hidden_groups_not_drawn);
    suite_add_tcase(s, tc);
    tc = tcase_create("geometry");
    tcase_add_test(tc, test_arrowhead_geometry);
    tcase_add_test(tc, test_flow_width);
    tcase_add_test(tc, test_flow_min_value);
    tcase_add_test(tc, test_bundle_takes_flows_of_its_bend);
    tcase_add_test(tc, test_band_widths_at_places);
    tcase_add_test(tc, test_band_joins_and_u_turn);
    tcase_add_test(tc, test_band_of_two_places_and_zero_values);
    tcase_add_test(tc, test_band_drawn);
    tcase_add_test(tc, test_band_labels_at_places);
    tcase_add_test(tc, test_route_with_value_on_the_flow_scale);
    tcase_add_test(tc, test_band_to_svg);
    tcase_add_test(tc, test_route_stops_under_head);
    tcase_add_test(tc, test_route_arrow_start_and_casing);
    tcase_add_test(tc, test_blocked_route_barrier);
    suite_add_tcase(s, tc);
    tc = tcase_create("flows");
    tcase_add_test(tc, test_bundle_never_overlaps);
    tcase_add_test(tc, test_flow_ends_clear_of_places);
    tcase_add_test(tc, test_flows_fan_out);
    tcase_add_test(tc, test_flow_through_via_place);
    tcase_add_test(tc, test_flow_labels_stack_clear);
    tcase_add_test(tc, test_route_label_with_note);
    suite_add_tcase(s, tc);
    tc = tcase_create("symbols");
    tcase_add_test(tc, test_markers_centred_with_labels);
    tcase_add_test(tc, test_area_hatched);
    tcase_add_test(tc, test_callout_box_leader_and_svg_text);
    tcase_add_test(tc, test_legend_keys_inside_their_boxes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    int rc = cor_test_run(overlay_suite());
    cor__text_reset();
    return rc;
}
