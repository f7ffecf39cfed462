/* SPDX-License-Identifier: MIT */
/* style: the style model (layers whose properties are constants or per-feature functions),
 * property and marker names, default looks, value checks, and resolution of a layer's
 * properties for one feature into a plain cor__look_t for painting. Plain C: it never sees Lua;
 * functions are evaluated through the callback the script module provides. */
#include "style.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "color.h"
#include "util.h"

_Static_assert(COR__LIST_MAX <= COR__DASH_MAX, "a dash list must fit the look");

/* ---- names ---- */

static const char *const marker_names[COR__MARKER_COUNT] = {
    [COR__MARKER_NONE] = "none",       [COR__MARKER_CIRCLE] = "circle",
    [COR__MARKER_SQUARE] = "square",   [COR__MARKER_TRIANGLE] = "triangle",
    [COR__MARKER_DIAMOND] = "diamond", [COR__MARKER_STAR] = "star",
    [COR__MARKER_CROSS] = "cross",     [COR__MARKER_CAPITAL] = "capital",
    [COR__MARKER_PORT] = "port",       [COR__MARKER_MINE] = "mine",
    [COR__MARKER_BORDER] = "border",   [COR__MARKER_AIRPORT] = "airport",
    [COR__MARKER_RAIL] = "rail",
};

bool cor__marker_parse(const char *name, cor__marker_t *out)
{
    for (int i = 0; name && i < COR__MARKER_COUNT; i++) {
        if (marker_names[i] && cor__strcasecmp(name, marker_names[i]) == 0) {
            if (out)
                *out = (cor__marker_t)i;
            return true;
        }
    }
    return false;
}

const char *cor__marker_name(cor__marker_t m)
{
    return ((int)m >= 0 && (int)m < COR__MARKER_COUNT) ? marker_names[m] : NULL;
}

static const char *const prop_names[COR__P_COUNT] = {
    [COR__P_FILL] = "fill",
    [COR__P_STROKE] = "stroke",
    [COR__P_WIDTH] = "width",
    [COR__P_DASH] = "dash",
    [COR__P_OPACITY] = "opacity",
    [COR__P_CAP] = "cap",
    [COR__P_JOIN] = "join",
    [COR__P_CASING] = "casing",
    [COR__P_CASING_WIDTH] = "casing_width",
    [COR__P_MARKER] = "marker",
    [COR__P_SIZE] = "size",
    [COR__P_FILTER] = "filter",
    [COR__P_LABEL] = "label",
    [COR__P_LABEL_SIZE] = "label_size",
    [COR__P_LABEL_COLOR] = "label_color",
    [COR__P_LABEL_FONT] = "label_font",
    [COR__P_HALO] = "halo",
    [COR__P_HALO_WIDTH] = "halo_width",
    [COR__P_PRIORITY] = "priority",
    [COR__P_HATCH] = "hatch",
};

static bool valid_id(cor__prop_id_t id)
{
    return (int)id >= 0 && (int)id < COR__P_COUNT;
}

const char *cor__prop_name(cor__prop_id_t id)
{
    return valid_id(id) ? prop_names[id] : NULL;
}

bool cor__prop_lookup(const char *key, cor__prop_id_t *out)
{
    for (int i = 0; key && i < COR__P_COUNT; i++) {
        if (strcmp(key, prop_names[i]) == 0) {
            if (out)
                *out = (cor__prop_id_t)i;
            return true;
        }
    }
    return false;
}

static const char *const cap_names[] = {"butt", "round", "square"};
static const char *const join_names[] = {"miter", "round", "bevel"};

/* Index of `name` in `names` (any case), or -1. "mitre" is accepted for "miter". */
static int name_index(const char *name, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (cor__strcasecmp(name, names[i]) == 0)
            return i;
    if (names == join_names && cor__strcasecmp(name, "mitre") == 0)
        return COR__JOIN_MITER;
    return -1;
}

/* ---- property values ---- */

void cor__pval_clear(cor__pval_t *v)
{
    if (!v)
        return;
    free(v->str);
    memset(v, 0, sizeof *v);
}

/* Deep copy. Returns: false on exhaustion, with *dst cleared. */
static bool pval_copy(cor__pval_t *dst, const cor__pval_t *src)
{
    *dst = *src;
    dst->str = NULL;
    if (src->str && !(dst->str = cor__strdup(src->str))) {
        memset(dst, 0, sizeof *dst);
        return false;
    }
    return true;
}

/* What each property holds, which decides the types it accepts and the checks it gets. */
typedef enum {
    K_COLOR_OFF, /* colour, or false / "none" for off */
    K_COLOR,
    K_LENGTH, /* 0..100 pt */
    K_OPACITY,
    K_DASH,
    K_CAP,
    K_JOIN,
    K_MARKER,
    K_ANY,
    K_TEXT,
    K_FONT,
    K_NUMBER,
    K_BOOL,
} prop_kind_t;

static const prop_kind_t prop_kinds[COR__P_COUNT] = {
    [COR__P_FILL] = K_COLOR_OFF,  [COR__P_STROKE] = K_COLOR_OFF,  [COR__P_WIDTH] = K_LENGTH,
    [COR__P_DASH] = K_DASH,       [COR__P_OPACITY] = K_OPACITY,   [COR__P_CAP] = K_CAP,
    [COR__P_JOIN] = K_JOIN,       [COR__P_CASING] = K_COLOR_OFF,  [COR__P_CASING_WIDTH] = K_LENGTH,
    [COR__P_MARKER] = K_MARKER,   [COR__P_SIZE] = K_LENGTH,       [COR__P_FILTER] = K_ANY,
    [COR__P_LABEL] = K_TEXT,      [COR__P_LABEL_SIZE] = K_LENGTH, [COR__P_LABEL_COLOR] = K_COLOR,
    [COR__P_LABEL_FONT] = K_FONT, [COR__P_HALO] = K_COLOR_OFF,    [COR__P_HALO_WIDTH] = K_LENGTH,
    [COR__P_PRIORITY] = K_NUMBER, [COR__P_HATCH] = K_BOOL,
};

#define T(x) (1u << (x))
static const unsigned kind_types[] = {
    [K_COLOR_OFF] = T(COR__PV_STRING) | T(COR__PV_BOOL),
    [K_COLOR] = T(COR__PV_STRING),
    [K_LENGTH] = T(COR__PV_NUMBER),
    [K_OPACITY] = T(COR__PV_NUMBER),
    [K_DASH] = T(COR__PV_LIST) | T(COR__PV_BOOL),
    [K_CAP] = T(COR__PV_STRING),
    [K_JOIN] = T(COR__PV_STRING),
    [K_MARKER] = T(COR__PV_STRING) | T(COR__PV_BOOL),
    [K_ANY] = T(COR__PV_STRING) | T(COR__PV_NUMBER) | T(COR__PV_BOOL) | T(COR__PV_LIST),
    [K_TEXT] = T(COR__PV_STRING) | T(COR__PV_NUMBER) | T(COR__PV_BOOL),
    [K_FONT] = T(COR__PV_STRING),
    [K_NUMBER] = T(COR__PV_NUMBER),
    [K_BOOL] = T(COR__PV_BOOL),
};
#undef T

static const char *const kind_expects[] = {
    [K_COLOR_OFF] = "a colour or false",
    [K_COLOR] = "a colour",
    [K_LENGTH] = "a number",
    [K_OPACITY] = "a number",
    [K_DASH] = "a list of numbers or false",
    [K_CAP] = "a string",
    [K_JOIN] = "a string",
    [K_MARKER] = "a marker name or false",
    [K_ANY] = "any value",
    [K_TEXT] = "a string, a number or false",
    [K_FONT] = "a string",
    [K_NUMBER] = "a number",
    [K_BOOL] = "a boolean",
};

bool cor__prop_accepts(cor__prop_id_t id, cor__pv_type_t type)
{
    if (!valid_id(id))
        return false;
    return type == COR__PV_NIL || (kind_types[prop_kinds[id]] & (1u << type)) != 0;
}

const char *cor__prop_expects(cor__prop_id_t id)
{
    return valid_id(id) ? kind_expects[prop_kinds[id]] : "nothing";
}

/* Describes a value briefly for messages: "'blu'", "true", "12.5", "a list". */
static void describe(const cor__pval_t *v, char *buf, size_t n)
{
    switch (v->type) {
    case COR__PV_STRING:
        if (strlen(v->str) > 40)
            snprintf(buf, n, "'%.37s...'", v->str);
        else
            snprintf(buf, n, "'%s'", v->str);
        break;
    case COR__PV_NUMBER:
        snprintf(buf, n, "%g", v->num);
        break;
    case COR__PV_BOOL:
        snprintf(buf, n, "%s", v->b ? "true" : "false");
        break;
    case COR__PV_LIST:
        snprintf(buf, n, "a list of %d numbers", v->nlist);
        break;
    default:
        snprintf(buf, n, "nil");
        break;
    }
}

static const char *const pv_type_names[] = {"nil", "string", "number", "boolean", "list"};

static bool check_color(const cor__pval_t *v, bool may_be_off, char *why, size_t n,
                        const char *what)
{
    cor_color_t c;
    if (v->type == COR__PV_BOOL && (!v->b && may_be_off))
        return true;
    if (v->type == COR__PV_STRING && cor_color_parse(v->str, &c))
        return true;
    snprintf(why, n, "%s is not a colour%s", what,
             v->type == COR__PV_BOOL ? " (use false for none)" : "");
    return false;
}

static bool check_range(double x, double lo, double hi, const char *unit, char *why, size_t n)
{
    if (isfinite(x) && x >= lo && x <= hi)
        return true;
    snprintf(why, n, "%g is out of range (%g to %g%s)", x, lo, hi, unit);
    return false;
}

static bool check_dash(const cor__pval_t *v, char *why, size_t n)
{
    if (v->type == COR__PV_BOOL) {
        if (!v->b)
            return true;
        snprintf(why, n, "true is not a dash pattern (use a list like {4, 2}, or false)");
        return false;
    }
    if (v->nlist > COR__DASH_MAX) {
        snprintf(why, n, "at most %d entries are allowed, got %d", COR__DASH_MAX, v->nlist);
        return false;
    }
    for (int i = 0; i < v->nlist; i++) {
        if (!(isfinite(v->list[i]) && v->list[i] > 0 && v->list[i] <= 1000)) {
            snprintf(why, n,
                     "entry %d is %g; dash entries must be greater than 0 and at most 1000 pt",
                     i + 1, v->list[i]);
            return false;
        }
    }
    return true;
}

static bool check_name(const cor__pval_t *v, const char *const *names, int count, const char *what,
                       char *why, size_t n)
{
    char d[64];
    if (name_index(v->str, names, count) >= 0)
        return true;
    describe(v, d, sizeof d);
    snprintf(why, n, "%s is not a %s (%s, %s or %s)", d, what, names[0], names[1], names[2]);
    return false;
}

static bool check_marker(const cor__pval_t *v, char *why, size_t n)
{
    char d[64];
    size_t len;
    if (v->type == COR__PV_BOOL ? !v->b : cor__marker_parse(v->str, NULL))
        return true;
    describe(v, d, sizeof d);
    snprintf(why, n, "%s is not a marker (", d);
    for (int i = 1; i <= COR__MARKER_COUNT; i++) {
        const char *name = marker_names[i % COR__MARKER_COUNT]; /* "none" last */
        len = strlen(why);
        if (name)
            snprintf(why + len, n - len, "%s%s", name, i < COR__MARKER_COUNT ? ", " : ")");
    }
    return false;
}

/* Checks a value whose type the property accepts. */
static bool check_value(prop_kind_t kind, const cor__pval_t *v, char *why, size_t n)
{
    char d[64];
    describe(v, d, sizeof d);
    switch (kind) {
    case K_COLOR_OFF:
        return check_color(v, true, why, n, d);
    case K_COLOR:
        return check_color(v, false, why, n, d);
    case K_LENGTH:
        return check_range(v->num, 0, 100, " pt", why, n);
    case K_OPACITY:
        return check_range(v->num, 0, 1, "", why, n);
    case K_DASH:
        return check_dash(v, why, n);
    case K_CAP:
        return check_name(v, cap_names, 3, "line cap", why, n);
    case K_JOIN:
        return check_name(v, join_names, 3, "line join", why, n);
    case K_MARKER:
        return check_marker(v, why, n);
    case K_NUMBER:
        if (isfinite(v->num))
            return true;
        snprintf(why, n, "%s is not a finite number", d);
        return false;
    case K_ANY:
    case K_TEXT:
    case K_FONT:
    case K_BOOL:
        return true;
    }
    return true;
}

bool cor__prop_check(cor__prop_id_t id, const cor__pval_t *v, char *why, size_t whysize)
{
    char d[64];
    if (!valid_id(id)) {
        snprintf(why, whysize, "unknown property");
        return false;
    }
    if (v->type == COR__PV_NIL)
        return true;
    if (!cor__prop_accepts(id, v->type)) {
        describe(v, d, sizeof d);
        snprintf(why, whysize, "expected %s, got %s %s", cor__prop_expects(id),
                 pv_type_names[v->type], d);
        return false;
    }
    return check_value(prop_kinds[id], v, why, whysize);
}

/* ---- the style ---- */

cor__layer_style_t *cor__style_add_layer(cor__style_t *s)
{
    if (!s || !cor__grow((void **)&s->layers, &s->cap_layers, s->nlayers + 1, sizeof *s->layers))
        return NULL;
    cor__layer_style_t *ls = &s->layers[s->nlayers++];
    memset(ls, 0, sizeof *ls);
    return ls;
}

static void layer_clear(cor__layer_style_t *ls)
{
    free(ls->name);
    free(ls->source);
    free(ls->base_dir);
    free(ls->file);
    free(ls->legend);
    free(ls->group);
    free(ls->crs);
    for (int i = 0; i < COR__P_COUNT; i++)
        cor__pval_clear(&ls->props[i].val);
    memset(ls, 0, sizeof *ls);
}

void cor__style_clear(cor__style_t *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nlayers; i++)
        layer_clear(&s->layers[i]);
    free(s->layers);
    free(s->path);
    cor__mapdef_clear(&s->map);
    memset(s, 0, sizeof *s);
}

/* Merges the sorted runs a[0..mid) and a[mid..n) through tmp; ties take the left run first. */
static void merge_runs(cor__layer_style_t *a, cor__layer_style_t *tmp, size_t mid, size_t n)
{
    size_t i = 0, j = mid, k = 0;
    while (i < mid && j < n)
        tmp[k++] = (a[j].order < a[i].order) ? a[j++] : a[i++];
    while (i < mid)
        tmp[k++] = a[i++];
    while (j < n)
        tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof *a);
}

static void merge_sort(cor__layer_style_t *a, cor__layer_style_t *tmp, size_t n)
{
    if (n < 2)
        return;
    size_t mid = n / 2;
    merge_sort(a, tmp, mid);
    merge_sort(a + mid, tmp, n - mid);
    merge_runs(a, tmp, mid, n);
}

/* The fallback when no scratch memory is left: stable, quadratic. */
static void insertion_sort(cor__layer_style_t *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        cor__layer_style_t x = a[i];
        size_t j = i;
        for (; j > 0 && x.order < a[j - 1].order; j--)
            a[j] = a[j - 1];
        a[j] = x;
    }
}

void cor__style_sort(cor__style_t *s)
{
    if (!s || s->nlayers < 2)
        return;
    cor__layer_style_t *tmp = cor__calloc(s->nlayers, sizeof *tmp);
    if (tmp)
        merge_sort(s->layers, tmp, s->nlayers);
    else
        insertion_sort(s->layers, s->nlayers);
    free(tmp);
}

/* ---- default looks ---- */

typedef struct palette {
    uint32_t fill, outline; /* polygons */
    uint32_t line;          /* lines */
    uint32_t point;         /* point markers */
} palette_t;

static const palette_t palettes[] = {
    {0xe8e4d8, 0x9a9282, 0x5b7083, 0x333333}, /* sand, blue-grey, charcoal */
    {0xdbe8d4, 0x7f9a72, 0xa0522d, 0xb22222}, /* sage, sienna, brick */
    {0xd9e4ef, 0x7690a8, 0x2e7d5b, 0x1f5f99}, /* mist, green, blue */
    {0xefdcd6, 0xa67f74, 0x7b4f9d, 0x2e7d32}, /* rose, purple, forest */
    {0xe9e0ef, 0x8e7ea3, 0xb8860b, 0x6a1b9a}, /* lilac, ochre, violet */
};

void cor__look_default(cor__geom_kind_t kind, int variant, cor__look_t *look)
{
    int n = (int)COR__ARRAY_LEN(palettes);
    const palette_t *p = &palettes[((variant % n) + n) % n];
    memset(look, 0, sizeof *look);
    look->opacity = 1.0;
    look->cap = COR__CAP_ROUND;
    look->join = COR__JOIN_ROUND;
    look->casing = cor__color_rgb(0xffffff, 1.0);
    look->size = 4.0;
    look->stroke_on = true;
    switch (kind) {
    case COR__GEOM_POINT:
        look->marker = COR__MARKER_CIRCLE;
        look->fill_on = true;
        look->fill = cor__color_rgb(p->point, 1.0);
        look->stroke = cor__color_rgb(0xffffff, 1.0);
        look->width = 0.5;
        break;
    case COR__GEOM_LINE:
        look->stroke = cor__color_rgb(p->line, 1.0);
        look->width = 0.8;
        break;
    default: /* polygons, and anything unknown */
        look->fill_on = true;
        look->fill = cor__color_rgb(p->fill, 1.0);
        look->stroke = cor__color_rgb(p->outline, 1.0);
        look->width = 0.5;
        break;
    }
}

/* ---- resolving a feature's look ---- */

/* What a casing adds to the stroke width when the style names a colour but no casing_width. */

cor_status_t cor__style_value(const cor__layer_style_t *ls, cor__prop_id_t id,
                              const cor__feature_t *f, cor__prop_eval_fn eval, void *ctx,
                              cor__pval_t *out, cor_error_t *err)
{
    memset(out, 0, sizeof *out);
    if (!ls || !valid_id(id))
        return cor__fail(err, COR_ERR_INTERNAL, "style value: bad arguments");
    const cor__prop_t *prop = &ls->props[id];
    if (!prop->set)
        return COR_OK;
    if (!prop->dynamic)
        return pval_copy(out, &prop->val) ? COR_OK : cor__fail(err, COR_ERR_NOMEM, "out of memory");
    if (!eval)
        return cor__fail(err, COR_ERR_INTERNAL,
                         "layer '%s': %s is a function but nothing can evaluate it",
                         ls->name ? ls->name : "?", prop_names[id]);
    cor_status_t st = eval(ctx, prop, f, out, err);
    if (st != COR_OK)
        cor__pval_clear(out);
    return st;
}

/* Appends " (<text>)" to a message set by the call that just failed. */
static void error_suffix(cor_error_t *err, const char *text)
{
    size_t len = strlen(err->message);
    snprintf(err->message + len, sizeof err->message - len, " (%s)", text);
}

/* Fails with "<file>:<line>: layer '<name>': <prop>: <why>". */
static cor_status_t layer_fail(cor_error_t *err, const cor__layer_style_t *ls, cor__prop_id_t id,
                               const char *why, const cor__feature_t *f)
{
    char where[512] = "", feat[48] = "";
    if (ls->file && ls->line > 0)
        snprintf(where, sizeof where, "%s:%d: ", ls->file, ls->line);
    else if (ls->file)
        snprintf(where, sizeof where, "%s: ", ls->file);
    if (f && ls->props[id].dynamic)
        snprintf(feat, sizeof feat, " (feature %ld)", f->id);
    return cor__fail(err, COR_ERR_STYLE, "%slayer '%s': %s: %s%s", where,
                     ls->name ? ls->name : (ls->source ? ls->source : "?"), prop_names[id], why,
                     feat);
}

/* Evaluates and checks one property. out->type is NIL when unset or when a function gave nil. */
static cor_status_t checked_value(const cor__layer_style_t *ls, cor__prop_id_t id,
                                  const cor__feature_t *f, cor__prop_eval_fn eval, void *ctx,
                                  cor__pval_t *out, cor_error_t *err)
{
    char why[256];
    bool was_ok = !err || err->code == COR_OK;
    cor_status_t st = cor__style_value(ls, id, f, eval, ctx, out, err);
    if (st != COR_OK) {
        if (err && was_ok && ls->props[id].dynamic) {
            char ctxt[160];
            snprintf(ctxt, sizeof ctxt, "layer '%s', %s, feature %ld", ls->name ? ls->name : "?",
                     prop_names[id], f ? f->id : -1L);
            error_suffix(err, ctxt);
        }
        return st;
    }
    if (!cor__prop_check(id, out, why, sizeof why)) {
        cor__pval_clear(out);
        return layer_fail(err, ls, id, why, f);
    }
    return COR_OK;
}

static bool is_off(const cor__pval_t *v)
{
    return (v->type == COR__PV_BOOL && !v->b) ||
           (v->type == COR__PV_STRING && cor__strcasecmp(v->str, "none") == 0);
}

static void set_color(bool *on, cor_color_t *color, const cor__pval_t *v)
{
    *on = !is_off(v);
    if (*on)
        cor_color_parse(v->str, color);
}

/* Applies a checked, non-nil value to the look. */
static void apply(cor__look_t *lk, cor__prop_id_t id, const cor__pval_t *v)
{
    switch (id) {
    case COR__P_FILL:
        set_color(&lk->fill_on, &lk->fill, v);
        break;
    case COR__P_STROKE:
        set_color(&lk->stroke_on, &lk->stroke, v);
        break;
    case COR__P_CASING:
        set_color(&lk->casing_on, &lk->casing, v);
        break;
    case COR__P_WIDTH:
        lk->width = v->num;
        break;
    case COR__P_CASING_WIDTH:
        lk->casing_width = v->num;
        break;
    case COR__P_SIZE:
        lk->size = v->num;
        break;
    case COR__P_OPACITY:
        lk->opacity = v->num;
        break;
    case COR__P_DASH:
        lk->ndash = v->type == COR__PV_LIST ? v->nlist : 0;
        for (int i = 0; i < lk->ndash; i++)
            lk->dash[i] = v->list[i];
        break;
    case COR__P_CAP:
        lk->cap = (cor__cap_t)name_index(v->str, cap_names, 3);
        break;
    case COR__P_JOIN:
        lk->join = (cor__join_t)name_index(v->str, join_names, 3);
        break;
    case COR__P_MARKER:
        lk->marker = COR__MARKER_NONE;
        if (v->type == COR__PV_STRING)
            cor__marker_parse(v->str, &lk->marker);
        break;
    case COR__P_HATCH:
        lk->hatch = v->type == COR__PV_BOOL && v->b;
        break;
    default:
        break; /* label properties are read by the label module */
    }
}

void cor__look_apply(cor__look_t *look, cor__prop_id_t id, const cor__pval_t *v)
{
    if (look && v && valid_id(id) && v->type != COR__PV_NIL)
        apply(look, id, v);
}

/* Decides visibility from the filter. Returns: COR_OK or the evaluation's error. */
static cor_status_t resolve_filter(const cor__layer_style_t *ls, const cor__feature_t *f,
                                   cor__prop_eval_fn eval, void *ctx, bool *visible,
                                   cor_error_t *err)
{
    cor__pval_t v;
    *visible = true;
    if (!ls->props[COR__P_FILTER].set)
        return COR_OK;
    cor_status_t st = checked_value(ls, COR__P_FILTER, f, eval, ctx, &v, err);
    if (st == COR_OK)
        *visible = !(v.type == COR__PV_NIL || (v.type == COR__PV_BOOL && !v.b));
    cor__pval_clear(&v);
    return st;
}

cor_status_t cor__style_resolve(const cor__layer_style_t *ls, const cor__look_t *base,
                                const cor__feature_t *f, cor__prop_eval_fn eval, void *ctx,
                                cor__look_t *look, bool *visible, cor_error_t *err)
{
    bool vis = true;
    if (!ls || !base || !look)
        return cor__fail(err, COR_ERR_INTERNAL, "style resolve: bad arguments");
    cor_status_t st = resolve_filter(ls, f, eval, ctx, &vis, err);
    if (visible)
        *visible = vis;
    if (st != COR_OK || !vis)
        return st;
    cor__look_t lk = *base;
    for (int id = COR__P_FILL; id < COR__P_COUNT; id++) {
        cor__pval_t v;
        if (!ls->props[id].set || (id > COR__P_SIZE && id != COR__P_HATCH))
            continue;
        st = checked_value(ls, (cor__prop_id_t)id, f, eval, ctx, &v, err);
        if (st != COR_OK)
            return st;
        if (v.type != COR__PV_NIL)
            apply(&lk, (cor__prop_id_t)id, &v);
        cor__pval_clear(&v);
    }
    if (lk.casing_on && lk.casing_width <= 0 && !ls->props[COR__P_CASING_WIDTH].set)
        lk.casing_width = COR__CASING_WIDTH;
    *look = lk;
    return COR_OK;
}

/* ---- label templates ---- */

/* Formats a number the short way: integers without a decimal point, others without trailing
 * zeros (114, 2.5, 0.125). */
static void format_number(double x, char *buf, size_t n)
{
    if (x == 0)
        snprintf(buf, n, "0");
    else if (x == floor(x) && fabs(x) < 1e15)
        snprintf(buf, n, "%.0f", x);
    else
        snprintf(buf, n, "%.15g", x);
}

static bool append_attr(cor__buf_t *b, const cor__feature_t *f, const char *name, size_t len)
{
    char key[256], num[64];
    while (len > 0 && (*name == ' ' || *name == '\t'))
        name++, len--;
    while (len > 0 && (name[len - 1] == ' ' || name[len - 1] == '\t'))
        len--;
    if (!f || len == 0 || len >= sizeof key)
        return true;
    memcpy(key, name, len);
    key[len] = '\0';
    const cor__attr_t *a = cor__feature_get(f, key);
    if (!a)
        return true;
    switch (a->type) {
    case COR__ATTR_STRING:
        return cor__buf_puts(b, a->str ? a->str : "");
    case COR__ATTR_NUMBER:
        format_number(a->num, num, sizeof num);
        return cor__buf_puts(b, num);
    case COR__ATTR_BOOL:
        return cor__buf_puts(b, a->b ? "true" : "false");
    default:
        return true;
    }
}

char *cor__style_expand(const char *tmpl, const cor__feature_t *f)
{
    cor__buf_t b = {0};
    const char *p = tmpl ? tmpl : "";
    bool ok = cor__buf_append(&b, "", 0);
    while (ok && *p) {
        const char *close = p[0] == '{' ? strchr(p + 1, '}') : NULL;
        if ((p[0] == '{' || p[0] == '}') && p[1] == p[0]) {
            ok = cor__buf_append(&b, p, 1);
            p += 2;
        } else if (close) {
            ok = append_attr(&b, f, p + 1, (size_t)(close - p - 1));
            p = close + 1;
        } else {
            ok = cor__buf_append(&b, p, 1);
            p++;
        }
    }
    if (!ok) {
        cor__buf_free(&b);
        return NULL;
    }
    return b.data;
}
