/* script: the embedded Lua 5.4, sandboxed. It runs style and overlay files that declare map{},
 * layer{} and the story overlays (route{}, flow{}, marker{}, area{}, callout{}) into a
 * cor__style_t and a cor__overlays_t, gives them read-only data helpers (read_csv, read_geojson)
 * confined to the script's directory, and evaluates the per-feature functions they contain.
 * Sandboxed code sees no os, io, require, package, debug, coroutine, dofile/loadfile or
 * bytecode; it runs under an instruction budget, a time limit and a memory cap, and its print()
 * goes to a log: this module never writes to stdout or stderr. Lua's types never leave it. */
#include "script.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <lauxlib.h>
#include <limits.h>
#include <lua.h>
#include <lualib.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "csv.h"
#include "source_json.h"
#include "util.h"

const cor__script_limits_t cor__script_default_limits = {64u << 20, 200000000LL, 10.0};

/* VM instructions between two looks at the limits: small, since one instruction on a 30 MB
 * string (a comparison, a table key) can take 30 ms. */
#define HOOK_STEP        100
#define STYLE_FILE_MAX   (16u << 20)  /* bytes of a style file */
#define LOG_MAX          (256u << 10) /* bytes of print() output kept */
#define PATTERN_COST_MAX 3e8          /* matcher steps (about 4 ns each) a pattern call may take */
#define ELEMENT_COST     10          /* instructions charged per table element a C function moves */
#define BULK_BYTES       (64u << 10) /* allocations from this size on are charged and timed */
#define WHERE_MAX        512
#define MEMERR           "not enough memory" /* the error object of every Lua memory error */
#define NEST_MAX         8           /* files an include or overlay may nest below the first */
#define DATA_FILE_MAX    (16u << 20) /* bytes of a file read_csv or read_geojson reads */
#define PLACES_MAX       100000      /* places in one route, flow (via) or area */
/* layers of overlay files and source areas draw from here: above the style's, below quick-look
 * layers (1e9 on) */
#define OVERLAY_ORDER 1e8

typedef enum fatal {
    FATAL_NONE = 0,
    FATAL_BUDGET,
    FATAL_TIME,
    FATAL_MEMORY,
    FATAL_CLOSED,
} fatal_t;

/* A file being run. */
typedef struct frame {
    char *path;
    char *dir;
    char *group;  /* the group of the overlays declared here that set none; NULL: none */
    bool overlay; /* an overlay file: no map{}, and its layers draw above the style's */
    int map_line; /* line of this file's map{}, 0 before it */
    bool has_id;  /* dev and ino identify the file, for include cycles */
    dev_t dev;
    ino_t ino;
    size_t order_base;  /* layers declared before this file: its first layer is order_base + 1 */
    cor__style_t style; /* what the file declares */
    cor__overlays_t ov;
} frame_t;

struct cor__script {
    lua_State *L;
    cor__script_limits_t lim;
    size_t mem_used;
    long long used;    /* instructions run, plus C work charged as instructions */
    int hook_count;    /* the count the hook is set to */
    double spent;      /* seconds spent in Lua by finished calls */
    double call_start; /* when the running call started */
    int depth;         /* > 0 while a call from C runs Lua code */
    fatal_t fatal;     /* a limit was hit: budget and time stay hit, memory lasts one call */
    char fatal_msg[WHERE_MAX + 128];
    char mem_where[WHERE_MAX]; /* "file:line" of the last refused allocation */
    int env_ref;               /* the sandbox's global table, in the registry */
    cor__buf_t log;
    bool log_full;
    char **paths; /* every style file run, to repair Lua's shortened file names */
    size_t npaths, cap_paths;
    cor__overlays_t *target; /* where overlay declarations go (borrowed); NULL: none allowed */
    char *data_dir;          /* where overlay "name" and include "name" look; NULL: nowhere */
    /* while a file runs: frames[0] is the file the caller gave, the others the files it
     * includes, innermost last; each frame's declarations move into its parent on success */
    frame_t frames[NEST_MAX + 1];
    int nframes;
    /* one declaration being read: built here and moved into the frame only once complete, so
     * a declaration that fails half-way (even inside pcall) adds nothing; emptied before each */
    cor__style_t scratch;
    cor__overlays_t scratch_ov;
};

static cor__script_t *script_of(lua_State *L)
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
static void format_where(const lua_Debug *ar, char *buf, size_t n)
{
    const char *src = (ar->source && ar->source[0] == '@') ? ar->source + 1 : ar->short_src;
    snprintf(buf, n, "%s:%d", src, ar->currentline);
}

/* Writes "file:line" of the innermost Lua function on the stack, or "" when there is none.
 * Reads the stack only, so it is safe inside the allocator. */
static void lua_where(lua_State *L, char *buf, size_t n)
{
    lua_Debug ar;
    buf[0] = '\0';
    for (int level = 0; lua_getstack(L, level, &ar); level++) {
        if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
            format_where(&ar, buf, n);
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
static void set_fatal(cor__script_t *sc, fatal_t kind, const char *where)
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

static int raise_fatal(lua_State *L, cor__script_t *sc)
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
static void rethrow_limits(lua_State *L, int status)
{
    cor__script_t *sc = script_of(L);
    if (!sc->fatal && is_memory_error(L, status))
        set_fatal(sc, FATAL_MEMORY, sc->mem_where);
    if (sc->fatal)
        raise_fatal(L, sc);
}

static void sb_hook(lua_State *L, lua_Debug *ar)
{
    cor__script_t *sc = script_of(L);
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
            format_where(ar, where, sizeof where);
        else
            lua_where(L, where, sizeof where);
        set_fatal(sc, kind, where);
    }
    raise_fatal(L, sc);
}

/* Makes the hook fire at the next instruction, where it raises the limit that was hit.
 * lua_sethook may be called at any moment, so this is safe inside the allocator. */
static void hurry_hook(cor__script_t *sc)
{
    if (sc->L && sc->hook_count != 1) {
        lua_sethook(sc->L, sb_hook, LUA_MASKCOUNT, 1);
        sc->hook_count = 1;
    }
}

/* Adds C work to the instruction count, hurrying the hook when the budget is gone. */
static void charge_quiet(cor__script_t *sc, unsigned long long units)
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
    charge_quiet(sc, bytes / 8);
    if (sc->depth > 0 && sc->spent + (now() - sc->call_start) > sc->lim.seconds)
        hurry_hook(sc);
}

/* Charges work a C function has done; raises the budget error when it is exhausted. */
static void charge(lua_State *L, unsigned long long units)
{
    cor__script_t *sc = script_of(L);
    char where[WHERE_MAX];
    charge_quiet(sc, units);
    if (!sc->fatal && sc->used > sc->lim.budget) {
        lua_where(L, where, sizeof where);
        set_fatal(sc, FATAL_BUDGET, where);
    }
    if (sc->fatal)
        raise_fatal(L, sc);
}

/* Charges work a C function is about to do, refusing (with an ordinary error) work that the
 * remaining budget cannot pay for, before any of it is done. */
static void precharge(lua_State *L, double units, const char *what)
{
    cor__script_t *sc = script_of(L);
    double left = (double)sc->lim.budget - (double)sc->used;
    char msg[160];
    if (units > left) {
        snprintf(msg, sizeof msg, "%s: %.0f steps of work would exceed the instruction budget",
                 what, units);
        luaL_error(L, "%s", msg);
    }
    charge(L, (unsigned long long)units);
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
            lua_where(sc->L, sc->mem_where, sizeof sc->mem_where);
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
static int msgh(lua_State *L)
{
    cor__script_t *sc = script_of(L);
    char where[WHERE_MAX];
    int t = lua_type(L, 1);
    if (sc->fatal || (t == LUA_TSTRING && strcmp(lua_tostring(L, 1), MEMERR) == 0))
        return 1;
    if (t == LUA_TSTRING && has_position(lua_tostring(L, 1)))
        return 1;
    lua_where(L, where, sizeof where);
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
static cor_status_t fail_from_lua(cor__script_t *sc, int status, cor_error_t *err)
{
    lua_State *L = sc->L;
    char msg[COR_ERROR_MAX];
    if (!sc->fatal && is_memory_error(L, status))
        set_fatal(sc, FATAL_MEMORY, sc->mem_where);
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

/* Forgets a memory error of an earlier call: memory is a cap at any moment, not a budget. */
static void begin_call(cor__script_t *sc)
{
    if (sc->fatal == FATAL_MEMORY)
        sc->fatal = FATAL_NONE;
    sc->mem_where[0] = '\0';
}

/* Calls the function below `nargs` arguments with the limits on. Returns: COR_OK with `nres`
 * results in its place, or the error with the function and arguments gone. */
static cor_status_t pcall_limited(cor__script_t *sc, int nargs, int nres, cor_error_t *err)
{
    lua_State *L = sc->L;
    int fn = lua_gettop(L) - nargs;
    begin_call(sc);
    if (sc->fatal) {
        lua_settop(L, fn - 1);
        return cor__fail(err, COR_ERR_STYLE, "%s", sc->fatal_msg);
    }
    lua_pushcfunction(L, msgh);
    lua_insert(L, fn);
    sc->depth++;
    sc->call_start = now();
    int status = lua_pcall(L, nargs, nres, fn);
    sc->spent += now() - sc->call_start;
    sc->depth--;
    lua_remove(L, fn);
    return status == LUA_OK ? COR_OK : fail_from_lua(sc, status, err);
}

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
    charge(L, string_bytes(L, 1, n));
    n = call_original(L, n);
    charge(L, string_bytes(L, 1, n));
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
    cor__script_t *sc = script_of(L);
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
    cor__script_t *sc = script_of(L);
    size_t len;
    if (lua_type(L, 1) != LUA_TSTRING)
        return luaL_argerror(L, 1,
                             "a string of Lua source expected (the sandbox loads no "
                             "functions or bytecode)");
    const char *text = lua_tolstring(L, 1, &len);
    const char *name = luaL_optstring(L, 2, text);
    bool has_env = !lua_isnone(L, 4);
    charge(L, len);
    int status = luaL_loadbufferx(L, text, len, name, "t");
    if (status != LUA_OK) {
        rethrow_limits(L, status);
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
        rethrow_limits(L, status);
    lua_pushboolean(L, status == LUA_OK);
    lua_insert(L, 1);
    return lua_gettop(L);
}

/* The handler xpcall really installs: limits and memory errors pass untouched, so the user's
 * handler cannot disguise them. */
static int xpcall_handler(lua_State *L)
{
    int t = lua_type(L, 1);
    if (script_of(L)->fatal || (t == LUA_TSTRING && strcmp(lua_tostring(L, 1), MEMERR) == 0))
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
        rethrow_limits(L, status);
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

/* ---- patterns: refuse what could backtrack for minutes ---- */

static bool class_match(int c, int cl)
{
    int r;
    switch (tolower(cl)) {
    case 'a':
        r = isalpha(c);
        break;
    case 'c':
        r = iscntrl(c);
        break;
    case 'd':
        r = isdigit(c);
        break;
    case 'g':
        r = isgraph(c);
        break;
    case 'l':
        r = islower(c);
        break;
    case 'p':
        r = ispunct(c);
        break;
    case 's':
        r = isspace(c);
        break;
    case 'u':
        r = isupper(c);
        break;
    case 'w':
        r = isalnum(c);
        break;
    case 'x':
        r = isxdigit(c);
        break;
    default:
        return cl == c;
    }
    return isupper(cl) ? !r : r != 0;
}

/* Matches c against the set p[0] == '[' .. ec[0] == ']'. */
static bool set_match(int c, const char *p, const char *ec)
{
    bool neg = false;
    p++;
    if (*p == '^') {
        neg = true;
        p++;
    }
    for (; p < ec; p++) {
        if (*p == '%' && p + 1 < ec) {
            p++;
            if (class_match(c, (unsigned char)*p))
                return !neg;
        } else if (p + 2 < ec && p[1] == '-') {
            if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2])
                return !neg;
            p += 2;
        } else if ((unsigned char)*p == c) {
            return !neg;
        }
    }
    return neg;
}

/* Matches c against the single-character class p .. ep (exclusive). */
static bool single_match(int c, const char *p, const char *ep)
{
    switch (*p) {
    case '.':
        return true;
    case '%':
        return class_match(c, (unsigned char)p[1]);
    case '[':
        return set_match(c, p, ep - 1);
    default:
        return (unsigned char)*p == c;
    }
}

/* Length of the single-character class at p; 0 when malformed (Lua reports those). */
static size_t class_len(const char *p, const char *pe)
{
    if (*p == '%')
        return p + 1 < pe ? 2 : 0;
    if (*p != '[')
        return 1;
    const char *q = p + 1;
    if (q < pe && *q == '^')
        q++;
    for (;;) {
        if (q >= pe)
            return 0;
        if (*q++ == '%' && q < pe)
            q++;
        if (q < pe && *q == ']')
            return (size_t)(q + 1 - p);
    }
}

/* The longest run of characters of s in the class p .. ep. */
static double max_run(const char *s, size_t n, const char *p, const char *ep)
{
    size_t best = 0, run = 0;
    for (size_t i = 0; i < n; i++) {
        run = single_match((unsigned char)s[i], p, ep) ? run + 1 : 0;
        if (run > best)
            best = run;
    }
    return (double)best;
}

/* The characters %bxy scans when tried at every position of s (a scan starts at an x and ends
 * where the y's balance the x's, or at the end). Returns: INFINITY past `limit`. */
static double balance_work(const char *s, size_t n, char x, char y, double limit)
{
    double work = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != x)
            continue;
        size_t j = i + 1;
        for (int depth = 1; j < n && depth > 0; j++)
            depth += s[j] == y ? -1 : s[j] == x ? 1 : 0;
        work += (double)(j - i);
        if (work > limit)
            return INFINITY;
    }
    return work;
}

/* The starts at which a match attempt gets past its first item: all of them, unless the
 * pattern begins with a character class that must match once (as in "<(.-)>"). */
static double useful_starts(const char *s, size_t n, const char *p, const char *pe)
{
    while (p < pe && *p == '(')
        p++;
    if (p >= pe || *p == ')' || *p == '.' || (*p == '$' && p + 1 == pe))
        return n + 1.0;
    if (*p == '%' && (p + 1 >= pe || p[1] == 'b' || p[1] == 'f' || isdigit((unsigned char)p[1])))
        return n + 1.0;
    size_t k = class_len(p, pe);
    if (k == 0 || (p + k < pe && strchr("*-?", p[k])))
        return n + 1.0;
    double hits = 1.0;
    for (size_t i = 0; i < n; i++)
        hits += single_match((unsigned char)s[i], p, p + k);
    return hits;
}

/* An estimate, erring high, of the steps Lua's matcher may take: at each start, every repeated
 * item (x*, x+, x-) can be tried once per character of the longest run its class has in the
 * subject, every x? twice; %b and back-references scan the subject; each step may walk a set
 * ([...]) and each start the pattern. About a nanosecond a step. */
static double pattern_cost(const char *s, size_t n, const char *p, size_t m, bool anchors)
{
    const char *pe = p + m;
    double starts = n + 1.0, per = 1.0, linear = 1.0, scan = 0.0, walk = 1.0;
    if (anchors && p < pe && *p == '^') {
        starts = 1.0;
        p++;
    } else {
        starts = useful_starts(s, n, p, pe);
        scan += (double)n;
    }
    while (p < pe && starts * per * linear * walk + scan <= PATTERN_COST_MAX) {
        if (*p == '(' || *p == ')' || (*p == '$' && p + 1 == pe)) {
            p++;
            continue;
        }
        if (*p == '%' && p + 3 < pe && p[1] == 'b') {
            /* spread over the starts: a scan is long only where an x is */
            double work = balance_work(s, n, p[2], p[3], PATTERN_COST_MAX / 10);
            scan += fmin(work, (double)n);
            linear = fmax(linear, fmin(n + 1.0, 1.0 + work / starts));
            p += 4;
            continue;
        }
        if (*p == '%' && p + 1 < pe && isdigit((unsigned char)p[1])) {
            linear = n + 1.0; /* a back-reference compares up to the whole subject */
            p += 2;
            continue;
        }
        if (*p == '%' && p + 1 < pe && p[1] == 'f') {
            p += 2;
            size_t k = (p < pe && *p == '[') ? class_len(p, pe) : 0;
            if (k == 0)
                break;
            p += k;
            continue;
        }
        size_t k = class_len(p, pe);
        if (k == 0)
            break;
        const char *ep = p + k;
        walk = fmax(walk, (double)k);
        if (ep < pe && (*ep == '*' || *ep == '+' || *ep == '-')) {
            scan += (double)n * (double)k;
            if (scan > PATTERN_COST_MAX)
                return INFINITY;
            per *= max_run(s, n, p, ep) + 1.0;
            ep++;
        } else if (ep < pe && *ep == '?') {
            per *= 2.0;
            ep++;
        }
        p = ep;
    }
    return starts * (per * linear * walk + (double)m) + scan;
}

/* The cost of a plain find: a comparison of the pattern at each occurrence of its first byte. */
static double plain_cost(const char *s, size_t n, const char *p, size_t m)
{
    double hits = 0;
    if (m == 0)
        return 1.0;
    for (const char *q = s; (q = memchr(q, p[0], n - (size_t)(q - s))) != NULL; q++)
        hits += 1.0;
    return hits * (double)m + (double)n;
}

static bool has_specials(const char *p, size_t m)
{
    for (size_t i = 0; i < m; i++)
        if (strchr("^$*+?.([%-", p[i]) && p[i] != '\0')
            return true;
    return false;
}

enum { PAT_FIND, PAT_MATCH, PAT_GMATCH, PAT_GSUB };

static int pattern_call(lua_State *L, int kind)
{
    size_t n, m;
    const char *s = luaL_checklstring(L, 1, &n);
    const char *p = luaL_checklstring(L, 2, &m);
    double cost;
    if (kind == PAT_FIND && (lua_toboolean(L, 4) || !has_specials(p, m)))
        cost = plain_cost(s, n, p, m);
    else
        cost = pattern_cost(s, n, p, m, kind != PAT_GMATCH);
    if (kind == PAT_GSUB && lua_type(L, 3) == LUA_TSTRING) {
        double matches = n + 1.0;
        if (lua_type(L, 4) == LUA_TNUMBER && lua_tonumber(L, 4) < matches)
            matches = fmax(lua_tonumber(L, 4), 0.0);
        cost += matches * (double)lua_rawlen(L, 3);
    }
    if (cost > PATTERN_COST_MAX)
        return luaL_error(L,
                          "pattern too costly for a subject of %I bytes: it could backtrack "
                          "for minutes (simplify the pattern or shorten the subject)",
                          (lua_Integer)n);
    charge(L, n + m);
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
    cor__script_t *sc = script_of(L);
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
        lua_where(L, where, sizeof where);
        set_fatal(sc, FATAL_MEMORY, where);
        return raise_fatal(L, sc);
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
    precharge(L, ELEMENT_COST * span(i, e), "table.concat");
    lua_settop(L, 2);
    lua_pushinteger(L, i);
    lua_pushinteger(L, e);
    return call_original(L, 4);
}

static int sb_unpack(lua_State *L)
{
    lua_Integer i = luaL_optinteger(L, 2, 1);
    lua_Integer e = lua_isnoneornil(L, 3) ? luaL_len(L, 1) : luaL_checkinteger(L, 3);
    precharge(L, ELEMENT_COST * span(i, e), "table.unpack");
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
    precharge(L, ELEMENT_COST * span(f, e), "table.move");
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
        precharge(L, ELEMENT_COST * span(pos, e), "table.insert");
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
    precharge(L, ELEMENT_COST * span(pos, size), "table.remove");
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
        precharge(L, ELEMENT_COST * (double)n * (log2((double)n) + 1.0), "table.sort");
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

static int sb_map(lua_State *L);
static int sb_layer(lua_State *L);
static int sb_route(lua_State *L);
static int sb_flow(lua_State *L);
static int sb_marker(lua_State *L);
static int sb_area(lua_State *L);
static int sb_callout(lua_State *L);
static int sb_hide(lua_State *L);
static int sb_overlay(lua_State *L);
static int sb_include(lua_State *L);
static int sb_read_csv(lua_State *L);
static int sb_read_geojson(lua_State *L);

static void sandbox_base(lua_State *L, int env)
{
    static const luaL_Reg own[] = {
        {"print", sb_print},
        {"load", sb_load},
        {"pcall", sb_pcall},
        {"xpcall", sb_xpcall},
        {"collectgarbage", sb_collectgarbage},
        {"map", sb_map},
        {"layer", sb_layer},
        {"route", sb_route},
        {"flow", sb_flow},
        {"marker", sb_marker},
        {"area", sb_area},
        {"callout", sb_callout},
        {"hide", sb_hide},
        {"overlay", sb_overlay},
        {"include", sb_include},
        {"read_csv", sb_read_csv},
        {"read_geojson", sb_read_geojson},
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
static int setup(lua_State *L)
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
static bool to_pval(lua_State *L, int idx, cor__pval_t *v, char *why, size_t n)
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

static void push_attr(lua_State *L, const cor__attr_t *a)
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
static void push_feature(lua_State *L, const cor__feature_t *f)
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
            push_attr(L, &f->values[i]);
            lua_setfield(L, -2, lower);
        }
    }
    for (size_t i = 0; i < nf; i++) {
        if (f->names[i] && f->names[i][0]) {
            push_attr(L, &f->values[i]);
            lua_setfield(L, -2, f->names[i]);
        }
    }
    const char *g = f ? geometry_name(f) : NULL;
    if (g) {
        lua_pushstring(L, g);
        lua_setfield(L, -2, "geometry");
    }
}

/* ---- declarations: keys, values and where they come from ---- */

typedef struct keyset {
    const char *what; /* "map", "layer", "route", ... */
    const char *const *keys;
    size_t nkeys;
    bool props; /* the style properties are keys too */
} keyset_t;

static const char *const map_key_names[] = {
    "crs",      "extent",         "size",           "dpi",          "background",
    "title",    "subtitle",       "credits",        "date",         "graticule",
    "scalebar", "north_arrow",    "legend",         "legend_title", "flow_unit",
    "inset",    "flow_max_width", "flow_min_width", "label_font"};
static const char *const inset_key_names[] = {"position", "crs", "extent", "highlight", "width"};
static const char *const layer_key_names[] = {"source", "name", "order", "legend", "group"};
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

#define KEYS(names) names, COR__ARRAY_LEN(names)
static const keyset_t map_keys = {"map", KEYS(map_key_names), false};
static const keyset_t inset_keys = {"inset", KEYS(inset_key_names), false};
static const keyset_t layer_keys = {"layer", KEYS(layer_key_names), true};
static const keyset_t route_keys = {"route", KEYS(route_key_names), false};
static const keyset_t flow_keys = {"flow", KEYS(flow_key_names), false};
static const keyset_t marker_keys = {"marker", KEYS(marker_key_names), false};
static const keyset_t area_keys = {"area", KEYS(area_key_names), false};
static const keyset_t callout_keys = {"callout", KEYS(callout_key_names), false};
#undef KEYS

static const char *keyset_get(const keyset_t *ks, size_t i)
{
    if (i < ks->nkeys)
        return ks->keys[i];
    return ks->props ? cor__prop_name((cor__prop_id_t)(i - ks->nkeys)) : NULL;
}

/* Edit distance with transpositions, ignoring ASCII case; large for long strings. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), d[33][33];
    if (la > 32 || lb > 32)
        return SIZE_MAX;
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            size_t best = d[i - 1][j - 1] + cost;
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[la][lb];
}

/* Returns: the known key closest to `key`, or NULL when none is close. */
static const char *suggest(const keyset_t *ks, const char *key)
{
    const char *best = NULL, *cand;
    size_t best_d = strlen(key) <= 3 ? 2 : 3;
    for (size_t i = 0; (cand = keyset_get(ks, i)) != NULL; i++) {
        size_t d = edit_distance(key, cand);
        if (d < best_d) {
            best = cand;
            best_d = d;
        }
    }
    return best;
}

static bool key_known(const keyset_t *ks, const char *key)
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
static void check_keys(lua_State *L, int idx, const keyset_t *ks, bool list)
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
        if (!key_known(ks, key) && (!have || strcmp(key, unknown) < 0)) {
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
static int raw_field_at(lua_State *L, int idx, const char *key)
{
    idx = lua_absindex(L, idx);
    lua_pushstring(L, key);
    return lua_rawget(L, idx);
}

/* Pushes t[key] of the table at index 1 (raw) and returns its type. */
static int raw_field(lua_State *L, const char *key)
{
    return raw_field_at(L, 1, key);
}

/* luaL_error with the C library's formats (luaL_error knows no %g). Never returns. */
static int fail_fmt(lua_State *L, const char *fmt, ...) COR__PRINTF(2, 3);
static int fail_fmt(lua_State *L, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return luaL_error(L, "%s", msg);
}

static char *dup_or_fail(lua_State *L, const char *s)
{
    char *d = cor__strdup(s ? s : "");
    if (!d)
        luaL_error(L, "out of memory");
    return d;
}

/* Reads an optional string field of the table at `idx` into *dst, replacing what it held.
 * Returns: true when present. */
static bool read_string_at(lua_State *L, int idx, const char *key, char **dst)
{
    size_t len;
    int t = raw_field_at(L, idx, key);
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

static bool read_string(lua_State *L, const char *key, char **dst)
{
    return read_string_at(L, 1, key, dst);
}

/* Reads an optional string field that must not be empty when given. */
static bool read_name(lua_State *L, int idx, const char *key, char **dst)
{
    if (!read_string_at(L, idx, key, dst))
        return false;
    if (!(*dst)[0])
        luaL_error(L, "%s must not be empty", key);
    return true;
}

/* Reads an optional finite number field of the table at `idx`. Returns: true when present. */
static bool read_number_at(lua_State *L, int idx, const char *key, double *dst)
{
    int t = raw_field_at(L, idx, key);
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

static bool read_number(lua_State *L, const char *key, double *dst)
{
    return read_number_at(L, 1, key, dst);
}

/* Reads an optional number in lo..hi (hi may be HUGE_VAL). Returns: true when present. */
static bool read_ranged(lua_State *L, int idx, const char *key, double lo, double hi,
                        const char *unit, double *dst)
{
    double x;
    if (!read_number_at(L, idx, key, &x))
        return false;
    if (!(x >= lo && x <= hi)) {
        if (isinf(hi))
            fail_fmt(L, "%s: %g is out of range (%g or more%s)", key, x, lo, unit);
        fail_fmt(L, "%s: %g is out of range (%g to %g%s)", key, x, lo, hi, unit);
    }
    *dst = x;
    return true;
}

/* Reads an optional boolean field. Returns: true when present. */
static bool read_bool(lua_State *L, int idx, const char *key, bool *dst)
{
    int t = raw_field_at(L, idx, key);
    if (t != LUA_TNIL && t != LUA_TBOOLEAN)
        luaL_error(L, "%s must be true or false, got %s", key, lua_typename(L, t));
    if (t == LUA_TBOOLEAN)
        *dst = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return t == LUA_TBOOLEAN;
}

/* Reads an optional string field that must be one of `names` (any ASCII case).
 * Returns: true with its index in *dst when present. */
static bool read_choice(lua_State *L, int idx, const char *key, const char *const *names, int n,
                        int *dst)
{
    char list[256] = "";
    int t = raw_field_at(L, idx, key);
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
static bool read_numbers(lua_State *L, double *out, int n)
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

/* The file and line of the Lua code calling the running C function: the calling chunk's own
 * file when it is one this state ran (a function defined in an included file), else the file
 * running. Returns: a borrowed path, NULL when no file runs. */
static const char *caller_file(lua_State *L, int *line)
{
    cor__script_t *sc = script_of(L);
    lua_Debug ar;
    if (line)
        *line = 0;
    if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar)) {
        if (line && ar.currentline > 0)
            *line = ar.currentline;
        /* only a file this state ran: load(text, "@/etc/x") names any file it likes */
        for (size_t i = 0; ar.source && ar.source[0] == '@' && i < sc->npaths; i++)
            if (strcmp(sc->paths[i], ar.source + 1) == 0)
                return sc->paths[i];
    }
    return sc->nframes > 0 ? sc->frames[sc->nframes - 1].path : NULL;
}

static frame_t *top_frame(cor__script_t *sc)
{
    return &sc->frames[sc->nframes - 1];
}

/* Releases the function references of layers that will not be kept. */
static void release_refs(cor__script_t *sc, cor__style_t *s)
{
    for (size_t i = 0; i < s->nlayers; i++)
        for (int id = 0; id < COR__P_COUNT; id++)
            if (s->layers[i].props[id].dynamic)
                luaL_unref(sc->L, LUA_REGISTRYINDEX, s->layers[i].props[id].ref);
}

/* Empties the scratch space of the declaration being read. */
static void scratch_reset(cor__script_t *sc)
{
    release_refs(sc, &sc->scratch);
    cor__style_clear(&sc->scratch);
    cor__overlays_clear(&sc->scratch_ov);
}

/* Common start of map{} and layer{}. */
static cor__script_t *begin_decl(lua_State *L, const char *what)
{
    cor__script_t *sc = script_of(L);
    if (sc->nframes == 0)
        luaL_error(L, "%s{} can only be used while a style file runs", what);
    if (lua_gettop(L) != 1 || lua_type(L, 1) != LUA_TTABLE)
        luaL_error(L, "%s{} takes one table: %s { key = value, ... }", what, what);
    scratch_reset(sc);
    return sc;
}

/* ---- moving what was declared where it belongs ---- */

/* Moves every field `s` sets into `d`, which keeps the others (a later map{} changes what an
 * earlier one, or an included style, set). */
static void mapdef_merge(cor__mapdef_t *d, cor__mapdef_t *s)
{
    char **strs[][2] = {
        {&d->crs, &s->crs},
        {&d->title, &s->title},
        {&d->subtitle, &s->subtitle},
        {&d->credits, &s->credits},
        {&d->date, &s->date},
        {&d->scalebar, &s->scalebar},
        {&d->legend, &s->legend},
        {&d->legend_title, &s->legend_title},
        {&d->flow_unit, &s->flow_unit},
        {&d->inset, &s->inset},
        {&d->inset_crs, &s->inset_crs},
        {&d->label_font, &s->label_font},
    };
    for (size_t i = 0; i < COR__ARRAY_LEN(strs); i++) {
        if (*strs[i][1]) {
            free(*strs[i][0]);
            *strs[i][0] = *strs[i][1];
            *strs[i][1] = NULL;
        }
    }
    if (s->has_extent) {
        d->has_extent = true;
        d->extent = s->extent;
    }
    if (s->has_page) {
        d->has_page = true;
        d->width_pt = s->width_pt;
        d->height_pt = s->height_pt;
        d->dpi = s->dpi;
    }
    if (s->has_background) {
        d->has_background = true;
        d->background = s->background;
    }
    if (s->has_graticule) {
        d->has_graticule = true;
        d->graticule = s->graticule;
    }
    if (s->has_north_arrow) {
        d->has_north_arrow = true;
        d->north_arrow = s->north_arrow;
    }
    if (s->has_inset_extent) {
        d->has_inset_extent = true;
        d->inset_extent = s->inset_extent;
    }
    if (s->has_inset_highlight) {
        for (size_t i = 0; i < d->ninset_highlight; i++)
            free(d->inset_highlight[i]);
        free(d->inset_highlight);
        d->inset_highlight = s->inset_highlight;
        d->ninset_highlight = s->ninset_highlight;
        d->has_inset_highlight = true;
        s->inset_highlight = NULL;
        s->ninset_highlight = 0;
        s->has_inset_highlight = false;
    }
    if (s->inset_width > 0)
        d->inset_width = s->inset_width;
    if (s->has_flow_max_width) {
        d->has_flow_max_width = true;
        d->flow_max_width = s->flow_max_width;
    }
    if (s->has_flow_min_width) {
        d->has_flow_min_width = true;
        d->flow_min_width = s->flow_min_width;
    }
}

/* Moves what a file declared into `dst` (not its path: the caller sets that).
 * Returns: false on exhaustion, with `dst` untouched. */
static bool merge_style(cor__style_t *dst, cor__style_t *src)
{
    if (!cor__grow((void **)&dst->layers, &dst->cap_layers, dst->nlayers + src->nlayers,
                   sizeof *dst->layers))
        return false;
    if (src->nlayers > 0)
        memcpy(dst->layers + dst->nlayers, src->layers, src->nlayers * sizeof *src->layers);
    dst->nlayers += src->nlayers;
    src->nlayers = 0;
    mapdef_merge(&dst->map, &src->map);
    return true;
}

/* Where an overlay set stood before overlays were appended to it. */
typedef struct ov_mark {
    size_t n, nhidden;
} ov_mark_t;

/* Appends shallow copies of src's overlays, and its hidden groups, to dst. Ownership of the
 * overlays moves only with ov_commit(src); ov_undo(dst) takes them back out.
 * Returns: false on exhaustion, with dst as it was. */
static void ov_undo(cor__overlays_t *dst, const ov_mark_t *m)
{
    dst->n = m->n; /* the copies beyond are still owned by the source */
    for (size_t i = m->nhidden; i < dst->nhidden; i++)
        free(dst->hidden[i]);
    if (dst->nhidden > m->nhidden)
        dst->nhidden = m->nhidden;
}

static bool ov_append(cor__overlays_t *dst, const cor__overlays_t *src, ov_mark_t *m)
{
    m->n = dst->n;
    m->nhidden = dst->nhidden;
    for (size_t i = 0; i < src->n; i++) {
        cor__overlay_t *d = cor__overlays_add(dst, src->items[i].kind);
        if (!d) {
            ov_undo(dst, m);
            return false;
        }
        *d = src->items[i];
    }
    for (size_t i = 0; i < src->nhidden; i++) {
        if (!cor__overlays_hide(dst, src->hidden[i])) {
            ov_undo(dst, m);
            return false;
        }
    }
    return true;
}

/* The overlays ov_append copied now belong to the destination. */
static void ov_commit(cor__overlays_t *src)
{
    src->n = 0;
}

/* Moves a finished file's declarations into its parent. Returns: false on exhaustion, with
 * both as they were. */
static bool merge_frame(frame_t *parent, frame_t *child)
{
    ov_mark_t m;
    if (!ov_append(&parent->ov, &child->ov, &m))
        return false;
    if (!merge_style(&parent->style, &child->style)) {
        ov_undo(&parent->ov, &m);
        return false;
    }
    ov_commit(&child->ov);
    return true;
}

/* Moves the layer built in the scratch space into the running file. */
static void commit_layer(lua_State *L, cor__script_t *sc)
{
    cor__layer_style_t *d = cor__style_add_layer(&top_frame(sc)->style);
    if (!d)
        luaL_error(L, "out of memory");
    *d = sc->scratch.layers[0];
    sc->scratch.nlayers = 0;
}

/* Moves the overlay built in the scratch space into the running file. */
static int commit_overlay(lua_State *L, cor__script_t *sc)
{
    ov_mark_t m;
    if (!ov_append(&top_frame(sc)->ov, &sc->scratch_ov, &m))
        return luaL_error(L, "out of memory");
    ov_commit(&sc->scratch_ov);
    return 0;
}

/* ---- map{} ---- */

/* Checks the {west, south, east, north} list on top of the stack (for `key`). */
static cor_bbox_t check_extent(lua_State *L, const char *key)
{
    double e[4];
    int t = lua_type(L, -1);
    if (!read_numbers(L, e, 4))
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
    if (raw_field(L, "extent") == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    m->extent = check_extent(L, "extent");
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
    int t = raw_field(L, "size");
    if (t == LUA_TSTRING ? !parse_size(lua_tostring(L, -1), px) : !read_numbers(L, px, 2))
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
    bool has_size = raw_field(L, "size") != LUA_TNIL, has_dpi;
    lua_pop(L, 1);
    if (has_size)
        read_size(L, px);
    has_dpi = read_number(L, "dpi", &dpi);
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
    int t = raw_field(L, "background");
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
    char *copy = dup_or_fail(L, name);
    free(*dst);
    *dst = copy;
    lua_pop(L, 1);
}

static void read_corner(lua_State *L, int idx, const char *key, char **dst)
{
    if (raw_field_at(L, idx, key) == LUA_TNIL)
        lua_pop(L, 1);
    else
        take_corner(L, key, dst);
}

/* graticule = true (automatic spacing), false (none) or degrees between lines. */
static void read_graticule(lua_State *L, cor__mapdef_t *m)
{
    int t = raw_field(L, "graticule");
    if (t == LUA_TBOOLEAN) {
        m->graticule = lua_toboolean(L, -1) ? 0 : -1;
    } else if (t == LUA_TNUMBER) {
        double x = lua_tonumber(L, -1);
        if (!(x > 0 && x <= 90))
            fail_fmt(L, "graticule: %g is out of range (more than 0 to 90 degrees)", x);
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
    int t = raw_field_at(L, idx, "highlight");
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
        codes[i] = dup_or_fail(L, lua_tostring(L, -1));
        m->ninset_highlight = i + 1;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* inset = false | corner | { position = corner, crs = "...", extent = {W, S, E, N},
 *                            highlight = { "BY", ... }, width = pt } */
static void read_inset(lua_State *L, cor__mapdef_t *m)
{
    int t = raw_field(L, "inset");
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    if (t != LUA_TTABLE) {
        take_corner(L, "inset", &m->inset);
        return;
    }
    int idx = lua_gettop(L);
    check_keys(L, idx, &inset_keys, false);
    if (raw_field_at(L, idx, "position") == LUA_TNIL) {
        lua_pop(L, 1);
        m->inset = dup_or_fail(L, "auto");
    } else {
        take_corner(L, "position", &m->inset);
    }
    if (read_name(L, idx, "crs", &m->inset_crs) && strlen(m->inset_crs) > 4096)
        luaL_error(L, "crs is too long");
    if (raw_field_at(L, idx, "extent") != LUA_TNIL) {
        m->inset_extent = check_extent(L, "extent");
        m->has_inset_extent = true;
    }
    lua_pop(L, 1);
    read_highlight(L, idx, m);
    read_ranged(L, idx, "width", 1, 14400, " pt", &m->inset_width);
    lua_pop(L, 1);
}

static void read_furniture(lua_State *L, cor__mapdef_t *m)
{
    read_string(L, "date", &m->date);
    read_graticule(L, m);
    read_corner(L, 1, "scalebar", &m->scalebar);
    m->has_north_arrow = read_bool(L, 1, "north_arrow", &m->north_arrow);
    read_corner(L, 1, "legend", &m->legend);
    read_string(L, "legend_title", &m->legend_title);
    read_string(L, "flow_unit", &m->flow_unit);
    read_inset(L, m);
    m->has_flow_max_width = read_ranged(L, 1, "flow_max_width", 0, 100, " pt", &m->flow_max_width);
    m->has_flow_min_width = read_ranged(L, 1, "flow_min_width", 0, 100, " pt", &m->flow_min_width);
    if (m->has_flow_max_width && m->has_flow_min_width && m->flow_min_width > m->flow_max_width)
        fail_fmt(L, "flow_min_width (%g pt) is more than flow_max_width (%g pt)", m->flow_min_width,
                 m->flow_max_width);
    read_name(L, 1, "label_font", &m->label_font);
}

static int sb_map(lua_State *L)
{
    cor__script_t *sc = begin_decl(L, "map");
    frame_t *fr = top_frame(sc);
    int line;
    if (fr->overlay)
        return luaL_error(L, "map{} belongs in a style, not in an overlay");
    if (fr->map_line != 0)
        return luaL_error(L, "map{} given twice (first at line %d)", fr->map_line);
    check_keys(L, 1, &map_keys, false);
    cor__mapdef_t *m = &sc->scratch.map;
    if (read_string(L, "crs", &m->crs) && !m->crs[0])
        luaL_error(L, "crs must not be empty");
    read_extent(L, m);
    read_page(L, m);
    read_background(L, m);
    read_string(L, "title", &m->title);
    read_string(L, "subtitle", &m->subtitle);
    read_string(L, "credits", &m->credits);
    read_furniture(L, m);
    caller_file(L, &line);
    fr->map_line = line > 0 ? line : -1;
    mapdef_merge(&fr->style.map, m);
    return 0;
}

/* ---- layer{} ---- */

/* Reads one property: a function becomes a registry reference, a constant is checked now. */
static void read_prop(lua_State *L, cor__prop_id_t id, cor__prop_t *prop)
{
    char why[256];
    const char *name = cor__prop_name(id);
    int t = raw_field(L, name);
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
    if (!to_pval(L, -1, &v, why, sizeof why) || !cor__prop_accepts(id, v.type)) {
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
    int t = raw_field(L, "legend");
    if (t == LUA_TBOOLEAN && lua_toboolean(L, -1))
        ls->legend = dup_or_fail(L, ls->name);
    else if (t == LUA_TSTRING)
        ls->legend = dup_or_fail(L, lua_tostring(L, -1));
    else if (t != LUA_TNIL && t != LUA_TBOOLEAN)
        luaL_error(L, "legend must be a string or a boolean, got %s", lua_typename(L, t));
    lua_pop(L, 1);
}

/* Starts a layer in the scratch space: where it was declared, its drawing order (overlay files
 * and source areas draw in a band above the style's layers) and its group. */
static cor__layer_style_t *new_layer(lua_State *L, cor__script_t *sc, bool above)
{
    frame_t *fr = top_frame(sc);
    int line;
    const char *file = caller_file(L, &line);
    cor__layer_style_t *ls = cor__style_add_layer(&sc->scratch);
    if (!ls)
        luaL_error(L, "out of memory");
    ls->line = line;
    ls->order = (above ? OVERLAY_ORDER : 0) + (double)(fr->order_base + fr->style.nlayers + 1);
    ls->file = dup_or_fail(L, file);
    if (!(ls->base_dir = cor__path_dirname(ls->file)))
        luaL_error(L, "out of memory");
    if (!read_name(L, 1, "group", &ls->group) && fr->group)
        ls->group = dup_or_fail(L, fr->group);
    return ls;
}

static int sb_layer(lua_State *L)
{
    cor__script_t *sc = begin_decl(L, "layer");
    check_keys(L, 1, &layer_keys, false);
    cor__layer_style_t *ls = new_layer(L, sc, top_frame(sc)->overlay);
    if (!read_string(L, "source", &ls->source) || !ls->source[0])
        return luaL_error(L, "layer{} needs a source: a geodata layer name like \"countries\" "
                             "or a shapefile path");
    if (!read_string(L, "name", &ls->name))
        ls->name = dup_or_fail(L, ls->source);
    read_number(L, "order", &ls->order);
    read_legend(L, ls);
    for (int id = 0; id < COR__P_COUNT; id++)
        read_prop(L, (cor__prop_id_t)id, &ls->props[id]);
    commit_layer(L, sc);
    return 0;
}

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

static const char *const arrow_names[] = {"none", "start", "end", "both"};
static const char *const status_names[] = {"operating", "blocked"};

/* The fill of an area drawn from a source (the overlay module's area colour at 0.35 alpha);
 * other overlays start from cor__overlay_default_look(). */
#define AREA_FILL            "#d9480159"
#define DEFAULT_CASING_WIDTH 1.0 /* as for layers: a casing colour without a casing_width */

/* Common start of the overlay declarations. */
static cor__script_t *begin_overlay(lua_State *L, const char *what)
{
    cor__script_t *sc = script_of(L);
    if (sc->nframes == 0)
        luaL_error(L, "%s{} can only be used while a style or overlay file runs", what);
    if (!sc->target)
        luaL_error(L, "%s{}: overlays are not available here", what);
    if (lua_gettop(L) != 1 || lua_type(L, 1) != LUA_TTABLE)
        luaL_error(L, "%s{} takes one table: %s { key = value, ... }", what, what);
    scratch_reset(sc);
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
    if (t != LUA_TTABLE || !read_numbers(L, c, 2))
        luaL_error(L, "%s must be a place name or {lon, lat}, got %s", what,
                   t == LUA_TTABLE ? "another table" : lua_typename(L, t));
    lua_pop(L, 1);
    if (!(c[0] >= -180 && c[0] <= 180 && c[1] >= -90 && c[1] <= 90))
        fail_fmt(L, "%s: {%g, %g} is outside -180..180, -90..90 (places are {lon, lat})", what,
                 c[0], c[1]);
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
    charge(L, ELEMENT_COST * (unsigned long long)n);
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
    if (raw_field(L, key) == LUA_TNIL)
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
        if (!key_known(ks, key))
            continue;
        int t = raw_field(L, key);
        cor__pval_t v;
        if (!to_pval(L, -1, &v, why, sizeof why) || !cor__prop_accepts(id, v.type)) {
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
    int t = raw_field(L, key);
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
    read_ranged(L, 1, "label_size", 0, 100, " pt", &ov->label_size);
    int t = raw_field(L, "label_color");
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
    if (read_name(L, 1, "group", &ov->group) && strlen(ov->group) > 256)
        luaL_error(L, "group is too long");
    read_number(L, "priority", &ov->priority);
}

/* Starts an overlay of `kind` in the scratch space, with where it was declared, its file's
 * group and the kind's default look. */
static cor__overlay_t *new_overlay(lua_State *L, cor__script_t *sc, cor__ov_kind_t kind,
                                   const keyset_t *ks)
{
    int line;
    const char *file = caller_file(L, &line);
    const char *group = top_frame(sc)->group;
    check_keys(L, 1, ks, kind == COR__OV_ROUTE);
    cor__overlay_t *ov = cor__overlays_add(&sc->scratch_ov, kind);
    if (!ov)
        luaL_error(L, "out of memory");
    ov->file = dup_or_fail(L, file);
    ov->line = line;
    if (group)
        ov->group = dup_or_fail(L, group);
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
    if (read_choice(L, 1, "arrow", arrow_names, 4, &a))
        ov->arrow = arrows[a];
}

/* route { place, place, ..., status = "blocked", cut = place, stroke = ..., arrow = "end", ... } */
static int sb_route(lua_State *L)
{
    cor__script_t *sc = begin_overlay(L, "route");
    cor__overlay_t *ov = new_overlay(L, sc, COR__OV_ROUTE, &route_keys);
    lua_Unsigned n = lua_rawlen(L, 1);
    int status = 0;
    if (n < 2)
        return luaL_error(L, "route{} needs at least two places, got %d", (int)n);
    add_place_list(L, ov, 1, n, "place");
    read_look(L, &route_keys, &ov->look);
    read_choice(L, 1, "status", status_names, 2, &status);
    ov->blocked = status == 1;
    if (raw_field(L, "cut") != LUA_TNIL) {
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
    read_bool(L, 1, "schematic", &ov->schematic);
    read_overlay_common(L, ov);
    return commit_overlay(L, sc);
}

/* flow { from = place, to = place, via = { place, ... }, value = n, bend = b, ... } */
static int sb_flow(lua_State *L)
{
    cor__script_t *sc = begin_overlay(L, "flow");
    cor__overlay_t *ov = new_overlay(L, sc, COR__OV_FLOW, &flow_keys);
    add_place_field(L, ov, "flow", "from");
    int t = raw_field(L, "via");
    if (t == LUA_TTABLE)
        add_place_list(L, ov, -1, lua_rawlen(L, -1), "via");
    else if (t != LUA_TNIL)
        luaL_error(L, "via must be a list of places, got %s", lua_typename(L, t));
    lua_pop(L, 1);
    add_place_field(L, ov, "flow", "to");
    read_ranged(L, 1, "value", 0, HUGE_VAL, "", &ov->value);
    read_ranged(L, 1, "bend", -2, 2, "", &ov->bend);
    read_look(L, &flow_keys, &ov->look);
    read_arrow(L, ov);
    read_bool(L, 1, "schematic", &ov->schematic);
    read_overlay_common(L, ov);
    return commit_overlay(L, sc);
}

/* marker { at = place, symbol = "mine", size = 10, fill = ..., stroke = ..., label = ... } */
static int sb_marker(lua_State *L)
{
    cor__script_t *sc = begin_overlay(L, "marker");
    cor__overlay_t *ov = new_overlay(L, sc, COR__OV_MARKER, &marker_keys);
    add_place_field(L, ov, "marker", "at");
    read_look(L, &marker_keys, &ov->look);
    read_overlay_common(L, ov);
    return commit_overlay(L, sc);
}

/* callout { at = place, text = "...", dx = 30, dy = -20 } */
static int sb_callout(lua_State *L)
{
    cor__script_t *sc = begin_overlay(L, "callout");
    cor__overlay_t *ov = new_overlay(L, sc, COR__OV_CALLOUT, &callout_keys);
    add_place_field(L, ov, "callout", "at");
    read_look(L, &callout_keys, &ov->look);
    read_overlay_common(L, ov);
    read_text(L, "text", &ov->label);
    if (!ov->label || !ov->label[0])
        return luaL_error(L, "callout{} needs text = \"...\"");
    read_ranged(L, 1, "dx", -2000, 2000, " pt", &ov->dx);
    read_ranged(L, 1, "dy", -2000, 2000, " pt", &ov->dy);
    return commit_overlay(L, sc);
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
    charge(L, ELEMENT_COST * n);
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
    if (raw_field(L, "coords") != LUA_TNIL)
        return luaL_error(L, "area{} takes coords or a source, not both");
    lua_pop(L, 1);
    cor__layer_style_t *ls = new_layer(L, sc, true);
    if (!read_name(L, 1, "source", &ls->source))
        return luaL_error(L, "source must be a string, got nothing");
    ls->name = dup_or_fail(L, ls->source);
    int t = raw_field(L, "legend");
    if (t == LUA_TSTRING)
        ls->legend = dup_or_fail(L, lua_tostring(L, -1));
    else if (t != LUA_TNIL && !(t == LUA_TBOOLEAN && !lua_toboolean(L, -1)))
        luaL_error(L, "legend must be a string or false, got %s", lua_typename(L, t));
    lua_pop(L, 1);
    for (size_t i = 0; i < COR__ARRAY_LEN(props); i++)
        read_prop(L, props[i], &ls->props[props[i]]);
    t = raw_field(L, "where");
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
    commit_layer(L, sc);
    return 0;
}

/* area { coords = { {lon, lat}, ... }, fill = ..., hatch = true } or the source form above. */
static int sb_area(lua_State *L)
{
    cor__script_t *sc = begin_overlay(L, "area");
    check_keys(L, 1, &area_keys, false);
    if (raw_field(L, "source") != LUA_TNIL) {
        lua_pop(L, 1);
        return area_layer(L, sc);
    }
    lua_pop(L, 1);
    if (raw_field(L, "where") != LUA_TNIL)
        return luaL_error(L, "where selects features of a source: it needs source = ...");
    lua_pop(L, 1);
    cor__overlay_t *ov = new_overlay(L, sc, COR__OV_AREA, &area_keys);
    int t = raw_field(L, "coords");
    lua_Unsigned n = t == LUA_TTABLE ? lua_rawlen(L, -1) : 0;
    if (n < 3)
        return luaL_error(L, "area{} needs coords = a list of at least 3 {lon, lat} points, or "
                             "source = a layer name");
    add_place_list(L, ov, -1, n, "point");
    lua_pop(L, 1);
    read_look(L, &area_keys, &ov->look);
    ov->hatch = ov->look.hatch;
    read_overlay_common(L, ov);
    return commit_overlay(L, sc);
}

/* hide "potash" [, "other", ...]: turns groups off, overlays and layers alike. */
static int sb_hide(lua_State *L)
{
    cor__script_t *sc = script_of(L);
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
        if (!cor__overlays_hide(&top_frame(sc)->ov, lua_tostring(L, i)))
            return luaL_error(L, "out of memory");
    return 0;
}

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
static char *read_beside(lua_State *L, const char *fn, const char *rel, size_t max, size_t *len,
                         struct stat *id)
{
    char *data = NULL;
    cor_error_t e = {0};
    check_relative(L, fn, rel);
    const char *file = caller_file(L, NULL);
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
static int raise_again(lua_State *L, int status)
{
    rethrow_limits(L, status);
    return lua_error(L);
}

static int csv_build_row(lua_State *L)
{
    build_ctx_t *c = lua_touserdata(L, 2);
    unsigned long long bytes = 0;
    for (size_t i = 0; i < c->ncols; i++)
        bytes += strlen(c->fields[i]);
    charge(L, ELEMENT_COST * (c->ncols + 1) + bytes);
    lua_createtable(L, 0, c->ncols < 1000 ? (int)c->ncols : 0);
    for (size_t i = 0; i < c->ncols; i++) {
        lua_pushstring(L, c->fields[i]);
        lua_setfield(L, -2, c->header[i]);
    }
    lua_rawseti(L, 1, ++c->n);
    return 0;
}

static void free_header(build_ctx_t *c)
{
    for (size_t i = 0; i < c->ncols; i++)
        free(c->header[i]);
    free(c->header);
    c->header = NULL;
    c->ncols = 0;
}

static cor_status_t csv_header(build_ctx_t *c, char **fields, size_t n, long line, cor_error_t *err)
{
    if (!(c->header = cor__calloc(n, sizeof *c->header)))
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
        c->ncols = i + 1;
    }
    return COR_OK;
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
    return run_builder(c, csv_build_row, err);
}

/* read_csv(path): the rows of a CSV file with a header line, each a table of strings keyed by
 * the column names. */
static int sb_read_csv(lua_State *L)
{
    const char *rel = luaL_checkstring(L, 1);
    size_t len;
    cor_error_t e = {0};
    lua_settop(L, 1);
    luaL_checkstack(L, 8, "read_csv");
    lua_newtable(L);
    build_ctx_t c = {L, rel, lua_gettop(L), 0, LUA_OK, NULL, 0, NULL, NULL};
    char *data = read_beside(L, "read_csv", rel, DATA_FILE_MAX, &len, NULL);
    charge_quiet(script_of(L), len / 8);
    cor_status_t st = cor__csv_parse(data, len, rel, csv_row, &c, &e);
    free(data);
    free_header(&c);
    if (c.status != LUA_OK)
        return raise_again(L, c.status);
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
        charge(L, nr + work);
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
    charge(L, ELEMENT_COST * (f->geom->npoints + f->nfields + 1));
    lua_createtable(L, 0, 3);
    lua_pushliteral(L, "Feature");
    lua_setfield(L, -2, "type");
    push_geometry(L, f->geom);
    lua_setfield(L, -2, "geometry");
    lua_createtable(L, 0, f->nfields < 1000 ? (int)f->nfields : 0);
    for (size_t i = 0; i < f->nfields; i++) {
        if (f->names[i] && f->values[i].type != COR__ATTR_NULL) {
            push_attr(L, &f->values[i]);
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
static int sb_read_geojson(lua_State *L)
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
    build_ctx_t c = {L, rel, lua_gettop(L), 0, LUA_OK, NULL, 0, NULL, NULL};
    char *data = read_beside(L, "read_geojson", rel, DATA_FILE_MAX, &len, NULL);
    charge_quiet(script_of(L), len / 8);
    cor_status_t st = cor__json_parse(data, len, rel, &j, &e);
    free(data);
    if (st == COR_OK)
        st = cor__json_each(j, geojson_feature, &c, &e);
    cor__json_close(j);
    if (c.status != LUA_OK)
        return raise_again(L, c.status);
    if (st != COR_OK)
        return luaL_error(L, "read_geojson: %s", e.message);
    lua_settop(L, 2);
    return 1;
}

/* ---- include and overlay: files run inside the running one ---- */

static bool remember_path(cor__script_t *sc, const char *path)
{
    for (size_t i = 0; i < sc->npaths; i++)
        if (strcmp(sc->paths[i], path) == 0)
            return true;
    if (!cor__grow((void **)&sc->paths, &sc->cap_paths, sc->npaths + 1, sizeof *sc->paths))
        return false;
    if (!(sc->paths[sc->npaths] = cor__strdup(path)))
        return false;
    sc->npaths++;
    return true;
}

/* Starts running `path` (its declarations collect in the new frame); `id` is the file's
 * identity, NULL to look it up by path. Returns: false on exhaustion. */
static bool push_frame(cor__script_t *sc, const char *path, const char *group, bool overlay,
                       size_t order_base, const struct stat *id)
{
    struct stat st;
    frame_t *fr = &sc->frames[sc->nframes];
    memset(fr, 0, sizeof *fr);
    fr->path = cor__strdup(path);
    fr->dir = cor__path_dirname(path);
    fr->group = group ? cor__strdup(group) : NULL;
    if (!fr->path || !fr->dir || (group && !fr->group)) {
        free(fr->path);
        free(fr->dir);
        free(fr->group);
        return false;
    }
    fr->overlay = overlay;
    fr->order_base = order_base;
    if (!id && stat(path, &st) == 0)
        id = &st;
    if (id && id->st_ino != 0) {
        fr->has_id = true;
        fr->dev = id->st_dev;
        fr->ino = id->st_ino;
    }
    sc->nframes++;
    return true;
}

/* Ends the innermost file, dropping what it declared and did not pass on. */
static void pop_frame(cor__script_t *sc)
{
    frame_t *fr = &sc->frames[--sc->nframes];
    release_refs(sc, &fr->style);
    cor__style_clear(&fr->style);
    cor__overlays_clear(&fr->ov);
    free(fr->path);
    free(fr->dir);
    free(fr->group);
    memset(fr, 0, sizeof *fr);
}

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
    if (!remember_path(sc, lua_tostring(L, path)))
        luaL_error(L, "out of memory");
    if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0)
        src += 3, len -= 3;
    if (len > 0 && src[0] == LUA_SIGNATURE[0])
        luaL_error(L, "%s: %s: precompiled Lua (bytecode) is not accepted", fn,
                   lua_tostring(L, path));
    int status = luaL_loadbufferx(L, src, len, lua_tostring(L, -1), "t");
    if (status != LUA_OK) {
        rethrow_limits(L, status);
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
    cor__script_t *sc = script_of(L);
    frame_t *parent = top_frame(sc);
    const char *path = lua_tostring(L, 2);
    if (sc->nframes > NEST_MAX)
        return luaL_error(L, "%s: files nest more than %d deep", fn, NEST_MAX);
    check_cycle(L, sc, fn, path, st);
    lua_pushcfunction(L, msgh);
    int h = lua_gettop(L);
    load_nested(L, sc, fn, 2, 4);
    /* nothing below may raise an error until the frame is gone again */
    if (!push_frame(sc, path, group, overlay, parent->order_base + parent->style.nlayers, st))
        return luaL_error(L, "out of memory");
    int status = lua_pcall(L, 0, 0, h);
    bool merged = status == LUA_OK && merge_frame(parent, top_frame(sc));
    pop_frame(sc);
    if (status != LUA_OK)
        return raise_again(L, status);
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
    if (fd < 0 || cor__read_fd(fd, path, STYLE_FILE_MAX, &data, len, &e) != COR_OK)
        luaL_error(L, "%s: %s", fn, e.message);
    return data;
}

/* For the argument of include or overlay, a path to a .lua file beside the calling script or
 * a plain name looked up in <data_dir>/<subdir>/<name>.lua, pushes the file's path, its stem
 * (the name, or the file name without ".lua") and its text; `id` gets its identity. */
static void push_script_path(lua_State *L, const char *fn, const char *subdir, struct stat *id)
{
    cor__script_t *sc = script_of(L);
    size_t len, tlen = 0;
    char *text;
    if (lua_gettop(L) != 1 || lua_type(L, 1) != LUA_TSTRING)
        luaL_error(L, "%s takes one name or path: %s \"name\"", fn, fn);
    const char *arg = lua_tolstring(L, 1, &len);
    if (strchr(arg, '/') || (len > 4 && strcmp(arg + len - 4, ".lua") == 0)) {
        const char *b = base_name(arg);
        size_t bl = strlen(b);
        lua_pushlstring(L, b, bl > 4 && strcmp(b + bl - 4, ".lua") == 0 ? bl - 4 : bl);
        text = read_beside(L, fn, arg, STYLE_FILE_MAX, &tlen, id);
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
        raise_again(L, status);
}

/* overlay "potash" or overlay "my/overlay.lua": runs an overlay file; what it declares joins
 * the group named after it unless it says otherwise. */
static int sb_overlay(lua_State *L)
{
    cor__script_t *sc = script_of(L);
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
    cor__script_t *sc = script_of(L);
    struct stat id;
    if (sc->nframes == 0)
        return luaL_error(L, "include can only be used while a style or overlay file runs");
    push_script_path(L, "include", "styles", &id);
    frame_t *fr = top_frame(sc);
    return run_nested(L, "include", &id, fr->group, fr->overlay);
}

/* ---- the module's interface ---- */

cor_status_t cor__script_new(const cor__script_limits_t *limits, cor__script_t **out,
                             cor_error_t *err)
{
    const cor__script_limits_t *def = &cor__script_default_limits;
    cor__script_t *sc = calloc(1, sizeof *sc);
    if (!sc)
        return cor__fail(err, COR_ERR_NOMEM, "out of memory creating the Lua state");
    sc->lim = limits ? *limits : *def;
    if (sc->lim.memory == 0)
        sc->lim.memory = def->memory;
    if (sc->lim.budget <= 0)
        sc->lim.budget = def->budget;
    if (!(sc->lim.seconds > 0))
        sc->lim.seconds = def->seconds;
    sc->env_ref = LUA_NOREF;
    sc->L = lua_newstate(sb_alloc, sc);
    if (!sc->L) {
        free(sc);
        return cor__fail(err, COR_ERR_NOMEM, "cannot create the Lua state");
    }
    lua_atpanic(sc->L, sb_panic);
    lua_pushcfunction(sc->L, setup);
    lua_pushlightuserdata(sc->L, sc);
    if (lua_pcall(sc->L, 1, 0, 0) != LUA_OK) {
        cor__script_free(sc);
        return cor__fail(err, COR_ERR_NOMEM,
                         "cannot set up the Lua sandbox (memory limit too low?)");
    }
    sc->hook_count = HOOK_STEP;
    lua_sethook(sc->L, sb_hook, LUA_MASKCOUNT, HOOK_STEP);
    *out = sc;
    return COR_OK;
}

void cor__script_free(cor__script_t *sc)
{
    if (!sc)
        return;
    while (sc->nframes > 0)
        pop_frame(sc);
    scratch_reset(sc);
    if (sc->L) {
        /* Finalizers still run on close: make any Lua they run fail at its first instruction. */
        set_fatal(sc, FATAL_CLOSED, NULL);
        sc->hook_count = 1;
        lua_sethook(sc->L, sb_hook, LUA_MASKCOUNT, 1);
        lua_close(sc->L);
    }
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
    begin_call(sc);
    int status = luaL_loadbufferx(sc->L, text, len, chunkname, "t");
    free(chunkname);
    if (status != LUA_OK)
        return fail_from_lua(sc, status, err);
    lua_rawgeti(sc->L, LUA_REGISTRYINDEX, sc->env_ref);
    lua_setupvalue(sc->L, -2, 1);
    return pcall_limited(sc, 0, 0, err);
}

/* Moves what frames[0] declared to the caller: overlays to the target, the rest to `style`.
 * Returns: false on exhaustion, with both as they were. */
static bool deliver(cor__script_t *sc, cor__style_t *style)
{
    frame_t *fr = &sc->frames[0];
    ov_mark_t m;
    if (!sc->target)
        return merge_style(style, &fr->style);
    if (!ov_append(sc->target, &fr->ov, &m))
        return false;
    if (!merge_style(style, &fr->style)) {
        ov_undo(sc->target, &m);
        return false;
    }
    ov_commit(&fr->ov);
    return true;
}

/* Runs a style (overlay false) or overlay file; see cor__script_run_style. */
static cor_status_t run_file(cor__script_t *sc, const char *path, cor__style_t *style, bool overlay,
                             cor_error_t *err)
{
    char *data = NULL, *stem = NULL;
    size_t len = 0;
    if (!sc || !path || !style || sc->nframes > 0)
        return cor__fail(err, COR_ERR_INTERNAL, "script: bad arguments to run a file");
    cor_status_t st = cor__read_file(path, STYLE_FILE_MAX, &data, &len, err);
    if (st != COR_OK)
        return st;
    const char *text = data;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) /* a UTF-8 byte order mark */
        text += 3, len -= 3;
    if (len > 0 && text[0] == LUA_SIGNATURE[0]) {
        free(data);
        return cor__fail(err, COR_ERR_STYLE,
                         "%s: precompiled Lua (bytecode) is not accepted; "
                         "%s files must be Lua source text",
                         path, overlay ? "overlay" : "style");
    }
    if (overlay) {
        const char *b = base_name(path);
        size_t bl = strlen(b);
        stem = cor__strndup(b, bl > 4 && cor__ends_with_ci(b, ".lua") ? bl - 4 : bl);
    }
    if ((overlay && !stem) || !remember_path(sc, path) ||
        !push_frame(sc, path, stem, overlay, style->nlayers, NULL)) {
        free(stem);
        free(data);
        return cor__fail(err, COR_ERR_NOMEM, "out of memory");
    }
    free(stem);
    st = run_chunk(sc, path, text, len, err);
    if (st == COR_OK && !deliver(sc, style))
        st = cor__fail(err, COR_ERR_NOMEM, "out of memory");
    while (sc->nframes > 0)
        pop_frame(sc);
    scratch_reset(sc);
    free(data);
    return st;
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
    push_feature(L, a->f);
    lua_call(L, 1, 1);
    if (to_pval(L, -1, a->out, why, sizeof why))
        return 0;
    lua_pushvalue(L, 2);
    lua_getinfo(L, ">S", &ar);
    ar.currentline = ar.linedefined;
    format_where(&ar, where, sizeof where);
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
    cor_status_t st = pcall_limited(sc, 1, 0, err);
    if (st != COR_OK)
        cor__pval_clear(out);
    return st;
}
