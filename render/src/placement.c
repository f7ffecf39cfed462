/* SPDX-License-Identifier: MIT */
/* placement: a uniform grid of entries (boxes, and segments with a half-width for stroked
 * lines), each with a kind and a text; queries by a set of kinds; drops with their reasons;
 * the JSON report. Entries only grow (or are cut back to a mark), so a cell's ids stay sorted
 * and cutting back pops them from the cells' ends. It must not know what is drawn or how. */
#include "placement.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GRID_CELLS 128  /* the grid has at most this many cells a side */
#define CELL_MIN   24.0 /* pt: the smallest cell */
#define SEG_STEP   12.0 /* pt: the longest segment a line is cut into */
#define SEG_STRAY  0.25 /* pt: how far merged points may lie from their segment */

static const char *const KIND_NAMES[COR__KIND_COUNT] = {
    "label",  "marker",   "route",       "flow",  "callout", "leader",         "title",
    "legend", "scalebar", "north_arrow", "inset", "credits", "graticule_label"};

typedef struct entry {
    cor__kind_t kind;
    bool seg;    /* a segment (x0, y0)-(x1, y1) of half-width `half` rather than a box */
    bool hidden; /* a marker under furniture: no room taken, not reported */
    double x0, y0, x1, y1, half;
    cor_bbox_t box;    /* the box, or the segment's padded bounds, cut to the page */
    size_t text;       /* offset of its text in `texts` */
    size_t texts_mark; /* the length of `texts` before this entry's text was added */
} entry_t;

typedef struct drop {
    cor__kind_t kind;
    char *text, *reason;
} drop_t;

typedef struct cell {
    size_t *ids;
    size_t n, cap;
} cell_t;

struct cor__space {
    double width, height, cell;
    int nx, ny;
    cell_t *cells;
    entry_t *entries;
    size_t n, cap;
    cor__buf_t texts; /* NUL-separated texts */
    drop_t *drops;
    size_t ndrops, drops_cap;
    bool failed;
};

const char *cor__kind_name(cor__kind_t kind)
{
    return kind >= 0 && kind < COR__KIND_COUNT ? KIND_NAMES[kind] : "?";
}

cor_status_t cor__space_new(double width, double height, cor__space_t **out, cor_error_t *err)
{
    if (!(width > 0 && height > 0 && width < 1e6 && height < 1e6))
        return cor__fail(err, COR_ERR_USAGE, "placement: a page of %g x %g pt", width, height);
    cor__space_t *sp = cor__calloc(1, sizeof *sp);
    if (!sp)
        goto fail;
    sp->width = width, sp->height = height;
    sp->cell = fmax(CELL_MIN, fmax(width, height) / GRID_CELLS);
    sp->nx = (int)ceil(width / sp->cell), sp->ny = (int)ceil(height / sp->cell);
    sp->cells = cor__calloc((size_t)sp->nx * (size_t)sp->ny, sizeof *sp->cells);
    if (!sp->cells || !cor__buf_append(&sp->texts, "", 1)) /* offset 0: the empty text */
        goto fail;
    *out = sp;
    return COR_OK;
fail:
    cor__space_free(sp);
    return cor__fail(err, COR_ERR_NOMEM, "out of memory for the placement space");
}

void cor__space_free(cor__space_t *sp)
{
    if (!sp)
        return;
    for (size_t i = 0; sp->cells && i < (size_t)sp->nx * (size_t)sp->ny; i++)
        free(sp->cells[i].ids);
    for (size_t i = 0; i < sp->ndrops; i++) {
        free(sp->drops[i].text);
        free(sp->drops[i].reason);
    }
    free(sp->drops);
    free(sp->cells);
    free(sp->entries);
    cor__buf_free(&sp->texts);
    free(sp);
}

bool cor__space_ok(const cor__space_t *sp)
{
    return sp && !sp->failed;
}

/* ---- the grid ---- */

static bool finite_box(cor_bbox_t b)
{
    return isfinite(b.minx) && isfinite(b.miny) && isfinite(b.maxx) && isfinite(b.maxy) &&
           b.minx <= b.maxx && b.miny <= b.maxy;
}

static bool boxes_overlap(cor_bbox_t a, cor_bbox_t b)
{
    return a.minx < b.maxx && b.minx < a.maxx && a.miny < b.maxy && b.miny < a.maxy;
}

static int clampi(double v, int n)
{
    return v < 0 ? 0 : v >= n ? n - 1 : (int)v;
}

static void cell_range(const cor__space_t *sp, cor_bbox_t b, int *x0, int *y0, int *x1, int *y1)
{
    *x0 = clampi(floor(b.minx / sp->cell), sp->nx), *x1 = clampi(floor(b.maxx / sp->cell), sp->nx);
    *y0 = clampi(floor(b.miny / sp->cell), sp->ny), *y1 = clampi(floor(b.maxy / sp->cell), sp->ny);
}

static cell_t *cell_at(const cor__space_t *sp, int cx, int cy)
{
    return &sp->cells[(size_t)cy * (size_t)sp->nx + (size_t)cx];
}

/* The part of b on the page. Returns: false when nothing of it is. */
static bool cut_to_page(const cor__space_t *sp, cor_bbox_t *b)
{
    if (!finite_box(*b) || b->maxx < 0 || b->maxy < 0 || b->minx > sp->width ||
        b->miny > sp->height)
        return false;
    *b = (cor_bbox_t){fmax(b->minx, 0), fmax(b->miny, 0), fmin(b->maxx, sp->width),
                      fmin(b->maxy, sp->height)};
    return true;
}

/* Appends e (its box already cut) and indexes it. */
static bool push(cor__space_t *sp, entry_t e)
{
    if (!cor__grow((void **)&sp->entries, &sp->cap, sp->n + 1, sizeof *sp->entries))
        return false;
    size_t id = sp->n;
    int x0, y0, x1, y1;
    cell_range(sp, e.box, &x0, &y0, &x1, &y1);
    for (int cy = y0; cy <= y1; cy++)
        for (int cx = x0; cx <= x1; cx++) {
            cell_t *c = cell_at(sp, cx, cy);
            if (!cor__grow((void **)&c->ids, &c->cap, c->n + 1, sizeof *c->ids)) {
                sp->entries[sp->n++] = e; /* so truncating pops what was indexed */
                cor__space_truncate(sp, id, sp->ndrops);
                return false;
            }
            c->ids[c->n++] = id;
        }
    sp->entries[sp->n++] = e;
    return true;
}

/* Adds text to the texts buffer. Returns: its offset (0 for none), or SIZE_MAX on exhaustion. */
static size_t add_text(cor__space_t *sp, const char *text)
{
    if (!text || !*text)
        return 0;
    size_t at = sp->texts.len;
    if (!cor__buf_append(&sp->texts, text, strlen(text) + 1))
        return SIZE_MAX;
    return at;
}

static bool failed(cor__space_t *sp)
{
    sp->failed = true;
    return false;
}

static double point_seg_dist(double px, double py, const entry_t *e);

static const entry_t *first_hit(const cor__space_t *sp, cor_bbox_t box, unsigned kinds);

/* Calls fn on each entry of the cells `box` spans (an entry spanning several cells may come
 * more than once) until fn returns true. Returns: the entry fn stopped at, NULL when none. */
typedef bool (*visit_fn)(cor__space_t *sp, entry_t *e, void *ctx);
static entry_t *visit_box(const cor__space_t *sp, cor_bbox_t box, visit_fn fn, void *ctx)
{
    int x0, y0, x1, y1;
    cell_range(sp, box, &x0, &y0, &x1, &y1);
    for (int cy = y0; cy <= y1; cy++)
        for (int cx = x0; cx <= x1; cx++) {
            const cell_t *c = cell_at(sp, cx, cy);
            for (size_t i = 0; i < c->n; i++) {
                entry_t *e = &sp->entries[c->ids[i]];
                if (fn((cor__space_t *)sp, e, ctx))
                    return e;
            }
        }
    return NULL;
}

static bool drop_under(cor__space_t *sp, const entry_t *e, cor__kind_t cover)
{
    char reason[48];
    snprintf(reason, sizeof reason, "under the %s", cor__kind_name(cover));
    return cor__space_drop(sp, e->kind, sp->texts.data + e->text, reason);
}

/* Hides the markers a furniture box covers (those of the cells it spans, each once). */
typedef struct hide_ctx {
    cor__kind_t kind;
    cor_bbox_t box;
    bool failed;
} hide_ctx_t;

static bool hide_one(cor__space_t *sp, entry_t *e, void *ctx)
{
    hide_ctx_t *h = ctx;
    if (e->kind != COR__KIND_MARKER || e->hidden || !boxes_overlap(e->box, h->box))
        return false;
    e->hidden = true;
    h->failed = !drop_under(sp, e, h->kind);
    return h->failed;
}

static bool hide_under(cor__space_t *sp, cor__kind_t kind, cor_bbox_t box)
{
    hide_ctx_t h = {kind, box, false};
    visit_box(sp, box, hide_one, &h);
    return !h.failed;
}

bool cor__space_insert(cor__space_t *sp, cor__kind_t kind, const char *text, cor_bbox_t box)
{
    if (!sp || sp->failed)
        return false;
    if (kind < 0 || kind >= COR__KIND_COUNT || !cut_to_page(sp, &box))
        return true;
    size_t mark = sp->texts.len, at = add_text(sp, text);
    if (at == SIZE_MAX)
        return failed(sp);
    entry_t e = {.kind = kind, .box = box, .text = at, .texts_mark = mark};
    const entry_t *cover =
        kind == COR__KIND_MARKER ? first_hit(sp, box, COR__KINDS_FURNITURE) : NULL;
    if (cover) {
        e.hidden = true;
        if (!drop_under(sp, &e, cover->kind))
            return failed(sp);
    }
    if ((COR__KINDS_FURNITURE & COR__KIND_BIT(kind)) && !hide_under(sp, kind, box))
        return failed(sp);
    return push(sp, e) || failed(sp);
}

/* One piece of a line: a segment entry, unless it lies off the page. */
static bool push_segment(cor__space_t *sp, entry_t e, double x0, double y0, double x1, double y1)
{
    e.seg = true, e.x0 = x0, e.y0 = y0, e.x1 = x1, e.y1 = y1;
    e.box = (cor_bbox_t){fmin(x0, x1) - e.half, fmin(y0, y1) - e.half, fmax(x0, x1) + e.half,
                         fmax(y0, y1) + e.half};
    return !cut_to_page(sp, &e.box) || push(sp, e);
}

/* Returns: whether points i+1 .. j-1 of xy lie within SEG_STRAY of the chord from i to j. */
static bool straight(const double *xy, size_t i, size_t j)
{
    entry_t chord = {.x0 = xy[2 * i], .y0 = xy[2 * i + 1], .x1 = xy[2 * j], .y1 = xy[2 * j + 1]};
    for (size_t k = i + 1; k < j; k++)
        if (point_seg_dist(xy[2 * k], xy[2 * k + 1], &chord) > SEG_STRAY)
            return false;
    return true;
}

/* Registers the piece of xy from point i to point j (j > i): one segment when merged (widened
 * by SEG_STRAY), else cut into pieces of at most SEG_STEP. */
static bool push_piece(cor__space_t *sp, entry_t *e, const double *xy, size_t i, size_t j)
{
    double ax = xy[2 * i], ay = xy[2 * i + 1], bx = xy[2 * j], by = xy[2 * j + 1];
    double len = hypot(bx - ax, by - ay), half = e->half;
    int pieces = len > SEG_STEP ? (int)fmin(ceil(len / SEG_STEP), 1e5) : 1;
    if (j > i + 1)
        e->half += SEG_STRAY;
    size_t before = sp->n;
    bool ok = true;
    for (int k = 0; ok && k < pieces; k++) {
        double t0 = (double)k / pieces, t1 = (double)(k + 1) / pieces;
        ok = push_segment(sp, *e, ax + (bx - ax) * t0, ay + (by - ay) * t0, ax + (bx - ax) * t1,
                          ay + (by - ay) * t1);
        if (sp->n > before) /* the first piece stored owns the text; the rest share it */
            e->texts_mark = sp->texts.len;
    }
    e->half = half;
    return ok;
}

/* The finite points of xy (n pairs), copied to a new array (*m of them). NULL on exhaustion. */
static double *finite_points(const double *xy, size_t n, size_t *m)
{
    double *out = cor__calloc(n, 2 * sizeof *out);
    *m = 0;
    for (size_t i = 0; out && i < n; i++)
        if (isfinite(xy[2 * i]) && isfinite(xy[2 * i + 1]))
            out[2 * *m] = xy[2 * i], out[2 * *m + 1] = xy[2 * i + 1], (*m)++;
    return out;
}

bool cor__space_insert_line(cor__space_t *sp, cor__kind_t kind, const char *text, const double *xy,
                            size_t n, double half)
{
    if (!sp || sp->failed)
        return false;
    if (kind < 0 || kind >= COR__KIND_COUNT || !xy || n == 0 || !(half >= 0) || !isfinite(half))
        return true;
    size_t m, mark = sp->texts.len, at = add_text(sp, text), before = sp->n;
    double *pts = at == SIZE_MAX ? NULL : finite_points(xy, n, &m);
    if (!pts)
        return failed(sp);
    entry_t e = {.kind = kind, .half = half, .text = at, .texts_mark = mark};
    bool ok = m != 1 || push_piece(sp, &e, (double[]){pts[0], pts[1], pts[0], pts[1]}, 0, 1);
    for (size_t i = 0; ok && i + 1 < m;) {
        size_t j = i + 1; /* the farthest point that keeps the piece short and straight */
        while (j + 1 < m &&
               hypot(pts[2 * j + 2] - pts[2 * i], pts[2 * j + 3] - pts[2 * i + 1]) <= SEG_STEP &&
               straight(pts, i, j + 1))
            j++;
        ok = push_piece(sp, &e, pts, i, j);
        i = j;
    }
    free(pts);
    if (ok && sp->n == before) /* all off the page */
        sp->texts.len = mark;
    return ok || failed(sp);
}

/* ---- queries ---- */

static double point_box_dist(double x, double y, cor_bbox_t b)
{
    double dx = fmax(fmax(b.minx - x, 0), x - b.maxx), dy = fmax(fmax(b.miny - y, 0), y - b.maxy);
    return hypot(dx, dy);
}

static double point_seg_dist(double px, double py, const entry_t *e)
{
    double vx = e->x1 - e->x0, vy = e->y1 - e->y0, l2 = vx * vx + vy * vy;
    double t = l2 > 0 ? ((px - e->x0) * vx + (py - e->y0) * vy) / l2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return hypot(px - (e->x0 + t * vx), py - (e->y0 + t * vy));
}

/* Returns: whether the segment crosses the box (Liang-Barsky clipping). */
static bool seg_crosses(const entry_t *e, cor_bbox_t b)
{
    double t0 = 0, t1 = 1, dx = e->x1 - e->x0, dy = e->y1 - e->y0;
    double p[4] = {-dx, dx, -dy, dy};
    double q[4] = {e->x0 - b.minx, b.maxx - e->x0, e->y0 - b.miny, b.maxy - e->y0};
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0) {
            if (q[i] < 0)
                return false;
            continue;
        }
        double t = q[i] / p[i];
        if (p[i] < 0)
            t0 = fmax(t0, t);
        else
            t1 = fmin(t1, t);
        if (t0 > t1)
            return false;
    }
    return true;
}

/* Returns: whether a segment entry's stroked outline overlaps the box: they cross, or the
 * nearest points (a segment end to the box, or a box corner to the segment) are under half. */
static bool seg_hits(const entry_t *e, cor_bbox_t b)
{
    if (seg_crosses(e, b))
        return true;
    double d = fmin(point_box_dist(e->x0, e->y0, b), point_box_dist(e->x1, e->y1, b));
    double cx[4] = {b.minx, b.maxx, b.maxx, b.minx}, cy[4] = {b.miny, b.miny, b.maxy, b.maxy};
    for (int k = 0; k < 4; k++)
        d = fmin(d, point_seg_dist(cx[k], cy[k], e));
    return d < e->half;
}

static bool entry_hits(const entry_t *e, cor_bbox_t b)
{
    return boxes_overlap(e->box, b) && (!e->seg || seg_hits(e, b));
}

/* Returns: the distance between segment entries a and b (0 when they cross). */
static double seg_seg_dist(const entry_t *a, const entry_t *b)
{
    double ax = a->x1 - a->x0, ay = a->y1 - a->y0, bx = b->x1 - b->x0, by = b->y1 - b->y0;
    double den = ax * by - ay * bx;
    if (den != 0) {
        double t = ((b->x0 - a->x0) * by - (b->y0 - a->y0) * bx) / den;
        double u = ((b->x0 - a->x0) * ay - (b->y0 - a->y0) * ax) / den;
        if (t >= 0 && t <= 1 && u >= 0 && u <= 1)
            return 0;
    }
    return fmin(fmin(point_seg_dist(a->x0, a->y0, b), point_seg_dist(a->x1, a->y1, b)),
                fmin(point_seg_dist(b->x0, b->y0, a), point_seg_dist(b->x1, b->y1, a)));
}

/* A query: a box or a segment (seg set) and the kinds it asks about. */
typedef struct query {
    const entry_t *seg; /* NULL: the box alone */
    cor_bbox_t box;
    unsigned kinds;
} query_t;

/* Whether entry e, not hidden and of the query's kinds, is in the query's way. */
static bool in_the_way(cor__space_t *sp, entry_t *e, void *ctx)
{
    const query_t *q = ctx;
    (void)sp;
    if (e->hidden || !(q->kinds & COR__KIND_BIT(e->kind)) || !boxes_overlap(e->box, q->box))
        return false;
    if (!q->seg)
        return !e->seg || seg_hits(e, q->box);
    return e->seg ? seg_seg_dist(q->seg, e) < q->seg->half + e->half : seg_hits(q->seg, e->box);
}

/* Returns: the first entry of `kinds` (not hidden) that box overlaps, NULL when none does. */
static const entry_t *first_hit(const cor__space_t *sp, cor_bbox_t box, unsigned kinds)
{
    query_t q = {NULL, box, kinds};
    return visit_box(sp, box, in_the_way, &q);
}

bool cor__space_is_free(const cor__space_t *sp, cor_bbox_t box, unsigned kinds)
{
    return sp && !sp->failed && finite_box(box) && !first_hit(sp, box, kinds);
}

bool cor__space_segment_is_free(const cor__space_t *sp, double x0, double y0, double x1, double y1,
                                double half, unsigned kinds)
{
    if (!sp || sp->failed || !isfinite(x0) || !isfinite(y0) || !isfinite(x1) || !isfinite(y1) ||
        !(half >= 0))
        return false;
    entry_t seg = {.seg = true, .x0 = x0, .y0 = y0, .x1 = x1, .y1 = y1, .half = half};
    query_t q = {
        &seg,
        {fmin(x0, x1) - half, fmin(y0, y1) - half, fmax(x0, x1) + half, fmax(y0, y1) + half},
        kinds};
    return !visit_box(sp, q.box, in_the_way, &q);
}

double cor__space_cover(const cor__space_t *sp, cor_bbox_t box, unsigned kinds)
{
    double sum = 0;
    if (!sp || !finite_box(box))
        return HUGE_VAL;
    for (size_t i = 0; i < sp->n; i++) { /* few queries: a scan keeps each entry counted once */
        const entry_t *e = &sp->entries[i];
        if (e->hidden || !(kinds & COR__KIND_BIT(e->kind)) || !entry_hits(e, box))
            continue;
        sum += (fmin(e->box.maxx, box.maxx) - fmax(e->box.minx, box.minx)) *
               (fmin(e->box.maxy, box.maxy) - fmax(e->box.miny, box.miny));
    }
    return sum;
}

/* ---- drops, marks, entries ---- */

bool cor__space_drop(cor__space_t *sp, cor__kind_t kind, const char *text, const char *reason)
{
    if (!sp || sp->failed)
        return false;
    if (!cor__grow((void **)&sp->drops, &sp->drops_cap, sp->ndrops + 1, sizeof *sp->drops))
        return failed(sp);
    drop_t d = {kind, cor__strdup(text ? text : ""), cor__strdup(reason ? reason : "")};
    if (!d.text || !d.reason) {
        free(d.text);
        free(d.reason);
        return failed(sp);
    }
    sp->drops[sp->ndrops++] = d;
    return true;
}

size_t cor__space_count(const cor__space_t *sp)
{
    return sp ? sp->n : 0;
}

size_t cor__space_ndropped(const cor__space_t *sp)
{
    return sp ? sp->ndrops : 0;
}

void cor__space_truncate(cor__space_t *sp, size_t mark, size_t drops)
{
    if (!sp)
        return;
    while (sp->n > mark) {
        size_t id = --sp->n;
        const entry_t *e = &sp->entries[id];
        int x0, y0, x1, y1;
        cell_range(sp, e->box, &x0, &y0, &x1, &y1);
        for (int cy = y0; cy <= y1; cy++)
            for (int cx = x0; cx <= x1; cx++) {
                cell_t *c = cell_at(sp, cx, cy);
                if (c->n && c->ids[c->n - 1] == id)
                    c->n--;
            }
        sp->texts.len = e->texts_mark;
    }
    while (sp->ndrops > drops) {
        drop_t *d = &sp->drops[--sp->ndrops];
        free(d->text);
        free(d->reason);
    }
}

bool cor__space_entry(const cor__space_t *sp, size_t i, cor__kind_t *kind, const char **text,
                      cor_bbox_t *box)
{
    if (!sp || i >= sp->n)
        return false;
    const entry_t *e = &sp->entries[i];
    if (kind)
        *kind = e->kind;
    if (text)
        *text = sp->texts.data + e->text;
    if (box)
        *box = e->box;
    return true;
}

bool cor__space_dropped(const cor__space_t *sp, size_t i, cor__kind_t *kind, const char **text,
                        const char **reason)
{
    if (!sp || i >= sp->ndrops)
        return false;
    if (kind)
        *kind = sp->drops[i].kind;
    if (text)
        *text = sp->drops[i].text;
    if (reason)
        *reason = sp->drops[i].reason;
    return true;
}

bool cor__space_set_hidden(cor__space_t *sp, size_t i, bool hidden)
{
    if (!sp || i >= sp->n)
        return false;
    sp->entries[i].hidden = hidden;
    return true;
}

bool cor__space_hidden(const cor__space_t *sp, size_t i)
{
    return sp && i < sp->n && sp->entries[i].hidden;
}

void cor__space_size(const cor__space_t *sp, double *width, double *height)
{
    *width = sp ? sp->width : 0;
    *height = sp ? sp->height : 0;
}

/* ---- the report ---- */

/* Appends s as a JSON string (UTF-8 kept, control characters escaped). */
static bool json_string(cor__buf_t *b, const char *s)
{
    bool ok = cor__buf_puts(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; ok && *p; p++) {
        if (*p == '"' || *p == '\\')
            ok = cor__buf_printf(b, "\\%c", *p);
        else if (*p < 0x20)
            ok = cor__buf_printf(b, "\\u%04x", *p);
        else
            ok = cor__buf_append(b, p, 1);
    }
    return ok && cor__buf_puts(b, "\"");
}

static bool report_entry(cor__buf_t *b, const cor__space_t *sp, size_t i, bool first)
{
    cor__kind_t kind;
    const char *text;
    cor_bbox_t x;
    cor__space_entry(sp, i, &kind, &text, &x);
    return cor__buf_printf(b, "%s\n    {\"kind\": \"%s\", \"text\": ", first ? "" : ",",
                           cor__kind_name(kind)) &&
           json_string(b, text) &&
           cor__buf_printf(b, ", \"box\": [%.2f, %.2f, %.2f, %.2f]}", x.minx, x.miny, x.maxx,
                           x.maxy);
}

static bool report_drop(cor__buf_t *b, const drop_t *d, bool first)
{
    return cor__buf_printf(b, "%s\n    {\"kind\": \"%s\", \"text\": ", first ? "" : ",",
                           cor__kind_name(d->kind)) &&
           json_string(b, d->text) && cor__buf_puts(b, ", \"reason\": ") &&
           json_string(b, d->reason) && cor__buf_puts(b, "}");
}

bool cor__space_report(const cor__space_t *sp, double dpi, cor__buf_t *out)
{
    if (!sp || !out)
        return false;
    bool ok = cor__buf_printf(out,
                              "{\n  \"page\": {\"width_pt\": %.2f, \"height_pt\": %.2f, \"dpi\": "
                              "%g},\n  \"placed\": [",
                              sp->width, sp->height, dpi);
    bool first = true;
    for (size_t i = 0; ok && i < sp->n; i++) {
        if (sp->entries[i].hidden)
            continue;
        ok = report_entry(out, sp, i, first);
        first = false;
    }
    ok = ok && cor__buf_puts(out, "\n  ],\n  \"dropped\": [");
    for (size_t i = 0; ok && i < sp->ndrops; i++)
        ok = report_drop(out, &sp->drops[i], i == 0);
    return ok && cor__buf_puts(out, "\n  ]\n}\n");
}
