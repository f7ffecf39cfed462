/* SPDX-License-Identifier: MIT */
/* corridor: the command line. Parses arguments, calls the public API, prints results and turns
 * errors into one line on stderr and an exit code (the cor_status_t value; 2 for misuse). It does
 * nothing the library cannot do. This file dispatches to the commands (render.c, atlas.c, info.c,
 * check.c) and holds the output they share. */
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

#if defined(__SANITIZE_ADDRESS__)
/* Under AddressSanitizer only (the test build): fontconfig 2.14 loses part of a configuration
 * parsed from the system's /etc/fonts (a direct leak of 288 bytes inside FcConfigParseAndLoad,
 * reproduced with FcInitLoadConfigAndFonts() + FcConfigDestroy() alone), so without this every
 * run of the sanitized binary outside the tests' pinned fonts.conf would fail at exit. Only
 * blocks allocated inside libfontconfig are left out of the report; corridor's own are not. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}
/* ... and says nothing of it, so stderr stays one line per error. */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
    return "print_suppressions=0";
}
#endif

const char *progname = "corridor";
const char *progpath = "corridor";

static const char usage_main[] =
    "Usage: corridor COMMAND [OPTIONS]\n"
    "\n"
    "Maps from shapefiles: projected with PROJ, drawn with cairo, styled in Lua.\n"
    "\n"
    "Commands:\n"
    "  render    draw a map to PNG, SVG or PDF (the story map by default)\n"
    "  info      describe a shapefile or GeoJSON file: geometry, features, extent, CRS,\n"
    "            encoding, fields (--json for JSON, --features LAYER to list features)\n"
    "  check     validate a style file without rendering\n"
    "\n"
    "Options:\n"
    "  -h, --help       show this help (corridor COMMAND --help for a command's options)\n"
    "  -V, --version    show the version\n"
    "\n"
    "Examples:\n"
    "  corridor render -o map.png                    the default map, 2400x1800 px\n"
    "  corridor render --layer roads.shp -o look.svg a quick look at any shapefile\n"
    "  corridor info roads.shp\n";

/* Prints one error line: the message with any newline folded, so it stays one line. */
int fail(cor_status_t code, const char *message)
{
    fprintf(stderr, "%s: ", progname);
    for (const char *p = message; *p; p++)
        fputc(*p == '\n' || *p == '\r' ? ' ' : *p, stderr);
    fputc('\n', stderr);
    return (int)code;
}

/* Prints the map's warnings, one line each ("corridor: warning: [WHERE: ]..."), and forgets
 * them: a map that renders but is surely wrong, or input read with a repair. */
void print_warnings(cor_map_t *map, const char *where)
{
    for (size_t i = 0; i < cor_map_warning_count(map); i++)
        fprintf(stderr, "%s: warning: %s%s%s\n", progname, where ? where : "", where ? ": " : "",
                cor_map_warning(map, i));
    cor_map_clear_warnings(map);
}

int misuse(const char *what, const char *usage_hint)
{
    fprintf(stderr, "%s: %s\nTry '%s %s--help'.\n", progname, what, progname, usage_hint);
    return EXIT_USAGE;
}

/* Misuse of an option whose value the library refused: "--size: '12' is not a page size...". */
int misuse_with(const char *option, const char *message)
{
    char what[COR_ERROR_MAX + 32];
    snprintf(what, sizeof what, "%s: %s", option, message);
    return misuse(what, "render ");
}

int main(int argc, char **argv)
{
    if (argc > 0 && argv[0])
        progpath = argv[0];
    if (argc < 2)
        return misuse("missing command", "");
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_main, stdout);
        return 0;
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
        printf("corridor %s\n", cor_version());
        return 0;
    }
    if (strcmp(cmd, "render") == 0)
        return cmd_render(argc - 1, argv + 1);
    if (strcmp(cmd, "info") == 0)
        return cmd_info(argc - 1, argv + 1);
    if (strcmp(cmd, "check") == 0)
        return cmd_check(argc - 1, argv + 1);
    fprintf(stderr, "%s: unknown command '%s'\nTry '%s --help'.\n", progname, cmd, progname);
    return EXIT_USAGE;
}
