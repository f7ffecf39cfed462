/* SPDX-License-Identifier: MIT */
/* overlay: the overlay model: the set of routes, flows, markers, areas and callouts, their
 * places and cut places, groups that hide together, the kinds' default looks, flow widths,
 * schematic notes, and resolving place names through the gazetteer. It draws nothing and
 * checks no public spec (overlay_spec.c does); places arrive as names or coordinates. */
#include "overlay.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "color.h"
#include "util.h"

#define FLOW_MAX_W 9.0 /* pt: the width of the largest flow, unless the map sets one */
#define FLOW_MIN_W 1.2 /* pt: the readable minimum, unless the map sets one */

cor__overlay_t *cor__overlays_add(cor__overlays_t *o, cor__ov_kind_t kind)
{
    if (!o || !cor__grow((void **)&o->items, &o->cap, o->n + 1, sizeof *o->items))
        return NULL;
    cor__overlay_t *ov = &o->items[o->n++];
    memset(ov, 0, sizeof *ov);
    ov->kind = kind;
    ov->bend = NAN;
    ov->look.opacity = 1.0;
    ov->priority = COR__OV_PRIORITY;
    return ov;
}

/* Fills a place: a copy of the name, or coordinates (valid when finite, latitude within 90). */
static bool place_set(cor__ov_place_t *p, const char *name, double lon, double lat)
{
    char *copy = NULL;
    if (name && !(copy = cor__strdup(name)))
        return false;
    free(p->name);
    p->name = copy;
    p->lon = lon;
    p->lat = lat;
    p->resolved = !name && isfinite(lon) && isfinite(lat) && fabs(lat) <= 90.0;
    return true;
}

bool cor__overlay_add_place(cor__overlay_t *ov, const char *name, double lon, double lat)
{
    if (!ov)
        return false;
    cor__ov_place_t *p = cor__realloc(ov->places, ov->nplaces + 1, sizeof *p);
    if (!p)
        return false;
    ov->places = p;
    p[ov->nplaces] = (cor__ov_place_t){0};
    if (!place_set(&p[ov->nplaces], name, lon, lat))
        return false;
    ov->nplaces++;
    return true;
}

bool cor__overlay_set_cut(cor__overlay_t *ov, const char *name, double lon, double lat)
{
    if (!ov || !place_set(&ov->cut, name, lon, lat))
        return false;
    ov->has_cut = true;
    return true;
}

static void overlay_free(cor__overlay_t *ov)
{
    for (size_t k = 0; k < ov->nplaces; k++)
        free(ov->places[k].name);
    free(ov->places);
    free(ov->cut.name);
    free(ov->group);
    free(ov->file);
    free(ov->label);
    free(ov->legend);
    free(ov->values);
    for (size_t k = 0; ov->vlabels && k < ov->nplaces; k++)
        free(ov->vlabels[k]);
    free(ov->vlabels);
}

void cor__overlays_clear(cor__overlays_t *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->n; i++)
        overlay_free(&o->items[i]);
    free(o->items);
    for (size_t i = 0; i < o->nhidden; i++)
        free(o->hidden[i]);
    free(o->hidden);
    memset(o, 0, sizeof *o);
}

void cor__overlays_truncate(cor__overlays_t *o, size_t n)
{
    for (size_t i = n; o && i < o->n; i++)
        overlay_free(&o->items[i]);
    if (o && n < o->n)
        o->n = n;
}

void cor__overlay_default_look(cor__ov_kind_t kind, cor__look_t *lk)
{
    memset(lk, 0, sizeof *lk);
    lk->opacity = 1;
    lk->cap = COR__CAP_ROUND;
    lk->join = COR__JOIN_ROUND;
    lk->casing = cor__color_rgb(0xffffff, 1);
    lk->stroke_on = true;
    switch (kind) {
    case COR__OV_ROUTE:
        lk->stroke = cor__color_rgb(0x7a2e0e, 1);
        lk->width = 2.2;
        break;
    case COR__OV_FLOW:
        lk->stroke = cor__color_rgb(0xb2182b, 1);
        lk->opacity = 0.85;
        break;
    case COR__OV_MARKER:
        lk->marker = COR__MARKER_CIRCLE;
        lk->size = 8;
        lk->fill_on = true;
        lk->fill = cor__color_rgb(0x333333, 1);
        lk->stroke = cor__color_rgb(0xffffff, 1);
        lk->width = 0.8;
        break;
    case COR__OV_AREA:
        lk->fill_on = true;
        lk->fill = cor__color_rgb(0xd94801, 0.35);
        lk->stroke = cor__color_rgb(0xd94801, 1);
        lk->width = 0.8;
        break;
    case COR__OV_CALLOUT:
        lk->stroke = cor__color_rgb(0x333333, 1);
        lk->width = 0.6;
        break;
    }
}

bool cor__overlays_group_hidden(const cor__overlays_t *o, const char *group)
{
    for (size_t i = 0; group && i < o->nhidden; i++) {
        if (strcmp(o->hidden[i], group) == 0)
            return true;
    }
    return false;
}

bool cor__overlays_hide(cor__overlays_t *o, const char *group)
{
    if (!o || !group)
        return o != NULL;
    if (cor__overlays_group_hidden(o, group))
        return true;
    char *copy = cor__strdup(group);
    char **h = copy ? cor__realloc(o->hidden, o->nhidden + 1, sizeof *h) : NULL;
    if (!h) {
        free(copy);
        return false;
    }
    o->hidden = h;
    h[o->nhidden++] = copy;
    return true;
}

bool cor__overlay_visible(const cor__overlays_t *o, const cor__overlay_t *ov)
{
    return ov && (!o || !cor__overlays_group_hidden(o, ov->group));
}

double cor__overlays_max_flow(const cor__overlays_t *o)
{
    double max = 0.0;
    for (size_t i = 0; o && i < o->n; i++) {
        const cor__overlay_t *ov = &o->items[i];
        bool scaled = ov->kind == COR__OV_FLOW || (ov->kind == COR__OV_ROUTE && ov->value > 0);
        if (scaled && cor__overlay_visible(o, ov) && isfinite(ov->value) && ov->value > max)
            max = ov->value;
    }
    return max;
}

double cor__overlay_setting(double v, double def)
{
    return isfinite(v) && v > 0.0 ? v : def;
}

/* The map's one flow scale: a value and the width it is drawn at. Returns: false when there is
 * none (no flow_scale, and max_value is not a positive number). */
static bool flow_scale(const cor__overlays_t *o, double max_value, double *value, double *width)
{
    double sv = o ? cor__overlay_setting(o->flow_scale_value, 0.0) : 0.0;
    double sw = o ? cor__overlay_setting(o->flow_scale_width, 0.0) : 0.0;
    if (sv > 0.0 && sw > 0.0) {
        *value = sv;
        *width = sw;
        return true;
    }
    *value = max_value;
    *width = cor__overlay_setting(o ? o->flow_max_width : 0.0, FLOW_MAX_W);
    return max_value > 0.0 && isfinite(max_value);
}

double cor__flow_width(const cor__overlays_t *o, double value, double max_value)
{
    double wmin = cor__overlay_setting(o ? o->flow_min_width : 0.0, FLOW_MIN_W), sv, sw;
    if (!(value > 0.0) || !isfinite(value) || !flow_scale(o, max_value, &sv, &sw))
        return wmin;
    return fmax(wmin, value / sv * sw);
}

double cor__flow_min_value(const cor__overlays_t *o, double max_value)
{
    double wmin = cor__overlay_setting(o ? o->flow_min_width : 0.0, FLOW_MIN_W), sv, sw;
    return flow_scale(o, max_value, &sv, &sw) ? wmin / sw * sv : 0.0;
}

double cor__overlay_flow_width(const cor__overlays_t *o, const cor__overlay_t *ov, double max)
{
    if (isfinite(ov->value) && ov->value > 0.0)
        return cor__flow_width(o, ov->value, max);
    return cor__overlay_setting(ov->look.width, cor__flow_width(o, 0.0, max));
}

double cor__band_width(const cor__overlays_t *o, double v, double max)
{
    return isfinite(v) && v > 0.0 ? cor__flow_width(o, v, max) : 0.0;
}

const char *cor__overlay_note(const cor__overlay_t *ov)
{
    if (!ov || !ov->schematic)
        return "";
    switch (ov->kind) {
    case COR__OV_ROUTE:
        return " (route approximate)";
    case COR__OV_FLOW:
        return " (path approximate)";
    default:
        return " (location approximate)";
    }
}

/* ---- resolving places ---- */

/* Fails with the overlay's "<file>:<line>: " in front of the message. */
static cor_status_t fail_at(const cor__overlay_t *ov, cor_error_t *err, cor_status_t code,
                            const char *msg)
{
    if (ov->file && ov->line > 0)
        return cor__fail(err, code, "%s:%d: %s", ov->file, ov->line, msg);
    if (ov->file)
        return cor__fail(err, code, "%s: %s", ov->file, msg);
    return cor__fail(err, code, "%s", msg);
}

static cor_status_t resolve_place(const cor__overlay_t *ov, cor__ov_place_t *p,
                                  const cor__gazetteer_t *g, cor_error_t *err)
{
    char msg[COR_ERROR_MAX];
    if (!p->name) {
        if (p->resolved)
            return COR_OK;
        snprintf(msg, sizeof msg, "coordinates %g, %g are not a longitude and latitude", p->lon,
                 p->lat);
        return fail_at(ov, err, COR_ERR_DATA, msg);
    }
    if (!g) {
        snprintf(msg, sizeof msg, "unknown place '%s' (no gazetteer)", p->name);
        return fail_at(ov, err, COR_ERR_NOTFOUND, msg);
    }
    cor_error_t e;
    cor_error_clear(&e);
    cor__place_t found;
    cor_status_t st = cor__gazetteer_find(g, p->name, &found, &e);
    if (st != COR_OK)
        return fail_at(ov, err, st, e.message);
    p->lon = found.lon;
    p->lat = found.lat;
    p->resolved = true;
    return COR_OK;
}

cor_status_t cor__overlays_resolve(cor__overlays_t *o, const cor__gazetteer_t *g, cor_error_t *err)
{
    for (size_t i = 0; o && i < o->n; i++) {
        cor__overlay_t *ov = &o->items[i];
        if (!cor__overlay_visible(o, ov))
            continue;
        for (size_t k = 0; k < ov->nplaces; k++) {
            cor_status_t st = resolve_place(ov, &ov->places[k], g, err);
            if (st != COR_OK)
                return st;
        }
        if (ov->has_cut) {
            cor_status_t st = resolve_place(ov, &ov->cut, g, err);
            if (st != COR_OK)
                return st;
        }
    }
    return COR_OK;
}
