/* SPDX-License-Identifier: MIT */
/* furniture: the layout of what frames a map. It measures every piece once through the piece
 * files (titles, legend, scalebar, inset, graticule), places the corner pieces (explicit corners
 * first, then the free corner covering least of what matters, stacking when none is free),
 * squeezes the title block when the legend fits nowhere, and registers every box with the
 * labeler; drawing replays the pieces. It must not lay out a piece's contents itself. */
#include "furniture.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "furniture_parts.h"
#include "furniture_query.h"
#include "graticule.h"
#include "inset.h"
#include "legend.h"
#include "scalebar.h"
#include "titles.h"
#include "utf8.h"
#include "util.h"

/* The page factor k: the shorter side / REF_SIDE, clamped to K_MIN..K_MAX, so furniture grows
 * with the page, but slower than it. */
#define REF_SIDE 432.0
#define K_MIN    0.8
#define K_MAX    2.0

static double clampd(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static bool text_ok(const char *s)
{
    return !s || cor__utf8_valid(s, strlen(s));
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
    return cor__fparts_box_xywh(x, y, w, h);
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
        if (i != self && placed[i] && cor__fparts_overlap_area(b, l->parts[i].box) > 0)
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
            cost += cor__fparts_overlap_area(b, busy[k]);
        if (cost < best_cost)
            best = corner, best_cost = cost;
    }
    return best;
}

static void place_parts(cor__layout_t *l, const cor_bbox_t *busy, size_t nbusy)
{
    static const int order[3] = {COR__FPART_LEGEND, COR__FPART_INSET, COR__FPART_SCALEBAR};
    double m = COR__FURNITURE_MARGIN * l->k;
    corners_t c = {.left = m, .right = l->width - m};
    bool placed[COR__FPART_COUNT] = {false};
    cor__fpiece_t *title = &l->parts[COR__FPART_TITLE], *credits = &l->parts[COR__FPART_CREDITS];
    double bottom = credits->on ? credits->box.miny - m : l->height - m;
    c.next[COR__CORNER_TOP_LEFT] = c.next[COR__CORNER_TOP_RIGHT] = m;
    c.next[COR__CORNER_BOTTOM_LEFT] = c.next[COR__CORNER_BOTTOM_RIGHT] = bottom;
    if (title->on)
        corner_take(&c, COR__CORNER_TOP_LEFT, title->box, m);
    placed[COR__FPART_TITLE] = title->on;
    placed[COR__FPART_CREDITS] = credits->on;
    for (int pass = 0; pass < 2; pass++) { /* explicit corners first, then automatic ones */
        for (int j = 0; j < 3; j++) {
            cor__fpiece_t *p = &l->parts[order[j]];
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

/* Returns: whether b overlaps one of the n boxes. */
static bool over_any(cor_bbox_t b, const cor_bbox_t *boxes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (cor__fparts_overlap_area(b, boxes[i]) > 0)
            return true;
    return false;
}

/* Registers every piece and graticule label in the labeler's space: furniture goes in first, the
 * scale bar and the north arrow as an entry each. A
 * graticule label over a marker already there, or over one of the story's places (`busy`, whose
 * markers come later, drawn over it), is left out and reported as dropped. */
static void register_obstacles(cor__layout_t *l, cor__labeler_t *lb, const cor_bbox_t *busy,
                               size_t nbusy)
{
    static const cor__kind_t kinds[COR__FPART_COUNT] = {[COR__FPART_TITLE] = COR__KIND_TITLE,
                                                        [COR__FPART_CREDITS] = COR__KIND_CREDITS,
                                                        [COR__FPART_LEGEND] = COR__KIND_LEGEND,
                                                        [COR__FPART_SCALEBAR] = COR__KIND_SCALEBAR,
                                                        [COR__FPART_INSET] = COR__KIND_INSET};
    cor__space_t *sp = cor__labeler_space(lb);
    if (!lb)
        return;
    for (int i = 0; i < COR__FPART_COUNT; i++) {
        const cor__fpiece_t *p = &l->parts[i];
        const char *text = p->texts.n ? p->texts.v[0].text : NULL;
        cor_bbox_t bar, north;
        if (!p->on)
            continue;
        if (i != COR__FPART_SCALEBAR || !cor__scalebar_boxes(l, &bar, &north)) {
            cor__labeler_obstacle(lb, kinds[i], text, p->box);
            continue;
        }
        if (l->has_bar) /* the bar and the north arrow beside it: two entries */
            cor__labeler_obstacle(lb, COR__KIND_SCALEBAR, text, bar);
        if (l->has_north)
            cor__labeler_obstacle(lb, COR__KIND_NORTH_ARROW, "N", north);
    }
    size_t kept = 0;
    for (size_t i = 0; i < l->ticks.n; i++) {
        cor__fitem_t *t = &l->ticks.v[i];
        bool place = over_any(t->box, busy, nbusy);
        if (!place && cor__space_is_free(sp, t->box, COR__KIND_BIT(COR__KIND_MARKER))) {
            cor__labeler_obstacle(lb, COR__KIND_GRATICULE_LABEL, t->text, t->box);
            l->ticks.v[kept++] = *t;
            continue;
        }
        cor__space_drop(sp, COR__KIND_GRATICULE_LABEL, t->text,
                        place ? "over a place of the story" : "over a marker");
        free(t->text);
    }
    l->ticks.n = kept;
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

/* One try at the whole layout but the graticule, at a level of squeezing, with a compact legend
 * (if the page needs one) in `columns` columns. */
static cor_status_t attempt(const cor__furniture_t *f, const cor__frame_t *fr,
                            const cor__legend_entry_t *entries, size_t n, const cor__overlays_t *ov,
                            const cor_bbox_t *busy, size_t nbusy, cor__xform_t *xf, int squeeze,
                            int columns, cor__layout_t **out, cor_error_t *err)
{
    cor__layout_t *l = cor__calloc(1, sizeof *l);
    cor_status_t st = COR_OK;
    if (!l)
        return cor__fail(err, COR_ERR_NOMEM, "out of memory laying out the furniture");
    l->width = fr->width, l->height = fr->height, l->ov = ov, l->squeeze = squeeze,
    l->legend_columns = columns;
    l->dpi = fr->dpi > 0 && isfinite(fr->dpi) ? fr->dpi : 0;
    l->k = clampd(fmin(fr->width, fr->height) / REF_SIDE, K_MIN, K_MAX);
    cor__fparts_init_styles(l);
    if (!cor__titles_build(l, f) || !cor__legend_build(l, f, entries, n))
        st = cor__fail(err, COR_ERR_NOMEM, "out of memory laying out the furniture");
    else
        cor__inset_build(l, f);
    if (st == COR_OK)
        st = cor__scalebar_build(l, f, fr, xf, err);
    if (st != COR_OK) {
        cor__layout_free(l);
        return st;
    }
    place_parts(l, busy, nbusy);
    *out = l;
    return COR_OK;
}

/* What each level of squeezing the title block costs, in pt^2 of the story's places covered (a
 * place is about 28 x 28 pt of `busy`): the subtitle goes only to uncover a place or two. */
static const double SQUEEZE_COST[5] = {0, 800, 1600, 1200, 1400};

/* What a layout costs the map: a legend that fits nowhere beside the title block above all, then
 * how much of `busy` (the story's places) its pieces cover. */
static double layout_cost(const cor__layout_t *l, const cor_bbox_t *busy, size_t nbusy)
{
    double cost = l->legend_clash && l->parts[COR__FPART_TITLE].on ? 1e30 : 0;
    for (int i = 0; i < COR__FPART_COUNT; i++)
        for (size_t k = 0; l->parts[i].on && k < nbusy; k++)
            cost += cor__fparts_overlap_area(l->parts[i].box, busy[k]);
    return cost;
}

/* Lays out; when the legend fits nowhere beside the title block or the pieces cover the story's
 * places, tries again with the title set across the page, then without the subtitle (small
 * pages), across or not; a compact legend in one column, then in two; and keeps the layout that
 * costs least (layout_cost). */
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
    double best_cost = INFINITY;
    for (int columns = 1; columns <= 2; columns++) {
        for (int squeeze = 0; squeeze < 5 && best_cost > 0 && best_cost >= SQUEEZE_COST[squeeze];
             squeeze++) {
            cor__layout_t *t = NULL;
            if ((st = attempt(f, fr, entries, nentries, ov, busy, nbusy, xf, squeeze, columns, &t,
                              err)) != COR_OK)
                goto fail;
            double cost = layout_cost(t, busy, nbusy) + SQUEEZE_COST[squeeze];
            bool compact = t->legend_compact;
            if (cost < best_cost) {
                cor__layout_free(l);
                l = t, best_cost = cost;
            } else {
                cor__layout_free(t);
            }
            if (!compact)
                columns = 2; /* the page needs no compact legend: one column is all there is */
        }
    }
    if (!cor__graticule_build(l, f, fr, xf)) {
        st = cor__fail(err, COR_ERR_NOMEM, "out of memory laying out the graticule");
        goto fail;
    }
    register_obstacles(l, lb, busy, nbusy);
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
        cor__fparts_items_free(&l->parts[i].texts);
    cor__fparts_items_free(&l->ticks);
    free(l->keys);
    cor__geom_free(&l->grat);
    free(l->meta);
    free(l);
}

bool cor__layout_inset_box(const cor__layout_t *l, cor_bbox_t *out)
{
    return cor__layout_box(l, COR__FPART_INSET, out, NULL);
}

/* ---- drawing -------------------------------------------------------------------------------- */

static cor_status_t draw_part_texts(const cor__layout_t *l, cor__fpart_t part, cor__textout_t *to,
                                    cor_error_t *err)
{
    const cor__fpiece_t *p = &l->parts[part];
    return p->on ? cor__fparts_draw_texts(l, &p->texts, p->box.minx, p->box.miny, to, err) : COR_OK;
}

static void draw_shapes(const cor__layout_t *l, cairo_t *cr)
{
    cairo_save(cr);
    cairo_new_path(cr);
    cor__titles_draw(l, cr);
    cor__legend_draw(l, cr);
    cor__scalebar_draw(l, cr);
    cor__inset_draw(l, cr);
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
    if ((st = cor__fparts_cairo_ok(cr, err)) != COR_OK)
        return st;
    for (int i = 0; i < COR__FPART_COUNT; i++) {
        if ((st = draw_part_texts(l, (cor__fpart_t)i, to, err)) != COR_OK)
            return st;
    }
    if ((st = cor__scalebar_draw_letter(l, to, err)) != COR_OK)
        return st;
    return cor__fparts_cairo_ok(cr, err);
}

cor_status_t cor__furniture_draw_graticule(const cor__layout_t *l, cairo_t *cr, cor__textout_t *to,
                                           cor_error_t *err)
{
    cor__textout_t own = {cr, NULL};
    if (!l || !cr)
        return cor__fail(err, COR_ERR_INTERNAL, "furniture: nothing to draw on");
    return cor__graticule_draw(l, cr, to ? to : &own, err);
}
