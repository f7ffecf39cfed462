/* SPDX-License-Identifier: MIT */
/* render_layer: one source drawn into one view, for the pipeline and the inset: a shapefile
 * layer through its style (filter, per-feature looks, labels, its legend entry), a shapefile with
 * a fixed look and a C filter, or a GeoJSON overlay with its simplestyle looks. Features are read
 * only where they touch the view, projected, clipped, simplified and painted in passes. It does
 * not decide what is drawn, or in which order: render.c does. */
#include "render_layer.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geom.h"
#include "paint.h"
#include "simplestyle.h"
#include "util.h"

#define DENSIFY_DEGREES 0.05 /* longest segment of GeoJSON lines before projecting */

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
                              .size = COR__LABEL_SIZE,
                              .weight = 400,
                              .color = COR__LABEL_COLOR,
                              .halo = COR__LABEL_HALO,
                              .halo_width = COR__LABEL_HALO_WIDTH};
}

/* ---- shapefile layers ---- */

/* A feature ready to paint: page-space geometry and its look, living in the layer's arena. */
typedef struct item {
    cor__geom_t geom;
    cor__look_t look;
    cor_bbox_t box; /* of the geometry, page points */
} item_t;

/* The transformation from a source's CRS to a view, and the part of the source to read, made
 * once per distinct .prj and view in a render: PROJ's set-up is the costly part. */
typedef struct cor__xf_cache {
    const char *prj; /* the source's .prj text, "" when it has none */
    bool has_crs;    /* without a .prj, a source is lon/lat or raw coordinates */
    const cor__view_t *view;
    cor__xform_t *xf; /* NULL: coordinates are used as they are */
    bool whole;       /* the page's box cannot be transformed back: read everything */
    cor_bbox_t query;
    bool cut_on; /* geometry is cut to `cut` (source coordinates) before it is projected */
    cor_bbox_t cut;
    double step; /* the longest edge laid along `cut` (0: no limit) */
} xf_cache_t;

typedef struct layer_ctx {
    cor__render_t *r;
    const cor__layer_style_t *ls; /* NULL for the inset's fixed layers */
    cor__look_t base;
    cor__render_keep_fn keep; /* a C filter, for the inset */
    void *keep_ud;
    const cor__view_t *view;
    const xf_cache_t *xc;
    bool labels; /* the layer has a label property */
    cor__geom_t scratch, tmp, anchor;
    cor__clip_buf_t clip;
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
    it->box = cor__geom_bbox(g);
    c->nitems++;
    return true;
}

/* Source coordinates -> page points, clipped and simplified, in `g` (already holding a copy);
 * `tmp` and `clip` are scratch. Returns: false on exhaustion. */
static bool place_geometry(cor__render_t *r, const cor__view_t *v, cor__xform_t *xf, cor__geom_t *g,
                           cor__geom_t *tmp, cor__clip_buf_t *clip)
{
    if (xf) {
        cor__xform_points(xf, false, g->x, g->y, g->npoints);
        r->map->stats.points_unprojected += (long)cor__geom_drop_invalid(g);
    } else {
        cor__geom_drop_invalid(g);
    }
    cor__geom_affine(g, v->scale, -v->box.minx * v->scale, -v->scale, v->box.maxy * v->scale);
    cor_bbox_t b = cor__geom_bbox(g);
    if (g->npoints && !(b.minx >= v->clip.minx && b.maxx <= v->clip.maxx &&
                        b.miny >= v->clip.miny && b.maxy <= v->clip.maxy)) {
        if (!cor__geom_clip_into(g, v->clip, 0, tmp, clip))
            return false;
        cor__geom_t t = *g;
        *g = *tmp, *tmp = t;
    }
    cor__geom_simplify(g, v->tolerance);
    return true;
}

/* The text a layer's label property gives a feature: a template expanded, or a number; NULL
 * when it gives none. Returns: COR_OK; the error evaluating the property. */
static cor_status_t label_text(layer_ctx_t *c, const cor__feature_t *f, char **out,
                               cor_error_t *err)
{
    cor__pval_t pv = {0};
    *out = NULL;
    cor_status_t st =
        cor__style_value(c->ls, COR__P_LABEL, f, cor__script_eval, c->r->map->script, &pv, err);
    if (st != COR_OK)
        return st;
    if (pv.type == COR__PV_STRING)
        *out = cor__style_expand(pv.str, f);
    else if (pv.type == COR__PV_NUMBER)
        *out = cor__asprintf("%g", pv.num);
    cor__pval_clear(&pv);
    return COR_OK;
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
    char *text = NULL;
    cor_status_t st = label_text(c, f, &text, err); /* err may be NULL: never read it back */
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

cor_status_t cor__render_layer_legend(cor__render_t *r, const char *text, cor__geom_kind_t kind,
                                      const cor__look_t *look, const cor__overlay_t *ov)
{
    if (!cor__grow((void **)&r->legend, &r->cap_legend, r->nlegend + 1, sizeof *r->legend))
        return COR_ERR_NOMEM;
    r->legend[r->nlegend++] =
        (cor__legend_entry_t){.text = text, .overlay = ov, .kind = kind, .look = *look};
    return COR_OK;
}

static bool cut_feature(layer_ctx_t *c, const cor__geom_t *g);

static cor_status_t on_feature(const cor__feature_t *f, void *ud, cor_error_t *err)
{
    layer_ctx_t *c = ud;
    cor__look_t look = c->base;
    bool visible = true;
    c->r->map->stats.features_read++;
    if (c->keep && !c->keep(f, c->keep_ud))
        return COR_OK;
    cor_status_t st = c->ls ? cor__style_resolve(c->ls, &c->base, f, cor__script_eval,
                                                 c->r->map->script, &look, &visible, err)
                            : COR_OK;
    if (st != COR_OK || !visible)
        return st;
    if (!cut_feature(c, f->geom) ||
        !place_geometry(c->r, c->view, c->xc->xf, &c->scratch, &c->tmp, &c->clip))
        return cor__fail(err, COR_ERR_NOMEM, "out of memory drawing feature %ld", f->id);
    if (c->scratch.npoints == 0)
        return COR_OK;
    c->r->map->stats.features_drawn++;
    if (c->ls && c->ls->legend && !c->legend_seen) {
        c->legend_seen = true;
        if (cor__render_layer_legend(c->r, c->ls->legend, c->scratch.kind, &look, NULL) != COR_OK)
            return cor__fail(err, COR_ERR_NOMEM, "out of memory");
    }
    /* labels find their places on the simplified outline; what is drawn is thinned further */
    st = c->labels ? add_label(c, f, &c->scratch, &look, err) : COR_OK;
    if (st != COR_OK)
        return st;
    cor__geom_thin(&c->scratch, c->view->tolerance);
    if (c->scratch.npoints && !keep_item(c, &c->scratch, &look))
        return cor__fail(err, COR_ERR_NOMEM, "out of memory drawing feature %ld", f->id);
    return COR_OK;
}

/* True when item i can leave ink inside `band` (page points; NULL: everywhere). */
static bool in_band(const item_t *it, const cor_bbox_t *band)
{
    if (!band)
        return true;
    double reach = it->look.width / 2 + it->look.casing_width + it->look.size + 2;
    cor_bbox_t b = {it->box.minx - reach, it->box.miny - reach, it->box.maxx + reach,
                    it->box.maxy + reach};
    return cor__bbox_intersects(&b, band);
}

/* Paints the layer's items in passes: fills, casings, strokes, markers; with `band`, only those
 * that reach it. */
static void paint_passes(cairo_t *cr, const layer_ctx_t *c, const cor_bbox_t *band)
{
    const item_t *it = c->items;
    for (size_t i = 0; i < c->nitems; i++)
        if (it[i].geom.kind == COR__GEOM_POLYGON && in_band(&it[i], band))
            cor__paint_fill(cr, &it[i].geom, &it[i].look);
    for (size_t i = 0; i < c->nitems; i++)
        if (it[i].geom.kind != COR__GEOM_POINT && in_band(&it[i], band))
            cor__paint_stroke(cr, &it[i].geom, &it[i].look, true);
    for (size_t i = 0; i < c->nitems; i++)
        if (it[i].geom.kind != COR__GEOM_POINT && in_band(&it[i], band))
            cor__paint_stroke(cr, &it[i].geom, &it[i].look, false);
    for (size_t i = 0; i < c->nitems; i++)
        if (it[i].geom.kind == COR__GEOM_POINT && in_band(&it[i], band))
            cor__paint_markers(cr, &it[i].geom, &it[i].look);
}

/* ---- painting in bands of rows ---- */

/* A PNG page's layers are painted in RASTER_BANDS bands of rows, each band through its own cairo
 * context on its own rows of the page's pixels, as many bands at once as there are threads. The
 * bands are the same whatever the thread count, and each band's pixels are what painting the
 * whole page gives them (the same geometry, moved by whole pixels), so the bytes do not depend
 * on the number of threads. */
#define RASTER_BANDS 4

typedef struct band_job {
    const layer_ctx_t *c;
    unsigned char *data; /* the page's pixels */
    int width, height, stride;
    cairo_matrix_t m; /* page points to the page's pixels */
    double page_w, page_h;
    atomic_int next; /* the next band to paint */
    atomic_bool failed;
} band_job_t;

/* Paints band b: rows [y0, y1) of the page. */
static bool paint_band(band_job_t *j, int b)
{
    int y0 = (int)((long)j->height * b / RASTER_BANDS);
    int y1 = (int)((long)j->height * (b + 1) / RASTER_BANDS);
    if (y1 <= y0)
        return true;
    cairo_surface_t *s =
        cairo_image_surface_create_for_data(j->data + (size_t)y0 * (size_t)j->stride,
                                            CAIRO_FORMAT_ARGB32, j->width, y1 - y0, j->stride);
    cairo_t *cr = cairo_create(s);
    cairo_matrix_t shift, m;
    cairo_matrix_init_translate(&shift, 0, -y0);
    cairo_matrix_multiply(&m, &j->m, &shift);
    cairo_set_matrix(cr, &m);
    cairo_rectangle(cr, 0, 0, j->page_w, j->page_h); /* the page's clip, as render.c sets it */
    cairo_clip(cr);
    double ux0 = 0, uy0 = 0, ux1 = j->width, uy1 = y1 - y0;
    cairo_device_to_user(cr, &ux0, &uy0);
    cairo_device_to_user(cr, &ux1, &uy1);
    cor_bbox_t band = {fmin(ux0, ux1), fmin(uy0, uy1), fmax(ux0, ux1), fmax(uy0, uy1)};
    paint_passes(cr, j->c, &band);
    bool ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
    cairo_destroy(cr);
    cairo_surface_flush(s);
    cairo_surface_destroy(s);
    return ok;
}

static void *band_worker(void *ud)
{
    band_job_t *j = ud;
    for (int b; (b = atomic_fetch_add(&j->next, 1)) < RASTER_BANDS;)
        if (!paint_band(j, b))
            atomic_store(&j->failed, true);
    return NULL;
}

/* Paints the layer in bands on up to `threads` threads into the image surface under r->cr.
 * Returns: false when cairo failed. */
static bool paint_banded(cor__render_t *r, const layer_ctx_t *c, int threads)
{
    cairo_surface_t *target = cairo_get_target(r->cr);
    band_job_t j = {.c = c,
                    .data = cairo_image_surface_get_data(target),
                    .width = cairo_image_surface_get_width(target),
                    .height = cairo_image_surface_get_height(target),
                    .stride = cairo_image_surface_get_stride(target),
                    .page_w = r->v.width,
                    .page_h = r->v.height};
    cairo_get_matrix(r->cr, &j.m);
    atomic_init(&j.next, 0);
    atomic_init(&j.failed, false);
    pthread_t tid[RASTER_BANDS];
    int started = 0;
    cairo_surface_flush(target);
    for (int i = 1; i < threads && i < RASTER_BANDS; i++)
        started += pthread_create(&tid[started], NULL, band_worker, &j) == 0;
    band_worker(&j);
    for (int i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    cairo_surface_mark_dirty(target);
    return !atomic_load(&j.failed);
}

/* Paints the layer's items on r->cr: in bands when it draws corridor's own PNG page (and the
 * main view, whose only clip is the page's). Returns: false when cairo failed in a band. */
static bool paint_items(cor__render_t *r, const layer_ctx_t *c, bool main_view)
{
    cairo_surface_t *target = cairo_get_target(r->cr);
    if (main_view && r->raster_threads > 0 && c->nitems &&
        cairo_surface_get_type(target) == CAIRO_SURFACE_TYPE_IMAGE &&
        cairo_image_surface_get_format(target) == CAIRO_FORMAT_ARGB32 &&
        cairo_get_group_target(r->cr) == target)
        return paint_banded(r, c, r->raster_threads);
    paint_passes(r->cr, c, NULL);
    return true;
}

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
                         "place it on a map in %s (name its CRS: layer { crs = \"EPSG:...\" })",
                         s->path, cor__crs_name(v->crs));
    cor_status_t st = cor__xform_new(map->proj, s->crs, v->crs, out, err);
    if (st == COR_OK && cor__xform_is_identity(*out)) {
        cor__xform_free(*out);
        *out = NULL;
    }
    return st;
}

/* A lon/lat box that crosses the antimeridian (minx > maxx, as PROJ gives it) as the one box of
 * every longitude between its latitudes: records on both sides fall in it. */
static void whole_longitudes(cor_bbox_t *b)
{
    if (b->minx > b->maxx)
        b->minx = -180, b->maxx = 180;
}

/* The part of the source to read: the page's box in the source's coordinates, a little wider.
 * false (read everything) when the box cannot be transformed back. */
static bool query_box(const cor__view_t *v, cor__xform_t *xf, cor_bbox_t *buf)
{
    if (!xf)
        *buf = v->box;
    else if (cor__xform_bbox(xf, true, v->box, buf, NULL) != COR_OK)
        return false;
    whole_longitudes(buf);
    double mx = (buf->maxx - buf->minx) * 0.01, my = (buf->maxy - buf->miny) * 0.01;
    buf->minx -= mx, buf->maxx += mx, buf->miny -= my, buf->maxy += my;
    return true;
}

/* The page's clip box (page points, a margin around the page) in CRS units. */
static cor_bbox_t clip_in_crs(const cor__view_t *v)
{
    double s = v->scale;
    return (cor_bbox_t){v->box.minx + v->clip.minx / s, v->box.maxy - v->clip.maxy / s,
                        v->box.minx + v->clip.maxx / s, v->box.maxy - v->clip.miny / s};
}

/* True when every point of a dense ring of samples on the box's edges transforms back: the box
 * lies in the projection's domain, so its image back is bounded by their images. */
static bool edges_invert(cor__xform_t *xf, cor_bbox_t b)
{
    enum { N = 64 };
    double x[4 * N], y[4 * N];
    for (int i = 0; i < N; i++) {
        double t = (double)i / N;
        x[i] = b.minx + t * (b.maxx - b.minx), y[i] = b.miny;
        x[N + i] = b.maxx, y[N + i] = b.miny + t * (b.maxy - b.miny);
        x[2 * N + i] = b.maxx - t * (b.maxx - b.minx), y[2 * N + i] = b.maxy;
        x[3 * N + i] = b.minx, y[3 * N + i] = b.maxy - t * (b.maxy - b.miny);
    }
    return cor__xform_points(xf, true, x, y, 4 * N) == 0;
}

/* The box in the source's coordinates outside which nothing reaches the page's clip box: that
 * box transformed back (every longitude when it crosses the antimeridian), widened by a
 * fiftieth each way so that edges cut along it, densified every `step`, project outside the
 * clip box. false (no cut) when the clip box leaves the projection's domain. */
static bool cut_box(const cor__view_t *v, cor__xform_t *xf, cor_bbox_t *out, double *step)
{
    cor_bbox_t b = clip_in_crs(v);
    *step = 0;
    if (xf && (!edges_invert(xf, b) || cor__xform_bbox(xf, true, b, &b, NULL) != COR_OK))
        return false;
    whole_longitudes(&b);
    if (!(b.minx < b.maxx && b.miny < b.maxy))
        return false;
    double mx = (b.maxx - b.minx) / 50, my = (b.maxy - b.miny) / 50;
    *out = (cor_bbox_t){b.minx - mx, b.miny - my, b.maxx + mx, b.maxy + my};
    if (xf)
        *step = fmin(b.maxx - b.minx, b.maxy - b.miny) / 64;
    return true;
}

/* The source geometry into c->scratch: cut to the cache entry's box when it has one (so what
 * cannot reach the page is never projected), else copied. Returns: false on exhaustion. */
static bool cut_feature(layer_ctx_t *c, const cor__geom_t *g)
{
    const xf_cache_t *xc = c->xc;
    if (!xc->cut_on)
        return cor__geom_copy(&c->scratch, g);
    return cor__geom_clip_into(g, xc->cut, xc->step, &c->scratch, &c->clip);
}

/* Finds or makes the cache entry for source s in view v. */
static cor_status_t layer_xform(cor__render_t *r, const cor__view_t *v, const cor__source_t *s,
                                const xf_cache_t **out, cor_error_t *err)
{
    const char *prj = cor__shp_prj(s->shp) ? cor__shp_prj(s->shp) : "";
    if (!r->cache && !(r->cache = cor__calloc(XF_CACHE, sizeof *r->cache)))
        return cor__fail(err, COR_ERR_NOMEM, "out of memory");
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
    fresh.cut_on = cut_box(v, fresh.xf, &fresh.cut, &fresh.step);
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
static cor_status_t draw_source(cor__render_t *r, const cor__view_t *view, cor__source_t *s,
                                layer_ctx_t *c, cor_error_t *err)
{
    c->r = r;
    c->view = view;
    const xf_cache_t *xc = NULL;
    cor_status_t st = layer_xform(r, view, s, &xc, err);
    if (st != COR_OK)
        return st;
    c->xc = xc;
    st = cor__shp_each(s->shp, xc->whole ? NULL : &xc->query, on_feature, c, err);
    if (st == COR_OK && r->cr) {
        if (!paint_items(r, c, view == &r->v && c->ls))
            st =
                cor__fail(err, COR_ERR_RENDER, "%s: drawing failed in a band of the page", s->path);
        else if (cairo_status(r->cr) != CAIRO_STATUS_SUCCESS)
            st = cor__fail(err, COR_ERR_RENDER, "%s: drawing failed: %s", s->path,
                           cairo_status_to_string(cairo_status(r->cr)));
    }
    cor__geom_free(&c->scratch);
    cor__geom_free(&c->tmp);
    cor__geom_free(&c->anchor);
    cor__clip_buf_free(&c->clip);
    cor__arena_free(&c->arena);
    free(c->items);
    return st;
}

cor_status_t cor__render_layer_style(cor__render_t *r, const cor__layer_style_t *ls,
                                     cor_error_t *err)
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

cor_status_t cor__render_layer_fixed(cor__render_t *r, const cor__view_t *view, cor__source_t *s,
                                     const cor__look_t *look, cor__render_keep_fn keep,
                                     void *keep_ud, cor_error_t *err)
{
    layer_ctx_t c = {.base = *look, .keep = keep, .keep_ud = keep_ud};
    return draw_source(r, view, s, &c, err);
}

void cor__render_layer_finish(cor__render_t *r)
{
    for (size_t i = 0; i < r->ncache; i++)
        cor__xform_free(r->cache[i].xf);
    free(r->cache);
    r->cache = NULL;
    r->ncache = 0;
}

/* ---- GeoJSON overlays ---- */

typedef struct json_ctx {
    cor__render_t *r;
    const char *path;
    cor__geom_t g, tmp;
    cor__clip_buf_t clip;
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
    cor_status_t st = cor__simplestyle_look(f, f->geom->kind, &look, &label, err);
    if (st != COR_OK) {
        cor__error_prefix(err, "%s", c->path);
        return st;
    }
    if (!densify_into(f->geom, &c->g)) {
        free(label);
        return cor__fail(err, COR_ERR_NOMEM, "out of memory");
    }
    bool nomem = !place_geometry(c->r, &c->r->v, c->r->from_lonlat, &c->g, &c->tmp, &c->clip);
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

cor_status_t cor__render_layer_geojson(cor__render_t *r, const cor__json_overlay_t *jo,
                                       cor_error_t *err)
{
    json_ctx_t c = {.r = r, .path = jo->path};
    cor_status_t st = cor__json_each(jo->json, on_json_feature, &c, err);
    cor__geom_free(&c.g);
    cor__geom_free(&c.tmp);
    cor__clip_buf_free(&c.clip);
    return st;
}
