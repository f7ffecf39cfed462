/* SPDX-License-Identifier: MIT */
/* mapdef: the table of map{} settings and what follows from it: merging the settings of
 * several map{} declarations (an included style, then the style's own), checking those that
 * depend on each other, and releasing them. The Lua side reads the same table (script_style). */
#include "mapdef.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AT(f) offsetof(cor__mapdef_t, f)
#define NONE  COR__MK_NONE

/* clang-format off */
static const cor__mapkey_t keys[] = {
    {"map", "crs", COR__MK_NAME, AT(crs), NONE, NONE, 0, 0, NULL, 0, NULL, NULL,
     "the output CRS: an EPSG code, a PROJ string or WKT"},
    {"map", "extent", COR__MK_EXTENT, AT(extent), AT(has_extent), NONE, 0, 0, NULL, 0, NULL, NULL,
     "the area to show, {west, south, east, north} in degrees"},
    {"map", "focus", COR__MK_EXTENT, AT(focus), AT(has_focus), NONE, 0, 0, NULL, 0, NULL, NULL,
     "the part of the extent that must stay in view, {west, south, east, north}: a page of "
     "another shape crops the extent down to it before it widens the view"},
    {"map", "size", COR__MK_PAGE, AT(width_pt), AT(has_page), NONE, 1, 100000, NULL, 0, NULL, NULL,
     "the page: \"WIDTHxHEIGHT\" or {width, height} in pixels at dpi"},
    {"map", "dpi", COR__MK_PAGE_DPI, AT(dpi), NONE, NONE, 1, 10000, NULL, 0, NULL, NULL,
     "the raster resolution (default 300)"},
    {"map", "background", COR__MK_COLOR, AT(background), AT(has_background), NONE, 0, 0, NULL, 0,
     NULL, NULL, "the colour behind everything (the sea)"},
    {"map", "title", COR__MK_STRING, AT(title), NONE, NONE, 0, 0, NULL, 0, NULL, NULL,
     "the title, top left"},
    {"map", "subtitle", COR__MK_STRING, AT(subtitle), NONE, NONE, 0, 0, NULL, 0, NULL, NULL,
     "the line under the title"},
    {"map", "credits", COR__MK_STRING, AT(credits), NONE, NONE, 0, 0, NULL, 0, NULL, NULL,
     "sources and credits, along the bottom"},
    {"map", "date", COR__MK_STRING, AT(date), NONE, NONE, 0, 0, NULL, 0, NULL, NULL,
     "shown with the credits"},
    {"map", "graticule", COR__MK_GRATICULE, AT(graticule), AT(has_graticule), NONE, 0, 90, NULL,
     0, NULL, NULL, "true, false or the degrees between lines"},
    {"map", "scalebar", COR__MK_CORNER, AT(scalebar), NONE, NONE, 0, 0, NULL, 0, NULL, NULL,
     "the scale bar's corner, or false"},
    {"map", "north_arrow", COR__MK_BOOL, AT(north_arrow), AT(has_north_arrow), NONE, 0, 0, NULL,
     0, NULL, NULL, "a north arrow beside the scale bar"},
    {"map", "legend", COR__MK_CORNER, AT(legend), NONE, NONE, 0, 0, NULL, 0, NULL, NULL,
     "the legend's corner, or false"},
    {"map", "legend_title", COR__MK_STRING, AT(legend_title), NONE, NONE, 0, 0, NULL, 0, NULL,
     NULL, "the legend's heading"},
    {"map", "flow_unit", COR__MK_STRING, AT(flow_unit), NONE, NONE, 0, 0, NULL, 0, NULL, NULL,
     "written after the legend's flow-width numbers (\"people\")"},
    {"map", "inset", COR__MK_INSET, AT(inset), NONE, NONE, 0, 0, NULL, 0, NULL, NULL,
     "the locator inset: a corner, false, or a table of the inset keys"},
    {"map", "flow_max_width", COR__MK_NUMBER, AT(flow_max_width), AT(has_flow_max_width), NONE,
     0, 100, " pt", 0, NULL, NULL, "the width of the largest flow, pt"},
    {"map", "flow_min_width", COR__MK_NUMBER, AT(flow_min_width), AT(has_flow_min_width), NONE,
     0, 100, " pt", 0, NULL, NULL, "the narrowest a flow is drawn, pt"},
    {"map", "flow_scale", COR__MK_TABLE, AT(has_flow_scale), AT(has_flow_scale), NONE, 0, 0, NULL,
     0, NULL, NULL, "one width scale for every flow, band and valued route: { value =, width = }"},
    {"map", "label_font", COR__MK_NAME, AT(label_font), NONE, NONE, 0, 0, NULL, 0, NULL, NULL,
     "the font family of the map's labels"},
    {"flow_scale", "value", COR__MK_NUMBER, AT(flow_scale_value), AT(has_flow_scale_value), NONE,
     0, 1e15, "", 0, NULL, NULL, "the value of the scale's reference flow (above 0)"},
    {"flow_scale", "width", COR__MK_NUMBER, AT(flow_scale_width), AT(has_flow_scale_width), NONE,
     0, 100, " pt", 0, NULL, NULL, "the width that flow is drawn at, pt"},
    {"inset", "position", COR__MK_CORNER, AT(inset), NONE, NONE, 0, 0, NULL, 0, NULL, NULL,
     "its corner (default: the best free one)"},
    {"inset", "crs", COR__MK_NAME, AT(inset_crs), NONE, NONE, 0, 0, NULL, 4096, NULL, NULL,
     "the inset's CRS"},
    {"inset", "extent", COR__MK_EXTENT, AT(inset_extent), AT(has_inset_extent), NONE, 0, 0, NULL,
     0, NULL, NULL, "the area it shows, in degrees"},
    {"inset", "highlight", COR__MK_LIST, AT(inset_highlight), AT(has_inset_highlight),
     AT(ninset_highlight), 0, 0, NULL, 256, "country codes", "a country code such as \"BY\"",
     "countries (iso_a2) filled in the highlight colour"},
    {"inset", "layers", COR__MK_LIST, AT(inset_layers), AT(has_inset_layers), AT(ninset_layers),
     0, 0, NULL, 16, "layer names", "a layer name such as \"europe_land\"",
     "the layers it draws, bottom first (default: europe_land, europe_borders)"},
    {"inset", "highlight_layer", COR__MK_NAME, AT(inset_highlight_layer), NONE, NONE, 0, 0, NULL,
     0, NULL, NULL, "the layer of `layers` whose features `highlight` picks"},
    {"inset", "highlight_field", COR__MK_NAME, AT(inset_highlight_field), NONE, NONE, 0, 0, NULL,
     0, NULL, NULL, "the attribute `highlight` is compared with (default iso_a2)"},
    {"inset", "width", COR__MK_NUMBER, AT(inset_width), AT(has_inset_width), NONE, 1, 14400, " pt",
     0, NULL, NULL, "its width, pt"},
};
/* clang-format on */

const cor__mapkey_t *cor__mapkeys(size_t *n)
{
    *n = sizeof keys / sizeof keys[0];
    return keys;
}

const char *cor__mapkey_name(const char *table, size_t i)
{
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
        if (strcmp(keys[k].table, table) == 0 && i-- == 0)
            return keys[k].key;
    return NULL;
}

static void *at(const cor__mapdef_t *m, size_t off)
{
    return (char *)(uintptr_t)m + off;
}

/* Returns: true when the value of `k` is text the settings own. */
static bool is_text(const cor__mapkey_t *k)
{
    return k->kind == COR__MK_STRING || k->kind == COR__MK_NAME || k->kind == COR__MK_CORNER ||
           k->kind == COR__MK_INSET;
}

bool cor__mapdef_given(const cor__mapdef_t *m, const cor__mapkey_t *k)
{
    if (k->has != COR__MK_NONE)
        return *(bool *)at(m, k->has);
    return is_text(k) && *(char **)at(m, k->field) != NULL;
}

static void free_list(char **items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(items[i]);
    free(items);
}

/* The size of the value of `k`, for the kinds moved as bytes. */
static size_t value_size(const cor__mapkey_t *k)
{
    switch (k->kind) {
    case COR__MK_NUMBER:
    case COR__MK_GRATICULE:
        return sizeof(double);
    case COR__MK_BOOL:
        return sizeof(bool);
    case COR__MK_COLOR:
        return sizeof(cor_color_t);
    case COR__MK_EXTENT:
        return sizeof(cor_bbox_t);
    default:
        return 0;
    }
}

/* Moves setting `k` from s to d, when s gives it. */
static void merge_key(cor__mapdef_t *d, cor__mapdef_t *s, const cor__mapkey_t *k)
{
    if (k->kind == COR__MK_PAGE_DPI || !cor__mapdef_given(s, k))
        return;
    if (is_text(k)) {
        char **dv = at(d, k->field), **sv = at(s, k->field);
        free(*dv);
        *dv = *sv;
        *sv = NULL;
    } else if (k->kind == COR__MK_LIST) {
        char ***dv = at(d, k->field), ***sv = at(s, k->field);
        size_t *dn = at(d, k->count), *sn = at(s, k->count);
        free_list(*dv, *dn);
        *dv = *sv;
        *dn = *sn;
        *sv = NULL;
        *sn = 0;
        *(bool *)at(s, k->has) = false;
    } else if (k->kind == COR__MK_PAGE) {
        d->width_pt = s->width_pt;
        d->height_pt = s->height_pt;
        d->dpi = s->dpi;
    } else {
        memcpy(at(d, k->field), at(s, k->field), value_size(k));
    }
    if (k->has != COR__MK_NONE)
        *(bool *)at(d, k->has) = true;
}

void cor__mapdef_merge(cor__mapdef_t *d, cor__mapdef_t *s)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        merge_key(d, s, &keys[i]);
}

bool cor__mapdef_check(const cor__mapdef_t *m, char *why, size_t whysize)
{
    if (m->has_flow_max_width && m->has_flow_min_width && m->flow_min_width > m->flow_max_width) {
        snprintf(why, whysize, "flow_min_width (%g pt) is more than flow_max_width (%g pt)",
                 m->flow_min_width, m->flow_max_width);
        return false;
    }
    if (m->has_flow_scale && !(m->has_flow_scale_value && m->flow_scale_value > 0 &&
                               m->has_flow_scale_width && m->flow_scale_width > 0)) {
        snprintf(why, whysize,
                 "flow_scale needs a value and a width, both above 0: flow_scale = { value = "
                 "100000, width = 10 } draws a flow of 100,000 10 pt wide");
        return false;
    }
    return true;
}

void cor__mapdef_clear(cor__mapdef_t *m)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const cor__mapkey_t *k = &keys[i];
        if (is_text(k)) { /* inset and inset.position share a field: freed once, then NULL */
            char **v = at(m, k->field);
            free(*v);
            *v = NULL;
        } else if (k->kind == COR__MK_LIST) {
            free_list(*(char ***)at(m, k->field), *(size_t *)at(m, k->count));
        }
    }
    memset(m, 0, sizeof *m);
}
