/* SPDX-License-Identifier: MIT */
/* simplestyle: simplestyle-spec 1.1.0 looks for GeoJSON features. The spec's defaults, CSS pixel
 * widths in points, opacities folded into the colours' alpha, Maki symbol names mapped to
 * corridor's markers. Messages name the feature and the property, never a file: the caller adds
 * it. Nothing here reads files, projects or draws. */
#include "simplestyle.h"

#include <stdio.h>
#include <string.h>

#include "color.h"
#include "util.h"

#define PX_TO_PT 0.75 /* simplestyle widths are CSS pixels: 96 per inch, 72 pt per inch */

/* Defaults per the spec: stroke #555555, 2 px, opacity 1; fill #555555, opacity 0.6; marker
 * #7e7e7e, medium. Widths are CSS px (96 per inch): 0..100 px, pt = px * 0.75. Marker sizes
 * small / medium / large are 6 / 9 / 13 pt. Colours are whatever cor_color_parse() accepts, plus
 * 3 or 6 hex digits without the '#' (common in hand-written files). Values of the wrong JSON type
 * are errors, not guesses: "stroke-width": "4" is refused. A null value means unset. Only the
 * properties the kind uses are read, so a stray "fill" on a line is never checked. */

/* Returns: the property, or NULL when it is missing or null. */
static const cor__attr_t *prop(const cor__feature_t *f, const char *name)
{
    const cor__attr_t *a = cor__feature_get(f, name);
    return a && a->type != COR__ATTR_NULL ? a : NULL;
}

static const char *attr_kind(const cor__attr_t *a)
{
    switch (a->type) {
    case COR__ATTR_NULL:
        return "null";
    case COR__ATTR_STRING:
        return "text";
    case COR__ATTR_NUMBER:
        return "a number";
    case COR__ATTR_BOOL:
        return a->b ? "true" : "false";
    }
    return "something else";
}

static bool is_hex_digits(const char *s)
{
    size_t n = strspn(s, "0123456789abcdefABCDEF");
    return s[n] == '\0' && (n == 3 || n == 6);
}

/* Reads colour property `name`, `def` when unset; "ace" or "aaccee" are read as "#ace". */
static cor_status_t get_color(const cor__feature_t *f, const char *name, cor_color_t def,
                              cor_color_t *out, cor_error_t *err)
{
    const cor__attr_t *a = prop(f, name);
    char hashed[8];
    *out = def;
    if (!a)
        return COR_OK;
    if (a->type != COR__ATTR_STRING)
        return cor__fail(err, COR_ERR_DATA, "features[%ld]: %s: expected a colour, not %s", f->id,
                         name, attr_kind(a));
    if (cor_color_parse(a->str, out))
        return COR_OK;
    if (is_hex_digits(a->str)) {
        snprintf(hashed, sizeof hashed, "#%s", a->str);
        if (cor_color_parse(hashed, out))
            return COR_OK;
    }
    return cor__fail(err, COR_ERR_DATA, "features[%ld]: %s: '%s' is not a colour", f->id, name,
                     a->str);
}

/* Reads number property `name` in lo..hi, `def` when unset. */
static cor_status_t get_number(const cor__feature_t *f, const char *name, double def, double lo,
                               double hi, double *out, cor_error_t *err)
{
    const cor__attr_t *a = prop(f, name);
    *out = def;
    if (!a)
        return COR_OK;
    if (a->type != COR__ATTR_NUMBER)
        return cor__fail(err, COR_ERR_DATA, "features[%ld]: %s: expected a number, not %s", f->id,
                         name, attr_kind(a));
    if (!(a->num >= lo && a->num <= hi))
        return cor__fail(err, COR_ERR_DATA, "features[%ld]: %s: %g is outside %g..%g", f->id, name,
                         a->num, lo, hi);
    *out = a->num;
    return COR_OK;
}

/* stroke, stroke-width and stroke-opacity. */
static cor_status_t look_stroke(const cor__feature_t *f, cor__look_t *l, cor_error_t *err)
{
    double px = 0, opacity = 0;
    cor_status_t st = get_color(f, "stroke", cor__color_rgb(0x555555, 1), &l->stroke, err);
    if (st == COR_OK)
        st = get_number(f, "stroke-width", 2, 0, 100, &px, err);
    if (st == COR_OK)
        st = get_number(f, "stroke-opacity", 1, 0, 1, &opacity, err);
    l->stroke.a *= opacity;
    l->width = px * PX_TO_PT;
    l->stroke_on = px > 0;
    l->cap = COR__CAP_ROUND;
    l->join = COR__JOIN_ROUND;
    return st;
}

static cor_status_t look_fill(const cor__feature_t *f, cor__look_t *l, cor_error_t *err)
{
    double opacity = 0;
    cor_status_t st = get_color(f, "fill", cor__color_rgb(0x555555, 1), &l->fill, err);
    if (st == COR_OK)
        st = get_number(f, "fill-opacity", 0.6, 0, 1, &opacity, err);
    l->fill.a *= opacity;
    l->fill_on = true;
    return st;
}

/* Maki icon names (and corridor's own marker names) that are not drawn as a circle: transport
 * and industry as squares (the usual map sign for a station or port), peaks and hazards as
 * triangles, care and worship as crosses, sights as stars, the town hall as the capital mark.
 * Letters, digits and every other name are circles: corridor's markers carry no glyphs. */
static const struct {
    const char *name;
    cor__marker_t marker;
} SYMBOLS[] = {
    {"square", COR__MARKER_SQUARE},
    {"square-stroked", COR__MARKER_SQUARE},
    {"rail", COR__MARKER_SQUARE},
    {"rail-metro", COR__MARKER_SQUARE},
    {"rail-light", COR__MARKER_SQUARE},
    {"airport", COR__MARKER_SQUARE},
    {"airfield", COR__MARKER_SQUARE},
    {"heliport", COR__MARKER_SQUARE},
    {"harbor", COR__MARKER_SQUARE},
    {"ferry", COR__MARKER_SQUARE},
    {"bus", COR__MARKER_SQUARE},
    {"fuel", COR__MARKER_SQUARE},
    {"industry", COR__MARKER_SQUARE},
    {"industrial", COR__MARKER_SQUARE},
    {"warehouse", COR__MARKER_SQUARE},
    {"prison", COR__MARKER_SQUARE},
    {"building", COR__MARKER_SQUARE},
    {"triangle", COR__MARKER_TRIANGLE},
    {"triangle-stroked", COR__MARKER_TRIANGLE},
    {"mountain", COR__MARKER_TRIANGLE},
    {"volcano", COR__MARKER_TRIANGLE},
    {"danger", COR__MARKER_TRIANGLE},
    {"campsite", COR__MARKER_TRIANGLE},
    {"star", COR__MARKER_STAR},
    {"star-stroked", COR__MARKER_STAR},
    {"monument", COR__MARKER_STAR},
    {"attraction", COR__MARKER_STAR},
    {"cross", COR__MARKER_CROSS},
    {"hospital", COR__MARKER_CROSS},
    {"cemetery", COR__MARKER_CROSS},
    {"religious-christian", COR__MARKER_CROSS},
    {"place-of-worship", COR__MARKER_CROSS},
    {"diamond", COR__MARKER_DIAMOND},
    {"capital", COR__MARKER_CAPITAL},
    {"town-hall", COR__MARKER_CAPITAL},
};

/* Returns: the marker for a marker-symbol (case-insensitive; a circle for anything unknown). */
static cor__marker_t symbol_marker(const char *name)
{
    for (size_t i = 0; i < COR__ARRAY_LEN(SYMBOLS); i++)
        if (cor__strcasecmp(SYMBOLS[i].name, name) == 0)
            return SYMBOLS[i].marker;
    return COR__MARKER_CIRCLE;
}

static cor_status_t get_marker(const cor__feature_t *f, cor__look_t *l, cor_error_t *err)
{
    static const char *const SIZES[] = {"small", "medium", "large"};
    static const double PT[] = {6, 9, 13};
    const cor__attr_t *sym = prop(f, "marker-symbol"), *size = prop(f, "marker-size");
    l->marker = sym && sym->type == COR__ATTR_STRING ? symbol_marker(sym->str) : COR__MARKER_CIRCLE;
    if (sym && sym->type == COR__ATTR_BOOL)
        return cor__fail(err, COR_ERR_DATA, "features[%ld]: marker-symbol: expected a name, not %s",
                         f->id, attr_kind(sym));
    l->size = PT[1];
    if (!size)
        return COR_OK;
    for (size_t i = 0; size->type == COR__ATTR_STRING && i < COR__ARRAY_LEN(SIZES); i++)
        if (cor__strcasecmp(size->str, SIZES[i]) == 0) {
            l->size = PT[i];
            return COR_OK;
        }
    if (size->type == COR__ATTR_STRING)
        return cor__fail(err, COR_ERR_DATA,
                         "features[%ld]: marker-size: '%s' is not small, medium or large", f->id,
                         size->str);
    return cor__fail(err, COR_ERR_DATA,
                     "features[%ld]: marker-size: expected small, medium or large, not %s", f->id,
                     attr_kind(size));
}

/* A marker-color disc (or other marker) with a thin white outline. */
static cor_status_t look_marker(const cor__feature_t *f, cor__look_t *l, cor_error_t *err)
{
    cor_status_t st = get_color(f, "marker-color", cor__color_rgb(0x7e7e7e, 1), &l->fill, err);
    if (st == COR_OK)
        st = get_marker(f, l, err);
    l->fill_on = true;
    l->stroke_on = true;
    l->stroke = cor__color_rgb(0xffffff, 1);
    l->width = 1 * PX_TO_PT;
    l->join = COR__JOIN_ROUND;
    return st;
}

/* The label from "title": text as is, numbers and booleans written out, "" as none. */
static cor_status_t get_title(const cor__feature_t *f, char **out, cor_error_t *err)
{
    const cor__attr_t *a = prop(f, "title");
    *out = NULL;
    if (!a || (a->type == COR__ATTR_STRING && !a->str[0]))
        return COR_OK;
    if (a->type == COR__ATTR_STRING)
        *out = cor__strdup(a->str);
    else if (a->type == COR__ATTR_NUMBER)
        *out = cor__asprintf("%.15g", a->num);
    else
        *out = cor__strdup(a->b ? "true" : "false");
    return *out ? COR_OK : cor__fail(err, COR_ERR_NOMEM, "features[%ld]: out of memory", f->id);
}

cor_status_t cor__simplestyle_look(const cor__feature_t *f, cor__geom_kind_t kind,
                                   cor__look_t *look, char **label, cor_error_t *err)
{
    cor__look_t l = {.opacity = 1, .cap = COR__CAP_ROUND, .join = COR__JOIN_ROUND};
    char *text = NULL;
    cor_status_t st = COR_OK;
    if (kind == COR__GEOM_NONE && f->geom)
        kind = f->geom->kind;
    if (kind == COR__GEOM_POINT)
        st = look_marker(f, &l, err);
    else if (kind == COR__GEOM_LINE || kind == COR__GEOM_POLYGON)
        st = look_stroke(f, &l, err);
    if (st == COR_OK && kind == COR__GEOM_POLYGON)
        st = look_fill(f, &l, err);
    if (st == COR_OK && label)
        st = get_title(f, &text, err);
    if (st != COR_OK)
        return st;
    *look = l;
    if (label)
        *label = text;
    return COR_OK;
}
