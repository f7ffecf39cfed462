/* overlay: the story drawn over the map. Holds the routes, flows, markers, areas and callouts a
 * script declares, resolves their places through the gazetteer, turns them into page geometry
 * (densified routes with arrowheads and barrier marks, curved flows that bundle and fan out) and
 * paints them in a fixed order, handing labels and obstacles to the labeler. It reads no files,
 * runs no Lua and knows no projection: a callback turns longitude/latitude into page points. */
#include "overlay.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paint.h"
#include "util.h"

#define DENSIFY_DEG 0.05 /* routes and areas: degrees between projected points */
#define MAX_STEPS   100000
#define SAMPLE_STEP 0.75 /* pt between the samples of a curve */

#define FLOW_MAX_W 9.0
#define FLOW_MIN_W 1.2
#define FLOW_BEND  0.2
#define DOT_R      2.5 /* the radius of the city dot assumed under an end place, pt */
#define END_GAP    2.5 /* between an end place's dot and a flow or an arrow's tip, pt */
#define BUNDLE_GAP 1.2 /* between the strands of a bundle, pt */
#define CLEAR_AT   4.0 /* a bundle's strands are apart this far beyond their end gap, pt */
#define CLEAR_AA   0.3 /* and by this much more than their half-widths, for antialiasing */
#define SAME_PLACE 0.5 /* ends closer than this on the page are the same place, pt */
#define FAN_MIN    (25 * M_PI / 180)
#define FAN_AT     15.0 /* flows fan out by where they are this far from their origin, pt */
#define FAN_BEND   0.45 /* the most a fanned arc may bend */

#define HEAD_MIN_HALF 2.1
#define HEAD_MIN_LEN  5.0
#define HEAD_NOTCH    0.8 /* the swept back edge's middle, as a share of the head's length */

#define BAR_LEN   3.2 /* barrier length / line width */
#define BAR_MIN   8.0
#define BAR_THICK 0.9
#define BAR_TMIN  2.2
#define BAR_MASK  0.35 /* the mask around the bar / line width */
#define BAR_MMIN  1.0

#define LABEL_SIZE    7.5
#define LABEL_HALO    1.6
#define LABEL_GAP     1.5 /* between a line and its label, pt */
#define ROW_GAP       0.5 /* between stacked flow labels, pt */
#define LABEL_STEP    2.0 /* a route's label is fitted to it in steps of this length, pt */
#define LABEL_TURN    (20 * M_PI / 180) /* the most it may turn per step */
#define LABEL_SMOOTH  5    /* steps either side averaged, three times, before fitting */
#define LABEL_SQUEEZE 0.35 /* the most offset text may be squeezed on the inside of a bend */
#define CROWD_R       15.0 /* a route's label shuns other overlays' places this near, pt */
#define CROWD_COST    2.0  /* the cost of a stretch entirely near them, against radians of turn */
#define OBST_STEP     2.0  /* obstacle boxes along lines cover this much of the line each, pt */
#define END_FREE      18.0 /* lines are no obstacle this near their places, pt */
#define CALLOUT_SIZE  7.0
#define CALLOUT_PAD   2.0
#define CALLOUT_AT    14.0 /* the default offset of a callout's box, pt */

/* ---- the model ---- */

cor__overlay_t *cor__overlays_add(cor__overlays_t *o, cor__ov_kind_t kind)
{
    if (!o || !cor__grow((void **)&o->items, &o->cap, o->n + 1, sizeof *o->items))
        return NULL;
    cor__overlay_t *ov = &o->items[o->n++];
    memset(ov, 0, sizeof *ov);
    ov->kind = kind;
    ov->bend = NAN;
    ov->look.opacity = 1.0;
    ov->priority = COR__OV_PRIORITY;
    return ov;
}

/* Fills a place: a copy of the name, or coordinates (valid when finite, latitude within 90). */
static bool place_set(cor__ov_place_t *p, const char *name, double lon, double lat)
{
    char *copy = NULL;
    if (name && !(copy = cor__strdup(name)))
        return false;
    free(p->name);
    p->name = copy;
    p->lon = lon;
    p->lat = lat;
    p->resolved = !name && isfinite(lon) && isfinite(lat) && fabs(lat) <= 90.0;
    return true;
}

bool cor__overlay_add_place(cor__overlay_t *ov, const char *name, double lon, double lat)
{
    if (!ov)
        return false;
    cor__ov_place_t *p = cor__realloc(ov->places, ov->nplaces + 1, sizeof *p);
    if (!p)
        return false;
    ov->places = p;
    p[ov->nplaces] = (cor__ov_place_t){0};
    if (!place_set(&p[ov->nplaces], name, lon, lat))
        return false;
    ov->nplaces++;
    return true;
}

bool cor__overlay_set_cut(cor__overlay_t *ov, const char *name, double lon, double lat)
{
    if (!ov || !place_set(&ov->cut, name, lon, lat))
        return false;
    ov->has_cut = true;
    return true;
}

static void overlay_free(cor__overlay_t *ov)
{
    for (size_t k = 0; k < ov->nplaces; k++)
        free(ov->places[k].name);
    free(ov->places);
    free(ov->cut.name);
    free(ov->group);
    free(ov->file);
    free(ov->label);
    free(ov->legend);
}

void cor__overlays_clear(cor__overlays_t *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->n; i++)
        overlay_free(&o->items[i]);
    free(o->items);
    for (size_t i = 0; i < o->nhidden; i++)
        free(o->hidden[i]);
    free(o->hidden);
    memset(o, 0, sizeof *o);
}

void cor__overlays_truncate(cor__overlays_t *o, size_t n)
{
    for (size_t i = n; o && i < o->n; i++)
        overlay_free(&o->items[i]);
    if (o && n < o->n)
        o->n = n;
}

static cor_color_t rgb(unsigned v, double a)
{
    return (cor_color_t){(v >> 16 & 0xff) / 255.0, (v >> 8 & 0xff) / 255.0, (v & 0xff) / 255.0, a};
}

void cor__overlay_default_look(cor__ov_kind_t kind, cor__look_t *lk)
{
    memset(lk, 0, sizeof *lk);
    lk->opacity = 1;
    lk->cap = COR__CAP_ROUND;
    lk->join = COR__JOIN_ROUND;
    lk->casing = rgb(0xffffff, 1);
    lk->stroke_on = true;
    switch (kind) {
    case COR__OV_ROUTE:
        lk->stroke = rgb(0x7a2e0e, 1);
        lk->width = 2.2;
        break;
    case COR__OV_FLOW:
        lk->stroke = rgb(0xb2182b, 1);
        lk->opacity = 0.85;
        break;
    case COR__OV_MARKER:
        lk->marker = COR__MARKER_CIRCLE;
        lk->size = 8;
        lk->fill_on = true;
        lk->fill = rgb(0x333333, 1);
        lk->stroke = rgb(0xffffff, 1);
        lk->width = 0.8;
        break;
    case COR__OV_AREA:
        lk->fill_on = true;
        lk->fill = rgb(0xd94801, 0.35);
        lk->stroke = rgb(0xd94801, 1);
        lk->width = 0.8;
        break;
    case COR__OV_CALLOUT:
        lk->stroke = rgb(0x333333, 1);
        lk->width = 0.6;
        break;
    }
}

bool cor__overlays_group_hidden(const cor__overlays_t *o, const char *group)
{
    for (size_t i = 0; group && i < o->nhidden; i++) {
        if (strcmp(o->hidden[i], group) == 0)
            return true;
    }
    return false;
}

bool cor__overlays_hide(cor__overlays_t *o, const char *group)
{
    if (!o || !group)
        return o != NULL;
    if (cor__overlays_group_hidden(o, group))
        return true;
    char *copy = cor__strdup(group);
    char **h = copy ? cor__realloc(o->hidden, o->nhidden + 1, sizeof *h) : NULL;
    if (!h) {
        free(copy);
        return false;
    }
    o->hidden = h;
    h[o->nhidden++] = copy;
    return true;
}

/* Visible and inside the window of items being drawn now. */
static bool drawn(const cor__overlays_t *o, size_t i)
{
    return cor__overlay_visible(o, &o->items[i]) &&
           (o->draw_to == 0 || (i >= o->draw_from && i < o->draw_to));
}

bool cor__overlay_visible(const cor__overlays_t *o, const cor__overlay_t *ov)
{
    return ov && (!o || !cor__overlays_group_hidden(o, ov->group));
}

double cor__overlays_max_flow(const cor__overlays_t *o)
{
    double max = 0.0;
    for (size_t i = 0; o && i < o->n; i++) {
        const cor__overlay_t *ov = &o->items[i];
        if (ov->kind == COR__OV_FLOW && cor__overlay_visible(o, ov) && isfinite(ov->value) &&
            ov->value > max)
            max = ov->value;
    }
    return max;
}

static double setting(double v, double def)
{
    return isfinite(v) && v > 0.0 ? v : def;
}

double cor__flow_width(const cor__overlays_t *o, double value, double max_value)
{
    double wmax = setting(o ? o->flow_max_width : 0.0, FLOW_MAX_W);
    double wmin = setting(o ? o->flow_min_width : 0.0, FLOW_MIN_W);
    if (!(value > 0.0) || !isfinite(value) || !(max_value > 0.0) || !isfinite(max_value))
        return wmin;
    return fmax(wmin, value / max_value * wmax);
}

const char *cor__overlay_note(const cor__overlay_t *ov)
{
    if (!ov || !ov->schematic)
        return "";
    switch (ov->kind) {
    case COR__OV_ROUTE:
        return " (route approximate)";
    case COR__OV_FLOW:
        return " (path approximate)";
    default:
        return " (location approximate)";
    }
}

/* ---- resolving places ---- */

/* Fails with the overlay's "<file>:<line>: " in front of the message. */
static cor_status_t fail_at(const cor__overlay_t *ov, cor_error_t *err, cor_status_t code,
                            const char *msg)
{
    if (ov->file && ov->line > 0)
        return cor__fail(err, code, "%s:%d: %s", ov->file, ov->line, msg);
    if (ov->file)
        return cor__fail(err, code, "%s: %s", ov->file, msg);
    return cor__fail(err, code, "%s", msg);
}

static cor_status_t resolve_place(const cor__overlay_t *ov, cor__ov_place_t *p,
                                  const cor__gazetteer_t *g, cor_error_t *err)
{
    char msg[COR_ERROR_MAX];
    if (!p->name) {
        if (p->resolved)
            return COR_OK;
        snprintf(msg, sizeof msg, "coordinates %g, %g are not a longitude and latitude", p->lon,
                 p->lat);
        return fail_at(ov, err, COR_ERR_DATA, msg);
    }
    if (!g) {
        snprintf(msg, sizeof msg, "unknown place '%s' (no gazetteer)", p->name);
        return fail_at(ov, err, COR_ERR_NOTFOUND, msg);
    }
    cor_error_t e;
    cor_error_clear(&e);
    cor__place_t found;
    cor_status_t st = cor__gazetteer_find(g, p->name, &found, &e);
    if (st != COR_OK)
        return fail_at(ov, err, st, e.message);
    p->lon = found.lon;
    p->lat = found.lat;
    p->resolved = true;
    return COR_OK;
}

cor_status_t cor__overlays_resolve(cor__overlays_t *o, const cor__gazetteer_t *g, cor_error_t *err)
{
    for (size_t i = 0; o && i < o->n; i++) {
        cor__overlay_t *ov = &o->items[i];
        if (!cor__overlay_visible(o, ov))
            continue;
        for (size_t k = 0; k < ov->nplaces; k++) {
            cor_status_t st = resolve_place(ov, &ov->places[k], g, err);
            if (st != COR_OK)
                return st;
        }
        if (ov->has_cut) {
            cor_status_t st = resolve_place(ov, &ov->cut, g, err);
            if (st != COR_OK)
                return st;
        }
    }
    return COR_OK;
}

/* ---- polylines in page points ---- */

typedef struct pt {
    double x, y;
} pt_t;

typedef struct pl {
    pt_t *p;
    size_t n, cap;
} pl_t;

static bool pl_push(pl_t *l, double x, double y)
{
    if (!cor__grow((void **)&l->p, &l->cap, l->n + 1, sizeof *l->p))
        return false;
    l->p[l->n++] = (pt_t){x, y};
    return true;
}

static void pl_free(pl_t *l)
{
    free(l->p);
    *l = (pl_t){0};
}

static double dist(pt_t a, pt_t b)
{
    return hypot(b.x - a.x, b.y - a.y);
}

static pt_t unit(double x, double y)
{
    double n = hypot(x, y);
    return n > 0.0 && isfinite(n) ? (pt_t){x / n, y / n} : (pt_t){1.0, 0.0};
}

static double wrap_pi(double a)
{
    return a - 2 * M_PI * floor((a + M_PI) / (2 * M_PI));
}

static double pl_length(const pl_t *l)
{
    double s = 0.0;
    for (size_t i = 1; i < l->n; i++)
        s += dist(l->p[i - 1], l->p[i]);
    return s;
}

/* The point at arc length s (clamped to the line) and the unit direction of its segment. */
static pt_t pl_at(const pl_t *l, double s, pt_t *dir)
{
    pt_t d = {1.0, 0.0};
    if (l->n == 0)
        return (pt_t){0.0, 0.0};
    for (size_t i = 1; i < l->n; i++) {
        double len = dist(l->p[i - 1], l->p[i]);
        if (len <= 0.0)
            continue;
        d = unit(l->p[i].x - l->p[i - 1].x, l->p[i].y - l->p[i - 1].y);
        if (s <= len || i + 1 == l->n) {
            double t = fmin(fmax(s / len, 0.0), 1.0);
            if (dir)
                *dir = d;
            return (pt_t){l->p[i - 1].x + t * (l->p[i].x - l->p[i - 1].x),
                          l->p[i - 1].y + t * (l->p[i].y - l->p[i - 1].y)};
        }
        s -= len;
    }
    if (dir)
        *dir = d;
    return l->p[l->n - 1];
}

/* Appends to out the part of l between arc lengths s0 and s1 (s0 < s1). */
static bool pl_slice(const pl_t *l, double s0, double s1, pl_t *out)
{
    pt_t a = pl_at(l, s0, NULL);
    if (!pl_push(out, a.x, a.y))
        return false;
    double s = 0.0;
    for (size_t i = 1; i < l->n; i++) {
        s += dist(l->p[i - 1], l->p[i]);
        if (s > s0 && s < s1 && !pl_push(out, l->p[i].x, l->p[i].y))
            return false;
    }
    pt_t b = pl_at(l, s1, NULL);
    return pl_push(out, b.x, b.y);
}

/* Returns: the arc length of the point of l nearest q. */
static double pl_nearest(const pl_t *l, pt_t q)
{
    double best = INFINITY, at = 0.0, s = 0.0;
    for (size_t i = 1; i < l->n; i++) {
        pt_t a = l->p[i - 1], b = l->p[i];
        double len = dist(a, b), t = 0.0;
        if (len > 0.0)
            t = fmin(
                fmax(((q.x - a.x) * (b.x - a.x) + (q.y - a.y) * (b.y - a.y)) / (len * len), 0.0),
                1.0);
        double d = hypot(a.x + t * (b.x - a.x) - q.x, a.y + t * (b.y - a.y) - q.y);
        if (d < best) {
            best = d;
            at = s + t * len;
        }
        s += len;
    }
    return at;
}

/* Returns: the arc length at which l, walked from its start, last leaves the disc of radius r
 * around its first point (0 when r <= 0; the whole length when it never does). With from_end,
 * the same from its last point walking backwards, as an arc length from the start. */
static double pl_clear(const pl_t *l, double r, bool from_end)
{
    double total = pl_length(l), s = 0.0, found = 0.0;
    if (l->n < 2 || !(r > 0.0))
        return from_end ? total : 0.0;
    pt_t c = from_end ? l->p[l->n - 1] : l->p[0];
    found = total;
    for (size_t k = 1; k < l->n; k++) {
        pt_t a = from_end ? l->p[l->n - k] : l->p[k - 1];
        pt_t b = from_end ? l->p[l->n - 1 - k] : l->p[k];
        double len = dist(a, b), da = dist(a, c), db = dist(b, c);
        if (da < r && db >= r && len > 0.0) { /* solve |a + t (b - a) - c| = r */
            double ex = b.x - a.x, ey = b.y - a.y, fx = a.x - c.x, fy = a.y - c.y;
            double A = ex * ex + ey * ey, B = 2 * (fx * ex + fy * ey),
                   C = fx * fx + fy * fy - r * r;
            double t = (-B + sqrt(fmax(B * B - 4 * A * C, 0.0))) / (2 * A);
            found = s + fmin(fmax(t, 0.0), 1.0) * len;
        } else if (db < r) {
            found = total;
        }
        s += len;
    }
    return from_end ? total - found : found;
}

/* Samples the cubic Bezier a, c1, c2, b into l (without its first point). */
static bool pl_cubic(pl_t *l, pt_t a, pt_t c1, pt_t c2, pt_t b)
{
    double len = dist(a, c1) + dist(c1, c2) + dist(c2, b);
    int n = (int)fmin(ceil(len / SAMPLE_STEP) + 8, 4000);
    for (int i = 1; i <= n; i++) {
        double t = (double)i / n, u = 1 - t;
        double k0 = u * u * u, k1 = 3 * u * u * t, k2 = 3 * u * t * t, k3 = t * t * t;
        if (!pl_push(l, k0 * a.x + k1 * c1.x + k2 * c2.x + k3 * b.x,
                     k0 * a.y + k1 * c1.y + k2 * c2.y + k3 * b.y))
            return false;
    }
    return true;
}

/* Smooths an evenly sampled line in place by averaging each point with `half` neighbours
 * either side, `passes` times; the ends stay. Returns: false on exhaustion. */
static bool pl_average(pl_t *l, size_t half, int passes)
{
    pt_t *tmp = cor__calloc(l->n, sizeof *tmp);
    if (!tmp)
        return false;
    for (int it = 0; it < passes; it++) {
        for (size_t i = 0; i < l->n; i++) {
            size_t h = half, sx;
            if (i < h)
                h = i;
            if (l->n - 1 - i < h)
                h = l->n - 1 - i;
            double x = 0.0, y = 0.0;
            for (sx = i - h; sx <= i + h; sx++)
                x += l->p[sx].x, y += l->p[sx].y;
            tmp[i] = (pt_t){x / (2 * h + 1), y / (2 * h + 1)};
        }
        memcpy(l->p, tmp, l->n * sizeof *tmp);
    }
    free(tmp);
    return true;
}

static void pl_reverse(pl_t *l)
{
    for (size_t i = 0, j = l->n ? l->n - 1 : 0; i < j; i++, j--) {
        pt_t t = l->p[i];
        l->p[i] = l->p[j];
        l->p[j] = t;
    }
}

/* Splits l into newly allocated x and y arrays. Returns: false on exhaustion. */
static bool pl_split(const pl_t *l, double **x, double **y)
{
    *x = cor__calloc(l->n, sizeof **x);
    *y = cor__calloc(l->n, sizeof **y);
    if (!*x || !*y) {
        free(*x);
        free(*y);
        return false;
    }
    for (size_t i = 0; i < l->n; i++) {
        (*x)[i] = l->p[i].x;
        (*y)[i] = l->p[i].y;
    }
    return true;
}

/* Builds a line or polygon geometry from l. Returns: false on exhaustion. */
static bool pl_geom(const pl_t *l, cor__geom_kind_t kind, cor__geom_t *g)
{
    double *x, *y;
    *g = (cor__geom_t){.kind = kind};
    if (!pl_split(l, &x, &y))
        return false;
    bool ok = cor__geom_add_part(g, x, y, l->n);
    free(x);
    free(y);
    return ok;
}

/* ---- projecting ---- */

/* One drawing pass: where to draw, how to project, and what was left out. */
typedef struct spot {
    double x, y;
    const cor__overlay_t *ov;
} spot_t;

typedef struct pass {
    const cor__overlays_t *o;
    cor__textout_t *to;
    cairo_t *cr;
    cor__to_page_fn to_page;
    void *ctx;
    cor__labeler_t *lb;
    size_t skipped;
    cor_error_t *err;
    spot_t *spots; /* the places of every visible overlay but areas, to keep route labels off */
    size_t nspots;
} pass_t;

static bool project(const pass_t *p, const cor__ov_place_t *pl, pt_t *out)
{
    double x, y;
    if (!pl->resolved || !p->to_page(p->ctx, pl->lon, pl->lat, &x, &y) || !isfinite(x) ||
        !isfinite(y))
        return false;
    *out = (pt_t){x, y};
    return true;
}

/* Appends the projection of the segment from place a to place b (without a's own point), every
 * DENSIFY_DEG in longitude and latitude. Returns: COR_OK; COR_ERR_CRS when a point cannot be
 * projected; COR_ERR_NOMEM. */
static cor_status_t project_segment(const pass_t *p, const cor__ov_place_t *a,
                                    const cor__ov_place_t *b, pl_t *out)
{
    double span = fmax(fabs(b->lon - a->lon), fabs(b->lat - a->lat));
    double steps = fmin(fmax(ceil(span / DENSIFY_DEG), 1.0), MAX_STEPS);
    for (double i = 1; i <= steps; i++) {
        cor__ov_place_t q = *b;
        q.lon = a->lon + (b->lon - a->lon) * i / steps;
        q.lat = a->lat + (b->lat - a->lat) * i / steps;
        pt_t at;
        if (!project(p, &q, &at))
            return COR_ERR_CRS;
        if (!pl_push(out, at.x, at.y))
            return COR_ERR_NOMEM;
    }
    return COR_OK;
}

/* Projects the overlay's places as a densified path (a ring, back to the first place, when
 * `close`). Returns: COR_OK; COR_ERR_CRS when a place is unresolved or a point cannot be
 * projected; COR_ERR_NOMEM. */
static cor_status_t project_path(const pass_t *p, const cor__overlay_t *ov, bool close, pl_t *out)
{
    pt_t first;
    if (ov->nplaces == 0 || !project(p, &ov->places[0], &first))
        return COR_ERR_CRS;
    if (!pl_push(out, first.x, first.y))
        return COR_ERR_NOMEM;
    size_t n = ov->nplaces + (close ? 1 : 0);
    for (size_t i = 1; i < n; i++) {
        const cor__ov_place_t *b = &ov->places[i % ov->nplaces];
        if (!b->resolved)
            return COR_ERR_CRS;
        cor_status_t st = project_segment(p, &ov->places[i - 1], b, out);
        if (st != COR_OK)
            return st;
    }
    return COR_OK;
}

/* ---- arrowheads ---- */

static void head_size(double w, double *half, double *len)
{
    *half = fmax(HEAD_MIN_HALF, 0.5 * w + fmax(1.5, 0.55 * w));
    *len = fmax(HEAD_MIN_LEN, 2.1 * *half);
}

void cor__arrowhead(double x, double y, double dx, double dy, double w, double pts[6], double *back)
{
    if (!(w > 0.0) || !isfinite(w))
        w = 0.0;
    pt_t u = unit(dx, dy);
    double hw, len;
    head_size(w, &hw, &len);
    double bx = x - u.x * len, by = y - u.y * len;
    pts[0] = x;
    pts[1] = y;
    pts[2] = bx + u.y * hw; /* left of travel on a page whose y grows downwards */
    pts[3] = by - u.x * hw;
    pts[4] = bx - u.y * hw;
    pts[5] = by + u.x * hw;
    if (back) { /* between the sides meeting the line's corners and the notch */
        double lower = 0.5 * w * len / hw + 0.25, upper = HEAD_NOTCH * len;
        *back = 0.5 * (lower + upper);
    }
}

/* Adds the swept arrowhead: tip, left barb, the notch in the back edge, right barb. */
static void head_path(cairo_t *cr, const double h[6])
{
    double nx = h[0] + HEAD_NOTCH * ((h[2] + h[4]) / 2 - h[0]);
    double ny = h[1] + HEAD_NOTCH * ((h[3] + h[5]) / 2 - h[1]);
    cairo_move_to(cr, h[0], h[1]);
    cairo_line_to(cr, h[2], h[3]);
    cairo_line_to(cr, nx, ny);
    cairo_line_to(cr, h[4], h[5]);
    cairo_close_path(cr);
}

static bool casing_visible(const cor__look_t *lk)
{
    return lk->casing_on && lk->casing.a > 0.0 && isfinite(lk->casing_width) &&
           lk->casing_width > 0.0;
}

/* Adds a polygon of n corners (x0, y0, x1, y1, ...); with `swept`, n is 3 and it is a head
 * whose back edge is notched. */
static void head_shape(cairo_t *cr, const double *q, int n, bool swept)
{
    cairo_new_path(cr);
    if (swept) {
        head_path(cr, q);
        return;
    }
    for (int i = 0; i < n; i++)
        cairo_line_to(cr, q[2 * i], q[2 * i + 1]);
    cairo_close_path(cr);
}

/* Draws a head's outline in the casing colour, as wide as the casing shows beside the line
 * (`casing`), or fills it in the stroke colour. */
static void paint_head(cairo_t *cr, const double *q, int n, bool swept, const cor__look_t *lk,
                       bool casing)
{
    if (!lk->stroke_on || (casing && !casing_visible(lk)))
        return;
    cairo_save(cr);
    cairo_set_dash(cr, NULL, 0, 0.0);
    head_shape(cr, q, n, swept);
    if (casing) {
        cairo_set_line_width(cr, lk->casing_width);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cor__paint_set_color(cr, lk->casing, lk->opacity);
        cairo_stroke(cr);
    } else {
        cor__paint_set_color(cr, lk->stroke, lk->opacity);
        cairo_fill(cr);
    }
    cairo_restore(cr);
}

static double casing_half(const cor__look_t *lk)
{
    return casing_visible(lk) ? lk->casing_width / 2 : 0.0;
}

/* Fills the head in the stroke colour over its outline in the casing colour. */
static void draw_head(cairo_t *cr, const double h[6], const cor__look_t *lk)
{
    paint_head(cr, h, 3, true, lk, true);
    paint_head(cr, h, 3, true, lk, false);
}

/* Returns: how far a line must stop short of a head's tip, its cap included. */
static double head_stop(const cor__look_t *lk, double back)
{
    return back + (lk->cap == COR__CAP_BUTT ? 0.0 : lk->width / 2);
}

/* ---- painting and obstacles ---- */

/* Strokes l with the look (its casing when `casing`). Returns: false on exhaustion. */
static bool stroke_pl(cairo_t *cr, const pl_t *l, const cor__look_t *lk, bool casing)
{
    cor__geom_t g;
    if (l->n < 2)
        return true;
    if (!pl_geom(l, COR__GEOM_LINE, &g))
        return false;
    cor__paint_stroke(cr, &g, lk, casing);
    cor__geom_free(&g);
    return true;
}

static cor_bbox_t box_around(const pt_t *p, size_t n, double pad)
{
    cor_bbox_t b = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (size_t i = 0; i < n; i++) {
        b.minx = fmin(b.minx, p[i].x - pad);
        b.miny = fmin(b.miny, p[i].y - pad);
        b.maxx = fmax(b.maxx, p[i].x + pad);
        b.maxy = fmax(b.maxy, p[i].y + pad);
    }
    return b;
}

/* Marks the line as an obstacle to labels: small boxes along it, `half` pt either side, except
 * within END_FREE of the places in `free` (n of them), where a place's own label may touch it. */
static void obstacles_along(cor__labeler_t *lb, const pl_t *l, double half, const pt_t *free,
                            size_t n)
{
    double total = pl_length(l);
    if (!lb || l->n < 2 || !(total > 0.0))
        return;
    double steps = fmin(ceil(total / OBST_STEP), MAX_STEPS);
    for (double i = 0; i < steps; i++) {
        pt_t q[3] = {pl_at(l, total * i / steps, NULL), pl_at(l, total * (i + 0.5) / steps, NULL),
                     pl_at(l, total * (i + 1) / steps, NULL)};
        bool near = false;
        for (size_t k = 0; k < n && !near; k++)
            near = dist(q[1], free[k]) < END_FREE + half;
        if (!near)
            cor__labeler_obstacle(lb, box_around(q, 3, half));
    }
}

/* Marks the box around n (at most 5) points x0, y0, x1, y1, ... as an obstacle. */
static void obstacle_pts(cor__labeler_t *lb, const double *xy, size_t n, double pad)
{
    pt_t q[5];
    n = n < 5 ? n : 5;
    for (size_t i = 0; lb && i < n; i++)
        q[i] = (pt_t){xy[2 * i], xy[2 * i + 1]};
    if (lb)
        cor__labeler_obstacle(lb, box_around(q, n, pad));
}

/* ---- labels ---- */

/* A colour dark enough for text: the overlay's own, darkened, or near-black for light ones. */
static cor_color_t text_color(cor_color_t c)
{
    double lum = 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
    if (!(c.a > 0.0) || lum > 0.55)
        return (cor_color_t){0.13, 0.13, 0.13, 1.0};
    return (cor_color_t){c.r * 0.7, c.g * 0.7, c.b * 0.7, 1.0};
}

static cor__text_style_t label_style(const cor__overlay_t *ov, cor_color_t base)
{
    cor__text_style_t ts = {0};
    ts.size = setting(ov->label_size, LABEL_SIZE);
    ts.weight = 600;
    ts.color = ov->label_color.a > 0.0 ? ov->label_color : text_color(base);
    ts.halo = (cor_color_t){1.0, 1.0, 1.0, 0.9};
    ts.halo_width = LABEL_HALO;
    return ts;
}

/* The overlay's label with its schematic note, malloc'd in *out (NULL when it has none).
 * Returns: COR_OK; COR_ERR_NOMEM. */
static cor_status_t label_text(const cor__overlay_t *ov, char **out, cor_error_t *err)
{
    *out = NULL;
    if (!ov->label || !ov->label[0])
        return COR_OK;
    *out = cor__asprintf("%s%s", ov->label, cor__overlay_note(ov));
    return *out ? COR_OK : cor__fail(err, COR_ERR_NOMEM, "out of memory for an overlay label");
}

static cor_status_t nomem(cor_error_t *err)
{
    return cor__fail(err, COR_ERR_NOMEM, "out of memory drawing overlays");
}

/* The clearance around an end place: the dot assumed there, or a bigger marker overlay's
 * symbol, plus the gap. */
static double end_clear(const pass_t *p, pt_t at)
{
    double r = DOT_R;
    for (size_t i = 0; i < p->o->n; i++) {
        const cor__overlay_t *m = &p->o->items[i];
        pt_t q;
        if (m->kind != COR__OV_MARKER || !cor__overlay_visible(p->o, m) || m->nplaces == 0 ||
            m->look.marker == COR__MARKER_NONE || !project(p, &m->places[0], &q))
            continue;
        if (dist(q, at) < SAME_PLACE && isfinite(m->look.size))
            r = fmax(r, m->look.size / 2);
    }
    return r + END_GAP;
}

/* ---- routes ---- */

/* The look a route is drawn with: a blocked route without a dash gets one sized to its width
 * (round and square caps lengthen dashes by the width: the gap makes up for it). */
static cor__look_t route_look(const cor__look_t *look, bool blocked)
{
    cor__look_t lk = *look;
    if (blocked && lk.ndash == 0) {
        double w = setting(lk.width, 1.0), caps = lk.cap == COR__CAP_BUTT ? 0.0 : w;
        lk.dash[0] = fmax(fmax(5.0, 1.8 * w) - caps, 0.01);
        lk.dash[1] = fmax(3.0, 1.1 * w) + caps;
        lk.ndash = 2;
    }
    return lk;
}

/* Where a route's line runs (arc lengths s0 to s1) and its arrowheads. */
typedef struct ends {
    double s0, s1;
    bool head0, head1;
    double h0[6], h1[6];
} ends_t;

/* Puts the wanted heads' tips the end clearance short of the end places, and stops the line
 * under them. A route too short for its heads gets none. */
static void route_ends(const pass_t *p, const cor__overlay_t *ov, const pl_t *l,
                       const cor__look_t *lk, ends_t *e)
{
    double total = pl_length(l), hw, len, back;
    bool want0 = ov->arrow == COR__ARROW_START || ov->arrow == COR__ARROW_BOTH;
    bool want1 = ov->arrow == COR__ARROW_END || ov->arrow == COR__ARROW_BOTH;
    head_size(lk->width, &hw, &len);
    double t0 = want0 ? pl_clear(l, end_clear(p, l->p[0]), false) : 0.0;
    double t1 = want1 ? pl_clear(l, end_clear(p, l->p[l->n - 1]), true) : total;
    *e = (ends_t){.s0 = 0.0, .s1 = total};
    if (!(t1 - t0 > len * (want0 + want1) + 1.0))
        return;
    if (want1) {
        pt_t tip = pl_at(l, t1, NULL), from = pl_at(l, t1 - len, NULL);
        cor__arrowhead(tip.x, tip.y, tip.x - from.x, tip.y - from.y, lk->width, e->h1, &back);
        e->s1 = t1 - head_stop(lk, back);
        e->head1 = true;
    }
    if (want0) {
        pt_t tip = pl_at(l, t0, NULL), from = pl_at(l, t0 + len, NULL);
        cor__arrowhead(tip.x, tip.y, tip.x - from.x, tip.y - from.y, lk->width, e->h0, &back);
        e->s0 = t0 + head_stop(lk, back);
        e->head0 = true;
    }
}

/* A rectangle centred on c, `along` either way along t and `across` either way across it. */
static void quad(pt_t c, pt_t t, double along, double across, double q[8])
{
    const double sa[4] = {1, 1, -1, -1}, sc[4] = {1, -1, -1, 1};
    for (int i = 0; i < 4; i++) {
        q[2 * i] = c.x + sa[i] * along * t.x - sc[i] * across * t.y;
        q[2 * i + 1] = c.y + sa[i] * along * t.y + sc[i] * across * t.x;
    }
}

static void fill_quad(cairo_t *cr, const double q[8], cor_color_t c, double opacity)
{
    cairo_new_path(cr);
    for (int i = 0; i < 4; i++)
        cairo_line_to(cr, q[2 * i], q[2 * i + 1]);
    cairo_close_path(cr);
    cor__paint_set_color(cr, c, opacity);
    cairo_fill(cr);
}

/* The barrier across a line of width w at c heading along t: a thick bar across the line over a
 * mask in the casing colour (white without a casing) that opens a gap in the line around it. */
static void draw_barrier(cairo_t *cr, cor__labeler_t *lb, pt_t c, pt_t t, const cor__look_t *lk,
                         double scale)
{
    double w = setting(lk->width, 1.0), bar[8], mask[8];
    double half = scale * fmax(BAR_MIN, BAR_LEN * w) / 2;
    double thick = scale * fmax(BAR_TMIN, BAR_THICK * w) / 2;
    double m = scale * fmax(BAR_MMIN, BAR_MASK * w);
    quad(c, t, thick, half, bar);
    quad(c, t, thick + m, half + m, mask);
    cor_color_t mc = lk->casing_on ? lk->casing : (cor_color_t){1, 1, 1, 1};
    cairo_save(cr);
    fill_quad(cr, mask, mc, lk->opacity);
    fill_quad(cr, bar, lk->stroke, lk->opacity);
    cairo_restore(cr);
    obstacle_pts(lb, mask, 4, 0.0);
}

/* The barrier of a blocked route: at the point of the route nearest its cut place, else at the
 * middle of its length; square to the route's direction over a few points either side. */
static void route_barrier(const pass_t *p, const cor__overlay_t *ov, const pl_t *l,
                          const cor__look_t *lk)
{
    double total = pl_length(l), s = total / 2;
    pt_t cut;
    if (ov->has_cut && project(p, &ov->cut, &cut))
        s = pl_nearest(l, cut);
    double span = fmax(2.0, lk->width);
    pt_t a = pl_at(l, fmax(s - span, 0.0), NULL), b = pl_at(l, fmin(s + span, total), NULL);
    pt_t t = unit(b.x - a.x, b.y - a.y);
    if (!(dist(a, b) > 0.0))
        pl_at(l, s, &t);
    draw_barrier(p->cr, p->lb, pl_at(l, s, NULL), t, lk, 1.0);
}

/* Resamples l every `step` pt into out. Returns: false on exhaustion. */
static bool pl_resample(const pl_t *l, double step, pl_t *out)
{
    double total = pl_length(l), at = 0.0;
    size_t i = 1;
    bool ok = l->n > 0 && pl_push(out, l->p[0].x, l->p[0].y);
    for (double k = 1; ok && k * step <= total; k++) {
        while (i + 1 < l->n && at + dist(l->p[i - 1], l->p[i]) < k * step)
            at += dist(l->p[i - 1], l->p[i]), i++;
        double len = dist(l->p[i - 1], l->p[i]), t = len > 0 ? (k * step - at) / len : 0;
        t = fmin(fmax(t, 0.0), 1.0);
        ok = pl_push(out, l->p[i - 1].x + t * (l->p[i].x - l->p[i - 1].x),
                     l->p[i - 1].y + t * (l->p[i].y - l->p[i - 1].y));
    }
    return ok;
}

static bool inside(cor_bbox_t b, pt_t q)
{
    return q.x >= b.minx && q.x <= b.maxx && q.y >= b.miny && q.y <= b.maxy;
}

/* Returns: whether step k of r (to k + 1) lies on the page and turns from the one before it
 * by at most max_turn. */
static bool smooth_step(const pl_t *r, size_t k, cor_bbox_t page, double max_turn)
{
    if (k + 1 >= r->n || !inside(page, r->p[k]) || !inside(page, r->p[k + 1]))
        return false;
    if (k == 0)
        return true;
    double a = atan2(r->p[k + 1].y - r->p[k].y, r->p[k + 1].x - r->p[k].x);
    double b = atan2(r->p[k].y - r->p[k - 1].y, r->p[k].x - r->p[k - 1].x);
    return fabs(wrap_pi(a - b)) <= max_turn;
}

/* Where along r (resampled every LABEL_STEP pt) a label of n steps fits: on the page, turning
 * by at most max_turn per step. Returns: the index of the best first point (the straightest
 * stretch away from other overlays' places, then the one nearest the middle), or -1. */
/* Returns: the share of the points of r from i to i + n within CROWD_R of a place of another
 * overlay than ov. */
static double crowding(const pass_t *p, const cor__overlay_t *ov, const pl_t *r, size_t i, size_t n)
{
    size_t near = 0;
    for (size_t k = i; k <= i + n && k < r->n; k++) {
        bool hit = false;
        for (size_t j = 0; j < p->nspots && !hit; j++)
            hit = p->spots[j].ov != ov &&
                  hypot(r->p[k].x - p->spots[j].x, r->p[k].y - p->spots[j].y) < CROWD_R;
        near += hit;
    }
    return (double)near / (n + 1);
}

static long line_fit(const pass_t *p, const cor__overlay_t *ov, const pl_t *r, size_t n,
                     cor_bbox_t page, double max_turn)
{
    long best = -1;
    double best_score = INFINITY;
    for (size_t i = 0; i + n < r->n; i++) {
        double turn = 0.0;
        bool ok = true;
        for (size_t k = i; ok && k < i + n; k++) {
            ok = smooth_step(r, k, page, k > i ? max_turn : INFINITY);
            if (k > i)
                turn += fabs(wrap_pi(atan2(r->p[k + 1].y - r->p[k].y, r->p[k + 1].x - r->p[k].x) -
                                     atan2(r->p[k].y - r->p[k - 1].y, r->p[k].x - r->p[k - 1].x)));
        }
        if (!ok)
            continue;
        double score = turn + 0.002 * fabs((double)i + n / 2.0 - r->n / 2.0) +
                       CROWD_COST * crowding(p, ov, r, i, n);
        if (score < best_score) {
            best_score = score;
            best = (long)i;
        }
    }
    return best;
}

/* Returns: 1 when the outside of r's bends between `from` and `to`, on balance, lies above the
 * line as read from left to right (the side a positive label offset takes), else -1. */
static double outer_side(const pl_t *r, size_t from, size_t to)
{
    double turn = 0.0;
    for (size_t k = from + 1; k < to && k + 1 < r->n; k++)
        turn += wrap_pi(atan2(r->p[k + 1].y - r->p[k].y, r->p[k + 1].x - r->p[k].x) -
                        atan2(r->p[k].y - r->p[k - 1].y, r->p[k].x - r->p[k - 1].x));
    bool reversed = r->p[to].x < r->p[from].x;     /* the labeler reads it backwards */
    return (turn >= 0.0) != reversed ? 1.0 : -1.0; /* turning right as read: outside above */
}

/* Returns: the largest |sin 2a| over the steps of r from `from` to `to`, a the steps' angles:
 * how much axis-aligned boxes along them (the labeler's and the line's) grow towards each
 * other. */
static double slant(const pl_t *r, size_t from, size_t to)
{
    double m = 0.0;
    for (size_t k = from; k < to && k + 1 < r->n; k++)
        m = fmax(m, fabs(sin(2 * atan2(r->p[k + 1].y - r->p[k].y, r->p[k + 1].x - r->p[k].x))));
    return m;
}

/* A route's label and how it is to be set: text, style, its size, its distance from the line
 * (clear of the line and of the dots of the places it passes), the extra distance boxes along
 * a slanted line need, and how sharply the line may turn under it. */
typedef struct route_text {
    char *text;
    cor__text_style_t ts;
    double tw, th, off, grow, max_turn;
} route_text_t;

/* The label along the stretch `at` (n steps) of r, handed to the labeler with as much line
 * either side as is as smooth (it tries the middle first, then steps out along it), on the
 * outer side of the stretch's bends. */
static cor_status_t route_label_along(pass_t *p, const cor__overlay_t *ov, const pl_t *r, size_t at,
                                      size_t n, cor_bbox_t page, const route_text_t *rt)
{
    size_t from = at, to = at + n, more = 0;
    double *x = NULL, *y = NULL;
    pl_t part = {0};
    while (from > more && to + more + 1 < r->n &&
           smooth_step(r, from - more - 1, page, rt->max_turn) &&
           smooth_step(r, to + more, page, rt->max_turn))
        more++;
    double side = outer_side(r, from, to);
    from -= more;
    to += more;
    bool ok = true;
    for (size_t k = from; ok && k <= to && k < r->n; k++)
        ok = pl_push(&part, r->p[k].x, r->p[k].y);
    cor_status_t st = ok && pl_split(&part, &x, &y) ? COR_OK : nomem(p->err);
    double off = (rt->off + rt->grow * slant(r, from, to)) * side;
    if (st == COR_OK)
        st = cor__labeler_add_line_at(p->lb, rt->text, x, y, part.n, &rt->ts, off, ov->priority,
                                      p->err);
    free(x);
    free(y);
    pl_free(&part);
    return st;
}

/* The route's label along the stretch of it where it fits best, beside the line; where none
 * fits, horizontal, beside the middle of the route above it, ranked just below. */
static cor_status_t route_label(pass_t *p, const cor__overlay_t *ov, const pl_t *l,
                                const cor__look_t *lk)
{
    route_text_t rt = {0};
    double x0, y0, x1, y1;
    pl_t r = {0};
    cor_status_t st = p->lb ? label_text(ov, &rt.text, p->err) : COR_OK;
    if (st != COR_OK || !rt.text)
        return st;
    rt.ts = label_style(ov, lk->stroke);
    cor__text_measure(rt.text, &rt.ts, &rt.tw, &rt.th);
    rt.off = fmax(lk->width / 2 + casing_half(lk), DOT_R + 0.5) + LABEL_GAP + rt.th / 2;
    rt.grow = (0.75 * rt.ts.size + OBST_STEP) / 2; /* at 45 degrees */
    rt.max_turn = fmin(LABEL_TURN, LABEL_SQUEEZE * LABEL_STEP / (rt.off + rt.grow));
    cairo_clip_extents(p->cr, &x0, &y0, &x1, &y1);
    cor_bbox_t page = {x0 + rt.th, y0 + rt.th, x1 - rt.th, y1 - rt.th};
    size_t n = (size_t)ceil((rt.tw + rt.th / 2) / LABEL_STEP); /* the text and a little room */
    long at = -1;
    if (!pl_resample(l, LABEL_STEP, &r) || !pl_average(&r, LABEL_SMOOTH, 3))
        st = nomem(p->err);
    else if ((at = line_fit(p, ov, &r, n, page, rt.max_turn)) >= 0)
        st = route_label_along(p, ov, &r, (size_t)at, n, page, &rt);
    if (st == COR_OK && at < 0) {
        pt_t t, mid = pl_at(&r, pl_length(&r) / 2, &t), up = {t.y, -t.x};
        if (up.y > 0.0)
            up = (pt_t){-up.x, -up.y};
        double d = rt.off - rt.th / 2 + fabs(up.x) * rt.tw / 2 + fabs(up.y) * rt.th / 2;
        st = cor__labeler_add_area(p->lb, rt.text, mid.x + up.x * d, mid.y + up.y * d, &rt.ts,
                                   ov->priority - 1, p->err);
    }
    pl_free(&r);
    free(rt.text);
    return st;
}

/* The route's line as an obstacle, free near each of its places. */
static void route_obstacles(const pass_t *p, const cor__overlay_t *ov, const pl_t *body,
                            double half)
{
    pt_t *at = p->lb ? cor__calloc(ov->nplaces, sizeof *at) : NULL;
    size_t n = 0;
    for (size_t k = 0; at && k < ov->nplaces; k++)
        n += project(p, &ov->places[k], &at[n]);
    if (at || !p->lb)
        obstacles_along(p->lb, body, half, at, n);
    free(at);
}

static cor_status_t draw_route(pass_t *p, const cor__overlay_t *ov)
{
    pl_t l = {0}, body = {0};
    cor_status_t st = project_path(p, ov, false, &l);
    if (st == COR_ERR_CRS || (st == COR_OK && l.n < 2)) {
        p->skipped++;
        pl_free(&l);
        return COR_OK;
    }
    cor__look_t lk = route_look(&ov->look, ov->blocked);
    ends_t e = {0};
    if (st == COR_OK) {
        route_ends(p, ov, &l, &lk, &e);
        if (!pl_slice(&l, e.s0, e.s1, &body) || !stroke_pl(p->cr, &body, &lk, true) ||
            !stroke_pl(p->cr, &body, &lk, false))
            st = COR_ERR_NOMEM;
    }
    if (st == COR_OK) {
        if (e.head0)
            draw_head(p->cr, e.h0, &lk);
        if (e.head1)
            draw_head(p->cr, e.h1, &lk);
        route_obstacles(p, ov, &body, lk.width / 2 + casing_half(&lk));
        if (e.head0)
            obstacle_pts(p->lb, e.h0, 3, casing_half(&lk));
        if (e.head1)
            obstacle_pts(p->lb, e.h1, 3, casing_half(&lk));
        if (ov->blocked && lk.stroke_on)
            route_barrier(p, ov, &l, &lk);
        st = route_label(p, ov, &l, &lk);
    } else {
        st = nomem(p->err);
    }
    pl_free(&l);
    pl_free(&body);
    return st;
}

/* ---- flows ----
 * Every flow belongs to a unit: a bundle of the flows without via places between the same two
 * places, or a flow with via places alone. A unit has a base curve; its flows are strands
 * offset from it across their widths. At an end where no head arrives the offsets fade out, so
 * the strands gather into the place, clear of each other a few points beyond the end gap. Where
 * the heads of a bundle arrive, the strands stay side by side and share one head sized to the
 * bundle's width, split into slices that continue each strand to the common tip: every flow
 * keeps its own piece of arrowhead and no two touch but at the tip. */

#define SHARED_BARB   0.35 /* a shared head's barbs reach this share of the bundle's width */
#define SHARED_LEN    1.5  /* its length over its half-width */
#define SHARED_MAX    0.3  /* at most this share of the base's length */
#define SHARED_NECK   0.5  /* strands flare into their slices over this share of its length */
#define SLICE_OVERLAP 0.4  /* a strand reaches this far into its slice, so no seam shows, pt */

typedef struct flow {
    const cor__overlay_t *ov;
    pl_t pts; /* from, via..., to, page points */
    double w;
    size_t unit;
    double offset; /* along the unit's right-hand normal, pt */
    bool reversed; /* runs from the unit's end to its start */
} flow_t;

typedef struct unit {
    pt_t a, b;       /* the ends, in the direction of its first flow */
    bool via;        /* a single flow through via places */
    bool fixed;      /* its bend was given, or it has via places: it does not fan out */
    double bend;     /* the arc's bulge to the right, over the chord */
    double r[2];     /* the clearances at a and b, pt */
    double taper[2]; /* at an end without a shared head: the length over which strands gather */
    bool split[2];   /* a shared head at a, b */
    double width;    /* the bundle, strands and gaps, pt */
    double spread;   /* the half-angle its strands leave a over */
    double theta;    /* the direction it leaves a in, while fanning out */
    size_t n;        /* flows */
    pl_t base;
} unit_t;

static void flows_free(flow_t *fl, size_t nf, unit_t *un, size_t nu)
{
    for (size_t i = 0; i < nf; i++)
        pl_free(&fl[i].pts);
    for (size_t i = 0; i < nu; i++)
        pl_free(&un[i].base);
    free(fl);
    free(un);
}

/* The width of a flow: from its value, else its look's width, else the minimum. */
static double flow_w(const cor__overlays_t *o, const cor__overlay_t *ov, double max)
{
    if (isfinite(ov->value) && ov->value > 0.0)
        return cor__flow_width(o, ov->value, max);
    return setting(ov->look.width, cor__flow_width(o, 0.0, max));
}

/* Projects the visible flows' places, in declaration order, skipping (and counting) flows with
 * a place that cannot be projected. Returns: COR_OK; COR_ERR_NOMEM. */
static cor_status_t collect_flows(pass_t *p, flow_t **out, size_t *nout)
{
    flow_t *fl = NULL;
    size_t n = 0, cap = 0;
    double max = cor__overlays_max_flow(p->o);
    for (size_t i = 0; i < p->o->n; i++) {
        const cor__overlay_t *ov = &p->o->items[i];
        if (ov->kind != COR__OV_FLOW || !drawn(p->o, i))
            continue;
        if (!cor__grow((void **)&fl, &cap, n + 1, sizeof *fl)) {
            flows_free(fl, n, NULL, 0);
            return nomem(p->err);
        }
        flow_t *f = &fl[n];
        *f = (flow_t){.ov = ov, .w = flow_w(p->o, ov, max)};
        bool ok = ov->nplaces >= 2;
        for (size_t k = 0; ok && k < ov->nplaces; k++) {
            pt_t q;
            ok = project(p, &ov->places[k], &q);
            if (ok && !pl_push(&f->pts, q.x, q.y)) {
                flows_free(fl, n + 1, NULL, 0);
                return nomem(p->err);
            }
        }
        if (ok && dist(f->pts.p[0], f->pts.p[f->pts.n - 1]) >= SAME_PLACE) {
            n++;
        } else {
            pl_free(&f->pts);
            p->skipped++;
        }
    }
    *out = fl;
    *nout = n;
    return COR_OK;
}

/* Puts each flow in a unit: the bundle with the same two ends (either way round), or a new one.
 * A unit's bend is its first given one (flipped for a flow running the other way). */
static void group_units(flow_t *fl, size_t nf, unit_t *un, size_t *nu)
{
    *nu = 0;
    for (size_t i = 0; i < nf; i++) {
        flow_t *f = &fl[i];
        pt_t a = f->pts.p[0], b = f->pts.p[f->pts.n - 1];
        bool via = f->pts.n > 2;
        size_t u = *nu;
        for (size_t j = 0; !via && j < *nu; j++) {
            if (un[j].via)
                continue;
            bool same = dist(un[j].a, a) < SAME_PLACE && dist(un[j].b, b) < SAME_PLACE;
            bool back = dist(un[j].a, b) < SAME_PLACE && dist(un[j].b, a) < SAME_PLACE;
            if (same || back) {
                u = j;
                f->reversed = back;
                break;
            }
        }
        if (u == *nu)
            un[(*nu)++] = (unit_t){.a = a, .b = b, .via = via, .fixed = via, .bend = FLOW_BEND};
        f->unit = u;
        un[u].n++;
        if (!un[u].fixed && isfinite(f->ov->bend)) {
            un[u].bend = f->reversed ? -f->ov->bend : f->ov->bend;
            un[u].fixed = true;
        }
    }
}

static double taper(double x)
{
    return x >= 1.0 ? 1.0 : x <= 0.0 ? 0.0 : sin(x * M_PI / 2);
}

/* Returns: whether the flow's head is at its unit's end `e` (0: a, 1: b). */
static bool head_at(const flow_t *f, int e)
{
    return (e == 1) != f->reversed;
}

/* Lays a unit's strands side by side in declaration order, the first one uppermost on the page
 * (leftmost for a vertical unit); a bundle's end where heads arrive gets a shared head. */
static void unit_lay(unit_t *u, size_t ui, flow_t *fl, size_t nf)
{
    pt_t d = unit(u->b.x - u->a.x, u->b.y - u->a.y), nr = {-d.y, d.x};
    double down = (nr.y > 1e-9 || (fabs(nr.y) <= 1e-9 && nr.x > 0)) ? 1.0 : -1.0;
    double pos;
    u->width = -BUNDLE_GAP;
    for (size_t i = 0; i < nf; i++) {
        if (fl[i].unit != ui)
            continue;
        u->width += fl[i].w + BUNDLE_GAP;
        u->split[0] = u->split[0] || head_at(&fl[i], 0);
        u->split[1] = u->split[1] || head_at(&fl[i], 1);
    }
    u->split[0] = u->split[0] && u->n > 1;
    u->split[1] = u->split[1] && u->n > 1;
    pos = -u->width / 2;
    for (size_t i = 0; i < nf; i++) {
        if (fl[i].unit != ui)
            continue;
        fl[i].offset = down * (pos + fl[i].w / 2);
        pos += fl[i].w + BUNDLE_GAP;
    }
}

/* At an end where strands gather: the length over which they do, such that strands i and j,
 * (w_i + w_j) / 2 + BUNDLE_GAP apart in the bundle, are still (w_i + w_j) / 2 + CLEAR_AA apart
 * CLEAR_AT beyond the end clearance. The unit's flows come in declaration order, which is
 * their order across it. */
static double gather_length(const unit_t *u, size_t ui, const flow_t *fl, size_t nf, int e)
{
    double t = INFINITY, prev = -1.0;
    for (size_t i = 0; i < nf; i++) {
        if (fl[i].unit != ui)
            continue;
        if (prev >= 0.0) {
            double half = (prev + fl[i].w) / 2;
            double x = 2 / M_PI * asin(fmin((half + CLEAR_AA) / (half + BUNDLE_GAP), 1.0));
            t = fmin(t, (u->r[e] + CLEAR_AT) / x);
        }
        prev = fl[i].w;
    }
    return isfinite(t) ? t : 1.0;
}

/* Lays out a unit's strands and both its ends, and how widely it leaves a. */
static void unit_shape(unit_t *u, size_t ui, flow_t *fl, size_t nf)
{
    double outer = 0.0;
    unit_lay(u, ui, fl, nf);
    for (int e = 0; e < 2; e++)
        u->taper[e] = gather_length(u, ui, fl, nf, e);
    for (size_t i = 0; i < nf; i++)
        outer = fmax(outer, fl[i].unit == ui ? fabs(fl[i].offset) : 0.0);
    if (!u->split[0])
        outer *= taper(FAN_AT / u->taper[0]);
    u->spread = atan(outer / FAN_AT);
}

/* The direction a flow through via places leaves its origin: the curve's end tangent, as
 * via_curve() builds it. */
static pt_t via_start(const pl_t *q)
{
    pt_t m1 = unit(q->p[2].x - q->p[0].x, q->p[2].y - q->p[0].y);
    pt_t u = unit(q->p[1].x - q->p[0].x, q->p[1].y - q->p[0].y);
    return unit(2 * u.x - m1.x, 2 * u.y - m1.y);
}

static bool via_curve(const pl_t *q, pl_t *out);

/* Returns: the direction (radians) from the first point of l to its first point FAN_AT away
 * (to its last point when none is). */
static double leave_angle(const pl_t *l)
{
    pt_t a = l->p[0], q = l->p[l->n - 1];
    for (size_t i = 1; i < l->n; i++)
        if (dist(l->p[i], a) >= FAN_AT) {
            q = l->p[i];
            break;
        }
    return atan2(q.y - a.y, q.x - a.x);
}

/* Returns: the direction in which an arc from a to b with `bend` leaves a, as leave_angle(). */
static double arc_leave(pt_t a, pt_t b, double bend)
{
    double len = dist(a, b);
    pt_t d = unit(b.x - a.x, b.y - a.y);
    pt_t c = {(a.x + b.x) / 2 - d.y * 2 * bend * len, (a.y + b.y) / 2 + d.x * 2 * bend * len};
    for (int i = 1; i <= 1000; i++) {
        double t = i / 1000.0, u = 1 - t;
        pt_t q = {u * u * a.x + 2 * u * t * c.x + t * t * b.x,
                  u * u * a.y + 2 * u * t * c.y + t * t * b.y};
        if (dist(q, a) >= FAN_AT)
            return atan2(q.y - a.y, q.x - a.x);
    }
    return atan2(b.y - a.y, b.x - a.x);
}

/* Returns: the bend (within FAN_BEND) with which an arc from a to b leaves a at angle theta;
 * the angle grows with the bend. */
static double arc_bend_for(pt_t a, pt_t b, double theta)
{
    double chord = atan2(b.y - a.y, b.x - a.x), lo = -FAN_BEND, hi = FAN_BEND;
    double want = wrap_pi(theta - chord);
    for (int i = 0; i < 40; i++) {
        double mid = (lo + hi) / 2;
        if (wrap_pi(arc_leave(a, b, mid) - chord) < want)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

/* The direction a unit leaves its origin in, FAN_AT along it. Returns: false on exhaustion. */
static bool unit_angle(const unit_t *u, const flow_t *first, double *theta)
{
    if (!u->via) {
        *theta = arc_leave(u->a, u->b, u->bend);
        return true;
    }
    pl_t l = {0};
    bool ok = via_curve(&first->pts, &l);
    if (ok)
        *theta = leave_angle(&l);
    pl_free(&l);
    return ok;
}

/* Pushes apart, in angle, units leaving the same place less than FAN_MIN apart (between
 * their outermost strands), measured FAN_AT from the place; only units that are not fixed
 * move, within the bends they may take. `g` lists the m units of one origin. */
static void fan_group(unit_t *un, size_t *g, size_t m)
{
    for (int it = 0; it < 64; it++) {
        for (size_t i = 1; i < m; i++) /* sort by angle, insertion */
            for (size_t j = i; j > 0 && un[g[j]].theta < un[g[j - 1]].theta; j--) {
                size_t t = g[j];
                g[j] = g[j - 1];
                g[j - 1] = t;
            }
        bool moved = false;
        for (size_t k = 0; k < m; k++) {
            unit_t *a = &un[g[k]], *b = &un[g[(k + 1) % m]];
            double gap = b->theta - a->theta + (k + 1 == m ? 2 * M_PI : 0.0);
            double need = FAN_MIN + a->spread + b->spread, d = need - gap;
            if (d <= 1e-6 || (a->fixed && b->fixed))
                continue;
            double da = a->fixed ? 0.0 : b->fixed ? d : d / 2;
            a->theta -= da;
            b->theta += d - da;
            moved = true;
        }
        for (size_t k = 0; k < m; k++) { /* keep every arc within the bends it may take */
            unit_t *u = &un[g[k]];
            if (u->fixed)
                continue;
            double chord = atan2(u->b.y - u->a.y, u->b.x - u->a.x);
            double lo = wrap_pi(arc_leave(u->a, u->b, -FAN_BEND) - chord);
            double hi = wrap_pi(arc_leave(u->a, u->b, FAN_BEND) - chord);
            u->theta = wrap_pi(chord + fmin(fmax(wrap_pi(u->theta - chord), lo), hi));
        }
        if (!moved)
            break;
    }
}

/* Fans out the units leaving each place, then turns their new directions into bends. */
static cor_status_t fan_out(unit_t *un, size_t nu, const flow_t *fl, size_t nf)
{
    size_t *g = cor__calloc(nu, sizeof *g);
    bool *done = cor__calloc(nu, sizeof *done);
    if (!g || !done) {
        free(g);
        free(done);
        return COR_ERR_NOMEM;
    }
    bool ok = true;
    for (size_t i = 0; ok && i < nf; i++) { /* each unit's direction, from its first flow */
        if (!done[fl[i].unit])
            ok = unit_angle(&un[fl[i].unit], &fl[i], &un[fl[i].unit].theta);
        un[fl[i].unit].theta = wrap_pi(un[fl[i].unit].theta);
        done[fl[i].unit] = true;
    }
    memset(done, 0, nu * sizeof *done);
    for (size_t i = 0; i < nu; i++) {
        size_t m = 0;
        for (size_t j = i; j < nu; j++) /* the units leaving the place unit i leaves */
            if (!done[j] && dist(un[j].a, un[i].a) < SAME_PLACE)
                g[m++] = j;
        for (size_t k = 0; k < m; k++)
            done[g[k]] = true;
        if (m < 2)
            continue;
        fan_group(un, g, m);
        for (size_t k = 0; k < m; k++)
            if (!un[g[k]].fixed)
                un[g[k]].bend = arc_bend_for(un[g[k]].a, un[g[k]].b, un[g[k]].theta);
    }
    free(g);
    free(done);
    return ok ? COR_OK : COR_ERR_NOMEM;
}

/* A smooth curve through the points of q: cubic pieces whose tangents at inner points run
 * parallel to the chord between their neighbours, with handles a third of each piece's chord,
 * and whose end tangents mirror the next ones (a natural end). It passes through every point. */
static bool via_curve(const pl_t *q, pl_t *out)
{
    size_t n = q->n;
    pt_t *m = cor__calloc(n, sizeof *m);
    bool ok = m && pl_push(out, q->p[0].x, q->p[0].y);
    for (size_t i = 1; ok && i + 1 < n; i++)
        m[i] = unit(q->p[i + 1].x - q->p[i - 1].x, q->p[i + 1].y - q->p[i - 1].y);
    if (ok) {
        m[0] = via_start(q);
        pt_t u = unit(q->p[n - 1].x - q->p[n - 2].x, q->p[n - 1].y - q->p[n - 2].y);
        m[n - 1] = unit(2 * u.x - m[n - 2].x, 2 * u.y - m[n - 2].y);
    }
    for (size_t i = 0; ok && i + 1 < n; i++) {
        pt_t a = q->p[i], b = q->p[i + 1];
        double d = dist(a, b) / 3;
        if (d > 0.0)
            ok = pl_cubic(out, a, (pt_t){a.x + m[i].x * d, a.y + m[i].y * d},
                          (pt_t){b.x - m[i + 1].x * d, b.y - m[i + 1].y * d}, b);
    }
    free(m);
    return ok;
}

/* The unit's base curve: the via curve, or an arc (a quadratic Bezier whose middle lies
 * bend x chord to the right of the chord's middle). */
static bool unit_base(unit_t *u, const flow_t *first)
{
    if (u->via)
        return via_curve(&first->pts, &u->base);
    pt_t a = u->a, b = u->b;
    double len = dist(a, b);
    pt_t d = unit(b.x - a.x, b.y - a.y);
    pt_t c = {(a.x + b.x) / 2 - d.y * 2 * u->bend * len, (a.y + b.y) / 2 + d.x * 2 * u->bend * len};
    return pl_push(&u->base, a.x, a.y) &&
           pl_cubic(&u->base, a, (pt_t){a.x + 2.0 / 3 * (c.x - a.x), a.y + 2.0 / 3 * (c.y - a.y)},
                    (pt_t){b.x + 2.0 / 3 * (c.x - b.x), b.y + 2.0 / 3 * (c.y - b.y)}, b);
}

/* A strand's offset at distance d along the base from end e: gathering in, or its place in the
 * bundle all the way to a shared head. */
static double end_offset(const unit_t *u, const flow_t *f, int e, double d)
{
    return u->split[e] ? f->offset : f->offset * taper(d / u->taper[e]);
}

/* The flow's strand: its unit's base offset as end_offset() says at both ends, in the flow's
 * own direction. */
static bool strand(const unit_t *u, const flow_t *f, pl_t *out)
{
    const pl_t *b = &u->base;
    double total = pl_length(b), s = 0.0;
    for (size_t k = 0; k < b->n; k++) {
        if (k > 0)
            s += dist(b->p[k - 1], b->p[k]);
        size_t k0 = k ? k - 1 : 0, k1 = k + 1 < b->n ? k + 1 : k;
        pt_t t = unit(b->p[k1].x - b->p[k0].x, b->p[k1].y - b->p[k0].y);
        double o = end_offset(u, f, 0, s) + end_offset(u, f, 1, total - s) - f->offset;
        if (!pl_push(out, b->p[k].x - t.y * o, b->p[k].y + t.x * o))
            return false;
    }
    if (f->reversed)
        pl_reverse(out);
    return true;
}

/* A bundle's shared head at end e: the tip where the base meets the end's clearance, the
 * middle of the back edge a head's length before it, and the neck, where the strands end and
 * flare out to their slices of the back edge; with the base's right-hand normals there. */
typedef struct shared {
    pt_t tip, back, nr, neck, nr_neck;
    double half, len;
    double sneck; /* the neck's arc length along the base */
} shared_t;

static void shared_head(const unit_t *u, int e, shared_t *h)
{
    const pl_t *b = &u->base;
    h->half = u->width / 2 + fmax(1.5, SHARED_BARB * u->width);
    h->len = fmax(HEAD_MIN_LEN, fmin(SHARED_LEN * h->half, SHARED_MAX * pl_length(b)));
    double tip = pl_clear(b, u->r[e], e == 1), dir = e == 1 ? -1.0 : 1.0;
    double sback = tip + dir * h->len, neck = SHARED_NECK * h->len;
    h->sneck = sback + dir * neck;
    pt_t t;
    h->tip = pl_at(b, tip, NULL);
    h->back = pl_at(b, sback, &t);
    h->nr = (pt_t){-t.y, t.x};
    h->neck = pl_at(b, h->sneck, &t);
    h->nr_neck = (pt_t){-t.y, t.x};
}

/* The whole shared head, for its outline: from the outer strands' edges at the neck out to
 * the barbs and the tip (5 corners). */
static void shared_outline(const unit_t *u, const shared_t *h, double q[10])
{
    const pt_t p[5] = {
        {h->neck.x - h->nr_neck.x * u->width / 2, h->neck.y - h->nr_neck.y * u->width / 2},
        {h->back.x - h->nr.x * h->half, h->back.y - h->nr.y * h->half},
        h->tip,
        {h->back.x + h->nr.x * h->half, h->back.y + h->nr.y * h->half},
        {h->neck.x + h->nr_neck.x * u->width / 2, h->neck.y + h->nr_neck.y * u->width / 2}};
    for (int i = 0; i < 5; i++)
        q[2 * i] = p[i].x, q[2 * i + 1] = p[i].y;
}

/* A flow's slice of a shared head (5 corners): its strand's span across the bundle at the neck,
 * flaring to its share of the back edge (the bundle's partition scaled to the head's width),
 * narrowing to the tip. Neighbouring slices share no point but the tip. */
static void shared_slice(const unit_t *u, const shared_t *h, const flow_t *f, double q[10])
{
    double k = h->half / (u->width / 2), lo = f->offset - f->w / 2, hi = f->offset + f->w / 2;
    const pt_t p[5] = {{h->neck.x + h->nr_neck.x * lo, h->neck.y + h->nr_neck.y * lo},
                       {h->back.x + h->nr.x * lo * k, h->back.y + h->nr.y * lo * k},
                       h->tip,
                       {h->back.x + h->nr.x * hi * k, h->back.y + h->nr.y * hi * k},
                       {h->neck.x + h->nr_neck.x * hi, h->neck.y + h->nr_neck.y * hi}};
    for (int i = 0; i < 5; i++)
        q[2 * i] = p[i].x, q[2 * i + 1] = p[i].y;
}

/* Returns: the arc length along `s` (a strand, sample for sample like the base b) of the point
 * that lies at arc length x along b. */
static double strand_length_at(const pl_t *b, const pl_t *s, double x)
{
    double sb = 0.0, ss = 0.0;
    for (size_t k = 1; k < b->n && k < s->n; k++) {
        double db = dist(b->p[k - 1], b->p[k]), ds = dist(s->p[k - 1], s->p[k]);
        if (sb + db >= x && db > 0.0)
            return ss + ds * (x - sb) / db;
        sb += db;
        ss += ds;
    }
    return ss;
}

/* What a flow draws: its line, and its head or slice of a shared head. */
typedef struct piece {
    pl_t body;
    int head; /* corners: 0 for none, 3 for a swept head, 5 for a slice of a shared head */
    double h[10];
} piece_t;

/* Builds a flow's piece: its strand trimmed at each end to the place's clearance (to the back
 * of a shared head, where there is one), and its head. Returns: false on exhaustion. */
static bool flow_piece(const unit_t *u, const flow_t *f, const shared_t sh[2], piece_t *pc)
{
    pl_t s = {0};
    double hw, len, back, t[2];
    bool ok = strand(u, f, &s), rev = f->reversed; /* s runs in the flow's direction */
    pc->head = 0;
    if (!ok || s.n < 2) {
        pl_free(&s);
        return ok;
    }
    if (rev)
        pl_reverse(&s); /* the unit's direction, sample for sample like the base */
    for (int e = 0; e < 2; e++) {
        if (u->split[e])
            t[e] =
                strand_length_at(&u->base, &s, sh[e].sneck + (e ? SLICE_OVERLAP : -SLICE_OVERLAP));
        else
            t[e] = pl_clear(&s, u->r[e], e == 1);
    }
    int he = rev ? 0 : 1; /* the end the head is at */
    head_size(f->w, &hw, &len);
    if (u->split[he]) {
        shared_slice(u, &sh[he], f, pc->h);
        pc->head = 5;
    } else if (t[1] - t[0] > len + 1.0) {
        double tip = t[he], from = he ? tip - len : tip + len;
        pt_t a = pl_at(&s, tip, NULL), b = pl_at(&s, from, NULL);
        cor__arrowhead(a.x, a.y, a.x - b.x, a.y - b.y, f->w, pc->h, &back);
        cor__look_t lk = f->ov->look;
        lk.width = f->w;
        t[he] += he ? -head_stop(&lk, back) : head_stop(&lk, back);
        pc->head = 3;
    }
    ok = t[1] <= t[0] || pl_slice(&s, t[0], t[1], &pc->body);
    pl_free(&s);
    return ok;
}

/* Draws a unit: every casing (the shared heads' outlines among them) under every line and
 * head, so strands side by side do not cut into each other. */
static void draw_unit(pass_t *p, const unit_t *u, size_t ui, const flow_t *fl, size_t nf,
                      const piece_t *pc, const shared_t sh[2])
{
    for (int pass = 0; pass < 2; pass++) {
        bool casing = pass == 0;
        for (size_t i = 0; i < nf; i++) {
            if (fl[i].unit != ui)
                continue;
            cor__look_t lk = fl[i].ov->look;
            lk.width = fl[i].w;
            stroke_pl(p->cr, &pc[i].body, &lk, casing);
            if (pc[i].head)
                paint_head(p->cr, pc[i].h, pc[i].head, pc[i].head == 3, &lk, casing);
        }
        for (int e = 0; casing && e < 2; e++) {
            double q[10];
            const flow_t *first = NULL;
            for (size_t i = 0; !first && i < nf; i++)
                first = fl[i].unit == ui ? &fl[i] : NULL;
            if (!u->split[e] || !first)
                continue;
            shared_outline(u, &sh[e], q);
            paint_head(p->cr, q, 5, false, &first->ov->look, true);
        }
    }
}

/* The unit's lines and heads as obstacles to labels (lines free near their places). */
static void unit_obstacles(pass_t *p, size_t ui, const flow_t *fl, size_t nf, const piece_t *pc)
{
    for (size_t i = 0; p->lb && i < nf; i++) {
        if (fl[i].unit != ui)
            continue;
        double ch = casing_half(&fl[i].ov->look);
        pt_t ends[2] = {fl[i].pts.p[0], fl[i].pts.p[fl[i].pts.n - 1]};
        obstacles_along(p->lb, &pc[i].body, fl[i].w / 2 + ch, ends, 2);
        if (pc[i].head)
            obstacle_pts(p->lb, pc[i].h, (size_t)pc[i].head, ch);
    }
}

/* The label of a unit with one labelled flow: anchors at several places along the curve, the
 * middle first, on the side it bulges to and then on the other, for the labeler to try in turn. */
static cor_status_t lone_flow_label(pass_t *p, const unit_t *u, const flow_t *fl, size_t nf,
                                    size_t ui, double side, double edge, double width,
                                    double height)
{
    static const double at[] = {0.5, 0.6, 0.4, 0.7, 0.3, 0.8};
    double xs[2 * COR__ARRAY_LEN(at)], ys[2 * COR__ARRAY_LEN(at)], len = pl_length(&u->base);
    size_t n = 0, i = 0;
    while (i < nf && (fl[i].unit != ui || !fl[i].ov->label))
        i++;
    if (i == nf)
        return COR_OK;
    for (size_t k = 0; k < COR__ARRAY_LEN(at); k++) {
        for (int s = 0; s < 2; s++) { /* the side it bulges to, then the other */
            double sd = s ? -side : side;
            pt_t t, m = pl_at(&u->base, len * at[k], &t), nrm = {-t.y * sd, t.x * sd};
            double d = edge + LABEL_GAP + fabs(nrm.x) * width / 2 + fabs(nrm.y) * height / 2;
            xs[n] = m.x + nrm.x * d, ys[n++] = m.y + nrm.y * d;
        }
    }
    char *text = NULL;
    cor_status_t st = label_text(fl[i].ov, &text, p->err);
    if (st != COR_OK || !text)
        return st;
    cor__text_style_t ts = label_style(fl[i].ov, fl[i].ov->look.stroke);
    st = cor__labeler_add_area_at(p->lb, text, xs, ys, n, &ts, fl[i].ov->priority, p->err);
    free(text);
    return st;
}

/* A unit's labels: horizontal, stacked in declaration order (the order of the strands from the
 * top of the page), in a column beside the middle of the unit on the side it bulges to. */
static cor_status_t unit_labels(pass_t *p, const unit_t *u, size_t ui, const flow_t *fl, size_t nf)
{
    pt_t t, mid = pl_at(&u->base, pl_length(&u->base) / 2, &t), nr = {-t.y, t.x};
    pt_t chord = {(u->a.x + u->b.x) / 2, (u->a.y + u->b.y) / 2};
    double side = (mid.x - chord.x) * nr.x + (mid.y - chord.y) * nr.y < -1e-6 ? -1.0 : 1.0;
    pt_t n = {side * nr.x, side * nr.y};
    double edge = 0.0, width = 0.0, height = -ROW_GAP;
    size_t labelled = 0;
    cor_status_t st = COR_OK;
    for (size_t i = 0; i < nf; i++) {
        if (fl[i].unit != ui)
            continue;
        edge = fmax(edge, fl[i].offset * side + fl[i].w / 2 + casing_half(&fl[i].ov->look));
        char *text = NULL;
        if ((st = label_text(fl[i].ov, &text, p->err)) != COR_OK)
            return st;
        if (text) {
            labelled++;
            cor__text_style_t ts = label_style(fl[i].ov, fl[i].ov->look.stroke);
            double tw, th;
            cor__text_measure(text, &ts, &tw, &th);
            width = fmax(width, tw);
            height += th + ROW_GAP;
        }
        free(text);
    }
    if (!(height > 0.0))
        return COR_OK;
    if (labelled == 1) /* a lone label may slide along its flow and change sides */
        return lone_flow_label(p, u, fl, nf, ui, side, edge, width, height);
    double d = edge + LABEL_GAP + fabs(n.x) * width / 2 + fabs(n.y) * height / 2;
    double cx = mid.x + n.x * d, y = mid.y + n.y * d - height / 2;
    for (size_t i = 0; st == COR_OK && i < nf; i++) {
        char *text = NULL;
        if (fl[i].unit != ui || (st = label_text(fl[i].ov, &text, p->err)) != COR_OK || !text)
            continue;
        cor__text_style_t ts = label_style(fl[i].ov, fl[i].ov->look.stroke);
        double tw, th;
        cor__text_measure(text, &ts, &tw, &th);
        st = cor__labeler_add_area(p->lb, text, cx, y + th / 2, &ts, fl[i].ov->priority, p->err);
        y += th + ROW_GAP;
        free(text);
    }
    return st;
}

/* Builds and draws every unit's strands. Returns: COR_OK; COR_ERR_NOMEM. */
static cor_status_t draw_units(pass_t *p, const unit_t *un, size_t nu, const flow_t *fl, size_t nf)
{
    piece_t *pc = cor__calloc(nf, sizeof *pc);
    cor_status_t st = pc ? COR_OK : nomem(p->err);
    for (size_t ui = 0; st == COR_OK && ui < nu; ui++) {
        shared_t sh[2];
        for (int e = 0; e < 2; e++)
            if (un[ui].split[e])
                shared_head(&un[ui], e, &sh[e]);
        for (size_t i = 0; st == COR_OK && i < nf; i++)
            if (fl[i].unit == ui && !flow_piece(&un[ui], &fl[i], sh, &pc[i]))
                st = nomem(p->err);
        if (st == COR_OK) {
            draw_unit(p, &un[ui], ui, fl, nf, pc, sh);
            unit_obstacles(p, ui, fl, nf, pc);
        }
    }
    for (size_t i = 0; pc && i < nf; i++)
        pl_free(&pc[i].body);
    free(pc);
    return st;
}

static cor_status_t draw_flows(pass_t *p)
{
    flow_t *fl = NULL;
    unit_t *un = NULL;
    size_t nf = 0, nu = 0;
    cor_status_t st = collect_flows(p, &fl, &nf);
    if (st != COR_OK || nf == 0)
        goto done;
    if (!(un = cor__calloc(nf, sizeof *un))) {
        st = nomem(p->err);
        goto done;
    }
    group_units(fl, nf, un, &nu);
    for (size_t i = 0; i < nu; i++) {
        un[i].r[0] = end_clear(p, un[i].a);
        un[i].r[1] = end_clear(p, un[i].b);
        unit_shape(&un[i], i, fl, nf);
    }
    if (fan_out(un, nu, fl, nf) != COR_OK) {
        st = nomem(p->err);
        goto done;
    }
    for (size_t i = 0; st == COR_OK && i < nf; i++) { /* the bases, from each unit's first flow */
        unit_t *u = &un[fl[i].unit];
        if (u->base.n == 0 && !unit_base(u, &fl[i]))
            st = nomem(p->err);
    }
    if (st == COR_OK)
        st = draw_units(p, un, nu, fl, nf);
    for (size_t i = 0; st == COR_OK && p->lb && i < nu; i++)
        st = unit_labels(p, &un[i], i, fl, nf);
done:
    flows_free(fl, nf, un, nu);
    return st;
}

/* ---- markers, areas, callouts ---- */

static cor_color_t main_color(const cor__look_t *lk)
{
    return lk->fill_on ? lk->fill : lk->stroke;
}

/* The symbol at every place (the first one labelled); each symbol's box is an obstacle. */
static cor_status_t draw_marker(pass_t *p, const cor__overlay_t *ov)
{
    const cor__look_t *lk = &ov->look;
    double r =
        lk->marker != COR__MARKER_NONE && isfinite(lk->size) && lk->size > 0.0 ? lk->size / 2 : 0.0;
    pt_t q;
    for (size_t k = 0; k < ov->nplaces; k++) {
        if (!project(p, &ov->places[k], &q)) {
            p->skipped++;
            return COR_OK;
        }
    }
    if (ov->nplaces == 0) {
        p->skipped++;
        return COR_OK;
    }
    char *text = NULL;
    cor_status_t st = p->lb ? label_text(ov, &text, p->err) : COR_OK;
    for (size_t k = 0; st == COR_OK && k < ov->nplaces; k++) {
        project(p, &ov->places[k], &q);
        if (r > 0.0)
            cor__paint_marker(p->cr, lk->marker, q.x, q.y, lk->size, lk);
        if (k == 0 && text) {
            cor__text_style_t ts = label_style(ov, main_color(lk));
            st = cor__labeler_add_point(p->lb, text, q.x, q.y, r, &ts, ov->priority, p->err);
        } else if (p->lb && r > 0.0) {
            cor__labeler_obstacle(p->lb, (cor_bbox_t){q.x - r, q.y - r, q.x + r, q.y + r});
        }
    }
    free(text);
    return st;
}

/* Returns: the area centroid of a ring (its mean point when degenerate). */
static pt_t ring_centroid(const pl_t *l)
{
    double a = 0.0, cx = 0.0, cy = 0.0, mx = 0.0, my = 0.0;
    for (size_t i = 0; i < l->n; i++) {
        pt_t p = l->p[i], q = l->p[(i + 1) % l->n];
        double c = p.x * q.y - q.x * p.y;
        a += c;
        cx += (p.x + q.x) * c;
        cy += (p.y + q.y) * c;
        mx += p.x / l->n;
        my += p.y / l->n;
    }
    if (fabs(a) < 1e-9)
        return (pt_t){mx, my};
    return (pt_t){cx / (3 * a), cy / (3 * a)};
}

/* The polygon through the places, densified and projected: filled (or hatched), cased and
 * outlined with the look; its label at its centroid. */
static cor_status_t draw_area(pass_t *p, const cor__overlay_t *ov)
{
    pl_t l = {0};
    cor__geom_t g;
    cor_status_t st = project_path(p, ov, true, &l);
    if (st == COR_ERR_CRS || (st == COR_OK && l.n < 4)) {
        p->skipped++;
        pl_free(&l);
        return COR_OK;
    }
    if (st != COR_OK || !pl_geom(&l, COR__GEOM_POLYGON, &g)) {
        pl_free(&l);
        return nomem(p->err);
    }
    cor__look_t lk = ov->look;
    lk.hatch = lk.hatch || ov->hatch;
    cor__paint_fill(p->cr, &g, &lk);
    cor__paint_stroke(p->cr, &g, &lk, true);
    cor__paint_stroke(p->cr, &g, &lk, false);
    cor__geom_free(&g);
    char *text = NULL;
    st = p->lb ? label_text(ov, &text, p->err) : COR_OK;
    if (text) {
        pt_t c = ring_centroid(&l);
        cor__text_style_t ts = label_style(ov, main_color(&lk));
        st = cor__labeler_add_area(p->lb, text, c.x, c.y, &ts, ov->priority, p->err);
    }
    free(text);
    pl_free(&l);
    return st;
}

/* Moves a box centre c so a box of half-size (hw, hh) stays inside the drawable area (the clip
 * the map sets to its page), when it fits at all: a callout offset meant for one page size
 * must not fall off a smaller one. */
static void keep_on_page(cairo_t *cr, double hw, double hh, pt_t *c)
{
    double x0, y0, x1, y1;
    cairo_clip_extents(cr, &x0, &y0, &x1, &y1);
    if (x1 - x0 >= 2 * hw)
        c->x = fmin(fmax(c->x, x0 + hw), x1 - hw);
    if (y1 - y0 >= 2 * hh)
        c->y = fmin(fmax(c->y, y0 + hh), y1 - hh);
}

/* A callout: its text in a box centred (dx, dy) pt from the place (14 pt up and right when
 * both are 0), a leader from a small dot at the place to the nearest point of the box. */
static cor_status_t draw_callout(pass_t *p, const cor__overlay_t *ov)
{
    pt_t q;
    if (ov->nplaces == 0 || !project(p, &ov->places[0], &q)) {
        p->skipped++;
        return COR_OK;
    }
    char *text = NULL;
    cor_status_t st = label_text(ov, &text, p->err);
    if (st != COR_OK || !text)
        return st;
    const cor__look_t *lk = &ov->look;
    cor__text_style_t ts = {.size = setting(ov->label_size, CALLOUT_SIZE), .weight = 400};
    ts.color = ov->label_color.a > 0.0 ? ov->label_color : (cor_color_t){0.13, 0.13, 0.13, 1};
    double tw, th, dx = ov->dx, dy = ov->dy;
    cor__text_measure(text, &ts, &tw, &th);
    if (!isfinite(dx) || !isfinite(dy) || (dx == 0.0 && dy == 0.0))
        dx = CALLOUT_AT, dy = -CALLOUT_AT;
    pt_t c = {q.x + dx, q.y + dy};
    keep_on_page(p->cr, tw / 2 + CALLOUT_PAD + 2, th / 2 + CALLOUT_PAD + 2, &c);
    cor_bbox_t box = {c.x - tw / 2 - CALLOUT_PAD, c.y - th / 2 - CALLOUT_PAD,
                      c.x + tw / 2 + CALLOUT_PAD, c.y + th / 2 + CALLOUT_PAD};
    cor_color_t line = lk->stroke_on ? lk->stroke : (cor_color_t){0.27, 0.27, 0.27, 1};
    cor_color_t fill = lk->fill_on ? lk->fill : (cor_color_t){1, 1, 1, 0.88};
    double lw = lk->stroke_on && lk->width > 0.0 ? fmin(lk->width, 1.5) : 0.5;
    pt_t e = {fmin(fmax(q.x, box.minx), box.maxx), fmin(fmax(q.y, box.miny), box.maxy)};
    cairo_t *cr = p->cr;
    cairo_save(cr);
    cairo_new_path(cr);
    cor__paint_set_color(cr, line, lk->opacity);
    if (dist(q, e) > 0.0) {
        cairo_set_line_width(cr, fmax(lw, 0.6));
        cairo_move_to(cr, q.x, q.y);
        cairo_line_to(cr, e.x, e.y);
        cairo_stroke(cr);
    }
    cairo_arc(cr, q.x, q.y, 1.1, 0, 2 * M_PI);
    cairo_fill(cr);
    cairo_rectangle(cr, box.minx, box.miny, box.maxx - box.minx, box.maxy - box.miny);
    cor__paint_set_color(cr, fill, lk->opacity);
    cairo_fill_preserve(cr);
    cairo_set_line_width(cr, lw);
    cor__paint_set_color(cr, line, lk->opacity);
    cairo_stroke(cr);
    cairo_restore(cr);
    if (p->lb)
        cor__labeler_obstacle(p->lb, (cor_bbox_t){box.minx - lw / 2, box.miny - lw / 2,
                                                  box.maxx + lw / 2, box.maxy + lw / 2});
    st = cor__text_draw(p->to, text, &ts, c.x, c.y - th / 2, COR__ANCHOR_CENTER, p->err);
    free(text);
    return st;
}

/* ---- drawing everything ---- */

static cor_status_t draw_kind(pass_t *p, cor__ov_kind_t kind)
{
    cor_status_t st = COR_OK;
    for (size_t i = 0; st == COR_OK && i < p->o->n; i++) {
        const cor__overlay_t *ov = &p->o->items[i];
        if (ov->kind != kind || !drawn(p->o, i))
            continue;
        switch (kind) {
        case COR__OV_ROUTE:
            st = draw_route(p, ov);
            break;
        case COR__OV_MARKER:
            st = draw_marker(p, ov);
            break;
        case COR__OV_AREA:
            st = draw_area(p, ov);
            break;
        case COR__OV_CALLOUT:
            st = draw_callout(p, ov);
            break;
        case COR__OV_FLOW: /* all together: they bundle and fan out */
            break;
        }
    }
    return st;
}

/* Projects the places of every visible overlay but areas into p->spots. */
static cor_status_t collect_spots(pass_t *p)
{
    size_t cap = 0;
    for (size_t i = 0; i < p->o->n; i++) {
        const cor__overlay_t *ov = &p->o->items[i];
        if (ov->kind == COR__OV_AREA || !cor__overlay_visible(p->o, ov))
            continue;
        for (size_t k = 0; k < ov->nplaces; k++) {
            pt_t q;
            if (!project(p, &ov->places[k], &q))
                continue;
            if (!cor__grow((void **)&p->spots, &cap, p->nspots + 1, sizeof *p->spots))
                return nomem(p->err);
            p->spots[p->nspots++] = (spot_t){q.x, q.y, ov};
        }
    }
    return COR_OK;
}

cor_status_t cor__overlays_draw_to(const cor__overlays_t *o, cor__textout_t *to,
                                   cor__to_page_fn to_page, void *ctx, cor__labeler_t *lb,
                                   size_t *skipped, cor_error_t *err)
{
    if (skipped)
        *skipped = 0;
    if (!o || o->n == 0)
        return COR_OK;
    if (!to || !to->cr || !to_page)
        return cor__fail(err, COR_ERR_USAGE, "overlays need a cairo context and a projection");
    pass_t p = {o, to, to->cr, to_page, ctx, lb, 0, err, NULL, 0};
    cor_status_t st = collect_spots(&p);
    if (st == COR_OK)
        st = draw_kind(&p, COR__OV_AREA);
    if (st == COR_OK)
        st = draw_kind(&p, COR__OV_ROUTE);
    if (st == COR_OK)
        st = draw_flows(&p);
    if (st == COR_OK)
        st = draw_kind(&p, COR__OV_MARKER);
    if (st == COR_OK)
        st = draw_kind(&p, COR__OV_CALLOUT);
    free(p.spots);
    if (skipped)
        *skipped = p.skipped;
    if (st == COR_OK && cairo_status(to->cr) != CAIRO_STATUS_SUCCESS)
        return cor__fail(err, COR_ERR_RENDER, "drawing overlays: %s",
                         cairo_status_to_string(cairo_status(to->cr)));
    return st;
}

cor_status_t cor__overlays_draw(const cor__overlays_t *o, cairo_t *cr, cor__to_page_fn to_page,
                                void *ctx, cor__labeler_t *lb, cor_error_t *err)
{
    cor__textout_t to = {cr, NULL};
    return cor__overlays_draw_to(o, &to, to_page, ctx, lb, NULL, err);
}

/* ---- legend keys ---- */

/* Shrinks a head about its tip to at most `half` either side (and its *back with it). */
static void head_fit(double h[6], double *back, double half)
{
    double hw = hypot(h[2] - h[4], h[3] - h[5]) / 2;
    if (!(hw > half) || !(half > 0.0))
        return;
    double k = half / hw;
    for (int i = 1; i < 3; i++) {
        h[2 * i] = h[0] + k * (h[2 * i] - h[0]);
        h[2 * i + 1] = h[1] + k * (h[2 * i + 1] - h[1]);
    }
    *back *= k;
}

/* The key's line from a to b (a curve through c when `curved`), with heads as wanted, all
 * within `room` pt of the line's ends' height. */
static void key_line(cairo_t *cr, const cor__look_t *lk, pt_t a, pt_t c, pt_t b, bool head0,
                     bool head1, double room)
{
    pl_t l = {0}, body = {0};
    double h0[6], h1[6], back0 = 0, back1 = 0, cw = casing_half(lk);
    pt_t c1 = {a.x + 2.0 / 3 * (c.x - a.x), a.y + 2.0 / 3 * (c.y - a.y)};
    pt_t c2 = {b.x + 2.0 / 3 * (c.x - b.x), b.y + 2.0 / 3 * (c.y - b.y)};
    if (!pl_push(&l, a.x, a.y) || !pl_cubic(&l, a, c1, c2, b))
        goto done;
    double total = pl_length(&l), s0 = 0.0, s1 = total;
    if (head1) {
        cor__arrowhead(b.x, b.y, b.x - c2.x, b.y - c2.y, lk->width, h1, &back1);
        head_fit(h1, &back1, room - cw);
        s1 = total - head_stop(lk, back1);
    }
    if (head0) {
        cor__arrowhead(a.x, a.y, a.x - c1.x, a.y - c1.y, lk->width, h0, &back0);
        head_fit(h0, &back0, room - cw);
        s0 = head_stop(lk, back0);
    }
    if (s1 > s0 && pl_slice(&l, s0, s1, &body)) {
        stroke_pl(cr, &body, lk, true);
        stroke_pl(cr, &body, lk, false);
    }
    if (head0)
        draw_head(cr, h0, lk);
    if (head1)
        draw_head(cr, h1, lk);
done:
    pl_free(&l);
    pl_free(&body);
}

/* A route's key: a straight line across the box with its arrows, and its barrier when blocked,
 * thinned to fit the box's height. */
static void key_route(cairo_t *cr, const cor__overlay_t *ov, double x, double y, double w, double h)
{
    cor__look_t lk = ov->look;
    lk.width = fmin(setting(lk.width, 1.0), h * 0.3);
    lk.casing_width = fmin(lk.casing_width, h * 0.15);
    lk = route_look(&lk, ov->blocked);
    double inset = 0.5 + (lk.cap == COR__CAP_BUTT ? 0.0 : lk.width / 2 + casing_half(&lk));
    double cy = y + h / 2;
    pt_t a = {x + inset, cy}, b = {x + w - inset, cy}, c = {(a.x + b.x) / 2, cy};
    bool head0 = ov->arrow == COR__ARROW_START || ov->arrow == COR__ARROW_BOTH;
    bool head1 = ov->arrow == COR__ARROW_END || ov->arrow == COR__ARROW_BOTH;
    a.x = head0 ? x + 0.5 + casing_half(&lk) : a.x;
    b.x = head1 ? x + w - 0.5 - casing_half(&lk) : b.x;
    key_line(cr, &lk, a, c, b, head0, head1, h / 2 - 0.3);
    if (ov->blocked && lk.stroke_on) {
        double half = fmax(BAR_MIN, BAR_LEN * lk.width) / 2 + fmax(BAR_MMIN, BAR_MASK * lk.width);
        draw_barrier(cr, NULL, c, (pt_t){1, 0}, &lk, fmin(1.0, (h / 2 - 0.3) / half));
    }
}

/* A flow's key: a shallow arc rising to the right with its head, at the flow's width (at most
 * a quarter of the box's height). */
static void key_flow(cairo_t *cr, const cor__overlays_t *o, const cor__overlay_t *ov, double x,
                     double y, double w, double h)
{
    cor__look_t lk = ov->look;
    lk.width = fmin(flow_w(o, ov, cor__overlays_max_flow(o)), h * 0.25);
    lk.casing_width = fmin(lk.casing_width, h * 0.1);
    double cw = casing_half(&lk), sag = fmin(0.15 * w, h * 0.2);
    double inset = 0.5 + cw + (lk.cap == COR__CAP_BUTT ? 0.0 : lk.width / 2);
    double ey = y + h / 2 + sag / 2;
    pt_t a = {x + inset, ey}, b = {x + w - 0.5 - cw, ey};
    pt_t c = {(a.x + b.x) / 2, ey - 2 * sag};
    key_line(cr, &lk, a, c, b, false, true, fmin(h / 2 - sag / 2, h / 2 + sag / 2) - 0.3);
}

static void key_area(cairo_t *cr, const cor__overlay_t *ov, double x, double y, double w, double h)
{
    cor__look_t lk = ov->look;
    lk.hatch = lk.hatch || ov->hatch;
    lk.casing_on = false;
    lk.width = fmin(setting(lk.width, 0.0), h * 0.2);
    double in = 0.5 + (lk.stroke_on ? lk.width / 2 : 0.0);
    const double px[4] = {x + in, x + w - in, x + w - in, x + in};
    const double py[4] = {y + in, y + in, y + h - in, y + h - in};
    cor__geom_t g = {.kind = COR__GEOM_POLYGON};
    if (w > 2 * in && h > 2 * in && cor__geom_add_part(&g, px, py, 4)) {
        cor__paint_fill(cr, &g, &lk);
        lk.join = COR__JOIN_MITER;
        cor__paint_stroke(cr, &g, &lk, false);
    }
    cor__geom_free(&g);
}

void cor__overlay_draw_key(cairo_t *cr, const cor__overlays_t *o, const cor__overlay_t *ov,
                           double x, double y, double w, double h)
{
    if (!cr || !ov || !(w > 2.0) || !(h > 2.0) || !isfinite(x + y + w + h))
        return;
    cairo_save(cr);
    cairo_new_path(cr);
    switch (ov->kind) {
    case COR__OV_ROUTE:
        key_route(cr, ov, x, y, w, h);
        break;
    case COR__OV_FLOW:
        key_flow(cr, o, ov, x, y, w, h);
        break;
    case COR__OV_MARKER: {
        double size = fmin(setting(ov->look.size, 0.0), fmin(w, h) - 1.0);
        if (size > 0.0)
            cor__paint_marker(cr, ov->look.marker, x + w / 2, y + h / 2, size, &ov->look);
        break;
    }
    case COR__OV_AREA:
        key_area(cr, ov, x, y, w, h);
        break;
    case COR__OV_CALLOUT:
        break;
    }
    cairo_new_path(cr);
    cairo_restore(cr);
}
