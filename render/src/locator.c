/* SPDX-License-Identifier: MIT */
/* locator: the locator inset's map. Its view is fitted to the box like the main map's is to the
 * page; the layers are drawn through render_layer with a look for each geometry, the highlight
 * through a C filter on one attribute, and the main map's page outline is traced through lon/lat
 * into the inset's CRS. It holds no story data: which layers, codes and extent a map's inset shows
 * is its caller's. */
#include "locator.h"

#include <string.h>

#include "geom.h"
#include "paint.h"
#include "view.h"

#define RGB(h)                                                                                     \
    {                                                                                              \
        ((h) >> 16 & 255) / 255.0, ((h) >> 8 & 255) / 255.0, ((h)&255) / 255.0, 1                  \
    }

void cor__locator_spec_init(cor__locator_spec_t *spec)
{
    *spec = (cor__locator_spec_t){
        .highlight_field = "iso_a2",
        .water = {0.82, 0.89, 0.94, 1},
        .land = {.opacity = 1, .join = COR__JOIN_ROUND, .fill_on = true, .fill = RGB(0xDEDAD1)},
        .line = {.opacity = 1,
                 .join = COR__JOIN_ROUND,
                 .stroke_on = true,
                 .stroke = RGB(0xFFFFFF),
                 .width = 0.35},
        .mark = {.opacity = 1, .join = COR__JOIN_ROUND, .fill_on = true, .fill = RGB(0xE8A33D)},
        .frame = {.opacity = 1,
                  .width = 1.0,
                  .join = COR__JOIN_ROUND,
                  .stroke_on = true,
                  .stroke = {0xC0 / 255.0, 0x39 / 255.0, 0x2B / 255.0, 1}},
    };
}

/* The highlight: a feature whose field holds one of the codes. */
typedef struct highlight {
    const char *field;
    const char *const *codes;
    size_t n;
} highlight_t;

static bool in_highlight(const cor__feature_t *f, void *ud)
{
    const highlight_t *h = ud;
    const cor__attr_t *v = cor__feature_get(f, h->field);
    for (size_t i = 0; v && v->type == COR__ATTR_STRING && i < h->n; i++)
        if (strcmp(v->str, h->codes[i]) == 0)
            return true;
    return false;
}

/* Draws one of the inset's layers; a highlight layer only with codes to highlight. */
static cor_status_t inset_layer(cor__render_t *r, const cor__view_t *iv,
                                const cor__locator_spec_t *spec, const cor__locator_layer_t *layer,
                                cor_error_t *err)
{
    highlight_t hl = {spec->highlight_field, spec->codes, spec->ncodes};
    cor__source_t *s = NULL;
    if (layer->highlight && (!hl.field || hl.n == 0))
        return COR_OK;
    cor_status_t st = cor__map_geodata_source(r->map, layer->source, &s, err);
    if (st != COR_OK)
        return st;
    const cor__look_t *look = layer->highlight                          ? &spec->mark
                              : cor__shp_kind(s->shp) == COR__GEOM_LINE ? &spec->line
                                                                        : &spec->land;
    return cor__render_layer_fixed(r, iv, s, look, layer->highlight ? in_highlight : NULL, &hl,
                                   err);
}

/* The main map's page outline, traced in the inset's page coordinates. */
static void inset_outline(cor__render_t *r, const cor__view_t *iv, const cor__look_t *frame,
                          cor__xform_t *to_lonlat, cor__xform_t *to_inset)
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
        cor__paint_stroke(r->cr, &g, frame, false);
    }
    cor__geom_free(&g);
}

/* The area without an extent: the main map's box seen in the inset's CRS, widened around its
 * centre. */
static cor_status_t context_area(cor__render_t *r, const cor__crs_t *icrs, cor_bbox_t *area,
                                 cor_error_t *err)
{
    cor__xform_t *xf = NULL;
    cor_status_t st = cor__xform_new(r->map->proj, r->v.crs, icrs, &xf, err);
    if (st == COR_OK)
        st = cor__xform_bbox(xf, false, r->v.box, area, err);
    cor__xform_free(xf);
    if (st != COR_OK)
        return st;
    double cx = (area->minx + area->maxx) / 2, cy = (area->miny + area->maxy) / 2;
    double hw = (area->maxx - area->minx) / 2 * COR__LOCATOR_CONTEXT,
           hh = (area->maxy - area->miny) / 2 * COR__LOCATOR_CONTEXT;
    *area = (cor_bbox_t){cx - hw, cy - hh, cx + hw, cy + hh};
    return COR_OK;
}

/* The inset's view: its CRS (made into *own unless it is the main map's) and area fitted into
 * the box. */
static cor_status_t inset_view(cor__render_t *r, const cor__locator_spec_t *spec, cor_bbox_t box,
                               cor__view_t *iv, cor__crs_t **own, cor_error_t *err)
{
    cor_bbox_t area;
    *iv =
        (cor__view_t){.width = box.maxx - box.minx, .height = box.maxy - box.miny, .dpi = r->v.dpi};
    cor_status_t st = spec->crs ? cor__crs_new(r->map->proj, spec->crs, own, err) : COR_OK;
    if (st != COR_OK)
        return st;
    iv->crs = *own ? *own : r->v.crs;
    st = spec->has_extent ? cor__view_lonlat_box(r->map->proj, iv->crs, spec->extent, &area, err)
                          : context_area(r, iv->crs, &area, err);
    if (st == COR_OK)
        cor__view_fit(iv, area);
    return st;
}

/* The frame: the main map's page traced through lon/lat into the inset. */
static cor_status_t draw_frame(cor__render_t *r, const cor__view_t *iv, const cor__look_t *frame,
                               cor_error_t *err)
{
    cor__xform_t *to_lonlat = NULL, *to_inset = NULL;
    cor__crs_t *lonlat = NULL;
    cor_status_t st = cor__crs_lonlat(r->map->proj, &lonlat, err);
    if (st == COR_OK)
        st = cor__xform_new(r->map->proj, r->v.crs, lonlat, &to_lonlat, err);
    if (st == COR_OK)
        st = cor__xform_new(r->map->proj, lonlat, iv->crs, &to_inset, err);
    if (st == COR_OK)
        inset_outline(r, iv, frame, to_lonlat, to_inset);
    cor__xform_free(to_lonlat);
    cor__xform_free(to_inset);
    cor__crs_free(lonlat);
    return st;
}

cor_status_t cor__locator_draw(cor__render_t *r, const cor__locator_spec_t *spec, cor_bbox_t box,
                               cor_error_t *err)
{
    cor__view_t iv = {0};
    cor__crs_t *own = NULL;
    if (!r->cr || !r->v.crs)
        return COR_OK;
    cor_status_t st = inset_view(r, spec, box, &iv, &own, err);
    if (st != COR_OK) {
        cor__crs_free(own);
        return st;
    }
    cairo_save(r->cr);
    cairo_translate(r->cr, box.minx, box.miny);
    cairo_rectangle(r->cr, 0, 0, iv.width, iv.height);
    cairo_clip(r->cr);
    cairo_set_source_rgba(r->cr, spec->water.r, spec->water.g, spec->water.b, spec->water.a);
    cairo_paint(r->cr);
    cor__labeler_t *lb = r->lb;
    r->lb = NULL; /* nothing in the inset is labelled */
    for (size_t i = 0; st == COR_OK && i < spec->nlayers; i++)
        st = inset_layer(r, &iv, spec, &spec->layers[i], err);
    if (st == COR_OK)
        st = draw_frame(r, &iv, &spec->frame, err);
    r->lb = lb;
    cairo_restore(r->cr);
    cor__crs_free(own);
    return st;
}
