/* SPDX-License-Identifier: MIT */
/* corridor: the command line. Parses arguments, calls the public API, prints results and turns
 * errors into one line on stderr and an exit code (the cor_status_t value; 2 for misuse).
 * It does nothing the library cannot do: it includes only corridor.h. */
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

#include "corridor.h"

#define EXIT_USAGE 2

static const char *progname = "corridor";
static const char *progpath = "corridor"; /* argv[0], for the commands --atlas-list prints */

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

static const char usage_info[] =
    "Usage: corridor info [--json] FILE...\n"
    "       corridor info [--json] [--data-dir DIR] --features LAYER[:FIELD]\n"
    "\n"
    "Describes shapefiles and GeoJSON files: geometry type, feature count, extent, CRS (with\n"
    "its EPSG code where PROJ knows it), attribute encoding, fields and a few values of each.\n"
    "--features lists the features of a layer (a layer of the data, \"regions\", or a .shp)\n"
    "with their extents in degrees: what an atlas iterates. --json prints the same as JSON.\n";

static const char usage_check[] =
    "Usage: corridor check [--data-dir DIR] FILE...\n"
    "\n"
    "Validates style and overlay files without rendering: a style (.lua with map{} or\n"
    "layer{}) is run in the sandbox with every layer opened and every per-feature function\n"
    "run; an overlay script (.lua) or GeoJSON file (.geojson) is checked on top of the\n"
    "default map, its place names resolved. Reports the first error of each file.\n";

/* Prints one error line: the message with any newline folded, so it stays one line. */
static int fail(cor_status_t code, const char *message)
{
    fprintf(stderr, "%s: ", progname);
    for (const char *p = message; *p; p++)
        fputc(*p == '\n' || *p == '\r' ? ' ' : *p, stderr);
    fputc('\n', stderr);
    return (int)code;
}

/* Prints the map's warnings, one line each ("corridor: warning: [WHERE: ]..."), and forgets
 * them: a map that renders but is surely wrong, or input read with a repair. */
static void print_warnings(cor_map_t *map, const char *where)
{
    for (size_t i = 0; i < cor_map_warning_count(map); i++)
        fprintf(stderr, "%s: warning: %s%s%s\n", progname, where ? where : "", where ? ": " : "",
                cor_map_warning(map, i));
    cor_map_clear_warnings(map);
}

static int misuse(const char *what, const char *usage_hint)
{
    fprintf(stderr, "%s: %s\nTry '%s %s--help'.\n", progname, what, progname, usage_hint);
    return EXIT_USAGE;
}

/* Misuse of an option whose value the library refused: "--size: '12' is not a page size...". */
static int misuse_with(const char *option, const char *message)
{
    char what[COR_ERROR_MAX + 32];
    snprintf(what, sizeof what, "%s: %s", option, message);
    return misuse(what, "render ");
}

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
    OPT_THREADS
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

#define MAX_OUTPUTS 16

typedef struct render_opts {
    const char *format, *style, *crs, *extent, *data_dir, *size, *paper;
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
    char data[4096]; /* the data directory in use, "" when none was needed */
} render_opts_t;

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

#define STDIN_MAX (16u << 20) /* bytes read from standard input: the library's file limit */

/* Reads all of standard input into *text (malloc'd). Returns: COR_OK; COR_ERR_IO; the limit. */
static cor_status_t read_stdin(char **text, size_t *len, cor_error_t *err)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, stdin);
        if (n < cap)
            break;
        char *bigger = cap < STDIN_MAX ? realloc(buf, cap * 2) : NULL;
        if (!bigger) {
            free(buf);
            snprintf(err->message, sizeof err->message,
                     "<stdin>: more than %u bytes, or out of memory", STDIN_MAX);
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

/* Loads the style at `path`, or from standard input for "-". */
static cor_status_t load_style_arg(cor_map_t *map, const char *path, cor_error_t *err)
{
    char *text = NULL;
    size_t len = 0;
    if (strcmp(path, "-") != 0)
        return cor_map_load_style(map, path, err);
    cor_status_t st = read_stdin(&text, &len, err);
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
    cor_status_t st = read_stdin(&text, &len, err);
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

static int build_map(cor_map_t *map, render_opts_t *o, cor_error_t *err)
{
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

static void report(const cor_map_t *map, const render_opts_t *o, const char *output)
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
    print_warnings(map, NULL); /* once: every output drew the same map */
    cor_map_free(map);
    return rc;
}

/* ---- the atlas: one map per feature ---- */

#define ATLAS_MARGIN 0.1 /* of the feature's size, on every side */
#define MAX_JOBS     64

typedef struct atlas {
    render_opts_t *o;
    char layer[512];
    const char *field; /* names the files: {FIELD} */
    cor_feature_list_t *list;
    atomic_size_t next, done;
    atomic_int rc;
    pthread_mutex_t lock; /* stderr: progress and errors */
    bool progress;
} atlas_t;

/* Writes `tmpl` into out with {name} (and {FIELD}) and {index} filled; '/' in a name becomes
 * '-' so a name never makes a directory. */
static void fill_output(const char *tmpl, const atlas_t *a, const cor_feature_info_t *f, char *out,
                        size_t n)
{
    size_t len = 0, lf = strlen(a->field);
    for (const char *p = tmpl; *p && len + 1 < n;) {
        const char *v = NULL;
        char idx[32];
        if (strncmp(p, "{name}", 6) == 0 ||
            (p[0] == '{' && strncmp(p + 1, a->field, lf) == 0 && p[1 + lf] == '}')) {
            v = f->name, p += p[1 + lf] == '}' && strncmp(p + 1, a->field, lf) == 0 ? lf + 2 : 6;
        } else if (strncmp(p, "{index}", 7) == 0) {
            snprintf(idx, sizeof idx, "%ld", f->index);
            v = idx, p += 7;
        }
        if (!v) {
            out[len++] = *p++;
            continue;
        }
        for (; *v && len + 1 < n; v++)
            out[len++] = *v == '/' ? '-' : *v;
    }
    out[len] = '\0';
}

static void atlas_progress(atlas_t *a, const cor_feature_info_t *f)
{
    size_t done = atomic_fetch_add(&a->done, 1) + 1;
    if (!a->progress)
        return;
    pthread_mutex_lock(&a->lock);
    fprintf(stderr, "\r[%zu/%zu] %s\033[K%s", done, a->list->n, f->name,
            done == a->list->n ? "\n" : "");
    fflush(stderr);
    pthread_mutex_unlock(&a->lock);
}

/* Creates the directories of `path` that are missing (an atlas's 'out/{name}.pdf').
 * Failures are left for the render to report, naming the file. */
static void make_parents(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    for (char *p = dir + 1; (p = strchr(p, '/')); p++) {
        *p = '\0';
        if (mkdir(dir, 0777) != 0 && errno != EEXIST)
            return;
        *p = '/';
    }
}

/* Renders one feature to every output. Returns: 0 or the exit code. */
static int atlas_page(atlas_t *a, cor_map_t *map, const cor_feature_info_t *f)
{
    cor_error_t err = {0};
    char path[4096];
    cor_status_t st = cor_map_set_atlas_feature(map, a->layer, f->index, ATLAS_MARGIN, &err);
    for (int i = 0; st == COR_OK && i < a->o->noutputs; i++) {
        cor_format_t fmt = a->o->format ? cor_format_parse(a->o->format) : COR_FORMAT_AUTO;
        fill_output(a->o->outputs[i], a, f, path, sizeof path);
        make_parents(path);
        st = cor_map_render_file(map, path, fmt, &err);
    }
    pthread_mutex_lock(&a->lock);
    print_warnings(map, f->name);
    int rc = st == COR_OK ? 0 : fail(st, err.message);
    pthread_mutex_unlock(&a->lock);
    return rc;
}

/* A worker: one map (style and data loaded once), then features until none is left. */
static void *atlas_worker(void *ud)
{
    atlas_t *a = ud;
    cor_error_t err = {0};
    cor_map_t *map = NULL;
    render_opts_t o = *a->o; /* build_map writes the data directory into its copy */
    int rc =
        cor_map_new(&map, &err) == COR_OK ? build_map(map, &o, &err) : fail(err.code, err.message);
    while (rc == 0 && atomic_load(&a->rc) == 0) {
        size_t i = atomic_fetch_add(&a->next, 1);
        if (i >= a->list->n)
            break;
        rc = atlas_page(a, map, &a->list->items[i]);
        if (rc == 0)
            atlas_progress(a, &a->list->items[i]);
    }
    int zero = 0;
    if (rc)
        atomic_compare_exchange_strong(&a->rc, &zero, rc);
    cor_map_free(map);
    return NULL;
}

/* Prints `s` quoted for a POSIX shell when it needs to be. */
static void print_quoted(const char *s)
{
    if (*s &&
        strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./:=,@%+-") ==
            strlen(s)) {
        fputs(s, stdout);
        return;
    }
    putchar('\'');
    for (; *s; s++)
        fputs(*s == '\'' ? "'\\''" : (char[]){*s, 0}, stdout);
    putchar('\'');
}

/* --atlas-list: the run's own command once per feature, for that feature alone. */
static void atlas_list(const atlas_t *a)
{
    const render_opts_t *o = a->o;
    for (size_t k = 0; k < a->list->n; k++) {
        print_quoted(progpath);
        fputs(" render", stdout);
        for (int i = 1; i < o->argc; i++) {
            const char *arg = o->argv[i];
            if (strcmp(arg, "--atlas-list") == 0 || strncmp(arg, "--jobs=", 7) == 0 ||
                strncmp(arg, "--atlas-feature=", 16) == 0 || (strncmp(arg, "-j", 2) == 0 && arg[2]))
                continue;
            if (strcmp(arg, "-j") == 0 || strcmp(arg, "--jobs") == 0 ||
                strcmp(arg, "--atlas-feature") == 0) {
                i++;
                continue;
            }
            putchar(' ');
            print_quoted(arg);
        }
        printf(" --atlas-feature %ld\n", a->list->items[k].index);
    }
}

/* Lists the atlas's features with a map holding the style (for its data directory). */
static int atlas_features(atlas_t *a, cor_error_t *err)
{
    char *colon = strchr(a->layer, ':');
    char wfield[256] = "";
    const char *wvalue = NULL;
    a->field = "name";
    if (colon) {
        *colon = '\0';
        a->field = colon + 1;
    }
    if (a->o->where) {
        const char *eq = strchr(a->o->where, '=');
        if (!eq || eq == a->o->where || (size_t)(eq - a->o->where) >= sizeof wfield)
            return misuse("--where: expected FIELD=VALUE, e.g. iso_a2=BY", "render ");
        memcpy(wfield, a->o->where, (size_t)(eq - a->o->where));
        wvalue = eq + 1;
    }
    cor_map_t *map = NULL;
    render_opts_t o = *a->o;
    int rc =
        cor_map_new(&map, err) == COR_OK ? build_map(map, &o, err) : fail(err->code, err->message);
    cor_status_t st = COR_OK;
    if (rc == 0)
        st = cor_map_list_features(map, a->layer, a->field, wvalue ? wfield : NULL, wvalue,
                                   &a->list, err);
    cor_map_free(map);
    if (rc || st != COR_OK)
        return rc ? rc : fail(st, err->message);
    size_t kept = 0;
    for (size_t i = 0; i < a->list->n; i++)
        if (a->o->atlas_feature < 0 || a->list->items[i].index == a->o->atlas_feature)
            a->list->items[kept++] = a->list->items[i];
        else
            free(a->list->items[i].name);
    a->list->n = kept;
    if (kept == 0)
        return fail(COR_ERR_NOTFOUND, "--atlas: no feature of the layer matches");
    return 0;
}

static int run_atlas(render_opts_t *o)
{
    cor_error_t err = {0};
    atlas_t a = {.o = o, .progress = isatty(2) && !o->atlas_list};
    snprintf(a.layer, sizeof a.layer, "%s", o->atlas);
    int rc = atlas_features(&a, &err);
    bool named = strchr(o->outputs[0], '{') != NULL;
    if (rc == 0 && o->atlas_list)
        atlas_list(&a);
    else if (rc == 0 && a.list->n > 1 && !named)
        rc = misuse("--atlas draws several maps: name each file with {name} or {index} in -o, "
                    "e.g. -o 'out/{name}.pdf'",
                    "render ");
    else if (rc == 0) {
        pthread_t threads[MAX_JOBS];
        int n = o->jobs < 1 ? 1 : o->jobs, started = 0;
        if ((size_t)n > a.list->n)
            n = (int)a.list->n;
        pthread_mutex_init(&a.lock, NULL);
        for (int i = 0; i < n; i++)
            started += pthread_create(&threads[started], NULL, atlas_worker, &a) == 0;
        for (int i = 0; i < started; i++)
            pthread_join(threads[i], NULL);
        pthread_mutex_destroy(&a.lock);
        rc = started ? atomic_load(&a.rc) : fail(COR_ERR_INTERNAL, "cannot start a thread");
    }
    cor_feature_list_free(a.list);
    return rc;
}

static int parse_render(int argc, char **argv, render_opts_t *op);

static int cmd_render(int argc, char **argv)
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
    const char *layers[64], *overlays[64];
    o.layers = layers;
    o.overlays = overlays;
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
        case OPT_STYLE:
            o.style = optarg;
            break;
        case 'l':
            if (o.nlayers == (int)(sizeof layers / sizeof layers[0]))
                return misuse("too many --layer options (64 at most)", "render ");
            layers[o.nlayers++] = optarg;
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
    if (!rc && o.atlas && strcmp(o.outputs[0], "-") == 0)
        rc = misuse("--atlas writes files: -o - cannot name them", "render ");
    return rc ? rc : o.atlas ? run_atlas(&o) : run_render(&o);
}

/* ---- info ---- */

static void print_info(const cor_layer_info_t *in)
{
    printf("File:      %s\n", in->path);
    printf("Format:    %s\n", in->format);
    printf("Geometry:  %s\n", in->geometry);
    printf("Features:  %ld", in->features);
    if (in->null_features)
        printf(" (%ld with a null shape)", in->null_features);
    if (in->deleted_features)
        printf(" (%ld marked deleted in the .dbf, skipped)", in->deleted_features);
    printf("\n");
    if (in->has_extent)
        printf("Extent:    %.6f, %.6f, %.6f, %.6f  (W, S, E, N)\n", in->extent.minx,
               in->extent.miny, in->extent.maxx, in->extent.maxy);
    else
        printf("Extent:    none\n");
    if (in->crs_name)
        printf("CRS:       %s%s%s%s\n", in->crs_id ? in->crs_id : "", in->crs_id ? " (" : "",
               in->crs_name, in->crs_id ? ")" : "");
    else
        printf("CRS:       none (no .prj; drawn as longitude/latitude when the coordinates fit)\n");
    printf("Encoding:  %s (%s)", in->encoding, in->encoding_source);
    if (in->invalid_text)
        printf("; %ld value%s not valid %s, read with U+FFFD", in->invalid_text,
               in->invalid_text == 1 ? "" : "s", in->encoding);
    printf("\n");
    for (size_t i = 0; i < in->nwarnings; i++)
        printf("Warning:   %s\n", in->warnings[i]);
    printf("Fields:    %zu\n", in->nfields);
    for (size_t i = 0; i < in->nfields; i++) {
        const cor_field_info_t *f = &in->fields[i];
        char type[48];
        int n = snprintf(type, sizeof type, "%s(%d", f->type_name, f->width);
        if (f->decimals)
            n += snprintf(type + n, sizeof type - (size_t)n, ".%d", f->decimals);
        snprintf(type + n, sizeof type - (size_t)n, ")");
        printf("  %-12s %-12s", f->name, f->width ? type : f->type_name);
        for (size_t k = 0; cor_layer_info_sample(in, i, k); k++)
            printf("%s%s", k ? ", " : " e.g. ", cor_layer_info_sample(in, i, k));
        printf("\n");
    }
}

/* Prints s as a JSON string. */
static void json_string(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20)
            printf("\\u%04x", *p);
        else
            putchar(*p);
    }
    putchar('"');
}

static void json_extent(bool has, cor_bbox_t b)
{
    if (has)
        printf("[%.9g, %.9g, %.9g, %.9g]", b.minx, b.miny, b.maxx, b.maxy);
    else
        printf("null");
}

/* The same as print_info, as one JSON object. */
static void print_info_json(const cor_layer_info_t *in)
{
    printf("{\"file\": "), json_string(in->path);
    printf(", \"format\": "), json_string(in->format);
    printf(", \"geometry\": "), json_string(in->geometry);
    printf(", \"features\": %ld, \"null_features\": %ld, \"deleted_features\": %ld, \"extent\": ",
           in->features, in->null_features, in->deleted_features);
    json_extent(in->has_extent, in->extent);
    printf(", \"crs\": ");
    if (in->crs_name) {
        printf("{\"name\": "), json_string(in->crs_name);
        printf(", \"id\": ");
        if (in->crs_id)
            json_string(in->crs_id);
        else
            printf("null");
        printf("}");
    } else {
        printf("null");
    }
    printf(", \"encoding\": "), json_string(in->encoding);
    printf(", \"encoding_source\": "), json_string(in->encoding_source);
    printf(", \"invalid_text\": %ld, \"warnings\": [", in->invalid_text);
    for (size_t i = 0; i < in->nwarnings; i++)
        printf("%s", i ? ", " : ""), json_string(in->warnings[i]);
    printf("], \"fields\": [");
    for (size_t i = 0; i < in->nfields; i++) {
        const cor_field_info_t *f = &in->fields[i];
        printf("%s{\"name\": ", i ? ", " : ""), json_string(f->name);
        printf(", \"type\": "), json_string(f->type_name);
        printf(", \"width\": %d, \"decimals\": %d, \"samples\": [", f->width, f->decimals);
        for (size_t k = 0; cor_layer_info_sample(in, i, k); k++)
            printf("%s", k ? ", " : ""), json_string(cor_layer_info_sample(in, i, k));
        printf("]}");
    }
    printf("]}");
}

/* info --features LAYER[:FIELD]: the features with their extents. */
static int info_features(const char *spec, const char *data_dir, bool json)
{
    char layer[512];
    cor_error_t err = {0};
    cor_map_t *map = NULL;
    cor_feature_list_t *list = NULL;
    char dir[4096];
    snprintf(layer, sizeof layer, "%s", spec);
    char *colon = strchr(layer, ':');
    if (colon)
        *colon++ = '\0';
    cor_status_t st = cor_map_new(&map, &err);
    if (st == COR_OK && (data_dir || !strchr(layer, '/')) &&
        (st = cor_data_dir_find(data_dir, dir, sizeof dir, &err)) == COR_OK)
        st = cor_map_set_data_dir(map, dir, &err);
    if (st == COR_OK)
        st = cor_map_list_features(map, layer, colon, NULL, NULL, &list, &err);
    cor_map_free(map);
    if (st != COR_OK)
        return fail(st, err.message);
    printf(json ? "[" : "");
    for (size_t i = 0; i < list->n; i++) {
        const cor_feature_info_t *f = &list->items[i];
        if (json) {
            printf("%s{\"index\": %ld, \"name\": ", i ? ",\n " : "", f->index);
            json_string(f->name);
            printf(", \"extent\": ");
            json_extent(f->has_extent, f->extent);
            printf("}");
        } else if (f->has_extent) {
            printf("%6ld  %-32s %.6f, %.6f, %.6f, %.6f\n", f->index, f->name, f->extent.minx,
                   f->extent.miny, f->extent.maxx, f->extent.maxy);
        } else {
            printf("%6ld  %-32s no extent\n", f->index, f->name);
        }
    }
    printf(json ? "]\n" : "");
    cor_feature_list_free(list);
    return 0;
}

static int cmd_info(int argc, char **argv)
{
    static const struct option longopts[] = {{"json", no_argument, NULL, 'J'},
                                             {"features", required_argument, NULL, 'F'},
                                             {"data-dir", required_argument, NULL, 'D'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *features = NULL, *data_dir = NULL;
    bool json = false;
    int c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (c == 'J')
            json = true;
        else if (c == 'F')
            features = optarg;
        else if (c == 'D')
            data_dir = optarg;
        else if (c == 'h') {
            fputs(usage_info, stdout);
            return 0;
        } else
            return misuse("invalid option", "info ");
    }
    if (features)
        return optind < argc ? misuse("--features takes no file", "info ")
                             : info_features(features, data_dir, json);
    if (optind >= argc)
        return misuse("info needs a shapefile or GeoJSON file", "info ");
    int rc = 0, shown = 0;
    printf(json && argc - optind > 1 ? "[" : "");
    for (int i = optind; i < argc; i++) {
        cor_error_t err = {0};
        cor_layer_info_t *info = NULL;
        cor_status_t st = cor_layer_info_read(argv[i], &info, &err);
        if (st != COR_OK) {
            rc = fail(st, err.message);
            continue;
        }
        printf("%s", shown++ ? (json ? ",\n" : "\n") : "");
        if (json)
            print_info_json(info);
        else
            print_info(info);
        cor_layer_info_free(info);
    }
    printf(json ? (argc - optind > 1 ? "]\n" : "\n") : "");
    return rc;
}

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

static int cmd_check(int argc, char **argv)
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
