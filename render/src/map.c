/* SPDX-License-Identifier: MIT */
/* map: the map object and its public setters: the page, the CRS and extent asked for, the data
 * directory, the style, quick-look layers and overlay files, and the sources they read (opened
 * once, with the CRS of each). It holds what a render reads; the view is view.c's, the drawing
 * render.c's, how things look style's. Nothing here calls the view or the pipeline. */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "files.h"
#include "furniture.h"
#include "map_internal.h"
#include "output.h"
#include "placement.h"
#include "suggest.h"
#include "util.h"

#define DEFAULT_WIDTH_PX  2400
#define DEFAULT_HEIGHT_PX 1800
#define DEFAULT_DPI       300.0

cor_status_t cor_map_new(cor_map_t **out, cor_error_t *err)
{
    cor_map_t *map = cor__calloc(1, sizeof *map);
    if (!map)
        return cor__fail(err, COR_ERR_NOMEM, "out of memory");
    map->dpi = DEFAULT_DPI;
    map->threads = 1;
    cor__limits_default(&map->limits);
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
        free(map->sources[i].crs_def);
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
    cor__warnings_clear(&map->warnings);
    cor__space_free(map->placement);
    cor__buf_free(&map->placement_json);
    cor__overlays_clear(&map->overlays);
    cor__gazetteer_free(map->gazetteer);
    cor__style_clear(&map->style);
    cor__script_free(map->script);
    cor__proj_free(map->proj);
    free(map->data_dir);
    free(map->crs_def);
    free(map->atlas_title);
    free(map->atlas_subtitle);
    cor__map_inputs_free(map);
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
    cor__script_limits_t lim;
    cor__script_limits_from(&map->limits, &lim);
    cor_status_t st = cor__script_new(&lim, &map->script, err);
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
        st = cor__map_note_input(map, path, err);
    if (st == COR_OK)
        st = cor__script_run_style(map->script, path, &map->style, err);
    if (st == COR_OK && !(map->style.path = cor__strdup(path)))
        st = cor__fail(err, COR_ERR_NOMEM, "out of memory");
    return st;
}

cor_status_t cor_map_load_style_string(cor_map_t *map, const char *name, const char *text,
                                       size_t len, cor_error_t *err)
{
    if (!map || !name || !*name || !text)
        return cor__fail(err, COR_ERR_USAGE,
                         "cor_map_load_style_string: NULL map or text, or no name");
    if (map->style.path)
        return cor__fail(err, COR_ERR_USAGE, "%s: a style is already loaded (%s)", name,
                         map->style.path);
    cor_status_t st = cor__map_script(map, err);
    if (st == COR_OK)
        st = cor__script_run_text(map->script, name, text, len, false, &map->style, err);
    if (st == COR_OK && !(map->style.path = cor__strdup(name)))
        st = cor__fail(err, COR_ERR_NOMEM, "out of memory");
    return st;
}

cor_status_t cor_map_add_layer(cor_map_t *map, const char *shp_path, cor_error_t *err)
{
    cor__shp_t *probe = NULL;
    cor_status_t st = cor__shp_open(shp_path, &probe, err); /* fail now, not at render time */
    cor__shp_close(probe);
    if (st == COR_OK)
        st = cor__map_note_input(map, shp_path, err);
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

/* Adds a GeoJSON overlay: the file at `path`, or `text` (len bytes) named `path`. */
/* ---- a shapefile layer with a look from C ---- */

/* Reads `text` as a value of property `id`: true/false, a number, a list "6,3", or a string,
 * whichever the property takes first in that order. */
static void look_value(cor__prop_id_t id, const char *text, cor__pval_t *v)
{
    char *end = NULL;
    double num = strtod(text, &end);
    memset(v, 0, sizeof *v);
    if ((strcmp(text, "true") == 0 || strcmp(text, "false") == 0 || strcmp(text, "none") == 0) &&
        cor__prop_accepts(id, COR__PV_BOOL)) {
        *v = (cor__pval_t){.type = COR__PV_BOOL, .b = text[0] == 't'};
    } else if (*text && !*end && cor__prop_accepts(id, COR__PV_NUMBER)) {
        *v = (cor__pval_t){.type = COR__PV_NUMBER, .num = num};
    } else if (cor__prop_accepts(id, COR__PV_LIST) && *text && strchr("0123456789.", *text)) {
        v->type = COR__PV_LIST;
        for (const char *p = text; *p && v->nlist < COR__LIST_MAX; p = *end ? end + 1 : end) {
            v->list[v->nlist++] = strtod(p, &end);
            if (end == p || (*end && *end != ','))
                break;
        }
    } else {
        *v = (cor__pval_t){.type = COR__PV_STRING, .str = cor__strdup(text)};
    }
}

/* Sets one key of a look on a layer: name, legend, group, crs or a property. */
static cor_status_t look_key(cor__layer_style_t *ls, const char *key, const char *text,
                             cor_error_t *err)
{
    char **field = strcmp(key, "name") == 0     ? &ls->name
                   : strcmp(key, "legend") == 0 ? &ls->legend
                   : strcmp(key, "group") == 0  ? &ls->group
                   : strcmp(key, "crs") == 0    ? &ls->crs
                                                : NULL;
    cor__prop_id_t id;
    char why[200];
    if (field) {
        free(*field);
        return (*field = cor__strdup(text)) ? COR_OK
                                            : cor__fail(err, COR_ERR_NOMEM, "out of memory");
    }
    if (!cor__prop_lookup(key, &id) || id == COR__P_FILTER)
        return cor__fail(err, COR_ERR_USAGE,
                         "look: '%s' is not a layer key (fill, stroke, width, label, ...)", key);
    cor__pval_t v;
    look_value(id, text, &v);
    if ((v.type == COR__PV_STRING && !v.str) || !cor__prop_check(id, &v, why, sizeof why)) {
        cor__pval_clear(&v);
        return v.type == COR__PV_STRING && !v.str
                   ? cor__fail(err, COR_ERR_NOMEM, "out of memory")
                   : cor__fail(err, COR_ERR_USAGE, "look: %s: %s", key, why);
    }
    cor__pval_clear(&ls->props[id].val);
    ls->props[id] = (cor__prop_t){.set = true, .val = v};
    return COR_OK;
}

cor_status_t cor_map_add_styled_layer(cor_map_t *map, const char *shp_path, const char *const *look,
                                      cor_error_t *err)
{
    if (!map || !shp_path)
        return cor__fail(err, COR_ERR_USAGE, "cor_map_add_styled_layer: NULL map or path");
    size_t n = 0;
    while (look && look[n] && n < 2 * COR__P_COUNT + 8 && look[n + 1])
        n += 2;
    if (look && look[n])
        return cor__fail(err, COR_ERR_USAGE,
                         "look: key '%s' has no value (the list is key, value, ..., NULL)",
                         look[n]);
    cor__layer_style_t tmp = {0}; /* the look, checked before the layer is added */
    cor_status_t st = COR_OK;
    for (size_t i = 0; st == COR_OK && i < n; i += 2)
        st = look_key(&tmp, look[i], look[i + 1], err);
    if (st == COR_OK)
        st = cor_map_add_layer(map, shp_path, err);
    if (st == COR_OK) {
        cor__layer_style_t *ls = &map->style.layers[map->style.nlayers - 1];
        memcpy(ls->props, tmp.props, sizeof ls->props);
        memset(tmp.props, 0, sizeof tmp.props);
        if (tmp.name) {
            free(ls->name);
            ls->name = tmp.name, tmp.name = NULL;
        }
        ls->legend = tmp.legend, ls->group = tmp.group;
        tmp.legend = tmp.group = NULL;
    }
    for (size_t i = 0; i < COR__P_COUNT; i++)
        cor__pval_clear(&tmp.props[i].val);
    free(tmp.name), free(tmp.legend), free(tmp.group);
    return st;
}

/* ---- title, subtitle, credits, legend ---- */

static cor_status_t set_text(char **field, const char *text, cor_error_t *err)
{
    char *copy = NULL;
    if (text && !(copy = cor__strdup(text)))
        return cor__fail(err, COR_ERR_NOMEM, "out of memory");
    free(*field);
    *field = copy;
    return COR_OK;
}

cor_status_t cor_map_set_title(cor_map_t *map, const char *title, cor_error_t *err)
{
    if (map && set_text(&map->atlas_title, NULL, err) != COR_OK)
        return COR_ERR_NOMEM;
    return map ? set_text(&map->style.map.title, title, err)
               : cor__fail(err, COR_ERR_USAGE, "cor_map_set_title: NULL map");
}

cor_status_t cor_map_set_subtitle(cor_map_t *map, const char *subtitle, cor_error_t *err)
{
    if (map && set_text(&map->atlas_subtitle, NULL, err) != COR_OK)
        return COR_ERR_NOMEM;
    return map ? set_text(&map->style.map.subtitle, subtitle, err)
               : cor__fail(err, COR_ERR_USAGE, "cor_map_set_subtitle: NULL map");
}

cor_status_t cor_map_set_credits(cor_map_t *map, const char *credits, cor_error_t *err)
{
    return map ? set_text(&map->style.map.credits, credits, err)
               : cor__fail(err, COR_ERR_USAGE, "cor_map_set_credits: NULL map");
}

cor_status_t cor_map_set_legend(cor_map_t *map, const char *corner, cor_error_t *err)
{
    cor__corner_t c;
    if (!map)
        return cor__fail(err, COR_ERR_USAGE, "cor_map_set_legend: NULL map");
    if (!corner || !cor__corner_parse(corner, &c))
        return cor__fail(err, COR_ERR_USAGE,
                         "legend: '%s' is not a place: auto, top-left, top-right, bottom-left, "
                         "bottom-right or none",
                         corner ? corner : "(null)");
    return set_text(&map->style.map.legend, corner, err);
}

static cor_status_t add_json_overlay(cor_map_t *map, const char *path, const char *text, size_t len,
                                     cor_error_t *err)
{
    cor__json_t *json = NULL;
    char *copy = NULL;
    if (!cor__grow((void **)&map->json, &map->cap_json, map->njson + 1, sizeof *map->json))
        return cor__fail(err, COR_ERR_NOMEM, "out of memory");
    size_t positions = (size_t)map->limits.v[COR__LIM_GEOJSON_POSITIONS];
    cor__json_limits_t lim = {
        (size_t)map->limits.v[COR__LIM_GEOJSON_FILE],
        positions > COR__JSON_MAX_VALUES / 3 ? 3 * positions : COR__JSON_MAX_VALUES, positions};
    cor_status_t st = text ? cor__json_parse_limited(text, len, path, &lim, &json, err)
                           : cor__json_open_limited(path, &lim, &json, err);
    if (st == COR_ERR_LIMIT && err) /* values go with positions; the rest is the file's size */
        cor__limit_hint(err, strstr(err->message, "positions") || strstr(err->message, "values")
                                 ? COR__LIM_GEOJSON_POSITIONS
                                 : COR__LIM_GEOJSON_FILE);
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
        return add_json_overlay(map, path, NULL, 0, err);
    if (!cor__ends_with_ci(path, ".lua"))
        return cor__fail(err, COR_ERR_USAGE,
                         "%s: an overlay is a Lua script (.lua) or GeoJSON (.geojson, .json)",
                         path);
    cor_status_t st = cor__map_script(map, err);
    if (st == COR_OK)
        st = cor__map_note_input(map, path, err);
    return st == COR_OK ? cor__script_run_overlay(map->script, path, &map->style, err) : st;
}

/* Returns: true when the text's first character that is not white space (after a UTF-8 byte
 * order mark) opens a JSON object. */
static bool looks_like_json(const char *text, size_t len)
{
    size_t i = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < len && strchr(" \t\r\n", text[i]))
        i++;
    return i < len && text[i] == '{';
}

cor_status_t cor_map_add_overlay_string(cor_map_t *map, const char *name, const char *text,
                                        size_t len, cor_error_t *err)
{
    if (!map || !name || !*name || !text)
        return cor__fail(err, COR_ERR_USAGE,
                         "cor_map_add_overlay_string: NULL map or text, or no name");
    if (looks_like_json(text, len))
        return add_json_overlay(map, name, text, len, err);
    cor_status_t st = cor__map_script(map, err);
    return st == COR_OK ? cor__script_run_text(map->script, name, text, len, true, &map->style, err)
                        : st;
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

cor_status_t cor_map_set_threads(cor_map_t *map, int threads, cor_error_t *err)
{
    if (threads < 0 || threads > COR_MAX_THREADS)
        return cor__fail(err, COR_ERR_USAGE, "%d threads: expected 0 (one per processor) to %d",
                         threads, COR_MAX_THREADS);
    long online = threads == 0 ? sysconf(_SC_NPROCESSORS_ONLN) : threads;
    map->threads = online < 1 ? 1 : online > COR_MAX_THREADS ? COR_MAX_THREADS : (int)online;
    return COR_OK;
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

cor_status_t cor_map_set_limit(cor_map_t *map, const char *name, double value, cor_error_t *err)
{
    if (!map)
        return cor__fail(err, COR_ERR_USAGE, "cor_map_set_limit: no map");
    cor_status_t st = cor__limits_set(&map->limits, name, value, err);
    if (st == COR_OK && map->script) {
        cor__script_limits_t lim;
        cor__script_limits_from(&map->limits, &lim);
        cor__script_set_limits(map->script, &lim);
    }
    return st;
}

double cor_map_get_limit(const cor_map_t *map, const char *name)
{
    const cor__limit_row_t *r = cor__limit_find(name);
    return map && r ? map->limits.v[r - cor__limit_rows] : NAN;
}

bool cor_limit_info(size_t i, const char **name, const char **unit, const char **what, double *def,
                    double *max)
{
    if (i >= COR__LIM_COUNT)
        return false;
    const cor__limit_row_t *r = &cor__limit_rows[i];
    if (name)
        *name = r->name;
    if (unit)
        *unit = r->unit;
    if (what)
        *what = r->what;
    if (def)
        *def = r->def;
    if (max)
        *max = r->max;
    return true;
}

cor_status_t cor__map_check_raster(const cor_map_t *map, cor_format_t fmt, cor_error_t *err)
{
    double w, h, dpi;
    if (fmt != COR_FORMAT_PNG)
        return COR_OK;
    cor__map_page(map, &w, &h, &dpi);
    double pw = round(w * dpi / 72.0), ph = round(h * dpi / 72.0);
    double side = map->limits.v[COR__LIM_RASTER_SIDE],
           pixels = map->limits.v[COR__LIM_RASTER_PIXELS];
    cor__limit_id_t hit = COR__LIM_COUNT;
    if (pw > side || ph > side) {
        cor__fail(err, COR_ERR_LIMIT, "page of %.0f x %.0f px exceeds the %.0f px limit per side",
                  pw, ph, side);
        hit = COR__LIM_RASTER_SIDE;
    } else if (pw * ph > pixels) {
        cor__fail(err, COR_ERR_LIMIT,
                  "page of %.0f x %.0f px (%.3g million pixels) exceeds the %.3g million pixel "
                  "limit",
                  pw, ph, pw * ph / 1e6, pixels / 1e6);
        hit = COR__LIM_RASTER_PIXELS;
    }
    if (hit == COR__LIM_COUNT)
        return COR_OK;
    cor__limit_hint(err, hit);
    return COR_ERR_LIMIT;
}

void cor_map_clear_warnings(cor_map_t *map)
{
    if (map)
        cor__warnings_clear(&map->warnings);
}

void cor_map_get_stats_sized(const cor_map_t *map, cor_render_stats_t *out, size_t size)
{
    if (!out)
        return;
    memset(out, 0, size); /* a newer caller's fields this library does not know read as zero */
    if (map)
        memcpy(out, &map->stats, size < sizeof map->stats ? size : sizeof map->stats);
}

cor_status_t cor_map_placement_json(cor_map_t *map, const char **json, size_t *len,
                                    cor_error_t *err)
{
    if (!map || !json)
        return cor__fail(err, COR_ERR_USAGE, "cor_map_placement_json: no map or no place for it");
    if (!map->placement)
        return cor__fail(err, COR_ERR_USAGE,
                         "no placement report: the map has not been rendered (render it first)");
    if (!map->placement_json.len &&
        !cor__space_report(map->placement, map->placement_dpi, &map->placement_json)) {
        cor__buf_free(&map->placement_json);
        return cor__fail(err, COR_ERR_NOMEM, "out of memory writing the placement report");
    }
    *json = map->placement_json.data;
    if (len)
        *len = map->placement_json.len;
    return COR_OK;
}

bool cor_map_get_dropped(const cor_map_t *map, size_t i, const char **kind, const char **text,
                         const char **reason)
{
    cor__kind_t k;
    if (!map || !cor__space_dropped(map->placement, i, &k, text, reason))
        return false;
    if (kind)
        *kind = cor__kind_name(k);
    return true;
}

/* ---- sources ---- */

bool cor__map_is_quick(const cor__layer_style_t *ls)
{
    return ls->line < 0;
}

/* Whether a directory entry is a shapefile whose layer name fits in 80 bytes. */
static int is_layer_file(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return n > 4 && n < 84 && cor__ends_with_ci(e->d_name, ".shp");
}

/* The error for a geodata layer name that names no shapefile of `gdir`: the nearest layer
 * name, and the layers there are, in alphabetical order. */
static cor_status_t no_such_layer(const char *gdir, const char *name, cor_error_t *err)
{
    char known[400] = "", layers[64][80];
    size_t len = 0, nl = 0;
    cor__nearest_t near;
    cor__nearest_init(&near, name);
    struct dirent **list = NULL;
    int n = scandir(gdir, &list, is_layer_file, alphasort);
    for (int i = 0; i < n; i++) {
        size_t k = strlen(list[i]->d_name) - 4;
        if (nl < sizeof layers / sizeof *layers) {
            snprintf(layers[nl], sizeof layers[nl], "%.*s", (int)k, list[i]->d_name);
            cor__nearest_offer(&near, layers[nl]);
            if (len + k < sizeof known - 8)
                len += (size_t)snprintf(known + len, sizeof known - len, "%s%s", len ? ", " : "",
                                        layers[nl]);
            nl++;
        }
        free(list[i]);
    }
    free(list);
    if (near.best)
        return cor__fail(err, COR_ERR_NOTFOUND,
                         "no layer '%s' in %s (did you mean '%s'? layers: %s)", name, gdir,
                         near.best, known);
    return cor__fail(err, COR_ERR_NOTFOUND, "no layer '%s' in %s (layers: %s)", name, gdir,
                     known[0] ? known : "none");
}

/* The shapefile of a geodata layer name ("countries") in the data directory; an unknown name
 * is COR_ERR_NOTFOUND with the nearest names. */
static cor_status_t geodata_path(cor_map_t *map, const char *name, char **out, cor_error_t *err)
{
    const char *dir;
    cor_status_t st = cor__map_data_dir(map, &dir, err);
    if (st != COR_OK)
        return st;
    char *gdir = cor__path_join(dir, "geodata"), *file = cor__asprintf("%s.shp", name);
    *out = gdir && file ? cor__path_join(gdir, file) : NULL;
    if (*out && access(*out, F_OK) != 0 && errno == ENOENT) {
        st = no_such_layer(gdir, name, err);
        free(*out);
        *out = NULL;
    } else if (!*out) {
        st = cor__fail(err, COR_ERR_NOMEM, "out of memory");
    }
    free(gdir);
    free(file);
    return st;
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
    if (!cor__map_is_quick(ls) && !strchr(src, '/') && !cor__ends_with_ci(src, ".shp"))
        return geodata_path(map, src, out, err);
    *out = cor__map_is_quick(ls) ? cor__strdup(src) : cor__path_join(ls->base_dir, src);
    return *out ? COR_OK : cor__fail(err, COR_ERR_NOMEM, "out of memory");
}

/* Decides the CRS of a source: the one the style names; else its .prj; without one, lon/lat
 * when the coordinates fit. */
static cor_status_t source_crs(cor_map_t *map, cor__source_t *s, cor_error_t *err)
{
    if (s->crs_def) {
        cor_status_t st = cor__crs_new(map->proj, s->crs_def, &s->crs, err);
        if (st != COR_OK)
            cor__error_prefix(err, "crs '%s'", s->crs_def);
        return st;
    }
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

cor_status_t cor__map_open_source(cor_map_t *map, const char *path, const char *crs,
                                  cor__source_t **out, cor_error_t *err)
{
    for (size_t i = 0; i < map->nsources; i++) {
        const char *def = map->sources[i].crs_def;
        if (strcmp(map->sources[i].path, path) == 0 &&
            (def && crs ? strcmp(def, crs) == 0 : def == crs)) {
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
    if (st == COR_OK &&
        (!(s->path = cor__strdup(path)) || (crs && !(s->crs_def = cor__strdup(crs)))))
        st = cor__fail(err, COR_ERR_NOMEM, "out of memory");
    if (st == COR_OK)
        st = source_crs(map, s, err);
    if (st != COR_OK) {
        cor__shp_close(s->shp);
        cor__crs_free(s->crs);
        free(s->path);
        free(s->crs_def);
        return st;
    }
    map->nsources++;
    (void)cor__warnings_merge(&map->warnings, cor__shp_warnings(s->shp)); /* a lost line only */
    *out = s;
    return COR_OK;
}

void cor__map_note_sources(cor_map_t *map)
{
    for (size_t i = 0; i < map->nsources; i++) {
        const cor__shp_t *shp = map->sources[i].shp;
        size_t n = cor__shp_invalid_text(shp);
        if (n <= map->sources[i].text_warned) /* said already, also if the list was cleared */
            continue;
        map->sources[i].text_warned = n;
        (void)cor__warnings_add(&map->warnings,
                                "%s: %zu attribute value%s not valid %s text (encoding from "
                                "%s): shown with U+FFFD in place of the bad bytes",
                                map->sources[i].path, n, n == 1 ? " is" : "s are",
                                cor__shp_encoding(shp), cor__shp_encoding_source(shp));
    }
}

size_t cor_map_warning_count(const cor_map_t *map)
{
    return map ? map->warnings.n : 0;
}

const char *cor_map_warning(const cor_map_t *map, size_t i)
{
    return map ? cor__warnings_get(&map->warnings, i) : NULL;
}

cor_status_t cor__map_layer_source(cor_map_t *map, const cor__layer_style_t *ls,
                                   cor__source_t **out, cor_error_t *err)
{
    char *path = NULL;
    cor_status_t st = layer_path(map, ls, &path, err);
    if (st == COR_OK)
        st = cor__map_open_source(map, path, ls->crs, out, err);
    const char *file = ls->file ? ls->file : map->style.path; /* an include's, or the style's */
    if (st == COR_ERR_NOTFOUND && file)                       /* the message names the layer */
        cor__error_prefix(err, "%s:%d", file, ls->line);
    else if (st != COR_OK && !cor__map_is_quick(ls) && file)
        cor__error_prefix(err, "%s:%d: layer '%s'", file, ls->line, ls->name);
    free(path);
    return st;
}

cor_status_t cor__map_geodata_source(cor_map_t *map, const char *name, cor__source_t **out,
                                     cor_error_t *err)
{
    char *path = NULL;
    cor_status_t st = geodata_path(map, name, &path, err);
    if (st == COR_OK)
        st = cor__map_open_source(map, path, NULL, out, err);
    free(path);
    return st;
}

/* ---- hidden groups ---- */

/* Appends group g to the list of names (once), within `size` bytes. */
static void list_group(char *list, size_t size, const char *g)
{
    size_t n = strlen(g), len = strlen(list);
    for (const char *p = list; (p = strstr(p, g)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
            return;
    if (len + n + 3 < size)
        snprintf(list + len, size - len, "%s%s", len ? ", " : "", g);
}

cor_status_t cor__map_check_hidden(const cor_map_t *map, cor_error_t *err)
{
    const cor__overlays_t *o = &map->overlays;
    for (size_t h = 0; h < o->nhidden; h++) {
        const char *name = o->hidden[h];
        char groups[400] = "";
        cor__nearest_t near;
        cor__nearest_init(&near, name);
        for (size_t i = 0; i < o->n + map->style.nlayers && near.best_d; i++) {
            const char *g = i < o->n ? o->items[i].group : map->style.layers[i - o->n].group;
            if (g) {
                cor__nearest_offer(&near, g);
                list_group(groups, sizeof groups, g);
            }
        }
        if (near.best_d == 0)
            continue;
        if (near.best)
            return cor__fail(err, COR_ERR_NOTFOUND,
                             "hide '%s': no overlay or layer is in that group (did you mean "
                             "'%s'? groups: %s)",
                             name, near.best, groups);
        return cor__fail(err, COR_ERR_NOTFOUND,
                         "hide '%s': no overlay or layer is in that group (groups: %s)", name,
                         groups[0] ? groups : "none");
    }
    return COR_OK;
}
