/* SPDX-License-Identifier: MIT */
/* features: the features of one layer listed with a name and a lon/lat extent (what an atlas
 * iterates and `corridor info --features` prints), and the atlas feature of a map: its
 * attributes given to the style's functions as `atlas`, `{field}` templates in the title
 * filled from them. It reads sources through map.c and PROJ; it draws nothing. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map_internal.h"
#include "project.h"
#include "script.h"
#include "util.h"

typedef struct collect {
    const char *field, *where_field, *where_value;
    long only; /* -1: every record */
    cor__xform_t *to_lonlat;
    cor_feature_list_t *list;
    size_t cap;
} collect_t;

/* Writes an attribute as text into buf ("" for null). */
static void attr_text(const cor__attr_t *a, char *buf, size_t n)
{
    if (!a || a->type == COR__ATTR_NULL)
        snprintf(buf, n, "%s", "");
    else if (a->type == COR__ATTR_STRING)
        snprintf(buf, n, "%s", a->str);
    else if (a->type == COR__ATTR_BOOL)
        snprintf(buf, n, "%s", a->b ? "true" : "false");
    else
        snprintf(buf, n, "%.15g", a->num);
}

static cor_status_t collect_one(const cor__feature_t *f, void *ud, cor_error_t *err)
{
    collect_t *c = ud;
    char text[1024];
    if (c->only >= 0 && f->id != c->only)
        return COR_OK;
    if (c->where_field) {
        attr_text(cor__feature_get(f, c->where_field), text, sizeof text);
        if (strcmp(text, c->where_value) != 0)
            return COR_OK;
    }
    cor_feature_list_t *l = c->list;
    if (!cor__grow((void **)&l->items, &c->cap, l->n + 1, sizeof *l->items))
        return cor__fail(err, COR_ERR_NOMEM, "out of memory");
    cor_feature_info_t *fi = &l->items[l->n];
    memset(fi, 0, sizeof *fi);
    fi->index = f->id;
    attr_text(cor__feature_get(f, c->field), text, sizeof text);
    if (!(fi->name = cor__strdup(text)))
        return cor__fail(err, COR_ERR_NOMEM, "out of memory");
    l->n++;
    cor_bbox_t b = cor__geom_bbox(f->geom);
    if (!(b.minx <= b.maxx) || !(b.miny <= b.maxy))
        return COR_OK;
    cor_error_t ignored = {0}; /* a box PROJ cannot place: listed without an extent */
    if (c->to_lonlat && cor__xform_bbox(c->to_lonlat, false, b, &b, &ignored) != COR_OK)
        return COR_OK;
    fi->extent = b;
    fi->has_extent = true;
    return COR_OK;
}

void cor_feature_list_free(cor_feature_list_t *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i].name);
    free(l->items);
    free(l);
}

/* Opens the source of `layer`: a geodata name ("regions") or a path to a .shp. */
static cor_status_t open_layer(cor_map_t *map, const char *layer, cor__source_t **src,
                               cor_error_t *err)
{
    if (strchr(layer, '/') || cor__ends_with_ci(layer, ".shp"))
        return cor__map_open_source(map, layer, NULL, src, err);
    return cor__map_geodata_source(map, layer, src, err);
}

/* Checks that the layer has the fields asked for, naming the ones it has when not. */
static cor_status_t check_field(const cor__source_t *s, const char *field, cor_error_t *err)
{
    char have[512] = "";
    size_t n = cor__shp_nfields(s->shp), len = 0;
    for (size_t i = 0; i < n; i++)
        if (cor__strcasecmp(cor__shp_field(s->shp, i)->name, field) == 0)
            return COR_OK;
    for (size_t i = 0; i < n && len < sizeof have - 20; i++)
        len += (size_t)snprintf(have + len, sizeof have - len, "%s%s", i ? ", " : "",
                                cor__shp_field(s->shp, i)->name);
    return cor__fail(err, COR_ERR_NOTFOUND, "%s: no field '%s' (it has %s)", s->path, field, have);
}

/* Lists the features of an opened source into *out. */
static cor_status_t list_source(cor_map_t *map, cor__source_t *s, collect_t *c,
                                cor_feature_list_t **out, cor_error_t *err)
{
    cor__crs_t *lonlat = NULL;
    cor_status_t st = check_field(s, c->field, err);
    if (st == COR_OK && c->where_field)
        st = check_field(s, c->where_field, err);
    if (st == COR_OK && s->crs && (st = cor__crs_lonlat(map->proj, &lonlat, err)) == COR_OK)
        st = cor__xform_new(map->proj, s->crs, lonlat, &c->to_lonlat, err);
    if (st == COR_OK && !(c->list = cor__calloc(1, sizeof *c->list)))
        st = cor__fail(err, COR_ERR_NOMEM, "out of memory");
    if (st == COR_OK)
        st = cor__shp_each(s->shp, NULL, collect_one, c, err);
    cor__xform_free(c->to_lonlat);
    cor__crs_free(lonlat);
    if (st != COR_OK) {
        cor_feature_list_free(c->list);
        return st;
    }
    *out = c->list;
    return COR_OK;
}

cor_status_t cor_map_list_features(cor_map_t *map, const char *layer, const char *field,
                                   const char *where_field, const char *where_value,
                                   cor_feature_list_t **out, cor_error_t *err)
{
    cor__source_t *s = NULL;
    if (!map || !layer || !*layer || !out || (where_field && !where_value))
        return cor__fail(err, COR_ERR_USAGE,
                         "cor_map_list_features: NULL map, layer, output or where value");
    collect_t c = {field ? field : "name", where_field, where_value, -1, NULL, NULL, 0};
    cor_status_t st = open_layer(map, layer, &s, err);
    return st == COR_OK ? list_source(map, s, &c, out, err) : st;
}

/* ---- the atlas feature ---- */

typedef struct pick {
    long index;
    cor_map_t *map;
    bool found;
} pick_t;

/* Fills `{field}` in text from the feature's attributes; unknown fields stay as written. */
static char *fill_template(const char *text, const cor__feature_t *f)
{
    cor__buf_t b = {0};
    char value[1024];
    for (const char *p = text; *p;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        char field[128];
        size_t n = close ? (size_t)(close - p - 1) : 0;
        if (close && n > 0 && n < sizeof field) {
            memcpy(field, p + 1, n);
            field[n] = '\0';
            const cor__attr_t *a = cor__feature_get(f, field);
            if (a) {
                attr_text(a, value, sizeof value);
                if (!cor__buf_puts(&b, value))
                    break;
                p = close + 1;
                continue;
            }
        }
        if (!cor__buf_append(&b, p++, 1))
            break;
    }
    if (!b.data)
        return cor__strdup("");
    return b.data;
}

/* Fills the map's title and subtitle from their templates and the feature. */
static bool fill_titles(cor_map_t *map, const cor__feature_t *f)
{
    char **fields[] = {&map->style.map.title, &map->style.map.subtitle};
    char **templates[] = {&map->atlas_title, &map->atlas_subtitle};
    for (size_t i = 0; i < 2; i++) {
        if (!*templates[i] && *fields[i] && !(*templates[i] = cor__strdup(*fields[i])))
            return false;
        if (!*templates[i])
            continue;
        char *filled = fill_template(*templates[i], f);
        if (!filled)
            return false;
        free(*fields[i]);
        *fields[i] = filled;
    }
    return true;
}

static cor_status_t pick_one(const cor__feature_t *f, void *ud, cor_error_t *err)
{
    pick_t *p = ud;
    if (f->id != p->index)
        return COR_OK;
    p->found = true;
    cor_status_t st = cor__map_script(p->map, err);
    if (st == COR_OK)
        st = cor__script_set_atlas(p->map->script, f, err);
    if (st == COR_OK && !fill_titles(p->map, f))
        st = cor__fail(err, COR_ERR_NOMEM, "out of memory");
    return st;
}

cor_status_t cor_map_set_atlas_feature(cor_map_t *map, const char *layer, long index, double margin,
                                       cor_error_t *err)
{
    cor__source_t *s = NULL;
    cor_feature_list_t *one = NULL;
    if (!map || !layer || !*layer || index < 0 || !(margin >= 0 && margin <= 10))
        return cor__fail(err, COR_ERR_USAGE,
                         "cor_map_set_atlas_feature: NULL map or layer, a negative index or a "
                         "margin outside 0..10");
    collect_t c = {"name", NULL, NULL, index, NULL, NULL, 0};
    pick_t p = {index, map, false};
    cor_status_t st = open_layer(map, layer, &s, err);
    if (st == COR_OK)
        st = cor__shp_each(s->shp, NULL, pick_one, &p, err);
    if (st == COR_OK && !p.found)
        return cor__fail(err, COR_ERR_NOTFOUND, "%s: no feature %ld (it has %zu)", s->path, index,
                         cor__shp_count(s->shp));
    c.field = cor__shp_nfields(s->shp) ? cor__shp_field(s->shp, 0)->name : "name";
    if (st == COR_OK)
        st = list_source(map, s, &c, &one, err);
    if (st == COR_OK && one->n == 1 && one->items[0].has_extent) {
        cor_bbox_t b = one->items[0].extent;
        double dx = (b.maxx - b.minx) * margin, dy = (b.maxy - b.miny) * margin;
        double pad = 0.01; /* a point still gets a box */
        b = (cor_bbox_t){fmax(-180, b.minx - dx - pad), fmax(-90, b.miny - dy - pad),
                         fmin(180, b.maxx + dx + pad), fmin(90, b.maxy + dy + pad)};
        st = cor_map_set_extent(map, b, err);
    }
    cor_feature_list_free(one);
    return st;
}
