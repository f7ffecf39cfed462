/* SPDX-License-Identifier: MIT */
/* furniture_parts: the furniture's common kit: its text styles (sizes grow with the page factor
 * k), lists of text items, text wrapped to a measure, numbers as maps print them, panels and the
 * lon/lat -> page mapping. It must not place or lay out any piece: the piece files and the layout
 * (furniture.c) do, with these. */
#include "furniture_parts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paint.h"
#include "util.h"

/* Text sizes in points on the reference page, multiplied by the page factor k. */
#define TITLE_SIZE        13.0
#define SUBTITLE_SIZE     8.0
#define CREDITS_SIZE      5.5
#define LEGEND_TITLE_SIZE 7.5
#define LEGEND_SIZE       7.0
#define SCALE_SIZE        6.0
#define NORTH_SIZE        7.0
#define TICK_SIZE         5.5
#define HALO_WIDTH        1.6 /* the scale bar's, north arrow's and graticule's texts */
#define PANEL_ALPHA       0.85
#define STRIP_ALPHA       0.75
#define HAIRLINE          0.4

static const cor_color_t SOFT_INK = {0.22, 0.22, 0.22, 1};
static const cor_color_t CREDIT_INK = {0.36, 0.36, 0.36, 1};
static const cor_color_t TICK_INK = {0.33, 0.42, 0.50, 1};
static const cor_color_t BORDER = {0.55, 0.55, 0.55, 1};
static const cor_color_t HALO = {1, 1, 1, 0.85};

/* ---- text styles and items ------------------------------------------------------------------ */

static cor__text_style_t text_style(double size, int weight, cor_color_t color, double halo)
{
    return (cor__text_style_t){.font = COR__TEXT_FONT,
                               .size = size,
                               .weight = weight,
                               .color = color,
                               .halo = halo > 0 ? HALO : COR__FURNITURE_WHITE,
                               .halo_width = halo};
}

void cor__fparts_init_styles(cor__layout_t *l)
{
    double k = l->k;
    l->ts[COR__FTS_TITLE] = text_style(TITLE_SIZE * k, 700, COR__FURNITURE_INK, 0);
    l->ts[COR__FTS_SUBTITLE] = text_style(SUBTITLE_SIZE * k, 400, SOFT_INK, 0);
    l->ts[COR__FTS_CREDITS] = text_style(CREDITS_SIZE * k, 400, CREDIT_INK, 0);
    l->ts[COR__FTS_LEGEND_TITLE] = text_style(LEGEND_TITLE_SIZE * k, 700, COR__FURNITURE_INK, 0);
    l->ts[COR__FTS_LEGEND] = text_style(LEGEND_SIZE * k, 400, COR__FURNITURE_INK, 0);
    l->ts[COR__FTS_SCALE] = text_style(SCALE_SIZE * k, 400, COR__FURNITURE_INK, HALO_WIDTH * k);
    l->ts[COR__FTS_NORTH] = text_style(NORTH_SIZE * k, 700, COR__FURNITURE_INK, HALO_WIDTH * k);
    l->ts[COR__FTS_TICK] = text_style(TICK_SIZE * k, 400, TICK_INK, HALO_WIDTH * k);
}

bool cor__fparts_items_push(cor__fitems_t *list, const char *text, cor__fts_t ts, double x,
                            double y, cor__anchor_t anchor)
{
    if (!cor__grow((void **)&list->v, &list->cap, list->n + 1, sizeof *list->v))
        return false;
    char *copy = cor__strdup(text);
    if (!copy)
        return false;
    list->v[list->n++] = (cor__fitem_t){copy, ts, x, y, anchor, {0, 0, 0, 0}};
    return true;
}

void cor__fparts_items_free(cor__fitems_t *list)
{
    for (size_t i = 0; i < list->n; i++)
        free(list->v[i].text);
    free(list->v);
    *list = (cor__fitems_t){0};
}

void cor__fparts_measure(const cor__layout_t *l, cor__fts_t id, const char *text, double *w,
                         double *h)
{
    cor__text_measure(text, &l->ts[id], w, h);
}

/* ---- numbers -------------------------------------------------------------------------------- */

void cor__fparts_format_number(double v, char *buf, size_t n)
{
    if (fabs(v) >= 1 && fabs(v) < 1e15 && v == floor(v)) {
        char digits[32], out[48];
        size_t o = 0;
        snprintf(digits, sizeof digits, "%.0f", fabs(v));
        size_t len = strlen(digits);
        if (v < 0)
            out[o++] = '-';
        for (size_t i = 0; i < len; i++) {
            if (i && (len - i) % 3 == 0)
                out[o++] = ',';
            out[o++] = digits[i];
        }
        out[o] = '\0';
        snprintf(buf, n, "%s", out);
        return;
    }
    snprintf(buf, n, "%.6f", v);
    char *end = buf + strlen(buf);
    while (end > buf && end[-1] == '0')
        *--end = '\0';
    if (end > buf && end[-1] == '.')
        end[-1] = '\0';
}

double cor__fparts_nice_floor(double v)
{
    double b = pow(10, floor(log10(v)));
    double m = v / b * (1 + 1e-12);
    if (m >= 10) /* log10 rounded down a power of ten */
        b *= 10, m /= 10;
    return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * b;
}

/* ---- wrapped text --------------------------------------------------------------------------- */

/* Adds one line at (x, y + *h) and grows the block's size. */
static bool emit_line(const cor__layout_t *l, cor__fitems_t *list, const char *s, cor__fts_t id,
                      double x, double y, double *w, double *h)
{
    double lw = 0, lh = 0;
    cor__fparts_measure(l, id, s, &lw, &lh);
    if (!cor__fparts_items_push(list, s, id, x, y + *h, COR__ANCHOR_LEFT))
        return false;
    *w = fmax(*w, lw);
    *h += lh;
    return true;
}

bool cor__fparts_wrap(const cor__layout_t *l, cor__fitems_t *list, const char *text, cor__fts_t id,
                      double x, double y, double maxw, double *w, double *h)
{
    cor__buf_t line = {0}, trial = {0};
    bool ok = cor__buf_puts(&line, "") && cor__buf_puts(&trial, "");
    const char *p = text;
    *w = *h = 0;
    while (ok && *p) {
        size_t n = strcspn(p, " \n");
        if (n > 0) {
            trial.len = 0;
            ok = cor__buf_printf(&trial, "%s%s%.*s", line.data, line.len ? " " : "", (int)n, p);
            double tw = 0, th = 0;
            if (ok)
                cor__fparts_measure(l, id, trial.data, &tw, &th);
            if (ok && tw > maxw && line.len) {
                ok = emit_line(l, list, line.data, id, x, y, w, h);
                line.len = 0;
                ok = ok && cor__buf_printf(&line, "%.*s", (int)n, p);
            } else if (ok) {
                line.len = 0;
                ok = cor__buf_puts(&line, trial.data);
            }
        }
        p += n;
        if (*p == '\n' && line.len) {
            ok = ok && emit_line(l, list, line.data, id, x, y, w, h);
            line.len = 0;
            line.data[0] = '\0';
        }
        if (*p)
            p++;
    }
    if (ok && line.len)
        ok = emit_line(l, list, line.data, id, x, y, w, h);
    cor__buf_free(&line);
    cor__buf_free(&trial);
    return ok;
}

/* ---- drawing -------------------------------------------------------------------------------- */

cor_status_t cor__fparts_draw_texts(const cor__layout_t *l, const cor__fitems_t *list, double ox,
                                    double oy, cor__textout_t *to, cor_error_t *err)
{
    for (size_t i = 0; i < list->n; i++) {
        const cor__fitem_t *it = &list->v[i];
        cor_status_t st =
            cor__text_draw(to, it->text, &l->ts[it->ts], ox + it->x, oy + it->y, it->anchor, err);
        if (st != COR_OK)
            return st;
    }
    return COR_OK;
}

cor_status_t cor__fparts_cairo_ok(cairo_t *cr, cor_error_t *err)
{
    cairo_status_t s = cairo_status(cr);
    if (s != CAIRO_STATUS_SUCCESS)
        return cor__fail(err, COR_ERR_RENDER, "drawing the furniture: %s",
                         cairo_status_to_string(s));
    return COR_OK;
}

void cor__fparts_panel(cairo_t *cr, cor_bbox_t b, bool strip, double k)
{
    cairo_rectangle(cr, b.minx, b.miny, b.maxx - b.minx, b.maxy - b.miny);
    cairo_set_source_rgba(cr, 1, 1, 1, strip ? STRIP_ALPHA : PANEL_ALPHA);
    if (strip) {
        cairo_fill(cr);
        return;
    }
    cairo_fill_preserve(cr);
    cairo_new_path(cr);
    cor__fparts_frame(cr, b, HAIRLINE * fmin(k, 1.25), BORDER);
}

void cor__fparts_frame(cairo_t *cr, cor_bbox_t b, double w, cor_color_t color)
{
    cairo_rectangle(cr, b.minx + w / 2, b.miny + w / 2, b.maxx - b.minx - w, b.maxy - b.miny - w);
    cairo_set_line_width(cr, w);
    cor__paint_set_color(cr, color, 1);
    cairo_stroke(cr);
}

/* ---- lon/lat on the page ----------------------------------------------------------------------
 */

void cor__fparts_lonlat_page(const cor__frame_t *fr, cor__xform_t *xf, double *x, double *y,
                             size_t n)
{
    cor__xform_points(xf, false, x, y, n);
    for (size_t i = 0; i < n; i++) {
        x[i] = (x[i] - fr->box.minx) * fr->scale;
        y[i] = (fr->box.maxy - y[i]) * fr->scale;
    }
}
