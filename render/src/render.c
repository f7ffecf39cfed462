/* render: the pipeline that draws a map. Background, then every layer (read only where it
 * touches the page, projected, clipped, simplified, painted in passes so fills never cover
 * outlines and casings stay under strokes), the furniture's layout, the graticule, the overlays,
 * the locator inset, then all labels placed at once by priority, and the furniture on top.
 * It decides the order and where things go; modules do the reading, projecting and drawing. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furniture.h"
#include "geom.h"
#include "label.h"
#include "map_internal.h"
#include "paint.h"
#include "simplestyle.h"
#include "util.h"

#define LABEL_SIZE      7.0  /* pt, when a layer gives none */
#define LABEL_HALO      2.0  /* pt, the halo's stroke width */
#define DENSIFY_DEGREES 0.05 /* longest segment of GeoJSON lines before projecting */
#define INSET_CRS       "EPSG:3035"
#define BUSY_MARGIN     14.0 /* pt around each overlay place, for choosing free corners */

/* One render: the view, where text goes, the labeler, the legend being gathered. */
typedef struct render {
    cor_map_t *map;
    cor__view_t v;
    cairo_t *cr; /* NULL: a dry run */
    cor__textout_t to;
    cor__labeler_t *lb;
    cor__xform_t *from_lonlat; /* lon/lat to the view's CRS; NULL for a raw view */
    cor__legend_entry_t *legend;
    size_t nlegend, cap_legend;
    cor__arena_t arena; /* legend texts and the like, freed with the render */
    struct xf_cache *cache;
    size_t ncache;
} render_t;

/* ---- text styles ---- */

/* Reads label_font words: "bold", "semibold", "italic", "caps"; anything else is a family. */
static void apply_font_words(const char *words, cor__text_style_t *ts, cor__arena_t *arena)
{
    char buf[256], family[256] = "";
    snprintf(buf, sizeof buf, "%s", words);
    for (char *save = NULL, *w = strtok_r(buf, " ,", &save); w; w = strtok_r(NULL, " ,", &save)) {
        if (cor__strcasecmp(w, "bold") == 0)
            ts->weight = 700;
        else if (cor__strcasecmp(w, "semibold") == 0)
            ts->weight = 600;
        else if (cor__strcasecmp(w, "italic") == 0)
            ts->italic = true;
        else if (cor__strcasecmp(w, "caps") == 0)
            ts->upper = true, ts->tracking = 0.08;
        else if (cor__strcasecmp(w, "regular") != 0)
            snprintf(family + strlen(family), sizeof family - strlen(family), "%s%s",
                     family[0] ? " " : "", w);
    }
    if (family[0])
        ts->font = cor__arena_strdup(arena, family);
}

static void default_text_style(const cor_map_t *map, cor__text_style_t *ts)
{
    *ts = (cor__text_style_t){.font = map->style.map.label_font,
                              .size = LABEL_SIZE,
                              .weight = 400,
                              .color = {0.2, 0.19, 0.17, 1},
                              .halo = {1, 1, 1, 0.9},
                              .halo_width = LABEL_HALO};
}

/* ---- layers ---- */

/* A feature ready to paint: page-space geometry and its look, living in the layer's arena. */
typedef struct item {
    cor__geom_t geom;
    cor__look_t look;
} item_t;

typedef struct layer_ctx {
    render_t *r;
    const cor__layer_style_t *ls; /* NULL for the inset's fixed layers */
    cor__look_t base;
    bool (*keep)(const cor__feature_t *f, void *ud); /* a C filter, for the inset */
    void *keep_ud;
    const cor__view_t *view;
    cor__xform_t *xf; /* NULL: coordinates are used as they are */
    bool labels;      /* the layer has a label property */
    cor__geom_t scratch, anchor;
    cor__arena_t arena;
    item_t *items;
    size_t nitems, cap_items;
    bool legend_seen;
} layer_ctx_t;

static bool keep_item(layer_ctx_t *c, const cor__geom_t *g, const cor__look_t *look)
{
    if (!cor__grow((void **)&c->items, &c->cap_items, c->nitems + 1, sizeof *c->items))
        return false;
    item_t *it = &c->items[c->nitems];
    it->look = *look;
    it->geom = (cor__geom_t){.kind = g->kind, .npoints = g->npoints, .nparts = g->nparts};
    it->geom.x = cor__arena_alloc(&c->arena, g->npoints, sizeof(double));
    it->geom.y = cor__arena_alloc(&c->arena, g->npoints, sizeof(double));
    it->geom.parts = cor__arena_alloc(&c->arena, g->nparts + 1, sizeof(size_t));
    if (!it->geom.x || !it->geom.y || !it->geom.parts)
        return false;
    memcpy(it->geom.x, g->x, g->npoints * sizeof(double));
    memcpy(it->geom.y, g->y, g->npoints * sizeof(double));
    memcpy(it->geom.parts, g->parts, (g->nparts + 1) * sizeof(size_t));
    c->nitems++;
    return true;
}

/* Source coordinates -> page points, clipped and simplified, in `g` (already holding a copy). */
static void place_geometry(render_t *r, const cor__view_t *v, cor__xform_t *xf, cor__geom_t *g,
                           bool *nomem)
{
    if (xf) {
        cor__xform_points(xf, false, g->x, g->y, g->npoints);
        r->map->stats.points_unprojected += (long)cor__geom_drop_invalid(g);
    } else {
        cor__geom_drop_invalid(g);
    }
    cor__geom_affine(g, v->scale, -v->box.minx * v->scale, -v->scale, v->box.maxy * v->scale);
    if (!cor__geom_clip(g, v->clip))
        *nomem = true;
    cor__geom_simplify(g, v->tolerance);
}

/* The text a layer's label property gives a feature: a template expanded, or a number. */
static char *label_text(layer_ctx_t *c, const cor__feature_t *f, cor_error_t *err, bool *failed)
{
    cor__pval_t pv = {0};
    char *text = NULL;
    if (cor__style_value(c->ls, COR__P_LABEL, f, cor__script_eval, c->r->map->script, &pv, err) !=
        COR_OK) {
        *failed = true;
        return NULL;
    }
    if (pv.type == COR__PV_STRING)
        text = cor__style_expand(pv.str, f);
    else if (pv.type == COR__PV_NUMBER)
        text = cor__asprintf("%g", pv.num);
    cor__pval_clear(&pv);
    return text;
}

/* Resolves one optional label property into the text style. */
static cor_status_t label_prop(layer_ctx_t *c, const cor__feature_t *f, cor__prop_id_t id,
                               cor__text_style_t *ts, double *priority, cor_error_t *err)
{
    cor__pval_t pv = {0};
    cor_status_t st = cor__style_value(c->ls, id, f, cor__script_eval, c->r->map->script, &pv, err);
    if (st != COR_OK || pv.type == COR__PV_NIL)
        goto done;
    if (id == COR__P_LABEL_SIZE && pv.type == COR__PV_NUMBER && pv.num > 0)
        ts->size = pv.num;
    else if (id == COR__P_HALO_WIDTH && pv.type == COR__PV_NUMBER)
        ts->halo_width = pv.num;
    else if (id == COR__P_PRIORITY && pv.type == COR__PV_NUMBER)
        *priority = pv.num;
    else if (id == COR__P_LABEL_FONT && pv.type == COR__PV_STRING)
        apply_font_words(pv.str, ts, &c->r->arena);
    else if ((id == COR__P_LABEL_COLOR || id == COR__P_HALO) && pv.type == COR__PV_STRING)
        cor_color_parse(pv.str, id == COR__P_HALO ? &ts->halo : &ts->color);
    else if (id == COR__P_HALO && pv.type == COR__PV_BOOL && !pv.b)
        ts->halo.a = 0;
done:
    cor__pval_clear(&pv);
    return st;
}

/* The longest part of a line geometry, for a label along it. */
static size_t longest_part(const cor__geom_t *g)
{
    size_t best = 0;
    double best_len = -1;
    for (size_t p = 0; p < g->nparts; p++) {
        double len = 0;
        for (size_t i = g->parts[p] + 1; i < g->parts[p + 1]; i++)
            len += hypot(g->x[i] - g->x[i - 1], g->y[i] - g->y[i - 1]);
        if (len > best_len)
            best_len = len, best = p;
    }
    return best;
}

/* A polygon's label goes inside the part of it on the page. A coarse copy of the outline finds
 * the same deep points far faster than the full one. */
static cor_status_t add_area_label(layer_ctx_t *c, const char *text, const cor__geom_t *g,
                                   const cor__text_style_t *ts, double priority, cor_error_t *err)
{
    double xs[12], ys[12];
    const cor__view_t *v = c->view;
    if (!cor__geom_copy(&c->anchor, g) ||
        !cor__geom_clip(&c->anchor, (cor_bbox_t){0, 0, v->width, v->height}))
        return cor__fail(err, COR_ERR_NOMEM, "out of memory");
    cor__geom_simplify(&c->anchor, fmax(v->width, v->height) / 300);
    size_t n = cor__geom_interior_points(&c->anchor, xs, ys, COR__ARRAY_LEN(xs));
    return n ? cor__labeler_add_area_at(c->r->lb, text, xs, ys, n, ts, priority, err) : COR_OK;
}

/* Hands a feature's label to the labeler, anchored by the geometry's kind. */
static cor_status_t add_label(layer_ctx_t *c, const cor__feature_t *f, const cor__geom_t *g,
                              const cor__look_t *look, cor_error_t *err)
{
    bool failed = false;
    char *text = label_text(c, f, err, &failed);
    cor_status_t st = failed ? err->code : COR_OK;
    cor__text_style_t ts;
    double priority = 0;
    default_text_style(c->r->map, &ts);
    static const cor__prop_id_t props[] = {COR__P_LABEL_SIZE, COR__P_LABEL_COLOR, COR__P_LABEL_FONT,
                                           COR__P_HALO,       COR__P_HALO_WIDTH,  COR__P_PRIORITY};
    for (size_t i = 0; st == COR_OK && text && *text && i < COR__ARRAY_LEN(props); i++)
        st = label_prop(c, f, props[i], &ts, &priority, err);
    if (st != COR_OK || !text || !*text || !c->r->lb)
        goto done;
    if (g->kind == COR__GEOM_POINT) {
        double r = look->marker != COR__MARKER_NONE ? look->size / 2 : 0;
        st = cor__labeler_add_point(c->r->lb, text, g->x[0], g->y[0], r, &ts, priority, err);
    } else if (g->kind == COR__GEOM_POLYGON) {
        st = add_area_label(c, text, g, &ts, priority, err);
    } else {
        size_t p = longest_part(g), a = g->parts[p];
        st = cor__labeler_add_line_at(c->r->lb, text, g->x + a, g->y + a, g->parts[p + 1] - a, &ts,
                                      look->width / 2 + ts.size * 0.6, priority, err);
    }
done:
    free(text);
    return st;
}

/* Keeps the look of a layer's first drawn feature for its legend entry. */
static cor_status_t note_legend(render_t *r, const char *text, cor__geom_kind_t kind,
                                const cor__look_t *look, const cor__overlay_t *ov)
{
    if (!cor__grow((void **)&r->legend, &r->cap_legend, r->nlegend + 1, sizeof *r->legend))
        return COR_ERR_NOMEM;
    r->legend[r->nlegend++] =
        (cor__legend_entry_t){.text = text, .overlay = ov, .kind = kind, .look = *look};
    return COR_OK;
}

static cor_status_t on_feature(const cor__feature_t *f, void *ud, cor_error_t *err)
{
    layer_ctx_t *c = ud;
    cor__look_t look = c->base;
    bool visible = true, nomem = false;
    c->r->map->stats.features_read++;
    if (c->keep && !c->keep(f, c->keep_ud))
        return COR_OK;
    cor_status_t st = c->ls ? cor__style_resolve(c->ls, &c->base, f, cor__script_eval,
                                                 c->r->map->script, &look, &visible, err)
                            : COR_OK;
    if (st != COR_OK || !visible)
        return st;
    if (!cor__geom_copy(&c->scratch, f->geom))
        return cor__fail(err, COR_ERR_NOMEM, "out of memory drawing feature %ld", f->id);
    place_geometry(c->r, c->view, c->xf, &c->scratch, &nomem);
    if (nomem)
        return cor__fail(err, COR_ERR_NOMEM, "out of memory drawing feature %ld", f->id);
    if (c->scratch.npoints == 0)
        return COR_OK;
    if (!keep_item(c, &c->scratch, &look))
        return cor__fail(err, COR_ERR_NOMEM, "out of memory drawing feature %ld", f->id);
    c->r->map->stats.features_drawn++;
    if (c->ls && c->ls->legend && !c->legend_seen) {
        c->legend_seen = true;
        if (note_legend(c->r, c->ls->legend, c->scratch.kind, &look, NULL) != COR_OK)
            return cor__fail(err, COR_ERR_NOMEM, "out of memory");
    }
    return c->labels ? add_label(c, f, &c->scratch, &look, err) : COR_OK;
}

/* Paints the layer's items in passes: fills, casings, strokes, markers. */
static void paint_items(cairo_t *cr, const layer_ctx_t *c)
{
    for (size_t i = 0; i < c->nitems; i++)
        if (c->items[i].geom.kind == COR__GEOM_POLYGON)
            cor__paint_fill(cr, &c->items[i].geom, &c->items[i].look);
    for (size_t i = 0; i < c->nitems; i++)
        if (c->items[i].geom.kind != COR__GEOM_POINT)
            cor__paint_stroke(cr, &c->items[i].geom, &c->items[i].look, true);
    for (size_t i = 0; i < c->nitems; i++)
        if (c->items[i].geom.kind != COR__GEOM_POINT)
            cor__paint_stroke(cr, &c->items[i].geom, &c->items[i].look, false);
    for (size_t i = 0; i < c->nitems; i++)
        if (c->items[i].geom.kind == COR__GEOM_POINT)
            cor__paint_markers(cr, &c->items[i].geom, &c->items[i].look);
}

/* The transformation from a source's CRS to a view, and the part of the source to read, made
 * once per distinct .prj and view in a render: PROJ's set-up is the costly part. */
typedef struct xf_cache {
    const char *prj; /* the source's .prj text, "" when it has none */
    bool has_crs;    /* without a .prj, a source is lon/lat or raw coordinates */
    const cor__view_t *view;
    cor__xform_t *xf; /* NULL: coordinates are used as they are */
    bool whole;       /* the page's box cannot be transformed back: read everything */
    cor_bbox_t query;
} xf_cache_t;

#define XF_CACHE 16

static cor_status_t make_xform(cor_map_t *map, const cor__view_t *v, const cor__source_t *s,
                               cor__xform_t **out, cor_error_t *err)
{
    *out = NULL;
    if (!v->crs)
        return COR_OK;
    if (!s->crs)
        return cor__fail(err, COR_ERR_CRS,
                         "%s: no .prj and coordinates that are not longitude/latitude: cannot "
                         "place it on a map in %s",
                         s->path, cor__crs_name(v->crs));
    cor_status_t st = cor__xform_new(map->proj, s->crs, v->crs, out, err);
    if (st == COR_OK && cor__xform_is_identity(*out)) {
        cor__xform_free(*out);
        *out = NULL;
    }
    return st;
}

/* The part of the source to read: the page's box in the source's coordinates, a little wider.
 * false (read everything) when the box cannot be transformed back. */
static bool query_box(const cor__view_t *v, cor__xform_t *xf, cor_bbox_t *buf)
{
    if (!xf)
        *buf = v->box;
    else if (cor__xform_bbox(xf, true, v->box, buf, NULL) != COR_OK)
        return false;
    double mx = (buf->maxx - buf->minx) * 0.01, my = (buf->maxy - buf->miny) * 0.01;
    buf->minx -= mx, buf->maxx += mx, buf->miny -= my, buf->maxy += my;
    return true;
}

/* Finds or makes the cache entry for source s in view v. */
static cor_status_t layer_xform(render_t *r, const cor__view_t *v, const cor__source_t *s,
                                const xf_cache_t **out, cor_error_t *err)
{
    const char *prj = cor__shp_prj(s->shp) ? cor__shp_prj(s->shp) : "";
    xf_cache_t fresh = {.prj = prj, .has_crs = s->crs != NULL, .view = v};
    for (size_t i = 0; i < r->ncache; i++)
        if (r->cache[i].view == v && r->cache[i].has_crs == fresh.has_crs &&
            strcmp(r->cache[i].prj, prj) == 0) {
            *out = &r->cache[i];
            return COR_OK;
        }
    cor_status_t st = make_xform(r->map, v, s, &fresh.xf, err);
    if (st != COR_OK)
        return st;
    fresh.whole = !query_box(v, fresh.xf, &fresh.query);
    if (r->ncache == XF_CACHE) { /* full: forget the oldest */
        cor__xform_free(r->cache[0].xf);
        memmove(r->cache, r->cache + 1, (XF_CACHE - 1) * sizeof *r->cache);
        r->ncache--;
    }
    r->cache[r->ncache] = fresh;
    *out = &r->cache[r->ncache++];
    return COR_OK;
}

/* Reads, places and paints one source in `view`, through `c` (ls, base, keep already set). */
static cor_status_t draw_source(render_t *r, const cor__view_t *view, cor__source_t *s,
                                layer_ctx_t *c, cor_error_t *err)
{
    c->r = r;
    c->view = view;
    const xf_cache_t *xc = NULL;
    cor_status_t st = layer_xform(r, view, s, &xc, err);
    if (st != COR_OK)
        return st;
    c->xf = xc->xf;
    st = cor__shp_each(s->shp, xc->whole ? NULL : &xc->query, on_feature, c, err);
    if (st == COR_OK && r->cr) {
        paint_items(r->cr, c);
        if (cairo_status(r->cr) != CAIRO_STATUS_SUCCESS)
            st = cor__fail(err, COR_ERR_RENDER, "%s: drawing failed: %s", s->path,
                           cairo_status_to_string(cairo_status(r->cr)));
    }
    cor__geom_free(&c->scratch);
    cor__geom_free(&c->anchor);
    cor__arena_free(&c->arena);
    free(c->items);
    return st;
}

static cor_status_t draw_layer(render_t *r, const cor__layer_style_t *ls, cor_error_t *err)
{
    cor__source_t *s = NULL;
    if (cor__overlays_group_hidden(&r->map->overlays, ls->group))
        return COR_OK;
    cor_status_t st = cor__map_layer_source(r->map, ls, &s, err);
    if (st != COR_OK)
        return st;
    cor__geom_kind_t kind = cor__shp_kind(s->shp);
    if (kind == COR__GEOM_NONE && cor__shp_count(s->shp) == cor__shp_null_count(s->shp))
        return COR_OK; /* nothing but null shapes */
    layer_ctx_t c = {.ls = ls, .labels = ls->props[COR__P_LABEL].set};
    cor__look_default(kind, cor__map_is_quick(ls) ? -ls->line - 1 : 0, &c.base);
    return draw_source(r, &r->v, s, &c, err);
}

/* ---- overlays ---- */

typedef struct page_ctx {
    cor__xform_t *xf; /* lon/lat to the view's CRS; NULL: raw view, lon/lat used as they are */
    const cor__view_t *v;
} page_ctx_t;

static bool to_page(void *ud, double lon, double lat, double *x, double *y)
{
    page_ctx_t *p = ud;
    double px = lon, py = lat;
    if (p->xf && cor__xform_points(p->xf, false, &px, &py, 1) != 0)
        return false;
    *x = (px - p->v->box.minx) * p->v->scale;
    *y = (p->v->box.maxy - py) * p->v->scale;
    return isfinite(*x) && isfinite(*y);
}

static bool overlays_name_places(const cor__overlays_t *o)
{
    for (size_t i = 0; i < o->n; i++) {
        const cor__overlay_t *ov = &o->items[i];
        for (size_t k = 0; k < ov->nplaces; k++)
            if (ov->places[k].name)
                return true;
        if (ov->has_cut && ov->cut.name)
            return true;
    }
    return false;
}

/* Turns the overlays' place names into coordinates (loading the gazetteer once). */
static cor_status_t resolve_overlays(cor_map_t *map, cor_error_t *err)
{
    if (!overlays_name_places(&map->overlays))
        return COR_OK;
    if (!map->gazetteer) {
        const char *dir;
        cor_status_t st = cor__map_data_dir(map, &dir, err);
        if (st == COR_OK)
            st = cor__gazetteer_new(&map->gazetteer, err);
        if (st == COR_OK)
            st = cor__gazetteer_load_default(map->gazetteer, dir, err);
        if (st != COR_OK) {
            cor__gazetteer_free(map->gazetteer);
            map->gazetteer = NULL;
            return st;
        }
    }
    return cor__overlays_resolve(&map->overlays, map->gazetteer, err);
}

/* Boxes around the overlays' places: what an automatic corner should leave uncovered. */
static size_t busy_boxes(render_t *r, cor_bbox_t **out)
{
    const cor__overlays_t *o = &r->map->overlays;
    page_ctx_t pc = {r->from_lonlat, &r->v};
    size_t n = 0, cap = 0;
    *out = NULL;
    for (size_t i = 0; i < o->n; i++) {
        const cor__overlay_t *ov = &o->items[i];
        for (size_t k = 0; cor__overlay_visible(o, ov) && k < ov->nplaces; k++) {
            double x, y;
            if (!ov->places[k].resolved ||
                !to_page(&pc, ov->places[k].lon, ov->places[k].lat, &x, &y) ||
                !cor__grow((void **)out, &cap, n + 1, sizeof **out))
                continue;
            (*out)[n++] =
                (cor_bbox_t){x - BUSY_MARGIN, y - BUSY_MARGIN, x + BUSY_MARGIN, y + BUSY_MARGIN};
        }
    }
    return n;
}

static cor_status_t draw_overlays(render_t *r, cor_error_t *err)
{
    const cor__overlays_t *o = &r->map->overlays;
    if (o->n == 0 || !r->cr)
        return COR_OK;
    page_ctx_t pc = {r->from_lonlat, &r->v};
    size_t skipped = 0;
    return cor__overlays_draw_to(o, &r->to, to_page, &pc, r->lb, &skipped, err);
}

/* ---- GeoJSON overlays ---- */

typedef struct json_ctx {
    render_t *r;
    const char *path;
    cor__geom_t g;
} json_ctx_t;

/* lon/lat parts densified so long segments curve with the projection. */
static bool densify_into(const cor__geom_t *src, cor__geom_t *dst)
{
    cor__geom_clear(dst);
    dst->kind = src->kind;
    for (size_t p = 0; p < src->nparts; p++) {
        size_t a = src->parts[p], n = src->parts[p + 1] - a, on = 0;
        double *ox = NULL, *oy = NULL;
        bool ok = src->kind == COR__GEOM_POINT
                      ? cor__geom_add_part(dst, src->x + a, src->y + a, n)
                      : cor__densify(src->x + a, src->y + a, n, DENSIFY_DEGREES, &ox, &oy, &on) &&
                            cor__geom_add_part(dst, ox, oy, on);
        free(ox);
        free(oy);
        if (!ok)
            return false;
    }
    return true;
}

static cor_status_t json_label(json_ctx_t *c, const char *label, const cor__geom_t *g,
                               const cor__look_t *look, cor_error_t *err)
{
    cor__text_style_t ts;
    double x, y;
    default_text_style(c->r->map, &ts);
    ts.weight = 600;
    if (g->kind == COR__GEOM_POINT)
        return cor__labeler_add_point(c->r->lb, label, g->x[0], g->y[0], look->size / 2, &ts,
                                      COR__OV_PRIORITY / 2, err);
    if (g->kind == COR__GEOM_LINE) {
        size_t p = longest_part(g), a = g->parts[p];
        return cor__labeler_add_line_at(c->r->lb, label, g->x + a, g->y + a, g->parts[p + 1] - a,
                                        &ts, look->width / 2 + 4, COR__OV_PRIORITY / 2, err);
    }
    if (cor__geom_interior_point(g, &x, &y))
        return cor__labeler_add_area(c->r->lb, label, x, y, &ts, COR__OV_PRIORITY / 2, err);
    return COR_OK;
}

static cor_status_t on_json_feature(const cor__feature_t *f, void *ud, cor_error_t *err)
{
    json_ctx_t *c = ud;
    cor__look_t look;
    char *label = NULL;
    bool nomem = false;
    cor_status_t st = cor__simplestyle_look(f, f->geom->kind, &look, &label, err);
    if (st != COR_OK) {
        cor__error_prefix(err, "%s", c->path);
        return st;
    }
    if (!densify_into(f->geom, &c->g)) {
        free(label);
        return cor__fail(err, COR_ERR_NOMEM, "out of memory");
    }
    place_geometry(c->r, &c->r->v, c->r->from_lonlat, &c->g, &nomem);
    if (!nomem && c->g.npoints && c->r->cr) {
        if (c->g.kind == COR__GEOM_POLYGON)
            cor__paint_fill(c->r->cr, &c->g, &look);
        if (c->g.kind == COR__GEOM_POINT)
            cor__paint_markers(c->r->cr, &c->g, &look);
        else
            cor__paint_stroke(c->r->cr, &c->g, &look, false);
    }
    if (!nomem && c->g.npoints && label && c->r->lb)
        st = json_label(c, label, &c->g, &look, err);
    free(label);
    return nomem ? cor__fail(err, COR_ERR_NOMEM, "out of memory") : st;
}

static cor_status_t draw_json_overlay(render_t *r, size_t i, cor_error_t *err)
{
    json_ctx_t c = {.r = r, .path = r->map->json[i].path};
    cor_status_t st = cor__json_each(r->map->json[i].json, on_json_feature, &c, err);
    cor__geom_free(&c.g);
    return st;
}

/* Script overlays and GeoJSON files in the order they were added: each GeoJSON file is drawn
 * after the script overlays declared before it and under those declared after it. */
static cor_status_t draw_all_overlays(render_t *r, cor_error_t *err)
{
    cor__overlays_t *o = &r->map->overlays;
    size_t from = 0;
    cor_status_t st = COR_OK;
    for (size_t i = 0; st == COR_OK && i <= r->map->njson; i++) {
        size_t to = i < r->map->njson ? r->map->json[i].after : o->n;
        if (to > from) {
            o->draw_from = from, o->draw_to = to;
            st = draw_overlays(r, err);
            from = to;
        }
        if (st == COR_OK && i < r->map->njson)
            st = draw_json_overlay(r, i, err);
    }
    o->draw_from = o->draw_to = 0;
    return st;
}

/* ---- furniture and the inset ---- */

static cor__corner_t corner_of(const char *name, cor__corner_t fallback)
{
    cor__corner_t c;
    return name && cor__corner_parse(name, &c) ? c : fallback;
}

static void furniture_settings(const cor_map_t *map, cor__furniture_t *f)
{
    const cor__mapdef_t *m = &map->style.map;
    bool styled = map->style.path != NULL; /* quick looks get a bare map */
    *f = (cor__furniture_t){
        .title = m->title,
        .subtitle = m->subtitle,
        .credits = m->credits,
        .date = m->date,
        .graticule = m->has_graticule ? m->graticule : -1,
        .scalebar = corner_of(m->scalebar, styled ? COR__CORNER_AUTO : COR__CORNER_NONE),
        .north_arrow = m->has_north_arrow && m->north_arrow,
        .legend = corner_of(m->legend, COR__CORNER_AUTO),
        .legend_title = m->legend_title,
        .flow_unit = m->flow_unit,
        .inset = corner_of(m->inset, COR__CORNER_NONE),
        .inset_width = m->inset_width,
    };
}

static cor_status_t overlay_legend(render_t *r)
{
    const cor__overlays_t *o = &r->map->overlays;
    for (size_t i = 0; i < o->n; i++) {
        const cor__overlay_t *ov = &o->items[i];
        if (!ov->legend || !cor__overlay_visible(o, ov))
            continue;
        const char *note = cor__overlay_note(ov);
        char *text = cor__arena_alloc(&r->arena, strlen(ov->legend) + strlen(note) + 1, 1);
        if (!text)
            return COR_ERR_NOMEM;
        strcat(strcpy(text, ov->legend), note);
        if (note_legend(r, text, COR__GEOM_NONE, &ov->look, ov) != COR_OK)
            return COR_ERR_NOMEM;
    }
    return COR_OK;
}

static cor_status_t layout_furniture(render_t *r, cor__layout_t **out, cor_error_t *err)
{
    cor__furniture_t f;
    cor_bbox_t *busy = NULL;
    furniture_settings(r->map, &f);
    if (!r->v.crs) {
        f.graticule = -1; /* raw coordinates: no degrees, no scale */
        f.scalebar = COR__CORNER_NONE;
        f.north_arrow = false;
    }
    if (overlay_legend(r) != COR_OK)
        return cor__fail(err, COR_ERR_NOMEM, "out of memory");
    cor__frame_t fr = {r->v.width, r->v.height, r->v.dpi,  r->map->proj,
                       r->v.crs,   r->v.box,    r->v.scale};
    size_t nbusy = busy_boxes(r, &busy);
    cor_status_t st = cor__furniture_layout(&f, &fr, r->legend, r->nlegend, &r->map->overlays, busy,
                                            nbusy, r->lb, out, err);
    free(busy);
    return st;
}

typedef struct inset_filter {
    char **codes;
    size_t n;
} inset_filter_t;

static bool in_highlight(const cor__feature_t *f, void *ud)
{
    const inset_filter_t *h = ud;
    const cor__attr_t *iso = cor__feature_get(f, "iso_a2");
    for (size_t i = 0; iso && iso->type == COR__ATTR_STRING && i < h->n; i++)
        if (strcmp(iso->str, h->codes[i]) == 0)
            return true;
    return false;
}

/* Draws one of the inset's shipped layers with a fixed look. */
static cor_status_t inset_layer(render_t *r, const cor__view_t *iv, const char *name,
                                const cor__look_t *look, inset_filter_t *keep, cor_error_t *err)
{
    const char *dir;
    cor__source_t *s = NULL;
    cor_status_t st = cor__map_data_dir(r->map, &dir, err);
    char *rel = cor__asprintf("geodata/%s.shp", name),
         *path = rel ? cor__path_join(dir, rel) : NULL;
    if (st == COR_OK && !path)
        st = cor__fail(err, COR_ERR_NOMEM, "out of memory");
    if (st == COR_OK)
        st = cor__map_open_source(r->map, path, &s, err);
    free(rel);
    free(path);
    if (st != COR_OK)
        return st;
    layer_ctx_t c = {.base = *look, .keep = keep ? in_highlight : NULL, .keep_ud = keep};
    return draw_source(r, iv, s, &c, err);
}

static cor__look_t solid(unsigned fill, unsigned stroke, double width)
{
    cor__look_t l = {.opacity = 1, .width = width, .join = COR__JOIN_ROUND};
    if (fill != 0xFFFFFFFFu)
        l.fill_on = true, l.fill = (cor_color_t){(fill >> 16) / 255.0, ((fill >> 8) & 255) / 255.0,
                                                 (fill & 255) / 255.0, 1};
    if (stroke != 0xFFFFFFFFu)
        l.stroke_on = true,
        l.stroke = (cor_color_t){(stroke >> 16) / 255.0, ((stroke >> 8) & 255) / 255.0,
                                 (stroke & 255) / 255.0, 1};
    return l;
}

/* The main map's page outline, traced in the inset's page coordinates. */
static void inset_outline(render_t *r, const cor__view_t *iv, cor__xform_t *to_lonlat,
                          cor__xform_t *to_inset)
{
    enum { STEPS = 40 };
    double x[4 * STEPS + 1], y[4 * STEPS + 1];
    const cor_bbox_t b = r->v.box;
    for (int i = 0; i <= 4 * STEPS; i++) {
        int side = i / STEPS % 4;
        double t = (double)(i % STEPS) / STEPS;
        x[i] = side == 0   ? b.minx + t * (b.maxx - b.minx)
               : side == 1 ? b.maxx
               : side == 2 ? b.maxx - t * (b.maxx - b.minx)
                           : b.minx;
        y[i] = side == 0   ? b.miny
               : side == 1 ? b.miny + t * (b.maxy - b.miny)
               : side == 2 ? b.maxy
                           : b.maxy - t * (b.maxy - b.miny);
    }
    x[4 * STEPS] = x[0], y[4 * STEPS] = y[0];
    cor__xform_points(to_lonlat, false, x, y, 4 * STEPS + 1);
    cor__xform_points(to_inset, false, x, y, 4 * STEPS + 1);
    cor__geom_t g = {.kind = COR__GEOM_LINE};
    if (cor__geom_add_part(&g, x, y, 4 * STEPS + 1)) {
        cor__geom_drop_invalid(&g);
        cor__geom_affine(&g, iv->scale, -iv->box.minx * iv->scale, -iv->scale,
                         iv->box.maxy * iv->scale);
        cor__look_t look = solid(0xFFFFFFFFu, 0xC0392B, 1.0);
        cor__paint_stroke(r->cr, &g, &look, false);
    }
    cor__geom_free(&g);
}

/* The inset's view: its CRS and extent fitted into the box. */
static cor_status_t inset_view(render_t *r, cor_bbox_t box, cor__view_t *iv, cor_error_t *err)
{
    const cor__mapdef_t *m = &r->map->style.map;
    cor_bbox_t ext = m->has_inset_extent ? m->inset_extent : (cor_bbox_t){-10, 34, 50, 66};
    cor__crs_t *lonlat = NULL;
    cor__xform_t *xf = NULL;
    cor_bbox_t area;
    *iv =
        (cor__view_t){.width = box.maxx - box.minx, .height = box.maxy - box.miny, .dpi = r->v.dpi};
    cor_status_t st =
        cor__crs_new(r->map->proj, m->inset_crs ? m->inset_crs : INSET_CRS, &iv->crs, err);
    if (st == COR_OK)
        st = cor__crs_lonlat(r->map->proj, &lonlat, err);
    if (st == COR_OK)
        st = cor__xform_new(r->map->proj, lonlat, iv->crs, &xf, err);
    if (st == COR_OK)
        st = cor__xform_bbox(xf, false, ext, &area, err);
    if (st == COR_OK)
        cor__view_fit(iv, area);
    cor__xform_free(xf);
    cor__crs_free(lonlat);
    return st;
}

static cor_status_t draw_inset(render_t *r, const cor__layout_t *layout, cor_error_t *err)
{
    cor_bbox_t box;
    cor__view_t iv = {0};
    if (!r->cr || !r->v.crs || !cor__layout_inset_box(layout, &box))
        return COR_OK;
    const cor__mapdef_t *m = &r->map->style.map;
    static char *focus[] = {"BY", "LT", "UA"};
    inset_filter_t hl = {m->has_inset_highlight ? m->inset_highlight : focus,
                         m->has_inset_highlight ? m->ninset_highlight : 3};
    cor__look_t land = solid(0xDEDAD1, 0xFFFFFFFFu, 0),
                borders = solid(0xFFFFFFFFu, 0xFFFFFF, 0.35),
                mark = solid(0xE8A33D, 0xFFFFFFFFu, 0);
    cor__xform_t *to_lonlat = NULL, *to_inset = NULL;
    cor__crs_t *lonlat = NULL;
    cor_status_t st = inset_view(r, box, &iv, err);
    if (st != COR_OK)
        goto done;
    cairo_save(r->cr);
    cairo_translate(r->cr, box.minx, box.miny);
    cairo_rectangle(r->cr, 0, 0, iv.width, iv.height);
    cairo_clip(r->cr);
    cairo_set_source_rgb(r->cr, 0.82, 0.89, 0.94);
    cairo_paint(r->cr);
    cor__labeler_t *lb = r->lb;
    r->lb = NULL; /* nothing in the inset is labelled */
    st = inset_layer(r, &iv, "europe_land", &land, NULL, err);
    if (st == COR_OK && hl.n)
        st = inset_layer(r, &iv, "countries", &mark, &hl, err);
    if (st == COR_OK)
        st = inset_layer(r, &iv, "europe_borders", &borders, NULL, err);
    if (st == COR_OK)
        st = cor__crs_lonlat(r->map->proj, &lonlat, err);
    if (st == COR_OK)
        st = cor__xform_new(r->map->proj, r->v.crs, lonlat, &to_lonlat, err);
    if (st == COR_OK)
        st = cor__xform_new(r->map->proj, lonlat, iv.crs, &to_inset, err);
    if (st == COR_OK)
        inset_outline(r, &iv, to_lonlat, to_inset);
    r->lb = lb;
    cairo_restore(r->cr);
done:
    cor__xform_free(to_lonlat);
    cor__xform_free(to_inset);
    cor__crs_free(lonlat);
    cor__crs_free(iv.crs);
    return st;
}

/* ---- the pipeline ---- */

static void paint_background(render_t *r)
{
    cor_color_t bg = {1, 1, 1, 1};
    if (r->map->style.map.has_background)
        bg = r->map->style.map.background;
    cairo_save(r->cr);
    cairo_rectangle(r->cr, 0, 0, r->v.width, r->v.height);
    cairo_set_source_rgba(r->cr, bg.r, bg.g, bg.b, bg.a);
    cairo_fill(r->cr);
    cairo_restore(r->cr);
}

static cor_status_t lonlat_xform(render_t *r, cor_error_t *err)
{
    cor__crs_t *lonlat = NULL;
    if (!r->v.crs)
        return COR_OK;
    cor_status_t st = cor__crs_lonlat(r->map->proj, &lonlat, err);
    if (st == COR_OK)
        st = cor__xform_new(r->map->proj, lonlat, r->v.crs, &r->from_lonlat, err);
    cor__crs_free(lonlat);
    return st;
}

/* Remembers where the labels went (every glyph box of a line label), for tests. */
static void keep_label_boxes(cor_map_t *map, const cor__labeler_t *lb)
{
    const cor_bbox_t *boxes;
    const char *text;
    size_t nb, cap = 0;
    free(map->label_boxes);
    map->label_boxes = NULL;
    map->nlabel_boxes = 0;
    for (size_t i = 0; cor__labeler_placed(lb, i, &text, &boxes, &nb); i++) {
        if (!cor__grow((void **)&map->label_boxes, &cap, map->nlabel_boxes + nb,
                       sizeof *map->label_boxes))
            return;
        for (size_t k = 0; k < nb; k++)
            map->label_boxes[map->nlabel_boxes++] = (cor__placed_t){boxes[k], i};
    }
}

/* Everything from the first layer to the furniture, on a page already clipped. */
static cor_status_t draw_map(render_t *r, cor_error_t *err)
{
    cor_map_t *map = r->map;
    cor__layout_t *layout = NULL;
    cor_status_t st = COR_OK;
    if (r->cr)
        paint_background(r);
    for (size_t i = 0; st == COR_OK && i < map->style.nlayers; i++)
        st = draw_layer(r, &map->style.layers[i], err);
    if (st == COR_OK && r->cr)
        st = layout_furniture(r, &layout, err);
    if (st == COR_OK && layout)
        st = cor__furniture_draw_graticule(layout, r->cr, &r->to, err);
    if (st == COR_OK)
        st = draw_all_overlays(r, err);
    if (st == COR_OK && layout)
        st = draw_inset(r, layout, err);
    if (st == COR_OK && r->lb) {
        cor__labeler_place(r->lb);
        cor__labeler_counts(r->lb, &map->stats.labels_placed, &map->stats.labels_dropped);
        keep_label_boxes(map, r->lb);
        st = cor__labeler_draw(r->lb, &r->to, err);
    }
    if (st == COR_OK && layout)
        st = cor__furniture_draw(layout, r->cr, &r->to, err);
    if (st == COR_OK && r->cr && cairo_status(r->cr) != CAIRO_STATUS_SUCCESS)
        st = cor__fail(err, COR_ERR_RENDER, "drawing failed: %s",
                       cairo_status_to_string(cairo_status(r->cr)));
    cor__layout_free(layout);
    return st;
}

static void copy_flow_widths(cor_map_t *map)
{
    const cor__mapdef_t *m = &map->style.map;
    if (m->has_flow_max_width)
        map->overlays.flow_max_width = m->flow_max_width;
    if (m->has_flow_min_width)
        map->overlays.flow_min_width = m->flow_min_width;
}

cor_status_t cor__map_render(cor_map_t *map, cairo_t *cr, cor__buf_t *svg, cor_error_t *err)
{
    render_t r = {.map = map, .cr = cr, .to = {cr, svg}};
    memset(&map->stats, 0, sizeof map->stats);
    if (map->style.nlayers == 0 && map->overlays.n == 0 && map->njson == 0)
        return cor__fail(err, COR_ERR_USAGE, "nothing to draw: no style and no layers");
    cor__style_sort(&map->style);
    copy_flow_widths(map);
    cor__map_page(map, &r.v.width, &r.v.height, &r.v.dpi);
    cor_status_t st = cor__map_view(map, &r.v, err);
    if (st == COR_OK)
        st = lonlat_xform(&r, err);
    if (st == COR_OK)
        st = resolve_overlays(map, err);
    if (st == COR_OK && !(r.cache = cor__calloc(XF_CACHE, sizeof *r.cache)))
        st = cor__fail(err, COR_ERR_NOMEM, "out of memory");
    if (st == COR_OK && cr)
        st = cor__labeler_new(r.v.width, r.v.height, &r.lb, err);
    if (st == COR_OK && cr) {
        cairo_save(cr);
        cairo_rectangle(cr, 0, 0, r.v.width, r.v.height);
        cairo_clip(cr);
        st = draw_map(&r, err);
        cairo_restore(cr);
    } else if (st == COR_OK) {
        st = draw_map(&r, err);
    }
    for (size_t i = 0; i < r.ncache; i++)
        cor__xform_free(r.cache[i].xf);
    free(r.cache);
    cor__labeler_free(r.lb);
    cor__xform_free(r.from_lonlat);
    cor__crs_free(r.v.crs);
    free(r.legend);
    cor__arena_free(&r.arena);
    return st;
}
