/* SPDX-License-Identifier: MIT */
/* script_sandbox: the Lua state's limits. An allocator that counts every byte against the memory
 * cap, an instruction budget charged by a count hook and by C work, a wall-clock backstop, and
 * protected calls that turn any failure into one "file:line: what" message. It knows nothing of
 * styles, overlays or files; the safe library and the readers build on it. */
#include "script_internal.h"

#include <ctype.h>
#include <lauxlib.h>
#include <limits.h>
#include <lua.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const cor__script_limits_t cor__script_default_limits = {
    COR__LIM_DEF_SCRIPT_MEMORY, COR__LIM_DEF_SCRIPT_INSTRUCTIONS, COR__LIM_DEF_SCRIPT_SECONDS,
    COR__LIM_DEF_SCRIPT_FILE};

cor__script_t *cor__script_of(lua_State *L)
{
    void *ud = NULL;
    lua_getallocf(L, &ud);
    return ud;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- where things happen, and the limits ---- */

/* Writes "file:line" of a Lua function's current line: the full path for files ("@path"). */
void cor__script_format_where(const lua_Debug *ar, char *buf, size_t n)
{
    const char *src = (ar->source && ar->source[0] == '@') ? ar->source + 1 : ar->short_src;
    snprintf(buf, n, "%s:%d", src, ar->currentline);
}

/* Writes "file:line" of the innermost Lua function on the stack, or "" when there is none.
 * Reads the stack only, so it is safe inside the allocator. */
void cor__script_where(lua_State *L, char *buf, size_t n)
{
    lua_Debug ar;
    buf[0] = '\0';
    for (int level = 0; lua_getstack(L, level, &ar); level++) {
        if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
            cor__script_format_where(&ar, buf, n);
            return;
        }
    }
}

static void format_size(size_t bytes, char *buf, size_t n)
{
    if (bytes % (1u << 20) == 0)
        snprintf(buf, n, "%zu MiB", bytes >> 20);
    else if (bytes % 1024 == 0)
        snprintf(buf, n, "%zu KiB", bytes >> 10);
    else
        snprintf(buf, n, "%zu bytes", bytes);
}

/* Records that a limit was hit at `where`; the message is what every later look reports. */
void cor__script_set_fatal(cor__script_t *sc, fatal_t kind, const char *where)
{
    char what[128], size[32];
    switch (kind) {
    case FATAL_BUDGET:
        snprintf(what, sizeof what, "instruction budget exhausted (endless loop?)");
        break;
    case FATAL_TIME:
        snprintf(what, sizeof what, "time limit of %g s exceeded", sc->lim.seconds);
        break;
    case FATAL_MEMORY:
        format_size(sc->lim.memory, size, sizeof size);
        snprintf(what, sizeof what, "memory limit of %s exceeded", size);
        break;
    default:
        snprintf(what, sizeof what, "the Lua state is closing");
        break;
    }
    if ((!where || !*where) && sc->nframes > 0)
        where = sc->frames[sc->nframes - 1].path;
    if (where && *where)
        snprintf(sc->fatal_msg, sizeof sc->fatal_msg, "%s: %s", where, what);
    else
        snprintf(sc->fatal_msg, sizeof sc->fatal_msg, "%s", what);
    sc->fatal = kind;
}

int cor__script_raise_fatal(lua_State *L, cor__script_t *sc)
{
    lua_pushstring(L, sc->fatal_msg);
    return lua_error(L);
}

/* Returns: true when the error object on top of the stack is a memory error. Lua raises them
 * with status LUA_ERRMEM, the auxiliary library as a plain error; both carry the same string. */
static bool is_memory_error(lua_State *L, int status)
{
    return status == LUA_ERRMEM ||
           (lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), MEMERR) == 0);
}

/* Called after a protected call inside the sandbox failed: limits are not for catching, so a
 * hit limit is raised again past any pcall, xpcall or load. */
void cor__script_rethrow(lua_State *L, int status)
{
    cor__script_t *sc = cor__script_of(L);
    if (!sc->fatal && is_memory_error(L, status))
        cor__script_set_fatal(sc, FATAL_MEMORY, sc->mem_where);
    if (sc->fatal)
        cor__script_raise_fatal(L, sc);
}

static void hook(lua_State *L, lua_Debug *ar)
{
    cor__script_t *sc = cor__script_of(L);
    char where[WHERE_MAX];
    sc->used += sc->hook_count;
    if (!sc->fatal) {
        fatal_t kind = FATAL_NONE;
        if (sc->used > sc->lim.budget)
            kind = FATAL_BUDGET;
        else if (sc->depth > 0 && sc->spent + (now() - sc->call_start) > sc->lim.seconds)
            kind = FATAL_TIME;
        if (kind == FATAL_NONE)
            return;
        where[0] = '\0';
        if (lua_getinfo(L, "Sl", ar) && ar->currentline > 0)
            cor__script_format_where(ar, where, sizeof where);
        else
            cor__script_where(L, where, sizeof where);
        cor__script_set_fatal(sc, kind, where);
    }
    cor__script_raise_fatal(L, sc);
}

/* Makes the hook fire at the next instruction, where it raises the limit that was hit.
 * lua_sethook may be called at any moment, so this is safe inside the allocator. */
static void hurry_hook(cor__script_t *sc)
{
    if (sc->L && sc->hook_count != 1) {
        lua_sethook(sc->L, hook, LUA_MASKCOUNT, 1);
        sc->hook_count = 1;
    }
}

/* Adds C work to the instruction count, hurrying the hook when the budget is gone. */
void cor__script_charge_quiet(cor__script_t *sc, unsigned long long units)
{
    if (units > (unsigned long long)(LLONG_MAX - sc->used))
        sc->used = LLONG_MAX;
    else
        sc->used += (long long)units;
    if (sc->used > sc->lim.budget)
        hurry_hook(sc);
}

/* A big allocation is bulk work (a string copied, a table resized, the collector busy after
 * it): it is charged one instruction per 8 bytes, and it is when the clock is looked at
 * between two hooks, since a few such instructions can take seconds. */
static void charge_bulk(cor__script_t *sc, size_t bytes)
{
    cor__script_charge_quiet(sc, bytes / 8);
    if (sc->depth > 0 && sc->spent + (now() - sc->call_start) > sc->lim.seconds)
        hurry_hook(sc);
}

/* Charges work a C function has done; raises the budget error when it is exhausted. */
void cor__script_charge(lua_State *L, unsigned long long units)
{
    cor__script_t *sc = cor__script_of(L);
    char where[WHERE_MAX];
    cor__script_charge_quiet(sc, units);
    if (!sc->fatal && sc->used > sc->lim.budget) {
        cor__script_where(L, where, sizeof where);
        cor__script_set_fatal(sc, FATAL_BUDGET, where);
    }
    if (sc->fatal)
        cor__script_raise_fatal(L, sc);
}

/* Charges work a C function is about to do, refusing (with an ordinary error) work that the
 * remaining budget cannot pay for, before any of it is done. */
void cor__script_precharge(lua_State *L, double units, const char *what)
{
    cor__script_t *sc = cor__script_of(L);
    double left = (double)sc->lim.budget - (double)sc->used;
    char msg[160];
    if (units > left) {
        snprintf(msg, sizeof msg, "%s: %.0f steps of work would exceed the instruction budget",
                 what, units);
        luaL_error(L, "%s", msg);
    }
    cor__script_charge(L, (unsigned long long)units);
}

/* The allocator: counts every byte against the memory cap and charges big allocations, so
 * that copying huge strings around uses up the budget too. */
static void *sb_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    cor__script_t *sc = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        sc->mem_used -= old;
        return NULL;
    }
    bool grows = nsize > old;
    void *p = (grows && nsize - old > sc->lim.memory - sc->mem_used) ? NULL : realloc(ptr, nsize);
    if (!p) {
        if (grows && sc->L && sc->depth > 0)
            cor__script_where(sc->L, sc->mem_where, sizeof sc->mem_where);
        return NULL;
    }
    sc->mem_used = sc->mem_used - old + nsize;
    if (grows && nsize - old >= BULK_BYTES)
        charge_bulk(sc, nsize - old);
    return p;
}

static int sb_panic(lua_State *L)
{
    (void)L; /* every call into Lua is protected; reaching this is a bug, and Lua aborts */
    return 0;
}

/* ---- error messages ---- */

/* Returns: true when the first line of `m` holds a "name:123:" position. */
static bool has_position(const char *m)
{
    for (const char *p = m; *p && *p != '\n'; p++) {
        if (*p != ':' || !isdigit((unsigned char)p[1]))
            continue;
        const char *q = p + 1;
        while (isdigit((unsigned char)*q))
            q++;
        if (*q == ':')
            return true;
    }
    return false;
}

/* The message handler of every call from C: it runs where the error happened and gives every
 * message a "file:line:" (memory errors and hit limits are left alone). */
int cor__script_msgh(lua_State *L)
{
    cor__script_t *sc = cor__script_of(L);
    char where[WHERE_MAX];
    int t = lua_type(L, 1);
    if (sc->fatal || (t == LUA_TSTRING && strcmp(lua_tostring(L, 1), MEMERR) == 0))
        return 1;
    if (t == LUA_TSTRING && has_position(lua_tostring(L, 1)))
        return 1;
    cor__script_where(L, where, sizeof where);
    if (t == LUA_TSTRING || t == LUA_TNUMBER)
        lua_pushfstring(L, "%s%s%s", where, *where ? ": " : "", lua_tostring(L, 1));
    else
        lua_pushfstring(L, "%s%serror object is a %s value", where, *where ? ": " : "",
                        luaL_typename(L, 1));
    return 1;
}

/* Lua shortens long file names in its messages to "...tail"; this puts the full path back. */
static void fix_source(const cor__script_t *sc, const char *m, char *out, size_t n)
{
    const char *colon = strncmp(m, "...", 3) == 0 ? strchr(m + 3, ':') : NULL;
    while (colon && !isdigit((unsigned char)colon[1]))
        colon = strchr(colon + 1, ':');
    for (size_t i = 0; colon && i < sc->npaths; i++) {
        size_t tail = (size_t)(colon - (m + 3)), lp = strlen(sc->paths[i]);
        if (tail <= lp && memcmp(sc->paths[i] + lp - tail, m + 3, tail) == 0) {
            snprintf(out, n, "%s%s", sc->paths[i], colon);
            return;
        }
    }
    snprintf(out, n, "%s", m);
}

/* Turns the error on top of the stack into err (COR_ERR_STYLE) and pops it. */
cor_status_t cor__script_fail(cor__script_t *sc, int status, cor_error_t *err)
{
    lua_State *L = sc->L;
    char msg[COR_ERROR_MAX];
    if (!sc->fatal && is_memory_error(L, status))
        cor__script_set_fatal(sc, FATAL_MEMORY, sc->mem_where);
    if (sc->fatal)
        snprintf(msg, sizeof msg, "%s", sc->fatal_msg);
    else if (lua_type(L, -1) == LUA_TSTRING)
        fix_source(sc, lua_tostring(L, -1), msg, sizeof msg);
    else
        snprintf(msg, sizeof msg, "%s: error object is a %s value",
                 sc->nframes > 0 ? sc->frames[0].path : "lua", luaL_typename(L, -1));
    lua_pop(L, 1);
    return cor__fail(err, COR_ERR_STYLE, "%s", msg);
}

void cor__script_set_limits(cor__script_t *sc, const cor__script_limits_t *limits)
{
    const cor__script_limits_t *def = &cor__script_default_limits;
    sc->lim = *limits;
    if (sc->lim.memory == 0)
        sc->lim.memory = def->memory;
    if (sc->lim.budget <= 0)
        sc->lim.budget = def->budget;
    if (!(sc->lim.seconds > 0))
        sc->lim.seconds = def->seconds;
    if (sc->lim.file_bytes == 0)
        sc->lim.file_bytes = def->file_bytes;
}

void cor__script_limits_from(const cor__limits_t *m, cor__script_limits_t *out)
{
    *out = (cor__script_limits_t){
        (size_t)m->v[COR__LIM_SCRIPT_MEMORY], (long long)m->v[COR__LIM_SCRIPT_INSTRUCTIONS],
        m->v[COR__LIM_SCRIPT_SECONDS], (size_t)m->v[COR__LIM_SCRIPT_FILE]};
}

void cor__script_renew(cor__script_t *sc)
{
    if (!sc || sc->depth > 0)
        return;
    sc->used = 0;
    sc->spent = 0;
    if (sc->fatal == FATAL_BUDGET || sc->fatal == FATAL_TIME)
        sc->fatal = FATAL_NONE;
}

/* Forgets a memory error of an earlier call: memory is a cap at any moment, not a budget. */
void cor__script_begin_call(cor__script_t *sc)
{
    if (sc->fatal == FATAL_MEMORY)
        sc->fatal = FATAL_NONE;
    sc->mem_where[0] = '\0';
}

/* Calls the function below `nargs` arguments with the limits on. Returns: COR_OK with `nres`
 * results in its place, or the error with the function and arguments gone. */
cor_status_t cor__script_pcall(cor__script_t *sc, int nargs, int nres, cor_error_t *err)
{
    lua_State *L = sc->L;
    int fn = lua_gettop(L) - nargs;
    cor__script_begin_call(sc);
    if (sc->fatal) {
        lua_settop(L, fn - 1);
        return cor__fail(err, COR_ERR_STYLE, "%s", sc->fatal_msg);
    }
    lua_pushcfunction(L, cor__script_msgh);
    lua_insert(L, fn);
    sc->depth++;
    sc->call_start = now();
    int status = lua_pcall(L, nargs, nres, fn);
    sc->spent += now() - sc->call_start;
    sc->depth--;
    lua_remove(L, fn);
    return status == LUA_OK ? COR_OK : cor__script_fail(sc, status, err);
}

cor_status_t cor__script_open_state(const cor__script_limits_t *limits, cor__script_t **out,
                                    cor_error_t *err)
{
    const cor__script_limits_t *def = &cor__script_default_limits;
    cor__script_t *sc = calloc(1, sizeof *sc);
    if (!sc)
        return cor__fail(err, COR_ERR_NOMEM, "out of memory creating the Lua state");
    cor__script_set_limits(sc, limits ? limits : def);
    sc->env_ref = LUA_NOREF;
    sc->L = lua_newstate(sb_alloc, sc);
    if (!sc->L) {
        free(sc);
        return cor__fail(err, COR_ERR_NOMEM, "cannot create the Lua state");
    }
    lua_atpanic(sc->L, sb_panic);
    *out = sc;
    return COR_OK;
}

void cor__script_start_hook(cor__script_t *sc)
{
    sc->hook_count = HOOK_STEP;
    lua_sethook(sc->L, hook, LUA_MASKCOUNT, HOOK_STEP);
}

void cor__script_close_state(cor__script_t *sc)
{
    if (!sc->L)
        return;
    /* No finalizer can be set (setmetatable refuses __gc), so closing runs no script code; if
     * one ran all the same, it would fail at its first instruction. */
    cor__script_set_fatal(sc, FATAL_CLOSED, NULL);
    sc->hook_count = 1;
    lua_sethook(sc->L, hook, LUA_MASKCOUNT, 1);
    lua_close(sc->L);
    sc->L = NULL;
}
