/* overlay_api: the public C calls that add overlays to a map: the same route, flow, marker,
 * area and callout a script declares, validated field by field and stored in the map's overlay
 * set with the kind's default look. No drawing and no place resolution happen here. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "map_internal.h"
#include "overlay.h"
#include "util.h"

#define MAX_PT     100.0  /* widths and sizes, as in style files */
#define MAX_OFFSET 2000.0 /* callout offsets */

static cor_status_t usage(cor_error_t *err, const char *what, const char *field, const char *why)
{
    return cor__fail(err, COR_ERR_USAGE, "%s: %s %s", what, field, why);
}

static bool in_range(double v, double lo, double hi)
{
    return isfinite(v) && v >= lo && v <= hi;
}

static cor_status_t check_place(const cor_place_t *p, const char *what, const char *field,
                                cor_error_t *err)
{
    if (p->name)
        return *p->name && cor__utf8_valid(p->name, strlen(p->name))
                   ? COR_OK
                   : usage(err, what, field, "is not a place name (empty or not UTF-8)");
    if (!in_range(p->lon, -180, 180) || !in_range(p->lat, -90, 90))
        return cor__fail(err, COR_ERR_USAGE, "%s: %s (%g, %g) is not a longitude and latitude",
                         what, field, p->lon, p->lat);
    return COR_OK;
}

static bool add_place(cor__overlay_t *ov, const cor_place_t *p)
{
    return cor__overlay_add_place(ov, p->name, p->lon, p->lat);
}

static cor_status_t set_color(const char *text, cor_color_t *out, bool *on, const char *what,
                              const char *field, cor_error_t *err)
{
    if (!text)
        return COR_OK;
    if (!cor_color_parse(text, out))
        return cor__fail(err, COR_ERR_USAGE, "%s: %s '%s' is not a colour", what, field, text);
    if (on)
        *on = true;
    return COR_OK;
}

/* Applies the non-zero fields of a public look over the kind's default. */
static cor_status_t apply_look(const cor_overlay_look_t *in, cor__look_t *lk, const char *what,
                               cor_error_t *err)
{
    cor_status_t st = set_color(in->stroke, &lk->stroke, &lk->stroke_on, what, "stroke", err);
    if (st == COR_OK)
        st = set_color(in->fill, &lk->fill, &lk->fill_on, what, "fill", err);
    if (st == COR_OK)
        st = set_color(in->casing, &lk->casing, &lk->casing_on, what, "casing", err);
    if (st != COR_OK)
        return st;
    if (!in_range(in->width, 0, MAX_PT) || !in_range(in->casing_width, 0, MAX_PT) ||
        !in_range(in->size, 0, MAX_PT))
        return usage(err, what, "width, casing_width or size", "is outside 0..100 pt");
    if (!in_range(in->opacity, 0, 1))
        return usage(err, what, "opacity", "is outside 0..1");
    if (in->ndash > COR__DASH_MAX || (in->ndash && !in->dash))
        return usage(err, what, "dash", "has more than 8 entries or none given");
    for (size_t i = 0; i < in->ndash; i++)
        if (!in_range(in->dash[i], 1e-3, 1000))
            return usage(err, what, "dash", "entries must be above 0 and at most 1000 pt");
    if (in->symbol && !cor__marker_parse(in->symbol, &lk->marker))
        return cor__fail(err, COR_ERR_USAGE, "%s: symbol '%s' is not a marker", what, in->symbol);
    if (in->width > 0)
        lk->width = in->width;
    if (in->casing_width > 0)
        lk->casing_width = in->casing_width;
    if (in->opacity > 0)
        lk->opacity = in->opacity;
    if (in->size > 0)
        lk->size = in->size;
    for (size_t i = 0; i < in->ndash; i++)
        lk->dash[i] = in->dash[i];
    if (in->ndash)
        lk->ndash = (int)in->ndash;
    lk->hatch = lk->hatch || in->hatch;
    return COR_OK;
}

static cor_status_t copy_text(const char *in, char **out, cor_error_t *err)
{
    if (!in)
        return COR_OK;
    if (!cor__utf8_valid(in, strlen(in)))
        return cor__fail(err, COR_ERR_USAGE, "overlay text is not UTF-8: '%.40s'", in);
    return (*out = cor__strdup(in)) ? COR_OK : cor__fail(err, COR_ERR_NOMEM, "out of memory");
}

static cor_status_t apply_text(const cor_overlay_text_t *t, cor__overlay_t *ov, cor_error_t *err)
{
    cor_status_t st = copy_text(t->label, &ov->label, err);
    if (st == COR_OK)
        st = copy_text(t->legend, &ov->legend, err);
    if (st == COR_OK)
        st = copy_text(t->group, &ov->group, err);
    return st;
}

/* Starts an overlay with the kind's defaults; *mark remembers where the set ended. */
static cor__overlay_t *begin(cor_map_t *map, cor__ov_kind_t kind, size_t *mark, cor_error_t *err)
{
    *mark = map->overlays.n;
    cor__overlay_t *ov = cor__overlays_add(&map->overlays, kind);
    if (!ov) {
        cor__fail(err, COR_ERR_NOMEM, "out of memory");
        return NULL;
    }
    cor__overlay_default_look(kind, &ov->look);
    ov->arrow = (kind == COR__OV_ROUTE || kind == COR__OV_FLOW) ? COR__ARROW_END : COR__ARROW_NONE;
    ov->file = cor__strdup("(C API)");
    return ov;
}

/* Keeps the overlay on success; on failure drops it again so the map is as it was. */
static cor_status_t finish(cor_map_t *map, size_t mark, cor_status_t st)
{
    if (st != COR_OK)
        cor__overlays_truncate(&map->overlays, mark);
    return st;
}

static cor__arrow_t arrow_of(cor_arrow_t a, cor__arrow_t fallback)
{
    switch (a) {
    case COR_ARROW_NONE:
        return COR__ARROW_NONE;
    case COR_ARROW_START:
        return COR__ARROW_START;
    case COR_ARROW_END:
        return COR__ARROW_END;
    case COR_ARROW_BOTH:
        return COR__ARROW_BOTH;
    default:
        return fallback;
    }
}

static cor_status_t add_places(cor__overlay_t *ov, const cor_place_t *p, size_t n, const char *what,
                               cor_error_t *err)
{
    for (size_t i = 0; i < n; i++) {
        cor_status_t st = check_place(&p[i], what, "place", err);
        if (st != COR_OK)
            return st;
        if (!add_place(ov, &p[i]))
            return cor__fail(err, COR_ERR_NOMEM, "out of memory");
    }
    return COR_OK;
}

cor_status_t cor_map_add_route(cor_map_t *map, const cor_route_t *r, cor_error_t *err)
{
    size_t mark;
    if (!r || r->nplaces < 2 || !r->places)
        return usage(err, "route", "places", "must hold at least two places");
    cor__overlay_t *ov = begin(map, COR__OV_ROUTE, &mark, err);
    if (!ov)
        return COR_ERR_NOMEM;
    cor_status_t st = add_places(ov, r->places, r->nplaces, "route", err);
    if (st == COR_OK && r->cut && (st = check_place(r->cut, "route", "cut", err)) == COR_OK &&
        !cor__overlay_set_cut(ov, r->cut->name, r->cut->lon, r->cut->lat))
        st = cor__fail(err, COR_ERR_NOMEM, "out of memory");
    if (st == COR_OK)
        st = apply_look(&r->look, &ov->look, "route", err);
    if (st == COR_OK)
        st = apply_text(&r->text, ov, err);
    ov->blocked = r->blocked;
    ov->schematic = r->schematic;
    ov->arrow = arrow_of(r->arrow, COR__ARROW_END);
    return finish(map, mark, st);
}

cor_status_t cor_map_add_flow(cor_map_t *map, const cor_flow_t *f, cor_error_t *err)
{
    size_t mark;
    if (!f || !in_range(f->value, 0, INFINITY) || (f->has_bend && !in_range(f->bend, -2, 2)) ||
        (f->nvia && !f->via))
        return usage(err, "flow", "value or bend",
                     "is out of range (value >= 0, bend -2..2) or via is missing");
    cor__overlay_t *ov = begin(map, COR__OV_FLOW, &mark, err);
    if (!ov)
        return COR_ERR_NOMEM;
    cor_status_t st = add_places(ov, &f->from, 1, "flow", err);
    if (st == COR_OK)
        st = add_places(ov, f->via, f->nvia, "flow", err);
    if (st == COR_OK)
        st = add_places(ov, &f->to, 1, "flow", err);
    if (st == COR_OK)
        st = apply_look(&f->look, &ov->look, "flow", err);
    if (st == COR_OK)
        st = apply_text(&f->text, ov, err);
    ov->value = f->value;
    ov->bend = f->has_bend ? f->bend : NAN;
    ov->schematic = f->schematic;
    return finish(map, mark, st);
}

cor_status_t cor_map_add_marker(cor_map_t *map, const cor_marker_t *m, cor_error_t *err)
{
    size_t mark;
    if (!m)
        return usage(err, "marker", "spec", "is NULL");
    cor__overlay_t *ov = begin(map, COR__OV_MARKER, &mark, err);
    if (!ov)
        return COR_ERR_NOMEM;
    cor_status_t st = add_places(ov, &m->at, 1, "marker", err);
    if (st == COR_OK)
        st = apply_look(&m->look, &ov->look, "marker", err);
    if (st == COR_OK)
        st = apply_text(&m->text, ov, err);
    return finish(map, mark, st);
}

cor_status_t cor_map_add_area(cor_map_t *map, const cor_area_t *a, cor_error_t *err)
{
    size_t mark;
    if (!a || a->n < 3 || !a->ring)
        return usage(err, "area", "ring", "must hold at least three places");
    cor__overlay_t *ov = begin(map, COR__OV_AREA, &mark, err);
    if (!ov)
        return COR_ERR_NOMEM;
    cor_status_t st = add_places(ov, a->ring, a->n, "area", err);
    if (st == COR_OK)
        st = apply_look(&a->look, &ov->look, "area", err);
    if (st == COR_OK)
        st = apply_text(&a->text, ov, err);
    ov->hatch = ov->look.hatch;
    return finish(map, mark, st);
}

cor_status_t cor_map_add_callout(cor_map_t *map, const cor_callout_t *c, cor_error_t *err)
{
    size_t mark;
    if (!c || !c->text || !*c->text)
        return usage(err, "callout", "text", "is missing");
    if (!in_range(c->dx, -MAX_OFFSET, MAX_OFFSET) || !in_range(c->dy, -MAX_OFFSET, MAX_OFFSET))
        return usage(err, "callout", "dx or dy", "is outside -2000..2000 pt");
    cor__overlay_t *ov = begin(map, COR__OV_CALLOUT, &mark, err);
    if (!ov)
        return COR_ERR_NOMEM;
    cor_status_t st = add_places(ov, &c->at, 1, "callout", err);
    if (st == COR_OK)
        st = copy_text(c->text, &ov->label, err);
    if (st == COR_OK)
        st = copy_text(c->group, &ov->group, err);
    ov->dx = c->dx;
    ov->dy = c->dy;
    return finish(map, mark, st);
}

cor_status_t cor_map_hide_group(cor_map_t *map, const char *group, cor_error_t *err)
{
    if (!group)
        return cor__fail(err, COR_ERR_USAGE, "cor_map_hide_group: no group");
    return cor__overlays_hide(&map->overlays, group)
               ? COR_OK
               : cor__fail(err, COR_ERR_NOMEM, "out of memory");
}
