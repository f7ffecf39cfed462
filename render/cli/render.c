/* SPDX-License-Identifier: MIT */
/* render: corridor render. Its options are one table that gives getopt its options and --help its
 * text; it builds the map from them, renders every -o (standard output too) and, with --atlas,
 * hands over to atlas.c. */
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

/* ---- options: one table gives getopt its options and --help its text ---- */

typedef struct cli_opt {
    const char *name; /* the long option */
    int key;          /* the short option, or a code above 255 for long-only ones */
    const char *arg;  /* the argument's name in the help; NULL: none */
    const char *group;
    const char *help; /* "%P" stands for the paper names */
} cli_opt_t;

enum {
    OPT_PAPER = 256,
    OPT_LANDSCAPE,
    OPT_STYLE,
    OPT_OVERLAY,
    OPT_DATA_DIR,
    OPT_ATLAS,
    OPT_WHERE,
    OPT_ATLAS_LIST,
    OPT_ATLAS_FEATURE,
    OPT_THREADS,
    OPT_LIMIT,
    OPT_PLACEMENT
};

static const cli_opt_t render_options[] = {
    {"output", 'o', "FILE", "Output",
     "file to write; the format follows its extension. Repeatable: -o map.png -o map.pdf draws "
     "every file from data loaded once. '-' writes to standard output (needs --format)"},
    {"format", 'f', "FORMAT", "Output", "png, svg or pdf, whatever the extension"},
    {"size", 's', "WxH[UNIT]", "Output",
     "page size; UNIT is px (default), mm, cm, in or pt (default 2400x1800 px: an 8x6 in page "
     "at 300 dpi)"},
    {"dpi", 'r', "N", "Output",
     "raster resolution, dots per inch (default 300); without --size in px the page keeps its "
     "physical size"},
    {"threads", OPT_THREADS, "N", "Output",
     "threads for one map (default: one per processor; with -j, 1); a PNG is deflated on them, "
     "and the bytes are the same whatever N"},
    {"paper", OPT_PAPER, "NAME", "Output", "page of a paper size: %P"},
    {"landscape", OPT_LANDSCAPE, NULL, "Output", "with --paper: the long side across"},
    {"placement", OPT_PLACEMENT, "FILE.json", "Output",
     "also write the placement report: every label, marker, line, callout and piece of furniture "
     "with its box (points from the page's top-left), and what was dropped and why"},
    {"style", OPT_STYLE, "FILE", "Map",
     "Lua style file (default: styles/default.lua of the data); '-' reads it from standard input"},
    {"layer", 'l', "FILE.shp", "Map",
     "draw a shapefile with a default look; repeatable. Without --style only these are drawn, "
     "fitted to their extent, in the first one's CRS"},
    {"overlay", OPT_OVERLAY, "FILE", "Map",
     "draw an overlay on top: a Lua script (.lua) using route{}, flow{}, marker{}, area{}, "
     "callout{}, or GeoJSON (.geojson) styled by simplestyle-spec properties; repeatable; '-' "
     "reads one from standard input (GeoJSON when it starts with '{')"},
    {"crs", 'c', "CRS", "Map", "output CRS: EPSG code (EPSG:3035), PROJ string or WKT"},
    {"extent", 'e', "W,S,E,N", "Map", "area to show, in degrees"},
    {"data-dir", OPT_DATA_DIR, "DIR", "Map",
     "where styles/ and geodata/ live (default: $CORRIDOR_DATA_DIR, else the installed data)"},
    {"limit", OPT_LIMIT, "NAME=N", "Map",
     "raise (or lower) one of the limits that guard against absurd input, e.g. --limit "
     "raster-pixels=400M; N may end in k, M, G (powers of 1000) or KiB, MiB, GiB; repeatable. "
     "--limit list prints them with their defaults"},
    {"atlas", OPT_ATLAS, "LAYER[:FIELD]", "Atlas",
     "one map per feature of LAYER (a layer of the data, or a .shp), zoomed to it; {FIELD} "
     "(default name) and {index} in -o name each file: -o 'out/{name}.pdf'. Style functions see "
     "the feature as `atlas`, and {field} in the title is filled from it"},
    {"where", OPT_WHERE, "FIELD=VALUE", "Atlas", "only the features whose FIELD reads VALUE"},
    {"jobs", 'j', "N", "Atlas", "render N maps at once (default 1)"},
    {"atlas-list", OPT_ATLAS_LIST, NULL, "Atlas",
     "print one self-contained corridor command per feature instead (for GNU parallel, Slurm "
     "array jobs, Kubernetes Jobs)"},
    {"atlas-feature", OPT_ATLAS_FEATURE, "N", "Atlas", "only the feature with record number N"},
    {"verbose", 'v', NULL, "Other", "report what was drawn on stderr"},
    {"help", 'h', NULL, "Other", "show this help"},
};

#define NOPTS (sizeof render_options / sizeof render_options[0])

/* The paper names, "A3, A4, ..., Legal or Tabloid", into buf. */
static void paper_list(char *buf, size_t n)
{
    size_t len = 0, count = 0;
    buf[0] = '\0';
    while (cor_paper_name(count))
        count++;
    for (size_t i = 0; i < count && len < n; i++)
        len += (size_t)snprintf(buf + len, n - len, "%s%s",
                                i == 0           ? ""
                                : i + 1 == count ? " or "
                                                 : ", ",
                                cor_paper_name(i));
}

/* Prints `text` wrapped to the help's width, every line but the first indented by `indent`. */
static void print_wrapped(const char *text, int col, int indent)
{
    const int width = 92;
    while (*text) {
        size_t word = strcspn(text, " ");
        if (col > indent && col + 1 + (int)word > width) {
            printf("\n%*s", indent, "");
            col = indent;
        } else if (col > indent) {
            putchar(' ');
            col++;
        }
        printf("%.*s", (int)word, text);
        col += (int)word;
        text += word;
        while (*text == ' ')
            text++;
    }
    putchar('\n');
}

/* Prints one option's help line(s). */
static void print_option(const cli_opt_t *opt)
{
    char lead[64], help[512], papers[128];
    if (opt->key < 256)
        snprintf(lead, sizeof lead, "  -%c, --%s%s%s", opt->key, opt->name, opt->arg ? " " : "",
                 opt->arg ? opt->arg : "");
    else
        snprintf(lead, sizeof lead, "      --%s%s%s", opt->name, opt->arg ? " " : "",
                 opt->arg ? opt->arg : "");
    const char *p = strstr(opt->help, "%P");
    if (p) {
        paper_list(papers, sizeof papers);
        snprintf(help, sizeof help, "%.*s%s%s", (int)(p - opt->help), opt->help, papers, p + 2);
    } else {
        snprintf(help, sizeof help, "%s", opt->help);
    }
    int col = printf("%-25s", lead);
    print_wrapped(help, col > 25 ? col : 25, 25);
}

static void usage_render(void)
{
    const char *group = NULL;
    printf("Usage: corridor render [OPTIONS] -o FILE\n\n"
           "Draws a map. With no --style and no --layer it draws the default story map.\n");
    for (size_t i = 0; i < NOPTS; i++) {
        if (!group || strcmp(group, render_options[i].group) != 0) {
            group = render_options[i].group;
            printf("\n%s:\n", group);
        }
        print_option(&render_options[i]);
    }
}

/* getopt's option table and short-option string from render_options. */
static void getopt_tables(struct option *longopts, char *shortopts)
{
    for (size_t i = 0; i < NOPTS; i++) {
        const cli_opt_t *o = &render_options[i];
        longopts[i] =
            (struct option){o->name, o->arg ? required_argument : no_argument, NULL, o->key};
        if (o->key < 256) {
            *shortopts++ = (char)o->key;
            if (o->arg)
                *shortopts++ = ':';
        }
    }
    longopts[NOPTS] = (struct option){NULL, 0, NULL, 0};
    *shortopts = '\0';
}

/* ---- render options ---- */

/* Applies --size/--paper/--dpi over the page the style chose. */
static int apply_page(cor_map_t *map, const render_opts_t *o, cor_error_t *err)
{
    double w, h, dpi;
    cor_map_get_page(map, &w, &h, &dpi);
    if (o->dpi > 0)
        dpi = o->dpi;
    if (o->size && o->paper)
        return misuse("--size and --paper cannot be combined", "render ");
    if (o->landscape && !o->paper)
        return misuse("--landscape needs --paper", "render ");
    if (o->size && cor_page_size_parse(o->size, dpi, &w, &h, NULL, err) != COR_OK)
        return misuse_with("--size", err->message);
    if (o->paper && cor_paper_size(o->paper, o->landscape, &w, &h, err) != COR_OK)
        return misuse_with("--paper", err->message);
    if (!o->size && !o->paper && !(o->dpi > 0))
        return 0;
    cor_status_t st = cor_map_set_page(map, w, h, dpi, err);
    if (st == COR_OK)
        return 0;
    char what[COR_ERROR_MAX + 64];
    const char *opt = o->size ? "--size " : o->paper ? "--paper " : "--dpi";
    const char *val = o->size ? o->size : o->paper ? o->paper : "";
    snprintf(what, sizeof what, "%s%s: %s", opt, val, err->message);
    return fail(st, what);
}

/* ---- pipelines: standard input, standard output, several outputs ---- */

/* Reads all of standard input, up to `max` bytes: the library then checks what it was given
 * against its own limit for a style or an overlay (script-file, geojson-file). */
static cor_status_t read_stdin(size_t max, char **text, size_t *len, cor_error_t *err)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, stdin);
        if (n < cap)
            break;
        char *bigger = cap <= max ? realloc(buf, cap * 2) : NULL;
        if (!bigger) {
            free(buf);
            snprintf(err->message, sizeof err->message,
                     "<stdin>: more than %zu bytes, or out of memory; raise the limit with --limit "
                     "script-file=N or geojson-file=N",
                     max);
            return err->code = COR_ERR_LIMIT;
        }
        buf = bigger, cap *= 2;
    }
    if (!buf || ferror(stdin)) {
        free(buf);
        snprintf(err->message, sizeof err->message, "<stdin>: cannot read standard input");
        return err->code = COR_ERR_IO;
    }
    *text = buf;
    *len = n;
    return COR_OK;
}

/* The most standard input may hold for `map`: the larger of its two file limits. */
static size_t stdin_max(const cor_map_t *map)
{
    return (size_t)fmax(cor_map_get_limit(map, "script-file"),
                        cor_map_get_limit(map, "geojson-file"));
}

/* Loads the style at `path`, or from standard input for "-". */
static cor_status_t load_style_arg(cor_map_t *map, const char *path, cor_error_t *err)
{
    char *text = NULL;
    size_t len = 0;
    if (strcmp(path, "-") != 0)
        return cor_map_load_style(map, path, err);
    cor_status_t st = read_stdin(stdin_max(map), &text, &len, err);
    if (st == COR_OK)
        st = cor_map_load_style_string(map, "<stdin>", text, len, err);
    free(text);
    return st;
}

/* Adds the overlay at `path`, or one from standard input for "-". */
static cor_status_t add_overlay_arg(cor_map_t *map, const char *path, cor_error_t *err)
{
    char *text = NULL;
    size_t len = 0;
    if (strcmp(path, "-") != 0)
        return cor_map_add_overlay(map, path, err);
    cor_status_t st = read_stdin(stdin_max(map), &text, &len, err);
    if (st == COR_OK)
        st = cor_map_add_overlay_string(map, "<stdin>", text, len, err);
    free(text);
    return st;
}

/* Checks the outputs and the uses of standard input before anything is read.
 * Returns: 0, or the exit code of the misuse. */
static int check_pipes(const render_opts_t *o)
{
    int in = o->style && strcmp(o->style, "-") == 0, out = 0;
    for (int i = 0; i < o->noverlays; i++)
        in += strcmp(o->overlays[i], "-") == 0;
    for (int i = 0; i < o->noutputs; i++)
        out += strcmp(o->outputs[i], "-") == 0;
    if (in > 1)
        return misuse("standard input ('-') can be read once: by --style or one --overlay",
                      "render ");
    if (out > 1)
        return misuse("standard output ('-') can be written once", "render ");
    if (out && !o->format)
        return misuse("-o - (standard output) needs --format png, svg or pdf", "render ");
    return 0;
}

/* Renders to standard output: the whole file is made in memory, then written at once, so a
 * failed render writes nothing. */
static cor_status_t render_stdout(cor_map_t *map, cor_format_t fmt, cor_error_t *err)
{
    void *data = NULL;
    size_t len = 0;
    cor_status_t st = cor_map_render_buffer(map, fmt, &data, &len, err);
    if (st != COR_OK)
        return st;
    if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
        snprintf(err->message, sizeof err->message, "<stdout>: cannot write the map");
        st = err->code = COR_ERR_IO;
    }
    cor_buffer_free(data);
    return st;
}

/* Reads N of --limit NAME=N: a number with an optional k, M, G (powers of 1000) or KiB, MiB,
 * GiB (of 1024). Returns: false when it is not one. */
static bool parse_limit_value(const char *s, double *v)
{
    static const struct {
        const char *suffix;
        double factor;
    } units[] = {{"", 1},         {"k", 1e3},         {"M", 1e6},           {"G", 1e9},
                 {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}};
    char *end;
    *v = strtod(s, &end);
    if (end == s || !isfinite(*v))
        return false;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(end, units[i].suffix) == 0) {
            *v *= units[i].factor;
            return true;
        }
    return false;
}

/* --limit list: the limits, their defaults and what they bound. */
static void print_limits(void)
{
    const char *name, *unit, *what;
    double def, max;
    printf("%-20s %14s %14s  %s\n", "limit", "default", "at most", "bounds");
    for (size_t i = 0; cor_limit_info(i, &name, &unit, &what, &def, &max); i++)
        printf("%-20s %14.12g %14.12g  %s (%s)\n", name, def, max, what, unit);
}

/* Applies the --limit options. Returns: the exit code (0 when all were taken). */
static int apply_limits(cor_map_t *map, const render_opts_t *o, cor_error_t *err)
{
    for (int i = 0; i < o->nlimits; i++) {
        const char *eq = strchr(o->limits[i], '=');
        char name[64];
        double v;
        if (!eq || eq == o->limits[i] || (size_t)(eq - o->limits[i]) >= sizeof name ||
            !parse_limit_value(eq + 1, &v))
            return misuse("--limit: expected NAME=N, e.g. --limit raster-pixels=400M (--limit "
                          "list shows the names)",
                          "render ");
        snprintf(name, sizeof name, "%.*s", (int)(eq - o->limits[i]), o->limits[i]);
        if (cor_map_set_limit(map, name, v, err) != COR_OK)
            return misuse_with("--limit", err->message);
    }
    return 0;
}

int build_map(cor_map_t *map, render_opts_t *o, cor_error_t *err)
{
    int lrc = apply_limits(map, o, err); /* before anything they bound is read */
    if (lrc)
        return lrc;
    char *dir = o->data;
    cor_status_t st = COR_OK;
    if (o->data_dir || (!o->style && o->nlayers == 0)) {
        if ((st = cor_data_dir_find(o->data_dir, dir, sizeof o->data, err)) == COR_OK)
            st = cor_map_set_data_dir(map, dir, err);
    }
    if (st == COR_OK && (o->style || o->nlayers == 0)) {
        char path[4200];
        snprintf(path, sizeof path, "%s/styles/default.lua", dir);
        st = load_style_arg(map, o->style ? o->style : path, err);
    }
    for (int i = 0; st == COR_OK && i < o->nlayers; i++)
        st = cor_map_add_layer(map, o->layers[i], err);
    for (int i = 0; st == COR_OK && i < o->noverlays; i++)
        st = add_overlay_arg(map, o->overlays[i], err);
    if (st == COR_OK) /* by default every processor, unless -j shares them out already */
        st = cor_map_set_threads(map, o->threads >= 0 ? o->threads : o->jobs > 1 ? 1 : 0, err);
    if (st == COR_OK && o->crs)
        st = cor_map_set_crs(map, o->crs, err);
    if (st == COR_OK && o->extent) {
        cor_bbox_t b;
        if (cor_extent_parse(o->extent, &b, err) != COR_OK)
            return misuse("--extent: expected W,S,E,N in degrees, e.g. 20,44,41,57", "render ");
        st = cor_map_set_extent(map, b, err);
    }
    if (st != COR_OK)
        return fail(st, err->message);
    return apply_page(map, o, err);
}

void report(const cor_map_t *map, const render_opts_t *o, const char *output)
{
    cor_render_stats_t s;
    double w, h, dpi;
    cor_map_get_stats(map, &s);
    cor_map_get_page(map, &w, &h, &dpi);
    if (o->data[0] && output == o->outputs[0])
        fprintf(stderr, "data: %s\n", o->data);
    fprintf(stderr,
            "%s: %.0f x %.0f pt (%.0f x %.0f px at %g dpi); %ld features read, %ld drawn, "
            "%ld vertices not projectable, %ld labels placed, %ld dropped\n",
            strcmp(output, "-") == 0 ? "<stdout>" : output, w, h, round(w * dpi / 72),
            round(h * dpi / 72), dpi, s.features_read, s.features_drawn, s.points_unprojected,
            s.labels_placed, s.labels_dropped);
    const char *kind, *text, *reason;
    for (size_t i = 0; cor_map_get_dropped(map, i, &kind, &text, &reason); i++)
        fprintf(stderr, "  dropped %s \"%s\": %s\n", kind, text, reason);
}

/* Writes the last render's placement report to path, through a temporary file renamed when
 * complete. Returns: 0, or the exit status after a message. */
static int write_placement(cor_map_t *map, const char *path)
{
    cor_error_t err = {0};
    const char *json;
    size_t len;
    char tmp[4096];
    cor_status_t st = cor_map_placement_json(map, &json, &len, &err);
    if (st != COR_OK)
        return fail(st, err.message);
    if (snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid()) >= (int)sizeof tmp)
        return fail(COR_ERR_IO, "--placement: the file name is too long");
    FILE *f = fopen(tmp, "wb");
    bool ok = f && fwrite(json, 1, len, f) == len;
    ok = f && fclose(f) == 0 && ok;
    if (ok && rename(tmp, path) == 0)
        return 0;
    int e = errno;
    remove(tmp);
    snprintf(err.message, sizeof err.message, "%s: cannot write the placement report: %s", path,
             strerror(e));
    return fail(COR_ERR_IO, err.message);
}

static int run_render(render_opts_t *o)
{
    cor_error_t err = {0};
    cor_map_t *map = NULL;
    cor_format_t fmt = COR_FORMAT_AUTO;
    if (o->format && (fmt = cor_format_parse(o->format)) == COR_FORMAT_AUTO)
        return misuse("--format: expected png, svg or pdf", "render ");
    cor_status_t st = cor_map_new(&map, &err);
    if (st != COR_OK)
        return fail(st, err.message);
    int rc = build_map(map, o, &err);
    for (int i = 0; rc == 0 && i < o->noutputs; i++) {
        const char *out = o->outputs[i];
        bool piped = strcmp(out, "-") == 0;
        st = piped ? render_stdout(map, fmt, &err) : cor_map_render_file(map, out, fmt, &err);
        rc = st == COR_OK ? 0 : fail(st, err.message);
        if (rc == 0 && o->verbose)
            report(map, o, out);
    }
    if (rc == 0 && o->placement)
        rc = write_placement(map, o->placement);
    print_warnings(map, NULL); /* once: every output drew the same map */
    cor_map_free(map);
    return rc;
}

static int parse_render(int argc, char **argv, render_opts_t *op);

int cmd_render(int argc, char **argv)
{
    render_opts_t o = {.atlas_feature = -1, .jobs = 1, .threads = -1};
    char **args = malloc(sizeof(char *) * ((size_t)argc + 1)); /* as given: getopt reorders */
    if (!args)
        return fail(COR_ERR_NOMEM, "out of memory");
    memcpy(args, argv, sizeof(char *) * (size_t)argc);
    args[argc] = NULL;
    o.argc = argc;
    o.argv = args;
    int rc = parse_render(argc, argv, &o);
    free(args);
    return rc;
}

/* Parses render's options into *o and runs it. Returns: the exit code. */
static int parse_render(int argc, char **argv, render_opts_t *op)
{
    render_opts_t o = *op;
    struct option longopts[NOPTS + 1];
    char shortopts[2 * NOPTS + 1];
    getopt_tables(longopts, shortopts);
    const char *layers[64], *overlays[64], *limits[64];
    o.layers = layers;
    o.overlays = overlays;
    o.limits = limits;
    int c;
    while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'o':
            if (o.noutputs == MAX_OUTPUTS)
                return misuse("too many -o options (16 at most)", "render ");
            o.outputs[o.noutputs++] = optarg;
            break;
        case 'f':
            o.format = optarg;
            break;
        case 's':
            o.size = optarg;
            break;
        case 'r':
            o.dpi = strtod(optarg, &end);
            if (*end || !(o.dpi > 0))
                return misuse("--dpi: expected a positive number", "render ");
            break;
        case OPT_PAPER:
            o.paper = optarg;
            break;
        case OPT_LANDSCAPE:
            o.landscape = true;
            break;
        case OPT_PLACEMENT:
            o.placement = optarg;
            break;
        case OPT_STYLE:
            o.style = optarg;
            break;
        case 'l':
            if (o.nlayers == (int)(sizeof layers / sizeof layers[0]))
                return misuse("too many --layer options (64 at most)", "render ");
            layers[o.nlayers++] = optarg;
            break;
        case OPT_LIMIT:
            if (strcmp(optarg, "list") == 0) {
                print_limits();
                return 0;
            }
            if (o.nlimits == (int)(sizeof limits / sizeof limits[0]))
                return misuse("too many --limit options (64 at most)", "render ");
            limits[o.nlimits++] = optarg;
            break;
        case OPT_OVERLAY:
            if (o.noverlays == (int)(sizeof overlays / sizeof overlays[0]))
                return misuse("too many --overlay options (64 at most)", "render ");
            overlays[o.noverlays++] = optarg;
            break;
        case 'c':
            o.crs = optarg;
            break;
        case 'e':
            o.extent = optarg;
            break;
        case OPT_DATA_DIR:
            o.data_dir = optarg;
            break;
        case OPT_ATLAS:
            o.atlas = optarg;
            break;
        case OPT_WHERE:
            o.where = optarg;
            break;
        case OPT_ATLAS_LIST:
            o.atlas_list = true;
            break;
        case OPT_ATLAS_FEATURE:
            o.atlas_feature = strtol(optarg, &end, 10);
            if (*end || o.atlas_feature < 0 || end == optarg)
                return misuse("--atlas-feature: expected a record number (0 or more)", "render ");
            break;
        case 'j':
            o.jobs = (int)strtol(optarg, &end, 10);
            if (*end || o.jobs < 1 || o.jobs > MAX_JOBS)
                return misuse("-j: expected a number of maps at once, 1 to 64", "render ");
            break;
        case OPT_THREADS:
            o.threads = (int)strtol(optarg, &end, 10);
            if (*end || end == optarg || o.threads < 1 || o.threads > COR_MAX_THREADS)
                return misuse("--threads: expected a number of threads, 1 to 64", "render ");
            break;
        case 'v':
            o.verbose = true;
            break;
        case 'h':
            usage_render();
            return 0;
        default:
            return misuse("invalid option", "render ");
        }
    }
    if (optind < argc)
        return misuse("unexpected argument (the output file goes after -o)", "render ");
    if (o.noutputs == 0)
        return misuse("no output file: use -o FILE.png (or .svg, .pdf)", "render ");
    int rc = check_pipes(&o);
    if (!rc && (o.where || o.atlas_list || o.atlas_feature >= 0 || o.jobs > 1) && !o.atlas)
        rc = misuse("--where, --atlas-list, --atlas-feature and -j go with --atlas", "render ");
    if (!rc && o.atlas && o.placement)
        rc = misuse("--placement describes one map: it does not go with --atlas", "render ");
    if (!rc && o.atlas && strcmp(o.outputs[0], "-") == 0)
        rc = misuse("--atlas writes files: -o - cannot name them", "render ");
    return rc ? rc : o.atlas ? run_atlas(&o) : run_render(&o);
}
