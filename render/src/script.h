/* SPDX-License-Identifier: MIT */
/* script: the embedded Lua 5.4, sandboxed. Runs style files and overlay scripts that declare
 * map{}, layer{} and the story overlays (route{}, flow{}, marker{}, area{}, callout{}) into a
 * cor__style_t and a cor__overlays_t, with read-only data helpers (read_csv, read_geojson), and
 * evaluates the per-feature functions they contain. No os, io, require, package, debug,
 * dofile/loadfile or bytecode; an instruction budget and a memory cap. Place names are kept as
 * written: the gazetteer resolves them later. Lua's types never leave this module. */
#ifndef COR_SCRIPT_H
#define COR_SCRIPT_H

#include <stddef.h>

#include "corridor.h"
#include "geom.h"
#include "map_limits.h"
#include "overlay.h"
#include "style.h"

typedef struct cor__script cor__script_t;

/* A zero field takes the default. Hitting a limit fails the running call with COR_ERR_STYLE;
 * the budget and the time run until cor__script_renew() (the map renews them for each render),
 * so once either is used up every later call fails too until then, while the memory cap
 * applies at each moment. */
typedef struct cor__script_limits {
    size_t memory;     /* bytes the Lua heap may use */
    long long budget;  /* VM instructions until renewed; C work done by
                          library functions is charged too: one instruction per byte of string
                          a library function takes or returns, per 8 bytes of an allocation of
                          64 KiB or more, and ten per table element a library function moves */
    double seconds;    /* wall-clock seconds spent running Lua until renewed:
                          a backstop for instructions that are slow on huge strings */
    size_t file_bytes; /* bytes of a style, overlay or data file the state reads */
} cor__script_limits_t;

/* The limits used when NULL is passed: 64 MiB, 200 million instructions, 10 seconds, files of
 * 16 MiB. */
extern const cor__script_limits_t cor__script_default_limits;

/* Gives the state a fresh instruction budget and time limit (a budget or time error is
 * forgotten; the memory cap is unchanged): a map does it at the start of each render, so that
 * loading the style and every render of an atlas each have the whole budget. Does nothing
 * while a call runs Lua code, or for NULL. */
void cor__script_renew(cor__script_t *sc);

/* A map's limits (map_limits.h) as a state's. */
void cor__script_limits_from(const cor__limits_t *map_limits, cor__script_limits_t *out);

/* Changes the limits of a state (zero fields: the default), for the calls that follow; memory
 * already held above a lowered cap stays until freed. */
void cor__script_set_limits(cor__script_t *sc, const cor__script_limits_t *limits);

/* Creates a sandboxed Lua state. Returns: COR_OK; COR_ERR_NOMEM. Free with cor__script_free. */
cor_status_t cor__script_new(const cor__script_limits_t *limits, cor__script_t **out,
                             cor_error_t *err);
void cor__script_free(cor__script_t *sc);

/* Sets where overlay declarations go (borrowed; NULL: none). Without a target, route{},
 * flow{}, marker{}, area{}, callout{}, overlay and hide fail ("route{}: overlays are not
 * available here"). */
void cor__script_set_overlays(cor__script_t *sc, cor__overlays_t *ov);

/* Sets the data directory (copied; NULL to unset) in which `overlay "name"` finds
 * <dir>/geodata/overlays/name.lua and `include "name"` finds <dir>/styles/name.lua. When memory
 * runs out the directory stays unset, and those names are then reported as not found. */
void cor__script_set_data_dir(cor__script_t *sc, const char *dir);

/* Runs the style file at `path` (text only, never bytecode), appending what it declares to
 * `style` (map{} settings, layer{} entries in order, source areas as layers) and to the
 * overlays target (overlays in order, hidden groups); files it includes or runs as overlays
 * (at most 8 deep, no cycles) add theirs in place. Style and overlays are changed only on
 * success. Layers an overlay file declares, and source areas, are ordered from 1e8 up (above
 * the style's, below quick-look layers); overlays declared in the style itself have no group.
 * Returns: COR_OK; COR_ERR_IO when unreadable; COR_ERR_STYLE as "<file>:<line>: <what>" for
 * syntax errors, runtime errors, bad keys or values, and exceeded limits. */
cor_status_t cor__script_run_style(cor__script_t *sc, const char *path, cor__style_t *style,
                                   cor_error_t *err);

/* Runs an overlay file (`--overlay FILE.lua`) like cor__script_run_style, except that map{}
 * is an error and what it declares belongs to the group named after the file's stem
 * ("potash.lua": "potash") unless it sets one; its layers draw above the style's.
 * Returns: as cor__script_run_style. */
cor_status_t cor__script_run_overlay(cor__script_t *sc, const char *path, cor__style_t *style,
                                     cor_error_t *err);

/* Runs a style (overlay false) or overlay given as text (`len` bytes, need not end in NUL)
 * as cor__script_run_style() or cor__script_run_overlay() run a file; `name` stands for the
 * file in messages ("<stdin>:3: ..."), names an overlay's group by its stem, and its directory
 * is where paths the script reads resolve.
 * Returns: as cor__script_run_style(); COR_ERR_LIMIT for a text above the file size limit. */
cor_status_t cor__script_run_text(cor__script_t *sc, const char *name, const char *text, size_t len,
                                  bool overlay, cor__style_t *style, cor_error_t *err);

/* Gives the style's functions the atlas feature: the sandbox's global `atlas` becomes a table
 * of f's attributes, as a style function's argument is (NULL: nil again).
 * Returns: COR_OK; COR_ERR_STYLE or COR_ERR_NOMEM when the sandbox cannot hold it. */
cor_status_t cor__script_set_atlas(cor__script_t *sc, const cor__feature_t *f, cor_error_t *err);

/* Evaluates a dynamic property with the feature's attributes as a table argument
 * (a cor__prop_eval_fn; `ctx` is the cor__script_t).
 * Returns: COR_OK; COR_ERR_STYLE "<file>:<line>: <what>" when the function fails. */
cor_status_t cor__script_eval(void *ctx, const cor__prop_t *prop, const cor__feature_t *f,
                              cor__pval_t *out, cor_error_t *err);

/* What the scripts passed to print() so far, one line per call, at most 256 KiB (then a
 * "[log truncated]" line). Returns: borrowed text, "" when empty; valid until the next call. */
const char *cor__script_log(const cor__script_t *sc);

/* Returns: the number of values on the Lua stack (0 between calls; for tests). */
int cor__script_stack_depth(const cor__script_t *sc);

#endif
