/* Unit tests for script: the sandbox holds (escapes, bytecode, limits, pathological library
 * calls), errors name file and line, and a good style file becomes the expected cor__style_t
 * whose functions evaluate against hand-made features. Failure cases first. */
#include <fcntl.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "script.h"
#include "testutil.h"
#include "util.h"

#define HANG_GUARD 20.0 /* seconds: only to catch a hang, not a speed assertion */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Writes `text` to a fresh directory as `name`. Returns: the malloc'd path. */
static char *write_style(const char *name, const char *text)
{
    static int serial;
    char sub[32];
    snprintf(sub, sizeof sub, "script%d", serial++);
    char *dir = cor_test_tmpdir(sub);
    char *path = cor__path_join(dir, name);
    cor_test_write(path, text, strlen(text));
    free(dir);
    return path;
}

static cor__script_t *new_script(const cor__script_limits_t *lim)
{
    cor__script_t *sc = NULL;
    cor_error_t err = {0};
    ck_assert_int_eq(cor__script_new(lim, &sc, &err), COR_OK);
    ck_assert_ptr_nonnull(sc);
    return sc;
}

/* Runs `text` as the style file `name` in `sc`. Returns: the status; the message in err. */
static cor_status_t run_in(cor__script_t *sc, const char *name, const char *text,
                           cor__style_t *style, cor_error_t *err)
{
    char *path = write_style(name, text);
    cor_status_t st = cor__script_run_style(sc, path, style, err);
    ck_assert_int_eq(cor__script_stack_depth(sc), 0);
    free(path);
    return st;
}

/* Runs `text` as evil.lua in a fresh state with `lim` and expects COR_ERR_STYLE whose message
 * contains `needle`; checks it took less than the hang guard. */
static void expect_fail_lim(const cor__script_limits_t *lim, const char *text, const char *needle)
{
    cor__script_t *sc = new_script(lim);
    cor__style_t style = {0};
    cor_error_t err = {0};
    double t0 = now();
    cor_status_t st = run_in(sc, "evil.lua", text, &style, &err);
    double took = now() - t0;
    ck_assert_msg(st == COR_ERR_STYLE, "%s\n-> status %d: %s", text, st, err.message);
    ck_assert_msg(strstr(err.message, needle) != NULL, "%s\n-> '%s' lacks '%s'", text, err.message,
                  needle);
    ck_assert_msg(took < HANG_GUARD, "%s took %.1f s", text, took);
    ck_assert_uint_eq(style.nlayers, 0);
    cor__style_clear(&style);
    cor__script_free(sc);
}

static void expect_fail(const char *text, const char *needle)
{
    expect_fail_lim(NULL, text, needle);
}

/* Runs `text` and expects success. */
static void expect_ok(cor__script_t *sc, const char *text)
{
    cor__style_t style = {0};
    cor_error_t err = {0};
    ck_assert_msg(run_in(sc, "ok.lua", text, &style, &err) == COR_OK, "%s\n-> %s", text,
                  err.message);
    cor__style_clear(&style);
}

/* ---- escapes ---- */

START_TEST(escapes_fail)
{
    static const char *const cases[][2] = {
        {"os.execute('touch pwned')", "evil.lua:1: attempt to index a nil value (global 'os')"},
        {"io.open('/etc/passwd')", "(global 'io')"},
        {"require 'os'", "attempt to call a nil value (global 'require')"},
        {"package.loadlib('libc.so.6', 'system')", "(global 'package')"},
        {"debug.getinfo(1)", "(global 'debug')"},
        {"dofile('/etc/passwd')", "(global 'dofile')"},
        {"loadfile('/etc/passwd')", "(global 'loadfile')"},
        {"load(string.dump(function() end))", "attempt to call a nil value (field 'dump')"},
        {"local d = ('').dump\nd(print)", "evil.lua:2: attempt to call a nil value (local 'd')"},
        {"local d = getmetatable('').__index.dump", "attempt to index a boolean value"},
        {"collectgarbage('stop')", "not available in the sandbox"},
        {"collectgarbage()", "not available in the sandbox"},
        {"coroutine.wrap(print)()", "(global 'coroutine')"},
        {"rawget(_G, 'os').execute('x')", "attempt to index a nil value"},
        {"load(function() return nil end)", "bad argument #1 to 'load'"},
        {"setmetatable('', {})", "bad argument #1 to 'setmetatable'"},
        {"assert(load('return io'))().open('/etc/passwd')", "attempt to index a nil value"},
        {"assert(load('return os', 'x', 'b'))().exit(1)", "attempt to index a nil value"},
        {"warn('@on')", "(global 'warn')"},
        {"string.dump(print)", "(field 'dump')"},
    };
    for (size_t i = 0; i < COR__ARRAY_LEN(cases); i++)
        expect_fail(cases[i][0], cases[i][1]);
    ck_assert(access("pwned", F_OK) != 0);
}
END_TEST

/* Compiles `chunk` with a plain Lua state into bytecode. */
static int dump_writer(lua_State *L, const void *p, size_t n, void *ud)
{
    (void)L;
    return !cor__buf_append(ud, p, n);
}

static cor__buf_t bytecode(const char *chunk)
{
    cor__buf_t b = {0};
    lua_State *L = luaL_newstate();
    ck_assert_int_eq(luaL_loadstring(L, chunk), LUA_OK);
    ck_assert_int_eq(lua_dump(L, dump_writer, &b, 0), 0);
    lua_close(L);
    ck_assert(b.len > 4 && b.data[0] == '\x1b');
    return b;
}

START_TEST(bytecode_is_refused)
{
    cor__buf_t b = bytecode("map { title = 'compiled' }");
    /* a style file that is bytecode */
    char *dir = cor_test_tmpdir("script");
    char *path = cor__path_join(dir, "compiled.lua");
    cor_test_write(path, b.data, b.len);
    cor__script_t *sc = new_script(NULL);
    cor__style_t style = {0};
    cor_error_t err = {0};
    ck_assert_int_eq(cor__script_run_style(sc, path, &style, &err), COR_ERR_STYLE);
    ck_assert_ptr_nonnull(strstr(err.message, "compiled.lua: precompiled Lua (bytecode)"));
    ck_assert_ptr_null(style.map.title);
    /* bytecode handed to load() from inside the sandbox, as a string literal */
    cor__buf_t src = {0};
    cor__buf_puts(&src, "local f, e = load(\"");
    for (size_t i = 0; i < b.len; i++)
        cor__buf_printf(&src, "\\%03u", (unsigned char)b.data[i]);
    cor__buf_puts(&src, "\")\nassert(f == nil)\nerror(e)\n");
    expect_fail(src.data, "attempt to load a binary chunk");
    cor__buf_free(&src);
    /* a file that merely starts like bytecode */
    expect_fail("\x1bLua garbage", "precompiled Lua");
    cor__buf_free(&b);
    cor__script_free(sc);
    free(path);
    free(dir);
}
END_TEST

/* ---- limits ---- */

START_TEST(endless_loop_stops)
{
    expect_fail("local x = 0\nx = x + 1\nwhile true do end\n",
                "evil.lua:3: instruction budget exhausted (endless loop?)");
    /* pcall and xpcall cannot swallow it */
    expect_fail("while true do pcall(function() while true do end end) end",
                "evil.lua:1: instruction budget exhausted");
    expect_fail("xpcall(function() while true do end end, function() return 'swallowed' end)\n"
                "error('survived')",
                "evil.lua:1: instruction budget exhausted");
    /* recursion without end runs into Lua's own stack limit */
    expect_fail("local function f() return 1 + f() end\nf()", "evil.lua:1: ");
}
END_TEST

START_TEST(budget_lasts_for_the_state)
{
    cor__script_limits_t lim = {0, 2000000, 0};
    cor__script_t *sc = new_script(&lim);
    cor__style_t style = {0};
    cor_error_t err = {0};
    ck_assert_int_eq(run_in(sc, "spin.lua",
                            "layer { source = 'x',\n"
                            "        width = function(f) for i = 1, 20000 do end return 1 end }\n",
                            &style, &err),
                     COR_OK);
    cor__pval_t v;
    int ok = 0;
    cor_status_t st;
    while ((st = cor__script_eval(sc, &style.layers[0].props[COR__P_WIDTH], NULL, &v, &err)) ==
           COR_OK) {
        ck_assert_double_eq(v.num, 1);
        ck_assert_int_eq(cor__script_stack_depth(sc), 0);
        ok++;
    }
    ck_assert_int_eq(st, COR_ERR_STYLE);
    ck_assert_msg(ok > 5 && ok < 200, "%d calls", ok);
    ck_assert_ptr_nonnull(strstr(err.message, "spin.lua:2: instruction budget exhausted"));
    ck_assert_int_eq(cor__script_stack_depth(sc), 0);
    /* exhausted for good: the next call fails at once, and so does a new style */
    cor_error_clear(&err);
    ck_assert_int_eq(cor__script_eval(sc, &style.layers[0].props[COR__P_WIDTH], NULL, &v, &err),
                     COR_ERR_STYLE);
    ck_assert_ptr_nonnull(strstr(err.message, "instruction budget exhausted"));
    ck_assert_int_eq(v.type, COR__PV_NIL);
    cor_error_clear(&err);
    ck_assert_int_eq(run_in(sc, "next.lua", "map { title = 'x' }", &style, &err), COR_ERR_STYLE);
    cor__style_clear(&style);
    cor__script_free(sc);
}
END_TEST

START_TEST(memory_bombs_stop)
{
    expect_fail("local t = {}\nwhile true do t[#t+1] = string.rep('x', 1e6) end\n",
                "evil.lua:2: memory limit of 64 MiB exceeded");
    expect_fail("local s = string.rep('x', 1e12)", "evil.lua:1: memory limit of 64 MiB exceeded");
    expect_fail("local s = ('x'):rep(1e7, ('y'):rep(1e3))", "memory limit of 64 MiB exceeded");
    expect_fail("local t = {}\nfor i = 1, 1e9 do t[i] = i end", "evil.lua:2: memory limit");
    expect_fail("local s = 'x'\nwhile true do s = s .. s end", "evil.lua:2: memory limit");
    /* not even a pcall or a load survives it */
    expect_fail("print(pcall(string.rep, 'x', 1e12))\nerror('survived')", "memory limit");
    expect_fail("pcall(function() local t = {} while true do t[#t+1] = ('x'):rep(1e6) end end)\n"
                "error('survived')",
                "evil.lua:1: memory limit");
    expect_fail("local t = {}\nxpcall(function() while true do t[#t+1] = {} end end,\n"
                "       function(m) return 'swallowed' end)\nerror('survived')",
                "memory limit");
    cor__script_limits_t lim = {8u << 20, 0, 0};
    expect_fail_lim(&lim, "local t = {}\nwhile true do t[#t+1] = ('x'):rep(1e5) end",
                    "evil.lua:2: memory limit of 8 MiB exceeded");
}
END_TEST

START_TEST(memory_error_does_not_kill_the_state)
{
    cor__script_t *sc = new_script(NULL);
    cor__style_t style = {0};
    cor_error_t err = {0};
    ck_assert_int_eq(
        run_in(sc, "bomb.lua", "local t = {}\nwhile true do t[#t+1] = {} end", &style, &err),
        COR_ERR_STYLE);
    ck_assert_ptr_nonnull(strstr(err.message, "bomb.lua:2: memory limit"));
    expect_ok(sc, "local t = {}\nfor i = 1, 1e5 do t[i] = i end\nmap { title = 'fine' }");
    cor__script_free(sc);
}
END_TEST

START_TEST(time_limit_stops_slow_instructions)
{
    /* comparing two distinct 8 MB strings is one instruction that takes milliseconds */
    cor__script_limits_t lim = {0, 0, 1.0};
    expect_fail_lim(&lim,
                    "local a, b = ('x'):rep(8e6), ('x'):rep(8e6)\n"
                    "while true do local same = a == b end\n",
                    "evil.lua:2: time limit of 1 s exceeded");
    expect_fail_lim(&lim,
                    "local a, b = ('x'):rep(2e7), ('x'):rep(2e7)\n"
                    "while true do local less = a < b end\n",
                    "evil.lua:2: time limit of 1 s exceeded");
    /* arithmetic on a 30 MB numeric string converts all of it: charged like a library call */
    expect_fail("local s = ('1'):rep(3e7)\nwhile true do local x = s + 0 end",
                "evil.lua:2: instruction budget exhausted");
    /* copying a 20 MB string is paid for by the allocation it makes */
    expect_fail("local s = ('x'):rep(2e7)\nwhile true do local t = s .. 'y' end", "evil.lua:2: ");
}
END_TEST

START_TEST(pathological_library_calls_stop)
{
    static const char *const cases[][2] = {
        {"local s = string.rep('a', 1e6)\nreturn s:find('.-.-.-.-.-b')", "pattern too costly"},
        {"return string.rep('a', 1e5):match('a-a-a-b')", "pattern too costly"},
        {"return ('a'):rep(3e4):find('(a*)*b')", "pattern too costly"},
        {"for w in ('a'):rep(1e5):gmatch('a-a-b') do end", "pattern too costly"},
        {"return ('a'):rep(1e6):gsub('', ('%0'):rep(1e6))", "pattern too costly"},
        {"return ('('):rep(1e5):gsub('%b()', '')", "pattern too costly"},
        {"return ('a'):rep(2e7):find(('a'):rep(5e6) .. 'b', 1, true)", "pattern too costly"},
        {"return table.concat(setmetatable({}, {__index = function() return '' end}), '', 1, "
         "1e12)",
         "table.concat: 10000000000000 steps of work would exceed the instruction budget"},
        {"local t = setmetatable({}, {__len = function() return 1e15 end,\n"
         "  __index = type, __newindex = type})\ntable.insert(t, 1, 0)",
         "evil.lua:3: table.insert:"},
        {"table.remove(setmetatable({}, {__len = function() return 1e15 end, __index = type,\n"
         "  __newindex = type}), 1)",
         "table.remove:"},
        {"table.move({}, 1, 1e15, 2)", "table.move:"},
        {"table.sort(setmetatable({}, {__len = function() return 2^40 end}))", "table.sort:"},
        {"return table.unpack({}, 1, 1e12)", "table.unpack:"},
        {"return string.format('%99999d', 1)", "invalid conversion"},
        {"return ('x'):rep(1e4):find('[%a', 1)", "malformed pattern"},
    };
    for (size_t i = 0; i < COR__ARRAY_LEN(cases); i++)
        expect_fail(cases[i][0], cases[i][1]);
    /* cheap calls that Lua itself would turn into long loops return at once */
    cor__script_t *sc = new_script(NULL);
    double t0 = now();
    expect_ok(sc, "assert(string.rep('', 1e12) == '')\nassert(string.rep('', 1e12, '') == '')\n"
                  "assert(('ab'):rep(3, ',') == 'ab,ab,ab')\nassert(('x'):rep(-1) == '')");
    ck_assert(now() - t0 < HANG_GUARD);
    cor__script_free(sc);
}
END_TEST

/* Runs `chunk` in the sandbox and in a plain Lua state; both must print the same. */
static void same_as_plain_lua(cor__script_t *sc, const char *chunk)
{
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    ck_assert_int_eq(luaL_dostring(L, "out = {} function print(...) local t = table.pack(...)\n"
                                      "for i = 1, t.n do t[i] = tostring(t[i]) end\n"
                                      "out[#out+1] = table.concat(t, '\\t') .. '\\n' end"),
                     LUA_OK);
    ck_assert_msg(luaL_dostring(L, chunk) == LUA_OK, "%s", lua_tostring(L, -1));
    ck_assert_int_eq(luaL_dostring(L, "return table.concat(out)"), LUA_OK);
    size_t before = strlen(cor__script_log(sc));
    expect_ok(sc, chunk);
    ck_assert_str_eq(cor__script_log(sc) + before, lua_tostring(L, -1));
    lua_close(L);
}

START_TEST(ordinary_library_calls_still_work)
{
    cor__script_t *sc = new_script(NULL);
    same_as_plain_lua(
        sc,
        "local words = {}\n"
        "for i = 1, 2000 do words[#words+1] = 'Word' .. i .. (i % 7 == 0 and '  (x)' or '') end\n"
        "local text = table.concat(words, ' ')\n"
        "print(#text, select(2, text:gsub('%s+', ' ')))\n"
        "print(text:match('^%s*(.-)%s*$'):sub(1, 20))\n"
        "print(text:find('(%d+)%s+%((%a)%)'))\n"
        "print(text:find('Word1999', 1, true), text:find('d1(', 1, true))\n"
        "local n = 0 for w in text:gmatch('%a+%d+') do n = n + 1 end print(n)\n"
        "print(('f(a(b)c)d'):match('%b()'), ('THE (quick) fox'):find('%f[%a]%a+', 5))\n"
        "print(#(('a'):rep(1e5):gsub('%b()', '')), ('(x)'):rep(1e4):gsub('%b()', '.'):sub(1, 9))\n"
        "local doc = ('<b>bold</b> and plain text, '):rep(1500)\n"
        "print(#doc, doc:find('<(.-)>', 2e4), select(2, doc:gsub('<(%a+)>', '[%1]')))\n"
        "print(('hello world'):gsub('(%w+)', '<%1>'))\n"
        "print(('abc'):gsub('', '-'), ('x=1, y=2'):gsub('(%w+)=(%w+)', '%2=%1'))\n"
        "print(string.format('%5.2f|%q|%d', 3.14159, 'a\\nb', 42))\n"
        "local t = {5, 2, 8, 1}\ntable.sort(t)\ntable.insert(t, 1, 0)\ntable.insert(t, 9)\n"
        "print(table.concat(t, ','), table.remove(t), table.remove(t, 1), #t)\n"
        "print(table.unpack(table.move({1, 2, 3}, 1, 3, 2)))\n"
        "print(utf8.len('Klaipėda'), utf8.char(352, 105), tonumber('0x10'), tonumber('z', 36))\n"
        "local p = setmetatable({}, {__index = function(_, i) return i * 2 end, __len = "
        "function() return 3 end})\n"
        "print(table.concat(p, ' '), table.unpack(p))\n"
        "local s = setmetatable({3, 1, 2}, {})\ntable.sort(s, function(a, b) return a > b end)\n"
        "print(s[1], s[2], s[3])\n"
        "print(pcall(error, 'plain'), select('#', pcall(error)))\n"
        "print(xpcall(function() error('x', 0) end, function(m) return 'handled ' .. m end))\n"
        "print(load('return 1 + ...')(41), load('syntax error here'))\n"
        "print(math.type(1), math.type(1.5), math.maxinteger // 2, 7 // 2, 2^10)\n");
    /* math.random is seeded the same way in every state */
    cor__script_t *other = new_script(NULL);
    const char *rnd = "print(math.random(1, 1000000), math.random(1, 1000000))";
    expect_ok(sc, rnd);
    expect_ok(other, rnd);
    const char *a = cor__script_log(sc), *b = cor__script_log(other);
    ck_assert_uint_gt(strlen(b), 2);
    ck_assert_str_eq(a + strlen(a) - strlen(b), b);
    cor__script_free(other);
    cor__script_free(sc);
}
END_TEST

/* ---- error messages ---- */

START_TEST(syntax_error_names_file_and_line)
{
    static const char bad[] = "map { title = 'x' }\nlocal a = 1\nif a then\nend end\n";
    expect_fail(bad, "evil.lua:4: ");
    expect_fail(bad, "expected near 'end'");
    expect_fail("layer { source = 'x',\n  fill = 'red'\n  stroke = 'blue' }",
                "evil.lua:3: '}' expected (to close '{' at line 1) near 'stroke'");
    expect_fail("error('boom')", "evil.lua:1: boom");
    expect_fail("\n\nerror({})", "evil.lua:3: error object is a table value");
    expect_fail("local x = nil + 1", "evil.lua:1: attempt to perform arithmetic on a nil value");
}
END_TEST

START_TEST(long_paths_are_not_shortened)
{
    char *dir = cor_test_tmpdir("script");
    char *deep = cor__path_join(dir, "a_rather_long_directory_name_so_that_lua_would_shorten_it");
    ck_assert_int_eq(mkdir(deep, 0755), 0);
    char *path = cor__path_join(deep, "evil.lua");
    char *expect = cor__asprintf("%s:2: attempt to call a nil value (global 'nope')", path);
    cor_test_write(path, "local x = 1\nnope()\n", 19);
    cor__script_t *sc = new_script(NULL);
    cor__style_t style = {0};
    cor_error_t err = {0};
    ck_assert_int_eq(cor__script_run_style(sc, path, &style, &err), COR_ERR_STYLE);
    ck_assert_str_eq(err.message, expect);
    cor_test_write(path, "\nlocal x = = 1\n", 14);
    cor_error_clear(&err);
    ck_assert_int_eq(cor__script_run_style(sc, path, &style, &err), COR_ERR_STYLE);
    ck_assert_msg(strncmp(err.message, path, strlen(path)) == 0, "%s", err.message);
    ck_assert_ptr_nonnull(strstr(err.message, ":2: unexpected symbol near '='"));
    cor__script_free(sc);
    free(expect);
    free(path);
    free(deep);
    free(dir);
}
END_TEST

START_TEST(bad_declarations_are_explained)
{
    static const char *const cases[][2] = {
        {"layer { source = 'countries', fil = 'red' }",
         "evil.lua:1: unknown key 'fil' in layer{} (did you mean 'fill'?)"},
        {"\n\nlayer {\n source = 'x',\n Stroke = 'red' }",
         "evil.lua:3: unknown key 'Stroke' in layer{} (did you mean 'stroke'?)"},
        {"layer { source = 'x', strokewidth = 1, zzz = 2 }",
         "unknown key 'strokewidth' in layer{}"},
        {"layer { source = 'x', casingwidth = 1 }", "(did you mean 'casing_width'?)"},
        {"map { titel = 'x' }", "evil.lua:1: unknown key 'titel' in map{} (did you mean 'title'?)"},
        {"layer { source = 'x', width = '2' }",
         "evil.lua:1: width must be a number or a function, got string"},
        {"layer { source = 'x', fill = 3 }",
         "fill must be a colour or false or a function, got number"},
        {"layer { source = 'x',\n  fill = 'blu' }", "evil.lua:1: fill: 'blu' is not a colour"},
        {"layer { source = 'x', width = 101 }", "width: 101 is out of range (0 to 100 pt)"},
        {"layer { source = 'x', opacity = 2 }", "opacity: 2 is out of range (0 to 1)"},
        {"layer { source = 'x', dash = { 4, 0 } }", "dash: entry 2 is 0"},
        {"layer { source = 'x', dash = { 4, 'a' } }", "dash must be a list of numbers or false"},
        {"layer { source = 'x', dash = {1,1,1,1,1,1,1,1,1} }", "dash must be a list of numbers"},
        {"layer { source = 'x', cap = 'pointy' }", "cap: 'pointy' is not a line cap"},
        {"layer { source = 'x', join = 'sharp' }", "join: 'sharp' is not a line join"},
        {"layer { source = 'x', marker = 'blob' }", "marker: 'blob' is not a marker"},
        {"layer { source = 'x', label_color = false }",
         "label_color must be a colour or a function"},
        {"layer { source = 'x', filter = print, order = 'first' }",
         "order must be a number, got string"},
        {"layer { source = 'x', legend = 3 }", "legend must be a string or a boolean, got number"},
        {"layer { name = 'x' }", "evil.lua:1: layer{} needs a source"},
        {"layer { source = '' }", "layer{} needs a source"},
        {"layer { source = 42 }", "source must be a string, got number"},
        {"layer { 'countries' }",
         "layer{} takes named keys only (key = value), found a number key"},
        {"layer 'countries'", "layer{} takes one table"},
        {"layer({ source = 'x' }, 2)", "layer{} takes one table"},
        {"map { title = 'a' }\nmap { title = 'b' }",
         "evil.lua:2: map{} given twice (first at line 1)"},
        {"map { crs = '' }", "crs must not be empty"},
        {"map { extent = { 1, 2, 3 } }", "extent must be {west, south, east, north} in degrees"},
        {"map { extent = { 10, 50, 5, 60 } }", "west < east"},
        {"map { extent = { 10, 50, 200, 60 } }", "outside -180..180"},
        {"map { size = '2400*1800' }", "size must be \"WIDTHxHEIGHT\" or {width, height}"},
        {"map { size = { 0, 10 } }", "whole numbers of pixels from 1 to 100000"},
        {"map { size = '100.5x20' }", "size must be"},
        {"map { dpi = 0 }", "dpi must be between 1 and 10000"},
        {"map { background = 'sea' }", "background: 'sea' is not a colour"},
        {"map { background = 1 }", "background must be a colour string, got number"},
    };
    for (size_t i = 0; i < COR__ARRAY_LEN(cases); i++)
        expect_fail(cases[i][0], cases[i][1]);
}
END_TEST

START_TEST(failed_style_changes_nothing)
{
    cor__script_t *sc = new_script(NULL);
    cor__style_t style = {0};
    cor_error_t err = {0};
    cor__style_add_layer(&style)->name = cor__strdup("mine");
    style.map.title = cor__strdup("before");
    ck_assert_int_eq(run_in(sc, "half.lua",
                            "map { title = 'after', crs = 'EPSG:3035' }\n"
                            "layer { source = 'a', fill = function() return 'red' end }\n"
                            "layer { source = 'b', width = -1 }\n",
                            &style, &err),
                     COR_ERR_STYLE);
    ck_assert_msg(cor__ends_with_ci(err.message, "/half.lua:3: width: -1 is out of range (0 to "
                                                 "100 pt)"),
                  "%s", err.message);
    ck_assert_uint_eq(style.nlayers, 1);
    ck_assert_str_eq(style.layers[0].name, "mine");
    ck_assert_str_eq(style.map.title, "before");
    ck_assert_ptr_null(style.map.crs);
    /* missing file */
    cor_error_clear(&err);
    ck_assert_int_eq(cor__script_run_style(sc, "/nonexistent/style.lua", &style, &err), COR_ERR_IO);
    ck_assert_uint_eq(style.nlayers, 1);
    cor__style_clear(&style);
    cor__script_free(sc);
}
END_TEST

/* ---- a good style ---- */

static const char *const ctry_names[] = {"ISO_A2", "NAME"};

static cor__feature_t country(const char *iso, cor__attr_t vals[2])
{
    vals[0] = (cor__attr_t){COR__ATTR_STRING, iso, 0, false};
    vals[1] = (cor__attr_t){COR__ATTR_STRING, "Somewhere", 0, false};
    return (cor__feature_t){7, NULL, 2, ctry_names, vals};
}

static void assert_unset_except(const cor__layer_style_t *ls, const int *set, size_t nset)
{
    for (int id = 0; id < COR__P_COUNT; id++) {
        bool expected = false;
        for (size_t i = 0; i < nset; i++)
            expected |= set[i] == id;
        ck_assert_msg(ls->props[id].set == expected, "%s: %s", ls->name, cor__prop_name(id));
    }
}

static void assert_str_prop(const cor__layer_style_t *ls, cor__prop_id_t id, const char *s)
{
    ck_assert(ls->props[id].set && !ls->props[id].dynamic);
    ck_assert_int_eq(ls->props[id].val.type, COR__PV_STRING);
    ck_assert_str_eq(ls->props[id].val.str, s);
}

static void assert_num_prop(const cor__layer_style_t *ls, cor__prop_id_t id, double x)
{
    ck_assert(ls->props[id].set && !ls->props[id].dynamic);
    ck_assert_int_eq(ls->props[id].val.type, COR__PV_NUMBER);
    ck_assert_double_eq(ls->props[id].val.num, x);
}

static void assert_good_map(const cor__style_t *s)
{
    const cor__mapdef_t *m = &s->map;
    ck_assert_str_eq(m->crs, "+proj=lcc +lat_1=47 +lat_2=56 +lat_0=52 +lon_0=27 +datum=WGS84");
    ck_assert(m->has_extent);
    ck_assert_double_eq(m->extent.minx, 19.5);
    ck_assert_double_eq(m->extent.miny, 43.8);
    ck_assert_double_eq(m->extent.maxx, 41.5);
    ck_assert_double_eq(m->extent.maxy, 60.0);
    ck_assert(m->has_page);
    ck_assert_double_eq(m->dpi, 300);
    ck_assert_double_eq_tol(m->width_pt, 576, 1e-9);
    ck_assert_double_eq_tol(m->height_pt, 432, 1e-9);
    ck_assert(m->has_background);
    ck_assert_double_eq_tol(m->background.r, 0xb9 / 255.0, 1e-12);
    ck_assert_double_eq_tol(m->background.g, 0xd3 / 255.0, 1e-12);
    ck_assert_double_eq_tol(m->background.b, 0xe6 / 255.0, 1e-12);
    ck_assert_double_eq(m->background.a, 1);
    ck_assert_str_eq(m->title, "Potash, prisoners and borders");
    ck_assert_str_eq(m->subtitle, "Belarus, 2020-2025");
    ck_assert_str_eq(m->credits, "Natural Earth");
}

static void assert_good_layers(const cor__style_t *s, const char *path, const char *dir)
{
    ck_assert_uint_eq(s->nlayers, 3);
    const cor__layer_style_t *c = &s->layers[0], *p = &s->layers[1], *r = &s->layers[2];
    for (int i = 0; i < 3; i++) {
        ck_assert_str_eq(s->layers[i].file, path);
        ck_assert_str_eq(s->layers[i].base_dir, dir);
    }
    ck_assert_str_eq(c->name, "countries");
    ck_assert_str_eq(c->source, "countries");
    ck_assert_int_eq(c->line, 11);
    ck_assert_double_eq(c->order, 10);
    ck_assert_str_eq(c->legend, "Countries");
    static const int cset[] = {COR__P_FILL, COR__P_STROKE, COR__P_WIDTH,
                               COR__P_DASH, COR__P_CASING, COR__P_CASING_WIDTH};
    assert_unset_except(c, cset, COR__ARRAY_LEN(cset));
    ck_assert(c->props[COR__P_FILL].dynamic);
    assert_str_prop(c, COR__P_STROKE, "#8d877a");
    assert_num_prop(c, COR__P_WIDTH, 0.6);
    ck_assert_int_eq(c->props[COR__P_DASH].val.type, COR__PV_LIST);
    ck_assert_int_eq(c->props[COR__P_DASH].val.nlist, 2);
    ck_assert_double_eq(c->props[COR__P_DASH].val.list[0], 4);
    ck_assert_double_eq(c->props[COR__P_DASH].val.list[1], 2);
    assert_str_prop(c, COR__P_CASING, "#ffffff");
    assert_num_prop(c, COR__P_CASING_WIDTH, 1.5);

    ck_assert_str_eq(p->name, "places");
    ck_assert_str_eq(p->source, "places");
    ck_assert_int_eq(p->line, 16);
    ck_assert_double_eq(p->order, 2);
    ck_assert_str_eq(p->legend, "places");
    static const int pset[] = {COR__P_FILTER,     COR__P_MARKER,     COR__P_SIZE,
                               COR__P_LABEL,      COR__P_LABEL_SIZE, COR__P_HALO,
                               COR__P_HALO_WIDTH, COR__P_PRIORITY};
    assert_unset_except(p, pset, COR__ARRAY_LEN(pset));
    ck_assert(p->props[COR__P_FILTER].dynamic && p->props[COR__P_PRIORITY].dynamic);
    ck_assert_int_ne(p->props[COR__P_FILTER].ref, p->props[COR__P_PRIORITY].ref);
    assert_str_prop(p, COR__P_MARKER, "circle");
    assert_num_prop(p, COR__P_SIZE, 4);
    assert_str_prop(p, COR__P_LABEL, "{name}");
    assert_num_prop(p, COR__P_LABEL_SIZE, 8);
    assert_str_prop(p, COR__P_HALO, "#ffffff");
    assert_num_prop(p, COR__P_HALO_WIDTH, 1.2);

    ck_assert_str_eq(r->source, "rivers/rivers.shp");
    ck_assert_str_eq(r->name, "rivers/rivers.shp");
    ck_assert_int_eq(r->line, 21);
    ck_assert_double_eq(r->order, 3);
    ck_assert_ptr_null(r->legend);
    static const int rset[] = {COR__P_STROKE,      COR__P_CAP,        COR__P_JOIN,   COR__P_OPACITY,
                               COR__P_LABEL_COLOR, COR__P_LABEL_FONT, COR__P_MARKER, COR__P_FILL};
    assert_unset_except(r, rset, COR__ARRAY_LEN(rset));
    assert_str_prop(r, COR__P_STROKE, "steelblue");
    assert_str_prop(r, COR__P_CAP, "round");
    assert_str_prop(r, COR__P_JOIN, "bevel");
    assert_num_prop(r, COR__P_OPACITY, 0.8);
    assert_str_prop(r, COR__P_LABEL_COLOR, "#204060");
    assert_str_prop(r, COR__P_LABEL_FONT, "italic");
    ck_assert_int_eq(r->props[COR__P_MARKER].val.type, COR__PV_BOOL);
    ck_assert(!r->props[COR__P_MARKER].val.b);
    ck_assert_int_eq(r->props[COR__P_FILL].val.type, COR__PV_BOOL);
}

START_TEST(good_style_parses)
{
    char *path = cor_test_src("tests/fixtures/styles/good.lua");
    char *dir = cor__path_dirname(path);
    cor__script_t *sc = new_script(NULL);
    cor__style_t style = {0};
    cor_error_t err = {0};
    ck_assert_msg(cor__script_run_style(sc, path, &style, &err) == COR_OK, "%s", err.message);
    ck_assert_int_eq(cor__script_stack_depth(sc), 0);
    ck_assert_ptr_null(style.path); /* the caller sets it */
    assert_good_map(&style);
    assert_good_layers(&style, path, dir);

    /* the functions evaluate against features */
    cor__attr_t vals[2], vals_xx[2];
    cor__feature_t by = country("BY", vals);
    cor__pval_t v;
    ck_assert_int_eq(cor__script_eval(sc, &style.layers[0].props[COR__P_FILL], &by, &v, &err),
                     COR_OK);
    ck_assert_int_eq(v.type, COR__PV_STRING);
    ck_assert_str_eq(v.str, "#e6b8a2");
    cor__pval_clear(&v);
    cor__feature_t xx = country("XX", vals_xx);
    ck_assert_int_eq(cor__script_eval(sc, &style.layers[0].props[COR__P_FILL], &xx, &v, &err),
                     COR_OK);
    ck_assert_str_eq(v.str, "#ece8df");
    cor__pval_clear(&v);
    /* and through style resolution, as the renderer calls them */
    cor__look_t base, look;
    bool vis = false;
    cor__look_default(COR__GEOM_POLYGON, 0, &base);
    ck_assert_int_eq(
        cor__style_resolve(&style.layers[0], &base, &by, cor__script_eval, sc, &look, &vis, &err),
        COR_OK);
    ck_assert(vis && look.fill_on && look.casing_on);
    ck_assert_double_eq_tol(look.fill.r, 0xe6 / 255.0, 1e-12);
    ck_assert_double_eq(look.casing_width, 1.5);
    ck_assert_int_eq(look.ndash, 2);

    static const char *const pnames[] = {"NAME", "POP_MAX"};
    cor__attr_t pv[2] = {{COR__ATTR_STRING, "Minsk", 0, false},
                         {COR__ATTR_NUMBER, NULL, 2e6, false}};
    cor__feature_t minsk = {3, NULL, 2, pnames, pv};
    ck_assert_int_eq(cor__style_resolve(&style.layers[1], &base, &minsk, cor__script_eval, sc,
                                        &look, &vis, &err),
                     COR_OK);
    ck_assert(vis);
    ck_assert_int_eq(
        cor__script_eval(sc, &style.layers[1].props[COR__P_PRIORITY], &minsk, &v, &err), COR_OK);
    ck_assert_int_eq(v.type, COR__PV_NUMBER);
    ck_assert_double_eq(v.num, 2e6);
    pv[1].num = 1000;
    ck_assert_int_eq(cor__style_resolve(&style.layers[1], &base, &minsk, cor__script_eval, sc,
                                        &look, &vis, &err),
                     COR_OK);
    ck_assert(!vis);
    ck_assert_int_eq(cor__script_stack_depth(sc), 0);
    cor__style_clear(&style);
    cor__script_free(sc);
    free(dir);
    free(path);
}
END_TEST

START_TEST(map_size_forms)
{
    cor__script_t *sc = new_script(NULL);
    cor__style_t style = {0};
    cor_error_t err = {0};
    ck_assert_int_eq(run_in(sc, "a.lua", "map { size = { 1200, 600 }, dpi = 150 }", &style, &err),
                     COR_OK);
    ck_assert_double_eq_tol(style.map.width_pt, 576, 1e-9);
    ck_assert_double_eq_tol(style.map.height_pt, 288, 1e-9);
    ck_assert_double_eq(style.map.dpi, 150);
    ck_assert_ptr_null(style.map.crs);
    ck_assert(!style.map.has_extent && !style.map.has_background);
    /* dpi alone keeps the default 2400x1800 pixels; a second file adds to the first */
    ck_assert_int_eq(run_in(sc, "b.lua",
                            "map { dpi = 600, crs = 'EPSG:3035' }\n"
                            "layer { source = 'x' }",
                            &style, &err),
                     COR_OK);
    ck_assert_double_eq_tol(style.map.width_pt, 288, 1e-9);
    ck_assert_double_eq_tol(style.map.height_pt, 216, 1e-9);
    ck_assert_str_eq(style.map.crs, "EPSG:3035");
    ck_assert_uint_eq(style.nlayers, 1);
    ck_assert_int_eq(
        run_in(sc, "c.lua", "map { size = ' 800 x 600 ' }\nlayer { source = 'y' }", &style, &err),
        COR_OK);
    ck_assert_double_eq_tol(style.map.width_pt, 192, 1e-9);
    ck_assert_uint_eq(style.nlayers, 2);
    ck_assert_double_eq(style.layers[1].order, 2); /* after the earlier file's layer */
    ck_assert_int_eq(run_in(sc, "d.lua", "map { background = 'none' }", &style, &err), COR_OK);
    ck_assert(style.map.has_background);
    ck_assert_double_eq(style.map.background.a, 0);
    cor__style_clear(&style);
    cor__script_free(sc);
}
END_TEST

START_TEST(feature_table_contents)
{
    cor__script_t *sc = new_script(NULL);
    cor__style_t style = {0};
    cor_error_t err = {0};
    ck_assert_int_eq(
        run_in(sc, "f.lua",
               "layer { source = 'x', label = function(f)\n"
               "  f.extra = 1 -- a fresh table per call: this does not leak into the next one\n"
               "  return string.format('%s|%s|%s|%s|%s|%s|%s|%s|%s|%s', f.NAME, f.name, f.Name,\n"
               "    math.type(f.pop), math.type(f.ratio), tostring(f.capital), tostring(f.empty),\n"
               "    f.geometry, tostring(f.big), tostring(f.nope))\n"
               "  end,\n"
               "  dash = function(f) return f.dashes end,\n"
               "  width = function(f) return f.extra end }\n",
               &style, &err),
        COR_OK);
    static const char *const names[] = {"NAME", "pop", "ratio", "capital", "empty", "big"};
    cor__attr_t vals[] = {
        {COR__ATTR_STRING, "Šiauliai", 0, false}, {COR__ATTR_NUMBER, NULL, 114, false},
        {COR__ATTR_NUMBER, NULL, 2.5, false},     {COR__ATTR_BOOL, NULL, 0, true},
        {COR__ATTR_NULL, NULL, 0, false},         {COR__ATTR_NUMBER, NULL, 1e300, false},
    };
    cor__geom_t pt = {0};
    pt.kind = COR__GEOM_POINT;
    cor__feature_t f = {1, &pt, 6, names, vals};
    cor__pval_t v;
    ck_assert_int_eq(cor__script_eval(sc, &style.layers[0].props[COR__P_LABEL], &f, &v, &err),
                     COR_OK);
    ck_assert_str_eq(v.str, "Šiauliai|Šiauliai|nil|integer|float|true|nil|point|1e+300|nil");
    cor__pval_clear(&v);
    ck_assert_int_eq(cor__script_eval(sc, &style.layers[0].props[COR__P_WIDTH], &f, &v, &err),
                     COR_OK);
    ck_assert_int_eq(v.type, COR__PV_NIL);
    ck_assert_int_eq(cor__script_eval(sc, &style.layers[0].props[COR__P_LABEL], NULL, &v, &err),
                     COR_OK); /* no feature: an empty table */
    ck_assert_str_eq(v.str, "nil|nil|nil|nil|nil|nil|nil|nil|nil|nil");
    cor__pval_clear(&v);
    ck_assert_int_eq(cor__script_stack_depth(sc), 0);
    cor__style_clear(&style);
    cor__script_free(sc);
}
END_TEST

START_TEST(function_results_and_errors)
{
    cor__script_t *sc = new_script(NULL);
    cor__style_t style = {0};
    cor_error_t err = {0};
    ck_assert_int_eq(
        run_in(sc, "fn.lua",
               "layer { source = 'x',\n"
               "  dash = function(f) return { 6, 3.5 } end,\n"
               "  fill = function(f) return f.x.y end,\n"
               "  stroke = function(f) return print end,\n"
               "  width = function(f) return { 1, 2, 3, 4, 5, 6, 7, 8, 9 } end,\n"
               "  size = function(f) error({}) end,\n"
               "  label = function(f) layer { source = 'more' } end,\n"
               "  filter = function(f) return { a = 1 } end,\n"
               "  priority = function(f) local t = {} while true do t[#t+1] = {} end end }\n",
               &style, &err),
        COR_OK);
    const cor__prop_t *props = style.layers[0].props;
    cor__pval_t v;
    ck_assert_int_eq(cor__script_eval(sc, &props[COR__P_DASH], NULL, &v, &err), COR_OK);
    ck_assert_int_eq(v.type, COR__PV_LIST);
    ck_assert_int_eq(v.nlist, 2);
    ck_assert_double_eq(v.list[1], 3.5);
    static const struct {
        cor__prop_id_t id;
        const char *msg;
    } bad[] = {
        {COR__P_FILL, "fn.lua:3: attempt to index a nil value (field 'x')"},
        {COR__P_STROKE, "fn.lua:4: the function returned a function"},
        {COR__P_WIDTH,
         "fn.lua:5: the function returned a table that is not a list of up to 8 numbers"},
        {COR__P_SIZE, "fn.lua:6: error object is a table value"},
        {COR__P_LABEL, "fn.lua:7: layer{} can only be used while a style file runs"},
        {COR__P_FILTER, "fn.lua:8: the function returned a table that is not a list"},
        {COR__P_PRIORITY, "fn.lua:9: memory limit of 64 MiB exceeded"},
    };
    for (size_t i = 0; i < COR__ARRAY_LEN(bad); i++) {
        cor_error_clear(&err);
        ck_assert_int_eq(cor__script_eval(sc, &props[bad[i].id], NULL, &v, &err), COR_ERR_STYLE);
        ck_assert_msg(strstr(err.message, bad[i].msg) != NULL, "'%s' lacks '%s'", err.message,
                      bad[i].msg);
        ck_assert_int_eq(v.type, COR__PV_NIL);
        ck_assert_int_eq(cor__script_stack_depth(sc), 0);
    }
    /* after all that, the state still works */
    ck_assert_int_eq(cor__script_eval(sc, &props[COR__P_DASH], NULL, &v, &err), COR_OK);
    cor__style_clear(&style);
    cor__script_free(sc);
}
END_TEST

/* ---- print ---- */

START_TEST(print_goes_to_the_log)
{
    char *dir = cor_test_tmpdir("script");
    char *cap = cor__path_join(dir, "captured");
    int fd = open(cap, O_CREAT | O_TRUNC | O_WRONLY, 0644);
    ck_assert_int_ge(fd, 0);
    fflush(stdout);
    fflush(stderr);
    int out = dup(1), errfd = dup(2);
    dup2(fd, 1);
    dup2(fd, 2);
    cor__script_t *sc = new_script(NULL);
    ck_assert_str_eq(cor__script_log(sc), "");
    expect_ok(sc, "print('hello', 1, nil, true, 2.5)\nprint()\n"
                  "print(setmetatable({}, {__tostring = function() return 'obj' end}))");
    fflush(stdout);
    fflush(stderr);
    dup2(out, 1);
    dup2(errfd, 2);
    close(out);
    close(errfd);
    close(fd);
    ck_assert_str_eq(cor__script_log(sc), "hello\t1\tnil\ttrue\t2.5\n\nobj\n");
    char *captured = NULL;
    size_t len = 99;
    cor_error_t err = {0};
    ck_assert_int_eq(cor__read_file(cap, 1 << 20, &captured, &len, &err), COR_OK);
    ck_assert_uint_eq(len, 0); /* nothing reached stdout or stderr */
    free(captured);
    /* the log is capped */
    expect_ok(sc, "for i = 1, 1e4 do print(string.rep('x', 99)) end");
    const char *log = cor__script_log(sc);
    ck_assert_uint_le(strlen(log), (256u << 10) + 32);
    ck_assert_ptr_nonnull(strstr(log, "\n[log truncated]\n"));
    cor__script_free(sc);
    free(cap);
    free(dir);
}
END_TEST

static Suite *script_suite(void)
{
    Suite *s = suite_create("script");
    TCase *t = tcase_create("script");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, escapes_fail);
    tcase_add_test(t, bytecode_is_refused);
    tcase_add_test(t, endless_loop_stops);
    tcase_add_test(t, budget_lasts_for_the_state);
    tcase_add_test(t, memory_bombs_stop);
    tcase_add_test(t, memory_error_does_not_kill_the_state);
    tcase_add_test(t, time_limit_stops_slow_instructions);
    tcase_add_test(t, pathological_library_calls_stop);
    tcase_add_test(t, syntax_error_names_file_and_line);
    tcase_add_test(t, long_paths_are_not_shortened);
    tcase_add_test(t, bad_declarations_are_explained);
    tcase_add_test(t, failed_style_changes_nothing);
    tcase_add_test(t, ordinary_library_calls_still_work);
    tcase_add_test(t, good_style_parses);
    tcase_add_test(t, map_size_forms);
    tcase_add_test(t, feature_table_contents);
    tcase_add_test(t, function_results_and_errors);
    tcase_add_test(t, print_goes_to_the_log);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return cor_test_run(script_suite());
}
