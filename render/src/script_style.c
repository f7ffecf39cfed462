/* SPDX-License-Identifier: MIT */
/* script_style: the style reader. map{} and layer{} declarations become the settings and
 * layers of a cor__style_t: constants are checked when declared, functions become references
 * the render evaluates per feature. */
#include "files.h"
#include "script_internal.h"

#include <lauxlib.h>
#include <lua.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const layer_key_names[] = {"source", "name", "order", "legend", "group", "crs"};
static const keyset_t map_keys = {"map", NULL, 0, false, "map"};
static const keyset_t inset_keys = {"inset", NULL, 0, false, "inset"};
static const keyset_t layer_keys = {"layer", KEYS(layer_key_names), true, NULL};

/* Common start of map{} and layer{}. */
static cor__script_t *begin_decl(lua_State *L, const char *what)
{
    cor__script_t *sc = cor__script_of(L);
    if (sc->nframes == 0)
        luaL_error(L, "%s{} can only be used while a style file runs", what);
    if (lua_gettop(L) != 1 || lua_type(L, 1) != LUA_TTABLE)
        luaL_error(L, "%s{} takes one table: %s { key = value, ... }", what, what);
    cor__script_scratch_reset(sc);
    return sc;
}

/* ---- map{}: each setting read as its row in the mapdef table says ---- */

static void *field(cor__mapdef_t *m, size_t off)
{
    return (char *)m + off;
}

static void set_given(cor__mapdef_t *m, const cor__mapkey_t *k)
{
    if (k->has != COR__MK_NONE)
        *(bool *)field(m, k->has) = true;
}

/* Checks the {west, south, east, north} list on top of the stack (for `key`). */
cor_bbox_t cor__script_check_extent(lua_State *L, const char *key)
{
    double e[4];
    int t = lua_type(L, -1);
    if (!cor__script_read_numbers(L, e, 4))
        luaL_error(L, "%s must be {west, south, east, north} in degrees, got %s", key,
                   t == LUA_TTABLE ? "another table" : lua_typename(L, t));
    if (!(e[0] >= -180 && e[2] <= 180 && e[1] >= -90 && e[3] <= 90))
        luaL_error(L, "%s {%f, %f, %f, %f} is outside -180..180, -90..90", key, e[0], e[1], e[2],
                   e[3]);
    if (!(e[0] < e[2] && e[1] < e[3]))
        luaL_error(L, "%s must have west < east and south < north", key);
    return (cor_bbox_t){e[0], e[1], e[2], e[3]};
}

/* size and dpi set the page. size is "WIDTHxHEIGHT" with an optional unit (as --size: px by
 * default, mm, cm, in, pt) or {width, height} in pixels; pixels are whole numbers from 1 to
 * 100000, at dpi (default 300). A missing size is the default 2400x1800 px. The value of
 * `size` is on top of the stack (popped). */
static void read_page(lua_State *L, int idx, const cor__mapkey_t *k, cor__mapdef_t *m)
{
    double px[2] = {2400, 1800}, pt[2] = {0, 0}, dpi = 300;
    bool has_dpi = cor__script_read_number_at(L, idx, "dpi", &dpi), pixels = true;
    if (has_dpi && !(dpi >= 1 && dpi <= 10000))
        luaL_error(L, "dpi must be between 1 and 10000");
    int t = lua_type(L, -1);
    bool has_size = t != LUA_TNIL;
    if (t == LUA_TSTRING) {
        cor_error_t e = {0};
        if (cor_page_size_parse(lua_tostring(L, -1), dpi, &pt[0], &pt[1], &pixels, &e) != COR_OK)
            luaL_error(L,
                       "size must be \"WIDTHxHEIGHT[unit]\" or {width, height} in pixels, "
                       "got '%s'",
                       lua_tostring(L, -1));
        px[0] = pt[0] * dpi / 72.0;
        px[1] = pt[1] * dpi / 72.0;
    } else if (has_size && !cor__script_read_numbers(L, px, 2)) {
        luaL_error(L, "size must be \"WIDTHxHEIGHT[unit]\" or {width, height} in pixels, got %s",
                   lua_typename(L, t));
    }
    for (int i = 0; has_size && pixels && i < 2; i++)
        if (!(px[i] >= k->lo && px[i] <= k->hi && fabs(px[i] - round(px[i])) < 1e-6))
            luaL_error(L, "size must be whole numbers of pixels from 1 to 100000");
    lua_pop(L, 1);
    if (!has_size && !has_dpi)
        return;
    set_given(m, k);
    m->dpi = dpi;
    m->width_pt = pixels ? round(px[0]) * 72.0 / dpi : pt[0];
    m->height_pt = pixels ? round(px[1]) * 72.0 / dpi : pt[1];
}

static const char *const corner_names[] = {"auto",        "top-left",     "top-right",
                                           "bottom-left", "bottom-right", "none"};

/* Stores the corner value on top of the stack (popped) in *dst: a corner name, true ("auto") or
 * false ("none"). */
static void take_corner(lua_State *L, const char *key, char **dst)
{
    const char *name = NULL;
    int t = lua_type(L, -1);
    if (t == LUA_TBOOLEAN)
        name = lua_toboolean(L, -1) ? "auto" : "none";
    for (size_t i = 0; t == LUA_TSTRING && !name && i < COR__ARRAY_LEN(corner_names); i++)
        if (cor__strcasecmp(lua_tostring(L, -1), corner_names[i]) == 0)
            name = corner_names[i];
    if (!name && t == LUA_TSTRING)
        luaL_error(L,
                   "%s: '%s' is not a corner (auto, top-left, top-right, bottom-left, "
                   "bottom-right, or false)",
                   key, lua_tostring(L, -1));
    if (!name)
        luaL_error(L, "%s must be a corner name or false, got %s", key, lua_typename(L, t));
    char *copy = cor__script_strdup(L, name);
    free(*dst);
    *dst = copy;
    lua_pop(L, 1);
}

/* graticule = true (automatic spacing), false (none) or degrees between lines; the value is on
 * top of the stack (popped). */
static void read_graticule(lua_State *L, const cor__mapkey_t *k, cor__mapdef_t *m)
{
    double *g = field(m, k->field);
    int t = lua_type(L, -1);
    if (t == LUA_TBOOLEAN) {
        *g = lua_toboolean(L, -1) ? 0 : -1;
    } else if (t == LUA_TNUMBER) {
        double x = lua_tonumber(L, -1);
        if (!(x > k->lo && x <= k->hi))
            cor__script_errorf(L, "graticule: %g is out of range (more than 0 to 90 degrees)", x);
        *g = x;
    } else {
        luaL_error(L, "graticule must be true, false or the degrees between lines, got %s",
                   lua_typename(L, t));
    }
    set_given(m, k);
    lua_pop(L, 1);
}

/* A list of non-empty strings (at most k->max); the value is on top of the stack (popped). */
static void read_list(lua_State *L, const cor__mapkey_t *k, cor__mapdef_t *m)
{
    int t = lua_type(L, -1);
    lua_Unsigned n = t == LUA_TTABLE ? lua_rawlen(L, -1) : 0;
    if (t != LUA_TTABLE || n > k->max)
        luaL_error(L, "%s must be a list of up to %d %s, got %s", k->key, (int)k->max, k->items,
                   t == LUA_TTABLE ? "a longer list" : lua_typename(L, t));
    char **items = cor__calloc(n, sizeof *items);
    if (!items)
        luaL_error(L, "out of memory");
    *(char ***)field(m, k->field) = items; /* owned by the scratch map from here on */
    set_given(m, k);
    for (lua_Unsigned i = 0; i < n; i++) {
        int te = lua_rawgeti(L, -1, (lua_Integer)i + 1);
        if (te != LUA_TSTRING || lua_rawlen(L, -1) == 0)
            luaL_error(L, "%s: entry %d must be %s, got %s", k->key, (int)i + 1, k->item,
                       te == LUA_TSTRING ? "an empty string" : lua_typename(L, te));
        items[i] = cor__script_strdup(L, lua_tostring(L, -1));
        *(size_t *)field(m, k->count) = i + 1;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

static void read_settings(lua_State *L, int idx, const char *table, cor__mapdef_t *m);

/* inset = false | corner | { the "inset" settings }; the value is on top of the stack. */
static void read_inset(lua_State *L, const cor__mapkey_t *k, cor__mapdef_t *m)
{
    char **corner = field(m, k->field);
    if (lua_type(L, -1) != LUA_TTABLE) {
        take_corner(L, k->key, corner);
        return;
    }
    int idx = lua_gettop(L);
    cor__script_check_keys(L, idx, &inset_keys, false);
    read_settings(L, idx, "inset", m);
    if (!*corner)
        *corner = cor__script_strdup(L, "auto");
    lua_pop(L, 1);
}

/* key = { the settings whose table is `key` }, e.g. flow_scale = { value = ..., width = ... };
 * the value is on top of the stack (popped). */
static void read_table(lua_State *L, const cor__mapkey_t *k, cor__mapdef_t *m)
{
    if (lua_type(L, -1) != LUA_TTABLE)
        luaL_error(L, "%s must be a table: %s = { ... }, got %s", k->key, k->key,
                   luaL_typename(L, -1));
    int idx = lua_gettop(L);
    keyset_t ks = {k->key, NULL, 0, false, k->key};
    cor__script_check_keys(L, idx, &ks, false);
    read_settings(L, idx, k->key, m);
    set_given(m, k);
    lua_pop(L, 1);
}

/* Reads the value of setting `k` (on top of the stack, not nil; popped) into `m`. */
static void read_value(lua_State *L, int idx, const cor__mapkey_t *k, cor__mapdef_t *m)
{
    switch (k->kind) {
    case COR__MK_STRING: /* false: none, even where an included style gave one */
        if (lua_type(L, -1) == LUA_TBOOLEAN && !lua_toboolean(L, -1)) {
            lua_pop(L, 1);
            char **v = field(m, k->field);
            free(*v);
            *v = cor__script_strdup(L, "");
            return;
        }
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "%s must be a string or false, got %s", k->key, luaL_typename(L, -1));
        /* fall through */
    case COR__MK_NAME:
        lua_pop(L, 1);
        cor__script_read_string_at(L, idx, k->key, field(m, k->field));
        if (k->kind == COR__MK_NAME && !(*(char **)field(m, k->field))[0])
            luaL_error(L, "%s must not be empty", k->key);
        if (k->max > 0 && strlen(*(char **)field(m, k->field)) > k->max)
            luaL_error(L, "%s is too long", k->key);
        return;
    case COR__MK_NUMBER:
        lua_pop(L, 1);
        cor__script_read_ranged(L, idx, k->key, k->lo, k->hi, k->unit ? k->unit : "",
                                field(m, k->field));
        break;
    case COR__MK_BOOL:
        lua_pop(L, 1);
        cor__script_read_bool(L, idx, k->key, field(m, k->field));
        break;
    case COR__MK_COLOR:
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "%s must be a colour string, got %s", k->key, luaL_typename(L, -1));
        if (!cor_color_parse(lua_tostring(L, -1), field(m, k->field)))
            luaL_error(L, "%s: '%s' is not a colour", k->key, lua_tostring(L, -1));
        lua_pop(L, 1);
        break;
    case COR__MK_CORNER:
        take_corner(L, k->key, field(m, k->field));
        return;
    case COR__MK_EXTENT:
        *(cor_bbox_t *)field(m, k->field) = cor__script_check_extent(L, k->key);
        lua_pop(L, 1);
        break;
    case COR__MK_LIST:
        read_list(L, k, m);
        return;
    case COR__MK_GRATICULE:
        read_graticule(L, k, m);
        return;
    case COR__MK_INSET:
        read_inset(L, k, m);
        return;
    case COR__MK_TABLE:
        read_table(L, k, m);
        return;
    case COR__MK_PAGE:
    case COR__MK_PAGE_DPI:
        lua_pop(L, 1);
        return;
    }
    set_given(m, k);
}

/* Reads every setting of `table` that the declaration table at `idx` gives, in table order. */
static void read_settings(lua_State *L, int idx, const char *table, cor__mapdef_t *m)
{
    size_t n;
    const cor__mapkey_t *keys = cor__mapkeys(&n);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(keys[i].table, table) != 0)
            continue;
        int t = cor__script_field_at(L, idx, keys[i].key);
        if (keys[i].kind == COR__MK_PAGE)
            read_page(L, idx, &keys[i], m);
        else if (t == LUA_TNIL)
            lua_pop(L, 1);
        else
            read_value(L, idx, &keys[i], m);
    }
}

int cor__script_map(lua_State *L)
{
    cor__script_t *sc = begin_decl(L, "map");
    frame_t *fr = cor__script_top_frame(sc);
    char why[256];
    int line;
    if (fr->overlay)
        return luaL_error(L, "map{} belongs in a style, not in an overlay");
    if (fr->map_line != 0)
        return luaL_error(L, "map{} given twice (first at line %d)", fr->map_line);
    cor__script_check_keys(L, 1, &map_keys, false);
    cor__mapdef_t *m = &sc->scratch.map;
    read_settings(L, 1, "map", m);
    if (!cor__mapdef_check(m, why, sizeof why))
        return luaL_error(L, "%s", why);
    cor__script_caller_file(L, &line);
    fr->map_line = line > 0 ? line : -1;
    cor__mapdef_merge(&fr->style.map, m);
    return 0;
}

/* ---- layer{} ---- */

/* Reads one property: a function becomes a registry reference, a constant is checked now. */
void cor__script_read_prop(lua_State *L, cor__prop_id_t id, cor__prop_t *prop)
{
    char why[256];
    const char *name = cor__prop_name(id);
    int t = cor__script_field(L, name);
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    if (t == LUA_TFUNCTION) {
        prop->ref = luaL_ref(L, LUA_REGISTRYINDEX);
        prop->set = prop->dynamic = true;
        return;
    }
    cor__pval_t v;
    if (!cor__script_to_pval(L, -1, &v, why, sizeof why) || !cor__prop_accepts(id, v.type)) {
        cor__pval_clear(&v);
        luaL_error(L, "%s must be %s or a function, got %s", name, cor__prop_expects(id),
                   lua_typename(L, t));
    }
    if (!cor__prop_check(id, &v, why, sizeof why)) {
        cor__pval_clear(&v);
        luaL_error(L, "%s: %s", name, why);
    }
    prop->val = v;
    prop->set = true;
    lua_pop(L, 1);
}

/* legend = "text" names the layer in the legend; true uses the layer's name. */
static void read_legend(lua_State *L, cor__layer_style_t *ls)
{
    int t = cor__script_field(L, "legend");
    if (t == LUA_TBOOLEAN && lua_toboolean(L, -1))
        ls->legend = cor__script_strdup(L, ls->name);
    else if (t == LUA_TSTRING)
        ls->legend = cor__script_strdup(L, lua_tostring(L, -1));
    else if (t != LUA_TNIL && t != LUA_TBOOLEAN)
        luaL_error(L, "legend must be a string or a boolean, got %s", lua_typename(L, t));
    lua_pop(L, 1);
}

/* Starts a layer in the scratch space: where it was declared, its drawing order (overlay files
 * and source areas draw in a band above the style's layers) and its group. */
cor__layer_style_t *cor__script_new_layer(lua_State *L, cor__script_t *sc, bool above)
{
    frame_t *fr = cor__script_top_frame(sc);
    int line;
    const char *file = cor__script_caller_file(L, &line);
    cor__layer_style_t *ls = cor__style_add_layer(&sc->scratch);
    if (!ls)
        luaL_error(L, "out of memory");
    ls->line = line;
    ls->order = (above ? OVERLAY_ORDER : 0) + (double)(fr->order_base + fr->style.nlayers + 1);
    ls->file = cor__script_strdup(L, file);
    if (!(ls->base_dir = cor__path_dirname(ls->file)))
        luaL_error(L, "out of memory");
    if (!cor__script_read_name(L, 1, "group", &ls->group) && fr->group)
        ls->group = cor__script_strdup(L, fr->group);
    return ls;
}

int cor__script_layer(lua_State *L)
{
    cor__script_t *sc = begin_decl(L, "layer");
    cor__script_check_keys(L, 1, &layer_keys, false);
    cor__layer_style_t *ls = cor__script_new_layer(L, sc, cor__script_top_frame(sc)->overlay);
    if (!cor__script_read_string(L, "source", &ls->source) || !ls->source[0])
        return luaL_error(L, "layer{} needs a source: a geodata layer name like \"countries\" "
                             "or a shapefile path");
    if (!cor__script_read_string(L, "name", &ls->name))
        ls->name = cor__script_strdup(L, ls->source);
    cor__script_read_number(L, "order", &ls->order);
    if (cor__script_read_string(L, "crs", &ls->crs) && !ls->crs[0])
        return luaL_error(L, "layer{}: crs is a CRS PROJ knows (\"EPSG:2180\"), not empty");
    read_legend(L, ls);
    for (int id = 0; id < COR__P_COUNT; id++)
        cor__script_read_prop(L, (cor__prop_id_t)id, &ls->props[id]);
    cor__script_commit_layer(L, sc);
    return 0;
}
