/* SPDX-License-Identifier: MIT */
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

static const char *const route_key_names[] = {
    "status",    "cut",    "stroke", "width",    "dash",  "casing",     "casing_width",
    "opacity",   "cap",    "join",   "arrow",    "label", "label_size", "label_color",
    "schematic", "legend", "group",  "priority", "value"};
static const char *const flow_key_names[] = {
    "from",       "to",          "via",          "value",   "bend",  "stroke",
    "dash",       "casing",      "casing_width", "opacity", "arrow", "label",
    "label_size", "label_color", "schematic",    "legend",  "group", "priority",
    "path",       "values",      "curve",        "labels"};
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

/* ---- reading a declaration into the public spec the C API takes ----
 * The reader checks what only a Lua table can get wrong (types, unknown keys, choices, a
 * missing place); every value is then checked by the same validator cor_map_add_*() uses, so
 * a script and a C program get the same message for the same mistake. Strings stay borrowed
 * from the declaration's table (and the values this reader leaves on the stack) until the
 * validator has copied them. */

/* Common start of the overlay declarations. */
static cor__script_t *begin_overlay(lua_State *L, const char *what, const keyset_t *ks)
{
    cor__script_t *sc = cor__script_of(L);
    if (sc->nframes == 0)
        luaL_error(L, "%s{} can only be used while a style or overlay file runs", what);
    if (!sc->target)
        luaL_error(L, "%s{}: overlays are not available here", what);
    if (lua_gettop(L) != 1 || lua_type(L, 1) != LUA_TTABLE)
        luaL_error(L, "%s{} takes one table: %s { key = value, ... }", what, what);
    cor__script_scratch_reset(sc);
    luaL_checkstack(L, 48, what);
    if (ks)
        cor__script_check_keys(L, 1, ks, ks == &route_keys);
    return sc;
}

/* Reads the place at `idx`: a name (borrowed from the stack) or {lon, lat}. */
static cor_place_t place_at(lua_State *L, int idx, const char *what)
{
    double c[2];
    int t = lua_type(L, idx);
    if (t == LUA_TSTRING) {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        if (strlen(s) != len)
            luaL_error(L, "%s: a place name must be a non-empty string", what);
        return (cor_place_t){.name = s};
    }
    lua_pushvalue(L, idx);
    if (t != LUA_TTABLE || !cor__script_read_numbers(L, c, 2))
        luaL_error(L, "%s must be a place name or {lon, lat}, got %s", what,
                   t == LUA_TTABLE ? "another table" : lua_typename(L, t));
    lua_pop(L, 1);
    return (cor_place_t){.lon = c[0], .lat = c[1]};
}

/* The places t[1..n] of the list at `idx`, in an array the collector owns (so an error cannot
 * leak it), each called "<what> <i>" in messages. */
static cor_place_t *place_list(lua_State *L, int idx, lua_Unsigned n, const char *what)
{
    char name[48];
    idx = lua_absindex(L, idx);
    if (n > COR__OV_PLACES_MAX)
        luaL_error(L, "%s: more than %d places", what, COR__OV_PLACES_MAX);
    cor__script_charge(L, ELEMENT_COST * (unsigned long long)n);
    cor_place_t *places = lua_newuserdatauv(L, (n ? n : 1) * sizeof *places, 0);
    for (lua_Unsigned i = 1; i <= n; i++) {
        snprintf(name, sizeof name, "%s %d", what, (int)i);
        lua_rawgeti(L, idx, (lua_Integer)i);
        places[i - 1] = place_at(L, -1, name);
        lua_pop(L, 1); /* the list still holds it */
    }
    return places; /* left on the stack */
}

/* The place t[key], which must be there. */
static cor_place_t place_field(lua_State *L, const char *what, const char *key)
{
    if (cor__script_field(L, key) == LUA_TNIL)
        luaL_error(L, "%s{} needs %s = a place name or {lon, lat}", what, key);
    cor_place_t p = place_at(L, -1, key);
    lua_pop(L, 1); /* the declaration still holds it */
    return p;
}

/* Pushes t[key] and checks that it is of a type layer property `id` takes, else raises
 * "key must be <what it takes>, got <type>". Returns: the type. */
static int look_field(lua_State *L, const char *key, cor__prop_id_t id)
{
    int t = cor__script_field(L, key);
    static const cor__pv_type_t as[] = {
        [LUA_TNIL] = COR__PV_NIL,       [LUA_TBOOLEAN] = COR__PV_BOOL,
        [LUA_TNUMBER] = COR__PV_NUMBER, [LUA_TSTRING] = COR__PV_STRING,
        [LUA_TTABLE] = COR__PV_LIST,
    };
    bool known = t >= 0 && (size_t)t < COR__ARRAY_LEN(as) && (t == LUA_TNIL || as[t] != 0);
    if (t != LUA_TNIL && (!known || !cor__prop_accepts(id, as[t])))
        luaL_error(L, "%s must be %s, got %s", key, cor__prop_expects(id), lua_typename(L, t));
    return t;
}

/* A colour or symbol: a string, false for "none"; NULL when not given. */
static const char *look_name(lua_State *L, const keyset_t *ks, const char *key, cor__prop_id_t id)
{
    if (!cor__script_key_known(ks, key))
        return NULL;
    int t = look_field(L, key, id); /* left on the stack: the string stays alive */
    return t == LUA_TSTRING ? lua_tostring(L, -1) : t == LUA_TBOOLEAN ? "none" : NULL;
}

/* A length or share; 0 (the default) when not given. */
static double look_number(lua_State *L, const keyset_t *ks, const char *key, cor__prop_id_t id)
{
    if (!cor__script_key_known(ks, key))
        return 0;
    look_field(L, key, id);
    double x = lua_tonumber(L, -1);
    lua_pop(L, 1);
    return x;
}

/* The look keys a declaration allows (ks), into the spec's look: constants only. `dash` holds
 * the dash entries; cap and join (routes) may be NULL. */
static void read_look(lua_State *L, const keyset_t *ks, cor_overlay_look_t *lk, double *dash,
                      const char **cap, const char **join)
{
    char why[256];
    lk->fill = look_name(L, ks, "fill", COR__P_FILL);
    lk->stroke = look_name(L, ks, "stroke", COR__P_STROKE);
    lk->width = look_number(L, ks, "width", COR__P_WIDTH);
    int t = cor__script_key_known(ks, "dash") ? look_field(L, "dash", COR__P_DASH) : LUA_TNIL;
    if (t != LUA_TNIL) {
        cor__pval_t v;
        if (!cor__script_to_pval(L, -1, &v, why, sizeof why) ||
            !cor__prop_check(COR__P_DASH, &v, why, sizeof why))
            luaL_error(L, "dash: %s", why);
        memcpy(dash, v.list, sizeof v.list);
        lk->dash = dash;
        lk->ndash = (size_t)v.nlist; /* false and {} are a solid line */
    }
    lk->opacity = look_number(L, ks, "opacity", COR__P_OPACITY);
    if (cap)
        *cap = look_name(L, ks, "cap", COR__P_CAP);
    if (join)
        *join = look_name(L, ks, "join", COR__P_JOIN);
    lk->casing = look_name(L, ks, "casing", COR__P_CASING);
    lk->casing_width = look_number(L, ks, "casing_width", COR__P_CASING_WIDTH);
    lk->symbol = look_name(L, ks, "symbol", COR__P_MARKER);
    lk->size = look_number(L, ks, "size", COR__P_SIZE);
    if (cor__script_key_known(ks, "hatch") && look_field(L, "hatch", COR__P_HATCH) != LUA_TNIL)
        lk->hatch = lua_toboolean(L, -1);
}

/* t[key] as text: a string or a number (left on the stack, converted); false or nil: NULL. */
static const char *read_text(lua_State *L, const char *key)
{
    int t = cor__script_field(L, key);
    if (t == LUA_TSTRING || t == LUA_TNUMBER)
        return lua_tostring(L, -1);
    if (t != LUA_TNIL && !(t == LUA_TBOOLEAN && !lua_toboolean(L, -1)))
        luaL_error(L, "%s must be a string, a number or false, got %s", key, lua_typename(L, t));
    return NULL;
}

/* t[key] as a string (left on the stack); NULL when not given. */
static const char *read_string(lua_State *L, const char *key, const char *expects)
{
    int t = cor__script_field(L, key);
    if (t != LUA_TNIL && t != LUA_TSTRING)
        luaL_error(L, "%s must be %s, got %s", key, expects, lua_typename(L, t));
    return t == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
}

/* The keys every overlay takes: label (not a callout's), label_size, label_color, legend,
 * group, priority; the group defaults to the running file's. */
static void read_text_keys(lua_State *L, cor__script_t *sc, cor_overlay_text_t *t, bool label)
{
    if (label)
        t->label = read_text(L, "label");
    cor__script_read_number(L, "label_size", &t->label_size);
    t->label_color = read_string(L, "label_color", "a colour");
    t->legend = read_text(L, "legend");
    t->group = read_string(L, "group", "a string");
    if (!t->group)
        t->group = cor__script_top_frame(sc)->group;
    t->has_priority = cor__script_read_number(L, "priority", &t->priority);
}

static cor_arrow_t read_arrow(lua_State *L)
{
    static const char *const names[] = {"none", "start", "end", "both"};
    static const cor_arrow_t arrows[] = {COR_ARROW_NONE, COR_ARROW_START, COR_ARROW_END,
                                         COR_ARROW_BOTH};
    int a;
    return cor__script_read_choice(L, 1, "arrow", names, 4, &a) ? arrows[a] : COR_ARROW_DEFAULT;
}

/* Hands the declaration to its validator, and on success gives the overlay the file and line
 * it was declared at and moves it into the running file. */
static int finish(lua_State *L, cor__script_t *sc, cor_status_t st, const cor_error_t *e)
{
    int line;
    if (st != COR_OK)
        return luaL_error(L, "%s", e->message);
    cor__overlay_t *ov = &sc->scratch_ov.items[sc->scratch_ov.n - 1];
    ov->file = cor__script_strdup(L, cor__script_caller_file(L, &line));
    ov->line = line;
    return cor__script_commit_overlay(L, sc);
}

/* route { place, place, ..., status = "blocked", cut = place, stroke = ..., arrow = "end", ... } */
int cor__script_route(lua_State *L)
{
    static const char *const status_names[] = {"operating", "blocked"};
    cor__script_t *sc = begin_overlay(L, "route", &route_keys);
    cor_route_t r = {0};
    cor_place_t cut;
    double dash[COR__LIST_MAX];
    cor_error_t e = {0};
    int status = 0;
    r.nplaces = lua_rawlen(L, 1);
    r.places = place_list(L, 1, r.nplaces, "place");
    read_look(L, &route_keys, &r.look, dash, &r.cap, &r.join);
    cor__script_read_choice(L, 1, "status", status_names, 2, &status);
    r.blocked = status == 1;
    if (cor__script_field(L, "cut") != LUA_TNIL) {
        cut = place_at(L, -1, "cut");
        r.cut = &cut;
    }
    r.arrow = read_arrow(L);
    cor__script_read_bool(L, 1, "schematic", &r.schematic);
    cor__script_read_number(L, "value", &r.value);
    read_text_keys(L, sc, &r.text, true);
    return finish(L, sc, cor__overlay_add_route(&sc->scratch_ov, &r, &e), &e);
}

/* ---- bands: flow { path = { place, ... }, values = { n, ... }, labels = ..., curve = b } ---- */

/* The band's values: a list of exactly n numbers (a nil among them is a mistyped column, not a
 * zero), in an array the collector owns (left on the stack, above the list). */
static const double *band_values(lua_State *L, lua_Unsigned n)
{
    int t = cor__script_field(L, "values");
    if (t != LUA_TTABLE)
        luaL_error(L, "a band needs values = { ... }, one per place of its path, got %s",
                   lua_typename(L, t));
    lua_Unsigned nv = lua_rawlen(L, -1);
    if (nv != n)
        luaL_error(L, "values: %d entries for a path of %d places (one value per place)", (int)nv,
                   (int)n);
    cor__script_charge(L, ELEMENT_COST * (unsigned long long)n);
    double *v = lua_newuserdatauv(L, (n ? n : 1) * sizeof *v, 0);
    for (lua_Unsigned i = 1; i <= n; i++) {
        int te = lua_rawgeti(L, -2, (lua_Integer)i);
        if (te != LUA_TNUMBER)
            luaL_error(L, "values %d must be a number, got %s", (int)i, lua_typename(L, te));
        v[i - 1] = lua_tonumber(L, -1);
        lua_pop(L, 1);
    }
    return v;
}

/* Stores the label text at `idx` (a string or a number) for place i of n in the holder table
 * at `holder` and the array `out`; an error names it "labels <i>". */
static void band_label(lua_State *L, int idx, int holder, lua_Integer i, const char **out)
{
    int t = lua_type(L, idx);
    if (t != LUA_TSTRING && t != LUA_TNUMBER)
        luaL_error(L, "labels %d must be a string, got %s", (int)i, lua_typename(L, t));
    lua_pushvalue(L, idx);
    lua_tostring(L, -1); /* a number becomes its text, kept alive by the holder */
    lua_rawseti(L, holder, i);
    lua_rawgeti(L, holder, i);
    out[i - 1] = lua_tostring(L, -1);
    lua_pop(L, 1);
}

/* The band's labels: one template for every place ("{value}"), or a table of place index =
 * text. Returns: n texts (NULL: none) the stack keeps alive, or NULL without labels. */
static const char *const *band_labels(lua_State *L, lua_Unsigned n)
{
    int t = cor__script_field(L, "labels"), src = lua_gettop(L);
    if (t == LUA_TNIL || (t == LUA_TBOOLEAN && !lua_toboolean(L, -1)))
        return NULL;
    if (t != LUA_TSTRING && t != LUA_TTABLE)
        luaL_error(L, "labels must be a template string or a table of place = text, got %s",
                   lua_typename(L, t));
    cor__script_charge(L, ELEMENT_COST * (unsigned long long)n);
    const char **out = lua_newuserdatauv(L, (n ? n : 1) * sizeof *out, 0);
    memset(out, 0, (n ? n : 1) * sizeof *out);
    lua_createtable(L, (int)n, 0);
    int holder = lua_gettop(L);
    for (lua_Unsigned i = 1; t == LUA_TSTRING && i <= n; i++)
        band_label(L, src, holder, (lua_Integer)i, out);
    for (lua_pushnil(L); t == LUA_TTABLE && lua_next(L, src); lua_pop(L, 1)) {
        lua_Integer i = lua_isinteger(L, -2) ? lua_tointeger(L, -2) : 0;
        if (i < 1 || (lua_Unsigned)i > n)
            luaL_error(L, "labels: key %s is not a place of the path (1 to %d)",
                       luaL_tolstring(L, -2, NULL), (int)n);
        band_label(L, lua_gettop(L), holder, i, out);
    }
    return out;
}

/* Reads a band's keys into the spec; from, to and via are not a band's. */
static void read_band(lua_State *L, cor_flow_t *f)
{
    static const char *const not_band[] = {"from", "to", "via"};
    for (size_t i = 0; i < COR__ARRAY_LEN(not_band); i++) {
        if (cor__script_field(L, not_band[i]) != LUA_TNIL)
            luaL_error(L, "a band takes path = { ... }: not from, to or via");
        lua_pop(L, 1);
    }
    if (cor__script_field(L, "path") != LUA_TTABLE)
        luaL_error(L, "path must be a list of places, got %s", luaL_typename(L, -1));
    f->npath = lua_rawlen(L, -1);
    f->path = place_list(L, -1, f->npath, "path");
    f->values = band_values(L, f->npath);
    f->labels = band_labels(L, f->npath);
    cor__script_read_bool(L, 1, "curve", &f->curve);
}

/* flow { from = place, to = place, via = { place, ... }, value = n, bend = b, ... }, or a band:
 * flow { path = { place, ... }, values = { n, ... }, labels = ..., curve = true, ... } */
int cor__script_flow(lua_State *L)
{
    cor__script_t *sc = begin_overlay(L, "flow", &flow_keys);
    cor_flow_t f = {0};
    double dash[COR__LIST_MAX];
    cor_error_t e = {0};
    bool band = cor__script_field(L, "path") != LUA_TNIL;
    lua_pop(L, 1);
    if (band) {
        read_band(L, &f);
    } else {
        f.from = place_field(L, "flow", "from");
        int t = cor__script_field(L, "via");
        if (t == LUA_TTABLE)
            f.via = place_list(L, -1, f.nvia = lua_rawlen(L, -1), "via");
        else if (t != LUA_TNIL)
            luaL_error(L, "via must be a list of places, got %s", lua_typename(L, t));
        f.to = place_field(L, "flow", "to");
        static const char *const band_only[] = {"values", "curve", "labels"};
        for (size_t i = 0; i < COR__ARRAY_LEN(band_only); i++) {
            if (cor__script_field(L, band_only[i]) != LUA_TNIL)
                luaL_error(L, "%s is a band's: it needs path = { ... }", band_only[i]);
            lua_pop(L, 1);
        }
    }
    cor__script_read_number(L, "value", &f.value);
    f.has_bend = cor__script_read_number(L, "bend", &f.bend);
    read_look(L, &flow_keys, &f.look, dash, NULL, NULL);
    f.arrow = read_arrow(L);
    cor__script_read_bool(L, 1, "schematic", &f.schematic);
    read_text_keys(L, sc, &f.text, true);
    return finish(L, sc, cor__overlay_add_flow(&sc->scratch_ov, &f, &e), &e);
}

/* marker { at = place, symbol = "mine", size = 10, fill = ..., stroke = ..., label = ... } */
int cor__script_marker(lua_State *L)
{
    cor__script_t *sc = begin_overlay(L, "marker", &marker_keys);
    cor_marker_t m = {0};
    double dash[COR__LIST_MAX];
    cor_error_t e = {0};
    m.at = place_field(L, "marker", "at");
    read_look(L, &marker_keys, &m.look, dash, NULL, NULL);
    read_text_keys(L, sc, &m.text, true);
    return finish(L, sc, cor__overlay_add_marker(&sc->scratch_ov, &m, &e), &e);
}

/* callout { at = place, text = "...", dx = 30, dy = -20 } */
int cor__script_callout(lua_State *L)
{
    cor__script_t *sc = begin_overlay(L, "callout", &callout_keys);
    cor_callout_t c = {0};
    cor_overlay_text_t t = {0};
    double dash[COR__LIST_MAX];
    cor_error_t e = {0};
    c.at = place_field(L, "callout", "at");
    read_look(L, &callout_keys, &c.look, dash, NULL, NULL);
    read_text_keys(L, sc, &t, false);
    c.text = read_text(L, "text");
    cor__script_read_number(L, "dx", &c.dx);
    cor__script_read_number(L, "dy", &c.dy);
    c.group = t.group;
    c.legend = t.legend;
    c.label_size = t.label_size;
    c.label_color = t.label_color;
    c.has_priority = t.has_priority;
    c.priority = t.priority;
    return finish(L, sc, cor__overlay_add_callout(&sc->scratch_ov, &c, &e), &e);
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

/* Writes `c` as "#rrggbbaa" into buf (16 bytes). Returns: buf. */
static const char *hex_color(cor_color_t c, char *buf)
{
    snprintf(buf, 16, "#%02x%02x%02x%02x", (unsigned)lround(c.r * 255), (unsigned)lround(c.g * 255),
             (unsigned)lround(c.b * 255), (unsigned)lround(c.a * 255));
    return buf;
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
    cor__look_t area; /* what a source area gives no look for: an area overlay's default */
    char fill[16], stroke[16];
    cor__overlay_default_look(COR__OV_AREA, &area);
    set_const(L, ls, COR__P_FILL, hex_color(area.fill, fill), 0);
    set_const(L, ls, COR__P_STROKE, hex_color(area.stroke, stroke), 0);
    set_const(L, ls, COR__P_WIDTH, NULL, area.width);
    cor__script_commit_layer(L, sc);
    return 0;
}

/* area { coords = { {lon, lat}, ... }, fill = ..., hatch = true } or the source form above. */
int cor__script_area(lua_State *L)
{
    cor__script_t *sc = begin_overlay(L, "area", &area_keys);
    cor_area_t a = {0};
    double dash[COR__LIST_MAX];
    cor_error_t e = {0};
    if (cor__script_field(L, "source") != LUA_TNIL) {
        lua_pop(L, 1);
        return area_layer(L, sc);
    }
    lua_pop(L, 1);
    if (cor__script_field(L, "where") != LUA_TNIL)
        return luaL_error(L, "where selects features of a source: it needs source = ...");
    lua_pop(L, 1);
    int t = cor__script_field(L, "coords");
    a.n = t == LUA_TTABLE ? lua_rawlen(L, -1) : 0;
    if (t == LUA_TTABLE)
        a.ring = place_list(L, -1, a.n, "point");
    read_look(L, &area_keys, &a.look, dash, NULL, NULL);
    read_text_keys(L, sc, &a.text, true);
    return finish(L, sc, cor__overlay_add_area(&sc->scratch_ov, &a, &e), &e);
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
