/* SPDX-License-Identifier: MIT */
/* corridor: the command line. Parses arguments, calls the public API, prints results and turns
 * errors into one line on stderr and an exit code (the cor_status_t value; 2 for misuse).
 * It does nothing the library cannot do: it includes only corridor.h. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "corridor.h"

#define EXIT_USAGE 2

static const char *progname = "corridor";

static const char usage_main[] =
    "Usage: corridor COMMAND [OPTIONS]\n"
    "\n"
    "Maps from shapefiles: projected with PROJ, drawn with cairo, styled in Lua.\n"
    "\n"
    "Commands:\n"
    "  render    draw a map to PNG, SVG or PDF (the story map by default)\n"
    "  info      describe a shapefile: geometry, features, extent, CRS, encoding, fields\n"
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

static const char usage_info[] = "Usage: corridor info FILE.shp...\n"
                                 "\n"
                                 "Describes shapefiles: geometry type, feature count, extent,\n"
                                 "CRS (with its EPSG code where PROJ knows it), attribute\n"
                                 "encoding and fields.\n";

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

enum { OPT_PAPER = 256, OPT_LANDSCAPE, OPT_STYLE, OPT_OVERLAY, OPT_DATA_DIR };

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
    const char **layers;
    int nlayers;
    const char **overlays;
    int noverlays;
    char data[4096]; /* the data directory in use, "" when none was needed */
} render_opts_t;

/* Parses "W,S,E,N". Returns: false when it is not four numbers. */
static bool parse_extent(const char *s, cor_bbox_t *b)
{
    char tail;
    return sscanf(s, "%lf,%lf,%lf,%lf%c", &b->minx, &b->miny, &b->maxx, &b->maxy, &tail) == 4;
}

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
    if (st == COR_OK && o->crs)
        st = cor_map_set_crs(map, o->crs, err);
    if (st == COR_OK && o->extent) {
        cor_bbox_t b;
        if (!parse_extent(o->extent, &b))
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
    cor_map_free(map);
    return rc;
}

static int cmd_render(int argc, char **argv)
{
    struct option longopts[NOPTS + 1];
    char shortopts[2 * NOPTS + 1];
    getopt_tables(longopts, shortopts);
    render_opts_t o = {0};
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
    return rc ? rc : run_render(&o);
}

/* ---- info ---- */

static void print_info(const cor_layer_info_t *in)
{
    printf("File:      %s\n", in->path);
    printf("Geometry:  %s\n", in->geometry);
    printf("Features:  %ld", in->features);
    if (in->null_features)
        printf(" (%ld with a null shape)", in->null_features);
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
    printf("Encoding:  %s (%s)\n", in->encoding, in->encoding_source);
    printf("Fields:    %zu\n", in->nfields);
    for (size_t i = 0; i < in->nfields; i++) {
        const cor_field_info_t *f = &in->fields[i];
        printf("  %-12s %s(%d", f->name, f->type_name, f->width);
        if (f->decimals)
            printf(".%d", f->decimals);
        printf(")\n");
    }
}

static int cmd_info(int argc, char **argv)
{
    if (argc < 2)
        return misuse("info needs a shapefile", "info ");
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        fputs(usage_info, stdout);
        return 0;
    }
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        cor_error_t err = {0};
        cor_layer_info_t *info = NULL;
        cor_status_t st = cor_layer_info_read(argv[i], &info, &err);
        if (st != COR_OK) {
            rc = fail(st, err.message);
            continue;
        }
        if (i > 1)
            printf("\n");
        print_info(info);
        cor_layer_info_free(info);
    }
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
