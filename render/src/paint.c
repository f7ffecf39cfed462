/* paint: page-space geometry onto a cairo context. Polygons are one even-odd path per feature,
 * lines get width, dash, caps, joins and an optional casing, points get vector markers that fit
 * their size. Every call saves and restores the cairo state and leaves the path empty; nothing here
 * reads files, styles or projections, and nothing uses groups: SVG and PDF stay plain vectors. */
#include "paint.h"

#include <math.h>

#include "util.h"

#define MITER_LIMIT 4.0 /* a star's 36 degree tips (ratio 3.24) still get sharp mitres */

/* Marker proportions, chosen so that the shapes read as the same weight at the same size. */
#define SQUARE_SCALE  0.886 /* side of the square / size: the area of the circle */
#define STAR_INNER    0.45  /* inner / outer radius; a true pentagram (0.38) is too thin */
#define CROSS_ARM     0.34  /* thickness of a cross arm / its length, outline included */
#define CAPITAL_DOT   0.55  /* radius of the capital's dot / the ring's inner radius */
#define CAPITAL_RING  0.34  /* the capital's ring is at most this share of the radius */
#define MARKER_STROKE 0.5   /* an outline insets the shape by at most half its radius */

static double clamp01(double v)
{
    if (!(v > 0.0)) /* also NaN */
        return 0.0;
    return v < 1.0 ? v : 1.0;
}

void cor__paint_set_color(cairo_t *cr, cor_color_t c, double opacity)
{
    double op = isfinite(opacity) ? clamp01(opacity) : 1.0;
    cairo_set_source_rgba(cr, clamp01(c.r), clamp01(c.g), clamp01(c.b), clamp01(c.a) * op);
}

/* Returns: true when colour c under the look's opacity would leave a mark. */
static bool visible(cor_color_t c, const cor__look_t *look)
{
    double op = isfinite(look->opacity) ? clamp01(look->opacity) : 1.0;
    return clamp01(c.a) * op > 0.0;
}

static bool finite_point(const cor__geom_t *g, size_t i)
{
    return isfinite(g->x[i]) && isfinite(g->y[i]);
}

/* Adds every part with at least `min` finite points to the path as one subpath, closed when
 * `close`. Points that are not finite are skipped (the projection could not place them).
 * Returns: the number of subpaths added. */
static size_t add_parts(cairo_t *cr, const cor__geom_t *g, size_t min, bool close)
{
    size_t added = 0;
    if (!g->parts)
        return 0;
    for (size_t p = 0; p < g->nparts; p++) {
        size_t a = g->parts[p], b = g->parts[p + 1], n = 0;
        if (b > g->npoints)
            b = g->npoints;
        for (size_t i = a; i < b; i++)
            n += finite_point(g, i);
        if (a >= b || n < min)
            continue;
        cairo_new_sub_path(cr);
        for (size_t i = a; i < b; i++) {
            if (finite_point(g, i))
                cairo_line_to(cr, g->x[i], g->y[i]);
        }
        if (close)
            cairo_close_path(cr);
        added++;
    }
    return added;
}

void cor__paint_fill(cairo_t *cr, const cor__geom_t *g, const cor__look_t *look)
{
    cairo_new_path(cr);
    if (!g || !look || g->kind != COR__GEOM_POLYGON || !look->fill_on || !visible(look->fill, look))
        return;
    cairo_save(cr);
    if (add_parts(cr, g, 3, true) > 0) {
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
        cor__paint_set_color(cr, look->fill, look->opacity);
        cairo_fill(cr);
    }
    cairo_new_path(cr);
    cairo_restore(cr);
}

static cairo_line_cap_t cairo_cap(cor__cap_t cap)
{
    switch (cap) {
    case COR__CAP_ROUND:
        return CAIRO_LINE_CAP_ROUND;
    case COR__CAP_SQUARE:
        return CAIRO_LINE_CAP_SQUARE;
    case COR__CAP_BUTT:
        break;
    }
    return CAIRO_LINE_CAP_BUTT;
}

static cairo_line_join_t cairo_join(cor__join_t join)
{
    switch (join) {
    case COR__JOIN_ROUND:
        return CAIRO_LINE_JOIN_ROUND;
    case COR__JOIN_BEVEL:
        return CAIRO_LINE_JOIN_BEVEL;
    case COR__JOIN_MITER:
        break;
    }
    return CAIRO_LINE_JOIN_MITER;
}

/* Sets the look's dash. A pattern cairo would reject (negative or non-finite entries, all zero)
 * draws solid instead: an invalid dash would otherwise put the whole context in an error state. */
static void set_dash(cairo_t *cr, const cor__look_t *look)
{
    double sum = 0.0;
    int n = look->ndash;
    if (n <= 0 || n > COR__DASH_MAX)
        return;
    for (int i = 0; i < n; i++) {
        if (!isfinite(look->dash[i]) || look->dash[i] < 0.0)
            return;
        sum += look->dash[i];
    }
    if (sum > 0.0)
        cairo_set_dash(cr, look->dash, n, 0.0);
}

void cor__paint_stroke(cairo_t *cr, const cor__geom_t *g, const cor__look_t *look, bool casing)
{
    cairo_new_path(cr);
    if (!g || !look || (g->kind != COR__GEOM_LINE && g->kind != COR__GEOM_POLYGON))
        return;
    bool on = casing ? look->casing_on : look->stroke_on;
    cor_color_t color = casing ? look->casing : look->stroke;
    double width = casing ? look->width + look->casing_width : look->width;
    if (!on || !(width > 0.0) || !isfinite(width) || !visible(color, look))
        return;
    bool polygon = g->kind == COR__GEOM_POLYGON;
    cairo_save(cr);
    if (add_parts(cr, g, polygon ? 3 : 2, polygon) > 0) {
        cairo_set_line_width(cr, width);
        cairo_set_line_cap(cr, cairo_cap(look->cap));
        cairo_set_line_join(cr, casing ? CAIRO_LINE_JOIN_ROUND : cairo_join(look->join));
        cairo_set_miter_limit(cr, MITER_LIMIT);
        if (!casing)
            set_dash(cr, look);
        cor__paint_set_color(cr, color, look->opacity);
        cairo_stroke(cr);
    }
    cairo_new_path(cr);
    cairo_restore(cr);
}

/* ---- markers ----
 * Every marker fits the size x size box centred on its point, outline included: the outline is
 * drawn inside the shape's edge by as much as its mitred corners stick out. The area centroid of
 * each shape is the point, so a triangle sits a little above the box's middle. */

/* How far a mitred outline of width 1 reaches beyond the shape's outermost vertex. */
static double outline_reach(cor__marker_t m)
{
    switch (m) {
    case COR__MARKER_DIAMOND:
        return M_SQRT1_2; /* 90 degree tips along the axes */
    case COR__MARKER_TRIANGLE:
        return 1.0; /* 60 degree tips: 0.5 / sin 30 */
    case COR__MARKER_STAR:
        return 0.5 / sin(M_PI / 10); /* 36 degree tips */
    default:
        return 0.5; /* circles; squares and crosses, whose corners stay in the box */
    }
}

/* Adds a regular star or polygon of `n` outer vertices, the first pointing up. With inner > 0 a
 * vertex at radius `inner` goes between each pair of outer ones. */
static void add_radial(cairo_t *cr, double x, double y, int n, double outer, double inner)
{
    int steps = inner > 0.0 ? 2 * n : n;
    for (int i = 0; i < steps; i++) {
        double a = -M_PI / 2 + 2 * M_PI * i / steps;
        double r = (inner > 0.0 && i % 2) ? inner : outer;
        cairo_line_to(cr, x + r * cos(a), y + r * sin(a));
    }
    cairo_close_path(cr);
}

/* Adds a plus sign of half-length a and arm half-thickness t as one 12-vertex polygon. */
static void add_cross(cairo_t *cr, double x, double y, double a, double t)
{
    const double v[12][2] = {{-t, -a}, {t, -a}, {t, -t}, {a, -t}, {a, t},   {t, t},
                             {t, a},   {-t, a}, {-t, t}, {-a, t}, {-a, -t}, {-t, -t}};
    for (size_t i = 0; i < COR__ARRAY_LEN(v); i++)
        cairo_line_to(cr, x + v[i][0], y + v[i][1]);
    cairo_close_path(cr);
}

/* Adds the outline of marker m whose outer edge, after an outline of width w, has radius r. */
static void add_shape(cairo_t *cr, cor__marker_t m, double x, double y, double r, double w)
{
    double g = r - w * outline_reach(m); /* the geometry's own radius */
    cairo_new_sub_path(cr);
    switch (m) {
    case COR__MARKER_SQUARE: {
        double h = r * SQUARE_SCALE - w / 2;
        cairo_rectangle(cr, x - h, y - h, 2 * h, 2 * h);
        break;
    }
    case COR__MARKER_TRIANGLE:
        add_radial(cr, x, y, 3, g, 0.0);
        break;
    case COR__MARKER_DIAMOND:
        add_radial(cr, x, y, 4, g, 0.0);
        break;
    case COR__MARKER_STAR:
        add_radial(cr, x, y, 5, g, g * STAR_INNER);
        break;
    case COR__MARKER_CROSS:
        add_cross(cr, x, y, g, fmax(r * CROSS_ARM - w / 2, r * 0.1));
        break;
    default:
        cairo_arc(cr, x, y, g, 0, 2 * M_PI);
        break;
    }
}

/* The capital: a ring of width w (none when 0) in the stroke colour at the rim and a dot in the
 * fill colour in its middle, with a gap between them that stays open at 5 pt. */
static void paint_capital(cairo_t *cr, double x, double y, double r, double w,
                          const cor__look_t *look)
{
    if (look->fill_on && visible(look->fill, look)) {
        cairo_arc(cr, x, y, (r - w) * CAPITAL_DOT, 0, 2 * M_PI);
        cor__paint_set_color(cr, look->fill, look->opacity);
        cairo_fill(cr);
    }
    if (w > 0.0) {
        cairo_arc(cr, x, y, r - w / 2, 0, 2 * M_PI);
        cairo_set_line_width(cr, w);
        cor__paint_set_color(cr, look->stroke, look->opacity);
        cairo_stroke(cr);
    }
}

void cor__paint_marker(cairo_t *cr, cor__marker_t marker, double x, double y, double size,
                       const cor__look_t *look)
{
    cairo_new_path(cr);
    if (!look || marker <= COR__MARKER_NONE || marker >= COR__MARKER_COUNT || !(size > 0.0) ||
        !isfinite(size) || !isfinite(x) || !isfinite(y))
        return;
    double r = size / 2;
    bool outline = look->stroke_on && visible(look->stroke, look) && isfinite(look->width);
    double w = outline && look->width > 0.0 ? look->width : 0.0;
    if (w * outline_reach(marker) > r * MARKER_STROKE)
        w = r * MARKER_STROKE / outline_reach(marker);
    cairo_save(cr);
    cairo_set_dash(cr, NULL, 0, 0.0);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
    cairo_set_miter_limit(cr, MITER_LIMIT);
    if (marker == COR__MARKER_CAPITAL) {
        paint_capital(cr, x, y, r, w < r * CAPITAL_RING ? w : r * CAPITAL_RING, look);
    } else {
        add_shape(cr, marker, x, y, r, w);
        if (look->fill_on && visible(look->fill, look)) {
            cor__paint_set_color(cr, look->fill, look->opacity);
            cairo_fill_preserve(cr);
        }
        if (w > 0.0) {
            cairo_set_line_width(cr, w);
            cor__paint_set_color(cr, look->stroke, look->opacity);
            cairo_stroke_preserve(cr);
        }
    }
    cairo_new_path(cr);
    cairo_restore(cr);
}

void cor__paint_markers(cairo_t *cr, const cor__geom_t *g, const cor__look_t *look)
{
    cairo_new_path(cr);
    if (!g || !look || look->marker == COR__MARKER_NONE)
        return;
    for (size_t i = 0; i < g->npoints; i++)
        cor__paint_marker(cr, look->marker, g->x[i], g->y[i], look->size, look);
}
