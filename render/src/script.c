/* SPDX-License-Identifier: MIT */
/* script: the embedded Lua 5.4, sandboxed: the module's interface. Creates the state with the
 * safe library and the declaration functions, runs style and overlay files (and the files they
 * include or run, at most NEST_MAX deep, without cycles), and evaluates per-feature functions.
 * Lua's types never leave the script_* files. */
#include "script.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <lauxlib.h>
#include <lua.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "script_internal.h"

/* Returns: the file name part of a path. */
static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Raises an error when the file `st` identifies (at `path`) is already running: a cycle. */
static void check_cycle(lua_State *L, cor__script_t *sc, const char *fn, const char *path,
                        const struct stat *st)
{
    char chain[600] = "";
    int from = -1;
    for (int i = 0; i < sc->nframes && from < 0; i++)
        if (sc->frames[i].has_id && sc->frames[i].dev == st->st_dev &&
            sc->frames[i].ino == st->st_ino)
            from = i;
    if (from < 0)
        return;
    for (int i = from; i < sc->nframes; i++) {
        size_t len = strlen(chain);
        snprintf(chain + len, sizeof chain - len, "%s -> ", base_name(sc->frames[i].path));
    }
    luaL_error(L, "%s: include cycle: %s%s", fn, chain, base_name(path));
}

/* Compiles the file text at stack index `text` (its path at `path`) as a text chunk of the
 * sandbox and pushes it. */
static void load_nested(lua_State *L, cor__script_t *sc, const char *fn, int path, int text)
{
    size_t len;
    const char *src = lua_tolstring(L, text, &len);
    lua_pushfstring(L, "@%s", lua_tostring(L, path));
    if (!cor__script_remember_path(sc, lua_tostring(L, path)))
        luaL_error(L, "out of memory");
    if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0)
        src += 3, len -= 3;
    if (len > 0 && src[0] == LUA_SIGNATURE[0])
        luaL_error(L, "%s: %s: precompiled Lua (bytecode) is not accepted", fn,
                   lua_tostring(L, path));
    int status = luaL_loadbufferx(L, src, len, lua_tostring(L, -1), "t");
    if (status != LUA_OK) {
        cor__script_rethrow(L, status);
        lua_error(L);
    }
    lua_remove(L, -2);
    lua_rawgeti(L, LUA_REGISTRYINDEX, sc->env_ref);
    lua_setupvalue(L, -2, 1);
}

/* Runs the file whose path, stem and text are at stack indices 2, 3 and 4 (pushed by
 * push_script_path, `st` its identity) inside the running one: its declarations join the
 * running file's when it succeeds and are dropped when it fails. `group` and `overlay` set its
 * frame. */
static int run_nested(lua_State *L, const char *fn, const struct stat *st, const char *group,
                      bool overlay)
{
    cor__script_t *sc = cor__script_of(L);
    frame_t *parent = cor__script_top_frame(sc);
    const char *path = lua_tostring(L, 2);
    if (sc->nframes > NEST_MAX)
        return luaL_error(L, "%s: files nest more than %d deep", fn, NEST_MAX);
    check_cycle(L, sc, fn, path, st);
    lua_pushcfunction(L, cor__script_msgh);
    int h = lua_gettop(L);
    load_nested(L, sc, fn, 2, 4);
    /* nothing below may raise an error until the frame is gone again */
    if (!cor__script_push_frame(sc, path, group, overlay,
                                parent->order_base + parent->style.nlayers, st))
        return luaL_error(L, "out of memory");
    int status = lua_pcall(L, 0, 0, h);
    bool merged = status == LUA_OK && cor__script_merge_frame(parent, cor__script_top_frame(sc));
    cor__script_pop_frame(sc);
    if (status != LUA_OK)
        return cor__script_raise_again(L, status);
    if (!merged)
        return luaL_error(L, "out of memory");
    lua_settop(L, h - 1);
    return 0;
}

/* Returns: true when `s` is a plain name (letters, digits, '_' and '-'). */
static bool plain_name(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
            return false;
    return true;
}

/* Pushes the string at the light userdata 1 of length 2 (run protected). */
static int push_text(lua_State *L)
{
    lua_pushlstring(L, lua_touserdata(L, 1), (size_t)lua_tointeger(L, 2));
    return 1;
}

/* Reads a file of the data directory (trusted: symbolic links there are the installer's).
 * Returns: the malloc'd text; raises naming the file when it cannot be read. */
static char *read_shipped(lua_State *L, const char *fn, const char *path, size_t *len,
                          struct stat *id)
{
    char *data = NULL;
    cor_error_t e = {0};
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0 && fstat(fd, id) != 0)
        memset(id, 0, sizeof *id);
    if (fd < 0)
        cor__fail(&e, COR_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    if (fd < 0 ||
        cor__read_fd(fd, path, cor__script_of(L)->lim.file_bytes, &data, len, &e) != COR_OK)
        luaL_error(L, "%s: %s", fn, e.message);
    return data;
}

/* For the argument of include or overlay, a path to a .lua file beside the calling script or
 * a plain name looked up in <data_dir>/<subdir>/<name>.lua, pushes the file's path, its stem
 * (the name, or the file name without ".lua") and its text; `id` gets its identity. */
static void push_script_path(lua_State *L, const char *fn, const char *subdir, struct stat *id)
{
    cor__script_t *sc = cor__script_of(L);
    size_t len, tlen = 0;
    char *text;
    if (lua_gettop(L) != 1 || lua_type(L, 1) != LUA_TSTRING)
        luaL_error(L, "%s takes one name or path: %s \"name\"", fn, fn);
    const char *arg = lua_tolstring(L, 1, &len);
    if (strchr(arg, '/') || (len > 4 && strcmp(arg + len - 4, ".lua") == 0)) {
        const char *b = base_name(arg);
        size_t bl = strlen(b);
        lua_pushlstring(L, b, bl > 4 && strcmp(b + bl - 4, ".lua") == 0 ? bl - 4 : bl);
        text = cor__script_read_beside(L, fn, arg, sc->lim.file_bytes, &tlen, id);
        lua_insert(L, -2); /* path, stem */
    } else {
        if (!plain_name(arg) || len > 128)
            luaL_error(L,
                       "%s: '%s' is neither a name (letters, digits, '_' and '-') nor a path "
                       "to a .lua file",
                       fn, arg);
        if (!sc->data_dir)
            luaL_error(L,
                       "%s: no data directory is set, so '%s' cannot be found (give a path to "
                       "a .lua file)",
                       fn, arg);
        lua_pushfstring(L, "%s/%s/%s.lua", sc->data_dir, subdir, arg);
        if (!cor__is_file(lua_tostring(L, -1)))
            luaL_error(L, "%s: no %s named '%s' (looked for %s)", fn,
                       strcmp(fn, "overlay") == 0 ? "overlay" : "style", arg, lua_tostring(L, -1));
        lua_pushvalue(L, 1);
        text = read_shipped(L, fn, lua_tostring(L, -2), &tlen, id);
    }
    /* the text moves into Lua (under the memory cap) so that nothing below can leak it */
    lua_pushcfunction(L, push_text);
    lua_pushlightuserdata(L, text);
    lua_pushinteger(L, (lua_Integer)tlen);
    int status = lua_pcall(L, 2, 1, 0);
    free(text);
    if (status != LUA_OK)
        cor__script_raise_again(L, status);
}

/* overlay "potash" or overlay "my/overlay.lua": runs an overlay file; what it declares joins
 * the group named after it unless it says otherwise. */
static int sb_overlay(lua_State *L)
{
    cor__script_t *sc = cor__script_of(L);
    struct stat id;
    if (sc->nframes == 0)
        return luaL_error(L, "overlay can only be used while a style or overlay file runs");
    if (!sc->target)
        return luaL_error(L, "overlay: overlays are not available here");
    push_script_path(L, "overlay", "geodata/overlays", &id);
    return run_nested(L, "overlay", &id, lua_tostring(L, 3), true);
}

/* include "default" or include "base.lua": runs a style file as part of the running one. */
static int sb_include(lua_State *L)
{
    cor__script_t *sc = cor__script_of(L);
    struct stat id;
    if (sc->nframes == 0)
        return luaL_error(L, "include can only be used while a style or overlay file runs");
    push_script_path(L, "include", "styles", &id);
    frame_t *fr = cor__script_top_frame(sc);
    return run_nested(L, "include", &id, fr->group, fr->overlay);
}

/* ---- the module's interface ---- */

/* The declaration functions and data helpers, added to the sandbox's globals (run
 * protected). */
static int register_api(lua_State *L)
{
    static const luaL_Reg api[] = {
        {"map", cor__script_map},
        {"layer", cor__script_layer},
        {"route", cor__script_route},
        {"flow", cor__script_flow},
        {"marker", cor__script_marker},
        {"area", cor__script_area},
        {"callout", cor__script_callout},
        {"hide", cor__script_hide},
        {"overlay", sb_overlay},
        {"include", sb_include},
        {"read_csv", cor__script_read_csv},
        {"read_geojson", cor__script_read_geojson},
        {NULL, NULL},
    };
    cor__script_t *sc = lua_touserdata(L, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, sc->env_ref);
    luaL_setfuncs(L, api, 0);
    return 0;
}

cor_status_t cor__script_new(const cor__script_limits_t *limits, cor__script_t **out,
                             cor_error_t *err)
{
    cor__script_t *sc = NULL;
    cor_status_t st = cor__script_open_state(limits, &sc, err);
    if (st != COR_OK)
        return st;
    lua_pushcfunction(sc->L, cor__script_safelib_open);
    lua_pushlightuserdata(sc->L, sc);
    bool ok = lua_pcall(sc->L, 1, 0, 0) == LUA_OK;
    lua_pushcfunction(sc->L, register_api);
    lua_pushlightuserdata(sc->L, sc);
    ok = ok && lua_pcall(sc->L, 1, 0, 0) == LUA_OK;
    if (!ok) {
        cor__script_free(sc);
        return cor__fail(err, COR_ERR_NOMEM,
                         "cannot set up the Lua sandbox (memory limit too low?)");
    }
    cor__script_start_hook(sc);
    *out = sc;
    return COR_OK;
}

void cor__script_free(cor__script_t *sc)
{
    if (!sc)
        return;
    while (sc->nframes > 0)
        cor__script_pop_frame(sc);
    cor__script_scratch_reset(sc);
    cor__script_close_state(sc);
    for (size_t i = 0; i < sc->npaths; i++)
        free(sc->paths[i]);
    free(sc->paths);
    free(sc->data_dir);
    cor__buf_free(&sc->log);
    free(sc);
}

void cor__script_set_overlays(cor__script_t *sc, cor__overlays_t *ov)
{
    if (sc)
        sc->target = ov;
}

void cor__script_set_data_dir(cor__script_t *sc, const char *dir)
{
    if (!sc)
        return;
    free(sc->data_dir);
    sc->data_dir = dir && *dir ? cor__strdup(dir) : NULL;
    for (size_t n = sc->data_dir ? strlen(sc->data_dir) : 0; n > 1 && sc->data_dir[n - 1] == '/';)
        sc->data_dir[--n] = '\0';
}

const char *cor__script_log(const cor__script_t *sc)
{
    return (sc && sc->log.data) ? sc->log.data : "";
}

int cor__script_stack_depth(const cor__script_t *sc)
{
    return sc ? lua_gettop(sc->L) : 0;
}

/* Loads and runs the chunk of the file in frames[0]. */
static cor_status_t run_chunk(cor__script_t *sc, const char *path, const char *text, size_t len,
                              cor_error_t *err)
{
    char *chunkname = cor__asprintf("@%s", path);
    if (!chunkname)
        return cor__fail(err, COR_ERR_NOMEM, "out of memory");
    cor__script_begin_call(sc);
    int status = luaL_loadbufferx(sc->L, text, len, chunkname, "t");
    free(chunkname);
    if (status != LUA_OK)
        return cor__script_fail(sc, status, err);
    lua_rawgeti(sc->L, LUA_REGISTRYINDEX, sc->env_ref);
    lua_setupvalue(sc->L, -2, 1);
    return cor__script_pcall(sc, 0, 0, err);
}

/* Runs a style (overlay false) or overlay text named `path`; see cor__script_run_style. */
static cor_status_t run_text(cor__script_t *sc, const char *path, const char *text, size_t len,
                             cor__style_t *style, bool overlay, cor_error_t *err)
{
    char *stem = NULL;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) /* a UTF-8 byte order mark */
        text += 3, len -= 3;
    if (len > 0 && text[0] == LUA_SIGNATURE[0])
        return cor__fail(err, COR_ERR_STYLE,
                         "%s: precompiled Lua (bytecode) is not accepted; "
                         "%s files must be Lua source text",
                         path, overlay ? "overlay" : "style");
    if (overlay) {
        const char *b = base_name(path);
        size_t bl = strlen(b);
        stem = cor__strndup(b, bl > 4 && cor__ends_with_ci(b, ".lua") ? bl - 4 : bl);
    }
    if ((overlay && !stem) || !cor__script_remember_path(sc, path) ||
        !cor__script_push_frame(sc, path, stem, overlay, style->nlayers, NULL)) {
        free(stem);
        return cor__fail(err, COR_ERR_NOMEM, "out of memory");
    }
    free(stem);
    cor_status_t st = run_chunk(sc, path, text, len, err);
    if (st == COR_OK && !cor__script_deliver(sc, style))
        st = cor__fail(err, COR_ERR_NOMEM, "out of memory");
    while (sc->nframes > 0)
        cor__script_pop_frame(sc);
    cor__script_scratch_reset(sc);
    return st;
}

/* Runs a style (overlay false) or overlay file; see cor__script_run_style. */
static cor_status_t run_file(cor__script_t *sc, const char *path, cor__style_t *style, bool overlay,
                             cor_error_t *err)
{
    char *data = NULL;
    size_t len = 0;
    if (!sc || !path || !style || sc->nframes > 0)
        return cor__fail(err, COR_ERR_INTERNAL, "script: bad arguments to run a file");
    cor_status_t st = cor__read_file(path, sc->lim.file_bytes, &data, &len, err);
    if (st == COR_ERR_LIMIT)
        cor__limit_hint(err, COR__LIM_SCRIPT_FILE);
    if (st == COR_OK)
        st = run_text(sc, path, data, len, style, overlay, err);
    free(data);
    return st;
}

cor_status_t cor__script_run_text(cor__script_t *sc, const char *name, const char *text, size_t len,
                                  bool overlay, cor__style_t *style, cor_error_t *err)
{
    if (!sc || !name || !text || !style || sc->nframes > 0)
        return cor__fail(err, COR_ERR_INTERNAL, "script: bad arguments to run a text");
    if (len > sc->lim.file_bytes)
        return cor__fail(err, COR_ERR_LIMIT,
                         "%s: %zu bytes, above the %zu byte limit for a %s; raise the limit with "
                         "--limit script-file=N (cor_map_set_limit)",
                         name, len, sc->lim.file_bytes, overlay ? "overlay" : "style");
    return run_text(sc, name, text, len, style, overlay, err);
}

cor_status_t cor__script_run_style(cor__script_t *sc, const char *path, cor__style_t *style,
                                   cor_error_t *err)
{
    return run_file(sc, path, style, false, err);
}

cor_status_t cor__script_run_overlay(cor__script_t *sc, const char *path, cor__style_t *style,
                                     cor_error_t *err)
{
    return run_file(sc, path, style, true, err);
}

typedef struct eval_args {
    const cor__prop_t *prop;
    const cor__feature_t *f;
    cor__pval_t *out;
} eval_args_t;

/* Runs protected: calls the property's function with the feature and converts the result. */
static int eval_body(lua_State *L)
{
    eval_args_t *a = lua_touserdata(L, 1);
    char why[160], where[WHERE_MAX];
    lua_Debug ar;
    if (lua_rawgeti(L, LUA_REGISTRYINDEX, a->prop->ref) != LUA_TFUNCTION)
        return luaL_error(L, "a style function was evaluated by a Lua state that did not load it");
    lua_pushvalue(L, -1);
    cor__script_push_feature(L, a->f);
    lua_call(L, 1, 1);
    if (cor__script_to_pval(L, -1, a->out, why, sizeof why))
        return 0;
    lua_pushvalue(L, 2);
    lua_getinfo(L, ">S", &ar);
    ar.currentline = ar.linedefined;
    cor__script_format_where(&ar, where, sizeof where);
    return luaL_error(L, "%s: the function returned %s", where, why);
}

cor_status_t cor__script_eval(void *ctx, const cor__prop_t *prop, const cor__feature_t *f,
                              cor__pval_t *out, cor_error_t *err)
{
    cor__script_t *sc = ctx;
    eval_args_t a = {prop, f, out};
    if (!sc || !prop || !out)
        return cor__fail(err, COR_ERR_INTERNAL, "script: bad arguments to evaluate");
    memset(out, 0, sizeof *out);
    if (!prop->dynamic) {
        *out = prop->val;
        out->str = NULL;
        if (prop->val.str && !(out->str = cor__strdup(prop->val.str)))
            return cor__fail(err, COR_ERR_NOMEM, "out of memory");
        return COR_OK;
    }
    lua_pushcfunction(sc->L, eval_body);
    lua_pushlightuserdata(sc->L, &a);
    cor_status_t st = cor__script_pcall(sc, 1, 0, err);
    if (st != COR_OK)
        cor__pval_clear(out);
    return st;
}

/* Sets or clears the sandbox's global `atlas` (run protected). */
static int set_atlas_body(lua_State *L)
{
    const cor__feature_t *f = lua_touserdata(L, 1);
    cor__script_t *sc = lua_touserdata(L, 2);
    lua_rawgeti(L, LUA_REGISTRYINDEX, sc->env_ref);
    if (f)
        cor__script_push_feature(L, f);
    else
        lua_pushnil(L);
    lua_setfield(L, -2, "atlas");
    return 0;
}

cor_status_t cor__script_set_atlas(cor__script_t *sc, const cor__feature_t *f, cor_error_t *err)
{
    if (!sc)
        return cor__fail(err, COR_ERR_INTERNAL, "script: no state to set the atlas feature in");
    lua_pushcfunction(sc->L, set_atlas_body);
    lua_pushlightuserdata(sc->L, (void *)f);
    lua_pushlightuserdata(sc->L, sc);
    return cor__script_pcall(sc, 2, 0, err);
}
