/* SPDX-License-Identifier: MIT */
/* Helpers shared by the text and labeler suites: the test text style, measuring, canvases in
 * points at SCALE pixels each, and SVG checks with xmllint (skipped, and said so, without it).
 * Everything is static inline so that each suite takes only what it uses. */
#ifndef COR_TEXT_TESTUTIL_H
#define COR_TEXT_TESTUTIL_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sys/wait.h>

#include "files.h"
#include "testutil.h"
#include "text.h"
#include "util.h"

static const cor_color_t BLACK = {0, 0, 0, 1};
static const cor_color_t WHITE = {1, 1, 1, 1};
static const cor_color_t RED = {1, 0, 0, 1};
static const cor_color_t GREY = {0.5, 0.5, 0.5, 1};

static inline cor__text_style_t style(double size)
{
    return (cor__text_style_t){
        .size = size, .weight = 400, .color = BLACK, .halo = WHITE, .halo_width = 2};
}

static inline double width_of(const char *text, const cor__text_style_t *ts)
{
    double w = -1, h = -1;
    cor__text_measure(text, ts, &w, &h);
    return w;
}

/* Runs a shell command. Returns: its exit status, or -1 when `tool` is not installed. */
static inline int run_tool(const char *tool, const char *cmd)
{
    if (!cor_test_need_tool(tool, cmd))
        return -1;
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 99;
}

/* Wraps SVG fragments in a document of w x h pt as cairo writes it: viewBox in points. */
static inline char *svg_document(const char *dir, const char *name, const char *body, double w,
                                 double h)
{
    char *path = cor__path_join(dir, name);
    char *doc =
        cor__asprintf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "
                      "xmlns=\"http://www.w3.org/2000/svg\" "
                      "xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"%gpt\" height=\"%gpt\" "
                      "viewBox=\"0 0 %g %g\" version=\"1.1\">\n<rect width=\"100%%\" "
                      "height=\"100%%\" fill=\"#d8d4c8\"/>\n%s</svg>\n",
                      w, h, w, h, body);
    cor_test_write(path, doc, strlen(doc));
    free(doc);
    return path;
}

/* Fails unless the SVG fragment parses as XML (with xmllint, when installed). */
static inline void assert_well_formed(const char *body)
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

/* Canvases measured in points, SCALE pixels a point. */
#define SCALE 4.0

typedef struct canvas {
    cairo_surface_t *s;
    cairo_t *cr;
    int w, h;
} canvas_t;

/* A canvas of w x h pt painted `bg`; release with canvas_free(). */
static inline canvas_t canvas_new(double w_pt, double h_pt, cor_color_t bg)
{
    canvas_t c = {.w = (int)(w_pt * SCALE), .h = (int)(h_pt * SCALE)};
    c.s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, c.w, c.h);
    c.cr = cairo_create(c.s);
    cairo_set_source_rgb(c.cr, bg.r, bg.g, bg.b);
    cairo_paint(c.cr);
    cairo_scale(c.cr, SCALE, SCALE);
    return c;
}

static inline void canvas_free(canvas_t *c)
{
    cairo_destroy(c->cr);
    cairo_surface_destroy(c->s);
}

/* Pixel (x, y) of an RGB24 image as 0xRRGGBB; flush the surface before reading. */
static inline unsigned pixel(cairo_surface_t *s, int x, int y)
{
    const unsigned char *row =
        cairo_image_surface_get_data(s) + (size_t)y * (size_t)cairo_image_surface_get_stride(s);
    uint32_t v;
    memcpy(&v, row + 4 * (size_t)x, 4);
    return v & 0xFFFFFF;
}

#endif
