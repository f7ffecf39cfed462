/* SPDX-License-Identifier: MIT */
/* Unit tests for script: the sandbox holds (escapes, bytecode, limits, pathological library
 * calls), errors name file and line, a good style file becomes the expected cor__style_t whose
 * functions evaluate against hand-made features, overlay declarations become the expected
 * cor__overlay_t (or filtered layers), overlay and include files nest and roll back, and the
 * data helpers read CSV and GeoJSON beside the script. Failure cases first. */
#include <fcntl.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "script.h"
#include "testutil.h"
#include "util.h"

/* The limits of a state a test makes without its own: the defaults, but with the clock out
 * of reach, so that what stops a script is counted (instructions, bytes), never timed, and a
 * loaded machine gives the same message as an idle one. A hang is caught by Check's timeout. */
static const cor__script_limits_t test_limits = {0, 0, 1e6, 0};

/* A test's own limits, with the same clock-free default for the time unless it sets one. */
static cor__script_limits_t untimed(const cor__script_limits_t *lim)
{
    cor__script_limits_t l = lim ? *lim : test_limits;
    if (!(l.seconds > 0))
        l.seconds = test_limits.seconds;
    return l;
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
    cor__script_limits_t l = untimed(lim);
    ck_assert_int_eq(cor__script_new(&l, &sc, &err), COR_OK);
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
 * contains `needle`. */
static void expect_fail_lim(const cor__script_limits_t *lim, const char *text, const char *needle)
{
    cor__script_t *sc = new_script(lim);
    cor__style_t style = {0};
    cor_error_t err = {0};
    cor_status_t st = run_in(sc, "evil.lua", text, &style, &err);
    ck_assert_msg(st == COR_ERR_STYLE, "%s\n-> status %d: %s", text, st, err.message);
    ck_assert_msg(strstr(err.message, needle) != NULL, "%s\n-> '%s' lacks '%s'", text, err.message,
                  needle);
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

START_TEST(budget_lasts_until_renewed)
{
    cor__script_limits_t lim = {0, 2000000, 0, 0};
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
    /* until renewed, as each render renews it: then the same calls run again */
    cor__script_renew(sc);
    int again = 0;
    while (cor__script_eval(sc, &style.layers[0].props[COR__P_WIDTH], NULL, &v, &err) == COR_OK)
        again++;
    ck_assert_msg(again >= ok && again <= ok + 1, "%d calls, then %d", ok, again);
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
    cor__script_limits_t lim = {8u << 20, 0, 0, 0};
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
    /* comparing two distinct 8 MB strings is one instruction that takes milliseconds. The test
     * is about the clock, so which line the second runs out on depends on the machine's speed:
     * the message is checked without it. */
    cor__script_limits_t lim = {0, 0, 1.0, 0};
    expect_fail_lim(&lim,
                    "local a, b = ('x'):rep(8e6), ('x'):rep(8e6)\n"
                    "while true do local same = a == b end\n",
                    "time limit of 1 s exceeded");
    expect_fail_lim(&lim,
                    "local a, b = ('x'):rep(2e7), ('x'):rep(2e7)\n"
                    "while true do local less = a < b end\n",
                    "time limit of 1 s exceeded");
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
    /* cheap calls that Lua itself would turn into long loops return at once (or hang until
     * Check's timeout fails the test) */
    cor__script_t *sc = new_script(NULL);
    expect_ok(sc, "assert(string.rep('', 1e12) == '')\nassert(string.rep('', 1e12, '') == '')\n"
                  "assert(('ab'):rep(3, ',') == 'ab,ab,ab')\nassert(('x'):rep(-1) == '')");
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
        {"map { size = '2400*1800' }",
         "size must be \"WIDTHxHEIGHT[unit]\" or {width, height} in pixels, got '2400*1800'"},
        {"map { size = '20x10furlong' }", "size must be \"WIDTHxHEIGHT[unit]\""},
        {"map { size = true }", "or {width, height} in pixels, got boolean"},
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
    /* the units --size takes: a physical page, whatever the dpi */
    ck_assert_int_eq(run_in(sc, "u.lua", "map { size = '280x100mm', dpi = 150 }", &style, &err),
                     COR_OK);
    ck_assert_double_eq_tol(style.map.width_pt, 280 * 72 / 25.4, 1e-9);
    ck_assert_double_eq_tol(style.map.height_pt, 100 * 72 / 25.4, 1e-9);
    ck_assert_double_eq(style.map.dpi, 150);
    ck_assert_int_eq(run_in(sc, "v.lua", "map { size = '8x6in' }", &style, &err), COR_OK);
    ck_assert_double_eq_tol(style.map.width_pt, 576, 1e-9);
    ck_assert_double_eq_tol(style.map.height_pt, 432, 1e-9);
    ck_assert_double_eq(style.map.dpi, 300);
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

/* ---- overlays, data helpers and furniture keys ---- */

/* A fresh directory for one test's files. Returns: its malloc'd path. */
static char *fresh_dir(void)
{
    static int serial;
    char sub[32];
    snprintf(sub, sizeof sub, "ovdata%d", serial++);
    return cor_test_tmpdir(sub);
}

/* Writes `text` as dir/name. Returns: the malloc'd path. */
static char *put(const char *dir, const char *name, const char *text)
{
    char *path = cor__path_join(dir, name);
    cor_test_write(path, text, strlen(text));
    return path;
}

/* Runs the file at `path` as a style with `ov` as the overlay target. */
static cor_status_t run_path_ov(cor__script_t *sc, const char *path, cor__style_t *style,
                                cor__overlays_t *ov, cor_error_t *err)
{
    cor__script_set_overlays(sc, ov);
    cor_status_t st = cor__script_run_style(sc, path, style, err);
    ck_assert_int_eq(cor__script_stack_depth(sc), 0);
    return st;
}

/* Runs `text` as the style file `name` with `ov` as the overlay target. */
static cor_status_t run_ov(cor__script_t *sc, const char *name, const char *text,
                           cor__style_t *style, cor__overlays_t *ov, cor_error_t *err)
{
    char *path = write_style(name, text);
    cor_status_t st = run_path_ov(sc, path, style, ov, err);
    free(path);
    return st;
}

/* Runs `text` as evil.lua with an overlay target and expects COR_ERR_STYLE containing
 * `needle`, with nothing declared. */
static void expect_ov_fail(const char *text, const char *needle)
{
    cor__script_t *sc = new_script(NULL);
    cor__style_t style = {0};
    cor__overlays_t ov = {0};
    cor_error_t err = {0};
    cor_status_t st = run_ov(sc, "evil.lua", text, &style, &ov, &err);
    ck_assert_msg(st == COR_ERR_STYLE, "%s\n-> status %d: %s", text, st, err.message);
    ck_assert_msg(strstr(err.message, needle) != NULL, "%s\n-> '%s' lacks '%s'", text, err.message,
                  needle);
    ck_assert_uint_eq(ov.n, 0);
    ck_assert_uint_eq(ov.nhidden, 0);
    ck_assert_uint_eq(style.nlayers, 0);
    cor__overlays_clear(&ov);
    cor__style_clear(&style);
    cor__script_free(sc);
}

START_TEST(bad_overlays_are_explained)
{
    static const char *const cases[][2] = {
        {"route { 'A', 'B', strok = 'red' }",
         "evil.lua:1: unknown key 'strok' in route{} (did you mean 'stroke'?)"},
        {"flow { from = 'A', to = 'B', vale = 1 }",
         "evil.lua:1: unknown key 'vale' in flow{} (did you mean 'value'?)"},
        {"marker { at = 'A', symbl = 'mine' }", "unknown key 'symbl' in marker{} (did you mean "
                                                "'symbol'?)"},
        {"callout { at = 'A', txt = 'x' }",
         "unknown key 'txt' in callout{} (did you mean 'text'?)"},
        {"area { coords = { {0, 0}, {1, 0}, {1, 1} }, hach = true }",
         "unknown key 'hach' in area{} (did you mean 'hatch'?)"},
        {"flow { from = 'A', to = 'B', width = 3 }", "unknown key 'width' in flow{}"},
        {"\n\nroute {\n 'A', 'B',\n width = -1 }",
         "evil.lua:3: width: -1 is out of range (0 to 100 pt)"},
        {"flow { from = 'A', to = 'B', value = -1 }",
         "evil.lua:1: value: -1 is out of range (0 or more)"},
        {"flow { from = 'A', to = 'B', value = 0/0 }", "value must be a finite number"},
        {"flow { from = 'A', to = 'B', bend = 9 }",
         "evil.lua:1: bend: 9 is out of range (-2 to 2)"},
        {"route { 'A', 'B', status = 'maybe' }",
         "evil.lua:1: status must be \"operating\" or \"blocked\", got 'maybe'"},
        {"route { 'A', 'B', arrow = 'sideways' }",
         "evil.lua:1: arrow must be \"none\", \"start\", \"end\" or \"both\", got 'sideways'"},
        {"route { 'A', 'B', arrow = true }", "arrow must be \"none\", \"start\", \"end\" or "
                                             "\"both\", got boolean"},
        {"local x = 1\nroute { 'A', { 200, 54 } }",
         "evil.lua:2: place 2: {200, 54} is outside -180..180, -90..90 (places are {lon, lat})"},
        {"route { { 27, 91 }, 'B' }", "place 1: {27, 91} is outside -180..180, -90..90"},
        {"route { 'A', { 27 } }", "place 2 must be a place name or {lon, lat}, got another table"},
        {"route { 'A', 5 }", "place 2 must be a place name or {lon, lat}, got number"},
        {"route { 'A', '' }", "place 2: a place name must be a non-empty string"},
        {"route { 'A' }", "evil.lua:1: route{} needs at least two places, got 1"},
        {"route { 'A', 'B', [5] = 'C' }",
         "route{} takes a list of places and named keys, found a number key outside the list"},
        {"route { 'A', 'B', cut = 'C' }", "cut is where a blocked route is cut: it needs status"},
        {"route { 'A', 'B', status = 'blocked', cut = { 0, 100 } }",
         "cut: {0, 100} is outside -180..180, -90..90"},
        {"route { 'A', 'B', schematic = 'yes' }", "schematic must be true or false, got string"},
        {"route { 'A', 'B', stroke = 'blu' }", "evil.lua:1: stroke: 'blu' is not a colour"},
        {"route { 'A', 'B', stroke = function() return 'red' end }",
         "stroke must be a colour or false, got function"},
        {"route { 'A', 'B', dash = { 4, 0 } }", "dash: entry 2 is 0"},
        {"route { 'A', 'B', cap = 'pointy' }", "cap: 'pointy' is not a line cap"},
        {"route { 'A', 'B', opacity = 2 }", "opacity: 2 is out of range (0 to 1)"},
        {"route { 'A', 'B', label_color = 'nope' }", "label_color: 'nope' is not a colour"},
        {"route { 'A', 'B', label_color = 3 }", "label_color must be a colour, got number"},
        {"route { 'A', 'B', label_size = 500 }", "label_size: 500 is out of range (0 to 100 pt)"},
        {"route { 'A', 'B', label = {} }", "label must be a string, a number or false, got table"},
        {"route { 'A', 'B', group = '' }", "group must not be empty"},
        {"route { 'A', 'B', group = 7 }", "group must be a string, got number"},
        {"route { 'A', 'B', priority = 'high' }", "priority must be a number, got string"},
        {"flow { from = 'A' }", "evil.lua:1: flow{} needs to = a place name or {lon, lat}"},
        {"flow { to = 'A' }", "flow{} needs from = a place name or {lon, lat}"},
        {"flow { from = 'A', to = 'B', via = 'C' }", "via must be a list of places, got string"},
        {"flow { from = 'A', to = 'B', via = { 'C', { 500, 0 } } }",
         "via 2: {500, 0} is outside -180..180, -90..90"},
        {"marker { at = 'A', symbol = 'blob' }", "symbol: 'blob' is not a marker (circle,"},
        {"marker { at = 'A', size = 101 }", "size: 101 is out of range (0 to 100 pt)"},
        {"marker { symbol = 'mine' }", "marker{} needs at = a place name or {lon, lat}"},
        {"marker { at = 'A', fill = 'purplish' }", "fill: 'purplish' is not a colour"},
        {"callout { at = 'A' }", "evil.lua:1: callout{} needs text = \"...\""},
        {"callout { at = 'A', text = 'x', dx = 3000 }",
         "dx: 3000 is out of range (-2000 to 2000 pt)"},
        {"callout { at = 'A', text = 'x', dy = -2001 }", "dy: -2001 is out of range"},
        {"area { coords = { {0, 0}, {1, 0} } }",
         "area{} needs coords = a list of at least 3 {lon, lat} points, or source = a layer name"},
        {"area { coords = { {0, 0}, {1, 0}, {1, 91} } }",
         "point 3: {1, 91} is outside -180..180, -90..90"},
        {"area { coords = { {0, 0}, {1, 0}, {1, 1} }, where = { a = 1 } }",
         "where selects features of a source: it needs source = ..."},
        {"area { source = 'countries', coords = { {0, 0}, {1, 0}, {1, 1} } }",
         "area{} takes coords or a source, not both"},
        {"area { source = '' }", "source must not be empty"},
        {"area { source = 'countries', where = 5 }",
         "where must be a table of attribute = value or a function, got number"},
        {"area { source = 'countries', where = { iso_a2 = {} } }",
         "where: iso_a2 must be a string, a number, a boolean or a list of them, got another "
         "table"},
        {"area { source = 'countries', where = { iso_a2 = { 'LT', {} } } }",
         "where: iso_a2: entry 2 must be a string, a number or a boolean, got table"},
        {"area { source = 'countries', where = { [1] = 'LT' } }",
         "where: keys must be attribute names, found a number key"},
        {"area { source = 'countries', hatch = 'yes' }",
         "hatch must be a boolean or a function, got string"},
        {"area { source = 'countries', fill = 'blu' }", "fill: 'blu' is not a colour"},
        {"area { source = 'countries', legend = 3 }", "legend must be a string or false, got "
                                                      "number"},
        {"route 'A'", "route{} takes one table: route { key = value, ... }"},
        {"flow({ from = 'A', to = 'B' }, 2)", "flow{} takes one table"},
        {"hide(3)", "evil.lua:1: hide: group names are non-empty strings, got number"},
        {"hide()", "hide takes group names: hide \"potash\""},
        {"hide ''", "hide: group names are non-empty strings, got an empty one"},
        {"overlay(3)", "overlay takes one name or path: overlay \"name\""},
        {"overlay 'potash'", "overlay: no data directory is set, so 'potash' cannot be found"},
        {"overlay 'pot ash'", "overlay: 'pot ash' is neither a name"},
        {"overlay '../potash.lua'", "evil.lua:1: overlay: ../potash.lua: the path must stay "
                                    "inside the script's directory"},
        {"overlay '/etc/potash.lua'",
         "overlay: /etc/potash.lua: the path must stay inside the script's directory"},
        {"overlay 'missing.lua'", "evil.lua:1: overlay: missing.lua: cannot open: "},
        {"include 'default'", "include: no data directory is set"},
        {"include 'a/../../b.lua'",
         "include: a/../../b.lua: the path must stay inside the script's directory"},
        {"route { 'A', 'B' }\nroute { 'C', 'D', width = 'x' }", "evil.lua:2: width must be a "
                                                                "number, got string"},
    };
    for (size_t i = 0; i < COR__ARRAY_LEN(cases); i++)
        expect_ov_fail(cases[i][0], cases[i][1]);
}
END_TEST

START_TEST(bad_bands_are_explained)
{
    static const char *const cases[][2] = {
        {"flow { path = { 'A', 'B' } }",
         "evil.lua:1: a band needs values = { ... }, one per place of its path, got nil"},
        {"flow { path = { 'A', 'B' }, values = { 1 } }",
         "values: 1 entries for a path of 2 places (one value per place)"},
        {"flow { path = { 'A', 'B' }, values = { 1, 'x' } }",
         "values 2 must be a number, got string"},
        {"flow { path = { 'A', 'B' }, values = { 1, -2 } }",
         "evil.lua:1: values 2: -2 is out of range (0 or more)"},
        {"flow { path = { 'A' }, values = { 1 } }",
         "a band's path needs at least two places, got 1"},
        {"flow { path = 'A', values = { 1 } }", "path must be a list of places, got string"},
        {"flow { path = { 'A', { 500, 0 } }, values = { 1, 2 } }",
         "path 2: {500, 0} is outside -180..180, -90..90"},
        {"flow { path = { 'A', 'B' }, values = { 1, 2 }, from = 'A' }",
         "a band takes path = { ... }: not from, to or via"},
        {"flow { path = { 'A', 'B' }, values = { 1, 2 }, value = 3 }",
         "value: a band's widths come from values = { ... }, one per place"},
        {"flow { path = { 'A', 'B' }, values = { 1, 2 }, bend = 0.3 }",
         "bend: a band follows its path (curve = true smooths it)"},
        {"flow { from = 'A', to = 'B', values = { 1, 2 } }",
         "values is a band's: it needs path = { ... }"},
        {"flow { from = 'A', to = 'B', curve = true }", "curve is a band's: it needs path"},
        {"flow { path = { 'A', 'B' }, values = { 1, 2 }, curve = 'yes' }",
         "curve must be true or false, got string"},
        {"flow { path = { 'A', 'B' }, values = { 1, 2 }, labels = { [3] = 'x' } }",
         "labels: key 3 is not a place of the path (1 to 2)"},
        {"flow { path = { 'A', 'B' }, values = { 1, 2 }, labels = { x = 'y' } }",
         "labels: key x is not a place of the path (1 to 2)"},
        {"flow { path = { 'A', 'B' }, values = { 1, 2 }, labels = { [1] = {} } }",
         "labels 1 must be a string, got table"},
        {"flow { path = { 'A', 'B' }, values = { 1, 2 }, labels = 7 }",
         "labels must be a template string or a table of place = text, got number"},
        {"flow { path = { 'A', 'B' }, values = { 1, 2 }, pth = 1 }",
         "unknown key 'pth' in flow{} (did you mean 'path'?)"},
        {"flow { from = 'A', to = 'B', arrow = 'both' }",
         "arrow: a flow has one head at most: \"end\" or \"none\", got \"both\""},
        {"route { 'A', 'B', value = -1 }", "evil.lua:1: value: -1 is out of range (0 or more)"},
        {"map { flow_scale = { value = 100000 } }",
         "flow_scale needs a value and a width, both above 0"},
        {"map { flow_scale = { value = 100, width = 101 } }",
         "width: 101 is out of range (0 to 100 pt)"},
        {"map { flow_scale = { value = 100, widht = 10 } }", "(did you mean 'width'?)"},
        {"map { flow_scale = 10 }", "flow_scale must be a table: flow_scale = { ... }, got number"},
    };
    for (size_t i = 0; i < COR__ARRAY_LEN(cases); i++)
        expect_ov_fail(cases[i][0], cases[i][1]);
}
END_TEST

START_TEST(bands_parse_into_the_model)
{
    cor__script_t *sc = new_script(NULL);
    cor__style_t style = {0};
    cor__overlays_t ov = {0};
    cor_error_t err = {0};
    const char *text =
        "map { flow_scale = { value = 100000, width = 10 } }\n"
        "flow { path = { 'Kaunas', { 26, 54.7 }, { 28, 54.9 } }, values = { 340000, 0, 280000 },\n"
        "       labels = { [1] = '{value} men', [3] = 280000 }, curve = true, arrow = 'none' }\n"
        "flow { path = { { 24, 54 }, { 25, 55 } }, values = { 5, 6 }, labels = '{value}' }\n"
        "route { 'A', 'B', value = 120000 }\n";
    ck_assert_msg(run_ov(sc, "bands.lua", text, &style, &ov, &err) == COR_OK, "%s", err.message);
    ck_assert(style.map.has_flow_scale);
    ck_assert_double_eq(style.map.flow_scale_value, 100000);
    ck_assert_double_eq(style.map.flow_scale_width, 10);
    ck_assert_uint_eq(ov.n, 3);
    const cor__overlay_t *b = &ov.items[0];
    ck_assert(b->kind == COR__OV_FLOW && b->band && b->curve);
    ck_assert_uint_eq(b->nplaces, 3);
    ck_assert_str_eq(b->places[0].name, "Kaunas");
    ck_assert_double_eq(b->places[1].lon, 26);
    ck_assert_double_eq(b->values[0], 340000);
    ck_assert_double_eq(b->values[1], 0);
    ck_assert_double_eq(b->value, 340000);
    ck_assert_str_eq(b->vlabels[0], "340,000 men");
    ck_assert_ptr_null(b->vlabels[1]);
    ck_assert_str_eq(b->vlabels[2], "280000");
    ck_assert_int_eq(b->arrow, COR__ARROW_NONE);
    ck_assert_int_eq(b->line, 2);
    b = &ov.items[1]; /* a template string labels every place */
    ck_assert(!b->curve && b->vlabels);
    ck_assert_str_eq(b->vlabels[0], "5");
    ck_assert_str_eq(b->vlabels[1], "6");
    ck_assert_int_eq(b->arrow, COR__ARROW_END);
    ck_assert_double_eq(ov.items[2].value, 120000);
    cor__overlays_clear(&ov);
    cor__style_clear(&style);
    cor__script_free(sc);
}
END_TEST

START_TEST(overlays_need_a_target)
{
    static const char *const cases[][2] = {
        {"route { 'A', 'B' }", "evil.lua:1: route{}: overlays are not available here"},
        {"flow { from = 'A', to = 'B' }", "flow{}: overlays are not available here"},
        {"marker { at = 'A' }", "marker{}: overlays are not available here"},
        {"area { source = 'countries' }", "area{}: overlays are not available here"},
        {"callout { at = 'A', text = 'x' }", "callout{}: overlays are not available here"},
        {"hide 'potash'", "hide: overlays are not available here"},
        {"overlay 'potash'", "overlay: overlays are not available here"},
    };
    for (size_t i = 0; i < COR__ARRAY_LEN(cases); i++)
        expect_fail(cases[i][0], cases[i][1]);
    /* and outside a running file, e.g. from a style function at render time */
    cor__script_t *sc = new_script(NULL);
    cor__style_t style = {0};
    cor__overlays_t ov = {0};
    cor_error_t err = {0};
    ck_assert_int_eq(run_ov(sc, "late.lua",
                            "layer { source = 'x',\n"
                            "  label = function(f) route { 'A', 'B' } end,\n"
                            "  fill = function(f) hide 'x' end,\n"
                            "  stroke = function(f) include 'x.lua' end }\n",
                            &style, &ov, &err),
                     COR_OK);
    static const struct {
        cor__prop_id_t id;
        const char *msg;
    } late[] = {
        {COR__P_LABEL, "late.lua:2: route{} can only be used while a style or overlay file runs"},
        {COR__P_FILL, "late.lua:3: hide can only be used while a style or overlay file runs"},
        {COR__P_STROKE, "late.lua:4: include can only be used while a style or overlay file"},
    };
    for (size_t i = 0; i < COR__ARRAY_LEN(late); i++) {
        cor__pval_t v;
        cor_error_clear(&err);
        ck_assert_int_eq(cor__script_eval(sc, &style.layers[0].props[late[i].id], NULL, &v, &err),
                         COR_ERR_STYLE);
        ck_assert_msg(strstr(err.message, late[i].msg), "'%s' lacks '%s'", err.message,
                      late[i].msg);
    }
    ck_assert_uint_eq(ov.n, 0);
    cor__overlays_clear(&ov);
    cor__style_clear(&style);
    cor__script_free(sc);
}
END_TEST

START_TEST(bad_map_furniture_is_explained)
{
    static const char *const cases[][2] = {
        {"map { graticule = 0 }", "evil.lua:1: graticule: 0 is out of range (more than 0 to 90 "
                                  "degrees)"},
        {"map { graticule = -5 }", "graticule: -5 is out of range"},
        {"map { graticule = 'yes' }",
         "graticule must be true, false or the degrees between lines, got string"},
        {"map { scalebar = 'middle' }",
         "scalebar: 'middle' is not a corner (auto, top-left, top-right, bottom-left, "
         "bottom-right, or false)"},
        {"map { scalebar = 3 }", "scalebar must be a corner name or false, got number"},
        {"map { legend = 'topleft' }", "legend: 'topleft' is not a corner"},
        {"map { north_arrow = 'yes' }", "north_arrow must be true or false, got string"},
        {"map { legend_title = true }", "legend_title must be a string or false, got boolean"},
        {"map { flow_unit = 3 }", "flow_unit must be a string or false, got number"},
        {"map { date = 2025 }", "date must be a string or false, got number"},
        {"map { title = {} }", "title must be a string or false, got table"},
        {"map { inset = 'centre' }", "inset: 'centre' is not a corner"},
        {"map { inset = { positon = 'top-left' } }",
         "evil.lua:1: unknown key 'positon' in inset{} (did you mean 'position'?)"},
        {"map { inset = { position = 'up' } }", "position: 'up' is not a corner"},
        {"map { inset = { crs = '' } }", "crs must not be empty"},
        {"map { inset = { extent = { 1, 2, 3 } } }",
         "extent must be {west, south, east, north} in degrees"},
        {"map { inset = { extent = { 30, 50, 20, 60 } } }", "extent must have west < east"},
        {"map { inset = { highlight = 'BY' } }",
         "highlight must be a list of up to 256 country codes, got string"},
        {"map { inset = { highlight = { 'BY', 3 } } }",
         "highlight: entry 2 must be a country code such as \"BY\", got number"},
        {"map { inset = { highlight = { '' } } }", "got an empty string"},
        {"map { inset = { width = 0 } }", "width: 0 is out of range (1 to 14400 pt)"},
        {"map { inset = { layers = 'land' } }",
         "layers must be a list of up to 16 layer names, got string"},
        {"map { inset = { layers = { 'land', false } } }",
         "layers: entry 2 must be a layer name such as \"europe_land\", got boolean"},
        {"map { inset = { highlight_layer = '' } }", "highlight_layer must not be empty"},
        {"map { inset = { higlight = {} } }", "(did you mean 'highlight'?)"},
        {"map { inset = { 'top-left' } }", "inset{} takes named keys only"},
        {"map { flow_max_width = 101 }", "flow_max_width: 101 is out of range (0 to 100 pt)"},
        {"map { flow_min_width = -1 }", "flow_min_width: -1 is out of range (0 to 100 pt)"},
        {"map { flow_min_width = 5, flow_max_width = 4 }",
         "flow_min_width (5 pt) is more than flow_max_width (4 pt)"},
        {"map { label_font = '' }", "label_font must not be empty"},
        {"map { label_fnt = 'Noto Sans' }", "unknown key 'label_fnt' in map{} (did you mean "
                                            "'label_font'?)"},
        {"map { scale_bar = false }", "(did you mean 'scalebar'?)"},
    };
    for (size_t i = 0; i < COR__ARRAY_LEN(cases); i++)
        expect_fail(cases[i][0], cases[i][1]);
}
END_TEST

static void assert_rgb(cor_color_t c, unsigned rgb, double a)
{
    ck_assert_double_eq_tol(c.r, ((rgb >> 16) & 0xff) / 255.0, 1e-9);
    ck_assert_double_eq_tol(c.g, ((rgb >> 8) & 0xff) / 255.0, 1e-9);
    ck_assert_double_eq_tol(c.b, (rgb & 0xff) / 255.0, 1e-9);
    ck_assert_double_eq_tol(c.a, a, 1e-9);
}

static void assert_place(const cor__ov_place_t *p, const char *name, double lon, double lat)
{
    if (name) {
        ck_assert_str_eq(p->name, name);
        ck_assert(!p->resolved);
    } else {
        ck_assert_ptr_null(p->name);
        ck_assert(p->resolved);
        ck_assert_double_eq(p->lon, lon);
        ck_assert_double_eq(p->lat, lat);
    }
}

static const char story[] =
    "route { 'Salihorsk', 'Minsk', { 26.87, 54.32 }, 'Klaipėda',\n" /* 1 */
    "        status = 'blocked', cut = 'Gudogai', stroke = '#8c2d04', width = 2.5,\n"
    "        dash = { 6, 3 }, casing = '#ffffff', casing_width = 1.5, opacity = 0.9,\n"
    "        cap = 'butt', join = 'bevel', arrow = 'both', label = 'Potash',\n"
    "        label_size = 7, label_color = '#402010', schematic = true,\n" /* 5 */
    "        legend = 'Potash to Klaipėda', group = 'potash', priority = 100 }\n"
    "route { 'Minsk', 'Vilnius' }\n" /* 7 */
    "flow { from = 'Minsk', to = { 31.3, 51.5 }, via = { 'Homyel' }, value = 114,\n"
    "       bend = -0.3, stroke = '#b2182b', opacity = 0.9, casing = '#fff',\n"
    "       label = '114 · 13 Dec 2025', legend = 'Deported', group = 'deportations' }\n"
    "flow { from = 'Minsk', to = 'Vilnius' }\n" /* 11 */
    "marker { at = 'Salihorsk', symbol = 'mine', size = 10, fill = '#123456',\n"
    "         stroke = '#abcdef', width = 1, label = 'Belaruskali', legend = 'Mines' }\n"
    "marker { at = { 25.288, 54.637 } }\n" /* 14 */
    "area { coords = { { 25, 54 }, { 26, 54 }, 'Vilnius' }, fill = '#ff000080',\n"
    "       stroke = false, hatch = true, legend = 'Zone' }\n"
    "callout { at = 'Vilnius', text = 'US Embassy', dx = 30, dy = -20, label_size = 6 }\n"
    "callout { at = 'Minsk', text = 42 }\n" /* 18 */
    "route { { 0, 0 }, { 1, 1 }, status = 'blocked', cut = { 0.5, 0.5 }, arrow = 'none' }\n";

START_TEST(overlays_parse_into_the_model)
{
    cor__script_t *sc = new_script(NULL);
    cor__style_t style = {0};
    cor__overlays_t ov = {0};
    cor_error_t err = {0};
    char *path = write_style("story.lua", story);
    ck_assert_msg(run_path_ov(sc, path, &style, &ov, &err) == COR_OK, "%s", err.message);
    ck_assert_uint_eq(style.nlayers, 0);
    ck_assert_uint_eq(ov.n, 10);
    for (size_t i = 0; i < ov.n; i++)
        ck_assert_str_eq(ov.items[i].file, path);

    const cor__overlay_t *r = &ov.items[0];
    ck_assert_int_eq(r->kind, COR__OV_ROUTE);
    ck_assert_int_eq(r->line, 1);
    ck_assert_uint_eq(r->nplaces, 4);
    assert_place(&r->places[0], "Salihorsk", 0, 0);
    assert_place(&r->places[1], "Minsk", 0, 0);
    assert_place(&r->places[2], NULL, 26.87, 54.32);
    assert_place(&r->places[3], "Klaipėda", 0, 0);
    ck_assert(r->blocked && r->has_cut && r->schematic);
    assert_place(&r->cut, "Gudogai", 0, 0);
    ck_assert(r->look.stroke_on && !r->look.fill_on && r->look.casing_on);
    assert_rgb(r->look.stroke, 0x8c2d04, 1);
    assert_rgb(r->look.casing, 0xffffff, 1);
    ck_assert_double_eq(r->look.width, 2.5);
    ck_assert_double_eq(r->look.casing_width, 1.5);
    ck_assert_double_eq(r->look.opacity, 0.9);
    ck_assert_int_eq(r->look.ndash, 2);
    ck_assert_double_eq(r->look.dash[0], 6);
    ck_assert_double_eq(r->look.dash[1], 3);
    ck_assert_int_eq(r->look.cap, COR__CAP_BUTT);
    ck_assert_int_eq(r->look.join, COR__JOIN_BEVEL);
    ck_assert_int_eq(r->arrow, COR__ARROW_BOTH);
    ck_assert_str_eq(r->label, "Potash");
    ck_assert_double_eq(r->label_size, 7);
    assert_rgb(r->label_color, 0x402010, 1);
    ck_assert_str_eq(r->legend, "Potash to Klaipėda");
    ck_assert_str_eq(r->group, "potash");
    ck_assert_double_eq(r->priority, 100);

    /* a bare route: the defaults */
    r = &ov.items[1];
    ck_assert_int_eq(r->line, 7);
    ck_assert(!r->blocked && !r->has_cut && !r->schematic);
    ck_assert_ptr_null(r->group);
    ck_assert_ptr_null(r->label);
    ck_assert_ptr_null(r->legend);
    assert_rgb(r->look.stroke, 0x7a2e0e, 1);
    ck_assert_double_eq(r->look.width, 2.2);
    ck_assert_int_eq(r->look.cap, COR__CAP_ROUND);
    ck_assert_int_eq(r->look.join, COR__JOIN_ROUND);
    ck_assert(!r->look.casing_on && !r->look.fill_on);
    ck_assert_int_eq(r->look.ndash, 0);
    ck_assert_double_eq(r->look.opacity, 1);
    ck_assert_int_eq(r->arrow, COR__ARROW_END);
    ck_assert_double_eq(r->label_size, 0);
    ck_assert_double_eq(r->label_color.a, 0); /* unset: the overlay module picks */
    ck_assert_double_eq(r->priority, COR__OV_PRIORITY);

    const cor__overlay_t *f = &ov.items[2];
    ck_assert_int_eq(f->kind, COR__OV_FLOW);
    ck_assert_int_eq(f->line, 8);
    ck_assert_uint_eq(f->nplaces, 3);
    assert_place(&f->places[0], "Minsk", 0, 0);
    assert_place(&f->places[1], "Homyel", 0, 0);
    assert_place(&f->places[2], NULL, 31.3, 51.5);
    ck_assert_double_eq(f->value, 114);
    ck_assert_double_eq(f->bend, -0.3);
    assert_rgb(f->look.stroke, 0xb2182b, 1);
    ck_assert_double_eq(f->look.opacity, 0.9);
    ck_assert(f->look.casing_on);
    ck_assert_double_eq(f->look.casing_width, 1.0); /* a casing colour alone gets 1 pt */
    ck_assert_str_eq(f->label, "114 · 13 Dec 2025");
    ck_assert_str_eq(f->legend, "Deported");
    ck_assert_str_eq(f->group, "deportations");
    ck_assert_int_eq(f->arrow, COR__ARROW_END);
    f = &ov.items[3];
    ck_assert_uint_eq(f->nplaces, 2);
    ck_assert(isnan(f->bend));
    ck_assert_double_eq(f->value, 0);
    ck_assert_double_eq(f->look.opacity, 0.85);
    assert_rgb(f->look.stroke, 0xb2182b, 1);

    const cor__overlay_t *m = &ov.items[4];
    ck_assert_int_eq(m->kind, COR__OV_MARKER);
    ck_assert_int_eq(m->line, 12);
    ck_assert_uint_eq(m->nplaces, 1);
    assert_place(&m->places[0], "Salihorsk", 0, 0);
    ck_assert_int_eq(m->look.marker, COR__MARKER_MINE);
    ck_assert_double_eq(m->look.size, 10);
    assert_rgb(m->look.fill, 0x123456, 1);
    assert_rgb(m->look.stroke, 0xabcdef, 1);
    ck_assert_double_eq(m->look.width, 1);
    ck_assert_str_eq(m->label, "Belaruskali");
    ck_assert_str_eq(m->legend, "Mines");
    ck_assert_int_eq(m->arrow, COR__ARROW_NONE);
    m = &ov.items[5];
    assert_place(&m->places[0], NULL, 25.288, 54.637);
    ck_assert_int_eq(m->look.marker, COR__MARKER_CIRCLE);
    ck_assert_double_eq(m->look.size, 8);
    ck_assert(m->look.fill_on && m->look.stroke_on);
    assert_rgb(m->look.fill, 0x333333, 1);
    assert_rgb(m->look.stroke, 0xffffff, 1);
    ck_assert_double_eq(m->look.width, 0.8);

    const cor__overlay_t *a = &ov.items[6];
    ck_assert_int_eq(a->kind, COR__OV_AREA);
    ck_assert_int_eq(a->line, 15);
    ck_assert_uint_eq(a->nplaces, 3);
    assert_place(&a->places[1], NULL, 26, 54);
    assert_place(&a->places[2], "Vilnius", 0, 0);
    ck_assert(a->hatch && a->look.hatch && a->look.fill_on && !a->look.stroke_on);
    assert_rgb(a->look.fill, 0xff0000, 128 / 255.0);
    ck_assert_str_eq(a->legend, "Zone");

    const cor__overlay_t *c = &ov.items[7];
    ck_assert_int_eq(c->kind, COR__OV_CALLOUT);
    ck_assert_int_eq(c->line, 17);
    assert_place(&c->places[0], "Vilnius", 0, 0);
    ck_assert_str_eq(c->label, "US Embassy");
    ck_assert_double_eq(c->dx, 30);
    ck_assert_double_eq(c->dy, -20);
    ck_assert_double_eq(c->label_size, 6);
    c = &ov.items[8];
    ck_assert_str_eq(c->label, "42");
    ck_assert_double_eq(c->dx, 0); /* 0, 0: the overlay module's default offset */
    ck_assert_double_eq(c->dy, 0);

    r = &ov.items[9];
    assert_place(&r->cut, NULL, 0.5, 0.5);
    ck_assert_int_eq(r->arrow, COR__ARROW_NONE);

    /* an area with defaults: translucent fill */
    cor__overlays_clear(&ov);
    ck_assert_int_eq(
        run_ov(sc, "area.lua", "area { coords = { {0, 0}, {1, 0}, {1, 1} } }", &style, &ov, &err),
        COR_OK);
    ck_assert_uint_eq(ov.n, 1);
    ck_assert(ov.items[0].look.fill_on && !ov.items[0].hatch);
    ck_assert_double_eq_tol(ov.items[0].look.fill.a, 0.35, 1e-9);
    cor__overlays_clear(&ov);
    cor__style_clear(&style);
    cor__script_free(sc);
    free(path);
}
END_TEST

static const char *const area_names[] = {"ISO_A2", "name", "pop"};

/* A country feature for where filters. */
static cor__feature_t area_feature(const char *iso, double pop, cor__attr_t vals[3])
{
    vals[0] = (cor__attr_t){COR__ATTR_STRING, iso, 0, false};
    vals[1] = (cor__attr_t){COR__ATTR_STRING, "Somewhere", 0, false};
    vals[2] = (cor__attr_t){COR__ATTR_NUMBER, NULL, pop, false};
    return (cor__feature_t){3, NULL, 3, area_names, vals};
}

/* Resolves the layer for a country and returns whether it is visible. */
static bool area_keeps(cor__script_t *sc, const cor__layer_style_t *ls, const char *iso, double pop,
                       cor__look_t *look)
{
    cor__attr_t vals[3];
    cor__feature_t f = area_feature(iso, pop, vals);
    cor__look_t base;
    bool vis = false;
    cor_error_t err = {0};
    cor__look_default(COR__GEOM_POLYGON, 0, &base);
    ck_assert_msg(cor__style_resolve(ls, &base, &f, cor__script_eval, sc, look, &vis, &err) ==
                      COR_OK,
                  "%s", err.message);
    ck_assert_int_eq(cor__script_stack_depth(sc), 0);
    return vis;
}

START_TEST(source_areas_become_filtered_layers)
{
    cor__script_t *sc = new_script(NULL);
    cor__style_t style = {0};
    cor__overlays_t ov = {0};
    cor_error_t err = {0};
    cor__look_t look;
    ck_assert_msg(
        run_ov(sc, "areas.lua",
               "layer { source = 'land' }\n"
               "area { source = 'countries', where = { iso_a2 = 'LT' }, fill = '#fdae6b',\n"
               "       hatch = true, legend = 'Lithuania', group = 'borders' }\n"
               "area { source = 'countries', where = { ISO_A2 = { 'BY', 'UA' }, pop = 9e6 } }\n"
               "area { source = 'countries',\n"
               "       where = function(f) return f.pop > 1e7 end, stroke = false }\n"
               "layer { source = 'places' }\n",
               &style, &ov, &err) == COR_OK,
        "%s", err.message);
    ck_assert_uint_eq(ov.n, 0);
    ck_assert_uint_eq(style.nlayers, 5);
    const cor__layer_style_t *lt = &style.layers[1], *byua = &style.layers[2],
                             *big = &style.layers[3];
    ck_assert_double_eq(style.layers[0].order, 1);
    ck_assert_double_eq(lt->order, 1e8 + 2);
    ck_assert_double_eq(byua->order, 1e8 + 3);
    ck_assert_double_eq(big->order, 1e8 + 4);
    ck_assert_double_eq(style.layers[4].order, 5);
    ck_assert_str_eq(lt->source, "countries");
    ck_assert_str_eq(lt->name, "countries");
    ck_assert_int_eq(lt->line, 2);
    ck_assert_ptr_nonnull(strstr(lt->file, "areas.lua"));
    ck_assert_str_eq(lt->legend, "Lithuania");
    ck_assert_str_eq(lt->group, "borders");
    ck_assert_ptr_null(byua->group);
    ck_assert_ptr_null(byua->legend);
    ck_assert(lt->props[COR__P_FILTER].dynamic && lt->props[COR__P_HATCH].set);
    ck_assert_int_eq(big->line, 5);

    /* the filter keeps exactly the matching features; hatch reaches the look */
    ck_assert(area_keeps(sc, lt, "LT", 2.8e6, &look));
    ck_assert(look.hatch && look.fill_on);
    assert_rgb(look.fill, 0xfdae6b, 1);
    assert_rgb(look.stroke, 0xd94801, 1);
    ck_assert_double_eq(look.width, 0.8);
    ck_assert(!area_keeps(sc, lt, "LV", 2.8e6, &look));
    ck_assert(!area_keeps(sc, lt, "lt", 2.8e6, &look));
    ck_assert(area_keeps(sc, byua, "BY", 9e6, &look));
    ck_assert(!look.hatch);
    ck_assert_double_eq_tol(look.fill.a, 0x59 / 255.0, 1e-9); /* translucent by default */
    ck_assert(area_keeps(sc, byua, "UA", 9e6, &look));
    ck_assert(!area_keeps(sc, byua, "UA", 9.5e6, &look));
    ck_assert(!area_keeps(sc, byua, "PL", 9e6, &look));
    ck_assert(area_keeps(sc, big, "UA", 3.8e7, &look));
    ck_assert(!look.stroke_on);
    ck_assert(!area_keeps(sc, big, "LT", 2.8e6, &look));
    /* a missing attribute never matches */
    cor__feature_t bare = {0, NULL, 0, NULL, NULL};
    cor__pval_t v;
    ck_assert_int_eq(cor__script_eval(sc, &lt->props[COR__P_FILTER], &bare, &v, &err), COR_OK);
    ck_assert_int_eq(v.type, COR__PV_BOOL);
    ck_assert(!v.b);
    cor__overlays_clear(&ov);
    cor__style_clear(&style);
    cor__script_free(sc);
}
END_TEST

/* The fixture data directory. Returns: malloc'd. */
static char *fixture_datadir(void)
{
    return cor_test_src("tests/fixtures/overlays/datadir");
}

START_TEST(overlay_files_by_name)
{
    char *dd = fixture_datadir();
    char *potash = cor__path_join(dd, "geodata/overlays/potash.lua");
    char *extra = cor__path_join(dd, "geodata/overlays/extra.lua");
    cor__script_t *sc = new_script(NULL);
    cor__style_t style = {0};
    cor__overlays_t ov = {0};
    cor_error_t err = {0};
    cor__script_set_data_dir(sc, dd);
    ck_assert_msg(run_ov(sc, "story.lua",
                         "layer { source = 'countries' }\n"
                         "overlay 'potash'\n"
                         "route { 'A', 'B' }\n"
                         "hide 'potash'\n",
                         &style, &ov, &err) == COR_OK,
                  "%s", err.message);
    ck_assert_uint_eq(ov.n, 4);
    const cor__overlay_t *r = &ov.items[0], *m = &ov.items[1], *c = &ov.items[2],
                         *own = &ov.items[3];
    ck_assert_str_eq(r->file, potash);
    ck_assert_int_eq(r->line, 3);
    ck_assert_str_eq(r->group, "potash");
    ck_assert(r->blocked);
    ck_assert_uint_eq(r->nplaces, 4);
    ck_assert_str_eq(m->group, "mines"); /* set its own */
    ck_assert_int_eq(m->line, 5);
    ck_assert_str_eq(c->file, extra); /* included by potash.lua: potash's group */
    ck_assert_int_eq(c->line, 2);
    ck_assert_str_eq(c->group, "potash");
    ck_assert_ptr_null(own->group);
    /* the source area and the layer of the overlay file: above the style, in the group */
    ck_assert_uint_eq(style.nlayers, 3);
    ck_assert_double_eq(style.layers[0].order, 1);
    ck_assert_ptr_null(style.layers[0].group);
    ck_assert_str_eq(style.layers[1].source, "countries");
    ck_assert_str_eq(style.layers[1].group, "potash");
    ck_assert_str_eq(style.layers[1].file, potash);
    ck_assert_int_eq(style.layers[1].line, 6);
    ck_assert(style.layers[1].props[COR__P_HATCH].set);
    ck_assert_double_eq(style.layers[1].order, 1e8 + 2);
    ck_assert_str_eq(style.layers[2].source, "rivers");
    ck_assert_str_eq(style.layers[2].group, "potash");
    ck_assert_double_eq(style.layers[2].order, 1e8 + 3);
    char *pdir = cor__path_dirname(potash);
    ck_assert_str_eq(style.layers[2].base_dir, pdir);
    free(pdir);
    /* hide */
    ck_assert_uint_eq(ov.nhidden, 1);
    ck_assert_str_eq(ov.hidden[0], "potash");
    ck_assert(!cor__overlay_visible(&ov, r));
    ck_assert(cor__overlay_visible(&ov, m));
    ck_assert(!cor__overlay_visible(&ov, c));
    ck_assert(cor__overlay_visible(&ov, own));

    /* names that are not there, and relative paths */
    cor_error_clear(&err);
    ck_assert_int_eq(run_ov(sc, "miss.lua", "overlay 'nothere'", &style, &ov, &err), COR_ERR_STYLE);
    ck_assert_msg(strstr(err.message, "miss.lua:1: overlay: no overlay named 'nothere' (looked "
                                      "for ") != NULL,
                  "%s", err.message);
    ck_assert_ptr_nonnull(strstr(err.message, "/geodata/overlays/nothere.lua)"));
    char *dir = fresh_dir();
    char *sub = cor__path_join(dir, "sub");
    ck_assert_int_eq(mkdir(sub, 0755), 0);
    free(put(sub, "mine.overlay.lua", "-- mine\nmarker { at = 'Minsk' }\n"));
    char *main_path = put(dir, "main.lua", "overlay 'sub/mine.overlay.lua'\n");
    cor__overlays_clear(&ov);
    ck_assert_msg(run_path_ov(sc, main_path, &style, &ov, &err) == COR_OK, "%s", err.message);
    ck_assert_uint_eq(ov.n, 1);
    ck_assert_str_eq(ov.items[0].group, "mine.overlay");
    ck_assert_int_eq(ov.items[0].line, 2);
    cor__overlays_clear(&ov);
    cor__style_clear(&style);
    cor__script_free(sc);
    free(main_path);
    free(sub);
    free(dir);
    free(extra);
    free(potash);
    free(dd);
}
END_TEST

START_TEST(include_builds_on_a_style)
{
    char *dd = fixture_datadir();
    cor__script_t *sc = new_script(NULL);
    cor__style_t style = {0};
    cor__overlays_t ov = {0};
    cor_error_t err = {0};
    cor__script_set_data_dir(sc, dd);
    ck_assert_msg(run_ov(sc, "mine.lua",
                         "include 'base'\n"
                         "map { title = 'Mine', legend = 'top-right' }\n"
                         "layer { source = 'rivers' }\n",
                         &style, &ov, &err) == COR_OK,
                  "%s", err.message);
    ck_assert_str_eq(style.map.title, "Mine");
    ck_assert_str_eq(style.map.crs, "EPSG:3035");
    ck_assert_str_eq(style.map.scalebar, "bottom-left");
    ck_assert_str_eq(style.map.legend, "top-right");
    ck_assert(style.map.has_graticule);
    ck_assert_double_eq(style.map.graticule, 5);
    ck_assert_uint_eq(style.nlayers, 3);
    static const char *const sources[] = {"countries", "places", "rivers"};
    for (int i = 0; i < 3; i++) {
        ck_assert_str_eq(style.layers[i].source, sources[i]);
        ck_assert_double_eq(style.layers[i].order, i + 1);
    }
    ck_assert_ptr_nonnull(strstr(style.layers[0].file, "datadir/styles/base.lua"));
    ck_assert_int_eq(style.layers[1].line, 4);
    cor__style_clear(&style);

    /* cycles, direct and indirect, and depth */
    char *dir = fresh_dir();
    free(put(dir, "a.lua", "layer { source = 'a' }\ninclude 'b.lua'\n"));
    free(put(dir, "b.lua", "\ninclude 'a.lua'\n"));
    char *self = put(dir, "self.lua", "include './self.lua'\n");
    char *a = cor__path_join(dir, "a.lua");
    ck_assert_int_eq(run_path_ov(sc, a, &style, &ov, &err), COR_ERR_STYLE);
    ck_assert_msg(strstr(err.message, "/b.lua:2: include: include cycle: a.lua -> b.lua -> a.lua"),
                  "%s", err.message);
    ck_assert_uint_eq(style.nlayers, 0);
    cor_error_clear(&err);
    ck_assert_int_eq(run_path_ov(sc, self, &style, &ov, &err), COR_ERR_STYLE);
    ck_assert_msg(strstr(err.message, "/self.lua:1: include: include cycle: self.lua -> self.lua"),
                  "%s", err.message);
    for (int i = 0; i < 10; i++) {
        char name[16], text[64];
        snprintf(name, sizeof name, "f%d.lua", i);
        snprintf(text, sizeof text, "layer { source = 'f%d' }\n%s", i, i < 9 ? "include 'f" : "");
        if (i < 9)
            snprintf(text + strlen(text), sizeof text - strlen(text), "%d.lua'\n", i + 1);
        free(put(dir, name, text));
    }
    char *f0 = cor__path_join(dir, "f0.lua"), *f1 = cor__path_join(dir, "f1.lua");
    cor_error_clear(&err);
    ck_assert_int_eq(run_path_ov(sc, f0, &style, &ov, &err), COR_ERR_STYLE);
    ck_assert_msg(strstr(err.message, "/f8.lua:2: include: files nest more than 8 deep"), "%s",
                  err.message);
    ck_assert_uint_eq(style.nlayers, 0);
    ck_assert_msg(run_path_ov(sc, f1, &style, &ov, &err) == COR_OK, "%s", err.message);
    ck_assert_uint_eq(style.nlayers, 9); /* f1 and 8 nested below it */
    for (size_t i = 0; i < 9; i++)
        ck_assert_double_eq(style.layers[i].order, (double)i + 1);
    cor__style_clear(&style);

    /* a failing include caught by pcall adds nothing of its own */
    free(put(dir, "half.lua", "layer { source = 'half' }\nmap { title = 'half' }\nerror('no')\n"));
    char *outer = put(dir, "outer.lua",
                      "layer { source = 'one' }\n"
                      "local ok, e = pcall(include, 'half.lua')\n"
                      "assert(not ok and e:find('half.lua:3: no'), e)\n"
                      "layer { source = 'two' }\n");
    ck_assert_msg(run_path_ov(sc, outer, &style, &ov, &err) == COR_OK, "%s", err.message);
    ck_assert_uint_eq(style.nlayers, 2);
    ck_assert_str_eq(style.layers[1].source, "two");
    ck_assert_double_eq(style.layers[1].order, 2);
    ck_assert_ptr_null(style.map.title);
    cor__overlays_clear(&ov);
    cor__style_clear(&style);
    cor__script_free(sc);
    free(outer);
    free(f0);
    free(f1);
    free(a);
    free(self);
    free(dir);
    free(dd);
}
END_TEST

START_TEST(run_overlay_refuses_map)
{
    cor__script_t *sc = new_script(NULL);
    cor__style_t style = {0};
    cor__overlays_t ov = {0};
    cor_error_t err = {0};
    cor__script_set_overlays(sc, &ov);
    char *bad = write_style("bad.lua", "marker { at = 'A' }\nmap { title = 'x' }\n");
    ck_assert_int_eq(cor__script_run_overlay(sc, bad, &style, &err), COR_ERR_STYLE);
    ck_assert_msg(
        cor__ends_with_ci(err.message, "/bad.lua:2: map{} belongs in a style, not in an overlay"),
        "%s", err.message);
    ck_assert_uint_eq(ov.n, 0);
    /* nor in an include inside an overlay */
    char *dir = fresh_dir();
    free(put(dir, "inner.lua", "map { title = 'x' }\n"));
    char *outer = put(dir, "outer.lua", "include 'inner.lua'\n");
    cor_error_clear(&err);
    ck_assert_int_eq(cor__script_run_overlay(sc, outer, &style, &err), COR_ERR_STYLE);
    ck_assert_ptr_nonnull(strstr(err.message, "inner.lua:1: map{} belongs in a style"));

    cor__style_add_layer(&style)->name = cor__strdup("base");
    char *good = put(dir, "deportations.lua",
                     "flow { from = 'Minsk', to = 'Chernihiv', value = 114 }\n"
                     "flow { from = 'Minsk', to = 'Vilnius', value = 9, group = 'lt' }\n"
                     "layer { source = 'x' }\n"
                     "layer { source = 'y', order = 3 }\n");
    ck_assert_msg(cor__script_run_overlay(sc, good, &style, &err) == COR_OK, "%s", err.message);
    ck_assert_uint_eq(ov.n, 2);
    ck_assert_str_eq(ov.items[0].group, "deportations");
    ck_assert_str_eq(ov.items[1].group, "lt");
    ck_assert_uint_eq(style.nlayers, 3);
    ck_assert_double_eq(style.layers[1].order, 1e8 + 2);
    ck_assert_str_eq(style.layers[1].group, "deportations");
    ck_assert_double_eq(style.layers[2].order, 3);
    cor__overlays_clear(&ov);
    cor__style_clear(&style);
    cor__script_free(sc);
    free(good);
    free(outer);
    free(dir);
    free(bad);
}
END_TEST

START_TEST(failed_overlay_rolls_back)
{
    char *dd = fixture_datadir();
    cor__script_t *sc = new_script(NULL);
    cor__style_t style = {0};
    cor__overlays_t ov = {0};
    cor_error_t err = {0};
    cor__script_set_data_dir(sc, dd);
    cor__overlay_add_place(cor__overlays_add(&ov, COR__OV_MARKER), "Mine", 0, 0);
    cor__overlays_hide(&ov, "before");
    cor__style_add_layer(&style)->name = cor__strdup("mine");
    ck_assert_int_eq(run_ov(sc, "story.lua",
                            "route { 'A', 'B' }\n"
                            "hide 'x'\n"
                            "area { source = 'countries', where = { iso_a2 = 'LT' } }\n"
                            "map { title = 'changed' }\n"
                            "overlay 'broken'\n",
                            &style, &ov, &err),
                     COR_ERR_STYLE);
    ck_assert_msg(strstr(err.message, "broken.lua:3: value: -114 is out of range (0 or more)"),
                  "%s", err.message);
    ck_assert_uint_eq(ov.n, 1);
    ck_assert_str_eq(ov.items[0].places[0].name, "Mine");
    ck_assert_uint_eq(ov.nhidden, 1);
    ck_assert_uint_eq(style.nlayers, 1);
    ck_assert_ptr_null(style.map.title);
    /* the same overlay file run directly */
    char *broken = cor__path_join(dd, "geodata/overlays/broken.lua");
    cor_error_clear(&err);
    ck_assert_int_eq(cor__script_run_overlay(sc, broken, &style, &err), COR_ERR_STYLE);
    ck_assert_uint_eq(ov.n, 1);
    /* a bad declaration caught by pcall leaves nothing half-built */
    cor_error_clear(&err);
    ck_assert_msg(run_ov(sc, "pc.lua",
                         "assert(not pcall(route, { 'A', 'B', width = -1 }))\n"
                         "assert(not pcall(flow, { from = 'A', to = 'B', value = 1, bend = 5 }))\n"
                         "assert(not pcall(layer, { source = 'x', fill = function() end, "
                         "width = 'w' }))\n"
                         "assert(not pcall(map, { title = 'half', dpi = 0 }))\n"
                         "assert(not pcall(area, { source = 'c', where = function() end, "
                         "fill = 'blu' }))\n"
                         "map { crs = 'EPSG:3035' }\n"
                         "route { 'C', 'D' }\n",
                         &style, &ov, &err) == COR_OK,
                  "%s", err.message);
    ck_assert_uint_eq(ov.n, 2);
    ck_assert_str_eq(ov.items[1].places[0].name, "C");
    ck_assert_uint_eq(style.nlayers, 1);
    ck_assert_ptr_null(style.map.title);
    ck_assert_str_eq(style.map.crs, "EPSG:3035");
    cor__overlays_clear(&ov);
    cor__style_clear(&style);
    cor__script_free(sc);
    free(broken);
    free(dd);
}
END_TEST

START_TEST(data_helpers_return_tables)
{
    char *path = cor_test_src("tests/fixtures/overlays/data/read_tables.lua");
    cor__script_t *sc = new_script(NULL);
    cor__style_t style = {0};
    cor_error_t err = {0};
    ck_assert_msg(cor__script_run_style(sc, path, &style, &err) == COR_OK, "%s", err.message);
    ck_assert_str_eq(
        cor__script_log(sc),
        "3\n"
        "{count=3,date=2025-02-12,note=Kuznechyk, Maushuk,to=Vilnius}\n"
        "{count=14,date=2025-06-21,note=Tsikhanouski \"and\" others,to=Vilnius}\n"
        "{count=114,date=2025-12-13,to=Chernihiv}\n"
        "FeatureCollection\t6\n"
        "Feature\tPoint\t{27.50,53.90}\t{capital=true,name=Minsk,pop=1995471,ratio=2.50}\n"
        "Feature\tMultiPoint\t{{25.25,54.75},{21.00,55.50}}\t{}\n"
        "Feature\tLineString\t{{27.50,52.75},{27.50,53.90},{21.00,55.50}}\t{name=Potash}\n"
        "Feature\tMultiLineString\t{{{21.00,55.50},{20.50,56.00}},{{21.00,55.00},{20.00,55.50}}}"
        "\t{tags={\"mode\":[\"rail\"]}}\n"
        "Feature\tPolygon\t{{{26.00,53.00},{28.00,53.00},{28.00,55.00},{26.00,55.00},{26.00,"
        "53.00}},{{26.50,53.50},{27.00,53.50},{27.00,54.00},{26.50,53.50}}}\t{name=holed}\n"
        "Feature\tMultiPolygon\t{{{{0.00,0.00},{4.00,0.00},{4.00,4.00},{0.00,4.00},{0.00,0.00}},"
        "{{1.00,1.00},{2.00,1.00},{2.00,2.00},{1.00,1.00}}},{{{10.00,10.00},{11.00,10.00},"
        "{11.00,11.00},{10.00,10.00}}}}\t{name=two}\n");
    cor__style_clear(&style);
    cor__script_free(sc);
    free(path);
}
END_TEST

START_TEST(data_helpers_refuse_and_report)
{
    char *dir = fresh_dir();
    free(put(dir, "bad.csv", "a,b\n1,2\n3,4\n5,6\n7,8\n9,10\n11,\"12\n13,14\n"));
    free(put(dir, "ragged.csv", "a,b\n1,2\n3\n"));
    free(put(dir, "dup.csv", "a,b,a\n1,2,3\n"));
    free(put(dir, "noname.csv", "a,,c\n1,2,3\n"));
    free(put(dir, "empty.csv", ""));
    free(put(dir, "bad.geojson",
             "{\"type\": \"FeatureCollection\",\n \"features\": [\n"
             "  {\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", "
             "\"coordinates\": [200, 0]}, \"properties\": {}}]}\n"));
    static const char *const cases[][2] = {
        {"local a = 1\nlocal rows = read_csv('bad.csv')",
         "flows.lua:2: read_csv: bad.csv:7: unterminated quoted field"},
        {"read_csv('ragged.csv')", "flows.lua:1: read_csv: ragged.csv:3: 1 fields where the "
                                   "header has 2"},
        {"read_csv('dup.csv')", "read_csv: dup.csv:1: column 'a' appears twice in the header"},
        {"read_csv('noname.csv')", "read_csv: noname.csv:1: column 2 of the header has no name"},
        {"read_csv('../x.csv')",
         "flows.lua:1: read_csv: ../x.csv: the path must stay inside the script's directory"},
        {"read_csv('/etc/passwd')",
         "read_csv: /etc/passwd: the path must stay inside the script's directory"},
        {"read_csv('a/../../x.csv')",
         "read_csv: a/../../x.csv: the path must stay inside the script's directory"},
        {"read_csv('')", "read_csv: the path is empty"},
        {"read_csv()", "bad argument #1 to 'read_csv'"},
        {"read_csv('missing.csv')", "flows.lua:1: read_csv: missing.csv: cannot open"},
        /* a chunk name cannot move the directory read from */
        {"load(\"return read_csv('passwd')\", '@/etc/x.lua')()", "read_csv: passwd: cannot open"},
        {"read_geojson('../shapes.geojson')",
         "read_geojson: ../shapes.geojson: the path must stay inside the script's directory"},
        {"read_geojson('/etc/passwd')",
         "read_geojson: /etc/passwd: the path must stay inside the script's directory"},
        {"\nread_geojson('bad.geojson')", "flows.lua:2: read_geojson: bad.geojson: "},
        {"read_geojson('bad.csv')", "flows.lua:1: read_geojson: bad.csv"},
    };
    for (size_t i = 0; i < COR__ARRAY_LEN(cases); i++) {
        char *path = put(dir, "flows.lua", cases[i][0]);
        cor__script_t *sc = new_script(NULL);
        cor__style_t style = {0};
        cor_error_t err = {0};
        ck_assert_int_eq(cor__script_run_style(sc, path, &style, &err), COR_ERR_STYLE);
        ck_assert_msg(strstr(err.message, cases[i][1]), "%s\n-> '%s' lacks '%s'", cases[i][0],
                      err.message, cases[i][1]);
        ck_assert_int_eq(cor__script_stack_depth(sc), 0);
        cor__script_free(sc);
        free(path);
    }
    /* an empty file is an empty list; a file too large is refused */
    cor__script_t *sc = new_script(NULL);
    cor__style_t style = {0};
    cor_error_t err = {0};
    char *path = put(dir, "empty.lua", "assert(#read_csv('empty.csv') == 0)");
    ck_assert_msg(cor__script_run_style(sc, path, &style, &err) == COR_OK, "%s", err.message);
    free(path);
    char *big = cor__path_join(dir, "big.csv");
    FILE *fp = fopen(big, "w");
    ck_assert_ptr_nonnull(fp);
    ck_assert_int_eq(fseek(fp, (16L << 20) + 1, SEEK_SET), 0);
    fputc('\n', fp);
    fclose(fp);
    path = put(dir, "big.lua", "read_csv('big.csv')");
    ck_assert_int_eq(cor__script_run_style(sc, path, &style, &err), COR_ERR_STYLE);
    ck_assert_msg(strstr(err.message, "big.lua:1: read_csv: big.csv: 16777218 bytes, more than "
                                      "the 16777216 accepted"),
                  "%s", err.message);
    cor__script_free(sc);
    free(path);
    free(big);
    free(dir);
}
END_TEST

/* A symbolic link, a ".." or a linked directory beside a script never leads the data helpers,
 * include or overlay out of the script's directory, with openat2 and with the real-path check
 * it falls back to; links that stay inside still work. */
START_TEST(symlinks_do_not_lead_out)
{
    char *dir = fresh_dir(), *out = fresh_dir();
    char *secret = put(out, "secret.csv", "secret\nTOPSECRET\n");
    free(put(out, "secret.lua", "map { title = 'outside' }"));
    free(put(out, "secret.geojson", "{\"type\": \"FeatureCollection\", \"features\": []}"));
    free(put(dir, "real.csv", "a\n1\n"));
    static const char *const links[][2] = {
        {"link.csv", "%s/secret.csv"}, {"link.geojson", "%s/secret.geojson"},
        {"link.lua", "%s/secret.lua"}, {"sub", "%s"},
        {"inner.csv", "real.csv"},     {"up.csv", "../%s/secret.csv"},
    };
    char *outbase = strrchr(out, '/') + 1;
    for (size_t i = 0; i < COR__ARRAY_LEN(links); i++) {
        char target[4096], *lp = cor__path_join(dir, links[i][0]);
        snprintf(target, sizeof target, links[i][1], i == 5 ? outbase : out);
        ck_assert_int_eq(symlink(target, lp), 0);
        free(lp);
    }
    static const char *const cases[][2] = {
        {"read_csv('link.csv')", "flows.lua:1: read_csv: link.csv: the path leads outside the "
                                 "script's directory"},
        {"read_csv('sub/secret.csv')", "read_csv: sub/secret.csv: the path leads outside"},
        {"read_csv('up.csv')", "read_csv: up.csv: the path leads outside"},
        {"read_geojson('link.geojson')", "read_geojson: link.geojson: the path leads outside"},
        {"include 'link.lua'", "include: link.lua: the path leads outside"},
        {"overlay 'link.lua'", "overlay: link.lua: the path leads outside"},
        {"include 'sub/secret.lua'", "include: sub/secret.lua: the path leads outside"},
    };
    cor__overlays_t ov = {0};
    for (size_t i = 0; i < COR__ARRAY_LEN(cases); i++) {
        char *path = put(dir, "flows.lua", cases[i][0]);
        cor__script_t *sc = new_script(NULL);
        cor__script_set_overlays(sc, &ov);
        cor__style_t style = {0};
        cor_error_t err = {0};
        ck_assert_int_eq(cor__script_run_style(sc, path, &style, &err), COR_ERR_STYLE);
        ck_assert_msg(strstr(err.message, cases[i][1]), "%s\n-> '%s' lacks '%s'", cases[i][0],
                      err.message, cases[i][1]);
        ck_assert_ptr_null(strstr(err.message, "TOPSECRET"));
        ck_assert_ptr_null(style.map.title);
        cor__script_free(sc);
        free(path);
    }
    cor__overlays_clear(&ov);
    /* a link that stays inside the directory is followed */
    char *path = put(dir, "ok.lua", "assert(read_csv('inner.csv')[1].a == 1)");
    cor__script_t *sc = new_script(NULL);
    cor__style_t style = {0};
    cor_error_t err = {0};
    ck_assert_msg(cor__script_run_style(sc, path, &style, &err) == COR_OK, "%s", err.message);
    cor__script_free(sc);
    free(path);
    /* the real-path check that stands in where the kernel has no openat2 */
    static const struct {
        const char *rel;
        bool ok;
    } direct[] = {{"real.csv", true}, {"inner.csv", true},       {"link.csv", false},
                  {"up.csv", false},  {"sub/secret.csv", false}, {"/etc/passwd", false},
                  {"../x", false}};
    for (size_t i = 0; i < COR__ARRAY_LEN(direct); i++) {
        cor_error_clear(&err);
        int fd = cor__open_beneath_checked(dir, direct[i].rel, &err);
        ck_assert_msg((fd >= 0) == direct[i].ok, "%s: %s", direct[i].rel, err.message);
        if (fd >= 0)
            close(fd);
        else if (strcmp(direct[i].rel, "../x") != 0)
            ck_assert_msg(strstr(err.message, "leads outside"), "%s", err.message);
        fd = cor__open_beneath(dir, direct[i].rel, &err);
        ck_assert_msg((fd >= 0) == direct[i].ok, "%s (openat2): %s", direct[i].rel, err.message);
        if (fd >= 0)
            close(fd);
    }
    free(secret);
    free(out);
    free(dir);
}
END_TEST

/* Every place where the host calls back into code a script wrote runs under the budget, or
 * is refused: finalizers (which Lua runs with hooks off) cannot be set at all. */
START_TEST(host_callbacks_run_under_the_budget)
{
    cor__script_limits_t lim = {0, 2000000, 1e6, 0}; /* instructions only: no race with a clock */
#define LOOP "function() while true do end end"
    static const char *const cases[][2] = {
        {"setmetatable({}, { __gc = " LOOP " })", "evil.lua:1: setmetatable: __gc"},
        {"setmetatable({}, { __gc = true })", "__gc (finalizers) is not available"},
        {"local mt = { __gc = print }\nlocal t = setmetatable({}, {})\nsetmetatable(t, mt)",
         "evil.lua:3: setmetatable: __gc"},
        {"print(setmetatable({}, { __tostring = " LOOP " }))", "instruction budget exhausted"},
        {"print(setmetatable({}, { __name = {} , __tostring = " LOOP " }))", "budget exhausted"},
        {"local t = setmetatable({}, { __index = " LOOP " })\nreturn t.x",
         "instruction budget exhausted"},
        {"table.sort(setmetatable({}, { __len = " LOOP " }))", "instruction budget exhausted"},
        {"table.concat(setmetatable({}, { __len = " LOOP " }))", "instruction budget exhausted"},
        {"table.unpack(setmetatable({}, { __index = " LOOP ", __len = function() return 2 end }))",
         "instruction budget exhausted"},
        {"local mt = { __lt = " LOOP
         " }\nlocal a = { setmetatable({}, mt), setmetatable({}, mt) }\n"
         "table.sort(a)",
         "instruction budget exhausted"},
        {"local mt = { __eq = " LOOP " }\nreturn setmetatable({}, mt) == setmetatable({}, mt)",
         "instruction budget exhausted"},
        {"return setmetatable({}, { __concat = " LOOP " }) .. 'x'", "instruction budget exhausted"},
        {"do local x <close> = setmetatable({}, { __close = " LOOP " }) end",
         "instruction budget exhausted"},
        {"local x <close> = setmetatable({}, { __close = " LOOP " })\nwhile true do end",
         "instruction budget exhausted"},
        {"for k in pairs(setmetatable({}, { __pairs = " LOOP " })) do end",
         "instruction budget exhausted"},
        {"error(setmetatable({}, { __tostring = " LOOP " }))", "error object is a table value"},
        /* declarations read their tables raw: metamethods of what a script hands over never run */
        {"layer(setmetatable({}, { __index = " LOOP " }))", "evil.lua:1: layer{} needs a source"},
        {"layer { source = 'x', fill = setmetatable({}, { __index = " LOOP ", __len = " LOOP
         " }) }",
         "fill"},
        {"map(setmetatable({ title = 't' }, { __pairs = " LOOP ", __index = " LOOP " }))\n"
         "while true do end",
         "evil.lua:2: instruction budget exhausted"},
    };
#undef LOOP
    for (size_t i = 0; i < COR__ARRAY_LEN(cases); i++)
        expect_fail_lim(&lim, cases[i][0], cases[i][1]);
    /* a style function's result is converted raw too: no metamethod of it runs */
    cor__script_t *sc = new_script(&lim);
    cor__style_t style = {0};
    cor_error_t err = {0};
    ck_assert_int_eq(run_in(sc, "fn.lua",
                            "local loop = function() while true do end end\n"
                            "local mt = { __index = loop, __len = loop, __pairs = loop,\n"
                            "             __tostring = loop, __eq = loop }\n"
                            "layer { source = 'x', width = function(f) return setmetatable({}, mt) "
                            "end,\n"
                            "        label = function(f) return setmetatable({ 1 }, mt) end }\n",
                            &style, &err),
                     COR_OK);
    cor__pval_t v;
    ck_assert_int_eq(cor__script_eval(sc, &style.layers[0].props[COR__P_WIDTH], NULL, &v, &err),
                     COR_OK);
    ck_assert_int_eq(v.type, COR__PV_LIST);
    ck_assert_int_eq(v.nlist, 0);
    ck_assert_int_eq(cor__script_eval(sc, &style.layers[0].props[COR__P_LABEL], NULL, &v, &err),
                     COR_OK);
    ck_assert_int_eq(v.type, COR__PV_LIST);
    ck_assert_int_eq(v.nlist, 1);
    cor__style_clear(&style);
    cor__script_free(sc);
}
END_TEST

/* read_csv types its columns: numbers where every value is one, nil for an empty field, text
 * kept on request; and a column the file does not have is a mistake, named with the nearest. */
/* title = false (and every text setting's false) turns the text off, also over a style it
 * includes, as legend = false does. */
START_TEST(text_settings_turn_off_with_false)
{
    char *dir = fresh_dir();
    free(put(dir, "base.lua", "map { title = 'Base', subtitle = 'Sub', credits = 'Data' }"));
    char *path = put(dir, "mine.lua", "include 'base.lua'\nmap { title = false, credits = false }");
    cor__script_t *sc = new_script(NULL);
    cor__style_t style = {0};
    cor_error_t err = {0};
    ck_assert_msg(cor__script_run_style(sc, path, &style, &err) == COR_OK, "%s", err.message);
    ck_assert_str_eq(style.map.title, "");
    ck_assert_str_eq(style.map.credits, "");
    ck_assert_str_eq(style.map.subtitle, "Sub");
    cor__style_clear(&style);
    cor__script_free(sc);
    free(path);
    free(dir);
}
END_TEST

START_TEST(csv_columns_are_typed_and_checked)
{
    char *dir = fresh_dir();
    free(put(dir, "t.csv",
             "name,people,share,code,note,zip\n"
             "Vilnius,3,0.5,1,,00101\n"
             "Kyiv,114,-2.5e1,x1,later, 42\n"
             "Chernihiv,,1e3,3,,007\n"));
    static const char *const ok[] = {
        "local r = read_csv('t.csv')\n"
        "assert(math.type(r[1].people) == 'integer' and r[1].people == 3)\n"
        "assert(math.type(r[1].share) == 'float' and r[2].share == -25.0)\n"
        "assert(r[3].people == nil and r[1].note == nil and r[2].note == 'later')\n"
        "assert(r[1].code == '1' and r[2].code == 'x1')        -- one text value: all text\n"
        "assert(r[1].zip == 101 and r[2].zip == 42)\n"
        "assert(r[1].name == 'Vilnius' and #r == 3)\n",
        "local r = read_csv('t.csv', { strings = true })\n"
        "assert(r[1].people == '3' and r[1].zip == '00101' and r[1].note == nil)\n",
        "local r = read_csv('t.csv', { strings = { 'zip' } })\n"
        "assert(r[1].zip == '00101' and r[1].people == 3)\n",
        "local r = read_csv('t.csv')\n"
        "r[1].extra = 1 assert(r[1].extra == 1)                -- rows are the script's to extend\n"
        "local n = 0 for k in pairs(r[2]) do n = n + 1 end assert(n == 6)\n",
    };
    for (size_t i = 0; i < COR__ARRAY_LEN(ok); i++) {
        char *path = put(dir, "ok.lua", ok[i]);
        cor__script_t *sc = new_script(NULL);
        cor__style_t style = {0};
        cor_error_t err = {0};
        ck_assert_msg(cor__script_run_style(sc, path, &style, &err) == COR_OK, "%s\n-> %s", ok[i],
                      err.message);
        cor__script_free(sc);
        free(path);
    }
    static const char *const bad[][2] = {
        {"local r = read_csv('t.csv')\nflow { from = 'Minsk', to = r[1].name, value = r[1].peple }",
         "bad.lua:2: read_csv: t.csv has no column 'peple' (did you mean 'people'? columns: name, "
         "people, share, code, note, zip)"},
        {"local r = read_csv('t.csv')\nreturn r[1].population",
         "bad.lua:2: read_csv: t.csv has no column 'population' (columns: name, people"},
        {"return read_csv('t.csv')[1][1]", "rows have only named columns"},
        {"read_csv('t.csv', { string = true })", "read_csv: unknown option 'string'"},
        {"read_csv('t.csv', { strings = 'zip' })",
         "read_csv: strings must be true, false or a list of column names, got string"},
        {"read_csv('t.csv', 3)", "bad argument #2 to 'read_csv'"},
    };
    cor__overlays_t ov = {0};
    for (size_t i = 0; i < COR__ARRAY_LEN(bad); i++) {
        char *path = put(dir, "bad.lua", bad[i][0]);
        cor__script_t *sc = new_script(NULL);
        cor__script_set_overlays(sc, &ov);
        cor__style_t style = {0};
        cor_error_t err = {0};
        ck_assert_int_eq(cor__script_run_style(sc, path, &style, &err), COR_ERR_STYLE);
        ck_assert_msg(strstr(err.message, bad[i][1]), "%s\n-> '%s' lacks '%s'", bad[i][0],
                      err.message, bad[i][1]);
        cor__script_free(sc);
        free(path);
    }
    cor__overlays_clear(&ov);
    free(dir);
}
END_TEST

START_TEST(five_hundred_flows_from_a_spreadsheet)
{
    char *dir = fresh_dir();
    cor__buf_t csv = {0};
    cor__buf_puts(&csv, "from,to,count,date\n");
    for (int i = 0; i < 500; i++)
        cor__buf_printf(&csv, "Minsk,\"Place %d\",%d,2025-12-%02d\n", i, i + 1, i % 28 + 1);
    free(put(dir, "flows.csv", csv.data));
    char *path = put(dir, "flows.lua",
                     "for i, r in ipairs(read_csv('flows.csv')) do\n"
                     "  flow { from = r.from, to = r.to, value = tonumber(r.count),\n"
                     "         label = r.count .. ' · ' .. r.date, group = 'people' }\n"
                     "end\n");
    cor__script_t *sc = new_script(NULL);
    cor__style_t style = {0};
    cor__overlays_t ov = {0};
    cor_error_t err = {0};
    ck_assert_msg(run_path_ov(sc, path, &style, &ov, &err) == COR_OK, "%s", err.message);
    ck_assert_uint_eq(ov.n, 500);
    for (int i = 0; i < 500; i++) {
        char to[32], label[48];
        snprintf(to, sizeof to, "Place %d", i);
        snprintf(label, sizeof label, "%d · 2025-12-%02d", i + 1, i % 28 + 1);
        const cor__overlay_t *f = &ov.items[i];
        ck_assert_int_eq(f->kind, COR__OV_FLOW);
        ck_assert_int_eq(f->line, 2);
        ck_assert_uint_eq(f->nplaces, 2);
        ck_assert_str_eq(f->places[0].name, "Minsk");
        ck_assert_str_eq(f->places[1].name, to);
        ck_assert_double_eq(f->value, i + 1);
        ck_assert_str_eq(f->label, label);
        ck_assert_str_eq(f->group, "people");
    }
    cor__overlays_clear(&ov);
    cor__style_clear(&style);
    cor__script_free(sc);
    cor__buf_free(&csv);
    free(path);
    free(dir);
}
END_TEST

START_TEST(limits_hold_around_data_helpers)
{
    char *dir = fresh_dir();
    cor__buf_t csv = {0};
    cor__buf_puts(&csv, "name,value,note\n");
    for (int i = 0; i < 20000; i++)
        cor__buf_printf(&csv, "n%d,%d,some words to make the row longer\n", i, i);
    free(put(dir, "rows.csv", csv.data));
    static const struct {
        long long budget;
        const char *text, *msg;
    } cases[] = {
        {20000000,
         "local rows = read_csv('rows.csv')\nwhile true do\n"
         "  for _, r in ipairs(rows) do local x = r.value end\nend\n",
         "loop.lua:3: instruction budget exhausted"},
        {0, "local all = {}\nwhile true do\n  all[#all + 1] = read_csv('rows.csv')\nend\n",
         "loop.lua:3: memory limit of 64 MiB exceeded"},
        {0,
         "local all = {}\nwhile true do\n"
         "  pcall(function() all[#all + 1] = read_csv('rows.csv') end)\nend\n"
         "error('survived')\n",
         "loop.lua:3: memory limit of 64 MiB exceeded"},
        {20000000, "while true do\n  local ok = pcall(read_csv, 'rows.csv')\nend\n",
         "loop.lua:2: instruction budget exhausted"},
    };
    for (size_t i = 0; i < COR__ARRAY_LEN(cases); i++) {
        cor__script_limits_t lim = {0, cases[i].budget, 0, 0};
        char *path = put(dir, "loop.lua", cases[i].text);
        cor__script_t *sc = new_script(&lim);
        cor__style_t style = {0};
        cor_error_t err = {0};
        ck_assert_int_eq(cor__script_run_style(sc, path, &style, &err), COR_ERR_STYLE);
        ck_assert_msg(strstr(err.message, cases[i].msg), "'%s' lacks '%s'", err.message,
                      cases[i].msg);
        ck_assert_int_eq(cor__script_stack_depth(sc), 0);
        cor__script_free(sc);
        free(path);
    }
    /* a budget too small for one file stops inside read_csv itself */
    cor__script_limits_t lim = {0, 100000, 0, 0};
    char *path = put(dir, "small.lua", "local a = 1\nlocal rows = read_csv('rows.csv')\n");
    cor__script_t *sc = new_script(&lim);
    cor__style_t style = {0};
    cor_error_t err = {0};
    ck_assert_int_eq(cor__script_run_style(sc, path, &style, &err), COR_ERR_STYLE);
    ck_assert_msg(strstr(err.message, "small.lua:2: instruction budget exhausted"), "%s",
                  err.message);
    cor__script_free(sc);
    /* and a memory cap too small for it; the state survives that */
    cor__script_limits_t mem = {4u << 20, 0, 0, 0};
    sc = new_script(&mem);
    cor_error_clear(&err);
    ck_assert_int_eq(cor__script_run_style(sc, path, &style, &err), COR_ERR_STYLE);
    ck_assert_msg(strstr(err.message, "small.lua:2: memory limit of 4 MiB exceeded"), "%s",
                  err.message);
    ck_assert_int_eq(cor__script_stack_depth(sc), 0);
    free(path);
    path = put(dir, "after.lua", "map { title = 'still works' }\n");
    ck_assert_msg(cor__script_run_style(sc, path, &style, &err) == COR_OK, "%s", err.message);
    ck_assert_str_eq(style.map.title, "still works");
    cor__style_clear(&style);
    cor__script_free(sc);
    free(path);
    cor__buf_free(&csv);
    free(dir);
}
END_TEST

START_TEST(map_furniture_parses)
{
    cor__script_t *sc = new_script(NULL);
    cor__style_t style = {0};
    cor_error_t err = {0};
    ck_assert_msg(
        run_in(sc, "furn.lua",
               "map { date = '13 December 2025', graticule = 2.5, scalebar = "
               "'Bottom-Left',\n"
               "      north_arrow = true, legend = 'top-right', legend_title = 'Key',\n"
               "      flow_unit = 'people',\n"
               "      inset = { position = 'bottom-right', crs = 'EPSG:3035',\n"
               "                extent = { -10, 35, 40, 70 }, highlight = { 'BY', "
               "'LT', 'UA' },\n"
               "                width = 120, layers = { 'europe_land', 'countries' },\n"
               "                highlight_layer = 'countries', highlight_field = 'adm0' },\n"
               "      flow_max_width = 12, flow_min_width = 0.8, label_font = 'Noto "
               "Serif' }\n",
               &style, &err) == COR_OK,
        "%s", err.message);
    const cor__mapdef_t *m = &style.map;
    ck_assert_str_eq(m->date, "13 December 2025");
    ck_assert(m->has_graticule);
    ck_assert_double_eq(m->graticule, 2.5);
    ck_assert_str_eq(m->scalebar, "bottom-left");
    ck_assert(m->has_north_arrow && m->north_arrow);
    ck_assert_str_eq(m->legend, "top-right");
    ck_assert_str_eq(m->legend_title, "Key");
    ck_assert_str_eq(m->flow_unit, "people");
    ck_assert_str_eq(m->inset, "bottom-right");
    ck_assert_str_eq(m->inset_crs, "EPSG:3035");
    ck_assert(m->has_inset_extent);
    ck_assert_double_eq(m->inset_extent.minx, -10);
    ck_assert_double_eq(m->inset_extent.maxy, 70);
    ck_assert(m->has_inset_highlight);
    ck_assert_uint_eq(m->ninset_highlight, 3);
    ck_assert_str_eq(m->inset_highlight[0], "BY");
    ck_assert_str_eq(m->inset_highlight[2], "UA");
    ck_assert_double_eq(m->inset_width, 120);
    ck_assert(m->has_inset_layers);
    ck_assert_uint_eq(m->ninset_layers, 2);
    ck_assert_str_eq(m->inset_layers[1], "countries");
    ck_assert_str_eq(m->inset_highlight_layer, "countries");
    ck_assert_str_eq(m->inset_highlight_field, "adm0");
    ck_assert(m->has_flow_max_width && m->has_flow_min_width);
    ck_assert_double_eq(m->flow_max_width, 12);
    ck_assert_double_eq(m->flow_min_width, 0.8);
    ck_assert_str_eq(m->label_font, "Noto Serif");
    /* false and true forms, and a later file changing some of them */
    ck_assert_msg(run_in(sc, "off.lua",
                         "map { graticule = false, scalebar = false, north_arrow = false,\n"
                         "      legend = true, inset = false }\n",
                         &style, &err) == COR_OK,
                  "%s", err.message);
    ck_assert_double_eq(m->graticule, -1);
    ck_assert_str_eq(m->scalebar, "none");
    ck_assert(m->has_north_arrow && !m->north_arrow);
    ck_assert_str_eq(m->legend, "auto");
    ck_assert_str_eq(m->inset, "none");
    ck_assert_str_eq(m->inset_crs, "EPSG:3035"); /* kept */
    ck_assert_str_eq(m->date, "13 December 2025");
    ck_assert_msg(run_in(sc, "on.lua", "map { graticule = true, inset = { highlight = {} } }",
                         &style, &err) == COR_OK,
                  "%s", err.message);
    ck_assert_double_eq(m->graticule, 0);
    ck_assert_str_eq(m->inset, "auto");
    ck_assert(m->has_inset_highlight);
    ck_assert_uint_eq(m->ninset_highlight, 0);
    cor__style_clear(&style);
    /* nothing given: nothing set */
    ck_assert_int_eq(run_in(sc, "none.lua", "map { title = 't' }", &style, &err), COR_OK);
    ck_assert(!style.map.has_graticule && !style.map.has_north_arrow &&
              !style.map.has_inset_extent && !style.map.has_flow_max_width);
    ck_assert_ptr_null(style.map.scalebar);
    ck_assert_ptr_null(style.map.inset);
    ck_assert_ptr_null(style.map.label_font);
    cor__style_clear(&style);
    cor__script_free(sc);
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
    tcase_add_test(t, budget_lasts_until_renewed);
    tcase_add_test(t, memory_bombs_stop);
    tcase_add_test(t, memory_error_does_not_kill_the_state);
    tcase_add_test(t, time_limit_stops_slow_instructions);
    tcase_add_test(t, pathological_library_calls_stop);
    tcase_add_test(t, syntax_error_names_file_and_line);
    tcase_add_test(t, long_paths_are_not_shortened);
    tcase_add_test(t, bad_declarations_are_explained);
    tcase_add_test(t, failed_style_changes_nothing);
    tcase_add_test(t, bad_overlays_are_explained);
    tcase_add_test(t, overlays_need_a_target);
    tcase_add_test(t, bad_map_furniture_is_explained);
    tcase_add_test(t, failed_overlay_rolls_back);
    tcase_add_test(t, run_overlay_refuses_map);
    tcase_add_test(t, data_helpers_refuse_and_report);
    tcase_add_test(t, limits_hold_around_data_helpers);
    tcase_add_test(t, symlinks_do_not_lead_out);
    tcase_add_test(t, csv_columns_are_typed_and_checked);
    tcase_add_test(t, text_settings_turn_off_with_false);
    tcase_add_test(t, host_callbacks_run_under_the_budget);
    tcase_add_test(t, ordinary_library_calls_still_work);
    tcase_add_test(t, good_style_parses);
    tcase_add_test(t, map_size_forms);
    tcase_add_test(t, feature_table_contents);
    tcase_add_test(t, function_results_and_errors);
    tcase_add_test(t, print_goes_to_the_log);
    tcase_add_test(t, overlays_parse_into_the_model);
    tcase_add_test(t, bands_parse_into_the_model);
    tcase_add_test(t, bad_bands_are_explained);
    tcase_add_test(t, source_areas_become_filtered_layers);
    tcase_add_test(t, overlay_files_by_name);
    tcase_add_test(t, include_builds_on_a_style);
    tcase_add_test(t, map_furniture_parses);
    tcase_add_test(t, data_helpers_return_tables);
    tcase_add_test(t, five_hundred_flows_from_a_spreadsheet);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return cor_test_run(script_suite());
}
