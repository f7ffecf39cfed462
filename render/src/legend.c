/* SPDX-License-Identifier: MIT */
/* legend: the legend's rows (a key beside wrapped text), its flow-width scale (round values drawn
 * as wide as the flows draw them) and its keys: layers' looks through paint, overlays' keys
 * through overlay. It must not place the legend (the layout does) or change an overlay. */
#include "legend.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
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
/* The compact legend of a small page (see too_big()): entries cut short, in two columns, text
 * COMPACT_TEXT of its size but at least COMPACT_MIN_PX pixels at the output's dpi and
 * COMPACT_MIN_PT points, keys COMPACT_KEY of theirs. */
#define COMPACT_HEIGHT     0.45
#define COMPACT_AREA       0.15
#define COMPACT_TEXT       0.85
#define COMPACT_MIN_PX     9.0
#define COMPACT_MIN_PT     4.5
#define COMPACT_KEY        0.8
#define COMPACT_TEXT_SHARE 0.25 /* widest text of a compact entry, as a share of the page width */
#define COMPACT_COL_GAP    6.0

static const cor_color_t SAMPLE_INK = {0.36, 0.36, 0.36, 1};

/* ---- layout --------------------------------------------------------------------------------- */

/* Returns: whether the entry is drawn on the flow scale: a flow, a band or a valued route. */
static bool is_flow(const cor__legend_entry_t *e)
{
    const cor__overlay_t *ov = e->overlay;
    return ov && (ov->kind == COR__OV_FLOW || (ov->kind == COR__OV_ROUTE && ov->value > 0));
}

/* A compact legend's entry: its text up to the first ": " or " (" ("Released in the deal: 114 to
 * Ukraine" reads "Released in the deal"). Returns: a malloc'd copy; NULL on exhaustion. */
static char *short_text(const char *text)
{
    char *s = cor__strdup(text);
    if (!s)
        return NULL;
    char *colon = strstr(s, ": "), *paren = strstr(s, " (");
    char *cut = colon && (!paren || colon < paren) ? colon : paren;
    if (cut && cut > s)
        *cut = '\0';
    return s;
}

/* Adds one entry's key and text at (x, *y) and moves *y below them. */
static bool legend_row(cor__layout_t *l, const cor__legend_entry_t *e, double x, double tmax,
                       double *y, double *right)
{
    cor__fpiece_t *p = &l->parts[COR__FPART_LEGEND];
    double k = l->k, kw = KEY_W * k, kh = KEY_H * k, lw = 0, lh = 0, tw = 0, th = 0;
    if (l->legend_compact)
        kw *= COMPACT_KEY, kh *= COMPACT_KEY;
    cor__fparts_measure(l, COR__FTS_LEGEND, "Ag", &lw, &lh);
    double key_y = *y + fmax(0, (lh - kh) / 2), text_y = *y + fmax(0, (kh - lh) / 2);
    double tx = x + kw + KEY_GAP * k;
    if (cor__fparts_has_text(e->text)) {
        char *text = l->legend_compact ? short_text(e->text) : NULL;
        if (l->legend_compact && !text)
            return false;
        bool ok = cor__fparts_wrap(l, &p->texts, text ? text : e->text, COR__FTS_LEGEND, tx, text_y,
                                   tmax, &tw, &th);
        free(text);
        if (!ok)
            return false;
    }
    l->keys[l->nkeys++] = (cor__legend_key_t){x, key_y, kw, kh, e->overlay, e->kind, e->look};
    *right = fmax(*right, tw > 0 ? tx + tw : x + kw);
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

/* A smaller text size for the compact legend, never below the floor in pixels at the output's
 * resolution nor COMPACT_MIN_PT, nor above the size it had. */
static double compact_size(const cor__layout_t *l, double size)
{
    double floor_pt = fmax(COMPACT_MIN_PT, l->dpi > 0 ? COMPACT_MIN_PX * 72.0 / l->dpi : 0);
    return fmin(size, fmax(size * COMPACT_TEXT, floor_pt));
}

/* Empties what a previous build of the legend left. */
static void legend_reset(cor__layout_t *l)
{
    cor__fpiece_t *p = &l->parts[COR__FPART_LEGEND];
    cor__fparts_items_free(&p->texts);
    l->nkeys = 0, l->nsamples = 0;
    p->on = false;
}

/* Lays the title, the rows (in two columns when compact and the layout asks for two, the first
 * holding the first half) and
 * the flow-width scale out, and sizes the legend's box. */
static bool build_rows(cor__layout_t *l, const cor__furniture_t *f,
                       const cor__legend_entry_t *entries, size_t n)
{
    cor__fpiece_t *p = &l->parts[COR__FPART_LEGEND];
    double k = l->k, pad = COR__FURNITURE_PAD * k, y = pad, right = 0, w = 0, h = 0;
    const cor__overlay_t *first_flow = NULL;
    double tmax = fmax(fmin(LEGEND_TEXT_MAX * k, LEGEND_TEXT_SHARE * l->width), 40 * k);
    if (l->legend_compact)
        tmax = fmax(COMPACT_TEXT_SHARE * l->width, 30 * k);
    if (cor__fparts_has_text(f->legend_title)) {
        if (!cor__fparts_wrap(l, &p->texts, f->legend_title, COR__FTS_LEGEND_TITLE, pad, y,
                              tmax + (KEY_W + KEY_GAP) * k, &w, &h))
            return false;
        right = pad + w;
        y += h + ROW_GAP * k;
    }
    size_t split = l->legend_compact && l->legend_columns == 2 ? (n + 1) / 2 : n;
    double top = y, x = pad, bottom = y;
    for (size_t i = 0; i < n; i++) {
        if (i == split && split > 0) { /* the second column, beside the first */
            x = right + COMPACT_COL_GAP * k, bottom = fmax(bottom, y), y = top;
        }
        if (!legend_row(l, &entries[i], x, tmax, &y, &right))
            return false;
        if (!first_flow && is_flow(&entries[i]))
            first_flow = entries[i].overlay;
    }
    y = fmax(bottom, y);
    if (first_flow && !flow_scale(l, f, first_flow, &y, &right))
        return false;
    p->on = true;
    p->corner = f->legend;
    p->w = right + pad;
    p->h = y - ROW_GAP * k + pad;
    return true;
}

/* Returns: whether the legend as laid out takes too much of a small page: more than
 * COMPACT_HEIGHT of the map's height (the page above the credits) or COMPACT_AREA of the page. */
static bool too_big(const cor__layout_t *l)
{
    const cor__fpiece_t *p = &l->parts[COR__FPART_LEGEND], *c = &l->parts[COR__FPART_CREDITS];
    double map_h = l->height - (c->on ? c->h : 0);
    return p->h > COMPACT_HEIGHT * map_h || p->w * p->h > COMPACT_AREA * l->width * l->height;
}

bool cor__legend_build(cor__layout_t *l, const cor__furniture_t *f,
                       const cor__legend_entry_t *entries, size_t n)
{
    if (f->legend == COR__CORNER_NONE || (n == 0 && !cor__fparts_has_text(f->legend_title)))
        return true;
    if (!(l->keys = cor__calloc(n ? n : 1, sizeof *l->keys)))
        return false;
    l->legend_compact = false;
    if (!build_rows(l, f, entries, n))
        return false;
    if (!too_big(l))
        return true;
    legend_reset(l);
    l->legend_compact = true;
    cor__text_style_t *ts = l->ts;
    ts[COR__FTS_LEGEND].size = compact_size(l, ts[COR__FTS_LEGEND].size);
    ts[COR__FTS_LEGEND_TITLE].size = compact_size(l, ts[COR__FTS_LEGEND_TITLE].size);
    return build_rows(l, f, entries, n);
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
