/* SPDX-License-Identifier: MIT */
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

#define HATCH_SPACING   3.0 /* pt between hatching lines, measured across them */
#define HATCH_WIDTH     0.6 /* pt */
#define HATCH_MAX_LINES 100000

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

/* Strokes diagonal lines "/" (x + y constant) every HATCH_SPACING pt over the current clip, in
 * the look's fill colour. The lines are anchored to the user-space origin, so neighbouring
 * polygons hatched alike line up. */
static void hatch_clip(cairo_t *cr, const cor__look_t *look)
{
    double x0, y0, x1, y1;
    cairo_clip_extents(cr, &x0, &y0, &x1, &y1);
    double d = HATCH_SPACING * M_SQRT2; /* the lines' spacing along x */
    double k0 = floor((x0 + y0) / d), k1 = ceil((x1 + y1) / d);
    if (!(k1 >= k0) || k1 - k0 > HATCH_MAX_LINES)
        return;
    for (double k = k0; k <= k1; k++) {
        double c = k * d;
        cairo_move_to(cr, c - (y0 - 1), y0 - 1);
        cairo_line_to(cr, c - (y1 + 1), y1 + 1);
    }
    cairo_set_line_width(cr, HATCH_WIDTH);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_set_dash(cr, NULL, 0, 0.0);
    cor__paint_set_color(cr, look->fill, look->opacity);
    cairo_stroke(cr);
}

void cor__paint_fill(cairo_t *cr, const cor__geom_t *g, const cor__look_t *look)
{
    cairo_new_path(cr);
    if (!g || !look || g->kind != COR__GEOM_POLYGON || !look->fill_on || !visible(look->fill, look))
        return;
    cairo_save(cr);
    if (add_parts(cr, g, 3, true) > 0) {
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
        if (look->hatch) {
            cairo_clip(cr);
            hatch_clip(cr, look);
        } else {
            cor__paint_set_color(cr, look->fill, look->opacity);
            cairo_fill(cr);
        }
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

/* ---- pictograms ----
 * PORT, MINE, BORDER, AIRPORT and RAIL are line art rather than geometric shapes. Each is drawn
 * in design units (about [-1, 1] on both axes, y down) as closed subpaths that may overlap: all
 * wind the same way (clockwise on the page) so the nonzero rule fills their union, and holes wind
 * the other way. Thin parts would vanish under an outline drawn on top, so a pictogram's outline
 * is a contour around it: the silhouette is stroked twice the outline width first, then filled.
 * Without a fill colour the silhouette is drawn in the stroke colour. The glyph is scaled and
 * moved so that its ink (silhouette and contour) has its centroid on the point and reaches no
 * farther than the radius from it; the centroid is measured on a small mask. */

#define PICTO_MASK    96  /* side of the mask the centroid is measured on, pixels */
#define PICTO_CONTOUR 0.2 /* a contour is at most this share of the radius */
#define PICTO_CACHE   8

static bool is_pictogram(cor__marker_t m)
{
    return m == COR__MARKER_PORT || m == COR__MARKER_MINE || m == COR__MARKER_BORDER ||
           m == COR__MARKER_AIRPORT || m == COR__MARKER_RAIL;
}

/* Adds a polygon of n points (x0, y0, x1, y1, ...), wound clockwise, or anticlockwise for a
 * hole, whichever way the points were listed. */
static void pg_poly(cairo_t *cr, const double *p, int n, bool hole)
{
    double area = 0.0;
    for (int i = 0; i < n; i++) {
        int j = (i + 1) % n;
        area += p[2 * i] * p[2 * j + 1] - p[2 * j] * p[2 * i + 1];
    }
    bool reverse = (area > 0.0) == hole;
    cairo_new_sub_path(cr);
    for (int i = 0; i < n; i++) {
        int k = reverse ? n - 1 - i : i;
        cairo_line_to(cr, p[2 * k], p[2 * k + 1]);
    }
    cairo_close_path(cr);
}

static void pg_rect(cairo_t *cr, double x0, double y0, double x1, double y1, bool hole)
{
    const double p[8] = {x0, y0, x1, y0, x1, y1, x0, y1};
    pg_poly(cr, p, 4, hole);
}

/* A bar of thickness t from (ax, ay) to (bx, by), square ends. */
static void pg_bar(cairo_t *cr, double ax, double ay, double bx, double by, double t)
{
    double dx = bx - ax, dy = by - ay, len = hypot(dx, dy);
    double nx = -dy / len * t / 2, ny = dx / len * t / 2;
    const double p[8] = {ax + nx, ay + ny, bx + nx, by + ny, bx - nx, by - ny, ax - nx, ay - ny};
    pg_poly(cr, p, 4, false);
}

static void pg_disc(cairo_t *cr, double x, double y, double r, bool hole)
{
    cairo_new_sub_path(cr);
    if (hole)
        cairo_arc_negative(cr, x, y, r, 0, -2 * M_PI);
    else
        cairo_arc(cr, x, y, r, 0, 2 * M_PI);
    cairo_close_path(cr);
}

/* An annular sector between radii r0 < r1 from angle a0 to a1 (a0 < a1, clockwise). */
static void pg_band(cairo_t *cr, double x, double y, double r0, double r1, double a0, double a1)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, r1, a0, a1);
    cairo_arc_negative(cr, x, y, r0, a1, a0);
    cairo_close_path(cr);
}

/* A rectangle with corners rounded to radius r. */
static void pg_round_rect(cairo_t *cr, double x0, double y0, double x1, double y1, double r,
                          bool hole)
{
    cairo_new_sub_path(cr);
    if (!hole) {
        cairo_arc(cr, x0 + r, y0 + r, r, M_PI, 1.5 * M_PI);
        cairo_arc(cr, x1 - r, y0 + r, r, 1.5 * M_PI, 2 * M_PI);
        cairo_arc(cr, x1 - r, y1 - r, r, 0, 0.5 * M_PI);
        cairo_arc(cr, x0 + r, y1 - r, r, 0.5 * M_PI, M_PI);
    } else {
        cairo_arc_negative(cr, x0 + r, y0 + r, r, 1.5 * M_PI, M_PI);
        cairo_arc_negative(cr, x0 + r, y1 - r, r, M_PI, 0.5 * M_PI);
        cairo_arc_negative(cr, x1 - r, y1 - r, r, 0.5 * M_PI, 0);
        cairo_arc_negative(cr, x1 - r, y0 + r, r, 2 * M_PI, 1.5 * M_PI);
    }
    cairo_close_path(cr);
}

/* A quadratic Bezier from the current point through control (cx, cy) to (x, y). */
static void pg_quad_to(cairo_t *cr, double cx, double cy, double x, double y)
{
    double x0, y0;
    cairo_get_current_point(cr, &x0, &y0);
    cairo_curve_to(cr, x0 + 2.0 / 3 * (cx - x0), y0 + 2.0 / 3 * (cy - y0), x + 2.0 / 3 * (cx - x),
                   y + 2.0 / 3 * (cy - y), x, y);
}

/* The anchor's fluke at the end of the arm at angle a (radians, y down) on a circle of radius
 * r around (0, cy): a barb pointing along the arm's end, away from the shank. */
static void anchor_fluke(cairo_t *cr, double cy, double r, double a, double dir)
{
    double px = r * cos(a), py = cy + r * sin(a);
    double tx = dir * sin(a), ty = -dir * cos(a); /* along the arm, towards its end */
    double rx = cos(a), ry = sin(a);              /* outwards */
    const double p[6] = {px + 0.36 * tx,
                         py + 0.36 * ty,
                         px + 0.19 * rx - 0.06 * tx,
                         py + 0.19 * ry - 0.06 * ty,
                         px - 0.19 * rx - 0.06 * tx,
                         py - 0.19 * ry - 0.06 * ty};
    pg_poly(cr, p, 3, false);
}

/* PORT: an anchor: ring, stock, shank, and arms ending in flukes. */
static void glyph_anchor(cairo_t *cr)
{
    const double cy = 0.04, r0 = 0.68, r1 = 0.84, a = 24 * M_PI / 180;
    pg_disc(cr, 0, -0.71, 0.24, false);
    pg_disc(cr, 0, -0.71, 0.105, true);
    pg_round_rect(cr, -0.46, -0.43, 0.46, -0.27, 0.07, false); /* the stock */
    pg_rect(cr, -0.085, -0.50, 0.085, 0.84, false);            /* the shank */
    pg_band(cr, 0, cy, r0, r1, a, M_PI - a);                   /* the arms */
    anchor_fluke(cr, cy, (r0 + r1) / 2, a, 1);
    anchor_fluke(cr, cy, (r0 + r1) / 2, M_PI - a, -1);
}

/* MINE: a hammer and a pick crossed, heads up. */
static void glyph_mine(cairo_t *cr)
{
    const double t = 0.16, s = M_SQRT1_2;
    pg_bar(cr, -0.80, 0.80, 0.52, -0.52, t); /* the hammer's handle */
    pg_bar(cr, 0.80, 0.80, -0.50, -0.50, t); /* the pick's handle */
    /* the hammer's head: across the handle's end */
    double ex = 0.56, ey = -0.56, ux = s, uy = -s, nx = s, ny = s, a = 0.35, b = 0.17;
    const double h[8] = {ex + a * nx + b * ux, ey + a * ny + b * uy, ex - a * nx + b * ux,
                         ey - a * ny + b * uy, ex - a * nx - b * ux, ey - a * ny - b * uy,
                         ex + a * nx - b * ux, ey + a * ny - b * uy};
    pg_poly(cr, h, 4, false);
    /* the pick's head: a crescent across the handle's end, points swept back */
    ex = -0.55, ey = -0.55, ux = -s, uy = -s, nx = s, ny = -s;
    double ax = ex + 0.64 * nx - 0.17 * ux, ay = ey + 0.64 * ny - 0.17 * uy;
    double bx = ex - 0.64 * nx - 0.17 * ux, by = ey - 0.64 * ny - 0.17 * uy;
    double mo = 0.16, mi = -0.06; /* the outer and inner edges' middles, along the handle */
    cairo_new_sub_path(cr);
    cairo_move_to(cr, ax, ay);
    pg_quad_to(cr, 2 * (ex + mo * ux) - (ax + bx) / 2, 2 * (ey + mo * uy) - (ay + by) / 2, bx, by);
    pg_quad_to(cr, 2 * (ex + mi * ux) - (ax + bx) / 2, 2 * (ey + mi * uy) - (ay + by) / 2, ax, ay);
    cairo_close_path(cr);
}

/* BORDER: a border crossing's barrier: a post with its base and a striped boom. */
static void glyph_border(cairo_t *cr)
{
    pg_rect(cr, -0.80, -0.62, -0.52, 0.78, false);            /* the post */
    pg_round_rect(cr, -0.98, 0.72, -0.34, 0.94, 0.06, false); /* its base */
    pg_rect(cr, -0.52, -0.48, 0.98, -0.14, false);            /* the boom */
    for (int i = 0; i < 3; i++) {                             /* its stripes */
        double x = -0.24 + 0.42 * i;
        const double p[8] = {x, -0.41, x + 0.20, -0.41, x + 0.10, -0.21, x - 0.10, -0.21};
        pg_poly(cr, p, 4, true);
    }
    pg_disc(cr, -0.66, -0.31, 0.26, false); /* the hinge */
    pg_disc(cr, -0.66, -0.31, 0.09, true);
    pg_rect(cr, 0.70, -0.14, 0.86, 0.34, false); /* the rest the boom lies on */
}

/* AIRPORT: an aeroplane seen from above, nose up. */
static void glyph_aeroplane(cairo_t *cr)
{
    pg_round_rect(cr, -0.12, -0.98, 0.12, 0.86, 0.12, false); /* the fuselage */
    const double wing[16] = {-0.11, -0.30, 0.11,  -0.30, 0.98,  0.14, 0.98,  0.32,
                             0.11,  0.08,  -0.11, 0.08,  -0.98, 0.32, -0.98, 0.14};
    pg_poly(cr, wing, 8, false);
    const double tail[16] = {-0.09, 0.54, 0.09,  0.54, 0.44,  0.76, 0.44,  0.90,
                             0.09,  0.80, -0.09, 0.80, -0.44, 0.90, -0.44, 0.76};
    pg_poly(cr, tail, 8, false);
}

/* RAIL: a train's front on its rails: body, windscreen, lamps, and two legs of track. */
static void glyph_train(cairo_t *cr)
{
    pg_round_rect(cr, -0.64, -0.96, 0.64, 0.50, 0.26, false);
    pg_round_rect(cr, -0.44, -0.72, 0.44, -0.16, 0.10, true);
    pg_disc(cr, -0.33, 0.20, 0.11, true);
    pg_disc(cr, 0.33, 0.20, 0.11, true);
    pg_bar(cr, -0.32, 0.40, -0.64, 0.96, 0.17);
    pg_bar(cr, 0.32, 0.40, 0.64, 0.96, 0.17);
}

static void add_pictogram(cairo_t *cr, cor__marker_t m)
{
    switch (m) {
    case COR__MARKER_PORT:
        glyph_anchor(cr);
        break;
    case COR__MARKER_MINE:
        glyph_mine(cr);
        break;
    case COR__MARKER_BORDER:
        glyph_border(cr);
        break;
    case COR__MARKER_AIRPORT:
        glyph_aeroplane(cr);
        break;
    default:
        glyph_train(cr);
        break;
    }
}

/* Where a pictogram's ink lies, in design units: its centroid, and its reach from there. */
typedef struct picto_fit {
    cor__marker_t m;
    double q;             /* the contour's width over the radius, the cache key with m */
    double scale, cx, cy; /* the result: pt per design unit over the radius; the centroid */
} picto_fit_t;

/* Measures pictogram m with a contour of `contour` design units (0: none): the ink's centroid
 * and how far it reaches from it along either axis. Returns: false when cairo fails. */
static bool picto_measure(cor__marker_t m, double contour, double *cx, double *cy, double *reach)
{
    double span = 2.2 + 2 * contour, s = PICTO_MASK / span;
    cairo_surface_t *mask = cairo_image_surface_create(CAIRO_FORMAT_A8, PICTO_MASK, PICTO_MASK);
    cairo_t *cr = cairo_create(mask);
    cairo_translate(cr, PICTO_MASK / 2.0, PICTO_MASK / 2.0);
    cairo_scale(cr, s, s);
    add_pictogram(cr, m);
    double x0, y0, x1, y1;
    cairo_fill_extents(cr, &x0, &y0, &x1, &y1);
    if (contour > 0.0) {
        cairo_set_line_width(cr, 2 * contour);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke_preserve(cr);
    }
    cairo_fill(cr);
    cairo_destroy(cr);
    cairo_surface_flush(mask);
    bool ok = cairo_surface_status(mask) == CAIRO_STATUS_SUCCESS;
    double sum = 0, sx = 0, sy = 0;
    const unsigned char *d = cairo_image_surface_get_data(mask);
    int stride = cairo_image_surface_get_stride(mask);
    for (int y = 0; ok && y < PICTO_MASK; y++)
        for (int x = 0; x < PICTO_MASK; x++) {
            double v = d[y * stride + x];
            sum += v;
            sx += v * (x + 0.5);
            sy += v * (y + 0.5);
        }
    cairo_surface_destroy(mask);
    if (!ok || !(sum > 0))
        return false;
    *cx = (sx / sum - PICTO_MASK / 2.0) / s;
    *cy = (sy / sum - PICTO_MASK / 2.0) / s;
    *reach = fmax(fmax(*cx - x0, x1 - *cx), fmax(*cy - y0, y1 - *cy)) + contour;
    return true;
}

/* Finds the scale (pt per design unit, over the radius) and centroid of pictogram m drawn with
 * a contour of q times the radius. Measured once per thread for each marker and contour ratio.
 * Returns: false when it cannot be measured. */
static bool picto_fit(cor__marker_t m, double q, picto_fit_t *out)
{
    static _Thread_local picto_fit_t cache[PICTO_CACHE];
    static _Thread_local int next;
    for (int i = 0; i < PICTO_CACHE; i++) {
        if (cache[i].m == m && cache[i].q == q) {
            *out = cache[i];
            return true;
        }
    }
    /* the contour is a fixed share of the radius but not of the glyph: iterate to the scale */
    double scale = 1.0 / (1.0 + q), cx = 0, cy = 0, reach = 1.0;
    for (int i = 0; i < 4; i++) {
        if (!picto_measure(m, q / scale, &cx, &cy, &reach))
            return false;
        scale = 1.0 / reach;
    }
    *out = (picto_fit_t){m, q, scale, cx, cy};
    cache[next] = *out;
    next = (next + 1) % PICTO_CACHE;
    return true;
}

static void paint_pictogram(cairo_t *cr, cor__marker_t m, double x, double y, double r,
                            const cor__look_t *look)
{
    bool fill = look->fill_on && visible(look->fill, look);
    bool line = look->stroke_on && visible(look->stroke, look) && isfinite(look->width) &&
                look->width > 0.0;
    if (!fill && !line)
        return;
    double w = fill && line ? fmin(look->width, r * PICTO_CONTOUR) : 0.0;
    picto_fit_t f;
    if (!picto_fit(m, w / r, &f))
        return;
    double g = f.scale * r;
    cairo_save(cr);
    cairo_translate(cr, x - g * f.cx, y - g * f.cy);
    cairo_scale(cr, g, g);
    add_pictogram(cr, m);
    cairo_restore(cr); /* the caller's matrix for the widths; the path stays where it was built */
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
    if (w > 0.0) {
        cairo_set_line_width(cr, 2 * w);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cor__paint_set_color(cr, look->stroke, look->opacity);
        cairo_stroke_preserve(cr);
    }
    cor__paint_set_color(cr, fill ? look->fill : look->stroke, look->opacity);
    cairo_fill(cr);
}

void cor__paint_marker(cairo_t *cr, cor__marker_t marker, double x, double y, double size,
                       const cor__look_t *look)
{
    cairo_new_path(cr);
    if (!look || marker <= COR__MARKER_NONE || marker >= COR__MARKER_COUNT || !(size > 0.0) ||
        !isfinite(size) || !isfinite(x) || !isfinite(y))
        return;
    double r = size / 2;
    if (is_pictogram(marker)) {
        cairo_save(cr);
        cairo_set_dash(cr, NULL, 0, 0.0);
        paint_pictogram(cr, marker, x, y, r, look);
        cairo_new_path(cr);
        cairo_restore(cr);
        return;
    }
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
