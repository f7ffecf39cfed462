/* label: text through Pango. One shared measuring context (hinting off, 72 dpi, unrounded glyph
 * positions) makes every measure independent of the output; labels are placed greedily by
 * priority against a grid of taken boxes, and drawn halos first, then text, on cairo or as SVG
 * <text>. It must not know about maps, styles or files: anchors arrive in page points. All Pango
 * use is serialised by one lock, since Pango's font maps are not thread-safe. */
#include "label.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <pango/pangocairo.h>

#include "util.h"

#define DEFAULT_FONT "Noto Sans"
#define CAP_HEIGHT   0.72  /* nominal cap height in em, for aligning text beside a marker */
#define MARKER_GAP   0.2   /* space between a marker and its label, in em */
#define PAGE_MARGIN  2.0   /* labels keep this far (pt) from the page edge */
#define MAX_TURN     30.0  /* degrees between neighbouring glyphs of a line label */
#define MAX_TILT     100.0 /* degrees from horizontal before a glyph reads upside down */
#define LINE_TRIES   9     /* positions tried along a line */
#define GRID_CELLS   128   /* the collision grid has at most this many cells a side */
#define NO_OWNER     SIZE_MAX

/* ---- the shared measuring context ----------------------------------------------------------- */

G_LOCK_DEFINE_STATIC(text);
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
    G_LOCK(text);
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
    G_UNLOCK(text);
}

/* ---- laying out text ------------------------------------------------------------------------ */

/* A piece of text laid out once: the layout and its measures in pt, relative to its top-left. */
typedef struct block {
    PangoLayout *layout;
    double lx, ly, width, height; /* logical box */
    double base1, basen;          /* baselines of the first and last lines */
    cor_bbox_t core;              /* what must not collide: ink, logical width and cap band */
} block_t;

static bool style_valid(const cor__text_style_t *ts)
{
    return ts && isfinite(ts->size) && ts->size > 0 && ts->size <= 1000 && isfinite(ts->tracking) &&
           fabs(ts->tracking) <= 2 && isfinite(ts->halo_width) && ts->halo_width >= 0 &&
           ts->halo_width <= 100;
}

static cor_status_t check_input(const char *text, const cor__text_style_t *ts, cor_error_t *err)
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

/* How far a label's box reaches beyond its glyphs: half the halo stroke. */
static double halo_pad(const cor__text_style_t *ts)
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
    pango_font_description_set_family(fd, ts->font && *ts->font ? ts->font : DEFAULT_FONT);
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

/* Lays out and measures text. Caller holds the text lock; release with block_clear(). */
static void block_make(block_t *b, const char *text, const cor__text_style_t *ts, bool single_line)
{
    PangoRectangle ink, logical;
    b->layout = make_layout(text, ts, single_line);
    pango_layout_get_extents(b->layout, &ink, &logical);
    b->lx = pt(logical.x), b->ly = pt(logical.y);
    b->width = pt(logical.width), b->height = pt(logical.height);
    b->base1 = pt(pango_layout_get_baseline(b->layout));
    b->basen = last_baseline(b->layout);
    cor_bbox_t band = {b->lx, b->base1 - CAP_HEIGHT * ts->size, b->lx + b->width, b->basen};
    if (ink.width > 0 && ink.height > 0)
        band = bbox_union(band, (cor_bbox_t){pt(ink.x), pt(ink.y), pt(ink.x + ink.width),
                                             pt(ink.y + ink.height)});
    b->core = band;
}

static void block_clear(block_t *b)
{
    if (b->layout)
        g_object_unref(b->layout);
    b->layout = NULL;
}

void cor__text_measure(const char *text, const cor__text_style_t *ts, double *width, double *height)
{
    double w = 0, h = 0;
    if (check_input(text, ts, NULL) == COR_OK && *text) {
        block_t b = {0};
        G_LOCK(text);
        block_make(&b, text, ts, false);
        w = b.width, h = b.height;
        block_clear(&b);
        G_UNLOCK(text);
    }
    if (width)
        *width = w;
    if (height)
        *height = h;
}

int cor__text_missing_glyphs(const char *text, const cor__text_style_t *ts)
{
    if (check_input(text, ts, NULL) != COR_OK)
        return -1;
    G_LOCK(text);
    PangoLayout *layout = make_layout(text, ts, false);
    int missing = pango_layout_get_unknown_glyphs_count(layout);
    g_object_unref(layout);
    G_UNLOCK(text);
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
static void cairo_block(cairo_t *cr, const block_t *b, const cor__text_style_t *ts, double ox,
                        double oy, bool halo)
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

static cor_status_t cairo_check(cairo_t *cr, cor_error_t *err)
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
    char **names = g_strsplit(list && *list ? list : DEFAULT_FONT, ",", -1);
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
static bool svg_block(cor__buf_t *b, const block_t *blk, const cor__text_style_t *ts, double ox,
                      double oy, bool halo)
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

/* Drops what a failed write appended after `mark`, so no half element stays in the SVG. */
static void svg_truncate(cor__buf_t *b, size_t mark)
{
    if (b->data && b->len > mark) {
        b->len = mark;
        b->data[mark] = '\0';
    }
}

/* ---- drawing one piece of text -------------------------------------------------------------- */

cor_status_t cor__text_draw(cor__textout_t *to, const char *text, const cor__text_style_t *ts,
                            double x, double y, cor__anchor_t anchor, cor_error_t *err)
{
    cor_status_t st = check_input(text, ts, err);
    if (st != COR_OK)
        return st;
    if (!to || (!to->cr && !to->svg))
        return cor__fail(err, COR_ERR_INTERNAL, "label \"%s\" has nowhere to go", text);
    if (!*text || !isfinite(x) || !isfinite(y))
        return COR_OK;
    block_t b = {0};
    G_LOCK(text);
    block_make(&b, text, ts, false);
    double ox = x - b.lx -
                (anchor == COR__ANCHOR_CENTER  ? b.width / 2
                 : anchor == COR__ANCHOR_RIGHT ? b.width
                                               : 0);
    double oy = y - b.ly;
    if (to->svg) {
        size_t mark = to->svg->len;
        if (!svg_block(to->svg, &b, ts, ox, oy, true) ||
            !svg_block(to->svg, &b, ts, ox, oy, false)) {
            svg_truncate(to->svg, mark);
            st = cor__fail(err, COR_ERR_NOMEM, "out of memory writing label \"%s\"", text);
        }
    } else {
        cairo_block(to->cr, &b, ts, ox, oy, true);
        cairo_block(to->cr, &b, ts, ox, oy, false);
        st = cairo_check(to->cr, err);
    }
    block_clear(&b);
    G_UNLOCK(text);
    return st;
}

/* ---- the labeler's state -------------------------------------------------------------------- */

typedef enum kind { KIND_POINT, KIND_AREA, KIND_LINE } kind_t;

/* A glyph cluster of a line label: glyphs [g0, g1) of a run, bytes [b0, b1) of the layout's
 * text, at x .. x + w along the text. */
typedef struct cluster {
    PangoGlyphItem *run; /* borrowed from the layout */
    int g0, g1, b0, b1;
    double x, w;
} cluster_t;

/* Where a placed cluster's origin (left end of its baseline) is, and its angle in radians. */
typedef struct glyph_pos {
    double x, y, angle;
} glyph_pos_t;

typedef struct label {
    kind_t kind;
    char *text; /* as added */
    char *font;
    cor__text_style_t ts; /* ts.font points to `font` */
    double priority;
    double x, y, r; /* the anchor: a point, an area's centre */
    block_t block[2];
    int nblocks;             /* area labels have a second, two-line block */
    double *px, *py, offset; /* a line label's polyline and distance above it */
    size_t n;
    cluster_t *clusters;
    size_t nclusters;
    bool placed;
    int used;            /* the block placed */
    double ox, oy;       /* its top-left */
    glyph_pos_t *glyphs; /* a placed line label's clusters */
    cor_bbox_t *boxes;   /* the placed boxes, padded by the halo */
    size_t nboxes;
} label_t;

/* A box that labels must avoid: an obstacle (owner NO_OWNER), a marker (owned by its label,
 * which alone may overlap it) or a placed label's box. */
typedef struct slot {
    cor_bbox_t box;
    size_t owner;
} slot_t;

typedef struct cell {
    size_t *ids;
    size_t n, cap;
} cell_t;

struct cor__labeler {
    double width, height;
    double cell; /* the grid's cell size, pt */
    int nx, ny;
    cell_t *cells;
    slot_t *fixed; /* obstacles and markers, in the order added */
    size_t nfixed, fixed_cap;
    slot_t *slots; /* what the grid indexes: fixed boxes, then placed boxes */
    size_t nslots, slots_cap;
    label_t *labels;
    size_t nlabels, labels_cap;
    size_t *order; /* placed labels, in the order placed */
    size_t nplaced;
    long unusable;       /* labels dropped when added: no finite anchor or line */
    long dropped;        /* labels the last placing found no room for */
    cor_status_t status; /* the first allocation failure in a void call, reported by draw */
};

cor_status_t cor__labeler_new(double width, double height, cor__labeler_t **out, cor_error_t *err)
{
    if (!(width > 0 && height > 0 && width < 1e6 && height < 1e6))
        return cor__fail(err, COR_ERR_USAGE, "label page of %g x %g pt", width, height);
    cor__labeler_t *lb = cor__calloc(1, sizeof *lb);
    if (!lb)
        goto fail;
    lb->width = width, lb->height = height;
    lb->cell = fmax(24.0, fmax(width, height) / GRID_CELLS);
    lb->nx = (int)ceil(width / lb->cell), lb->ny = (int)ceil(height / lb->cell);
    lb->cells = cor__calloc((size_t)lb->nx * (size_t)lb->ny, sizeof *lb->cells);
    if (!lb->cells)
        goto fail;
    *out = lb;
    return COR_OK;
fail:
    cor__labeler_free(lb);
    return cor__fail(err, COR_ERR_NOMEM, "out of memory for a labeler");
}

static void label_clear(label_t *l)
{
    for (int i = 0; i < 2; i++)
        block_clear(&l->block[i]);
    free(l->text);
    free(l->font);
    free(l->px);
    free(l->py);
    free(l->clusters);
    free(l->glyphs);
    free(l->boxes);
}

void cor__labeler_free(cor__labeler_t *lb)
{
    if (!lb)
        return;
    G_LOCK(text);
    for (size_t i = 0; i < lb->nlabels; i++)
        label_clear(&lb->labels[i]);
    G_UNLOCK(text);
    for (size_t i = 0; lb->cells && i < (size_t)lb->nx * (size_t)lb->ny; i++)
        free(lb->cells[i].ids);
    free(lb->cells);
    free(lb->fixed);
    free(lb->slots);
    free(lb->labels);
    free(lb->order);
    free(lb);
}

static bool box_valid(cor_bbox_t b)
{
    return isfinite(b.minx) && isfinite(b.miny) && isfinite(b.maxx) && isfinite(b.maxy) &&
           b.minx <= b.maxx && b.miny <= b.maxy;
}

static void add_fixed(cor__labeler_t *lb, cor_bbox_t box, size_t owner)
{
    if (!box_valid(box) || lb->status != COR_OK)
        return;
    if (!cor__grow((void **)&lb->fixed, &lb->fixed_cap, lb->nfixed + 1, sizeof *lb->fixed)) {
        lb->status = COR_ERR_NOMEM;
        return;
    }
    lb->fixed[lb->nfixed++] = (slot_t){box, owner};
}

void cor__labeler_obstacle(cor__labeler_t *lb, cor_bbox_t box)
{
    if (lb)
        add_fixed(lb, box, NO_OWNER);
}

/* ---- the collision grid --------------------------------------------------------------------- */

static int clampi(double v, int n)
{
    return v < 0 ? 0 : v >= n ? n - 1 : (int)v;
}

/* The cells a box covers (boxes beyond the page land in the border cells). */
static void cell_range(const cor__labeler_t *lb, cor_bbox_t b, int *x0, int *y0, int *x1, int *y1)
{
    *x0 = clampi(floor(b.minx / lb->cell), lb->nx), *x1 = clampi(floor(b.maxx / lb->cell), lb->nx);
    *y0 = clampi(floor(b.miny / lb->cell), lb->ny), *y1 = clampi(floor(b.maxy / lb->cell), lb->ny);
}

static bool grid_insert(cor__labeler_t *lb, slot_t s)
{
    size_t id = lb->nslots;
    if (!cor__grow((void **)&lb->slots, &lb->slots_cap, id + 1, sizeof *lb->slots))
        return false;
    lb->slots[lb->nslots++] = s;
    int x0, y0, x1, y1;
    cell_range(lb, s.box, &x0, &y0, &x1, &y1);
    for (int cy = y0; cy <= y1; cy++)
        for (int cx = x0; cx <= x1; cx++) {
            cell_t *c = &lb->cells[(size_t)cy * (size_t)lb->nx + (size_t)cx];
            if (!cor__grow((void **)&c->ids, &c->cap, c->n + 1, sizeof *c->ids))
                return false;
            c->ids[c->n++] = id;
        }
    return true;
}

static void grid_clear(cor__labeler_t *lb)
{
    for (size_t i = 0; i < (size_t)lb->nx * (size_t)lb->ny; i++)
        lb->cells[i].n = 0;
    lb->nslots = 0;
}

static bool overlaps(cor_bbox_t a, cor_bbox_t b)
{
    return a.minx < b.maxx && b.minx < a.maxx && a.miny < b.maxy && b.miny < a.maxy;
}

/* Returns: true when `box` is inside the page (less its margin) and touches no taken box other
 * than those `owner` owns. */
static bool box_free(const cor__labeler_t *lb, cor_bbox_t box, size_t owner)
{
    if (!box_valid(box) || box.minx < PAGE_MARGIN || box.miny < PAGE_MARGIN ||
        box.maxx > lb->width - PAGE_MARGIN || box.maxy > lb->height - PAGE_MARGIN)
        return false;
    int x0, y0, x1, y1;
    cell_range(lb, box, &x0, &y0, &x1, &y1);
    for (int cy = y0; cy <= y1; cy++)
        for (int cx = x0; cx <= x1; cx++) {
            const cell_t *c = &lb->cells[(size_t)cy * (size_t)lb->nx + (size_t)cx];
            for (size_t i = 0; i < c->n; i++) {
                const slot_t *s = &lb->slots[c->ids[i]];
                if (s->owner != owner && overlaps(s->box, box))
                    return false;
            }
        }
    return true;
}

/* ---- adding labels -------------------------------------------------------------------------- */

/* Appends a label with a copy of text and style. Caller holds the text lock.
 * Returns: the new label, or NULL when memory is exhausted. */
static label_t *label_push(cor__labeler_t *lb, kind_t kind, const char *text,
                           const cor__text_style_t *ts, double priority)
{
    if (!cor__grow((void **)&lb->labels, &lb->labels_cap, lb->nlabels + 1, sizeof *lb->labels))
        return NULL;
    label_t *l = &lb->labels[lb->nlabels];
    memset(l, 0, sizeof *l);
    l->kind = kind;
    l->ts = *ts;
    l->priority = isnan(priority) ? -HUGE_VAL : priority;
    l->text = cor__strdup(text);
    l->font = ts->font ? cor__strdup(ts->font) : NULL;
    l->ts.font = l->font;
    if (!l->text || (ts->font && !l->font)) {
        label_clear(l);
        return NULL;
    }
    lb->nlabels++;
    return l;
}

/* The common checks of every add: a sticky error, the text and style, a usable anchor. */
static cor_status_t add_check(cor__labeler_t *lb, const char *text, const cor__text_style_t *ts,
                              cor_error_t *err)
{
    if (!lb)
        return cor__fail(err, COR_ERR_INTERNAL, "label without a labeler");
    if (lb->status != COR_OK)
        return cor__fail(err, lb->status, "out of memory placing labels");
    return check_input(text, ts, err);
}

static cor_status_t nomem(const char *text, cor_error_t *err)
{
    return cor__fail(err, COR_ERR_NOMEM, "out of memory for label \"%s\"", text);
}

cor_status_t cor__labeler_add_point(cor__labeler_t *lb, const char *text, double x, double y,
                                    double r, const cor__text_style_t *ts, double priority,
                                    cor_error_t *err)
{
    cor_status_t st = add_check(lb, text, ts, err);
    if (st != COR_OK)
        return st;
    if (!isfinite(x) || !isfinite(y) || !isfinite(r)) {
        lb->unusable += *text != '\0';
        return COR_OK;
    }
    r = fmax(r, 0);
    if (r > 0)
        add_fixed(lb, (cor_bbox_t){x - r, y - r, x + r, y + r}, *text ? lb->nlabels : NO_OWNER);
    if (lb->status != COR_OK)
        return nomem(text, err);
    if (!*text)
        return COR_OK;
    G_LOCK(text);
    label_t *l = label_push(lb, KIND_POINT, text, ts, priority);
    if (l) {
        l->x = x, l->y = y, l->r = r, l->nblocks = 1;
        block_make(&l->block[0], text, ts, false);
    }
    G_UNLOCK(text);
    return l ? COR_OK : nomem(text, err);
}

/* The space nearest the middle of a one-line text (in characters), not at either end.
 * Returns: a pointer into text, or NULL when there is none. */
static const char *inner_space(const char *text)
{
    glong n = g_utf8_strlen(text, -1), best = -1, i = 0;
    const char *at = NULL;
    if (strchr(text, '\n'))
        return NULL;
    for (const char *p = text; *p; p = g_utf8_next_char(p), i++)
        if (*p == ' ' && i > 0 && i < n - 1 && (best < 0 || labs(2 * i - n) < labs(2 * best - n)))
            best = i, at = p;
    return at;
}

/* Returns: a malloc'd copy of text broken at its inner_space(), NULL on exhaustion. */
static char *two_lines(const char *text)
{
    char *out = cor__strdup(text);
    if (out)
        out[inner_space(text) - text] = '\n';
    return out;
}

cor_status_t cor__labeler_add_area(cor__labeler_t *lb, const char *text, double x, double y,
                                   const cor__text_style_t *ts, double priority, cor_error_t *err)
{
    return cor__labeler_add_area_at(lb, text, &x, &y, 1, ts, priority, err);
}

cor_status_t cor__labeler_add_area_at(cor__labeler_t *lb, const char *text, const double *xs,
                                      const double *ys, size_t n, const cor__text_style_t *ts,
                                      double priority, cor_error_t *err)
{
    cor_status_t st = add_check(lb, text, ts, err);
    if (st != COR_OK || !*text)
        return st;
    if (n == 0 || !isfinite(xs[0]) || !isfinite(ys[0])) {
        lb->unusable++;
        return COR_OK;
    }
    char *wrapped = NULL;
    if (inner_space(text) && !(wrapped = two_lines(text)))
        return nomem(text, err);
    G_LOCK(text);
    label_t *l = label_push(lb, KIND_AREA, text, ts, priority);
    if (l) {
        l->x = xs[0], l->y = ys[0], l->nblocks = 1;
        block_make(&l->block[0], text, ts, false);
        if (wrapped)
            block_make(&l->block[l->nblocks++], wrapped, ts, false);
        /* the other anchors, tried in order after the first one's shifts */
        l->px = cor__calloc(n, sizeof *l->px);
        l->py = cor__calloc(n, sizeof *l->py);
        if (l->px && l->py) {
            for (size_t i = 0; i < n; i++)
                if (isfinite(xs[i]) && isfinite(ys[i]))
                    l->px[l->n] = xs[i], l->py[l->n++] = ys[i];
        }
    }
    G_UNLOCK(text);
    free(wrapped);
    return l && l->px && l->py ? COR_OK : nomem(text, err);
}

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

/* Splits a single-line layout into its glyph clusters, left to right.
 * Returns: false when memory is exhausted. */
static bool collect_clusters(label_t *l)
{
    PangoLayout *layout = l->block[0].layout;
    PangoLayoutLine *line = pango_layout_get_line_readonly(layout, 0);
    const char *text = pango_layout_get_text(layout);
    size_t cap = 0;
    double x = 0;
    for (GSList *r = line ? line->runs : NULL; r; r = r->next) {
        PangoGlyphItem *run = r->data;
        PangoGlyphItemIter it;
        for (gboolean ok = pango_glyph_item_iter_init_start(&it, run, text); ok;
             ok = pango_glyph_item_iter_next_cluster(&it)) {
            bool ltr = it.start_glyph < it.end_glyph;
            int g0 = ltr ? it.start_glyph : it.end_glyph + 1;
            int g1 = ltr ? it.end_glyph : it.start_glyph + 1;
            if (!cor__grow((void **)&l->clusters, &cap, l->nclusters + 1, sizeof *l->clusters))
                return false;
            l->clusters[l->nclusters++] = (cluster_t){run,
                                                      g0,
                                                      g1,
                                                      it.start_index,
                                                      it.end_index,
                                                      x + glyph_x(run, g0),
                                                      glyphs_width(run, g0, g1)};
        }
        x += pt(pango_glyph_string_get_width(run->glyphs));
    }
    return true;
}

/* Copies the polyline without repeated points, so that every segment has a length.
 * Returns: false on exhaustion. */
static bool copy_line(label_t *l, const double *x, const double *y, size_t n)
{
    l->px = cor__calloc(n, sizeof *l->px);
    l->py = cor__calloc(n, sizeof *l->py);
    l->glyphs = cor__calloc(l->nclusters, sizeof *l->glyphs);
    l->boxes = cor__calloc(l->nclusters, sizeof *l->boxes);
    if (!l->px || !l->py || !l->glyphs || !l->boxes)
        return false;
    for (size_t i = 0; i < n; i++)
        if (l->n == 0 || x[i] != l->px[l->n - 1] || y[i] != l->py[l->n - 1])
            l->px[l->n] = x[i], l->py[l->n++] = y[i];
    return true;
}

static bool line_finite(const double *x, const double *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]) || !isfinite(y[i]))
            return false;
    return true;
}

cor_status_t cor__labeler_add_line_at(cor__labeler_t *lb, const char *text, const double *x,
                                      const double *y, size_t n, const cor__text_style_t *ts,
                                      double offset, double priority, cor_error_t *err)
{
    cor_status_t st = add_check(lb, text, ts, err);
    if (st != COR_OK || !*text)
        return st;
    if (n > 0 && (!x || !y))
        return cor__fail(err, COR_ERR_INTERNAL, "label \"%s\": line without points", text);
    if (n < 2 || !isfinite(offset) || !line_finite(x, y, n)) {
        lb->unusable++;
        return COR_OK;
    }
    G_LOCK(text);
    label_t *l = label_push(lb, KIND_LINE, text, ts, priority);
    bool ok = l != NULL;
    if (ok) {
        l->nblocks = 1, l->offset = offset;
        block_make(&l->block[0], text, ts, true);
        ok = collect_clusters(l) && copy_line(l, x, y, n);
    }
    bool usable = ok && l->n >= 2 && l->nclusters > 0; /* not all one point, something to set */
    if (l && !usable) {
        label_clear(l);
        lb->nlabels--;
        lb->unusable += ok;
    }
    G_UNLOCK(text);
    return ok ? COR_OK : nomem(text, err);
}

cor_status_t cor__labeler_add_line(cor__labeler_t *lb, const char *text, const double *x,
                                   const double *y, size_t n, const cor__text_style_t *ts,
                                   double priority, cor_error_t *err)
{
    return cor__labeler_add_line_at(lb, text, x, y, n, ts, 0, priority, err);
}

/* ---- candidate positions -------------------------------------------------------------------- */

/* The padded box of a block whose top-left is at (ox, oy). */
static cor_bbox_t block_box(const label_t *l, int blk, double ox, double oy)
{
    const cor_bbox_t *c = &l->block[blk].core;
    double pad = halo_pad(&l->ts);
    return (cor_bbox_t){ox + c->minx - pad, oy + c->miny - pad, ox + c->maxx + pad,
                        oy + c->maxy + pad};
}

/* The top-left of a point label's block for candidate k (0..7) in cartographic order. */
static void point_candidate(const label_t *l, int k, double *ox, double *oy)
{
    const block_t *b = &l->block[0];
    const cor_bbox_t *c = &b->core;
    /* the padded box keeps the gap from the marker's circle, so no halo covers the marker */
    double gap = l->r + MARKER_GAP * l->ts.size, pad = halo_pad(&l->ts);
    double d = gap + pad, e = gap * M_SQRT1_2 + pad;
    double cw = c->maxx - c->minx, ch = c->maxy - c->miny;
    double mid = (b->base1 - CAP_HEIGHT * l->ts.size + b->basen) / 2; /* cap band centre */
    /* where the core box's top-left goes: */
    double cx[8] = {l->x + d,      l->x + e,      l->x + e,      l->x - d - cw,
                    l->x - e - cw, l->x - e - cw, l->x - cw / 2, l->x - cw / 2};
    double cy[8] = {0,        l->y - e - ch, l->y + e, 0, l->y - e - ch,
                    l->y + e, l->y - d - ch, l->y + d};
    *ox = cx[k] - c->minx;
    *oy = (k == 0 || k == 3) ? l->y - mid : cy[k] - c->miny;
}

/* The top-left of an area label's block `blk` at anchor `a` for shift k (0..4): centred, up,
 * down, left, right. */
static void area_candidate(const label_t *l, int blk, size_t a, int k, double *ox, double *oy)
{
    const cor_bbox_t *c = &l->block[blk].core;
    double cw = c->maxx - c->minx, ch = c->maxy - c->miny;
    double dx[5] = {0, 0, 0, -0.25 * cw, 0.25 * cw}, dy[5] = {0, -0.6 * ch, 0.6 * ch, 0, 0};
    double ax = a < l->n ? l->px[a] : l->x, ay = a < l->n ? l->py[a] : l->y;
    *ox = ax + dx[k] - (c->minx + c->maxx) / 2;
    *oy = ay + dy[k] - (c->miny + c->maxy) / 2;
}

/* Takes a box for label `id`: records it and indexes it. Returns: false on exhaustion. */
static bool take_box(cor__labeler_t *lb, size_t id, cor_bbox_t box)
{
    label_t *l = &lb->labels[id];
    if (!l->boxes && !(l->boxes = cor__calloc(1, sizeof *l->boxes)))
        return false;
    l->boxes[l->nboxes++] = box;
    return grid_insert(lb, (slot_t){box, id});
}

/* Places a point or area label at its first free candidate. Returns: false on exhaustion. */
static bool place_block_label(cor__labeler_t *lb, size_t id)
{
    label_t *l = &lb->labels[id];
    int per = l->kind == KIND_POINT ? 8 : 5;
    size_t anchors = l->kind == KIND_AREA && l->n > 0 ? l->n : 1;
    for (int blk = 0; blk < l->nblocks; blk++)
        for (size_t a = 0; a < anchors; a++)
            for (int k = 0; k < per; k++) {
                double ox, oy;
                if (l->kind == KIND_POINT)
                    point_candidate(l, k, &ox, &oy);
                else
                    area_candidate(l, blk, a, k, &ox, &oy);
                cor_bbox_t box = block_box(l, blk, ox, oy);
                if (!box_free(lb, box, id))
                    continue;
                l->placed = true, l->used = blk, l->ox = ox, l->oy = oy;
                return take_box(lb, id, box);
            }
    return true;
}

/* ---- labels along lines --------------------------------------------------------------------- */

/* A polyline walked by distance: the point and unit direction at distance s from its start. */
static void line_at(const label_t *l, const double *cum, double s, double *x, double *y, double *dx,
                    double *dy)
{
    size_t lo = 0, hi = l->n - 2; /* the last segment that starts at or before s */
    while (lo < hi) {
        size_t m = (lo + hi + 1) / 2;
        if (cum[m] <= s)
            lo = m;
        else
            hi = m - 1;
    }
    double len = cum[lo + 1] - cum[lo], t = (s - cum[lo]) / len;
    double ux = l->px[lo + 1] - l->px[lo], uy = l->py[lo + 1] - l->py[lo];
    *x = l->px[lo] + t * ux, *y = l->py[lo] + t * uy;
    *dx = ux / len, *dy = uy / len;
}

static double angle_diff(double a, double b)
{
    double d = fmod(a - b, 2 * M_PI);
    if (d > M_PI)
        d -= 2 * M_PI;
    if (d < -M_PI)
        d += 2 * M_PI;
    return fabs(d);
}

/* A line label laid out along the line with its text centred at distance `mid`: each cluster
 * spans the chord between the line's points at its two ends, so jagged lines read smoothly.
 * Fills l->glyphs and l->boxes. Returns: false when the text does not fit there. */
static bool line_layout(label_t *l, const double *cum, double mid)
{
    const block_t *b = &l->block[0];
    double len = cum[l->n - 1], s0 = mid - b->width / 2, s1 = mid + b->width / 2;
    if (s0 < 0 || s1 > len)
        return false;
    double ax, ay, bx, by, dx, dy;
    line_at(l, cum, s0, &ax, &ay, &dx, &dy);
    line_at(l, cum, s1, &bx, &by, &dx, &dy);
    bool rev = bx < ax - 1e-9 || (fabs(bx - ax) <= 1e-9 && by > ay); /* read left to right */
    double top = b->core.miny - b->base1, bottom = b->core.maxy - b->base1, pad = halo_pad(&l->ts);
    double shift = -(top + bottom) / 2 - l->offset; /* baseline below the line */
    for (size_t i = 0; i < l->nclusters; i++) {
        const cluster_t *c = &l->clusters[i];
        double u0 = c->x, u1 = u0 + c->w;
        double sa = rev ? s1 - u0 : s0 + u0, sb = rev ? s1 - u1 : s0 + u1;
        line_at(l, cum, sa, &ax, &ay, &dx, &dy);
        line_at(l, cum, sb, &bx, &by, &dx, &dy);
        double chord = hypot(bx - ax, by - ay);
        double tx = chord > 1e-6 ? (bx - ax) / chord : (rev ? -dx : dx);
        double ty = chord > 1e-6 ? (by - ay) / chord : (rev ? -dy : dy);
        double angle = atan2(ty, tx);
        if (fabs(angle) > MAX_TILT * M_PI / 180)
            return false;
        if (i > 0 && angle_diff(angle, l->glyphs[i - 1].angle) > MAX_TURN * M_PI / 180)
            return false;
        double ox = (ax + bx) / 2 - tx * c->w / 2 - ty * shift;
        double oy = (ay + by) / 2 - ty * c->w / 2 + tx * shift;
        l->glyphs[i] = (glyph_pos_t){ox, oy, angle};
        /* the cluster's rectangle [0, w] x [top, bottom] about its origin, as a box */
        double xs[4] = {0, c->w, c->w, 0}, vs[4] = {top, top, bottom, bottom};
        cor_bbox_t box = {HUGE_VAL, HUGE_VAL, -HUGE_VAL, -HUGE_VAL};
        for (int k = 0; k < 4; k++) {
            double px = ox + xs[k] * tx - vs[k] * ty, py = oy + xs[k] * ty + vs[k] * tx;
            box = bbox_union(box, (cor_bbox_t){px, py, px, py});
        }
        l->boxes[i] = (cor_bbox_t){box.minx - pad, box.miny - pad, box.maxx + pad, box.maxy + pad};
    }
    return true;
}

/* Returns: the cumulative lengths along the label's line (malloc'd), NULL on exhaustion. */
static double *line_lengths(const label_t *l)
{
    double *cum = cor__calloc(l->n, sizeof *cum);
    for (size_t i = 1; cum && i < l->n; i++)
        cum[i] = cum[i - 1] + hypot(l->px[i] - l->px[i - 1], l->py[i] - l->py[i - 1]);
    return cum;
}

/* Tries the line's middle, then positions stepping out from it, and takes the first where every
 * cluster's box is free. Returns: false on exhaustion. */
static bool place_line_label(cor__labeler_t *lb, size_t id)
{
    label_t *l = &lb->labels[id];
    double *cum = line_lengths(l);
    if (!cum)
        return false;
    double len = cum[l->n - 1], step = fmax(len - l->block[0].width, 0) / (LINE_TRIES - 1);
    bool ok = true;
    for (int k = 0; k < LINE_TRIES && !l->placed; k++) {
        double mid = len / 2 + ((k + 1) / 2) * step * (k % 2 ? -1 : 1);
        if (!line_layout(l, cum, mid))
            continue;
        size_t i = 0;
        while (i < l->nclusters && box_free(lb, l->boxes[i], id))
            i++;
        if (i < l->nclusters)
            continue;
        l->placed = true, l->nboxes = l->nclusters;
        for (i = 0; ok && i < l->nclusters; i++)
            ok = grid_insert(lb, (slot_t){l->boxes[i], id});
    }
    free(cum);
    return ok;
}

/* ---- placing -------------------------------------------------------------------------------- */

typedef struct rank {
    double priority;
    size_t id;
} rank_t;

/* Highest priority first; ties in the order added, so qsort gives a stable, repeatable order. */
static int by_priority(const void *a, const void *b)
{
    const rank_t *x = a, *y = b;
    if (x->priority != y->priority)
        return x->priority > y->priority ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static void unplace_all(cor__labeler_t *lb)
{
    for (size_t i = 0; i < lb->nlabels; i++) {
        label_t *l = &lb->labels[i];
        l->placed = false, l->nboxes = 0;
        if (l->kind != KIND_LINE) {
            free(l->boxes);
            l->boxes = NULL;
        }
    }
    lb->nplaced = 0, lb->dropped = 0;
    grid_clear(lb);
}

/* Returns: the labels' indices by priority (malloc'd), NULL on exhaustion. */
static rank_t *rank_labels(const cor__labeler_t *lb)
{
    rank_t *rank = cor__calloc(lb->nlabels, sizeof *rank);
    for (size_t i = 0; rank && i < lb->nlabels; i++)
        rank[i] = (rank_t){lb->labels[i].priority, i};
    if (rank)
        qsort(rank, lb->nlabels, sizeof *rank, by_priority);
    return rank;
}

void cor__labeler_place(cor__labeler_t *lb)
{
    rank_t *rank = NULL;
    if (!lb || lb->status != COR_OK)
        return;
    unplace_all(lb);
    free(lb->order);
    lb->order = cor__calloc(lb->nlabels, sizeof *lb->order);
    rank = rank_labels(lb);
    if (!lb->order || !rank)
        goto fail;
    for (size_t i = 0; i < lb->nfixed; i++)
        if (!grid_insert(lb, lb->fixed[i]))
            goto fail;
    for (size_t k = 0; k < lb->nlabels; k++) {
        size_t id = rank[k].id;
        label_t *l = &lb->labels[id];
        if (!(l->kind == KIND_LINE ? place_line_label(lb, id) : place_block_label(lb, id)))
            goto fail;
        if (l->placed)
            lb->order[lb->nplaced++] = id;
        else
            lb->dropped++;
    }
    free(rank);
    return;
fail:
    free(rank);
    lb->status = COR_ERR_NOMEM;
}

void cor__labeler_counts(const cor__labeler_t *lb, long *placed, long *dropped)
{
    if (placed)
        *placed = lb ? (long)lb->nplaced : 0;
    if (dropped)
        *dropped = lb ? lb->unusable + lb->dropped : 0;
}

bool cor__labeler_placed(const cor__labeler_t *lb, size_t i, const char **text,
                         const cor_bbox_t **boxes, size_t *nboxes)
{
    if (!lb || i >= lb->nplaced)
        return false;
    const label_t *l = &lb->labels[lb->order[i]];
    if (text)
        *text = l->text;
    if (boxes)
        *boxes = l->boxes;
    if (nboxes)
        *nboxes = l->nboxes;
    return true;
}

/* ---- drawing placed labels ------------------------------------------------------------------ */

/* Adds one cluster's glyph outlines to the path (for its halo), or shows its glyphs, with their
 * origin at the current point. */
static void cairo_cluster(cairo_t *cr, const cluster_t *c, bool path)
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

static void cairo_line_label(cairo_t *cr, const label_t *l, bool halo)
{
    if (halo && !halo_visible(&l->ts))
        return;
    cairo_save(cr);
    cairo_new_path(cr);
    if (!halo)
        set_color(cr, l->ts.color);
    for (size_t i = 0; i < l->nclusters; i++) {
        cairo_save(cr);
        cairo_translate(cr, l->glyphs[i].x, l->glyphs[i].y);
        cairo_rotate(cr, l->glyphs[i].angle);
        cairo_move_to(cr, 0, 0);
        cairo_cluster(cr, &l->clusters[i], halo);
        cairo_restore(cr); /* the path survives: it is not part of the graphics state */
    }
    if (halo)
        stroke_halo(cr, &l->ts);
    cairo_restore(cr);
}

/* One glyph cluster of a line label as a <tspan> at its origin, rotated like it. */
static bool svg_cluster(cor__buf_t *b, const label_t *l, const cluster_t *c, const char *text)
{
    const glyph_pos_t *g = &l->glyphs[c - l->clusters];
    return cor__buf_puts(b, "<tspan") && svg_attr_num(b, "x", g->x) && svg_attr_num(b, "y", g->y) &&
           svg_attr_num(b, "rotate", g->angle * 180 / M_PI) && cor__buf_puts(b, ">") &&
           svg_escape(b, text + c->b0, (size_t)(c->b1 - c->b0)) && cor__buf_puts(b, "</tspan>");
}

/* A line label as one <text> holding a <tspan> per glyph cluster, in the text's order, each
 * placed and rotated exactly where cairo draws it: the text stays one editable string, and a
 * renderer without `rotate` (librsvg) still sets the glyphs along the line. */
static bool svg_line_label(cor__buf_t *b, const label_t *l, bool halo)
{
    if (halo && !halo_visible(&l->ts))
        return true;
    const char *text = pango_layout_get_text(l->block[0].layout);
    bool ok = svg_open(b, &l->ts, text, halo, false) && cor__buf_puts(b, ">");
    for (int at = 0; ok && text[at];) {
        const cluster_t *c = l->clusters;
        while (c < l->clusters + l->nclusters && c->b0 != at)
            c++;
        if (c == l->clusters + l->nclusters)
            break; /* clusters cover the text; this does not happen */
        ok = svg_cluster(b, l, c, text);
        at = c->b1;
    }
    return ok && cor__buf_puts(b, "</text>\n");
}

static bool draw_label(cor__textout_t *to, const label_t *l, bool halo)
{
    const block_t *b = &l->block[l->used];
    if (to->svg)
        return l->kind == KIND_LINE ? svg_line_label(to->svg, l, halo)
                                    : svg_block(to->svg, b, &l->ts, l->ox, l->oy, halo);
    if (l->kind == KIND_LINE)
        cairo_line_label(to->cr, l, halo);
    else
        cairo_block(to->cr, b, &l->ts, l->ox, l->oy, halo);
    return true;
}

cor_status_t cor__labeler_draw(cor__labeler_t *lb, cor__textout_t *to, cor_error_t *err)
{
    if (!lb || !to || (!to->cr && !to->svg))
        return cor__fail(err, COR_ERR_INTERNAL, "labels have nowhere to go");
    if (lb->status != COR_OK)
        return cor__fail(err, lb->status, "out of memory placing labels");
    size_t mark = to->svg ? to->svg->len : 0;
    bool ok = !to->svg || cor__buf_puts(to->svg, "<g class=\"label-halos\">\n");
    G_LOCK(text);
    for (int pass = 0; pass < 2; pass++) {
        if (ok && to->svg && pass == 1)
            ok = cor__buf_puts(to->svg, "</g>\n<g class=\"labels\">\n");
        for (size_t i = 0; ok && i < lb->nplaced; i++)
            ok = draw_label(to, &lb->labels[lb->order[i]], pass == 0);
    }
    G_UNLOCK(text);
    if (ok && to->svg)
        ok = cor__buf_puts(to->svg, "</g>\n");
    if (!ok) {
        svg_truncate(to->svg, mark);
        return cor__fail(err, COR_ERR_NOMEM, "out of memory writing labels as SVG");
    }
    return to->svg ? COR_OK : cairo_check(to->cr, err);
}
