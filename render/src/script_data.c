/* SPDX-License-Identifier: MIT */
/* script_data: read-only data beside a script. read_csv and read_geojson open files only
 * inside the calling script's directory (no "..", symbolic link or mount point leads out), and
 * build their rows and features protected, one record at a time, so that a limit hit half-way
 * unwinds no parser. */
#include "script_internal.h"

#include <lauxlib.h>
#include <lua.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csv.h"
#include "files.h"
#include "source_json.h"
#include "suggest.h"

/* ---- read-only data beside the script: read_csv, read_geojson ---- */

/* Returns: true when a component of the relative path `p` is "..". */
static bool has_dotdot(const char *p)
{
    while (*p) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return true;
        p += n;
        while (*p == '/')
            p++;
    }
    return false;
}

/* Checks `rel` as a path a script may name: relative, without "..". Raises otherwise. */
static void check_relative(lua_State *L, const char *fn, const char *rel)
{
    if (!*rel)
        luaL_error(L, "%s: the path is empty", fn);
    if (rel[0] == '/' || has_dotdot(rel))
        luaL_error(L, "%s: %s: the path must stay inside the script's directory", fn, rel);
}

/* Reads the file `rel` names beside the calling script, opened so that no "..", symbolic
 * link or mount point leads out of the script's directory; pushes its path there, for
 * messages and chunk names. `id` (may be NULL) gets the file's identity.
 * Returns: the malloc'd text (the caller frees it before raising anything); raises the error
 * naming `rel` when the file cannot be read or lies outside. */
char *cor__script_read_beside(lua_State *L, const char *fn, const char *rel, size_t max,
                              size_t *len, struct stat *id)
{
    char *data = NULL;
    cor_error_t e = {0};
    check_relative(L, fn, rel);
    const char *file = cor__script_caller_file(L, NULL);
    if (!file)
        luaL_error(L, "%s: no script is running to read beside", fn);
    const char *slash = strrchr(file, '/');
    size_t dirlen = slash ? (size_t)(slash - file) + (slash == file) : 0;
    lua_pushlstring(L, file, dirlen); /* the directory, "" for the working one */
    lua_pushlstring(L, file, slash ? (size_t)(slash - file) + 1 : 0);
    lua_pushstring(L, rel);
    lua_concat(L, 2); /* the path, for messages */
    const char *dir = lua_rawlen(L, -2) ? lua_tostring(L, -2) : ".";
    int fd = cor__open_beneath(dir, rel, &e);
    lua_remove(L, -2);
    if (fd >= 0 && id && fstat(fd, id) != 0)
        memset(id, 0, sizeof *id);
    if (fd < 0 || cor__read_fd(fd, rel, max, &data, len, &e) != COR_OK)
        luaL_error(L, "%s: %s", fn, e.message);
    return data;
}

/* What a row or feature builder needs. Builders run protected, one per record, so that a
 * memory error or a hit limit unwinds no C code of the parsers; it is raised again after. */
typedef struct build_ctx {
    lua_State *L;
    const char *name; /* the file as the script named it */
    int result;       /* stack index of the list being filled */
    lua_Integer n;    /* entries so far */
    int status;       /* the builder's failure; its error object is then on the stack */
    char **header;    /* CSV: column names */
    size_t ncols;
    bool *numeric;           /* CSV: every value of the column so far is a number (or empty) */
    int strings;             /* CSV: stack index of the `strings` option (true or a list), 0 */
    char **fields;           /* CSV: the record being built */
    const cor__feature_t *f; /* GeoJSON: the feature being built */
} build_ctx_t;

/* Runs `builder` protected with the result list and the context. */
static cor_status_t run_builder(build_ctx_t *c, lua_CFunction builder, cor_error_t *err)
{
    lua_pushcfunction(c->L, builder);
    lua_pushvalue(c->L, c->result);
    lua_pushlightuserdata(c->L, c);
    c->status = lua_pcall(c->L, 2, 0, 0);
    if (c->status == LUA_OK)
        return COR_OK;
    return cor__fail(err, COR_ERR_STYLE, "%s: stopped", c->name);
}

/* Raises again what a protected call hit (its error object is on top of the stack). */
int cor__script_raise_again(lua_State *L, int status)
{
    cor__script_rethrow(L, status);
    return lua_error(L);
}

/* Returns: true when `s` is a decimal number as a spreadsheet writes one ("14", "-2.5", "1e5",
 * spaces around allowed), never hexadecimal, infinite or not a number. */
static bool is_number(const char *s)
{
    char *end;
    if (strpbrk(s, "xXnNiI"))
        return false;
    while (*s == ' ')
        s++;
    if (!*s)
        return false;
    double x = strtod(s, &end);
    while (*end == ' ')
        end++;
    return end != s && *end == '\0' && isfinite(x);
}

static int csv_build_row(lua_State *L)
{
    build_ctx_t *c = lua_touserdata(L, 2);
    unsigned long long bytes = 0;
    for (size_t i = 0; i < c->ncols; i++)
        bytes += strlen(c->fields[i]);
    cor__script_charge(L, ELEMENT_COST * (c->ncols + 1) + bytes);
    lua_createtable(L, 0, c->ncols < 1000 ? (int)c->ncols : 0);
    for (size_t i = 0; i < c->ncols; i++) {
        if (!c->fields[i][0])
            continue; /* an empty field is nil */
        c->numeric[i] = c->numeric[i] && is_number(c->fields[i]);
        lua_pushstring(L, c->header[i]);
        lua_pushstring(L, c->fields[i]);
        lua_rawset(L, -3);
    }
    lua_pushvalue(L, 3); /* the rows' metatable */
    lua_setmetatable(L, -2);
    lua_rawseti(L, 1, ++c->n);
    return 0;
}

static void free_header(build_ctx_t *c)
{
    for (size_t i = 0; i < c->ncols; i++)
        free(c->header[i]);
    free(c->header);
    free(c->numeric);
    c->header = NULL;
    c->numeric = NULL;
    c->ncols = 0;
}

static cor_status_t csv_header(build_ctx_t *c, char **fields, size_t n, long line, cor_error_t *err)
{
    if (!(c->header = cor__calloc(n, sizeof *c->header)) ||
        !(c->numeric = cor__calloc(n, sizeof *c->numeric)))
        return cor__fail(err, COR_ERR_NOMEM, "%s: out of memory", c->name);
    for (size_t i = 0; i < n; i++) {
        if (!fields[i][0])
            return cor__fail(err, COR_ERR_DATA, "%s:%ld: column %zu of the header has no name",
                             c->name, line, i + 1);
        for (size_t j = 0; j < i; j++)
            if (strcmp(c->header[j], fields[i]) == 0)
                return cor__fail(err, COR_ERR_DATA,
                                 "%s:%ld: column '%s' appears twice in the header", c->name, line,
                                 fields[i]);
        if (!(c->header[i] = cor__strdup(fields[i])))
            return cor__fail(err, COR_ERR_NOMEM, "%s: out of memory", c->name);
        c->numeric[i] = true;
        c->ncols = i + 1;
    }
    return COR_OK;
}

/* Runs `builder` protected with the result list, the context and the rows' metatable. */
static cor_status_t run_row_builder(build_ctx_t *c, lua_CFunction builder, cor_error_t *err)
{
    lua_pushcfunction(c->L, builder);
    lua_pushvalue(c->L, c->result);
    lua_pushlightuserdata(c->L, c);
    lua_pushvalue(c->L, c->result + 1);
    c->status = lua_pcall(c->L, 3, 0, 0);
    if (c->status == LUA_OK)
        return COR_OK;
    return cor__fail(err, COR_ERR_STYLE, "%s: stopped", c->name);
}

static cor_status_t csv_row(char **fields, size_t n, long line, void *ud, cor_error_t *err)
{
    build_ctx_t *c = ud;
    if (!c->header)
        return csv_header(c, fields, n, line, err);
    if (n != c->ncols)
        return cor__fail(err, COR_ERR_DATA, "%s:%ld: %zu fields where the header has %zu", c->name,
                         line, n, c->ncols);
    c->fields = fields;
    return run_row_builder(c, csv_build_row, err);
}

/* Returns: true when column `name` keeps its text: the option strings = true, or a list that
 * names it. */
static bool keeps_strings(lua_State *L, const build_ctx_t *c, const char *name)
{
    if (!c->strings)
        return false;
    if (lua_type(L, c->strings) == LUA_TBOOLEAN)
        return lua_toboolean(L, c->strings);
    lua_Unsigned n = lua_rawlen(L, c->strings);
    for (lua_Unsigned i = 1; i <= n; i++) {
        lua_rawgeti(L, c->strings, (lua_Integer)i);
        bool hit = lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), name) == 0;
        lua_pop(L, 1);
        if (hit)
            return true;
    }
    return false;
}

/* Turns the values of every column whose values are all numbers (and whose text is not kept)
 * into numbers (run protected: the list at 1, the context at 2). */
static int csv_type_columns(lua_State *L)
{
    build_ctx_t *c = lua_touserdata(L, 2);
    for (size_t k = 0; k < c->ncols; k++) {
        if (!c->numeric[k])
            continue;
        cor__script_charge(L, ELEMENT_COST * (unsigned long long)c->n);
        for (lua_Integer i = 1; i <= c->n; i++) {
            lua_rawgeti(L, 1, i);
            lua_pushstring(L, c->header[k]);
            if (lua_rawget(L, -2) == LUA_TSTRING) {
                lua_stringtonumber(L, lua_tostring(L, -1));
                lua_pushstring(L, c->header[k]);
                lua_insert(L, -2);
                lua_rawset(L, -4);
            }
            lua_settop(L, 3);
        }
    }
    return 0;
}

/* The rows' __index: a column of the file that is empty in this row is nil; any other name is
 * a mistake (a mistyped column would otherwise draw as nothing, silently). Upvalue 1: the
 * file's name; upvalues 2..: its column names. */
static int csv_missing_column(lua_State *L)
{
    char known[512] = "";
    const char *key = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : NULL;
    size_t len = 0;
    cor__nearest_t near;
    cor__nearest_init(&near, key ? key : "");
    for (int i = 2; lua_type(L, lua_upvalueindex(i)) == LUA_TSTRING; i++) {
        const char *col = lua_tostring(L, lua_upvalueindex(i));
        if (key && strcmp(col, key) == 0)
            return 0;
        if (key)
            cor__nearest_offer(&near, col);
        if (len < sizeof known - 1)
            len += (size_t)snprintf(known + len, sizeof known - len, "%s%s", len ? ", " : "", col);
    }
    if (!key)
        return luaL_error(L, "read_csv: %s: rows have only named columns (%s), not %s",
                          lua_tostring(L, lua_upvalueindex(1)), known, luaL_typename(L, 2));
    if (near.best)
        return luaL_error(L, "read_csv: %s has no column '%s' (did you mean '%s'? columns: %s)",
                          lua_tostring(L, lua_upvalueindex(1)), key, near.best, known);
    return luaL_error(L, "read_csv: %s has no column '%s' (columns: %s)",
                      lua_tostring(L, lua_upvalueindex(1)), key, known);
}

/* Sets the rows' metatable (at c->result + 1) to check their column names. */
static int csv_metatable(lua_State *L)
{
    build_ctx_t *c = lua_touserdata(L, 2);
    if (c->ncols > 250)
        return 0; /* more columns than upvalues: no check */
    lua_pushstring(L, c->name);
    for (size_t i = 0; i < c->ncols; i++)
        lua_pushstring(L, c->header[i]);
    lua_pushcclosure(L, csv_missing_column, (int)c->ncols + 1);
    lua_setfield(L, 3, "__index");
    return 0;
}

/* Checks read_csv's options table at index 2 and records where `strings` is. */
static void csv_options(lua_State *L, build_ctx_t *c)
{
    if (lua_isnoneornil(L, 2))
        return;
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, 2)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "read_csv: options are named: { strings = true }, found a %s key",
                       luaL_typename(L, -1));
        if (strcmp(lua_tostring(L, -1), "strings") != 0)
            luaL_error(L,
                       "read_csv: unknown option '%s' (the option is strings = true or a list "
                       "of column names)",
                       lua_tostring(L, -1));
    }
    int t = cor__script_field_at(L, 2, "strings");
    if (t != LUA_TBOOLEAN && t != LUA_TTABLE && t != LUA_TNIL)
        luaL_error(L, "read_csv: strings must be true, false or a list of column names, got %s",
                   lua_typename(L, t));
    c->strings = t == LUA_TNIL ? 0 : lua_gettop(L);
}

/* read_csv(path [, { strings = true | { "col", ... } }]): the rows of a CSV file with a header
 * line, each a table keyed by the column names: numbers for the columns whose every value is a
 * number (unless `strings` keeps them as text), nil for empty fields; reading a column the file
 * does not have is an error naming the file and the nearest column. */
int cor__script_read_csv(lua_State *L)
{
    const char *rel = luaL_checkstring(L, 1);
    size_t len;
    cor_error_t e = {0};
    lua_settop(L, 2);
    luaL_checkstack(L, 12, "read_csv");
    build_ctx_t c = {.L = L, .name = rel, .status = LUA_OK};
    csv_options(L, &c);
    lua_newtable(L);
    c.result = lua_gettop(L);
    lua_createtable(L, 0, 2); /* the rows' metatable, at c.result + 1 */
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    char *data =
        cor__script_read_beside(L, "read_csv", rel, cor__script_of(L)->lim.file_bytes, &len, NULL);
    cor__script_charge_quiet(cor__script_of(L), len / 8);
    cor_status_t st = cor__csv_parse(data, len, rel, csv_row, &c, &e);
    free(data);
    for (size_t k = 0; st == COR_OK && c.status == LUA_OK && k < c.ncols; k++)
        c.numeric[k] = c.numeric[k] && !keeps_strings(L, &c, c.header[k]); /* no error here */
    if (st == COR_OK && c.status == LUA_OK)
        st = run_row_builder(&c, csv_type_columns, &e);
    if (st == COR_OK && c.status == LUA_OK)
        st = run_row_builder(&c, csv_metatable, &e);
    free_header(&c);
    if (c.status != LUA_OK)
        return cor__script_raise_again(L, c.status);
    if (st != COR_OK)
        return luaL_error(L, "read_csv: %s", e.message);
    lua_settop(L, c.result);
    return 1;
}

static void push_position(lua_State *L, const cor__geom_t *g, size_t i)
{
    lua_createtable(L, 2, 0);
    lua_pushnumber(L, g->x[i]);
    lua_rawseti(L, -2, 1);
    lua_pushnumber(L, g->y[i]);
    lua_rawseti(L, -2, 2);
}

/* Pushes the positions of part k as a list. */
static void push_part(lua_State *L, const cor__geom_t *g, size_t k)
{
    size_t a = g->parts[k], b = g->parts[k + 1];
    lua_createtable(L, b - a < 1u << 20 ? (int)(b - a) : 0, 0);
    for (size_t i = a; i < b; i++) {
        push_position(L, g, i);
        lua_rawseti(L, -2, (lua_Integer)(i - a + 1));
    }
}

/* Returns: true when (px, py) lies inside ring k (even-odd). */
static bool ring_contains(const cor__geom_t *g, size_t k, double px, double py)
{
    bool in = false;
    size_t a = g->parts[k], b = g->parts[k + 1];
    for (size_t i = a, j = b - 1; i < b; j = i++) {
        if ((g->y[i] > py) != (g->y[j] > py) &&
            px < (g->x[j] - g->x[i]) * (py - g->y[i]) / (g->y[j] - g->y[i]) + g->x[i])
            in = !in;
    }
    return in;
}

/* Groups the rings of an even-odd polygon as GeoJSON wants them: a ring inside an even number of
 * others is an exterior, one inside an odd number a hole of the ring around it one level up.
 * Fills owner[k] (an exterior owns itself). Returns: the number of exteriors. */
static size_t group_rings(lua_State *L, const cor__geom_t *g, size_t *owner, size_t *depth,
                          cor_bbox_t *box)
{
    size_t nr = g->nparts, outers = 0;
    for (size_t k = 0; k < nr; k++) {
        cor__geom_t ring = {0};
        ring.kind = COR__GEOM_POLYGON;
        ring.x = g->x + g->parts[k];
        ring.y = g->y + g->parts[k];
        ring.npoints = g->parts[k + 1] - g->parts[k];
        box[k] = cor__geom_bbox(&ring);
        depth[k] = 0;
        owner[k] = k;
    }
    for (size_t k = 0; k < nr && nr > 1; k++) {
        double px = g->x[g->parts[k]], py = g->y[g->parts[k]];
        unsigned long long work = 0;
        for (size_t j = 0; j < nr; j++) {
            if (j == k || px < box[j].minx || px > box[j].maxx || py < box[j].miny ||
                py > box[j].maxy)
                continue;
            work += g->parts[j + 1] - g->parts[j];
            depth[k] += ring_contains(g, j, px, py);
        }
        cor__script_charge(L, nr + work);
    }
    for (size_t k = 0; k < nr; k++) {
        if (depth[k] % 2 == 0) {
            outers++;
            continue;
        }
        double px = g->x[g->parts[k]], py = g->y[g->parts[k]];
        for (size_t j = 0; j < nr; j++) {
            if (depth[j] + 1 == depth[k] && px >= box[j].minx && px <= box[j].maxx &&
                py >= box[j].miny && py <= box[j].maxy && ring_contains(g, j, px, py)) {
                owner[k] = j;
                break;
            }
        }
        if (owner[k] == k) /* nothing around it after all: treat it as an exterior */
            outers++;
    }
    return outers;
}

/* Pushes the rings owned by exterior `k` (itself first) as a GeoJSON polygon. */
static void push_polygon(lua_State *L, const cor__geom_t *g, const size_t *owner, size_t k)
{
    lua_Integer n = 0;
    lua_newtable(L);
    push_part(L, g, k);
    lua_rawseti(L, -2, ++n);
    for (size_t j = 0; j < g->nparts; j++) {
        if (j != k && owner[j] == k) {
            push_part(L, g, j);
            lua_rawseti(L, -2, ++n);
        }
    }
}

static void push_polygons(lua_State *L, const cor__geom_t *g)
{
    size_t nr = g->nparts;
    size_t *owner = lua_newuserdatauv(L, nr * 2 * sizeof(size_t) + nr * sizeof(cor_bbox_t), 0);
    size_t *depth = owner + nr;
    cor_bbox_t *box = (cor_bbox_t *)(depth + nr);
    size_t outers = group_rings(L, g, owner, depth, box);
    int scratch = lua_gettop(L);
    lua_createtable(L, 0, 2);
    lua_pushstring(L, outers == 1 ? "Polygon" : "MultiPolygon");
    lua_setfield(L, -2, "type");
    lua_Integer n = 0;
    if (outers != 1)
        lua_newtable(L);
    for (size_t k = 0; k < nr; k++) {
        if (owner[k] != k)
            continue;
        push_polygon(L, g, owner, k);
        if (outers == 1)
            break;
        lua_rawseti(L, -2, ++n);
    }
    lua_setfield(L, -2, "coordinates");
    lua_remove(L, scratch);
}

/* Pushes a GeoJSON geometry table for g: one part gives Point, LineString or Polygon, several
 * the Multi* type. */
static void push_geometry(lua_State *L, const cor__geom_t *g)
{
    bool multi = g->nparts > 1;
    if (g->kind == COR__GEOM_POLYGON) {
        push_polygons(L, g);
        return;
    }
    lua_createtable(L, 0, 2);
    if (g->kind == COR__GEOM_POINT) {
        lua_pushstring(L, multi ? "MultiPoint" : "Point");
        lua_setfield(L, -2, "type");
        if (multi) {
            lua_createtable(L, (int)g->nparts, 0);
            for (size_t k = 0; k < g->nparts; k++) {
                push_position(L, g, g->parts[k]);
                lua_rawseti(L, -2, (lua_Integer)k + 1);
            }
        } else {
            push_position(L, g, 0);
        }
    } else {
        lua_pushstring(L, multi ? "MultiLineString" : "LineString");
        lua_setfield(L, -2, "type");
        if (multi) {
            lua_createtable(L, (int)g->nparts, 0);
            for (size_t k = 0; k < g->nparts; k++) {
                push_part(L, g, k);
                lua_rawseti(L, -2, (lua_Integer)k + 1);
            }
        } else {
            push_part(L, g, 0);
        }
    }
    lua_setfield(L, -2, "coordinates");
}

static int geojson_build_feature(lua_State *L)
{
    build_ctx_t *c = lua_touserdata(L, 2);
    const cor__feature_t *f = c->f;
    cor__script_charge(L, ELEMENT_COST * (f->geom->npoints + f->nfields + 1));
    lua_createtable(L, 0, 3);
    lua_pushliteral(L, "Feature");
    lua_setfield(L, -2, "type");
    push_geometry(L, f->geom);
    lua_setfield(L, -2, "geometry");
    lua_createtable(L, 0, f->nfields < 1000 ? (int)f->nfields : 0);
    for (size_t i = 0; i < f->nfields; i++) {
        if (f->names[i] && f->values[i].type != COR__ATTR_NULL) {
            cor__script_push_attr(L, &f->values[i]);
            lua_setfield(L, -2, f->names[i]);
        }
    }
    lua_setfield(L, -2, "properties");
    lua_rawseti(L, 1, ++c->n);
    return 0;
}

static cor_status_t geojson_feature(const cor__feature_t *f, void *ud, cor_error_t *err)
{
    build_ctx_t *c = ud;
    if (!f->geom || f->geom->nparts == 0)
        return COR_OK;
    c->f = f;
    return run_builder(c, geojson_build_feature, err);
}

/* read_geojson(path): { type = "FeatureCollection", features = { feature, ... } }. */
int cor__script_read_geojson(lua_State *L)
{
    const char *rel = luaL_checkstring(L, 1);
    size_t len;
    cor_error_t e = {0};
    cor__json_t *j = NULL;
    lua_settop(L, 1);
    luaL_checkstack(L, 16, "read_geojson");
    lua_createtable(L, 0, 2);
    lua_pushliteral(L, "FeatureCollection");
    lua_setfield(L, -2, "type");
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "features");
    build_ctx_t c = {.L = L, .name = rel, .result = lua_gettop(L), .status = LUA_OK};
    char *data = cor__script_read_beside(L, "read_geojson", rel, cor__script_of(L)->lim.file_bytes,
                                         &len, NULL);
    cor__script_charge_quiet(cor__script_of(L), len / 8);
    cor_status_t st = cor__json_parse(data, len, rel, &j, &e);
    free(data);
    if (st == COR_OK)
        st = cor__json_each(j, geojson_feature, &c, &e);
    cor__json_close(j);
    if (c.status != LUA_OK)
        return cor__script_raise_again(L, c.status);
    if (st != COR_OK)
        return luaL_error(L, "read_geojson: %s", e.message);
    lua_settop(L, 2);
    return 1;
}
