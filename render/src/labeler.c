/* SPDX-License-Identifier: MIT */
/* labeler: greedy placement by priority against the page's placement space (furniture, markers,
 * lines, callouts, placed labels), candidates in cartographic order for points, shifts and two
 * lines for areas, positions stepping out along a line for line labels; placed labels are drawn
 * halos first, then text. It must not lay out or draw glyphs itself (text does, under its lock),
 * nor know about maps, styles or files: anchors arrive in page points. */
#include "labeler.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "text_block.h"
#include "util.h"

#define MARKER_GAP  0.2   /* space between a marker and its label, in em */
#define PAGE_MARGIN 2.0   /* labels keep this far (pt) from the page edge */
#define MAX_TURN    30.0  /* degrees between neighbouring glyphs of a line label */
#define MAX_TILT    100.0 /* degrees from horizontal before a glyph reads upside down */
#define LINE_TRIES  17    /* positions tried along a line */
#define MUST        1.2e9 /* labels of this priority or more may sit over lines when they must */
#define MUST_RINGS  4     /* and farther from their markers */
#define AREA_RINGS  2     /* an area label's shifts at most doubled: it stays in its area */

/* ---- the labeler's state -------------------------------------------------------------------- */

typedef enum kind { KIND_POINT, KIND_AREA, KIND_LINE } kind_t;

typedef struct label {
    kind_t kind;
    char *text; /* as added */
    char *font;
    cor__text_style_t ts; /* ts.font points to `font` */
    double priority;
    double x, y, r; /* the anchor: a point, an area's centre */
    cor__text_block_t block[2];
    int nblocks;             /* area labels have a second, two-line block */
    double *px, *py, offset; /* a line label's polyline and distance above it */
    size_t n;
    cor__text_cluster_t *clusters;
    size_t nclusters;
    bool has_marker; /* a point label's marker box, hidden under furniture or not */
    cor_bbox_t marker;
    size_t mentry;  /* its entry in the space; SIZE_MAX: none (off the page or hidden) */
    bool pending;   /* the marker is hidden while a must label tries a place over it */
    bool displaced; /* the marker gave way to a must label: not drawn, label dropped */
    bool placed;
    bool fitted;             /* a line label: some position along the line fitted the text */
    int used;                /* the block placed */
    double ox, oy;           /* its top-left */
    cor__text_pos_t *glyphs; /* a placed line label's clusters */
    cor_bbox_t *boxes;       /* the placed boxes, padded by the halo */
    size_t nboxes;
} label_t;

struct cor__labeler {
    double width, height;
    cor__space_t *sp; /* where everything on the page registers */
    bool own_sp;
    bool marked;             /* placed before: placing again cuts the space back to the marks */
    size_t mark, drops_mark; /* the space's entries and drops before the first placing */
    label_t *labels;
    size_t nlabels, labels_cap;
    size_t *order; /* placed labels, in the order placed */
    size_t nplaced;
    long unusable;       /* labels dropped when added: no finite anchor or line */
    long dropped;        /* labels the last placing found no room for */
    bool displace;       /* must labels may displace lower-priority labels' markers */
    double text_scale;   /* cor__labeler_set_text_scale(): 0 for none */
    double text_floor;   /* pt: the smallest scaled text */
    cor_status_t status; /* the first allocation failure in a void call, reported by draw */
};

cor_status_t cor__labeler_new_on(cor__space_t *sp, cor__labeler_t **out, cor_error_t *err)
{
    if (!sp)
        return cor__fail(err, COR_ERR_INTERNAL, "a labeler without a placement space");
    cor__labeler_t *lb = cor__calloc(1, sizeof *lb);
    if (!lb)
        return cor__fail(err, COR_ERR_NOMEM, "out of memory for a labeler");
    lb->sp = sp;
    cor__space_size(sp, &lb->width, &lb->height);
    *out = lb;
    return COR_OK;
}

cor_status_t cor__labeler_new(double width, double height, cor__labeler_t **out, cor_error_t *err)
{
    cor__space_t *sp = NULL;
    if (!(width > 0 && height > 0 && width < 1e6 && height < 1e6))
        return cor__fail(err, COR_ERR_USAGE, "label page of %g x %g pt", width, height);
    cor_status_t st = cor__space_new(width, height, &sp, err);
    if (st == COR_OK)
        st = cor__labeler_new_on(sp, out, err);
    if (st != COR_OK) {
        cor__space_free(sp);
        return st;
    }
    (*out)->own_sp = true;
    return COR_OK;
}

cor__space_t *cor__labeler_space(cor__labeler_t *lb)
{
    return lb ? lb->sp : NULL;
}

static void label_clear(label_t *l)
{
    for (int i = 0; i < 2; i++)
        cor__text_block_clear(&l->block[i]);
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
    cor__text_lock();
    for (size_t i = 0; i < lb->nlabels; i++)
        label_clear(&lb->labels[i]);
    cor__text_unlock();
    if (lb->own_sp)
        cor__space_free(lb->sp);
    free(lb->labels);
    free(lb->order);
    free(lb);
}

static bool box_valid(cor_bbox_t b)
{
    return isfinite(b.minx) && isfinite(b.miny) && isfinite(b.maxx) && isfinite(b.maxy) &&
           b.minx <= b.maxx && b.miny <= b.maxy;
}

/* Registers a box with the space; running out of memory sticks (reported by draw). */
static void add_fixed(cor__labeler_t *lb, cor__kind_t kind, const char *text, cor_bbox_t box)
{
    if (lb->status == COR_OK && !cor__space_insert(lb->sp, kind, text, box))
        lb->status = COR_ERR_NOMEM;
}

void cor__labeler_obstacle(cor__labeler_t *lb, cor__kind_t kind, const char *text, cor_bbox_t box)
{
    if (lb)
        add_fixed(lb, kind, text, box);
}

static void drop(cor__labeler_t *lb, const char *text, const char *reason)
{
    if (lb->status == COR_OK && !cor__space_drop(lb->sp, COR__KIND_LABEL, text, reason))
        lb->status = COR_ERR_NOMEM;
}

/* Returns: true when `box` is inside the page (less its margin) and overlaps nothing of `kinds`
 * in the space. */
static bool box_free(const cor__labeler_t *lb, cor_bbox_t box, unsigned kinds)
{
    if (!box_valid(box) || box.minx < PAGE_MARGIN || box.miny < PAGE_MARGIN ||
        box.maxx > lb->width - PAGE_MARGIN || box.maxy > lb->height - PAGE_MARGIN)
        return false;
    return cor__space_is_free(lb->sp, box, kinds);
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
    l->mentry = SIZE_MAX;
    l->kind = kind;
    l->ts = *ts;
    if (lb->text_scale > 0 && lb->text_scale < 1 && ts->size > 0) {
        double size = fmin(ts->size, fmax(ts->size * lb->text_scale, lb->text_floor));
        l->ts.halo_width *= size / ts->size;
        l->ts.size = size;
    }
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
    return cor__text_check(text, ts, err);
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
        if (*text)
            drop(lb, text, "no finite anchor");
        return COR_OK;
    }
    r = fmax(r, 0);
    cor_bbox_t mbox = {x - r, y - r, x + r, y + r};
    size_t before = cor__space_count(lb->sp);
    if (r > 0)
        add_fixed(lb, COR__KIND_MARKER, text, mbox);
    size_t mentry =
        cor__space_count(lb->sp) > before && !cor__space_hidden(lb->sp, before) ? before : SIZE_MAX;
    if (lb->status != COR_OK)
        return nomem(text, err);
    if (!*text)
        return COR_OK;
    cor__text_lock();
    label_t *l = label_push(lb, KIND_POINT, text, ts, priority);
    if (l) {
        l->x = x, l->y = y, l->r = r, l->nblocks = 1;
        l->has_marker = r > 0, l->marker = mbox, l->mentry = mentry;
        cor__text_block_make(&l->block[0], text, &l->ts, false);
    }
    cor__text_unlock();
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
        drop(lb, text, "no finite anchor");
        return COR_OK;
    }
    char *wrapped = NULL;
    if (inner_space(text) && !(wrapped = two_lines(text)))
        return nomem(text, err);
    cor__text_lock();
    label_t *l = label_push(lb, KIND_AREA, text, ts, priority);
    if (l) {
        l->x = xs[0], l->y = ys[0], l->nblocks = 1;
        cor__text_block_make(&l->block[0], text, &l->ts, false);
        if (wrapped)
            cor__text_block_make(&l->block[l->nblocks++], wrapped, &l->ts, false);
        /* the other anchors, tried in order after the first one's shifts */
        l->px = cor__calloc(n, sizeof *l->px);
        l->py = cor__calloc(n, sizeof *l->py);
        if (l->px && l->py) {
            for (size_t i = 0; i < n; i++)
                if (isfinite(xs[i]) && isfinite(ys[i]))
                    l->px[l->n] = xs[i], l->py[l->n++] = ys[i];
        }
    }
    cor__text_unlock();
    free(wrapped);
    return l && l->px && l->py ? COR_OK : nomem(text, err);
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
        drop(lb, text, "no finite line");
        return COR_OK;
    }
    cor__text_lock();
    label_t *l = label_push(lb, KIND_LINE, text, ts, priority);
    bool ok = l != NULL;
    if (ok) {
        l->nblocks = 1, l->offset = offset;
        cor__text_block_make(&l->block[0], text, &l->ts, true);
        ok = cor__text_block_clusters(&l->block[0], &l->clusters, &l->nclusters) &&
             copy_line(l, x, y, n);
    }
    bool usable = ok && l->n >= 2 && l->nclusters > 0; /* not all one point, something to set */
    if (l && !usable) {
        label_clear(l);
        lb->nlabels--;
        lb->unusable += ok;
    }
    cor__text_unlock();
    if (ok && !usable)
        drop(lb, text, "a line of one point");
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
    double pad = cor__text_halo_pad(&l->ts);
    return (cor_bbox_t){ox + c->minx - pad, oy + c->miny - pad, ox + c->maxx + pad,
                        oy + c->maxy + pad};
}

/* The top-left of a point label's block for candidate k (0..7) in cartographic order. */
static void point_candidate(const label_t *l, int k, double extra, double *ox, double *oy)
{
    const cor__text_block_t *b = &l->block[0];
    const cor_bbox_t *c = &b->core;
    /* the padded box keeps the gap from the marker's circle, so no halo covers the marker */
    double gap = l->r + MARKER_GAP * l->ts.size + extra, pad = cor__text_halo_pad(&l->ts);
    /* diagonals clear the marker's square box too: no label overlaps its own marker */
    double d = gap + pad, e = fmax(gap * M_SQRT1_2, l->r + (gap - l->r) / 2) + pad;
    double cw = c->maxx - c->minx, ch = c->maxy - c->miny;
    double mid = (b->cap_top + b->basen) / 2; /* cap band centre */
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
static void area_candidate(const label_t *l, int blk, size_t a, int k, double scale, double *ox,
                           double *oy)
{
    const cor_bbox_t *c = &l->block[blk].core;
    double cw = c->maxx - c->minx, ch = c->maxy - c->miny;
    double dx[5] = {0, 0, 0, -0.25 * cw * scale, 0.25 * cw * scale},
           dy[5] = {0, -0.6 * ch * scale, 0.6 * ch * scale, 0, 0};
    double ax = a < l->n ? l->px[a] : l->x, ay = a < l->n ? l->py[a] : l->y;
    *ox = ax + dx[k] - (c->minx + c->maxx) / 2;
    *oy = ay + dy[k] - (c->miny + c->maxy) / 2;
}

/* Takes a box for label `id`: records it and registers it. Returns: false on exhaustion. */
static bool take_box(cor__labeler_t *lb, size_t id, cor_bbox_t box)
{
    label_t *l = &lb->labels[id];
    if (!l->boxes && !(l->boxes = cor__calloc(1, sizeof *l->boxes)))
        return false;
    l->boxes[l->nboxes++] = box;
    return cor__space_insert(lb->sp, COR__KIND_LABEL, l->text, box);
}

/* Places a point or area label at its first candidate free of `kinds`, trying `rings` rings of
 * them: a point label's each 0.3 em farther from its marker, an area label's shifts doubled
 * (once). Returns: false on exhaustion. */
static bool place_block_label(cor__labeler_t *lb, size_t id, unsigned kinds, int rings)
{
    label_t *l = &lb->labels[id];
    int per = l->kind == KIND_POINT ? 8 : 5;
    size_t anchors = l->kind == KIND_AREA && l->n > 0 ? l->n : 1;
    for (int ring = 0; ring < rings; ring++)
        for (int blk = 0; blk < l->nblocks; blk++)
            for (size_t a = 0; a < anchors; a++)
                for (int k = 0; k < per; k++) {
                    double ox, oy;
                    if (l->kind == KIND_POINT)
                        point_candidate(l, k, ring * 0.3 * l->ts.size, &ox, &oy);
                    else if ((ring == 0 || k > 0) && ring < AREA_RINGS)
                        area_candidate(l, blk, a, k, 1 + ring, &ox, &oy);
                    else
                        continue; /* the centre, tried already; shifts no farther */
                    cor_bbox_t box = block_box(l, blk, ox, oy);
                    if (!box_free(lb, box, kinds))
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

/* The box of a cluster's rectangle [0, w] x [top, bottom] about its origin g, turned to the
 * direction (tx, ty), padded by `pad`. */
static cor_bbox_t cluster_box(const cor__text_pos_t *g, double tx, double ty, double w, double top,
                              double bottom, double pad)
{
    double xs[4] = {0, w, w, 0}, vs[4] = {top, top, bottom, bottom};
    cor_bbox_t box = {HUGE_VAL, HUGE_VAL, -HUGE_VAL, -HUGE_VAL};
    for (int k = 0; k < 4; k++) {
        double px = g->x + xs[k] * tx - vs[k] * ty, py = g->y + xs[k] * ty + vs[k] * tx;
        box.minx = fmin(box.minx, px), box.miny = fmin(box.miny, py);
        box.maxx = fmax(box.maxx, px), box.maxy = fmax(box.maxy, py);
    }
    return (cor_bbox_t){box.minx - pad, box.miny - pad, box.maxx + pad, box.maxy + pad};
}

/* A line label's baseline: the label's line read in one direction, resampled every PATH_STEP
 * em, smoothed over SMOOTH_EM either side (so a jagged or sharply bent line gives a curve the
 * letters can follow) and offset to where the glyphs' origins go, with its lengths. */
typedef struct path {
    double *x, *y, *cum;
    size_t n;
    bool made, ok;
} path_t;

#define PATH_STEP 0.25 /* em between the baseline's samples */
#define PATH_MAX  4096 /* samples at most: longer lines are sampled more coarsely */
#define SMOOTH_EM 0.6  /* the smoothing's reach either side, em */
#define SPACING_TOL                                                                                \
    0.08 /* em: how far the gap between two glyphs' origins may stray from their                   \
            shaped advance */

static void path_free(path_t *p)
{
    free(p->x), free(p->y), free(p->cum);
    *p = (path_t){0};
}

/* Samples the label's line (reversed when `rev`) every `step` from its start: *n points into
 * x, y (cap of them). */
static size_t resample(const label_t *l, const double *cum, bool rev, double step, double *x,
                       double *y, size_t cap)
{
    double len = cum[l->n - 1], dx, dy;
    size_t n = (size_t)fmin(ceil(len / step), (double)cap - 1) + 1;
    for (size_t i = 0; i < n; i++) {
        double s = fmin(len * (double)i / (double)(n - 1), len);
        line_at(l, cum, rev ? len - s : s, &x[i], &y[i], &dx, &dy);
    }
    return n;
}

/* Builds p for reading direction `rev`, the glyphs' origins `shift` pt below the line (as read).
 * Returns: false on exhaustion. */
static bool path_make(const label_t *l, const double *cum, bool rev, double shift, path_t *p)
{
    double len = cum[l->n - 1], step = fmax(PATH_STEP * l->ts.size, len / (PATH_MAX - 1));
    size_t cap = (size_t)fmin(ceil(len / step), PATH_MAX - 1) + 2;
    double *sx = cor__calloc(cap, sizeof *sx), *sy = cor__calloc(cap, sizeof *sy);
    p->x = cor__calloc(cap, sizeof *p->x), p->y = cor__calloc(cap, sizeof *p->y);
    p->cum = cor__calloc(cap, sizeof *p->cum);
    p->made = true;
    if (!sx || !sy || !p->x || !p->y || !p->cum) {
        free(sx), free(sy);
        return false;
    }
    size_t n = resample(l, cum, rev, step, sx, sy, cap);
    long reach = lround(SMOOTH_EM * l->ts.size / step);
    for (size_t i = 0; i < n; i++) { /* a moving average, narrowing towards the ends */
        long r = (long)fmin((double)reach, fmin((double)i, (double)(n - 1 - i)));
        double ax = 0, ay = 0;
        for (long k = -r; k <= r; k++)
            ax += sx[(long)i + k], ay += sy[(long)i + k];
        p->x[i] = ax / (double)(2 * r + 1), p->y[i] = ay / (double)(2 * r + 1);
    }
    for (size_t i = 0; i < n; i++) { /* offset along the normal of the smoothed line */
        size_t i0 = i > 0 ? i - 1 : 0, i1 = i + 1 < n ? i + 1 : n - 1;
        double tx = p->x[i1] - p->x[i0], ty = p->y[i1] - p->y[i0], t = hypot(tx, ty);
        sx[i] = p->x[i] - (t > 1e-9 ? ty / t : 0) * shift;
        sy[i] = p->y[i] + (t > 1e-9 ? tx / t : 0) * shift;
    }
    memcpy(p->x, sx, n * sizeof *sx), memcpy(p->y, sy, n * sizeof *sy);
    free(sx), free(sy);
    p->n = n;
    for (size_t i = 1; i < n; i++)
        p->cum[i] = p->cum[i - 1] + hypot(p->x[i] - p->x[i - 1], p->y[i] - p->y[i - 1]);
    p->ok = n >= 2 && p->cum[n - 1] > 0;
    return true;
}

/* The point at distance s along path p (clamped to it). */
static void path_at(const path_t *p, double s, double *x, double *y)
{
    size_t lo = 0, hi = p->n - 2;
    while (lo < hi) {
        size_t m = (lo + hi + 1) / 2;
        if (p->cum[m] <= s)
            lo = m;
        else
            hi = m - 1;
    }
    double seg = p->cum[lo + 1] - p->cum[lo];
    double t = seg > 0 ? fmin(fmax((s - p->cum[lo]) / seg, 0), 1) : 0;
    *x = p->x[lo] + t * (p->x[lo + 1] - p->x[lo]), *y = p->y[lo] + t * (p->y[lo + 1] - p->y[lo]);
}

/* A line label laid out with its text centred at distance `mid` along its line: read left to
 * right, along the baseline path (smoothed and offset, built once per direction into paths[]),
 * each cluster on the chord of the path between its two ends. Refuses the position where a
 * glyph would tilt past MAX_TILT, turn more than MAX_TURN from the one before, or stand farther
 * from (or nearer to) the one before than its shaped advance, give or take SPACING_TOL em: the
 * letters keep together. Fills l->glyphs and l->boxes.
 * Returns: 1 when it fits, 0 when it does not, -1 on exhaustion. */
static int line_layout(label_t *l, const double *cum, double mid, path_t paths[2])
{
    const cor__text_block_t *b = &l->block[0];
    double len = cum[l->n - 1], s0 = mid - b->width / 2, s1 = mid + b->width / 2;
    if (s0 < 0 || s1 > len)
        return 0;
    double ax, ay, bx, by, dx, dy;
    line_at(l, cum, s0, &ax, &ay, &dx, &dy);
    line_at(l, cum, s1, &bx, &by, &dx, &dy);
    bool rev = bx < ax - 1e-9 || (fabs(bx - ax) <= 1e-9 && by > ay); /* read left to right */
    double top = b->core.miny - b->base1, bottom = b->core.maxy - b->base1,
           pad = cor__text_halo_pad(&l->ts);
    double shift = -(top + bottom) / 2 - l->offset; /* baseline below the line */
    path_t *p = &paths[rev];
    if (!p->made && !path_make(l, cum, rev, shift, p))
        return -1;
    if (!p->ok)
        return 0;
    double plen = p->cum[p->n - 1], pm = (rev ? len - mid : mid) * plen / len;
    double p0 = pm - b->width / 2, tol = SPACING_TOL * l->ts.size;
    if (p0 < 0 || pm + b->width / 2 > plen)
        return 0;
    for (size_t i = 0; i < l->nclusters; i++) {
        const cor__text_cluster_t *c = &l->clusters[i];
        path_at(p, p0 + c->x, &ax, &ay);
        path_at(p, p0 + c->x + c->w, &bx, &by);
        double chord = hypot(bx - ax, by - ay);
        if (!(chord > 1e-6))
            return 0;
        double tx = (bx - ax) / chord, ty = (by - ay) / chord, angle = atan2(ty, tx);
        if (fabs(angle) > MAX_TILT * M_PI / 180)
            return 0;
        if (i > 0 && angle_diff(angle, l->glyphs[i - 1].angle) > MAX_TURN * M_PI / 180)
            return 0;
        double ox = (ax + bx) / 2 - tx * c->w / 2, oy = (ay + by) / 2 - ty * c->w / 2;
        if (i > 0) {
            const cor__text_pos_t *g = &l->glyphs[i - 1];
            double gap = hypot(ox - g->x, oy - g->y), adv = c->x - l->clusters[i - 1].x;
            if (fabs(gap - adv) > tol)
                return 0;
        }
        l->glyphs[i] = (cor__text_pos_t){ox, oy, angle};
        l->boxes[i] = cluster_box(&l->glyphs[i], tx, ty, c->w, top, bottom, pad);
    }
    return 1;
}

/* Returns: the cumulative lengths along the label's line (malloc'd), NULL on exhaustion. */
static double *line_lengths(const label_t *l)
{
    double *cum = cor__calloc(l->n, sizeof *cum);
    for (size_t i = 1; cum && i < l->n; i++)
        cum[i] = cum[i - 1] + hypot(l->px[i] - l->px[i - 1], l->py[i] - l->py[i - 1]);
    return cum;
}

#define BAND      4.0 /* pt: the width of the bands a line label's footprint is cut into */
#define BANDS_MAX 256

/* The footprint of a laid-out line label as bands across the longer side of the box around it
 * (rows for a steep label, columns for a flat one), each as wide as the glyph boxes it meets:
 * boxes that cover every glyph, touch without overlapping, and hug a slanted text far closer
 * than one box could. Writes at most BANDS_MAX to out. Returns: how many. */
static size_t line_bands(const label_t *l, cor_bbox_t *out)
{
    cor_bbox_t u = l->boxes[0];
    for (size_t i = 1; i < l->nclusters; i++) {
        u.minx = fmin(u.minx, l->boxes[i].minx), u.miny = fmin(u.miny, l->boxes[i].miny);
        u.maxx = fmax(u.maxx, l->boxes[i].maxx), u.maxy = fmax(u.maxy, l->boxes[i].maxy);
    }
    bool rows = u.maxy - u.miny > u.maxx - u.minx;
    double lo = rows ? u.miny : u.minx, hi = rows ? u.maxy : u.maxx;
    size_t n = (size_t)fmin(fmax(ceil((hi - lo) / BAND), 1), BANDS_MAX), m = 0;
    for (size_t k = 0; k < n; k++) {
        double a = lo + (hi - lo) * (double)k / (double)n,
               b = lo + (hi - lo) * (double)(k + 1) / (double)n;
        double from = HUGE_VAL, to = -HUGE_VAL;
        for (size_t i = 0; i < l->nclusters; i++) {
            const cor_bbox_t *c = &l->boxes[i];
            double c0 = rows ? c->miny : c->minx, c1 = rows ? c->maxy : c->maxx;
            if (c1 > a && c0 < b)
                from = fmin(from, rows ? c->minx : c->miny),
                to = fmax(to, rows ? c->maxx : c->maxy);
        }
        if (from <= to)
            out[m++] = rows ? (cor_bbox_t){from, a, to, b} : (cor_bbox_t){a, from, b, to};
    }
    return m;
}

/* Tries the line's middle, then positions stepping out from it, and takes the first where every
 * glyph's box is clear of `lines` and the label's footprint (line_bands) clear of everything
 * solid, so that the report's boxes for it overlap nothing. Returns: false on exhaustion. */
static bool place_line_label(cor__labeler_t *lb, size_t id, unsigned lines)
{
    label_t *l = &lb->labels[id];
    double *cum = line_lengths(l);
    if (!cum)
        return false;
    double len = cum[l->n - 1], step = fmax(len - l->block[0].width, 0) / (LINE_TRIES - 1);
    bool ok = true;
    cor_bbox_t bands[BANDS_MAX];
    path_t paths[2] = {{0}, {0}};
    l->fitted = false;
    for (int k = 0; ok && k < LINE_TRIES && !l->placed; k++) {
        double mid = len / 2 + ((k + 1) / 2) * step * (k % 2 ? -1 : 1);
        int fit = line_layout(l, cum, mid, paths);
        ok = fit >= 0;
        if (fit <= 0)
            continue;
        l->fitted = true;
        size_t i = 0;
        while (i < l->nclusters && box_free(lb, l->boxes[i], lines))
            i++;
        if (i < l->nclusters)
            continue;
        size_t nb = line_bands(l, bands);
        for (i = 0; i < nb && box_free(lb, bands[i], COR__KINDS_SOLID);)
            i++;
        if (i < nb)
            continue;
        l->placed = true, l->nboxes = l->nclusters;
        for (i = 0; ok && i < nb; i++)
            ok = cor__space_insert(lb->sp, COR__KIND_LABEL, l->text, bands[i]);
    }
    path_free(&paths[0]);
    path_free(&paths[1]);
    free(cum);
    return ok;
}

/* ---- placing -------------------------------------------------------------------------------- */

/* Hides (hide) the markers of the lower-priority point labels, not yet placed, whose marker
 * `box` overlaps, marking them pending; or (!hide) shows the pending ones again. */
static void yield_markers(cor__labeler_t *lb, size_t self, cor_bbox_t box, bool hide)
{
    for (size_t j = 0; j < lb->nlabels; j++) {
        label_t *o = &lb->labels[j];
        if (!hide && o->pending) {
            cor__space_set_hidden(lb->sp, o->mentry, false);
            o->pending = false;
        }
        if (!hide || j == self || o->kind != KIND_POINT || o->mentry == SIZE_MAX ||
            o->priority >= MUST || o->placed || o->displaced || o->marker.maxx <= box.minx ||
            o->marker.minx >= box.maxx || o->marker.maxy <= box.miny || o->marker.miny >= box.maxy)
            continue;
        cor__space_set_hidden(lb->sp, o->mentry, true);
        o->pending = true;
    }
}

/* The pending markers gave way to label id: displaced for good, each dropped with a reason.
 * Returns: false on exhaustion. */
static bool displace_pending(cor__labeler_t *lb, size_t id)
{
    char *why = cor__asprintf("gave way to the label \"%s\"", lb->labels[id].text);
    bool ok = why != NULL;
    for (size_t j = 0; ok && j < lb->nlabels; j++) {
        label_t *o = &lb->labels[j];
        if (!o->pending)
            continue;
        o->pending = false, o->displaced = true;
        ok = cor__space_drop(lb->sp, COR__KIND_MARKER, o->text, why);
    }
    free(why);
    return ok;
}

/* A must point label that found no room anywhere: its candidates again, out to MUST_RINGS,
 * where it may displace the markers of lower-priority point labels (clear of lines first,
 * then over them). Returns: false on exhaustion. */
static bool place_displacing(cor__labeler_t *lb, size_t id)
{
    static const unsigned nomarker = ~COR__KIND_BIT(COR__KIND_MARKER);
    label_t *l = &lb->labels[id];
    unsigned passes[2] = {COR__KINDS_ALL, COR__KINDS_SOLID};
    for (int pass = 0; pass < 2; pass++)
        for (int ring = 0; ring < MUST_RINGS; ring++)
            for (int k = 0; k < 8; k++) {
                double ox, oy;
                point_candidate(l, k, ring * 0.3 * l->ts.size, &ox, &oy);
                cor_bbox_t box = block_box(l, 0, ox, oy);
                if (!box_free(lb, box, passes[pass] & nomarker))
                    continue;
                yield_markers(lb, id, box, true);
                if (!box_free(lb, box, passes[pass])) {
                    yield_markers(lb, id, box, false);
                    continue;
                }
                l->placed = true, l->used = 0, l->ox = ox, l->oy = oy;
                return displace_pending(lb, id) && take_box(lb, id, box);
            }
    return true;
}

/* Places label id clear of everything; one of priority MUST or more (a story's key places),
 * failing that, farther from its marker, and then clear of everything solid only (over a route
 * or flow, on its halo). Returns: false on exhaustion. */
static bool place_label(cor__labeler_t *lb, size_t id)
{
    label_t *l = &lb->labels[id];
    bool line = l->kind == KIND_LINE;
    bool ok = line ? place_line_label(lb, id, COR__KINDS_LINES)
                   : place_block_label(lb, id, COR__KINDS_ALL, 1);
    if (ok && !l->placed && l->priority >= MUST) /* farther from its marker, then over lines */
        ok = line ? place_line_label(lb, id, 0)
                  : place_block_label(lb, id, COR__KINDS_ALL, MUST_RINGS) &&
                        (l->placed || place_block_label(lb, id, COR__KINDS_SOLID, MUST_RINGS));
    if (ok && !l->placed && l->priority >= MUST && lb->displace && l->kind == KIND_POINT)
        ok = place_displacing(lb, id);
    return ok;
}

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
        if (l->displaced || l->pending)
            cor__space_set_hidden(lb->sp, l->mentry, false);
        l->placed = l->displaced = l->pending = false, l->nboxes = 0;
        if (l->kind != KIND_LINE) {
            free(l->boxes);
            l->boxes = NULL;
        }
    }
    lb->nplaced = 0, lb->dropped = 0;
    if (lb->marked)
        cor__space_truncate(lb->sp, lb->mark, lb->drops_mark);
    lb->marked = true;
    lb->mark = cor__space_count(lb->sp), lb->drops_mark = cor__space_ndropped(lb->sp);
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
    if (!cor__space_ok(lb->sp))
        goto fail;
    unplace_all(lb);
    free(lb->order);
    lb->order = cor__calloc(lb->nlabels, sizeof *lb->order);
    rank = rank_labels(lb);
    if (!lb->order || !rank)
        goto fail;
    for (size_t k = 0; k < lb->nlabels; k++) {
        size_t id = rank[k].id;
        label_t *l = &lb->labels[id];
        const char *why = "no room";
        if (l->displaced)
            why = "its marker gave way to a label of the story";
        else if (l->has_marker && !cor__space_is_free(lb->sp, l->marker, COR__KINDS_FURNITURE))
            why = "its marker is under furniture";
        else if (!place_label(lb, id))
            goto fail;
        else if (l->kind == KIND_LINE && !l->fitted)
            why = "its line is too short or too curved";
        if (l->placed) {
            lb->order[lb->nplaced++] = id;
        } else {
            lb->dropped++;
            drop(lb, l->text, why);
        }
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

double cor__labeler_text_scale(double width_pt)
{
    return width_pt > 0 && width_pt < COR__LABEL_FULL_WIDTH_PT
               ? sqrt(width_pt / COR__LABEL_FULL_WIDTH_PT)
               : 1.0;
}

void cor__labeler_set_text_scale(cor__labeler_t *lb, double scale, double dpi)
{
    if (!lb || !(scale > 0) || scale > 1 || !(dpi > 0))
        return;
    lb->text_scale = scale;
    lb->text_floor = fmax(COR__LABEL_FLOOR_PT, COR__LABEL_FLOOR_PX * 72.0 / dpi);
}

void cor__labeler_set_displace(cor__labeler_t *lb, bool on)
{
    if (lb)
        lb->displace = on;
}

bool cor__labeler_displaced(const cor__labeler_t *lb, size_t i, const char **text, double *x,
                            double *y)
{
    for (size_t j = 0; lb && j < lb->nlabels; j++) {
        const label_t *l = &lb->labels[j];
        if (l->displaced && i-- == 0) {
            *text = l->text, *x = l->x, *y = l->y;
            return true;
        }
    }
    return false;
}

bool cor__labeler_placed_glyphs(const cor__labeler_t *lb, size_t i, const cor__text_pos_t **glyphs,
                                size_t *n)
{
    if (!lb || i >= lb->nplaced || lb->labels[lb->order[i]].kind != KIND_LINE)
        return false;
    const label_t *l = &lb->labels[lb->order[i]];
    *glyphs = l->glyphs, *n = l->nclusters;
    return true;
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

static bool draw_label(cor__textout_t *to, const label_t *l, bool halo)
{
    if (l->kind == KIND_LINE)
        return cor__text_path_draw(to, &l->block[0], l->clusters, l->glyphs, l->nclusters, &l->ts,
                                   halo);
    return cor__text_block_draw(to, &l->block[l->used], &l->ts, l->ox, l->oy, halo);
}

cor_status_t cor__labeler_draw(cor__labeler_t *lb, cor__textout_t *to, cor_error_t *err)
{
    if (!lb || !to || (!to->cr && !to->svg))
        return cor__fail(err, COR_ERR_INTERNAL, "labels have nowhere to go");
    if (lb->status != COR_OK)
        return cor__fail(err, lb->status, "out of memory placing labels");
    size_t mark = to->svg ? to->svg->len : 0;
    bool ok = !to->svg || cor__buf_puts(to->svg, "<g class=\"label-halos\">\n");
    cor__text_lock();
    for (int pass = 0; pass < 2; pass++) {
        if (ok && to->svg && pass == 1)
            ok = cor__buf_puts(to->svg, "</g>\n<g class=\"labels\">\n");
        for (size_t i = 0; ok && i < lb->nplaced; i++)
            ok = draw_label(to, &lb->labels[lb->order[i]], pass == 0);
    }
    cor__text_unlock();
    if (ok && to->svg)
        ok = cor__buf_puts(to->svg, "</g>\n");
    if (!ok) {
        cor__text_svg_truncate(to->svg, mark);
        return cor__fail(err, COR_ERR_NOMEM, "out of memory writing labels as SVG");
    }
    return to->svg ? COR_OK : cor__text_cairo_check(to->cr, err);
}
