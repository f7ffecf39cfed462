/* SPDX-License-Identifier: MIT */
/* overlay_spec: one validator per overlay kind. Each checks a public spec (cor_route_t,
 * cor_flow_t, cor_marker_t, cor_area_t, cor_callout_t) field by field with the rules and the
 * words of a script's declaration, converts it and appends it to an overlay set with the
 * kind's default look; on failure the set is left as it was. Look values are checked as layer
 * properties are (cor__prop_check). No map, no Lua, no drawing, no place resolution here. */
#include "overlay.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"
#include "util.h"

static cor_status_t usage(cor_error_t *err, const char *fmt, ...) COR__PRINTF(2, 3);
static cor_status_t usage(cor_error_t *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cor_status_t st = cor__failv(err, COR_ERR_USAGE, fmt, ap);
    va_end(ap);
    return st;
}

static cor_status_t nomem(cor_error_t *err)
{
    return cor__fail(err, COR_ERR_NOMEM, "out of memory");
}

static bool in_range(double v, double lo, double hi)
{
    return isfinite(v) && v >= lo && v <= hi;
}

/* Checks an optional number the way a script's `key = x` in lo..hi is checked ("bend: 3 is
 * out of range (-2 to 2)"); hi may be INFINITY ("(0 or more)"). */
static cor_status_t check_ranged(const char *key, double x, double lo, double hi, const char *unit,
                                 cor_error_t *err)
{
    if (!isfinite(x))
        return usage(err, "%s must be a finite number", key);
    if (x >= lo && x <= hi)
        return COR_OK;
    if (isinf(hi))
        return usage(err, "%s: %g is out of range (%g or more%s)", key, x, lo, unit);
    return usage(err, "%s: %g is out of range (%g to %g%s)", key, x, lo, hi, unit);
}

/* ---- places ---- */

/* Checks a place called `what` in messages ("place 2", "from", "cut"). */
static cor_status_t check_place(const cor_place_t *p, const char *what, cor_error_t *err)
{
    if (p->name) {
        if (!*p->name)
            return usage(err, "%s: a place name must be a non-empty string", what);
        if (!cor__utf8_valid(p->name, strlen(p->name)))
            return usage(err, "%s: a place name must be UTF-8 text", what);
        return COR_OK;
    }
    if (!in_range(p->lon, -180, 180) || !in_range(p->lat, -90, 90))
        return usage(err, "%s: {%g, %g} is outside -180..180, -90..90 (places are {lon, lat})",
                     what, p->lon, p->lat);
    return COR_OK;
}

/* Checks and adds one place called `what`. */
static cor_status_t add_place(cor__overlay_t *ov, const cor_place_t *p, const char *what,
                              cor_error_t *err)
{
    cor_status_t st = check_place(p, what, err);
    if (st == COR_OK && !cor__overlay_add_place(ov, p->name, p->lon, p->lat))
        st = nomem(err);
    return st;
}

/* Checks and adds n places, called "<what> 1", "<what> 2", ... in messages. */
static cor_status_t add_places(cor__overlay_t *ov, const cor_place_t *p, size_t n, const char *what,
                               cor_error_t *err)
{
    char name[48];
    if (n > COR__OV_PLACES_MAX)
        return usage(err, "%s: more than %d places", what, COR__OV_PLACES_MAX);
    for (size_t i = 0; i < n; i++) {
        snprintf(name, sizeof name, "%s %zu", what, i + 1);
        cor_status_t st = add_place(ov, &p[i], name, err);
        if (st != COR_OK)
            return st;
    }
    return COR_OK;
}

/* ---- looks ---- */

/* Checks a value as the layer property `id` of the same meaning, called `key` in messages. */
static cor_status_t check_value(const char *key, cor__prop_id_t id, const cor__pval_t *v,
                                cor_error_t *err)
{
    char why[256];
    return cor__prop_check(id, v, why, sizeof why) ? COR_OK : usage(err, "%s: %s", key, why);
}

/* Checks a value as check_value() does and applies it to the look. */
static cor_status_t look_value(cor__look_t *lk, const char *key, cor__prop_id_t id,
                               const cor__pval_t *v, cor_error_t *err)
{
    cor_status_t st = check_value(key, id, v, err);
    if (st == COR_OK)
        cor__look_apply(lk, id, v);
    return st;
}

/* A text value (a colour or a name); NULL leaves the look as it is. */
static cor_status_t look_text(cor__look_t *lk, const char *key, cor__prop_id_t id, const char *s,
                              cor_error_t *err)
{
    cor__pval_t v = {.type = COR__PV_STRING, .str = (char *)s};
    return s ? look_value(lk, key, id, &v, err) : COR_OK;
}

/* A number; 0 leaves the look as it is. */
static cor_status_t look_number(cor__look_t *lk, const char *key, cor__prop_id_t id, double x,
                                cor_error_t *err)
{
    cor__pval_t v = {.type = COR__PV_NUMBER, .num = x};
    return x != 0.0 ? look_value(lk, key, id, &v, err) : COR_OK;
}

/* A dash of n entries; none leaves the look as it is. */
static cor_status_t look_dash(cor__look_t *lk, const double *dash, size_t n, cor_error_t *err)
{
    cor__pval_t v = {.type = COR__PV_LIST};
    if (n == 0)
        return COR_OK;
    if (!dash)
        return usage(err, "dash must be a list of numbers or false, got NULL");
    if (n > COR__LIST_MAX)
        return usage(err, "dash: at most %d entries are allowed, got %zu", COR__LIST_MAX, n);
    for (size_t i = 0; i < n; i++)
        v.list[i] = dash[i];
    v.nlist = (int)n;
    return look_value(lk, "dash", COR__P_DASH, &v, err);
}

/* The values that set the look, in the order a script's declaration checks them. Line ends and
 * corners are a route's only (NULL for the other kinds). */
static cor_status_t apply_look(const cor_overlay_look_t *in, const char *cap, const char *join,
                               cor__look_t *lk, cor_error_t *err)
{
    cor_status_t st = look_text(lk, "fill", COR__P_FILL, in->fill, err);
    if (st == COR_OK)
        st = look_text(lk, "stroke", COR__P_STROKE, in->stroke, err);
    if (st == COR_OK)
        st = look_number(lk, "width", COR__P_WIDTH, in->width, err);
    if (st == COR_OK)
        st = look_dash(lk, in->dash, in->ndash, err);
    if (st == COR_OK)
        st = look_number(lk, "opacity", COR__P_OPACITY, in->opacity, err);
    if (st == COR_OK)
        st = look_text(lk, "cap", COR__P_CAP, cap, err);
    if (st == COR_OK)
        st = look_text(lk, "join", COR__P_JOIN, join, err);
    if (st == COR_OK)
        st = look_text(lk, "casing", COR__P_CASING, in->casing, err);
    if (st == COR_OK)
        st = look_number(lk, "casing_width", COR__P_CASING_WIDTH, in->casing_width, err);
    if (st == COR_OK)
        st = look_text(lk, "symbol", COR__P_MARKER, in->symbol, err);
    if (st == COR_OK)
        st = look_number(lk, "size", COR__P_SIZE, in->size, err);
    if (st == COR_OK && in->hatch)
        lk->hatch = true;
    if (st == COR_OK && lk->casing_on && in->casing_width == 0.0 && lk->casing_width <= 0)
        lk->casing_width = COR__CASING_WIDTH;
    return st;
}

/* ---- text ---- */

/* Copies optional text into *out, called `key` in messages. */
static cor_status_t copy_text(const char *in, const char *key, char **out, cor_error_t *err)
{
    if (!in)
        return COR_OK;
    if (!cor__utf8_valid(in, strlen(in)))
        return usage(err, "%s: '%.40s' is not UTF-8 text", key, in);
    return (*out = cor__strdup(in)) ? COR_OK : nomem(err);
}

static cor_status_t copy_group(const char *in, char **out, cor_error_t *err)
{
    if (in && !*in)
        return usage(err, "group must not be empty");
    if (in && strlen(in) > COR__OV_GROUP_MAX)
        return usage(err, "group is too long");
    return copy_text(in, "group", out, err);
}

/* What every kind's text carries besides the label itself. */
typedef struct text_more {
    const char *legend, *group;
    double label_size;
    const char *label_color;
    bool has_priority;
    double priority;
} text_more_t;

/* The label's size, colour and rank, the legend entry and the group, in the order a script's
 * declaration checks them (after its label). */
static cor_status_t apply_more(const text_more_t *t, cor__overlay_t *ov, cor_error_t *err)
{
    cor__pval_t size = {.type = COR__PV_NUMBER, .num = t->label_size};
    cor__pval_t color = {.type = COR__PV_STRING, .str = (char *)t->label_color};
    cor_status_t st = COR_OK;
    if (t->label_size != 0.0)
        st = check_value("label_size", COR__P_LABEL_SIZE, &size, err);
    if (st == COR_OK && t->label_color)
        st = check_value("label_color", COR__P_LABEL_COLOR, &color, err);
    if (st == COR_OK)
        st = copy_text(t->legend, "legend", &ov->legend, err);
    if (st == COR_OK)
        st = copy_group(t->group, &ov->group, err);
    if (st == COR_OK && t->has_priority && !isfinite(t->priority))
        st = usage(err, "priority must be a finite number");
    if (st != COR_OK)
        return st;
    ov->label_size = t->label_size;
    if (t->label_color)
        cor_color_parse(t->label_color, &ov->label_color);
    if (t->has_priority)
        ov->priority = t->priority;
    return COR_OK;
}

/* The text of a route, flow, marker or area. */
static cor_status_t apply_text(const cor_overlay_text_t *t, cor__overlay_t *ov, cor_error_t *err)
{
    text_more_t more = {t->legend,      t->group,        t->label_size,
                        t->label_color, t->has_priority, t->priority};
    cor_status_t st = copy_text(t->label, "label", &ov->label, err);
    return st == COR_OK ? apply_more(&more, ov, err) : st;
}

/* ---- the kinds ---- */

/* Fills an overlay of the kind from its spec. */
typedef cor_status_t (*fill_fn)(const void *spec, cor__overlay_t *ov, cor_error_t *err);

/* Appends an overlay of `kind` with the kind's defaults, fills it from the spec, and on
 * failure drops it again so the set is as it was. */
static cor_status_t add(cor__overlays_t *o, cor__ov_kind_t kind, fill_fn fill, const void *spec,
                        cor_error_t *err)
{
    size_t mark = o ? o->n : 0;
    cor__overlay_t *ov = cor__overlays_add(o, kind);
    if (!ov)
        return o ? nomem(err) : cor__fail(err, COR_ERR_INTERNAL, "no overlay set");
    cor__overlay_default_look(kind, &ov->look);
    ov->arrow = (kind == COR__OV_ROUTE || kind == COR__OV_FLOW) ? COR__ARROW_END : COR__ARROW_NONE;
    cor_status_t st = fill(spec, ov, err);
    if (st != COR_OK)
        cor__overlays_truncate(o, mark);
    return st;
}

static cor_status_t set_arrow(cor_arrow_t a, cor__overlay_t *ov, cor_error_t *err)
{
    static const cor__arrow_t arrows[] = {[COR_ARROW_DEFAULT] = COR__ARROW_END,
                                          [COR_ARROW_NONE] = COR__ARROW_NONE,
                                          [COR_ARROW_START] = COR__ARROW_START,
                                          [COR_ARROW_END] = COR__ARROW_END,
                                          [COR_ARROW_BOTH] = COR__ARROW_BOTH};
    if ((unsigned)a >= COR__ARRAY_LEN(arrows))
        return usage(err, "arrow must be \"none\", \"start\", \"end\" or \"both\", got %d", (int)a);
    ov->arrow = arrows[a];
    return COR_OK;
}

/* A route: its places, look, cut, arrow and text. */
static cor_status_t fill_route(const void *spec, cor__overlay_t *ov, cor_error_t *err)
{
    const cor_route_t *r = spec;
    cor_status_t st = add_places(ov, r->places, r->nplaces, "place", err);
    if (st == COR_OK)
        st = apply_look(&r->look, r->cap, r->join, &ov->look, err);
    ov->blocked = r->blocked;
    if (st == COR_OK && r->cut && !r->blocked)
        st = usage(err, "cut is where a blocked route is cut: it needs status = \"blocked\"");
    if (st == COR_OK && r->cut && (st = check_place(r->cut, "cut", err)) == COR_OK &&
        !cor__overlay_set_cut(ov, r->cut->name, r->cut->lon, r->cut->lat))
        st = nomem(err);
    if (st == COR_OK)
        st = set_arrow(r->arrow, ov, err);
    if (st == COR_OK)
        st = check_ranged("value", r->value, 0, INFINITY, "", err);
    ov->value = r->value;
    ov->schematic = r->schematic;
    return st == COR_OK ? apply_text(&r->text, ov, err) : st;
}

cor_status_t cor__overlay_add_route(cor__overlays_t *o, const cor_route_t *r, cor_error_t *err)
{
    size_t n = r && r->places ? r->nplaces : 0;
    if (n < COR__OV_ROUTE_MIN)
        return usage(err, "route{} needs at least two places, got %zu", n);
    return add(o, COR__OV_ROUTE, fill_route, r, err);
}

/* ---- bands ---- */

/* Returns: whether a place of the spec was left as zero (a band's from and to). */
static bool place_unset(const cor_place_t *p)
{
    return !p->name && p->lon == 0.0 && p->lat == 0.0;
}

/* Writes v as a label shows it: thousands separated by commas, up to three decimals and no
 * trailing zeros ("320,000", "2.5", "1,250.75"); a huge or odd value as %g writes it. */
static void format_value(double v, char *buf, size_t n)
{
    char t[64];
    if (!(fabs(v) < 1e15)) {
        snprintf(buf, n, "%g", v);
        return;
    }
    snprintf(t, sizeof t, "%.3f", fabs(v));
    char *dot = strchr(t, '.'), *end = t + strlen(t);
    while (end > dot + 1 && end[-1] == '0')
        *--end = '\0';
    if (end == dot + 1)
        *dot = '\0';
    size_t digits = (size_t)(strchr(t, '.') ? strchr(t, '.') - t : (ptrdiff_t)strlen(t)), o = 0;
    bool neg = v < 0 && strcmp(t, "0") != 0;
    for (size_t i = 0; t[i] && o + 2 < n; i++) {
        if (i == 0 && neg)
            buf[o++] = '-';
        buf[o++] = t[i];
        if (i + 1 < digits && (digits - i - 1) % 3 == 0)
            buf[o++] = ',';
    }
    buf[o < n ? o : n - 1] = '\0';
}

/* Returns: text with every "{value}" replaced by v as format_value() writes it (malloc'd), or
 * NULL on exhaustion. */
static char *expand_value(const char *text, double v)
{
    char num[64];
    cor__buf_t b = {0};
    format_value(v, num, sizeof num);
    for (const char *t = text; *t;) {
        const char *at = strstr(t, "{value}");
        size_t len = at ? (size_t)(at - t) : strlen(t);
        if (!cor__buf_append(&b, t, len) || (at && !cor__buf_append(&b, num, strlen(num)))) {
            cor__buf_free(&b);
            return NULL;
        }
        t += len + (at ? 7 : 0);
    }
    return b.data ? b.data : cor__strdup("");
}

/* The band's values, one per place: each 0 or more; the largest becomes its value. */
static cor_status_t band_values(const cor_flow_t *f, cor__overlay_t *ov, cor_error_t *err)
{
    char key[48];
    if (!f->values)
        return usage(err, "a band needs values = { ... }, one per place of its path");
    if (!(ov->values = cor__calloc(f->npath, sizeof *ov->values)))
        return nomem(err);
    ov->value = 0.0;
    for (size_t i = 0; i < f->npath; i++) {
        snprintf(key, sizeof key, "values %zu", i + 1);
        cor_status_t st = check_ranged(key, f->values[i], 0, INFINITY, "", err);
        if (st != COR_OK)
            return st;
        ov->values[i] = f->values[i];
        ov->value = fmax(ov->value, f->values[i]);
    }
    return COR_OK;
}

/* The band's labels at its places, "{value}" expanded. */
static cor_status_t band_labels(const cor_flow_t *f, cor__overlay_t *ov, cor_error_t *err)
{
    if (!f->labels)
        return COR_OK;
    if (!(ov->vlabels = cor__calloc(ov->nplaces, sizeof *ov->vlabels)))
        return nomem(err);
    for (size_t i = 0; i < f->npath; i++) {
        const char *t = f->labels[i];
        if (!t || !*t)
            continue;
        if (!cor__utf8_valid(t, strlen(t)))
            return usage(err, "labels %zu: '%.40s' is not UTF-8 text", i + 1, t);
        if (!(ov->vlabels[i] = expand_value(t, f->values[i])))
            return nomem(err);
    }
    return COR_OK;
}

/* A band: its path, one value per place, and its labels; from, to, via, value and bend are not
 * a band's. */
static cor_status_t fill_band(const cor_flow_t *f, cor__overlay_t *ov, cor_error_t *err)
{
    if (!place_unset(&f->from) || !place_unset(&f->to) || f->via || f->nvia)
        return usage(err, "a band takes path = { ... }: not from, to or via");
    if (f->has_bend)
        return usage(err, "bend: a band follows its path (curve = true smooths it)");
    if (!isfinite(f->value) || f->value != 0.0)
        return usage(err, "value: a band's widths come from values = { ... }, one per place");
    if (!f->path)
        return usage(err, "path must be a list of places, got NULL");
    if (f->npath < COR__OV_ROUTE_MIN)
        return usage(err, "a band's path needs at least two places, got %zu", f->npath);
    cor_status_t st = add_places(ov, f->path, f->npath, "path", err);
    if (st == COR_OK)
        st = band_values(f, ov, err);
    if (st == COR_OK)
        st = band_labels(f, ov, err);
    ov->band = true;
    ov->curve = f->curve;
    return st;
}

/* A flow's arrow: one head at most, at its end (the default), or none. */
static cor_status_t set_flow_arrow(cor_arrow_t a, cor__overlay_t *ov, cor_error_t *err)
{
    cor_status_t st = set_arrow(a, ov, err);
    if (st == COR_OK && ov->arrow != COR__ARROW_END && ov->arrow != COR__ARROW_NONE)
        return usage(err, "arrow: a flow has one head at most: \"end\" or \"none\", got \"%s\"",
                     ov->arrow == COR__ARROW_START ? "start" : "both");
    return st;
}

/* A flow from, via..., to, with its value and bend. */
static cor_status_t fill_ends(const cor_flow_t *f, cor__overlay_t *ov, cor_error_t *err)
{
    cor_status_t st = f->nvia && !f->via ? usage(err, "via must be a list of places, got NULL")
                                         : add_place(ov, &f->from, "from", err);
    if (st == COR_OK)
        st = add_places(ov, f->via, f->nvia, "via", err);
    if (st == COR_OK)
        st = add_place(ov, &f->to, "to", err);
    if (st == COR_OK)
        st = check_ranged("value", f->value, 0, INFINITY, "", err);
    if (st == COR_OK && f->has_bend)
        st = check_ranged("bend", f->bend, -COR__OV_BEND_MAX, COR__OV_BEND_MAX, "", err);
    ov->value = f->value;
    ov->bend = f->has_bend ? f->bend : NAN;
    return st;
}

/* A flow (from, via..., to) or a band (path and values), then its look, arrow and text. */
static cor_status_t fill_flow(const void *spec, cor__overlay_t *ov, cor_error_t *err)
{
    const cor_flow_t *f = spec;
    cor_status_t st = f->path || f->npath ? fill_band(f, ov, err) : fill_ends(f, ov, err);
    if (st == COR_OK)
        st = apply_look(&f->look, NULL, NULL, &ov->look, err);
    if (st == COR_OK)
        st = set_flow_arrow(f->arrow, ov, err);
    ov->schematic = f->schematic;
    return st == COR_OK ? apply_text(&f->text, ov, err) : st;
}

cor_status_t cor__overlay_add_flow(cor__overlays_t *o, const cor_flow_t *f, cor_error_t *err)
{
    if (!f)
        return usage(err, "flow{} needs from = a place name or {lon, lat}");
    return add(o, COR__OV_FLOW, fill_flow, f, err);
}

/* A marker: its place, look and text. */
static cor_status_t fill_marker(const void *spec, cor__overlay_t *ov, cor_error_t *err)
{
    const cor_marker_t *m = spec;
    cor_status_t st = add_place(ov, &m->at, "at", err);
    if (st == COR_OK)
        st = apply_look(&m->look, NULL, NULL, &ov->look, err);
    return st == COR_OK ? apply_text(&m->text, ov, err) : st;
}

cor_status_t cor__overlay_add_marker(cor__overlays_t *o, const cor_marker_t *m, cor_error_t *err)
{
    if (!m)
        return usage(err, "marker{} needs at = a place name or {lon, lat}");
    return add(o, COR__OV_MARKER, fill_marker, m, err);
}

/* An area: its ring, look (hatched or not) and text. */
static cor_status_t fill_area(const void *spec, cor__overlay_t *ov, cor_error_t *err)
{
    const cor_area_t *a = spec;
    cor_status_t st = add_places(ov, a->ring, a->n, "point", err);
    if (st == COR_OK)
        st = apply_look(&a->look, NULL, NULL, &ov->look, err);
    ov->hatch = ov->look.hatch;
    return st == COR_OK ? apply_text(&a->text, ov, err) : st;
}

cor_status_t cor__overlay_add_area(cor__overlays_t *o, const cor_area_t *a, cor_error_t *err)
{
    if (!a || !a->ring || a->n < COR__OV_AREA_MIN)
        return usage(err, "area{} needs coords = a list of at least 3 {lon, lat} points, or "
                          "source = a layer name");
    return add(o, COR__OV_AREA, fill_area, a, err);
}

/* A callout: its place, look, label size, colour and rank, legend, group, text and offset. */
static cor_status_t fill_callout(const void *spec, cor__overlay_t *ov, cor_error_t *err)
{
    const cor_callout_t *c = spec;
    text_more_t more = {c->legend,      c->group,        c->label_size,
                        c->label_color, c->has_priority, c->priority};
    cor_status_t st = add_place(ov, &c->at, "at", err);
    if (st == COR_OK)
        st = apply_look(&c->look, NULL, NULL, &ov->look, err);
    if (st == COR_OK)
        st = apply_more(&more, ov, err);
    if (st == COR_OK && (!c->text || !*c->text))
        st = usage(err, "callout{} needs text = \"...\"");
    if (st == COR_OK)
        st = copy_text(c->text, "text", &ov->label, err);
    if (st == COR_OK)
        st = check_ranged("dx", c->dx, -COR__OV_OFFSET_MAX, COR__OV_OFFSET_MAX, " pt", err);
    if (st == COR_OK)
        st = check_ranged("dy", c->dy, -COR__OV_OFFSET_MAX, COR__OV_OFFSET_MAX, " pt", err);
    ov->dx = c->dx;
    ov->dy = c->dy;
    return st;
}

cor_status_t cor__overlay_add_callout(cor__overlays_t *o, const cor_callout_t *c, cor_error_t *err)
{
    if (!c)
        return usage(err, "callout{} needs at = a place name or {lon, lat}");
    return add(o, COR__OV_CALLOUT, fill_callout, c, err);
}
