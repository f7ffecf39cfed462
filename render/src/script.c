/* script: the embedded Lua 5.4, sandboxed. It runs style files that declare map{} and layer{}
 * into a cor__style_t and evaluates the per-feature functions they contain. Sandboxed code sees
 * no os, io, require, package, debug, coroutine, dofile/loadfile or bytecode; it runs under an
 * instruction budget, a time limit and a memory cap, and its print() goes to a log: this module
 * never writes to stdout or stderr. Lua's types never leave this file. */
#include "script.h"

#include <ctype.h>
#include <lauxlib.h>
#include <limits.h>
#include <lua.h>
#include <lualib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

typedef enum fatal {
    FATAL_NONE = 0,
    FATAL_BUDGET,
    FATAL_TIME,
    FATAL_MEMORY,
    FATAL_CLOSED,
} fatal_t;

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
    /* while a style file runs */
    cor__style_t *pending; /* what the file declares; merged into the caller's style on success */
    const char *path;
    char *base_dir;
    size_t order_base; /* layers the caller's style had before */
    int map_line;      /* line of map{}, 0 before it */
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
    if ((!where || !*where) && sc->path)
        where = sc->path;
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
        snprintf(msg, sizeof msg, "%s: error object is a %s value", sc->path ? sc->path : "lua",
                 luaL_typename(L, -1));
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
    "assert", "error",  "getmetatable", "ipairs",   "next", "pairs",    "rawequal",     "rawget",
    "rawlen", "rawset", "select",       "tostring", "type", "_VERSION", "setmetatable",
};

static int sb_map(lua_State *L);
static int sb_layer(lua_State *L);

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
        {NULL, NULL},
    };
    for (size_t i = 0; i < COR__ARRAY_LEN(base_allowed); i++) {
        lua_getglobal(L, base_allowed[i]);
        lua_setfield(L, env, base_allowed[i]);
    }
    lua_getglobal(L, "tonumber");
    lua_pushcclosure(L, sb_charged, 1);
    lua_setfield(L, env, "tonumber");
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

/* ---- map{} and layer{} ---- */

typedef struct keyset {
    const char *what; /* "map" or "layer" */
    const char *const *keys;
    size_t nkeys;
    bool props; /* the style properties are keys too */
} keyset_t;

static const char *const map_key_names[] = {"crs",        "extent", "size",     "dpi",
                                            "background", "title",  "subtitle", "credits"};
static const char *const layer_key_names[] = {"source", "name", "order", "legend"};
static const keyset_t map_keys = {"map", map_key_names, COR__ARRAY_LEN(map_key_names), false};
static const keyset_t layer_keys = {"layer", layer_key_names, COR__ARRAY_LEN(layer_key_names),
                                    true};

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
 * unknown key of the table at index 1, with a suggestion when one is close. */
static void check_keys(lua_State *L, const keyset_t *ks)
{
    char unknown[64] = "";
    bool have = false;
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "%s{} takes named keys only (key = value), found a %s key", ks->what,
                       luaL_typename(L, -1));
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

/* Pushes t[key] of the table at index 1 (raw) and returns its type. */
static int raw_field(lua_State *L, const char *key)
{
    lua_pushstring(L, key);
    return lua_rawget(L, 1);
}

static char *dup_or_fail(lua_State *L, const char *s)
{
    char *d = cor__strdup(s ? s : "");
    if (!d)
        luaL_error(L, "out of memory");
    return d;
}

/* Reads an optional string field into *dst (which must be NULL). Returns: true when present. */
static bool read_string(lua_State *L, const char *key, char **dst)
{
    size_t len;
    int t = raw_field(L, key);
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return false;
    }
    if (t != LUA_TSTRING)
        luaL_error(L, "%s must be a string, got %s", key, lua_typename(L, t));
    const char *s = lua_tolstring(L, -1, &len);
    if (!(*dst = cor__strndup(s, len)))
        luaL_error(L, "out of memory");
    lua_pop(L, 1);
    return true;
}

/* Reads an optional finite number field. Returns: true when present. */
static bool read_number(lua_State *L, const char *key, double *dst)
{
    int t = raw_field(L, key);
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return false;
    }
    if (t != LUA_TNUMBER)
        luaL_error(L, "%s must be a number, got %s", key, lua_typename(L, t));
    *dst = lua_tonumber(L, -1);
    if (!isfinite(*dst))
        luaL_error(L, "%s must be a finite number", key);
    lua_pop(L, 1);
    return true;
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

static void read_extent(lua_State *L, cor__mapdef_t *m)
{
    double e[4];
    int t = raw_field(L, "extent");
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    if (!read_numbers(L, e, 4))
        luaL_error(L, "extent must be {west, south, east, north} in degrees, got %s",
                   t == LUA_TTABLE ? "another table" : lua_typename(L, t));
    if (!(e[0] >= -180 && e[2] <= 180 && e[1] >= -90 && e[3] <= 90))
        luaL_error(L, "extent {%f, %f, %f, %f} is outside -180..180, -90..90", e[0], e[1], e[2],
                   e[3]);
    if (!(e[0] < e[2] && e[1] < e[3]))
        luaL_error(L, "extent must have west < east and south < north");
    m->extent = (cor_bbox_t){e[0], e[1], e[2], e[3]};
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

/* Common start of map{} and layer{}. */
static cor__script_t *begin_decl(lua_State *L, const char *what)
{
    cor__script_t *sc = script_of(L);
    if (!sc->pending)
        luaL_error(L, "%s{} can only be used while a style file runs", what);
    if (lua_gettop(L) != 1 || lua_type(L, 1) != LUA_TTABLE)
        luaL_error(L, "%s{} takes one table: %s { key = value, ... }", what, what);
    return sc;
}

static int sb_map(lua_State *L)
{
    cor__script_t *sc = begin_decl(L, "map");
    if (sc->map_line != 0)
        return luaL_error(L, "map{} given twice (first at line %d)", sc->map_line);
    check_keys(L, &map_keys);
    lua_Debug ar;
    sc->map_line = (lua_getstack(L, 1, &ar) && lua_getinfo(L, "l", &ar) && ar.currentline > 0)
                       ? ar.currentline
                       : -1;
    cor__mapdef_t *m = &sc->pending->map;
    if (read_string(L, "crs", &m->crs) && !m->crs[0])
        luaL_error(L, "crs must not be empty");
    read_extent(L, m);
    read_page(L, m);
    read_background(L, m);
    read_string(L, "title", &m->title);
    read_string(L, "subtitle", &m->subtitle);
    read_string(L, "credits", &m->credits);
    return 0;
}

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

static int sb_layer(lua_State *L)
{
    cor__script_t *sc = begin_decl(L, "layer");
    lua_Debug ar;
    check_keys(L, &layer_keys);
    cor__layer_style_t *ls = cor__style_add_layer(sc->pending);
    if (!ls)
        return luaL_error(L, "out of memory");
    ls->line = (lua_getstack(L, 1, &ar) && lua_getinfo(L, "l", &ar) && ar.currentline > 0)
                   ? ar.currentline
                   : 0;
    ls->order = (double)(sc->order_base + sc->pending->nlayers);
    ls->file = dup_or_fail(L, sc->path);
    ls->base_dir = dup_or_fail(L, sc->base_dir);
    if (!read_string(L, "source", &ls->source) || !ls->source[0])
        return luaL_error(L, "layer{} needs a source: a geodata layer name like \"countries\" "
                             "or a shapefile path");
    if (!read_string(L, "name", &ls->name))
        ls->name = dup_or_fail(L, ls->source);
    read_number(L, "order", &ls->order);
    read_legend(L, ls);
    for (int id = 0; id < COR__P_COUNT; id++)
        read_prop(L, (cor__prop_id_t)id, &ls->props[id]);
    return 0;
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
    free(sc->base_dir);
    cor__buf_free(&sc->log);
    free(sc);
}

const char *cor__script_log(const cor__script_t *sc)
{
    return (sc && sc->log.data) ? sc->log.data : "";
}

int cor__script_stack_depth(const cor__script_t *sc)
{
    return sc ? lua_gettop(sc->L) : 0;
}

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

/* Moves what a style file declared into the caller's style (not its path: the caller sets that).
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
    cor__mapdef_t *d = &dst->map, *s = &src->map;
    char **strs[][2] = {{&d->crs, &s->crs},
                        {&d->title, &s->title},
                        {&d->subtitle, &s->subtitle},
                        {&d->credits, &s->credits}};
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
    return true;
}

/* Releases the function references of layers that will not be kept. */
static void release_refs(cor__script_t *sc, cor__style_t *s)
{
    for (size_t i = 0; i < s->nlayers; i++)
        for (int id = 0; id < COR__P_COUNT; id++)
            if (s->layers[i].props[id].dynamic)
                luaL_unref(sc->L, LUA_REGISTRYINDEX, s->layers[i].props[id].ref);
}

/* Loads and runs the chunk with map{} and layer{} writing into sc->pending. */
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

cor_status_t cor__script_run_style(cor__script_t *sc, const char *path, cor__style_t *style,
                                   cor_error_t *err)
{
    char *data = NULL;
    size_t len = 0;
    cor__style_t pending = {0};
    if (!sc || !path || !style || sc->pending)
        return cor__fail(err, COR_ERR_INTERNAL, "script: bad arguments to run a style");
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
                         "style files must be Lua source text",
                         path);
    }
    if (!remember_path(sc, path) || !(sc->base_dir = cor__path_dirname(path))) {
        free(data);
        return cor__fail(err, COR_ERR_NOMEM, "out of memory");
    }
    sc->pending = &pending;
    sc->path = path;
    sc->order_base = style->nlayers;
    sc->map_line = 0;
    st = run_chunk(sc, path, text, len, err);
    sc->pending = NULL;
    if (st == COR_OK && !merge_style(style, &pending))
        st = cor__fail(err, COR_ERR_NOMEM, "out of memory");
    if (st != COR_OK)
        release_refs(sc, &pending);
    cor__style_clear(&pending);
    free(sc->base_dir);
    sc->base_dir = NULL;
    sc->path = NULL;
    free(data);
    return st;
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
