/* SPDX-License-Identifier: MIT */
/* script_values: values between Lua and C. Converts what style functions return into property
 * values, pushes a feature's attributes as the table a style function receives, and reads the
 * fields of declaration tables (raw, so no metamethod runs) with one message per mistake:
 * unknown keys with a suggestion, wrong types, numbers out of range, choices. */
#include "script_internal.h"

#include <ctype.h>
#include <lauxlib.h>
#include <lua.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suggest.h"

/* ---- values between Lua and C ---- */

static bool to_list(lua_State *L, int idx, cor__pval_t *v, char *why, size_t n)
{
    lua_Unsigned len = lua_rawlen(L, idx);
    int keys = 0;
    lua_pushnil(L);
    while (keys <= COR__LIST_MAX && lua_next(L, idx)) {
        lua_pop(L, 1);
        keys++;
    }
    if (keys > COR__LIST_MAX)
        lua_pop(L, 1);
    if (len > COR__LIST_MAX || (lua_Unsigned)keys != len) {
        snprintf(why, n, "a table that is not a list of up to %d numbers", COR__LIST_MAX);
        return false;
    }
    for (int i = 0; i < (int)len; i++) {
        int t = lua_rawgeti(L, idx, i + 1);
        v->list[i] = lua_tonumber(L, -1);
        lua_pop(L, 1);
        if (t != LUA_TNUMBER) {
            snprintf(why, n, "a list with a %s in it (numbers expected)", lua_typename(L, t));
            return false;
        }
    }
    v->type = COR__PV_LIST;
    v->nlist = (int)len;
    return true;
}

/* Converts the Lua value at idx into *v (zeroed first). Returns: false with a description of
 * the value in `why` when no property can hold it. */
bool cor__script_to_pval(lua_State *L, int idx, cor__pval_t *v, char *why, size_t n)
{
    size_t len;
    const char *s;
    idx = lua_absindex(L, idx);
    memset(v, 0, sizeof *v);
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
        return true;
    case LUA_TBOOLEAN:
        v->type = COR__PV_BOOL;
        v->b = lua_toboolean(L, idx);
        return true;
    case LUA_TNUMBER:
        v->type = COR__PV_NUMBER;
        v->num = lua_tonumber(L, idx);
        return true;
    case LUA_TSTRING:
        s = lua_tolstring(L, idx, &len);
        if (!(v->str = cor__strndup(s, len))) {
            snprintf(why, n, "a string, and memory ran out");
            return false;
        }
        v->type = COR__PV_STRING;
        return true;
    case LUA_TTABLE:
        return to_list(L, idx, v, why, n);
    default:
        snprintf(why, n, "a %s", luaL_typename(L, idx));
        return false;
    }
}

void cor__script_push_attr(lua_State *L, const cor__attr_t *a)
{
    switch (a->type) {
    case COR__ATTR_STRING:
        lua_pushstring(L, a->str ? a->str : "");
        break;
    case COR__ATTR_BOOL:
        lua_pushboolean(L, a->b);
        break;
    case COR__ATTR_NUMBER:
        if (a->num == floor(a->num) && a->num >= -0x1p63 && a->num < 0x1p63)
            lua_pushinteger(L, (lua_Integer)a->num);
        else
            lua_pushnumber(L, a->num);
        break;
    default:
        lua_pushnil(L);
        break;
    }
}

static const char *geometry_name(const cor__feature_t *f)
{
    switch (f->geom ? f->geom->kind : COR__GEOM_NONE) {
    case COR__GEOM_POINT:
        return "point";
    case COR__GEOM_LINE:
        return "line";
    case COR__GEOM_POLYGON:
        return "polygon";
    default:
        return NULL;
    }
}

/* Pushes the table a style function receives: every attribute under its lower-case name and
 * then under its own name (which wins), and `geometry`. */
void cor__script_push_feature(lua_State *L, const cor__feature_t *f)
{
    size_t nf = f ? f->nfields : 0;
    lua_createtable(L, 0, nf < 1000 ? (int)(2 * nf + 1) : 0);
    for (size_t i = 0; i < nf; i++) {
        char lower[128];
        const char *name = f->names[i];
        size_t len = name ? strlen(name) : 0, j;
        if (len == 0 || len >= sizeof lower)
            continue;
        for (j = 0; j <= len; j++)
            lower[j] = (char)tolower((unsigned char)name[j]);
        if (strcmp(lower, name) != 0) {
            cor__script_push_attr(L, &f->values[i]);
            lua_setfield(L, -2, lower);
        }
    }
    for (size_t i = 0; i < nf; i++) {
        if (f->names[i] && f->names[i][0]) {
            cor__script_push_attr(L, &f->values[i]);
            lua_setfield(L, -2, f->names[i]);
        }
    }
    const char *g = f ? geometry_name(f) : NULL;
    if (g) {
        lua_pushstring(L, g);
        lua_setfield(L, -2, "geometry");
    }
}

static const char *keyset_get(const keyset_t *ks, size_t i)
{
    if (ks->table)
        return cor__mapkey_name(ks->table, i);
    if (i < ks->nkeys)
        return ks->keys[i];
    return ks->props ? cor__prop_name((cor__prop_id_t)(i - ks->nkeys)) : NULL;
}

/* Returns: the known key closest to `key`, or NULL when none is close. */
static const char *suggest(const keyset_t *ks, const char *key)
{
    cor__nearest_t near;
    const char *cand;
    cor__nearest_init(&near, key);
    for (size_t i = 0; (cand = keyset_get(ks, i)) != NULL; i++)
        cor__nearest_offer(&near, cand);
    return near.best;
}

bool cor__script_key_known(const keyset_t *ks, const char *key)
{
    const char *cand;
    for (size_t i = 0; (cand = keyset_get(ks, i)) != NULL; i++)
        if (strcmp(cand, key) == 0)
            return true;
    return false;
}

/* Raises an error for the first (in byte order, so messages do not depend on Lua's hashing)
 * unknown key of the table at `idx`, with a suggestion when one is close. With `list`, the
 * integer keys 1..#t are the table's list part (route{}'s places) and are allowed. */
void cor__script_check_keys(lua_State *L, int idx, const keyset_t *ks, bool list)
{
    char unknown[64] = "";
    bool have = false;
    lua_Unsigned nlist = list ? lua_rawlen(L, idx) : 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING) {
            if (list && lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 1 &&
                (lua_Unsigned)lua_tointeger(L, -1) <= nlist)
                continue;
            if (list)
                luaL_error(L,
                           "%s{} takes a list of places and named keys, found a %s key "
                           "outside the list",
                           ks->what, luaL_typename(L, -1));
            luaL_error(L, "%s{} takes named keys only (key = value), found a %s key", ks->what,
                       luaL_typename(L, -1));
        }
        const char *key = lua_tostring(L, -1);
        if (!cor__script_key_known(ks, key) && (!have || strcmp(key, unknown) < 0)) {
            snprintf(unknown, sizeof unknown, "%s", key);
            have = true;
        }
    }
    if (!have)
        return;
    const char *hint = suggest(ks, unknown);
    if (hint)
        luaL_error(L, "unknown key '%s' in %s{} (did you mean '%s'?)", unknown, ks->what, hint);
    luaL_error(L, "unknown key '%s' in %s{}", unknown, ks->what);
}

/* Pushes t[key] of the table at `idx` (raw) and returns its type. */
int cor__script_field_at(lua_State *L, int idx, const char *key)
{
    idx = lua_absindex(L, idx);
    lua_pushstring(L, key);
    return lua_rawget(L, idx);
}

/* Pushes t[key] of the table at index 1 (raw) and returns its type. */
int cor__script_field(lua_State *L, const char *key)
{
    return cor__script_field_at(L, 1, key);
}

/* luaL_error with the C library's formats (luaL_error knows no %g). Never returns. */
int cor__script_errorf(lua_State *L, const char *fmt, ...) COR__PRINTF(2, 3);
int cor__script_errorf(lua_State *L, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return luaL_error(L, "%s", msg);
}

char *cor__script_strdup(lua_State *L, const char *s)
{
    char *d = cor__strdup(s ? s : "");
    if (!d)
        luaL_error(L, "out of memory");
    return d;
}

/* Reads an optional string field of the table at `idx` into *dst, replacing what it held.
 * Returns: true when present. */
bool cor__script_read_string_at(lua_State *L, int idx, const char *key, char **dst)
{
    size_t len;
    int t = cor__script_field_at(L, idx, key);
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return false;
    }
    if (t != LUA_TSTRING)
        luaL_error(L, "%s must be a string, got %s", key, lua_typename(L, t));
    const char *s = lua_tolstring(L, -1, &len);
    char *copy = cor__strndup(s, len);
    if (!copy)
        luaL_error(L, "out of memory");
    free(*dst);
    *dst = copy;
    lua_pop(L, 1);
    return true;
}

bool cor__script_read_string(lua_State *L, const char *key, char **dst)
{
    return cor__script_read_string_at(L, 1, key, dst);
}

/* Reads an optional string field that must not be empty when given. */
bool cor__script_read_name(lua_State *L, int idx, const char *key, char **dst)
{
    if (!cor__script_read_string_at(L, idx, key, dst))
        return false;
    if (!(*dst)[0])
        luaL_error(L, "%s must not be empty", key);
    return true;
}

/* Reads an optional finite number field of the table at `idx`. Returns: true when present. */
bool cor__script_read_number_at(lua_State *L, int idx, const char *key, double *dst)
{
    int t = cor__script_field_at(L, idx, key);
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return false;
    }
    if (t != LUA_TNUMBER)
        luaL_error(L, "%s must be a number, got %s", key, lua_typename(L, t));
    double x = lua_tonumber(L, -1);
    if (!isfinite(x))
        luaL_error(L, "%s must be a finite number", key);
    *dst = x;
    lua_pop(L, 1);
    return true;
}

bool cor__script_read_number(lua_State *L, const char *key, double *dst)
{
    return cor__script_read_number_at(L, 1, key, dst);
}

/* Reads an optional number in lo..hi (hi may be HUGE_VAL). Returns: true when present. */
bool cor__script_read_ranged(lua_State *L, int idx, const char *key, double lo, double hi,
                             const char *unit, double *dst)
{
    double x;
    if (!cor__script_read_number_at(L, idx, key, &x))
        return false;
    if (!(x >= lo && x <= hi)) {
        if (isinf(hi))
            cor__script_errorf(L, "%s: %g is out of range (%g or more%s)", key, x, lo, unit);
        cor__script_errorf(L, "%s: %g is out of range (%g to %g%s)", key, x, lo, hi, unit);
    }
    *dst = x;
    return true;
}

/* Reads an optional boolean field. Returns: true when present. */
bool cor__script_read_bool(lua_State *L, int idx, const char *key, bool *dst)
{
    int t = cor__script_field_at(L, idx, key);
    if (t != LUA_TNIL && t != LUA_TBOOLEAN)
        luaL_error(L, "%s must be true or false, got %s", key, lua_typename(L, t));
    if (t == LUA_TBOOLEAN)
        *dst = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return t == LUA_TBOOLEAN;
}

/* Reads an optional string field that must be one of `names` (any ASCII case).
 * Returns: true with its index in *dst when present. */
bool cor__script_read_choice(lua_State *L, int idx, const char *key, const char *const *names,
                             int n, int *dst)
{
    char list[256] = "";
    int t = cor__script_field_at(L, idx, key);
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return false;
    }
    for (int i = 0; t == LUA_TSTRING && i < n; i++) {
        if (cor__strcasecmp(lua_tostring(L, -1), names[i]) == 0) {
            *dst = i;
            lua_pop(L, 1);
            return true;
        }
    }
    for (int i = 0; i < n; i++) {
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s\"%s\"",
                 i == 0       ? ""
                 : i == n - 1 ? " or "
                              : ", ",
                 names[i]);
    }
    if (t == LUA_TSTRING)
        luaL_error(L, "%s must be %s, got '%s'", key, list, lua_tostring(L, -1));
    luaL_error(L, "%s must be %s, got %s", key, list, lua_typename(L, t));
    return false;
}

/* Reads n numbers from the list on top of the stack, or returns false when it is not one. */
bool cor__script_read_numbers(lua_State *L, double *out, int n)
{
    if (lua_type(L, -1) != LUA_TTABLE || lua_rawlen(L, -1) != (lua_Unsigned)n)
        return false;
    for (int i = 0; i < n; i++) {
        int t = lua_rawgeti(L, -1, i + 1);
        out[i] = lua_tonumber(L, -1);
        lua_pop(L, 1);
        if (t != LUA_TNUMBER || !isfinite(out[i]))
            return false;
    }
    return true;
}
