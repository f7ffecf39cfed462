/* legend: the legend's rows (a key beside wrapped text), its flow-width scale (round values drawn
 * as wide as the flows draw them) and its keys: layers' looks through paint, overlays' keys
 * through overlay. It must not place the legend (the layout does) or change an overlay. */
#include "legend.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "furniture_parts.h"
#include "paint.h"
#include "util.h"
#include "overlay_draw.h"

#define KEY_W             22.0
#define KEY_H             10.0
#define KEY_GAP           5.0 /* key to its text */
#define ROW_GAP           3.0
#define LEGEND_TEXT_MAX   150.0 /* widest legend text; also at most LEGEND_TEXT_SHARE of the page */
#define LEGEND_TEXT_SHARE 0.6
#define SAMPLE_LEN        12.0 /* a flow-width sample bar */
#define SAMPLE_GAP        6.0  /* between one sample's number and the next bar */
/* samples whose widths differ by less than SAMPLE_MIN_STEP read the same: one is dropped */
#define SAMPLE_MIN_STEP 0.5

static const cor_color_t SAMPLE_INK = {0.36, 0.36, 0.36, 1};

/* ---- layout --------------------------------------------------------------------------------- */

/* Returns: whether the entry is drawn on the flow scale: a flow, a band or a valued route. */
static bool is_flow(const cor__legend_entry_t *e)
{
    const cor__overlay_t *ov = e->overlay;
    return ov && (ov->kind == COR__OV_FLOW || (ov->kind == COR__OV_ROUTE && ov->value > 0));
}

/* Adds one entry's key and text at *y and moves *y below them. */
static bool legend_row(cor__layout_t *l, const cor__legend_entry_t *e, double tmax, double *y,
                       double *right)
{
    cor__fpiece_t *p = &l->parts[COR__FPART_LEGEND];
    double k = l->k, pad = COR__FURNITURE_PAD * k, kw = KEY_W * k, kh = KEY_H * k, lw = 0, lh = 0,
           tw = 0, th = 0;
    cor__fparts_measure(l, COR__FTS_LEGEND, "Ag", &lw, &lh);
    double key_y = *y + fmax(0, (lh - kh) / 2), text_y = *y + fmax(0, (kh - lh) / 2);
    double tx = pad + kw + KEY_GAP * k;
    if (cor__fparts_has_text(e->text) &&
        !cor__fparts_wrap(l, &p->texts, e->text, COR__FTS_LEGEND, tx, text_y, tmax, &tw, &th))
        return false;
    l->keys[l->nkeys++] = (cor__legend_key_t){pad, key_y, kw, kh, e->overlay, e->kind, e->look};
    *right = fmax(*right, tw > 0 ? tx + tw : pad + kw);
    *y = fmax(key_y + kh, text_y + th) + ROW_GAP * k;
    return true;
}

/* The values of the flow-width scale for the largest flow `max`: the largest round value not
 * above it, its half and its tenth (rounded down to 1, 2, 5 x 10^n), with the widths flows of
 * those values are drawn at; a value whose width reads the same as the smaller one's replaces
 * it. Flows below the scale's minimum value are all drawn at the readable minimum: a sample
 * there becomes the largest round value below it, marked in *floor (its number reads "≤ v"),
 * so the legend never shows a small value at a width that belongs to a range of them.
 * Returns: how many there are (0 to 3). */
static int sample_values(const cor__layout_t *l, double max, double values[3], double widths[3],
                         bool *floor)
{
    double top = cor__fparts_nice_floor(max), vmin = cor__flow_min_value(l->ov, max);
    double v[3] = {cor__fparts_nice_floor(top / 10), cor__fparts_nice_floor(top / 2), top};
    bool mins[3] = {false, false, false};
    int n = 0;
    for (int i = 0; i < 3; i++) {
        bool at_min = v[i] < vmin;
        double vi = at_min ? cor__fparts_nice_floor(vmin) : v[i];
        double w = cor__flow_width(l->ov, vi, max);
        if (!(w > 0) || !isfinite(w) || (n > 0 && vi <= values[n - 1]))
            continue;
        if (n > 0 && w - widths[n - 1] < SAMPLE_MIN_STEP * l->k)
            n--; /* reads as the same width as the smaller one: keep the larger value */
        values[n] = vi, widths[n] = w, mins[n++] = at_min;
    }
    *floor = n > 0 && mins[0];
    return n;
}

/* A sample's number ("≤ 20" for the one standing for every flow at the minimum width), with the
 * flow unit after it when it is the last. */
static void sample_text(const cor__furniture_t *f, double value, bool floor, bool last, char *text,
                        size_t n)
{
    char num[48];
    bool unit = last && cor__fparts_has_text(f->flow_unit);
    cor__fparts_format_number(value, num, sizeof num);
    snprintf(text, n, "%s%s%s%s", floor ? "\xe2\x89\xa4 " : "", num, unit ? " " : "",
             unit ? f->flow_unit : "");
}

/* The flow-width scale: up to three bars for round values, each as wide as cor__flow_width()
 * draws that value, with its number, and the unit after the last. */
static bool flow_scale(cor__layout_t *l, const cor__furniture_t *f, const cor__overlay_t *first,
                       double *y, double *right)
{
    cor__fpiece_t *p = &l->parts[COR__FPART_LEGEND];
    double max = l->ov ? cor__overlays_max_flow(l->ov) : 0, k = l->k, lw = 0, lh = 0;
    if (!(max > 0) || !isfinite(max))
        return true;
    double values[3], widths[3], x = COR__FURNITURE_PAD * k, row = 0;
    bool floor = false;
    int n = sample_values(l, max, values, widths, &floor);
    cor__fparts_measure(l, COR__FTS_LEGEND, "0", &lw, &lh);
    for (int i = 0; i < n; i++)
        row = fmax(row, widths[i]);
    row = fmax(row, lh);
    for (int i = 0; i < n; i++) {
        char text[160];
        double tw = 0, th = 0;
        sample_text(f, values[i], floor && i == 0, i == n - 1, text, sizeof text);
        l->samples[l->nsamples++] =
            (cor__flow_sample_t){x, *y + row / 2, SAMPLE_LEN * k, widths[i]};
        x += SAMPLE_LEN * k + 2 * k;
        if (!cor__fparts_items_push(&p->texts, text, COR__FTS_LEGEND, x, *y + (row - lh) / 2,
                                    COR__ANCHOR_LEFT))
            return false;
        cor__fparts_measure(l, COR__FTS_LEGEND, text, &tw, &th);
        *right = fmax(*right, x + tw);
        x += tw + SAMPLE_GAP * k;
    }
    l->sample_color =
        first->look.stroke_on && first->look.stroke.a > 0 ? first->look.stroke : SAMPLE_INK;
    l->sample_color.a = 1;
    *y += row + ROW_GAP * k;
    return true;
}

bool cor__legend_build(cor__layout_t *l, const cor__furniture_t *f,
                       const cor__legend_entry_t *entries, size_t n)
{
    cor__fpiece_t *p = &l->parts[COR__FPART_LEGEND];
    double k = l->k, pad = COR__FURNITURE_PAD * k, y = pad, right = 0, w = 0, h = 0;
    const cor__overlay_t *first_flow = NULL;
    if (f->legend == COR__CORNER_NONE || (n == 0 && !cor__fparts_has_text(f->legend_title)))
        return true;
    double tmax = fmax(fmin(LEGEND_TEXT_MAX * k, LEGEND_TEXT_SHARE * l->width), 40 * k);
    if (!(l->keys = cor__calloc(n, sizeof *l->keys)))
        return false;
    if (cor__fparts_has_text(f->legend_title)) {
        if (!cor__fparts_wrap(l, &p->texts, f->legend_title, COR__FTS_LEGEND_TITLE, pad, y,
                              tmax + (KEY_W + KEY_GAP) * k, &w, &h))
            return false;
        right = pad + w;
        y += h + ROW_GAP * k;
    }
    for (size_t i = 0; i < n; i++) {
        if (!legend_row(l, &entries[i], tmax, &y, &right))
            return false;
        if (!first_flow && is_flow(&entries[i]))
            first_flow = entries[i].overlay;
    }
    if (first_flow && !flow_scale(l, f, first_flow, &y, &right))
        return false;
    p->on = true;
    p->corner = f->legend;
    p->w = right + pad;
    p->h = y - ROW_GAP * k + pad;
    return true;
}

/* ---- drawing -------------------------------------------------------------------------------- */

/* A layer's key: a swatch for polygons, a line for lines, a marker for points. Widths are capped
 * so a heavy look still fits its box. */
static void draw_layer_key(cairo_t *cr, const cor__legend_key_t *key, double x, double y, double k)
{
    double px[5], py[5];
    size_t parts[2] = {0, 0};
    cor__look_t look = key->look;
    cor__geom_t g = {.kind = key->kind, .x = px, .y = py, .parts = parts, .nparts = 1};
    if (key->kind == COR__GEOM_POLYGON) {
        double e = 0.5 * k;
        double xs[5] = {x + e, x + key->w - e, x + key->w - e, x + e, x + e};
        double ys[5] = {y + e, y + e, y + key->h - e, y + key->h - e, y + e};
        memcpy(px, xs, sizeof xs), memcpy(py, ys, sizeof ys);
        g.npoints = parts[1] = 5;
        look.width = fmin(look.width, 1.5 * k);
        look.ndash = look.ndash > 0 && look.width > 0 ? look.ndash : 0;
        cor__paint_fill(cr, &g, &look);
        cor__paint_stroke(cr, &g, &look, false);
    } else if (key->kind == COR__GEOM_LINE) {
        px[0] = x, px[1] = x + key->w, py[0] = py[1] = y + key->h / 2;
        g.npoints = parts[1] = 2;
        look.width = fmin(look.width, key->h * 0.6);
        look.casing_width = fmin(look.casing_width, key->h * 0.4);
        cor__paint_stroke(cr, &g, &look, true);
        cor__paint_stroke(cr, &g, &look, false);
    } else if (key->kind == COR__GEOM_POINT) {
        double size = look.size > 0 ? fmin(look.size, key->h + 2 * k) : key->h * 0.6;
        cor__paint_marker(cr, look.marker ? look.marker : COR__MARKER_CIRCLE, x + key->w / 2,
                          y + key->h / 2, size, &look);
    }
}

static void draw_keys(const cor__layout_t *l, cairo_t *cr)
{
    const cor__fpiece_t *p = &l->parts[COR__FPART_LEGEND];
    double ox = p->box.minx, oy = p->box.miny;
    for (size_t i = 0; i < l->nkeys; i++) {
        const cor__legend_key_t *key = &l->keys[i];
        cairo_save(cr);
        if (key->overlay)
            cor__overlay_draw_key(cr, l->ov, key->overlay, ox + key->x, oy + key->y, key->w,
                                  key->h);
        else
            draw_layer_key(cr, key, ox + key->x, oy + key->y, l->k);
        cairo_restore(cr);
    }
    cairo_save(cr);
    cor__paint_set_color(cr, l->sample_color, 1);
    for (int i = 0; i < l->nsamples; i++) {
        const cor__flow_sample_t *s = &l->samples[i];
        cairo_rectangle(cr, ox + s->x, oy + s->y - s->width / 2, s->len, s->width);
        cairo_fill(cr);
    }
    cairo_restore(cr);
}

void cor__legend_draw(const cor__layout_t *l, cairo_t *cr)
{
    if (!l->parts[COR__FPART_LEGEND].on)
        return;
    cor__fparts_panel(cr, l->parts[COR__FPART_LEGEND].box, false, l->k);
    draw_keys(l, cr);
}
