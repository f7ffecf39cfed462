/* map: the map model: the page, the view (CRS, area, scale), layers from a style or bare
 * shapefiles, overlays, and the sources they read. It decides what is drawn and where; the
 * drawing itself is render.c's, how things look is style's, where bytes go is output's. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geom.h"
#include "map_internal.h"
#include "output.h"
#include "util.h"

#define DEFAULT_WIDTH_PX  2400
#define DEFAULT_HEIGHT_PX 1800
#define DEFAULT_DPI       300.0
#define FIT_MARGIN        0.04 /* room around a quick look's data, as a share of its size */

cor_status_t cor_map_new(cor_map_t **out, cor_error_t *err)
{
    cor_map_t *map = cor__calloc(1, sizeof *map);
    if (!map)
        return cor__fail(err, COR_ERR_NOMEM, "out of memory");
    map->dpi = DEFAULT_DPI;
    map->width_pt = DEFAULT_WIDTH_PX * 72.0 / DEFAULT_DPI;
    map->height_pt = DEFAULT_HEIGHT_PX * 72.0 / DEFAULT_DPI;
    cor_status_t st = cor__proj_new(&map->proj, err);
    if (st != COR_OK) {
        free(map);
        return st;
    }
    *out = map;
    return COR_OK;
}

static void close_sources(cor_map_t *map)
{
    for (size_t i = 0; i < map->nsources; i++) {
        cor__shp_close(map->sources[i].shp);
        cor__crs_free(map->sources[i].crs);
        free(map->sources[i].path);
    }
    free(map->sources);
    map->sources = NULL;
    map->nsources = map->cap_sources = 0;
}

void cor_map_free(cor_map_t *map)
{
    if (!map)
        return;
    close_sources(map);
    for (size_t i = 0; i < map->njson; i++) {
        cor__json_close(map->json[i].json);
        free(map->json[i].path);
    }
    free(map->json);
    free(map->label_boxes);
    cor__overlays_clear(&map->overlays);
    cor__gazetteer_free(map->gazetteer);
    cor__style_clear(&map->style);
    cor__script_free(map->script);
    cor__proj_free(map->proj);
    free(map->data_dir);
    free(map->crs_def);
    free(map);
}

cor_status_t cor_map_set_data_dir(cor_map_t *map, const char *dir, cor_error_t *err)
{
    if (!dir || !cor__is_dir(dir))
        return cor__fail(err, COR_ERR_NOTFOUND, "%s: not a directory", dir ? dir : "(null)");
    char *copy = cor__strdup(dir);
    if (!copy)
        return cor__fail(err, COR_ERR_NOMEM, "out of memory");
    free(map->data_dir);
    map->data_dir = copy;
    if (map->script)
        cor__script_set_data_dir(map->script, copy);
    return COR_OK;
}

cor_status_t cor__map_data_dir(cor_map_t *map, const char **out, cor_error_t *err)
{
    if (!map->data_dir) {
        char dir[4096];
        cor_status_t st = cor_data_dir_find(NULL, dir, sizeof dir, err);
        if (st != COR_OK || (st = cor_map_set_data_dir(map, dir, err)) != COR_OK)
            return st;
    }
    *out = map->data_dir;
    return COR_OK;
}

cor_status_t cor__map_script(cor_map_t *map, cor_error_t *err)
{
    if (map->script)
        return COR_OK;
    cor_status_t st = cor__script_new(NULL, &map->script, err);
    if (st != COR_OK)
        return st;
    cor__script_set_overlays(map->script, &map->overlays);
    const char *dir = NULL;
    cor_error_t ignored = {0}; /* a style may not need the data directory at all */
    if (cor__map_data_dir(map, &dir, &ignored) == COR_OK)
        cor__script_set_data_dir(map->script, dir);
    return COR_OK;
}

cor_status_t cor_map_load_style(cor_map_t *map, const char *path, cor_error_t *err)
{
    if (map->style.path)
        return cor__fail(err, COR_ERR_USAGE, "%s: a style is already loaded (%s)", path,
                         map->style.path);
    cor_status_t st = cor__map_script(map, err);
    if (st == COR_OK)
        st = cor__script_run_style(map->script, path, &map->style, err);
    if (st == COR_OK && !(map->style.path = cor__strdup(path)))
        st = cor__fail(err, COR_ERR_NOMEM, "out of memory");
    return st;
}

cor_status_t cor_map_add_layer(cor_map_t *map, const char *shp_path, cor_error_t *err)
{
    cor__shp_t *probe = NULL;
    cor_status_t st = cor__shp_open(shp_path, &probe, err); /* fail now, not at render time */
    cor__shp_close(probe);
    if (st != COR_OK)
        return st;
    cor__layer_style_t *ls = cor__style_add_layer(&map->style);
    if (!ls)
        return cor__fail(err, COR_ERR_NOMEM, "out of memory");
    ls->source = cor__strdup(shp_path);
    ls->name = cor__strdup(shp_path);
    ls->order = 1e9 + map->nquick; /* on top of the style's layers, in the order given */
    ls->line = -1 - map->nquick;   /* negative: a quick-look layer, -line-1 is its variant */
    map->nquick++;
    if (!ls->source || !ls->name)
        return cor__fail(err, COR_ERR_NOMEM, "out of memory");
    return COR_OK;
}

static cor_status_t add_json_overlay(cor_map_t *map, const char *path, cor_error_t *err)
{
    cor__json_t *json = NULL;
    char *copy = NULL;
    if (!cor__grow((void **)&map->json, &map->cap_json, map->njson + 1, sizeof *map->json))
        return cor__fail(err, COR_ERR_NOMEM, "out of memory");
    cor_status_t st = cor__json_open(path, &json, err);
    if (st != COR_OK)
        return st;
    if (!(copy = cor__strdup(path))) {
        cor__json_close(json);
        return cor__fail(err, COR_ERR_NOMEM, "out of memory");
    }
    map->json[map->njson++] = (cor__json_overlay_t){copy, json, map->overlays.n};
    return COR_OK;
}

cor_status_t cor_map_add_overlay(cor_map_t *map, const char *path, cor_error_t *err)
{
    if (cor__ends_with_ci(path, ".geojson") || cor__ends_with_ci(path, ".json"))
        return add_json_overlay(map, path, err);
    if (!cor__ends_with_ci(path, ".lua"))
        return cor__fail(err, COR_ERR_USAGE,
                         "%s: an overlay is a Lua script (.lua) or GeoJSON (.geojson, .json)",
                         path);
    cor_status_t st = cor__map_script(map, err);
    return st == COR_OK ? cor__script_run_overlay(map->script, path, &map->style, err) : st;
}

bool cor_map_is_style(const cor_map_t *map)
{
    const cor__mapdef_t *m = &map->style.map;
    if (m->crs || m->has_extent || m->has_page || m->has_background || m->title)
        return true;
    for (size_t i = 0; i < map->style.nlayers; i++)
        if (!cor__map_is_quick(&map->style.layers[i]))
            return true;
    return false;
}

cor_status_t cor_map_set_crs(cor_map_t *map, const char *definition, cor_error_t *err)
{
    cor__crs_t *crs = NULL;
    cor_status_t st = cor__crs_new(map->proj, definition, &crs, err);
    cor__crs_free(crs);
    if (st != COR_OK)
        return st;
    char *copy = cor__strdup(definition);
    if (!copy)
        return cor__fail(err, COR_ERR_NOMEM, "out of memory");
    free(map->crs_def);
    map->crs_def = copy;
    return COR_OK;
}

static bool valid_extent(cor_bbox_t b)
{
    return isfinite(b.minx) && isfinite(b.miny) && isfinite(b.maxx) && isfinite(b.maxy) &&
           b.minx >= -180 && b.maxx <= 180 && b.miny >= -90 && b.maxy <= 90 && b.minx < b.maxx &&
           b.miny < b.maxy;
}

cor_status_t cor_map_set_extent(cor_map_t *map, cor_bbox_t lonlat, cor_error_t *err)
{
    if (!valid_extent(lonlat))
        return cor__fail(err, COR_ERR_USAGE,
                         "extent %g,%g,%g,%g: expected west,south,east,north in degrees with "
                         "west < east and south < north, within -180..180 and -90..90",
                         lonlat.minx, lonlat.miny, lonlat.maxx, lonlat.maxy);
    map->extent = lonlat;
    map->has_extent = true;
    return COR_OK;
}

cor_status_t cor_map_set_page(cor_map_t *map, double width_pt, double height_pt, double dpi,
                              cor_error_t *err)
{
    /* The format is known only at render time: check the page itself now (as for a vector
     * format); the raster of a PNG is checked when the file is opened, before drawing. */
    cor_status_t st = cor__output_check_page(COR_FORMAT_SVG, width_pt, height_pt, dpi, err);
    if (st != COR_OK)
        return st;
    map->width_pt = width_pt;
    map->height_pt = height_pt;
    map->dpi = dpi;
    map->has_page = true;
    return COR_OK;
}

cor_status_t cor_map_set_size_px(cor_map_t *map, int width_px, int height_px, double dpi,
                                 cor_error_t *err)
{
    if (!(dpi > 0))
        return cor__fail(err, COR_ERR_LIMIT, "resolution of %g dpi: must be positive", dpi);
    return cor_map_set_page(map, width_px * 72.0 / dpi, height_px * 72.0 / dpi, dpi, err);
}

/* The page in effect: explicit settings win over the style's map{}. */
void cor__map_page(const cor_map_t *map, double *w, double *h, double *dpi)
{
    if (!map->has_page && map->style.map.has_page) {
        *w = map->style.map.width_pt, *h = map->style.map.height_pt, *dpi = map->style.map.dpi;
        return;
    }
    *w = map->width_pt, *h = map->height_pt, *dpi = map->dpi;
}

void cor_map_get_page(const cor_map_t *map, double *width_pt, double *height_pt, double *dpi)
{
    double w, h, d;
    cor__map_page(map, &w, &h, &d);
    if (width_pt)
        *width_pt = w;
    if (height_pt)
        *height_pt = h;
    if (dpi)
        *dpi = d;
}

void cor_map_get_stats(const cor_map_t *map, cor_render_stats_t *out)
{
    *out = map->stats;
}

/* ---- sources ---- */

bool cor__map_is_quick(const cor__layer_style_t *ls)
{
    return ls->line < 0;
}

/* The file a layer reads: a geodata layer name ("countries") resolves in the data directory,
 * anything with a slash or a .shp suffix is a path (relative to the style file's directory). */
static cor_status_t layer_path(cor_map_t *map, const cor__layer_style_t *ls, char **out,
                               cor_error_t *err)
{
    const char *src = ls->source;
    if (!src || !*src)
        return cor__fail(err, COR_ERR_STYLE, "%s:%d: layer has no source", map->style.path,
                         ls->line);
    if (cor__map_is_quick(ls) || strchr(src, '/') || cor__ends_with_ci(src, ".shp")) {
        *out = cor__map_is_quick(ls) ? cor__strdup(src) : cor__path_join(ls->base_dir, src);
    } else {
        const char *dir;
        cor_status_t st = cor__map_data_dir(map, &dir, err);
        if (st != COR_OK)
            return st;
        char *rel = cor__asprintf("geodata/%s.shp", src);
        *out = rel ? cor__path_join(dir, rel) : NULL;
        free(rel);
    }
    return *out ? COR_OK : cor__fail(err, COR_ERR_NOMEM, "out of memory");
}

/* Decides the CRS of a source: its .prj; without one, lon/lat when the coordinates fit. */
static cor_status_t source_crs(cor_map_t *map, cor__source_t *s, cor_error_t *err)
{
    const char *prj = cor__shp_prj(s->shp);
    if (prj) {
        cor_status_t st = cor__crs_new(map->proj, prj, &s->crs, err);
        if (st != COR_OK)
            cor__error_prefix(err, "%s: its .prj", s->path);
        return st;
    }
    cor_bbox_t b;
    if (!cor__shp_extent(s->shp, &b) ||
        (b.minx >= -180.5 && b.maxx <= 180.5 && b.miny >= -90.5 && b.maxy <= 90.5))
        return cor__crs_lonlat(map->proj, &s->crs, err);
    return COR_OK; /* unknown: raw coordinates */
}

cor_status_t cor__map_open_source(cor_map_t *map, const char *path, cor__source_t **out,
                                  cor_error_t *err)
{
    for (size_t i = 0; i < map->nsources; i++) {
        if (strcmp(map->sources[i].path, path) == 0) {
            *out = &map->sources[i];
            return COR_OK;
        }
    }
    if (!cor__grow((void **)&map->sources, &map->cap_sources, map->nsources + 1,
                   sizeof *map->sources))
        return cor__fail(err, COR_ERR_NOMEM, "out of memory");
    cor__source_t *s = &map->sources[map->nsources];
    memset(s, 0, sizeof *s);
    cor_status_t st = cor__shp_open(path, &s->shp, err);
    if (st == COR_OK && !(s->path = cor__strdup(path)))
        st = cor__fail(err, COR_ERR_NOMEM, "out of memory");
    if (st == COR_OK)
        st = source_crs(map, s, err);
    if (st != COR_OK) {
        cor__shp_close(s->shp);
        cor__crs_free(s->crs);
        free(s->path);
        return st;
    }
    map->nsources++;
    *out = s;
    return COR_OK;
}

cor_status_t cor__map_layer_source(cor_map_t *map, const cor__layer_style_t *ls,
                                   cor__source_t **out, cor_error_t *err)
{
    char *path = NULL;
    cor_status_t st = layer_path(map, ls, &path, err);
    if (st == COR_OK)
        st = cor__map_open_source(map, path, out, err);
    if (st != COR_OK && !cor__map_is_quick(ls) && map->style.path)
        cor__error_prefix(err, "%s:%d: layer '%s'", map->style.path, ls->line, ls->name);
    free(path);
    return st;
}

/* ---- the view ---- */

/* The CRS to draw in: --crs, else the style's, else lon/lat for a style, else the first
 * quick-look layer's own (NULL when it has none: raw coordinates). */
static cor_status_t view_crs(cor_map_t *map, cor__crs_t **out, cor_error_t *err)
{
    const char *def = map->crs_def ? map->crs_def : map->style.map.crs;
    if (def)
        return cor__crs_new(map->proj, def, out, err);
    if (map->style.path || map->nquick == 0)
        return cor__crs_lonlat(map->proj, out, err);
    for (size_t i = 0; i < map->style.nlayers; i++) {
        const cor__layer_style_t *ls = &map->style.layers[i];
        if (!cor__map_is_quick(ls))
            continue;
        cor__source_t *s;
        cor_status_t st = cor__map_layer_source(map, ls, &s, err);
        if (st != COR_OK)
            return st;
        if (!s->crs)
            return COR_OK;
        const char *prj = cor__shp_prj(s->shp);
        return prj ? cor__crs_new(map->proj, prj, out, err) : cor__crs_lonlat(map->proj, out, err);
    }
    return COR_OK;
}

static cor_bbox_t bbox_union(cor_bbox_t a, cor_bbox_t b)
{
    return (cor_bbox_t){fmin(a.minx, b.minx), fmin(a.miny, b.miny), fmax(a.maxx, b.maxx),
                        fmax(a.maxy, b.maxy)};
}

/* A layer's extent in the view's CRS. Returns: false when it cannot be transformed. */
/* Widens `box` by the projections of a grid over `b`: where PROJ cannot transform a box's
 * edges (the far side of an orthographic globe), the points inside still count. */
static bool grid_extent(cor__xform_t *xf, cor_bbox_t b, cor_bbox_t *box, bool have)
{
    enum { N = 33 };
    double x[N * N], y[N * N];
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            x[i * N + j] = b.minx + (b.maxx - b.minx) * i / (N - 1);
            y[i * N + j] = b.miny + (b.maxy - b.miny) * j / (N - 1);
        }
    cor__xform_points(xf, false, x, y, N * N);
    for (int k = 0; k < N * N; k++) {
        if (!isfinite(x[k]) || !isfinite(y[k]))
            continue;
        if (!have)
            *box = (cor_bbox_t){x[k], y[k], x[k], y[k]};
        box->minx = fmin(box->minx, x[k]), box->maxx = fmax(box->maxx, x[k]);
        box->miny = fmin(box->miny, y[k]), box->maxy = fmax(box->maxy, y[k]);
        have = true;
    }
    return have;
}

/* A layer's extent in the view's CRS. Returns: false when it cannot be transformed. */
static bool layer_extent_in_view(cor_map_t *map, cor__source_t *s, cor__crs_t *crs, cor_bbox_t *out)
{
    cor_bbox_t b;
    if (!cor__shp_extent(s->shp, &b))
        return false;
    if (!crs || !s->crs) {
        *out = b;
        return true;
    }
    cor__xform_t *xf = NULL;
    bool ok = false;
    if (cor__xform_new(map->proj, s->crs, crs, &xf, NULL) == COR_OK) {
        ok = cor__xform_bbox(xf, false, b, out, NULL) == COR_OK;
        ok = grid_extent(xf, b, out, ok);
    }
    cor__xform_free(xf);
    return ok;
}

/* The area to show, in the view's CRS: the extent in degrees, else all layers' data. */
static cor_status_t view_area(cor_map_t *map, cor__crs_t *crs, cor_bbox_t *out, cor_error_t *err)
{
    bool has = map->has_extent || map->style.map.has_extent;
    if (has) {
        cor_bbox_t ll = map->has_extent ? map->extent : map->style.map.extent;
        if (!crs)
            return cor__fail(err, COR_ERR_CRS,
                             "an extent in degrees needs a CRS: the layers have no .prj and are "
                             "not in longitude/latitude; use --crs");
        cor__crs_t *lonlat = NULL;
        cor__xform_t *xf = NULL;
        cor_status_t st = cor__crs_lonlat(map->proj, &lonlat, err);
        if (st == COR_OK)
            st = cor__xform_new(map->proj, lonlat, crs, &xf, err);
        if (st == COR_OK)
            st = cor__xform_bbox(xf, false, ll, out, err);
        cor__xform_free(xf);
        cor__crs_free(lonlat);
        return st;
    }
    bool any = false;
    for (size_t i = 0; i < map->style.nlayers; i++) {
        cor__source_t *s;
        cor_bbox_t b;
        cor_status_t st = cor__map_layer_source(map, &map->style.layers[i], &s, err);
        if (st != COR_OK)
            return st;
        if (!layer_extent_in_view(map, s, crs, &b))
            continue;
        *out = any ? bbox_union(*out, b) : b;
        any = true;
    }
    if (!any)
        return cor__fail(err, COR_ERR_DATA,
                         "nothing to draw: no layer has data that can be "
                         "placed on the map");
    double mx = (out->maxx - out->minx) * FIT_MARGIN, my = (out->maxy - out->miny) * FIT_MARGIN;
    double pad = fmax(fmax(mx, my), 1e-6 * fmax(fabs(out->maxx), fabs(out->maxy)) + 1e-9);
    out->minx -= pad, out->maxx += pad, out->miny -= pad, out->maxy += pad;
    return COR_OK;
}

/* Widens the area to the page's aspect ratio around its centre and derives the scale. */
void cor__view_fit(cor__view_t *v, cor_bbox_t area)
{
    double aw = area.maxx - area.minx, ah = area.maxy - area.miny;
    v->scale = fmin(v->width / aw, v->height / ah);
    double cx = (area.minx + area.maxx) / 2, cy = (area.miny + area.maxy) / 2;
    double hw = v->width / v->scale / 2, hh = v->height / v->scale / 2;
    v->box = (cor_bbox_t){cx - hw, cy - hh, cx + hw, cy + hh};
    double margin = 0.02 * fmax(v->width, v->height) + 20;
    v->clip = (cor_bbox_t){-margin, -margin, v->width + margin, v->height + margin};
    v->tolerance = 0.25 * 72.0 / v->dpi;
}

cor_status_t cor__map_view(cor_map_t *map, cor__view_t *v, cor_error_t *err)
{
    cor_bbox_t area;
    cor_status_t st = view_crs(map, &v->crs, err);
    if (st == COR_OK)
        st = view_area(map, v->crs, &area, err);
    if (st != COR_OK)
        return st;
    if (!(area.maxx > area.minx && area.maxy > area.miny) || !isfinite(area.maxx - area.minx) ||
        !isfinite(area.maxy - area.miny))
        return cor__fail(err, COR_ERR_CRS, "the map's area cannot be projected to a finite box");
    cor__view_fit(v, area);
    return COR_OK;
}

cor_status_t cor_map_render_cairo(cor_map_t *map, cairo_t *cr, cor_error_t *err)
{
    if (!cr || cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        return cor__fail(err, COR_ERR_USAGE, "cor_map_render_cairo: the cairo context is %s",
                         cr ? cairo_status_to_string(cairo_status(cr)) : "NULL");
    return cor__map_render(map, cr, NULL, err);
}

cor_status_t cor_map_check(cor_map_t *map, cor_error_t *err)
{
    return cor__map_render(map, NULL, NULL, err);
}

cor_status_t cor_map_render_file(cor_map_t *map, const char *path, cor_format_t format,
                                 cor_error_t *err)
{
    double w, h, dpi;
    cor__output_t *out = NULL;
    cor__buf_t svg = {0};
    if (format == COR_FORMAT_AUTO && (format = cor_format_from_path(path)) == COR_FORMAT_AUTO)
        return cor__fail(err, COR_ERR_USAGE,
                         "%s: cannot tell the format from the extension; use .png, .svg or .pdf "
                         "(or --format)",
                         path);
    cor__map_page(map, &w, &h, &dpi);
    cor_status_t st = cor__output_open(path, format, w, h, dpi, &out, err);
    if (st != COR_OK)
        return st;
    cor__output_set_metadata(out, map->style.map.title, "corridor " COR_VERSION);
    /* SVG keeps its text as <text> elements, written beside cairo's drawing. */
    st = cor__map_render(map, cor__output_cairo(out), format == COR_FORMAT_SVG ? &svg : NULL, err);
    if (st == COR_OK && svg.len)
        st = cor__output_svg_append(out, svg.data, err);
    cor__buf_free(&svg);
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
