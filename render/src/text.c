/* SPDX-License-Identifier: MIT */
/* text: text through Pango. One shared measuring context (hinting off, 72 dpi, unrounded glyph
 * positions) makes every measure independent of the output; text is drawn halo first, then
 * glyphs, on cairo or as SVG <text>, as a block or cluster by cluster along a path. It must not
 * place anything or know about maps, styles or files: positions arrive in page points. All Pango
 * use is serialised by one lock, since Pango's font maps are not thread-safe. */
#include "text.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <pango/pangocairo.h>

#include "text_block.h"
#include "utf8.h"
#include "util.h"

#define CAP_HEIGHT 0.72 /* nominal cap height in em: the band text aligns on beside a marker */

/* ---- the shared measuring context ----------------------------------------------------------- */

static pthread_mutex_t text_lock = PTHREAD_MUTEX_INITIALIZER; /* Pango and fontconfig use */
static PangoFontMap *font_map;
static PangoContext *measure;

/* The measuring context, made on first use. Caller holds the text lock.
 * The font map is released at exit (atexit runs it before LeakSanitizer's check): fontconfig
 * keeps tagged pointers in the patterns Pango caches, so a font map alive at exit looks like
 * leaked memory. glibc runs the handler at dlclose too, when the library is unloaded. */
static PangoContext *measure_context(void)
{
    static bool registered;
    if (measure)
        return measure;
    if (!registered)
        registered = atexit(cor__text_reset) == 0;
    font_map = pango_cairo_font_map_new();
    pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(font_map), 72.0);
    measure = pango_font_map_create_context(font_map);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    pango_cairo_context_set_font_options(measure, fo);
    cairo_font_options_destroy(fo);
    pango_cairo_context_set_resolution(measure, 72.0);
    pango_context_set_round_glyph_positions(measure, FALSE);
    return measure;
}

/* Pango 1.50 matches and sorts fonts in a thread of its own, and each task queued there holds
 * the font map. Waits (3 s at most) until ours is the only reference left, so that the font
 * map is freed here and now, not in that thread while the process exits. Layouts still in use
 * keep it anyway: then there is nothing to wait for. */
void cor__text_reset(void)
{
    pthread_mutex_lock(&text_lock);
    if (font_map) {
        bool in_use = G_OBJECT(measure)->ref_count > 1;
        g_object_unref(measure);
        for (int i = 0; !in_use && i < 3000; i++) {
            if (g_atomic_int_get((gint *)&G_OBJECT(font_map)->ref_count) <= 1)
                break;
            g_usleep(1000);
        }
        g_object_unref(font_map);
    }
    measure = NULL;
    font_map = NULL;
    pthread_mutex_unlock(&text_lock);
}

void cor__text_lock(void)
{
    pthread_mutex_lock(&text_lock);
}

void cor__text_unlock(void)
{
    pthread_mutex_unlock(&text_lock);
}

/* ---- laying out text ------------------------------------------------------------------------ */

static bool style_valid(const cor__text_style_t *ts)
{
    return ts && isfinite(ts->size) && ts->size > 0 && ts->size <= 1000 && isfinite(ts->tracking) &&
           fabs(ts->tracking) <= 2 && isfinite(ts->halo_width) && ts->halo_width >= 0 &&
           ts->halo_width <= 100;
}

cor_status_t cor__text_check(const char *text, const cor__text_style_t *ts, cor_error_t *err)
{
    if (!text || !ts)
        return cor__fail(err, COR_ERR_INTERNAL, "label without text or style");
    if (!cor__utf8_valid(text, strlen(text)))
        return cor__fail(err, COR_ERR_DATA, "a label text is not valid UTF-8");
    if (!style_valid(ts))
        return cor__fail(err, COR_ERR_USAGE,
                         "label \"%s\": text size %g pt, tracking %g em or halo %g pt out of range",
                         text, ts->size, ts->tracking, ts->halo_width);
    return COR_OK;
}

static bool halo_visible(const cor__text_style_t *ts)
{
    return ts->halo.a > 0 && ts->halo_width > 0;
}

double cor__text_halo_pad(const cor__text_style_t *ts)
{
    return halo_visible(ts) ? ts->halo_width / 2 : 0;
}

/* The weight as CSS and Pango know it: 0 (unset) is regular, others clamped to 100..1000. */
static int style_weight(const cor__text_style_t *ts)
{
    return ts->weight <= 0 ? 400 : ts->weight < 100 ? 100 : ts->weight > 1000 ? 1000 : ts->weight;
}

static PangoFontDescription *font_description(const cor__text_style_t *ts)
{
    PangoFontDescription *fd = pango_font_description_new();
    int weight = style_weight(ts);
    pango_font_description_set_family(fd, ts->font && *ts->font ? ts->font : COR__TEXT_FONT);
    pango_font_description_set_size(fd, (int)lround(ts->size * PANGO_SCALE));
    pango_font_description_set_weight(fd, (PangoWeight)weight);
    pango_font_description_set_style(fd, ts->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    return fd;
}

/* The text as set: NFC (so accented letters are single glyphs), capitals when asked, and
 * newlines as spaces for a single line. Returns: g_malloc'd text. */
static char *prepare_text(const char *text, const cor__text_style_t *ts, bool single_line)
{
    char *nfc = g_utf8_normalize(text, -1, G_NORMALIZE_NFC);
    if (!nfc)
        nfc = g_strdup(text);
    if (ts->upper) {
        char *up = g_utf8_strup(nfc, -1);
        g_free(nfc);
        nfc = up;
    }
    for (char *p = nfc; single_line && *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    return nfc;
}

static PangoLayout *make_layout(const char *text, const cor__text_style_t *ts, bool single_line)
{
    PangoLayout *layout = pango_layout_new(measure_context());
    PangoFontDescription *fd = font_description(ts);
    pango_layout_set_font_description(layout, fd);
    pango_font_description_free(fd);
    if (ts->tracking != 0) {
        PangoAttrList *attrs = pango_attr_list_new();
        int spacing = (int)lround(ts->tracking * ts->size * PANGO_SCALE);
        pango_attr_list_insert(attrs, pango_attr_letter_spacing_new(spacing));
        pango_layout_set_attributes(layout, attrs);
        pango_attr_list_unref(attrs);
    }
    pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
    char *set = prepare_text(text, ts, single_line);
    pango_layout_set_text(layout, set, -1);
    g_free(set);
    return layout;
}

static double pt(int pango_units)
{
    return (double)pango_units / PANGO_SCALE;
}

static cor_bbox_t bbox_union(cor_bbox_t a, cor_bbox_t b)
{
    return (cor_bbox_t){fmin(a.minx, b.minx), fmin(a.miny, b.miny), fmax(a.maxx, b.maxx),
                        fmax(a.maxy, b.maxy)};
}

/* The last line's baseline, from the top of the layout. */
static double last_baseline(PangoLayout *layout)
{
    PangoLayoutIter *it = pango_layout_get_iter(layout);
    while (pango_layout_iter_next_line(it))
        ;
    double b = pt(pango_layout_iter_get_baseline(it));
    pango_layout_iter_free(it);
    return b;
}

void cor__text_block_make(cor__text_block_t *b, const char *text, const cor__text_style_t *ts,
                          bool single_line)
{
    PangoRectangle ink, logical;
    b->layout = make_layout(text, ts, single_line);
    pango_layout_get_extents(b->layout, &ink, &logical);
    b->lx = pt(logical.x), b->ly = pt(logical.y);
    b->width = pt(logical.width), b->height = pt(logical.height);
    b->base1 = pt(pango_layout_get_baseline(b->layout));
    b->basen = last_baseline(b->layout);
    b->cap_top = b->base1 - CAP_HEIGHT * ts->size;
    cor_bbox_t band = {b->lx, b->cap_top, b->lx + b->width, b->basen};
    if (ink.width > 0 && ink.height > 0)
        band = bbox_union(band, (cor_bbox_t){pt(ink.x), pt(ink.y), pt(ink.x + ink.width),
                                             pt(ink.y + ink.height)});
    b->core = band;
}

void cor__text_block_clear(cor__text_block_t *b)
{
    if (b->layout)
        g_object_unref(b->layout);
    b->layout = NULL;
}

void cor__text_measure(const char *text, const cor__text_style_t *ts, double *width, double *height)
{
    double w = 0, h = 0;
    if (cor__text_check(text, ts, NULL) == COR_OK && *text) {
        cor__text_block_t b = {0};
        pthread_mutex_lock(&text_lock);
        cor__text_block_make(&b, text, ts, false);
        w = b.width, h = b.height;
        cor__text_block_clear(&b);
        pthread_mutex_unlock(&text_lock);
    }
    if (width)
        *width = w;
    if (height)
        *height = h;
}

int cor__text_missing_glyphs(const char *text, const cor__text_style_t *ts)
{
    if (cor__text_check(text, ts, NULL) != COR_OK)
        return -1;
    pthread_mutex_lock(&text_lock);
    PangoLayout *layout = make_layout(text, ts, false);
    int missing = pango_layout_get_unknown_glyphs_count(layout);
    g_object_unref(layout);
    pthread_mutex_unlock(&text_lock);
    return missing;
}

/* ---- drawing on cairo ----------------------------------------------------------------------- */

static void set_color(cairo_t *cr, cor_color_t c)
{
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
}

/* Strokes the path already built on cr as a halo. */
static void stroke_halo(cairo_t *cr, const cor__text_style_t *ts)
{
    cairo_save(cr);
    set_color(cr, ts->halo);
    cairo_set_line_width(cr, ts->halo_width);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* Draws a laid-out block with its top-left at (ox, oy): the halo or the text. */
static void cairo_block(cairo_t *cr, const cor__text_block_t *b, const cor__text_style_t *ts,
                        double ox, double oy, bool halo)
{
    if (halo && !halo_visible(ts))
        return;
    cairo_save(cr);
    cairo_new_path(cr);
    cairo_move_to(cr, ox, oy);
    if (halo) {
        pango_cairo_layout_path(cr, b->layout);
        stroke_halo(cr, ts);
    } else {
        set_color(cr, ts->color);
        pango_cairo_show_layout(cr, b->layout);
    }
    cairo_restore(cr);
}

cor_status_t cor__text_cairo_check(cairo_t *cr, cor_error_t *err)
{
    cairo_status_t st = cairo_status(cr);
    if (st != CAIRO_STATUS_SUCCESS)
        return cor__fail(err, COR_ERR_RENDER, "drawing labels: %s", cairo_status_to_string(st));
    return COR_OK;
}

/* ---- writing SVG ---------------------------------------------------------------------------- */

/* Appends a number in C-locale notation with at most 3 decimals. */
static bool svg_num(cor__buf_t *b, double v)
{
    char s[G_ASCII_DTOSTR_BUF_SIZE];
    if (!isfinite(v) || fabs(v) < 0.0005)
        v = 0;
    g_ascii_formatd(s, sizeof s, "%.3f", v);
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == '0')
        n--;
    if (n > 0 && s[n - 1] == '.')
        n--;
    return cor__buf_append(b, s, n);
}

static bool svg_attr_num(cor__buf_t *b, const char *name, double v)
{
    return cor__buf_printf(b, " %s=\"", name) && svg_num(b, v) && cor__buf_puts(b, "\"");
}

/* Characters XML 1.0 allows in a document; others are left out of the SVG. */
static bool xml_char(gunichar c)
{
    return c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF) ||
           (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

/* Appends n bytes of valid UTF-8 with XML's five special characters escaped. */
static bool svg_escape(cor__buf_t *b, const char *s, size_t n)
{
    for (const char *p = s, *end = s + n; p < end; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        const char *rep = c == '&'    ? "&amp;"
                          : c == '<'  ? "&lt;"
                          : c == '>'  ? "&gt;"
                          : c == '"'  ? "&quot;"
                          : c == '\'' ? "&apos;"
                                      : NULL;
        bool ok = rep ? cor__buf_puts(b, rep)
                      : !xml_char(c) || cor__buf_append(b, p, (size_t)(g_utf8_next_char(p) - p));
        if (!ok)
            return false;
    }
    return true;
}

static bool svg_color(cor__buf_t *b, const char *what, cor_color_t c)
{
    int r = (int)lround(fmin(fmax(c.r, 0), 1) * 255), g = (int)lround(fmin(fmax(c.g, 0), 1) * 255),
        bl = (int)lround(fmin(fmax(c.b, 0), 1) * 255);
    if (!cor__buf_printf(b, " %s=\"#%02x%02x%02x\"", what, r, g, bl))
        return false;
    if (c.a >= 1)
        return true;
    return cor__buf_printf(b, " %s-opacity=\"", what) && svg_num(b, fmax(c.a, 0)) &&
           cor__buf_puts(b, "\"");
}

static bool generic_family(const char *name)
{
    static const char *generic[] = {"serif",   "sans-serif", "monospace",
                                    "cursive", "fantasy",    "system-ui"};
    for (size_t i = 0; i < COR__ARRAY_LEN(generic); i++)
        if (cor__strcasecmp(name, generic[i]) == 0)
            return true;
    return false;
}

/* The Pango family list as CSS: names quoted, Pango's aliases mapped, sans-serif as a fallback. */
static bool svg_family(cor__buf_t *b, const char *list)
{
    char **names = g_strsplit(list && *list ? list : COR__TEXT_FONT, ",", -1);
    bool ok = cor__buf_puts(b, " font-family=\""), generic = false;
    size_t written = 0;
    for (size_t i = 0; ok && names[i]; i++) {
        const char *name = g_strstrip(g_strdelimit(names[i], "'\"", ' '));
        if (!*name)
            continue;
        if (!cor__strcasecmp(name, "sans"))
            name = "sans-serif"; /* Pango's alias */
        bool gen = generic_family(name);
        generic = generic || gen;
        ok = (written++ == 0 || cor__buf_puts(b, ", ")) && (gen || cor__buf_puts(b, "'")) &&
             svg_escape(b, name, strlen(name)) && (gen || cor__buf_puts(b, "'"));
    }
    g_strfreev(names);
    return ok && (generic || cor__buf_puts(b, ", sans-serif")) && cor__buf_puts(b, "\"");
}

/* SVG collapses runs of white space unless told not to. */
static bool needs_preserve(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && (s[0] == ' ' || s[n - 1] == ' ' || strstr(s, "  ") || strchr(s, '\t'));
}

/* Opens a <text> with the style's font and either its halo stroke or its fill. */
static bool svg_open(cor__buf_t *b, const cor__text_style_t *ts, const char *text, bool halo,
                     bool spacing)
{
    int weight = style_weight(ts);
    bool ok = cor__buf_puts(b, halo ? "<text class=\"halo\"" : "<text") &&
              svg_family(b, ts->font) && svg_attr_num(b, "font-size", ts->size);
    if (ok && weight != 400)
        ok = cor__buf_printf(b, " font-weight=\"%d\"", weight);
    if (ok && ts->italic)
        ok = cor__buf_puts(b, " font-style=\"italic\"");
    if (ok && spacing && ts->tracking != 0)
        ok = svg_attr_num(b, "letter-spacing", ts->tracking * ts->size);
    if (ok && needs_preserve(text))
        ok = cor__buf_puts(b, " xml:space=\"preserve\"");
    if (!ok)
        return false;
    if (!halo)
        return svg_color(b, "fill", ts->color);
    return cor__buf_puts(b, " fill=\"none\"") && svg_color(b, "stroke", ts->halo) &&
           svg_attr_num(b, "stroke-width", ts->halo_width) &&
           cor__buf_puts(b, " stroke-linejoin=\"round\" stroke-linecap=\"round\"");
}

/* One line of a block: its text and where its baseline starts. */
static bool svg_line(cor__buf_t *b, PangoLayoutIter *it, const char *text, double ox, double oy,
                     bool tspan)
{
    PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
    PangoRectangle logical;
    pango_layout_iter_get_line_extents(it, NULL, &logical);
    bool ok = (!tspan || cor__buf_puts(b, "<tspan")) && svg_attr_num(b, "x", ox + pt(logical.x)) &&
              svg_attr_num(b, "y", oy + pt(pango_layout_iter_get_baseline(it))) &&
              cor__buf_puts(b, ">");
    return ok && svg_escape(b, text + line->start_index, (size_t)line->length) &&
           (!tspan || cor__buf_puts(b, "</tspan>"));
}

/* Writes a block with its top-left at (ox, oy) as one <text>, lines as <tspan>s. */
static bool svg_block(cor__buf_t *b, const cor__text_block_t *blk, const cor__text_style_t *ts,
                      double ox, double oy, bool halo)
{
    if (halo && !halo_visible(ts))
        return true;
    const char *text = pango_layout_get_text(blk->layout);
    bool multi = pango_layout_get_line_count(blk->layout) > 1;
    bool ok = svg_open(b, ts, text, halo, true) && (!multi || cor__buf_puts(b, ">"));
    PangoLayoutIter *it = pango_layout_get_iter(blk->layout);
    do
        ok = ok && svg_line(b, it, text, ox, oy, multi);
    while (ok && pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    return ok && cor__buf_puts(b, "</text>\n");
}

void cor__text_svg_truncate(cor__buf_t *b, size_t mark)
{
    if (b->data && b->len > mark) {
        b->len = mark;
        b->data[mark] = '\0';
    }
}

/* ---- drawing blocks ------------------------------------------------------------------------ */

bool cor__text_block_draw(cor__textout_t *to, const cor__text_block_t *b,
                          const cor__text_style_t *ts, double ox, double oy, bool halo)
{
    if (to->svg)
        return svg_block(to->svg, b, ts, ox, oy, halo);
    cairo_block(to->cr, b, ts, ox, oy, halo);
    return true;
}

cor_status_t cor__text_draw(cor__textout_t *to, const char *text, const cor__text_style_t *ts,
                            double x, double y, cor__anchor_t anchor, cor_error_t *err)
{
    cor_status_t st = cor__text_check(text, ts, err);
    if (st != COR_OK)
        return st;
    if (!to || (!to->cr && !to->svg))
        return cor__fail(err, COR_ERR_INTERNAL, "label \"%s\" has nowhere to go", text);
    if (!*text || !isfinite(x) || !isfinite(y))
        return COR_OK;
    cor__text_block_t b = {0};
    pthread_mutex_lock(&text_lock);
    cor__text_block_make(&b, text, ts, false);
    double ox = x - b.lx -
                (anchor == COR__ANCHOR_CENTER  ? b.width / 2
                 : anchor == COR__ANCHOR_RIGHT ? b.width
                                               : 0);
    double oy = y - b.ly;
    size_t mark = to->svg ? to->svg->len : 0;
    if (!cor__text_block_draw(to, &b, ts, ox, oy, true) ||
        !cor__text_block_draw(to, &b, ts, ox, oy, false)) {
        cor__text_svg_truncate(to->svg, mark);
        st = cor__fail(err, COR_ERR_NOMEM, "out of memory writing label \"%s\"", text);
    } else if (!to->svg) {
        st = cor__text_cairo_check(to->cr, err);
    }
    cor__text_block_clear(&b);
    pthread_mutex_unlock(&text_lock);
    return st;
}

/* ---- glyph clusters ------------------------------------------------------------------------- */

/* The x of glyph g within its run: the widths of the glyphs before it. */
static double glyph_x(const PangoGlyphItem *run, int g)
{
    int x = 0;
    for (int i = 0; i < g; i++)
        x += run->glyphs->glyphs[i].geometry.width;
    return pt(x);
}

static double glyphs_width(const PangoGlyphItem *run, int g0, int g1)
{
    int w = 0;
    for (int i = g0; i < g1; i++)
        w += run->glyphs->glyphs[i].geometry.width;
    return pt(w);
}

bool cor__text_block_clusters(const cor__text_block_t *b, cor__text_cluster_t **out, size_t *n)
{
    PangoLayoutLine *line = pango_layout_get_line_readonly(b->layout, 0);
    const char *text = pango_layout_get_text(b->layout);
    cor__text_cluster_t *v = NULL;
    size_t cap = 0, count = 0;
    double x = 0;
    for (GSList *r = line ? line->runs : NULL; r; r = r->next) {
        PangoGlyphItem *run = r->data;
        PangoGlyphItemIter it;
        for (gboolean ok = pango_glyph_item_iter_init_start(&it, run, text); ok;
             ok = pango_glyph_item_iter_next_cluster(&it)) {
            bool ltr = it.start_glyph < it.end_glyph;
            int g0 = ltr ? it.start_glyph : it.end_glyph + 1;
            int g1 = ltr ? it.end_glyph : it.start_glyph + 1;
            if (!cor__grow((void **)&v, &cap, count + 1, sizeof *v)) {
                free(v);
                return false;
            }
            v[count++] = (cor__text_cluster_t){run,
                                               g0,
                                               g1,
                                               it.start_index,
                                               it.end_index,
                                               x + glyph_x(run, g0),
                                               glyphs_width(run, g0, g1)};
        }
        x += pt(pango_glyph_string_get_width(run->glyphs));
    }
    *out = v, *n = count;
    return true;
}

/* ---- text along a path ---------------------------------------------------------------------- */

/* Adds one cluster's glyph outlines to the path (for its halo), or shows its glyphs, with their
 * origin at the current point. */
static void cairo_cluster(cairo_t *cr, const cor__text_cluster_t *c, bool path)
{
    PangoGlyphString *gs = pango_glyph_string_new();
    pango_glyph_string_set_size(gs, c->g1 - c->g0);
    memcpy(gs->glyphs, c->run->glyphs->glyphs + c->g0,
           (size_t)(c->g1 - c->g0) * sizeof *gs->glyphs);
    for (int i = 0; i < gs->num_glyphs; i++)
        gs->log_clusters[i] = 0;
    if (path)
        pango_cairo_glyph_string_path(cr, c->run->item->analysis.font, gs);
    else
        pango_cairo_show_glyph_string(cr, c->run->item->analysis.font, gs);
    pango_glyph_string_free(gs);
}

static void cairo_path_text(cairo_t *cr, const cor__text_cluster_t *clusters,
                            const cor__text_pos_t *pos, size_t n, const cor__text_style_t *ts,
                            bool halo)
{
    if (halo && !halo_visible(ts))
        return;
    cairo_save(cr);
    cairo_new_path(cr);
    if (!halo)
        set_color(cr, ts->color);
    for (size_t i = 0; i < n; i++) {
        cairo_save(cr);
        cairo_translate(cr, pos[i].x, pos[i].y);
        cairo_rotate(cr, pos[i].angle);
        cairo_move_to(cr, 0, 0);
        cairo_cluster(cr, &clusters[i], halo);
        cairo_restore(cr); /* the path survives: it is not part of the graphics state */
    }
    if (halo)
        stroke_halo(cr, ts);
    cairo_restore(cr);
}

/* The baseline the clusters sit on, as SVG path data: from the first cluster's origin, through
 * the points between each cluster's end and the next one's origin (the labeler keeps these
 * within a fraction of an em), to the last cluster's end. */
static bool svg_baseline(cor__buf_t *b, const cor__text_cluster_t *clusters,
                         const cor__text_pos_t *pos, const size_t *order, size_t n)
{
    bool ok = cor__buf_puts(b, " d=\"M");
    for (size_t k = 0; ok && k <= n; k++) {
        double x, y;
        if (k == 0) {
            x = pos[order[0]].x, y = pos[order[0]].y;
        } else {
            const cor__text_pos_t *g = &pos[order[k - 1]];
            double w = clusters[order[k - 1]].w;
            x = g->x + w * cos(g->angle), y = g->y + w * sin(g->angle);
            if (k < n)
                x = (x + pos[order[k]].x) / 2, y = (y + pos[order[k]].y) / 2;
        }
        ok = (k == 0 || cor__buf_puts(b, " L")) && cor__buf_puts(b, " ") && svg_num(b, x) &&
             cor__buf_puts(b, " ") && svg_num(b, y);
    }
    return ok && cor__buf_puts(b, "\"");
}

/* One glyph cluster as a <text> of its own, moved to its origin and turned like it. */
static bool svg_cluster(cor__buf_t *b, const cor__text_cluster_t *c, const cor__text_pos_t *g,
                        const char *text, const cor__text_style_t *ts, bool halo)
{
    return svg_open(b, ts, text + c->b0, halo, false) &&
           cor__buf_puts(b, " transform=\"translate(") && svg_num(b, g->x) &&
           cor__buf_puts(b, " ") && svg_num(b, g->y) && cor__buf_puts(b, ") rotate(") &&
           svg_num(b, g->angle * 180 / M_PI) && cor__buf_puts(b, ")\">") &&
           svg_escape(b, text + c->b0, (size_t)(c->b1 - c->b0)) && cor__buf_puts(b, "</text>");
}

/* Where an SVG renderer that knows XHTML (browsers) takes the first branch of a <switch>, and
 * one that does not (librsvg, which also lacks <textPath>) the second. */
#define SVG_XHTML "http://www.w3.org/1999/xhtml"

/* Text along a path. A <switch> of two equivalents: one <text> holding the whole text in one
 * <textPath> on the clusters' baseline (a <path> in <defs>, its id taken from where it starts in
 * the document, so ids are unique and the same run after run), which browsers set along the
 * line as cairo does and which reads as words; and, for librsvg, which draws no <textPath>, a
 * <g> of one <text> per cluster, each moved and turned to where cairo draws it. */
static bool svg_path_text(cor__buf_t *b, const cor__text_block_t *blk,
                          const cor__text_cluster_t *clusters, const cor__text_pos_t *pos, size_t n,
                          const cor__text_style_t *ts, bool halo)
{
    if ((halo && !halo_visible(ts)) || n == 0)
        return true;
    const char *text = pango_layout_get_text(blk->layout);
    size_t *order = cor__calloc(n, sizeof *order), m = 0;
    if (!order)
        return false;
    for (int at = 0; text[at] && m < n;) { /* the clusters in the text's order */
        size_t i = 0;
        while (i < n && clusters[i].b0 != at)
            i++;
        if (i == n)
            break; /* clusters cover the text; this does not happen */
        order[m++] = i;
        at = clusters[i].b1;
    }
    char id[40];
    snprintf(id, sizeof id, "cor-path-%zu", b->len);
    bool ok =
        m > 0 && cor__buf_printf(b, "<defs><path id=\"%s\"", id) &&
        svg_baseline(b, clusters, pos, order, m) && cor__buf_puts(b, "/></defs><switch>") &&
        svg_open(b, ts, text, halo, true) &&
        cor__buf_printf(b, " requiredExtensions=\"%s\"><textPath xlink:href=\"#%s\" href=\"#%s\">",
                        SVG_XHTML, id, id) &&
        svg_escape(b, text, strlen(text)) && cor__buf_puts(b, "</textPath></text><g>");
    for (size_t k = 0; ok && k < m; k++)
        ok = svg_cluster(b, &clusters[order[k]], &pos[order[k]], text, ts, halo);
    free(order);
    return ok && cor__buf_puts(b, "</g></switch>\n");
}

bool cor__text_path_draw(cor__textout_t *to, const cor__text_block_t *b,
                         const cor__text_cluster_t *clusters, const cor__text_pos_t *pos, size_t n,
                         const cor__text_style_t *ts, bool halo)
{
    if (to->svg)
        return svg_path_text(to->svg, b, clusters, pos, n, ts, halo);
    cairo_path_text(to->cr, clusters, pos, n, ts, halo);
    return true;
}
