/* SPDX-License-Identifier: MIT */
/* script_safelib: the library sandboxed code sees. Lua's base, string, table, math and utf8
 * functions minus everything that reaches the system (os, io, require, debug, dofile, loadfile,
 * bytecode, finalizers), with every function whose C work grows with its input charged to the
 * budget or refused up front when the budget cannot pay for it. */
#include "script_internal.h"

#include <lauxlib.h>
#include <limits.h>
#include <lua.h>
#include <lualib.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "script_patterns.h"

/* ---- the sandbox's base functions ---- */

/* Calls upvalue 1 (the wrapped library function) with the n arguments on the stack. */
static int call_original(lua_State *L, int n)
{
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, n, LUA_MULTRET);
    return lua_gettop(L);
}

static unsigned long long string_bytes(lua_State *L, int from, int to)
{
    unsigned long long bytes = 0;
    for (int i = from; i <= to; i++)
        if (lua_type(L, i) == LUA_TSTRING)
            bytes += lua_rawlen(L, i);
    return bytes;
}

/* A library function charged one instruction per byte of the strings it takes and returns, so
 * a loop over huge strings exhausts the budget instead of running for minutes. */
static int sb_charged(lua_State *L)
{
    int n = lua_gettop(L);
    cor__script_charge(L, string_bytes(L, 1, n));
    n = call_original(L, n);
    cor__script_charge(L, string_bytes(L, 1, n));
    return n;
}

static void log_append(cor__script_t *sc, const char *s, size_t n)
{
    static const char cut[] = "\n[log truncated]\n";
    if (sc->log_full)
        return;
    if (n > LOG_MAX - sc->log.len) {
        cor__buf_append(&sc->log, s, LOG_MAX - sc->log.len);
        cor__buf_append(&sc->log, cut, sizeof cut - 1);
        sc->log_full = true;
        return;
    }
    cor__buf_append(&sc->log, s, n);
}

/* print(...): like Lua's, into the log the caller reads with cor__script_log(). */
static int sb_print(lua_State *L)
{
    cor__script_t *sc = cor__script_of(L);
    int n = lua_gettop(L);
    for (int i = 1; i <= n; i++) {
        size_t len;
        const char *s = luaL_tolstring(L, i, &len);
        if (i > 1)
            log_append(sc, "\t", 1);
        log_append(sc, s, len);
        lua_pop(L, 1);
    }
    log_append(sc, "\n", 1);
    return 0;
}

/* load(text [, name [, mode [, env]]]): text chunks only, in the sandbox unless env is given. */
static int sb_load(lua_State *L)
{
    cor__script_t *sc = cor__script_of(L);
    size_t len;
    if (lua_type(L, 1) != LUA_TSTRING)
        return luaL_argerror(L, 1,
                             "a string of Lua source expected (the sandbox loads no "
                             "functions or bytecode)");
    const char *text = lua_tolstring(L, 1, &len);
    const char *name = luaL_optstring(L, 2, text);
    bool has_env = !lua_isnone(L, 4);
    cor__script_charge(L, len);
    int status = luaL_loadbufferx(L, text, len, name, "t");
    if (status != LUA_OK) {
        cor__script_rethrow(L, status);
        luaL_pushfail(L);
        lua_insert(L, -2);
        return 2;
    }
    if (has_env)
        lua_pushvalue(L, 4);
    else
        lua_rawgeti(L, LUA_REGISTRYINDEX, sc->env_ref);
    if (!lua_setupvalue(L, -2, 1))
        lua_pop(L, 1);
    return 1;
}

static int sb_pcall(lua_State *L)
{
    luaL_checkany(L, 1);
    int status = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
    if (status != LUA_OK)
        cor__script_rethrow(L, status);
    lua_pushboolean(L, status == LUA_OK);
    lua_insert(L, 1);
    return lua_gettop(L);
}

/* The handler xpcall really installs: limits and memory errors pass untouched, so the user's
 * handler cannot disguise them. */
static int xpcall_handler(lua_State *L)
{
    int t = lua_type(L, 1);
    if (cor__script_of(L)->fatal || (t == LUA_TSTRING && strcmp(lua_tostring(L, 1), MEMERR) == 0))
        return 1;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

static int sb_xpcall(lua_State *L)
{
    int n = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, xpcall_handler, 1);
    lua_replace(L, 2);   /* f, handler, args... */
    lua_pushvalue(L, 1); /* f, handler, args..., f */
    lua_copy(L, 2, 1);   /* handler, handler, args..., f */
    lua_replace(L, 2);   /* handler, f, args... */
    int status = lua_pcall(L, n - 2, LUA_MULTRET, 1);
    if (status != LUA_OK)
        cor__script_rethrow(L, status);
    lua_pushboolean(L, status == LUA_OK);
    lua_replace(L, 1);
    return lua_gettop(L);
}

/* setmetatable(t, mt) refuses a metatable with __gc: Lua runs finalizers with debug hooks
 * off, out of reach of the budget and the clock, at any allocation and when the state closes,
 * so one endless finalizer would hang the host. An __gc added to the metatable later does not
 * mark the table for finalization, so looking at this moment is enough. */
static int sb_setmetatable(lua_State *L)
{
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        bool gc = lua_rawget(L, 2) != LUA_TNIL;
        lua_pop(L, 1);
        if (gc)
            return luaL_error(L, "setmetatable: __gc (finalizers) is not available in the "
                                 "sandbox; release resources explicitly");
    }
    return call_original(L, lua_gettop(L));
}

/* collectgarbage("count") only: collecting costs time the budget does not see, and stopping
 * the collector only brings the memory cap nearer. */
static int sb_collectgarbage(lua_State *L)
{
    const char *opt = luaL_optstring(L, 1, "collect");
    if (strcmp(opt, "count") != 0)
        return luaL_error(
            L, "collectgarbage('%s') is not available in the sandbox (only 'count' is)", opt);
    lua_pushnumber(L, lua_gc(L, LUA_GCCOUNT, 0) + lua_gc(L, LUA_GCCOUNTB, 0) / 1024.0);
    return 1;
}

enum { PAT_FIND, PAT_MATCH, PAT_GMATCH, PAT_GSUB };

static int pattern_call(lua_State *L, int kind)
{
    size_t n, m;
    const char *s = luaL_checklstring(L, 1, &n);
    const char *p = luaL_checklstring(L, 2, &m);
    double cost;
    if (kind == PAT_FIND && (lua_toboolean(L, 4) || !cor__pattern_has_specials(p, m)))
        cost = cor__pattern_plain_cost(s, n, p, m);
    else
        cost = cor__pattern_cost(s, n, p, m, kind != PAT_GMATCH);
    if (kind == PAT_GSUB && lua_type(L, 3) == LUA_TSTRING) {
        double matches = n + 1.0;
        if (lua_type(L, 4) == LUA_TNUMBER && lua_tonumber(L, 4) < matches)
            matches = fmax(lua_tonumber(L, 4), 0.0);
        cost += matches * (double)lua_rawlen(L, 3);
    }
    if (cost > COR__PATTERN_COST_MAX)
        return luaL_error(L,
                          "pattern too costly for a subject of %I bytes: it could backtrack "
                          "for minutes (simplify the pattern or shorten the subject)",
                          (lua_Integer)n);
    cor__script_charge(L, n + m);
    return call_original(L, lua_gettop(L));
}

static int sb_find(lua_State *L)
{
    return pattern_call(L, PAT_FIND);
}
static int sb_match(lua_State *L)
{
    return pattern_call(L, PAT_MATCH);
}
static int sb_gmatch(lua_State *L)
{
    return pattern_call(L, PAT_GMATCH);
}
static int sb_gsub(lua_State *L)
{
    return pattern_call(L, PAT_GSUB);
}

/* string.rep: an empty result returns at once (Lua would loop n times copying nothing) and a
 * result beyond the memory cap fails before copying anything. */
static int sb_rep(lua_State *L)
{
    cor__script_t *sc = cor__script_of(L);
    size_t l, lsep = 0;
    char where[WHERE_MAX];
    luaL_checklstring(L, 1, &l);
    lua_Integer n = luaL_checkinteger(L, 2);
    if (!lua_isnoneornil(L, 3))
        luaL_checklstring(L, 3, &lsep);
    if (n <= 0 || (l == 0 && lsep == 0)) {
        lua_pushliteral(L, "");
        return 1;
    }
    if ((double)n * (double)l + (double)(n - 1) * (double)lsep > (double)sc->lim.memory) {
        cor__script_where(L, where, sizeof where);
        cor__script_set_fatal(sc, FATAL_MEMORY, where);
        return cor__script_raise_fatal(L, sc);
    }
    return sb_charged(L);
}

/* ---- tables: C loops that metamethods or huge ranges could keep busy ---- */

static double span(lua_Integer from, lua_Integer to)
{
    return to < from ? 0.0 : (double)to - (double)from + 1.0;
}

static int sb_concat(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_optlstring(L, 2, "", NULL);
    lua_Integer i = luaL_optinteger(L, 3, 1);
    lua_Integer e = lua_isnoneornil(L, 4) ? luaL_len(L, 1) : luaL_checkinteger(L, 4);
    cor__script_precharge(L, ELEMENT_COST * span(i, e), "table.concat");
    lua_settop(L, 2);
    lua_pushinteger(L, i);
    lua_pushinteger(L, e);
    return call_original(L, 4);
}

static int sb_unpack(lua_State *L)
{
    lua_Integer i = luaL_optinteger(L, 2, 1);
    lua_Integer e = lua_isnoneornil(L, 3) ? luaL_len(L, 1) : luaL_checkinteger(L, 3);
    cor__script_precharge(L, ELEMENT_COST * span(i, e), "table.unpack");
    lua_settop(L, 1);
    lua_pushinteger(L, i);
    lua_pushinteger(L, e);
    return call_original(L, 3);
}

static int sb_move(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_Integer f = luaL_checkinteger(L, 2), e = luaL_checkinteger(L, 3);
    luaL_checkinteger(L, 4);
    cor__script_precharge(L, ELEMENT_COST * span(f, e), "table.move");
    return call_original(L, lua_gettop(L));
}

/* table.insert, written here so that the length is read once and every move is paid for. */
static int sb_insert(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_Integer e = luaL_len(L, 1);
    e = (lua_Integer)((lua_Unsigned)e + 1u); /* the first free slot */
    lua_Integer pos = e;
    switch (lua_gettop(L)) {
    case 2:
        break;
    case 3:
        pos = luaL_checkinteger(L, 2);
        luaL_argcheck(L, (lua_Unsigned)pos - 1u < (lua_Unsigned)e, 2, "position out of bounds");
        cor__script_precharge(L, ELEMENT_COST * span(pos, e), "table.insert");
        for (lua_Integer i = e; i > pos; i--) {
            lua_geti(L, 1, i - 1);
            lua_seti(L, 1, i);
        }
        break;
    default:
        return luaL_error(L, "wrong number of arguments to 'insert'");
    }
    lua_seti(L, 1, pos);
    return 0;
}

/* table.remove, for the same reasons as table.insert. */
static int sb_remove(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_Integer size = luaL_len(L, 1);
    lua_Integer pos = luaL_optinteger(L, 2, size);
    if (pos != size)
        luaL_argcheck(L, (lua_Unsigned)pos - 1u <= (lua_Unsigned)size, 2, "position out of bounds");
    cor__script_precharge(L, ELEMENT_COST * span(pos, size), "table.remove");
    lua_geti(L, 1, pos);
    for (; pos < size; pos++) {
        lua_geti(L, 1, pos + 1);
        lua_seti(L, 1, pos);
    }
    lua_pushnil(L);
    lua_seti(L, 1, pos);
    return 1;
}

/* table.sort: paid for up front; a table with a metatable is sorted as a plain copy, so that a
 * __len that changes its answer cannot make Lua's sort run over a bigger range than was paid. */
static int sb_sort(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_Integer n = luaL_len(L, 1);
    if (n > 1)
        cor__script_precharge(L, ELEMENT_COST * (double)n * (log2((double)n) + 1.0), "table.sort");
    if (!lua_isnoneornil(L, 2))
        luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_settop(L, 2);
    if (!lua_getmetatable(L, 1))
        return call_original(L, 2);
    lua_pop(L, 1);
    luaL_argcheck(L, n < INT_MAX, 1, "array too big");
    lua_createtable(L, n > 0 ? (int)n : 0, 0);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_geti(L, 1, i);
        lua_rawseti(L, 3, i);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushvalue(L, 3);
    lua_pushvalue(L, 2);
    lua_call(L, 2, 0);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, 3, i);
        lua_seti(L, 1, i);
    }
    return 0;
}

/* ---- building the sandbox ---- */

typedef struct wrap {
    const char *name;
    lua_CFunction fn; /* NULL: left out of the sandbox */
} wrap_t;

static const wrap_t string_wraps[] = {
    {"dump", NULL},        {"find", sb_find}, {"match", sb_match},
    {"gmatch", sb_gmatch}, {"gsub", sb_gsub}, {"rep", sb_rep},
};
static const wrap_t table_wraps[] = {
    {"concat", sb_concat}, {"insert", sb_insert}, {"move", sb_move},
    {"remove", sb_remove}, {"sort", sb_sort},     {"unpack", sb_unpack},
};

static const wrap_t *find_wrap(const wrap_t *w, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(w[i].name, name) == 0)
            return &w[i];
    return NULL;
}

/* Sets env[lib] to a copy of the library table `lib` with the wraps applied; functions without
 * a wrap are charged per string byte when `charged`. The original table stays in the registry's
 * _LOADED, out of reach, so Lua's messages still name functions like 'string.sub'. */
static void sandbox_lib(lua_State *L, int env, const char *lib, const wrap_t *w, size_t nw,
                        bool charged)
{
    lua_getglobal(L, lib);
    int orig = lua_gettop(L);
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, orig)) {
        const wrap_t *hit =
            lua_type(L, -2) == LUA_TSTRING ? find_wrap(w, nw, lua_tostring(L, -2)) : NULL;
        if (hit && !hit->fn) {
            lua_pop(L, 1);
            continue;
        }
        if (hit)
            lua_pushcclosure(L, hit->fn, 1);
        else if (charged && lua_type(L, -1) == LUA_TFUNCTION)
            lua_pushcclosure(L, sb_charged, 1);
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, orig + 1);
    }
    lua_setfield(L, env, lib);
    lua_pop(L, 1);
}

static const char *const base_allowed[] = {
    "assert", "error",  "getmetatable", "ipairs", "next",     "pairs", "rawequal",
    "rawget", "rawlen", "rawset",       "select", "tostring", "type",  "_VERSION",
};

static void sandbox_base(lua_State *L, int env)
{
    static const luaL_Reg own[] = {
        {"print", sb_print},
        {"load", sb_load},
        {"pcall", sb_pcall},
        {"xpcall", sb_xpcall},
        {"collectgarbage", sb_collectgarbage},
        {NULL, NULL},
    };
    for (size_t i = 0; i < COR__ARRAY_LEN(base_allowed); i++) {
        lua_getglobal(L, base_allowed[i]);
        lua_setfield(L, env, base_allowed[i]);
    }
    lua_getglobal(L, "tonumber");
    lua_pushcclosure(L, sb_charged, 1);
    lua_setfield(L, env, "tonumber");
    lua_getglobal(L, "setmetatable");
    lua_pushcclosure(L, sb_setmetatable, 1);
    lua_setfield(L, env, "setmetatable");
    lua_pushvalue(L, env);
    luaL_setfuncs(L, own, 0);
    lua_pop(L, 1);
    lua_pushvalue(L, env);
    lua_setfield(L, env, "_G");
}

/* Strings index the sandbox's string table, their arithmetic ("10" + 1, which converts a
 * whole string per instruction) is charged, and their metatable is hidden from getmetatable. */
static void sandbox_string_metatable(lua_State *L, int env)
{
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    int mt = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, mt)) {
        if (lua_type(L, -1) == LUA_TFUNCTION) {
            lua_pushcclosure(L, sb_charged, 1);
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, mt);
        } else {
            lua_pop(L, 1);
        }
    }
    lua_getfield(L, env, "string");
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);
}

/* Opens the libraries and builds the sandbox's global table (run protected). */
int cor__script_safelib_open(lua_State *L)
{
    cor__script_t *sc = lua_touserdata(L, 1);
    static const luaL_Reg libs[] = {
        {LUA_GNAME, luaopen_base},       {LUA_STRLIBNAME, luaopen_string},
        {LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
        {LUA_UTF8LIBNAME, luaopen_utf8},
    };
    for (size_t i = 0; i < COR__ARRAY_LEN(libs); i++) {
        luaL_requiref(L, libs[i].name, libs[i].func, 1);
        lua_pop(L, 1);
    }
    lua_newtable(L);
    int env = lua_gettop(L);
    sandbox_base(L, env);
    sandbox_lib(L, env, LUA_STRLIBNAME, string_wraps, COR__ARRAY_LEN(string_wraps), true);
    sandbox_lib(L, env, LUA_TABLIBNAME, table_wraps, COR__ARRAY_LEN(table_wraps), false);
    sandbox_lib(L, env, LUA_MATHLIBNAME, NULL, 0, false);
    sandbox_lib(L, env, LUA_UTF8LIBNAME, NULL, 0, true);
    sandbox_string_metatable(L, env);
    lua_getfield(L, env, LUA_MATHLIBNAME); /* the same random numbers on every run */
    lua_getfield(L, -1, "randomseed");
    lua_pushinteger(L, 0);
    lua_call(L, 1, 0);
    lua_pop(L, 1);
    sc->env_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}
