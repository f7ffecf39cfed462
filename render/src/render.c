/* SPDX-License-Identifier: MIT */
/* render: the pipeline that draws a map, and its public entry points. Background, then every
 * layer, the furniture's layout, the graticule, the overlays in the order given, the locator
 * inset, then all labels placed at once by priority, and the furniture on top; into a file, the
 * caller's cairo context or nowhere (a check). It orders the passes and asks the modules: the
 * view, render_layer, locator, the labeler and furniture do the work. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furniture.h"
#include "geom.h"
#include "inset.h"
#include "labeler.h"
#include "locator.h"
#include "map_internal.h"
#include "output.h"
#include "overlay_draw.h"
#include "paint.h"
#include "placement.h"
#include "render_layer.h"
#include "render_query.h"
#include "render_to.h"
#include "text.h"
#include "util.h"
#include "view.h"
#include "view_check.h"
#include "warnings.h"

#define BUSY_MARGIN 14.0 /* pt around each overlay place, for choosing free corners */

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
static size_t busy_boxes(cor__render_t *r, cor_bbox_t **out)
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

static cor_status_t draw_overlays(cor__render_t *r, cor_error_t *err)
{
    const cor__overlays_t *o = &r->map->overlays;
    if (o->n == 0 || !r->cr)
        return COR_OK;
    page_ctx_t pc = {r->from_lonlat, &r->v};
    size_t skipped = 0;
    return cor__overlays_draw_to(o, &r->to, to_page, &pc, r->lb, &skipped, err);
}

/* Script overlays and GeoJSON files in the order they were added: each GeoJSON file is drawn
 * after the script overlays declared before it and under those declared after it. */
static cor_status_t draw_all_overlays(cor__render_t *r, cor_error_t *err)
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
            st = cor__render_layer_geojson(r, &r->map->json[i], err);
    }
    o->draw_from = o->draw_to = 0;
    return st;
}

/* ---- furniture ---- */

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

static cor_status_t overlay_legend(cor__render_t *r)
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
        if (cor__render_layer_legend(r, text, COR__GEOM_NONE, &ov->look, ov) != COR_OK)
            return COR_ERR_NOMEM;
    }
    return COR_OK;
}

static cor_status_t layout_furniture(cor__render_t *r, cor__layout_t **out, cor_error_t *err)
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

/* ---- the inset ----
 * What the locator shows comes from the style's inset = { ... } (styles/default.lua holds the
 * story's); without layers it draws the shipped data's base of land and borders. */

static const char *const BASE_LAYERS[] = {"europe_land", "europe_borders"};
#define INSET_LAYERS_MAX 16

/* The inset's spec from the style's settings; `layers` has room for INSET_LAYERS_MAX. */
static void inset_spec(const cor__mapdef_t *m, cor__locator_spec_t *spec,
                       cor__locator_layer_t *layers)
{
    const char *const *names =
        m->has_inset_layers ? (const char *const *)m->inset_layers : BASE_LAYERS;
    size_t n = m->has_inset_layers ? m->ninset_layers : COR__ARRAY_LEN(BASE_LAYERS);
    cor__locator_spec_init(spec);
    spec->crs = m->inset_crs;
    spec->has_extent = m->has_inset_extent;
    spec->extent = m->inset_extent;
    for (size_t i = 0; i < n && i < INSET_LAYERS_MAX; i++) {
        const char *hl = m->inset_highlight_layer;
        layers[i] = (cor__locator_layer_t){names[i], hl && strcmp(hl, names[i]) == 0};
    }
    spec->layers = layers;
    spec->nlayers = n < INSET_LAYERS_MAX ? n : INSET_LAYERS_MAX;
    if (m->inset_highlight_field)
        spec->highlight_field = m->inset_highlight_field;
    spec->codes = (const char *const *)m->inset_highlight;
    spec->ncodes = m->has_inset_highlight ? m->ninset_highlight : 0;
}

static cor_status_t draw_inset(cor__render_t *r, const cor__layout_t *layout, cor_error_t *err)
{
    cor_bbox_t box;
    cor__locator_spec_t spec;
    cor__locator_layer_t layers[INSET_LAYERS_MAX];
    if (!r->cr || !r->v.crs || !cor__layout_inset_box(layout, &box))
        return COR_OK;
    inset_spec(&r->map->style.map, &spec, layers);
    return cor__locator_draw(r, &spec, box, err);
}

/* ---- the pipeline ---- */

static void paint_background(cor__render_t *r)
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

static cor_status_t lonlat_xform(cor__render_t *r, cor_error_t *err)
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

/* Remembers where the labels went (every glyph box of a line label): render_query.h. */
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

/* A map whose layers have nothing in its area says so, naming them. */
static void warn_if_empty(const cor_map_t *map, cor__warnings_t *w)
{
    char names[512] = "";
    size_t len = 0, shown = 0;
    if (map->style.nlayers == 0 || map->stats.features_read > 0)
        return;
    for (size_t i = 0; i < map->style.nlayers && len < sizeof names; i++) {
        const char *name = map->style.layers[i].name ? map->style.layers[i].name : "?";
        if (shown == 6) {
            len += (size_t)snprintf(names + len, sizeof names - len, " and %zu more",
                                    map->style.nlayers - i);
            break;
        }
        len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", shown ? ", " : "", name);
        shown++;
    }
    (void)cor__warnings_add(
        w,
        "nothing in view: no feature of %s lies in the map's area; check the extent and the "
        "CRS (corridor info FILE.shp shows a layer's extent)",
        names);
}

/* Everything from the first layer to the furniture, on a page already clipped. */
static cor_status_t draw_map(cor__render_t *r, cor_error_t *err)
{
    cor_map_t *map = r->map;
    cor__layout_t *layout = NULL;
    cor_status_t st = COR_OK;
    if (r->cr)
        paint_background(r);
    for (size_t i = 0; st == COR_OK && i < map->style.nlayers; i++) {
        cor__output_svg_group(r->cr, map->style.layers[i].name); /* SVG layers: output.h */
        st = cor__render_layer_style(r, &map->style.layers[i], err);
    }
    if (st == COR_OK)
        warn_if_empty(map, &map->warnings);
    if (st == COR_OK && r->cr)
        st = layout_furniture(r, &layout, err);
    if (st == COR_OK && layout && cor__output_svg_group(r->cr, "graticule"))
        st = cor__furniture_draw_graticule(layout, r->cr, &r->to, err);
    if (st == COR_OK && cor__output_svg_group(r->cr, "overlays"))
        st = draw_all_overlays(r, err);
    if (st == COR_OK && layout && cor__output_svg_group(r->cr, "inset"))
        st = draw_inset(r, layout, err);
    if (st == COR_OK && r->lb && cor__output_svg_group(r->cr, "labels")) {
        cor__labeler_place(r->lb);
        cor__labeler_counts(r->lb, &map->stats.labels_placed, &map->stats.labels_dropped);
        keep_label_boxes(map, r->lb);
        st = cor__labeler_draw(r->lb, &r->to, err);
    }
    if (st == COR_OK && layout && cor__output_svg_group(r->cr, "furniture"))
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
    if (m->has_flow_scale) {
        map->overlays.flow_scale_value = m->flow_scale_value;
        map->overlays.flow_scale_width = m->flow_scale_width;
    }
}

/* Keeps the render's placement space in the map (for cor_map_placement_json), forgetting the
 * last one's. */
static void keep_placement(cor_map_t *map, cor__space_t *sp, double dpi)
{
    cor__space_free(map->placement);
    cor__buf_free(&map->placement_json);
    map->placement = sp, map->placement_dpi = dpi;
}

/* Renders into `cr`, with text to `svg` when not NULL; with cr NULL, a dry run (cor_map_check). */
static cor_status_t render_map(cor_map_t *map, cairo_t *cr, cor__buf_t *svg, int raster_threads,
                               cor_error_t *err)
{
    cor__render_t r = {.map = map, .cr = cr, .to = {cr, svg}, .raster_threads = raster_threads};
    cor__space_t *sp = NULL;
    memset(&map->stats, 0, sizeof map->stats);
    cor__script_renew(map->script); /* each render has the script's whole budget */
    if (map->style.nlayers == 0 && map->overlays.n == 0 && map->njson == 0)
        return cor__fail(err, COR_ERR_USAGE, "nothing to draw: no style and no layers");
    cor__style_sort(&map->style);
    copy_flow_widths(map);
    cor_status_t st = cor__view_setup(map, &r.v, err);
    if (st == COR_OK)
        cor__view_check(map->proj, &r.v, &map->warnings);
    if (st == COR_OK)
        st = lonlat_xform(&r, err);
    if (st == COR_OK)
        st = resolve_overlays(map, err);
    if (st == COR_OK)
        st = cor__map_check_hidden(map, err);
    if (st == COR_OK && cr)
        st = cor__space_new(r.v.width, r.v.height, &sp, err);
    if (st == COR_OK && cr)
        st = cor__labeler_new_on(sp, &r.lb, err);
    if (st == COR_OK && cr) /* a small page: the same map with smaller text */
        cor__labeler_set_text_scale(r.lb, cor__labeler_text_scale(r.v.width), r.v.dpi);
    if (st == COR_OK && cr) {
        cairo_save(cr);
        cairo_rectangle(cr, 0, 0, r.v.width, r.v.height);
        cairo_clip(cr);
        st = draw_map(&r, err);
        cairo_restore(cr);
    } else if (st == COR_OK) {
        st = draw_map(&r, err);
    }
    cor__render_layer_finish(&r);
    cor__map_note_sources(map);
    cor__labeler_free(r.lb);
    if (st == COR_OK && sp)
        keep_placement(map, sp, r.v.dpi);
    else
        cor__space_free(sp);
    cor__xform_free(r.from_lonlat);
    cor__view_clear(&r.v);
    free(r.legend);
    cor__arena_free(&r.arena);
    return st;
}

size_t cor__render_label_boxes(const cor_map_t *map, const cor__placed_t **out)
{
    *out = map->label_boxes;
    return map->nlabel_boxes;
}

/* ---- the public entry points ---- */

cor_status_t cor_map_render_cairo(cor_map_t *map, cairo_t *cr, cor_error_t *err)
{
    if (!cr || cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        return cor__fail(err, COR_ERR_USAGE, "cor_map_render_cairo: the cairo context is %s",
                         cr ? cairo_status_to_string(cairo_status(cr)) : "NULL");
    return render_map(map, cr, NULL, 0, err);
}

cor_status_t cor_map_check(cor_map_t *map, cor_error_t *err)
{
    double w, h, dpi;
    if (!map)
        return cor__fail(err, COR_ERR_USAGE, "cor_map_check: no map");
    cor__map_page(map, &w, &h, &dpi); /* the limits every format has, as a render meets them */
    cor_status_t st = cor__output_check_page(COR_FORMAT_AUTO, w, h, dpi, err);
    return st == COR_OK ? render_map(map, NULL, NULL, 0, err) : st;
}

cor_status_t cor__render_output(cor_map_t *map, cor__output_t *out, cor_format_t format,
                                cor_error_t *err)
{
    cor__buf_t svg = {0};
    cor__output_set_metadata(out, map->style.map.title, "corridor " COR_VERSION);
    cor__output_set_threads(out, map->threads);
    /* SVG keeps its text as <text> elements, written beside cairo's drawing. */
    cor_status_t st =
        render_map(map, cor__output_cairo(out), format == COR_FORMAT_SVG ? &svg : NULL,
                   format == COR_FORMAT_PNG ? map->threads : 0, err);
    if (st == COR_OK && svg.len)
        st = cor__output_svg_append(out, svg.data, err);
    cor__buf_free(&svg);
    return st;
}

cor_status_t cor_map_render_file(cor_map_t *map, const char *path, cor_format_t format,
                                 cor_error_t *err)
{
    double w, h, dpi;
    cor__output_t *out = NULL;
    if (format == COR_FORMAT_AUTO && (format = cor_format_from_path(path)) == COR_FORMAT_AUTO)
        return cor__fail(err, COR_ERR_USAGE,
                         "%s: cannot tell the format from the extension; use .png, .svg or .pdf "
                         "(or --format)",
                         path);
    cor__map_page(map, &w, &h, &dpi);
    /* Never over an input: the ones known now, and after drawing the shapefiles it opened. */
    cor_status_t st = cor__map_refuse_input(map, path, err);
    if (st == COR_OK)
        st = cor__map_check_raster(map, format, err);
    if (st == COR_OK)
        st = cor__output_open(path, format, w, h, dpi, &out, err);
    if (st != COR_OK)
        return st;
    st = cor__render_output(map, out, format, err);
    if (st == COR_OK)
        st = cor__map_refuse_input(map, path, err);
    if (st != COR_OK) {
        cor__output_abort(out);
        return st;
    }
    return cor__output_commit(out, err);
}

cor_format_t cor_format_parse(const char *name)
{
    if (!name)
        return COR_FORMAT_AUTO;
    if (cor__strcasecmp(name, "png") == 0)
        return COR_FORMAT_PNG;
    if (cor__strcasecmp(name, "svg") == 0)
        return COR_FORMAT_SVG;
    if (cor__strcasecmp(name, "pdf") == 0)
        return COR_FORMAT_PDF;
    return COR_FORMAT_AUTO;
}

cor_format_t cor_format_from_path(const char *path)
{
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash))
        return COR_FORMAT_AUTO;
    return cor_format_parse(dot + 1);
}
