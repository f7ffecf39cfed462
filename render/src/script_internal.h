/* SPDX-License-Identifier: MIT */
/* script_internal: what the script_* files share and nothing else includes: the state, the
 * frames of the files being run, the limits, and the functions one file gives the others.
 * Every function here that takes a lua_State runs inside a protected call and raises Lua
 * errors ("file:line: what") rather than returning them. */
#ifndef COR_SCRIPT_INTERNAL_H
#define COR_SCRIPT_INTERNAL_H

#include <lua.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "geom.h"
#include "overlay.h"
#include "script.h"
#include "style.h"
#include "util.h"

#define ELEMENT_COST 10 /* instructions charged per table element a C function moves */
#define WHERE_MAX    512
#define NEST_MAX     8 /* files an include or overlay may nest below the first */
/* layers of overlay files and source areas draw from here: above the style's, below quick-look
 * layers (1e9 on) */
#define OVERLAY_ORDER 1e8

/* VM instructions between two looks at the limits: small, since one instruction on a 30 MB
 * string (a comparison, a table key) can take 30 ms. */
#define HOOK_STEP  100
#define LOG_MAX    (256u << 10)        /* bytes of print() output kept */
#define BULK_BYTES (64u << 10)         /* allocations from this size on are charged and timed */
#define MEMERR     "not enough memory" /* the error object of every Lua memory error */

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

/* The keys a declaration accepts, for checking and suggestions. */
typedef struct keyset {
    const char *what; /* "map", "layer", "route", ... */
    const char *const *keys;
    size_t nkeys;
    bool props;        /* the style properties are keys too */
    const char *table; /* the keys are the settings of this mapdef table ("map", "inset") */
} keyset_t;

#define KEYS(names) names, COR__ARRAY_LEN(names)

/* ---- script_sandbox.c ---- */

/* Creates a Lua state whose allocator enforces `limits` (NULL or zero fields: the defaults),
 * without libraries and with no hook yet. Returns: COR_OK and the state in *out (release with
 * cor__script_close_state, then free); COR_ERR_NOMEM. */
cor_status_t cor__script_open_state(const cor__script_limits_t *limits, cor__script_t **out,
                                    cor_error_t *err);
/* Starts counting instructions against the budget. */
void cor__script_start_hook(cor__script_t *sc);
/* Closes the Lua state (the struct stays). Accepts a state already closed. */
void cor__script_close_state(cor__script_t *sc);

cor__script_t *cor__script_of(lua_State *L);
/* Writes "file:line" of a Lua function's current line: the full path for files ("@path"). */
void cor__script_format_where(const lua_Debug *ar, char *buf, size_t n);
/* Writes "file:line" of the innermost Lua function on the stack, or "" when there is none.
 * Reads the stack only, so it is safe inside the allocator. */
void cor__script_where(lua_State *L, char *buf, size_t n);
/* Records that a limit was hit at `where`; the message is what every later look reports. */
void cor__script_set_fatal(cor__script_t *sc, fatal_t kind, const char *where);
int cor__script_raise_fatal(lua_State *L, cor__script_t *sc);
/* Called after a protected call inside the sandbox failed: limits are not for catching, so a
 * hit limit is raised again past any pcall, xpcall or load. */
void cor__script_rethrow(lua_State *L, int status);
/* Adds C work to the instruction count, hurrying the hook when the budget is gone. */
void cor__script_charge_quiet(cor__script_t *sc, unsigned long long units);
/* Charges work a C function has done; raises the budget error when it is exhausted. */
void cor__script_charge(lua_State *L, unsigned long long units);
/* Charges work a C function is about to do, refusing (with an ordinary error) work that the
 * remaining budget cannot pay for, before any of it is done. */
void cor__script_precharge(lua_State *L, double units, const char *what);
/* The message handler of every call from C: it runs where the error happened and gives every
 * message a "file:line:" (memory errors and hit limits are left alone). */
int cor__script_msgh(lua_State *L);
/* Turns the error on top of the stack into err (COR_ERR_STYLE) and pops it. */
cor_status_t cor__script_fail(cor__script_t *sc, int status, cor_error_t *err);
/* Forgets a memory error of an earlier call: memory is a cap at any moment, not a budget. */
void cor__script_begin_call(cor__script_t *sc);
/* Calls the function below `nargs` arguments with the limits on. Returns: COR_OK with `nres`
 * results in its place, or the error with the function and arguments gone. */
cor_status_t cor__script_pcall(cor__script_t *sc, int nargs, int nres, cor_error_t *err);

/* ---- script_safelib.c ---- */

/* Opens the libraries and builds the sandbox's global table (run protected). */
int cor__script_safelib_open(lua_State *L);

/* ---- script_values.c ---- */

/* Converts the Lua value at idx into *v (zeroed first). Returns: false with a description of
 * the value in `why` when no property can hold it. */
bool cor__script_to_pval(lua_State *L, int idx, cor__pval_t *v, char *why, size_t n);
/* Pushes an attribute value: its string, boolean or number (whole numbers as integers), or
 * nil. */
void cor__script_push_attr(lua_State *L, const cor__attr_t *a);
/* Pushes the table a style function receives: every attribute under its lower-case name and
 * then under its own name (which wins), and `geometry`. */
void cor__script_push_feature(lua_State *L, const cor__feature_t *f);
bool cor__script_key_known(const keyset_t *ks, const char *key);
/* Raises an error for the first (in byte order, so messages do not depend on Lua's hashing)
 * unknown key of the table at `idx`, with a suggestion when one is close. With `list`, the
 * integer keys 1..#t are the table's list part (route{}'s places) and are allowed. */
void cor__script_check_keys(lua_State *L, int idx, const keyset_t *ks, bool list);
/* Pushes t[key] of the table at `idx` (raw) and returns its type. */
int cor__script_field_at(lua_State *L, int idx, const char *key);
/* Pushes t[key] of the table at index 1 (raw) and returns its type. */
int cor__script_field(lua_State *L, const char *key);
/* luaL_error with the C library's formats (luaL_error knows no %g). Never returns. */
int cor__script_errorf(lua_State *L, const char *fmt, ...) COR__PRINTF(2, 3);
char *cor__script_strdup(lua_State *L, const char *s);
/* Reads an optional string field of the table at `idx` into *dst, replacing what it held.
 * Returns: true when present. */
bool cor__script_read_string_at(lua_State *L, int idx, const char *key, char **dst);
bool cor__script_read_string(lua_State *L, const char *key, char **dst);
/* Reads an optional string field that must not be empty when given. */
bool cor__script_read_name(lua_State *L, int idx, const char *key, char **dst);
/* Reads an optional finite number field of the table at `idx`. Returns: true when present. */
bool cor__script_read_number_at(lua_State *L, int idx, const char *key, double *dst);
bool cor__script_read_number(lua_State *L, const char *key, double *dst);
/* Reads an optional number in lo..hi (hi may be HUGE_VAL). Returns: true when present. */
bool cor__script_read_ranged(lua_State *L, int idx, const char *key, double lo, double hi,
                             const char *unit, double *dst);
/* Reads an optional boolean field. Returns: true when present. */
bool cor__script_read_bool(lua_State *L, int idx, const char *key, bool *dst);
/* Reads an optional string field that must be one of `names` (any ASCII case).
 * Returns: true with its index in *dst when present. */
bool cor__script_read_choice(lua_State *L, int idx, const char *key, const char *const *names,
                             int n, int *dst);
/* Reads n numbers from the list on top of the stack, or returns false when it is not one. */
bool cor__script_read_numbers(lua_State *L, double *out, int n);

/* ---- script_frames.c ---- */

/* The file and line of the Lua code calling the running C function: the calling chunk's own
 * file when it is one this state ran (a function defined in an included file), else the file
 * running. Returns: a borrowed path, NULL when no file runs. */
const char *cor__script_caller_file(lua_State *L, int *line);
frame_t *cor__script_top_frame(cor__script_t *sc);
/* Releases the function references of layers that will not be kept. */
void cor__script_release_refs(cor__script_t *sc, cor__style_t *s);
/* Empties the scratch space of the declaration being read. */
void cor__script_scratch_reset(cor__script_t *sc);
/* Moves what a file declared into `dst` (not its path: the caller sets that).
 * Returns: false on exhaustion, with `dst` untouched. */
bool cor__script_merge_style(cor__style_t *dst, cor__style_t *src);
/* Moves a finished file's declarations into its parent. Returns: false on exhaustion, with
 * both as they were. */
bool cor__script_merge_frame(frame_t *parent, frame_t *child);
/* Moves the layer built in the scratch space into the running file. */
void cor__script_commit_layer(lua_State *L, cor__script_t *sc);
/* Moves the overlay built in the scratch space into the running file. */
int cor__script_commit_overlay(lua_State *L, cor__script_t *sc);
bool cor__script_remember_path(cor__script_t *sc, const char *path);
/* Starts running `path` (its declarations collect in the new frame); `id` is the file's
 * identity, NULL to look it up by path. Returns: false on exhaustion. */
bool cor__script_push_frame(cor__script_t *sc, const char *path, const char *group, bool overlay,
                            size_t order_base, const struct stat *id);
/* Ends the innermost file, dropping what it declared and did not pass on. */
void cor__script_pop_frame(cor__script_t *sc);
/* Moves what frames[0] declared to the caller: overlays to the target, the rest to `style`.
 * Returns: false on exhaustion, with both as they were. */
bool cor__script_deliver(cor__script_t *sc, cor__style_t *style);

/* ---- script_style.c ---- */

/* Checks the {west, south, east, north} list on top of the stack (for `key`). */
cor_bbox_t cor__script_check_extent(lua_State *L, const char *key);
int cor__script_map(lua_State *L);
/* Reads one property: a function becomes a registry reference, a constant is checked now. */
void cor__script_read_prop(lua_State *L, cor__prop_id_t id, cor__prop_t *prop);
/* Starts a layer in the scratch space: where it was declared, its drawing order (overlay files
 * and source areas draw in a band above the style's layers) and its group. */
cor__layer_style_t *cor__script_new_layer(lua_State *L, cor__script_t *sc, bool above);
int cor__script_layer(lua_State *L);

/* ---- script_overlay.c ---- */

/* route { place, place, ..., status = "blocked", cut = place, stroke = ..., arrow = "end", ... } */
int cor__script_route(lua_State *L);
/* flow { from = place, to = place, via = { place, ... }, value = n, bend = b, ... } */
int cor__script_flow(lua_State *L);
/* marker { at = place, symbol = "mine", size = 10, fill = ..., stroke = ..., label = ... } */
int cor__script_marker(lua_State *L);
/* callout { at = place, text = "...", dx = 30, dy = -20 } */
int cor__script_callout(lua_State *L);
/* area { coords = { {lon, lat}, ... }, fill = ..., hatch = true } or the source form above. */
int cor__script_area(lua_State *L);
/* hide "potash" [, "other", ...]: turns groups off, overlays and layers alike. */
int cor__script_hide(lua_State *L);

/* ---- script_data.c ---- */

/* Reads the file `rel` names beside the calling script, opened so that no "..", symbolic
 * link or mount point leads out of the script's directory; pushes its path there, for
 * messages and chunk names. `id` (may be NULL) gets the file's identity.
 * Returns: the malloc'd text (the caller frees it before raising anything); raises the error
 * naming `rel` when the file cannot be read or lies outside. */
char *cor__script_read_beside(lua_State *L, const char *fn, const char *rel, size_t max,
                              size_t *len, struct stat *id);
/* Raises again what a protected call hit (its error object is on top of the stack). */
int cor__script_raise_again(lua_State *L, int status);
/* read_csv(path): the rows of a CSV file with a header line, each a table of strings keyed by
 * the column names. */
int cor__script_read_csv(lua_State *L);
/* read_geojson(path): { type = "FeatureCollection", features = { feature, ... } }. */
int cor__script_read_geojson(lua_State *L);

#endif
