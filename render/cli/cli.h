/* SPDX-License-Identifier: MIT */
/* cli: what the files of the command line share: the program's name, the one-line error and
 * warning output, misuse, and render's options (which the atlas reuses). The CLI is a client of
 * the library: besides this header its files include only corridor.h. */
#ifndef CORRIDOR_CLI_H
#define CORRIDOR_CLI_H

#include <stdbool.h>

#include "corridor.h"

#define EXIT_USAGE  2
#define MAX_OUTPUTS 16 /* -o options */
#define MAX_JOBS    64 /* -j: atlas maps at once */

extern const char *progname; /* "corridor", for messages */
extern const char *progpath; /* argv[0], for the commands --atlas-list prints */

/* Prints one error line (newlines folded). Returns: `code`, the exit status. */
int fail(cor_status_t code, const char *message);
/* Prints the map's warnings, one line each ("corridor: warning: [WHERE: ]..."), and forgets them.
 */
void print_warnings(cor_map_t *map, const char *where);
/* Prints a misuse line and the --help hint for `usage_hint` ("render ", "" for the main help).
 * Returns: EXIT_USAGE. */
int misuse(const char *what, const char *usage_hint);
/* Misuse of render's `option` whose value the library refused with `message`. */
int misuse_with(const char *option, const char *message);

/* render's options, as parsed (render.c). */
typedef struct render_opts {
    const char *format, *style, *crs, *extent, *data_dir, *size, *paper;
    const char *placement; /* --placement FILE.json */
    const char *outputs[MAX_OUTPUTS];
    int noutputs;
    double dpi;
    bool landscape, verbose;
    const char *atlas, *where; /* --atlas LAYER[:FIELD], --where FIELD=VALUE */
    int jobs;
    int threads; /* --threads, -1: not given */
    bool atlas_list;
    long atlas_feature; /* -1: every feature */
    int argc;           /* render's own arguments, for --atlas-list */
    char **argv;
    const char **layers;
    int nlayers;
    const char **overlays;
    int noverlays;
    const char **limits; /* --limit NAME=N, in order */
    int nlimits;
    char data[4096]; /* the data directory in use, "" when none was needed */
} render_opts_t;

/* Loads the style, layers, overlays, CRS, extent, limits and page of the options into `map`.
 * Returns: the exit code, 0 when the map is ready (render.c). */
int build_map(cor_map_t *map, render_opts_t *o, cor_error_t *err);
/* Prints what a render drew, for --verbose (render.c). */
void report(const cor_map_t *map, const render_opts_t *o, const char *output);
/* Renders one map per feature of --atlas (atlas.c). Returns: the exit code. */
int run_atlas(render_opts_t *o);

/* The commands: argv[0] is the command's name. Returns: the exit code. */
int cmd_render(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_check(int argc, char **argv);

#endif
