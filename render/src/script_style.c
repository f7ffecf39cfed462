/* script_style: the style reader. map{} and layer{} declarations become the settings and
 * layers of a cor__style_t: constants are checked when declared, functions become references
 * the render evaluates per feature. */
#include "script_internal.h"

#include <lauxlib.h>
#include <lua.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const map_key_names[] = {
    "crs",      "extent",         "size",           "dpi",          "background",
    "title",    "subtitle",       "credits",        "date",         "graticule",
    "scalebar", "north_arrow",    "legend",         "legend_title", "flow_unit",
    "inset",    "flow_max_width", "flow_min_width", "label_font"};
static const char *const inset_key_names[] = {"position", "crs", "extent", "highlight", "width"};
static const char *const layer_key_names[] = {"source", "name", "order", "legend", "group"};
static const keyset_t map_keys = {"map", KEYS(map_key_names), false};
static const keyset_t inset_keys = {"inset", KEYS(inset_key_names), false};
static const keyset_t layer_keys = {"layer", KEYS(layer_key_names), true};

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

/* ---- map{} ---- */

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

static void read_extent(lua_State *L, cor__mapdef_t *m)
{
    if (cor__script_field(L, "extent") == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    m->extent = cor__script_check_extent(L, "extent");
    m->has_extent = true;
    lua_pop(L, 1);
}

/* Parses "2400x1800" (pixels). Returns: false when malformed. */
static bool parse_size(const char *s, double px[2])
{
    char *end;
    long w = strtol(s, &end, 10);
    while (*end == ' ')
        end++;
    if (end == s || (*end != 'x' && *end != 'X'))
        return false;
    const char *h_at = end + 1;
    long h = strtol(h_at, &end, 10);
    while (*end == ' ')
        end++;
    if (end == h_at || *end != '\0')
        return false;
    px[0] = (double)w;
    px[1] = (double)h;
    return true;
}

static void read_size(lua_State *L, double px[2])
{
    int t = cor__script_field(L, "size");
    if (t == LUA_TSTRING ? !parse_size(lua_tostring(L, -1), px)
                         : !cor__script_read_numbers(L, px, 2))
        luaL_error(L, "size must be \"WIDTHxHEIGHT\" or {width, height} in pixels, got %s",
                   t == LUA_TSTRING ? "a malformed string" : lua_typename(L, t));
    for (int i = 0; i < 2; i++)
        if (!(px[i] >= 1 && px[i] <= 100000 && px[i] == floor(px[i])))
            luaL_error(L, "size must be whole numbers of pixels from 1 to 100000");
    lua_pop(L, 1);
}

/* size (pixels) and dpi set the page: width_pt = px * 72 / dpi. A missing size is the default
 * 2400x1800 px; a missing dpi is 300. */
static void read_page(lua_State *L, cor__mapdef_t *m)
{
    double px[2] = {2400, 1800}, dpi = 300;
    bool has_size = cor__script_field(L, "size") != LUA_TNIL, has_dpi;
    lua_pop(L, 1);
    if (has_size)
        read_size(L, px);
    has_dpi = cor__script_read_number(L, "dpi", &dpi);
    if (has_dpi && !(dpi >= 1 && dpi <= 10000))
        luaL_error(L, "dpi must be between 1 and 10000");
    if (!has_size && !has_dpi)
        return;
    m->has_page = true;
    m->dpi = dpi;
    m->width_pt = px[0] * 72.0 / dpi;
    m->height_pt = px[1] * 72.0 / dpi;
}

static void read_background(lua_State *L, cor__mapdef_t *m)
{
    int t = cor__script_field(L, "background");
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    if (t != LUA_TSTRING)
        luaL_error(L, "background must be a colour string, got %s", lua_typename(L, t));
    if (!cor_color_parse(lua_tostring(L, -1), &m->background))
        luaL_error(L, "background: '%s' is not a colour", lua_tostring(L, -1));
    m->has_background = true;
    lua_pop(L, 1);
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

static void read_corner(lua_State *L, int idx, const char *key, char **dst)
{
    if (cor__script_field_at(L, idx, key) == LUA_TNIL)
        lua_pop(L, 1);
    else
        take_corner(L, key, dst);
}

/* graticule = true (automatic spacing), false (none) or degrees between lines. */
static void read_graticule(lua_State *L, cor__mapdef_t *m)
{
    int t = cor__script_field(L, "graticule");
    if (t == LUA_TBOOLEAN) {
        m->graticule = lua_toboolean(L, -1) ? 0 : -1;
    } else if (t == LUA_TNUMBER) {
        double x = lua_tonumber(L, -1);
        if (!(x > 0 && x <= 90))
            cor__script_errorf(L, "graticule: %g is out of range (more than 0 to 90 degrees)", x);
        m->graticule = x;
    } else if (t != LUA_TNIL) {
        luaL_error(L, "graticule must be true, false or the degrees between lines, got %s",
                   lua_typename(L, t));
    }
    m->has_graticule = t != LUA_TNIL;
    lua_pop(L, 1);
}

#define HIGHLIGHT_MAX 256

/* inset.highlight: a list of country codes (at most HIGHLIGHT_MAX). */
static void read_highlight(lua_State *L, int idx, cor__mapdef_t *m)
{
    int t = cor__script_field_at(L, idx, "highlight");
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    lua_Unsigned n = t == LUA_TTABLE ? lua_rawlen(L, -1) : 0;
    if (t != LUA_TTABLE || n > HIGHLIGHT_MAX)
        luaL_error(L, "highlight must be a list of up to %d country codes, got %s", HIGHLIGHT_MAX,
                   t == LUA_TTABLE ? "a longer list" : lua_typename(L, t));
    char **codes = cor__calloc(n, sizeof *codes);
    if (!codes)
        luaL_error(L, "out of memory");
    m->inset_highlight = codes; /* owned by the scratch map from here on */
    m->has_inset_highlight = true;
    for (lua_Unsigned i = 0; i < n; i++) {
        int te = lua_rawgeti(L, -1, (lua_Integer)i + 1);
        if (te != LUA_TSTRING || lua_rawlen(L, -1) == 0)
            luaL_error(L, "highlight: entry %d must be a country code such as \"BY\", got %s",
                       (int)i + 1, te == LUA_TSTRING ? "an empty string" : lua_typename(L, te));
        codes[i] = cor__script_strdup(L, lua_tostring(L, -1));
        m->ninset_highlight = i + 1;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* inset = false | corner | { position = corner, crs = "...", extent = {W, S, E, N},
 *                            highlight = { "BY", ... }, width = pt } */
static void read_inset(lua_State *L, cor__mapdef_t *m)
{
    int t = cor__script_field(L, "inset");
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    if (t != LUA_TTABLE) {
        take_corner(L, "inset", &m->inset);
        return;
    }
    int idx = lua_gettop(L);
    cor__script_check_keys(L, idx, &inset_keys, false);
    if (cor__script_field_at(L, idx, "position") == LUA_TNIL) {
        lua_pop(L, 1);
        m->inset = cor__script_strdup(L, "auto");
    } else {
        take_corner(L, "position", &m->inset);
    }
    if (cor__script_read_name(L, idx, "crs", &m->inset_crs) && strlen(m->inset_crs) > 4096)
        luaL_error(L, "crs is too long");
    if (cor__script_field_at(L, idx, "extent") != LUA_TNIL) {
        m->inset_extent = cor__script_check_extent(L, "extent");
        m->has_inset_extent = true;
    }
    lua_pop(L, 1);
    read_highlight(L, idx, m);
    cor__script_read_ranged(L, idx, "width", 1, 14400, " pt", &m->inset_width);
    lua_pop(L, 1);
}

static void read_furniture(lua_State *L, cor__mapdef_t *m)
{
    cor__script_read_string(L, "date", &m->date);
    read_graticule(L, m);
    read_corner(L, 1, "scalebar", &m->scalebar);
    m->has_north_arrow = cor__script_read_bool(L, 1, "north_arrow", &m->north_arrow);
    read_corner(L, 1, "legend", &m->legend);
    cor__script_read_string(L, "legend_title", &m->legend_title);
    cor__script_read_string(L, "flow_unit", &m->flow_unit);
    read_inset(L, m);
    m->has_flow_max_width =
        cor__script_read_ranged(L, 1, "flow_max_width", 0, 100, " pt", &m->flow_max_width);
    m->has_flow_min_width =
        cor__script_read_ranged(L, 1, "flow_min_width", 0, 100, " pt", &m->flow_min_width);
    if (m->has_flow_max_width && m->has_flow_min_width && m->flow_min_width > m->flow_max_width)
        cor__script_errorf(L, "flow_min_width (%g pt) is more than flow_max_width (%g pt)",
                           m->flow_min_width, m->flow_max_width);
    cor__script_read_name(L, 1, "label_font", &m->label_font);
}

int cor__script_map(lua_State *L)
{
    cor__script_t *sc = begin_decl(L, "map");
    frame_t *fr = cor__script_top_frame(sc);
    int line;
    if (fr->overlay)
        return luaL_error(L, "map{} belongs in a style, not in an overlay");
    if (fr->map_line != 0)
        return luaL_error(L, "map{} given twice (first at line %d)", fr->map_line);
    cor__script_check_keys(L, 1, &map_keys, false);
    cor__mapdef_t *m = &sc->scratch.map;
    if (cor__script_read_string(L, "crs", &m->crs) && !m->crs[0])
        luaL_error(L, "crs must not be empty");
    read_extent(L, m);
    read_page(L, m);
    read_background(L, m);
    cor__script_read_string(L, "title", &m->title);
    cor__script_read_string(L, "subtitle", &m->subtitle);
    cor__script_read_string(L, "credits", &m->credits);
    read_furniture(L, m);
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
    read_legend(L, ls);
    for (int id = 0; id < COR__P_COUNT; id++)
        cor__script_read_prop(L, (cor__prop_id_t)id, &ls->props[id]);
    cor__script_commit_layer(L, sc);
    return 0;
}
