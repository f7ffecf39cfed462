/* SPDX-License-Identifier: MIT */
/* Tests for output: limits, the atomic write under failure, then the files themselves (PNG
 * chunks and pHYs, SVG size and fragments, PDF page box) and the same drawing in all formats. */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "files.h"
#include "output.h"
#include "paint.h"
#include "testutil.h"
#include "util.h"

/* ---- helpers ---- */

/* Returns: the number of entries in dir besides . and .. */
static int dir_count(const char *dir)
{
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "cannot list %s", dir);
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

/* Not inlined: gcc 12 at -O2 otherwise takes pointers into the result for pointers to the
 * local `data` and warns (-Wdangling-pointer) about every use. */
__attribute__((noinline)) static char *slurp(const char *path, size_t *len)
{
    char *data = NULL;
    cor_error_t err = {0};
    ck_assert_msg(cor__read_file(path, 64u << 20, &data, len, &err) == COR_OK, "%s", err.message);
    return data;
}

/* Returns: true when the n bytes at d contain s. */
static bool contains(const char *d, size_t n, const char *s)
{
    size_t ls = strlen(s);
    for (size_t i = 0; ls <= n && i <= n - ls; i++)
        if (memcmp(d + i, s, ls) == 0)
            return true;
    return false;
}

static cor_status_t try_open(const char *path, cor_format_t fmt, double w, double h, double dpi,
                             cor_error_t *err)
{
    cor__output_t *o = NULL;
    cor_error_clear(err);
    cor_status_t st = cor__output_open(path, fmt, w, h, dpi, &o, err);
    if (st == COR_OK)
        cor__output_abort(o);
    else
        ck_assert_ptr_null(o);
    return st;
}

static cor_color_t rgb(double r, double g, double b)
{
    return (cor_color_t){r, g, b, 1};
}

/* A small map: background, a polygon with a hole, a cased dashed line, a row of markers.
 * No Check assertions inside: it also runs in a child process that Check must not hear from.
 * Returns: false when memory ran out. */
static bool draw_scene_quiet(cairo_t *cr, double w, double h)
{
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cor__geom_t g = {.kind = COR__GEOM_POLYGON}, l = {.kind = COR__GEOM_LINE};
    const double ox[] = {0.1 * w, 0.6 * w, 0.6 * w, 0.1 * w},
                 oy[] = {0.1 * h, 0.1 * h, 0.7 * h, 0.7 * h};
    const double ix[] = {0.25 * w, 0.45 * w, 0.45 * w, 0.25 * w},
                 iy[] = {0.25 * h, 0.25 * h, 0.55 * h, 0.55 * h};
    const double lx[] = {0.05 * w, 0.5 * w, 0.95 * w}, ly[] = {0.9 * h, 0.75 * h, 0.85 * h};
    bool ok = cor__geom_add_part(&g, ox, oy, 4) && cor__geom_add_part(&g, ix, iy, 4) &&
              cor__geom_add_part(&l, lx, ly, 3);
    cor__look_t look = {.fill_on = true,
                        .fill = rgb(0.6, 0.75, 0.9),
                        .stroke_on = true,
                        .stroke = rgb(0.1, 0.2, 0.5),
                        .width = 2,
                        .opacity = 1,
                        .casing_on = true,
                        .casing = rgb(0.2, 0.2, 0.2),
                        .casing_width = 2,
                        .ndash = 2,
                        .dash = {8, 4},
                        .size = 14};
    cor__paint_fill(cr, &g, &look);
    cor__paint_stroke(cr, &g, &look, false);
    look.stroke = rgb(0.9, 0.5, 0.1);
    look.width = 5;
    cor__paint_stroke(cr, &l, &look, true);
    cor__paint_stroke(cr, &l, &look, false);
    look.fill = rgb(0.8, 0.1, 0.1);
    look.stroke = rgb(0, 0, 0);
    look.width = 1;
    for (int m = COR__MARKER_CIRCLE; m < COR__MARKER_COUNT; m++)
        cor__paint_marker(cr, (cor__marker_t)m, 0.7 * w + (m % 2) * 0.12 * w,
                          0.1 * h + m * 0.08 * h, look.size, &look);
    cor__geom_free(&g);
    cor__geom_free(&l);
    return ok;
}

static void draw_scene(cairo_t *cr, double w, double h)
{
    ck_assert(draw_scene_quiet(cr, w, h));
}

/* Opens `path`, draws the scene and commits. */
static void render_to(const char *path, cor_format_t fmt, double w, double h, double dpi)
{
    cor__output_t *o = NULL;
    cor_error_t err = {0};
    ck_assert_msg(cor__output_open(path, fmt, w, h, dpi, &o, &err) == COR_OK, "%s", err.message);
    draw_scene(cor__output_cairo(o), w, h);
    ck_assert_msg(cor__output_commit(o, &err) == COR_OK, "%s", err.message);
}

/* ---- limits ---- */

START_TEST(test_absurd_sizes)
{
    char *dir = cor_test_tmpdir("output-limits");
    char *path = cor__path_join(dir, "map.png");
    cor_error_t err;
    const double bad[][3] = {
        {0, 100, 72},        {100, 0, 72},    {-5, 100, 72},   {NAN, 100, 72},   {100, NAN, 72},
        {INFINITY, 100, 72}, {0.5, 100, 72},  {1e9, 100, 72},  {14401, 100, 72}, {100, 100, 0},
        {100, 100, -72},     {100, 100, NAN}, {100, 100, 9.9}, {100, 100, 2401}, {1, 1, 10}};
    for (int f = COR_FORMAT_PNG; f <= COR_FORMAT_PDF; f++)
        for (size_t i = 0; i < COR__ARRAY_LEN(bad); i++) {
            if (f != COR_FORMAT_PNG && i == COR__ARRAY_LEN(bad) - 1)
                continue; /* 1 x 1 pt at 10 dpi has no pixels, which only a raster minds */
            ck_assert_msg(try_open(path, (cor_format_t)f, bad[i][0], bad[i][1], bad[i][2], &err) ==
                              COR_ERR_LIMIT,
                          "format %d accepted %g x %g pt at %g dpi", f, bad[i][0], bad[i][1],
                          bad[i][2]);
            ck_assert_str_ne(err.message, "");
        }
    /* the rasters an output can make at all, per side and in total (a map's own limits, lower
       by default, are checked before: check_map.c) */
    ck_assert_int_eq(try_open(path, COR_FORMAT_PNG, 2700, 54, 2400, &err), COR_ERR_LIMIT);
    ck_assert_str_eq(err.message, "page of 90000 x 1800 px exceeds the 32767 px limit per side");
    ck_assert_int_eq(try_open(path, COR_FORMAT_PNG, 960, 960, 2400, &err), COR_ERR_LIMIT);
    ck_assert_msg(strstr(err.message, "32000 x 32000 px") && strstr(err.message, "1000 million"),
                  "%s", err.message);
    ck_assert_int_eq(try_open(path, COR_FORMAT_PNG, 100, 14401, 72, &err), COR_ERR_LIMIT);
    ck_assert_str_eq(err.message,
                     "page of 100 x 14401 pt exceeds the 14400 pt (200 in) limit per side");
    ck_assert_int_eq(try_open(path, COR_FORMAT_PNG, 100, 100, 3000, &err), COR_ERR_LIMIT);
    ck_assert_str_eq(err.message, "resolution of 3000 dpi is outside 10..2400 dpi");
    /* no format */
    ck_assert_int_eq(try_open(path, COR_FORMAT_AUTO, 100, 100, 72, &err), COR_ERR_USAGE);
    /* the same check is available before opening */
    cor_error_clear(&err);
    ck_assert_int_eq(cor__output_check_page(COR_FORMAT_PNG, 2700, 54, 2400, &err), COR_ERR_LIMIT);
    ck_assert_int_eq(cor__output_check_page(COR_FORMAT_PDF, 2700, 54, 2400, NULL), COR_OK);
    ck_assert_int_eq(cor__output_check_page(COR_FORMAT_PNG, 14000, 14000, 72, NULL), COR_OK);
    ck_assert_int_eq(dir_count(dir), 0);
    free(path);
    free(dir);
}
END_TEST

/* Vector pages have no raster, so only the page and dpi limits apply to them. */
START_TEST(test_vector_limits)
{
    char *dir = cor_test_tmpdir("output-vlimits");
    char *svg = cor__path_join(dir, "big.svg"), *pdf = cor__path_join(dir, "big.pdf");
    cor_error_t err;
    ck_assert_int_eq(try_open(svg, COR_FORMAT_SVG, 14400, 14400, 2400, &err), COR_OK);
    ck_assert_int_eq(try_open(pdf, COR_FORMAT_PDF, 14400, 14400, 2400, &err), COR_OK);
    ck_assert_int_eq(try_open(pdf, COR_FORMAT_PNG, 14400, 14400, 2400, &err), COR_ERR_LIMIT);
    ck_assert_int_eq(dir_count(dir), 0);
    free(svg);
    free(pdf);
    free(dir);
}
END_TEST

/* ---- where the file goes ---- */

START_TEST(test_missing_directory)
{
    char *dir = cor_test_tmpdir("output-nodir");
    char *sub = cor__path_join(dir, "out"), *path = cor__path_join(sub, "map.png");
    cor_error_t err;
    for (int f = COR_FORMAT_PNG; f <= COR_FORMAT_PDF; f++) {
        ck_assert_int_eq(try_open(path, (cor_format_t)f, 576, 432, 72, &err), COR_ERR_IO);
        char *want = cor__asprintf("%s: cannot write in %s: No such file or directory", path, sub);
        ck_assert_str_eq(err.message, want);
        free(want);
    }
    ck_assert(!cor__is_dir(sub));
    ck_assert_int_eq(dir_count(dir), 0);
    /* a directory is not a file to write */
    ck_assert_int_eq(try_open(dir, COR_FORMAT_PNG, 576, 432, 72, &err), COR_ERR_IO);
    ck_assert_int_eq(try_open("", COR_FORMAT_PNG, 576, 432, 72, &err), COR_ERR_USAGE);
    /* a read-only directory (root ignores permissions, so only when they apply) */
    ck_assert_int_eq(mkdir(sub, 0555), 0);
    if (access(sub, W_OK) != 0) {
        ck_assert_int_eq(try_open(path, COR_FORMAT_PNG, 576, 432, 72, &err), COR_ERR_IO);
        ck_assert_msg(strstr(err.message, "cannot write in"), "%s", err.message);
    }
    ck_assert_int_eq(rmdir(sub), 0);
    free(path);
    free(sub);
    free(dir);
}
END_TEST

/* A drawing that put cairo in an error state fails at commit, leaving no file, no temporary file,
 * and an older file at the path as it was. */
START_TEST(test_failed_render_leaves_nothing)
{
    char *dir = cor_test_tmpdir("output-fail");
    const char *names[] = {"", "map.png", "map.svg", "map.pdf"};
    for (int f = COR_FORMAT_PNG; f <= COR_FORMAT_PDF; f++) {
        char *path = cor__path_join(dir, names[f]), *old = cor__path_join(dir, "old.png");
        cor__output_t *o = NULL;
        cor_error_t err = {0};
        /* a fresh path */
        ck_assert_int_eq(cor__output_open(path, (cor_format_t)f, 200, 100, 72, &o, &err), COR_OK);
        draw_scene(cor__output_cairo(o), 200, 100);
        cairo_restore(cor__output_cairo(o)); /* without a save: cairo's status sticks */
        ck_assert_int_eq(cor__output_commit(o, &err), COR_ERR_RENDER);
        ck_assert_msg(strstr(err.message, path) != NULL, "%s", err.message);
        ck_assert_int_eq(dir_count(dir), 0);
        /* over an existing file */
        cor_test_write(old, "precious", 8);
        cor_error_clear(&err);
        ck_assert_int_eq(cor__output_open(old, (cor_format_t)f, 200, 100, 72, &o, &err), COR_OK);
        cairo_set_dash(cor__output_cairo(o), (const double[]){-1}, 1, 0);
        ck_assert_int_eq(cor__output_commit(o, &err), COR_ERR_RENDER);
        ck_assert_int_eq(dir_count(dir), 1);
        size_t len = 0;
        char *data = slurp(old, &len);
        ck_assert_uint_eq(len, 8);
        ck_assert_mem_eq(data, "precious", 8);
        free(data);
        ck_assert_int_eq(unlink(old), 0);
        free(path);
        free(old);
    }
    free(dir);
}
END_TEST

/* Commits the scene to `path` in every format under a 512-byte file size limit (standing in for
 * a full disk). Runs in a child process, since the limit would also stop Check's own reports.
 * Returns: 0 when every commit failed with COR_ERR_IO naming the path, else 10 * format + step. */
static int commit_with_small_limit(const char *path)
{
    struct rlimit lim;
    if (getrlimit(RLIMIT_FSIZE, &lim) != 0)
        return 1;
    lim.rlim_cur = 512;
    signal(SIGXFSZ, SIG_IGN);
    if (setrlimit(RLIMIT_FSIZE, &lim) != 0)
        return 2;
    for (int f = COR_FORMAT_PNG; f <= COR_FORMAT_PDF; f++) {
        cor__output_t *o = NULL;
        cor_error_t err = {0};
        if (cor__output_open(path, (cor_format_t)f, 300, 200, 96, &o, &err) != COR_OK)
            return 10 * f + 1;
        if (!draw_scene_quiet(cor__output_cairo(o), 300, 200))
            return 10 * f + 4;
        if (cor__output_commit(o, &err) != COR_ERR_IO)
            return 10 * f + 2;
        if (strncmp(err.message, path, strlen(path)) != 0 || !strstr(err.message, "cannot write"))
            return 10 * f + 3;
    }
    return 0;
}

START_TEST(test_failed_write_leaves_nothing)
{
    char *dir = cor_test_tmpdir("output-wfail");
    char *path = cor__path_join(dir, "map.pdf");
    cor_test_write(path, "precious", 8);
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0)
        _exit(commit_with_small_limit(path));
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
    ck_assert_int_eq(dir_count(dir), 1);
    size_t len = 0;
    char *data = slurp(path, &len);
    ck_assert_uint_eq(len, 8);
    ck_assert_mem_eq(data, "precious", 8);
    free(data);
    free(path);
    free(dir);
}
END_TEST

/* The rename fails when something that cannot be replaced took the name in the meantime. */
START_TEST(test_failed_rename_leaves_nothing)
{
    char *dir = cor_test_tmpdir("output-rfail");
    char *path = cor__path_join(dir, "map.svg"), *inner = cor__path_join(path, "keep");
    cor__output_t *o = NULL;
    cor_error_t err = {0};
    ck_assert_int_eq(cor__output_open(path, COR_FORMAT_SVG, 300, 200, 96, &o, &err), COR_OK);
    draw_scene(cor__output_cairo(o), 300, 200);
    ck_assert_int_eq(mkdir(path, 0755), 0);
    cor_test_write(inner, "x", 1);
    ck_assert_int_eq(cor__output_commit(o, &err), COR_ERR_IO);
    ck_assert_msg(strstr(err.message, "cannot rename"), "%s", err.message);
    ck_assert_int_eq(dir_count(dir), 1);
    ck_assert(cor__is_file(inner));
    free(inner);
    free(path);
    free(dir);
}
END_TEST

START_TEST(test_abort_writes_nothing)
{
    char *dir = cor_test_tmpdir("output-abort");
    const char *names[] = {"", "a.png", "a.svg", "a.pdf"};
    for (int f = COR_FORMAT_PNG; f <= COR_FORMAT_PDF; f++) {
        char *path = cor__path_join(dir, names[f]);
        cor__output_t *o = NULL;
        ck_assert_int_eq(cor__output_open(path, (cor_format_t)f, 300, 200, 96, &o, NULL), COR_OK);
        draw_scene(cor__output_cairo(o), 300, 200);
        ck_assert_int_eq(cor__output_svg_append(o, "<g/>", NULL), COR_OK);
        cor__output_abort(o);
        free(path);
    }
    cor__output_abort(NULL);
    ck_assert_int_eq(cor__output_commit(NULL, NULL), COR_ERR_INTERNAL);
    ck_assert_int_eq(dir_count(dir), 0);
    free(dir);
}
END_TEST

/* ---- PNG ---- */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A table-driven CRC-32, independent of the bitwise one in output.c. */
static uint32_t crc32_table(const unsigned char *p, size_t n)
{
    static uint32_t table[256];
    if (!table[1])
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++)
                c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++)
        c = table[(c ^ p[i]) & 255] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

START_TEST(test_png_size_and_phys)
{
    char *dir = cor_test_tmpdir("output-png");
    char *path = cor__path_join(dir, "map.png");
    cor_test_write(path, "older", 5); /* replaced on success */
    render_to(path, COR_FORMAT_PNG, 576, 432, 150);
    ck_assert_int_eq(dir_count(dir), 1);

    size_t len = 0;
    unsigned char *d = (unsigned char *)slurp(path, &len);
    ck_assert_uint_gt(len, 8);
    ck_assert_mem_eq(d, "\x89PNG\r\n\x1a\n", 8);
    int nchunks = 0, nphys = 0, phys_index = -1;
    char last[5] = "";
    for (size_t at = 8; at < len; nchunks++) {
        ck_assert_uint_ge(len - at, 12);
        uint32_t n = be32(d + at);
        ck_assert_uint_le(n, len - at - 12);
        memcpy(last, d + at + 4, 4);
        ck_assert_msg(be32(d + at + 8 + n) == crc32_table(d + at + 4, 4 + n), "bad CRC in %s",
                      last);
        if (nchunks == 0) {
            ck_assert_str_eq(last, "IHDR");
            ck_assert_uint_eq(be32(d + at + 8), 1200); /* 576 pt at 150 dpi */
            ck_assert_uint_eq(be32(d + at + 12), 900);
        }
        if (strcmp(last, "pHYs") == 0) {
            nphys++;
            phys_index = nchunks;
            ck_assert_uint_eq(n, 9);
            ck_assert_uint_eq(be32(d + at + 8), 5906); /* round(150 / 0.0254) */
            ck_assert_uint_eq(be32(d + at + 12), 5906);
            ck_assert_uint_eq(d[at + 16], 1);
        }
        at += 12 + (size_t)n;
    }
    ck_assert_str_eq(last, "IEND");
    ck_assert_int_eq(nphys, 1);
    ck_assert_int_eq(phys_index, 1);
    free(d);

    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    ck_assert_int_eq(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    ck_assert_int_eq(cairo_image_surface_get_width(s), 1200);
    ck_assert_int_eq(cairo_image_surface_get_height(s), 900);
    cairo_surface_destroy(s);

    struct stat st;
    mode_t mask = umask(0);
    umask(mask);
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_uint_eq(st.st_mode & 0777, 0666 & ~mask);
    free(path);
    free(dir);
}
END_TEST

/* A page that is not a whole number of pixels (90 x 60 mm at 300 dpi: 1062.99 x 708.66 px) is
 * drawn over every pixel of its raster, and a translucent paint is flattened: the PNG is RGB and
 * its last column and row are the page's colour, not half transparent. */
START_TEST(test_png_whole_pixels_opaque)
{
    char *dir = cor_test_tmpdir("output-png-mm");
    char *path = cor__path_join(dir, "map.png");
    double w = 90 * 72 / 25.4, h = 60 * 72 / 25.4;
    cor__output_t *o = NULL;
    cor_error_t err = {0};
    ck_assert_int_eq(cor__output_open(path, COR_FORMAT_PNG, w, h, 300, &o, &err), COR_OK);
    cairo_t *cr = cor__output_cairo(o);
    cairo_rectangle(cr, 0, 0, w, h);
    cairo_set_source_rgb(cr, 0.2, 0.4, 0.6);
    cairo_fill(cr);
    cairo_rectangle(cr, 0, 0, 10, 10); /* translucent black over the corner */
    cairo_set_source_rgba(cr, 0, 0, 0, 0.5);
    cairo_fill(cr);
    ck_assert_int_eq(cor__output_commit(o, &err), COR_OK);
    size_t len = 0;
    unsigned char *d = (unsigned char *)slurp(path, &len);
    ck_assert_uint_gt(len, 26);
    ck_assert_uint_eq(be32(d + 16), 1063);
    ck_assert_uint_eq(be32(d + 20), 709);
    ck_assert_uint_eq(d[25], 2); /* colour type 2: RGB, no alpha */
    free(d);
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    ck_assert_int_eq(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    unsigned page = cor_test_pixel(s, 500, 300);
    ck_assert_uint_eq(page, cor_test_pixel(s, 1062, 300));
    ck_assert_uint_eq(page, cor_test_pixel(s, 500, 708));
    ck_assert_uint_eq(page, cor_test_pixel(s, 1062, 708));
    ck_assert_uint_eq(cor_test_pixel(s, 2, 2) >> 16, (page >> 16) / 2);
    cairo_surface_destroy(s);
    free(path);
    free(dir);
}
END_TEST

/* ---- SVG and PDF ---- */

START_TEST(test_svg_size_and_fragments)
{
    char *dir = cor_test_tmpdir("output-svg");
    char *path = cor__path_join(dir, "map.svg");
    cor__output_t *o = NULL;
    cor_error_t err = {0};
    ck_assert_int_eq(cor__output_open(path, COR_FORMAT_SVG, 576, 432, 300, &o, &err), COR_OK);
    draw_scene(cor__output_cairo(o), 576, 432);
    const char *f1 = "<text x=\"10\" y=\"20\">Klaip\xc4\x97"
                     "da</text>\n";
    const char *f2 = "<text x=\"30\" y=\"40\">Minsk</text>\n";
    ck_assert_int_eq(cor__output_svg_append(o, f1, &err), COR_OK);
    ck_assert_int_eq(cor__output_svg_append(o, f2, &err), COR_OK);
    ck_assert_int_eq(cor__output_svg_append(o, "bad \xff", &err), COR_ERR_INTERNAL);
    ck_assert_int_eq(cor__output_svg_append(o, NULL, NULL), COR_ERR_INTERNAL);
    cor__output_set_metadata(o, "ignored", "ignored"); /* not a PDF: no effect */
    ck_assert_int_eq(cor__output_commit(o, NULL), COR_OK);
    ck_assert_int_eq(dir_count(dir), 1);

    size_t len = 0;
    char *d = slurp(path, &len);
    ck_assert_msg(strstr(d, "width=\"576pt\" height=\"432pt\""), "%.300s", d);
    ck_assert_ptr_nonnull(strstr(d, "viewBox=\"0 0 576 432\""));
    const char *a = strstr(d, f1), *b = strstr(d, f2), *end = strstr(d, "</svg>");
    const char *path0 = strstr(d, "<path"); /* cairo's drawing comes first */
    ck_assert(a && b && end && path0);
    size_t ia = (size_t)(a - d), ib = (size_t)(b - d), iend = (size_t)(end - d);
    size_t ipath = (size_t)(path0 - d);
    ck_assert(ia < ib && ib + strlen(f2) == iend);
    ck_assert(ipath < ia);
    ck_assert_ptr_null(strstr(d, "ignored"));
    free(d);

    /* fragments are a no-op for the other formats */
    char *png = cor__path_join(dir, "map.png");
    ck_assert_int_eq(cor__output_open(png, COR_FORMAT_PNG, 100, 100, 72, &o, &err), COR_OK);
    ck_assert_int_eq(cor__output_svg_append(o, f1, &err), COR_OK);
    ck_assert_int_eq(cor__output_commit(o, &err), COR_OK);
    d = slurp(png, &len);
    ck_assert(!contains(d, len, "Minsk"));
    free(d);
    free(png);
    free(path);
    free(dir);
}
END_TEST

START_TEST(test_pdf_page_and_metadata)
{
    char *dir = cor_test_tmpdir("output-pdf");
    char *path = cor__path_join(dir, "map.pdf");
    cor__output_t *o = NULL;
    cor_error_t err = {0};
    ck_assert_int_eq(cor__output_open(path, COR_FORMAT_PDF, 576, 432, 300, &o, &err), COR_OK);
    cor__output_set_metadata(o, "Potash, prisoners and borders", "corridor test");
    ck_assert_int_eq(cor__output_svg_append(o, "<text/>", &err), COR_OK);
    draw_scene(cor__output_cairo(o), 576, 432);
    ck_assert_int_eq(cor__output_commit(o, &err), COR_OK);
    ck_assert_int_eq(dir_count(dir), 1);
    size_t len = 0;
    char *d = slurp(path, &len);
    ck_assert_mem_eq(d, "%PDF-", 5);
    ck_assert(contains(d, len, "/MediaBox [ 0 0 576 432 ]"));
    ck_assert(contains(d, len, "Potash, prisoners and borders"));
    ck_assert(contains(d, len, "corridor test"));
    ck_assert(contains(d, len, "%%EOF"));
    free(d);
    free(path);
    free(dir);
}
END_TEST

/* ---- the same drawing in every format ---- */

static int run(const char *cmd)
{
    int rc = system(cmd);
    ck_assert_msg(rc == 0, "failed (%d): %s", rc, cmd);
    return rc;
}

/* Compares two opaque rasters of the same size; fails when they differ beyond anti-aliasing. */
static void assert_similar(const char *what, const char *a_path, const char *b_path)
{
    cairo_surface_t *a = cairo_image_surface_create_from_png(a_path);
    cairo_surface_t *b = cairo_image_surface_create_from_png(b_path);
    ck_assert_int_eq(cairo_surface_status(a), CAIRO_STATUS_SUCCESS);
    ck_assert_int_eq(cairo_surface_status(b), CAIRO_STATUS_SUCCESS);
    int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);
    ck_assert_int_eq(cairo_image_surface_get_width(b), w);
    ck_assert_int_eq(cairo_image_surface_get_height(b), h);
    const unsigned char *pa = cairo_image_surface_get_data(a),
                        *pb = cairo_image_surface_get_data(b);
    int sa = cairo_image_surface_get_stride(a), sb = cairo_image_surface_get_stride(b);
    double sum = 0;
    long far = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int worst = 0;
            for (int k = 0; k < 3; k++) {
                int diff = abs(pa[y * sa + 4 * x + k] - pb[y * sb + 4 * x + k]);
                sum += diff;
                worst = diff > worst ? diff : worst;
            }
            far += worst > 64;
        }
    double mean = sum / (3.0 * w * h), share = (double)far / ((double)w * h);
    ck_assert_msg(mean < 2.0 && share < 0.01, "%s differs: mean %.2f, %.2f%% of pixels far off",
                  what, mean, 100 * share);
    cairo_surface_destroy(a);
    cairo_surface_destroy(b);
}

START_TEST(test_formats_agree)
{
    char *dir = cor_test_tmpdir("output-agree");
    char *png = cor__path_join(dir, "map.png"), *svg = cor__path_join(dir, "map.svg");
    char *pdf = cor__path_join(dir, "map.pdf");
    render_to(png, COR_FORMAT_PNG, 288, 216, 144);
    render_to(svg, COR_FORMAT_SVG, 288, 216, 144);
    render_to(pdf, COR_FORMAT_PDF, 288, 216, 144);
    if (cor_test_need_tool("pdftoppm", "comparing the PDF with the PNG")) {
        char *cmd = cor__asprintf("pdftoppm -r 144 -png -singlefile '%s' '%s/from-pdf'", pdf, dir);
        run(cmd);
        char *out = cor__path_join(dir, "from-pdf.png");
        assert_similar("PDF", png, out);
        free(out);
        free(cmd);
    }
    if (cor_test_need_tool("rsvg-convert", "comparing the SVG with the PNG")) {
        char *out = cor__path_join(dir, "from-svg.png");
        char *cmd = cor__asprintf("rsvg-convert --dpi-x 144 --dpi-y 144 -o '%s' '%s'", out, svg);
        run(cmd);
        assert_similar("SVG", png, out);
        free(cmd);
        free(out);
    }
    free(png);
    free(svg);
    free(pdf);
    free(dir);
}
END_TEST

static Suite *output_suite(void)
{
    Suite *s = suite_create("output");
    TCase *tc = tcase_create("failures");
    tcase_add_test(tc, test_absurd_sizes);
    tcase_add_test(tc, test_vector_limits);
    tcase_add_test(tc, test_missing_directory);
    tcase_add_test(tc, test_failed_render_leaves_nothing);
    tcase_add_test(tc, test_failed_write_leaves_nothing);
    tcase_add_test(tc, test_failed_rename_leaves_nothing);
    tcase_add_test(tc, test_abort_writes_nothing);
    suite_add_tcase(s, tc);
    tc = tcase_create("files");
    tcase_add_test(tc, test_png_size_and_phys);
    tcase_add_test(tc, test_png_whole_pixels_opaque);
    tcase_add_test(tc, test_svg_size_and_fragments);
    tcase_add_test(tc, test_pdf_page_and_metadata);
    tcase_add_test(tc, test_formats_agree);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return cor_test_run(output_suite());
}
