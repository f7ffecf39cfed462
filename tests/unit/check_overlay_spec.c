/* SPDX-License-Identifier: MIT */
/* Tests for overlay_spec: one validator per overlay kind. Every limit of every kind fails with
 * the message a style author reads (the words of the script reader) and leaves the set as it
 * was; what passes is converted into the model with the kind's defaults under it. Failure cases
 * first; every validator is also called with a NULL `err`. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "overlay.h"
#include "testutil.h"

static const cor_place_t MINSK = {.name = "Minsk"};
static const cor_place_t VILNIUS = {.name = "Vilnius"};

typedef cor_status_t (*add_fn)(cor__overlays_t *o, const void *spec, cor_error_t *err);

static cor_status_t add_route(cor__overlays_t *o, const void *s, cor_error_t *err)
{
    return cor__overlay_add_route(o, s, err);
}
static cor_status_t add_flow(cor__overlays_t *o, const void *s, cor_error_t *err)
{
    return cor__overlay_add_flow(o, s, err);
}
static cor_status_t add_marker(cor__overlays_t *o, const void *s, cor_error_t *err)
{
    return cor__overlay_add_marker(o, s, err);
}
static cor_status_t add_area(cor__overlays_t *o, const void *s, cor_error_t *err)
{
    return cor__overlay_add_area(o, s, err);
}
static cor_status_t add_callout(cor__overlays_t *o, const void *s, cor_error_t *err)
{
    return cor__overlay_add_callout(o, s, err);
}

/* Asserts that adding `spec` to a set holding one overlay fails with COR_ERR_USAGE and exactly
 * `want`, leaves the set as it was, and fails the same with a NULL err. */
static void fails_with(add_fn add, const void *spec, const char *want)
{
    cor__overlays_t o = {0};
    cor_error_t err;
    cor_error_clear(&err);
    ck_assert_ptr_nonnull(cor__overlays_add(&o, COR__OV_MARKER));
    ck_assert_int_eq(add(&o, spec, &err), COR_ERR_USAGE);
    ck_assert_msg(strcmp(err.message, want) == 0, "got \"%s\", want \"%s\"", err.message, want);
    ck_assert_uint_eq(o.n, 1);
    ck_assert_int_eq(add(&o, spec, NULL), COR_ERR_USAGE);
    ck_assert_uint_eq(o.n, 1);
    cor__overlays_clear(&o);
}

/* Adds `spec` to `o`, asserting success (also with a NULL err, on a set of its own).
 * Returns: the overlay added. */
static cor__overlay_t *passes(add_fn add, cor__overlays_t *o, const void *spec)
{
    cor__overlays_t other = {0};
    cor_error_t err;
    cor_error_clear(&err);
    ck_assert_int_eq(add(&other, spec, NULL), COR_OK);
    cor__overlays_clear(&other);
    size_t n = o->n;
    ck_assert_msg(add(o, spec, &err) == COR_OK, "%s", err.message);
    ck_assert_uint_eq(o->n, n + 1);
    ck_assert_ptr_null(o->items[n].file); /* for the caller to fill */
    return &o->items[n];
}

static cor_place_t *many_places(size_t n)
{
    cor_place_t *p = calloc(n, sizeof *p);
    ck_assert_ptr_nonnull(p);
    for (size_t i = 0; i < n; i++)
        p[i] = (cor_place_t){NULL, 20 + (double)(i % 10), 50};
    return p;
}

START_TEST(test_route_limits)
{
    cor_place_t two[] = {MINSK, VILNIUS};
    fails_with(add_route, NULL, "route{} needs at least two places, got 0");
    fails_with(add_route, &(cor_route_t){.places = two, .nplaces = 1},
               "route{} needs at least two places, got 1");
    fails_with(add_route, &(cor_route_t){.places = NULL, .nplaces = 5},
               "route{} needs at least two places, got 0");
    cor_place_t *lots = many_places(COR__OV_PLACES_MAX + 1);
    fails_with(add_route, &(cor_route_t){.places = lots, .nplaces = COR__OV_PLACES_MAX + 1},
               "place: more than 100000 places");
    free(lots);

    cor_place_t bad[] = {MINSK, {.name = ""}};
    cor_route_t r = {.places = bad, .nplaces = 2};
    fails_with(add_route, &r, "place 2: a place name must be a non-empty string");
    bad[1] = (cor_place_t){.name = "Vil\xffnius"};
    fails_with(add_route, &r, "place 2: a place name must be UTF-8 text");
    bad[1] = (cor_place_t){NULL, 200, 54};
    fails_with(add_route, &r,
               "place 2: {200, 54} is outside -180..180, -90..90 (places are {lon, lat})");
    bad[0] = (cor_place_t){NULL, 27, 91};
    fails_with(add_route, &r,
               "place 1: {27, 91} is outside -180..180, -90..90 (places are {lon, lat})");
    bad[0] = (cor_place_t){NULL, NAN, 50};
    fails_with(add_route, &r,
               "place 1: {nan, 50} is outside -180..180, -90..90 (places are {lon, lat})");

    r = (cor_route_t){.places = two, .nplaces = 2, .cut = &VILNIUS};
    fails_with(add_route, &r, "cut is where a blocked route is cut: it needs status = \"blocked\"");
    r.blocked = true;
    r.cut = &(cor_place_t){NULL, 0, 100};
    fails_with(add_route, &r,
               "cut: {0, 100} is outside -180..180, -90..90 (places are {lon, lat})");
    r = (cor_route_t){.places = two, .nplaces = 2, .arrow = (cor_arrow_t)9};
    fails_with(add_route, &r, "arrow must be \"none\", \"start\", \"end\" or \"both\", got 9");
    r = (cor_route_t){.places = two, .nplaces = 2, .cap = "pointy"};
    fails_with(add_route, &r, "cap: 'pointy' is not a line cap (butt, round or square)");
    r = (cor_route_t){.places = two, .nplaces = 2, .join = "sharp"};
    fails_with(add_route, &r, "join: 'sharp' is not a line join (miter, round or bevel)");
}
END_TEST

/* The look and text limits every kind shares, tried on a route. */
START_TEST(test_look_and_text_limits)
{
    cor_place_t two[] = {MINSK, VILNIUS};
    const double nine[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1}, zero[2] = {4, 0}, far[1] = {1001};
    const struct {
        cor_overlay_look_t look;
        const char *want;
    } looks[] = {
        {{.stroke = "blu"}, "stroke: 'blu' is not a colour"},
        {{.fill = "purplish"}, "fill: 'purplish' is not a colour"},
        {{.casing = "#12"}, "casing: '#12' is not a colour"},
        {{.width = 200}, "width: 200 is out of range (0 to 100 pt)"},
        {{.width = -1}, "width: -1 is out of range (0 to 100 pt)"},
        {{.width = NAN}, "width: nan is out of range (0 to 100 pt)"},
        {{.casing_width = 101}, "casing_width: 101 is out of range (0 to 100 pt)"},
        {{.size = 101}, "size: 101 is out of range (0 to 100 pt)"},
        {{.opacity = 2}, "opacity: 2 is out of range (0 to 1)"},
        {{.opacity = -0.5}, "opacity: -0.5 is out of range (0 to 1)"},
        {{.dash = nine, .ndash = 9}, "dash: at most 8 entries are allowed, got 9"},
        {{.dash = zero, .ndash = 2},
         "dash: entry 2 is 0; dash entries must be greater than 0 and at most 1000 pt"},
        {{.dash = far, .ndash = 1},
         "dash: entry 1 is 1001; dash entries must be greater than 0 and at most 1000 pt"},
        {{.dash = NULL, .ndash = 2}, "dash must be a list of numbers or false, got NULL"},
        {{.symbol = "unicorn"},
         "symbol: 'unicorn' is not a marker (circle, square, triangle, "
         "diamond, star, cross, capital, port, mine, border, airport, "
         "rail, none)"},
    };
    for (size_t i = 0; i < sizeof looks / sizeof looks[0]; i++)
        fails_with(add_route, &(cor_route_t){.places = two, .nplaces = 2, .look = looks[i].look},
                   looks[i].want);

    char long_group[COR__OV_GROUP_MAX + 2];
    memset(long_group, 'g', sizeof long_group - 1);
    long_group[sizeof long_group - 1] = '\0';
    const struct {
        cor_overlay_text_t text;
        const char *want;
    } texts[] = {
        {{.label = "\xc3("}, "label: '\xc3(' is not UTF-8 text"},
        {{.legend = "a\xff"}, "legend: 'a\xff' is not UTF-8 text"},
        {{.group = ""}, "group must not be empty"},
        {{.group = long_group}, "group is too long"},
        {{.group = "\xfe"}, "group: '\xfe' is not UTF-8 text"},
        {{.label_size = 500}, "label_size: 500 is out of range (0 to 100 pt)"},
        {{.label_size = -2}, "label_size: -2 is out of range (0 to 100 pt)"},
        {{.label_color = "nope"}, "label_color: 'nope' is not a colour"},
        {{.has_priority = true, .priority = NAN}, "priority must be a finite number"},
        {{.has_priority = true, .priority = INFINITY}, "priority must be a finite number"},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        fails_with(add_route, &(cor_route_t){.places = two, .nplaces = 2, .text = texts[i].text},
                   texts[i].want);
    /* a group of exactly the limit passes */
    long_group[COR__OV_GROUP_MAX] = '\0';
    cor__overlays_t o = {0};
    cor__overlay_t *ov = passes(
        add_route, &o, &(cor_route_t){.places = two, .nplaces = 2, .text = {.group = long_group}});
    ck_assert_uint_eq(strlen(ov->group), COR__OV_GROUP_MAX);
    cor__overlays_clear(&o);
}
END_TEST

START_TEST(test_flow_limits)
{
    fails_with(add_flow, NULL, "flow{} needs from = a place name or {lon, lat}");
    cor_flow_t f = {.from = {NULL, 181, 0}, .to = MINSK};
    fails_with(add_flow, &f,
               "from: {181, 0} is outside -180..180, -90..90 (places are {lon, lat})");
    f = (cor_flow_t){.from = MINSK, .to = {.name = ""}};
    fails_with(add_flow, &f, "to: a place name must be a non-empty string");
    cor_place_t via[] = {VILNIUS, {NULL, 500, 0}};
    f = (cor_flow_t){.from = MINSK, .to = VILNIUS, .via = via, .nvia = 2};
    fails_with(add_flow, &f,
               "via 2: {500, 0} is outside -180..180, -90..90 (places are {lon, lat})");
    f = (cor_flow_t){.from = MINSK, .to = VILNIUS, .via = NULL, .nvia = 1};
    fails_with(add_flow, &f, "via must be a list of places, got NULL");
    cor_place_t *lots = many_places(COR__OV_PLACES_MAX + 1);
    f = (cor_flow_t){.from = MINSK, .to = VILNIUS, .via = lots, .nvia = COR__OV_PLACES_MAX + 1};
    fails_with(add_flow, &f, "via: more than 100000 places");
    free(lots);

    f = (cor_flow_t){.from = MINSK, .to = VILNIUS, .value = -1};
    fails_with(add_flow, &f, "value: -1 is out of range (0 or more)");
    f.value = NAN;
    fails_with(add_flow, &f, "value must be a finite number");
    f.value = INFINITY;
    fails_with(add_flow, &f, "value must be a finite number");
    f = (cor_flow_t){.from = MINSK, .to = VILNIUS, .has_bend = true, .bend = 9};
    fails_with(add_flow, &f, "bend: 9 is out of range (-2 to 2)");
    f.bend = -2.5;
    fails_with(add_flow, &f, "bend: -2.5 is out of range (-2 to 2)");
    f.bend = NAN;
    fails_with(add_flow, &f, "bend must be a finite number");
    f = (cor_flow_t){.from = MINSK, .to = VILNIUS, .arrow = (cor_arrow_t)-1};
    fails_with(add_flow, &f, "arrow must be \"none\", \"start\", \"end\" or \"both\", got -1");
    f = (cor_flow_t){.from = MINSK, .to = VILNIUS, .look = {.stroke = "reddish"}};
    fails_with(add_flow, &f, "stroke: 'reddish' is not a colour");
    f = (cor_flow_t){.from = MINSK, .to = VILNIUS, .text = {.label_size = 101}};
    fails_with(add_flow, &f, "label_size: 101 is out of range (0 to 100 pt)");
}
END_TEST

START_TEST(test_marker_area_callout_limits)
{
    fails_with(add_marker, NULL, "marker{} needs at = a place name or {lon, lat}");
    fails_with(add_marker, &(cor_marker_t){.at = {NULL, 0, -95}},
               "at: {0, -95} is outside -180..180, -90..90 (places are {lon, lat})");
    fails_with(add_marker, &(cor_marker_t){.at = MINSK, .look = {.symbol = "blob"}},
               "symbol: 'blob' is not a marker (circle, square, triangle, diamond, star, cross, "
               "capital, port, mine, border, airport, rail, none)");
    fails_with(add_marker, &(cor_marker_t){.at = MINSK, .look = {.size = 101}},
               "size: 101 is out of range (0 to 100 pt)");
    fails_with(add_marker, &(cor_marker_t){.at = MINSK, .text = {.group = ""}},
               "group must not be empty");

    const char *area_few = "area{} needs coords = a list of at least 3 {lon, lat} points, or "
                           "source = a layer name";
    cor_place_t ring[] = {{NULL, 0, 0}, {NULL, 1, 0}, {NULL, 1, 91}};
    fails_with(add_area, NULL, area_few);
    fails_with(add_area, &(cor_area_t){.ring = ring, .n = 2}, area_few);
    fails_with(add_area, &(cor_area_t){.ring = NULL, .n = 3}, area_few);
    fails_with(add_area, &(cor_area_t){.ring = ring, .n = 3},
               "point 3: {1, 91} is outside -180..180, -90..90 (places are {lon, lat})");
    cor_place_t *lots = many_places(COR__OV_PLACES_MAX + 1);
    fails_with(add_area, &(cor_area_t){.ring = lots, .n = COR__OV_PLACES_MAX + 1},
               "point: more than 100000 places");
    free(lots);
    ring[2].lat = 1;
    fails_with(add_area, &(cor_area_t){.ring = ring, .n = 3, .look = {.fill = "blu"}},
               "fill: 'blu' is not a colour");

    fails_with(add_callout, NULL, "callout{} needs at = a place name or {lon, lat}");
    fails_with(add_callout, &(cor_callout_t){.at = MINSK}, "callout{} needs text = \"...\"");
    fails_with(add_callout, &(cor_callout_t){.at = MINSK, .text = ""},
               "callout{} needs text = \"...\"");
    fails_with(add_callout, &(cor_callout_t){.at = MINSK, .text = "\xff"},
               "text: '\xff' is not UTF-8 text");
    fails_with(add_callout, &(cor_callout_t){.at = {.name = ""}, .text = "x"},
               "at: a place name must be a non-empty string");
    fails_with(add_callout, &(cor_callout_t){.at = MINSK, .text = "x", .dx = 3000},
               "dx: 3000 is out of range (-2000 to 2000 pt)");
    fails_with(add_callout, &(cor_callout_t){.at = MINSK, .text = "x", .dy = -2001},
               "dy: -2001 is out of range (-2000 to 2000 pt)");
    fails_with(add_callout, &(cor_callout_t){.at = MINSK, .text = "x", .dx = NAN},
               "dx must be a finite number");
    fails_with(add_callout, &(cor_callout_t){.at = MINSK, .text = "x", .look = {.width = 200}},
               "width: 200 is out of range (0 to 100 pt)");
    fails_with(add_callout, &(cor_callout_t){.at = MINSK, .text = "x", .label_size = 500},
               "label_size: 500 is out of range (0 to 100 pt)");
    fails_with(add_callout, &(cor_callout_t){.at = MINSK, .text = "x", .label_color = "nope"},
               "label_color: 'nope' is not a colour");
    fails_with(add_callout, &(cor_callout_t){.at = MINSK, .text = "x", .legend = "\xff"},
               "legend: '\xff' is not UTF-8 text");
    fails_with(add_callout, &(cor_callout_t){.at = MINSK, .text = "x", .group = ""},
               "group must not be empty");
    fails_with(add_callout,
               &(cor_callout_t){.at = MINSK, .text = "x", .has_priority = true, .priority = NAN},
               "priority must be a finite number");
}
END_TEST

START_TEST(test_no_set)
{
    cor_error_t err;
    cor_error_clear(&err);
    cor_place_t two[] = {MINSK, VILNIUS};
    ck_assert_int_eq(
        cor__overlay_add_route(NULL, &(cor_route_t){.places = two, .nplaces = 2}, &err),
        COR_ERR_INTERNAL);
    ck_assert_int_eq(cor__overlay_add_marker(NULL, &(cor_marker_t){.at = MINSK}, NULL),
                     COR_ERR_INTERNAL);
}
END_TEST

START_TEST(test_route_converted)
{
    cor_place_t path[] = {MINSK, {NULL, 25.32, 54.68}, {.name = "Klaipėda"}};
    const double dash[] = {4, 2};
    cor_route_t r = {.places = path,
                     .nplaces = 3,
                     .blocked = true,
                     .cut = &(cor_place_t){.name = "Gudogai"},
                     .schematic = true,
                     .arrow = COR_ARROW_BOTH,
                     .look = {.stroke = "#0000ff",
                              .width = 3,
                              .dash = dash,
                              .ndash = 2,
                              .casing = "white",
                              .opacity = 0.5},
                     .text = {.label = "A1",
                              .legend = "Road",
                              .group = "roads",
                              .label_size = 9,
                              .label_color = "red",
                              .has_priority = true,
                              .priority = 0},
                     .cap = "butt",
                     .join = "bevel"};
    cor__overlays_t o = {0};
    cor__overlay_t *ov = passes(add_route, &o, &r);
    ck_assert_int_eq(ov->kind, COR__OV_ROUTE);
    ck_assert_uint_eq(ov->nplaces, 3);
    ck_assert_str_eq(ov->places[0].name, "Minsk");
    ck_assert(ov->places[1].resolved && !ov->places[0].resolved);
    ck_assert_double_eq(ov->places[1].lon, 25.32);
    ck_assert(ov->blocked && ov->has_cut && ov->schematic);
    ck_assert_str_eq(ov->cut.name, "Gudogai");
    ck_assert_int_eq(ov->arrow, COR__ARROW_BOTH);
    ck_assert(ov->look.stroke_on && ov->look.stroke.b == 1 && ov->look.stroke.r == 0);
    ck_assert_double_eq(ov->look.width, 3);
    ck_assert_int_eq(ov->look.ndash, 2);
    ck_assert_double_eq(ov->look.dash[1], 2);
    ck_assert(ov->look.casing_on);
    ck_assert_double_eq(ov->look.casing_width, COR__CASING_WIDTH); /* casing, no width */
    ck_assert_double_eq(ov->look.opacity, 0.5);
    ck_assert_int_eq(ov->look.cap, COR__CAP_BUTT);
    ck_assert_int_eq(ov->look.join, COR__JOIN_BEVEL);
    ck_assert_str_eq(ov->label, "A1");
    ck_assert_str_eq(ov->legend, "Road");
    ck_assert_str_eq(ov->group, "roads");
    ck_assert_double_eq(ov->label_size, 9);
    ck_assert(ov->label_color.r == 1 && ov->label_color.a == 1);
    ck_assert_double_eq(ov->priority, 0); /* given, even as 0 */

    /* nothing given: the kind's defaults; "none" turns a colour off */
    cor__look_t def;
    cor__overlay_default_look(COR__OV_ROUTE, &def);
    ov = passes(add_route, &o, &(cor_route_t){.places = path, .nplaces = 2});
    ck_assert(memcmp(&ov->look, &def, sizeof def) == 0);
    ck_assert_int_eq(ov->arrow, COR__ARROW_END);
    ck_assert(!ov->blocked && !ov->has_cut);
    ck_assert_double_eq(ov->priority, COR__OV_PRIORITY);
    ck_assert_ptr_null(ov->label);
    ck_assert_ptr_null(ov->group);
    ov = passes(add_route, &o,
                &(cor_route_t){.places = path,
                               .nplaces = 2,
                               .arrow = COR_ARROW_NONE,
                               .look = {.stroke = "none", .casing = "#fff", .casing_width = 3}});
    ck_assert(!ov->look.stroke_on);
    ck_assert_double_eq(ov->look.casing_width, 3);
    ck_assert_int_eq(ov->arrow, COR__ARROW_NONE);
    ck_assert_uint_eq(o.n, 3);
    cor__overlays_clear(&o);
}
END_TEST

START_TEST(test_band_limits)
{
    const cor_place_t path[3] = {{NULL, 24, 54.9}, {NULL, 26, 54.7}, {NULL, 28, 54.9}};
    const double values[3] = {340000, 300000, 280000}, bad[3] = {5, -1, 2};
    cor_flow_t f = {.path = path, .npath = 1, .values = values};
    fails_with(add_flow, &f, "a band's path needs at least two places, got 1");
    f = (cor_flow_t){.path = path, .npath = 3};
    fails_with(add_flow, &f, "a band needs values = { ... }, one per place of its path");
    f = (cor_flow_t){.path = path, .npath = 3, .values = bad};
    fails_with(add_flow, &f, "values 2: -1 is out of range (0 or more)");
    const double nan3[3] = {1, 2, NAN};
    f.values = nan3;
    fails_with(add_flow, &f, "values 3 must be a finite number");
    f = (cor_flow_t){.npath = 3, .values = values};
    fails_with(add_flow, &f, "path must be a list of places, got NULL");
    f = (cor_flow_t){.path = path, .npath = 3, .values = values, .from = MINSK};
    fails_with(add_flow, &f, "a band takes path = { ... }: not from, to or via");
    f = (cor_flow_t){.path = path, .npath = 3, .values = values, .value = 5};
    fails_with(add_flow, &f, "value: a band's widths come from values = { ... }, one per place");
    f = (cor_flow_t){.path = path, .npath = 3, .values = values, .has_bend = true};
    fails_with(add_flow, &f, "bend: a band follows its path (curve = true smooths it)");
    const cor_place_t far[2] = {{NULL, 24, 54.9}, {NULL, 200, 54}};
    f = (cor_flow_t){.path = far, .npath = 2, .values = values};
    fails_with(add_flow, &f,
               "path 2: {200, 54} is outside -180..180, -90..90 (places are {lon, lat})");
    const char *const latin1[3] = {NULL, "\xe9t\xe9", NULL};
    f = (cor_flow_t){.path = path, .npath = 3, .values = values, .labels = latin1};
    fails_with(add_flow, &f, "labels 2: '\xe9t\xe9' is not UTF-8 text");
    /* a flow or a band has one head at most */
    f = (cor_flow_t){.path = path, .npath = 3, .values = values, .arrow = COR_ARROW_START};
    fails_with(add_flow, &f,
               "arrow: a flow has one head at most: \"end\" or \"none\", got \"start\"");
    f = (cor_flow_t){.from = MINSK, .to = VILNIUS, .arrow = COR_ARROW_BOTH};
    fails_with(add_flow, &f,
               "arrow: a flow has one head at most: \"end\" or \"none\", got \"both\"");
    /* a route's value puts it on the flow scale: 0 or more */
    cor_route_t r = {.places = path, .nplaces = 2, .value = -3};
    fails_with(add_route, &r, "value: -3 is out of range (0 or more)");
}
END_TEST

START_TEST(test_band_converted)
{
    const cor_place_t path[3] = {{.name = "Kaunas"}, {NULL, 26, 54.7}, {NULL, 28, 54.9}};
    const double values[3] = {340000, 0, 280000.5};
    const char *const labels[3] = {"{value} men", NULL, "at {value}, then {value}"};
    cor_flow_t f = {.path = path,
                    .npath = 3,
                    .values = values,
                    .labels = labels,
                    .curve = true,
                    .arrow = COR_ARROW_NONE,
                    .text = {.legend = "Advance"}};
    cor__overlays_t o = {0};
    cor__overlay_t *ov = passes(add_flow, &o, &f);
    ck_assert(ov->band && ov->curve);
    ck_assert_uint_eq(ov->nplaces, 3);
    ck_assert_str_eq(ov->places[0].name, "Kaunas");
    ck_assert_double_eq(ov->places[2].lon, 28);
    ck_assert_double_eq(ov->values[1], 0);
    ck_assert_double_eq(ov->value, 340000); /* the largest: what the scale and the key use */
    ck_assert_str_eq(ov->vlabels[0], "340,000 men");
    ck_assert_ptr_null(ov->vlabels[1]);
    ck_assert_str_eq(ov->vlabels[2], "at 280,000.5, then 280,000.5");
    ck_assert_int_eq(ov->arrow, COR__ARROW_NONE);
    ck_assert_str_eq(ov->legend, "Advance");
    /* without labels and curve: straight, unlabelled, one head at the end */
    f = (cor_flow_t){.path = path, .npath = 2, .values = values};
    ov = passes(add_flow, &o, &f);
    ck_assert(ov->band && !ov->curve && !ov->vlabels);
    ck_assert_int_eq(ov->arrow, COR__ARROW_END);
    /* a route with a value */
    cor_route_t r = {.places = path, .nplaces = 2, .value = 120000};
    ov = passes(add_route, &o, &r);
    ck_assert_double_eq(ov->value, 120000);
    ck_assert_double_eq(cor__overlays_max_flow(&o), 340000);
    cor__overlays_clear(&o);
}
END_TEST

START_TEST(test_flow_converted)
{
    cor_place_t via[] = {{.name = "Homyel"}};
    cor_flow_t f = {.from = MINSK,
                    .to = {NULL, 31.3, 51.5},
                    .via = via,
                    .nvia = 1,
                    .value = 114,
                    .has_bend = true,
                    .bend = -0.3,
                    .schematic = true,
                    .arrow = COR_ARROW_NONE,
                    .text = {.label = "114", .has_priority = true, .priority = 5}};
    cor__overlays_t o = {0};
    cor__overlay_t *ov = passes(add_flow, &o, &f);
    ck_assert_uint_eq(ov->nplaces, 3);
    ck_assert_str_eq(ov->places[1].name, "Homyel");
    ck_assert_double_eq(ov->places[2].lat, 51.5);
    ck_assert_double_eq(ov->value, 114);
    ck_assert_double_eq(ov->bend, -0.3);
    ck_assert(ov->schematic);
    ck_assert_int_eq(ov->arrow, COR__ARROW_NONE);
    ck_assert_double_eq(ov->priority, 5);
    ck_assert_double_eq(ov->look.opacity, 0.85); /* the flow default */
    ov = passes(add_flow, &o, &(cor_flow_t){.from = MINSK, .to = VILNIUS});
    ck_assert(isnan(ov->bend));
    ck_assert_double_eq(ov->value, 0);
    ck_assert_int_eq(ov->arrow, COR__ARROW_END);
    ck_assert_uint_eq(ov->nplaces, 2);
    cor__overlays_clear(&o);
}
END_TEST

START_TEST(test_marker_area_callout_converted)
{
    cor__overlays_t o = {0};
    cor__overlay_t *ov =
        passes(add_marker, &o,
               &(cor_marker_t){.at = MINSK,
                               .look = {.symbol = "mine", .size = 10, .fill = "#00ff00"},
                               .text = {.label = "Belaruskali"}});
    ck_assert_int_eq(ov->kind, COR__OV_MARKER);
    ck_assert_int_eq(ov->look.marker, COR__MARKER_MINE);
    ck_assert_double_eq(ov->look.size, 10);
    ck_assert(ov->look.fill_on && ov->look.fill.g == 1);
    ck_assert_int_eq(ov->arrow, COR__ARROW_NONE);
    ov = passes(add_marker, &o, &(cor_marker_t){.at = MINSK, .look = {.symbol = "none"}});
    ck_assert_int_eq(ov->look.marker, COR__MARKER_NONE);
    ov = passes(add_marker, &o, &(cor_marker_t){.at = MINSK});
    ck_assert_int_eq(ov->look.marker, COR__MARKER_CIRCLE); /* the default */
    ck_assert_double_eq(ov->look.size, 8);

    cor_place_t ring[] = {{NULL, 24, 54}, {NULL, 26, 54}, {NULL, 25, 55}};
    ov = passes(add_area, &o,
                &(cor_area_t){.ring = ring, .n = 3, .look = {.hatch = true, .fill = "#d94801"}});
    ck_assert_int_eq(ov->kind, COR__OV_AREA);
    ck_assert_uint_eq(ov->nplaces, 3);
    ck_assert(ov->hatch && ov->look.hatch);
    ov = passes(add_area, &o, &(cor_area_t){.ring = ring, .n = 3});
    ck_assert(!ov->hatch);

    ov = passes(add_callout, &o,
                &(cor_callout_t){.at = VILNIUS,
                                 .text = "US Embassy",
                                 .dx = -60,
                                 .dy = 30,
                                 .group = "notes",
                                 .look = {.stroke = "#ff0000", .width = 1.2},
                                 .legend = "Embassies",
                                 .label_size = 8,
                                 .label_color = "#222",
                                 .has_priority = true,
                                 .priority = 3});
    ck_assert_int_eq(ov->kind, COR__OV_CALLOUT);
    ck_assert_str_eq(ov->label, "US Embassy");
    ck_assert_double_eq(ov->dx, -60);
    ck_assert_double_eq(ov->dy, 30);
    ck_assert_str_eq(ov->group, "notes");
    ck_assert_str_eq(ov->legend, "Embassies");
    ck_assert(ov->look.stroke.r == 1 && ov->look.width == 1.2);
    ck_assert_double_eq(ov->label_size, 8);
    ck_assert(ov->label_color.a == 1 && ov->label_color.r < 0.2);
    ck_assert_double_eq(ov->priority, 3);
    ck_assert_uint_eq(o.n, 6);
    cor__overlays_clear(&o);
}
END_TEST

static Suite *overlay_spec_suite(void)
{
    Suite *s = suite_create("overlay_spec");
    TCase *tc = tcase_create("limits");
    tcase_add_test(tc, test_route_limits);
    tcase_add_test(tc, test_look_and_text_limits);
    tcase_add_test(tc, test_flow_limits);
    tcase_add_test(tc, test_band_limits);
    tcase_add_test(tc, test_marker_area_callout_limits);
    tcase_add_test(tc, test_no_set);
    suite_add_tcase(s, tc);
    tc = tcase_create("converted");
    tcase_add_test(tc, test_route_converted);
    tcase_add_test(tc, test_flow_converted);
    tcase_add_test(tc, test_band_converted);
    tcase_add_test(tc, test_marker_area_callout_converted);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return cor_test_run(overlay_spec_suite());
}
