/* SPDX-License-Identifier: MIT */
/* check: corridor check: validates styles, overlay scripts and GeoJSON without rendering. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "corridor.h"

static const char usage_check[] =
    "Usage: corridor check [--data-dir DIR] FILE...\n"
    "\n"
    "Validates style and overlay files without rendering: a style (.lua with map{} or\n"
    "layer{}) is run in the sandbox with every layer opened and every per-feature function\n"
    "run; an overlay script (.lua) or GeoJSON file (.geojson) is checked on top of the\n"
    "default map, its place names resolved. Reports the first error of each file.\n";

/* ---- check ---- */

/* A map holding the data directory and, when asked, the default style. */
static cor_status_t check_map(const char *data_dir, bool with_default, cor_map_t **out,
                              cor_error_t *err)
{
    char dir[4096], style[4200];
    cor_status_t st = cor_map_new(out, err);
    if (st == COR_OK && (st = cor_data_dir_find(data_dir, dir, sizeof dir, err)) == COR_OK)
        st = cor_map_set_data_dir(*out, dir, err);
    if (st == COR_OK && with_default) {
        snprintf(style, sizeof style, "%s/styles/default.lua", dir);
        st = cor_map_load_style(*out, style, err);
    }
    return st;
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && strcasecmp(s + ls - lx, suffix) == 0;
}

/* Checks one file: GeoJSON as an overlay; a script as a style when it declares map{} or layers,
 * else as an overlay; overlays on top of the default map. */
static int check_one(const char *path, const char *data_dir)
{
    cor_error_t err = {0};
    cor_map_t *map = NULL;
    bool overlay = has_suffix(path, ".geojson") || has_suffix(path, ".json");
    cor_status_t st = check_map(data_dir, overlay, &map, &err);
    if (st == COR_OK && !overlay)
        st = cor_map_load_style(map, path, &err);
    if (st == COR_OK && !overlay && !cor_map_is_style(map)) {
        cor_map_free(map);
        overlay = true;
        st = check_map(data_dir, true, &map, &err);
    }
    if (st == COR_OK && overlay)
        st = cor_map_add_overlay(map, path, &err);
    if (st == COR_OK)
        st = cor_map_check(map, &err);
    print_warnings(map, path);
    cor_map_free(map);
    if (st != COR_OK)
        return fail(st, err.message);
    printf("%s: ok (%s)\n", path, overlay ? "overlay" : "style");
    return 0;
}

int cmd_check(int argc, char **argv)
{
    static const struct option longopts[] = {{"data-dir", required_argument, NULL, 'D'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *data_dir = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (c == 'D')
            data_dir = optarg;
        else if (c == 'h') {
            fputs(usage_check, stdout);
            return 0;
        } else
            return misuse("invalid option", "check ");
    }
    if (optind >= argc)
        return misuse("check needs a style file", "check ");
    int rc = 0;
    for (int i = optind; i < argc; i++) {
        int r = check_one(argv[i], data_dir);
        if (r && !rc)
            rc = r;
    }
    return rc;
}
