/* script_overlay: the overlay reader. route{}, flow{}, marker{}, area{} and callout{} become
 * overlays of the model (places kept as written, for the gazetteer), area{} over a source
 * becomes a filtered layer, and hide turns groups off. */
#include "script_internal.h"

#include <lauxlib.h>
#include <lua.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the story overlays: route{}, flow{}, marker{}, area{}, callout{} ---- */

/* Overlay keys that set the look, checked like the layer{} property of the same meaning. */
static const struct look_key {
    const char *key;
    cor__prop_id_t id;
} look_keys[] = {
    {"fill", COR__P_FILL},     {"stroke", COR__P_STROKE},   {"width", COR__P_WIDTH},
    {"dash", COR__P_DASH},     {"opacity", COR__P_OPACITY}, {"cap", COR__P_CAP},
    {"join", COR__P_JOIN},     {"casing", COR__P_CASING},   {"casing_width", COR__P_CASING_WIDTH},
    {"symbol", COR__P_MARKER}, {"size", COR__P_SIZE},       {"hatch", COR__P_HATCH},
};
static const char *const route_key_names[] = {
    "status",       "cut",         "stroke",    "width",  "dash",  "casing",
    "casing_width", "opacity",     "cap",       "join",   "arrow", "label",
    "label_size",   "label_color", "schematic", "legend", "group", "priority"};
static const char *const flow_key_names[] = {
    "from",       "to",          "via",          "value",   "bend",  "stroke",
    "dash",       "casing",      "casing_width", "opacity", "arrow", "label",
    "label_size", "label_color", "schematic",    "legend",  "group", "priority"};
static const char *const marker_key_names[] = {
    "at",    "symbol",     "size",        "fill",   "stroke", "width",   "opacity",
    "label", "label_size", "label_color", "legend", "group",  "priority"};
static const char *const area_key_names[] = {
    "coords", "source", "where",      "fill",        "stroke", "width", "dash",    "opacity",
    "hatch",  "label",  "label_size", "label_color", "legend", "group", "priority"};
static const char *const callout_key_names[] = {"at",     "text",  "dx",         "dy",
                                                "stroke", "width", "label_size", "label_color",
                                                "legend", "group", "priority"};
static const keyset_t route_keys = {"route", KEYS(route_key_names), false, NULL};
static const keyset_t flow_keys = {"flow", KEYS(flow_key_names), false, NULL};
static const keyset_t marker_keys = {"marker", KEYS(marker_key_names), false, NULL};
static const keyset_t area_keys = {"area", KEYS(area_key_names), false, NULL};
static const keyset_t callout_keys = {"callout", KEYS(callout_key_names), false, NULL};

static const char *const arrow_names[] = {"none", "start", "end", "both"};
static const char *const status_names[] = {"operating", "blocked"};

/* The fill of an area drawn from a source (the overlay module's area colour at 0.35 alpha);
 * other overlays start from cor__overlay_default_look(). */
#define AREA_FILL            "#d9480159"
#define DEFAULT_CASING_WIDTH 1.0 /* as for layers: a casing colour without a casing_width */

/* Common start of the overlay declarations. */
static cor__script_t *begin_overlay(lua_State *L, const char *what)
{
    cor__script_t *sc = cor__script_of(L);
    if (sc->nframes == 0)
        luaL_error(L, "%s{} can only be used while a style or overlay file runs", what);
    if (!sc->target)
        luaL_error(L, "%s{}: overlays are not available here", what);
    if (lua_gettop(L) != 1 || lua_type(L, 1) != LUA_TTABLE)
        luaL_error(L, "%s{} takes one table: %s { key = value, ... }", what, what);
    cor__script_scratch_reset(sc);
    return sc;
}

/* Reads the place at `idx`: a name (returned, borrowed from the stack) or {lon, lat} (NULL). */
static const char *place_at(lua_State *L, int idx, const char *what, double *lon, double *lat)
{
    double c[2];
    size_t len;
    int t = lua_type(L, idx);
    if (t == LUA_TSTRING) {
        const char *s = lua_tolstring(L, idx, &len);
        if (len == 0 || strlen(s) != len)
            luaL_error(L, "%s: a place name must be a non-empty string", what);
        return s;
    }
    lua_pushvalue(L, idx);
    if (t != LUA_TTABLE || !cor__script_read_numbers(L, c, 2))
        luaL_error(L, "%s must be a place name or {lon, lat}, got %s", what,
                   t == LUA_TTABLE ? "another table" : lua_typename(L, t));
    lua_pop(L, 1);
    if (!(c[0] >= -180 && c[0] <= 180 && c[1] >= -90 && c[1] <= 90))
        cor__script_errorf(L, "%s: {%g, %g} is outside -180..180, -90..90 (places are {lon, lat})",
                           what, c[0], c[1]);
    *lon = c[0];
    *lat = c[1];
    return NULL;
}

static void add_place(lua_State *L, cor__overlay_t *ov, int idx, const char *what)
{
    double lon = 0, lat = 0;
    const char *name = place_at(L, idx, what, &lon, &lat);
    if (!cor__overlay_add_place(ov, name, lon, lat))
        luaL_error(L, "out of memory");
}

/* Adds the places t[1..n] of the list at `idx`, naming each "<what> <i>" in messages. */
static void add_place_list(lua_State *L, cor__overlay_t *ov, int idx, lua_Unsigned n,
                           const char *what)
{
    char name[48];
    idx = lua_absindex(L, idx);
    if (n > PLACES_MAX)
        luaL_error(L, "%s: more than %d places", what, PLACES_MAX);
    cor__script_charge(L, ELEMENT_COST * (unsigned long long)n);
    for (lua_Unsigned i = 1; i <= n; i++) {
        snprintf(name, sizeof name, "%s %d", what, (int)i);
        lua_rawgeti(L, idx, (lua_Integer)i);
        add_place(L, ov, -1, name);
        lua_pop(L, 1);
    }
}

/* Adds the place t[key], which must be there. */
static void add_place_field(lua_State *L, cor__overlay_t *ov, const char *what, const char *key)
{
    if (cor__script_field(L, key) == LUA_TNIL)
        luaL_error(L, "%s{} needs %s = a place name or {lon, lat}", what, key);
    add_place(L, ov, -1, key);
    lua_pop(L, 1);
}

/* Reads the look keys a declaration allows into its look: constants only, checked like the
 * layer{} property of the same meaning. */
static void read_look(lua_State *L, const keyset_t *ks, cor__look_t *lk)
{
    char why[256];
    bool casing_width = false;
    for (size_t i = 0; i < COR__ARRAY_LEN(look_keys); i++) {
        const char *key = look_keys[i].key;
        cor__prop_id_t id = look_keys[i].id;
        if (!cor__script_key_known(ks, key))
            continue;
        int t = cor__script_field(L, key);
        cor__pval_t v;
        if (!cor__script_to_pval(L, -1, &v, why, sizeof why) || !cor__prop_accepts(id, v.type)) {
            cor__pval_clear(&v);
            luaL_error(L, "%s must be %s, got %s", key, cor__prop_expects(id), lua_typename(L, t));
        }
        lua_pop(L, 1);
        if (!cor__prop_check(id, &v, why, sizeof why)) {
            cor__pval_clear(&v);
            luaL_error(L, "%s: %s", key, why);
        }
        cor__look_apply(lk, id, &v);
        casing_width |= id == COR__P_CASING_WIDTH && v.type != COR__PV_NIL;
        cor__pval_clear(&v);
    }
    if (lk->casing_on && !casing_width && lk->casing_width <= 0)
        lk->casing_width = DEFAULT_CASING_WIDTH;
}

/* Reads t[key] as text: a string or a number; false or nil for none. */
static void read_text(lua_State *L, const char *key, char **dst)
{
    size_t len;
    int t = cor__script_field(L, key);
    if (t == LUA_TSTRING || t == LUA_TNUMBER) {
        const char *s = lua_tolstring(L, -1, &len);
        char *copy = cor__strndup(s, len);
        if (!copy)
            luaL_error(L, "out of memory");
        free(*dst);
        *dst = copy;
    } else if (t != LUA_TNIL && !(t == LUA_TBOOLEAN && !lua_toboolean(L, -1))) {
        luaL_error(L, "%s must be a string, a number or false, got %s", key, lua_typename(L, t));
    }
    lua_pop(L, 1);
}

/* The keys every overlay takes: label, label_size, label_color, legend, group, priority. A
 * label colour left unset stays transparent black: the overlay module then picks one. */
static void read_overlay_common(lua_State *L, cor__overlay_t *ov)
{
    char why[256];
    cor__pval_t v;
    read_text(L, "label", &ov->label);
    cor__script_read_ranged(L, 1, "label_size", 0, 100, " pt", &ov->label_size);
    int t = cor__script_field(L, "label_color");
    if (t != LUA_TNIL) {
        if (t != LUA_TSTRING)
            luaL_error(L, "label_color must be a colour, got %s", lua_typename(L, t));
        memset(&v, 0, sizeof v);
        v.type = COR__PV_STRING;
        v.str = (char *)lua_tostring(L, -1);
        if (!cor__prop_check(COR__P_LABEL_COLOR, &v, why, sizeof why))
            luaL_error(L, "label_color: %s", why);
        cor_color_parse(v.str, &ov->label_color);
    }
    lua_pop(L, 1);
    read_text(L, "legend", &ov->legend);
    if (cor__script_read_name(L, 1, "group", &ov->group) && strlen(ov->group) > 256)
        luaL_error(L, "group is too long");
    cor__script_read_number(L, "priority", &ov->priority);
}

/* Starts an overlay of `kind` in the scratch space, with where it was declared, its file's
 * group and the kind's default look. */
static cor__overlay_t *new_overlay(lua_State *L, cor__script_t *sc, cor__ov_kind_t kind,
                                   const keyset_t *ks)
{
    int line;
    const char *file = cor__script_caller_file(L, &line);
    const char *group = cor__script_top_frame(sc)->group;
    cor__script_check_keys(L, 1, ks, kind == COR__OV_ROUTE);
    cor__overlay_t *ov = cor__overlays_add(&sc->scratch_ov, kind);
    if (!ov)
        luaL_error(L, "out of memory");
    ov->file = cor__script_strdup(L, file);
    ov->line = line;
    if (group)
        ov->group = cor__script_strdup(L, group);
    cor__overlay_default_look(kind, &ov->look);
    ov->arrow = (kind == COR__OV_ROUTE || kind == COR__OV_FLOW) ? COR__ARROW_END : COR__ARROW_NONE;
    ov->bend = NAN;
    return ov;
}

static void read_arrow(lua_State *L, cor__overlay_t *ov)
{
    int a;
    static const cor__arrow_t arrows[] = {COR__ARROW_NONE, COR__ARROW_START, COR__ARROW_END,
                                          COR__ARROW_BOTH};
    if (cor__script_read_choice(L, 1, "arrow", arrow_names, 4, &a))
        ov->arrow = arrows[a];
}

/* route { place, place, ..., status = "blocked", cut = place, stroke = ..., arrow = "end", ... } */
int cor__script_route(lua_State *L)
{
    cor__script_t *sc = begin_overlay(L, "route");
    cor__overlay_t *ov = new_overlay(L, sc, COR__OV_ROUTE, &route_keys);
    lua_Unsigned n = lua_rawlen(L, 1);
    int status = 0;
    if (n < 2)
        return luaL_error(L, "route{} needs at least two places, got %d", (int)n);
    add_place_list(L, ov, 1, n, "place");
    read_look(L, &route_keys, &ov->look);
    cor__script_read_choice(L, 1, "status", status_names, 2, &status);
    ov->blocked = status == 1;
    if (cor__script_field(L, "cut") != LUA_TNIL) {
        if (!ov->blocked)
            return luaL_error(L, "cut is where a blocked route is cut: it needs status = "
                                 "\"blocked\"");
        double lon = 0, lat = 0;
        const char *name = place_at(L, -1, "cut", &lon, &lat);
        if (!cor__overlay_set_cut(ov, name, lon, lat))
            return luaL_error(L, "out of memory");
    }
    lua_pop(L, 1);
    read_arrow(L, ov);
    cor__script_read_bool(L, 1, "schematic", &ov->schematic);
    read_overlay_common(L, ov);
    return cor__script_commit_overlay(L, sc);
}

/* flow { from = place, to = place, via = { place, ... }, value = n, bend = b, ... } */
int cor__script_flow(lua_State *L)
{
    cor__script_t *sc = begin_overlay(L, "flow");
    cor__overlay_t *ov = new_overlay(L, sc, COR__OV_FLOW, &flow_keys);
    add_place_field(L, ov, "flow", "from");
    int t = cor__script_field(L, "via");
    if (t == LUA_TTABLE)
        add_place_list(L, ov, -1, lua_rawlen(L, -1), "via");
    else if (t != LUA_TNIL)
        luaL_error(L, "via must be a list of places, got %s", lua_typename(L, t));
    lua_pop(L, 1);
    add_place_field(L, ov, "flow", "to");
    cor__script_read_ranged(L, 1, "value", 0, HUGE_VAL, "", &ov->value);
    cor__script_read_ranged(L, 1, "bend", -2, 2, "", &ov->bend);
    read_look(L, &flow_keys, &ov->look);
    read_arrow(L, ov);
    cor__script_read_bool(L, 1, "schematic", &ov->schematic);
    read_overlay_common(L, ov);
    return cor__script_commit_overlay(L, sc);
}

/* marker { at = place, symbol = "mine", size = 10, fill = ..., stroke = ..., label = ... } */
int cor__script_marker(lua_State *L)
{
    cor__script_t *sc = begin_overlay(L, "marker");
    cor__overlay_t *ov = new_overlay(L, sc, COR__OV_MARKER, &marker_keys);
    add_place_field(L, ov, "marker", "at");
    read_look(L, &marker_keys, &ov->look);
    read_overlay_common(L, ov);
    return cor__script_commit_overlay(L, sc);
}

/* callout { at = place, text = "...", dx = 30, dy = -20 } */
int cor__script_callout(lua_State *L)
{
    cor__script_t *sc = begin_overlay(L, "callout");
    cor__overlay_t *ov = new_overlay(L, sc, COR__OV_CALLOUT, &callout_keys);
    add_place_field(L, ov, "callout", "at");
    read_look(L, &callout_keys, &ov->look);
    read_overlay_common(L, ov);
    read_text(L, "text", &ov->label);
    if (!ov->label || !ov->label[0])
        return luaL_error(L, "callout{} needs text = \"...\"");
    cor__script_read_ranged(L, 1, "dx", -2000, 2000, " pt", &ov->dx);
    cor__script_read_ranged(L, 1, "dy", -2000, 2000, " pt", &ov->dy);
    return cor__script_commit_overlay(L, sc);
}

/* The filter a `where = { key = value, ... }` table becomes: true when every attribute named
 * equals its value (or one of the values of a list). Upvalue 1: a checked copy of the table. */
static bool where_value_matches(lua_State *L, int want, int have)
{
    if (lua_type(L, want) != LUA_TTABLE)
        return lua_rawequal(L, want, have);
    lua_Unsigned n = lua_rawlen(L, want);
    for (lua_Unsigned i = 1; i <= n; i++) {
        lua_rawgeti(L, want, (lua_Integer)i);
        bool eq = lua_rawequal(L, -1, have);
        lua_pop(L, 1);
        if (eq)
            return true;
    }
    return false;
}

static int where_match(lua_State *L)
{
    bool ok = true;
    unsigned long long n = 0;
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_pushnil(L);
    while (ok && lua_next(L, lua_upvalueindex(1))) {
        lua_pushvalue(L, -2);
        lua_rawget(L, 1);
        ok = where_value_matches(L, lua_absindex(L, -2), lua_absindex(L, -1));
        n += 1 + (lua_type(L, -2) == LUA_TTABLE ? lua_rawlen(L, -2) : 0);
        lua_pop(L, 2);
    }
    if (!ok)
        lua_pop(L, 1); /* the key lua_next would have taken */
    cor__script_charge(L, ELEMENT_COST * n);
    lua_pushboolean(L, ok);
    return 1;
}

static bool where_scalar(lua_State *L, int idx)
{
    int t = lua_type(L, idx);
    return t == LUA_TSTRING || t == LUA_TBOOLEAN ||
           (t == LUA_TNUMBER && isfinite(lua_tonumber(L, idx)));
}

/* Pushes a checked copy of the value at `idx` for a where table's key `key`. */
static void where_copy_value(lua_State *L, int idx, const char *key)
{
    idx = lua_absindex(L, idx);
    if (where_scalar(L, idx)) {
        lua_pushvalue(L, idx);
        return;
    }
    lua_Unsigned n = lua_type(L, idx) == LUA_TTABLE ? lua_rawlen(L, idx) : 0;
    if (n == 0 || n > 10000)
        luaL_error(L, "where: %s must be a string, a number, a boolean or a list of them, got %s",
                   key, lua_type(L, idx) == LUA_TTABLE ? "another table" : luaL_typename(L, idx));
    lua_createtable(L, (int)n, 0);
    for (lua_Unsigned i = 1; i <= n; i++) {
        lua_rawgeti(L, idx, (lua_Integer)i);
        if (!where_scalar(L, -1))
            luaL_error(L, "where: %s: entry %d must be a string, a number or a boolean, got %s",
                       key, (int)i, luaL_typename(L, -1));
        lua_rawseti(L, -2, (lua_Integer)i);
    }
}

/* Pushes the filter function for the where table at `idx`. */
static void push_where(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (lua_type(L, -2) != LUA_TSTRING || lua_rawlen(L, -2) == 0)
            luaL_error(L, "where: keys must be attribute names, found a %s key",
                       luaL_typename(L, -2));
        lua_pushvalue(L, -2);
        where_copy_value(L, -2, lua_tostring(L, -3));
        lua_rawset(L, -5);
        lua_pop(L, 1);
    }
    lua_pushcclosure(L, where_match, 1);
}

/* Sets a constant property of a layer built here (the value is known to be valid). */
static void set_const(lua_State *L, cor__layer_style_t *ls, cor__prop_id_t id, const char *str,
                      double num)
{
    cor__prop_t *p = &ls->props[id];
    if (p->set)
        return;
    memset(p, 0, sizeof *p);
    p->set = true;
    p->val.type = str ? COR__PV_STRING : COR__PV_NUMBER;
    p->val.num = num;
    if (str && !(p->val.str = cor__strdup(str)))
        luaL_error(L, "out of memory");
}

/* area { source = "countries", where = {...} or function(f) ... end, fill = ..., hatch = true }
 * becomes a layer of the source's features that the where keeps, drawn above the style's
 * layers, in the file's group. Look keys may be functions, as in layer{}. */
static int area_layer(lua_State *L, cor__script_t *sc)
{
    static const cor__prop_id_t props[] = {
        COR__P_FILL,  COR__P_STROKE, COR__P_WIDTH,      COR__P_DASH,        COR__P_OPACITY,
        COR__P_HATCH, COR__P_LABEL,  COR__P_LABEL_SIZE, COR__P_LABEL_COLOR, COR__P_PRIORITY};
    if (cor__script_field(L, "coords") != LUA_TNIL)
        return luaL_error(L, "area{} takes coords or a source, not both");
    lua_pop(L, 1);
    cor__layer_style_t *ls = cor__script_new_layer(L, sc, true);
    if (!cor__script_read_name(L, 1, "source", &ls->source))
        return luaL_error(L, "source must be a string, got nothing");
    ls->name = cor__script_strdup(L, ls->source);
    int t = cor__script_field(L, "legend");
    if (t == LUA_TSTRING)
        ls->legend = cor__script_strdup(L, lua_tostring(L, -1));
    else if (t != LUA_TNIL && !(t == LUA_TBOOLEAN && !lua_toboolean(L, -1)))
        luaL_error(L, "legend must be a string or false, got %s", lua_typename(L, t));
    lua_pop(L, 1);
    for (size_t i = 0; i < COR__ARRAY_LEN(props); i++)
        cor__script_read_prop(L, props[i], &ls->props[props[i]]);
    t = cor__script_field(L, "where");
    if (t == LUA_TTABLE) {
        push_where(L, -1);
        lua_remove(L, -2);
    } else if (t != LUA_TFUNCTION && t != LUA_TNIL) {
        luaL_error(L, "where must be a table of attribute = value or a function, got %s",
                   lua_typename(L, t));
    }
    if (t != LUA_TNIL) {
        ls->props[COR__P_FILTER].ref = luaL_ref(L, LUA_REGISTRYINDEX);
        ls->props[COR__P_FILTER].set = ls->props[COR__P_FILTER].dynamic = true;
    } else {
        lua_pop(L, 1);
    }
    set_const(L, ls, COR__P_FILL, AREA_FILL, 0);
    set_const(L, ls, COR__P_STROKE, "#d94801", 0);
    set_const(L, ls, COR__P_WIDTH, NULL, 0.8);
    cor__script_commit_layer(L, sc);
    return 0;
}

/* area { coords = { {lon, lat}, ... }, fill = ..., hatch = true } or the source form above. */
int cor__script_area(lua_State *L)
{
    cor__script_t *sc = begin_overlay(L, "area");
    cor__script_check_keys(L, 1, &area_keys, false);
    if (cor__script_field(L, "source") != LUA_TNIL) {
        lua_pop(L, 1);
        return area_layer(L, sc);
    }
    lua_pop(L, 1);
    if (cor__script_field(L, "where") != LUA_TNIL)
        return luaL_error(L, "where selects features of a source: it needs source = ...");
    lua_pop(L, 1);
    cor__overlay_t *ov = new_overlay(L, sc, COR__OV_AREA, &area_keys);
    int t = cor__script_field(L, "coords");
    lua_Unsigned n = t == LUA_TTABLE ? lua_rawlen(L, -1) : 0;
    if (n < 3)
        return luaL_error(L, "area{} needs coords = a list of at least 3 {lon, lat} points, or "
                             "source = a layer name");
    add_place_list(L, ov, -1, n, "point");
    lua_pop(L, 1);
    read_look(L, &area_keys, &ov->look);
    ov->hatch = ov->look.hatch;
    read_overlay_common(L, ov);
    return cor__script_commit_overlay(L, sc);
}

/* hide "potash" [, "other", ...]: turns groups off, overlays and layers alike. */
int cor__script_hide(lua_State *L)
{
    cor__script_t *sc = cor__script_of(L);
    int n = lua_gettop(L);
    if (sc->nframes == 0)
        return luaL_error(L, "hide can only be used while a style or overlay file runs");
    if (!sc->target)
        return luaL_error(L, "hide: overlays are not available here");
    if (n == 0)
        return luaL_error(L, "hide takes group names: hide \"potash\"");
    for (int i = 1; i <= n; i++)
        if (lua_type(L, i) != LUA_TSTRING || lua_rawlen(L, i) == 0)
            return luaL_error(L, "hide: group names are non-empty strings, got %s",
                              lua_type(L, i) == LUA_TSTRING ? "an empty one" : luaL_typename(L, i));
    for (int i = 1; i <= n; i++)
        if (!cor__overlays_hide(&cor__script_top_frame(sc)->ov, lua_tostring(L, i)))
            return luaL_error(L, "out of memory");
    return 0;
}
