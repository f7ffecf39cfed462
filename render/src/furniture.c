/* furniture: what frames a map for print. The layout measures and places every piece once (title
 * block, credits strip, legend, scale bar with north arrow, inset box, graticule and its edge
 * labels) and keeps only page points, so drawing needs no PROJ; drawing replays it. Sizes are in
 * points and grow moderately with the page. It draws no map content: the inset's content is the
 * map's job, and labels other than its own belong to the labeler. */
#include "furniture.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "overlay_draw.h"
#include "paint.h"
#include "util.h"

/* Sizes in points on the reference page (432 pt on its shorter side). Every one is multiplied
 * by the page factor k: the shorter side / 432, clamped to K_MIN..K_MAX, so furniture grows
 * with the page, but slower than it. */
#define REF_SIDE          432.0
#define K_MIN             0.8
#define K_MAX             2.0
#define MARGIN            7.0 /* page edge to furniture, and between pieces */
#define PAD               5.0 /* inside panels */
#define TITLE_SIZE        13.0
#define SUBTITLE_SIZE     8.0
#define SUBTITLE_GAP      2.0
#define CREDITS_SIZE      5.5
#define CREDITS_PAD       2.0 /* above and below the credits text */
#define LEGEND_TITLE_SIZE 7.5
#define LEGEND_SIZE       7.0
#define KEY_W             22.0
#define KEY_H             10.0
#define KEY_GAP           5.0 /* key to its text */
#define ROW_GAP           3.0
#define LEGEND_TEXT_MAX   150.0 /* widest legend text; also at most LEGEND_TEXT_SHARE of the page */
#define LEGEND_TEXT_SHARE 0.6
#define SAMPLE_LEN        12.0 /* a flow-width sample bar */
#define SAMPLE_GAP        6.0  /* between one sample's number and the next bar */
#define SAMPLE_MIN_STEP                                                                            \
    0.5 /* samples whose widths differ by less read the same: one is dropped                       \
         */
#define SCALE_SIZE       6.0
#define BAR_H            3.5
#define BAR_LABEL_GAP    1.5
#define BAR_SEGMENTS     4
#define BAR_TARGET       0.20 /* the bar aims at this share of the page width ... */
#define BAR_MAX          0.28 /* ... and is never longer than this share */
#define NORTH_LEN        16.0
#define NORTH_HALF_WIDTH 3.6
#define NORTH_SIZE       7.0
#define NORTH_GAP        8.0 /* scale bar to north arrow */
#define TICK_SIZE        5.5
#define TICK_OFFSET      1.5 /* a graticule label's distance from its line and the edge */
#define GRAT_WIDTH       0.3
#define GRAT_LINES_MAX   8    /* an automatic graticule has at most this many lines each way */
#define GRAT_HARD_MAX    360  /* any graticule: the spacing grows to keep below this */
#define GRAT_SEGMENTS    64   /* a graticule line is densified into this many steps at least */
#define TITLE_SHARE      0.42 /* the title block's text may take this share of the page width */
#define TITLE_MIN        150.0
#define TITLE_MAX        300.0
#define INSET_SHARE      0.2
#define INSET_ASPECT     0.8
#define INSET_MIN        72.0 /* an automatic inset narrower than this is too small to read */
#define PANEL_ALPHA      0.85
#define STRIP_ALPHA      0.75
#define HAIRLINE         0.4
#define NORTH_STEP       0.01 /* degrees: how far north the arrow's direction is sampled */
#define SCALE_CHECK      0.02 /* relative disagreement beyond which the geodesic scale wins */

#define DEG    "\xc2\xb0"
#define MIDDOT "\xc2\xb7"
#define NBSP   "\xc2\xa0"

static const cor_color_t INK = {0.11, 0.11, 0.11, 1};
static const cor_color_t SOFT_INK = {0.22, 0.22, 0.22, 1};
static const cor_color_t CREDIT_INK = {0.36, 0.36, 0.36, 1};
static const cor_color_t TICK_INK = {0.33, 0.42, 0.50, 1};
static const cor_color_t WHITE = {1, 1, 1, 1};
static const cor_color_t BORDER = {0.55, 0.55, 0.55, 1};
static const cor_color_t GRATICULE = {0x8a / 255.0, 0xa0 / 255.0, 0xb4 / 255.0, 0.6};
static const cor_color_t SAMPLE_INK = {0.36, 0.36, 0.36, 1};

typedef enum ts_id {
    TS_TITLE = 0,
    TS_SUBTITLE,
    TS_CREDITS,
    TS_LEGEND_TITLE,
    TS_LEGEND,
    TS_SCALE,
    TS_NORTH,
    TS_TICK,
    TS_COUNT
} ts_id_t;

/* A piece of text to draw: its top-left (or top-centre, top-right) relative to its piece's box,
 * and, for graticule labels, its page box. */
typedef struct item {
    char *text;
    ts_id_t ts;
    double x, y;
    cor__anchor_t anchor;
    cor_bbox_t box;
} item_t;

typedef struct items {
    item_t *v;
    size_t n, cap;
} items_t;

/* A piece of furniture: its size, corner, page box once placed, and texts. */
typedef struct part {
    bool on;
    cor__corner_t corner;
    double w, h;
    cor_bbox_t box;
    items_t texts;
} part_t;

/* A legend key, relative to the legend's box. */
typedef struct legend_key {
    double x, y, w, h;
    const cor__overlay_t *overlay; /* borrowed */
    cor__geom_kind_t kind;
    cor__look_t look;
} legend_key_t;

/* A bar of the flow-width scale: left end and middle, relative to the legend's box. */
typedef struct sample {
    double x, y, len, width;
} sample_t;

/* What a piece of the graticule is. */
typedef struct line_meta {
    bool meridian;
    double degrees;
} line_meta_t;

struct cor__layout {
    double width, height, k;
    cor__text_style_t ts[TS_COUNT];
    part_t parts[COR__FPART_COUNT];
    /* legend */
    const cor__overlays_t *ov; /* borrowed */
    legend_key_t *keys;
    size_t nkeys;
    sample_t samples[3];
    int nsamples;
    cor_color_t sample_color;
    /* scale bar and north arrow, relative to the scale bar's box */
    bool has_bar;
    double metres, points, bar_x, bar_y;
    char label[64];
    bool has_north;
    double north_x, north_y, north_angle; /* degrees clockwise from up */
    /* graticule: one part of `grat` per piece, with its line's kind and value */
    double step;
    size_t nmeridians, nparallels;
    cor__geom_t grat;
    line_meta_t *meta;
    size_t cap_meta;
    items_t ticks;     /* x, y on the page */
    int squeeze;       /* 0; 1: the title block takes the page's width; 2: and no subtitle */
    bool legend_clash; /* the legend covers other furniture or leaves the page */
};

/* ---- small helpers -------------------------------------------------------------------------- */

static double clampd(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static cor_bbox_t box_xywh(double x, double y, double w, double h)
{
    return (cor_bbox_t){x, y, x + w, y + h};
}

static double overlap_area(cor_bbox_t a, cor_bbox_t b)
{
    double w = fmin(a.maxx, b.maxx) - fmax(a.minx, b.minx);
    double h = fmin(a.maxy, b.maxy) - fmax(a.miny, b.miny);
    return w > 0 && h > 0 ? w * h : 0.0;
}

static bool text_ok(const char *s)
{
    return !s || cor__utf8_valid(s, strlen(s));
}

static bool has_text(const char *s)
{
    return s && *s;
}

static bool items_push(items_t *list, const char *text, ts_id_t ts, double x, double y,
                       cor__anchor_t anchor)
{
    if (!cor__grow((void **)&list->v, &list->cap, list->n + 1, sizeof *list->v))
        return false;
    char *copy = cor__strdup(text);
    if (!copy)
        return false;
    list->v[list->n++] = (item_t){copy, ts, x, y, anchor, {0, 0, 0, 0}};
    return true;
}

static void items_free(items_t *list)
{
    for (size_t i = 0; i < list->n; i++)
        free(list->v[i].text);
    free(list->v);
    *list = (items_t){0};
}

static void measure(const cor__layout_t *l, ts_id_t id, const char *text, double *w, double *h)
{
    cor__text_measure(text, &l->ts[id], w, h);
}

/* Writes v with thousands separated by commas ("1,000") and no trailing zeros ("0.5"). */
static void format_number(double v, char *buf, size_t n)
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

/* The largest of 1, 2, 5 x 10^n not above v (> 0). */
static double nice_floor(double v)
{
    double b = pow(10, floor(log10(v)));
    double m = v / b * (1 + 1e-12);
    if (m >= 10) /* log10 rounded down a power of ten */
        b *= 10, m /= 10;
    return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * b;
}

static cor__text_style_t text_style(double size, int weight, cor_color_t color, double halo)
{
    return (cor__text_style_t){.font = "Noto Sans",
                               .size = size,
                               .weight = weight,
                               .color = color,
                               .halo = halo > 0 ? (cor_color_t){1, 1, 1, 0.85} : WHITE,
                               .halo_width = halo};
}

static void init_styles(cor__layout_t *l)
{
    double k = l->k;
    l->ts[TS_TITLE] = text_style(TITLE_SIZE * k, 700, INK, 0);
    l->ts[TS_SUBTITLE] = text_style(SUBTITLE_SIZE * k, 400, SOFT_INK, 0);
    l->ts[TS_CREDITS] = text_style(CREDITS_SIZE * k, 400, CREDIT_INK, 0);
    l->ts[TS_LEGEND_TITLE] = text_style(LEGEND_TITLE_SIZE * k, 700, INK, 0);
    l->ts[TS_LEGEND] = text_style(LEGEND_SIZE * k, 400, INK, 0);
    l->ts[TS_SCALE] = text_style(SCALE_SIZE * k, 400, INK, 1.6 * k);
    l->ts[TS_NORTH] = text_style(NORTH_SIZE * k, 700, INK, 1.6 * k);
    l->ts[TS_TICK] = text_style(TICK_SIZE * k, 400, TICK_INK, 1.6 * k);
}

/* ---- wrapped text --------------------------------------------------------------------------- */

/* Adds one line at (x, y + *h) and grows the block's size. */
static bool emit_line(const cor__layout_t *l, items_t *list, const char *s, ts_id_t id, double x,
                      double y, double *w, double *h)
{
    double lw = 0, lh = 0;
    measure(l, id, s, &lw, &lh);
    if (!items_push(list, s, id, x, y + *h, COR__ANCHOR_LEFT))
        return false;
    *w = fmax(*w, lw);
    *h += lh;
    return true;
}

/* Sets text as left-aligned lines no wider than maxw where it can (breaking at spaces; a '\n'
 * always breaks; a word wider than maxw gets a line of its own), the first line's top-left at
 * (x, y). *w and *h get the block's size. Returns: false on exhaustion. */
static bool wrap(const cor__layout_t *l, items_t *list, const char *text, ts_id_t id, double x,
                 double y, double maxw, double *w, double *h)
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
                measure(l, id, trial.data, &tw, &th);
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

/* ---- title block and credits ---------------------------------------------------------------- */

static bool build_title(cor__layout_t *l, const cor__furniture_t *f)
{
    part_t *p = &l->parts[COR__FPART_TITLE];
    double k = l->k, pad = PAD * k, w1 = 0, h1 = 0, w2 = 0, h2 = 0;
    const char *subtitle = l->squeeze < 2 ? f->subtitle : NULL;
    if (!has_text(f->title) && !has_text(subtitle))
        return true;
    double maxw = fmin(fmax(TITLE_SHARE * l->width, TITLE_MIN * k), TITLE_MAX * k);
    if (l->squeeze > 0)
        maxw = l->width;
    maxw = fmin(maxw, l->width - 2 * (MARGIN + PAD) * k);
    if (has_text(f->title) && !wrap(l, &p->texts, f->title, TS_TITLE, pad, pad, maxw, &w1, &h1))
        return false;
    double gap = h1 > 0 && has_text(subtitle) ? SUBTITLE_GAP * k : 0;
    if (has_text(subtitle) &&
        !wrap(l, &p->texts, subtitle, TS_SUBTITLE, pad, pad + h1 + gap, maxw, &w2, &h2))
        return false;
    p->on = p->texts.n > 0;
    p->corner = COR__CORNER_TOP_LEFT;
    p->w = fmax(w1, w2) + 2 * pad;
    p->h = h1 + gap + h2 + 2 * pad;
    p->box = box_xywh(MARGIN * k, MARGIN * k, p->w, p->h);
    return true;
}

/* The credits and the date, joined by a middle dot. The dot and the date are held together by
 * no-break spaces, so a wrapped line breaks before the dot. Returns: malloc'd text, "" when
 * both are missing; NULL on exhaustion. */
static char *credits_text(const cor__furniture_t *f)
{
    bool c = has_text(f->credits), d = has_text(f->date);
    cor__buf_t b = {0};
    bool ok = cor__buf_puts(&b, c ? f->credits : "") && cor__buf_puts(&b, c && d ? " " : "");
    if (ok && d)
        ok = cor__buf_puts(&b, c ? MIDDOT NBSP : "");
    for (const char *p = d ? f->date : ""; ok && *p; p++)
        ok = *p == ' ' ? cor__buf_puts(&b, NBSP) : cor__buf_append(&b, p, 1);
    if (!ok)
        cor__buf_free(&b);
    return ok ? b.data : NULL;
}

static bool build_credits(cor__layout_t *l, const cor__furniture_t *f)
{
    part_t *p = &l->parts[COR__FPART_CREDITS];
    double k = l->k, w = 0, h = 0;
    char *text = credits_text(f);
    if (!text)
        return false;
    bool ok = wrap(l, &p->texts, text, TS_CREDITS, MARGIN * k, CREDITS_PAD * k,
                   l->width - 2 * MARGIN * k, &w, &h);
    free(text);
    if (!ok || p->texts.n == 0)
        return ok;
    p->on = true;
    p->corner = COR__CORNER_BOTTOM_LEFT;
    p->w = l->width;
    p->h = h + 2 * CREDITS_PAD * k;
    p->box = box_xywh(0, l->height - p->h, p->w, p->h);
    return true;
}

/* ---- legend --------------------------------------------------------------------------------- */

static bool is_flow(const cor__legend_entry_t *e)
{
    return e->overlay && e->overlay->kind == COR__OV_FLOW;
}

/* Adds one entry's key and text at *y and moves *y below them. */
static bool legend_row(cor__layout_t *l, const cor__legend_entry_t *e, double tmax, double *y,
                       double *right)
{
    part_t *p = &l->parts[COR__FPART_LEGEND];
    double k = l->k, pad = PAD * k, kw = KEY_W * k, kh = KEY_H * k, lw = 0, lh = 0, tw = 0, th = 0;
    measure(l, TS_LEGEND, "Ag", &lw, &lh);
    double key_y = *y + fmax(0, (lh - kh) / 2), text_y = *y + fmax(0, (kh - lh) / 2);
    double tx = pad + kw + KEY_GAP * k;
    if (has_text(e->text) && !wrap(l, &p->texts, e->text, TS_LEGEND, tx, text_y, tmax, &tw, &th))
        return false;
    l->keys[l->nkeys++] = (legend_key_t){pad, key_y, kw, kh, e->overlay, e->kind, e->look};
    *right = fmax(*right, tw > 0 ? tx + tw : pad + kw);
    *y = fmax(key_y + kh, text_y + th) + ROW_GAP * k;
    return true;
}

/* The flow-width scale: up to three bars for round values (the largest round value not above
 * the largest flow, its half and its tenth, rounded down to 1, 2, 5 x 10^n), each as wide as
 * cor__flow_width() draws that value, with its number, and the unit after the last. */
static bool flow_scale(cor__layout_t *l, const cor__furniture_t *f, const cor__overlay_t *first,
                       double *y, double *right)
{
    part_t *p = &l->parts[COR__FPART_LEGEND];
    double max = l->ov ? cor__overlays_max_flow(l->ov) : 0, k = l->k, lw = 0, lh = 0;
    if (!(max > 0) || !isfinite(max))
        return true;
    double top = nice_floor(max), values[3] = {nice_floor(top / 10), nice_floor(top / 2), top};
    double widths[3], x = PAD * k, row = 0;
    int n = 0;
    for (int i = 0; i < 3; i++) {
        double w = cor__flow_width(l->ov, values[i], max);
        if (!(w > 0) || !isfinite(w))
            continue;
        if (n > 0 && w - widths[n - 1] < SAMPLE_MIN_STEP * k)
            n--; /* reads as the same width as the smaller one: keep the larger value */
        values[n] = values[i], widths[n++] = w;
    }
    measure(l, TS_LEGEND, "0", &lw, &lh);
    for (int i = 0; i < n; i++)
        row = fmax(row, widths[i]);
    row = fmax(row, lh);
    for (int i = 0; i < n; i++) {
        char num[48], text[160];
        double tw = 0, th = 0;
        format_number(values[i], num, sizeof num);
        snprintf(text, sizeof text, "%s%s%s", num, i == n - 1 && has_text(f->flow_unit) ? " " : "",
                 i == n - 1 && has_text(f->flow_unit) ? f->flow_unit : "");
        l->samples[l->nsamples++] = (sample_t){x, *y + row / 2, SAMPLE_LEN * k, widths[i]};
        x += SAMPLE_LEN * k + 2 * k;
        if (!items_push(&p->texts, text, TS_LEGEND, x, *y + (row - lh) / 2, COR__ANCHOR_LEFT))
            return false;
        measure(l, TS_LEGEND, text, &tw, &th);
        *right = fmax(*right, x + tw);
        x += tw + SAMPLE_GAP * k;
    }
    l->sample_color =
        first->look.stroke_on && first->look.stroke.a > 0 ? first->look.stroke : SAMPLE_INK;
    l->sample_color.a = 1;
    *y += row + ROW_GAP * k;
    return true;
}

static bool build_legend(cor__layout_t *l, const cor__furniture_t *f,
                         const cor__legend_entry_t *entries, size_t n)
{
    part_t *p = &l->parts[COR__FPART_LEGEND];
    double k = l->k, pad = PAD * k, y = pad, right = 0, w = 0, h = 0;
    const cor__overlay_t *first_flow = NULL;
    if (f->legend == COR__CORNER_NONE || (n == 0 && !has_text(f->legend_title)))
        return true;
    double tmax = fmax(fmin(LEGEND_TEXT_MAX * k, LEGEND_TEXT_SHARE * l->width), 40 * k);
    if (!(l->keys = cor__calloc(n, sizeof *l->keys)))
        return false;
    if (has_text(f->legend_title)) {
        if (!wrap(l, &p->texts, f->legend_title, TS_LEGEND_TITLE, pad, y,
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

/* ---- projection at the page centre ---------------------------------------------------------- */

static bool page_lonlat(const cor__frame_t *fr, cor__xform_t *xf, double px, double py, double *lon,
                        double *lat)
{
    double x = fr->box.minx + px / fr->scale, y = fr->box.maxy - py / fr->scale;
    cor__xform_points(xf, true, &x, &y, 1);
    *lon = x, *lat = y;
    return isfinite(x) && isfinite(y);
}

/* Projects n lon/lat points in place onto the page (NAN where PROJ cannot). */
static void lonlat_page(const cor__frame_t *fr, cor__xform_t *xf, double *x, double *y, size_t n)
{
    cor__xform_points(xf, false, x, y, n);
    for (size_t i = 0; i < n; i++) {
        x[i] = (x[i] - fr->box.minx) * fr->scale;
        y[i] = (fr->box.maxy - y[i]) * fr->scale;
    }
}

/* Ground metres per page point along the horizontal through the page centre. Projected CRSs:
 * 1 / (points per CRS unit x the CRS's point scale factor there). Checked against the geodesic
 * length of a short horizontal step, which wins when they disagree (CRS units that are not
 * metres, or a projection whose scale differs along the parallel and the page's horizontal)
 * and is the answer for geographic CRSs. */
static cor_status_t metres_per_point(const cor__frame_t *fr, cor__xform_t *xf, double *mpp,
                                     cor_error_t *err)
{
    double cx = fr->width / 2, cy = fr->height / 2, s = fr->width / 100, lon, lat, lon1, lat1, lon2,
           lat2;
    double geo = NAN, sf = NAN;
    if (page_lonlat(fr, xf, cx, cy, &lon, &lat) &&
        page_lonlat(fr, xf, cx - s / 2, cy, &lon1, &lat1) &&
        page_lonlat(fr, xf, cx + s / 2, cy, &lon2, &lat2))
        geo = cor__geodesic_distance(fr->proj, lon1, lat1, lon2, lat2) / s;
    if (!cor__crs_is_geographic(fr->crs) && isfinite(lon)) {
        cor_status_t st = cor__crs_scale_at(fr->proj, fr->crs, lon, lat, &sf, err);
        if (st != COR_OK)
            return st;
        *mpp = 1 / (fr->scale * sf);
        if (!(isfinite(geo) && geo > 0) || fabs(*mpp / geo - 1) <= SCALE_CHECK)
            return isfinite(*mpp) && *mpp > 0
                       ? COR_OK
                       : cor__fail(err, COR_ERR_CRS, "no map scale at the page centre");
    }
    if (!(isfinite(geo) && geo > 0))
        return cor__fail(err, COR_ERR_CRS, "no map scale at the page centre");
    *mpp = geo;
    return COR_OK;
}

/* The direction of true north at the page centre, degrees clockwise from up. */
static cor_status_t north_angle(const cor__frame_t *fr, cor__xform_t *xf, double *deg,
                                cor_error_t *err)
{
    double lon, lat;
    if (!page_lonlat(fr, xf, fr->width / 2, fr->height / 2, &lon, &lat))
        return cor__fail(err, COR_ERR_CRS, "the page centre has no longitude and latitude");
    double d = lat + NORTH_STEP <= 90 ? NORTH_STEP : -NORTH_STEP;
    double x[2] = {lon, lon}, y[2] = {lat, lat + d};
    lonlat_page(fr, xf, x, y, 2);
    double dx = (x[1] - x[0]) * (d > 0 ? 1 : -1), dy = (y[1] - y[0]) * (d > 0 ? 1 : -1);
    if (!isfinite(dx) || !isfinite(dy) || (dx == 0 && dy == 0))
        return cor__fail(err, COR_ERR_CRS, "no north at the page centre");
    *deg = atan2(dx, -dy) * 180 / M_PI;
    return COR_OK;
}

/* ---- scale bar and north arrow -------------------------------------------------------------- */

/* A round length (1, 2, 5 x 10^n m) near BAR_TARGET of the page width and at most BAR_MAX of
 * it: the candidate nearest the target (by ratio) among the two around it. */
static double round_length(double width, double mpp)
{
    double t = BAR_TARGET * width * mpp, lo = nice_floor(t), hi;
    double b = pow(10, floor(log10(lo) + 1e-9)), m = lo / b;
    hi = (m < 1.5 ? 2 : m < 3 ? 5 : 10) * b;
    if (hi / mpp <= BAR_MAX * width && hi / t < t / lo)
        return hi;
    return lo;
}

/* The bar's three numbers and its label ("0", "100", "200 km"). */
static void bar_texts(double metres, char num[3][48], char *label, size_t n)
{
    bool km = metres >= 1000;
    double v = km ? metres / 1000 : metres;
    snprintf(num[0], 48, "0");
    format_number(v / 2, num[1], 48);
    format_number(v, num[2], 48);
    snprintf(label, n, "%s %s", num[2], km ? "km" : "m");
}

static double bar_height(const cor__layout_t *l)
{
    double w = 0, h = 0;
    measure(l, TS_SCALE, "0", &w, &h);
    return h + (BAR_LABEL_GAP + BAR_H + 0.5) * l->k;
}

/* Lays the bar out with its top at y0. Returns: its width; -1 on exhaustion. */
static double bar_layout(cor__layout_t *l, double y0)
{
    part_t *p = &l->parts[COR__FPART_SCALEBAR];
    char num[3][48];
    double w0, wf, wl, h;
    bar_texts(l->metres, num, l->label, sizeof l->label);
    measure(l, TS_SCALE, num[0], &w0, &h);
    measure(l, TS_SCALE, num[2], &wf, &h);
    measure(l, TS_SCALE, l->label, &wl, &h);
    double x0 = fmax(w0 / 2, 0.5 * l->k), x1 = x0 + l->points;
    l->bar_x = x0;
    l->bar_y = y0 + h + BAR_LABEL_GAP * l->k;
    if (!items_push(&p->texts, num[0], TS_SCALE, x0, y0, COR__ANCHOR_CENTER) ||
        !items_push(&p->texts, num[1], TS_SCALE, x0 + l->points / 2, y0, COR__ANCHOR_CENTER) ||
        !items_push(&p->texts, l->label, TS_SCALE, x1 - wf / 2, y0, COR__ANCHOR_LEFT))
        return -1;
    return fmax(x1 - wf / 2 + wl, x1 + 0.5 * l->k);
}

/* The arrow's outline relative to its centre for angle a (radians): tip, left wing, notch,
 * right wing. */
static void arrow_points(double a, double k, double pts[4][2])
{
    double ux = sin(a), uy = -cos(a), vx = cos(a), vy = sin(a);
    double len = NORTH_LEN * k / 2, hw = NORTH_HALF_WIDTH * k;
    pts[0][0] = ux * len, pts[0][1] = uy * len;
    pts[1][0] = -ux * len - vx * hw, pts[1][1] = -uy * len - vy * hw;
    pts[2][0] = -ux * len * 0.45, pts[2][1] = -uy * len * 0.45;
    pts[3][0] = -ux * len + vx * hw, pts[3][1] = -uy * len + vy * hw;
}

/* Where the "N" goes relative to the arrow's centre: its centre, beyond the tip. */
static void north_letter(const cor__layout_t *l, double *cx, double *cy, double *w, double *h)
{
    double a = l->north_angle * M_PI / 180;
    measure(l, TS_NORTH, "N", w, h);
    double r = NORTH_LEN * l->k / 2 + 1.0 * l->k + *h / 2;
    *cx = sin(a) * r, *cy = -cos(a) * r;
}

/* The box of the arrow and its letter relative to the arrow's centre. */
static cor_bbox_t north_extent(const cor__layout_t *l)
{
    double pts[4][2], cx, cy, w, h;
    arrow_points(l->north_angle * M_PI / 180, l->k, pts);
    north_letter(l, &cx, &cy, &w, &h);
    cor_bbox_t b = {cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2};
    for (int i = 0; i < 4; i++) {
        b.minx = fmin(b.minx, pts[i][0]), b.maxx = fmax(b.maxx, pts[i][0]);
        b.miny = fmin(b.miny, pts[i][1]), b.maxy = fmax(b.maxy, pts[i][1]);
    }
    double e = 0.5 * l->k; /* the outline */
    return (cor_bbox_t){b.minx - e, b.miny - e, b.maxx + e, b.maxy + e};
}

static cor_status_t build_scale(cor__layout_t *l, const cor__furniture_t *f, const cor__frame_t *fr,
                                cor__xform_t *xf, cor_error_t *err)
{
    part_t *p = &l->parts[COR__FPART_SCALEBAR];
    bool bar = f->scalebar != COR__CORNER_NONE;
    cor_status_t st = COR_OK;
    double mpp = 0, bh = 0, bw = 0;
    if (!xf || (!bar && !f->north_arrow))
        return COR_OK;
    if (bar && (st = metres_per_point(fr, xf, &mpp, err)) != COR_OK)
        return st;
    if (f->north_arrow && (st = north_angle(fr, xf, &l->north_angle, err)) != COR_OK)
        return st;
    cor_bbox_t ne = {0, 0, 0, 0};
    if (f->north_arrow)
        ne = north_extent(l);
    if (bar) {
        l->metres = round_length(fr->width, mpp);
        l->points = l->metres / mpp;
        bh = bar_height(l);
    }
    p->h = fmax(bh, ne.maxy - ne.miny);
    if (bar && (bw = bar_layout(l, p->h - bh)) < 0)
        return cor__fail(err, COR_ERR_NOMEM, "out of memory laying out the scale bar");
    l->has_bar = bar;
    l->has_north = f->north_arrow;
    double ax = bar ? bw + NORTH_GAP * l->k : 0;
    l->north_x = ax - ne.minx;
    l->north_y = p->h - ne.maxy;
    p->w = f->north_arrow ? ax + ne.maxx - ne.minx : bw;
    p->on = true;
    p->corner = bar ? f->scalebar : COR__CORNER_AUTO;
    return COR_OK;
}

/* ---- placing the corner pieces -------------------------------------------------------------- */

/* Where the next box goes in each corner: for top corners its top, for bottom ones its bottom. */
typedef struct corners {
    double next[5];
    bool taken[5];
    double left, right;
} corners_t;

static bool is_top(cor__corner_t c)
{
    return c == COR__CORNER_TOP_LEFT || c == COR__CORNER_TOP_RIGHT;
}

static cor_bbox_t corner_box(const corners_t *c, cor__corner_t corner, double w, double h)
{
    bool left = corner == COR__CORNER_TOP_LEFT || corner == COR__CORNER_BOTTOM_LEFT;
    double x = left ? c->left : c->right - w;
    double y = is_top(corner) ? c->next[corner] : c->next[corner] - h;
    return box_xywh(x, y, w, h);
}

static void corner_take(corners_t *c, cor__corner_t corner, cor_bbox_t b, double gap)
{
    c->next[corner] = is_top(corner) ? b.maxy + gap : b.miny - gap;
    c->taken[corner] = true;
}

/* Returns: true when b leaves the page or overlaps a placed piece other than `self`. */
static bool clashes(const cor__layout_t *l, cor_bbox_t b, int self, const bool placed[])
{
    if (b.minx < 0 || b.miny < 0 || b.maxx > l->width || b.maxy > l->height)
        return true;
    for (int i = 0; i < COR__FPART_COUNT; i++) {
        if (i != self && placed[i] && overlap_area(b, l->parts[i].box) > 0)
            return true;
    }
    return false;
}

static const cor__corner_t PREFER[COR__FPART_COUNT][4] = {
    [COR__FPART_LEGEND] = {COR__CORNER_BOTTOM_RIGHT, COR__CORNER_BOTTOM_LEFT, COR__CORNER_TOP_RIGHT,
                           COR__CORNER_TOP_LEFT},
    [COR__FPART_SCALEBAR] = {COR__CORNER_BOTTOM_LEFT, COR__CORNER_BOTTOM_RIGHT,
                             COR__CORNER_TOP_LEFT, COR__CORNER_TOP_RIGHT},
    [COR__FPART_INSET] = {COR__CORNER_TOP_RIGHT, COR__CORNER_BOTTOM_RIGHT, COR__CORNER_BOTTOM_LEFT,
                          COR__CORNER_TOP_LEFT},
};

/* The automatic corner for piece i: free corners before taken ones, then the least of `busy`
 * covered; a corner whose box would leave the page or cover furniture comes last. Ties keep the
 * piece's order of preference. */
static cor__corner_t auto_corner(const cor__layout_t *l, const corners_t *c, int i,
                                 const bool placed[], const cor_bbox_t *busy, size_t nbusy)
{
    cor__corner_t best = PREFER[i][0];
    double best_cost = INFINITY;
    for (int j = 0; j < 4; j++) {
        cor__corner_t corner = PREFER[i][j];
        cor_bbox_t b = corner_box(c, corner, l->parts[i].w, l->parts[i].h);
        double cost = clashes(l, b, i, placed) ? 1e30 : c->taken[corner] ? 1e20 : 0;
        for (size_t k = 0; k < nbusy; k++)
            cost += overlap_area(b, busy[k]);
        if (cost < best_cost)
            best = corner, best_cost = cost;
    }
    return best;
}

static void place_parts(cor__layout_t *l, const cor_bbox_t *busy, size_t nbusy)
{
    static const int order[3] = {COR__FPART_LEGEND, COR__FPART_INSET, COR__FPART_SCALEBAR};
    double m = MARGIN * l->k;
    corners_t c = {.left = m, .right = l->width - m};
    bool placed[COR__FPART_COUNT] = {false};
    part_t *title = &l->parts[COR__FPART_TITLE], *credits = &l->parts[COR__FPART_CREDITS];
    double bottom = credits->on ? credits->box.miny - m : l->height - m;
    c.next[COR__CORNER_TOP_LEFT] = c.next[COR__CORNER_TOP_RIGHT] = m;
    c.next[COR__CORNER_BOTTOM_LEFT] = c.next[COR__CORNER_BOTTOM_RIGHT] = bottom;
    if (title->on)
        corner_take(&c, COR__CORNER_TOP_LEFT, title->box, m);
    placed[COR__FPART_TITLE] = title->on;
    placed[COR__FPART_CREDITS] = credits->on;
    for (int pass = 0; pass < 2; pass++) { /* explicit corners first, then automatic ones */
        for (int j = 0; j < 3; j++) {
            part_t *p = &l->parts[order[j]];
            if (!p->on || (pass == 0) != (p->corner != COR__CORNER_AUTO))
                continue;
            if (p->corner == COR__CORNER_AUTO)
                p->corner = auto_corner(l, &c, order[j], placed, busy, nbusy);
            p->box = corner_box(&c, p->corner, p->w, p->h);
            corner_take(&c, p->corner, p->box, m);
            placed[order[j]] = true;
        }
    }
    for (int i = COR__FPART_SCALEBAR; i <= COR__FPART_INSET; i++) {
        if (l->parts[i].on && clashes(l, l->parts[i].box, i, placed))
            l->parts[i].on = placed[i] = false; /* fits nowhere: left out */
    }
    l->legend_clash = l->parts[COR__FPART_LEGEND].on &&
                      clashes(l, l->parts[COR__FPART_LEGEND].box, COR__FPART_LEGEND, placed);
}

/* ---- graticule ------------------------------------------------------------------------------ */

static size_t count_lines(double lo, double hi, double step)
{
    double a = ceil(lo / step - 1e-9), b = floor(hi / step + 1e-9);
    return b >= a ? (size_t)(b - a + 1) : 0;
}

/* The lon/lat ranges along the page's horizontal and vertical centre lines: what the reader
 * sees across the page, unlike the box of the whole page, which a conic's corners inflate.
 * Returns: false when a centre line cannot be projected. */
static bool centre_spans(const cor__frame_t *fr, cor__xform_t *xf, cor_bbox_t *span)
{
    enum { N = 33 };
    double x[2 * N], y[2 * N];
    for (int i = 0; i < N; i++) {
        x[i] = fr->box.minx + (fr->box.maxx - fr->box.minx) * i / (N - 1);
        y[i] = (fr->box.miny + fr->box.maxy) / 2;
        x[N + i] = (fr->box.minx + fr->box.maxx) / 2;
        y[N + i] = fr->box.miny + (fr->box.maxy - fr->box.miny) * i / (N - 1);
    }
    if (cor__xform_points(xf, true, x, y, 2 * N) > 0)
        return false;
    *span = (cor_bbox_t){x[0], INFINITY, x[0], -INFINITY};
    for (int i = 1; i < N; i++) { /* unwrapped across the antimeridian */
        x[i] += 360 * round((x[i - 1] - x[i]) / 360);
        span->minx = fmin(span->minx, x[i]), span->maxx = fmax(span->maxx, x[i]);
    }
    for (int i = N; i < 2 * N; i++)
        span->miny = fmin(span->miny, y[i]), span->maxy = fmax(span->maxy, y[i]);
    return isfinite(span->minx + span->maxx + span->miny + span->maxy);
}

/* The smallest round spacing at which at most GRAT_LINES_MAX meridians cross the page's
 * horizontal centre line and as many parallels its vertical one. */
static double auto_step(const cor__frame_t *fr, cor__xform_t *xf, cor_bbox_t ll)
{
    static const double steps[] = {0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 15, 30};
    cor_bbox_t c;
    if (!centre_spans(fr, xf, &c))
        c = ll;
    for (size_t i = 0; i < COR__ARRAY_LEN(steps); i++) {
        size_t nm = count_lines(c.minx, c.maxx, steps[i]);
        size_t np = count_lines(c.miny, c.maxy, steps[i]);
        if (nm <= GRAT_LINES_MAX && np <= GRAT_LINES_MAX)
            return steps[i];
    }
    return 30;
}

/* "25°E", "50°N", "20°W", "0°", "180°". */
static void format_degrees(double v, bool lon, char *buf, size_t n)
{
    char num[48];
    if (lon) {
        v = fmod(v + 180, 360);
        v = (v < 0 ? v + 360 : v) - 180;
        if (fabs(v + 180) < 1e-9)
            v = 180;
    }
    if (fabs(v) < 1e-9)
        v = 0;
    format_number(round(fabs(v) * 1e4) / 1e4, num, sizeof num);
    const char *hemi = v == 0 || (lon && v == 180) ? ""
                       : lon                       ? (v > 0 ? "E" : "W")
                                                   : (v > 0 ? "N" : "S");
    snprintf(buf, n, "%s" DEG "%s", num, hemi);
}

/* The first crossing of the polyline with the horizontal (vertical when `vertical`) line at c,
 * between lo and hi along it. Returns: false when there is none. */
static bool crossing(const double *x, const double *y, size_t n, bool vertical, double c, double lo,
                     double hi, double *at)
{
    const double *a = vertical ? x : y, *b = vertical ? y : x;
    for (size_t i = 0; i + 1 < n; i++) {
        if (!isfinite(a[i]) || !isfinite(a[i + 1]) || !isfinite(b[i]) || !isfinite(b[i + 1]) ||
            a[i] == a[i + 1] || (a[i] - c) * (a[i + 1] - c) > 0)
            continue;
        double t = (c - a[i]) / (a[i + 1] - a[i]), v = b[i] + t * (b[i + 1] - b[i]);
        if (v > lo && v < hi) {
            *at = v;
            return true;
        }
    }
    return false;
}

/* Returns: true when a graticule label's box may go there: inside the map's area, off all
 * furniture and off the labels already placed. */
static bool tick_free(const cor__layout_t *l, cor_bbox_t b, double bottom)
{
    if (b.minx < 0 || b.miny < 0 || b.maxx > l->width || b.maxy > bottom)
        return false;
    for (int i = 0; i < COR__FPART_COUNT; i++) {
        if (l->parts[i].on && overlap_area(b, l->parts[i].box) > 0)
            return false;
    }
    for (size_t i = 0; i < l->ticks.n; i++) {
        if (overlap_area(b, l->ticks.v[i].box) > 0)
            return false;
    }
    return true;
}

/* Labels a line where it crosses the map's edge: a meridian at the bottom (else the top), a
 * parallel on the left (else the right); beside the line, inside the map. */
static bool label_line(cor__layout_t *l, const double *x, const double *y, size_t n, bool meridian,
                       double value)
{
    double k = l->k, off = TICK_OFFSET * k, w, h, at;
    double bottom =
        l->parts[COR__FPART_CREDITS].on ? l->parts[COR__FPART_CREDITS].box.miny : l->height;
    char text[64];
    format_degrees(value, meridian, text, sizeof text);
    measure(l, TS_TICK, text, &w, &h);
    for (int edge = 0; edge < 2; edge++) {
        cor_bbox_t b;
        if (meridian) {
            double ey = edge == 0 ? bottom : 0;
            if (!crossing(x, y, n, false, ey, 0, l->width, &at))
                continue;
            b = box_xywh(at + off, edge == 0 ? ey - off - h : off, w, h);
        } else {
            double ex = edge == 0 ? 0 : l->width;
            if (!crossing(x, y, n, true, ex, 0, bottom, &at))
                continue;
            b = box_xywh(edge == 0 ? off : l->width - off - w, at - off * 0.7 - h, w, h);
        }
        if (!tick_free(l, b, bottom))
            continue;
        if (!items_push(&l->ticks, text, TS_TICK, b.minx, b.miny, COR__ANCHOR_LEFT))
            return false;
        l->ticks.v[l->ticks.n - 1].box = b;
        return true;
    }
    return true;
}

/* Appends the page-space polyline's pieces inside the page to the graticule. */
static bool add_pieces(cor__layout_t *l, const double *x, const double *y, size_t n, bool meridian,
                       double value)
{
    cor__geom_t g = {0};
    g.kind = COR__GEOM_LINE;
    bool ok = true;
    for (size_t i = 0; ok && i < n;) { /* finite runs only: PROJ's gaps break the line */
        size_t j = i;
        while (j < n && isfinite(x[j]) && isfinite(y[j]))
            j++;
        if (j - i >= 2)
            ok = cor__geom_add_part(&g, x + i, y + i, j - i);
        i = j + 1;
    }
    ok = ok && cor__geom_clip(&g, (cor_bbox_t){0, 0, l->width, l->height});
    for (size_t p = 0; ok && p < g.nparts; p++) {
        size_t a = g.parts[p], b = g.parts[p + 1];
        ok = cor__grow((void **)&l->meta, &l->cap_meta, l->grat.nparts + 1, sizeof *l->meta) &&
             cor__geom_add_part(&l->grat, g.x + a, g.y + a, b - a);
        if (ok)
            l->meta[l->grat.nparts - 1] = (line_meta_t){meridian, value};
    }
    cor__geom_free(&g);
    return ok;
}

/* One meridian (lon = value from lat lo to hi) or parallel, densified in lon/lat, projected,
 * labelled and clipped. */
static bool grat_line(cor__layout_t *l, const cor__frame_t *fr, cor__xform_t *xf, bool meridian,
                      double value, double lo, double hi)
{
    double ex[2] = {value, value}, ey[2] = {value, value}, *x = NULL, *y = NULL;
    size_t n = 0;
    if (meridian)
        ey[0] = lo, ey[1] = hi;
    else
        ex[0] = lo, ex[1] = hi;
    if (!cor__densify(ex, ey, 2, (hi - lo) / GRAT_SEGMENTS, &x, &y, &n))
        return false;
    lonlat_page(fr, xf, x, y, n);
    bool ok = label_line(l, x, y, n, meridian, value) && add_pieces(l, x, y, n, meridian, value);
    free(x);
    free(y);
    return ok;
}

/* The graticule over the page's lon/lat extent. A page whose extent PROJ cannot find gets none. */
static bool build_graticule(cor__layout_t *l, const cor__furniture_t *f, const cor__frame_t *fr,
                            cor__xform_t *xf)
{
    cor_bbox_t ll;
    l->grat.kind = COR__GEOM_LINE;
    if (!xf || f->graticule < 0 || !isfinite(f->graticule) ||
        cor__xform_bbox(xf, true, fr->box, &ll, NULL) != COR_OK)
        return true;
    if (ll.minx > ll.maxx)
        ll.maxx += 360; /* across the antimeridian */
    ll.miny = fmax(ll.miny, -90), ll.maxy = fmin(ll.maxy, 90);
    double step = f->graticule > 0 ? f->graticule : auto_step(fr, xf, ll);
    double span = fmax(ll.maxx - ll.minx, ll.maxy - ll.miny);
    if (span / step > GRAT_HARD_MAX)
        step = span / GRAT_HARD_MAX;
    l->step = step;
    double lat0 = fmax(ll.miny, -89.999), lat1 = fmin(ll.maxy, 89.999);
    for (double i = ceil(ll.minx / step - 1e-9); i * step <= ll.maxx + 1e-9 * step; i++) {
        if (!grat_line(l, fr, xf, true, i * step, lat0, lat1))
            return false;
        l->nmeridians++;
    }
    for (double i = ceil(ll.miny / step - 1e-9); i * step <= ll.maxy + 1e-9 * step; i++) {
        if (fabs(i * step) >= 90 - 1e-9)
            continue; /* the poles are points */
        if (!grat_line(l, fr, xf, false, i * step, ll.minx, ll.maxx))
            return false;
        l->nparallels++;
    }
    return true;
}

/* ---- the layout ----------------------------------------------------------------------------- */

bool cor__corner_parse(const char *name, cor__corner_t *out)
{
    static const char *const names[] = {"auto",        "top-left",     "top-right",
                                        "bottom-left", "bottom-right", "none"};
    for (size_t i = 0; name && i < COR__ARRAY_LEN(names); i++) {
        if (cor__strcasecmp(name, names[i]) == 0) {
            *out = (cor__corner_t)i;
            return true;
        }
    }
    return false;
}

static bool corner_valid(cor__corner_t c)
{
    return c >= COR__CORNER_AUTO && c <= COR__CORNER_NONE;
}

static cor_status_t check_args(const cor__furniture_t *f, const cor__frame_t *fr,
                               const cor__legend_entry_t *entries, size_t n,
                               const cor__overlays_t *ov, const cor_bbox_t *busy, size_t nbusy,
                               cor_error_t *err)
{
    if (!f || !fr || (n && !entries) || (nbusy && !busy))
        return cor__fail(err, COR_ERR_USAGE, "furniture: missing argument");
    if (!(fr->width > 0 && fr->height > 0 && fr->width < 1e6 && fr->height < 1e6))
        return cor__fail(err, COR_ERR_USAGE, "furniture: page of %g x %g pt", fr->width,
                         fr->height);
    if (fr->crs && fr->proj && !(fr->scale > 0 && isfinite(fr->scale)))
        return cor__fail(err, COR_ERR_USAGE, "furniture: map scale %g", fr->scale);
    if (!corner_valid(f->legend) || !corner_valid(f->scalebar) || !corner_valid(f->inset))
        return cor__fail(err, COR_ERR_USAGE, "furniture: corner out of range");
    const char *texts[] = {f->title, f->subtitle,     f->credits,
                           f->date,  f->legend_title, f->flow_unit};
    for (size_t i = 0; i < COR__ARRAY_LEN(texts); i++) {
        if (!text_ok(texts[i]))
            return cor__fail(err, COR_ERR_DATA, "furniture: text is not UTF-8");
    }
    for (size_t i = 0; i < n; i++) {
        if (entries[i].overlay && !ov)
            return cor__fail(err, COR_ERR_USAGE, "legend entry %zu: an overlay without its set",
                             i + 1);
        if (!text_ok(entries[i].text))
            return cor__fail(err, COR_ERR_DATA, "legend entry %zu is not UTF-8", i + 1);
    }
    return COR_OK;
}

static bool build_inset(cor__layout_t *l, const cor__furniture_t *f)
{
    part_t *p = &l->parts[COR__FPART_INSET];
    double m = MARGIN * l->k;
    if (f->inset == COR__CORNER_NONE)
        return true;
    bool fixed = f->inset_width > 0 && isfinite(f->inset_width);
    double w = fixed ? f->inset_width : INSET_SHARE * l->width;
    if (!fixed && w < INSET_MIN)
        return true;
    double a = f->inset_aspect > 0 && isfinite(f->inset_aspect) ? f->inset_aspect : INSET_ASPECT;
    p->w = fmin(w, l->width - 2 * m);
    p->h = fmin(p->w * a, l->height - 2 * m);
    p->on = p->w > 0 && p->h > 0;
    p->corner = f->inset;
    return true;
}

static void register_obstacles(const cor__layout_t *l, cor__labeler_t *lb)
{
    if (!lb)
        return;
    for (int i = 0; i < COR__FPART_COUNT; i++) {
        if (l->parts[i].on)
            cor__labeler_obstacle(lb, l->parts[i].box);
    }
    for (size_t i = 0; i < l->ticks.n; i++)
        cor__labeler_obstacle(lb, l->ticks.v[i].box);
}

static cor_status_t make_xform(const cor__frame_t *fr, cor__xform_t **xf, cor_error_t *err)
{
    cor__crs_t *ll = NULL;
    cor_status_t st = cor__crs_lonlat(fr->proj, &ll, err);
    if (st == COR_OK)
        st = cor__xform_new(fr->proj, ll, fr->crs, xf, err);
    cor__crs_free(ll);
    return st;
}

/* One try at the whole layout but the graticule, at a level of squeezing. */
static cor_status_t attempt(const cor__furniture_t *f, const cor__frame_t *fr,
                            const cor__legend_entry_t *entries, size_t n, const cor__overlays_t *ov,
                            const cor_bbox_t *busy, size_t nbusy, cor__xform_t *xf, int squeeze,
                            cor__layout_t **out, cor_error_t *err)
{
    cor__layout_t *l = cor__calloc(1, sizeof *l);
    cor_status_t st = COR_OK;
    if (!l)
        return cor__fail(err, COR_ERR_NOMEM, "out of memory laying out the furniture");
    l->width = fr->width, l->height = fr->height, l->ov = ov, l->squeeze = squeeze;
    l->k = clampd(fmin(fr->width, fr->height) / REF_SIDE, K_MIN, K_MAX);
    init_styles(l);
    if (!build_title(l, f) || !build_credits(l, f) || !build_legend(l, f, entries, n) ||
        !build_inset(l, f))
        st = cor__fail(err, COR_ERR_NOMEM, "out of memory laying out the furniture");
    if (st == COR_OK)
        st = build_scale(l, f, fr, xf, err);
    if (st != COR_OK) {
        cor__layout_free(l);
        return st;
    }
    place_parts(l, busy, nbusy);
    *out = l;
    return COR_OK;
}

/* Lays out; when the legend fits nowhere beside the title block, tries again with the title
 * set across the page, then without the subtitle (small pages). */
cor_status_t cor__furniture_layout(const cor__furniture_t *f, const cor__frame_t *fr,
                                   const cor__legend_entry_t *entries, size_t nentries,
                                   const cor__overlays_t *ov, const cor_bbox_t *busy, size_t nbusy,
                                   cor__labeler_t *lb, cor__layout_t **out, cor_error_t *err)
{
    cor__layout_t *l = NULL;
    cor__xform_t *xf = NULL;
    cor_status_t st = check_args(f, fr, entries, nentries, ov, busy, nbusy, err);
    if (st != COR_OK)
        return st;
    if (fr->crs && fr->proj && (st = make_xform(fr, &xf, err)) != COR_OK)
        return st;
    for (int squeeze = 0; squeeze < 3; squeeze++) {
        cor__layout_free(l);
        l = NULL;
        if ((st = attempt(f, fr, entries, nentries, ov, busy, nbusy, xf, squeeze, &l, err)) !=
            COR_OK)
            goto fail;
        if (!l->legend_clash || !l->parts[COR__FPART_TITLE].on)
            break;
    }
    if (!build_graticule(l, f, fr, xf)) {
        st = cor__fail(err, COR_ERR_NOMEM, "out of memory laying out the graticule");
        goto fail;
    }
    register_obstacles(l, lb);
    cor__xform_free(xf);
    *out = l;
    return COR_OK;
fail:
    cor__xform_free(xf);
    cor__layout_free(l);
    return st;
}

void cor__layout_free(cor__layout_t *l)
{
    if (!l)
        return;
    for (int i = 0; i < COR__FPART_COUNT; i++)
        items_free(&l->parts[i].texts);
    items_free(&l->ticks);
    free(l->keys);
    cor__geom_free(&l->grat);
    free(l->meta);
    free(l);
}

/* ---- queries -------------------------------------------------------------------------------- */

bool cor__layout_inset_box(const cor__layout_t *l, cor_bbox_t *out)
{
    return cor__layout_box(l, COR__FPART_INSET, out, NULL);
}

bool cor__layout_box(const cor__layout_t *l, cor__fpart_t part, cor_bbox_t *box,
                     cor__corner_t *corner)
{
    if (!l || part < 0 || part >= COR__FPART_COUNT || !l->parts[part].on)
        return false;
    if (box)
        *box = l->parts[part].box;
    if (corner)
        *corner = l->parts[part].corner;
    return true;
}

bool cor__layout_scalebar(const cor__layout_t *l, double *metres, double *points,
                          const char **label)
{
    if (!l || !l->has_bar || !l->parts[COR__FPART_SCALEBAR].on)
        return false;
    if (metres)
        *metres = l->metres;
    if (points)
        *points = l->points;
    if (label)
        *label = l->label;
    return true;
}

bool cor__layout_north(const cor__layout_t *l, double *degrees)
{
    if (!l || !l->has_north || !l->parts[COR__FPART_SCALEBAR].on)
        return false;
    if (degrees)
        *degrees = l->north_angle;
    return true;
}

double cor__layout_graticule(const cor__layout_t *l, size_t *meridians, size_t *parallels)
{
    if (meridians)
        *meridians = l ? l->nmeridians : 0;
    if (parallels)
        *parallels = l ? l->nparallels : 0;
    return l ? l->step : 0;
}

bool cor__layout_graticule_line(const cor__layout_t *l, size_t i, bool *meridian, double *degrees,
                                const double **x, const double **y, size_t *n)
{
    if (!l || i >= l->grat.nparts)
        return false;
    size_t a = l->grat.parts[i];
    if (meridian)
        *meridian = l->meta[i].meridian;
    if (degrees)
        *degrees = l->meta[i].degrees;
    if (x)
        *x = l->grat.x + a;
    if (y)
        *y = l->grat.y + a;
    if (n)
        *n = l->grat.parts[i + 1] - a;
    return true;
}

bool cor__layout_tick(const cor__layout_t *l, size_t i, const char **text, cor_bbox_t *box)
{
    if (!l || i >= l->ticks.n)
        return false;
    if (text)
        *text = l->ticks.v[i].text;
    if (box)
        *box = l->ticks.v[i].box;
    return true;
}

/* ---- drawing -------------------------------------------------------------------------------- */

static cor_status_t draw_texts(const cor__layout_t *l, const items_t *list, double ox, double oy,
                               cor__textout_t *to, cor_error_t *err)
{
    for (size_t i = 0; i < list->n; i++) {
        const item_t *it = &list->v[i];
        cor_status_t st =
            cor__text_draw(to, it->text, &l->ts[it->ts], ox + it->x, oy + it->y, it->anchor, err);
        if (st != COR_OK)
            return st;
    }
    return COR_OK;
}

static cor_status_t draw_part_texts(const cor__layout_t *l, cor__fpart_t part, cor__textout_t *to,
                                    cor_error_t *err)
{
    const part_t *p = &l->parts[part];
    return p->on ? draw_texts(l, &p->texts, p->box.minx, p->box.miny, to, err) : COR_OK;
}

static cor_status_t cairo_ok(cairo_t *cr, cor_error_t *err)
{
    cairo_status_t s = cairo_status(cr);
    if (s != CAIRO_STATUS_SUCCESS)
        return cor__fail(err, COR_ERR_RENDER, "drawing the furniture: %s",
                         cairo_status_to_string(s));
    return COR_OK;
}

/* A white panel with a hairline border (none when border is false). */
static void panel(cairo_t *cr, cor_bbox_t b, double alpha, bool border, double k)
{
    cairo_rectangle(cr, b.minx, b.miny, b.maxx - b.minx, b.maxy - b.miny);
    cairo_set_source_rgba(cr, 1, 1, 1, alpha);
    if (!border) {
        cairo_fill(cr);
        return;
    }
    cairo_fill_preserve(cr);
    double w = HAIRLINE * fmin(k, 1.25);
    cairo_new_path(cr);
    cairo_rectangle(cr, b.minx + w / 2, b.miny + w / 2, b.maxx - b.minx - w, b.maxy - b.miny - w);
    cairo_set_line_width(cr, w);
    cor__paint_set_color(cr, BORDER, 1);
    cairo_stroke(cr);
}

/* A layer's key: a swatch for polygons, a line for lines, a marker for points. Widths are capped
 * so a heavy look still fits its box. */
static void draw_layer_key(cairo_t *cr, const legend_key_t *key, double x, double y, double k)
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
    const part_t *p = &l->parts[COR__FPART_LEGEND];
    double ox = p->box.minx, oy = p->box.miny;
    for (size_t i = 0; i < l->nkeys; i++) {
        const legend_key_t *key = &l->keys[i];
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
        const sample_t *s = &l->samples[i];
        cairo_rectangle(cr, ox + s->x, oy + s->y - s->width / 2, s->len, s->width);
        cairo_fill(cr);
    }
    cairo_restore(cr);
}

/* The classic bar: BAR_SEGMENTS segments alternating black and white in a black outline. */
static void draw_bar(const cor__layout_t *l, cairo_t *cr)
{
    const part_t *p = &l->parts[COR__FPART_SCALEBAR];
    double x = p->box.minx + l->bar_x, y = p->box.miny + l->bar_y, h = BAR_H * l->k;
    double seg = l->points / BAR_SEGMENTS, lw = 0.5 * l->k;
    cairo_save(cr);
    for (int i = 0; i < BAR_SEGMENTS; i++) {
        cairo_rectangle(cr, x + i * seg, y, seg, h);
        cor__paint_set_color(cr, i % 2 ? WHITE : INK, 1);
        cairo_fill(cr);
    }
    cairo_rectangle(cr, x, y, l->points, h);
    cairo_set_line_width(cr, lw);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
    cor__paint_set_color(cr, INK, 1);
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* The arrow: its left half black, its right half white, in a black outline. */
static void draw_north(const cor__layout_t *l, cairo_t *cr)
{
    const part_t *p = &l->parts[COR__FPART_SCALEBAR];
    double cx = p->box.minx + l->north_x, cy = p->box.miny + l->north_y, pts[4][2];
    arrow_points(l->north_angle * M_PI / 180, l->k, pts);
    cairo_save(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
    cairo_set_line_width(cr, 0.5 * l->k);
    for (int half = 0; half < 2; half++) {
        int wing = half == 0 ? 1 : 3;
        cairo_move_to(cr, cx + pts[0][0], cy + pts[0][1]);
        cairo_line_to(cr, cx + pts[wing][0], cy + pts[wing][1]);
        cairo_line_to(cr, cx + pts[2][0], cy + pts[2][1]);
        cairo_close_path(cr);
        cor__paint_set_color(cr, half == 0 ? INK : WHITE, 1);
        cairo_fill(cr);
    }
    for (int i = 0; i < 4; i++)
        cairo_line_to(cr, cx + pts[i][0], cy + pts[i][1]);
    cairo_close_path(cr);
    cor__paint_set_color(cr, INK, 1);
    cairo_stroke(cr);
    cairo_restore(cr);
}

static cor_status_t draw_north_letter(const cor__layout_t *l, cor__textout_t *to, cor_error_t *err)
{
    const part_t *p = &l->parts[COR__FPART_SCALEBAR];
    double nx, ny, w, h;
    north_letter(l, &nx, &ny, &w, &h);
    return cor__text_draw(to, "N", &l->ts[TS_NORTH], p->box.minx + l->north_x + nx,
                          p->box.miny + l->north_y + ny - h / 2, COR__ANCHOR_CENTER, err);
}

static void draw_inset_frame(const cor__layout_t *l, cairo_t *cr)
{
    cor_bbox_t b = l->parts[COR__FPART_INSET].box;
    double w = 0.6 * l->k;
    cairo_save(cr);
    cairo_rectangle(cr, b.minx + w / 2, b.miny + w / 2, b.maxx - b.minx - w, b.maxy - b.miny - w);
    cairo_set_line_width(cr, w);
    cor__paint_set_color(cr, (cor_color_t){0.35, 0.35, 0.35, 1}, 1);
    cairo_stroke(cr);
    cairo_restore(cr);
}

static void draw_shapes(const cor__layout_t *l, cairo_t *cr)
{
    const part_t *parts = l->parts;
    cairo_save(cr);
    cairo_new_path(cr);
    if (parts[COR__FPART_CREDITS].on)
        panel(cr, parts[COR__FPART_CREDITS].box, STRIP_ALPHA, false, l->k);
    if (parts[COR__FPART_TITLE].on)
        panel(cr, parts[COR__FPART_TITLE].box, PANEL_ALPHA, true, l->k);
    if (parts[COR__FPART_LEGEND].on) {
        panel(cr, parts[COR__FPART_LEGEND].box, PANEL_ALPHA, true, l->k);
        draw_keys(l, cr);
    }
    if (parts[COR__FPART_SCALEBAR].on && l->has_bar)
        draw_bar(l, cr);
    if (parts[COR__FPART_SCALEBAR].on && l->has_north)
        draw_north(l, cr);
    if (parts[COR__FPART_INSET].on)
        draw_inset_frame(l, cr);
    cairo_restore(cr);
}

cor_status_t cor__furniture_draw(const cor__layout_t *l, cairo_t *cr, cor__textout_t *to,
                                 cor_error_t *err)
{
    cor__textout_t own = {cr, NULL};
    cor_status_t st;
    if (!l || !cr)
        return cor__fail(err, COR_ERR_INTERNAL, "furniture: nothing to draw on");
    if (!to)
        to = &own;
    draw_shapes(l, cr);
    if ((st = cairo_ok(cr, err)) != COR_OK)
        return st;
    for (int i = 0; i < COR__FPART_COUNT; i++) {
        if ((st = draw_part_texts(l, (cor__fpart_t)i, to, err)) != COR_OK)
            return st;
    }
    if (l->parts[COR__FPART_SCALEBAR].on && l->has_north &&
        (st = draw_north_letter(l, to, err)) != COR_OK)
        return st;
    return cairo_ok(cr, err);
}

cor_status_t cor__furniture_draw_graticule(const cor__layout_t *l, cairo_t *cr, cor__textout_t *to,
                                           cor_error_t *err)
{
    cor__textout_t own = {cr, NULL};
    if (!l || !cr)
        return cor__fail(err, COR_ERR_INTERNAL, "furniture: nothing to draw on");
    if (!to)
        to = &own;
    cairo_save(cr);
    cairo_new_path(cr);
    for (size_t p = 0; p < l->grat.nparts; p++) {
        cairo_new_sub_path(cr);
        for (size_t i = l->grat.parts[p]; i < l->grat.parts[p + 1]; i++)
            cairo_line_to(cr, l->grat.x[i], l->grat.y[i]);
    }
    cairo_set_line_width(cr, GRAT_WIDTH * l->k);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cor__paint_set_color(cr, GRATICULE, 1);
    cairo_stroke(cr);
    cairo_restore(cr);
    cor_status_t st = cairo_ok(cr, err);
    if (st == COR_OK)
        st = draw_texts(l, &l->ticks, 0, 0, to, err);
    return st;
}
