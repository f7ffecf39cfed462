/* SPDX-License-Identifier: MIT */
/* Unit tests for style: names, value checks, default looks, resolving a feature's look
 * (constants and a fake evaluator), label templates, sorting and ownership. Failures first. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "style.h"
#include "testutil.h"
#include "util.h"

#define EPS 1e-9

static void assert_color(const cor_color_t *c, double r, double g, double b, double a)
{
    ck_assert_double_eq_tol(c->r, r, EPS);
    ck_assert_double_eq_tol(c->g, g, EPS);
    ck_assert_double_eq_tol(c->b, b, EPS);
    ck_assert_double_eq_tol(c->a, a, EPS);
}

/* ---- a hand-made feature and a fake evaluator ---- */

static const char *const feat_names[] = {"NAME", "pop", "ratio", "capital", "empty"};
static const cor__attr_t feat_values[] = {
    {COR__ATTR_STRING, "Minsk", 0, false}, {COR__ATTR_NUMBER, NULL, 114, false},
    {COR__ATTR_NUMBER, NULL, 2.5, false},  {COR__ATTR_BOOL, NULL, 0, true},
    {COR__ATTR_NULL, NULL, 0, false},
};
static const cor__feature_t feature = {42, NULL, 5, feat_names, feat_values};

/* Fake refs: 1 "#00ff00", 2 the number 3, 3 false, 4 an error, 5 nil, 6 "blu", 7 a list {4, 2},
 * 8 the number 500, 9 true. Counts its calls. */
static int fake_calls;

static cor_status_t fake_eval(void *ctx, const cor__prop_t *prop, const cor__feature_t *f,
                              cor__pval_t *out, cor_error_t *err)
{
    (void)ctx;
    ck_assert_ptr_eq(f, &feature);
    fake_calls++;
    memset(out, 0, sizeof *out);
    switch (prop->ref) {
    case 1:
        out->type = COR__PV_STRING;
        out->str = cor__strdup("#00ff00");
        break;
    case 2:
        out->type = COR__PV_NUMBER;
        out->num = 3;
        break;
    case 3:
        out->type = COR__PV_BOOL;
        out->b = false;
        break;
    case 4:
        return cor__fail(err, COR_ERR_STYLE, "fake.lua:9: attempt to index a nil value");
    case 5:
        break;
    case 6:
        out->type = COR__PV_STRING;
        out->str = cor__strdup("blu");
        break;
    case 7:
        out->type = COR__PV_LIST;
        out->nlist = 2;
        out->list[0] = 4;
        out->list[1] = 2;
        break;
    case 8:
        out->type = COR__PV_NUMBER;
        out->num = 500;
        break;
    case 9:
        out->type = COR__PV_BOOL;
        out->b = true;
        break;
    default:
        ck_abort_msg("unexpected ref %d", prop->ref);
    }
    return COR_OK;
}

static void set_str(cor__layer_style_t *ls, cor__prop_id_t id, const char *s)
{
    cor__pval_clear(&ls->props[id].val);
    ls->props[id].set = true;
    ls->props[id].dynamic = false;
    ls->props[id].val.type = COR__PV_STRING;
    ls->props[id].val.str = cor__strdup(s);
}

static void set_num(cor__layer_style_t *ls, cor__prop_id_t id, double x)
{
    ls->props[id].set = true;
    ls->props[id].dynamic = false;
    ls->props[id].val.type = COR__PV_NUMBER;
    ls->props[id].val.num = x;
}

static void set_bool(cor__layer_style_t *ls, cor__prop_id_t id, bool b)
{
    ls->props[id].set = true;
    ls->props[id].dynamic = false;
    ls->props[id].val.type = COR__PV_BOOL;
    ls->props[id].val.b = b;
}

static void set_fn(cor__layer_style_t *ls, cor__prop_id_t id, int ref)
{
    ls->props[id].set = true;
    ls->props[id].dynamic = true;
    ls->props[id].ref = ref;
}

/* A style with one layer 'countries' declared at style.lua:7. */
static cor__layer_style_t *new_layer(cor__style_t *s)
{
    cor__layer_style_t *ls = cor__style_add_layer(s);
    ck_assert_ptr_nonnull(ls);
    ls->name = cor__strdup("countries");
    ls->source = cor__strdup("countries");
    ls->file = cor__strdup("style.lua");
    ls->line = 7;
    return ls;
}

static cor_status_t resolve(const cor__layer_style_t *ls, cor__look_t *look, bool *vis,
                            cor_error_t *err)
{
    cor__look_t base;
    cor__look_default(COR__GEOM_POLYGON, 0, &base);
    return cor__style_resolve(ls, &base, &feature, fake_eval, NULL, look, vis, err);
}

/* ---- names ---- */

START_TEST(marker_and_property_names)
{
    cor__marker_t m = COR__MARKER_STAR;
    ck_assert(!cor__marker_parse("circel", &m));
    ck_assert(!cor__marker_parse("", &m));
    ck_assert(!cor__marker_parse(NULL, &m));
    ck_assert_int_eq(m, COR__MARKER_STAR);
    ck_assert_ptr_null(cor__marker_name(COR__MARKER_COUNT));
    static const char *const names[] = {"none",   "circle",  "square",  "triangle", "diamond",
                                        "star",   "cross",   "capital", "port",     "mine",
                                        "border", "airport", "rail"};
    ck_assert_int_eq(COR__ARRAY_LEN(names), COR__MARKER_COUNT);
    for (int i = 0; i < COR__MARKER_COUNT; i++) {
        ck_assert(cor__marker_parse(names[i], &m));
        ck_assert_int_eq(m, i);
        ck_assert_str_eq(cor__marker_name(m), names[i]);
    }
    ck_assert(cor__marker_parse("Capital", &m));
    ck_assert_int_eq(m, COR__MARKER_CAPITAL);

    cor__prop_id_t id = COR__P_HALO;
    ck_assert(!cor__prop_lookup("fil", &id));
    ck_assert(!cor__prop_lookup("Fill", &id));
    ck_assert(!cor__prop_lookup(NULL, &id));
    ck_assert_int_eq(id, COR__P_HALO);
    ck_assert_ptr_null(cor__prop_name(COR__P_COUNT));
    static const char *const props[] = {
        "fill",        "stroke",       "width",  "dash",       "opacity",  "cap",   "join",
        "casing",      "casing_width", "marker", "size",       "filter",   "label", "label_size",
        "label_color", "label_font",   "halo",   "halo_width", "priority", "hatch",
    };
    ck_assert_uint_eq(COR__ARRAY_LEN(props), COR__P_COUNT);
    for (int i = 0; i < COR__P_COUNT; i++) {
        ck_assert(cor__prop_lookup(props[i], &id));
        ck_assert_int_eq(id, i);
        ck_assert_str_eq(cor__prop_name(id), props[i]);
    }
}
END_TEST

/* ---- value checks ---- */

START_TEST(value_checks_reject_bad_values)
{
    char why[256];
    cor__pval_t v = {0};
    v.type = COR__PV_STRING;
    v.str = "blu";
    ck_assert(!cor__prop_check(COR__P_FILL, &v, why, sizeof why));
    ck_assert_str_eq(why, "'blu' is not a colour");
    v.str = "dotted";
    ck_assert(!cor__prop_check(COR__P_CAP, &v, why, sizeof why));
    ck_assert_str_eq(why, "'dotted' is not a line cap (butt, round or square)");
    ck_assert(!cor__prop_check(COR__P_JOIN, &v, why, sizeof why));
    ck_assert(!cor__prop_check(COR__P_MARKER, &v, why, sizeof why));
    ck_assert_str_eq(why, "'dotted' is not a marker (circle, square, triangle, diamond, star, "
                          "cross, capital, port, mine, border, airport, rail, none)");
    ck_assert(!cor__prop_check(COR__P_WIDTH, &v, why, sizeof why));
    ck_assert_str_eq(why, "expected a number, got string 'dotted'");
    v.type = COR__PV_NUMBER;
    v.str = NULL;
    v.num = 150;
    ck_assert(!cor__prop_check(COR__P_WIDTH, &v, why, sizeof why));
    ck_assert_str_eq(why, "150 is out of range (0 to 100 pt)");
    v.num = -0.5;
    ck_assert(!cor__prop_check(COR__P_SIZE, &v, why, sizeof why));
    v.num = NAN;
    ck_assert(!cor__prop_check(COR__P_HALO_WIDTH, &v, why, sizeof why));
    ck_assert(!cor__prop_check(COR__P_PRIORITY, &v, why, sizeof why));
    v.num = 1.5;
    ck_assert(!cor__prop_check(COR__P_OPACITY, &v, why, sizeof why));
    ck_assert_str_eq(why, "1.5 is out of range (0 to 1)");
    ck_assert(!cor__prop_check(COR__P_FILL, &v, why, sizeof why));
    ck_assert_str_eq(why, "expected a colour or false, got number 1.5");
    v.type = COR__PV_BOOL;
    v.b = true;
    ck_assert(!cor__prop_check(COR__P_STROKE, &v, why, sizeof why));
    ck_assert(!cor__prop_check(COR__P_DASH, &v, why, sizeof why));
    ck_assert(!cor__prop_check(COR__P_LABEL_COLOR, &v, why, sizeof why));
    v.type = COR__PV_LIST;
    v.nlist = 2;
    v.list[0] = 4;
    v.list[1] = 0;
    ck_assert(!cor__prop_check(COR__P_DASH, &v, why, sizeof why));
    ck_assert_ptr_nonnull(strstr(why, "greater than 0"));
    v.list[1] = -1;
    ck_assert(!cor__prop_check(COR__P_DASH, &v, why, sizeof why));
    ck_assert(!cor__prop_check(COR__P_WIDTH, &v, why, sizeof why));
    ck_assert(!cor__prop_check(COR__P_COUNT, &v, why, sizeof why));
}
END_TEST

START_TEST(value_checks_accept_good_values)
{
    char why[256];
    cor__pval_t v = {0};
    ck_assert(cor__prop_check(COR__P_FILL, &v, why, sizeof why)); /* nil: unset */
    v.type = COR__PV_BOOL;
    ck_assert(cor__prop_check(COR__P_FILL, &v, why, sizeof why)); /* false: off */
    ck_assert(cor__prop_check(COR__P_DASH, &v, why, sizeof why));
    ck_assert(cor__prop_check(COR__P_MARKER, &v, why, sizeof why));
    ck_assert(cor__prop_check(COR__P_LABEL, &v, why, sizeof why));
    v.type = COR__PV_STRING;
    v.str = "none";
    ck_assert(cor__prop_check(COR__P_STROKE, &v, why, sizeof why));
    v.str = "Round";
    ck_assert(cor__prop_check(COR__P_CAP, &v, why, sizeof why));
    ck_assert(cor__prop_check(COR__P_JOIN, &v, why, sizeof why));
    v.str = "mitre";
    ck_assert(cor__prop_check(COR__P_JOIN, &v, why, sizeof why));
    v.str = "{name}";
    ck_assert(cor__prop_check(COR__P_LABEL, &v, why, sizeof why));
    v.type = COR__PV_NUMBER;
    v.str = NULL;
    v.num = 0;
    ck_assert(cor__prop_check(COR__P_WIDTH, &v, why, sizeof why));
    v.num = 100;
    ck_assert(cor__prop_check(COR__P_CASING_WIDTH, &v, why, sizeof why));
    v.num = -1e9;
    ck_assert(cor__prop_check(COR__P_PRIORITY, &v, why, sizeof why));
    ck_assert(cor__prop_check(COR__P_FILTER, &v, why, sizeof why));
    v.type = COR__PV_LIST;
    v.nlist = 8;
    for (int i = 0; i < 8; i++)
        v.list[i] = 0.5 + i;
    ck_assert(cor__prop_check(COR__P_DASH, &v, why, sizeof why));
    v.nlist = 0;
    ck_assert(cor__prop_check(COR__P_DASH, &v, why, sizeof why)); /* {}: solid */
    ck_assert(cor__prop_accepts(COR__P_FILTER, COR__PV_LIST));
    ck_assert(!cor__prop_accepts(COR__P_WIDTH, COR__PV_STRING));
    ck_assert_str_eq(cor__prop_expects(COR__P_WIDTH), "a number");
    ck_assert_str_eq(cor__prop_expects(COR__P_FILL), "a colour or false");
}
END_TEST

/* ---- resolving ---- */

START_TEST(resolve_reports_bad_constants)
{
    cor__style_t s = {0};
    cor__layer_style_t *ls = new_layer(&s);
    cor__look_t look;
    bool vis = true;
    cor_error_t err = {0};
    set_str(ls, COR__P_FILL, "blu");
    memset(&look, 0x5a, sizeof look);
    cor__look_t before = look;
    ck_assert_int_eq(resolve(ls, &look, &vis, &err), COR_ERR_STYLE);
    ck_assert_str_eq(err.message, "style.lua:7: layer 'countries': fill: 'blu' is not a colour");
    ck_assert_mem_eq(&look, &before, sizeof look); /* written only on success */

    cor_error_clear(&err);
    set_str(ls, COR__P_FILL, "#ece8df");
    set_num(ls, COR__P_WIDTH, 101);
    ck_assert_int_eq(resolve(ls, &look, &vis, &err), COR_ERR_STYLE);
    ck_assert_str_eq(err.message,
                     "style.lua:7: layer 'countries': width: 101 is out of range (0 to 100 pt)");
    cor_error_clear(&err);
    set_num(ls, COR__P_WIDTH, 1);
    set_num(ls, COR__P_OPACITY, -0.1);
    ck_assert_int_eq(resolve(ls, &look, &vis, &err), COR_ERR_STYLE);
    ck_assert_ptr_nonnull(strstr(err.message, "layer 'countries': opacity:"));
    cor__style_clear(&s);
}
END_TEST

START_TEST(resolve_reports_bad_function_results)
{
    cor__style_t s = {0};
    cor__layer_style_t *ls = new_layer(&s);
    cor__look_t look;
    bool vis;
    cor_error_t err = {0};
    set_fn(ls, COR__P_FILL, 6);
    ck_assert_int_eq(resolve(ls, &look, &vis, &err), COR_ERR_STYLE);
    ck_assert_str_eq(err.message,
                     "style.lua:7: layer 'countries': fill: 'blu' is not a colour (feature 42)");
    cor_error_clear(&err);
    set_fn(ls, COR__P_FILL, 8);
    ck_assert_int_eq(resolve(ls, &look, &vis, &err), COR_ERR_STYLE);
    ck_assert_ptr_nonnull(strstr(err.message, "fill: expected a colour or false, got number 500"));
    cor_error_clear(&err);
    set_fn(ls, COR__P_FILL, 1);
    set_fn(ls, COR__P_SIZE, 8);
    ck_assert_int_eq(resolve(ls, &look, &vis, &err), COR_ERR_STYLE);
    ck_assert_ptr_nonnull(strstr(err.message, "size: 500 is out of range"));
    cor__style_clear(&s);
}
END_TEST

START_TEST(resolve_passes_evaluation_errors_on)
{
    cor__style_t s = {0};
    cor__layer_style_t *ls = new_layer(&s);
    cor__look_t look;
    bool vis;
    cor_error_t err = {0};
    set_fn(ls, COR__P_STROKE, 4);
    ck_assert_int_eq(resolve(ls, &look, &vis, &err), COR_ERR_STYLE);
    ck_assert_str_eq(err.message, "fake.lua:9: attempt to index a nil value "
                                  "(layer 'countries', stroke, feature 42)");
    /* an earlier error is kept as it is */
    ck_assert_int_eq(resolve(ls, &look, &vis, &err), COR_ERR_STYLE);
    ck_assert_str_eq(err.message, "fake.lua:9: attempt to index a nil value "
                                  "(layer 'countries', stroke, feature 42)");
    /* a function with nothing to evaluate it */
    cor__pval_t v;
    cor_error_clear(&err);
    ck_assert_int_eq(cor__style_value(ls, COR__P_STROKE, &feature, NULL, NULL, &v, &err),
                     COR_ERR_INTERNAL);
    cor__style_clear(&s);
}
END_TEST

START_TEST(resolve_with_constants)
{
    cor__style_t s = {0};
    cor__layer_style_t *ls = new_layer(&s);
    cor__look_t look;
    bool vis = false;
    cor_error_t err = {0};
    set_str(ls, COR__P_FILL, "#ff0000");
    set_str(ls, COR__P_STROKE, "none");
    set_num(ls, COR__P_WIDTH, 2);
    ls->props[COR__P_DASH].set = true;
    ls->props[COR__P_DASH].val.type = COR__PV_LIST;
    ls->props[COR__P_DASH].val.nlist = 2;
    ls->props[COR__P_DASH].val.list[0] = 6;
    ls->props[COR__P_DASH].val.list[1] = 3;
    set_num(ls, COR__P_OPACITY, 0.5);
    set_str(ls, COR__P_CAP, "butt");
    set_str(ls, COR__P_JOIN, "bevel");
    set_str(ls, COR__P_CASING, "white");
    set_num(ls, COR__P_CASING_WIDTH, 1.5);
    set_str(ls, COR__P_MARKER, "star");
    set_num(ls, COR__P_SIZE, 6);
    set_str(ls, COR__P_LABEL, "{NAME}"); /* label properties leave the look alone */
    ck_assert_int_eq(resolve(ls, &look, &vis, &err), COR_OK);
    ck_assert(vis);
    ck_assert(look.fill_on);
    assert_color(&look.fill, 1, 0, 0, 1);
    ck_assert(!look.stroke_on);
    ck_assert_double_eq(look.width, 2);
    ck_assert_int_eq(look.ndash, 2);
    ck_assert_double_eq(look.dash[0], 6);
    ck_assert_double_eq(look.dash[1], 3);
    ck_assert_double_eq(look.opacity, 0.5);
    ck_assert_int_eq(look.cap, COR__CAP_BUTT);
    ck_assert_int_eq(look.join, COR__JOIN_BEVEL);
    ck_assert(look.casing_on);
    assert_color(&look.casing, 1, 1, 1, 1);
    ck_assert_double_eq(look.casing_width, 1.5); /* painted at width + casing_width */
    ck_assert_int_eq(look.marker, COR__MARKER_STAR);
    ck_assert_double_eq(look.size, 6);

    set_bool(ls, COR__P_FILL, false);
    set_str(ls, COR__P_STROKE, "navy");
    set_bool(ls, COR__P_DASH, false);
    set_bool(ls, COR__P_MARKER, false);
    ls->props[COR__P_CASING_WIDTH].set = false; /* a casing without a width: 1 pt more */
    ck_assert_int_eq(resolve(ls, &look, &vis, &err), COR_OK);
    ck_assert(!look.fill_on);
    ck_assert(look.stroke_on);
    assert_color(&look.stroke, 0, 0, 128 / 255.0, 1);
    ck_assert_int_eq(look.ndash, 0);
    ck_assert_int_eq(look.marker, COR__MARKER_NONE);
    ck_assert_double_eq(look.casing_width, 1);
    cor__style_clear(&s);
}
END_TEST

START_TEST(resolve_with_functions)
{
    cor__style_t s = {0};
    cor__layer_style_t *ls = new_layer(&s);
    cor__look_t look, base;
    bool vis = false;
    cor_error_t err = {0};
    cor__look_default(COR__GEOM_POLYGON, 0, &base);
    set_fn(ls, COR__P_FILL, 1);
    set_fn(ls, COR__P_WIDTH, 2);
    set_fn(ls, COR__P_DASH, 7);
    set_fn(ls, COR__P_STROKE, 5); /* nil keeps the base */
    set_fn(ls, COR__P_FILTER, 9);
    fake_calls = 0;
    ck_assert_int_eq(resolve(ls, &look, &vis, &err), COR_OK);
    ck_assert_int_eq(fake_calls, 5);
    ck_assert(vis);
    assert_color(&look.fill, 0, 1, 0, 1);
    ck_assert_double_eq(look.width, 3);
    ck_assert_int_eq(look.ndash, 2);
    ck_assert_double_eq(look.dash[0], 4);
    ck_assert(look.stroke_on);
    ck_assert_mem_eq(&look.stroke, &base.stroke, sizeof base.stroke);

    set_fn(ls, COR__P_FILTER, 3); /* false hides, and nothing else is evaluated */
    fake_calls = 0;
    ck_assert_int_eq(resolve(ls, &look, &vis, &err), COR_OK);
    ck_assert(!vis);
    ck_assert_int_eq(fake_calls, 1);
    set_fn(ls, COR__P_FILTER, 5); /* nil hides too */
    ck_assert_int_eq(resolve(ls, &look, &vis, &err), COR_OK);
    ck_assert(!vis);
    set_bool(ls, COR__P_FILTER, false);
    ck_assert_int_eq(resolve(ls, &look, &vis, &err), COR_OK);
    ck_assert(!vis);
    set_num(ls, COR__P_FILTER, 0); /* as in Lua, 0 is true */
    ck_assert_int_eq(resolve(ls, &look, &vis, &err), COR_OK);
    ck_assert(vis);
    cor__style_clear(&s);
}
END_TEST

START_TEST(style_value_copies_constants)
{
    cor__style_t s = {0};
    cor__layer_style_t *ls = new_layer(&s);
    cor__pval_t v;
    cor_error_t err = {0};
    ck_assert_int_eq(cor__style_value(ls, COR__P_LABEL, &feature, fake_eval, NULL, &v, &err),
                     COR_OK);
    ck_assert_int_eq(v.type, COR__PV_NIL);
    set_str(ls, COR__P_LABEL, "{NAME}");
    ck_assert_int_eq(cor__style_value(ls, COR__P_LABEL, &feature, fake_eval, NULL, &v, &err),
                     COR_OK);
    ck_assert_int_eq(v.type, COR__PV_STRING);
    ck_assert_str_eq(v.str, "{NAME}");
    ck_assert_ptr_ne(v.str, ls->props[COR__P_LABEL].val.str);
    cor__pval_clear(&v);
    ck_assert_ptr_null(v.str);
    set_fn(ls, COR__P_PRIORITY, 2);
    ck_assert_int_eq(cor__style_value(ls, COR__P_PRIORITY, &feature, fake_eval, NULL, &v, &err),
                     COR_OK);
    ck_assert_double_eq(v.num, 3);
    ck_assert_int_eq(cor__style_value(ls, COR__P_COUNT, &feature, fake_eval, NULL, &v, &err),
                     COR_ERR_INTERNAL);
    cor__style_clear(&s);
}
END_TEST

/* ---- defaults ---- */

START_TEST(defaults_per_kind)
{
    cor__look_t p, l, pt;
    cor__look_default(COR__GEOM_POLYGON, 0, &p);
    ck_assert(p.fill_on && p.stroke_on);
    ck_assert(p.fill.r + p.fill.g + p.fill.b > 2.4); /* light fill */
    ck_assert(p.stroke.r + p.stroke.g + p.stroke.b < p.fill.r + p.fill.g + p.fill.b); /* darker */
    ck_assert(p.width > 0 && p.width <= 1);
    ck_assert_int_eq(p.marker, COR__MARKER_NONE);
    ck_assert_double_eq(p.opacity, 1);
    ck_assert(!p.casing_on);

    cor__look_default(COR__GEOM_LINE, 0, &l);
    ck_assert(!l.fill_on && l.stroke_on);
    ck_assert_double_eq(l.width, 0.8);
    ck_assert(l.stroke.b > l.stroke.r); /* blue-grey */
    ck_assert_int_eq(l.ndash, 0);

    cor__look_default(COR__GEOM_POINT, 0, &pt);
    ck_assert_int_eq(pt.marker, COR__MARKER_CIRCLE);
    ck_assert_double_eq(pt.size, 4);
    ck_assert(pt.fill_on && pt.stroke_on);
    ck_assert(pt.fill.r + pt.fill.g + pt.fill.b < 0.8); /* dark */
    assert_color(&pt.stroke, 1, 1, 1, 1);               /* thin white outline */
    ck_assert(pt.width > 0 && pt.width <= 1);
}
END_TEST

START_TEST(default_variants_differ)
{
    static const cor__geom_kind_t kinds[] = {COR__GEOM_POLYGON, COR__GEOM_LINE, COR__GEOM_POINT};
    for (size_t k = 0; k < COR__ARRAY_LEN(kinds); k++) {
        cor__look_t a, b;
        for (int i = 0; i < 5; i++) {
            cor__look_default(kinds[k], i, &a);
            for (int j = i + 1; j < 5; j++) {
                cor__look_default(kinds[k], j, &b);
                cor_color_t ca = kinds[k] == COR__GEOM_LINE ? a.stroke : a.fill;
                cor_color_t cb = kinds[k] == COR__GEOM_LINE ? b.stroke : b.fill;
                ck_assert_msg(memcmp(&ca, &cb, sizeof ca) != 0, "kind %zu: %d == %d", k, i, j);
            }
        }
        cor__look_default(kinds[k], 5, &a); /* the palettes repeat */
        cor__look_default(kinds[k], 0, &b);
        ck_assert_mem_eq(&a, &b, sizeof a);
        cor__look_default(kinds[k], -1, &a); /* negative variants are fine too */
        cor__look_default(kinds[k], 4, &b);
        ck_assert_mem_eq(&a, &b, sizeof a);
    }
}
END_TEST

/* ---- templates ---- */

START_TEST(expand_templates)
{
    static const char *const cases[][2] = {
        {"{NAME}", "Minsk"},
        {"{name}", "Minsk"}, /* any case */
        {"{ name }", "Minsk"},
        {"{pop} people", "114 people"},
        {"ratio {ratio}", "ratio 2.5"},
        {"{capital}", "true"},
        {"[{empty}]", "[]"},
        {"[{nosuch}]", "[]"},
        {"{{NAME}}", "{NAME}"},
        {"{{", "{"},
        {"a}}b", "a}b"},
        {"{NAME", "{NAME"},
        {"}", "}"},
        {"", ""},
        {"{NAME} ({pop})", "Minsk (114)"},
        {"{}", ""},
    };
    for (size_t i = 0; i < COR__ARRAY_LEN(cases); i++) {
        char *s = cor__style_expand(cases[i][0], &feature);
        ck_assert_ptr_nonnull(s);
        ck_assert_msg(strcmp(s, cases[i][1]) == 0, "'%s' gave '%s'", cases[i][0], s);
        free(s);
    }
    char *s = cor__style_expand("{NAME}!", NULL);
    ck_assert_str_eq(s, "!");
    free(s);
    s = cor__style_expand(NULL, &feature);
    ck_assert_str_eq(s, "");
    free(s);
}
END_TEST

START_TEST(expand_numbers_without_trailing_zeros)
{
    static const struct {
        double x;
        const char *text;
    } cases[] = {{114, "114"},
                 {2.5, "2.5"},
                 {-3, "-3"},
                 {0.125, "0.125"},
                 {-0.0, "0"},
                 {1e15, "1e+15"},
                 {123456789012, "123456789012"},
                 {0.1, "0.1"},
                 {1.0 / 3, "0.333333333333333"}};
    for (size_t i = 0; i < COR__ARRAY_LEN(cases); i++) {
        const char *names[] = {"v"};
        cor__attr_t val = {COR__ATTR_NUMBER, NULL, cases[i].x, false};
        cor__feature_t f = {0, NULL, 1, names, &val};
        char *s = cor__style_expand("{v}", &f);
        ck_assert_msg(strcmp(s, cases[i].text) == 0, "%g gave '%s'", cases[i].x, s);
        free(s);
    }
}
END_TEST

/* ---- the model ---- */

START_TEST(sort_is_stable)
{
    cor__style_t s = {0};
    static const double orders[] = {2, 1, 2, 1, 0, 2, -5, 1};
    static const char *const expect[] = {"6", "4", "1", "3", "7", "0", "2", "5"};
    for (size_t i = 0; i < COR__ARRAY_LEN(orders); i++) {
        cor__layer_style_t *ls = cor__style_add_layer(&s);
        ls->name = cor__asprintf("%zu", i);
        ls->order = orders[i];
    }
    cor__style_sort(&s);
    for (size_t i = 0; i < COR__ARRAY_LEN(expect); i++)
        ck_assert_str_eq(s.layers[i].name, expect[i]);
    cor__style_clear(&s);

    for (int i = 0; i < 1000; i++) { /* many ties, in a bigger style */
        cor__layer_style_t *ls = cor__style_add_layer(&s);
        ls->order = (i * 7919) % 5;
        ls->line = i;
    }
    cor__style_sort(&s);
    for (size_t i = 1; i < s.nlayers; i++) {
        const cor__layer_style_t *a = &s.layers[i - 1], *b = &s.layers[i];
        ck_assert(a->order < b->order || (a->order == b->order && a->line < b->line));
    }
    cor__style_clear(&s);
    cor__style_sort(&s); /* empty */
    cor__style_sort(NULL);
}
END_TEST

START_TEST(add_and_clear_own_everything)
{
    cor__style_t s = {0};
    cor__layer_style_t *ls = new_layer(&s);
    ck_assert_int_eq(ls->props[COR__P_FILL].set, false);
    ls->base_dir = cor__strdup("/styles");
    ls->legend = cor__strdup("Countries");
    set_str(ls, COR__P_FILL, "red");
    set_str(ls, COR__P_LABEL, "{NAME}");
    s.path = cor__strdup("style.lua");
    s.map.crs = cor__strdup("EPSG:3035");
    s.map.title = cor__strdup("t");
    s.map.subtitle = cor__strdup("s");
    s.map.credits = cor__strdup("c");
    for (int i = 0; i < 40; i++)
        ck_assert_ptr_nonnull(new_layer(&s));
    ck_assert_uint_eq(s.nlayers, 41);
    cor__style_clear(&s); /* LeakSanitizer checks the rest */
    ck_assert_ptr_null(s.layers);
    ck_assert_uint_eq(s.nlayers, 0);
    ck_assert_ptr_null(s.path);
    cor__style_clear(&s);
    cor__style_clear(NULL);
    ck_assert_ptr_null(cor__style_add_layer(NULL));
}
END_TEST

/* ---- hatch, look_apply and the overlay fields of the model ---- */

START_TEST(hatch_is_checked_and_resolved)
{
    char why[256];
    cor__pval_t v = {0};
    v.type = COR__PV_STRING;
    v.str = "yes";
    ck_assert(!cor__prop_check(COR__P_HATCH, &v, why, sizeof why));
    ck_assert_str_eq(why, "expected a boolean, got string 'yes'");
    v.type = COR__PV_NUMBER;
    v.str = NULL;
    v.num = 1;
    ck_assert(!cor__prop_check(COR__P_HATCH, &v, why, sizeof why));
    ck_assert(!cor__prop_accepts(COR__P_HATCH, COR__PV_LIST));
    ck_assert_str_eq(cor__prop_expects(COR__P_HATCH), "a boolean");
    v.type = COR__PV_BOOL;
    v.b = true;
    ck_assert(cor__prop_check(COR__P_HATCH, &v, why, sizeof why));

    cor__style_t s = {0};
    cor__layer_style_t *ls = new_layer(&s);
    cor__look_t look;
    bool vis = false;
    cor_error_t err = {0};
    ck_assert_int_eq(resolve(ls, &look, &vis, &err), COR_OK);
    ck_assert(!look.hatch);
    set_bool(ls, COR__P_HATCH, true);
    ck_assert_int_eq(resolve(ls, &look, &vis, &err), COR_OK);
    ck_assert(look.hatch && look.fill_on);
    set_fn(ls, COR__P_HATCH, 3); /* false */
    ck_assert_int_eq(resolve(ls, &look, &vis, &err), COR_OK);
    ck_assert(!look.hatch);
    set_fn(ls, COR__P_HATCH, 9); /* true */
    ck_assert_int_eq(resolve(ls, &look, &vis, &err), COR_OK);
    ck_assert(look.hatch);
    set_fn(ls, COR__P_HATCH, 1); /* a colour: not a boolean */
    ck_assert_int_eq(resolve(ls, &look, &vis, &err), COR_ERR_STYLE);
    ck_assert_str_eq(err.message, "style.lua:7: layer 'countries': hatch: expected a boolean, "
                                  "got string '#00ff00' (feature 42)");
    cor__style_clear(&s);
}
END_TEST

START_TEST(look_apply_sets_one_property)
{
    cor__look_t look;
    cor__look_default(COR__GEOM_LINE, 0, &look);
    cor__look_t before = look;
    cor__pval_t v = {0};
    cor__look_apply(&look, COR__P_WIDTH, &v); /* nil: nothing */
    cor__look_apply(NULL, COR__P_WIDTH, &v);
    ck_assert_double_eq(look.width, before.width);
    v.type = COR__PV_NUMBER;
    v.num = 3.5;
    cor__look_apply(&look, COR__P_WIDTH, &v);
    ck_assert_double_eq(look.width, 3.5);
    cor__look_apply(&look, COR__P_PRIORITY, &v); /* not part of the look */
    cor__look_apply(&look, COR__P_COUNT, &v);
    v.type = COR__PV_STRING;
    v.str = "#0000ff";
    cor__look_apply(&look, COR__P_STROKE, &v);
    assert_color(&look.stroke, 0, 0, 1, 1);
    v.str = "mine";
    cor__look_apply(&look, COR__P_MARKER, &v);
    ck_assert_int_eq(look.marker, COR__MARKER_MINE);
    v.type = COR__PV_BOOL;
    v.str = NULL;
    v.b = true;
    cor__look_apply(&look, COR__P_HATCH, &v);
    ck_assert(look.hatch);
    v.b = false;
    cor__look_apply(&look, COR__P_FILL, &v);
    ck_assert(!look.fill_on);
}
END_TEST

START_TEST(clear_owns_the_new_fields)
{
    cor__style_t s = {0};
    cor__layer_style_t *ls = new_layer(&s);
    ls->group = cor__strdup("potash");
    cor__mapdef_t *m = &s.map;
    m->date = cor__strdup("13 December 2025");
    m->scalebar = cor__strdup("auto");
    m->legend = cor__strdup("top-right");
    m->legend_title = cor__strdup("Key");
    m->inset = cor__strdup("bottom-left");
    m->inset_crs = cor__strdup("EPSG:3035");
    m->label_font = cor__strdup("Noto Sans");
    m->ninset_highlight = 2;
    m->inset_highlight = cor__calloc(2, sizeof(char *));
    m->inset_highlight[0] = cor__strdup("BY");
    m->inset_highlight[1] = cor__strdup("LT");
    cor__style_clear(&s); /* LeakSanitizer checks */
    ck_assert_ptr_null(s.map.inset_highlight);
    ck_assert_uint_eq(s.map.ninset_highlight, 0);
    ck_assert_ptr_null(s.map.date);
}
END_TEST

static Suite *style_suite(void)
{
    Suite *s = suite_create("style");
    TCase *t = tcase_create("style");
    tcase_add_test(t, value_checks_reject_bad_values);
    tcase_add_test(t, resolve_reports_bad_constants);
    tcase_add_test(t, resolve_reports_bad_function_results);
    tcase_add_test(t, resolve_passes_evaluation_errors_on);
    tcase_add_test(t, hatch_is_checked_and_resolved);
    tcase_add_test(t, marker_and_property_names);
    tcase_add_test(t, value_checks_accept_good_values);
    tcase_add_test(t, resolve_with_constants);
    tcase_add_test(t, resolve_with_functions);
    tcase_add_test(t, style_value_copies_constants);
    tcase_add_test(t, defaults_per_kind);
    tcase_add_test(t, default_variants_differ);
    tcase_add_test(t, expand_templates);
    tcase_add_test(t, expand_numbers_without_trailing_zeros);
    tcase_add_test(t, sort_is_stable);
    tcase_add_test(t, add_and_clear_own_everything);
    tcase_add_test(t, look_apply_sets_one_property);
    tcase_add_test(t, clear_owns_the_new_fields);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return cor_test_run(style_suite());
}
